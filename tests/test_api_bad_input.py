"""Bad input on the main write endpoints: malformed JSON, an array for an object, wrong types,
a 1 MB string, NUL characters, unknown fields, absurd numbers and dates, bodies that are not
JSON. Each answers a 4xx with {"code", "message", "detail"} in the request's language, names
the field where there is one, and writes nothing: no row and no audit event.

The same file runs on SQLite and on PostgreSQL (CI runs the suite on both); NUL characters
matter most on PostgreSQL, whose text columns cannot hold them."""

from __future__ import annotations

import json
import re
from functools import partial

import pytest
from django.test import Client

from cases.models import Approval, Case, Hearing, Party
from cases.tests.helpers import register, triage_and_assign
from courtflow.models import AuditEvent
from nodes.models import NodeInstance
from teams.models import Courtroom

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
# New messages, in English until the translator adds them to locale/ (tests/test_i18n.py holds
# that every msgid is translated); any other refusal must already read in Chinese.
MEGABYTE = "案" * (1024 * 1024 // 3 + 1)  # a 1 MB string in UTF-8
dumps = partial(json.dumps, ensure_ascii=False)
GOOD_PARTIES = [{"name": "张三", "role": "plaintiff"}, {"name": "李四", "role": "defendant"}]


@pytest.fixture
def case(world):
    return triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="2000000"), "complex"
    )


def client_for(user, language: str = "zh-hans") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Case, Party, Approval, Hearing, NodeInstance, AuditEvent)
    }


def _approval(case) -> Approval:
    from django.db import transaction

    from cases.services import approval_request

    existing = Approval.objects.filter(case=case).first()
    if existing:
        return existing
    with transaction.atomic():
        return approval_request(
            actor=case.judge.user,
            case=case,
            kind="extension",
            reason="案情复杂",
            payload={"months": 1},
        )


def endpoints(world, case) -> dict[str, dict]:
    """Each write endpoint: who calls it, where, a body it accepts, its text, number and
    date fields (None where it has none)."""
    judge = case.judge.user
    return {
        "register": {
            "user": world.user("registrar"),
            "url": "/api/cases/",
            "body": {"procedure": "civil_simple", "cause": "买卖合同纠纷", "parties": GOOD_PARTIES},
            "text": "cause",
            "number": ("claim_amount", -1),
            "date": "filed_at",
        },
        "node completion (event)": {
            "user": judge,
            "url": f"/api/cases/{case.pk}/actions/",
            "body": {"action": "event:defence_received", "reason": "答辩状已收到"},
            "text": "reason",
            "number": None,
            "date": "at",
        },
        "unlock": {
            "user": case.division.head.user,
            "url": f"/api/cases/{case.pk}/unlock/",
            "body": {"reason": "补排期", "new_due_at": "2030-01-10T00:00:00+08:00"},
            "text": "reason",
            "number": None,
            "date": "new_due_at",
        },
        "approval request": {
            "user": judge,
            "url": "/api/approvals/",
            "body": {
                "case": case.pk,
                "kind": "extension",
                "reason": "案情复杂",
                "payload": {"months": 1},
            },
            "text": "reason",
            "number": ("case", 10**30),
            "date": None,
        },
        "approval decision": {
            "user": world.user("president"),
            # made when first used, so that the request above can be tested on its own
            "url": lambda: f"/api/approvals/{_approval(case).pk}/decide/",
            "body": {"approve": True, "reason": "同意延长", "external_reference": "2026-延-1"},
            "text": "reason",
            "number": None,
            "date": "new_due_at",
        },
        "hearing": {
            "user": judge,
            "url": f"/api/cases/{case.pk}/hearings/",
            "body": {
                "starts_at": "2030-03-04T09:00:00+08:00",
                "ends_at": "2030-03-04T11:00:00+08:00",
                "courtroom": Courtroom.objects.filter(court=world.court).first().pk,
            },
            "text": None,
            "number": ("clerk", -(10**30)),
            "date": "starts_at",
        },
    }


def bad_bodies(spec: dict) -> list[tuple[str, str, str, str | None]]:
    """(label, raw body, content type, the field the answer must name)."""
    good = spec["body"]
    out = [
        ("malformed JSON", dumps(good)[:-3], "application/json", None),
        ("array instead of object", dumps([good]), "application/json", None),
        ("unknown field", dumps({**good, "reasno": "x"}), "application/json", "reasno"),
        ("text/plain", dumps(good), "text/plain", None),
        ("form", "a=1&b=2", "application/x-www-form-urlencoded", None),
        (
            "multipart",
            '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
            "multipart/form-data; boundary=x",
            None,
        ),
    ]
    for name, value in good.items():
        wrong_type = {"x": 1} if isinstance(value, str | list) else ["abc"]
        out.append(
            (
                f"wrong type for {name}",
                dumps({**good, name: wrong_type}),
                "application/json",
                name,
            )
        )
    if spec["text"]:
        name = spec["text"]
        out.append(("1 MB string", dumps({**good, name: MEGABYTE}), "application/json", name))
        out.append(("NUL", dumps({**good, name: "答辩\x00状"}), "application/json", name))
    if spec["number"]:
        name, absurd = spec["number"]
        out.append(("absurd number", dumps({**good, name: absurd}), "application/json", name))
        raw = dumps({**good, name: 1}).replace(f'"{name}": 1', f'"{name}": 1e400')
        out.append(("infinite number", raw, "application/json", None))
    if spec["date"]:
        name = spec["date"]
        for when in ("9999-12-31T09:00:00+08:00", "1900-01-01T09:00:00+08:00", "2030-02-30"):
            out.append((f"date {when}", dumps({**good, name: when}), "application/json", name))
    return out


