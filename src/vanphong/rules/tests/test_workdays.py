"""Working-day deadlines across Tết, 30/4-1/5, 2/9 and New Year, with the Government's yearly swaps as data."""

from __future__ import annotations

import copy
import pickle
from datetime import date, datetime, timedelta

import pytest
from holidays.countries.vietnam import Vietnam
from hypothesis import given, settings
from hypothesis import strategies as st

from vanphong.rules.workdays import (
    MAX_YEAR,
    MIN_YEAR,
    WORKDAY_ERROR_CODES,
    DeadlineUnit,
    WorkCalendar,
    WorkdayError,
)

D = date

# The office calendar of Văn phòng UBND tỉnh Sơn Hà as its administrator entered the Government's
# arrangements:
# * Tết Ất Tỵ 2025 (announcement 6150/TB-BLĐTBXH): break 25/01-02/02/2025. Monday 27/01 is the day off
#   for the Tết day falling on Saturday 01/02; the library already derives it, so entering it again
#   must change nothing.
# * New Year 2026 (12729/VPCP-KGVX, 25/12/2025): off 01/01-04/01/2026, Friday 02/01 swapped with
#   Saturday 10/01/2026, which is worked. The library does not know this swap: it is data.
EXTRA_DAYS_OFF = frozenset({D(2025, 1, 27), D(2026, 1, 2)})
EXTRA_WORKING_DAYS = frozenset({D(2026, 1, 10)})
OFFICE = WorkCalendar(extra_days_off=EXTRA_DAYS_OFF, extra_working_days=EXTRA_WORKING_DAYS)
PLAIN = WorkCalendar()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --------------------------------------------------------------------------------------------------
# What the holidays library (0.109) actually returns; the rest of the tests rely on these facts.
# --------------------------------------------------------------------------------------------------

LIBRARY_2025 = {
    D(2025, 1, 1): "Tết Dương lịch",
    D(2025, 1, 27): "29 Tết",  # observed for Mùng bốn on Saturday 01/02: the 2025 bridge Monday
    D(2025, 1, 28): "Giao thừa Tết Nguyên Đán",
    D(2025, 1, 29): "Tết Nguyên Đán",
    D(2025, 1, 30): "Mùng hai Tết Nguyên Đán",
    D(2025, 1, 31): "Mùng ba Tết Nguyên Đán",
    D(2025, 2, 1): "Mùng bốn Tết Nguyên Đán",
    D(2025, 4, 7): "Ngày Giỗ Tổ Hùng Vương",  # 10/3 âm lịch
    D(2025, 4, 30): "Ngày Chiến thắng",
    D(2025, 5, 1): "Ngày Quốc tế Lao động",
    D(2025, 5, 2): "Ngày nghỉ (thay cho ngày 26/04/2025)",  # Saturday 26/04 worked instead
    D(2025, 9, 1): "Quốc khánh",  # the day beside 2/9
    D(2025, 9, 2): "Quốc khánh",
}

LIBRARY_2026 = {
    D(2026, 1, 1): "Tết Dương lịch",
    D(2026, 2, 16): "Giao thừa Tết Nguyên Đán",
    D(2026, 2, 17): "Tết Nguyên Đán",
    D(2026, 2, 18): "Mùng hai Tết Nguyên Đán",
    D(2026, 2, 19): "Mùng ba Tết Nguyên Đán",
    D(2026, 2, 20): "Mùng bốn Tết Nguyên Đán",
    D(2026, 4, 26): "Ngày Giỗ Tổ Hùng Vương",  # a Sunday
    D(2026, 4, 27): "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
    D(2026, 4, 30): "Ngày Chiến thắng",
    D(2026, 5, 1): "Ngày Quốc tế Lao động",
    D(2026, 8, 31): "Ngày nghỉ (thay cho ngày 22/08/2026)",  # Saturday 22/08 worked instead
    D(2026, 9, 1): "Quốc khánh",
    D(2026, 9, 2): "Quốc khánh",
    D(2026, 11, 24): "Ngày Văn hóa Việt Nam",  # new from 2026 (Resolution 80-NQ/TW)
}


