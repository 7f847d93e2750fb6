"""Digital signatures on PDF documents: PAdES baseline B-B (ETSI EN 319 142-1) with the Decree 30/2020 placements.

Decree 30/2020/NĐ-CP, Appendix I, says where the visible signatures go:

- the competent person signs first: the blue handwritten-signature image (transparent PNG) between the position
  line and the printed name (`signer_appearance`);
- the body then signs the same file: the red seal image at real size, covering about the left third of the
  person's signature (`seal_appearance`);
- a separate file (an attachment issued on its own) or an electronic copy carries only the body's signature,
  top right of page 1, no image, with the number/symbol and the signing time in ISO 8601 with the Vietnam
  offset, 10 pt black serif (`organization_copy_appearance`).

Every signature is an incremental update, so the person's signature stays valid after the body signs.
`validate_pdf` checks all signatures offline against the office's trust roots.

Rendering: the appearance (image and Vietnamese text) is drawn by reportlab into a one-page PDF of exactly the
box's size, then imported by pyHanko as the widget's appearance stream. pyHanko's own OpenType text engine
would need uharfbuzz, which is not installed; reportlab embeds a TrueType subset with a ToUnicode map and
keeps the PNG's alpha channel as an SMask, which is all Vietnamese (precomposed NFC letters) needs.
Times New Roman is not installed, so text is set in Noto Serif (fonts-noto-core), else DejaVu Serif; neither is
metric-compatible with Times, which only matters for how wide the top-right box is (it is sized to the text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Literal, cast

# asn1crypto ships no type hints; one ignore covers the package.
from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import content as pdf_content
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]  # reportlab ships no type hints
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from vanphong.lib import fonts
from vanphong.lib.pki import SigningIdentity, certificate_summary

logger = logging.getLogger(__name__)

VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving in Vietnam, so a fixed offset is exact
MM = 72 / 25.4  # PDF points per millimetre

Box = tuple[float, float, float, float]
SignatureStatusCode = Literal["valid", "tampered", "untrusted", "invalid"]

ERROR_CODES: dict[str, str] = {
    "bad_pdf": "The file is not a readable PDF.",
    "encrypted_pdf": "The PDF is encrypted; remove the password before signing or checking it.",
    "field_exists": "A signature with this field name is already in the document.",
    "bad_page": "The page for the signature does not exist in the document.",
    "bad_box": "The signature box is empty or reversed (x2 must exceed x1 and y2 exceed y1).",
    "bad_image": "The signature or seal image is not a readable PNG.",
    "image_not_transparent": "The signature or seal image must be a PNG with a transparent background.",
    "seal_size_unknown": "The seal image carries no resolution (DPI), so its real size is unknown; give it.",
    "naive_time": "The signing time must carry a time zone.",
    "font_missing": "No TrueType font with Vietnamese letters is installed (Noto Serif or DejaVu Serif).",
    "signing_failed": "The signing library refused to sign the document.",
}

# Serif faces with full Vietnamese coverage, best first (Times New Roman itself is not installed).
SERIF_FONT_FILES = (fonts.NOTO / "NotoSerif-Regular.ttf", fonts.DEJAVU / "DejaVuSerif.ttf")

# Decree 30 page margins: right 15-20 mm, top 20-25 mm. The copy signature sits inside the top margin and ends
# at the body text's right edge, so it never covers the national motto or the number line.
COPY_SIGNATURE_TOP_OFFSET_MM = 6.0
COPY_SIGNATURE_RIGHT_OFFSET_MM = 20.0
COPY_SIGNATURE_PADDING = 2.0


class SignError(Exception):
    """Signing or checking failed; ``code`` is one of `ERROR_CODES`, ``detail`` is English for logs."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail or ERROR_CODES[code]}")
        self.code = code
        self.detail = detail or ERROR_CODES[code]


@dataclass(frozen=True)
class SignatureAppearance:
    """Where and how a visible signature is drawn: box in PDF points (x1, y1, x2, y2) on ``page_index``.

    ``page_index`` counts from 0; negative values count from the end, so the default -1 is the last page, where
    the signer's block usually is. The image fills the box above the text lines, keeping its aspect ratio.
    """

    box: Box
    page_index: int = -1
    image_png: bytes | None = None
    text_lines: tuple[str, ...] = ()
    font_size: float = 10.0

    def __post_init__(self) -> None:
        x1, y1, x2, y2 = self.box
        if x2 - x1 < 1 or y2 - y1 < 1:
            raise SignError("bad_box", f"Box {self.box} has no area.")


