"""Persons, the positions they hold in organisations over time, and their security clearance."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models.organizations import Organization


class Clearance(models.IntegerChoices):
    """Security clearance, ordered so that ``person.clearance >= level`` is the check."""

    NONE = 0, pgettext_lazy("clearance", "None")
    MAT = 1, _("Secret (Mật)")
    TOI_MAT = 2, _("Top secret (Tối mật)")
    TUYET_MAT = 3, _("Absolutely secret (Tuyệt mật)")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "", _("Not stated")


class PersonQuerySet(models.QuerySet["Person"]):
    def in_vietnamese_order(self) -> PersonQuerySet:
        """The Vietnamese order: given name, then family name, then middle names."""
        return self.order_by("sort_key", "id")


class Person(models.Model):
    """A person the office works with: staff, leaders, members of bodies, delegates."""

    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=60, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=60, blank=True)
    given_name = models.CharField(_("given name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True, default="")
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The organisation the person works in now."),
    )
    clearance = models.PositiveSmallIntegerField(_("security clearance"), choices=Clearance.choices, default=0)
    is_active = models.BooleanField(_("active"), default=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    search_text = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["organization", "sort_key"])]

    def __str__(self) -> str:
        return self.full_name


class Position(models.Model):
    """A position title (Bí thư, Chánh Văn phòng, Chuyên viên…), ranked for ordering lists."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=100, help_text=_("Lower ranks are listed first."))
    is_leadership = models.BooleanField(_("leadership position"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class PositionHolding(models.Model):
    """A person holding a position in an organisation from one date to another (or still)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("person"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("organisation")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("position")
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position held")
        verbose_name_plural = _("positions held")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="holding_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["organization", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.position} – {self.organization}"
