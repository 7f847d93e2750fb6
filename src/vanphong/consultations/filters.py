"""The consultations list's filters, used by the page (GET form) and the API (query parameters)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vanphong.consultations.models import State
from vanphong.core.filters import ListFilter


class ConsultationFilter(ListFilter):
    q = forms.CharField(label=_("Words in the title"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *State.choices])

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data if self.is_valid() else {}
        for word in (data.get("q") or "").split():
            queryset = queryset.filter(title__icontains=word)
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset
