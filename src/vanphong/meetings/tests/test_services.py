"""The meetings services: rooms without double booking, the meeting's life and its notices, answers
and check-in, the invitation and conclusion notice as outgoing drafts, conclusions → tasks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from vanphong.core.models import AuditEntry
from vanphong.directives.models import Task
from vanphong.documents.models import Direction, Status
from vanphong.meetings.models import MeetingState, ParticipantRole, Response, RoomBooking
from vanphong.meetings.services import conclusions, outputs, rooms
from vanphong.meetings.services import meetings as services
from vanphong.meetings.tests.conftest import Hall
from vanphong.notices.models import Notification
from vanphong.testing import race

pytestmark = pytest.mark.django_db(transaction=False)


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- rooms ------------------------------------------------------------------------------------------------


def test_an_overlapping_booking_is_refused_with_the_other_booking_named(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.hall, days=2, hour=8)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        rooms.book(clerk, hall.hall, at(2, 10), at(2, 12), purpose="Tập huấn công tác văn thư")
    message = refused.value.message_dict["room"][0]
    assert "Hội trường Tỉnh ủy is already booked from 08:00 to 11:00" in message
    assert meeting.title in message
    assert RoomBooking.objects.filter(room=hall.hall).count() == 1


def test_back_to_back_bookings_are_allowed_and_another_room_is_free(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    hall.meeting(room=hall.hall, days=2, hour=8, hours=3)
    after = rooms.book(clerk, hall.hall, at(2, 11), at(2, 12), purpose="Họp giao ban Văn phòng")
    before = rooms.book(clerk, hall.hall, at(2, 7), at(2, 8), purpose="Chuẩn bị hội trường")
    other = rooms.book(clerk, hall.small_room, at(2, 9), at(2, 10), purpose="Làm việc với Sở Nội vụ")
    assert {after.pk, before.pk, other.pk} <= set(RoomBooking.objects.active().values_list("pk", flat=True))


def test_a_cancelled_booking_frees_the_slot(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    booking = rooms.book(clerk, hall.small_room, at(4, 14), at(4, 16), purpose="Tiếp đoàn công tác")
    rooms.cancel_booking(clerk, booking)
    again = rooms.book(clerk, hall.small_room, at(4, 15), at(4, 17), purpose="Họp chi bộ")
    assert again.pk != booking.pk
    with pytest.raises(ValidationError):
        rooms.cancel_booking(clerk, booking)


def test_only_organisers_book_rooms(hall: Hall) -> None:
    with pytest.raises(PermissionDenied):
        rooms.book(hall.actor(hall.office.specialist), hall.hall, at(5, 8), at(5, 9), purpose="Họp")
    with pytest.raises(PermissionDenied):
        rooms.book(hall.actor(hall.office.uncleared), hall.hall, at(5, 8), at(5, 9), purpose="Họp")


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_the_same_slot_at_once_give_exactly_one(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    chief = hall.actor(hall.office.chief)
    won, lost = race(
        lambda: rooms.book(clerk, hall.hall, at(6, 8), at(6, 11), purpose="Hội nghị tổng kết công tác văn phòng"),
        lambda: rooms.book(chief, hall.hall, at(6, 9), at(6, 10), purpose="Tiếp đoàn Trung ương"),
    )
    assert len(won) == 1 and len(lost) == 1
    assert "room" in lost[0].message_dict
    assert RoomBooking.objects.active().filter(room=hall.hall).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_meetings_in_the_same_room_at_once_give_exactly_one(hall: Hall) -> None:
    won, lost = race(
        lambda: hall.meeting(title="Hội nghị Ban Chấp hành lần thứ 5", room=hall.hall, days=9),
        lambda: hall.meeting(title="Hội nghị sơ kết Nghị quyết 57", room=hall.hall, days=9, hour=10),
    )
    assert len(won) == 1 and len(lost) == 1
    assert RoomBooking.objects.active().filter(room=hall.hall).count() == 1
    assert hall.party.meetings.count() == 1  # the refused meeting was rolled back with its booking


# --- the meeting's life -----------------------------------------------------------------------------------


def test_a_meeting_is_created_with_its_room_and_its_presiding_person_and_secretary(hall: Hall) -> None:
    meeting = hall.meeting(room=hall.small_room)
    assert meeting.state == MeetingState.DRAFT
    assert meeting.bookings.get().room == hall.small_room
    roles = dict(meeting.participants.values_list("person_id", "role"))
    assert roles == {
        hall.secretary.person_id: ParticipantRole.PRESIDING,
        hall.office.clerk.person_id: ParticipantRole.SECRETARY,
    }
    assert AuditEntry.objects.filter(action="meetings.meeting.create", object_id=str(meeting.pk)).exists()


def test_a_specialist_of_another_body_cannot_organise(hall: Hall) -> None:
    with pytest.raises(PermissionDenied):
        hall.meeting(by=hall.office.specialist)


def test_convening_invites_everyone_once_and_a_change_tells_them(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.small_room)
    for head in (hall.organisation_head, hall.propaganda_head):
        services.add_participant(clerk, meeting, services.ParticipantData(person=head.person))
    services.add_participant(
        clerk,
        meeting,
        services.ParticipantData(
            name="Đỗ Minh Châu", title="Phó Giám đốc", organization_name="Sở Tài chính", role=ParticipantRole.INVITED
        ),
    )
    assert not Notification.objects.exists()  # a draft tells nobody
    services.convene(clerk, meeting)
    invited = set(Notification.objects.filter(kind="meetings.invitation").values_list("recipient_id", flat=True))
    assert invited == {hall.secretary.pk, hall.office.clerk.pk, hall.organisation_head.pk, hall.propaganda_head.pk}
    with pytest.raises(ValidationError):
        services.convene(clerk, meeting)  # twice: refused, nobody invited twice
    assert Notification.objects.filter(kind="meetings.invitation").count() == 4

    data = services.MeetingData(
        body=hall.party, kind=meeting.kind, title=meeting.title, starts_at=at(3, 14), ends_at=at(3, 16),
        room=hall.hall, presiding=meeting.presiding, secretary=meeting.secretary, preparing_unit=meeting.preparing_unit,
    )  # fmt: skip
    services.update_meeting(clerk, meeting, data)
    assert meeting.bookings.get(cancelled_at__isnull=True).room == hall.hall
    assert meeting.bookings.filter(cancelled_at__isnull=False, room=hall.small_room).count() == 1
    changed = Notification.objects.filter(kind="meetings.changed")
    assert changed.count() == 4
    assert "14:00" in changed.first().subject and "Hội trường Tỉnh ủy" in changed.first().subject  # type: ignore[union-attr]


def test_moving_a_meeting_onto_a_taken_slot_is_refused_and_keeps_the_old_booking(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.small_room, days=3, hour=8)
    rooms.book(clerk, hall.hall, at(3, 13), at(3, 17), purpose="Hội nghị trực tuyến toàn quốc")
    data = services.MeetingData(
        body=hall.party, kind=meeting.kind, title=meeting.title, starts_at=at(3, 14), ends_at=at(3, 16),
        room=hall.hall, presiding=meeting.presiding, secretary=meeting.secretary,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.update_meeting(clerk, meeting, data)
    assert meeting.bookings.get(cancelled_at__isnull=True).room == hall.small_room


def test_cancelling_releases_the_room_and_tells_those_invited(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.hall)
    services.add_participant(clerk, meeting, services.ParticipantData(person=hall.inspection_head.person))
    services.convene(clerk, meeting)
    with pytest.raises(ValidationError):
        services.cancel(clerk, meeting, reason="  ")
    services.cancel(clerk, meeting, reason="Lùi lại do trùng lịch làm việc với Đoàn công tác Trung ương")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert not RoomBooking.objects.active().filter(meeting=meeting).exists()
    assert Notification.objects.filter(kind="meetings.cancelled", recipient=hall.inspection_head).count() == 1
    with pytest.raises(PermissionDenied):
        services.add_agenda_item(clerk, meeting, title="Không còn được thêm")


def test_answers_need_a_reason_or_a_deputy_and_only_the_person_answers(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting()
    part = services.add_participant(clerk, meeting, services.ParticipantData(person=hall.organisation_head.person))
    services.convene(clerk, meeting)
    head = hall.actor(hall.organisation_head)
    with pytest.raises(ValidationError) as refused:
        services.respond(head, part, response=Response.DECLINED)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.respond(head, part, response=Response.DEPUTY)
    assert "deputy_name" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.respond(hall.actor(hall.propaganda_head), part, response=Response.ACCEPTED)
    services.respond(head, part, response=Response.DEPUTY, deputy_name="Phan Thị Yến, Phó Trưởng Ban")
    part.refresh_from_db()
    assert part.response == Response.DEPUTY and part.responded_at is not None
    services.respond(clerk, part, response=Response.ACCEPTED)  # by phone, recorded by the office
    part.refresh_from_db()
    assert part.response == Response.ACCEPTED and part.deputy_name == ""


def test_check_in_is_one_click_and_counts_once(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting()
    part = services.add_participant(clerk, meeting, services.ParticipantData(person=hall.organisation_head.person))
    with pytest.raises(PermissionDenied):
        services.check_in(clerk, part)  # not convened yet
    services.convene(clerk, meeting)
    meeting.refresh_from_db()
    part.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.check_in(hall.actor(hall.organisation_head), part)
    first = services.check_in(clerk, part).checked_in_at
    assert services.check_in(clerk, part).checked_in_at == first
    assert AuditEntry.objects.filter(action="meetings.participant.check_in").count() == 1
    assert services.check_in(clerk, part, present=False).checked_in_at is None


# --- documents produced -----------------------------------------------------------------------------------


def test_the_invitation_is_an_outgoing_draft_of_type_gm_addressed_to_the_participants_bodies(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.hall)
    services.add_agenda_item(
        clerk, meeting, title="Sơ kết 1 năm thực hiện Nghị quyết 57-NQ/TW", presenter="Ban Tuyên giáo và Dân vận"
    )
    for head in (hall.organisation_head, hall.propaganda_head):
        services.add_participant(clerk, meeting, services.ParticipantData(person=head.person))
    services.add_participant(
        clerk, meeting, services.ParticipantData(name="Đỗ Minh Châu", organization_name="Sở Tài chính")
    )
    document = outputs.draft_invitation(clerk, meeting)
    meeting.refresh_from_db()
    assert meeting.invitation == document
    assert document.direction == Direction.OUTGOING and document.status == Status.DRAFT
    assert document.document_type.abbreviation == "GM"  # type: ignore[union-attr]
    assert document.register.organization == hall.office.party_office
    assert meeting.title in document.abstract
    assert "Hội trường Tỉnh ủy" in document.content and "Sơ kết 1 năm" in document.content
    assert document.signer == hall.secretary.person
    names = list(document.recipients.order_by("order").values_list("name", flat=True))
    # Once each, in the order invited; not the body itself, nor the presiding person's and secretary's.
    assert names == ["Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Sở Tài chính"]
    with pytest.raises(ValidationError):
        outputs.draft_invitation(clerk, meeting)


def test_the_conclusion_notice_needs_a_held_meeting_and_conclusions(hall: Hall) -> None:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting()
    conclusions.add_conclusion(
        clerk,
        meeting,
        conclusions.ConclusionData(
            text="Ban Tổ chức tham mưu kiện toàn nhân sự.", lead_units=[hall.organisation_board], deadline_days=10
        ),
    )
    with pytest.raises(ValidationError):
        outputs.draft_conclusion_notice(clerk, meeting)
    services.convene(clerk, meeting)
    services.mark_held(clerk, meeting)
    meeting.refresh_from_db()
    document = outputs.draft_conclusion_notice(clerk, meeting)
    assert document.document_type.abbreviation == "TB"  # type: ignore[union-attr]
    assert "Ban Tổ chức tham mưu kiện toàn nhân sự." in document.content
    meeting.refresh_from_db()
    assert meeting.conclusion_notice == document


# --- conclusions → tasks ----------------------------------------------------------------------------------


def _three_unit_conclusion(hall: Hall):  # type: ignore[no-untyped-def]
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(title="Hội nghị Ban Thường vụ Tỉnh ủy tháng 12", room=hall.small_room)
    services.convene(clerk, meeting)
    services.mark_held(clerk, meeting)
    meeting.refresh_from_db()
    first = conclusions.add_conclusion(
        hall.actor(hall.secretary),
        meeting,
        conclusions.ConclusionData(
            text="Xây dựng kế hoạch triển khai Nghị quyết số 57-NQ/TW trong toàn Đảng bộ tỉnh.",
            lead_units=[hall.organisation_board, hall.propaganda_board, hall.inspection_board],
            coordinating_units=[hall.office.party_office],
            deadline_days=15,
        ),
    )
    second = conclusions.add_conclusion(
        clerk,
        meeting,
        conclusions.ConclusionData(
            text="Văn phòng Tỉnh ủy tổng hợp báo cáo.",
            lead_units=[hall.office.party_office],
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        ),
    )
    return meeting, first, second


def test_a_conclusion_for_three_units_becomes_three_tasks_in_one_act(hall: Hall) -> None:
    meeting, first, _second = _three_unit_conclusion(hall)
    with pytest.raises(PermissionDenied):
        conclusions.assign_tasks(hall.actor(hall.office.clerk), meeting, [first])
    tasks = conclusions.assign_tasks(hall.actor(hall.secretary), meeting, [first])
    assert len(tasks) == 3
    assert {t.lead_unit_id for t in tasks} == {
        hall.organisation_board.pk,
        hall.propaganda_board.pk,
        hall.inspection_board.pk,
    }
    for task in Task.objects.filter(pk__in=[t.pk for t in tasks]):
        assert task.source_kind == "conclusion"
        assert task.source_ref == f"meetings.conclusion:{first.pk}"
        assert task.assigned_by == hall.secretary.person
        assert task.assigning_body == hall.party
        assert (
            meeting.title in task.source_title and ", " in task.source_title and str(first.order) in task.source_title
        )
        assert list(task.coordinating_units.all()) == [hall.office.party_office]
        assert task.deadline is not None and task.deadline > timezone.localdate()
    first.refresh_from_db()
    assert first.tasks_assigned_at is not None
    again = conclusions.assign_tasks(hall.actor(hall.secretary), meeting, [first])  # idempotent
    assert sorted(t.pk for t in again) == sorted(t.pk for t in tasks)
    assert Task.objects.filter(source_ref=first.source_ref).count() == 3
    assert conclusions.tasks_of([first])[first.pk] and len(conclusions.tasks_of([first])[first.pk]) == 3


def test_the_conclusion_notice_becomes_the_tasks_source_document(hall: Hall) -> None:
    meeting, first, second = _three_unit_conclusion(hall)
    notice = outputs.draft_conclusion_notice(hall.actor(hall.office.clerk), meeting)
    meeting.refresh_from_db()
    made = conclusions.assign_tasks(hall.actor(hall.secretary), meeting, [first, second])
    assert len(made) == 4
    assert {t.source_document_id for t in made} == {notice.pk}


def test_a_conclusion_needs_a_lead_unit_and_one_deadline_form(hall: Hall) -> None:
    meeting = hall.meeting()
    clerk = hall.actor(hall.office.clerk)
    with pytest.raises(ValidationError) as refused:
        conclusions.add_conclusion(clerk, meeting, conclusions.ConclusionData(text="Giao nhiệm vụ", lead_units=[]))
    assert "lead_units" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        conclusions.add_conclusion(
            clerk,
            meeting,
            conclusions.ConclusionData(
                text="Giao", lead_units=[hall.organisation_board], deadline=timezone.localdate(), deadline_days=5
            ),
        )
    assert "deadline" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        conclusions.add_conclusion(
            hall.actor(hall.organisation_head),
            meeting,
            conclusions.ConclusionData(text="x", lead_units=[hall.organisation_board]),
        )
