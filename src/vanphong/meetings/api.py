"""The meetings API: the same access helpers, filters, services and permission checks as the pages.

Meetings are listed (upcoming or past, by kind, state, room and period), read, created, convened;
participants answer their invitation and are checked in; rooms are read and changed, their bookings read and
booked (a taken slot answers 400 with the other booking named); conclusions are recorded and turned
into tasks in one call.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from vanphong.core.api import ERRORS
from vanphong.core.views.common import actor_of
from vanphong.meetings import access, policy
from vanphong.meetings.filters import MeetingFilter
from vanphong.meetings.models import Meeting, RoomBooking
from vanphong.meetings.services import conclusions as conclusion_services
from vanphong.meetings.services import meetings as services
from vanphong.meetings.services import rooms as room_services

router = Router(tags=["meetings"])
PAGE_SIZE = 50


class MeetingOut(Schema):
    id: int
    body_id: int
    body: str
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    room_id: int | None
    room: str | None
    place: str
    presiding_id: int | None
    secretary_id: int | None
    preparing_unit_id: int | None
    state: str
    invitation_id: int | None
    conclusion_notice_id: int | None


class AgendaItemOut(Schema):
    order: int
    title: str
    presenter: str
    time: datetime.time | None


class ParticipantOut(Schema):
    id: int
    person_id: int | None
    name: str
    title: str
    organization: str
    role: str
    response: str
    reason: str
    deputy_name: str
    responded_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None


class ConclusionOut(Schema):
    id: int
    order: int
    text: str
    lead_unit_ids: list[int]
    coordinating_unit_ids: list[int]
    deadline: datetime.date | None
    deadline_days: int | None
    deadline_unit: str
    task_ids: list[int]


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    participants: list[ParticipantOut]
    present: int
    documents: list[dict[str, Any]]
    conclusions: list[ConclusionOut]


class PageOut(Schema):
    count: int
    results: list[MeetingOut]


class MeetingParams(Schema):
    when: str = "upcoming"
    kind: str = ""
    state: str = ""
    room: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    page: int = 1


class MeetingIn(Schema):
    body_id: int
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    room_id: int | None = None
    place: str = ""
    presiding_id: int | None = None
    secretary_id: int | None = None
    preparing_unit_id: int | None = None


class ParticipantIn(Schema):
    person_id: int | None = None
    name: str = ""
    title: str = ""
    organization_name: str = ""
    role: str = "member"


class RespondIn(Schema):
    response: str
    reason: str = ""
    deputy_name: str = ""


class CheckInIn(Schema):
    present: bool = True


class ConclusionIn(Schema):
    text: str
    lead_unit_ids: list[int]
    coordinating_unit_ids: list[int] = []
    deadline: datetime.date | None = None
    deadline_days: int | None = None
    deadline_unit: str = "working"


class AssignIn(Schema):
    conclusion_ids: list[int]


class TaskOut(Schema):
    id: int
    title: str
    lead_unit_id: int
    deadline: datetime.date | None
    source_ref: str


class RoomOut(Schema):
    id: int
    body_id: int
    name: str
    building: str
    floor: str
    capacity: int
    equipment: str
    active: bool


class RoomIn(Schema):
    name: str
    building: str = ""
    floor: str = ""
    capacity: int = 0
    equipment: str = ""
    active: bool = True


class BookingOut(Schema):
    id: int
    room_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    meeting_id: int | None
    title: str


class BookingIn(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    purpose: str


class BookingParams(Schema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _out(meeting: Meeting) -> dict[str, Any]:
    booking = meeting.active_booking
    room = booking.room if isinstance(booking, RoomBooking) else None
    return {
        "id": meeting.pk, "body_id": meeting.body_id, "body": str(meeting.body), "kind": meeting.kind,
        "title": meeting.title, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
        "room_id": room.pk if room else None, "room": room.name if room else None, "place": meeting.place,
        "presiding_id": meeting.presiding_id, "secretary_id": meeting.secretary_id,
        "preparing_unit_id": meeting.preparing_unit_id, "state": meeting.state,
        "invitation_id": meeting.invitation_id, "conclusion_notice_id": meeting.conclusion_notice_id,
    }  # fmt: skip


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    meeting = access.access_meeting(request.user, pk)
    participants = list(meeting.participants.select_related("person", "organization").order_by("pk"))
    conclusions = list(meeting.conclusions.prefetch_related("lead_units", "coordinating_units"))
    tasks = conclusion_services.tasks_of(conclusions)
    return {
        **_out(meeting),
        "agenda": [
            {"order": i.order, "title": i.title, "presenter": i.presenter, "time": i.starts_at}
            for i in meeting.agenda_items.all()
        ],
        "participants": [
            {
                "id": p.pk,
                "person_id": p.person_id,
                "name": p.display_name,
                "title": p.title,
                "organization": p.organisation_label,
                "role": p.role,
                "response": p.response,
                "reason": p.reason,
                "deputy_name": p.deputy_name,
                "responded_at": p.responded_at,
                "checked_in_at": p.checked_in_at,
            }
            for p in participants
        ],
        "present": sum(1 for p in participants if p.checked_in_at is not None),
        "documents": [
            {
                "id": item.pk,
                "document_id": item.document_id,
                "abstract": item.document.abstract,
                "number_symbol": item.document.number_symbol,
                "secrecy": item.document.secrecy,
                "agenda_order": item.agenda_item.order if item.agenda_item else None,
            }
            for item in access.meeting_documents(request.user, meeting)
        ],
        "conclusions": [
            {
                "id": c.pk,
                "order": c.order,
                "text": c.text,
                "lead_unit_ids": [u.pk for u in c.lead_units.all()],
                "coordinating_unit_ids": [u.pk for u in c.coordinating_units.all()],
                "deadline": c.deadline,
                "deadline_days": c.deadline_days,
                "deadline_unit": c.deadline_unit,
                "task_ids": [t.pk for t in tasks.get(c.pk, [])],
            }
            for c in conclusions
        ],
    }


def _pick(queryset: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("Not found among the choices.")]})
    return found


# --- rooms (before "/{pk}" routes) ----------------------------------------------------------------------


@router.get("/rooms", response={200: list[RoomOut], **ERRORS})
def list_rooms(request: HttpRequest) -> Any:
    return list(access.rooms_visible_to(request.user).order_by("body__path", "name"))


@router.put("/rooms/{int:pk}", response={200: RoomOut, **ERRORS})
def update_room(request: HttpRequest, pk: int, payload: RoomIn) -> Any:
    """Replace a room's details; ``active: false`` keeps its past bookings and refuses new ones."""
    room = access.access_room(request.user, pk)
    if not policy.can_organise(request.user, room.body):
        raise PermissionDenied
    if payload.capacity < 0:
        raise ValidationError({"capacity": [_("The capacity cannot be negative.")]})
    data = room_services.RoomData(body=room.body, **payload.dict())
    return room_services.update_room(actor_of(request), room, data)


