"""Bodies (cơ quan) and their internal units (phòng, ban) as one tree, with their history.

One model serves both: an internal unit is an Organization of kind INTERNAL_UNIT whose parent is the
body it belongs to. Everything that hangs off an organisation (positions, roles, later documents and
tasks) then works the same for a body and for a unit. The tree is kept as a materialised path
(``/1/7/42/``) so that "this organisation and everything below it" is one indexed prefix query.

Nothing is deleted: a body that is merged, split or dissolved gets ``dissolved_on`` and successor
links through a Restructuring; every change of name, code or parent writes an OrganizationRecord
valid from an effective date, so the tree can be read "as of" any date.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrgKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_ADVISORY = "party_advisory", _("Party advisory body")
    PARTY_ORGANIZATION = "party_organization", _("Party organisation")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    STATE_AGENCY = "state_agency", _("State agency")
    MASS_ORGANIZATION = "mass_organization", _("Mass organisation")
    INTERNAL_UNIT = "internal_unit", _("Internal unit")


class OrgLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def active_on(self, day: datetime.date) -> OrganizationQuerySet:
        """Organisations that existed on ``day`` (established on or before it, not yet dissolved)."""
        return self.filter(Q(established_on__isnull=True) | Q(established_on__lte=day)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )

    def active(self) -> OrganizationQuerySet:
        return self.filter(dissolved_on__isnull=True)

    def subtree(self, root: Organization) -> OrganizationQuerySet:
        """``root`` and every organisation below it."""
        return self.filter(path__startswith=root.path)

    def bodies(self) -> OrganizationQuerySet:
        return self.exclude(kind=OrgKind.INTERNAL_UNIT)

    def units(self) -> OrganizationQuerySet:
        return self.filter(kind=OrgKind.INTERNAL_UNIT)


class Organization(models.Model):
    """A body (Tỉnh ủy, UBND tỉnh, Sở Nội vụ, UBND xã…) or an internal unit (Phòng Tổng hợp…)."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=OrgLevel.choices, default=OrgLevel.PROVINCE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    full_name = models.CharField(pgettext_lazy("organisation", "full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=30,
        help_text=_("Used in document symbols, e.g. TU, VPTU, UBND, BTCTU, VX."),
    )
    # NULL, not "": bodies without a code must not collide in the unique constraint.
    identifier_code = models.CharField(  # noqa: DJ001
        _("identifier code"),
        max_length=35,
        null=True,
        blank=True,
        help_text=_("Electronic identifier code (mã định danh), e.g. 000.00.00.H49."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_code"],
                condition=Q(identifier_code__isnull=False),
                name="organization_identifier_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gt=models.F("established_on")),
                name="organization_dissolved_after_established",
            ),
        ]
        indexes = [models.Index(fields=["kind", "level"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_internal_unit(self) -> bool:
        return self.kind == OrgKind.INTERNAL_UNIT

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this organisation, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class OrganizationRecord(models.Model):
    """One version of an organisation's names, code and place in the tree, valid over a period."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="records")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(pgettext_lazy("organisation", "full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    identifier_code = models.CharField(_("identifier code"), max_length=35, null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("organisation record")
        verbose_name_plural = _("organisation records")
        ordering = ["organization_id", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.valid_from}–{self.valid_to or ''})"


class RestructuringKind(models.TextChoices):
    ESTABLISH = "establish", _("Establish")
    RENAME = "rename", _("Rename")
    MOVE = "move", _("Move under another parent")
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolve")


class Restructuring(models.Model):
    """A decision that changed the organisation tree, with its effective date and successor links."""

    kind = models.CharField(_("kind"), max_length=16, choices=RestructuringKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(
        _("decision"),
        max_length=255,
        blank=True,
        help_text=_("The decision that ordered it, e.g. Nghị quyết số 1656/NQ-UBTVQH15."),
    )
    note = models.TextField(_("note"), blank=True)
    predecessors = models.ManyToManyField(Organization, related_name="restructurings_as_predecessor", blank=True)
    successors = models.ManyToManyField(Organization, related_name="restructurings_as_successor", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"
