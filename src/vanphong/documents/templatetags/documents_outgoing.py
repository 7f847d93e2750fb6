"""The outgoing part of the document page: the circuit, the recipients, the format check, the steps.

An inclusion tag, so that the shared document page shows it with one line and the outgoing code stays
in ``views/outgoing.py``."""

from __future__ import annotations

from typing import Any

from django import template

from vanphong.documents import policy
from vanphong.documents.models import Direction, Document, Status
from vanphong.documents.services import outgoing

register = template.Library()


@register.inclusion_tag("documents/outgoing/_panel.html", takes_context=True)
def outgoing_panel(context: template.Context, document: Document) -> dict[str, Any]:
    from vanphong.documents.views.outgoing import outgoing_actions

    request = context["request"]
    replaced_by = list(Document.objects.filter(replaces=document).only("pk", "number_symbol", "abstract"))
    if document.direction != Direction.OUTGOING:
        return {"document": document, "outgoing": False, "replaced_by": replaced_by}
    steps = list(document.approval_steps.select_related("approver").order_by("round", "order"))
    check = document.status in (Status.DRAFT, Status.APPROVED)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "outgoing": True,
        "document": document,
        "actions": outgoing_actions(request, document),
        "steps": steps,
        "recipients": list(document.recipients.select_related("organization")),
        "problems": outgoing.format_problems(document, before_signing=document.status == Status.APPROVED)
        if check
        else {},
        "replaced_by": replaced_by,
        "may_edit": document.status == Status.DRAFT and bool(policy.can_edit_draft(request.user, document)),
    }


@register.simple_tag(takes_context=True)
def files_open(context: template.Context, document: Document) -> bool:
    """Whether the person may open the document's files (a recalled incoming copy's are withheld)."""
    return bool(policy.can_open_files(context["request"].user, document))