@router.get("/rooms/{int:pk}/bookings", response={200: list[BookingOut], **ERRORS})
def list_bookings(request: HttpRequest, pk: int, params: Query[BookingParams]) -> Any:
    room = access.access_room(request.user, pk)
    bookings = RoomBooking.objects.active().filter(room=room).select_related("meeting")
    if params.date_from:
        bookings = bookings.filter(
            ends_at__gte=timezone.make_aware(datetime.datetime.combine(params.date_from, datetime.time.min))
        )
    if params.date_to:
        bookings = bookings.filter(
            starts_at__lte=timezone.make_aware(datetime.datetime.combine(params.date_to, datetime.time.max))
        )
    return [_booking(b) for b in bookings.order_by("starts_at")[:500]]


def _booking(booking: RoomBooking) -> dict[str, Any]:
    return {
        "id": booking.pk, "room_id": booking.room_id, "starts_at": booking.starts_at, "ends_at": booking.ends_at,
        "meeting_id": booking.meeting_id, "title": booking.title,
    }  # fmt: skip


@router.post("/rooms/{int:pk}/bookings", response={201: BookingOut, **ERRORS})
def book_room(request: HttpRequest, pk: int, payload: BookingIn) -> Any:
    room = access.access_room(request.user, pk)
    booking = room_services.book(actor_of(request), room, payload.starts_at, payload.ends_at, purpose=payload.purpose)
    return Status(201, _booking(booking))


# --- meetings ---------------------------------------------------------------------------------------------


@router.get("", response={200: PageOut, **ERRORS})
def list_meetings(request: HttpRequest, params: Query[MeetingParams]) -> Any:
    data = {k: v for k, v in params.dict().items() if v not in (None, "") and k != "page"}
    filters = MeetingFilter(data, rooms=access.rooms_visible_to(request.user))
    if not filters.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in filters.errors.items()})
    queryset = filters.filter(access.meetings_visible_to(request.user).select_related("body")).prefetch_related(
        "bookings__room"
    )
    start = (max(params.page, 1) - 1) * PAGE_SIZE
    return {"count": queryset.count(), "results": [_out(m) for m in queryset[start : start + PAGE_SIZE]]}


