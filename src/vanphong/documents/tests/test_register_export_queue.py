"""Register exports too long to write while the person waits: queued, prepared by the worker with the
same code as the request, downloaded by the requester only, removed after their days.

The threshold is lowered to two documents (``REGISTER_EXPORT_INLINE_ROWS``) so that March of the
Party office's incoming register (four documents for the văn thư, three for the uncleared deputy)
goes to the background, and the file the worker writes is compared with the one the request writes
for the same period.
"""

from __future__ import annotations

import datetime
import inspect
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from vanphong.core.models import Account, AuditEntry, Role, RoleGrant
from vanphong.core.services import roles
from vanphong.documents import exports
from vanphong.documents.models import ExportState, RegisterExport
from vanphong.documents.services import exports as export_services
from vanphong.documents.tasks import build_register_export
from vanphong.documents.tests import test_register_exports
from vanphong.documents.tests.conftest import Desk
from vanphong.documents.tests.test_api import Row, bearer
from vanphong.documents.tests.test_register_exports import (
    MARCH,
    March,
    body_of,
    export_url,
    pdf_text,
    xlsx_rows,
)
from vanphong.documents.tests.test_views import LOGIN, Case, World, _build, matrix_failures, rows
from vanphong.notices.jobs import run_due
from vanphong.notices.models import Notification
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db

LIMIT = 2  # March holds four documents for the văn thư: over this, under the default


@pytest.fixture
def march(desk: Desk) -> March:
    """March of the Party office's incoming register, as ``test_register_exports`` builds it."""
    return inspect.unwrap(test_register_exports.march)(desk)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def low_threshold(tmp_path: Any) -> Iterator[None]:
    with override_settings(REGISTER_EXPORT_INLINE_ROWS=LIMIT, REGISTER_EXPORTS_DIR=tmp_path / "exports"):
        yield


def queue_from_the_register_page(client: Client, register_pk: int, fmt: str = "xlsx") -> Any:
    return client.post(reverse("documents:register_export", args=[register_pk]), {"format": fmt, **MARCH})


def inline(client: Client, register_pk: int, fmt: str) -> bytes:
    """The same period written in the request, as it is below the threshold."""
    with override_settings(REGISTER_EXPORT_INLINE_ROWS=1000):
        response = client.get(export_url(register_pk, format=fmt, **MARCH))
    assert response.status_code == 200
    return body_of(response)


def downloaded(client: Client, export: RegisterExport) -> bytes:
    response = client.get(reverse("documents:export_file", args=[export.pk]))
    assert response.status_code == 200, response.status_code
    return body_of(response)


def without_printing_time(pages: list[str]) -> list[str]:
    """The footer says when and by whom it was printed; everything else must be the same."""
    return ["\n".join(line for line in page.splitlines() if "In lúc" not in line) for page in pages]


# --- below the threshold: as before -----------------------------------------------------------------------


def test_below_the_threshold_the_register_page_downloads_at_once(march: March, client: Client) -> None:
    client.force_login(march.desk.office.clerk)
    with override_settings(REGISTER_EXPORT_INLINE_ROWS=4):  # exactly the period's four documents
        response = queue_from_the_register_page(client, march.desk.incoming.pk)
        assert response.status_code == 200 and response["Content-Type"] == exports.MEDIA_TYPES["xlsx"]
        symbols = [row[3] for row in xlsx_rows(body_of(response))[7:]]
        assert symbols == ["12/2025/NQ-HĐND", "05/CAT-PV01", "215/SNV-TCBC", "318/STC-NS"]
        printed = queue_from_the_register_page(client, march.desk.incoming.pk, "print")
        assert printed.status_code == 302 and printed["Location"] == export_url(
            march.desk.incoming.pk, **{"from": "01/03/2025", "to": "31/03/2025", "format": "print"}
        )
    assert not RegisterExport.objects.exists()


# --- above it: queued, prepared, told, downloaded ----------------------------------------------------------


