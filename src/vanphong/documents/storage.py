"""The installation's file store for documents, and the translated messages of file errors."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vanphong.lib.filestore import FileStore, KeyRing

FILE_ERROR_MESSAGES = {
    "too_large": _("The file is larger than this installation accepts ({limit} MB)."),
    "unsupported_type": _("This kind of file is not accepted ({detail}). Send a PDF, an image or a DOCX file."),
    "zip_bomb": _("The file unpacks to far more data than it holds; it was refused."),
    "macros": _("The document contains macros; save it without macros (DOCX) or as PDF."),
    "active_content": _("The PDF contains scripts or launch actions; it was refused."),
    "encrypted_pdf": _("The PDF is protected by a password; send an unprotected copy."),
    "bad_pdf": _("The PDF is damaged and cannot be read."),
    "tampered": _("The stored file does not match its fingerprint; it may have been altered."),
    "ocr_unavailable": _("Text recognition (Tesseract) is not installed on this server."),
    "font_missing": _("The fonts for the arrival stamp are not installed on this server."),
}


def file_error_message(code: str, detail: str = "") -> str:
    message = FILE_ERROR_MESSAGES.get(code)
    if message is None:
        return detail or code
    return str(message).format(limit=settings.DOCUMENT_MAX_UPLOAD_MB, detail=detail)


@cache
def store() -> FileStore:
    return FileStore(
        settings.DOCUMENT_FILES_DIR,
        max_bytes=settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024,
        keyring=KeyRing.load_or_create(settings.DOCUMENT_KEYS_DIR),
    )


def secret_files_refused() -> bool:
    return str(settings.SECRET_DOCUMENTS) != "full"
