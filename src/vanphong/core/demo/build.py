"""Build the demo office through the services, in the order a real office would have lived it.

1. The organisation tree as it stood before 2025, each body with its founding date.
2. The installation administrator (as ``vanphong createadmin`` would), who appoints the two scoped
   administrators; they record the persons and positions of their part of the tree.
3. The 2025 restructurings with their real effective dates: the Party boards merged (1 February),
   departments merged and one renamed (1 March), the districts abolished and their communes merged
   (1 July). Persons move with their bodies; their old positions end the day before and their new
   ones start on the day, so "as of 2024-12-31" shows the old office and today the new one.
4. Roles, accounts, delegations and a few logins.

Every write is a service call, so the audit log holds the whole history, acted by the system, the
administrators and the office chiefs. Random choices use ``random.Random(2026)``: the demo is the
same on every run.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from vanphong.core.audit import Actor
from vanphong.core.demo import data
from vanphong.core.models import (
    Account,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    PositionHolding,
    Role,
)
from vanphong.core.services import accounts, people, roles
from vanphong.core.services.organizations import (
    OrganizationData,
    create_organization,
    dissolve_organization,
    merge_organizations,
    rename_organization,
)
from vanphong.elections import demo as elections_demo
from vanphong.lib.vntext import fold, split_name

SEED = 2026
ONE_DAY = datetime.timedelta(days=1)
# The head's title and the title its holder takes when a merged body already has a head.
DEPUTY_OF = {
    "Bí thư": "Phó Bí thư",
    "Chủ tịch": "Phó Chủ tịch",
    "Chủ nhiệm": "Phó Chủ nhiệm",
    "Trưởng ban": "Phó Trưởng ban",
    "Chánh Văn phòng": "Phó Chánh Văn phòng",
    "Giám đốc": "Phó Giám đốc",
    "Trưởng phòng": "Phó Trưởng phòng",
}
DEPUTY_TITLES = frozenset(DEPUTY_OF.values()) | {"Phó Bí thư Thường trực"}
SPECIALIST_TITLES = frozenset({"Chuyên viên", "Chuyên viên chính", "Chuyên viên cao cấp", "Lưu trữ viên"})


class DemoError(RuntimeError):
    """The demo cannot be loaded (the database is not empty, or lacks the position titles)."""


@dataclass(frozen=True)
class DemoLogin:
    """One demo account as printed at the end and listed in docs/demo-office.md."""

    username: str
    full_name: str
    post: str  # the position held today, e.g. "Chánh Văn phòng, Văn phòng Tỉnh ủy"


@dataclass(frozen=True)
class Summary:
    """What the demo loaded."""

    organizations: int
    persons: int
    accounts: int
    logins: tuple[DemoLogin, ...]


def build(*, password: str, stdout: TextIOBase) -> Summary:
    """Load the demo office into an empty database, all or nothing; ``password`` for every account."""
    with transaction.atomic():
        if Organization.objects.exists():
            raise DemoError("the database already holds organisations")
        return _Builder(password, stdout).run()


def _provincial(name: str) -> str:
    """A department's full name: "Sở Nội vụ tỉnh Sơn Hà", "Thanh tra tỉnh Sơn Hà"."""
    return f"{name} {data.PROVINCE}" if name.endswith(" tỉnh") else f"{name} tỉnh {data.PROVINCE}"


def _slug(name: str) -> str:
    return fold(name).replace(" ", "_")


