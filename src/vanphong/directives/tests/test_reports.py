"""Task statistics: counts by status class per unit, leader, source and period, made by the database over
what the viewer may see; the page, its XLSX and PDF exports with the chart, the API, and their matrix."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Role
from vanphong.core.services import accounts, roles
from vanphong.directives import reports
from vanphong.directives.models import SourceKind, Task
from vanphong.directives.services import extensions, progress
from vanphong.directives.services.tasks import TaskData, assign_task
from vanphong.rules.task_status import StatusClass, classify
from vanphong.testing import SYSTEM, Office, make_account, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = datetime.timedelta
LATER = TODAY + D(days=20)  # the day the figures are read in the service tests
YEAR = reports.Query(start=datetime.date(TODAY.year, 1, 1), end=datetime.date(TODAY.year, 12, 31))


@dataclass
class Desk:
    """The office's personas, a UBND leader, and tasks in every status class (read on ``LATER``)."""

    office: Office
    ubnd_leader: Account  # Chủ tịch UBND tỉnh: LEADER of the People's Committee
    on_time: Task  # Phòng Tổng hợp, completed today, deadline TODAY+10
    late: Task  # Phòng Tổng hợp, proposed on TODAY+15 for a deadline TODAY+10
    extended: Task  # Phòng Tổng hợp, TODAY+10 extended to TODAY+40
    open_ended: Task  # Phòng Tổng hợp, no deadline
    overdue: Task  # Sở Nội vụ, deadline TODAY+10, still open
    due_soon: Task  # Sở Nội vụ, deadline TODAY+25
    ubnd_task: Task  # Sở Nội vụ, assigned by the UBND: not the Party office's to see

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")


def _task(desk_actor: Actor, title: str, unit: Any, days: int | None, kind: str = SourceKind.CONCLUSION) -> Task:
    deadline = TODAY + D(days=days) if days is not None else None
    data = TaskData(title=title, content="", lead_unit=unit, deadline=deadline, source_kind=kind)
    return assign_task(desk_actor, data)


@pytest.fixture
def desk(office: Office) -> Desk:
    chief = Actor(account=office.chief, source="web")
    leader_person = make_person("Trần Phước Hiền", office.peoples_committee)
    roles.grant_role(SYSTEM, leader_person, office.peoples_committee, Role.LEADER)  # type: ignore[arg-type]
    ubnd_leader = make_account(leader_person, "chutichubnd")
    general, home = office.general_unit, office.home_affairs
    on_time = _task(chief, "Báo cáo sơ kết công tác chuyển đổi số", general, 10, SourceKind.DOCUMENT)
    late = _task(chief, "Tham mưu kế hoạch thực hiện Nghị quyết 57-NQ/TW", general, 10)
    extended = _task(chief, "Rà soát quy chế làm việc của Ban Thường vụ", general, 10, SourceKind.DIRECTION)
    open_ended = _task(chief, "Theo dõi việc tiếp công dân định kỳ", general, None)
    overdue = _task(chief, "Báo cáo công tác cán bộ quý IV", home, 10)
    due_soon = _task(chief, "Tổng hợp nhu cầu đào tạo, bồi dưỡng năm sau", home, 25)
    ubnd_task = _task(Actor(account=ubnd_leader, source="web"), "Rà soát biên chế các sở", home, 35)
    deputy = Actor(account=office.deputy, source="web")  # four eyes: the deputy proposes, the chief accepts
    progress.propose_completion(deputy, on_time, today=TODAY)
    progress.accept_completion(chief, on_time)
    progress.propose_completion(deputy, late, today=TODAY + D(days=15))
    progress.accept_completion(chief, late)
    request = extensions.request_extension(
        chief, extended, new_deadline=TODAY + D(days=40), reason="Chờ ý kiến các ban"
    )
    extensions.decide_extension(chief, request, approve=True)
    fresh = {t.pk: t for t in Task.objects.all()}
    return Desk(
        office, ubnd_leader, fresh[on_time.pk], fresh[late.pk], fresh[extended.pk], fresh[open_ended.pk],
        fresh[overdue.pk], fresh[due_soon.pk], fresh[ubnd_task.pk],
    )  # fmt: skip


