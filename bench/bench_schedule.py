"""Ten years of weekly schedules (3 bodies x 530 weeks, 25 events, 3 revisions each): time the schedule pages.

    VANPHONG_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_schedule.py [--database-url postgres://...]

Through the Django test client, p50/p95 over --repeat rounds, with the profile page as the reference
measured in the same rounds (the ratio column). Builds its corpus in a fresh database each run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
import uuid

parser = argparse.ArgumentParser()
parser.add_argument("--database-url", default="")
parser.add_argument("--repeat", type=int, default=10)
args = parser.parse_args()
if args.database_url:
    os.environ["VANPHONG_DATABASE_URL"] = args.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings_test")
import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)
from vanphong.core.models import OrgKind, Role  # noqa: E402
from vanphong.core.services import roles  # noqa: E402
from vanphong.schedule import services  # noqa: E402
from vanphong.schedule.models import ScheduleRevision, ScheduleState, WeekSchedule  # noqa: E402
from vanphong.testing import SYSTEM, make_account, make_org, make_person  # noqa: E402

party = make_org("Tỉnh ủy Sơn Hà", "TU", kind=OrgKind.PARTY_COMMITTEE)
office = make_org("Văn phòng Tỉnh ủy", "VPTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
bodies = [
    make_org(n, a, kind=OrgKind.PARTY_ORGANIZATION, parent=party)
    for n, a in [
        ("Thường trực Tỉnh ủy", "TTTU"),
        ("Ban Thường vụ Tỉnh ủy", "BTV"),
        ("Ban Chấp hành Đảng bộ tỉnh", "BCH"),
    ]
]
people = [make_person(f"Nguyễn Văn Lãnh đạo {i:02d}", bodies[0]) for i in range(30)]
leader = make_account(people[0], "bithu")
clerk = make_account(make_person("Hoàng Thị Lan", office), "vanthu")
roles.grant_role(SYSTEM, clerk.person, office, Role.CLERK)
roles.grant_role(SYSTEM, leader.person, office, Role.LEADER)
today = timezone.localdate()
t0 = time.perf_counter()
weeks = []
start = today - datetime.timedelta(weeks=520)
for body in bodies:
    for n in range(530):
        y, w, _ = (start + datetime.timedelta(weeks=n)).isocalendar()
        weeks.append(
            WeekSchedule(
                body=body,
                office=office,
                year=y,
                week=w,
                title=f"Lịch công tác tuần của {body.full_name}",
                state=ScheduleState.PUBLISHED,
                revision=3,
            )
        )
WeekSchedule.objects.bulk_create(weeks, batch_size=500)
revisions = []
for s in WeekSchedule.objects.all():
    monday = s.monday
    events = [
        {
            "id": s.pk * 100 + i,
            "uid": str(uuid.uuid4()),
            "day": (monday + datetime.timedelta(days=i % 5)).isoformat(),
            "start": f"{7 + i % 10:02d}:30",
            "end": None,
            "content": f"Họp giao ban nội dung số {i}",
            "place": "Phòng họp số 1",
            "presiding": [{"id": people[i % 30].pk, "name": people[i % 30].full_name}],
            "attending": [
                {"id": people[(i + 1) % 30].pk, "name": people[(i + 1) % 30].full_name},
                {"id": people[0].pk, "name": people[0].full_name},
            ],
            "attending_units": [],
            "preparing_unit": "Văn phòng Tỉnh ủy",
            "meeting": None,
            "documents": [],
            "private": i == 3,
        }
        for i in range(25)
    ]
    for number in (1, 2, 3):
        revisions.append(
            ScheduleRevision(schedule=s, number=number, published_at=timezone.now(), snapshot=events, changes=[])
        )
ScheduleRevision.objects.bulk_create(revisions, batch_size=300)
print(
    f"corpus: {WeekSchedule.objects.count()} weeks, {ScheduleRevision.objects.count()} revisions,"
    f" built in {time.perf_counter() - t0:.1f}s"
)
current = WeekSchedule.objects.get(body=bodies[0], year=today.isocalendar()[0], week=today.isocalendar()[1])
for i in range(25):  # live events of the current week, for the editor
    services.add_event(
        services.Actor(account=clerk, source="web"),
        current,
        services.EventData(
            day=current.monday + datetime.timedelta(days=i % 5),
            start=datetime.time(7 + i % 10, 30),
            content=f"Nội dung {i}",
            presiding=[people[i % 30]],
            attending=[people[(i + 1) % 30], people[0]],
        ),
    )
token = services.issue_feed_token(services.Actor(account=leader, source="web"), leader)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(leader)
client.cookies["vanphong_language"] = "vi"
urls = [
    ("reference: profile page", "/profile/"),
    ("list", "/schedule/"),
    ("published week", f"/schedule/{current.pk}/"),
    ("editor (25 live events)", f"/schedule/{current.pk}/edit/"),
    ("compare", f"/schedule/{current.pk}/compare/"),
    ("home (panel)", "/"),
    ("feed .ics", f"/schedule/calendar/{token}.ics"),
    ("PDF", f"/schedule/{current.pk}/print.pdf"),
    ("API week", f"/api/schedule/weeks/{current.pk}"),
]
times = {label: [] for label, _ in urls}
counts = {}
for _label, url in urls:
    client.get(url)
for _ in range(args.repeat):
    for label, url in urls:
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            r = client.get(url)
            times[label].append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
        counts[label] = len(q)
reference = sorted(times["reference: profile page"])[args.repeat // 2]
for label, values in times.items():
    values.sort()
    p50, p95 = values[len(values) // 2], values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    print(
        f"{label:28s} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
        f"  queries {counts[label]:3d}  {p50 / reference:5.1f}x"
    )
