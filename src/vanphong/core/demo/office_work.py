"""The demo office at work: rooms and meetings, tasks, the weekly schedule, written consultations.

``vanphong demo`` calls :func:`build` after the documents (same transaction). Like the documents
(``documents/demo.py``, whose clock and scheduler this module reuses), every step is a service call made
on a simulated clock (``django.utils.timezone.now`` patched), so the timelines, the audit log and the
notices carry the moments of a few months of work, and the latest steps stop at the present:

- the Tỉnh ủy's rooms; the weekly meetings of the Ban Thường vụ, a Hội nghị Tỉnh ủy, working sessions
  with a commune and a department, an online conference with connected points, one cancelled meeting,
  with participants, their answers, check-in, minutes and conclusions; some conclusions become tasks;
- tasks from those conclusions, from a leader's direction on a document, from the Chánh Văn phòng, a
  monitored resolution (``Plan``) with targets across units, and a monthly report, taken to every status
  class (completed on time and late, overdue, extended, due soon, not yet due), with proposals and an
  extension waiting for the assigner;
- the weekly schedule of the Thường trực Tỉnh ủy: last week and this week published (this week revised),
  next week in draft, its events linked to the meetings;
- two written consultations of the Ban Thường vụ: one closed with its tally, one open.

The reminders jobs run once at the end, on the real clock. Random choices use ``random.Random(SEED)``.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Generator
from dataclasses import dataclass
from decimal import Decimal
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from vanphong.consultations import services as consultations
from vanphong.consultations.models import Consultation
from vanphong.core import workcalendar
from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person, Role, RoleGrant
from vanphong.directives import policy as directives_policy
from vanphong.directives import services as directives
from vanphong.directives.models import Task
from vanphong.documents import demo as documents_demo
from vanphong.documents.models import Assignment, AssignmentRole, AssignmentState, Direction, Document, Secrecy
from vanphong.meetings.models import Meeting, MeetingKind, ParticipantRole, Response, Room
from vanphong.meetings.services import conclusions as meeting_conclusions
from vanphong.meetings.services import meetings
from vanphong.meetings.services import rooms as room_services
from vanphong.notices import jobs as notice_jobs
from vanphong.notices.models import Notification
from vanphong.schedule import services as schedule
from vanphong.schedule.models import WeekSchedule

SEED = 2027
Story = Generator[datetime.datetime, None, None]
BTV = ("bithu", "phobithu", "chutich", "truongbantc", "truongbantgdv", "chunhiemubkt", "truongbannc")


class DemoWorkError(RuntimeError):
    """The office's work cannot be loaded (the demo office is missing, or its work is already there)."""


@dataclass(frozen=True)
class Summary:
    rooms: int
    meetings: int
    tasks: int
    schedules: int
    consultations: int
    notices: int


@dataclass
class _Conclusion:
    text: str
    leads: tuple[str, ...]  # unit keys (see _Builder.units)
    deadline: datetime.date
    fate: str  # what becomes of its tasks (see _Builder.task_story)
    coordinating: tuple[str, ...] = ()


@dataclass
class _Meeting:
    key: str
    kind: str
    title: str
    day: datetime.date
    start: tuple[int, int]
    hours: float
    room: str = ""  # a room key, or
    place: str = ""  # a place outside the rooms
    presiding: str = "bithu"
    members: tuple[str, ...] = BTV
    guests: tuple[str, ...] = ()  # usernames invited
    outsiders: tuple[tuple[str, str, str], ...] = ()  # (name, title, organisation) invited without an account
    points: tuple[str, ...] = ()  # connected points (commune Party committees, by name)
    agenda: tuple[tuple[str, str], ...] = ()  # (item, presenter)
    conclusions: tuple[_Conclusion, ...] = ()
    fate: str = "held"  # held, convened, draft, cancelled
    created_days_before: int = 5


@dataclass
class _Event:
    weekday: int  # 0 = Monday
    start: tuple[int, int]
    content: str
    place: str = ""
    presiding: tuple[str, ...] = ()
    attending: tuple[str, ...] = ()
    meeting: str = ""  # key of a demo meeting
    end: tuple[int, int] | None = None
    private: bool = False


ROOMS = (
    (
        "hall",
        "Hội trường lớn",
        "Nhà A",
        "1",
        300,
        "Sân khấu, màn hình LED, âm thanh hội nghị, hệ thống truyền hình trực tuyến",
    ),
    ("btv", "Phòng họp Ban Thường vụ", "Nhà A", "2", 40, "Màn hình, micro đại biểu, thiết bị họp trực tuyến"),
    ("floor3", "Phòng họp tầng 3", "Nhà B", "3", 20, "Màn hình, máy chiếu"),
    ("small", "Phòng khách số 1", "Nhà A", "1", 12, "Bàn tiếp khách"),
)

