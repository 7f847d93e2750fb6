"""What people read for the audit actions the task module records (``directives.*``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "directives.task.assign": _("Task assigned"),
    "directives.task.break_down": _("Part of a task passed on"),
    "directives.task.occurrence": _("Next occurrence of a recurring task created"),
    "directives.task.report": _("Progress reported on a task"),
    "directives.report.file": _("Evidence file added to a progress report"),
    "directives.task.propose": _("Task completion proposed"),
    "directives.task.accept": _("Task completion accepted"),
    "directives.task.return": _("Task returned for more work"),
    "directives.task.cancel": _("Task cancelled"),
    "directives.extension.request": _("Deadline extension requested"),
    "directives.extension.decide": _("Deadline extension decided"),
    "directives.plan.create": _("Resolution monitoring plan created"),
}


def register() -> None:
    """Add the task module's labels to the ones core shows on history pages."""
    from vanphong.core.models.audit import ACTION_LABELS as CORE_LABELS

    CORE_LABELS.update(ACTION_LABELS)
