"""Register exports prepared in the background: a period too long to print while the person waits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.catalogue import Register


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Spreadsheet (XLSX)")
    PDF = "pdf", _("PDF, A4 landscape")


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Removed")


PENDING_STATES = (ExportState.QUEUED, ExportState.RUNNING)


class RegisterExport(models.Model):
    """One register, one period, one format, asked for by one account and prepared by the worker.

    The file is written under ``settings.REGISTER_EXPORTS_DIR`` (not the content-addressed store: that
    store never deletes, and these copies are removed after ``REGISTER_EXPORT_KEEP_DAYS``). Only the
    requester may download it. While one is queued or running, asking again returns it (the partial
    unique constraint below makes that hold under two clicks at once).
    """

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_exports", verbose_name=_("requester")
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="exports", verbose_name=_("register"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    state = models.CharField(_("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    rows = models.PositiveIntegerField(_("documents"), null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, default="")  # under REGISTER_EXPORTS_DIR
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(_("error"), blank=True, default="")
    created_at = models.DateTimeField(_("asked for at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register export")
        verbose_name_plural = _("register exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "register", "start", "end", "file_format"],
                condition=Q(state__in=["queued", "running"]),
                name="register_export_pending_once",
            ),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="register_export_period"),
            models.CheckConstraint(condition=~Q(state="done") | ~Q(file_name=""), name="register_export_done_has_file"),
        ]
        indexes = [models.Index(fields=["requester", "-created_at"], name="register_export_by_requester")]

    def __str__(self) -> str:
        return f"{self.register_id} {self.start}–{self.end} {self.file_format} ({self.state})"

    @property
    def pending(self) -> bool:
        return self.state in PENDING_STATES