def test_a_long_period_is_queued_prepared_by_the_worker_and_equals_the_inline_file(
    march: March, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    clerk = march.desk.office.clerk
    client.force_login(clerk)
    client.cookies["vanphong_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # the test backend runs the task at once
        response = queue_from_the_register_page(client, march.desk.incoming.pk)
    assert len(callbacks) == 1
    export = RegisterExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:export_list") + f"#export-{export.pk}"
    assert (export.requester, export.register, export.start, export.end) == (
        clerk, march.desk.incoming, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31),
    )  # fmt: skip
    assert export.state == ExportState.DONE and export.rows == 4 and export.file_format == "xlsx"
    assert export.size and len(export.sha256) == 64 and export.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "The export was queued" in page and "My exports" in page
    assert f'id="export-{export.pk}"' in page and reverse("documents:export_file", args=[export.pk]) in page
    assert xlsx_rows(downloaded(client, export)) == xlsx_rows(inline(client, march.desk.incoming.pk, "xlsx"))
    notice = Notification.objects.get(recipient=clerk)
    assert notice.key == f"register-export-{export.pk}-ready" and notice.kind == "documents.export_ready"
    assert notice.url == reverse("documents:export_list") + f"#export-{export.pk}"
    assert "Sổ văn bản đến" in notice.subject and "4" in notice.subject and "01/03/2025" in notice.subject


def test_the_pdf_prepared_in_the_background_is_the_inline_pdf(march: March, client: Client) -> None:
    clerk = march.desk.office.clerk
    client.force_login(clerk)
    queue_from_the_register_page(client, march.desk.incoming.pk, "pdf")
    export = RegisterExport.objects.get(state=ExportState.QUEUED)
    assert build_register_export.call(export.pk).startswith("4 documents, ")
    export.refresh_from_db()
    queued_pages, queued_text = pdf_text(downloaded(client, export))
    inline_pages, inline_text = pdf_text(inline(client, march.desk.incoming.pk, "pdf"))
    assert queued_pages == inline_pages
    assert without_printing_time(queued_text) == without_printing_time(inline_text)
    assert "215/SNV-TCBC" in "".join(queued_text) and "88/UBND-KT" not in "".join(queued_text)
    assert build_register_export.call(export.pk) == "nothing to do"  # run twice: nothing more happens


def test_queuing_the_same_export_twice_returns_the_pending_one(march: March, client: Client) -> None:
    desk = march.desk
    client.force_login(desk.office.clerk)
    first = queue_from_the_register_page(client, desk.incoming.pk)
    second = queue_from_the_register_page(client, desk.incoming.pk)
    assert first["Location"] == second["Location"]
    api = client.post("/api/documents/exports", data=json.dumps({"register_id": desk.incoming.pk, "format": "xlsx",
                      "from": "2025-03-01", "to": "2025-03-31"}), content_type="application/json",
                      headers=bearer(desk.office.clerk))  # fmt: skip
    export = RegisterExport.objects.get()
    assert api.status_code == 202 and api.json()["id"] == export.pk and api.json()["state"] == "queued"
    queue_from_the_register_page(client, desk.incoming.pk, "pdf")  # another format is another export
    other_period = client.post(reverse("documents:register_export", args=[desk.incoming.pk]),
                               {"format": "xlsx", "from": "01/01/2025", "to": "31/03/2025"})  # fmt: skip
    assert other_period.status_code == 302
    assert RegisterExport.objects.count() == 3
    queued = AuditEntry.objects.filter(action=export_services.QUEUE_ACTION)
    assert queued.count() == 3 and queued.order_by("seq").first().after["documents"] == 4  # type: ignore[union-attr]
    build_register_export.call(export.pk)
    queue_from_the_register_page(client, desk.incoming.pk)  # once done, asking again makes a fresh one
    assert RegisterExport.objects.filter(file_format="xlsx", start=datetime.date(2025, 3, 1)).count() == 2


def test_the_database_refuses_a_second_pending_copy_of_the_same_export(march: March) -> None:
    """What makes two clicks at the same moment safe: the second insert fails and ``queue`` returns the first."""
    desk = march.desk
    same = {"requester": desk.office.clerk, "register": desk.incoming, "start": datetime.date(2025, 3, 1),
            "end": datetime.date(2025, 3, 31), "file_format": "xlsx"}  # fmt: skip
    first = RegisterExport.objects.create(**same, rows=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterExport.objects.create(**same, rows=4)
    RegisterExport.objects.filter(pk=first.pk).update(state=ExportState.FAILED, error="failed")
    RegisterExport.objects.create(**same, rows=4)  # a failed one does not hold the place


def test_a_plain_get_asks_before_queuing(march: March, client: Client) -> None:
    client.force_login(march.desk.office.clerk)
    client.cookies["vanphong_language"] = "en"
    page = client.get(export_url(march.desk.incoming.pk, format="xlsx", **MARCH))
    text = page.content.decode()
    assert page.status_code == 200 and 'id="export-too-long"' in text and "holds 4 documents" in text
    assert 'method="post"' in text and not RegisterExport.objects.exists()  # a GET changes nothing


# --- who may download ---------------------------------------------------------------------------------------


def test_only_the_requester_sees_and_downloads_the_export_and_each_download_is_audited(
    march: March, client: Client
) -> None:
    desk = march.desk
    client.force_login(desk.office.clerk)
    queue_from_the_register_page(client, desk.incoming.pk)
    export = RegisterExport.objects.get()
    file_url = reverse("documents:export_file", args=[export.pk])
    assert client.get(file_url).status_code == 404  # not ready yet
    polling = 'hx-trigger="every 10s"'
    assert polling in client.get(reverse("documents:export_list")).content.decode()  # reloads until ready
    build_register_export.call(export.pk)
    assert polling not in client.get(reverse("documents:export_list")).content.decode()
    downloaded(client, export)
    entry = AuditEntry.objects.filter(action=exports.EXPORT_ACTION).get()
    assert entry.actor == desk.office.clerk and entry.object_id == str(desk.incoming.pk)
    assert entry.after == {"from": "2025-03-01", "to": "2025-03-31", "format": "xlsx", "documents": 4,
                           "prepared": export.pk}  # fmt: skip
    for other in (desk.office.chief, desk.office.root_admin, march.new_deputy):  # the register's leader too
        client.force_login(other)
        assert client.get(file_url).status_code == 404
        assert f"export-{export.pk}" not in client.get(reverse("documents:export_list")).content.decode()
        api = client.get(f"/api/documents/exports/{export.pk}/file", headers=bearer(other))
        assert api.status_code == 404
        assert client.get("/api/documents/exports", headers=bearer(other)).json() == []
    assert AuditEntry.objects.filter(action=exports.EXPORT_ACTION).count() == 1


# --- permission when the worker runs --------------------------------------------------------------------------


def test_what_the_requester_may_see_is_decided_when_the_worker_runs(march: March, client: Client) -> None:
    desk = march.desk
    client.force_login(march.new_deputy)
    queue_from_the_register_page(client, desk.incoming.pk)  # three documents for the uncleared deputy: queued
    export = RegisterExport.objects.get()
    assert export.rows == 3
    march.new_deputy.person.clearance = 1  # type: ignore[union-attr]
    march.new_deputy.person.save(update_fields=["clearance"])  # type: ignore[union-attr]
    build_register_export.call(export.pk)
    export.refresh_from_db()
    assert export.rows == 4  # cleared meanwhile: the secret document is in the file, as it would be inline
    symbols = [row[3] for row in xlsx_rows(downloaded(client, export))[7:]]
    assert "05/CAT-PV01" in symbols


def test_a_requester_who_lost_the_register_gets_a_failed_export_saying_so(march: March, client: Client) -> None:
    desk = march.desk
    client.force_login(march.new_deputy)
    queue_from_the_register_page(client, desk.incoming.pk)
    export = RegisterExport.objects.get()
    grant = RoleGrant.objects.get(person=march.new_deputy.person, role=Role.DEPUTY)
    roles.revoke_role(SYSTEM, grant)
    assert build_register_export.call(export.pk) == "failed: no_access"
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.error == "no_access" and not export.file_name
    assert client.get(reverse("documents:export_file", args=[export.pk])).status_code == 404
    with translation.override("en"):
        assert export_services.error_message(export) == (
            "You no longer have access to this register, so the export was not made."
        )
    client.cookies["vanphong_language"] = "en"
    page = client.get(reverse("documents:export_list")).content.decode()
    assert "You no longer have access to this register" in page and 'data-state="failed"' in page
    notice = Notification.objects.get(recipient=march.new_deputy)
    assert notice.key == f"register-export-{export.pk}-failed" and notice.kind == "documents.export_failed"
    assert not settings.REGISTER_EXPORTS_DIR.exists() or not any(settings.REGISTER_EXPORTS_DIR.iterdir())


# --- removal after N days ----------------------------------------------------------------------------------


def test_files_are_removed_after_their_days_by_the_periodic_job(march: March, client: Client) -> None:
    desk = march.desk
    client.force_login(desk.office.clerk)
    queue_from_the_register_page(client, desk.incoming.pk)
    queue_from_the_register_page(client, desk.incoming.pk, "pdf")
    old, recent = RegisterExport.objects.order_by("pk")
    for export in (old, recent):
        build_register_export.call(export.pk)
        export.refresh_from_db()
    old_file = settings.REGISTER_EXPORTS_DIR / old.file_name
    assert old_file.is_file()
    now = timezone.now()
    RegisterExport.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=7, minutes=1))
    RegisterExport.objects.filter(pk=recent.pk).update(finished_at=now - datetime.timedelta(days=6, hours=23))
    (outcome,) = run_due(now, force=True, only="documents.register_exports")
    assert outcome.ran and not outcome.failed and outcome.result.startswith("1 export files removed")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == ExportState.EXPIRED and not old.file_name and not old_file.exists()
    assert recent.state == ExportState.DONE and (settings.REGISTER_EXPORTS_DIR / recent.file_name).is_file()
    assert client.get(reverse("documents:export_file", args=[old.pk])).status_code == 404
    assert client.get(reverse("documents:export_file", args=[recent.pk])).status_code == 200
    assert export_services.remove_old(now).startswith("0 export files removed")  # idempotent


