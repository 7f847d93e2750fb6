"""Writes to the organisation tree: create, edit with an effective date, move, merge, split, dissolve."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import (
    Delegation,
    Organization,
    OrganizationRecord,
    OrgKind,
    OrgLevel,
    Person,
    PositionHolding,
    Restructuring,
    RestructuringKind,
    RoleGrant,
)
from vanphong.lib import idcodes
from vanphong.lib.vntext import fold, nfc

AUDITED_FIELDS = (
    "kind",
    "level",
    "parent",
    "full_name",
    "short_name",
    "abbreviation",
    "identifier_code",
    "established_on",
    "dissolved_on",
    "sort_order",
)
_CODE_MESSAGES = {
    "empty": lambda: _("The identifier code is empty."),
    "too_long": lambda: _("The identifier code may have at most 35 characters."),
    "whitespace": lambda: _("The identifier code must not contain spaces."),
    "empty_group": lambda: _("The identifier code has an empty group (two dots together, or a dot at an end)."),
    "bad_character": lambda: _(
        "The identifier code may contain only the digits 0-9, the capital letters A-Z and dots."
    ),
}


@dataclass(frozen=True)
class OrganizationData:
    """What a clerk or administrator types in to create or change an organisation."""

    kind: str
    full_name: str
    abbreviation: str
    parent: Organization | None = None
    level: str = OrgLevel.PROVINCE
    short_name: str = ""
    identifier_code: str | None = None
    sort_order: int = 100


def validate_identifier_code(code: str | None) -> str | None:
    """The code in canonical form (upper case), or None; ValidationError in the user's language."""
    if code is None or code.strip() == "":
        return None
    code = code.strip().upper()
    try:
        return idcodes.validate(code)
    except idcodes.IdentifierCodeError as error:
        message = _CODE_MESSAGES[error.reason]()
        raise ValidationError({"identifier_code": ValidationError(message, code="invalid_identifier_code")}) from None


