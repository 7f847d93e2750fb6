"""Password login with lockout after repeated failures."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from vanphong.core.models import Account, AuditEntry


def unknown_name_is_throttled(username: str) -> bool:
    """A user name with no account "locks" exactly as a real one would, so that the lockout message
    does not reveal which names exist. The failures are read back from the audit log."""
    since = timezone.now() - datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)
    failures = AuditEntry.objects.filter(
        action="auth.login_failed", object_type="core.account", object_id="", object_repr=username[:255], at__gte=since
    ).count()
    return failures >= settings.LOCKOUT_ATTEMPTS


class LockoutModelBackend(ModelBackend):
    """Django's username/password check, refusing accounts that are locked.

    A locked account is refused even with the right password, so guessing on stays useless until
    the lock expires. Counting failures and locking happen in ``services.accounts`` (called from
    the ``user_login_failed`` signal) so the page, the API and the CLI share them.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Account | None:
        if username is None or password is None:
            return None
        username = username.strip().lower()
        account = Account.objects.filter(username=username).first()
        locked = account.is_locked() if account is not None else unknown_name_is_throttled(username)
        if locked:
            if request is not None:
                request.vanphong_locked = True  # type: ignore[attr-defined]
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if isinstance(user, Account) else None
