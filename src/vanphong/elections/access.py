"""Reads with permission for the counting room: each helper returns the object or raises.

Http404 when the person may not see the object at all (its existence is not revealed); PermissionDenied
when they see it but may not do the asked-for act. The rules are in ``elections.policy``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from vanphong.core.models import Organization
from vanphong.elections import policy
from vanphong.elections.models import (
    Candidate,
    CommitteeMember,
    Congress,
    Election,
    ReconciledBallot,
    Round,
    Summoned,
)


def congresses_visible_to(user: Any) -> QuerySet[Congress]:
    """The congresses a person may open: those of bodies they administer and those they count."""
    return Congress.objects.filter(pk__in=Congress.objects.filter(policy.congresses_q(user)).values("pk"))


def congresses_counted_by(user: Any) -> QuerySet[Congress]:
    """The congresses whose counting room a person may enter (their counting committee)."""
    return Congress.objects.filter(policy.counting_q(user)).distinct()


def organizations_for_new_congress(user: Any) -> QuerySet[Organization]:
    from vanphong.core import policy as core_policy

    return Organization.objects.active().filter(core_policy.administered_q(user)).order_by("path")


def access_congress(user: Any, pk: int, *, write: bool = False) -> Congress:
    """A congress's set-up pages; ``write``: change its elections, lists, registry or committee."""
    congress = Congress.objects.select_related("organization").filter(pk=pk).first()
    if congress is None or not policy.can_view_congress(user, congress):
        raise Http404
    if write and not policy.can_manage_congress(user, congress):
        raise PermissionDenied
    return congress


def access_counting_room(user: Any, pk: int, *, decide: bool = False, check_in: bool = False) -> Congress:
    """The counting room of a congress: its committee only (404 for everyone else);
    ``decide`` needs the head, ``check_in`` any member."""
    congress = Congress.objects.select_related("organization").filter(pk=pk).first()
    if congress is None or not policy.can_see_counting_room(user, congress):
        raise Http404
    if decide and not policy.can_decide(user, congress):
        raise PermissionDenied
    if check_in and not policy.can_check_in(user, congress):
        raise PermissionDenied
    return congress


def access_election(user: Any, pk: int, *, write: bool = False, decide: bool = False) -> Election:
    election = Election.objects.select_related("congress", "congress__organization").filter(pk=pk).first()
    if election is None:
        raise Http404
    access_congress(user, election.congress_id, write=write)
    if decide:
        access_counting_room(user, election.congress_id, decide=True)
    return election


def access_candidate(user: Any, pk: int) -> Candidate:
    """A name on a list, for withdrawing it (managers of the congress)."""
    candidate = Candidate.objects.select_related("election", "election__congress").filter(pk=pk).first()
    if candidate is None:
        raise Http404
    access_congress(user, candidate.election.congress_id, write=True)
    return candidate


def access_committee_member(user: Any, pk: int) -> CommitteeMember:
    member = CommitteeMember.objects.select_related("congress", "person").filter(pk=pk).first()
    if member is None:
        raise Http404
    access_congress(user, member.congress_id, write=True)
    return member


def access_summoned(user: Any, pk: int, *, exclude: bool = False) -> Summoned:
    """A person on the registry: checked in by any committee member; excluded by the head."""
    summoned = Summoned.objects.select_related("congress").filter(pk=pk).first()
    if summoned is None:
        raise Http404
    access_counting_room(user, summoned.congress_id, decide=exclude, check_in=True)
    return summoned


def access_round(user: Any, pk: int, *, decide: bool = False) -> Round:
    """A round in the counting room; ``decide``: confirm, reopen, resolve, prepare the next (the head)."""
    round_ = Round.objects.select_related("election", "election__congress").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    access_counting_room(user, round_.election.congress_id, decide=decide)
    return round_


def access_station(user: Any, pk: int, station: int) -> Round:
    """A station of a round: 404 outside the committee or for a station the round does not have;
    403 for a committee member who does not operate that station."""
    round_ = access_round(user, pk)
    if station not in round_.stations:
        raise Http404
    if not policy.can_enter_on_station(user, round_, station):
        raise PermissionDenied
    return round_


def access_reconciled(user: Any, pk: int) -> ReconciledBallot:
    """A disputed ballot, for the head's ruling."""
    reconciled = ReconciledBallot.objects.select_related("round").filter(pk=pk).first()
    if reconciled is None:
        raise Http404
    access_round(user, reconciled.round_id, decide=True)
    return reconciled
