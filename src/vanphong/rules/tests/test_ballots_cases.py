"""Worked cases of the counting rules, one row each, with the article it checks.

Each case is one round in the JSON shape of ``vanphong elections count`` and the parts of the result
it pins; ``votes`` pins each candidate's votes. Articles: 190 = Regulation 190-QĐ/TW (2024),
244 = Regulation 244-QĐ/TW (2014), whose counting rules 190 keeps.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import pytest

from vanphong.rules.ballots import count_round, parse_round

AN = "Nguyễn Văn An"
BINH = "Trần Thị Bình"
CUONG = "Lê Văn Cường"
DUNG = "Phạm Thị Dung"


@dataclass(frozen=True)
class Case:
    id: str
    round: dict[str, object]
    expect: dict[str, object]
    votes: dict[str, int] = field(default_factory=dict)


def strike(
    seats: int, candidates: list[str], summoned: int, ballots: list[dict[str, object]], excluded: object = 0
) -> dict[str, object]:
    return {
        "seats": seats,
        "form": "strike",
        "candidates": candidates,
        "base": {"summoned": summoned, "excluded": excluded},
        "ballots": ballots,
    }


def agree(
    seats: int, candidates: list[str], summoned: int, ballots: list[dict[str, object]], excluded: object = 0
) -> dict[str, object]:
    return {
        "seats": seats,
        "form": "agree",
        "candidates": candidates,
        "base": {"summoned": summoned, "excluded": excluded},
        "ballots": ballots,
    }


def invalid(**reasons: int) -> dict[str, object]:
    return {"invalid": sum(reasons.values()), "invalid_by_reason": dict(sorted(reasons.items()))}


CASES = [
    # The Party Q&A example: a cell of 11 official members, 10 present. The base is the 11 summoned,
    # not the 10 present, so 6 votes are needed and 5 (half of those present) do not elect
    # (190 Điều 30.2, 244 Điều 32.2; reference [R8]).
    Case(
        "cell_11_members_10_present_5_votes",
        agree(1, [AN], 11, [{"marks": {AN: "agree"}, "count": 5}, {"marks": {AN: "disagree"}, "count": 5}]),
        {
            "base": 11,
            "votes_needed": 6,
            "elected": [],
            "seats_left": 1,
            "next_round": {"seats": 1, "candidates": [AN]},
        },
        {AN: 5},
    ),
    # The same cell, 6 votes: more than half of 11 (190 Điều 30.2).
    Case(
        "cell_11_members_6_votes_elects",
        agree(1, [AN], 11, [{"marks": {AN: "agree"}, "count": 6}, {"marks": {AN: "disagree"}, "count": 4}]),
        {"base": 11, "votes_needed": 6, "elected": [AN], "seats_left": 0, "next_round": None},
    ),
    # Exactly half is not "more than half": 2 * 5 > 10 is false (190 Điều 30.2).
    Case(
        "exactly_half_is_not_elected",
        strike(1, [AN, BINH], 10, [{"keep": [AN], "count": 5}, {"keep": [BINH], "count": 5}]),
        {"base": 10, "votes_needed": 6, "elected": [], "seats_left": 1},
        {AN: 5, BINH: 5},
    ),
    # Exactly half of an odd base rounds nowhere: base 9, 4 votes is 44.44 %, 5 votes elects.
    Case(
        "odd_base_needs_floor_half_plus_one",
        strike(1, [AN, BINH], 9, [{"keep": [AN], "count": 5}, {"keep": [BINH], "count": 4}]),
        {"base": 9, "votes_needed": 5, "elected": [AN]},
    ),
    # A surplus ballot with every name struck votes for nobody: invalid (244 Điều 17.2).
    Case(
        "all_names_struck_is_invalid",
        strike(2, [AN, BINH, CUONG], 10, [{"keep": []}, {"keep": [AN, BINH], "count": 6}]),
        {"ballots": {"collected": 7, "valid": 6, **invalid(no_name_kept=1)}, "elected": [AN, BINH]},
    ),
    # Keeping more names than seats is invalid (244 Điều 17.2); keeping fewer is allowed ("đủ hoặc thiếu").
    Case(
        "more_names_than_seats_is_invalid_fewer_is_valid",
        strike(2, [AN, BINH, CUONG], 10, [{"keep": [AN, BINH, CUONG], "count": 3}, {"keep": [CUONG], "count": 6}]),
        {"ballots": {"collected": 9, "valid": 6, **invalid(more_names_than_seats=3)}, "elected": [CUONG]},
        {AN: 0, BINH: 0, CUONG: 6},
    ),
    # A name written in from outside the list makes the ballot invalid (244 Điều 17.2, unconfirmed
    # verbatim; Law 85/2015 Điều 74); it takes precedence over too many names.
    Case(
        "name_added_is_invalid_and_takes_precedence",
        strike(1, [AN, BINH], 10, [{"keep": [DUNG]}, {"keep": [AN, DUNG]}, {"keep": [AN], "count": 6}]),
        {"ballots": {"collected": 8, "valid": 6, **invalid(name_added=2)}, "elected": [AN]},
    ),
    # Invalid ballots add nothing but never lower the base (190 Điều 30.1): 5 of base 10 is not elected,
    # although 5 is every valid ballot.
    Case(
        "invalid_ballots_do_not_lower_the_base",
        strike(1, [AN, BINH], 10, [{"keep": [AN], "count": 5}, {"invalid": "not_issued", "count": 5}]),
        {
            "base": 10,
            "ballots": {"collected": 10, "valid": 5, **invalid(not_issued=5)},
            "elected": [],
            "seats_left": 1,
        },
        {AN: 5},
    ),
    # Single-person list: exactly one box must be marked; both or neither ("none"), or no mark at all,
    # is a box error (244 Điều 17.2, inferred from the definition of a valid ballot).
    Case(
        "single_person_agree_both_boxes_is_box_error",
        agree(1, [AN], 10, [{"marks": {AN: "none"}}, {"marks": {}}, {"marks": {AN: "agree"}, "count": 6}]),
        {"ballots": {"collected": 8, "valid": 6, **invalid(box_error=2)}, "elected": [AN]},
    ),
    # Multi-person list without surplus: "none" for one person gives that person no vote and the ballot
    # stays valid; a person missing from the marks is "none" too (190 Điều 30.1).
    Case(
        "multi_person_agree_none_is_valid_no_vote",
        agree(
            2,
            [AN, BINH],
            10,
            [
                {"marks": {AN: "agree", BINH: "none"}, "count": 6},
                {"marks": {AN: "agree"}},
                {"marks": {BINH: "agree", AN: "disagree"}, "count": 3},
            ],
        ),
        {"ballots": {"collected": 10, "valid": 10, "invalid": 0, "invalid_by_reason": {}}, "elected": [AN]},
        {AN: 7, BINH: 3},
    ),
    # "Disagree" for everyone is never classed invalid by the sources; it stays valid with no votes
    # (reference §1.2: the committee may rule it invalid and record why).
    Case(
        "agree_form_all_disagree_stays_valid",
        agree(2, [AN, BINH], 10, [{"marks": {AN: "disagree", BINH: "disagree"}, "count": 4}]),
        {"ballots": {"collected": 4, "valid": 4, "invalid": 0, "invalid_by_reason": {}}, "elected": []},
    ),
    # More above half than seats: most votes win, in descending order (244 Điều 32).
    Case(
        "most_votes_win_when_more_pass_than_seats",
        strike(
            2,
            [AN, BINH, CUONG],
            10,
            [
                {"keep": [AN, BINH], "count": 3},
                {"keep": [BINH, CUONG], "count": 4},
                {"keep": [AN, CUONG], "count": 3},
            ],
        ),
        {"elected": [BINH, CUONG], "seats_left": 0, "tie": None, "next_round": None},
        {AN: 6, BINH: 7, CUONG: 7},
    ),
    # The brief's tie: seats 3, A 40, B 35, C 35, D 35 all above half: A is elected, B, C and D tie for
    # the 2 seats left and none of them is elected; no age or lot rule exists (reference §1.4).
    Case(
        "tie_at_last_seat_is_not_resolved",
        strike(
            3,
            [AN, BINH, CUONG, DUNG],
            58,
            [
                {"keep": [AN, BINH, CUONG], "count": 15},
                {"keep": [AN, CUONG, DUNG], "count": 10},
                {"keep": [AN, BINH, DUNG], "count": 15},
                {"keep": [CUONG, DUNG], "count": 10},
                {"keep": [BINH], "count": 5},
            ],
        ),
        {
            "elected": [AN],
            "seats_left": 2,
            "tie": {"candidates": [BINH, CUONG, DUNG], "seats": 2},
            "next_round": {"seats": 2, "candidates": [BINH, CUONG, DUNG]},
        },
        {AN: 40, BINH: 35, CUONG: 35, DUNG: 35},
    ),
    # Equal votes that fit in the seats left are simply elected, in ballot order (244 Điều 32).
    Case(
        "equal_votes_that_fit_are_elected",
        strike(
            3,
            [AN, BINH, CUONG, DUNG],
            58,
            [
                {"keep": [AN, CUONG, BINH], "count": 35},
                {"keep": [AN, DUNG], "count": 5},
                {"keep": [DUNG], "count": 3},
            ],
        ),
        {"elected": [AN, BINH, CUONG], "seats_left": 0, "tie": None, "next_round": None},
        {AN: 40, BINH: 35, CUONG: 35, DUNG: 8},
    ),
    # A tie for a single seat with nobody ahead: nobody elected, runoff for the one seat.
    Case(
        "tie_for_the_only_seat",
        strike(1, [AN, BINH, CUONG], 10, [{"keep": [AN], "count": 6}, {"keep": [BINH], "count": 6}]),
        {
            "elected": [],
            "seats_left": 1,
            "tie": {"candidates": [AN, BINH], "seats": 1},
            "next_round": {"seats": 1, "candidates": [AN, BINH]},
        },
    ),
    # Too few above half leaves seats; the congress decides on another round, whose list is every
    # candidate not elected, in ballot order: elected candidates leave it (244 Điều 20.2; OpenSlides #2142).
    Case(
        "shortfall_leaves_seats_and_lists_every_not_elected",
        strike(
            3,
            [AN, BINH, CUONG, DUNG],
            20,
            [
                {"keep": [BINH, AN], "count": 11},
                {"keep": [CUONG, DUNG], "count": 5},
                {"keep": [DUNG], "count": 4},
            ],
        ),
        {
            "elected": [AN, BINH],
            "seats_left": 1,
            "tie": None,
            "next_round": {"seats": 1, "candidates": [CUONG, DUNG]},
        },
        {AN: 11, BINH: 11, CUONG: 5, DUNG: 9},
    ),
    # Nobody above half at all: every seat left, every candidate listed.
    Case(
        "nobody_above_half",
        strike(2, [AN, BINH, CUONG], 30, [{"keep": [AN, BINH], "count": 10}]),
        {"elected": [], "seats_left": 2, "next_round": {"seats": 2, "candidates": [AN, BINH, CUONG]}},
    ),
    # The base is data: summoned minus every exclusion by category, summed (190 Điều 30.2).
    Case(
        "excluded_as_object_is_summed",
        strike(
            1,
            [AN, BINH],
            60,
            [{"keep": [AN], "count": 27}],
            excluded={"temporary_transfer": 2, "suspended": 1, "absent_approved": 3},
        ),
        {"base": 54, "votes_needed": 28, "elected": []},
    ),
    Case(
        "excluded_as_number",
        strike(1, [AN, BINH], 60, [{"keep": [AN], "count": 30}], excluded=2),
        {"base": 58, "votes_needed": 30, "elected": [AN]},
        {AN: 30},
    ),
    # Ballots ruled invalid by the counting committee carry its own reason codes (190 Điều 8); all
    # reasons are listed with their counts, sorted by code, zero counts left out.
    Case(
        "committee_reasons_are_listed_sorted",
        strike(
            1,
            [AN, BINH],
            10,
            [
                {"invalid": "other", "count": 2},
                {"invalid": "not_issued"},
                {"invalid": "marked", "count": 3},
                {"invalid": "not_issued"},
                {"keep": [AN, BINH]},
                {"keep": [AN], "count": 6},
            ],
        ),
        {
            "ballots": {
                "collected": 14,
                "valid": 6,
                **invalid(marked=3, more_names_than_seats=1, not_issued=2, other=2),
            },
            "elected": [AN],
        },
    ),
    # "count" stands for that many identical ballots; 1 by default.
    Case(
        "count_multiplicity",
        strike(2, [AN, BINH, CUONG], 10, [{"keep": [AN], "count": 4}, {"keep": [AN, BINH]}, {"keep": [AN, BINH]}]),
        {"ballots": {"collected": 6, "valid": 6, "invalid": 0, "invalid_by_reason": {}}, "elected": [AN]},
        {AN: 6, BINH: 2, CUONG: 0},
    ),
    # Names compare in Unicode NFC with whitespace trimmed: a decomposed "Nguyễn" typed on a ballot
    # is the candidate on the list.
    Case(
        "decomposed_name_matches_nfc_candidate",
        strike(1, [AN, BINH], 10, [{"keep": [" " + unicodedata.normalize("NFD", AN) + " "], "count": 6}]),
        {"ballots": {"collected": 6, "valid": 6, "invalid": 0, "invalid_by_reason": {}}, "elected": [AN]},
        {AN: 6},
    ),
    # Collected ballots may exceed the base; they are entered as counted and never change it.
    Case(
        "collected_above_base_does_not_change_it",
        strike(1, [AN, BINH], 60, [{"keep": [AN], "count": 40}, {"keep": [BINH], "count": 21}], excluded=2),
        {"base": 58, "ballots": {"collected": 61, "valid": 61, "invalid": 0, "invalid_by_reason": {}}},
    ),
    # More seats than candidates is accepted: fewer can be elected than seats.
    Case(
        "more_seats_than_candidates",
        agree(3, [AN, BINH], 10, [{"marks": {AN: "agree", BINH: "agree"}, "count": 6}]),
        {"elected": [AN, BINH], "seats_left": 1, "next_round": {"seats": 1, "candidates": []}},
    ),
    # An agree form used with a surplus: agreeing to more people than seats keeps too many (244 Điều 17.2).
    Case(
        "agree_form_with_surplus_too_many_agrees",
        agree(1, [AN, BINH], 10, [{"marks": {AN: "agree", BINH: "agree"}}, {"marks": {AN: "agree"}, "count": 6}]),
        {"ballots": {"collected": 7, "valid": 6, **invalid(more_names_than_seats=1)}, "elected": [AN]},
    ),
    # A marks key not on the list is a name added (244 Điều 17.2).
    Case(
        "agree_form_mark_for_outsider_is_name_added",
        agree(2, [AN, BINH], 10, [{"marks": {AN: "agree", DUNG: "agree"}}]),
        {"ballots": {"collected": 1, "valid": 0, **invalid(name_added=1)}},
    ),
    # No ballots entered yet: nothing elected, nothing invalid.
    Case(
        "no_ballots",
        strike(1, [AN, BINH], 10, []),
        {"ballots": {"collected": 0, "valid": 0, "invalid": 0, "invalid_by_reason": {}}, "elected": []},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_worked_case(case: Case) -> None:
    result = count_round(parse_round(case.round)).as_dict()
    for key, expected in case.expect.items():
        assert result[key] == expected, key
    by_name = {c["name"]: c["votes"] for c in result["candidates"]}
    for name, votes in case.votes.items():
        assert by_name[name] == votes, name


@pytest.mark.parametrize(
    ("votes", "base", "percent"),
    [
        (51, 58, "87.93"),  # 87.931...
        (52, 58, "89.66"),  # 89.655... rounds up
        (1, 8, "12.50"),  # exact
        (1, 800, "0.13"),  # 0.125 exactly: half up, not to even
        (3, 800, "0.38"),  # 0.375 exactly: half up
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (5, 10, "50.00"),  # shown as 50.00 but never elects (190 Điều 30.2)
        (0, 7, "0.00"),
        (61, 58, "105.17"),  # more ballots than the base are shown as counted
    ],
)
def test_percent_is_half_up_two_decimals(votes: int, base: int, percent: str) -> None:
    result = count_round(parse_round(strike(1, [AN, BINH], base, [{"keep": [AN], "count": votes}] if votes else [])))
    assert result.candidates[0].percent == percent
