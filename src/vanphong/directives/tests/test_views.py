"""The task pages: who may open what and take which step, the steps as a person clicks them, the list's
filters, the home page panel, and the cost of the list and the plan matrix (pinned query counts).

Expected answers: anonymous → the login page with ``next``; allowed → 200, or 302 after a successful
POST; may see the task but not take the step → 403; may not see it → 404; wrong method → 405.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from vanphong.core.models import Account, OrgKind, Role
from vanphong.core.services import roles
from vanphong.directives.models import Plan, Task, TaskState
from vanphong.directives.services import (
    PlanData,
    TaskData,
    assign_tasks,
    create_plan,
    propose_completion,
    request_extension,
)
from vanphong.directives.tests.conftest import Board, assign
from vanphong.documents.tests.test_views import LOGIN, matrix_failures, rows
from vanphong.testing import SYSTEM, make_account, make_org, make_person

pytestmark = pytest.mark.django_db

LIST_QUERIES = 12  # whatever the number of tasks on the page
MATRIX_QUERIES = 12  # whatever the number of units reporting on the plan


@dataclass
class World:
    board: Board
    task: Task  # assigned by the Tỉnh ủy to Ban Tổ chức, Ban Tuyên giáo coordinating
    proposed: Task  # Ban Tổ chức proposed completion; waits for the assigner
    extending: Task  # an extension request waits for the assigner
    district_task: Task  # assigned to Huyện ủy Sơn Tây (an outside reporting account)
    plan: Plan  # the resolution followed across the districts

    def account(self, persona: str) -> Account | None:
        b = self.board
        return {
            "secretary": b.secretary,  # the assigner: decides
            "head": b.board_head,  # head of the lead unit: reports, proposes, breaks down, asks for time
            "member": b.board_specialist,  # works in the lead unit: reports only
            "coordinator": b.propaganda_head,  # head of the coordinating unit: reports
            "district": b.district_reporter,  # outside account: only its own body's tasks
            "other_district": b.other_reporter,  # another outside account
            "admin": b.office.root_admin,  # installation administrator: no tasks by that title
        }.get(persona)


@pytest.fixture
def world(board: Board) -> World:
    task = assign(board)
    proposed = assign(board, title="Báo cáo kết quả thực hiện Quy định 114")
    propose_completion(board.actor(board.board_head), proposed)
    extending = assign(board, title="Xây dựng đề án tinh gọn bộ máy")
    request_extension(
        board.actor(board.board_head),
        extending,
        new_deadline=extending.deadline + datetime.timedelta(days=30),  # type: ignore[operator]
        reason="Chờ hướng dẫn của Trung ương.",
    )
    plan = create_plan(
        board.actor(board.secretary),
        PlanData("Nghị quyết số 18-NQ/TW: kế hoạch thực hiện", assigning_body=board.office.province_party),
    )
    district_task = assign(board, lead_unit=board.district, coordinating_units=[], plan=plan)
    return World(board, task, proposed, extending, district_task, plan)


def u(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(f"directives:{name}", args=[a(w) for a in args])


def task(w: World) -> int:
    return w.task.pk


def proposed(w: World) -> int:
    return w.proposed.pk


def extending(w: World) -> int:
    return w.extending.pk


def plan(w: World) -> int:
    return w.plan.pk


def assign_data(w: World) -> dict[str, Any]:
    return {
        "title": "Tổng kết 5 năm thực hiện Chỉ thị 05",
        "assigning_body": w.board.office.province_party.pk,
        "lead_unit": w.board.propaganda_board.pk,
        "deadline_days": "15",
        "deadline_unit": "working",
        "priority": "normal",
        "source_kind": "resolution",
    }


REPORT = {"text": "Đã hoàn thành 50% khối lượng.", "percent": "50"}


def extend_data(w: World) -> dict[str, Any]:
    return {
        "new_deadline": (w.task.deadline + datetime.timedelta(days=10)).strftime("%d/%m/%Y"),
        "reason": "Chờ số liệu.",
    }


def some(data: dict[str, Any]) -> Callable[[World], dict[str, Any]]:
    return lambda _w: data


CASES = [
    *rows("home", u("home"), {"anonymous": LOGIN, "secretary": 200, "district": 200, "admin": 200}),
    *rows("home", u("home"), {"secretary": 405}, method="POST"),
    *rows("list", u("list"), {"anonymous": LOGIN, "secretary": 200, "member": 200}),
    *rows("list", u("list"), {"secretary": 405}, method="POST"),
    *rows("assign", u("assign"), {"anonymous": LOGIN, "secretary": 200, "head": 403, "district": 403}),
    *rows("assign", u("assign"), {"secretary": 302, "head": 403}, method="POST", data=assign_data),
    *rows("assign", u("assign"), {"secretary": 400}, method="POST", data=some({"title": ""})),
    *rows("assign", u("assign"), {"secretary": 405}, method="PUT"),
    *rows(
        "task",
        u("task", task),
        {
            "anonymous": LOGIN,
            "secretary": 200,
            "head": 200,
            "member": 200,
            "coordinator": 200,
            "district": 404,
            "admin": 404,
        },
    ),
    *rows("task", u("task", task), {"secretary": 405}, method="POST"),
    *rows(
        "report",
        u("report", task),
        {"anonymous": LOGIN, "member": 302, "coordinator": 302, "secretary": 403, "district": 404},
        method="POST",
        data=some(REPORT),
    ),
    *rows("report", u("report", task), {"member": 400}, method="POST", data=some({"text": "", "percent": "5"})),
    *rows("report", u("report", task), {"member": 405}),
    *rows(
        "propose",
        u("propose", task),
        {"anonymous": LOGIN, "head": 302, "member": 403, "coordinator": 403, "admin": 404},
        method="POST",
        data=some({}),
    ),
    *rows("propose", u("propose", task), {"head": 405}),
    *rows(
        "accept",
        u("accept", proposed),
        {"anonymous": LOGIN, "secretary": 302, "head": 403, "district": 404},
        method="POST",
        data=some({}),
    ),
    *rows("accept", u("accept", task), {"secretary": 403}, method="POST", data=some({})),  # nothing proposed
    *rows("accept", u("accept", proposed), {"secretary": 405}),
    *rows(
        "return",
        u("return", proposed),
        {"anonymous": LOGIN, "secretary": 302, "head": 403},
        method="POST",
        data=some({"comment": "Bổ sung số liệu."}),
    ),
    *rows("return", u("return", proposed), {"secretary": 400}, method="POST", data=some({"comment": ""})),
    *rows("return", u("return", proposed), {"secretary": 405}),
    *rows(
        "extend",
        u("extend", task),
        {"anonymous": LOGIN, "head": 302, "member": 403, "other_district": 404},
        method="POST",
        data=extend_data,
    ),
    *rows("extend", u("extend", task), {"head": 405}),
    *rows(
        "decide_extension",
        u("decide_extension", extending),
        {"anonymous": LOGIN, "secretary": 302, "head": 403},
        method="POST",
        data=some({"decision": "approve"}),
    ),
    *rows("decide_extension", u("decide_extension", extending), {"secretary": 405}),
    *rows(
        "break_down",
        u("break_down", task),
        {"anonymous": LOGIN, "head": 302, "member": 403},
        method="POST",
        data=lambda w: {"title": "Tổng hợp hồ sơ", "handler": w.board.board_specialist.person_id},
    ),
    *rows("break_down", u("break_down", task), {"head": 405}),
    *rows(
        "cancel",
        u("cancel", task),
        {"anonymous": LOGIN, "secretary": 302, "head": 403, "district": 404},
        method="POST",
        data=some({"reason": "Trùng nhiệm vụ khác."}),
    ),
    *rows("cancel", u("cancel", task), {"secretary": 405}),
    *rows(
        "plan",
        u("plan", plan),
        {"anonymous": LOGIN, "secretary": 200, "district": 200, "other_district": 404, "head": 404},
    ),
    *rows("plan", u("plan", plan), {"secretary": 405}, method="POST"),
    *rows(
        "report_file",
        lambda w: reverse("directives:report_file", args=[w.task.pk, 999999]),
        {"anonymous": LOGIN, "head": 404, "district": 404},
    ),
    *rows(
        "report_file", lambda w: reverse("directives:report_file", args=[w.task.pk, 1]), {"head": 405}, method="POST"
    ),
]


def test_permission_matrix(world: World, client: Client) -> None:
    assert matrix_failures(CASES, world, client) == []


def test_every_page_has_rows() -> None:
    names = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "directives":
            names = {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
    mine = {c.name for c in CASES}
    assert names, "the directives URLs are not included"
    # The reports module keeps its own matrix for its pages; the document-page section is checked against
    # a document's own readers in test_direction.py.
    elsewhere = {"document_tasks"}
    assert {
        n for n in names if not n.startswith("report") or n in ("report", "report_file")
    } - mine - elsewhere == set()
    for name in mine:
        assert any(c.persona == "anonymous" for c in CASES if c.name == name), name
        assert any(c.expected == 405 for c in CASES if c.name == name), name


def test_the_assign_form_from_a_document_the_person_cannot_see_is_not_found(world: World, client: Client) -> None:
    client.force_login(world.board.secretary)
    assert client.get(reverse("directives:assign") + "?document=999999").status_code == 404


def test_steps_through_the_pages(world: World, client: Client) -> None:
    client.cookies["vanphong_language"] = "en"
    client.force_login(world.board.board_head)
    page = client.get(reverse("directives:task", args=[world.task.pk])).content.decode()
    assert 'id="action-report"' in page and 'id="action-propose"' in page and 'id="action-cancel"' not in page
    response = client.post(reverse("directives:propose", args=[world.task.pk]), {"note": "Xong."}, follow=True)
    assert "Completion proposed to the assigner." in response.content.decode()
    client.force_login(world.board.secretary)
    page = client.get(reverse("directives:task", args=[world.task.pk])).content.decode()
    assert 'id="action-accept"' in page and 'id="action-return"' in page
    client.post(reverse("directives:accept", args=[world.task.pk]), {})
    world.task.refresh_from_db()
    assert world.task.state == TaskState.COMPLETED and world.task.completed_on == timezone.localdate()
    # A second click on the stale page: "someone acted first", nothing changes.
    response = client.post(reverse("directives:accept", args=[world.task.pk]), {})
    assert response.status_code == 403


def test_the_list_filters_by_status_class_and_words(world: World, client: Client) -> None:
    client.force_login(world.board.secretary)
    found = client.get(reverse("directives:list"), {"q": "tinh gọn"}).context["page"].object_list
    assert [t.pk for t in found] == [world.extending.pk]
    found = client.get(reverse("directives:list"), {"status": "completed_on_time"}).context["page"].object_list
    assert list(found) == []
    response = client.get(reverse("directives:list"), {"status": "nonsense"})
    assert response.status_code == 200 and list(response.context["page"].object_list) == []


def test_the_home_panel_counts_by_class(world: World, client: Client) -> None:
    client.force_login(world.board.district_reporter)
    with translation.override("en"):
        page = client.get(reverse("core:home")).content.decode()
    assert 'data-class="not_yet_due">1<' in page


def _many_districts(world: World, n: int) -> None:
    board = world.board
    units = []
    for i in range(n):
        unit = make_org(f"Huyện ủy số {i}", f"HU{i}", kind=OrgKind.PARTY_COMMITTEE, parent=board.office.province_party)
        reporter = make_account(make_person(f"Cán bộ Huyện {i}", unit), f"huyen{i}")
        roles.grant_role(SYSTEM, reporter.person, unit, Role.SPECIALIST)  # type: ignore[arg-type]
        units.append(unit)
    items = [
        TaskData(
            title=title,
            content="",
            lead_unit=unit,
            plan=world.plan,
            source_kind="resolution",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        for unit in units
        for title in ("Quán triệt nghị quyết", "Xây dựng chương trình hành động")
    ]
    assign_tasks(board.actor(board.secretary), items)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_matrix_cost_the_same_whatever_their_size(world: World, client: Client) -> None:
    client.force_login(world.board.secretary)
    list_url, plan_url = reverse("directives:list"), reverse("directives:plan", args=[world.plan.pk])
    _queries(client, list_url)  # warm the per-process caches (working calendar, roles)
    small = (_queries(client, list_url), _queries(client, plan_url))
    _many_districts(world, 12)
    large = (_queries(client, list_url), _queries(client, plan_url))
    assert small == large
    assert large[0] <= LIST_QUERIES and large[1] <= MATRIX_QUERIES
    page = client.get(plan_url).content.decode()
    assert page.count("data-unit=") == 13


def test_evidence_files_download_for_those_who_see_the_task(world: World, client: Client) -> None:
    from vanphong.directives.services import ReportData, report_progress
    from vanphong.documents.services.files import Upload

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    board = world.board
    report = report_progress(
        board.actor(board.board_head), world.task, ReportData("Kèm báo cáo.", 20, files=[Upload("bc.pdf", pdf)])
    )
    url = reverse("directives:report_file", args=[world.task.pk, report.files.get().pk])
    client.force_login(board.propaganda_head)
    response = client.get(url)
    assert response.status_code == 200 and response.content == pdf
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(board.district_reporter)
    assert client.get(url).status_code == 404
    other = reverse("directives:report_file", args=[world.proposed.pk, report.files.get().pk])
    client.force_login(board.board_head)
    assert client.get(other).status_code == 404  # a file of another task