def counts(row: reports.Row) -> dict[str, int]:
    return {cls.value: n for cls, n in zip(reports.CLASSES, row.counts, strict=True) if n}


def by_label(stats: reports.Statistics) -> dict[str, dict[str, int]]:
    return {row.label: counts(row) for row in stats.rows}


# --- counting -----------------------------------------------------------------------------------------------


def test_counts_per_unit_by_status_class(desk: Desk) -> None:
    stats = reports.statistics(desk.office.chief, YEAR, today=LATER)
    assert by_label(stats) == {
        "Phòng Tổng hợp": {"not_yet_due": 1, "extended": 1, "completed_on_time": 1, "completed_late": 1},
        # the UBND's own task for Sở Nội vụ is not the Party office's to see, so it is not counted
        "Sở Nội vụ": {"overdue": 1, "due_soon": 1},
    }
    assert stats.totals.total == 6
    assert [row.label for row in stats.rows] == ["Phòng Tổng hợp", "Sở Nội vụ"]  # the busiest first
    general = stats.rows[0]
    assert general.on_time_rate == 50.0


def test_a_task_the_viewer_cannot_see_is_not_counted(desk: Desk) -> None:
    # Sở Nội vụ's specialist sees the tasks his unit leads, whoever assigned them, and nothing else.
    stats = reports.statistics(desk.office.specialist, YEAR, today=LATER)
    assert by_label(stats) == {"Sở Nội vụ": {"overdue": 1, "due_soon": 1, "not_yet_due": 1}}
    # The UBND's leader sees every task of the units under the UBND, not those of the Party office's rooms.
    stats = reports.statistics(desk.ubnd_leader, YEAR, today=LATER)
    assert by_label(stats) == {"Sở Nội vụ": {"overdue": 1, "due_soon": 1, "not_yet_due": 1}}
    # The Tỉnh ủy's administrator holds no working role: administration alone shows no task, so none is counted.
    assert reports.statistics(desk.office.party_admin, YEAR, today=LATER).totals.total == 0


def test_the_database_counts_agree_with_the_pure_rule(desk: Desk) -> None:
    """The conditional counts read each task exactly as rules.task_status.classify does, on any day."""
    for day in (TODAY, TODAY + D(days=9), LATER, TODAY + D(days=41)):
        stats = reports.statistics(desk.office.chief, YEAR, today=day)
        expected: dict[str, int] = {}
        for task in Task.objects.exclude(pk=desk.ubnd_task.pk):
            cls = classify(task.deadline, task.completed_on, day, extended=task.is_extended, due_soon_days=7)
            expected[cls.value] = expected.get(cls.value, 0) + 1
        assert counts(stats.totals) == expected, day


def test_per_leader_source_and_period(desk: Desk) -> None:
    chief = desk.office.chief
    by_leader = reports.statistics(desk.office.specialist, reports.Query(YEAR.start, YEAR.end, group="leader"))
    assert {row.label: row.total for row in by_leader.rows} == {"Trần Văn Bình": 2, "Trần Phước Hiền": 1}
    with translation.override("en"):
        by_source = reports.statistics(chief, reports.Query(YEAR.start, YEAR.end, group="source"), today=LATER)
    assert {row.label: row.total for row in by_source.rows} == {
        "Meeting conclusion": 4,
        "Document": 1,
        "Leader's direction on a document": 1,
    }
    assert {row.key for row in by_source.rows} == {"conclusion", "document", "direction"}
    printed = reports.statistics(chief, reports.Query(YEAR.start, YEAR.end, group="source"), printed=True)
    assert {row.label for row in printed.rows} == {"Kết luận cuộc họp", "Văn bản", "Ý kiến chỉ đạo trên văn bản"}
    by_month = reports.statistics(chief, reports.Query(YEAR.start, YEAR.end, group="month"), today=LATER)
    assert [(row.label, row.total) for row in by_month.rows] == [(f"{TODAY:%m/%Y}", 6)]
    by_year = reports.statistics(chief, reports.Query(YEAR.start, YEAR.end, group="year"))
    assert [(row.label, row.total) for row in by_year.rows] == [(str(TODAY.year), 6)]


