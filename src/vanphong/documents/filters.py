"""One filter class per list, used by the page (GET form) and by the API (query parameters) alike.

``RegisterFilter`` narrows an incoming register (sổ văn bản đến); ``SearchFilter`` carries the
search page's query and filters to ``documents.search.search``; ``RegisterPeriodFilter`` picks the
period (and the format) of a printed or exported register.

The register's words go through the full-text index of ``documents.search`` (FTS5 on SQLite, the
GIN-indexed tsvector on PostgreSQL), never a LIKE over the text: at a million documents a LIKE reads
every row of the text table, the index reads the few postings of the words typed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.filters import ListFilter
from vanphong.documents.forms import day_field
from vanphong.documents.models import INCOMING_OPEN, Direction, Document, DocumentType, Status, Urgency
from vanphong.documents.search import FTS_TABLE, PG_COLUMN, Term, parse_query
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
        if (data.get("q") or "").strip():
            queryset = queryset.filter(words_q(data["q"], vendor=connections[queryset.db].vendor))
        return queryset


# A word this long or longer also matches the words it begins ("quyet" → "quyết", "quyết định"), as
# a register is filtered while the clerk types; shorter ones ("to", "uy") match whole words only, so
# a letter or two never expands into half the vocabulary of the index.
PREFIX_FROM = 3


def words_q(text: str, *, vendor: str) -> Q:
    """Documents whose indexed text holds every word typed, with or without its accents.

    The words, ``"quoted phrases"`` and symbols are read by ``search.parse_query`` ("nghi quyet"
    finds "Nghị quyết", "1234/ubnd-vx" finds "1234/UBND-VX" whole), and matched in the full-text
    index (folded text and squashed symbols), which the services keep in step with every document
    in the same transaction. Input that holds nothing searchable matches nothing.
    """
    terms = parse_query(text).terms
    if not terms:
        return Q(pk__in=[])
    if vendor == "postgresql":
        # Constants only in the SQL; the typed words travel as a parameter (hence S608 and S611).
        sql = f"SELECT document_id FROM documents_documenttext WHERE {PG_COLUMN} @@ to_tsquery('simple', %s)"  # noqa: S608
        return Q(pk__in=RawSQL(sql, [_tsquery(terms)]))  # noqa: S611
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [_fts_match(terms)]))  # noqa: S611


def _prefix(word: str) -> bool:
    return len(word) >= PREFIX_FROM


def _fts_quoted(words: tuple[str, ...] | list[str]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def _fts_match(terms: tuple[Term, ...]) -> str:
    """An FTS5 MATCH expression: every token quoted, so no typed character is FTS5 syntax."""
    clauses = []
    for term in terms:
        if term.kind == "symbol":
            key = _fts_quoted([term.folded_key]) + (" *" if _prefix(term.folded_key) else "")
            clauses.append(f"(symbols : {key} OR folded : {_fts_quoted(term.folded)})")
        elif term.kind == "word":
            word = term.folded[0]
            clauses.append(f"folded : {_fts_quoted([word])}" + (" *" if _prefix(word) else ""))
        else:
            clauses.append(f"folded : {_fts_quoted(term.folded)}")
    return " AND ".join(clauses)


def _ts_lexeme(word: str, *, prefix: bool = False) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def _tsquery(terms: tuple[Term, ...]) -> str:
    """A to_tsquery('simple', …) input in which every lexeme is a quoted operand."""
    clauses = []
    for term in terms:
        phrase = " <-> ".join(_ts_lexeme(w) for w in term.folded)
        if term.kind == "symbol":
            key = _ts_lexeme(term.folded_key, prefix=_prefix(term.folded_key))
            clauses.append(f"({key} | ({phrase}))")
        elif term.kind == "word":
            clauses.append(_ts_lexeme(term.folded[0], prefix=_prefix(term.folded[0])))
        else:
            clauses.append(f"({phrase})")
    return " & ".join(clauses)


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


EXPORT_FORMATS = [
    ("print", _("Print page")),
    ("xlsx", _("Spreadsheet (XLSX)")),
    ("pdf", _("PDF, A4 landscape")),
]


class RegisterPeriodFilter(ListFilter):
    """The period (từ ngày – đến ngày) and format of a printed or exported register.

    Dates are typed dd/mm/yyyy (the API's ISO dates are accepted too); the parameters are ``from``
    and ``to``, both inclusive. Either may be left out: the period is then the calendar year of the
    other one, or the current year when both are missing.
    """

    format = forms.ChoiceField(label=_("Format"), required=False, choices=EXPORT_FORMATS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, hence the fields added here rather than declared.
        self.fields["from"] = day_field(_("From"))
        self.fields["to"] = day_field(_("Until"))
        self.order_fields(["from", "to", "format"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period comes after its end."), code="period")
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the chosen period (call after ``is_valid()``)."""
        start: datetime.date | None = self.cleaned_data.get("from")
        end: datetime.date | None = self.cleaned_data.get("to")
        if start is None and end is None:
            year = timezone.localdate().year
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if start is None:
            assert end is not None  # noqa: S101 (narrowing for the type checker)
            return datetime.date(end.year, 1, 1), end
        return start, end if end is not None else datetime.date(start.year, 12, 31)

    def chosen_format(self) -> str:
        return str(self.cleaned_data.get("format") or "print")

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The period is not a queryset filter: ``documents.exports`` reads ``period()`` instead."""
        raise NotImplementedError
