"""Archive files (hồ sơ) in the API: the permission matrix for every operation under
/api/documents/archive (allowed, 403, 404, anonymous 401), and one file's life through the API with its
places kept gap-free and a secret document never listed for whoever may not see it."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from vanphong.api import api
from vanphong.documents.models import ArchiveFile, FileItem, FileList, FileState, Secrecy
from vanphong.documents.services import incoming
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.documents.tests.test_api import bearer
from vanphong.documents.tests.test_archive_pages import YEAR, Shelf
from vanphong.documents.tests.test_archive_pages import _build as build_shelf
from vanphong.documents.tests.test_views import _build as build_documents

pytestmark = pytest.mark.django_db

BASE = "/api/documents/archive"


@pytest.fixture
def shelf(desk: Desk) -> Shelf:
    return build_shelf(desk)


@dataclass(frozen=True)
class ApiRow:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    target: str = ""  # the shelf's list, file or item the {pk} stands for
    body: Callable[[Shelf], Any] | dict[str, Any] | None = None
    document: str = "handled"  # the document {document_id} stands for (a document of ``shelf.docs``)

    def url(self, shelf: Shelf) -> str:
        url = self.route
        if self.target:
            url = url.replace("{pk}", str(getattr(shelf, self.target).pk))
        return url.replace("{document_id}", str(getattr(shelf.docs, self.document).pk))


NEW_LIST = lambda s: {"organization_id": s.desk.office.party_office.pk, "year": YEAR - 1}  # noqa: E731
TAKEN_LIST = lambda s: {"organization_id": s.desk.office.party_office.pk, "year": YEAR}  # noqa: E731
NEW_FILE = lambda s: {  # noqa: E731
    "title": "Hồ sơ tiếp nhận, xử lý đơn thư gửi Thường trực Tỉnh ủy", "unit_id": s.desk.unit.pk,
    "handler_id": s.desk.handler.person_id, "retention_years": 10, "rights": "restricted",
}  # fmt: skip
FILE_ELSEWHERE = lambda s: {"title": "Hồ sơ mượn đơn vị", "unit_id": s.desk.office.home_affairs.pk}  # noqa: E731
PUT_HANDLED = lambda s: {"document_id": s.docs.handled.pk, "note": "Bản chính"}  # noqa: E731
PUT_UNSEEN = lambda s: {"document_id": s.docs.fresh.pk}  # noqa: E731  (waiting for the chief: not the handler's)
HAND_OVER = {"on": timezone.localdate().isoformat(), "record": "05/BB-VPTU"}
REOPEN = {"reason": "Bổ sung biên bản kiểm phiếu bầu cử còn thiếu"}
SETTLED = {"settled_on": (timezone.localdate() - datetime.timedelta(days=12)).isoformat()}
HOLD = lambda s: {  # noqa: E731  (half a year past the day it is due)
    "until": (s.closed.handover_due + datetime.timedelta(days=180)).isoformat(),
    "reason": "Phòng Tổng hợp còn khai thác để xây dựng báo cáo tổng kết nhiệm kỳ",
}
HOLD_TOO_LONG = lambda s: {  # noqa: E731
    "until": (s.closed.handover_due + datetime.timedelta(days=2 * 366 + 1)).isoformat(),
    "reason": "Còn khai thác",
}

L, LS, F = f"{BASE}/lists", f"{BASE}/lists/{{pk}}", f"{BASE}/files/{{pk}}"
API_ROWS = [
    ApiRow("GET", L, "clerk", 200),
    ApiRow("GET", L, "handler", 200),
    ApiRow("POST", L, "clerk", 201, body=NEW_LIST),
    ApiRow("POST", L, "chief", 201, body=NEW_LIST),
    ApiRow("POST", L, "clerk", 400, body=TAKEN_LIST),
    ApiRow("POST", L, "handler", 403, body=NEW_LIST),
    ApiRow("POST", L, "specialist", 403, body=NEW_LIST),
    ApiRow("POST", L, "clerk", 404, body=lambda s: {"organization_id": 10**9, "year": YEAR}),
    ApiRow("GET", LS, "clerk", 200, "file_list"),
    ApiRow("GET", LS, "chief", 200, "file_list"),
    ApiRow("GET", LS, "handler", 404, "file_list"),
    ApiRow("GET", LS, "specialist", 404, "file_list"),
    ApiRow("POST", f"{LS}/approve", "chief", 200, "draft"),
    ApiRow("POST", f"{LS}/approve", "deputy", 200, "draft"),
    ApiRow("POST", f"{LS}/approve", "chief", 400, "file_list"),  # approved already
    ApiRow("POST", f"{LS}/approve", "clerk", 403, "draft"),
    ApiRow("POST", f"{LS}/approve", "handler", 404, "draft"),
    ApiRow("POST", f"{LS}/files", "clerk", 201, "file_list", NEW_FILE),
    ApiRow("POST", f"{LS}/files", "chief", 201, "file_list", NEW_FILE),
    ApiRow("POST", f"{LS}/files", "clerk", 400, "file_list", FILE_ELSEWHERE),
    ApiRow("POST", f"{LS}/files", "handler", 404, "file_list", NEW_FILE),
    ApiRow("POST", f"{LS}/files", "specialist", 404, "file_list", NEW_FILE),
    ApiRow("GET", F, "clerk", 200, "open_file"),
    ApiRow("GET", F, "handler", 200, "open_file"),
    ApiRow("GET", F, "head", 200, "open_file"),
    ApiRow("GET", F, "uncleared", 200, "open_file"),
    ApiRow("GET", F, "other_head", 404, "open_file"),
    ApiRow("GET", F, "specialist", 404, "open_file"),
    ApiRow("GET", F, "admin", 404, "open_file"),
    ApiRow("POST", f"{F}/open", "handler", 200, "planned"),
    ApiRow("POST", f"{F}/open", "head", 200, "planned"),
    ApiRow("POST", f"{F}/open", "handler", 400, "open_file"),
    ApiRow("POST", f"{F}/open", "clerk", 403, "planned"),
    ApiRow("POST", f"{F}/open", "uncleared", 403, "planned"),
    ApiRow("POST", f"{F}/open", "specialist", 404, "planned"),
    ApiRow("POST", f"{F}/close", "handler", 200, "open_file"),
    ApiRow("POST", f"{F}/close", "head", 200, "open_file"),
    ApiRow("POST", f"{F}/close", "handler", 400, "spare"),  # empty
    ApiRow("POST", f"{F}/close", "clerk", 403, "open_file"),
    ApiRow("POST", f"{F}/close", "uncleared", 403, "open_file"),
    ApiRow("POST", f"{F}/close", "specialist", 404, "open_file"),
    ApiRow("POST", f"{F}/hand-over", "clerk", 200, "closed", HAND_OVER),
    ApiRow("POST", f"{F}/hand-over", "clerk", 400, "open_file", HAND_OVER),
    ApiRow("POST", f"{F}/hand-over", "clerk", 400, "closed", {"on": HAND_OVER["on"], "record": " "}),
    ApiRow("POST", f"{F}/hand-over", "handler", 403, "closed", HAND_OVER),
    ApiRow("POST", f"{F}/hand-over", "chief", 403, "closed", HAND_OVER),
    ApiRow("POST", f"{F}/hand-over", "specialist", 404, "closed", HAND_OVER),
    ApiRow("POST", f"{F}/reopen", "handler", 200, "closed", REOPEN),
    ApiRow("POST", f"{F}/reopen", "head", 200, "closed", REOPEN),
    ApiRow("POST", f"{F}/reopen", "chief", 200, "closed", REOPEN),
    ApiRow("POST", f"{F}/reopen", "handler", 400, "closed", {"reason": "  "}),
    ApiRow("POST", f"{F}/reopen", "handler", 400, "open_file", REOPEN),
    ApiRow("POST", f"{F}/reopen", "clerk", 403, "closed", REOPEN),
    ApiRow("POST", f"{F}/reopen", "uncleared", 403, "closed", REOPEN),
    ApiRow("POST", f"{F}/reopen", "specialist", 404, "closed", REOPEN),
    ApiRow("POST", f"{F}/settlement", "handler", 200, "building", SETTLED),
    ApiRow("POST", f"{F}/settlement", "head", 200, "building", SETTLED),
    ApiRow("POST", f"{F}/settlement", "handler", 400, "open_file", SETTLED),  # not capital construction
    ApiRow("POST", f"{F}/settlement", "clerk", 403, "building", SETTLED),
    ApiRow("POST", f"{F}/settlement", "uncleared", 403, "building", SETTLED),
    ApiRow("POST", f"{F}/settlement", "specialist", 404, "building", SETTLED),
    ApiRow("POST", f"{F}/hold-back", "chief", 200, "closed", HOLD),
    ApiRow("POST", f"{F}/hold-back", "deputy", 200, "closed", HOLD),
    ApiRow("POST", f"{F}/hold-back", "chief", 400, "closed", HOLD_TOO_LONG),
    ApiRow("POST", f"{F}/hold-back", "chief", 400, "open_file", HOLD),
    ApiRow("POST", f"{F}/hold-back", "clerk", 403, "closed", HOLD),
    ApiRow("POST", f"{F}/hold-back", "handler", 403, "closed", HOLD),
    ApiRow("POST", f"{F}/hold-back", "head", 403, "closed", HOLD),
    ApiRow("POST", f"{F}/hold-back", "specialist", 404, "closed", HOLD),
    ApiRow("POST", f"{F}/documents", "handler", 201, "spare", PUT_HANDLED),
    ApiRow("POST", f"{F}/documents", "head", 201, "spare", PUT_HANDLED),
    ApiRow("POST", f"{F}/documents", "handler", 400, "open_file", PUT_HANDLED),  # in it already
    ApiRow("POST", f"{F}/documents", "clerk", 403, "spare", PUT_HANDLED),
    ApiRow("POST", f"{F}/documents", "uncleared", 403, "spare", PUT_HANDLED),
    ApiRow("POST", f"{F}/documents", "handler", 404, "spare", PUT_UNSEEN),
    ApiRow("POST", f"{F}/documents", "specialist", 404, "spare", PUT_HANDLED),
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "handler", 200, "open_file"),
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "head", 200, "open_file"),
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "handler", 400, "closed"),
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "clerk", 403, "open_file"),
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "uncleared", 403, "open_file"),
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "handler", 404, "spare"),  # not in that file
    ApiRow("DELETE", f"{F}/documents/{{document_id}}", "specialist", 404, "open_file"),
    ApiRow("GET", f"{BASE}/due", "clerk", 200),
    ApiRow("GET", f"{BASE}/due", "handler", 200),
]  # fmt: skip


def _call(client: Client, method: str, url: str, body: Any = None, **headers: str) -> Any:
    if method == "GET":
        return client.get(url, headers=headers)
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json", headers=headers)


def test_api_matrix(shelf: Shelf, client: Client) -> None:
    failures = []
    for row in API_ROWS:
        with transaction.atomic():
            account = shelf.account(row.persona)
            assert account is not None
            body = row.body(shelf) if callable(row.body) else row.body
            response = _call(client, row.method, row.url(shelf), body, **bearer(account))
            if response.status_code != row.expected:
                failures.append(
                    f"{row.method} {row.route} {row.persona}: {response.status_code} {response.content[:200]!r}"
                )
            elif row.expected >= 400:
                assert set(response.json()) == {"code", "message", "fields"}
            transaction.set_rollback(True)
    assert failures == []


def test_every_archive_operation_refuses_the_anonymous(shelf: Shelf, client: Client) -> None:
    operations = {
        (path, method.upper())
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method in ops
        if path.startswith(BASE)
    }
    assert len(operations) == 15
    for route, method in sorted(operations):
        row = next(r for r in API_ROWS if r.route == route and r.method == method)
        response = _call(client, method, row.url(shelf), row.body(shelf) if callable(row.body) else row.body)
        assert response.status_code == 401, f"{method} {route}"
        assert response.json()["code"] == "not_authenticated"
    assert ArchiveFile.objects.count() == 10 and FileList.objects.count() == 2  # nothing made (5 + 5 copied)


def test_the_list_detail_copies_last_years_files_and_errors_speak_the_callers_language(
    shelf: Shelf, client: Client
) -> None:
    clerk = bearer(shelf.desk.office.clerk)
    body = {"organization_id": shelf.desk.office.party_office.pk, "year": YEAR}
    taken_vi = _call(client, "POST", f"{BASE}/lists", body, **clerk)
    taken_en = _call(client, "POST", f"{BASE}/lists", body, **clerk, **{"Accept-Language": "en"})
    assert taken_vi.status_code == taken_en.status_code == 400
    assert "đã có Danh mục hồ sơ năm" in taken_vi.json()["fields"]["year"][0]
    assert "already has a file list for" in taken_en.json()["fields"]["year"][0]
    elsewhere = _call(
        client,
        "POST",
        f"{BASE}/lists/{shelf.file_list.pk}/files",
        {"title": "Hồ sơ mượn đơn vị", "unit_id": shelf.desk.office.home_affairs.pk},
        **clerk,
        **{"Accept-Language": "en"},
    )
    assert elsewhere.status_code == 400 and set(elsewhere.json()["fields"]) == {"unit_id"}
    assert shelf.file_list.files.count() == 5  # nothing added

    draft = _call(client, "GET", f"{BASE}/lists/{shelf.draft.pk}", **clerk).json()
    assert draft["state"] == "draft" and draft["year"] == YEAR + 1 and draft["files"] == 5
    assert [f["code"] for f in draft["results"]] == [f"{n:02d}.PTH.{YEAR + 1}" for n in (1, 2, 3, 4, 5)]
    assert [f["capital_construction"] for f in draft["results"]] == [False, False, False, False, True]
    assert {f["state"] for f in draft["results"]} == {"planned"}
    found = _call(client, "GET", f"{BASE}/lists?year={YEAR}", **clerk).json()
    assert found["count"] == 1 and found["results"][0]["id"] == shelf.file_list.pk
    assert found["results"][0]["state"] == "approved" and found["results"][0]["approved_by"]
    assert _call(client, "GET", f"{BASE}/lists", **bearer(shelf.desk.handler)).json() == {"count": 0, "results": []}


def test_a_file_through_the_api_keeps_its_places_and_hides_the_secret(desk: Desk, client: Client) -> None:
    """Create the list, add a file, approve, open, file documents, take one out, close and hand over,
    all through the API; the places stay 1, 2, 3… and the secret one is never listed for the uncleared."""
    docs = build_documents(desk)
    office = desk.office
    clerk_actor, chief_actor = desk.actor(office.clerk), desk.actor(office.chief)
    clerk, chief, handler, head = (bearer(a) for a in (office.clerk, office.chief, desk.handler, desk.head))
    uncleared = bearer(office.uncleared)

    def post(url: str, headers: dict[str, str], body: Any = None, expected: int = 200) -> Any:
        response = _call(client, "POST", BASE + url, body, **headers)
        assert response.status_code == expected, response.content[:300]
        return response.json()

    made = post("/lists", clerk, {"organization_id": office.party_office.pk, "year": YEAR}, 201)
    assert made["state"] == "draft" and made["results"] == []  # no list last year: nothing copied
    added = post(f"/lists/{made['id']}/files", clerk,
                 {"title": "Hồ sơ rà soát, sắp xếp tổ chức bộ máy", "unit_id": desk.unit.pk,
                  "handler_id": desk.handler.person_id, "retention_years": None, "keywords": "tổ chức bộ máy"},
                 201)  # fmt: skip
    file_url = f"/files/{added['id']}"
    assert added["code"] == f"01.PTH.{YEAR}" and added["retention_years"] is None and added["state"] == "planned"
    post(file_url + "/open", handler, expected=400)  # the list is not approved yet
    assert post(f"/lists/{made['id']}/approve", chief)["state"] == "approved"
    opened = post(file_url + "/open", handler)
    assert opened["state"] == "open" and opened["opened_on"] == timezone.localdate().isoformat()

    other = incoming.register_incoming(
        clerk_actor, register_sample(desk, number_symbol="31/BC-SNV", abstract="Báo cáo biên chế năm 2026", pages=4)
    )
    secret = incoming.register_incoming(
        clerk_actor,
        register_sample(desk, number_symbol="77/BC-CAT", abstract="Báo cáo an ninh nội bộ quý III",
                        secrecy=Secrecy.MAT, pages=9),
    )  # fmt: skip
    for document in (other, secret):
        incoming.present(clerk_actor, document, leader=office.chief.person)  # type: ignore[arg-type]
        incoming.direct(chief_actor, document, incoming.DirectionData(text="Phòng Tổng hợp lưu.", lead_unit=desk.unit))

    post(file_url + "/documents", handler, {"document_id": docs.handled.pk, "note": "Bản chính"}, 201)
    post(file_url + "/documents", handler, {"document_id": secret.pk}, 404)  # not cleared: no such document
    post(file_url + "/documents", head, {"document_id": secret.pk}, 201)
    filed = post(file_url + "/documents", handler, {"document_id": other.pk}, 201)
    assert [(i["ordinal"], i["document"]["id"]) for i in filed["items"]] == [(1, docs.handled.pk), (3, other.pk)]
    assert filed["documents_seen"] == 2 and "77/BC-CAT" not in json.dumps(filed, ensure_ascii=False)
    seen_by_head = _call(client, "GET", BASE + file_url, **head).json()
    assert [i["document"]["id"] for i in seen_by_head["items"]] == [docs.handled.pk, secret.pk, other.pk]
    for caller in (handler, uncleared):
        listed = _call(client, "GET", BASE + file_url, **caller).json()
        assert secret.pk not in [i["document"]["id"] for i in listed["items"]]
        assert "Báo cáo an ninh nội bộ" not in json.dumps(listed, ensure_ascii=False)
    assert _call(client, "DELETE", f"{BASE}{file_url}/documents/{secret.pk}", **handler).status_code == 404

    out = _call(client, "DELETE", f"{BASE}{file_url}/documents/{docs.handled.pk}", **handler)
    assert out.status_code == 200
    assert [(i["ordinal"], i["document"]["id"]) for i in out.json()["items"]] == [(2, other.pk)]
    ordinals = list(FileItem.objects.filter(archive_file_id=added["id"]).order_by("ordinal").values_list(
        "ordinal", "document_id"))  # fmt: skip
    assert ordinals == [(1, secret.pk), (2, other.pk)]  # the later ones moved up: no gap
    again = post(file_url + "/documents", handler, {"document_id": docs.handled.pk}, 201)
    assert [i["ordinal"] for i in again["items"]] == [2, 3]  # back in, at the next place

    closed = post(file_url + "/close", handler)
    assert closed["state"] == "closed" and closed["doc_total"] == 3 and closed["page_total"] == 2 + 4 + 9
    assert closed["handover_due"] > timezone.localdate().isoformat()  # a year on: kept permanently, it goes
    post(f"{file_url}/documents", handler, {"document_id": docs.fresh.pk}, 404)
    assert _call(client, "GET", f"{BASE}/due", **clerk).json()["count"] == 0  # due in a year: not yet
    ArchiveFile.objects.filter(pk=added["id"]).update(handover_due=timezone.localdate() + datetime.timedelta(days=10))
    due = _call(client, "GET", f"{BASE}/due", **clerk).json()
    assert [(f["code"], f["due_state"]) for f in due["results"]] == [(f"01.PTH.{YEAR}", "due_soon")]
    assert _call(client, "GET", f"{BASE}/due", **bearer(desk.other_head)).json()["count"] == 0

    post(f"{file_url}/hand-over", handler, HAND_OVER, 403)
    handed = post(f"{file_url}/hand-over", clerk, HAND_OVER)
    assert handed["state"] == FileState.HANDED_OVER and handed["handover_record"] == "05/BB-VPTU"
    assert handed["handed_over_on"] == timezone.localdate().isoformat()
    assert _call(client, "GET", f"{BASE}/due", **clerk).json()["count"] == 0