LaterChanges = Literal["none", "signatures", "unsigned", "suspicious"]


@dataclass(frozen=True)
class SignatureReport:
    """The outcome of checking one embedded signature.

    ``status``: "valid" (intact, chained to a trust root, and nothing but signatures or form filling added
    since), "tampered" (the signed bytes changed), "untrusted" (intact, but no chain to a trust root),
    "invalid" (anything else: broken signature value, expired or revoked certificate, malformed signature, or
    page content changed in a later revision, which viewers would show instead of what was signed).

    ``covers_whole_file`` is False when anything was appended after this signature: a later signature (normal
    for the person's signature once the body has signed) or an unsigned update. ``later_changes`` says which,
    using pyHanko's difference analysis: "none"; "signatures" (later signatures, form filling or harmless
    updates, with a later signature covering the end of the file); "unsigned" (a harmless update, e.g. to the
    document information, that no signature covers); "suspicious" (content or structure changed: the
    signature's ``status`` is then "invalid").
    """

    field_name: str
    signer_cn: str
    signer_organization: str
    signing_time: dt.datetime | None  # claimed by the signer (B-B has no time-stamp), in Vietnam time
    status: SignatureStatusCode
    covers_whole_file: bool
    later_changes: LaterChanges
    detail: str


# --- appearances ------------------------------------------------------------------------------------------


def _serif_font_name() -> str:
    """Register the first installed serif TrueType font with reportlab and return its name."""
    path = fonts.first_installed(SERIF_FONT_FILES)
    if path is None:
        raise SignError("font_missing")
    return fonts.register(path)


def _rgba_png(image_png: bytes) -> Image.Image:
    """Open a PNG and return it as RGBA, refusing images without transparency (Decree 30, Appendix I)."""
    try:
        image = Image.open(BytesIO(image_png))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise SignError("bad_image", str(error)) from error
    if image.format != "PNG":
        raise SignError("bad_image", f"The image is {image.format}, not PNG.")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if not has_alpha:
        raise SignError("image_not_transparent")
    return image.convert("RGBA")


def _text_width(text: str, font_size: float) -> float:
    return float(pdfmetrics.stringWidth(text, _serif_font_name(), font_size))


def signer_appearance(box: Box, image_png: bytes, *, page_index: int = -1) -> SignatureAppearance:
    """The competent person's signature: the blue handwritten image between position line and name (Appendix I)."""
    _rgba_png(image_png)
    return SignatureAppearance(box=box, page_index=page_index, image_png=image_png)


def seal_appearance(
    signer_box: Box, seal_png: bytes, *, diameter_mm: float | None = None, page_index: int = -1
) -> SignatureAppearance:
    """The body's signature: the red seal at real size over about the left third of the person's signature.

    Real size comes from ``diameter_mm`` (the seal's width; the height follows the image's proportions) or,
    failing that, from the PNG's resolution (pHYs/DPI). The seal's right edge lands one third into the signer's
    box and its centre on the box's vertical centre, as Appendix I shows.
    """
    image = _rgba_png(seal_png)
    if diameter_mm is not None:
        width = diameter_mm * MM
        height = width * image.height / image.width
    else:
        dpi = Image.open(BytesIO(seal_png)).info.get("dpi")
        if not dpi or not dpi[0] or not dpi[1]:
            raise SignError("seal_size_unknown")
        width = image.width / float(dpi[0]) * 72
        height = image.height / float(dpi[1]) * 72
    x1, y1, x2, y2 = signer_box
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    box = (right - width, middle - height / 2, right, middle + height / 2)
    return SignatureAppearance(box=box, page_index=page_index, image_png=seal_png)


