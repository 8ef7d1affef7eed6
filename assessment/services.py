"""Assessment services: workload weights (audited) and quota progress (丰台 method)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    DEFAULT_WEIGHTS,
    AccountabilityRecord,
    BoardCorrection,
    QualityReview,
    Reversal,
    ReviewFinding,
    WorkloadWeight,
    WorkReport,
)
from cases.models import Case
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from nodes.vocab import Procedure
from teams.models import Court, Team
from teams.permissions import require_court_perm


def _parse_weight(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("A weight is a number such as 0.3."), field="weight") from None
    if not number.is_finite() or number <= 0 or number > Decimal("9.99"):
        raise InvalidInput(_("A weight must be more than 0 and at most 9.99."), field="weight")
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(_("A weight has at most two decimal places."), field="weight")
    return number


@transaction.atomic
def workload_weight_set(
    *,
    actor: Any,
    court: Court,
    procedure: str,
    complexity: str,
    weight: Any,
    note: str = "",
    reason: str = "",
) -> WorkloadWeight:
    """Set how much a closed case of this procedure and/or complexity counts (audited)."""
    require_court_perm(actor, "assessment.manage_workload_weights", court)
    if procedure and procedure not in Procedure.values:
        raise InvalidInput(_("Unknown procedure."), field="procedure")
    if complexity not in WorkloadWeight.Complexity.values:
        raise InvalidInput(_("Choose simple, complex or any."), field="complexity")
    number = _parse_weight(weight)
    if len(note) > 200:
        raise InvalidInput(_("A note is at most 200 characters."), field="note")
    row, created = WorkloadWeight.objects.select_for_update().get_or_create(
        court=court,
        procedure=procedure,
        complexity=complexity,
        defaults={"weight": number, "note": note},
    )
    before = None if created else {"weight": str(row.weight), "note": row.note}
    if not created:
        if row.weight == number and row.note == note:
            return row
        row.weight, row.note = number, note
        row.save(update_fields=["weight", "note"])
    audit_record(
        actor=actor,
        action="workload_weight.changed",
        obj=row,
        before=before,
        after={
            "procedure": procedure,
            "complexity": complexity,
            "weight": str(number),
            "note": note,
        },
        reason=reason,
    )
    return row


def weights_for_court(court_id: int) -> dict[tuple[str, str], Decimal]:
    """(procedure, complexity) → weight: the defaults, overlaid with the court's own."""
    table = {(p, c): w for p, c, w, _note in DEFAULT_WEIGHTS}
    for p, c, w in WorkloadWeight.objects.filter(court_id=court_id).values_list(
        "procedure", "complexity", "weight"
    ):
        table[(p, c)] = w
    return table


def weight_of(table: dict[tuple[str, str], Decimal], procedure: str, complexity: str) -> Decimal:
    """The most specific weight: procedure and complexity, procedure, complexity, else 1."""
    for key in ((procedure, complexity), (procedure, ""), ("", complexity)):
        if key in table:
            return table[key]
    return Decimal("1")


@dataclass
class QuotaRow:
    team: Team
    coefficient_sum: Decimal
    annual_target: Decimal | None
    target: Decimal | None
    closed: int
    weighted: Decimal

    @property
    def progress(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.weighted * 100 / self.target).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def band(self) -> str:
        """met (≥100%), near (≥80%), behind; "" for teams without a target. Bands, not
        ranks: national guidance discourages ranking judges by indicators."""
        progress = self.progress
        if progress is None:
            return ""
        if progress >= 100:
            return "met"
        return "near" if progress >= 80 else "behind"


