"""The meetings list, the meeting form and the meeting page with every act offered on it: agenda,
participants and their answers, check-in at the door, documents, minutes, conclusions → tasks, and
the invitation and conclusion notice drafts. Each act is a small POST that comes back to the page;
each is offered only when ``meetings.policy`` allows it, and the service checks again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Prefetch, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of, paginate, query_without_page
from vanphong.documents import access as documents_access
from vanphong.documents.models import Secrecy
from vanphong.documents.services import files as file_services
from vanphong.lib.filestore import FileError
from vanphong.meetings import access, policy
from vanphong.meetings.filters import MeetingFilter
from vanphong.meetings.forms import (
    AgendaItemForm,
    AssignTasksForm,
    AttachDocumentForm,
    CancelForm,
    ConclusionForm,
    ConnectedPointForm,
    MeetingForm,
    MinutesForm,
    ParticipantForm,
    RespondForm,
)
from vanphong.meetings.models import Meeting, MeetingState, Response, RoomBooking
from vanphong.meetings.services import conclusions as conclusion_services
from vanphong.meetings.services import meetings as services
from vanphong.meetings.services import outputs
from vanphong.meetings.views.common import go, is_htmx, run

INLINE_TYPES = ("application/pdf",)


def _url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:meeting", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the list ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    filters = MeetingFilter(request.GET or None, rooms=access.rooms_visible_to(request.user))
    meetings = access.meetings_visible_to(request.user).select_related("body", "presiding")
    meetings = meetings.prefetch_related(
        Prefetch("bookings", queryset=RoomBooking.objects.filter(cancelled_at__isnull=True).select_related("room"))
    )
    if not filters.is_bound:
        filters = MeetingFilter({"when": "upcoming"}, rooms=access.rooms_visible_to(request.user))
    meetings = filters.filter(meetings) if filters.is_valid() else meetings.none()
    page = paginate(request, meetings)
    context = {
        "filters": filters,
        "page": page,
        "query": query_without_page(request),
        "may_organise": access.bodies_organised_by(request.user).exists(),
        "pending": access.pending_invitations(request.user).count(),
    }
    template = "meetings/_meeting_rows.html" if is_htmx(request) else "meetings/meeting_list.html"
    return render(request, template, context)


# --- the form ---------------------------------------------------------------------------------------------


def _meeting_form(request: HttpRequest, data: Any = None, *, meeting: Meeting | None = None) -> MeetingForm:
    bodies = access.bodies_organised_by(request.user)
    anchor = meeting.body if meeting is not None else bodies.first()
    initial: dict[str, Any] = {}
    if meeting is not None:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        booking = meeting.active_booking
        initial = {
            "body": meeting.body_id, "kind": meeting.kind, "title": meeting.title, "day": start.date(),
            "start": start.time(), "end": end.time(),
            "room": booking.room_id if isinstance(booking, RoomBooking) else None, "place": meeting.place,
            "presiding": meeting.presiding_id, "secretary": meeting.secretary_id,
            "preparing_unit": meeting.preparing_unit_id,
        }  # fmt: skip
        bodies = Organization.objects.filter(pk=meeting.body_id)
    people = access.people_for(anchor) if anchor is not None else Person.objects.none()
    units = access.organisations_for(anchor) if anchor is not None else Organization.objects.none()
    return MeetingForm(
        data, initial=initial, bodies=bodies, rooms=access.rooms_visible_to(request.user), people=people, units=units
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    if not access.bodies_organised_by(request.user).exists():
        raise PermissionDenied
    form = _meeting_form(request, request.POST or None)
    if request.method == "POST":
        created: list[Meeting] = []

        def perform(_data: dict[str, Any]) -> str:
            created.append(services.create_meeting(actor_of(request), form.data_for_service()))
            return _("The meeting is created as a draft. Add the agenda and participants, then send the invitations.")

        def page() -> HttpResponse:
            return render(request, "meetings/meeting_form.html", {"form": form}, status=400)

        return run(request, form, perform, back=lambda: _url(created[0]), page=page)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    form = _meeting_form(request, request.POST or None, meeting=meeting)
    context = {"form": form, "meeting": meeting}
    if request.method == "POST":

        def perform(_data: dict[str, Any]) -> str:
            services.update_meeting(actor_of(request), meeting, form.data_for_service())
            return _("The meeting is saved.")

        def page() -> HttpResponse:
            return render(request, "meetings/meeting_form.html", context, status=400)

        return run(request, form, perform, back=_url(meeting), page=page)
    return render(request, "meetings/meeting_form.html", context)


# --- the meeting page -------------------------------------------------------------------------------------


def _page(
    request: HttpRequest, meeting: Meeting, bound: dict[str, forms.Form] | None = None, *, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    may_edit = bool(policy.can_edit(user, meeting))
    may_record = bool(policy.can_record(user, meeting))
    may_assign = bool(policy.can_assign_tasks(user, meeting))
    units = access.organisations_for(meeting.body)
    participants = list(meeting.participants.select_related("person", "organization").order_by("pk"))
    me = next((p for p in participants if p.person_id is not None and p.person_id == user.person_id), None)  # type: ignore[union-attr]
    conclusions = list(meeting.conclusions.prefetch_related("lead_units", "coordinating_units"))
    tasks = conclusion_services.tasks_of(conclusions)
    counts = meeting.participants.aggregate(
        present=Count("pk", filter=Q(checked_in_at__isnull=False)),
        accepted=Count("pk", filter=Q(response="accepted")),
        declined=Count("pk", filter=Q(response="declined")),
        pending=Count("pk", filter=Q(response="pending")),
        deputy=Count("pk", filter=Q(response="deputy")),
    )
    context = {
        "meeting": meeting,
        "booking": meeting.active_booking,
        "agenda": list(meeting.agenda_items.all()),
        "points": list(meeting.connected_points.select_related("organization")),
        "participants": participants,
        "counts": counts,
        "me": me,
        "documents": access.meeting_documents(user, meeting),
        "conclusions": [(c, tasks.get(c.pk, [])) for c in conclusions],
        "may_edit": may_edit,
        "may_convene": bool(policy.can_convene(user, meeting)),
        "may_check_in": bool(policy.can_check_in(user, meeting)),
        "may_record": may_record,
        "may_assign": may_assign,
        "may_respond": me is not None and bool(policy.can_respond(user, me)),
        "invitation_visible": meeting.invitation_id is not None
        and documents_access.documents_visible_to(user).filter(pk=meeting.invitation_id).exists(),
        "notice_visible": meeting.conclusion_notice_id is not None
        and documents_access.documents_visible_to(user).filter(pk=meeting.conclusion_notice_id).exists(),
        "agenda_form": bound.get("agenda") or AgendaItemForm(),
        "participant_form": bound.get("participant") or ParticipantForm(people=access.invitable_people(meeting.body)),
        "point_form": bound.get("point") or ConnectedPointForm(units=units),
        "document_form": bound.get("document") or AttachDocumentForm(items=meeting.agenda_items.all()),
        "minutes_form": bound.get("minutes") or MinutesForm(initial={"text": meeting.minutes_text}),
        "conclusion_form": bound.get("conclusion") or ConclusionForm(units=units),
        "tasks_form": bound.get("tasks")
        or AssignTasksForm(conclusions=meeting.conclusions.filter(tasks_assigned_at__isnull=True)),
        "respond_form": bound.get("respond") or RespondForm(),
        "cancel_form": bound.get("cancel") or CancelForm(),
        "errors": bound.get("general"),
        "states": MeetingState,
    }
    return render(request, "meetings/meeting.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    return _page(request, meeting)


def _act(
    request: HttpRequest, meeting: Meeting, key: str, form: forms.Form, perform: Any, *, anchor: str = ""
) -> HttpResponse:
    def page() -> HttpResponse:
        fresh = access.access_meeting(request.user, meeting.pk)
        return _page(request, fresh, {key: form}, status=400)

    return run(request, form, perform, back=_url(meeting, anchor), page=page)


class _Empty(forms.Form):
    """A button without fields: its service errors still show on the page."""


@login_required
@require_POST
def convene(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_convene(request.user, meeting))
    return _act(
        request,
        meeting,
        "general",
        _Empty(request.POST),
        lambda _d: services.convene(actor_of(request), meeting) and _("The invitations are sent to the participants."),
    )


@login_required
@require_POST
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_convene(request.user, meeting))
    return _act(
        request,
        meeting,
        "general",
        _Empty(request.POST),
        lambda _d: services.mark_held(actor_of(request), meeting) and _("The meeting is marked as held."),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_convene(request.user, meeting))
    form = CancelForm(request.POST)
    return _act(
        request,
        meeting,
        "cancel",
        form,
        lambda d: services.cancel(actor_of(request), meeting, reason=d["reason"]) and _("The meeting is cancelled."),
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    form = AgendaItemForm(request.POST)

    def perform(d: dict[str, Any]) -> str:
        services.add_agenda_item(
            actor_of(request), meeting, title=d["title"], presenter=d.get("presenter", ""), starts_at=d.get("starts_at")
        )
        return _("The agenda item is added.")

    return _act(request, meeting, "agenda", form, perform, anchor="agenda")


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    item = meeting.agenda_items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    services.remove_agenda_item(actor_of(request), item)
    return go(request, _url(meeting, "agenda"))


@login_required
@require_POST
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    form = ConnectedPointForm(request.POST, units=access.organisations_for(meeting.body))

    def perform(d: dict[str, Any]) -> str:
        services.add_connected_point(
            actor_of(request), meeting, name=d["name"], organization=d.get("organization"), place=d.get("place", "")
        )
        return _("The connected point is added.")

    return _act(request, meeting, "point", form, perform, anchor="points")


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    form = ParticipantForm(request.POST, people=access.invitable_people(meeting.body))

    def perform(_d: dict[str, Any]) -> str:
        services.add_participant(actor_of(request), meeting, form.data_for_service())
        return _("The participant is added.")

    return _act(request, meeting, "participant", form, perform, anchor="participants")


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    participant = access.access_participant(request.user, meeting, part_pk)
    access.require(policy.can_edit(request.user, meeting))
    services.remove_participant(actor_of(request), participant)
    return go(request, _url(meeting, "participants"))


@login_required
@require_POST
def respond(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    participant = access.access_participant(request.user, meeting, part_pk)
    access.require(policy.can_respond(request.user, participant))
    back = request.POST.get("next") == "invitations"
    form = RespondForm(request.POST, auto_id=f"p{participant.pk}_%s") if back else RespondForm(request.POST)

    def perform(d: dict[str, Any]) -> str:
        services.respond(
            actor_of(request),
            participant,
            response=d["response"],
            reason=d.get("reason", ""),
            deputy_name=d.get("deputy_name", ""),
        )
        return _("Your answer is recorded.")

    if back:

        def page() -> HttpResponse:
            return _invitations_page(request, {participant.pk: form}, status=400)

        return run(request, form, perform, back=reverse("meetings:invitations"), page=page)
    return _act(request, meeting, "respond", form, perform, anchor="participants")


def _attendance(request: HttpRequest, meeting: Meeting, *, status: int = 200) -> HttpResponse:
    participants = list(meeting.participants.select_related("person", "organization").order_by("pk"))
    present = sum(1 for p in participants if p.checked_in_at is not None)
    context = {"meeting": meeting, "participants": participants, "present": present, "may_check_in": True}
    return render(request, "meetings/_attendance.html", context, status=status)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    participant = access.access_participant(request.user, meeting, part_pk)
    access.require(policy.can_check_in(request.user, meeting))
    services.check_in(actor_of(request), participant, present=request.POST.get("present", "1") != "0")
    if is_htmx(request):
        return _attendance(request, meeting)
    return go(request, _url(meeting, "attendance"))


@login_required
@require_POST
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    form = AttachDocumentForm(request.POST, items=meeting.agenda_items.all())

    def perform(d: dict[str, Any]) -> str:
        document = documents_access.documents_visible_to(request.user).filter(pk=d["document"]).first()
        if document is None:
            raise ValidationError({"document": [_("No document you can see has this number.")]})
        services.attach_document(actor_of(request), meeting, document, agenda_item=d.get("agenda_item"))
        return _("The document is attached to the meeting.")

    return _act(request, meeting, "document", form, perform, anchor="documents")


@login_required
@require_POST
def document_detach(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    item = access.access_meeting_document(request.user, meeting, item_pk)
    services.detach_document(actor_of(request), item)
    return go(request, _url(meeting, "documents"))


@login_required
@require_GET
def document_view(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    item = access.access_meeting_document(request.user, meeting, item_pk, actor=actor_of(request))
    files = list(item.document.files.select_related("stored").order_by("role", "-version", "pk"))
    return render(request, "meetings/document.html", {"meeting": meeting, "item": item, "files": files})


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, item_pk: int, file_pk: int) -> HttpResponse:
    """The file's bytes, read from the documents' store; only PDFs open in the browser, never rendered."""
    meeting = access.access_meeting(request.user, pk)
    found = access.access_meeting_file(request.user, meeting, item_pk, file_pk, actor=actor_of(request))
    try:
        data = file_services.read(found.stored)
    except FileError as error:
        messages.error(request, file_services.storage.file_error_message(error.code, error.detail))
        return go(request, _url(meeting, "documents"))
    return _file_response(data, found.stored.media_type, found.name, secret=found.document.secrecy > Secrecy.NONE)


def _file_response(data: bytes, media_type: str, name: str, *, secret: bool) -> HttpResponse:
    media_type = media_type or "application/octet-stream"
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(media_type not in INLINE_TYPES, name) or "attachment"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if secret else "private"
    return response


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_record(request.user, meeting))
    form = MinutesForm(request.POST, request.FILES)

    def perform(d: dict[str, Any]) -> str:
        services.record_minutes(actor_of(request), meeting, text=d.get("text", ""), upload=form.upload())
        return _("The minutes are recorded.")

    return _act(request, meeting, "minutes", form, perform, anchor="minutes")


@login_required
@require_GET
def minutes_file(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    if meeting.minutes_file is None:
        raise Http404
    data = file_services.read(meeting.minutes_file)
    return _file_response(data, meeting.minutes_file.media_type, meeting.minutes_file_name, secret=False)


@login_required
@require_POST
def conclusion_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_record(request.user, meeting))
    form = ConclusionForm(request.POST, units=access.organisations_for(meeting.body))

    def perform(_d: dict[str, Any]) -> str:
        conclusion_services.add_conclusion(actor_of(request), meeting, form.data_for_service())
        return _("The conclusion is recorded.")

    return _act(request, meeting, "conclusion", form, perform, anchor="conclusions")


@login_required
@require_POST
def conclusion_remove(request: HttpRequest, pk: int, conclusion_pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_record(request.user, meeting))
    conclusion = access.access_conclusion(meeting, conclusion_pk)

    def perform(_d: dict[str, Any]) -> str:
        conclusion_services.remove_conclusion(actor_of(request), conclusion)
        return _("The conclusion is removed.")

    return _act(request, meeting, "general", _Empty(request.POST), perform, anchor="conclusions")


@login_required
@require_POST
def assign_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_assign_tasks(request.user, meeting))
    form = AssignTasksForm(request.POST, conclusions=meeting.conclusions.all())

    def perform(d: dict[str, Any]) -> str:
        tasks = conclusion_services.assign_tasks(actor_of(request), meeting, list(d["conclusions"]))
        return _("{count} tasks are assigned.").format(count=len(tasks))

    return _act(request, meeting, "tasks", form, perform, anchor="conclusions")


@login_required
@require_POST
def draft_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_edit(request.user, meeting))
    return _act(
        request,
        meeting,
        "general",
        _Empty(request.POST),
        lambda _d: outputs.draft_invitation(actor_of(request), meeting)
        and _("The invitation is drafted as an outgoing document; send it for review and signing from there."),
    )


@login_required
@require_POST
def draft_notice(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, pk)
    access.require(policy.can_record(request.user, meeting))
    return _act(
        request,
        meeting,
        "general",
        _Empty(request.POST),
        lambda _d: outputs.draft_conclusion_notice(actor_of(request), meeting)
        and _("The conclusion notice is drafted as an outgoing document."),
        anchor="conclusions",
    )


# --- my invitations ---------------------------------------------------------------------------------------


def _invitations_page(
    request: HttpRequest, bound: dict[int, forms.Form] | None = None, *, status: int = 200
) -> HttpResponse:
    """Those awaiting an answer first, then the answered ones, by date; a page at a time."""
    bound = bound or {}
    invitations = access.my_invitations(request.user).order_by(
        Case(When(response=Response.PENDING, then=0), default=1), "meeting__starts_at", "pk"
    )
    page = paginate(
        request,
        invitations.prefetch_related(
            Prefetch(
                "meeting__bookings",
                queryset=RoomBooking.objects.filter(cancelled_at__isnull=True).select_related("room"),
            )
        ),
        per_page=20,
    )
    rows = [
        (participant, bound.get(participant.pk) or RespondForm(auto_id=f"p{participant.pk}_%s"))
        for participant in page.object_list
    ]
    context = {"rows": rows, "page": page, "query": query_without_page(request)}
    return render(request, "meetings/invitations.html", context, status=status)


@login_required
@require_GET
def invitations(request: HttpRequest) -> HttpResponse:
    return _invitations_page(request)
