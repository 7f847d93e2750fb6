"""The weekly schedule's pages: the list of weeks, the office's editor, the published view of the latest
revision (and any earlier one), two revisions compared, the PDF, the calendar feed and its settings, and
the public view. Thin: access helper → form → service → template.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_service_errors
from vanphong.core.models import Organization
from vanphong.core.views.common import actor_of, paginate, query_without_page
from vanphong.documents.access import documents_visible_to
from vanphong.schedule import access, feed, policy, printing, published, services
from vanphong.schedule.forms import EventForm, PublishForm, WeekForm
from vanphong.schedule.models import ScheduleRevision, ScheduleState, WeekSchedule


def _offices(request: HttpRequest) -> Any:
    paths = policy.drafting_paths(request.user)
    if not paths:
        return Organization.objects.none()
    query = Q()
    for path in paths:
        query |= Q(path=path)
    return Organization.objects.filter(query).order_by("path")


@login_required
@require_GET
def week_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, access.schedules_visible_to(request.user))
    can_create = _offices(request).exists()
    context = {"page": page, "weeks": page.object_list, "can_create": can_create, "query": query_without_page(request)}
    return render(request, "schedule/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def week_new(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    if not offices.exists():
        raise PermissionDenied
    form = WeekForm(request.POST or None, offices=offices)
    if request.method == "POST":
        if form.is_valid():
            try:
                schedule = services.create_week(actor_of(request), form.to_data())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("schedule:editor", pk=schedule.pk)
        return render(request, "schedule/new.html", {"form": form}, status=400)
    return render(request, "schedule/new.html", {"form": form})


# --- the published view --------------------------------------------------------------------------


def _linked_documents(request: HttpRequest, revision: ScheduleRevision) -> dict[int, list[Any]]:
    """Documents linked to the revision's events that the viewer may see, by event id."""
    wanted = {pk for event in revision.snapshot for pk in event.get("documents") or []}
    if not wanted or not request.user.is_authenticated:
        return {}
    visible = {d.pk: d for d in documents_visible_to(request.user).filter(pk__in=wanted)}
    return {
        int(event["id"]): [visible[pk] for pk in event.get("documents") or [] if pk in visible]
        for event in revision.snapshot
    }


def _linked_meetings(request: HttpRequest, revision: ScheduleRevision) -> dict[int, Any]:
    """The meeting linked to each of the revision's events, when the viewer may see it, by event id."""
    from vanphong.meetings.access import meetings_visible_to

    wanted = {event["meeting"] for event in revision.snapshot if event.get("meeting")}
    if not wanted or not request.user.is_authenticated:
        return {}
    visible = {m.pk: m for m in meetings_visible_to(request.user).filter(pk__in=wanted)}
    return {int(e["id"]): visible[e["meeting"]] for e in revision.snapshot if e.get("meeting") in visible}


def _revision_context(
    request: HttpRequest, schedule: WeekSchedule, revision: ScheduleRevision, *, public: bool
) -> dict[str, Any]:
    changes = published.changes_of(revision)
    return {
        "schedule": schedule,
        "revision": revision,
        "label": published.revision_label(revision.number),
        "is_latest": revision.number == schedule.revision,
        "days": published.table(schedule, revision.snapshot, changes, public=public),
        "removed": [] if public else published.removed_rows(changes),
        "changes": changes,
        "documents": {} if public else _linked_documents(request, revision),
        "meetings": {} if public else _linked_meetings(request, revision),
        "revisions": list(schedule.revisions.order_by("number").values_list("number", "published_at")),
        "revision_labels": {n: published.revision_label(n) for n in range(1, schedule.revision + 1)},
        "public": public,
        "can_draft": not public and policy.can_draft(request.user, schedule),
        "field_labels": services.FIELD_LABELS,
    }