def quota_progress(
    *, court_id: int, start: dt.date, end: dt.date, division_id: int | None = None
) -> list[QuotaRow]:
    """Each active team's target for ``start``..``end`` (its type's annual quota scaled by
    its coefficient sum, prorated by days) against its closed cases, counted by weight."""
    from assessment.apis import period_bounds
    from teams.selectors import (
        coefficients_for_court,
        prorate,
        team_annual_target,
        team_coefficient_sum,
    )

    teams = (
        Team.objects.filter(court_id=court_id, is_active=True)
        .select_related("team_type", "division")
        .prefetch_related("team_type__seats")
    )
    if division_id is not None:
        teams = teams.filter(division_id=division_id)
    begin, finish = period_bounds(start, end)
    weights = weights_for_court(court_id)
    closed: dict[int, int] = defaultdict(int)
    weighted: dict[int, Decimal] = defaultdict(Decimal)
    for team_id, procedure, complexity, n in (
        Case.objects.filter(court_id=court_id, closed_at__gte=begin, closed_at__lt=finish)
        .values_list("team_id", "procedure", "complexity")
        .annotate(n=Count("id"))
        .order_by()
    ):
        closed[team_id] += n
        weighted[team_id] += weight_of(weights, procedure, complexity or "") * n
    coefficients = coefficients_for_court(court_id)
    rows = []
    for team in teams.order_by("division__name", "name"):
        coefficient_sum = team_coefficient_sum(team, on=end, coefficients=coefficients)
        annual = team_annual_target(team, on=end, coefficients=coefficients, actual=coefficient_sum)
        rows.append(
            QuotaRow(
                team=team,
                coefficient_sum=coefficient_sum,
                annual_target=annual,
                target=prorate(annual, start, end) if annual is not None else None,
                closed=closed.get(team.pk, 0),
                weighted=weighted.get(team.pk, Decimal("0")).quantize(Decimal("0.01")),
            )
        )
    return rows


# --- disclosure boards (公示) and their corrections -----------------------------------------


def _person(actor: Any):
    from teams.access import person_for_user

    person = person_for_user(actor)
    if person is None or not person.is_active:
        raise NotAllowed(_("Your account is not bound to a court."))
    return person


def _current_team(person) -> Team | None:
    from teams.models import Membership

    membership = (
        Membership.objects.filter(person=person, ended_on__isnull=True, team__is_active=True)
        .select_related("team")
        .order_by("id")
        .first()
    )
    return membership.team if membership else None


@transaction.atomic
def board_correction_request(*, actor: Any, board: str, text: str) -> BoardCorrection:
    """A team member asks for a correction of what a board shows about their team."""
    person = _person(actor)
    team = _current_team(person)
    if team is None:
        raise NotAllowed(_("Only a team's members can ask to correct its figures."))
    if board not in BoardCorrection.Board.values:
        raise InvalidInput(_("Choose the board to correct."), field="board")
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise InvalidInput(
            _("Say what should be corrected, and why (at most 2000 characters)."), field="text"
        )
    correction = BoardCorrection.objects.create(
        court_id=person.court_id,
        team=team,
        board=board,
        text=text,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="board_correction.requested",
        obj=correction,
        court_id=person.court_id,
        after={"team": team.name, "board": board, "text": text},
    )
    return correction


@transaction.atomic
def board_correction_answer(
    *, actor: Any, correction: BoardCorrection, accept: bool, answer: str
) -> BoardCorrection:
    """The trial manager answers a correction request (accepted or declined, with reasons)."""
    person = _person(actor)
    if person.role != "trial_manager" or person.court_id != correction.court_id:
        raise NotAllowed(_("The trial management office answers correction requests."))
    answer = (answer or "").strip()
    if not answer or len(answer) > 2000:
        raise InvalidInput(_("Give the answer (at most 2000 characters)."), field="answer")
    correction = BoardCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != BoardCorrection.Status.OPEN:
        raise Conflict(_("This request has already been answered."), code="already_answered")
    (correction.accept if accept else correction.decline)(
        by=actor, at=timezone.now(), answer=answer
    )
    correction.save()
    audit_record(
        actor=actor,
        action="board_correction.answered",
        obj=correction,
        court_id=correction.court_id,
        after={"status": correction.status, "answer": answer},
    )
    return correction


# --- work reports ------------------------------------------------------------------------------


def report_confirmer_role(person) -> str:
    """Who confirms this person's report (丰台): assistant → the team's judge; division
    head → a vice president; other staff → the division head. Presidents and vice
    presidents report elsewhere."""
    from teams.roles import Role

    if person.role == Role.ASSISTANT:
        return "team_judge"
    if person.role == Role.DIVISION_HEAD:
        return Role.VICE_PRESIDENT
    if person.role in (Role.PRESIDENT, Role.VICE_PRESIDENT):
        return ""
    return Role.DIVISION_HEAD


