"""Every audit action the code writes has a readable name in both languages: the case
timeline and the audit admin never show a raw code such as ``case.triage_confirmed``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from courtflow.labels import action_label

ROOT = Path(__file__).resolve().parent.parent
ACTION = re.compile(r'"([a-z_]+\.[a-z_]+(?:\.[a-z_]+)?)"')


def written_actions() -> set[str]:
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "var", "bench"} or "tests" in parts or "migrations" in parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if "action" in line:  # action="…", "… if … else …" and the sweep's SQL
                found.update(ACTION.findall(line))
    return found


def test_the_scan_finds_the_actions():
    actions = written_actions()
    assert {"case.locked", "case.triage_confirmed", "team.created"} <= actions


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_written_action_has_a_label(lang):
    with translation.override(lang):
        raw = sorted(a for a in written_actions() if action_label(a) == a)
    assert raw == []


def test_labels_read_in_each_language():
    with translation.override("zh-hans"):
        assert action_label("case.triage_confirmed") == "确认繁简分流"
        assert action_label("approval.requested.unlock") == "申请：解锁"
    with translation.override("en"):
        assert action_label("case.triage_confirmed") == "Triage confirmed"
