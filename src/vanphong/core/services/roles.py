"""Writes about roles held in organisations and delegations of a role while its holder is absent."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit, policy
from vanphong.core.audit import Actor
from vanphong.core.models import Delegation, Organization, Person, Role, RoleGrant
from vanphong.core.models.roles import DELEGABLE_ROLES
from vanphong.lib.vntext import nfc


@transaction.atomic
def grant_role(actor: Actor, person: Person, organization: Organization, role: str) -> RoleGrant:
    """Give ``person`` ``role`` over ``organization`` (and everything below it)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if not organization.is_active:
        raise ValidationError({"organization": _("The organisation has been dissolved.")})
    if RoleGrant.objects.filter(person=person, organization=organization, role=role, revoked_at__isnull=True).exists():
        raise ValidationError(
            {
                "role": _("{person} already has this role in {organization}.").format(
                    person=person.full_name, organization=organization.full_name
                )
            },
            code="duplicate_role",
        )
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                person=person, organization=organization, role=role, granted_by=actor.account
            )
    except IntegrityError:  # the same grant made a moment ago by someone else
        raise ValidationError(
            {"role": _("Someone else has just granted this role; it is already in place.")}, code="duplicate_role"
        ) from None
    audit.record(actor, "role.grant", grant, after={"person": person.pk, "organization": organization.pk, "role": role})
    if actor.account is not None:
        policy.forget(actor.account)
    return grant


@transaction.atomic
def revoke_role(actor: Actor, grant: RoleGrant) -> None:
    updated = RoleGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated != 1:
        raise ValidationError(_("This role has already been revoked."), code="already_revoked")
    audit.record(actor, "role.revoke", grant, before={"role": grant.role, "person": grant.person_id})
    if actor.account is not None:
        policy.forget(actor.account)


@transaction.atomic
def create_delegation(
    actor: Actor,
    *,
    delegator: Person,
    delegate: Person,
    organization: Organization,
    role: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
) -> Delegation:
    """Hand ``delegator``'s role to ``delegate`` for a period (ủy quyền)."""
    errors: dict[str, str] = {}
    reason = nfc(reason)
    if role not in DELEGABLE_ROLES:
        errors["role"] = _("Only the roles of leader, deputy leader and head of unit can be delegated.")
    elif not RoleGrant.objects.filter(
        person=delegator, organization=organization, role=role, revoked_at__isnull=True
    ).exists():
        errors["role"] = _("{person} does not hold this role in {organization}.").format(
            person=delegator.full_name, organization=organization.full_name
        )
    if delegate.pk == delegator.pk:
        errors["delegate"] = _("A role cannot be delegated to its own holder.")
    elif not delegate.is_active:
        errors["delegate"] = _("The delegate is no longer active.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("The period has already ended.")
    elif ends_at - starts_at > datetime.timedelta(days=366):
        errors["ends_at"] = _("A delegation is limited in time: at most one year.")
    if not reason:
        errors["reason"] = _("Give the reason, e.g. a business trip or leave.")
    if errors:
        raise ValidationError(errors)
    delegation = Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        organization=organization,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=actor.account,
    )
    audit.record(
        actor,
        "delegation.create",
        delegation,
        after={
            "delegator": delegator.pk,
            "delegate": delegate.pk,
            "organization": organization.pk,
            "role": role,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "reason": reason,
        },
    )
    return delegation


@transaction.atomic
def revoke_delegation(actor: Actor, delegation: Delegation) -> None:
    updated = Delegation.objects.filter(pk=delegation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated != 1:
        raise ValidationError(_("This delegation has already been revoked."), code="already_revoked")
    audit.record(actor, "delegation.revoke", delegation)
