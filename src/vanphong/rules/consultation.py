"""Counting a written consultation of committee members (xin ý kiến bằng văn bản).

When a Party committee or its standing committee decides a matter between meetings, the office
sends the question to every member in writing and collects each one's agreement, disagreement or
other opinion by a deadline. The working rules of Party committees (quy chế làm việc of a Tỉnh ủy
and its Ban Thường vụ, after Regulation 24-QĐ/TW and the central committee's own working rules)
decide "by more than half of the whole number of members" (quá nửa tổng số thành viên): the
count is against everyone consulted, not against those who answered, so a member who does not
answer weighs like a "no".

Some bodies' rules count against the members who answered instead, or ask for two thirds; both
stay parameters here (``base`` and ``threshold``), with the Party's reading as the default.

No Django here: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Answer(StrEnum):
    AGREE = "agree"  # đồng ý
    DISAGREE = "disagree"  # không đồng ý
    OTHER = "other"  # ý kiến khác


class Base(StrEnum):
    """What the threshold is measured against."""

    MEMBERS = "members"  # everyone consulted (the Party's working rules)
    ANSWERED = "answered"  # only those who answered


MORE_THAN_HALF = Fraction(1, 2)


@dataclass(frozen=True)
class Tally:
    members: int
    agree: int
    disagree: int
    other: int

    @property
    def answered(self) -> int:
        return self.agree + self.disagree + self.other

    @property
    def not_answered(self) -> int:
        return self.members - self.answered


@dataclass(frozen=True)
class Outcome:
    """The result: passed or not, what it was measured against, and how many "agree" it needed."""

    passed: bool
    base: Base
    base_count: int
    needed: int  # the fewest agreeing answers that pass (more than threshold × base_count)
    tally: Tally


def tally(answers: Iterable[str | None]) -> Tally:
    """One entry per member consulted: their answer, or None (or "") when they have not answered."""
    counts = dict.fromkeys(Answer, 0)
    members = 0
    for answer in answers:
        members += 1
        if answer:
            counts[Answer(answer)] += 1
    return Tally(members, counts[Answer.AGREE], counts[Answer.DISAGREE], counts[Answer.OTHER])


def needed_to_pass(base_count: int, threshold: Fraction = MORE_THAN_HALF) -> int:
    """The smallest whole number strictly greater than ``threshold × base_count`` (at least one)."""
    if not 0 <= threshold < 1:
        raise ValueError("the threshold is a fraction from 0 up to (not including) 1")
    return max(1, int(threshold * base_count) + 1)


def outcome(counted: Tally, *, base: Base | str = Base.MEMBERS, threshold: Fraction = MORE_THAN_HALF) -> Outcome:
    """Passed when the agreeing members are more than ``threshold`` of the base.

    A tie (as many agree as do not, out of an even number) does not pass; nobody answering never
    passes, whatever the base.
    """
    chosen = Base(base)
    base_count = counted.members if chosen is Base.MEMBERS else counted.answered
    needed = needed_to_pass(base_count, threshold)
    return Outcome(counted.agree >= needed and base_count > 0, chosen, base_count, needed, counted)
