"""Backup and restore of a whole installation: the database and every stored file, in one archive.

Archive layout (a tar file, PAX format; the manifest is always the first member)::

    manifest.json       what the archive holds and how to check it (see ``Manifest``)
    database.sqlite3    SQLite: a copy made with SQLite's online backup API, or
    database.pgdump     PostgreSQL: ``pg_dump --format=custom``, taken in the snapshot the counts come from
    files/<path>        every stored file, by its path under FILES_DIR
    documents/<path>    every document file (scans, drafts, signed PDFs, attachments; plain/ and the
                        encrypted sealed/), by its path under DOCUMENT_FILES_DIR, which may lie outside
                        the data directory; its tmp/ (uploads being written) is left out

Not in the archive: the secret key, the document keys in DOCUMENT_KEYS_DIR (the AES keys that seal
secret documents' files and signing credentials: an archive must not carry its own keys, so they are
backed up separately), and the register exports in EXPORTS_DIR (copies, made again on demand).

The database snapshot is consistent while the application keeps writing: SQLite's backup API copies
the database in one step under a read lock (readers and the WAL writer go on), and on PostgreSQL the
row counts, migration state and audit head are read in a REPEATABLE READ transaction whose snapshot
``pg_dump --snapshot`` then dumps. Stored files are named by their content, so they do not change
after they are written; one that does change while the backup runs stops it.

A restore checks the whole archive before it touches anything (every member listed, of the recorded
size and SHA-256, no path that climbs out, no link or device, nothing unlisted), builds the new
database and files directory beside the live ones, checks them again, and only then swaps them in
with renames, so a failure at any point leaves the installation as it was. The files directory and
the document files directory are staged and swapped in the same way, all or nothing: if the second
swap or the database swap fails, the directories already swapped are swapped back. Stop ``vanphong
serve`` before restoring: a running server would keep writing to the database that is being replaced.

Archives of format version 1 (written before backups included document files) still restore: the
database and stored files are replaced, but the document files directory is left exactly as it is —
nothing in it is removed, since the archive says nothing about it — and the restore says so, with how
many of the files the restored database lists are missing from it (restore those from another copy).

Everything here raises ``BackupError`` with a one-line message for the operator; the ``backup`` and
``restore`` management commands are thin wrappers around ``create_backup`` and ``restore_backup``.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import IO, Any

import psycopg
from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow

import vanphong
from vanphong.lib.filestore import FileError, FileStore

FORMAT = "vanphong-backup"
# Version 2 added the document files (documents/); version 1 archives hold none and still restore.
FORMAT_VERSION = 2
DOCUMENT_FILES_SINCE = 2
MANIFEST_NAME = "manifest.json"
FILES_PREFIX = "files/"
DOCUMENTS_PREFIX = "documents/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows in any of these mean someone works in the target; a restore would overwrite their work. Other
# tables are not a sign: migrations seed core_position, and sessions or task results are disposable.
CORE_TABLES = ("core_organization", "core_person", "core_account", "core_auditentry")
MAINTENANCE_DATABASE = "postgres"
CHUNK_SIZE = 1024 * 1024
MAX_MANIFEST_SIZE = 1024 * 1024 * 1024
_PLACEHOLDER_DIGEST = "0" * 64
_HEX = frozenset("0123456789abcdef")
# The libpq settings Django may carry (as NAME, USER, ... or in OPTIONS) and the variables the client
# tools read them from: everything reaches pg_dump and pg_restore through the environment, so the
# password never shows on a command line.
_LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A backup or restore cannot go on. The message is one line, meant for the operator."""


@dataclass(frozen=True)
class FileTree:
    """A directory whose files an archive holds, as members under ``prefix``."""

    prefix: str
    setting: str  # the Django setting that names the directory
    what: str  # for the operator: "stored files", "document files"
    exclude: tuple[str, ...] = ()  # top-level entries never archived
    file_mode: int | None = None  # of restored files and directories; None: Django's upload permissions
    directory_mode: int | None = None

    @property
    def directory(self) -> Path:
        return Path(getattr(settings, self.setting))


STORED_FILES = FileTree(FILES_PREFIX, "FILES_DIR", "stored files")
# The modes lib/filestore writes with; tmp/ holds uploads being written, not yet part of any document.
DOCUMENT_FILES = FileTree(
    DOCUMENTS_PREFIX, "DOCUMENT_FILES_DIR", "document files", exclude=("tmp",), file_mode=0o640, directory_mode=0o750
)
FILE_TREES = (STORED_FILES, DOCUMENT_FILES)


