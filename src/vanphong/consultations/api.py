"""The consultations API: the same access helpers, services and permission checks as the pages.

A member sees their own answer; the organiser and the body's leaders see every member's answer and
the tally. Every action answers with the consultation as it now stands.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from vanphong.consultations import access, policy, services
from vanphong.consultations.filters import ConsultationFilter
from vanphong.consultations.models import Consultation, State
from vanphong.core.api import ERRORS
from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of
from vanphong.documents import access as document_access

router = Router(tags=["consultations"])
PAGE_SIZE = 50


class MemberOut(Schema):
    person_id: int
    name: str
    answer: str
    comment: str
    answered_at: datetime.datetime | None


class TallyOut(Schema):
    members: int
    agree: int
    disagree: int
    other: int
    not_answered: int
    needed: int
    passed: bool


class ConsultationOut(Schema):
    id: int
    body_id: int
    body: str
    title: str
    deadline: datetime.datetime
    organiser: str
    state: str
    base: str
    threshold_percent: int
    passed: bool | None
    conclusion: str


class ConsultationDetailOut(ConsultationOut):
    question: str
    document_ids: list[int]
    files: list[str]
    my_answer: MemberOut | None
    members: list[MemberOut] | None  # only for those who manage it
    tally: TallyOut | None  # for managers; for members once closed


class PageOut(Schema):
    count: int
    results: list[ConsultationOut]


class ConsultationIn(Schema):
    body_id: int
    title: str
    question: str
    deadline: datetime.datetime
    member_ids: list[int] = []
    document_ids: list[int] = []
    base: str = "members"
    threshold_percent: int = 50


class AnswerIn(Schema):
    answer: str
    comment: str = ""


class CloseIn(Schema):
    conclusion: str = ""


class ListParams(Schema):
    q: str = ""
    state: str = ""
    page: int = 1


def _out(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk, "body_id": c.body_id, "body": c.body.full_name, "title": c.title, "deadline": c.deadline,
        "organiser": c.organiser.full_name, "state": c.state, "base": c.base,
        "threshold_percent": c.threshold_percent, "passed": c.passed, "conclusion": c.conclusion,
    }  # fmt: skip


def _member(m: Any) -> dict[str, Any]:
    return {"person_id": m.person_id, "name": m.person.full_name, "answer": m.answer, "comment": m.comment,
            "answered_at": m.answered_at}  # fmt: skip


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    c = access.access_consultation(request.user, pk)
    manages = bool(policy.can_manage(request.user, c))
    mine = access.my_membership(request.user, c)
    tally = None
    if manages or c.state == State.CLOSED:
        result = services.counted(c)
        tally = {"members": result.tally.members, "agree": result.tally.agree, "disagree": result.tally.disagree,
                 "other": result.tally.other, "not_answered": result.tally.not_answered, "needed": result.needed,
                 "passed": result.passed}  # fmt: skip
    return {
        **_out(c),
        "question": c.question,
        "document_ids": sorted(c.documents.values_list("pk", flat=True)),
        "files": list(c.files.values_list("name", flat=True)),
        "my_answer": _member(mine) if mine else None,
        "members": [_member(m) for m in c.members.select_related("person")] if manages else None,
        "tally": tally,
    }


@router.get("", response={200: PageOut, **ERRORS})
def list_consultations(request: HttpRequest, params: Query[ListParams]) -> Any:
    """The consultations the caller may see (asked of them, organised by them, or of a body they lead)."""
    filters = ConsultationFilter({"q": params.q, "state": params.state})
    if not filters.is_valid():
        raise ValidationError({name: list(messages) for name, messages in filters.errors.items()})
    queryset = filters.filter(access.consultations_visible_to(request.user)).select_related("body", "organiser")
    start = (max(params.page, 1) - 1) * PAGE_SIZE
    return {
        "count": queryset.count(),
        "results": [_out(c) for c in queryset.order_by("-pk")[start : start + PAGE_SIZE]],
    }


@router.get("/{int:pk}", response={200: ConsultationDetailOut, **ERRORS})
def get_consultation(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post("", response={201: ConsultationDetailOut, **ERRORS})
def create_consultation(request: HttpRequest, payload: ConsultationIn) -> Any:
    body = Organization.objects.filter(pk=payload.body_id).first()
    if body is None or not policy.can_organise(request.user, body):
        raise PermissionDenied
    people = Person.objects.in_bulk(payload.member_ids)
    documents = document_access.documents_visible_to(request.user).in_bulk(payload.document_ids)
    errors: dict[str, list[str]] = {}
    if len(people) != len(set(payload.member_ids)):
        errors["member_ids"] = [_("Some of the members do not exist.")]
    if len(documents) != len(set(payload.document_ids)):
        errors["document_ids"] = [_("Some of the chosen documents do not exist or are not yours to send.")]
    if errors:
        raise ValidationError(errors)
    data = services.ConsultationData(
        body=body, title=payload.title, question=payload.question, deadline=payload.deadline,
        documents=list(documents.values()), base=payload.base, threshold_percent=payload.threshold_percent,
    )  # fmt: skip
    consultation = services.create(actor_of(request), data, members=list(people.values()))
    return Status(201, _detail(request, consultation.pk))


@router.post("/{int:pk}/open", response={200: ConsultationDetailOut, **ERRORS})
def open_consultation(request: HttpRequest, pk: int) -> Any:
    consultation = access.access_consultation(request.user, pk, manage=True)
    services.open_consultation(actor_of(request), consultation)
    return _detail(request, pk)


@router.post("/{int:pk}/answer", response={200: ConsultationDetailOut, **ERRORS})
def answer_consultation(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    consultation = access.access_consultation(request.user, pk)
    services.answer(actor_of(request), consultation, choice=payload.answer, comment=payload.comment)
    return _detail(request, pk)


class RemindOut(Schema):
    reminded: int
    consultation: ConsultationDetailOut


@router.post("/{int:pk}/remind", response={200: RemindOut, **ERRORS})
def remind_consultation(request: HttpRequest, pk: int) -> Any:
    """Remind the members who have not answered yet (the page's button: at most once an hour each)."""
    consultation = access.access_consultation(request.user, pk, manage=True)
    sent = services.remind(actor_of(request), consultation)
    return {"reminded": sent, "consultation": _detail(request, pk)}


@router.post("/{int:pk}/close", response={200: ConsultationDetailOut, **ERRORS})
def close_consultation(request: HttpRequest, pk: int, payload: CloseIn) -> Any:
    consultation = access.access_consultation(request.user, pk, manage=True)
    services.close(actor_of(request), consultation, conclusion=payload.conclusion)
    return _detail(request, pk)
