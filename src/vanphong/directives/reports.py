"""Task statistics (thống kê tình hình thực hiện nhiệm vụ): per lead unit, assigning leader, source or
period, counted by the status classes everyone reads the same way (``rules.task_status``), and exported
as XLSX and PDF with a chart.

Counts are made by the database, never by loading tasks: one ``GROUP BY`` with a conditional
``COUNT`` per status class (``access.status_class_q``, the database twin of ``classify``), over the
tasks the viewer may see (``access.tasks_visible_to``), so a task the viewer cannot open is never
counted, in the table, the chart, the export or the API. A second query gives the same counts by
month for the line chart.

What is counted: the tasks as assigned (``parent`` empty: the parts a unit passes down are its own
work on the same task, not new tasks), each occurrence of a recurring task once, cancelled tasks not
at all (they have no status class). The period is read on the day of assignment or on the deadline
in force (``basis``); tasks without a deadline are left out when the period is read on deadlines.

The printed forms (XLSX and PDF) are in Vietnamese, whatever the page's language, as the registers'
printouts are (``documents.exports``); the page and the API speak the viewer's language.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Max, QuerySet, Value, When
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.filters import ListFilter
from vanphong.core.models import Organization, Person
from vanphong.directives import access, policy
from vanphong.directives.models import SourceKind, Task, TaskState
from vanphong.documents.exports import MEDIA_TYPES, SPOOL_BYTES
from vanphong.documents.forms import day_field
from vanphong.lib import charts
from vanphong.rules.registers import period_line
from vanphong.rules.task_status import StatusClass

# The columns, in reading order: what is still running, then what is done.
CLASSES = (
    StatusClass.NOT_YET_DUE,
    StatusClass.DUE_SOON,
    StatusClass.OVERDUE,
    StatusClass.EXTENDED,
    StatusClass.COMPLETED_ON_TIME,
    StatusClass.COMPLETED_LATE,
)
LABELS = {
    StatusClass.NOT_YET_DUE: _("Not yet due"),
    StatusClass.DUE_SOON: _("Due soon"),
    StatusClass.OVERDUE: _("Overdue"),
    StatusClass.EXTENDED: _("Extended"),
    StatusClass.COMPLETED_ON_TIME: _("Completed on time"),
    StatusClass.COMPLETED_LATE: _("Completed late"),
}
PRINTED = {  # the printed forms' column titles
    StatusClass.NOT_YET_DUE: "Chưa đến hạn",
    StatusClass.DUE_SOON: "Sắp đến hạn",
    StatusClass.OVERDUE: "Quá hạn",
    StatusClass.EXTENDED: "Được gia hạn",
    StatusClass.COMPLETED_ON_TIME: "Hoàn thành đúng hạn",
    StatusClass.COMPLETED_LATE: "Hoàn thành quá hạn",
}
COLOURS = {  # the same colour for a class on every chart (Okabe–Ito, distinguishable for most)
    StatusClass.NOT_YET_DUE: "#56B4E9",
    StatusClass.DUE_SOON: "#E69F00",
    StatusClass.OVERDUE: "#D55E00",
    StatusClass.EXTENDED: "#CC79A7",
    StatusClass.COMPLETED_ON_TIME: "#009E73",
    StatusClass.COMPLETED_LATE: "#0072B2",
}
REPORT_TITLE = "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"

GROUPS = (
    ("unit", _("Lead unit")),
    ("leader", _("Assigning leader")),
    ("source", pgettext_lazy("task", "Source")),
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
)
PRINTED_GROUPS = {
    "unit": "Đơn vị chủ trì",
    "leader": "Lãnh đạo giao",
    "source": "Nguồn giao",
    "month": "Tháng",
    "quarter": "Quý",
    "year": "Năm",
}
CHART_TITLES = {
    "unit": _("Tasks by lead unit"),
    "leader": _("Tasks by assigning leader"),
    "source": _("Tasks by source"),
    "month": _("Tasks by month"),
    "quarter": _("Tasks by quarter"),
    "year": _("Tasks by year"),
}
BASES = (("assigned", _("Date assigned")), ("deadline", _("Deadline")))
PRINTED_BASES = {"assigned": "theo ngày giao", "deadline": "theo hạn xử lý"}
PRINTED_SOURCES = {
    SourceKind.DOCUMENT: "Văn bản",
    SourceKind.CONCLUSION: "Kết luận cuộc họp",
    SourceKind.DIRECTION: "Ý kiến chỉ đạo trên văn bản",
    SourceKind.RESOLUTION: "Nghị quyết",
    SourceKind.OTHER: "Khác",
}
QUARTERS = ("I", "II", "III", "IV")
MAX_YEARS = 20  # the longest period counted at once (the by-month line has one point a month)


# --- the question -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What to count: the period (both days included), read on the day assigned or on the deadline,
    grouped by unit, leader, source or period, optionally narrowed to a unit (and the units under
    it), an assigning leader and a source."""

    start: datetime.date
    end: datetime.date
    basis: str = "assigned"
    group: str = "unit"
    unit: Organization | None = None
    leader: Person | None = None
    source: str = ""


