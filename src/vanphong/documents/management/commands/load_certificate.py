"""``vanphong documents load-certificate``: load a signing certificate (PKCS#12) for a person or a body."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.documents.services import credentials


class Command(BaseCommand):
    help = "Load a PKCS#12 (.p12/.pfx) signing certificate for a person (--person) or a body (--organization)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--person", type=int, help="the signer's person id")
        owner.add_argument("--organization", type=int, help="the body's organisation id")
        parser.add_argument("--image", type=Path, help="transparent PNG: the handwritten signature or the seal")
        parser.add_argument(
            "--passphrase-env", help="read the passphrase from this environment variable instead of asking"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import os

        data = options["file"].read_bytes()
        if options["passphrase_env"]:
            secret = os.environ.get(options["passphrase_env"], "")
        else:
            secret = getpass.getpass("Passphrase (empty for none): ")
        person = Person.objects.filter(pk=options["person"]).first() if options["person"] else None
        organization = (
            Organization.objects.filter(pk=options["organization"]).first() if options["organization"] else None
        )
        if person is None and organization is None:
            raise CommandError("no such person or organisation")
        image = options["image"].read_bytes() if options["image"] else None
        try:
            credential = credentials.add_credential(
                Actor.system("cli"),
                pkcs12=data,
                passphrase=secret.encode() if secret else None,
                person=person,
                organization=organization,
                image_png=image,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"loaded: {credential.subject} (issued by {credential.issuer}, valid until {credential.not_after:%Y-%m-%d})"
        )
