"""Text of stored files for full-text search: PDF text layers, DOCX, text and XML, and OCR for scans.

Text comes out NFC-normalised, because Vietnamese typed on different keyboards (Unikey's composed or
decomposed modes) must index alike. OCR always runs with Vietnamese language data (``vie``): with English
alone tesseract drops the diacritics and "Quyết định" becomes "Quyet dinh" (stack notes, gotcha 7).
Tesseract also confuses the Icelandic eth Ð (U+00D0) with Đ (U+0110); both forms of eth are mapped back.

The OCR tools are Debian packages: ``tesseract-ocr`` with ``tesseract-ocr-vie``, and ``poppler-utils``
for ``pdftoppm``. When they are missing the functions raise ``ocr_unavailable``, never an empty string,
so a scan is not silently left out of search.
"""

from __future__ import annotations

import functools
import html
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytesseract  # type: ignore[import-untyped]  # ships no type hints
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image, UnidentifiedImageError
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.generic import DictionaryObject

from vanphong.lib.filestore import FileError

MAX_TEXT_BYTES = 2 * 1024 * 1024
OCR_DPI = 300
# Fewer visible characters than this on a page with images means the page is a scan (a page number or
# a scanner's footer is not a text layer).
_SCANNED_PAGE_CHARS = 16
_OCR_PAGE_TIMEOUT = 180
_PDFTOPPM_TIMEOUT = 120  # one page
_ETH_TO_D = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
_BASE64_BLOCK = re.compile(r"(?:[A-Za-z0-9+/=]{60,}\s*){4,}")
_TAG = re.compile(r"<[^>]*>")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/tiff"})
EXTRACTABLE_TYPES = frozenset({PDF, DOCX, "text/plain", "application/xml", *IMAGE_TYPES})


@dataclass(frozen=True)
class Extracted:
    """Text for the search index.

    ``pages`` is the page count of paged formats (PDF, images) and None for flowing ones (DOCX, text);
    ``needs_ocr`` says some page is a scan without a text layer; ``truncated`` that the 2 MB cap was hit.
    """

    text: str
    pages: int | None
    needs_ocr: bool
    truncated: bool = False


