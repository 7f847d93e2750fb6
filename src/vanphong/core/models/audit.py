"""The append-only audit log, chained by hashes so that any edit, deletion or reordering shows."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

# What people read for the action codes services record; an unknown code is shown as it is.
ACTION_LABELS = {
    "organization.create": _("Organisation created"),
    "organization.update": _("Organisation changed"),
    "organization.rename": _("Organisation renamed"),
    "organization.merge": _("Organisations merged"),
    "organization.split": _("Organisation split"),
    "organization.dissolve": _("Organisation dissolved"),
    "person.create": _("Person added"),
    "person.update": _("Person's record changed"),
    "person.move": _("Person moved to another organisation"),
    "person.read_confidential": _("Confidential record read"),
    "position.assign": _("Position recorded"),
    "position.end": _("Position ended"),
    "role.grant": _("Role granted"),
    "role.revoke": _("Role revoked"),
    "delegation.create": _("Role delegated"),
    "delegation.revoke": _("Delegation revoked"),
    "account.create": _("Account created"),
    "account.set_password": _("Password set"),
    "account.enable": _("Account enabled"),
    "account.disable": _("Account disabled"),
    "account.unlock": _("Account unlocked"),
    "account.set_language": _("Language changed"),
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Wrong password"),
    "auth.locked": _("Account locked"),
    "auth.login_refused_locked": _("Sign-in refused: account locked"),
    "token.create": _("API token created"),
    "token.revoke": _("API token revoked"),
}


class AuditEntry(models.Model):
    """One recorded act: who, on whose behalf, what, which object, before/after, when, from where.

    ``seq`` numbers entries without gaps; ``hash`` is SHA-256 over this entry's fields and the
    previous entry's hash (see ``core.audit``). Rows are only ever inserted.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        "core.Account",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("who"), max_length=150)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16)
    ip = models.CharField(_("address"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def diff_rows(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field the entry mentions, for display."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        return [(self._field_label(key), before.get(key), after.get(key)) for key in sorted(set(before) | set(after))]

    def _field_label(self, name: str) -> str:
        """The field's translated name where the object's model knows it, else the stored key."""
        try:
            model = apps.get_model(self.object_type)
            return str(model._meta.get_field(name).verbose_name)
        except (LookupError, ValueError, FieldDoesNotExist):
            return name


class AuditHead(models.Model):
    """A single row holding the last sequence number and hash; locking it serialises appends."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