BTV_AGENDA = (
    (
        (
            "Cho ý kiến về Đề án sắp xếp, kiện toàn tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy",
            "Ban Tổ chức Tỉnh ủy",
        ),
        ("Nghe báo cáo tình hình kinh tế - xã hội tháng {month}", "Ban cán sự đảng UBND tỉnh"),
    ),
    (
        ("Cho ý kiến về công tác cán bộ", "Ban Tổ chức Tỉnh ủy"),
        ("Nghe báo cáo kết quả kiểm tra, giám sát quý", "Ủy ban Kiểm tra Tỉnh ủy"),
    ),
    (
        ("Cho ý kiến về dự thảo Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW", "Văn phòng Tỉnh ủy"),
        ("Nghe báo cáo tình hình giải ngân vốn đầu tư công", "Ban cán sự đảng UBND tỉnh"),
    ),
    (
        ("Cho ý kiến về công tác tư tưởng, dư luận xã hội", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        ("Nghe báo cáo công tác phòng, chống tham nhũng, lãng phí, tiêu cực", "Ban Nội chính Tỉnh ủy"),
    ),
)

CONCLUSION_TEXTS = {
    "vptu": "Văn phòng Tỉnh ủy tổng hợp ý kiến các đồng chí Ủy viên Ban Thường vụ, hoàn thiện dự thảo {topic}, "
    "trình Thường trực Tỉnh ủy.",
    "btctu": "Ban Tổ chức Tỉnh ủy chủ trì, phối hợp các cơ quan liên quan rà soát, tham mưu {topic}.",
    "btgdvtu": "Ban Tuyên giáo và Dân vận Tỉnh ủy định hướng công tác tuyên truyền về {topic}.",
    "ubkttu": "Ủy ban Kiểm tra Tỉnh ủy xây dựng kế hoạch kiểm tra, giám sát việc thực hiện {topic}.",
    "bnctu": "Ban Nội chính Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ kết quả {topic}.",
    "ubnd": "Ban cán sự đảng UBND tỉnh lãnh đạo, chỉ đạo các sở, ngành đẩy nhanh {topic}.",
    "xa": "Đảng ủy xã Hòa An xây dựng kế hoạch khắc phục hạn chế, báo cáo kết quả {topic}.",
    "snnmt": "Sở Nông nghiệp và Môi trường chủ trì tham mưu phương án {topic}.",
}
TOPICS = (
    "chuyển đổi số trong các cơ quan đảng",
    "sắp xếp tổ chức bộ máy sau hợp nhất",
    "giải ngân vốn đầu tư công năm 2026",
    "xây dựng nông thôn mới nâng cao",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "cải cách hành chính trong các cơ quan đảng",
    "công tác cán bộ cấp xã sau hợp nhất",
    "bảo vệ môi trường và xử lý rác thải sinh hoạt",
    "phòng, chống thiên tai mùa mưa bão",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
)
REPORTS = (
    "Đã xây dựng kế hoạch triển khai, phân công cán bộ theo dõi.",
    "Đã làm việc với các cơ quan phối hợp; đang tổng hợp số liệu.",
    "Đã hoàn thành dự thảo, đang lấy ý kiến các đơn vị liên quan.",
    "Đang hoàn thiện báo cáo theo ý kiến góp ý.",
)
REASONS = (
    "Chờ số liệu của các xã sau hợp nhất; đề nghị gia hạn để bảo đảm chất lượng báo cáo.",
    "Nội dung liên quan nhiều cơ quan, cần thêm thời gian lấy ý kiến thẩm định.",
)
CLOSED_CONSULTATION = (
    "Xin ý kiến Ban Thường vụ về Đề án sắp xếp các đơn vị sự nghiệp thuộc Tỉnh ủy",
    "Ban Tổ chức Tỉnh ủy trình Đề án sắp xếp các đơn vị sự nghiệp thuộc Tỉnh ủy (hợp nhất Trung tâm Chính trị "
    "các xã vào Trường Chính trị tỉnh). Đề nghị các đồng chí Ủy viên Ban Thường vụ cho ý kiến.",
)
OPEN_CONSULTATION = (
    "Xin ý kiến Ban Thường vụ về dự thảo Chương trình công tác năm 2027",
    "Văn phòng Tỉnh ủy trình dự thảo Chương trình công tác năm 2027 của Ban Chấp hành, Ban Thường vụ Tỉnh ủy. "
    "Đề nghị các đồng chí cho ý kiến trước thời hạn.",
)
POINTS = ("Đảng ủy xã Hòa An", "Đảng ủy xã Tân Phú", "Đảng ủy xã Lạc Sơn", "Đảng ủy xã Bình Minh", "Đảng ủy xã Phú Lộc")


class _Builder:
    def __init__(self, stdout: TextIOBase, now: datetime.datetime) -> None:
        self.out = stdout
        self.rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not a secret)
        self.tz = timezone.get_current_timezone()
        self.now = now
        self.today = timezone.localdate(now)
        self.calendar = workcalendar.calendar()
        self.actors: dict[str, Actor] = {}
        self.rooms: dict[str, Room] = {}
        self.meetings: dict[str, Meeting] = {}
        self.usernames: dict[int, str] = {}  # person pk -> username

    # --- people, units and days -------------------------------------------------------------------------

    def actor(self, username: str) -> Actor:
        if username not in self.actors:
            account = Account.objects.select_related("person__organization").filter(username=username).first()
            if account is None or account.person is None:
                raise DemoWorkError(f"the demo account {username!r} is missing: load the demo office first")
            self.actors[username] = Actor(account=account, source="web")
            self.usernames[account.person.pk] = username
        return self.actors[username]

    def person(self, username: str) -> Person:
        account = self.actor(username).account
        assert account is not None and account.person is not None  # noqa: S101 (checked in actor())
        return account.person

    def led(self, username: str) -> Organization:
        """The organisation ``username`` heads, leads or is deputy of (their own grant)."""
        grant = (
            RoleGrant.objects.filter(
                person=self.person(username),
                role__in=(Role.HEAD, Role.LEADER, Role.DEPUTY),
                revoked_at__isnull=True,
            )
            .select_related("organization")
            .order_by("pk")
            .first()
        )
        if grant is None:
            raise DemoWorkError(f"the demo person {username!r} leads nothing")
        return grant.organization

    def set_up_units(self) -> None:
        self.units = {
            key: self.led(username)
            for key, username in (
                ("tu", "bithu"),
                ("vptu", "chanhvp"),
                ("pth", "truongphong"),
                ("btctu", "truongbantc"),
                ("btgdvtu", "truongbantgdv"),
                ("ubkttu", "chunhiemubkt"),
                ("bnctu", "truongbannc"),
                ("ubnd", "chutich"),
                ("xa", "bithuxa"),
                ("snnmt", "giamdocsnnmt"),
            )
        }
        # Who answers for each unit's tasks (reports, proposes, asks for more time).
        self.heads = {
            "vptu": "chanhvp",
            "pth": "truongphong",
            "btctu": "truongbantc",
            "btgdvtu": "truongbantgdv",
            "ubkttu": "chunhiemubkt",
            "bnctu": "truongbannc",
            "ubnd": "chutich",
            "xa": "bithuxa",
            "snnmt": "giamdocsnnmt",
            "tu": "phobithu",
        }
        self.unit_keys = {org.pk: key for key, org in self.units.items()}

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)), self.tz)

    def around(self, day: datetime.date, earliest: float = 7.75, latest: float = 16.5) -> datetime.datetime:
        minutes = int(self.rng.uniform(earliest, latest) * 60)
        return self.at(day, minutes // 60, minutes % 60)

    def back(self, n: int, day: datetime.date | None = None) -> datetime.date:
        """The n-th working day before ``day`` (today by default)."""
        day = day or self.today
        while n > 0:
            day -= datetime.timedelta(days=1)
            if self.calendar.is_working_day(day):
                n -= 1
        return day

    def ahead(self, n: int, day: datetime.date | None = None) -> datetime.date:
        return self.calendar.add_working_days(day or self.today, n)

    def weekday_of(self, monday: datetime.date, weekday: int) -> datetime.date:
        return monday + datetime.timedelta(days=weekday)

    # --- rooms ----------------------------------------------------------------------------------------

    def rooms_story(self, start: datetime.datetime) -> Story:
        yield start
        organiser = self.actor("phobithu")  # the Thường trực's office runs the Tỉnh ủy's rooms
        for key, name, building, floor, capacity, equipment in ROOMS:
            self.rooms[key] = room_services.create_room(
                organiser,
                room_services.RoomData(
                    body=self.units["tu"],
                    name=name,
                    building=building,
                    floor=floor,
                    capacity=capacity,
                    equipment=equipment,
                ),
            )

    def booking_story(self, day: datetime.date) -> Story:
        """A room booked for something other than a meeting (a training), by the văn thư."""
        yield self.around(self.back(3, day), 9, 10)
        room_services.book(
            self.actor("vanthu"),
            self.rooms["floor3"],
            self.at(day, 14, 0),
            self.at(day, 16, 30),
            purpose="Tập huấn sử dụng phần mềm quản lý văn bản và hồ sơ công việc cho văn thư các ban đảng",
        )

    # --- meetings -------------------------------------------------------------------------------------

    def meeting_story(self, spec: _Meeting) -> Story:
        rng = self.rng
        created = self.around(min(self.back(spec.created_days_before, spec.day), self.back(1)), 8, 10)
        yield created
        organiser = self.actor("phobithu")
        secretary = self.person("chuyenvienchinh")
        starts = self.at(spec.day, *spec.start)
        ends = starts + datetime.timedelta(hours=spec.hours)
        meeting = meetings.create_meeting(
            organiser,
            meetings.MeetingData(
                body=self.units["tu"],
                kind=spec.kind,
                title=spec.title,
                starts_at=starts,
                ends_at=ends,
                room=self.rooms[spec.room] if spec.room else None,
                place=spec.place,
                presiding=self.person(spec.presiding),
                preparing_unit=self.units["vptu"],
                secretary=secretary,
            ),
        )
        self.meetings[spec.key] = meeting
        for item, presenter in spec.agenda:
            meetings.add_agenda_item(organiser, meeting, title=item, presenter=presenter)
        for username in dict.fromkeys((*spec.members, *spec.guests)):
            if username == spec.presiding:
                continue
            role = ParticipantRole.MEMBER if username in spec.members else ParticipantRole.INVITED
            meetings.add_participant(
                organiser, meeting, meetings.ParticipantData(person=self.person(username), role=role)
            )
        for name, title, organisation in spec.outsiders:
            meetings.add_participant(
                organiser,
                meeting,
                meetings.ParticipantData(
                    name=name, title=title, organization_name=organisation, role=ParticipantRole.INVITED
                ),
            )
        for point in spec.points:
            meetings.add_connected_point(organiser, meeting, name=point, place=f"Hội trường {point}")
        if spec.fate == "draft":
            return
        yield created + datetime.timedelta(minutes=rng.randint(30, 90))
        meeting = meetings.convene(organiser, meeting)
        # The invited with an account answer over the next days; about one in ten declines or sends a deputy.
        answers: list[tuple[str, str]] = []
        for participant in meeting.participants.select_related("person").order_by("pk"):
            answering = self.usernames.get(participant.person_id or 0)
            if participant.person_id is not None and answering is None:
                answering = self.username_of(participant.person_id)
            if answering is None or participant.role == ParticipantRole.SECRETARY:
                continue
            roll = rng.random()
            choice: str = Response.ACCEPTED
            if roll < 0.08:
                choice = Response.DECLINED
            elif roll < 0.16:
                choice = Response.DEPUTY
            answers.append((answering, choice))
        answer_days = max(1, spec.created_days_before - 1)
        for username, choice in answers:
            yield self.around(self.ahead(rng.randint(0, answer_days - 1), timezone.localdate(created)))
            participant = meeting.participants.get(person=self.person(username))
            meetings.respond(
                self.actor(username),
                participant,
                response=choice,
                reason="Trùng lịch công tác tại Trung ương." if choice == Response.DECLINED else "",
                deputy_name="Đồng chí Phó Trưởng ban phụ trách" if choice == Response.DEPUTY else "",
            )
        if spec.fate == "cancelled":
            yield self.around(self.back(1, spec.day), 14, 16)
            meetings.cancel(
                organiser,
                meeting,
                reason="Thường trực Tỉnh ủy có lịch làm việc đột xuất với đoàn công tác của Trung ương; "
                "lùi sang tuần sau.",
            )
            return
        if spec.fate == "convened":
            return
        yield starts - datetime.timedelta(minutes=20)
        clerk = self.actor("chuyenvienchinh")
        for participant in meeting.participants.order_by("pk"):
            if (
                participant.response in (Response.ACCEPTED, Response.DEPUTY)
                or participant.role
                in (
                    ParticipantRole.PRESIDING,
                    ParticipantRole.SECRETARY,
                )
                or (participant.person_id is None and rng.random() < 0.9)
            ):
                meetings.check_in(clerk, participant)
        yield ends
        meetings.mark_held(organiser, meeting)
        yield self.around(self.ahead(1, spec.day), 8, 11)
        agenda = "; ".join(item for item, _presenter in spec.agenda) or spec.title
        meetings.record_minutes(
            clerk,
            meeting,
            text=(
                f"Biên bản {spec.title}.\nThời gian: {starts:%H giờ %M} ngày {spec.day:%d/%m/%Y}.\n"
                f"Nội dung: {agenda}.\nCác đại biểu thảo luận, thống nhất các nội dung; đồng chí chủ trì kết luận."
            ),
        )
        made = []
        for conclusion in spec.conclusions:
            made.append(
                meeting_conclusions.add_conclusion(
                    clerk,
                    meeting,
                    meeting_conclusions.ConclusionData(
                        text=conclusion.text,
                        lead_units=[self.units[k] for k in conclusion.leads],
                        coordinating_units=[self.units[k] for k in conclusion.coordinating],
                        deadline=conclusion.deadline,
                    ),
                )
            )
        chosen = [(c, wanted) for c, wanted in zip(made, spec.conclusions, strict=True) if wanted.fate != "none"]
        if not chosen:
            return
        yield self.around(self.ahead(1, timezone.localdate(timezone.now())), 8, 10)
        tasks = meeting_conclusions.assign_tasks(self.actor(spec.presiding), meeting, [c for c, _wanted in chosen])
        fates = {c.source_ref: wanted.fate for c, wanted in chosen}
        for task in tasks:
            self.scheduler.spawn(self.task_story(task, fates[task.source_ref]))

    def username_of(self, person_id: int) -> str | None:
        account = Account.objects.filter(person_id=person_id, is_active=True).order_by("pk").first()
        if account is None:
            return None
        self.actor(account.username)
        return account.username

    # --- tasks ----------------------------------------------------------------------------------------

    def head_of(self, task: Task) -> Actor:
        key = self.unit_keys.get(task.lead_unit_id)
        if key is None:
            raise DemoWorkError(f"no demo head for {task.lead_unit}")
        return self.actor(self.heads[key])

    def assigner_of(self, task: Task) -> Actor:
        if task.assigned_by_id is None:
            raise DemoWorkError("a demo task has no assigner")
        username = self.usernames.get(task.assigned_by_id) or self.username_of(task.assigned_by_id)
        if username is None:
            raise DemoWorkError("a demo task's assigner has no account")
        return self.actor(username)

    def report(self, actor: Actor, task: Task, percent: int, **values: Decimal) -> None:
        targets = {t.pk: values[t.name] for t in task.targets.all() if t.name in values}
        directives.report_progress(
            actor, task, directives.ReportData(text=self.rng.choice(REPORTS), percent=percent, target_values=targets)
        )

    def by(self, day: datetime.date, earliest: float = 7.75, latest: float = 16.5) -> datetime.datetime:
        """A moment on ``day``, or on the last working day before today if ``day`` is not yet past."""
        return self.around(min(day, self.back(1)), earliest, latest)

    def later(self, hours: float) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(minutes=int(hours * 60))

    def task_story(self, task: Task, fate: str, *, reporter: Actor | None = None) -> Story:
        """Take ``task`` towards ``fate``: on_time, late, overdue, extended, progress or due (open, reported),
        proposed (waiting for the assigner), returned, extension_pending, idle (nothing reported).
        Steps that would fall today or later are moved to the last working day before today."""
        rng = self.rng
        deadline = task.deadline
        if deadline is None or fate == "idle":
            return
        start = timezone.localdate(timezone.now())
        head = reporter or self.head_of(task)
        assigner = self.assigner_of(task)
        span = max(1, self.calendar.working_days_between(start, deadline)) if deadline > start else 1
        yield self.by(self.ahead(max(1, span // 3), start))
        task.refresh_from_db()
        self.report(head, task, rng.choice((20, 30, 40)))
        if fate == "overdue":
            yield self.by(self.ahead(max(1, span * 2 // 3), start))
            self.report(head, task, rng.choice((50, 60)))
            return
        if fate in ("extended", "extension_pending"):
            yield self.by(self.back(rng.randint(1, 2), deadline)) if fate == "extended" else self.by(self.today)
            extension = directives.request_extension(
                head,
                task,
                new_deadline=max(deadline, self.today) + datetime.timedelta(days=rng.randint(14, 21)),
                reason=rng.choice(REASONS),
            )
            if fate == "extension_pending":
                return
            yield self.later(rng.uniform(1, 3))
            directives.decide_extension(assigner, extension, approve=True, comment="Đồng ý gia hạn.")
            yield self.by(self.ahead(2, timezone.localdate(timezone.now())))
            self.report(head, task, 70)
            return
        if fate in ("progress", "due"):
            return
        if fate == "late":
            yield self.by(self.ahead(rng.randint(2, 4), deadline))
        elif fate == "proposed":
            yield self.by(self.today, 8, 11)
        elif fate == "returned":
            yield self.by(self.back(2))
        else:
            yield self.by(self.back(rng.randint(0, min(2, span - 1)), deadline) if span > 1 else deadline)
        task.refresh_from_db()
        self.report(head, task, 100)
        directives.propose_completion(head, task, note="Đã hoàn thành, gửi kèm báo cáo kết quả.")
        if fate == "proposed":
            return
        yield self.later(rng.uniform(1, 4))
        if fate == "returned":
            directives.return_task(
                assigner,
                task,
                comment="Đề nghị bổ sung số liệu của các xã sau hợp nhất và đánh giá nguyên nhân hạn chế.",
            )
            yield self.by(self.today)
            self.report(head, task, 85)
            return
        directives.accept_completion(assigner, task, note="Đồng ý kết quả thực hiện.")

    def office_tasks_story(self, first: datetime.date) -> Story:
        """What the Chánh Văn phòng gives Phòng Tổng hợp, passed on to its specialists."""
        yield self.around(first, 8, 9)
        chief, head = self.actor("chanhvp"), self.actor("truongphong")
        pth, vptu = self.units["pth"], self.units["vptu"]
        plan = (
            (
                "Rà soát, cập nhật danh mục hồ sơ, tài liệu nộp lưu năm 2026 của Văn phòng Tỉnh ủy",
                self.back(4),
                "overdue",
                "chuyenvien",
            ),
            (
                "Tổng hợp báo cáo kết quả công tác năm 2026 của Văn phòng Tỉnh ủy",
                self.ahead(3),
                "progress",
                "chuyenvienchinh",
            ),
            (
                "Xây dựng dự thảo Quy chế làm việc của Văn phòng Tỉnh ủy nhiệm kỳ 2025 - 2030",
                self.ahead(2),
                "extended",
                "chuyenvienchinh",
            ),
            (
                "Tham mưu Chương trình công tác năm 2027 của Ban Thường vụ Tỉnh ủy",
                self.ahead(20),
                "progress",
                "chuyenvien",
            ),
            ("Cập nhật số liệu chuyển đổi số phục vụ giao ban quý IV/2026", self.ahead(4), "proposed", ""),
            (
                "Chuẩn bị tài liệu Hội nghị Ban Chấp hành Đảng bộ tỉnh cuối năm 2026",
                self.ahead(6),
                "extension_pending",
                "",
            ),
            ("Dự thảo báo cáo sơ kết công tác văn thư, lưu trữ năm 2026", self.ahead(5), "returned", ""),
            (
                "Tổng hợp kết quả thực hiện các kết luận của Thường trực Tỉnh ủy quý III/2026",
                self.back(25),
                "on_time",
                "chuyenvien",
            ),
            ("Báo cáo tình hình tiếp nhận, xử lý văn bản đến tháng 10/2026", self.back(18), "late", "chuyenvien"),
        )
        spawned: list[tuple[Task, str, str]] = []
        for title, deadline, fate, handler in plan:
            if deadline <= timezone.localdate(timezone.now()):
                deadline = self.ahead(8, timezone.localdate(timezone.now()))
            task = directives.assign_task(
                chief,
                directives.TaskData(
                    title=title,
                    content=f"Giao Phòng Tổng hợp chủ trì thực hiện: {title[0].lower()}{title[1:]}.",
                    lead_unit=pth,
                    deadline=deadline,
                    assigning_body=vptu,
                    priority="high" if fate in ("overdue", "extension_pending") else "normal",
                ),
            )
            spawned.append((task, fate, handler))
        yield self.around(self.ahead(1, first), 8, 10)
        for task, fate, handler in spawned:
            reporter = head
            if handler:
                child = directives.break_down(
                    head,
                    task,
                    title=f"Chuẩn bị nội dung: {task.title}",
                    handler=self.person(handler),
                    deadline=self.back(1, task.deadline) if task.deadline else None,
                )
                # The parts end done, overdue with their task, or (for the head's baskets) proposed to him or
                # waiting for his decision on more time.
                part = {"overdue": "overdue", "progress": "proposed"}.get(fate, "on_time")
                if fate == "progress" and handler == "chuyenvienchinh":
                    part = "extension_pending"
                self.scheduler.spawn(self.task_story(child, part, reporter=self.actor(handler)))
            self.scheduler.spawn(self.task_story(task, fate, reporter=reporter))
        # One cancelled: the survey was merged into another task.
        task = directives.assign_task(
            chief,
            directives.TaskData(
                title="Khảo sát mô hình một cửa liên thông tại các Đảng ủy xã",
                content="Khảo sát, đề xuất mô hình tiếp nhận, trả kết quả văn bản tại các Đảng ủy xã.",
                lead_unit=pth,
                deadline=self.ahead(15, first),
                assigning_body=vptu,
            ),
        )
        yield self.around(self.ahead(3, first))
        directives.cancel_task(chief, task, reason="Nội dung đã lồng ghép vào nhiệm vụ tổng hợp báo cáo năm 2026.")

    def monthly_story(self, first_due: datetime.date) -> Story:
        """The monthly report of the office: each month proposed and accepted (one month late)."""
        yield self.around(self.back(8, first_due), 8, 10)
        chief, head = self.actor("chanhvp"), self.actor("truongphong")
        task = directives.assign_task(
            chief,
            directives.TaskData(
                title="Báo cáo tình hình thực hiện nhiệm vụ tháng của Văn phòng Tỉnh ủy",
                content="Báo cáo kết quả tháng, nhiệm vụ trọng tâm tháng tới; gửi Chánh Văn phòng trước ngày 25.",
                lead_unit=self.units["pth"],
                deadline=first_due,
                recurrence="monthly",
                assigning_body=self.units["vptu"],
            ),
        )
        month = 0
        while True:
            due = task.deadline
            assert due is not None  # noqa: S101 (a recurring task always has one)
            late = month == 2
            yield self.around(self.ahead(2, due) if late else self.back(1, due), 9, 15)
            task.refresh_from_db()
            self.report(head, task, 100)
            directives.propose_completion(head, task)
            yield self.around(self.ahead(1, timezone.localdate(timezone.now())))
            directives.accept_completion(chief, task)
            following = Task.objects.filter(series=task.series or task).order_by("-deadline").first()
            if following is None or following.pk == task.pk:
                return
            task = following
            month += 1

    def directions(self) -> list[tuple[Assignment, str]]:
        """Leaders' directions on incoming documents of the Party office that become tasks: the latest one
        still being handled (followed as a task), and an older one already done (its task completed)."""
        base = Assignment.objects.filter(
            role=AssignmentRole.LEAD,
            unit=self.units["pth"],
            document__direction=Direction.INCOMING,
            document__secrecy=Secrecy.NONE,
            document__directed_by__isnull=False,
        ).select_related("document")
        found = []
        handling = (
            base.filter(state__in=(AssignmentState.OPEN, AssignmentState.HANDLING))
            .filter(assigned_at__lte=self.now - datetime.timedelta(days=2))
            .order_by("-assigned_at")
            .first()
        )
        if handling is not None:
            found.append((handling, "progress"))
        done = (
            base.filter(state=AssignmentState.DONE, assigned_at__lte=self.now - datetime.timedelta(days=25))
            .order_by("-assigned_at")
            .first()
        )
        if done is not None:
            found.append((done, "on_time"))
        return found

    def direction_story(self, assignment: Assignment, fate: str) -> Story:
        """A task from a leader's direction on a document, made by the Chánh Văn phòng."""
        yield assignment.assigned_at + datetime.timedelta(hours=1)
        task = directives.task_from_direction(
            self.actor("chanhvp"),
            assignment,
            directives.TaskData(
                title=f"Tham mưu xử lý văn bản: {assignment.document.abstract}"[:480],
                content="Theo ý kiến chỉ đạo của lãnh đạo Văn phòng trên văn bản đến.",
                lead_unit=self.units["pth"],
                deadline_days=10,
            ),
        )
        self.scheduler.spawn(self.task_story(task, fate))

    def plan_story(self, start: datetime.date) -> Story:
        """A resolution the Tỉnh ủy monitors across units, with targets reported each month."""
        yield self.around(start, 8, 10)
        # The documents year brings the Party office papers on Nghị quyết 57-NQ/TW; the first one is the source.
        party_incoming = Document.objects.filter(
            direction=Direction.INCOMING,
            register__organization=self.units["vptu"],
            secrecy=Secrecy.NONE,
            arrived_at__lte=timezone.now(),
        ).order_by("arrived_at", "pk")
        source = (
            party_incoming.filter(abstract__icontains="57-NQ/TW").first()
            or party_incoming.filter(abstract__icontains="Nghị quyết").first()
        )
        leader = self.actor("bithu")
        plan = directives.create_plan(
            leader,
            directives.PlanData(
                title="Chương trình hành động của Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá "
                "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                assigning_body=self.units["tu"],
                source_document=source,
            ),
        )
        deadline = max(datetime.date(self.today.year, 12, 31), self.today + datetime.timedelta(days=20))
        parts = (
            (
                "ubnd",
                "Xây dựng chính quyền số, dịch vụ công trực tuyến toàn trình",
                (
                    ("Tỷ lệ thủ tục hành chính được cung cấp trực tuyến toàn trình", "%", 80),
                    ("Tỷ lệ hồ sơ giải quyết trực tuyến", "%", 60),
                ),
            ),
            (
                "vptu",
                "Chuyển đổi số trong các cơ quan đảng của tỉnh",
                (
                    ("Tỷ lệ văn bản điện tử gửi, nhận qua mạng", "%", 95),
                    ("Số hồ sơ công việc lập trên môi trường mạng", "hồ sơ", 1200),
                ),
            ),
            (
                "btgdvtu",
                "Tuyên truyền, nâng cao nhận thức về khoa học, công nghệ và chuyển đổi số",
                (("Số lớp quán triệt, bồi dưỡng", "lớp", 12),),
            ),
            (
                "btctu",
                "Đào tạo, bồi dưỡng nhân lực số trong hệ thống chính trị",
                (("Số cán bộ được bồi dưỡng kỹ năng số", "người", 2500),),
            ),
            ("xa", "Chuyển đổi số cấp xã sau hợp nhất", (("Số tổ công nghệ số cộng đồng", "tổ", 24),)),
        )
        tasks = directives.assign_tasks(
            leader,
            [
                directives.TaskData(
                    title=title,
                    content=f"{title} theo Chương trình hành động; báo cáo định kỳ hằng quý.",
                    lead_unit=self.units[key],
                    coordinating_units=[self.units["vptu"]] if key != "vptu" else [],
                    deadline=deadline,
                    plan=plan,
                    source_kind="resolution",
                    source_document=source,
                    targets=[directives.TargetData(name=n, unit_of_measure=u, target_value=v) for n, u, v in targets],
                )
                for key, title, targets in parts
            ],
        )
        for step in range(1, 4):
            yield self.around(start + datetime.timedelta(days=30 * step))
            for task in tasks:
                task.refresh_from_db()
                values = {
                    t.name: Decimal(int(t.target_value * Decimal(step * self.rng.uniform(0.2, 0.3))))
                    for t in task.targets.all()
                }
                self.report(self.head_of(task), task, min(95, step * 25 + self.rng.randint(0, 10)), **values)

    # --- the weekly schedule ----------------------------------------------------------------------------

    def week_events(self, monday: datetime.date) -> list[_Event]:
        rng = random.Random(monday.toordinal())  # noqa: S311 (repeatable demo data)
        events = [
            _Event(
                0,
                (7, 30),
                "Giao ban Thường trực Tỉnh ủy",
                "Phòng họp Ban Thường vụ",
                ("bithu",),
                ("phobithu", "chutich", "chanhvp"),
            ),
            _Event(2, (14, 0), "Tiếp công dân định kỳ", "Trụ sở Tiếp công dân tỉnh", ("bithu",), ("truongbannc",)),
            _Event(
                3,
                (8, 0),
                f"Làm việc với Đảng ủy {rng.choice(('xã Hòa An', 'xã Tân Phú', 'xã Lạc Sơn'))} về {rng.choice(TOPICS)}",
                "Trụ sở Đảng ủy xã",
                ("phobithu",),
                ("truongbantc",),
            ),
            _Event(4, (8, 0), "Làm việc tại cơ quan", "", ("bithu",), (), private=True),
            _Event(
                4,
                (14, 0),
                "Nghe Văn phòng Tỉnh ủy báo cáo chương trình công tác tuần tới",
                "Phòng họp tầng 3",
                ("phobithu",),
                ("chanhvp", "phochanhvp"),
            ),
        ]
        for key, meeting in self.meetings.items():
            local = timezone.localtime(meeting.starts_at)
            if monday <= local.date() <= monday + datetime.timedelta(days=6) and meeting.state != "cancelled":
                end = timezone.localtime(meeting.ends_at)
                events.append(
                    _Event(
                        local.weekday(),
                        (local.hour, local.minute),
                        meeting.title,
                        meetings.place_of(meeting) or meeting.place,
                        ("bithu",),
                        ("phobithu", "chutich"),
                        meeting=key,
                        end=(end.hour, end.minute),
                    )
                )
        return events

    def event_data(self, week: WeekSchedule, event: _Event) -> schedule.EventData:
        return schedule.EventData(
            day=self.weekday_of(week.monday, event.weekday),
            start=datetime.time(*event.start),
            end=datetime.time(*event.end) if event.end else None,
            content=event.content,
            place=event.place,
            presiding=[self.person(u) for u in event.presiding],
            attending=[self.person(u) for u in event.attending],
            preparing_unit=self.units["vptu"],
            meeting=self.meetings.get(event.meeting) if event.meeting else None,
            private=event.private,
        )

    def week_story(self, monday: datetime.date, fate: str) -> Story:
        """fate: "published" (last week, one revision), "revised" (this week, revisions 1–3), "draft"."""
        drafted = self.around(min(monday - datetime.timedelta(days=4), self.back(1)), 8, 9)  # the Thursday before
        yield drafted
        drafter, chief = self.actor("chuyenvienchinh"), self.actor("chanhvp")
        year, week, _day = monday.isocalendar()
        sheet = schedule.create_week(
            drafter,
            schedule.WeekData(
                body=self.units["tu"],
                office=self.units["vptu"],
                year=year,
                week=week,
                title="Lịch công tác tuần của Thường trực Tỉnh ủy",
            ),
        )
        events = [schedule.add_event(drafter, sheet, self.event_data(sheet, e)) for e in self.week_events(monday)]
        if fate == "draft":
            return
        yield drafted + datetime.timedelta(hours=3)
        schedule.submit(drafter, sheet)
        yield self.around(monday - datetime.timedelta(days=3), 9, 11)  # Friday morning
        schedule.publish(chief, sheet, note="Ban hành lịch công tác tuần.")
        yield self.around(monday - datetime.timedelta(days=3), 15, 16.5)  # Friday afternoon: a change
        moved = events[1]
        data = self.event_data(sheet, _Event(2, (15, 0), moved.content, moved.place, ("phobithu",), ("truongbannc",)))
        schedule.change_event(drafter, moved, data)
        schedule.publish(chief, sheet, note="Điều chỉnh: đồng chí Phó Bí thư Thường trực tiếp công dân thay.")
        if fate != "revised":
            return
        yield self.around(monday - datetime.timedelta(days=3), 16.6, 16.9)
        schedule.add_event(
            drafter,
            sheet,
            self.event_data(
                sheet,
                _Event(
                    1,
                    (14, 0),
                    "Tiếp và làm việc với Đoàn công tác của Ban Tổ chức Trung ương",
                    "Phòng khách số 1",
                    ("bithu",),
                    ("truongbantc", "chanhvp"),
                ),
            ),
        )
        schedule.publish(chief, sheet, note="Bổ sung lịch tiếp Đoàn công tác của Ban Tổ chức Trung ương.")
        yield self.around(monday, 8, 10)  # during the week (dropped if that is still ahead)
        # The working visit to a commune is put off; the week's meetings stay on it whatever the weekday.
        schedule.remove_event(drafter, events[2])
        schedule.publish(chief, sheet, note="Điều chỉnh do thay đổi lịch công tác.")

    # --- written consultations --------------------------------------------------------------------------

    def consultation_story(self, opened: datetime.date, days: int, answered: int, *, close: bool) -> Story:
        yield self.around(opened, 8, 9)
        organiser = self.actor("chuyenvienchinh")
        members = [self.person(u) for u in BTV]
        title, question = CLOSED_CONSULTATION if close else OPEN_CONSULTATION
        deadline = self.at(self.ahead(days, opened), 17, 0)
        consultation = consultations.create(
            organiser,
            consultations.ConsultationData(body=self.units["tu"], title=title, question=question, deadline=deadline),
            members=members,
        )
        yield self.around(opened, 9.5, 10.5)
        consultations.open_consultation(organiser, consultation)
        choices = ["agree"] * (answered - 1) + ["other"]
        for username, choice in zip(BTV[1:] + BTV[:1], choices, strict=False):
            yield self.by(self.ahead(self.rng.randint(0, max(0, days - 1)), opened))
            consultations.answer(
                self.actor(username),
                consultation,
                choice=choice,
                comment="Đề nghị làm rõ lộ trình và kinh phí thực hiện." if choice == "other" else "",
            )
        if not close:
            return
        yield deadline + datetime.timedelta(hours=16)
        consultations.close(
            self.actor("phobithu"),
            consultation,
            conclusion="Đa số Ủy viên Ban Thường vụ đồng ý; giao Ban Tổ chức Tỉnh ủy hoàn thiện Đề án, "
            "trình ký ban hành.",
        )

    # --- the whole --------------------------------------------------------------------------------------

    def meeting_plan(self) -> list[_Meeting]:
        """The meetings of the last weeks, this week and next week."""
        this_monday = self.today - datetime.timedelta(days=self.today.weekday())
        specs: list[_Meeting] = []
        fates = ["on_time", "late", "overdue", "extended", "progress", "on_time", "due", "late", "idle"]
        for n in range(8, 0, -1):
            day = self.calendar.next_working_day(this_monday - datetime.timedelta(days=7 * n - 1), include_today=True)
            topic = TOPICS[n % len(TOPICS)]
            agenda = tuple((item.format(month=day.month), who) for item, who in BTV_AGENDA[n % len(BTV_AGENDA)])
            leads = ("vptu", "btctu", "btgdvtu", "ubkttu", "bnctu", "ubnd")
            conclusions = []
            for i in range(2):
                key = leads[(n + i * 3) % len(leads)]
                fate = fates[(n + i) % len(fates)]
                deadline = self.deadline_for(day, fate)
                conclusions.append(_Conclusion(CONCLUSION_TEXTS[key].format(topic=topic), (key,), deadline, fate))
            if n % 4 == 0:
                conclusions[-1] = dataclass_replace(conclusions[-1], fate="none")
            specs.append(
                _Meeting(
                    f"btv-{n}",
                    MeetingKind.STANDING_COMMITTEE,
                    f"Hội nghị Ban Thường vụ Tỉnh ủy ngày {day:%d/%m/%Y}",
                    day,
                    (8, 0),
                    3.5,
                    room="btv",
                    agenda=agenda,
                    guests=("chanhvp",),
                    conclusions=tuple(conclusions),
                )
            )
        big = self.calendar.next_working_day(this_monday - datetime.timedelta(days=40), include_today=True)
        specs.append(
            _Meeting(
                "bch",
                MeetingKind.COMMITTEE_CONFERENCE,
                "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 5 (mở rộng)",
                big,
                (7, 30),
                9,
                room="hall",
                members=(*BTV, "chanhvp"),
                guests=("chutichhdnd", "chutichmttq", "bithutinhdoan", "giamdocsnv", "giamdocstc", "bithuxa"),
                agenda=(
                    (
                        "Đánh giá tình hình thực hiện nhiệm vụ 9 tháng, phương hướng quý IV năm 2026",
                        "Văn phòng Tỉnh ủy",
                    ),
                    ("Cho ý kiến về Chương trình hành động thực hiện Nghị quyết số 57-NQ/TW", "Văn phòng Tỉnh ủy"),
                ),
                conclusions=(
                    _Conclusion(
                        CONCLUSION_TEXTS["ubnd"].format(topic="giải ngân vốn đầu tư công năm 2026"),
                        ("ubnd",),
                        self.deadline_for(big, "late"),
                        "late",
                        ("vptu",),
                    ),
                    _Conclusion(
                        CONCLUSION_TEXTS["btctu"].format(topic="công tác cán bộ cấp xã sau hợp nhất"),
                        ("btctu",),
                        self.deadline_for(big, "overdue"),
                        "overdue",
                    ),
                    _Conclusion(
                        CONCLUSION_TEXTS["vptu"].format(topic="báo cáo chính trị tổng kết năm"),
                        ("vptu",),
                        self.deadline_for(big, "extended"),
                        "extended",
                    ),
                ),
                created_days_before=10,
            )
        )
        xa_day = self.calendar.next_working_day(this_monday - datetime.timedelta(days=26), include_today=True)
        specs.append(
            _Meeting(
                "xa",
                MeetingKind.WORKING_SESSION,
                "Thường trực Tỉnh ủy làm việc với Ban Thường vụ Đảng ủy xã Hòa An",
                xa_day,
                (8, 0),
                3,
                place="Hội trường Đảng ủy xã Hòa An",
                presiding="phobithu",
                members=("phobithu", "truongbantc", "chanhvp"),
                guests=("bithuxa", "chutichxa"),
                agenda=(("Nghe báo cáo kết quả vận hành chính quyền địa phương hai cấp", "Đảng ủy xã Hòa An"),),
                conclusions=(
                    _Conclusion(
                        CONCLUSION_TEXTS["xa"].format(topic="vận hành chính quyền địa phương hai cấp"),
                        ("xa",),
                        self.deadline_for(xa_day, "on_time"),
                        "on_time",
                    ),
                ),
            )
        )
        online = self.calendar.next_working_day(this_monday - datetime.timedelta(days=19), include_today=True)
        specs.append(
            _Meeting(
                "online",
                MeetingKind.ONLINE_CONFERENCE,
                "Hội nghị trực tuyến quán triệt, triển khai Nghị quyết số 57-NQ/TW đến các Đảng ủy xã",
                online,
                (14, 0),
                3,
                room="hall",
                members=("bithu", "phobithu", "truongbantgdv", "chanhvp"),
                guests=("bithuxa",),
                points=POINTS,
                agenda=(("Quán triệt nội dung Nghị quyết", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),),
            ),
        )
        dept = self.calendar.next_working_day(this_monday - datetime.timedelta(days=12), include_today=True)
        specs.append(
            _Meeting(
                "snnmt",
                MeetingKind.WORKING_SESSION,
                "Thường trực Tỉnh ủy làm việc với Sở Nông nghiệp và Môi trường",
                dept,
                (14, 0),
                2.5,
                room="floor3",
                presiding="phobithu",
                members=("phobithu", "chanhvp"),
                guests=("giamdocsnnmt", "phogiamdocsnnmt"),
                outsiders=(("Trần Văn Sơn", "Chi cục trưởng", "Chi cục Thủy lợi"),),
                agenda=(("Tình hình khắc phục hậu quả mưa lũ và sản xuất vụ Đông", "Sở Nông nghiệp và Môi trường"),),
                conclusions=(
                    _Conclusion(
                        CONCLUSION_TEXTS["snnmt"].format(topic="phòng, chống thiên tai mùa mưa bão"),
                        ("snnmt",),
                        self.ahead(4),
                        "progress",
                        ("ubnd",),
                    ),
                ),
            )
        )
        specs.append(
            _Meeting(
                "syt",
                MeetingKind.WORKING_SESSION,
                "Thường trực Tỉnh ủy làm việc với Sở Y tế",
                self.calendar.next_working_day(this_monday - datetime.timedelta(days=5), include_today=True),
                (8, 0),
                2,
                room="floor3",
                presiding="phobithu",
                members=("phobithu", "chanhvp"),
                guests=("giamdocsyt",),
                fate="cancelled",
            )
        )
        # This week and next.
        this_btv = self.calendar.next_working_day(this_monday, include_today=False)
        specs.append(
            _Meeting(
                "btv-now",
                MeetingKind.STANDING_COMMITTEE,
                f"Hội nghị Ban Thường vụ Tỉnh ủy ngày {this_btv:%d/%m/%Y}",
                this_btv,
                (8, 0),
                3.5,
                room="btv",
                guests=("chanhvp",),
                fate="convened",
                agenda=BTV_AGENDA[0][1:],
                created_days_before=4,
            )
        )
        thursday = this_monday + datetime.timedelta(days=3)
        specs.append(
            _Meeting(
                "btc",
                MeetingKind.WORKING_SESSION,
                "Thường trực Tỉnh ủy làm việc với Ban Tổ chức Tỉnh ủy",
                thursday,
                (14, 0),
                2,
                room="floor3",
                presiding="phobithu",
                members=("phobithu", "truongbantc", "chanhvp"),
                fate="convened",
                created_days_before=6,  # before the week's schedule is drafted (the Thursday before), so it is on it
            )
        )
        next_monday = this_monday + datetime.timedelta(days=7)
        specs.append(
            _Meeting(
                "bch-next",
                MeetingKind.COMMITTEE_CONFERENCE,
                "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 6: tổng kết công tác năm 2026",
                next_monday + datetime.timedelta(days=2),
                (7, 30),
                9,
                room="hall",
                members=(*BTV, "chanhvp"),
                guests=("chutichhdnd", "chutichmttq"),
                fate="draft",
                created_days_before=2,
            )
        )
        return specs

    def deadline_for(self, day: datetime.date, fate: str) -> datetime.date:
        """A conclusion's deadline (after the meeting) that lets its tasks end in ``fate`` today."""
        soon = max(self.ahead(3, day), self.ahead(3))
        later = max(self.ahead(1, day), self.ahead(25))
        past = self.ahead(8, day)
        return {
            "on_time": past,
            "late": self.ahead(5, day),
            "overdue": past,
            "extended": self.ahead(6, day),
            "progress": later,
            "due": soon,
            "idle": later,
            "none": later,
        }.get(fate, later)

    def run(self) -> Summary:
        self.set_up_units()
        for username in {"bithu", "phobithu", "chanhvp", "chuyenvienchinh", "truongphong", "chuyenvien", "vanthu"}:
            directives_policy.forget(self.actor(username).account)
        this_monday = self.today - datetime.timedelta(days=self.today.weekday())
        first = self.back(110)
        self.clock = documents_demo._Clock(self.around(first, 7, 7.5), self.now - datetime.timedelta(minutes=5))
        self.scheduler = documents_demo._Scheduler(self.clock)
        self.out.write("Holding the Tỉnh ủy's meetings, following tasks, publishing the weekly schedule…\n")
        with documents_demo._simulated(self.clock):
            spawn = self.scheduler.spawn
            spawn(self.rooms_story(self.clock.at))
            for spec in self.meeting_plan():
                spawn(self.meeting_story(spec))
            spawn(self.booking_story(this_monday + datetime.timedelta(days=2)))
            spawn(self.office_tasks_story(self.back(30)))
            due = self.back(95)
            spawn(self.monthly_story(self.calendar.next_working_day(due.replace(day=25), include_today=True)))
            for assignment, fate in self.directions():
                spawn(self.direction_story(assignment, fate))
            spawn(self.plan_story(self.back(90)))
            spawn(self.week_story(this_monday - datetime.timedelta(days=7), "published"))
            spawn(self.week_story(this_monday, "revised"))
            spawn(self.week_story(this_monday + datetime.timedelta(days=7), "draft"))
            spawn(self.consultation_story(self.back(20), 5, 6, close=True))
            spawn(self.consultation_story(self.back(2), 4, 4, close=False))
            self.scheduler.run()
        # The reminders, once, on the real clock: due soon, overdue, escalations, next occurrences.
        for key in ("directives.reminders", "consultations.reminders"):
            notice_jobs.run_due(force=True, only=key)
        return Summary(
            rooms=Room.objects.count(),
            meetings=Meeting.objects.count(),
            tasks=Task.objects.count(),
            schedules=WeekSchedule.objects.count(),
            consultations=Consultation.objects.count(),
            notices=Notification.objects.count(),
        )


def dataclass_replace(item: _Conclusion, **changes: object) -> _Conclusion:
    import dataclasses

    return dataclasses.replace(item, **changes)  # type: ignore[arg-type]


def build(*, stdout: TextIOBase, now: datetime.datetime | None = None) -> Summary:
    """Load the office's meetings, tasks, schedules and consultations, all or nothing."""
    with transaction.atomic():
        if Room.objects.exists() or Task.objects.exists() or WeekSchedule.objects.exists():
            raise DemoWorkError("the database already holds rooms, tasks or schedules")
        return _Builder(stdout, now or timezone.now()).run()


__all__ = ["DemoWorkError", "Summary", "build"]
