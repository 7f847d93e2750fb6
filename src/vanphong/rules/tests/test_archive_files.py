"""File codes, the hand-over day and the 30-day alert (Decree 30 Art. 28–31, Appendix VI; TT 02/2019)."""

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
