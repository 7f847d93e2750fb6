"""The installation's working calendar: public holidays plus the administrator's adjustments.

Documents and tasks compute every working-day deadline through ``calendar()``, so that the rule is
written once (``rules.workdays``) and the data (``CalendarAdjustment``) is read at most once a minute
per process (adjustments are made a few times a year; ``changed()`` refreshes this process at once).
"""

from __future__ import annotations

import datetime
import time

from vanphong.core.models import CalendarAdjustment, DayKind
from vanphong.rules.workdays import DeadlineUnit, WorkCalendar

_REFRESH_SECONDS = 60.0
_held: list[tuple[float, WorkCalendar]] = []


def calendar() -> WorkCalendar:
    """The current calendar (public holidays from the ``holidays`` library, plus adjustments)."""
    now = time.monotonic()
    if _held and now - _held[0][0] < _REFRESH_SECONDS:
        return _held[0][1]
    rows = list(CalendarAdjustment.objects.values_list("day", "kind"))
    built = WorkCalendar(
        extra_days_off=frozenset(day for day, kind in rows if kind == DayKind.DAY_OFF),
        extra_working_days=frozenset(day for day, kind in rows if kind == DayKind.WORKING_DAY),
    )
    _held[:] = [(now, built)]
    return built


def changed() -> None:
    """Call after adding or removing an adjustment, so this process reads them again."""
    _held.clear()


def deadline(start: datetime.date, amount: int, unit: str) -> datetime.date:
    """A deadline ``amount`` calendar or working days after ``start`` (see ``rules.workdays``)."""
    return calendar().deadline(start, amount, DeadlineUnit(unit))
