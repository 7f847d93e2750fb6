"""/api/consultations: the same services and checks as the pages, and a matrix that fails when an
operation has no rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from vanphong.api import api
from vanphong.consultations import services
from vanphong.consultations.models import Consultation, State
from vanphong.consultations.tests.conftest import Committee
from vanphong.core.models import Account, AuditEntry
from vanphong.core.services import accounts
from vanphong.notices.models import Notification
from vanphong.testing import SYSTEM, now_plus

pytestmark = pytest.mark.django_db


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Kết nối phần mềm")
    return {"Authorization": f"Bearer {raw}"}


@dataclass
class World:
    committee: Committee
    draft: Consultation
    open: Consultation


@pytest.fixture
def world(committee: Committee) -> World:
    return World(committee, committee.draft(title="Xin ý kiến về quy chế"), committee.opened())


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    which: str = "open"
    body: Any = None

    def url(self, w: World) -> str:
        return self.route.replace("{pk}", str(getattr(w, self.which).pk))


def create_body(w: World) -> dict[str, Any]:
    c = w.committee
    return {
        "body_id": c.office.province_party.pk, "title": "Xin ý kiến về Kế hoạch kiểm tra năm 2027",
        "question": "Đề nghị cho ý kiến về dự thảo Kế hoạch.", "deadline": now_plus(days=2).isoformat(),
        "member_ids": [c.member_a.person_id, c.member_b.person_id], "document_ids": [c.plan.pk],
    }  # fmt: skip


ROWS = [
    Row("GET", "/api/consultations", "member", 200),
    Row("GET", "/api/consultations", "specialist", 200),
    Row("GET", "/api/consultations/{pk}", "member", 200),
    Row("GET", "/api/consultations/{pk}", "chief", 200),
    Row("GET", "/api/consultations/{pk}", "specialist", 404),
    Row("GET", "/api/consultations/{pk}", "member", 404, "draft"),
    Row("POST", "/api/consultations", "clerk", 201, body=create_body),
    Row("POST", "/api/consultations", "specialist", 403, body=create_body),
    Row("POST", "/api/consultations", "member", 403, body=create_body),
    Row("POST", "/api/consultations/{pk}/open", "clerk", 200, "draft"),
    Row("POST", "/api/consultations/{pk}/open", "chief", 200, "draft"),
    Row("POST", "/api/consultations/{pk}/open", "member", 404, "draft"),
    Row("POST", "/api/consultations/{pk}/open", "member", 403),
    Row("POST", "/api/consultations/{pk}/open", "clerk", 400),  # already open
    Row("POST", "/api/consultations/{pk}/answer", "member", 200, body={"answer": "agree"}),
    Row("POST", "/api/consultations/{pk}/answer", "clerk", 403, body={"answer": "agree"}),
    Row("POST", "/api/consultations/{pk}/answer", "specialist", 404, body={"answer": "agree"}),
    Row("POST", "/api/consultations/{pk}/answer", "member", 400, body={"answer": "other"}),
    Row("POST", "/api/consultations/{pk}/close", "chief", 200, body={"conclusion": "Thống nhất."}),
    Row("POST", "/api/consultations/{pk}/close", "member", 403, body={}),
    Row("POST", "/api/consultations/{pk}/close", "specialist", 404, body={}),
    Row("POST", "/api/consultations/{pk}/close", "clerk", 400, "draft", body={}),
    Row("POST", "/api/consultations/{pk}/remind", "clerk", 200),
    Row("POST", "/api/consultations/{pk}/remind", "chief", 200),
    Row("POST", "/api/consultations/{pk}/remind", "member", 403),
    Row("POST", "/api/consultations/{pk}/remind", "specialist", 404),
    Row("POST", "/api/consultations/{pk}/remind", "clerk", 400, "draft"),  # not open yet
    Row("GET", "/api/consultations/{pk}/remind", "clerk", 405),
    Row("DELETE", "/api/consultations/{pk}", "clerk", 405),
    Row("GET", "/api/consultations/{pk}/close", "clerk", 405),
]


def _persona(w: World, name: str) -> Account:
    c = w.committee
    return {"clerk": c.office.clerk, "chief": c.office.chief, "member": c.member_a,
            "specialist": c.office.specialist}[name]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona} {r.which} {r.expected}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    body = row.body(world) if callable(row.body) else row.body
    headers = bearer(_persona(world, row.persona))
    data = json.dumps(body if body is not None else {})
    response = client.generic(row.method, row.url(world), data=data, content_type="application/json", headers=headers)
    assert response.status_code == row.expected, response.content[:300]


@pytest.mark.parametrize("row", [r for r in ROWS if r.expected in (200, 201)], ids=lambda r: f"{r.method} {r.route}")
def test_anonymous_is_refused(world: World, client: Client, row: Row) -> None:
    assert client.generic(row.method, row.url(world)).status_code == 401


def test_every_consultations_operation_has_rows() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if path.startswith("/api/consultations")
    }
    assert len(operations) == 7
    for route, method in operations:
        rows = [r for r in ROWS if r.route == route and r.method == method]
        assert any(r.expected in (200, 201) for r in rows), f"{method} {route}: no allowed row"
        if method != "GET":
            assert any(r.expected in (403, 404) for r in rows), f"{method} {route}: no refused row"
    for route in {route for route, _method in operations}:
        if "{pk}" in route and route.endswith("}"):
            assert any(r.route == route and r.expected == 405 for r in ROWS), route


def test_members_see_their_own_answer_the_organiser_sees_all(world: World, client: Client) -> None:
    c = world.committee
    services.answer(c.actor(c.member_b), world.open, choice="disagree", comment="Chưa phù hợp.")
    url = f"/api/consultations/{world.open.pk}/answer"
    mine = client.post(url, data=json.dumps({"answer": "agree"}), content_type="application/json",
                       headers=bearer(c.member_a)).json()  # fmt: skip
    assert mine["my_answer"]["answer"] == "agree" and mine["members"] is None and mine["tally"] is None
    seen = client.get(f"/api/consultations/{world.open.pk}", headers=bearer(c.office.clerk)).json()
    answers = {m["name"]: m["answer"] for m in seen["members"]}
    assert answers["Trịnh Thị Hằng"] == "agree" and answers["Đinh Công Khải"] == "disagree"
    assert seen["tally"] == {"members": 5, "agree": 1, "disagree": 1, "other": 0, "not_answered": 3, "needed": 3,
                             "passed": False}  # fmt: skip


def test_the_api_closes_with_the_same_result_and_refuses_late_answers(world: World, client: Client) -> None:
    c = world.committee
    for account in (c.secretary, c.vice, c.member_b):
        services.answer(c.actor(account), world.open, choice="agree")
    closed = client.post(f"/api/consultations/{world.open.pk}/close", data=json.dumps({"conclusion": "Thông qua."}),
                         content_type="application/json", headers=bearer(c.office.chief)).json()  # fmt: skip
    assert closed["state"] == State.CLOSED and closed["passed"] is True and closed["tally"]["agree"] == 3
    english = {**bearer(c.member_a), "Accept-Language": "en"}
    late = client.post(f"/api/consultations/{world.open.pk}/answer", data=json.dumps({"answer": "agree"}),
                       content_type="application/json", headers=english)  # fmt: skip
    assert late.status_code == 400 and "closed" in late.json()["message"]


def test_creating_with_a_hidden_document_is_refused(world: World, client: Client) -> None:
    c = world.committee
    body = {**create_body(world), "body_id": c.office.peoples_committee.pk}
    refused = client.post("/api/consultations", data=json.dumps(body), content_type="application/json",
                          headers=bearer(c.office.specialist))  # fmt: skip
    assert refused.status_code == 400 and "document_ids" in refused.json()["fields"]
    assert Consultation.objects.count() == 2


def test_the_api_reminds_the_members_who_have_not_answered_once_an_hour(world: World, client: Client) -> None:
    c = world.committee
    services.answer(c.actor(c.secretary), world.open, choice="agree")
    url = f"/api/consultations/{world.open.pk}/remind"
    first = client.post(url, headers=bearer(c.office.clerk))
    assert first.status_code == 200, first.content[:300]
    assert first.json()["reminded"] == 4 and first.json()["consultation"]["id"] == world.open.pk
    reminded = Notification.objects.filter(kind="consultations.reminder")
    assert {n.recipient_id for n in reminded} == {a.pk for a in c.members[1:]}
    again = client.post(url, headers=bearer(c.office.chief))
    assert again.status_code == 200 and again.json()["reminded"] == 0 and reminded.count() == 4
    assert AuditEntry.objects.filter(action="consultations.remind", object_id=str(world.open.pk)).count() == 2
