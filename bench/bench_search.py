"""How fast is document search on a large corpus, and how does it compare with Whoosh and tantivy?

Comparison engines, installed into the venv for this benchmark only (the lead adds
requirements/bench.txt with these pins):

    whoosh-reloaded==2.7.5
    tantivy==0.27.0

Usage (load the corpus first with bench/doc_corpus.py, into the same data directory and database):

    VANPHONG_DATA_DIR=/tmp/bench-data python bench/doc_corpus.py --count 100000
    VANPHONG_DATA_DIR=/tmp/bench-data python bench/bench_search.py [--engines vanphong,api,raw,tantivy,whoosh]
        [--database-url postgres://root@127.0.0.1:5432/vanphong_bench] [--reindex] [--whoosh-limit 100000]

Measured, each query warmed once then run ``--repeat`` times, p50/p95 per query family:

* ``vanphong``: ``documents.search.search()`` end to end, as the clerk (sees both registers, ~all
  documents) and as a specialist (sees only what his unit was given, ~1 %): visibility join,
  exact-first ranking, total, facets, documents, snippets.
* ``api``: ``GET /api/documents/search?q=`` through Django's test client as the same two people
  (session, view, 20 results with snippets as JSON): the figure the issue asks for.
* ``raw``: the bare index of the same database (the MATCH / @@ with bm25 / ts_rank, top 20 and the
  count), no visibility, no facets, no snippets: what the engines below also do.
* ``tantivy`` and ``whoosh``: the same folded text and squashed symbols, the same queries (as query
  objects, AND of terms and phrases), top 20 by BM25 and the count. Whoosh is pure Python and
  indexes slowly, so it gets the first ``--whoosh-limit`` documents and ``raw`` is measured again on
  that same prefix for its ratio.
* ``--reindex``: ``vanphong manage reindex_documents`` in a child process: a pass that finds nothing
  to change, then a full rebuild after emptying DocumentText; wall time, and the peak memory the
  command reports for itself (``resource.getrusage(RUSAGE_SELF).ru_maxrss``).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import doc_corpus  # noqa: E402 (after the path is set)

COMMON = ["triển khai", "báo cáo", "ủy ban nhân dân", "cán bộ", "đảng", "kế hoạch năm"]
COMMON_FOLDED = ["trien khai", "bao cao", "uy ban nhan dan", "can bo", "dang", "ke hoach nam"]
RARE = ["voọc chà vá", "mạch nha Thi Phổ", "cồng chiêng", "kẹo gương", "thác Trắng", "nhà rông", "suối khoáng"]
RARE_FOLDED = ["vooc cha va", "mach nha thi pho", "cong chieng", "keo guong", "thac trang", "nha rong"]
PHRASES = [
    '"chuyển đổi số"',
    '"xây dựng nông thôn mới"',
    '"phòng cháy chữa cháy rừng"',
    '"giải ngân vốn đầu tư công"',
    '"nước sạch nông thôn"',
    '"chuyen doi so"',
]
FIXED_SYMBOLS = ["57-NQ/TW", "18-NQ/TW", "30/2020/NĐ-CP", "749/QĐ-TTg", "05-CT/TW"]
MIXED = ["triển khai 57-NQ/TW", "báo cáo quý II 2024", "giấy mời hội nghị Lý Sơn", "Sở Nội vụ tinh giản biên chế"]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Measured:
    label: str
    family: str
    times: list[float]
    totals: list[int]

    @property
    def p50(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95) * 1000


def timed(run: Callable[[str], int], queries: Sequence[str], repeat: int) -> tuple[list[float], list[int]]:
    times: list[float] = []
    totals: list[int] = []
    for query in queries:
        totals.append(run(query))  # warm-up, and the match count
        for _ in range(repeat):
            began = time.perf_counter()
            run(query)
            times.append(time.perf_counter() - began)
    return times, totals


def query_families(symbols: list[str]) -> dict[str, list[str]]:
    return {
        "common": COMMON,
        "common, unaccented": COMMON_FOLDED,
        "rare": RARE,
        "rare, unaccented": RARE_FOLDED,
        "phrase": PHRASES,
        "symbol": FIXED_SYMBOLS + symbols,
        "mixed": MIXED,
    }


def sample_symbols(count: int, seed: int = 7) -> list[str]:
    from vanphong.documents.models import Document

    top = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rng = random.Random(seed)
    ids = [rng.randint(1, top) for _ in range(count * 3)]
    found = list(Document.objects.filter(pk__in=ids).exclude(number_symbol="").values_list("number_symbol", flat=True))
    return found[:count]


# --- engines ---------------------------------------------------------------------------------------------


def vanphong_runner(account: Any) -> Callable[[str], int]:
    from vanphong.documents import search

    def run(query: str) -> int:
        return search.search(account, query).total

    return run


def api_runner(account: Any) -> Callable[[str], int]:
    """``GET /api/documents/search`` through Django's test client: authentication, the view, the
    JSON of 20 results with their snippets, as an API client or the htmx page would ask."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(account)

    def run(query: str) -> int:
        response = client.get("/api/documents/search", {"q": query})
        if response.status_code != 200:
            raise RuntimeError(f"{query!r}: HTTP {response.status_code} {response.content[:200]!r}")
        return int(response.json()["total"])

    return run


