"""The stored result of a confirmed round: the engine's output, and for delegate elections the official
delegates and alternates as well (190 Điều 18).

An ordinary election stores ``count_round(...).as_dict()`` unchanged (the JSON of ``vanphong elections
count``). A delegate election is counted with ``count_delegates`` and stores the same keys, so that the
pages, the projector and the API read every round alike, plus:

* ``candidates[i]["role"]``: ``"official"``, ``"alternate"`` or null; ``elected`` is true for both;
* ``elected``: the officials in vote order, then the alternates in vote order (the order in which
  alternates replace officials);
* ``delegates``: ``official_seats``, ``alternate_seats``, ``officials``, ``alternates``, ``official_tie``,
  ``alternate_tie``, ``official_seats_left``, ``alternate_seats_left``;
* ``tie``: the tie on the official cut, else the tie on the alternate cut, with its ``role``;
* ``next_round``: ``{"seats", "alternate_seats", "candidates"}``. Officials come first: a tie on the
  official cut is settled by a runoff among the tied for the official seats alone; once the officials
  are complete, the alternate seats still open are filled from every candidate of the election not yet
  elected (a runoff among the tied after a tie on the alternate cut). A shortfall of officials puts the
  official seats left and every open alternate seat on one joint list again.

Rounds whose seats are all alternate seats (after the officials were settled) are counted with
``count_round``: whoever it elects is an alternate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vanphong.rules.ballots import Tie, count_delegates, count_round, parse_round


def _tie(tie: Tie | None, role: str) -> dict[str, Any] | None:
    return None if tie is None else {"candidates": list(tie.candidates), "seats": tie.seats, "role": role}


def count_stored(data: dict[str, Any]) -> dict[str, Any]:
    """An ordinary election's round: the engine's JSON result as ``vanphong elections count`` prints it."""
    return count_round(parse_round(data)).as_dict()


def count_delegate_round(
    data: dict[str, Any],
    *,
    alternate_seats: int,
    alternates_open_elsewhere: int,
    not_yet_elected: Sequence[str],
) -> dict[str, Any]:
    """A delegate election's round (see the module docstring).

    ``data`` is the engine input; its ``seats`` are this round's official plus alternate seats.
    ``alternates_open_elsewhere`` are alternate seats of the election not on this round's ballot (all of
    them while a runoff settles the officials); ``not_yet_elected`` are the election's candidates elected
    in no earlier round, in list order, from whom later rounds are drawn.
    """
    engine_round = parse_round(data)
    official_seats = engine_round.seats - alternate_seats
    if official_seats >= 1:
        counted = count_delegates(engine_round, official_seats, alternate_seats)
        officials, alternates = list(counted.officials), list(counted.alternates)
        official_tie, alternate_tie = counted.official_tie, counted.alternate_tie
        official_left, alternate_left = counted.official_seats_left, counted.alternate_seats_left
        base, needed = counted.base, counted.votes_needed
        totals = count_round(engine_round).as_dict()["ballots"]
        rows = [
            {
                "name": c.name,
                "votes": c.votes,
                "percent": c.percent,
                "above_half": c.above_half,
                "elected": c.role is not None,
                "role": c.role,
            }
            for c in counted.candidates
        ]
    else:
        plain = count_round(engine_round)
        officials, alternates = [], list(plain.elected)
        official_tie, alternate_tie = None, plain.tie
        official_left, alternate_left = 0, plain.seats_left
        base, needed = plain.base, plain.votes_needed
        totals = plain.as_dict()["ballots"]
        roles = dict.fromkeys(alternates, "alternate")
        rows = [
            {
                "name": c.name,
                "votes": c.votes,
                "percent": c.percent,
                "above_half": c.above_half,
                "elected": c.elected,
                "role": roles.get(c.name),
            }
            for c in plain.candidates
        ]
    elected_now = set(officials) | set(alternates)
    remaining = [name for name in not_yet_elected if name not in elected_now]
    alternates_open = alternate_left + alternates_open_elsewhere
    next_round: dict[str, Any] | None = None
    if official_tie is not None:
        next_round = {"seats": official_tie.seats, "alternate_seats": 0, "candidates": list(official_tie.candidates)}
    elif official_left:
        next_round = {"seats": official_left + alternates_open, "alternate_seats": alternates_open,
                      "candidates": remaining}  # fmt: skip
    elif alternate_tie is not None and not alternates_open_elsewhere:
        next_round = {"seats": alternate_tie.seats, "alternate_seats": alternate_tie.seats,
                      "candidates": list(alternate_tie.candidates)}  # fmt: skip
    elif alternates_open:
        next_round = {"seats": alternates_open, "alternate_seats": alternates_open, "candidates": remaining}
    tie = _tie(official_tie, "official") or _tie(alternate_tie, "alternate")
    return {
        "base": base,
        "votes_needed": needed,
        "ballots": totals,
        "candidates": rows,
        "elected": officials + alternates,
        "seats_left": official_left + alternate_left,
        "tie": tie,
        "next_round": next_round,
        "delegates": {
            "official_seats": official_seats,
            "alternate_seats": alternate_seats,
            "officials": officials,
            "alternates": alternates,
            "official_tie": _tie(official_tie, "official"),
            "alternate_tie": _tie(alternate_tie, "alternate"),
            "official_seats_left": official_left,
            "alternate_seats_left": alternate_left,
        },
    }
