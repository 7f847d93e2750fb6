"""How fast are registration, the busiest documents pages and numbering under 16 concurrent clerks?

Usage (a throw-away data directory and database each; the corpus is loaded on the first run, with
bench/doc_corpus.py's generator, and reused after):

    VANPHONG_DATA_DIR=/tmp/bench-docs python bench/bench_documents.py
    VANPHONG_DATA_DIR=/tmp/bench-docs-pg python bench/bench_documents.py \
        --database-url postgres://root@127.0.0.1:5432/vp_bench
    options: --count 55000 (documents in the corpus: ~ one year of a large provincial office)
             --registrations 2000 --repeat 20 --workers 16 --per-worker 50
             --parts registration,pages,numbering

Measured, each against a reference taken in the same run:

* ``registration``: ``incoming.register_incoming`` (arrival number from the locked series, the
  document, its timeline step, the audit row, the search text) into a register that already holds
  the corpus; p50 and p99 over ``--registrations`` calls, each its own transaction as in production.
  Reference: a bare ``Document.objects.create`` of the same row in its own transaction (removed
  again afterwards); the ratio is service / bare insert.
* ``pages``: through the Django test client (middleware, session, templates included): the clerk's
  register page, the baskets to_present (clerk) and to_handle (specialist), the documents home
  (every basket counted) and the search page with a common and a rare word, as the clerk (sees
  every register) and as the specialist (sees what Phòng Tổng hợp was given, ~1 %); p50 and p95
  over ``--repeat`` requests after one warm-up. Measured twice, request by request in turn (so both
  meet the same load on a shared machine): with ``policy.visible_q`` as it is and with the per-row
  EXISTS filter it replaced (``legacy_visible_q`` below); the ratio shows what the change bought.
* ``numbering``: ``--workers`` processes, each with its own connection, released together by a
  barrier. ``issue``: each takes ``--per-worker`` numbers from one outgoing series with
  ``numbering.take_number`` and writes the number onto its own approved document in the same
  transaction (what ``outgoing.sign`` does between drawing and signing the PDF, which is left out:
  it costs ~100 ms of CPU and would measure pyHanko, not the lock). ``arrival``: each registers
  ``--per-worker`` documents through ``register_incoming``. Throughput is numbers per second of wall
  time; the run fails unless the numbers given are exactly first..first+N-1 (no duplicate, no gap)
  and the database holds the same.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import doc_corpus  # noqa: E402 (after the path is set)

SEED = 2026


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(values: Sequence[float], share: float) -> float:
    return percentile(values, share) * 1000


# --- the filter visible_q replaced (for the before/after ratio) ----------------------------------------------


def legacy_visible_q(account: Any) -> Any:
    """``documents.policy.visible_q`` before the rewrite: correlated EXISTS tested on every document."""
    from django.db.models import Exists, OuterRef, Q

    from vanphong.core import policy as core_policy
    from vanphong.documents import policy
    from vanphong.documents.models import ApprovalStep, Assignment, AssignmentState, Secrecy

    r = policy.reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    registers = policy.registers_kept_by(account) + policy.registers_led_by(account)
    assignments = Assignment.objects.filter(document=OuterRef("pk")).exclude(state=AssignmentState.CANCELLED)
    handling = (
        Q(register_id__in=registers)
        | Q(presented_to_id=r.person_id)
        | Q(directed_by_id=r.person_id)
        | Q(drafter_id=r.person_id)
        | Q(signer_id=r.person_id)
        | Q(Exists(assignments.filter(handler_id=r.person_id)))
        | Q(Exists(ApprovalStep.objects.filter(document=OuterRef("pk"), approver_id=r.person_id)))
    )
    if r.headed_paths:
        handling |= Q(Exists(assignments.filter(core_policy.paths_q(list(r.headed_paths), "unit__"))))
    query = handling & Q(secrecy__lte=r.clearance)
    ancestors = policy.ancestor_paths(r.own_path)
    if ancestors:
        query |= Q(secrecy=Secrecy.NONE) & Q(Exists(assignments.filter(unit__path__in=ancestors)))
    return query


# --- setup ---------------------------------------------------------------------------------------------------


def prepare(count: int) -> doc_corpus.Office:
    """The corpus, completed with what the flow would have written on it: arrival numbers (a yearly
    series per register, the series' counters set to match), the chief's name on what was presented
    to and directed by him, and the specialist handling his unit's documents in progress."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from vanphong.core.models import Account
    from vanphong.documents.models import Assignment, AssignmentState, Document, NumberSeries, Status

    call_command("migrate", verbosity=0)
    doc_corpus.load(count, SEED, 2_000)
    office = doc_corpus.ensure_office()
    chief = Account.objects.get(username="bench.chief")
    specialist = Account.objects.get(username="bench.specialist")
    unnumbered = Document.objects.filter(register=office.incoming, arrival_number__isnull=True)
    if unnumbered.exists():
        if NumberSeries.objects.filter(register=office.incoming).exists():
            raise SystemExit("the incoming register already numbers documents: start from an empty database")
        last: dict[int, int] = {}
        rows = []
        for pk, arrived_at in unnumbered.order_by("id").values_list("pk", "arrived_at"):
            year = timezone.localdate(arrived_at).year
            last[year] = last.get(year, 0) + 1
            rows.append(Document(pk=pk, arrival_year=year, arrival_number=last[year]))
        with transaction.atomic():
            Document.objects.bulk_update(rows, ["arrival_year", "arrival_number"], batch_size=2_000)
            NumberSeries.objects.bulk_create(
                [NumberSeries(register=office.incoming, period=str(y), last_number=n) for y, n in last.items()]
            )
            seen = (Status.PRESENTED, Status.IN_PROGRESS, Status.COMPLETED)
            Document.objects.filter(register=office.incoming, status__in=seen).update(presented_to_id=chief.person_id)
            Document.objects.filter(register=office.incoming, status__in=(Status.IN_PROGRESS, Status.COMPLETED)).update(
                directed_by_id=chief.person_id
            )
    Assignment.objects.filter(unit=office.units[0], document__status=Status.IN_PROGRESS, handler__isnull=True).update(
        handler_id=specialist.person_id, state=AssignmentState.HANDLING
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return office


def arrival_data(office: doc_corpus.Office, index: int) -> Any:
    from django.utils import timezone

    from vanphong.documents.services import incoming

    g = doc_corpus.generate(SEED + 1, index, 1_000_000)
    return incoming.IncomingData(
        register=office.incoming,
        abstract=g.abstract,
        sender=office.senders[g.sender_index] if g.sender_index >= 0 else None,
        sender_name=g.sender_name or "Sở Nội vụ",
        number_symbol=g.number_symbol,
        document_date=timezone.localdate() - datetime.timedelta(days=g.arrived_days),
        document_type=office.types[g.type_key],
        signer_name=g.signer_name,
        signer_position=g.signer_position,
        urgency=g.urgency,
        pages=2,
        copies=1,
    )


# --- registration --------------------------------------------------------------------------------------------


def bench_registration(office: doc_corpus.Office, count: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from vanphong.core.audit import Actor
    from vanphong.documents.models import Document
    from vanphong.documents.services import incoming

    actor = Actor(account=office.clerk, source="web")
    service: list[float] = []
    bare: list[float] = []
    bare_ids: list[int] = []
    for index in range(count):
        data = arrival_data(office, index)
        row = {
            "direction": "in", "register": office.incoming, "status": "registered",
            "document_type": data.document_type, "number_symbol": data.number_symbol,
            "document_date": data.document_date, "abstract": data.abstract, "signer_name": data.signer_name,
            "signer_position": data.signer_position, "urgency": data.urgency, "pages": 2, "copies": 1,
            "sender": data.sender, "sender_name": data.sender_name, "created_by": office.clerk,
        }  # fmt: skip
        began = time.perf_counter()
        incoming.register_incoming(actor, data)
        service.append(time.perf_counter() - began)
        began = time.perf_counter()
        with transaction.atomic():
            bare_ids.append(Document.objects.create(arrived_at=timezone.now(), **row).pk)
        bare.append(time.perf_counter() - began)
    Document.objects.filter(pk__in=bare_ids).delete()
    result = {
        "service_p50": ms(service, 0.5), "service_p99": ms(service, 0.99),
        "bare_p50": ms(bare, 0.5), "bare_p99": ms(bare, 0.99),
    }  # fmt: skip
    print(
        f"registration x{count}: register_incoming p50 {result['service_p50']:.2f} ms, p99 "
        f"{result['service_p99']:.2f} ms | bare ORM insert p50 {result['bare_p50']:.2f} ms, p99 "
        f"{result['bare_p99']:.2f} ms | ratio p50 {result['service_p50'] / result['bare_p50']:.1f}x, "
        f"p99 {result['service_p99'] / result['bare_p99']:.1f}x"
    )
    return result


# --- pages ---------------------------------------------------------------------------------------------------


def page_list(office: doc_corpus.Office) -> list[tuple[str, str, str, dict[str, str]]]:
    """(persona, label, url, query) of the busiest pages each persona opens."""
    from django.urls import reverse

    register = reverse("documents:register", args=[office.incoming.pk])
    search = reverse("documents:search")
    home = reverse("documents:overview")
    return [
        ("clerk", "register page", register, {}),
        ("clerk", "register page, filtered 'chuyen doi so'", register, {"q": "chuyen doi so"}),
        ("clerk", "basket to_present", reverse("documents:basket", args=["to_present"]), {}),
        ("clerk", "documents home (all baskets)", home, {}),
        ("clerk", "search 'triển khai' (common)", search, {"q": "triển khai"}),
        ("clerk", "search 'keo guong' (rare)", search, {"q": "keo guong"}),
        ("specialist", "basket to_handle", reverse("documents:basket", args=["to_handle"]), {}),
        ("specialist", "documents home (all baskets)", home, {}),
        ("specialist", "search 'triển khai' (common)", search, {"q": "triển khai"}),
        ("specialist", "search 'keo guong' (rare)", search, {"q": "keo guong"}),
    ]


def bench_pages(office: doc_corpus.Office, repeat: int) -> dict[str, dict[str, float]]:
    from django.test import Client

    from vanphong.core.models import Account
    from vanphong.documents import policy

    current = policy.visible_q
    clients = {}
    for persona in ("clerk", "specialist"):
        client = Client()
        client.force_login(Account.objects.get(username=f"bench.{persona}"))
        clients[persona] = client
    versions = (("before", legacy_visible_q), ("after", current))
    results: dict[str, dict[str, float]] = {}
    try:
        for persona, label, url, query in page_list(office):
            client = clients[persona]
            times: dict[str, list[float]] = {"before": [], "after": []}
            for round_ in range(repeat + 1):
                # before and after alternate, so that both meet the same load on a shared machine
                for version, rule in versions:
                    policy.visible_q = rule
                    began = time.perf_counter()
                    response = client.get(url, query)
                    if response.status_code != 200:
                        raise SystemExit(f"{persona} {label}: HTTP {response.status_code}")
                    if round_:  # the first round warms up
                        times[version].append(time.perf_counter() - began)
            for version, measured in times.items():
                results[f"{version}|{persona}|{label}"] = {"p50": ms(measured, 0.5), "p95": ms(measured, 0.95)}
    finally:
        policy.visible_q = current
    print(f"pages, {repeat} requests each after a warm-up (ms):")
    print(f"  {'persona':<11}{'page':<42}{'before p50':>11}{'p95':>9}{'after p50':>11}{'p95':>9}{'p50 ratio':>11}")
    for persona, label, _url, _query in page_list(office):
        before = results[f"before|{persona}|{label}"]
        after = results[f"after|{persona}|{label}"]
        print(
            f"  {persona:<11}{label:<42}{before['p50']:>11.1f}{before['p95']:>9.1f}{after['p50']:>11.1f}"
            f"{after['p95']:>9.1f}{before['p50'] / after['p50']:>10.1f}x"
        )
    return results


# --- numbering -----------------------------------------------------------------------------------------------


def _worker(mode: str, job: list[int], barrier: Any, queue: Any, period: str) -> None:
    """One clerk in its own process and connection."""
    from django.db import OperationalError, connections, transaction

    from vanphong.core.audit import Actor
    from vanphong.documents.models import Document
    from vanphong.documents.services import incoming
    from vanphong.documents.services.numbering import take_number

    connections.close_all()  # never share the parent's connection
    office = doc_corpus.ensure_office()
    actor = Actor(account=office.clerk, source="web")
    numbers: list[int] = []
    retries = 0
    barrier.wait()
    for item in job:
        while True:
            try:
                if mode == "issue":
                    with transaction.atomic():
                        series, number = take_number(office.outgoing, period=period)
                        Document.objects.filter(pk=item).update(
                            series=series, number=number, number_symbol=f"{number}-CV/VPTU", status="signed"
                        )
                else:
                    number = incoming.register_incoming(actor, arrival_data(office, item)).arrival_number or 0
                break
            except OperationalError as error:  # SQLite: the busy timeout ran out under 16 writers
                if "locked" not in str(error):
                    raise
                retries += 1
        numbers.append(number)
    queue.put((numbers, retries, time.perf_counter()))
    connections.close_all()


def bench_numbering(office: doc_corpus.Office, mode: str, workers: int, per_worker: int) -> dict[str, float]:
    from django.db import connections
    from django.db.models import Max
    from django.utils import timezone

    from vanphong.documents.models import Document, NumberSeries

    period = f"b{time.time_ns() % 10**12}"  # a fresh series every run: numbers start at 1
    if mode == "issue":
        drafts = Document.objects.bulk_create(
            [
                Document(
                    direction="out",
                    register=office.outgoing,
                    status="approved",
                    created_by=office.clerk,
                    abstract=f"Về việc báo cáo số {n}",
                    document_type=office.types["cong-van"],
                )
                for n in range(workers * per_worker)
            ]
        )
        ids = [d.pk for d in drafts]
        first = 1
    else:
        ids = list(range(10_000_000, 10_000_000 + workers * per_worker))  # generator indexes
        year = str(timezone.localdate().year)
        last = NumberSeries.objects.filter(register=office.incoming, period=year).aggregate(m=Max("last_number"))
        first = (last["m"] or 0) + 1
    jobs = [ids[w::workers] for w in range(workers)]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers + 1)
    queue = context.Queue()
    processes = [context.Process(target=_worker, args=(mode, job, barrier, queue, period)) for job in jobs]
    for process in processes:
        process.start()
    barrier.wait()
    began = time.perf_counter()
    finished = [queue.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    wall = max(end for _numbers, _retries, end in finished) - began
    given = sorted(n for numbers, _retries, _end in finished for n in numbers)
    total = workers * per_worker
    expected = list(range(first, first + total))
    duplicates = len(given) - len(set(given))
    gaps = len(set(expected) - set(given))
    if mode == "issue":
        series = NumberSeries.objects.get(register=office.outgoing, period=period)
        stored = sorted(n or 0 for n in Document.objects.filter(series=series).values_list("number", flat=True))
    else:
        numbered = Document.objects.filter(register=office.incoming, arrival_year=int(year), arrival_number__gte=first)
        stored = sorted(n or 0 for n in numbered.values_list("arrival_number", flat=True))
    retries = sum(r for _numbers, r, _end in finished)
    ok = given == expected and stored == expected
    print(
        f"numbering ({mode}), {workers} workers x {per_worker}: {total / wall:.0f} numbers/s "
        f"({wall:.2f} s wall), duplicates {duplicates}, gaps {gaps}, database agrees {stored == expected}, "
        f"lock retries {retries}"
    )
    if not ok:
        raise SystemExit(f"numbering ({mode}): numbers given are not exactly {first}..{first + total - 1}")
    return {"throughput": total / wall, "duplicates": duplicates, "gaps": gaps}


# --- main ----------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: SQLite in VANPHONG_DATA_DIR")
    parser.add_argument("--count", type=int, default=55_000, help="documents in the corpus (~ one year)")
    parser.add_argument("--registrations", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--per-worker", type=int, default=50)
    parser.add_argument("--parts", default="registration,pages,numbering")
    args = parser.parse_args()
    doc_corpus.setup_django(args.database_url)
    from django.db import connection

    from vanphong.documents.models import Document

    office = prepare(args.count)
    parts = set(args.parts.split(","))
    print(f"corpus: {Document.objects.count()} documents on {connection.vendor} ({connection.settings_dict['NAME']})")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("registration", lambda: bench_registration(office, args.registrations)),
        ("pages", lambda: bench_pages(office, args.repeat)),
        ("numbering", lambda: bench_numbering(office, "issue", args.workers, args.per_worker)),
        ("numbering", lambda: bench_numbering(office, "arrival", args.workers, args.per_worker)),
    ]
    for name, run in steps:
        if name in parts:
            began = time.monotonic()
            run()
            print(f"  ({name} took {time.monotonic() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
