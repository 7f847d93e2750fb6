"""rules/consultation.py: tallies and outcomes, as tables of cases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vanphong.rules.consultation import Base, Tally, needed_to_pass, outcome, tally

A, D, OTHER, N = "agree", "disagree", "other", None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], Tally(0, 0, 0, 0)),
        ([N, N, N], Tally(3, 0, 0, 0)),
        ([A, D, OTHER, N, ""], Tally(5, 1, 1, 1)),
        ([A] * 13, Tally(13, 13, 0, 0)),
    ],
)
def test_tally(answers: list[str | None], expected: Tally) -> None:
    counted = tally(answers)
    assert counted == expected
    assert counted.answered + counted.not_answered == counted.members


def test_an_unknown_answer_is_refused() -> None:
    with pytest.raises(ValueError):
        tally(["maybe"])


# (answers, base, threshold, passed, needed)
CASES = [
    # Against all members (the Party's working rules): more than half of everyone consulted.
    ([A, A, A, D, D], "members", None, True, 3),
    ([A, A, D, D], "members", None, False, 3),  # a tie does not pass
    ([A, A, A, D, D, D], "members", None, False, 4),  # a tie of six does not pass
    ([A, A, N, N, N], "members", None, False, 3),  # all who answered agree, but 2 of 5 is not a majority
    ([A, A, A, N, N], "members", None, True, 3),  # silence weighs like "no", yet 3 of 5 passes
    ([A, A, OTHER, OTHER, D], "members", None, False, 3),  # "other opinion" is not agreement
    ([N, N, N], "members", None, False, 2),  # nobody answered
    ([], "members", None, False, 1),  # nobody consulted
    ([A], "members", None, True, 1),
    # Against those who answered.
    ([A, A, N, N, N], "answered", None, True, 2),
    ([A, D, N, N], "answered", None, False, 2),  # a tie among those who answered
    ([N, N, N], "answered", None, False, 1),  # nobody answered never passes
    ([OTHER, N], "answered", None, False, 1),
    # Two thirds.
    ([A, A, A, A, D, D], "members", Fraction(2, 3), False, 5),  # exactly two thirds is not "more than"
    ([A, A, A, A, A, D], "members", Fraction(2, 3), True, 5),
    ([A, A, D], "answered", Fraction(2, 3), False, 3),
]


@pytest.mark.parametrize(("answers", "base", "threshold", "passed", "needed"), CASES)
def test_outcome(answers: list[str | None], base: str, threshold: Fraction | None, passed: bool, needed: int) -> None:
    kwargs = {"threshold": threshold} if threshold is not None else {}
    result = outcome(tally(answers), base=base, **kwargs)
    assert (result.passed, result.needed) == (passed, needed)
    assert result.base == Base(base)


def test_the_default_base_is_all_members() -> None:
    assert outcome(tally([A, A, N, N, N])).base is Base.MEMBERS


@pytest.mark.parametrize(("base_count", "needed"), [(0, 1), (1, 1), (2, 2), (11, 6), (12, 7), (53, 27)])
def test_more_than_half(base_count: int, needed: int) -> None:
    assert needed_to_pass(base_count) == needed


@pytest.mark.parametrize("threshold", [Fraction(1), Fraction(-1, 2), Fraction(3, 2)])
def test_a_threshold_outside_zero_to_one_is_refused(threshold: Fraction) -> None:
    with pytest.raises(ValueError):
        needed_to_pass(5, threshold)
