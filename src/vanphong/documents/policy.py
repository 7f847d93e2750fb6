"""Who may see and do what with documents. Built on ``core.policy``; pages, API, CLI and jobs ask here.

* A register is kept by the văn thư: a person with the CLERK role over the register's body. Clerks
  register incoming documents, present them, number and dispatch outgoing ones, and see every
  document of their registers.
* The body's leaders (LEADER, DEPUTY over the body) see its registers and write directions (ý kiến
  chỉ đạo); so does the leader a document was presented to.
* A unit given a part (chủ trì, phối hợp, để biết): its head (HEAD over the unit) passes the document
  to a specialist, and the specialist (the handler) handles it; everyone working in the unit may read
  it, unless it is secret.
* Outgoing drafts: anyone working in the body drafts; the drafter, the approvers of the circuit and
  the signer see the draft.
* Secret documents (Mật and above) are seen only by people whose clearance reaches the level AND who
  have a role in handling that document (clerk of the register, the body's leaders, the leader it was
  presented to, heads of the units given a part, the handler, drafter, approvers, signer): mere
  membership of an assigned unit is not enough. Every view and download of them is audited.
* Nobody else sees a document at all: it answers "not found". The installation administrator has no
  access to documents by that title alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from vanphong.core import policy as core_policy
from vanphong.core.models import Organization, Person, Role
from vanphong.core.policy import ALLOW, DENY, Decision
from vanphong.documents.models import (
    ApprovalStep,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Direction,
    Document,
    Register,
    Secrecy,
    StepState,
)

KEEPER_ROLES = (Role.CLERK,)
LEADER_ROLES = (Role.LEADER, Role.DEPUTY)


@dataclass(frozen=True)
class Reach:
    """What an account can reach, computed once per request: register ids and tree paths."""

    person_id: int | None
    clearance: int
    kept_paths: tuple[str, ...]  # bodies whose registers the account keeps (clerk)
    led_paths: tuple[str, ...]  # bodies the account leads
    headed_paths: tuple[str, ...]  # units the account heads
    own_path: str | None  # where the person works


_CACHE_ATTR = "_vanphong_document_reach"


def reach(account: Any) -> Reach:
    cached: Reach | None = getattr(account, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not core_policy.is_signed_in(account) or account.person_id is None:
        result = Reach(None, 0, (), (), (), None)
    else:
        held = core_policy.held_roles(account)
        person = account.person
        org = person.organization
        result = Reach(
            person_id=account.person_id,
            clearance=person.clearance,
            kept_paths=tuple(h.path for h in held if h.role in KEEPER_ROLES),
            led_paths=tuple(h.path for h in held if h.role in LEADER_ROLES),
            headed_paths=tuple(h.path for h in held if h.role == Role.HEAD),
            own_path=org.path if org is not None else None,
        )
    setattr(account, _CACHE_ATTR, result)
    return result


def forget(account: Any) -> None:
    if hasattr(account, _CACHE_ATTR):
        delattr(account, _CACHE_ATTR)


def ancestor_paths(path: str | None) -> list[str]:
    """``/1/7/42/`` → ``/1/``, ``/1/7/``, ``/1/7/42/``: the units a person works inside."""
    if not path:
        return []
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def registers_kept_by(account: Any) -> list[int]:
    r = reach(account)
    if not r.kept_paths:
        return []
    return list(
        Register.objects.filter(core_policy.paths_q(list(r.kept_paths), "organization__")).values_list("pk", flat=True)
    )


def registers_led_by(account: Any) -> list[int]:
    r = reach(account)
    if not r.led_paths:
        return []
    return list(
        Register.objects.filter(core_policy.paths_q(list(r.led_paths), "organization__")).values_list("pk", flat=True)
    )


def visible_q(account: Any) -> Q:
    """The filter for documents ``account`` may see (see the module docstring)."""
    r = reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    registers = registers_kept_by(account) + registers_led_by(account)
    assignments = Assignment.objects.filter(document=OuterRef("pk")).exclude(state=AssignmentState.CANCELLED)
    handling = (
        Q(register_id__in=registers)
        | Q(presented_to_id=r.person_id)
        | Q(directed_by_id=r.person_id)
        | Q(drafter_id=r.person_id)
        | Q(signer_id=r.person_id)
        | Q(Exists(assignments.filter(handler_id=r.person_id)))
        | Q(Exists(ApprovalStep.objects.filter(document=OuterRef("pk"), approver_id=r.person_id)))
    )
    if r.headed_paths:
        handling |= Q(Exists(assignments.filter(core_policy.paths_q(list(r.headed_paths), "unit__"))))
    query = handling & Q(secrecy__lte=r.clearance)
    ancestors = ancestor_paths(r.own_path)
    if ancestors:
        query |= Q(secrecy=Secrecy.NONE) & Q(Exists(assignments.filter(unit__path__in=ancestors)))
    return query


def _covers(paths: tuple[str, ...], organization: Organization) -> bool:
    return any(organization.path.startswith(p) for p in paths)


def keeps(account: Any, register: Register) -> Decision:
    """The account is a văn thư of this register's body."""
    return core_policy.has_role(account, KEEPER_ROLES, register.organization)


