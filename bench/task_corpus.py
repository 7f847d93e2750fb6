"""Ten years of tasks and meetings of a large provincial office, for the list and dashboard benchmarks.

    VANPHONG_DATA_DIR=/tmp/bench-tasks python bench/task_corpus.py
    VANPHONG_DATA_DIR=/tmp/bench-tasks python bench/task_corpus.py \
        --database-url postgres://root@127.0.0.1:5432/vp_rep_bench
    options: --years 10 --tasks-per-year 3000 --meetings-per-year 700 --seed 2026

The scale is the issue's: one office served 688 meetings in a year; a province's Party office follows
about 3,000 tasks a year from conclusions, resolutions and leaders' directions. So, over the ten years
ending today:

* **40 units** that receive tasks: the Party office's own rooms, the Tỉnh ủy's boards, district Party
  committees, and outside units (the departments and district People's Committees under the UBND),
  each with a head and two specialists; six assigning leaders (Bí thư, Phó Bí thư, Chủ tịch and Phó
  Chủ tịch UBND, Chánh Văn phòng).
* **~3,000 tasks a year** (≈30,000): sources documents / meeting conclusions / leaders' directions /
  resolutions, a lead unit drawn with Zipf weights (a few units carry most), 0–3 coordinating units,
  deadlines of 10–90 days; of those past their deadline ~15 % completed late and ~5 % still open
  (overdue), ~8 % extended once by an approved extension; ~4 progress reports per task, the timeline
  steps (assigned, reported, accepted, extension).
* **~700 meetings a year** (≈7,000) of the Tỉnh ủy and the UBND, ~25 participants each (members and
  a few invited guests), in eight rooms booked without overlap (a tenth held outside the rooms).

Loading bypasses the services on purpose (bulk_create, one transaction per year); the automatic
timestamps are switched off while loading so that each row carries its own date in the past. The
meetings are generated only if the meetings app's models are there. The run is idempotent: a
database that already holds tasks is left as it is.

Accounts the benchmark signs in as: ``bench.leader`` (Bí thư, LEADER over the Tỉnh ủy: sees every
task the Tỉnh ủy assigned and those led by its boards and committees), ``bench.head`` (Giám đốc Sở Nội
vụ, HEAD of an outside unit: sees its tasks only), ``bench.clerk`` (văn thư of the Party office).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import doc_corpus  # noqa: E402 (after the path is set)

BATCH = 2_000

# (name, abbreviation, parent key, kind) — 40 units that receive tasks
PARTY_UNITS = [
    ("Phòng Tổng hợp", "VPTU-TH"), ("Phòng Hành chính - Lưu trữ", "VPTU-HC"),
    ("Phòng Tài chính - Quản trị", "VPTU-TC"), ("Phòng Công nghệ thông tin - Cơ yếu", "VPTU-CNTT"),
]  # fmt: skip
BOARDS = [
    ("Ban Tổ chức Tỉnh ủy", "BTCTU"), ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "BTGDVTU"),
    ("Ban Nội chính Tỉnh ủy", "BNCTU"), ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU"),
    ("Đảng ủy các cơ quan Đảng tỉnh", "ĐUCQĐ"),
]  # fmt: skip
DISTRICT_COMMITTEES = ["Sơn Tịnh", "Bình Sơn", "Tư Nghĩa", "Mộ Đức", "Đức Phổ", "Ba Tơ", "Minh Long", "Nghĩa Hành",
                       "Trà Bồng"]  # fmt: skip
DEPARTMENTS = [
    ("Sở Nội vụ", "SNV"), ("Sở Tài chính", "STC"), ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Y tế", "SYT"), ("Sở Tài nguyên và Môi trường", "STNMT"),
    ("Sở Xây dựng", "SXD"), ("Sở Giao thông vận tải", "SGTVT"), ("Sở Nông nghiệp và Phát triển nông thôn", "SNN"),
    ("Sở Công Thương", "SCT"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"), ("Sở Tư pháp", "STP"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"), ("Sở Khoa học và Công nghệ", "SKHCN"), ("Công an tỉnh", "CAT"),
]  # fmt: skip
DISTRICT_COUNCILS = ["Sơn Tịnh", "Bình Sơn", "Tư Nghĩa", "Mộ Đức", "Đức Phổ"]
ROOMS = [
    ("Hội trường Tỉnh ủy", "TU"), ("Phòng họp Ban Thường vụ", "TU"), ("Phòng họp số 1 Văn phòng Tỉnh ủy", "TU"),
    ("Phòng họp trực tuyến Tỉnh ủy", "TU"), ("Hội trường UBND tỉnh", "UBND"), ("Phòng họp số 1 UBND tỉnh", "UBND"),
    ("Phòng họp số 2 UBND tỉnh", "UBND"), ("Phòng họp trực tuyến UBND tỉnh", "UBND"),
]  # fmt: skip

# (person, position, body key, role): the assigning leaders; bench.leader is the first
LEADERS = [
    ("Nguyễn Văn Hùng", "Bí thư Tỉnh ủy", "TU", "leader"),
    ("Lê Thị Thu Hà", "Phó Bí thư Thường trực Tỉnh ủy", "TU", "deputy"),
    ("Trần Phước Hiền", "Chủ tịch UBND tỉnh", "UBND", "leader"),
    ("Đặng Văn Minh", "Phó Chủ tịch UBND tỉnh", "UBND", "deputy"),
    ("Võ Thanh An", "Phó Chủ tịch UBND tỉnh", "UBND", "deputy"),
    ("Phạm Quang Sơn", "Chánh Văn phòng Tỉnh ủy", "VPTU", "leader"),
]
LEADER_WEIGHTS = [30, 25, 20, 10, 8, 7]

SOURCE_KINDS = [("document", 40), ("conclusion", 30), ("direction", 22), ("resolution", 8)]
TITLES = [
    "Tham mưu xây dựng kế hoạch thực hiện {ref} về {topic}",
    "Báo cáo kết quả thực hiện {topic} năm {year}",
    "Rà soát, đề xuất giải pháp tháo gỡ khó khăn, vướng mắc về {topic}",
    "Kiểm tra, đôn đốc việc triển khai {topic} tại huyện {district}",
    "Xây dựng đề án {topic} giai đoạn {year}-{year5}",
    "Tổng hợp ý kiến góp ý dự thảo quy định về {topic}",
    "Sơ kết {small} năm thực hiện {topic}, đề xuất nhiệm vụ thời gian tới",
    "Chỉ đạo xử lý dứt điểm kiến nghị của cử tri về {topic} tại xã {commune}",
    "Phối hợp tổ chức hội nghị chuyên đề về {topic}",
    "Tham mưu ban hành chỉ thị của Ban Thường vụ Tỉnh ủy về tăng cường {topic}",
]
SOURCES = {
    "document": "Công văn số {n}-CV/TU ngày {date} của Ban Thường vụ Tỉnh ủy",
    "conclusion": "Thông báo kết luận số {n}-TB/TU ngày {date} của Thường trực Tỉnh ủy tại phiên họp giao ban",
    "direction": "Ý kiến chỉ đạo của đồng chí {leader} trên Tờ trình số {n}/TTr-SNV ngày {date}",
    "resolution": "Nghị quyết số {n}-NQ/TU ngày {date} của Ban Chấp hành Đảng bộ tỉnh",
}
REPORTS = [
    "Đã ban hành kế hoạch triển khai, phân công cán bộ theo dõi.",
    "Đã tổ chức họp với các đơn vị phối hợp, thống nhất lộ trình thực hiện.",
    "Đã hoàn thành khảo sát thực tế tại {n} xã, đang tổng hợp số liệu.",
    "Đang hoàn thiện dự thảo báo cáo, xin ý kiến các sở, ngành liên quan.",
    "Đã trình dự thảo lên Thường trực Tỉnh ủy cho ý kiến.",
    "Vướng mắc về kinh phí; đề nghị Sở Tài chính bố trí bổ sung.",
]
MEETINGS = [
    ("standing_committee", "Hội nghị Ban Thường vụ Tỉnh ủy cho ý kiến về {topic}", "TU", 30),
    ("committee_conference", "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ {small}", "TU", 4),
    ("working_session", "Làm việc với {unit} về tình hình thực hiện {topic}", "TU", 25),
    ("working_session", "UBND tỉnh làm việc với {unit} về {topic}", "UBND", 25),
    ("online_conference", "Hội nghị trực tuyến toàn tỉnh triển khai {topic}", "UBND", 8),
    ("other", "Giao ban định kỳ Thường trực Tỉnh ủy tháng {month}/{year}", "TU", 8),
]


@dataclass
class Office:
    party: Any
    ubnd: Any
    party_office: Any
    units: list[Any]  # the 40 units that receive tasks
    leaders: list[Any]  # Person, in LEADERS order
    unit_people: dict[int, list[Any]]  # unit id → [head, specialist, specialist]
    rooms: list[Any]
    clerk: Any  # Account


def _name(rng: random.Random) -> str:
    return f"{rng.choice(doc_corpus.FAMILY)} {rng.choice(doc_corpus.MIDDLE)} {rng.choice(doc_corpus.GIVEN)}"


def ensure_office() -> Office:
    """The Tỉnh ủy, the UBND, the 40 units with their people, the leaders, the rooms, the bench accounts."""
    from vanphong.core.models import Account, Organization, OrgKind, Person, Role
    from vanphong.core.services import roles
    from vanphong.testing import SYSTEM, make_account, make_org, make_person

    if not Organization.objects.filter(abbreviation="TU").exists():
        rng = random.Random(7)
        party = make_org("Tỉnh ủy Sơn Hà", "TU", kind=OrgKind.PARTY_COMMITTEE)
        ubnd = make_org("Ủy ban nhân dân tỉnh Sơn Hà", "UBND", kind=OrgKind.PEOPLES_COMMITTEE)
        office = make_org("Văn phòng Tỉnh ủy", "VPTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
        units = [make_org(n, a, kind=OrgKind.INTERNAL_UNIT, parent=office) for n, a in PARTY_UNITS]
        units += [make_org(n, a, kind=OrgKind.PARTY_ADVISORY, parent=party) for n, a in BOARDS]
        units += [
            make_org(f"Huyện ủy {d}", f"HU-{i}", kind=OrgKind.PARTY_COMMITTEE, parent=party)
            for i, d in enumerate(DISTRICT_COMMITTEES)
        ]
        units += [make_org(n, a, kind=OrgKind.STATE_AGENCY, parent=ubnd) for n, a in DEPARTMENTS]
        units += [
            make_org(f"Ủy ban nhân dân huyện {d}", f"UBH-{i}", kind=OrgKind.PEOPLES_COMMITTEE, parent=ubnd)
            for i, d in enumerate(DISTRICT_COUNCILS)
        ]
        units.append(make_org("Văn phòng UBND tỉnh", "VPUB", kind=OrgKind.STATE_AGENCY, parent=ubnd))
        assert len(units) == 40, len(units)
        bodies = {"TU": party, "UBND": ubnd, "VPTU": office}
        for index, (name, _position, body, role) in enumerate(LEADERS):
            person = make_person(name, bodies[body])
            roles.grant_role(SYSTEM, person, bodies[body], Role(role))  # type: ignore[arg-type]
            if index == 0:
                make_account(person, "bench.leader")
        for index, unit in enumerate(units):
            head = make_person(_name(rng), unit)
            roles.grant_role(SYSTEM, head, unit, Role.HEAD)  # type: ignore[arg-type]
            for _ in range(2):
                specialist = make_person(_name(rng), unit)
                roles.grant_role(SYSTEM, specialist, unit, Role.SPECIALIST)  # type: ignore[arg-type]
            if unit.abbreviation == "SNV":
                make_account(head, "bench.head")
            del index
        clerk = make_person("Hoàng Thị Lan", units[0], clearance=1)
        roles.grant_role(SYSTEM, clerk, office, Role.CLERK)  # type: ignore[arg-type]
        make_account(clerk, "bench.clerk")
        with contextlib.suppress(ImportError):
            from vanphong.meetings.models import Room

            for name, body in ROOMS:
                Room.objects.create(body=bodies[body], name=name, capacity=120 if "Hội trường" in name else 30)
    abbreviations = (
        [a for _, a in PARTY_UNITS]
        + [a for _, a in BOARDS]
        + [f"HU-{i}" for i in range(len(DISTRICT_COMMITTEES))]
        + [a for _, a in DEPARTMENTS]
        + [f"UBH-{i}" for i in range(len(DISTRICT_COUNCILS))]
        + ["VPUB"]
    )
    by_abbreviation = {o.abbreviation: o for o in Organization.objects.filter(abbreviation__in=[*abbreviations])}
    units = [by_abbreviation[a] for a in abbreviations]
    leaders = [Person.objects.get(full_name=name) for name, *_ in LEADERS]
    unit_people: dict[int, list[Any]] = {}
    for person in Person.objects.filter(organization__in=units).order_by("id"):
        unit_people.setdefault(person.organization_id, []).append(person)
    rooms: list[Any] = []
    with contextlib.suppress(ImportError):
        from vanphong.meetings.models import Room

        rooms = list(Room.objects.order_by("id"))
    return Office(
        party=Organization.objects.get(abbreviation="TU"),
        ubnd=Organization.objects.get(abbreviation="UBND"),
        party_office=Organization.objects.get(abbreviation="VPTU"),
        units=units,
        leaders=leaders,
        unit_people=unit_people,
        rooms=rooms,
        clerk=Account.objects.get(username="bench.clerk"),
    )


@contextlib.contextmanager
def past_timestamps(*models: Any) -> Iterator[None]:
    """Let bulk_create keep the dates it is given for auto_now / auto_now_add fields (a loader only)."""
    switched = []
    for model in models:
        for field in model._meta.concrete_fields:
            for attr in ("auto_now", "auto_now_add"):
                if getattr(field, attr, False):
                    setattr(field, attr, False)
                    switched.append((field, attr))
    try:
        yield
    finally:
        for field, attr in switched:
            setattr(field, attr, True)


def _zipf(count: int, exponent: float = 0.9) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def _fill(rng: random.Random, template: str, year: int, **extra: str) -> str:
    values = {
        "topic": rng.choices(doc_corpus.TOPICS, weights=_zipf(len(doc_corpus.TOPICS), 1.1))[0],
        "ref": rng.choice(["Nghị quyết số 57-NQ/TW", "Kết luận số 01-KL/TW", "Chỉ thị số 05-CT/TW",
                           "Nghị quyết số 18-NQ/TW", "Nghị quyết số 68-NQ/TW"]),
        "district": rng.choice(doc_corpus.DISTRICTS),
        "commune": doc_corpus._place(rng),
        "year": str(year),
        "year5": str(year + 5),
        "small": str(rng.randint(2, 10)),
        "month": f"{rng.randint(1, 12):02d}",
        **extra,
    }  # fmt: skip
    return template.format(**values)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    from django.utils import timezone

    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def load_tasks(office: Office, year: int, count: int, today: datetime.date, rng: random.Random) -> int:
    """One year's tasks with their coordinating units, extensions, progress reports and timeline."""
    from vanphong.directives.models import ProgressReport, Task, TaskEvent, TaskExtension, TaskUnit

    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 31), today)
    days = (last - first).days + 1
    count = round(count * days / 365)
    unit_weights = _zipf(len(office.units))
    tasks: list[Any] = []
    extras: list[dict[str, Any]] = []
    for _ in range(count):
        assigned_on = _weekday(first + datetime.timedelta(days=rng.randrange(days)))
        if assigned_on > today:
            assigned_on = today
        leader_index = rng.choices(range(len(LEADERS)), weights=LEADER_WEIGHTS)[0]
        leader = office.leaders[leader_index]
        body = office.ubnd if LEADERS[leader_index][2] == "UBND" else office.party
        lead = rng.choices(office.units, weights=unit_weights)[0]
        people = office.unit_people[lead.pk]
        kind = rng.choices([k for k, _ in SOURCE_KINDS], weights=[w for _, w in SOURCE_KINDS])[0]
        source_title = SOURCES[kind].format(
            n=rng.randint(1, 999), date=f"{assigned_on:%d/%m/%Y}", leader=LEADERS[leader_index][0]
        )
        deadline: datetime.date | None = None
        original: datetime.date | None = None
        if rng.random() >= 0.05:
            deadline = assigned_on + datetime.timedelta(days=rng.choice((10, 15, 20, 30, 30, 45, 60, 90)))
            if rng.random() < 0.08:
                original, deadline = deadline, deadline + datetime.timedelta(days=rng.choice((15, 20, 30, 45)))
        state, completed_on, percent = "in_progress", None, rng.choice((10, 20, 30, 50, 70, 80))
        roll = rng.random()
        if roll < 0.01:
            state = "cancelled"
        elif deadline is None or deadline < today:
            if roll < 0.06 and deadline is not None:
                state = rng.choice(("in_progress", "in_progress", "returned", "assigned"))  # overdue
            elif roll < 0.21 and deadline is not None:
                completed_on = deadline + datetime.timedelta(days=rng.randint(1, 40))
            else:
                end = deadline or (assigned_on + datetime.timedelta(days=60))
                completed_on = assigned_on + datetime.timedelta(days=rng.randint(1, max(1, (end - assigned_on).days)))
            if completed_on is not None:
                if completed_on > today:
                    completed_on = None
                else:
                    state, percent = "completed", 100
        else:
            state = rng.choices(("assigned", "in_progress", "proposed"), weights=(25, 65, 10))[0]
            if state == "completed":
                percent = 100
        created = _at(assigned_on, rng.randint(7, 16), rng.randrange(60))
        handler = rng.choice(people[1:]) if rng.random() < 0.6 and len(people) > 1 else None
        coordinating = rng.sample([u for u in office.units if u.pk != lead.pk], k=rng.choice((0, 0, 1, 1, 2, 3)))
        reports = 0 if state == "assigned" else max(1, min(8, round(rng.gauss(4, 1.5))))
        tasks.append(
            Task(
                title=_fill(rng, rng.choice(TITLES), year)[:500],
                content="",
                source_kind=kind,
                source_title=source_title,
                assigned_by=leader,
                assigning_body=body,
                lead_unit=lead,
                handler=handler,
                deadline=deadline,
                original_deadline=original,
                priority=rng.choices(("normal", "high", "urgent"), weights=(80, 15, 5))[0],
                state=state,
                percent=percent,
                proposed_on=completed_on,
                completed_on=completed_on,
                created_at=created,
                updated_at=created,
            )
        )
        extras.append({"coordinating": coordinating, "reports": reports, "people": people, "assigned_on": assigned_on})
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    links, extensions, reports, events = [], [], [], []
    for task, extra in zip(tasks, extras, strict=True):
        links += [TaskUnit(task=task, unit=unit) for unit in extra["coordinating"]]
        events.append(TaskEvent(task=task, kind="assigned", at=task.created_at, actor=task.assigned_by))
        end = task.completed_on or min(today, task.deadline or today)
        span = max(1, (end - extra["assigned_on"]).days)
        last_report = None
        for n in range(extra["reports"]):
            day = extra["assigned_on"] + datetime.timedelta(days=span * (n + 1) // (extra["reports"] + 1))
            at = _at(min(day, today), 15, n)
            percent = min(100, task.percent * (n + 1) // extra["reports"]) if task.percent else 0
            author = rng.choice(extra["people"])
            text = rng.choice(REPORTS).format(n=rng.randint(2, 12))
            reports.append(
                ProgressReport(task=task, unit=task.lead_unit, author=author, text=text, percent=percent, created_at=at)
            )
            events.append(TaskEvent(task=task, kind="reported", at=at, actor=author, unit=task.lead_unit, note=text))
            last_report = at
        task.last_report_at = last_report
        if task.original_deadline is not None:
            asked = _at(min(today, task.original_deadline - datetime.timedelta(days=3)), 9)
            extensions.append(
                TaskExtension(
                    task=task,
                    old_deadline=task.original_deadline,
                    new_deadline=task.deadline,
                    reason="Khối lượng công việc lớn, cần thêm thời gian lấy ý kiến các sở, ngành.",
                    requested_by=extra["people"][0],
                    requested_at=asked,
                    state="approved",
                    decided_by=task.assigned_by,
                    decided_at=asked + datetime.timedelta(days=1),
                )
            )
            events.append(TaskEvent(task=task, kind="extension_approved", at=asked, actor=task.assigned_by))
        if task.completed_on is not None:
            events.append(TaskEvent(task=task, kind="accepted", at=_at(task.completed_on, 16), actor=task.assigned_by))
    TaskUnit.objects.bulk_create(links, batch_size=BATCH)
    TaskExtension.objects.bulk_create(extensions, batch_size=BATCH)
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    TaskEvent.objects.bulk_create(events, batch_size=BATCH)
    Task.objects.bulk_update([t for t in tasks if t.last_report_at], ["last_report_at"], batch_size=BATCH)
    return len(tasks)


def load_meetings(office: Office, year: int, count: int, today: datetime.date, rng: random.Random) -> int:
    """One year's meetings, their participants and their room bookings (never two in a room at once)."""
    from vanphong.meetings.models import Meeting, Participant, RoomBooking

    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 31), today + datetime.timedelta(days=14))
    days = (last - first).days + 1
    count = round(count * days / 365)
    everyone = [p for people in office.unit_people.values() for p in people]
    taken: set[tuple[int, datetime.date, int]] = set()  # (room, day, half-day)
    meetings, plans = [], []
    for _ in range(count):
        kind, template, body_key, _weight = rng.choices(MEETINGS, weights=[m[3] for m in MEETINGS])[0]
        body = office.party if body_key == "TU" else office.ubnd
        day = _weekday(first + datetime.timedelta(days=rng.randrange(days)))
        half = rng.choice((0, 1))
        rooms = [r for r in office.rooms if r.body_id == body.pk]
        free = [r for r in rooms if (r.pk, day, half) not in taken]
        room = rng.choice(free) if free and rng.random() < 0.9 else None
        if room is not None:
            taken.add((room.pk, day, half))
        starts = _at(day, 8 if half == 0 else 14, rng.choice((0, 0, 30)))
        ends = starts + datetime.timedelta(hours=rng.choice((2, 3, 3, 4)))
        unit = rng.choice(office.units)
        leader = office.leaders[rng.choice((0, 1)) if body_key == "TU" else rng.choice((2, 3, 4))]
        state = "convened" if starts.date() > today else ("cancelled" if rng.random() < 0.04 else "held")
        meetings.append(
            Meeting(
                body=body,
                kind=kind,
                title=_fill(rng, template, year, unit=unit.full_name)[:255],
                starts_at=starts,
                ends_at=ends,
                place="" if room is not None else f"Hội trường {unit.full_name}",
                presiding=leader,
                preparing_unit=office.party_office if body_key == "TU" else office.units[-1],
                state=state,
                created_by=office.clerk,
                created_at=starts - datetime.timedelta(days=7),
                updated_at=starts - datetime.timedelta(days=7),
            )
        )
        plans.append((room, leader, max(8, min(60, round(rng.gauss(25, 8))))))
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    participants, bookings = [], []
    for meeting, (room, leader, size) in zip(meetings, plans, strict=True):
        people = [leader, *rng.sample([p for p in everyone if p.pk != leader.pk], k=size - 3)]
        held = meeting.state == "held"
        for index, person in enumerate(people):
            answer = rng.choices(("accepted", "declined", "deputy", "pending"), weights=(85, 5, 7, 3))[0]
            participants.append(
                Participant(
                    meeting=meeting,
                    person=person,
                    role="presiding" if index == 0 else "member",
                    response=answer,
                    responded_at=meeting.created_at + datetime.timedelta(days=1) if answer != "pending" else None,
                    checked_in_at=meeting.starts_at if held and answer == "accepted" else None,
                )
            )
        for guest in range(2):
            participants.append(
                Participant(
                    meeting=meeting,
                    name=_name(rng),
                    title="Đại biểu khách mời",
                    organization_name=rng.choice(doc_corpus.SENDERS)[0],
                    role="invited",
                    response="accepted",
                    responded_at=meeting.created_at + datetime.timedelta(days=2),
                    checked_in_at=meeting.starts_at if held and guest == 0 else None,
                )
            )
        if room is not None:
            bookings.append(
                RoomBooking(
                    room=room,
                    starts_at=meeting.starts_at,
                    ends_at=meeting.ends_at,
                    meeting=meeting,
                    booked_by=office.clerk,
                    booked_at=meeting.created_at,
                    cancelled_at=meeting.created_at + datetime.timedelta(days=3)
                    if meeting.state == "cancelled"
                    else None,
                )
            )
    Participant.objects.bulk_create(participants, batch_size=BATCH)
    RoomBooking.objects.bulk_create(bookings, batch_size=BATCH)
    return len(meetings)


