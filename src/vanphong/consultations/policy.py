"""Who may do what with written consultations; pages, API, jobs and services all ask here.

* Organisers: the leaders, deputies, clerks and specialists of a body's office, that is anyone holding
  one of those roles on the body itself or on a unit inside it (Văn phòng Tỉnh ủy for Tỉnh ủy), or
  above it. They create consultations for the body.
* Managing one consultation (edit while draft, open, remind, close): its organiser and the body's
  leaders (leader or deputy on the body, on a unit inside it, or above it).
* Members see the consultation once it is open, its documents and their own answer; after closing,
  the recorded result. Only managers see everyone's answers. Anyone else: "not found".
* Secret documents attached from the registry open only for a reader whose clearance reaches their
  level; each opening is audited (``access.access_document``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from vanphong.consultations.models import Consultation, State
from vanphong.core import policy as core_policy
from vanphong.core.models import Organization, Role
from vanphong.core.policy import ALLOW, DENY, Decision, HeldRole

ORGANISER_ROLES = (Role.LEADER, Role.DEPUTY, Role.CLERK, Role.SPECIALIST)
LEADER_ROLES = (Role.LEADER, Role.DEPUTY)


def _within_or_over(held: HeldRole, body: Organization) -> bool:
    """The role is on the body, on a unit inside it, or on an organisation above it."""
    return held.path.startswith(body.path) or body.path.startswith(held.path)


def _decide(account: Any, roles: tuple[str, ...], body: Organization) -> Decision:
    via: Any = None
    for held in core_policy.held_roles(account):
        if held.role in roles and _within_or_over(held, body):
            if held.delegator is None:
                return ALLOW
            via = via or held.delegator
    return Decision(True, via) if via is not None else DENY


def person_id(account: Any) -> int | None:
    return account.person_id if core_policy.is_signed_in(account) else None


def can_organise(account: Any, body: Organization) -> Decision:
    if not core_policy.is_signed_in(account) or body.is_internal_unit:
        return DENY
    return _decide(account, ORGANISER_ROLES, body)


def leads(account: Any, body: Organization) -> Decision:
    if not core_policy.is_signed_in(account):
        return DENY
    return _decide(account, LEADER_ROLES, body)


def can_manage(account: Any, consultation: Consultation) -> Decision:
    """Edit, open, remind, close, and see everyone's answers."""
    me = person_id(account)
    if me is not None and consultation.organiser_id == me:
        return ALLOW
    return leads(account, consultation.body)


def bodies_for(account: Any) -> list[Organization]:
    """The bodies the account may organise for: the non-internal organisations at and above its roles."""
    paths = [h.path for h in core_policy.held_roles(account) if h.role in ORGANISER_ROLES]
    ids = {int(part) for path in paths for part in path.split("/") if part}
    return [
        org
        for org in Organization.objects.active().filter(pk__in=ids).order_by("path")
        if not org.is_internal_unit and can_organise(account, org)
    ]


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def managed_q(account: Any) -> Q:
    """The consultations ``account`` manages: its own as organiser, and those of the bodies it leads."""
    me = person_id(account)
    if me is None:
        return Q(pk__in=[])
    query = Q(organiser_id=me)
    for held in core_policy.held_roles(account):
        if held.role in LEADER_ROLES:
            query |= Q(body__path__startswith=held.path) | Q(body__path__in=_ancestor_paths(held.path))
    return query


def visible_q(account: Any) -> Q:
    """The consultations ``account`` may see, as one filter (lists, counts, the API)."""
    me = person_id(account)
    if me is None:
        return Q(pk__in=[])
    return managed_q(account) | Q(members__person_id=me, state__in=[State.OPEN, State.CLOSED])
