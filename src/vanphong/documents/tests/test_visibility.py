"""Who sees which document (``policy.visible_q``), pinned case by case and checked against the rules
of ``documents.policy`` evaluated in Python over every person and document of a small office.

The filter is built for the database's indexes (ids of registers, one ``id IN (… UNION ALL …)`` for
the parts and approval steps); these tests hold it to the same answers as the rules read plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from vanphong.core import policy as core_policy
from vanphong.core.models import Account, Organization, OrgKind, Role
from vanphong.core.services import roles
from vanphong.documents import access, policy
from vanphong.documents.models import ApprovalStep, Assignment, AssignmentState, Document, Secrecy
from vanphong.documents.services import incoming, outgoing
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.testing import SYSTEM, make_account, make_org, make_person

pytestmark = pytest.mark.django_db


@dataclass
class Flow:
    """The Party office's desk with documents at the stages that decide who sees them."""

    desk: Desk
    team: Organization  # Tổ Thư ký, a team inside Phòng Tổng hợp
    team_member: Account  # works in Tổ Thư ký, no role, no clearance
    cleared_member: Account  # works in Phòng Tổng hợp, cleared for Tối mật, no role
    fresh: Document  # registered, not yet presented: the văn thư and the leaders only
    public: Document  # directed to Phòng Tổng hợp (chủ trì), not secret
    secret: Document  # Mật, directed to Phòng Tổng hợp and passed to its specialist
    moved: Document  # first given to Phòng Hành chính - Tổ chức, then redirected to Phòng Tổng hợp
    draft: Document  # an outgoing draft of the specialist, Phòng Tổng hợp's head reviewing it

    def people(self) -> dict[str, Account]:
        office = self.desk.office
        return {
            "clerk": office.clerk,  # văn thư of the Party office, cleared for Mật
            "chief": office.chief,  # Chánh Văn phòng: leads the register's body, cleared for Tối mật
            "deputy": office.deputy,  # Phó Chánh Văn phòng
            "head": self.desk.head,  # Trưởng phòng Tổng hợp, cleared for Mật
            "handler": self.desk.handler,  # chuyên viên Phòng Tổng hợp, cleared for Mật
            "uncleared": office.uncleared,  # works in Phòng Tổng hợp, no clearance, no role
            "cleared_member": self.cleared_member,
            "team_member": self.team_member,
            "other_head": self.desk.other_head,  # Trưởng phòng Hành chính - Tổ chức
            "party_admin": office.party_admin,  # administers the Tỉnh ủy, works in the Party office
            "specialist": office.specialist,  # chuyên viên of Sở Nội vụ, another body altogether
            "state_clerk": self.desk.state_clerk,  # văn thư of UBND tỉnh: keeps other registers
            "admin": office.root_admin,  # the installation administrator
        }

    def documents(self) -> dict[str, Document]:
        names = ("fresh", "public", "secret", "moved", "draft")
        return {name: getattr(self, name) for name in names}