class StatisticsFilter(ListFilter):
    """The statistics page's filters, and the API's query parameters (the same names).

    The period: ``from``/``to`` (dd/mm/yyyy or ISO), else ``year`` narrowed by ``quarter`` or
    ``month``, else the current year. The unit and leader choices are those of tasks the viewer sees.
    """

    group = forms.ChoiceField(label=_("Count by"), required=False, choices=GROUPS)
    basis = forms.ChoiceField(label=_("Period read on"), required=False, choices=BASES)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Whole year")), *((n, str(n)) for n in range(1, 5))],
    )  # fmt: skip
    month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Whole year")), *((n, str(n)) for n in range(1, 13))],
    )  # fmt: skip
    unit = forms.TypedChoiceField(label=_("Lead unit"), required=False, coerce=int, empty_value=None)
    leader = forms.TypedChoiceField(label=_("Assigning leader"), required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(
        label=pgettext_lazy("task", "Source"), required=False, choices=[("", _("All sources")), *SourceKind.choices]
    )

    def __init__(self, *args: Any, account: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = day_field(_("From"))
        self.fields["to"] = day_field(_("Until"))
        self.order_fields(["group", "basis", "year", "quarter", "month", "from", "to", "unit", "leader", "source"])
        unit_ids, leader_ids = choice_ids(account)
        self.units = {o.pk: o for o in Organization.objects.filter(pk__in=unit_ids).order_by("path")}
        self.leaders = {p.pk: p for p in Person.objects.filter(pk__in=leader_ids).order_by("sort_key", "pk")}
        units, leaders = self.fields["unit"], self.fields["leader"]
        assert isinstance(units, forms.ChoiceField) and isinstance(leaders, forms.ChoiceField)  # noqa: S101 (types)
        units.choices = [("", _("All units")), *((pk, str(o)) for pk, o in self.units.items())]
        leaders.choices = [("", _("All leaders")), *((pk, p.full_name) for pk, p in self.leaders.items())]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period comes after its end."), code="period")
        if start and end and end > start.replace(year=start.year + MAX_YEARS):
            raise forms.ValidationError(
                _("Choose a period of {years} years at most.").format(years=MAX_YEARS), code="period"
            )
        if data.get("quarter") and data.get("month"):
            raise forms.ValidationError(_("Choose a quarter or a month, not both."), code="period")
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data
        start: datetime.date | None = data.get("from")
        end: datetime.date | None = data.get("to")
        if start or end:
            if start is None:
                assert end is not None  # noqa: S101 (narrowing for the type checker)
                return datetime.date(end.year, 1, 1), end
            return start, end if end is not None else datetime.date(start.year, 12, 31)
        year = data.get("year") or timezone.localdate().year
        if data.get("quarter"):
            first = datetime.date(year, 3 * data["quarter"] - 2, 1)
            return first, _month_end(datetime.date(year, 3 * data["quarter"], 1))
        if data.get("month"):
            first = datetime.date(year, data["month"], 1)
            return first, _month_end(first)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def query(self) -> Query:
        """The question asked (call after ``is_valid()``)."""
        data = self.cleaned_data
        start, end = self.period()
        return Query(
            start=start,
            end=end,
            basis=data.get("basis") or "assigned",
            group=data.get("group") or "unit",
            unit=self.units.get(data["unit"]) if data.get("unit") else None,
            leader=self.leaders.get(data["leader"]) if data.get("leader") else None,
            source=data.get("source") or "",
        )

    def filter(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return narrowed(queryset, self.query())


CHOICES_SECONDS = 120


def choice_ids(account: Any) -> tuple[list[int], list[int]]:
    """The lead units and assigning leaders of the tasks ``account`` sees (the filter's choices, which must
    not name the others): one pass over the visible tasks, kept a short while per account and per state of
    the task table, because on a ten-year table that pass costs as much as the statistics themselves.
    Stale choices only change what the lists offer for two minutes, never what is counted."""
    reach = policy.reach(account)
    size = Task.objects.aggregate(count=Count("pk"), last=Max("pk"))
    key = f"directives.statistics.choices:{account.pk}:{hash(reach)}:{size['count']}:{size['last']}"
    found: tuple[list[int], list[int]] | None = cache.get(key)
    if found is None:
        pairs = set(counted_tasks(account).order_by().values_list("lead_unit_id", "assigned_by_id").distinct())
        found = sorted({unit for unit, _ in pairs}), sorted({leader for _, leader in pairs if leader is not None})
        cache.set(key, found, CHOICES_SECONDS)
    return found


def _month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _midnight(value: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def counted_tasks(account: Any) -> QuerySet[Task]:
    """The tasks statistics count for ``account``: visible, as assigned (not the parts passed down), not cancelled."""
    return access.tasks_visible_to(account).filter(parent__isnull=True).exclude(state=TaskState.CANCELLED)


def narrowed(tasks: QuerySet[Task], query: Query) -> QuerySet[Task]:
    if query.basis == "deadline":
        tasks = tasks.filter(deadline__gte=query.start, deadline__lte=query.end)
    else:  # local midnights compared with the column itself (an index range, no per-row conversion)
        tasks = tasks.filter(
            created_at__gte=_midnight(query.start), created_at__lt=_midnight(query.end + datetime.timedelta(days=1))
        )
    if query.unit is not None:
        tasks = tasks.filter(lead_unit__path__startswith=query.unit.path)
    if query.leader is not None:
        tasks = tasks.filter(assigned_by=query.leader)
    if query.source:
        tasks = tasks.filter(source_kind=query.source)
    return tasks


# --- the answer ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the table: a unit, leader, source or period, and its count in each class."""

    key: str
    label: str
    counts: tuple[int, ...]  # in ``CLASSES`` order

    @property
    def total(self) -> int:
        return sum(self.counts)

    def count(self, cls: StatusClass) -> int:
        return self.counts[CLASSES.index(cls)]

    @property
    def on_time_rate(self) -> float | None:
        """Completed on time, in per cent of what was completed (None when nothing was)."""
        on_time, late = self.count(StatusClass.COMPLETED_ON_TIME), self.count(StatusClass.COMPLETED_LATE)
        return round(100 * on_time / (on_time + late), 1) if on_time + late else None


@dataclass(frozen=True)
class Statistics:
    query: Query
    today: datetime.date
    rows: tuple[Row, ...]
    totals: Row
    months: tuple[Row, ...]  # the same counts by month (of the basis), for the line chart

    @property
    def printed_period(self) -> str:
        return f"{period_line(self.query.start, self.query.end)} ({PRINTED_BASES[self.query.basis]})"

    @property
    def printed_filters(self) -> str:
        parts = []
        if self.query.unit is not None:
            parts.append(f"Đơn vị: {self.query.unit.full_name}")
        if self.query.leader is not None:
            parts.append(f"Lãnh đạo giao: {self.query.leader.full_name}")
        if self.query.source:
            parts.append(f"Nguồn: {PRINTED_SOURCES[SourceKind(self.query.source)]}")
        return " · ".join(parts)

    def file_name(self, extension: str) -> str:
        return f"thong-ke-nhiem-vu-{self.query.start:%Y%m%d}-{self.query.end:%Y%m%d}.{extension}"


def _class_counts(today: datetime.date) -> dict[str, Any]:
    return {cls.value: Count("pk", filter=access.status_class_q(cls, today)) for cls in CLASSES}


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the months from ``start``'s to ``end``'s, and of the month after."""
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return [*months, current]


def _bucket(field: str, bounds: Sequence[Any], low: int, high: int) -> Any:
    """The index ``i`` with ``bounds[i] <= field < bounds[i + 1]``, as a nested CASE that halves the
    range at each level: log2(120) = 7 comparisons a row for ten years of months. Comparing the column
    with bounds computed here (local midnights) keeps the index usable and avoids per-row time zone
    conversion, which on SQLite is a Python function call per row (TruncMonth: ~0.5 s for ten years)."""
    if high - low == 1:
        return Value(low, output_field=IntegerField())
    middle = (low + high) // 2
    return Case(
        When(**{f"{field}__lt": bounds[middle]}, then=_bucket(field, bounds, low, middle)),
        default=_bucket(field, bounds, middle, high),
        output_field=IntegerField(),
    )


def _month_bucket(query: Query) -> tuple[Any, list[datetime.date]]:
    months = month_starts(query.start, query.end)
    if query.basis == "deadline":
        return _bucket("deadline", months, 0, len(months) - 1), months[:-1]
    return _bucket("created_at", [_midnight(m) for m in months], 0, len(months) - 1), months[:-1]


def _period_key(kind: str, month: datetime.date) -> tuple[str, str]:
    """(sortable key, label) of the month, quarter or year that ``month`` falls in."""
    if kind == "month":
        return f"{month:%Y-%m}", f"{month:%m/%Y}"
    if kind == "quarter":
        quarter = (month.month - 1) // 3
        return f"{month.year}-Q{quarter + 1}", f"{QUARTERS[quarter]}/{month.year}"
    return str(month.year), str(month.year)


GROUP_FIELDS = {
    "unit": ("lead_unit_id", "lead_unit__full_name"),
    "leader": ("assigned_by_id", "assigned_by__full_name"),
    "source": ("source_kind",),
}


def aggregate(
    account: Any, query: Query, today: datetime.date
) -> tuple[QuerySet[Any, dict[str, Any]], list[datetime.date]]:
    """The one aggregate query (rows: the group's fields, ``month_index``, a count per class) and the months."""
    tasks = narrowed(counted_tasks(account), query).order_by()
    bucket, months = _month_bucket(query)
    fields = GROUP_FIELDS.get(query.group, ())
    found = tasks.annotate(month_index=bucket).values(*fields, "month_index").annotate(**_class_counts(today))
    return found.order_by(), months


def statistics(account: Any, query: Query, *, today: datetime.date | None = None, printed: bool = False) -> Statistics:
    """The counts for ``query`` over what ``account`` may see, in one aggregate query.

    The query groups by the row's unit, leader or source *and* its month (a bucket of the period), so
    one scan gives both the table and the line by month; quarters and years add months up.
    ``printed``: source names in Vietnamese for the printed forms rather than in the viewer's language.
    """
    day = today or timezone.localdate()
    found, months = aggregate(account, query, day)
    fields = GROUP_FIELDS.get(query.group, ())
    width = len(CLASSES)
    by_month = [[0] * width for _ in months]
    by_group: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    names = {str(key): str(name) for key, name in (PRINTED_SOURCES.items() if printed else SourceKind.choices)}
    for found_row in found:
        counts = [found_row[cls.value] for cls in CLASSES]
        month = by_month[found_row["month_index"]]
        for i, n in enumerate(counts):
            month[i] += n
        if fields:
            key = str(found_row[fields[0]] or "")
            if query.group == "source":
                labels[key] = names.get(key, key)
            else:
                labels[key] = found_row[fields[1]] or "—"
        else:
            key, labels[key] = _period_key(query.group, months[found_row["month_index"]])
        sums = by_group.setdefault(key, [0] * width)
        for i, n in enumerate(counts):
            sums[i] += n
    rows = [Row(key, labels[key], tuple(counts)) for key, counts in by_group.items()]
    if fields:
        rows.sort(key=lambda row: (-row.total, row.label))  # the busiest first, as the chart reads
    else:
        rows.sort(key=lambda row: row.key)
    month_rows = tuple(Row(*_period_key("month", m), tuple(c)) for m, c in zip(months, by_month, strict=True))
    totals = tuple(sum(row.counts[i] for row in rows) for i in range(width))
    return Statistics(query, day, tuple(rows), Row("", "", totals), month_rows)


# --- charts -------------------------------------------------------------------------------------------------


def group_chart(stats: Statistics, *, printed: bool = False, width: float = 720) -> charts.Chart:
    """Stacked bars: one per row of the table, a colour per status class."""
    names = PRINTED if printed else LABELS
    series = [charts.Series(str(names[cls]), [row.count(cls) for row in stats.rows], COLOURS[cls]) for cls in CLASSES]
    title = (
        f"Nhiệm vụ theo {PRINTED_GROUPS[stats.query.group].lower()}"
        if printed
        else str(CHART_TITLES[stats.query.group])
    )
    horizontal = stats.query.group not in ("month", "quarter", "year") or len(stats.rows) > 24
    return charts.bar_chart(title, [row.label for row in stats.rows], series, horizontal=horizontal, width=width)


def month_chart(stats: Statistics, *, printed: bool = False, width: float = 720) -> charts.Chart:
    """Lines by month: tasks counted, completed on time, completed late, overdue."""
    names = PRINTED if printed else LABELS
    shown = (StatusClass.COMPLETED_ON_TIME, StatusClass.COMPLETED_LATE, StatusClass.OVERDUE)
    series = [charts.Series("Tổng số" if printed else str(_("All tasks")), [r.total for r in stats.months], "#000000")]
    series += [charts.Series(str(names[cls]), [r.count(cls) for r in stats.months], COLOURS[cls]) for cls in shown]
    title = "Theo tháng" if printed else str(_("By month"))
    return charts.line_chart(title, [row.label for row in stats.months], series, width=width)


# --- XLSX ---------------------------------------------------------------------------------------------------


def _printed_rows(stats: Statistics) -> list[tuple[Any, ...]]:
    """The table as printed: STT, name, total, the six classes, the on-time rate; the totals last."""
    lines: list[tuple[Any, ...]] = []
    for number, row in enumerate(stats.rows, start=1):
        lines.append((number, row.label, row.total, *row.counts, row.on_time_rate))
    totals = stats.totals
    lines.append(("", "Tổng cộng", totals.total, *totals.counts, totals.on_time_rate))
    return lines


def printed_titles(stats: Statistics) -> list[str]:
    return ["STT", PRINTED_GROUPS[stats.query.group], "Tổng số", *(PRINTED[c] for c in CLASSES), "Tỷ lệ đúng hạn (%)"]


def write_xlsx(stats: Statistics, out: IO[bytes], *, printed_by: str = "", body: str = "") -> None:
    """The report as an .xlsx workbook: heading, period, the table with its totals, and a stacked bar chart."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.chart import BarChart, Reference  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    ws = book.create_sheet(title="Thống kê nhiệm vụ")
    titles = printed_titles(stats)
    widths = [6, 42, 10, *([13] * len(CLASSES)), 12]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    last = get_column_letter(len(titles))
    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    def cell(value: Any, *, bold: bool = False, italic: bool = False, size: int = 11, align: str = "",
             border: bool = False, wrap: bool = False) -> Any:  # fmt: skip
        written = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and value.startswith("="):
            written.data_type = "s"  # text that looks like a formula stays text
        written.font = Font(bold=bold, italic=italic, size=size)
        if align or wrap:
            written.alignment = Alignment(horizontal=align or None, vertical="center", wrap_text=wrap)
        if border:
            written.border = grid
        return written

    heading = [
        (body.upper(), {"bold": True}),
        (REPORT_TITLE, {"bold": True, "size": 14, "align": "center"}),
        (stats.printed_period, {"italic": True, "align": "center"}),
        (stats.printed_filters, {"italic": True, "align": "center"}),
    ]
    for number, (text, style) in enumerate(heading, start=1):
        ws.append([cell(text, **style)])  # type: ignore[arg-type]
        ws.merged_cells.add(f"A{number}:{last}{number}")
    ws.append([])
    header_row = len(heading) + 2
    ws.append([cell(t, bold=True, align="center", border=True, wrap=True) for t in titles])
    lines = _printed_rows(stats)
    for line in lines:
        bold = line[1] == "Tổng cộng" and line[0] == ""
        ws.append(
            [
                cell(value, bold=bold, border=True, align="" if index == 1 else "center")
                for index, value in enumerate(line)
            ]
        )
    ws.append([])
    moment = timezone.localtime()
    ws.append([cell(f"In lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}" + (f" · {printed_by}" if printed_by else ""),
                    italic=True, size=9)])  # fmt: skip
    if stats.rows:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = f"Nhiệm vụ theo {PRINTED_GROUPS[stats.query.group].lower()}"
        first, final = header_row + 1, header_row + len(stats.rows)
        data = Reference(ws, min_col=4, max_col=3 + len(CLASSES), min_row=header_row, max_row=final)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=final))
        chart.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
        chart.height, chart.width = max(7.5, 0.6 * len(stats.rows) + 3), 24
        for series, cls in zip(chart.series, CLASSES, strict=True):
            series.graphicalProperties.solidFill = COLOURS[cls].lstrip("#")
            series.graphicalProperties.line.noFill = True
        ws.add_chart(chart, f"A{final + 5}")
    book.save(out)


# --- PDF ----------------------------------------------------------------------------------------------------

MM = 72 / 25.4


def write_pdf(stats: Statistics, out: IO[bytes], *, printed_by: str = "", body: str = "") -> None:
    """The report as an A4 landscape PDF: heading, period, the chart, then the table (its header repeated)."""
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.platypus import (  # type: ignore[import-untyped]
        CondPageBreak,
        KeepInFrame,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = charts.font(), charts.font(bold=True)
    page_width, page_height = landscape(A4)
    margin = 12 * MM
    frame_width, frame_height = page_width - 2 * margin, page_height - 2 * margin - 8 * MM
    moment = timezone.localtime()
    footer = f"In lúc {moment:%H:%M} ngày {moment:%d/%m/%Y}" + (f" · {printed_by}" if printed_by else "")

    def decorate(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.drawString(margin, margin - 6 * MM, footer)
        canvas.drawRightString(page_width - margin, margin - 6 * MM, f"Trang {document.page}")
        canvas.restoreState()

    def style(name: str, font: str, size: float, align: int = 1, leading: float | None = None) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3, alignment=align)

    from xml.sax.saxutils import escape

    story: list[Any] = []
    if body:
        story.append(Paragraph(escape(body.upper()), style("body", bold, 10, align=0)))
        story.append(Spacer(1, 4 * MM))
    story.append(Paragraph(REPORT_TITLE, style("title", bold, 14)))
    story.append(Paragraph(escape(stats.printed_period), style("period", regular, 11)))
    if stats.printed_filters:
        story.append(Paragraph(escape(stats.printed_filters), style("filters", regular, 10)))
    story.append(Spacer(1, 5 * MM))
    chart = group_chart(stats, printed=True, width=frame_width)
    story.append(KeepInFrame(frame_width, frame_height - 40 * MM, [chart.drawing], mode="shrink"))
    story.append(Spacer(1, 5 * MM))
    story.append(CondPageBreak(50 * MM))  # the table starts where a few rows fit under its header, else overleaf
    cell = style("cell", regular, 8.5, align=0, leading=10.5)
    head = style("head", bold, 8.5, leading=10.5)
    lines = _printed_rows(stats)
    data: list[list[Any]] = [[Paragraph(escape(t), head) for t in printed_titles(stats)]]
    for line in lines:
        data.append(
            [
                Paragraph(escape(str(value)), cell) if index == 1 else ("" if value is None else str(value))
                for index, value in enumerate(line)
            ]
        )
    other = (frame_width - 12 * MM - 70 * MM) / (len(CLASSES) + 2)
    table = Table(data, colWidths=[12 * MM, 70 * MM, *([other] * (len(CLASSES) + 2))], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 8.5),
                ("FONT", (0, -1), (-1, -1), bold, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("ALIGN", (2, 1), (-1, -1), "CENTER"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
            ]
        )
    )
    story.append(table)
    document = SimpleDocTemplate(
        out,
        pagesize=(page_width, page_height),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * MM,
        title=f"{REPORT_TITLE} – {stats.printed_period}",
        author=body,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)


def file_response(stats: Statistics, file_format: str, *, printed_by: str = "", body: str = "") -> FileResponse:
    """The report as a download (``file_format`` "xlsx" or "pdf")."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    writer = write_xlsx if file_format == "xlsx" else write_pdf
    writer(stats, spool, printed_by=printed_by, body=body)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=stats.file_name(file_format), content_type=MEDIA_TYPES[file_format]
    )


def rendered(stats: Statistics, file_format: str) -> bytes:
    """The report's bytes (for tests and the command line)."""
    out = io.BytesIO()
    (write_xlsx if file_format == "xlsx" else write_pdf)(stats, out)
    return out.getvalue()


def as_json(stats: Statistics) -> dict[str, Any]:
    """The statistics as the API answers them."""

    def row(r: Row) -> dict[str, Any]:
        counts = dict(zip((c.value for c in CLASSES), r.counts, strict=True))
        return {"key": r.key, "label": r.label, "total": r.total, "counts": counts, "on_time_rate": r.on_time_rate}

    query = stats.query
    return {
        "from": query.start,
        "to": query.end,
        "basis": query.basis,
        "group": query.group,
        "unit": query.unit.pk if query.unit else None,
        "leader": query.leader.pk if query.leader else None,
        "source": query.source or None,
        "today": stats.today,
        "classes": [c.value for c in CLASSES],
        "rows": [row(r) for r in stats.rows],
        "totals": row(stats.totals),
        "months": [row(r) for r in stats.months],
    }
