"""The home-page panel of the weekly schedule: my events this week, and whether the week was revised."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.registry import Panel, registry
from vanphong.schedule import published


def _my_week(request: HttpRequest) -> dict[str, Any] | None:
    """The person's published events of the current ISO week; hidden when there are none."""
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        return None
    year, week, _day = timezone.localdate().isocalendar()
    rows = published.events_of_person(person_id, year=year, week=week)
    if not rows:
        return None
    revised = sorted({(row.schedule.pk, row.schedule.title, row.revision) for row in rows if row.revision > 1})
    return {"rows": rows, "revised": revised}


registry.panel(
    Panel("schedule_my_week", _("My schedule this week"), "schedule/panels/my_week.html", _my_week, order=12)
)