@dataclass(frozen=True)
class Member:
    """One archive member as the manifest records it."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class AuditHeadCopy:
    """The audit chain head at backup time: a copy of the last hash kept outside the database."""

    seq: int
    hash: str


@dataclass(frozen=True)
class DatabaseState:
    """What a database holds, in brief: applied migrations, rows per table and the audit chain head."""

    migrations: tuple[str, ...]
    row_counts: Mapping[str, int]
    audit_head: AuditHeadCopy | None

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())


@dataclass(frozen=True)
class Manifest:
    """The first member of every archive: what it holds and the size and SHA-256 of each member."""

    vendor: str
    created_at: str
    vanphong_version: str
    state: DatabaseState
    members: tuple[Member, ...]
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> Member:
        return next(member for member in self.members if member.name == DATABASE_MEMBERS[self.vendor])

    @property
    def file_members(self) -> tuple[Member, ...]:
        return self.members_of(STORED_FILES)

    @property
    def document_members(self) -> tuple[Member, ...]:
        return self.members_of(DOCUMENT_FILES)

    @property
    def holds_document_files(self) -> bool:
        """Whether the archive speaks for DOCUMENT_FILES_DIR (then even an empty one); version 1 does not."""
        return self.format_version >= DOCUMENT_FILES_SINCE

    @property
    def trees(self) -> tuple[FileTree, ...]:
        return FILE_TREES if self.holds_document_files else (STORED_FILES,)

    def members_of(self, tree: FileTree) -> tuple[Member, ...]:
        return tuple(member for member in self.members if member.name.startswith(tree.prefix))

    def to_json(self) -> bytes:
        head = self.state.audit_head
        document = {
            "format": FORMAT,
            "format_version": self.format_version,
            "vanphong_version": self.vanphong_version,
            "created_at": self.created_at,
            "database_vendor": self.vendor,
            "migrations": list(self.state.migrations),
            "row_counts": dict(sorted(self.state.row_counts.items())),
            "audit_head": {"seq": head.seq, "hash": head.hash} if head else None,
            "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in self.members],
        }
        # ASCII only: the length then depends on nothing but the data, which create_backup relies on.
        return (json.dumps(document, indent=1, ensure_ascii=True) + "\n").encode("ascii")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse and check a manifest; BackupError names the first thing wrong with it."""
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(f"the manifest is not valid JSON: {error}") from None
        _expect(isinstance(document, dict) and document.get("format") == FORMAT, "it is not a Vanphong backup")
        version = document.get("format_version")
        _expect(isinstance(version, int), "format_version is missing")
        if version > FORMAT_VERSION:
            raise BackupError(
                f"the archive has format version {version}, newer than this Vanphong reads ({FORMAT_VERSION}); "
                "upgrade Vanphong first"
            )
        vendor = document.get("database_vendor")
        _expect(vendor in DATABASE_MEMBERS, f"unknown database vendor {vendor!r}")
        migrations = document.get("migrations")
        _expect(isinstance(migrations, list) and all(isinstance(m, str) for m in migrations), "bad migrations")
        counts = document.get("row_counts")
        _expect(
            isinstance(counts, dict) and all(isinstance(n, int) and n >= 0 for n in counts.values()),
            "bad row_counts",
        )
        head = document.get("audit_head")
        _expect(
            head is None
            or (isinstance(head, dict) and isinstance(head.get("seq"), int) and isinstance(head.get("hash"), str)),
            "bad audit_head",
        )
        raw_members = document.get("members")
        _expect(isinstance(raw_members, list), "members is missing")
        members: list[Member] = []
        for item in raw_members:
            _expect(isinstance(item, dict), "a member is not an object")
            name, size, digest = item.get("name"), item.get("size"), item.get("sha256")
            _expect(isinstance(name, str) and is_safe_member_name(name), f"unsafe member path {name!r}")
            _expect(isinstance(size, int) and size >= 0, f"bad size for {name}")
            _expect(isinstance(digest, str) and len(digest) == 64 and set(digest) <= _HEX, f"bad sha256 for {name}")
            _expect(
                name == DATABASE_MEMBERS[vendor]
                or name.startswith(FILES_PREFIX)
                or (version >= DOCUMENT_FILES_SINCE and name.startswith(DOCUMENTS_PREFIX)),
                f"unexpected member {name!r}",
            )
            members.append(Member(name, size, digest))
        names = [member.name for member in members]
        _expect(len(set(names)) == len(names), "a member is listed twice")
        _expect(DATABASE_MEMBERS[vendor] in names, f"{DATABASE_MEMBERS[vendor]} is not listed")
        created_at = document.get("created_at")
        return cls(
            vendor=vendor,
            created_at=created_at if isinstance(created_at, str) else "",
            vanphong_version=str(document.get("vanphong_version", "")),
            state=DatabaseState(
                migrations=tuple(migrations),
                row_counts=dict(counts),
                audit_head=AuditHeadCopy(head["seq"], head["hash"]) if head else None,
            ),
            members=tuple(members),
            format_version=version,
        )


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    skipped: tuple[str, ...]  # paths of entries in the file directories that are not regular files (links, sockets)

    @property
    def files(self) -> int:
        return len(self.manifest.file_members)

    @property
    def document_files(self) -> int:
        return len(self.manifest.document_members)


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    state: DatabaseState  # of the restored database, as counted after the restore
    notes: tuple[str, ...]  # things the operator should know or do next

    @property
    def files(self) -> int:
        return len(self.manifest.file_members)

    @property
    def document_files(self) -> int | None:
        """How many document files were restored; None for an old archive that holds none."""
        return len(self.manifest.document_members) if self.manifest.holds_document_files else None


def _expect(condition: bool, problem: str) -> None:
    if not condition:
        raise BackupError(f"the manifest is invalid: {problem}")


def is_safe_member_name(name: str) -> bool:
    """A relative POSIX path without empty, '.' or '..' parts: extracting it cannot leave the target."""
    if not name or name.startswith("/") or "\x00" in name:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _one_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@contextlib.contextmanager
def _reported(action: str) -> Iterator[None]:
    """Turn the failures a backup or restore can meet into a BackupError with one line."""
    try:
        yield
    except BackupError:
        raise
    except (OSError, sqlite3.Error, tarfile.TarError, psycopg.Error, DatabaseError) as error:
        raise BackupError(f"{action} failed: {_one_line(error)}") from error


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """One backup or restore at a time per installation (a restore would pull files from under a backup).

    The lock is taken on the data directory itself, so no lock file is left behind in it.
    """
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"another backup or restore is running in {directory}") from None
        yield
    finally:
        os.close(fd)


