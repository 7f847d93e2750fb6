"""One filter class per list: the registry of those summoned (search at the door)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vanphong.elections.models import Summoned
from vanphong.lib.vntext import fold


class SummonedFilter(forms.Form):
    q = forms.CharField(label=_("Search by name or unit"), required=False, max_length=120)
    present = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everyone")), ("yes", _("Checked in")), ("no", _("Not checked in"))],
    )

    def filter(self, queryset: QuerySet[Summoned]) -> QuerySet[Summoned]:
        data = self.cleaned_data
        for word in fold(data.get("q") or "").split():
            queryset = queryset.filter(search_text__contains=word)
        if data.get("present") == "yes":
            queryset = queryset.filter(checked_in_at__isnull=False)
        elif data.get("present") == "no":
            queryset = queryset.filter(checked_in_at__isnull=True)
        return queryset
