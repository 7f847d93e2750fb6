"""Reads with permission: every page, endpoint and command fetches documents through here.

``access_document`` returns the document or raises Http404 when the person may not see it (its
existence is not revealed); the ``write`` checks raise PermissionDenied. Secret documents' views are
audited here, in one place, whoever reads them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core import policy as core_policy
from vanphong.core.audit import Actor
from vanphong.core.models import Organization
from vanphong.documents import policy
from vanphong.documents.models import (
    ApprovalStep,
    ArchiveFile,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Direction,
    Document,
    DocumentFile,
    FileItem,
    FileList,
    FileState,
    Register,
    RegisterExport,
    Secrecy,
    Status,
    StepState,
)
from vanphong.rules import archive_files as archive_rules


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(policy.visible_q(user))


def access_document(user: Any, pk: int, *, actor: Actor | None = None) -> Document:
    """The document, if ``user`` may see it. Reading a secret one is audited (pass the actor)."""
    document = (
        documents_visible_to(user)
        .select_related("register__organization", "document_type", "sender", "presented_to", "drafting_unit")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    if document.secrecy > Secrecy.NONE and actor is not None:
        with transaction.atomic():
            audit.record(actor, "documents.secret.view", document, after={"secrecy": document.secrecy})
    return document


def access_file(user: Any, document_pk: int, file_pk: int, *, actor: Actor | None = None) -> DocumentFile:
    document = access_document(user, document_pk)
    found = DocumentFile.objects.select_related("stored", "document").filter(document=document, pk=file_pk).first()
    if found is None:
        raise Http404
    if not policy.can_open_files(user, document):
        raise PermissionDenied
    if document.status == Status.RECALLED and document.is_incoming and actor is not None:
        with transaction.atomic():
            audit.record(actor, "documents.recalled.download", found, after={"file": found.name})
    if document.secrecy > Secrecy.NONE and actor is not None:
        with transaction.atomic():
            audit.record(actor, "documents.secret.download", found, after={"file": found.name})
    return found


def access_assignment(user: Any, pk: int) -> Assignment:
    assignment = Assignment.objects.select_related("document", "unit", "handler").filter(pk=pk).first()
    if assignment is None or not documents_visible_to(user).filter(pk=assignment.document_id).exists():
        raise Http404
    return assignment


def access_step(user: Any, pk: int) -> ApprovalStep:
    found = ApprovalStep.objects.select_related("document", "approver").filter(pk=pk).first()
    if found is None or not documents_visible_to(user).filter(pk=found.document_id).exists():
        raise Http404
    return found


def registers_for_registration(user: Any) -> QuerySet[Register]:
    """Incoming registers the person keeps (văn thư)."""
    ids = policy.registers_kept_by(user)
    return Register.objects.filter(pk__in=ids, direction=Direction.INCOMING, is_active=True).select_related(
        "organization"
    )


def registers_for_drafting(user: Any) -> QuerySet[Register]:
    """Outgoing registers of the body the person works in (or keeps)."""
    r = policy.reach(user)
    query = Q(pk__in=policy.registers_kept_by(user))
    if r.own_path:
        query |= Q(organization__path__in=policy.ancestor_paths(r.own_path))
    return Register.objects.filter(query, direction=Direction.OUTGOING, is_active=True).select_related("organization")


def registers_visible_to(user: Any) -> QuerySet[Register]:
    ids = set(policy.registers_kept_by(user)) | set(policy.registers_led_by(user))
    return Register.objects.filter(pk__in=ids).select_related("organization")


def access_register(user: Any, pk: int) -> Register:
    register = registers_visible_to(user).filter(pk=pk).first()
    if register is None:
        raise Http404
    return register


# --- what the steps may choose -------------------------------------------------------------------------------


def units_for_direction(document: Document) -> QuerySet[Organization]:
    """Units and bodies a leader may give a part to (or a handler ask an opinion of): the active
    organisations of the tree the register's body belongs to."""
    root = document.register.organization.ancestor_ids()[0]
    return Organization.objects.active().filter(path__startswith=f"/{root}/").order_by("path")


def reply_for(user: Any, document: Document, reply_id: int | None) -> Document | None:
    """The reply that completes ``document``: an outgoing document of the same body that ``user`` may
    see. Anything else (unknown, hidden, incoming, another body's) is refused with the same message, so
    the answer does not tell a hidden document from a missing one."""
    if reply_id is None:
        return None
    body = document.register.organization
    reply = (
        documents_visible_to(user)
        .filter(pk=reply_id, direction=Direction.OUTGOING, register__organization=body)
        .select_related("register__organization")
        .first()
    )
    if reply is None:
        message = _("No outgoing document of {body} has the id {id}.")
        raise ValidationError({"reply": message.format(body=body, id=reply_id)})
    return reply


# --- baskets ----------------------------------------------------------------------------------------------


BASKETS = ("to_present", "to_direct", "to_assign", "to_handle", "to_coordinate", "for_information",
           "to_approve", "to_issue", "near_due", "overdue")  # fmt: skip