def _stamp() -> str:
    """A UTC time stamp plus a random tail, for names that must not collide (temp dirs and databases)."""
    return f"{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S}_{secrets.token_hex(3)}"


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"backups of {vendor} databases are not supported")
    return vendor


def check_layout() -> None:
    """Refuse directories an archive cannot hold safely: overlapping trees, or keys inside one.

    Overlapping trees would be archived twice and swapped over each other on restore; keys inside a
    tree would go into the archive beside the files they protect, and a restore would move them away.
    """
    stored, documents = (tree.directory.resolve() for tree in FILE_TREES)
    if stored.is_relative_to(documents) or documents.is_relative_to(stored):
        raise BackupError(
            f"FILES_DIR ({stored}) and DOCUMENT_FILES_DIR ({documents}) overlap; give each its own directory"
        )
    keys = Path(settings.DOCUMENT_KEYS_DIR).resolve()
    for tree in FILE_TREES:
        if keys.is_relative_to(tree.directory.resolve()):
            raise BackupError(
                f"DOCUMENT_KEYS_DIR ({keys}) lies inside {tree.setting} ({tree.directory}): the keys must never go "
                "into an archive with the files; move them to a directory of their own (VANPHONG_DOCUMENT_KEYS_DIR)"
            )


# --- SQLite --------------------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"the SQLite database {name} is not a file that can be backed up")
    return Path(name).resolve()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_state(path: Path) -> DatabaseState:
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                "ORDER BY name"
            )
        ]
        counts = {
            table: int(db.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0])  # noqa: S608 (names from sqlite_master, quoted)
            for table in tables
        }
        migrations: tuple[str, ...] = ()
        if "django_migrations" in counts:
            rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
            migrations = tuple(f"{app}.{name}" for app, name in rows)
        head = None
        if "core_audithead" in counts:
            row = db.execute("SELECT seq, hash FROM core_audithead WHERE id = 1").fetchone()
            head = AuditHeadCopy(int(row[0]), str(row[1])) if row else None
    return DatabaseState(migrations, counts, head)


def snapshot_sqlite(source: Path, destination: Path) -> DatabaseState:
    """Copy a live SQLite database with the online backup API; the copy's state, counted in the copy.

    The copy is made in one step under a read lock, so it is a committed state of the database even
    while the application writes (in WAL mode writers are not held up meanwhile).
    """
    if not source.is_file():
        raise BackupError(f"there is no database at {source}; run `vanphong migrate` first")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=20)) as live,
        contextlib.closing(sqlite3.connect(destination)) as copy,
    ):
        live.backup(copy)
    return _sqlite_state(destination)


def _check_sqlite_copy(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        result = [row[0] for row in db.execute("PRAGMA integrity_check")]
        # Fold any write-ahead log into the file: the file alone is what is moved into place.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if result != ["ok"]:
        raise BackupError(f"the database in the archive fails SQLite's integrity check: {result[0]}")


def _checkpoint_live(path: Path) -> None:
    """Fold the live database's write-ahead log into it, so removing the -wal file loses nothing."""
    if not path.exists():
        return
    in_use = BackupError(f"{path} is in use by another process; stop `vanphong serve` and try again")
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=20)) as db:
            busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise in_use from None
        return  # a damaged database (the usual reason to restore): there is nothing in it to keep
    except sqlite3.DatabaseError:
        return
    if busy and busy[0]:
        raise in_use


# --- PostgreSQL ----------------------------------------------------------------------------------------

PgConnection = psycopg.Connection[TupleRow]


def _pg_params() -> dict[str, str]:
    """libpq connection parameters of the default database, from Django's settings."""
    database = settings.DATABASES["default"]
    raw_options = database.get("OPTIONS")
    options: Mapping[str, Any] = raw_options if isinstance(raw_options, Mapping) else {}
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    params.update({key: value for key, value in options.items() if key in _LIBPQ_ENVIRONMENT})
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _pg_connect(params: Mapping[str, str], dbname: str | None = None, *, autocommit: bool = True) -> PgConnection:
    conninfo = make_conninfo(**{**params, "dbname": dbname or params["dbname"]})
    return psycopg.connect(conninfo, autocommit=autocommit)


def _scalar(connection: PgConnection, query: sql.Composed | str, args: Iterable[Any] = ()) -> Any:
    row = connection.execute(query, list(args)).fetchone()
    return row[0] if row else None


def _pg_state(connection: PgConnection) -> DatabaseState:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    counts = {
        table: int(_scalar(connection, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))))
        for table in tables
    }
    migrations: tuple[str, ...] = ()
    if "django_migrations" in counts:
        rows = connection.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        migrations = tuple(f"{app}.{name}" for app, name in rows)
    head = None
    if "core_audithead" in counts:
        row = connection.execute("SELECT seq, hash FROM core_audithead WHERE id = 1").fetchone()
        head = AuditHeadCopy(int(row[0]), str(row[1])) if row else None
    return DatabaseState(migrations, counts, head)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools of the server's version")
    return path