def vietnam_iso_time(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time to the second, e.g. "2025-03-14T09:30:05+07:00" (Appendix I)."""
    if moment.tzinfo is None:
        raise SignError("naive_time")
    return moment.astimezone(VIETNAM_TZ).isoformat(timespec="seconds")


def organization_copy_appearance(
    page_box: Box,
    *,
    symbol: str,
    signed_at: dt.datetime,
    extra_lines: tuple[str, ...] = (),
    font_size: float = 10.0,
) -> SignatureAppearance:
    """The body's signature on a separate file or an e-copy: top right of page 1, no image (Appendix I).

    Text: the number/symbol (e.g. "12/QĐ-UBND"), any ``extra_lines`` (for an e-copy: the copy type and the
    copying body), then the signing time in ISO 8601 with +07:00; 10 pt black serif. ``page_box`` is the
    page's MediaBox (see `page_box`). Pass the same moment as ``signing_time`` to `sign_pdf` so the printed
    time and the signed time agree.
    """
    lines = tuple(unicodedata.normalize("NFC", line) for line in (symbol, *extra_lines, vietnam_iso_time(signed_at)))
    leading = font_size * 1.2
    width = max(_text_width(line, font_size) for line in lines) + 2 * COPY_SIGNATURE_PADDING
    height = leading * len(lines) + 2 * COPY_SIGNATURE_PADDING
    _, _, page_right, page_top = page_box
    right = page_right - COPY_SIGNATURE_RIGHT_OFFSET_MM * MM
    top = page_top - COPY_SIGNATURE_TOP_OFFSET_MM * MM
    return SignatureAppearance(
        box=(right - width, top - height, right, top), page_index=0, text_lines=lines, font_size=font_size
    )


def _render_appearance(appearance: SignatureAppearance, width: float, height: float) -> bytes:
    """Draw the appearance into a one-page PDF exactly ``width`` x ``height`` points."""
    buffer = BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    lines = [unicodedata.normalize("NFC", line) for line in appearance.text_lines]
    text_height = 0.0
    if lines:
        font = _serif_font_name()
        # Shrink rather than clip when a caller's box is narrower than the text.
        widest = max(_text_width(line, appearance.font_size) for line in lines)
        room = width - 2 * COPY_SIGNATURE_PADDING
        size = appearance.font_size if widest <= room else appearance.font_size * room / widest
        leading = size * 1.2
        text_height = leading * len(lines) + 2 * COPY_SIGNATURE_PADDING
        sheet.setFillColorRGB(0, 0, 0)
        sheet.setFont(font, size)
        descent = -pdfmetrics.getDescent(font, size)
        for number, line in enumerate(lines):
            baseline = text_height - COPY_SIGNATURE_PADDING - leading * (number + 1) + descent
            sheet.drawString(COPY_SIGNATURE_PADDING, baseline, line)
    if appearance.image_png is not None and height - text_height > 0:
        png = BytesIO()
        _rgba_png(appearance.image_png).save(png, format="PNG")
        png.seek(0)
        sheet.drawImage(
            ImageReader(png),
            0,
            text_height,
            width,
            height - text_height,
            mask="auto",  # keep the alpha channel as an SMask: the seal must not hide the signature below it
            preserveAspectRatio=True,
            anchor="c",
        )
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


class _ImportedAppearance(pdf_content.PdfContent):
    """A one-page PDF (in memory) imported as a form XObject; pyHanko's ImportedPdfPage only reads files."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self._pdf = pdf

    def render(self) -> bytes:
        writer = self.writer
        if writer is None:
            raise SignError("signing_failed", "Appearance rendered without a PDF writer.")
        xobject = writer.import_page_as_xobject(PdfFileReader(BytesIO(self._pdf)), page_ix=0)
        self.resources.xobject["/VanphongAppearance"] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return b"/VanphongAppearance Do"


def _stamp_style(appearance: SignatureAppearance, width: float, height: float) -> StaticStampStyle:
    return StaticStampStyle(
        border_width=0,
        background=_ImportedAppearance(_render_appearance(appearance, width, height)),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )


# --- signing ----------------------------------------------------------------------------------------------


class _TimedPdfSigner(signers.PdfSigner):
    """PdfSigner whose signing time is given: pyHanko 0.38 always takes the clock, which tests cannot pin."""

    def __init__(self, *args: object, signing_time: dt.datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: object, existing_fields_only: bool = False) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)  # type: ignore[arg-type]
        session.system_time = self._signing_time
        return session


def _asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _pyhanko_signer(identity: SigningIdentity) -> signers.SimpleSigner:
    key_der = identity.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=_asn1_certificate(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(cert) for cert in identity.chain]),
    )


def _open_reader(pdf: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        _page_count(reader)  # touching the page tree surfaces a broken catalogue now
    except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError) as error:
        raise SignError("bad_pdf", str(error)) from error
    if reader.encrypted:
        raise SignError("encrypted_pdf")
    return reader


