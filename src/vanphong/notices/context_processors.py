from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from vanphong.core import policy
from vanphong.notices import access


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the bell in the top bar.

    A callable, which templates call when they read it: an htmx fragment that never shows the bar costs
    no query, and a full page one indexed count however often the template reads it.
    """
    user = getattr(request, "user", None)
    if not policy.is_signed_in(user):
        return {}
    return {"unread_notices": functools.cache(lambda: access.unread_count(user))}
