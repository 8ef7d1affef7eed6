"""The organisation: court → division → team → person, with team types and their staffing
templates, memberships over time, human-resource coefficients, courtrooms and bookings.

Every write goes through ``teams.services`` (audited, validated); these models hold the
data and the constraints the database itself enforces.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Position, Role, StaffCategory

COURT_CODE_VALIDATOR = RegexValidator(
    r"^[\u4e00-\u9fff]{1,3}\d{0,4}$",
    _(
        "A court code is its 法院代字: one to three Chinese characters and up to four digits, "
        "such as 京0102 or 苏09."
    ),
)


class Court(models.Model):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic people's court")
        INTERMEDIATE = "intermediate", _("Intermediate people's court")
        HIGH = "high", _("High people's court")
        SUPREME = "supreme", _("Supreme People's Court")

    code = models.CharField(
        _("court code"),
        max_length=8,
        unique=True,
        validators=[COURT_CODE_VALIDATOR],
        help_text=_(
            "The court's 法院代字 as used in case numbers, e.g. 京0102 for 北京市西城区人民法院 "
            "(最高人民法院关于人民法院案件案号的若干规定, 2015)."
        ),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_(
            "The court one level up, which approves what the law reserves to it "
            "(e.g. a civil 审限 extension beyond twelve months)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Division(models.Model):
    class Kind(models.TextChoices):
        FILING = "filing", _("Filing (立案)")
        CIVIL = "civil", _("Civil (民事)")
        CRIMINAL = "criminal", _("Criminal (刑事)")
        ADMINISTRATIVE = "administrative", _("Administrative (行政)")
        ENFORCEMENT = "enforcement", _("Enforcement (执行)")
        SPEEDY = "speedy", _("Speedy trial (速裁)")
        MEDIATION = "mediation", _("Litigation-mediation centre (诉调对接)")
        TRIAL_MANAGEMENT = "trial_management", _("Trial management office (审管办)")
        CLERK_OFFICE = "clerk_office", _("Clerk office (书记员管理办公室)")
        SERVICE_CENTER = "service_center", _("Service centre (集约送达中心)")
        OTHER = "other", _("Other")

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="divisions"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("division head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_divisions",
        help_text=_("The 庭长 who supervises the division and approves its first unlocks."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["court", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="division_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member of staff, bound to one Django user. The role decides groups and permissions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="person",
    )
    name = models.CharField(_("name"), max_length=60)
    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="people"
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    staff_category = models.CharField(
        _("staff category"),
        max_length=24,
        choices=StaffCategory.choices,
        help_text=_("Decides the person's human-resource coefficient (丰台 method)."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive people keep their history but cannot join teams or receive cases."),
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        help_text=_("For text messages about locks and supervised cases."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["court", "name"]
        permissions = [
            ("manage_people", _("Can manage people and accounts of the court")),
        ]

    def __str__(self) -> str:
        return self.name


class HRCoefficient(models.Model):
    """A court's human-resource coefficient for one staff category (丰台 method)."""

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="coefficients"
    )
    category = models.CharField(_("staff category"), max_length=24, choices=StaffCategory.choices)
    value = models.DecimalField(
        _("coefficient"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Share of a quota judge's workload that one person of this category carries. "
            "Defaults from 北京丰台 (司法改革案例选编（十）case 155): judge 1, assistant 0.6, "
            "division head 0.5, contract staff 0.4, speedy-track contract staff 0.2, "
            "mediators and outsourced staff 0.1."
        ),
    )

    class Meta:
        verbose_name = _("human-resource coefficient")
        verbose_name_plural = _("human-resource coefficients")
        ordering = ["court", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["court", "category"], name="coefficient_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=Decimal("9.99")), name="coefficient_range"
            ),
        ]
        permissions = [("manage_coefficients", _("Can change human-resource coefficients"))]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.value}"


