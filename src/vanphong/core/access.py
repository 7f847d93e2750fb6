"""Reads with permission: every view, API endpoint and command fetches core objects through here.

Each ``access_*`` helper returns the object or raises Http404 (not visible: its existence is not
revealed) or PermissionDenied (visible, but the asked-for change is not allowed). List helpers
return querysets already narrowed to what the person may see.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from vanphong.core import audit, policy
from vanphong.core.models import (
    Account,
    ApiToken,
    AuditEntry,
    Delegation,
    Organization,
    OrganizationRecord,
    Person,
    PositionHolding,
    RoleGrant,
)
from vanphong.core.models.organizations import OrganizationQuerySet


def _require_signed_in(user: Any) -> None:
    if not policy.is_signed_in(user):
        raise PermissionDenied


# --- organisations --------------------------------------------------------------------------------------


def organizations_visible_to(user: Any) -> OrganizationQuerySet:
    if not policy.can_view_directory(user):
        return Organization.objects.none()
    return Organization.objects.all()


def access_organization(user: Any, pk: int, *, write: bool = False) -> Organization:
    org = organizations_visible_to(user).select_related("parent").filter(pk=pk).first()
    if org is None:
        raise Http404
    if write and not policy.can_administer(user, org):
        raise PermissionDenied
    return org


def organizations_administered_by(user: Any) -> OrganizationQuerySet:
    return Organization.objects.filter(policy.administered_q(user))


def tree_as_of(day: datetime.date) -> list[OrganizationRecord]:
    """The versions of every organisation valid on ``day`` (names, codes, parents as they were)."""
    return list(
        OrganizationRecord.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .filter(Q(organization__established_on__isnull=True) | Q(organization__established_on__lte=day))
        .filter(Q(organization__dissolved_on__isnull=True) | Q(organization__dissolved_on__gt=day))
        .select_related("organization")
        .order_by("organization__path")
    )


# --- persons --------------------------------------------------------------------------------------------


def persons_visible_to(user: Any) -> QuerySet[Person]:
    if not policy.can_view_directory(user):
        return Person.objects.none()
    return Person.objects.all()


def access_person(user: Any, pk: int, *, write: bool = False) -> Person:
    person = persons_visible_to(user).select_related("organization").filter(pk=pk).first()
    if person is None:
        raise Http404
    if write and not policy.can_manage_person(user, person):
        raise PermissionDenied
    return person


def access_position_holding(user: Any, pk: int) -> tuple[PositionHolding, policy.Decision]:
    """A position held, for closing it: (holding, decision carrying any "on behalf of")."""
    if not policy.can_view_directory(user):
        raise Http404
    holding = PositionHolding.objects.select_related("person", "organization", "position").filter(pk=pk).first()
    if holding is None:
        raise Http404
    decision = policy.can_manage_staff(user, holding.organization)
    if not decision:
        raise PermissionDenied
    return holding, decision


def read_confidential_person_fields(user: Any, person: Person, actor: Any) -> bool:
    """Whether the page may show the person's confidential fields (clearance, date of birth).

    Every such read by someone other than the person is recorded in the audit log.
    """
    if not policy.can_view_confidential_person_fields(user, person):
        return False
    if user.person_id != person.pk:
        audit.record_in_transaction(actor, "person.read_confidential", obj=person)
    return True


def persons_managed_by(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(policy.administered_q(user, "organization__"))


# --- accounts, roles, delegations, tokens --------------------------------------------------------------------


def accounts_visible_to(user: Any) -> QuerySet[Account]:
    if not policy.is_signed_in(user):
        return Account.objects.none()
    if user.is_superuser:
        return Account.objects.all()
    return Account.objects.filter(Q(pk=user.pk) | policy.administered_q(user, "person__organization__"))


def access_account(user: Any, pk: int, *, write: bool = False) -> Account:
    account = accounts_visible_to(user).select_related("person", "person__organization").filter(pk=pk).first()
    if account is None:
        raise Http404
    if write and not policy.can_manage_account(user, account):
        raise PermissionDenied
    return account


def role_grants_visible_to(user: Any) -> QuerySet[RoleGrant]:
    if not policy.is_signed_in(user):
        return RoleGrant.objects.none()
    return RoleGrant.objects.filter(
        Q(person_id=user.person_id) | policy.administered_q(user, "organization__")
    ).select_related("person", "organization")


def access_role_grant(user: Any, pk: int, *, write: bool = False) -> RoleGrant:
    grant = role_grants_visible_to(user).filter(pk=pk).first()
    if grant is None:
        raise Http404
    if write and not policy.can_administer(user, grant.organization):
        raise PermissionDenied
    return grant


def delegations_visible_to(user: Any) -> QuerySet[Delegation]:
    if not policy.is_signed_in(user):
        return Delegation.objects.none()
    mine = Q(delegator_id=user.person_id) | Q(delegate_id=user.person_id) if user.person_id else Q(pk__in=[])
    return Delegation.objects.filter(mine | policy.administered_q(user, "organization__")).select_related(
        "delegator", "delegate", "organization"
    )


def access_delegation(user: Any, pk: int, *, write: bool = False) -> Delegation:
    delegation = delegations_visible_to(user).filter(pk=pk).first()
    if delegation is None:
        raise Http404
    if write and not policy.can_revoke_delegation(user, delegation):
        raise PermissionDenied
    return delegation


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A person sees and revokes only their own tokens."""
    if not policy.is_signed_in(user):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(account=user)


def access_token(user: Any, pk: int) -> ApiToken:
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


# --- audit ---------------------------------------------------------------------------------------------------


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """The audit log as far as the person administers it.

    The installation administrator sees everything; an administrator of part of the tree sees the
    entries about organisations and persons in that part, and the acts of the people working there.
    """
    if not policy.can_view_audit(user):
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    orgs = organizations_administered_by(user).annotate(text_pk=Cast("pk", CharField()))
    persons = persons_managed_by(user)
    return AuditEntry.objects.filter(
        Q(object_type="core.organization", object_id__in=orgs.values("text_pk"))
        | Q(
            object_type="core.person",
            object_id__in=persons.annotate(text_pk=Cast("pk", CharField())).values("text_pk"),
        )
        | Q(actor__person__in=persons.values("pk"))
    )


def object_history(user: Any, obj: Organization | Person | Account) -> QuerySet[AuditEntry]:
    """The audit history of one object, if the person may administer it (else 404)."""
    if isinstance(obj, Organization):
        allowed = bool(policy.can_administer(user, obj))
    elif isinstance(obj, Person):
        own = policy.is_signed_in(user) and user.person_id == obj.pk
        allowed = own or bool(policy.can_manage_person(user, obj))
    else:
        allowed = policy.can_manage_account(user, obj)
    if not allowed:
        raise Http404
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("-seq")
