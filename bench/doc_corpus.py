"""A realistic corpus for the search benchmarks: ten years of a large provincial Party office.

    VANPHONG_DATA_DIR=/tmp/bench-data python bench/doc_corpus.py --count 100000
    VANPHONG_DATA_DIR=/tmp/bench-data python bench/doc_corpus.py --count 1000000 \
        --database-url postgres://root@127.0.0.1:5432/vanphong_bench

The issue's scale is ~700,000 incoming and ~160,000 outgoing documents over ten years; ``--count``
keeps that ratio (81 % incoming). Each document has a Decree 30 / 36-HD/VPTW number and symbol
(``1234/SNV-TCBC``, ``15/QĐ-UBND``, ``12/2024/NQ-HĐND``, ``57-NQ/TW``, ``123-CV/TU``), a Vietnamese
abstract (trích yếu) citing real resolutions, a realistic sender (Sở, Ban, UBND huyện/xã, Bộ), a
date in 2016-2025 rising with the id, and ~2 KB of body text (the OCR text of its scan) built from
real administrative phrasing. Topics follow a Zipf law, so some words are in half the documents
and some in a handful: the benchmark needs both.

Document ``i`` depends only on ``--seed``, ``--count`` and ``i``: a run that was stopped goes on
where it stopped when given the same ``--count`` (a target, not an increment).
Loading bypasses the services on purpose (bulk_create in batches); the search text is computed by
``documents.search.compose_text`` exactly as ``index_document`` would, and the index follows through
the triggers (SQLite) or the generated column (PostgreSQL) as in production.

Besides the documents it creates the people the benchmark searches as: ``bench.clerk`` (văn thư
of the office, sees every register, clearance Mật), ``bench.chief`` (Chánh Văn phòng) and
``bench.specialist`` (a specialist of Phòng Tổng hợp, who sees only what his unit was given).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# The generator lives in the product (the demo's previous-year register uses it too); re-exported here
# for the other benchmarks (task_corpus, bench_documents, bench_register_export).
from vanphong.documents.corpus import (
    DISTRICTS,
    FAMILY,
    GIVEN,
    MIDDLE,
    SENDERS,
    TOPICS,
    TYPES,
    Generated,
    generate,
    place_name,
)

_place = place_name  # the name task_corpus uses

__all__ = ["DISTRICTS", "FAMILY", "GIVEN", "MIDDLE", "SENDERS", "TOPICS", "TYPES", "Generated", "_place", "generate"]


# --- loading ---------------------------------------------------------------------------------------------

UNIT_NAMES = ["Phòng Tổng hợp", "Phòng Hành chính - Tổ chức", "Phòng Quản trị - Tài vụ", "Phòng Lưu trữ",
              "Phòng Công nghệ thông tin", "Phòng Cơ yếu", "Phòng Tiếp dân", "Phòng Đảng vụ"]  # fmt: skip


def setup_django(database_url: str) -> None:
    os.environ.setdefault("VANPHONG_DATA_DIR", "/tmp/bench-data")  # noqa: S108 (a throw-away bench directory)
    os.environ["VANPHONG_ALLOWED_HOSTS"] = "testserver"
    if database_url:
        os.environ["VANPHONG_DATABASE_URL"] = database_url
        if database_url.startswith("postgres"):
            _create_pg_database(database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "vanphong.settings_test"
    import django

    django.setup()


def _create_pg_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@dataclass
class Office:
    incoming: Any
    outgoing: Any
    types: dict[str, Any]
    senders: list[Any]
    units: list[Any]
    clerk: Any


def ensure_office() -> Office:
    """The provincial office, its registers, types, senders, units and the benchmark's accounts."""
    from vanphong.core.models import Account, Organization, OrgKind, Role
    from vanphong.core.services import roles
    from vanphong.documents.models import Direction, DocumentSystem, DocumentType, Register
    from vanphong.testing import SYSTEM, make_account, make_org, make_person

    if not Organization.objects.filter(abbreviation="VPTU").exists():
        party = make_org("Tỉnh ủy Sơn Hà", "TU", kind=OrgKind.PARTY_COMMITTEE)
        office = make_org("Văn phòng Tỉnh ủy", "VPTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
        units = [
            make_org(name, f"P{n}", kind=OrgKind.INTERNAL_UNIT, parent=office) for n, name in enumerate(UNIT_NAMES)
        ]
        for name, abbreviation, _, _ in SENDERS:
            make_org(name, abbreviation, kind=OrgKind.STATE_AGENCY)
        clerk = make_account(make_person("Hoàng Thị Lan", units[0], clearance=1), "bench.clerk")
        chief = make_account(make_person("Trần Văn Bình", office, clearance=2), "bench.chief")
        specialist = make_account(make_person("Võ Minh Tuấn", units[0]), "bench.specialist")
        roles.grant_role(SYSTEM, clerk.person, office, Role.CLERK)  # type: ignore[arg-type]
        roles.grant_role(SYSTEM, chief.person, office, Role.LEADER)  # type: ignore[arg-type]
        roles.grant_role(SYSTEM, specialist.person, units[0], Role.SPECIALIST)  # type: ignore[arg-type]
        Register.objects.create(organization=office, direction=Direction.INCOMING, name="Sổ văn bản đến",
                                system=DocumentSystem.PARTY)  # fmt: skip
        Register.objects.create(organization=office, direction=Direction.OUTGOING, name="Sổ văn bản đi",
                                system=DocumentSystem.PARTY)  # fmt: skip
        for order, (key, name, abbreviation, _, _) in enumerate(TYPES):
            DocumentType.objects.create(system=DocumentSystem.STATE, key=key, name=name, abbreviation=abbreviation,
                                        order=order)  # fmt: skip
    office = Organization.objects.get(abbreviation="VPTU")
    by_abbreviation = {o.abbreviation: o for o in Organization.objects.all()}
    return Office(
        incoming=Register.objects.get(organization=office, direction=Direction.INCOMING),
        outgoing=Register.objects.get(organization=office, direction=Direction.OUTGOING),
        types={t.key: t for t in DocumentType.objects.all()},
        senders=[by_abbreviation[abbreviation] for _, abbreviation, _, _ in SENDERS],
        units=[by_abbreviation[f"P{n}"] for n in range(len(UNIT_NAMES))],
        clerk=Account.objects.get(username="bench.clerk"),
    )


def load(count: int, seed: int, batch: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from vanphong.documents.models import Assignment, Document, DocumentFile, DocumentText, StoredFile
    from vanphong.documents.search import compose_text

    office = ensure_office()
    start = Document.objects.count()
    if start >= count:
        print(f"corpus: {start} documents already loaded", file=sys.stderr)
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a bench loader may trade durability for speed
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    began = time.monotonic()
    tz = timezone.get_current_timezone()

    def arrival(g: Generated) -> datetime.datetime:
        day = g.document_date + datetime.timedelta(days=g.arrived_days)
        return datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=tz)

    for first in range(start, count, batch):
        generated = [generate(seed, i, count) for i in range(first, min(count, first + batch))]
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                [
                    Document(
                        direction="in" if g.incoming else "out",
                        register=office.incoming if g.incoming else office.outgoing,
                        status=g.status,
                        document_type=office.types[g.type_key],
                        number_symbol=g.number_symbol,
                        document_date=g.document_date,
                        abstract=g.abstract,
                        signer_name=g.signer_name,
                        signer_position=g.signer_position,
                        urgency=g.urgency,
                        secrecy=g.secrecy,
                        arrived_at=arrival(g) if g.incoming else None,
                        sender=office.senders[g.sender_index] if g.sender_index >= 0 else None,
                        sender_name=g.sender_name,
                        created_by=office.clerk,
                    )
                    for g in generated
                ]
            )
            stored = StoredFile.objects.bulk_create(
                [
                    StoredFile(
                        sha256=hashlib.sha256(f"{seed}:{first + n}:{g.body}".encode()).hexdigest(),
                        size=len(g.body.encode()),
                        media_type="application/pdf",
                        text=g.body,
                        text_state="ocr_done",
                    )
                    for n, g in enumerate(generated)
                ]
            )
            DocumentFile.objects.bulk_create(
                [
                    DocumentFile(document=d, stored=s, role="scan", name="ban-quet.pdf", added_by=office.clerk)
                    for d, s in zip(documents, stored, strict=True)
                ]
            )
            Assignment.objects.bulk_create(
                [
                    Assignment(document=d, unit=office.units[g.assigned_unit], role="lead")
                    for d, g in zip(documents, generated, strict=True)
                    if g.assigned_unit >= 0
                ]
            )
            texts = []
            for d, g in zip(documents, generated, strict=True):
                type_name = office.types[g.type_key].name
                pieces = [g.number_symbol, type_name, g.abstract, g.sender_name, g.signer_name, "", "", g.body]
                exact, folded, symbols = compose_text(pieces)
                texts.append(DocumentText(document=d, exact=exact, folded=folded, symbols=symbols))
            DocumentText.objects.bulk_create(texts)
        done = first + len(generated)
        elapsed = time.monotonic() - began
        rate = (done - start) / elapsed
        print(
            f"corpus: {done}/{count} documents, {rate:.0f}/s, eta {(count - done) / max(rate, 1e-9) / 60:.1f} min",
            file=sys.stderr,
        )


def iter_sample(seed: int, count: int, every: int) -> Iterator[Generated]:
    """Every ``every``-th generated document (for picking benchmark queries without the database)."""
    for index in range(0, count, every):
        yield generate(seed, index, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="documents the corpus should hold")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--database-url", default="", help="default: SQLite in VANPHONG_DATA_DIR")
    parser.add_argument("--sample", type=int, default=0, help="print N generated documents and exit")
    args = parser.parse_args()
    if args.sample:
        for index in range(args.sample):
            g = generate(args.seed, index * (args.count // args.sample), args.count)
            print(f"#{index} {g.number_symbol} | {g.abstract} | {g.sender_name} | {g.document_date}\n  {g.body[:400]}…")
        return 0
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    began = time.monotonic()
    load(args.count, args.seed, args.batch)
    print(f"corpus: loaded in {time.monotonic() - began:.0f} s", file=sys.stderr)
    began = time.monotonic()
    with connection.cursor() as cursor:  # planner statistics, as autovacuum / PRAGMA optimize would give
        cursor.execute("ANALYZE")
    print(f"corpus: analysed in {time.monotonic() - began:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
