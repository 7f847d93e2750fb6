"""The periodic-job runner: a job runs when due, once at a time, and a broken one does not stop the rest."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vanphong.notices import jobs
from vanphong.notices.models import JobState
from vanphong.registry import Job, registry
from vanphong.testing import race

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[datetime.datetime]:
    runs: list[datetime.datetime] = []

    def run(now: datetime.datetime) -> str:
        runs.append(now)
        return f"round {len(runs)}"

    monkeypatch.setitem(registry.jobs, "test.count", Job("test.count", run, every=HOUR))
    return runs


def test_a_job_runs_when_due_and_not_before(counted: list[datetime.datetime]) -> None:
    start = timezone.now()
    assert [o.ran for o in jobs.run_due(start, only="test.count")] == [True]
    assert [o.ran for o in jobs.run_due(start + datetime.timedelta(minutes=59), only="test.count")] == [False]
    assert [o.result for o in jobs.run_due(start + HOUR, only="test.count")] == ["round 2"]
    state = JobState.objects.get(key="test.count")
    assert state.result == "round 2" and state.finished_at is not None and not state.failed


def test_all_runs_a_job_now_unless_it_is_running(counted: list[datetime.datetime]) -> None:
    start = timezone.now()
    jobs.run_due(start, only="test.count")
    assert jobs.run_due(start, force=True, only="test.count")[0].ran
    JobState.objects.filter(key="test.count").update(finished_at=None)  # another runner is in the middle of it
    assert not jobs.run_due(start, force=True, only="test.count")[0].ran
    assert len(counted) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_run_the_job_once(counted: list[datetime.datetime]) -> None:
    now = timezone.now()
    won, lost = race(lambda: jobs.run_due(now, only="test.count"), lambda: jobs.run_due(now, only="test.count"))
    assert lost == []
    assert sorted(outcome[0].ran for outcome in won) == [False, True]  # type: ignore[index]
    assert len(counted) == 1


def test_a_failing_job_is_recorded_and_the_others_still_run(
    counted: list[datetime.datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(now: datetime.datetime) -> str:
        raise RuntimeError("máy chủ thư không trả lời")

    monkeypatch.setitem(registry.jobs, "test.broken", Job("test.broken", broken, every=HOUR))
    outcomes = {o.key: o for o in jobs.run_due(timezone.now()) if o.key.startswith("test.")}
    assert outcomes["test.broken"].failed and "máy chủ thư" in outcomes["test.broken"].result
    assert outcomes["test.count"].ran and not outcomes["test.count"].failed
    assert JobState.objects.get(key="test.broken").failed


def test_the_command_lists_runs_and_refuses_unknown_jobs(counted: list[datetime.datetime]) -> None:
    out = StringIO()
    call_command("jobs", "list", stdout=out)
    assert "notices.digest" in out.getvalue() and "test.count" in out.getvalue()
    out = StringIO()
    call_command("jobs", "run", "--job", "test.count", stdout=out)
    assert "test.count: round 1" in out.getvalue()
    with pytest.raises(CommandError, match="unknown job"):
        call_command("jobs", "run", "--job", "khong.co")
