"""Meetings: create and change them (with their room), convene, hold or cancel them, the agenda, the
participants and their answers, check-in at the door, documents for the meeting and the minutes.

Participants are told through ``notices.notify`` inside the same transaction: the invitation when
the meeting is convened (or when someone is added to a convened meeting), a change of time or place,
and a cancellation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person
from vanphong.documents import storage
from vanphong.documents.models import Document, Secrecy, StoredFile
from vanphong.documents.services.files import Upload, check_uploads
from vanphong.lib import vntext
from vanphong.meetings import policy
from vanphong.meetings.models import (
    AgendaItem,
    ConnectedPoint,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingState,
    Participant,
    ParticipantRole,
    Response,
    Room,
    RoomBooking,
)
from vanphong.meetings.services import rooms
from vanphong.meetings.services.common import (
    account_of,
    meeting_url,
    participant_accounts,
    require,
    when,
)
from vanphong.notices.services import notify

MEETING_FIELDS = (
    "body", "kind", "title", "starts_at", "ends_at", "place", "presiding", "preparing_unit", "secretary", "state",
)  # fmt: skip

INVITED = gettext_lazy("You are invited to “{title}” at {when}")
CHANGED = gettext_lazy("“{title}” has changed: now at {when}, {place}")
CANCELLED = gettext_lazy("“{title}” at {when} is cancelled")


@dataclass
class MeetingData:
    body: Organization
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    room: Room | None = None
    place: str = ""
    presiding: Person | None = None
    preparing_unit: Organization | None = None
    secretary: Person | None = None


def _clean(data: MeetingData) -> None:
    data.title = vntext.nfc(data.title).strip()
    data.place = vntext.nfc(data.place).strip()
    errors: dict[str, list[str]] = {}
    if not data.title:
        errors["title"] = [_("Enter the meeting's title.")]
    if data.kind not in MeetingKind.values:
        errors["kind"] = [_("Choose the kind of meeting.")]
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]
    if data.room is not None and data.place:
        errors["place"] = [_("Choose a room or write a place outside, not both.")]
    if data.room is not None and not data.body.path.startswith(data.room.body.path):
        errors["room"] = [_("This room does not belong to the meeting's body.")]
    if errors:
        raise ValidationError(errors)


def place_of(meeting: Meeting) -> str:
    booking = meeting.active_booking
    if isinstance(booking, RoomBooking):
        return booking.room.name
    return meeting.place


def _notify(
    meeting: Meeting, subject: Any, kind: str, *, recipients: list[Account] | None = None, key: str = ""
) -> int:
    booking = meeting.active_booking
    place = booking.room.name if isinstance(booking, RoomBooking) else meeting.place
    return notify(
        participant_accounts(meeting) if recipients is None else recipients,
        kind=kind,
        subject=subject,
        params={"title": meeting.title, "when": when(meeting), "place": place},
        url=meeting_url(meeting),
        key=key,
    )


def _ensure_participant(meeting: Meeting, person: Person | None, role: str) -> None:
    if person is None:
        return
    existing = meeting.participants.filter(person=person).first()
    if existing is None:
        Participant.objects.create(meeting=meeting, person=person, role=role, organization=person.organization)
    elif existing.role != role and role in (ParticipantRole.PRESIDING, ParticipantRole.SECRETARY):
        existing.role = role
        existing.save(update_fields=["role"])


def create_meeting(actor: Actor, data: MeetingData) -> Meeting:
    """A meeting in draft; its room booked at once (refused if taken), the presiding person and the
    secretary entered as participants."""
    actor = require(policy.can_organise(actor.account, data.body), actor)
    _clean(data)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=data.body,
            kind=data.kind,
            title=data.title,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            place=data.place,
            presiding=data.presiding,
            preparing_unit=data.preparing_unit,
            secretary=data.secretary,
            created_by=account_of(actor),
        )
        if data.room is not None:
            rooms.reserve(actor, data.room, data.starts_at, data.ends_at, meeting=meeting)
        _ensure_participant(meeting, data.presiding, ParticipantRole.PRESIDING)
        _ensure_participant(meeting, data.secretary, ParticipantRole.SECRETARY)
        audit.record(actor, "meetings.meeting.create", meeting, after=audit.snapshot(meeting, MEETING_FIELDS))
    return meeting


def _locked(meeting: Meeting, states: tuple[str, ...]) -> Meeting:
    fresh = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if fresh.state not in states:
        raise ValidationError(
            _("The meeting is now “{state}”; someone acted on it first. Reload the page.").format(
                state=fresh.get_state_display()
            )
        )
    return fresh


def update_meeting(actor: Actor, meeting: Meeting, data: MeetingData) -> Meeting:
    """Change the meeting; a new time or room moves its booking (refused if the new slot is taken). When
    the meeting is already convened, everyone taking part is told what changed."""
    actor = require(policy.can_edit(actor.account, meeting), actor)
    data.body = meeting.body
    _clean(data)
    with transaction.atomic():
        fresh = _locked(meeting, policy.OPEN_STATES)
        before = audit.snapshot(fresh, MEETING_FIELDS)
        booking = fresh.bookings.filter(cancelled_at__isnull=True).select_related("room").first()
        old_room = booking.room if booking else None
        moved = (fresh.starts_at, fresh.ends_at) != (data.starts_at, data.ends_at)
        room_changed = (old_room.pk if old_room else None) != (data.room.pk if data.room else None)
        place_changed = room_changed or fresh.place != data.place
        if booking is not None and (moved or room_changed):
            rooms.release(actor, booking)
        if data.room is not None and (moved or room_changed):
            rooms.reserve(actor, data.room, data.starts_at, data.ends_at, meeting=fresh)
        for name in ("kind", "title", "starts_at", "ends_at", "place", "presiding", "preparing_unit", "secretary"):
            setattr(fresh, name, getattr(data, name))
        fresh.save(
            update_fields=[
                "kind", "title", "starts_at", "ends_at", "place", "presiding", "preparing_unit", "secretary",
                "updated_at",
            ]
        )  # fmt: skip
        _ensure_participant(fresh, data.presiding, ParticipantRole.PRESIDING)
        _ensure_participant(fresh, data.secretary, ParticipantRole.SECRETARY)
        audit.record_changes(actor, "meetings.meeting.update", fresh, before, MEETING_FIELDS)
        if fresh.state == MeetingState.CONVENED and (moved or place_changed):
            fresh = Meeting.objects.prefetch_related("bookings__room").get(pk=fresh.pk)
            _notify(fresh, CHANGED, "meetings.changed")
    return fresh


def convene(actor: Actor, meeting: Meeting) -> Meeting:
    """Send the invitations: the meeting leaves draft and every participant is told."""
    actor = require(policy.can_convene(actor.account, meeting), actor)
    with transaction.atomic():
        changed = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.DRAFT).update(
            state=MeetingState.CONVENED, updated_at=timezone.now()
        )
        if not changed:
            _locked(meeting, (MeetingState.DRAFT,))
        fresh = Meeting.objects.prefetch_related("bookings__room").get(pk=meeting.pk)
        audit.record(actor, "meetings.meeting.convene", fresh, before={"state": "draft"}, after={"state": "convened"})
        _notify(fresh, INVITED, "meetings.invitation", key=f"meetings.invitation:{fresh.pk}")
    return fresh


def mark_held(actor: Actor, meeting: Meeting) -> Meeting:
    actor = require(policy.can_convene(actor.account, meeting), actor)
    with transaction.atomic():
        changed = Meeting.objects.filter(pk=meeting.pk, state=MeetingState.CONVENED).update(
            state=MeetingState.HELD, updated_at=timezone.now()
        )
        if not changed:
            _locked(meeting, (MeetingState.CONVENED,))
        audit.record(actor, "meetings.meeting.held", meeting, before={"state": "convened"}, after={"state": "held"})
    meeting.refresh_from_db()
    return meeting


def cancel(actor: Actor, meeting: Meeting, *, reason: str) -> Meeting:
    """Cancel: the room is released; if invitations went out, everyone taking part is told."""
    actor = require(policy.can_convene(actor.account, meeting), actor)
    reason = vntext.nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the meeting is cancelled.")]})
    with transaction.atomic():
        fresh = _locked(meeting, policy.OPEN_STATES)
        was = fresh.state
        Meeting.objects.filter(pk=fresh.pk).update(
            state=MeetingState.CANCELLED, cancel_reason=reason, updated_at=timezone.now()
        )
        for booking in fresh.bookings.filter(cancelled_at__isnull=True):
            rooms.release(actor, booking)
        audit.record(
            actor,
            "meetings.meeting.cancel",
            fresh,
            before={"state": was},
            after={"state": "cancelled", "reason": reason},
        )
        if was == MeetingState.CONVENED:
            _notify(fresh, CANCELLED, "meetings.cancelled", key=f"meetings.cancelled:{fresh.pk}")
    fresh.refresh_from_db()
    return fresh


# --- the agenda and the connected points ---------------------------------------------------------------


def add_agenda_item(
    actor: Actor, meeting: Meeting, *, title: str, presenter: str = "", starts_at: datetime.time | None = None
) -> AgendaItem:
    actor = require(policy.can_edit(actor.account, meeting), actor)
    title = vntext.nfc(title).strip()
    if not title:
        raise ValidationError({"title": [_("Enter the agenda item.")]})
    with transaction.atomic():
        _locked(meeting, policy.OPEN_STATES)
        last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting, order=last + 1, title=title, presenter=vntext.nfc(presenter).strip(), starts_at=starts_at
        )
        audit.record(
            actor, "meetings.agenda.add", item, after={"meeting": meeting.pk, "order": item.order, "title": title}
        )
    return item


def remove_agenda_item(actor: Actor, item: AgendaItem) -> None:
    actor = require(policy.can_edit(actor.account, item.meeting), actor)
    with transaction.atomic():
        audit.record(actor, "meetings.agenda.remove", item, before={"meeting": item.meeting_id, "title": item.title})
        item.delete()


def add_connected_point(
    actor: Actor, meeting: Meeting, *, name: str, organization: Organization | None = None, place: str = ""
) -> ConnectedPoint:
    actor = require(policy.can_edit(actor.account, meeting), actor)
    name = vntext.nfc(name).strip()
    if not name:
        raise ValidationError({"name": [_("Enter the connected point's name.")]})
    with transaction.atomic():
        point = ConnectedPoint.objects.create(
            meeting=meeting, name=name, organization=organization, place=vntext.nfc(place).strip()
        )
        audit.record(actor, "meetings.point.add", point, after={"meeting": meeting.pk, "name": name})
    return point


# --- participants ---------------------------------------------------------------------------------------


@dataclass
class ParticipantData:
    person: Person | None = None
    name: str = ""
    title: str = ""
    organization: Organization | None = None
    organization_name: str = ""
    role: str = ParticipantRole.MEMBER


def add_participant(actor: Actor, meeting: Meeting, data: ParticipantData) -> Participant:
    """Invite a member (a person) or a guest (name, title, organisation). Added to a convened meeting,
    a member is sent the invitation at once."""
    actor = require(policy.can_edit(actor.account, meeting), actor)
    data.name = vntext.nfc(data.name).strip()
    errors: dict[str, list[str]] = {}
    if data.person is None and not data.name:
        errors["person"] = [_("Choose a person or enter the guest's name.")]
    if data.role not in ParticipantRole.values:
        errors["role"] = [_("Choose the role.")]
    if data.person is not None and not data.person.is_active:
        errors["person"] = [_("No longer active: {names}.").format(names=data.person.full_name)]
    elif data.person is not None and meeting.participants.filter(person=data.person).exists():
        errors["person"] = [_("{name} is already on the list.").format(name=data.person.full_name)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(meeting, policy.OPEN_STATES)
        participant = Participant.objects.create(
            meeting=fresh,
            person=data.person,
            name="" if data.person else data.name,
            title=vntext.nfc(data.title).strip(),
            organization=data.organization or (data.person.organization if data.person else None),
            organization_name=vntext.nfc(data.organization_name).strip(),
            role=data.role,
        )
        audit.record(
            actor,
            "meetings.participant.add",
            participant,
            after={"meeting": fresh.pk, "person": data.person.pk if data.person else None, "name": participant.name,
                   "role": data.role},
        )  # fmt: skip
        if fresh.state == MeetingState.CONVENED and data.person is not None:
            accounts = list(Account.objects.filter(person=data.person, is_active=True))
            fresh = Meeting.objects.prefetch_related("bookings__room").get(pk=fresh.pk)
            _notify(fresh, INVITED, "meetings.invitation", recipients=accounts, key=f"meetings.invitation:{fresh.pk}")
    return participant


def remove_participant(actor: Actor, participant: Participant) -> None:
    actor = require(policy.can_edit(actor.account, participant.meeting), actor)
    with transaction.atomic():
        audit.record(
            actor,
            "meetings.participant.remove",
            participant,
            before={"meeting": participant.meeting_id, "person": participant.person_id, "name": participant.name},
        )
        participant.delete()


def respond(
    actor: Actor, participant: Participant, *, response: str, reason: str = "", deputy_name: str = ""
) -> Participant:
    """Answer the invitation: attend, decline with a reason, or send a deputy (named)."""
    actor = require(policy.can_respond(actor.account, participant), actor)
    reason = vntext.nfc(reason).strip()
    deputy_name = vntext.nfc(deputy_name).strip()
    errors: dict[str, list[str]] = {}
    if response not in (Response.ACCEPTED, Response.DECLINED, Response.DEPUTY):
        errors["response"] = [_("Choose an answer.")]
    if response == Response.DECLINED and not reason:
        errors["reason"] = [_("Say why you cannot attend.")]
    if response == Response.DEPUTY and not deputy_name:
        errors["deputy_name"] = [_("Name the person who attends in your place.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(participant, ("response", "reason", "deputy_name"))
        Participant.objects.filter(pk=participant.pk).update(
            response=response,
            reason=reason if response == Response.DECLINED else "",
            deputy_name=deputy_name if response == Response.DEPUTY else "",
            responded_at=timezone.now(),
        )
        participant.refresh_from_db()
        audit.record(
            actor,
            "meetings.participant.respond",
            participant,
            before=before,
            after=audit.snapshot(participant, ("response", "reason", "deputy_name")),
        )
    return participant


def check_in(actor: Actor, participant: Participant, *, present: bool = True) -> Participant:
    """One click at the door (and one to take it back). A second click on an already checked-in
    person changes nothing."""
    actor = require(policy.can_check_in(actor.account, participant.meeting), actor)
    with transaction.atomic():
        if present:
            changed = Participant.objects.filter(pk=participant.pk, checked_in_at__isnull=True).update(
                checked_in_at=timezone.now(), checked_in_by=account_of(actor)
            )
        else:
            changed = Participant.objects.filter(pk=participant.pk, checked_in_at__isnull=False).update(
                checked_in_at=None, checked_in_by=None
            )
        if changed:
            action = "meetings.participant.check_in" if present else "meetings.participant.undo_check_in"
            audit.record(actor, action, participant, after={"meeting": participant.meeting_id})
    participant.refresh_from_db()
    return participant


# --- documents for the meeting and the minutes ---------------------------------------------------------


def attach_document(
    actor: Actor, meeting: Meeting, document: Document, *, agenda_item: AgendaItem | None = None
) -> MeetingDocument:
    """Attach a registry document (one the organiser can see) to the meeting or one agenda item."""
    actor = require(policy.can_edit(actor.account, meeting), actor)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": [_("This item is not on the meeting's agenda.")]})
    if meeting.documents.filter(document=document).exists():
        raise ValidationError({"document": [_("This document is already attached to the meeting.")]})
    with transaction.atomic():
        item = MeetingDocument.objects.create(
            meeting=meeting, document=document, agenda_item=agenda_item, added_by=account_of(actor)
        )
        audit.record(
            actor,
            "meetings.document.attach",
            item,
            after={"meeting": meeting.pk, "document": document.pk, "secrecy": document.secrecy},
        )
    return item


def detach_document(actor: Actor, item: MeetingDocument) -> None:
    actor = require(policy.can_edit(actor.account, item.meeting), actor)
    with transaction.atomic():
        audit.record(
            actor, "meetings.document.detach", item, before={"meeting": item.meeting_id, "document": item.document_id}
        )
        item.delete()


def record_minutes(actor: Actor, meeting: Meeting, *, text: str, upload: Upload | None = None) -> Meeting:
    """The minutes (biên bản): text, a file (a signed scan), or both; recording again replaces them."""
    actor = require(policy.can_record(actor.account, meeting), actor)
    text = vntext.nfc(text).strip()
    if not text and upload is None and meeting.minutes_file_id is None:
        raise ValidationError({"text": [_("Write the minutes or choose their file.")]})
    checked = check_uploads([upload], secrecy=Secrecy.NONE) if upload is not None else []
    with transaction.atomic():
        fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
        fields = ["minutes_text", "minutes_recorded_at", "updated_at"]
        fresh.minutes_text = text
        fresh.minutes_recorded_at = timezone.now()
        for found, sniffed in checked:
            blob = storage.store().put(found.data, encrypt=False)
            stored, _created = StoredFile.objects.get_or_create(
                sha256=blob.sha256,
                defaults={"size": blob.size, "media_type": sniffed.media_type, "encrypted": blob.encrypted},
            )
            fresh.minutes_file = stored
            fresh.minutes_file_name = found.name
            fields += ["minutes_file", "minutes_file_name"]
        fresh.save(update_fields=fields)
        audit.record(
            actor,
            "meetings.minutes.record",
            fresh,
            after={
                "text_length": len(text),
                "file": fresh.minutes_file_name,
                "sha256": getattr(fresh.minutes_file, "sha256", ""),
            },
        )
    return fresh
