"""What changed between two published revisions of a weekly work schedule (lịch công tác tuần).

Offices reissue the leaders' weekly schedule whenever a meeting moves, a place changes or someone is
added; each reissue ("điều chỉnh lần N") must say what changed, and the people concerned must be told.
This module compares two snapshots of a schedule's events and says, event by event, whether it was
added, removed or changed, and which fields changed; it also says whom a change concerns: the people
presiding or attending the event before and after the change, and which units it names (attending
units and the preparing unit), whose heads are told too.

An event in a snapshot is a mapping with at least ``id`` (stable across revisions) and the fields in
``COMPARED``; people are lists of ``{"id": ..., "name": ...}`` compared as sets of ids, so that listing
the same people in another order is not a change. No Django here: the schedule app builds the
snapshots (``schedule.services.snapshot``) and stores the result as JSON (``as_json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Kind = Literal["added", "removed", "changed"]

# The fields a reader of the schedule cares about, in the order a change is described.
COMPARED: Final = (
    "day",
    "start",
    "end",
    "content",
    "place",
    "presiding",
    "attending",
    "attending_units",
    "preparing_unit",
    "meeting",
    "documents",
    "private",
)
PEOPLE_FIELDS: Final = ("presiding", "attending")
# Units named on an event: a list of ``{"id", "name"}`` and the preparing unit's id (a plain value,
# kept beside its name; snapshots from before it was kept simply name no preparing unit here).
UNIT_FIELDS: Final = ("attending_units", "preparing_unit_id")
SET_FIELDS: Final = ("presiding", "attending", "attending_units", "documents")
# Fields grouped as the reader sees them: "the time changed" covers the day, the start and the end.
TIME_FIELDS: Final = ("day", "start", "end")


@dataclass(frozen=True)
class EventChange:
    """One event's change between two revisions; ``fields`` is empty unless ``kind`` is "changed"."""

    kind: Kind
    event_id: int
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    fields: tuple[str, ...] = field(default=())

    @property
    def current(self) -> Mapping[str, Any]:
        """The event as it now reads (as it read before, for a removed one)."""
        return self.after if self.after is not None else self.before or {}

    def people(self) -> set[int]:
        """Ids of everyone presiding or attending, before or after: the people the change concerns."""
        ids: set[int] = set()
        for side in (self.before, self.after):
            for name in PEOPLE_FIELDS:
                ids.update(_ids((side or {}).get(name)))
        return ids

    def units(self) -> set[int]:
        """Ids of the units the event names, before or after: their heads are concerned too."""
        ids: set[int] = set()
        for side in (self.before, self.after):
            ids.update(_units(side))
        return ids

    def units_added(self) -> set[int]:
        return _units(self.after) - _units(self.before)

    def units_removed(self) -> set[int]:
        return _units(self.before) - _units(self.after)

    def people_added(self) -> set[int]:
        """People who preside or attend after the change but did not before."""
        return _people(self.after) - _people(self.before)

    def people_removed(self) -> set[int]:
        """People who presided or attended before the change but no longer do."""
        return _people(self.before) - _people(self.after)


def _ids(value: Any) -> set[Any]:
    if not value:
        return set()
    return {item["id"] if isinstance(item, Mapping) else item for item in value}


def _people(event: Mapping[str, Any] | None) -> set[int]:
    if event is None:
        return set()
    return _ids(event.get("presiding")) | _ids(event.get("attending"))


def _units(event: Mapping[str, Any] | None) -> set[int]:
    if event is None:
        return set()
    ids = {int(i) for i in _ids(event.get("attending_units"))}
    if event.get("preparing_unit_id") is not None:
        ids.add(int(event["preparing_unit_id"]))
    return ids


def _same(name: str, old: Any, new: Any) -> bool:
    if name in SET_FIELDS:
        return _ids(old) == _ids(new)
    return (old or None) == (new or None)


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The compared fields whose values differ, in ``COMPARED`` order."""
    return tuple(name for name in COMPARED if not _same(name, before.get(name), after.get(name)))


def _order(event: Mapping[str, Any]) -> tuple[str, str, int]:
    return (str(event.get("day") or ""), str(event.get("start") or ""), int(event["id"]))


def diff(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[EventChange]:
    """The changes from snapshot ``old`` to ``new``, in the order of the events in the week (day, time).

    An event present only in ``new`` is added, only in ``old`` removed, in both with different
    compared fields changed; unchanged events are left out.
    """
    before = {int(e["id"]): e for e in old}
    after = {int(e["id"]): e for e in new}
    changes: list[EventChange] = []
    for event_id in before.keys() | after.keys():
        was, now = before.get(event_id), after.get(event_id)
        if was is None and now is not None:
            changes.append(EventChange("added", event_id, None, now))
        elif now is None and was is not None:
            changes.append(EventChange("removed", event_id, was, None))
        elif was is not None and now is not None:
            fields = changed_fields(was, now)
            if fields:
                changes.append(EventChange("changed", event_id, was, now, fields))
    return sorted(changes, key=lambda c: _order(c.current))


def affected_people(changes: Iterable[EventChange]) -> dict[int, list[EventChange]]:
    """Each concerned person's id with the changes that concern them, in the order of ``changes``."""
    concerned: dict[int, list[EventChange]] = {}
    for change in changes:
        for person_id in sorted(change.people()):
            concerned.setdefault(person_id, []).append(change)
    return concerned


def affected_units(changes: Iterable[EventChange]) -> dict[int, list[EventChange]]:
    """Each named unit's id with the changes that name it (before or after), in the order of ``changes``."""
    concerned: dict[int, list[EventChange]] = {}
    for change in changes:
        for unit_id in sorted(change.units()):
            concerned.setdefault(unit_id, []).append(change)
    return concerned


def changed_event_ids(changes: Iterable[EventChange]) -> dict[int, EventChange]:
    """The events to highlight in a revision, by id."""
    return {change.event_id: change for change in changes}


def as_json(changes: Iterable[EventChange]) -> list[dict[str, Any]]:
    return [
        {"kind": c.kind, "event_id": c.event_id, "before": c.before, "after": c.after, "fields": list(c.fields)}
        for c in changes
    ]


def from_json(rows: Iterable[Mapping[str, Any]]) -> list[EventChange]:
    return [
        EventChange(
            row["kind"], int(row["event_id"]), row.get("before"), row.get("after"), tuple(row.get("fields", ()))
        )
        for row in rows
    ]
