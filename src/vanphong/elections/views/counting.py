"""The counting room: the registry at the door, the entry stations, reconciliation, results, the
projector, the minutes and the entry log. Only the counting committee reaches these pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_service_errors
from vanphong.core.views.common import actor_of
from vanphong.elections import access, documents, keys, policy, services
from vanphong.elections.filters import SummonedFilter
from vanphong.elections.forms import (
    ConfirmForm,
    EntryForm,
    ExclusionForm,
    NamesForm,
    NextRoundForm,
    ReopenForm,
    ResolveForm,
)
from vanphong.elections.minutes import invalid_reason_label
from vanphong.elections.models import BallotEntry, ReconciledBallot, ReconciliationStatus, Round, Summoned

# --- registry: summoned, check-in, exclusions ------------------------------------------------------------


@login_required
@require_GET
def registry(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.access_counting_room(request.user, pk)
    filters = SummonedFilter({k: v for k, v in request.GET.items() if k in ("q", "present")} or None)
    rows = Summoned.objects.filter(congress=congress)
    if filters.is_bound:
        rows = filters.filter(rows) if filters.is_valid() else rows.none()
    context = {
        "congress": congress,
        "filters": filters,
        "rows": rows.order_by("sort_key", "id"),
        "registry": services.registry_of(congress),
        "is_head": policy.can_decide(request.user, congress),
    }
    if request.GET.get("figures"):
        return render(request, "elections/_registry_figures.html", context)
    template = "elections/_summoned_rows.html" if request.htmx else "elections/registry.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def summoned_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress = access.access_counting_room(request.user, pk, decide=True)
    form = NamesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_summoned(actor_of(request), congress, form.cleaned_data["names"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("{count} added to the registry.").format(count=len(added)))
            return redirect("elections:registry", pk=congress.pk)
    back = reverse("elections:registry", args=[congress.pk])
    title = _("Add official members or delegates summoned")
    return render(request, "elections/form.html", {"form": form, "title": title, "back": back})


def _summoned_answer(request: HttpRequest, summoned: Summoned, error: str = "") -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        context = {"row": summoned, "error": error, "is_head": policy.can_decide(request.user, summoned.congress)}
        response = render(request, "elections/_summoned_row.html", context)
        response["HX-Trigger"] = "registryChanged"
        return response
    if error:
        messages.error(request, error)
    return redirect(reverse("elections:registry", args=[summoned.congress_id]) + "?q=" + request.POST.get("q", ""))


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    summoned = access.access_summoned(request.user, pk)
    try:
        services.check_in(actor_of(request), summoned)
    except ValidationError as error:
        summoned.refresh_from_db()
        return _summoned_answer(request, summoned, " ".join(error.messages))
    return _summoned_answer(request, summoned)


@login_required
@require_POST
def undo_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    summoned = access.access_summoned(request.user, pk)
    try:
        services.undo_check_in(actor_of(request), summoned)
    except ValidationError as error:
        summoned.refresh_from_db()
        return _summoned_answer(request, summoned, " ".join(error.messages))
    return _summoned_answer(request, summoned)


@login_required
@require_http_methods(["GET", "POST"])
def exclusion(request: HttpRequest, pk: int) -> HttpResponse:
    summoned = access.access_summoned(request.user, pk, exclude=True)
    initial = {"exclusion": summoned.exclusion, "exclusion_reason": summoned.exclusion_reason}
    form = ExclusionForm(request.POST or None, kind=summoned.congress.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_exclusion(
                actor_of(request),
                summoned,
                code=form.cleaned_data["exclusion"],
                reason=form.cleaned_data["exclusion_reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The registry entry of {name} has been saved.").format(name=summoned))
            return redirect("elections:registry", pk=summoned.congress_id)
    back = reverse("elections:registry", args=[summoned.congress_id])
    title = _("Exclusion from the base: {name}").format(name=summoned)
    return render(request, "elections/form.html", {"form": form, "title": title, "back": back})


# --- a round: results, confirm, reopen, next --------------------------------------------------------------


def _names(round_: Round) -> list[Any]:
    return list(round_.names.select_related("candidate").order_by("number"))


def _is_tie(round_: Round) -> bool:
    return bool(round_.result and round_.result.get("tie"))


def _round_context(request: HttpRequest, round_: Round, **extra: Any) -> dict[str, Any]:
    congress = round_.election.congress
    return {
        "round": round_,
        "election": round_.election,
        "congress": congress,
        "names": _names(round_),
        "progress": services.progress_of(round_),
        "registry": services.registry_of(congress),
        "result": round_.result,
        "invalid_reasons": [
            (invalid_reason_label(code), count)
            for code, count in (round_.result["ballots"]["invalid_by_reason"].items() if round_.result else ())
        ],
        "is_head": policy.can_decide(request.user, congress),
        "station": policy.operator_station(request.user, congress),
        "is_last": not Round.objects.filter(election_id=round_.election_id, number__gt=round_.number).exists(),
        "reopenings": round_.reopenings.select_related("reopened_by"),
        "confirm_form": ConfirmForm(),
        "reopen_form": ReopenForm(),
        "next_form": NextRoundForm(
            initial={"station_count": round_.station_count}, allow_new_names=not _is_tie(round_)
        ),
        **extra,
    }


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    return render(request, "elections/round_detail.html", _round_context(request, round_))


@login_required
@require_POST
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk, decide=True)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_round(actor_of(request), round_, ballots_issued=form.cleaned_data["ballots_issued"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The count is confirmed and the round is sealed."))
            return redirect("elections:round_detail", pk=round_.pk)
    context = _round_context(request, round_, confirm_form=form)
    return render(request, "elections/round_detail.html", context, status=400)


@login_required
@require_POST
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk, decide=True)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_round(actor_of(request), round_, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.warning(request, _("The round has been reopened; the reopening is recorded."))
            return redirect("elections:round_detail", pk=round_.pk)
    round_.refresh_from_db()
    context = _round_context(request, round_, reopen_form=form)
    return render(request, "elections/round_detail.html", context, status=400)


@login_required
@require_POST
def round_next(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk, decide=True)
    form = NextRoundForm(request.POST, allow_new_names=not _is_tie(round_))
    if form.is_valid():
        try:
            upcoming = services.prepare_next_round(
                actor_of(request),
                round_,
                decision=form.cleaned_data["decision"],
                station_count=form.cleaned_data["station_count"],
                new_names=form.cleaned_data.get("new_names", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Round {number} is open for entry.").format(number=upcoming.number))
            return redirect("elections:round_detail", pk=upcoming.pk)
    context = _round_context(request, round_, next_form=form)
    return render(request, "elections/round_detail.html", context, status=400)


# --- stations and reconciliation -----------------------------------------------------------------------


def _station_context(round_: Round, station: int, form: EntryForm, saved: BallotEntry | None) -> dict[str, Any]:
    last = BallotEntry.objects.filter(round=round_, station=station).order_by("-updated_at", "-id")[:12]
    return {
        "round": round_,
        "election": round_.election,
        "congress": round_.election.congress,
        "station": station,
        "names": _names(round_),
        "form": form,
        "saved": saved,
        "last": [(entry, keys.describe(entry.content)) for entry in last],
        "count": BallotEntry.objects.filter(round=round_, station=station).count(),
        "invalid_keys": [(key, invalid_reason_label(code)) for key, code in keys.INVALID_KEYS.items()],
    }


@login_required
@require_http_methods(["GET", "POST"])
def station(request: HttpRequest, pk: int, station: int) -> HttpResponse:
    round_ = access.access_station(request.user, pk, station)
    form = EntryForm(request.POST or None)
    saved: BallotEntry | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.enter_ballot(actor_of(request), round_, station=station, typed=form.cleaned_data["typed"])
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 400 if not request.htmx else 200  # type: ignore[attr-defined]
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                # Without htmx (or when Enter beats the script), the page after the redirect says the same.
                url = reverse("elections:station", args=[round_.pk, station])
                return redirect(f"{url}?saved={saved.pk}")
            form = EntryForm()
    elif request.GET.get("saved", "").isdigit():
        saved = BallotEntry.objects.filter(pk=int(request.GET["saved"]), round=round_, station=station).first()
    round_.refresh_from_db()
    context = _station_context(round_, station, form, saved)
    template = "elections/_station_feedback.html" if request.htmx else "elections/station.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@login_required
@require_GET
def reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    disputed = list(
        ReconciledBallot.objects.filter(round=round_, status=ReconciliationStatus.DISPUTED).order_by("ballot_number")
    )
    resolved = list(
        ReconciledBallot.objects.filter(round=round_, status=ReconciliationStatus.RESOLVED)
        .select_related("resolved_by")
        .order_by("ballot_number")
    )
    numbers = {r.ballot_number for r in disputed + resolved}
    versions: dict[int, dict[int, str]] = {}
    for entry in BallotEntry.objects.filter(round=round_, ballot_number__in=numbers):
        versions.setdefault(entry.ballot_number, {})[entry.station] = keys.describe(entry.content)
    rows = [
        {
            "ballot": r,
            "versions": [versions.get(r.ballot_number, {}).get(s, "—") for s in round_.stations],
            "ruling": keys.describe(r.content),
            "form": ResolveForm(prefix=f"b{r.pk}"),
        }
        for r in disputed + resolved
    ]
    context = {
        "round": round_,
        "election": round_.election,
        "congress": round_.election.congress,
        "names": _names(round_),
        "rows": rows,
        "progress": services.progress_of(round_),
        "is_head": policy.can_decide(request.user, round_.election.congress),
    }
    return render(request, "elections/reconcile.html", context)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    reconciled = access.access_reconciled(request.user, pk)
    form = ResolveForm(request.POST, prefix=f"b{reconciled.pk}")
    if form.is_valid():
        try:
            services.resolve_ballot(
                actor_of(request), reconciled, typed=form.cleaned_data["ballot"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Ballot {number} resolved.").format(number=reconciled.ballot_number))
    else:
        messages.error(request, _("Type the ballot as on the paper and the reason for the ruling."))
    return redirect("elections:reconcile", pk=reconciled.round_id)


# --- results: projector, minutes, entry log ---------------------------------------------------------------


@login_required
@require_GET
def projector(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    context = _round_context(request, round_)
    template = "elections/_projector_body.html" if request.htmx else "elections/projector.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    context = _round_context(request, round_)
    if round_.engine_input is not None and round_.result is not None:
        data = documents.minutes_data(round_)
        context.update(text=data.text, exclusions=data.exclusions, committee=data.committee, rulings=data.rulings)
    return render(request, "elections/minutes.html", context)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    if not round_.is_sealed:
        raise Http404
    return _attachment(documents.minutes_pdf(round_), "application/pdf", documents.minutes_filename(round_, "pdf"))


@login_required
@require_GET
def ballots_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot papers as PDF: ``?copies=N`` ballots (default one sheet), several to a sheet if short."""
    round_ = access.access_round(request.user, pk)
    copies = request.GET.get("copies", "")
    pdf = documents.ballots_pdf(round_, copies=int(copies) if copies.isdigit() else None)
    filename = f"phieu-bau-{round_.election.congress_id}-{round_.election_id}-{round_.number}.pdf"
    return _attachment(pdf, "application/pdf", filename)


@login_required
@require_GET
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    if not round_.is_sealed:
        raise Http404
    return _attachment(
        documents.minutes_docx(round_),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        documents.minutes_filename(round_, "docx"),
    )


@login_required
@require_GET
def ballot_paper(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    context = {
        "round": round_,
        "election": round_.election,
        "congress": round_.election.congress,
        "names": _names(round_),
        "number": round_.number,
    }
    return render(request, "elections/ballot_paper.html", context)


@login_required
@require_GET
def entry_log(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.access_round(request.user, pk)
    entries = BallotEntry.objects.filter(round=round_).select_related("entered_by").order_by("ballot_number", "station")
    statuses = dict(ReconciledBallot.objects.filter(round=round_).values_list("ballot_number", "status"))
    rows = [(entry, keys.describe(entry.content), statuses.get(entry.ballot_number)) for entry in entries]
    context = {
        "round": round_,
        "election": round_.election,
        "congress": round_.election.congress,
        "rows": rows,
        "status_labels": dict(ReconciliationStatus.choices),
    }
    return render(request, "elections/entry_log.html", context)
