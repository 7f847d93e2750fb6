"""Scans to PDF, and the "ĐẾN" arrival stamp on incoming documents (Nghị định 30/2020/NĐ-CP).

Digitising paper (Decree 30, Art. 25 and Appendix I): PDF version 1.4 or later, colour kept, at least
200 dpi, 100% scale. :func:`images_to_pdf` makes one page per image (every page of a multi-page TIFF)
whose size comes from the image's resolution, so the page prints at the size of the paper scanned.
JPEG scans are embedded as they are, without re-compression.

Registering an incoming document (Art. 22, Appendix IV) marks it with the "ĐẾN" stamp, a 50 × 35 mm box
with the receiving body's name, "ĐẾN", the arrival number (số đến), date and optionally time, who it
was forwarded to (Chuyển) and the file code (Số và ký hiệu HS). :func:`stamp_arrival` draws it on the
first page as an overlay made with reportlab and merged with pypdf as an incremental update: the
original bytes stay as they were and the change is appended, so every page but the first is untouched
and the signatures of a signed PDF still verify over their byte ranges (validators will report that the
first page was changed after signing, which is what the stamp is). A PDF that is encrypted but opens
without a password is rewritten whole, without its permissions restrictions.

Appendix IV asks for the stamp in a blank space below the number and symbol or the date line; finding
that space is layout analysis we do not attempt. The stamp goes at the visual top left of the page, by
default 10 mm from the top and left edges; the caller may move it. Rotated pages (``/Rotate``) and
pages whose media box does not start at 0,0 are handled so the stamp lands at the top left as the page is
displayed.
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter, Transformation

# reportlab ships no type hints and types-reportlab is not among our pins.
from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from vanphong.lib import fonts
from vanphong.lib.filestore import FileError
from vanphong.lib.textextract import read_pdf

_NOTO = fonts.NOTO
_DEJAVU = fonts.DEJAVU
# (regular, bold) pairs in order of preference; all have the full Vietnamese repertoire.
FONT_CANDIDATES: tuple[tuple[Path, Path], ...] = (
    (_NOTO / "NotoSerif-Regular.ttf", _NOTO / "NotoSerif-Bold.ttf"),
    (_NOTO / "NotoSans-Regular.ttf", _NOTO / "NotoSans-Bold.ttf"),
    (_DEJAVU / "DejaVuSerif.ttf", _DEJAVU / "DejaVuSerif-Bold.ttf"),
    (_DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"),
)
DEFAULT_SCAN_DPI = 200
STAMP_WIDTH = 50 * mm
STAMP_HEIGHT = 35 * mm
STAMP_COLOUR = (0.78, 0.05, 0.05)
_PLACEHOLDER = "……"
_MIN_PLAUSIBLE_DPI = 50
_RL_CONFIG_LOCK = threading.Lock()


@dataclass(frozen=True)
class ArrivalStamp:
    """What the "ĐẾN" stamp says (Decree 30, Appendix IV)."""

    body_name: str  # the receiving body, e.g. "Văn phòng Tỉnh ủy Sơn Hà"; printed in capitals
    arrival_number: int | str  # số đến, the yearly arrival sequence number
    arrival_date: date
    arrival_time: time | None = None  # Giờ, for urgent documents
    forwarded_to: str | None = None  # Chuyển: the unit or person it was passed to
    file_code: str | None = None  # Số và ký hiệu HS: the file (hồ sơ) it belongs to


# -- scans to PDF --------------------------------------------------------------------------------------


def images_to_pdf(images: list[bytes]) -> bytes:
    """One PDF of scanned pages (Decree 30 digitisation): PNG, JPEG or TIFF, multi-page TIFF included.

    Page size = pixels / dpi (``DEFAULT_SCAN_DPI`` when the image does not say, or says less than 50).
    Colour and grey are kept; transparency is flattened onto white; EXIF orientation is applied.
    Raises ``bad_image``.
    """
    if not images:
        raise FileError("bad_image", "no images to put into the PDF")
    output = io.BytesIO()
    with _binary_streams():
        canvas = Canvas(output, pageCompression=1, pdfVersion=(1, 4))
        canvas.setCreator("Vanphong")
        for data in images:
            for source, (width_px, height_px), (dpi_x, dpi_y) in _scan_pages(data):
                width, height = width_px * 72 / dpi_x, height_px * 72 / dpi_y
                canvas.setPageSize((width, height))
                canvas.drawImage(source, 0, 0, width=width, height=height)
                canvas.showPage()
        canvas.save()
    return output.getvalue()


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Turn off reportlab's ASCII85 armour of image streams while we write, and restore the setting.

    The armour (on by default, a process-wide setting) makes every scan 25% bigger for the sake of
    7-bit mail transports nobody uses. reportlab reads the setting when an image is drawn and when the
    file is written, both inside this block; the lock keeps our own concurrent calls from restoring it
    under each other.
    """
    with _RL_CONFIG_LOCK:
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = previous


