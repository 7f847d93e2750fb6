"""File type from content: what offices exchange is accepted, executables, scripts and traps are not."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import pytest
from docx import Document
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from vanphong.lib.filestore import FileError
from vanphong.lib.sniff import DOCX, JPEG, ODT, PDF, PNG, PPTX, TEXT, TIFF, XLSX, XML, sniff

EDXML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLEnvelope>'
    "<edXML:Subject>Về việc triển khai Nghị quyết 57-NQ/TW</edXML:Subject></edXML:edXMLEnvelope></edXML:edXML>"
)


# -- builders ------------------------------------------------------------------------------------------


def pdf(text: str = "Quyet dinh so 12/QD-UBND", *, compress: bool = True) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1 if compress else 0)
    canvas.drawString(72, 750, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def image(fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, fmt, **params)
    return out.getvalue()


def docx(*, extra: dict[str, bytes] | None = None) -> bytes:
    document = Document()
    document.add_paragraph("Kính gửi: Văn phòng Tỉnh ủy Sơn Hà")
    out = io.BytesIO()
    document.save(out)
    if not extra:
        return out.getvalue()
    return rezip(out.getvalue(), extra)


def rezip(archive: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ văn bản đến"
    sheet.append(["Số đến", "Trích yếu"])
    sheet.append([1234, "Về việc tổng kết công tác văn thư năm 2026"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_like() -> bytes:
    content_types = (
        b'<?xml version="1.0"?><Types><Override PartName="/ppt/presentation.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'
    )
    return zip_of({"[Content_Types].xml": content_types, "ppt/presentation.xml": b"<p:presentation/>"})


def odt_like(*, macros: bool = False) -> bytes:
    members = {"mimetype": ODT.encode(), "content.xml": "<office:text>Báo cáo</office:text>".encode()}
    if macros:
        members["Basic/Standard/Module1.xml"] = b"<script:module/>"
    return zip_of(members)


def tiny_pdf(catalog_extra: bytes) -> bytes:
    """A hand-written uncompressed PDF whose catalog carries ``catalog_extra``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_with_object_stream(action: bytes) -> bytes:
    """A PDF 1.5 whose catalog and open action sit compressed in an object stream (invisible to byte scans)."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    index = b"1 0 4 %d " % (len(catalog) + 1)
    packed = zlib.compress(index + catalog + b" " + action)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    add(
        5,
        b"<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(index), len(packed), packed),
    )
    xref_at = len(out)
    rows = [(0, 0, 65535), (2, 5, 0), (1, offsets[2], 0), (1, offsets[3], 0), (2, 5, 1), (1, offsets[5], 0)]
    rows.append((1, xref_at, 0))
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    add(6, b"<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream" % (len(table), table))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_with_password(*, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password=user_password, owner_password="chủ-sở-hữu", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def forged_declared_size(archive: bytes, size: int) -> bytes:
    """Rewrite every central-directory 'uncompressed size' field, as a zip bomb's author would."""
    data = bytearray(archive)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def encrypted_member_docx() -> bytes:
    """A DOCX whose document part is flagged as password-protected (zipfile cannot write one)."""
    data = bytearray(docx())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 0x1)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


# -- accepted ------------------------------------------------------------------------------------------

ACCEPTED: list[tuple[str, Callable[[], bytes], str | None, str, str]] = [
    ("pdf", pdf, "12-QD-UBND.pdf", PDF, "pdf"),
    ("pdf-after-junk", lambda: b"\r\n" * 100 + pdf(), None, PDF, "pdf"),
    ("png", lambda: image("PNG"), "scan.png", PNG, "png"),
    ("png-named-pdf", lambda: image("PNG"), "bao-cao.pdf", PNG, "png"),
    ("jpeg", lambda: image("JPEG"), "anh-chup.jpeg", JPEG, "jpg"),
    ("tiff-little-endian", lambda: image("TIFF"), "scan.tif", TIFF, "tif"),
    ("tiff-big-endian", lambda: b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 64, None, TIFF, "tif"),
    ("docx", docx, "cong-van.docx", DOCX, "docx"),
    ("docx-named-doc", docx, "cong-van.doc", DOCX, "docx"),
    ("xlsx", xlsx, "so-den.xlsx", XLSX, "xlsx"),
    ("pptx", pptx_like, None, PPTX, "pptx"),
    ("odt", odt_like, "bao-cao.odt", ODT, "odt"),
    ("edxml", lambda: EDXML.encode(), "goi-tin.edxml", XML, "xml"),
    ("edxml-without-declaration", lambda: EDXML.split("\n", 1)[1].encode(), None, XML, "xml"),
    ("text-utf8-bom", lambda: "\ufeffDanh sách đại biểu dự Hội nghị Tỉnh ủy".encode(), "ds.txt", TEXT, "txt"),
    (
        "pdf-mentioning-javascript-in-text",
        lambda: pdf("Huong dan tat /JavaScript va /Launch", compress=False),
        None,
        PDF,
        "pdf",
    ),
    ("pdf-owner-password-only", lambda: pdf_with_password(user_password=""), None, PDF, "pdf"),
    (
        "pdf-link-in-object-stream",
        lambda: pdf_with_object_stream(b"<< /S /URI /URI (https://sonha.gov.vn) >>"),
        None,
        PDF,
        "pdf",
    ),
]


