"""Login outcomes go to the audit log and to the lockout counter."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from vanphong.core.audit import Actor
from vanphong.core.models import Account
from vanphong.core.services import accounts


def _ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest | None, user: Account, **kwargs: Any) -> None:
    accounts.record_login_success(Actor(account=user, source="web", ip=_ip(request)), user)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))
    if request is not None and getattr(request, "vanphong_locked", False):
        # Already locked: record the attempt but do not extend or reset the lock.
        from vanphong.core import audit

        account = Account.objects.filter(username=username.strip().lower()).first()
        audit.record_in_transaction(
            Actor(account=None, source="web", ip=_ip(request)), "auth.login_refused_locked", obj=account
        )
        return
    accounts.record_login_failure(Actor(account=None, source="web", ip=_ip(request)), username)
