"""Sign-in, sign-out, language, the home page and the person's own profile and tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import access
from vanphong.core.models import Account
from vanphong.core.services import accounts
from vanphong.core.views.common import actor_of
from vanphong.registry import registry


class LockoutAuthenticationForm(AuthenticationForm):
    """Tells a locked-out person so, instead of the usual "wrong password"."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "vanphong_locked", False):
                raise ValidationError(
                    ngettext(
                        "This account is locked after too many wrong passwords. Try again in {minutes} minute "
                        "or ask an administrator to unlock it.",
                        "This account is locked after too many wrong passwords. Try again in {minutes} minutes "
                        "or ask an administrator to unlock it.",
                        settings.LOCKOUT_MINUTES,
                    ).format(minutes=settings.LOCKOUT_MINUTES),
                    code="locked",
                ) from None
            raise


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if isinstance(user, Account) and user.language:
            self.request.session["vanphong_language"] = user.language
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax", httponly=True)
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; for a signed-in person it is also saved as their preference."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose one of the offered languages."))
        return response
    if isinstance(request.user, Account):
        accounts.set_language(actor_of(request), request.user, language)
    request.session["vanphong_language"] = language
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=True)
    return response


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    panels = []
    for panel in registry.ordered_panels():
        data = panel.render(request)
        if data is not None:
            panels.append({"key": panel.key, "title": panel.title, "template": panel.template, "data": data})
    return render(request, "core/home.html", {"panels": panels})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own account: language, API tokens (listed, created once-shown, revoked)."""
    new_token = None
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                token = access.access_token(request.user, int(request.POST["revoke"]))
                accounts.revoke_token(actor_of(request), token)
                messages.success(request, _("The token {name} has been revoked.").format(name=token.name))
                return redirect("core:profile")
            days = int(request.POST.get("days") or settings.API_TOKEN_DAYS)
            _token, new_token = accounts.create_token(
                actor_of(request),
                request.user,  # type: ignore[arg-type]  # login_required: an Account
                name=request.POST.get("name", ""),
                days=days,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except ValueError:
            messages.error(request, _("Enter the token's lifetime as a number of days."))
    tokens = access.tokens_of(request.user)
    return render(
        request,
        "core/profile.html",
        {"tokens": tokens, "new_token": new_token, "default_days": settings.API_TOKEN_DAYS},
    )
