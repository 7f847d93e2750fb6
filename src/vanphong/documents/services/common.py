"""Helpers the document services share: the acting person, timeline steps, permission checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanphong.core.audit import Actor
from vanphong.core.models import Organization
from vanphong.core.services.actors import (  # noqa: F401  (the app's services import them from here)
    account_of,
    person_of,
    require,
)
from vanphong.documents.models import Document, EventKind, FlowEvent


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
