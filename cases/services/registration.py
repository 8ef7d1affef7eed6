"""Registering cases: complaints and applications, pre-litigation mediation, preservation."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import (
    PROCEDURE_DIVISION_KIND,
    PROCEDURE_FAMILY,
    PROCEDURE_TYPE_CODE,
    Family,
    Stage,
)
from cases.models import Case, CaseEvent, Party
from cases.rollups import rollup_refresh
from cases.services.common import (
    CLOCK_SKEW,
    clock_recompute,
    open_nodes,
    record_event,
    require_case_role,
)
from cases.services.numbering import case_number_next
from cases.services.supervision import supervised_case_announce
from cases.services.triage import triage_propose
from courtflow.audit import audit_record, snapshot
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from nodes.engine import TRIAL_LIMIT_EVENT
from nodes.selectors import catalog_current
from nodes.vocab import Procedure
from teams.access import person_for_user
from teams.models import Court, Division
from teams.roles import Role

MAX_PARTIES = 200
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
CASE_FIELDS = (
    "number",
    "procedure",
    "cause",
    "claim_amount",
    "received_at",
    "filed_at",
    "division",
    "stage",
    "supervision_category",
    "in_custody",
    "foreign_party",
)

# The roles a family's parties may have, and the two sides a case must have.
FAMILY_SIDES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Family.FIRST_INSTANCE: (("plaintiff",), ("defendant",)),
    Family.SECOND_INSTANCE: (("appellant",), ("appellee", "prosecutor")),
    Family.REVIEW: (("applicant",), ("respondent",)),
    Family.ENFORCEMENT: (("creditor",), ("debtor",)),
    Family.MEDIATION: (("applicant",), ("respondent",)),
    Family.PRESERVATION: (("applicant",), ("respondent",)),
    Family.CRIMINAL: (("prosecutor", "private_prosecutor"), ("accused",)),
}
OTHER_ROLES = ("third_party", "victim", "agency")


def resident_id_valid(value: str) -> bool:
    """GB 11643-1999: 17 digits and a check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == value[17].upper()


def _clean_parties(parties: Any, family: str) -> list[dict]:
    if not isinstance(parties, list) or not parties:
        raise InvalidInput(_("A case needs its parties."), field="parties")
    if len(parties) > MAX_PARTIES:
        raise InvalidInput(_("At most %(n)s parties.") % {"n": MAX_PARTIES}, field="parties")
    first, second = FAMILY_SIDES[family]
    allowed = {*first, *second, *OTHER_ROLES}
    cleaned = []
    for i, raw in enumerate(parties, start=1):
        if not isinstance(raw, dict):
            raise InvalidInput(_("Party %(i)s is not valid.") % {"i": i}, field="parties")
        name = str(raw.get("name") or "").strip()
        role = str(raw.get("role") or "")
        kind = str(raw.get("kind") or Party.Kind.PERSON)
        id_number = str(raw.get("id_number") or "").strip().upper()
        if not name or len(name) > 120 or "\x00" in name:
            raise InvalidInput(
                _("Party %(i)s needs a name of at most 120 characters.") % {"i": i},
                field="parties",
                detail={"party": i, "field": "name"},
            )
        if role not in allowed:
            raise InvalidInput(
                _("Party %(i)s: this role does not belong in this kind of case.") % {"i": i},
                field="parties",
                detail={"party": i, "field": "role"},
            )
        if kind not in Party.Kind.values:
            raise InvalidInput(
                _("Party %(i)s: a party is a natural person or an organisation.") % {"i": i},
                field="parties",
                detail={"party": i, "field": "kind"},
            )
        if id_number:
            ok = (
                resident_id_valid(id_number)
                if kind == Party.Kind.PERSON
                else bool(USCC_RE.match(id_number))
            )
            if not ok:
                raise InvalidInput(
                    _("Party %(i)s: the identity number is not a valid resident ID or credit code.")
                    % {"i": i},
                    field="parties",
                    detail={"party": i, "field": "id_number"},
                )
        cleaned.append(
            {
                "name": name,
                "role": role,
                "kind": kind,
                "id_number": id_number,
                "address": str(raw.get("address") or "")[:200],
                "phone": str(raw.get("phone") or "")[:32],
            }
        )
    roles = {p["role"] for p in cleaned}
    if family != Family.CRIMINAL and not (roles & set(first) and roles & set(second)):
        raise InvalidInput(
            _("A case needs a party on each side (e.g. a plaintiff and a defendant)."),
            field="parties",
            code="missing_side",
        )
    if family == Family.CRIMINAL and "accused" not in roles:
        raise InvalidInput(
            _("A criminal case needs a defendant."), field="parties", code="missing_side"
        )
    return cleaned


