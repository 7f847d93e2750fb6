"""Counting 1,000 ballots x 60 candidates through the page flow, against the engine alone.

Builds a throw-away instance (SQLite by default; PostgreSQL with --database-url), sets a congress up
through the services (1,020 summoned, 20 excluded, an executive committee of 47 seats from 60 names),
then drives the counting room's pages with Django's test client as the stations would: station 1 types
every ballot (one POST per ballot, htmx fragment answer), then station 2 types every ballot again (each
of its POSTs also reconciles that ballot against station 1), then the head opens the reconciliation
page and confirms the count, which runs the engine and seals the round.

The reference in the same run is the engine alone (``count_round(parse_round(...))``) on the same
round, best of 5; the ratio says what the page flow costs around the count itself. The stored result
is checked against the engine's own count of the generated ballots, so a fast wrong answer fails.

    python bench/bench_ballots_pages.py [--ballots 1000] [--candidates 60] [--seats 47]
                                        [--database-url postgres://root@127.0.0.1:5432/vp_bench]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLES = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Thu", "Đức", "Thị Thu"]
GIVENS = ["An", "Bình", "Cường", "Dung", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam",
          "Ngọc", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]  # fmt: skip


def unique_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(FAMILIES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}")
    return sorted(names)


def typed_ballots(rng: random.Random, size: int, seats: int, ballots: int) -> list[str]:
    """What the stations type: the numbers struck out; a few invalid ballots of every kind."""
    weights = [rng.random() for _ in range(size)]
    lines: list[str] = []
    for _ in range(ballots):
        roll = rng.random()
        if roll < 0.01:
            lines.append("k1")  # ruled not issued by the committee
        elif roll < 0.02:
            lines.append(" ".join(str(n) for n in range(1, size + 1)))  # every name struck
        elif roll < 0.03:
            kept = set(rng.sample(range(1, size + 1), seats + 1))  # one name too many kept
            lines.append(" ".join(str(n) for n in range(1, size + 1) if n not in kept) or "0")
        else:
            keep = rng.randint(seats - 10, seats)
            keys = sorted(((rng.random() ** (1 / w), n) for n, w in zip(range(1, size + 1), weights, strict=True)),
                          reverse=True)  # fmt: skip
            kept = {n for _key, n in keys[:keep]}
            lines.append(" ".join(str(n) for n in range(1, size + 1) if n not in kept) or "0")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=60)
    parser.add_argument("--seats", type=int, default=47)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    os.environ["VANPHONG_DATA_DIR"] = tempfile.mkdtemp(prefix="vp-bench-ballots-")
    os.environ["VANPHONG_ALLOWED_HOSTS"] = "testserver"
    if args.database_url:
        os.environ["VANPHONG_DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "vanphong.settings_test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    if connection.vendor == "postgresql":
        from django.db import connections

        name = connection.settings_dict["NAME"]
        connections.close_all()
        import psycopg

        with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
            pg.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)

    from vanphong.core.models import OrgKind
    from vanphong.elections import services
    from vanphong.elections.models import Round, Summoned
    from vanphong.rules.ballots import count_round, parse_round
    from vanphong.testing import SYSTEM, make_account, make_org, make_person

    rng = random.Random(190)
    body = make_org("Tỉnh ủy Sơn Hà", "TU", kind=OrgKind.PARTY_COMMITTEE)
    head = make_account(make_person("Trần Văn Bình", body), "truongban")
    operators = [make_account(make_person(name, body), f"tram{i}") for i, name in
                 enumerate(["Hoàng Thị Lan", "Bùi Văn Nam"], start=1)]  # fmt: skip
    congress = services.create_congress(SYSTEM, organization=body, name="Đại hội đại biểu Đảng bộ tỉnh Sơn Hà",
                                        term="2025–2030", kind="delegates")  # fmt: skip
    services.add_committee_member(SYSTEM, congress, person=head.person, role="head")  # type: ignore[arg-type]
    for station, operator in enumerate(operators, start=1):
        services.add_committee_member(SYSTEM, congress, person=operator.person, role="operator", station=station)  # type: ignore[arg-type]
    summoned = args.ballots + 20
    services.add_summoned(SYSTEM, congress, "\n".join(f"Đại biểu số {n:04d}" for n in range(1, summoned + 1)))
    for person in Summoned.objects.filter(congress=congress).order_by("id")[:20]:
        services.set_exclusion(SYSTEM, person, code="delegate_absent_no_alternate", reason="Vắng cả đại hội")
    election = services.create_election(SYSTEM, congress, kind="executive_committee", seats=args.seats)
    services.add_candidates(SYSTEM, election, "\n".join(unique_names(rng, args.candidates)))
    round_ = services.open_first_round(SYSTEM, election, station_count=2)
    lines = typed_ballots(rng, args.candidates, args.seats, args.ballots)

    htmx = {"HX-Request": "true"}
    per_station: list[float] = []
    for station, operator in enumerate(operators, start=1):
        client = Client()
        client.force_login(operator)
        url = reverse("elections:station", args=[round_.pk, station])
        start = time.perf_counter()
        for line in lines:
            response = client.post(url, {"typed": line}, headers=htmx)
            if response.status_code != 200 or b'role="alert"' in response.content:
                raise SystemExit(f"station {station} refused {line!r}: {response.content[:300]!r}")
        per_station.append(time.perf_counter() - start)
    chief = Client()
    chief.force_login(head)
    start = time.perf_counter()
    reconcile = chief.get(reverse("elections:reconcile", args=[round_.pk]))
    confirm = chief.post(reverse("elections:round_confirm", args=[round_.pk]), {"ballots_issued": args.ballots})
    confirm_time = time.perf_counter() - start
    if reconcile.status_code != 200 or confirm.status_code != 302:
        raise SystemExit(f"reconcile {reconcile.status_code}, confirm {confirm.status_code}: {confirm.content[:300]!r}")
    total = sum(per_station) + confirm_time

    sealed = Round.objects.get(pk=round_.pk)
    data = sealed.engine_input
    assert data is not None and sealed.result is not None
    engine_runs: list[float] = []
    expected: dict[str, Any] = {}
    for _ in range(5):
        start = time.perf_counter()
        expected = count_round(parse_round(data)).as_dict()
        engine_runs.append(time.perf_counter() - start)
    engine = min(engine_runs)
    # The stored result is the engine's count of exactly the ballots generated above.
    assert sealed.result == expected, "the page flow's result differs from the engine's"
    assert expected["ballots"]["collected"] == args.ballots, expected["ballots"]

    print(f"{args.ballots} ballots x {args.candidates} candidates, {args.seats} seats, "
          f"2 stations, database {connection.vendor}")  # fmt: skip
    for station, seconds in enumerate(per_station, start=1):
        note = " (each POST also reconciles the ballot)" if station == 2 else ""
        print(f"  station {station}: {seconds:8.2f} s  {args.ballots / seconds:7.1f} ballots/s  "
              f"{1000 * seconds / args.ballots:6.2f} ms/ballot{note}")  # fmt: skip
    print(f"  reconciliation page + confirm (count, seal): {confirm_time:6.3f} s")
    print(f"  page flow total: {total:8.2f} s")
    print(f"  engine alone (best of 5): {engine * 1000:8.2f} ms")
    print(f"  ratio page flow / engine: {total / engine:8.0f}x; confirm / engine: {confirm_time / engine:5.1f}x")
    print(f"  result: {len(expected['elected'])} elected, base {expected['base']}, "
          f"invalid {expected['ballots']['invalid_by_reason']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
