"""Property tests: random elections counted by the engine and by a naive oracle written apart from it.

The oracle expands every ``count`` into single ballots and counts with plain loops and dicts, reading
the rules from the reference (not from the engine): 190 Điều 15 / 244 Điều 17.2 for validity, 190
Điều 30 for the base and the threshold, ranking and ties as in reference §1.4. As ElectionGuard does
with its plaintext tally, the engine's output must equal the oracle's, and a few invariants must hold.
"""

from __future__ import annotations

import random
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vanphong.rules.ballots import count_delegates, count_round, parse_round

NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
    "Đặng Văn Hải",
    "Bùi Thị Hoa",
    "Đỗ Văn Khánh",
    "Hồ Thị Lan",
    "Ngô Văn Minh",
    "Dương Thị Nga",
]
OUTSIDERS = ["Lê Văn Dũng", "Trịnh Thị Phương"]
COMMITTEE_REASONS = ["not_issued", "marked", "other", " no_stamp "]
EXCLUSION_REASONS = ["temporary_transfer", "exempt_absent", "suspended", "absent_approved"]

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the oracle ---------------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def naive_count(data: dict[str, Any]) -> dict[str, Any]:
    """Count the round the slow, obvious way, into the JSON shape of the contract."""
    seats = data["seats"]
    candidates = [nfc(name) for name in data["candidates"]]
    excluded = data["base"].get("excluded", 0)
    if isinstance(excluded, dict):
        total_excluded = 0
        for number in excluded.values():
            total_excluded += number
    else:
        total_excluded = excluded
    base = data["base"]["summoned"] - total_excluded

    single_ballots = []
    for ballot in data["ballots"]:
        for _ in range(ballot.get("count", 1)):
            single_ballots.append(ballot)

    votes = dict.fromkeys(candidates, 0)
    reasons: dict[str, int] = {}
    valid = 0
    for ballot in single_ballots:
        reason = None
        if "invalid" in ballot:
            reason = nfc(ballot["invalid"])
        elif "keep" in ballot:
            kept = [nfc(name) for name in ballot["keep"]]
            if [name for name in kept if name not in candidates]:
                reason = "name_added"
            elif len(kept) > seats:
                reason = "more_names_than_seats"
            elif len(kept) == 0:
                reason = "no_name_kept"
        else:
            marks = {nfc(name): mark for name, mark in ballot["marks"].items()}
            agreed = [name for name, mark in marks.items() if mark == "agree"]
            if [name for name in marks if name not in candidates]:
                reason = "name_added"
            elif len(candidates) == 1 and marks.get(candidates[0], "none") == "none":
                reason = "box_error"
            elif len(agreed) > seats:
                reason = "more_names_than_seats"
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + 1
            continue
        valid += 1
        if "keep" in ballot:
            for name in ballot["keep"]:
                votes[nfc(name)] += 1
        else:
            for name, mark in ballot["marks"].items():
                if mark == "agree":
                    votes[nfc(name)] += 1

    passing = [name for name in candidates if votes[name] * 2 > base]
    passing.sort(key=lambda name: votes[name], reverse=True)  # stable: equal votes keep ballot order
    tie = None
    if len(passing) <= seats:
        elected = passing
    else:
        cutoff = votes[passing[seats - 1]]
        over = [name for name in passing if votes[name] > cutoff]
        at = [name for name in passing if votes[name] == cutoff]
        if len(over) + len(at) <= seats:
            elected = over + at
        else:
            elected = over
            tie = {"candidates": [name for name in candidates if name in at], "seats": seats - len(over)}
    seats_left = seats - len(elected)
    if tie is not None:
        next_round = {"seats": tie["seats"], "candidates": tie["candidates"]}
    elif seats_left:
        next_round = {"seats": seats_left, "candidates": [name for name in candidates if name not in elected]}
    else:
        next_round = None

    def percent(number: int) -> str:
        with localcontext() as context:
            context.prec = 80
            value = Decimal(number) * 100 / Decimal(base)
            return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    return {
        "base": base,
        "votes_needed": next(v for v in range(base + 2) if 2 * v > base),
        "ballots": {
            "collected": len(single_ballots),
            "valid": valid,
            "invalid": len(single_ballots) - valid,
            "invalid_by_reason": {code: reasons[code] for code in sorted(reasons)},
        },
        "candidates": [
            {
                "name": name,
                "votes": votes[name],
                "percent": percent(votes[name]),
                "above_half": votes[name] * 2 > base,
                "elected": name in elected,
            }
            for name in candidates
        ],
        "elected": elected,
        "seats_left": seats_left,
        "tie": tie,
        "next_round": next_round,
    }


