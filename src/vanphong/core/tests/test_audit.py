"""The audit log: every write recorded, chained by hashes; tampering is found and named."""

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from vanphong.core import audit
from vanphong.core.models import AuditEntry, AuditHead
from vanphong.core.services import people
from vanphong.testing import SYSTEM, Office, make_person

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def log(office: Office) -> list[AuditEntry]:
    for name in ["Nguyễn Thị Mai", "Trần Quốc Việt", "Lê Minh Châu"]:
        make_person(name, office.general_unit)
    return list(AuditEntry.objects.order_by("seq"))


def test_a_fresh_log_verifies(log: list[AuditEntry]) -> None:
    checked, problems = audit.verify()
    assert checked == len(log) > 20
    assert problems == []
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(log))


def test_edited_entry_is_named(log: list[AuditEntry]) -> None:
    victim = log[10]
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET object_repr = %s WHERE seq = %s", ["Người khác", victim.seq])
    _checked, problems = audit.verify()
    assert [(p.seq, p.kind) for p in problems] == [(victim.seq, "edited")]


def test_edited_entry_with_recomputed_hash_is_found_at_the_next_entry(log: list[AuditEntry]) -> None:
    victim = AuditEntry.objects.get(seq=log[10].seq)
    victim.after = {"full_name": "Giả mạo"}
    victim.hash = audit._digest(victim)
    _raw(
        f"UPDATE {AuditEntry._meta.db_table} SET after = %s, hash = %s WHERE seq = %s",
        ['{"full_name": "Giả mạo"}', victim.hash, victim.seq],
    )
    _checked, problems = audit.verify()
    assert [(p.seq, p.kind) for p in problems] == [(victim.seq + 1, "out_of_order")]


def test_deleted_entry_is_named(log: list[AuditEntry]) -> None:
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [7])
    _checked, problems = audit.verify()
    assert [(p.seq, p.kind) for p in problems] == [(7, "missing")]
    assert "#7" in problems[0].message


def test_deleted_last_entries_are_found_through_the_head(log: list[AuditEntry]) -> None:
    last = log[-1].seq
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq >= %s", [last - 1])
    _checked, problems = audit.verify()
    assert [(p.seq, p.kind) for p in problems] == [(last - 1, "missing")]


def test_reordered_entries_are_named(log: list[AuditEntry]) -> None:
    table = AuditEntry._meta.db_table
    _raw(f"UPDATE {table} SET seq = -1 WHERE seq = 5", [])
    _raw(f"UPDATE {table} SET seq = 5 WHERE seq = 6", [])
    _raw(f"UPDATE {table} SET seq = 6 WHERE seq = -1", [])
    _checked, problems = audit.verify()
    assert {p.seq for p in problems} == {5, 6}


def test_verify_command_exits_non_zero_naming_the_entry(log: list[AuditEntry]) -> None:
    call_command("audit", "verify")  # intact: no error
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET actor_name = %s WHERE seq = %s", ["kẻ gian", 4])
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")
    assert caught.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit.record(SYSTEM, "test.event")


def test_a_failed_service_leaves_no_audit_entry(office: Office) -> None:
    count = AuditEntry.objects.count()
    head = AuditHead.objects.get(pk=1).seq
    with pytest.raises(Exception):  # noqa: B017 (any validation failure will do)
        people.create_person(SYSTEM, people.PersonData(full_name="  ", organization=office.general_unit))
    assert AuditEntry.objects.count() == count
    assert AuditHead.objects.get(pk=1).seq == head


@pytest.mark.django_db(transaction=True)
def test_vanphong_audit_verify_cli_exit_codes(tmp_path: Path) -> None:
    env = {"VANPHONG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "vanphong.settings", "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "vanphong", *args], env=env, capture_output=True, text=True)

    assert run("migrate", "-v", "0").returncode == 0
    created = run(
        "manage",
        "shell",
        "-c",
        "from vanphong.testing import make_person; [make_person(n, None) for n in ('Lê Văn Tám', 'Võ Thị Sáu')]",
    )
    assert created.returncode == 0, created.stderr
    ok = run("audit", "verify")
    assert ok.returncode == 0 and "2 entries verified" in ok.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "vanphong.sqlite3") as db:
        db.execute("UPDATE core_auditentry SET object_repr = 'Giả' WHERE seq = 1")
    broken = run("audit", "verify")
    assert broken.returncode == 1
    assert "entry #1 was edited" in broken.stderr


def test_every_action_the_core_records_has_a_label() -> None:
    """A new audit action without a readable label would show as a bare code on history pages."""
    import re

    from vanphong.core.models.audit import ACTION_LABELS

    core = Path(__file__).resolve().parent.parent
    recorded: set[str] = set()
    for source in [*core.glob("services/*.py"), core / "signals.py", core / "access.py"]:
        recorded |= set(
            re.findall(
                r'"((?:organization|person|position|role|delegation|account|auth|token)\.[a-z_]+)"', source.read_text()
            )
        )
    recorded |= {f"organization.{kind}" for kind in ("rename", "merge", "split", "dissolve")}  # f"organization.{kind}"
    assert recorded, "no audit actions found: the pattern above is stale"
    assert sorted(recorded - set(ACTION_LABELS)) == []
