"""The schedule API: the same services and checks as the pages, and a permission matrix that fails when an
operation under /api/schedule has no rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from vanphong.api import api
from vanphong.core.models import Account
from vanphong.core.services import accounts
from vanphong.schedule.models import WeekSchedule
from vanphong.schedule.tests.conftest import MONDAY, Desk
from vanphong.schedule.tests.test_views import World, build
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Cổng thông tin điện tử tỉnh")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world(desk: Desk) -> World:
    return build(desk)


def event_body(w: World, **extra: Any) -> dict[str, Any]:
    body = {"day": MONDAY.isoformat(), "start": "09:30", "content": "Tiếp công dân định kỳ tháng 12",
            "place": "Trụ sở tiếp công dân tỉnh", "presiding_ids": [w.desk.secretary.person_id]}  # fmt: skip
    body.update(extra)
    return body


def week_body(w: World, year: int, week: int) -> dict[str, Any]:
    return {"body_id": w.desk.standing.pk, "office_id": w.desk.office.party_office.pk, "year": year, "week": week}


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    week: str = "published"  # which of the world's weeks {pk} names
    body: Any = None

    def url(self, w: World) -> str:
        week: WeekSchedule = getattr(w, self.week)
        return self.route.replace("{pk}", str(w.meeting.pk if "/events/" in self.route else week.pk)).replace(
            "{number}", "1"
        )


ROWS = [
    Row("GET", "/api/schedule/weeks", "specialist", 200),
    Row("POST", "/api/schedule/weeks", "clerk", 201,
        body=lambda w: week_body(w, 2027, 2)),
    Row("POST", "/api/schedule/weeks", "uncleared", 403,
        body=lambda w: week_body(w, 2027, 2)),
    Row("POST", "/api/schedule/weeks", "clerk", 400,
        body=lambda w: week_body(w, 2026, 50)),
    Row("GET", "/api/schedule/weeks/{pk}", "specialist", 200),
    Row("GET", "/api/schedule/weeks/{pk}", "specialist", 404, week="draft"),
    Row("GET", "/api/schedule/weeks/{pk}", "clerk", 200, week="draft"),
    Row("GET", "/api/schedule/weeks/{pk}/revisions", "specialist", 200),
    Row("GET", "/api/schedule/weeks/{pk}/revisions", "specialist", 404, week="draft"),
    Row("GET", "/api/schedule/weeks/{pk}/revisions/{number}", "specialist", 200),
    Row("GET", "/api/schedule/weeks/{pk}/revisions/{number}", "clerk", 404, week="draft"),
    Row("POST", "/api/schedule/weeks/{pk}/events", "clerk", 201, body=event_body),
    Row("POST", "/api/schedule/weeks/{pk}/events", "specialist", 403, body=event_body),
    Row("POST", "/api/schedule/weeks/{pk}/events", "specialist", 404, week="draft", body=event_body),
    Row("POST", "/api/schedule/weeks/{pk}/events", "clerk", 400, week="submitted", body=event_body),
    Row("POST", "/api/schedule/events/{pk}", "clerk", 200, body=event_body),
    Row("POST", "/api/schedule/events/{pk}", "specialist", 404, body=event_body),
    Row("POST", "/api/schedule/events/{pk}", "clerk", 400, body=lambda w: event_body(w, presiding_ids=[999_999])),
    Row("DELETE", "/api/schedule/events/{pk}", "clerk", 200),
    Row("DELETE", "/api/schedule/events/{pk}", "secretary", 404),
    Row("POST", "/api/schedule/weeks/{pk}/submit", "clerk", 200, week="draft"),
    Row("POST", "/api/schedule/weeks/{pk}/submit", "specialist", 404, week="draft"),
    Row("POST", "/api/schedule/weeks/{pk}/submit", "specialist", 403),
    Row("POST", "/api/schedule/weeks/{pk}/publish", "chief", 200, week="submitted", body={"note": "Ban hành"}),
    Row("POST", "/api/schedule/weeks/{pk}/publish", "clerk", 403, week="submitted", body={}),
    Row("POST", "/api/schedule/weeks/{pk}/publish", "specialist", 404, week="submitted", body={}),
    Row("POST", "/api/schedule/weeks/{pk}/publish", "chief", 400, body={}),  # nothing changed since revision 2
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona} {r.week} {r.expected}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    account = world.account(row.persona)
    assert account is not None
    body = row.body(world) if callable(row.body) else row.body
    response = client.generic(
        row.method,
        row.url(world),
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=bearer(account),
    )
    assert response.status_code == row.expected, response.content[:300]


@pytest.mark.parametrize("row", [r for r in ROWS if r.expected in (200, 201)][:5], ids=lambda r: r.route)
def test_anonymous_is_refused(world: World, client: Client, row: Row) -> None:
    assert client.generic(row.method, row.url(world)).status_code == 401


def test_every_schedule_operation_has_rows() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if path.startswith("/api/schedule")
    }
    assert len(operations) == 10
    for route, method in operations:
        rows = [r for r in ROWS if r.route == route and r.method == method]
        assert rows, f"{method} {route}: no row in the schedule matrix"
        if method != "GET":
            assert any(r.expected in (403, 404) for r in rows), f"{method} {route}: no refused row"


def test_a_week_reads_as_its_latest_revision_and_drafters_see_pending_changes(world: World, client: Client) -> None:
    clerk = bearer(world.desk.office.clerk)
    url = f"/api/schedule/weeks/{world.published.pk}"
    client.post(f"/api/schedule/weeks/{world.published.pk}/events", data=json.dumps(event_body(world)),
                content_type="application/json", headers=clerk)  # fmt: skip
    seen = client.get(url, headers=bearer(world.desk.office.specialist)).json()
    assert seen["revision"] == 2 and seen["published"]["number"] == 2
    assert seen["draft_events"] is None and seen["pending_changes"] is None
    assert [c["fields"] for c in seen["published"]["changes"]] == [["start"]]
    mine = client.get(url, headers=clerk).json()
    assert [c["kind"] for c in mine["pending_changes"]] == ["added"]
    chief = bearer(world.desk.office.chief)
    note = json.dumps({"note": "Bổ sung lịch tiếp dân"})
    published = client.post(f"{url}/publish", data=note, content_type="application/json", headers=chief).json()
    assert published["revision"] == 3 and published["pending_changes"] == []
    assert published["published"]["note"] == "Bổ sung lịch tiếp dân"
