"""Every write in the counting room: one function per act, one transaction, one audit entry.

Rounds are serialised by locking the round row (``SELECT … FOR UPDATE``; on SQLite the IMMEDIATE
transaction), and every change of state is a conditional update that must change exactly one row, so
two stations or two clicks at once never count a ballot twice nor confirm a round twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.elections import keys, results
from vanphong.elections.models import (
    ABSENCE_EXCLUSIONS,
    EXCLUSIONS_BY_KIND,
    MAX_STATIONS,
    MIN_STATIONS,
    BallotEntry,
    BallotForm,
    Candidate,
    CommitteeMember,
    CommitteeRole,
    Congress,
    CongressKind,
    Election,
    ElectionKind,
    ReconciledBallot,
    ReconciliationStatus,
    Round,
    RoundCandidate,
    RoundReopening,
    RoundStatus,
    Summoned,
)
from vanphong.lib.vntext import fold, name_sort_key, nfc, split_name
from vanphong.rules.ballots import BallotInputError, Base

CONGRESS_FIELDS = ("organization", "name", "term", "kind")
ROUND_FIELDS = ("status", "seats", "alternate_seats", "form", "station_count", "decision", "ballots_issued")


def ballot_form(candidates: int, seats: int) -> str:
    """Strike when there are more candidates than seats, agree otherwise (190 Điều 15, reference §1.1/1.5)."""
    return BallotForm.STRIKE if candidates > seats else BallotForm.AGREE


def _sort_key(full_name: str) -> str:
    return name_sort_key(split_name(full_name))


def _names(lines: str) -> list[tuple[str, str]]:
    """Lines of "Full name" or "Full name; unit", blank lines skipped, NFC, spaces tidied."""
    rows: list[tuple[str, str]] = []
    for line in lines.splitlines():
        name, _sep, unit = line.partition(";")
        name = " ".join(nfc(name).split())
        if name:
            rows.append((name, " ".join(nfc(unit).split())))
    return rows


# --- congress and committee ---------------------------------------------------------------------------


@transaction.atomic
def create_congress(actor: Actor, *, organization: Organization, name: str, term: str, kind: str) -> Congress:
    """Set up a congress (or conference) of a Party body for a term."""
    name, term = " ".join(nfc(name).split()), " ".join(nfc(term).split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the name of the congress.")
    if not term:
        errors["term"] = _("Enter the term, for example 2025–2030.")
    if kind not in CongressKind.values:
        errors["kind"] = _("Choose the kind of congress.")
    if errors:
        raise ValidationError(errors)
    congress = Congress.objects.create(
        organization=organization, name=name, term=term, kind=kind, created_by=actor.account
    )
    audit.record(actor, "elections.congress.create", congress, after=audit.snapshot(congress, CONGRESS_FIELDS))
    return congress


@transaction.atomic
def add_committee_member(
    actor: Actor, congress: Congress, *, person: Person, role: str, station: int | None = None
) -> CommitteeMember:
    """Put a person on the counting committee as its head, a member or the operator of a station."""
    if role not in CommitteeRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == CommitteeRole.OPERATOR:
        if station is None or not 1 <= station <= MAX_STATIONS:
            raise ValidationError(
                {"station": _("An operator needs a station from 1 to {count}.").format(count=MAX_STATIONS)}
            )
    else:
        station = None
    if CommitteeMember.objects.filter(congress=congress, person=person).exists():
        raise ValidationError({"person": _("{name} is already on the counting committee.").format(name=person)})
    if role == CommitteeRole.HEAD and CommitteeMember.objects.filter(congress=congress, role=role).exists():
        raise ValidationError({"role": _("The counting committee already has a head.")})
    if Candidate.objects.filter(election__congress=congress, person=person).exists():
        # 190 Điều 8: the committee is made of people whose names are not on the ballot.
        raise ValidationError({"person": _("A candidate cannot sit on the counting committee.")})
    member = CommitteeMember.objects.create(congress=congress, person=person, role=role, station=station)
    audit.record(
        actor, "elections.committee.add", member, after={"person": person.pk, "role": role, "station": station}
    )
    return member


@transaction.atomic
def remove_committee_member(actor: Actor, member: CommitteeMember) -> None:
    """Take a person off the counting committee (their entries stay, under their name)."""
    before = {"person": member.person_id, "role": member.role, "station": member.station}
    audit.record(actor, "elections.committee.remove", member, before=before)
    member.delete()


# --- the registry: summoned, check-in, exclusions ---------------------------------------------------


@transaction.atomic
def add_summoned(actor: Actor, congress: Congress, lines: str) -> list[Summoned]:
    """Add the official members or delegates summoned, one per line ("Full name" or "Full name; unit")."""
    rows = _names(lines)
    if not rows:
        raise ValidationError({"names": _("Type at least one name, one per line.")})
    created = Summoned.objects.bulk_create(
        Summoned(
            congress=congress,
            full_name=name,
            unit=unit,
            sort_key=_sort_key(name),
            search_text=fold(f"{name} {unit}"),
        )
        for name, unit in rows
    )
    audit.record(
        actor,
        "elections.summoned.add",
        congress,
        after={"added": [name for name, _unit in rows], "summoned": congress.summoned.count()},
    )
    return created


@transaction.atomic
def check_in(actor: Actor, summoned: Summoned) -> Summoned:
    """Mark a person present at the door. Refused twice, and for someone excluded as absent."""
    now = timezone.now()
    changed = (
        Summoned.objects.filter(pk=summoned.pk, checked_in_at__isnull=True)
        .exclude(exclusion__in=ABSENCE_EXCLUSIONS)
        .update(checked_in_at=now, checked_in_by=actor.account)
    )
    if changed != 1:
        summoned.refresh_from_db()
        if summoned.exclusion in ABSENCE_EXCLUSIONS:
            raise ValidationError(
                _("{name} is excluded from the base as absent; remove that exclusion first.").format(
                    name=summoned.full_name
                ),
                code="excluded_absent",
            )
        raise ValidationError(_("{name} is already checked in.").format(name=summoned.full_name), code="twice")
    summoned.checked_in_at, summoned.checked_in_by = now, actor.account
    audit.record(actor, "elections.summoned.check_in", summoned, after={"checked_in_at": now})
    return summoned


@transaction.atomic
def undo_check_in(actor: Actor, summoned: Summoned) -> Summoned:
    """Take back a check-in made by mistake."""
    before = summoned.checked_in_at
    changed = Summoned.objects.filter(pk=summoned.pk, checked_in_at__isnull=False).update(
        checked_in_at=None, checked_in_by=None
    )
    if changed != 1:
        raise ValidationError(_("{name} is not checked in.").format(name=summoned.full_name), code="not_in")
    summoned.checked_in_at = summoned.checked_in_by = None
    audit.record(actor, "elections.summoned.undo_check_in", summoned, before={"checked_in_at": before})
    return summoned


@transaction.atomic
def set_exclusion(actor: Actor, summoned: Summoned, *, code: str, reason: str) -> Summoned:
    """Exclude a person from the base with a category and a reason (or clear it with an empty code)."""
    summoned = Summoned.objects.select_for_update().select_related("congress").get(pk=summoned.pk)
    reason = " ".join(nfc(reason).split())
    if code:
        allowed = EXCLUSIONS_BY_KIND[summoned.congress.kind]
        if code not in allowed:
            raise ValidationError({"exclusion": _("This exclusion does not apply to this kind of congress.")})
        if not reason:
            raise ValidationError({"exclusion_reason": _("Record the reason for the exclusion.")})
        if code in ABSENCE_EXCLUSIONS and summoned.checked_in_at is not None:
            raise ValidationError(
                {"exclusion": _("{name} was checked in, so cannot be excluded as absent.").format(name=summoned)}
            )
    else:
        reason = ""
    before = audit.snapshot(summoned, ("exclusion", "exclusion_reason"))
    summoned.exclusion, summoned.exclusion_reason = code, reason
    summoned.save(update_fields=["exclusion", "exclusion_reason"])
    audit.record_changes(actor, "elections.summoned.exclusion", summoned, before, ("exclusion", "exclusion_reason"))
    return summoned


@dataclass(frozen=True)
class Registry:
    """The registry's figures: summoned, present, and the base with its exclusions by category."""

    summoned: int
    present: int
    exclusions: tuple[tuple[str, int], ...]

    @property
    def base(self) -> Base:
        return Base(summoned=self.summoned, exclusions=self.exclusions)


