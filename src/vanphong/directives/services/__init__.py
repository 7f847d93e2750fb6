"""Every write to tasks goes through these functions: one transaction, one audit entry each.

``tasks``: assign (one or many, idempotent by source), from a leader's direction, plans, break down,
cancel, the next occurrence of a recurring task.
``progress``: report progress (files, documents, target values), propose completion, accept, return.
``extensions``: ask for more time, approve or refuse.
``reminders``: the periodic job (before the deadline, overdue, escalation to the assigner).
"""

from vanphong.directives.services.extensions import decide_extension, request_extension
from vanphong.directives.services.progress import (
    ReportData,
    accept_completion,
    propose_completion,
    report_progress,
    return_task,
)
from vanphong.directives.services.reminders import run_reminders
from vanphong.directives.services.tasks import (
    PlanData,
    TargetData,
    TaskData,
    assign_task,
    assign_tasks,
    break_down,
    cancel_task,
    create_next_occurrence,
    create_plan,
    task_from_direction,
)

__all__ = [
    "PlanData",
    "ReportData",
    "TargetData",
    "TaskData",
    "accept_completion",
    "assign_task",
    "assign_tasks",
    "break_down",
    "cancel_task",
    "create_next_occurrence",
    "create_plan",
    "decide_extension",
    "propose_completion",
    "report_progress",
    "request_extension",
    "return_task",
    "run_reminders",
    "task_from_direction",
]
