"""Two clicks at once change the state once; the reminders job is idempotent and escalates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from unittest import mock

import pytest
from django.utils import timezone

from vanphong.core.audit import Actor
from vanphong.core.models import AuditEntry, OrgKind, Role
from vanphong.core.services import roles
from vanphong.directives.models import Task, TaskEvent, TaskEventKind, TaskState
from vanphong.directives.services import TaskData, accept_completion, assign_task, propose_completion, run_reminders
from vanphong.directives.tests.conftest import Board, assign
from vanphong.notices.models import Notification
from vanphong.registry import registry
from vanphong.testing import SYSTEM, make_account, make_org, make_person, race


@dataclass
class Room:
    """A leader and a unit head, built without the data migrations' rows (a transactional test flushes them)."""

    leader: Actor  # Phó Bí thư Thường trực Tỉnh ủy
    head: Actor  # Trưởng Ban Tổ chức
    task: Task


@pytest.fixture
def room(transactional_db: None) -> Room:
    party = make_org("Tỉnh ủy Sơn Hà", "TU", kind=OrgKind.PARTY_COMMITTEE)
    unit = make_org("Ban Tổ chức Tỉnh ủy", "BTCTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
    leader = make_account(make_person("Nguyễn Thị Thanh", party), "phobithu")
    head = make_account(make_person("Trịnh Văn Khải", unit), "truongbantc")
    roles.grant_role(SYSTEM, leader.person, party, Role.LEADER)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, head.person, unit, Role.HEAD)  # type: ignore[arg-type]
    leader_actor, head_actor = Actor(account=leader, source="web"), Actor(account=head, source="web")
    task = assign_task(leader_actor, TaskData(title="Rà soát quy hoạch cán bộ", content="", lead_unit=unit))
    return Room(leader_actor, head_actor, task)


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_accept_change_the_state_once(room: Room) -> None:
    task = room.task
    propose_completion(room.head, task)
    won, lost = race(*(lambda: accept_completion(room.leader, Task.objects.get(pk=task.pk)) for _ in range(2)))
    assert len(won) == 1 and len(lost) == 1
    assert AuditEntry.objects.filter(action="directives.task.accept").count() == 1
    assert TaskEvent.objects.filter(task=task, kind=TaskEventKind.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_three_proposals_at_once_make_one(room: Room) -> None:
    task = room.task
    won, lost = race(*(lambda: propose_completion(room.head, Task.objects.get(pk=task.pk)) for _ in range(3)))
    assert len(won) == 1 and len(lost) == 2
    assert Task.objects.get(pk=task.pk).state == TaskState.PROPOSED


def _notices(kind: str) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(kind=kind).values_list("recipient__username", "key").order_by("id"))


@pytest.mark.django_db
def test_reminders_before_on_and_after_the_deadline_once_each(board: Board) -> None:
    assert "directives.reminders" in registry.jobs
    now = timezone.now()
    today = timezone.localdate()
    due = assign(board, title="Báo cáo sơ kết", deadline=today + datetime.timedelta(days=1))
    far = assign(board, title="Đề án dài hạn", deadline=today + datetime.timedelta(days=60))
    summary = run_reminders(now)
    assert summary.startswith("tasks: ")
    assert {u for u, _k in _notices("directives.due")} == {"truongbantc"}
    assert all(str(due.pk) in k for _u, k in _notices("directives.due"))
    assert run_reminders(now).startswith("tasks: 0 due-soon reminders, 0 overdue")
    # Ten days on: overdue for the lead unit's head, and (more than three days late) escalated to the assigner.
    later = now + datetime.timedelta(days=10)
    with mock.patch.object(timezone, "now", return_value=later):
        run_reminders(later)
        run_reminders(later)
    assert _notices("directives.overdue") == [("truongbantc", f"directives.overdue:{due.pk}:{due.deadline}")]
    assert _notices("directives.escalated") == [("phobithu", f"directives.escalated:{due.pk}:{due.deadline}")]
    assert TaskEvent.objects.filter(task=due, kind=TaskEventKind.ESCALATED).count() == 1
    assert not Notification.objects.filter(url__endswith=f"/{far.pk}/").exclude(kind="directives.assigned").exists()


@pytest.mark.django_db
def test_the_job_creates_missing_occurrences_up_to_today(board: Board) -> None:
    start = timezone.now() - datetime.timedelta(days=100)
    with mock.patch.object(timezone, "now", return_value=start):
        head = assign(
            board,
            title="Báo cáo tháng",
            deadline=timezone.localdate() + datetime.timedelta(days=1),
            recurrence="monthly",
        )
    run_reminders(timezone.now())
    occurrences = list(Task.objects.filter(series=head).order_by("deadline"))
    assert 3 <= len(occurrences) <= 4
    assert occurrences[-1].deadline is not None and occurrences[-1].deadline >= timezone.localdate()
    assert all(o.deadline and o.deadline < timezone.localdate() for o in occurrences[:-1])
    run_reminders(timezone.now())
    assert Task.objects.filter(series=head).count() == len(occurrences)
