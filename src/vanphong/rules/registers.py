"""The printed registers (sổ đăng ký văn bản) of Decree 30/2020/NĐ-CP, Appendix IV, as data.

Appendix IV gives the forms a văn thư keeps, and Art. 24 and Appendix VI require that registers kept
in the System can be printed in these forms and bound:

* Sổ đăng ký văn bản đến (incoming): ngày đến, số đến, tác giả, số và ký hiệu, ngày tháng, tên loại và
  trích yếu nội dung, đơn vị hoặc người nhận, ngày chuyển, ký nhận, ghi chú.
* Sổ đăng ký văn bản đi (outgoing): số và ký hiệu, ngày tháng, tên loại và trích yếu nội dung, người
  ký, nơi nhận, đơn vị và người nhận bản lưu, số lượng bản, ngày chuyển, ký nhận, ghi chú.

Under the column titles each form numbers its columns (1), (2)…; the cover names the body, the
register, the year and the period ("Từ ngày … đến ngày …"). The titles are the regulation's own
Vietnamese words (like "Nơi nhận" on an official document): a register is a legal record and is
printed in the form the law gives, whatever the language of the screen.

No Django here: the documents app fills the rows (``documents.exports``), this module says what the
columns are, how wide they print, and how the cover reads.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["in", "out"]  # the values of documents.models.Direction


@dataclass(frozen=True)
class Column:
    """One column of a register form: its key (the field the rows fill), title and printed width.

    ``width_mm`` is the width on an A4 landscape page (277 mm between the margins for the whole
    table); ``xlsx_width`` the same in spreadsheet character units. ``kind`` says how a value is
    written: text, a whole number, or a date (dd/mm/yyyy).
    """

    key: str
    title: str
    width_mm: float
    kind: Literal["text", "number", "date"] = "text"

    @property
    def xlsx_width(self) -> float:
        return round(self.width_mm / 2.1, 1)  # ~2.1 mm per character of an 11 pt spreadsheet font


INCOMING_COLUMNS: Final[tuple[Column, ...]] = (
    Column("arrived_on", "Ngày đến", 19, "date"),
    Column("arrival_number", "Số đến", 14, "number"),
    Column("author", "Tác giả", 38),
    Column("number_symbol", "Số, ký hiệu", 28),
    Column("document_date", "Ngày tháng", 19, "date"),
    Column("type_and_abstract", "Tên loại và trích yếu nội dung", 70),
    Column("receiver", "Đơn vị hoặc người nhận", 36),
    Column("passed_on", "Ngày chuyển", 19, "date"),
    Column("signature", "Ký nhận", 14),
    Column("note", "Ghi chú", 20),
)

OUTGOING_COLUMNS: Final[tuple[Column, ...]] = (
    Column("number_symbol", "Số, ký hiệu văn bản", 28),
    Column("document_date", "Ngày tháng văn bản", 19, "date"),
    Column("type_and_abstract", "Tên loại và trích yếu nội dung văn bản", 64),
    Column("signer", "Người ký", 28),
    Column("recipients", "Nơi nhận văn bản", 44),
    Column("file_copy", "Đơn vị, người nhận bản lưu", 28),
    Column("copies", "Số lượng bản", 13, "number"),
    Column("passed_on", "Ngày chuyển", 19, "date"),
    Column("signature", "Ký nhận", 14),
    Column("note", "Ghi chú", 20),
)

TITLES: Final[dict[str, str]] = {"in": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "out": "SỔ ĐĂNG KÝ VĂN BẢN ĐI"}

# The marks a văn thư notes beside a document (Decree 30 Art. 8 and the secrets law), by the numbers
# documents.models.Urgency and Secrecy give them.
URGENCY_MARKS: Final[dict[int, str]] = {1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc", 4: "Hỏa tốc hẹn giờ"}
SECRECY_MARKS: Final[dict[int, str]] = {1: "Mật", 2: "Tối mật", 3: "Tuyệt mật"}


def columns(kind: Kind) -> tuple[Column, ...]:
    """The columns of the incoming (``"in"``) or outgoing (``"out"``) register, in the form's order."""
    return INCOMING_COLUMNS if kind == "in" else OUTGOING_COLUMNS


def column_numbers(kind: Kind) -> tuple[str, ...]:
    """The numbering row under the titles: ("(1)", "(2)", …)."""
    return tuple(f"({n})" for n in range(1, len(columns(kind)) + 1))


def day(value: datetime.date | None) -> str:
    """A date as the forms write it: 05/01/2026 (empty when there is none)."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def period_line(start: datetime.date, end: datetime.date) -> str:
    """The cover's period: "Năm 2026" for a whole calendar year, else "Từ ngày 01/03/2026 đến ngày 31/03/2026"."""
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return f"Năm {start.year}"
    return f"Từ ngày {day(start)} đến ngày {day(end)}"


def type_and_abstract(type_name: str, abstract: str) -> str:
    """Column "Tên loại và trích yếu nội dung": "Công văn: V/v …", or the abstract alone."""
    type_name, abstract = type_name.strip(), " ".join(abstract.split())
    return f"{type_name}: {abstract}" if type_name else abstract


def marks(urgency: int, secrecy: int, *extra: str) -> str:
    """Column "Ghi chú": urgency and secrecy marks, then any other notes, joined by "; "."""
    parts = [URGENCY_MARKS.get(urgency, ""), SECRECY_MARKS.get(secrecy, ""), *extra]
    return "; ".join(part for part in parts if part)
