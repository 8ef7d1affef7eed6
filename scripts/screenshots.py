"""Save the main pages of each role to docs/screenshots/ (``make screenshots``).

A throwaway SQLite database under var/ gets the demo court exactly as ``make run`` prepares
it (calendar, node catalog, demo cases with their morning sweep and pending requests); a
development server on a free port serves it; the system's Chromium (Playwright) signs in as
each demo user and saves full-page PNGs, in Chinese, plus a few pages in English and the
judge's queue on a phone-sized screen.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DB = ROOT / "var" / "screenshots.sqlite3"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PYTHON = sys.executable
MAX_HEIGHT = 2400


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own loopback server)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer within {seconds:.0f} s")


def pick_cases(env: dict) -> dict[str, int]:
    """A locked case and a working case of the demo judge's team, found in the database."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cases.models import Case
    from teams.models import Person

    judge = Person.objects.get(user__username="judge")
    mine = Case.objects.filter(judge=judge).exclude(stage="closed")
    locked = mine.filter(locked=True).order_by("pk").first()
    working = (
        mine.filter(locked=False, nodes__status="open", trial_limit_due_at__isnull=False)
        .order_by("next_due_at", "pk")
        .first()
    )
    return {"locked": locked.pk if locked else working.pk, "working": working.pk}


# (user, file name, path); "{locked}" and "{working}" are case ids.
PAGES = [
    ("judge", "judge-home", "/home/judge/"),
    ("judge", "judge-queue", "/cases/"),
    ("judge", "judge-case-locked", "/cases/{locked}/"),
    ("judge", "judge-case", "/cases/{working}/"),
    ("judge", "judge-inbox", "/nodes/inbox/"),
    ("assistant", "assistant-home", "/home/assistant/"),
    ("clerk", "clerk-home", "/home/clerk/"),
    ("registrar", "registrar-home", "/home/registrar/"),
    ("registrar", "registrar-register", "/cases/register/"),
    ("divhead", "division-head-console", "/home/division_head/"),
    ("president", "president-home", "/home/president/"),
    ("president", "president-three-rules", "/cases/interference/"),
    ("trialmgr", "trial-manager-home", "/home/trial_manager/"),
    ("trialmgr", "trial-manager-catalog", "/nodes/catalog/"),
    ("trialmgr", "trial-manager-calendar", "/nodes/calendar/"),
    ("trialmgr", "stats-court-metrics", "/stats/"),
    ("trialmgr", "stats-nodes", "/stats/nodes/"),
    ("trialmgr", "stats-indicators", "/stats/indicators/"),
    ("trialmgr", "stats-quotas", "/stats/quotas/"),
    ("trialmgr", "stats-quality", "/stats/quality/"),
    ("judge", "boards", "/stats/board/"),
    ("assistant", "work-reports", "/stats/reports/"),
]
ENGLISH = [
    "judge-queue",
    "judge-case",
    "division-head-console",
    "trial-manager-home",
    "stats-indicators",
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM} (apt install chromium fonts-noto-cjk)")
    DB.parent.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DB}",
        "DJANGO_SETTINGS_MODULE": "courtflow.settings",
    }
    manage("migrate", "--noinput", "-v0", "--skip-checks", env=env)
    manage("calendar_seed", "--skip-checks", env=env)
    manage("catalog_load", "--skip-checks", env=env)
    manage("load_demo", "--quiet", "--scale", "0.1", "--skip-checks", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    ids = pick_cases(env)
    from teams.demo import DEMO_PASSWORD

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    try:
        wait_for(base + "/login/")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

            def shoot(user, name, path, locale="zh-CN", viewport=(1280, 900), suffix=""):
                context = browser.new_context(
                    locale=locale, viewport={"width": viewport[0], "height": viewport[1]}
                )
                page = context.new_page()
                page.goto(base + "/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url("**/home/**")
                response = page.goto(base + path.format(**ids))
                if response is None or response.status != 200:
                    raise SystemExit(f"{user} {path}: HTTP {response and response.status}")
                target = OUT / f"{name}{suffix}.png"
                # The whole page, up to MAX_HEIGHT: a long list shows its start.
                height = page.evaluate("document.documentElement.scrollHeight")
                page.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": viewport[0], "height": min(height, MAX_HEIGHT)},
                )
                saved.append(target)
                context.close()

            for user, name, path in PAGES:
                shoot(user, name, path)
                if name in ENGLISH:
                    shoot(user, name, path, locale="en-US", suffix="-en")
            shoot("judge", "judge-queue", "/cases/", viewport=(390, 844), suffix="-phone")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for target in saved:
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
