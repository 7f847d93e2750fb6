"""Time the demo office's documents against the rest of the demo, in one process.

    VANPHONG_DATA_DIR=$(mktemp -d) .venv/bin/vanphong migrate --no-input
    VANPHONG_DATA_DIR=<same dir> .venv/bin/python bench/bench_demo_documents.py [--small]

Needs a freshly migrated, empty database (SQLite by default, PostgreSQL with VANPHONG_DATABASE_URL).
Loads the organisations, persons and accounts (``core.demo.build``, the reference), then the year of
documents (``documents.demo.build``) in the same transaction, as ``vanphong demo`` does. Prints wall
and CPU time (``time.process_time``) of each part, their ratio, the volume loaded and the load average
of the machine, since wall times on a shared machine depend on it.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from vanphong.core.demo.build import build
    from vanphong.documents import demo

    volume = demo.SMALL_VOLUME if "--small" in sys.argv else demo.DEFAULT_VOLUME
    wall0, cpu0 = time.perf_counter(), time.process_time()
    with transaction.atomic():
        build(password="Vanphong@2026", stdout=io.StringIO())  # noqa: S106 (the documented demo password)
        wall1, cpu1 = time.perf_counter(), time.process_time()
        summary = demo.build(stdout=io.StringIO(), volume=volume)
    wall2, cpu2 = time.perf_counter(), time.process_time()
    print(f"documents: {summary.documents} ({summary.incoming} incoming, {summary.outgoing} outgoing)")
    print(f"office (organisations, persons, accounts): wall {wall1 - wall0:.1f} s, cpu {cpu1 - cpu0:.1f} s")
    print(f"documents:                                 wall {wall2 - wall1:.1f} s, cpu {cpu2 - cpu1:.1f} s")
    print(f"documents / office, cpu: {(cpu2 - cpu1) / (cpu1 - cpu0):.1f}x; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
