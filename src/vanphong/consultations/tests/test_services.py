"""The consultation services: drafting, opening with notices, answering, reminding, closing, races."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation

from vanphong.consultations import access, policy, services
from vanphong.consultations.models import Consultation, ConsultationMember, State
from vanphong.consultations.tests.conftest import Committee
from vanphong.core.models import AuditEntry
from vanphong.documents.services.files import Upload
from vanphong.notices.models import Notification
from vanphong.registry import registry
from vanphong.testing import now_plus, race

pytestmark = pytest.mark.django_db(transaction=False)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def answer_of(committee: Committee, account: object, choice: str, comment: str = "") -> ConsultationMember:
    consultation = Consultation.objects.get()
    return services.answer(committee.actor(account), consultation, choice=choice, comment=comment)  # type: ignore[arg-type]


def test_the_office_drafts_and_opens_and_every_member_is_told(committee: Committee) -> None:
    draft = committee.draft()
    assert draft.state == State.DRAFT and draft.organiser == committee.office.clerk.person
    assert draft.members.count() == 5 and set(draft.documents.all()) == {committee.plan, committee.secret}
    assert not Notification.objects.exists()  # a draft tells nobody
    opened = services.open_consultation(committee.actor(committee.office.clerk), draft)
    assert opened.state == State.OPEN and opened.opened_at is not None
    told = Notification.objects.filter(kind="consultations.opened")
    assert {n.recipient_id for n in told} == {a.pk for a in committee.members}
    assert all(n.url == f"/consultations/{draft.pk}/" for n in told)
    actions = list(
        AuditEntry.objects.filter(object_type="consultations.consultation")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["consultations.create", "consultations.open"]
    with translation.override("en"), pytest.raises(ValidationError, match="someone acted on it first"):
        services.open_consultation(committee.actor(committee.office.clerk), draft)


def test_who_may_organise(committee: Committee) -> None:
    office = committee.office
    party = office.province_party
    assert policy.can_organise(office.clerk, party) and policy.can_organise(office.chief, party)
    assert not policy.can_organise(office.specialist, party)  # Sở Nội vụ's specialist: another tree
    assert not policy.can_organise(office.uncleared, party)  # no role at all
    assert not policy.can_organise(committee.member_a, party)  # a member is not an organiser
    assert policy.can_organise(office.specialist, office.peoples_committee)
    with pytest.raises(PermissionDenied):
        services.create(committee.actor(office.specialist), committee.data(documents=[]))
    assert party in policy.bodies_for(office.clerk) and office.general_unit not in policy.bodies_for(office.clerk)


def test_a_draft_is_checked(committee: Committee) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        committee.draft(title=" ", question="", deadline=now_plus(hours=-1), threshold_percent=100)
    assert set(caught.value.message_dict) == {"title", "question", "deadline", "threshold_percent"}
    # A document the organiser may not see cannot be sent (the specialist's body has its own).
    with pytest.raises(ValidationError) as caught:
        services.create(
            committee.actor(committee.office.specialist),
            committee.data(body=committee.office.peoples_committee),
        )
    assert "documents" in caught.value.message_dict
    nobody = services.create(committee.actor(committee.office.clerk), committee.data())
    with pytest.raises(ValidationError) as caught:
        services.open_consultation(committee.actor(committee.office.clerk), nobody)
    assert "members" in caught.value.message_dict
    assert Consultation.objects.get(pk=nobody.pk).state == State.DRAFT


def test_members_change_only_while_draft(committee: Committee) -> None:
    clerk = committee.actor(committee.office.clerk)
    draft = committee.draft()
    added, removed = services.set_members(clerk, draft, [committee.secretary.person, committee.office.deputy.person])  # type: ignore[list-item]
    assert added == [committee.office.deputy.person_id] and len(removed) == 4
    services.remove_member(clerk, draft, committee.office.deputy.person)  # type: ignore[arg-type]
    assert services.add_members(clerk, draft, [committee.vice.person]) == [committee.vice.person_id]  # type: ignore[list-item]
    services.open_consultation(clerk, draft)
    with translation.override("en"), pytest.raises(ValidationError, match="only while the consultation is a draft"):
        services.add_members(clerk, draft, [committee.member_a.person])  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        services.remove_member(clerk, draft, committee.vice.person)  # type: ignore[arg-type]
    assert draft.members.count() == 2


def test_members_answer_and_change_their_answer_until_the_deadline(committee: Committee) -> None:
    consultation = committee.opened()
    first = answer_of(committee, committee.member_a, "disagree", "Cần thêm thời gian nghiên cứu.")
    assert first.answer == "disagree" and first.answered_at is not None
    changed = answer_of(committee, committee.member_a, "agree")
    assert changed.answer == "agree" and changed.comment == ""
    entry = AuditEntry.objects.filter(action="consultations.answer").order_by("-seq").first()
    assert entry is not None and entry.before == {"answer": "disagree", "comment": "Cần thêm thời gian nghiên cứu."}
    with translation.override("en"), pytest.raises(ValidationError, match="Write your opinion"):
        answer_of(committee, committee.member_b, "other")
    with pytest.raises(ValidationError):
        answer_of(committee, committee.member_b, "maybe")
    with pytest.raises(PermissionDenied):  # the chief manages it but is not a member
        answer_of(committee, committee.office.chief, "agree")
    Consultation.objects.filter(pk=consultation.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    with translation.override("en"), pytest.raises(ValidationError, match=r"deadline .* has passed"):
        answer_of(committee, committee.member_a, "disagree")
    assert ConsultationMember.objects.get(person=committee.member_a.person).answer == "agree"


def test_a_draft_cannot_be_answered_and_a_closed_one_refuses_clearly(committee: Committee) -> None:
    committee.draft()
    with translation.override("en"), pytest.raises(ValidationError, match="not open"):
        answer_of(committee, committee.member_a, "agree")
    consultation = services.open_consultation(committee.actor(committee.office.clerk), Consultation.objects.get())
    services.close(committee.actor(committee.office.clerk), consultation)
    with translation.override("en"), pytest.raises(ValidationError, match="has been closed"):
        answer_of(committee, committee.member_a, "agree")


def test_closing_counts_against_all_members_and_records_the_result(committee: Committee) -> None:
    consultation = committee.opened()
    answer_of(committee, committee.secretary, "agree")
    answer_of(committee, committee.vice, "agree")
    answer_of(committee, committee.member_a, "other", "Đề nghị bổ sung phương án nhân sự.")
    # 2 of 5 agree: all who answered "yes or other" would not matter; the base is the whole committee.
    closed = services.close(committee.actor(committee.office.chief), consultation, conclusion="Chưa đủ quá nửa.")
    assert closed.state == State.CLOSED and closed.passed is False
    assert (closed.members_count, closed.agree_count, closed.disagree_count, closed.other_count,
            closed.not_answered_count) == (5, 2, 0, 1, 2)  # fmt: skip
    closed.refresh_from_db()
    assert closed.passed is False and closed.closed_by == committee.office.chief.person
    entry = AuditEntry.objects.get(action="consultations.close")
    assert entry.after["needed"] == 3 and entry.after["base"] == "members" and entry.after["not_answered"] == 2
    assert Notification.objects.filter(kind="consultations.closed").count() == 5
    with pytest.raises(ValidationError):
        services.close(committee.actor(committee.office.chief), consultation)


def test_counting_against_those_who_answered_is_a_setting(committee: Committee) -> None:
    consultation = committee.opened(base="answered")
    answer_of(committee, committee.secretary, "agree")
    answer_of(committee, committee.vice, "agree")
    answer_of(committee, committee.member_a, "disagree")
    assert services.close(committee.actor(committee.office.clerk), consultation).passed is True


def test_only_the_organiser_and_the_body_leaders_manage(committee: Committee) -> None:
    consultation = committee.opened()
    for outsider in (committee.member_a, committee.office.specialist):
        with pytest.raises(PermissionDenied):
            services.close(committee.actor(outsider), consultation)
    assert policy.can_manage(committee.office.deputy, consultation)  # Phó Chánh Văn phòng: a leader of the office
    with pytest.raises(Http404):
        access.access_consultation(committee.office.specialist, consultation.pk)
    with pytest.raises(PermissionDenied):
        access.access_consultation(committee.member_a, consultation.pk, manage=True)
    assert access.access_consultation(committee.member_a, consultation.pk) == consultation


def test_members_do_not_see_a_draft(committee: Committee) -> None:
    draft = committee.draft()
    with pytest.raises(Http404):
        access.access_consultation(committee.member_a, draft.pk)
    assert not access.waiting_for_answer(committee.member_a).exists()
    services.open_consultation(committee.actor(committee.office.clerk), draft)
    assert list(access.waiting_for_answer(committee.member_a)) == [draft]
    answer_of(committee, committee.member_a, "agree")
    assert not access.waiting_for_answer(committee.member_a).exists()


def test_secret_documents_only_for_the_cleared_and_every_reading_audited(committee: Committee) -> None:
    consultation = committee.opened()
    secret = committee.secret
    # The vice (Mật) reads the secret proposal through the consultation, though the registry hides it.
    with pytest.raises(Http404):
        from vanphong.documents import access as document_access

        document_access.access_document(committee.vice, secret.pk)
    actor = committee.actor(committee.vice)
    assert access.access_document(committee.vice, consultation.pk, secret.pk, actor=actor) == secret
    shown = access.documents_for_page(committee.vice, consultation, actor=actor)
    assert [item.readable for item in shown] == [True, True]
    assert AuditEntry.objects.filter(action="consultations.secret.view", actor=committee.vice).count() == 2
    # A member without clearance sees that it is there, never what it is, and cannot open it.
    with pytest.raises(PermissionDenied):
        access.access_document(committee.member_a, consultation.pk, secret.pk)
    shown = access.documents_for_page(committee.member_a, consultation, actor=committee.actor(committee.member_a))
    assert [(item.document.pk, item.readable, item.files) for item in shown] == [
        (committee.plan.pk, True, []),
        (secret.pk, False, []),
    ]
    assert not AuditEntry.objects.filter(action__startswith="consultations.secret", actor=committee.member_a).exists()
    with pytest.raises(Http404):  # the outsider does not see the consultation at all
        access.access_document(committee.office.specialist, consultation.pk, committee.plan.pk)


def test_files_are_stored_by_content_and_sniffed(committee: Committee, settings: object) -> None:
    consultation = committee.draft(uploads=[Upload("to-trinh.pdf", PDF)])
    stored = consultation.files.get().stored
    assert stored.media_type == "application/pdf" and len(stored.sha256) == 64
    with translation.override("en"), pytest.raises(ValidationError, match="not accepted"):
        committee.draft(uploads=[Upload("to-trinh.pdf", b"MZ\x90\x00 an executable")])
    settings.DOCUMENT_MAX_UPLOAD_MB = 0  # type: ignore[attr-defined]
    from vanphong.documents import storage

    storage.store.cache_clear()
    try:
        with translation.override("en"), pytest.raises(ValidationError, match="larger than"):
            committee.draft(uploads=[Upload("to-trinh.pdf", PDF)])
    finally:
        storage.store.cache_clear()


def test_reminders_before_the_deadline_once_each(committee: Committee) -> None:
    soon = committee.opened(deadline=now_plus(hours=20))
    later = committee.opened(deadline=now_plus(days=5), title="Xin ý kiến về chương trình kiểm tra năm 2027")
    answer_of_soon = services.answer(committee.actor(committee.secretary), soon, choice="agree")
    assert answer_of_soon.answer == "agree"
    job = registry.jobs["consultations.reminders"]
    summary = job.run(timezone.now())
    reminded = Notification.objects.filter(kind="consultations.reminder")
    assert {n.recipient_id for n in reminded} == {a.pk for a in committee.members[1:]}
    assert summary.startswith("4 reminders for 1 consultations")
    job.run(timezone.now())  # a second run (the next hour, or a retried crash) reminds nobody again
    assert reminded.count() == 4
    assert later.pk not in {int(n.url.strip("/").split("/")[-1]) for n in reminded}
    # The organiser may remind by hand; at most once an hour each.
    assert services.remind(committee.actor(committee.office.clerk), later) == 5
    assert services.remind(committee.actor(committee.office.clerk), later) == 0


@pytest.mark.django_db(transaction=True)
def test_closing_while_a_member_answers_counts_or_refuses_never_loses(committee: Committee) -> None:
    for _round in range(3 if connection.vendor == "postgresql" else 2):
        consultation = committee.opened()
        member = committee.member_b
        won, lost = race(
            lambda c=consultation: services.close(committee.actor(committee.office.clerk), c),
            lambda c=consultation, m=member: services.answer(committee.actor(m), c, choice="agree"),
        )
        consultation.refresh_from_db()
        answered = ConsultationMember.objects.get(consultation=consultation, person=member.person).answer
        assert consultation.state == State.CLOSED
        if answered == "agree":  # the answer came first: it is counted
            assert consultation.agree_count == 1 and not lost
        else:  # the closing came first: the answer was refused with the reason
            assert consultation.agree_count == 0 and len(lost) == 1 and not won[1:]


def test_every_recorded_action_has_a_label() -> None:
    """A new audit action without a readable label would show as a bare code on history pages."""
    import re
    from pathlib import Path

    from vanphong.core.models.audit import ACTION_LABELS

    app = Path(services.__file__).resolve().parent
    recorded: set[str] = set()
    for source in (app / "services.py", app / "access.py"):
        recorded |= set(re.findall(r'record\(\s*\w+,\s*"(consultations\.[a-z_.]+)"', source.read_text()))
    assert len(recorded) >= 10
    assert sorted(recorded - set(ACTION_LABELS)) == []
