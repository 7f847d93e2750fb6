"""Archive files (hồ sơ): the yearly file lists, one file with its documents in order, putting a
document in a file from its page, closing and handing over, the hand-over reminders, and the file's
item list (Mục lục văn bản) as XLSX.

A file shows only the documents the person may see (``access.file_items_visible_to``): a secret
document in a shared file stays invisible to whoever could not open it on its own.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

from vanphong.core.forms import apply_service_errors
from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of
from vanphong.documents import access, policy
from vanphong.documents.forms import PersonChoiceField, day_field
from vanphong.documents.models import AccessRegime, ArchiveFile, FileItem, FileList, FileListState, FileState
from vanphong.documents.services import archive
from vanphong.rules import archive_files as rules

# --- forms (rules live in services.archive) -------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        indent = "\u2003" * obj.depth
        return f"{indent}{obj.full_name} ({obj.abbreviation})"


class FileListForm(forms.Form):
    organization = UnitChoiceField(label=gettext_lazy("Body"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1945, max_value=9999)

    def __init__(self, *args: Any, bodies: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error, not input)
        field.queryset = bodies


class ArchiveFileForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title (tiêu đề hồ sơ)"), max_length=500)
    unit = UnitChoiceField(label=gettext_lazy("Unit keeping it"), queryset=Organization.objects.none())
    handler = PersonChoiceField(label=gettext_lazy("Handler"), queryset=Person.objects.none(), required=False)
    retention_years = forms.IntegerField(
        label=gettext_lazy("Retention in years"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("Empty: kept permanently (vĩnh viễn)."),
    )
    rights = forms.ChoiceField(label=gettext_lazy("Access regime"), choices=AccessRegime.choices)
    keywords = forms.CharField(label=gettext_lazy("Keywords"), max_length=300, required=False)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=500, required=False)
    capital_construction = forms.BooleanField(
        label=gettext_lazy("Capital construction file (hồ sơ xây dựng cơ bản)"),
        required=False,
        help_text=gettext_lazy("Handed over three months after the works' final settlement (Decree 30 Art. 30)."),
    )

    def __init__(self, *args: Any, body: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Organization.objects.active().filter(path__startswith=body.path).order_by("path")
        people = Person.objects.filter(organization__path__startswith=body.path, is_active=True)
        unit_field, handler_field = self.fields["unit"], self.fields["handler"]
        assert isinstance(unit_field, forms.ModelChoiceField) and isinstance(handler_field, forms.ModelChoiceField)  # noqa: S101
        unit_field.queryset = units
        handler_field.queryset = people.select_related("organization").order_by("sort_key", "id")

    def to_data(self) -> archive.FileData:
        data = self.cleaned_data
        return archive.FileData(
            title=data["title"],
            unit=data["unit"],
            retention_years=data.get("retention_years"),
            handler=data.get("handler"),
            rights=data["rights"],
            keywords=data.get("keywords") or "",
            description=data.get("description") or "",
            capital_construction=bool(data.get("capital_construction")),
        )


class HandOverForm(forms.Form):
    on = day_field(gettext_lazy("Handed over on"), required=True)
    record = forms.CharField(label=gettext_lazy("Hand-over record (biên bản giao nhận)"), max_length=120)


class SettlementForm(forms.Form):
    settled_on = day_field(gettext_lazy("Final settlement (quyết toán) approved on"), required=True)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why reopen it"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class HoldBackForm(forms.Form):
    until = day_field(gettext_lazy("Kept by the unit until"), required=True)
    reason = forms.CharField(
        label=gettext_lazy("Why the unit keeps it"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class FileDocumentForm(forms.Form):
    archive_file = forms.ModelChoiceField(label=gettext_lazy("File"), queryset=ArchiveFile.objects.none())
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, files: QuerySet[ArchiveFile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["archive_file"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = files


# --- helpers ------------------------------------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def managed_bodies(user: Any) -> QuerySet[Organization]:
    """Bodies whose lists the person may draw up: where they are văn thư or leader (not internal units)."""
    r = policy.reach(user)
    paths = list(r.kept_paths + r.led_paths)
    if not paths:
        return Organization.objects.none()
    return Organization.objects.active().filter(path__in=paths).exclude(kind="internal_unit").order_by("path")


def fillable_open_files(user: Any) -> QuerySet[ArchiveFile]:
    return (
        ArchiveFile.objects.filter(policy.fillable_files_q(user), state=FileState.OPEN)
        .select_related("file_list")
        .order_by("-file_list__year", "code")
    )


def _counts(user: Any, files: QuerySet[ArchiveFile]) -> QuerySet[ArchiveFile]:
    """Each file with the number of its documents the person may see (never the others)."""
    visible = access.documents_visible_to(user).values("pk")
    return files.annotate(seen=Count("items", filter=Q(items__document__in=visible)))


def _error_text(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- the lists ----------------------------------------------------------------------------------------------


def _home(request: HttpRequest, form: FileListForm | None, status: int = 200) -> HttpResponse:
    user = request.user
    mine = _counts(
        user,
        ArchiveFile.objects.filter(policy.fillable_files_q(user))
        .exclude(state=FileState.HANDED_OVER)
        .select_related("file_list__organization", "unit", "handler")
        .order_by("-file_list__year", "code"),
    )
    today = timezone.localdate()
    context = {
        "lists": access.file_lists_visible_to(user).annotate(n_files=Count("files")),
        "mine": mine,
        "due": access.files_due_for_hand_over(user, today=today),
        "today": today,
        "form": form,
    }
    return render(request, "documents/archive/home.html", context, status=status)


@login_required
@require_GET
def archive_home(request: HttpRequest) -> HttpResponse:
    bodies = managed_bodies(request.user)
    today = timezone.localdate()
    # In December the list being prepared is next year's (approved in January).
    initial = {"year": today.year + (1 if today.month == 12 else 0)}
    return _home(request, FileListForm(bodies=bodies, initial=initial) if bodies.exists() else None)


@login_required
@require_POST
def file_list_new(request: HttpRequest) -> HttpResponse:
    bodies = managed_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = FileListForm(request.POST, bodies=bodies)
    if form.is_valid():
        try:
            created = archive.create_file_list(
                actor_of(request), form.cleaned_data["organization"], form.cleaned_data["year"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The file list for {year} has been drafted.").format(year=created.year))
            return redirect("documents:file_list", pk=created.pk)
    return _home(request, form, status=400)


def _list_page(
    request: HttpRequest,
    file_list: FileList,
    *,
    form: ArchiveFileForm | None = None,
    refused: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = bool(policy.can_manage_file_lists(user, file_list.organization))
    files = _counts(user, file_list.files.select_related("unit", "handler").order_by("number"))
    context = {
        "file_list": file_list,
        "files": files,
        "can_manage": can_manage,
        "can_approve": file_list.state == FileListState.DRAFT
        and bool(policy.can_approve_file_list(user, file_list.organization)),
        "form": form or (ArchiveFileForm(body=file_list.organization) if can_manage else None),
        "refused": refused or [],
    }
    return render(request, "documents/archive/file_list.html", context, status=status)


@login_required
@require_GET
def file_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _list_page(request, access.access_file_list(request.user, pk))


@login_required
@require_POST
def file_list_approve(request: HttpRequest, pk: int) -> HttpResponse:
    file_list = access.access_file_list(request.user, pk)
    if not policy.can_approve_file_list(request.user, file_list.organization):
        raise PermissionDenied
    try:
        archive.approve_file_list(actor_of(request), file_list)
    except ValidationError as error:
        return _list_page(request, file_list, refused=_error_text(error), status=400)
    messages.success(request, _("The file list for {year} is approved.").format(year=file_list.year))
    return redirect("documents:file_list", pk=file_list.pk)


@login_required
@require_POST
def archive_file_new(request: HttpRequest, pk: int) -> HttpResponse:
    file_list = access.access_file_list(request.user, pk)
    if not policy.can_manage_file_lists(request.user, file_list.organization):
        raise PermissionDenied
    form = ArchiveFileForm(request.POST, body=file_list.organization)
    if form.is_valid():
        try:
            created = archive.add_file(actor_of(request), file_list, form.to_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("File {code} has been added to the list.").format(code=created.code))
            return redirect("documents:file_list", pk=file_list.pk)
    return _list_page(request, file_list, form=form, status=400)


# --- one file -----------------------------------------------------------------------------------------------


def _file_page(
    request: HttpRequest,
    archive_file: ArchiveFile,
    *,
    refused: list[str] | None = None,
    status: int = 200,
    bound: tuple[str, forms.Form] | None = None,
) -> HttpResponse:
    """The file page; ``bound`` is a step's form as it was sent back (its name in the page, the form)."""
    user = request.user
    sent = dict([bound]) if bound else {}
    hand_over_form, settlement_form = sent.get("hand_over_form"), sent.get("settlement_form")
    reopen_form, hold_back_form = sent.get("reopen_form"), sent.get("hold_back_form")
    can_fill = bool(policy.can_fill_file(user, archive_file))
    can_hand_over = bool(policy.can_hand_over(user, archive_file))
    closed = archive_file.state == FileState.CLOSED
    settling = (
        can_fill and archive_file.capital_construction and archive_file.state in (FileState.PLANNED, FileState.OPEN)
    )
    due_state = (
        rules.handover_state(archive_file.handover_due, timezone.localdate())
        if archive_file.handover_due and archive_file.state == FileState.CLOSED
        else None
    )
    context = {
        "file": archive_file,
        "items": access.file_items_visible_to(user, archive_file),
        "can_open": can_fill
        and archive_file.state == FileState.PLANNED
        and archive_file.file_list.state == FileListState.APPROVED,
        "can_fill": can_fill and archive_file.state == FileState.OPEN,
        "can_close": can_fill and archive_file.state == FileState.OPEN,
        "hand_over_form": (hand_over_form or HandOverForm(initial={"on": timezone.localdate()}))
        if can_hand_over and archive_file.state == FileState.CLOSED and archive_file.goes_to_archive
        else None,
        "settlement_form": (settlement_form or SettlementForm(initial={"settled_on": archive_file.settled_on}))
        if settling
        else None,
        "reopen_form": (reopen_form or ReopenForm()) if closed and policy.can_reopen_file(user, archive_file) else None,
        "hold_back_form": (hold_back_form or HoldBackForm(initial={"until": archive_file.held_until}))
        if closed and archive_file.goes_to_archive and policy.can_hold_back(user, archive_file)
        else None,
        "due_state": str(due_state) if due_state else "",
        "can_see_list": access.file_lists_visible_to(user).filter(pk=archive_file.file_list_id).exists(),
        "refused": refused or [],
    }
    return render(request, "documents/archive/file.html", context, status=status)


