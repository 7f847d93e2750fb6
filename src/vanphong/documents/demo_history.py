"""The demo office's previous year: the whole of 2025 in the two offices' registers, loaded in bulk.

The current year (``documents.demo``) is lived through the services, step by step, which costs about
half a second per outgoing document and 50 ms per incoming one. A provincial office registers tens of
thousands of documents a year, so the year before is loaded the way ``bench/doc_corpus.py`` loads its
corpus: rows built in Python and written with ``bulk_create`` in batches, inside the demo's
transaction. Every 2025 document is finished: incoming ones were presented, directed to a lead unit
(sometimes with a coordinating unit), handled and completed, some answered by an outgoing reply
linked to them; outgoing ones were drafted, signed, issued and dispatched to one recipient.

What a registration through the services would leave, the history leaves too:

- numbers: each 2025 series holds 1..n in arrival or issue order and its ``NumberSeries.last_number``
  is n (incoming: one yearly series per register; State outgoing: yearly; Party outgoing: per type
  within the committee term, see below);
- search: ``DocumentText`` composed by ``documents.search.compose_text`` from the same pieces the
  indexer reads, so the FTS5 triggers (SQLite) and the generated tsvector (PostgreSQL) index it;
- the timeline: the main steps (registered, directed, completed; issued, dispatched) as ``FlowEvent``
  rows at their moments; the lead unit's part (``Assignment``) done, so the baskets count it as done;
- the audit log: one entry per document, the registration (``documents.incoming.register`` with the
  same snapshot the service records) or the issue (``documents.outgoing.issue``), appended to the hash
  chain with ``audit.record_many`` at the document's own moment, so ``vanphong audit verify`` passes.
  The intermediate steps have timeline rows but no audit entries of their own.

The history holds register records, not files: no scans, drafts or signed PDFs, no edXML packages.

Party outgoing numbers run per type within the committee term (36-HD/VPTW). The current term began on
2025-10-15, and its series belongs to the part of the demo lived through the services: ``documents.demo``
issues its first documents in October-December 2025 and carries on into 2026, with the numbers given
by the numbering service. Loading history documents into that series as well would interleave two
sources of numbers (a November document numbered after December ones), so the history's Party outgoing
documents are spread over 2 January to 14 October 2025 and numbered in the previous term's series
(``term-2020-10-16``), one per type. The demo holds only the 2025 part of that term, so there the
numbers start at 01 in January 2025.

Random choices use ``random.Random(2025)``: the same history on every run.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import TextIOBase

from django.utils import timezone

from vanphong.core import audit, workcalendar
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.documents import corpus
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Channel,
    Direction,
    Document,
    DocumentText,
    DocumentType,
    EventKind,
    FlowEvent,
    NumberSeries,
    Recipient,
    Register,
    Secrecy,
    Status,
    Urgency,
)
from vanphong.documents.search import compose_text
from vanphong.documents.services.incoming import DOCUMENT_FIELDS
from vanphong.rules import doc_numbers

SEED = 2025
YEAR = 2025
PREVIOUS_TERM_STARTED = datetime.date(2020, 10, 16)  # the day after the 2020 provincial congress closed
BATCH = 2000
# How the year's documents divide, after a provincial office's registers (about 55,000 in, 15,600 out).
INCOMING_SHARE = 0.78
PARTY_INCOMING_SHARE = 0.42
PARTY_OUTGOING_SHARE = 0.40
SECRET_OUTGOING_SHARE = 0.04  # of the State outgoing documents, in the secret register
REPLY_SHARE = 0.3  # outgoing documents that answer an incoming one of the same office

# Incoming types, weighted as in the search corpus; outgoing types of an office of the committee.
INCOMING_TYPES = [(key.replace("-", "_"), weight) for key, _n, _s, _p, weight in corpus.TYPES]
OUTGOING_TYPES = [("cong_van", 55.0), ("bao_cao", 15.0), ("ke_hoach", 8.0), ("thong_bao", 10.0), ("to_trinh", 6.0),
                  ("giay_moi", 6.0)]  # fmt: skip
DIRECTIONS = (
    "Giao {unit} chủ trì nghiên cứu, tham mưu đề xuất; báo cáo trước thời hạn.",
    "Chuyển {unit} theo dõi, tổng hợp; tham mưu văn bản trả lời.",
    "Giao {unit} chủ trì, phối hợp các đơn vị liên quan triển khai thực hiện.",
    "{unit} nghiên cứu, tham mưu xử lý theo quy định.",
)
# Trích yếu by type; {topic} from the corpus's topics, {reference} one of its real resolutions.
ABSTRACTS = {
    "cong_van": ("V/v {topic}", "V/v tăng cường {topic}", "V/v đề nghị báo cáo tình hình {topic}",
                 "V/v góp ý dự thảo {draft} về {topic}", "V/v triển khai thực hiện {reference}"),
    "bao_cao": ("Báo cáo kết quả {topic} {period}", "Báo cáo tình hình thực hiện nhiệm vụ {period}",
                "Báo cáo sơ kết việc thực hiện {reference}"),
    "ke_hoach": ("Kế hoạch triển khai {topic} năm {year}", "Kế hoạch kiểm tra, giám sát {topic} {period}",
                 "Kế hoạch thực hiện {reference}"),
    "thong_bao": ("Thông báo kết luận của Thường trực về {topic}", "Thông báo ý kiến chỉ đạo về {topic}"),
    "giay_moi": ("Giấy mời dự hội nghị về {topic}", "Giấy mời dự hội nghị sơ kết {topic} {period}"),
    "to_trinh": ("Tờ trình về việc phê duyệt Đề án {topic}", "Tờ trình đề nghị bổ sung kinh phí thực hiện {topic}"),
    "quyet_dinh": ("Quyết định về việc thành lập Đoàn kiểm tra {topic}",
                   "Quyết định ban hành Quy chế phối hợp về {topic}"),
    "nghi_quyet": ("Nghị quyết về {topic} giai đoạn 2026 - 2030",),
    "huong_dan": ("Hướng dẫn thực hiện {topic}", "Hướng dẫn triển khai {reference}"),
    "chi_thi": ("Chỉ thị về tăng cường {topic}",),
    "chuong_trinh": ("Chương trình hành động thực hiện {reference}", "Chương trình công tác về {topic} năm {year}"),
    "ket_luan": ("Kết luận của Ban Thường vụ về {topic}",),
    "cong_dien": ("Công điện về việc tập trung chỉ đạo {topic}",),
}  # fmt: skip
QUARTERS = ("I", "II", "III", "IV")
ANSWERED_TYPES = {"cong_van", "to_trinh", "bao_cao", "ke_hoach"}  # what a reply answers (not a decision or invitation)
RESULTS = ("Đã tổng hợp, báo cáo lãnh đạo Văn phòng.", "Đã triển khai thực hiện; lưu hồ sơ.", "Đã lưu để theo dõi.")


@dataclass
class HistoryOffice:
    """What the history needs of one office (built by ``documents.demo`` from its own office)."""

    key: str  # party, state
    body: Organization
    incoming: Register
    outgoing: Register
    secret: Register | None
    clerk: Actor
    leaders: list[Actor]
    units: list[Organization]
    handlers: dict[int, list[Actor]]
    drafters: list[tuple[Actor, Organization]]
    signers: list[tuple[Actor, str, str]]
    central: Sequence[tuple[str, str, str]]  # outside senders: name, symbol issuer, signer's position


@dataclass(frozen=True)
class _Part:
    """A unit's part in handling a history document, done."""

    unit: Organization
    role: str
    handler: Person | None
    deadline: datetime.date
    assigned_at: datetime.datetime
    done_at: datetime.datetime
    leader: Actor


