"""One filter class per list, used by the page (GET form) and by the API (query parameters) alike."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Clearance, Organization, OrgKind, OrgLevel, Person, Role
from vanphong.lib.vntext import fold

STATUS_CHOICES = [
    ("active", pgettext_lazy("organisations", "Active")),
    ("dissolved", pgettext_lazy("organisations", "Dissolved")),
    ("all", pgettext_lazy("organisations", "All")),
]


def search_words(queryset: QuerySet[Any], text: str, field: str = "search_text") -> QuerySet[Any]:
    """Every word of the query must appear in the folded search text (accents and đ ignored)."""
    for word in fold(text).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


class ListFilter(forms.Form):
    """Base: a bound form over request.GET; invalid values are reported, never silently dropped."""

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        raise NotImplementedError

    @property
    def is_active(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields if name != "page")


class OrganizationFilter(ListFilter):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrgKind.choices])
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *OrgLevel.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    parent = forms.IntegerField(label=_("Under"), required=False, min_value=1, widget=forms.HiddenInput)
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data
        if data.get("q"):
            queryset = search_words(queryset, data["q"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        status = data.get("status") or "active"
        as_of: datetime.date | None = data.get("as_of")
        if as_of is not None:
            queryset = Organization.objects.active_on(as_of).filter(pk__in=queryset.values("pk"))
        elif status == "active":
            queryset = queryset.filter(dissolved_on__isnull=True)
        elif status == "dissolved":
            queryset = queryset.filter(dissolved_on__isnull=False)
        if data.get("parent"):
            parent = Organization.objects.filter(pk=data["parent"]).first()
            queryset = queryset.filter(path__startswith=parent.path) if parent else queryset.none()
        return queryset


class PersonFilter(ListFilter):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organization = forms.IntegerField(label=_("Organisation"), required=False, min_value=1, widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices])
    clearance = forms.TypedChoiceField(
        label=_("Clearance at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any clearance")), *Clearance.choices],
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", pgettext_lazy("persons", "Active")),
            ("no", pgettext_lazy("persons", "Inactive")),
            ("all", pgettext_lazy("persons", "All")),
        ],
    )

    def __init__(self, *args: Any, can_filter_clearance: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_filter_clearance:
            del self.fields["clearance"]  # clearance is confidential: only administrators filter by it

    def filter(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        data = self.cleaned_data
        if data.get("q"):
            queryset = search_words(queryset, data["q"])
        if data.get("organization"):
            org = Organization.objects.filter(pk=data["organization"]).first()
            queryset = queryset.filter(organization__path__startswith=org.path) if org else queryset.none()
        if data.get("role"):
            queryset = queryset.filter(role_grants__role=data["role"], role_grants__revoked_at__isnull=True).distinct()
        if data.get("clearance") is not None:
            queryset = queryset.filter(clearance__gte=data["clearance"])
        active = data.get("active") or ""
        if active == "":
            queryset = queryset.filter(is_active=True)
        elif active == "no":
            queryset = queryset.filter(is_active=False)
        return queryset