def registry_of(congress: Congress) -> Registry:
    """The base from the registry (summoned minus exclusions, 190 Điều 30.2-30.3), never from ballots."""
    rows = Summoned.objects.filter(congress=congress)
    by_code = Counter(rows.exclude(exclusion="").values_list("exclusion", flat=True))
    return Registry(
        summoned=rows.count(),
        present=rows.filter(checked_in_at__isnull=False).count(),
        exclusions=tuple(sorted(by_code.items())),
    )


# --- elections and candidates -----------------------------------------------------------------------


@transaction.atomic
def create_election(
    actor: Actor, congress: Congress, *, kind: str, seats: int, alternate_seats: int = 0, sort_order: int = 100
) -> Election:
    """Add an election (executive committee, secretary, delegates…) with its number of seats; a delegate
    election also has alternate seats, filled after the official ones (190 Điều 18)."""
    if kind not in ElectionKind.values:
        raise ValidationError({"kind": _("Choose the election.")})
    if seats < 1:
        raise ValidationError({"seats": _("An election has at least one seat.")})
    if alternate_seats < 0:
        raise ValidationError({"alternate_seats": _("The number of alternate seats cannot be negative.")})
    if alternate_seats and kind != ElectionKind.DELEGATES:
        raise ValidationError(
            {"alternate_seats": _("Only an election of delegates to the higher congress has alternate seats.")}
        )
    election = Election.objects.create(
        congress=congress, kind=kind, seats=seats, alternate_seats=alternate_seats, sort_order=sort_order
    )
    audit.record(
        actor,
        "elections.election.create",
        election,
        after={"kind": kind, "seats": seats, "alternate_seats": alternate_seats},
    )
    return election


