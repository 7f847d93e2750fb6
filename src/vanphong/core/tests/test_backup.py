"""`vanphong backup` and `vanphong restore`, end to end.

Each installation here is a throw-away data directory driven through the real CLI in a subprocess,
as an operator would: a backup and a restore each need their own settings (data directory, database
URL), which one test process cannot switch. The archive checks that need no installation run
in-process against ``vanphong.core.backup``.

Installations:
- ``template``: migrated, no data (copied, never used directly);
- ``source``: an office with organisations, people, an account, an audit trail, stored files and
  document files (plain PDFs and one secret document's file, encrypted), registered in the database;
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


# Document files through the documents' own store, registered as the upload service registers them
# (a StoredFile row per blob); files named secret-* are sealed, as a secret document's files are.
STORE_DOCUMENTS = """
from pathlib import Path
from vanphong.documents import storage
from vanphong.documents.models import StoredFile
for path in sorted(Path({inbox!r}).iterdir()):
    blob = storage.store().put(path.read_bytes(), encrypt=path.name.startswith("secret-"))
    StoredFile.objects.create(
        sha256=blob.sha256, size=blob.size, media_type="application/pdf", encrypted=blob.encrypted)
"""

# Every document file the database lists, opened the way a document page opens it.
READ_DOCUMENTS = """
import hashlib
from vanphong.documents.models import StoredFile
from vanphong.documents.services import files
for stored in StoredFile.objects.order_by("sha256"):
    print("read:", stored.sha256, stored.encrypted, hashlib.sha256(files.read(stored)).hexdigest())
"""


def vanphong(
    data_dir: Path,
    *args: str,
    database_url: str = "",
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the `vanphong` command against one installation."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("VANPHONG_")}
    environment.update(
        VANPHONG_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="vanphong.settings", VANPHONG_LOG_LEVEL="WARNING"
    )
    environment.update(env or {})
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


def store_documents(
    data_dir: Path, contents: dict[str, bytes], *, database_url: str = "", env: dict[str, str] | None = None
) -> dict[str, bytes]:
    """Store document files through the documents' file store; SHA-256 of the plaintext → plaintext."""
    inbox = data_dir.parent / f"inbox-{uuid.uuid4().hex[:8]}"
    inbox.mkdir()
    for name, content in contents.items():
        (inbox / name).write_bytes(content)
    script = STORE_DOCUMENTS.format(inbox=str(inbox))
    vanphong(data_dir, "manage", "shell", "-c", script, database_url=database_url, env=env)
    shutil.rmtree(inbox)
    return {hashlib.sha256(content).hexdigest(): content for content in contents.values()}


def read_documents(
    data_dir: Path, *, database_url: str = "", env: dict[str, str] | None = None
) -> dict[str, tuple[bool, str]]:
    """sha256 → (encrypted, SHA-256 of the plaintext read back) of every document file the database lists."""
    result = vanphong(data_dir, "manage", "shell", "-c", READ_DOCUMENTS, database_url=database_url, env=env)
    return {
        sha: (encrypted == "True", read)
        for _marker, sha, encrypted, read in (
            line.split() for line in result.stdout.splitlines() if line.startswith("read: ")
        )
    }


def office_documents(title: str) -> dict[str, bytes]:
    """The files of an office's documents: scans, a draft, a signed PDF and a secret document's file."""
    return {
        "scan-cong-van-den.pdf": pdf(f"{title}: Công văn đến số 118/UBND-VP, bản quét", padding=2 * 1024 * 1024),
        "du-thao-to-trinh.pdf": pdf(f"{title}: Dự thảo tờ trình về kế hoạch năm 2026"),
        "quyet-dinh-da-ky.pdf": pdf(f"{title}: Quyết định số 45/QĐ-UBND, bản đã ký số"),
        "secret-bao-cao-mat.pdf": pdf(f"{title}: Báo cáo MẬT về công tác bảo vệ bí mật nhà nước"),
    }


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
        "documents": file_tree(data_dir / "documents"),
        "listing": sorted(path.name for path in data_dir.iterdir()),
    }


def archived_documents(directory: Path) -> dict[str, str]:
    """The document files a backup takes: all but tmp/ (uploads being written)."""
    return {name: digest for name, digest in file_tree(directory).items() if not name.startswith("tmp/")}


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
    store_documents(data_dir, office_documents("Lâm Hà"))
    (data_dir / "documents" / "tmp" / "up-dang-tai").write_bytes(b"%PDF-1.7\n half an upload")
    return data_dir


