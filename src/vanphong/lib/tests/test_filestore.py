"""Content-addressed file store: atomic, idempotent writes; sealed blobs for secret documents."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import tracemalloc
from pathlib import Path

import pytest

from vanphong.lib.filestore import ERROR_CODES, FileError, FileStore, KeyRing

DECISION = (
    "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\n"
    "Về việc thành lập Tổ công tác chuyển đổi số của Văn phòng Tỉnh ủy\n"
).encode()
SECRET_REPORT = "TỐI MẬT — Báo cáo số 57-BC/TU về công tác bảo vệ bí mật nhà nước năm 2026".encode()


class ZeroStream(io.RawIOBase):
    """A file-like upload of ``size`` bytes that never holds more than one chunk."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return b"\x00" * n


@pytest.fixture
def keyring(tmp_path: Path) -> KeyRing:
    return KeyRing.load_or_create(tmp_path / "keys")


@pytest.fixture
def store(tmp_path: Path, keyring: KeyRing) -> FileStore:
    return FileStore(tmp_path / "files", max_bytes=64 * 1024 * 1024, keyring=keyring)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_put_stores_under_sha_of_plaintext_with_private_mode(store: FileStore) -> None:
    blob = store.put(DECISION)
    sha = hashlib.sha256(DECISION).hexdigest()
    assert (blob.sha256, blob.size, blob.encrypted) == (sha, len(DECISION), False)
    path = store.root / "plain" / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == DECISION
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert store.exists(sha, encrypted=False)
    assert not store.exists(sha, encrypted=True)
    assert store.open_bytes(sha, encrypted=False) == DECISION


def test_second_put_of_same_content_is_a_no_op(store: FileStore) -> None:
    first = store.put(DECISION)
    path = store.root / "plain" / first.sha256[:2] / first.sha256[2:4] / first.sha256
    inode = path.stat().st_ino
    second = store.put(io.BytesIO(DECISION))
    assert second == first
    assert path.stat().st_ino == inode  # not rewritten
    assert stored_files(store.root) == [path]  # and no temp file left behind


def test_stream_and_bytes_give_the_same_address(store: FileStore) -> None:
    payload = DECISION * 30_000  # about 3 MB, several chunks
    assert store.put(io.BytesIO(payload)).sha256 == hashlib.sha256(payload).hexdigest()


def test_fifty_megabyte_upload_is_streamed_not_held(store: FileStore) -> None:
    size = 50 * 1024 * 1024
    tracemalloc.start()
    try:
        blob = store.put(ZeroStream(size))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert blob.size == size
    assert blob.sha256 == hashlib.sha256(b"\x00" * size).hexdigest()
    assert peak < 6 * 1024 * 1024


@pytest.mark.parametrize("as_stream", [False, True])
@pytest.mark.parametrize("encrypt", [False, True])
def test_too_large_is_refused_and_leaves_nothing(
    tmp_path: Path, keyring: KeyRing, as_stream: bool, encrypt: bool
) -> None:
    store = FileStore(tmp_path / "files", max_bytes=1024 * 1024, keyring=keyring)
    scan = b"%PDF-1.4\n" + b"\x42" * (3 * 1024 * 1024)
    with pytest.raises(FileError) as caught:
        store.put(io.BytesIO(scan) if as_stream else scan, encrypt=encrypt)
    assert caught.value.code == "too_large"
    assert stored_files(tmp_path / "files") == []


def test_exactly_max_bytes_is_accepted(tmp_path: Path) -> None:
    store = FileStore(tmp_path, max_bytes=len(DECISION))
    assert store.put(io.BytesIO(DECISION)).size == len(DECISION)


def test_empty_upload_is_refused(store: FileStore) -> None:
    with pytest.raises(FileError) as caught:
        store.put(io.BytesIO(b""))
    assert caught.value.code == "empty"
    assert stored_files(store.root) == []


def test_sealed_round_trip(store: FileStore) -> None:
    blob = store.put(SECRET_REPORT, encrypt=True)
    assert blob.encrypted and blob.sha256 == hashlib.sha256(SECRET_REPORT).hexdigest()
    sealed = store.root / "sealed" / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    raw = sealed.read_bytes()
    assert raw.startswith(b"VPSEAL\x01")
    assert "bí mật".encode() not in raw and SECRET_REPORT not in raw
    assert not store.exists(blob.sha256, encrypted=False)  # never written in clear
    assert store.open_bytes(blob.sha256, encrypted=True) == SECRET_REPORT
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o640


def test_sealing_again_keeps_the_first_ciphertext(store: FileStore) -> None:
    blob = store.put(SECRET_REPORT, encrypt=True)
    sealed = store.root / "sealed" / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    before = sealed.read_bytes()
    assert store.put(io.BytesIO(SECRET_REPORT), encrypt=True) == blob
    assert sealed.read_bytes() == before


def test_key_file_is_private_and_reused(tmp_path: Path) -> None:
    ring = KeyRing.load_or_create(tmp_path / "keys")
    key_file = tmp_path / "keys" / "k0001.key"
    assert len(key_file.read_bytes()) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    again = KeyRing.load_or_create(tmp_path / "keys")
    assert again.current_id == ring.current_id == "k0001"
    assert again.key("k0001") == ring.key("k0001")


@pytest.mark.parametrize(
    ("mode", "content"),
    [(0o644, b"k" * 32), (0o600, b"k" * 16)],
    ids=["readable-by-others", "wrong-length"],
)
def test_bad_key_files_are_refused(tmp_path: Path, mode: int, content: bytes) -> None:
    (tmp_path / "keys").mkdir(mode=0o700)
    key_file = tmp_path / "keys" / "k0001.key"
    key_file.write_bytes(content)
    key_file.chmod(mode)
    with pytest.raises(FileError) as caught:
        KeyRing.load_or_create(tmp_path / "keys")
    assert caught.value.code == "bad_key_file"


