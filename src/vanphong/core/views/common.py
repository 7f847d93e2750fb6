"""Small helpers every view module uses."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from vanphong.core.audit import Actor

PAGE_SIZE = 50


def actor_of(request: HttpRequest) -> Actor:
    """The acting person for services, set by RequestContextMiddleware."""
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):
        raise RuntimeError("RequestContextMiddleware (or the API's auth) must set request.actor")
    return actor


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def template_for(request: HttpRequest, full: str, fragment: str) -> str:
    """The fragment for an htmx request that targets the results, the whole page otherwise."""
    return fragment if getattr(request, "htmx", False) else full