class TeamType(models.Model):
    """A kind of team with its staffing template (seats) and annual quota, per court."""

    class Kind(models.TextChoices):
        SPEEDY = "speedy", _("Speedy trial (速裁)")
        CIVIL = "professional_civil", _("Professional civil (专业化 民商事)")
        CRIMINAL = "professional_criminal", _("Professional criminal (专业化 刑事)")
        ADMINISTRATIVE = (
            "professional_administrative",
            _("Professional administrative (专业化 行政)"),
        )
        ENFORCEMENT = "enforcement", _("Enforcement (执行)")
        ONE_PLUS_ONE = "one_plus_one", _("Judge and clerk “1+1”")
        PRE_LITIGATION = "pre_litigation", _("Pre-litigation “1+N” (诉前)")
        REFINED = "refined", _("Refined trial (精审)")

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="team_types"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    annual_quota = models.PositiveIntegerField(
        _("annual quota"),
        null=True,
        blank=True,
        help_text=_(
            "Cases a fully staffed team of this type should close in a year. 西城 (case 153): "
            "速裁 1200, civil 220, criminal and administrative 150, enforcement 1100. Empty "
            "means the team is not assessed by case counts (e.g. 诉前 teams, valued by the "
            "drop in filings)."
        ),
    )
    handles_simple_cases = models.BooleanField(
        _("takes simple cases"),
        default=False,
        help_text=_("Simple (简) cases are assigned to teams of this type (静海 triage)."),
    )
    handles_complex_cases = models.BooleanField(
        _("takes complex cases"),
        default=False,
        help_text=_("Complex (繁) cases are drawn at random among teams of this type."),
    )

    class Meta:
        verbose_name = _("team type")
        verbose_name_plural = _("team types")
        ordering = ["court", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["court", "kind"], name="teamtype_unique_kind"),
        ]
        permissions = [("manage_team_types", _("Can change team types, templates and quotas"))]

    def __str__(self) -> str:
        return self.name


class TeamTypeSeat(models.Model):
    """One line of a staffing template: how many people may sit in a seat."""

    team_type = models.ForeignKey(
        TeamType, verbose_name=_("team type"), on_delete=models.CASCADE, related_name="seats"
    )
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    min_count = models.PositiveSmallIntegerField(_("at least"), default=1)
    max_count = models.PositiveSmallIntegerField(
        _("at most"), null=True, blank=True, help_text=_("Empty means no upper limit (“1+N”).")
    )

    class Meta:
        verbose_name = _("template seat")
        verbose_name_plural = _("template seats")
        ordering = ["team_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["team_type", "position"], name="seat_unique_position"),
            models.CheckConstraint(
                condition=Q(max_count__isnull=True) | Q(max_count__gte=models.F("min_count")),
                name="seat_max_at_least_min",
            ),
        ]

    def __str__(self) -> str:
        upper = "N" if self.max_count is None else self.max_count
        return f"{self.get_position_display()} {self.min_count}–{upper}"


class Team(models.Model):
    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="teams"
    )
    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="teams"
    )
    team_type = models.ForeignKey(
        TeamType, verbose_name=_("team type"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["court", "division", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="team_unique_name"),
        ]
        permissions = [
            ("manage_court_teams", _("Can manage every team of the court")),
            ("manage_division_teams", _("Can manage the teams of one's own division")),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's seat in a team from one date to another. History is kept: moving a person
    ends the old membership and starts a new one. At most one open membership per person."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(
        _("to"), null=True, blank=True, help_text=_("Empty while the membership is active.")
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "position", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_active_per_person",
                violation_error_message=_("This person already has an active team membership."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["team", "ended_on"], name="membership_team_active")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.team} ({self.get_position_display()})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Courtroom(models.Model):
    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="courtrooms"
    )
    name = models.CharField(_("name"), max_length=60)
    supports_streaming = models.BooleanField(
        _("can stream"),
        default=True,
        help_text=_("Equipped for full audio-video recording and live streaming (庭审直播)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("courtroom")
        verbose_name_plural = _("courtrooms")
        ordering = ["court", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="courtroom_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """A time slot holding a courtroom and/or a pool clerk (a hearing's booking).

    No two live bookings overlap on the same room or the same clerk; the booking service
    checks that under row locks (see ``teams.services.booking_create``).
    """

    court = models.ForeignKey(
        Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="bookings"
    )
    courtroom = models.ForeignKey(
        Courtroom,
        verbose_name=_("courtroom"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    clerk = models.ForeignKey(
        Person,
        verbose_name=_("clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(courtroom__isnull=False) | Q(clerk__isnull=False),
                name="booking_holds_something",
            ),
        ]
        indexes = [
            models.Index(fields=["clerk", "starts_at"], name="booking_clerk_start"),
            models.Index(fields=["courtroom", "starts_at"], name="booking_room_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.courtroom or ''} {self.clerk or ''}".strip()


class Absence(models.Model):
    """A person away (leave, training, secondment): excluded from random assignment."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="absences"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), help_text=_("The last day of the absence."))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["person", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on}–{self.ends_on}"


class SignInFailure(models.Model):
    """One failed sign-in (wrong user name or password), kept for the throttling window only
    (teams.signin). The audit trail keeps the lasting record."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    username = models.CharField(_("user name"), max_length=150)
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "at"], name="signin_fail_user_at"),
            models.Index(fields=["address", "at"], name="signin_fail_addr_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.address or '-'}"