def test_the_job_fails_an_export_whose_worker_vanished_and_clears_stray_files(march: March, client: Client) -> None:
    desk = march.desk
    client.force_login(desk.office.clerk)
    queue_from_the_register_page(client, desk.incoming.pk)
    export = RegisterExport.objects.get()
    now = timezone.now()
    RegisterExport.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING, started_at=now - datetime.timedelta(hours=7)
    )
    settings.REGISTER_EXPORTS_DIR.mkdir(parents=True, exist_ok=True)
    stray = settings.REGISTER_EXPORTS_DIR / ".writing-abc"
    stray.write_bytes(b"half a workbook")
    old = (now - datetime.timedelta(hours=7)).timestamp()
    os.utime(stray, (old, old))
    assert (
        export_services.remove_old(now) == "0 export files removed, 1 interrupted exports failed, 1 stray files removed"
    )
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and export.error == "interrupted" and not stray.exists()
    assert build_register_export.call(export.pk) == "nothing to do"


def test_the_settings_are_checked_at_start() -> None:
    from vanphong import env

    with pytest.raises(env.ConfigError):
        _read_int("EXPORT_INLINE_ROWS", "-1", 0)
    with pytest.raises(env.ConfigError):
        _read_int("EXPORT_KEEP_DAYS", "0", 1)
    with pytest.raises(env.ConfigError):
        _read_int("EXPORT_KEEP_DAYS", "bảy", 1)
    assert _read_int("EXPORT_INLINE_ROWS", "20000", 0) == 20000


