"""The demo office's documents: a year of the two offices' registers, lived through the services.

``vanphong demo`` calls :func:`build` right after the organisations, persons and accounts (same
transaction, so a second run finds the organisations and does nothing). Two offices keep registers:

- Văn phòng Tỉnh ủy (Party system): an incoming register and an outgoing register numbered per
  type within the committee term that started after the provincial Party congress of October 2025;
- Văn phòng UBND tỉnh (State system): an incoming register, an outgoing register numbered yearly,
  and a separate outgoing register for secret documents (Decree 30/2020 Art. 15).

Every document is a *story*: a generator that performs one service call per step (register,
present, direct, forward, progress, opinions, complete or return; draft, submit, approve or send
back, sign, issue, dispatch) and yields the moment of its next step. A scheduler runs all stories in
time order on a simulated clock that starts on 2 January 2026 at 07:30 and never passes the real
present. The clock is ``django.utils.timezone.now`` patched for the length of the build, so the
services themselves stamp the timeline, the audit log and the arrival numbers with the simulated
moment: they run unchanged, the audit chain is appended in order (``vanphong audit verify``
passes), and the numbers of each series follow their dates. A story whose next step would fall
after the present simply stops there, which is how the latest documents are left registered,
presented, being handled, in review or signed, as in a real office on any given day. A few
*showcase* stories guarantee that every state exists whatever the volume.

Random choices use ``random.Random(2026)``: the same demo on every run for the same day.
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import io
import itertools
import logging
import random
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import TextIOBase
from unittest import mock

from django.db import transaction
from django.utils import timezone

from vanphong.core import audit, workcalendar
from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person, Role
from vanphong.core.services import roles
from vanphong.documents import demo_history, policy
from vanphong.documents.models import (
    ApprovalStep,
    Assignment,
    AssignmentRole,
    Channel,
    Direction,
    Document,
    DocumentSystem,
    DocumentType,
    NumberingScheme,
    Register,
    Secrecy,
    Urgency,
)
from vanphong.documents.services import credentials, exchange, files, incoming, outgoing
from vanphong.lib import edxml, pki

SEED = 2026
FIRST_DAY = datetime.date(2026, 1, 2)  # the first working day of 2026
PARTY_TERM_STARTED = datetime.date(2025, 10, 15)  # the day after the provincial Party congress closed
FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
PLACE = "Sơn Hà"


class DemoDocumentsError(RuntimeError):
    """The documents cannot be loaded (the demo organisations or accounts are missing)."""


@dataclass(frozen=True)
class Volume:
    """How busy the two offices are: arrivals per working day, drafts per working day, per office."""

    party_incoming: float = 0.85
    state_incoming: float = 1.25
    party_outgoing: float = 0.03
    state_outgoing: float = 0.04
    state_secret: float = 0.015
    reply_share: float = 0.04  # arrivals answered by an outgoing document, linked as the reply
    scan_share: float = 0.12  # paper arrivals that come with a scanned PDF
    edxml_share: float = 0.35  # State arrivals from bodies with an identifier code that come as edXML


DEFAULT_VOLUME = Volume()
# The tests' volume: a few documents a month besides the showcases that put one in every state.
SMALL_VOLUME = Volume(
    party_incoming=0.05, state_incoming=0.05, party_outgoing=0.0, state_outgoing=0.0, state_secret=0.0
)


@dataclass(frozen=True)
class Summary:
    registers: int
    documents: int
    incoming: int
    outgoing: int
    by_status: dict[str, int]


# --- what the documents say ---------------------------------------------------------------------------

TOPICS = (
    "chuyển đổi số và phát triển chính quyền số",
    "cải cách hành chính năm 2026",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "thực hành tiết kiệm, chống lãng phí",
    "công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
    "giải ngân vốn đầu tư công năm 2026",
    "xây dựng nông thôn mới nâng cao",
    "bảo đảm trật tự an toàn giao thông",
    "công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
    "phát triển kinh tế tập thể, hợp tác xã",
    "bảo vệ môi trường và xử lý rác thải sinh hoạt",
    "công tác dân tộc, tôn giáo",
    "sắp xếp, bố trí cán bộ, công chức cấp xã sau hợp nhất",
    "vận hành chính quyền địa phương hai cấp",
    "triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ",
    "thực hiện Nghị quyết số 18-NQ/TW về tinh gọn tổ chức bộ máy",
    "công tác bảo vệ nền tảng tư tưởng của Đảng",
    "phòng, chống dịch bệnh trên gia súc, gia cầm",
    "bảo đảm an sinh xã hội dịp Tết Nguyên đán Bính Ngọ 2026",
    "chuẩn bị bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp",
    "chương trình mục tiêu quốc gia giảm nghèo bền vững",
    "quản lý, sử dụng đất đai và tài nguyên khoáng sản",
    "công tác tuyển sinh và chuẩn bị năm học 2026 - 2027",
    "công tác quốc phòng, quân sự địa phương",
    "thu ngân sách nhà nước và quản lý nợ đọng thuế",
    "xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh",
    "công tác kiểm tra, giám sát của Đảng",
    "phát triển du lịch tỉnh Sơn Hà",
    "cấp nước sạch nông thôn mùa khô",
    "phòng cháy, chữa cháy rừng",
)
PERIODS = ("tháng {month}/2026", "quý {quarter}/2026", "6 tháng đầu năm 2026", "năm 2026")
ABSTRACTS = (
    ("cong_van", "V/v {topic}"),
    ("cong_van", "V/v đề nghị báo cáo tình hình {topic}"),
    ("cong_van", "V/v góp ý dự thảo văn bản về {topic}"),
    ("bao_cao", "Báo cáo kết quả {topic} {period}"),
    ("bao_cao", "Báo cáo tình hình thực hiện nhiệm vụ {period}"),
    ("ke_hoach", "Kế hoạch triển khai {topic}"),
    ("ke_hoach", "Kế hoạch kiểm tra, giám sát {topic} {period}"),
    ("quyet_dinh", "Quyết định về việc thành lập Đoàn kiểm tra {topic}"),
    ("quyet_dinh", "Quyết định về việc ban hành Quy chế phối hợp về {topic}"),
    ("thong_bao", "Thông báo kết luận của Thường trực về {topic}"),
    ("huong_dan", "Hướng dẫn thực hiện {topic}"),
    ("giay_moi", "Giấy mời dự hội nghị sơ kết {topic}"),
    ("to_trinh", "Tờ trình về việc phê duyệt đề án {topic}"),
)
DIRECTIONS = (
    "Giao {unit} chủ trì nghiên cứu, tham mưu đề xuất; báo cáo trước thời hạn.",
    "Chuyển {unit} theo dõi, tổng hợp; tham mưu văn bản trả lời.",
    "Giao {unit} chủ trì, phối hợp các đơn vị liên quan triển khai thực hiện.",
    "{unit} nghiên cứu, tham mưu Thường trực xử lý theo quy định.",
    "Đề nghị {unit} khẩn trương tham mưu, báo cáo kết quả.",
)
PROGRESS = (
    "Đã liên hệ đơn vị gửi để bổ sung số liệu.",
    "Đang tổng hợp ý kiến các đơn vị phối hợp.",
    "Đã xây dựng dự thảo, trình lãnh đạo phòng cho ý kiến.",
    "Đã làm việc với các sở, ngành liên quan; đang hoàn thiện báo cáo.",
    "Đang chờ số liệu của các xã.",
)
OPINIONS = (
    "Thống nhất với dự thảo, không có ý kiến bổ sung.",
    "Đề nghị bổ sung số liệu của các xã sau hợp nhất.",
    "Đề nghị làm rõ nguồn kinh phí thực hiện.",
    "Thống nhất; đề nghị điều chỉnh thời gian thực hiện sang quý sau.",
)
RESULTS = (
    "Đã tham mưu văn bản trả lời.",
    "Đã tổng hợp, báo cáo Thường trực.",
    "Đã triển khai thực hiện; lưu hồ sơ.",
    "Đã lưu để theo dõi.",
)
SEND_BACK = (
    "Đề nghị bổ sung số liệu quý trước và rà soát lại thể thức.",
    "Chỉnh sửa phần nơi nhận; làm rõ trách nhiệm của từng đơn vị.",
    "Rút gọn phần căn cứ, bổ sung thời hạn thực hiện.",
)
REVISION = "Các cơ quan, đơn vị gửi báo cáo về Văn phòng trước ngày 25 của tháng cuối kỳ để tổng hợp."
RETURNS = (
    "Văn bản gửi nhầm cơ quan, không thuộc thẩm quyền giải quyết của Văn phòng.",
    "Văn bản không đủ thể thức (thiếu chữ ký, con dấu); trả lại để hoàn thiện.",
)

# Senders outside the demo tree: (name, symbol issuer, system, signer's position)
CENTRAL_PARTY = (
    ("Văn phòng Trung ương Đảng", "VPTW", "Phó Chánh Văn phòng"),
    ("Ban Tổ chức Trung ương", "BTCTW", "Phó Trưởng ban"),
    ("Ban Tuyên giáo và Dân vận Trung ương", "BTGDVTW", "Phó Trưởng ban"),
    ("Ủy ban Kiểm tra Trung ương", "UBKTTW", "Phó Chủ nhiệm"),
    ("Ban Nội chính Trung ương", "BNCTW", "Phó Trưởng ban"),
)
CENTRAL_STATE = (
    ("Văn phòng Chính phủ", "VPCP", "KTTH", "Phó Chủ nhiệm"),
    ("Bộ Nội vụ", "BNV", "CQĐP", "Thứ trưởng"),
    ("Bộ Tài chính", "BTC", "NSNN", "Thứ trưởng"),
    ("Bộ Nông nghiệp và Môi trường", "BNNMT", "KH", "Thứ trưởng"),
    ("Bộ Y tế", "BYT", "KHTC", "Thứ trưởng"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT", "GDPT", "Thứ trưởng"),
    ("Bộ Công an", "BCA", "V03", "Thứ trưởng"),
)
SIGNERS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Vũ Thị Hải Yến", "Đỗ Quang Huy")


# --- the clock and the scheduler ------------------------------------------------------------------


class _Clock:
    """The simulated present; ``django.utils.timezone.now`` returns it while the build runs."""

    def __init__(self, start: datetime.datetime, limit: datetime.datetime) -> None:
        self.at = start
        self.limit = limit

    def now(self) -> datetime.datetime:
        return self.at


@contextmanager
def _simulated(clock: _Clock) -> Iterator[None]:
    """The services see the simulated clock; WeasyPrint's progress messages stay out of the demo's output."""
    quiet = logging.getLogger("weasyprint.progress")
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        with mock.patch.object(timezone, "now", clock.now):
            yield
    finally:
        quiet.setLevel(level)


Story = Generator[datetime.datetime, None, None]


class _Scheduler:
    """Runs the stories in time order; a story yields the moment of its next step."""

    def __init__(self, clock: _Clock) -> None:
        self.clock = clock
        self.queue: list[tuple[datetime.datetime, int, Story]] = []
        self.order = itertools.count()

    def spawn(self, story: Story) -> None:
        self._advance(story)

    def _advance(self, story: Story) -> None:
        try:
            moment = next(story)
        except StopIteration:
            return
        if moment > self.clock.limit:
            story.close()  # its next step lies after the present: the document stays as it is
            return
        heapq.heappush(self.queue, (max(moment, self.clock.at), next(self.order), story))

    def run(self) -> None:
        while self.queue:
            moment, _n, story = heapq.heappop(self.queue)
            self.clock.at = max(moment, self.clock.at)
            self._advance(story)


# --- the people -------------------------------------------------------------------------------------


@dataclass
class _Office:
    """One office's registers and the people who work its flow."""

    key: str
    body: Organization
    incoming: Register
    outgoing: Register
    secret: Register | None
    clerk: Actor
    leaders: list[Actor]  # who documents are presented to, first the chief
    units: list[Organization]  # units that lead on documents
    heads: dict[int, Actor]  # unit pk -> the actor who passes its parts on (head, else the chief)
    handlers: dict[int, list[Actor]]  # unit pk -> specialists with accounts
    drafters: list[tuple[Actor, Organization]]
    reviewers: dict[int, Actor | None]  # drafting unit pk -> its head, when they have an account
    office_checker: Actor
    signers: list[tuple[Actor, str, str]]  # actor, position, authority (KT., K/T: signing for the chief)


