"""Every permission decision in Vanphong, in one place.

Pages, the API, the command line and background jobs all ask these functions; none of them
re-implements a check. The rules:

* A role held on an organisation covers that organisation and everything below it in the tree
  (an administrator of the provincial People's Committee administers its departments; the head of
  a department is head over its internal units).
* An installation administrator (``Account.is_superuser``) administers every organisation.
* Leaders, deputies and heads may hand their role to someone for a period (a Delegation, ủy quyền).
  A permission that comes only through a delegation is granted "on behalf of" the delegator, and
  services record that in the audit log. A delegated role cannot be delegated again (Decree 30,
  Art. 13: TUQ cannot be re-delegated).
* The organisation directory and the list of persons are visible to every signed-in person;
  accounts, roles, delegations and audit history only to administrators over them (and a person's
  own to that person). Objects a person may not see are reported as "not found", never as
  "forbidden", so that their existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from vanphong.core.models import Account, Delegation, Organization, Person, Role, RoleGrant
from vanphong.core.models.roles import DELEGABLE_ROLES

if TYPE_CHECKING:
    import datetime


@dataclass(frozen=True)
class HeldRole:
    """A role a person can use now: their own grant, or one delegated to them."""

    role: str
    organization_id: int
    path: str
    delegator: Person | None = None

    def covers(self, organization: Organization) -> bool:
        return organization.path.startswith(self.path)


@dataclass(frozen=True)
class Decision:
    """The answer to "may they?": truthy when allowed, with the delegator if it rests on a delegation."""

    allowed: bool
    on_behalf_of: Person | None = None

    def __bool__(self) -> bool:
        return self.allowed


STAFF_ROLES = (Role.LEADER, Role.HEAD)  # a deputy acts here only under a delegation
ALLOW = Decision(True)
DENY = Decision(False)
_CACHE_ATTR = "_vanphong_held_roles"


def held_roles(account: Any, *, at: datetime.datetime | None = None) -> tuple[HeldRole, ...]:
    """The roles ``account`` can use at ``at`` (now by default), cached on the account object."""
    if not isinstance(account, Account) or not account.is_active or account.person_id is None:
        return ()
    cached: tuple[HeldRole, ...] | None = getattr(account, _CACHE_ATTR, None)
    if cached is not None and at is None:
        return cached
    moment = at or timezone.now()
    own = [
        HeldRole(grant.role, grant.organization_id, grant.organization.path)
        for grant in RoleGrant.objects.filter(person_id=account.person_id, revoked_at__isnull=True).select_related(
            "organization"
        )
    ]
    delegated: list[HeldRole] = []
    delegations = Delegation.objects.filter(
        delegate_id=account.person_id, revoked_at__isnull=True, starts_at__lte=moment, ends_at__gt=moment
    ).select_related("organization", "delegator")
    for delegation in delegations:
        # The delegation is worth only what the delegator still holds.
        if RoleGrant.objects.filter(
            person_id=delegation.delegator_id,
            organization_id=delegation.organization_id,
            role=delegation.role,
            revoked_at__isnull=True,
        ).exists():
            delegated.append(
                HeldRole(
                    delegation.role,
                    delegation.organization_id,
                    delegation.organization.path,
                    delegation.delegator,
                )
            )
    roles = tuple(own + delegated)
    if at is None:
        setattr(account, _CACHE_ATTR, roles)
    return roles


def forget(account: Any) -> None:
    """Drop the cached roles (after a grant or delegation changed in the same request)."""
    if hasattr(account, _CACHE_ATTR):
        delattr(account, _CACHE_ATTR)


def has_role(account: Any, roles: Iterable[str], organization: Organization) -> Decision:
    """Whether ``account`` holds one of ``roles`` over ``organization``; own grants win over delegated."""
    wanted = set(roles)
    via_delegation: Person | None = None
    for held in held_roles(account):
        if held.role in wanted and held.covers(organization):
            if held.delegator is None:
                return ALLOW
            via_delegation = via_delegation or held.delegator
    return Decision(True, via_delegation) if via_delegation else DENY


def is_signed_in(account: Any) -> bool:
    return isinstance(account, Account) and account.is_active


# --- administration -----------------------------------------------------------------------------


def can_administer(account: Any, organization: Organization) -> Decision:
    """Create, edit and restructure organisations; manage people, accounts and roles inside them."""
    if not is_signed_in(account):
        return DENY
    if account.is_superuser:
        return ALLOW
    return has_role(account, [Role.ADMINISTRATOR], organization)


def is_administrator(account: Any) -> bool:
    """May open the administration area at all (administers at least one organisation)."""
    if not is_signed_in(account):
        return False
    return bool(account.is_superuser) or any(h.role == Role.ADMINISTRATOR for h in held_roles(account))


def administered_paths(account: Any) -> list[str] | None:
    """Tree paths the account administers; None means everything (installation administrator)."""
    if not is_signed_in(account):
        return []
    if account.is_superuser:
        return None
    return [h.path for h in held_roles(account) if h.role == Role.ADMINISTRATOR]


def paths_q(paths: list[str] | None, prefix: str) -> Q:
    """Objects whose organisation (at ``prefix``) lies under one of ``paths``; None means everything."""
    if paths is None:
        # "Everything". Not Q(): an empty Q vanishes when OR-ed with another condition.
        return ~Q(pk__in=[])
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{prefix}path__startswith": path})
    return query


def administered_q(account: Any, prefix: str = "") -> Q:
    """A filter for objects whose organisation (at ``prefix``) lies in the account's scope."""
    return paths_q(administered_paths(account), prefix)


