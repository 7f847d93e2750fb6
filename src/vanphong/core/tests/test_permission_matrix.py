"""Who may open which page and call which endpoint: one table, every page and every API operation.

Expected answers (STYLE.md, Tests; core/policy.py):

* anonymous: pages redirect to the login page with ``next``; the API answers 401 JSON;
* allowed: 200 (201 for an API create; 302 after a successful form POST);
* signed in, may see the object but not change it: 403;
* may not see the object at all (another person's account, grant, delegation or token): 404;
* a method the view does not take: 405.

Where the code and the rules in ``policy.py``'s docstring disagree, the row follows the docstring.
"""

from __future__ import annotations

import datetime
import inspect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from vanphong import testing
from vanphong.api import api
from vanphong.core.audit import Actor
from vanphong.core.models import (
    Account,
    ApiToken,
    Delegation,
    Organization,
    OrgKind,
    Person,
    Position,
    PositionHolding,
    Role,
    RoleGrant,
)
from vanphong.core.services import accounts, roles
from vanphong.testing import PASSWORD, SYSTEM, Office, make_person

pytestmark = pytest.mark.django_db

LOGIN = -302  # a redirect to the login page that brings the person back (?next=<the page>)
MISSING = 999_999  # an id no object has


@dataclass(frozen=True)
class World:
    """The office, plus the objects the matrix acts on."""

    office: Office
    chief_grant: RoleGrant  # the chief's LEADER grant over the Party office
    clerk_grant: RoleGrant  # the clerk's own CLERK grant (visible to the clerk, not revocable by them)
    holding: PositionHolding  # the chief's position as Chánh Văn phòng
    delegation: Delegation  # chief → deputy, LEADER of the Party office, from tomorrow for a week
    newcomer: Person  # a new specialist in the Party office, without an account yet
    chief_token: ApiToken  # the chief's API token
    position: Position  # "Chuyên viên"

    def account(self, persona: str) -> Account | None:
        return None if persona == "anonymous" else getattr(self.office, persona)


