"""The Decree 30 Appendix IV register forms as data: columns, cover lines and notes."""

from __future__ import annotations

import datetime

import pytest

from vanphong.rules import registers


@pytest.mark.parametrize("kind", ["in", "out"])
def test_each_form_has_its_ten_columns_filling_the_landscape_page(kind: registers.Kind) -> None:
    columns = registers.columns(kind)
    assert len(columns) == 10 and len({c.key for c in columns}) == 10
    assert sum(c.width_mm for c in columns) == 277  # A4 landscape less 10 mm margins each side
    assert registers.column_numbers(kind) == tuple(f"({n})" for n in range(1, 11))


def test_the_forms_follow_appendix_iv() -> None:
    incoming = [c.title for c in registers.INCOMING_COLUMNS]
    assert incoming[:2] == ["Ngày đến", "Số đến"] and incoming[-2:] == ["Ký nhận", "Ghi chú"]
    outgoing = [c.title for c in registers.OUTGOING_COLUMNS]
    assert outgoing[0] == "Số, ký hiệu văn bản" and "Nơi nhận văn bản" in outgoing and "Số lượng bản" in outgoing


@pytest.mark.parametrize(
    ("start", "end", "line"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "Năm 2026"),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), "Từ ngày 01/03/2026 đến ngày 31/03/2026"),
        (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31), "Từ ngày 01/01/2025 đến ngày 31/12/2026"),
        (datetime.date(2026, 1, 2), datetime.date(2026, 12, 31), "Từ ngày 02/01/2026 đến ngày 31/12/2026"),
    ],
)
def test_period_line(start: datetime.date, end: datetime.date, line: str) -> None:
    assert registers.period_line(start, end) == line


@pytest.mark.parametrize(
    ("args", "note"),
    [
        ((0, 0), ""),
        ((1, 0), "Khẩn"),
        ((4, 2), "Hỏa tốc hẹn giờ; Tối mật"),
        ((0, 1, "Đã trả lại"), "Mật; Đã trả lại"),
        ((0, 0, ""), ""),
    ],
)
def test_marks(args: tuple[int, int] | tuple[int, int, str], note: str) -> None:
    assert registers.marks(*args) == note


def test_type_and_abstract() -> None:
    assert registers.type_and_abstract("Công văn", " V/v  cử cán bộ\n dự lớp ") == "Công văn: V/v cử cán bộ dự lớp"
    assert registers.type_and_abstract("", "Về việc tiếp công dân") == "Về việc tiếp công dân"
    assert registers.day(None) == "" and registers.day(datetime.date(2026, 1, 5)) == "05/01/2026"
