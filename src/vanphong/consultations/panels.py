"""The home-page panel: consultations waiting for my answer, soonest deadline first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.consultations import access, services
from vanphong.registry import Panel, registry

SHOWN = 10


def _waiting(request: HttpRequest) -> dict[str, Any] | None:
    waiting = access.waiting_for_answer(request.user)
    shown = list(waiting[: SHOWN + 1])
    if not shown:
        return None
    soon = timezone.now() + services.REMIND_BEFORE
    items = [(c, c.deadline <= soon) for c in shown[:SHOWN]]
    return {"consultations": items, "more": len(shown) > SHOWN}


registry.panel(
    Panel(
        "consultations_waiting",
        _("Consultations waiting for your answer"),
        "consultations/panels/waiting.html",
        _waiting,
        order=18,
    )
)