@pytest.fixture(scope="module")
def archive(source: Path) -> Path:
    result = vanphong(source, "backup")
    assert "Backup written:" in result.stdout
    assert "3 stored file(s), 4 document file(s)" in result.stdout
    assert f"Not in the archive: the document keys in {source / 'document-keys'}" in result.stdout
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
    store_documents(data_dir, {"to-trinh.pdf": pdf("Tờ trình số 9/TTr-UBND của Thái Sơn")})
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
    documents = {f"documents/{relative}" for relative in archived_documents(source / "documents")}
    assert len(documents) == 4
    assert len([name for name in documents if name.startswith("documents/sealed/")]) == 1
    assert set(names[2:]) == stored | documents  # not tmp/, not the keys
    assert manifest["format"] == "vanphong-backup"
    assert manifest["format_version"] == 2
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
    assert "3 stored file(s), 4 document file(s)" in result.stdout
    assert f"put your separate copy of the document keys into {target / 'document-keys'} (it holds no keys now)" in (
        result.stdout
    )
    restored, original = sqlite_rows(target / DB_NAME), sqlite_rows(source / DB_NAME)
    assert core_counts(original) == {"core_organization": 2, "core_person": 3, "core_account": 1, "core_auditentry": 6}
    assert restored == original
    assert file_tree(target / "files") == file_tree(source / "files")
    assert len(file_tree(target / "files")) == 3
    assert file_tree(target / "documents") == archived_documents(source / "documents")
    verify = vanphong(target, "audit", "verify")
    assert "audit log intact: 6 entries verified" in verify.stdout
    listing = ["documents", "files", "secret_key", DB_NAME]
    assert sorted(p.name for p in target.iterdir()) == listing  # nothing left over, no keys

    # The keys come from their own backup; then every document's file opens, byte for byte.
    shutil.copytree(source / "document-keys", target / "document-keys")
    expected = {sha: (sha in sealed_names(source), sha) for sha in read_documents(source)}
    assert len(expected) == 4
    assert read_documents(target) == expected


def sealed_names(data_dir: Path) -> set[str]:
    return {path.name for path in (data_dir / "documents" / "sealed").rglob("*") if path.is_file()}


@pytest.mark.parametrize("content", ["database", "files only", "document files only"])
def test_a_non_empty_instance_is_refused_without_force(
    content: str, occupied: Path, template: Path, archive: Path, tmp_path: Path
) -> None:
    target = occupied
    if content != "database":
        target = tmp_path / "files-only"
        shutil.copytree(template, target)
    if content == "files only":
        store_file(target, pdf("a file stored before any data was entered"))
    if content == "document files only":
        blob = pdf("a document file left by an earlier installation")
        digest = hashlib.sha256(blob).hexdigest()
        path = target / "documents" / "plain" / digest[:2] / digest[2:4] / digest
        path.parent.mkdir(parents=True)
        path.write_bytes(blob)
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


def _largest_file(archive: Path, prefix: str = "files/") -> tarfile.TarInfo:
    with tarfile.open(archive) as tar:
        return max((i for i in tar if i.name.startswith(prefix)), key=lambda i: i.size)


