"""How fast are the busiest task and meeting pages with ten years of a large provincial office?

Usage (a throw-away data directory and database each; bench/task_corpus.py's ten years are loaded on
the first run and reused after):

    VANPHONG_DATA_DIR=/tmp/bench-tasks python bench/bench_tasks_meetings.py
    VANPHONG_DATA_DIR=/tmp/bench-tasks-pg python bench/bench_tasks_meetings.py \
        --database-url postgres://root@127.0.0.1:5432/vp_rep_bench
    options: --repeat 20 (requests per page after one warm-up)  --explain (print the plans of the
             statistics queries)  --years/--tasks-per-year/--meetings-per-year (the corpus, first run)

Measured through the Django test client (middleware, session, templates included), p50 and p95 over
``--repeat`` requests, the pages taken in turn round by round so that all of them meet the same load
on a shared machine, with the number of SQL queries each page ran:

* ``bench.leader`` (Bí thư, sees ~all tasks): the tasks home (baskets and counts), the task list (all),
  the list filtered to overdue, a page deep in the list, the statistics page for this year and for the
  ten years (by unit and by month), the XLSX and PDF exports for ten years, the home page (every
  module's panels), the meetings list and a room's week;
* ``bench.head`` (Giám đốc Sở Nội vụ, an outside unit: sees its own tasks): the tasks home, the list,
  the overdue filter, the statistics for this year, the home page.

References measured in the same rounds, so ratios can be quoted: a bare ``SELECT count(*)`` on the
task table (the floor of any list: the database's own time for one scan of the index) and the profile
page (a page with no task or meeting on it: what middleware, session and the base template cost).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import doc_corpus  # noqa: E402 (after the path is set)
import task_corpus  # noqa: E402

SLOW_MS = 500


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def pages(today: datetime.date) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(persona, label, url, query) of the pages measured."""
    from django.urls import reverse

    from vanphong.meetings.models import Room

    first = f"01/01/{today.year - 9}"
    last = f"31/12/{today.year}"
    statistics = reverse("directives:statistics")
    monday = today - datetime.timedelta(days=today.weekday())
    rows: list[tuple[str, str, str, dict[str, Any]]] = [
        ("leader", "reference: profile page", reverse("core:profile"), {}),
        ("leader", "tasks home (baskets)", reverse("directives:home"), {}),
        ("leader", "task list, all", reverse("directives:list"), {}),
        ("leader", "task list, overdue", reverse("directives:list"), {"status": "overdue"}),
        ("leader", "task list, page 300", reverse("directives:list"), {"page": 300}),
        ("leader", "statistics, this year", statistics, {"year": today.year}),
        ("leader", "statistics, ten years", statistics, {"from": first, "to": last}),
        ("leader", "statistics, ten years by month", statistics, {"from": first, "to": last, "group": "month"}),
        ("leader", "export XLSX, ten years", reverse("directives:statistics_export", args=["xlsx"]),
         {"from": first, "to": last}),
        ("leader", "export PDF, ten years", reverse("directives:statistics_export", args=["pdf"]),
         {"from": first, "to": last}),
        ("leader", "home page (all panels)", reverse("core:home"), {}),
        ("leader", "meetings list (upcoming)", reverse("meetings:list"), {}),
        ("leader", "meetings list (past)", reverse("meetings:list"), {"when": "past"}),
        ("head", "reference: profile page", reverse("core:profile"), {}),
        ("head", "tasks home (baskets)", reverse("directives:home"), {}),
        ("head", "task list, all", reverse("directives:list"), {}),
        ("head", "task list, overdue", reverse("directives:list"), {"status": "overdue"}),
        ("head", "statistics, this year", statistics, {"year": today.year}),
        ("head", "home page (all panels)", reverse("core:home"), {}),
    ]  # fmt: skip
    room = Room.objects.order_by("id").first()
    if room is not None:
        rows.insert(-6, ("leader", "room week", reverse("meetings:room", args=[room.pk]), {"week": monday.isoformat()}))
    return rows


