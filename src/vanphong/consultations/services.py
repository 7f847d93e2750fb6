"""Every write on written consultations: one function per act, one transaction, one audit entry.

State moves draft → open → closed by conditional updates on the locked consultation row, and an
answer takes the same lock: closing while a member answers either counts the answer (it came
first) or refuses it with a clear message (the closing came first), never loses it silently. At the
deadline the periodic job closes what is still open through the same path, as the system (``close_due``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.consultations import policy
from vanphong.consultations.models import Answer, Base, Consultation, ConsultationFile, ConsultationMember, State
from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person
from vanphong.core.services.actors import account_of, person_of, require
from vanphong.documents import access as document_access
from vanphong.documents import storage
from vanphong.documents.models import Document, StoredFile
from vanphong.documents.services.files import Upload, check_uploads
from vanphong.lib import vntext
from vanphong.rules import consultation as rules

REMIND_BEFORE = datetime.timedelta(hours=24)
FIELDS = ("title", "question", "deadline", "base", "threshold_percent")


@dataclass
class ConsultationData:
    """What the organiser writes: the body, the question, its documents and the deadline."""

    body: Organization
    title: str
    question: str
    deadline: datetime.datetime
    documents: Sequence[Document] = ()
    base: str = Base.MEMBERS
    threshold_percent: int = 50
    uploads: list[Upload] = field(default_factory=list)


def _required_person(actor: Actor) -> Person:
    """The acting person; an account without a person, or the system, may not do what needs one."""
    person = person_of(actor)
    if person is None:
        raise PermissionDenied
    return person


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("body").get(pk=consultation.pk)


def _moved_on(consultation: Consultation) -> ValidationError:
    return ValidationError(
        _("The consultation is now “{state}”; someone acted on it first. Reload the page.").format(
            state=consultation.get_state_display()
        )
    )


def _clean(actor: Actor, data: ConsultationData) -> ConsultationData:
    errors: dict[str, str] = {}
    data.title = vntext.nfc(data.title).strip()
    data.question = vntext.nfc(data.question).strip()
    if not data.title:
        errors["title"] = _("Give the consultation a title.")
    if not data.question:
        errors["question"] = _("Write the matter the members are asked about.")
    if timezone.is_naive(data.deadline):
        data.deadline = timezone.make_aware(data.deadline)
    if data.deadline <= timezone.now():
        errors["deadline"] = _("The deadline must be in the future.")
    if data.base not in Base.values:
        errors["base"] = _("Choose what the result is counted against.")
    if not 0 <= data.threshold_percent < 100:
        errors["threshold_percent"] = _("Give a percentage from 0 to 99.")
    # Only documents the organiser may see can be sent with the question.
    wanted = {d.pk for d in data.documents}
    visible = set(
        document_access.documents_visible_to(actor.account).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - visible:
        errors["documents"] = _("Some of the chosen documents do not exist or are not yours to send.")
    if errors:
        raise ValidationError(errors)
    return data


def _store_files(actor: Actor, consultation: Consultation, uploads: list[Upload]) -> list[str]:
    """Store the checked uploads once by content (the documents' store) and attach them."""
    checked = check_uploads(uploads, secrecy=0)
    names = []
    for upload, sniffed in checked:
        blob = storage.store().put(upload.data)
        stored, _created = StoredFile.objects.get_or_create(
            sha256=blob.sha256, defaults={"size": blob.size, "media_type": sniffed.media_type, "encrypted": False}
        )
        ConsultationFile.objects.create(
            consultation=consultation, stored=stored, name=upload.name, added_by=account_of(actor)
        )
        names.append(upload.name)
    return names


def create(actor: Actor, data: ConsultationData, *, members: Iterable[Person] = ()) -> Consultation:
    """A new draft consultation organised by the acting person."""
    actor = require(policy.can_organise(actor.account, data.body), actor)
    organiser = _required_person(actor)
    data = _clean(actor, data)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            body=data.body, title=data.title, question=data.question, deadline=data.deadline, organiser=organiser,
            base=data.base, threshold_percent=data.threshold_percent, created_by=account_of(actor),
        )  # fmt: skip
        consultation.documents.set(data.documents)
        files = _store_files(actor, consultation, data.uploads)
        chosen = _add(consultation, members)
        audit.record(
            actor,
            "consultations.create",
            consultation,
            after={
                **audit.snapshot(consultation, ("body", *FIELDS)),
                "documents": sorted(d.pk for d in data.documents),
                "files": files,
                "members": chosen,
            },
        )
    return consultation


