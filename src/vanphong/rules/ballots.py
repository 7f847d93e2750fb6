"""Counting one round of a Party election: Regulation 190-QĐ/TW, which keeps the counting rules of 244-QĐ/TW.

One round of one election goes in, the result comes out. The module is deterministic, plain Python and
knows nothing of Django, the database or the web; the services, the CLI and the minutes all call it.

Rules implemented here (article numbers of 190, with the matching 244 article where the text was taken
from it; the notes behind them are in shared/reference/elections.md):

* **Base** (190 Điều 30.2-30.3, 244 Điều 32.2-32.3): the official members or delegates summoned minus a
  closed list of exclusions, given as data by category. It is never derived from the ballots, and invalid
  ballots never lower it (190 Điều 30.1).
* **Threshold** (190 Điều 30.2, 244 Điều 32.2): elected means more than half of the base, decided on
  integers as ``2 * votes > base``. Exactly half is not enough. Percentages are for display only.
* **Ballot forms** (190 Điều 15, 244 Điều 17.1): with a surplus the voter strikes names and the names left
  are the votes ("strike"); without a surplus there is one agree / disagree pair per person ("agree").
* **Invalid ballots** (190 Điều 15, 244 Điều 17.2), detected by the engine, in this order of precedence
  (a ballot gets the first reason that applies; the counting committee may rule otherwise, 190 Điều 8,
  by entering the ballot as ruled invalid with its own reason):

  1. ``name_added``: a name not on the list was written in (the translated 244 Điều 17.2 is cut off
     here: unconfirmed verbatim; Law 85/2015 Điều 74 has the same rule);
  2. ``box_error``: a single-person agree ballot with both boxes or neither marked (inferred from the
     definition of a valid ballot in 244 Điều 17.2);
  3. ``more_names_than_seats``: more names kept (or agreed to) than seats (244 Điều 17.2);
  4. ``no_name_kept``: a strike ballot with every name struck, a vote for nobody (244 Điều 17.2).

  On a multi-person agree ballot, both boxes or neither box for a person gives that person no vote and
  the ballot stays valid (190 Điều 30.1). Ballots the counting committee rules invalid (190 Điều 8)
  carry a reason code of its choosing, such as ``not_issued``.
* **Ranking and ties** (190 Điều 30, 244 Điều 32): above half, most votes first. A tie across the last
  seat is never resolved here: no age or lot rule exists, so the tied candidates go to a runoff among
  themselves for the seats left (unconfirmed practice, reference §1.4).
* **Shortfall and rounds** (244 Điều 20.2): fewer elected than seats leaves seats; the congress decides on
  another round. Rounds are unbounded; this module counts one, and ``next_round`` says which seats and
  which candidates are left, so elected candidates leave later lists.
* **Delegates** (190 Điều 18, 244 Điều 20): officials first, then alternates from the rest, by votes.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias, TypeGuard

Form: TypeAlias = Literal["strike", "agree"]
Mark: TypeAlias = Literal["agree", "disagree", "none"]

FORMS: Final[tuple[Form, ...]] = ("strike", "agree")
MARKS: Final[tuple[Mark, ...]] = ("agree", "disagree", "none")

# Reason codes the engine assigns on its own (190 Điều 15, 244 Điều 17.2).
NAME_ADDED: Final = "name_added"
BOX_ERROR: Final = "box_error"
MORE_NAMES_THAN_SEATS: Final = "more_names_than_seats"
NO_NAME_KEPT: Final = "no_name_kept"
ENGINE_REASONS: Final = frozenset({NAME_ADDED, BOX_ERROR, MORE_NAMES_THAN_SEATS, NO_NAME_KEPT})

# The exclusion category used when the input gives the exclusions as one plain number.
UNSPECIFIED_EXCLUSION: Final = "unspecified"

_TOP_LEVEL_FIELDS: Final = ("seats", "form", "candidates", "base", "ballots")
_BASE_FIELDS: Final = ("summoned", "excluded")


class BallotInputError(ValueError):
    """The round cannot be counted as given; the message names the offending field or ballot."""


# --------------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """The threshold base as data: those summoned minus exclusions by category (190 Điều 30.2-30.3).

    ``exclusions`` pairs a category code (for example ``temporary_transfer``) with a count.
    """

    summoned: int
    exclusions: tuple[tuple[str, int], ...] = ()

    @property
    def excluded(self) -> int:
        return sum(count for _, count in self.exclusions)

    @property
    def value(self) -> int:
        """The base the threshold is taken against: summoned minus every exclusion."""
        return self.summoned - self.excluded


@dataclass(frozen=True)
class StrikeBallot:
    """A ballot of the strike form: the names left unstruck are the votes (190 Điều 15, 244 Điều 17.1)."""

    keep: tuple[str, ...]
    count: int = 1


@dataclass(frozen=True)
class AgreeBallot:
    """A ballot of the agree form: one mark per person; a person missing from ``marks`` counts as "none"."""

    marks: tuple[tuple[str, Mark], ...]
    count: int = 1


@dataclass(frozen=True)
class RuledInvalidBallot:
    """A ballot the counting committee ruled invalid (190 Điều 8), with a reason code of its choosing."""

    reason: str
    count: int = 1


Ballot: TypeAlias = StrikeBallot | AgreeBallot | RuledInvalidBallot


@dataclass(frozen=True)
class Round:
    """One round of one election: the seats, the list in ballot order, the base and the ballots.

    ``count`` on a ballot is the number of identical ballots.
    """

    seats: int
    form: Form
    candidates: tuple[str, ...]
    base: Base
    ballots: tuple[Ballot, ...] = ()


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotTotals:
    """Ballots collected, valid and invalid; ``invalid_by_reason`` holds reasons with a count > 0, sorted."""

    collected: int
    valid: int
    invalid: int
    invalid_by_reason: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's votes; ``percent`` is votes of the base, for display only (never decides)."""

    name: str
    votes: int
    percent: str
    above_half: bool
    elected: bool


