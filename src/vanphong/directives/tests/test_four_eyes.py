"""Four eyes on completion: a leader above the lead unit may propose completion for it, but then someone
else who may decide accepts or returns it; the page and the API give the same message."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from vanphong.core.models import Account, AuditEntry, Role
from vanphong.core.services import roles
from vanphong.directives import policy
from vanphong.directives.models import Task, TaskState
from vanphong.directives.services import accept_completion, propose_completion, return_task
from vanphong.directives.tests.conftest import Board, assign
from vanphong.documents.tests.test_api import bearer
from vanphong.testing import SYSTEM, make_account, make_person

pytestmark = pytest.mark.django_db
OWN = "You proposed this completion yourself"


def second_leader(board: Board) -> Account:
    """Bí thư Tỉnh ủy: another LEADER of the Tỉnh ủy, who may settle the proposal."""
    account = make_account(make_person("Đỗ Quang Vinh", board.office.province_party), "bithu")
    roles.grant_role(SYSTEM, account.person, board.office.province_party, Role.LEADER)  # type: ignore[arg-type]
    return account


def proposed_by_the_assigner(board: Board) -> Task:
    task = assign(board)  # assigned by the Phó Bí thư, who also leads above Ban Tổ chức
    return propose_completion(board.actor(board.secretary), task, note="Ban đã hoàn thành rà soát.")


def test_the_proposer_may_not_accept_or_return_his_own_proposal(board: Board) -> None:
    task = proposed_by_the_assigner(board)
    assert policy.own_proposal(board.secretary, task) and policy.can_decide(board.secretary, task)
    for act in (
        lambda: accept_completion(board.actor(board.secretary), task),
        lambda: return_task(board.actor(board.secretary), task, comment="Bổ sung số liệu"),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.code == "own_proposal"
    task.refresh_from_db()
    assert task.state == TaskState.PROPOSED
    assert not AuditEntry.objects.filter(action__in=["directives.task.accept", "directives.task.return"]).exists()
    # another leader settles it
    other = second_leader(board)
    assert not policy.own_proposal(other, task)
    accept_completion(board.actor(other), task)
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED


def test_a_new_proposal_by_the_head_may_be_settled_by_the_earlier_proposer(board: Board) -> None:
    task = proposed_by_the_assigner(board)
    return_task(board.actor(second_leader(board)), task, comment="Thiếu báo cáo của Ban Tuyên giáo")
    task.refresh_from_db()
    propose_completion(board.actor(board.board_head), task)  # now the head of the unit proposes
    task.refresh_from_db()
    assert not policy.own_proposal(board.secretary, task)
    accept_completion(board.actor(board.secretary), task)
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED


def test_the_page_offers_no_decision_and_refuses_a_posted_one(board: Board, client: Client) -> None:
    task = proposed_by_the_assigner(board)
    client.force_login(board.secretary)
    client.cookies["vanphong_language"] = "en"
    page = client.get(reverse("directives:task", args=[task.pk])).content.decode()
    assert 'id="own-proposal"' in page
    assert reverse("directives:accept", args=[task.pk]) not in page
    assert reverse("directives:return", args=[task.pk]) not in page
    response = client.post(reverse("directives:accept", args=[task.pk]), {"note": ""})
    assert response.status_code == 400 and OWN in response.content.decode()
    assert Task.objects.get(pk=task.pk).state == TaskState.PROPOSED
    client.force_login(second_leader(board))
    page = client.get(reverse("directives:task", args=[task.pk])).content.decode()
    assert 'id="own-proposal"' not in page and reverse("directives:accept", args=[task.pk]) in page


def test_the_api_refuses_with_the_same_message(board: Board, client: Client) -> None:
    task = proposed_by_the_assigner(board)
    headers = {**bearer(board.secretary), "Accept-Language": "en"}
    for decision in ({"accept": True}, {"accept": False, "comment": "Bổ sung số liệu"}):
        response = client.post(f"/api/tasks/{task.pk}/decide", data=json.dumps(decision),
                               content_type="application/json", headers=headers)  # fmt: skip
        assert response.status_code == 400 and OWN in response.json()["message"]
    response = client.post(f"/api/tasks/{task.pk}/decide", data=json.dumps({"accept": True}),
                           content_type="application/json", headers=bearer(second_leader(board)))  # fmt: skip
    assert response.status_code == 200 and response.json()["state"] == TaskState.COMPLETED
