"""Writes about persons and the positions they hold."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Clearance, Organization, Person, Position, PositionHolding
from vanphong.core.models.people import Gender
from vanphong.lib.vntext import NameParts, fold, name_sort_key, nfc, split_name

AUDITED_FIELDS = (
    "full_name",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "date_of_birth",
    "email",
    "phone",
    "organization",
    "clearance",
    "is_active",
)


@dataclass(frozen=True)
class PersonData:
    """A person's record as typed in; the name parts default to the usual Vietnamese split."""

    full_name: str
    organization: Organization | None = None
    gender: str = ""
    date_of_birth: datetime.date | None = None
    email: str = ""
    phone: str = ""
    clearance: int = Clearance.NONE
    family_name: str | None = None
    middle_name: str | None = None
    given_name: str | None = None


def _clean(data: PersonData) -> tuple[PersonData, NameParts]:
    errors: dict[str, str] = {}
    full_name = nfc(data.full_name)
    if not full_name:
        errors["full_name"] = _("Enter the full name.")
    parts = split_name(full_name)
    if data.given_name is not None and nfc(data.given_name):
        parts = NameParts(nfc(data.family_name or ""), nfc(data.middle_name or ""), nfc(data.given_name))
        if parts.full != full_name:
            errors["given_name"] = _("The family, middle and given names must make up the full name.")
    email = data.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if data.gender not in Gender.values:
        errors["gender"] = _("Choose a gender or leave it unstated.")
    if data.clearance not in Clearance.values:
        errors["clearance"] = _("Choose a clearance level.")
    if data.organization is not None and not data.organization.is_active:
        errors["organization"] = _("The organisation has been dissolved.")
    if data.date_of_birth and data.date_of_birth > datetime.date.today():  # noqa: DTZ011 (a calendar date)
        errors["date_of_birth"] = _("The date of birth is in the future.")
    if errors:
        raise ValidationError(errors)
    return PersonData(
        full_name=full_name,
        organization=data.organization,
        gender=data.gender,
        date_of_birth=data.date_of_birth,
        email=email.lower(),
        phone=" ".join(data.phone.split()),
        clearance=data.clearance,
    ), parts


def _apply(person: Person, data: PersonData, parts: NameParts) -> None:
    person.full_name = data.full_name
    person.family_name, person.middle_name, person.given_name = parts.family, parts.middle, parts.given
    person.gender = data.gender
    person.date_of_birth = data.date_of_birth
    person.email = data.email
    person.phone = data.phone
    person.organization = data.organization
    person.clearance = data.clearance
    person.sort_key = name_sort_key(parts)
    person.search_text = fold(" ".join(filter(None, [data.full_name, data.email, data.phone])))[:400]


@transaction.atomic
def create_person(actor: Actor, data: PersonData) -> Person:
    """Add a person to the directory."""
    data, parts = _clean(data)
    person = Person()
    _apply(person, data, parts)
    person.save()
    audit.record(actor, "person.create", person, after=audit.snapshot(person, AUDITED_FIELDS))
    return person


@transaction.atomic
def update_person(actor: Actor, person: Person, data: PersonData) -> Person:
    """Change a person's record; the audit entry keeps the fields before and after."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person, AUDITED_FIELDS)
    data, parts = _clean(data)
    _apply(person, data, parts)
    person.save()
    audit.record_changes(actor, "person.update", person, before, AUDITED_FIELDS)
    return person


def person_data(person: Person, **changes: object) -> PersonData:
    values: dict[str, object] = {
        "full_name": person.full_name,
        "organization": person.organization,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth,
        "email": person.email,
        "phone": person.phone,
        "clearance": person.clearance,
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
    }
    values.update(changes)
    return PersonData(**values)  # type: ignore[arg-type]


@transaction.atomic
def assign_position(
    actor: Actor, person: Person, organization: Organization, position: Position, *, started_on: datetime.date
) -> PositionHolding:
    """Record that ``person`` holds ``position`` in ``organization`` from ``started_on``."""
    if not organization.is_active:
        raise ValidationError({"organization": _("The organisation has been dissolved.")})
    if PositionHolding.objects.filter(
        person=person, organization=organization, position=position, ended_on__isnull=True
    ).exists():
        raise ValidationError(
            {
                "position": _("{person} already holds this position in this organisation.").format(
                    person=person.full_name
                )
            }
        )
    holding = PositionHolding.objects.create(
        person=person, organization=organization, position=position, started_on=started_on
    )
    audit.record(
        actor,
        "position.assign",
        holding,
        after={
            "person": person.pk,
            "organization": organization.pk,
            "position": position.name,
            "started_on": started_on,
        },
    )
    return holding


@transaction.atomic
def end_position(actor: Actor, holding: PositionHolding, *, ended_on: datetime.date) -> PositionHolding:
    """Close a position held; the record stays for the history."""
    if ended_on < holding.started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    updated = PositionHolding.objects.filter(pk=holding.pk, ended_on__isnull=True).update(ended_on=ended_on)
    if updated != 1:
        raise ValidationError(_("This position has already ended."), code="already_ended")
    holding.ended_on = ended_on
    audit.record(actor, "position.end", holding, before={"ended_on": None}, after={"ended_on": ended_on})
    return holding
