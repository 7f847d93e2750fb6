"""The HTTP API at /api/: one NinjaAPI, token (or session) auth, JSON errors with stable codes.

Every error body is ``{"code": "...", "message": "...", "fields": {...}}``; ``code`` is stable for
programs, ``message`` is in the request's language (Accept-Language, or the session's choice).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from vanphong import __version__
from vanphong.core.audit import Actor
from vanphong.core.services import accounts


class TokenError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TokenAuth(HttpBearer):
    """``Authorization: Bearer vp_<prefix>_<secret>``; sets request.user and request.actor."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found, reason = accounts.authenticate_token(token)
        if found is None:
            raise TokenError(reason)
        request.user = found.account
        request.actor = Actor(account=found.account, source="api", ip=str(request.META.get("REMOTE_ADDR", "")))  # type: ignore[attr-defined]
        return found.account


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (for the interactive docs); CSRF-checked on writes.

    Without a signed-in session this scheme steps aside silently, so that a program sending no
    token gets 401 "not_authenticated" rather than a CSRF failure.
    """

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = request.user
        request.actor = Actor(account=user, source="api", ip=str(request.META.get("REMOTE_ADDR", "")))  # type: ignore[attr-defined, arg-type]
        return user


api = NinjaAPI(
    title="Vanphong API",
    version=__version__,
    description="The digital office's HTTP API. Authenticate with `Authorization: Bearer <token>`; "
    "create tokens on your profile page.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)

_TOKEN_MESSAGES = {
    "token_invalid": lambda: _("The API token is not valid."),
    "token_revoked": lambda: _("The API token has been revoked."),
    "token_expired": lambda: _("The API token has expired."),
    "account_disabled": lambda: _("The account of this API token is disabled."),
}


def error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


@api.exception_handler(TokenError)
def _token_error(request: HttpRequest, exc: TokenError) -> HttpResponse:
    return error(request, 401, exc.code, _TOKEN_MESSAGES[exc.code]())


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 401, "not_authenticated", _("Sign in or send an API token."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 403, "forbidden", _("You are not allowed to do this."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = (
        {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {}
    )
    # A field error may carry a stable code of its own (e.g. invalid_identifier_code): surface it.
    field_codes = [e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors if e.code]
    code = getattr(exc, "code", None) or (field_codes[0] if field_codes else None) or "invalid"
    general = fields.pop("__all__", None) or ([] if fields else [str(m) for m in exc.messages])
    message = " ".join(general) or _("Some values are not valid.")
    return error(request, 400, code, message, fields)


@api.exception_handler(NinjaValidationError)
def _malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = ".".join(
            str(part) for part in item.get("loc", []) if part not in ("body", "query", "path", "payload")
        )
        fields.setdefault(location or "__all__", []).append(str(item.get("msg", "")))
    return error(request, 422, "malformed", _("The request is malformed."), fields)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja could not parse the body (not JSON, wrong content type)
        return error(request, 400, "malformed", _("The request is malformed."))
    if exc.status_code == 403:
        return error(
            request, 403, "csrf_failed", _("The form has expired or did not come from this site; reload the page.")
        )
    return error(request, exc.status_code, "error", str(exc))


from vanphong.consultations.api import router as consultations_router  # noqa: E402
from vanphong.core.api import router as core_router  # noqa: E402  (routers need `api` above)
from vanphong.directives.api import router as directives_router  # noqa: E402
from vanphong.documents.api import router as documents_router  # noqa: E402
from vanphong.elections.api import router as elections_router  # noqa: E402
from vanphong.meetings.api import router as meetings_router  # noqa: E402
from vanphong.notices.api import router as notices_router  # noqa: E402
from vanphong.schedule.api import router as schedule_router  # noqa: E402

api.add_router("/", core_router)
api.add_router("/documents", documents_router)
api.add_router("/elections", elections_router)
api.add_router("/notices", notices_router)
api.add_router("/tasks", directives_router)
api.add_router("/meetings", meetings_router)
api.add_router("/schedule", schedule_router)
api.add_router("/consultations", consultations_router)
