"""Charts for reports, drawn once with reportlab's graphics and rendered two ways: as a reportlab
``Drawing`` (a flowable: it goes straight into a PDF story) and as inline SVG for pages, with an
accessible name (``<title>``, ``<desc>``, ``role="img"``).

Model-free: the caller passes category names and series of numbers. Two shapes are offered:

* ``bar_chart``: grouped or stacked bars, horizontal by default (one bar per unit reads well with
  forty unit names; vertical when the categories are few and short, e.g. months);
* ``line_chart``: one line per series over ordered categories (months, quarters).

Text is drawn in Noto Sans (Debian's fonts-noto-core, DejaVu Sans as fallback: ``lib.fonts``), so
Vietnamese diacritics print in the PDF; in the SVG the font becomes the page's own "Noto Sans"
(vendored under static/vanphong/fonts), so a page and its printout look alike.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart  # type: ignore[import-untyped]
from reportlab.graphics.charts.legends import Legend  # type: ignore[import-untyped]
from reportlab.graphics.charts.linecharts import HorizontalLineChart  # type: ignore[import-untyped]
from reportlab.graphics.shapes import (  # type: ignore[import-untyped]
    Circle,
    Drawing,
    Group,
    Line,
    Path,
    Polygon,
    PolyLine,
    Rect,
    String,
    UserNode,
)
from reportlab.graphics.widgets.markers import makeMarker  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from vanphong.lib import fonts

# Distinguishable for the common colour-vision deficiencies (Okabe–Ito), in a fixed order.
PALETTE = ("#0072B2", "#E69F00", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
SANS = (fonts.NOTO / "NotoSans-Regular.ttf", fonts.DEJAVU / "DejaVuSans.ttf")
SANS_BOLD = (fonts.NOTO / "NotoSans-Bold.ttf", fonts.DEJAVU / "DejaVuSans-Bold.ttf")
LABEL_SIZE, TITLE_SIZE, LEGEND_SIZE = 8, 11, 8
MAX_LABEL_WIDTH = 150.0  # points; longer category names are cut with an ellipsis
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category; ``colour`` a hex string (the palette's next if empty)."""

    name: str
    values: Sequence[float]
    colour: str = ""


@dataclass(frozen=True)
class Chart:
    """A drawn chart and the words that name it (the drawing's own title and the SVG's accessible name)."""

    drawing: Any  # reportlab.graphics.shapes.Drawing
    title: str
    description: str = ""
    categories: tuple[str, ...] = field(default=())
    key: tuple[Any, ...] = field(default=())  # what the drawing was made from (the SVG cache's key)

    def svg(self) -> str:
        return to_svg(self)


def _key(*parts: Any) -> tuple[Any, ...]:
    def frozen(value: Any) -> Any:
        if isinstance(value, Series):
            return (value.name, tuple(float(v) for v in value.values), value.colour)
        if isinstance(value, list | tuple):
            return tuple(frozen(v) for v in value)
        return value

    return tuple(frozen(part) for part in parts)


def font(bold: bool = False) -> str:
    """The registered name of the Vietnamese sans-serif font (regular or bold)."""
    path = fonts.first_installed(SANS_BOLD if bold else SANS)
    if path is None:
        raise RuntimeError("No Vietnamese font installed: install fonts-noto-core (or fonts-dejavu-core).")
    return fonts.register(path)


def _fit(text: str, font_name: str, size: float, limit: float) -> str:
    """``text`` cut with an ellipsis to fit ``limit`` points."""
    if stringWidth(text, font_name, size) <= limit:
        return text
    while text and stringWidth(text + "…", font_name, size) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def nice_step(largest: float, ticks: int = 6) -> float:
    """A whole step (1, 2, 5 × 10ⁿ) that covers ``largest`` in about ``ticks`` steps."""
    if largest <= ticks:
        return 1
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover (the loop always returns)


def _colour(series: Series, index: int) -> Any:
    return colors.HexColor(series.colour or PALETTE[index % len(PALETTE)])


def _value_axis(axis: Any, largest: float, regular: str) -> None:
    step = nice_step(largest)
    axis.valueMin = 0
    axis.valueMax = max(step, math.ceil(largest / step) * step)
    axis.valueStep = step
    axis.labels.fontName, axis.labels.fontSize = regular, LABEL_SIZE
    axis.labelTextFormat = "%d" if float(step).is_integer() else "%.1f"
    axis.visibleGrid = True
    axis.gridStrokeColor = colors.HexColor("#d0d7de")
    axis.gridStrokeWidth = 0.5


