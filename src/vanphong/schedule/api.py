"""The schedule API: the same access helpers, services and permission checks as the pages.

A week reads as its latest published revision; those who draft or approve it also get the events as
being edited and the changes waiting for the next revision.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from vanphong.core.api import ERRORS
from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of
from vanphong.documents.access import documents_visible_to
from vanphong.rules import schedule_changes
from vanphong.schedule import access, policy, published, services
from vanphong.schedule.models import ScheduleRevision, WeekSchedule

router = Router(tags=["schedule"])


class WeekOut(Schema):
    id: int
    body_id: int
    body: str
    office_id: int
    year: int
    week: int
    monday: datetime.date
    sunday: datetime.date
    title: str
    state: str
    revision: int
    revision_label: str


class RevisionOut(Schema):
    number: int
    label: str
    published_at: datetime.datetime
    published_by: str | None
    note: str
    events: list[dict[str, Any]]
    changes: list[dict[str, Any]]


class WeekDetailOut(WeekOut):
    published: RevisionOut | None
    draft_events: list[dict[str, Any]] | None
    pending_changes: list[dict[str, Any]] | None


class WeekIn(Schema):
    body_id: int
    office_id: int
    year: int
    week: int
    title: str = ""


class EventIn(Schema):
    day: datetime.date
    start: datetime.time
    end: datetime.time | None = None
    content: str
    place: str = ""
    presiding_ids: list[int] = []
    attending_ids: list[int] = []
    attending_unit_ids: list[int] = []
    preparing_unit_id: int | None = None
    meeting_id: int | None = None
    document_ids: list[int] = []
    private: bool = False


class PublishIn(Schema):
    note: str = ""


def _week(schedule: WeekSchedule) -> dict[str, Any]:
    return {
        "id": schedule.pk,
        "body_id": schedule.body_id,
        "body": schedule.body.full_name,
        "office_id": schedule.office_id,
        "year": schedule.year,
        "week": schedule.week,
        "monday": schedule.monday,
        "sunday": schedule.sunday,
        "title": schedule.title,
        "state": schedule.state,
        "revision": schedule.revision,
        "revision_label": published.revision_label(schedule.revision) if schedule.revision else "",
    }


def _revision(request: HttpRequest, revision: ScheduleRevision) -> dict[str, Any]:
    visible = set(
        documents_visible_to(request.user)
        .filter(pk__in={pk for e in revision.snapshot for pk in e.get("documents") or []})
        .values_list("pk", flat=True)
    )
    events = [{**e, "documents": [pk for pk in e.get("documents") or [] if pk in visible]} for e in revision.snapshot]
    return {
        "number": revision.number,
        "label": published.revision_label(revision.number),
        "published_at": revision.published_at,
        "published_by": revision.published_by.username if revision.published_by else None,
        "note": revision.note,
        "events": events,
        "changes": [{k: v for k, v in c.items() if k in ("kind", "event_id", "fields")} for c in revision.changes],
    }


def _detail(request: HttpRequest, schedule: WeekSchedule) -> dict[str, Any]:
    latest = services.latest_revision(schedule)
    drafts = policy.can_see_drafts(request.user, schedule)
    return {
        **_week(schedule),
        "published": _revision(request, latest) if latest else None,
        "draft_events": services.snapshot(schedule) if drafts else None,
        "pending_changes": schedule_changes.as_json(services.pending_changes(schedule)) if drafts and latest else None,
    }


def _event_data(request: HttpRequest, body: EventIn) -> services.EventData:
    def found(model: Any, ids: list[int], field: str) -> list[Any]:
        objects = list(model.objects.filter(pk__in=ids))
        if len(objects) != len(set(ids)):
            raise ValidationError({field: _("Some of these do not exist.")})
        return objects

    documents = list(documents_visible_to(request.user).filter(pk__in=body.document_ids))
    if len(documents) != len(set(body.document_ids)):
        raise ValidationError({"document_ids": _("Some of these do not exist.")})
    meeting = None
    if body.meeting_id is not None:
        from vanphong.meetings.access import meetings_visible_to

        meeting = meetings_visible_to(request.user).filter(pk=body.meeting_id).first()
        if meeting is None:
            raise ValidationError({"meeting_id": _("Some of these do not exist.")})
    preparing = found(Organization, [body.preparing_unit_id], "preparing_unit_id") if body.preparing_unit_id else []
    return services.EventData(
        day=body.day,
        start=body.start,
        end=body.end,
        content=body.content,
        place=body.place,
        presiding=found(Person, body.presiding_ids, "presiding_ids"),
        attending=found(Person, body.attending_ids, "attending_ids"),
        attending_units=found(Organization, body.attending_unit_ids, "attending_unit_ids"),
        preparing_unit=preparing[0] if preparing else None,
        meeting=meeting,
        documents=documents,
        private=body.private,
    )


@router.get("/weeks", response={200: list[WeekOut], **ERRORS})
def list_weeks(request: HttpRequest, year: int | None = None, week: int | None = None) -> list[dict[str, Any]]:
    weeks = access.schedules_visible_to(request.user)
    if year is not None:
        weeks = weeks.filter(year=year)
    if week is not None:
        weeks = weeks.filter(week=week)
    return [_week(s) for s in weeks[:200]]


@router.post("/weeks", response={201: WeekDetailOut, **ERRORS})
def create_week(request: HttpRequest, body: WeekIn) -> Any:
    office = Organization.objects.filter(pk=body.office_id).first()
    organization = Organization.objects.filter(pk=body.body_id).first()
    if office is None or organization is None:
        raise ValidationError(_("Some of these do not exist."))
    if not policy.can_create_for(request.user, office):
        raise PermissionDenied
    schedule = services.create_week(
        actor_of(request), services.WeekData(organization, office, body.year, body.week, body.title)
    )
    return Status(201, _detail(request, schedule))


@router.get("/weeks/{int:pk}", response={200: WeekDetailOut, **ERRORS})
def get_week(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(request, access.access_schedule(request.user, pk))


@router.get("/weeks/{int:pk}/revisions", response={200: list[RevisionOut], **ERRORS})
def list_revisions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    schedule = access.access_schedule(request.user, pk)
    return [_revision(request, r) for r in schedule.revisions.select_related("published_by").order_by("number")]


@router.get("/weeks/{int:pk}/revisions/{int:number}", response={200: RevisionOut, **ERRORS})
def get_revision(request: HttpRequest, pk: int, number: int) -> dict[str, Any]:
    schedule = access.access_schedule(request.user, pk)
    return _revision(request, access.access_revision(request.user, schedule, number))


@router.post("/weeks/{int:pk}/events", response={201: WeekDetailOut, **ERRORS})
def add_event(request: HttpRequest, pk: int, body: EventIn) -> Any:
    schedule = access.access_schedule(request.user, pk, draft=True)
    services.add_event(actor_of(request), schedule, _event_data(request, body))
    return Status(201, _detail(request, schedule))


@router.post("/events/{int:pk}", response={200: WeekDetailOut, **ERRORS})
def change_event(request: HttpRequest, pk: int, body: EventIn) -> dict[str, Any]:
    event = access.access_event(request.user, pk)
    services.change_event(actor_of(request), event, _event_data(request, body))
    return _detail(request, event.schedule)


@router.delete("/events/{int:pk}", response={200: WeekDetailOut, **ERRORS})
def remove_event(request: HttpRequest, pk: int) -> dict[str, Any]:
    event = access.access_event(request.user, pk)
    services.remove_event(actor_of(request), event)
    return _detail(request, event.schedule)


@router.post("/weeks/{int:pk}/submit", response={200: WeekDetailOut, **ERRORS})
def submit(request: HttpRequest, pk: int) -> dict[str, Any]:
    schedule = access.access_schedule(request.user, pk, draft=True)
    return _detail(request, services.submit(actor_of(request), schedule))


@router.post("/weeks/{int:pk}/publish", response={200: WeekDetailOut, **ERRORS})
def publish(request: HttpRequest, pk: int, body: PublishIn) -> dict[str, Any]:
    schedule = access.access_schedule(request.user, pk, approve=True)
    services.publish(actor_of(request), schedule, note=body.note)
    schedule.refresh_from_db()
    return _detail(request, schedule)
