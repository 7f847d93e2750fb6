"""The search page: words (with or without accents, or a symbol such as 57-NQ/TW) and filters, over
the documents the person may see (``documents.search``), with counts by type, status and year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core.views.common import PAGE_SIZE, query_without_page, template_for
from vanphong.documents import search as document_search
from vanphong.documents.filters import SearchFilter

SEARCH_PAGE_SIZE = PAGE_SIZE // 2  # hits carry snippets; half a list page reads better


@dataclass(frozen=True)
class FacetLink:
    """One facet value on the page: its label and count, and the search narrowed to it."""

    label: str
    count: int
    href: str
    active: bool


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return max(1, min(int(raw), 10_000)) if raw.isdigit() else 1


def _narrowed(request: HttpRequest, **values: str) -> str:
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    for name, value in values.items():
        params[name] = value
    return "?" + params.urlencode()


def _facet_links(request: HttpRequest, facets: Any) -> dict[str, list[FacetLink]]:
    get = request.GET.get
    types = [
        FacetLink(
            f.label, f.count, _narrowed(request, document_type=str(f.value)), get("document_type") == str(f.value)
        )
        for f in facets.types
        if f.value is not None
    ]
    statuses = [
        FacetLink(f.label, f.count, _narrowed(request, status=str(f.value)), get("status") == str(f.value))
        for f in facets.statuses
    ]
    years = [
        FacetLink(
            f.label,
            f.count,
            _narrowed(request, date_from=f"{f.value}-01-01", date_to=f"{f.value}-12-31"),
            get("date_from") == f"{f.value}-01-01" and get("date_to") == f"{f.value}-12-31",
        )
        for f in facets.years
        if f.value is not None
    ]
    return {"types": types, "statuses": statuses, "years": years}


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    filters = SearchFilter(request.GET or None)
    result = None
    number = _page_number(request)
    first = (number - 1) * SEARCH_PAGE_SIZE
    if filters.is_bound and filters.is_valid() and (filters.cleaned_data.get("q") or "").strip():
        try:
            result = document_search.search(
                request.user,
                filters.cleaned_data["q"],
                filters=filters.search_filters(),
                limit=SEARCH_PAGE_SIZE,
                offset=first,
            )
        except document_search.SearchError as error:
            filters.add_error(None, error.detail)
    shown = len(result.hits) if result else 0
    context = {
        "filters": filters,
        "result": result,
        "facets": _facet_links(request, result.facets) if result else None,
        "number": number,
        "first": first + 1,
        "last": first + shown,
        "has_previous": number > 1,
        "has_next": bool(result and first + shown < result.total),
        "query": query_without_page(request),
    }
    return render(request, template_for(request, "documents/search.html", "documents/_search_results.html"), context)