def _run_pg_tool(command: list[str], params: Mapping[str, str]) -> None:
    # Only our PG* variables: a stray PGDATABASE or PGSERVICE in the operator's shell must not redirect the tool.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    environment.update({_LIBPQ_ENVIRONMENT[key]: value for key, value in params.items()})
    completed = subprocess.run(  # noqa: S603 (a fixed tool and our own arguments, no shell)
        command, env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        detail = lines[-1].strip() if lines else f"exit status {completed.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {detail}")


def snapshot_postgres(destination: Path) -> DatabaseState:
    """``pg_dump`` of the default database; its state, counted in the very snapshot that was dumped."""
    params = _pg_params()
    pg_dump = _tool("pg_dump")
    with _pg_connect(params, autocommit=False) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = str(_scalar(connection, "SELECT pg_export_snapshot()"))
        state = _pg_state(connection)
        # The exported snapshot lives as long as this transaction: keep it open until pg_dump is done.
        _run_pg_tool(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={destination}",
            ],
            params,
        )
        connection.rollback()
    return state


def _create_database_like(params: Mapping[str, str], name: str, model: str) -> None:
    """An empty database with the encoding and locale of ``model``, owned by the connecting role."""
    with _pg_connect(params, MAINTENANCE_DATABASE) as connection:
        row = connection.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = %s",
            [model],
        ).fetchone()
        if row is None:
            raise BackupError(f"the database {model} does not exist; create it first")
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} LC_CTYPE {}").format(
                sql.Identifier(name), sql.Literal(row[0]), sql.Literal(row[1]), sql.Literal(row[2])
            )
        )


def _drop_database(params: Mapping[str, str], name: str) -> None:
    with _pg_connect(params, MAINTENANCE_DATABASE) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _swap_databases(params: Mapping[str, str], target: str, replacement: str, retired: str) -> None:
    """Rename target → retired and replacement → target in one transaction (both or neither)."""
    with _pg_connect(params, MAINTENANCE_DATABASE) as connection:
        for attempt in range(5):
            try:
                with connection.transaction():
                    # Sessions may come back between the termination and the renames: then try again.
                    connection.execute(
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()",
                        [target],
                    )
                    for old, new in ((target, retired), (replacement, target)):
                        connection.execute(
                            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(old), sql.Identifier(new))
                        )
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 4:
                    raise BackupError(
                        f"the database {target} stays in use; stop `vanphong serve` and try again"
                    ) from None
                time.sleep(0.5)


def _pg_target_name(target: str, suffix: str) -> str:
    return target[: 63 - len(suffix)] + suffix  # PostgreSQL cuts identifiers at 63 bytes


# --- writing an archive --------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file for tarfile, hashing and counting what passes through."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _stored_files(files_dir: Path, exclude: Iterable[str] = ()) -> tuple[list[tuple[str, Path, int]], list[str]]:
    """(relative path, path, size) of every regular file under ``files_dir``, and what was skipped.

    ``exclude`` names top-level entries left out altogether (neither listed nor reported).
    """
    found: list[tuple[str, Path, int]] = []
    skipped: list[str] = []
    if not files_dir.is_dir():
        return found, skipped
    excluded = frozenset(exclude)
    # onerror: os.walk would silently skip a directory it cannot read, and the backup would lack its files.
    for directory, dirnames, filenames in os.walk(files_dir, onerror=_raise):
        base = Path(directory)
        if base == files_dir:
            dirnames[:] = [name for name in dirnames if name not in excluded]
            filenames = [name for name in filenames if name not in excluded]
        dirnames.sort()
        for name in [d for d in dirnames if (base / d).is_symlink()]:
            skipped.append((base / name).relative_to(files_dir).as_posix())
        for name in sorted(filenames):
            path = base / name
            info = path.lstat()
            relative = path.relative_to(files_dir).as_posix()
            if stat.S_ISREG(info.st_mode):
                found.append((relative, path, info.st_size))
            else:
                skipped.append(relative)
    return found, skipped


def _raise(error: OSError) -> None:
    raise error


