"""File codes, the hand-over day (ordinary and capital construction files), the hold-back limit and the 30-day
alert (Decree 30 Art. 28–31, Appendix VI; TT 02/2019)."""

from __future__ import annotations

import datetime

import pytest

from vanphong.rules import archive_files as rules

D = datetime.date


@pytest.mark.parametrize(
    ("number", "abbreviation", "year", "code"),
    [
        (1, "PTH", 2026, "01.PTH.2026"),
        (12, "VPTU", 2026, "12.VPTU.2026"),
        (105, "HCTC", 2027, "105.HCTC.2027"),
        (3, " TCCB ", 2026, "03.TCCB.2026"),
        (4, "BTGTU", 2026, "04.BTGTU.2026"),
        (5, "ĐU", 2026, "05.ĐU.2026"),
    ],
)
def test_file_codes(number: int, abbreviation: str, year: int, code: str) -> None:
    assert rules.file_code(number, abbreviation, year) == code


@pytest.mark.parametrize(
    ("number", "abbreviation", "year", "error"),
    [
        (0, "PTH", 2026, "bad_number"),
        (10000, "PTH", 2026, "bad_number"),
        (1, "", 2026, "bad_abbreviation"),
        (1, "P TH", 2026, "bad_abbreviation"),
        (1, "PTH.2", 2026, "bad_abbreviation"),
        (1, "pth", 2026, "bad_abbreviation"),
        (1, "PTH", 1900, "bad_year"),
    ],
)
def test_bad_code_parts(number: int, abbreviation: str, year: int, error: str) -> None:
    with pytest.raises(rules.CodeError) as caught:
        rules.file_code(number, abbreviation, year)
    assert caught.value.code == error


def test_tt02_file_code_joins_organ_id_year_and_notation() -> None:
    assert rules.organ_file_code("000.00.00.H70", 2026, "01.PTH") == "000.00.00.H70.2026.01.PTH"
    assert rules.organ_file_code(" ", 2026, "01.PTH") == "2026.01.PTH"


@pytest.mark.parametrize(
    ("years", "hand_over"), [(None, True), (5, True), (70, True), (4, False), (2, False), (1, False)]
)
def test_files_kept_five_years_or_more_go_to_the_archive(years: int | None, hand_over: bool) -> None:
    assert rules.must_hand_over(years) is hand_over


@pytest.mark.parametrize(
    ("ended", "due"),
    [(D(2026, 3, 15), D(2027, 3, 15)), (D(2028, 2, 29), D(2029, 2, 28)), (D(2026, 12, 31), D(2027, 12, 31))],
)
def test_hand_over_within_a_year_of_the_end(ended: datetime.date, due: datetime.date) -> None:
    assert rules.handover_due(ended) == due


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2027, 2, 12), rules.HandoverState.NOT_DUE),  # 31 days left
        (D(2027, 2, 13), rules.HandoverState.DUE_SOON),  # 30 days left: the alert starts
        (D(2027, 3, 15), rules.HandoverState.DUE_SOON),  # the last day
        (D(2027, 3, 16), rules.HandoverState.OVERDUE),
    ],
)
def test_the_thirty_day_alert(today: datetime.date, state: rules.HandoverState) -> None:
    assert rules.handover_state(D(2027, 3, 15), today) == state
    assert (rules.alert_horizon(today) >= D(2027, 3, 15)) is (state != rules.HandoverState.NOT_DUE)


@pytest.mark.parametrize(
    ("day", "months", "later"),
    [
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # February has no 30th: its last day
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # a leap year
        (D(2026, 10, 31), 3, D(2027, 1, 31)),
        (D(2026, 12, 15), 3, D(2027, 3, 15)),  # across the year
        (D(2026, 3, 31), 12, D(2027, 3, 31)),
    ],
)
def test_months_are_added_without_overshooting_the_month(day: datetime.date, months: int, later: datetime.date) -> None:
    assert rules.add_months(day, months) == later


@pytest.mark.parametrize(
    ("ended", "settled", "due"),
    [
        # Decree 30 Art. 30 para. 1(a): one year after the work ended
        (D(2026, 6, 10), None, D(2027, 6, 10)),
        # Art. 30 para. 1(b): capital construction, three months after the final settlement (quyết toán)
        (D(2026, 6, 10), D(2026, 5, 20), D(2026, 8, 20)),
        (D(2026, 12, 1), D(2026, 11, 30), D(2027, 2, 28)),
        (D(2027, 12, 28), D(2027, 11, 30), D(2028, 2, 29)),
        (D(2026, 1, 5), D(2025, 12, 31), D(2026, 3, 31)),
    ],
)
def test_the_hand_over_day_of_ordinary_and_capital_construction_files(
    ended: datetime.date, settled: datetime.date | None, due: datetime.date
) -> None:
    assert rules.file_handover_due(ended, settled_on=settled) == due


@pytest.mark.parametrize(
    ("until", "today", "error"),
    [
        (D(2027, 9, 1), D(2027, 3, 1), None),
        (D(2029, 3, 15), D(2027, 3, 1), None),  # exactly two years after the due day (Art. 30 para. 2)
        (D(2029, 3, 16), D(2027, 3, 1), "beyond_limit"),
        (D(2027, 3, 15), D(2027, 3, 1), "not_after_due"),  # that is no hold-back
        (D(2027, 1, 10), D(2027, 1, 1), "not_after_due"),
        (D(2027, 4, 1), D(2027, 5, 2), "in_the_past"),
        (D(2027, 5, 2), D(2027, 5, 2), None),  # until today: still kept today
    ],
)
def test_a_unit_keeps_a_file_at_most_two_years_past_its_due_day(
    until: datetime.date, today: datetime.date, error: str | None
) -> None:
    due = D(2027, 3, 15)
    if error is None:
        rules.check_hold_back(until, due=due, today=today)
    else:
        with pytest.raises(rules.HoldBackError) as caught:
            rules.check_hold_back(until, due=due, today=today)
        assert caught.value.code == error
    assert rules.hold_back_limit(D(2028, 2, 29)) == D(2030, 2, 28)
