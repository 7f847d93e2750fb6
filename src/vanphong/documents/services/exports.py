"""Register exports too long to prepare inside a request: queued, prepared by the worker, downloaded,
removed after a few days.

A period holding more than ``VANPHONG_EXPORT_INLINE_ROWS`` documents (``exports.inline_limit``) is
queued here instead of written while the person waits: a year of a busy office is tens of thousands
of rows and minutes of drawing (``bench/bench_register_export.py``). The worker
(``tasks.build_register_export``) writes the file with the same code as the request does
(``exports.register_rows`` and ``exports.write``), as the requester and at the time it runs: a person
who lost the register meanwhile gets a failed export saying so, and a document they lost sight of is
not in the file. The files live under ``REGISTER_EXPORTS_DIR`` and are removed after
``REGISTER_EXPORT_KEEP_DAYS`` by the ``documents.register_exports`` job; the audit log keeps who took
which register out (each download is recorded like an export made in the request).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.documents import access, exports
from vanphong.documents.models import PENDING_STATES, ExportState, Register, RegisterExport
from vanphong.notices.services import notify

log = logging.getLogger(__name__)

QUEUE_ACTION = "documents.register.export_queued"
STUCK_AFTER = datetime.timedelta(hours=6)  # a running export not finished by then lost its worker

# What ``RegisterExport.error`` holds, and what the requester reads (in their language, when shown).
ERROR_MESSAGES = {
    "no_access": gettext_lazy("You no longer have access to this register, so the export was not made."),
    "inactive": gettext_lazy("The account that asked for the export is no longer active."),
    "interrupted": gettext_lazy("The export was interrupted before it was finished; ask for it again."),
    "failed": gettext_lazy("The export could not be prepared; ask for it again or tell the administrator."),
}


def error_message(export: RegisterExport) -> str:
    return str(ERROR_MESSAGES.get(export.error, ERROR_MESSAGES["failed"])) if export.error else ""


def exports_dir() -> Path:
    return Path(settings.REGISTER_EXPORTS_DIR)


def file_path(export: RegisterExport) -> Path | None:
    """Where the export's file is, or None when there is none (not ready, or removed)."""
    if export.state != ExportState.DONE or not export.file_name:
        return None
    path = exports_dir() / export.file_name
    return path if path.is_file() else None


def queue(
    actor: Actor, register: Register, start: datetime.date, end: datetime.date, file_format: str, *, rows: int | None
) -> tuple[RegisterExport, bool]:
    """Queue the register for the period in ``file_format`` for the actor's account; returns the export
    and whether it is new. While the same export (same register, period and format) is still waiting or
    being prepared, that one is returned and nothing is queued twice. The caller has checked the
    register with ``access.access_register``; ``rows`` is the count the request saw."""
    account = actor.account
    if account is None:
        raise ValueError("a register export is asked for by an account")
    if file_format not in exports.MEDIA_TYPES:
        raise ValueError(f"unknown export format {file_format!r}")
    same = {"requester": account, "register": register, "start": start, "end": end, "file_format": file_format}
    pending = RegisterExport.objects.filter(**same, state__in=PENDING_STATES).first()
    if pending is not None:
        return pending, False
    try:
        with transaction.atomic():
            export = RegisterExport.objects.create(**same, rows=rows)
            after = {"from": start.isoformat(), "to": end.isoformat(), "format": file_format, "documents": rows}
            audit.record(actor, QUEUE_ACTION, register, after={**after, "export": export.pk})
            transaction.on_commit(lambda: _enqueue(export.pk))
    except IntegrityError:  # the same export queued by a second click at the same moment: that one stands
        pending = RegisterExport.objects.filter(**same, state__in=PENDING_STATES).first()
        if pending is None:
            raise
        return pending, False
    return export, True


def _enqueue(export_id: int) -> None:
    from vanphong.documents.tasks import build_register_export

    build_register_export.enqueue(export_id)


def build(export_id: int) -> str:
    """Prepare a queued export (the worker's job): claim it, write the file as the requester may see the
    register now, mark it done and tell the requester. Returns a one-line summary for the task result."""
    now = timezone.now()
    if not RegisterExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=now
    ):
        return "nothing to do"  # done, failed or claimed by another worker already
    export = RegisterExport.objects.select_related("requester__person", "register__organization").get(pk=export_id)
    account = export.requester
    if not account.is_active:
        return _fail(export, "inactive")
    try:
        register = access.access_register(account, export.register_id)
    except Http404:
        return _fail(export, "no_access")
    try:
        written, name, size, sha256 = _write_file(export, account, register)
    except Exception:
        log.exception("register export %s failed", export_id)
        return _fail(export, "failed")
    with transaction.atomic():
        done = RegisterExport.objects.filter(pk=export_id, state=ExportState.RUNNING).update(
            state=ExportState.DONE, rows=written, file_name=name, size=size, sha256=sha256, finished_at=timezone.now()
        )
        if done:
            _tell(export, written)
    if not done:  # marked failed meanwhile (the stuck-export sweep): the file has no row to serve it
        (exports_dir() / name).unlink(missing_ok=True)
        return "no longer running"
    return f"{written} documents, {size} bytes"


