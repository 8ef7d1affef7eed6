"""Suite-wide test setup: service markers that skip with a stated reason, and strict mode.

With COURTFLOW_STRICT=1 (set by .ci/run) a skipped test fails instead: in CI nothing skips.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STRICT = os.environ.get("COURTFLOW_STRICT") == "1"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("COURTFLOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM = CHROMIUM if os.path.exists(CHROMIUM) else None


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1
        ):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    vendor_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    redis_ok = None
    for item in items:
        if "postgres" in item.keywords and not vendor_pg:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run with DATABASE_URL=postgres://user@127.0.0.1:5432/courtflow "
                    "(.ci/run does)"
                )
            )
        if "browser" in item.keywords and not CHROMIUM:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs Chromium at /usr/bin/chromium (apt-get install chromium "
                    "fonts-noto-cjk; .ci/run does)"
                )
            )
        if "redis" in item.keywords:
            if redis_ok is None:
                redis_ok = _reachable(REDIS_URL)
            if not redis_ok:
                item.add_marker(pytest.mark.skip(reason=f"needs a Redis server at {REDIS_URL}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"COURTFLOW_STRICT=1: this test may not skip here ({reason})"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """Each test session gets its own PostgreSQL test database, test_<name>_<pid>: several
    sessions on one server (engineers working at once, CI jobs) would otherwise create,
    use and drop the same test_<name> under each other."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"].endswith("postgresql"):
            test = db.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{os.getpid()}"


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
def world(db):
    """A small court shaped like 西城 with the catalog, the calendar and triage rules."""
    from tests.world import build_world

    return build_world()


@pytest.fixture
def committed_world(transactional_db):
    """The same court, committed, for tests where several connections or processes work at once."""
    from tests.world import build_world

    return build_world()


@pytest.fixture(scope="session")
def chromium():
    """The system's Chromium through Playwright (no browser download: court networks are
    closed). Session-wide; each test gets its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
