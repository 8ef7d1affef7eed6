"""Shared steps of the browser tests (Playwright with the system's Chromium)."""

from __future__ import annotations

import re

from teams.demo import DEMO_PASSWORD


def sign_in(page, username: str) -> None:
    """Sign in through the login form as a demo user and wait for the role's home page."""
    page.context.clear_cookies()
    page.goto(page.base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/home/"))
