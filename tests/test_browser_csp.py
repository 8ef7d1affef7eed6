"""In a real browser with the Content-Security-Policy active: the main pages of several roles
(and the administration) load with no violation reported, and htmx and the deadline
calculator still work under the policy."""

from __future__ import annotations

import pytest

from cases.tests.helpers import judge_of, register, triage_and_assign
from tests.browser_steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded by the page itself: every violation the browser reports, from the first script on.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.base = live_server.url
    page.console_errors = []
    page.on(
        "console",
        lambda m: page.console_errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    yield page
    context.close()


def violations(page) -> list[str]:
    reported = page.evaluate("window.__csp || []")
    console = [m for m in page.console_errors if "Content Security Policy" in m]
    return reported + console


def visit(page, path: str) -> None:
    response = page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, path
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert violations(page) == [], path


def test_pages_of_several_roles_load_without_a_policy_violation(page, committed_world):
    world = committed_world
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="9000"), "simple")
    judge = judge_of(case).username

    # The policy is really on: a script injected inline is refused and reported.
    visit(page, "/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in violations(page))
    page.console_errors.clear()

    sign_in(page, judge)
    for path in ("/home/judge/", "/cases/", f"/cases/{case.pk}/", "/nodes/calendar/"):
        visit(page, path)

    # htmx works under the policy: the queue filter swaps the results in place.
    page.goto(page.base + "/cases/")
    page.fill("#id_q", case.number)
    with page.expect_response(
        lambda r: "/cases/?" in r.url and r.request.headers.get("hx-request")
    ):
        page.click("form.filters button[type=submit]")
    assert case.number in page.locator("#queue-results").inner_text()
    # ... and a step's form is fetched when it is opened.
    page.goto(page.base + f"/cases/{case.pk}/")
    page.click("details.other-actions > summary")
    step = page.locator("details.other-actions details.action").first
    with page.expect_response(lambda r: "/act/?action=" in r.url):
        step.locator("summary").click()
    step.locator("form button.primary").wait_for()
    assert violations(page) == []

    sign_in(page, case.division.head.user.username)
    for path in ("/home/division_head/", "/stats/"):
        visit(page, path)

    sign_in(page, "trialmgr")
    for path in ("/home/trial_manager/", "/admin/", "/admin/nodes/calendarday/import/"):
        visit(page, path)
    # The deadline calculator (a static script calling the API) works under the policy.
    visit(page, "/nodes/catalog/")
    page.fill("#due-anchor", "2027-03-01T09:00")
    with page.expect_response(lambda r: "/api/calendar/due/" in r.url):
        page.locator("#due-form button[type=submit]").click()
    page.locator("#due-result p").first.wait_for()
    assert "2027" in page.locator("#due-result").inner_text()
    assert violations(page) == []
