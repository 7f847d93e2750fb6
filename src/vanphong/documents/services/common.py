"""Helpers the document services share: the acting person, timeline steps, permission checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person
from vanphong.core.policy import Decision
from vanphong.documents.models import Document, EventKind, FlowEvent


def require(decision: Decision | bool, actor: Actor) -> Actor:
    """Stop unless allowed; the actor comes back marked "on behalf of" when a delegation allowed it."""
    if not decision:
        raise PermissionDenied
    if isinstance(decision, Decision) and decision.on_behalf_of is not None:
        return actor.acting_for(decision.on_behalf_of)
    return actor


def account_of(actor: Actor) -> Account:
    """The account acting; document services are never run by the system without one."""
    if actor.account is None:
        raise PermissionDenied
    return actor.account


def person_of(actor: Actor) -> Person | None:
    account = actor.account
    return account.person if account is not None else None


def step(
    actor: Actor,
    document: Document,
    kind: EventKind,
    *,
    note: str = "",
    unit: Organization | None = None,
    **data: Any,
) -> FlowEvent:
    """Append a step to the document's timeline (inside the caller's transaction)."""
    return FlowEvent.objects.create(
        document=document,
        kind=kind,
        actor=person_of(actor),
        on_behalf_of=actor.on_behalf_of,
        unit=unit,
        note=note,
        data=data,
    )


def locked_document(document: Document, statuses: Sequence[str]) -> Document:
    """The document row, locked, and still in one of ``statuses`` (else someone acted on it first)."""
    fresh = Document.objects.select_for_update().select_related("register__organization").get(pk=document.pk)
    if fresh.status not in statuses:
        raise ValidationError(
            _("The document is now “{status}”; someone acted on it first. Reload the page.").format(
                status=fresh.get_status_display()
            )
        )
    return fresh