def _require_list_open(election: Election) -> None:
    if election.rounds.exists():
        raise ValidationError(_("Voting has started: the list of candidates can no longer change."), code="started")


def _add_to_list(election: Election, names: list[str], field: str = "names") -> list[Candidate]:
    existing = set(election.candidates.values_list("full_name", flat=True))
    twice = sorted({n for n in names if names.count(n) > 1 or n in existing})
    if twice:
        raise ValidationError({field: _("{name} is already on the list.").format(name=twice[0])})
    committee = set(
        CommitteeMember.objects.filter(congress_id=election.congress_id).values_list("person__full_name", flat=True)
    )
    on_committee = sorted(set(names) & committee)
    if on_committee:
        raise ValidationError(
            {field: _("{name} sits on the counting committee and cannot stand.").format(name=on_committee[0])}
        )
    # A name links to the person record only when exactly one active person bears it.
    matches = Counter(Person.objects.filter(full_name__in=names, is_active=True).values_list("full_name", flat=True))
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=[n for n, c in matches.items() if c == 1])}
    return [
        Candidate.objects.create(election=election, full_name=name, sort_key=_sort_key(name), person=people.get(name))
        for name in names
    ]


@transaction.atomic
def add_candidates(actor: Actor, election: Election, lines: str) -> list[Candidate]:
    """Add names to the list, one per line; the list is kept in the Vietnamese alphabetical order."""
    Election.objects.select_for_update().filter(pk=election.pk).first()
    _require_list_open(election)
    names = [name for name, _unit in _names(lines)]
    if not names:
        raise ValidationError({"names": _("Type at least one name, one per line.")})
    created = _add_to_list(election, names)
    audit.record(actor, "elections.candidates.add", election, after={"added": names})
    return created


