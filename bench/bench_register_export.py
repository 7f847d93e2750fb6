"""How long does printing a year of a large office's incoming register take, and how much memory?

    python bench/bench_register_export.py [--rows 55000] [--database-url postgres://root@127.0.0.1:5432/vp_bench]
        [--weasyprint 1000,5000]

The data: a throw-away database (SQLite in ``--data-dir``, or the PostgreSQL database named, created
if missing) holding one year (2025) of a provincial Party office's incoming register: ``--rows``
documents (the issue's ~55,000 a year) with arrival numbers 1…N in order, arrival times spread over
the year, realistic senders, symbols and abstracts (``bench/doc_corpus.generate``), about 2 KB of
text each in the search index, and a lead unit and specialist on one document in ten. Loaded with
bulk_create, once; a second run reuses it.

Measured, each in a child process of its own so that its peak memory (VmHWM) is its own:

* ``rows``: ``exports.register_rows`` read to the end (the query and the batched look-ups alone), the
  reference the renderings are compared with;
* ``xlsx``: the whole year written by ``exports.write_xlsx`` (openpyxl, write-only);
* ``pdf``: the whole year drawn by ``exports.write_pdf`` (reportlab canvas);
* ``weasyprint:N``: the print page (``documents/print/register.html``) of the first N rows rendered
  by WeasyPrint, the engine of ``documents/rendering.py``, beside ``pdf:N`` (the same N rows drawn by
  ``write_pdf``), for the choice between the two;
* ``filter``: the register page's words filter, the LIKE over ``DocumentText.folded`` it used before
  against the full-text index it uses now: time per query and the query plan.

Figures, 6-7 December 2026, 2 cores shared with other busy processes, 55,000 rows (one year), time and
peak resident memory of the measuring process (``--rows 55000``, then ``--only`` for the re-runs):

    SQLite       rows 1.5 s 74 MB | xlsx 19.0 s 85 MB (3.8 MB) | pdf 35.6 s 169 MB (3,342 pages, 12.4 MB)
    PostgreSQL   rows 4.2 s 82 MB | xlsx 23.6 s 92 MB (3.8 MB) | pdf 28.4 s 175 MB (3,342 pages, 12.4 MB)
    same 1,000 rows: write_pdf 0.9 s 85 MB; WeasyPrint 26.7 s 355 MB (71 pages), i.e. 29x the time;
    3,000 rows in WeasyPrint: 109 s and 739 MB, growing with the rows (a year would be ~30 min, GBs).

The XLSX and the rows keep memory flat (write-only workbook, batched reads); the PDF canvas holds its
pages until it is saved (~30 KB a page). The words filter (best of 3, count + first page of 50, as
the clerk who sees the whole register; each document with ~2 KB of text):

    query                    matches  SQLite LIKE→index    PostgreSQL LIKE→index
    nghi quyet                41,016   1,207 → 557 ms       1,783 → 517 ms
    chuyen doi so             32,217     734 → 177 ms       2,059 → 499 ms
    voọc chà vá                  300     782 →  56 ms       1,551 → 135 ms
    sap xep to chuc bo may     5,832     678 → 111 ms       1,857 → 164 ms
    57-NQ/TW                   2,985     650 →  98 ms       1,582 → 124 ms

SQLite's plan changes from walking the register with a LIKE per document to ``SCAN documents_search
VIRTUAL TABLE INDEX 0:M3`` (the FTS5 index); PostgreSQL reads the GIN index (Bitmap Index Scan on
documents_documenttext_search) for selective words and walks the register in order for the first page
when most documents match. What remains for common words is counting tens of thousands of matches.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import doc_corpus  # noqa: E402 (after the path is set)

YEAR = 2025
SEED = 2026
FILTER_QUERIES = ["nghi quyet", "chuyen doi so", "voọc chà vá", "sap xep to chuc bo may", "57-NQ/TW", "tinh gian"]


def setup(args: argparse.Namespace) -> None:
    os.environ["VANPHONG_DATA_DIR"] = args.data_dir
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    doc_corpus.setup_django(args.database_url)


def load(rows: int) -> None:
    """One year of the incoming register, ``rows`` documents, arrival numbers 1…rows (idempotent)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from vanphong.documents.models import Assignment, Document, DocumentText
    from vanphong.documents.search import compose_text

    office = doc_corpus.ensure_office()
    have = Document.objects.filter(register=office.incoming, arrival_year=YEAR).count()
    if have >= rows:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    from vanphong.core.models import Person

    chief = Person.objects.get(account__username="bench.chief")
    handler = Person.objects.get(account__username="bench.specialist")
    tz = timezone.get_current_timezone()
    start = datetime.datetime(YEAR, 1, 2, 7, 30, tzinfo=tz)
    seconds = (datetime.datetime(YEAR, 12, 31, 17, 0, tzinfo=tz) - start).total_seconds()
    began = time.monotonic()
    for first in range(have, rows, 2_000):
        numbers = range(first, min(rows, first + 2_000))
        generated = [doc_corpus.generate(SEED, i, rows) for i in numbers]
        with transaction.atomic():
            documents = []
            for i, g in zip(numbers, generated, strict=True):
                arrived = start + datetime.timedelta(seconds=seconds * i / rows)
                sender = office.senders[g.sender_index] if g.sender_index >= 0 else None
                documents.append(
                    Document(
                        direction="in",
                        register=office.incoming,
                        status="completed",
                        document_type=office.types[g.type_key],
                        number_symbol=g.number_symbol,
                        document_date=arrived.date() - datetime.timedelta(days=g.arrived_days),
                        abstract=g.abstract,
                        signer_name=g.signer_name,
                        urgency=g.urgency,
                        secrecy=g.secrecy,
                        arrival_year=YEAR,
                        arrival_number=i + 1,
                        arrived_at=arrived,
                        sender=sender,
                        sender_name=g.sender_name or (sender.full_name if sender else ""),
                        presented_to=chief,
                        presented_at=arrived + datetime.timedelta(hours=3),
                        created_by=office.clerk,
                    )
                )
            documents = Document.objects.bulk_create(documents)
            Assignment.objects.bulk_create(
                [
                    Assignment(document=d, unit=office.units[0], role="lead", handler=handler, state="done")
                    for d, g in zip(documents, generated, strict=True)
                    if g.assigned_unit >= 0
                ]
            )
            texts = []
            for d, g in zip(documents, generated, strict=True):
                pieces = [g.number_symbol, office.types[g.type_key].name, g.abstract, d.sender_name, g.signer_name,
                          g.body]  # fmt: skip
                exact, folded, symbols = compose_text(pieces)
                texts.append(DocumentText(document=d, exact=exact, folded=folded, symbols=symbols))
            DocumentText.objects.bulk_create(texts)
        print(f"load: {first + len(numbers)}/{rows} ({time.monotonic() - began:.0f} s)", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- one measurement, in its own process -----------------------------------------------------------------


def measure(what: str) -> dict[str, Any]:
    from vanphong.core.models import Account
    from vanphong.documents import exports
    from vanphong.documents.models import Direction, Register

    clerk = Account.objects.get(username="bench.clerk")
    register = Register.objects.get(organization__abbreviation="VPTU", direction=Direction.INCOMING)
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    sheet = exports.sheet_for(register, start, end, clerk)
    rows = exports.register_rows(clerk, register, start, end)
    out = Path(os.environ["VANPHONG_DATA_DIR"]) / f"register.{what.split(':')[0]}"
    began = time.perf_counter()
    count, size = 0, 0
    if what == "rows":
        count = sum(1 for _ in rows)
    elif what.split(":")[0] in ("xlsx", "pdf"):
        import itertools

        if ":" in what:  # the first N rows only, for a comparison at WeasyPrint's size
            rows = itertools.islice(rows, int(what.split(":")[1]))
        with out.open("wb") as handle:
            count = (exports.write_xlsx if what.startswith("xlsx") else exports.write_pdf)(sheet, rows, handle)
        size = out.stat().st_size
    elif what.startswith("weasyprint:"):
        import itertools

        import weasyprint  # type: ignore[import-untyped]
        from django.template.loader import render_to_string

        limit = int(what.split(":")[1])
        chosen = [exports.cells(row) for row in itertools.islice(rows, limit)]
        html = render_to_string("documents/print/register.html",
                                {"register": register, "period": None, "sheet": sheet, "rows": chosen})  # fmt: skip
        weasyprint.HTML(string=html).write_pdf(str(out))
        count, size = len(chosen), out.stat().st_size
    elif what == "filter":
        return measure_filter(clerk, register)
    seconds = time.perf_counter() - began
    pages = 0
    if what != "rows" and not what.startswith("xlsx"):
        from pypdf import PdfReader

        pages = len(PdfReader(str(out)).pages)
    peak_mb = peak_rss_mb()
    return {"what": what, "rows": count, "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
            "bytes": size, "pages": pages}  # fmt: skip


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). Not ru_maxrss: Linux carries that across
    fork and exec, so a child would report the parent's peak (the loader's) whenever it was higher."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_filter(clerk: Any, register: Any) -> dict[str, Any]:
    """The register page's words filter: the LIKE it used (reference) against the full-text index."""
    from django.db import connection
    from django.db.models import Q

    from vanphong.documents import access
    from vanphong.documents.filters import words_q
    from vanphong.lib.vntext import fold

    base = access.documents_visible_to(clerk).filter(register=register, direction="in")

    def like(text: str) -> Any:
        queryset = base
        for word in text.split():  # the filter as it was: every word a LIKE over the folded text
            queryset = queryset.filter(Q(text__folded__contains=fold(word)) | Q(number_symbol__icontains=word))
        return queryset

    def indexed(text: str) -> Any:
        return base.filter(words_q(text, vendor=connection.vendor))

    results: dict[str, Any] = {"what": "filter", "vendor": connection.vendor, "queries": []}
    for text in FILTER_QUERIES:
        row: dict[str, Any] = {"q": text}
        for label, build in (("like", like), ("index", indexed)):
            queryset = build(text)
            # what the page runs: the count for the pager and the first page, newest first
            page = queryset.order_by("-arrival_year", "-arrival_number", "-id")
            times = []
            for _ in range(3):
                began = time.perf_counter()
                total = queryset.count()
                list(page.values_list("id", flat=True)[:50])
                times.append(time.perf_counter() - began)
            row[label] = {"total": total, "ms": round(min(times) * 1000, 1)}
            if text == FILTER_QUERIES[0]:
                results[f"plan_{label}"] = page[:50].explain()
        results["queries"].append(row)
    return results


