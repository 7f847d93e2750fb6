"""One filter class per list, used by the page (GET form) and by the API (query parameters) alike.

``RegisterFilter`` narrows an incoming register (sổ văn bản đến); ``SearchFilter`` carries the
search page's query and filters to ``documents.search.search``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vanphong.core.filters import ListFilter
from vanphong.documents.forms import day_field
from vanphong.documents.models import INCOMING_OPEN, Direction, Document, DocumentType, Status, Urgency
from vanphong.lib.vntext import fold

INCOMING_STATUSES = [(s.value, s.label) for s in (*INCOMING_OPEN, Status.COMPLETED, Status.RETURNED)]


class RegisterFilter(ListFilter):
    """The incoming register's filters: year, status, urgency, sender, arrival dates and words."""

    q = forms.CharField(
        label=_("Words or symbol"),
        required=False,
        max_length=200,
        help_text=_("In the abstract (trích yếu) or the number and symbol; accents optional."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=9999)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *INCOMING_STATUSES])
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), required=False, coerce=int, empty_value=None, choices=[("", _("Any")), *Urgency.choices]
    )
    sender = forms.CharField(label=_("Sender"), required=False, max_length=200)
    arrived_from = day_field(_("Arrived from"))
    arrived_to = day_field(_("Arrived until"))

    def __init__(self, *args: Any, years: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All years")), *((y, str(y)) for y in years)]
        self.fields["year"].widget = forms.Select(choices=choices)

    def filter(self, queryset: QuerySet[Document]) -> QuerySet[Document]:
        data = self.cleaned_data
        if data.get("year"):
            queryset = queryset.filter(arrival_year=data["year"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("urgency") is not None:
            queryset = queryset.filter(urgency=data["urgency"])
        for word in (data.get("sender") or "").split():
            queryset = queryset.filter(
                Q(sender__search_text__contains=fold(word)) | Q(sender_name__icontains=word) | Q(sender_code=word)
            )
        if data.get("arrived_from"):
            queryset = queryset.filter(arrived_at__date__gte=data["arrived_from"])
        if data.get("arrived_to"):
            queryset = queryset.filter(arrived_at__date__lte=data["arrived_to"])
        for word in (data.get("q") or "").split():
            queryset = queryset.filter(words_q(word))
        return queryset


def words_q(word: str) -> Q:
    """One typed word in the abstract or the number and symbol, with or without its accents.

    The folded abstract and symbol live in ``DocumentText`` (kept by ``documents.search``); the raw
    number and symbol is matched too, so that a register is searchable even before it is indexed.
    """
    return Q(text__folded__contains=fold(word)) | Q(number_symbol__icontains=word)


class SearchFilter(ListFilter):
    """The search page: words and the filters ``documents.search.search`` understands."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True, "autocomplete": "off"}),
        help_text=_("Words with or without accents, or a symbol such as 57-NQ/TW."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=[("", _("Incoming and outgoing")), *Direction.choices]
    )
    document_type = forms.ModelChoiceField(
        label=_("Type"), required=False, queryset=DocumentType.objects.all(), empty_label=_("Any type")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices])
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), required=False, coerce=int, empty_value=None, choices=[("", _("Any")), *Urgency.choices]
    )
    date_from = day_field(_("Dated from"))
    date_to = day_field(_("Dated until"))

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Search is not a queryset filter: the page calls ``search_filters()`` instead."""
        raise NotImplementedError

    def search_filters(self) -> dict[str, Any]:
        """The chosen filters, as ``documents.search.search(filters=...)`` takes them (empty ones left out)."""
        data = self.cleaned_data
        chosen: dict[str, Any] = {}
        for name in ("direction", "status", "urgency", "date_from", "date_to"):
            if data.get(name) not in (None, ""):
                chosen[name] = data[name]
        if data.get("document_type") is not None:
            chosen["document_type"] = data["document_type"].pk
        return chosen
