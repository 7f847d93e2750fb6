"""Password login with lockout after repeated failures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from vanphong.core.models import Account


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
        if account is not None and account.is_locked():
            if request is not None:
                request.vanphong_locked = True  # type: ignore[attr-defined]
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if isinstance(user, Account) else None