def may_confirm(actor_person, report: WorkReport) -> bool:
    from teams.models import Membership
    from teams.roles import Position, Role

    if actor_person is None or actor_person.court_id != report.court_id:
        return False
    role = report.confirmer_role
    if role == "team_judge":
        teams = Membership.objects.filter(person=report.person, ended_on__isnull=True).values(
            "team_id"
        )
        return Membership.objects.filter(
            person=actor_person,
            ended_on__isnull=True,
            position=Position.JUDGE,
            team_id__in=teams,
        ).exists()
    if role == Role.DIVISION_HEAD:
        return (
            actor_person.role == Role.DIVISION_HEAD
            and actor_person.division_id == report.person.division_id
        )
    if role == Role.VICE_PRESIDENT:
        return actor_person.role in (Role.VICE_PRESIDENT, Role.PRESIDENT)
    return False


def report_figures(person, start: dt.date, end: dt.date) -> dict:
    """The figures a report carries: the person's closures as judge, their team's closures
    (plain and weighted) and its target for the period."""
    from assessment.apis import period_bounds

    begin, finish = period_bounds(start, end)
    figures: dict[str, Any] = {
        "closed_as_judge": Case.objects.filter(
            judge=person, closed_at__gte=begin, closed_at__lt=finish
        ).count()
    }
    team = _current_team(person)
    if team is not None:
        row = next(
            (
                r
                for r in quota_progress(
                    court_id=person.court_id, start=start, end=end, division_id=team.division_id
                )
                if r.team.pk == team.pk
            ),
            None,
        )
        if row is not None:
            figures.update(
                team=team.name,
                team_closed=row.closed,
                team_weighted=str(row.weighted),
                team_target=str(row.target) if row.target is not None else None,
                team_progress=str(row.progress) if row.progress is not None else None,
            )
    return figures


@transaction.atomic
def work_report_save(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    summary: str,
    report: WorkReport | None = None,
) -> WorkReport:
    """Create a draft report, or change a draft or returned one."""
    person = _person(actor)
    if end < start:
        raise InvalidInput(_("The period ends before it begins."), field="end")
    if (end - start).days > 366:
        raise InvalidInput(_("A report covers at most one year."), field="end")
    summary = (summary or "").strip()
    if not summary or len(summary) > 5000:
        raise InvalidInput(
            _("Write the summary of your work (at most 5000 characters)."), field="summary"
        )
    if report is None:
        if not report_confirmer_role(person):
            raise NotAllowed(_("Presidents' reports are not confirmed here."))
        report = WorkReport(person=person, court_id=person.court_id)
        before = None
    else:
        report = WorkReport.objects.select_for_update().get(pk=report.pk)
        if report.person_id != person.pk:
            raise NotAllowed(_("This is not your report."))
        if report.status not in (WorkReport.Status.DRAFT, WorkReport.Status.RETURNED):
            raise Conflict(_("A submitted report can no longer be changed."), code="submitted")
        before = {
            "start": str(report.period_start),
            "end": str(report.period_end),
            "summary": report.summary,
        }
    report.period_start, report.period_end, report.summary = start, end, summary
    report.save()
    audit_record(
        actor=actor,
        action="work_report.saved",
        obj=report,
        court_id=report.court_id,
        before=before,
        after={"start": str(start), "end": str(end), "summary": summary},
    )
    return report


@transaction.atomic
def work_report_submit(*, actor: Any, report: WorkReport) -> WorkReport:
    person = _person(actor)
    report = WorkReport.objects.select_for_update().get(pk=report.pk)
    if report.person_id != person.pk:
        raise NotAllowed(_("This is not your report."))
    if report.status not in (WorkReport.Status.DRAFT, WorkReport.Status.RETURNED):
        raise Conflict(_("This report has already been submitted."), code="submitted")
    role = report_confirmer_role(person)
    if not role:
        raise NotAllowed(_("Presidents' reports are not confirmed here."))
    report.submit(
        at=timezone.now(),
        figures=report_figures(person, report.period_start, report.period_end),
        confirmer_role=role,
    )
    report.save()
    audit_record(
        actor=actor,
        action="work_report.submitted",
        obj=report,
        court_id=report.court_id,
        after={"figures": report.figures, "confirmer": role},
    )
    return report


