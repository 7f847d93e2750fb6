"""Background jobs of the documents module."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from vanphong.documents import search
from vanphong.documents.models import Document, StoredFile, TextState
from vanphong.documents.services import files as file_services
from vanphong.lib import textextract
from vanphong.lib.filestore import FileError


@task()
def recognise_text(stored_file_id: int) -> str:
    """OCR a scan with Tesseract's Vietnamese model, then reindex the documents that hold it."""
    stored = StoredFile.objects.filter(pk=stored_file_id, text_state=TextState.NEEDS_OCR).first()
    if stored is None:
        return "nothing to do"
    data = file_services.read(stored)
    try:
        if stored.media_type == "application/pdf":
            text = textextract.ocr_pdf(data, lang="vie")
        else:
            text = textextract.ocr_image(data, lang="vie")
    except FileError as error:
        StoredFile.objects.filter(pk=stored.pk).update(text_state=TextState.FAILED)
        return error.code
    with transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).update(text=text, text_state=TextState.OCR_DONE)
        for document in Document.objects.filter(files__stored_id=stored.pk).distinct():
            search.index_document(document)
    return f"{len(text)} characters"


@task()
def build_register_export(export_id: int) -> str:
    """Prepare a register export queued because its period was too long to write in the request."""
    from vanphong.documents.services import exports as export_services

    return export_services.build(export_id)
