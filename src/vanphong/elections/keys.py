"""What a station operator types for one ballot, and the canonical text it is stored as.

The keys (shown on the entry page too):

* ``3 7 12`` then Enter: on a strike ballot, the numbers of the names struck out; on an agree ballot,
  the numbers marked *disagree* (every other name is agreed to). Spaces, commas, dots or ``+`` separate
  the numbers.
* ``0``: nothing struck out (strike) or every name agreed (agree).
* ``3 / 5`` (agree ballots only): after the slash, the numbers with no box or both boxes marked.
* ``k1`` … ``k4``: the ballot is ruled invalid: k1 not issued by the committee, k2 a name added,
  k3 signed or privately marked, k4 another reason ruled by the committee.
* ``25: …`` before any of these: the ballot number (a serial printed on the paper, or the number of an
  earlier entry to correct it). Without it the station's next number is used.

A ballot whose every name is struck, or that keeps more names than seats, is typed as it is: the engine
(``vanphong.rules.ballots``) finds those invalid reasons itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanphong.elections.models import InvalidReason
from vanphong.rules.ballots import AgreeBallot, Ballot, Mark, RuledInvalidBallot, StrikeBallot

INVALID_KEYS: Final[dict[str, str]] = {
    "k1": InvalidReason.NOT_ISSUED,
    "k2": InvalidReason.NAME_ADDED,
    "k3": InvalidReason.MARKED,
    "k4": InvalidReason.OTHER,
}
_SEPARATORS: Final = re.compile(r"[\s,.;+]+")
_NUMBER_PREFIX: Final = re.compile(r"^\s*(\d+)\s*:(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Typed:
    """One line typed at a station: the explicit ballot number (or None) and the canonical content."""

    ballot_number: int | None
    content: str


def _numbers(text: str, size: int) -> list[int]:
    numbers: list[int] = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        if not token.isdigit():
            raise ValidationError(_("“{token}” is not a number on the list.").format(token=token), code="bad_key")
        number = int(token)
        if not 1 <= number <= size:
            raise ValidationError(
                _("{number} is not on the list: the names are numbered 1 to {size}.").format(number=number, size=size),
                code="bad_number",
            )
        if number in numbers:
            raise ValidationError(_("{number} is typed twice.").format(number=number), code="twice")
        numbers.append(number)
    return sorted(numbers)


def _joined(numbers: list[int]) -> str:
    return ",".join(str(n) for n in numbers)


def parse_content(text: str, *, form: str, size: int) -> str:
    """The canonical content of one ballot typed without a number (see the module docstring)."""
    body = text.strip().lower()
    if not body:
        raise ValidationError(_("Type the numbers, or 0 for a ballot with no marks."), code="empty")
    if body.startswith("k"):
        reason = INVALID_KEYS.get(body.replace(" ", ""))
        if reason is None:
            raise ValidationError(_("Use k1, k2, k3 or k4 for an invalid ballot."), code="bad_invalid_key")
        return f"x:{reason}"
    if form == "strike":
        if "/" in body:
            raise ValidationError(_("The slash is only for agree ballots."), code="slash_on_strike")
        return "s:" + ("" if body == "0" else _joined(_numbers(body, size)))
    if body == "0":
        return "a:d=;n="
    disagree_text, _slash, none_text = body.partition("/")
    disagree = _numbers(disagree_text, size) if disagree_text.strip() not in ("", "0") else []
    no_mark = _numbers(none_text, size)
    both = set(disagree) & set(no_mark)
    if both:
        raise ValidationError(
            _("{number} is typed both as disagree and as no mark.").format(number=min(both)), code="both"
        )
    return f"a:d={_joined(disagree)};n={_joined(no_mark)}"


def parse_typed(text: str, *, form: str, size: int) -> Typed:
    """A whole line as typed at a station: an optional ``N:`` ballot number, then the content."""
    match = _NUMBER_PREFIX.match(text)
    if match is None:
        return Typed(None, parse_content(text, form=form, size=size))
    number = int(match.group(1))
    if number < 1:
        raise ValidationError(_("Ballot numbers start at 1."), code="bad_ballot_number")
    return Typed(number, parse_content(match.group(2), form=form, size=size))


def _split_numbers(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n]


def struck_numbers(content: str) -> list[int]:
    return _split_numbers(content.removeprefix("s:"))


def agree_numbers(content: str) -> tuple[list[int], list[int]]:
    disagree, _sep, no_mark = content.removeprefix("a:").partition(";")
    return _split_numbers(disagree.removeprefix("d=")), _split_numbers(no_mark.removeprefix("n="))


def to_ballot(content: str, names: list[str], count: int = 1) -> Ballot:
    """The engine's ballot for canonical ``content``; ``names`` are the list in ballot order (number 1 first)."""
    if content.startswith("x:"):
        return RuledInvalidBallot(reason=content[2:], count=count)
    if content.startswith("s:"):
        struck = set(struck_numbers(content))
        return StrikeBallot(keep=tuple(n for i, n in enumerate(names, 1) if i not in struck), count=count)
    disagree, no_mark = agree_numbers(content)
    marks: list[tuple[str, Mark]] = []
    for i, name in enumerate(names, 1):
        mark: Mark = "disagree" if i in disagree else "none" if i in no_mark else "agree"
        marks.append((name, mark))
    return AgreeBallot(marks=tuple(marks), count=count)


def to_json(content: str, names: list[str], count: int) -> dict[str, object]:
    """The ballot in the JSON shape of ``vanphong elections count`` (what ``parse_round`` reads)."""
    ballot = to_ballot(content, names, count)
    if isinstance(ballot, RuledInvalidBallot):
        return {"invalid": ballot.reason, "count": count}
    if isinstance(ballot, StrikeBallot):
        return {"keep": list(ballot.keep), "count": count}
    return {"marks": dict(ballot.marks), "count": count}


def describe(content: str) -> str:
    """The content in words for the entry log and the reconciliation page."""
    if not content:
        return "—"
    if content.startswith("x:"):
        label = InvalidReason(content[2:]).label if content[2:] in InvalidReason.values else content[2:]
        return _("Invalid: {reason}").format(reason=label)
    if content.startswith("s:"):
        struck = struck_numbers(content)
        if not struck:
            return _("Nothing struck out")
        return _("Struck out: {numbers}").format(numbers=", ".join(map(str, struck)))
    disagree, no_mark = agree_numbers(content)
    if not disagree and not no_mark:
        return _("Agrees to every name")
    parts = []
    if disagree:
        parts.append(_("Disagree: {numbers}").format(numbers=", ".join(map(str, disagree))))
    if no_mark:
        parts.append(_("No mark: {numbers}").format(numbers=", ".join(map(str, no_mark))))
    return "; ".join(parts)
