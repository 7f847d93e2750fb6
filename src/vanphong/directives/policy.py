"""Who may see and do what with tasks. Built on ``core.policy``; pages, API, jobs and other modules ask here.

* **Assign**: the leaders and deputies (LEADER, DEPUTY) over the assigning body. The office's văn thư
  (CLERK over the body) may record a task in the name of one of those leaders (a meeting's conclusions
  are entered by the office, not by the chair).
* **See** a task: its assigner; the leaders and deputies over the assigning body; whoever holds any role
  (leader, deputy, head, specialist, clerk) over its lead or a coordinating unit, or over a unit above
  them (a role covers its subtree); the people who work in the lead or a coordinating unit itself; the
  handler. An account of an outside body (a district, a department) holds a role on its own body only,
  so it sees only that body's tasks. Administrators see nothing by that title alone.
* **Report progress**: the handler; anyone who sees the task through the lead or a coordinating unit.
* **Break down, propose completion, ask for an extension**: the handler (not for break-down) and the
  heads, leaders and deputies over the lead unit. A reporting account (a specialist role) only reports.
* **Decide** (accept or return a completion, approve or refuse an extension, cancel): the assigner, and
  the leaders and deputies over the assigning body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from vanphong.core import policy as core_policy
from vanphong.core.models import Organization, Person, Role
from vanphong.core.policy import ALLOW, DENY, Decision
from vanphong.directives.models import OPEN_STATES, Task, TaskEvent, TaskEventKind, TaskState, TaskUnit
from vanphong.documents.policy import ancestor_paths

LEADER_ROLES = (Role.LEADER, Role.DEPUTY)
UNIT_ROLES = (Role.LEADER, Role.DEPUTY, Role.HEAD, Role.SPECIALIST, Role.CLERK)
HEAD_ROLES = (Role.HEAD, Role.LEADER, Role.DEPUTY)


@dataclass(frozen=True)
class Reach:
    """What an account reaches among tasks, computed once per request."""

    person_id: int | None
    org_id: int | None
    own_path: str  # where the person works ("" when nowhere)
    led_paths: tuple[str, ...]  # bodies led (assigning bodies whose tasks they see and decide)
    unit_paths: tuple[str, ...]  # subtrees where they hold any working role
    headed_paths: tuple[str, ...]  # subtrees they head, lead or deputise


_CACHE_ATTR = "_vanphong_task_reach"


def reach(account: Any) -> Reach:
    cached: Reach | None = getattr(account, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not core_policy.is_signed_in(account) or account.person_id is None:
        result = Reach(None, None, "", (), (), ())
    else:
        held = core_policy.held_roles(account)
        result = Reach(
            person_id=account.person_id,
            org_id=account.person.organization_id,
            own_path=account.person.organization.path if account.person.organization_id else "",
            led_paths=tuple(h.path for h in held if h.role in LEADER_ROLES),
            unit_paths=tuple(h.path for h in held if h.role in UNIT_ROLES),
            headed_paths=tuple(h.path for h in held if h.role in HEAD_ROLES),
        )
    setattr(account, _CACHE_ATTR, result)
    return result


def forget(account: Any) -> None:
    if hasattr(account, _CACHE_ATTR):
        delattr(account, _CACHE_ATTR)


def _units_q(paths: tuple[str, ...], org_id: int | None) -> Q | None:
    """Tasks whose lead or a coordinating unit lies under ``paths`` (or is ``org_id``)."""
    if not paths and org_id is None:
        return None
    units = Organization.objects.filter(core_policy.paths_q(list(paths), "")).order_by().values("pk")
    query = Q()
    if paths:
        coordinated = TaskUnit.objects.filter(unit_id__in=units).order_by().values("task_id")
        query |= Q(lead_unit_id__in=units) | Q(pk__in=coordinated)
    if org_id is not None:
        query |= Q(lead_unit_id=org_id) | Q(pk__in=TaskUnit.objects.filter(unit_id=org_id).values("task_id"))
    return query


def visible_q(account: Any) -> Q:
    """The filter for tasks ``account`` may see (see the module docstring). Each branch is a plain
    comparison on the row or one ``IN (subquery)`` over an index, never a subquery per task."""
    r = reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    query = Q(assigned_by_id=r.person_id) | Q(handler_id=r.person_id)
    if r.led_paths:
        bodies = Organization.objects.filter(core_policy.paths_q(list(r.led_paths), "")).order_by().values("pk")
        query |= Q(assigning_body_id__in=bodies)
    units = _units_q(r.unit_paths, r.org_id)
    if units is not None:
        query |= units
    return query


def _is_member(account: Any, unit: Organization) -> bool:
    r = reach(account)
    return r.org_id == unit.pk or any(unit.path.startswith(p) for p in r.unit_paths)


def can_see(account: Any, task: Task) -> bool:
    """The Python twin of ``visible_q`` for a task already loaded (with its coordinating units)."""
    r = reach(account)
    if r.person_id is None:
        return False
    if r.person_id in (task.assigned_by_id, task.handler_id):
        return True
    if any(task.assigning_body.path.startswith(p) for p in r.led_paths):
        return True
    return any(_is_member(account, unit) for unit in [task.lead_unit, *task.coordinating_units.all()])


def can_assign(account: Any, body: Organization, assigned_by: Person | None = None) -> Decision:
    """Assign tasks in the name of ``body``: its leaders and deputies, or its văn thư recording for one."""
    decision = core_policy.has_role(account, LEADER_ROLES, body)
    if decision:
        return decision
    if assigned_by is not None and core_policy.has_role(account, (Role.CLERK,), body):
        leads = any(held.role in LEADER_ROLES and body.path.startswith(held.path) for held in _grants_of(assigned_by))
        return ALLOW if leads else DENY
    return DENY


def _grants_of(person: Person) -> list[core_policy.HeldRole]:
    from vanphong.core.models import RoleGrant

    return [
        core_policy.HeldRole(g.role, g.organization_id, g.organization.path)
        for g in RoleGrant.objects.filter(person=person, revoked_at__isnull=True).select_related("organization")
    ]


def assigning_bodies_q(account: Any) -> Q:
    """Bodies in whose name the account may assign (for the form's choice)."""
    r = reach(account)
    if r.person_id is None or not r.led_paths:
        return Q(pk__in=[])
    return core_policy.paths_q(list(r.led_paths), "")


def can_decide(account: Any, task: Task) -> Decision:
    """Accept or return a completion, approve or refuse an extension, cancel: the assigner or the body's leaders."""
    if task.assigned_by_id is not None and task.assigned_by_id == reach(account).person_id:
        return ALLOW
    return core_policy.has_role(account, LEADER_ROLES, task.assigning_body)


def proposed_by(task: Task) -> set[int]:
    """Who proposed the completion now awaiting a decision: the person who acted and, under a delegation,
    the person they acted for. Empty unless the task is proposed."""
    if task.state != TaskState.PROPOSED:
        return set()
    latest = (
        TaskEvent.objects.filter(task=task, kind=TaskEventKind.PROPOSED)
        .order_by("-pk")
        .values_list("actor_id", "on_behalf_of_id")
        .first()
    )
    return {pk for pk in latest or () if pk is not None}


def own_proposal(account: Any, task: Task) -> bool:
    """Four eyes: whoever proposed the completion does not accept or return it (a leader above the lead unit
    may propose for it, but someone else who may decide then settles the proposal)."""
    person = reach(account).person_id
    return person is not None and person in proposed_by(task)


def can_head(account: Any, task: Task) -> Decision:
    """Act for the lead unit: break the task down, propose completion, ask for more time. As with
    documents, a leader over the unit (its body's head, e.g. the Chánh Văn phòng over Phòng Tổng hợp)
    may act for it; whoever proposes completion then leaves accepting or returning it to someone else who
    may decide (``own_proposal``, four eyes)."""
    return core_policy.has_role(account, HEAD_ROLES, task.lead_unit)


def answers_for(account: Any, task: Task) -> Decision:
    """The handler, or a head, leader or deputy over the lead unit: who speaks for the lead unit."""
    if task.handler_id is not None and task.handler_id == reach(account).person_id:
        return ALLOW
    return can_head(account, task)


def can_propose(account: Any, task: Task) -> Decision:
    """Offer "propose completion": the task is being worked on and the account answers for it (the
    service checks ``answers_for`` and then the state under the row lock, so a second click gets
    "someone acted first" rather than a refusal)."""
    if task.state not in (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED):
        return DENY
    return answers_for(account, task)


def can_request_extension(account: Any, task: Task) -> Decision:
    if task.state not in OPEN_STATES or task.deadline is None:
        return DENY
    if task.handler_id is not None and task.handler_id == reach(account).person_id:
        return ALLOW
    return can_head(account, task)


def can_break_down(account: Any, task: Task) -> Decision:
    if task.state not in OPEN_STATES or task.state == TaskState.PROPOSED:
        return DENY
    return can_head(account, task)


def _works_in(account: Any, unit: Organization) -> bool:
    """Works in ``unit`` (or below it), or holds a role on it or on a unit below it. A leader of a body
    above the unit sees its tasks but does not report for it."""
    r = reach(account)
    if r.own_path and r.own_path.startswith(unit.path):
        return True
    return any(p.startswith(unit.path) for p in r.unit_paths)


def reporting_unit(account: Any, task: Task) -> Organization | None:
    """The unit in whose name the account reports on ``task`` (lead unit first), or None if it may not."""
    if task.state not in OPEN_STATES or task.state == TaskState.PROPOSED:
        return None
    if task.handler_id is not None and task.handler_id == reach(account).person_id:
        return task.lead_unit
    for unit in [task.lead_unit, *task.coordinating_units.all()]:
        if _works_in(account, unit):
            return unit
    return None


def can_report(account: Any, task: Task) -> Decision:
    return ALLOW if reporting_unit(account, task) is not None else DENY


def ancestors_of(unit: Organization) -> list[str]:
    return ancestor_paths(unit.path)
