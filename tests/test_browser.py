"""In a real browser (the system's Chromium through Playwright) against a live server: the
lock and unlock story from the judge's queue to the audit timeline, the language switch, the
queue's htmx filter, and a party named like a script staying text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.tests.helpers import PARTIES, judge_of, register, serve, triage_and_assign
from nodes.engine import next_due_refresh
from nodes.models import NodeInstance
from nodes.sweep import sweep_run
from tests.browser_steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.base = live_server.url
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.fixture
def locked_case(committed_world):
    world = committed_world
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="8000"), "simple")
    serve(world, case, "complaint_copy")
    # The hearing should have been scheduled an hour ago: the node's times move into the past
    # (as if the case had been filed earlier), so the lock is recorded before what follows.
    due = timezone.now() - dt.timedelta(hours=1)
    NodeInstance.objects.filter(case=case, code="CIV-SIMPLE-SCHEDULE").update(
        prompt_at=due - dt.timedelta(days=2),
        warn_at=due - dt.timedelta(days=1),
        due_at=due,
        next_action_at=due - dt.timedelta(days=2),
    )
    next_due_refresh([case.pk])
    sweep_run()
    case.refresh_from_db()
    assert case.locked
    return world, case


def test_lock_unlock_and_complete_the_overdue_node_with_the_audit_in_order(page, locked_case):
    _world, case = locked_case
    judge = judge_of(case).username
    head = case.division.head.user.username

    # The judge finds the locked case at the top of the queue, sees why, and cannot act.
    sign_in(page, judge)
    page.click("nav.mainnav >> text=我的待办")
    row = page.locator("table.queue tbody tr").first
    assert case.number in row.inner_text() and "已锁定" in row.inner_text()
    row.locator("a").click()
    lock_card = page.locator("#lock")
    assert "开庭" in lock_card.inner_text() and "庭长" in lock_card.inner_text()
    assert page.locator("text=排期开庭").count() == 0
    page.click("summary:has-text('申请解锁')")
    page.fill("textarea[name='request-unlock-reason']", "当事人下落不明，已改为公告送达")
    page.click("button:has-text('申请解锁')")
    assert "已完成" in page.locator(".messages").inner_text()

    # The division head unlocks it from the morning console, with a reason, in two clicks.
    sign_in(page, head)
    locked_row = page.locator("#locked tr", has_text=case.number)
    locked_row.locator("summary:has-text('解锁')").click()
    locked_row.locator("textarea[name=reason]").fill("同意，五日内排期")
    locked_row.locator("button:has-text('确认解锁')").click()
    assert "已解锁" in page.locator(".messages").inner_text()
    case.refresh_from_db()
    assert not case.locked

    # The judge completes the overdue node: schedules the hearing (online).
    sign_in(page, judge)
    page.goto(page.base + f"/cases/{case.pk}/")
    page.click("summary:has-text('排期开庭')")
    start = timezone.localtime() + dt.timedelta(days=4)
    start = start.replace(hour=9, minute=30, second=0, microsecond=0)
    page.fill("input[name='hearing-schedule-starts_at']", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        "input[name='hearing-schedule-ends_at']",
        (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    page.check("input[name='hearing-schedule-online']")
    page.click("form:has(input[value='hearing:schedule']) button.primary")
    page.wait_for_load_state()
    assert "已完成" in page.locator(".messages").inner_text()
    node = NodeInstance.objects.filter(case=case, code="CIV-SIMPLE-SCHEDULE").latest("id")
    assert node.status == "done"

    # The audit timeline shows the lock, the unlock and the completion in that order.
    audit = page.locator("#audit").inner_text()
    locked_at = audit.index("案件锁定")
    unlocked_at = audit.index("解锁", locked_at + 4)
    scheduled_at = audit.index("排期开庭", unlocked_at)
    assert locked_at < unlocked_at < scheduled_at
    assert not page.dialogs


def test_language_switch_and_keyboard_reach(page, committed_world):
    sign_in(page, "judge")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.select_option("#lang-select", "en")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.mainnav").inner_text().startswith("Home")
    # The first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_queue_filter_swaps_results_with_htmx_and_escapes_party_names(page, committed_world):
    world = committed_world
    evil = "<script>alert(1)</script>"
    parties = [{"name": evil, "role": "plaintiff", "kind": "person"}, PARTIES["first_instance"][1]]
    case = triage_and_assign(
        world, register(world, "civil_simple", claim_amount="100", parties=parties), "simple"
    )
    sign_in(page, judge_of(case).username)
    page.goto(page.base + "/cases/")
    page.fill("#id_q", "alert")
    with page.expect_response(
        lambda r: "/cases/?" in r.url and r.request.headers.get("hx-request")
    ):
        page.click("form.filters button[type=submit]")
    assert case.number in page.locator("#queue-results").inner_text()
    assert "q=alert" in page.url  # the filter is in the address, so it can be shared
    page.goto(page.base + f"/cases/{case.pk}/")
    assert evil in page.locator("section", has_text="当事人").first.inner_text()
    assert not page.dialogs  # the script never ran
    # The other steps are fetched when opened: the form arrives and can be used.
    page.click("details.other-actions > summary")
    step = page.locator("details.other-actions details.action").first
    with page.expect_response(lambda r: "/act/?action=" in r.url):
        step.locator("summary").click()
    step.locator("form button.primary").wait_for()
    assert step.locator("input[name=action]").count() == 1
