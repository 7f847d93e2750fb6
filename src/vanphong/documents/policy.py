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
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from vanphong.core import policy as core_policy
from vanphong.core.models import Organization, Person, Role
from vanphong.core.policy import ALLOW, DENY, Decision
from vanphong.documents.models import (
    ApprovalStep,
    ArchiveFile,
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
    """What an account can reach, computed once per request: tree paths, and on first use the ids of
    the registers it keeps or leads (one query for both)."""

    person_id: int | None
    clearance: int
    kept_paths: tuple[str, ...]  # bodies whose registers the account keeps (clerk)
    led_paths: tuple[str, ...]  # bodies the account leads
    headed_paths: tuple[str, ...]  # units the account heads
    own_path: str | None  # where the person works

    @cached_property
    def _registers(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        paths = self.kept_paths + self.led_paths
        if not paths:
            return (), ()
        rows = Register.objects.filter(core_policy.paths_q(list(paths), "organization__")).values_list(
            "pk", "organization__path"
        )
        kept = tuple(pk for pk, path in rows if path.startswith(self.kept_paths))
        led = tuple(pk for pk, path in rows if path.startswith(self.led_paths))
        return kept, led

    @property
    def kept_register_ids(self) -> tuple[int, ...]:
        return self._registers[0]

    @property
    def led_register_ids(self) -> tuple[int, ...]:
        return self._registers[1]

    @property
    def own_unit_ids(self) -> tuple[int, ...]:
        """The unit the person works in and every unit above it (the ids spell the tree path)."""
        return tuple(int(part) for part in (self.own_path or "").split("/") if part)


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
    return list(reach(account).kept_register_ids)


def registers_led_by(account: Any) -> list[int]:
    return list(reach(account).led_register_ids)


def visible_q(account: Any) -> Q:
    """The filter for documents ``account`` may see (see the module docstring).

    Shaped so that the database never runs a subquery per document (the old correlated EXISTS cost a
    specialist seconds over a million documents): the registers the account keeps or leads are a
    list of ids; the person's own columns on the document (presented to, directed by, drafter,
    signer) and the secrecy are plain comparisons on the row; the parts given to the person or the
    units they head, and their approval steps, are one ``id IN (… UNION ALL …)``, and the parts given
    to the units they work in one ``id IN (…)``, each computed once per query from an index of a
    narrow table (assignment (handler, state) and (unit, state), the step's approver) without
    touching the documents. The person's columns stay out of the subqueries on purpose: once SQLite
    has statistics (ANALYZE) it reads a column that is mostly empty, or shared by a few leaders, as
    unselective and would scan the whole table to build the list, where a test on the row is free.
    """
    r = reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    person = r.person_id
    open_parts = Assignment.objects.exclude(state=AssignmentState.CANCELLED).order_by()
    mine = open_parts.filter(handler_id=person).values("document_id")
    also: list[QuerySet[Any, Any]] = [ApprovalStep.objects.filter(approver_id=person).order_by().values("document_id")]
    if r.headed_paths:
        headed_units = Organization.objects.filter(core_policy.paths_q(list(r.headed_paths), "")).order_by()
        also.append(open_parts.filter(unit_id__in=headed_units.values("pk")).values("document_id"))
    handling = (
        Q(presented_to_id=person)
        | Q(directed_by_id=person)
        | Q(drafter_id=person)
        | Q(signer_id=person)
        | Q(pk__in=mine.union(*also, all=True))
    )
    registers = r.kept_register_ids + r.led_register_ids
    if registers:
        handling |= Q(register_id__in=registers)
    query = handling & Q(secrecy__lte=r.clearance)
    if r.own_unit_ids:
        # Working in a unit given a part (or in a unit below it) shows the document, unless it is secret.
        in_my_units = open_parts.filter(unit_id__in=r.own_unit_ids).values("document_id")
        query |= Q(secrecy=Secrecy.NONE, pk__in=in_my_units)
    return query


def handled_ids(account: Any) -> QuerySet[Any, Any] | None:
    """The ids of every document ``account`` could see through its handling alone, read from indexes,
    or None when it keeps or leads a register (then it sees most documents and no list is shorter).

    A superset of what :func:`visible_q` admits for such an account (the secrecy test stays there):
    search starts from these few ids instead of testing every document, which is what makes a
    specialist's search cost what his own documents cost, not what the registers hold.
    """
    r = reach(account)
    if r.person_id is None:
        return Document.objects.none().values("pk")
    if r.kept_register_ids or r.led_register_ids:
        return None
    person = r.person_id
    open_parts = Assignment.objects.exclude(state=AssignmentState.CANCELLED).order_by()
    parts: list[QuerySet[Any, Any]] = [
        Document.objects.filter(**{column: person}).order_by().values("pk")
        for column in ("presented_to_id", "directed_by_id", "drafter_id", "signer_id")
    ]
    parts.append(open_parts.filter(handler_id=person).values("document_id"))
    parts.append(ApprovalStep.objects.filter(approver_id=person).order_by().values("document_id"))
    if r.headed_paths:
        headed_units = Organization.objects.filter(core_policy.paths_q(list(r.headed_paths), "")).order_by()
        parts.append(open_parts.filter(unit_id__in=headed_units.values("pk")).values("document_id"))
    if r.own_unit_ids:
        parts.append(open_parts.filter(unit_id__in=r.own_unit_ids).values("document_id"))
    return parts[0].union(*parts[1:], all=True)


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


def can_open_files(account: Any, document: Document) -> Decision:
    """Files of an incoming copy its sender recalled are withheld (the copy is "destroyed" for its readers,
    Decree 30 and QCVN 102 recall); only an administrator over the register's body who may see the
    document still opens them, for an audit, and each opening is recorded."""
    if not (document.is_incoming and document.status == "recalled"):
        return ALLOW
    return core_policy.can_administer(account, document.register.organization)


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


# --- archive files (hồ sơ, Decree 30 Art. 28–31) ----------------------------------------------------------


def can_manage_file_lists(account: Any, organization: Organization) -> Decision:
    """Draft the body's yearly file list, add files to it, record hand-overs: its văn thư and leaders."""
    return core_policy.has_role(account, KEEPER_ROLES + LEADER_ROLES, organization)


def can_approve_file_list(account: Any, organization: Organization) -> Decision:
    """The head of the body approves the list (Decree 30 Art. 28); its leaders here."""
    return core_policy.has_role(account, LEADER_ROLES, organization)


def can_fill_file(account: Any, archive_file: ArchiveFile) -> Decision:
    """Open a file, put documents in it, take them out, close it: its handler and the head of its unit."""
    person_id = reach(account).person_id
    if person_id is not None and archive_file.handler_id == person_id:
        return ALLOW
    return core_policy.has_role(account, (Role.HEAD, *LEADER_ROLES), archive_file.unit)


def can_reopen_file(account: Any, archive_file: ArchiveFile) -> Decision:
    """Reopen a closed file not yet handed over: whoever may close it (its handler, the head of its unit,
    the body's leaders)."""
    return can_fill_file(account, archive_file)


def can_hold_back(account: Any, archive_file: ArchiveFile) -> Decision:
    """Let the unit keep a closed file past its hand-over day (giữ lại): the head of the body must consent
    (Decree 30 Art. 30 para. 2); its leaders here, as for approving the file list."""
    return can_approve_file_list(account, archive_file.file_list.organization)


def fillable_files_q(account: Any) -> Q:
    """The files ``can_fill_file`` allows, as a filter (for the "put in a file" choice)."""
    r = reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    return Q(handler_id=r.person_id) | core_policy.paths_q(list(r.headed_paths + r.led_paths), "unit__")


def can_hand_over(account: Any, archive_file: ArchiveFile) -> Decision:
    """Record that the agency archive received the file: the body's văn thư (who keeps its archive)."""
    return core_policy.has_role(account, KEEPER_ROLES, archive_file.file_list.organization)


def file_lists_visible_q(account: Any, prefix: str = "") -> Q:
    """File lists of the bodies the account keeps or leads."""
    r = reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    return core_policy.paths_q(list(r.kept_paths + r.led_paths), f"{prefix}organization__")


def archive_files_visible_q(account: Any) -> Q:
    """Files ``account`` may open: those of lists it manages, its own, its units' (as head or member).
    The documents inside are still filtered one by one with ``visible_q``."""
    r = reach(account)
    if r.person_id is None:
        return Q(pk__in=[])
    query = file_lists_visible_q(account, "file_list__") | Q(handler_id=r.person_id)
    if r.headed_paths:
        query |= core_policy.paths_q(list(r.headed_paths), "unit__")
    ancestors = ancestor_paths(r.own_path)
    if ancestors:
        query |= Q(unit__path__in=ancestors)
    return query