def update(
    actor: Actor, consultation: Consultation, data: ConsultationData, *, members: Iterable[Person] | None = None
) -> Consultation:
    """Change a draft: its question, documents, deadline and counting rule (the body stays) and, when
    ``members`` is given, make its members exactly those; one transaction, one audit entry."""
    actor = require(policy.can_manage(actor.account, consultation), actor)
    data.body = consultation.body
    data = _clean(actor, data)
    wanted = _active(members) if members is not None else None
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.DRAFT:
            raise _moved_on(consultation)
        before = {
            **audit.snapshot(consultation, FIELDS),
            "documents": sorted(consultation.documents.values_list("pk", flat=True)),
        }
        for name in FIELDS:
            setattr(consultation, name, getattr(data, name))
        consultation.save(update_fields=[*FIELDS, "updated_at"])
        consultation.documents.set(data.documents)
        files = _store_files(actor, consultation, data.uploads)
        after = {**audit.snapshot(consultation, FIELDS), "documents": sorted(d.pk for d in data.documents)}
        if files:
            after["files"] = files
        if wanted is not None:
            added, gone = _replace_members(consultation, wanted)
            after.update(members_added=added, members_removed=gone)
        audit.record(actor, "consultations.update", consultation, before=before, after=after)
    return consultation


def _add(consultation: Consultation, persons: Iterable[Person]) -> list[int]:
    present = set(consultation.members.values_list("person_id", flat=True))
    new = [p for p in dict.fromkeys(persons) if p.pk not in present]
    ConsultationMember.objects.bulk_create([ConsultationMember(consultation=consultation, person=p) for p in new])
    return [p.pk for p in new]


def _active(persons: Iterable[Person]) -> list[Person]:
    wanted = list(dict.fromkeys(persons))
    inactive = [p.full_name for p in wanted if not p.is_active]
    if inactive:
        raise ValidationError({"members": _("No longer active: {names}.").format(names=", ".join(inactive))})
    return wanted


def _replace_members(consultation: Consultation, wanted: list[Person]) -> tuple[list[int], list[int]]:
    keep = {p.pk for p in wanted}
    gone = list(consultation.members.exclude(person_id__in=keep).values_list("person_id", flat=True))
    consultation.members.filter(person_id__in=gone).delete()
    return _add(consultation, wanted), gone


def add_members(actor: Actor, consultation: Consultation, persons: Iterable[Person]) -> list[int]:
    """Add members to a draft; those already there are left as they are. Returns the ids added."""
    actor = require(policy.can_manage(actor.account, consultation), actor)
    persons = _active(persons)
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.DRAFT:
            raise ValidationError(_("Members can be changed only while the consultation is a draft."))
        added = _add(consultation, persons)
        if added:
            audit.record(actor, "consultations.members.add", consultation, after={"members": added})
    return added


def remove_member(actor: Actor, consultation: Consultation, person: Person) -> None:
    actor = require(policy.can_manage(actor.account, consultation), actor)
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.DRAFT:
            raise ValidationError(_("Members can be changed only while the consultation is a draft."))
        removed, _kinds = ConsultationMember.objects.filter(consultation=consultation, person=person).delete()
        if not removed:
            raise ValidationError({"members": _("{name} is not a member of this consultation.").format(name=person)})
        audit.record(actor, "consultations.members.remove", consultation, before={"member": person.pk})


def set_members(actor: Actor, consultation: Consultation, persons: Iterable[Person]) -> tuple[list[int], list[int]]:
    """Make the draft's members exactly ``persons`` (the edit form). Returns the ids added and removed."""
    actor = require(policy.can_manage(actor.account, consultation), actor)
    wanted = _active(persons)
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.DRAFT:
            raise ValidationError(_("Members can be changed only while the consultation is a draft."))
        added, gone = _replace_members(consultation, wanted)
        if added or gone:
            audit.record(actor, "consultations.members.set", consultation, after={"added": added, "removed": gone})
    return added, gone


def _accounts(person_ids: Iterable[int]) -> list[Account]:
    return list(Account.objects.filter(person_id__in=list(person_ids), is_active=True))


def _notify(
    recipients: list[Account], *, kind: str, subject: Any, params: dict[str, Any], url: str, key: str = ""
) -> int:
    from vanphong.notices.services import notify

    return notify(recipients, kind=kind, subject=subject, params=params, url=url, key=key)


def _url(consultation: Consultation) -> str:
    from django.urls import reverse

    return reverse("consultations:detail", args=[consultation.pk])


def _deadline_text(consultation: Consultation) -> str:
    return date_format(timezone.localtime(consultation.deadline), "d/m/Y H:i")


