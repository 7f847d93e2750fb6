"""`vanphong backup` and `vanphong restore`, end to end.

Each installation here is a throw-away data directory driven through the real CLI in a subprocess,
as an operator would: a backup and a restore each need their own settings (data directory, database
URL), which one test process cannot switch. The archive checks that need no installation run
in-process against ``vanphong.core.backup``.

Installations:
- ``template``: migrated, no data (copied, never used directly);
- ``source``: an office with organisations, people, an account, an audit trail and stored files;
- ``occupied``: another office's data, the non-empty target a restore must not silently overwrite;
- a fresh directory: a new machine, never migrated.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from vanphong.core import backup

DB_NAME = "vanphong.sqlite3"
PG_URL = "postgres://root@127.0.0.1:5432/{name}"
PASSWORD = "Mat-khau-rat-dai-2024"

# Organisations, people and an account through the services, as the web pages would create them.
POPULATE = """
from vanphong.core.audit import Actor
from vanphong.core.models import OrgKind
from vanphong.core.services import accounts, organizations, people
actor = Actor.system()
body = organizations.create_organization(actor, organizations.OrganizationData(
    kind=OrgKind.PEOPLES_COMMITTEE, full_name="Ủy ban nhân dân tỉnh {province}", abbreviation="UBND"))
office = organizations.create_organization(actor, organizations.OrganizationData(
    kind=OrgKind.INTERNAL_UNIT, full_name="Văn phòng", abbreviation="VP", parent=body))
for number, name in enumerate({names!r}):
    person = people.create_person(actor, people.PersonData(
        full_name=name, organization=office, email=f"p{{number}}@{domain}"))
    if number == 0:
        accounts.create_account(actor, person, username={username!r}, password={password!r})
"""


def vanphong(
    data_dir: Path, *args: str, database_url: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the `vanphong` command against one installation."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("VANPHONG_")}
    environment.update(
        VANPHONG_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="vanphong.settings", VANPHONG_LOG_LEVEL="WARNING"
    )
    if database_url:
        environment["VANPHONG_DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-m", "vanphong", *args], env=environment, capture_output=True, text=True, timeout=120
    )
    if check and result.returncode != 0:
        pytest.fail(f"vanphong {' '.join(args)} exited {result.returncode}: {result.stderr.strip()[-2000:]}")
    return result


def populate(data_dir: Path, *, province: str, names: list[str], username: str, database_url: str = "") -> None:
    script = POPULATE.format(
        province=province, names=names, username=username, password=PASSWORD, domain=f"{username}.example.vn"
    )
    vanphong(data_dir, "manage", "shell", "-c", script, database_url=database_url)


def store_file(data_dir: Path, content: bytes) -> str:
    """Store a file the way the file storage does: under files/ab/cd/<sha256>."""
    digest = hashlib.sha256(content).hexdigest()
    path = data_dir / "files" / digest[:2] / digest[2:4] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return digest


def pdf(text: str, padding: int = 0) -> bytes:
    body = f"1 0 obj << /Type /Catalog >> endobj\n% {text}\n".encode()
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + body + os.urandom(padding) + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    with contextlib.closing(sqlite3.connect(path)) as db:  # closed, so no -wal or -shm stays behind
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def pg_maintenance() -> psycopg.Connection[Any]:
    return psycopg.connect(dbname="postgres", user="root", host="127.0.0.1", port=5432, autocommit=True)


def pg_rows(dbname: str) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(dbname=dbname, user="root", host="127.0.0.1", port=5432) as connection:
        tables = [r[0] for r in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in sorted(tables)}


def file_tree(directory: Path) -> dict[str, str]:
    """relative path → SHA-256 of every file under ``directory``."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def fingerprint(data_dir: Path) -> dict[str, Any]:
    """Everything a failed restore must leave as it was: the database bytes, the files, the directory listing."""
    return {
        "database": hashlib.sha256((data_dir / DB_NAME).read_bytes()).hexdigest(),
        "files": file_tree(data_dir / "files"),
        "listing": sorted(path.name for path in data_dir.iterdir()),
    }


