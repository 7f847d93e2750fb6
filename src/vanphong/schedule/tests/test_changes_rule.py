"""The schedule diff rule (rules/schedule_changes.py) as a table of cases."""

from __future__ import annotations

from typing import Any

import pytest

from vanphong.rules import schedule_changes as rule

THANG = {"id": 1, "name": "Nguyễn Hữu Thắng"}
CHAU = {"id": 2, "name": "Lê Minh Châu"}
TOAN = {"id": 3, "name": "Đinh Văn Toàn"}


def event(event_id: int = 10, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": event_id,
        "day": "2026-12-07",
        "start": "08:00",
        "end": None,
        "content": "Họp Thường trực Tỉnh ủy",
        "place": "Phòng họp số 1",
        "presiding": [THANG],
        "attending": [CHAU],
        "attending_units": [],
        "preparing_unit": "Văn phòng Tỉnh ủy",
        "meeting": None,
        "documents": [],
        "private": False,
    }
    base.update(fields)
    return base


CASES = [
    # (name, old, new, expected [(kind, id, fields)], people concerned)
    ("nothing changed", [event()], [event()], [], set()),
    ("same people in another order", [event(attending=[CHAU, TOAN])], [event(attending=[TOAN, CHAU])], [], set()),
    ("empty end and None are the same", [event(end="")], [event(end=None)], [], set()),
    ("time moved", [event()], [event(start="14:00")], [("changed", 10, ("start",))], {1, 2}),
    ("moved to another day and place", [event()], [event(day="2026-12-08", place="Hội trường")],
     [("changed", 10, ("day", "place"))], {1, 2}),
    ("attendee added", [event()], [event(attending=[CHAU, TOAN])], [("changed", 10, ("attending",))], {1, 2, 3}),
    ("presiding handed over", [event()], [event(presiding=[CHAU], attending=[])],
     [("changed", 10, ("presiding", "attending"))], {1, 2}),
    ("made private", [event()], [event(private=True)], [("changed", 10, ("private",))], {1, 2}),
    ("document linked", [event()], [event(documents=[5])], [("changed", 10, ("documents",))], {1, 2}),
    ("event added", [event()], [event(), event(11, start="15:00", presiding=[TOAN], attending=[])],
     [("added", 11, ())], {3}),
    ("event cancelled", [event(), event(11, presiding=[TOAN], attending=[])], [event()], [("removed", 11, ())], {3}),
    ("from nothing (first issue)", [], [event()], [("added", 10, ())], {1, 2}),
    ("ordered by day and time", [event(1, day="2026-12-09"), event(2, start="09:00")],
     [event(1, day="2026-12-09", place="A"), event(2, start="07:00")],
     [("changed", 2, ("start",)), ("changed", 1, ("place",))], {1, 2}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "expected", "people"), CASES, ids=[c[0] for c in CASES])
def test_diff(
    name: str, old: list[dict[str, Any]], new: list[dict[str, Any]], expected: list[Any], people: set[int]
) -> None:
    changes = rule.diff(old, new)
    assert [(c.kind, c.event_id, c.fields) for c in changes] == expected
    assert set(rule.affected_people(changes)) == people


def test_who_joined_and_who_left() -> None:
    [change] = rule.diff([event()], [event(presiding=[CHAU], attending=[TOAN])])
    assert change.people_added() == {3} and change.people_removed() == {1}
    assert rule.affected_people([change]) == {1: [change], 2: [change], 3: [change]}


def test_json_round_trip() -> None:
    changes = rule.diff([event(), event(11)], [event(start="10:00"), event(12)])
    assert rule.from_json(rule.as_json(changes)) == changes
    assert {c.kind for c in changes} == {"changed", "removed", "added"}


UNITS_CASES = [
    # (name, old event, new event, units concerned, added, removed)
    ("no units", event(), event(place="Hội trường"), set(), set(), set()),
    (
        "an attending unit added",
        event(attending_units=[{"id": 7, "name": "Sở Nội vụ"}]),
        event(attending_units=[{"id": 7, "name": "Sở Nội vụ"}, {"id": 8, "name": "Ban Tổ chức"}]),
        {7, 8},
        {8},
        set(),
    ),
    ("preparing unit moved", event(preparing_unit_id=5), event(preparing_unit_id=6, start="14:00"), {5, 6}, {6}, {5}),
    ("older snapshot without the id", event(), event(preparing_unit_id=6, start="14:00"), {6}, {6}, set()),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "units", "added", "removed"), UNITS_CASES, ids=[c[0] for c in UNITS_CASES]
)
def test_units_named_on_a_change(
    name: str, old: dict[str, Any], new: dict[str, Any], units: set[int], added: set[int], removed: set[int]
) -> None:
    changes = rule.diff([old], [new])
    if not units:
        assert all(not c.units() for c in changes)
        return
    (change,) = changes
    assert change.units() == units and change.units_added() == added and change.units_removed() == removed
    assert set(rule.affected_units(changes)) == units


def test_a_removed_event_concerns_the_units_it_named() -> None:
    old = event(attending_units=[{"id": 7, "name": "Sở Nội vụ"}], preparing_unit_id=5)
    (change,) = rule.diff([old], [])
    assert change.kind == "removed" and rule.affected_units([change]) == {5: [change], 7: [change]}
