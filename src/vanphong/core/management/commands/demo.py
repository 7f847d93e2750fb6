"""`vanphong demo`: load the demo office (the fictional tỉnh Sơn Hà) into an empty database.

Safe to run on every start (``make run`` does): once any organisation exists it does nothing.
The load is one transaction, so a failure leaves the database as it was. What the demo contains and
its logins: docs/demo-office.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vanphong.core.demo import office_work
from vanphong.core.demo.build import DemoError, build
from vanphong.core.models import Organization
from vanphong.documents import demo as documents_demo

DEFAULT_PASSWORD = "Vanphong@2026"  # noqa: S105 (the documented password of a fictional demo office)
ALREADY_LOADED = "The demo office is already loaded; nothing to do."


class Command(BaseCommand):
    help = (
        "Load the demo office (the fictional province of Sơn Hà: its Party committee, People's Council, "
        "People's Committee, departments and communes, about 300 persons and 40 accounts) into an empty database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"the password of every demo account (default {DEFAULT_PASSWORD}); it must pass the password rules",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            metavar="DOCUMENTS",
            help=(
                "how many documents of the previous year (2025) to load in bulk into the two offices' registers "
                f"(default {settings.DEMO_HISTORY}, from VANPHONG_DEMO_HISTORY; 0 for none)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str = options["password"]
        history: int = settings.DEMO_HISTORY if options["history"] is None else options["history"]
        if history < 0:
            raise CommandError("--history must be 0 or more documents")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("the password does not pass the password rules: " + " ".join(error.messages)) from None
        if Organization.objects.exists():
            self.stdout.write(ALREADY_LOADED)
            return
        try:
            with transaction.atomic():  # the office, its documents and its work: all or nothing
                summary = build(password=password, stdout=self.stdout)
                documents = documents_demo.build(stdout=self.stdout, history=history)
                work = office_work.build(stdout=self.stdout)
        except (DemoError, documents_demo.DemoDocumentsError, office_work.DemoWorkError) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:  # a service refused a step: nothing was saved
            raise CommandError("the demo could not be loaded: " + "; ".join(error.messages)) from None
        self.stdout.write(
            f"Loaded the demo office of tỉnh Sơn Hà: {summary.organizations} organisations, "
            f"{summary.persons} persons, {summary.accounts} accounts; "
            f"{documents.documents} documents ({documents.incoming} incoming, {documents.outgoing} outgoing) "
            f"in {documents.registers} registers; {work.meetings} meetings in {work.rooms} rooms, {work.tasks} tasks, "
            f"{work.schedules} weekly schedules, {work.consultations} written consultations, {work.notices} notices."
        )
        shown = password if password == DEFAULT_PASSWORD else "the one given with --password"
        self.stdout.write(f"Demo logins (password: {shown}; details in docs/demo-office.md):")
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.full_name}: {login.post}")
