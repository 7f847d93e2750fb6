"""The archive files (hồ sơ) in the API: the yearly file lists, one file with its documents in order,
opening, filling, closing, reopening and handing over, the settlement date of a capital construction
file, keeping a file back past its hand-over day, and the hand-over reminders.

The same access helpers, services and permission checks as the pages (``views.archive``): what the
caller may not see is 404, what they may see but not change is 403. A file lists only the documents
the caller may see (``access.file_items_visible_to``), so a secret document in a shared file stays
invisible to whoever could not open it on its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from vanphong.core.api import ERRORS
from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of
from vanphong.documents import access, policy
from vanphong.documents.models import AccessRegime, ArchiveFile, FileItem, FileList, FileState
from vanphong.documents.services import archive
from vanphong.rules import archive_files as rules

router = Router(tags=["archive files"])
PAGE_SIZE = 50


# --- schemas ------------------------------------------------------------------------------------------------


class FileListIn(Schema):
    organization_id: int
    year: int


class FileListOut(Schema):
    id: int
    organization_id: int
    organization: str
    year: int
    state: str
    approved_by: str | None
    approved_at: datetime.datetime | None
    files: int = Field(description="how many files the list holds")


class ArchiveFileOut(Schema):
    id: int
    file_list_id: int
    year: int
    number: int
    code: str
    title: str
    retention_years: int | None = Field(description="empty: kept permanently (vĩnh viễn)")
    unit_id: int
    unit: str
    handler_id: int | None
    handler: str | None
    state: str
    rights: str
    language: str
    description: str
    keywords: str
    information_code: str
    capital_construction: bool = Field(description="hồ sơ xây dựng cơ bản: due three months after settlement")
    settled_on: datetime.date | None = Field(description="the works' final settlement (quyết toán) approved on")
    start_date: datetime.date | None
    end_date: datetime.date | None
    doc_total: int | None
    page_total: int | None
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    handover_due: datetime.date | None
    handed_over_on: datetime.date | None
    handover_record: str
    due_by_decree: datetime.date | None = Field(description="the hand-over day Decree 30 Art. 30 fixes at closing")
    held_until: datetime.date | None = Field(description="kept by the unit (giữ lại) until; then due that day")
    hold_reason: str
    hold_approved_by: str | None
    hold_approved_on: datetime.date | None
    reopened_on: datetime.date | None
    reopen_reason: str
    documents_seen: int = Field(description="documents in the file that the caller may see")


class FileListDetailOut(FileListOut):
    results: list[ArchiveFileOut]


class FileListPageOut(Schema):
    count: int
    results: list[FileListOut]


class ItemDocumentOut(Schema):
    id: int
    direction: str
    status: str
    number_symbol: str
    document_date: datetime.date | None
    abstract: str
    sender_name: str
    secrecy: int
    pages: int | None


class ItemOut(Schema):
    id: int
    ordinal: int
    note: str
    added_at: datetime.datetime
    document: ItemDocumentOut


class ArchiveFileDetailOut(ArchiveFileOut):
    items: list[ItemOut]


class DueOut(ArchiveFileOut):
    due_state: str = Field(description="due_soon or overdue (Decree 30 Appendix VI)")


class DuePageOut(Schema):
    count: int
    results: list[DueOut]


class ArchiveFileIn(Schema):
    title: str
    unit_id: int
    retention_years: int | None = Field(None, description="empty: kept permanently (vĩnh viễn)")
    handler_id: int | None = None
    rights: str = AccessRegime.OPEN
    language: str = "Tiếng Việt"
    description: str = ""
    keywords: str = ""
    information_code: str = ""
    capital_construction: bool = False


class FileDocumentIn(Schema):
    document_id: int
    note: str = ""


class HandOverIn(Schema):
    on: datetime.date
    record: str


class ReopenIn(Schema):
    reason: str


class SettlementIn(Schema):
    settled_on: datetime.date


class HoldBackIn(Schema):
    until: datetime.date
    reason: str


class ListsParams(Schema):
    organization_id: int | None = None
    year: int | None = None
    page: int = 1


# --- helpers ------------------------------------------------------------------------------------------------


@contextmanager
def _fields_renamed(names: dict[str, str]) -> Iterator[None]:
    """The services name fields as the forms do (``unit``); the API's payload says ``unit_id``."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): messages for field, messages in error.error_dict.items()}
        ) from error