@pytest.mark.parametrize(
    ("make", "filename", "media_type", "extension"), [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED]
)
def test_accepted(make: Callable[[], bytes], filename: str | None, media_type: str, extension: str) -> None:
    sniffed = sniff(make(), filename=filename)
    assert (sniffed.media_type, sniffed.extension) == (media_type, extension)


# -- refused -------------------------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.\r\n"
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
BOMB_XML = b"<w:document>" + b" " * (5 * 1024 * 1024) + b"</w:document>"

REFUSED: list[tuple[str, Callable[[], bytes], str | None, str, str]] = [
    ("exe-named-pdf", lambda: EXE, "quyet-dinh.pdf", "unsupported_type", "Windows executable"),
    ("elf", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "bao-cao.docx", "unsupported_type", "ELF"),
    ("old-doc", lambda: OLE2_DOC, "cong-van.doc", "unsupported_type", "convert to DOCX or PDF"),
    ("rtf", lambda: b"{\\rtf1\\ansi Kinh gui}", None, "unsupported_type", "RTF"),
    ("gif", lambda: image("GIF"), "scan.gif", "unsupported_type", "GIF"),
    (
        "html",
        lambda: "<!DOCTYPE html><html><body><script>alert(1)</script>Thông báo</body></html>".encode(),
        "thong-bao.pdf",
        "unsupported_type",
        "HTML",
    ),
    ("html-fragment", lambda: b"\n  <script src='x.js'></script>", None, "unsupported_type", "HTML"),
    (
        "svg",
        lambda: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "con-dau.png",
        "unsupported_type",
        "may carry scripts",
    ),
    ("javascript", lambda: b"function tai(){ window.location = 'x' }", "ghi-chu.txt", "unsupported_type", "JavaScript"),
    ("javascript-const", lambda: b"const url = 'http://x';\nfetch(url)", None, "unsupported_type", "JavaScript"),
    ("shell", lambda: b"#!/bin/sh\nrm -rf ~\n", "danh-sach.txt", "unsupported_type", "shell script"),
    ("batch", lambda: b"@ECHO OFF\r\ndel *.*\r\n", None, "unsupported_type", "batch"),
    ("tcvn3-text", lambda: b"U\xb7 ban nh\xa9n d\xa9n t\xbanh S\xac n H\xb5", "cv.txt", "unsupported_type", "UTF-8"),
    (
        "xml-with-entities",
        lambda: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        None,
        "unsupported_type",
        "entities",
    ),
    (
        "plain-zip",
        lambda: zip_of({"danh-sach.txt": b"abc"}),
        "ho-so.docx",
        "unsupported_type",
        "not an Office document",
    ),
    (
        "zip-bomb-ratio",
        lambda: zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": BOMB_XML}),
        None,
        "zip_bomb",
        "100:1",
    ),
    ("zip-bomb-declared-size", lambda: forged_declared_size(docx(), 300 * 1024 * 1024), None, "zip_bomb", "expand"),
    ("encrypted-member", encrypted_member_docx, None, "encrypted_member", "word/document.xml"),
    ("zip-slip", lambda: docx(extra={"../../etc/cron.d/x": b"* * * * * root sh"}), None, "unsafe_path", ".."),
    ("absolute-path", lambda: docx(extra={"/etc/cron.d/x": b"x"}), None, "unsafe_path", "/etc/cron.d/x"),
    ("windows-drive", lambda: docx(extra={"C:\\Windows\\x.dll": b"x"}), None, "unsafe_path", "C:"),
    ("macro-docx", lambda: docx(extra={"word/vbaProject.bin": OLE2_DOC}), "to-trinh.docx", "macros", "vbaProject.bin"),
    (
        "docm-content-type",
        lambda: rezip(
            docx(),
            {},
            replace={
                "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType="application/'
                b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
            },
        ),
        None,
        "macros",
        "macro-enabled",
    ),
    ("odt-macros", lambda: odt_like(macros=True), None, "macros", "OpenDocument"),
    (
        "pdf-javascript",
        lambda: tiny_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        None,
        "active_content",
        "JavaScript",
    ),
    (
        "pdf-names-javascript",
        lambda: tiny_pdf(b"/Names << /JavaScript << /Names [] >> >>"),
        None,
        "active_content",
        "JavaScript",
    ),
    ("pdf-launch", lambda: tiny_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), None, "active_content", "Launch"),
    (
        "pdf-escaped-launch",
        lambda: tiny_pdf(b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"),
        None,
        "active_content",
        "Launch",
    ),
    (
        "pdf-javascript-in-object-stream",
        lambda: pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        None,
        "active_content",
        "JavaScript",
    ),
    ("pdf-user-password", lambda: pdf_with_password(user_password="mật-khẩu"), None, "encrypted_pdf", "password"),
    ("empty", lambda: b"", "trong.pdf", "empty", "trong.pdf"),
]


@pytest.mark.parametrize(("make", "filename", "code", "detail"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused(make: Callable[[], bytes], filename: str | None, code: str, detail: str) -> None:
    with pytest.raises(FileError) as caught:
        sniff(make(), filename=filename)
    assert caught.value.code == code
    assert detail in caught.value.detail
    if filename:
        assert filename in caught.value.detail


def test_object_stream_fixture_really_hides_the_name() -> None:
    # Guards the test above: the byte scan alone must not be what catches it.
    hidden = pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert b"JavaScript" not in hidden
    assert PdfReader(io.BytesIO(hidden)).trailer["/Root"]["/OpenAction"]["/S"] == "/JavaScript"