@transaction.atomic
def remove_candidate(actor: Actor, candidate: Candidate) -> None:
    """Withdraw a name from the list before voting starts."""
    _require_list_open(candidate.election)
    audit.record(actor, "elections.candidates.remove", candidate.election, before={"removed": candidate.full_name})
    candidate.delete()


def _check_stations(station_count: int) -> None:
    if not MIN_STATIONS <= station_count <= MAX_STATIONS:
        raise ValidationError(
            {
                "station_count": _("Use from {low} to {high} stations.").format(low=MIN_STATIONS, high=MAX_STATIONS),
            }
        )


def _create_round(
    actor: Actor, election: Election, *, number: int, seats: int, candidates: list[Candidate], **extra: Any
) -> Round:
    _check_stations(extra["station_count"])
    ordered = sorted(candidates, key=lambda c: (c.sort_key, c.pk))
    round_ = Round.objects.create(
        election=election,
        number=number,
        seats=seats,
        form=ballot_form(len(ordered), seats),
        **extra,
    )
    RoundCandidate.objects.bulk_create(
        RoundCandidate(round=round_, candidate=c, number=i) for i, c in enumerate(ordered, start=1)
    )
    audit.record(
        actor,
        "elections.round.open",
        round_,
        after={**audit.snapshot(round_, ROUND_FIELDS), "number": number, "names": [c.full_name for c in ordered]},
    )
    return round_


@transaction.atomic
def open_first_round(actor: Actor, election: Election, *, station_count: int = MIN_STATIONS) -> Round:
    """Start voting: round 1 with the whole list in alphabetical order; the list is fixed from now on."""
    Election.objects.select_for_update().filter(pk=election.pk).first()
    if election.rounds.exists():
        raise ValidationError(_("The first round is already open."), code="open")
    candidates = list(election.candidates.all())
    if not candidates:
        raise ValidationError(_("Add the candidates first."), code="no_candidates")
    try:
        return _create_round(
            actor,
            election,
            number=1,
            seats=election.seats + election.alternate_seats,
            candidates=candidates,
            station_count=station_count,
            alternate_seats=election.alternate_seats,
        )
    except IntegrityError:
        raise ValidationError(_("The first round is already open."), code="open") from None


# --- ballots: entry, reconciliation, resolution ----------------------------------------------------


def _locked_open(round_: Round) -> Round:
    locked = Round.objects.select_for_update().select_related("election").get(pk=round_.pk)
    if locked.status != RoundStatus.ENTRY:
        raise ValidationError(_("This round is sealed; the head must reopen it first."), code="sealed")
    return locked


def _reconcile(round_: Round, ballot_number: int) -> ReconciledBallot | None:
    contents = list(
        BallotEntry.objects.filter(round=round_, ballot_number=ballot_number).values_list("content", flat=True)
    )
    if len(contents) < round_.station_count:
        return None
    agreed = len(set(contents)) == 1
    status = ReconciliationStatus.AGREED if agreed else ReconciliationStatus.DISPUTED
    reconciled, _created = ReconciledBallot.objects.update_or_create(
        round=round_,
        ballot_number=ballot_number,
        defaults={"status": status, "content": contents[0] if agreed else ""},
    )
    return reconciled


