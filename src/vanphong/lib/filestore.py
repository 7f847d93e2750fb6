"""Content-addressed storage for the files of documents (văn bản), plain or sealed at rest.

The address of a file is the SHA-256 of its plaintext, so the same scan uploaded twice is stored once and
any change to a stored file is detectable. Layout under ``root``::

    plain/ab/cd/<sha>    the file as uploaded
    sealed/ab/cd/<sha>   AES-256-GCM ciphertext, for the files of secret documents (văn bản mật)
    tmp/                 uploads being written; same filesystem, so os.replace is atomic

Documents are records of the body's work and the archives law (Luật Lưu trữ 2024) says when they may be
destroyed, by a council and a written decision, never by a click: this store therefore offers no
``delete``. The one exception is :meth:`FileStore.discard_unreferenced`, for a blob written inside a
database transaction that then rolled back.

Sealed format (version 1)::

    b"VPSEAL" | version (1 byte) | key-id length (1 byte) | key id (ASCII) | nonce (12 bytes) | ciphertext+tag

The associated data binds the ciphertext to its address and key id, so a sealed blob copied over another
address, or relabelled with another key id, fails authentication instead of decrypting to the wrong file.

Every module of ``vanphong.lib`` that handles files raises :class:`FileError`; :data:`ERROR_CODES` lists
every code so the Django layer can translate them all.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ERROR_CODES: tuple[str, ...] = (
    # filestore
    "too_large",  # the upload is bigger than the configured limit
    "empty",  # the upload has no bytes at all
    "not_found",  # no blob at that address
    "bad_address",  # not a SHA-256 hex digest (also guards against path tricks)
    "tampered",  # stored bytes no longer match their address, or the ciphertext fails authentication
    "no_key",  # sealing or unsealing asked for without a key ring, or with a key id it does not hold
    "bad_key_file",  # a key file that is not exactly 32 bytes, or is readable by others
    # sniff
    "unsupported_type",  # content is not a kind offices exchange (executables, HTML, SVG, old .doc, ...)
    "zip_bomb",  # an archive that would expand far beyond its size
    "encrypted_member",  # a password-protected member inside an Office file
    "unsafe_path",  # an archive member with an absolute path or '..'
    "macros",  # a macro-enabled Office document
    "active_content",  # a PDF with JavaScript or Launch actions
    # pdf handling
    "bad_pdf",  # damaged or unreadable PDF
    "encrypted_pdf",  # a PDF that needs a password to open
    "bad_image",  # an image that cannot be decoded, or is of a kind scans do not come in
    "bad_document",  # a DOCX that python-docx cannot read
    "font_missing",  # no TrueType font with Vietnamese glyphs for the arrival stamp
    # OCR
    "ocr_unavailable",  # tesseract, its Vietnamese data or pdftoppm is not installed
    "ocr_failed",  # the OCR tools ran but failed or timed out
)


class FileError(Exception):
    """A file could not be stored, read or processed; ``code`` is one of :data:`ERROR_CODES`.

    ``detail`` is an English sentence for logs and administrators; users see a translation of ``code``.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in ERROR_CODES:
            # A typo here would reach users as an untranslated code; fail loudly in tests instead.
            raise ValueError(f"unknown FileError code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class StoredBlob:
    """Where a file went: its address (SHA-256 of the plaintext), plaintext size and whether it is sealed."""

    sha256: str
    size: int
    encrypted: bool


_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY_FILE = re.compile(r"^k(\d{4,})\.key$")
_MAGIC = b"VPSEAL"
_VERSION = 1
_NONCE_BYTES = 12
_KEY_BYTES = 32
_CHUNK = 1024 * 1024
_FILE_MODE = 0o640
_DIR_MODE = 0o750


class KeyRing:
    """The AES-256 keys that seal secret documents' files, by key id; the newest seals, any unseals.

    On disk a key ring is a directory (0o700) holding one raw 32-byte file per key, ``k0001.key``,
    ``k0002.key``..., each 0o600. Rotation adds a newer key (:meth:`rotate`); old keys must be kept as long
    as any blob sealed with them exists (:meth:`FileStore.reseal` moves a blob to the newest key).
    The directory belongs outside the file store and outside backups of it.
    """

    def __init__(self, keys: Mapping[str, bytes], *, directory: Path | None = None) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        for key_id, key in keys.items():
            if len(key) != _KEY_BYTES:
                raise FileError("bad_key_file", f"key {key_id} has {len(key)} bytes, expected {_KEY_BYTES}")
            if not key_id.isascii() or not 0 < len(key_id) < 256:
                raise ValueError(f"key id {key_id!r} must be 1-255 ASCII characters")
        self._keys = dict(keys)
        self._directory = directory

    @classmethod
    def load_or_create(cls, path: Path) -> KeyRing:
        """Load every ``k*.key`` under ``path``; on first use create the directory and a first key."""
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        keys: dict[str, bytes] = {}
        for entry in sorted(path.iterdir()):
            if not _KEY_FILE.match(entry.name):
                continue
            if entry.stat().st_mode & 0o077:
                raise FileError("bad_key_file", f"{entry} is readable by group or others; it must be 0600")
            keys[entry.stem] = entry.read_bytes()
        if not keys:
            key_id, key = _write_new_key(path)
            keys[key_id] = key
        return cls(keys, directory=path)

    @property
    def current_id(self) -> str:
        """The id of the key that seals new blobs: the highest-numbered one."""
        return max(self._keys, key=_key_order)

    def key(self, key_id: str) -> bytes:
        """The key with this id, or ``FileError("no_key")``."""
        try:
            return self._keys[key_id]
        except KeyError:
            raise FileError("no_key", f"the key ring has no key {key_id!r}") from None

    def rotate(self) -> str:
        """Create a newer key (on disk when loaded from a directory) and return its id."""
        if self._directory is None:
            key_id = f"k{_key_order(self.current_id) + 1:04d}"
            self._keys[key_id] = secrets.token_bytes(_KEY_BYTES)
            return key_id
        key_id, key = _write_new_key(self._directory)
        self._keys[key_id] = key
        return key_id


def _key_order(key_id: str) -> int:
    digits = key_id.lstrip("k")
    return int(digits) if digits.isdigit() else -1


def _write_new_key(directory: Path) -> tuple[str, bytes]:
    existing = [int(m.group(1)) for e in directory.iterdir() if (m := _KEY_FILE.match(e.name))]
    key_id = f"k{max(existing, default=0) + 1:04d}"
    key = secrets.token_bytes(_KEY_BYTES)
    # O_EXCL: two processes starting at once must not both write k0001 with different keys.
    fd = os.open(directory / f"{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    return key_id, key


class FileStore:
    """Files of documents under ``root``, addressed by the SHA-256 of their plaintext.

    ``max_bytes`` caps one file. Plain uploads are streamed in 1 MiB chunks, so a 50 MB scan never sits
    in memory. Sealed uploads are held whole in memory (AES-GCM one-shot, up to ``max_bytes``): streaming
    GCM would release plaintext before the tag is checked, and secret documents are few and small.
    """

    def __init__(self, root: Path, *, max_bytes: int, keyring: KeyRing | None = None) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.keyring = keyring

    # -- writing -------------------------------------------------------------------------------------

    def put(self, data: bytes | BinaryIO, *, encrypt: bool = False) -> StoredBlob:
        """Store a file and return its address; storing the same content again changes nothing.

        Raises ``too_large`` (nothing is left behind), ``empty``, or ``no_key`` when sealing without a key ring.
        """
        if isinstance(data, bytes) and len(data) > self.max_bytes:
            raise FileError("too_large", f"the file is larger than {self.max_bytes} bytes")
        if encrypt:
            return self._put_sealed(self._read_capped(data))
        tmp_dir = self._tmp_dir()
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="up-")
        tmp_path = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(data):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FileError("too_large", f"the file is larger than {self.max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fchmod(out.fileno(), _FILE_MODE)
                os.fsync(out.fileno())
            if size == 0:
                raise FileError("empty", "the file has no content")
            sha = digest.hexdigest()
            final = self._path(sha, encrypted=False)
            if final.exists():
                tmp_path.unlink()
            else:
                self._install(tmp_path, final)
            return StoredBlob(sha256=sha, size=size, encrypted=False)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def _put_sealed(self, plaintext: bytes) -> StoredBlob:
        if not plaintext:
            raise FileError("empty", "the file has no content")
        sha = hashlib.sha256(plaintext).hexdigest()
        final = self._path(sha, encrypted=True)
        if not final.exists():
            self._write_atomically(final, self._seal(sha, plaintext))
        return StoredBlob(sha256=sha, size=len(plaintext), encrypted=True)

    def reseal(self, sha: str) -> bool:
        """Re-encrypt a sealed blob with the newest key (key rotation); False if it already uses it."""
        sealed = self._read(sha, encrypted=True)
        if _parse_sealed(sha, sealed)[0] == self._keyring().current_id:
            return False
        plaintext = self.open_bytes(sha, encrypted=True)
        self._write_atomically(self._path(sha, encrypted=True), self._seal(sha, plaintext))
        return True

    def discard_unreferenced(self, sha: str, *, encrypted: bool) -> bool:
        """Remove a blob that no document references, returning whether a file was removed.

        Only for the roll-back path: the Django layer stores the file first, then creates the rows in a
        transaction; if that transaction rolls back it calls this from ``transaction.on_rollback``-style
        cleanup. Because storage is content-addressed, another document may hold the same file, so the
        caller must check that no row references ``sha`` before calling.
        """
        path = self._path(sha, encrypted=encrypted)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    # -- reading -------------------------------------------------------------------------------------

    def exists(self, sha: str, *, encrypted: bool) -> bool:
        """Whether a blob is stored at this address (in the plain or the sealed area)."""
        return self._path(sha, encrypted=encrypted).is_file()

    def open_bytes(self, sha: str, *, encrypted: bool) -> bytes:
        """The plaintext of a stored file, verified against its address.

        Raises ``not_found``, ``tampered`` (hash mismatch or failed authentication) or ``no_key``.
        """
        stored = self._read(sha, encrypted=encrypted)
        if encrypted:
            key_id, nonce, ciphertext, aad = _parse_sealed(sha, stored)
            try:
                plaintext = AESGCM(self._keyring().key(key_id)).decrypt(nonce, ciphertext, aad)
            except InvalidTag:
                raise FileError("tampered", f"sealed blob {sha} failed authentication") from None
        else:
            plaintext = stored
        if hashlib.sha256(plaintext).hexdigest() != sha:
            raise FileError("tampered", f"blob {sha} no longer matches its address")
        return plaintext

    # -- internals -----------------------------------------------------------------------------------

    def _keyring(self) -> KeyRing:
        if self.keyring is None:
            raise FileError("no_key", "this file store has no key ring for sealed files")
        return self.keyring

    def _seal(self, sha: str, plaintext: bytes) -> bytes:
        ring = self._keyring()
        key_id = ring.current_id
        nonce = secrets.token_bytes(_NONCE_BYTES)
        ciphertext = AESGCM(ring.key(key_id)).encrypt(nonce, plaintext, _associated_data(sha, key_id))
        raw_id = key_id.encode("ascii")
        return _MAGIC + bytes([_VERSION, len(raw_id)]) + raw_id + nonce + ciphertext

    def _path(self, sha: str, *, encrypted: bool) -> Path:
        if not _SHA256.match(sha):
            raise FileError("bad_address", f"{sha!r} is not a lower-case SHA-256 hex digest")
        area = "sealed" if encrypted else "plain"
        return self.root / area / sha[:2] / sha[2:4] / sha

    def _read(self, sha: str, *, encrypted: bool) -> bytes:
        try:
            return self._path(sha, encrypted=encrypted).read_bytes()
        except FileNotFoundError:
            kind = "sealed" if encrypted else "plain"
            raise FileError("not_found", f"no {kind} blob {sha}") from None

    def _read_capped(self, data: bytes | BinaryIO) -> bytes:
        parts: list[bytes] = []
        size = 0
        for chunk in _chunks(data):
            size += len(chunk)
            if size > self.max_bytes:
                raise FileError("too_large", f"the file is larger than {self.max_bytes} bytes")
            parts.append(chunk)
        return b"".join(parts)

    def _tmp_dir(self) -> Path:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        return tmp_dir

    def _write_atomically(self, final: Path, content: bytes) -> None:
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp_dir(), prefix="seal-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fchmod(out.fileno(), _FILE_MODE)
                os.fsync(out.fileno())
            self._install(tmp_path, final)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def _install(self, tmp_path: Path, final: Path) -> None:
        final.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        os.replace(tmp_path, final)
        # The rename is durable only once the directory entry is on disk too.
        dir_fd = os.open(final.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _associated_data(sha: str, key_id: str) -> bytes:
    return b"vanphong-sealed\x00%d\x00%s\x00%s" % (_VERSION, sha.encode("ascii"), key_id.encode("ascii"))


def _parse_sealed(sha: str, stored: bytes) -> tuple[str, bytes, bytes, bytes]:
    """Split a sealed blob into (key id, nonce, ciphertext+tag, associated data) or raise ``tampered``."""
    head = len(_MAGIC)
    if len(stored) < head + 2 or not stored.startswith(_MAGIC) or stored[head] != _VERSION:
        raise FileError("tampered", f"sealed blob {sha} has no valid header")
    id_length = stored[head + 1]
    id_end = head + 2 + id_length
    if len(stored) < id_end + _NONCE_BYTES + 16:
        raise FileError("tampered", f"sealed blob {sha} is truncated")
    try:
        key_id = stored[head + 2 : id_end].decode("ascii")
    except UnicodeDecodeError:
        raise FileError("tampered", f"sealed blob {sha} has a garbled key id") from None
    nonce = stored[id_end : id_end + _NONCE_BYTES]
    return key_id, nonce, stored[id_end + _NONCE_BYTES :], _associated_data(sha, key_id)


def _chunks(data: bytes | BinaryIO) -> Iterator[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), _CHUNK):
            yield bytes(view[start : start + _CHUNK])
        return
    while chunk := data.read(_CHUNK):
        yield chunk