def _scan_pages(data: bytes) -> Iterator[tuple[ImageReader, tuple[int, int], tuple[float, float]]]:
    try:
        image = Image.open(io.BytesIO(data))
        image_format = image.format
        if image_format not in ("PNG", "JPEG", "TIFF"):
            raise FileError("bad_image", f"scans must be PNG, JPEG or TIFF, not {image_format or 'unknown'}")
        dpi = _dpi(image.info.get("dpi"))
        orientation = image.getexif().get(0x0112, 1)
        if image_format == "JPEG" and orientation == 1:
            # reportlab embeds a JPEG as it is (DCTDecode): no generation loss.
            yield ImageReader(io.BytesIO(data)), image.size, dpi
            return
        for frame in ImageSequence.Iterator(image):
            page = _printable(ImageOps.exif_transpose(frame))
            yield ImageReader(page), page.size, _dpi(frame.info.get("dpi")) if frame.info.get("dpi") else dpi
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise FileError("bad_image", f"the image cannot be read ({type(error).__name__}: {error})") from None


def _dpi(value: object) -> tuple[float, float]:
    if isinstance(value, tuple) and len(value) == 2:
        x, y = (float(v) for v in value)
        if x >= _MIN_PLAUSIBLE_DPI and y >= _MIN_PLAUSIBLE_DPI:
            return x, y
    return float(DEFAULT_SCAN_DPI), float(DEFAULT_SCAN_DPI)


def _printable(frame: Image.Image) -> Image.Image:
    if frame.mode in ("RGB", "L", "CMYK"):
        return frame.copy()
    if frame.mode in ("1", "I;16", "I", "F"):
        return frame.convert("L")
    rgba = frame.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


# -- the ĐẾN stamp -------------------------------------------------------------------------------------


def stamp_arrival(pdf_bytes: bytes, stamp: ArrivalStamp, *, left_mm: float = 10, top_mm: float = 10) -> bytes:
    """The PDF with the Decree 30 "ĐẾN" stamp drawn on page 1, ``left_mm``/``top_mm`` from the visual corner.

    The stamp is real text (a subset of a Vietnamese TrueType font), so search finds the arrival number.
    Raises ``bad_pdf``, ``encrypted_pdf`` or ``font_missing``.
    """
    regular, bold = _stamp_fonts(FONT_CANDIDATES)
    reader = read_pdf(pdf_bytes)
    try:
        first = reader.pages[0]
        box = first.cropbox
        left, bottom, right, top = float(box.left), float(box.bottom), float(box.right), float(box.top)
        rotation = int(first.rotation) % 360
    except Exception as error:  # pypdf raises many types on malformed page trees
        raise FileError("bad_pdf", f"the first page cannot be read ({type(error).__name__}: {error})") from None
    if rotation not in (0, 90, 180, 270):
        rotation = 0  # the PDF specification allows only multiples of 90; viewers ignore the rest
    width, height = right - left, top - bottom
    visual_width, visual_height = (height, width) if rotation in (90, 270) else (width, height)
    overlay = _draw_stamp(stamp, visual_width, visual_height, left_mm * mm, top_mm * mm, regular, bold)
    overlay_page = PdfReader(io.BytesIO(overlay)).pages[0]
    # Maps the overlay's visual coordinates into the page's user space, undoing /Rotate (clockwise).
    to_user_space = {
        0: (1, 0, 0, 1, left, bottom),
        90: (0, 1, -1, 0, right, bottom),
        180: (-1, 0, 0, -1, right, top),
        270: (0, -1, 1, 0, left, top),
    }[rotation]
    try:
        # pypdf cannot append to an encrypted file, so such a file is rewritten decrypted.
        writer = PdfWriter(clone_from=reader) if reader.is_encrypted else PdfWriter(reader, incremental=True)
        writer.pages[0].merge_transformed_page(overlay_page, Transformation(to_user_space))
        output = io.BytesIO()
        writer.write(output)
    except Exception as error:  # as above: malformed resources surface as assorted pypdf errors
        raise FileError("bad_pdf", f"the stamp cannot be added ({type(error).__name__}: {error})") from None
    return output.getvalue()


