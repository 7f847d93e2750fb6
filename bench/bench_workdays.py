"""How fast are working-day deadlines: 100,000 of them, as the reminders and the registers compute them.

    python bench/bench_workdays.py [--count 100000]

``rules.workdays.WorkCalendar.deadline`` (one sorted table of working days per span of years, a
bisect per call) against the plain reference in the same run: walking day by day and asking the
``holidays`` library and the office's own days off for each day. Both must give the same dates.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from holidays.countries.vietnam import Vietnam

from vanphong.rules.workdays import DeadlineUnit, WorkCalendar

# Văn phòng UBND tỉnh Sơn Hà's own arrangements (the Government's swaps): see rules/tests/test_workdays.py.
EXTRA_DAYS_OFF = frozenset({date(2025, 1, 27), date(2026, 1, 2)})
EXTRA_WORKING_DAYS = frozenset({date(2026, 1, 10)})


def walked(start: date, amount: int, public: Vietnam) -> date:
    """The reference: step a day at a time, asking the library about each day (its holidays,
    compensatory days off and the Saturdays worked in exchange)."""

    def working(day: date) -> bool:
        if day in EXTRA_WORKING_DAYS:
            return True
        return public.is_working_day(day) and day not in EXTRA_DAYS_OFF

    day = start
    if amount == 0:
        while not working(day):
            day += timedelta(days=1)
        return day
    while amount:
        day += timedelta(days=1)
        amount -= working(day)
    return day


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    cases = [(date(2024, 1, 1) + timedelta(days=i % 1000), i % 45) for i in range(args.count)]
    calendar = WorkCalendar(extra_days_off=EXTRA_DAYS_OFF, extra_working_days=EXTRA_WORKING_DAYS)
    calendar.add_working_days(date(2024, 1, 1), 1)  # the first call builds the years, as in production
    began = time.perf_counter()
    fast = [calendar.deadline(start, amount, DeadlineUnit.WORKING) for start, amount in cases]
    table_seconds = time.perf_counter() - began
    public = Vietnam(years=range(2024, 2028))
    began = time.perf_counter()
    slow = [walked(start, amount, public) for start, amount in cases]
    walk_seconds = time.perf_counter() - began
    if fast != slow:
        wrong = next(i for i, (a, b) in enumerate(zip(fast, slow, strict=True)) if a != b)
        print(f"MISMATCH at {cases[wrong]}: table {fast[wrong]}, walk {slow[wrong]}")
        return 1
    print(f"{args.count} deadlines in working days (0-44 days from 2024-2026 starts), same dates both ways")
    print(f"  WorkCalendar.deadline  {table_seconds * 1000:8.1f} ms  ({table_seconds / args.count * 1e6:.2f} µs each)")
    print(f"  day-by-day reference   {walk_seconds * 1000:8.1f} ms  ({walk_seconds / args.count * 1e6:.2f} µs each)")
    print(f"  reference / table      {walk_seconds / table_seconds:8.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
