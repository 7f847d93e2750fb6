"""A task from a leader's direction on an incoming document (source kind "direction"), by the service,
the page form (``?direction=``) and the API; only from documents the person can see."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from vanphong.core.models import Role
from vanphong.core.services import roles
from vanphong.directives.models import SourceKind, Task
from vanphong.directives.services import TaskData, assign_task, task_from_direction
from vanphong.documents.access import access_assignment
from vanphong.documents.models import AssignmentRole, Document
from vanphong.documents.services import incoming
from vanphong.documents.tests import conftest as documents_conftest
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.documents.tests.test_api import bearer
from vanphong.testing import SYSTEM

desk = documents_conftest.desk
pytestmark = pytest.mark.django_db


def directed(desk: Desk) -> Document:
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    document = incoming.register_incoming(clerk, register_sample(desk))
    incoming.direct(
        chief, document, incoming.DirectionData(text="Phòng Tổng hợp tham mưu kế hoạch.", lead_unit=desk.unit)
    )
    return document


def test_the_service_keeps_the_document_and_the_direction(desk: Desk) -> None:
    document = directed(desk)
    lead = document.assignments.get(role=AssignmentRole.LEAD)
    task = task_from_direction(
        desk.actor(desk.office.deputy),
        lead,
        TaskData(title="Tham mưu kế hoạch triển khai Nghị quyết 57", content="", lead_unit=desk.unit),
    )
    assert task.source_kind == SourceKind.DIRECTION and task.source_document == document
    assert task.source_assignment == lead and task.assigned_by == desk.office.chief.person
    assert task.assigning_body == desk.office.party_office and task.source_title == "1234/UBND-VX"
    again = task_from_direction(
        desk.actor(desk.office.deputy), lead, TaskData(title="x", content="", lead_unit=desk.unit)
    )
    assert again.pk == task.pk  # the same direction makes one task


def test_a_document_the_person_cannot_see_is_refused(desk: Desk) -> None:
    document = directed(desk)
    # A leader of Sở Nội vụ may assign in the name of her own body, but not cite a document she cannot see.
    roles.grant_role(SYSTEM, desk.office.specialist.person, desk.office.home_affairs, Role.LEADER)  # type: ignore[arg-type]
    with pytest.raises(Http404):
        access_assignment(desk.office.specialist, document.assignments.get().pk)
    with pytest.raises(ValidationError) as caught:
        assign_task(
            desk.actor(desk.office.specialist),
            TaskData(
                title="x",
                content="",
                lead_unit=desk.office.home_affairs,
                source_document=document,
                assigning_body=desk.office.home_affairs,
            ),
        )
    assert "source_document" in caught.value.message_dict


def test_the_page_form_and_the_api_start_from_the_direction(desk: Desk, client: Client) -> None:
    document = directed(desk)
    lead = document.assignments.get(role=AssignmentRole.LEAD)
    client.force_login(desk.office.chief)
    url = reverse("directives:assign") + f"?direction={lead.pk}"
    form = client.get(url).context["form"]
    assert form.initial["lead_unit"] == desk.unit.pk and form.initial["source_kind"] == "direction"
    response = client.post(
        url,
        {
            "title": "Tham mưu kế hoạch",
            "assigning_body": desk.office.party_office.pk,
            "lead_unit": desk.unit.pk,
            "deadline_days": "10",
            "deadline_unit": "working",
            "priority": "normal",
            "source_kind": "direction",
            "source_assignment": lead.pk,
            "source_document": document.pk,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.source_assignment == lead and task.source_kind == SourceKind.DIRECTION
    client.force_login(desk.office.specialist)
    assert client.get(url).status_code == 403  # not a leader of any body: may not assign at all
    body = {"title": "Qua API", "lead_unit_id": desk.unit.pk, "source_assignment_id": lead.pk}
    api = client.post("/api/tasks", data=json.dumps(body), content_type="application/json",
                      headers=bearer(desk.office.chief))  # fmt: skip
    assert api.status_code == 201 and api.json()["id"] == task.pk  # the same direction, the same task


def test_the_document_page_section_lists_its_tasks_for_those_who_see_the_document(desk: Desk, client: Client) -> None:
    document = directed(desk)
    lead = document.assignments.get(role=AssignmentRole.LEAD)
    task_from_direction(
        desk.actor(desk.office.chief),
        lead,
        TaskData(title="Tham mưu kế hoạch triển khai Nghị quyết 57", content="", lead_unit=desk.unit),
    )
    url = reverse("directives:document_tasks", args=[document.pk])
    client.force_login(desk.office.chief)
    section = client.get(url).content.decode()
    assert "Tham mưu kế hoạch triển khai Nghị quyết 57" in section
    assert f"{reverse('directives:assign')}?document={document.pk}" in section  # a leader may assign more
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert f'hx-get="{url}"' in page  # the document page loads the section
    client.force_login(desk.office.specialist)  # Sở Nội vụ: cannot see the document
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 405
    client.logout()
    assert client.get(url).status_code == 302
