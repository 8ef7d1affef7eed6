"""The court calendar and the versioned node catalog (node instances arrive with cases)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .vocab import BasisStatus, Counting, Level, Phase, Unit


class CalendarDay(models.Model):
    """One day of the court calendar: working day or not, and why.

    Seeded from the chinesecalendar package for the years it covers (source
    ``chinesecalendar``), imported from the State Council's yearly notice
    (``state_council``), or corrected by a trial manager (``manual``). Deadline arithmetic
    reads only this table, never a library."""

    class Source(models.TextChoices):
        PACKAGE = "chinesecalendar", _("chinesecalendar package")
        STATE_COUNCIL = "state_council", _("State Council notice (imported)")
        MANUAL = "manual", _("Entered by a trial manager")

    date = models.DateField(_("date"), primary_key=True)
    is_workday = models.BooleanField(
        _("working day"),
        help_text=_(
            "Courts work on this day. 调休 weekend working days are working days; statutory "
            "holidays and rest days are not (国务院办公厅 yearly holiday notice)."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=40,
        blank=True,
        help_text=_("Holiday or 调休 name, e.g. 春节 or 国庆节调休上班."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Checked by a trial manager against the State Council notice."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("court calendar")
        ordering = ["date"]
        permissions = [("manage_calendar", _("Can correct the court calendar"))]

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("rest day")
        return f"{self.date.isoformat()} {kind} {self.name}".strip()


class CatalogVersion(models.Model):
    """One loaded version of the node catalog file. Cases keep the version they were opened
    under; exactly one version is current and new cases take it."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    digest = models.CharField(
        _("SHA-256"),
        max_length=64,
        unique=True,
        help_text=_("Fingerprint of the catalog file's bytes."),
    )
    source_name = models.CharField(_("file"), max_length=200)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    node_count = models.PositiveIntegerField(_("nodes"))
    general_count = models.PositiveIntegerField(_("general nodes"))
    important_count = models.PositiveIntegerField(_("important nodes"))
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("catalog version")
        verbose_name_plural = _("catalog versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="catalog_one_current_version",
            ),
        ]
        permissions = [
            ("manage_catalog", _("Can load the node catalog and adjust nodes for the court"))
        ]

    def __str__(self) -> str:
        return f"v{self.number} ({self.digest[:8]})"