@login_required
@require_GET
def week(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest published revision; a week not yet published opens in the editor for those who draft it."""
    schedule = access.access_schedule(request.user, pk)
    revision = services.latest_revision(schedule)
    if revision is None:
        return redirect("schedule:editor", pk=schedule.pk)
    return render(request, "schedule/week.html", _revision_context(request, schedule, revision, public=False))


@login_required
@require_GET
def revision_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    schedule = access.access_schedule(request.user, pk)
    revision = access.access_revision(request.user, schedule, number)
    return render(request, "schedule/week.html", _revision_context(request, schedule, revision, public=False))


@login_required
@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two revisions side by side: what the newer one added, removed and changed."""
    schedule = access.access_schedule(request.user, pk)
    if schedule.revision == 0:
        raise Http404
    try:
        newer = int(request.GET.get("b") or schedule.revision)
        older = int(request.GET.get("a") or max(newer - 1, 1))
    except ValueError:
        raise Http404 from None
    older, newer = min(older, newer), max(older, newer)
    first = access.access_revision(request.user, schedule, older)
    second = access.access_revision(request.user, schedule, newer)
    changes = published.compare(first, second)
    context = {
        "schedule": schedule,
        "first": first,
        "second": second,
        "first_label": published.revision_label(first.number),
        "second_label": published.revision_label(second.number),
        "changes": [
            (c, published.Row(c.before) if c.before else None, published.Row(c.after) if c.after else None)
            for c in changes
        ],
        "numbers": range(1, schedule.revision + 1),
        "revision_labels": {n: published.revision_label(n) for n in range(1, schedule.revision + 1)},
        "field_labels": services.FIELD_LABELS,
    }
    return render(request, "schedule/compare.html", context)


@require_GET
def week_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable week (latest revision, or ``?revision=N``); without signing in only when public."""
    public = not request.user.is_authenticated
    if public:
        if not policy.public_view_on():
            return redirect(f"{reverse('core:login')}?next={request.path}")
        schedule = access.public_schedule(pk)
    else:
        schedule = access.access_schedule(request.user, pk)
    number = request.GET.get("revision", "")
    revision = (
        access.access_revision(request.user, schedule, int(number))
        if number.isdigit()
        else services.latest_revision(schedule)
    )
    if revision is None:
        raise Http404
    response = HttpResponse(printing.schedule_pdf(revision, public=public), content_type="application/pdf")
    name = f"lich-cong-tac-tuan-{schedule.year}-{schedule.week:02d}-{revision.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- the office's editor -------------------------------------------------------------------------


def _editor_context(request: HttpRequest, schedule: WeekSchedule, form: EventForm | None = None) -> dict[str, Any]:
    can_draft = policy.can_draft(request.user, schedule)
    editable = can_draft and schedule.state != ScheduleState.SUBMITTED
    pending = services.pending_changes(schedule) if schedule.revision else []
    return {
        "schedule": schedule,
        "events": services.live_events(schedule),
        "form": form or (EventForm(schedule=schedule, user=request.user) if editable else None),
        "can_draft": can_draft,
        "editable": editable,
        "can_approve": bool(policy.can_approve(request.user, schedule)),
        "pending": pending,
        "pending_ids": {c.event_id: c for c in pending},
        "publish_form": PublishForm(),
        "label": published.revision_label(schedule.revision) if schedule.revision else "",
        "field_labels": services.FIELD_LABELS,
    }


@login_required
@require_GET
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = access.access_schedule(request.user, pk)
    if not policy.can_see_drafts(request.user, schedule):
        if schedule.revision:
            raise PermissionDenied
        raise Http404
    return render(request, "schedule/editor.html", _editor_context(request, schedule))


def _editor_response(
    request: HttpRequest, schedule: WeekSchedule, form: EventForm | None = None, status: int = 200
) -> HttpResponse:
    if getattr(request, "htmx", False):  # htmx swaps only 2xx answers: the form with its errors comes as 200
        return render(request, "schedule/_editor_body.html", _editor_context(request, schedule, form))
    if form is not None and form.errors:
        return render(request, "schedule/editor.html", _editor_context(request, schedule, form), status=status)
    return redirect("schedule:editor", pk=schedule.pk)


@login_required
@require_POST
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = access.access_schedule(request.user, pk, draft=True)
    form = EventForm(request.POST, schedule=schedule, user=request.user)
    if form.is_valid():
        try:
            services.add_event(actor_of(request), schedule, form.to_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _editor_response(request, schedule)
    return _editor_response(request, schedule, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk)
    schedule = event.schedule
    if request.method == "GET":
        form = EventForm(schedule=schedule, user=request.user, event=event, auto_id=f"id_e{event.pk}_%s")
        return render(request, "schedule/_event_form.html", {"form": form, "event": event, "schedule": schedule})
    form = EventForm(request.POST, schedule=schedule, user=request.user, event=event, auto_id=f"id_e{event.pk}_%s")
    if form.is_valid():
        try:
            services.change_event(actor_of(request), event, form.to_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _editor_response(request, schedule)
    if getattr(request, "htmx", False):  # swapped only when 2xx
        return render(request, "schedule/_event_form.html", {"form": form, "event": event, "schedule": schedule})
    return render(request, "schedule/editor.html", _editor_context(request, schedule, form), status=400)


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.access_event(request.user, pk)
    schedule = event.schedule
    try:
        services.remove_event(actor_of(request), event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _editor_response(request, schedule)


def _act(request: HttpRequest, schedule: WeekSchedule, act: Any, done: str) -> HttpResponse:
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "schedule/editor.html", _editor_context(request, schedule), status=400)
    messages.success(request, done)
    return redirect("schedule:editor" if schedule.revision == 0 else "schedule:week", pk=schedule.pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = access.access_schedule(request.user, pk, draft=True)
    return _act(
        request, schedule, lambda: services.submit(actor_of(request), schedule), _("The schedule has been submitted.")
    )


@login_required
@require_POST
def take_back(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = access.access_schedule(request.user, pk)
    if not policy.can_see_drafts(request.user, schedule):
        raise PermissionDenied if schedule.revision else Http404
    if not (policy.can_draft(request.user, schedule) or policy.can_approve(request.user, schedule)):
        raise PermissionDenied
    note = request.POST.get("note", "")
    return _act(
        request,
        schedule,
        lambda: services.take_back(actor_of(request), schedule, note=note),
        _("The schedule is a draft again."),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = access.access_schedule(request.user, pk)
    if not policy.can_approve(request.user, schedule):
        raise PermissionDenied if schedule.revision or policy.can_see_drafts(request.user, schedule) else Http404
    form = PublishForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")

    def act() -> None:
        revision = services.publish(actor_of(request), schedule, note=note)
        schedule.revision = revision.number

    return _act(request, schedule, act, _("The schedule has been published."))


# --- the calendar feed ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The person's secret calendar address: shown once when issued; issue anew or revoke."""
    account = request.user
    url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            token = services.issue_feed_token(actor_of(request), account)  # type: ignore[arg-type]
            url = request.build_absolute_uri(reverse("schedule:feed", args=[token]))
        elif action == "revoke":
            services.revoke_feed_token(actor_of(request), account)  # type: ignore[arg-type]
            messages.success(request, _("The calendar address no longer works."))
            return redirect("schedule:feed_settings")
        else:
            return render(request, "schedule/feed_settings.html", {"has_feed": False, "url": ""}, status=400)
    has_feed = hasattr(account, "schedule_feed") and account.schedule_feed is not None
    return render(request, "schedule/feed_settings.html", {"has_feed": has_feed, "url": url})


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    account = feed.account_for_token(token)
    if account is None:
        raise Http404
    response = HttpResponse(feed.calendar_for(account), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- the public view -----------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    if not policy.public_view_on():
        raise Http404
    weeks = WeekSchedule.objects.filter(revision__gt=0).select_related("body")[:100]
    return render(request, "schedule/public_list.html", {"weeks": weeks})


@require_GET
def public_week(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = access.public_schedule(pk)
    revision = services.latest_revision(schedule)
    if revision is None:
        raise Http404
    return render(request, "schedule/week.html", _revision_context(request, schedule, revision, public=True))