@dataclass(frozen=True)
class Tie:
    """Candidates above half with equal votes across the last seat(s): none of them is elected.

    ``seats`` is the number of seats left for them; ``candidates`` are in ballot order.
    """

    candidates: tuple[str, ...]
    seats: int


@dataclass(frozen=True)
class NextRound:
    """What a further round, if the congress holds one, would fill: ``seats`` among ``candidates``."""

    seats: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class RoundResult:
    """The result of one round (see ``count_round``)."""

    base: int
    votes_needed: int
    ballots: BallotTotals
    candidates: tuple[CandidateResult, ...]
    elected: tuple[str, ...]
    seats_left: int
    tie: Tie | None
    next_round: NextRound | None

    def as_dict(self) -> dict[str, object]:
        """The result in the JSON shape of ``vanphong elections count`` (key order is part of it)."""
        return {
            "base": self.base,
            "votes_needed": self.votes_needed,
            "ballots": _totals_dict(self.ballots),
            "candidates": [
                {
                    "name": c.name,
                    "votes": c.votes,
                    "percent": c.percent,
                    "above_half": c.above_half,
                    "elected": c.elected,
                }
                for c in self.candidates
            ],
            "elected": list(self.elected),
            "seats_left": self.seats_left,
            "tie": (None if self.tie is None else {"candidates": list(self.tie.candidates), "seats": self.tie.seats}),
            "next_round": (
                None
                if self.next_round is None
                else {"seats": self.next_round.seats, "candidates": list(self.next_round.candidates)}
            ),
        }


DelegateRole: TypeAlias = Literal["official", "alternate"]


@dataclass(frozen=True)
class DelegateCandidateResult:
    """One candidate of a delegate election; ``role`` is None when neither official nor alternate."""

    name: str
    votes: int
    percent: str
    above_half: bool
    role: DelegateRole | None


