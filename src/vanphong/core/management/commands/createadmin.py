"""`vanphong createadmin`: the installation administrator's account (and person record)."""

from __future__ import annotations

import getpass
import os
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vanphong.core.audit import Actor
from vanphong.core.services import accounts, people


class Command(BaseCommand):
    help = "Create the installation administrator: an account that administers every organisation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True, help='e.g. "Nguyễn Văn Quản"')
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-env",
            default="VANPHONG_ADMIN_PASSWORD",
            help="read the password from this environment variable (default VANPHONG_ADMIN_PASSWORD); "
            "without it, the password is asked for",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get(options["password_env"])
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ")
        actor = Actor.system("cli")
        try:
            with transaction.atomic():
                person = people.create_person(
                    actor, people.PersonData(full_name=options["full_name"], email=options["email"])
                )
                account = accounts.create_account(
                    actor, person, username=options["username"], password=password, is_superuser=True
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Created the administrator {account.username} ({person.full_name}).")
