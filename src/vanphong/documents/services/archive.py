"""Archive files (hồ sơ), Decree 30/2020 Art. 28–31: the yearly file list, opening, filling and closing
files, and their hand-over to the agency archive.

* The body's văn thư drafts the list for a year (last year's files are copied in as a start) and its
  leaders approve it; both may add files to it during the year.
* A file's handler (or the head of its unit) opens it, puts documents in it — each gets the next place
  (DocOrdinal), given with the file row locked so that two people filing at once never share a place —
  takes them out again (the later ones move up, so places stay 1, 2, 3… without gaps), and closes it:
  closing computes the TT 02/2019 StartDate, EndDate, DocTotal and PageTotal from the documents in it,
  and the day it must reach the agency archive (one year later, for files kept five years or more; for a
  capital construction file, three months after the works' final settlement, whose date the handler
  enters first — Decree 30 Art. 30 para. 1).
* Whoever may close a file may reopen it, with a reason, as long as it has not been handed over; its
  hand-over day is computed again at the next closing.
* The head of the body may let the unit keep a closed file past its hand-over day (giữ lại), with a
  reason, for at most two years after the day it was due (Art. 30 para. 2): the file is then due on the
  day it is kept until.
* The văn thư records the hand-over with the number of its record (biên bản giao nhận).
* A periodic job (``remind_hand_over``) tells the handler and the unit's head 30 days before a file is
  due, and again once it is late (Appendix VI).

Each act is one transaction with its audit entry; filing a document also adds a step to its timeline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person, Role
from vanphong.documents import policy
from vanphong.documents.models import (
    AccessRegime,
    ArchiveFile,
    Document,
    EventKind,
    FileItem,
    FileList,
    FileListState,
    FileState,
)
from vanphong.documents.services.common import account_of, person_of, require, step
from vanphong.lib import vntext
from vanphong.notices.services import notify
from vanphong.rules import archive_files as rules

MAX_RETENTION_YEARS = 100  # beyond this, "permanent" is meant
# Taking a document out moves the later ones up in two updates through this offset, so that no two rows
# share a place in between (the unique constraint is checked row by row on both databases).
_SHIFT = 1_000_000

FILE_FIELDS = ("code", "title", "retention_years", "unit", "handler", "state", "rights", "capital_construction")
MAX_REASON = 500


@dataclass
class FileData:
    """A file in the list, as the văn thư enters it (TT 02/2019 names in brackets)."""

    title: str  # [Title]
    unit: Organization  # the unit that keeps it
    retention_years: int | None  # [Maintenance]; None: permanent
    handler: Person | None = None
    rights: str = AccessRegime.OPEN  # [Rights]
    language: str = "Tiếng Việt"  # [Language]
    description: str = ""  # [Description]
    keywords: str = ""  # [Keyword]
    information_code: str = ""  # [InforSign]
    capital_construction: bool = False  # hồ sơ xây dựng cơ bản: due three months after the final settlement


def _code(number: int, unit: Organization, year: int) -> str:
    try:
        return rules.file_code(number, unit.abbreviation, year)
    except rules.CodeError as error:
        raise ValidationError(
            {"unit": _("The unit's abbreviation “{abbreviation}” cannot be used in a file code.").format(
                abbreviation=unit.abbreviation
            )}
        ) from error  # fmt: skip


def _clean_file(file_list: FileList, data: FileData) -> None:
    errors: dict[str, list[str]] = {}
    data.title = vntext.nfc(data.title).strip()
    data.description = vntext.nfc(data.description).strip()
    data.keywords = vntext.nfc(data.keywords).strip()
    data.language = vntext.nfc(data.language).strip() or "Tiếng Việt"
    if not data.title:
        errors.setdefault("title", []).append(_("Enter the file's title."))
    elif len(data.title) > 500:
        errors.setdefault("title", []).append(_("The title is longer than 500 characters."))
    if data.retention_years is not None and not 1 <= data.retention_years <= MAX_RETENTION_YEARS:
        errors.setdefault("retention_years", []).append(
            _("Retention is from 1 to {most} years; leave it empty for permanent.").format(most=MAX_RETENTION_YEARS)
        )
    if not data.unit.path.startswith(file_list.organization.path):
        errors.setdefault("unit", []).append(
            _("The unit must belong to {body}.").format(body=file_list.organization.full_name)
        )
    handler = data.handler
    if handler is not None:
        organization = handler.organization
        if organization is None or not organization.path.startswith(data.unit.path):
            errors.setdefault("handler", []).append(
                _("{name} does not work in {unit}.").format(name=handler.full_name, unit=data.unit.full_name)
            )
    if data.rights not in AccessRegime.values:
        errors.setdefault("rights", []).append(_("Choose the access regime."))
    if errors:
        raise ValidationError(errors)


def _create_file(actor: Actor, file_list: FileList, data: FileData, *, number: int) -> ArchiveFile:
    return ArchiveFile.objects.create(
        file_list=file_list,
        number=number,
        code=_code(number, data.unit, file_list.year),
        title=data.title,
        retention_years=data.retention_years,
        unit=data.unit,
        handler=data.handler,
        rights=data.rights,
        language=data.language,
        description=data.description,
        keywords=data.keywords,
        information_code=data.information_code,
        capital_construction=data.capital_construction,
        created_by=account_of(actor),
    )


# --- the yearly list ----------------------------------------------------------------------------------------


def create_file_list(actor: Actor, organization: Organization, year: int) -> FileList:
    """Draft the body's list for ``year``; the files of last year's list are copied in, to be opened anew."""
    actor = require(policy.can_manage_file_lists(actor.account, organization), actor)
    if organization.is_internal_unit:
        raise ValidationError({"organization": _("A file list belongs to a body, not to an internal unit.")})
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 1:
        raise ValidationError(
            {"year": _("A list is drawn up for {first}, {second} or {third}.").format(
                first=this_year - 1, second=this_year, third=this_year + 1
            )}
        )  # fmt: skip
    taken = _("{body} already has a file list for {year}.").format(body=organization.full_name, year=year)
    if FileList.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": taken})
    try:
        with transaction.atomic():
            file_list = FileList.objects.create(organization=organization, year=year, created_by=account_of(actor))
            previous = FileList.objects.filter(organization=organization, year=year - 1).first()
            copied = 0
            if previous is not None:
                for old in previous.files.select_related("unit", "handler").order_by("number"):
                    data = FileData(
                        title=old.title, unit=old.unit, retention_years=old.retention_years, handler=old.handler,
                        rights=old.rights, language=old.language, description=old.description,
                        keywords=old.keywords, information_code=old.information_code,
                        capital_construction=old.capital_construction,
                    )  # fmt: skip
                    _create_file(actor, file_list, data, number=old.number)
                    copied += 1
            audit.record(
                actor,
                "documents.file_list.create",
                file_list,
                after={"year": year, "copied_from": previous.pk if previous else None, "files": copied},
            )
    except IntegrityError as error:  # someone drafted the same list a moment earlier
        raise ValidationError({"year": taken}) from error
    return file_list


def approve_file_list(actor: Actor, file_list: FileList) -> FileList:
    """The leader approves the list (January); its files may then be opened."""
    actor = require(policy.can_approve_file_list(actor.account, file_list.organization), actor)
    with transaction.atomic():
        if not file_list.files.exists():
            raise ValidationError(_("An empty list cannot be approved; add its files first."))
        now = timezone.now()
        changed = FileList.objects.filter(pk=file_list.pk, state=FileListState.DRAFT).update(
            state=FileListState.APPROVED, approved_by=person_of(actor), approved_at=now
        )
        if not changed:
            raise ValidationError(_("The list has already been approved."))
        file_list.refresh_from_db()
        audit.record(actor, "documents.file_list.approve", file_list, after={"year": file_list.year})
    return file_list


def add_file(actor: Actor, file_list: FileList, data: FileData) -> ArchiveFile:
    """Add a file to the list, numbered after the last one (the list row is locked while numbering)."""
    actor = require(policy.can_manage_file_lists(actor.account, file_list.organization), actor)
    _clean_file(file_list, data)
    with transaction.atomic():
        FileList.objects.select_for_update().filter(pk=file_list.pk).get()
        number = (file_list.files.aggregate(last=Max("number"))["last"] or 0) + 1
        archive_file = _create_file(actor, file_list, data, number=number)
        audit.record(actor, "documents.archive_file.add", archive_file, after=audit.snapshot(archive_file, FILE_FIELDS))
    return archive_file


# --- one file -----------------------------------------------------------------------------------------------


def _locked(archive_file: ArchiveFile, state: str, message: str) -> ArchiveFile:
    fresh = ArchiveFile.objects.select_for_update().get(pk=archive_file.pk)
    if fresh.state != state:
        raise ValidationError(message.format(state=fresh.get_state_display()))
    return fresh


def open_file(actor: Actor, archive_file: ArchiveFile) -> ArchiveFile:
    """The handler opens a file of the approved list; a file without a handler becomes the opener's."""
    actor = require(policy.can_fill_file(actor.account, archive_file), actor)
    if archive_file.file_list.state != FileListState.APPROVED:
        raise ValidationError(
            _("The file list for {year} is not approved yet.").format(year=archive_file.file_list.year)
        )
    with transaction.atomic():
        fresh = _locked(archive_file, FileState.PLANNED, _("The file is now “{state}”; it cannot be opened."))
        fresh.state = FileState.OPEN
        fresh.opened_on = timezone.localdate()
        fresh.handler = fresh.handler or person_of(actor)
        fresh.save(update_fields=["state", "opened_on", "handler"])
        audit.record(actor, "documents.archive_file.open", fresh, after={"handler": fresh.handler_id})
    return fresh