@pytest.fixture
def flow(desk: Desk) -> Flow:
    office = desk.office
    clerk, chief = desk.actor(office.clerk), desk.actor(office.chief)
    team = make_org("Tổ Thư ký", "TTK", kind=OrgKind.INTERNAL_UNIT, parent=desk.unit)
    team_member = make_account(make_person("Trịnh Văn Khoa", team), "tothuky")
    cleared_member = make_account(make_person("Cao Thị Yến", desk.unit, clearance=2), "chuyenvienmat")

    def arrive(symbol: str, **extra: object) -> Document:
        return incoming.register_incoming(clerk, register_sample(desk, number_symbol=symbol, **extra))

    def to_unit(document: Document, unit: Organization) -> None:
        incoming.direct(chief, document, incoming.DirectionData(text="Nghiên cứu, tham mưu.", lead_unit=unit))

    fresh = arrive("101/UBND-VX")
    public = arrive("102/UBND-VX", abstract="V/v báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW")
    to_unit(public, desk.unit)
    secret = arrive("12-CV/BNCTU", secrecy=Secrecy.MAT, abstract="V/v bảo vệ bí mật nhà nước năm 2026")
    to_unit(secret, desk.unit)
    lead = secret.assignments.get(state=AssignmentState.OPEN)
    incoming.forward(desk.actor(desk.head), lead, handler=desk.handler.person)  # type: ignore[arg-type]
    moved = arrive("103/UBND-VX", abstract="V/v rà soát tiêu chuẩn chức danh công chức")
    to_unit(moved, desk.other_unit)
    to_unit(moved, desk.unit)
    draft = outgoing.create_draft(
        desk.actor(desk.handler),
        outgoing.DraftData(
            register=desk.outgoing,
            document_type=desk.type("party", "cong_van"),
            abstract="Về việc báo cáo công tác bảo vệ bí mật nhà nước",
            content="Văn phòng Tỉnh ủy báo cáo như sau...",
            signer=office.chief.person,  # type: ignore[arg-type]
            signer_position="Chánh Văn phòng",
            drafting_unit=desk.unit,
            recipients=[outgoing.RecipientData(name="Ban Thường vụ Tỉnh ủy", organization=office.province_party)],
        ),
    )
    outgoing.submit(desk.actor(desk.handler), draft, reviewer=desk.head.person, office_checker=None)
    return Flow(desk, team, team_member, cleared_member, fresh, public, secret, moved, draft)


def visible(account: Account) -> set[int]:
    core_policy.forget(account)
    policy.forget(account)
    return set(Document.objects.filter(policy.visible_q(account)).values_list("pk", flat=True))


def names_seen(flow: Flow, account: Account) -> set[str]:
    ids = visible(account)
    return {name for name, document in flow.documents().items() if document.pk in ids}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("clerk", {"fresh", "public", "secret", "moved", "draft"}),  # keeps both registers, cleared for Mật
        ("chief", {"fresh", "public", "secret", "moved", "draft"}),  # leads the body; signs the draft
        ("deputy", {"fresh", "public", "secret", "moved", "draft"}),  # leads the body too, cleared for Mật
        ("head", {"public", "secret", "moved", "draft"}),  # heads the unit given the parts; reviews the draft
        ("handler", {"public", "secret", "moved", "draft"}),  # handles the secret one, drafted the draft
        ("uncleared", {"public", "moved"}),  # works in the unit: what is not secret
        ("cleared_member", {"public", "moved"}),  # clearance alone is not a role: not the secret one
        ("team_member", {"public", "moved"}),  # works in a team inside the unit
        ("other_head", set()),  # his unit's part in ``moved`` was cancelled by the new direction
        ("party_admin", set()),  # works above the unit, administers: neither gives documents
        ("specialist", set()),  # another body altogether
        ("state_clerk", set()),  # keeps UBND's registers, not the Party office's
        ("admin", set()),  # the installation administrator sees no document by that title
    ],
)
def test_who_sees_which_document(flow: Flow, persona: str, sees: set[str]) -> None:
    assert names_seen(flow, flow.people()[persona]) == sees


def test_secret_needs_the_clearance_as_well_as_the_role(flow: Flow) -> None:
    """The head and the handler see the Mật document through their parts; without the clearance they do
    not, whatever the role; the unit's part still shows its public documents to the uncleared."""
    head = flow.desk.head
    assert flow.secret.pk in visible(head)
    head.person.clearance = 0  # type: ignore[union-attr]
    head.person.save(update_fields=["clearance"])  # type: ignore[union-attr]
    head.refresh_from_db()
    assert flow.secret.pk not in visible(head)
    assert flow.public.pk in visible(head)


def test_a_head_sees_what_a_unit_below_his_was_given_and_a_member_above_does_not(flow: Flow) -> None:
    chief = flow.desk.actor(flow.desk.office.chief)
    given_to_team = incoming.register_incoming(
        flow.desk.actor(flow.desk.office.clerk), register_sample(flow.desk, number_symbol="104/UBND-VX")
    )
    incoming.direct(chief, given_to_team, incoming.DirectionData(text="Tổ Thư ký tổng hợp.", lead_unit=flow.team))
    assert given_to_team.pk in visible(flow.desk.head)  # heads Phòng Tổng hợp, the team is inside it
    assert given_to_team.pk in visible(flow.team_member)
    assert given_to_team.pk not in visible(flow.desk.office.uncleared)  # works in the unit above the team


