"""Documents: one table for incoming (văn bản đến) and outgoing (văn bản đi) documents.

Both share the Decree 30 metadata (type, number and symbol, date, trích yếu, signer, urgency,
secrecy, pages) and everything built on it (files, search, archive files, access rules); the
fields of one direction stay empty on the other. The extracted full text lives in
``DocumentText`` so that the register lists scan a narrow table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization, Person
from vanphong.documents.models.catalogue import Direction, DocumentType, NumberSeries, Register


class Urgency(models.IntegerChoices):
    """Độ khẩn, numbered as edXML's Priority (QCVN 102 §1.11)."""

    NORMAL = 0, pgettext_lazy("urgency", "Normal")
    URGENT = 1, _("Urgent (Khẩn)")
    VERY_URGENT = 2, _("Very urgent (Thượng khẩn)")
    EXPRESS = 3, _("Express (Hỏa tốc)")
    EXPRESS_TIMED = 4, _("Express, timed (Hỏa tốc hẹn giờ)")


class Secrecy(models.IntegerChoices):
    """Độ mật, ordered like ``core.Clearance`` so that ``clearance >= secrecy`` is the check."""

    NONE = 0, pgettext_lazy("secrecy", "Not secret")
    MAT = 1, _("Secret (Mật)")
    TOI_MAT = 2, _("Top secret (Tối mật)")
    TUYET_MAT = 3, _("Absolutely secret (Tuyệt mật)")


class Channel(models.TextChoices):
    PAPER = "paper", _("Paper")
    EDXML = "edxml", _("Electronic (edXML)")
    INTERNAL = "internal", _("Internal")


class Status(models.TextChoices):
    # incoming
    REGISTERED = "registered", _("Registered, to present")
    PRESENTED = "presented", _("Presented, awaiting direction")
    IN_PROGRESS = "in_progress", _("Being handled")
    COMPLETED = "completed", _("Completed")
    RETURNED = "returned", _("Returned to sender")
    # outgoing
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved, to sign")
    SIGNED = "signed", _("Signed, to number")
    ISSUED = "issued", _("Issued")
    DISPATCHED = "dispatched", _("Dispatched")
    RECALLED = "recalled", _("Recalled")


INCOMING_OPEN = (Status.REGISTERED, Status.PRESENTED, Status.IN_PROGRESS)


class Document(models.Model):
    """A document in a register. Created and changed only through ``documents.services``."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="documents")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    document_type = models.ForeignKey(
        DocumentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    # The document's own number and symbol, as printed on it (for outgoing: given at issue).
    number_symbol = models.CharField(_("number and symbol"), max_length=60, blank=True)
    symbol_key = models.CharField(max_length=60, blank=True, editable=False)
    series = models.ForeignKey(NumberSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    abstract = models.TextField(_("abstract (trích yếu)"))
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=120, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.PositiveSmallIntegerField(_("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("copies"), null=True, blank=True)
    handling_deadline = models.DateField(_("handling deadline"), null=True, blank=True)

    # incoming
    arrival_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    channel = models.CharField(_("received as"), max_length=8, choices=Channel.choices, default=Channel.PAPER)
    sender = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sender")
    )
    sender_name = models.CharField(_("sender"), max_length=255, blank=True)
    sender_code = models.CharField(_("sender's identifier code"), max_length=35, blank=True)
    # NULL, not "": documents without a package must not collide in the unique constraint below.
    edxml_document_id = models.CharField(max_length=120, null=True, blank=True, editable=False)  # noqa: DJ001
    presented_to = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("presented to")
    )
    presented_at = models.DateTimeField(_("presented at"), null=True, blank=True)
    direction_text = models.TextField(_("direction (ý kiến chỉ đạo)"), blank=True)
    directed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    directed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    # outgoing
    drafting_unit = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafting unit"),
    )
    drafter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafter")
    )
    signer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    signer_authority = models.CharField(
        _("signing authority"),
        max_length=16,
        blank=True,
        help_text=_("TM., KT., TL., TUQ., Q. (Party: T/M, K/T, T/L)."),
    )
    content = models.TextField(_("content"), blank=True)
    place = models.CharField(_("place of issue"), max_length=50, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies", verbose_name=_("reply to")
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "arrival_year", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="document_arrival_number_once",
            ),
            models.UniqueConstraint(
                fields=["series", "number"], condition=Q(number__isnull=False), name="document_number_once"
            ),
            models.UniqueConstraint(
                fields=["register", "edxml_document_id"],
                condition=Q(edxml_document_id__isnull=False),
                name="document_edxml_once",
            ),
        ]
        indexes = [
            models.Index(fields=["register", "-arrival_year", "-arrival_number"], name="doc_register_arrival"),
            models.Index(fields=["register", "status", "-id"], name="doc_register_status"),
            models.Index(fields=["status", "handling_deadline"], name="doc_status_deadline"),
            models.Index(fields=["symbol_key"], name="doc_symbol_key"),
            models.Index(fields=["presented_to", "status"], name="doc_presented_status"),
        ]

    def __str__(self) -> str:
        if self.number_symbol:
            return f"{self.number_symbol} – {self.abstract[:80]}"
        return self.abstract[:80]

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.INCOMING


class DocumentText(models.Model):
    """What full-text search reads, kept beside the document and rewritten whenever it changes.

    ``exact`` is the text as written (NFC, lower case), ``folded`` the same without diacritics and
    with đ→d (so "dang uy" finds "Đảng ủy"), ``symbols`` the numbers and symbols squashed into single
    tokens (so "57-NQ/TW" and "12/2024/NQ-HĐND" are found whole). The search index (FTS5 on SQLite,
    a tsvector on PostgreSQL) is kept in step with this table by the database itself; see
    ``documents.search``.
    """

    document = models.OneToOneField(Document, primary_key=True, on_delete=models.CASCADE, related_name="text")
    exact = models.TextField(default="")
    folded = models.TextField(default="")
    symbols = models.TextField(default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"text of {self.document_id}"
