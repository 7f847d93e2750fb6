"""The Government's yearly changes to the working calendar, entered by an administrator.

Public holidays themselves (Tết, 30/4, 2/9…) come from the ``holidays`` library; what it cannot know
is each year's decision on compensatory arrangements: bridge days off and the Saturdays worked in
exchange. Working-day deadlines everywhere (documents, tasks) read both through ``core.workcalendar``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    DAY_OFF = "off", _("Extra day off")
    WORKING_DAY = "work", _("Working day (a weekend day worked)")


class CalendarAdjustment(models.Model):
    """One day whose status differs from the usual week and the public holidays."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=DayKind.choices)
    reason = models.CharField(_("reason"), max_length=200, help_text=_("E.g. the Prime Minister's decision."))

    class Meta:
        verbose_name = _("calendar adjustment")
        verbose_name_plural = _("calendar adjustments")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"