def add_document(actor: Actor, archive_file: ArchiveFile, document: Document, *, note: str = "") -> FileItem:
    """Put a document in an open file, at the next place. A document may be in several files."""
    account = actor.account
    actor = require(policy.can_fill_file(account, archive_file), actor)
    if not Document.objects.filter(policy.visible_q(account), pk=document.pk).exists():
        raise PermissionDenied
    note = vntext.nfc(note).strip()[:300]
    with transaction.atomic():
        fresh = _locked(archive_file, FileState.OPEN, _("The file is “{state}”; documents go only into open files."))
        already = FileItem.objects.filter(archive_file=fresh, document=document).first()
        if already is not None:
            raise ValidationError(
                _("The document is already in file {code}, as no. {ordinal}.").format(
                    code=fresh.code, ordinal=already.ordinal
                )
            )
        ordinal = (FileItem.objects.filter(archive_file=fresh).aggregate(last=Max("ordinal"))["last"] or 0) + 1
        item = FileItem.objects.create(
            archive_file=fresh, document=document, ordinal=ordinal, note=note, added_by=account_of(actor)
        )
        step(actor, document, EventKind.FILED, note=note, file=fresh.code, file_id=fresh.pk, ordinal=ordinal)
        audit.record(actor, "documents.archive_file.file", fresh, after={"document": document.pk, "ordinal": ordinal})
    return item


