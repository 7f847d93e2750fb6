"""policy.py, the rules: roles cover the tree below them, administrators, delegations (ủy quyền)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.core import access, policy
from vanphong.core.audit import Actor
from vanphong.core.models import Account, AuditEntry, Delegation, Organization, Position, Role, RoleGrant
from vanphong.core.services import accounts, people, roles
from vanphong.testing import SYSTEM, Office

pytestmark = pytest.mark.django_db
ORGS = ("province_party", "party_office", "general_unit", "peoples_committee", "home_affairs")


def fresh(account: Account) -> Account:
    """The account as a new request sees it (policy caches held roles on the object)."""
    return Account.objects.select_related("person").get(pk=account.pk)


def org(office: Office, name: str) -> Organization:
    return getattr(office, name)


# --- roles down the tree ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "role", "where", "expected"),
    [
        ("chief", Role.LEADER, "party_office", True),
        ("chief", Role.LEADER, "general_unit", True),  # a unit inside the office
        ("chief", Role.LEADER, "province_party", False),  # not upwards
        ("chief", Role.LEADER, "home_affairs", False),  # not sideways
        ("chief", Role.DEPUTY, "party_office", False),  # not another role
        ("clerk", Role.CLERK, "general_unit", True),
        ("specialist", Role.SPECIALIST, "home_affairs", True),
        ("specialist", Role.SPECIALIST, "peoples_committee", False),
        ("outsider_admin", Role.ADMINISTRATOR, "home_affairs", True),
        ("uncleared", Role.SPECIALIST, "general_unit", False),
    ],
)
def test_a_role_covers_its_organisation_and_everything_below(
    office: Office, persona: str, role: str, where: str, expected: bool
) -> None:
    decision = policy.has_role(getattr(office, persona), [role], org(office, where))
    assert decision.allowed is expected
    assert decision.on_behalf_of is None


ADMINISTERS = {
    "root_admin": set(ORGS),
    "party_admin": {"province_party", "party_office", "general_unit"},
    "outsider_admin": {"peoples_committee", "home_affairs"},
    "chief": set(),
    "deputy": set(),
    "clerk": set(),
    "specialist": set(),
    "uncleared": set(),
}


@pytest.mark.parametrize("persona", list(ADMINISTERS))
def test_who_administers_what(office: Office, persona: str) -> None:
    account = getattr(office, persona)
    administered = {name for name in ORGS if policy.can_administer(account, org(office, name))}
    assert administered == ADMINISTERS[persona]
    assert policy.is_administrator(account) is bool(ADMINISTERS[persona])
    assert policy.can_view_audit(account) is bool(ADMINISTERS[persona])
    assert policy.can_create_top_level(account) is (persona == "root_admin")
    scope = set(access.organizations_administered_by(account).values_list("pk", flat=True))
    assert scope == {org(office, name).pk for name in ADMINISTERS[persona]}


def test_the_installation_administrator_needs_no_role(office: Office) -> None:
    assert not RoleGrant.objects.filter(person=office.root_admin.person).exists()
    assert policy.administered_paths(office.root_admin) is None
    assert policy.administered_paths(office.party_admin) == [office.province_party.path]
    assert policy.administered_paths(office.clerk) == []


@pytest.mark.parametrize("persona", ["root_admin", "party_admin"])
def test_a_disabled_administrator_administers_nothing(office: Office, persona: str) -> None:
    account = getattr(office, persona)
    accounts.set_active(SYSTEM, account, False)
    account = fresh(account)
    assert not policy.can_administer(account, office.party_office)
    assert not policy.is_administrator(account)
    assert not policy.can_view_directory(account)
    assert policy.held_roles(account) == ()


def test_anonymous_visitors_may_do_nothing(office: Office) -> None:
    anonymous = AnonymousUser()
    assert not policy.can_view_directory(anonymous)
    assert not policy.can_administer(anonymous, office.party_office)
    assert not policy.can_manage_staff(anonymous, office.party_office)
    assert not policy.is_administrator(anonymous)
    assert not policy.can_view_account(anonymous, office.clerk)
    assert policy.held_roles(anonymous) == ()
    assert not access.persons_visible_to(anonymous).exists()


@pytest.mark.parametrize(
    ("persona", "person_of", "manage", "confidential"),
    [
        ("root_admin", "chief", True, True),
        ("root_admin", "root_admin", True, True),  # a person outside every organisation
        ("party_admin", "chief", True, True),
        ("party_admin", "clerk", True, True),
        ("party_admin", "specialist", False, False),
        ("party_admin", "root_admin", False, False),
        ("outsider_admin", "chief", False, False),
        ("outsider_admin", "specialist", True, True),
        ("chief", "clerk", False, False),  # a leader leads, but does not administer records
        ("clerk", "clerk", False, True),  # one's own clearance and birthday: visible, not editable
        ("clerk", "chief", False, False),
    ],
)
def test_who_manages_a_persons_record(
    office: Office, persona: str, person_of: str, manage: bool, confidential: bool
) -> None:
    account = getattr(office, persona)
    person = getattr(office, person_of).person
    assert bool(policy.can_manage_person(account, person)) is manage
    assert policy.can_view_confidential_person_fields(account, person) is confidential
    assert policy.can_view_account(account, getattr(office, person_of)) is (manage or persona == person_of)


def test_revoking_a_grant_ends_what_it_gave(office: Office) -> None:
    assert policy.can_manage_staff(fresh(office.chief), office.party_office)
    grant = RoleGrant.objects.get(person=office.chief.person, role=Role.LEADER)
    roles.revoke_role(SYSTEM, grant)
    assert not policy.can_manage_staff(fresh(office.chief), office.party_office)
    assert not policy.can_manage_staff(fresh(office.chief), office.general_unit)


def test_the_installation_administrator_sees_every_grant_and_delegation(office: Office) -> None:
    """policy.administered_q means "everything" for the installation administrator, also when OR-ed."""
    delegation = _delegate(office, office.deputy)
    grants = access.role_grants_visible_to(office.root_admin)
    assert set(grants.values_list("pk", flat=True)) == set(RoleGrant.objects.values_list("pk", flat=True))
    assert list(access.delegations_visible_to(office.root_admin)) == [delegation]
    assert access.access_role_grant(office.root_admin, grants.first().pk, write=True)  # type: ignore[union-attr]
    assert access.access_delegation(office.root_admin, delegation.pk, write=True) == delegation


def test_scoped_administrators_see_the_grants_in_their_part_only(office: Office) -> None:
    party_grants = set(access.role_grants_visible_to(office.party_admin).values_list("person__full_name", flat=True))
    assert party_grants == {"Lê Thị Hoa", "Trần Văn Bình", "Phạm Thị Dung", "Hoàng Thị Lan"}
    own = set(access.role_grants_visible_to(office.clerk).values_list("role", flat=True))
    assert own == {Role.CLERK}


# --- staff records: leaders and heads, deputies only under a delegation -----------------------------------------


@pytest.mark.parametrize(
    ("persona", "where", "expected"),
    [
        ("chief", "party_office", True),
        ("chief", "general_unit", True),
        ("chief", "home_affairs", False),
        ("party_admin", "general_unit", True),
        ("outsider_admin", "party_office", False),
        ("deputy", "party_office", False),  # a deputy acts only under the leader's delegation
        ("clerk", "general_unit", False),
        ("specialist", "home_affairs", False),
    ],
)
def test_who_keeps_the_staff_records(office: Office, persona: str, where: str, expected: bool) -> None:
    decision = policy.can_manage_staff(getattr(office, persona), org(office, where))
    assert decision.allowed is expected
    assert decision.on_behalf_of is None
    managed = Organization.objects.filter(policy.staff_managed_q(getattr(office, persona)))
    assert (org(office, where) in managed) is expected


# --- delegations -------------------------------------------------------------------------------------------------


def _delegate(
    office: Office,
    delegate: Account,
    *,
    start: datetime.timedelta = datetime.timedelta(hours=1),
    length: datetime.timedelta = datetime.timedelta(days=5),
) -> Delegation:
    """The chief hands LEADER of the Party office to ``delegate`` from now + ``start``."""
    starts_at = timezone.now() + start
    return roles.create_delegation(
        Actor(account=office.chief, source="web"),
        delegator=office.chief.person,  # type: ignore[arg-type]
        delegate=delegate.person,  # type: ignore[arg-type]
        organization=office.party_office,
        role=Role.LEADER,
        starts_at=starts_at,
        ends_at=starts_at + length,
        reason="Đi học lớp bồi dưỡng",
    )


def _shift(delegation: Delegation, starts: datetime.timedelta, ends: datetime.timedelta) -> None:
    """Move the period relative to now (time travel without touching the clock)."""
    now = timezone.now()
    Delegation.objects.filter(pk=delegation.pk).update(starts_at=now + starts, ends_at=now + ends)


DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize("who", ["deputy", "uncleared"])
def test_a_delegation_works_only_inside_its_period(office: Office, who: str) -> None:
    delegate = getattr(office, who)
    delegation = _delegate(office, delegate)

    # before the start
    assert not policy.can_manage_staff(fresh(delegate), office.party_office)
    assert all(held.delegator is None for held in policy.held_roles(fresh(delegate)))

    # inside the period: allowed, on the chief's behalf, down the tree too
    _shift(delegation, -HOUR, 2 * DAY)
    for where in (office.party_office, office.general_unit):
        decision = policy.can_manage_staff(fresh(delegate), where)
        assert decision.allowed
        assert decision.on_behalf_of == office.chief.person
    assert not policy.can_manage_staff(fresh(delegate), office.home_affairs)
    assert not policy.can_administer(fresh(delegate), office.party_office)  # LEADER is not ADMINISTRATOR

    # after the end
    _shift(delegation, -3 * DAY, -datetime.timedelta(seconds=1))
    assert not policy.can_manage_staff(fresh(delegate), office.party_office)


def test_held_roles_can_be_asked_for_any_moment(office: Office) -> None:
    delegation = _delegate(office, office.uncleared, start=DAY, length=2 * DAY)
    account = fresh(office.uncleared)

    def delegated_at(moment: datetime.datetime) -> bool:
        return any(h.delegator is not None for h in policy.held_roles(account, at=moment))

    assert not delegated_at(delegation.starts_at - datetime.timedelta(seconds=1))
    assert delegated_at(delegation.starts_at)
    assert delegated_at(delegation.ends_at - datetime.timedelta(seconds=1))
    assert not delegated_at(delegation.ends_at)  # the end is exclusive
    assert policy.held_roles(account) == ()  # now: not yet


def test_a_revoked_delegation_gives_nothing(office: Office) -> None:
    delegation = _delegate(office, office.uncleared, start=-HOUR)
    assert policy.can_manage_staff(fresh(office.uncleared), office.party_office)
    roles.revoke_delegation(Actor(account=office.chief, source="web"), delegation)
    assert not policy.can_manage_staff(fresh(office.uncleared), office.party_office)


@pytest.mark.parametrize("who", ["deputy", "uncleared"])
def test_a_delegation_is_worth_only_what_the_delegator_still_holds(office: Office, who: str) -> None:
    delegate = getattr(office, who)
    delegation = _delegate(office, delegate, start=-HOUR)
    assert policy.can_manage_staff(fresh(delegate), office.party_office).on_behalf_of == office.chief.person
    roles.revoke_role(SYSTEM, RoleGrant.objects.get(person=office.chief.person, role=Role.LEADER))
    assert not policy.can_manage_staff(fresh(delegate), office.party_office)
    delegation.refresh_from_db()
    assert delegation.revoked_at is None  # still on record, worth nothing


def test_own_grants_win_over_delegated_ones(office: Office) -> None:
    roles.grant_role(SYSTEM, office.uncleared.person, office.general_unit, Role.HEAD)  # type: ignore[arg-type]
    _delegate(office, office.uncleared, start=-HOUR)
    account = fresh(office.uncleared)
    assert policy.can_manage_staff(account, office.general_unit) == policy.Decision(True, None)
    assert policy.can_manage_staff(account, office.party_office) == policy.Decision(True, office.chief.person)


def test_a_delegated_role_cannot_be_delegated_again(office: Office) -> None:
    _delegate(office, office.deputy, start=-HOUR)
    deputy = fresh(office.deputy)
    assert policy.has_role(deputy, [Role.LEADER], office.party_office).on_behalf_of == office.chief.person
    assert not policy.can_delegate(deputy, Role.LEADER, office.party_office)
    assert policy.can_delegate(deputy, Role.DEPUTY, office.party_office)  # their own role: yes
    assert policy.can_delegate(fresh(office.chief), Role.LEADER, office.party_office)
    assert policy.can_delegate(office.party_admin, Role.LEADER, office.party_office)
    assert not policy.can_delegate(office.outsider_admin, Role.LEADER, office.party_office)
    assert not policy.can_delegate(office.root_admin, Role.ADMINISTRATOR, office.party_office)
    assert not policy.can_delegate(office.clerk, Role.CLERK, office.party_office)

    before = Delegation.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        roles.create_delegation(
            Actor(account=deputy, source="web"),
            delegator=deputy.person,  # type: ignore[arg-type]
            delegate=office.clerk.person,  # type: ignore[arg-type]
            organization=office.party_office,
            role=Role.LEADER,
            starts_at=timezone.now() + HOUR,
            ends_at=timezone.now() + DAY,
            reason="Ủy quyền lại",
        )
    assert set(caught.value.message_dict) == {"role"}
    assert (Delegation.objects.count(), AuditEntry.objects.count()) == before


def test_the_delegation_page_does_not_offer_a_delegated_role(office: Office, client: Client) -> None:
    _delegate(office, office.deputy, start=-HOUR)
    chief_grant = RoleGrant.objects.get(person=office.chief.person, role=Role.LEADER)
    client.force_login(office.deputy)
    response = client.get(reverse("core:delegation_create"))
    assert response.status_code == 200
    offered = set(response.context["form"].fields["grant"].queryset.values_list("pk", flat=True))
    assert offered == {RoleGrant.objects.get(person=office.deputy.person, role=Role.DEPUTY).pk}
    before = Delegation.objects.count(), AuditEntry.objects.count()
    response = client.post(
        reverse("core:delegation_create"),
        {
            "grant": chief_grant.pk,
            "delegate": office.clerk.person_id,
            "starts_at": _local(HOUR),
            "ends_at": _local(DAY),
            "reason": "Ủy quyền lại",
        },
    )
    assert response.status_code == 200
    assert "grant" in response.context["form"].errors
    assert (Delegation.objects.count(), AuditEntry.objects.count()) == before


def _local(delta: datetime.timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("who", ["deputy", "uncleared"])
def test_a_position_recorded_under_a_delegation_is_audited_on_the_delegators_behalf(
    office: Office, client: Client, who: str
) -> None:
    delegate = getattr(office, who)
    _delegate(office, delegate, start=-HOUR)
    position = Position.objects.get(name="Chuyên viên")
    client.force_login(delegate)
    response = client.post(
        reverse("core:position_assign", args=[office.clerk.person_id]),
        {"organization": office.general_unit.pk, "position": position.pk, "started_on": "2025-03-01"},
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    entry = AuditEntry.objects.filter(action="position.assign").latest("seq")
    assert (entry.actor_id, entry.on_behalf_of, entry.source) == (delegate.pk, "Trần Văn Bình", "web")
    assert entry.after["person"] == office.clerk.person_id


def test_the_service_records_on_behalf_of_from_the_decision(office: Office) -> None:
    _delegate(office, office.uncleared, start=-HOUR)
    account = fresh(office.uncleared)
    decision = policy.can_manage_staff(account, office.party_office)
    people.assign_position(
        Actor(account=account, source="web").acting_for(decision.on_behalf_of),
        office.clerk.person,  # type: ignore[arg-type]
        office.party_office,
        Position.objects.get(name="Văn thư"),
        started_on=datetime.date(2025, 3, 1),
    )
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.actor_name, entry.on_behalf_of) == ("position.assign", "nhanvien", "Trần Văn Bình")


def _invalid(office: Office, case: str) -> dict[str, Any]:
    now = timezone.now()
    values: dict[str, Any] = {
        "delegator": office.chief.person,
        "delegate": office.deputy.person,
        "organization": office.party_office,
        "role": Role.LEADER,
        "starts_at": now + HOUR,
        "ends_at": now + DAY,
        "reason": "Đi công tác",
    }
    if case == "to self":
        values["delegate"] = office.chief.person
    elif case == "ends before start":
        values["starts_at"], values["ends_at"] = now + 2 * DAY, now + DAY
    elif case == "ends at the start":
        values["ends_at"] = values["starts_at"]
    elif case == "already over":
        values["starts_at"], values["ends_at"] = now - 3 * DAY, now - DAY
    elif case == "longer than a year":
        values["ends_at"] = values["starts_at"] + datetime.timedelta(days=367)
    elif case == "role not held":
        values["delegator"] = office.clerk.person
    elif case == "role held elsewhere":
        values["organization"] = office.general_unit
    elif case == "administrator is not delegable":
        values["delegator"], values["role"] = office.party_admin.person, Role.ADMINISTRATOR
        values["organization"] = office.province_party
    elif case == "no reason":
        values["reason"] = "   "
    return values


INVALID = {
    "to self": "delegate",
    "ends before start": "ends_at",
    "ends at the start": "ends_at",
    "already over": "ends_at",
    "longer than a year": "ends_at",
    "role not held": "role",
    "role held elsewhere": "role",
    "administrator is not delegable": "role",
    "no reason": "reason",
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_delegations_are_refused_and_change_nothing(office: Office, case: str) -> None:
    before = Delegation.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        roles.create_delegation(Actor(account=office.chief, source="web"), **_invalid(office, case))
    assert set(caught.value.message_dict) == {INVALID[case]}
    assert (Delegation.objects.count(), AuditEntry.objects.count()) == before


def test_a_delegation_of_exactly_a_year_is_accepted(office: Office) -> None:
    values = _invalid(office, "")
    values["ends_at"] = values["starts_at"] + datetime.timedelta(days=366)
    delegation = roles.create_delegation(Actor(account=office.chief, source="web"), **values)
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.object_id, entry.actor_name) == ("delegation.create", str(delegation.pk), "chanhvp")


def test_an_invalid_delegation_through_the_page_shows_field_errors(office: Office, client: Client) -> None:
    grant = RoleGrant.objects.get(person=office.chief.person, role=Role.LEADER)
    client.force_login(office.chief)
    before = Delegation.objects.count(), AuditEntry.objects.count()
    response = client.post(
        reverse("core:delegation_create"),
        {
            "grant": grant.pk,
            "delegate": office.deputy.person_id,
            "starts_at": _local(2 * DAY),
            "ends_at": _local(DAY),
            "reason": "Đi công tác",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["ends_at"]
    assert (Delegation.objects.count(), AuditEntry.objects.count()) == before
