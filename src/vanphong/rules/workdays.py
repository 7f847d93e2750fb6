"""Deadlines in working days and calendar days for Vietnamese public bodies.

Which days are working days
    The public-service week is Monday to Friday (Decision 188/1999/QĐ-TTg, the 40-hour week). A day is *not* a
    working day if it is a weekend day or a public holiday, unless the administrator has said
    otherwise. Precedence, highest first:

    1. ``extra_working_days`` (data entered by an administrator: a Saturday worked in exchange for a
       bridge day, e.g. Saturday 10/01/2026 worked for Friday 02/01/2026 under 12729/VPCP-KGVX);
    2. ``extra_days_off`` (data entered by an administrator: bridge days the Government grants);
    3. the public holidays of the ``holidays`` library (Labor Code 2019 Art. 112 and the observed
       days it derives from it: Tết Dương lịch, five days of Tết Nguyên đán, Giỗ tổ Hùng Vương,
       30/4, 1/5, 2/9 with the day beside it, from 2026 Ngày Văn hóa Việt Nam 24/11, plus the
       compensatory days of the years the library knows, such as Friday 02/05/2025);
    4. the Saturdays the library itself records as worked in exchange for its compensatory days
       (``weekend_workdays``, e.g. Saturday 26/04/2025), so that its data stays balanced;
    5. the weekend (Saturday and Sunday unless ``weekend`` says otherwise).

    The library only covers the years of its lunar calendar (1901-2100); dates outside raise
    ``out_of_range`` instead of silently having no holidays. Each year's compensatory arrangements
    are announced late (often in December for the next year), so they are data, never code.

Reckoning periods (Civil Code 2015 Art. 147-148; Decree 30/2020 counts deadlines the same way)
    * A period in days starts the day *after* the event: the day of ``start`` never counts.
    * When the last day of a period falls on a day off, the period ends at the end of the next
      working day.

``add_working_days(start, n)`` counts n working days after ``start``; ``add_calendar_days(start, n)``
is ``start + n`` moved forward to a working day. Both return the last day (inclusive) on which the
work is still on time.
"""

from __future__ import annotations

import bisect
import enum
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from holidays.countries.vietnam import Vietnam

# Stable error codes; the Django layer maps each to a translated message.
NEGATIVE_AMOUNT: Final = "negative_amount"
BAD_AMOUNT: Final = "bad_amount"
NOT_A_DATE: Final = "not_a_date"
OUT_OF_RANGE: Final = "out_of_range"
CONFLICTING_DAYS: Final = "conflicting_days"
BAD_WEEKEND: Final = "bad_weekend"
UNSUPPORTED_LANGUAGE: Final = "unsupported_language"
BAD_UNIT: Final = "bad_unit"

WORKDAY_ERROR_CODES: Final[tuple[str, ...]] = (
    NEGATIVE_AMOUNT,
    BAD_AMOUNT,
    NOT_A_DATE,
    OUT_OF_RANGE,
    CONFLICTING_DAYS,
    BAD_WEEKEND,
    UNSUPPORTED_LANGUAGE,
    BAD_UNIT,
)

# The library knows Vietnamese holidays only within its lunar calendar's range.
MIN_YEAR: Final[int] = Vietnam.start_year
MAX_YEAR: Final[int] = Vietnam.end_year
HOLIDAY_LANGUAGES: Final[tuple[str, ...]] = tuple(Vietnam.supported_languages)

SATURDAY_SUNDAY: Final = frozenset({5, 6})


class WorkdayError(ValueError):
    """A deadline cannot be computed as asked; ``code`` is one of ``WORKDAY_ERROR_CODES``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class DeadlineUnit(enum.StrEnum):
    """How a deadline's amount is counted: calendar days or working days."""

    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class _Table:
    """Working days of the years ``first_year``..``last_year`` as sorted ordinals and as a set."""

    first_year: int
    last_year: int
    ordinals: tuple[int, ...]
    ordinal_set: frozenset[int]


