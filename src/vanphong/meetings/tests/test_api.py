"""The meetings API: the same services and checks as the pages, and a permission matrix that fails
when an operation under /api/meetings has no rows."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation

from vanphong.api import api
from vanphong.core.models import Account
from vanphong.core.services import accounts
from vanphong.directives.models import Task
from vanphong.meetings.models import Conclusion, Meeting, Participant, Response
from vanphong.meetings.services import conclusions
from vanphong.meetings.services import meetings as services
from vanphong.meetings.services import rooms as room_services
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
    Row("PUT", "/api/meetings/rooms/{pk}", "clerk", 200, lambda w: room_body()),
    Row("PUT", "/api/meetings/rooms/{pk}", "clerk", 400, lambda w: room_body(name="Hội trường Tỉnh ủy")),
    Row("PUT", "/api/meetings/rooms/{pk}", "clerk", 400, lambda w: room_body(capacity=-1)),
    Row("PUT", "/api/meetings/rooms/{pk}", "leader", 200, lambda w: room_body()),
    Row("PUT", "/api/meetings/rooms/{pk}", "board_specialist", 403, lambda w: room_body()),
    Row("GET", "/api/meetings/rooms/{pk}/bookings", "board_specialist", 200),
    Row("PUT", "/api/meetings/rooms/{pk}", "head", 404, lambda w: room_body()),
    Row("PUT", "/api/meetings/rooms/{pk}", "specialist", 404, lambda w: room_body()),
    Row("DELETE", "/api/meetings/rooms/{pk}", "clerk", 405),
]  # fmt: skip


def room_body(**changes: Any) -> dict[str, Any]:
    return {"name": "Phòng họp Ban Thường vụ", "building": "Nhà A", "floor": "3", "capacity": 32,
            "equipment": "Màn hình LED", "active": True, **changes}  # fmt: skip


def _persona(w: World, name: str) -> Account:
    h = w.hall
    return {"clerk": h.office.clerk, "leader": h.secretary, "head": h.organisation_head,
            "specialist": h.office.specialist}.get(name) or h.board_specialist()  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.route} {r.persona} {r.expected}")
def test_matrix(world: World, client: Client, row: Row) -> None:
    headers = bearer(_persona(world, row.persona))
    body = row.body(world) if callable(row.body) else row.body
    if row.method == "GET":
        response = client.get(row.url(world), headers=headers)
    else:
        response = client.generic(row.method, row.url(world), data=json.dumps(body or {}),
                                  content_type="application/json", headers=headers)  # fmt: skip
    assert response.status_code == row.expected, response.content[:300]


def test_anonymous_is_refused(world: World, client: Client) -> None:
    assert client.get("/api/meetings").status_code == 401
    room = world.hall.small_room.pk
    anonymous = client.put(f"/api/meetings/rooms/{room}", data=json.dumps(room_body()), content_type="application/json")
    assert anonymous.status_code == 401


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


def test_a_room_taken_out_of_use_through_the_api_keeps_its_bookings_and_refuses_new_ones(
    world: World, client: Client
) -> None:
    room = world.hall.small_room
    clerk = bearer(world.hall.office.clerk)
    response = client.put(f"/api/meetings/rooms/{room.pk}", data=json.dumps(room_body(active=False)),
                          content_type="application/json", headers=clerk)  # fmt: skip
    assert response.status_code == 200, response.content[:300]
    assert response.json()["active"] is False and response.json()["capacity"] == 32
    room.refresh_from_db()
    assert (room.active, room.floor, room.equipment) == (False, "3", "Màn hình LED")
    bookings = client.get(f"/api/meetings/rooms/{room.pk}/bookings", headers=clerk).json()
    assert [b["meeting_id"] for b in bookings] == [world.meeting.pk]
    refused = client.post(f"/api/meetings/rooms/{room.pk}/bookings", content_type="application/json",
                          data=json.dumps({"starts_at": _at(16, 8), "ends_at": _at(16, 9), "purpose": "Tập huấn"}),
                          headers=clerk)  # fmt: skip
    assert refused.status_code == 403
    # The service itself refuses a new booking of a room out of use, whoever asks.
    later = timezone.now() + datetime.timedelta(days=30)
    clerk_actor = world.hall.actor(world.hall.office.clerk)
    with pytest.raises(ValidationError, match="no longer in use"), translation.override("en"), transaction.atomic():
        room_services.reserve(clerk_actor, room, later, later + datetime.timedelta(hours=1), purpose="Tiếp khách")
    # Back in use, it can be booked again.
    client.put(f"/api/meetings/rooms/{room.pk}", data=json.dumps(room_body()), content_type="application/json",
               headers=clerk)  # fmt: skip
    again = client.post(f"/api/meetings/rooms/{room.pk}/bookings", content_type="application/json",
                        data=json.dumps({"starts_at": _at(16, 8), "ends_at": _at(16, 9), "purpose": "Tập huấn"}),
                        headers=clerk)  # fmt: skip
    assert again.status_code == 201
