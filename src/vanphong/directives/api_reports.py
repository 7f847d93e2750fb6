"""The task statistics endpoint (``GET /api/tasks/statistics``): the page's figures as JSON, with the
page's filter (``reports.StatisticsFilter``) reading the same parameters, over the tasks the caller may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from vanphong.core.api import ERRORS
from vanphong.directives import reports

router = Router(tags=["directives"])


class StatisticsParams(Schema):
    group: str | None = Field(None, description="unit, leader, source, month, quarter or year (default unit)")
    basis: str | None = Field(None, description="assigned (default) or deadline: the day the period is read on")
    year: int | None = Field(None, description="the year (default: this year), narrowed by quarter or month")
    quarter: int | None = None
    month: int | None = None
    from_: datetime.date | None = Field(None, alias="from", description="first day (inclusive); overrides year")
    to: datetime.date | None = Field(None, description="last day (inclusive)")
    unit: int | None = Field(None, description="a lead unit (and the units under it)")
    leader: int | None = Field(None, description="the assigning leader (a person id)")
    source: str | None = Field(None, description="document, conclusion, direction, resolution or other")


class RowOut(Schema):
    key: str
    label: str
    total: int
    counts: dict[str, int]
    on_time_rate: float | None


class StatisticsOut(Schema):
    from_: datetime.date = Field(..., alias="from")
    to: datetime.date
    basis: str
    group: str
    unit: int | None
    leader: int | None
    source: str | None
    today: datetime.date
    classes: list[str]
    rows: list[RowOut]
    totals: RowOut
    months: list[RowOut]


@router.get("", response={200: StatisticsOut, **ERRORS}, by_alias=True)
def task_statistics(request: HttpRequest, params: Query[StatisticsParams]) -> Any:
    """Counts by status class per lead unit, leader, source or period; only tasks the caller may see."""
    data = {
        ("from" if key == "from_" else key): value for key, value in params.dict().items() if value not in (None, "")
    }
    filters = reports.StatisticsFilter(data, account=request.user)
    if not filters.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filters.errors.items()})
    return reports.as_json(reports.statistics(request.user, filters.query()))
