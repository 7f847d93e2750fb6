"""The home-page panel of the meetings module: my meetings today and this week, and invitations
awaiting my answer."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.meetings import access
from vanphong.meetings.models import MeetingState, RoomBooking
from vanphong.registry import Panel, registry


def _mine(request: HttpRequest) -> dict[str, Any] | None:
    """Hidden when there is nothing this week and no invitation waits."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = start + datetime.timedelta(days=7)
    meetings = list(
        access.meetings_visible_to(request.user)
        .filter(starts_at__lt=end, ends_at__gte=start)
        .exclude(state__in=(MeetingState.DRAFT, MeetingState.CANCELLED))
        .prefetch_related(
            Prefetch("bookings", queryset=RoomBooking.objects.filter(cancelled_at__isnull=True).select_related("room"))
        )
        .order_by("starts_at")[:20]
    )
    pending = list(access.pending_invitations(request.user)[:10])
    if not meetings and not pending:
        return None
    today_rows = [m for m in meetings if timezone.localtime(m.starts_at).date() == today]
    week_rows = [m for m in meetings if m not in today_rows]
    return {"today": today_rows, "week": week_rows, "pending": pending}


registry.panel(Panel("meetings_mine", _("My meetings"), "meetings/panels/mine.html", _mine, order=22))