def test_a_role_given_later_opens_the_unit_documents_at_once(flow: Flow) -> None:
    """Made head of Phòng Tổng hợp while working elsewhere: the unit's documents, secret ones included."""
    acting = make_account(make_person("Hà Văn Lực", flow.desk.other_unit, clearance=1), "quyentruongphong")
    assert flow.secret.pk not in visible(acting)
    roles.grant_role(SYSTEM, acting.person, flow.desk.unit, Role.HEAD)  # type: ignore[arg-type]
    assert flow.secret.pk in visible(acting) and flow.public.pk in visible(acting)


def rules_say(account: Account, document: Document) -> bool:
    """The module docstring of ``documents.policy``, read plainly over Python objects."""
    r = policy.reach(account)
    if r.person_id is None:
        return False
    me = r.person_id
    body_path = document.register.organization.path
    parts = [a for a in Assignment.objects.filter(document=document).select_related("unit") if a.state != "cancelled"]
    handles = (
        body_path.startswith(r.kept_paths + r.led_paths)
        or me in (document.presented_to_id, document.directed_by_id, document.drafter_id, document.signer_id)
        or any(a.handler_id == me for a in parts)
        or ApprovalStep.objects.filter(document=document, approver_id=me).exists()
        or any(a.unit.path.startswith(r.headed_paths) for a in parts if r.headed_paths)
    )
    works_in_a_unit_given_a_part = any(r.own_path and r.own_path.startswith(a.unit.path) for a in parts)
    return (handles and document.secrecy <= r.clearance) or (
        document.secrecy == Secrecy.NONE and bool(works_in_a_unit_given_a_part)
    )


def test_the_filter_agrees_with_the_rules_for_every_person_and_document(flow: Flow) -> None:
    documents = list(Document.objects.select_related("register__organization"))
    assert len(documents) == 5
    for persona, account in flow.people().items():
        policy.forget(account)
        expected = {d.pk for d in documents if rules_say(account, d)}
        assert visible(account) == expected, persona
        # lists, single documents and baskets all read through the same filter
        assert set(access.documents_visible_to(account).values_list("pk", flat=True)) == expected, persona


def test_the_filter_reads_no_document_row_by_row(flow: Flow) -> None:
    """No correlated subquery: the parts and approval steps are one uncorrelated ``IN (… UNION ALL …)``."""
    sql = str(Document.objects.filter(policy.visible_q(flow.desk.handler)).query)
    assert "EXISTS" not in sql.upper()
    assert "UNION ALL" in sql.upper()


# --- what the steps may choose (access.units_for_direction, access.reply_for) ------------------------------------


def test_units_for_direction_are_the_tree_of_the_register_body(flow: Flow) -> None:
    office = flow.desk.office
    units = set(access.units_for_direction(flow.public))
    assert {office.party_office, flow.desk.unit, flow.desk.other_unit, flow.team} <= units
    assert office.peoples_committee not in units and office.home_affairs not in units


def test_the_reply_is_an_outgoing_document_of_the_same_body_the_person_sees(flow: Flow) -> None:
    handler = flow.desk.handler
    assert access.reply_for(handler, flow.public, None) is None
    assert access.reply_for(handler, flow.public, flow.draft.pk) == flow.draft
    for wrong in (flow.moved.pk, 999_999):  # an incoming document; no document at all
        with pytest.raises(ValidationError) as refused:
            access.reply_for(handler, flow.public, wrong)
        assert list(refused.value.message_dict) == ["reply"]
    with pytest.raises(ValidationError):  # the specialist of Sở Nội vụ may not see the draft
        access.reply_for(flow.desk.office.specialist, flow.public, flow.draft.pk)
