"""Recording and verifying the audit log.

Every service records its write with ``record(...)`` inside its own transaction, so an act and its
audit entry commit or roll back together. Entries form a hash chain: each entry's hash covers its
own fields and the previous entry's hash, and ``verify()`` recomputes the chain and names the first
entries that were edited, deleted or reordered.

The chain proves integrity against anyone who can change rows but does not recompute every later
hash and the head row as well; a copy of the last hash kept elsewhere (the backup manifest, the
output of ``vanphong audit verify``) closes that gap.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from vanphong.core.models import Account, AuditEntry, AuditHead

if TYPE_CHECKING:
    from vanphong.core.models import Person

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who is acting, from where, and (under a delegation) on whose behalf."""

    account: Account | None
    source: str  # web, api, cli, task
    ip: str = ""
    on_behalf_of: Person | None = None

    @classmethod
    def system(cls, source: str = "cli") -> Actor:
        return cls(account=None, source=source)

    @property
    def name(self) -> str:
        if self.account is None:
            return f"system ({self.source})"
        return self.account.username

    def acting_for(self, person: Person | None) -> Actor:
        """The same actor, recorded as acting on behalf of ``person`` (a delegator)."""
        return replace(self, on_behalf_of=person)


def _jsonable(value: Any) -> Any:
    """Turn a snapshot into plain JSON types, the same before storing and after reading back."""
    return json.loads(json.dumps(value, cls=_Encoder, ensure_ascii=False))


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, models.Model):
            return o.pk
        return super().default(o)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited values of ``fields`` on ``instance`` (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return dict(_jsonable(values))


def _digest(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        "at": entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "on_behalf_of": entry.on_behalf_of,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "source": entry.source,
        "ip": entry.ip,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry to the audit log. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=actor.account,
        actor_name=actor.name[:150],
        on_behalf_of=(actor.on_behalf_of.full_name[:150] if actor.on_behalf_of else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        source=actor.source,
        ip=actor.ip[:64],
        prev_hash=head.hash,
    )
    entry.hash = _digest(entry)
    entry.save(force_insert=True)
    AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass(frozen=True)
class Pending:
    """An entry for :func:`record_many`: what :func:`record` takes, plus the moment it happened."""

    actor: Actor
    action: str
    obj: models.Model
    at: datetime.datetime
    after: dict[str, Any] | None = None


def record_many(entries: Iterable[Pending], *, batch: int = 2000) -> int:
    """Append many entries at once, in the given order, each at its own moment; returns how many.

    For bulk loads of past records (the demo's previous year): the entries are chained exactly as
    :func:`record` chains them (same fields, same digest), with the head locked once for the whole
    load and rows inserted ``batch`` at a time. Must run inside the caller's transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    seq, prev_hash, written = head.seq, head.hash, 0
    rows: list[AuditEntry] = []
    for pending in entries:
        actor = pending.actor
        seq += 1
        entry = AuditEntry(
            seq=seq,
            at=pending.at,
            actor=actor.account,
            actor_name=actor.name[:150],
            on_behalf_of=(actor.on_behalf_of.full_name[:150] if actor.on_behalf_of else ""),
            action=pending.action,
            object_type=pending.obj._meta.label_lower,
            object_id=str(pending.obj.pk),
            object_repr=str(pending.obj)[:255],
            before=None,
            after=_jsonable(pending.after) if pending.after is not None else None,
            source=actor.source,
            ip=actor.ip[:64],
            prev_hash=prev_hash,
        )
        entry.hash = prev_hash = _digest(entry)
        rows.append(entry)
        if len(rows) >= batch:
            AuditEntry.objects.bulk_create(rows)
            written += len(rows)
            rows = []
    if rows:
        AuditEntry.objects.bulk_create(rows)
        written += len(rows)
    if written:
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    return written


def record_changes(
    actor: Actor, action: str, obj: models.Model, before: dict[str, Any], fields: Iterable[str]
) -> AuditEntry | None:
    """Record an update with only the fields that changed; nothing when nothing changed."""
    after_all = snapshot(obj, fields)
    changed = [name for name in after_all if before.get(name) != after_all[name]]
    if not changed:
        return None
    return record(
        actor,
        action,
        obj,
        before={name: before.get(name) for name in changed},
        after={name: after_all[name] for name in changed},
    )


def history(object_type: str, object_id: str) -> models.QuerySet[AuditEntry]:
    """The entries about one object, newest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=object_id).order_by("-seq")


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # edited, missing, out_of_order, head_mismatch
    message: str


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify(entries: Iterable[AuditEntry] | None = None, *, limit: int = 50) -> tuple[int, list[Problem]]:
    """Recompute the chain. Returns (entries checked, problems found, at most ``limit``)."""
    problems: list[Problem] = []
    expected_seq = 1
    prev_hash = GENESIS
    previous_flagged = False  # a broken entry's successor mismatches as a consequence: not reported twice
    checked = 0
    for entry in entries if entries is not None else _entries():
        checked += 1
        flagged = False
        if entry.seq > expected_seq:
            first, last = expected_seq, entry.seq - 1
            gap = f"#{first}" if first == last else f"#{first}–#{last}"
            problems.append(Problem(first, "missing", f"entry {gap} is missing (deleted)"))
            flagged = True
        if _digest(entry) != entry.hash:
            message = f"entry #{entry.seq} was edited or moved: its content does not match its hash"
            problems.append(Problem(entry.seq, "edited", message))
            flagged = True
        elif entry.prev_hash != prev_hash and not flagged and not previous_flagged:
            message = f"entry #{entry.seq} does not follow the entry before it (that one was rewritten, or reordered)"
            problems.append(Problem(entry.seq, "out_of_order", message))
            flagged = True
        prev_hash = entry.hash
        previous_flagged = flagged
        expected_seq = entry.seq + 1
        if len(problems) >= limit:
            return checked, problems
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    if head_seq > expected_seq - 1:
        problems.append(
            Problem(
                expected_seq,
                "missing",
                f"entries #{expected_seq}–#{head_seq} at the end of the log are missing (deleted)",
            )
        )
    elif head is not None and head.hash != prev_hash:
        problems.append(Problem(head_seq, "head_mismatch", f"the chain head does not match entry #{head_seq}"))
    return checked, problems


def record_in_transaction(actor: Actor, action: str, **kwargs: Any) -> AuditEntry:
    """Record an event that is not part of a larger write (a login, a read of a secret object)."""
    with transaction.atomic():
        return record(actor, action, **kwargs)
