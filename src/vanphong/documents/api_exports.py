"""Register exports prepared in the background, in the API: ask for one, follow it, download its file.

``POST /api/documents/exports`` always queues (the caller chose to wait for a notice or to poll),
whatever the period's length; ``GET /api/documents/registers/{id}/export`` writes the file at once
and refuses a period over ``VANPHONG_EXPORT_INLINE_ROWS`` documents with the code ``too_many_rows``,
pointing here. Only the requester sees an export or downloads its file (404 for anyone else); each
download is in the audit log like an export written in the request.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from vanphong.core.api import ERRORS
from vanphong.core.views.common import actor_of
from vanphong.documents import access, exports
from vanphong.documents.models import RegisterExport
from vanphong.documents.services import exports as export_services

router = Router(tags=["register exports"])


def checked_period(
    file_format: str, start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """The period of an export asked for through the API, checked by the page's own filter class;
    a ValidationError (400, by field) for a reversed period or a format other than xlsx and pdf."""
    from vanphong.documents.filters import RegisterPeriodFilter

    period = RegisterPeriodFilter({"format": file_format, "from": start or "", "to": end or ""})
    if file_format not in exports.MEDIA_TYPES or not period.is_valid():
        errors = {name: list(messages) for name, messages in period.errors.items()} if period.is_bound else {}
        if file_format not in exports.MEDIA_TYPES:
            errors.setdefault("format", []).append(_("Choose xlsx or pdf."))
        raise ValidationError(errors)
    return period.period()


class ExportIn(Schema):
    register_id: int
    format: str = Field("xlsx", description="xlsx or pdf")
    from_: datetime.date | None = Field(None, alias="from", description="first day (inclusive)")
    to: datetime.date | None = Field(None, description="last day (inclusive); default: the year of the other")


class ExportOut(Schema):
    id: int
    register_id: int
    register_name: str
    from_: datetime.date = Field(alias="from")
    to: datetime.date
    format: str
    state: str = Field(description="queued, running, done, failed or expired (the file was removed)")
    documents: int | None = Field(description="documents in the file (when queued: in the period then)")
    size: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    error: str = Field(description="why it failed, in the caller's language")
    file_url: str | None = Field(description="where to download the file, once done")


def _out(export: RegisterExport) -> dict[str, Any]:
    done = export.state == "done"
    return {
        "id": export.pk,
        "register_id": export.register_id,
        "register_name": export.register.name,
        "from": export.start,
        "to": export.end,
        "format": export.file_format,
        "state": export.state,
        "documents": export.rows,
        "size": export.size,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "error": export_services.error_message(export),
        "file_url": f"/api/documents/exports/{export.pk}/file" if done else None,
    }


@router.post("", response={202: ExportOut, **ERRORS}, by_alias=True)
def start_export(request: HttpRequest, payload: ExportIn) -> Any:
    """Queue the register for the period as XLSX or PDF, prepared by the background worker; the
    caller is told (a notice) when it is ready. Asking again while it is pending returns the same one."""
    register = access.access_register(request.user, payload.register_id)
    start, end = checked_period(payload.format, payload.from_, payload.to)
    rows = exports.register_documents(request.user, register, start, end).count()
    export, _new = export_services.queue(actor_of(request), register, start, end, payload.format, rows=rows)
    return Status(202, _out(export))


@router.get("", response={200: list[ExportOut], **ERRORS}, by_alias=True)
def list_exports(request: HttpRequest) -> Any:
    """The caller's own exports, newest first (the latest 100)."""
    return [_out(export) for export in access.register_exports_of(request.user)[:100]]


@router.get("/{int:pk}", response={200: ExportOut, **ERRORS}, by_alias=True)
def get_export(request: HttpRequest, pk: int) -> Any:
    return _out(access.access_register_export(request.user, pk))


@router.get("/{int:pk}/file", response={200: None, **ERRORS})
def export_file(request: HttpRequest, pk: int) -> Any:
    """The prepared file (404 until it is done, and after it was removed)."""
    export = access.access_register_export(request.user, pk)
    return export_services.download(actor_of(request), export)
