"""The tasks journey (issue 5, "Done means"): a leader's conclusion in a meeting becomes three tasks for
three units; one unit reports progress and completes late, one is extended, one goes overdue and shows
so on the dashboards and in the reminders.

The three tasks are assigned through ``assign_tasks`` with ``source_kind="conclusion"``, as the meetings
module does from a conclusion notice, three weeks ago (the clock is patched as documents/demo.py does),
so that their deadlines, counted in working days by the shared calendar, have passed. Everything after
that is clicked by the people concerned. Expected words come from the catalogue in the page's language.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from vanphong.directives.forms import ExtensionDecisionForm, ExtensionForm, NoteForm, ReportForm
from vanphong.directives.models import Task, TaskState
from vanphong.directives.services import TaskData, assign_tasks, run_reminders
from vanphong.directives.services.reminders import ESCALATED_SUBJECT, OVERDUE_SUBJECT
from vanphong.directives.tests import conftest as directives_conftest
from vanphong.directives.tests.conftest import Board

from .conftest import Web, control, tr

board = directives_conftest.board  # the assigning leader, the units, their heads


def settled(page: Page) -> None:
    page.wait_for_load_state("load")


def action(page: Page, key: str) -> Locator:
    """Open the step ``key`` on the task page (a <details>) and return it."""
    settled(page)
    details = page.locator(f"#action-{key}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def open_task(page: Page, task: Task) -> None:
    page.goto(f"/tasks/{task.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(task.title)


def badge(page: Page) -> Locator:
    return page.locator(".page__header [data-status]")


def conclusion(board: Board) -> list[Task]:
    """Three weeks ago the Standing Committee concluded; the office recorded three tasks from it."""
    three_weeks_ago = timezone.now() - datetime.timedelta(days=21)
    source = "Kết luận Hội nghị Ban Thường vụ Tỉnh ủy ngày 16/11/2026"
    items = [
        TaskData(
            title="Rà soát, bổ sung quy hoạch cán bộ diện Ban Thường vụ quản lý",
            content="Ban Tổ chức chủ trì, báo cáo Ban Thường vụ.",
            lead_unit=board.organisation_board,
            deadline_days=5,
            source_kind="conclusion",
            source_ref="meetings.conclusion:501",
            source_title=f"{source}, mục 1",
        ),
        TaskData(
            title="Tổ chức tuyên truyền kỷ niệm 80 năm Ngày Tổng tuyển cử",
            content="Ban Tuyên giáo chủ trì, các huyện ủy phối hợp.",
            lead_unit=board.propaganda_board,
            deadline=timezone.localdate() + datetime.timedelta(days=2),
            source_kind="conclusion",
            source_ref="meetings.conclusion:502",
            source_title=f"{source}, mục 2",
        ),
        TaskData(
            title="Báo cáo tình hình sắp xếp đơn vị sự nghiệp công lập",
            content="Sở Nội vụ tổng hợp, báo cáo Thường trực Tỉnh ủy.",
            lead_unit=board.office.home_affairs,
            deadline_days=5,
            source_kind="conclusion",
            source_ref="meetings.conclusion:503",
            source_title=f"{source}, mục 3",
        ),
    ]
    with mock.patch.object(timezone, "now", return_value=three_weeks_ago):
        return assign_tasks(board.actor(board.secretary), items)


@pytest.mark.browser
def test_a_conclusion_becomes_three_tasks_late_extended_and_overdue(web: Web, board: Board) -> None:
    late, extended, overdue = conclusion(board)
    assert late.deadline is not None and late.deadline < timezone.localdate()

    # 1. Ban Tổ chức reports progress, then proposes completion (after the deadline).
    head = web.page
    web.sign_in("truongbantc")
    open_task(head, late)
    expect(badge(head)).to_have_attribute("data-status", "overdue")
    report = action(head, "report")
    control(report, ReportForm, "text").fill("Đã rà soát 120 hồ sơ, trình Thường trực xem xét.")
    control(report, ReportForm, "percent").fill("90")
    report.get_by_role("button", name=tr("Send the report")).click()
    expect(head.locator("#task-percent")).to_have_text("90%")
    expect(head.locator("#timeline > li[data-kind=reported]")).to_have_count(1)
    propose = action(head, "propose")
    control(propose, NoteForm, "note").fill("Đã hoàn thành, kèm báo cáo.")
    propose.get_by_role("button", name=tr("Propose")).click()
    expect(head.locator("#task-state")).to_have_text(tr("Completion proposed"))

    # 2. The assigner accepts from her tasks page: the task reads "completed late".
    leader = web.new_page()
    web.sign_in("phobithu", page=leader)
    leader.goto("/tasks/")
    expect(leader.locator('[data-basket="proposals"]')).to_have_text("1")
    leader.locator("#proposals").get_by_role("link", name=late.title).click()
    action(leader, "accept").get_by_role("button", name=tr("Accept")).click()
    expect(badge(leader)).to_have_attribute("data-status", "completed_late")
    expect(leader.locator("#task-completed")).to_have_text(timezone.localdate().strftime("%d/%m/%Y"))

    # 3. Ban Tuyên giáo asks for more time; the assigner approves; the task reads "extended".
    propaganda = web.new_page()
    web.sign_in("truongbantg", page=propaganda)
    open_task(propaganda, extended)
    new_deadline = timezone.localdate() + datetime.timedelta(days=20)
    ask = action(propaganda, "extend")
    control(ask, ExtensionForm, "new_deadline").fill(new_deadline.strftime("%d/%m/%Y"))
    control(ask, ExtensionForm, "reason").fill("Chờ kế hoạch của Ban Tuyên giáo Trung ương.")
    ask.get_by_role("button", name=tr("Ask")).click()
    expect(propaganda.locator('#extensions [data-extension="pending"]')).to_have_count(1)
    open_task(leader, extended)
    decide = action(leader, "decide_extension")
    with translation.override("vi"):
        approve = str(dict(ExtensionDecisionForm.base_fields["decision"].choices)["approve"])  # type: ignore[attr-defined]
    decide.get_by_label(approve).check()
    decide.get_by_role("button", name=tr("Record the decision")).click()
    expect(badge(leader)).to_have_attribute("data-status", "extended")
    expect(leader.locator("#task-deadline")).to_contain_text(new_deadline.strftime("%d/%m/%Y"))
    expect(leader.locator('#extensions [data-extension="approved"]')).to_contain_text("Nguyễn Thị Thanh")

    # 4. Sở Nội vụ did nothing: overdue on the home panel and the tasks page, and in the reminders.
    leader.goto("/")
    expect(leader.locator('#tasks-panel [data-class="overdue"]')).to_have_text("1")
    expect(leader.locator('#tasks-panel [data-class="completed_late"]')).to_have_text("1")
    expect(leader.locator('#tasks-panel [data-class="extended"]')).to_have_text("1")
    department = web.new_page()
    web.sign_in("giamdocsnv", page=department)
    department.goto("/tasks/")
    expect(department.locator('[data-basket="overdue"]')).to_have_text("1")
    expect(department.locator("#overdue").get_by_role("link", name=overdue.title)).to_be_visible()

    summary = run_reminders(timezone.now())
    assert "1 escalations" in summary, summary
    assert Task.objects.get(pk=overdue.pk).state == TaskState.ASSIGNED
    deadline = overdue.deadline.strftime("%d/%m/%Y")  # type: ignore[union-attr]
    with translation.override("vi"):
        told = str(OVERDUE_SUBJECT).format(title=overdue.title, date=deadline)
        escalated = str(ESCALATED_SUBJECT).format(
            title=overdue.title,
            unit=board.office.home_affairs.full_name,
            days=(timezone.localdate() - overdue.deadline).days,  # type: ignore[operator]
        )
    department.goto("/notices/")
    expect(department.locator(".notices")).to_contain_text(told)
    leader.goto("/notices/")
    expect(leader.locator(".notices")).to_contain_text(escalated)
    # Running the job again tells nobody anything new.
    assert run_reminders(timezone.now()).startswith("tasks: 0 due-soon reminders, 0 overdue notices, 0 escalations")
    settled(leader)