def _add_member(tar: tarfile.TarFile, name: str, path: Path, size: int) -> str:
    """Stream one file into the archive; its SHA-256. The file must not change meanwhile."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as source:
        info = tarfile.TarInfo(name)
        status = os.fstat(fd)
        info.size, info.mtime, info.mode = size, int(status.st_mtime), 0o600
        reader = _HashingReader(source)
        try:
            tar.addfile(info, reader)
        except OSError as error:
            raise BackupError(f"{path} changed while the backup ran ({error}); run the backup again") from None
        if status.st_size != size or os.fstat(fd).st_size != size:
            raise BackupError(f"{path} changed while the backup ran; run the backup again")
    return reader.digest.hexdigest()


def _write_archive(handle: IO[bytes], draft: Manifest, sources: Mapping[str, Path]) -> Manifest:
    """Write the archive into ``handle``: the manifest first, then every member, reading each file once.

    The digests are only known once the members are written, so the manifest goes in first with
    placeholder digests and is rewritten in place at the end: a digest is always 64 characters, so
    the manifest keeps its length and the tar header stays valid.
    """
    placeholder = draft.to_json()
    digests: dict[str, str] = {}
    with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mtime, info.mode = len(placeholder), int(time.time()), 0o600
        tar.addfile(info, io.BytesIO(placeholder))
        padded = (len(placeholder) + tarfile.BLOCKSIZE - 1) // tarfile.BLOCKSIZE * tarfile.BLOCKSIZE
        manifest_offset = handle.tell() - padded
        for member in draft.members:
            digests[member.name] = _add_member(tar, member.name, sources[member.name], member.size)
    manifest = replace(draft, members=tuple(replace(m, sha256=digests[m.name]) for m in draft.members))
    final = manifest.to_json()
    handle.seek(manifest_offset)
    if len(final) != len(placeholder) or handle.read(len(placeholder)) != placeholder:
        raise BackupError("internal error: the manifest could not be completed in place")
    handle.seek(manifest_offset)
    handle.write(final)
    handle.seek(0, os.SEEK_END)
    return manifest


def _default_name() -> str:
    return f"vanphong-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"


def _destination(output: Path | None) -> Path:
    if output is None:
        directory = Path(settings.DATA_DIR) / "backups"
        if not directory.is_dir():
            directory.mkdir(mode=0o700, parents=True)
            directory.chmod(0o700)
        output = directory / _default_name()
    else:
        output = output.expanduser().absolute()
        if output.is_dir():
            output = output / _default_name()
        elif not output.parent.is_dir():
            raise BackupError(f"the directory {output.parent} does not exist")
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name")
    for tree in FILE_TREES:
        if output.parent.resolve().is_relative_to(tree.directory.resolve()):
            raise BackupError(
                f"the archive cannot go inside {tree.setting} ({tree.directory}), which it backs up; "
                "choose another place"
            )
    return output


def _publish(temporary: Path, final: Path) -> None:
    """Give the finished archive its name, never replacing an existing file."""
    try:
        os.link(temporary, final)
    except FileExistsError:
        raise BackupError(f"{final} already exists; choose another name") from None
    except OSError:  # a file system without hard links: check, then rename
        if final.exists():
            raise BackupError(f"{final} already exists; choose another name") from None
        os.replace(temporary, final)
    else:
        temporary.unlink()
    _fsync_directory(final.parent)


def create_backup(output: Path | None = None) -> BackupResult:
    """Write one archive of the installation: a consistent database snapshot, every stored file, a manifest.

    ``output`` is a file name or an existing directory; by default the archive goes to
    DATA_DIR/backups/ (created mode 0700). The archive is written under a temporary name in the same
    directory (mode 0600) and only renamed when complete.
    """
    vendor = _vendor()
    data_dir = Path(settings.DATA_DIR)
    with _reported("backup"), _exclusive(data_dir):
        check_layout()
        destination = _destination(output)
        with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".vanphong-backup-") as staging:
            snapshot = Path(staging) / DATABASE_MEMBERS[vendor]
            state = snapshot_sqlite(_sqlite_path(), snapshot) if vendor == "sqlite" else snapshot_postgres(snapshot)
            sources = {DATABASE_MEMBERS[vendor]: snapshot}
            members = [Member(DATABASE_MEMBERS[vendor], snapshot.stat().st_size, _PLACEHOLDER_DIGEST)]
            skipped: list[str] = []
            for tree in FILE_TREES:
                stored, skipped_here = _stored_files(tree.directory, tree.exclude)
                skipped.extend(str(tree.directory / relative) for relative in skipped_here)
                for relative, path, size in stored:
                    sources[tree.prefix + relative] = path
                    members.append(Member(tree.prefix + relative, size, _PLACEHOLDER_DIGEST))
            draft = Manifest(
                vendor=vendor,
                created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                vanphong_version=vanphong.__version__,
                state=state,
                members=tuple(members),
            )
            fd, temporary_name = tempfile.mkstemp(
                dir=destination.parent, prefix=f".{destination.name}.", suffix=".part"
            )
            temporary = Path(temporary_name)
            try:
                with os.fdopen(fd, "w+b") as handle:
                    manifest = _write_archive(handle, draft, sources)
                    handle.flush()
                    os.fsync(handle.fileno())
                _publish(temporary, destination)
            finally:
                temporary.unlink(missing_ok=True)
    return BackupResult(destination, destination.stat().st_size, manifest, tuple(skipped))


# --- reading and checking an archive -------------------------------------------------------------------


@contextlib.contextmanager
def _open_archive(archive: Path) -> Iterator[tarfile.TarFile]:
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file")
    try:
        tar = tarfile.open(archive, mode="r:*")  # noqa: SIM115 (closed below; errors here and there differ)
    except (tarfile.TarError, EOFError, zlib.error):
        raise BackupError(f"{archive} is not a Vanphong backup: it cannot be read as a tar archive") from None
    except OSError as error:
        raise BackupError(f"{archive} cannot be read: {error.strerror or error}") from None
    try:
        with tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is damaged: {_one_line(error)}") from None


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST_NAME or first.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        raise BackupError(f"{archive} is not a Vanphong backup: it does not start with {MANIFEST_NAME}")
    if first.size > MAX_MANIFEST_SIZE:
        raise BackupError(f"{archive} is not a Vanphong backup: its manifest is implausibly large")
    handle = tar.extractfile(first)
    assert handle is not None  # noqa: S101 (a regular member always has a file object)
    return Manifest.from_json(handle.read())


def read_manifest(archive: Path) -> Manifest:
    """The manifest of an archive, without checking the rest (that is ``verify_archive``)."""
    with _open_archive(archive) as tar:
        return _read_manifest(tar, archive)


def _checked_member(info: tarfile.TarInfo, expected: Mapping[str, Member], seen: set[str], archive: Path) -> Member:
    """The manifest's record of a tar member, or BackupError if the member must not be extracted."""
    if not is_safe_member_name(info.name):
        raise BackupError(f"{archive} is refused: the member {info.name!r} would be written outside the target")
    if info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        raise BackupError(f"{archive} is refused: the member {info.name!r} is a link or a special file")
    member = expected.get(info.name)
    if member is None or info.name == MANIFEST_NAME:
        raise BackupError(f"{archive} is refused: the member {info.name!r} is not listed in the manifest")
    if info.name in seen:
        raise BackupError(f"{archive} is refused: the member {info.name!r} appears twice")
    if info.size != member.size:
        raise BackupError(f"{archive} is damaged: {info.name} has {info.size} bytes, the manifest says {member.size}")
    seen.add(info.name)
    return member