def bench_pages(repeat: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from vanphong.core.models import Account

    today = timezone.localdate()
    clients = {}
    for persona in ("leader", "head"):
        client = Client()
        client.force_login(Account.objects.get(username=f"bench.{persona}"))
        client.cookies["vanphong_language"] = "vi"
        clients[persona] = client
    measured = pages(today)
    times: dict[int, list[float]] = {i: [] for i in range(len(measured))}
    queries: dict[int, int] = {}
    sizes: dict[int, int] = {}
    bare: list[float] = []
    for round_ in range(repeat + 1):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM directives_task")
            cursor.fetchone()
        if round_:
            bare.append(time.perf_counter() - began)
        for index, (persona, label, url, query) in enumerate(measured):
            client = clients[persona]
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url, query)
                body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
                elapsed = time.perf_counter() - began
            if response.status_code != 200:
                raise SystemExit(f"{persona} {label}: HTTP {response.status_code} {body[:300]!r}")
            if round_:  # the first round warms up
                times[index].append(elapsed)
            queries[index] = len(captured)
            sizes[index] = len(body)
    results = []
    for index, (persona, label, _url, _query) in enumerate(measured):
        results.append(
            {
                "persona": persona,
                "page": label,
                "p50": percentile(times[index], 0.5),
                "p95": percentile(times[index], 0.95),
                "queries": queries[index],
                "kb": sizes[index] / 1024,
            }
        )
    results.append(
        {"persona": "-", "page": "reference: SELECT count(*) FROM directives_task", "p50": percentile(bare, 0.5),
         "p95": percentile(bare, 0.95), "queries": 1, "kb": 0.0}
    )  # fmt: skip
    return results


def print_table(results: list[dict[str, Any]]) -> None:
    reference = {r["persona"]: r["p50"] for r in results if r["page"] == "reference: profile page"}
    print(f"  {'persona':<8}{'page':<48}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'KB':>8}{'× profile':>11}")
    for r in results:
        ratio = r["p50"] / reference[r["persona"]] if r["persona"] in reference else float("nan")
        flag = "  SLOW" if r["p95"] > SLOW_MS else ""
        print(
            f"  {r['persona']:<8}{r['page']:<48}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['queries']:>9}{r['kb']:>8.0f}"
            f"{ratio:>10.1f}×{flag}"
        )


def explain() -> None:
    """The plans of the statistics queries for ten years, as the leader sees them."""
    from django.db import connection
    from django.utils import timezone

    from vanphong.core.models import Account
    from vanphong.directives import reports

    leader = Account.objects.get(username="bench.leader")
    today = timezone.localdate()
    query = reports.Query(datetime.date(today.year - 9, 1, 1), datetime.date(today.year, 12, 31))
    grouped, _months = reports.aggregate(leader, query, today)
    sql, params = grouped.query.sql_with_params()
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        for row in cursor.fetchall():
            print("   ", " | ".join(str(c) for c in row))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: SQLite in VANPHONG_DATA_DIR")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--tasks-per-year", type=int, default=3_000)
    parser.add_argument("--meetings-per-year", type=int, default=700)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    doc_corpus.setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from vanphong.directives.models import ProgressReport, Task

    call_command("migrate", verbosity=0)
    task_corpus.load(args.years, args.tasks_per_year, args.meetings_per_year, 2026)
    counts = [f"{Task.objects.count()} tasks", f"{ProgressReport.objects.count()} progress reports"]
    if task_corpus.has_meetings():
        from vanphong.meetings.models import Meeting, Participant

        counts += [f"{Meeting.objects.count()} meetings", f"{Participant.objects.count()} participants"]
    print(f"corpus: {', '.join(counts)} on {connection.vendor} ({connection.settings_dict['NAME']})")
    if args.explain:
        print("plan of the statistics query (ten years, by unit, as bench.leader):")
        explain()
    began = time.monotonic()
    results = bench_pages(args.repeat)
    print(f"pages, {args.repeat} requests each after a warm-up ({time.monotonic() - began:.0f} s):")
    print_table(results)
    slow = [r for r in results if r["p95"] > SLOW_MS]
    if slow:
        print(f"over {SLOW_MS} ms at p95: " + "; ".join(f"{r['persona']} {r['page']}" for r in slow))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
