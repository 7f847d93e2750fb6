"""The life of a task: reports with evidence, break-down, completion (on time and late), return,
extensions, cancel, recurring occurrences, and who sees what (outside reporting accounts included)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.core.models import AuditEntry
from vanphong.directives import access, policy
from vanphong.directives.models import ExtensionState, Task, TaskEventKind, TaskState
from vanphong.directives.services import (
    ReportData,
    TargetData,
    accept_completion,
    break_down,
    cancel_task,
    create_next_occurrence,
    decide_extension,
    propose_completion,
    report_progress,
    request_extension,
    return_task,
)
from vanphong.directives.tests.conftest import Board, assign
from vanphong.documents.services.files import Upload
from vanphong.notices.models import Notification
from vanphong.rules.task_status import StatusClass

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@contextmanager
def days_later(days: int) -> Iterator[None]:
    """The clock moved forward (as documents/demo.py does): services read ``timezone.now``."""
    moved = timezone.now() + datetime.timedelta(days=days)
    with mock.patch.object(timezone, "now", return_value=moved):
        yield


def test_a_report_with_files_documents_and_target_values(board: Board, tmp_path: object) -> None:
    task = assign(board, targets=[TargetData("Số cán bộ được rà soát", 120, "người")])
    target = task.targets.get()
    report = report_progress(
        board.actor(board.board_specialist),
        task,
        ReportData(
            text="Đã rà soát 80 hồ sơ cán bộ diện Ban Thường vụ quản lý.",
            percent=60,
            files=[Upload("bao-cao-tien-do.pdf", PDF)],
            target_values={target.pk: Decimal(80)},
        ),
    )
    task.refresh_from_db()
    target.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS and task.percent == 60 and task.last_report_at is not None
    assert target.achieved_value == Decimal(80) and target.percent == 66
    assert [f.name for f in report.files.all()] == ["bao-cao-tien-do.pdf"]
    assert report.files.get().stored.media_type == "application/pdf"
    assert report.unit == board.organisation_board
    assert AuditEntry.objects.filter(action="directives.task.report").count() == 1


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(board: Board) -> None:
    task = assign(board)
    with pytest.raises(ValidationError) as caught:
        report_progress(
            board.actor(board.board_head),
            task,
            ReportData(text="Kèm tệp", percent=10, files=[Upload("bao-cao.pdf", b"MZ\x90\x00 not a pdf")]),
        )
    assert "files" in caught.value.message_dict
    assert not task.reports.exists()


def test_a_coordinating_unit_reports_without_moving_the_lead_units_percentage(board: Board) -> None:
    task = assign(board)
    report_progress(board.actor(board.propaganda_head), task, ReportData(text="Đã góp ý dự thảo.", percent=100))
    task.refresh_from_db()
    assert task.percent == 0 and task.reports.get().unit == board.propaganda_board


def test_outsiders_cannot_report_and_cannot_link_documents_they_cannot_see(board: Board) -> None:
    task = assign(board)
    with pytest.raises(PermissionDenied):
        report_progress(board.actor(board.district_reporter), task, ReportData(text="x", percent=5))


def test_completion_date_is_the_day_proposed_and_late_is_late(board: Board) -> None:
    task = assign(board, deadline=timezone.localdate() + datetime.timedelta(days=2))
    with days_later(5):
        propose_completion(board.actor(board.board_head), task, note="Đã trình Ban Thường vụ.")
    with days_later(9):
        accepted = accept_completion(board.actor(board.secretary), task)
    assert accepted.state == TaskState.COMPLETED
    assert accepted.completed_on == timezone.localdate() + datetime.timedelta(days=5)
    assert Task.objects.filter(access.status_class_q(StatusClass.COMPLETED_LATE, timezone.localdate())).get() == task
    assert Notification.objects.filter(kind="directives.proposed", recipient=board.secretary).count() == 1


def test_return_sends_it_back_and_a_new_proposal_is_needed(board: Board) -> None:
    task = assign(board)
    propose_completion(board.actor(board.board_head), task)
    with pytest.raises(PermissionDenied):
        accept_completion(board.actor(board.board_head), task)
    with pytest.raises(ValidationError):
        return_task(board.actor(board.secretary), task, comment="")
    returned = return_task(board.actor(board.secretary), task, comment="Bổ sung danh sách quy hoạch dự nguồn.")
    assert returned.state == TaskState.RETURNED and returned.proposed_on is None
    with pytest.raises(ValidationError):
        accept_completion(board.actor(board.secretary), task)
    report_progress(board.actor(board.board_head), task, ReportData(text="Đã bổ sung.", percent=100))
    propose_completion(board.actor(board.board_head), task)
    assert accept_completion(board.actor(board.secretary), task).state == TaskState.COMPLETED
    kinds = list(task.events.values_list("kind", flat=True))
    assert kinds == ["assigned", "proposed", "returned", "reported", "proposed", "accepted"]


def test_an_approved_extension_moves_the_deadline_and_reads_extended_until_it_passes(board: Board) -> None:
    first = timezone.localdate() + datetime.timedelta(days=3)
    task = assign(board, deadline=first)
    asked = request_extension(
        board.actor(board.board_head), task, new_deadline=first + datetime.timedelta(days=20), reason="Chờ ý kiến Sở."
    )
    with pytest.raises(ValidationError):
        request_extension(
            board.actor(board.board_head), task, new_deadline=first + datetime.timedelta(days=30), reason="x"
        )
    with pytest.raises(PermissionDenied):
        decide_extension(board.actor(board.board_head), asked, approve=True)
    decided = decide_extension(board.actor(board.secretary), asked, approve=True, comment="Đồng ý.")
    task.refresh_from_db()
    assert decided.state == ExtensionState.APPROVED and decided.decided_by == board.secretary.person
    assert task.deadline == first + datetime.timedelta(days=20) and task.original_deadline == first
    today = timezone.localdate()
    assert Task.objects.filter(access.status_class_q(StatusClass.EXTENDED, today)).get() == task
    after = task.deadline + datetime.timedelta(days=1)
    assert Task.objects.filter(access.status_class_q(StatusClass.OVERDUE, after)).get() == task
    with pytest.raises(ValidationError):
        decide_extension(board.actor(board.secretary), asked, approve=False, comment="Đã quyết định rồi.")


def test_a_refused_extension_keeps_the_deadline(board: Board) -> None:
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    task = assign(board, deadline=deadline)
    asked = request_extension(
        board.actor(board.board_head), task, new_deadline=deadline + datetime.timedelta(days=9), reason="Thiếu người."
    )
    with pytest.raises(ValidationError):
        decide_extension(board.actor(board.secretary), asked, approve=False)  # a refusal says why
    decide_extension(board.actor(board.secretary), asked, approve=False, comment="Yêu cầu bảo đảm tiến độ.")
    task.refresh_from_db()
    assert task.deadline == deadline and task.original_deadline is None
    assert task.events.filter(kind=TaskEventKind.EXTENSION_REFUSED).exists()


def test_break_down_to_a_specialist_and_the_child_is_seen_by_the_specialist(board: Board) -> None:
    task = assign(board)
    child = break_down(
        board.actor(board.board_head), task, title="Tổng hợp hồ sơ quy hoạch", handler=board.board_specialist.person
    )
    assert child.parent == task and child.lead_unit == board.organisation_board and child.deadline == task.deadline
    task.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS
    assert access.tasks_visible_to(board.board_specialist).filter(pk=child.pk).exists()
    with pytest.raises(PermissionDenied):
        break_down(board.actor(board.board_specialist), task, title="x", handler=board.board_specialist.person)
    with pytest.raises(ValidationError):
        break_down(board.actor(board.board_head), task, title="x", unit=board.district)


def test_cancel_closes_the_task_and_its_parts(board: Board) -> None:
    task = assign(board)
    child = break_down(board.actor(board.board_head), task, title="Phần việc", handler=board.board_specialist.person)
    with pytest.raises(PermissionDenied):
        cancel_task(board.actor(board.board_head), task, reason="x")
    cancel_task(board.actor(board.secretary), task, reason="Đã có chủ trương khác.")
    child.refresh_from_db()
    assert child.state == TaskState.CANCELLED
    for cls in StatusClass:
        assert not Task.objects.filter(access.status_class_q(cls, timezone.localdate())).exists()


def test_outside_accounts_see_only_their_own_bodys_tasks(board: Board) -> None:
    mine = assign(board, lead_unit=board.district, coordinating_units=[])
    theirs = assign(board, lead_unit=board.other_district, coordinating_units=[])
    inside = assign(board)
    assert set(access.tasks_visible_to(board.district_reporter)) == {mine}
    assert set(access.tasks_visible_to(board.other_reporter)) == {theirs}
    assert set(access.tasks_visible_to(board.secretary)) == {mine, theirs, inside}
    assert set(access.tasks_visible_to(board.propaganda_head)) == {inside}
    assert set(access.tasks_visible_to(board.office.root_admin)) == set()
    report_progress(board.actor(board.district_reporter), mine, ReportData(text="Đã triển khai.", percent=30))
    assert not policy.can_propose(board.district_reporter, mine)  # a reporting account only reports


def test_database_classes_agree_with_the_rule_for_every_row(board: Board) -> None:
    today = timezone.localdate()
    days = [-5, 0, 3, 7, 8, 40, None]
    for n in days:
        deadline = None if n is None else today + datetime.timedelta(days=n)
        with days_later(-10):  # assigned ten days ago, so past deadlines are possible
            assign(board, title=f"Nhiệm vụ {n}", deadline=deadline)
    counts = access.class_counts(Task.objects.all(), today)
    from vanphong.directives.views.tasks import status_of

    by_rule: dict[str, int] = {}
    for task in Task.objects.all():
        cls = status_of(task, today)
        assert cls is not None
        by_rule[cls.value] = by_rule.get(cls.value, 0) + 1
    assert {k: v for k, v in counts.items() if v} == by_rule
    assert by_rule == {"overdue": 1, "due_soon": 3, "not_yet_due": 3}


def test_recurring_reports_get_their_next_occurrence_once(board: Board) -> None:
    first_due = timezone.localdate() + datetime.timedelta(days=5)
    task = assign(board, title="Báo cáo tháng về công tác cán bộ", deadline=first_due, recurrence="monthly")
    propose_completion(board.actor(board.board_head), task)
    accept_completion(board.actor(board.secretary), task)
    occurrence = Task.objects.get(series=task)
    assert occurrence.deadline is not None and occurrence.deadline > first_due
    assert occurrence.state == TaskState.ASSIGNED and occurrence.recurrence == "monthly"
    assert create_next_occurrence(board.actor(board.secretary), task) is None  # not the latest any more