@transaction.atomic
def work_report_decide(
    *, actor: Any, report: WorkReport, confirm: bool, comment: str = ""
) -> WorkReport:
    """Confirm a report, or return it for changes with a comment (required then)."""
    person = _person(actor)
    report = WorkReport.objects.select_for_update().select_related("person").get(pk=report.pk)
    if not may_confirm(person, report):
        raise NotAllowed(_("You do not confirm this person's reports."))
    if report.status != WorkReport.Status.SUBMITTED:
        raise Conflict(_("This report is not waiting for confirmation."), code="not_submitted")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise InvalidInput(_("A comment is at most 2000 characters."), field="comment")
    if not confirm and not comment:
        raise InvalidInput(_("Say what should be changed."), field="comment")
    (report.confirm if confirm else report.send_back)(by=actor, at=timezone.now(), comment=comment)
    report.save()
    audit_record(
        actor=actor,
        action="work_report.confirmed" if confirm else "work_report.returned",
        obj=report,
        court_id=report.court_id,
        after={"status": report.status, "comment": comment},
    )
    return report


def work_reports_to_confirm(person) -> list[WorkReport]:
    """Reports waiting for this person's confirmation: ``may_confirm``'s rules as one query
    (the reports of the people in the teams they judge, of their division's staff as its
    head, and of division heads for a vice president or the president)."""
    from teams.models import Membership
    from teams.roles import Position, Role

    if person is None:
        return []
    my_teams = Membership.objects.filter(
        person=person, ended_on__isnull=True, position=Position.JUDGE
    ).values("team_id")
    team_people = Membership.objects.filter(team_id__in=my_teams, ended_on__isnull=True).values(
        "person_id"
    )
    mine = Q(confirmer_role="team_judge", person_id__in=team_people)
    if person.role == Role.DIVISION_HEAD:
        mine |= Q(confirmer_role=Role.DIVISION_HEAD, person__division_id=person.division_id)
    if person.role in (Role.VICE_PRESIDENT, Role.PRESIDENT):
        mine |= Q(confirmer_role=Role.VICE_PRESIDENT)
    pending = WorkReport.objects.filter(
        mine, court_id=person.court_id, status=WorkReport.Status.SUBMITTED
    ).select_related("person")
    return list(pending.order_by("submitted_at")[:500])


# --- quality reviews, reversals and accountability (海淀) -----------------------------------

QUALITY_MANAGERS = ("president", "vice_president", "trial_manager")


def _quality_manager(actor: Any):
    person = _person(actor)
    if person.role not in QUALITY_MANAGERS:
        raise NotAllowed(_("Quality reviews are kept by the court's leaders and trial managers."))
    return person


def _case_by_number(person, number: str, field: str = "case_number") -> Case:
    case = Case.objects.filter(court_id=person.court_id, number=(number or "").strip()).first()
    if case is None:
        raise InvalidInput(_("No case with this number in your court."), field=field)
    return case


def _text(value: str, field: str, limit: int = 2000) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise InvalidInput(
            _("Write it out (at most %(n)s characters).") % {"n": limit}, field=field
        )
    return value


@transaction.atomic
def quality_review_create(
    *, actor: Any, kind: str, title: str, start: dt.date, end: dt.date
) -> QualityReview:
    person = _quality_manager(actor)
    if kind not in QualityReview.Kind.values:
        raise InvalidInput(_("Choose the kind of review."), field="kind")
    title = _text(title, "title", 120)
    if end < start:
        raise InvalidInput(_("The period ends before it begins."), field="end")
    review = QualityReview.objects.create(
        court_id=person.court_id,
        kind=kind,
        title=title,
        period_start=start,
        period_end=end,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="quality_review.created",
        obj=review,
        court_id=person.court_id,
        after={"kind": kind, "title": title, "from": str(start), "to": str(end)},
    )
    return review


@transaction.atomic
def review_finding_record(
    *, actor: Any, review: QualityReview, case_number: str, grade: str, text: str
) -> ReviewFinding:
    person = _quality_manager(actor)
    if review.court_id != person.court_id:
        raise NotAllowed(_("This review belongs to another court."))
    case = _case_by_number(person, case_number)
    if grade not in ReviewFinding.Grade.values:
        raise InvalidInput(_("Choose the grade."), field="grade")
    text = _text(text, "text")
    if ReviewFinding.objects.filter(review=review, case=case).exists():
        raise Conflict(_("This case already has a finding in this review."), code="duplicate")
    finding = ReviewFinding.objects.create(
        review=review,
        case=case,
        team_id=case.team_id,
        judge_id=case.judge_id,
        grade=grade,
        text=text,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="quality_review.finding",
        obj=finding,
        court_id=person.court_id,
        case_id=case.pk,
        after={"review": review.title, "grade": grade, "text": text},
    )
    return finding


