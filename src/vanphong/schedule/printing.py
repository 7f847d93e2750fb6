"""The printed weekly schedule (lịch công tác tuần) in the customary table layout, drawn by WeasyPrint.

The printed form is an official record posted and filed in Vietnamese, like the registers of Decree 30
(``rules/registers.py``): its words are the office's own ("LỊCH CÔNG TÁC TUẦN", "Từ ngày … đến ngày …",
"Điều chỉnh lần N", the weekday names and the column titles), whatever the language of the screen.
A table by day (Thứ Hai 07/12 …) and part of the day (Sáng, Chiều, Tối), with the columns time, content,
presiding, attending, place and preparing unit. Fonts: Noto Serif through fontconfig, as the other
printed documents (``elections/documents.py``), so Vietnamese stays intact and extractable.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

from django.template.loader import render_to_string

from vanphong.lib.htmlpdf import html_to_pdf
from vanphong.schedule import published
from vanphong.schedule.models import ScheduleRevision

WEEKDAYS: Final = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
PARTS: Final = {"morning": "Sáng", "afternoon": "Chiều", "evening": "Tối"}
COLUMNS: Final = ("Thời gian", "Nội dung", "Chủ trì", "Thành phần dự", "Địa điểm", "Đơn vị chuẩn bị")
TITLE: Final = "LỊCH CÔNG TÁC TUẦN"


def period(monday: datetime.date, sunday: datetime.date) -> str:
    return f"(Từ ngày {monday:%d/%m/%Y} đến ngày {sunday:%d/%m/%Y})"


def revision_line(number: int) -> str:
    return "" if number <= 1 else f"Điều chỉnh lần {number - 1}"


def day_heading(day: datetime.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m}"


def schedule_pdf(revision: ScheduleRevision, *, public: bool = False) -> bytes:
    """The PDF of ``revision``; ``public`` hides private events' details."""
    schedule = revision.schedule
    changes = published.changes_of(revision)
    days: list[dict[str, Any]] = []
    for day in published.table(schedule, revision.snapshot, changes, public=public):
        parts = [{"label": PARTS[part.key], "rows": part.rows} for part in day.parts if part.rows]
        days.append({"heading": day_heading(day.date), "parts": parts})
    context = {
        "schedule": schedule,
        "revision": revision,
        "title": TITLE,
        "period": period(schedule.monday, schedule.sunday),
        "revision_line": revision_line(revision.number),
        "columns": COLUMNS,
        "days": days,
        "parent": schedule.body.parent,
    }
    return html_to_pdf(render_to_string("schedule/print/week.html", context))
