"""Archive files under Decree 30/2020 Art. 30 beyond opening and closing: reopening a closed file with a
reason, capital construction files (hồ sơ xây dựng cơ bản) due three months after the works' final
settlement, the unit keeping a file back (giữ lại) at most two years with the head of the body's consent,
and the 30-day hand-over alert (Appendix VI), which notifies once however often the job runs. Through the
services, the pages and the API."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from vanphong.core.models import AuditEntry
from vanphong.documents import access
from vanphong.documents.models import ArchiveFile, FileState
from vanphong.documents.services import archive
from vanphong.documents.tests import test_archive as basics
from vanphong.documents.tests import test_archive_pages as pages
from vanphong.documents.tests.conftest import Desk
from vanphong.documents.tests.test_api import bearer
from vanphong.documents.tests.test_archive import YEAR, Room, Shelf, _file, _shelf, handled_document
from vanphong.documents.tests.test_views import english as english_client
from vanphong.notices import jobs
from vanphong.notices.models import Notification
from vanphong.registry import registry
from vanphong.rules import archive_files as rules
from vanphong.testing import race

room = basics.room  # the fixture: a minimal office whose văn thư keeps an open file (transactional tests)
D = datetime.date
DAY = datetime.timedelta(days=1)
JOB = "documents.handover_reminders"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The services' messages are matched in English; the installation speaks Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def shelf(desk: Desk) -> Shelf:
    return _shelf(desk)


def _closed(shelf: Shelf) -> ArchiveFile:
    """The monthly reports file, with one report in it, closed today: due at the archive in a year."""
    handler = shelf.actor("handler")
    report = handled_document(shelf.desk, "45/BC-SNV", pages=6, dated=timezone.localdate())
    archive.add_document(handler, shelf.reports, report)
    return archive.close_file(handler, shelf.reports)


# --- reopening ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_whoever_may_close_a_file_reopens_it_with_a_reason_until_it_is_handed_over(shelf: Shelf) -> None:
    closed = _closed(shelf)
    due, today = closed.handover_due, timezone.localdate()
    assert due == rules.handover_due(today)
    for persona in ("clerk", "uncleared", "other_head"):  # keeps the archive; a colleague; another unit
        with pytest.raises(PermissionDenied):
            archive.reopen_file(shelf.actor(persona), closed, reason="Bổ sung tài liệu")
    with pytest.raises(ValidationError) as caught:
        archive.reopen_file(shelf.actor("handler"), closed, reason="   ")
    assert set(caught.value.message_dict) == {"reason"}
    closed.refresh_from_db()
    assert closed.state == FileState.CLOSED and closed.handover_due == due  # nothing changed

    reason = "Bổ sung Báo cáo số 52/BC-SNV về kết quả thực hiện Nghị quyết 18-NQ/TW bị sót khi lập hồ sơ"
    reopened = archive.reopen_file(shelf.actor("head"), closed, reason=reason)
    assert reopened.state == FileState.OPEN and reopened.reopen_reason == reason and reopened.reopened_on == today
    assert (reopened.closed_on, reopened.handover_due, reopened.doc_total, reopened.page_total) == (None,) * 4
    entry = AuditEntry.objects.get(action="documents.archive_file.reopen")
    assert entry.after == {"reason": reason} and entry.before["handover_due"] == due.isoformat()  # type: ignore[union-attr]
    assert entry.actor == shelf.desk.head
    with pytest.raises(ValidationError, match="only a closed file can be reopened"):
        archive.reopen_file(shelf.actor("handler"), reopened, reason=reason)

    late = handled_document(shelf.desk, "52/BC-SNV", pages=3, dated=timezone.localdate())
    archive.add_document(shelf.actor("handler"), reopened, late)
    again = archive.close_file(shelf.actor("handler"), reopened)
    assert (again.doc_total, again.page_total, again.handover_due) == (2, 9, rules.handover_due(today))
    assert again.reopen_reason == reason  # the last reopening stays on the record

    done = archive.hand_over(shelf.actor("clerk"), again, on=today, record="12/BB-VPTU")
    with pytest.raises(ValidationError, match=r"handed over to the agency archive on .*; it cannot be reopened"):
        archive.reopen_file(shelf.actor("chief"), done, reason=reason)
    done.refresh_from_db()
    assert done.state == FileState.HANDED_OVER and done.closed_on == today


@pytest.mark.django_db(transaction=True)
def test_two_reopenings_at_once_reopen_the_file_once(room: Room) -> None:
    archive.add_document(room.clerk, room.archive_file, room.documents[0])
    closed = archive.close_file(room.clerk, room.archive_file)
    won, lost = race(
        *(lambda: archive.reopen_file(room.clerk, closed, reason="Bổ sung báo cáo tháng").state for _ in range(2))
    )
    assert won == [FileState.OPEN] and len(lost) == 1
    assert AuditEntry.objects.filter(action="documents.archive_file.reopen").count() == 1


# --- capital construction files (hồ sơ xây dựng cơ bản) ---------------------------------------------------------


@pytest.mark.django_db
def test_a_capital_construction_file_is_due_three_months_after_the_final_settlement(desk: Desk) -> None:
    clerk, handler = desk.actor(desk.office.clerk), desk.actor(desk.handler)
    file_list = archive.create_file_list(clerk, desk.office.party_office, YEAR)
    works = archive.FileData(
        title="Hồ sơ công trình cải tạo, nâng cấp Kho lưu trữ Tỉnh ủy Sơn Hà",
        unit=desk.unit,
        retention_years=None,
        handler=desk.handler.person,
        capital_construction=True,
    )
    building = archive.add_file(clerk, file_list, works)
    ordinary = archive.add_file(
        clerk, file_list, _file(desk, "Hồ sơ hội nghị giao ban văn phòng", 10, desk.handler.person)
    )
    archive.approve_file_list(desk.actor(desk.office.chief), file_list)
    building, ordinary = archive.open_file(handler, building), archive.open_file(handler, ordinary)
    decision = handled_document(desk, "1208/QĐ-UBND", pages=14, dated=timezone.localdate())
    archive.add_document(handler, building, decision)

    with pytest.raises(ValidationError) as caught:
        archive.close_file(handler, building)
    assert set(caught.value.message_dict) == {"settled_on"}
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="in the future"):
        archive.set_settlement(handler, building, settled_on=today + DAY)
    with pytest.raises(ValidationError, match="Only a capital construction file"):
        archive.set_settlement(handler, ordinary, settled_on=today)
    with pytest.raises(PermissionDenied):
        archive.set_settlement(clerk, building, settled_on=today)

    settled = today - datetime.timedelta(days=40)
    building = archive.set_settlement(handler, building, settled_on=settled)
    entry = AuditEntry.objects.get(action="documents.archive_file.settlement")
    assert entry.after == {"settled_on": settled.isoformat()} and entry.before == {"settled_on": None}
    closed = archive.close_file(handler, building)
    assert closed.handover_due == rules.add_months(settled, 3) == closed.due_by_decree  # Art. 30 para. 1(b)
    assert closed.handover_due < rules.handover_due(today)  # sooner than an ordinary file's year
    with pytest.raises(ValidationError, match="before it is closed"):
        archive.set_settlement(handler, closed, settled_on=today)

    following = archive.create_file_list(clerk, desk.office.party_office, YEAR + 1)
    copy = following.files.get(number=building.number)
    assert copy.capital_construction and copy.settled_on is None  # next year's works settle anew


# --- keeping a file back (giữ lại) ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_head_of_the_body_lets_the_unit_keep_a_file_at_most_two_years(shelf: Shelf) -> None:
    closed = _closed(shelf)
    due = closed.handover_due
    assert due is not None
    reason = "Phòng Tổng hợp còn khai thác để xây dựng báo cáo tổng kết nhiệm kỳ 2025–2030"
    for persona in ("handler", "head", "clerk"):  # the unit asks; the head of the body consents
        with pytest.raises(PermissionDenied):
            archive.hold_back(shelf.actor(persona), closed, until=due + 30 * DAY, reason=reason)
    limit = rules.hold_back_limit(due)
    with pytest.raises(ValidationError, match="at most two years") as caught:
        archive.hold_back(shelf.actor("chief"), closed, until=limit + DAY, reason=reason)
    assert set(caught.value.message_dict) == {"until"}
    with pytest.raises(ValidationError) as caught:
        archive.hold_back(shelf.actor("chief"), closed, until=due, reason=" ")
    assert set(caught.value.message_dict) == {"until", "reason"}
    closed.refresh_from_db()
    assert closed.held_until is None and closed.handover_due == due

    until = rules.add_months(due, 6)
    kept = archive.hold_back(shelf.actor("chief"), closed, until=until, reason=reason)
    assert (kept.held_until, kept.handover_due, kept.due_by_decree) == (until, until, due)
    assert kept.hold_approved_by == shelf.desk.office.chief.person and kept.hold_approved_on == timezone.localdate()
    entry = AuditEntry.objects.get(action="documents.archive_file.hold_back")
    assert entry.after == {"held_until": until.isoformat(), "due_by_decree": due.isoformat(), "reason": reason}

    def reminded(day: datetime.date) -> list[int]:
        return list(access.files_due_for_hand_over(shelf.desk.office.clerk, today=day).values_list("pk", flat=True))

    assert reminded(due) == [] and reminded(until - 10 * DAY) == [closed.pk]  # due when it is kept until
    deputy = shelf.desk.actor(shelf.desk.office.deputy)
    longer = archive.hold_back(deputy, kept, until=limit, reason=reason + " và sơ kết")
    assert longer.handover_due == limit and longer.hold_approved_by == shelf.desk.office.deputy.person

    reopened = archive.reopen_file(shelf.actor("handler"), longer, reason="Bổ sung báo cáo quý IV")
    assert (reopened.held_until, reopened.hold_reason, reopened.hold_approved_by) == (None, "", None)
    with pytest.raises(ValidationError, match="only a closed file not yet handed over"):
        archive.hold_back(shelf.actor("chief"), reopened, until=until, reason=reason)

    handler = shelf.actor("handler")
    archive.open_file(handler, shelf.invitations)
    invitation = handled_document(shelf.desk, "9/GM-SNV", pages=1, dated=timezone.localdate())
    archive.add_document(handler, shelf.invitations, invitation)
    short = archive.close_file(handler, shelf.invitations)
    with pytest.raises(ValidationError, match="stay with the unit"):
        archive.hold_back(shelf.actor("chief"), short, until=timezone.localdate() + DAY, reason=reason)


# --- the 30-day hand-over alert (Appendix VI) -------------------------------------------------------------------


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))


@pytest.mark.django_db
def test_the_alert_job_runs_twice_and_notifies_the_handler_and_the_head_once(shelf: Shelf) -> None:
    closed = _closed(shelf)
    due = closed.handover_due
    assert due is not None
    job = registry.jobs[JOB]
    assert job.run(_at(due - 31 * DAY)) == "archive files: 0 hand-over alerts, 0 late notices"

    assert job.run(_at(due - 30 * DAY)) == "archive files: 2 hand-over alerts, 0 late notices"
    assert job.run(_at(due - 29 * DAY)) == "archive files: 0 hand-over alerts, 0 late notices"  # once only
    soon = Notification.objects.filter(kind="documents.handover_due")
    assert sorted(soon.values_list("recipient_id", flat=True)) == sorted([shelf.desk.handler.pk, shelf.desk.head.pk])
    notice = soon.first()
    assert notice is not None and closed.code in notice.subject and due.strftime("%d/%m/%Y") in notice.subject
    assert notice.url == reverse("documents:archive_file", args=[closed.pk])

    assert job.run(_at(due + DAY)) == "archive files: 0 hand-over alerts, 2 late notices"
    assert job.run(_at(due + 40 * DAY)) == "archive files: 0 hand-over alerts, 0 late notices"
    assert Notification.objects.filter(kind="documents.handover_overdue").count() == 2

    # Kept back, the file is due later: alerted afresh before the new day.
    until = due + 90 * DAY
    archive.hold_back(shelf.actor("chief"), closed, until=until, reason="Còn khai thác phục vụ kiểm tra")
    assert job.run(_at(until - 10 * DAY)) == "archive files: 2 hand-over alerts, 0 late notices"
    others = Notification.objects.filter(recipient__in=[shelf.desk.other_head, shelf.desk.office.clerk])
    assert not others.exists()

    archive.hand_over(shelf.actor("clerk"), closed, on=timezone.localdate(), record="15/BB-VPTU")
    assert job.run(_at(until + DAY)) == "archive files: 0 hand-over alerts, 0 late notices"


@pytest.mark.django_db
def test_the_runner_runs_the_alert_twice_and_it_notifies_once(shelf: Shelf) -> None:
    closed = _closed(shelf)
    due = closed.handover_due
    assert due is not None
    first = jobs.run_due(_at(due - 5 * DAY), force=True, only=JOB)
    second = jobs.run_due(_at(due - 5 * DAY) + datetime.timedelta(hours=2), force=True, only=JOB)
    assert [o.ran for o in first + second] == [True, True] and not any(o.failed for o in first + second)
    assert first[0].result.startswith("archive files: 2 hand-over alerts")
    assert second[0].result.startswith("archive files: 0 hand-over alerts")
    assert Notification.objects.filter(key__startswith=f"documents.handover_due:{closed.pk}:").count() == 2


# --- the pages ----------------------------------------------------------------------------------------------------


@pytest.fixture
def page_shelf(desk: Desk) -> pages.Shelf:
    return pages._build(desk)


@pytest.mark.django_db
def test_the_file_page_reopens_settles_and_keeps_back(page_shelf: pages.Shelf, client: Client) -> None:
    shelf, desk = page_shelf, page_shelf.desk
    english_client(client).force_login(desk.handler)
    closed_url = reverse("documents:archive_file", args=[shelf.closed.pk])
    page = client.get(closed_url).content.decode()
    assert 'id="reopen-file"' in page and 'id="hold-back"' not in page  # the handler does not consent
    bad = client.post(reverse("documents:archive_file_reopen", args=[shelf.closed.pk]), {"reason": ""})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    reason = "Bổ sung Biên bản kiểm phiếu bầu Ban Chấp hành Đảng bộ tỉnh"
    done = client.post(reverse("documents:archive_file_reopen", args=[shelf.closed.pk]), {"reason": reason})
    assert done.status_code == 302 and done["Location"] == closed_url
    page = client.get(closed_url).content.decode()
    assert 'id="reopen-record"' in page and reason in page and 'id="close-file"' in page

    building_url = reverse("documents:archive_file", args=[shelf.building.pk])
    page = client.get(building_url).content.decode()
    assert 'id="capital-construction"' in page and 'id="settlement"' in page
    archive.add_document(desk.actor(desk.handler), shelf.building, shelf.docs.handled)
    refused = client.post(reverse("documents:archive_file_close", args=[shelf.building.pk]))
    assert refused.status_code == 400 and "final settlement (quyết toán)" in refused.content.decode()
    settled = timezone.localdate() - datetime.timedelta(days=20)
    set_url = reverse("documents:archive_file_settlement", args=[shelf.building.pk])
    assert client.post(set_url, {"settled_on": "31/02/2026"}).status_code == 400
    assert client.post(set_url, {"settled_on": settled.strftime("%d/%m/%Y")}).status_code == 302
    assert client.post(reverse("documents:archive_file_close", args=[shelf.building.pk])).status_code == 302
    shelf.building.refresh_from_db()
    assert shelf.building.handover_due == rules.add_months(settled, 3)
    page = client.get(building_url).content.decode()
    assert settled.strftime("%d/%m/%Y") in page and "three months after the final settlement" in page

    client.force_login(desk.office.chief)
    page = client.get(building_url).content.decode()
    assert 'id="hold-back"' in page and rules.hold_back_limit(rules.add_months(settled, 3)).strftime("%d/%m/%Y") in page
    hold_url = reverse("documents:archive_file_hold_back", args=[shelf.building.pk])
    due = rules.add_months(settled, 3)
    too_long = client.post(hold_url, {"until": (due + 800 * DAY).strftime("%d/%m/%Y"), "reason": "Còn khai thác"})
    assert too_long.status_code == 400 and "at most two years" in too_long.content.decode()
    until = rules.add_months(due, 12)
    kept_reason = "Ban Quản lý dự án còn dùng để thanh tra, kiểm toán công trình"
    kept = client.post(hold_url, {"until": until.strftime("%d/%m/%Y"), "reason": kept_reason})
    assert kept.status_code == 302
    page = client.get(building_url).content.decode()
    assert 'id="hold-back-record"' in page and kept_reason in page and "Trần Văn Bình" in page
    assert 'id="held-back"' in page and until.strftime("%d/%m/%Y") in page

    client.force_login(desk.office.clerk)  # the văn thư adds a capital construction file to the list
    added = client.post(
        reverse("documents:archive_file_new", args=[shelf.file_list.pk]),
        {"title": "Hồ sơ công trình xây dựng Hội trường Tỉnh ủy", "unit": desk.unit.pk, "retention_years": "",
         "rights": "open", "capital_construction": "on"},
    )  # fmt: skip
    assert added.status_code == 302
    assert shelf.file_list.files.get(title="Hồ sơ công trình xây dựng Hội trường Tỉnh ủy").capital_construction


# --- the API -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_reopens_settles_and_keeps_back(page_shelf: pages.Shelf, client: Client) -> None:
    shelf, desk = page_shelf, page_shelf.desk
    base = "/api/documents/archive"

    def post(url: str, account: Any, body: Any, expected: int = 200) -> Any:
        response = client.post(
            base + url,
            data=json.dumps(body),
            content_type="application/json",
            headers={**bearer(account), "Accept-Language": "en"},
        )
        assert response.status_code == expected, response.content[:300]
        return response.json()

    created = post(
        f"/lists/{shelf.file_list.pk}/files",
        desk.office.clerk,
        {"title": "Hồ sơ công trình Nhà khách Tỉnh ủy", "unit_id": desk.unit.pk, "capital_construction": True},
        201,
    )
    assert created["capital_construction"] and created["settled_on"] is None

    settled = timezone.localdate() - datetime.timedelta(days=3)
    body = post(f"/files/{shelf.building.pk}/settlement", desk.handler, {"settled_on": settled.isoformat()})
    assert body["settled_on"] == settled.isoformat()

    reason = "Bổ sung Tờ trình số 15-TTr/VPTU"
    reopened = post(f"/files/{shelf.closed.pk}/reopen", desk.head, {"reason": reason})
    assert reopened["state"] == "open" and reopened["reopen_reason"] == reason and reopened["handover_due"] is None
    again = post(f"/files/{shelf.closed.pk}/reopen", desk.head, {"reason": reason}, 400)
    assert "only a closed file can be reopened" in again["message"] or again["fields"]
    closed = post(f"/files/{shelf.closed.pk}/close", desk.handler, {})
    due = datetime.date.fromisoformat(closed["handover_due"])
    assert closed["due_by_decree"] == closed["handover_due"] and closed["held_until"] is None

    until = rules.add_months(due, 3)
    kept = post(
        f"/files/{shelf.closed.pk}/hold-back",
        desk.office.chief,
        {"until": until.isoformat(), "reason": "Còn khai thác"},
    )
    assert (kept["held_until"], kept["handover_due"], kept["due_by_decree"]) == (
        until.isoformat(),
        until.isoformat(),
        due.isoformat(),
    )
    assert kept["hold_approved_by"] == "Trần Văn Bình" and kept["hold_reason"] == "Còn khai thác"
    too_long = post(
        f"/files/{shelf.closed.pk}/hold-back",
        desk.office.chief,
        {"until": (due + 800 * DAY).isoformat(), "reason": "Còn khai thác"},
        400,
    )
    assert set(too_long["fields"]) == {"until"}

    handed = post(
        f"/files/{shelf.closed.pk}/hand-over",
        desk.office.clerk,
        {"on": timezone.localdate().isoformat(), "record": "20/BB-VPTU"},
    )
    assert handed["state"] == "handed_over"
    refused = post(f"/files/{shelf.closed.pk}/reopen", desk.handler, {"reason": reason}, 400)
    assert "cannot be reopened" in json.dumps(refused, ensure_ascii=False)
    assert ArchiveFile.objects.get(pk=shelf.closed.pk).state == FileState.HANDED_OVER
