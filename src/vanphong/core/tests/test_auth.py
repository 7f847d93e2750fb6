"""Signing in and out through the real pages: audit, lockout, sessions, API tokens, the interface language."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from vanphong.core.models import Account, ApiToken, AuditEntry
from vanphong.core.services import accounts
from vanphong.testing import PASSWORD, SYSTEM, Office

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
LOCKED = (
    "This account is locked after too many wrong passwords. Try again in {minutes} minute "
    "or ask an administrator to unlock it.",
    "This account is locked after too many wrong passwords. Try again in {minutes} minutes "
    "or ask an administrator to unlock it.",
)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def page_language(response: Any) -> str:
    found = re.search(r'<html lang="([\w-]+)"', response.content.decode())
    assert found, "the page has no <html lang>"
    return found.group(1)


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def lock_message(response: Any) -> str:
    minutes = settings.LOCKOUT_MINUTES
    with translation.override(page_language(response)):
        return escape(translation.ngettext(*LOCKED, minutes).format(minutes=minutes))


def signed_in_as(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def reload(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


# --- signing in -------------------------------------------------------------------------------------------------


def test_signing_in_redirects_and_is_audited_with_the_address(office: Office, client: Client) -> None:
    response = sign_in(client, "vanthu")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert signed_in_as(client) == office.clerk.pk
    [entry] = entries("auth.login")
    assert (entry.actor_id, entry.source, entry.ip, entry.object_id) == (
        office.clerk.pk,
        "web",
        "127.0.0.1",
        str(office.clerk.pk),
    )
    assert client.get(reverse("core:home")).status_code == 200


def test_user_names_are_not_case_sensitive(office: Office, client: Client) -> None:
    assert sign_in(client, "  VanThu ").status_code == 302
    assert signed_in_as(client) == office.clerk.pk


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/people/", "/people/"), ("https://evil.example/", "/"), ("//evil.example/", "/")],
)
def test_after_signing_in_only_local_next_pages_are_followed(
    office: Office, client: Client, next_url: str, lands_on: str
) -> None:
    response = sign_in(client, "vanthu", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_a_wrong_password_is_refused_and_audited(office: Office, client: Client) -> None:
    response = sign_in(client, "vanthu", "sai-mat-khau-roi")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert response.context["form"].non_field_errors()
    [entry] = entries("auth.login_failed")
    assert (entry.object_id, entry.after, entry.ip, entry.actor_id) == (
        str(office.clerk.pk),
        {"failed_logins": 1},
        "127.0.0.1",
        None,
    )
    assert reload(office.clerk).failed_logins == 1


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(office: Office, client: Client) -> None:
    assert settings.LOCKOUT_ATTEMPTS == 5
    for attempt in range(1, 5):
        sign_in(client, "vanthu", f"sai-lan-{attempt}")
        assert not reload(office.clerk).is_locked()
    started = timezone.now()
    sign_in(client, "vanthu", "sai-lan-5")
    account = reload(office.clerk)
    assert account.is_locked()
    assert account.locked_until is not None
    lock_length = account.locked_until - started
    assert datetime.timedelta(minutes=settings.LOCKOUT_MINUTES) - lock_length < datetime.timedelta(seconds=30)
    assert len(entries("auth.login_failed")) == 5
    [locked] = entries("auth.locked")
    assert locked.object_id == str(office.clerk.pk)

    response = sign_in(client, "vanthu", PASSWORD)
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert lock_message(response) in response.content.decode()
    assert entries("auth.login_refused_locked")[-1].object_id == str(office.clerk.pk)
    assert not entries("auth.login")

    # guessing on neither extends nor resets the lock
    sign_in(client, "vanthu", "sai-lan-6")
    assert reload(office.clerk).locked_until == account.locked_until
    assert len(entries("auth.locked")) == 1


def test_the_lock_expires_and_the_counter_starts_again(office: Office, client: Client) -> None:
    for attempt in range(5):
        sign_in(client, "vanthu", f"sai-{attempt}")
    assert reload(office.clerk).is_locked()
    Account.objects.filter(pk=office.clerk.pk).update(locked_until=timezone.now() - datetime.timedelta(seconds=1))

    assert sign_in(client, "vanthu").status_code == 302
    account = reload(office.clerk)
    assert (account.failed_logins, account.locked_until) == (0, None)
    client.post(reverse("core:logout"))

    for attempt in range(4):
        sign_in(client, "vanthu", f"sai-nua-{attempt}")
    assert not reload(office.clerk).is_locked()
    assert sign_in(client, "vanthu").status_code == 302


def test_a_success_resets_the_count_of_wrong_passwords(office: Office, client: Client) -> None:
    for attempt in range(3):
        sign_in(client, "vanthu", f"sai-{attempt}")
    assert reload(office.clerk).failed_logins == 3
    assert sign_in(client, "vanthu").status_code == 302
    assert reload(office.clerk).failed_logins == 0
    client.post(reverse("core:logout"))
    for attempt in range(3):
        sign_in(client, "vanthu", f"sai-nua-{attempt}")
    assert not reload(office.clerk).is_locked()


@pytest.mark.parametrize("admin", ["root_admin", "party_admin"])
def test_an_administrator_unlocks_an_account(office: Office, client: Client, admin: str) -> None:
    for attempt in range(5):
        sign_in(client, "vanthu", f"sai-{attempt}")
    assert reload(office.clerk).is_locked()

    administrator = Client()
    administrator.force_login(getattr(office, admin))
    response = administrator.post(reverse("core:account_action", args=[office.clerk.pk]), {"action": "unlock"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account_detail", args=[office.clerk.pk])
    account = reload(office.clerk)
    assert (account.locked_until, account.failed_logins) == (None, 0)
    [entry] = entries("account.unlock")
    assert (entry.actor_id, entry.object_id) == (getattr(office, admin).pk, str(office.clerk.pk))

    assert sign_in(client, "vanthu").status_code == 302
    assert signed_in_as(client) == office.clerk.pk


def test_an_unknown_user_name_is_audited_and_answered_like_a_wrong_password(office: Office, client: Client) -> None:
    unknown = sign_in(client, "khongtontai", "sai-mat-khau-roi")
    known = sign_in(client, "vanthu", "sai-mat-khau-roi")
    assert unknown.status_code == known.status_code == 200
    assert unknown.context["form"].non_field_errors() == known.context["form"].non_field_errors()
    assert unknown.context["form"].non_field_errors() == [
        AuthenticationForm.error_messages["invalid_login"]
        % {"username": Account._meta.get_field("username").verbose_name}
    ]
    first = entries("auth.login_failed")[0]
    assert (first.object_type, first.object_id, first.object_repr, first.ip) == (
        "core.account",
        "",
        "khongtontai",
        "127.0.0.1",
    )


def test_lockout_does_not_tell_which_user_names_exist(office: Office, client: Client) -> None:
    """After the same number of wrong guesses, a real and an invented user name get the same answer."""
    for attempt in range(settings.LOCKOUT_ATTEMPTS + 1):
        known = sign_in(client, "vanthu", f"sai-{attempt}")
        unknown = sign_in(client, "khongtontai", f"sai-{attempt}")
        assert unknown.context["form"].non_field_errors() == known.context["form"].non_field_errors(), attempt


# --- sessions --------------------------------------------------------------------------------------------------------


def test_sessions_end_with_the_browser_and_after_idle_time() -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # the age counts from the last request
    assert 5 * 60 <= settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_the_session_cookie_is_a_browser_session_cookie(office: Office, client: Client) -> None:
    response = sign_in(client, "vanthu")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"]


def _session(client: Client) -> Any:
    return Session.objects.filter(session_key=client.session.session_key)


def test_an_expired_session_sends_the_person_back_to_the_login_page(office: Office, client: Client) -> None:
    sign_in(client, "vanthu")
    assert client.get(reverse("core:person_list")).status_code == 200
    _session(client).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("core:person_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/people/"
    assert client.get("/api/me").status_code == 401


def test_each_request_extends_an_idle_session(office: Office, client: Client) -> None:
    sign_in(client, "vanthu")
    _session(client).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get(reverse("core:home")).status_code == 200
    remaining = _session(client).get().expire_date - timezone.now()
    assert remaining > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_signing_out_ends_the_session(office: Office, client: Client) -> None:
    sign_in(client, "vanthu")
    key = client.session.session_key
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("core:home")).status_code == 302


# --- API tokens on the profile page ------------------------------------------------------------------------------


def test_the_profile_lists_tokens_by_prefix_never_the_secret(office: Office, client: Client) -> None:
    token, raw = accounts.create_token(SYSTEM, office.clerk, name="Phần mềm thống kê")
    secret = raw.split("_", 2)[2]
    client.force_login(office.clerk)
    page = client.get(reverse("core:profile")).content.decode()
    assert token.prefix in page
    assert "Phần mềm thống kê" in page
    assert secret not in page
    assert token.secret_hash not in page


def test_a_new_token_is_shown_once(office: Office, client: Client) -> None:
    client.force_login(office.clerk)
    response = client.post(reverse("core:profile"), {"name": "Báo cáo tuần", "days": "30"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("vp_")
    assert raw in response.content.decode()
    token = ApiToken.objects.get(account=office.clerk)
    assert (token.name, token.expires_at.date()) == (
        "Báo cáo tuần",
        (timezone.now() + datetime.timedelta(days=30)).date(),
    )
    assert raw not in client.get(reverse("core:profile")).content.decode()
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_revoking_a_token_on_the_profile_page(office: Office, client: Client) -> None:
    token, raw = accounts.create_token(SYSTEM, office.clerk, name="Phần mềm thống kê")
    program = Client()
    assert program.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    client.force_login(office.clerk)
    response = client.post(reverse("core:profile"), {"revoke": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert entries("token.revoke")[-1].object_id == str(token.pk)
    response = program.get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")

    again = client.post(reverse("core:profile"), {"revoke": token.pk}, follow=True)
    assert again.status_code == 200
    messages = [str(m) for m in again.context["messages"]]
    assert in_language(page_language(again), "This token has already been revoked.") in messages


@pytest.mark.parametrize("persona", ["deputy", "root_admin"])
def test_another_persons_token_cannot_be_revoked(office: Office, client: Client, persona: str) -> None:
    token, raw = accounts.create_token(SYSTEM, office.clerk, name="Phần mềm thống kê")
    client.force_login(getattr(office, persona))
    assert client.post(reverse("core:profile"), {"revoke": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token.prefix not in client.get(reverse("core:profile")).content.decode()
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


# --- the interface language ------------------------------------------------------------------------------------------


def test_choosing_urdu_turns_the_pages_right_to_left_and_is_remembered(office: Office, client: Client) -> None:
    assert sign_in(client, "vanthu").status_code == 302
    assert 'dir="ltr"' in client.get(reverse("core:home")).content.decode()
    response = client.post(reverse("core:set_language"), {"language": "ur", "next": "/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    html = client.get(reverse("core:home")).content.decode()
    assert 'lang="ur"' in html
    assert 'dir="rtl"' in html
    assert reload(office.clerk).language == "ur"
    entry = entries("account.set_language")[-1]
    assert (entry.before, entry.after) == ({"language": ""}, {"language": "ur"})

    client.post(reverse("core:logout"))
    assert sign_in(client, "vanthu").status_code == 302
    assert 'lang="ur"' in client.get(reverse("core:home")).content.decode()

    elsewhere = Client()  # another browser: no cookie, the account remembers
    assert sign_in(elsewhere, "vanthu").status_code == 302
    html = elsewhere.get(reverse("core:home")).content.decode()
    assert 'lang="ur"' in html
    assert 'dir="rtl"' in html


def test_an_anonymous_visitor_can_switch_the_login_page(client: Client) -> None:
    assert client.post(reverse("core:set_language"), {"language": "en"}).status_code == 302
    assert page_language(client.get(LOGIN)) == "en"


@pytest.mark.parametrize("language", ["xx", "", "ur-evil", "EN"])
def test_an_invalid_language_shows_an_error_and_changes_nothing(office: Office, client: Client, language: str) -> None:
    client.force_login(office.clerk)
    before = AuditEntry.objects.count()
    response = client.post(reverse("core:set_language"), {"language": language, "next": "/people/"}, follow=True)
    assert response.status_code == 200
    assert page_language(response) == "vi"
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [in_language("vi", "Choose one of the offered languages.")]
    assert reload(office.clerk).language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert AuditEntry.objects.count() == before


def test_set_language_does_not_redirect_elsewhere(office: Office, client: Client) -> None:
    response = client.post(reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