def _page(queryset: QuerySet[Any], page: int) -> tuple[int, list[Any]]:
    if page < 1:
        raise ValidationError({"page": [_("There is no page {page}.").format(page=page)]})
    start = (page - 1) * PAGE_SIZE
    return queryset.count(), list(queryset[start : start + PAGE_SIZE])


def _seen(user: Any, files: QuerySet[ArchiveFile]) -> QuerySet[ArchiveFile]:
    """Each file with the number of its documents the caller may see (as beside a file on the pages)."""
    visible = access.documents_visible_to(user).values("pk")
    return files.annotate(seen=Count("items", filter=Q(items__document__in=visible)))


def _list_out(file_list: FileList, files: int) -> dict[str, Any]:
    return {
        "id": file_list.pk,
        "organization_id": file_list.organization_id,
        "organization": file_list.organization.full_name,
        "year": file_list.year,
        "state": file_list.state,
        "approved_by": file_list.approved_by.full_name if file_list.approved_by else None,
        "approved_at": file_list.approved_at,
        "files": files,
    }


def _file_out(archive_file: ArchiveFile, seen: int) -> dict[str, Any]:
    plain = (
        "id", "file_list_id", "number", "code", "title", "retention_years", "unit_id", "handler_id", "state",
        "rights", "language", "description", "keywords", "information_code", "start_date", "end_date",
        "doc_total", "page_total", "opened_on", "closed_on", "handover_due", "handed_over_on", "handover_record",
        "capital_construction", "settled_on", "due_by_decree", "held_until", "hold_reason", "hold_approved_on",
        "reopened_on", "reopen_reason",
    )  # fmt: skip
    return {
        **{name: getattr(archive_file, name) for name in plain},
        "year": archive_file.file_list.year,
        "unit": archive_file.unit.full_name,
        "handler": archive_file.handler.full_name if archive_file.handler else None,
        "hold_approved_by": archive_file.hold_approved_by.full_name if archive_file.hold_approved_by else None,
        "documents_seen": seen,
    }


def _list_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    file_list = access.access_file_list(request.user, pk)
    related = file_list.files.select_related("file_list", "unit", "handler", "hold_approved_by")
    files = list(_seen(request.user, related.order_by("number")))
    return {**_list_out(file_list, len(files)), "results": [_file_out(f, f.seen) for f in files]}  # type: ignore[attr-defined]


def _file_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    archive_file = access.access_archive_file(request.user, pk)
    items = list(access.file_items_visible_to(request.user, archive_file))
    out = _file_out(archive_file, len(items))
    out["items"] = [
        {"id": item.pk, "ordinal": item.ordinal, "note": item.note, "added_at": item.added_at,
         "document": {name: getattr(item.document, name) for name in ItemDocumentOut.model_fields}}
        for item in items
    ]  # fmt: skip
    return out


def _fillable(request: HttpRequest, pk: int) -> ArchiveFile:
    archive_file = access.access_archive_file(request.user, pk)
    if not policy.can_fill_file(request.user, archive_file):
        raise PermissionDenied
    return archive_file


# --- the lists ----------------------------------------------------------------------------------------------


@router.get("/lists", response={200: FileListPageOut, **ERRORS})
def list_file_lists(request: HttpRequest, params: Query[ListsParams]) -> Any:
    """The file lists of the bodies the caller keeps or leads, newest year first; by body and year."""
    lists = access.file_lists_visible_to(request.user).select_related("approved_by").annotate(n_files=Count("files"))
    if params.organization_id is not None:
        lists = lists.filter(organization_id=params.organization_id)
    if params.year is not None:
        lists = lists.filter(year=params.year)
    count, found = _page(lists.order_by("organization__path", "-year", "pk"), params.page)
    return {"count": count, "results": [_list_out(f, f.n_files) for f in found]}


@router.post("/lists", response={201: FileListDetailOut, **ERRORS})
def create_file_list(request: HttpRequest, payload: FileListIn) -> Any:
    """Draft a body's list for a year; last year's files are copied in, to be opened anew."""
    organization = get_object_or_404(Organization.objects.active(), pk=payload.organization_id)
    with _fields_renamed({"organization": "organization_id"}):
        file_list = archive.create_file_list(actor_of(request), organization, payload.year)
    return Status(201, _list_detail(request, file_list.pk))


@router.get("/lists/{int:pk}", response={200: FileListDetailOut, **ERRORS})
def get_file_list(request: HttpRequest, pk: int) -> Any:
    """One list with its files in order."""
    return _list_detail(request, pk)


@router.post("/lists/{int:pk}/approve", response={200: FileListDetailOut, **ERRORS})
def approve_file_list(request: HttpRequest, pk: int) -> Any:
    file_list = access.access_file_list(request.user, pk)
    if not policy.can_approve_file_list(request.user, file_list.organization):
        raise PermissionDenied
    archive.approve_file_list(actor_of(request), file_list)
    return _list_detail(request, pk)


@router.post("/lists/{int:pk}/files", response={201: ArchiveFileDetailOut, **ERRORS})
def add_archive_file(request: HttpRequest, pk: int, payload: ArchiveFileIn) -> Any:
    """Add a file to the list, numbered after the last one; its unit and handler belong to the list's body."""
    file_list = access.access_file_list(request.user, pk)
    if not policy.can_manage_file_lists(request.user, file_list.organization):
        raise PermissionDenied
    body = file_list.organization
    unit = Organization.objects.active().filter(pk=payload.unit_id, path__startswith=body.path).first()
    handler = None
    errors: dict[str, list[str]] = {}
    if unit is None:
        errors["unit_id"] = [_("The unit must belong to {body}.").format(body=body.full_name)]
    if payload.handler_id is not None:
        handler = Person.objects.filter(
            pk=payload.handler_id, is_active=True, organization__path__startswith=body.path
        ).first()
        if handler is None:
            errors["handler_id"] = [_("No active person of {body} has the id {id}.").format(
                body=body.full_name, id=payload.handler_id
            )]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    assert unit is not None  # noqa: S101 (checked above)
    data = archive.FileData(
        title=payload.title, unit=unit, retention_years=payload.retention_years, handler=handler,
        rights=payload.rights, language=payload.language, description=payload.description,
        keywords=payload.keywords, information_code=payload.information_code,
        capital_construction=payload.capital_construction,
    )  # fmt: skip
    with _fields_renamed({"unit": "unit_id", "handler": "handler_id"}):
        created = archive.add_file(actor_of(request), file_list, data)
    return Status(201, _file_detail(request, created.pk))


# --- one file -----------------------------------------------------------------------------------------------