def read_pdf(data: bytes) -> PdfReader:
    """Open a PDF for reading, decrypting it when it opens without a password.

    Raises ``bad_pdf`` for damaged files and ``encrypted_pdf`` when a password is needed.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise FileError("encrypted_pdf", "the PDF is protected by a password; ask the sender for an open copy")
        page_total = len(reader.pages)
    except FileError:
        raise
    except Exception as error:  # pypdf raises many types on malformed input
        raise FileError("bad_pdf", f"the PDF cannot be read ({type(error).__name__}: {error})") from None
    if page_total == 0:
        raise FileError("bad_pdf", "the PDF has no pages")
    return reader


def page_count(pdf_bytes: bytes) -> int:
    """Number of pages of a PDF (``bad_pdf`` / ``encrypted_pdf`` as :func:`read_pdf`)."""
    return len(read_pdf(pdf_bytes).pages)


def extract_text(data: bytes, media_type: str) -> Extracted:
    """Text of a file for full-text search, capped at 2 MB of UTF-8.

    PDF: the text layer, page by page (pages joined by form feeds); DOCX: body paragraphs and tables in
    order, then headers and footers (text boxes are not read); text and XML: decoded UTF-8, with XML tags
    and base64 attachments (edXML) removed; images: no text and ``needs_ocr``. Other types raise
    ``unsupported_type`` (see :data:`EXTRACTABLE_TYPES`).
    """
    if media_type == PDF:
        return _extract_pdf(data)
    if media_type == DOCX:
        text, truncated = _capped(_docx_blocks(data))
        return Extracted(text, pages=None, needs_ocr=False, truncated=truncated)
    if media_type == "text/plain":
        text, truncated = _capped([data.decode("utf-8-sig", errors="replace")])
        return Extracted(text, pages=None, needs_ocr=False, truncated=truncated)
    if media_type == "application/xml":
        text, truncated = _capped([_xml_text(data.decode("utf-8-sig", errors="replace"))])
        return Extracted(text, pages=None, needs_ocr=False, truncated=truncated)
    if media_type in IMAGE_TYPES:
        return Extracted("", pages=_image_frames(data), needs_ocr=True)
    raise FileError("unsupported_type", f"no text extraction for {media_type}")


def ocr_pdf(data: bytes, *, lang: str = "vie", max_pages: int | None = None) -> str:
    """Recognise the text of a scanned PDF: each page rendered at 300 dpi by pdftoppm, then tesseract.

    Pages are rendered one at a time, so a 300-page scan never fills the disk with page images; they are
    joined by form feeds. Raises ``ocr_unavailable``, ``ocr_failed``, ``bad_pdf`` or ``encrypted_pdf``.
    """
    _check_lang(lang)
    total = len(read_pdf(data).pages)  # a clear bad_pdf / encrypted_pdf rather than a pdftoppm exit status
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise FileError("ocr_unavailable", "pdftoppm is not installed (Debian package poppler-utils)")
    _tesseract_ready(pytesseract.pytesseract.tesseract_cmd, lang)
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vp-ocr-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        for number in range(1, min(total, max_pages or total) + 1):
            image = _render_page(pdftoppm, source, number)
            texts.append(_tesseract(str(image), lang))
            image.unlink()
    return _capped(texts, separator="\f")[0]


def _render_page(pdftoppm: str, source: Path, number: int) -> Path:
    target = source.with_name(f"page-{number}")
    command = [pdftoppm, "-r", str(OCR_DPI), "-png", "-singlefile", "-f", str(number), "-l", str(number)]
    try:
        rendered = subprocess.run(  # noqa: S603 - fixed program and arguments, our own temp paths
            [*command, str(source), str(target)], capture_output=True, timeout=_PDFTOPPM_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise FileError("ocr_failed", f"rendering page {number} timed out") from None
    image = target.with_suffix(".png")
    if rendered.returncode != 0 or not image.is_file():
        message = rendered.stderr.decode("utf-8", "replace").strip()
        raise FileError("bad_pdf", f"pdftoppm could not render page {number}: {message}")
    return image


def ocr_image(data: bytes, *, lang: str = "vie") -> str:
    """Recognise the text of a scanned image (PNG, JPEG, TIFF; every page of a multi-page TIFF).

    Raises ``ocr_unavailable``, ``ocr_failed`` or ``bad_image``.
    """
    _check_lang(lang)
    image_format = _image_format(data)
    _tesseract_ready(pytesseract.pytesseract.tesseract_cmd, lang)
    suffix = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif"}[image_format]
    with tempfile.TemporaryDirectory(prefix="vp-ocr-") as tmp:
        source = Path(tmp) / f"scan{suffix}"
        source.write_bytes(data)
        # tesseract reads every page of a multi-page TIFF itself and separates them with form feeds.
        return _capped([_tesseract(str(source), lang)])[0]


# -- PDF -----------------------------------------------------------------------------------------------


def _extract_pdf(data: bytes) -> Extracted:
    reader = read_pdf(data)
    needs_ocr = False
    texts: list[str] = []
    used = 0
    for page in reader.pages:
        try:
            text = unicodedata.normalize("NFC", page.extract_text() or "")
        except Exception:  # one damaged content stream must not hide the other pages
            text = ""
        if len("".join(text.split())) < _SCANNED_PAGE_CHARS and _has_images(page):
            needs_ocr = True
        texts.append(text)
        used += len(text.encode("utf-8")) + 1
        if used > MAX_TEXT_BYTES:
            break  # the rest would be cut anyway; _capped trims this page to fit
    text, truncated = _capped(texts, separator="\f")
    if not text.strip():
        text = ""  # a scan's form feeds alone are not text
    return Extracted(text, pages=len(reader.pages), needs_ocr=needs_ocr, truncated=truncated)


def _has_images(page: PageObject) -> bool:
    return _resources_have_images(page.get("/Resources"), depth=0)


def _resources_have_images(resources: object, *, depth: int) -> bool:
    # Some scanners wrap the page image in a form XObject, hence the recursion.
    if depth > 4 or not isinstance(resources, DictionaryObject):
        return False
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, DictionaryObject):
        return False
    for reference in xobjects.values():
        xobject = reference.get_object()
        if not isinstance(xobject, DictionaryObject):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _resources_have_images(xobject.get("/Resources"), depth=depth + 1):
            return True
    return False


# -- DOCX ----------------------------------------------------------------------------------------------


def _docx_blocks(data: bytes) -> Iterator[str]:
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zip, XML and KeyError types alike
        raise FileError("bad_document", f"the DOCX cannot be read ({type(error).__name__})") from None
    yield from _blocks(document.iter_inner_content())
    for section in document.sections:
        parts = (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        )
        for part in parts:
            # A linked header/footer shows the previous section's, which was already read.
            if not part.is_linked_to_previous:
                yield from _blocks(part.iter_inner_content())


def _blocks(items: Iterable[Paragraph | Table]) -> Iterator[str]:
    for item in items:
        if isinstance(item, Paragraph):
            if item.text.strip():
                yield unicodedata.normalize("NFC", item.text)
            continue
        for row in item.rows:
            seen: set[int] = set()
            cells: list[str] = []
            for cell in row.cells:
                # A merged cell appears once per grid column it spans.
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(_blocks(cell.iter_inner_content())))
            if any(cells):
                yield "\t".join(cells)


# -- text, XML, images ---------------------------------------------------------------------------------


def _xml_text(xml: str) -> str:
    """Character data of an XML document without parsing it (no entity expansion, nothing fetched)."""
    text = _BASE64_BLOCK.sub(" ", _TAG.sub(" ", xml))
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def _image_format(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise FileError("bad_image", f"the image cannot be read ({error})") from None
    if image_format not in ("PNG", "JPEG", "TIFF"):
        raise FileError("bad_image", f"scans must be PNG, JPEG or TIFF, not {image_format or 'unknown'}")
    return image_format


def _image_frames(data: bytes) -> int:
    _image_format(data)
    with Image.open(io.BytesIO(data)) as image:
        return int(getattr(image, "n_frames", 1))


def _capped(pieces: Iterable[str], *, separator: str = "\n") -> tuple[str, bool]:
    """Join pieces, keeping at most MAX_TEXT_BYTES of UTF-8; also report whether anything was cut."""
    kept: list[str] = []
    used = 0
    for piece in pieces:
        encoded = piece.encode("utf-8")
        room = MAX_TEXT_BYTES - used
        if len(encoded) > room:
            kept.append(encoded[: max(room, 0)].decode("utf-8", errors="ignore"))
            return separator.join(kept), True
        kept.append(piece)
        used += len(encoded) + len(separator.encode("utf-8"))
    return separator.join(kept), False


# -- tesseract -----------------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if not re.fullmatch(r"[a-z_]{3,}(?:\+[a-z_]{3,})*", lang):
        raise ValueError(f"bad tesseract language list {lang!r}")
    if lang == "eng":
        # English alone drops Vietnamese diacritics (about 20% character errors on this stack).
        raise ValueError("OCR with 'eng' alone loses Vietnamese diacritics; use 'vie' or 'vie+eng'")


@functools.cache
def _tesseract_ready(tesseract_cmd: str, lang: str) -> None:
    """Check once per program and language list that tesseract and its language data are installed."""
    try:
        installed = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        raise FileError(
            "ocr_unavailable", f"tesseract ({tesseract_cmd}) is not installed (Debian package tesseract-ocr)"
        ) from None
    missing = [code for code in lang.split("+") if code not in installed]
    if missing:
        packages = ", ".join(f"tesseract-ocr-{code}" for code in missing)
        raise FileError("ocr_unavailable", f"tesseract lacks language data {missing} (Debian: {packages})")


def _tesseract(path: str, lang: str) -> str:
    try:
        text = pytesseract.image_to_string(path, lang=lang, timeout=_OCR_PAGE_TIMEOUT)
    except pytesseract.TesseractError as error:
        raise FileError("ocr_failed", f"tesseract failed: {error}") from None
    except RuntimeError as error:  # pytesseract signals its timeout with a bare RuntimeError
        raise FileError("ocr_failed", f"tesseract timed out ({error})") from None
    return _normalise_ocr(str(text))


def _normalise_ocr(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).translate(_ETH_TO_D)).strip()