@transaction.atomic
def reversal_record(
    *,
    actor: Any,
    case_number: str,
    kind: str,
    appeal_number: str,
    decided_on: dt.date,
    reason: str = "",
) -> Reversal:
    """Record that a first-instance judgment was changed or sent back on appeal; it counts
    against the first-instance case's team and judge."""
    from cases.lifecycle import Family

    person = _quality_manager(actor)
    case = _case_by_number(person, case_number)
    if case.family not in (Family.FIRST_INSTANCE, Family.CRIMINAL):
        raise InvalidInput(
            _("Only a first-instance case can be changed on appeal."), field="case_number"
        )
    if case.closed_at is None:
        raise InvalidInput(_("This case has not been decided yet."), field="case_number")
    if kind not in Reversal.Kind.values:
        raise InvalidInput(_("Choose changed or sent back."), field="kind")
    appeal_number = _text(appeal_number, "appeal_number", 40)
    if decided_on > timezone.localdate() or decided_on < timezone.localtime(case.closed_at).date():
        raise InvalidInput(
            _("The appeal decision falls between the judgment and today."), field="decided_on"
        )
    if Reversal.objects.filter(case=case, appeal_number=appeal_number).exists():
        raise Conflict(_("This appeal decision is already recorded."), code="duplicate")
    reversal = Reversal.objects.create(
        court_id=person.court_id,
        case=case,
        team_id=case.team_id,
        judge_id=case.judge_id,
        kind=kind,
        appeal_number=appeal_number,
        decided_on=decided_on,
        reason=(reason or "").strip()[:2000],
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="reversal.recorded",
        obj=reversal,
        court_id=person.court_id,
        case_id=case.pk,
        after={"kind": kind, "appeal": appeal_number, "decided_on": str(decided_on)},
    )
    return reversal


@transaction.atomic
def accountability_record(
    *,
    actor: Any,
    kind: str,
    text: str,
    level: str = "",
    person_id: int | None = None,
    case_number: str = "",
) -> AccountabilityRecord:
    me = _quality_manager(actor)
    if kind not in AccountabilityRecord.Kind.values:
        raise InvalidInput(_("Choose the kind of record."), field="kind")
    if kind == AccountabilityRecord.Kind.TALK and level not in ("court", "division", "team"):
        raise InvalidInput(_("Say at which level the talk was held."), field="level")
    if kind != AccountabilityRecord.Kind.TALK:
        level = ""
    from teams.models import Person

    person = None
    if person_id:
        person = Person.objects.filter(pk=person_id, court_id=me.court_id).first()
        if person is None:
            raise InvalidInput(_("No such person in your court."), field="person")
    case = _case_by_number(me, case_number) if (case_number or "").strip() else None
    if person is None and case is None:
        raise InvalidInput(_("Name the person concerned or the case."), field="person")
    record = AccountabilityRecord.objects.create(
        court_id=me.court_id,
        kind=kind,
        level=level,
        person=person,
        case=case,
        text=_text(text, "text"),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="accountability.recorded",
        obj=record,
        court_id=me.court_id,
        case_id=case.pk if case else None,
        after={
            "kind": kind,
            "level": level,
            "person": getattr(person, "name", ""),
            "text": record.text,
        },
    )
    return record