@transaction.atomic
def enter_ballot(actor: Actor, round_: Round, *, station: int, typed: str) -> BallotEntry:
    """One ballot typed at one station (see ``keys``); an existing number is a correction.

    When every station has entered a ballot, it is reconciled: the same content → agreed, otherwise
    disputed for the committee to resolve against the paper.
    """
    round_ = _locked_open(round_)
    if station not in round_.stations:
        raise ValidationError(_("This round has no station {station}.").format(station=station), code="station")
    parsed = keys.parse_typed(typed, form=round_.form, size=round_.names.count())
    number = parsed.ballot_number
    if number is None:
        last = BallotEntry.objects.filter(round=round_, station=station).aggregate(last=Max("ballot_number"))["last"]
        number = (last or 0) + 1
    existing = BallotEntry.objects.filter(round=round_, station=station, ballot_number=number).first()
    if existing is None:
        entry = BallotEntry.objects.create(
            round=round_,
            station=station,
            ballot_number=number,
            content=parsed.content,
            typed=typed.strip()[:400],
            entered_by=actor.account,
        )
        action, before = "elections.ballot.enter", None
    else:
        if ReconciledBallot.objects.filter(
            round=round_, ballot_number=number, status=ReconciliationStatus.RESOLVED
        ).exists():
            raise ValidationError(
                _("Ballot {number} was resolved by the committee and can no longer be corrected.").format(
                    number=number
                ),
                code="resolved",
            )
        before = {"content": existing.content}
        changed = BallotEntry.objects.filter(pk=existing.pk, content=existing.content).update(
            content=parsed.content, typed=typed.strip()[:400], corrections=existing.corrections + 1,
            updated_at=timezone.now(), entered_by=actor.account,
        )  # fmt: skip
        if changed != 1:
            raise ValidationError(_("The ballot changed meanwhile; type it again."), code="race")
        entry = BallotEntry.objects.get(pk=existing.pk)
        action = "elections.ballot.correct"
    reconciled = _reconcile(round_, number)
    audit.record(
        actor,
        action,
        entry,
        before=before,
        after={
            "station": station,
            "ballot_number": number,
            "content": entry.content,
            "reconciled": reconciled.status if reconciled else None,
        },
    )
    return entry


@transaction.atomic
def resolve_ballot(actor: Actor, reconciled: ReconciledBallot, *, typed: str, reason: str) -> ReconciledBallot:
    """The committee's ruling on a disputed ballot, read from the paper, with the reason recorded."""
    round_ = _locked_open(reconciled.round)
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise ValidationError({"reason": _("Record the reason for the ruling.")})
    try:
        content = keys.parse_content(typed, form=round_.form, size=round_.names.count())
    except ValidationError as error:
        raise ValidationError({"ballot": error.messages}) from None
    now = timezone.now()
    changed = ReconciledBallot.objects.filter(pk=reconciled.pk, status=ReconciliationStatus.DISPUTED).update(
        status=ReconciliationStatus.RESOLVED,
        content=content,
        resolution_reason=reason[:255],
        resolved_by=actor.account,
        resolved_at=now,
    )
    if changed != 1:
        raise ValidationError(_("This ballot has already been resolved."), code="resolved")
    reconciled.refresh_from_db()
    versions = dict(
        BallotEntry.objects.filter(round=round_, ballot_number=reconciled.ballot_number).values_list(
            "station", "content"
        )
    )
    audit.record(
        actor,
        "elections.ballot.resolve",
        reconciled,
        before={"stations": {str(k): v for k, v in versions.items()}},
        after={"content": content, "reason": reason},
    )
    return reconciled


@dataclass(frozen=True)
class Progress:
    """Where the entry of a round stands: per station, and reconciled, disputed and pending ballots."""

    per_station: dict[int, int]
    agreed: int
    disputed: int
    resolved: int
    pending: list[int]

    @property
    def counted(self) -> int:
        return self.agreed + self.resolved

    @property
    def ready(self) -> bool:
        return self.counted > 0 and not self.disputed and not self.pending


def progress_of(round_: Round) -> Progress:
    per_station = dict.fromkeys(round_.stations, 0)
    entered: dict[int, int] = {}
    for station, number in BallotEntry.objects.filter(round=round_).values_list("station", "ballot_number"):
        per_station[station] = per_station.get(station, 0) + 1
        entered[number] = entered.get(number, 0) + 1
    statuses = Counter(ReconciledBallot.objects.filter(round=round_).values_list("status", flat=True))
    reconciled = set(ReconciledBallot.objects.filter(round=round_).values_list("ballot_number", flat=True))
    return Progress(
        per_station=per_station,
        agreed=statuses[ReconciliationStatus.AGREED],
        disputed=statuses[ReconciliationStatus.DISPUTED],
        resolved=statuses[ReconciliationStatus.RESOLVED],
        pending=sorted(n for n in entered if n not in reconciled),
    )


# --- confirming, sealing, reopening, next round ------------------------------------------------------


