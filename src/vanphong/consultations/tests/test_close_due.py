"""At the deadline the periodic job closes the consultation as the system, with the tally, and tells the
organiser; idempotent, and safe with two runners or a leader closing by hand at the same moment."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from vanphong.consultations import services
from vanphong.consultations.models import Consultation, State
from vanphong.consultations.tests.conftest import Committee
from vanphong.core.models import AuditEntry
from vanphong.notices.models import Notification
from vanphong.registry import registry
from vanphong.testing import now_plus, race


@pytest.mark.django_db
def test_the_job_closes_at_the_deadline_with_the_tally(committee: Committee) -> None:
    due = committee.opened(deadline=now_plus(hours=2))
    later = committee.opened(deadline=now_plus(days=5), title="Xin ý kiến về chương trình kiểm tra năm 2027")
    for account in (committee.secretary, committee.vice, committee.member_a):
        services.answer(committee.actor(account), due, choice="agree")
    services.answer(committee.actor(committee.member_b), due, choice="disagree")
    committee.office.clerk.language = "en"  # the organiser (văn thư) reads English
    committee.office.clerk.save(update_fields=["language"])
    job = registry.jobs["consultations.reminders"]

    assert "0 consultations closed" in job.run(timezone.now())  # before the deadline nothing closes
    after = timezone.now() + datetime.timedelta(hours=3)
    assert "1 consultations closed at their deadline" in job.run(after)

    due.refresh_from_db()
    assert due.state == State.CLOSED and due.closed_by is None and due.passed is True
    assert (due.members_count, due.agree_count, due.disagree_count, due.not_answered_count) == (5, 3, 1, 1)
    with translation.override(settings.LANGUAGE_CODE):  # kept in the office's language
        assert due.conclusion == str(services.AUTO_CLOSED)
    assert Consultation.objects.get(pk=later.pk).state == State.OPEN
    entry = AuditEntry.objects.get(action="consultations.close")
    assert entry.actor_id is None and entry.after["automatic"] is True and entry.after["agree"] == 3  # type: ignore[index]
    told = Notification.objects.get(recipient=committee.office.clerk, kind="consultations.closed_at_deadline")
    assert told.subject.startswith("The consultation “Xin ý kiến về Đề án") and told.subject.endswith("Passed.")
    assert Notification.objects.filter(kind="consultations.closed").count() == 5  # the members, as by hand

    # a second round (the next hour, or a crashed round run again) changes nothing
    assert "0 consultations closed" in job.run(after + datetime.timedelta(hours=1))
    assert AuditEntry.objects.filter(action="consultations.close").count() == 1
    assert Notification.objects.filter(kind="consultations.closed_at_deadline").count() == 1


@pytest.mark.django_db
def test_a_consultation_closed_by_hand_is_left_alone(committee: Committee) -> None:
    consultation = committee.opened(deadline=now_plus(hours=1))
    services.close(committee.actor(committee.office.clerk), consultation, conclusion="Thống nhất thông qua Đề án.")
    assert "0 consultations closed" in services.close_due(timezone.now() + datetime.timedelta(hours=2))
    consultation.refresh_from_db()
    assert consultation.conclusion == "Thống nhất thông qua Đề án." and consultation.closed_by is not None
    entry = AuditEntry.objects.get(action="consultations.close")
    assert entry.after["automatic"] is False  # type: ignore[index]


@pytest.mark.django_db(transaction=True)
def test_two_runners_and_a_leader_at_once_close_it_once(committee: Committee) -> None:
    rounds = 3 if connection.vendor == "postgresql" else 2
    for _round in range(rounds):
        consultation = committee.opened(deadline=now_plus(minutes=30))
        past = timezone.now() + datetime.timedelta(hours=1)
        won, lost = race(
            lambda p=past: services.close_due(p),
            lambda p=past: services.close_due(p),
            lambda c=consultation: services.close(committee.actor(committee.office.clerk), c),
        )
        consultation.refresh_from_db()
        assert consultation.state == State.CLOSED
        closings = AuditEntry.objects.filter(action="consultations.close", object_id=str(consultation.pk))
        assert closings.count() == 1
        automatic = closings.get().after["automatic"]  # type: ignore[index]
        # the leader lost only if a runner came first; the runners never fail, they skip
        assert len(lost) == (1 if automatic else 0)
        assert sum("1 consultations closed" in str(w) for w in won) == (1 if automatic else 0)
