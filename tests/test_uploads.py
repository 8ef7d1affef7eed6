"""Uploads through the administration (the court calendar's State Council schedule and the
node catalog): limited in size and type, refused with a clear message, nothing written."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from courtflow.models import AuditEvent
from nodes.models import CalendarDay, CatalogVersion

pytestmark = pytest.mark.django_db

CALENDAR_URL = "/admin/nodes/calendarday/import/"
CATALOG_URL = "/admin/nodes/catalogversion/load/"
CATALOG = Path(__file__).resolve().parents[1] / "nodes" / "catalog" / "nodes.csv"
SCHEDULE = "date,is_workday,name\n2031-01-01,0,元旦\n2031-10-01,0,国庆节\n2031-09-28,1,调休上班\n"


@pytest.fixture
def manager(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.user("trialmgr"))
    return client


def upload(client, url, content: bytes, name: str = "schedule.csv", **fields):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **fields})


def state() -> tuple[int, int, int]:
    """What an upload could change: calendar days, catalog versions, audit events."""
    return CalendarDay.objects.count(), CatalogVersion.objects.count(), AuditEvent.objects.count()


def test_a_trial_manager_imports_a_schedule_from_the_calendar_list(manager):
    listing = manager.get("/admin/nodes/calendarday/").content.decode()
    assert CALENDAR_URL in listing and "Import the State Council schedule" in listing
    page = manager.get(CALENDAR_URL).content.decode()
    assert 'enctype="multipart/form-data"' in page and "256 KB" in page
    resp = upload(manager, CALENDAR_URL, SCHEDULE.encode("utf-8-sig"))
    assert resp.status_code == 302
    assert CalendarDay.objects.filter(date__year=2031).count() == 365
    assert not CalendarDay.objects.get(date="2031-10-01").is_workday
    assert CalendarDay.objects.get(date="2031-09-28").is_workday
    event = AuditEvent.objects.get(action="calendar.imported")
    assert event.source == "admin" and event.after["file"] == "schedule.csv"
    assert "2031" in manager.get("/admin/nodes/calendarday/").content.decode()


@pytest.mark.parametrize(
    "content,name,words",
    [
        (b"PK\x03\x04" + b"\x00" * 200, "schedule.csv", "Excel workbook"),
        (SCHEDULE.encode("gbk"), "schedule.csv", "not UTF-8 text (line 2)"),
        (b"2031-01-01,0,New Year\x00\n", "schedule.csv", "NUL bytes"),
        (b"2031-01-01,0,New\x07Year\n", "schedule.csv", "control characters"),
        (b"%PDF-1.7\n...", "schedule.csv", "not a text file"),
        (SCHEDULE.encode(), "schedule.xlsx", "Only .csv, .txt files are accepted"),
        (b"\n  \n", "schedule.csv", "The file is empty"),
        (("2031-01-01,0,x\n" * 20_000).encode(), "schedule.csv", "larger than 256 KB"),
    ],
    ids=["xlsx", "gbk", "nul", "control", "pdf", "extension", "empty", "too-large"],
)
def test_a_bad_schedule_file_is_refused_with_a_clear_message_and_nothing_written(
    manager, content, name, words
):
    before = state()
    resp = upload(manager, CALENDAR_URL, content, name)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert words in page and "The file was refused" in page
    assert state() == before


def test_a_file_past_the_upload_limit_is_refused_before_it_reaches_a_temporary_file(manager):
    """6 MB is past COURTFLOW_UPLOAD_MAX_BYTES (5 MB): the body is not kept anywhere."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    before = state()
    content = b"2031-01-01,0,x\n" * (6 * 1024 * 1024 // 15)
    with mock.patch.object(TemporaryFileUploadHandler, "new_file", autospec=True) as temporary:
        resp = upload(manager, CALENDAR_URL, content)
    assert resp.status_code == 400
    assert "larger than 256 KB" in resp.content.decode()
    temporary.assert_not_called()
    assert state() == before


def test_a_refusal_is_in_the_users_language(world):
    client = Client()  # Chinese by default
    client.force_login(world.user("trialmgr"))
    resp = upload(client, CALENDAR_URL, b"PK\x03\x04zip")
    assert resp.status_code == 400
    assert 'lang="zh-hans"' in resp.content.decode()


def test_the_schedule_a_year_already_confirmed_needs_replace(manager):
    upload(manager, CALENDAR_URL, SCHEDULE.encode())
    again = upload(manager, CALENDAR_URL, SCHEDULE.replace("国庆节", "国庆").encode())
    assert again.status_code == 400 and "replace" in again.content.decode()
    assert CalendarDay.objects.get(date="2031-10-01").name == "国庆节"
    replaced = upload(
        manager, CALENDAR_URL, SCHEDULE.replace("国庆节", "国庆").encode(), replace="on"
    )
    assert replaced.status_code == 302
    assert CalendarDay.objects.get(date="2031-10-01").name == "国庆"


def test_the_catalog_is_loaded_from_the_catalog_versions_list(manager):
    listing = manager.get("/admin/nodes/catalogversion/").content.decode()
    assert CATALOG_URL in listing
    current = CatalogVersion.objects.get(is_current=True)
    resp = upload(manager, CATALOG_URL, CATALOG.read_bytes(), "nodes.csv")
    assert resp.status_code == 302  # the same file: nothing changes
    assert CatalogVersion.objects.get(is_current=True) == current
    changed = CATALOG.read_text(encoding="utf-8").replace("\n", "\r\n").encode()
    resp = upload(manager, CATALOG_URL, changed, "nodes-2.csv", follow=True)
    new = CatalogVersion.objects.get(is_current=True)
    assert new != current and new.source_name == "nodes-2.csv"


def test_a_bad_catalog_file_is_refused_and_the_current_version_stays(manager):
    before = state()
    resp = upload(manager, CATALOG_URL, CATALOG.read_text().encode("utf-16"), "nodes.csv")
    assert resp.status_code == 400 and "not UTF-8" in resp.content.decode()
    resp = upload(manager, CATALOG_URL, b"code,name\nX,broken\n", "nodes.csv")
    assert resp.status_code == 400 and "The catalog file was refused" in resp.content.decode()
    assert state() == before


@pytest.mark.parametrize("username,status", [("divhead", 403), ("judge", 302)])
def test_only_calendar_and_catalog_managers_reach_the_upload_pages(world, username, status):
    client = Client()
    client.force_login(world.user(username))
    for url in (CALENDAR_URL, CATALOG_URL):
        days = CalendarDay.objects.count()
        resp = upload(client, url, SCHEDULE.encode())
        assert resp.status_code == status  # the judge is sent to the admin sign-in
        assert CalendarDay.objects.count() == days
