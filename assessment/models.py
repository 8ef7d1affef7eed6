"""Assessment settings: weights that turn closed cases into workload (丰台 method)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from nodes.vocab import Procedure


class WorkloadWeight(models.Model):
    """How much one closed case counts, relative to an ordinary case (1), for a procedure
    and/or a complexity. The most specific weight applies: procedure and complexity, then
    procedure, then complexity; a case no weight matches counts 1."""

    class Complexity(models.TextChoices):
        ANY = "", _("Any")
        SIMPLE = "simple", _("Simple (简)")
        COMPLEX = "complex", _("Complex (繁)")

    court = models.ForeignKey(
        "teams.Court",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="workload_weights",
    )
    procedure = models.CharField(
        _("procedure"), max_length=32, choices=Procedure.choices, blank=True, default=""
    )
    complexity = models.CharField(
        _("complexity"), max_length=8, choices=Complexity.choices, blank=True, default=""
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        help_text=_(
            "An ordinary case counts 1. 丰台 (case 155): simple cases tried in front-end "
            "divisions count 0.25–0.3 of an ordinary case."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("workload weight")
        verbose_name_plural = _("workload weights")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "procedure", "complexity"], name="workload_weight_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=Decimal("9.99")),
                name="workload_weight_range",
            ),
        ]
        permissions = [("manage_workload_weights", _("Can change workload weights"))]

    def __str__(self) -> str:
        return f"{self.get_procedure_display() or '*'} / {self.get_complexity_display()}: {self.weight}"


DEFAULT_WEIGHTS = [
    # (procedure, complexity, weight, note)
    ("", "simple", Decimal("0.30"), "丰台: front-end simple cases count 0.25–0.3"),
]


class BoardCorrection(ConcurrentTransitionMixin, models.Model):
    """A team's request to correct what the disclosure boards (公示) show about it — its
    coefficients, its target or its closures (丰台: teams may review, comment and ask for
    corrections) — and the trial manager's answer."""

    class Board(models.TextChoices):
        COEFFICIENTS = "coefficients", _("Human-resource coefficients")
        TARGETS = "targets", _("Task targets")
        PERFORMANCE = "performance", _("Closure performance")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    board = models.CharField(_("board"), max_length=16, choices=Board.choices)
    text = models.TextField(_("what should be corrected, and why"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, protected=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure correction request")
        verbose_name_plural = _("disclosure correction requests")
        indexes = [models.Index(fields=["court", "status"], name="correction_court_status")]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_board_display()} ({self.get_status_display()})"

    @transition(field=status, source=Status.OPEN, target=Status.ACCEPTED)
    def accept(self, *, by, at, answer: str) -> None:
        self.answered_by, self.answered_at, self.answer = by, at, answer

    @transition(field=status, source=Status.OPEN, target=Status.DECLINED)
    def decline(self, *, by, at, answer: str) -> None:
        self.answered_by, self.answered_at, self.answer = by, at, answer


class WorkReport(ConcurrentTransitionMixin, models.Model):
    """A person's report of their work for a period, confirmed up the chain (丰台): an
    assistant's by the team's judge, other staff's by the division head, a division head's
    by a vice president. The figures are taken when it is submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned for changes")

    person = models.ForeignKey(
        "teams.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    summary = models.TextField(_("summary of the work"))
    figures = models.JSONField(
        _("figures"),
        default=dict,
        blank=True,
        help_text=_("Cases closed, weighted closures and the team's target, when submitted."),
    )
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    confirmer_role = models.CharField(_("confirmed by (role)"), max_length=24, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed or returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("work report")
        verbose_name_plural = _("work reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="work_report_period"
            ),
        ]
        indexes = [models.Index(fields=["court", "status"], name="work_report_court_status")]

    def __str__(self) -> str:
        return f"{self.person} {self.period_start}–{self.period_end} ({self.get_status_display()})"

    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def submit(self, *, at, figures: dict, confirmer_role: str) -> None:
        self.submitted_at, self.figures, self.confirmer_role = at, figures, confirmer_role

    @transition(field=status, source=Status.SUBMITTED, target=Status.CONFIRMED)
    def confirm(self, *, by, at, comment: str) -> None:
        self.decided_by, self.decided_at, self.comment = by, at, comment

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def send_back(self, *, by, at, comment: str) -> None:
        self.decided_by, self.decided_at, self.comment = by, at, comment


class QualityReview(models.Model):
    """A quality review (案件质量评查, 海淀: quarterly, with the year as a whole) of one of
    five kinds, with a finding per case."""

    class Kind(models.TextChoices):
        KEY = "key", _("Key cases (重点评查)")
        ROUTINE = "routine", _("Routine (常规评查)")
        SPECIAL = "special", _("Special topic (专项评查)")
        PETITION = "petition", _("Petition cases (信访评查)")
        SENSITIVE = "sensitive", _("Major and sensitive (重大敏感案件评查)")

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"


class ReviewFinding(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (优秀)")
        QUALIFIED = "qualified", _("Qualified (合格)")
        FLAWED = "flawed", _("Flawed (瑕疵)")
        WRONG = "wrong", _("Error (差错)")

    review = models.ForeignKey(
        QualityReview, verbose_name=_("review"), on_delete=models.PROTECT, related_name="findings"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    judge = models.ForeignKey(
        "teams.Person",
        verbose_name=_("judge"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    text = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")
        constraints = [
            models.UniqueConstraint(fields=["review", "case"], name="finding_one_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.case} ({self.get_grade_display()})"


class Reversal(models.Model):
    """A first-instance judgment changed (改判) or sent back (发回重审) on appeal, counted back
    to the first-instance case's team and judge."""

    class Kind(models.TextChoices):
        REVERSED = "reversed", _("Changed on appeal (改判)")
        REMANDED = "remanded", _("Sent back for retrial (发回重审)")

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("first-instance case"),
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    judge = models.ForeignKey(
        "teams.Person",
        verbose_name=_("judge"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("outcome on appeal"), max_length=10, choices=Kind.choices)
    appeal_number = models.CharField(_("second-instance case number"), max_length=40)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("reversal or remand (发改)")
        verbose_name_plural = _("reversals and remands (发改)")
        constraints = [
            models.UniqueConstraint(fields=["case", "appeal_number"], name="reversal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.appeal_number} ({self.get_kind_display()})"


class AccountabilityRecord(models.Model):
    """海淀's four instruments: supervision letters (监察建议), talks at three levels (三级约谈),
    and entries in the records of duty (中层履职档案) and of disciplinary flaws (纪律瑕疵档案)."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Supervision letter (监察建议)")
        TALK = "talk", _("Talk (约谈)")
        DUTY = "duty", _("Record of duty (履职档案)")
        FLAW = "flaw", _("Record of disciplinary flaws (纪律瑕疵档案)")

    class Level(models.TextChoices):
        NONE = "", _("—")
        COURT = "court", _("By the court's leaders (院级)")
        DIVISION = "division", _("By the division head (庭级)")
        TEAM = "team", _("Within the team (团队级)")

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    level = models.CharField(
        _("level of the talk"), max_length=8, choices=Level.choices, blank=True, default=""
    )
    person = models.ForeignKey(
        "teams.Person",
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="talk") | ~Q(level=""), name="accountability_talk_has_level"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(case__isnull=False),
                name="accountability_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person or self.case}"


class ExportJob(models.Model):
    """A large export or a monthly report, prepared by the worker: progress while it runs, a
    download when it is done. The file is read back only through the application."""

    class Kind(models.TextChoices):
        NODE_INSTANCES = "node_instances", _("Every node instance")
        MONTHLY_REPORT = "monthly_report", _("Monthly report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "teams.Division",
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    fmt = models.CharField(_("format"), max_length=8)
    params = models.JSONField(_("filters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the monthly reports made by the schedule."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows expected"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        indexes = [models.Index(fields=["court", "kind", "created_at"], name="export_court_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fmt} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class AssessmentSetting(models.Model):
    """A court's assessment settings. Ranking is off by default: current national guidance
    discourages ranking courts and judges by indicators, so the pages show bands instead."""

    court = models.OneToOneField(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    ranking_enabled = models.BooleanField(
        _("show ranks"),
        default=False,
        help_text=_(
            "Off: units are shown in bands (good, fair, needs attention). On: ranked at "
            "every level (court, division, team, person)."
        ),
    )
    over_quota_points = models.DecimalField(
        _("points per 10 percent over the quota"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        help_text=_("丰台: extra points for closing more than the quota."),
    )
    under_quota_points = models.DecimalField(
        _("points deducted per 10 percent under the quota"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        help_text=_("丰台: points deducted for closing less than the quota."),
    )
    quota_points_cap = models.DecimalField(
        _("at most, either way"), max_digits=4, decimal_places=1, default=Decimal("5.0")
    )
    speedy_rule = models.BooleanField(
        _("西城's 速裁 rule"),
        default=True,
        help_text=_(
            "A 速裁 team that meets its first-tier quota is rated excellent and its bonus is "
            "raised by a share of the court's average (西城, case 153)."
        ),
    )
    speedy_bonus_share = models.DecimalField(
        _("速裁 bonus, share of the court's average"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.40"),
    )

    class Meta:
        verbose_name = _("assessment setting")
        verbose_name_plural = _("assessment settings")

    def __str__(self) -> str:
        return str(self.court)


class Indicator(models.Model):
    """One assessment indicator of a court (丰台: four categories, ten indicators, team as the
    unit), computed per court, division, team and person (海淀's four levels)."""

    class Category(models.TextChoices):
        QUANTITY = "quantity", _("Quantity (数量)")
        QUALITY = "quality", _("Quality (质量)")
        EFFICIENCY = "efficiency", _("Efficiency (效率)")
        EFFECT = "effect", _("Effect (效果)")

    class Measure(models.TextChoices):
        CLOSED = "closed", _("Cases closed")
        QUOTA_PROGRESS = "quota_progress", _("Share of the quota met, weighted (%)")
        CLOSURE_RATE = "closure_rate", _("Closure rate 结案率 (%)")
        CLOSED_TO_NEW = "closed_to_new", _("Closed ÷ new 结收比 (%)")
        WITHIN_LIMIT = "within_limit_rate", _("Closed within the 审限 (%)")
        PENDING_12 = "pending_over_12", _("Cases pending over 12 months")
        PENDING_24 = "pending_over_24", _("Cases pending over 24 months")
        BACKLOG = "backlog_clearance", _("Backlog cleared 清积率 (%)")
        MEDIAN_DAYS = "median_days", _("Median days to disposition")
        ONLINE_ON_TIME = "judgments_online_on_time", _("Judgments published online on time (%)")
        STREAMED = "hearings_streamed", _("Hearings streamed (%)")
        REVERSAL_RATE = "reversal_rate", _("Changed or sent back on appeal 发改率 (%)")
        ONLINE_HEARINGS = "online_hearing_rate", _("Hearings held online (%)")

    court = models.ForeignKey(
        "teams.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    target = models.DecimalField(
        _("target"),
        max_digits=9,
        decimal_places=2,
        help_text=_("The value that earns the indicator's full points."),
    )
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, help_text=_("Full points of the indicator.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["court", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=Q(points__gt=0), name="indicator_points_positive"),
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_positive"),
        ]
        permissions = [("manage_indicators", _("Can change assessment indicators"))]

    def __str__(self) -> str:
        return self.name_zh
