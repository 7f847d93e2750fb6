"""Who may see and do what with weekly schedules. Built on ``core.policy``; pages, API and jobs ask here.

* The office drafts: a clerk (văn thư), specialist or head working in the drafting office (a role on
  the office or on one of its units) adds, edits and removes events and submits the week; its leaders
  may draft too.
* A leader approves and publishes: LEADER or DEPUTY over the drafting office or over the body whose
  schedule it is (the Chánh Văn phòng, or the body's own leaders), own grant or delegated.
* Every signed-in person reads published schedules (the intranet view); drafts and pending changes
  are seen only by those who draft or approve them. Without signing in, published schedules are
  shown (private events as a placeholder) only when ``VANPHONG_SCHEDULE_PUBLIC`` is on.
* A revision tells the people on each changed event and the heads of the units it names
  (``UNIT_HEAD_ROLES`` held on the unit itself).
* Linked documents are listed only to those who may see the documents themselves.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from vanphong.core import policy as core_policy
from vanphong.core.models import Organization, Role
from vanphong.core.policy import ALLOW, DENY, Decision
from vanphong.schedule.models import WeekSchedule

DRAFTER_ROLES = (Role.CLERK, Role.SPECIALIST, Role.HEAD, Role.LEADER, Role.DEPUTY)
APPROVER_ROLES = (Role.LEADER, Role.DEPUTY)
# Who answers for a unit named on an event (attending or preparing) and is told when a revision
# changes it: the head of an internal unit (Trưởng phòng) or the leader of a body (Giám đốc Sở).
UNIT_HEAD_ROLES = (Role.HEAD, Role.LEADER)


def drafting_paths(account: Any) -> list[str]:
    """Tree paths of the organisations whose schedules the account may draft (their offices)."""
    return [held.path for held in core_policy.held_roles(account) if held.role in DRAFTER_ROLES]


def approving_paths(account: Any) -> list[str]:
    return [held.path for held in core_policy.held_roles(account) if held.role in APPROVER_ROLES]


def works_in_office(account: Any, office: Organization) -> bool:
    """A drafting role on the office, above it, or on one of its units."""
    return any(path.startswith(office.path) or office.path.startswith(path) for path in drafting_paths(account))


def can_draft(account: Any, schedule: WeekSchedule) -> bool:
    return core_policy.is_signed_in(account) and works_in_office(account, schedule.office)


def can_create_for(account: Any, office: Organization) -> bool:
    return core_policy.is_signed_in(account) and works_in_office(account, office)


def can_approve(account: Any, schedule: WeekSchedule) -> Decision:
    """Approve and publish the week or a revision of it."""
    if not core_policy.is_signed_in(account):
        return DENY
    decision = core_policy.has_role(account, APPROVER_ROLES, schedule.office)
    if decision and decision.on_behalf_of is None:
        return decision
    return decision or core_policy.has_role(account, APPROVER_ROLES, schedule.body)


def can_see_drafts(account: Any, schedule: WeekSchedule) -> bool:
    return can_draft(account, schedule) or bool(can_approve(account, schedule))


def can_read_published(account: Any) -> bool:
    return core_policy.is_signed_in(account)


def public_view_on() -> bool:
    return bool(getattr(settings, "SCHEDULE_PUBLIC", False))


__all__ = ["ALLOW", "APPROVER_ROLES", "DENY", "DRAFTER_ROLES", "UNIT_HEAD_ROLES"]