def core_counts(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, int]:
    return {table: len(rows[table]) for table in backup.CORE_TABLES}


# --- installations -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("template")
    vanphong(data_dir, "migrate", "-v", "0")
    return data_dir


@pytest.fixture(scope="module")
def source(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("installations") / "source"
    shutil.copytree(template, data_dir)
    populate(data_dir, province="Lâm Hà", names=["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"], username="an")
    store_file(data_dir, pdf("Quyết định số 12/QĐ-UBND"))
    store_file(data_dir, pdf("Công văn đến số 345", padding=3 * 1024 * 1024))  # several read chunks
    store_file(data_dir, pdf("Biên bản họp"))
    return data_dir


@pytest.fixture(scope="module")
def archive(source: Path) -> Path:
    result = vanphong(source, "backup")
    assert "Backup written:" in result.stdout
    assert "3 file(s)" in result.stdout
    (path,) = (source / "backups").glob("vanphong-backup-*.tar")
    assert str(path) in result.stdout
    return path


@pytest.fixture(scope="module")
def occupied_original(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("installations") / "occupied"
    shutil.copytree(template, data_dir)
    populate(data_dir, province="Thái Sơn", names=["Phạm Thu Hà", "Vũ Đức Minh"], username="ha")
    store_file(data_dir, pdf("Tờ trình của một văn phòng khác"))
    store_file(data_dir, pdf("Thông báo kết luận"))
    return data_dir


@pytest.fixture
def occupied(occupied_original: Path, tmp_path: Path) -> Path:
    """A fresh copy of another office's installation for each test."""
    data_dir = tmp_path / "occupied"
    shutil.copytree(occupied_original, data_dir)
    return data_dir


# --- the archive ---------------------------------------------------------------------------------------


def test_archive_layout(archive: Path, source: Path) -> None:
    assert (archive.parent.stat().st_mode & 0o777) == 0o700
    assert (archive.stat().st_mode & 0o777) == 0o600
    assert not [p for p in archive.parent.iterdir() if p != archive]  # no temporary file left beside it
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(names[0]).read())  # type: ignore[union-attr]
    assert names[0] == "manifest.json"
    assert names[1] == "database.sqlite3"
    stored = {f"files/{relative}" for relative in file_tree(source / "files")}
    assert set(names[2:]) == stored
    assert manifest["format"] == "vanphong-backup"
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["created_at"].endswith("+00:00")
    assert "core.0001_initial" in manifest["migrations"]
    rows = sqlite_rows(source / DB_NAME)
    assert manifest["row_counts"]["core_person"] == len(rows["core_person"]) == 3
    head = rows["core_audithead"][0]
    assert manifest["audit_head"] == {"seq": head[1], "hash": head[2]}
    assert [m["name"] for m in manifest["members"]] == names[1:]
    big = max(manifest["members"], key=lambda m: m["size"])
    assert big["sha256"] == big["name"].rsplit("/", 1)[1]  # stored files are named by their digest
    assert backup.verify_archive(archive).state.audit_head is not None


def test_the_sqlite_snapshot_holds_committed_writes_still_in_the_wal_and_nothing_uncommitted(tmp_path: Path) -> None:
    live, copy = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # keep the committed row in the WAL only
    writer.execute("CREATE TABLE core_person (id INTEGER PRIMARY KEY, full_name TEXT)")
    writer.execute("INSERT INTO core_person (full_name) VALUES ('Nguyễn Văn An')")
    writer.execute("BEGIN")
    writer.execute("INSERT INTO core_person (full_name) VALUES ('not yet committed')")
    try:
        state = backup.snapshot_sqlite(live, copy)
    finally:
        writer.rollback()
        writer.close()
    assert state.row_counts == {"core_person": 1}
    with contextlib.closing(sqlite3.connect(copy)) as db:
        assert db.execute("SELECT full_name FROM core_person").fetchall() == [("Nguyễn Văn An",)]


# --- restore -------------------------------------------------------------------------------------------


def test_backup_restored_into_an_empty_instance_is_identical(source: Path, archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "new-machine"  # never migrated
    result = vanphong(target, "restore", str(archive))
    assert "row counts match the manifest" in result.stdout
    restored, original = sqlite_rows(target / DB_NAME), sqlite_rows(source / DB_NAME)
    assert core_counts(original) == {"core_organization": 2, "core_person": 3, "core_account": 1, "core_auditentry": 6}
    assert restored == original
    assert file_tree(target / "files") == file_tree(source / "files")
    assert len(file_tree(target / "files")) == 3
    verify = vanphong(target, "audit", "verify")
    assert "audit log intact: 6 entries verified" in verify.stdout
    assert sorted(p.name for p in target.iterdir()) == ["files", "secret_key", DB_NAME]  # nothing left over


@pytest.mark.parametrize("content", ["database", "files only"])
def test_a_non_empty_instance_is_refused_without_force(
    content: str, occupied: Path, template: Path, archive: Path, tmp_path: Path
) -> None:
    target = occupied
    if content == "files only":
        target = tmp_path / "files-only"
        shutil.copytree(template, target)
        store_file(target, pdf("a file stored before any data was entered"))
    before = fingerprint(target)
    result = vanphong(target, "restore", str(archive), check=False)
    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert "use --force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(target) == before


def _members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive) as tar:
        return [(info, tar.extractfile(info).read() if info.isfile() else b"") for info in tar]  # type: ignore[union-attr]


def _write(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data) if info.isfile() else 0
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return path


def _with_manifest(members: list[tuple[tarfile.TarInfo, bytes]], change: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads(members[0][1])
    change(manifest)
    members[0] = (members[0][0], json.dumps(manifest).encode())


def _entry(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _largest_file(archive: Path) -> tarfile.TarInfo:
    with tarfile.open(archive) as tar:
        return max((i for i in tar if i.name.startswith("files/")), key=lambda i: i.size)


def flipped_byte(archive: Path, out: Path) -> Path:
    data = bytearray(archive.read_bytes())
    info = _largest_file(archive)
    data[info.offset_data + info.size // 2] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def truncated(archive: Path, out: Path) -> Path:
    info = _largest_file(archive)
    out.write_bytes(archive.read_bytes()[: info.offset_data + info.size // 2])
    return out


def manifest_checksum_mismatch(archive: Path, out: Path) -> Path:
    members = _members(archive)
    _with_manifest(members, lambda m: m["members"][-1].update(sha256="ab" * 32))
    return _write(out, members)


def climbing_member(archive: Path, out: Path) -> Path:
    """A tar-slip: an unlisted member that would land beside the target's data directory."""
    members = _members(archive)
    members.append((tarfile.TarInfo("../evil"), b"#!/bin/sh\necho owned\n"))
    return _write(out, members)


def climbing_member_listed(archive: Path, out: Path) -> Path:
    """The same, with the manifest doctored to list the member and its true digest."""
    members = _members(archive)
    payload = b"#!/bin/sh\necho owned\n"
    members.append((tarfile.TarInfo("files/../../evil"), payload))
    _with_manifest(members, lambda m: m["members"].append(_entry("files/../../evil", payload)))
    return _write(out, members)


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (flipped_byte, "does not match its SHA-256"),
        (truncated, "is damaged"),
        (manifest_checksum_mismatch, "does not match its SHA-256"),
        (climbing_member, "would be written outside the target"),
    ],
)
def test_a_corrupted_archive_is_refused_and_the_target_is_untouched(
    corrupt: Callable[[Path, Path], Path], message: str, archive: Path, occupied: Path, tmp_path: Path
) -> None:
    bad = corrupt(archive, tmp_path / "corrupt.tar")
    before = fingerprint(occupied)
    result = vanphong(occupied, "restore", str(bad), "--force", check=False)  # --force: only the damage may stop it
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(occupied) == before
    assert not list(tmp_path.rglob("*evil*"))


def _symlink(archive: Path, out: Path) -> Path:
    members = _members(archive)
    link = tarfile.TarInfo("files/ab/passwd")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    members.append((link, b""))
    return _write(out, members)


def _hardlink(archive: Path, out: Path) -> Path:
    members = _members(archive)
    link = tarfile.TarInfo(members[-1][0].name)
    link.type, link.linkname = tarfile.LNKTYPE, "/etc/passwd"
    members[-1] = (link, b"")
    return _write(out, members)


def _device(archive: Path, out: Path) -> Path:
    members = _members(archive)
    device = tarfile.TarInfo("files/null")
    device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 1, 3
    members.append((device, b""))
    return _write(out, members)


def _unlisted(archive: Path, out: Path) -> Path:
    members = _members(archive)
    members.append((tarfile.TarInfo("files/extra.pdf"), pdf("slipped in")))
    return _write(out, members)


def _missing(archive: Path, out: Path) -> Path:
    return _write(out, _members(archive)[:-1])


def _twice(archive: Path, out: Path) -> Path:
    members = _members(archive)
    return _write(out, [*members, members[-1]])


def _manifest_not_first(archive: Path, out: Path) -> Path:
    members = _members(archive)
    return _write(out, [*members[1:], members[0]])


def _absolute(archive: Path, out: Path) -> Path:
    members = _members(archive)
    members.append((tarfile.TarInfo("/var/lib/evil"), b"x"))
    return _write(out, members)


def _wrong_size(archive: Path, out: Path) -> Path:
    members = _members(archive)
    members[-1] = (members[-1][0], members[-1][1] + b"\n")
    return _write(out, members)


def _not_a_tar(archive: Path, out: Path) -> Path:
    out.write_bytes(b"%PDF-1.7\n" * 200)
    return out


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_symlink, "is a link or a special file"),
        (_hardlink, "is a link or a special file"),
        (_device, "is a link or a special file"),
        (_unlisted, "is not listed in the manifest"),
        (_missing, "is incomplete"),
        (_twice, "appears twice"),
        (_manifest_not_first, "does not start with manifest.json"),
        (_absolute, "would be written outside the target"),
        (climbing_member_listed, "unsafe member path"),
        (_wrong_size, "the manifest says"),
        (_not_a_tar, "cannot be read as a tar archive"),
    ],
)
def test_verification_refuses(
    corrupt: Callable[[Path, Path], Path], message: str, archive: Path, tmp_path: Path
) -> None:
    bad = corrupt(archive, tmp_path / "bad.tar")
    with pytest.raises(backup.BackupError, match=message):
        backup.verify_archive(bad)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("files/ab/cd/0123", True),
        ("database.sqlite3", True),
        ("files/Biên bản.pdf", True),
        ("../evil", False),
        ("files/../../evil", False),
        ("files/./x", False),
        ("/etc/passwd", False),
        ("files//x", False),
        ("files/x/", False),
        ("", False),
        ("files/x\x00.pdf", False),
    ],
)
def test_member_names(name: str, safe: bool) -> None:
    assert backup.is_safe_member_name(name) is safe


