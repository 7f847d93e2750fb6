"""Test personas and factories, shared by every app's tests (loaded by the root conftest.py).

The personas live in a small fictional province office, built through the services (never raw
saves), so that every test starts from state the application itself could have produced.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, OrgKind, OrgLevel, Person, Position, Role
from vanphong.core.services import accounts, people, roles
from vanphong.core.services.organizations import OrganizationData, create_organization

PASSWORD = "Mat-khau-thu-2026"  # noqa: S105 (a test password that satisfies the password rules)
SYSTEM = Actor.system("test")


def make_org(
    name: str, abbreviation: str, *, kind: str, parent: Organization | None = None, **extra: object
) -> Organization:
    data = OrganizationData(kind=kind, full_name=name, abbreviation=abbreviation, parent=parent, **extra)  # type: ignore[arg-type]
    return create_organization(SYSTEM, data, established_on=datetime.date(2020, 1, 1))


def make_person(full_name: str, org: Organization | None, **extra: object) -> Person:
    return people.create_person(SYSTEM, people.PersonData(full_name=full_name, organization=org, **extra))  # type: ignore[arg-type]


def make_account(person: Person, username: str, *, superuser: bool = False) -> Account:
    return accounts.create_account(SYSTEM, person, username=username, password=PASSWORD, is_superuser=superuser)


@dataclass
class Office:
    """A provincial Party committee and People's Committee with the people the tests act as."""

    province_party: Organization
    party_office: Organization
    general_unit: Organization
    peoples_committee: Organization
    home_affairs: Organization
    root_admin: Account  # the installation administrator
    party_admin: Account  # administrator of the Tỉnh ủy's part of the tree
    chief: Account  # Chánh Văn phòng Tỉnh ủy: leader of the Party office
    deputy: Account  # Phó Chánh Văn phòng: deputy, receives the chief's delegation
    clerk: Account  # văn thư of the Party office: no administration rights
    specialist: Account  # chuyên viên in another body (Sở Nội vụ)
    outsider_admin: Account  # administrator of the People's Committee only
    uncleared: Account  # a specialist with no security clearance and no roles


@pytest.fixture
def office(db: None) -> Office:
    party = make_org("Tỉnh ủy Sơn Hà", "TU", kind=OrgKind.PARTY_COMMITTEE)
    party_office = make_org("Văn phòng Tỉnh ủy", "VPTU", kind=OrgKind.PARTY_ADVISORY, parent=party)
    general = make_org("Phòng Tổng hợp", "PTH", kind=OrgKind.INTERNAL_UNIT, parent=party_office)
    ubnd = make_org(
        "Ủy ban nhân dân tỉnh Sơn Hà", "UBND", kind=OrgKind.PEOPLES_COMMITTEE, identifier_code="000.00.00.H70"
    )
    home_affairs = make_org("Sở Nội vụ", "SNV", kind=OrgKind.STATE_AGENCY, parent=ubnd, identifier_code="000.00.01.H70")

    def account(name: str, org: Organization | None, username: str, **extra: object) -> Account:
        return make_account(make_person(name, org, **extra), username, superuser=username == "admin")

    root_admin = account("Nguyễn Văn Quản", None, "admin")
    party_admin = account("Lê Thị Hoa", party_office, "quantritu")
    chief = account("Trần Văn Bình", party_office, "chanhvp", clearance=2)
    deputy = account("Phạm Thị Dung", party_office, "phochanhvp", clearance=1)
    clerk = account("Hoàng Thị Lan", general, "vanthu", clearance=1)
    specialist = account("Võ Minh Tuấn", home_affairs, "chuyenvien")
    outsider_admin = account("Đặng Quốc Huy", home_affairs, "quantriubnd")
    uncleared = account("Bùi Văn Nam", general, "nhanvien")
    roles.grant_role(SYSTEM, party_admin.person, party, Role.ADMINISTRATOR)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, chief.person, party_office, Role.LEADER)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, deputy.person, party_office, Role.DEPUTY)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, clerk.person, party_office, Role.CLERK)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, specialist.person, home_affairs, Role.SPECIALIST)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, outsider_admin.person, ubnd, Role.ADMINISTRATOR)  # type: ignore[arg-type]
    # Seeded by a migration; a transactional test's flush removes it, so a later one puts it back.
    chief_position, _ = Position.objects.get_or_create(
        name="Chánh Văn phòng", defaults={"rank": 34, "is_leadership": True}
    )
    people.assign_position(SYSTEM, chief.person, party_office, chief_position, started_on=datetime.date(2021, 3, 1))  # type: ignore[arg-type]
    return Office(
        party, party_office, general, ubnd, home_affairs,
        root_admin, party_admin, chief, deputy, clerk, specialist, outsider_admin, uncleared,
    )  # fmt: skip


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """``login(account)`` returns a test client signed in as that account."""

    def _login(account: Account) -> Client:
        client.force_login(account)
        return client

    return _login


def now_plus(**delta: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


def race(*acts: Callable[[], object]) -> tuple[list[object], list[ValidationError]]:
    """Run ``acts`` at once, each in its own thread and database connection."""
    barrier = threading.Barrier(len(acts))
    won: list[object] = []
    lost: list[ValidationError] = []
    crashed: list[BaseException] = []

    def attempt(act: Callable[[], object]) -> object:
        # The test database on SQLite is in memory with a shared cache, where a writer waiting for
        # another gets "table is locked" at once instead of waiting on the busy timeout as the real
        # (file) database does; retrying is that wait. PostgreSQL waits on the row lock by itself.
        for _ in range(200):
            try:
                return act()
            except OperationalError as error:
                if connection.vendor != "sqlite" or "locked" not in str(error):
                    raise
                time.sleep(0.01)
        raise AssertionError("the database stayed locked")

    def run(act: Callable[[], object]) -> None:
        try:
            barrier.wait()
            won.append(attempt(act))
        except ValidationError as error:
            lost.append(error)
        except BaseException as error:
            crashed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(act,)) for act in acts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if crashed:
        raise AssertionError(crashed)
    return won, lost


__all__ = ["PASSWORD", "SYSTEM", "Office", "OrgLevel", "make_account", "make_org", "make_person", "now_plus", "race"]