def _clean_amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The amount is a number of yuan."), field="claim_amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise InvalidInput(
            _("The amount must be between 0 and 100 trillion yuan."), field="claim_amount"
        )
    return amount.quantize(Decimal("0.01"))


def _clean_facts(facts: dict | None, procedure: str) -> dict:
    """Only the catalog's condition flags, as booleans. A civil appeal is against a judgment
    unless it says it is against a ruling."""
    from nodes.vocab import CONDITIONS

    clean = {}
    for key, value in (facts or {}).items():
        if key not in CONDITIONS or not isinstance(value, bool):
            raise InvalidInput(
                _("Unknown case fact %(key)s.") % {"key": str(key)[:40]}, field="facts"
            )
        clean[key] = value
    if procedure == Procedure.CIVIL_SECOND and not clean.get("appeal_against_ruling"):
        clean["appeal_against_judgment"] = True
    return clean


def _default_division(court: Court, family: str) -> Division:
    kinds = PROCEDURE_DIVISION_KIND[family]
    for kind in kinds:
        division = (
            Division.objects.filter(court=court, kind=kind, is_active=True).order_by("id").first()
        )
        if division is not None:
            return division
    raise InvalidInput(
        _("This court has no division for this kind of case; choose one."), field="division"
    )


@transaction.atomic
def case_register(
    *,
    actor: Any,
    court: Court,
    procedure: str,
    cause: str,
    parties: list[dict],
    claim_amount: Any = None,
    received_at: dt.datetime | None = None,
    filed_at: dt.datetime | None = None,
    file_now: bool = True,
    division: Division | None = None,
    in_custody: bool = False,
    foreign_party: bool = False,
    supervision_category: int = 0,
    origin: Case | None = None,
    facts: dict | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Case:
    """Register a case: number it, store its parties, record its receipt (and filing, unless
    ``file_now`` is False), open the nodes those events open, start the 审限 clock and propose
    its triage. The same ``idempotency_key`` twice registers once and answers 409."""
    person = person_for_user(actor)
    if (
        actor is not None
        and not actor.is_superuser
        and (
            person is None
            or person.court_id != court.pk
            or not actor.has_perm("cases.register_case")
        )
    ):
        raise NotAllowed(_("Only registrars of this court register cases."))
    if idempotency_key is not None:
        earlier = (
            CaseEvent.objects.filter(idempotency_key=idempotency_key).select_related("case").first()
        )
        if earlier is not None:
            raise Conflict(
                _("This form was already submitted: case %(number)s.")
                % {"number": earlier.case.number},
                code="duplicate_submission",
                detail={"case": earlier.case_id},
            )
    if procedure not in Procedure.values:
        raise InvalidInput(_("Unknown procedure."), field="procedure")
    family = PROCEDURE_FAMILY[procedure]
    cause = (cause or "").strip()
    if not cause or len(cause) > 100 or "\x00" in cause:
        raise InvalidInput(
            _("The cause of action is required (at most 100 characters)."), field="cause"
        )
    cleaned_parties = _clean_parties(parties, family)
    amount = _clean_amount(claim_amount)
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise InvalidInput(_("The time must carry a time zone."), field="received_at")
    if received_at > now + CLOCK_SKEW:
        raise InvalidInput(_("A case cannot be received in the future."), field="received_at")
    if file_now:
        filed_at = filed_at or max(
            received_at, now if received_at > now - dt.timedelta(minutes=1) else received_at
        )
        if timezone.is_naive(filed_at):
            raise InvalidInput(_("The time must carry a time zone."), field="filed_at")
        if filed_at < received_at or filed_at > now + CLOCK_SKEW:
            raise InvalidInput(
                _("Filing comes after receipt and not in the future."), field="filed_at"
            )
    else:
        filed_at = None
    if division is None:
        division = _default_division(court, family)
    elif division.court_id != court.pk:
        raise InvalidInput(_("The division belongs to another court."), field="division")
    if supervision_category not in (0, 1, 2, 3, 4):
        raise InvalidInput(
            _("The 四类案件 category is 1 to 4 (or 0 for none)."), field="supervision_category"
        )
    if origin is not None and origin.court_id != court.pk and origin.court.parent_id != court.pk:
        raise InvalidInput(_("The originating case belongs to an unrelated court."), field="origin")
    facts = _clean_facts(facts, procedure)
    version = catalog_current()
    if version is None:
        raise Conflict(
            _("No node catalog is loaded; cases cannot be registered yet."), code="no_catalog"
        )

    year = timezone.localtime(filed_at or received_at).year
    type_code = PROCEDURE_TYPE_CODE[procedure]
    if family == Family.MEDIATION:
        stage = Stage.REFERRED if filed_at else Stage.RECEIVED
    else:
        stage = Stage.FILED if filed_at else Stage.RECEIVED
    case = Case(
        court=court,
        number=f"pending-{uuid.uuid4().hex}",
        year=year,
        type_code=type_code,
        procedure=procedure,
        cause=cause,
        claim_amount=amount,
        received_at=received_at,
        filed_at=filed_at,
        division=division,
        supervision_category=supervision_category,
        president_supervised=supervision_category > 0,
        in_custody=in_custody,
        foreign_party=foreign_party,
        catalog_version=version,
        origin=origin,
        clock_started_at=filed_at,
        stage=stage,
        facts=facts,
    )
    case.save(force_insert=True)
    Party.objects.bulk_create(Party(case=case, **p) for p in cleaned_parties)
    try:
        with transaction.atomic():
            record_event(
                case,
                "complaint_received",
                actor=actor,
                at=received_at,
                idempotency_key=idempotency_key,
            )
    except IntegrityError as exc:
        raise Conflict(_("This form was already submitted."), code="duplicate_submission") from exc
    if filed_at is not None:
        file_case_events(case, actor=actor, at=filed_at)
    _number(case)
    audit_record(
        actor=actor,
        action="case.registered",
        obj=case,
        case_id=case.pk,
        after={**snapshot(case, CASE_FIELDS), "parties": len(cleaned_parties)},
    )
    if filed_at is not None:
        triage_propose(case)
        if case.supervision_category:
            supervised_case_announce(case=case, at=filed_at)
    rollup_refresh([case.pk])
    return case


def _number(case: Case) -> None:
    """Give the case its 案号 as the last step before commit: the sequence row is locked only
    from here to the commit, so registrants of the same type queue for milliseconds."""
    sequence, number = case_number_next(court=case.court, year=case.year, type_code=case.type_code)
    try:
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(number=number, sequence=sequence)
    except IntegrityError as exc:
        raise Conflict(
            _("The case number %(number)s is already taken.") % {"number": number},
            code="duplicate_number",
        ) from exc
    case.number, case.sequence = number, sequence


def file_case_events(case: Case, *, actor: Any, at: dt.datetime) -> None:
    """Record the filing: open its nodes, start the 审限 clock, open the nodes counted back
    from the limit, flag a supervised case and propose the triage."""
    record_event(case, "case_filed", actor=actor, at=at)
    if case.family == Family.MEDIATION:
        record_event(case, "mediation_referred", actor=actor, at=at)
    clock_recompute(case)
    if case.trial_limit_due_at is not None:
        open_nodes(case, TRIAL_LIMIT_EVENT, at=at)
    if case.supervision_category:
        record_event(
            case,
            "supervision_flagged",
            actor=actor,
            at=at,
            payload={"category": case.supervision_category},
        )


@transaction.atomic
def case_docket(*, actor: Any, case: Case, at: dt.datetime | None = None, reason: str = "") -> Case:
    """File a case that was received but not yet docketed (the 7-day decision)."""
    from cases.services.common import case_for_update, check_event_time, ensure_unlocked

    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, (Role.REGISTRAR,))
    if case.stage != Stage.RECEIVED:
        raise Conflict(
            _("Case %(number)s is already filed.") % {"number": case.number}, code="wrong_stage"
        )
    at = at or timezone.now()
    check_event_time(case, at)
    case.docket(at=at)
    case.clock_started_at = at
    case.save()
    file_case_events(case, actor=actor, at=at)
    audit_record(
        actor=actor,
        action="case.docketed",
        obj=case,
        case_id=case.pk,
        after={"filed_at": at, "stage": case.stage},
        reason=reason,
    )
    triage_propose(case)
    if case.supervision_category:
        supervised_case_announce(case=case, at=at)
    rollup_refresh([case.pk])
    return case
