"""What the meetings views share: running a form through a service and coming back to the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from vanphong.core.forms import apply_service_errors


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)


def run(
    request: HttpRequest,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
    *,
    back: str | Callable[[], str],
    page: Callable[[], HttpResponse],
) -> HttpResponse:
    """Validate, call the service (``perform`` says what was done) and go ``back`` (a URL, or a function
    giving it once the act is done); on an error the
    page is drawn again with the form and its messages, answered with 400."""
    if form.is_valid():
        try:
            done = perform(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if done:
                messages.success(request, done)
            return go(request, back() if callable(back) else back)
    return page()
