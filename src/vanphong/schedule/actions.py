"""What people read for the audit actions the weekly schedule records (``schedule.*``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "schedule.week.create": _("Weekly schedule opened"),
    "schedule.event.add": _("Schedule event added"),
    "schedule.event.change": _("Schedule event changed"),
    "schedule.event.remove": _("Schedule event removed"),
    "schedule.week.submit": _("Weekly schedule submitted for approval"),
    "schedule.week.take_back": _("Weekly schedule taken back to draft"),
    "schedule.revision.publish": _("Weekly schedule published (revision)"),
    "schedule.feed.issue": _("Calendar feed address issued"),
    "schedule.feed.revoke": _("Calendar feed address revoked"),
}


def register() -> None:
    """Add the schedule's labels to the ones core shows on history pages."""
    from vanphong.core.models.audit import ACTION_LABELS as CORE_LABELS

    CORE_LABELS.update(ACTION_LABELS)