def leads(account: Any, register: Register) -> Decision:
    return core_policy.has_role(account, LEADER_ROLES, register.organization)


def leaders_of(register: Register) -> QuerySet[Person]:
    """The people a document of ``register`` can be presented to: leaders and deputies of its body
    (or of a body above it)."""
    path = register.organization.path
    ancestors = ancestor_paths(path)
    return Person.objects.filter(
        role_grants__role__in=LEADER_ROLES,
        role_grants__revoked_at__isnull=True,
        role_grants__organization__path__in=ancestors,
    ).distinct()


def specialists_of(unit: Organization) -> QuerySet[Person]:
    """The people a unit head can pass a document to: everyone working in the unit."""
    return Person.objects.filter(organization__path__startswith=unit.path, is_active=True)


def secret_mode() -> str:
    return str(settings.SECRET_DOCUMENTS)


def may_hold_secrecy(account: Any, secrecy: int) -> bool:
    """Secret documents exist here only if the installation allows them, and only for the cleared."""
    if secrecy == Secrecy.NONE:
        return True
    if secret_mode() == "off":
        return False
    return reach(account).clearance >= secrecy


# --- incoming -------------------------------------------------------------------------------------------


def can_register(account: Any, register: Register) -> Decision:
    if register.direction != Direction.INCOMING or not register.is_active:
        return DENY
    return keeps(account, register)


def can_present(account: Any, document: Document) -> Decision:
    return keeps(account, document.register)


def can_direct(account: Any, document: Document) -> Decision:
    """Write the direction and assign units: the body's leaders, or the leader it was presented to."""
    if not document.is_incoming:
        return DENY
    if document.presented_to_id is not None and document.presented_to_id == reach(account).person_id:
        return ALLOW
    return leads(account, document.register)


def can_head(account: Any, assignment: Assignment) -> Decision:
    """Act as the head of the unit given a part: pass it to a specialist, report for the unit."""
    return core_policy.has_role(account, (Role.HEAD, Role.LEADER), assignment.unit)


def can_handle(account: Any, assignment: Assignment) -> Decision:
    """Record progress, ask opinions, complete: the handler, or the unit's head."""
    if assignment.handler_id is not None and assignment.handler_id == reach(account).person_id:
        return ALLOW
    return can_head(account, assignment)


def can_complete(account: Any, document: Document) -> Decision:
    """Complete the document with its result: whoever handles the lead unit's part, or a leader."""
    lead = document.assignments.filter(role=AssignmentRole.LEAD).exclude(state=AssignmentState.CANCELLED).first()
    if lead is not None:
        decision = can_handle(account, lead)
        if decision:
            return decision
    return leads(account, document.register)


def can_add_files(account: Any, document: Document) -> Decision:
    if keeps(account, document.register):
        return ALLOW
    person_id = reach(account).person_id
    if document.direction == Direction.OUTGOING and person_id in (document.drafter_id,):
        return ALLOW
    return DENY


# --- outgoing -------------------------------------------------------------------------------------------


def can_draft(account: Any, register: Register) -> Decision:
    """Anyone working in the body (or a unit of it) drafts in its outgoing registers; its clerks too."""
    if register.direction != Direction.OUTGOING or not register.is_active:
        return DENY
    r = reach(account)
    if r.own_path is not None and r.own_path.startswith(register.organization.path):
        return ALLOW
    return keeps(account, register)


def can_edit_draft(account: Any, document: Document) -> Decision:
    if document.direction != Direction.OUTGOING:
        return DENY
    return ALLOW if document.drafter_id == reach(account).person_id else DENY


def can_decide(account: Any, step: ApprovalStep) -> Decision:
    if step.state != StepState.PENDING:
        return DENY
    return ALLOW if step.approver_id == reach(account).person_id else DENY


def can_issue(account: Any, document: Document) -> Decision:
    """Number, date, register and dispatch: the văn thư."""
    if document.direction != Direction.OUTGOING:
        return DENY
    return keeps(account, document.register)


def can_withdraw_number(account: Any, document: Document) -> Decision:
    return can_issue(account, document)
