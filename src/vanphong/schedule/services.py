"""Every write to weekly schedules: create the week, draft its events, submit, publish, publish revisions,
and the calendar feed tokens. One transaction and one audit entry each; state changes are conditional
updates, and revision numbers are taken under the schedule's row lock, so two leaders publishing at
once get N+1 and N+2, or the second is told there is nothing left to publish.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person, RoleGrant
from vanphong.rules import schedule_changes
from vanphong.rules.schedule_changes import EventChange
from vanphong.schedule import policy
from vanphong.schedule.models import FeedToken, ScheduleEvent, ScheduleRevision, ScheduleState, WeekSchedule

EVENT_FIELDS = ("day", "start", "end", "content", "place", "preparing_unit", "private")


@dataclass
class EventData:
    """What the office types for one entry of the week."""

    day: datetime.date
    start: datetime.time
    content: str
    end: datetime.time | None = None
    place: str = ""
    presiding: Sequence[Person] = ()
    attending: Sequence[Person] = ()
    attending_units: Sequence[Organization] = ()
    preparing_unit: Organization | None = None
    documents: Sequence[Any] = ()
    meeting: Any = None
    private: bool = False


@dataclass
class WeekData:
    body: Organization
    office: Organization
    year: int
    week: int
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _locked(schedule: WeekSchedule) -> WeekSchedule:
    return WeekSchedule.objects.select_for_update().select_related("body", "office").get(pk=schedule.pk)


def _refuse(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


# --- the week ------------------------------------------------------------------------------------


def default_title(body: Organization) -> str:
    return str(_("Weekly work schedule of {body}")).format(body=body.full_name)


@transaction.atomic
def create_week(actor: Actor, data: WeekData) -> WeekSchedule:
    """Open a draft week for ``data.body``, drafted by ``data.office``."""
    if not policy.can_create_for(actor.account, data.office):
        raise PermissionDenied
    schedule = WeekSchedule(
        body=data.body,
        office=data.office,
        year=data.year,
        week=data.week,
        title=(data.title or default_title(data.body)).strip(),
    )
    schedule.full_clean(validate_constraints=False)
    if WeekSchedule.objects.filter(body=data.body, year=data.year, week=data.week).exists():
        duplicate = ValidationError(_("This body already has a schedule for that week."), code="duplicate_week")
        raise ValidationError({"week": duplicate})
    schedule.save()
    audit.record(actor, "schedule.week.create", schedule, after={"year": schedule.year, "week": schedule.week})
    return schedule


def _editable(actor: Actor, schedule: WeekSchedule) -> WeekSchedule:
    schedule = _locked(schedule)
    if not policy.can_draft(actor.account, schedule):
        raise PermissionDenied
    if schedule.state == ScheduleState.SUBMITTED:
        raise _refuse(_("The schedule is waiting for approval; take it back to change it."), "submitted")
    return schedule


def _apply(event: ScheduleEvent, data: EventData) -> None:
    event.day, event.start, event.end = data.day, data.start, data.end
    event.content, event.place = data.content.strip(), data.place.strip()
    event.preparing_unit, event.private, event.meeting = data.preparing_unit, data.private, data.meeting
    event.full_clean(exclude=["schedule", "uid"])
    event.save()
    event.presiding.set(data.presiding)
    event.attending.set(data.attending)
    event.attending_units.set(data.attending_units)
    event.documents.set(data.documents)


@transaction.atomic
def add_event(actor: Actor, schedule: WeekSchedule, data: EventData) -> ScheduleEvent:
    """Add an entry; on a published week it is a pending change until the next revision is published."""
    schedule = _editable(actor, schedule)
    event = ScheduleEvent(schedule=schedule)
    _apply(event, data)
    audit.record(actor, "schedule.event.add", event, after=event_snapshot(event))
    return event


@transaction.atomic
def change_event(actor: Actor, event: ScheduleEvent, data: EventData) -> ScheduleEvent:
    schedule = _editable(actor, event.schedule)
    event = ScheduleEvent.objects.get(pk=event.pk, schedule=schedule)
    before = event_snapshot(event)
    _apply(event, data)
    audit.record(actor, "schedule.event.change", event, before=before, after=event_snapshot(event))
    return event


@transaction.atomic
def remove_event(actor: Actor, event: ScheduleEvent) -> None:
    schedule = _editable(actor, event.schedule)
    event = ScheduleEvent.objects.get(pk=event.pk, schedule=schedule)
    before = event_snapshot(event)
    audit.record(actor, "schedule.event.remove", event, before=before)
    event.delete()


@transaction.atomic
def submit(actor: Actor, schedule: WeekSchedule) -> WeekSchedule:
    """The office submits the draft week to the leader (a published week's changes need no submission)."""
    schedule = _locked(schedule)
    if not policy.can_draft(actor.account, schedule):
        raise PermissionDenied
    if not schedule.events.exists():
        raise _refuse(_("Add at least one event before submitting the schedule."), "empty")
    changed = WeekSchedule.objects.filter(pk=schedule.pk, state=ScheduleState.DRAFT, revision=0).update(
        state=ScheduleState.SUBMITTED, updated_at=timezone.now()
    )
    if not changed:
        raise _refuse(_("Only a draft that was never published can be submitted."), "not_draft")
    audit.record(actor, "schedule.week.submit", schedule)
    schedule.refresh_from_db()
    return schedule


@transaction.atomic
def take_back(actor: Actor, schedule: WeekSchedule, *, note: str = "") -> WeekSchedule:
    """Back to draft: the office withdraws its submission, or the leader returns it for changes."""
    schedule = _locked(schedule)
    if not (policy.can_draft(actor.account, schedule) or policy.can_approve(actor.account, schedule)):
        raise PermissionDenied
    changed = WeekSchedule.objects.filter(pk=schedule.pk, state=ScheduleState.SUBMITTED).update(
        state=ScheduleState.DRAFT, updated_at=timezone.now()
    )
    if not changed:
        raise _refuse(_("The schedule is not waiting for approval."), "not_submitted")
    audit.record(actor, "schedule.week.take_back", schedule, after={"note": note})
    schedule.refresh_from_db()
    return schedule


# --- snapshots and revisions ---------------------------------------------------------------------


def _people(people: Iterable[Person]) -> list[dict[str, Any]]:
    return [{"id": p.pk, "name": p.full_name} for p in sorted(people, key=lambda p: (p.sort_key, p.pk))]


def event_snapshot(event: ScheduleEvent) -> dict[str, Any]:
    """One event as revisions keep it: plain JSON, names included, so a revision reads as published."""
    return {
        "id": event.pk,
        "uid": str(event.uid),
        "day": event.day.isoformat(),
        "start": event.start.strftime("%H:%M"),
        "end": event.end.strftime("%H:%M") if event.end else None,
        "content": event.content,
        "place": event.place,
        "presiding": _people(event.presiding.all()),
        "attending": _people(event.attending.all()),
        "attending_units": [{"id": u.pk, "name": u.full_name} for u in event.attending_units.all()],
        "preparing_unit": event.preparing_unit.full_name if event.preparing_unit else None,
        "preparing_unit_id": event.preparing_unit_id,
        "meeting": event.meeting_id,
        "documents": sorted(d.pk for d in event.documents.all()),
        "private": event.private,
    }


def live_events(schedule: WeekSchedule) -> Any:
    return schedule.events.select_related("preparing_unit", "meeting").prefetch_related(
        Prefetch("presiding", queryset=Person.objects.order_by("sort_key")),
        Prefetch("attending", queryset=Person.objects.order_by("sort_key")),
        "attending_units",
        "documents",
    )


def snapshot(schedule: WeekSchedule) -> list[dict[str, Any]]:
    return [event_snapshot(event) for event in live_events(schedule)]


def latest_revision(schedule: WeekSchedule) -> ScheduleRevision | None:
    if not schedule.revision:
        return None
    return schedule.revisions.filter(number=schedule.revision).first()


def pending_changes(schedule: WeekSchedule) -> list[EventChange]:
    """What the next revision would publish: the events as edited against the latest revision."""
    latest = latest_revision(schedule)
    return schedule_changes.diff(latest.snapshot if latest else [], snapshot(schedule))


@transaction.atomic
def publish(actor: Actor, schedule: WeekSchedule, *, note: str = "") -> ScheduleRevision:
    """Approve and publish: revision 1 for a submitted week, N+1 for a published week with changes.

    Affected people are told what changed for them; revision 1 tells everyone presiding or attending.
    A later revision also tells the heads of the units named on a changed event (attending units,
    preparing unit, before or after the change).
    """
    schedule = _locked(schedule)
    decision = policy.can_approve(actor.account, schedule)
    if not decision:
        raise PermissionDenied
    actor = actor.acting_for(decision.on_behalf_of) if decision.on_behalf_of else actor
    current = snapshot(schedule)
    previous = latest_revision(schedule)
    if previous is None and schedule.state != ScheduleState.SUBMITTED:
        raise _refuse(_("The office has not submitted this schedule yet."), "not_submitted")
    if not current:
        raise _refuse(_("A schedule without events cannot be published."), "empty")
    changes = schedule_changes.diff(previous.snapshot if previous else [], current)
    if previous is not None and not changes:
        raise _refuse(_("Nothing has changed since revision {number}.").format(number=previous.number), "unchanged")
    number = schedule.revision + 1
    updated = WeekSchedule.objects.filter(pk=schedule.pk, revision=schedule.revision).update(
        revision=number, state=ScheduleState.PUBLISHED, updated_at=timezone.now()
    )
    if not updated:
        raise _refuse(_("Someone else published this schedule at the same time; reload it."), "conflict")
    revision = ScheduleRevision.objects.create(
        schedule=schedule,
        number=number,
        published_at=timezone.now(),
        published_by=actor.account,
        note=note.strip(),
        snapshot=current,
        changes=schedule_changes.as_json(changes) if previous is not None else [],
    )
    schedule.revision, schedule.state = number, ScheduleState.PUBLISHED
    audit.record(
        actor,
        "schedule.revision.publish",
        schedule,
        after={"revision": number, "note": revision.note, "changes": len(changes)},
    )
    _notify(schedule, revision, changes, first=previous is None)
    return revision


# --- notices -------------------------------------------------------------------------------------

FIELD_LABELS = {
    "day": _("day"),
    "start": _("start time"),
    "end": _("end time"),
    "content": _("content"),
    "place": _("place"),
    "presiding": _("presiding"),
    "attending": _("attending"),
    "attending_units": _("attending units"),
    "preparing_unit": _("preparing unit"),
    "meeting": _("meeting"),
    "documents": _("documents"),
    "private": _("private"),
}


def when(event: dict[str, Any]) -> str:
    """``Thứ Hai 07/12 08:00``, in the active language."""
    day = datetime.date.fromisoformat(event["day"])
    return "{weekday} {date} {start}".format(
        weekday=formats.date_format(day, "l"), date=day.strftime("%d/%m"), start=event["start"]
    )


class ChangesFor:
    """A person's share of a revision, rendered in the language active when it is formatted, so that
    ``notify`` writes it in each recipient's own language. ``unit_ids`` are the units the person heads
    among those the changes name."""

    def __init__(self, person_id: int, changes: list[EventChange], unit_ids: Iterable[int] = ()) -> None:
        self.person_id = person_id
        self.changes = changes
        self.unit_ids = set(unit_ids)

    def _line(self, change: EventChange) -> str:
        event = change.current
        place = {"when": when(dict(event)), "content": str(event.get("content", ""))[:80]}
        if change.kind == "added":
            return str(_("new: {when}, {content}")).format(**place)
        if change.kind == "removed":
            return str(_("cancelled: {when}, {content}")).format(**place)
        if self.person_id in change.people_added():
            return str(_("you were added: {when}, {content}")).format(**place)
        if self.person_id in change.people_removed():
            return str(_("you no longer take part: {when}, {content}")).format(**place)
        if self.unit_ids & change.units_added():
            return str(_("your unit was added: {when}, {content}")).format(**place)
        if self.unit_ids & change.units_removed():
            return str(_("your unit was taken off: {when}, {content}")).format(**place)
        fields = ", ".join(str(FIELD_LABELS[name]) for name in change.fields)
        before = dict(change.before or {})
        if any(name in change.fields for name in ("day", "start")):
            place["when"] = "{old} → {new}".format(old=when(before), new=place["when"])
        return str(_("{fields} changed: {when}, {content}")).format(fields=fields, **place)

    def __format__(self, spec: str) -> str:
        return pgettext("list separator", "; ").join(self._line(change) for change in self.changes)

    def __str__(self) -> str:
        return self.__format__("")


def _accounts(person_ids: Iterable[int]) -> dict[int, Account]:
    return {a.person_id: a for a in Account.objects.filter(person_id__in=list(person_ids), is_active=True)}  # type: ignore[misc]


def _unit_heads(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """The heads of ``unit_ids`` (a head or leader role on the unit itself), each with the units they head."""
    heads: dict[int, set[int]] = {}
    grants = RoleGrant.objects.filter(
        organization_id__in=list(unit_ids),
        role__in=policy.UNIT_HEAD_ROLES,
        revoked_at__isnull=True,
        person__is_active=True,
    ).values_list("person_id", "organization_id")
    for person_id, unit_id in grants:
        heads.setdefault(person_id, set()).add(unit_id)
    return heads


def _concerned(changes: list[EventChange]) -> tuple[dict[int, list[EventChange]], dict[int, set[int]]]:
    """Who a revision concerns: the people on the changed events and the heads of the units they name,
    each once with their changes in the week's order, and the units each person is told about as head."""
    people = schedule_changes.affected_people(changes)
    units = schedule_changes.affected_units(changes)
    heads = _unit_heads(units)
    events: dict[int, set[int]] = {person_id: {c.event_id for c in mine} for person_id, mine in people.items()}
    for person_id, unit_ids in heads.items():
        mine = events.setdefault(person_id, set())
        for unit_id in unit_ids:
            mine.update(c.event_id for c in units[unit_id])
    concerned = {person_id: [c for c in changes if c.event_id in ids] for person_id, ids in events.items()}
    return concerned, heads


def _notify(schedule: WeekSchedule, revision: ScheduleRevision, changes: list[EventChange], *, first: bool) -> None:
    from vanphong.notices.services import notify

    url = reverse("schedule:week", args=[schedule.pk])
    if first:
        people: dict[int, list[EventChange]] = {}
        for event in revision.snapshot:
            added = EventChange("added", int(event["id"]), None, event)
            for person_id in sorted(added.people()):
                people.setdefault(person_id, []).append(added)
        accounts = _accounts(people)
        for person_id, account in accounts.items():
            notify(
                [account],
                kind="schedule.published",
                subject=_("The weekly schedule “{title}” was published; you are in it: {events}"),
                params={"title": schedule.title, "events": _EventsFor(people[person_id])},
                url=url,
                key=f"schedule:{schedule.pk}:rev:{revision.number}:{person_id}",
            )
        return
    concerned, heads = _concerned(changes)
    accounts = _accounts(concerned)
    for person_id, account in accounts.items():
        notify(
            [account],
            kind="schedule.revised",
            subject=_("“{title}”, revision {number}: {changes}"),
            params={
                "title": schedule.title,
                "number": revision.number - 1,  # the amendment, as the pages name it (published.revision_label)
                "changes": ChangesFor(person_id, concerned[person_id], heads.get(person_id, ())),
            },
            url=url,
            key=f"schedule:{schedule.pk}:rev:{revision.number}:{person_id}",
        )


class _EventsFor:
    def __init__(self, changes: list[EventChange]) -> None:
        self.changes = changes

    def __format__(self, spec: str) -> str:
        return pgettext("list separator", "; ").join(
            "{when}, {content}".format(when=when(dict(c.current)), content=str(c.current.get("content", ""))[:80])
            for c in self.changes
        )


# --- calendar feed tokens ------------------------------------------------------------------------


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_feed_token(actor: Actor, account: Account) -> str:
    """A new secret for the account's calendar feed; the previous address stops working. Returns the secret."""
    if actor.account is None or actor.account.pk != account.pk:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    FeedToken.objects.update_or_create(account=account, defaults={"digest": digest(token)})
    audit.record(actor, "schedule.feed.issue", account)
    return token


@transaction.atomic
def revoke_feed_token(actor: Actor, account: Account) -> bool:
    if actor.account is None or actor.account.pk != account.pk:
        raise PermissionDenied
    deleted, _rows = FeedToken.objects.filter(account=account).delete()
    if deleted:
        audit.record(actor, "schedule.feed.revoke", account)
    return bool(deleted)
