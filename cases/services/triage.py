"""繁简分流: the rules propose simple or complex; the division head confirms or overrides
with a reason; then the case is assigned by the draw."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import Complexity, Family, Stage
from cases.models import Case, Triage, TriageRule
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput
from nodes.vocab import Procedure
from teams.roles import Role

# Without rules of its own, a court's proposal follows the procedure the case was filed in.
SIMPLE_PROCEDURES = {
    Procedure.CIVIL_SIMPLE,
    Procedure.CIVIL_SMALL_CLAIMS,
    Procedure.CRIMINAL_SUMMARY,
    Procedure.CRIMINAL_FAST,
    Procedure.ADMIN_SIMPLE,
    Procedure.PRESERVATION,
}


def rule_matches(rule: TriageRule, case: Case, party_count: int) -> bool:
    """Pure: does the rule's every condition hold for the case?"""
    if rule.procedures and case.procedure not in rule.procedures:
        return False
    if rule.cause_keywords and not any(k and k in case.cause for k in rule.cause_keywords):
        return False
    if rule.max_amount is not None and (
        case.claim_amount is None or case.claim_amount > rule.max_amount
    ):
        return False
    return not (rule.max_parties is not None and party_count > rule.max_parties)


def triage_proposal(case: Case) -> tuple[str, TriageRule | None]:
    """The first matching active rule of the court, or the procedure's default."""
    party_count = case.parties.count()
    for rule in TriageRule.objects.filter(court_id=case.court_id, is_active=True).order_by(
        "priority", "id"
    ):
        if rule_matches(rule, case, party_count):
            return rule.result, rule
    return (Complexity.SIMPLE if case.procedure in SIMPLE_PROCEDURES else Complexity.COMPLEX), None


def triage_propose(case: Case) -> Triage:
    """Store the rules' proposal; the case waits in its division's triage queue."""
    proposed, rule = triage_proposal(case)
    triage, _created = Triage.objects.update_or_create(
        case=case, defaults={"proposed": proposed, "rule": rule}
    )
    audit_record(
        actor=None,
        action="case.triage_proposed",
        obj=triage,
        case_id=case.pk,
        court_id=case.court_id,
        after={"proposed": proposed, "rule": rule.name if rule else ""},
    )
    return triage


@transaction.atomic
def triage_decide(
    *, actor: Any, case: Case, complexity: str, reason: str = "", draw: bool = True
) -> Case:
    """The division head confirms the proposal or overrides it (a reason is required), and
    the case goes to the random draw at once (no human choice of team)."""
    from cases.services.assignment import assignment_draw
    from cases.services.common import case_for_update, ensure_unlocked, require_case_role

    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, (Role.DIVISION_HEAD,))
    if case.stage != Stage.FILED:
        raise Conflict(_("Only a filed, unassigned case can be triaged."), code="wrong_stage")
    if complexity not in (Complexity.SIMPLE, Complexity.COMPLEX):
        raise InvalidInput(_("Choose simple or complex."), field="complexity")
    triage = Triage.objects.select_for_update().filter(case=case).first() or triage_propose(case)
    if triage.decided:
        raise Conflict(_("This case was already triaged."), code="already_triaged")
    override = complexity != triage.proposed
    if override and not (reason or "").strip():
        raise InvalidInput(_("Overriding the proposal needs a reason."), field="reason")
    triage.decided = complexity
    triage.decided_by = actor if getattr(actor, "pk", None) else None
    triage.decided_at = timezone.now()
    triage.override_reason = reason if override else ""
    triage.save()
    case.complexity = complexity
    case.save(update_fields=["complexity"])
    audit_record(
        actor=actor,
        action="case.triage_overridden" if override else "case.triage_confirmed",
        obj=case,
        case_id=case.pk,
        before={"proposed": triage.proposed},
        after={"decided": complexity},
        reason=reason,
    )
    if draw:
        assignment_draw(actor=actor, case=case)
    return case


def triage_queue(*, court_id: int, division_id: int | None = None):
    """Filed cases waiting for the division head's triage decision, oldest first."""
    qs = Case.objects.filter(
        court_id=court_id, stage=Stage.FILED, triage__decided=""
    ).select_related("triage")
    if division_id is not None:
        qs = qs.filter(division_id=division_id)
    return qs.exclude(family=Family.MEDIATION).order_by("filed_at", "id")


def triage_rules_default(court_id: int) -> list[TriageRule]:
    """A starting rule set like 静海's: small, two-party money claims and family matters go
    to the speedy teams; everything else to the random draw among the 精审/专业 teams."""
    rules = [
        TriageRule(
            court_id=court_id,
            name="小额、简易程序案件",
            priority=10,
            procedures=[Procedure.CIVIL_SMALL_CLAIMS, Procedure.CIVIL_SIMPLE],
            result=Complexity.SIMPLE,
        ),
        TriageRule(
            court_id=court_id,
            name="标的额50万元以下、当事人不超过3人的民事案件",
            priority=20,
            procedures=[Procedure.CIVIL_ORDINARY],
            max_amount=Decimal("500000"),
            max_parties=3,
            result=Complexity.SIMPLE,
        ),
        TriageRule(
            court_id=court_id,
            name="物业、供暖、信用卡等类型化纠纷",
            priority=30,
            cause_keywords=["物业服务合同", "供用热力合同", "信用卡纠纷", "机动车交通事故"],
            result=Complexity.SIMPLE,
        ),
        TriageRule(
            court_id=court_id,
            name="认罪认罚的刑事简易、速裁案件",
            priority=40,
            procedures=[Procedure.CRIMINAL_SUMMARY, Procedure.CRIMINAL_FAST],
            result=Complexity.SIMPLE,
        ),
    ]
    return TriageRule.objects.bulk_create(rules)


FIELDS = (
    "name",
    "priority",
    "procedures",
    "cause_keywords",
    "max_amount",
    "max_parties",
    "result",
    "is_active",
)


@transaction.atomic
def triage_rule_save(
    *, actor: Any, court_id: int, data: dict, rule: TriageRule | None = None
) -> TriageRule:
    """Create or change one of the court's triage rules (trial managers); audited."""
    from courtflow.audit import snapshot
    from courtflow.errors import NotAllowed

    if (
        actor is not None
        and not actor.is_superuser
        and not actor.has_perm("cases.change_triagerule")
    ):
        raise NotAllowed(_("Only trial managers maintain the triage rules."))
    if not (data.get("name") or "").strip():
        raise InvalidInput(_("A rule needs a name."), field="name")
    if data.get("result") not in (Complexity.SIMPLE, Complexity.COMPLEX):
        raise InvalidInput(_("Choose simple or complex."), field="result")
    bad = [p for p in data.get("procedures") or [] if p not in Procedure.values]
    if bad:
        raise InvalidInput(_("Unknown procedure."), field="procedures")
    before = snapshot(rule, FIELDS) if rule else None
    rule = rule or TriageRule(court_id=court_id)
    for name in FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.save()
    audit_record(
        actor=actor,
        action="triage_rule.saved",
        obj=rule,
        court_id=court_id,
        before=before,
        after=snapshot(rule, FIELDS),
    )
    return rule