def staff_managed_q(account: Any, prefix: str = "") -> Q:
    """A filter for organisations where ``can_manage_staff`` holds (administered, led or headed)."""
    paths = administered_paths(account)
    if paths is not None:
        paths = paths + [h.path for h in held_roles(account) if h.role in STAFF_ROLES]
    return paths_q(paths, prefix)


def can_create_top_level(account: Any) -> bool:
    """Only the installation administrator adds organisations at the root of the tree."""
    return is_signed_in(account) and bool(account.is_superuser)


def can_place_under(account: Any, parent: Organization | None) -> bool:
    """Create an organisation under ``parent``, or move one there (None: the top of the tree)."""
    if parent is None:
        return can_create_top_level(account)
    return bool(can_administer(account, parent))


def can_assign_to(account: Any, organization: Organization | None) -> bool:
    """Make ``organization`` a person's organisation; only the installation administrator leaves it empty,
    so that a scoped administrator cannot move a person out of everyone's scope."""
    if organization is None:
        return is_signed_in(account) and bool(account.is_superuser)
    return bool(can_administer(account, organization))


# --- people -------------------------------------------------------------------------------------


def can_view_directory(account: Any) -> bool:
    """The organisation tree and the list of persons: every signed-in person."""
    return is_signed_in(account)


def can_manage_person(account: Any, person: Person) -> Decision:
    """Edit a person's record, accounts, roles: administrators over the person's organisation."""
    if not is_signed_in(account):
        return DENY
    if account.is_superuser:
        return ALLOW
    if person.organization_id is None:
        return DENY
    return can_administer(account, person.organization)  # type: ignore[arg-type]


def can_manage_staff(account: Any, organization: Organization) -> Decision:
    """Record positions held in an organisation: its administrators, or its leaders and heads.

    A unit head keeps the record of who holds which position in the unit; a deputy acting under the
    head's delegation does so on the head's behalf.
    """
    decision = can_administer(account, organization)
    if decision:
        return decision
    return has_role(account, STAFF_ROLES, organization)


def can_view_confidential_person_fields(account: Any, person: Person) -> bool:
    """Clearance and date of birth: the person themself and administrators over them."""
    if is_signed_in(account) and account.person_id == person.pk:
        return True
    return bool(can_manage_person(account, person))


# --- accounts, tokens, delegations ----------------------------------------------------------------


def can_manage_account(account: Any, target: Account) -> bool:
    """Unlock, disable, set a password, read the history: administrators over the account's person."""
    if not is_signed_in(account):
        return False
    if account.is_superuser:
        return True
    return target.person is not None and bool(can_manage_person(account, target.person))


def can_view_account(account: Any, target: Account) -> bool:
    return is_signed_in(account) and (account.pk == target.pk or can_manage_account(account, target))


def can_delegate(account: Any, role: str, organization: Organization) -> bool:
    """Hand a role to someone: its own holder (not a delegate of it), or an administrator over it."""
    if role not in DELEGABLE_ROLES:
        return False
    if can_administer(account, organization):
        return True
    decision = has_role(account, [role], organization)
    return decision.allowed and decision.on_behalf_of is None


def can_view_delegation(account: Any, delegation: Delegation) -> bool:
    if not is_signed_in(account):
        return False
    if account.person_id in (delegation.delegator_id, delegation.delegate_id):
        return True
    return bool(can_administer(account, delegation.organization))


def can_revoke_delegation(account: Any, delegation: Delegation) -> bool:
    if not is_signed_in(account):
        return False
    return account.person_id == delegation.delegator_id or bool(can_administer(account, delegation.organization))


def can_view_audit(account: Any) -> bool:
    """The audit log pages: administrators (each sees the history of what they administer)."""
    return is_administrator(account)
