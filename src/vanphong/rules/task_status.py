"""The status class of a task, read the same way by every list, count, panel, report and reminder.

The classes (Party Central Office guidance on tracking assigned tasks: each task is "in time",
"due soon", "overdue", "done on time", "done late"; an extension is shown with its new deadline):

``COMPLETED_ON_TIME``
    Completed, and the completion date is on or before the deadline in force (or there is none).
``COMPLETED_LATE``
    Completed after the deadline in force. For an extended task that is the *approved new*
    deadline: a task finished within its extension is on time.
``OVERDUE``
    Not completed and ``today`` is after the deadline in force. An extended task that passes its new
    deadline is overdue again, like any other.
``EXTENDED``
    Not completed, the deadline was moved by an approved extension, and the new deadline has not
    passed. It reads "extended" (with the new date beside it) rather than "due soon" even in its last
    days: what the office watches about it is that its deadline was moved.
``DUE_SOON``
    Not completed, not extended, and the deadline is within ``due_soon_days`` *calendar* days from
    today, today and the deadline day included (``0 <= deadline - today <= due_soon_days``).
``NOT_YET_DUE``
    Not completed and none of the above, including tasks without a deadline.

The deadline is the last day on which the work is on time (``rules.workdays`` computes it that way),
so completing on the deadline day is on time and the task becomes overdue the day after.
A cancelled task has no class; callers leave it out before asking.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta


class StatusClass(enum.StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    EXTENDED = "extended"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"

    @property
    def is_completed(self) -> bool:
        return self in (StatusClass.COMPLETED_ON_TIME, StatusClass.COMPLETED_LATE)


OPEN_CLASSES = (StatusClass.NOT_YET_DUE, StatusClass.DUE_SOON, StatusClass.OVERDUE, StatusClass.EXTENDED)


def classify(
    deadline: date | None,
    completed_on: date | None,
    today: date,
    *,
    extended: bool,
    due_soon_days: int,
) -> StatusClass:
    """The status class of a task with ``deadline`` in force (see the module docstring)."""
    if due_soon_days < 0:
        raise ValueError("due_soon_days must not be negative")
    if completed_on is not None:
        if deadline is None or completed_on <= deadline:
            return StatusClass.COMPLETED_ON_TIME
        return StatusClass.COMPLETED_LATE
    if deadline is None:
        return StatusClass.NOT_YET_DUE
    if today > deadline:
        return StatusClass.OVERDUE
    if extended:
        return StatusClass.EXTENDED
    if deadline <= today + timedelta(days=due_soon_days):
        return StatusClass.DUE_SOON
    return StatusClass.NOT_YET_DUE


def due_soon_until(today: date, due_soon_days: int) -> date:
    """The last deadline that reads "due soon" today (for database filters that mirror ``classify``)."""
    return today + timedelta(days=due_soon_days)