@dataclass(frozen=True)
class Loaded:
    incoming: int
    outgoing: int


def _person(actor: Actor) -> Person:
    account = actor.account
    if account is None or account.person is None:
        raise RuntimeError("a demo actor has no person")
    return account.person


class _History:
    def __init__(self, offices: Sequence[HistoryOffice], size: int) -> None:
        self.offices = offices
        self.size = size
        self.rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not a secret)
        self.tz = timezone.get_current_timezone()
        calendar = workcalendar.calendar()
        day, last = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
        self.days: list[datetime.date] = []
        while day <= last:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += datetime.timedelta(days=1)
        self.calendar = calendar
        self.types = {(t.system, t.key): t for t in DocumentType.objects.all()}
        self.sender_numbers: dict[str, int] = {}
        self.parts: dict[int, list[_Part]] = {}  # by id() of the planned incoming document
        self.replied: dict[int, datetime.datetime] = {}  # id() of an incoming document -> its reply's issue
        self.topic_weights = corpus.zipf_weights(len(corpus.GENERIC_TOPICS))

    # --- moments -----------------------------------------------------------------------------------------

    def spread(self, count: int, until: datetime.date | None = None) -> list[datetime.datetime]:
        """``count`` moments over the working days of the year (before ``until``), rising, in office hours."""
        days = [day for day in self.days if until is None or day < until]
        moments = []
        for index in range(count):
            position = index * len(days) / count
            day = days[int(position)]
            minutes = 7 * 60 + 30 + int((position % 1) * 9 * 60)
            naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60, index % 60))
            moments.append(timezone.make_aware(naive, self.tz))
        return moments

    def later(self, at: datetime.datetime, working_days: int) -> datetime.datetime:
        day = self.calendar.add_working_days(timezone.localtime(at, self.tz).date(), working_days)
        minutes = self.rng.randint(8 * 60, 16 * 60 + 30)
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60, self.rng.randrange(60))), self.tz
        )

    # --- what the documents say --------------------------------------------------------------------------

    def abstract(self, type_key: str, day: datetime.date) -> str:
        """A trích yếu that fits the type, about a topic drawn by the corpus's Zipf law, citing only
        resolutions issued before ``day``."""
        topic = self.rng.choices(corpus.GENERIC_TOPICS, self.topic_weights)[0]
        references = [r for r in corpus.REFERENCES if "/2025 " not in r or day.month >= 6]
        month = max(1, day.month - 1)
        period = self.rng.choice(
            [f"tháng {month}/{YEAR}", f"quý {QUARTERS[max(0, (day.month - 1) // 3 - 1)]}/{YEAR}", f"năm {YEAR}"]
            + ([f"6 tháng đầu năm {YEAR}"] if day.month >= 7 else [])
        )
        shape = self.rng.choice(ABSTRACTS.get(type_key, ABSTRACTS["cong_van"]))
        return shape.format(
            topic=topic, period=period, year=YEAR, reference=self.rng.choice(references),
            draft=self.rng.choice(["Đề án", "Kế hoạch", "Quy chế"]),
        )  # fmt: skip

    def sender_number(self, name: str) -> int:
        number = self.sender_numbers.get(name, self.rng.randint(1, 12)) + self.rng.randint(1, 9)
        self.sender_numbers[name] = number
        return number

    def senders_by_month(self, office: HistoryOffice) -> dict[int, list[Organization]]:
        """The office's own tree as it stood each month of 2025 (districts until 30 June, the new communes
        from 1 July, the merged departments until 1 March)."""
        root = office.body.parent
        if root is None:
            return {month: [] for month in range(1, 13)}
        candidates = list(
            Organization.objects.filter(path__startswith=root.path)
            .exclude(kind="internal_unit")
            .exclude(pk__in=[office.body.pk, root.pk])
            .order_by("path")
        )
        months = {}
        for month in range(1, 13):
            day = datetime.date(YEAR, month, 15)
            months[month] = [
                org
                for org in candidates
                if (org.established_on is None or org.established_on <= day)
                and (org.dissolved_on is None or org.dissolved_on > day)
            ]
        return months

    # --- incoming ----------------------------------------------------------------------------------------

    def incoming(self, office: HistoryOffice, count: int) -> list[Document]:
        system = office.incoming.system
        senders = self.senders_by_month(office)
        weights = [weight for key, weight in INCOMING_TYPES if (system, key) in self.types]
        keys = [key for key, _weight in INCOMING_TYPES if (system, key) in self.types]
        NumberSeries.objects.create(register=office.incoming, period=str(YEAR), last_number=count)
        documents = []
        for number, arrived in enumerate(self.spread(count), start=1):
            local = timezone.localtime(arrived, self.tz)
            dtype = self.types[(system, self.rng.choices(keys, weights)[0])]
            own = senders[local.month]
            if own and self.rng.random() < 0.7:
                chosen: Organization = self.rng.choice(own)
                org: Organization | None = chosen
                name, issuer, position = chosen.full_name, chosen.abbreviation or "UBND", "Phó Giám đốc"
                if system == "party":
                    position = "Phó Bí thư"
                elif issuer == "UBND":
                    position = "Phó Chủ tịch"
            else:
                org = None
                name, issuer, position = self.rng.choice(office.central)
            party = system == "party"
            symbol = corpus.symbol(
                self.rng, self.sender_number(name), dtype.abbreviation or ("CV" if party else ""), issuer, party,
                YEAR, False,
            )  # fmt: skip
            dated = local.date() - datetime.timedelta(days=self.rng.randint(0, 6))
            electronic = org is not None and bool(org.identifier_code) and self.rng.random() < 0.35
            documents.append(
                Document(
                    direction=Direction.INCOMING,
                    register=office.incoming,
                    status=Status.COMPLETED,
                    document_type=dtype,
                    number_symbol=symbol,
                    symbol_key=doc_numbers.symbol_key(symbol),
                    document_date=dated,
                    abstract=self.abstract(dtype.key, local.date()),
                    signer_name=corpus.person_name(self.rng),
                    signer_position=position,
                    urgency=self.rng.choices([Urgency.NORMAL, Urgency.URGENT, Urgency.VERY_URGENT], [85, 12, 3])[0],
                    secrecy=Secrecy.MAT if self.rng.random() < 0.005 else Secrecy.NONE,
                    pages=self.rng.randint(1, 12),
                    arrival_year=YEAR,
                    arrival_number=number,
                    arrived_at=arrived,
                    channel=Channel.EDXML if electronic else Channel.PAPER,
                    sender=org,
                    sender_name=name if org is None else "",
                    sender_code=(org.identifier_code or "") if org is not None else "",
                    created_by=office.clerk.account,
                    created_at=arrived,
                    updated_at=arrived,
                )
            )
        return documents

    def handle(self, office: HistoryOffice, document: Document, replied_at: datetime.datetime | None) -> None:
        """Presented, directed, handled and completed (at ``replied_at`` when a reply answers it)."""
        arrived = document.arrived_at or document.created_at
        leader = office.leaders[0] if self.rng.random() < 0.8 else self.rng.choice(office.leaders)
        presented = self.later(arrived, self.rng.choice([0, 0, 1]))
        presented = max(presented, arrived + datetime.timedelta(minutes=20))
        directed = presented + datetime.timedelta(minutes=self.rng.randint(30, 240))
        if document.secrecy > Secrecy.NONE:
            unit = office.units[0]
        else:
            unit = self.rng.choices(office.units, [6, 2, 1, 1, 1][: len(office.units)])[0]
        deadline = self.calendar.add_working_days(timezone.localtime(directed, self.tz).date(), self.rng.randint(3, 15))
        completed = replied_at or self.later(directed, self.rng.randint(1, 16))
        completed = max(completed, directed + datetime.timedelta(hours=1))
        document.presented_to = _person(leader)
        document.presented_at = presented
        document.directed_by = _person(leader)
        document.directed_at = directed
        document.direction_text = self.rng.choice(DIRECTIONS).format(unit=unit.short_name or unit.full_name)
        document.handling_deadline = deadline
        document.completed_at = completed
        document.updated_at = completed
        document.result = "Đã tham mưu văn bản trả lời." if replied_at is not None else self.rng.choice(RESULTS)
        handlers = [actor for actor in office.handlers.get(unit.pk, []) if document.secrecy <= _person(actor).clearance]
        handler = _person(self.rng.choice(handlers)) if handlers else None
        parts = [_Part(unit, AssignmentRole.LEAD, handler, deadline, directed, completed, leader)]
        if self.rng.random() < 0.15 and len(office.units) > 1:
            other = self.rng.choice([u for u in office.units if u.pk != unit.pk])
            parts.append(_Part(other, AssignmentRole.COORDINATE, None, deadline, directed, completed, leader))
        self.parts[id(document)] = parts

    # --- outgoing ----------------------------------------------------------------------------------------

    def outgoing(
        self, office: HistoryOffice, register: Register, count: int, answers: list[Document]
    ) -> list[Document]:
        """``count`` documents issued over the year; some answer one of ``answers`` (arrived earlier)."""
        system = register.system
        keys = [key for key, _w in OUTGOING_TYPES]
        weights = [w for _k, w in OUTGOING_TYPES]
        counters: dict[tuple[str, str], int] = defaultdict(int)
        periods: dict[tuple[str, str], NumberSeries] = {}
        documents = []
        arrivals = [d.arrived_at or d.created_at for d in answers]
        keys_of: dict[int, tuple[str, str]] = {}
        # Party: only up to the start of the current term (see the module's docstring).
        term_started = register.term_started_on if system == "party" else None
        until = term_started if term_started is not None and term_started.year == YEAR else None
        for issued in self.spread(count, until):
            issued_on = timezone.localtime(issued, self.tz).date()
            dtype = self.types[(system, self.rng.choices(keys, weights)[0])]
            if system == "party":
                started = PREVIOUS_TERM_STARTED if until is not None else register.term_started_on
                period = doc_numbers.series_period(
                    doc_numbers.System.PARTY, doc_numbers.NumberingScheme.TERM, issued_on, started
                )
                type_key = dtype.key
            else:
                period, type_key = str(YEAR), (dtype.key if register.per_type or dtype.normative else "")
            counters[(period, type_key)] += 1
            number = counters[(period, type_key)]
            drafter, unit = self.rng.choice(office.drafters)
            signer, position, authority = self.rng.choice(office.signers)
            symbol = doc_numbers.format_symbol(
                doc_numbers.System(system),
                number,
                dtype.abbreviation,
                register.issuer_abbreviation,
                drafting_unit=unit.abbreviation if system == "state" and not dtype.abbreviation else None,
            )
            reply_to = None
            if answers and dtype.key == "cong_van" and self.rng.random() < REPLY_SHARE / 0.55:
                # An arrival of the last weeks, not yet answered.
                cut = bisect.bisect_left(arrivals, issued - datetime.timedelta(days=4))
                for _try in range(4):
                    if cut <= 0:
                        break
                    candidate = answers[self.rng.randrange(max(0, cut - 40), cut)]
                    if (
                        candidate.secrecy == Secrecy.NONE
                        and id(candidate) not in self.replied
                        and candidate.document_type is not None
                        and candidate.document_type.key in ANSWERED_TYPES
                    ):
                        reply_to = candidate
                        break
            if reply_to is not None:
                sender = reply_to.sender.full_name if reply_to.sender else reply_to.sender_name
                abstract = f"V/v phúc đáp Văn bản số {reply_to.number_symbol} của {sender}"
                self.replied[id(reply_to)] = issued
            else:
                abstract = self.abstract(dtype.key, issued_on)
            drafted = self.later(issued, 0) - datetime.timedelta(days=self.rng.randint(2, 9))
            documents.append(
                Document(
                    direction=Direction.OUTGOING,
                    register=register,
                    status=Status.DISPATCHED,
                    document_type=dtype,
                    number_symbol=symbol,
                    symbol_key=doc_numbers.symbol_key(symbol),
                    number=number,
                    document_date=issued_on,
                    abstract=abstract,
                    signer_name=_person(signer).full_name,
                    signer_position=position,
                    signer_authority=authority,
                    urgency=Urgency.NORMAL if self.rng.random() < 0.9 else Urgency.URGENT,
                    secrecy=Secrecy.MAT if register.secret else Secrecy.NONE,
                    pages=self.rng.randint(1, 6),
                    copies=self.rng.randint(2, 12),
                    drafting_unit=unit,
                    drafter=_person(drafter),
                    signer=_person(signer),
                    place=register.place,
                    issued_at=issued,
                    reply_to=reply_to,
                    created_by=drafter.account,
                    created_at=min(drafted, issued),
                    updated_at=issued + datetime.timedelta(minutes=30),
                )
            )
            keys_of[id(documents[-1])] = (period, type_key)
        for (period, type_key), last in counters.items():
            periods[(period, type_key)] = NumberSeries.objects.create(
                register=register, period=period, type_key=type_key, last_number=last
            )
        for document in documents:
            document.series = periods[keys_of[id(document)]]
        return documents

    # --- writing -----------------------------------------------------------------------------------------

    def run(self) -> Loaded:
        incoming_total = round(self.size * INCOMING_SHARE)
        outgoing_total = self.size - incoming_total
        loaded_in = loaded_out = 0
        for office in self.offices:
            share_in = PARTY_INCOMING_SHARE if office.key == "party" else 1 - PARTY_INCOMING_SHARE
            share_out = PARTY_OUTGOING_SHARE if office.key == "party" else 1 - PARTY_OUTGOING_SHARE
            arrivals = self.incoming(office, round(incoming_total * share_in))
            registers = [(office.outgoing, round(outgoing_total * share_out))]
            if office.secret is not None:
                secret = round(registers[0][1] * SECRET_OUTGOING_SHARE)
                registers = [(office.outgoing, registers[0][1] - secret), (office.secret, secret)]
            issued: list[Document] = []
            for register, count in registers:
                if count:
                    issued += self.outgoing(office, register, count, arrivals if not register.secret else [])
            for document in arrivals:
                self.handle(office, document, self.replied.get(id(document)))
            self.write_incoming(office, arrivals)
            self.write_outgoing(office, issued)
            loaded_in += len(arrivals)
            loaded_out += len(issued)
        return Loaded(loaded_in, loaded_out)

    def write_incoming(self, office: HistoryOffice, documents: list[Document]) -> None:
        for batch in _batches(documents):
            Document.objects.bulk_create(batch)
            parts, events = [], []
            for d in batch:
                mine = self.parts[id(d)]
                parts += [
                    Assignment(
                        document=d, unit=p.unit, role=p.role, handler=p.handler, deadline=p.deadline,
                        state=AssignmentState.DONE, assigned_at=p.assigned_at, done_at=p.done_at,
                    )
                    for p in mine
                ]  # fmt: skip
                lead = mine[0]
                lead_unit, handler, completed, leader = lead.unit, lead.handler, lead.done_at, lead.leader
                arrived, presented = d.arrived_at or d.created_at, d.presented_at or lead.assigned_at
                events += [
                    FlowEvent(document=d, kind=EventKind.REGISTERED, at=arrived, actor=_person(office.clerk),
                              data={"arrival_number": d.arrival_number, "channel": d.channel}),
                    FlowEvent(document=d, kind=EventKind.PRESENTED, at=presented, actor=_person(office.clerk)),
                    FlowEvent(document=d, kind=EventKind.DIRECTED, at=lead.assigned_at, actor=_person(leader),
                              unit=lead_unit, note=d.direction_text),
                    FlowEvent(document=d, kind=EventKind.COMPLETED, at=completed, actor=handler or _person(leader),
                              unit=lead_unit, note=d.result),
                ]  # fmt: skip
            Assignment.objects.bulk_create(parts)
            FlowEvent.objects.bulk_create(events)
            self.write_texts(batch)
            audit.record_many(
                audit.Pending(office.clerk, "documents.incoming.register", d, d.arrived_at or d.created_at,
                              _registration_snapshot(d))
                for d in batch
            )  # fmt: skip

    def write_outgoing(self, office: HistoryOffice, documents: list[Document]) -> None:
        recipients = self.senders_by_month(office)[12] or [office.body]
        clerk = _person(office.clerk)
        for batch in _batches(documents):
            Document.objects.bulk_create(batch)
            rows, events = [], []
            for d in batch:
                issued = d.issued_at or d.created_at
                dispatched = issued + datetime.timedelta(minutes=self.rng.randint(5, 25))
                if d.reply_to is not None:
                    target = d.reply_to.sender
                    name = d.reply_to.sender.full_name if d.reply_to.sender else d.reply_to.sender_name
                else:
                    target = self.rng.choice(recipients)
                    name = target.full_name
                code = (target.identifier_code or "") if target is not None else ""
                rows.append(
                    Recipient(document=d, organization=target, name=name, identifier_code=code,
                              channel=Channel.EDXML if code else Channel.PAPER, dispatched_at=dispatched)
                )  # fmt: skip
                events += [
                    FlowEvent(document=d, kind=EventKind.ISSUED, at=issued, actor=clerk,
                              data={"number_symbol": d.number_symbol}),
                    FlowEvent(document=d, kind=EventKind.DISPATCHED, at=dispatched, actor=clerk,
                              data={"recipients": 1}),
                ]  # fmt: skip
            Recipient.objects.bulk_create(rows)
            FlowEvent.objects.bulk_create(events)
            self.write_texts(batch)
            audit.record_many(
                audit.Pending(office.clerk, "documents.outgoing.issue", d, d.issued_at or d.created_at,
                              {"number_symbol": d.number_symbol})
                for d in batch
            )  # fmt: skip

    @staticmethod
    def write_texts(batch: list[Document]) -> None:
        """The search text, composed from the pieces ``search.index_document`` reads (the history has no files)."""
        texts = []
        for d in batch:
            type_name = d.document_type.name if d.document_type is not None else ""
            pieces = [d.number_symbol, type_name, d.abstract, d.sender_name, d.signer_name, d.direction_text, d.result]
            exact, folded, symbols = compose_text(pieces)
            texts.append(DocumentText(document=d, exact=exact, folded=folded, symbols=symbols, updated_at=d.updated_at))
        DocumentText.objects.bulk_create(texts)