def _page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def page_box(pdf: bytes, page_index: int = 0) -> Box:
    """The MediaBox (x1, y1, x2, y2) of a page, for computing signature boxes; A4 is (0, 0, 595.28, 841.89)."""
    reader = _open_reader(pdf)
    count = _page_count(reader)
    if not -count <= page_index < count:
        raise SignError("bad_page", f"Page {page_index} of a {count}-page document.")
    page, _ = reader.find_page_for_modification(page_index)
    x1, y1, x2, y2 = (float(value) for value in page.get_object()["/MediaBox"])
    return (x1, y1, x2, y2)


def sign_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    *,
    field_name: str,
    reason: str,
    location: str,
    appearance: SignatureAppearance | None,
    signing_time: dt.datetime | None = None,
) -> bytes:
    """Sign a PDF as PAdES B-B (SHA-256, ETSI.CAdES.detached) in an incremental update and return the new file.

    Earlier signatures stay valid, so the person signs first and the body signs the result (Decree 30,
    Appendix I). ``appearance`` None gives an invisible signature. ``signing_time`` defaults to now; it is
    the signer-claimed time (no time-stamp authority is used).
    """
    moment = signing_time if signing_time is not None else dt.datetime.now(VIETNAM_TZ)
    if moment.tzinfo is None:
        raise SignError("naive_time")
    reader = _open_reader(pdf)
    existing = list(fields.enumerate_sig_fields(reader, with_name=field_name))
    if any(value is not None for _, value, _ in existing):
        raise SignError("field_exists", f"Field {field_name!r} is already signed.")

    field_spec: fields.SigFieldSpec | None = None
    style: StaticStampStyle | None = None
    if not existing:
        if appearance is None:
            field_spec = fields.SigFieldSpec(field_name, on_page=-1)
        else:
            count = _page_count(reader)
            if not -count <= appearance.page_index < count:
                raise SignError("bad_page", f"Page {appearance.page_index} of a {count}-page document.")
            x1, y1, x2, y2 = (round(value, 2) for value in appearance.box)
            # pyHanko types the box as ints but writes FloatObjects; rounding to whole points would shift a
            # real-size seal by up to 0.35 mm.
            box = cast("tuple[int, int, int, int]", (x1, y1, x2, y2))
            field_spec = fields.SigFieldSpec(field_name, on_page=appearance.page_index, box=box)
            style = _stamp_style(appearance, x2 - x1, y2 - y1)
    elif appearance is not None:
        # An empty field prepared in the template keeps its own rectangle.
        widget = existing[0][2].get_object()
        left, bottom, right, top = (float(value) for value in widget.get("/Rect", (0, 0, 0, 0)))
        if abs(right - left) >= 1 and abs(top - bottom) >= 1:
            style = _stamp_style(appearance, abs(right - left), abs(top - bottom))

    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=unicodedata.normalize("NFC", reason),
        location=unicodedata.normalize("NFC", location),
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        pdf_signer = _TimedPdfSigner(
            metadata,
            signer=_pyhanko_signer(identity),
            stamp_style=style,
            new_field_spec=field_spec,
            signing_time=moment,
        )
        output = pdf_signer.sign_pdf(writer)
    except SignError:
        raise
    except (SigningError, PdfError) as error:
        raise SignError("signing_failed", str(error)) from error
    return bytes(output.getvalue())


# --- validation -------------------------------------------------------------------------------------------


class _QuietPyhankoFilter(logging.Filter):
    """Swallow pyHanko's records (with their tracebacks) raised by one thread, re-logging them briefly.

    pyHanko logs an expected "no path to a trust root" as a WARNING with the PathBuildingError traceback; for
    an office checking a document from an unknown CA that is an answer, not an incident.
    """

    def __init__(self, thread_id: int) -> None:
        super().__init__()
        self.thread_id = thread_id

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread != self.thread_id:
            return True
        reason = f" ({record.exc_info[1]})" if record.exc_info and record.exc_info[1] else ""
        level = logging.WARNING if record.levelno >= logging.ERROR else logging.DEBUG
        logger.log(level, "pyHanko: %s%s", record.getMessage(), reason)
        return False


