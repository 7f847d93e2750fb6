"""How fast are the person and organisation lists with 10,000 persons?

Builds a throw-away instance (SQLite by default; PostgreSQL with --database-url), creates the
persons through the services (as the application would), then times the busiest list pages
through Django's test client: p50 and p95 over repeated requests, and the number of SQL queries.
The reference in the same run is the same page on an instance with 200 persons: the ratio shows
how the page scales.

    python bench/bench_people.py [--persons 10000] [--database-url postgres://root@127.0.0.1:5432/vp_bench]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--reference", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    os.environ["VANPHONG_DATA_DIR"] = tempfile.mkdtemp(prefix="vp-bench-")
    os.environ["VANPHONG_ALLOWED_HOSTS"] = "testserver"
    if args.database_url:
        os.environ["VANPHONG_DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "vanphong.settings_test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    from vanphong.core.models import Person
    from vanphong.testing import SYSTEM, make_account, make_org, make_person

    if connection.vendor == "postgresql":
        # a clean database for each run
        from django.db import connections

        name = connection.settings_dict["NAME"]
        connections.close_all()
        import psycopg

        admin_dsn = args.database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_dsn, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
            pg.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
    middles = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Thu", "Đức", "Thị Thu"]
    givens = [
        "An",
        "Bình",
        "Cường",
        "Dung",
        "Đào",
        "Giang",
        "Hà",
        "Hải",
        "Hạnh",
        "Hùng",
        "Lan",
        "Long",
        "Mai",
        "Nam",
        "Ngọc",
        "Phúc",
        "Quân",
        "Sơn",
        "Tâm",
        "Thảo",
        "Trang",
        "Tuấn",
        "Vy",
        "Yến",
    ]
    from vanphong.core.models import OrgKind

    root = make_org("Ủy ban nhân dân tỉnh Sơn Hà", "UBND", kind=OrgKind.PEOPLES_COMMITTEE)
    units = [make_org(f"Sở số {i}", f"S{i}", kind=OrgKind.STATE_AGENCY, parent=root) for i in range(40)]
    admin = make_account(make_person("Nguyễn Văn Quản", None), "admin", superuser=True)
    client = Client()
    client.force_login(admin)
    pages = {
        "persons, first page": "/people/",
        "persons, search 'nguyen van'": "/people/?q=nguyen+van",
        "persons, one unit": f"/people/?organization={units[3].pk}",
        "persons, page 20": "/people/?page=20",
        "organisations": "/organizations/",
        "API persons search": "/api/persons?q=tran+thi",
    }

    def fill(total: int) -> None:
        start = time.perf_counter()
        while Person.objects.count() < total:
            name = f"{rng.choice(families)} {rng.choice(middles)} {rng.choice(givens)}"
            make_person(name, rng.choice(units), email=f"user{rng.randrange(10**6)}@sonha.gov.vn")
        print(f"  created persons up to {total} in {time.perf_counter() - start:.1f} s", file=sys.stderr)

    def measure() -> dict[str, tuple[float, float, int]]:
        results = {}
        for label, url in pages.items():
            client.get(url)  # warm
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            times.sort()
            results[label] = (statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries))
        return results

    print(f"database: {connection.vendor}; {SYSTEM.name} builds the data through the services")
    fill(args.reference)
    reference = measure()
    fill(args.persons)
    full = measure()
    print(
        f"\n{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p50 at ' + str(args.reference):>12} {'ratio':>6}"
    )
    for label, (p50, p95, queries) in full.items():
        ref = reference[label][0]
        print(f"{label:34} {p50:8.1f} {p95:8.1f} {queries:8d} {ref:12.1f} {p50 / ref:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
