"""The core's home-page panels: my units and roles, my delegations, recent audit events for admins."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core import access, policy
from vanphong.core.models import Delegation, PositionHolding
from vanphong.registry import Panel, registry


def _my_units(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not policy.is_signed_in(user) or user.person_id is None:  # type: ignore[union-attr]
        return None
    holdings = (
        PositionHolding.objects.filter(person_id=user.person_id, ended_on__isnull=True)  # type: ignore[union-attr]
        .select_related("organization", "position")
        .order_by("position__rank")
    )
    roles = access.role_grants_visible_to(user).filter(person_id=user.person_id, revoked_at__isnull=True)  # type: ignore[union-attr]
    return {"holdings": list(holdings), "roles": list(roles)}


def _my_delegations(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not policy.is_signed_in(user) or user.person_id is None:  # type: ignore[union-attr]
        return None
    now = timezone.now()
    person_id = user.person_id  # type: ignore[union-attr]
    current = (
        Delegation.objects.filter(
            Q(delegator_id=person_id) | Q(delegate_id=person_id), revoked_at__isnull=True, ends_at__gt=now
        )
        .select_related("delegator", "delegate", "organization")
        .order_by("starts_at")
    )
    return {"delegations": list(current[:10]), "person_id": person_id, "now": now}


def _recent_audit(request: HttpRequest) -> dict[str, Any] | None:
    if not policy.can_view_audit(request.user):
        return None
    return {"entries": list(access.audit_entries_visible_to(request.user).order_by("-seq")[:8])}


registry.panel(Panel("my_units", _("My units and roles"), "core/panels/my_units.html", _my_units, order=10))
registry.panel(Panel("my_delegations", _("Delegations"), "core/panels/my_delegations.html", _my_delegations, order=20))
registry.panel(Panel("recent_audit", _("Recent activity"), "core/panels/recent_audit.html", _recent_audit, order=90))