@contextlib.contextmanager
def _quiet_pyhanko_logs() -> Iterator[None]:
    """For the duration of a call, filter records of every ``pyhanko*`` logger raised by the calling thread.

    Logger filters do not apply to records propagated from child loggers, so the filter goes on each
    pyHanko logger that exists (all are created when pyHanko's modules are imported, before this runs).
    """
    quiet = _QuietPyhankoFilter(threading.get_ident())
    targets = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name == "pyhanko" or name.startswith(("pyhanko.", "pyhanko_certvalidator"))
    ]
    for target in targets:
        target.addFilter(quiet)
    try:
        yield
    finally:
        for target in targets:
            target.removeFilter(quiet)


def _later_changes(status: PdfSignatureStatus, *, file_tail_signed: bool) -> LaterChanges:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "none"
    level = status.modification_level
    if level is None or level == ModificationLevel.OTHER or not status.docmdp_ok:
        return "suspicious"
    return "signatures" if file_tail_signed else "unsigned"


def _report(field_name: str, status: PdfSignatureStatus, *, file_tail_signed: bool) -> SignatureReport:
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    summary = certificate_summary(cert)
    later = _later_changes(status, file_tail_signed=file_tail_signed)
    indication = status.trust_problem_indic
    result: SignatureStatusCode
    if not status.intact:
        result, detail = "tampered", "The signed content was changed after signing."
    elif not status.valid:
        result, detail = "invalid", "The signature value does not match the certificate's key."
    elif later == "suspicious":
        result, detail = "invalid", "Intact, but the document's content was changed in a later revision."
    elif status.trusted:
        result, detail = "valid", "Intact, and the certificate chains to a trusted root."
    elif indication == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        result, detail = "untrusted", "Intact, but the certificate does not chain to any trusted root."
    elif status.revoked:
        result, detail = "invalid", "The signer's certificate has been revoked."
    else:
        reason = str(indication.value).lower() if isinstance(indication, enum.Enum) else "unknown"
        result, detail = "invalid", f"Intact, but the certificate is not acceptable ({reason})."
    if later == "signatures":
        detail += " Later signatures were added after this one."
    elif later == "unsigned":
        detail += " The file was updated after signing without a new signature (no content change)."
    reported = status.signer_reported_dt
    return SignatureReport(
        field_name=field_name,
        signer_cn=summary["subject_cn"],
        signer_organization=summary["organization"],
        signing_time=reported.astimezone(VIETNAM_TZ) if reported is not None else None,
        status=result,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        later_changes=later,
        detail=detail,
    )


def validate_pdf(pdf: bytes, *, trust_roots: list[x509.Certificate]) -> list[SignatureReport]:
    """Check every signature in a PDF offline (no OCSP/CRL fetching) against the office's trust roots.

    One report per signature in file order; an unsigned PDF gives []. Validity is judged at the current
    time, as PAdES B-B carries no time-stamp. pyHanko's log records from this call are filtered (see
    `_quiet_pyhanko_logs`) so that an untrusted certificate does not print a traceback.
    """
    reader = _open_reader(pdf)
    roots = [_asn1_certificate(root) for root in trust_roots]
    with _quiet_pyhanko_logs():
        try:
            embedded = list(reader.embedded_regular_signatures)
        except (PdfError, KeyError, ValueError, TypeError) as error:
            raise SignError("bad_pdf", str(error)) from error
        statuses: list[tuple[str, PdfSignatureStatus | str]] = []
        for signature in embedded:
            context = ValidationContext(trust_roots=roots, allow_fetching=False)
            try:
                statuses.append((signature.field_name, validate_pdf_signature(signature, context)))
            except (SignatureValidationError, PdfError, ValueError, KeyError) as error:
                statuses.append((signature.field_name, str(error)))
    file_tail_signed = any(
        isinstance(status, PdfSignatureStatus) and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        for _, status in statuses
    )
    reports: list[SignatureReport] = []
    for field_name, status in statuses:
        if isinstance(status, PdfSignatureStatus):
            reports.append(_report(field_name, status, file_tail_signed=file_tail_signed))
            continue
        reports.append(
            SignatureReport(
                field_name=field_name,
                signer_cn="",
                signer_organization="",
                signing_time=None,
                status="invalid",
                covers_whole_file=False,
                later_changes="suspicious",
                detail=f"The signature cannot be checked: {status}",
            )
        )
    return reports