def _build_world() -> World:
    office = inspect.unwrap(testing.office)(None)  # the personas of the ``office`` fixture, built once here
    now = timezone.now()
    delegation = roles.create_delegation(
        Actor(account=office.chief, source="web"),
        delegator=office.chief.person,
        delegate=office.deputy.person,
        organization=office.party_office,
        role=Role.LEADER,
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=8),
        reason="Đi công tác Hà Nội",
    )
    token, _raw = accounts.create_token(SYSTEM, office.chief, name="Chương trình báo cáo")
    return World(
        office=office,
        chief_grant=RoleGrant.objects.get(person=office.chief.person, role=Role.LEADER),
        clerk_grant=RoleGrant.objects.get(person=office.clerk.person, role=Role.CLERK),
        holding=PositionHolding.objects.get(person=office.chief.person),
        delegation=delegation,
        newcomer=make_person("Ngô Thị Mai", office.party_office),
        chief_token=token,
        position=Position.objects.get(name="Chuyên viên"),
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module inside a transaction; each case runs in a savepoint rolled back after it.

    (The same arrangement as Django's ``TestCase.setUpTestData``: the ~330 cases would otherwise
    rebuild the office each time.)
    """
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            built = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


UrlBuilder = Callable[[World], str]
DataBuilder = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    name: str  # URL name in core.urls, or "api" + the operation's path
    persona: str
    method: str
    expected: int
    url: UrlBuilder
    data: DataBuilder | None = None
    htmx: bool = False
    label: str = ""
    is_api: bool = False
    route: str = ""  # the API operation's path in the OpenAPI schema
    then: Callable[[World], None] | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        status = 302 if self.expected == LOGIN else self.expected
        parts = [self.name, self.persona, self.method + ("-htmx" if self.htmx else ""), str(status)]
        return "-".join(parts + ([self.label] if self.label else []))


def _today() -> str:
    return timezone.localdate().isoformat()


def _local(delta_days: float) -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(days=delta_days)).strftime("%Y-%m-%dT%H:%M")


# --- URL builders -----------------------------------------------------------------------------------------


def page(name: str, arg: Callable[[World], int] | None = None, query: str = "") -> UrlBuilder:
    def build(w: World) -> str:
        url = reverse(f"core:{name}", args=[arg(w)] if arg else [])
        return f"{url}?{query}" if query else url

    return build


def party_office(w: World) -> int:
    return w.office.party_office.pk


def chief_person(w: World) -> int:
    return w.office.chief.person_id  # type: ignore[return-value]


def clerk_person(w: World) -> int:
    return w.office.clerk.person_id  # type: ignore[return-value]


def chief_account(w: World) -> int:
    return w.office.chief.pk


def clerk_account(w: World) -> int:
    return w.office.clerk.pk


def missing(w: World) -> int:
    return MISSING


# --- form data ---------------------------------------------------------------------------------------------


def new_party_board(w: World) -> dict[str, Any]:
    return {
        "full_name": "Ban Tuyên giáo Tỉnh ủy",
        "abbreviation": "BTGTU",
        "kind": OrgKind.PARTY_ADVISORY,
        "level": "province",
        "parent": w.office.province_party.pk,
        "sort_order": 100,
        "effective_on": _today(),
    }


def party_office_form(w: World) -> dict[str, Any]:
    return {
        "full_name": "Văn phòng Tỉnh ủy Sơn Hà",
        "abbreviation": "VPTU",
        "kind": OrgKind.PARTY_ADVISORY,
        "level": "province",
        "parent": w.office.province_party.pk,
        "sort_order": 100,
        "effective_on": _today(),
    }


def rename_form(w: World) -> dict[str, Any]:
    return {"kind": "rename", "effective_on": _today(), "full_name": "Văn phòng Tỉnh ủy Sơn Hà", "abbreviation": "VP"}


def new_person_form(w: World) -> dict[str, Any]:
    return {"full_name": "Đinh Văn Khoa", "organization": w.office.party_office.pk, "clearance": 0}


def chief_person_form(w: World) -> dict[str, Any]:
    return {
        "full_name": "Trần Văn Bình",
        "organization": w.office.party_office.pk,
        "clearance": 2,
        "email": "binh@tinhuy.example.vn",
    }


def position_form(w: World) -> dict[str, Any]:
    return {"organization": w.office.party_office.pk, "position": w.position.pk, "started_on": _today()}


def end_form(w: World) -> dict[str, Any]:
    return {"ended_on": _today()}


def role_form(w: World) -> dict[str, Any]:
    return {"organization": w.office.party_office.pk, "role": Role.SPECIALIST}


def account_form(w: World) -> dict[str, Any]:
    return {"username": "ngothimai", "password": PASSWORD}


def unlock(w: World) -> dict[str, Any]:
    return {"action": "unlock"}


def delegation_form(w: World) -> dict[str, Any]:
    return {
        "grant": w.chief_grant.pk,
        "delegate": w.office.deputy.person_id,
        "starts_at": _local(10),
        "ends_at": _local(12),
        "reason": "Nghỉ phép",
    }


def revoke_chief_token(w: World) -> dict[str, Any]:
    return {"revoke": w.chief_token.pk}


def new_token(w: World) -> dict[str, Any]:
    return {"name": "Báo cáo tuần", "days": "30"}


def login_form(w: World) -> dict[str, Any]:
    return {"username": "vanthu", "password": PASSWORD}


def language(w: World) -> dict[str, Any]:
    return {"language": "en", "next": "/"}


# --- checks after a refused write -----------------------------------------------------------------------------


def no_new_board(w: World) -> None:
    assert not Organization.objects.filter(abbreviation="BTGTU").exists()


def no_new_person(w: World) -> None:
    assert not Person.objects.filter(full_name="Đinh Văn Khoa").exists()


def no_new_holding(w: World) -> None:
    assert not PositionHolding.objects.filter(position=w.position).exists()


def party_office_in_place(w: World) -> None:
    assert Organization.objects.get(pk=w.office.party_office.pk).parent_id == w.office.province_party.pk


def chief_in_party_office(w: World) -> None:
    assert Person.objects.get(pk=w.office.chief.person_id).organization_id == w.office.party_office.pk


def chief_token_usable(w: World) -> None:
    w.chief_token.refresh_from_db()
    assert w.chief_token.revoked_at is None


def grant_held(w: World) -> None:
    assert RoleGrant.objects.filter(pk__in=[w.chief_grant.pk, w.clerk_grant.pk], revoked_at__isnull=True).count() == 2


def delegation_standing(w: World) -> None:
    w.delegation.refresh_from_db()
    assert w.delegation.revoked_at is None


# --- the pages ---------------------------------------------------------------------------------------------

ADMINS = ("root_admin", "party_admin")
SIGNED_IN = ("root_admin", "party_admin", "outsider_admin", "clerk")


def rows(
    name: str,
    url: UrlBuilder,
    method: str,
    expectations: dict[str, int],
    data: DataBuilder | None = None,
    **extra: Any,
) -> list[Case]:
    return [Case(name, persona, method, status, url, data, **extra) for persona, status in expectations.items()]


def every(personas: tuple[str, ...], status: int) -> dict[str, int]:
    return dict.fromkeys(personas, status)


PAGE_CASES: list[Case] = [
    # sign-in, sign-out, language, home, profile
    *rows("login", page("login"), "GET", {"anonymous": 200, "clerk": 302}),
    *rows("login", page("login"), "POST", {"anonymous": 302}, login_form),
    Case("login", "anonymous", "DELETE", 405, page("login")),
    *rows("logout", page("logout"), "POST", {"anonymous": 302, "clerk": 302}),
    Case("logout", "clerk", "GET", 405, page("logout")),
    *rows("set_language", page("set_language"), "POST", {"anonymous": 302, "clerk": 302}, language),
    *rows("set_language", page("set_language"), "GET", {"anonymous": 405, "clerk": 405}),
    *rows("home", page("home"), "GET", {"anonymous": LOGIN, **every(SIGNED_IN, 200)}),
    Case("home", "root_admin", "DELETE", 405, page("home")),
    *rows("profile", page("profile"), "GET", {"anonymous": LOGIN, **every(SIGNED_IN, 200)}),
    *rows("profile", page("profile"), "POST", {"anonymous": LOGIN, "clerk": 200}, new_token, label="new-token"),
    *rows(
        "profile",
        page("profile"),
        "POST",
        {"clerk": 404, "root_admin": 404},
        revoke_chief_token,
        label="revoke-another's-token",
        then=chief_token_usable,
    ),
    Case("profile", "chief", "POST", 302, page("profile"), revoke_chief_token, label="revoke-own-token"),
    Case("profile", "root_admin", "DELETE", 405, page("profile")),
    # organisations
    *rows("organization_list", page("organization_list"), "GET", {"anonymous": LOGIN, **every(SIGNED_IN, 200)}),
    *rows("organization_list", page("organization_list", query="q=van+phong"), "GET", every(SIGNED_IN, 200), htmx=True),
    Case("organization_list", "root_admin", "POST", 405, page("organization_list")),
    *rows(
        "organization_create",
        page("organization_create"),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 200, "clerk": 403},
    ),
    *rows(
        "organization_create",
        page("organization_create"),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "clerk": 403},
        new_party_board,
    ),
    Case(
        "organization_create",
        "outsider_admin",
        "POST",
        200,
        page("organization_create"),
        new_party_board,
        label="parent-refused-in-form",
        then=no_new_board,
    ),
    Case("organization_create", "root_admin", "DELETE", 405, page("organization_create")),
    *rows(
        "organization_detail",
        page("organization_detail", party_office),
        "GET",
        {"anonymous": LOGIN, **every(SIGNED_IN, 200)},
    ),
    Case("organization_detail", "root_admin", "GET", 404, page("organization_detail", missing), label="no-such-id"),
    Case("organization_detail", "root_admin", "POST", 405, page("organization_detail", party_office)),
    *rows(
        "organization_edit",
        page("organization_edit", party_office),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "organization_edit",
        page("organization_edit", party_office),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 403, "clerk": 403},
        party_office_form,
    ),
    Case(
        "organization_edit",
        "party_admin",
        "GET",
        403,
        page("organization_edit", lambda w: w.office.home_affairs.pk),
        label="outside-own-scope",
    ),
    # only the installation administrator places organisations at the root (as on organization_create)
    Case(
        "organization_edit",
        "party_admin",
        "POST",
        200,
        page("organization_edit", party_office),
        lambda w: {**party_office_form(w), "parent": ""},
        label="lift-to-root-refused-in-form",
        then=party_office_in_place,
    ),
    Case("organization_edit", "root_admin", "DELETE", 405, page("organization_edit", party_office)),
    *rows(
        "organization_restructure",
        page("organization_restructure", party_office),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "organization_restructure",
        page("organization_restructure", party_office),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 403, "clerk": 403},
        rename_form,
    ),
    Case("organization_restructure", "root_admin", "PUT", 405, page("organization_restructure", party_office)),
    *rows(
        "organization_history",
        page("organization_history", party_office),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 404, "clerk": 404},
    ),
    Case("organization_history", "root_admin", "POST", 405, page("organization_history", party_office)),
    # persons
    *rows("person_list", page("person_list"), "GET", {"anonymous": LOGIN, **every(SIGNED_IN, 200)}),
    *rows("person_list", page("person_list", query="q=tran"), "GET", every(SIGNED_IN, 200), htmx=True),
    Case("person_list", "root_admin", "POST", 405, page("person_list")),
    *rows(
        "person_create",
        page("person_create"),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 200, "clerk": 403},
    ),
    *rows(
        "person_create",
        page("person_create"),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "clerk": 403},
        new_person_form,
    ),
    Case(
        "person_create",
        "outsider_admin",
        "POST",
        200,
        page("person_create"),
        new_person_form,
        label="organisation-refused-in-form",
        then=no_new_person,
    ),
    Case("person_create", "root_admin", "DELETE", 405, page("person_create")),
    *rows(
        "person_detail",
        page("person_detail", chief_person),
        "GET",
        {"anonymous": LOGIN, **every(SIGNED_IN, 200)},
    ),
    Case("person_detail", "clerk", "GET", 404, page("person_detail", missing), label="no-such-id"),
    Case("person_detail", "root_admin", "POST", 405, page("person_detail", chief_person)),
    *rows(
        "person_edit",
        page("person_edit", chief_person),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "person_edit",
        page("person_edit", chief_person),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 403, "clerk": 403},
        chief_person_form,
    ),
    # a scoped administrator must name the organisation (as on person_create)
    Case(
        "person_edit",
        "party_admin",
        "POST",
        200,
        page("person_edit", chief_person),
        lambda w: {**chief_person_form(w), "organization": ""},
        label="no-organisation-refused-in-form",
        then=chief_in_party_office,
    ),
    Case("person_edit", "clerk", "GET", 403, page("person_edit", clerk_person), label="own-record"),
    Case("person_edit", "root_admin", "DELETE", 405, page("person_edit", chief_person)),
    *rows(
        "person_history",
        page("person_history", chief_person),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 404, "clerk": 404},
    ),
    # policy.py: audit history is shown to administrators "(and a person's own to that person)".
    Case("person_history", "clerk", "GET", 200, page("person_history", clerk_person), label="own-history"),
    Case("person_history", "root_admin", "POST", 405, page("person_history", chief_person)),
    # positions: administrators, and the leaders and heads of the organisation (not deputies on their own)
    *rows(
        "position_assign",
        page("position_assign", clerk_person),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "chief": 200, "clerk": 403, "deputy": 403},
    ),
    *rows(
        "position_assign",
        page("position_assign", clerk_person),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "chief": 302, "clerk": 403},
        position_form,
    ),
    Case(
        "position_assign",
        "outsider_admin",
        "POST",
        200,
        page("position_assign", clerk_person),
        position_form,
        label="organisation-refused-in-form",
        then=no_new_holding,
    ),
    Case("position_assign", "root_admin", "DELETE", 405, page("position_assign", clerk_person)),
    *rows(
        "position_end",
        page("position_end", lambda w: w.holding.pk),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "chief": 200, "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "position_end",
        page("position_end", lambda w: w.holding.pk),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 403, "clerk": 403},
        end_form,
    ),
    Case("position_end", "root_admin", "GET", 404, page("position_end", missing), label="no-such-id"),
    Case("position_end", "root_admin", "DELETE", 405, page("position_end", lambda w: w.holding.pk)),
    # roles
    *rows(
        "role_grant",
        page("role_grant", clerk_person),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "role_grant",
        page("role_grant", clerk_person),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 403, "clerk": 403},
        role_form,
    ),
    Case("role_grant", "root_admin", "DELETE", 405, page("role_grant", clerk_person)),
    *rows(
        "role_revoke",
        page("role_revoke", lambda w: w.chief_grant.pk),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 404, "clerk": 404},
    ),
    Case(
        "role_revoke",
        "clerk",
        "POST",
        403,
        page("role_revoke", lambda w: w.clerk_grant.pk),
        label="own-grant",
        then=grant_held,
    ),
    *rows("role_revoke", page("role_revoke", lambda w: w.chief_grant.pk), "GET", {"root_admin": 405, "clerk": 405}),
    # accounts
    *rows(
        "account_list",
        page("account_list"),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 200, "clerk": 403},
    ),
    Case("account_list", "root_admin", "POST", 405, page("account_list")),
    *rows(
        "account_create",
        page("account_create", lambda w: w.newcomer.pk),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "account_create",
        page("account_create", lambda w: w.newcomer.pk),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 403, "clerk": 403},
        account_form,
    ),
    Case("account_create", "root_admin", "DELETE", 405, page("account_create", lambda w: w.newcomer.pk)),
    *rows(
        "account_detail",
        page("account_detail", chief_account),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 404, "clerk": 404},
    ),
    Case("account_detail", "clerk", "GET", 200, page("account_detail", clerk_account), label="own-account"),
    Case("account_detail", "root_admin", "POST", 405, page("account_detail", chief_account)),
    *rows(
        "account_action",
        page("account_action", chief_account),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "outsider_admin": 404, "clerk": 404},
        unlock,
    ),
    Case("account_action", "clerk", "POST", 403, page("account_action", clerk_account), unlock, label="own-account"),
    *rows("account_action", page("account_action", chief_account), "GET", {"root_admin": 405, "clerk": 405}),
    # delegations
    *rows(
        "delegation_list",
        page("delegation_list"),
        "GET",
        {"anonymous": LOGIN, **every(SIGNED_IN, 200), "deputy": 200},
    ),
    Case("delegation_list", "root_admin", "POST", 405, page("delegation_list")),
    *rows(
        "delegation_create",
        page("delegation_create"),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "chief": 200, "outsider_admin": 403, "clerk": 403},
    ),
    *rows(
        "delegation_create",
        page("delegation_create"),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "chief": 302, "outsider_admin": 403, "clerk": 403},
        delegation_form,
    ),
    Case("delegation_create", "root_admin", "DELETE", 405, page("delegation_create")),
    *rows(
        "delegation_revoke",
        page("delegation_revoke", lambda w: w.delegation.pk),
        "POST",
        {"anonymous": LOGIN, **every(ADMINS, 302), "chief": 302, "outsider_admin": 404, "clerk": 404},
    ),
    Case(
        "delegation_revoke",
        "deputy",
        "POST",
        403,
        page("delegation_revoke", lambda w: w.delegation.pk),
        label="the-delegate",
        then=delegation_standing,
    ),
    *rows(
        "delegation_revoke",
        page("delegation_revoke", lambda w: w.delegation.pk),
        "GET",
        {"root_admin": 405, "chief": 405},
    ),
    # audit
    *rows(
        "audit_list",
        page("audit_list"),
        "GET",
        {"anonymous": LOGIN, **every(ADMINS, 200), "outsider_admin": 200, "clerk": 403},
    ),
    Case("audit_list", "root_admin", "POST", 405, page("audit_list")),
]

# --- the API -----------------------------------------------------------------------------------------------


def endpoint(route: str, **args: Callable[[World], int]) -> UrlBuilder:
    def build(w: World) -> str:
        return route.format(**{name: arg(w) for name, arg in args.items()})

    return build


def org_payload(w: World) -> dict[str, Any]:
    return {
        "kind": OrgKind.PARTY_ADVISORY,
        "full_name": "Ban Tổ chức Tỉnh ủy",
        "abbreviation": "BTCTU",
        "parent_id": w.office.province_party.pk,
    }


def party_office_payload(w: World) -> dict[str, Any]:
    return {
        "kind": OrgKind.PARTY_ADVISORY,
        "full_name": "Văn phòng Tỉnh ủy Sơn Hà",
        "abbreviation": "VPTU",
        "parent_id": w.office.province_party.pk,
    }


def person_payload(w: World) -> dict[str, Any]:
    return {"full_name": "Đinh Văn Khoa", "organization_id": w.office.party_office.pk}


def chief_payload(w: World) -> dict[str, Any]:
    return {"full_name": "Trần Văn Bình", "organization_id": w.office.party_office.pk, "email": "binh@example.vn"}


def holding_payload(w: World) -> dict[str, Any]:
    return {"organization_id": w.office.party_office.pk, "position_id": w.position.pk, "started_on": _today()}


def api_rows(
    route: str,
    method: str,
    expectations: dict[str, int],
    data: DataBuilder | None = None,
    url: UrlBuilder | None = None,
    **extra: Any,
) -> list[Case]:
    name = "api" + route.removeprefix("/api")
    build = url or endpoint(route)
    return [
        Case(name, persona, method, status, build, data, is_api=True, route=route, **extra)
        for persona, status in expectations.items()
    ]


ALL_READ = {"anonymous": 401, **every(SIGNED_IN, 200)}
ORG = "/api/organizations/{org_id}"
PERSON = "/api/persons/{person_id}"
HOLDINGS = "/api/persons/{person_id}/positions"
org_url = endpoint(ORG, org_id=party_office)
person_url = endpoint(PERSON, person_id=chief_person)
holdings_url = endpoint(HOLDINGS, person_id=clerk_person)

API_CASES: list[Case] = [
    *api_rows("/api/bodies", "GET", ALL_READ),
    *api_rows("/api/bodies", "POST", {"root_admin": 405}),
    *api_rows("/api/units", "GET", ALL_READ),
    *api_rows("/api/units", "PUT", {"root_admin": 405}),
    *api_rows(ORG, "GET", ALL_READ, url=org_url),
    *api_rows(ORG, "GET", {"root_admin": 404}, url=endpoint(ORG, org_id=missing), label="no-such-id"),
    *api_rows(
        ORG,
        "PUT",
        {"anonymous": 401, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
        party_office_payload,
        url=org_url,
    ),
    *api_rows(ORG, "DELETE", {"root_admin": 405}, url=org_url),
    *api_rows(
        "/api/organizations",
        "POST",
        {"anonymous": 401, **every(ADMINS, 201), "outsider_admin": 403, "clerk": 403},
        org_payload,
    ),
    *api_rows("/api/organizations", "GET", {"root_admin": 405}),
    *api_rows("/api/organization-kinds", "GET", ALL_READ),
    *api_rows("/api/organization-kinds", "POST", {"root_admin": 405}),
    *api_rows("/api/persons", "GET", ALL_READ),
    *api_rows(
        "/api/persons",
        "POST",
        {"anonymous": 401, **every(ADMINS, 201), "outsider_admin": 403, "clerk": 403},
        person_payload,
    ),
    *api_rows("/api/persons", "PATCH", {"root_admin": 405, "clerk": 405}),
    *api_rows(PERSON, "GET", ALL_READ, url=person_url),
    *api_rows(PERSON, "GET", {"clerk": 404}, url=endpoint(PERSON, person_id=missing), label="no-such-id"),
    *api_rows(
        PERSON,
        "PUT",
        {"anonymous": 401, **every(ADMINS, 200), "outsider_admin": 403, "clerk": 403},
        chief_payload,
        url=person_url,
    ),
    *api_rows(PERSON, "DELETE", {"root_admin": 405}, url=person_url),
    *api_rows("/api/positions", "GET", ALL_READ),
    *api_rows("/api/positions", "POST", {"root_admin": 405}),
    *api_rows(HOLDINGS, "GET", ALL_READ, url=holdings_url),
    *api_rows(
        HOLDINGS,
        "POST",
        {"anonymous": 401, **every(ADMINS, 201), "chief": 201, "outsider_admin": 403, "clerk": 403, "deputy": 403},
        holding_payload,
        url=holdings_url,
    ),
    *api_rows(HOLDINGS, "DELETE", {"root_admin": 405}, url=holdings_url),
    *api_rows("/api/me", "GET", ALL_READ),
    *api_rows("/api/me", "POST", {"clerk": 405}),
]

CASES = PAGE_CASES + API_CASES


def _ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, duplicates


_ids_are_unique()


# --- running a case -------------------------------------------------------------------------------------------


def _run(case: Case, world: World, client: Client) -> Any:
    account = world.account(case.persona)
    url = case.url(world)
    headers: dict[str, str] = {}
    if case.is_api:
        if account is not None:
            _token, raw = accounts.create_token(SYSTEM, account, name="matrix")
            headers["Authorization"] = f"Bearer {raw}"
        body = json.dumps(case.data(world)) if case.data else ""
        return client.generic(case.method, url, body, content_type="application/json", headers=headers)
    if account is not None:
        client.force_login(account)
    if case.htmx:
        headers["HX-Request"] = "true"
    data = case.data(world) if case.data else {}
    if case.method == "GET":
        return client.get(url, headers=headers)
    if case.method == "POST":
        return client.post(url, data, headers=headers)
    return client.generic(case.method, url, headers=headers)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_permission_matrix(case: Case, world: World, client: Client) -> None:
    response = _run(case, world, client)
    if case.expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("core:login")
        assert parse_qs(location.query)["next"] == [urlsplit(case.url(world)).path]
    else:
        assert response.status_code == case.expected, response.content[:500]
    if case.is_api and response.status_code in (400, 401, 403, 404):
        body = response.json()
        assert set(body) == {"code", "message", "fields"}
        expected_code = {401: "not_authenticated", 403: "forbidden", 404: "not_found"}.get(response.status_code)
        assert body["code"] == expected_code
    if case.htmx:
        assert b"<html" not in response.content
        assert response.content.strip()
    if case.then is not None:
        case.then(world)


# --- the matrix covers everything ---------------------------------------------------------------------------------


def _core_url_names() -> set[str]:
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "core":
            return {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
    raise AssertionError("the core URLs are not included")


def test_every_page_has_rows_for_anonymous_signed_in_and_wrong_method() -> None:
    names = _core_url_names()
    assert len(names) >= 28
    covered = {case.name for case in PAGE_CASES}
    assert names - covered == set(), "pages without a row in the permission matrix"
    for name in names:
        cases = [case for case in PAGE_CASES if case.name == name]
        assert any(c.persona == "anonymous" for c in cases), f"{name}: no row for an anonymous visitor"
        assert any(c.persona != "anonymous" and c.expected != 405 for c in cases), f"{name}: no signed-in row"
        assert any(c.expected == 405 for c in cases), f"{name}: no wrong-method row"
    assert covered - names == set(), "rows for pages that no longer exist"


APP_API_PREFIXES = (
    "/api/documents",
    "/api/elections",
    "/api/notices",
    "/api/tasks",
    "/api/meetings",
    "/api/schedule",
    "/api/consultations",
)  # each app's own matrix covers these (<app>/tests/test_api.py)


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if not path.startswith(APP_API_PREFIXES)
    }


def test_every_api_operation_has_rows_for_anonymous_allowed_and_refused() -> None:
    operations = _api_operations()
    assert len(operations) >= 14
    for route, method in operations:
        cases = [c for c in API_CASES if c.route == route and c.method == method]
        assert cases, f"{method} {route}: no row in the permission matrix"
        assert any(c.persona == "anonymous" and c.expected == 401 for c in cases), f"{method} {route}: anonymous"
        assert any(c.expected in (200, 201) for c in cases), f"{method} {route}: no allowed row"
        if method != "GET":
            assert any(c.expected == 403 for c in cases), f"{method} {route}: no refused row"
    paths = {route for route, _method in operations}
    for route in paths:
        assert any(c.route == route and c.expected == 405 for c in API_CASES), f"{route}: no wrong-method row"
    known = {(c.route, c.method) for c in API_CASES if c.expected != 405}
    assert known - operations == set(), "rows for operations that no longer exist"