@pytest.mark.parametrize(("year", "expected"), [(2025, LIBRARY_2025), (2026, LIBRARY_2026)])
def test_library_holidays_are_the_ones_the_tables_assume(year: int, expected: dict[date, str]) -> None:
    assert dict(Vietnam(years=year, language="vi").items()) == expected
    assert {d: PLAIN.holiday_name(d) for d in expected} == expected


def test_library_records_the_saturdays_worked_for_its_own_swaps() -> None:
    assert {D(2025, 4, 26), D(2026, 8, 22)} <= Vietnam(years=[2025, 2026]).weekend_workdays
    assert PLAIN.is_working_day(D(2025, 4, 26))
    assert PLAIN.is_working_day(D(2026, 8, 22))
    assert PLAIN.holiday_name(D(2025, 4, 26)) is None


@pytest.mark.parametrize(
    ("language", "day", "name"),
    [
        ("vi", D(2025, 1, 29), "Tết Nguyên Đán"),
        ("en_US", D(2025, 1, 29), "Lunar New Year"),
        ("en_US", D(2025, 9, 1), "National Day"),
        ("vi", D(2025, 1, 2), None),
        ("vi", D(2026, 1, 2), None),  # an administrator's bridge day has no library name
    ],
)
def test_holiday_name_in_the_chosen_language(language: str, day: date, name: str | None) -> None:
    assert WorkCalendar(extra_days_off=EXTRA_DAYS_OFF, language=language).holiday_name(day) == name


# --------------------------------------------------------------------------------------------------
# Official breaks: the library plus the administrator's data reproduce every announced break.
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_off", "last_off", "what"),
    [
        (D(2025, 1, 25), D(2025, 2, 2), "Tết Ất Tỵ 2025, 9 days"),
        (D(2026, 2, 14), D(2026, 2, 22), "Tết Bính Ngọ 2026, 9 days"),
        (D(2025, 4, 30), D(2025, 5, 4), "30/4-1/5 2025 with Friday 02/05 swapped"),
        (D(2025, 8, 30), D(2025, 9, 2), "Quốc khánh 2025, Saturday to Tuesday"),
        (D(2026, 1, 1), D(2026, 1, 4), "New Year 2026 with Friday 02/01 swapped (data)"),
        (D(2026, 4, 25), D(2026, 4, 27), "Giỗ tổ 2026 on a Sunday, observed Monday"),
        (D(2026, 4, 30), D(2026, 5, 3), "30/4-1/5 2026, Thursday to Sunday"),
        (D(2026, 8, 29), D(2026, 9, 2), "Quốc khánh 2026 with Monday 31/08 swapped"),
    ],
)
def test_official_breaks_are_days_off_and_bounded_by_working_days(first_off: date, last_off: date, what: str) -> None:
    assert not any(OFFICE.is_working_day(d) for d in _days(first_off, last_off)), what
    assert OFFICE.is_working_day(first_off - timedelta(days=1)), what
    assert OFFICE.is_working_day(last_off + timedelta(days=1)), what


def test_new_year_2026_swap_exists_only_as_data() -> None:
    assert PLAIN.is_working_day(D(2026, 1, 2))
    assert not PLAIN.is_working_day(D(2026, 1, 10))
    assert not OFFICE.is_working_day(D(2026, 1, 2))
    assert OFFICE.is_working_day(D(2026, 1, 10))


def test_bridge_day_the_library_already_has_changes_nothing() -> None:
    start = D(2025, 1, 1)
    for n in range(1, 40):
        assert OFFICE.add_working_days(start, n) == PLAIN.add_working_days(start, n)


def test_administrator_data_overrides_the_library() -> None:
    # Say the office must staff Mùng bốn 2026 and closes on an ordinary Wednesday.
    calendar = WorkCalendar(extra_working_days=frozenset({D(2026, 2, 20)}), extra_days_off=frozenset({D(2026, 3, 4)}))
    assert calendar.is_working_day(D(2026, 2, 20))
    assert not calendar.is_working_day(D(2026, 3, 4))
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 20)


