"""Registers printed in the Decree 30 forms (Appendix IV) and exported as XLSX and PDF, for any period.

``register_rows`` reads the rows of one register over a period, in register order (incoming: by
arrival number; outgoing: by date and number), and only what the account may see: the documents come
from ``access.documents_visible_to`` (``policy.visible_q``), so a secret document the account is not
cleared for, or one of another register, never reaches a row; with ``VANPHONG_SECRET_DOCUMENTS=off``
no secret document is printed at all. Rows are read ``BATCH`` at a time, with the lead units (or the
recipients) of each batch in one more query, so memory stays flat whatever the period.

The columns and the cover are ``rules.registers``. Three renderings share them:

* ``write_xlsx``: openpyxl in write-only mode (rows go to disk as they come), the cover above the
  table, column titles and their numbering repeated on every printed page, A4 landscape.
* ``write_pdf``: reportlab, drawn line by line on the canvas: the page is cut by measured row heights,
  the column titles and numbering are repeated on every page, pages numbered. WeasyPrint lays out the
  whole table in memory before the first page: on the same 1,000 rows it took 29 times as long and
  four times the memory, growing with the rows (bench/bench_register_export.py has the figures; a
  year of 55,000 rows draws here in about half a minute). That is why the PDF is drawn here.
* the print page (``documents/print/register.html``), for a browser's own printing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from vanphong.core.audit import Actor
from vanphong.documents import access, policy
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Direction,
    Document,
    Recipient,
    Register,
    Secrecy,
    Status,
)
from vanphong.lib import fonts
from vanphong.rules import registers as layout

BATCH = 2_000
NUMBERED = (Status.SIGNED, Status.ISSUED, Status.DISPATCHED, Status.RECALLED)  # outgoing with a number
Row = tuple[Any, ...]  # one value per column of ``layout.columns``: str, int or date (None when empty)


@dataclass(frozen=True)
class RegisterSheet:
    """What every rendering prints: the register, its period, its cover lines and its columns."""

    register: Register
    start: datetime.date
    end: datetime.date
    printed_by: str
    printed_at: datetime.datetime

    @property
    def kind(self) -> layout.Kind:
        return "in" if self.register.direction == Direction.INCOMING else "out"

    @property
    def columns(self) -> tuple[layout.Column, ...]:
        return layout.columns(self.kind)

    @property
    def centred(self) -> frozenset[int]:
        """The columns printed centred: numbers and dates."""
        return frozenset(i for i, column in enumerate(self.columns) if column.kind != "text")

    @property
    def numbers(self) -> tuple[str, ...]:
        return layout.column_numbers(self.kind)

    @property
    def cover(self) -> tuple[str, str, str, str]:
        """(parent body, body, the form's title, the period), the first two in capitals as on letterheads."""
        body = self.register.organization
        parent = body.parent.full_name.upper() if body.parent is not None else ""
        return parent, body.full_name.upper(), layout.TITLES[self.kind], layout.period_line(self.start, self.end)

    @property
    def footer(self) -> str:
        moment = timezone.localtime(self.printed_at)
        return f"{self.register.name} · In lúc {moment:%H:%M} ngày {moment:%d/%m/%Y} · {self.printed_by}"

    def file_name(self, extension: str) -> str:
        return download_name(self.register, self.start, self.end, extension)


def download_name(register: Register, start: datetime.date, end: datetime.date, extension: str) -> str:
    """The name an exported register is downloaded under, e.g. ``so-den-3-20250101-20251231.xlsx``."""
    kind = "so-den" if register.direction == Direction.INCOMING else "so-di"
    return f"{kind}-{register.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"


def sheet_for(register: Register, start: datetime.date, end: datetime.date, account: Any) -> RegisterSheet:
    person = getattr(account, "person", None)
    printed_by = person.full_name if person is not None else str(account)
    return RegisterSheet(register, start, end, printed_by, timezone.now())


def register_documents(
    account: Any, register: Register, start: datetime.date, end: datetime.date
) -> QuerySet[Document]:
    """The documents of ``register`` in the period that ``account`` may see, in register order."""
    documents = access.documents_visible_to(account).filter(register=register, direction=register.direction)
    if policy.secret_mode() == "off":
        documents = documents.filter(secrecy=Secrecy.NONE)
    if register.direction == Direction.INCOMING:
        # Local midnights compared with the column itself, not __date (which converts every row's time).
        after = _midnight(end + datetime.timedelta(days=1))
        return documents.filter(arrived_at__gte=_midnight(start), arrived_at__lt=after).order_by(
            "arrival_year", "arrival_number", "id"
        )
    return documents.filter(status__in=NUMBERED, document_date__gte=start, document_date__lte=end).order_by(
        "document_date", "number", "id"
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def register_rows(account: Any, register: Register, start: datetime.date, end: datetime.date) -> Iterator[Row]:
    """The rows of the printed register, one per document, in the columns of ``rules.registers``."""
    documents = register_documents(account, register, start, end)
    if register.direction == Direction.INCOMING:
        yield from _incoming_rows(documents)
    else:
        yield from _outgoing_rows(documents)


def _batches(documents: QuerySet[Document], fields: Sequence[str]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for values in documents.values(*fields).iterator(chunk_size=BATCH):
        batch.append(values)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


INCOMING_FIELDS = (
    "id", "arrived_at", "arrival_number", "sender_name", "sender__full_name", "number_symbol", "document_date",
    "document_type__name", "abstract", "presented_to__full_name", "presented_at", "urgency", "secrecy", "status",
)  # fmt: skip


def _incoming_rows(documents: QuerySet[Document]) -> Iterator[Row]:
    for batch in _batches(documents, INCOMING_FIELDS):
        leads: dict[int, tuple[str, str, datetime.datetime]] = {}
        parts = (
            Assignment.objects.filter(document_id__in=[d["id"] for d in batch], role=AssignmentRole.LEAD)
            .exclude(state=AssignmentState.CANCELLED)
            .values_list("document_id", "unit__short_name", "unit__full_name", "handler__full_name", "assigned_at")
        )
        for document_id, short, full, handler, assigned_at in parts:
            leads[document_id] = (short or full, handler or "", assigned_at)
        for d in batch:
            lead = leads.get(d["id"])
            if lead is not None:
                receiver = f"{lead[0]} ({lead[1]})" if lead[1] else lead[0]
            else:
                receiver = d["presented_to__full_name"] or ""
            passed = d["presented_at"] or (lead[2] if lead is not None else None)
            returned = "Đã trả lại" if d["status"] == Status.RETURNED else ""
            yield (
                _local_day(d["arrived_at"]),
                d["arrival_number"],
                d["sender_name"] or d["sender__full_name"] or "",
                d["number_symbol"],
                d["document_date"],
                layout.type_and_abstract(d["document_type__name"] or "", d["abstract"]),
                receiver,
                _local_day(passed),
                "",
                layout.marks(d["urgency"], d["secrecy"], returned),
            )


OUTGOING_FIELDS = (
    "id", "number_symbol", "document_date", "document_type__name", "abstract", "signer__full_name", "signer_name",
    "drafting_unit__short_name", "drafting_unit__full_name", "drafter__full_name", "copies", "issued_at",
    "urgency", "secrecy", "status",
)  # fmt: skip


def _outgoing_rows(documents: QuerySet[Document]) -> Iterator[Row]:
    for batch in _batches(documents, OUTGOING_FIELDS):
        recipients: dict[int, list[str]] = {}
        dispatched: dict[int, datetime.datetime] = {}
        found = (
            Recipient.objects.filter(document_id__in=[d["id"] for d in batch])
            .order_by("document_id", "order", "id")
            .values_list("document_id", "name", "dispatched_at")
        )
        for document_id, name, dispatched_at in found:
            recipients.setdefault(document_id, []).append(name)
            if dispatched_at is not None and (document_id not in dispatched or dispatched_at < dispatched[document_id]):
                dispatched[document_id] = dispatched_at
        for d in batch:
            unit = d["drafting_unit__short_name"] or d["drafting_unit__full_name"] or ""
            file_copy = ", ".join(part for part in (unit, d["drafter__full_name"] or "") if part)
            recalled = "Đã thu hồi" if d["status"] == Status.RECALLED else ""
            yield (
                d["number_symbol"],
                d["document_date"],
                layout.type_and_abstract(d["document_type__name"] or "", d["abstract"]),
                d["signer__full_name"] or d["signer_name"] or "",
                "; ".join(recipients.get(d["id"], [])),
                file_copy,
                d["copies"],
                _local_day(dispatched.get(d["id"]) or d["issued_at"]),
                "",
                layout.marks(d["urgency"], d["secrecy"], recalled),
            )


def as_text(value: Any) -> str:
    """A cell as printed: dates dd/mm/yyyy, numbers as they are, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return layout.day(value)
    return str(value)


# --- XLSX ------------------------------------------------------------------------------------------------


def write_xlsx(sheet: RegisterSheet, rows: Iterator[Row], out: IO[bytes]) -> int:
    """Write the register as an .xlsx workbook to ``out``; returns the number of documents written."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=("Sổ đến" if sheet.kind == "in" else "Sổ đi"))
    columns = sheet.columns
    last = get_column_letter(len(columns))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.xlsx_width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = 0.8, 0.4  # inches; the wider side is for binding
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.print_title_rows = "6:7"
    ws.freeze_panes = "A8"
    ws.oddFooter.left.text = sheet.footer.replace("&", "&&")
    ws.oddFooter.right.text = "Trang &P/&N"

    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    # Named styles: one look-up per cell instead of three style objects (a third less time for a year).
    styles = {
        "text": NamedStyle("register_text", border=grid, alignment=Alignment(wrap_text=True, vertical="top")),
        "number": NamedStyle("register_number", border=grid, alignment=Alignment(horizontal="center", vertical="top")),
        "date": NamedStyle(
            "register_date",
            border=grid,
            alignment=Alignment(horizontal="center", vertical="top"),
            number_format="dd/mm/yyyy",
        ),
        "head": NamedStyle(
            "register_head",
            border=grid,
            font=Font(bold=True),
            alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
        ),
        "numbering": NamedStyle(
            "register_numbering", border=grid, font=Font(italic=True), alignment=Alignment(horizontal="center")
        ),
    }
    for style in styles.values():
        book.add_named_style(style)

    def cell(value: Any, style: str) -> Any:
        written = WriteOnlyCell(ws, value=value)
        written.style = styles[style].name
        return written

    parent, body, title, period = sheet.cover
    cover = [
        (parent, Font(size=11), "left"),
        (body, Font(size=11, bold=True), "left"),
        (title, Font(size=14, bold=True), "center"),
        (f"{sheet.register.name} · {period}", Font(size=12, italic=True), "center"),
    ]
    for row_number, (text, font, align) in enumerate(cover, start=1):
        written = WriteOnlyCell(ws, value=text)
        written.font, written.alignment = font, Alignment(horizontal=align)
        ws.append([written])
        ws.merged_cells.add(f"A{row_number}:{'D' if row_number <= 2 else last}{row_number}")
    ws.append([])
    ws.append([cell(c.title, "head") for c in columns])
    ws.append([cell(n, "numbering") for n in sheet.numbers])
    kinds = [column.kind for column in columns]
    count = 0
    for row in rows:
        ws.append([cell(value if value != "" else None, kind) for kind, value in zip(kinds, row, strict=True)])
        count += 1
    book.save(out)
    return count


# --- PDF -------------------------------------------------------------------------------------------------

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 297 * MM, 210 * MM  # A4 landscape
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 10 * MM, 10 * MM, 10 * MM, 12 * MM
BODY_SIZE, HEAD_SIZE, LEADING, PAD = 8.5, 8.5, 10.5, 2.5
SERIF = (fonts.NOTO / "NotoSerif-Regular.ttf", fonts.DEJAVU / "DejaVuSerif.ttf")
SERIF_BOLD = (fonts.NOTO / "NotoSerif-Bold.ttf", fonts.DEJAVU / "DejaVuSerif-Bold.ttf")


def _font(paths: tuple[Any, ...]) -> str:
    path = fonts.first_installed(paths)
    if path is None:
        raise RuntimeError("No Vietnamese font installed: install fonts-noto-core (or fonts-dejavu-core).")
    return fonts.register(path)


class _Wrapper:
    """Greedy word wrap by measured width, cutting a word longer than the column where it must."""

    def __init__(self, font: str, size: float) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

        self.font, self.size = font, size
        self._width = stringWidth
        self._cache: dict[str, float] = {}

    def width(self, text: str) -> float:
        found = self._cache.get(text)
        if found is None:
            found = self._width(text, self.font, self.size)
            if len(self._cache) < 200_000:
                self._cache[text] = found
        return found

    def lines(self, text: str, limit: float) -> list[str]:
        if not text:
            return []
        space = self.width(" ")
        lines: list[str] = []
        current, used = "", 0.0
        for word in text.split():
            size = self.width(word)
            if size > limit:  # a long symbol or address: cut by characters
                if current:
                    lines.append(current)
                    current, used = "", 0.0
                piece = ""
                for char in word:
                    if self.width(piece + char) > limit and piece:
                        lines.append(piece)
                        piece = ""
                    piece += char
                current, used = piece, self.width(piece)
                continue
            if current and used + space + size > limit:
                lines.append(current)
                current, used = word, size
            else:
                current, used = (f"{current} {word}", used + space + size) if current else (word, size)
        if current:
            lines.append(current)
        return lines


def write_pdf(sheet: RegisterSheet, rows: Iterator[Row], out: IO[bytes]) -> int:
    """Draw the register as an A4 landscape PDF to ``out``; returns the number of documents drawn."""
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    regular, bold = _font(SERIF), _font(SERIF_BOLD)
    body = _Wrapper(regular, BODY_SIZE)
    head = _Wrapper(bold, HEAD_SIZE)
    columns = sheet.columns
    scale = (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / sum(c.width_mm * MM for c in columns)
    widths = [c.width_mm * MM * scale for c in columns]
    lefts = [MARGIN_LEFT + sum(widths[:i]) for i in range(len(widths))]
    right = MARGIN_LEFT + sum(widths)
    title_lines = [head.lines(c.title, w - 2 * PAD) for c, w in zip(columns, widths, strict=True)]
    title_height = max(len(lines) for lines in title_lines) * LEADING + 2 * PAD
    number_height = LEADING + 2 * PAD

    pdf = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, invariant=0)
    pdf.setTitle(f"{layout.TITLES[sheet.kind]} – {sheet.register.name} – {sheet.cover[3]}")
    pdf.setAuthor(sheet.register.organization.full_name)
    pdf.setLineWidth(0.5)
    page = 0

    def start_page(first: bool) -> float:
        nonlocal page
        page += 1
        top = PAGE_HEIGHT - MARGIN_TOP
        if first:
            parent, body_name, title, period = sheet.cover
            pdf.setFont(regular, 10)
            if parent:
                pdf.drawCentredString(MARGIN_LEFT + 45 * MM, top - 10, parent)
            pdf.setFont(bold, 10)
            pdf.drawCentredString(MARGIN_LEFT + 45 * MM, top - 23, body_name)
            pdf.setFont(bold, 14)
            pdf.drawCentredString(PAGE_WIDTH / 2, top - 48, title)
            pdf.setFont(regular, 11)
            pdf.drawCentredString(PAGE_WIDTH / 2, top - 63, f"{sheet.register.name} · {period}")
            top -= 78
        pdf.setFont(regular, 7.5)
        pdf.drawString(MARGIN_LEFT, MARGIN_BOTTOM - 20, sheet.footer)
        pdf.drawRightString(right, MARGIN_BOTTOM - 20, f"Trang {page}")
        # the column titles and their numbering, on every page
        pdf.setFont(bold, HEAD_SIZE)
        for left, width, lines in zip(lefts, widths, title_lines, strict=True):
            y = top - PAD - (title_height - 2 * PAD - len(lines) * LEADING) / 2 - HEAD_SIZE
            for line in lines:
                pdf.drawCentredString(left + width / 2, y, line)
                y -= LEADING
        pdf.setFont(regular, BODY_SIZE)
        for left, width, number in zip(lefts, widths, sheet.numbers, strict=True):
            pdf.drawCentredString(left + width / 2, top - title_height - PAD - BODY_SIZE, number)
        bottom = top - title_height - number_height
        for y in (top, top - title_height, bottom):
            pdf.line(MARGIN_LEFT, y, right, y)
        for x in [*lefts, right]:
            pdf.line(x, top, x, bottom)
        return bottom

    # The rows of a page go into one text object and one batch of rules, drawn when the page is full:
    # a drawString per cell would repeat the font selection and text state for each of ~30 lines a row.
    table_top = y = start_page(first=True)
    text = pdf.beginText()
    text.setFont(regular, BODY_SIZE)
    rules: list[tuple[float, float, float, float]] = []

    def finish_page() -> None:
        pdf.drawText(text)
        rules.extend((x, table_top, x, y) for x in [*lefts, right])
        pdf.lines(rules)
        rules.clear()

    count = 0
    for row in rows:
        cells = [body.lines(as_text(value), width - 2 * PAD) for value, width in zip(row, widths, strict=True)]
        height = max(1, *(len(lines) for lines in cells)) * LEADING + 2 * PAD
        if y - height < MARGIN_BOTTOM:
            finish_page()
            pdf.showPage()
            table_top = y = start_page(first=False)
            text = pdf.beginText()
            text.setFont(regular, BODY_SIZE)
        for column, left, width, lines in zip(columns, lefts, widths, cells, strict=True):
            line_y = y - PAD - BODY_SIZE
            for line in lines:
                x = left + PAD if column.kind == "text" else left + (width - body.width(line)) / 2
                text.setTextOrigin(x, line_y)
                text.textOut(line)
                line_y -= LEADING
        y -= height
        rules.append((MARGIN_LEFT, y, right, y))
        count += 1
    finish_page()
    if count == 0:
        pdf.setFont(regular, 10)
        pdf.drawString(MARGIN_LEFT, y - 16, "Không có văn bản nào trong thời gian này.")
    pdf.showPage()
    pdf.save()
    return count


# --- responses (the page and the API answer alike) --------------------------------------------------------

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
SPOOL_BYTES = 8 * 1024 * 1024  # a month's register stays in memory; a year's goes to a temporary file


EXPORT_ACTION = "documents.register.export"


def write(sheet: RegisterSheet, rows: Iterator[Row], file_format: str, out: IO[bytes]) -> int:
    """Write the register in ``file_format`` ("xlsx" or "pdf") to ``out``; returns the documents written.
    The one way a file is made, whether in the request or by the background worker."""
    writer = write_xlsx if file_format == "xlsx" else write_pdf
    return writer(sheet, rows, out)


def inline_limit() -> int:
    """The most documents an export may hold to be written inside the request
    (``VANPHONG_EXPORT_INLINE_ROWS``); a longer period is prepared in the background."""
    from django.conf import settings

    return int(settings.REGISTER_EXPORT_INLINE_ROWS)


def too_long_to_wait(account: Any, register: Register, start: datetime.date, end: datetime.date) -> int | None:
    """The number of documents in the period when it is over ``inline_limit()`` (None when it is not)."""
    count = register_documents(account, register, start, end).count()
    return count if count > inline_limit() else None


def record_export(
    actor: Actor,
    register: Register,
    start: datetime.date,
    end: datetime.date,
    file_format: str,
    documents: int | None,
    *,
    prepared: int | None = None,
) -> None:
    """Put the export in the audit log: who took which register, for which period, in which format (and
    how many documents it held). A register lists documents, secret ones included for the cleared, so
    taking it out of the system is recorded like opening a secret document. ``prepared`` is the
    background export (``RegisterExport``) the file was downloaded from."""
    from django.db import transaction

    from vanphong.core import audit

    after: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "format": file_format}
    after["documents"] = documents
    if prepared is not None:
        after["prepared"] = prepared
    with transaction.atomic():
        audit.record(actor, EXPORT_ACTION, register, after=after)


def file_response(
    sheet: RegisterSheet,
    rows: Iterator[Row],
    file_format: str,
    *,
    actor: Actor,
    register: Register,
    start: datetime.date,
    end: datetime.date,
) -> Any:
    """The register as a download (``file_format`` "xlsx" or "pdf"), written to a spooled temporary file;
    the export is recorded in the audit log once written."""
    import tempfile

    from django.http import FileResponse

    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    written = write(sheet, rows, file_format, spool)
    record_export(actor, register, start, end, file_format, written)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=sheet.file_name(file_format), content_type=MEDIA_TYPES[file_format]
    )


def cells(row: Row) -> list[str]:
    """A row as the print page shows it: every value as printed text."""
    return [as_text(value) for value in row]
