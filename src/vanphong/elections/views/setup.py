"""Setting a congress up: the congress, its counting committee, its elections and their lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_service_errors
from vanphong.core.views.common import actor_of
from vanphong.elections import access, policy, services
from vanphong.elections.forms import CommitteeMemberForm, CongressForm, ElectionForm, NamesForm, OpenRoundForm


@login_required
@require_GET
def congress_list(request: HttpRequest) -> HttpResponse:
    congresses = access.congresses_visible_to(request.user).select_related("organization")
    counted = set(access.congresses_counted_by(request.user).values_list("pk", flat=True))
    context = {
        "congresses": congresses,
        "counted": counted,
        "can_create": policy.can_create_any_congress(request.user),
    }
    return render(request, "elections/congress_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def congress_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create_any_congress(request.user):
        raise PermissionDenied
    form = CongressForm(request.POST or None, organizations=access.organizations_for_new_congress(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            congress = services.create_congress(
                actor_of(request),
                organization=data["organization"],
                name=data["name"],
                term=data["term"],
                kind=data["kind"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The congress has been set up."))
            return redirect("elections:congress_detail", pk=congress.pk)
    return render(
        request,
        "elections/form.html",
        {"form": form, "title": _("New congress"), "back": reverse("elections:congress_list")},
    )


@login_required
@require_GET
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.access_congress(request.user, pk)
    context = {
        "congress": congress,
        "elections": congress.elections.prefetch_related("rounds"),
        "committee": congress.committee.select_related("person"),
        "registry": services.registry_of(congress),
        "can_manage": policy.can_manage_congress(request.user, congress),
        "in_room": policy.can_see_counting_room(request.user, congress),
        "is_head": policy.can_decide(request.user, congress),
        "station": policy.operator_station(request.user, congress),
    }
    return render(request, "elections/congress_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def committee_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.access_congress(request.user, pk, write=True)
    form = CommitteeMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_committee_member(
                actor_of(request), congress, person=data["person"], role=data["role"], station=data["station"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            policy.forget(request.user)
            messages.success(request, _("{name} is on the counting committee.").format(name=data["person"]))
            return redirect("elections:congress_detail", pk=congress.pk)
    back = congress_url(congress.pk)
    return render(
        request, "elections/form.html", {"form": form, "title": _("Add to the counting committee"), "back": back}
    )


@login_required
@require_POST
def committee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.access_committee_member(request.user, pk)
    services.remove_committee_member(actor_of(request), member)
    policy.forget(request.user)
    messages.success(request, _("{name} has left the counting committee.").format(name=member.person))
    return redirect("elections:congress_detail", pk=member.congress_id)


def congress_url(pk: int) -> str:
    return reverse("elections:congress_detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def election_create(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.access_congress(request.user, pk, write=True)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            election = services.create_election(
                actor_of(request),
                congress,
                kind=data["kind"],
                seats=data["seats"],
                alternate_seats=data["alternate_seats"] or 0,
                sort_order=data["sort_order"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("elections:election_detail", pk=election.pk)
    back = congress_url(congress.pk)
    return render(request, "elections/form.html", {"form": form, "title": _("New election"), "back": back})


def _election_context(request: HttpRequest, election_pk: int, **extra: object) -> dict[str, object]:
    election = access.access_election(request.user, election_pk)
    congress = election.congress
    state = services.election_state(election)
    return {
        "election": election,
        "congress": congress,
        "candidates": list(election.candidates.all()),
        "rounds": list(election.rounds.order_by("number")),
        "state": state,
        "can_manage": policy.can_manage_congress(request.user, congress) and not state.last_round,
        "in_room": policy.can_see_counting_room(request.user, congress),
        "is_head": policy.can_decide(request.user, congress),
        "names_form": NamesForm(),
        "open_form": OpenRoundForm(),
        **extra,
    }


@login_required
@require_GET
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "elections/election_detail.html", _election_context(request, pk))


@login_required
@require_POST
def candidates_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = access.access_election(request.user, pk, write=True)
    form = NamesForm(request.POST)
    if form.is_valid():
        try:
            services.add_candidates(actor_of(request), election, form.cleaned_data["names"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The list has been updated."))
            return redirect("elections:election_detail", pk=election.pk)
    context = _election_context(request, pk, names_form=form)
    return render(request, "elections/election_detail.html", context, status=400)


@login_required
@require_POST
def candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = access.access_candidate(request.user, pk)
    try:
        services.remove_candidate(actor_of(request), candidate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("elections:election_detail", pk=candidate.election_id)


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    election = access.access_election(request.user, pk, decide=True)
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.open_first_round(
                actor_of(request), election, station_count=form.cleaned_data["station_count"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Round 1 is open for entry."))
            return redirect("elections:round_detail", pk=round_.pk)
    context = _election_context(request, pk, open_form=form)
    return render(request, "elections/election_detail.html", context, status=400)
