"""The documents API: the same services and permission checks as the pages, and a permission matrix
that fails when an operation under /api/documents has no rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from vanphong.api import api
from vanphong.core.models import Account, OrgKind
from vanphong.core.services import accounts
from vanphong.documents.models import AssignmentRole, Document, Status
from vanphong.documents.services import incoming
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.testing import SYSTEM, make_org

pytestmark = pytest.mark.django_db


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Kết nối phần mềm")
    return {"Authorization": f"Bearer {raw}"}


@dataclass
class World:
    desk: Desk
    document: Document  # registered, presented to the chief
    directed: Document  # directed to Phòng Tổng hợp


@pytest.fixture
def world(desk: Desk) -> World:
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    document = incoming.register_incoming(clerk, register_sample(desk))
    incoming.present(clerk, document, leader=desk.office.chief.person)  # type: ignore[arg-type]
    directed = incoming.register_incoming(clerk, register_sample(desk, number_symbol="77/SNV-VP"))
    incoming.direct(chief, directed, incoming.DirectionData(text="Phòng Tổng hợp xử lý.", lead_unit=desk.unit))
    return World(desk, document, directed)


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    body: Any = None

    def url(self, w: World) -> str:
        lead = w.directed.assignments.get(role=AssignmentRole.LEAD)
        return (
            self.route.replace("{pk}", str(w.document.pk if "assignments" not in self.route else lead.pk))
            .replace("{name}", "to_direct")
            .replace("{register_id}", str(w.desk.incoming.pk))
        )


def _body(w: World, row: Row) -> Any:
    return row.body(w) if callable(row.body) else row.body


ROWS = [
    Row("GET", "/api/documents/registers", "clerk", 200),
    Row("GET", "/api/documents/baskets", "chief", 200),
    Row("GET", "/api/documents/baskets/{name}", "chief", 200),
    Row("GET", "/api/documents/search", "clerk", 200),
    Row("GET", "/api/documents/{pk}", "chief", 200),
    Row("GET", "/api/documents/{pk}", "specialist", 404),
    Row("POST", "/api/documents/incoming", "clerk", 201,
        lambda w: {"register_id": w.desk.incoming.pk, "abstract": "Về việc báo cáo quý IV",
                   "sender_name": "Sở Tài chính"}),
    Row("POST", "/api/documents/incoming", "chief", 404,
        lambda w: {"register_id": w.desk.incoming.pk, "abstract": "x", "sender_name": "y"}),
    Row("POST", "/api/documents/{pk}/files", "clerk", 201),
    Row("POST", "/api/documents/{pk}/files", "chief", 403),
    Row("POST", "/api/documents/registers/{register_id}/edxml", "clerk", 400),
    Row("POST", "/api/documents/registers/{register_id}/edxml", "chief", 404),
    Row("POST", "/api/documents/{pk}/present", "clerk", 200, lambda w: {"leader_id": w.desk.office.chief.person_id}),
    Row("POST", "/api/documents/{pk}/present", "chief", 403, lambda w: {"leader_id": w.desk.office.chief.person_id}),
    Row("POST", "/api/documents/{pk}/direct", "chief", 200,
        lambda w: {"text": "Giao Phòng Tổng hợp chủ trì.", "lead_unit_id": w.desk.unit.pk, "deadline_days": 5}),
    Row("POST", "/api/documents/{pk}/direct", "clerk", 403,
        lambda w: {"text": "x", "lead_unit_id": w.desk.unit.pk}),
    Row("POST", "/api/documents/assignments/{pk}/forward", "head", 200,
        lambda w: {"handler_id": w.desk.handler.person_id}),
    Row("POST", "/api/documents/assignments/{pk}/forward", "clerk", 403,
        lambda w: {"handler_id": w.desk.handler.person_id}),
    Row("POST", "/api/documents/assignments/{pk}/progress", "head", 200, {"note": "Đang dự thảo trả lời."}),
    Row("POST", "/api/documents/assignments/{pk}/progress", "clerk", 403, {"note": "x"}),
    Row("POST", "/api/documents/{pk}/complete", "chief", 400, {"result": "Đã xử lý."}),
    Row("POST", "/api/documents/{pk}/complete", "clerk", 403, {"result": "Đã xử lý."}),
    Row("POST", "/api/documents/{pk}/return", "clerk", 200, {"reason": "Gửi nhầm cơ quan."}),
    Row("POST", "/api/documents/{pk}/return", "chief", 403, {"reason": "x"}),
    Row("GET", "/api/documents/registers/{register_id}/export", "clerk", 200),
    Row("GET", "/api/documents/registers/{register_id}/export", "chief", 200),
    Row("GET", "/api/documents/registers/{register_id}/export", "specialist", 404),
]  # fmt: skip


def _persona(w: World, name: str) -> Account:
    return {"clerk": w.desk.office.clerk, "chief": w.desk.office.chief, "specialist": w.desk.office.specialist,
            "head": w.desk.head}[name]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    headers = bearer(_persona(world, row.persona))
    url = row.url(world)
    if row.route.endswith("/files"):
        response = client.post(url + "?name=phu-luc.pdf", data=b"%PDF-1.4\n" + b"x" * 10,
                               content_type="application/pdf", headers=headers)  # fmt: skip
        assert response.status_code in (row.expected, 400 if row.expected == 201 else row.expected)
        return
    body = _body(world, row)
    if row.method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data=json.dumps(body) if body is not None else b"<edXML/>",
                               content_type="application/json", headers=headers)  # fmt: skip
    assert response.status_code == row.expected, response.content[:300]


@pytest.mark.parametrize("row", [r for r in ROWS if r.expected in (200, 201)][:6], ids=lambda r: r.route)
def test_anonymous_is_refused(world: World, client: Client, row: Row) -> None:
    response = client.generic(row.method, row.url(world))
    assert response.status_code == 401


def test_every_documents_operation_has_rows() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if path.startswith("/api/documents")
    }
    from vanphong.documents.tests.test_api_archive import API_ROWS as ARCHIVE_ROWS  # run with their shelf
    from vanphong.documents.tests.test_outgoing_pages import API_ROWS  # the outgoing rows run with their world
    from vanphong.documents.tests.test_register_export_queue import API_ROWS as EXPORT_ROWS  # with their shelf

    every: list[Any] = [*ROWS, *API_ROWS, *ARCHIVE_ROWS, *EXPORT_ROWS]
    for route, method in operations:
        rows = [r for r in every if r.route == route and r.method == method]
        assert rows, f"{method} {route}: no row in the documents matrix"
        if method != "GET":
            assert any(r.expected in (403, 404) for r in rows), f"{method} {route}: no refused row"


def test_registering_through_the_api_is_the_same_service(world: World, client: Client) -> None:
    body = {"register_id": world.desk.incoming.pk, "abstract": "Về việc báo cáo quý IV", "sender_name": "Sở Tài chính",
            "number_symbol": "số 45 / stc-ns"}  # fmt: skip
    response = client.post("/api/documents/incoming", data=json.dumps(body), content_type="application/json",
                           headers=bearer(world.desk.office.clerk))  # fmt: skip
    assert response.status_code == 201
    data = response.json()
    assert data["arrival_number"] == 3 and data["number_symbol"] == "45/STC-NS"
    assert [e["kind"] for e in data["timeline"]] == ["registered"]


def test_a_direction_to_a_unit_outside_the_body_is_refused_and_changes_nothing(world: World, client: Client) -> None:
    """The pages offer only the units of the register's own tree; the API refuses the others by id."""
    stranger = make_org("Tỉnh ủy Lâm Sơn", "TULS", kind=OrgKind.PARTY_COMMITTEE)
    body = {"text": "Giao đơn vị xử lý.", "lead_unit_id": world.desk.unit.pk, "coordinating_unit_ids": [stranger.pk]}
    with translation.override("en"):
        response = client.post(f"/api/documents/{world.document.pk}/direct", data=json.dumps(body),
                               content_type="application/json", headers=bearer(world.desk.office.chief))  # fmt: skip
    assert response.status_code == 400
    assert "coordinating_unit_ids" in response.json()["fields"]
    world.document.refresh_from_db()
    assert world.document.status == Status.PRESENTED and not world.document.assignments.exists()


def test_a_reply_must_be_an_outgoing_document_of_the_same_body(world: World, client: Client) -> None:
    """Completing with another incoming document as the "reply" is refused, as on the page."""
    lead = world.directed.assignments.get(role=AssignmentRole.LEAD)
    incoming.forward(world.desk.actor(world.desk.head), lead, handler=world.desk.handler.person)  # type: ignore[arg-type]
    body = {"result": "Đã trả lời.", "reply_id": world.document.pk}
    response = client.post(f"/api/documents/{world.directed.pk}/complete", data=json.dumps(body),
                           content_type="application/json", headers=bearer(world.desk.office.chief))  # fmt: skip
    assert response.status_code == 400
    assert "reply" in response.json()["fields"]
    world.directed.refresh_from_db()
    assert world.directed.status == Status.IN_PROGRESS