def _flip(archive: Path, out: Path, info: tarfile.TarInfo) -> Path:
    data = bytearray(archive.read_bytes())
    data[info.offset_data + info.size // 2] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def flipped_byte(archive: Path, out: Path) -> Path:
    return _flip(archive, out, _largest_file(archive))


def flipped_document_byte(archive: Path, out: Path) -> Path:
    """A document file altered in the archive (the scan, several read chunks long)."""
    return _flip(archive, out, _largest_file(archive, "documents/"))


def flipped_secret_document_byte(archive: Path, out: Path) -> Path:
    return _flip(archive, out, _largest_file(archive, "documents/sealed/"))


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
        (flipped_document_byte, "does not match its SHA-256"),
        (flipped_secret_document_byte, "does not match its SHA-256"),
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
    replaced_documents = file_tree(occupied / "documents")
    result = vanphong(occupied, "restore", str(archive), "--force")
    assert "row counts match the manifest" in result.stdout
    listing = ["document-keys", "documents", "files", "secret_key", DB_NAME]
    assert sorted(p.name for p in occupied.iterdir()) == listing  # old files removed
    assert file_tree(occupied / "documents") == archived_documents(source / "documents")
    assert not set(replaced_documents) & set(file_tree(occupied / "documents"))
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


# --- document files ------------------------------------------------------------------------------------


def old_format(archive: Path, out: Path) -> Path:
    """The archive as Vanphong wrote it before backups held document files: format version 1, no documents/."""
    members = [(info, data) for info, data in _members(archive) if not info.name.startswith("documents/")]

    def downgrade(manifest: dict[str, Any]) -> None:
        manifest["format_version"] = 1
        manifest["members"] = [m for m in manifest["members"] if not m["name"].startswith("documents/")]

    _with_manifest(members, downgrade)
    return _write(out, members)


def test_an_old_archive_restores_and_leaves_the_document_files_as_they_are(
    source: Path, archive: Path, occupied: Path, tmp_path: Path
) -> None:
    old = old_format(archive, tmp_path / "old.tar")
    kept = file_tree(occupied / "documents")
    assert len(kept) == 1
    result = vanphong(occupied, "restore", str(old), "--force")
    assert "3 stored file(s), no document files (an older archive: see the note)" in result.stdout
    assert "note: this archive holds no document files" in result.stdout
    assert "(backup format version 1)" in result.stdout
    assert "nothing in it removed or replaced" in result.stdout
    assert "4 of the 4 document file(s) the restored database lists are not in it" in result.stdout
    assert file_tree(occupied / "documents") == kept  # not silently emptied
    assert sqlite_rows(occupied / DB_NAME) == sqlite_rows(source / DB_NAME)
    assert file_tree(occupied / "files") == file_tree(source / "files")


def test_an_old_archive_beside_document_files_restored_from_another_copy(
    source: Path, archive: Path, template: Path, tmp_path: Path
) -> None:
    old = old_format(archive, tmp_path / "old.tar")
    target = tmp_path / "new-machine"
    shutil.copytree(template, target)
    shutil.copytree(source / "documents", target / "documents")  # the IT staff's own copy, put back first
    shutil.copytree(source / "document-keys", target / "document-keys")
    result = vanphong(target, "restore", str(old))  # no --force needed: the document files are not touched
    assert "all 4 document file(s) the restored database lists are in it" in result.stdout
    assert read_documents(target) == read_documents(source)


def test_a_version_1_archive_cannot_carry_document_files(archive: Path, tmp_path: Path) -> None:
    members = _members(archive)
    _with_manifest(members, lambda m: m.update(format_version=1))
    with pytest.raises(backup.BackupError, match="unexpected member 'documents/"):
        backup.verify_archive(_write(tmp_path / "odd.tar", members))


def test_the_directories_are_swapped_in_all_or_nothing(tmp_path: Path) -> None:
    staged = []
    for name in ("files", "documents"):
        live, new = tmp_path / name, tmp_path / f"staged-{name}"
        for directory, when in ((live, "trước"), (new, "sau")):
            directory.mkdir()
            (directory / f"{name}.pdf").write_bytes(pdf(f"{name} {when} khi khôi phục"))
        staged.append((new, live))
    before = {path.name: file_tree(path) for path in tmp_path.iterdir()}
    shutil.rmtree(tmp_path / "staged-documents")  # the second swap fails: its staged directory is gone
    del before["staged-documents"]
    with pytest.raises(FileNotFoundError):
        backup._swap_all_in(staged, "20261207030000_a1b2c3")
    assert {path.name: file_tree(path) for path in tmp_path.iterdir()} == before  # the first went back


def test_document_files_outside_the_data_directory(template: Path, tmp_path: Path) -> None:
    documents = tmp_path / "kho-luu-tru" / "van-ban"
    outside = {"VANPHONG_DOCUMENT_FILES_DIR": str(documents)}
    data_dir = tmp_path / "data"
    shutil.copytree(template, data_dir)
    stored = store_documents(data_dir, office_documents("Sơn Hà"), env=outside)
    assert not (data_dir / "documents").exists()

    refused = vanphong(data_dir, "backup", "--output", str(documents / "plain"), env=outside, check=False)
    assert refused.returncode == 1
    assert f"the archive cannot go inside DOCUMENT_FILES_DIR ({documents})" in refused.stderr
    keys_inside = {**outside, "VANPHONG_DOCUMENT_KEYS_DIR": str(documents / "keys")}
    refused = vanphong(data_dir, "backup", "--output", str(tmp_path), env=keys_inside, check=False)
    assert refused.returncode == 1
    assert "DOCUMENT_KEYS_DIR" in refused.stderr
    assert "lies inside DOCUMENT_FILES_DIR" in refused.stderr
    assert not list(tmp_path.glob("*.tar"))

    written = vanphong(data_dir, "backup", "--output", str(tmp_path / "sao-luu.tar"), env=outside)
    assert "0 stored file(s), 4 document file(s)" in written.stdout
    target, target_documents = tmp_path / "new-machine", tmp_path / "o-dia-moi" / "tai-lieu"
    moved = {"VANPHONG_DOCUMENT_FILES_DIR": str(target_documents)}
    vanphong(target, "restore", str(tmp_path / "sao-luu.tar"), env=moved)
    assert file_tree(target_documents) == archived_documents(documents)
    assert (target_documents.stat().st_mode & 0o777) == 0o750
    assert sorted(p.name for p in target_documents.parent.iterdir()) == ["tai-lieu"]  # no staging left
    assert not (target / "documents").exists()
    shutil.copytree(data_dir / "document-keys", target / "document-keys")
    assert {sha: read for sha, (_secret, read) in read_documents(target, env=moved).items()} == {
        sha: sha for sha in stored
    }


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
    store_documents(data_dir, office_documents("Lâm Hà"), database_url=url)
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
    assert file_tree(target / "documents") == archived_documents(prepared.data_dir / "documents")
    assert len(file_tree(target / "documents")) == 4
    assert "2 stored file(s), 4 document file(s)" in result.stdout
    shutil.copytree(prepared.data_dir / "document-keys", target / "document-keys")
    assert read_documents(target, database_url=target_url) == read_documents(
        prepared.data_dir, database_url=PG_URL.format(name=prepared.database)
    )
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