def raw_runner(max_id: int | None = None) -> Callable[[str], int]:
    """The bare index of the configured database: count and top 20 by relevance, nothing else."""
    from django.db import connection

    from vanphong.documents import search

    def run(query: str) -> int:
        terms = search.parse_query(query).terms
        if not terms:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                expression = search._fts_expression(terms, exact=False)
                bound = f" AND rowid <= {int(max_id)}" if max_id else ""
                table = search.FTS_TABLE
                cursor.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH %s{bound}", [expression])  # noqa: S608
                total = cursor.fetchone()[0]
                cursor.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH %s{bound} ORDER BY rank LIMIT 20",  # noqa: S608
                    [expression],
                )
            else:
                expression = search._ts_expression(terms, exact=False)
                bound = f" AND document_id <= {int(max_id)}" if max_id else ""
                where = f"search @@ to_tsquery('simple', %s){bound}"
                cursor.execute(f"SELECT count(*) FROM documents_documenttext WHERE {where}", [expression])  # noqa: S608
                total = cursor.fetchone()[0]
                cursor.execute(
                    f"SELECT document_id FROM documents_documenttext WHERE {where} "  # noqa: S608
                    "ORDER BY ts_rank(search, to_tsquery('simple', %s)) DESC LIMIT 20",
                    [expression, expression],
                )
            cursor.fetchall()
        return int(total)

    return run


def corpus_rows(batch: int = 5_000, limit: int | None = None) -> Iterator[tuple[int, str, str]]:
    """(document id, folded, symbols) from DocumentText, by id, one batch in memory at a time."""
    from vanphong.documents.models import DocumentText

    last = 0
    seen = 0
    while limit is None or seen < limit:
        size = batch if limit is None else min(batch, limit - seen)
        rows = list(
            DocumentText.objects.filter(document_id__gt=last)
            .order_by("document_id")
            .values_list("document_id", "folded", "symbols")[:size]
        )
        if not rows:
            return
        yield from rows
        seen += len(rows)
        last = rows[-1][0]


def build_tantivy(path: Path) -> tuple[Any, float, int]:
    import tantivy  # type: ignore[import-not-found]

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("folded", stored=False, tokenizer_name="default", index_option="position")
    builder.add_text_field("symbols", stored=False, tokenizer_name="default", index_option="position")
    schema = builder.build()
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(path))
    began = time.monotonic()
    writer = index.writer(heap_size=512_000_000)
    count = 0
    for pk, folded, symbols in corpus_rows():
        writer.add_document(tantivy.Document(id=pk, folded=folded, symbols=symbols))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, time.monotonic() - began, count


