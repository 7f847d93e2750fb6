"""Unit tests of the counting engine: input checks, the Python API, the output shape and delegates."""

from __future__ import annotations

import copy
import dataclasses
import json
import unicodedata

import pytest

from vanphong.rules.ballots import (
    AgreeBallot,
    BallotInputError,
    Base,
    DelegateResult,
    Round,
    RuledInvalidBallot,
    StrikeBallot,
    Tie,
    count_delegates,
    count_round,
    invalid_reason,
    is_above_half,
    normalise_name,
    parse_round,
    percent_of_base,
    validate_round,
    votes_needed,
)

A, B, C, D, E = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"


def example() -> dict[str, object]:
    return {
        "seats": 2,
        "form": "strike",
        "candidates": [A, B, C],
        "base": {"summoned": 60, "excluded": {"temporary_transfer": 2}},
        "ballots": [
            {"keep": [A, B], "count": 48},
            {"keep": [B, C], "count": 4},
            {"keep": [A], "count": 3},
            {"keep": [A, B, C]},
            {"keep": []},
            {"keep": ["Lê Văn Dũng"]},
        ],
    }


def with_changes(path: tuple[object, ...], value: object) -> dict[str, object]:
    """The example with the value at ``path`` replaced (or deleted when value is DELETE)."""
    data = copy.deepcopy(example())
    target: object = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    if value is DELETE:
        del target[path[-1]]  # type: ignore[union-attr, attr-defined]
    else:
        target[path[-1]] = value  # type: ignore[index]
    return data


DELETE = object()


# --- the output shape ------------------------------------------------------------------------------


def test_example_result_in_contract_shape() -> None:
    result = count_round(parse_round(example())).as_dict()
    assert list(result) == [
        "base",
        "votes_needed",
        "ballots",
        "candidates",
        "elected",
        "seats_left",
        "tie",
        "next_round",
    ]
    assert result == {
        "base": 58,
        "votes_needed": 30,
        "ballots": {
            "collected": 58,
            "valid": 55,
            "invalid": 3,
            "invalid_by_reason": {"more_names_than_seats": 1, "name_added": 1, "no_name_kept": 1},
        },
        "candidates": [
            {"name": A, "votes": 51, "percent": "87.93", "above_half": True, "elected": True},
            {"name": B, "votes": 52, "percent": "89.66", "above_half": True, "elected": True},
            {"name": C, "votes": 4, "percent": "6.90", "above_half": False, "elected": False},
        ],
        "elected": [B, A],
        "seats_left": 0,
        "tie": None,
        "next_round": None,
    }
    assert list(result["candidates"][0]) == ["name", "votes", "percent", "above_half", "elected"]  # type: ignore[index]
    json.dumps(result)  # plain JSON types only