def test_tampered_ciphertext_is_detected(store: FileStore) -> None:
    blob = store.put(SECRET_REPORT, encrypt=True)
    sealed = store.root / "sealed" / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    raw = bytearray(sealed.read_bytes())
    raw[-20] ^= 0x01
    sealed.write_bytes(bytes(raw))
    with pytest.raises(FileError) as caught:
        store.open_bytes(blob.sha256, encrypted=True)
    assert caught.value.code == "tampered"


def test_swapped_sealed_blob_fails_authentication(store: FileStore) -> None:
    report = store.put(SECRET_REPORT, encrypt=True)
    other = store.put("Công văn số 88/VPTU-HC về lịch tiếp công dân".encode(), encrypt=True)

    def path(sha: str) -> Path:
        return store.root / "sealed" / sha[:2] / sha[2:4] / sha

    # Someone with disk access puts a harmless letter's ciphertext where the secret report was.
    path(report.sha256).write_bytes(path(other.sha256).read_bytes())
    with pytest.raises(FileError) as caught:
        store.open_bytes(report.sha256, encrypted=True)
    assert caught.value.code == "tampered"


def test_truncated_or_headerless_sealed_blob_is_tampered(store: FileStore) -> None:
    blob = store.put(SECRET_REPORT, encrypt=True)
    sealed = store.root / "sealed" / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    for damaged in (b"", b"VPSEAL", b"XXSEAL" + sealed.read_bytes()[6:]):
        sealed.write_bytes(damaged)
        with pytest.raises(FileError) as caught:
            store.open_bytes(blob.sha256, encrypted=True)
        assert caught.value.code == "tampered"


def test_wrong_key_with_same_id_is_tampered(tmp_path: Path, store: FileStore) -> None:
    blob = store.put(SECRET_REPORT, encrypt=True)
    stranger = FileStore(store.root, max_bytes=store.max_bytes, keyring=KeyRing.load_or_create(tmp_path / "other"))
    with pytest.raises(FileError) as caught:
        stranger.open_bytes(blob.sha256, encrypted=True)
    assert caught.value.code == "tampered"


def test_key_ring_without_that_key_id_says_no_key(store: FileStore) -> None:
    blob = store.put(SECRET_REPORT, encrypt=True)
    stranger = FileStore(store.root, max_bytes=store.max_bytes, keyring=KeyRing({"k0009": b"\x07" * 32}))
    with pytest.raises(FileError) as caught:
        stranger.open_bytes(blob.sha256, encrypted=True)
    assert caught.value.code == "no_key"


def test_sealing_without_key_ring_says_no_key(tmp_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        FileStore(tmp_path, max_bytes=1024).put(SECRET_REPORT[:100], encrypt=True)
    assert caught.value.code == "no_key"


def test_rotation_newest_seals_any_opens_and_reseal_moves_blobs(tmp_path: Path, store: FileStore) -> None:
    old = store.put(SECRET_REPORT, encrypt=True)
    assert store.keyring is not None
    assert store.keyring.rotate() == "k0002"
    new = store.put("Nghị quyết số 57-NQ/TW về chuyển đổi số".encode(), encrypt=True)

    def key_id_of(sha: str) -> bytes:
        raw = (store.root / "sealed" / sha[:2] / sha[2:4] / sha).read_bytes()
        return raw[8 : 8 + raw[7]]

    assert key_id_of(old.sha256) == b"k0001"
    assert key_id_of(new.sha256) == b"k0002"
    reloaded = FileStore(store.root, max_bytes=store.max_bytes, keyring=KeyRing.load_or_create(tmp_path / "keys"))
    assert reloaded.open_bytes(old.sha256, encrypted=True) == SECRET_REPORT
    assert reloaded.reseal(old.sha256) is True
    assert key_id_of(old.sha256) == b"k0002"
    assert reloaded.reseal(old.sha256) is False
    assert reloaded.open_bytes(old.sha256, encrypted=True) == SECRET_REPORT


def test_changed_plain_file_is_tampered(store: FileStore) -> None:
    blob = store.put(DECISION)
    path = store.root / "plain" / blob.sha256[:2] / blob.sha256[2:4] / blob.sha256
    path.write_bytes(DECISION.replace(b"12/", b"13/"))
    with pytest.raises(FileError) as caught:
        store.open_bytes(blob.sha256, encrypted=False)
    assert caught.value.code == "tampered"


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("../../etc/passwd", "bad_address"),
        ("A" * 64, "bad_address"),
        (hashlib.sha256(b"x").hexdigest()[:63], "bad_address"),
        (hashlib.sha256(b"never stored").hexdigest(), "not_found"),
    ],
)
def test_open_bad_or_unknown_address(store: FileStore, address: str, code: str) -> None:
    with pytest.raises(FileError) as caught:
        store.open_bytes(address, encrypted=False)
    assert caught.value.code == code


def test_discard_unreferenced_after_rollback(store: FileStore) -> None:
    blob = store.put(DECISION)
    assert store.discard_unreferenced(blob.sha256, encrypted=False) is True
    assert not store.exists(blob.sha256, encrypted=False)
    assert store.discard_unreferenced(blob.sha256, encrypted=False) is False
    assert not hasattr(store, "delete")  # documents are never deleted through the store


def test_error_codes_are_stable_snake_case_and_checked() -> None:
    assert len(set(ERROR_CODES)) == len(ERROR_CODES)
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", code) for code in ERROR_CODES)
    assert FileError("tampered", "x").code == "tampered"
    with pytest.raises(ValueError, match="unknown FileError code"):
        FileError("tamperd")
