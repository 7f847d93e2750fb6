"""`vanphong restore ARCHIVE`: verify an archive from `vanphong backup`, then put it in place."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vanphong.core import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `vanphong backup`: the database, every stored file and document file. The whole "
        "archive is verified before anything is changed, and a failure leaves the installation as it was. "
        "Stop `vanphong serve` first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, metavar="ARCHIVE")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the content of an installation that already holds data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.restore_backup(options["archive"], force=options["force"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest, state = result.manifest, result.state
        head = state.audit_head
        audit = f"; audit chain head #{head.seq} matches the archive" if head else ""
        documents = (
            f"{result.document_files} document file(s)"
            if result.document_files is not None
            else "no document files (an older archive: see the note)"
        )
        self.stdout.write(
            f"Restored {options['archive']} (written {manifest.created_at} by Vanphong {manifest.vanphong_version}): "
            f"{len(state.row_counts)} tables, {state.rows} rows, {result.files} stored file(s), {documents}; "
            f"row counts match the manifest{audit}."
        )
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        self.stdout.write("Next: `vanphong audit verify` checks the whole audit log; then start `vanphong serve`.")
