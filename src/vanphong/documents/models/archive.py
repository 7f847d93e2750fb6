"""Archive files (hồ sơ), Decree 30/2020 Art. 28–31, with the TT 02/2019/TT-BNV file metadata.

A body approves its yearly file list (``FileList``, Danh mục hồ sơ) each January; each file in it
(``ArchiveFile``) is kept by a unit and a handler, who opens it, puts documents in it (``FileItem``,
numbered in order, DocOrdinal) and closes it when the work ends. Files kept five years or more are
handed over to the agency archive within a year of closing (capital construction files: three months
after the works' final settlement), unless the head of the body lets the unit keep them longer (at most
two years). A closed file not yet handed over may be reopened, with a reason. A document may be in
several files.
Everything changes only through ``documents.services.archive``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization, Person
from vanphong.documents.models.documents import Document
from vanphong.rules import archive_files


class FileListState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("file list", "Draft")
    APPROVED = "approved", pgettext_lazy("file list", "Approved")


class FileList(models.Model):
    """A body's file list for one year (Danh mục hồ sơ), drafted and approved in January."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="file_lists", verbose_name=_("body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=FileListState.choices, default=FileListState.DRAFT)
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file list (danh mục hồ sơ)")
        verbose_name_plural = _("file lists (danh mục hồ sơ)")
        ordering = ["organization__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="file_list_once_a_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(approved_at__isnull=False), name="file_list_approved_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class FileState(models.TextChoices):
    PLANNED = "planned", _("Planned in the list, not opened")
    OPEN = "open", pgettext_lazy("archive file", "Open")
    CLOSED = "closed", pgettext_lazy("archive file", "Closed")
    HANDED_OVER = "handed_over", _("Handed over to the agency archive")


class AccessRegime(models.TextChoices):
    """TT 02/2019 ``Rights``: how the file may be used once archived."""

    OPEN = "open", _("Open use")
    RESTRICTED = "restricted", _("Restricted use")


class ArchiveFile(models.Model):
    """A file (hồ sơ) in a yearly list: its code, title, retention, keeper, and TT 02/2019 metadata.

    ``retention_years`` empty means permanent (vĩnh viễn). ``doc_total``, ``page_total``, ``start_date``
    and ``end_date`` are computed from the items when the file is closed; ``handover_due`` then too (from
    ``settled_on`` for a capital construction file), and it becomes ``held_until`` when the unit is
    allowed to keep the file longer (giữ lại, Decree 30 Art. 30 para. 2).
    """

    file_list = models.ForeignKey(FileList, on_delete=models.PROTECT, related_name="files", verbose_name=_("list"))
    number = models.PositiveSmallIntegerField(_("number in the list"))
    code = models.CharField(_("file code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    retention_years = models.PositiveSmallIntegerField(
        _("retention in years"), null=True, blank=True, help_text=_("Empty: kept permanently (vĩnh viễn).")
    )
    unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="archive_files", verbose_name=_("unit keeping it")
    )
    handler = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="archive_files", verbose_name=_("handler")
    )
    state = models.CharField(_("state"), max_length=12, choices=FileState.choices, default=FileState.PLANNED)
    # TT 02/2019/TT-BNV file metadata
    rights = models.CharField(
        _("access regime"), max_length=12, choices=AccessRegime.choices, default=AccessRegime.OPEN
    )
    language = models.CharField(_("language"), max_length=50, default="Tiếng Việt")
    description = models.CharField(_("description"), max_length=500, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    information_code = models.CharField(_("information code (InforSign)"), max_length=30, blank=True)
    capital_construction = models.BooleanField(
        _("capital construction file (hồ sơ xây dựng cơ bản)"),
        default=False,
        help_text=_("Handed over three months after the works' final settlement (Decree 30 Art. 30)."),
    )
    settled_on = models.DateField(_("final settlement (quyết toán) approved on"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    doc_total = models.PositiveIntegerField(_("documents"), null=True, blank=True)
    page_total = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # the file's life
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    handover_due = models.DateField(_("to hand over by"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handover_record = models.CharField(_("hand-over record (biên bản giao nhận)"), max_length=120, blank=True)
    handed_over_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reopened_on = models.DateField(_("last reopened on"), null=True, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)
    # kept by the unit past the hand-over day (giữ lại), with the consent of the head of the body
    held_until = models.DateField(_("kept by the unit until"), null=True, blank=True)
    hold_reason = models.CharField(_("reason for keeping it"), max_length=500, blank=True)
    hold_approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("keeping approved by")
    )
    hold_approved_on = models.DateField(_("keeping approved on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("archive file (hồ sơ)")
        verbose_name_plural = _("archive files (hồ sơ)")
        ordering = ["file_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["file_list", "number"], name="archive_file_number_once"),
            models.UniqueConstraint(fields=["file_list", "code"], name="archive_file_code_once"),
            models.CheckConstraint(
                condition=Q(retention_years__isnull=True) | Q(retention_years__gte=1), name="archive_file_retention"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "open"]) | Q(closed_on__isnull=False), name="archive_file_closed_on"
            ),
            models.CheckConstraint(
                condition=Q(capital_construction=True) | Q(settled_on__isnull=True), name="archive_file_settled_on"
            ),
            models.CheckConstraint(
                condition=Q(held_until__isnull=True) | (~Q(hold_reason="") & Q(hold_approved_by__isnull=False)),
                name="archive_file_hold_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "handover_due"], name="archive_file_due"),
            models.Index(fields=["handler", "state"], name="archive_file_handler"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title[:80]}"

    @property
    def permanent(self) -> bool:
        return self.retention_years is None

    @property
    def goes_to_archive(self) -> bool:
        return archive_files.must_hand_over(self.retention_years)

    @property
    def due_by_decree(self) -> datetime.date | None:
        """The hand-over day Decree 30 Art. 30 para. 1 fixes at closing, before any hold-back."""
        if self.closed_on is None or not self.goes_to_archive:
            return None
        settled = self.settled_on if self.capital_construction else None
        return archive_files.file_handover_due(self.closed_on, settled_on=settled)

    @property
    def hold_back_limit(self) -> datetime.date | None:
        """The last day the unit may keep the file (two years after ``due_by_decree``)."""
        due = self.due_by_decree
        return archive_files.hold_back_limit(due) if due is not None else None


class FileItem(models.Model):
    """A document in a file, at its place (DocOrdinal). Ordinals run 1, 2, 3… without gaps: they are
    given with the file row locked, and taking a document out moves the later ones up by one."""

    archive_file = models.ForeignKey(ArchiveFile, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="file_items")
    ordinal = models.PositiveIntegerField(_("order in the file"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document in a file")
        verbose_name_plural = _("documents in files")
        ordering = ["archive_file", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["archive_file", "ordinal"], name="file_item_ordinal_once"),
            models.UniqueConstraint(fields=["archive_file", "document"], name="file_item_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.archive_file_id} #{self.ordinal}: {self.document_id}"
