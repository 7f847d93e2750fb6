"""API endpoints for organisations (bodies and units), persons and positions.

The same access helpers, filter classes and services as the pages: the API cannot drift from them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from vanphong.core import access, policy
from vanphong.core.filters import ListFilter, OrganizationFilter, PersonFilter
from vanphong.core.models import Account, Organization, OrgKind, Person, Position
from vanphong.core.services import organizations as org_services
from vanphong.core.services import people as people_services
from vanphong.core.services.organizations import OrganizationData
from vanphong.core.views.common import actor_of

router = Router()
PAGE_SIZE = 50


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class OrganizationOut(Schema):
    id: int
    kind: str
    level: str
    full_name: str
    short_name: str
    abbreviation: str
    identifier_code: str | None
    parent_id: int | None
    established_on: datetime.date | None
    dissolved_on: datetime.date | None
    is_internal_unit: bool


class PersonOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    email: str
    phone: str
    organization_id: int | None
    is_active: bool


class PositionOut(Schema):
    id: int
    name: str
    rank: int
    is_leadership: bool


class HoldingOut(Schema):
    id: int
    person_id: int
    organization_id: int
    position: str
    started_on: datetime.date
    ended_on: datetime.date | None


def _page_of(schema: type[Schema]) -> type[Schema]:
    return type(
        f"{schema.__name__}Page",
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "page": int,
                "pages": int,
                "results": list[schema],  # type: ignore[valid-type]
            }
        },
    )


OrganizationPage = _page_of(OrganizationOut)
PersonPage = _page_of(PersonOut)


class PageQuery(Schema):
    page: int = 1


class OrganizationQuery(PageQuery):
    q: str = ""
    kind: str = ""
    level: str = ""
    status: str = ""
    parent: int | None = None
    as_of: datetime.date | None = None


class PersonQuery(PageQuery):
    q: str = ""
    organization: int | None = None
    role: str = ""
    active: str = ""


def _filtered(filter_form: ListFilter, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Apply a page's filter class to API parameters; invalid values are a 400 like on the page."""
    if not filter_form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filter_form.errors.items()})
    return filter_form.filter(queryset)


def _paginate(queryset: QuerySet[Any], page: int) -> dict[str, Any]:
    paginator = Paginator(queryset, PAGE_SIZE)
    if page < 1 or (page > paginator.num_pages and page != 1):
        raise ValidationError({"page": [_("There is no page {page}.").format(page=page)]})
    current = paginator.page(page)
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "results": list(current.object_list),
    }


def _params(query: Schema) -> dict[str, Any]:
    return {key: value for key, value in query.dict().items() if value not in (None, "") and key != "page"}


# --- organisations ------------------------------------------------------------------------------------


def _organization_list(request: HttpRequest, query: OrganizationQuery, base: QuerySet[Organization]) -> dict[str, Any]:
    queryset = _filtered(OrganizationFilter(_params(query)), base)
    return _paginate(queryset.order_by("path"), query.page)


@router.get("/bodies", response={200: OrganizationPage, **ERRORS}, tags=["organisations"])
def list_bodies(request: HttpRequest, query: Query[OrganizationQuery]) -> dict[str, Any]:
    """Bodies (cơ quan): Party committees and boards, People's Committees and Councils, departments…"""
    return _organization_list(request, query, access.organizations_visible_to(request.user).bodies())


@router.get("/units", response={200: OrganizationPage, **ERRORS}, tags=["organisations"])
def list_units(request: HttpRequest, query: Query[OrganizationQuery]) -> dict[str, Any]:
    """Internal units (phòng, ban) inside bodies; filter with ``parent`` for one body's units."""
    return _organization_list(request, query, access.organizations_visible_to(request.user).units())


@router.get("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS}, tags=["organisations"])
def get_organization(request: HttpRequest, org_id: int) -> Organization:
    return access.access_organization(request.user, org_id)


class OrganizationIn(Schema):
    kind: str
    full_name: str
    abbreviation: str
    level: str = "province"
    short_name: str = ""
    identifier_code: str | None = None
    parent_id: int | None = None
    sort_order: int = 100
    effective_on: datetime.date | None = None


def _data_from(payload: OrganizationIn, user: Any) -> OrganizationData:
    parent = access.access_organization(user, payload.parent_id) if payload.parent_id else None
    return OrganizationData(
        kind=payload.kind,
        full_name=payload.full_name,
        abbreviation=payload.abbreviation,
        parent=parent,
        level=payload.level,
        short_name=payload.short_name,
        identifier_code=payload.identifier_code,
        sort_order=payload.sort_order,
    )


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, tags=["organisations"])
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    data = _data_from(payload, request.user)
    if not policy.can_place_under(request.user, data.parent):
        raise PermissionDenied
    org = org_services.create_organization(actor_of(request), data, established_on=payload.effective_on)
    return Status(201, org)