def basket(user: Any, name: str, *, today: datetime.date | None = None) -> QuerySet[Document]:
    """The documents waiting for ``user`` in one basket (what the home page counts)."""
    today = today or timezone.localdate()
    r = policy.reach(user)
    visible = documents_visible_to(user)
    if r.person_id is None:
        return Document.objects.none()
    open_parts = Assignment.objects.exclude(state__in=(AssignmentState.CANCELLED, AssignmentState.DONE))
    headed_units = Organization.objects.filter(core_policy.paths_q(list(r.headed_paths), ""))
    if name == "to_present":
        return visible.filter(register_id__in=policy.registers_kept_by(user), status=Status.REGISTERED)
    if name == "to_direct":
        return visible.filter(status=Status.PRESENTED, presented_to_id=r.person_id)
    if name == "to_assign":
        return visible.filter(
            pk__in=open_parts.filter(unit__in=headed_units, handler__isnull=True).values("document_id")
        ).exclude(status__in=(Status.COMPLETED, Status.RETURNED))
    if name == "to_handle":
        return visible.filter(
            pk__in=open_parts.filter(handler_id=r.person_id, role=AssignmentRole.LEAD).values("document_id"),
            status=Status.IN_PROGRESS,
        )
    if name == "to_coordinate":
        return visible.filter(
            pk__in=open_parts.filter(role=AssignmentRole.COORDINATE)
            .filter(Q(handler_id=r.person_id) | Q(unit__in=headed_units))
            .values("document_id"),
            status=Status.IN_PROGRESS,
        )
    if name == "for_information":
        ancestors = policy.ancestor_paths(r.own_path)
        return visible.filter(
            pk__in=Assignment.objects.filter(role=AssignmentRole.INFORM, unit__path__in=ancestors).values("document_id")
        )
    if name == "to_approve":
        return visible.filter(
            pk__in=ApprovalStep.objects.filter(approver_id=r.person_id, state=StepState.PENDING).values("document_id")
        )
    if name == "to_issue":
        return visible.filter(register_id__in=policy.registers_kept_by(user), status=Status.SIGNED)
    mine = basket(user, "to_handle", today=today) | basket(user, "to_direct", today=today)
    mine = mine | basket(user, "to_assign", today=today)
    if name == "near_due":
        return mine.filter(handling_deadline__gte=today, handling_deadline__lte=today + datetime.timedelta(days=3))
    if name == "overdue":
        return mine.filter(handling_deadline__lt=today)
    raise ValueError(name)


def basket_counts(user: Any) -> dict[str, int]:
    return {name: basket(user, name).count() for name in BASKETS}


def register_counts(register: Register) -> dict[str, int]:
    rows = Document.objects.filter(register=register).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


# --- archive files (hồ sơ) ------------------------------------------------------------------------------


def file_lists_visible_to(user: Any) -> QuerySet[FileList]:
    return FileList.objects.filter(policy.file_lists_visible_q(user)).select_related("organization")


def access_file_list(user: Any, pk: int) -> FileList:
    found = file_lists_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def archive_files_visible_to(user: Any) -> QuerySet[ArchiveFile]:
    return ArchiveFile.objects.filter(policy.archive_files_visible_q(user))


def access_archive_file(user: Any, pk: int) -> ArchiveFile:
    found = (
        archive_files_visible_to(user)
        .select_related("file_list__organization", "unit", "handler", "handed_over_by", "hold_approved_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def file_items_visible_to(user: Any, archive_file: ArchiveFile) -> QuerySet[FileItem]:
    """The items of a file whose documents ``user`` may see, in order: a file never shows the others."""
    return (
        FileItem.objects.filter(archive_file=archive_file, document__in=documents_visible_to(user).values("pk"))
        .select_related("document__document_type")
        .order_by("ordinal")
    )


def files_due_for_hand_over(user: Any, *, today: datetime.date | None = None) -> QuerySet[ArchiveFile]:
    """Closed files the person answers for that must reach the agency archive within 30 days, or are late
    (Decree 30 Appendix VI): for the body's văn thư and leaders, the handler, the unit's head."""
    today = today or timezone.localdate()
    r = policy.reach(user)
    if r.person_id is None:
        return ArchiveFile.objects.none()
    answerable = policy.file_lists_visible_q(user, "file_list__") | Q(handler_id=r.person_id)
    if r.headed_paths:
        answerable |= core_policy.paths_q(list(r.headed_paths), "unit__")
    return (
        ArchiveFile.objects.filter(answerable)
        .filter(state=FileState.CLOSED, handover_due__lte=archive_rules.alert_horizon(today))
        .select_related("file_list__organization", "unit", "handler", "hold_approved_by")
        .order_by("handover_due", "code", "pk")
    )


# --- register exports prepared in the background (documents.services.exports) ----------------------------------


def register_exports_of(user: Any) -> QuerySet[RegisterExport]:
    """The account's own background exports, newest first: nobody else sees them, administrators included."""
    if not getattr(user, "is_authenticated", False):
        return RegisterExport.objects.none()
    return RegisterExport.objects.filter(requester_id=user.pk).select_related("register", "register__organization")


def access_register_export(user: Any, pk: int) -> RegisterExport:
    """One of the account's own exports, or Http404 (another person's export is not revealed)."""
    export = register_exports_of(user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export
