"""The home-page panel of the task module: my tasks by status class, and what waits for my decision."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.directives import access
from vanphong.registry import Panel, registry
from vanphong.rules.task_status import StatusClass

CLASS_TITLES: dict[str, Any] = {
    StatusClass.NOT_YET_DUE: _("Not yet due"),
    StatusClass.DUE_SOON: _("Due soon"),
    StatusClass.OVERDUE: _("Overdue"),
    StatusClass.EXTENDED: _("Extended"),
    StatusClass.COMPLETED_ON_TIME: _("Completed on time"),
    StatusClass.COMPLETED_LATE: _("Completed late"),
}


def _tasks(request: HttpRequest) -> dict[str, Any] | None:
    """Counts by status class of the tasks the person sees, plus the decisions waiting; hidden when none."""
    today = timezone.localdate()
    waiting, counts = access.home_counts(request.user, today)
    if not any(counts.values()):
        return None
    classes = [(cls.value, CLASS_TITLES[cls], counts[cls.value]) for cls in StatusClass]
    return {"classes": classes, "proposals": waiting["proposals"], "extensions": waiting["extensions"]}


registry.panel(
    Panel("directives_tasks", _("Tasks (theo dõi nhiệm vụ)"), "directives/panels/tasks.html", _tasks, order=20)
)