def test_months_follow_local_midnight_and_add_up_to_quarters(desk: Desk) -> None:
    # Assigned at 00:30 on 1 September, local time: September's, though still 31 August in UTC.
    moment = datetime.datetime(TODAY.year, 9, 1, 0, 30, tzinfo=timezone.get_current_timezone())
    Task.objects.filter(pk=desk.overdue.pk).update(created_at=moment)
    query = reports.Query(YEAR.start, YEAR.end, group="quarter")
    stats = reports.statistics(desk.office.chief, query, today=LATER)
    months = {row.label: row.total for row in stats.months}
    assert len(months) == 12 and sum(months.values()) == 6  # every month of the year, zeros included
    assert months[f"09/{TODAY.year}"] == 1 and months[f"08/{TODAY.year}"] == 0
    assert [(row.label, row.total) for row in stats.rows] == [(f"III/{TODAY.year}", 1), (f"IV/{TODAY.year}", 5)]
    assert stats.rows[0].count(StatusClass.OVERDUE) == 1


def test_filters_narrow_by_unit_leader_source_and_deadline(desk: Desk) -> None:
    office = desk.office
    unit = reports.statistics(office.chief, reports.Query(YEAR.start, YEAR.end, unit=office.home_affairs))
    assert [row.label for row in unit.rows] == ["Sở Nội vụ"]
    # The party office's subtree holds Phòng Tổng hợp: a unit filter takes the units under it.
    subtree = reports.statistics(office.chief, reports.Query(YEAR.start, YEAR.end, unit=office.party_office))
    assert [row.label for row in subtree.rows] == ["Phòng Tổng hợp"]
    source = reports.statistics(office.chief, reports.Query(YEAR.start, YEAR.end, source=SourceKind.DIRECTION))
    assert source.totals.total == 1
    leader = reports.statistics(office.specialist, reports.Query(YEAR.start, YEAR.end, leader=desk.ubnd_leader.person))
    assert leader.totals.total == 1
    # On deadlines: only those in the period, and never the tasks without one.
    window = reports.Query(TODAY + D(days=20), TODAY + D(days=30), basis="deadline")
    assert reports.statistics(office.chief, window).totals.total == 1  # the due-soon one (TODAY+25)
    before = reports.Query(TODAY - D(days=400), TODAY - D(days=1))
    assert reports.statistics(office.chief, before).totals.total == 0


def test_one_aggregate_query_whatever_the_number_of_tasks(desk: Desk, django_assert_num_queries: Any) -> None:
    reports.statistics(desk.office.chief, YEAR)  # warms the reach cache of the account
    with django_assert_num_queries(1):
        reports.statistics(desk.office.chief, YEAR)