def _clean(data: OrganizationData, *, instance: Organization | None) -> OrganizationData:
    errors: dict[str, str | ValidationError] = {}
    full_name = nfc(data.full_name)
    abbreviation = nfc(data.abbreviation)
    if not full_name:
        errors["full_name"] = _("Enter the full name.")
    if not abbreviation:
        errors["abbreviation"] = _("Enter the abbreviation used in document symbols.")
    elif " " in abbreviation:
        errors["abbreviation"] = _("The abbreviation must not contain spaces.")
    if data.kind not in OrgKind.values:
        errors["kind"] = _("Choose a kind of organisation.")
    if data.level not in OrgLevel.values:
        errors["level"] = _("Choose a level.")
    if data.kind == OrgKind.INTERNAL_UNIT and data.parent is None:
        errors["parent"] = _("An internal unit must belong to a body.")
    if data.parent is not None and not data.parent.is_active:
        errors["parent"] = _("The parent organisation has been dissolved.")
    if data.parent is not None and instance is not None and data.parent.path.startswith(instance.path):
        errors["parent"] = ValidationError(
            _("An organisation cannot be placed under itself or under one of its own sub-organisations."),
            code="parent_cycle",
        )
    code: str | None = None
    try:
        code = validate_identifier_code(data.identifier_code)
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.error_dict.items()})
    if code:
        clash = Organization.objects.filter(identifier_code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["identifier_code"] = ValidationError(
                _("Another organisation already has the identifier code {code}.").format(code=code),
                code="duplicate_identifier_code",
            )
    if errors:
        raise ValidationError(errors)
    return OrganizationData(
        kind=data.kind,
        full_name=full_name,
        abbreviation=abbreviation,
        parent=data.parent,
        level=data.level,
        short_name=nfc(data.short_name),
        identifier_code=code,
        sort_order=data.sort_order,
    )


def _search_text(org: Organization) -> str:
    return fold(" ".join(filter(None, [org.full_name, org.short_name, org.abbreviation, org.identifier_code or ""])))


def _open_record(org: Organization, valid_from: datetime.date) -> OrganizationRecord:
    return OrganizationRecord.objects.create(
        organization=org,
        valid_from=valid_from,
        kind=org.kind,
        parent=org.parent,
        full_name=org.full_name,
        short_name=org.short_name,
        abbreviation=org.abbreviation,
        identifier_code=org.identifier_code,
    )


def _close_record(org: Organization, day: datetime.date) -> None:
    current = org.records.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if current is None:
        return
    if current.valid_from > day:
        raise ValidationError(
            {
                "effective_on": _("The effective date is before the organisation's last change ({day}).").format(
                    day=current.valid_from
                )
            }
        )
    if current.valid_from == day:
        current.delete()  # superseded on the same day: the new version replaces it outright
    else:
        current.valid_to = day
        current.save(update_fields=["valid_to"])


@transaction.atomic
def create_organization(
    actor: Actor, data: OrganizationData, *, established_on: datetime.date | None = None
) -> Organization:
    """Add a body or an internal unit to the tree."""
    data = _clean(data, instance=None)
    org = Organization(
        kind=data.kind,
        level=data.level,
        parent=data.parent,
        full_name=data.full_name,
        short_name=data.short_name,
        abbreviation=data.abbreviation,
        identifier_code=data.identifier_code,
        established_on=established_on,
        sort_order=data.sort_order,
    )
    org.search_text = _search_text(org)
    org.save()
    org.path = f"{data.parent.path if data.parent else '/'}{org.pk}/"
    org.depth = data.parent.depth + 1 if data.parent else 0
    org.save(update_fields=["path", "depth"])
    _open_record(org, established_on or datetime.date(1900, 1, 1))
    audit.record(actor, "organization.create", org, after=audit.snapshot(org, AUDITED_FIELDS))
    return org


def _move_subtree(org: Organization, new_parent: Organization | None) -> None:
    old_path = org.path
    new_path = f"{new_parent.path if new_parent else '/'}{org.pk}/"
    depth_change = (new_parent.depth + 1 if new_parent else 0) - org.depth
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    org.path = new_path
    org.depth += depth_change


@transaction.atomic
def update_organization(
    actor: Actor, org: Organization, data: OrganizationData, *, effective_on: datetime.date | None = None
) -> Organization:
    """Change names, code, kind or parent from ``effective_on`` (today by default), keeping history."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        raise ValidationError(_("A dissolved organisation cannot be changed."), code="dissolved")
    data = _clean(data, instance=org)
    day = effective_on or timezone.localdate()
    before = audit.snapshot(org, AUDITED_FIELDS)
    tracked_change = any(
        getattr(org, name) != getattr(data, name)
        for name in ("kind", "full_name", "short_name", "abbreviation", "identifier_code")
    ) or org.parent_id != (data.parent.pk if data.parent else None)
    if org.parent_id != (data.parent.pk if data.parent else None):
        _move_subtree(org, data.parent)
    org.kind, org.level, org.parent = data.kind, data.level, data.parent
    org.full_name, org.short_name, org.abbreviation = data.full_name, data.short_name, data.abbreviation
    org.identifier_code, org.sort_order = data.identifier_code, data.sort_order
    org.search_text = _search_text(org)
    org.save()
    if tracked_change:
        _close_record(org, day)
        _open_record(org, day)
    audit.record_changes(actor, "organization.update", org, before, AUDITED_FIELDS)
    return org


def _dissolve(actor: Actor, org: Organization, day: datetime.date, successor: Organization | None) -> None:
    """Close one organisation on ``day``; its members move to ``successor`` (if any)."""
    active_children = Organization.objects.filter(parent=org).active()
    if active_children.exists():
        raise ValidationError(
            ngettext(
                "{name} still has {count} active sub-organisation: move or dissolve it first.",
                "{name} still has {count} active sub-organisations: move or dissolve them first.",
                active_children.count(),
            ).format(name=org.full_name, count=active_children.count()),
            code="has_children",
        )
    if org.established_on and day <= org.established_on:
        raise ValidationError(_("An organisation cannot be dissolved on or before the day it was established."))
    members = Person.objects.filter(organization=org)
    if members.exists():
        if successor is None:
            raise ValidationError(
                ngettext(
                    "{count} person still works in {name}: move them first or name a successor.",
                    "{count} persons still work in {name}: move them first or name a successor.",
                    members.count(),
                ).format(count=members.count(), name=org.full_name),
                code="has_members",
            )
        for person in members:
            person.organization = successor
            person.save(update_fields=["organization", "updated_at"])
            audit.record(
                actor,
                "person.move",
                person,
                before={"organization": org.pk},
                after={"organization": successor.pk},
            )
    _close_attachments(actor, org, day)
    before = audit.snapshot(org, AUDITED_FIELDS)
    org.dissolved_on = day
    org.save(update_fields=["dissolved_on", "updated_at"])
    _close_record(org, day)
    audit.record_changes(actor, "organization.dissolve", org, before, AUDITED_FIELDS)


def _close_attachments(actor: Actor, org: Organization, day: datetime.date) -> None:
    """A dissolved body holds nothing: positions there end the day before, roles and delegations on it
    are revoked. Each closing is audited; the rows stay for the history."""
    last_day = day - datetime.timedelta(days=1)
    for holding in PositionHolding.objects.filter(organization=org, ended_on__isnull=True):
        ended_on = max(last_day, holding.started_on)
        PositionHolding.objects.filter(pk=holding.pk).update(ended_on=ended_on)
        audit.record(actor, "position.end", holding, before={"ended_on": None}, after={"ended_on": ended_on})
    now = timezone.now()
    for grant in RoleGrant.objects.filter(organization=org, revoked_at__isnull=True):
        RoleGrant.objects.filter(pk=grant.pk).update(revoked_at=now)
        audit.record(actor, "role.revoke", grant, before={"role": grant.role, "person": grant.person_id})
    for delegation in Delegation.objects.filter(organization=org, revoked_at__isnull=True, ends_at__gt=now):
        Delegation.objects.filter(pk=delegation.pk).update(revoked_at=now)
        audit.record(actor, "delegation.revoke", delegation)


def _restructuring(
    actor: Actor,
    kind: str,
    day: datetime.date,
    decision: str,
    note: str,
    predecessors: Sequence[Organization],
    successors: Sequence[Organization],
) -> Restructuring:
    event = Restructuring.objects.create(kind=kind, effective_on=day, decision=nfc(decision), note=note.strip())
    event.predecessors.set(predecessors)
    event.successors.set(successors)
    audit.record(
        actor,
        f"organization.{kind}",
        event,
        after={
            "effective_on": day.isoformat(),
            "decision": event.decision,
            "predecessors": [org.pk for org in predecessors],
            "successors": [org.pk for org in successors],
        },
    )
    return event


def _locked(orgs: Sequence[Organization]) -> list[Organization]:
    ids = [org.pk for org in orgs]
    locked = {org.pk: org for org in Organization.objects.select_for_update().filter(pk__in=ids)}
    result = [locked[pk] for pk in ids]
    for org in result:
        if not org.is_active:
            raise ValidationError(_("{name} has already been dissolved.").format(name=org.full_name), code="dissolved")
    return result


@transaction.atomic
def merge_organizations(
    actor: Actor,
    sources: Sequence[Organization],
    *,
    effective_on: datetime.date,
    into: Organization | None = None,
    new: OrganizationData | None = None,
    decision: str = "",
    note: str = "",
) -> Restructuring:
    """Merge ``sources`` into an existing organisation (``into``) or a new one (``new``).

    Sources other than ``into`` are dissolved on ``effective_on``; their active sub-organisations
    move under the successor and their members join it.
    """
    if (into is None) == (new is None):
        raise ValidationError(
            _("Choose one target for the merge: an existing organisation or a new one, not both."), code="merge_target"
        )
    if len({org.pk for org in sources}) < (1 if into else 2):
        raise ValidationError(_("Choose at least two organisations to merge."), code="merge_sources")
    sources = _locked(sources)
    if into is not None:
        successor = _locked([into])[0]
        if any(successor.path.startswith(org.path) and org.pk != successor.pk for org in sources):
            raise ValidationError(_("An organisation cannot be merged into one of its own sub-organisations."))
    elif new is not None:
        successor = create_organization(actor, new, established_on=effective_on)
    else:  # pragma: no cover (ruled out above)
        raise ValidationError(_("Choose one target for the merge: an existing organisation or a new one, not both."))
    for org in sources:
        if org.pk == successor.pk:
            continue
        for child in Organization.objects.filter(parent=org, dissolved_on__isnull=True):
            data = _data_of(child, parent=successor)
            update_organization(actor, child, data, effective_on=effective_on)
        _dissolve(actor, org, effective_on, successor)
    return _restructuring(
        actor,
        RestructuringKind.MERGE,
        effective_on,
        decision,
        note,
        [org for org in sources if org.pk != successor.pk],
        [successor],
    )


@transaction.atomic
def split_organization(
    actor: Actor,
    source: Organization,
    parts: Sequence[OrganizationData],
    *,
    effective_on: datetime.date,
    members_to: int = 0,
    decision: str = "",
    note: str = "",
) -> Restructuring:
    """Split ``source`` into new organisations; it is dissolved, its members join part ``members_to``."""
    if len(parts) < 2:
        raise ValidationError(_("A split needs at least two resulting organisations."), code="split_parts")
    source = _locked([source])[0]
    successors = [create_organization(actor, part, established_on=effective_on) for part in parts]
    for child in Organization.objects.filter(parent=source, dissolved_on__isnull=True):
        update_organization(actor, child, _data_of(child, parent=successors[members_to]), effective_on=effective_on)
    _dissolve(actor, source, effective_on, successors[members_to])
    return _restructuring(actor, RestructuringKind.SPLIT, effective_on, decision, note, [source], successors)


@transaction.atomic
def dissolve_organization(
    actor: Actor,
    org: Organization,
    *,
    effective_on: datetime.date,
    successor: Organization | None = None,
    decision: str = "",
    note: str = "",
) -> Restructuring:
    """Dissolve ``org``; with a successor, its members and remaining work go there."""
    org = _locked([org])[0]
    if successor is not None and successor.pk == org.pk:
        raise ValidationError(_("An organisation cannot succeed itself."))
    _dissolve(actor, org, effective_on, successor)
    return _restructuring(
        actor,
        RestructuringKind.DISSOLVE,
        effective_on,
        decision,
        note,
        [org],
        [successor] if successor else [],
    )


@transaction.atomic
def rename_organization(
    actor: Actor,
    org: Organization,
    *,
    full_name: str,
    short_name: str,
    abbreviation: str,
    effective_on: datetime.date,
    decision: str = "",
    note: str = "",
) -> Restructuring:
    """Rename from ``effective_on``; earlier dates keep the old name."""
    data = _data_of(org, full_name=full_name, short_name=short_name, abbreviation=abbreviation)
    org = update_organization(actor, org, data, effective_on=effective_on)
    return _restructuring(actor, RestructuringKind.RENAME, effective_on, decision, note, [org], [org])


def _data_of(org: Organization, **changes: object) -> OrganizationData:
    values: dict[str, object] = {
        "kind": org.kind,
        "full_name": org.full_name,
        "abbreviation": org.abbreviation,
        "parent": org.parent,
        "level": org.level,
        "short_name": org.short_name,
        "identifier_code": org.identifier_code,
        "sort_order": org.sort_order,
    }
    values.update(changes)
    return OrganizationData(**values)  # type: ignore[arg-type]


def data_of(org: Organization, **changes: object) -> OrganizationData:
    """The organisation's current data, with ``changes`` applied (for edit forms)."""
    return _data_of(org, **changes)