def _frame(width: float, height: float, title: str, series: Sequence[Series], legend_markers: str) -> Drawing:
    """A drawing with the title on top and the legend (one row, wrapping) under it."""
    regular, bold = font(), font(bold=True)
    drawing = Drawing(width, height)
    drawing.add(String(0, height - TITLE_SIZE, title, fontName=bold, fontSize=TITLE_SIZE))
    if series:
        legend = Legend()
        legend.fontName, legend.fontSize = regular, LEGEND_SIZE
        legend.alignment = "right"
        legend.x, legend.y = 0, height - TITLE_SIZE - 10
        legend.dx = legend.dy = 8
        legend.deltax = max(stringWidth(s.name, regular, LEGEND_SIZE) for s in series) + 22
        legend.columnMaximum = 1 if legend.deltax * len(series) <= width else 2
        legend.boxAnchor = "nw"
        legend.strokeWidth = 0
        legend.colorNamePairs = [(_colour(s, i), s.name) for i, s in enumerate(series)]
        if legend_markers == "line":
            legend.dy = 2
        drawing.add(legend)
    return drawing


def _legend_height(width: float, series: Sequence[Series]) -> float:
    if not series:
        return 0
    regular = font()
    each = max(stringWidth(s.name, regular, LEGEND_SIZE) for s in series) + 22
    rows = 1 if each * len(series) <= width else 2
    return rows * 12 + 6


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = True,
    horizontal: bool = True,
    width: float = 720,
    description: str = "",
) -> Chart:
    """Bars per category, one colour per series, stacked (parts of a whole) or grouped side by side.

    Horizontal bars grow the drawing's height with the number of categories (16 points a bar), so
    forty units stay legible; vertical bars keep a fixed height and cut long category names.
    """
    regular = font()
    names = [_fit(name, regular, LABEL_SIZE, MAX_LABEL_WIDTH) for name in categories]
    top = TITLE_SIZE + 8 + _legend_height(width, series)
    rows = max(1, len(categories))
    per_category = (14 if stacked else 6 + 8 * len(series)) if horizontal else 0
    plot_height = max(120, rows * per_category) if horizontal else 220
    bottom = 24 if horizontal else 52
    height = top + plot_height + bottom
    drawing = _frame(width, height, title, series, "box")
    if not categories or not series:
        drawing.add(String(0, height / 2, "—", fontName=regular, fontSize=LABEL_SIZE))
        return Chart(drawing, title, description, tuple(categories))
    data = [tuple(float(v) for v in s.values) for s in series]
    columns = zip(*data, strict=True)
    largest = max(sum(column) for column in columns) if stacked else max(max(row) for row in data)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    label_width = max(stringWidth(name, regular, LABEL_SIZE) for name in names) + 6 if horizontal else 30
    chart.x, chart.y = label_width, bottom
    chart.width, chart.height = width - label_width - 10, plot_height
    chart.data = data
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    if stacked:
        chart.categoryAxis.style = "stacked"
    if horizontal:
        chart.categoryAxis.reverseDirection = True  # the first category on top, as in the table below it
    else:
        chart.categoryAxis.labels.angle = 30 if len(categories) > 6 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(categories) > 6 else "n"
    chart.barSpacing = 1
    chart.groupSpacing = 4
    chart.bars.strokeWidth = 0
    chart.bars.strokeColor = None
    for index, one in enumerate(series):
        chart.bars[index].fillColor = _colour(one, index)
    _value_axis(chart.valueAxis, largest, regular)
    drawing.add(chart)
    return Chart(
        drawing,
        title,
        description,
        tuple(categories),
        _key("bar", title, categories, series, width, stacked, horizontal),
    )


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float = 720,
    height: float = 260,
    description: str = "",
) -> Chart:
    """One line per series over ordered categories (months); with many, only every n-th is labelled."""
    regular = font()
    top = TITLE_SIZE + 8 + _legend_height(width, series)
    drawing = _frame(width, height, title, series, "line")
    if not categories or not series:
        drawing.add(String(0, height / 2, "—", fontName=regular, fontSize=LABEL_SIZE))
        return Chart(drawing, title, description, tuple(categories))
    every = max(1, math.ceil(len(categories) / 24))
    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 40
    chart.width, chart.height = width - 44, height - top - 48
    chart.data = [tuple(float(v) for v in s.values) for s in series]
    chart.categoryAxis.categoryNames = [name if i % every == 0 else "" for i, name in enumerate(categories)]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    for index, one in enumerate(series):
        chart.lines[index].strokeColor = _colour(one, index)
        chart.lines[index].strokeWidth = 1.5
        if len(categories) <= 36:
            chart.lines[index].symbol = makeMarker("FilledCircle", size=3, fillColor=_colour(one, index))
    _value_axis(chart.valueAxis, max(max(row) for row in chart.data), regular)
    drawing.add(chart)
    return Chart(drawing, title, description, tuple(categories), _key("line", title, categories, series, width, height))


def to_svg(chart: Chart) -> str:
    """The chart as an ``<svg>`` element to put inline in a page (no XML prolog), scaling to its box,
    named for assistive technology by its title and description, with ids unique in the page.

    Written here from the drawing's primitive shapes rather than with ``renderSVG``: that one builds a
    minidom tree and took ~200–450 ms for forty bars (the statistics page drew two charts per view);
    the same shapes written as text take a few milliseconds, and the drawing (the layout) stays
    reportlab's, shared with the PDF.
    """
    uid = f"vp-chart-{next(_ids)}"
    cached = _CACHE.get(chart.key) if chart.key else None
    if cached is None:
        cached = _svg(chart)
        if chart.key:
            if len(_CACHE) >= CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))  # the oldest
            _CACHE[chart.key] = cached
    return cached.replace(UID, uid)


