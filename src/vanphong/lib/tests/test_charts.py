"""Charts drawn once (reportlab graphics) and rendered as inline SVG for pages and into PDFs."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate

from vanphong.lib import charts

SVG = "{http://www.w3.org/2000/svg}"
UNITS = ["Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Sở Nội vụ", "Sở Tài nguyên & Môi trường <tỉnh>"]
STATUS = [
    charts.Series("Chưa đến hạn", [3, 4, 0, 1]),
    charts.Series("Quá hạn", [0, 2, 0, 3], colour="#D55E00"),
    charts.Series("Hoàn thành đúng hạn", [10, 12, 0, 4]),
]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_bar_chart_svg_parses_names_units_and_has_an_accessible_title() -> None:
    chart = charts.bar_chart("Tình hình thực hiện nhiệm vụ theo đơn vị", UNITS, STATUS)
    svg = chart.svg()
    assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
    root = parsed(svg)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Tình hình thực hiện nhiệm vụ theo đơn vị"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {root.find(f'{SVG}desc').get('id')}"  # type: ignore[union-attr]
    drawn = texts(root)
    for unit in UNITS:
        assert unit in drawn  # the category labels, escaped where needed and parsed back
    for series in STATUS:
        assert series.name in drawn  # the legend
    assert "Vanphong-" not in svg and "'Noto Sans', sans-serif" in svg  # the page's own font


def test_stacked_bars_are_as_long_as_the_totals() -> None:
    chart = charts.bar_chart("Theo đơn vị", ["A", "B"], [charts.Series("x", [2, 0]), charts.Series("y", [2, 4])])
    root = parsed(chart.svg())
    # 2 + 2 and 0 + 4: both rows end at the same place; 3 bars drawn (a zero draws nothing wide)
    widths = sorted(float(r.get("width", 0)) for r in root.iter(f"{SVG}rect") if r.get("fill") != "none")
    bars = [w for w in widths if w > 10]  # not the legend swatches (8 points)
    assert len(bars) == 3
    assert bars[0] == pytest.approx(bars[1]) and bars[2] == pytest.approx(2 * bars[0])


def test_two_charts_in_one_page_do_not_share_ids() -> None:
    first = parsed(charts.bar_chart("Một", UNITS, STATUS).svg())
    second = parsed(charts.line_chart("Hai", ["01/2026", "02/2026"], [charts.Series("Giao", [1, 3])]).svg())
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_the_same_figures_draw_the_same_svg_once_with_fresh_ids() -> None:
    first = charts.bar_chart("Theo đơn vị", UNITS, STATUS).svg()
    again = charts.bar_chart("Theo đơn vị", UNITS, STATUS).svg()
    assert first != again and first.split("</desc>", 1)[1] == again.split("</desc>", 1)[1]
    assert parsed(first).get("aria-labelledby") != parsed(again).get("aria-labelledby")
    changed = charts.bar_chart(
        "Theo đơn vị", UNITS, [*STATUS[:2], charts.Series("Hoàn thành đúng hạn", [10, 12, 0, 5])]
    )
    assert changed.svg().split("</desc>", 1)[1] != first.split("</desc>", 1)[1]


def test_line_chart_labels_only_some_of_many_months() -> None:
    months = [f"{m:02d}/{y}" for y in range(2017, 2027) for m in range(1, 13)]
    root = parsed(charts.line_chart("Mười năm", months, [charts.Series("Giao", list(range(120)))]).svg())
    labelled = [t for t in texts(root) if "/" in t]
    assert "01/2017" in labelled and 10 <= len(labelled) <= 24


def test_empty_data_still_draws_a_chart() -> None:
    for chart in (charts.bar_chart("Trống", [], STATUS), charts.line_chart("Trống", [], [])):
        assert parsed(chart.svg()).find(f"{SVG}title") is not None


def test_long_unit_names_are_cut_on_the_chart_but_kept_in_the_description() -> None:
    name = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh Sơn Hà"
    root = parsed(charts.bar_chart("Theo đơn vị", [name], [charts.Series("x", [1])]).svg())
    assert any(t.endswith("…") and name.startswith(t[:-1]) for t in texts(root))
    assert root.find(f"{SVG}desc").text == name  # type: ignore[union-attr]


def test_nice_steps_are_whole_and_cover_the_largest_value() -> None:
    assert [charts.nice_step(n) for n in (0, 3, 6, 7, 40, 130, 2_900)] == [1, 1, 1, 2, 10, 50, 500]


def test_the_drawing_goes_into_a_pdf_with_its_vietnamese_labels() -> None:
    out = io.BytesIO()
    story = [charts.bar_chart("Tình hình thực hiện nhiệm vụ", UNITS, STATUS).drawing]
    SimpleDocTemplate(out, pagesize=landscape(A4)).build(story)
    text = PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
    for word in ("Tình hình thực hiện nhiệm vụ", "Ban Tổ chức Tỉnh ủy", "Hoàn thành đúng hạn"):
        assert word in text