def _assert_refused(resp, label, field):
    assert 400 <= resp.status_code < 500, (label, resp.status_code, resp.content[:300])
    body = resp.json()
    assert set(body) == {"code", "message", "detail"}, (label, body)
    # zh-hans was asked for
    assert CJK.search(body["message"]), (label, body)
    if field is not None:
        assert body["code"] == "invalid" and field in json.dumps(body["detail"]), (label, body)
    return body


@pytest.mark.parametrize(
    "endpoint",
    [
        "register",
        "node completion (event)",
        "unlock",
        "approval request",
        "approval decision",
        "hearing",
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(world, case, endpoint):
    spec = endpoints(world, case)[endpoint]
    client = client_for(spec["user"])
    url = spec["url"]() if callable(spec["url"]) else spec["url"]
    before = counts()
    codes = {}
    for label, raw, content_type, field in bad_bodies(spec):
        resp = client.generic("POST", url, raw.encode(), content_type=content_type)
        codes[label] = _assert_refused(resp, label, field)["code"]
        assert counts() == before, label
    assert codes["malformed JSON"] == "parse_error"
    assert codes["text/plain"] == codes["multipart"] == "unsupported_media_type"


def test_the_good_bodies_are_accepted_so_the_refusals_above_are_about_the_input(world, case):
    specs = endpoints(world, case)
    for name in ("register", "approval request", "approval decision", "hearing"):
        spec = specs[name]
        url = spec["url"]() if callable(spec["url"]) else spec["url"]
        resp = client_for(spec["user"]).post(url, spec["body"], content_type="application/json")
        assert resp.status_code in (200, 201), (name, resp.content[:300])


def test_nul_characters_deep_in_free_form_data_are_refused(world, case):
    judge = client_for(case.judge.user)
    before = counts()
    for payload in ({"months": "1\x00"}, {"note\x00": 1}, {"list": [{"x": "\x00"}]}):
        resp = judge.post(
            "/api/approvals/",
            {"case": case.pk, "kind": "extension", "reason": "x", "payload": payload},
            content_type="application/json",
        )
        body = _assert_refused(resp, payload, "payload")
        assert resp.status_code == 400 and body["detail"]["payload"]
    resp = judge.post(
        "/api/approvals/",
        {"case": case.pk, "kind": "extension", "reason": "x", "payload": {"months": 1e400}},
        content_type="application/json",
    )
    assert _assert_refused(resp, "1e400 in payload", None)["code"] == "parse_error"
    resp = judge.post(
        "/api/approvals/",
        {"case": case.pk, "kind": "extension", "reason": "x", "payload": {"x": "y" * 20_000}},
        content_type="application/json",
    )
    _assert_refused(resp, "20,000 characters of payload", "payload")
    assert counts() == before


def test_unknown_fields_inside_a_party_are_named(world):
    resp = client_for(world.user("registrar"), "en").post(
        "/api/cases/",
        {
            "procedure": "civil_simple",
            "cause": "买卖合同纠纷",
            "parties": [{"name": "张三", "role": "plaintiff", "idnumber": "1"}, GOOD_PARTIES[1]],
        },
        content_type="application/json",
    )
    assert resp.status_code == 400
    body = resp.json()
    assert body["message"] == "The input is not valid."
    assert "idnumber" in body["detail"]["parties"]["0"]
    assert not Case.objects.exists()


def test_english_when_english_is_asked_for(world):
    resp = client_for(world.user("registrar"), "en").generic(
        "POST", "/api/cases/", b"{not json", content_type="application/json"
    )
    assert resp.status_code == 400 and resp.json()["code"] == "parse_error"
    assert resp.json()["message"] == "The body is not valid JSON."
    assert resp.json()["detail"]["parser"].startswith("JSON parse error")


def test_a_body_over_the_size_limit_is_a_400_with_the_error_body(world, settings):
    resp = client_for(world.user("registrar")).generic(
        "POST",
        "/api/cases/",
        json.dumps({"cause": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}).encode(),
        content_type="application/json",
    )
    body = _assert_refused(resp, "too large", None)
    assert resp.status_code == 400 and body["code"] == "too_large"
    assert not Case.objects.exists()


def test_path_ids_that_name_nothing_answer_404_with_the_error_body(world):
    client = client_for(world.user("president"))
    for url in ("/api/cases/abc/", "/api/cases/99999999999999999999999/", "/api/nowhere/"):
        resp = client.get(url)
        assert resp.status_code == 404, url
        assert set(resp.json()) == {"code", "message", "detail"}