def _copy_hashing(source: IO[bytes], target: IO[bytes] | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest(), size


def _members(tar: tarfile.TarFile, manifest: Manifest, archive: Path) -> Iterator[tuple[Member, IO[bytes]]]:
    """Each member after the manifest with its data, checked against the manifest; then the missing ones."""
    expected = {member.name: member for member in manifest.members}
    seen: set[str] = set()
    while (info := tar.next()) is not None:
        member = _checked_member(info, expected, seen, archive)
        handle = tar.extractfile(info)
        assert handle is not None  # noqa: S101 (a regular member always has a file object)
        yield member, handle
    missing = [name for name in expected if name not in seen]
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        raise BackupError(f"{archive} is incomplete: {missing[0]}{more} missing")


def verify_archive(archive: Path) -> Manifest:
    """Check a whole archive without extracting anything; its manifest, or BackupError saying what is wrong."""
    with _reported("verification"), _open_archive(archive) as tar:
        manifest = _read_manifest(tar, archive)
        for member, handle in _members(tar, manifest, archive):
            digest, size = _copy_hashing(handle)
            if (digest, size) != (member.sha256, member.size):
                raise BackupError(f"{archive} is damaged: {member.name} does not match its SHA-256 in the manifest")
    return manifest


# --- restoring -----------------------------------------------------------------------------------------


def _modes(tree: FileTree) -> tuple[int, int]:
    """(file mode, directory mode) of a restored tree."""
    return (
        tree.file_mode or settings.FILE_UPLOAD_PERMISSIONS or 0o644,
        tree.directory_mode or settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o777,
    )


def _extract(archive: Path, manifest: Manifest, database_to: Path, staged: Mapping[FileTree, Path]) -> None:
    """Write the database member to ``database_to`` and each tree's files under its staged directory (created)."""
    for tree, directory in staged.items():
        directory.mkdir(mode=_modes(tree)[1])
    with _open_archive(archive) as tar:
        if _read_manifest(tar, archive) != manifest:
            raise BackupError(f"{archive} changed during the restore")
        for member, handle in _members(tar, manifest, archive):
            if member.name == DATABASE_MEMBERS[manifest.vendor]:
                path, mode = database_to, 0o600
            else:
                tree = next(tree for tree in staged if member.name.startswith(tree.prefix))
                file_mode, directory_mode = _modes(tree)
                relative = PurePosixPath(member.name[len(tree.prefix) :])
                path, mode = staged[tree].joinpath(*relative.parts), file_mode
                path.parent.mkdir(mode=directory_mode, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
            with os.fdopen(fd, "wb") as target:
                digest, size = _copy_hashing(handle, target)
            if (digest, size) != (member.sha256, member.size):
                raise BackupError(f"{archive} changed during the restore: {member.name} no longer matches")


def _verify_extracted_files(staged: Mapping[FileTree, Path], manifest: Manifest) -> None:
    """Read the extracted files back from disk: exactly the listed ones, with the listed digests."""
    for tree, directory in staged.items():
        _verify_extracted_tree(directory, manifest, tree)


def _verify_extracted_tree(files_dir: Path, manifest: Manifest, tree: FileTree) -> None:
    expected = {member.name[len(tree.prefix) :]: member for member in manifest.members_of(tree)}
    stored, skipped = _stored_files(files_dir)
    if skipped or {relative for relative, _path, _size in stored} != set(expected):
        raise BackupError(f"the extracted {tree.what} differ from the manifest")
    for relative, path, _size in stored:
        with path.open("rb") as handle:
            if _copy_hashing(handle) != (expected[relative].sha256, expected[relative].size):
                raise BackupError(f"the extracted file {relative} does not match its SHA-256 after writing")


def _compare(expected: DatabaseState, actual: DatabaseState, what: str) -> None:
    if actual.row_counts != expected.row_counts:
        tables = sorted(set(expected.row_counts) | set(actual.row_counts))
        differing = [t for t in tables if expected.row_counts.get(t) != actual.row_counts.get(t)]
        raise BackupError(f"{what} does not match the manifest: row counts differ in {', '.join(differing[:5])}")
    if actual.migrations != expected.migrations:
        raise BackupError(f"{what} does not match the manifest: the applied migrations differ")
    if actual.audit_head != expected.audit_head:
        raise BackupError(f"{what} does not match the manifest: the audit chain head differs")


def _has_files(directory: Path, exclude: Iterable[str] = ()) -> bool:
    if not directory.is_dir():
        return False
    excluded = frozenset(exclude)
    for current, subdirs, filenames in os.walk(directory, onerror=_raise):
        if Path(current) == directory:
            subdirs[:] = [name for name in subdirs if name not in excluded]
            filenames = [name for name in filenames if name not in excluded]
        if filenames:
            return True
    return False


def target_content(vendor: str, trees: Iterable[FileTree] = FILE_TREES) -> list[str]:
    """What makes this installation non-empty: core tables with rows, file directories (of ``trees``) with files."""
    found: list[str] = []
    if vendor == "sqlite":
        path = _sqlite_path()
        if path.exists():
            try:
                with contextlib.closing(sqlite3.connect(path, timeout=20)) as db:
                    existing = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                    for table in CORE_TABLES:
                        if table in existing and db.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchone():  # noqa: S608 (fixed names)
                            found.append(table)
            except sqlite3.DatabaseError as error:
                found.append(f"{path}, which cannot be read ({_one_line(error)})")
    else:
        with _pg_connect(_pg_params()) as connection:
            for table in CORE_TABLES:
                if _scalar(connection, "SELECT to_regclass(%s) IS NOT NULL", [table]) and _scalar(
                    connection, sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table))
                ):
                    found.append(table)
    for tree in trees:
        if _has_files(tree.directory, tree.exclude):
            found.append(str(tree.directory))
    return found