@router.put("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS}, tags=["organisations"])
def update_organization(request: HttpRequest, org_id: int, payload: OrganizationIn) -> Organization:
    """Replace an organisation's data from ``effective_on`` (today by default); history is kept."""
    org = access.access_organization(request.user, org_id, write=True)
    data = _data_from(payload, request.user)
    moved = (data.parent.pk if data.parent else None) != org.parent_id
    if moved and not policy.can_place_under(request.user, data.parent):
        raise PermissionDenied
    return org_services.update_organization(actor_of(request), org, data, effective_on=payload.effective_on)


@router.get("/organization-kinds", response={200: list[dict[str, str]], **ERRORS}, tags=["organisations"])
def list_kinds(request: HttpRequest) -> list[dict[str, str]]:
    return [{"code": code, "name": str(label)} for code, label in OrgKind.choices]


# --- persons and positions --------------------------------------------------------------------------------


@router.get("/persons", response={200: PersonPage, **ERRORS}, tags=["people"])
def list_persons(request: HttpRequest, query: Query[PersonQuery]) -> dict[str, Any]:
    """Persons in the Vietnamese order (given name, then family name, then middle names)."""
    queryset = _filtered(PersonFilter(_params(query)), access.persons_visible_to(request.user))
    return _paginate(queryset.order_by("sort_key", "id"), query.page)


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["people"])
def get_person(request: HttpRequest, person_id: int) -> Person:
    return access.access_person(request.user, person_id)


class PersonIn(Schema):
    full_name: str
    organization_id: int | None = None
    email: str = ""
    phone: str = ""
    gender: str = ""
    date_of_birth: datetime.date | None = None


def _person_data(payload: PersonIn, user: Any, person: Person | None = None) -> people_services.PersonData:
    org = access.access_organization(user, payload.organization_id) if payload.organization_id else None
    unchanged = person is not None and person.organization == org
    if not unchanged and not policy.can_assign_to(user, org):
        if org is not None:
            raise PermissionDenied
        raise ValidationError({"organization_id": [_("Choose the organisation the person works in.")]})
    base = people_services.person_data(person) if person else people_services.PersonData(full_name="")
    return people_services.PersonData(
        full_name=payload.full_name,
        organization=org,
        email=payload.email,
        phone=payload.phone,
        gender=payload.gender,
        date_of_birth=payload.date_of_birth,
        clearance=base.clearance,
    )


@router.post("/persons", response={201: PersonOut, **ERRORS}, tags=["people"])
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    if not policy.is_administrator(request.user):
        raise PermissionDenied
    data = _person_data(payload, request.user)
    return Status(201, people_services.create_person(actor_of(request), data))


@router.put("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["people"])
def update_person(request: HttpRequest, person_id: int, payload: PersonIn) -> Person:
    person = access.access_person(request.user, person_id, write=True)
    return people_services.update_person(actor_of(request), person, _person_data(payload, request.user, person))


@router.get("/positions", response={200: list[PositionOut], **ERRORS}, tags=["people"])
def list_positions(request: HttpRequest) -> QuerySet[Position]:
    """The position titles (Bí thư, Chánh Văn phòng, Chuyên viên…), in rank order."""
    if not policy.can_view_directory(request.user):
        raise PermissionDenied
    return Position.objects.all()


@router.get("/persons/{person_id}/positions", response={200: list[HoldingOut], **ERRORS}, tags=["people"])
def list_holdings(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    person = access.access_person(request.user, person_id)
    return [
        {
            "id": h.pk,
            "person_id": h.person_id,
            "organization_id": h.organization_id,
            "position": h.position.name,
            "started_on": h.started_on,
            "ended_on": h.ended_on,
        }
        for h in person.holdings.select_related("position").order_by("-started_on")
    ]


class HoldingIn(Schema):
    organization_id: int
    position_id: int
    started_on: datetime.date


@router.post("/persons/{person_id}/positions", response={201: HoldingOut, **ERRORS}, tags=["people"])
def assign_position(request: HttpRequest, person_id: int, payload: HoldingIn) -> Status[dict[str, Any]]:
    person = access.access_person(request.user, person_id)
    org = access.access_organization(request.user, payload.organization_id)
    decision = policy.can_manage_staff(request.user, org)
    if not decision:
        raise PermissionDenied
    position = Position.objects.filter(pk=payload.position_id).first()
    if position is None:
        raise ValidationError({"position_id": [_("There is no such position.")]})
    holding = people_services.assign_position(
        actor_of(request).acting_for(decision.on_behalf_of),
        person,
        org,
        position,
        started_on=payload.started_on,
    )
    return Status(
        201,
        {
            "id": holding.pk,
            "person_id": person.pk,
            "organization_id": org.pk,
            "position": position.name,
            "started_on": holding.started_on,
            "ended_on": None,
        },
    )


class MeOut(Schema):
    username: str
    person_id: int | None
    full_name: str
    language: str
    is_administrator: bool


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["people"])
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not isinstance(user, Account):
        raise PermissionDenied
    return {
        "username": user.username,
        "person_id": user.person_id,
        "full_name": user.display_name,
        "language": user.language,
        "is_administrator": policy.is_administrator(user),
    }
