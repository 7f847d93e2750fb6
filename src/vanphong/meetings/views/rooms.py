"""Rooms: the list (with a form for a new room), editing a room, a room's bookings week by week with a booking form,
and cancelling a booking made outside a meeting."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_service_errors
from vanphong.core.views.common import actor_of
from vanphong.meetings import access, policy
from vanphong.meetings.forms import BookingForm, RoomEditForm, RoomForm
from vanphong.meetings.models import Room, RoomBooking
from vanphong.meetings.services import rooms as services
from vanphong.meetings.views.common import go, run


@login_required
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    bodies = access.bodies_organised_by(request.user)
    rooms = access.rooms_visible_to(request.user).order_by("body__path", "name")
    editable = {room.pk for room in rooms if policy.can_organise(request.user, room.body)}
    context = {"rooms": rooms, "editable": editable, "form": RoomForm(bodies=bodies) if bodies.exists() else None}
    return render(request, "meetings/room_list.html", context)


@login_required
@require_POST
def room_new(request: HttpRequest) -> HttpResponse:
    bodies = access.bodies_organised_by(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = RoomForm(request.POST, bodies=bodies)

    def perform(_d: dict[str, Any]) -> str:
        room = services.create_room(actor_of(request), form.data_for_service())
        return _("The room “{name}” is added.").format(name=room.name)

    def page() -> HttpResponse:
        rooms = access.rooms_visible_to(request.user).order_by("body__path", "name")
        return render(request, "meetings/room_list.html", {"rooms": rooms, "form": form}, status=400)

    return run(request, form, perform, back=reverse("meetings:rooms"), page=page)


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a room's details or take it out of use (the same people who add rooms to its body)."""
    room = access.access_room(request.user, pk)
    access.require(policy.can_organise(request.user, room.body))
    if request.method == "GET":
        initial = {name: getattr(room, name) for name in services.ROOM_FIELDS if name != "body"}
        return render(request, "meetings/room_form.html", {"room": room, "form": RoomEditForm(initial=initial)})
    form = RoomEditForm(request.POST)

    def perform(_d: dict[str, Any]) -> str:
        services.update_room(actor_of(request), room, form.data_for_service(room))
        return _("The room “{name}” is saved.").format(name=room.name)

    def page() -> HttpResponse:
        return render(request, "meetings/room_form.html", {"room": room, "form": form}, status=400)

    return run(request, form, perform, back=reverse("meetings:rooms"), page=page)


def week_of(request: HttpRequest) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


def _room_page(request: HttpRequest, room: Room, form: BookingForm | None = None, *, status: int = 200) -> HttpResponse:
    monday = week_of(request)
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = start + datetime.timedelta(days=7)
    bookings = list(
        RoomBooking.objects.active()
        .overlapping(start, end)
        .filter(room=room)
        .select_related("meeting", "booked_by")
        .order_by("starts_at")
    )
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        days.append(
            (
                day,
                [
                    b
                    for b in bookings
                    if timezone.localtime(b.starts_at).date() <= day <= timezone.localtime(b.ends_at).date()
                ],
            )
        )
    context = {
        "room": room,
        "days": days,
        "monday": monday,
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "form": form or BookingForm(initial={"day": max(monday, timezone.localdate())}),
        "may_book": bool(policy.can_book(request.user, room)),
    }
    return render(request, "meetings/room.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    room = access.access_room(request.user, pk)
    if request.method == "GET":
        return _room_page(request, room)
    access.require(policy.can_book(request.user, room))
    form = BookingForm(request.POST)
    if form.is_valid():
        starts_at, ends_at = form.times()
        try:
            services.book(actor_of(request), room, starts_at, ends_at, purpose=form.cleaned_data["purpose"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("{room} is booked.").format(room=room.name))
            return go(request, _week_url(room, form.cleaned_data["day"]))
    return _room_page(request, room, form, status=400)


def _week_url(room: Room, day: datetime.date) -> str:
    monday = day - datetime.timedelta(days=day.weekday())
    return f"{reverse('meetings:room', args=[room.pk])}?week={monday.isoformat()}"


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = access.access_booking(request.user, pk)
    access.require(policy.can_cancel_booking(request.user, booking))
    try:
        services.cancel_booking(actor_of(request), booking)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _room_page(request, booking.room, status=400)
    messages.success(request, _("The booking is cancelled."))
    return go(request, _week_url(booking.room, timezone.localtime(booking.starts_at).date()))
