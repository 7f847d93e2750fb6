"""The meetings pages: a permission matrix over every page and act, secret meeting documents, the
booking refusal shown on the page, check-in by htmx, answering from "my invitations"."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.core.models import Account, AuditEntry
from vanphong.documents.models import Document, Secrecy
from vanphong.documents.services import files as file_services
from vanphong.documents.services import incoming
from vanphong.documents.tests.conftest import SAMPLE_PDF_LINES, register_sample, vietnamese_pdf
from vanphong.documents.tests.test_views import LOGIN, Case, matrix_failures, rows
from vanphong.meetings.models import Conclusion, Meeting, MeetingDocument, Participant, Response, RoomBooking
from vanphong.meetings.services import conclusions
from vanphong.meetings.services import meetings as services
from vanphong.meetings.tests.conftest import Hall

pytestmark = pytest.mark.django_db
EN = {"vanphong_language": "en"}


@dataclass
class World:
    """A convened standing committee meeting with secret and open documents, and a draft one."""

    hall: Hall
    meeting: Meeting  # convened, in the Ban Thường vụ room
    draft: Meeting  # still a draft, in the hall
    open_item: MeetingDocument  # an ordinary incoming document for the meeting
    secret_item: MeetingDocument  # a Mật document for the meeting
    head_part: Participant  # Trưởng Ban Tổ chức's invitation
    uncleared_part: Participant  # a specialist with no clearance, invited
    conclusion: Conclusion  # for the three boards

    def account(self, persona: str) -> Account | None:
        h, office = self.hall, self.hall.office
        return {
            "anonymous": None,
            "clerk": office.clerk,  # văn thư: organises the Tỉnh ủy's meetings, the meeting's secretary
            "leader": h.secretary,  # Bí thư Tỉnh ủy: presides
            "head": h.organisation_head,  # Trưởng Ban Tổ chức: invited, cleared for Tối mật
            "uncleared": office.uncleared,  # invited, no clearance
            "deputy": office.deputy,  # Phó Chánh Văn phòng: invited, cleared for Mật
            "other_head": h.inspection_head,  # Chủ nhiệm UBKT: not invited
            "specialist": office.specialist,  # chuyên viên Sở Nội vụ: outside the Tỉnh ủy
            "board_specialist": None,  # chuyên viên Ban Tổ chức: books the Tỉnh ủy's rooms (made on use)
        }[persona] or (h.board_specialist() if persona == "board_specialist" else None)


def _document(hall: Hall, *, secrecy: int, number: str) -> Document:
    clerk = hall.actor(hall.office.clerk)
    data = register_sample(hall.desk, number_symbol=number, secrecy=secrecy)
    data.files = [file_services.Upload("to-trinh.pdf", vietnamese_pdf(*SAMPLE_PDF_LINES))]
    return incoming.register_incoming(clerk, data)


@pytest.fixture
def world(hall: Hall, settings: Any) -> World:
    settings.SECRET_DOCUMENTS = "full"  # secret documents keep their files here (encrypted at rest)
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.small_room)
    head = services.add_participant(clerk, meeting, services.ParticipantData(person=hall.organisation_head.person))
    uncleared = services.add_participant(clerk, meeting, services.ParticipantData(person=hall.office.uncleared.person))
    services.add_participant(clerk, meeting, services.ParticipantData(person=hall.office.deputy.person))
    item = services.add_agenda_item(clerk, meeting, title="Cho ý kiến về Đề án nhân sự", presenter="Ban Tổ chức")
    open_item = services.attach_document(clerk, meeting, _document(hall, secrecy=Secrecy.NONE, number="101/UBND-VX"))
    secret_item = services.attach_document(
        clerk, meeting, _document(hall, secrecy=Secrecy.MAT, number="55/UBND-NC"), agenda_item=item
    )
    conclusion = conclusions.add_conclusion(
        clerk,
        meeting,
        conclusions.ConclusionData(
            text="Các ban xây dựng kế hoạch thực hiện Nghị quyết.",
            lead_units=[hall.organisation_board, hall.propaganda_board, hall.inspection_board],
            deadline_days=10,
        ),
    )
    services.convene(clerk, meeting)
    meeting.refresh_from_db()
    draft = hall.meeting(title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 5", room=hall.hall, days=10)
    return World(hall, meeting, draft, open_item, secret_item, head, uncleared, conclusion)


UrlFor = Callable[[World], str]


def u(name: str, *args: Callable[[World], Any]) -> UrlFor:
    return lambda w: reverse(f"meetings:{name}", args=[a(w) for a in args])


def m(w: World) -> int:
    return w.meeting.pk


def d(w: World) -> int:
    return w.draft.pk


def opened(w: World) -> int:
    return w.open_item.pk


def secret(w: World) -> int:
    return w.secret_item.pk


def head_part(w: World) -> int:
    return w.head_part.pk


def room(w: World) -> int:
    return w.hall.small_room.pk


def secret_file(w: World) -> int:
    return int(w.secret_item.document.files.values_list("pk", flat=True)[0])


def open_file(w: World) -> int:
    return int(w.open_item.document.files.values_list("pk", flat=True)[0])


def _day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def meeting_data(w: World) -> dict[str, Any]:
    return {"body": w.hall.party.pk, "kind": "working_session", "title": "Làm việc với Ban Thường vụ Thành ủy",
            "day": _day(20), "start": "14:00", "end": "16:30", "room": w.hall.small_room.pk}  # fmt: skip


def edit_data(w: World) -> dict[str, Any]:
    return {**meeting_data(w), "body": w.hall.party.pk, "title": w.draft.title, "day": _day(10), "start": "08:00",
            "end": "11:00", "room": w.hall.hall.pk}  # fmt: skip


def conclusion_ids(w: World) -> dict[str, Any]:
    return {"conclusions": [w.conclusion.pk]}


def conclusion_data(w: World) -> dict[str, Any]:
    return {"text": "Ủy ban Kiểm tra giám sát việc thực hiện.", "lead_units": [w.hall.inspection_board.pk],
            "deadline_unit": "working", "deadline_days": "20"}  # fmt: skip


def booking_data(_w: World) -> dict[str, Any]:
    return {"day": _day(12), "start": "08:00", "end": "09:00", "purpose": "Tập huấn văn thư lưu trữ"}


def room_edit_data(_w: World) -> dict[str, Any]:
    return {"name": "Phòng họp Ban Thường vụ", "building": "Nhà A", "floor": "3", "capacity": "32",
            "equipment": "Màn hình LED, hệ thống họp trực tuyến", "active": "on"}  # fmt: skip


def accept(_w: World) -> dict[str, Any]:
    return {"response": "accepted"}


def present(_w: World) -> dict[str, Any]:
    return {"present": "1"}


def attach(w: World) -> dict[str, Any]:
    return {"document": w.open_item.document_id}


CASES: list[Case] = [
    *rows("list", u("list"), {"anonymous": LOGIN, "clerk": 200, "head": 200, "specialist": 200}),
    *rows("list", u("list"), {"clerk": 405}, method="POST"),
    *rows("invitations", u("invitations"), {"anonymous": LOGIN, "head": 200, "specialist": 200}),
    *rows("new", u("new"), {"anonymous": LOGIN, "clerk": 200, "leader": 200, "head": 403, "uncleared": 403}),
    *rows("new", u("new"), {"clerk": 302, "head": 403}, method="POST", data=meeting_data),
    *rows("new", u("new"), {"clerk": 405}, method="PUT"),
    *rows(
        "meeting",
        u("meeting", m),
        {
            "anonymous": LOGIN,
            "clerk": 200,
            "leader": 200,
            "head": 200,
            "uncleared": 200,
            "other_head": 404,
            "specialist": 404,
        },
    ),
    *rows("meeting", u("meeting", m), {"clerk": 405}, method="POST"),
    *rows("edit", u("edit", d), {"clerk": 200, "leader": 200, "head": 404, "specialist": 404}),
    *rows("edit", u("edit", d), {"clerk": 302}, method="POST", data=edit_data),
    *rows("convene", u("convene", d), {"clerk": 302, "head": 404}, method="POST"),
    *rows("convene", u("convene", m), {"clerk": 400, "head": 403}, method="POST"),  # already convened
    *rows("convene", u("convene", m), {"clerk": 405}),
    *rows("held", u("held", m), {"clerk": 302, "uncleared": 403, "specialist": 404}, method="POST"),
    *rows(
        "cancel",
        u("cancel", m),
        {"clerk": 302, "head": 403},
        method="POST",
        data=lambda w: {"reason": "Trùng lịch tiếp Đoàn công tác Trung ương"},
    ),
    *rows("cancel", u("cancel", m), {"clerk": 400}, method="POST"),  # no reason
    *rows(
        "agenda_add",
        u("agenda_add", m),
        {"clerk": 302, "head": 403, "specialist": 404},
        method="POST",
        data=lambda w: {"title": "Báo cáo tình hình kinh tế - xã hội"},
    ),
    *rows("agenda_add", u("agenda_add", m), {"clerk": 400}, method="POST"),
    *rows(
        "participant_add",
        u("participant_add", m),
        {"clerk": 302, "head": 403},
        method="POST",
        data=lambda w: {"name": "Đỗ Minh Châu", "organization_name": "Sở Tài chính", "role": "invited"},
    ),
    *rows("participant_add", u("participant_add", m), {"clerk": 400}, method="POST", data=lambda w: {"role": "member"}),
    *rows(
        "point_add",
        u("point_add", m),
        {"clerk": 302, "head": 403},
        method="POST",
        data=lambda w: {"name": "Điểm cầu huyện Tân Lạc", "place": "Hội trường Huyện ủy"},
    ),
    *rows(
        "respond",
        u("respond", m, head_part),
        {"head": 302, "clerk": 302, "uncleared": 403, "specialist": 404},
        method="POST",
        data=accept,
    ),
    *rows("respond", u("respond", m, head_part), {"head": 400}, method="POST", data=lambda w: {"response": "declined"}),
    *rows("respond", u("respond", m, head_part), {"head": 405}),
    *rows(
        "check_in",
        u("check_in", m, head_part),
        {"clerk": 302, "leader": 302, "head": 403, "specialist": 404},
        method="POST",
        data=present,
    ),
    *rows(
        "check_in",
        u("check_in", d, lambda w: w.draft.participants.first().pk),
        {"clerk": 403},  # type: ignore[union-attr]
        method="POST",
        data=present,
    ),
    *rows("document_attach", u("document_attach", d), {"clerk": 302, "specialist": 404}, method="POST", data=attach),
    *rows("document_attach", u("document_attach", m), {"clerk": 400, "head": 403}, method="POST", data=attach),
    *rows(
        "document",
        u("document", m, opened),
        {"head": 200, "uncleared": 200, "deputy": 200, "other_head": 404, "specialist": 404},
    ),
    *rows(
        "document",
        u("document", m, secret),
        {"head": 200, "deputy": 200, "leader": 200, "clerk": 200, "uncleared": 404, "specialist": 404},
    ),
    *rows("document_file", u("document_file", m, opened, open_file), {"uncleared": 200, "specialist": 404}),
    *rows("document_file", u("document_file", m, secret, secret_file), {"deputy": 200, "uncleared": 404}),
    *rows("document_file", u("document_file", m, opened, secret_file), {"head": 404}),  # another document's file
    *rows("document_detach", u("document_detach", m, opened), {"clerk": 302, "head": 403}, method="POST"),
    *rows(
        "minutes",
        u("minutes", m),
        {"clerk": 302, "leader": 302, "head": 403, "specialist": 404},
        method="POST",
        data=lambda w: {"text": "Hội nghị thống nhất các nội dung trình."},
    ),
    *rows("minutes", u("minutes", m), {"clerk": 400}, method="POST"),
    *rows("minutes_file", u("minutes_file", m), {"clerk": 404}),
    *rows(
        "conclusion_add",
        u("conclusion_add", m),
        {"leader": 302, "clerk": 302, "head": 403},
        method="POST",
        data=conclusion_data,
    ),
    *rows("conclusion_add", u("conclusion_add", m), {"leader": 400}, method="POST"),
    *rows(
        "assign_tasks",
        u("assign_tasks", m),
        {"leader": 302, "clerk": 403, "head": 403, "specialist": 404},
        method="POST",
        data=conclusion_ids,
    ),
    *rows("assign_tasks", u("assign_tasks", m), {"leader": 400}, method="POST"),
    *rows("assign_tasks", u("assign_tasks", m), {"leader": 405}),
    *rows("draft_invitation", u("draft_invitation", m), {"clerk": 302, "head": 403}, method="POST"),
    *rows("draft_notice", u("draft_notice", m), {"clerk": 400, "head": 403}, method="POST"),  # not held yet
    *rows("rooms", u("rooms"), {"anonymous": LOGIN, "clerk": 200, "head": 200, "specialist": 200}),
    *rows(
        "room_new",
        u("room_new"),
        {"clerk": 302, "head": 403},
        method="POST",
        data=lambda w: {"body": w.hall.party.pk, "name": "Phòng họp trực tuyến", "capacity": "40"},
    ),
    *rows("room_new", u("room_new"), {"clerk": 400}, method="POST", data=lambda w: {"body": w.hall.party.pk}),
    *rows("room", u("room", room), {"clerk": 200, "leader": 200, "head": 404, "specialist": 404}),
    *rows("room", u("room", room), {"clerk": 302, "head": 404}, method="POST", data=booking_data),
    *rows("room", u("room", room), {"clerk": 405}, method="PUT"),
    *rows("room", u("room", room), {"board_specialist": 200}),
    *rows(
        "room_edit",
        u("room_edit", room),
        {"anonymous": LOGIN, "clerk": 200, "leader": 200, "board_specialist": 403, "head": 404, "specialist": 404},
    ),
    *rows(
        "room_edit",
        u("room_edit", room),
        {"clerk": 302, "board_specialist": 403, "head": 404},
        method="POST",
        data=room_edit_data,
    ),
    *rows(
        "room_edit",
        u("room_edit", room),
        {"clerk": 400},
        method="POST",
        data=lambda w: {**room_edit_data(w), "name": "Hội trường Tỉnh ủy"},
    ),
    *rows("room_edit", u("room_edit", room), {"clerk": 405}, method="PUT"),
]


def test_permission_matrix(world: World, client: Client) -> None:
    client.cookies["vanphong_language"] = "en"
    assert matrix_failures(CASES, world, client) == []


def test_every_page_has_rows() -> None:
    from vanphong.meetings.urls import urlpatterns

    names = {p.name for p in urlpatterns}  # type: ignore[attr-defined]
    covered = {case.name for case in CASES} | {
        "booking_cancel",
        "agenda_remove",
        "participant_remove",
        "conclusion_remove",
    }
    assert names <= covered, names - covered


def _login(client: Client, account: Account) -> Client:
    client.force_login(account)
    client.cookies["vanphong_language"] = "en"
    return client


def test_the_secret_document_is_hidden_from_the_uncleared_participant_and_its_views_are_audited(
    world: World, client: Client
) -> None:
    page = _login(client, world.hall.office.uncleared).get(reverse("meetings:meeting", args=[world.meeting.pk]))
    body = page.content.decode()
    assert world.open_item.document.abstract[:40] in body
    assert f'data-meeting-document="{world.secret_item.pk}"' not in body
    assert f'data-meeting-document="{world.open_item.pk}"' in body
    # Through the documents module itself the open one stays hidden: only the meeting shows it.
    assert client.get(reverse("documents:document", args=[world.open_item.document_id])).status_code == 404

    before = AuditEntry.objects.filter(action__startswith="meetings.document.secret").count()
    _login(client, world.hall.office.deputy)
    assert client.get(reverse("meetings:document", args=[world.meeting.pk, world.secret_item.pk])).status_code == 200
    url = reverse("meetings:document_file", args=[world.meeting.pk, world.secret_item.pk, secret_file(world)])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    actions = list(
        AuditEntry.objects.filter(action__startswith="meetings.document.secret")
        .order_by("seq")
        .values_list("action", flat=True)
    )[before:]
    assert actions == ["meetings.document.secret_view", "meetings.document.secret_download"]
    # Opening the open one is not audited as secret.
    client.get(reverse("meetings:document", args=[world.meeting.pk, world.open_item.pk]))
    assert AuditEntry.objects.filter(action__startswith="meetings.document.secret").count() == before + 2


def test_a_taken_room_is_refused_on_the_page_with_the_other_booking_named(world: World, client: Client) -> None:
    _login(client, world.hall.office.clerk)
    start = timezone.localtime(world.meeting.starts_at)
    data = {"body": world.hall.party.pk, "kind": "working_session", "title": "Làm việc với Ban Tổ chức",
            "day": start.strftime("%d/%m/%Y"), "start": "09:00", "end": "10:00",
            "room": world.hall.small_room.pk}  # fmt: skip
    response = client.post(reverse("meetings:new"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Phòng họp Ban Thường vụ is already booked from 08:00 to 11:00" in text
    assert world.meeting.title in text
    assert not Meeting.objects.filter(title="Làm việc với Ban Tổ chức").exists()


def test_check_in_by_htmx_answers_the_attendance_with_the_count(world: World, client: Client) -> None:
    _login(client, world.hall.office.clerk)
    url = reverse("meetings:check_in", args=[world.meeting.pk, world.head_part.pk])
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="attendance"' in text and "1 present" in text
    response = client.post(
        reverse("meetings:check_in", args=[world.meeting.pk, world.uncleared_part.pk]), HTTP_HX_REQUEST="true"
    )
    assert "2 present" in response.content.decode()


def test_answering_from_my_invitations(world: World, client: Client) -> None:
    _login(client, world.hall.organisation_head)
    page = client.get(reverse("meetings:invitations"))
    assert world.meeting.title in page.content.decode()
    url = reverse("meetings:respond", args=[world.meeting.pk, world.head_part.pk])
    refused = client.post(url, {"response": "declined", "next": "invitations"})
    assert refused.status_code == 400 and "Say why you cannot attend." in refused.content.decode()
    done = client.post(url, {"response": "declined", "reason": "Đi công tác Trung ương", "next": "invitations"})
    assert done.status_code == 302 and done["Location"] == reverse("meetings:invitations")
    world.head_part.refresh_from_db()
    assert world.head_part.response == Response.DECLINED and world.head_part.reason == "Đi công tác Trung ương"


def test_the_leader_turns_a_conclusion_into_three_tasks_shown_on_the_page(world: World, client: Client) -> None:
    _login(client, world.hall.secretary)
    response = client.post(
        reverse("meetings:assign_tasks", args=[world.meeting.pk]), {"conclusions": [world.conclusion.pk]}
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:meeting", args=[world.meeting.pk])).content.decode()
    assert page.count("data-task=") == 3
    for board in (world.hall.organisation_board, world.hall.propaganda_board, world.hall.inspection_board):
        assert board.full_name in page


def test_the_list_filters_by_period_kind_and_room(world: World, client: Client) -> None:
    _login(client, world.hall.office.clerk)
    upcoming = client.get(reverse("meetings:list")).content.decode()
    assert world.meeting.title in upcoming and world.draft.title in upcoming
    by_room = client.get(reverse("meetings:list"), {"when": "upcoming", "room": world.hall.hall.pk}).content.decode()
    assert world.draft.title in by_room and world.meeting.title not in by_room
    past = client.get(reverse("meetings:list"), {"when": "past"}).content.decode()
    assert world.meeting.title not in past
    kind = client.get(reverse("meetings:list"), {"kind": "online_conference"}).content.decode()
    assert world.meeting.title not in kind


def test_the_room_week_shows_bookings_and_a_booking_can_be_cancelled(world: World, client: Client) -> None:
    _login(client, world.hall.office.clerk)
    start = timezone.localtime(world.meeting.starts_at).date()
    page = client.get(reverse("meetings:room", args=[world.hall.small_room.pk]), {"week": start.isoformat()})
    assert world.meeting.title in page.content.decode()
    response = client.post(reverse("meetings:room", args=[world.hall.small_room.pk]), booking_data(world))
    assert response.status_code == 302
    booking = RoomBooking.objects.get(purpose="Tập huấn văn thư lưu trữ")
    assert client.post(reverse("meetings:booking_cancel", args=[booking.pk])).status_code == 302
    assert client.post(reverse("meetings:booking_cancel", args=[booking.pk])).status_code == 400
    meeting_booking = world.meeting.bookings.get()
    assert client.post(reverse("meetings:booking_cancel", args=[meeting_booking.pk])).status_code == 400
    _login(client, world.hall.organisation_head)
    assert client.post(reverse("meetings:booking_cancel", args=[meeting_booking.pk])).status_code == 404


def test_the_home_page_panel_shows_the_invitation_awaiting_an_answer(world: World, client: Client) -> None:
    _login(client, world.hall.organisation_head)
    page = client.get(reverse("core:home")).content.decode()
    assert "My meetings" in page and world.meeting.title in page
    _login(client, world.hall.office.specialist)
    assert world.meeting.title not in client.get(reverse("core:home")).content.decode()


def test_a_room_is_changed_and_taken_out_of_use_keeping_its_past_bookings(world: World, client: Client) -> None:
    room = world.hall.small_room
    _login(client, world.hall.office.clerk)
    listing = client.get(reverse("meetings:rooms")).content.decode()
    assert reverse("meetings:room_edit", args=[room.pk]) in listing
    form = client.get(reverse("meetings:room_edit", args=[room.pk])).content.decode()
    assert 'value="Phòng họp Ban Thường vụ"' in form and 'name="active"' in form
    response = client.post(reverse("meetings:room_edit", args=[room.pk]), {**room_edit_data(world), "active": ""})
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.floor, room.capacity, room.active) == ("3", 32, False)
    entry = AuditEntry.objects.filter(action="meetings.room.update", object_id=str(room.pk)).get()
    assert entry.actor_id == world.hall.office.clerk.pk
    assert entry.before == {"floor": "2", "capacity": 30, "equipment": "", "active": True}
    assert entry.after["active"] is False and entry.after["capacity"] == 32
    assert "not in use" in client.get(reverse("meetings:rooms")).content.decode()
    # The meeting already booked in it keeps its booking and shows in the room's week …
    assert world.meeting.bookings.get().cancelled_at is None
    start = timezone.localtime(world.meeting.starts_at).date()
    week = client.get(reverse("meetings:room", args=[room.pk]), {"week": start.isoformat()}).content.decode()
    assert world.meeting.title in week and "Book the room" not in week
    # … but nobody books it again.
    assert client.post(reverse("meetings:room", args=[room.pk]), booking_data(world)).status_code == 403
    assert not RoomBooking.objects.filter(purpose="Tập huấn văn thư lưu trữ").exists()
    # A board's specialist books the Tỉnh ủy's rooms but does not manage them: no edit link.
    _login(client, world.hall.board_specialist())
    assert reverse("meetings:room_edit", args=[room.pk]) not in client.get(reverse("meetings:rooms")).content.decode()
