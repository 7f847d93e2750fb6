"""Written consultations (xin ý kiến bằng văn bản): a question put to a committee's members in writing.

The office drafts the consultation (the question, the documents from the registry and any files),
chooses the members, and opens it; each member answers agree / disagree / other opinion with a
comment until the deadline or until it is closed; closing counts the answers (``rules/consultation``)
and records the result on the consultation. Changed only through ``consultations.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization, Person
from vanphong.rules.consultation import Answer as RuleAnswer
from vanphong.rules.consultation import Base as RuleBase


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("consultation", "Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", pgettext_lazy("consultation", "Closed")


class Answer(models.TextChoices):
    AGREE = RuleAnswer.AGREE.value, _("Agree (đồng ý)")
    DISAGREE = RuleAnswer.DISAGREE.value, _("Disagree (không đồng ý)")
    OTHER = RuleAnswer.OTHER.value, _("Other opinion (ý kiến khác)")


class Base(models.TextChoices):
    MEMBERS = RuleBase.MEMBERS.value, _("All members consulted")
    ANSWERED = RuleBase.ANSWERED.value, _("Members who answered")


class Consultation(models.Model):
    """One question put to the members of a body, with its documents, deadline and recorded result."""

    body = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=255)
    question = models.TextField(_("matter submitted for opinion"))
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="consultations", verbose_name=_("documents")
    )
    deadline = models.DateTimeField(_("deadline for answers"))
    organiser = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("consultation", "organiser")
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    # How the result is counted: the Party's working rules count against all members, more than half.
    base = models.CharField(_("counted against"), max_length=8, choices=Base.choices, default=Base.MEMBERS)
    threshold_percent = models.PositiveSmallIntegerField(
        _("passes with more than (%)"), default=50, help_text=_("50: more than half. 66: more than two thirds.")
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    # The recorded result, written once when the consultation closes.
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members consulted"), null=True, blank=True)
    agree_count = models.PositiveIntegerField(_("agree"), null=True, blank=True)
    disagree_count = models.PositiveIntegerField(_("disagree"), null=True, blank=True)
    other_count = models.PositiveIntegerField(_("other opinion"), null=True, blank=True)
    not_answered_count = models.PositiveIntegerField(_("not answered"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("written consultation")
        verbose_name_plural = _("written consultations")
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "deadline"], name="consultation_state_deadline")]

    def __str__(self) -> str:
        return self.title


class ConsultationMember(models.Model):
    """A member consulted, and their answer (empty until they answer)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member consulted")
        verbose_name_plural = _("members consulted")
        ordering = ["consultation", "person__sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "person"], name="consultation_member_once")]
        indexes = [models.Index(fields=["person", "consultation"], name="consultation_member_person")]

    def __str__(self) -> str:
        return f"{self.person} – {self.consultation}"


class ConsultationFile(models.Model):
    """A file sent with the question (stored once by content in the documents' file store)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="files")
    stored = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("file name"), max_length=255)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation file")
        verbose_name_plural = _("consultation files")
        ordering = ["consultation", "id"]

    def __str__(self) -> str:
        return self.name