def test_results_are_frozen() -> None:
    result = count_round(parse_round(example()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.base = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.candidates[0].votes = 99  # type: ignore[misc]


# --- the threshold arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(("base", "needed"), [(1, 1), (2, 2), (10, 6), (11, 6), (58, 30), (59, 30), (60, 31)])
def test_votes_needed_is_smallest_strict_majority(base: int, needed: int) -> None:
    assert votes_needed(base) == needed
    assert is_above_half(needed, base)
    assert not is_above_half(needed - 1, base)


def test_percent_needs_a_positive_base() -> None:
    with pytest.raises(BallotInputError, match="base must be at least 1"):
        percent_of_base(1, 0)


def test_percent_is_exact_for_huge_numbers() -> None:
    # 12.345 - 1.25e-29 %: a Decimal division at 28 digits rounds it to 12.345 and then up to 12.35.
    base = 8 * 10**30
    assert percent_of_base(base * 12345 // 100000 - 1, base) == "12.34"
    assert percent_of_base(base * 12345 // 100000, base) == "12.35"
    assert percent_of_base(base // 800 - 1, base) == "0.12"
    assert percent_of_base(base // 800, base) == "0.13"


def test_normalise_name() -> None:
    assert normalise_name("  " + unicodedata.normalize("NFD", A) + "\t") == A
    assert unicodedata.is_normalized("NFC", normalise_name(unicodedata.normalize("NFD", A)))


# --- input errors ------------------------------------------------------------------------------


INPUT_ERRORS = [
    ("not_an_object", None, [1, 2], "must be a JSON object"),
    ("unknown_top_level_key", ("round",), 1, "unknown field 'round' in the top level"),
    ("missing_seats", ("seats",), DELETE, "missing required field 'seats'"),
    ("missing_ballots", ("ballots",), DELETE, "missing required field 'ballots'"),
    ("seats_zero", ("seats",), 0, "seats must be at least 1 (got 0)"),
    ("seats_not_integer", ("seats",), 2.0, "seats must be a whole number (got 2.0)"),
    ("seats_bool", ("seats",), True, "seats must be a whole number (got true)"),
    ("seats_string", ("seats",), "2", 'seats must be a whole number (got "2")'),
    ("unknown_form", ("form",), "plurality", 'form must be "strike" or "agree" (got "plurality")'),
    ("candidates_empty", ("candidates",), [], "candidates must not be empty"),
    ("candidates_not_list", ("candidates",), A, "candidates must be a list of names"),
    ("candidate_not_text", ("candidates", 1), 7, "candidates[1] must be a name (got 7)"),
    ("candidate_blank", ("candidates", 2), "   ", "candidates[2] is an empty name"),
    ("candidate_duplicate", ("candidates", 2), A, f"candidates lists {A!r} twice"),
    (
        "candidate_duplicate_after_nfc",
        ("candidates", 2),
        " " + unicodedata.normalize("NFD", A),
        f"candidates lists {A!r} twice",
    ),
    ("base_not_object", ("base",), 58, "base must be an object"),
    ("base_unknown_key", ("base", "present"), 50, "unknown field 'present' in base"),
    ("base_missing_summoned", ("base", "summoned"), DELETE, "missing required field 'summoned' in base"),
    ("summoned_negative", ("base", "summoned"), -1, "base.summoned must be at least 0 (got -1)"),
    ("excluded_negative", ("base", "excluded"), -2, "base.excluded must be at least 0 (got -2)"),
    ("excluded_text", ("base", "excluded"), "2", "base.excluded must be a whole number or an object"),
    (
        "exclusion_count_negative",
        ("base", "excluded", "temporary_transfer"),
        -1,
        "base.excluded['temporary_transfer'] must be at least 0 (got -1)",
    ),
    ("exclusion_reason_blank", ("base", "excluded"), {" ": 1}, "base.excluded must be an exclusion reason"),
    (
        "excluded_more_than_summoned",
        ("base", "excluded"),
        61,
        "the exclusions (61) exceed the number summoned (60)",
    ),
    (
        "base_zero",
        ("base", "excluded"),
        60,
        "summoned (60) minus exclusions (60) is 0; the base must be at least 1",
    ),
    ("ballots_not_list", ("ballots",), {}, "ballots must be a list"),
    ("ballot_not_object", ("ballots", 1), [B, C], "ballots[1] must be an object"),
    ("ballot_unknown_key", ("ballots", 2, "weight"), 2, "unknown field 'weight' in ballots[2]"),
    (
        "ballot_no_kind",
        ("ballots", 2),
        {"count": 3},
        "ballots[2] must have exactly one of 'keep', 'marks' or 'invalid'",
    ),
    (
        "ballot_two_kinds",
        ("ballots", 2),
        {"keep": [A], "invalid": "other"},
        "ballots[2] must have exactly one of 'keep', 'marks' or 'invalid' (found 'keep' and 'invalid')",
    ),
    ("count_zero", ("ballots", 0, "count"), 0, "ballots[0].count must be at least 1 (got 0)"),
    ("count_negative", ("ballots", 3, "count"), -3, "ballots[3].count must be at least 1 (got -3)"),
    ("count_float", ("ballots", 3, "count"), 1.5, "ballots[3].count must be a whole number (got 1.5)"),
    ("count_null", ("ballots", 3, "count"), None, "ballots[3].count must be a whole number (got null)"),
    ("keep_not_list", ("ballots", 1, "keep"), B, "ballots[1].keep must be a list of names"),
    ("keep_name_not_text", ("ballots", 1, "keep", 0), 1, "ballots[1].keep[0] must be a name (got 1)"),
    ("keep_name_twice", ("ballots", 1, "keep"), [B, B], f"ballots[1].keep lists {B!r} twice"),
    ("keep_blank_name", ("ballots", 1, "keep"), [B, ""], "ballots[1].keep[1] is an empty name"),
    (
        "keep_with_agree_form",
        ("form",),
        "agree",
        "ballots[0]: 'keep' belongs to the strike form, but this round uses the agree form",
    ),
    (
        "marks_with_strike_form",
        ("ballots", 1),
        {"marks": {A: "agree"}},
        "ballots[1]: 'marks' belongs to the agree form, but this round uses the strike form",
    ),
    ("invalid_reason_blank", ("ballots", 1), {"invalid": " "}, "ballots[1].invalid must be a reason code"),
    (
        "invalid_reason_not_text",
        ("ballots", 1),
        {"invalid": True},
        "ballots[1].invalid must be a reason code",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [case[1:] for case in INPUT_ERRORS],
    ids=[case[0] for case in INPUT_ERRORS],
)
def test_input_errors_name_the_field(path: tuple[object, ...] | None, value: object, message: str) -> None:
    data = value if path is None else with_changes(path, value)
    with pytest.raises(BallotInputError) as raised:
        count_round(parse_round(data))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


AGREE_ERRORS = [
    ("marks_not_object", {"marks": [A]}, "ballots[0].marks must be an object"),
    (
        "mark_unknown",
        {"marks": {A: "yes"}},
        f'ballots[0].marks[{A!r}] must be "agree", "disagree" or "none" (got "yes")',
    ),
    ("mark_null", {"marks": {A: None}}, "(got null)"),
    (
        "marks_same_name_twice_after_nfc",
        {"marks": {A: "agree", unicodedata.normalize("NFD", A): "disagree"}},
        f"ballots[0].marks lists {A!r} twice",
    ),
]


@pytest.mark.parametrize(
    ("ballot", "message"), [case[1:] for case in AGREE_ERRORS], ids=[case[0] for case in AGREE_ERRORS]
)
def test_agree_input_errors(ballot: dict[str, object], message: str) -> None:
    data = {"seats": 2, "form": "agree", "candidates": [A, B], "base": {"summoned": 5}, "ballots": [ballot]}
    with pytest.raises(BallotInputError) as raised:
        parse_round(data)
    assert message in str(raised.value)


def test_excluded_defaults_to_zero() -> None:
    data = with_changes(("base", "excluded"), DELETE)
    assert count_round(parse_round(data)).base == 60


def test_parse_normalises_names_and_codes() -> None:
    data = example()
    data["candidates"] = [" " + unicodedata.normalize("NFD", A), B + " ", C]
    data["ballots"] = [{"invalid": " not_issued "}, {"keep": [unicodedata.normalize("NFD", B)]}]
    round_ = parse_round(data)
    assert round_.candidates == (A, B, C)
    assert round_.ballots == (RuledInvalidBallot("not_issued"), StrikeBallot((B,)))


# --- the Python API -----------------------------------------------------------------------------


def test_round_built_in_python_is_validated_and_normalised() -> None:
    round_ = Round(
        seats=1,
        form="agree",
        candidates=(unicodedata.normalize("NFD", A),),
        base=Base(summoned=11, exclusions=(("absent_approved", 1),)),
        ballots=(AgreeBallot(((A, "agree"),), count=6), RuledInvalidBallot("marked", 2)),
    )
    result = count_round(round_)
    assert result.base == 10
    assert result.elected == (A,)
    assert result.ballots.invalid_by_reason == (("marked", 2),)


def test_python_round_with_wrong_types_is_rejected() -> None:
    bad = Round(seats=1, form="agree", candidates=(A,), base=Base(5), ballots=(StrikeBallot((A,)),))
    with pytest.raises(BallotInputError, match=r"ballots\[0\]: 'keep' belongs to the strike form"):
        count_round(bad)
    bad = Round(seats=1, form="vote", candidates=(A,), base=Base(5))  # type: ignore[arg-type]
    with pytest.raises(BallotInputError, match="form must be"):
        count_round(bad)
    bad = Round(seats=1, form="strike", candidates=(A,), base=Base(5, (("suspended", 1), ("suspended", 1))))
    with pytest.raises(BallotInputError, match="lists the reason 'suspended' twice"):
        count_round(bad)
    bad = Round(seats=1, form="strike", candidates=(A,), base=Base(5), ballots=("keep A",))  # type: ignore[arg-type]
    with pytest.raises(BallotInputError, match=r"ballots\[0\] is not a ballot"):
        count_round(bad)


def test_validate_round_is_idempotent() -> None:
    once = validate_round(parse_round(example()))
    assert validate_round(once) == once


def test_invalid_reason_per_ballot() -> None:
    candidates = (A, B, C)
    assert invalid_reason(StrikeBallot((A, B)), candidates, 2) is None
    assert invalid_reason(StrikeBallot((A, B, C)), candidates, 2) == "more_names_than_seats"
    assert invalid_reason(StrikeBallot(()), candidates, 2) == "no_name_kept"
    assert invalid_reason(StrikeBallot((A, D, E)), candidates, 2) == "name_added"
    assert invalid_reason(AgreeBallot(((A, "none"),)), (A,), 1) == "box_error"
    assert invalid_reason(AgreeBallot(((A, "disagree"),)), (A,), 1) is None
    assert invalid_reason(AgreeBallot(((A, "none"), (B, "agree"))), (A, B), 2) is None
    assert invalid_reason(RuledInvalidBallot("other"), candidates, 2) == "other"


# --- delegates ----------------------------------------------------------------------------------


def delegates_round(votes: dict[str, int], seats: int, base: int = 20) -> Round:
    """A round in which each candidate gets exactly ``votes[name]`` from single-name ballots."""
    ballots = tuple(StrikeBallot((name,), count=n) for name, n in votes.items() if n)
    return Round(seats=seats, form="strike", candidates=tuple(votes), base=Base(base), ballots=ballots)


def test_delegates_officials_then_alternates_by_votes() -> None:
    # 190 Điều 18: officials first, then alternates from the rest, in vote order; all above half.
    round_ = delegates_round({A: 12, B: 15, C: 11, D: 14, E: 9}, seats=4)
    result = count_delegates(round_, official_seats=2, alternate_seats=2)
    assert isinstance(result, DelegateResult)
    assert result.officials == (B, D)
    assert result.alternates == (A, C)
    assert result.official_tie is None and result.alternate_tie is None
    assert (result.official_seats_left, result.alternate_seats_left) == (0, 0)
    assert [c.role for c in result.candidates] == ["alternate", "official", "alternate", "official", None]
    assert result.base == 20 and result.votes_needed == 11


def test_delegates_equal_votes_in_ballot_order() -> None:
    # Equal votes that fit are all chosen, ordered by ballot order (the alternates' order of replacement).
    round_ = delegates_round({A: 12, B: 12, C: 15, D: 12, E: 3}, seats=4)
    result = count_delegates(round_, official_seats=1, alternate_seats=3)
    assert result.officials == (C,)
    assert result.alternates == (A, B, D)


def test_delegates_tie_across_last_official_seat_names_no_alternates() -> None:
    round_ = delegates_round({A: 15, B: 13, C: 13, D: 12, E: 3}, seats=4)
    result = count_delegates(round_, official_seats=2, alternate_seats=2)
    assert result.officials == (A,)
    assert result.official_tie == Tie(candidates=(B, C), seats=1)
    assert result.alternates == ()
    assert result.alternate_tie is None
    assert (result.official_seats_left, result.alternate_seats_left) == (1, 2)


def test_delegates_tie_across_last_alternate_seat_is_reported() -> None:
    round_ = delegates_round({A: 15, B: 13, C: 12, D: 12, E: 11}, seats=3)
    result = count_delegates(round_, official_seats=2, alternate_seats=1)
    assert result.officials == (A, B)
    assert result.alternates == ()
    assert result.alternate_tie == Tie(candidates=(C, D), seats=1)
    assert result.alternate_seats_left == 1


def test_delegates_need_more_than_half() -> None:
    # Alternates too need 2v > base: 10 of 20 is not enough.
    round_ = delegates_round({A: 15, B: 11, C: 10, D: 4, E: 0}, seats=4)
    result = count_delegates(round_, official_seats=2, alternate_seats=2)
    assert result.officials == (A, B)
    assert result.alternates == ()
    assert result.alternate_seats_left == 2


def test_delegates_shortfall_of_officials() -> None:
    round_ = delegates_round({A: 15, B: 9, C: 3}, seats=3)
    result = count_delegates(round_, official_seats=2, alternate_seats=1)
    assert result.officials == (A,)
    assert result.official_seats_left == 1
    assert result.alternates == ()


def test_delegates_without_alternates() -> None:
    round_ = delegates_round({A: 15, B: 13, C: 12}, seats=2)
    result = count_delegates(round_, official_seats=2, alternate_seats=0)
    assert result.officials == (A, B)
    assert result.alternates == () and result.alternate_tie is None


def test_delegates_ballot_limit_is_the_joint_total() -> None:
    # On the joint list a ballot may keep officials + alternates names, and no more.
    round_ = Round(
        seats=3,
        form="strike",
        candidates=(A, B, C, D),
        base=Base(10),
        ballots=(
            StrikeBallot((A, B, C), count=6),
            StrikeBallot((A, B)),
            StrikeBallot((A,)),
            StrikeBallot((A, B, C, D)),
        ),
    )
    result = count_delegates(round_, official_seats=2, alternate_seats=1)
    assert result.ballots.invalid_by_reason == (("more_names_than_seats", 1),)
    assert result.officials == (A, B)
    assert result.alternates == (C,)


@pytest.mark.parametrize(
    ("official", "alternate", "message"),
    [
        (0, 2, "official_seats must be at least 1"),
        (2, -1, "alternate_seats must be at least 0"),
        (2, 1, r"seats \(4\) must equal official_seats \(2\) \+ alternate_seats \(1\)"),
    ],
)
def test_delegates_seat_errors(official: int, alternate: int, message: str) -> None:
    with pytest.raises(BallotInputError, match=message):
        count_delegates(delegates_round({A: 1, B: 1}, seats=4), official, alternate)


def test_python_callers_may_give_mappings_for_pairs() -> None:
    round_ = Round(
        seats=2,
        form="agree",
        candidates=(A, B),
        base=Base(10, {"suspended": 1}),  # type: ignore[arg-type]
        ballots=(AgreeBallot({A: "agree", B: "none"}, count=6),),  # type: ignore[arg-type]
    )
    result = count_round(round_)
    assert result.base == 9
    assert result.elected == (A,)


@pytest.mark.parametrize(
    ("round_", "message"),
    [
        (Round(seats=1, form="strike", candidates=A, base=Base(5)), "candidates must be a list of names"),  # type: ignore[arg-type]
        (
            Round(seats=1, form="strike", candidates=(A,), base=Base(5), ballots=StrikeBallot((A,))),  # type: ignore[arg-type]
            "ballots must be a list",
        ),
        (
            Round(seats=1, form="strike", candidates=(A,), base=Base(5), ballots=(StrikeBallot(A),)),  # type: ignore[arg-type]
            r"ballots\[0\].keep must be a list of names",
        ),
        (
            Round(seats=1, form="agree", candidates=(A,), base=Base(5), ballots=(AgreeBallot((A,)),)),  # type: ignore[arg-type]
            r"ballots\[0\].marks must be pairs of name and value",
        ),
        (Round(seats=1, form="strike", candidates=(A,), base=Base(5, 2)), "base.excluded must be pairs"),  # type: ignore[arg-type]
    ],
)
def test_python_round_shapes_are_checked(round_: Round, message: str) -> None:
    with pytest.raises(BallotInputError, match=message):
        count_round(round_)