def has_meetings() -> bool:
    try:
        from vanphong.meetings.models import Meeting  # noqa: F401
    except ImportError:
        return False
    return True


def load(years: int, tasks_per_year: int, meetings_per_year: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from vanphong.directives.models import ProgressReport, Task, TaskEvent, TaskExtension

    office = ensure_office()
    if Task.objects.exists():
        print(f"corpus: {Task.objects.count()} tasks already loaded", file=sys.stderr)
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a bench loader may trade durability for speed
            cursor.execute("PRAGMA synchronous=OFF")
    today = timezone.localdate()
    models: list[Any] = [Task, ProgressReport, TaskEvent, TaskExtension]
    meetings = has_meetings() and bool(office.rooms)
    if meetings:
        from vanphong.meetings.models import Meeting, RoomBooking

        models += [Meeting, RoomBooking]
    began = time.monotonic()
    with past_timestamps(*models):
        for year in range(today.year - years + 1, today.year + 1):
            rng = random.Random(f"{seed}:{year}")
            with transaction.atomic():
                made = load_tasks(office, year, tasks_per_year, today, rng)
                held = load_meetings(office, year, meetings_per_year, today, rng) if meetings else 0
            print(f"corpus: {year}: {made} tasks, {held} meetings ({time.monotonic() - began:.0f} s)", file=sys.stderr)
    if not meetings:
        print("corpus: the meetings models are not there: tasks only", file=sys.stderr)
    with connection.cursor() as cursor:  # planner statistics, as autovacuum / PRAGMA optimize would give
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="default: SQLite in VANPHONG_DATA_DIR")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--tasks-per-year", type=int, default=3_000)
    parser.add_argument("--meetings-per-year", type=int, default=700)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    doc_corpus.setup_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load(args.years, args.tasks_per_year, args.meetings_per_year, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
