"""Notices: what the application tells a person (in the app, and batched by e-mail), and the state of
the periodic jobs that produce reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One notice to one account, written in that person's language when it was created.

    ``key`` (when not empty) names the fact the notice is about ("task 42 overdue on 2026-12-07"):
    the same key never reaches the same person twice, which makes reminders safe to run again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.TextField(_("subject"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notice_key_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notice_inbox"),
            models.Index(fields=["emailed_at", "recipient"], name="notice_mail_queue"),
        ]

    def __str__(self) -> str:
        return self.subject


class JobState(models.Model):
    """When a periodic job (``registry.Job``) last ran, and how it ended."""

    key = models.CharField(_("job"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    result = models.TextField(_("last result"), blank=True)
    failed = models.BooleanField(_("last run failed"), default=False)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