# --------------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (D(2025, 1, 24), 1, D(2025, 2, 3), "Friday before Tết 2025 -> first day back"),
        (D(2025, 1, 23), 2, D(2025, 2, 3), "Thursday: Friday 24/01 is day 1"),
        (D(2025, 1, 24), 5, D(2025, 2, 7), "a week of working days after Tết"),
        (D(2025, 1, 29), 1, D(2025, 2, 3), "registered on Tết day itself"),
        (D(2026, 2, 13), 1, D(2026, 2, 23), "Friday before Tết 2026"),
        (D(2026, 2, 13), 10, D(2026, 3, 6), "ten working days across Tết 2026"),
        (D(2025, 12, 31), 1, D(2026, 1, 5), "New Year 2026 with the 02/01 bridge day"),
        (D(2025, 12, 31), 5, D(2026, 1, 9), "five working days into 2026"),
        (D(2025, 12, 31), 6, D(2026, 1, 10), "the compensatory Saturday 10/01/2026 counts"),
        (D(2025, 4, 25), 1, D(2025, 4, 26), "Saturday 26/04/2025 worked (library swap)"),
        (D(2025, 4, 29), 1, D(2025, 5, 5), "30/4, 1/5, the swapped 2/5 and the weekend"),
        (D(2025, 8, 29), 1, D(2025, 9, 3), "Quốc khánh 2025: 1/9 and 2/9 off"),
        (D(2026, 8, 21), 1, D(2026, 8, 22), "Saturday 22/08/2026 worked (library swap)"),
        (D(2026, 8, 28), 1, D(2026, 9, 3), "Quốc khánh 2026: 31/8 swapped, 1/9, 2/9"),
        (D(2026, 4, 24), 1, D(2026, 4, 28), "Giỗ tổ 2026 observed on Monday 27/04"),
        (D(2026, 4, 29), 1, D(2026, 5, 4), "30/4-1/5 2026 on Thursday and Friday"),
        (D(2026, 11, 23), 1, D(2026, 11, 25), "Ngày Văn hóa Việt Nam 24/11/2026"),
        (D(2025, 3, 7), 1, D(2025, 3, 10), "an ordinary Friday"),
        (D(2025, 3, 8), 1, D(2025, 3, 10), "start on a Saturday: Monday is day 1"),
        (D(2025, 3, 10), 0, D(2025, 3, 10), "n=0 on a working day is that day"),
        (D(2025, 1, 25), 0, D(2025, 2, 3), "n=0 in the Tết break is the first day back"),
        (D(2026, 1, 10), 0, D(2026, 1, 10), "n=0 on the worked Saturday is that Saturday"),
        (D(2025, 6, 2), 15, D(2025, 6, 23), "fifteen working days, no holiday"),
    ],
)
def test_add_working_days(start: date, n: int, expected: date, why: str) -> None:
    assert OFFICE.add_working_days(start, n) == expected, why
    assert OFFICE.deadline(start, n, DeadlineUnit.WORKING) == expected, why
    assert OFFICE.deadline(start, n, "working") == expected, why


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (D(2025, 1, 20), 10, D(2025, 2, 3), "ends on Mùng hai 2025 -> next working day"),
        (D(2025, 12, 22), 10, D(2026, 1, 5), "ends on 01/01/2026 -> after the bridge day and weekend"),
        (D(2025, 4, 1), 30, D(2025, 5, 5), "ends on 1/5/2025"),
        (D(2026, 4, 6), 14, D(2026, 4, 20), "ends on an ordinary Monday"),
        (D(2026, 1, 3), 7, D(2026, 1, 10), "ends on the worked Saturday 10/01/2026"),
        (D(2026, 1, 10), 0, D(2026, 1, 10), "zero days on a working day"),
        (D(2026, 2, 7), 7, D(2026, 2, 23), "ends on Saturday 14/02/2026 -> after Tết"),
    ],
)
def test_add_calendar_days(start: date, n: int, expected: date, why: str) -> None:
    assert OFFICE.add_calendar_days(start, n) == expected, why
    assert OFFICE.deadline(start, n, DeadlineUnit.CALENDAR) == expected, why


