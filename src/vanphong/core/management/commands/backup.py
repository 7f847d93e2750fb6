"""`vanphong backup`: one archive with a consistent database snapshot, every stored file and document file."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vanphong.core import backup


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


class Command(BaseCommand):
    help = (
        "Write one archive (.tar) holding a consistent snapshot of the database, every stored file, every "
        "document file and a manifest with their SHA-256 digests. Not in it: the secret key and the document "
        "keys (DOCUMENT_KEYS_DIR), which must be backed up separately. Safe to run while Vanphong serves."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            metavar="PATH",
            help="archive file, or an existing directory to put it in "
            "(default: DATA_DIR/backups/vanphong-backup-YYYYMMDD-HHMMSS.tar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.create_backup(options["output"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        for path in result.skipped:
            self.stderr.write(f"warning: skipped {path}: not a regular file")
        head = result.manifest.state.audit_head
        audit = f"; audit chain head #{head.seq} {head.hash}" if head else ""
        self.stdout.write(
            f"Backup written: {result.path} ({human_size(result.size)}, {result.files} stored file(s), "
            f"{result.document_files} document file(s), {result.manifest.state.rows} database rows{audit})"
        )
        self.stdout.write(
            f"Not in the archive: the document keys in {settings.DOCUMENT_KEYS_DIR} (without them the files of "
            "secret documents and the signing credentials cannot be read) and the secret key; "
            "back up the keys separately, never together with the archive."
        )
