"""The counting-room API: a congress, its elections and rounds, a round's result (the engine's JSON) and
the minutes as PDF. Read-only, and for the counting committee alone, through the same access helpers
as the pages: anyone else gets 404, administrators of the body included, since the ballots are secret
(190 Điều 8)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from vanphong.core.api import ERRORS
from vanphong.elections import access, documents, services
from vanphong.elections.models import Congress, Election, Round

router = Router(tags=["elections"])


class RoundSummaryOut(Schema):
    id: int
    number: int
    seats: int
    alternate_seats: int
    form: str
    status: str


class ElectionOut(Schema):
    id: int
    kind: str
    name: str
    seats: int
    alternate_seats: int
    candidates: list[str]
    elected: list[str]
    alternates: list[str]
    rounds: list[RoundSummaryOut]


class RegistryOut(Schema):
    summoned: int
    present: int
    excluded: dict[str, int]
    base: int


class CongressOut(Schema):
    id: int
    name: str
    term: str
    kind: str
    organization_id: int
    organization: str


class CongressDetailOut(CongressOut):
    registry: RegistryOut
    elections: list[ElectionOut]


class ProgressOut(Schema):
    per_station: dict[str, int]
    agreed: int
    disputed: int
    resolved: int
    pending: list[int]


class RoundOut(RoundSummaryOut):
    election_id: int
    congress_id: int
    names: list[str]
    station_count: int
    decision: str
    ballots_issued: int | None
    present: int | None
    confirmed_at: datetime.datetime | None
    progress: ProgressOut
    result: dict[str, Any] | None


def _congress(congress: Congress) -> dict[str, Any]:
    return {
        "id": congress.pk,
        "name": congress.name,
        "term": congress.term,
        "kind": congress.kind,
        "organization_id": congress.organization_id,
        "organization": str(congress.organization),
    }


def _round_summary(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "number": round_.number,
        "seats": round_.seats,
        "alternate_seats": round_.alternate_seats,
        "form": round_.form,
        "status": round_.status,
    }


def _election(election: Election) -> dict[str, Any]:
    state = services.election_state(election)
    return {
        "id": election.pk,
        "kind": election.kind,
        "name": str(election),
        "seats": election.seats,
        "alternate_seats": election.alternate_seats,
        "candidates": [c.full_name for c in election.candidates.all()],
        "elected": [name for name, _votes, _number in state.elected],
        "alternates": [name for name, _votes, _number in state.alternates],
        "rounds": [_round_summary(r) for r in election.rounds.order_by("number")],
    }


@router.get("/congresses", response={200: list[CongressOut], **ERRORS})
def list_congresses(request: HttpRequest) -> Any:
    """The congresses whose counting room the caller sits in (their counting committee)."""
    congresses = access.congresses_counted_by(request.user).select_related("organization")
    return [_congress(c) for c in congresses]


@router.get("/congresses/{int:pk}", response={200: CongressDetailOut, **ERRORS})
def get_congress(request: HttpRequest, pk: int) -> Any:
    """A congress with the registry's figures (the base) and its elections, their lists and rounds."""
    congress = access.access_counting_room(request.user, pk)
    registry = services.registry_of(congress)
    return {
        **_congress(congress),
        "registry": {
            "summoned": registry.summoned,
            "present": registry.present,
            "excluded": dict(registry.exclusions),
            "base": registry.base.value,
        },
        "elections": [_election(e) for e in congress.elections.all()],
    }


@router.get("/rounds/{int:pk}", response={200: RoundOut, **ERRORS})
def get_round(request: HttpRequest, pk: int) -> Any:
    """A round: the list as printed on the ballot, where the entry stands and, once confirmed, the result."""
    round_ = access.access_round(request.user, pk)
    progress = services.progress_of(round_)
    return {
        **_round_summary(round_),
        "election_id": round_.election_id,
        "congress_id": round_.election.congress_id,
        "names": [rc.candidate.full_name for rc in round_.names.select_related("candidate").order_by("number")],
        "station_count": round_.station_count,
        "decision": round_.decision,
        "ballots_issued": round_.ballots_issued,
        "present": round_.present,
        "confirmed_at": round_.confirmed_at,
        "progress": {
            "per_station": {str(k): v for k, v in progress.per_station.items()},
            "agreed": progress.agreed,
            "disputed": progress.disputed,
            "resolved": progress.resolved,
            "pending": progress.pending,
        },
        "result": round_.result,
    }


def _sealed(request: HttpRequest, pk: int) -> Round:
    round_ = access.access_round(request.user, pk)
    if not round_.is_sealed or round_.result is None:
        raise Http404
    return round_


@router.get("/rounds/{int:pk}/result", response={200: dict[str, Any], **ERRORS})
def get_result(request: HttpRequest, pk: int) -> Any:
    """A confirmed round's result: the JSON of ``vanphong elections count`` (for delegate elections with
    the officials and alternates added); 404 until the count is confirmed."""
    return _sealed(request, pk).result


@router.get(
    "/rounds/{int:pk}/minutes.pdf",
    response={200: bytes, **ERRORS},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}, "description": "The minutes"}}},
)
def get_minutes_pdf(request: HttpRequest, pk: int) -> Any:
    """The minutes of a confirmed round (biên bản kiểm phiếu) as PDF, in the request's language."""
    round_ = _sealed(request, pk)
    response = HttpResponse(documents.minutes_pdf(round_), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.minutes_filename(round_, "pdf")}"'
    return response