def _migration_notes(manifest: Manifest) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    archived = set(manifest.state.migrations)
    notes = []
    if unknown := sorted(archived - known):
        notes.append(
            f"the archive has {len(unknown)} migration(s) this Vanphong does not know (e.g. {unknown[0]}): "
            f"it was written by Vanphong {manifest.vanphong_version}; install that version or newer"
        )
    if pending := sorted(known - archived):
        notes.append(f"{len(pending)} migration(s) are not applied yet: run `vanphong migrate`")
    return notes


def _swap_in(new: Path, live: Path, stamp: str) -> Path | None:
    """Put the directory ``new`` in the place of ``live``; the old directory's new name (or None)."""
    old = live.with_name(f"{live.name}.old-{stamp}")
    if live.exists():
        new.chmod(stat.S_IMODE(live.stat().st_mode))
        live.rename(old)
    try:
        new.rename(live)
    except BaseException:
        if old.exists():
            old.rename(live)
        raise
    return old if old.exists() else None


def _swap_back(new: Path, live: Path, old: Path | None) -> None:
    live.rename(new)
    if old is not None:
        old.rename(live)


Swapped = list[tuple[Path, Path, Path | None]]  # (staged, live, old) of each directory swapped in


def _swap_all_in(staged: Iterable[tuple[Path, Path]], stamp: str) -> Swapped:
    """Swap each staged directory in for its live one, all or nothing: on a failure the ones done go back."""
    swapped: Swapped = []
    try:
        for new, live in staged:
            swapped.append((new, live, _swap_in(new, live, stamp)))
    except BaseException:
        _swap_all_back(swapped)
        raise
    return swapped


def _swap_all_back(swapped: Swapped) -> None:
    for new, live, old in reversed(swapped):
        _swap_back(new, live, old)


def _stage(stack: contextlib.ExitStack, trees: Iterable[FileTree]) -> dict[FileTree, Path]:
    """An empty staging place for each tree, beside its live directory (the final moves are then renames
    on one file system, even for a DOCUMENT_FILES_DIR outside the data directory); removed on exit."""
    staged = {}
    for tree in trees:
        live = tree.directory
        live.parent.mkdir(parents=True, exist_ok=True)
        staging = stack.enter_context(tempfile.TemporaryDirectory(dir=live.parent, prefix=".vanphong-restore-"))
        staged[tree] = Path(staging) / "tree"
    return staged


def _remove_tree(path: Path | None, notes: list[str]) -> None:
    if path is None:
        return
    shutil.rmtree(path, ignore_errors=True)
    if path.exists():
        notes.append(f"{path} (the replaced files) could not be removed: remove it by hand")


def _restore_sqlite(archive: Path, manifest: Manifest, notes: list[str]) -> DatabaseState:
    live = _sqlite_path()
    stamp = _stamp()
    # Beside the live ones, so the final moves are renames on one file system.
    incoming = live.with_name(f".{live.name}.restore-{stamp}")
    try:
        with contextlib.ExitStack() as stack:
            staged = _stage(stack, manifest.trees)
            _extract(archive, manifest, incoming, staged)
            _verify_extracted_files(staged, manifest)
            _check_sqlite_copy(incoming)
            _compare(manifest.state, _sqlite_state(incoming), "the database in the archive")
            os.sync()
            connections.close_all()
            _checkpoint_live(live)
            if live.exists():
                incoming.chmod(stat.S_IMODE(live.stat().st_mode))
            swapped = _swap_all_in(((new, tree.directory) for tree, new in staged.items()), stamp)
            try:
                for suffix in ("-wal", "-shm"):
                    Path(f"{live}{suffix}").unlink(missing_ok=True)
                os.replace(incoming, live)
            except BaseException:
                _swap_all_back(swapped)
                raise
            _fsync_directory(live.parent)
            for _new, _live, old in swapped:
                _remove_tree(old, notes)
    finally:
        for leftover in (incoming, Path(f"{incoming}-wal"), Path(f"{incoming}-shm")):
            leftover.unlink(missing_ok=True)
    return _sqlite_state(live)