@dataclass(frozen=True)
class DelegateResult:
    """The result of a delegate election on one joint list (see ``count_delegates``).

    ``officials`` and ``alternates`` are ordered by votes, most first, equal votes in ballot order; the
    order of alternates is the order in which they replace officials. While ``official_tie`` is set no
    alternates are named: the officials must be settled first (190 Điều 18), and the runoff's losers
    rank first among the alternates.
    """

    base: int
    votes_needed: int
    ballots: BallotTotals
    candidates: tuple[DelegateCandidateResult, ...]
    officials: tuple[str, ...]
    alternates: tuple[str, ...]
    official_tie: Tie | None
    alternate_tie: Tie | None
    official_seats_left: int
    alternate_seats_left: int


# --------------------------------------------------------------------------------------------------
# Arithmetic of the threshold
# --------------------------------------------------------------------------------------------------


def is_above_half(votes: int, base: int) -> bool:
    """More than half of the base, strictly, on integers (190 Điều 30.2; exactly half is not elected)."""
    return 2 * votes > base


def votes_needed(base: int) -> int:
    """The smallest v with ``2 * v > base``."""
    return base // 2 + 1


def percent_of_base(votes: int, base: int) -> str:
    """Votes as a percentage of the base, two decimals, rounded half up, as a string (display only).

    Integer arithmetic keeps it exact for any size: round half up of ``votes * 10000 / base``.
    """
    if base < 1:
        raise BallotInputError(f"the base must be at least 1 to compute a percentage (got {base})")
    hundredths = (votes * 20000 + base) // (2 * base)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


_to_nfc: Final = functools.partial(unicodedata.normalize, "NFC")


def normalise_name(name: str) -> str:
    """A name as the engine compares it: Unicode NFC, surrounding whitespace trimmed."""
    return unicodedata.normalize("NFC", name).strip()


# --------------------------------------------------------------------------------------------------
# Reading the JSON shape
# --------------------------------------------------------------------------------------------------


def parse_round(data: object) -> Round:
    """Build a ``Round`` from the JSON shape of ``vanphong elections count``, checking every field.

    The result is also validated as ``count_round`` would, so a parsed round can always be counted.
    """
    if not isinstance(data, dict):
        raise BallotInputError("the input must be a JSON object with seats, form, candidates, base, ballots")
    _reject_unknown(data, _TOP_LEVEL_FIELDS, "the top level")
    for key in _TOP_LEVEL_FIELDS:
        if key not in data:
            raise BallotInputError(f"missing required field {key!r} at the top level")
    seats = _whole_number(data["seats"], "seats", minimum=1)
    form = data["form"]
    if not _is_form(form):
        raise BallotInputError(f'form must be "strike" or "agree" (got {_show(form)})')
    candidates = _string_list(data["candidates"], "candidates")
    base = _parse_base(data["base"])
    raw_ballots = data["ballots"]
    if not isinstance(raw_ballots, list):
        raise BallotInputError(f"ballots must be a list (got {_show(raw_ballots)})")
    ballots = tuple(_parse_ballot(item, f"ballots[{index}]") for index, item in enumerate(raw_ballots))
    return validate_round(Round(seats=seats, form=form, candidates=candidates, base=base, ballots=ballots))


def _parse_base(raw: object) -> Base:
    if not isinstance(raw, dict):
        raise BallotInputError(f'base must be an object such as {{"summoned": 60, "excluded": 2}} (got {_show(raw)})')
    _reject_unknown(raw, _BASE_FIELDS, "base")
    if "summoned" not in raw:
        raise BallotInputError("missing required field 'summoned' in base")
    summoned = _whole_number(raw["summoned"], "base.summoned", minimum=0)
    excluded = raw.get("excluded", 0)
    exclusions: list[tuple[str, int]] = []
    if isinstance(excluded, dict):
        for reason, count in excluded.items():
            exclusions.append((reason, _whole_number(count, f"base.excluded[{reason!r}]", minimum=0)))
    else:
        number = _whole_number(
            excluded, "base.excluded", minimum=0, what="a whole number or an object of counts by reason"
        )
        if number:
            exclusions.append((UNSPECIFIED_EXCLUSION, number))
    return Base(summoned=summoned, exclusions=tuple(exclusions))


