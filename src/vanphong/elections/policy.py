"""Who may do what in the counting room. Built on ``core.policy``; pages, jobs and tests ask here.

* A congress is set up by the administrators of its body (``core.policy.can_administer``) and by the
  head of its counting committee.
* The counting room of a congress (stations, reconciliation, results, projector, minutes, the registry
  at the door) is seen only by its counting committee (190 Điều 8): everyone else gets "not found",
  administrators included, since the ballots are secret.
* Every committee member checks people in at the door; only the head records exclusions from the base,
  opens rounds, resolves disputed ballots, confirms and seals a round, reopens one, and prepares the
  next round.
* A station operator enters ballots on their own station only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from vanphong.core import policy as core_policy
from vanphong.core.models import Organization
from vanphong.elections.models import CommitteeMember, CommitteeRole, Congress, Round

_CACHE_ATTR = "_vanphong_counting_roles"


def committee_membership(account: Any, congress: Congress) -> CommitteeMember | None:
    """The account's place on the congress's counting committee, cached on the account object."""
    if not core_policy.is_signed_in(account) or account.person_id is None:
        return None
    cache: dict[int, CommitteeMember | None] = getattr(account, _CACHE_ATTR, None) or {}
    if congress.pk not in cache:
        cache[congress.pk] = CommitteeMember.objects.filter(congress=congress, person_id=account.person_id).first()
        setattr(account, _CACHE_ATTR, cache)
    return cache[congress.pk]


def forget(account: Any) -> None:
    """Drop the cached committee places (after the committee changed in the same request)."""
    if hasattr(account, _CACHE_ATTR):
        delattr(account, _CACHE_ATTR)


def is_on_committee(account: Any, congress: Congress) -> bool:
    return committee_membership(account, congress) is not None


def is_head(account: Any, congress: Congress) -> bool:
    member = committee_membership(account, congress)
    return member is not None and member.role == CommitteeRole.HEAD


def can_create_congress(account: Any, organization: Organization) -> bool:
    """Set up a congress of ``organization``: its administrators."""
    return bool(core_policy.can_administer(account, organization))


def can_create_any_congress(account: Any) -> bool:
    return core_policy.is_administrator(account)


def can_view_congress(account: Any, congress: Congress) -> bool:
    """The congress's set-up pages: administrators of its body and its counting committee."""
    return is_on_committee(account, congress) or bool(core_policy.can_administer(account, congress.organization))


def can_manage_congress(account: Any, congress: Congress) -> bool:
    """Elections, candidates, the registry and the committee: administrators of the body and the head,
    until the first round of an election opens (then its list is fixed)."""
    return is_head(account, congress) or bool(core_policy.can_administer(account, congress.organization))


def can_see_counting_room(account: Any, congress: Congress) -> bool:
    return is_on_committee(account, congress)


def can_check_in(account: Any, congress: Congress) -> bool:
    return is_on_committee(account, congress)


def can_decide(account: Any, congress: Congress) -> bool:
    """Exclusions, opening rounds, resolving disputes, confirming, sealing, reopening: the head only."""
    return is_head(account, congress)


def can_enter_on_station(account: Any, round_: Round, station: int) -> bool:
    member = committee_membership(account, round_.election.congress)
    return (
        member is not None
        and member.role == CommitteeRole.OPERATOR
        and member.station == station
        and station in round_.stations
    )


def operator_station(account: Any, congress: Congress) -> int | None:
    member = committee_membership(account, congress)
    return member.station if member is not None and member.role == CommitteeRole.OPERATOR else None


def congresses_q(account: Any, prefix: str = "") -> Q:
    """A filter for the congresses ``account`` may see (at ``prefix``)."""
    if not core_policy.is_signed_in(account):
        return Q(pk__in=[])
    administered = core_policy.administered_q(account, f"{prefix}organization__")
    if account.person_id is None:
        return administered
    return administered | Q(**{f"{prefix}committee__person_id": account.person_id})


def counting_q(account: Any, prefix: str = "") -> Q:
    """A filter for the congresses whose counting room ``account`` may enter."""
    if not core_policy.is_signed_in(account) or account.person_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}committee__person_id": account.person_id})
