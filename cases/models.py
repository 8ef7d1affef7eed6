"""Cases, parties, recorded events, triage, assignment, approvals, the 审限 clock's
suspensions and extensions, hearings and service of process.

Every write goes through ``cases.services``; the state machine below only changes the
case row's own fields."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from nodes.vocab import Procedure

from .lifecycle import (
    PROCEDURE_FAMILY,
    ClosureType,
    Complexity,
    Family,
    Stage,
    SupervisionCategory,
)

TRIAL_FAMILIES = (Family.FIRST_INSTANCE, Family.CRIMINAL, Family.SECOND_INSTANCE)


class CaseNumberSequence(models.Model):
    """The last sequence number used per court, year and 案号 type (row-locked on use)."""

    court = models.ForeignKey("teams.Court", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    type_code = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "type_code"], name="case_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.year} {self.type_code}: {self.last}"


# --- pure conditions of the state machine -----------------------------------------------


def is_trial_family(case: Case) -> bool:
    return case.family in TRIAL_FAMILIES


def is_review_family(case: Case) -> bool:
    return case.family in (Family.REVIEW, Family.PRESERVATION)


def is_enforcement(case: Case) -> bool:
    return case.family == Family.ENFORCEMENT


def is_mediation(case: Case) -> bool:
    return case.family == Family.MEDIATION


def is_criminal(case: Case) -> bool:
    return case.family == Family.CRIMINAL


def is_preservation(case: Case) -> bool:
    return case.family == Family.PRESERVATION


def has_stage_to_resume(case: Case) -> bool:
    return bool(case.stage_before_suspension)


class Case(ConcurrentTransitionMixin, models.Model):
    """A case of a court.

    Stages by family (who triggers each transition; gates are catalog nodes, 设卡):
      trial families (civil/administrative first instance, criminal, second instance):
        received --docket (registrar)--> filed --assign (registrar/division head)--> pretrial
        --open_hearing (judge; gate: summons, indictment copy)--> trial --pronounce (judge)--> judgment
        pretrial|trial|judgment --close (judge; gate: judgment served)--> closed
        closed --make_effective (judge)--> effective --archive (clerk; gate: published online)--> archived
        closed --transfer_appeal (judge; gate: appeal copy, appeal fee)--> appealed --archive--> archived
        criminal: effective --hand_over (judge)--> handed_over --archive--> archived
      review and preservation: filed --assign--> review --decide (judge)--> closed (review)
        or review --rule--> ruled --close--> closed (preservation); closed --archive--> archived
      enforcement: filed --assign--> investigating --start_disposal--> disposing;
        investigating|disposing --close (执行完毕) | terminate_round (终本, gated)--> closed --archive--> archived
      mediation: referred --accept_referral (mediator)--> mediating --close (settled or failed)--> closed
      any active stage --suspend (approval)--> suspended --resume--> the stage it left
    A locked case (锁定) refuses every transition; the services check that first.
    """

    # A lock rewrites the row with a change to an indexed column, so every index costs on
    # each lock: foreign keys that lead a composite index below get no index of their own.
    court = models.ForeignKey(
        "teams.Court",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_court_stage, case_court_locked, case_number_parts lead with court
    )
    number = models.CharField(
        _("case number"),
        max_length=40,
        unique=True,
        help_text=_(
            "案号 in the standard form （年份）法院代字类型代字序号号, e.g. （2026）京0102民初1234号 "
            "(最高人民法院关于人民法院案件案号的若干规定, 2015)."
        ),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    type_code = models.CharField(
        _("type code"), max_length=8, help_text=_("案件类型代字, e.g. 民初, 执.")
    )
    sequence = models.PositiveIntegerField(
        _("sequence"), null=True, help_text=_("Empty only inside the registering transaction.")
    )
    procedure = models.CharField(_("procedure"), max_length=32, choices=Procedure.choices)
    family = models.CharField(
        _("procedure family"), max_length=20, choices=Family.choices, editable=False
    )
    cause = models.CharField(
        _("cause of action"),
        max_length=100,
        help_text=_("案由, as in 民事案件案由规定 or the charge in criminal cases."),
    )
    claim_amount = models.DecimalField(
        _("amount in dispute"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Yuan. Decides small-claims eligibility (民诉法 art 165)."),
    )
    received_at = models.DateTimeField(
        _("received at"),
        help_text=_(
            "When the complaint or application reached the court; the "
            "filing period runs from here (登记立案规定 art 2)."
        ),
    )
    filed_at = models.DateTimeField(
        _("filed at"),
        null=True,
        blank=True,
        help_text=_("立案: the 审限 runs from the next day (审限规定 art 8)."),
    )
    complexity = models.CharField(
        _("complexity"), max_length=8, choices=Complexity.choices, blank=True
    )
    division = models.ForeignKey(
        "teams.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_division_stage
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_team_stage
    )
    judge = models.ForeignKey(
        "teams.Person",
        verbose_name=_("judge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_as_judge",
    )
    stage = FSMField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.FILED, protected=True
    )
    stage_before_suspension = models.CharField(max_length=16, blank=True, editable=False)
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_(
            "锁定: an important node is overdue; every change is refused until a division head or "
            "president approves an unlock (盐城 platform)."
        ),
    )
    lock_count = models.PositiveSmallIntegerField(_("times locked"), default=0)
    next_due_at = models.DateTimeField(
        _("next deadline"),
        null=True,
        blank=True,
        help_text=_(
            "The earliest deadline among the case's live nodes (an unlock's grace included): "
            "the order of the queues. Kept by the services that open, complete, move or waive "
            "nodes; the sweep when a party's period lapses."
        ),
    )
    supervision_category = models.PositiveSmallIntegerField(
        _("四类案件 category"),
        choices=SupervisionCategory.choices,
        default=SupervisionCategory.NONE,
        help_text=_(
            "法发〔2021〕30号 art 2: tagged at filing or when found later; supervised throughout."
        ),
    )
    president_supervised = models.BooleanField(_("supervised by a president"), default=False)
    in_custody = models.BooleanField(
        _("defendant in custody"),
        default=False,
        help_text=_("Custody periods do not move for holidays (刑诉法 art 105)."),
    )
    foreign_party = models.BooleanField(
        _("a party has no domicile in China"),
        default=False,
        help_text=_("Longer defence and appeal periods (民诉法 arts 285–286)."),
    )
    facts = models.JSONField(
        _("facts"),
        default=dict,
        blank=True,
        help_text=_(
            "Facts the catalog's node conditions read, e.g. an appeal against a ruling (30-day limit, "
            "民诉法 art 183) or a possible death sentence."
        ),
    )
    catalog_version = models.ForeignKey(
        "nodes.CatalogVersion",
        verbose_name=_("catalog version"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # catalog versions are never deleted; nothing lists cases by version
        help_text=_("The node catalog the case was opened under; it keeps it."),
    )
    clock_started_at = models.DateTimeField(
        _("审限 clock start"),
        null=True,
        blank=True,
        help_text=_(
            "Filing, or for criminal cases the conversion decision (刑诉法解释 arts 368, 376)."
        ),
    )
    trial_limit_due_at = models.DateTimeField(
        _("审限 due"),
        null=True,
        blank=True,
        help_text=_(
            "The trial time limit after approved suspensions and extensions (24:00 of the last day)."
        ),
    )
    clock_paused = models.BooleanField(
        _("审限 paused"),
        default=False,
        help_text=_("An approved suspension is running (公告, 鉴定, 中止 …)."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_type = models.CharField(
        _("closure"), max_length=24, choices=ClosureType.choices, blank=True
    )
    origin = models.ForeignKey(
        "self",
        verbose_name=_("originating case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        help_text=_(
            "The first-instance case of an appeal, or the mediation a filed case came from."
        ),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "type_code", "sequence"], name="case_number_parts"
            ),
        ]
        indexes = [
            models.Index(fields=["court", "stage"], name="case_court_stage"),
            models.Index(fields=["team", "stage"], name="case_team_stage"),
            models.Index(fields=["division", "stage"], name="case_division_stage"),
            # The queues: a team's, a division's and a court's cases by urgency.
            models.Index(fields=["team", "next_due_at"], name="case_team_next_due"),
            models.Index(fields=["division", "next_due_at"], name="case_division_next_due"),
            models.Index(fields=["court", "next_due_at"], name="case_court_next_due"),
            # No index mentions ``locked`` or ``lock_count``: the sweep's lock then rewrites the
            # row in place (a PostgreSQL HOT update, with the table's fillfactor of 90 leaving
            # room on the page) instead of adding an entry to every index. Locked cases are
            # listed per division, through case_division_stage.
        ]
        permissions = [
            ("register_case", _("Can register cases")),
            ("triage_case", _("Can confirm or override triage")),
            ("supervise_case", _("Can record supervision of cases")),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        self.family = PROCEDURE_FAMILY[self.procedure]
        super().save(*args, **kwargs)

    # --- transitions: each changes only this row ---------------------------------

    @transition(field=stage, source=Stage.RECEIVED, target=Stage.FILED)
    def docket(self, *, at) -> None:
        self.filed_at = at

    @transition(
        field=stage,
        source=[Stage.FILED, Stage.REFERRED],
        target=RETURN_VALUE(Stage.PRETRIAL, Stage.REVIEW, Stage.INVESTIGATING, Stage.REFERRED),
    )
    def assign(self, *, team, judge) -> str:
        self.team = team
        self.judge = judge
        if self.family == Family.MEDIATION:
            return Stage.REFERRED
        if self.family == Family.ENFORCEMENT:
            return Stage.INVESTIGATING
        if self.family in (Family.REVIEW, Family.PRESERVATION):
            return Stage.REVIEW
        return Stage.PRETRIAL

    @transition(
        field=stage, source=Stage.PRETRIAL, target=Stage.TRIAL, conditions=[is_trial_family]
    )
    def open_hearing(self) -> None:
        """The first hearing was held."""

    @transition(
        field=stage, source=Stage.TRIAL, target=Stage.JUDGMENT, conditions=[is_trial_family]
    )
    def pronounce(self) -> None:
        """Judgment pronounced (宣判)."""

    @transition(
        field=stage, source=Stage.REVIEW, target=Stage.CLOSED, conditions=[is_review_family]
    )
    def decide(self, *, at, closure_type: str) -> None:
        self.closed_at = at
        self.closure_type = closure_type

    @transition(field=stage, source=Stage.REVIEW, target=Stage.RULED, conditions=[is_preservation])
    def rule(self) -> None:
        """The preservation ruling was made."""

    @transition(
        field=stage, source=Stage.REFERRED, target=Stage.MEDIATING, conditions=[is_mediation]
    )
    def accept_referral(self) -> None:
        """The mediator accepted the referral."""

    @transition(
        field=stage, source=Stage.INVESTIGATING, target=Stage.DISPOSING, conditions=[is_enforcement]
    )
    def start_disposal(self) -> None:
        """Seized assets go to valuation and sale."""

    @transition(
        field=stage,
        source=[
            Stage.PRETRIAL,
            Stage.TRIAL,
            Stage.JUDGMENT,
            Stage.INVESTIGATING,
            Stage.DISPOSING,
            Stage.MEDIATING,
            Stage.RULED,
        ],
        target=Stage.CLOSED,
    )
    def close(self, *, at, closure_type: str) -> None:
        self.closed_at = at
        self.closure_type = closure_type

    @transition(
        field=stage,
        source=[Stage.INVESTIGATING, Stage.DISPOSING],
        target=Stage.CLOSED,
        conditions=[is_enforcement],
    )
    def terminate_round(self, *, at) -> None:
        """终结本次执行程序 (法〔2016〕373号)."""
        self.closed_at = at
        self.closure_type = ClosureType.ROUND_TERMINATED

    @transition(
        field=stage, source=Stage.CLOSED, target=Stage.EFFECTIVE, conditions=[is_trial_family]
    )
    def make_effective(self) -> None:
        """The judgment took effect (no appeal, or a second-instance judgment)."""

    @transition(
        field=stage, source=Stage.CLOSED, target=Stage.APPEALED, conditions=[is_trial_family]
    )
    def transfer_appeal(self) -> None:
        """The appeal and the file went up to the second-instance court."""

    @transition(
        field=stage, source=Stage.EFFECTIVE, target=Stage.HANDED_OVER, conditions=[is_criminal]
    )
    def hand_over(self) -> None:
        """The sentence was handed over for execution (刑诉法 art 264)."""

    @transition(
        field=stage,
        source=[Stage.CLOSED, Stage.EFFECTIVE, Stage.APPEALED, Stage.HANDED_OVER],
        target=Stage.ARCHIVED,
    )
    def archive(self) -> None:
        """The file was archived (归档)."""

    @transition(
        field=stage,
        source=[
            Stage.PRETRIAL,
            Stage.TRIAL,
            Stage.JUDGMENT,
            Stage.REVIEW,
            Stage.INVESTIGATING,
            Stage.DISPOSING,
            Stage.MEDIATING,
            Stage.REFERRED,
        ],
        target=Stage.SUSPENDED,
    )
    def suspend(self) -> None:
        self.stage_before_suspension = self.stage

    @transition(
        field=stage,
        source=Stage.SUSPENDED,
        target=RETURN_VALUE(*Stage.values),
        conditions=[has_stage_to_resume],
    )
    def resume(self) -> str:
        previous, self.stage_before_suspension = self.stage_before_suspension, ""
        return previous

    @transition(field=stage, source=[Stage.FILED, Stage.PRETRIAL, Stage.TRIAL], target=None)
    def convert(self, *, procedure: str) -> None:
        """Procedure conversion (简转普, criminal track changes); the stage stays."""
        self.procedure = procedure
        self.family = PROCEDURE_FAMILY[procedure]


class Party(models.Model):
    class Role(models.TextChoices):
        PLAINTIFF = "plaintiff", _("Plaintiff")
        DEFENDANT = "defendant", _("Defendant")
        THIRD_PARTY = "third_party", _("Third party")
        APPELLANT = "appellant", _("Appellant")
        APPELLEE = "appellee", _("Appellee")
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")
        CREDITOR = "creditor", _("Enforcement creditor")
        DEBTOR = "debtor", _("Enforcement debtor")
        ACCUSED = "accused", _("Defendant (criminal)")
        PROSECUTOR = "prosecutor", _("Procuratorate")
        PRIVATE_PROSECUTOR = "private_prosecutor", _("Private prosecutor")
        VICTIM = "victim", _("Victim")
        AGENCY = "agency", _("Administrative agency")

    class Kind(models.TextChoices):
        PERSON = "person", _("Natural person")
        ORGANISATION = "organisation", _("Organisation")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="parties"
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    id_number = models.CharField(
        _("identity number"),
        max_length=32,
        blank=True,
        help_text=_(
            "Resident ID or unified social credit code. Stored whole; lists and exports show it masked."
        ),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["name"], name="party_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


def mask_id(value: str) -> str:
    """Show the first 3 and last 2 characters of an identity number, e.g. 110***********12."""
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


class CaseEvent(models.Model):
    """A recorded event of a case (service done, hearing held, judgment served, …). Events
    open and close node instances; they are never edited (a correction is a new event)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    code = models.CharField(_("event"), max_length=48)
    at = models.DateTimeField(
        _("happened at"), help_text=_("When it happened (may be earlier than recorded).")
    )
    scheduled_for = models.DateTimeField(
        _("scheduled for"),
        null=True,
        blank=True,
        help_text=_("The date the event sets: a hearing, an auction, an expiry."),
    )
    payload = models.JSONField(_("details"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    idempotency_key = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("The form's one-time key: a double submit records once."),
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "code"], name="event_case_code")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code} {self.at:%Y-%m-%d}"


