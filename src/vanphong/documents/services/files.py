"""Files of documents: stored once by content, typed by their bytes, text extracted for search.

Secret documents' files are encrypted at rest, and refused altogether when the installation keeps
secret documents as metadata only (``VANPHONG_SECRET_DOCUMENTS``). Scans without a text layer are
queued for OCR (Tesseract, Vietnamese) in the background; the document is searchable by its metadata
at once and by its text when the job finishes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core.audit import Actor
from vanphong.documents import storage
from vanphong.documents.models import Document, DocumentFile, EventKind, FileRole, Secrecy, StoredFile, TextState
from vanphong.documents.services.common import account_of, step
from vanphong.lib import pdfstamp, sniff, textextract
from vanphong.lib.filestore import FileError


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name (as the sender called it) and its bytes."""

    name: str
    data: bytes


def check_uploads(uploads: list[Upload], *, secrecy: int) -> list[tuple[Upload, sniff.Sniffed]]:
    """Refuse what may not be stored, before anything is written (a clear error, nothing stored)."""
    if uploads and secrecy > Secrecy.NONE and storage.secret_files_refused():
        raise ValidationError(
            {"files": _("This installation keeps secret documents as a register entry only; their files are refused.")}
        )
    checked = []
    for upload in uploads:
        try:
            if len(upload.data) > storage.store().max_bytes:
                raise FileError("too_large", upload.name)
            checked.append((upload, sniff.sniff(upload.data, filename=upload.name)))
        except FileError as error:
            raise ValidationError(
                {"files": f"{upload.name}: {storage.file_error_message(error.code, error.detail)}"}
            ) from error
    return checked


def _stored(data: bytes, media_type: str, *, encrypt: bool) -> StoredFile:
    blob = storage.store().put(data, encrypt=encrypt)
    stored, created = StoredFile.objects.get_or_create(
        sha256=blob.sha256, defaults={"size": blob.size, "media_type": media_type, "encrypted": blob.encrypted}
    )
    if created:
        _extract(stored, data)
    return stored


def _extract(stored: StoredFile, data: bytes) -> None:
    try:
        extracted = textextract.extract_text(data, stored.media_type)
    except FileError:
        stored.text_state = TextState.FAILED
    else:
        stored.text = extracted.text
        stored.text_state = TextState.NEEDS_OCR if extracted.needs_ocr else TextState.EXTRACTED
    stored.save(update_fields=["text", "text_state"])
    if stored.text_state == TextState.NEEDS_OCR:
        from vanphong.documents.tasks import recognise_text

        pk = stored.pk
        transaction.on_commit(lambda: recognise_text.enqueue(pk))


def attach(
    actor: Actor,
    document: Document,
    upload: Upload,
    sniffed: sniff.Sniffed,
    *,
    role: FileRole,
    data: bytes | None = None,
) -> DocumentFile:
    """Store one checked upload and add it to the document (inside the caller's transaction)."""
    content = upload.data if data is None else data
    media_type = "application/pdf" if data is not None else sniffed.media_type
    stored = _stored(content, media_type, encrypt=document.secrecy > Secrecy.NONE)
    version = 1 + DocumentFile.objects.filter(document=document, role=role, name=upload.name).count()
    added = DocumentFile.objects.create(
        document=document, stored=stored, role=role, name=upload.name, version=version, added_by=account_of(actor)
    )
    step(actor, document, EventKind.FILE_ADDED, file=added.name, role=role, sha256=stored.sha256)
    return added


def scan_to_pdf(checked: list[tuple[Upload, sniff.Sniffed]]) -> bytes | None:
    """The registered copy: the PDF as sent, or the scanned images joined into one PDF."""
    pdfs = [u.data for u, s in checked if s.media_type == "application/pdf"]
    if pdfs:
        return pdfs[0]
    images = [u.data for u, s in checked if s.media_type.startswith("image/")]
    return pdfstamp.images_to_pdf(images) if images else None


def read(stored: StoredFile) -> bytes:
    return storage.store().open_bytes(stored.sha256, encrypted=stored.encrypted)