def open_consultation(actor: Actor, consultation: Consultation) -> Consultation:
    """Send the question to the members: the consultation opens for answers until its deadline."""
    actor = require(policy.can_manage(actor.account, consultation), actor)
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.DRAFT:
            raise _moved_on(consultation)
        member_ids = list(consultation.members.values_list("person_id", flat=True))
        if not member_ids:
            raise ValidationError({"members": _("Choose the members to consult before opening.")})
        if consultation.deadline <= timezone.now():
            raise ValidationError({"deadline": _("The deadline has passed; set a new one before opening.")})
        now = timezone.now()
        changed = Consultation.objects.filter(pk=consultation.pk, state=State.DRAFT).update(
            state=State.OPEN, opened_at=now, updated_at=now
        )
        if changed != 1:  # pragma: no cover  (the row is locked; kept as the invariant's guard)
            raise _moved_on(consultation)
        consultation.state, consultation.opened_at = State.OPEN, now
        sent = _notify(
            _accounts(member_ids),
            kind="consultations.opened",
            subject=gettext_lazy("Your opinion is asked: “{title}” (by {deadline})"),
            params={"title": consultation.title, "deadline": _deadline_text(consultation)},
            url=_url(consultation),
            key=f"consultation-{consultation.pk}-opened",
        )
        audit.record(actor, "consultations.open", consultation, after={"members": len(member_ids), "notified": sent})
    return consultation


def answer(actor: Actor, consultation: Consultation, *, choice: str, comment: str = "") -> ConsultationMember:
    """Record (or change) the acting member's answer while the consultation is open and before its deadline."""
    person = _required_person(actor)
    comment = vntext.nfc(comment).strip()
    if choice not in Answer.values:
        raise ValidationError({"answer": _("Choose agree, disagree or another opinion.")})
    if choice == Answer.OTHER and not comment:
        raise ValidationError({"comment": _("Write your opinion.")})
    with transaction.atomic():
        consultation = _locked(consultation)  # the same lock as closing: the answer is counted or refused
        member = ConsultationMember.objects.select_for_update().filter(consultation=consultation, person=person).first()
        if member is None:
            raise PermissionDenied
        if consultation.state == State.CLOSED:
            raise ValidationError(_("The consultation has been closed; answers can no longer be given or changed."))
        if consultation.state != State.OPEN:
            raise ValidationError(_("The consultation is not open for answers yet."))
        if deadline_passed(consultation):
            raise ValidationError(
                _("The deadline ({deadline}) has passed; answers can no longer be given or changed.").format(
                    deadline=_deadline_text(consultation)
                )
            )
        before = audit.snapshot(member, ("answer", "comment"))
        member.answer, member.comment, member.answered_at = choice, comment, timezone.now()
        member.save(update_fields=["answer", "comment", "answered_at"])
        audit.record(
            actor,
            "consultations.answer",
            member,
            before=before if before["answer"] else None,
            after=audit.snapshot(member, ("answer", "comment")),
        )
    return member


def deadline_passed(consultation: Consultation) -> bool:
    return timezone.now() >= consultation.deadline


def _unanswered_accounts(consultation: Consultation) -> list[Account]:
    ids = consultation.members.filter(answer="").values_list("person_id", flat=True)
    return _accounts(ids)


def remind(actor: Actor, consultation: Consultation) -> int:
    """Remind the members who have not answered (at most once an hour each). Returns how many were told."""
    actor = require(policy.can_manage(actor.account, consultation), actor)
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.state != State.OPEN:
            raise ValidationError(_("Only an open consultation can be reminded of."))
        hour = timezone.now().strftime("%Y%m%d%H")
        sent = _notify(
            _unanswered_accounts(consultation),
            kind="consultations.reminder",
            subject=gettext_lazy("Reminder: your opinion on “{title}” is awaited by {deadline}"),
            params={"title": consultation.title, "deadline": _deadline_text(consultation)},
            url=_url(consultation),
            key=f"consultation-{consultation.pk}-remind-{hour}",
        )
        audit.record(actor, "consultations.remind", consultation, after={"notified": sent})
    return sent


def remind_due(now: datetime.datetime) -> str:
    """The periodic job: 24 hours before the deadline, remind the members who have not answered.

    Idempotent by the notice key: run every hour (or twice), each member is reminded once.
    """
    due = Consultation.objects.filter(state=State.OPEN, deadline__gt=now, deadline__lte=now + REMIND_BEFORE)
    consultations = reminded = 0
    for consultation in due.order_by("deadline", "pk"):
        with transaction.atomic():
            consultations += 1
            reminded += _notify(
                _unanswered_accounts(consultation),
                kind="consultations.reminder",
                subject=gettext_lazy("Reminder: your opinion on “{title}” is awaited by {deadline}"),
                params={"title": consultation.title, "deadline": _deadline_text(consultation)},
                url=_url(consultation),
                key=f"consultation-{consultation.pk}-due-24h",
            )
    return f"{reminded} reminders for {consultations} consultations due within 24 h"


