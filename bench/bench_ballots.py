"""Time the ballot-counting engine on 1,000 ballots x 60 candidates (stdlib only).

    python bench/bench_ballots.py

Prints the best of 5 runs for the engine (from the JSON shape, as the CLI counts, and on an already
parsed round) and for a naive reference counter (one ballot at a time, plain loops), with the ratio.
The ballots are random but seeded, so every run counts the same election.
"""

from __future__ import annotations

import random
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from vanphong.rules.ballots import count_round, parse_round

BALLOTS = 1000
CANDIDATES = 60
SEATS = 47  # a surplus of 13, under the 30 % ceiling of 190 Điều 14
RUNS = 5


def make_election(seed: int = 190) -> dict[str, Any]:
    rng = random.Random(seed)
    names = [f"Ứng viên {number:02d}" for number in range(1, CANDIDATES + 1)]
    weights = [rng.random() for _ in names]
    ballots: list[dict[str, Any]] = []
    for _ in range(BALLOTS):
        roll = rng.random()
        if roll < 0.01:
            ballots.append({"invalid": "not_issued"})
        elif roll < 0.02:
            ballots.append({"keep": []})
        elif roll < 0.03:
            ballots.append({"keep": rng.sample(names, SEATS + 1)})
        else:
            size = rng.randint(SEATS - 10, SEATS)
            # Voters favour some names: sample by weight, without repeats.
            keys = [(rng.random() ** (1 / weight), name) for name, weight in zip(names, weights, strict=True)]
            ballots.append({"keep": [name for _, name in sorted(keys, reverse=True)[:size]]})
    return {
        "seats": SEATS,
        "form": "strike",
        "candidates": names,
        "base": {"summoned": BALLOTS + 20, "excluded": {"temporary_transfer": 12, "absent_approved": 8}},
        "ballots": ballots,
    }


def naive_count(data: dict[str, Any]) -> tuple[list[str], dict[str, int]]:
    """The reference: each ballot checked and counted on its own, names looked up in a list."""
    nfc = lambda text: unicodedata.normalize("NFC", text).strip()  # noqa: E731
    candidates = [nfc(name) for name in data["candidates"]]
    excluded = data["base"]["excluded"]
    base = data["base"]["summoned"] - (sum(excluded.values()) if isinstance(excluded, dict) else excluded)
    votes = dict.fromkeys(candidates, 0)
    for ballot in data["ballots"]:
        for _ in range(ballot.get("count", 1)):
            if "keep" not in ballot:
                continue
            kept = [nfc(name) for name in ballot["keep"]]
            if any(name not in candidates for name in kept) or not kept or len(kept) > data["seats"]:
                continue
            for name in kept:
                votes[name] += 1
    passing = sorted((name for name in candidates if 2 * votes[name] > base), key=lambda n: -votes[n])
    return passing[: data["seats"]], votes


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    data = make_election()
    parsed = parse_round(data)
    result = count_round(parsed)
    _, votes = naive_count(data)
    if {c.name: c.votes for c in result.candidates} != votes:
        print("the engine and the naive counter disagree on the votes", file=sys.stderr)
        return 1

    from_json = best_of(RUNS, lambda: count_round(parse_round(data)))
    from_round = best_of(RUNS, lambda: count_round(parsed))
    naive = best_of(RUNS, lambda: naive_count(data))
    print(f"{BALLOTS:,} ballots x {CANDIDATES} candidates, {SEATS} seats, best of {RUNS} runs")
    print(f"  engine, from JSON (parse_round + count_round): {from_json * 1000:8.2f} ms")
    print(f"  engine, count_round on a parsed round:        {from_round * 1000:8.2f} ms")
    print(f"  naive reference counter:                      {naive * 1000:8.2f} ms")
    print(f"  ratio engine from JSON / naive:               {from_json / naive:8.2f}")
    print(f"  elected {len(result.elected)} of {SEATS}; tie: {'yes' if result.tie else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