def _restore_postgres(archive: Path, manifest: Manifest, notes: list[str]) -> DatabaseState:
    params = _pg_params()
    target = params["dbname"]
    pg_restore = _tool("pg_restore")
    stamp = _stamp()
    temporary, retired = f"vp_restore_{stamp}", _pg_target_name(target, f"_old_{stamp}")
    with contextlib.ExitStack() as stack:
        staged = _stage(stack, manifest.trees)
        dump = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=STORED_FILES.directory.parent)))
        dump /= DATABASE_MEMBERS["postgresql"]
        _extract(archive, manifest, dump, staged)
        _verify_extracted_files(staged, manifest)
        _create_database_like(params, temporary, target)
        try:
            _run_pg_tool(
                [
                    pg_restore,
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--no-password",
                    f"--dbname={temporary}",
                    str(dump),
                ],
                params,
            )
            with _pg_connect(params, temporary) as connection:
                _compare(manifest.state, _pg_state(connection), "the restored database")
            os.sync()
            connections.close_all()
            swapped = _swap_all_in(((new, tree.directory) for tree, new in staged.items()), stamp)
            try:
                _swap_databases(params, target, temporary, retired)
            except BaseException:
                _swap_all_back(swapped)
                raise
        except BaseException:
            with contextlib.suppress(psycopg.Error):
                _drop_database(params, temporary)  # a no-op once it has become the target
            raise
    try:
        _drop_database(params, retired)
    except psycopg.Error as error:
        notes.append(f"the replaced database {retired} could not be dropped ({_one_line(error)}): drop it by hand")
    for _new, _live, old in swapped:
        _remove_tree(old, notes)
    with _pg_connect(params) as connection:
        return _pg_state(connection)


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    """Replace this installation's database and stored files with the content of ``archive``.

    The cheap refusals come first (not a backup, another database vendor, a non-empty target without
    ``force``), then the whole archive is verified, and only then is anything written. Afterwards
    the restored database's row counts, migrations and audit head are checked against the manifest.
    """
    vendor = _vendor()
    notes: list[str] = []
    with _reported("restore"), _exclusive(Path(settings.DATA_DIR)):
        check_layout()
        manifest = read_manifest(archive)
        if manifest.vendor != vendor:
            raise BackupError(
                f"the archive holds a {VENDOR_NAMES[manifest.vendor]} database but this installation uses "
                f"{VENDOR_NAMES[vendor]}; restore it into an installation with the same database"
            )
        # An old archive leaves the document files alone, so they are no reason to refuse it.
        if not force and (content := target_content(vendor, manifest.trees)):
            raise BackupError(
                f"this installation is not empty (it has data in {', '.join(content)}); "
                "use --force to replace everything in it with the archive"
            )
        verify_archive(archive)
        notes.extend(_migration_notes(manifest))
        if vendor == "sqlite":
            state = _restore_sqlite(archive, manifest, notes)
        else:
            state = _restore_postgres(archive, manifest, notes)
        _compare(manifest.state, state, "the restored database")
        notes[:0] = _document_notes(manifest, vendor)
    return RestoreResult(manifest, state, tuple(notes))


# --- after a restore: the document files the database lists -------------------------------------------


def _listed_document_files(vendor: str) -> Iterator[tuple[str, bool]]:
    """(sha256, encrypted) of every document file the restored database lists (none before its migration).

    Streamed: an office's database may list a million files.
    """
    query = "SELECT sha256, encrypted FROM documents_storedfile"
    if vendor == "sqlite":
        with contextlib.closing(sqlite3.connect(_sqlite_path(), timeout=20)) as db:
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_storedfile'").fetchone():
                for sha, encrypted in db.execute(query):
                    yield str(sha), bool(encrypted)
        return
    with _pg_connect(_pg_params()) as connection:
        if _scalar(connection, "SELECT to_regclass('documents_storedfile') IS NOT NULL"):
            with connection.transaction(), connection.cursor(name="vanphong_restored_files") as cursor:
                for sha, encrypted in cursor.execute(query):
                    yield str(sha), bool(encrypted)


def _document_notes(manifest: Manifest, vendor: str) -> list[str]:
    """What the operator must know about document files after a restore: an old archive's, missing ones, keys."""
    directory = DOCUMENT_FILES.directory
    store = FileStore(directory, max_bytes=1)  # only asked whether files exist
    listed = missing = 0
    for sha, encrypted in _listed_document_files(vendor):
        listed += 1
        try:
            present = store.exists(sha, encrypted=encrypted)
        except FileError:  # not a SHA-256: no file can be at that address
            present = False
        missing += not present
    notes = []
    if not manifest.holds_document_files:
        notes.append(
            f"this archive holds no document files: it was written by Vanphong {manifest.vanphong_version} "
            f"(backup format version {manifest.format_version}), before backups included them. The document "
            f"files directory {directory} was left as it was, nothing in it removed or replaced; "
            + (
                f"{missing} of the {listed} document file(s) the restored database lists are not in it: "
                "restore them into that directory from another copy, or those documents will not open"
                if missing
                else f"all {listed} document file(s) the restored database lists are in it"
            )
        )
    elif missing:
        notes.append(
            f"{missing} of the {listed} document file(s) the restored database lists are not in {directory}: "
            "they were already missing when the backup was written"
        )
    sealed = sum(1 for member in manifest.document_members if member.name.startswith(DOCUMENTS_PREFIX + "sealed/"))
    if sealed:
        keys = Path(settings.DOCUMENT_KEYS_DIR)
        has_keys = keys.is_dir() and any(keys.glob("*.key"))
        notes.append(
            f"{sealed} document file(s) of secret documents are encrypted; their keys are never in an archive: "
            f"put your separate copy of the document keys into {keys}"
            + ("" if has_keys else " (it holds no keys now)")
            + " before opening them"
        )
    return notes
