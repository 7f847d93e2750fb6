from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vanphong.core import policy
from vanphong.notices import access


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the bell in the top bar (one indexed count per page)."""
    user = getattr(request, "user", None)
    if not policy.is_signed_in(user):
        return {}
    return {"unread_notices": access.unread_count(user)}
