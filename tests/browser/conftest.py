"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Only Debian's Chromium is used (never a downloaded browser): if /usr/bin/chromium is missing the
tests fail and say so. Every page is watched for failed /static/ requests and script errors, and
each journey's duration is printed in one line at the end of the run.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django import forms
from django.db import connections
from django.utils import translation
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    expect,
    sync_playwright,
)

from vanphong.testing import PASSWORD

# The sync API runs an event loop in the main thread; Django would otherwise refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Screenshots are for people reviewing a run, not part of the test: taken only when this names a folder.
SCREENSHOT_DIR_VARIABLE = "VANPHONG_SCREENSHOTS"


def labelled(scope: Page | Locator, label: str) -> Locator:
    """The form control labelled ``label``, exactly (the required fields' labels end in an asterisk)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def control(scope: Page | Locator, form_class: type[forms.Form], name: str, lang: str = "vi") -> Locator:
    """The control for ``form_class``'s field ``name``, found by the label the form gives it in ``lang``."""
    with translation.override(lang):
        label = str(form_class.base_fields[name].label)
    return labelled(scope, label)


def tr(msgid: str, lang: str = "vi") -> str:
    """``msgid`` as the catalogue renders it in ``lang`` (the site's default language is Vietnamese)."""
    with translation.override(lang):
        return translation.gettext(msgid)


class Chromium:
    """Debian's Chromium, started on first use, so that a missing browser fails the test itself."""

    def __init__(self, playwright: Playwright) -> None:
        self.playwright = playwright
        self.browser: Browser | None = None

    def get(self) -> Browser:
        if self.browser is None:
            if not CHROMIUM.exists():
                pytest.fail(
                    f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium only. "
                    "Install it with `apt-get install chromium` (never `playwright install`).",
                    pytrace=False,
                )
            self.browser = self.playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        return self.browser


@pytest.fixture(scope="module")
def chromium(django_db_setup: None) -> Iterator[Chromium]:
    # Once the sync API's event loop runs in this thread, asgiref hands ORM code other connection
    # objects (kept per context instead of per thread). They need the snapshot of the migrated data
    # (the seeded position titles) that pytest-django took, or the flush after each test loses it;
    # hence django_db_setup first.
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        chromium = Chromium(playwright)
        yield chromium
        if chromium.browser is not None:
            chromium.browser.close()
        # Those connections are unreachable once the loop stops; an open one would keep PostgreSQL
        # from dropping the test database.
        connections.close_all()


@dataclass
class Web:
    """One person's browser on the live site, watching what goes wrong on the way."""

    chromium: Chromium
    base_url: str
    contexts: list[BrowserContext] = field(default_factory=list)
    static_failures: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    cancelled_static: set[str] = field(default_factory=set)

    @cached_property
    def page(self) -> Page:
        return self.new_page()

    def new_page(self) -> Page:
        """A fresh browser (no cookies) of a Vietnamese official: vi-VN locale, Vietnam's time zone."""
        context = self.chromium.get().new_context(
            base_url=self.base_url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": 1280, "height": 900},
        )
        self.contexts.append(context)
        page = context.new_page()
        page.on("response", self._check_response)
        page.on("requestfailed", self._check_failure)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        return page

    def _check_response(self, response: Response) -> None:
        if response.status >= 400:
            self._note_static(response.url, str(response.status))

    def _check_failure(self, request: Request) -> None:
        problem = request.failure or "failed"
        if problem == "net::ERR_ABORTED":
            # The browser gave the load up itself: the page moved on (or closed) while a font was still on
            # its way. Whether the file is really there is asked again after the test.
            self.cancelled_static.add(request.url)
        else:
            self._note_static(request.url, problem)

    def _note_static(self, url: str, problem: str) -> None:
        if urlsplit(url).path.startswith("/static/"):
            self.static_failures.append(f"{problem} {url}")

    def recheck_cancelled(self) -> None:
        """Fetch each static file whose load the browser cancelled: it must be served whole."""
        for url in sorted(self.cancelled_static):
            if not urlsplit(url).path.startswith("/static/"):
                continue
            try:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the live test server)
                    response.read()
            except (urllib.error.URLError, OSError) as error:
                self.static_failures.append(f"{error} {url}")

    def sign_in(self, username: str, password: str = PASSWORD, *, page: Page | None = None) -> None:
        """Type into the sign-in form as a person would (the first page a person opens)."""
        page = page or self.page
        page.goto("/login/")
        labelled(page, tr("User name")).fill(username)
        labelled(page, tr("Password")).fill(password)
        page.get_by_role("button", name=tr("Sign in"), exact=True).click()
        expect(page).to_have_url(self.base_url + "/")

    def screenshot(self, name: str, page: Page | None = None) -> None:
        folder = os.environ.get(SCREENSHOT_DIR_VARIABLE)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (page or self.page).screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def web(chromium: Chromium, live_server: Any, django_db_serialized_rollback: None) -> Iterator[Web]:
    # Serialized rollback brings back what the data migrations seeded (the position titles), which the
    # flush after each transactional test removes.
    web = Web(chromium, live_server.url)
    yield web
    web.close()
    web.recheck_cancelled()
    assert not web.static_failures, f"static files failed to load: {web.static_failures}"
    assert not web.script_errors, f"script errors on the pages: {web.script_errors}"


# --- timings ------------------------------------------------------------------------------------------

_durations: dict[str, float] = {}  # each journey's own time (the test body)
_overhead = [0.0]  # browser start-up, live server, personas, flushes: shared by all journeys


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "browser" not in report.keywords:
        return
    if report.when == "call":
        _durations[report.nodeid.rsplit("::", 1)[-1].removeprefix("test_")] = report.duration
    else:
        _overhead[0] += report.duration


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _durations:
        parts = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in _durations.items())
        terminalreporter.write_line(f"browser journeys: {parts}; set-up and tear-down {_overhead[0]:.1f}s")