def _registration_snapshot(document: Document) -> dict[str, object]:
    """What ``register_incoming`` records: the document as registered, before any later step."""
    values = audit.snapshot(document, DOCUMENT_FIELDS)
    values["status"] = Status.REGISTERED
    values["handling_deadline"] = None
    return values


def _batches(documents: list[Document]) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def load(offices: Sequence[HistoryOffice], *, size: int, stdout: TextIOBase) -> Loaded:
    """Load ``size`` documents of 2025 into the offices' registers (inside the caller's transaction).

    The registers must hold no numbers yet. Only 2025 series are written (the yearly ones and the
    previous Party term's); the current Party term's series is left to the services.
    """
    if size <= 0:
        return Loaded(0, 0)
    registers = [r for o in offices for r in (o.incoming, o.outgoing, o.secret) if r is not None]
    if NumberSeries.objects.filter(register__in=registers).exists():
        raise RuntimeError("the previous year goes into registers that hold no numbers yet")
    stdout.write(f"Loading the registers of {YEAR} ({size} documents, in bulk)…\n")
    with _keeping_times():
        return _History(offices, size).run()


_TIMED_FIELDS = (
    (Document, "created_at"), (Document, "updated_at"), (Assignment, "assigned_at"), (FlowEvent, "at"),
    (DocumentText, "updated_at"),
)  # fmt: skip


@contextmanager
def _keeping_times() -> Iterator[None]:
    """Let ``bulk_create`` keep the history's own moments, which ``auto_now``/``auto_now_add`` would replace
    with the load time on every row. Only for the length of the load, in this process."""
    saved = []
    for model, name in _TIMED_FIELDS:
        timed = model._meta.get_field(name)
        saved.append((timed, timed.auto_now, timed.auto_now_add))  # type: ignore[union-attr]
        timed.auto_now = timed.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for timed, auto_now, auto_now_add in saved:
            timed.auto_now, timed.auto_now_add = auto_now, auto_now_add  # type: ignore[union-attr]


__all__ = ["HistoryOffice", "Loaded", "load"]
