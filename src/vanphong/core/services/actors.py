"""Who is acting, for every app's services: a permission decision applied to the actor, and the
account and person behind it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Person
from vanphong.core.policy import Decision


def require(decision: Decision | bool, actor: Actor) -> Actor:
    """Stop unless allowed; the actor comes back marked "on behalf of" when a delegation allowed it."""
    if not decision:
        raise PermissionDenied
    if isinstance(decision, Decision) and decision.on_behalf_of is not None:
        return actor.acting_for(decision.on_behalf_of)
    return actor


def account_of(actor: Actor) -> Account:
    """The acting account; a system actor (no account) may not do what needs one."""
    if actor.account is None:
        raise PermissionDenied
    return actor.account


def person_of(actor: Actor) -> Person | None:
    account = actor.account
    return account.person if account is not None else None
