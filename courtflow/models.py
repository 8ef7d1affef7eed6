"""The audit trail (全程留痕): one append-only table shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One accepted change: who, when, what, on which object, before and after, and why.

    Rows are written by services in the same transaction as the change they record. The
    database refuses UPDATE, DELETE and TRUNCATE on this table (triggers installed by
    migration 0002 on SQLite and PostgreSQL), so history cannot be rewritten by the app.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # users are deactivated, never deleted; nothing looks events up by actor alone
        help_text=_("The signed-in user who made the change; empty for the system (the sweep)."),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    source = models.CharField(
        _("source"),
        max_length=16,
        help_text=_("The door the change came through: web, api, admin, task, command, system."),
    )
    court_id = models.BigIntegerField(_("court"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True)
    node_id = models.BigIntegerField(_("node instance"), null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            # The table grows by thousands of rows per sweep: few indexes, each serving a reader:
            # a case's timeline, a court's extract by date, an object's history.
            models.Index(fields=["case_id", "at"], name="audit_case_at"),
            models.Index(fields=["court_id", "at"], name="audit_court_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A key for a system-to-system client (another court system). Requests made with it act
    as ``user``, with exactly that user's role and organisation scope.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, when it is made.
    ``prefix`` (the key's first characters) identifies it in lists and logs. A token is made
    and revoked by courtflow.tokens services, never edited.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("The account the client acts as: its role and scope apply."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses it, e.g. the provincial portal.")
    )
    prefix = models.CharField(_("key prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(
        _("last used at"),
        null=True,
        blank=True,
        help_text=_("Updated at most once a minute."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
