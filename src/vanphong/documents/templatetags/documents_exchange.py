"""The status each recipient of an outgoing document sent back (edXML status packages), in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import template

from vanphong.documents.models import Document, ExchangeMessage, Recipient
from vanphong.documents.services.status import status_label

register = template.Library()

_CACHE = "_received_statuses"


@dataclass(frozen=True)
class RecipientStatus:
    code: str
    label: str
    at: datetime.datetime | None


def _arrivals(document: Document) -> dict[tuple[str, str], datetime.datetime]:
    """When each (body, code) status arrived; read once per document and page."""
    cached: dict[tuple[str, str], datetime.datetime] | None = getattr(document, _CACHE, None)
    if cached is None:
        rows = ExchangeMessage.objects.filter(document=document, way=ExchangeMessage.Way.IN).exclude(status_code="")
        cached = {(m.organ_id, m.status_code): m.at for m in rows.only("organ_id", "status_code", "at")}
        setattr(document, _CACHE, cached)
    return cached


@register.simple_tag
def recipient_status(document: Document, recipient: Recipient) -> RecipientStatus | None:
    """The recipient's last status with its words and the time it arrived; None before any."""
    if not recipient.last_status:
        return None
    at = _arrivals(document).get((recipient.identifier_code, recipient.last_status))
    return RecipientStatus(recipient.last_status, status_label(recipient.last_status), at)