def _parse_ballot(raw: object, where: str) -> Ballot:
    if not isinstance(raw, dict):
        raise BallotInputError(f"{where} must be an object with keep, marks or invalid (got {_show(raw)})")
    _reject_unknown(raw, ("keep", "marks", "invalid", "count"), where)
    kinds = [key for key in ("keep", "marks", "invalid") if key in raw]
    if len(kinds) != 1:
        found = " and ".join(repr(kind) for kind in kinds) if kinds else "none"
        raise BallotInputError(f"{where} must have exactly one of 'keep', 'marks' or 'invalid' (found {found})")
    count = _whole_number(raw.get("count", 1), f"{where}.count", minimum=1)
    if "keep" in raw:
        return StrikeBallot(keep=_string_list(raw["keep"], f"{where}.keep", allow_empty=True), count=count)
    if "marks" in raw:
        marks = raw["marks"]
        if not isinstance(marks, dict):
            raise BallotInputError(f"{where}.marks must be an object of name to mark (got {_show(marks)})")
        pairs: list[tuple[str, Mark]] = []
        for name, mark in marks.items():
            if not _is_mark(mark):
                raise BallotInputError(
                    f'{where}.marks[{name!r}] must be "agree", "disagree" or "none" (got {_show(mark)})'
                )
            pairs.append((name, mark))
        return AgreeBallot(marks=tuple(pairs), count=count)
    reason = raw["invalid"]
    if not isinstance(reason, str):
        raise BallotInputError(f'{where}.invalid must be a reason code such as "not_issued" (got {_show(reason)})')
    return RuledInvalidBallot(reason=reason, count=count)


def _reject_unknown(raw: Mapping[str, object], allowed: Sequence[str], where: str) -> None:
    for key in raw:
        if key not in allowed:
            raise BallotInputError(f"unknown field {key!r} in {where} (expected: {', '.join(allowed)})")


def _whole_number(value: object, where: str, *, minimum: int, what: str = "a whole number") -> int:
    # JSON true/false are ints in Python; a count of true is a mistake, not 1.
    if not isinstance(value, int) or isinstance(value, bool):
        raise BallotInputError(f"{where} must be {what} (got {_show(value)})")
    if value < minimum:
        raise BallotInputError(f"{where} must be at least {minimum} (got {value})")
    return value


