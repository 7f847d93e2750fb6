"""Participants come from any organisation tree: the Tỉnh ủy invites a chuyên viên of Sở Nội vụ (the People's
Committee's tree) on the page and a district chair through the API; they see the meeting and answer, and a
secret document stays hidden from them without the clearance."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from vanphong.core.models import OrgKind, Person
from vanphong.meetings import access
from vanphong.meetings.models import Participant, Response
from vanphong.meetings.services import meetings as services
from vanphong.meetings.tests import test_views
from vanphong.meetings.tests.test_api import bearer
from vanphong.meetings.tests.test_views import World
from vanphong.testing import make_account, make_org, make_person

pytestmark = pytest.mark.django_db
world = test_views.world  # a convened standing committee meeting of the Tỉnh ủy with a Mật document


def _login(client: Client, account: object) -> Client:
    client.force_login(account)  # type: ignore[arg-type]
    client.cookies["vanphong_language"] = "en"
    return client


def test_a_person_of_another_tree_is_invited_on_the_page_sees_the_meeting_and_answers(
    world: World, client: Client
) -> None:
    office = world.hall.office
    outsider = office.specialist  # chuyên viên Sở Nội vụ: under the UBND tỉnh, not the Tỉnh ủy
    assert not access.people_for(world.meeting.body).filter(pk=outsider.person_id).exists()
    meeting_url = reverse("meetings:meeting", args=[world.meeting.pk])
    assert _login(client, outsider).get(meeting_url).status_code == 404  # not invited: does not exist for him

    page = _login(client, office.clerk).get(meeting_url).content.decode()
    assert f'<option value="{outsider.person_id}">Võ Minh Tuấn (SNV)</option>' in page
    response = client.post(
        reverse("meetings:participant_add", args=[world.meeting.pk]), {"person": outsider.person_id, "role": "invited"}
    )
    assert response.status_code == 302
    part = Participant.objects.get(meeting=world.meeting, person_id=outsider.person_id)
    assert part.organization == office.home_affairs

    body = _login(client, outsider).get(meeting_url).content.decode()
    assert world.meeting.title in body
    assert f'data-meeting-document="{world.open_item.pk}"' in body
    assert f'data-meeting-document="{world.secret_item.pk}"' not in body  # no clearance: Mật stays hidden
    secret = reverse("meetings:document", args=[world.meeting.pk, world.secret_item.pk])
    assert client.get(secret).status_code in (403, 404)
    answered = client.post(reverse("meetings:respond", args=[world.meeting.pk, part.pk]), {"response": "accepted"})
    assert answered.status_code == 302
    part.refresh_from_db()
    assert part.response == Response.ACCEPTED


def test_a_district_chair_is_invited_through_the_api_and_answers(world: World, client: Client) -> None:
    district = make_org("Ủy ban nhân dân huyện Sơn Tây", "UBNDST", kind=OrgKind.PEOPLES_COMMITTEE)
    chair = make_account(make_person("Phạm Văn Đức", district), "chutichst")  # Chủ tịch UBND huyện
    url = f"/api/meetings/{world.meeting.pk}/participants"
    payload = {"person_id": chair.person_id, "role": "invited"}
    response = client.post(url, data=json.dumps(payload), content_type="application/json",
                           headers=bearer(world.hall.office.clerk))  # fmt: skip
    assert response.status_code == 201
    assert chair.person_id in {p["person_id"] for p in response.json()["participants"]}

    headers = bearer(chair)
    assert client.get(f"/api/meetings/{world.meeting.pk}", headers=headers).status_code == 200
    answer = {"response": "declined", "reason": "Trùng lịch tiếp xúc cử tri tại huyện"}
    response = client.post(f"/api/meetings/{world.meeting.pk}/respond", data=json.dumps(answer),
                           content_type="application/json", headers=headers)  # fmt: skip
    assert response.status_code == 200
    assert Participant.objects.get(meeting=world.meeting, person_id=chair.person_id).response == Response.DECLINED


def test_an_inactive_person_is_not_invited(world: World, client: Client) -> None:
    retired = make_person("Đỗ Văn Hùng", world.hall.office.home_affairs)
    Person.objects.filter(pk=retired.pk).update(is_active=False)  # retired (no service changes this flag yet)
    retired.refresh_from_db()
    clerk = world.hall.actor(world.hall.office.clerk)
    with pytest.raises(ValidationError) as refused:
        services.add_participant(clerk, world.meeting, services.ParticipantData(person=retired))
    assert "person" in refused.value.message_dict
    response = client.post(f"/api/meetings/{world.meeting.pk}/participants",
                           data=json.dumps({"person_id": retired.pk, "role": "invited"}),
                           content_type="application/json", headers=bearer(world.hall.office.clerk))  # fmt: skip
    assert response.status_code == 400 and "person_id" in response.json()["fields"]