CACHE_SIZE = 64
UID = "vp-chart-@"
_CACHE: dict[tuple[Any, ...], str] = {}  # the same figures draw the same SVG: a page seen again costs nothing


def _svg(chart: Chart) -> str:
    drawing, uid = chart.drawing, UID
    width, height = _number(drawing.width), _number(drawing.height)
    out = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}-title {uid}-desc" width="100%" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{html.escape(chart.title)}</title>',
        f'<desc id="{uid}-desc">{html.escape(chart.description or ", ".join(chart.categories))}</desc>',
        # reportlab's y axis points up: flip once here, and flip each text back where it stands.
        f'<g transform="matrix(1 0 0 -1 0 {height})">',
    ]
    _write(drawing, out)
    out.append("</g></svg>")
    return "".join(out)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _paint(colour: Any) -> str:
    if colour is None:
        return "none"
    red, green, blue = (round(part * 255) for part in colour.rgb())
    return f"#{red:02x}{green:02x}{blue:02x}"


def _style(node: Any, *, fill: bool = True) -> str:
    parts = [f'fill="{_paint(getattr(node, "fillColor", None)) if fill else "none"}"']
    stroke = getattr(node, "strokeColor", None)
    stroke_width = getattr(node, "strokeWidth", 0) or 0
    if stroke is not None and stroke_width > 0:
        parts.append(f'stroke="{_paint(stroke)}" stroke-width="{_number(stroke_width)}"')
        dashes = getattr(node, "strokeDashArray", None)
        if dashes:
            parts.append(f'stroke-dasharray="{" ".join(_number(d) for d in dashes)}"')
    return " ".join(parts)


ANCHORS = {"start": "start", "middle": "middle", "end": "end", "numeric": "end"}


def _write(node: Any, out: list[str]) -> None:
    """Append the SVG of ``node`` (a reportlab shape, group or widget) to ``out``."""
    if isinstance(node, UserNode):  # a widget (axis, legend, label, marker): draw it, then write its shapes
        _write(node.provideNode(), out)
    elif isinstance(node, Group):
        transform = tuple(node.transform)
        opened = transform != (1, 0, 0, 1, 0, 0)
        if opened:
            out.append(f'<g transform="matrix({" ".join(_number(v) for v in transform)})">')
        for child in node.getContents():
            _write(child, out)
        if opened:
            out.append("</g>")
    elif isinstance(node, Rect):
        if node.width and node.height:
            x, y = min(node.x, node.x + node.width), min(node.y, node.y + node.height)
            out.append(
                f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(abs(node.width))}" '
                f'height="{_number(abs(node.height))}" {_style(node)}/>'
            )
    elif isinstance(node, Line):
        out.append(
            f'<line x1="{_number(node.x1)}" y1="{_number(node.y1)}" x2="{_number(node.x2)}" '
            f'y2="{_number(node.y2)}" {_style(node, fill=False)}/>'
        )
    elif isinstance(node, Polygon | PolyLine):
        points = " ".join(_number(v) for v in node.points)
        tag = "polygon" if isinstance(node, Polygon) else "polyline"
        out.append(f'<{tag} points="{points}" {_style(node, fill=isinstance(node, Polygon))}/>')
    elif isinstance(node, Circle):
        out.append(f'<circle cx="{_number(node.cx)}" cy="{_number(node.cy)}" r="{_number(node.r)}" {_style(node)}/>')
    elif isinstance(node, String):
        weight = ' font-weight="bold"' if "Bold" in node.fontName else ""
        family = "'Noto Sans', sans-serif"
        anchor = ANCHORS.get(node.textAnchor, "start")
        out.append(
            f'<text transform="matrix(1 0 0 -1 {_number(node.x)} {_number(node.y)})" font-family="{family}" '
            f'font-size="{_number(node.fontSize)}"{weight} '
            f'text-anchor="{anchor}" fill="{_paint(node.fillColor)}">{html.escape(node.text)}</text>'
        )
    elif isinstance(node, Path):
        out.append(f'<path d="{_path_data(node)}" {_style(node)}/>')


def _path_data(path: Any) -> str:
    points, parts, index = list(path.points), [], 0
    for operator in path.operators:
        if operator == 0:  # moveTo
            parts.append(f"M{_number(points[index])} {_number(points[index + 1])}")
            index += 2
        elif operator == 1:  # lineTo
            parts.append(f"L{_number(points[index])} {_number(points[index + 1])}")
            index += 2
        elif operator == 2:  # curveTo
            parts.append("C" + " ".join(_number(v) for v in points[index : index + 6]))
            index += 6
        else:  # closePath
            parts.append("Z")
    return " ".join(parts)