class NodeDefinition(models.Model):
    """One process node of one catalog version (a row of nodes/catalog/nodes.csv).

    Read-only everywhere: the legal basis comes from the file. Courts adjust lead times and
    switch nodes off through NodeSetting."""

    version = models.ForeignKey(
        CatalogVersion,
        verbose_name=_("catalog version"),
        on_delete=models.PROTECT,
        related_name="nodes",
    )
    code = models.CharField(_("code"), max_length=48)
    line = models.PositiveIntegerField(_("file line"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    procedures = models.JSONField(_("procedures"), help_text=_("Procedures the node applies to."))
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=Level.choices,
        help_text=_(
            "General nodes prompt and warn and are reported when overdue; important nodes also "
            "block their gated step (设卡) and lock the case when overdue (锁定) — 盐城 platform, "
            "司法改革案例选编（十）case 157."
        ),
    )
    opens_on = models.CharField(
        _("opens on"), max_length=48, help_text=_("The event that opens the node.")
    )
    closes_on = models.JSONField(_("closes on"), help_text=_("Events that complete the node."))
    condition = models.CharField(
        _("condition"),
        max_length=32,
        blank=True,
        help_text=_("The node opens only when this fact holds (empty: always)."),
    )
    amount = models.PositiveIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    counting = models.CharField(
        _("counting rule"),
        max_length=12,
        choices=Counting.choices,
        help_text=_("How the period is counted (民诉法 art 85, 刑诉法 art 105)."),
    )
    prompt_lead_hours = models.PositiveIntegerField(_("prompt lead (hours)"))
    warning_lead_hours = models.PositiveIntegerField(_("warning lead (hours)"))
    owner_role = models.CharField(_("owner role"), max_length=24)
    gates = models.CharField(
        _("gated step"),
        max_length=24,
        blank=True,
        help_text=_("The case transition refused while this node is not done (设卡)."),
    )
    on_trial_clock = models.BooleanField(
        _("on the 审限 clock"),
        help_text=_("The due date moves with suspensions and extensions of the trial time limit."),
    )
    party_side = models.BooleanField(
        _("party-side period"),
        default=False,
        help_text=_(
            "A period for a party to act (answer, evidence, objection, appeal). When it runs out "
            "the node lapses: nobody at court is late, so nothing is reported or locked."
        ),
    )
    basis_zh = models.CharField(_("legal basis (Chinese)"), max_length=300)
    basis_en = models.CharField(_("legal basis (English)"), max_length=300)
    basis_status = models.CharField(_("basis status"), max_length=24, choices=BasisStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("node definition")
        verbose_name_plural = _("node catalog")
        ordering = ["version", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="node_unique_code_per_version"
            ),
        ]
        indexes = [
            models.Index(fields=["version", "opens_on"], name="node_version_opens"),
            models.Index(fields=["version", "phase", "level"], name="node_version_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def period_display(self) -> str:
        return f"{self.amount} {self.get_unit_display()}"


class NodeSetting(models.Model):
    """A court's adjustment of one node (by code, across catalog versions): switched off, or
    other prompt and warning lead times. The legal period itself cannot be changed here."""

    court = models.ForeignKey(
        "teams.Court",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="node_settings",
    )
    code = models.CharField(_("node code"), max_length=48)
    enabled = models.BooleanField(_("enabled"), default=True)
    prompt_lead_hours = models.PositiveIntegerField(
        _("prompt lead (hours)"), null=True, blank=True, help_text=_("Empty: the catalog's value.")
    )
    warning_lead_hours = models.PositiveIntegerField(
        _("warning lead (hours)"), null=True, blank=True, help_text=_("Empty: the catalog's value.")
    )

    class Meta:
        verbose_name = _("court node setting")
        verbose_name_plural = _("court node settings")
        ordering = ["court", "code"]
        constraints = [
            models.UniqueConstraint(fields=["court", "code"], name="node_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.court.code} {self.code}"


class NodeInstance(models.Model):
    """One catalog node on one case: when it opened, when it is due, whether it is done.

    Status: open → done (its closing event was recorded; ``completed_late`` if after the
    due time) or waived (no longer applicable: the case closed another way, the procedure
    changed). The sweep moves an open node past its due time to overdue (general) or
    locked (important), or, for a party's period, to lapsed. The prompt and warning times are kept so the sweep acts once."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        WAIVED = "waived", _("No longer applies")
        OVERDUE = "overdue", _("Overdue")
        LOCKED = "locked", _("Overdue, case locked")
        LAPSED = "lapsed", _("Period ended (party did not act)")

    # The hottest table: every sweep update rewrites each of its indexes (status and
    # next_action_at are indexed, so no update is HOT). Foreign keys get no index of their
    # own where a composite index already leads with them, or nothing looks rows up by them
    # (definitions and case events are never deleted).
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="nodes",
        db_index=False,  # node_case_status leads with case
    )
    definition = models.ForeignKey(
        NodeDefinition,
        verbose_name=_("node"),
        on_delete=models.PROTECT,
        related_name="instances",
        db_index=False,
    )
    court_id = models.BigIntegerField(_("court"), db_index=False)
    code = models.CharField(_("code"), max_length=48)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    gates = models.CharField(_("gated step"), max_length=24, blank=True)
    on_trial_clock = models.BooleanField(_("on the 审限 clock"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    anchor_at = models.DateTimeField(
        _("counted from"), help_text=_("The instant the period runs from (or back from).")
    )
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        help_text=_("24:00 of the last day; empty while the 审限 is suspended."),
    )
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Computed across a year without calendar data."),
    )
    prompt_at = models.DateTimeField(_("prompt at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    prompted_at = models.DateTimeField(_("prompted at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    next_action_at = models.DateTimeField(
        _("next sweep action"),
        null=True,
        blank=True,
        help_text=_(
            "The earliest pending prompt, warning or deadline; the sweep reads only due rows."
        ),
    )
    grace_until = models.DateTimeField(
        _("grace until"),
        null=True,
        blank=True,
        help_text=_("New due date given by an unlock; no re-lock before it."),
    )
    round = models.PositiveSmallIntegerField(
        _("round"),
        default=0,
        help_text=_(
            "How many times an unlock gave this node a new due date; the sweep acts once per round."
        ),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_late = models.BooleanField(_("completed late"), default=False)
    closed_by_event = models.ForeignKey(
        "cases.CaseEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    waived_reason = models.CharField(_("why it no longer applies"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("node instance")
        verbose_name_plural = _("node instances")
        ordering = ["case", "due_at", "id"]
        indexes = [
            models.Index(fields=["case", "status"], name="node_case_status"),
            models.Index(
                fields=["next_action_at"],
                name="node_next_action",
                condition=Q(next_action_at__isnull=False),
            ),
            models.Index(fields=["court_id", "status", "due_at"], name="node_court_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "definition"],
                condition=Q(status__in=["open", "overdue", "locked"]),
                name="node_one_live_per_definition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} @ {self.case_id}"


class SweepAction(models.Model):
    """One thing the sweep did to one node instance. The unique key (instance, kind, round)
    makes every action happen once, however many sweeps run or rerun."""

    class Kind(models.TextChoices):
        PROMPT = "prompt", _("Prompt (提示)")
        WARNING = "warning", _("Warning (预警)")
        OVERDUE = "overdue", _("Overdue, reported")
        LOCK = "lock", _("Overdue, case locked (锁定)")
        LAPSE = "lapse", _("A party's period ended")

    # Written by the thousand per sweep batch: the unique key below indexes the instance, and
    # instances are never deleted (PROTECT), so no separate index or per-row FK check.
    instance = models.ForeignKey(
        NodeInstance,
        verbose_name=_("node instance"),
        on_delete=models.PROTECT,
        related_name="sweep_actions",
        db_index=False,
        db_constraint=False,
    )
    case_id = models.BigIntegerField(_("case"))
    court_id = models.BigIntegerField(_("court"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    at = models.DateTimeField(_("at"))
    due_at = models.DateTimeField(_("due at"), null=True)

    class Meta:
        verbose_name = _("sweep action")
        verbose_name_plural = _("sweep actions")
        constraints = [
            models.UniqueConstraint(fields=["instance", "kind", "round"], name="sweep_action_once"),
        ]
        indexes = [models.Index(fields=["court_id", "kind", "at"], name="sweep_action_court_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.instance_id} r{self.round}"


class CaseLock(models.Model):
    """One lock of a case (锁定), numbered per case: the 1st, the 2nd … An unlock approval closes
    it and gives the overdue nodes a new due date within the allowed grace."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="locks",
        db_index=False,  # case_lock_sequence leads with case
    )
    court_id = models.BigIntegerField(_("court"))
    sequence = models.PositiveSmallIntegerField(
        _("lock number"), help_text=_("1 for the case's first lock, 2 for the second …")
    )
    node = models.ForeignKey(
        NodeInstance,
        verbose_name=_("overdue node"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # written by the sweep in bulk; node instances are never deleted
        db_index=False,
    )
    locked_at = models.DateTimeField(_("locked at"))
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unlocked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # users are deactivated, never deleted
    )
    unlock_reason = models.TextField(_("reason for the unlock"), blank=True)
    new_due_at = models.DateTimeField(_("new due date"), null=True, blank=True)
    approval = models.ForeignKey(
        "cases.Approval",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("case lock")
        verbose_name_plural = _("case locks")
        ordering = ["-locked_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="case_lock_sequence"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(unlocked_at__isnull=True), name="case_lock_one_open"
            ),
        ]
        indexes = [models.Index(fields=["court_id", "locked_at"], name="case_lock_court_at")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.sequence}"


class Notification(models.Model):
    """A message to one user: the in-app inbox, and email or text message when it matters."""

    class Kind(models.TextChoices):
        PROMPT = "prompt", _("Prompt")
        WARNING = "warning", _("Warning")
        OVERDUE = "overdue", _("Overdue")
        LOCK = "lock", _("Case locked")
        LAPSED = "lapsed", _("Period ended")
        UNLOCK = "unlock", _("Case unlocked")
        SUPERVISED = "supervised", _("Supervised case")
        APPROVAL = "approval", _("Approval")
        DIGEST = "digest", _("Digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notifications",
        db_index=False,  # the inbox index (recipient, read_at) serves every lookup
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Context only; written by the sweep in bulk, and cases and nodes are never deleted: no
    # index and no per-row FK check on these two.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    node = models.ForeignKey(
        NodeInstance,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    send_email = models.BooleanField(default=False)
    send_sms = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(
                fields=["created_at"],
                name="notification_pending_delivery",
                condition=Q(send_email=True, emailed_at__isnull=True)
                | Q(send_sms=True, texted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CourtRules(models.Model):
    """A court's settings for locks and unlocks (who approves, how much grace)."""

    court = models.OneToOneField(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="node_rules"
    )
    first_unlock_role = models.CharField(
        _("first unlock approved by"),
        max_length=24,
        default="division_head",
        help_text=_(
            "Who approves a case's first unlock (the 盐城 rule: the division head); later unlocks go "
            "to a president."
        ),
    )
    later_unlock_role = models.CharField(
        _("later unlocks approved by"), max_length=24, default="president"
    )
    max_grace_days = models.PositiveSmallIntegerField(
        _("longest grace (days)"),
        default=15,
        help_text=_("The new due date an unlock gives may be at most this many days ahead."),
    )
    upcoming_limit_days = models.PositiveSmallIntegerField(
        _("审限 warning window (days)"),
        default=15,
        help_text=_(
            "The daily list shows cases whose 审限 ends within this many days (the 2019 rule's "
            "15-day extension request)."
        ),
    )

    class Meta:
        verbose_name = _("court lock rules")
        verbose_name_plural = _("court lock rules")

    def __str__(self) -> str:
        return str(self.court)