def test_force_replaces_the_content_of_a_non_empty_instance(source: Path, archive: Path, occupied: Path) -> None:
    replaced = file_tree(occupied / "files")
    result = vanphong(occupied, "restore", str(archive), "--force")
    assert "row counts match the manifest" in result.stdout
    assert sorted(p.name for p in occupied.iterdir()) == ["files", "secret_key", DB_NAME]  # old files removed
    restored = sqlite_rows(occupied / DB_NAME)
    assert restored == sqlite_rows(source / DB_NAME)
    assert not any("Thái Sơn" in str(row) for row in restored["core_organization"])
    assert file_tree(occupied / "files") == file_tree(source / "files")
    assert not set(replaced) & set(file_tree(occupied / "files"))
    assert "audit log intact: 6 entries verified" in vanphong(occupied, "audit", "verify").stdout


def test_an_archive_of_another_database_vendor_is_refused(archive: Path, tmp_path: Path) -> None:
    """In-process, against the test run's own installation (SQLite or PostgreSQL): an archive of the
    other vendor is refused before anything is read."""
    from django.db import connection

    if connection.vendor == "sqlite":
        members = _members(archive)
        members[1][0].name = "database.pgdump"
        _with_manifest(members, lambda m: m.update(database_vendor="postgresql"))
        _with_manifest(members, lambda m: m["members"][0].update(name="database.pgdump"))
        foreign, expected = (
            _write(tmp_path / "postgres.tar", members),
            "holds a PostgreSQL database but this installation uses SQLite",
        )
    else:
        foreign, expected = archive, "holds a SQLite database but this installation uses PostgreSQL"
    with pytest.raises(backup.BackupError, match=expected):
        backup.restore_backup(foreign, force=True)


