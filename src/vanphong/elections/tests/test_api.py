"""The counting-room API: the same access rules as the pages (the counting committee only, 404 for
everyone else), and a permission matrix that fails when an operation under /api/elections has no rows
for an anonymous caller, an allowed one, an outsider and a wrong method."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.test import Client
from pypdf import PdfReader

from vanphong.api import api
from vanphong.core.models import Account
from vanphong.core.services import accounts
from vanphong.elections import services
from vanphong.elections.models import Round
from vanphong.elections.tests.conftest import Counting
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Màn hình phòng kiểm phiếu")
    return {"Authorization": f"Bearer {raw}"}


@dataclass
class World:
    counting: Counting
    open_round: Round  # executive committee, round 1, two ballots entered at both stations
    sealed_round: Round  # delegates, round 1 confirmed

    def account(self, persona: str) -> Account | None:
        c = self.counting
        return {"head": c.head, "member": c.member, "operator1": c.operator1, "admin": c.admin,
                "outsider": c.outsider}.get(persona)  # fmt: skip


@pytest.fixture
def world(counting: Counting) -> World:
    open_round = counting.open_round()
    counting.enter(open_round, ["4", "1 2"])
    delegates = services.create_election(SYSTEM, counting.congress, kind="delegates", seats=1, alternate_seats=1)
    services.add_candidates(SYSTEM, delegates, "Lê Văn Tám\nTrần Văn Ba\nVõ Thị Sáu")
    sealed = services.open_first_round(SYSTEM, delegates)
    counting.enter(sealed, ["2"] * 7 + ["3"] * 4)  # Ba 11, Sáu 4, Tám 7 of a base of 11
    sealed = services.confirm_round(counting.actor(counting.head), sealed, ballots_issued=11)
    return World(counting, open_round, sealed)


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    sealed: bool = True  # {pk} of a round: the sealed one, else the open one

    def url(self, w: World) -> str:
        round_ = w.sealed_round if self.sealed else w.open_round
        pk = w.counting.congress.pk if "congresses" in self.route else round_.pk
        return self.route.replace("{pk}", str(pk))


ROWS = [
    Row("GET", "/api/elections/congresses", "anonymous", 401),
    Row("GET", "/api/elections/congresses", "operator1", 200),
    Row("GET", "/api/elections/congresses", "outsider", 200),  # an empty list
    Row("POST", "/api/elections/congresses", "head", 405),
    Row("GET", "/api/elections/congresses/{pk}", "anonymous", 401),
    Row("GET", "/api/elections/congresses/{pk}", "head", 200),
    Row("GET", "/api/elections/congresses/{pk}", "member", 200),
    Row("GET", "/api/elections/congresses/{pk}", "admin", 404),  # sets congresses up, never sees the count
    Row("GET", "/api/elections/congresses/{pk}", "outsider", 404),
    Row("POST", "/api/elections/congresses/{pk}", "head", 405),
    Row("GET", "/api/elections/rounds/{pk}", "anonymous", 401),
    Row("GET", "/api/elections/rounds/{pk}", "operator1", 200, sealed=False),
    Row("GET", "/api/elections/rounds/{pk}", "admin", 404),
    Row("GET", "/api/elections/rounds/{pk}", "outsider", 404),
    Row("POST", "/api/elections/rounds/{pk}", "head", 405),
    Row("GET", "/api/elections/rounds/{pk}/result", "anonymous", 401),
    Row("GET", "/api/elections/rounds/{pk}/result", "member", 200),
    Row("GET", "/api/elections/rounds/{pk}/result", "head", 404, sealed=False),  # not confirmed yet
    Row("GET", "/api/elections/rounds/{pk}/result", "admin", 404),
    Row("GET", "/api/elections/rounds/{pk}/result", "outsider", 404),
    Row("POST", "/api/elections/rounds/{pk}/result", "head", 405),
    Row("GET", "/api/elections/rounds/{pk}/minutes.pdf", "anonymous", 401),
    Row("GET", "/api/elections/rounds/{pk}/minutes.pdf", "head", 200),
    Row("GET", "/api/elections/rounds/{pk}/minutes.pdf", "head", 404, sealed=False),
    Row("GET", "/api/elections/rounds/{pk}/minutes.pdf", "admin", 404),
    Row("GET", "/api/elections/rounds/{pk}/minutes.pdf", "outsider", 404),
    Row("POST", "/api/elections/rounds/{pk}/minutes.pdf", "head", 405),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona} {r.expected}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    account = world.account(row.persona)
    headers = bearer(account) if account is not None else {}
    response = client.generic(row.method, row.url(world), headers=headers)
    assert response.status_code == row.expected, response.content[:300]
    if row.expected in (401, 404):
        assert response.json()["code"] == {401: "not_authenticated", 404: "not_found"}[row.expected]


def test_every_elections_operation_has_rows() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if path.startswith("/api/elections")
    }
    assert len(operations) >= 5
    for route, method in operations:
        rows = [r for r in ROWS if r.route == route and r.method == method]
        assert rows, f"{method} {route}: no row in the elections matrix"
        assert any(r.persona == "anonymous" and r.expected == 401 for r in rows), f"{route}: anonymous"
        assert any(r.expected == 200 for r in rows), f"{route}: no allowed row"
        assert any(r.expected == 404 for r in rows) or route.endswith("/congresses"), f"{route}: no outsider row"
    for route in {route for route, _method in operations}:
        assert any(r.route == route and r.expected == 405 for r in ROWS), f"{route}: no wrong-method row"
    known = {(r.route, r.method) for r in ROWS if r.expected != 405}
    assert known - operations == set(), "rows for operations that no longer exist"


def test_the_api_reads_what_the_pages_show(world: World, client: Client) -> None:
    counting = world.counting
    headers = bearer(counting.member)
    listed = client.get("/api/elections/congresses", headers=headers).json()
    assert [c["name"] for c in listed] == ["Đại hội Đảng bộ Văn phòng Tỉnh ủy"]
    assert client.get("/api/elections/congresses", headers=bearer(counting.admin)).json() == []
    congress = client.get(f"/api/elections/congresses/{counting.congress.pk}", headers=headers).json()
    assert congress["registry"] == {"summoned": 11, "present": 0, "excluded": {}, "base": 11}
    by_kind = {e["kind"]: e for e in congress["elections"]}
    assert by_kind["delegates"]["elected"] == ["Trần Văn Ba"] and by_kind["delegates"]["alternates"] == ["Lê Văn Tám"]
    assert by_kind["executive_committee"]["candidates"] == ["Nguyễn Thị Ánh", "Trần Văn Ba", "Võ Thị Sáu", "Lê Văn Tám"]
    opened = client.get(f"/api/elections/rounds/{world.open_round.pk}", headers=headers).json()
    assert opened["status"] == "entry" and opened["result"] is None
    assert opened["progress"] == {"per_station": {"1": 2, "2": 2}, "agreed": 2, "disputed": 0, "resolved": 0,
                                  "pending": []}  # fmt: skip
    result = client.get(f"/api/elections/rounds/{world.sealed_round.pk}/result", headers=headers).json()
    assert result == world.sealed_round.result
    assert result["delegates"]["officials"] == ["Trần Văn Ba"] and result["delegates"]["alternates"] == ["Lê Văn Tám"]
    assert result["ballots"] == {"collected": 11, "valid": 11, "invalid": 0, "invalid_by_reason": {}}
    pdf = client.get(f"/api/elections/rounds/{world.sealed_round.pk}/minutes.pdf", headers=headers)
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Trần Văn Ba" in text and "Lê Văn Tám" in text and "100,00" in text