def remove_document(actor: Actor, item: FileItem) -> None:
    """Take a document out of an open file; the later ones move up one place."""
    actor = require(policy.can_fill_file(actor.account, item.archive_file), actor)
    with transaction.atomic():
        fresh = _locked(
            item.archive_file, FileState.OPEN, _("The file is “{state}”; documents are taken out only of open files.")
        )
        found = FileItem.objects.filter(pk=item.pk, archive_file=fresh).first()
        if found is None:
            raise ValidationError(_("The document has already been taken out of the file."))
        found.delete()
        later = FileItem.objects.filter(archive_file=fresh, ordinal__gt=found.ordinal)
        later.update(ordinal=F("ordinal") + _SHIFT)
        FileItem.objects.filter(archive_file=fresh, ordinal__gt=_SHIFT).update(ordinal=F("ordinal") - _SHIFT - 1)
        audit.record(
            actor,
            "documents.archive_file.unfile",
            fresh,
            before={"document": found.document_id, "ordinal": found.ordinal},
        )


def close_file(actor: Actor, archive_file: ArchiveFile) -> ArchiveFile:
    """Close the file when the work ends: its dates, document and page totals, and the hand-over day."""
    actor = require(policy.can_fill_file(actor.account, archive_file), actor)
    with transaction.atomic():
        fresh = _locked(archive_file, FileState.OPEN, _("The file is “{state}”; only an open file can be closed."))
        rows = list(
            FileItem.objects.filter(archive_file=fresh).values_list(
                "document__document_date", "document__arrived_at", "document__pages"
            )
        )
        if not rows:
            raise ValidationError(_("An empty file cannot be closed; put its documents in it first."))
        if fresh.capital_construction and fresh.settled_on is None:
            raise ValidationError(
                {"settled_on": _("Enter the day the works' final settlement (quyết toán) was approved before "
                                 "closing this capital construction file.")}
            )  # fmt: skip
        dates = [dated or (timezone.localdate(arrived) if arrived else None) for dated, arrived, _pages in rows]
        known = [d for d in dates if d is not None]
        today = timezone.localdate()
        fresh.state = FileState.CLOSED
        fresh.closed_on = today
        fresh.start_date = min(known) if known else None
        fresh.end_date = max(known) if known else None
        fresh.doc_total = len(rows)
        fresh.page_total = sum(pages or 0 for _dated, _arrived, pages in rows)
        fresh.handover_due = fresh.due_by_decree  # from closed_on, or settled_on for capital construction
        fields = ["state", "closed_on", "start_date", "end_date", "doc_total", "page_total", "handover_due"]
        fresh.save(update_fields=fields)
        audit.record(actor, "documents.archive_file.close", fresh, after=audit.snapshot(fresh, fields))
    return fresh