def _string_list(value: object, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise BallotInputError(f"{where} must be a list of names (got {_show(value)})")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise BallotInputError(f"{where}[{index}] must be a name (got {_show(item)})")
    if not value and not allow_empty:
        raise BallotInputError(f"{where} must not be empty")
    return tuple(value)


def _is_form(value: object) -> TypeGuard[Form]:
    return isinstance(value, str) and value in FORMS


def _is_mark(value: object) -> TypeGuard[Mark]:
    return isinstance(value, str) and value in MARKS


def _show(value: object) -> str:
    """A short rendering of an offending value for an error message (one line, bounded length)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, str):
        text = '"' + value + '"'
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "a list"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def validate_round(round_: Round) -> Round:
    """Check a round and return it with every name and code normalised (NFC, trimmed).

    Raises ``BallotInputError`` naming the field or ballot at fault. ``count_round`` and
    ``count_delegates`` call this themselves.
    """
    seats = _whole_number(round_.seats, "seats", minimum=1)
    if not _is_form(round_.form):
        raise BallotInputError(f'form must be "strike" or "agree" (got {_show(round_.form)})')
    candidates = _unique_names(round_.candidates, "candidates")
    if not candidates:
        raise BallotInputError("candidates must not be empty")
    base = _checked_base(round_.base)
    if not isinstance(round_.ballots, tuple | list):
        raise BallotInputError(f"ballots must be a list (got {_show(round_.ballots)})")
    ballots = tuple(
        _checked_ballot(ballot, round_.form, f"ballots[{index}]") for index, ballot in enumerate(round_.ballots)
    )
    return Round(seats=seats, form=round_.form, candidates=candidates, base=base, ballots=ballots)


def _checked_base(base: Base) -> Base:
    summoned = _whole_number(base.summoned, "base.summoned", minimum=0)
    exclusions: list[tuple[str, int]] = []
    seen: set[str] = set()
    for reason, count in _pairs(base.exclusions, "base.excluded"):
        code = _code(reason, "base.excluded", "an exclusion reason")
        if code in seen:
            raise BallotInputError(f"base.excluded lists the reason {code!r} twice")
        seen.add(code)
        exclusions.append((code, _whole_number(count, f"base.excluded[{code!r}]", minimum=0)))
    checked = Base(summoned=summoned, exclusions=tuple(exclusions))
    if checked.excluded > summoned:
        raise BallotInputError(f"base: the exclusions ({checked.excluded}) exceed the number summoned ({summoned})")
    if checked.value < 1:
        raise BallotInputError(
            f"base: summoned ({summoned}) minus exclusions ({checked.excluded}) is {checked.value}; "
            "the base must be at least 1"
        )
    return checked


def _checked_ballot(ballot: Ballot, form: Form, where: str) -> Ballot:
    if not isinstance(ballot, StrikeBallot | AgreeBallot | RuledInvalidBallot):
        raise BallotInputError(f"{where} is not a ballot (got {type(ballot).__name__})")
    count = _whole_number(ballot.count, f"{where}.count", minimum=1)
    if isinstance(ballot, StrikeBallot):
        if form != "strike":
            raise BallotInputError(f"{where}: 'keep' belongs to the strike form, but this round uses the {form} form")
        return StrikeBallot(keep=_unique_names(ballot.keep, f"{where}.keep"), count=count)
    if isinstance(ballot, AgreeBallot):
        if form != "agree":
            raise BallotInputError(f"{where}: 'marks' belongs to the agree form, but this round uses the {form} form")
        pairs = _pairs(ballot.marks, f"{where}.marks")
        names = _unique_names(tuple(name for name, _ in pairs), f"{where}.marks")
        marks: list[tuple[str, Mark]] = []
        for name, (_, mark) in zip(names, pairs, strict=True):
            if not _is_mark(mark):
                raise BallotInputError(
                    f'{where}.marks[{name!r}] must be "agree", "disagree" or "none" (got {_show(mark)})'
                )
            marks.append((name, mark))
        return AgreeBallot(marks=tuple(marks), count=count)
    reason = _code(ballot.reason, f"{where}.invalid", "a reason code")
    return RuledInvalidBallot(reason=reason, count=count)


def _pairs(value: object, where: str) -> tuple[tuple[object, object], ...]:
    """Pairs given as a tuple of pairs (the dataclass shape) or, from Python callers, as a mapping."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    if isinstance(value, tuple | list) and all(isinstance(pair, tuple | list) and len(pair) == 2 for pair in value):
        return tuple((pair[0], pair[1]) for pair in value)
    raise BallotInputError(f"{where} must be pairs of name and value (got {_show(value)})")


def _unique_names(names: object, where: str) -> tuple[str, ...]:
    if not isinstance(names, tuple | list):
        raise BallotInputError(f"{where} must be a list of names (got {_show(names)})")
    # The whole list at once is several times faster than name by name; the loop below only runs to
    # name the culprit once something is wrong.
    if set(map(type, names)) <= {str}:
        clean = tuple(map(str.strip, map(_to_nfc, names)))
        distinct = set(clean)
        if len(distinct) == len(clean) and "" not in distinct:
            return clean
    seen: set[str] = set()
    for index, name in enumerate(names):
        if not isinstance(name, str):
            raise BallotInputError(f"{where}[{index}] must be a name (got {_show(name)})")
        cleaned = normalise_name(name)
        if not cleaned:
            raise BallotInputError(f"{where}[{index}] is an empty name")
        if cleaned in seen:
            raise BallotInputError(f"{where} lists {cleaned!r} twice")
        seen.add(cleaned)
    return tuple(normalise_name(name) for name in names)


def _code(value: object, where: str, what: str) -> str:
    if not isinstance(value, str) or not normalise_name(value):
        raise BallotInputError(f"{where} must be {what}, a non-empty text (got {_show(value)})")
    return normalise_name(value)


# --------------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tally:
    base: int
    votes: tuple[int, ...]
    totals: BallotTotals


def invalid_reason(ballot: Ballot, candidates: Sequence[str], seats: int) -> str | None:
    """Why a ballot is invalid, or None if it is valid (190 Điều 15, 30.1; 244 Điều 17.2).

    ``candidates`` and the names on the ballot must already be normalised (see ``validate_round``).
    The reasons, in order of precedence, are described in the module docstring.
    """
    single = candidates[0] if len(candidates) == 1 else None
    return _invalid_reason(ballot, frozenset(candidates), single, seats)


def _invalid_reason(ballot: Ballot, on_list: frozenset[str], single: str | None, seats: int) -> str | None:
    if isinstance(ballot, RuledInvalidBallot):
        return ballot.reason
    if isinstance(ballot, StrikeBallot):
        if not on_list.issuperset(ballot.keep):
            return NAME_ADDED
        if len(ballot.keep) > seats:
            return MORE_NAMES_THAN_SEATS
        if not ballot.keep:
            return NO_NAME_KEPT
        return None
    if not on_list.issuperset(name for name, _ in ballot.marks):
        return NAME_ADDED
    # A single-person list needs exactly one box marked; a missing mark counts as "none".
    if single is not None and dict(ballot.marks).get(single, "none") == "none":
        return BOX_ERROR
    # Agree lists have no surplus, so this only bites when the agree form is used with one.
    if sum(1 for _, mark in ballot.marks if mark == "agree") > seats:
        return MORE_NAMES_THAN_SEATS
    return None


def _tally(round_: Round) -> _Tally:
    candidates = round_.candidates
    position = {name: index for index, name in enumerate(candidates)}
    on_list = frozenset(candidates)
    single = candidates[0] if len(candidates) == 1 else None
    votes = [0] * len(candidates)
    invalid: dict[str, int] = {}
    collected = valid = 0
    for ballot in round_.ballots:
        collected += ballot.count
        reason = _invalid_reason(ballot, on_list, single, round_.seats)
        if reason is not None:
            invalid[reason] = invalid.get(reason, 0) + ballot.count
            continue
        valid += ballot.count
        # Votes come only from valid ballots (190 Điều 30.1).
        if isinstance(ballot, StrikeBallot):
            for name in ballot.keep:
                votes[position[name]] += ballot.count
        elif isinstance(ballot, AgreeBallot):
            for name, mark in ballot.marks:
                if mark == "agree":
                    votes[position[name]] += ballot.count
    totals = BallotTotals(
        collected=collected,
        valid=valid,
        invalid=collected - valid,
        invalid_by_reason=tuple(sorted((code, n) for code, n in invalid.items() if n > 0)),
    )
    return _Tally(base=round_.base.value, votes=tuple(votes), totals=totals)


def _ranked_above_half(tally: _Tally) -> list[int]:
    """Indexes of candidates above half, most votes first, equal votes in ballot order (244 Điều 32)."""
    above = [index for index, v in enumerate(tally.votes) if is_above_half(v, tally.base)]
    return sorted(above, key=lambda index: (-tally.votes[index], index))


def _fill(ranked: Sequence[int], votes: Sequence[int], seats: int) -> tuple[list[int], list[int]]:
    """Fill ``seats`` from ``ranked``, one group of equal votes at a time.

    Returns the chosen indexes and, if a group of equal votes does not fit in the seats left, that
    group in ballot order (else an empty list). A tie is never broken: Party rules have no age or lot
    rule, so the tied go to a runoff among themselves (reference §1.4).
    """
    chosen: list[int] = []
    start = 0
    while start < len(ranked) and len(chosen) < seats:
        end = start
        while end < len(ranked) and votes[ranked[end]] == votes[ranked[start]]:
            end += 1
        group = ranked[start:end]
        if len(chosen) + len(group) > seats:
            return chosen, sorted(group)
        chosen.extend(group)
        start = end
    return chosen, []


def count_round(round_: Round) -> RoundResult:
    """Count one round: who is above half, who is elected, and what is left for another round.

    * elected: candidates with ``2 * votes > base``, most votes first, at most ``seats`` (190 Điều 30.2);
    * a tie across the last seat(s) elects none of the tied; they go to a runoff for the seats left;
    * too few above half leaves seats, and ``next_round`` lists every candidate not elected (244 Điều 20.2).
    """
    round_ = validate_round(round_)
    tally = _tally(round_)
    names = round_.candidates
    chosen, tied = _fill(_ranked_above_half(tally), tally.votes, round_.seats)
    elected = frozenset(chosen)
    seats_left = round_.seats - len(chosen)
    tie = _named_tie(tied, seats_left, names)
    next_round: NextRound | None = None
    if tie is not None:
        next_round = NextRound(seats=seats_left, candidates=tie.candidates)
    elif seats_left > 0:
        next_round = NextRound(
            seats=seats_left, candidates=tuple(name for i, name in enumerate(names) if i not in elected)
        )
    return RoundResult(
        base=tally.base,
        votes_needed=votes_needed(tally.base),
        ballots=tally.totals,
        candidates=tuple(
            CandidateResult(
                name=name,
                votes=tally.votes[i],
                percent=percent_of_base(tally.votes[i], tally.base),
                above_half=is_above_half(tally.votes[i], tally.base),
                elected=i in elected,
            )
            for i, name in enumerate(names)
        ),
        elected=tuple(names[i] for i in chosen),
        seats_left=seats_left,
        tie=tie,
        next_round=next_round,
    )


def count_delegates(round_: Round, official_seats: int, alternate_seats: int) -> DelegateResult:
    """Count a delegate election on one joint list: officials first, then alternates (190 Điều 18).

    The round's ``seats`` must be ``official_seats + alternate_seats``: the joint ballot elects both, so
    a ballot may keep at most that many names (reading of 190 Điều 18: unconfirmed). Every delegate,
    official or alternate, needs ``2 * votes > base``. Officials are the top ``official_seats`` by votes;
    alternates are the next ``alternate_seats`` from the rest, in vote order (equal votes in ballot
    order). A tie across the last official or alternate seat is reported, never resolved; while the
    officials are tied no alternates are named.
    """
    official_seats = _whole_number(official_seats, "official_seats", minimum=1)
    alternate_seats = _whole_number(alternate_seats, "alternate_seats", minimum=0)
    round_ = validate_round(round_)
    if round_.seats != official_seats + alternate_seats:
        raise BallotInputError(
            f"seats ({round_.seats}) must equal official_seats ({official_seats}) + "
            f"alternate_seats ({alternate_seats}) on a joint list"
        )
    tally = _tally(round_)
    names = round_.candidates
    ranked = _ranked_above_half(tally)
    officials, official_tied = _fill(ranked, tally.votes, official_seats)
    alternates: list[int] = []
    alternate_tied: list[int] = []
    if not official_tied:
        alternates, alternate_tied = _fill(ranked[len(officials) :], tally.votes, alternate_seats)
    roles: dict[int, DelegateRole] = dict.fromkeys(officials, "official")
    roles.update(dict.fromkeys(alternates, "alternate"))
    return DelegateResult(
        base=tally.base,
        votes_needed=votes_needed(tally.base),
        ballots=tally.totals,
        candidates=tuple(
            DelegateCandidateResult(
                name=name,
                votes=tally.votes[i],
                percent=percent_of_base(tally.votes[i], tally.base),
                above_half=is_above_half(tally.votes[i], tally.base),
                role=roles.get(i),
            )
            for i, name in enumerate(names)
        ),
        officials=tuple(names[i] for i in officials),
        alternates=tuple(names[i] for i in alternates),
        official_tie=_named_tie(official_tied, official_seats - len(officials), names),
        alternate_tie=_named_tie(alternate_tied, alternate_seats - len(alternates), names),
        official_seats_left=official_seats - len(officials),
        alternate_seats_left=alternate_seats - len(alternates),
    )


def _named_tie(tied: Sequence[int], seats: int, names: Sequence[str]) -> Tie | None:
    return Tie(candidates=tuple(names[i] for i in tied), seats=seats) if tied else None


def _totals_dict(totals: BallotTotals) -> dict[str, object]:
    return {
        "collected": totals.collected,
        "valid": totals.valid,
        "invalid": totals.invalid,
        "invalid_by_reason": dict(totals.invalid_by_reason),
    }
