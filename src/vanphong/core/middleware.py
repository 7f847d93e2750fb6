"""Request-wide helpers: the signed-in person's language, and the acting context for services."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UserLanguageMiddleware:
    """Choose the page language: the person's saved choice, else the installation's language.

    Runs before LocaleMiddleware: it puts the preference into the language cookie, which
    LocaleMiddleware then honours.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        preferred = self._preferred(request)
        if (
            not preferred
            and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            and not request.path.startswith("/api/")
        ):
            # Pages speak the installation's language until the person picks another; a browser set
            # to English in a Vietnamese office should not turn the office's pages English. The API
            # keeps honouring Accept-Language, as programs expect.
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = settings.LANGUAGE_CODE
            return self.get_response(request)
        if preferred and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = preferred
            response = self.get_response(request)
            if not response.cookies.get(settings.LANGUAGE_COOKIE_NAME):
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, preferred, samesite="Lax", httponly=True)
            return response
        return self.get_response(request)

    @staticmethod
    def _preferred(request: HttpRequest) -> str:
        # The session holds the auth user id; reading the account here would cost a query on every
        # request, so the language is copied into the session at login and when it changes.
        session = getattr(request, "session", None)
        return str(session.get("vanphong_language", "")) if session is not None else ""


class RequestContextMiddleware:
    """Attach ``request.actor`` (who acts, from where) for views to pass to services."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from vanphong.core.audit import Actor
        from vanphong.core.models import Account

        user = getattr(request, "user", None)
        request.actor = Actor(  # type: ignore[attr-defined]
            account=user if isinstance(user, Account) else None,
            source="web",
            ip=str(request.META.get("REMOTE_ADDR", "")),
        )
        return self.get_response(request)