def counted(consultation: Consultation) -> rules.Outcome:
    """The tally and outcome of the answers as they stand (the recorded result once closed)."""
    answers = list(consultation.members.values_list("answer", flat=True))
    threshold = Fraction(consultation.threshold_percent, 100)
    return rules.outcome(rules.tally(answers), base=consultation.base, threshold=threshold)


AUTO_CLOSED = gettext_lazy("Closed automatically at the deadline.")


def close(actor: Actor, consultation: Consultation, *, conclusion: str = "") -> Consultation:
    """Close the consultation: count the answers, record the result, tell the members."""
    actor = require(policy.can_manage(actor.account, consultation), actor)
    with transaction.atomic():
        return _close(actor, consultation, conclusion=vntext.nfc(conclusion).strip(), closer=_required_person(actor))


def _close(actor: Actor, consultation: Consultation, *, conclusion: str, closer: Person | None) -> Consultation:
    """The one closing path, inside the caller's transaction: under the row lock, a conditional update from
    open to closed with the tally; a consultation someone closed first is refused (``_moved_on``)."""
    consultation = _locked(consultation)
    if consultation.state != State.OPEN:
        raise _moved_on(consultation)
    result = counted(consultation)
    now = timezone.now()
    values = {
        "state": State.CLOSED, "closed_at": now, "closed_by": closer, "passed": result.passed,
        "members_count": result.tally.members, "agree_count": result.tally.agree,
        "disagree_count": result.tally.disagree, "other_count": result.tally.other,
        "not_answered_count": result.tally.not_answered, "conclusion": conclusion, "updated_at": now,
    }  # fmt: skip
    changed = Consultation.objects.filter(pk=consultation.pk, state=State.OPEN).update(**values)
    if changed != 1:  # pragma: no cover  (the row is locked; kept as the invariant's guard)
        raise _moved_on(consultation)
    for name, value in values.items():
        setattr(consultation, name, value)
    member_ids = consultation.members.values_list("person_id", flat=True)
    _notify(
        _accounts(member_ids),
        kind="consultations.closed",
        subject=gettext_lazy("The consultation “{title}” is closed"),
        params={"title": consultation.title},
        url=_url(consultation),
        key=f"consultation-{consultation.pk}-closed",
    )
    audit.record(
        actor,
        "consultations.close",
        consultation,
        after={
            "passed": result.passed, "base": result.base.value, "needed": result.needed,
            "members": result.tally.members, "agree": result.tally.agree, "disagree": result.tally.disagree,
            "other": result.tally.other, "not_answered": result.tally.not_answered, "conclusion": conclusion,
            "automatic": closer is None,
        },
    )  # fmt: skip
    return consultation


def close_due(now: datetime.datetime) -> str:
    """The periodic job: close every open consultation whose deadline has passed, through ``_close`` with
    the tally, as the system, and tell the organiser. Idempotent and safe with two runners: each closing
    takes the row lock and a conditional update, so a consultation closed first (by the other runner or
    by hand) is skipped."""
    actor = Actor.system("task")
    due = Consultation.objects.filter(state=State.OPEN, deadline__lte=now).order_by("deadline", "pk")
    closed = 0
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                with translation.override(settings.LANGUAGE_CODE):  # the record is kept in the office's language
                    conclusion = str(AUTO_CLOSED)
                consultation = _close(actor, Consultation(pk=pk), conclusion=conclusion, closer=None)
                organiser = _accounts([consultation.organiser_id])
                passed = gettext_lazy("Passed.") if consultation.passed else gettext_lazy("Not passed.")
                _notify(
                    organiser,
                    kind="consultations.closed_at_deadline",
                    subject=gettext_lazy("The consultation “{title}” was closed at its deadline: {result}"),
                    params={"title": consultation.title, "result": passed},
                    url=_url(consultation),
                    key=f"consultation-{consultation.pk}-closed-at-deadline",
                )
        except ValidationError:
            continue  # closed first by someone else: nothing to do
        closed += 1
    return f"{closed} consultations closed at their deadline"


def deadline_round(now: datetime.datetime) -> str:
    """The registered job: remind those who have not answered as the deadline nears, close what is past it."""
    return "; ".join((remind_due(now), close_due(now)))


__all__ = [
    "ConsultationData",
    "add_members",
    "answer",
    "close",
    "close_due",
    "counted",
    "create",
    "deadline_passed",
    "deadline_round",
    "open_consultation",
    "remind",
    "remind_due",
    "remove_member",
    "set_members",
    "update",
]
