"""Who may open which counting-room page: one table, every page of the ``elections`` namespace.

* anonymous: a redirect to the login page with ``next``;
* allowed: 200, or 302 after a successful POST;
* sees the congress or the counting room but may not do the act: 403;
* outside (not an administrator of the body, not on the counting committee): 404; the counting room
  itself is 404 for administrators too, since the ballots are the committee's alone;
* a method the view does not take: 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from vanphong.core.models import Account
from vanphong.elections import services
from vanphong.elections.models import CommitteeMember, ReconciledBallot, Round, Summoned
from vanphong.elections.tests.conftest import Counting
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db

LOGIN = -302


@dataclass
class World:
    counting: Counting
    open_round: Round  # executive committee, round 1: ballot 1 agreed, ballot 2 disputed
    sealed_round: Round  # inspection committee, round 1 confirmed: nobody elected, a further round possible
    fresh_election_pk: int  # the secretary: one candidate, voting not started
    fresh_candidate_pk: int
    summoned_pk: int
    checked_in_pk: int

    def account(self, persona: str) -> Account | None:
        c = self.counting
        accounts = {
            "admin": c.admin,
            "head": c.head,
            "member": c.member,
            "operator1": c.operator1,
            "operator2": c.operator2,
            "outsider": c.outsider,
        }
        return accounts.get(persona)


@pytest.fixture
def world(counting: Counting) -> World:
    open_round = counting.open_round()
    counting.enter(open_round, ["1", "2"], stations=(1,))
    counting.enter(open_round, ["1", "3"], stations=(2,))
    fresh = services.create_election(SYSTEM, counting.congress, kind="secretary", seats=1)
    (candidate,) = services.add_candidates(SYSTEM, fresh, "Võ Thị Sáu")
    inspection = services.create_election(SYSTEM, counting.congress, kind="inspection_committee", seats=1)
    services.add_candidates(SYSTEM, inspection, "Lê Văn Tám\nTrần Văn Ba")
    sealed = services.open_first_round(SYSTEM, inspection)
    counting.enter(sealed, ["1"])
    services.confirm_round(counting.actor(counting.head), sealed)
    people = list(Summoned.objects.filter(congress=counting.congress))
    services.check_in(SYSTEM, people[1])
    return World(counting, open_round, sealed, fresh.pk, candidate.pk, people[0].pk, people[1].pk)


UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    name: str
    url: UrlFor
    persona: str
    method: str
    expected: int
    data: DataFor | None = None
    before: Callable[[World], None] | None = None

    def id(self) -> str:
        return f"{self.name}-{self.persona}-{self.method}-{self.expected}"


def u(name: str, arg: Callable[[World], Any] | None = None, *more: Any) -> UrlFor:
    return lambda w: reverse(f"elections:{name}", args=[arg(w), *more] if arg else [])


def congress(w: World) -> int:
    return w.counting.congress.pk


def election(w: World) -> int:
    return w.counting.election.pk


def fresh_election(w: World) -> int:
    return w.fresh_election_pk


def open_round(w: World) -> int:
    return w.open_round.pk


def fresh_round(w: World) -> int:
    fresh = w.counting.congress.elections.get(pk=w.fresh_election_pk)
    return services.open_first_round(SYSTEM, fresh).pk


def sealed_round(w: World) -> int:
    return w.sealed_round.pk


def member_row(w: World) -> int:
    return CommitteeMember.objects.get(congress=w.counting.congress, person=w.counting.member.person).pk


def disputed(w: World) -> int:
    return ReconciledBallot.objects.get(round=w.open_round, status="disputed").pk


def resolve_dispute(w: World) -> None:
    reconciled = ReconciledBallot.objects.get(round=w.open_round, status="disputed")
    services.resolve_ballot(w.counting.actor(w.counting.head), reconciled, typed="2", reason="Giấy ghi số 2")


def rows(name: str, url: UrlFor, expectations: dict[str, int], method: str = "GET", **extra: Any) -> list[Case]:
    return [Case(name, url, persona, method, status, **extra) for persona, status in expectations.items()]


CONGRESS_FORM: DataFor = lambda w: {  # noqa: E731
    "organization": w.counting.office.province_party.pk,
    "name": "Đại hội Chi bộ Phòng Tổng hợp",
    "term": "2025–2027",
    "kind": "members",
}
COMMITTEE_FORM: DataFor = lambda w: {"person": w.counting.office.specialist.person.pk, "role": "member"}  # type: ignore[union-attr]  # noqa: E731
ELECTION_FORM: DataFor = lambda w: {"kind": "standing_committee", "seats": 3, "sort_order": 20}  # noqa: E731
NAMES: DataFor = lambda w: {"names": "Đinh Văn Mới"}  # noqa: E731
STATIONS: DataFor = lambda w: {"station_count": 2}  # noqa: E731
EXCLUSION: DataFor = lambda w: {"exclusion": "suspended", "exclusion_reason": "Đình chỉ sinh hoạt"}  # noqa: E731
RESOLVE: DataFor = lambda w: {f"b{disputed(w)}-ballot": "2", f"b{disputed(w)}-reason": "Giấy ghi số 2"}  # noqa: E731
ENTRY: DataFor = lambda w: {"typed": "4"}  # noqa: E731
REASON: DataFor = lambda w: {"reason": "Nhập nhầm"}  # noqa: E731
NEXT: DataFor = lambda w: {"decision": "Bầu lại", "station_count": 2}  # noqa: E731

PAGE_CASES: list[Case] = [
    *rows("congress_list", u("congress_list"), {"anonymous": LOGIN, "admin": 200, "head": 200, "outsider": 200}),
    *rows("congress_list", u("congress_list"), {"admin": 405}, method="POST"),
    *rows("congress_create", u("congress_create"), {"anonymous": LOGIN, "admin": 200, "head": 403}),
    *rows("congress_create", u("congress_create"), {"admin": 302, "head": 403}, method="POST", data=CONGRESS_FORM),
    *rows("congress_create", u("congress_create"), {"admin": 405}, method="PUT"),
    *rows(
        "congress_detail",
        u("congress_detail", congress),
        {"anonymous": LOGIN, "admin": 200, "head": 200, "member": 200, "operator1": 200, "outsider": 404},
    ),
    *rows("congress_detail", u("congress_detail", congress), {"head": 405}, method="POST"),
    *rows(
        "committee_add",
        u("committee_add", congress),
        {"anonymous": LOGIN, "admin": 200, "head": 200, "member": 403, "outsider": 404},
    ),
    *rows("committee_add", u("committee_add", congress), {"admin": 302}, method="POST", data=COMMITTEE_FORM),
    *rows("committee_add", u("committee_add", congress), {"admin": 405}, method="PUT"),
    *rows(
        "committee_remove",
        u("committee_remove", member_row),
        {"anonymous": LOGIN, "admin": 302, "member": 403, "outsider": 404},
        method="POST",
    ),
    *rows("committee_remove", u("committee_remove", member_row), {"admin": 405}),
    *rows(
        "election_create",
        u("election_create", congress),
        {"anonymous": LOGIN, "admin": 200, "member": 403, "outsider": 404},
    ),
    *rows("election_create", u("election_create", congress), {"head": 302}, method="POST", data=ELECTION_FORM),
    *rows("election_create", u("election_create", congress), {"head": 405}, method="PUT"),
    *rows(
        "election_detail",
        u("election_detail", election),
        {"anonymous": LOGIN, "admin": 200, "member": 200, "outsider": 404},
    ),
    *rows("election_detail", u("election_detail", election), {"head": 405}, method="POST"),
    *rows(
        "candidates_add",
        u("candidates_add", fresh_election),
        {"anonymous": LOGIN, "admin": 302, "member": 403, "outsider": 404},
        method="POST",
        data=NAMES,
    ),
    *rows("candidates_add", u("candidates_add", election), {"head": 400}, method="POST", data=NAMES),
    *rows("candidates_add", u("candidates_add", fresh_election), {"admin": 405}),
    *rows(
        "candidate_remove",
        lambda w: reverse("elections:candidate_remove", args=[w.fresh_candidate_pk]),
        {"anonymous": LOGIN, "head": 302, "member": 403, "outsider": 404},
        method="POST",
    ),
    *rows(
        "candidate_remove", lambda w: reverse("elections:candidate_remove", args=[w.fresh_candidate_pk]), {"head": 405}
    ),
    *rows(
        "round_open",
        u("round_open", fresh_election),
        {"anonymous": LOGIN, "head": 302, "member": 403, "admin": 404, "outsider": 404},
        method="POST",
        data=STATIONS,
    ),
    *rows("round_open", u("round_open", fresh_election), {"head": 405}),
    *rows(
        "registry",
        u("registry", congress),
        {"anonymous": LOGIN, "head": 200, "operator1": 200, "admin": 404, "outsider": 404},
    ),
    *rows("registry", u("registry", congress), {"head": 405}, method="POST"),
    *rows(
        "summoned_add",
        u("summoned_add", congress),
        {"anonymous": LOGIN, "head": 200, "member": 403, "admin": 404},
    ),
    *rows("summoned_add", u("summoned_add", congress), {"head": 302}, method="POST", data=NAMES),
    *rows("summoned_add", u("summoned_add", congress), {"head": 405}, method="PUT"),
    *rows(
        "check_in",
        lambda w: reverse("elections:check_in", args=[w.summoned_pk]),
        {"anonymous": LOGIN, "operator1": 302, "member": 302, "admin": 404, "outsider": 404},
        method="POST",
    ),
    *rows("check_in", lambda w: reverse("elections:check_in", args=[w.summoned_pk]), {"head": 405}),
    *rows(
        "undo_check_in",
        lambda w: reverse("elections:undo_check_in", args=[w.checked_in_pk]),
        {"anonymous": LOGIN, "member": 302, "admin": 404},
        method="POST",
    ),
    *rows("undo_check_in", lambda w: reverse("elections:undo_check_in", args=[w.checked_in_pk]), {"head": 405}),
    *rows(
        "exclusion",
        lambda w: reverse("elections:exclusion", args=[w.summoned_pk]),
        {"anonymous": LOGIN, "head": 200, "member": 403, "admin": 404},
    ),
    *rows(
        "exclusion",
        lambda w: reverse("elections:exclusion", args=[w.summoned_pk]),
        {"head": 302, "member": 403},
        method="POST",
        data=EXCLUSION,
    ),
    *rows("exclusion", lambda w: reverse("elections:exclusion", args=[w.summoned_pk]), {"head": 405}, method="PUT"),
    *rows(
        "round_detail",
        u("round_detail", open_round),
        {"anonymous": LOGIN, "head": 200, "member": 200, "operator2": 200, "admin": 404, "outsider": 404},
    ),
    *rows("round_detail", u("round_detail", open_round), {"head": 405}, method="POST"),
    *rows(
        "station",
        u("station", open_round, 1),
        {"anonymous": LOGIN, "operator1": 200, "operator2": 403, "head": 403, "admin": 404, "outsider": 404},
    ),
    *rows("station", u("station", open_round, 3), {"operator1": 404}),
    *rows("station", u("station", open_round, 1), {"operator1": 302, "operator2": 403}, method="POST", data=ENTRY),
    *rows("station", u("station", open_round, 1), {"operator1": 405}, method="PUT"),
    *rows(
        "reconcile",
        u("reconcile", open_round),
        {"anonymous": LOGIN, "head": 200, "member": 200, "admin": 404, "outsider": 404},
    ),
    *rows("reconcile", u("reconcile", open_round), {"head": 405}, method="POST"),
    *rows(
        "resolve",
        u("resolve", disputed),
        {"anonymous": LOGIN, "head": 302, "member": 403, "admin": 404, "outsider": 404},
        method="POST",
        data=RESOLVE,
    ),
    *rows("resolve", u("resolve", disputed), {"head": 405}),
    *rows(
        "round_confirm",
        u("round_confirm", open_round),
        {"anonymous": LOGIN, "head": 302, "member": 403, "admin": 404},
        method="POST",
        before=resolve_dispute,
    ),
    *rows("round_confirm", u("round_confirm", open_round), {"head": 400}, method="POST"),  # a ballot is disputed
    *rows("round_confirm", u("round_confirm", open_round), {"head": 405}),
    *rows(
        "round_reopen",
        u("round_reopen", sealed_round),
        {"anonymous": LOGIN, "head": 302, "member": 403, "admin": 404},
        method="POST",
        data=REASON,
    ),
    *rows("round_reopen", u("round_reopen", sealed_round), {"head": 405}),
    *rows(
        "round_next",
        u("round_next", sealed_round),
        {"anonymous": LOGIN, "head": 302, "member": 403, "admin": 404},
        method="POST",
        data=NEXT,
    ),
    *rows("round_next", u("round_next", sealed_round), {"head": 405}),
    *rows(
        "projector",
        u("projector", sealed_round),
        {"anonymous": LOGIN, "member": 200, "operator1": 200, "admin": 404, "outsider": 404},
    ),
    *rows("projector", u("projector", sealed_round), {"head": 405}, method="POST"),
    *rows(
        "minutes",
        u("minutes", sealed_round),
        {"anonymous": LOGIN, "head": 200, "member": 200, "admin": 404, "outsider": 404},
    ),
    *rows("minutes", u("minutes", sealed_round), {"head": 405}, method="POST"),
    *rows(
        "minutes_docx",
        u("minutes_docx", sealed_round),
        {"anonymous": LOGIN, "head": 200, "operator1": 200, "admin": 404, "outsider": 404},
    ),
    *rows("minutes_docx", u("minutes_docx", open_round), {"head": 404}),  # not confirmed yet
    *rows("minutes_docx", u("minutes_docx", sealed_round), {"head": 405}, method="POST"),
    *rows(
        "minutes_pdf",
        u("minutes_pdf", sealed_round),
        {"anonymous": LOGIN, "member": 200, "admin": 404, "outsider": 404},
    ),
    *rows("minutes_pdf", u("minutes_pdf", open_round), {"head": 404}),  # not confirmed yet
    *rows("minutes_pdf", u("minutes_pdf", sealed_round), {"head": 405}, method="POST"),
    *rows(
        "ballots_pdf",
        u("ballots_pdf", open_round),
        {"anonymous": LOGIN, "operator2": 200, "admin": 404, "outsider": 404},
    ),
    *rows("ballots_pdf", u("ballots_pdf", open_round), {"head": 405}, method="POST"),
    *rows(
        "ballot_paper",
        u("ballot_paper", open_round),
        {"anonymous": LOGIN, "head": 200, "member": 200, "admin": 404, "outsider": 404},
    ),
    *rows("ballot_paper", u("ballot_paper", fresh_round), {"member": 200}),  # the agree form
    *rows("ballot_paper", u("ballot_paper", open_round), {"head": 405}, method="POST"),
    *rows(
        "entry_log",
        u("entry_log", open_round),
        {"anonymous": LOGIN, "head": 200, "operator2": 200, "admin": 404, "outsider": 404},
    ),
    *rows("entry_log", u("entry_log", open_round), {"head": 405}, method="POST"),
]


@pytest.mark.parametrize("case", PAGE_CASES, ids=Case.id)
def test_permission_matrix(case: Case, world: World, client: Client) -> None:
    account = world.account(case.persona)
    if account is not None:
        client.force_login(account)
    if case.before is not None:
        case.before(world)
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = client.generic(case.method, url, data=_encode(data), content_type="application/x-www-form-urlencoded")
    if case.expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("core:login")
        assert parse_qs(location.query)["next"] == [urlsplit(url).path]
    else:
        assert response.status_code == case.expected, response.content[:800]


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def _election_url_names() -> set[str]:
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "elections":
            return {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
    raise AssertionError("the elections URLs are not included")


def test_every_page_has_rows_for_anonymous_signed_in_and_wrong_method() -> None:
    names = _election_url_names()
    assert len(names) >= 25
    covered = {case.name for case in PAGE_CASES}
    assert names - covered == set(), "pages without a row in the permission matrix"
    for name in names:
        cases = [case for case in PAGE_CASES if case.name == name]
        assert any(c.persona == "anonymous" for c in cases), f"{name}: no row for an anonymous visitor"
        assert any(c.expected in (200, 302) and c.persona != "anonymous" for c in cases), f"{name}: no allowed row"
        assert any(c.expected == 405 for c in cases), f"{name}: no wrong-method row"
    assert covered - names == set(), "rows for pages that no longer exist"
