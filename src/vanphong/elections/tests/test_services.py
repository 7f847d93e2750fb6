"""The counting room's services: registry and base, lists, entry and reconciliation, confirmation,
sealing and reopening, further rounds; every act audited."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vanphong.core.models import AuditEntry
from vanphong.elections import keys, services
from vanphong.elections.models import (
    BallotEntry,
    BallotForm,
    CommitteeRole,
    Exclusion,
    ReconciledBallot,
    ReconciliationStatus,
    RoundReopening,
    RoundStatus,
    Summoned,
)
from vanphong.elections.tests.conftest import Counting
from vanphong.rules.ballots import Base, Round, StrikeBallot, count_round, parse_round
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """These tests match the services' messages by their English source text; the installation's
    default language (Vietnamese) would otherwise translate them."""
    with translation.override("en"):
        yield


def names_of(round_: object) -> list[str]:
    return [rc.candidate.full_name for rc in round_.names.select_related("candidate")]  # type: ignore[attr-defined]


# --- keys -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "form", "expected"),
    [
        ("3 1", "strike", "s:1,3"),
        ("2,4", "strike", "s:2,4"),
        ("0", "strike", "s:"),
        ("k1", "strike", "x:not_issued"),
        ("K 4", "agree", "x:other"),
        ("0", "agree", "a:d=;n="),
        ("2", "agree", "a:d=2;n="),
        ("2 / 1", "agree", "a:d=2;n=1"),
        ("/ 3", "agree", "a:d=;n=3"),
    ],
)
def test_keys_make_canonical_content(typed: str, form: str, expected: str) -> None:
    assert keys.parse_content(typed, form=form, size=4) == expected


@pytest.mark.parametrize(
    ("typed", "form", "code"),
    [
        ("", "strike", "empty"),
        ("5", "strike", "bad_number"),
        ("2 2", "strike", "twice"),
        ("a", "strike", "bad_key"),
        ("k7", "strike", "bad_invalid_key"),
        ("1 / 2", "strike", "slash_on_strike"),
        ("2 / 2", "agree", "both"),
    ],
)
def test_keys_refuse_what_cannot_be_on_a_ballot(typed: str, form: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        keys.parse_content(typed, form=form, size=4)
    assert caught.value.code == code


def test_a_number_before_a_colon_is_the_ballot_number() -> None:
    assert keys.parse_typed("17: 2", form="strike", size=4) == keys.Typed(17, "s:2")
    assert keys.parse_typed("2", form="strike", size=4) == keys.Typed(None, "s:2")


def test_content_becomes_the_engines_ballot() -> None:
    names = ["A", "B", "C"]
    assert keys.to_json("s:2", names, 3) == {"keep": ["A", "C"], "count": 3}
    assert keys.to_json("a:d=1;n=3", names, 1) == {"marks": {"A": "disagree", "B": "agree", "C": "none"}, "count": 1}
    assert keys.to_json("x:marked", names, 2) == {"invalid": "marked", "count": 2}


def test_the_form_follows_candidates_and_seats() -> None:
    assert services.ballot_form(4, 3) == BallotForm.STRIKE
    assert services.ballot_form(3, 3) == BallotForm.AGREE
    assert services.ballot_form(1, 1) == BallotForm.AGREE
    assert services.ballot_form(2, 1) == BallotForm.STRIKE


# --- registry -------------------------------------------------------------------------------------------


def test_the_base_is_summoned_minus_exclusions_and_check_in_counts_the_present(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    people = list(Summoned.objects.filter(congress=counting.congress))
    assert [p.full_name for p in people][:2] == ["Nguyễn Văn An", "Trần Thị Bích"]  # An, Bích: Vietnamese order
    services.check_in(actor, people[0])
    services.check_in(actor, people[1])
    with pytest.raises(ValidationError) as twice:
        services.check_in(actor, people[0])
    assert twice.value.code == "twice"
    services.set_exclusion(actor, people[5], code=Exclusion.ABSENT_APPROVED, reason="Ốm, có đơn")
    services.set_exclusion(actor, people[6], code=Exclusion.TEMPORARY_TRANSFER, reason="Sinh hoạt tạm thời nơi khác")
    registry = services.registry_of(counting.congress)
    assert (registry.summoned, registry.present, registry.base.value) == (11, 2, 9)
    assert dict(registry.exclusions) == {"absent_approved": 1, "temporary_transfer": 1}
    with pytest.raises(ValidationError) as absent:
        services.check_in(actor, people[5])
    assert absent.value.code == "excluded_absent"
    services.undo_check_in(actor, people[1])
    assert services.registry_of(counting.congress).present == 1


def test_exclusions_are_checked_against_presence_kind_and_reason(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    person = Summoned.objects.filter(congress=counting.congress).first()
    assert person is not None
    services.check_in(actor, person)
    with pytest.raises(ValidationError, match="checked in"):
        services.set_exclusion(actor, person, code=Exclusion.EXEMPT_ABSENT, reason="Miễn sinh hoạt")
    with pytest.raises(ValidationError, match="kind of congress"):
        services.set_exclusion(actor, person, code=Exclusion.DELEGATE_ABSENT_NO_ALTERNATE, reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.set_exclusion(actor, person, code=Exclusion.SUSPENDED, reason="  ")
    services.set_exclusion(actor, person, code=Exclusion.SUSPENDED, reason="Đình chỉ sinh hoạt")
    services.set_exclusion(actor, person, code="", reason="")
    person.refresh_from_db()
    assert (person.exclusion, person.exclusion_reason) == ("", "")


# --- lists and rounds -----------------------------------------------------------------------------------


def test_the_list_is_alphabetical_the_vietnamese_way_and_fixed_once_voting_starts(counting: Counting) -> None:
    round_ = counting.open_round()
    assert names_of(round_) == ["Nguyễn Thị Ánh", "Trần Văn Ba", "Võ Thị Sáu", "Lê Văn Tám"]
    assert round_.form == BallotForm.STRIKE and round_.seats == 3
    with pytest.raises(ValidationError, match="Voting has started"):
        services.add_candidates(SYSTEM, counting.election, "Đinh Văn Mới")
    with pytest.raises(ValidationError):
        services.open_first_round(SYSTEM, counting.election)


def test_a_committee_member_cannot_stand_and_a_candidate_cannot_count(counting: Counting) -> None:
    with pytest.raises(ValidationError, match="counting committee"):
        services.add_candidates(SYSTEM, counting.election, counting.head.person.full_name)  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="already on the list"):
        services.add_candidates(SYSTEM, counting.election, "Lê Văn Tám")


def test_an_operator_needs_a_station_and_the_committee_one_head(counting: Counting) -> None:
    office = counting.office
    with pytest.raises(ValidationError):
        services.add_committee_member(SYSTEM, counting.congress, person=office.specialist.person, role="operator")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="already has a head"):
        services.add_committee_member(SYSTEM, counting.congress, person=office.specialist.person, role="head")  # type: ignore[arg-type]
    member = services.add_committee_member(
        SYSTEM,
        counting.congress,
        person=office.specialist.person,  # type: ignore[arg-type]
        role=CommitteeRole.OPERATOR,
        station=3,
    )
    assert member.station == 3


# --- entry and reconciliation ----------------------------------------------------------------------------


def test_stations_that_agree_give_a_reconciled_ballot_and_a_disagreement_is_flagged(counting: Counting) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["1", "2 3"], stations=(1,))
    assert not ReconciledBallot.objects.filter(round=round_).exists()  # station 2 has not entered yet
    counting.enter(round_, ["1", "3"], stations=(2,))
    one, two = ReconciledBallot.objects.filter(round=round_).order_by("ballot_number")
    assert (one.status, one.content) == (ReconciliationStatus.AGREED, "s:1")
    assert (two.status, two.content) == (ReconciliationStatus.DISPUTED, "")
    progress = services.progress_of(round_)
    assert (progress.agreed, progress.disputed, progress.per_station) == (1, 1, {1: 1 * 2, 2: 2})

    # Station 2 corrects its typo by typing the ballot number: the ballot now agrees.
    services.enter_ballot(counting.actor(counting.operator2), round_, station=2, typed="2: 2 3")
    two.refresh_from_db()
    assert (two.status, two.content) == (ReconciliationStatus.AGREED, "s:2,3")
    corrected = BallotEntry.objects.get(round=round_, station=2, ballot_number=2)
    assert corrected.corrections == 1
    assert AuditEntry.objects.filter(action="elections.ballot.correct").count() == 1


def test_the_head_resolves_a_dispute_against_the_paper_with_a_reason(counting: Counting) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["1"], stations=(1,))
    counting.enter(round_, ["4"], stations=(2,))
    disputed = ReconciledBallot.objects.get(round=round_)
    with pytest.raises(ValidationError) as no_reason:
        services.resolve_ballot(counting.actor(counting.head), disputed, typed="1", reason=" ")
    assert "reason" in no_reason.value.message_dict
    services.resolve_ballot(counting.actor(counting.head), disputed, typed="1", reason="Phiếu gạch tên số 1")
    disputed.refresh_from_db()
    assert (disputed.status, disputed.content, disputed.resolved_by) == ("resolved", "s:1", counting.head)
    entry = AuditEntry.objects.get(action="elections.ballot.resolve")
    assert entry.before == {"stations": {"1": "s:1", "2": "s:4"}}
    assert entry.after == {"content": "s:1", "reason": "Phiếu gạch tên số 1"}
    with pytest.raises(ValidationError, match="already been resolved"):
        services.resolve_ballot(counting.actor(counting.head), disputed, typed="4", reason="again")
    with pytest.raises(ValidationError, match="resolved by the committee"):
        services.enter_ballot(counting.actor(counting.operator1), round_, station=1, typed="1: 2")


def test_an_unknown_station_is_refused(counting: Counting) -> None:
    round_ = counting.open_round()
    with pytest.raises(ValidationError):
        services.enter_ballot(counting.actor(counting.operator1), round_, station=3, typed="1")


# --- confirmation, sealing, reopening ----------------------------------------------------------------------


def test_confirm_counts_with_the_engine_against_the_registry_base(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    services.set_exclusion(
        actor,
        Summoned.objects.filter(congress=counting.congress).last(),  # type: ignore[arg-type]
        code=Exclusion.SUSPENDED,
        reason="Đình chỉ sinh hoạt",
    )
    round_ = counting.open_round()
    # Names: 1 Ánh, 2 Ba, 3 Sáu, 4 Tám. Eight ballots, one ruled invalid, one with every name struck.
    ballots = ["4", "4", "3", "4", "4", "2", "k1", "1 2 3 4"]
    counting.enter(round_, ballots)
    with pytest.raises(ValidationError, match="More ballots"):
        services.confirm_round(actor, round_, ballots_issued=5)
    sealed = services.confirm_round(actor, round_, ballots_issued=9)
    assert sealed.status == RoundStatus.SEALED and sealed.confirmed_by == counting.head
    assert sealed.engine_input["base"] == {"summoned": 11, "excluded": {"suspended": 1}}  # type: ignore[index]
    result = sealed.result
    assert result is not None
    assert result == count_round(parse_round(sealed.engine_input)).as_dict()
    assert result["base"] == 10 and result["votes_needed"] == 6
    assert result["ballots"] == {
        "collected": 8,
        "valid": 6,
        "invalid": 2,
        "invalid_by_reason": {"no_name_kept": 1, "not_issued": 1},
    }
    votes = {c["name"]: c["votes"] for c in result["candidates"]}
    assert votes == {"Nguyễn Thị Ánh": 6, "Trần Văn Ba": 5, "Võ Thị Sáu": 5, "Lê Văn Tám": 2}
    assert result["elected"] == ["Nguyễn Thị Ánh"]
    assert result["next_round"] == {"seats": 2, "candidates": ["Trần Văn Ba", "Võ Thị Sáu", "Lê Văn Tám"]}
    # Sealed: no entry, no second confirmation.
    with pytest.raises(ValidationError, match="sealed"):
        services.enter_ballot(counting.actor(counting.operator1), round_, station=1, typed="1")
    with pytest.raises(ValidationError, match="sealed"):
        services.confirm_round(actor, round_)
    assert AuditEntry.objects.filter(action="elections.round.confirm", object_id=str(round_.pk)).count() == 1


def test_confirm_is_refused_while_ballots_are_disputed_or_pending(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    round_ = counting.open_round()
    with pytest.raises(ValidationError, match="No ballot"):
        services.confirm_round(actor, round_)
    counting.enter(round_, ["1", "2"], stations=(1,))
    counting.enter(round_, ["1"], stations=(2,))
    with pytest.raises(ValidationError, match="Ballot 2"):
        services.confirm_round(actor, round_)
    counting.enter(round_, ["3"], stations=(2,))
    with pytest.raises(ValidationError, match="disputed"):
        services.confirm_round(actor, round_)


def test_reopening_needs_a_reason_keeps_the_old_result_and_allows_corrections(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    round_ = counting.open_round()
    counting.enter(round_, ["4"] * 6)
    sealed = services.confirm_round(actor, round_)
    old = sealed.result
    with pytest.raises(ValidationError):
        services.reopen_round(actor, round_, reason="")
    reopened = services.reopen_round(actor, round_, reason="Phiếu số 6 nhập nhầm")
    assert reopened.status == RoundStatus.ENTRY and reopened.result is None
    assert RoundReopening.objects.get(round=round_).previous_result == old
    services.enter_ballot(counting.actor(counting.operator1), round_, station=1, typed="6: 0")
    services.enter_ballot(counting.actor(counting.operator2), round_, station=2, typed="6: 0")
    again = services.confirm_round(actor, round_)
    assert again.result is not None and again.result != old
    with pytest.raises(ValidationError, match="not sealed"):
        services.reopen_round(actor, services.open_first_round(SYSTEM, election_with_one(counting)), reason="x")


def election_with_one(counting: Counting):  # type: ignore[no-untyped-def]
    election = services.create_election(SYSTEM, counting.congress, kind="secretary", seats=1)
    services.add_candidates(SYSTEM, election, "Võ Thị Sáu")
    return election


# --- further rounds -----------------------------------------------------------------------------------------


def test_a_tie_leads_to_a_runoff_among_the_tied_for_the_seats_left(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    round_ = counting.open_round()
    # Ánh 8, Ba 7, Sáu 7, Tám 7 (base 11, 6 needed): Ánh elected, three tied for the 2 seats left.
    counting.enter(round_, ["1", "1", "2", "2", "3", "3", "4", "4", "4", "2 3"])
    result = services.confirm_round(actor, round_).result
    assert result is not None
    assert result["elected"] == ["Nguyễn Thị Ánh"]
    assert result["tie"] == {"candidates": ["Trần Văn Ba", "Võ Thị Sáu", "Lê Văn Tám"], "seats": 2}
    with pytest.raises(ValidationError):
        services.prepare_next_round(actor, round_, decision="")
    runoff = services.prepare_next_round(actor, round_, decision="Đại hội biểu quyết bầu lại", station_count=3)
    assert (runoff.number, runoff.seats, runoff.form, runoff.station_count) == (2, 2, "strike", 3)
    assert names_of(runoff) == ["Trần Văn Ba", "Võ Thị Sáu", "Lê Văn Tám"]
    with pytest.raises(ValidationError, match="later round"):
        services.reopen_round(actor, round_, reason="x")
    with pytest.raises(ValidationError, match="already been prepared"):
        services.prepare_next_round(actor, round_, decision="again")
    state = services.election_state(counting.election)
    assert state.elected == [("Nguyễn Thị Ánh", 8, 1)] and state.seats_left == 2 and state.last_round == runoff


def test_elected_candidates_leave_the_list_of_a_shortfall_round(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    round_ = counting.open_round()
    counting.enter(round_, ["4"] * 6 + ["1 2 3"] * 2)  # Ánh, Ba, Sáu: 6 each → 3 elected, done
    result = services.confirm_round(actor, round_).result
    assert result is not None and result["seats_left"] == 0 and result["next_round"] is None
    with pytest.raises(ValidationError, match="No further round"):
        services.prepare_next_round(actor, round_, decision="Tiếp tục")


def test_a_single_name_uses_the_agree_form(counting: Counting) -> None:
    election = election_with_one(counting)
    round_ = services.open_first_round(SYSTEM, election)
    assert round_.form == BallotForm.AGREE
    counting.enter(round_, ["0"] * 5 + ["1"] + ["/1"])
    result = services.confirm_round(counting.actor(counting.head), round_).result
    assert result is not None
    assert result["candidates"][0]["votes"] == 5 and result["elected"] == []  # 5 of 11 is not more than half
    assert result["ballots"]["invalid_by_reason"] == {"box_error": 1}


def test_every_act_is_audited(counting: Counting) -> None:
    round_ = counting.open_round()
    counting.enter(round_, ["1"])
    services.confirm_round(counting.actor(counting.head), round_)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "elections.congress.create",
        "elections.committee.add",
        "elections.summoned.add",
        "elections.election.create",
        "elections.candidates.add",
        "elections.round.open",
        "elections.ballot.enter",
        "elections.round.confirm",
    } <= actions


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_confirm_equals_counting_every_ballot_one_by_one(counting: Counting, seed: int) -> None:
    """Grouping identical reconciled ballots never changes the count: an oracle builds each ballot
    separately from what was typed and the engine counts those."""
    rng = random.Random(seed)
    round_ = counting.open_round()
    typed = []
    for _ in range(25):
        kind = rng.random()
        if kind < 0.1:
            typed.append(rng.choice(["k1", "k2", "k3", "k4"]))
        else:
            struck = rng.sample(range(1, 5), rng.randint(0, 4))
            typed.append(" ".join(map(str, struck)) or "0")
    counting.enter(round_, typed)
    result = services.confirm_round(counting.actor(counting.head), round_).result
    names = names_of(round_)
    ballots = []
    for line in typed:
        if line.startswith("k"):
            ballots.append(keys.to_ballot(keys.parse_content(line, form="strike", size=4), names))
        else:
            struck = {int(n) for n in line.split() if n != "0"}
            ballots.append(StrikeBallot(keep=tuple(n for i, n in enumerate(names, 1) if i not in struck)))
    oracle = count_round(Round(seats=3, form="strike", candidates=tuple(names), base=Base(11), ballots=tuple(ballots)))
    assert result == oracle.as_dict()
    assert oracle.ballots.collected == 25


def test_after_a_shortfall_the_congress_may_add_names_but_not_to_a_runoff(counting: Counting) -> None:
    actor = counting.actor(counting.head)
    round_ = counting.open_round()
    counting.enter(round_, ["3 4"] * 6 + ["1 2 3 4"] * 5)
    result = services.confirm_round(actor, round_).result  # Ánh and Ba 6: elected; one seat left
    assert result is not None and result["elected"] == ["Nguyễn Thị Ánh", "Trần Văn Ba"] and result["tie"] is None
    with pytest.raises(ValidationError, match="already on the list"):
        services.prepare_next_round(actor, round_, decision="Bổ sung", new_names="Lê Văn Tám")
    upcoming = services.prepare_next_round(actor, round_, decision="Bổ sung người", new_names="Đinh Văn Mới")
    assert names_of(upcoming) == ["Đinh Văn Mới", "Võ Thị Sáu", "Lê Văn Tám"]  # Mới, Sáu, Tám
    assert upcoming.seats == 1 and upcoming.form == "strike"
    entry = AuditEntry.objects.filter(action="elections.round.open").order_by("-seq").first()
    assert entry is not None and entry.after is not None and entry.after["decision"] == "Bổ sung người"