class TriageRule(models.Model):
    """A court's 繁简分流 rule: cases matching every condition are proposed as its result.
    Rules are tried in priority order; the first match wins; no match proposes 繁."""

    court = models.ForeignKey(
        "teams.Court",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="triage_rules",
    )
    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower runs first.")
    )
    procedures = models.JSONField(
        _("procedures"), default=list, blank=True, help_text=_("Empty: any procedure.")
    )
    cause_keywords = models.JSONField(
        _("cause keywords"),
        default=list,
        blank=True,
        help_text=_("Matches when the cause contains any of them. Empty: any."),
    )
    max_amount = models.DecimalField(
        _("at most this amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_parties = models.PositiveSmallIntegerField(
        _("at most this many parties"), null=True, blank=True
    )
    result = models.CharField(_("proposal"), max_length=8, choices=Complexity.choices[1:])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("triage rule")
        verbose_name_plural = _("triage rules")
        ordering = ["court", "priority", "id"]

    def __str__(self) -> str:
        return self.name


class Triage(models.Model):
    """The triage of one case: the rule's proposal and the division head's decision."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="triage"
    )
    proposed = models.CharField(_("proposed"), max_length=8, choices=Complexity.choices[1:])
    rule = models.ForeignKey(
        TriageRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided = models.CharField(_("decided"), max_length=8, choices=Complexity.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)

    class Meta:
        verbose_name = _("triage")
        verbose_name_plural = _("triage")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.decided or self.proposed}"


class Assignment(models.Model):
    """How a case got its team: the reproducible random draw (静海) or an approved change."""

    class Method(models.TextChoices):
        DRAW = "draw", _("Random draw weighted by remaining capacity")
        REASSIGNMENT = "reassignment", _("Approved reassignment")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignments"
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    seed = models.BigIntegerField(
        _("seed"),
        null=True,
        blank=True,
        help_text=_("Seed of the draw; with the candidates it replays the result."),
    )
    candidates = models.JSONField(
        _("candidates"),
        default=list,
        help_text=_("Teams in the draw with their weights, in draw order."),
    )
    excluded = models.JSONField(
        _("excluded"),
        default=list,
        help_text=_("Teams left out and why (recusal, absence, inactive judge)."),
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    judge = models.ForeignKey(
        "teams.Person", verbose_name=_("judge"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.team_id}"


class Recusal(models.Model):
    """A judge who may not handle a case (回避, 民诉法 arts 47–50)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="recusals"
    )
    person = models.ForeignKey(
        "teams.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="recusals"
    )
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="recusal_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.case_id}"


