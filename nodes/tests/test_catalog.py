"""The node catalog: the shipped file's 210 nodes, the loader's versions, refusals naming the
file line, court adjustments, and the catalog API and page."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from courtflow.errors import InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from nodes import services
from nodes.catalog_file import COLUMNS, parse_catalog
from nodes.models import CatalogVersion, NodeDefinition, NodeSetting
from nodes.vocab import EVENTS, GATES, VERIFIED_STATUSES
from teams.roles import Role
from teams.tests.factories import PersonFactory

CATALOG = Path(__file__).resolve().parents[1] / "catalog" / "nodes.csv"

# The split proposed in §11 of the facts sheet (legal-time-limits.md).
EXPECTED_SPREAD = {
    "filing": (14, 10),
    "civil_first": (22, 22),
    "criminal_first": (15, 15),
    "admin_first": (9, 9),
    "second_instance": (12, 14),
    "retrial": (6, 6),
    "enforcement": (20, 18),
    "publication": (6, 4),
    "supervision": (3, 5),
}


def row(**over) -> dict:
    base = {
        "code": "CIV-ORD-SERVE",
        "name_zh": "送达起诉状副本",
        "name_en": "Serve the complaint copy",
        "phase": "civil_first",
        "procedures": "civil_ordinary civil_simple",
        "level": "important",
        "opens_on": "case_filed",
        "closes_on": "complaint_copy_served",
        "condition": "",
        "amount": "5",
        "unit": "days",
        "counting": "calendar",
        "prompt_lead": "2d",
        "warning_lead": "1d",
        "owner_role": "service_staff",
        "gates": "",
        "on_trial_clock": "no",
        "party_side": "no",
        "basis_zh": "《民事诉讼法》第一百二十八条",
        "basis_en": "Civil Procedure Law (2023) art 128",
        "basis_status": "verified",
        "note": "",
    }
    base.update(over)
    return base


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# --- the shipped catalog -----------------------------------------------------------


def test_the_shipped_catalog_has_210_nodes_107_general_103_important():
    specs = parse_catalog(CATALOG.read_bytes())
    levels = Counter(s.level for s in specs)
    assert len(specs) == 210
    assert levels == {"general": 107, "important": 103}


def test_the_shipped_catalog_spreads_over_the_phases_as_proposed():
    specs = parse_catalog(CATALOG.read_bytes())
    spread = Counter((s.phase, s.level) for s in specs)
    for phase, (general, important) in EXPECTED_SPREAD.items():
        assert (spread[(phase, "general")], spread[(phase, "important")]) == (general, important), (
            phase
        )


def test_every_important_node_cites_a_verified_basis():
    for spec in parse_catalog(CATALOG.read_bytes()):
        if spec.level == "important":
            assert spec.basis_status in VERIFIED_STATUSES, spec.code
            assert spec.basis_zh and spec.basis_en, spec.code


def test_the_seed_rules_are_in_the_catalog():
    specs = parse_catalog(CATALOG.read_bytes())
    hearing_date = [
        s
        for s in specs
        if "civil_simple" in s.procedures
        and s.opens_on == "case_filed"
        and "hearing_scheduled" in s.closes_on
    ]
    assert hearing_date and hearing_date[0].amount == 7 and hearing_date[0].unit == "days"
    assert hearing_date[0].level == "important"
    online = [
        s for s in specs if s.opens_on == "judgment_effective" and "published_online" in s.closes_on
    ]
    assert online and (online[0].amount, online[0].unit, online[0].level) == (
        7,
        "working_days",
        "important",
    )
    streamed = [
        s for s in specs if "hearing_streamed" in s.closes_on and s.condition == "stream_required"
    ]
    assert streamed and streamed[0].level == "important"


def test_catalog_vocabulary_is_used_consistently():
    for spec in parse_catalog(CATALOG.read_bytes()):
        assert spec.opens_on in EVENTS and all(e in EVENTS for e in spec.closes_on)
        assert not spec.gates or spec.gates in GATES


@pytest.mark.django_db
def test_catalog_load_on_a_fresh_database_and_again():
    call_command("catalog_load")
    version = CatalogVersion.objects.get(is_current=True)
    assert (version.node_count, version.general_count, version.important_count) == (210, 107, 103)
    assert NodeDefinition.objects.filter(version=version).count() == 210
    call_command("catalog_load")
    assert CatalogVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="catalog.loaded").count() == 1


# --- the loader ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_kept():
    v1, created = services.catalog_load(actor=None, data=csv_bytes([row()]), source_name="a.csv")
    assert created and v1.number == 1
    v2, created = services.catalog_load(
        actor=None, data=csv_bytes([row(), row(code="CIV-ORD-ANSWER")]), source_name="a.csv"
    )
    assert created and v2.number == 2 and v2.is_current
    v1.refresh_from_db()
    assert not v1.is_current and v1.nodes.count() == 1  # cases opened under v1 keep its nodes
    back, created = services.catalog_load(actor=None, data=csv_bytes([row()]), source_name="a.csv")
    assert back == v1 and not created and CatalogVersion.objects.get(is_current=True) == v1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rows,line,needle",
    [
        ([row(), row()], 3, "duplicate code CIV-ORD-SERVE (first on line 2)"),
        ([row(name_zh="")], 2, "missing name_zh"),
        ([row(basis_status="from_memory")], 2, "important node must cite a verified basis"),
        ([row(unit="weeks")], 2, "unknown unit"),
        ([row(opens_on="moon_rises")], 2, "unknown opening event"),
        ([row(level="general", gates="close")], 2, "only an important node may gate"),
        ([row(warning_lead="3d", prompt_lead="1d")], 2, "warning_lead ≤ prompt_lead"),
        ([row(amount="-3")], 2, "out of range"),
        ([row(party_side="yes")], 2, "a party-side period is a general node"),
        ([row(party_side="maybe")], 2, "party_side is yes or no"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line_and_the_good_version_stays(rows, line, needle):
    good, _ = services.catalog_load(
        actor=None, data=csv_bytes([row(code="FIL-GOOD")]), source_name="good.csv"
    )
    with pytest.raises(InvalidInput) as exc:
        services.catalog_load(actor=None, data=csv_bytes(rows), source_name="bad.csv")
    errors = exc.value.detail["errors"]
    assert any(e["line"] == line and needle in e["message"] for e in errors), errors
    assert f"bad.csv:{line}" in str(exc.value.message)
    assert CatalogVersion.objects.get(is_current=True) == good
    assert CatalogVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_column_and_a_non_utf8_file_are_refused():
    text = csv_bytes([row()]).decode().replace("basis_status,", "", 1)
    with pytest.raises(InvalidInput, match="missing columns: basis_status"):
        services.catalog_load(actor=None, data=text.encode(), source_name="x.csv")
    with pytest.raises(InvalidInput, match="UTF-8"):
        services.catalog_load(
            actor=None, data="code\n".encode("gbk") + b"\xff\xfe", source_name="x.csv"
        )


@pytest.mark.django_db
def test_catalog_load_command_reports_lines(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(), row()]))
    with pytest.raises(CommandError, match=r"bad\.csv:3: duplicate code"):
        call_command("catalog_load", str(bad))


# --- court adjustments -------------------------------------------------------------


@pytest.mark.django_db
def test_a_trial_manager_switches_a_node_off_and_changes_leads_for_their_court():
    services.catalog_load(actor=None, data=csv_bytes([row()]), source_name="a.csv")
    manager = PersonFactory(role=Role.TRIAL_MANAGER)
    with pytest.raises(InvalidInput, match=r"reason|理由"):
        services.node_setting_set(
            actor=manager.user, court=manager.court, code="CIV-ORD-SERVE", enabled=False
        )
    setting = services.node_setting_set(
        actor=manager.user,
        court=manager.court,
        code="CIV-ORD-SERVE",
        enabled=False,
        reason="本院由集约送达中心统一送达",
    )
    assert setting.enabled is False
    services.node_setting_set(
        actor=manager.user,
        court=manager.court,
        code="CIV-ORD-SERVE",
        prompt_lead_hours=72,
        warning_lead_hours=24,
    )
    with pytest.raises(InvalidInput):
        services.node_setting_set(
            actor=manager.user,
            court=manager.court,
            code="CIV-ORD-SERVE",
            prompt_lead_hours=1,
            warning_lead_hours=24,
        )
    assert AuditEvent.objects.filter(action="node_setting.changed").count() == 2
    judge = PersonFactory(court=manager.court, role=Role.JUDGE)
    with pytest.raises(NotAllowed):
        services.node_setting_set(
            actor=judge.user, court=manager.court, code="CIV-ORD-SERVE", enabled=False, reason="x"
        )
    assert NodeSetting.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_shows_the_catalog_read_only():
    services.catalog_load(actor=None, data=csv_bytes([row()]), source_name="a.csv")
    manager = PersonFactory(role=Role.TRIAL_MANAGER)
    client = Client()
    client.force_login(manager.user)
    page = client.get("/admin/nodes/nodedefinition/?level__exact=important").content.decode()
    assert "CIV-ORD-SERVE" in page
    node = NodeDefinition.objects.get()
    resp = client.post(f"/admin/nodes/nodedefinition/{node.pk}/change/", {"basis_zh": "篡改"})
    assert resp.status_code == 403
    node.refresh_from_db()
    assert node.basis_zh == "《民事诉讼法》第一百二十八条"


# --- API and page --------------------------------------------------------------------


@pytest.fixture
def loaded(db):
    call_command("catalog_load")
    call_command("calendar_seed")


def api(role=Role.JUDGE) -> APIClient:
    client = APIClient()
    client.force_authenticate(PersonFactory(role=role).user)
    return client


def test_catalog_api_filters_and_counts(loaded):
    body = api().get("/api/nodes/catalog/").json()
    assert body["count"] == 210 and len(body["results"]) == 210 and body["version"] == 1
    item = body["results"][0]
    for key in (
        "code",
        "name_zh",
        "name_en",
        "phase",
        "procedures",
        "level",
        "period",
        "counting",
        "owner_role",
        "legal_basis",
        "basis_status",
    ):
        assert key in item
    body = api().get("/api/nodes/catalog/?phase=civil_first&level=important").json()
    assert body["count"] == 22 and {n["level"] for n in body["results"]} == {"important"}
    body = api().get("/api/nodes/catalog/?procedure=civil_simple").json()
    assert body["count"] > 0 and all("civil_simple" in n["procedures"] for n in body["results"])
    resp = api().get("/api/nodes/catalog/?phase=moon")
    assert resp.status_code == 400 and "phase" in resp.json()["detail"]


def test_due_api_answers_with_an_explanation(loaded):
    resp = api().get(
        "/api/calendar/due/", {"anchor": "2026-09-22T10:00:00+08:00", "amount": 15, "unit": "days"}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["due_at"] == "2026-10-09T00:00:00+08:00"
    assert body["last_day"] == "2026-10-08" and body["provisional"] is False
    assert any("2026-10-07" in line for line in body["explanation"])
    body = (
        api()
        .get("/api/calendar/due/", {"anchor": "2026-12-20", "amount": 15, "unit": "days"})
        .json()
    )
    assert body["provisional"] is True
    body = (
        api()
        .get(
            "/api/calendar/due/",
            {"anchor": "2026-02-10T09:00", "amount": 7, "unit": "days", "custody": "true"},
        )
        .json()
    )
    assert body["last_day"] == "2026-02-17"


@pytest.mark.parametrize(
    "params,field",
    [
        ({"anchor": "2026-09-22", "amount": 15, "unit": "fortnights"}, "unit"),
        ({"anchor": "2026-09-22", "amount": -1, "unit": "days"}, "amount"),
        ({"anchor": "2026-09-22", "amount": 10**7, "unit": "days"}, "amount"),
        ({"anchor": "2026-09-22", "amount": "ten", "unit": "days"}, "amount"),
        ({"anchor": "yesterday", "amount": 1, "unit": "days"}, "anchor"),
        ({"anchor": "2026-02-30T10:00", "amount": 1, "unit": "days"}, "anchor"),
        ({"anchor": "1850-01-01", "amount": 1, "unit": "days"}, "anchor"),
        ({"amount": 1, "unit": "days"}, "anchor"),
    ],
)
def test_due_api_rejects_bad_input_with_400_naming_the_parameter(loaded, params, field):
    resp = api().get("/api/calendar/due/", params)
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid" and field in body["detail"]


def test_catalog_page_shows_counts_filters_and_bases(loaded):
    client = Client()
    client.force_login(PersonFactory(role=Role.TRIAL_MANAGER).user)
    page = client.get("/nodes/catalog/").content.decode()
    assert "210" in page and "107" in page and "103" in page
    assert "民事诉讼法" in page and 'id="due-form"' in page
    page = client.get("/nodes/catalog/?phase=publication&level=important").content.decode()
    assert 'id="shown-count"' in page and "4" in page
    page = client.get("/nodes/catalog/", headers={"accept-language": "en"}).content.decode()
    assert "Civil Procedure Law" in page