@pytest.mark.parametrize(
    ("day", "include_today", "expected"),
    [
        (D(2025, 1, 24), False, D(2025, 2, 3)),
        (D(2025, 1, 24), True, D(2025, 1, 24)),
        (D(2025, 1, 26), True, D(2025, 2, 3)),
        (D(2026, 1, 9), False, D(2026, 1, 10)),
        (D(2025, 12, 31), False, D(2026, 1, 5)),
    ],
)
def test_next_working_day(day: date, include_today: bool, expected: date) -> None:
    assert OFFICE.next_working_day(day, include_today=include_today) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2025, 1, 24), D(2025, 2, 3), 1),
        (D(2025, 2, 3), D(2025, 1, 24), -1),  # (24/01, 03/02]: one working day, counted backwards
        (D(2025, 2, 3), D(2025, 2, 3), 0),
        (D(2025, 1, 25), D(2025, 2, 2), 0),
        (D(2025, 12, 31), D(2026, 1, 10), 6),
        (D(2026, 2, 13), D(2026, 2, 23), 1),
        (D(2025, 1, 1), D(2025, 12, 31), 250),  # 261 weekdays - 12 holidays + Saturday 26/04
    ],
)
def test_working_days_between(a: date, b: date, expected: int) -> None:
    assert OFFICE.working_days_between(a, b) == expected


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: PLAIN.add_working_days(D(2025, 1, 1), -1), "negative_amount"),
        (lambda: PLAIN.add_calendar_days(D(2025, 1, 1), -3), "negative_amount"),
        (lambda: PLAIN.add_working_days(D(2025, 1, 1), True), "bad_amount"),
        (lambda: PLAIN.add_working_days(D(2025, 1, 1), 2.0), "bad_amount"),  # type: ignore[arg-type]
        (lambda: PLAIN.add_working_days(datetime(2025, 1, 1, 8, 0), 1), "not_a_date"),  # noqa: DTZ001
        (lambda: PLAIN.is_working_day("2025-01-01"), "not_a_date"),  # type: ignore[arg-type]
        (lambda: PLAIN.deadline(D(2025, 1, 1), 3, "month"), "bad_unit"),
        (lambda: PLAIN.is_working_day(D(MAX_YEAR + 1, 1, 1)), "out_of_range"),
        (lambda: PLAIN.is_working_day(D(MIN_YEAR - 1, 12, 31)), "out_of_range"),
        (lambda: PLAIN.add_working_days(D(MAX_YEAR, 12, 20), 30), "out_of_range"),
        (lambda: PLAIN.add_working_days(D(2025, 1, 1), 10**9), "out_of_range"),
        (lambda: PLAIN.add_calendar_days(D(9999, 12, 1), 100), "out_of_range"),
        (lambda: PLAIN.working_days_between(D(2025, 1, 1), D(2200, 1, 1)), "out_of_range"),
        (
            lambda: WorkCalendar(
                extra_days_off=frozenset({D(2026, 1, 2)}), extra_working_days=frozenset({D(2026, 1, 2)})
            ),
            "conflicting_days",
        ),
        (lambda: WorkCalendar(weekend=frozenset(range(7))), "bad_weekend"),
        (lambda: WorkCalendar(weekend=frozenset({7})), "bad_weekend"),
        (lambda: WorkCalendar(language="fr"), "unsupported_language"),
        (lambda: WorkCalendar(extra_days_off=frozenset({"2026-01-02"})), "not_a_date"),  # type: ignore[arg-type]
    ],
)
def test_errors_carry_stable_codes(call: object, code: str) -> None:
    assert code in WORKDAY_ERROR_CODES
    with pytest.raises(WorkdayError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code
    assert caught.value.detail


def test_a_failed_year_does_not_poison_the_calendar() -> None:
    calendar = WorkCalendar()
    with pytest.raises(WorkdayError):
        calendar.working_days_between(D(2025, 1, 1), D(2101, 1, 1))
    assert calendar.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_calendar_is_a_hashable_value_and_accepts_plain_sets() -> None:
    a = WorkCalendar(extra_days_off={D(2026, 1, 2)}, extra_working_days=[D(2026, 1, 10)])  # type: ignore[arg-type]
    b = WorkCalendar(extra_days_off=frozenset({D(2026, 1, 2)}), extra_working_days=frozenset({D(2026, 1, 10)}))
    a.is_working_day(D(2026, 1, 5))  # a warm cache must not change equality
    assert a == b
    assert hash(a) == hash(b)
    assert isinstance(a.extra_days_off, frozenset)


def test_calendar_survives_pickle_and_deepcopy() -> None:
    # Django's cache framework pickles values; the lock inside the cache must not break that.
    warm = WorkCalendar(extra_days_off=EXTRA_DAYS_OFF, extra_working_days=EXTRA_WORKING_DAYS)
    warm.add_working_days(D(2025, 12, 31), 6)
    for copied in (pickle.loads(pickle.dumps(warm)), copy.deepcopy(warm)):  # noqa: S301 (our own bytes)
        assert copied == warm
        assert copied.add_working_days(D(2025, 12, 31), 6) == D(2026, 1, 10)


def test_custom_weekend() -> None:
    # A unit that rests only on Sunday (e.g. a reception desk open on Saturdays).
    six_day_week = WorkCalendar(weekend=frozenset({6}))
    assert six_day_week.add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 8)
    assert six_day_week.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 25)