def _read_int(name: str, value: str, minimum: int) -> int:
    from vanphong import env

    old = os.environ.get(f"VANPHONG_{name}")
    os.environ[f"VANPHONG_{name}"] = value
    try:
        return env.get_int(name, 0, minimum=minimum)
    finally:
        if old is None:
            del os.environ[f"VANPHONG_{name}"]
        else:
            os.environ[f"VANPHONG_{name}"] = old


# --- the API ---------------------------------------------------------------------------------------------------


def test_the_api_starts_follows_and_downloads_an_export(march: March, client: Client) -> None:
    desk = march.desk
    headers = bearer(desk.office.clerk)
    url = f"/api/documents/registers/{desk.incoming.pk}/export"
    english = {**headers, "Accept-Language": "en"}  # the API speaks the caller's language
    refused = client.get(url, {"format": "xlsx", "from": "2025-03-01", "to": "2025-03-31"}, headers=english)
    assert refused.status_code == 400 and refused.json()["code"] == "too_many_rows"
    assert "4 documents" in refused.json()["message"] and not RegisterExport.objects.exists()
    body = {"register_id": desk.incoming.pk, "format": "pdf", "from": "2025-03-01", "to": "2025-03-31"}
    started = client.post("/api/documents/exports", data=json.dumps(body), content_type="application/json",
                          headers=headers)  # fmt: skip
    assert started.status_code == 202
    data = started.json()
    assert data["state"] == "queued" and data["from"] == "2025-03-01" and data["to"] == "2025-03-31"
    assert data["documents"] == 4 and data["file_url"] is None and data["register_name"] == "Sổ văn bản đến"
    one = f"/api/documents/exports/{data['id']}"
    assert client.get(f"{one}/file", headers=headers).status_code == 404
    build_register_export.call(data["id"])
    done = client.get(one, headers=headers).json()
    assert done["state"] == "done" and done["file_url"] == f"{one}/file" and done["size"] > 0
    assert [e["id"] for e in client.get("/api/documents/exports", headers=headers).json()] == [data["id"]]
    file = client.get(f"{one}/file", headers=headers)
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert "215/SNV-TCBC" in "".join(pdf_text(body_of(file))[1])
    entry = AuditEntry.objects.filter(action=exports.EXPORT_ACTION).get()
    assert entry.source == "api" and entry.after["prepared"] == data["id"]
    bad = dict(body, format="docx")
    wrong = client.post("/api/documents/exports", data=json.dumps(bad), content_type="application/json",
                        headers=headers)  # fmt: skip
    assert wrong.status_code == 400 and "format" in wrong.json()["fields"]
    backwards = dict(body, **{"from": "2025-03-31", "to": "2025-03-01"})
    assert client.post("/api/documents/exports", data=json.dumps(backwards), content_type="application/json",
                       headers=headers).status_code == 400  # fmt: skip
    assert RegisterExport.objects.count() == 1


