"""`vanphong manage reindex_documents`: rebuild the search text of every document, resumably.

Paperless-ngx's rebuild at 70,000 documents needed more than 32 GB and could not resume
(reference/documents.md, "Lessons from other systems"). This one walks the documents by id in
batches, one transaction per batch, holds one batch in memory, writes only rows whose text changed,
and records the last finished id in a checkpoint file after every batch: after a kill,
``--resume`` goes on from there. Progress goes to stderr, the summary to stdout.
"""

from __future__ import annotations

import json
import os
import resource
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from vanphong.documents import search
from vanphong.documents.models import Document

CHECKPOINT_NAME = "reindex-documents.json"


def default_checkpoint() -> Path:
    return Path(settings.DATA_DIR) / CHECKPOINT_NAME


def read_checkpoint(path: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read the checkpoint {path}: {error}") from None
    if not isinstance(state, dict) or not isinstance(state.get("last_id"), int):
        raise CommandError(f"the checkpoint {path} is not one this command wrote")
    return state


def write_checkpoint(path: Path, state: dict[str, Any]) -> None:
    # Write then rename, so a kill in the middle leaves the previous checkpoint whole.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(state))
    os.replace(partial, path)


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search text of every document in batches by id. Resumable after a kill "
        "(--resume); rows whose text did not change are not rewritten."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=search.INDEX_BATCH, help="documents per transaction")
        parser.add_argument("--resume", action="store_true", help="go on after the last finished batch")
        parser.add_argument("--checkpoint", type=Path, default=None, help=f"default: DATA_DIR/{CHECKPOINT_NAME}")
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="SQLite: afterwards rebuild the FTS5 index from the text table (repairs an index out of step)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = int(options["batch_size"])
        if batch < 1:
            raise CommandError("--batch-size must be at least 1")
        checkpoint: Path = options["checkpoint"] or default_checkpoint()
        state: dict[str, Any] = {
            "last_id": 0,
            "documents": 0,
            "written": 0,
            "finished": False,
            "started_at": timezone.now().isoformat(),
        }
        if options["resume"]:
            previous = read_checkpoint(checkpoint)
            if previous is None:
                self.stderr.write(f"reindex: no checkpoint at {checkpoint}; starting from the first document")
            elif previous.get("finished"):
                self.stdout.write(
                    f"reindex: the last run finished ({previous['documents']} documents); nothing to resume"
                )
                return
            else:
                state.update(previous)
                self.stderr.write(f"reindex: resuming after document #{state['last_id']}")
        remaining = Document.objects.filter(pk__gt=state["last_id"]).count()
        target = state["documents"] + remaining
        began = last_report = time.monotonic()
        done_now = 0
        while True:
            ids = list(
                Document.objects.filter(pk__gt=state["last_id"]).order_by("pk").values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            with transaction.atomic():
                result = search.index_many(ids, batch=batch)
            done_now += result.documents
            state.update(
                last_id=ids[-1],
                documents=state["documents"] + result.documents,
                written=state["written"] + result.written,
                updated_at=timezone.now().isoformat(),
            )
            write_checkpoint(checkpoint, state)
            now = time.monotonic()
            if now - last_report >= 1.0:
                last_report = now
                self._progress(state, target, done_now / max(now - began, 1e-9))
        if options["rebuild_index"]:
            self._rebuild_index()
        state["finished"] = True
        write_checkpoint(checkpoint, state)
        elapsed = time.monotonic() - began
        self._progress(state, target, done_now / max(elapsed, 1e-9))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        self.stdout.write(
            f"reindexed {state['documents']} documents: {state['written']} rewritten, "
            f"{state['documents'] - state['written']} unchanged ({elapsed:.1f} s, peak memory {peak:.0f} MB)"
        )

    def _progress(self, state: dict[str, Any], target: int, rate: float) -> None:
        share = 100.0 * state["documents"] / target if target else 100.0
        self.stderr.write(
            f"reindex: {state['documents']}/{target} documents ({share:.1f} %), {state['written']} rewritten, "
            f"{rate:.0f}/s, last id {state['last_id']}"
        )

    def _rebuild_index(self) -> None:
        if connection.vendor != "sqlite":
            self.stderr.write("reindex: PostgreSQL computes the index column itself; nothing to rebuild")
            return
        with connection.cursor() as cursor:
            # the table name is a module constant, not input
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608
        self.stderr.write("reindex: FTS5 index rebuilt from documents_documenttext")