def _write_file(export: RegisterExport, account: Any, register: Register) -> tuple[int, str, int, str]:
    """Write the file beside its final place and move it there whole; returns (documents, name, size, sha256)."""
    directory = exports_dir()
    directory.mkdir(mode=0o750, parents=True, exist_ok=True)
    sheet = exports.sheet_for(register, export.start, export.end, account)
    rows = exports.register_rows(account, register, export.start, export.end)
    name = f"{export.pk}-{secrets.token_hex(8)}.{export.file_format}"
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=".writing-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as out:
            written = exports.write(sheet, rows, export.file_format, out)
            out.flush()
            os.fchmod(out.fileno(), 0o640)
            os.fsync(out.fileno())
            size = out.tell()
            out.seek(0)
            sha256 = _sha256(out)
        os.replace(tmp, directory / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written, name, size, sha256


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _period(export: RegisterExport) -> str:
    return f"{export.start:%d/%m/%Y} – {export.end:%d/%m/%Y}"


def _tell(export: RegisterExport, written: int) -> None:
    notify(
        [export.requester],
        kind="documents.export_ready",
        subject=gettext_lazy("Your export of “{register}” ({period}, {format}) is ready: {count} documents."),
        params={
            "register": export.register.name,
            "period": _period(export),
            "format": export.file_format.upper(),
            "count": written,
        },
        url=reverse("documents:export_list") + f"#export-{export.pk}",
        key=f"register-export-{export.pk}-ready",
    )


def _fail(export: RegisterExport, code: str) -> str:
    with transaction.atomic():
        failed = RegisterExport.objects.filter(pk=export.pk, state=ExportState.RUNNING).update(
            state=ExportState.FAILED, error=code, finished_at=timezone.now()
        )
        if failed:
            notify(
                [export.requester],
                kind="documents.export_failed",
                subject=gettext_lazy("Your export of “{register}” ({period}) could not be made."),
                params={"register": export.register.name, "period": _period(export)},
                url=reverse("documents:export_list") + f"#export-{export.pk}",
                key=f"register-export-{export.pk}-failed",
            )
    return f"failed: {code}"


def download(actor: Actor, export: RegisterExport) -> FileResponse:
    """The prepared file as a download, recorded in the audit log like an export made in the request.
    Http404 when there is no file (not ready yet, failed, or removed after its days)."""
    path = file_path(export)
    if path is None:
        raise Http404
    handle = path.open("rb")  # opened first: a file removed meanwhile is not recorded as taken out
    try:
        exports.record_export(
            actor, export.register, export.start, export.end, export.file_format, export.rows, prepared=export.pk
        )
    except BaseException:
        handle.close()
        raise
    name = exports.download_name(export.register, export.start, export.end, export.file_format)
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=exports.MEDIA_TYPES[export.file_format]
    )
    response["Cache-Control"] = "private, no-store"
    return response


def remove_old(now: datetime.datetime) -> str:
    """The ``documents.register_exports`` job: remove the files of exports finished more than
    ``REGISTER_EXPORT_KEEP_DAYS`` ago (the row stays, marked removed), fail exports whose worker
    vanished, and clear files no row refers to. Idempotent: a second run finds nothing more to do."""
    cutoff = now - datetime.timedelta(days=int(settings.REGISTER_EXPORT_KEEP_DAYS))
    removed = 0
    for pk, name in RegisterExport.objects.filter(state=ExportState.DONE, finished_at__lt=cutoff).values_list(
        "pk", "file_name"
    ):
        if RegisterExport.objects.filter(pk=pk, state=ExportState.DONE).update(state=ExportState.EXPIRED, file_name=""):
            (exports_dir() / name).unlink(missing_ok=True)
            removed += 1
    stuck = RegisterExport.objects.filter(state=ExportState.RUNNING, started_at__lt=now - STUCK_AFTER)
    interrupted = 0
    for export in stuck.select_related("requester", "register"):
        if _fail(export, "interrupted").startswith("failed"):
            interrupted += 1
    strays = _remove_strays(now - STUCK_AFTER)
    return f"{removed} export files removed, {interrupted} interrupted exports failed, {strays} stray files removed"


def _remove_strays(before: datetime.datetime) -> int:
    """Files in the exports directory no export refers to (a worker killed mid-write), older than ``before``."""
    directory = exports_dir()
    if not directory.is_dir():
        return 0
    known = set(RegisterExport.objects.exclude(file_name="").values_list("file_name", flat=True))
    removed = 0
    for entry in directory.iterdir():
        if entry.is_file() and entry.name not in known and entry.stat().st_mtime < before.timestamp():
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