def find_stamp_font(candidates: tuple[tuple[Path, Path], ...] = FONT_CANDIDATES) -> tuple[Path, Path]:
    """The first (regular, bold) pair of font files that exists, or ``FileError("font_missing")``."""
    for regular, bold in candidates:
        if regular.is_file() and bold.is_file():
            return regular, bold
    tried = ", ".join(str(regular) for regular, _ in candidates)
    raise FileError("font_missing", f"no Vietnamese TrueType font found (tried {tried}); install fonts-noto-core")


@functools.cache
def _stamp_fonts(candidates: tuple[tuple[Path, Path], ...]) -> tuple[str, str]:
    """Register the stamp fonts with reportlab once per process; returns their registered names."""
    regular, bold = find_stamp_font(candidates)
    return fonts.register(regular), fonts.register(bold)


def _draw_stamp(
    stamp: ArrivalStamp,
    page_width: float,
    page_height: float,
    inset_left: float,
    inset_top: float,
    regular: str,
    bold: str,
) -> bytes:
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=(page_width, page_height))
    x0 = inset_left
    y0 = page_height - inset_top - STAMP_HEIGHT
    pad = 2.5 * mm
    inner = STAMP_WIDTH - 2 * pad
    canvas.setStrokeColorRGB(*STAMP_COLOUR)
    canvas.setFillColorRGB(*STAMP_COLOUR)
    canvas.setLineWidth(1)
    canvas.rect(x0, y0, STAMP_WIDTH, STAMP_HEIGHT, stroke=1, fill=0)

    # Body name: capitals, centred, up to two lines, shrinking to fit.
    size, lines = _wrap(stamp.body_name.upper(), bold, 7.5, inner)
    y = y0 + STAMP_HEIGHT - pad - size
    for line in lines:
        canvas.setFont(bold, size)
        canvas.drawCentredString(x0 + STAMP_WIDTH / 2, y, line)
        y -= size * 1.2

    # The two full-width lines sit on the bottom edge; "ĐẾN" with number, date and time beside it is
    # centred in the space between them and the name, like the rubber stamp. Everything is drawn in
    # reading order so that text extraction reads the stamp top to bottom.
    row_size, row_step = 8.5, 11.0
    bottom_lines = [("Chuyển", stamp.forwarded_to), ("Số và ký hiệu HS", stamp.file_code)]
    rows = [f"Số: {stamp.arrival_number}", f"Ngày: {stamp.arrival_date:%d/%m/%Y}"]
    if stamp.arrival_time is not None:
        rows.append(f"Giờ: {stamp.arrival_time:%H:%M}")
    space_top, space_bottom = y + size, y0 + pad + 1 + len(bottom_lines) * row_step
    block_height = (len(rows) - 1) * row_step + row_size
    first_row_y = (space_top + space_bottom + block_height) / 2 - row_size
    big = 18.0
    canvas.setFont(bold, big)
    den_y = first_row_y - (len(rows) - 1) * row_step / 2 - (big - row_size) * 0.35
    canvas.drawString(x0 + pad, den_y, "ĐẾN")
    column = x0 + pad + pdfmetrics.stringWidth("ĐẾN", bold, big) + 2.5 * mm
    for index, row in enumerate(rows):
        fitted, fitted_size = _fit(row, regular, row_size, x0 + STAMP_WIDTH - pad - column)
        canvas.setFont(regular, fitted_size)
        canvas.drawString(column, first_row_y - index * row_step, fitted)
    line_y = space_bottom - row_step
    for label, value in bottom_lines:
        fitted, fitted_size = _fit(f"{label}: {value or _PLACEHOLDER}", regular, row_size, inner)
        canvas.setFont(regular, fitted_size)
        canvas.drawString(x0 + pad, line_y, fitted)
        line_y -= row_step
    canvas.showPage()
    canvas.save()
    return output.getvalue()


def _wrap(text: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """Split ``text`` into at most two lines of ``width``, shrinking the font down to 5 pt if needed."""
    words = text.split()
    while True:
        lines: list[str] = []
        for word in words:
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and pdfmetrics.stringWidth(candidate, font, size) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        fits = all(pdfmetrics.stringWidth(line, font, size) <= width for line in lines)
        if (len(lines) <= 2 and fits) or size <= 5:
            return size, [_fit(line, font, size, width)[0] for line in lines[:2]]
        size -= 0.5


def _fit(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """Shrink to at most 2 pt smaller, then cut with an ellipsis, so a line never leaves the box."""
    floor = max(size - 2, 5)
    while pdfmetrics.stringWidth(text, font, size) > width and size > floor:
        size -= 0.5
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text, size
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size
