"""Chinese (the default) is complete: every English msgid has a translation, the compiled
catalogue matches the source, and no translatable string in the code is missing."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path: Path) -> dict[str, str]:
    """msgid → msgstr (msgstr[0] for plurals), with the fuzzy flag kept as a marker."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if msgid is None:
            continue
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if not key:
            continue
        msgstr = re.search(r"^msgstr(?:\[0\])? ((?:\".*\"\n?)+)", block, re.M)
        value = "".join(re.findall(r'"(.*)"', msgstr.group(1))) if msgstr else ""
        if "#, fuzzy" in block or ", fuzzy" in block:
            value = ""
        entries[_unescape(key)] = _unescape(value)
    return entries


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def test_every_message_is_translated():
    entries = parse_po(PO)
    assert len(entries) > 100
    missing = [k for k, v in entries.items() if not v]
    assert missing == []


def test_placeholders_survive_translation():
    for msgid, msgstr in parse_po(PO).items():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(
            re.findall(r"%\(\w+\)s", msgstr)
        ), msgid


def test_compiled_catalogue_matches_the_source():
    """The .mo in the repository is current, so a machine without gettext reads Chinese."""
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    for msgid, msgstr in parse_po(PO).items():
        assert catalogue.gettext(msgid) == msgstr, msgid


def test_no_translatable_string_is_missing_from_the_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("needs GNU gettext (xgettext) to extract strings: apt-get install gettext")
    for name in ["courtflow", "teams", "cases", "nodes", "assessment", "templates"]:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("tests", "__pycache__")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v0"],
        cwd=tmp_path,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "courtflow.settings_test",
            "COURTFLOW_VAR_DIR": str(tmp_path / "var"),
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        },
    )
    extracted = set(parse_po(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = sorted(extracted - set(parse_po(PO)))
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:10])


def test_translations_are_marked_with_names_the_extractor_knows():
    """makemessages only finds gettext, gettext_lazy, ngettext… and ``_``: a string marked
    with another alias (``gettext_lazy as _lazy``) is silently left in English."""
    alias = re.compile(r"import .*\b(?:n|p|np)?gettext(?:_lazy|_noop)? as (?!_\b)(\w+)")
    offenders = []
    for name in ["courtflow", "teams", "cases", "nodes", "assessment"]:
        for path in (ROOT / name).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if alias.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []
