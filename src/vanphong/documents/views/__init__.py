"""The documents pages: baskets, registers, registration, the document page and its steps, search.

What the list pages share lives here: the rows of a document list (one query for the page, one for
the lead units shown in it) and the deadline marks (overdue, due soon).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from vanphong.documents.models import INCOMING_OPEN, Assignment, AssignmentRole, AssignmentState, Document

NEAR_DUE_DAYS = 3  # the same horizon as the "near due" basket (access.basket)


def listing(queryset: QuerySet[Document]) -> QuerySet[Document]:
    """A document list ready for its table: type, sender and the lead unit fetched with the page."""
    lead_parts = (
        Assignment.objects.filter(role=AssignmentRole.LEAD)
        .exclude(state=AssignmentState.CANCELLED)
        .select_related("unit", "handler")
    )
    return queryset.select_related("document_type", "register", "presented_to").prefetch_related(
        Prefetch("assignments", queryset=lead_parts, to_attr="lead_parts")
    )


def deadline_marks(today: datetime.date | None = None) -> dict[str, Any]:
    """What the templates compare a document's deadline with to mark it overdue or due soon."""
    today = today or timezone.localdate()
    return {
        "today": today,
        "due_soon": today + datetime.timedelta(days=NEAR_DUE_DAYS),
        "open_statuses": [str(s) for s in INCOMING_OPEN],
    }