class Approval(ConcurrentTransitionMixin, models.Model):
    """A request and its decision: extension, suspension, conversion, reassignment, triage
    override (and unlock, with the deadline engine).

    States: pending --approve (the approver the rules require)--> approved
            pending --reject (same approver)--> rejected
            pending --withdraw (the requester)--> withdrawn
    Both the request and the decision are audited."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("Extension of the time limit")
        SUSPENSION = "suspension", _("Suspension of the time limit")
        CONVERSION = "conversion", _("Procedure conversion")
        REASSIGNMENT = "reassignment", _("Reassignment")
        TRIAGE_OVERRIDE = "triage_override", _("Triage override")
        UNLOCK = "unlock", _("Unlock")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="approvals"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, protected=True
    )
    payload = models.JSONField(
        _("request"),
        default=dict,
        blank=True,
        help_text=_(
            "What is asked: months of extension, suspension kind, new procedure, new team …"
        ),
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    approver_role = models.CharField(
        _("approver"), max_length=24, help_text=_("The role the rules require to decide.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    external_reference = models.CharField(
        _("higher court's decision"),
        max_length=100,
        blank=True,
        help_text=_(
            "Reference of an approval that the law reserves to a higher court (recorded, not made here)."
        ),
    )

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="approval_kind_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="pending"),
                name="approval_one_pending_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id} ({self.get_status_display()})"

    @property
    def approver_label(self) -> str:
        """The deciding role in the reader's language (the field stores a ``Role`` value)."""
        from teams.roles import Role

        try:
            return str(Role(self.approver_role).label)
        except ValueError:
            return self.approver_role

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED)
    def approve(self, *, by, at, reason: str) -> None:
        self.decided_by, self.decided_at, self.decision_reason = by, at, reason

    @transition(field=status, source=Status.PENDING, target=Status.REJECTED)
    def reject(self, *, by, at, reason: str) -> None:
        self.decided_by, self.decided_at, self.decision_reason = by, at, reason

    @transition(field=status, source=Status.PENDING, target=Status.WITHDRAWN)
    def withdraw(self, *, at) -> None:
        self.decided_at = at


