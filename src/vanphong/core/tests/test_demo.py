"""`vanphong demo`: the fictional tỉnh Sơn Hà, loaded once, through the services, with its history."""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from vanphong.core import audit, policy
from vanphong.core.access import tree_as_of
from vanphong.core.demo import data
from vanphong.core.management.commands.demo import ALREADY_LOADED, DEFAULT_PASSWORD
from vanphong.core.models import (
    Account,
    AuditEntry,
    Clearance,
    Delegation,
    Organization,
    OrganizationRecord,
    OrgKind,
    OrgLevel,
    Person,
    PositionHolding,
    Restructuring,
    Role,
)
from vanphong.documents import access as documents_access
from vanphong.documents import exports, search
from vanphong.documents.models import (
    Assignment,
    AssignmentState,
    Direction,
    Document,
    DocumentText,
    FlowEvent,
    NumberSeries,
    Register,
    Secrecy,
    Status,
)
from vanphong.lib import idcodes, vntext
from vanphong.lib.vntext import name_sort_key, split_name

DOCS = Path(__file__).resolve().parents[4] / "docs" / "demo-office.md"
BEFORE = datetime.date(2024, 12, 31)
DISTRICT_COMMITTEES = {f"Ủy ban nhân dân huyện {district.name}" for district in data.DISTRICTS}


def _load_positions() -> None:
    """The position titles come from a data migration; load them should the test database skip migrations."""
    importlib.import_module("vanphong.core.migrations.0002_positions").add_positions(apps, None)


def _documented_usernames() -> list[str]:
    """The user names in the first column of the logins table of docs/demo-office.md (its second column
    is a person's name; the delegations table has a second user name there)."""
    return re.findall(r"^\| `([a-z0-9]+)` \| [^`|]", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)


def _counts() -> tuple[int, ...]:
    return (
        Organization.objects.count(),
        Person.objects.count(),
        Account.objects.count(),
        PositionHolding.objects.count(),
        AuditEntry.objects.count(),
        Document.objects.count(),
        DocumentText.objects.count(),
        FlowEvent.objects.count(),
        Assignment.objects.count(),
        NumberSeries.objects.count(),
    )


def _history() -> QuerySet[Document]:
    """The previous year's documents (``documents.demo_history``): arrived in 2025, or numbered in a 2025
    series (the State registers' yearly ones, the Party register's previous term)."""
    return Document.objects.filter(
        Q(arrival_year=2025) | Q(direction=Direction.OUTGOING, series__period__in=["2025", "term-2020-10-16"])
    )


def _names(records: list[OrganizationRecord]) -> set[str]:
    return {record.full_name for record in records}


