"""Digital signatures on the PDFs a document carries, checked when its page is shown.

Checked on view, not at registration, for two reasons: a signature's verdict depends on the trust
roots (an administrator may add the Government CA's root later) and on the day (a certificate
expires), so a verdict stored at registration would go stale; and no field exists to store it.
The verdict is kept in Django's cache under the file's content hash (a stored file never changes),
the trust roots' version and the day, so a page opened again costs nothing;
``bench/bench_signature_display.py`` has the figures for a cache miss.

The trust roots' version is cheap to compute (file names and modification times in
``TRUSTED_ROOTS_DIR``, and the active certificates' hashes): loading the roots themselves decrypts
every active certificate, which is done only when some file's verdict is not in the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models import DocumentFile, FileRole, SigningCredential
from vanphong.documents.services import credentials
from vanphong.documents.services import files as file_services
from vanphong.lib import pdfsign
from vanphong.lib.filestore import FileError

CACHE_SECONDS = 6 * 60 * 60
PDF = "application/pdf"
# The files as the sender made them. The copy with the arrival stamp is the office's own: the stamp drawn
# over the sender's page is a change any check reports, so its verdict would only alarm.
RECEIVED_ROLES = (FileRole.SCAN, FileRole.ORIGINAL, FileRole.ATTACHMENT)
UNREADABLE = "unreadable"

STATUS_LABELS = {
    "valid": _("Signature valid"),
    "tampered": _("Changed after signing (tampered)"),
    "untrusted": _("Signer's certificate not trusted (untrusted)"),
    "invalid": _("Signature invalid"),
    UNREADABLE: _("The signatures cannot be checked"),
}


@dataclass(frozen=True)
class Verdict:
    """One signature in a file, as the page shows it."""

    status: str  # "valid", "tampered", "untrusted", "invalid" or "unreadable"
    signer: str
    organization: str
    signed_at: str  # ISO time claimed by the signer, or ""

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.status, STATUS_LABELS["invalid"]))


def roots_version() -> str:
    """Changes whenever the set of trust roots may have changed; computed without reading a key."""
    parts: list[str] = []
    folder = Path(settings.TRUSTED_ROOTS_DIR)
    if folder.is_dir():
        for path in sorted(folder.glob("*.pem")) + sorted(folder.glob("*.crt")):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    hashes = SigningCredential.objects.filter(is_active=True).order_by("pk").values_list("pkcs12_sha256", flat=True)
    parts.extend(hashes)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _key(sha256: str, version: str) -> str:
    return f"documents:pdf-signatures:{sha256}:{version}:{timezone.localdate().isoformat()}"


def _check(data: bytes, roots: list[x509.Certificate]) -> list[Verdict]:
    try:
        reports = pdfsign.validate_pdf(data, trust_roots=roots)
    except pdfsign.SignError:
        return [Verdict(UNREADABLE, "", "", "")]
    return [
        Verdict(
            r.status,
            r.signer_cn,
            r.signer_organization,
            r.signing_time.isoformat() if r.signing_time is not None else "",
        )
        for r in reports
    ]


def for_files(files: Iterable[DocumentFile]) -> dict[int, list[Verdict]]:
    """The signatures of each received PDF among ``files``, by file id; an unsigned PDF gives []."""
    pdfs = [f for f in files if f.stored.media_type == PDF and f.role in RECEIVED_ROLES]
    if not pdfs:
        return {}
    version = roots_version()
    keys = {f.pk: _key(f.stored.sha256, version) for f in pdfs}
    cached = cache.get_many(list(set(keys.values())))
    result: dict[int, list[Verdict]] = {}
    roots: list[x509.Certificate] | None = None
    for file in pdfs:
        key = keys[file.pk]
        if key not in cached:
            if roots is None:
                roots = credentials.trust_roots()
            try:
                data = file_services.read(file.stored)
            except FileError:
                continue  # the bytes are missing: no verdict (the download says what is wrong)
            cached[key] = _check(data, roots)
            cache.set(key, cached[key], CACHE_SECONDS)
        result[file.pk] = cached[key]
    return result