def _person(actor: Actor) -> Person:
    account = actor.account
    if account is None or account.person is None:
        raise DemoDocumentsError("a demo actor has no person")
    return account.person


class _Builder:
    def __init__(self, stdout: TextIOBase, volume: Volume, now: datetime.datetime, history: int = 0) -> None:
        self.out = stdout
        self.volume = volume
        self.history = history
        self.rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not a secret)
        self.tz = timezone.get_current_timezone()
        self.now = now
        self.today = timezone.localdate(now)
        self.calendar = workcalendar.calendar()
        self.system = Actor.system("cli")
        self.actors: dict[str, Actor] = {}
        self.sender_numbers: Counter[str] = Counter()
        self.showcase_done = False

    # --- helpers ----------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def actor(self, username: str) -> Actor:
        if username not in self.actors:
            account = Account.objects.select_related("person__organization").filter(username=username).first()
            if account is None or account.person is None:
                raise DemoDocumentsError(f"the demo account {username!r} is missing: load the demo office first")
            self.actors[username] = Actor(account=account, source="web")
        return self.actors[username]

    def moment(self, day: datetime.date, earliest: float = 7.5, latest: float = 16.75) -> datetime.datetime:
        hours = self.rng.uniform(earliest, latest)
        minutes = int(hours * 60)
        naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60, self.rng.randrange(60)))
        return timezone.make_aware(naive, self.tz)

    def after(self, at: datetime.datetime, working_days: int, *, same_day_hours: float = 2.0) -> datetime.datetime:
        """A moment ``working_days`` working days after ``at`` (0: later the same day, if time is left)."""
        local = timezone.localtime(at, self.tz)
        if working_days == 0:
            later = local + datetime.timedelta(minutes=self.rng.randint(10, int(same_day_hours * 60)))
            if later.hour < 17:
                return later
            working_days = 1
        day = self.calendar.add_working_days(local.date(), working_days)
        return self.moment(day)

    def type(self, system: str, key: str) -> DocumentType:
        found = DocumentType.objects.filter(system=system, key=key).first()
        if found is None:
            raise DemoDocumentsError(f"the document type {system}/{key} is missing: run `vanphong migrate` first")
        return found

    def pdf(self, *lines: str) -> bytes:
        from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
        from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
        from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
        from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

        if "NotoSerif" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("NotoSerif", FONT))
        out = io.BytesIO()
        page = canvas.Canvas(out, pagesize=A4, invariant=True)
        page.setFont("NotoSerif", 13)
        y = 780.0
        for line in lines:
            page.drawString(70, y, line[:85])
            y -= 20
        page.showPage()
        page.save()
        return out.getvalue()

    def abstract(self, day: datetime.date, allowed: set[str]) -> tuple[str, str]:
        while True:
            key, pattern = self.rng.choice(ABSTRACTS)
            if key in allowed:
                break
        period = self.rng.choice(PERIODS).format(month=max(1, day.month - 1), quarter=(day.month - 1) // 3 or 1)
        return key, pattern.format(topic=self.rng.choice(TOPICS), period=period)

    def next_number(self, sender: str, start: int) -> int:
        if sender not in self.sender_numbers:
            self.sender_numbers[sender] = start + self.rng.randrange(start // 2 + 5)
        self.sender_numbers[sender] += self.rng.randint(1, 9)
        return self.sender_numbers[sender]

    # --- set-up -----------------------------------------------------------------------------------

    def org_of(self, username: str) -> Organization:
        org = _person(self.actor(username)).organization
        if org is None:
            raise DemoDocumentsError(f"the demo person {username!r} works nowhere")
        return org

    def unit(self, body: Organization, abbreviation: str) -> Organization:
        return Organization.objects.get(parent=body, abbreviation=abbreviation, dissolved_on__isnull=True)

    def make_register(self, body: Organization, direction: str, name: str, **fields: object) -> Register:
        register = Register.objects.create(organization=body, direction=direction, name=name, place=PLACE, **fields)
        audit.record(
            self.system,
            "documents.register.create",
            register,
            after={"name": name, "direction": direction, "system": register.system, "secret": register.secret},
        )
        return register

    def set_up(self) -> tuple[_Office, _Office]:
        party_body = self.org_of("chanhvp")
        state_body = self.org_of("chanhvpubnd")
        with transaction.atomic():
            party = _Office(
                key="party",
                body=party_body,
                incoming=self.make_register(party_body, Direction.INCOMING, "Sổ văn bản đến", system="party"),
                outgoing=self.make_register(
                    party_body,
                    Direction.OUTGOING,
                    "Sổ văn bản đi",
                    system=DocumentSystem.PARTY,
                    issuer_abbreviation="VPTU",
                    numbering=NumberingScheme.TERM,
                    term_started_on=PARTY_TERM_STARTED,
                ),
                secret=None,
                clerk=self.actor("vanthu"),
                leaders=[self.actor("chanhvp"), self.actor("phochanhvp")],
                units=[self.unit(party_body, a) for a in ("PTH", "PHCLT", "PQTTV", "PTHCY")],
                heads={},
                handlers={},
                drafters=[],
                reviewers={},
                office_checker=self.actor("phochanhvp"),
                signers=[
                    (self.actor("chanhvp"), "Chánh Văn phòng", ""),
                    (self.actor("phochanhvp"), "Phó Chánh Văn phòng", "K/T"),
                ],
            )
            general = party.units[0]
            party.heads = {u.pk: self.actor("chanhvp") for u in party.units} | {general.pk: self.actor("truongphong")}
            party.handlers = {general.pk: [self.actor("chuyenvienchinh"), self.actor("chuyenvien")]}
            party.handlers[party.units[1].pk] = [self.actor("luutru")]
            party.drafters = [(self.actor("chuyenvienchinh"), general), (self.actor("chuyenvien"), general)]
            party.reviewers = {general.pk: self.actor("truongphong")}
            state = _Office(
                key="state",
                body=state_body,
                incoming=self.make_register(state_body, Direction.INCOMING, "Sổ văn bản đến", system="state"),
                outgoing=self.make_register(
                    state_body,
                    Direction.OUTGOING,
                    "Sổ văn bản đi",
                    system=DocumentSystem.STATE,
                    issuer_abbreviation="VP",
                ),
                secret=self.make_register(
                    state_body,
                    Direction.OUTGOING,
                    "Sổ văn bản mật đi",
                    system=DocumentSystem.STATE,
                    issuer_abbreviation="VP",
                    secret=True,
                ),
                clerk=self.actor("vanthuubnd"),
                leaders=[self.actor("chanhvpubnd"), self.actor("phochanhvpubnd")],
                units=[self.unit(state_body, a) for a in ("TH", "KT", "VX", "NC", "HCTC")],
                heads={},
                handlers={},
                drafters=[],
                reviewers={},
                office_checker=self.actor("phochanhvpubnd"),
                signers=[
                    (self.actor("chanhvpubnd"), "Chánh Văn phòng", ""),
                    (self.actor("phochanhvpubnd"), "Phó Chánh Văn phòng", "KT."),
                ],
            )
            th, kt, vx, _nc, hctc = state.units
            state.heads = {u.pk: self.actor("chanhvpubnd") for u in state.units} | {th.pk: self.actor("truongphongth")}
            state.handlers = {
                kt.pk: [self.actor("chuyenvienkt")],
                vx.pk: [self.actor("chuyenvienvx")],
                hctc.pk: [self.actor("quantri")],
            }
            state.drafters = [
                (self.actor("chuyenvienkt"), kt),
                (self.actor("chuyenvienvx"), vx),
                (self.actor("truongphongth"), th),
            ]
            state.reviewers = {th.pk: None, kt.pk: None, vx.pk: None}
            self.load_credentials(party, state)
        return party, state

    def load_credentials(self, *offices: _Office) -> None:
        """The demo CA issues signing certificates to the signers and to each office (the body's seal)."""
        from PIL import Image, ImageDraw

        ca = pki.make_ca("Vanphong Demo CA – tỉnh Sơn Hà", organization="Tỉnh Sơn Hà (demo)")

        def png(colour: tuple[int, int, int, int], seal: bool) -> bytes:
            size = (425, 425) if seal else (300, 120)
            image = Image.new("RGBA", size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(image)
            if seal:
                draw.ellipse((8, 8, 416, 416), outline=colour, width=14)
                draw.ellipse((70, 70, 354, 354), outline=colour, width=6)
            else:
                draw.line([(20 + x * 26, 60 + (18 if x % 2 else -18)) for x in range(11)], fill=colour, width=5)
            out = io.BytesIO()
            image.save(out, format="PNG", dpi=(300, 300))
            return out.getvalue()

        for office in offices:
            for signer, _position, _authority in office.signers:
                person = _person(signer)
                identity = ca.issue_person(person.full_name, organization=office.body.full_name, locality=PLACE)
                credentials.add_credential(
                    self.system,
                    pkcs12=pki.identity_to_pkcs12(identity, None),
                    passphrase=None,
                    person=person,
                    image_png=png((20, 40, 190, 255), seal=False),
                )
            body = ca.issue_organization(office.body.full_name, locality=PLACE)
            credentials.add_credential(
                self.system,
                pkcs12=pki.identity_to_pkcs12(body, None),
                passphrase=None,
                organization=office.body,
                image_png=png((210, 20, 20, 255), seal=True),
            )

    def ensure_roles(self) -> None:
        """The Văn phòng UBND clerk also keeps the registers of the office (she has the role already);
        the Phòng Tổng hợp head of the Party office must be able to pass on parts: grant what is missing."""
        with transaction.atomic():
            for username, role in (("truongphong", Role.HEAD), ("truongphongth", Role.HEAD)):
                person = _person(self.actor(username))
                unit = person.organization
                if (
                    unit is not None
                    and not person.role_grants.filter(role=role, organization=unit, revoked_at__isnull=True).exists()
                ):
                    roles.grant_role(self.system, person, unit, role)

    # --- incoming ---------------------------------------------------------------------------------

    def sender_for(self, office: _Office, day: datetime.date, key: str) -> dict[str, object]:
        """A sender, its number and symbol, the signer: central bodies, the province's own bodies."""
        roll = self.rng.random()
        if office.key == "party":
            if roll < 0.3:
                name, issuer, position = self.rng.choice(CENTRAL_PARTY)
                org = None
            else:
                org = self.rng.choice(self.party_senders)
                name, issuer, position = org.full_name, org.abbreviation or "TU", "Phó Bí thư"
            abbreviation = {
                "cong_van": "CV",
                "bao_cao": "BC",
                "ke_hoach": "KH",
                "quyet_dinh": "QĐ",
                "thong_bao": "TB",
                "huong_dan": "HD",
                "giay_moi": "GM",
                "to_trinh": "TTr",
            }[key]
            number = self.next_number(name, 40 if org is None else 10)
            symbol = f"{number}-{abbreviation}/{issuer}"
            system = "party"
        else:
            if roll < 0.3:
                name, issuer, unit, position = self.rng.choice(CENTRAL_STATE)
                org = None
            else:
                org = self.rng.choice(self.state_senders)
                name, issuer, unit, position = org.full_name, org.abbreviation or "UBND", "VP", "Phó Giám đốc"
                if issuer == "UBND":
                    position = "Phó Chủ tịch"
            number = self.next_number(name, 200 if org is None else 30)
            if key == "cong_van":
                symbol = f"{number}/{issuer}-{unit}"
            else:
                abbreviation = {
                    "bao_cao": "BC",
                    "ke_hoach": "KH",
                    "quyet_dinh": "QĐ",
                    "thong_bao": "TB",
                    "huong_dan": "HD",
                    "giay_moi": "GM",
                    "to_trinh": "TTr",
                }[key]
                symbol = f"{number}/{abbreviation}-{issuer}"
            system = "state"
        dated = day - datetime.timedelta(days=self.rng.randint(0, 6))
        while not self.calendar.is_working_day(dated):
            dated -= datetime.timedelta(days=1)
        return {
            "sender": org,
            "sender_name": name if org is None else "",
            "number_symbol": symbol,
            "document_date": min(dated, day),
            "document_type": DocumentType.objects.filter(system=system, key=key).first(),
            "signer_name": self.rng.choice(SIGNERS),
            "signer_position": position,
        }

    def incoming_story(
        self, office: _Office, arrive: datetime.datetime, plan: str, *, deadline_days: int | None = None
    ) -> Story:
        """One arrival and what the office does with it. ``plan``: complete, reply, stall (directed, never
        finished), return, present (presented, the direction still to come)."""
        rng = self.rng
        yield arrive
        day = timezone.localdate(arrive)
        allowed = {"cong_van", "bao_cao", "ke_hoach", "quyet_dinh", "thong_bao", "huong_dan", "giay_moi"}
        key, abstract = self.abstract(day, allowed)
        fields = self.sender_for(office, day, key)
        urgency = rng.choices([Urgency.NORMAL, Urgency.URGENT, Urgency.VERY_URGENT, Urgency.EXPRESS], [85, 10, 4, 1])[0]
        clerk_clearance = _person(office.clerk).clearance
        secrecy: int = Secrecy.NONE
        if rng.random() < 0.04:
            secrecy = min(Secrecy.MAT if rng.random() < 0.8 else Secrecy.TOI_MAT, clerk_clearance)
        sender = fields["sender"]
        code = sender.identifier_code if isinstance(sender, Organization) else ""
        document: Document
        if code and secrecy == Secrecy.NONE and rng.random() < self.volume.edxml_share:
            document = self.arrive_edxml(office, fields, abstract, int(urgency))
        else:
            uploads = []
            if secrecy == Secrecy.NONE and rng.random() < self.volume.scan_share:
                heading = str(fields["sender_name"] or getattr(sender, "full_name", "")).upper()
                text = self.pdf(heading, f"Số: {fields['number_symbol']}", abstract, f"Kính gửi: {office.body}")
                uploads.append(files.Upload(f"scan-{fields['number_symbol']}.pdf".replace("/", "_"), text))
            document = incoming.register_incoming(
                office.clerk,
                incoming.IncomingData(
                    register=office.incoming,
                    abstract=abstract,
                    urgency=int(urgency),
                    secrecy=int(secrecy),
                    pages=rng.randint(1, 12),
                    copies=1,
                    arrived_at=arrive,
                    files=uploads,
                    **fields,  # type: ignore[arg-type]
                ),
            )
        if plan == "return":
            yield self.after(arrive, 0)
            incoming.return_document(office.clerk, document, reason=rng.choice(RETURNS))
            return
        urgent = urgency >= Urgency.URGENT
        yield self.after(arrive, 0 if urgent or rng.random() < 0.6 else 1)
        leader = office.leaders[0] if rng.random() < 0.7 else office.leaders[1]
        if self.delegation_runs(office):
            leader = office.leaders[1]
        if _person(leader).clearance < secrecy:
            leader = office.leaders[0]
        incoming.present(office.clerk, document, leader=_person(leader))
        if plan == "present":
            return
        yield self.after(timezone.now(), 0 if urgent else rng.choice((0, 1, 1, 2)))
        lead = office.units[0] if rng.random() < 0.55 else rng.choice(office.units)
        others = [u for u in office.units if u.pk != lead.pk]
        rng.shuffle(others)
        coordinating = others[:1] if rng.random() < 0.35 else []
        informed = others[1:2] if rng.random() < 0.25 else []
        days = rng.choice((3, 5, 7, 10, 15)) if not urgent else rng.choice((1, 2, 3))
        days = deadline_days or days
        incoming.direct(
            leader,
            document,
            incoming.DirectionData(
                text=rng.choice(DIRECTIONS).format(unit=lead.short_name or lead.full_name),
                lead_unit=lead,
                coordinating_units=coordinating,
                info_units=informed,
                deadline_days=days,
            ),
        )
        parts = {a.unit_id: a for a in Assignment.objects.filter(document=document).exclude(state="cancelled")}
        yield self.after(timezone.now(), rng.choice((0, 0, 1)))
        head = office.heads[lead.pk]
        candidates = [h for h in office.handlers.get(lead.pk, []) if _person(h).clearance >= secrecy]
        handler_actor = rng.choice(candidates) if candidates else None
        handler = _person(handler_actor) if handler_actor else self.any_specialist(lead, secrecy)
        lead_part = parts[lead.pk]
        if handler is not None:
            incoming.forward(head, lead_part, handler=handler, note="Đề nghị đồng chí nghiên cứu, tham mưu.")
        worker = handler_actor or head
        for unit in coordinating:
            yield self.after(timezone.now(), rng.randint(1, max(1, days - 1)))
            incoming.add_progress(office.heads[unit.pk], parts[unit.pk], note=rng.choice(OPINIONS))
        if rng.random() < 0.4:
            yield self.after(timezone.now(), rng.randint(1, max(1, days // 2)))
            incoming.add_progress(worker, lead_part, note=rng.choice(PROGRESS))
        if plan == "stall":
            return
        late = rng.random() < 0.08
        finish = self.after(timezone.now(), rng.randint(1, days + (rng.randint(1, 5) if late else 0)))
        if plan == "reply" and office.drafters:
            # The handler drafts the reply; the incoming document is completed once the reply is dispatched.
            yield finish
            self.scheduler.spawn(self.outgoing_story(office, timezone.now(), "dispatch", reply_to=document))
            return
        yield finish
        incoming.complete(worker, document, result=rng.choice(RESULTS))

    def delegation_runs(self, office: _Office) -> bool:
        """The Party office chief's delegation (docs/demo-office.md) covers yesterday to five days on."""
        if office.key != "party":
            return False
        return timezone.now() >= self.now - datetime.timedelta(days=1)

    def any_specialist(self, unit: Organization, secrecy: int) -> Person | None:
        found = list(policy.specialists_of(unit).filter(clearance__gte=secrecy).order_by("pk")[:4])
        return self.rng.choice(found) if found else None

    def arrive_edxml(self, office: _Office, fields: dict[str, object], abstract: str, urgency: int) -> Document:
        sender = fields["sender"]
        if not isinstance(sender, Organization):
            raise DemoDocumentsError("an edXML arrival needs a sender in the demo tree")
        symbol = str(fields["number_symbol"])
        number, _sep, notation = symbol.partition("/")
        dtype = fields["document_type"]
        dated = fields["document_date"]
        if not isinstance(dated, datetime.date):
            raise DemoDocumentsError("an edXML arrival needs its document date")
        header = edxml.MessageHeader(
            from_=edxml.Organ(organ_id=sender.identifier_code or "", organ_name=sender.full_name),
            to=(edxml.Organ(organ_id=office.body.identifier_code or "", organ_name=office.body.full_name),),
            code_number=number,
            code_notation=notation,
            promulgation_place=PLACE,
            promulgation_date=dated,
            document_type=getattr(dtype, "edxml_type", None),
            type_detail=getattr(dtype, "edxml_type_detail", None),
            type_name=getattr(dtype, "name", ""),
            subject=abstract,
            signer_position=str(fields["signer_position"]),
            signer_full_name=str(fields["signer_name"]),
            priority=urgency,
            page_amount=self.rng.randint(1, 6),
            promulgation_amount=1,
        )
        pdf = self.pdf(sender.full_name.upper(), f"Số: {symbol}", abstract, f"Kính gửi: {office.body.full_name}")
        package = edxml.Package(
            header=header,
            traces=(edxml.TraceHeader(organ_id=sender.identifier_code or "", timestamp=timezone.localtime()),),
            business=edxml.Business(doc_type=0, document_id=""),
            attachments=(
                edxml.Attachment(
                    content_id="1", name=f"{symbol.replace('/', '_')}.pdf", content_type="application/pdf", data=pdf
                ),
            ),
        )
        document, _created = exchange.import_package(office.clerk, office.incoming, edxml.build_package(package))
        return document

    # --- outgoing ---------------------------------------------------------------------------------

    def recipients_for(self, office: _Office, secret: bool) -> list[outgoing.RecipientData]:
        rng = self.rng
        if office.key == "party":
            picks = rng.sample(self.party_senders, k=min(len(self.party_senders), rng.randint(1, 3)))
            found = [outgoing.RecipientData(name=o.full_name, organization=o, channel=Channel.PAPER) for o in picks]
        else:
            coded = [o for o in self.state_senders if o.identifier_code]
            # One or two electronic recipients: the office's letters mostly go to a few departments.
            picks = rng.sample(coded, k=min(len(coded), rng.randint(1, 2)))
            channel = Channel.PAPER if secret else Channel.EDXML
            found = [outgoing.RecipientData(name=o.full_name, organization=o, channel=channel) for o in picks]
            if rng.random() < 0.4:
                found.append(outgoing.RecipientData(name="Thường trực Tỉnh ủy (để báo cáo)", channel=Channel.PAPER))
        found.append(outgoing.RecipientData(name="Lưu: VT", channel=Channel.PAPER, for_information=True))
        return found

    def outgoing_story(
        self,
        office: _Office,
        start: datetime.datetime,
        plan: str,
        *,
        reply_to: Document | None = None,
        secret: bool = False,
        sent_back: bool | None = None,
    ) -> Story:
        """A draft and its way to the recipients. ``plan`` is where it stops: draft, review, office,
        sign, approved, signed, issued, dispatch (all the way), recall (dispatched, then withdrawn)."""
        rng = self.rng
        yield start
        register = office.secret if secret and office.secret is not None else office.outgoing
        drafter, unit = rng.choice(office.drafters)
        if reply_to is not None:
            handler = self.handler_of(reply_to, drafter)
            drafter, unit = next(((d, u) for d, u in office.drafters if d is handler), (drafter, unit))
        if secret:
            drafter, unit = next((d, u) for d, u in office.drafters if _person(d).clearance >= Secrecy.MAT)
        # The showcases (stopped at a given step) are signed by the chief, so every step of the circuit exists.
        chief = secret or plan != "dispatch" or rng.random() < 0.6
        signer, position, authority = office.signers[0] if chief else office.signers[1]
        day = timezone.localdate()
        if reply_to is not None:
            key = "cong_van"
            dated = f" ngày {reply_to.document_date:%d/%m/%Y}" if reply_to.document_date else ""
            abstract = f"V/v phúc đáp văn bản số {reply_to.number_symbol}{dated} của {reply_to.sender_name}"
        else:
            key, abstract = self.abstract(day, {"cong_van", "bao_cao", "ke_hoach", "thong_bao", "giay_moi", "to_trinh"})
            if key == "giay_moi" and office.key == "party":
                key = "cong_van"
        content = (
            f"Thực hiện chỉ đạo của lãnh đạo, {office.body.full_name} {abstract[0].lower()}{abstract[1:]}.\n"
            "Đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện và báo cáo kết quả đúng thời hạn.\n"
            "Trân trọng."
        )
        data = outgoing.DraftData(
            register=register,
            document_type=self.type(register.system, key),
            abstract=abstract[:400],
            content=content,
            signer=_person(signer),
            signer_position=position,
            signer_authority=authority,
            drafting_unit=unit,
            urgency=int(Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL),
            secrecy=int(Secrecy.MAT if secret else Secrecy.NONE),
            recipients=self.recipients_for(office, secret),
            reply_to=reply_to,
        )
        document = outgoing.create_draft(drafter, data)
        if plan == "draft":
            return
        yield self.after(timezone.now(), rng.choice((0, 1, 1, 2)))
        reviewer = office.reviewers.get(unit.pk)
        if sent_back is None:
            sent_back = rng.random() < 0.15
        rounds = 2 if sent_back else 1
        for round_ in range(1, rounds + 1):
            outgoing.submit(
                drafter,
                document,
                reviewer=_person(reviewer) if reviewer else None,
                office_checker=_person(office.office_checker)
                if _person(office.office_checker) != data.signer
                else None,
            )
            steps = list(ApprovalStep.objects.filter(document=document, round=round_).order_by("order"))
            for index, approval in enumerate(steps):
                if plan == approval.stage and round_ == rounds:  # the draft waits at this step
                    return
                yield self.after(timezone.now(), rng.choice((0, 0, 1)))
                approval.refresh_from_db()
                approver = next(
                    a
                    for a in [signer, office.office_checker, *(r for r in [reviewer] if r)]
                    if _person(a).pk == approval.approver_id
                )
                if (round_ < rounds and index == len(steps) - 1) or (round_ < rounds and rng.random() < 0.5):
                    outgoing.decide(approver, approval, approve=False, comment=rng.choice(SEND_BACK))
                    if plan == "sent_back":
                        return
                    yield self.after(timezone.now(), rng.choice((0, 1)))
                    revised = data.content.replace("Trân trọng.", f"{REVISION}\nTrân trọng.")
                    outgoing.update_draft(drafter, document, dataclasses.replace(data, content=revised))
                    yield self.after(timezone.now(), 0)
                    break
                outgoing.decide(approver, approval, approve=True)
        if plan == "approved":
            return
        yield self.after(timezone.now(), 0, same_day_hours=1.5)
        outgoing.sign(signer, document)
        if plan == "signed":
            return
        yield self.after(timezone.now(), 0, same_day_hours=1.0)
        outgoing.issue(office.clerk, document)
        if plan == "issued":
            return
        yield self.after(timezone.now(), 0, same_day_hours=1.0)
        exchange.dispatch(office.clerk, document)
        if reply_to is not None:
            incoming.complete(
                self.handler_of(reply_to, office.leaders[0]), reply_to, result="Đã có văn bản trả lời.", reply=document
            )
        if plan == "recall":
            yield self.after(timezone.now(), 1)
            outgoing.withdraw_number(
                office.clerk,
                document,
                reason="Văn bản ban hành sai thẩm quyền ký; thu hồi số, ban hành văn bản thay thế.",
            )

    def handler_of(self, document: Document, fallback: Actor) -> Actor:
        lead = Assignment.objects.filter(document=document, role=AssignmentRole.LEAD).exclude(state="cancelled").first()
        if lead is not None and lead.handler_id is not None:
            for actor in self.actors.values():
                if actor.account is not None and actor.account.person_id == lead.handler_id:
                    return actor
        return fallback

    # --- the year ---------------------------------------------------------------------------------

    def working_days(self, first: datetime.date) -> list[datetime.date]:
        days = []
        day = first
        while day < self.today:  # today's moments may lie ahead of the clock: the year ends yesterday
            if self.calendar.is_working_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def count(self, rate: float) -> int:
        whole = int(rate)
        return whole + (1 if self.rng.random() < rate - whole else 0)

    def plan_year(self, party: _Office, state: _Office) -> None:
        rng = self.rng
        days = self.working_days(FIRST_DAY)
        recent = days[-12:]
        for office, rate_in, rate_out in (
            (party, self.volume.party_incoming, self.volume.party_outgoing),
            (state, self.volume.state_incoming, self.volume.state_outgoing),
        ):
            for day in days:
                for _ in range(self.count(rate_in)):
                    roll = rng.random()
                    old = day < recent[0]
                    reply = 0.015 + self.volume.reply_share
                    plan = "complete"
                    if roll < reply + 0.02:
                        plan = "return" if roll < 0.015 else "reply" if roll < reply else "stall"
                    if not old and plan == "stall":
                        plan = "complete"
                    self.scheduler.spawn(self.incoming_story(office, self.moment(day), plan))
                for _ in range(self.count(rate_out)):
                    self.scheduler.spawn(self.outgoing_story(office, self.moment(day), "dispatch"))
        for day in days:
            for _ in range(self.count(self.volume.state_secret)):
                self.scheduler.spawn(self.outgoing_story(state, self.moment(day), "dispatch", secret=True))
        # The Party register numbers per committee term: its first documents came before 2026.
        day = PARTY_TERM_STARTED
        while day < FIRST_DAY:
            if self.calendar.is_working_day(day):
                for _ in range(self.count(self.volume.party_outgoing)):
                    self.scheduler.spawn(self.outgoing_story(party, self.moment(day), "dispatch"))
            day += datetime.timedelta(days=1)
        self.plan_showcases(party, state, recent)

    def plan_showcases(self, party: _Office, state: _Office, recent: list[datetime.date]) -> None:
        """At least one document in each state, placed in the last working days before today."""
        spawn = self.scheduler.spawn
        last = recent[-1]
        morning = self.moment(last, 7.6, 8.0)
        for office in (party, state):
            spawn(self.incoming_story(office, self.moment(last, 8.0, 9.0), "complete"))
            spawn(self.incoming_story(office, self.moment(last, 9.0, 10.0), "present"))  # awaiting direction
            spawn(self.incoming_story(office, self.moment(recent[-4]), "stall", deadline_days=5))  # near its deadline
            spawn(self.incoming_story(office, self.moment(recent[0]), "return"))
            spawn(self.incoming_story(office, self.moment(recent[0]), "reply"))
            for plan in ("draft", "review", "office", "sign", "sent_back", "approved", "signed", "issued"):
                # Eight working days leave room for every step before the one it stops at.
                spawn(self.outgoing_story(office, self.moment(recent[-8]), plan, sent_back=plan == "sent_back"))
        spawn(self.outgoing_story(party, self.moment(recent[0]), "recall", sent_back=False))
        spawn(self.outgoing_story(state, morning, "draft", secret=True))
        # A registered one the clerk has not yet presented: arrives late on the last working day.
        spawn(self.registered_only(party, self.moment(last, 16.0, 16.6)))
        spawn(self.registered_only(state, self.moment(last, 16.0, 16.6)))
        # Overdue: directed five weeks ago with a short deadline, never completed.
        spawn(self.incoming_story(state, self.moment(recent[0] - datetime.timedelta(days=35)), "stall"))

    def registered_only(self, office: _Office, arrive: datetime.datetime) -> Story:
        yield arrive
        day = timezone.localdate(arrive)
        key, abstract = self.abstract(day, {"cong_van", "bao_cao"})
        fields = self.sender_for(office, day, key)
        incoming.register_incoming(
            office.clerk,
            incoming.IncomingData(register=office.incoming, abstract=abstract, arrived_at=arrive, pages=2, **fields),  # type: ignore[arg-type]
        )

    def run(self) -> Summary:
        start = self.moment(FIRST_DAY, 7.0, 7.1)
        self.clock = _Clock(start - datetime.timedelta(days=90), self.now - datetime.timedelta(minutes=10))
        self.scheduler = _Scheduler(self.clock)
        self.say("Opening the registers of Văn phòng Tỉnh ủy and Văn phòng UBND tỉnh…")
        self.ensure_roles()
        party, state = self.set_up()
        for actor in self.actors.values():
            policy.forget(actor.account)
        party_root = party.body.parent
        state_root = state.body.parent
        if party_root is None or state_root is None:
            raise DemoDocumentsError("the two offices must sit under the Tỉnh ủy and the UBND tỉnh")
        self.party_senders = list(
            Organization.objects.filter(path__startswith=party_root.path, dissolved_on__isnull=True)
            .exclude(kind="internal_unit")
            .exclude(pk__in=[party.body.pk, party_root.pk])
            .order_by("path")
        )
        self.state_senders = list(
            Organization.objects.filter(path__startswith=state_root.path, dissolved_on__isnull=True)
            .exclude(kind="internal_unit")
            .exclude(pk__in=[state.body.pk, state_root.pk])
            .order_by("path")
        )
        if self.history > 0:  # 2025 first, so that ids rise with time as they would in a real register
            demo_history.load([self.history_office(party), self.history_office(state)], size=self.history,
                              stdout=self.out)  # fmt: skip
        self.say("Living through 2026 in the two offices (documents in, directions, replies, drafts, signatures)…")
        with _simulated(self.clock):
            self.plan_year(party, state)
            self.scheduler.run()
        return self.summary()

    @staticmethod
    def history_office(office: _Office) -> demo_history.HistoryOffice:
        central = (
            CENTRAL_PARTY if office.key == "party" else [(name, issuer, pos) for name, issuer, _u, pos in CENTRAL_STATE]
        )
        return demo_history.HistoryOffice(
            key=office.key, body=office.body, incoming=office.incoming, outgoing=office.outgoing,
            secret=office.secret, clerk=office.clerk, leaders=office.leaders, units=office.units,
            handlers=office.handlers, drafters=office.drafters, signers=office.signers, central=central,
        )  # fmt: skip

    def summary(self) -> Summary:
        counts = Counter(Document.objects.values_list("status", flat=True))
        return Summary(
            registers=Register.objects.count(),
            documents=sum(counts.values()),
            incoming=Document.objects.filter(direction=Direction.INCOMING).count(),
            outgoing=Document.objects.filter(direction=Direction.OUTGOING).count(),
            by_status=dict(counts),
        )


def build(
    *, stdout: TextIOBase, volume: Volume = DEFAULT_VOLUME, now: datetime.datetime | None = None, history: int = 0
) -> Summary:
    """Load the registers and a year of documents into the demo office, all or nothing; with ``history``
    documents of the year before, loaded in bulk (``documents.demo_history``)."""
    with transaction.atomic():
        if Register.objects.exists():
            raise DemoDocumentsError("the database already holds document registers")
        return _Builder(stdout, volume, now or timezone.now(), history).run()


__all__ = ["DEFAULT_VOLUME", "SMALL_VOLUME", "DemoDocumentsError", "Summary", "Volume", "build"]
