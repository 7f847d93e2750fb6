"""The meetings API: the same services and checks as the pages, and a permission matrix that fails
when an operation under /api/meetings has no rows."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from vanphong.api import api
from vanphong.core.models import Account
from vanphong.core.services import accounts
from vanphong.directives.models import Task
from vanphong.meetings.models import Conclusion, Meeting, Participant, Response
from vanphong.meetings.services import conclusions
from vanphong.meetings.services import meetings as services
from vanphong.meetings.tests.conftest import Hall
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Phần mềm lịch họp")
    return {"Authorization": f"Bearer {raw}"}


@dataclass
class World:
    hall: Hall
    meeting: Meeting  # convened, in the Ban Thường vụ room, Trưởng Ban Tổ chức invited
    part: Participant  # Trưởng Ban Tổ chức's invitation
    conclusion: Conclusion  # for the three boards


@pytest.fixture
def world(hall: Hall) -> World:
    clerk = hall.actor(hall.office.clerk)
    meeting = hall.meeting(room=hall.small_room)
    part = services.add_participant(clerk, meeting, services.ParticipantData(person=hall.organisation_head.person))
    conclusion = conclusions.add_conclusion(
        clerk,
        meeting,
        conclusions.ConclusionData(
            text="Các ban tham mưu sơ kết Nghị quyết.",
            lead_units=[hall.organisation_board, hall.propaganda_board, hall.inspection_board],
            deadline_days=10,
        ),
    )
    services.convene(clerk, meeting)
    meeting.refresh_from_db()
    return World(hall, meeting, part, conclusion)


def _at(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0))).isoformat()


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    body: Any = None

    def url(self, w: World) -> str:
        return self.route.replace(
            "{pk}", str(w.meeting.pk if "rooms" not in self.route else w.hall.small_room.pk)
        ).replace("{participant_id}", str(w.part.pk))


def new_meeting(w: World) -> dict[str, Any]:
    return {"body_id": w.hall.party.pk, "kind": "standing_committee", "title": "Họp Ban Thường vụ chuyên đề",
            "starts_at": _at(15, 8), "ends_at": _at(15, 10), "room_id": w.hall.small_room.pk,
            "presiding_id": w.hall.secretary.person_id}  # fmt: skip


ROWS = [
    Row("GET", "/api/meetings", "clerk", 200),
    Row("GET", "/api/meetings", "specialist", 200),
    Row("POST", "/api/meetings", "clerk", 201, new_meeting),
    Row("POST", "/api/meetings", "head", 404, new_meeting),
    Row("GET", "/api/meetings/{pk}", "head", 200),
    Row("GET", "/api/meetings/{pk}", "specialist", 404),
    Row("POST", "/api/meetings/{pk}/convene", "clerk", 400),  # already convened
    Row("POST", "/api/meetings/{pk}/convene", "head", 403),
    Row("POST", "/api/meetings/{pk}/participants", "clerk", 201, {"name": "Đỗ Minh Châu", "role": "invited"}),
    Row("POST", "/api/meetings/{pk}/participants", "head", 403, {"name": "x"}),
    Row("POST", "/api/meetings/{pk}/respond", "head", 200, {"response": "accepted"}),
    Row("POST", "/api/meetings/{pk}/respond", "head", 400, {"response": "declined"}),
    Row("POST", "/api/meetings/{pk}/respond", "specialist", 404, {"response": "accepted"}),
    Row("POST", "/api/meetings/{pk}/participants/{participant_id}/check-in", "clerk", 200, {"present": True}),
    Row("POST", "/api/meetings/{pk}/participants/{participant_id}/check-in", "head", 403, {"present": True}),
    Row("POST", "/api/meetings/{pk}/conclusions", "leader", 201,
        lambda w: {"text": "Văn phòng tổng hợp.", "lead_unit_ids": [w.hall.office.party_office.pk]}),
    Row("POST", "/api/meetings/{pk}/conclusions", "head", 403,
        lambda w: {"text": "x", "lead_unit_ids": [w.hall.office.party_office.pk]}),
    Row("POST", "/api/meetings/{pk}/conclusions/tasks", "leader", 200, lambda w: {"conclusion_ids": [w.conclusion.pk]}),
    Row("POST", "/api/meetings/{pk}/conclusions/tasks", "clerk", 403, lambda w: {"conclusion_ids": [w.conclusion.pk]}),
    Row("POST", "/api/meetings/{pk}/conclusions/tasks", "specialist", 404, {"conclusion_ids": []}),
    Row("GET", "/api/meetings/rooms", "clerk", 200),
    Row("GET", "/api/meetings/rooms/{pk}/bookings", "clerk", 200),
    Row("GET", "/api/meetings/rooms/{pk}/bookings", "head", 404),
    Row("POST", "/api/meetings/rooms/{pk}/bookings", "clerk", 201,
        {"starts_at": _at(16, 8), "ends_at": _at(16, 9), "purpose": "Tập huấn"}),
    Row("POST", "/api/meetings/rooms/{pk}/bookings", "head", 404,
        {"starts_at": _at(16, 8), "ends_at": _at(16, 9), "purpose": "Tập huấn"}),
]  # fmt: skip


def _persona(w: World, name: str) -> Account:
    h = w.hall
    return {"clerk": h.office.clerk, "leader": h.secretary, "head": h.organisation_head,
            "specialist": h.office.specialist}[name]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona} {r.expected}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    headers = bearer(_persona(world, row.persona))
    body = row.body(world) if callable(row.body) else row.body
    if row.method == "GET":
        response = client.get(row.url(world), headers=headers)
    else:
        response = client.post(row.url(world), data=json.dumps(body or {}), content_type="application/json",
                               headers=headers)  # fmt: skip
    assert response.status_code == row.expected, response.content[:300]


def test_anonymous_is_refused(world: World, client: Client) -> None:
    assert client.get("/api/meetings").status_code == 401


def test_every_meetings_operation_has_rows() -> None:
    schema = api.get_openapi_schema()
    operations = {(path, method.upper()) for path, ops in schema["paths"].items() for method in ops
                  if path.startswith("/api/meetings")}  # fmt: skip
    for route, method in operations:
        rows = [r for r in ROWS if r.route == route and r.method == method]
        assert rows, f"{method} {route}: no row in the meetings matrix"
        if method != "GET":
            assert any(r.expected in (403, 404) for r in rows), f"{method} {route}: no refused row"


def test_a_taken_slot_is_refused_through_the_api_with_the_message(world: World, client: Client) -> None:
    start = timezone.localtime(world.meeting.starts_at)
    body = {"starts_at": (start + datetime.timedelta(hours=1)).isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(), "purpose": "Tiếp khách"}  # fmt: skip
    english = {**bearer(world.hall.office.clerk), "Accept-Language": "en"}
    response = client.post(f"/api/meetings/rooms/{world.hall.small_room.pk}/bookings", data=json.dumps(body),
                           content_type="application/json", headers=english)  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "room_booked"
    assert "is already booked" in response.json()["fields"]["room"][0]


def test_answer_and_tasks_through_the_api_are_the_same_services(world: World, client: Client) -> None:
    answer = {"response": "deputy", "deputy_name": "Phan Thị Yến"}
    response = client.post(f"/api/meetings/{world.meeting.pk}/respond", data=json.dumps(answer),
                           content_type="application/json", headers=bearer(world.hall.organisation_head))  # fmt: skip
    assert response.status_code == 200
    world.part.refresh_from_db()
    assert world.part.response == Response.DEPUTY
    response = client.post(f"/api/meetings/{world.meeting.pk}/conclusions/tasks",
                           data=json.dumps({"conclusion_ids": [world.conclusion.pk]}),
                           content_type="application/json", headers=bearer(world.hall.secretary))  # fmt: skip
    assert response.status_code == 200 and len(response.json()) == 3
    assert Task.objects.filter(source_ref=f"meetings.conclusion:{world.conclusion.pk}").count() == 3
    detail = client.get(f"/api/meetings/{world.meeting.pk}", headers=bearer(world.hall.organisation_head)).json()
    assert len(detail["conclusions"][0]["task_ids"]) == 3
    assert detail["room"] == "Phòng họp Ban Thường vụ"