@router.post("", response={201: MeetingDetailOut, **ERRORS})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    body = get_object_or_404(access.bodies_organised_by(request.user), pk=payload.body_id)
    people = access.people_for(body)
    data = services.MeetingData(
        body=body,
        kind=payload.kind,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        room=_pick(access.rooms_visible_to(request.user), payload.room_id, "room_id"),
        place=payload.place,
        presiding=_pick(people, payload.presiding_id, "presiding_id"),
        secretary=_pick(people, payload.secretary_id, "secretary_id"),
        preparing_unit=_pick(access.organisations_for(body), payload.preparing_unit_id, "preparing_unit_id"),
    )
    meeting = services.create_meeting(actor_of(request), data)
    return Status(201, _detail(request, meeting.pk))


@router.get("/{int:pk}", response={200: MeetingDetailOut, **ERRORS})
def get_meeting(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post("/{int:pk}/convene", response={200: MeetingDetailOut, **ERRORS})
def convene(request: HttpRequest, pk: int) -> Any:
    meeting = access.access_meeting(request.user, pk)
    services.convene(actor_of(request), meeting)
    return _detail(request, pk)


@router.post("/{int:pk}/participants", response={201: MeetingDetailOut, **ERRORS})
def add_participant(request: HttpRequest, pk: int, payload: ParticipantIn) -> Any:
    meeting = access.access_meeting(request.user, pk)
    data = services.ParticipantData(
        person=_pick(access.invitable_people(meeting.body), payload.person_id, "person_id"),
        name=payload.name,
        title=payload.title,
        organization_name=payload.organization_name,
        role=payload.role,
    )
    services.add_participant(actor_of(request), meeting, data)
    return Status(201, _detail(request, pk))


@router.post("/{int:pk}/respond", response={200: MeetingDetailOut, **ERRORS})
def respond(request: HttpRequest, pk: int, payload: RespondIn) -> Any:
    """Answer one's own invitation to the meeting."""
    meeting = access.access_meeting(request.user, pk)
    participant = policy.participant_of(request.user, meeting)
    if participant is None:
        raise Http404
    services.respond(
        actor_of(request),
        participant,
        response=payload.response,
        reason=payload.reason,
        deputy_name=payload.deputy_name,
    )
    return _detail(request, pk)


@router.post("/{int:pk}/participants/{int:participant_id}/check-in", response={200: MeetingDetailOut, **ERRORS})
def check_in(request: HttpRequest, pk: int, participant_id: int, payload: CheckInIn) -> Any:
    meeting = access.access_meeting(request.user, pk)
    participant = access.access_participant(request.user, meeting, participant_id)
    services.check_in(actor_of(request), participant, present=payload.present)
    return _detail(request, pk)


@router.post("/{int:pk}/conclusions", response={201: MeetingDetailOut, **ERRORS})
def add_conclusion(request: HttpRequest, pk: int, payload: ConclusionIn) -> Any:
    meeting = access.access_meeting(request.user, pk)
    units = access.organisations_for(meeting.body)
    lead = list(units.filter(pk__in=payload.lead_unit_ids))
    coordinating = list(units.filter(pk__in=payload.coordinating_unit_ids))
    if len(lead) != len(set(payload.lead_unit_ids)):
        raise ValidationError({"lead_unit_ids": [_("Not found among the choices.")]})
    if len(coordinating) != len(set(payload.coordinating_unit_ids)):
        raise ValidationError({"coordinating_unit_ids": [_("Not found among the choices.")]})
    data = conclusion_services.ConclusionData(
        text=payload.text,
        lead_units=lead,
        coordinating_units=coordinating,
        deadline=payload.deadline,
        deadline_days=payload.deadline_days,
        deadline_unit=payload.deadline_unit,
    )
    conclusion_services.add_conclusion(actor_of(request), meeting, data)
    return Status(201, _detail(request, pk))


@router.post("/{int:pk}/conclusions/tasks", response={200: list[TaskOut], **ERRORS})
def assign_tasks(request: HttpRequest, pk: int, payload: AssignIn) -> Any:
    """Turn the given conclusions into tasks, one per lead unit, in one act (all or nothing)."""
    meeting = access.access_meeting(request.user, pk)
    if not policy.can_assign_tasks(request.user, meeting):
        raise PermissionDenied
    chosen = list(meeting.conclusions.filter(pk__in=payload.conclusion_ids))
    if len(chosen) != len(set(payload.conclusion_ids)):
        raise ValidationError({"conclusion_ids": [_("Not found among the choices.")]})
    tasks = conclusion_services.assign_tasks(actor_of(request), meeting, chosen)
    return [
        {
            "id": t.pk,
            "title": t.title,
            "lead_unit_id": t.lead_unit_id,
            "deadline": t.deadline,
            "source_ref": t.source_ref,
        }
        for t in tasks
    ]


__all__ = ["router"]
