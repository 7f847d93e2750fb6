"""Reading published revisions: the week as a table by day and part of day, the changes to highlight,
a person's events (home panel, calendar feed). Everything here reads revision snapshots, never the
events being edited, so what people see is exactly what a leader published.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.rules import schedule_changes
from vanphong.rules.schedule_changes import EventChange
from vanphong.schedule.models import ScheduleRevision, WeekSchedule

PRIVATE_PLACEHOLDER = _("Working at the office")
PARTS = (
    ("morning", pgettext_lazy("part of the day", "Morning"), "00:00"),
    ("afternoon", pgettext_lazy("part of the day", "Afternoon"), "12:00"),
    ("evening", pgettext_lazy("part of the day", "Evening"), "18:00"),
)


def part_of_day(start: str) -> str:
    key = PARTS[0][0]
    for name, _label, begins in PARTS:
        if start >= begins:
            key = name
    return key


@dataclass
class Row:
    """One event as a reader sees it, with what changed in the revision shown."""

    event: Mapping[str, Any]
    change: EventChange | None = None
    hidden: bool = False  # a private event in the public view

    @property
    def id(self) -> int:
        return int(self.event["id"])

    @property
    def day(self) -> datetime.date:
        return datetime.date.fromisoformat(self.event["day"])

    @property
    def time(self) -> str:
        end = self.event.get("end")
        return f"{self.event['start']}–{end}" if end else str(self.event["start"])

    def names(self, key: str) -> str:
        return ", ".join(str(item["name"]) for item in self.event.get(key) or [])

    @property
    def presiding(self) -> str:
        return self.names("presiding")

    @property
    def attending(self) -> str:
        people = [self.names("attending"), self.names("attending_units")]
        return "; ".join(p for p in people if p)

    @property
    def content(self) -> str:
        return str(PRIVATE_PLACEHOLDER) if self.hidden else str(self.event.get("content", ""))

    @property
    def place(self) -> str:
        return "" if self.hidden else str(self.event.get("place") or "")

    @property
    def preparing_unit(self) -> str:
        return "" if self.hidden else str(self.event.get("preparing_unit") or "")

    @property
    def changed(self) -> tuple[str, ...]:
        if self.change is None:
            return ()
        return self.change.fields if self.change.kind == "changed" else (self.change.kind,)

    def is_changed(self, *fields: str) -> bool:
        return bool(self.change) and (self.change.kind == "added" or bool(set(fields) & set(self.changed)))  # type: ignore[union-attr]


@dataclass
class Part:
    key: str
    label: Any
    rows: list[Row] = field(default_factory=list)


@dataclass
class Day:
    date: datetime.date
    parts: list[Part]

    @property
    def empty(self) -> bool:
        return not any(part.rows for part in self.parts)


def table(
    schedule: WeekSchedule,
    events: Iterable[Mapping[str, Any]],
    changes: Iterable[EventChange] = (),
    *,
    public: bool = False,
) -> list[Day]:
    """The week by day (Monday to Sunday) and part of day; weekend days only when they hold events."""
    by_id = schedule_changes.changed_event_ids(changes)
    days = {d: Day(d, [Part(key, label) for key, label, _begins in PARTS]) for d in schedule.days()}
    for event in sorted(events, key=lambda e: (e["day"], e["start"], e["id"])):
        row = Row(event, by_id.get(int(event["id"])), hidden=public and bool(event.get("private")))
        day = days.get(row.day)
        if day is None:
            continue
        part = next(p for p in day.parts if p.key == part_of_day(str(event["start"])))
        part.rows.append(row)
    return [day for d, day in days.items() if d.isoweekday() <= 5 or not day.empty]


def removed_rows(changes: Iterable[EventChange]) -> list[Row]:
    return [Row(c.before or {}, c) for c in changes if c.kind == "removed"]


def changes_of(revision: ScheduleRevision) -> list[EventChange]:
    return schedule_changes.from_json(revision.changes or [])


def compare(older: ScheduleRevision, newer: ScheduleRevision) -> list[EventChange]:
    return schedule_changes.diff(older.snapshot, newer.snapshot)


@dataclass
class PersonEvent:
    schedule: WeekSchedule
    revision: int
    event: Mapping[str, Any]
    role: str  # "presiding" or "attending"

    @property
    def row(self) -> Row:
        return Row(self.event)


def _takes_part(event: Mapping[str, Any], person_id: int) -> str | None:
    for role in ("presiding", "attending"):
        if any(int(item["id"]) == person_id for item in event.get(role) or []):
            return role
    return None


def _weeks(since: datetime.date | None, until: datetime.date | None) -> Q:
    """Revisions of the ISO weeks from the week of ``since`` to the week of ``until``."""
    query = Q()
    if since is not None:
        start_year, start_week, _day = since.isocalendar()
        query &= Q(schedule__year__gt=start_year) | Q(schedule__year=start_year, schedule__week__gte=start_week)
    if until is not None:
        end_year, end_week, _day = until.isocalendar()
        query &= Q(schedule__year__lt=end_year) | Q(schedule__year=end_year, schedule__week__lte=end_week)
    return query


def latest_revisions(schedules: Q) -> Any:
    return (
        ScheduleRevision.objects.filter(schedules, number=F("schedule__revision"))
        .select_related("schedule__body")
        .order_by("schedule__year", "schedule__week", "schedule__pk")
    )


def events_of_person(
    person_id: int,
    *,
    year: int | None = None,
    week: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[PersonEvent]:
    """The events a person presides or attends in the latest revisions of published weeks."""
    query = Q(schedule__revision__gt=0) & _weeks(since, until)
    if year is not None and week is not None:
        query &= Q(schedule__year=year, schedule__week=week)
    found: list[PersonEvent] = []
    for revision in latest_revisions(query):
        for event in sorted(revision.snapshot, key=lambda e: (e["day"], e["start"])):
            role = _takes_part(event, person_id)
            if role:
                found.append(PersonEvent(revision.schedule, revision.number, event, role))
    return found


@dataclass
class FeedEvent:
    """An entry of a person's calendar feed: an event they take part in as the latest revision has it,
    or one they were in that a later revision removed or took them off (``cancelled``), as they last had
    it. ``sequence`` is the revision that last changed the event (1 for an event unchanged since the
    first issue), or for a cancelled one the revision that cancelled it for the person, so it only grows."""

    schedule: WeekSchedule
    event: Mapping[str, Any]
    sequence: int
    cancelled: bool = False


def _in(event: Mapping[str, Any] | None, person_id: int) -> bool:
    return event is not None and _takes_part(event, person_id) is not None


def feed_of_person(
    person_id: int, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[FeedEvent]:
    """The calendar feed's entries of the published weeks from ``since`` to ``until`` (see ``FeedEvent``)."""
    weeks = Q(schedule__revision__gt=0) & _weeks(since, until)
    history: dict[int, list[tuple[int, list[EventChange]]]] = {}
    amended = ScheduleRevision.objects.filter(weeks, schedule__revision__gt=1, number__gt=1).order_by(
        "schedule_id", "number"
    )
    for schedule_id, number, rows in amended.values_list("schedule_id", "number", "changes"):
        history.setdefault(schedule_id, []).append((number, schedule_changes.from_json(rows or [])))
    found: list[FeedEvent] = []
    for revision in latest_revisions(weeks):
        changed_in: dict[int, int] = {}
        taken_off: dict[int, tuple[int, Mapping[str, Any]]] = {}
        for number, changes in history.get(revision.schedule_id, []):
            for change in changes:
                changed_in[change.event_id] = number
                if _in(change.after, person_id):
                    taken_off.pop(change.event_id, None)
                elif _in(change.before, person_id):
                    taken_off[change.event_id] = (number, change.before)  # type: ignore[assignment]
        current: set[int] = set()
        for event in revision.snapshot:
            if _in(event, person_id):
                current.add(int(event["id"]))
                found.append(FeedEvent(revision.schedule, event, changed_in.get(int(event["id"]), 1)))
        for event_id, (number, event) in taken_off.items():
            if event_id not in current:
                found.append(FeedEvent(revision.schedule, event, number, cancelled=True))
    found.sort(key=lambda f: (f.schedule.year, f.schedule.week, f.event["day"], f.event["start"], f.event["id"]))
    return found


def revision_label(number: int) -> str:
    """Revision 1 is the first issue; revision N + 1 is the N-th amendment (điều chỉnh lần N)."""
    if number <= 1:
        return str(_("First issue"))
    return str(_("Revision {number}")).format(number=number - 1)