def tantivy_runner(index: Any) -> Callable[[str], int]:
    import tantivy

    from vanphong.documents import search

    schema = index.schema
    searcher = index.searcher()

    def clause(term: search.Term) -> Any:
        words = list(term.folded)
        text = (
            tantivy.Query.term_query(schema, "folded", words[0])
            if len(words) == 1
            else tantivy.Query.phrase_query(schema, "folded", words)
        )
        if term.kind != "symbol":
            return text
        key = tantivy.Query.term_query(schema, "symbols", term.folded_key)
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, key), (tantivy.Occur.Should, text)])

    def run(query: str) -> int:
        terms = search.parse_query(query).terms
        if not terms:
            return 0
        combined = tantivy.Query.boolean_query([(tantivy.Occur.Must, clause(t)) for t in terms])
        result = searcher.search(combined, limit=20, count=True)
        return int(result.count or 0)

    return run


def build_whoosh(path: Path, limit: int) -> tuple[Any, float, int]:
    from whoosh import index as whoosh_index  # type: ignore[import-not-found]
    from whoosh.analysis import LowercaseFilter, RegexTokenizer  # type: ignore[import-not-found]
    from whoosh.fields import NUMERIC, TEXT, Schema  # type: ignore[import-not-found]

    analyzer = RegexTokenizer(r"[^\W_]+") | LowercaseFilter()
    schema = Schema(
        id=NUMERIC(stored=True, unique=True),
        folded=TEXT(analyzer=analyzer, phrase=True),
        symbols=TEXT(analyzer=analyzer, phrase=False),
    )
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    index = whoosh_index.create_in(str(path), schema)
    began = time.monotonic()
    writer = index.writer(limitmb=512)
    count = 0
    for pk, folded, symbols in corpus_rows(limit=limit):
        writer.add_document(id=pk, folded=folded, symbols=symbols)
        count += 1
    writer.commit()
    return index, time.monotonic() - began, count


def whoosh_runner(index: Any) -> Callable[[str], int]:
    from whoosh import query as wq  # type: ignore[import-not-found]

    from vanphong.documents import search

    searcher = index.searcher()

    def clause(term: search.Term) -> Any:
        words = list(term.folded)
        text = wq.Term("folded", words[0]) if len(words) == 1 else wq.Phrase("folded", words)
        if term.kind != "symbol":
            return text
        return wq.Or([wq.Term("symbols", term.folded_key), text])

    def run(query: str) -> int:
        terms = search.parse_query(query).terms
        if not terms:
            return 0
        results = searcher.search(wq.And([clause(t) for t in terms]), limit=20)
        return len(results)

    return run


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- reindex ---------------------------------------------------------------------------------------------


