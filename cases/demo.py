"""Demo and benchmark cases: plausible histories across procedures and stages, imported in
bulk through ``case_import_bulk``. Deterministic for a given seed, so the demo is the same on
every machine (apart from the dates, which are relative to now).

Each procedure family follows a script of steps (an event, its delay after the previous
step, the stage it leads to). A case's history is the steps that fit before now; a few steps
are skipped on purpose, so some nodes are overdue, as in any real court."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from cases.lifecycle import ClosureType, Stage
from cases.services.bulk import ImportRow, case_import_bulk
from nodes.vocab import Procedure
from teams.models import Court

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉健宁晨悦琳雪梅欣怡宇浩然博文思远婷颖鑫斌凯"
COMPANIES = [
    "北京某某科技有限公司",
    "北京某某物业管理有限公司",
    "某某银行股份有限公司北京分行",
    "北京某某房地产开发有限公司",
    "北京某某商贸有限公司",
    "某某保险股份有限公司北京分公司",
    "北京某某建筑工程有限公司",
]
CIVIL_CAUSES = [
    "民间借贷纠纷",
    "买卖合同纠纷",
    "物业服务合同纠纷",
    "机动车交通事故责任纠纷",
    "离婚纠纷",
    "劳动争议",
    "房屋租赁合同纠纷",
    "信用卡纠纷",
    "金融借款合同纠纷",
    "服务合同纠纷",
    "建设工程施工合同纠纷",
]
CRIMINAL_CAUSES = [
    "盗窃罪",
    "危险驾驶罪",
    "诈骗罪",
    "故意伤害罪",
    "帮助信息网络犯罪活动罪",
    "寻衅滋事罪",
]
ADMIN_CAUSES = ["行政处罚", "政府信息公开", "行政许可", "行政强制"]

# procedure → share of the demo's cases
MIX = [
    (Procedure.CIVIL_SIMPLE, 30),
    (Procedure.CIVIL_ORDINARY, 16),
    (Procedure.CIVIL_SMALL_CLAIMS, 6),
    (Procedure.CRIMINAL_FAST, 3),
    (Procedure.CRIMINAL_SUMMARY, 3),
    (Procedure.CRIMINAL_ORDINARY, 3),
    (Procedure.ADMIN_ORDINARY, 4),
    (Procedure.ENFORCEMENT, 22),
    (Procedure.ENFORCEMENT_OBJECTION, 2),
    (Procedure.PRE_LITIGATION, 8),
    (Procedure.PRESERVATION, 3),
]


@dataclass(frozen=True)
class Step:
    event: str
    after_days: tuple[float, float]  # delay after the previous step (min, max)
    stage: str | None = None  # the stage the case is in after this step
    scheduled_in: tuple[float, float] | None = None  # the date it sets, days later
    payload: dict | None = None
    closure: str = ""
    skip: float = 0.0  # chance the step is forgotten (an overdue node)


DISCLOSED = Step("process_disclosed", (0.1, 1.5), skip=0.02)

TRIAL = [
    DISCLOSED,
    Step("complaint_copy_served", (0.5, 2.5), skip=0.02),
    Step("hearing_scheduled", (0.5, 2.5), scheduled_in=(16, 30), skip=0.02),
    Step("defence_received", (5, 12)),
    Step("defence_copy_served", (1, 4), skip=0.03),
    Step("summons_served", (0.5, 3), skip=0.02),
    Step("hearing_held", (0, 0), stage=Stage.TRIAL),
    Step("recording_checked", (0, 0.8), skip=0.02),
    Step("transcript_read", (0, 2), skip=0.02),
    Step(
        "judgment_pronounced", (1, 20), stage=Stage.JUDGMENT, payload={"pronounced_in_court": True}
    ),
    Step("judgment_served", (0.1, 0.9), skip=0.02),
    Step("process_disclosed", (0, 1), skip=0.04),
    Step(
        "case_closed",
        (0, 1),
        stage=Stage.CLOSED,
        payload={"closure_type": "judgment"},
        closure=ClosureType.JUDGMENT,
    ),
    Step("interference_recorded", (0, 0.8), skip=0.03),
    Step("judgment_effective", (16, 22), stage=Stage.EFFECTIVE),
    Step("fees_refunded", (2, 12), skip=0.05),
    Step("published_online", (1, 7), skip=0.03),
    Step("archived", (15, 60), stage=Stage.ARCHIVED),
]
CRIMINAL = [
    DISCLOSED,
    Step("counsel_notified", (0.5, 3), skip=0.02),
    Step("hearing_scheduled", (1, 4), scheduled_in=(14, 25)),
    Step("indictment_copy_served", (0.5, 2), skip=0.02),
    Step("summons_served", (1, 3), skip=0.02),
    Step("hearing_held", (0, 0), stage=Stage.TRIAL),
    Step("recording_checked", (0, 0.8), skip=0.02),
    Step(
        "judgment_pronounced", (0, 10), stage=Stage.JUDGMENT, payload={"pronounced_in_court": True}
    ),
    Step("judgment_served", (0.1, 0.9), skip=0.02),
    Step("process_disclosed", (0, 1), skip=0.04),
    Step(
        "case_closed",
        (0, 1),
        stage=Stage.CLOSED,
        payload={"closure_type": "judgment"},
        closure=ClosureType.JUDGMENT,
    ),
    Step("interference_recorded", (0, 0.8), skip=0.03),
    Step("judgment_effective", (11, 14), stage=Stage.EFFECTIVE),
    Step("sentence_handed_over", (1, 9), stage=Stage.HANDED_OVER, skip=0.04),
    Step("published_online", (1, 6), skip=0.03),
    Step("archived", (20, 60), stage=Stage.ARCHIVED),
]
# 速裁: the whole case within 10 days of filing (刑诉法 art 225)
CRIMINAL_FAST = [
    DISCLOSED,
    Step("counsel_notified", (0.1, 1), skip=0.02),
    Step("hearing_scheduled", (0.2, 1), scheduled_in=(2, 4)),
    Step("indictment_copy_served", (0, 0.5), skip=0.02),
    Step("summons_served", (0, 0.5), skip=0.02),
    *CRIMINAL[5:7],  # held, recording checked
    Step(
        "judgment_pronounced", (0, 0.1), stage=Stage.JUDGMENT, payload={"pronounced_in_court": True}
    ),
    *CRIMINAL[8:],
]
ENFORCEMENT = [
    DISCLOSED,
    Step("enforcement_notice_sent", (1, 2.5), skip=0.03),
    Step("asset_leads_requested", (0, 2), skip=0.04),
    Step("online_search_done", (1, 5)),
    Step("property_seized", (2, 12), payload={"bank_deposit": True}),
    Step("asset_investigation_done", (3, 12), skip=0.03),
    Step("valuation_started", (3, 15), stage=Stage.DISPOSING),
    Step("valuation_commissioned", (2, 9), skip=0.03),
    Step("valuation_report_received", (10, 28), skip=0.03),
    Step("valuation_report_sent", (0.2, 2.5), skip=0.03),
    Step("money_received", (20, 60)),
    Step("money_paid_out", (5, 35), skip=0.05),
    Step(
        "enforcement_completed",
        (1, 10),
        stage=Stage.CLOSED,
        payload={"closure_type": "enforcement_completed"},
        closure=ClosureType.ENFORCEMENT_COMPLETED,
    ),
    Step("interference_recorded", (0, 0.8), skip=0.03),
    Step("archived", (20, 60), stage=Stage.ARCHIVED),
]
OBJECTION = [
    Step("objection_filed", (0, 2)),
    Step(
        "objection_decided",
        (5, 15),
        stage=Stage.CLOSED,
        payload={"closure_type": "ruling"},
        closure=ClosureType.RULING,
    ),
    Step("archived", (20, 40), stage=Stage.ARCHIVED),
]
MEDIATION = [
    Step("mediation_accepted", (0.5, 3), stage=Stage.MEDIATING),
    Step("mediation_succeeded", (5, 28), stage=Stage.CLOSED, closure=ClosureType.SETTLED),
    Step("confirmation_applied", (1, 20), skip=0.4),
]
PRESERVATION = [
    Step("preservation_ruled", (0.2, 4), stage=Stage.RULED),
    Step("preservation_executed", (0.5, 3)),
    Step(
        "case_closed",
        (1, 20),
        stage=Stage.CLOSED,
        payload={"closure_type": "preservation_done"},
        closure=ClosureType.PRESERVATION_DONE,
    ),
]
SCRIPTS = {
    Procedure.CIVIL_SIMPLE: TRIAL,
    Procedure.CIVIL_ORDINARY: TRIAL,
    Procedure.CIVIL_SMALL_CLAIMS: TRIAL,
    Procedure.ADMIN_ORDINARY: TRIAL,
    Procedure.CRIMINAL_FAST: CRIMINAL_FAST,
    Procedure.CRIMINAL_SUMMARY: CRIMINAL,
    Procedure.CRIMINAL_ORDINARY: CRIMINAL,
    Procedure.ENFORCEMENT: ENFORCEMENT,
    Procedure.ENFORCEMENT_OBJECTION: OBJECTION,
    Procedure.PRE_LITIGATION: MEDIATION,
    Procedure.PRESERVATION: PRESERVATION,
}


def _name(rng: random.Random) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def _parties(procedure: str, rng: random.Random) -> list[dict]:
    person = {"name": _name(rng), "kind": "person"}
    other = (
        {"name": rng.choice(COMPANIES), "kind": "organisation"}
        if rng.random() < 0.45
        else {"name": _name(rng), "kind": "person"}
    )
    if procedure.startswith("criminal"):
        return [
            {"name": "北京市西城区人民检察院", "role": "prosecutor", "kind": "organisation"},
            {**person, "role": "accused"},
        ]
    if procedure.startswith("admin"):
        return [
            {**person, "role": "plaintiff"},
            {
                "name": "北京市西城区"
                + rng.choice(["市场监督管理局", "城市管理综合行政执法局", "人民政府"]),
                "role": "defendant",
                "kind": "organisation",
            },
        ]
    if procedure == Procedure.ENFORCEMENT:
        return [{**other, "role": "creditor"}, {**person, "role": "debtor"}]
    if procedure in (
        Procedure.ENFORCEMENT_OBJECTION,
        Procedure.PRE_LITIGATION,
        Procedure.PRESERVATION,
    ):
        return [{**person, "role": "applicant"}, {**other, "role": "respondent"}]
    return [{**person, "role": "plaintiff"}, {**other, "role": "defendant"}]


def _cause(procedure: str, rng: random.Random) -> str:
    if procedure.startswith("criminal"):
        return rng.choice(CRIMINAL_CAUSES)
    if procedure.startswith("admin"):
        return rng.choice(ADMIN_CAUSES)
    return rng.choice(CIVIL_CAUSES)


def demo_case_rows(
    *, count: int, seed: int = 7, max_age_days: int = 300, now: dt.datetime | None = None
) -> list[ImportRow]:
    """``count`` case histories, filed over the last ``max_age_days`` (more of them recently)."""
    rng = random.Random(seed)
    now = now or timezone.now()
    procedures = [p for p, weight in MIX for _i in range(weight)]
    rows = []
    for _i in range(count):
        procedure = rng.choice(procedures)
        age = min(max_age_days, rng.expovariate(1 / (max_age_days / 3)))
        received_at = now - dt.timedelta(days=age, hours=rng.uniform(0, 8))
        filed_at = min(
            now - dt.timedelta(minutes=5),
            received_at + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2])),
        )
        events: list[tuple] = []
        stage = None
        closed_at, closure = None, ""
        at = filed_at
        hearing_at = None
        for step in SCRIPTS[procedure]:
            if step.event == "hearing_held":
                if hearing_at is None:
                    break
                at = hearing_at
            else:
                at = at + dt.timedelta(days=rng.uniform(*step.after_days))
            if at >= now:
                break
            if step.skip and rng.random() < step.skip:
                continue
            scheduled = None
            if step.scheduled_in is not None:
                scheduled = (at + dt.timedelta(days=rng.uniform(*step.scheduled_in))).replace(
                    hour=rng.choice([9, 10, 14, 15]), minute=0, second=0, microsecond=0
                )
                hearing_at = scheduled
            if (
                step.event == "summons_served"
                and hearing_at is not None
                and at > hearing_at - dt.timedelta(days=3)
            ):
                at = hearing_at - dt.timedelta(days=rng.uniform(3, 6))
            payload = dict(step.payload or {})
            if step.event == "judgment_pronounced":
                payload = {"pronounced_in_court": rng.random() < 0.6}
                payload["pronounced_later"] = not payload["pronounced_in_court"]
            events.append((step.event, max(at, filed_at), scheduled, payload))
            if step.stage:
                stage = step.stage
            if step.closure:
                closed_at, closure = at, step.closure
        amount = None
        if not procedure.startswith("criminal"):
            amount = round(rng.lognormvariate(10.5, 1.3), 2)
        rows.append(
            ImportRow(
                procedure=procedure,
                cause=_cause(procedure, rng),
                parties=_parties(procedure, rng),
                received_at=received_at,
                filed_at=filed_at,
                claim_amount=amount,
                stage=stage,
                in_custody=procedure.startswith("criminal") and rng.random() < 0.5,
                supervision_category=rng.choice([1, 2, 3]) if rng.random() < 0.02 else 0,
                events=events,
                closed_at=closed_at,
                closure_type=closure,
            )
        )
    return rows


def imminent_lock_rows(
    *, count: int, seed: int = 5, now: dt.datetime | None = None
) -> list[ImportRow]:
    """Cases that lock minutes after the demo loads: a streamed hearing starts in a little over
    an hour and its live-stream approval (庭审直播审批, due 1 hour before, important) is not
    given, so the beat sweep locks each case at its minute — 5, 7, 9 … minutes from now."""
    rng = random.Random(seed)
    now = now or timezone.now()
    rows = []
    for i in range(count):
        filed = now - dt.timedelta(days=6, hours=rng.uniform(0, 4))
        hearing = now + dt.timedelta(minutes=65 + 2 * i)
        rows.append(
            ImportRow(
                procedure=Procedure.CIVIL_ORDINARY,
                cause=rng.choice(CIVIL_CAUSES),
                parties=_parties(Procedure.CIVIL_ORDINARY, rng),
                received_at=filed,
                filed_at=filed,
                claim_amount=800000,
                events=[
                    ("complaint_copy_served", filed + dt.timedelta(days=1), None, {}),
                    (
                        "hearing_scheduled",
                        filed + dt.timedelta(days=2),
                        hearing,
                        {"stream_required": True},
                    ),
                    ("summons_served", filed + dt.timedelta(days=3), None, {}),
                ],
            )
        )
    return rows


def demo_cases_load(*, court: Court, count: int, seed: int = 7, imminent: int = 6) -> int:
    """Import the demo's cases into a court that has none yet (idempotent), including a few
    that lock within minutes. Returns how many."""
    if court.cases.exists():
        return 0
    rows = demo_case_rows(count=count, seed=seed) + imminent_lock_rows(count=imminent)
    return len(case_import_bulk(actor=None, court=court, rows=rows, source="demo"))


UNLOCK_REASONS = (
    "被告下落不明，已转公告送达，请求解锁后重新排期。",
    "鉴定机构延迟出具意见，现已收到，请求解锁继续审理。",
    "承办法官参加集中培训，现已返岗，请求解锁。",
)


def demo_requests_file(*, court: Court, per_division: int = 2) -> int:
    """Bring the demo court to "this morning": one sweep (so cases whose important node is
    already overdue are locked), then, in each division, a few judges' pending requests
    through the same services the pages use: unlocks of locked cases, 审限 extensions (for
    the president) and suspensions for appraisal (for the division head). Returns how many
    requests were filed; a request the rules refuse is skipped, never forced."""
    from cases.models import Approval, Case
    from cases.services.approvals import approval_request
    from courtflow.errors import DomainError
    from nodes.sweep import sweep_run

    sweep_run(court_ids=[court.pk])
    filed = 0
    for division in court.divisions.order_by("pk"):
        mine = Case.objects.filter(division=division, judge__user__isnull=False).exclude(
            stage=Stage.CLOSED
        )
        plans = [
            (mine.filter(locked=True), Approval.Kind.UNLOCK, None),
            (
                mine.filter(locked=False, trial_limit_due_at__isnull=False),
                Approval.Kind.EXTENSION,
                {"months": 3},
            ),
            (
                mine.filter(locked=False, trial_limit_due_at__isnull=False, clock_paused=False),
                Approval.Kind.SUSPENSION,
                {"suspension_kind": "appraisal"},
            ),
        ]
        for queryset, kind, payload in plans:
            done = 0
            for case in queryset.select_related("judge__user").order_by("pk")[: per_division * 3]:
                if done == per_division:
                    break
                if case.approvals.filter(status=Approval.Status.PENDING).exists():
                    continue
                reason = {
                    Approval.Kind.UNLOCK: UNLOCK_REASONS[filed % len(UNLOCK_REASONS)],
                    Approval.Kind.EXTENSION: "案情复杂，需追加当事人并补充鉴定，申请延长审限三个月。",
                    Approval.Kind.SUSPENSION: "当事人申请工程造价鉴定，鉴定期间不计入审限。",
                }[kind]
                try:
                    approval_request(
                        actor=case.judge.user, case=case, kind=kind, reason=reason, payload=payload
                    )
                except DomainError:
                    continue
                done += 1
                filed += 1
    _demo_hearings_book(court)
    return filed


def _demo_hearings_book(court: Court, count: int = 6) -> None:
    """Book the demo clerk (``clerk``, from the pool) to a few hearings on the next working
    days, morning and afternoon, so the clerk's page shows rooms and times."""
    from cases.models import Case
    from cases.services.hearings import HEARING_STAGES, hearing_schedule
    from courtflow.errors import DomainError
    from nodes.selectors import calendar_load
    from teams.models import Person

    clerk = Person.objects.filter(user__username="clerk", court=court).first()
    rooms = list(court.courtrooms.order_by("pk")[:2])
    if clerk is None or not rooms:
        return
    candidates = (
        Case.objects.filter(
            court=court, stage__in=HEARING_STAGES, locked=False, judge__user__isnull=False
        )
        .exclude(hearings__isnull=False)
        .select_related("judge__user")
        .order_by("pk")
    )
    calendar = calendar_load()
    day = timezone.localdate()
    slots = []
    while len(slots) < count:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day)[0]:
            for hour, minute in ((9, 0), (14, 30)):
                slots.append(dt.datetime.combine(day, dt.time(hour, minute)))
    booked = 0
    for case in candidates[: count * 4]:
        if booked == count:
            break
        starts = timezone.make_aware(slots[booked])
        try:
            hearing_schedule(
                actor=case.judge.user,
                case=case,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                courtroom=rooms[booked % len(rooms)],
                clerk=clerk,
            )
        except DomainError:
            continue
        booked += 1