def _done(request: HttpRequest, archive_file: ArchiveFile, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("documents:archive_file", pk=archive_file.pk)


@login_required
@require_GET
def archive_file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_page(request, access.access_archive_file(request.user, pk))


@login_required
@require_POST
def archive_file_open(request: HttpRequest, pk: int) -> HttpResponse:
    archive_file = access.access_archive_file(request.user, pk)
    if not policy.can_fill_file(request.user, archive_file):
        raise PermissionDenied
    try:
        archive.open_file(actor_of(request), archive_file)
    except ValidationError as error:
        return _file_page(request, archive_file, refused=_error_text(error), status=400)
    return _done(request, archive_file, _("File {code} is open.").format(code=archive_file.code))


@login_required
@require_POST
def archive_file_close(request: HttpRequest, pk: int) -> HttpResponse:
    archive_file = access.access_archive_file(request.user, pk)
    if not policy.can_fill_file(request.user, archive_file):
        raise PermissionDenied
    try:
        archive.close_file(actor_of(request), archive_file)
    except ValidationError as error:
        return _file_page(request, archive_file, refused=_error_text(error), status=400)
    return _done(request, archive_file, _("File {code} is closed.").format(code=archive_file.code))


def _form_step(
    request: HttpRequest,
    pk: int,
    *,
    allowed: Callable[[Any, ArchiveFile], Any],
    form_class: type[forms.Form],
    form_name: str,
    act: Callable[[ArchiveFile, dict[str, Any]], Any],
    done: Callable[[ArchiveFile, dict[str, Any]], str],
) -> HttpResponse:
    """One step on a file that takes a small form: check, validate, call the service, then either go
    back to the file with ``done``'s message or show the file page with the form and its errors (400)."""
    archive_file = access.access_archive_file(request.user, pk)
    if not allowed(request.user, archive_file):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(archive_file, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, archive_file, done(archive_file, form.cleaned_data))
    refused = [str(e) for e in form.non_field_errors()]
    return _file_page(request, archive_file, refused=refused, status=400, bound=(form_name, form))


@login_required
@require_POST
def archive_file_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(
        request,
        pk,
        allowed=policy.can_hand_over,
        form_class=HandOverForm,
        form_name="hand_over_form",
        act=lambda file, data: archive.hand_over(actor_of(request), file, on=data["on"], record=data["record"]),
        done=lambda file, data: _("File {code} has been handed over to the agency archive.").format(code=file.code),
    )


@login_required
@require_POST
def archive_file_settlement(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the day a capital construction file's works were finally settled (quyết toán)."""
    return _form_step(
        request,
        pk,
        allowed=policy.can_fill_file,
        form_class=SettlementForm,
        form_name="settlement_form",
        act=lambda file, data: archive.set_settlement(actor_of(request), file, settled_on=data["settled_on"]),
        done=lambda file, data: _("The settlement date of file {code} has been recorded.").format(code=file.code),
    )


@login_required
@require_POST
def archive_file_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(
        request,
        pk,
        allowed=policy.can_reopen_file,
        form_class=ReopenForm,
        form_name="reopen_form",
        act=lambda file, data: archive.reopen_file(actor_of(request), file, reason=data["reason"]),
        done=lambda file, data: _("File {code} is open again.").format(code=file.code),
    )


@login_required
@require_POST
def archive_file_hold_back(request: HttpRequest, pk: int) -> HttpResponse:
    """The head of the body lets the unit keep the file past its hand-over day (Decree 30 Art. 30)."""
    return _form_step(
        request,
        pk,
        allowed=policy.can_hold_back,
        form_class=HoldBackForm,
        form_name="hold_back_form",
        act=lambda file, data: archive.hold_back(actor_of(request), file, until=data["until"], reason=data["reason"]),
        done=lambda file, data: _("The unit keeps file {code} until {day}.").format(
            code=file.code, day=data["until"].strftime("%d/%m/%Y")
        ),
    )


@login_required
@require_POST
def archive_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = FileItem.objects.select_related("archive_file").filter(pk=pk).first()
    # Only an item the person could see in a file they may open: the others do not exist for them.
    if item is None or not access.file_items_visible_to(request.user, item.archive_file).filter(pk=pk).exists():
        raise Http404
    archive_file = access.access_archive_file(request.user, item.archive_file_id)
    if not policy.can_fill_file(request.user, archive_file):
        raise PermissionDenied
    try:
        archive.remove_document(actor_of(request), item)
    except ValidationError as error:
        return _file_page(request, archive_file, refused=_error_text(error), status=400)
    return _done(
        request, archive_file, _("The document has been taken out of file {code}.").format(code=archive_file.code)
    )


def _append(sheet: Any, values: list[Any]) -> None:
    """A row of values; text that starts with "=" (a sender's abstract, a title) stays text, never a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


@login_required
@require_GET
def archive_file_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's item list (Mục lục văn bản) as XLSX: only the documents the person may see."""
    archive_file = access.access_archive_file(request.user, pk)
    items = list(access.file_items_visible_to(request.user, archive_file))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Item list")[:31]
    _append(sheet, [_("Item list of file {code}").format(code=archive_file.code)])
    _append(sheet, [archive_file.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    header = [
        _("No."), _("Number and symbol"), _("Date"), _("Issuer"), _("Abstract (trích yếu)"), _("Pages"), _("Note"),
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for item in items:
        doc = item.document
        issuer = (
            doc.sender_name if doc.is_incoming else (doc.register.organization.full_name if doc.register_id else "")
        )
        _append(sheet, [
            item.ordinal, doc.number_symbol, doc.document_date, issuer, doc.abstract, doc.pages, item.note,
        ])  # fmt: skip
        sheet.cell(row=sheet.max_row, column=3).number_format = "DD/MM/YYYY"
        sheet.cell(row=sheet.max_row, column=5).alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFG", (6, 18, 12, 30, 60, 8, 24), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"muc-luc-{archive_file.code}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


# --- from the document page -----------------------------------------------------------------------------------


def _document_files(
    request: HttpRequest, pk: int, *, form: FileDocumentForm | None = None, status: int = 200
) -> HttpResponse:
    document = access.access_document(request.user, pk)
    candidates = fillable_open_files(request.user).exclude(items__document=document)
    items = (
        FileItem.objects.filter(document=document, archive_file__in=access.archive_files_visible_to(request.user))
        .select_related("archive_file")
        .order_by("archive_file__code")
    )
    context = {
        "document": document,
        "items": items,
        "form": form or (FileDocumentForm(files=candidates, auto_id="id_archive_%s") if candidates.exists() else None),
    }
    template = (
        "documents/archive/_document_files.html" if _is_htmx(request) else "documents/archive/document_files.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def document_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """The files a document is in, and "put in a file" (loaded into the document page)."""
    if request.method == "GET":
        return _document_files(request, pk)
    document = access.access_document(request.user, pk)
    candidates = fillable_open_files(request.user)
    if not candidates.exists():
        raise PermissionDenied
    form = FileDocumentForm(request.POST, files=candidates, auto_id="id_archive_%s")
    if form.is_valid():
        chosen = form.cleaned_data["archive_file"]
        try:
            item = archive.add_document(actor_of(request), chosen, document, note=form.cleaned_data.get("note") or "")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Placed in file {code} as no. {ordinal}.").format(code=chosen.code, ordinal=item.ordinal)
            )
            url = reverse("documents:document", args=[document.pk])
            return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)
    return _document_files(request, pk, form=form, status=200 if _is_htmx(request) else 400)