def test_many_deadlines_build_the_years_once_and_agree_with_walking_day_by_day() -> None:
    # The speed is measured in bench/bench_workdays.py; here, what makes it fast: one table of working
    # days serves every call (no per-call holiday lookups), and its answers equal a plain day-by-day walk.
    calendar = WorkCalendar(extra_days_off=EXTRA_DAYS_OFF, extra_working_days=EXTRA_WORKING_DAYS)
    calendar.add_working_days(D(2024, 1, 1), 1)
    calendar.is_working_day(D(2027, 6, 30))  # the years the deadlines below reach: 2024-2027
    table = calendar._cache.table
    for i in range(0, 20_000, 7):
        start, amount = D(2024, 1, 1) + timedelta(days=i % 1000), i % 45
        expected = start if amount == 0 and calendar.is_working_day(start) else None
        if expected is None:
            expected, left = start, max(amount, 1)
            while left:
                expected += timedelta(days=1)
                left -= calendar.is_working_day(expected)
        assert calendar.deadline(start, amount, DeadlineUnit.WORKING) == expected
    assert calendar._cache.table is table  # no year was built again


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

_dates = st.dates(min_value=D(1995, 1, 1), max_value=D(2095, 12, 31))
_extra = st.frozensets(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 12, 31)), max_size=8)


@st.composite
def _calendars(draw: st.DrawFn) -> WorkCalendar:
    days_off = draw(_extra)
    worked = draw(_extra) - days_off
    return WorkCalendar(extra_days_off=days_off, extra_working_days=worked)


@settings(max_examples=150, deadline=None)
@given(calendar=_calendars(), start=st.dates(min_value=D(2023, 6, 1), max_value=D(2026, 12, 31)), n=st.integers(1, 400))
def test_working_deadline_lands_on_a_working_day_n_working_days_later(
    calendar: WorkCalendar, start: date, n: int
) -> None:
    result = calendar.add_working_days(start, n)
    assert result > start
    assert calendar.is_working_day(result)
    assert calendar.working_days_between(start, result) == n
    assert calendar.working_days_between(result, start) == -n
    # The day before the deadline still left exactly one working day: n is reached on ``result``.
    assert calendar.working_days_between(start, result - timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(start=_dates, n=st.integers(0, 60))
def test_zero_and_calendar_deadlines_move_only_to_the_next_working_day(start: date, n: int) -> None:
    same_day = PLAIN.add_working_days(start, 0)
    assert PLAIN.is_working_day(same_day)
    assert PLAIN.working_days_between(start, same_day) == (0 if same_day == start else 1)
    due = PLAIN.add_calendar_days(start, n)
    nominal = start + timedelta(days=n)
    assert PLAIN.is_working_day(due)
    assert due >= nominal
    assert PLAIN.working_days_between(nominal, due) == (0 if due == nominal else 1)


@settings(max_examples=300, deadline=None)
@given(day=_dates)
def test_without_data_the_calendar_agrees_with_the_library(day: date) -> None:
    assert PLAIN.is_working_day(day) == Vietnam(years=day.year, language="vi").is_working_day(day)
