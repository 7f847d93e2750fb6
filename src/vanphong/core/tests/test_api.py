"""The HTTP API as a program uses it: a Bearer token, JSON in and out, stable error codes.

Every error body is ``{"code", "message", "fields"}``; ``message`` is in the request's language.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from vanphong.core.models import (
    Account,
    ApiToken,
    AuditEntry,
    Organization,
    OrganizationRecord,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    PositionHolding,
)
from vanphong.core.services import accounts, people
from vanphong.core.services import organizations as org_services
from vanphong.core.tests.test_permission_matrix import APP_API_PREFIXES
from vanphong.testing import SYSTEM, Office, make_org, make_person

pytestmark = pytest.mark.django_db
D = datetime.date


def bearer(account: Account) -> dict[str, str]:
    _token, raw = accounts.create_token(SYSTEM, account, name="Phần mềm báo cáo")
    return {"Authorization": f"Bearer {raw}"}


def call(
    client: Client,
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    payload: dict[str, Any] | None = None,
) -> Any:
    body = json.dumps(payload) if payload is not None else ""
    return client.generic(method, url, body, content_type="application/json", headers=headers or {})


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def tree_state() -> tuple[list[tuple[Any, ...]], int, int]:
    """Everything an organisation write could touch: the tree, its history and the audit log."""
    orgs = list(
        Organization.objects.order_by("pk").values_list(
            "pk", "parent_id", "path", "depth", "full_name", "abbreviation", "identifier_code", "kind"
        )
    )
    return orgs, OrganizationRecord.objects.count(), AuditEntry.objects.count()


def person_state() -> tuple[list[tuple[Any, ...]], int]:
    rows = list(Person.objects.order_by("pk").values_list("pk", "full_name", "email", "organization_id"))
    return rows, AuditEntry.objects.count()


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert body["message"]
    return body


# --- tokens and the shape of the API ------------------------------------------------------------------------

ENDPOINTS = {
    ("/api/bodies", "get"),
    ("/api/units", "get"),
    ("/api/organizations", "post"),
    ("/api/organizations/{org_id}", "get"),
    ("/api/organizations/{org_id}", "put"),
    ("/api/organization-kinds", "get"),
    ("/api/persons", "get"),
    ("/api/persons", "post"),
    ("/api/persons/{person_id}", "get"),
    ("/api/persons/{person_id}", "put"),
    ("/api/positions", "get"),
    ("/api/persons/{person_id}/positions", "get"),
    ("/api/persons/{person_id}/positions", "post"),
    ("/api/me", "get"),
}


def test_a_program_calls_with_its_bearer_token(office: Office, client: Client) -> None:
    token_headers = bearer(office.clerk)
    response = client.get("/api/me", headers=token_headers)
    assert response.status_code == 200
    assert response.json() == {
        "username": "vanthu",
        "person_id": office.clerk.person_id,
        "full_name": "Hoàng Thị Lan",
        "language": "",
        "is_administrator": False,
    }
    token = ApiToken.objects.get(account=office.clerk)
    assert token.last_used_at is not None
    assert "_auth_user_id" not in client.session  # a token call does not sign the client in


def test_openapi_schema_lists_every_endpoint_and_the_token_scheme(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    found = {(path, method) for path, operations in schema["paths"].items() for method in operations}
    # Each app lists its own operations in its tests (documents/tests/test_api.py, elections/tests/test_api.py, ...).
    assert {(path, method) for path, method in found if not path.startswith(APP_API_PREFIXES)} == ENDPOINTS
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert any("TokenAuth" in requirement for requirement in operation["security"]), (path, method)
            error = operation["responses"]["401"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorOut"}, (path, method)


def test_interactive_docs_work_offline(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    styles = re.findall(r'<link[^>]*\bhref="([^"]+)"', html)
    assert scripts, "Swagger UI needs its scripts"
    assert all(src.startswith("/static/") for src in scripts + styles), scripts + styles
    # Look for a CDN in the addresses the page loads, not in the whole page: the random CSRF token
    # printed in it can spell "cdn" (it did, once in CI).
    loaded = re.findall(r'(?:src|href|url)["=:\s]+"?([^"\s>]+)', html)
    assert not [address for address in loaded if "cdn" in address.lower()]
    assert not re.search(r'(src|href)="https?:', html)
    assert "/api/openapi.json" in html


# --- pagination ------------------------------------------------------------------------------------------------


def test_pagination_of_persons(office: Office, client: Client) -> None:
    archive = make_org("Phòng Lưu trữ", "PLT", kind=OrgKind.INTERNAL_UNIT, parent=office.party_office)
    for number in range(120):
        make_person(f"Lê Văn Số {number:03d}", archive)
    headers = bearer(office.clerk)
    url = f"/api/persons?organization={archive.pk}"

    first = client.get(url, headers=headers).json()
    assert (first["count"], first["page"], first["pages"], len(first["results"])) == (120, 1, 3, 50)
    second = client.get(url + "&page=2", headers=headers).json()
    third = client.get(url + "&page=3", headers=headers).json()
    assert (third["page"], len(third["results"])) == (3, 20)
    ids = [p["id"] for page in (first, second, third) for p in page["results"]]
    assert len(ids) == len(set(ids)) == 120
    assert {p["organization_id"] for p in first["results"]} == {archive.pk}

    for beyond in (4, 0):
        body = assert_error(client.get(f"{url}&page={beyond}", headers=headers), 400, "invalid")
        assert "page" in body["fields"]


def test_an_empty_list_is_one_empty_page(office: Office, client: Client) -> None:
    body = client.get("/api/persons?q=khongcoai", headers=bearer(office.clerk)).json()
    assert (body["count"], body["page"], body["pages"], body["results"]) == (0, 1, 1, [])


# --- filters (the pages' filter classes) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van", {"Nguyễn Văn Quản"}),
        ("Nguyễn Văn", {"Nguyễn Văn Quản"}),
        ("NGUYEN  VAN quan", {"Nguyễn Văn Quản"}),
        ("dang", {"Đặng Quốc Huy"}),
        ("Đặng", {"Đặng Quốc Huy"}),
        ("van", {"Nguyễn Văn Quản", "Trần Văn Bình", "Bùi Văn Nam"}),
        ("thi lan", {"Hoàng Thị Lan"}),
    ],
)
def test_search_ignores_accents_like_the_page(office: Office, client: Client, query: str, expected: set[str]) -> None:
    body = client.get("/api/persons", {"q": query}, headers=bearer(office.clerk)).json()
    assert {p["full_name"] for p in body["results"]} == expected
    client.force_login(office.clerk)
    page = client.get(reverse("core:person_list"), {"q": query})
    assert {p.full_name for p in page.context["page"].object_list} == expected


@pytest.fixture
def tree(office: Office) -> dict[str, Organization]:
    """A district committee, a dissolved department and a board established in 2024."""
    district = make_org("Huyện ủy Đông Sơn", "HU", kind=OrgKind.PARTY_COMMITTEE, parent=office.province_party,
                        level=OrgLevel.DISTRICT)  # fmt: skip
    tourism = make_org("Sở Du lịch", "SDL", kind=OrgKind.STATE_AGENCY, parent=office.peoples_committee)
    org_services.dissolve_organization(SYSTEM, tourism, effective_on=D(2025, 7, 1))
    mass = org_services.create_organization(
        SYSTEM,
        org_services.OrganizationData(
            kind=OrgKind.PARTY_ADVISORY,
            full_name="Ban Dân vận Tỉnh ủy",
            abbreviation="BDVTU",
            parent=office.province_party,
        ),
        established_on=D(2024, 6, 1),
    )
    return {"district": district, "tourism": tourism, "mass": mass}


FIXTURE_BODIES = {"Tỉnh ủy Sơn Hà", "Văn phòng Tỉnh ủy", "Ủy ban nhân dân tỉnh Sơn Hà", "Sở Nội vụ"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, FIXTURE_BODIES | {"Huyện ủy Đông Sơn", "Ban Dân vận Tỉnh ủy"}),
        ({"kind": "party_committee"}, {"Tỉnh ủy Sơn Hà", "Huyện ủy Đông Sơn"}),
        ({"kind": "party_committee", "level": "province"}, {"Tỉnh ủy Sơn Hà"}),
        ({"level": "district"}, {"Huyện ủy Đông Sơn"}),
        ({"status": "dissolved"}, {"Sở Du lịch"}),
        ({"status": "all", "kind": "state_agency"}, {"Sở Nội vụ", "Sở Du lịch"}),
        ({"as_of": "2023-01-01"}, FIXTURE_BODIES | {"Huyện ủy Đông Sơn", "Sở Du lịch"}),
        ({"as_of": "2025-12-01", "kind": "party_advisory"}, {"Văn phòng Tỉnh ủy", "Ban Dân vận Tỉnh ủy"}),
        ({"q": "so noi vu"}, {"Sở Nội vụ"}),
        ({"q": "uy ban nhan dan"}, {"Ủy ban nhân dân tỉnh Sơn Hà"}),
        ({"q": "van phong"}, {"Văn phòng Tỉnh ủy"}),
    ],
)
def test_body_filters(
    office: Office, tree: dict[str, Organization], client: Client, params: dict[str, str], expected: set[str]
) -> None:
    body = client.get("/api/bodies", params, headers=bearer(office.specialist)).json()
    assert {o["full_name"] for o in body["results"]} == expected
    assert body["count"] == len(expected)
    assert all(not o["is_internal_unit"] for o in body["results"])


def test_units_are_the_internal_units_only(office: Office, client: Client) -> None:
    body = client.get("/api/units", headers=bearer(office.specialist)).json()
    assert [o["full_name"] for o in body["results"]] == ["Phòng Tổng hợp"]
    assert body["results"][0]["parent_id"] == office.party_office.pk


@pytest.mark.parametrize(
    ("params", "field"),
    [({"kind": "ministry"}, "kind"), ({"status": "sleeping"}, "status"), ({"level": "galaxy"}, "level")],
)
def test_invalid_filter_values_are_a_400_not_ignored(
    office: Office, client: Client, params: dict[str, str], field: str
) -> None:
    body = assert_error(client.get("/api/bodies", params, headers=bearer(office.clerk)), 400, "invalid")
    assert field in body["fields"]


@pytest.mark.parametrize(("params", "field"), [({"as_of": "2024-02-30"}, "as_of"), ({"page": "hai"}, "page"),
                                               ({"parent": "TU"}, "parent")])  # fmt: skip
def test_values_of_the_wrong_type_are_malformed(
    office: Office, client: Client, params: dict[str, str], field: str
) -> None:
    body = assert_error(client.get("/api/bodies", params, headers=bearer(office.clerk)), 422, "malformed")
    assert field in body["fields"]


# --- authentication errors ----------------------------------------------------------------------------------------

TOKEN_MESSAGES = {
    "token_invalid": "The API token is not valid.",
    "token_revoked": "The API token has been revoked.",
    "token_expired": "The API token has expired.",
    "account_disabled": "The account of this API token is disabled.",
    "not_authenticated": "Sign in or send an API token.",
}


def _authorization_for(code: str, office: Office) -> dict[str, str]:
    if code == "not_authenticated":
        return {}
    if code == "token_invalid":
        return {"Authorization": "Bearer vp_garbage"}
    token_headers = bearer(office.clerk)
    token = ApiToken.objects.filter(account=office.clerk).latest("created_at")
    if code == "token_expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif code == "token_revoked":
        accounts.revoke_token(SYSTEM, token)
    elif code == "account_disabled":
        accounts.set_active(SYSTEM, office.clerk, False)
    return token_headers


@pytest.mark.parametrize("code", list(TOKEN_MESSAGES))
def test_authentication_errors_have_stable_codes(office: Office, client: Client, code: str) -> None:
    headers = {**_authorization_for(code, office), "Accept-Language": "en"}
    body = assert_error(client.get("/api/persons", headers=headers), 401, code)
    assert body["message"] == in_language("en", TOKEN_MESSAGES[code])
    assert body["fields"] == {}


@pytest.mark.parametrize(
    "authorization",
    ["Bearer garbage", "Bearer vp_deadbeef_not-the-secret", "Bearer ", "Bearer vp__", "Bearer " + "x" * 5000],
)
def test_malformed_or_guessed_tokens_are_invalid(office: Office, client: Client, authorization: str) -> None:
    accounts.create_token(SYSTEM, office.clerk, name="thật")
    response = client.get("/api/me", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json()["code"] in ("token_invalid", "not_authenticated")


def test_a_real_prefix_with_a_wrong_secret_is_invalid(office: Office, client: Client) -> None:
    token, raw = accounts.create_token(SYSTEM, office.clerk, name="thật")
    forged = f"vp_{token.prefix}_{'A' * 43}"
    assert_error(client.get("/api/me", headers={"Authorization": f"Bearer {forged}"}), 401, "token_invalid")
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


@pytest.mark.parametrize("code", list(TOKEN_MESSAGES))
def test_error_messages_are_in_the_requests_language(office: Office, client: Client, code: str) -> None:
    headers = {**_authorization_for(code, office), "Accept-Language": "vi"}
    body = assert_error(client.get("/api/persons", headers=headers), 401, code)
    vietnamese = in_language("vi", TOKEN_MESSAGES[code])
    assert body["message"] == vietnamese
    assert vietnamese != TOKEN_MESSAGES[code], "the Vietnamese catalogue has no translation for this message"


def test_field_errors_are_in_the_requests_language(office: Office, client: Client) -> None:
    payload = {"kind": "state_agency", "full_name": "Sở Y tế", "abbreviation": "SYT",
               "parent_id": office.peoples_committee.pk, "identifier_code": "000.00.00.Đ70"}  # fmt: skip
    headers = {**bearer(office.root_admin), "Accept-Language": "vi"}
    body = assert_error(call(client, "POST", "/api/organizations", headers, payload), 400, "invalid_identifier_code")
    english = "The identifier code may contain only the digits 0-9, the capital letters A-Z and dots."
    assert body["fields"]["identifier_code"] == [in_language("vi", english)]
    assert in_language("vi", english) != english, "the Vietnamese catalogue has no translation for this message"


def test_a_program_without_a_token_gets_401_even_when_csrf_is_enforced(office: Office) -> None:
    """Programs send no CSRF cookie: a missing token must read "not_authenticated", not a CSRF failure."""
    program = Client(enforce_csrf_checks=True)
    payload = {"full_name": "Đinh Văn Khoa", "organization_id": office.party_office.pk}
    before = person_state()
    assert_error(call(program, "POST", "/api/persons", {}, payload), 401, "not_authenticated")
    assert person_state() == before


# --- writes: validation, refusals, audit --------------------------------------------------------------------------


def _new_org(office: Office, **changes: Any) -> dict[str, Any]:
    payload = {
        "kind": "state_agency",
        "full_name": "Sở Y tế",
        "abbreviation": "SYT",
        "parent_id": office.peoples_committee.pk,
        "identifier_code": "000.00.05.H70",
    }
    payload.update(changes)
    return payload


def _org_payload(org: Organization, **changes: Any) -> dict[str, Any]:
    payload = {
        "kind": org.kind,
        "level": org.level,
        "full_name": org.full_name,
        "short_name": org.short_name,
        "abbreviation": org.abbreviation,
        "identifier_code": org.identifier_code,
        "parent_id": org.parent_id,
        "sort_order": org.sort_order,
    }
    payload.update(changes)
    return payload


@pytest.mark.parametrize("code", ["000.00.00.Đ70", "000..00.H70", "A" * 36, "000 00 05 H70", "000.00.05.H70."])
def test_invalid_identifier_code_is_refused_on_create_and_update(office: Office, client: Client, code: str) -> None:
    headers = bearer(office.root_admin)
    before = tree_state()
    body = assert_error(call(client, "POST", "/api/organizations", headers, _new_org(office, identifier_code=code)),
                        400, "invalid_identifier_code")  # fmt: skip
    assert list(body["fields"]) == ["identifier_code"]
    assert body["message"]
    url = f"/api/organizations/{office.home_affairs.pk}"
    body = assert_error(call(client, "PUT", url, headers, _org_payload(office.home_affairs, identifier_code=code)),
                        400, "invalid_identifier_code")  # fmt: skip
    assert list(body["fields"]) == ["identifier_code"]
    assert tree_state() == before


def test_a_valid_code_is_stored_in_capitals(office: Office, client: Client) -> None:
    response = call(client, "POST", "/api/organizations", bearer(office.root_admin),
                    _new_org(office, identifier_code=" 000.00.05.h70 "))  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["identifier_code"] == "000.00.05.H70"


@pytest.mark.parametrize("code", ["000.00.00.H70", "000.00.01.h70"])
def test_duplicate_identifier_code_changes_nothing(office: Office, client: Client, code: str) -> None:
    headers = bearer(office.root_admin)
    before = tree_state()
    body = assert_error(call(client, "POST", "/api/organizations", headers, _new_org(office, identifier_code=code)),
                        400, "duplicate_identifier_code")  # fmt: skip
    assert code.upper() in body["fields"]["identifier_code"][0]
    party_office = office.party_office
    url = f"/api/organizations/{party_office.pk}"
    body = assert_error(call(client, "PUT", url, headers, _org_payload(party_office, identifier_code=code)),
                        400, "duplicate_identifier_code")  # fmt: skip
    assert "identifier_code" in body["fields"]
    assert tree_state() == before


@pytest.mark.parametrize("persona", ["root_admin", "party_admin"])
def test_an_organisation_cannot_become_its_own_ancestor(office: Office, client: Client, persona: str) -> None:
    headers = bearer(getattr(office, persona))
    before = tree_state()
    for new_parent in (office.general_unit, office.party_office):
        url = f"/api/organizations/{office.party_office.pk}"
        payload = _org_payload(office.party_office, parent_id=new_parent.pk)
        body = assert_error(call(client, "PUT", url, headers, payload), 400, "parent_cycle")
        assert "parent" in body["fields"]
    assert tree_state() == before


def test_a_scoped_administrator_cannot_lift_an_organisation_to_the_root(office: Office, client: Client) -> None:
    """Only the installation administrator places organisations at the top of the tree (policy.py)."""
    headers = bearer(office.party_admin)
    before = tree_state()
    url = f"/api/organizations/{office.party_office.pk}"
    response = call(client, "PUT", url, headers, _org_payload(office.party_office, parent_id=None))
    assert_error(response, 403, "forbidden")
    assert tree_state() == before
    response = call(client, "POST", "/api/organizations", headers, _new_org(office, parent_id=None))
    assert_error(response, 403, "forbidden")
    assert tree_state() == before


def test_a_scoped_administrator_cannot_move_an_organisation_out_of_reach(office: Office, client: Client) -> None:
    headers = bearer(office.party_admin)
    before = tree_state()
    url = f"/api/organizations/{office.general_unit.pk}"
    payload = _org_payload(office.general_unit, parent_id=office.home_affairs.pk)
    assert_error(call(client, "PUT", url, headers, payload), 403, "forbidden")
    assert tree_state() == before


def test_writes_are_audited_with_source_api(office: Office, client: Client) -> None:
    headers = bearer(office.party_admin)
    payload = _new_org(office, kind="party_advisory", full_name="Ban Tổ chức Tỉnh ủy", abbreviation="BTCTU",
                       parent_id=office.province_party.pk, identifier_code=None)  # fmt: skip
    response = call(client, "POST", "/api/organizations", headers, payload)
    assert response.status_code == 201, response.content
    created = response.json()
    entry = AuditEntry.objects.get(action="organization.create", object_id=str(created["id"]))
    assert (entry.source, entry.actor_id, entry.actor_name, entry.ip) == ("api", office.party_admin.pk, "quantritu",
                                                                          "127.0.0.1")  # fmt: skip
    assert entry.after["full_name"] == "Ban Tổ chức Tỉnh ủy"

    url = f"/api/persons/{office.chief.person_id}"
    response = call(client, "PUT", url, headers, {"full_name": "Trần Văn Bình", "email": "Binh@TinhUy.example.vn",
                                                  "organization_id": office.party_office.pk})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "binh@tinhuy.example.vn"
    entry = AuditEntry.objects.filter(action="person.update").latest("seq")
    assert (entry.source, entry.object_id, entry.after) == ("api", str(office.chief.person_id),
                                                            {"email": "binh@tinhuy.example.vn"})  # fmt: skip

    position = Position.objects.get(name="Chuyên viên")
    url = f"/api/persons/{office.clerk.person_id}/positions"
    payload = {"organization_id": office.general_unit.pk, "position_id": position.pk, "started_on": "2025-01-02"}
    response = call(client, "POST", url, bearer(office.chief), payload)
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.filter(action="position.assign").latest("seq")
    assert (entry.source, entry.actor_name, entry.on_behalf_of) == ("api", "chanhvp", "")


def test_writes_through_the_browser_session_are_audited_as_api_too(office: Office, client: Client) -> None:
    """The interactive docs call the API with the session: still an API write."""
    client.force_login(office.root_admin)
    response = call(client, "POST", "/api/persons", None, {"full_name": "Đinh Văn Khoa"})
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(action="person.create", object_id=str(response.json()["id"]))
    assert entry.source == "api"


def test_a_clerk_cannot_create(office: Office, client: Client) -> None:
    headers = bearer(office.clerk)
    before_tree, before_people = tree_state(), person_state()
    payload = _new_org(office, parent_id=office.general_unit.pk, kind="internal_unit", identifier_code=None)
    assert_error(call(client, "POST", "/api/organizations", headers, payload), 403, "forbidden")
    payload = {"full_name": "Đinh Văn Khoa", "organization_id": office.general_unit.pk}
    assert_error(call(client, "POST", "/api/persons", headers, payload), 403, "forbidden")
    assert tree_state() == before_tree
    assert person_state() == before_people


def test_the_directory_is_open_to_everyone_signed_in_but_only_administrators_change_it(
    office: Office, client: Client
) -> None:
    headers = bearer(office.outsider_admin)
    before_tree, before_people = tree_state(), person_state()
    for url in (
        f"/api/organizations/{office.party_office.pk}",
        f"/api/persons/{office.chief.person_id}",
        f"/api/persons/{office.chief.person_id}/positions",
        f"/api/bodies?parent={office.province_party.pk}",
        f"/api/persons?organization={office.party_office.pk}",
    ):
        assert client.get(url, headers=headers).status_code == 200, url
    org_url = f"/api/organizations/{office.party_office.pk}"
    payload = _org_payload(office.party_office, full_name="Văn phòng khác")
    assert_error(call(client, "PUT", org_url, headers, payload), 403, "forbidden")
    person_url = f"/api/persons/{office.chief.person_id}"
    payload = {"full_name": "Trần Văn Bình", "organization_id": office.home_affairs.pk}
    assert_error(call(client, "PUT", person_url, headers, payload), 403, "forbidden")
    payload = {"full_name": "Đinh Văn Khoa", "organization_id": office.party_office.pk}
    assert_error(call(client, "POST", "/api/persons", headers, payload), 403, "forbidden")
    assert tree_state() == before_tree
    assert person_state() == before_people


def test_invalid_person_data_changes_nothing(office: Office, client: Client) -> None:
    headers = bearer(office.party_admin)
    before = person_state()
    url = f"/api/persons/{office.chief.person_id}"
    payload = {"full_name": "Trần Văn Bình", "email": "không-phải-email", "organization_id": office.party_office.pk}
    body = assert_error(call(client, "PUT", url, headers, payload), 400, "invalid")
    assert list(body["fields"]) == ["email"]
    payload = {"full_name": "   ", "organization_id": office.party_office.pk}
    body = assert_error(call(client, "POST", "/api/persons", headers, payload), 400, "invalid")
    assert "full_name" in body["fields"]
    body = assert_error(call(client, "POST", "/api/persons", headers, {"full_name": "Đinh Văn Khoa"}), 400, "invalid")
    assert "organization_id" in body["fields"]
    assert person_state() == before


def test_a_scoped_administrator_cannot_move_a_person_out_of_every_organisation(office: Office, client: Client) -> None:
    """Creating a person without an organisation is refused to scoped administrators; so is updating to none."""
    headers = bearer(office.party_admin)
    before = person_state()
    url = f"/api/persons/{office.chief.person_id}"
    response = call(client, "PUT", url, headers, {"full_name": "Trần Văn Bình"})
    body = assert_error(response, 400, "invalid")
    assert "organization_id" in body["fields"]
    assert person_state() == before


def test_malformed_json_is_a_422_with_the_fields(office: Office, client: Client) -> None:
    headers = bearer(office.root_admin)
    body = assert_error(call(client, "POST", "/api/persons", headers, {"organization_id": "mười"}), 422, "malformed")
    assert {"full_name", "organization_id"} <= set(body["fields"])


def test_a_body_that_is_not_json_is_malformed_in_the_requests_language(office: Office, client: Client) -> None:
    headers = {**bearer(office.root_admin), "Accept-Language": "vi"}
    response = client.post("/api/persons", "{not json", content_type="application/json", headers=headers)
    assert response.status_code in (400, 422)
    body = response.json()
    assert body["code"] == "malformed"
    assert body["message"] == in_language("vi", "The request is malformed.")


def test_assigning_a_position_checks_the_organisation_and_the_position(office: Office, client: Client) -> None:
    url = f"/api/persons/{office.clerk.person_id}/positions"
    before = PositionHolding.objects.count()
    payload = {"organization_id": office.party_office.pk, "position_id": 999_999, "started_on": "2025-01-02"}
    body = assert_error(call(client, "POST", url, bearer(office.party_admin), payload), 400, "invalid")
    assert "position_id" in body["fields"]
    payload["organization_id"] = 999_999
    assert_error(call(client, "POST", url, bearer(office.party_admin), payload), 404, "not_found")
    assert PositionHolding.objects.count() == before


def test_people_created_by_a_scoped_administrator_land_in_their_scope(office: Office, client: Client) -> None:
    payload = {"full_name": "Đinh Văn Khoa", "organization_id": office.general_unit.pk, "email": "khoa@example.vn"}
    response = call(client, "POST", "/api/persons", bearer(office.party_admin), payload)
    assert response.status_code == 201, response.content
    created = Person.objects.get(pk=response.json()["id"])
    assert (created.given_name, created.family_name, created.organization_id) == (
        "Khoa",
        "Đinh",
        office.general_unit.pk,
    )
    assert people.person_data(created).clearance == 0