class _Builder:
    """Holds the keys of what was created; objects are re-read before use, as services change them."""

    def __init__(self, password: str, stdout: TextIOBase) -> None:
        self.password = password
        self.out = stdout
        self.rng = random.Random(SEED)  # noqa: S311 (repeatable demo data, not a secret)
        self.now = timezone.now()
        self.ids: dict[str, int] = {}  # organisation key -> pk
        self.founded: dict[str, datetime.date] = {}
        self.sort: Counter[str | None] = Counter()
        self.positions: dict[str, Position] = {}
        self.persons: dict[str, int] = {}  # demo user name -> person pk
        self.accounts: dict[str, Account] = {}
        self.emails: set[str] = set()
        self.names: set[str] = set()
        self.taken: Counter[tuple[str, str]] = Counter()  # (org key, title) places filled by demo logins
        self.system = Actor.system("cli")
        self.admin = self.party_admin = self.state_admin = self.system

    # --- helpers ------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def org(self, key: str) -> Organization:
        return Organization.objects.get(pk=self.ids[key])

    def is_party(self, org: Organization) -> bool:
        return org.path.startswith(f"/{self.ids['tu']}/")

    def actor_for(self, org: Organization) -> Actor:
        """The administrator whose part of the tree ``org`` lies in."""
        if self.is_party(org):
            return self.party_admin
        if org.path.startswith(f"/{self.ids['ubnd']}/"):
            return self.state_admin
        return self.admin

    def position(self, title: str) -> Position:
        return self.positions[title]

    def create(self, actor: Actor, spec: data.Org) -> Organization:
        self.sort[spec.parent] += 10
        org = create_organization(
            actor,
            OrganizationData(
                kind=spec.kind,
                full_name=spec.full_name,
                abbreviation=spec.abbreviation,
                parent=self.org(spec.parent) if spec.parent else None,
                level=spec.level,
                short_name=spec.short_name,
                identifier_code=spec.code,
                sort_order=self.sort[spec.parent],
            ),
            established_on=spec.established_on,
        )
        self.ids[spec.key] = org.pk
        self.founded[spec.key] = spec.established_on
        return org

    def open_holdings(self, *orgs: Organization) -> list[PositionHolding]:
        """Positions held now in ``orgs`` (not their units), senior first, in the order of ``orgs``."""
        found: list[PositionHolding] = []
        for org in orgs:
            found += (
                PositionHolding.objects.filter(organization=org, ended_on__isnull=True)
                .select_related("person", "position")
                .order_by("position__rank", "started_on", "pk")
            )
        return found

    def free_title(self, org: Organization, title: str) -> str:
        """``title``, or its deputy's title when ``org`` already has someone holding it."""
        if (
            title in DEPUTY_OF
            and PositionHolding.objects.filter(organization=org, position__name=title, ended_on__isnull=True).exists()
        ):
            return DEPUTY_OF[title]
        return title

    @staticmethod
    def end_if_open(actor: Actor, holding: PositionHolding, ended_on: datetime.date) -> None:
        """End a position unless a restructuring already did (dissolving a body ends its positions)."""
        holding.refresh_from_db(fields=["ended_on"])
        if holding.ended_on is None:
            people.end_position(actor, holding, ended_on=ended_on)

    def carry_over(
        self,
        actor: Actor,
        holdings: Sequence[PositionHolding],
        successor: Organization,
        day: datetime.date,
        titles: dict[str, str] | None = None,
    ) -> None:
        """End ``holdings`` the day before ``day`` and give their holders a post in ``successor``."""
        for holding in holdings:
            self.end_if_open(actor, holding, day - ONE_DAY)
            title = self.free_title(successor, (titles or {}).get(holding.position.name, holding.position.name))
            people.assign_position(actor, holding.person, successor, self.position(title), started_on=day)

    # --- persons ------------------------------------------------------------------------------------

    def email(self, full_name: str, org: Organization) -> str:
        parts = split_name(full_name)
        initials = "".join(fold(word)[0] for word in f"{parts.family} {parts.middle}".split())
        base = fold(parts.given) + initials
        local, number = base, 1
        while local in self.emails:
            number += 1
            local = f"{base}{number}"
        self.emails.add(local)
        return f"{local}@{data.PARTY_DOMAIN if self.is_party(org) else data.STATE_DOMAIN}"

    def phone(self) -> str:
        digits = f"{self.rng.randrange(10**7):07d}"
        return f"{self.rng.choice(data.PHONE_PREFIXES)}{digits[0]} {digits[1:4]} {digits[4:]}"

    def random_day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return datetime.date.fromordinal(self.rng.randint(first.toordinal(), max(first, last).toordinal()))

    def random_name(self, gender: str) -> str:
        families = [name for name, _weight in data.FAMILY_NAMES]
        weights = [weight for _name, weight in data.FAMILY_NAMES]
        while True:
            given = self.rng.choice(data.GIVEN_NAMES[gender])
            middle = self.rng.choice(data.MIDDLE_NAMES[gender])
            name = f"{self.rng.choices(families, weights)[0]} {middle} {given}"
            if given not in middle.split() and name not in self.names:
                self.names.add(name)
                return name

    def add_person(
        self, actor: Actor, full_name: str, gender: str, born: datetime.date, org: Organization, clearance: int
    ) -> Person:
        self.names.add(full_name)
        return people.create_person(
            actor,
            people.PersonData(
                full_name=full_name,
                organization=org,
                gender=gender,
                date_of_birth=born,
                email=self.email(full_name, org),
                phone=self.phone(),
                clearance=clearance,
            ),
        )

    def add_login_person(self, login: data.Login, actor: Actor | None = None) -> Person:
        org = self.org(login.org)
        actor = actor or self.actor_for(org)
        person = self.add_person(actor, login.full_name, login.gender, login.born, org, login.clearance)
        for title, key, start, end in login.history:
            holding = people.assign_position(actor, person, self.org(key), self.position(title), started_on=start)
            people.end_position(actor, holding, ended_on=end)
        if login.position:
            people.assign_position(actor, person, org, self.position(login.position), started_on=login.since)
            self.taken[(login.org, login.position)] += 1
        for title, key, start in login.extra:
            people.assign_position(actor, person, self.org(key), self.position(title), started_on=start)
        self.persons[login.username] = person.pk
        return person

    def add_staff(self, key: str, title: str, clearance: int) -> None:
        """One random person holding ``title`` in organisation ``key`` since before 2025."""
        org = self.org(key)
        senior = title in DEPUTY_OF or title in DEPUTY_TITLES
        if key in data.WOMEN_ONLY:
            gender = "female"
        else:
            gender = "female" if self.rng.random() < (0.3 if senior else 0.55) else "male"
        born = self.random_day(datetime.date(1965, 1, 1), datetime.date(1978 if senior else 2000, 12, 31))
        person = self.add_person(self.actor_for(org), self.random_name(gender), gender, born, org, clearance)
        of_age = born.replace(day=1) + datetime.timedelta(days=23 * 365)
        first = max(self.founded[key], of_age, datetime.date(1995, 1, 1))
        if senior:
            first = max(first, datetime.date(2015, 1, 1))
        started = self.random_day(first, data.LAST_HIRING_DAY)
        people.assign_position(self.actor_for(org), person, org, self.position(title), started_on=started)

    def staffing(self) -> Iterator[tuple[str, str, int, int]]:
        """(org key, title, how many, clearance) for every place in the office before 2025."""
        for key, places in data.STAFF.items():
            for title, count, clearance in places:
                yield key, title, count, clearance
        for dept in data.DEPARTMENTS:
            for title, count, clearance in data.DEPARTMENT_STAFF["body"]:
                title = title.format(head=dept.head, deputy=dept.deputy)
                if title:
                    yield dept.key, title, count if title == dept.head else dept.deputies, clearance
            for index, (suffix, _name, _abbreviation) in enumerate(dept.units):
                kind = "office" if index == 0 else "first_unit" if index == 1 else "other_unit"
                for title, count, clearance in data.DEPARTMENT_STAFF[kind]:
                    yield f"{dept.key}.{suffix}", title, count, clearance
        for district in data.DISTRICTS:
            for part in ("hu", "ubnd"):
                for title, count, clearance in data.DISTRICT_STAFF[part]:
                    yield f"{part}.{district.key}", title, count, clearance
            for suffix, _pattern, _abbreviation in data.DISTRICT_UNITS:
                for title, count, clearance in data.DISTRICT_STAFF[suffix]:
                    yield f"ubnd.{district.key}.{suffix}", title, count, clearance
            for number in range(1, sum(len(formers) for _new, formers in district.groups) + 1):
                for title, count, clearance in data.DISTRICT_STAFF["commune"]:
                    yield f"xacu.{district.key}.{number:02d}", title, count, clearance

    # --- the steps ----------------------------------------------------------------------------------

    def run(self) -> Summary:
        self.positions = {position.name: position for position in Position.objects.all()}
        needed = {title for _key, title, _count, _clearance in self.staffing()} | set(DEPUTY_OF) | DEPUTY_TITLES
        for login in data.LOGINS:
            needed |= {post[0] for post in login.history} | {post[0] for post in login.extra}
        needed |= set(data.DISTRICT_TO_COMMUNE_TITLES.values()) | set(data.RENAMED_DEPARTMENT[3].values())
        missing = sorted(needed - set(self.positions))
        if missing:
            raise DemoError(f"the position titles are missing ({', '.join(missing)}): run `vanphong migrate` first")
        self.say("Creating the organisation tree of tỉnh Sơn Hà as it stood in 2024…")
        self.create_tree()
        self.say("Recording the persons and the positions they held…")
        self.create_people()
        self.say("Restructuring: 1 February, 1 March and 1 July 2025…")
        self.merge_party_boards()
        self.restructure_departments()
        for district in data.DISTRICTS:
            self.abolish_district(district)
        self.say("Granting roles and creating the demo accounts…")
        self.grant_roles()
        self.create_accounts()
        self.delegate()
        self.log_in()
        elections_demo.build(self.org("tu"), say=self.say)
        return self.summary()

    def create_tree(self) -> None:
        for spec in data.ORGANIZATIONS:
            self.create(self.system, spec)
        for dept in data.DEPARTMENTS:
            self.create_department(self.system, dept)
        for district in data.DISTRICTS:
            self.create_district(district)

    def create_department(self, actor: Actor, dept: data.Department) -> Organization:
        org = self.create(
            actor,
            data.Org(
                key=dept.key,
                parent="ubnd",
                kind=OrgKind.STATE_AGENCY,
                full_name=_provincial(dept.name),
                short_name=dept.name,
                abbreviation=dept.abbreviation,
                code=data.code(dept.number),
                established_on=dept.established_on,
            ),
        )
        for suffix, name, abbreviation in dept.units:
            unit = data.Org(f"{dept.key}.{suffix}", dept.key, OrgKind.INTERNAL_UNIT, name, abbreviation)
            self.create(actor, unit._replace(established_on=dept.established_on))
        return org

    def create_district(self, district: data.District) -> None:
        """The district's Party committee, People's Committee with its units, and its communes."""
        founded, level = data.DISTRICTS_FOUNDED, OrgLevel.DISTRICT
        party = data.Org(f"hu.{district.key}", "tu", OrgKind.PARTY_COMMITTEE, f"Huyện ủy {district.name}", "HU")
        self.create(self.system, party._replace(established_on=founded, level=level))
        ubnd = f"ubnd.{district.key}"
        committee = data.Org(
            key=ubnd,
            parent="ubnd",
            kind=OrgKind.PEOPLES_COMMITTEE,
            full_name=f"Ủy ban nhân dân huyện {district.name}",
            short_name=f"UBND huyện {district.name}",
            abbreviation="UBND",
            code=data.code(district.number),
            established_on=founded,
            level=level,
        )
        self.create(self.system, committee)
        for suffix, pattern, abbreviation in data.DISTRICT_UNITS:
            unit = data.Org(
                f"{ubnd}.{suffix}", ubnd, OrgKind.INTERNAL_UNIT, pattern.format(name=district.name), abbreviation
            )
            self.create(self.system, unit._replace(established_on=founded, level=level))
        formers = [name for _new, names in district.groups for name in names]
        for number, name in enumerate(formers, 1):
            commune = data.Org(
                key=f"xacu.{district.key}.{number:02d}",
                parent=ubnd,
                kind=OrgKind.PEOPLES_COMMITTEE,
                full_name=f"Ủy ban nhân dân {name}",
                short_name=f"UBND {name}",
                abbreviation="UBND",
                code=data.code(district.number, number),
                established_on=data.TOWNS_FOUNDED if name.startswith("thị trấn") else founded,
                level=OrgLevel.COMMUNE,
            )
            self.create(self.system, commune)

    def create_people(self) -> None:
        logins = {login.username: login for login in data.LOGINS}
        # The installation administrator first, then the two administrators they appoint.
        self.add_login_person(logins["admin"], self.system)
        self.accounts["admin"] = self.create_account(self.system, logins["admin"])
        self.admin = Actor(account=self.accounts["admin"], source="cli")
        for username, scope in (("quantritu", "tu"), ("quantri", "ubnd")):
            self.add_login_person(logins[username], self.admin)
            person = Person.objects.get(pk=self.persons[username])
            roles.grant_role(self.admin, person, self.org(scope), Role.ADMINISTRATOR)
            self.accounts[username] = self.create_account(self.admin, logins[username])
        self.party_admin = Actor(account=self.accounts["quantritu"], source="cli")
        self.state_admin = Actor(account=self.accounts["quantri"], source="cli")
        for login in data.LOGINS:
            if login.username not in self.persons:
                self.add_login_person(login)
        for key, title, count, clearance in self.staffing():
            for _place in range(count - self.taken[(key, title)]):
                self.add_staff(key, title, clearance)

    def merge_party_boards(self) -> None:
        sources_keys, spec, decision, note = data.PARTY_MERGE
        sources = [self.org(key) for key in sources_keys]
        holdings = self.open_holdings(*sources)
        self.sort[spec.parent] += 10
        event = merge_organizations(
            self.party_admin,
            sources,
            effective_on=spec.established_on,
            new=OrganizationData(
                kind=spec.kind,
                full_name=spec.full_name,
                abbreviation=spec.abbreviation,
                parent=self.org("tu"),
                sort_order=self.sort[spec.parent],
            ),
            decision=decision,
            note=note,
        )
        board = event.successors.get()
        self.ids[spec.key] = board.pk
        self.carry_over(self.party_admin, holdings, board, spec.established_on)

    def merge_offices(self, absorbed: str, keeper: str, day: datetime.date) -> None:
        """The absorbed department's office joins the other department's office."""
        office, successor = self.org(f"{absorbed}.vp"), self.org(f"{keeper}.vp")
        holdings = self.open_holdings(office)
        dissolve_organization(
            self.state_admin,
            office,
            effective_on=day,
            successor=successor,
            decision=data.DEPARTMENT_DECISION,
            note=f"{office.full_name} nhập vào {successor.full_name}.",
        )
        self.carry_over(self.state_admin, holdings, successor, day)

    def restructure_departments(self) -> None:
        day, actor = data.DEPARTMENTS_MERGED_ON, self.state_admin
        for absorbed, keeper in data.DEPARTMENT_MERGES:
            self.merge_offices(absorbed, keeper, day)
            source, target = self.org(absorbed), self.org(keeper)
            holdings = self.open_holdings(source)
            merge_organizations(
                actor,
                [source],
                into=target,
                effective_on=day,
                decision=data.DEPARTMENT_DECISION,
                note=f"Hợp nhất {source.short_name} vào {target.short_name}.",
            )
            self.carry_over(actor, holdings, self.org(keeper), day)

        (first, second), dept = data.NEW_DEPARTMENT
        self.merge_offices(second, first, day)
        sources = [self.org(first), self.org(second)]
        holdings = self.open_holdings(*sources)
        self.sort["ubnd"] += 10
        event = merge_organizations(
            actor,
            sources,
            effective_on=day,
            new=OrganizationData(
                kind=OrgKind.STATE_AGENCY,
                full_name=_provincial(dept.name),
                short_name=dept.name,
                abbreviation=dept.abbreviation,
                parent=self.org("ubnd"),
                identifier_code=data.code(dept.number),
                sort_order=self.sort["ubnd"],
            ),
            decision=data.DEPARTMENT_DECISION,
            note=f"Hợp nhất {sources[0].short_name} và {sources[1].short_name}.",
        )
        merged = event.successors.get()
        self.ids[dept.key] = merged.pk
        self.carry_over(actor, holdings, merged, day)
        office = self.org(f"{first}.vp")  # the first department's office now serves the new one
        rename_organization(
            actor,
            office,
            full_name=f"Văn phòng {dept.name}",
            short_name="",
            abbreviation=office.abbreviation,
            effective_on=day,
            decision=data.DEPARTMENT_DECISION,
        )

        key, name, abbreviation, titles = data.RENAMED_DEPARTMENT
        dept_org = self.org(key)
        old_name = dept_org.short_name
        rename_organization(
            actor,
            dept_org,
            full_name=_provincial(name),
            short_name=name,
            abbreviation=abbreviation,
            effective_on=day,
            decision=data.DEPARTMENT_DECISION,
            note=f"{old_name} đổi tên thành {name}.",
        )
        office = self.org(f"{key}.vp")
        rename_organization(
            actor,
            office,
            full_name=f"Văn phòng {name}",
            short_name="",
            abbreviation=office.abbreviation,
            effective_on=day,
            decision=data.DEPARTMENT_DECISION,
        )
        renamed = self.org(key)
        retitled = [h for h in self.open_holdings(renamed) if h.position.name in titles]
        self.carry_over(actor, retitled, renamed, day, titles)

    def abolish_district(self, district: data.District) -> None:
        """1 July 2025: the communes merge into new ones under the province; the district bodies close."""
        day = data.COMMUNES_MERGED_ON
        seat_commune = seat_party = ""
        first = 1  # the former communes are numbered through the district, group after group
        for index, (new_name, former_names) in enumerate(district.groups):
            numbers = range(first, first + len(former_names))
            first += len(former_names)
            sources = [self.org(f"xacu.{district.key}.{number:02d}") for number in numbers]
            holdings = self.open_holdings(*sources)
            number = data.FIRST_NEW_COMMUNE_NUMBER + sum(key.startswith("xa.") for key in self.ids)
            self.sort["ubnd"] += 10
            event = merge_organizations(
                self.admin,
                sources,
                effective_on=day,
                new=OrganizationData(
                    kind=OrgKind.PEOPLES_COMMITTEE,
                    full_name=f"Ủy ban nhân dân xã {new_name}",
                    abbreviation="UBND",
                    parent=self.org("ubnd"),
                    level=OrgLevel.COMMUNE,
                    short_name=f"UBND xã {new_name}",
                    identifier_code=data.code(number),
                    sort_order=self.sort["ubnd"],
                ),
                decision=data.COMMUNE_DECISION,
                note=f"Sắp xếp {', '.join(former_names)} (huyện {district.name}) thành xã {new_name}.",
            )
            commune = event.successors.get()
            slug = _slug(new_name)
            self.ids[f"xa.{slug}"] = commune.pk
            party_spec = data.Org(f"du.{slug}", "tu", OrgKind.PARTY_COMMITTEE, f"Đảng ủy xã {new_name}", "ĐU")
            party = self.create(self.party_admin, party_spec._replace(established_on=day, level=OrgLevel.COMMUNE))
            if index == 0:
                # The seat: the district's own leaders will head it; the communes' chairmen become deputies.
                seat_commune, seat_party = f"xa.{slug}", f"du.{slug}"
                self.carry_over(self.admin, holdings, commune, day, {"Chủ tịch": "Phó Chủ tịch"})
                continue
            # Elsewhere one former chairman chairs the new commune, the next is elected its Party secretary.
            secretary = holdings.pop(1)
            self.carry_over(self.admin, holdings, commune, day)
            self.end_if_open(self.admin, secretary, day - ONE_DAY)
            person = Person.objects.get(pk=secretary.person_id)
            people.update_person(self.party_admin, person, people.person_data(person, organization=party))
            people.assign_position(self.party_admin, person, party, self.position("Bí thư"), started_on=day)

        commune, party = self.org(seat_commune), self.org(seat_party)
        for suffix, _pattern, _abbreviation in data.DISTRICT_UNITS:
            unit = self.org(f"ubnd.{district.key}.{suffix}")
            holdings = self.open_holdings(unit)
            dissolve_organization(
                self.admin, unit, effective_on=day, successor=commune, decision=data.DISTRICT_DECISION
            )
            self.carry_over(self.admin, holdings, commune, day, data.DISTRICT_TO_COMMUNE_TITLES)
        for key, successor, actor, decision in (
            (f"ubnd.{district.key}", commune, self.admin, data.DISTRICT_DECISION),
            (f"hu.{district.key}", party, self.party_admin, data.PARTY_DISTRICT_DECISION),
        ):
            body = self.org(key)
            holdings = self.open_holdings(body)
            dissolve_organization(
                actor,
                body,
                effective_on=day,
                successor=successor,
                decision=decision,
                note=f"Cán bộ, công chức chuyển về {successor.full_name}.",
            )
            self.carry_over(actor, holdings, successor, day, data.DISTRICT_TO_COMMUNE_TITLES)

    def role_for(self, title: str, org: Organization) -> tuple[str, Organization] | None:
        """The role that goes with a position title, and the organisation it is held on."""
        if title in DEPUTY_OF:
            return (Role.HEAD if org.is_internal_unit else Role.LEADER), org
        if title in DEPUTY_TITLES:
            return Role.DEPUTY, org
        if title in SPECIALIST_TITLES:
            return Role.SPECIALIST, org
        if title == "Văn thư":
            body = org
            while body.is_internal_unit and body.parent is not None:
                body = body.parent
            return Role.CLERK, body  # a clerk registers the documents of the whole body
        return None

    def grant_roles(self) -> None:
        for login in data.LOGINS:
            person = Person.objects.get(pk=self.persons[login.username])
            for role, key in login.roles:
                org = self.org(key)
                if role != Role.ADMINISTRATOR:  # the administrators' roles were granted first
                    roles.grant_role(self.actor_for(org), person, org, role)
        demo = set(self.persons.values())
        granted: set[tuple[int, int, str]] = set()
        holdings = (
            PositionHolding.objects.filter(ended_on__isnull=True)
            .exclude(person_id__in=demo)
            .select_related("person", "position", "organization__parent")
            .order_by("person_id", "pk")
        )
        for holding in holdings:
            if holding.organization_id != holding.person.organization_id:
                continue
            found = self.role_for(holding.position.name, holding.organization)
            if found is None or (holding.person_id, found[1].pk, found[0]) in granted:
                continue
            granted.add((holding.person_id, found[1].pk, found[0]))
            roles.grant_role(self.actor_for(found[1]), holding.person, found[1], found[0])

    def create_account(self, actor: Actor, login: data.Login) -> Account:
        person = Person.objects.get(pk=self.persons[login.username])
        return accounts.create_account(
            actor, person, username=login.username, password=self.password, is_superuser=login.superuser
        )

    def create_accounts(self) -> None:
        for login in data.LOGINS:
            if login.username in self.accounts:
                continue
            person = Person.objects.select_related("organization").get(pk=self.persons[login.username])
            if person.organization is None:
                raise DemoError(f"{person.full_name} works nowhere")
            actor = self.actor_for(person.organization)
            self.accounts[login.username] = account = self.create_account(actor, login)
            if not login.active:
                accounts.set_active(actor, account, False)

    def delegate(self) -> None:
        for delegator, delegate, role, key, starts, ends, reason, revoke in data.DELEGATIONS:
            actor = Actor(account=self.accounts[delegator], source="cli")
            delegation = roles.create_delegation(
                actor,
                delegator=Person.objects.get(pk=self.persons[delegator]),
                delegate=Person.objects.get(pk=self.persons[delegate]),
                organization=self.org(key),
                role=role,
                starts_at=self.now + datetime.timedelta(days=starts),
                ends_at=self.now + datetime.timedelta(days=ends),
                reason=reason,
            )
            if revoke:  # the holder came back early
                roles.revoke_delegation(actor, delegation)

    def log_in(self) -> None:
        for username, succeeded, address in data.LOGIN_EVENTS:
            if succeeded:
                account = Account.objects.get(username=username)
                accounts.record_login_success(Actor(account=account, source="web", ip=address), account)
            else:
                accounts.record_login_failure(Actor(account=None, source="web", ip=address), username)

    def summary(self) -> Summary:
        logins: list[DemoLogin] = []
        for login in data.LOGINS:
            person = Person.objects.get(pk=self.persons[login.username])
            holding = (
                PositionHolding.objects.filter(person=person, organization=person.organization, ended_on__isnull=True)
                .select_related("position")
                .order_by("position__rank")
                .first()
            )
            if holding is None:  # retired: the last position held
                holding = (
                    person.holdings.select_related("position", "organization__parent").order_by("-ended_on").first()
                )
            post = ""
            if holding is not None:
                org = holding.organization
                where = org.short_name or org.full_name
                if org.is_internal_unit and org.parent is not None:
                    where = f"{where} ({org.parent.short_name or org.parent.full_name})"
                post = f"{holding.position.name}, {where}"
                if holding.ended_on is not None:
                    post = f"formerly {post}, until {holding.ended_on.isoformat()}"
            if not login.active:
                post += "; account disabled"
            logins.append(DemoLogin(login.username, person.full_name, post))
        return Summary(
            organizations=Organization.objects.count(),
            persons=Person.objects.count(),
            accounts=Account.objects.count(),
            logins=tuple(logins),
        )


__all__ = ["DemoError", "DemoLogin", "Summary", "build"]