def engine_input(round_: Round) -> dict[str, object]:
    """The round in the JSON shape of ``vanphong elections count``: the list in ballot order, the base
    from the registry and the reconciled ballots (identical ballots grouped with a count)."""
    names = [rc.candidate.full_name for rc in round_.names.select_related("candidate").order_by("number")]
    registry = registry_of(round_.election.congress)
    contents = Counter(
        ReconciledBallot.objects.filter(round=round_)
        .exclude(status=ReconciliationStatus.DISPUTED)
        .values_list("content", flat=True)
    )
    return {
        "seats": round_.seats,
        "form": round_.form,
        "candidates": names,
        "base": {"summoned": registry.summoned, "excluded": dict(registry.exclusions)},
        "ballots": [keys.to_json(content, names, count) for content, count in sorted(contents.items())],
    }


@transaction.atomic
def confirm_round(actor: Actor, round_: Round, *, ballots_issued: int | None = None) -> Round:
    """Count the reconciled ballots with the engine against the registry's base, store the input and the
    result, and seal the round. Refused while a ballot is disputed or not entered by every station."""
    round_ = _locked_open(round_)
    progress = progress_of(round_)
    if progress.disputed:
        raise ValidationError(_("Resolve the disputed ballots first."), code="disputed")
    if progress.pending:
        raise ValidationError(
            _("Ballot {number} has not been entered at every station yet.").format(number=progress.pending[0]),
            code="pending",
        )
    if not progress.counted:
        raise ValidationError(_("No ballot has been entered."), code="empty")
    if ballots_issued is not None and ballots_issued < progress.counted:
        raise ValidationError(
            {"ballots_issued": _("More ballots were collected ({count}) than issued.").format(count=progress.counted)}
        )
    data = engine_input(round_)
    try:
        result = count_result(round_, data)
    except BallotInputError as error:
        raise ValidationError(_("The round cannot be counted: {error}").format(error=error), code="engine") from None
    present = registry_of(round_.election.congress).present
    now = timezone.now()
    changed = Round.objects.filter(pk=round_.pk, status=RoundStatus.ENTRY).update(
        status=RoundStatus.SEALED,
        engine_input=data,
        result=result,
        present=present,
        ballots_issued=ballots_issued,
        confirmed_at=now,
        confirmed_by=actor.account,
    )
    if changed != 1:
        raise ValidationError(_("This round has already been confirmed."), code="confirmed")
    round_.refresh_from_db()
    audit.record(
        actor,
        "elections.round.confirm",
        round_,
        after={"base": data["base"], "result": result, "ballots_issued": ballots_issued, "present": present},
    )
    return round_


