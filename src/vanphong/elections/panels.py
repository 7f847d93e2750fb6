"""The home-page panel of the counting room: the congresses a person counts, and the way to all."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vanphong.elections import access, policy
from vanphong.registry import Panel, registry


def _counting_room(request: HttpRequest) -> dict[str, Any] | None:
    """The congresses the person counts; administrators who set congresses up see the way in too."""
    congresses = list(access.congresses_counted_by(request.user).order_by("-created_at")[:10])
    if not congresses and not policy.can_create_any_congress(request.user):
        return None
    return {"congresses": congresses}


registry.panel(
    Panel("counting_room", _("Counting room"), "elections/panels/counting_room.html", _counting_room, order=30)
)
