"""Rooms and their bookings, without double booking.

``book`` locks the room's row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite every transaction is
IMMEDIATE, so the write lock is taken at its start) before it looks for an active booking that shares
time with the one asked for; two people booking the same slot at once are served one after the other
and the second is refused with the first booking's name and times. Back-to-back bookings (one ends
when the next starts) do not overlap.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization
from vanphong.lib import vntext
from vanphong.meetings import policy
from vanphong.meetings.models import Meeting, Room, RoomBooking
from vanphong.meetings.services.common import account_of, local, require

ROOM_FIELDS = ("body", "name", "building", "floor", "capacity", "equipment", "active")
BOOKING_FIELDS = ("room", "starts_at", "ends_at", "meeting", "purpose")


@dataclass
class RoomData:
    body: Organization
    name: str
    building: str = ""
    floor: str = ""
    capacity: int = 0
    equipment: str = ""
    active: bool = True


def _clean_room(data: RoomData, *, exclude: int | None = None) -> None:
    data.name = vntext.nfc(data.name).strip()
    errors: dict[str, list[str]] = {}
    if not data.name:
        errors["name"] = [_("Enter the room's name.")]
    elif (
        Room.objects.filter(body=data.body, name__iexact=data.name)
        .exclude(pk__in=[exclude] if exclude else [])
        .exists()
    ):
        errors["name"] = [_("{body} already has a room named “{name}”.").format(body=data.body, name=data.name)]
    if errors:
        raise ValidationError(errors)


def create_room(actor: Actor, data: RoomData) -> Room:
    actor = require(policy.can_organise(actor.account, data.body), actor)
    _clean_room(data)
    with transaction.atomic():
        room = Room.objects.create(**{name: getattr(data, name) for name in ROOM_FIELDS})
        audit.record(actor, "meetings.room.create", room, after=audit.snapshot(room, ROOM_FIELDS))
    return room


def update_room(actor: Actor, room: Room, data: RoomData) -> Room:
    actor = require(policy.can_organise(actor.account, room.body), actor)
    data.body = room.body
    _clean_room(data, exclude=room.pk)
    with transaction.atomic():
        before = audit.snapshot(room, ROOM_FIELDS)
        for name in ROOM_FIELDS:
            setattr(room, name, getattr(data, name))
        room.save(update_fields=list(ROOM_FIELDS))
        audit.record_changes(actor, "meetings.room.update", room, before, ROOM_FIELDS)
    return room


def clash_message(other: RoomBooking) -> str:
    start, end = local(other.starts_at), local(other.ends_at)
    return _(
        "{room} is already booked from {start} to {end} on {day} for “{title}”. Choose another time or room."
    ).format(
        room=other.room.name,
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
        day=f"{start:%d/%m/%Y}",
        title=other.title or _("another booking"),
    )


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must come after the start.")]})


def reserve(
    actor: Actor,
    room: Room,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    meeting: Meeting | None = None,
    purpose: str = "",
    ignore: RoomBooking | None = None,
) -> RoomBooking:
    """Book inside the caller's transaction (meeting services call this after their own check)."""
    _check_times(starts_at, ends_at)
    locked = Room.objects.select_for_update().select_related("body").get(pk=room.pk)
    if not locked.active:
        raise ValidationError({"room": [_("{room} is no longer in use.").format(room=locked.name)]})
    clash = (
        RoomBooking.objects.active()
        .overlapping(starts_at, ends_at)
        .filter(room=locked)
        .exclude(pk__in=[ignore.pk] if ignore else [])
        .select_related("room", "meeting")
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ValidationError({"room": ValidationError(clash_message(clash), code="room_booked")})
    booking = RoomBooking.objects.create(
        room=locked,
        starts_at=starts_at,
        ends_at=ends_at,
        meeting=meeting,
        purpose=vntext.nfc(purpose).strip(),
        booked_by=account_of(actor),
    )
    audit.record(actor, "meetings.room.book", booking, after=audit.snapshot(booking, BOOKING_FIELDS))
    return booking


def book(
    actor: Actor, room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime, *, purpose: str
) -> RoomBooking:
    """Book a room for a purpose other than a meeting of this module (a reception, a training)."""
    actor = require(policy.can_book(actor.account, room), actor)
    if not vntext.nfc(purpose).strip():
        raise ValidationError({"purpose": [_("Say what the room is booked for.")]})
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        return reserve(actor, room, starts_at, ends_at, purpose=purpose)


def release(actor: Actor, booking: RoomBooking) -> bool:
    """Cancel a booking inside the caller's transaction; False when it was already cancelled."""
    changed = RoomBooking.objects.filter(pk=booking.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
    if changed:
        audit.record(actor, "meetings.room.release", booking, after={"room": booking.room_id})
    return bool(changed)


def cancel_booking(actor: Actor, booking: RoomBooking) -> RoomBooking:
    actor = require(policy.can_cancel_booking(actor.account, booking), actor)
    if booking.meeting_id is not None:
        raise ValidationError(_("This booking belongs to a meeting: change the meeting's room or cancel the meeting."))
    with transaction.atomic():
        if not release(actor, booking):
            raise ValidationError(_("The booking was already cancelled."))
    booking.refresh_from_db()
    return booking
