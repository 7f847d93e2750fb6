"""Writes about accounts, passwords, lockout, language preference and API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Account, ApiToken, Person

TOKEN_PREFIX = "vp"  # noqa: S105 (a public marker, not a secret)


@transaction.atomic
def create_account(
    actor: Actor, person: Person | None, *, username: str, password: str, is_superuser: bool = False
) -> Account:
    """Give a person a login. The password is checked against the password rules."""
    username = username.strip().lower()
    errors: dict[str, list[str]] = {}
    if not username or any(ch.isspace() for ch in username):
        errors["username"] = [_("Enter a user name without spaces.")]
    elif Account.objects.filter(username=username).exists():
        errors["username"] = [_("The user name {username} is taken.").format(username=username)]
    if person is not None and Account.objects.filter(person=person).exists():
        errors["person"] = [_("{person} already has an account.").format(person=person.full_name)]
    candidate = Account(username=username, person=person)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    account = Account.objects.create_user(username, password, person=person, is_superuser=is_superuser)
    audit.record(
        actor,
        "account.create",
        account,
        after={"username": username, "person": person.pk if person else None, "is_superuser": is_superuser},
    )
    return account


@transaction.atomic
def set_password(actor: Actor, account: Account, password: str) -> None:
    try:
        validate_password(password, account)
    except ValidationError as error:
        raise ValidationError({"password": list(error.messages)}) from None
    account.set_password(password)
    account.save(update_fields=["password"])
    audit.record(actor, "account.set_password", account)


@transaction.atomic
def set_active(actor: Actor, account: Account, active: bool) -> None:
    """Disable or re-enable a login (the account and its history stay)."""
    if account.is_active == active:
        return
    Account.objects.filter(pk=account.pk).update(is_active=active)
    account.is_active = active
    audit.record(
        actor,
        "account.enable" if active else "account.disable",
        account,
        before={"is_active": not active},
        after={"is_active": active},
    )


@transaction.atomic
def unlock(actor: Actor, account: Account) -> None:
    Account.objects.filter(pk=account.pk).update(failed_logins=0, locked_until=None)
    audit.record(
        actor,
        "account.unlock",
        account,
        before={"locked_until": account.locked_until},
        after={"locked_until": None},
    )
    account.failed_logins, account.locked_until = 0, None


@transaction.atomic
def set_language(actor: Actor, account: Account, language: str) -> None:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    if account.language == language:
        return
    before = {"language": account.language}
    Account.objects.filter(pk=account.pk).update(language=language)
    account.language = language
    audit.record(actor, "account.set_language", account, before=before, after={"language": language})


# --- login outcomes and lockout ---------------------------------------------------------------------


@transaction.atomic
def record_login_success(actor: Actor, account: Account) -> None:
    if account.failed_logins or account.locked_until:
        Account.objects.filter(pk=account.pk).update(failed_logins=0, locked_until=None)
    audit.record(actor, "auth.login", account)


@transaction.atomic
def record_login_failure(actor: Actor, username: str) -> Account | None:
    """Count a wrong password; lock the account after LOCKOUT_ATTEMPTS in a row. Returns the account."""
    account = Account.objects.select_for_update().filter(username=username.strip().lower()).first()
    if account is None:
        audit.record(actor, "auth.login_failed", object_type="core.account", object_repr=username.strip().lower()[:255])
        return None
    Account.objects.filter(pk=account.pk).update(failed_logins=F("failed_logins") + 1)
    account.refresh_from_db(fields=["failed_logins", "locked_until"])
    audit.record(actor, "auth.login_failed", account, after={"failed_logins": account.failed_logins})
    if account.failed_logins >= settings.LOCKOUT_ATTEMPTS and not account.is_locked():
        until = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)
        Account.objects.filter(pk=account.pk).update(locked_until=until, failed_logins=0)
        account.locked_until = until
        audit.record(actor, "auth.locked", account, after={"locked_until": until})
    return account


# --- API tokens ----------------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(actor: Actor, account: Account, *, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Issue an API token. The full token is returned once; only its hash is kept."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the program that will use it.")})
    days = days or settings.API_TOKEN_DAYS
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("A token lives between 1 and 366 days.")})
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        account=account,
        name=name,
        prefix=prefix,
        secret_hash=_hash_secret(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit.record(actor, "token.create", token, after={"name": name, "expires_at": token.expires_at})
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def revoke_token(actor: Actor, token: ApiToken) -> None:
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated != 1:
        raise ValidationError(_("This token has already been revoked."), code="already_revoked")
    audit.record(actor, "token.revoke", token)


def authenticate_token(raw: str) -> tuple[ApiToken | None, str]:
    """Look a presented token up: (token, "") if usable, else (None, reason code)."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None, "token_invalid"
    token = ApiToken.objects.select_related("account", "account__person").filter(prefix=parts[1]).first()
    if token is None or not secrets.compare_digest(token.secret_hash, _hash_secret(parts[2])):
        return None, "token_invalid"
    if token.revoked_at is not None:
        return None, "token_revoked"
    if token.expires_at <= timezone.now():
        return None, "token_expired"
    if not token.account.is_active:
        return None, "account_disabled"
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # coarse, to spare a write per call
    return token, ""
