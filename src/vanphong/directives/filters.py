"""One filter class for the task lists, used by the page (GET form) and by the API (query parameters).

Status classes are filtered in the database (``access.status_class_q``); words match the title and
content case-insensitively (task lists are narrowed by visibility first, so they stay small per person).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.filters import ListFilter
from vanphong.directives.access import status_class_q
from vanphong.directives.models import SourceKind, Task, TaskState
from vanphong.directives.panels import CLASS_TITLES
from vanphong.documents.forms import day_field
from vanphong.lib import vntext


class TaskFilter(ListFilter):
    """Status class, state, unit, assigning leader, source kind, deadline period, words."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *CLASS_TITLES.items()]
    )
    state = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *TaskState.choices])
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1)
    leader = forms.IntegerField(label=_("Assigned by"), required=False, min_value=1)
    source_kind = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any source")), *SourceKind.choices]
    )
    plan = forms.IntegerField(label=_("Plan"), required=False, min_value=1, widget=forms.HiddenInput)
    due_from = day_field(_("Due from"))
    due_to = day_field(_("Due until"))

    def filter(self, queryset: QuerySet[Task], today: datetime.date | None = None) -> QuerySet[Task]:
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status_class_q(data["status"], today or timezone.localdate()))
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("unit"):
            unit = data["unit"]
            queryset = queryset.filter(Q(lead_unit_id=unit) | Q(pk__in=_coordinated(unit)))
        if data.get("leader"):
            queryset = queryset.filter(assigned_by_id=data["leader"])
        if data.get("source_kind"):
            queryset = queryset.filter(source_kind=data["source_kind"])
        if data.get("plan"):
            queryset = queryset.filter(plan_id=data["plan"])
        if data.get("due_from"):
            queryset = queryset.filter(deadline__gte=data["due_from"])
        if data.get("due_to"):
            queryset = queryset.filter(deadline__lte=data["due_to"])
        for word in vntext.nfc(data.get("q") or "").split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(content__icontains=word))
        return queryset


def _coordinated(unit: int) -> Any:
    from vanphong.directives.models import TaskUnit

    return TaskUnit.objects.filter(unit_id=unit).values("task_id")
