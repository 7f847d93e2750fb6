"""What kind of file an upload really is, read from its bytes, never from its name.

Offices exchange PDF, scans (PNG, JPEG, TIFF), Office Open XML and OpenDocument files, edXML packets
(QCVN 102:2016) and plain UTF-8 text. Everything else is refused with ``unsupported_type`` and a detail
saying what the file looked like, because a mislabelled file is how executables and scripts reach a
clerk's desktop.

Decisions:

* The filename is used only in error details. ``bao-cao.pdf`` that is really a PNG is accepted as a PNG;
  a Windows program named ``.pdf`` is refused for what it is.
* ZIP-based files are inspected through the central directory with :mod:`zipfile`, nothing is extracted.
  Python's zipfile never inflates a member past its declared size, so checking declared sizes is enough:
  more than 200 MB in total, or more than 100:1 compression for archives or members over 1 MiB, is a
  ``zip_bomb`` (small archives cannot hurt, and tiny generated documents legitimately compress well).
  Password-protected members (``encrypted_member``), absolute or ``..`` member names (``unsafe_path``) and
  macros (``vbaProject.bin``, ``macroEnabled`` content types, OpenDocument ``Basic/`` or ``Scripts/``:
  ``macros``) are refused.
* PDFs with JavaScript (``/JS``, ``/S /JavaScript``, the ``/JavaScript`` name tree) or ``/Launch``
  actions are refused as ``active_content``: a document has no reason to run code. Embedded files,
  links (``/URI``) and forms are allowed; attachments to official letters are routinely embedded.
  A PDF that needs a password to open is refused as ``encrypted_pdf``: it can be neither checked, indexed
  nor stamped, so the sender must provide an open copy.
* XML that declares entities (``<!ENTITY``) is refused: edXML never needs them and they are the
  "billion laughs" attack on whatever parses the packet later.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from vanphong.lib.filestore import FileError
from vanphong.lib.textextract import read_pdf

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
XML = "application/xml"
TEXT = "text/plain"


@dataclass(frozen=True)
class Sniffed:
    """The real type of a file: media type, the extension to store it under, and a coarse kind.

    ``kind`` is one of ``pdf``, ``image``, ``office``, ``xml``, ``text``.
    """

    media_type: str
    extension: str
    kind: str


_OOXML_MAIN = {
    b"wordprocessingml.document.main+xml": Sniffed(DOCX, "docx", "office"),
    b"spreadsheetml.sheet.main+xml": Sniffed(XLSX, "xlsx", "office"),
    b"presentationml.presentation.main+xml": Sniffed(PPTX, "pptx", "office"),
}
_ODF = {
    ODT: Sniffed(ODT, "odt", "office"),
    ODS: Sniffed(ODS, "ods", "office"),
    ODP: Sniffed(ODP, "odp", "office"),
}
_CONVERT = "convert to DOCX or PDF"
# Leading bytes of things offices must not receive, with what to tell the sender.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable (MZ)"),
    (b"\x7fELF", "a Linux executable (ELF)"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable (Mach-O)"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", f"an old Office document (.doc/.xls/.ppt, OLE2); {_CONVERT}"),
    (b"{\\rtf", f"an RTF document; {_CONVERT}"),
    (b"II+\x00", "a BigTIFF image; save it as an ordinary TIFF, PNG or PDF"),
    (b"MM\x00+", "a BigTIFF image; save it as an ordinary TIFF, PNG or PDF"),
    (b"GIF8", "a GIF image; scan to PNG, JPEG, TIFF or PDF"),
    (b"BM", "a BMP image; scan to PNG, JPEG, TIFF or PDF"),
    (b"\x1f\x8b", "a gzip archive; send the documents themselves"),
    (b"Rar!", "a RAR archive; send the documents themselves"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; send the documents themselves"),
)
_SCRIPT_START = re.compile(
    rb"""^(?:["']use\ strict["']|function\s*[\w$]*\s*\(|\(\s*function\s*\(|(?:var|let|const)\s+[\w$]+\s*=
        |import\s+[\w${},*\s]+\s+from\s|module\.exports|require\s*\(|window\.|document\.)""",
    re.VERBOSE,
)
# Not /JS: three bytes turn up by chance in compressed streams (about once per 16 MB), and a /JS entry
# runs only inside an action whose /S is /JavaScript, which this finds.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|Launch)(?![A-Za-z0-9])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ACTIVE_ACTIONS = ("/JavaScript", "/Launch")


def sniff(data: bytes, *, filename: str | None = None) -> Sniffed:
    """The type of ``data`` judged from its content alone; refuse anything an office should not accept.

    ``filename`` only makes error details clearer. Raises :class:`FileError` with ``empty``,
    ``unsupported_type``, ``zip_bomb``, ``encrypted_member``, ``unsafe_path``, ``macros``,
    ``active_content``, ``encrypted_pdf`` or ``bad_pdf``.
    """
    label = f"{filename!r} " if filename else "the file "
    if not data:
        raise FileError("empty", f"{label}has no content")
    for magic, description in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise FileError("unsupported_type", f"{label}is {description}")
    pdf_at = data.find(b"%PDF-", 0, 1024)
    if pdf_at >= 0 and not _looks_like_markup(data[:pdf_at]):
        _check_pdf(data, label)
        return Sniffed(PDF, "pdf", "pdf")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG, "png", "image")
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, "jpg", "image")
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed(TIFF, "tif", "image")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, label)
    return _sniff_text(data, label)


def _looks_like_markup(head: bytes) -> bool:
    lowered = head.lower()
    return any(tag in lowered for tag in (b"<html", b"<script", b"<svg", b"<body", b"<!doctype"))


# -- ZIP-based formats ---------------------------------------------------------------------------------


def _sniff_zip(data: bytes, label: str) -> Sniffed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileError("unsupported_type", f"{label}is a damaged ZIP archive ({error})") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileError("zip_bomb", f"{label}has {len(members)} archive entries")
        total = compressed = 0
        for member in members:
            _check_member_name(member.filename, label)
            if member.flag_bits & 0x1:
                raise FileError("encrypted_member", f"{label}has a password-protected part {member.filename!r}")
            if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise FileError("zip_bomb", f"{label}has a part that expands more than {MAX_RATIO}:1")
            total += member.file_size
            compressed += member.compress_size
        if total > MAX_UNCOMPRESSED:
            raise FileError("zip_bomb", f"{label}would expand to {total} bytes")
        if total > _RATIO_FLOOR and total > MAX_RATIO * max(compressed, 1):
            raise FileError("zip_bomb", f"{label}expands more than {MAX_RATIO}:1")
        names = {member.filename for member in members}
        lowered = {name.lower() for name in names}
        if any(name.endswith("vbaproject.bin") for name in lowered):
            raise FileError("macros", f"{label}contains macros (vbaProject.bin); save it as DOCX, XLSX or PPTX")
        if "[Content_Types].xml" in names:
            return _sniff_ooxml(archive, label)
        if "mimetype" in names:
            return _sniff_odf(archive, lowered, label)
    raise FileError("unsupported_type", f"{label}is a ZIP archive that is not an Office document")


def _check_member_name(name: str, label: str) -> None:
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        raise FileError("unsafe_path", f"{label}has an archive entry with an unsafe path {name!r}")


def _small_member(archive: zipfile.ZipFile, name: str, limit: int, label: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise FileError("unsupported_type", f"{label}has an oversized {name!r}")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise FileError("unsupported_type", f"{label}has a damaged {name!r} ({error})") from None


def _sniff_ooxml(archive: zipfile.ZipFile, label: str) -> Sniffed:
    content_types = _small_member(archive, "[Content_Types].xml", 1024 * 1024, label)
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        raise FileError("macros", f"{label}is a macro-enabled Office document; save it as DOCX, XLSX or PPTX")
    for marker, sniffed in _OOXML_MAIN.items():
        if marker in content_types:
            return sniffed
    raise FileError("unsupported_type", f"{label}is an Office package of an unsupported kind (template?)")


def _sniff_odf(archive: zipfile.ZipFile, lowered_names: set[str], label: str) -> Sniffed:
    media_type = _small_member(archive, "mimetype", 200, label).decode("ascii", "replace").strip()
    if any(name.startswith(("basic/", "scripts/")) for name in lowered_names):
        raise FileError("macros", f"{label}is an OpenDocument file with macros")
    if media_type in _ODF:
        return _ODF[media_type]
    raise FileError("unsupported_type", f"{label}is an OpenDocument file of an unsupported kind ({media_type})")


# -- PDF -----------------------------------------------------------------------------------------------


def _check_pdf(data: bytes, label: str) -> None:
    """Refuse password-protected PDFs and PDFs with JavaScript or Launch actions.

    A byte scan (after decoding ``#xx`` escapes in names) is the fast path for ordinary files. Names in
    compressed object streams cannot be seen by a byte scan, and a hit may only be text, so those cases
    go through pypdf, walking every object in the cross-reference table.
    """
    unescaped = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data) if b"#" in data else data
    raw_hit = _PDF_ACTIVE.search(unescaped) is not None
    if not raw_hit and b"/ObjStm" not in data and b"/Encrypt" not in data:
        return
    reader = read_pdf(data)
    found, unreadable = _walk_pdf_objects(reader)
    if found:
        raise FileError("active_content", f"{label}is a PDF with {found} actions, which could run code")
    if raw_hit and unreadable:
        raise FileError("active_content", f"{label}mentions scripts in PDF objects that could not be checked")


def _walk_pdf_objects(reader: PdfReader) -> tuple[str | None, int]:
    """Every indirect object of the PDF -> (the first active action found, how many objects failed to parse)."""
    references: list[tuple[int, int]] = [(num, gen) for gen, table in reader.xref.items() for num in table]
    references += [(num, 0) for num in reader.xref_objStm]
    unreadable = 0
    for num, gen in references:
        try:
            obj = reader.get_object(IndirectObject(num, gen, reader))
        except Exception:  # pypdf raises many types on malformed objects; counted, not fatal
            unreadable += 1
            continue
        found = _active_action(obj, depth=0)
        if found:
            return found, unreadable
    return None, unreadable


def _active_action(obj: PdfObject | None, *, depth: int) -> str | None:
    # Direct (nested) dictionaries are walked here; indirect ones are visited from the xref loop.
    if depth > 64 or obj is None or isinstance(obj, IndirectObject):
        return None
    if isinstance(obj, DictionaryObject):
        action = obj.get("/S")
        if isinstance(action, str) and action in _ACTIVE_ACTIONS:
            return action
        if "/JS" in obj or "/JavaScript" in obj:
            return "/JavaScript"
        values: list[PdfObject] = list(obj.values())
    elif isinstance(obj, ArrayObject):
        values = list(obj)
    else:
        return None
    for value in values:
        found = _active_action(value, depth=depth + 1)
        if found:
            return found
    return None


# -- text-like files -----------------------------------------------------------------------------------


def _sniff_text(data: bytes, label: str) -> Sniffed:
    head = data[:65536]
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    lowered = stripped.lower()
    if b"<svg" in lowered[:4096]:
        raise FileError("unsupported_type", f"{label}is an SVG image (may carry scripts); export it to PDF or PNG")
    if lowered.startswith(b"<!doctype html") or any(
        tag in lowered[:2048] for tag in (b"<html", b"<head>", b"<body", b"<script", b"<iframe")
    ):
        raise FileError("unsupported_type", f"{label}is an HTML page; print it to PDF instead")
    if stripped.startswith((b"<?xml", b"<edXML:edXML")):
        if b"<!entity" in lowered:
            raise FileError("unsupported_type", f"{label}is XML that declares entities, which edXML never needs")
        _require_utf8(data, label, "XML")
        return Sniffed(XML, "xml", "xml")
    if stripped.startswith(b"#!"):
        raise FileError("unsupported_type", f"{label}is a shell script")
    if lowered.startswith(b"@echo off"):
        raise FileError("unsupported_type", f"{label}is a Windows batch script")
    if _SCRIPT_START.match(stripped):
        raise FileError("unsupported_type", f"{label}looks like JavaScript")
    if b"\x00" in data:
        raise FileError("unsupported_type", f"{label}is binary data of an unknown kind")
    _require_utf8(data, label, "text")
    return Sniffed(TEXT, "txt", "text")


def _require_utf8(data: bytes, label: str, what: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileError(
            "unsupported_type",
            f"{label}is {what} that is not UTF-8 (an old TCVN3/VNI encoding?); save it as UTF-8 Unicode",
        ) from None