def quality_by_team(
    *, court_id: int, start: dt.date, end: dt.date, division_id: int | None = None
) -> list[dict]:
    """Per team (of one division when given): findings by grade in the period's reviews,
    reversals and remands decided in the period, and the 发改率 (reversed or remanded ÷
    first-instance cases closed)."""
    scope = {"team__division_id": division_id} if division_id is not None else {}
    from assessment.apis import period_bounds
    from cases.lifecycle import Family

    begin, finish = period_bounds(start, end)
    rows: dict[int, dict] = {}

    def row(team_id, name):
        return rows.setdefault(
            team_id,
            {"team": name, "findings": defaultdict(int), "reversed": 0, "remanded": 0, "closed": 0},
        )

    for team_id, name, grade, n in (
        ReviewFinding.objects.filter(
            review__court_id=court_id, recorded_at__gte=begin, recorded_at__lt=finish, **scope
        )
        .values_list("team_id", "team__name", "grade")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(team_id, name)["findings"][grade] += n
    for team_id, name, kind, n in (
        Reversal.objects.filter(
            court_id=court_id, decided_on__gte=start, decided_on__lte=end, **scope
        )
        .values_list("team_id", "team__name", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(team_id, name)[kind] += n
    for team_id, n in (
        Case.objects.filter(
            court_id=court_id,
            team_id__in=list(rows),
            family__in=[Family.FIRST_INSTANCE, Family.CRIMINAL],
            closed_at__gte=begin,
            closed_at__lt=finish,
        )
        .values_list("team_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        rows[team_id]["closed"] = n
    for r in rows.values():
        changed = r["reversed"] + r["remanded"]
        r["rate"] = (
            (Decimal(changed) * 100 / r["closed"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if r["closed"]
            else None
        )
        r["findings"] = dict(r["findings"])
    return sorted(rows.values(), key=lambda r: r["team"] or "")


# --- indicators and settings (audited) -----------------------------------------------------


def _update_audited(
    *, actor: Any, obj, fields: list[str], data: dict, check, action: str, reason: str
):
    """Set ``fields`` from ``data`` on a locked row, refuse it through ``check`` (which
    raises InvalidInput), save, and record the change (nothing when nothing changed)."""
    before = {f: str(getattr(obj, f)) for f in fields}
    for f in fields:
        if f in data:
            setattr(obj, f, data[f])
    check(obj)
    obj.save()
    after = {f: str(getattr(obj, f)) for f in fields}
    if after != before:
        audit_record(
            actor=actor,
            action=action,
            obj=obj,
            court_id=obj.court_id,
            before=before,
            after=after,
            reason=reason,
        )
    return obj


INDICATOR_FIELDS = [
    "name_zh",
    "name_en",
    "category",
    "measure",
    "higher_is_better",
    "target",
    "points",
    "is_active",
]
SETTING_FIELDS = [
    "ranking_enabled",
    "over_quota_points",
    "under_quota_points",
    "quota_points_cap",
    "speedy_rule",
    "speedy_bonus_share",
]


def _check_indicator(indicator) -> None:
    from assessment.models import Indicator

    if indicator.points is None or Decimal(indicator.points) <= 0:
        raise InvalidInput(_("An indicator's points must be more than 0."), field="points")
    if indicator.target is None or Decimal(indicator.target) < 0:
        raise InvalidInput(_("A target cannot be negative."), field="target")
    if indicator.measure not in Indicator.Measure.values:
        raise InvalidInput(_("Unknown measure."), field="measure")
    if indicator.category not in Indicator.Category.values:
        raise InvalidInput(_("Unknown category."), field="category")


def _check_setting(setting) -> None:
    for f in ("over_quota_points", "under_quota_points", "quota_points_cap"):
        if Decimal(getattr(setting, f)) < 0:
            raise InvalidInput(_("Points cannot be negative."), field=f)
    if not Decimal(0) <= Decimal(setting.speedy_bonus_share) <= Decimal(1):
        raise InvalidInput(_("A share is between 0 and 1."), field="speedy_bonus_share")


@transaction.atomic
def indicator_update(*, actor: Any, indicator, data: dict, reason: str = ""):
    """Change an indicator's target, points, direction, names or use (trial managers)."""
    from assessment.models import Indicator

    require_court_perm(actor, "assessment.manage_indicators", indicator.court)
    return _update_audited(
        actor=actor,
        obj=Indicator.objects.select_for_update().get(pk=indicator.pk),
        fields=INDICATOR_FIELDS,
        data=data,
        check=_check_indicator,
        action="indicator.changed",
        reason=reason,
    )


@transaction.atomic
def assessment_setting_update(*, actor: Any, setting, data: dict, reason: str = ""):
    """Change a court's ranking, quota bonus and penalty, and 速裁 rule (trial managers)."""
    from assessment.models import AssessmentSetting

    require_court_perm(actor, "assessment.manage_indicators", setting.court)
    return _update_audited(
        actor=actor,
        obj=AssessmentSetting.objects.select_for_update().get(pk=setting.pk),
        fields=SETTING_FIELDS,
        data=data,
        check=_check_setting,
        action="assessment_setting.changed",
        reason=reason,
    )