# --- PostgreSQL ----------------------------------------------------------------------------------------


def psql(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            command,
            "-h",
            "127.0.0.1",
            "-p",
            "5432",
            "-U",
            "root",
            "-d",
            "postgres",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@dataclass(frozen=True)
class PgSource:
    data_dir: Path
    archive: Path
    database: str
    target_database: str  # created empty, for the restore


def prepare_pg_source(data_dir: Path, prefix: str) -> PgSource:
    source_db, target_db = f"{prefix}_source", f"{prefix}_target"
    for name in (source_db, target_db):
        created = psql(f'CREATE DATABASE "{name}"')
        if created.returncode != 0:
            pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is required for this test: {created.stderr.strip()}")
    url = PG_URL.format(name=source_db)
    vanphong(data_dir, "migrate", "-v", "0", database_url=url)
    populate(data_dir, province="Lâm Hà", names=["Nguyễn Văn An", "Trần Thị Bình"], username="an", database_url=url)
    store_file(data_dir, pdf("Quyết định số 7/QĐ-UBND"))
    store_file(data_dir, pdf("Kế hoạch", padding=200_000))
    vanphong(data_dir, "backup", database_url=url)
    (archive,) = (data_dir / "backups").glob("*.tar")
    return PgSource(data_dir, archive, source_db, target_db)


@pytest.fixture(scope="module", autouse=True)
def pg_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Future[PgSource]]:
    """The PostgreSQL source installation and its backup, prepared in the background while the SQLite
    tests run: migrating PostgreSQL alone takes several seconds. A failure shows in the PostgreSQL test."""
    prefix = f"vp_test_{uuid.uuid4().hex[:12]}"
    with ThreadPoolExecutor(max_workers=1) as executor:
        future = executor.submit(prepare_pg_source, tmp_path_factory.mktemp("pg") / "source", prefix)
        yield future
        wait([future])  # never drop the databases under a running migrate
    # The test databases, and whatever a failed restore might have left (<target>_old_<stamp>).
    with contextlib.suppress(psycopg.OperationalError), pg_maintenance() as connection:
        query = "SELECT datname FROM pg_database WHERE datname LIKE %s"
        for (name,) in connection.execute(query, [f"{prefix}%"]).fetchall():
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def test_postgresql_round_trip(pg_source: Future[PgSource], tmp_path: Path) -> None:
    prepared = pg_source.result(timeout=180)
    target, target_url = tmp_path / "pg-target", PG_URL.format(name=prepared.target_database)
    with tarfile.open(prepared.archive) as tar:
        assert tar.getnames()[:2] == ["manifest.json", "database.pgdump"]

    result = vanphong(target, "restore", str(prepared.archive), database_url=target_url)
    assert "row counts match the manifest" in result.stdout
    original, restored = pg_rows(prepared.database), pg_rows(prepared.target_database)
    assert core_counts(original) == {"core_organization": 2, "core_person": 2, "core_account": 1, "core_auditentry": 5}
    assert restored == original
    assert file_tree(target / "files") == file_tree(prepared.data_dir / "files")
    verify = vanphong(target, "audit", "verify", database_url=target_url)
    assert "audit log intact: 5 entries verified" in verify.stdout
    with pg_maintenance() as connection:
        databases = {r[0] for r in connection.execute("SELECT datname FROM pg_database")}
    assert not {name for name in databases if name.startswith(f"{prepared.target_database}_old_")}

    # Back into the source's own database, which is not empty: refused.
    source_url = PG_URL.format(name=prepared.database)
    refused = vanphong(prepared.data_dir, "restore", str(prepared.archive), database_url=source_url, check=False)
    assert refused.returncode == 1
    assert "use --force" in refused.stderr