# --- random elections ---------------------------------------------------------------------------


@st.composite
def spelled(draw: st.DrawFn, name: str) -> str:
    """The name as a clerk might type it: NFC, decomposed, or with stray spaces."""
    return draw(st.sampled_from([name, name, unicodedata.normalize("NFD", name), f" {name} "]))


@st.composite
def ballots(draw: st.DrawFn, form: str, candidates: list[str], seats: int) -> dict[str, Any]:
    """One entered ballot of any kind: mostly valid votes, some ruled invalid, some faulty."""
    kind = draw(st.sampled_from(["vote", "vote", "vote", "vote", "ruled", "faulty"]))
    ballot: dict[str, Any]
    if kind == "ruled":
        ballot = {"invalid": draw(st.sampled_from(COMMITTEE_REASONS))}
    elif form == "strike":
        if kind == "vote":
            kept = draw(st.lists(st.sampled_from(candidates), unique=True, min_size=1, max_size=seats))
        else:
            # Faulty: nothing kept, more names than seats (often just one more), or a name written in.
            fault = draw(st.sampled_from(["nothing", "too_many", "written_in"]))
            kept = []
            if fault == "too_many" and len(candidates) > seats:
                kept = draw(st.lists(st.sampled_from(candidates), unique=True, min_size=seats + 1))
            elif fault != "nothing":
                kept = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=seats + 1))
                kept.insert(draw(st.integers(0, len(kept))), draw(st.sampled_from(OUTSIDERS)))
        ballot = {"keep": [draw(spelled(name)) for name in kept]}
    else:
        marked = draw(st.lists(st.sampled_from(candidates), unique=True, min_size=1 if kind == "vote" else 0))
        if kind == "faulty" and draw(st.booleans()):
            marked.insert(draw(st.integers(0, len(marked))), draw(st.sampled_from(OUTSIDERS)))
        choices = ["agree", "agree", "disagree", "none"] if kind == "vote" else ["agree", "disagree", "none"]
        ballot = {"marks": {draw(spelled(name)): draw(st.sampled_from(choices)) for name in marked}}
    if draw(st.booleans()):
        ballot["count"] = draw(st.integers(1, 6))
    return ballot


@st.composite
def elections(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(1, 12))
    candidates = draw(st.permutations(NAMES))[:size]
    seats = draw(st.integers(1, 6))
    form = draw(st.sampled_from(["strike", "agree"]))
    if draw(st.booleans()):
        entered = draw(st.lists(ballots(form, candidates, seats), max_size=20))
    else:
        # Copies of a few ballots: candidates kept together get equal votes, so ties are common.
        templates = draw(st.lists(ballots(form, candidates, seats), min_size=1, max_size=3))
        entered = draw(st.lists(st.sampled_from(templates), min_size=1, max_size=12))
    collected = sum(ballot.get("count", 1) for ballot in entered)
    # A base near the number of ballots, so that "above half", ties and shortfalls all happen.
    summoned = draw(st.integers(1, 4) | st.integers(1, collected + 1) | st.integers(1, 2 * collected + 3))
    total_excluded = draw(st.integers(0, summoned - 1))
    excluded: int | dict[str, int] = total_excluded
    if draw(st.booleans()):
        parts = draw(st.lists(st.sampled_from(EXCLUSION_REASONS), unique=True, min_size=1))
        cuts = sorted(draw(st.lists(st.integers(0, total_excluded), min_size=len(parts) - 1, max_size=len(parts) - 1)))
        bounds = [0, *cuts, total_excluded]
        excluded = {reason: bounds[i + 1] - bounds[i] for i, reason in enumerate(parts)}
    return {
        "seats": seats,
        "form": form,
        "candidates": [draw(spelled(name)) for name in candidates],
        "base": {"summoned": summoned, "excluded": excluded},
        "ballots": entered,
    }