# --- an empty database ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_weak_password_is_refused_before_anything_is_written() -> None:
    _load_positions()
    with pytest.raises(CommandError, match="password rules"):
        call_command("demo", "--password", "12345678", stdout=StringIO())
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_a_failed_load_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    _load_positions()
    broken = data.Org("broken", "ubnd", "state_agency", "Sở Thử nghiệm", "STN", code="000..H70")
    monkeypatch.setattr(data, "DEPARTMENTS", ())  # fail soon after the first organisations
    monkeypatch.setattr(data, "ORGANIZATIONS", (*data.ORGANIZATIONS, broken))
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("demo", stdout=StringIO())
    assert (Organization.objects.count(), Person.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


# --- the loaded demo ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestLoadedDemo:
    """The demo is loaded once for the class and rolled back after it."""

    @pytest.fixture(scope="class", autouse=True)
    def output(self, django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
        with django_db_blocker.unblock(), transaction.atomic():
            _load_positions()
            out = StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)

    def test_the_office_has_a_realistic_size(self, output: str) -> None:
        assert Organization.objects.count() >= 50
        assert 280 <= Person.objects.count() <= 320
        assert Account.objects.count() >= 35
        assert Organization.objects.active().filter(kind=OrgKind.STATE_AGENCY).count() >= 15
        assert f"{Organization.objects.count()} organisations, {Person.objects.count()} persons" in output

    def test_every_documented_login_exists_and_its_password_works(self, output: str) -> None:
        documented = _documented_usernames()
        assert sorted(documented) == sorted(login.username for login in data.LOGINS)
        for username in documented:
            account = Account.objects.select_related("person").get(username=username)
            assert account.check_password(DEFAULT_PASSWORD), username
            assert account.person is not None
            assert f"  {username} " in output
        assert Account.objects.get(username="admin").is_superuser
        assert not Account.objects.filter(is_superuser=True).exclude(username="admin").exists()
        assert not Account.objects.get(username="vanthucu").is_active  # retired: the login is disabled

    def test_a_second_run_changes_nothing(self) -> None:
        before = _counts()
        out = StringIO()
        call_command("demo", stdout=out)
        assert out.getvalue().strip() == ALREADY_LOADED
        assert _counts() == before

    def test_the_districts_exist_before_2025_and_not_today(self) -> None:
        old, today = tree_as_of(BEFORE), tree_as_of(timezone.localdate())
        assert _names(old) >= DISTRICT_COMMITTEES
        assert not _names(today) & DISTRICT_COMMITTEES
        assert _names(old) >= {f"Huyện ủy {district.name}" for district in data.DISTRICTS}
        former = Organization.objects.filter(level=OrgLevel.COMMUNE, dissolved_on=data.COMMUNES_MERGED_ON)
        assert former.count() == sum(len(names) for d in data.DISTRICTS for _new, names in d.groups) == 72
        assert {record.organization_id for record in old} >= set(former.values_list("pk", flat=True))

    def test_the_new_communes_exist_from_1_july_2025(self) -> None:
        new = Organization.objects.filter(established_on=data.COMMUNES_MERGED_ON)
        committees = new.filter(kind=OrgKind.PEOPLES_COMMITTEE, level=OrgLevel.COMMUNE)
        assert committees.count() == 30
        assert new.filter(kind=OrgKind.PARTY_COMMITTEE).count() == 30  # one Đảng ủy xã each
        ids = set(new.values_list("pk", flat=True))
        assert not ids & {r.organization_id for r in tree_as_of(datetime.date(2025, 6, 30))}
        assert ids <= {r.organization_id for r in tree_as_of(data.COMMUNES_MERGED_ON)}
        ubnd = Organization.objects.get(identifier_code="000.00.00.H70")
        assert set(committees.values_list("parent_id", flat=True)) == {ubnd.pk}
        merges = Restructuring.objects.filter(effective_on=data.COMMUNES_MERGED_ON, kind="merge")
        assert merges.count() == 30
        assert all(2 <= event.predecessors.count() <= 4 for event in merges)

    def test_the_2025_department_mergers_and_rename(self) -> None:
        march = data.DEPARTMENTS_MERGED_ON
        agriculture = Organization.objects.get(full_name="Sở Nông nghiệp và Môi trường tỉnh Sơn Hà")
        assert agriculture.established_on == march
        merge = Restructuring.objects.get(kind="merge", successors=agriculture)
        assert {org.short_name for org in merge.predecessors.all()} == {
            "Sở Tài nguyên và Môi trường",
            "Sở Nông nghiệp và Phát triển nông thôn",
        }
        ethnic = Organization.objects.get(identifier_code="000.00.12.H70")
        names_then = {r.organization_id: r.full_name for r in tree_as_of(march - datetime.timedelta(days=1))}
        names_now = {r.organization_id: r.full_name for r in tree_as_of(timezone.localdate())}
        assert names_then[ethnic.pk] == "Ban Dân tộc tỉnh Sơn Hà"
        assert names_now[ethnic.pk] == "Sở Dân tộc và Tôn giáo tỉnh Sơn Hà"
        assert "Sở Kế hoạch và Đầu tư tỉnh Sơn Hà" in names_then.values()
        assert "Sở Kế hoạch và Đầu tư tỉnh Sơn Hà" not in names_now.values()
        assert "Ban Tuyên giáo và Dân vận Tỉnh ủy" in names_now.values()

    def test_positions_follow_the_restructurings(self) -> None:
        chairman = Person.objects.get(account__username="chutichxa")
        holdings = chairman.holdings.select_related("position", "organization").order_by("started_on")
        posts = [(h.position.name, h.organization.full_name, h.started_on, h.ended_on) for h in holdings]
        assert posts[-2:] == [
            ("Chủ tịch", "Ủy ban nhân dân huyện Hòa An", datetime.date(2021, 6, 1), datetime.date(2025, 6, 30)),
            ("Chủ tịch", "Ủy ban nhân dân xã Hòa An", datetime.date(2025, 7, 1), None),
        ]
        # The head of the absorbed department became a deputy of the merged one.
        deputy = Account.objects.get(username="phogiamdocsnnmt").person
        assert deputy is not None and deputy.organization is not None
        assert deputy.holdings.get(ended_on__isnull=True).position.name == "Phó Giám đốc"
        # Nobody works in, or holds an open position in, a dissolved organisation.
        assert not Person.objects.filter(organization__dissolved_on__isnull=False).exists()
        open_holdings = PositionHolding.objects.filter(ended_on__isnull=True)
        assert not open_holdings.filter(organization__dissolved_on__isnull=False).exists()
        assert PositionHolding.objects.filter(ended_on__isnull=False).count() >= 100

    def test_every_identifier_code_is_valid_and_unique(self) -> None:
        codes = [code for code in Organization.objects.values_list("identifier_code", flat=True) if code is not None]
        assert len(codes) >= 100
        assert len(set(codes)) == len(codes)
        for code in codes:
            assert idcodes.validate(code) == code
            assert idcodes.is_classic(code)
            assert idcodes.level_one(code) in {data.UBND_LETTER, data.HDND_LETTER}
        assert not Organization.objects.filter(
            kind__in=[OrgKind.PARTY_COMMITTEE, OrgKind.PARTY_ADVISORY], identifier_code__isnull=False
        ).exists()  # the Party letters of QCVN 102 are unconfirmed

    def test_the_audit_log_is_intact_and_shows_people_acting(self) -> None:
        checked, problems = audit.verify()
        assert problems == []
        assert checked == AuditEntry.objects.count() > 1000
        actors = set(AuditEntry.objects.values_list("actor_name", flat=True))
        assert {"system (cli)", "admin", "quantri", "quantritu", "chanhvp"} <= actors
        assert AuditEntry.objects.filter(action="organization.merge").count() >= 30
        failed = AuditEntry.objects.get(action="auth.login_failed", object_repr="vanthu")
        assert failed.source == "web" and failed.ip
        assert Account.objects.get(username="vanthu").failed_logins == 0  # the next try succeeded

    def test_persons_are_in_the_vietnamese_order(self) -> None:
        persons = list(Person.objects.in_vietnamese_order())
        keys = [name_sort_key(split_name(person.full_name)) for person in persons]
        assert keys == sorted(keys)
        names = [person.full_name for person in persons]
        # By given name first: Lan Anh, then Ngọc Ánh (tone after the letters), then Bảo.
        assert names.index("Nguyễn Thị Lan Anh") < names.index("Phạm Thị Ngọc Ánh") < names.index("Trần Quốc Bảo")

    def test_persons_look_real(self) -> None:
        persons = Person.objects.all()
        emails = [person.email for person in persons]
        assert len(set(emails)) == len(emails)
        assert all(re.fullmatch(r"[a-z0-9]+@sonha\.(gov|dcs)\.vn", email) for email in emails)
        assert all(re.fullmatch(r"09\d\d \d{3} \d{3}", person.phone) for person in persons)
        births = [person.date_of_birth for person in persons if person.date_of_birth is not None]
        assert len(births) == persons.count()
        assert datetime.date(1965, 1, 1) <= min(births) <= max(births) <= datetime.date(2000, 12, 31)
        assert {person.gender for person in persons} == {"male", "female"}
        assert Person.objects.get(full_name="Nguyễn Thị Lan Anh").email == "anhntl@sonha.dcs.vn"
        clearances = {level: persons.filter(clearance=level).count() for level in Clearance.values}
        assert clearances[Clearance.NONE] > persons.count() / 2  # most have none
        assert clearances[Clearance.MAT] and clearances[Clearance.TOI_MAT]

    def test_roles_and_delegations(self) -> None:
        def account(username: str) -> Account:
            return Account.objects.select_related("person").get(username=username)

        party_office = Organization.objects.get(full_name="Văn phòng Tỉnh ủy")
        home_affairs = Organization.objects.get(identifier_code="000.00.02.H70")
        province = Organization.objects.get(identifier_code="000.00.00.H70")
        # The deputy holds the chief's role while the chief is away, on the chief's behalf.
        decision = policy.has_role(account("phochanhvp"), [Role.LEADER], party_office)
        assert decision and decision.on_behalf_of == account("chanhvp").person
        # The deputy chairman's delegation is still to come; the head of unit's was revoked.
        assert not policy.has_role(account("phochutich"), [Role.LEADER], province)
        general = Organization.objects.get(full_name="Phòng Tổng hợp", parent=party_office)
        assert not policy.has_role(account("photruongphong"), [Role.HEAD], general)
        assert Delegation.objects.count() == 3
        # Scoped administrators administer their own part of the tree only.
        assert policy.can_administer(account("quantri"), home_affairs)
        assert not policy.can_administer(account("quantri"), party_office)
        assert policy.can_administer(account("quantritu"), party_office)
        assert not policy.can_administer(account("quantritu"), home_affairs)
        assert policy.can_administer(account("admin"), party_office)
        assert policy.has_role(account("vanthu"), [Role.CLERK], party_office)
        assert not policy.is_signed_in(account("vanthucu"))

    # --- the previous year, loaded in bulk (documents.demo_history) -------------------------------------

    def test_the_previous_year_is_finished_and_numbered_without_gaps(self) -> None:
        history = _history()
        assert history.count() == settings.DEMO_HISTORY
        assert set(history.values_list("status", flat=True)) == {Status.COMPLETED, Status.DISPATCHED}
        assert not Assignment.objects.filter(document__in=history).exclude(state=AssignmentState.DONE).exists()
        assert Document.objects.filter(reply_to__in=history.filter(direction=Direction.INCOMING)).exists()
        # Arrival numbers: 1..n in arrival order in each register's 2025 series, which ends at n.
        for register in Register.objects.filter(direction=Direction.INCOMING):
            numbers = list(
                history.filter(register=register).order_by("arrived_at", "pk").values_list("arrival_number", flat=True)
            )
            assert numbers == list(range(1, len(numbers) + 1)), register
            assert NumberSeries.objects.get(register=register, period="2025").last_number == len(numbers)
        # Issue numbers: 1..last of every series, in issue order in the 2025 ones. The Party office's 2025
        # documents are in the previous term's series; the current term's (from 2025-10-15) is the services'.
        term_start = datetime.date(2025, 10, 15)
        for series in NumberSeries.objects.filter(register__direction=Direction.OUTGOING):
            rows = list(Document.objects.filter(series=series).values_list("number", "issued_at", "document_date"))
            assert sorted(n or 0 for n, _at, _day in rows) == list(range(1, series.last_number + 1)), series
            if series.period in ("2025", "term-2020-10-16"):
                issued = sorted((at, n or 0) for n, at, _day in rows if at is not None)
                assert [n for _at, n in issued] == list(range(1, series.last_number + 1)), series
            days = {day for _n, _at, day in rows if day is not None}
            if series.period == "term-2025-10-15":
                assert min(days) >= term_start
            elif series.period.startswith("term-"):
                assert max(days) < term_start
        assert NumberSeries.objects.filter(period="term-2020-10-16", register__system="party").exists()

    def test_a_previous_year_document_is_found_without_diacritics_and_in_the_2025_register(self) -> None:
        clerk = Account.objects.get(username="vanthu")
        register = Register.objects.get(organization__full_name="Văn phòng Tỉnh ủy", direction=Direction.INCOMING)
        document = _history().filter(register=register, secrecy=Secrecy.NONE).order_by("-arrival_number").first()
        assert document is not None
        query = vntext.fold(f"{document.abstract} {document.number_symbol}")
        assert query != document.abstract  # the query has no diacritics, the abstract has
        page = search.search(clerk, query, limit=5, facets=False)
        assert document.pk in [hit.document.pk for hit in page.hits]
        rows = list(exports.register_rows(clerk, register, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
        assert [row[1] for row in rows] == list(range(1, _history().filter(register=register).count() + 1))
        assert document.arrival_number in [row[1] for row in rows]
        # Done, so in nobody's basket.
        for username in ("vanthu", "chanhvp", "truongphong", "chuyenvienchinh", "vanthuubnd", "chanhvpubnd"):
            account = Account.objects.get(username=username)
            for name in documents_access.BASKETS:
                waiting = documents_access.basket(account, name)
                assert not waiting.filter(pk__in=_history()).exists(), (username, name)