def hand_over(actor: Actor, archive_file: ArchiveFile, *, on: datetime.date, record: str) -> ArchiveFile:
    """Record that the agency archive received the closed file, on ``on``, under hand-over record ``record``."""
    actor = require(policy.can_hand_over(actor.account, archive_file), actor)
    errors: dict[str, list[str]] = {}
    record = vntext.nfc(record).strip()
    if not archive_file.goes_to_archive:
        raise ValidationError(
            _("Files kept for less than {years} years stay with the unit; they are not handed over.").format(
                years=rules.MIN_RETENTION_FOR_ARCHIVE
            )
        )
    if on > timezone.localdate():
        errors.setdefault("on", []).append(_("The hand-over date is in the future."))
    if archive_file.closed_on is not None and on < archive_file.closed_on:
        errors.setdefault("on", []).append(_("The hand-over date is before the file was closed."))
    if not record:
        errors.setdefault("record", []).append(_("Enter the number of the hand-over record (biên bản giao nhận)."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(archive_file, FileState.CLOSED, _("The file is “{state}”; only a closed file is handed over."))
        fresh.state = FileState.HANDED_OVER
        fresh.handed_over_on = on
        fresh.handover_record = record[:120]
        fresh.handed_over_by = person_of(actor)
        fresh.save(update_fields=["state", "handed_over_on", "handover_record", "handed_over_by"])
        audit.record(
            actor,
            "documents.archive_file.hand_over",
            fresh,
            after={"on": on.isoformat(), "record": fresh.handover_record, "due": fresh.handover_due},
        )
    return fresh


def _reason(text: str, field: str, missing: str) -> str:
    reason = vntext.nfc(text).strip()
    if not reason:
        raise ValidationError({field: missing})
    if len(reason) > MAX_REASON:
        raise ValidationError({field: _("The reason is longer than {most} characters.").format(most=MAX_REASON)})
    return reason


def _moved_on(archive_file: ArchiveFile) -> ValidationError:
    fresh = ArchiveFile.objects.get(pk=archive_file.pk)
    return ValidationError(
        _("The file is now “{state}”; someone acted on it first. Reload the page.").format(
            state=fresh.get_state_display()
        )
    )


def set_settlement(actor: Actor, archive_file: ArchiveFile, *, settled_on: datetime.date) -> ArchiveFile:
    """Enter the day the capital construction works' final settlement (quyết toán) was approved, before the
    file is closed: its hand-over day is three months later (Decree 30 Art. 30 para. 1)."""
    actor = require(policy.can_fill_file(actor.account, archive_file), actor)
    if not archive_file.capital_construction:
        raise ValidationError(
            {"settled_on": _("Only a capital construction file (hồ sơ xây dựng cơ bản) has a settlement date.")}
        )
    if settled_on > timezone.localdate():
        raise ValidationError({"settled_on": _("The settlement date is in the future.")})
    with transaction.atomic():
        before = ArchiveFile.objects.filter(pk=archive_file.pk).values_list("settled_on", flat=True).first()
        changed = ArchiveFile.objects.filter(
            pk=archive_file.pk, capital_construction=True, state__in=[FileState.PLANNED, FileState.OPEN]
        ).update(settled_on=settled_on)
        if not changed:
            fresh = ArchiveFile.objects.get(pk=archive_file.pk)
            raise ValidationError(
                _("The file is “{state}”; the settlement date is entered before it is closed.").format(
                    state=fresh.get_state_display()
                )
            )
        archive_file.refresh_from_db()
        audit.record(
            actor,
            "documents.archive_file.settlement",
            archive_file,
            before={"settled_on": before.isoformat() if before else None},
            after={"settled_on": settled_on.isoformat()},
        )
    return archive_file


def reopen_file(actor: Actor, archive_file: ArchiveFile, *, reason: str) -> ArchiveFile:
    """Reopen a closed file that has not been handed over, saying why (a document was left out, a wrong
    settlement date…). Its totals, closing day, hand-over day and any hold-back are cleared: they are
    computed again when it is closed."""
    actor = require(policy.can_reopen_file(actor.account, archive_file), actor)
    current = ArchiveFile.objects.get(pk=archive_file.pk)
    if current.state == FileState.HANDED_OVER:
        raise ValidationError(
            _("The file was handed over to the agency archive on {day}; it cannot be reopened.").format(
                day=current.handed_over_on.strftime("%d/%m/%Y") if current.handed_over_on else "—"
            )
        )
    if current.state != FileState.CLOSED:
        raise ValidationError(
            _("The file is “{state}”; only a closed file can be reopened.").format(state=current.get_state_display())
        )
    reason = _reason(reason, "reason", _("Say why the file is reopened."))
    today = timezone.localdate()
    with transaction.atomic():
        changed = ArchiveFile.objects.filter(pk=current.pk, state=FileState.CLOSED).update(
            state=FileState.OPEN, closed_on=None, handover_due=None, start_date=None, end_date=None,
            doc_total=None, page_total=None, held_until=None, hold_reason="", hold_approved_by=None,
            hold_approved_on=None, reopened_on=today, reopen_reason=reason,
        )  # fmt: skip
        if changed != 1:
            raise _moved_on(current)
        audit.record(
            actor,
            "documents.archive_file.reopen",
            current,
            before={"closed_on": current.closed_on, "handover_due": current.handover_due,
                    "held_until": current.held_until, "doc_total": current.doc_total},
            after={"reason": reason},
        )  # fmt: skip
    archive_file.refresh_from_db()
    return archive_file


def hold_back(actor: Actor, archive_file: ArchiveFile, *, until: datetime.date, reason: str) -> ArchiveFile:
    """The head of the body lets the unit keep a closed file past its hand-over day (giữ lại) until
    ``until``, at most two years after the day Decree 30 fixed (Art. 30 para. 2); the file is then due on
    ``until``. Granted again, the later decision replaces the earlier one, within the same two years."""
    actor = require(policy.can_hold_back(actor.account, archive_file), actor)
    current = ArchiveFile.objects.get(pk=archive_file.pk)
    if not current.goes_to_archive:
        raise ValidationError(
            _("Files kept for less than {years} years stay with the unit; they are not handed over.").format(
                years=rules.MIN_RETENTION_FOR_ARCHIVE
            )
        )
    if current.state != FileState.CLOSED:
        raise ValidationError(
            _("The file is “{state}”; only a closed file not yet handed over can be kept back.").format(
                state=current.get_state_display()
            )
        )
    due = current.due_by_decree
    assert due is not None  # noqa: S101 (a closed file kept five years or more has its day)
    errors: dict[str, list[str]] = {}
    try:
        rules.check_hold_back(until, due=due, today=timezone.localdate())
    except rules.HoldBackError as error:
        limit = rules.hold_back_limit(due)
        messages = {
            "not_after_due": _("The file is due on {due}; keep it until a later day.").format(
                due=due.strftime("%d/%m/%Y")
            ),
            "in_the_past": _("That day has passed."),
            "beyond_limit": _(
                "A unit keeps a file at most two years past the day it was due (Decree 30 Art. 30): "
                "until {limit} at the latest."
            ).format(limit=limit.strftime("%d/%m/%Y")),
        }
        errors["until"] = [messages[error.code]]
    try:
        reason = _reason(reason, "reason", _("Say why the unit keeps the file."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        changed = ArchiveFile.objects.filter(
            pk=current.pk, state=FileState.CLOSED, handover_due=current.handover_due
        ).update(
            held_until=until, hold_reason=reason, hold_approved_by=person_of(actor), hold_approved_on=today,
            handover_due=until,
        )  # fmt: skip
        if changed != 1:
            raise _moved_on(current)
        audit.record(
            actor,
            "documents.archive_file.hold_back",
            current,
            before={"handover_due": current.handover_due, "held_until": current.held_until},
            after={"held_until": until, "due_by_decree": due, "reason": reason},
        )
    archive_file.refresh_from_db()
    return archive_file


# --- the 30-day hand-over alert (Decree 30 Appendix VI) ----------------------------------------------------------

DUE_SOON_SUBJECT = gettext_lazy("File {code} “{title}” is to be handed over to the agency archive by {date}")
OVERDUE_SUBJECT = gettext_lazy("File {code} “{title}” is late for hand-over to the agency archive (due {date})")


def _answering_for(archive_file: ArchiveFile) -> list[Account]:
    """The file's handler and the heads of its unit (a head or leader holding the role on the unit itself)."""
    answering = Q(
        person__role_grants__organization_id=archive_file.unit_id,
        person__role_grants__role__in=(Role.HEAD, Role.LEADER),
        person__role_grants__revoked_at__isnull=True,
    )
    if archive_file.handler_id is not None:
        answering |= Q(person_id=archive_file.handler_id)
    return list(Account.objects.filter(answering, is_active=True).distinct())


def remind_hand_over(now: datetime.datetime) -> str:
    """The periodic job: 30 days before a closed file is due at the agency archive, tell its handler and
    the head of its unit; once it is late, tell them again. Each notice carries the file and its due day
    in its key, so running the job again sends nothing new, and a file kept back is announced afresh."""
    today = timezone.localdate(now)
    due = ArchiveFile.objects.filter(
        state=FileState.CLOSED, handover_due__isnull=False, handover_due__lte=rules.alert_horizon(today)
    ).order_by("handover_due", "pk")
    counts = {"soon": 0, "late": 0}
    for archive_file in due.iterator(chunk_size=500):
        day = archive_file.handover_due
        assert day is not None  # noqa: S101 (filtered above)
        late = day < today
        with transaction.atomic():
            told = notify(
                _answering_for(archive_file),
                kind="documents.handover_overdue" if late else "documents.handover_due",
                subject=OVERDUE_SUBJECT if late else DUE_SOON_SUBJECT,
                params={"code": archive_file.code, "title": archive_file.title, "date": day.strftime("%d/%m/%Y")},
                url=reverse("documents:archive_file", args=[archive_file.pk]),
                key=f"documents.handover_{'overdue' if late else 'due'}:{archive_file.pk}:{day.isoformat()}",
            )
        counts["late" if late else "soon"] += told
    return "archive files: {soon} hand-over alerts, {late} late notices".format(**counts)
