"""Roles people hold in organisations, and delegations of a role while its holder is absent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.models.organizations import Organization
from vanphong.core.models.people import Person


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    HEAD = "head", _("Head of unit")
    SPECIALIST = "specialist", _("Specialist")
    CLERK = "clerk", _("Clerk (văn thư)")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles a holder may hand to someone else while absent (ủy quyền).
DELEGABLE_ROLES = (Role.LEADER, Role.DEPUTY, Role.HEAD)


class RoleGrant(models.Model):
    """A role held in an organisation. A grant is never deleted: revoking sets ``revoked_at``."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("person"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["organization__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"],
                condition=Q(revoked_at__isnull=True),
                name="rolegrant_one_active_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.organization}"


class Delegation(models.Model):
    """A holder hands a role to a deputy for a period (ủy quyền); acts under it are "on behalf of"."""

    delegator = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegations_given", verbose_name=_("on behalf of")
    )
    delegate = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegations_received", verbose_name=_("delegate")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="delegation_ends_after_start"),
            models.CheckConstraint(condition=~Q(delegator=models.F("delegate")), name="delegation_not_to_self"),
        ]
        indexes = [models.Index(fields=["delegate", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate} ({self.get_role_display()})"
