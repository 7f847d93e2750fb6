"""The status classes of tasks, read by a table of cases (rules.task_status)."""

from __future__ import annotations

from datetime import date

import pytest

from vanphong.rules.task_status import StatusClass, classify, due_soon_until

TODAY = date(2026, 12, 7)
S = StatusClass


@pytest.mark.parametrize(
    ("deadline", "completed_on", "extended", "expected"),
    [
        # not completed
        (None, None, False, S.NOT_YET_DUE),  # no deadline is never due
        (date(2026, 12, 31), None, False, S.NOT_YET_DUE),
        (date(2026, 12, 15), None, False, S.NOT_YET_DUE),  # 8 days away, with 7 due-soon days
        (date(2026, 12, 14), None, False, S.DUE_SOON),  # exactly 7 days away
        (date(2026, 12, 8), None, False, S.DUE_SOON),
        (TODAY, None, False, S.DUE_SOON),  # the deadline day itself is still on time
        (date(2026, 12, 6), None, False, S.OVERDUE),  # the day after the deadline
        (date(2025, 1, 1), None, False, S.OVERDUE),
        # extended: "extended" until the new deadline passes, then overdue like any other
        (date(2026, 12, 31), None, True, S.EXTENDED),
        (date(2026, 12, 9), None, True, S.EXTENDED),  # within the due-soon window, still reads extended
        (TODAY, None, True, S.EXTENDED),
        (date(2026, 12, 6), None, True, S.OVERDUE),
        # completed
        (date(2026, 12, 10), date(2026, 12, 10), False, S.COMPLETED_ON_TIME),  # on the deadline day
        (date(2026, 12, 10), date(2026, 12, 1), False, S.COMPLETED_ON_TIME),
        (date(2026, 12, 10), date(2026, 12, 11), False, S.COMPLETED_LATE),
        (None, date(2026, 12, 1), False, S.COMPLETED_ON_TIME),
        (date(2026, 12, 20), date(2026, 12, 15), True, S.COMPLETED_ON_TIME),  # within the extension
        (date(2026, 12, 20), date(2026, 12, 21), True, S.COMPLETED_LATE),  # late even after the extension
        (date(2026, 1, 10), date(2026, 1, 9), False, S.COMPLETED_ON_TIME),  # long ago: "today" does not matter
    ],
)
def test_classify(deadline: date | None, completed_on: date | None, extended: bool, expected: StatusClass) -> None:
    assert classify(deadline, completed_on, TODAY, extended=extended, due_soon_days=7) is expected


def test_zero_due_soon_days_leaves_only_the_deadline_day() -> None:
    assert classify(TODAY, None, TODAY, extended=False, due_soon_days=0) is S.DUE_SOON
    assert classify(date(2026, 12, 8), None, TODAY, extended=False, due_soon_days=0) is S.NOT_YET_DUE


def test_negative_due_soon_days_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        classify(TODAY, None, TODAY, extended=False, due_soon_days=-1)


def test_completed_classes_and_window() -> None:
    assert {c for c in S if c.is_completed} == {S.COMPLETED_ON_TIME, S.COMPLETED_LATE}
    assert due_soon_until(TODAY, 7) == date(2026, 12, 14)
