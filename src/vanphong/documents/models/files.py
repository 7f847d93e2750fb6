"""Files: content-addressed blobs (``lib.filestore``) and their place in a document."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.documents import Document


class TextState(models.TextChoices):
    NONE = "none", _("No text")
    EXTRACTED = "extracted", _("Text extracted")
    NEEDS_OCR = "needs_ocr", _("Waiting for text recognition")
    OCR_DONE = "ocr_done", _("Text recognised (OCR)")
    FAILED = "failed", _("Text could not be read")


class StoredFile(models.Model):
    """One blob, addressed by the SHA-256 of its content. Stored once however often it is attached."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    media_type = models.CharField(_("type"), max_length=100)
    encrypted = models.BooleanField(_("encrypted at rest"), default=False)
    text = models.TextField(blank=True, default="")
    text_state = models.CharField(max_length=12, choices=TextState.choices, default=TextState.NONE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.sha256


class FileRole(models.TextChoices):
    SCAN = "scan", _("Scanned copy")
    STAMPED = "stamped", _("Registered copy with the arrival stamp")
    ORIGINAL = "original", _("Electronic original")
    ATTACHMENT = "attachment", _("Attachment")
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed document")
    PACKAGE = "package", _("edXML package")


class DocumentFile(models.Model):
    """A file in a document: a scan, an attachment, a draft version, the signed PDF, the package."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="files")
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="uses")
    role = models.CharField(_("role"), max_length=12, choices=FileRole.choices)
    name = models.CharField(_("file name"), max_length=255)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    signatures = models.JSONField(_("signatures"), default=list, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "role", "-version", "id"]

    def __str__(self) -> str:
        return self.name
