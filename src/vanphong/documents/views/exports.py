"""My exports: the register exports prepared in the background for the signed-in person, and their files.

Only the person who asked sees an export or downloads its file; anyone else gets 404. Each download
is recorded in the audit log like an export written in the request (``services.exports.download``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core.views.common import actor_of, paginate
from vanphong.documents import access
from vanphong.documents.services import exports as export_services


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, access.register_exports_of(request.user))
    for export in page.object_list:
        export.error_text = export_services.error_message(export)
    # While one is still being prepared the table reloads itself (htmx), so "Download" appears when ready.
    pending = any(export.pending for export in page.object_list)
    context = {"page": page, "keep_days": settings.REGISTER_EXPORT_KEEP_DAYS, "pending": pending}
    return render(request, "documents/exports.html", context)


@login_required
@require_GET
def export_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = access.access_register_export(request.user, pk)
    return export_services.download(actor_of(request), export)
