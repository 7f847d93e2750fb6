"""The tasks API (/api/tasks): the same services and checks as the pages, and a permission matrix that
fails when an operation under /api/tasks has no rows."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from vanphong.api import api
from vanphong.core.models import Account, AuditEntry
from vanphong.directives.models import ReportFile, Task, TaskState
from vanphong.directives.services import PlanData, create_plan, propose_completion, request_extension
from vanphong.directives.services.progress import ReportData, report_progress
from vanphong.directives.tests.conftest import Board, assign
from vanphong.documents import storage
from vanphong.documents.models import StoredFile
from vanphong.documents.tests.test_api import bearer

pytestmark = pytest.mark.django_db


@dataclass
class World:
    board: Board
    task: Task  # Ban Tổ chức leads, Ban Tuyên giáo coordinates
    proposed: Task  # completion proposed
    extending: Task  # an extension request waits
    plan_id: int
    report_id: int  # the chuyên viên Ban Tổ chức's progress report on ``task``


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
        reason="Chờ hướng dẫn.",
    )
    plan = create_plan(
        board.actor(board.secretary), PlanData("Kế hoạch thực hiện Nghị quyết 18", board.office.province_party)
    )
    assign(board, lead_unit=board.district, coordinating_units=[], plan=plan, title="Quán triệt Nghị quyết 18")
    report = report_progress(
        board.actor(board.board_specialist), task, ReportData(text="Đã rà soát 40 hồ sơ cán bộ.", percent=40)
    )
    return World(board, task, proposed, extending, plan.pk, report.pk)


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    body: Any = None
    which: str = "task"
    query: str = ""

    def url(self, w: World) -> str:
        pk = {"task": w.task.pk, "proposed": w.proposed.pk, "extending": w.extending.pk, "plan": w.plan_id}[self.which]
        return self.route.replace("{pk}", str(pk)).replace("{report_id}", str(w.report_id)) + self.query


def _assign_body(w: World) -> dict[str, Any]:
    return {
        "title": "Tổng kết Chỉ thị 05",
        "lead_unit_id": w.board.propaganda_board.pk,
        "assigning_body_id": w.board.office.province_party.pk,
        "deadline_days": 10,
        "source_kind": "conclusion",
        "source_ref": "meetings.conclusion:7",
        "targets": [{"name": "Số chi bộ tổ chức học tập", "target_value": 120, "unit_of_measure": "chi bộ"}],
    }


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_PDF = b"MZ\x90\x00 not a pdf"
NAME = "?name=bien-ban-ra-soat.pdf"

ROWS = [
    Row("GET", "/api/tasks", "secretary", 200),
    Row("GET", "/api/tasks", "district", 200),
    Row("GET", "/api/tasks/baskets", "head", 200),
    Row("GET", "/api/tasks/{pk}", "member", 200),
    Row("GET", "/api/tasks/{pk}", "district", 404),
    Row("GET", "/api/tasks/plans/{pk}", "secretary", 200, which="plan"),
    Row("GET", "/api/tasks/plans/{pk}", "district", 200, which="plan"),
    Row("GET", "/api/tasks/plans/{pk}", "head", 404, which="plan"),
    Row("POST", "/api/tasks", "secretary", 201, _assign_body),
    Row("POST", "/api/tasks", "head", 403, _assign_body),
    Row("POST", "/api/tasks", "secretary", 400, lambda w: {**_assign_body(w), "title": ""}),
    Row("POST", "/api/tasks/{pk}/reports", "member", 201, {"text": "Đã rà soát 40 hồ sơ.", "percent": 40}),
    Row("POST", "/api/tasks/{pk}/reports", "secretary", 403, {"text": "x", "percent": 1}),
    Row("POST", "/api/tasks/{pk}/reports", "district", 404, {"text": "x", "percent": 1}),
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "member", 201, PDF, query=NAME),
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "member", 400, NOT_PDF, query=NAME),
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "member", 422, PDF),  # no name
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "head", 403, PDF, query=NAME),  # not the author
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "coordinator", 403, PDF, query=NAME),
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "district", 404, PDF, query=NAME),
    Row("POST", "/api/tasks/{pk}/reports/{report_id}/files", "member", 404, PDF, which="proposed", query=NAME),
    Row("POST", "/api/tasks/{pk}/propose", "head", 200, {"note": "Đã xong."}),
    Row("POST", "/api/tasks/{pk}/propose", "member", 403, {}),
    Row("POST", "/api/tasks/{pk}/decide", "secretary", 200, {"accept": True}, which="proposed"),
    Row("POST", "/api/tasks/{pk}/decide", "head", 403, {"accept": True}, which="proposed"),
    Row("POST", "/api/tasks/{pk}/decide", "secretary", 400, {"accept": True}),  # nothing proposed
    Row("POST", "/api/tasks/{pk}/extensions", "head", 201,
        lambda w: {"new_deadline": str(w.task.deadline + datetime.timedelta(days=9)), "reason": "Chờ số liệu."}),
    Row("POST", "/api/tasks/{pk}/extensions", "member", 403,
        lambda w: {"new_deadline": str(w.task.deadline + datetime.timedelta(days=9)), "reason": "x"}),
    Row("POST", "/api/tasks/{pk}/extensions/decide", "secretary", 200, {"approve": True}, which="extending"),
    Row("POST", "/api/tasks/{pk}/extensions/decide", "head", 403, {"approve": True}, which="extending"),
    Row("POST", "/api/tasks/{pk}/extensions/decide", "secretary", 400, {"approve": True}),  # none waits
]  # fmt: skip


def _persona(w: World, name: str) -> Account:
    b = w.board
    return {"secretary": b.secretary, "head": b.board_head, "member": b.board_specialist,
            "coordinator": b.propaganda_head, "district": b.district_reporter}[name]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona} {r.expected}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    headers = bearer(_persona(world, row.persona))
    body = row.body(world) if callable(row.body) else row.body
    if row.method == "GET":
        response = client.get(row.url(world), headers=headers)
    elif isinstance(body, bytes):
        response = client.post(row.url(world), data=body, content_type="application/octet-stream", headers=headers)
    else:
        response = client.post(row.url(world), data=json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == row.expected, response.content[:300]


@pytest.mark.parametrize("row", [r for r in ROWS if r.expected in (200, 201)], ids=lambda r: f"{r.method} {r.route}")
def test_anonymous_is_refused(world: World, client: Client, row: Row) -> None:
    assert client.generic(row.method, row.url(world)).status_code == 401


def test_every_tasks_operation_has_rows() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if path.startswith("/api/tasks") and "statistics" not in path  # the reports module's own matrix
    }
    for route, method in operations:
        rows = [r for r in ROWS if r.route == route and r.method == method]
        assert rows, f"{method} {route}: no row"
        assert any(r.expected in (200, 201) for r in rows), f"{method} {route}: no allowed row"
        if method != "GET":
            assert any(r.expected == 403 for r in rows), f"{method} {route}: no refused row"
    assert {(r.route, r.method) for r in ROWS} - operations == set()


def test_assign_is_idempotent_by_source_and_the_list_filters_like_the_page(world: World, client: Client) -> None:
    headers = bearer(world.board.secretary)
    body = json.dumps(_assign_body(world))
    first = client.post("/api/tasks", data=body, content_type="application/json", headers=headers).json()
    second = client.post("/api/tasks", data=body, content_type="application/json", headers=headers).json()
    assert first["id"] == second["id"] and first["targets"][0]["target_value"] == "120.00"
    found = client.get("/api/tasks", {"q": "Chỉ thị 05"}, headers=headers).json()
    assert [t["id"] for t in found["results"]] == [first["id"]] and found["results"][0]["status_class"] == "not_yet_due"
    assert client.get("/api/tasks", {"status": "bogus"}, headers=headers).status_code == 400
    extended = client.get("/api/tasks", {"status": "extended"}, headers=headers).json()
    assert extended["count"] == 0


def test_the_district_account_sees_only_its_own_task(world: World, client: Client) -> None:
    found = client.get("/api/tasks", headers=bearer(world.board.district_reporter)).json()
    assert [t["title"] for t in found["results"]] == ["Quán triệt Nghị quyết 18"]
    decided = client.post(
        f"/api/tasks/{world.proposed.pk}/decide", data=json.dumps({"accept": False, "comment": "Bổ sung."}),
        content_type="application/json", headers=bearer(world.board.secretary),
    ).json()  # fmt: skip
    assert decided["state"] == TaskState.RETURNED and decided["timeline"][-1]["kind"] == "returned"


def test_evidence_is_added_to_ones_own_report_while_the_task_is_worked_on(
    world: World, client: Client, settings: Any
) -> None:
    b = world.board
    url = f"/api/tasks/{world.task.pk}/reports/{world.report_id}/files?name=bien-ban-ra-soat.pdf"
    member = bearer(b.board_specialist)
    added = client.post(url, data=PDF, content_type="application/octet-stream", headers=member)
    assert added.status_code == 201, added.content[:300]
    [report] = [r for r in added.json()["reports"] if r["id"] == world.report_id]
    assert report["files"] == ["bien-ban-ra-soat.pdf"]
    found = ReportFile.objects.select_related("stored").get(report_id=world.report_id)
    assert found.stored.media_type == "application/pdf" and found.stored.sha256 == hashlib.sha256(PDF).hexdigest()
    # The same bytes again are stored once (by content) and listed twice under their names.
    client.post(url.replace("bien-ban", "ban-sao"), data=PDF, content_type="application/octet-stream", headers=member)
    assert StoredFile.objects.filter(sha256=found.stored.sha256).count() == 1
    assert ReportFile.objects.filter(report_id=world.report_id).count() == 2
    entry = AuditEntry.objects.filter(action="directives.report.file").order_by("seq").first()
    assert (
        entry is not None and entry.actor_id == b.board_specialist.pk and entry.after["name"] == "bien-ban-ra-soat.pdf"
    )
    # The page's size limit holds here too.
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    storage.store.cache_clear()
    try:
        big = client.post(url, data=PDF + b" " * (1024 * 1024), content_type="application/octet-stream",
                          headers={**member, "Accept-Language": "en"})  # fmt: skip
        assert big.status_code == 400 and "larger than" in big.json()["fields"]["files"][0]
    finally:
        storage.store.cache_clear()
    # Once completion is proposed the window is closed, as on the page.
    propose_completion(b.actor(b.board_head), world.task)
    late = client.post(url, data=PDF, content_type="application/octet-stream", headers=member)
    assert late.status_code == 403
    assert ReportFile.objects.filter(report_id=world.report_id).count() == 2
