"""Every read of weekly schedules with permission (see ``policy``): returns the object or raises 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from vanphong.core import policy as core_policy
from vanphong.schedule import policy
from vanphong.schedule.models import ScheduleEvent, ScheduleRevision, WeekSchedule


def _prefixes(path: str) -> list[str]:
    """``/1/7/42/`` → ``/1/``, ``/1/7/``, ``/1/7/42/``: the organisation and those above it."""
    return [path[: i + 1] for i, char in enumerate(path) if char == "/" and i > 0]


def _draft_q(account: Any) -> Q:
    """The weeks whose drafts the account sees: those it drafts (``policy.works_in_office``: a role on
    the office, above it or on one of its units) and those it approves (leader of the office or body)."""
    query = Q(pk__in=[])
    for path in policy.drafting_paths(account):
        query |= Q(office__path__startswith=path) | Q(office__path__in=_prefixes(path))
    for path in policy.approving_paths(account):
        query |= Q(office__path__startswith=path) | Q(body__path__startswith=path)
    return query


def schedules_visible_to(user: Any) -> QuerySet[WeekSchedule]:
    """Published weeks for every signed-in person; drafts for those who draft or approve them."""
    if not core_policy.is_signed_in(user):
        if policy.public_view_on():
            return WeekSchedule.objects.filter(revision__gt=0).select_related("body", "office")
        return WeekSchedule.objects.none()
    return WeekSchedule.objects.filter(Q(revision__gt=0) | _draft_q(user)).select_related("body", "office")


def access_schedule(user: Any, pk: int, *, draft: bool = False, approve: bool = False) -> WeekSchedule:
    """The week ``pk`` if the user may see it (404 otherwise); ``draft``/``approve`` also require that
    right (403 when the week is visible but the right is missing)."""
    schedule = schedules_visible_to(user).filter(pk=pk).first()
    if schedule is None:
        raise Http404
    if draft and not policy.can_draft(user, schedule):
        if not policy.can_see_drafts(user, schedule) and schedule.revision == 0:
            raise Http404
        raise PermissionDenied
    if approve and not policy.can_approve(user, schedule):
        raise PermissionDenied
    return schedule


def access_event(user: Any, pk: int) -> ScheduleEvent:
    """An event being drafted, for someone who drafts its week (404 for the others: drafts are unseen)."""
    event = ScheduleEvent.objects.select_related("schedule__body", "schedule__office").filter(pk=pk).first()
    if event is None or not policy.can_see_drafts(user, event.schedule):
        raise Http404
    if not policy.can_draft(user, event.schedule):
        raise PermissionDenied
    return event


def access_revision(user: Any, schedule: WeekSchedule, number: int) -> ScheduleRevision:
    revision = schedule.revisions.filter(number=number).select_related("published_by").first()
    if revision is None:
        raise Http404
    return revision


def public_schedule(pk: int) -> WeekSchedule:
    """A published week for the public view; 404 when the public view is off."""
    if not policy.public_view_on():
        raise Http404
    schedule = WeekSchedule.objects.filter(pk=pk, revision__gt=0).select_related("body", "office").first()
    if schedule is None:
        raise Http404
    return schedule
