"""The foundation's journeys as people make them: sign in, switch language, administer, get refused.

People click links and buttons by their visible names, type into labelled fields and press keys;
a URL is typed only where a person would type one. Expected words come from the catalogue in the
language the page is in, so these tests hold in every language the site speaks.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import get_language_info, ngettext
from playwright.sync_api import Locator, Page, expect

from vanphong.core.forms import AccountCreateForm, OrganizationForm, PersonForm, RoleGrantForm
from vanphong.core.models import Account, Organization, OrgKind, OrgLevel, Person, RoleGrant
from vanphong.core.models.roles import Role
from vanphong.core.services.organizations import validate_identifier_code
from vanphong.testing import PASSWORD, Office

from .conftest import Web, control, labelled, tr


def brand_and_tools_x(page: Page) -> tuple[float, float]:
    brand = page.locator(".topbar__brand").bounding_box()
    tools = page.locator(".topbar__tools").bounding_box()
    assert brand is not None and tools is not None, "the top bar's brand and tools must be on screen"
    return brand["x"], tools["x"]


def identifier_code_error(code: str) -> str:
    """What the service says about a bad identifier code, in Vietnamese."""
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validate_identifier_code(code)
    return caught.value.message_dict["identifier_code"][0]


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name=tr("Main menu"))


@pytest.mark.browser
def test_chief_signs_in_with_the_keyboard_and_switches_to_urdu(web: Web, office: Office) -> None:
    page = web.page
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Sign in to the digital office"))
    # The style sheet and htmx really arrived (the fixture also fails on any /static/ error).
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    assert page.evaluate("typeof window.htmx") == "object"

    # Keyboard only: the user name field has the focus, Tab goes on to the password, Enter signs in.
    expect(labelled(page, tr("User name"))).to_be_focused()
    page.keyboard.type("chanhvp")
    page.keyboard.press("Tab")
    expect(labelled(page, tr("Password"))).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(web.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Hello, %(name)s") % {"name": "Trần Văn Bình"})
    units = page.get_by_role("region", name=tr("My units and roles"))
    expect(units).to_contain_text("Chánh Văn phòng — Văn phòng Tỉnh ủy")
    with translation.override("vi"):
        leader = str(Role.LEADER.label)
    expect(units).to_contain_text(f"{leader} — Văn phòng Tỉnh ủy")
    brand_x, tools_x = brand_and_tools_x(page)
    assert brand_x < tools_x, "in Vietnamese the brand starts the top bar on the left"

    # The switcher submits as soon as another language is chosen.
    with page.expect_navigation():
        labelled(page, tr("Language")).select_option(label=get_language_info("ur")["name_local"])
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Hello, %(name)s", "ur") % {"name": "Trần Văn Bình"})
    brand_x, tools_x = brand_and_tools_x(page)
    assert brand_x > tools_x, "right to left: the brand moves to the right of the tools"
    web.screenshot("urdu-home")

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    office.chief.refresh_from_db()
    assert office.chief.language == "ur"

    # The preference follows the person to another browser.
    elsewhere = web.new_page()
    web.sign_in("chanhvp", page=elsewhere)
    expect(elsewhere.locator("html")).to_have_attribute("lang", "ur")


@pytest.mark.browser
def test_administrator_adds_a_unit_a_person_a_role_and_an_account(web: Web, office: Office) -> None:
    page = web.page
    web.sign_in("quantritu")
    main_menu(page).get_by_role("link", name=tr("Organisations"), exact=True).click()
    page.get_by_role("link", name="Văn phòng Tỉnh ủy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Văn phòng Tỉnh ủy")
    web.screenshot("organisation-vi")
    page.get_by_role("link", name=tr("Add a unit inside"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Add an organisation"))
    expect(control(page, OrganizationForm, "parent")).to_have_value(str(office.party_office.pk))
    control(page, OrganizationForm, "full_name").fill("Phòng Tin học – Cơ yếu")
    control(page, OrganizationForm, "abbreviation").fill("PTHCY")
    with translation.override("vi"):
        internal_unit = str(OrgKind.INTERNAL_UNIT.label)
    control(page, OrganizationForm, "kind").select_option(label=internal_unit)

    # A mistyped identifier code: the field says what is wrong and nothing is created.
    before = Organization.objects.count()
    code = control(page, OrganizationForm, "identifier_code")
    code.fill("000..00.H70")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    empty_group = identifier_code_error("000..00.H70")
    expect(page.locator(".field--error")).to_have_count(1)
    expect(page.locator(".field--error")).to_contain_text(empty_group)
    expect(code).to_have_attribute("aria-invalid", "true")
    assert Organization.objects.count() == before
    expect(control(page, OrganizationForm, "full_name")).to_have_value("Phòng Tin học – Cơ yếu")

    code.fill("")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phòng Tin học – Cơ yếu")
    expect(page.get_by_role("status")).to_contain_text(
        tr("{name} has been added.").format(name="Phòng Tin học – Cơ yếu")
    )
    assert Organization.objects.count() == before + 1
    unit = Organization.objects.get(abbreviation="PTHCY")
    assert unit.parent == office.party_office
    assert (unit.kind, unit.level) == (OrgKind.INTERNAL_UNIT, OrgLevel.PROVINCE)
    assert unit.identifier_code is None

    # A person in the new unit.
    page.get_by_role("link", name=tr("Everyone working here"), exact=True).click()
    page.get_by_role("link", name=tr("Add a person"), exact=True).click()
    expect(control(page, PersonForm, "organization")).to_have_value(str(unit.pk))
    control(page, PersonForm, "full_name").fill("Đỗ Thị Hạnh")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đỗ Thị Hạnh")
    person = Person.objects.get(full_name="Đỗ Thị Hạnh")
    assert person.organization == unit

    # The clerk's role in that unit.
    with translation.override("vi"):
        clerk = str(Role.CLERK.label)
    page.get_by_role("link", name=tr("Grant a role"), exact=True).click()
    expect(control(page, RoleGrantForm, "organization")).to_have_value(str(unit.pk))
    control(page, RoleGrantForm, "role").select_option(label=clerk)
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(tr("The role has been granted."))
    assert RoleGrant.objects.filter(person=person, organization=unit, role=Role.CLERK, revoked_at=None).exists()

    # Her account.
    page.get_by_role("link", name=tr("Create an account"), exact=True).click()
    control(page, AccountCreateForm, "username").fill("dothihanh")
    control(page, AccountCreateForm, "password").fill(PASSWORD)
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        tr("The account {username} has been created.").format(username="dothihanh")
    )
    assert Account.objects.get(username="dothihanh").person == person

    # Everything on her page.
    page.get_by_role("link", name="Đỗ Thị Hạnh", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đỗ Thị Hạnh")
    details = page.locator("dl.kv")
    expect(details.get_by_role("link", name="Phòng Tin học – Cơ yếu", exact=True)).to_be_visible()
    expect(details.get_by_role("link", name="dothihanh", exact=True)).to_be_visible()
    role_row = page.get_by_role("row").filter(has_text=clerk)
    expect(role_row).to_have_count(1)
    expect(role_row).to_contain_text("Phòng Tin học – Cơ yếu")
    expect(page.get_by_role("link", name=tr("Create an account"), exact=True)).to_have_count(0)

    # The organisation's history records its creation, by whom.
    details.get_by_role("link", name="Phòng Tin học – Cơ yếu", exact=True).click()
    page.get_by_role("link", name=tr("History"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("History of %(name)s") % {"name": "Phòng Tin học – Cơ yếu"}
    )
    creation = page.locator(".timeline > li").filter(has_text="organization.create")
    expect(creation).to_have_count(1)
    expect(creation).to_contain_text("quantritu")  # the audit log names accounts by user name
    expect(creation).to_contain_text("PTHCY")


@pytest.mark.browser
def test_clerk_cannot_open_the_administration_pages(web: Web, office: Office) -> None:
    page = web.page
    web.sign_in("vanthu")
    menu = main_menu(page)
    expect(menu.get_by_role("link", name=tr("Organisations"), exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name=tr("Accounts"), exact=True)).to_have_count(0)
    expect(menu.get_by_role("link", name=tr("Audit log"), exact=True)).to_have_count(0)
    expect(page.get_by_role("region", name=tr("Recent activity"))).to_have_count(0)

    # Typing the addresses anyway: refused, not sent to sign in again.
    for path in ("/accounts/", "/organizations/new/", "/audit/"):
        response = page.goto(path)
        assert response is not None and response.status == 403, f"{path} answered {response and response.status}"
        expect(page).to_have_url(web.base_url + path)
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Not allowed"))
    page.get_by_role("link", name=tr("Back to my work"), exact=True).click()
    expect(page).to_have_url(web.base_url + "/")


@pytest.mark.browser
def test_five_wrong_passwords_lock_the_account(web: Web, office: Office) -> None:
    page = web.page
    page.goto("/")
    username = Account._meta.get_field(Account.USERNAME_FIELD).verbose_name
    with translation.override("vi"):
        wrong = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": username}
        # The same words as LockoutAuthenticationForm in core/views/home.py.
        locked = ngettext(
            "This account is locked after too many wrong passwords. Try again in {minutes} minute "
            "or ask an administrator to unlock it.",
            "This account is locked after too many wrong passwords. Try again in {minutes} minutes "
            "or ask an administrator to unlock it.",
            settings.LOCKOUT_MINUTES,
        ).format(minutes=settings.LOCKOUT_MINUTES)
    labelled(page, tr("User name")).fill("chuyenvien")
    password = labelled(page, tr("Password"))
    for attempt in range(settings.LOCKOUT_ATTEMPTS):
        password.fill(f"sai-mat-khau-{attempt}")
        password.press("Enter")
        expect(page.get_by_role("alert")).to_have_text(wrong)

    password.fill(PASSWORD)
    password.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(locked)
    expect(page).to_have_url(re.compile(r"/login/"))
    office.specialist.refresh_from_db()
    assert office.specialist.locked_until is not None and office.specialist.locked_until > timezone.now()


@pytest.mark.browser
def test_skip_link_and_labelled_person_form(web: Web, office: Office) -> None:
    page = web.page
    web.sign_in("quantritu")
    skip = page.get_by_role("link", name=tr("Skip to the main content"), exact=True)
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "the next Tab stays in the content"

    main_menu(page).get_by_role("link", name=tr("People"), exact=True).click()
    page.get_by_role("link", name=tr("Add a person"), exact=True).click()
    form = page.locator("main form.form")
    with translation.override("vi"):
        labels = {name: str(field.label) for name, field in PersonForm.base_fields.items()}
    for name, label in labels.items():
        found = labelled(form, label)
        expect(found, f"the {name} field is found by its label {label!r}").to_have_count(1)
        expect(found).to_have_id(f"id_{name}")
    unlabelled = form.locator("input:not([type=hidden]), select, textarea").evaluate_all(
        "controls => controls.filter(c => c.labels.length === 0).map(c => c.name)"
    )
    assert unlabelled == []


@pytest.mark.browser
def test_help_and_error_texts_are_read_with_their_fields(web: Web, office: Office) -> None:
    page = web.page
    web.sign_in("quantritu")
    main_menu(page).get_by_role("link", name=tr("Organisations"), exact=True).click()
    page.get_by_role("link", name=tr("Add an organisation"), exact=True).click()
    code = control(page, OrganizationForm, "identifier_code")
    with translation.override("vi"):
        help_text = str(OrganizationForm.base_fields["identifier_code"].help_text)
    expect(code).to_have_accessible_description(help_text)

    code.fill("000..00.H70")
    page.get_by_role("button", name=tr("Save"), exact=True).click()
    error = identifier_code_error("000..00.H70")
    expect(code).to_have_accessible_description(f"{help_text} {error}")