def child(args: argparse.Namespace, what: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--data-dir", args.data_dir, "--measure", what]
    if args.database_url:
        command += ["--database-url", args.database_url]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own script)
    if completed.returncode != 0:
        return {"what": what, "error": completed.stderr.strip().splitlines()[-1:]}
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=55_000)
    parser.add_argument("--data-dir", default="/tmp/vp-bench-registers")  # noqa: S108 (a throw-away directory)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--weasyprint", default="1000,5000", help="row counts to render with WeasyPrint")
    parser.add_argument("--only", default="", help="comma-separated: rows,xlsx,pdf,weasyprint,filter")
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup(args)
    if args.measure:
        print(json.dumps(measure(args.measure), ensure_ascii=False))
        return 0
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(args.rows)
    chosen = set(filter(None, args.only.split(","))) or {"rows", "xlsx", "pdf", "weasyprint", "filter"}
    plan = [w for w in ("rows", "xlsx", "pdf") if w in chosen]
    if "weasyprint" in chosen:
        for n in filter(None, args.weasyprint.split(",")):
            plan += [f"pdf:{n}", f"weasyprint:{n}"]
    if "filter" in chosen:
        plan.append("filter")
    for what in plan:
        print(json.dumps(child(args, what), ensure_ascii=False, indent=1 if what == "filter" else None), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
