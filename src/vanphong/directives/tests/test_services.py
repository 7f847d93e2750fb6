"""Assigning, idempotent creation from a source, breaking down, reporting, completing, extending."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.core import workcalendar
from vanphong.core.models import AuditEntry
from vanphong.directives.access import tasks_visible_to
from vanphong.directives.models import TaskEvent, TaskState, TaskUnit
from vanphong.directives.services import TargetData, TaskData, assign_task, assign_tasks
from vanphong.directives.tests.conftest import Board, assign

pytestmark = pytest.mark.django_db(transaction=False)


def conclusion_items(board: Board) -> list[TaskData]:
    units = [board.organisation_board, board.propaganda_board, board.district]
    return [
        TaskData(
            title=f"Triển khai kết luận mục {n}",
            content="Theo Kết luận của Ban Thường vụ Tỉnh ủy.",
            lead_unit=unit,
            deadline_days=10,
            source_kind="conclusion",
            source_ref=f"meetings.conclusion:{n}",
            source_title=f"Kết luận Hội nghị Ban Thường vụ ngày 03/12/2026, mục {n}",
        )
        for n, unit in enumerate(units, start=1)
    ]


def test_assign_tasks_is_all_or_nothing_and_idempotent_by_source(board: Board) -> None:
    actor = board.actor(board.secretary)
    first = assign_tasks(actor, conclusion_items(board))
    assert len(first) == 3 and all(t.assigning_body == board.office.province_party for t in first)
    assert all(t.assigned_by == board.secretary.person for t in first)
    # Ten working days counted by the shared calendar, and the basis kept.
    expected = workcalendar.deadline(timezone.localdate(), 10, "working")
    assert {t.deadline for t in first} == {expected}
    assert first[0].deadline_amount == 10 and first[0].deadline_unit == "working"
    again = assign_tasks(actor, conclusion_items(board))
    assert [t.pk for t in again] == [t.pk for t in first]
    assert AuditEntry.objects.filter(action="directives.task.assign").count() == 3
    broken = [*conclusion_items(board), TaskData(title="", content="", lead_unit=board.district)]
    broken[0].source_ref = "meetings.conclusion:99"
    with pytest.raises(ValidationError):
        assign_tasks(actor, broken)
    assert not tasks_visible_to(board.secretary).filter(source_ref="meetings.conclusion:99").exists()


def test_only_leaders_of_the_assigning_body_assign(board: Board) -> None:
    with pytest.raises(PermissionDenied):
        assign_task(
            board.actor(board.board_head),
            TaskData(title="X", content="", lead_unit=board.district, assigning_body=board.office.province_party),
        )
    # The office's văn thư records a conclusion in the name of the chair (a leader of the body).
    clerk = board.office.clerk
    task = assign_task(
        board.actor(clerk),
        TaskData(
            title="Chuẩn bị báo cáo sơ kết", content="", lead_unit=board.office.party_office,
            assigning_body=board.office.party_office,
        ),
        assigned_by=board.office.chief.person,
    )  # fmt: skip
    assert task.assigned_by == board.office.chief.person


def test_targets_and_coordinating_units_are_kept(board: Board) -> None:
    task = assign(board, targets=[TargetData("Tỷ lệ cán bộ được rà soát", 100, "%")])
    assert list(task.targets.values_list("name", "target_value")) == [("Tỷ lệ cán bộ được rà soát", Decimal(100))]
    assert list(TaskUnit.objects.filter(task=task).values_list("unit", flat=True)) == [board.propaganda_board.pk]
    assert TaskEvent.objects.filter(task=task, kind="assigned").count() == 1
    assert task.state == TaskState.ASSIGNED


def test_past_deadline_and_both_kinds_of_deadline_are_refused(board: Board) -> None:
    with pytest.raises(ValidationError) as caught:
        assign(board, deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert "deadline" in caught.value.message_dict
    with pytest.raises(ValidationError):
        assign(board, deadline_days=5)
