"""The baskets: what waits for the signed-in person, basket by basket (access.BASKETS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core.views.common import paginate, query_without_page, template_for
from vanphong.documents import access
from vanphong.documents.models import Document
from vanphong.documents.panels import BASKET_TITLES
from vanphong.documents.views import deadline_marks, listing

FIRST_ITEMS = 5
# Nearest deadline first; documents without one after them, newest first.
BASKET_ORDER = (F("handling_deadline").asc(nulls_last=True), "-id")


@dataclass(frozen=True)
class Basket:
    name: str
    title: Any
    count: int
    items: list[Document]


def _basket(request: HttpRequest, name: str) -> Any:
    if name not in access.BASKETS:
        raise Http404
    return access.basket(request.user, name)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    baskets = []
    for name in access.BASKETS:
        queryset = _basket(request, name)
        count = queryset.count()
        items = list(listing(queryset).order_by(*BASKET_ORDER)[:FIRST_ITEMS]) if count else []
        baskets.append(Basket(name, BASKET_TITLES[name], count, items))
    context = {
        "full": [b for b in baskets if b.count],
        "empty": [b for b in baskets if not b.count],
        "registers": list(access.registers_for_registration(request.user)),
        **deadline_marks(),
    }
    return render(request, "documents/overview.html", context)


@login_required
@require_GET
def basket_list(request: HttpRequest, name: str) -> HttpResponse:
    queryset = listing(_basket(request, name)).order_by(*BASKET_ORDER)
    context = {
        "name": name,
        "title": BASKET_TITLES[name],
        "page": paginate(request, queryset),
        "query": query_without_page(request),
        **deadline_marks(),
    }
    return render(request, template_for(request, "documents/basket.html", "documents/_document_rows.html"), context)