@transaction.atomic
def reopen_round(actor: Actor, round_: Round, *, reason: str) -> Round:
    """Open a sealed round again for corrections; the reason and the result it had are kept."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise ValidationError({"reason": _("Record the reason for reopening the round.")})
    if Round.objects.filter(election_id=round_.election_id, number__gt=round_.number).exists():
        raise ValidationError(_("A later round has been prepared; this round can no longer be reopened."))
    previous = round_.result
    changed = Round.objects.filter(pk=round_.pk, status=RoundStatus.SEALED).update(
        status=RoundStatus.ENTRY, result=None, engine_input=None, confirmed_at=None, confirmed_by=None
    )
    if changed != 1:
        raise ValidationError(_("This round is not sealed."), code="not_sealed")
    RoundReopening.objects.create(
        round=round_, reason=reason[:255], reopened_by=actor.account, previous_result=previous
    )
    round_.refresh_from_db()
    audit.record(actor, "elections.round.reopen", round_, before={"result": previous}, after={"reason": reason})
    return round_


@transaction.atomic
def prepare_next_round(
    actor: Actor, round_: Round, *, decision: str, station_count: int | None = None, new_names: str = ""
) -> Round:
    """The further round the congress decided on: the engine's ``next_round`` seats and names (a runoff
    among the tied, or everyone not elected for the seats left), with the decision recorded.

    After a shortfall (not a tie) the congress may add names to the list (244 Điều 20.2); they join
    the election's candidates. Elected candidates never return to a later list.
    """
    round_ = Round.objects.select_for_update().select_related("election").get(pk=round_.pk)
    decision = decision.strip()
    if not decision:
        raise ValidationError({"decision": _("Record what the congress decided.")})
    if round_.status != RoundStatus.SEALED or round_.result is None:
        raise ValidationError(_("Confirm this round first."), code="not_sealed")
    upcoming = round_.result.get("next_round")
    added = [name for name, _unit in _names(new_names)]
    if added and round_.result.get("tie"):
        raise ValidationError({"new_names": _("A runoff after a tie is among the tied candidates only.")})
    if not upcoming or not (upcoming["candidates"] or added):
        raise ValidationError(_("No further round is possible: no seat or no candidate is left."), code="done")
    if added:
        _add_to_list(round_.election, added, field="new_names")
    by_name = {c.full_name: c for c in round_.election.candidates.all()}
    candidates = [by_name[name] for name in [*upcoming["candidates"], *added]]
    try:
        with transaction.atomic():
            return _create_round(
                actor,
                round_.election,
                number=round_.number + 1,
                seats=upcoming["seats"],
                candidates=candidates,
                station_count=station_count or round_.station_count,
                decision=decision,
                alternate_seats=min(upcoming.get("alternate_seats", 0), upcoming["seats"]),
            )
    except IntegrityError:
        raise ValidationError(_("The next round has already been prepared."), code="exists") from None


def count_result(round_: Round, data: dict[str, Any]) -> dict[str, Any]:
    """The result stored for ``round_`` counted from engine input ``data`` (see ``elections.results``)."""
    election = round_.election
    if not election.is_delegates:
        return results.count_stored(data)
    earlier = Round.objects.filter(election=election, number__lt=round_.number, result__isnull=False)
    elected_before: set[str] = set()
    alternates_before = 0
    for r in earlier:
        delegates = (r.result or {}).get("delegates") or {}
        elected_before |= set(delegates.get("officials", [])) | set(delegates.get("alternates", []))
        alternates_before += len(delegates.get("alternates", []))
    open_elsewhere = election.alternate_seats - alternates_before - round_.alternate_seats
    return results.count_delegate_round(
        data,
        alternate_seats=round_.alternate_seats,
        alternates_open_elsewhere=max(open_elsewhere, 0),
        not_yet_elected=[c.full_name for c in election.candidates.all() if c.full_name not in elected_before],
    )


@dataclass(frozen=True)
class ElectionState:
    """Who has been elected so far over the sealed rounds, and what the last round left.

    For a delegate election ``elected`` holds the official delegates and ``alternates`` the alternates,
    each in the order they were elected (round by round, by votes within a round).
    """

    elected: list[tuple[str, int, int]]  # name, votes, round number
    seats_left: int
    last_round: Round | None
    can_continue: bool
    alternates: list[tuple[str, int, int]] = field(default_factory=list)
    alternate_seats_left: int = 0


def election_state(election: Election) -> ElectionState:
    rounds = list(election.rounds.order_by("number"))
    elected: list[tuple[str, int, int]] = []
    alternates: list[tuple[str, int, int]] = []
    for r in rounds:
        if r.result:
            votes = {c["name"]: c["votes"] for c in r.result["candidates"]}
            delegates = r.result.get("delegates")
            if delegates is None:
                elected.extend((name, votes[name], r.number) for name in r.result["elected"])
            else:
                elected.extend((name, votes[name], r.number) for name in delegates["officials"])
                alternates.extend((name, votes[name], r.number) for name in delegates["alternates"])
    last = rounds[-1] if rounds else None
    # A further round is possible while seats are left (the congress may add names if none are left).
    can_continue = bool(last and last.result and last.result.get("next_round"))
    return ElectionState(
        elected=elected,
        seats_left=election.seats - len(elected),
        last_round=last,
        can_continue=can_continue,
        alternates=alternates,
        alternate_seats_left=election.alternate_seats - len(alternates),
    )
