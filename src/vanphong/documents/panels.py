"""The home-page panel of the documents module: how many documents wait in each of my baskets."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents import access
from vanphong.registry import Panel, registry

# The baskets' names, shared by the panel and the basket pages.
BASKET_TITLES: dict[str, Any] = {
    "to_present": _("To present to a leader (trình)"),
    "to_direct": _("To direct (cho ý kiến chỉ đạo)"),
    "to_assign": _("To pass to a specialist (phân công)"),
    "to_handle": _("To handle as lead unit (chủ trì)"),
    "to_coordinate": _("To give an opinion on (phối hợp)"),
    "for_information": _("For information (để biết)"),
    "to_approve": _("To approve"),
    "to_issue": _("To number and issue"),
    "near_due": _("Due within three days"),
    "overdue": _("Overdue (quá hạn)"),
}


def _waiting(request: HttpRequest) -> dict[str, Any] | None:
    """The baskets that hold something; hidden when nothing waits for the person."""
    counts = access.basket_counts(request.user)
    baskets = [(name, BASKET_TITLES[name], count) for name, count in counts.items() if count]
    if not baskets:
        return None
    return {"baskets": baskets}


def _archive_due(request: HttpRequest) -> dict[str, Any] | None:
    """Archive files to hand over within 30 days, or already late (Decree 30 Appendix VI); hidden when none."""
    today = timezone.localdate()
    due = access.files_due_for_hand_over(request.user, today=today)
    counts = due.aggregate(overdue=Count("pk", filter=Q(handover_due__lt=today)), all=Count("pk"))
    if not counts["all"]:
        return None
    return {"overdue": counts["overdue"], "due_soon": counts["all"] - counts["overdue"]}


registry.panel(
    Panel(
        "documents_archive_due", _("Archive files to hand over"), "documents/archive/panel.html", _archive_due, order=16
    )
)
registry.panel(
    Panel("documents_waiting", _("Documents waiting for you"), "documents/panels/waiting.html", _waiting, order=15)
)
