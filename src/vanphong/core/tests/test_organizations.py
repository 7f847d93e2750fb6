"""The organisation tree: validation, moves, history "as of" a date, restructuring."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vanphong.core.access import tree_as_of
from vanphong.core.models import AuditEntry, Organization, OrgKind, Person, Restructuring
from vanphong.core.services import organizations as svc
from vanphong.core.services.organizations import OrganizationData
from vanphong.testing import SYSTEM, Office, make_org, make_person

pytestmark = pytest.mark.django_db
D = datetime.date


def _state() -> tuple[int, int, int]:
    return Organization.objects.count(), AuditEntry.objects.count(), Restructuring.objects.count()


def test_create_builds_paths_and_a_first_record(office: Office) -> None:
    unit = office.general_unit
    assert unit.path == f"/{office.province_party.pk}/{office.party_office.pk}/{unit.pk}/"
    assert unit.depth == 2
    assert unit.records.count() == 1
    assert set(Organization.objects.subtree(office.province_party)) >= {office.party_office, unit}


@pytest.mark.parametrize("code", ["000.00.00.Đ70", "000..00.H70", "A" * 36, "000 00 00 H70"])
def test_invalid_identifier_code_is_refused_in_the_users_language(office: Office, code: str) -> None:
    before = _state()
    data = OrganizationData(
        kind=OrgKind.STATE_AGENCY,
        full_name="Sở Y tế",
        abbreviation="SYT",
        identifier_code=code,
        parent=office.peoples_committee,
    )
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        svc.create_organization(SYSTEM, data)
    assert "identifier_code" in caught.value.message_dict
    assert "mã định danh" in " ".join(caught.value.message_dict["identifier_code"]).lower()
    assert _state() == before


def test_lower_case_code_is_normalised_to_capitals(office: Office) -> None:
    data = OrganizationData(
        kind=OrgKind.STATE_AGENCY,
        full_name="Sở Y tế",
        abbreviation="SYT",
        identifier_code=" 000.00.05.h70 ".upper(),
        parent=office.peoples_committee,
    )
    assert svc.create_organization(SYSTEM, data).identifier_code == "000.00.05.H70"


def test_duplicate_identifier_code_is_refused(office: Office) -> None:
    before = _state()
    data = OrganizationData(
        kind=OrgKind.STATE_AGENCY,
        full_name="Sở Tư pháp",
        abbreviation="STP",
        identifier_code="000.00.01.H70",
        parent=office.peoples_committee,
    )
    with pytest.raises(ValidationError) as caught:
        svc.create_organization(SYSTEM, data)
    assert "000.00.01.H70" in caught.value.message_dict["identifier_code"][0]
    assert _state() == before


def test_an_organisation_cannot_become_its_own_ancestor(office: Office) -> None:
    before = _state()
    data = svc.data_of(office.party_office, parent=office.general_unit)
    with pytest.raises(ValidationError) as caught:
        svc.update_organization(SYSTEM, office.party_office, data)
    assert "parent" in caught.value.message_dict
    office.party_office.refresh_from_db()
    assert office.party_office.parent_id == office.province_party.pk
    assert _state() == before


def test_internal_unit_needs_a_parent(db: None) -> None:
    with pytest.raises(ValidationError) as caught:
        svc.create_organization(
            SYSTEM, OrganizationData(kind=OrgKind.INTERNAL_UNIT, full_name="Phòng X", abbreviation="X")
        )
    assert "parent" in caught.value.message_dict


def test_moving_a_body_moves_its_whole_subtree(office: Office) -> None:
    svc.update_organization(
        SYSTEM, office.party_office, svc.data_of(office.party_office, parent=office.peoples_committee)
    )
    office.general_unit.refresh_from_db()
    assert office.general_unit.path.startswith(f"/{office.peoples_committee.pk}/{office.party_office.pk}/")
    assert office.general_unit.depth == 2


def test_rename_keeps_the_old_name_for_earlier_dates(office: Office) -> None:
    svc.rename_organization(
        SYSTEM,
        office.home_affairs,
        full_name="Sở Nội vụ và Lao động",
        short_name="",
        abbreviation="SNVLĐ",
        effective_on=D(2025, 3, 1),
        decision="Quyết định số 15/QĐ-UBND",
    )
    before = {r.organization_id: r.full_name for r in tree_as_of(D(2025, 2, 28))}
    after = {r.organization_id: r.full_name for r in tree_as_of(D(2025, 3, 1))}
    assert before[office.home_affairs.pk] == "Sở Nội vụ"
    assert after[office.home_affairs.pk] == "Sở Nội vụ và Lao động"
    assert Restructuring.objects.get(kind="rename").decision == "Quyết định số 15/QĐ-UBND"


def test_merge_into_a_new_body_moves_members_and_children_and_keeps_history(office: Office) -> None:
    ubnd = office.peoples_committee
    a = make_org("Ủy ban nhân dân xã Hòa An", "UBND", kind=OrgKind.PEOPLES_COMMITTEE, parent=ubnd)
    b = make_org("Ủy ban nhân dân xã Hòa Bình", "UBND", kind=OrgKind.PEOPLES_COMMITTEE, parent=ubnd)
    office_a = make_org("Văn phòng HĐND và UBND xã Hòa An", "VP", kind=OrgKind.INTERNAL_UNIT, parent=a)
    person = make_person("Ngô Thị Thu", b)
    event = svc.merge_organizations(
        SYSTEM,
        [a, b],
        effective_on=D(2025, 7, 1),
        decision="Nghị quyết số 1656/NQ-UBTVQH15",
        new=OrganizationData(
            kind=OrgKind.PEOPLES_COMMITTEE, full_name="Ủy ban nhân dân xã Hòa Thuận", abbreviation="UBND", parent=ubnd
        ),
    )
    merged = event.successors.get()
    a.refresh_from_db(), b.refresh_from_db(), office_a.refresh_from_db()
    assert a.dissolved_on == b.dissolved_on == D(2025, 7, 1)
    assert office_a.parent_id == merged.pk and office_a.path.startswith(merged.path)
    assert Person.objects.get(pk=person.pk).organization_id == merged.pk
    old = {r.organization_id for r in tree_as_of(D(2025, 6, 30))}
    new = {r.organization_id for r in tree_as_of(D(2025, 7, 1))}
    assert {a.pk, b.pk} <= old and merged.pk not in old
    assert merged.pk in new and not {a.pk, b.pk} & new
    assert set(event.predecessors.all()) == {a, b}


def test_split_creates_successors_and_dissolves_the_source(office: Office) -> None:
    source = make_org("Sở Kế hoạch và Đầu tư", "SKHĐT", kind=OrgKind.STATE_AGENCY, parent=office.peoples_committee)
    parts = [
        OrganizationData(
            kind=OrgKind.STATE_AGENCY, full_name="Sở Tài chính", abbreviation="STC", parent=office.peoples_committee
        ),
        OrganizationData(
            kind=OrgKind.STATE_AGENCY,
            full_name="Sở Khoa học và Công nghệ",
            abbreviation="SKHCN",
            parent=office.peoples_committee,
        ),
    ]
    event = svc.split_organization(SYSTEM, source, parts, effective_on=D(2025, 3, 1))
    source.refresh_from_db()
    assert source.dissolved_on == D(2025, 3, 1)
    assert event.successors.count() == 2


def test_dissolving_a_body_with_active_children_is_refused(office: Office) -> None:
    before = _state()
    with pytest.raises(ValidationError):
        svc.dissolve_organization(SYSTEM, office.party_office, effective_on=D(2026, 1, 1))
    assert _state() == before
    assert Organization.objects.get(pk=office.party_office.pk).dissolved_on is None


def test_dissolving_with_members_needs_a_successor(office: Office) -> None:
    with pytest.raises(ValidationError) as caught:
        svc.dissolve_organization(SYSTEM, office.general_unit, effective_on=D(2026, 1, 1))
    assert caught.value.code == "has_members"
    svc.dissolve_organization(SYSTEM, office.general_unit, effective_on=D(2026, 1, 1), successor=office.party_office)
    assert not Person.objects.filter(organization=office.general_unit).exists()


def test_a_dissolved_body_cannot_be_changed_or_merged(office: Office) -> None:
    unit = make_org("Phòng Quản trị", "PQT", kind=OrgKind.INTERNAL_UNIT, parent=office.party_office)
    svc.dissolve_organization(SYSTEM, unit, effective_on=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        svc.update_organization(SYSTEM, unit, svc.data_of(unit, full_name="Phòng Quản trị – Tài vụ"))
    with pytest.raises(ValidationError):
        svc.merge_organizations(SYSTEM, [unit], into=office.general_unit, effective_on=D(2026, 2, 1))


def test_every_write_is_audited_with_before_and_after(office: Office) -> None:
    svc.update_organization(SYSTEM, office.home_affairs, svc.data_of(office.home_affairs, short_name="SNV Sơn Hà"))
    entry = AuditEntry.objects.filter(action="organization.update").latest("seq")
    assert entry.before == {"short_name": ""} and entry.after == {"short_name": "SNV Sơn Hà"}
    assert entry.object_id == str(office.home_affairs.pk)


def test_dissolving_ends_positions_and_revokes_roles_and_delegations_there(office: Office) -> None:
    from django.utils import timezone

    from vanphong.core.models import Delegation, Position, PositionHolding, Role, RoleGrant
    from vanphong.core.services import people, roles

    unit = make_org("Phòng Quản trị – Tài vụ", "PQTTV", kind=OrgKind.INTERNAL_UNIT, parent=office.party_office)
    head = make_person("Trịnh Văn Toàn", unit)
    deputy = make_person("Lý Thị Hằng", unit)
    holding = people.assign_position(
        SYSTEM, head, unit, Position.objects.get(name="Trưởng phòng"), started_on=D(2022, 1, 1)
    )
    grant = roles.grant_role(SYSTEM, head, unit, Role.HEAD)
    delegation = roles.create_delegation(
        SYSTEM,
        delegator=head,
        delegate=deputy,
        organization=unit,
        role=Role.HEAD,
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(days=3),
        reason="Đi công tác",
    )
    svc.dissolve_organization(SYSTEM, unit, effective_on=D(2026, 1, 1), successor=office.party_office)
    assert PositionHolding.objects.get(pk=holding.pk).ended_on == D(2025, 12, 31)
    assert RoleGrant.objects.get(pk=grant.pk).revoked_at is not None
    assert Delegation.objects.get(pk=delegation.pk).revoked_at is not None