def run_reindex(label: str, env: dict[str, str]) -> None:
    checkpoint = Path(env["VANPHONG_DATA_DIR"]) / "bench-reindex.json"
    began = time.monotonic()
    completed = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [sys.executable, "-m", "vanphong", "manage", "reindex_documents", "--checkpoint", str(checkpoint)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - began
    # The command reports its own peak (resource.getrusage(RUSAGE_SELF)): RUSAGE_CHILDREN here would
    # count this process's memory too, which a forked child shares until it execs.
    summary = completed.stdout.strip().splitlines()[-1:] or completed.stderr.strip().splitlines()[-1:]
    print(f"reindex, {label}: {elapsed:.1f} s wall; {summary}")


# --- main ------------------------------------------------------------------------------------------------


def report(rows: list[Measured], baseline: dict[str, Measured] | None = None) -> None:
    for row in rows:
        ratio = ""
        if baseline and row.family in baseline and baseline[row.family] is not row:
            base = baseline[row.family]
            ratio = f"  {base.label} takes {base.p50 / max(row.p50, 1e-3):.0f}x as long (p50)"
        average = sum(row.totals) / max(len(row.totals), 1)
        print(
            f"{row.label:<22} {row.family:<20} p50 {row.p50:8.1f} ms  p95 {row.p95:8.1f} ms  "
            f"matches ~{average:9.0f}{ratio}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--engines", default="vanphong,api,raw,tantivy,whoosh")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--symbols", type=int, default=15, help="random symbols of the corpus to search for")
    parser.add_argument("--whoosh-limit", type=int, default=100_000)
    parser.add_argument("--reindex", action="store_true")
    args = parser.parse_args()
    doc_corpus.setup_django(args.database_url)
    from django.db import connection

    from vanphong.core.models import Account
    from vanphong.documents.models import Document, DocumentText

    engines = set(args.engines.split(","))
    data_dir = Path(os.environ["VANPHONG_DATA_DIR"])
    documents = Document.objects.count()
    print(f"corpus: {documents} documents on {connection.vendor} ({connection.settings_dict['NAME']})")
    families = query_families(sample_symbols(args.symbols))
    results: list[Measured] = []

    def measured(row: Measured) -> None:
        report([row])  # as it comes: a long run that is stopped still leaves its figures
        sys.stdout.flush()
        results.append(row)

    if "vanphong" in engines:
        for username in ("bench.clerk", "bench.specialist"):
            account = Account.objects.get(username=username)
            run = vanphong_runner(account)
            for family, queries in families.items():
                times, totals = timed(run, queries, args.repeat)
                measured(Measured(f"search() {username.split('.')[1]}", family, times, totals))
        if connection.vendor == "postgresql":
            # The reference for the specialist: the same search through the GIN index over every document
            # (what it did before policy.handled_ids), in the same run.
            from vanphong.documents import policy

            handled_ids = policy.handled_ids
            policy.handled_ids = lambda account: None  # type: ignore[assignment]
            try:
                run = vanphong_runner(Account.objects.get(username="bench.specialist"))
                for family, queries in families.items():
                    times, totals = timed(run, queries, args.repeat)
                    measured(Measured("search() specialist, GIN path", family, times, totals))
            finally:
                policy.handled_ids = handled_ids
    if "api" in engines:
        for username in ("bench.clerk", "bench.specialist"):
            account = Account.objects.get(username=username)
            run = api_runner(account)
            for family, queries in families.items():
                times, totals = timed(run, queries, args.repeat)
                measured(Measured(f"API {username.split('.')[1]}", family, times, totals))
    raw: dict[str, Measured] = {}
    if "raw" in engines:
        for family, queries in families.items():
            times, totals = timed(raw_runner(), queries, args.repeat)
            raw[family] = Measured(f"raw {connection.vendor}", family, times, totals)
        for row in raw.values():
            measured(row)

    if "tantivy" in engines:
        path = data_dir / f"tantivy-{connection.vendor}"
        index, seconds, count = build_tantivy(path)
        print(f"tantivy: indexed {count} documents in {seconds:.1f} s, {directory_size(path) / 1e6:.0f} MB")
        rows = [
            Measured("tantivy", family, *timed(tantivy_runner(index), queries, args.repeat))
            for family, queries in families.items()
        ]
        report(rows, raw)
    if "whoosh" in engines:
        path = data_dir / f"whoosh-{connection.vendor}"
        limit = min(args.whoosh_limit, documents)
        index, seconds, count = build_whoosh(path, limit)
        print(f"whoosh: indexed {count} documents in {seconds:.1f} s, {directory_size(path) / 1e6:.0f} MB")
        top = DocumentText.objects.order_by("document_id").values_list("document_id", flat=True)[count - 1]
        prefix = {
            family: Measured(f"raw, first {count}", family, *timed(raw_runner(top), queries, args.repeat))
            for family, queries in families.items()
        }
        rows = [
            Measured("whoosh", family, *timed(whoosh_runner(index), queries, args.repeat))
            for family, queries in families.items()
        ]
        report(list(prefix.values()))
        report(rows, prefix)

    if args.reindex:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        run_reindex("nothing to change", env)
        began = time.monotonic()
        DocumentText.objects.all().delete()
        print(f"emptying DocumentText (index entries removed by the database): {time.monotonic() - began:.1f} s")
        run_reindex("full rebuild", env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
