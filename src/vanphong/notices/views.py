"""The person's notices: the list, opening one (marks it read), marking all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from vanphong.core.views.common import paginate, query_without_page
from vanphong.notices import access, services


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = access.notices_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return render(
        request,
        "notices/list.html",
        {"page": paginate(request, notices), "query": query_without_page(request), "unread_only": unread_only},
    )


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(access.notices_of(request.user), pk=pk)
    services.mark_read(request.user, [notice.pk])  # type: ignore[arg-type]
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(notice.url)
    return redirect("notices:list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.user)  # type: ignore[arg-type]
    return redirect("notices:list")