def engine(data: dict[str, Any]) -> dict[str, Any]:
    return count_round(parse_round(data)).as_dict()


# --- properties ---------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(elections())
def test_engine_agrees_with_naive_counter(data: dict[str, Any]) -> None:
    result = engine(data)
    if result["tie"]:
        event("tie")
    if result["elected"]:
        event("someone elected")
    if result["seats_left"]:
        event("seats left")
    assert result == naive_count(data)


@PROPERTY_SETTINGS
@given(elections())
def test_invariants(data: dict[str, Any]) -> None:
    result = engine(data)
    totals = result["ballots"]
    seats = data["seats"]
    votes = {c["name"]: c["votes"] for c in result["candidates"]}
    base = result["base"]

    assert totals["valid"] + totals["invalid"] == totals["collected"]
    assert sum(totals["invalid_by_reason"].values()) == totals["invalid"]
    assert all(n > 0 for n in totals["invalid_by_reason"].values())
    assert list(totals["invalid_by_reason"]) == sorted(totals["invalid_by_reason"])
    assert sum(votes.values()) <= totals["valid"] * seats
    assert len(result["elected"]) <= seats
    assert result["seats_left"] == seats - len(result["elected"])
    assert all(2 * votes[name] > base for name in result["elected"])
    assert [votes[n] for n in result["elected"]] == sorted((votes[n] for n in result["elected"]), reverse=True)
    assert result["votes_needed"] == base // 2 + 1
    for candidate in result["candidates"]:
        assert candidate["elected"] == (candidate["name"] in result["elected"])
        assert candidate["above_half"] == (2 * candidate["votes"] > base)
    if result["next_round"] is not None:
        assert result["seats_left"] > 0
        assert not set(result["next_round"]["candidates"]) & set(result["elected"])
        assert result["next_round"]["seats"] == result["seats_left"]
    else:
        assert result["seats_left"] == 0
    tie = result["tie"]
    if tie is not None:
        tied_votes = {votes[name] for name in tie["candidates"]}
        assert len(tied_votes) == 1
        (tied,) = tied_votes
        assert 2 * tied > base
        assert len(tie["candidates"]) > tie["seats"] == result["seats_left"]
        assert result["next_round"] == {"seats": tie["seats"], "candidates": tie["candidates"]}
        assert all(votes[name] > tied for name in result["elected"])
        others = [name for name in votes if name not in tie["candidates"] and name not in result["elected"]]
        assert all(votes[name] < tied for name in others)


@PROPERTY_SETTINGS
@given(elections(), st.randoms(use_true_random=False))
def test_deterministic_and_order_free(data: dict[str, Any], rng: random.Random) -> None:
    first = engine(data)
    assert engine(data) == first
    # Ballots in another order.
    shuffled = dict(data, ballots=rng.sample(data["ballots"], len(data["ballots"])))
    assert engine(shuffled) == first
    # "count": n is the same as n identical ballots, in any order.
    singles = [{k: v for k, v in b.items() if k != "count"} for b in data["ballots"] for _ in range(b.get("count", 1))]
    rng.shuffle(singles)
    assert engine(dict(data, ballots=singles)) == first


@PROPERTY_SETTINGS
@given(elections(), st.data())
def test_delegates_match_the_round_when_nothing_ties(data: dict[str, Any], draw: st.DataObject) -> None:
    round_ = parse_round(data)
    official = draw.draw(st.integers(1, round_.seats))
    result = count_delegates(round_, official, round_.seats - official)
    plain = count_round(round_)
    assert len(result.officials) <= official
    assert len(result.alternates) <= round_.seats - official
    assert not set(result.officials) & set(result.alternates)
    votes = {c.name: c.votes for c in result.candidates}
    if result.officials and result.alternates:
        assert min(votes[n] for n in result.officials) >= max(votes[n] for n in result.alternates)
    if result.official_tie is not None:
        assert result.alternates == ()
    if result.official_tie is None and result.alternate_tie is None:
        assert result.officials + result.alternates == plain.elected
