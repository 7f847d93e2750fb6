"""Signing certificates: loaded once by an administrator, kept encrypted, used by the signing step.

An office receives PKCS#12 files (.p12/.pfx) from its certificate authority (for State bodies the
Government CA, Ban Cơ yếu Chính phủ). ``vanphong manage load_certificate`` calls ``add_credential``;
the passphrase is used once to open the file, which is then re-sealed with the installation's
document keys (the same AES-GCM encryption at rest as secret files).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.documents import storage
from vanphong.documents.models import SigningCredential
from vanphong.lib import pki


def add_credential(
    actor: Actor,
    *,
    pkcs12: bytes,
    passphrase: bytes | None,
    person: Person | None = None,
    organization: Organization | None = None,
    image_png: bytes | None = None,
) -> SigningCredential:
    if (person is None) == (organization is None):
        raise ValidationError(_("A certificate belongs to a person or to an organisation."))
    try:
        identity = pki.load_pkcs12(pkcs12, passphrase)
    except pki.PkiError as error:
        message = _("The certificate file cannot be opened: {detail}").format(detail=error.detail)
        raise ValidationError(message) from error
    summary = pki.certificate_summary(identity.certificate)
    not_after = identity.certificate.not_valid_after_utc
    if not_after < datetime.datetime.now(datetime.UTC):
        raise ValidationError(_("The certificate expired on {day}.").format(day=not_after.date().isoformat()))
    sealed = storage.store().put(pki.identity_to_pkcs12(identity, None), encrypt=True)
    image = storage.store().put(image_png, encrypt=True).sha256 if image_png else ""
    with transaction.atomic():
        owner: dict[str, Person | Organization | None] = (
            {"person": person} if person is not None else {"organization": organization}
        )
        SigningCredential.objects.filter(is_active=True, **owner).update(is_active=False)
        credential = SigningCredential.objects.create(
            subject=summary["subject_cn"],
            issuer=summary["issuer_cn"],
            not_after=not_after,
            pkcs12_sha256=sealed.sha256,
            image_sha256=image,
            **owner,
        )
        audit.record(actor, "documents.credential.add", credential, after=summary)
    return credential


def identity_of(credential: SigningCredential) -> pki.SigningIdentity:
    data = storage.store().open_bytes(credential.pkcs12_sha256, encrypted=True)
    return pki.load_pkcs12(data, None)


def image_of(credential: SigningCredential) -> bytes | None:
    if not credential.image_sha256:
        return None
    return storage.store().open_bytes(credential.image_sha256, encrypted=True)


def active_for(*, person: Person | None = None, organization: Organization | None = None) -> SigningCredential | None:
    if person is not None:
        return SigningCredential.objects.filter(person=person, is_active=True).first()
    return SigningCredential.objects.filter(organization=organization, is_active=True).first()


def trust_roots() -> list[x509.Certificate]:
    """The roots signatures are checked against: PEM files in ``VANPHONG_TRUSTED_ROOTS_DIR``, plus the
    issuers of this installation's own certificates (so its own documents validate)."""
    roots: list[x509.Certificate] = []
    folder = Path(settings.TRUSTED_ROOTS_DIR)
    if folder.is_dir():
        for path in sorted(folder.glob("*.pem")) + sorted(folder.glob("*.crt")):
            roots.extend(pki.trust_roots_from_pem(path.read_bytes()))
    for credential in SigningCredential.objects.filter(is_active=True):
        identity = identity_of(credential)
        roots.extend(identity.chain[-1:])
    unique: dict[bytes, x509.Certificate] = {}
    for cert in roots:
        unique[cert.fingerprint(hashes.SHA256())] = cert
    return list(unique.values())
