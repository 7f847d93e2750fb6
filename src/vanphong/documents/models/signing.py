"""Signing certificates an office loads for its signers and for the body itself (Decree 30 App. I)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Organization, Person


class SigningCredential(models.Model):
    """A certificate with its private key (PKCS#12), stored encrypted at rest like secret files.

    A person's credential makes the signer's signature; an organisation's makes the body's signature
    (the "seal" of an electronic document). Images are optional: the signer's handwritten signature
    (blue, transparent PNG) and the red seal (transparent PNG at real size).
    """

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("certificate subject"), max_length=255)
    issuer = models.CharField(_("issued by"), max_length=255)
    not_after = models.DateTimeField(_("valid until"))
    pkcs12_sha256 = models.CharField(max_length=64)
    image_sha256 = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) ^ Q(organization__isnull=True), name="credential_one_owner"
            ),
            models.UniqueConstraint(fields=["person"], condition=Q(is_active=True), name="credential_one_per_person"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_active=True), name="credential_one_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return self.subject