class Suspension(models.Model):
    """An approved period that does not count towards the 审限 (扣除/中止)."""

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("Service by publication (公告)")
        APPRAISAL = "appraisal", _("Appraisal or audit (鉴定/审计/评估)")
        JURISDICTION = "jurisdiction", _("Jurisdiction objection or dispute (管辖异议)")
        SETTLEMENT = "settlement", _("Settlement talks (和解)")
        STAY = "stay", _("Stay of proceedings (中止)")
        MEDIATION = "mediation", _("Extended mediation after filing (委托调解延长)")
        SUPPLEMENTARY = (
            "supplementary",
            _("Supplementary investigation or file reading (补充侦查/阅卷)"),
        )

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="suspensions"
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        help_text=_("Excludable periods: 民诉法解释 art 243; 审限规定 art 9; 行诉法解释 art 50."),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_(
            "Empty while it runs. An open suspension with no end is "
            "reported to the division head (隐性超审限)."
        ),
    )
    planned_end_at = models.DateTimeField(_("planned end"), null=True, blank=True)
    approval = models.ForeignKey(
        Approval, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["case", "started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="suspension_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class Extension(models.Model):
    """An approved lengthening of the 审限."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="extensions"
    )
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"+{self.months}m{self.days}d {self.case_id}"


class Hearing(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        ADJOURNED = "adjourned", _("Adjourned")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="hearings"
    )
    booking = models.OneToOneField(
        "teams.Booking", verbose_name=_("booking"), on_delete=models.PROTECT, related_name="hearing"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    online = models.BooleanField(_("online"), default=False)
    stream = models.BooleanField(
        _("to be streamed"),
        default=False,
        help_text=_("Approved for live streaming (一案一审核); the stream is a node."),
    )
    public = models.BooleanField(_("public"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ServiceRequest(models.Model):
    """A document to serve, queued for the service centre (集约送达, 西城)."""

    class Document(models.TextChoices):
        COMPLAINT_COPY = "complaint_copy", _("Complaint copy and notices")
        DEFENCE_COPY = "defence_copy", _("Defence copy")
        SUMMONS = "summons", _("Summons")
        INDICTMENT_COPY = "indictment_copy", _("Indictment copy")
        JUDGMENT = "judgment", _("Judgment or ruling")
        MEDIATION_DOCUMENT = "mediation_document", _("Mediation document")
        APPEAL_COPY = "appeal_copy", _("Appeal copy")
        FEE_NOTICE = "fee_notice", _("Fee notice")
        APPEAL_FEE_NOTICE = "appeal_fee_notice", _("Appeal fee notice")
        ACCEPTANCE_NOTICE = "acceptance_notice", _("Acceptance and response notices")
        ENFORCEMENT_NOTICE = "enforcement_notice", _("Enforcement notice and asset-report order")
        SALE_RULING = "sale_ruling", _("Sale ruling")
        DISTRIBUTION_PLAN = "distribution_plan", _("Distribution plan")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        IN_PROGRESS = "in_progress", _("Being served")
        SERVED = "served", _("Served")
        FAILED = "failed", _("Could not be served")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="service_requests"
    )
    court = models.ForeignKey("teams.Court", on_delete=models.PROTECT, related_name="+")
    document = models.CharField(_("document"), max_length=24, choices=Document.choices)
    party = models.ForeignKey(
        Party, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    served_at = models.DateTimeField(
        _("served at"),
        null=True,
        blank=True,
        help_text=_("The date the rules give for the method (审限规定 art 10)."),
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["court", "status"], name="service_court_status")]

    def __str__(self) -> str:
        return f"{self.get_document_display()} {self.case_id}"


class ServiceAttempt(models.Model):
    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic (电子送达)")
        POST = "post", _("By post (邮寄送达)")
        IN_PERSON = "in_person", _("In person (直接送达)")
        LEFT = "left", _("Left at the address (留置送达)")
        ENTRUSTED = "entrusted", _("Through another court (委托送达)")
        PUBLICATION = "publication", _("By publication (公告送达)")

    class Result(models.TextChoices):
        SERVED = "served", _("Served")
        REFUSED = "refused", _("Refused")
        NOT_FOUND = "not_found", _("Not found at the address")
        RETURNED = "returned", _("Returned")
        STARTED = "started", _("Publication started")

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="attempts"
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    at = models.DateTimeField(_("at"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service attempt")
        verbose_name_plural = _("service attempts")
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.get_result_display()}"


class SupervisionAction(models.Model):
    """A president's or division head's supervision of a case (四类案件 监督管理): urging it
    on (督办), a talk with the judge (约谈), or a note. Recorded in the case file (全程留痕),
    never edited or deleted."""

    class Kind(models.TextChoices):
        URGE = "urge", _("Urge on (督办)")
        TALK = "talk", _("Talk with the judge (约谈)")
        NOTE = "note", _("Note (监督意见)")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="supervision_actions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.TextField(_("content"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("supervision action")
        verbose_name_plural = _("supervision actions")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id}"


class InterferenceRecord(models.Model):
    """A record under the 三个规定 (中办发〔2015〕23号, 政法委 and 两高三部 rules of 2015): any
    intervention in a case by a leading official, an inquiry by someone inside the judicial
    system, or improper contact with parties, lawyers or intermediaries is to be recorded
    in full and reported. Visible to the court's presidents and trial managers and to the
    person who recorded it."""

    class Kind(models.TextChoices):
        LEADER = "leader", _("Intervention by a leading official (领导干部干预司法活动)")
        INTERNAL = "internal", _("Inquiry by judicial insiders (司法机关内部人员过问案件)")
        CONTACT = (
            "contact",
            _("Improper contact with parties, lawyers or intermediaries (不当接触交往)"),
        )

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interference_records",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    intervener = models.CharField(_("who intervened"), max_length=100)
    intervener_position = models.CharField(_("their position"), max_length=100, blank=True)
    description = models.TextField(_("what happened"), max_length=4000)
    occurred_at = models.DateTimeField(_("when it happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("interference record (三个规定)")
        verbose_name_plural = _("interference records (三个规定)")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["court", "recorded_at"], name="interference_court_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.intervener}"


# --- court-metrics rollups (maintained by cases.rollups; read by assessment.metrics) -------

# The unique keys of the rollup tables: the constraints below, and the ON CONFLICT targets of
# cases.rollups' upserts, which must name exactly these columns.
METRICS_FLOW_KEY = (
    "court_id",
    "level",
    "unit_id",
    "division_id",
    "filed",
    "closed",
    "limit_state",
    "suspended",
    "net_days",
)
METRICS_SEGMENT_KEY = (
    "court_id",
    "level",
    "unit_id",
    "division_id",
    "seg_from",
    "seg_to",
    "frozen",
    "value",
)
METRICS_HEARINGS_KEY = ("court_id", "level", "unit_id", "division_id", "day")


class MetricsLevel(models.IntegerChoices):
    COURT = 0, _("court")
    DIVISION = 1, _("division")
    TEAM = 2, _("team")
    JUDGE = 3, _("judge")


class MetricsFlow(models.Model):
    """How many filed cases of one unit share a filing day, a closing day (9999-12-31 while
    open), a 审限 outcome, whether a suspension touched them and their net days to
    disposition. Every court-metrics count is a sum of ``n`` over day ranges (see
    docs/statistics.md, "Court-metrics rollups"). Written by ``cases.rollups`` only."""

    court_id = models.IntegerField()
    level = models.PositiveSmallIntegerField(choices=MetricsLevel.choices)
    division_id = models.IntegerField(help_text=_("The case's division, 0 for the court's rows."))
    unit_id = models.IntegerField(help_text=_("The division, team or judge; 0 for the court."))
    filed = models.DateField(help_text=_("Local day the case was filed (立案)."))
    closed = models.DateField(help_text=_("Local day the case closed (结案); 9999-12-31 if open."))
    limit_state = models.PositiveSmallIntegerField(
        help_text=_("Closed cases: 1 within the 审限, 2 after it, 0 without one; 0 while open.")
    )
    suspended = models.BooleanField(
        help_text=_(
            "A suspension (扣除/中止) covered at least one day of the case's life: its "
            "pending ages come from MetricsAgeSegment."
        )
    )
    net_days = models.IntegerField(
        help_text=_("Closed cases: whole days from filing to closing not under suspension.")
    )
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=list(METRICS_FLOW_KEY),
                name="metrics_flow_key",
            )
        ]
        # The cases pending at a period's end (closed >= E) without reading the others: for
        # a recent end, only the open cases' rows.
        indexes = [models.Index(fields=["court_id", "level", "closed"], name="metrics_flow_closed")]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.level}/{self.unit_id} {self.filed}–{self.closed}: {self.n}"


class MetricsAgeSegment(models.Model):
    """The net age (days not under suspension) of suspended cases, piecewise: for a period
    ending on a day E with ``seg_from < E <= seg_to`` the age is ``E - value`` (running: value
    is the day's ordinal the age counts from) or ``value`` (frozen: the clock stood still)."""

    court_id = models.IntegerField()
    level = models.PositiveSmallIntegerField(choices=MetricsLevel.choices)
    division_id = models.IntegerField()
    unit_id = models.IntegerField()
    seg_from = models.DateField()
    seg_to = models.DateField()
    frozen = models.BooleanField()
    value = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=list(METRICS_SEGMENT_KEY),
                name="metrics_segment_key",
            )
        ]
        indexes = [models.Index(fields=["court_id", "level", "seg_to"], name="metrics_segment_to")]

    def __str__(self) -> str:
        return (
            f"{self.court_id}/{self.level}/{self.unit_id} {self.seg_from}–{self.seg_to}: {self.n}"
        )


class MetricsHearings(models.Model):
    """Hearings held per unit and local day, and how many of them online."""

    court_id = models.IntegerField()
    level = models.PositiveSmallIntegerField(choices=MetricsLevel.choices)
    division_id = models.IntegerField()
    unit_id = models.IntegerField()
    day = models.DateField()
    held = models.IntegerField(default=0)
    online = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=list(METRICS_HEARINGS_KEY),
                name="metrics_hearings_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.level}/{self.unit_id} {self.day}: {self.held}"


class MetricsCaseFacts(models.Model):
    """What each case last contributed to the rollups (its unit, days, 审限 outcome, suspended
    and hearing days), so a refresh subtracts exactly that before adding the new facts."""

    case_id = models.BigIntegerField(primary_key=True)
    court_id = models.IntegerField()
    facts = models.TextField(help_text=_("JSON, see cases.rollups.CaseFacts."))

    def __str__(self) -> str:
        return f"case {self.case_id}"