def test_the_filter_reads_year_quarter_month_and_days(office: Office) -> None:
    def period(data: dict[str, str]) -> tuple[datetime.date, datetime.date]:
        form = reports.StatisticsFilter(data, account=office.chief)
        assert form.is_valid(), form.errors
        return form.period()

    assert period({"year": "2025", "quarter": "2"}) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert period({"year": "2024", "month": "2"}) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert period({"year": "2025", "quarter": "4"}) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
    assert period({"from": "15/03/2025"}) == (datetime.date(2025, 3, 15), datetime.date(2025, 12, 31))
    assert period({}) == (datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    assert not reports.StatisticsFilter({"from": "2025-05-01", "to": "2025-04-01"}, account=office.chief).is_valid()
    assert not reports.StatisticsFilter({"quarter": "1", "month": "2"}, account=office.chief).is_valid()
    assert not reports.StatisticsFilter({"group": "colour"}, account=office.chief).is_valid()
    too_long = {"from": "01/01/2000", "to": "31/12/2025"}
    assert not reports.StatisticsFilter(too_long, account=office.chief).is_valid()


# --- exports ------------------------------------------------------------------------------------------------


def test_xlsx_has_the_heading_table_totals_and_chart(desk: Desk) -> None:
    stats = reports.statistics(desk.office.chief, YEAR, today=LATER, printed=True)
    book = load_workbook(io.BytesIO(reports.rendered(stats, "xlsx")))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"
    assert values[2][0] == f"Năm {TODAY.year} (theo ngày giao)"
    header = values[5]
    assert header[:4] == ("STT", "Đơn vị chủ trì", "Tổng số", "Chưa đến hạn")
    assert values[6][:3] == (1, "Phòng Tổng hợp", 4)
    assert values[8][1:3] == ("Tổng cộng", 6)
    assert len(sheet._charts) == 1


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text() -> None:
    query = reports.Query(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    row = reports.Row("1", '=HYPERLINK("http://x","Ban A")', (1, 0, 0, 0, 0, 0))
    stats = reports.Statistics(query, TODAY, (row,), row, (row,))
    sheet = load_workbook(io.BytesIO(reports.rendered(stats, "xlsx"))).active
    cell = sheet.cell(row=7, column=2)
    assert cell.value == '=HYPERLINK("http://x","Ban A")' and cell.data_type == "s"


def test_pdf_is_landscape_with_heading_period_chart_and_table(desk: Desk) -> None:
    stats = reports.statistics(desk.office.chief, YEAR, today=LATER, printed=True)
    reader = PdfReader(io.BytesIO(reports.rendered(stats, "pdf")))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ" in text
    assert f"Năm {TODAY.year}" in text
    assert "Nhiệm vụ theo đơn vị chủ trì" in text  # the chart's title, drawn in the PDF
    assert "Hoàn thành đúng hạn" in text and "Phòng Tổng hợp" in text and "Tổng cộng" in text


# --- the page, the exports and the API ------------------------------------------------------------------------


def english(client: Client) -> Client:
    client.cookies["vanphong_language"] = "en"
    return client


def test_the_page_shows_the_table_and_an_accessible_chart(desk: Desk, client: Client) -> None:
    english(client).force_login(desk.office.chief)
    page = client.get(reverse("directives:statistics"))
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="statistics-table"') :]
    assert "Phòng Tổng hợp" in table and "Sở Nội vụ" in table
    assert '<svg class="chart" role="img"' in html and "<title id=" in html
    assert reverse("directives:statistics_export", args=["pdf"]) in html
    fragment = client.get(reverse("directives:statistics"), {"group": "leader"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "Trần Văn Bình" in fragment.content.decode()


def test_the_page_neither_counts_nor_offers_what_the_viewer_cannot_see(desk: Desk, client: Client) -> None:
    english(client).force_login(desk.office.specialist)
    html = client.get(reverse("directives:statistics")).content.decode()
    assert "Sở Nội vụ" in html
    assert "Phòng Tổng hợp" not in html  # neither in the table nor among the unit choices
    refused = client.get(reverse("directives:statistics"), {"unit": desk.office.general_unit.pk})
    assert refused.status_code == 400  # a unit outside the choices is not a valid filter


def test_exports_download_with_the_page_filters(desk: Desk, client: Client) -> None:
    client.force_login(desk.office.chief)
    pdf = client.get(reverse("directives:statistics_export", args=["pdf"]), {"year": TODAY.year})
    assert pdf["Content-Type"] == "application/pdf"
    assert f"thong-ke-nhiem-vu-{TODAY.year}0101-{TODAY.year}1231.pdf" in pdf["Content-Disposition"]
    body = b"".join(pdf.streaming_content)  # type: ignore[attr-defined]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "VĂN PHÒNG TỈNH ỦY" in text  # the viewer's body heads the printout
    xlsx = client.get(reverse("directives:statistics_export", args=["xlsx"]), {"group": "unit", "unit": "x"})
    assert xlsx.status_code == 400


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Kết nối phần mềm")
    return {"Authorization": f"Bearer {raw}"}


def test_api_answers_the_same_figures(desk: Desk, client: Client) -> None:
    response = client.get("/api/tasks/statistics", {"group": "unit"}, headers=bearer(desk.office.specialist))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["from"] == f"{TODAY.year}-01-01" and data["group"] == "unit"
    assert [row["label"] for row in data["rows"]] == ["Sở Nội vụ"]
    assert data["totals"]["total"] == 3 and set(data["classes"]) == {c.value for c in StatusClass}
    bad = client.get("/api/tasks/statistics", {"basis": "moon"}, headers=bearer(desk.office.chief))
    assert bad.status_code == 400 and "basis" in bad.json()["fields"]


# --- the permission matrix --------------------------------------------------------------------------------------

LOGIN = -302


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[Desk], str]
    persona: str
    method: str
    expected: int

    def label(self) -> str:
        return f"{self.name}-{self.persona}-{self.method}-{self.expected}"


def _u(name: str, *args: str) -> Callable[[Desk], str]:
    return lambda _desk: reverse(f"directives:{name}", args=list(args))


def _rows(name: str, url: Callable[[Desk], str], expected: dict[str, int], method: str = "GET") -> list[Case]:
    return [Case(name, url, persona, method, status) for persona, status in expected.items()]


# Statistics are counted over what each person may see: every signed-in person may open them.
CASES = [
    *_rows("statistics", _u("statistics"), {"anonymous": LOGIN, "chief": 200, "specialist": 200, "uncleared": 200}),
    *_rows("statistics", _u("statistics"), {"chief": 405}, method="POST"),
    *_rows("statistics_export", _u("statistics_export", "xlsx"), {"anonymous": LOGIN, "chief": 200, "uncleared": 200}),
    *_rows("statistics_export", _u("statistics_export", "pdf"), {"chief": 200, "specialist": 200}),
    *_rows("statistics_export", _u("statistics_export", "pdf"), {"chief": 405}, method="POST"),
]


def persona(desk: Desk, name: str) -> Account | None:
    return None if name == "anonymous" else getattr(desk.office, name)


def test_permission_matrix(desk: Desk, client: Client) -> None:
    failures = []
    for case in CASES:
        with transaction.atomic():
            client.logout()
            account = persona(desk, case.persona)
            if account is not None:
                client.force_login(account)
            url = case.url(desk)
            response = client.generic(case.method, url)
            if case.expected == LOGIN:
                location = urlsplit(response.get("Location", ""))
                ok = response.status_code == 302 and location.path == reverse("core:login")
                ok = ok and parse_qs(location.query).get("next") == [url]
            else:
                ok = response.status_code == case.expected
            if not ok:
                failures.append(f"{case.label()}: got {response.status_code}")
            transaction.set_rollback(True)
    assert failures == []


API_ROWS = [
    ("GET", "/api/tasks/statistics", "chief", 200),
    ("GET", "/api/tasks/statistics", "uncleared", 200),
    ("GET", "/api/tasks/statistics", "anonymous", 401),
    ("POST", "/api/tasks/statistics", "chief", 405),
]


@pytest.mark.parametrize(("method", "route", "who", "expected"), API_ROWS)
def test_api_matrix(desk: Desk, client: Client, method: str, route: str, who: str, expected: int) -> None:
    account = persona(desk, who)
    headers = bearer(account) if account is not None else {}
    response = client.generic(method, route, data=json.dumps({}), content_type="application/json", headers=headers)
    assert response.status_code == expected, response.content[:300]