@router.get("/files/{int:pk}", response={200: ArchiveFileDetailOut, **ERRORS})
def get_archive_file(request: HttpRequest, pk: int) -> Any:
    """One file with its documents in order: only those the caller may see."""
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/open", response={200: ArchiveFileDetailOut, **ERRORS})
def open_archive_file(request: HttpRequest, pk: int) -> Any:
    archive.open_file(actor_of(request), _fillable(request, pk))
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/close", response={200: ArchiveFileDetailOut, **ERRORS})
def close_archive_file(request: HttpRequest, pk: int) -> Any:
    """Close the file: its dates, totals and the day it must reach the agency archive are computed."""
    archive.close_file(actor_of(request), _fillable(request, pk))
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/hand-over", response={200: ArchiveFileDetailOut, **ERRORS})
def hand_over_archive_file(request: HttpRequest, pk: int, payload: HandOverIn) -> Any:
    """Record the hand-over to the agency archive, with the number of its record (biên bản giao nhận)."""
    archive_file = access.access_archive_file(request.user, pk)
    if not policy.can_hand_over(request.user, archive_file):
        raise PermissionDenied
    archive.hand_over(actor_of(request), archive_file, on=payload.on, record=payload.record)
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/reopen", response={200: ArchiveFileDetailOut, **ERRORS})
def reopen_archive_file(request: HttpRequest, pk: int, payload: ReopenIn) -> Any:
    """Reopen a closed file not yet handed over, with the reason; its hand-over day is computed again at
    the next closing."""
    archive_file = access.access_archive_file(request.user, pk)
    if not policy.can_reopen_file(request.user, archive_file):
        raise PermissionDenied
    archive.reopen_file(actor_of(request), archive_file, reason=payload.reason)
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/settlement", response={200: ArchiveFileDetailOut, **ERRORS})
def settle_archive_file(request: HttpRequest, pk: int, payload: SettlementIn) -> Any:
    """The day a capital construction file's works were finally settled (quyết toán), entered before closing:
    the file is due at the agency archive three months later (Decree 30 Art. 30)."""
    archive.set_settlement(actor_of(request), _fillable(request, pk), settled_on=payload.settled_on)
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/hold-back", response={200: ArchiveFileDetailOut, **ERRORS})
def hold_back_archive_file(request: HttpRequest, pk: int, payload: HoldBackIn) -> Any:
    """The head of the body lets the unit keep a closed file past its hand-over day (giữ lại), at most two
    years after the day it was due (Decree 30 Art. 30); the file is then due on ``until``."""
    archive_file = access.access_archive_file(request.user, pk)
    if not policy.can_hold_back(request.user, archive_file):
        raise PermissionDenied
    archive.hold_back(actor_of(request), archive_file, until=payload.until, reason=payload.reason)
    return _file_detail(request, pk)


@router.post("/files/{int:pk}/documents", response={201: ArchiveFileDetailOut, **ERRORS})
def put_document(request: HttpRequest, pk: int, payload: FileDocumentIn) -> Any:
    """Put a document the caller may see in an open file, at the next place."""
    archive_file = _fillable(request, pk)
    document = access.access_document(request.user, payload.document_id)
    archive.add_document(actor_of(request), archive_file, document, note=payload.note)
    return Status(201, _file_detail(request, pk))


@router.delete("/files/{int:pk}/documents/{int:document_id}", response={200: ArchiveFileDetailOut, **ERRORS})
def take_document_out(request: HttpRequest, pk: int, document_id: int) -> Any:
    """Take a document out of an open file; the later ones move up one place."""
    archive_file = access.access_archive_file(request.user, pk)
    # Only a document the caller could see in the file: the others do not exist for them.
    item = access.file_items_visible_to(request.user, archive_file).filter(document_id=document_id).first()
    if item is None:
        raise Http404
    if not policy.can_fill_file(request.user, archive_file):
        raise PermissionDenied
    archive.remove_document(actor_of(request), FileItem.objects.select_related("archive_file").get(pk=item.pk))
    return _file_detail(request, pk)


# --- reminders ----------------------------------------------------------------------------------------------


@router.get("/due", response={200: DuePageOut, **ERRORS})
def files_due(request: HttpRequest, page: int = 1) -> Any:
    """Closed files the caller answers for that must reach the agency archive within 30 days, or are late."""
    today = timezone.localdate()
    due = _seen(request.user, access.files_due_for_hand_over(request.user, today=today))
    count, found = _page(due, page)
    results = []
    for archive_file in found:
        out = _file_out(archive_file, archive_file.seen)
        assert archive_file.handover_due is not None and archive_file.state == FileState.CLOSED  # noqa: S101
        out["due_state"] = rules.handover_state(archive_file.handover_due, today).value
        results.append(out)
    return {"count": count, "results": results}
