"""Reads with permission: every page, endpoint and job fetches consultations through here.

A consultation a person may not see answers 404; one they may see but not manage answers 403 on the
managing steps. Documents attached from the registry are read *through* the consultation: a member
who could not otherwise see the document reads it here, but a secret one only with the clearance
for its level, and every such reading is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from vanphong.consultations import policy
from vanphong.consultations.models import Consultation, ConsultationFile, ConsultationMember, State
from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.documents import policy as document_policy
from vanphong.documents.models import Document, DocumentFile, Secrecy


def consultations_visible_to(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(pk__in=Consultation.objects.filter(policy.visible_q(user)).values("pk"))


def access_consultation(user: Any, pk: int, *, manage: bool = False) -> Consultation:
    """The consultation if ``user`` may see it (else 404); with ``manage``, 403 unless they may manage it."""
    found = consultations_visible_to(user).select_related("body", "organiser").filter(pk=pk).first()
    if found is None:
        raise Http404
    if manage and not policy.can_manage(user, found):
        raise PermissionDenied
    return found


def my_membership(user: Any, consultation: Consultation) -> ConsultationMember | None:
    me = policy.person_id(user)
    if me is None or consultation.state == State.DRAFT:
        return None
    return ConsultationMember.objects.filter(consultation=consultation, person_id=me).first()


def asked_of(user: Any) -> QuerySet[Consultation]:
    """The open and closed consultations that ask the person's opinion."""
    me = policy.person_id(user)
    if me is None:
        return Consultation.objects.none()
    return Consultation.objects.filter(state__in=[State.OPEN, State.CLOSED], members__person_id=me).select_related(
        "body"
    )


def my_answers(user: Any, consultations: QuerySet[Consultation]) -> dict[int, ConsultationMember]:
    """The person's own membership row in each of ``consultations``, by consultation id."""
    me = policy.person_id(user)
    if me is None:
        return {}
    rows = ConsultationMember.objects.filter(person_id=me, consultation__in=consultations.values("pk"))
    return {m.consultation_id: m for m in rows}


def waiting_for_answer(user: Any) -> QuerySet[Consultation]:
    """Open consultations where the person is a member and has not answered, soonest deadline first."""
    me = policy.person_id(user)
    if me is None:
        return Consultation.objects.none()
    return (
        Consultation.objects.filter(state=State.OPEN, members__person_id=me, members__answer="")
        .select_related("body")
        .order_by("deadline", "pk")
    )


def organised_by(user: Any) -> QuerySet[Consultation]:
    """The consultations the person organises or, as the body's leader, manages."""
    managed = Consultation.objects.filter(policy.managed_q(user)).values("pk")
    return Consultation.objects.filter(pk__in=managed).select_related("body", "organiser")


def readable(user: Any, document: Document) -> bool:
    """A document attached to a consultation the person sees: readable unless secret beyond their clearance."""
    if document.secrecy == Secrecy.NONE:
        return True
    return document_policy.may_hold_secrecy(user, document.secrecy)


def attached_documents(consultation: Consultation) -> QuerySet[Document]:
    return consultation.documents.select_related("document_type").order_by("pk")


@dataclass(frozen=True)
class AttachedDocument:
    """A registry document as the consultation page shows it: its files only when the reader may read it."""

    document: Document
    readable: bool
    files: list[DocumentFile]


def documents_for_page(user: Any, consultation: Consultation, *, actor: Actor | None = None) -> list[AttachedDocument]:
    """The attached documents for the consultation page; showing a secret one to a cleared reader is audited."""
    shown = []
    secret_read = []
    for document in attached_documents(consultation).prefetch_related("files"):
        ok = readable(user, document)
        shown.append(AttachedDocument(document, ok, list(document.files.all()) if ok else []))
        if ok and document.secrecy > Secrecy.NONE:
            secret_read.append(document)
    if secret_read and actor is not None:
        with transaction.atomic():
            for document in secret_read:
                audit.record(
                    actor,
                    "consultations.secret.view",
                    document,
                    after={"secrecy": document.secrecy, "consultation": consultation.pk},
                )
    return shown


def access_document(user: Any, consultation_pk: int, document_pk: int, *, actor: Actor | None = None) -> Document:
    """A document attached to the consultation, read through it; secret ones need the clearance (403
    without it) and each reading of them is audited."""
    consultation = access_consultation(user, consultation_pk)
    document = attached_documents(consultation).filter(pk=document_pk).first()
    if document is None:
        raise Http404
    if not readable(user, document):
        raise PermissionDenied
    if document.secrecy > Secrecy.NONE and actor is not None:
        with transaction.atomic():
            audit.record(
                actor,
                "consultations.secret.view",
                document,
                after={"secrecy": document.secrecy, "consultation": consultation.pk},
            )
    return document


def access_document_file(
    user: Any, consultation_pk: int, document_pk: int, file_pk: int, *, actor: Actor | None = None
) -> DocumentFile:
    document = access_document(user, consultation_pk, document_pk)
    found = DocumentFile.objects.select_related("stored").filter(document=document, pk=file_pk).first()
    if found is None:
        raise Http404
    if not document_policy.can_open_files(user, document):
        raise PermissionDenied
    if document.secrecy > Secrecy.NONE and actor is not None:
        with transaction.atomic():
            audit.record(
                actor,
                "consultations.secret.download",
                found,
                after={"file": found.name, "consultation": consultation_pk},
            )
    return found


def access_file(user: Any, consultation_pk: int, file_pk: int) -> ConsultationFile:
    consultation = access_consultation(user, consultation_pk)
    found = ConsultationFile.objects.select_related("stored").filter(consultation=consultation, pk=file_pk).first()
    if found is None:
        raise Http404
    return found
