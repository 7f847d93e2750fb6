"""What an installation configures once: document types, registers and their number series.

Rules change (a new Party regulation in 2026, new agency codes after the 2025 mergers), so types,
abbreviations and numbering schemes are data with effective dates, seeded from
``rules.doc_numbers`` and reviewed by an administrator, never constants in code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization


class DocumentSystem(models.TextChoices):
    STATE = "state", _("State (Decree 30/2020)")
    PARTY = "party", _("Party (36-HD/VPTW)")


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming (văn bản đến)")
    OUTGOING = "out", _("Outgoing (văn bản đi)")


class NumberingScheme(models.TextChoices):
    YEARLY = "yearly", _("Yearly, from 01 on 1 January")
    TERM = "term", _("Per committee term, from 01 after each congress")


class DocumentType(models.Model):
    """A type of document (Quyết định, Công văn, Nghị quyết…) with its abbreviation in symbols."""

    system = models.CharField(_("system"), max_length=8, choices=DocumentSystem.choices)
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(pgettext_lazy("document type", "name"), max_length=100)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=10, blank=True, help_text=_("Empty for a State official letter (Công văn).")
    )
    normative = models.BooleanField(
        _("legal-normative"), default=False, help_text=_("Its symbol carries the year: 15/2025/NQ-HĐND.")
    )
    edxml_type = models.PositiveSmallIntegerField(_("edXML type group"), null=True, blank=True)
    edxml_type_detail = models.PositiveSmallIntegerField(_("edXML type number"), null=True, blank=True)
    verified = models.BooleanField(
        _("verified against the regulation"),
        default=True,
        help_text=_("Unchecked where the default was taken from implementations only; review it."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["system", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["system", "key"], name="doctype_unique_key")]

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """A register (sổ văn bản) kept by a body's văn thư: incoming or outgoing, with its numbering.

    Incoming registers give arrival numbers (số đến), one yearly series for paper and electronic
    arrivals together. Outgoing registers number documents at issue: State registers yearly from 01,
    Party registers per document type within the committee term. A State register for secret
    documents is a separate register (its own series), as Decree 30 Art. 15 requires.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="registers", verbose_name=_("body")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    name = models.CharField(pgettext_lazy("register", "name"), max_length=120)
    system = models.CharField(_("system"), max_length=8, choices=DocumentSystem.choices)
    issuer_abbreviation = models.CharField(
        _("issuer abbreviation"), max_length=30, blank=True, help_text=_("After the type in symbols: UBND, TU, VPTU.")
    )
    numbering = models.CharField(
        _("numbering"), max_length=8, choices=NumberingScheme.choices, default=NumberingScheme.YEARLY
    )
    per_type = models.BooleanField(
        _("a series per document type"),
        default=False,
        help_text=_("Party registers and legal-normative documents always number each type separately."),
    )
    term_started_on = models.DateField(
        _("committee term started on"),
        null=True,
        blank=True,
        help_text=_("Party registers: the day after the congress closed; numbers start again from 01."),
    )
    secret = models.BooleanField(_("for secret documents"), default=False)
    place = models.CharField(
        _("place of issue"), max_length=50, blank=True, help_text=_("Printed before the date: “Sơn Hà, ngày …”.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["organization__path", "direction", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "direction", "name"], name="register_unique_name"),
            models.CheckConstraint(
                condition=Q(numbering="yearly") | Q(term_started_on__isnull=False),
                name="register_term_needs_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.organization}"


class NumberSeries(models.Model):
    """One running series: a register, a period (a year or a committee term) and, where the rules
    say so, a document type. ``last_number`` is raised only inside the transaction that gives the
    number to a document, with the row locked, so numbers are never duplicated or skipped."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="series")
    period = models.CharField(_("period"), max_length=24)
    type_key = models.CharField(_("document type"), max_length=40, default="", blank=True)
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["register", "period", "type_key"], name="series_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.period} {self.type_key}".strip()


class WithdrawnNumber(models.Model):
    """A number taken back (văn bản bị thu hồi số): recorded with its reason, never silently reused."""

    series = models.ForeignKey(NumberSeries, on_delete=models.PROTECT, related_name="withdrawn")
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("number and symbol"), max_length=60)
    reason = models.TextField(_("reason"))
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="withdrawn_numbers"
    )
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("withdrawn number")
        verbose_name_plural = _("withdrawn numbers")
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="withdrawn_once")]

    def __str__(self) -> str:
        return self.symbol


class DirectionTemplate(models.Model):
    """A leader's saved direction (ý kiến chỉ đạo) with the units it usually goes to."""

    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="direction_templates")
    title = models.CharField(_("title"), max_length=80)
    text = models.TextField(_("direction"))
    lead_unit = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deadline_days = models.PositiveSmallIntegerField(_("deadline in working days"), null=True, blank=True)

    class Meta:
        verbose_name = _("direction template")
        verbose_name_plural = _("direction templates")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["person", "title"], name="direction_template_unique")]

    def __str__(self) -> str:
        return self.title