class _Cache:
    """Lazily built per-year data; shared by the threads using one calendar.

    Years are built under the lock and a whole ``_Table`` is swapped in at once, so readers
    without the lock never see a half-built one.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.lock = threading.Lock()
        self.names: dict[int, dict[date, str]] = {}
        self.weekend_workdays: set[date] = set()
        self.working_by_year: dict[int, tuple[int, ...]] = {}
        self.table: _Table | None = None

    # A lock cannot be pickled or deep-copied; a copied calendar simply rebuilds its years.
    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._reset()


def _check_date(value: object, what: str) -> date:
    # datetime is a date subclass but never equals a date, so it would slip past the day-off sets.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise WorkdayError(NOT_A_DATE, f"{what} must be a datetime.date (not a datetime), got {value!r}.")
    return value


def _check_amount(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WorkdayError(BAD_AMOUNT, f"{what} must be a whole number of days, got {value!r}.")
    if value < 0:
        raise WorkdayError(NEGATIVE_AMOUNT, f"{what} must not be negative, got {value}.")
    return value


@dataclass(frozen=True)
class WorkCalendar:
    """The working-day calendar of one office: the library's public holidays plus the office's data.

    ``extra_days_off`` and ``extra_working_days`` are the Government's yearly compensatory
    arrangements as an administrator entered them; they override the library (see the module
    docstring for the precedence). ``weekend`` holds ``date.weekday()`` numbers (Monday = 0).
    ``language`` picks the language of ``holiday_name``: "vi" (default, the official Vietnamese
    names, e.g. "Tết Nguyên Đán"), "en_US" or "th". Always explicit: with no language the library
    follows the process locale.
    """

    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    weekend: frozenset[int] = SATURDAY_SUNDAY
    language: str = "vi"
    _cache: _Cache = field(default_factory=_Cache, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Callers may hand in sets or lists; frozen sets keep the calendar hashable and immutable.
        for name in ("extra_days_off", "extra_working_days", "weekend"):
            value: Iterable[object] = getattr(self, name)
            object.__setattr__(self, name, frozenset(value))
        for day in self.extra_days_off | self.extra_working_days:
            _check_date(day, "Every extra day")
        both = self.extra_days_off & self.extra_working_days
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise WorkdayError(CONFLICTING_DAYS, f"Days both off and worked: {listed}.")
        if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in self.weekend):
            raise WorkdayError(BAD_WEEKEND, "Weekend days must be weekday numbers 0 (Monday) to 6 (Sunday).")
        if len(self.weekend) == 7:
            raise WorkdayError(BAD_WEEKEND, "A week with no working day cannot count working days.")
        if self.language not in HOLIDAY_LANGUAGES:
            raise WorkdayError(
                UNSUPPORTED_LANGUAGE,
                f"Holiday names exist in {', '.join(HOLIDAY_LANGUAGES)}, not {self.language!r}.",
            )

    # ----------------------------------------------------------------------------------------------
    # Building the per-year tables
    # ----------------------------------------------------------------------------------------------

    def _year_names(self, year: int) -> dict[date, str]:
        names = self._cache.names.get(year)
        if names is None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise WorkdayError(OUT_OF_RANGE, f"Holidays are known for {MIN_YEAR}-{MAX_YEAR} only, not for {year}.")
            library = Vietnam(years=year, language=self.language)
            names = dict(library.items())
            # Cross-year substitutions are listed by every year's object, so union them all.
            self._cache.weekend_workdays.update(library.weekend_workdays)
            self._cache.names[year] = names
        return names

    def _is_working_uncached(self, day: date, names: dict[date, str]) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off or day in names:
            return False
        if day in self._cache.weekend_workdays:
            return True
        return day.weekday() not in self.weekend

    def _year_working(self, year: int) -> tuple[int, ...]:
        working = self._cache.working_by_year.get(year)
        if working is None:
            names = self._year_names(year)
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            working = tuple(o for o in range(first, last + 1) if self._is_working_uncached(date.fromordinal(o), names))
            self._cache.working_by_year[year] = working
        return working

    def _table(self, first_year: int, last_year: int) -> _Table:
        table = self._cache.table
        if table is not None and table.first_year <= first_year and last_year <= table.last_year:
            return table
        with self._cache.lock:
            table = self._cache.table
            if table is not None:
                first_year = min(first_year, table.first_year)
                last_year = max(last_year, table.last_year)
            if first_year < MIN_YEAR or last_year > MAX_YEAR:
                raise WorkdayError(
                    OUT_OF_RANGE,
                    f"Holidays are known for {MIN_YEAR}-{MAX_YEAR} only; asked for {first_year}-{last_year}.",
                )
            ordinals: list[int] = []
            for year in range(first_year, last_year + 1):
                ordinals.extend(self._year_working(year))
            table = _Table(first_year, last_year, tuple(ordinals), frozenset(ordinals))
            self._cache.table = table
            return table

    def _nth_working_day(self, ordinal: int, year: int, n: int, *, inclusive: bool) -> date:
        """The n-th (n >= 1) working day after the day ``ordinal`` (or from it, if ``inclusive``)."""
        # About 250 working days a year; one spare year covers the weekend and holidays ahead.
        last_year = year + n // 240 + 1
        while True:
            table = self._table(year, min(last_year, MAX_YEAR))
            ordinals = table.ordinals
            index = (bisect.bisect_left if inclusive else bisect.bisect_right)(ordinals, ordinal) + n - 1
            if index < len(ordinals):
                return date.fromordinal(ordinals[index])
            if last_year >= MAX_YEAR:
                raise WorkdayError(OUT_OF_RANGE, f"The deadline falls after {MAX_YEAR}, beyond the known holidays.")
            last_year += 1 + n // 240

    # ----------------------------------------------------------------------------------------------
    # Public API
    # ----------------------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True if ``day`` is a working day by the precedence in the module docstring."""
        _check_date(day, "The day")
        return day.toordinal() in self._table(day.year, day.year).ordinal_set

    def holiday_name(self, day: date) -> str | None:
        """The library's name of the public holiday on ``day`` in ``self.language``, else None.

        Only the library's holidays and compensatory days have names; the administrator's
        ``extra_days_off`` carry their own labels in the caller's data.
        """
        _check_date(day, "The day")
        self._table(day.year, day.year)
        return self._year_names(day.year).get(day)

    def next_working_day(self, day: date, *, include_today: bool = False) -> date:
        """The first working day after ``day`` (or ``day`` itself if ``include_today`` and it is one)."""
        _check_date(day, "The day")
        return self._nth_working_day(day.toordinal(), day.year, 1, inclusive=include_today)

    def add_working_days(self, start: date, n: int) -> date:
        """The deadline "within n working days from ``start``" (Civil Code 2015 Art. 147).

        ``start`` itself never counts, even if it is a working day; the result is the n-th working
        day after it, so it is always a working day. ``n == 0`` means "the same day": ``start`` if
        it is a working day, else the next working day (Art. 148).
        """
        _check_date(start, "The start")
        _check_amount(n, "The number of working days")
        if n == 0:
            return self._nth_working_day(start.toordinal(), start.year, 1, inclusive=True)
        if n > (MAX_YEAR - start.year + 1) * 366:
            raise WorkdayError(OUT_OF_RANGE, f"{n} working days from {start} run beyond {MAX_YEAR}.")
        return self._nth_working_day(start.toordinal(), start.year, n, inclusive=False)

    def add_calendar_days(self, start: date, n: int) -> date:
        """The deadline "within n days from ``start``" (Civil Code 2015 Art. 147-148).

        ``start + n`` days; if that day is not a working day, the period ends on the next working
        day instead.
        """
        _check_date(start, "The start")
        _check_amount(n, "The number of days")
        try:
            last = start + timedelta(days=n)
        except OverflowError:
            raise WorkdayError(OUT_OF_RANGE, f"{n} days from {start} run beyond the calendar.") from None
        return self._nth_working_day(last.toordinal(), last.year, 1, inclusive=True)

    def deadline(self, start: date, amount: int, unit: DeadlineUnit | str) -> date:
        """The deadline ``amount`` days of ``unit`` after ``start`` (see the two ``add_*`` methods)."""
        try:
            unit = DeadlineUnit(unit)
        except ValueError:
            raise WorkdayError(BAD_UNIT, f"Unknown deadline unit {unit!r}; use 'calendar' or 'working'.") from None
        if unit is DeadlineUnit.WORKING:
            return self.add_working_days(start, amount)
        return self.add_calendar_days(start, amount)

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]: "days left" until b, or days overdue since a.

        Negative, counting the working days in (b, a], when ``b`` is before ``a``; 0 when equal.
        """
        _check_date(a, "The first day")
        _check_date(b, "The second day")
        ordinals = self._table(min(a.year, b.year), max(a.year, b.year)).ordinals
        return bisect.bisect_right(ordinals, b.toordinal()) - bisect.bisect_right(ordinals, a.toordinal())