# --- the permission matrices ------------------------------------------------------------------------------


@dataclass
class Shelf:
    """The documents desk with one export of the văn thư's, prepared and ready."""

    world: World
    export: RegisterExport

    def account(self, persona: str) -> Account | None:
        return self.world.account(persona)


@pytest.fixture
def shelf(desk: Desk) -> Shelf:
    world = _build(desk)
    export, _new = export_services.queue(
        desk.actor(desk.office.clerk), desk.incoming, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31),
        "xlsx", rows=2,
    )  # fmt: skip
    export_services.build(export.pk)
    return Shelf(world, export)


def _export_file(s: Shelf) -> str:
    return reverse("documents:export_file", args=[s.export.pk])


def _export_list(s: Shelf) -> str:
    return reverse("documents:export_list")


def _register_export(s: Shelf) -> str:
    return reverse("documents:register_export", args=[s.world.desk.incoming.pk])


YEAR: Any = lambda s: {"format": "xlsx", "from": "01/01/2025", "to": "31/12/2026"}  # noqa: E731

CASES: list[Case] = [
    *rows("export_list", _export_list, {"anonymous": LOGIN, "clerk": 200, "chief": 200, "specialist": 200}),
    *rows("export_list", _export_list, {"clerk": 405}, method="POST"),
    *rows("export_file", _export_file, {"anonymous": LOGIN, "clerk": 200, "chief": 404, "admin": 404}),
    *rows("export_file", _export_file, {"clerk": 405}, method="POST"),
    # the register page's form posts: over the threshold it queues and leads to "My exports"
    *rows(
        "register_export",
        _register_export,
        {"clerk": 302, "chief": 302, "specialist": 404, "anonymous": LOGIN},
        method="POST",
        data=YEAR,
    ),
]


def test_permission_matrix(shelf: Shelf, client: Client) -> None:
    with override_settings(REGISTER_EXPORT_INLINE_ROWS=1):  # the desk's two documents: over it
        assert matrix_failures(CASES, shelf, client) == []


API_ROWS = [
    Row("POST", "/api/documents/exports", "clerk", 202),
    Row("POST", "/api/documents/exports", "specialist", 404),
    Row("GET", "/api/documents/exports", "clerk", 200),
    Row("GET", "/api/documents/exports/{pk}", "clerk", 200),
    Row("GET", "/api/documents/exports/{pk}", "chief", 404),
    Row("GET", "/api/documents/exports/{pk}/file", "clerk", 200),
    Row("GET", "/api/documents/exports/{pk}/file", "chief", 404),
]


@pytest.mark.parametrize("row", API_ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona}")
def test_api_matrix(shelf: Shelf, client: Client, row: Row) -> None:
    desk = shelf.world.desk
    persona = {"clerk": desk.office.clerk, "chief": desk.office.chief, "specialist": desk.office.specialist}
    url = row.route.replace("{pk}", str(shelf.export.pk))
    if row.method == "POST":
        body = {"register_id": desk.incoming.pk, "format": "xlsx", "from": "2025-01-01", "to": "2025-12-31"}
        response = client.post(url, data=json.dumps(body), content_type="application/json",
                               headers=bearer(persona[row.persona]))  # fmt: skip
    else:
        response = client.get(url, headers=bearer(persona[row.persona]))
    assert response.status_code == row.expected, response.content[:300]
    assert client.generic(row.method, url).status_code == 401  # anonymous
