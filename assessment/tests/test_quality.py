"""Quality reviews, reversals counted back to the first-instance team (发改率), and
accountability records: who may record them, what is refused, what is recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import AccountabilityRecord, Reversal, ReviewFinding
from assessment.services import (
    accountability_record,
    quality_by_team,
    quality_review_create,
    reversal_record,
    review_finding_record,
)
from cases.models import Case
from cases.tests.helpers import register, triage_and_assign
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world):
    """Two first-instance cases of one team, decided last week."""
    first = triage_and_assign(world, register(world, "civil_simple", claim_amount="5000"), "simple")
    second = triage_and_assign(
        world, register(world, "civil_simple", claim_amount="6000"), "simple"
    )
    Case.objects.filter(pk=second.pk).update(team=first.team, judge=first.judge)
    closed = timezone.now() - dt.timedelta(days=7)
    Case.objects.filter(pk__in=[first.pk, second.pk]).update(closed_at=closed)
    first.refresh_from_db()
    second.refresh_from_db()
    return world, first, second


def test_a_reversal_counts_back_to_the_first_instance_team(decided):
    world, first, _second = decided
    manager = world.user("trialmgr")
    reversal = reversal_record(
        actor=manager,
        case_number=first.number,
        kind="remanded",
        appeal_number="（2026）京02民终123号",
        decided_on=timezone.localdate(),
        reason="事实不清",
    )
    assert (reversal.team, reversal.judge) == (first.team, first.judge)
    with pytest.raises(Conflict):
        reversal_record(
            actor=manager,
            case_number=first.number,
            kind="remanded",
            appeal_number="（2026）京02民终123号",
            decided_on=timezone.localdate(),
        )
    today = timezone.localdate()
    (row,) = quality_by_team(
        court_id=world.court.pk, start=today.replace(month=1, day=1), end=today
    )
    assert (row["team"], row["remanded"], row["closed"], row["rate"]) == (
        first.team.name,
        1,
        2,
        Decimal("50.00"),
    )
    assert AuditEvent.objects.filter(action="reversal.recorded", case_id=first.pk).exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"case_number": "（2026）京0102民初99999号"}, "case_number"),
        ({"decided_on": "future"}, "decided_on"),
        ({"appeal_number": "  "}, "appeal_number"),
        ({"kind": "upheld"}, "kind"),
    ],
)
def test_bad_reversals_are_refused_and_nothing_written(decided, change, field):
    world, first, _second = decided
    data = {
        "case_number": first.number,
        "kind": "reversed",
        "appeal_number": "（2026）京02民终1号",
        "decided_on": timezone.localdate(),
    }
    data.update(change)
    if data["decided_on"] == "future":
        data["decided_on"] = timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput) as exc:
        reversal_record(actor=world.user("trialmgr"), **data)
    assert exc.value.field == field
    assert not Reversal.objects.exists()


def test_an_undecided_case_cannot_be_reversed(world):
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="5000"), "simple")
    with pytest.raises(InvalidInput):
        reversal_record(
            actor=world.user("trialmgr"),
            case_number=case.number,
            kind="reversed",
            appeal_number="（2026）京02民终2号",
            decided_on=timezone.localdate(),
        )


def test_reviews_and_findings(decided):
    world, first, _second = decided
    president = world.user("president")
    today = timezone.localdate()
    review = quality_review_create(
        actor=president,
        kind="routine",
        title="第三季度常规评查",
        start=today.replace(day=1),
        end=today,
    )
    review_finding_record(
        actor=president,
        review=review,
        case_number=first.number,
        grade="flawed",
        text="送达回证缺页",
    )
    with pytest.raises(Conflict):
        review_finding_record(
            actor=president, review=review, case_number=first.number, grade="qualified", text="x"
        )
    with pytest.raises(NotAllowed):
        quality_review_create(
            actor=world.user("judge"), kind="routine", title="x", start=today, end=today
        )
    finding = ReviewFinding.objects.get()
    assert finding.team == first.team and finding.judge == first.judge
    (row,) = quality_by_team(
        court_id=world.court.pk, start=today.replace(month=1, day=1), end=today
    )
    assert row["findings"] == {"flawed": 1}


def test_accountability_records_need_a_level_for_talks_and_someone_concerned(decided):
    world, first, _second = decided
    manager = world.user("trialmgr")
    with pytest.raises(InvalidInput) as exc:
        accountability_record(actor=manager, kind="talk", text="约谈", person_id=first.judge_id)
    assert exc.value.field == "level"
    with pytest.raises(InvalidInput):
        accountability_record(actor=manager, kind="letter", text="监察建议")
    record = accountability_record(
        actor=manager,
        kind="talk",
        level="division",
        text="长期未结案件约谈",
        person_id=first.judge_id,
    )
    assert record.level == "division"
    letter = accountability_record(
        actor=manager,
        kind="letter",
        level="court",
        text="审限管理监察建议",
        case_number=first.number,
    )
    assert letter.level == ""  # only talks have levels
    assert AuditEvent.objects.filter(action="accountability.recorded").count() == 2
    assert AccountabilityRecord.objects.count() == 2


def test_quality_page_forms(decided):
    world, first, _second = decided
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    assert "评查" in manager.get("/stats/quality/").content.decode()
    bad = manager.post(
        "/stats/quality/",
        {
            "form": "reversal",
            "reversal-case_number": "不存在",
            "reversal-kind": "reversed",
            "reversal-appeal_number": "（2026）京02民终9号",
            "reversal-decided_on": f"{timezone.localdate()}",
        },
    )
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    ok = manager.post(
        "/stats/quality/",
        {
            "form": "reversal",
            "reversal-case_number": first.number,
            "reversal-kind": "reversed",
            "reversal-appeal_number": "（2026）京02民终9号",
            "reversal-decided_on": f"{timezone.localdate()}",
        },
    )
    assert ok.status_code == 302 and Reversal.objects.count() == 1
    judge = Client()
    judge.force_login(world.user("judge"))
    assert judge.get("/stats/quality/").status_code == 404
    # The division head reads the division's records, records nothing; another division's
    # head does not see them.
    from teams.models import Person

    head = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    head.force_login(first.division.head.user)
    page = head.get("/stats/quality/").content.decode()
    assert "（2026）京02民终9号" in page and "登记二审结果" not in page
    assert "（2026）京02民终9号" in manager.get("/stats/quality/").content.decode()
    assert head.post("/stats/quality/", {"form": "reversal"}).status_code == 403
    assert Reversal.objects.count() == 1
    other = Person.objects.filter(role="division_head", court=world.court).exclude(
        division=first.division
    )[0]
    stranger = Client()
    stranger.force_login(other.user)
    page = stranger.get("/stats/quality/")
    assert page.status_code == 200 and "（2026）京02民终9号" not in page.content.decode()
