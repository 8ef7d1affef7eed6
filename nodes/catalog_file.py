"""Reading and checking the node catalog file (nodes/catalog/nodes.csv). Pure: no database.

Every problem is reported with its file line, and a file with any problem is refused as a
whole, so a bad file never replaces a good catalog version. Run it by hand with
``python -m nodes.catalog_file nodes/catalog/nodes.csv`` to see the errors and the counts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass

from .vocab import (
    CONDITIONS,
    EVENTS,
    GATES,
    OWNER_ROLES,
    VERIFIED_STATUSES,
    BasisStatus,
    Counting,
    Level,
    Phase,
    Procedure,
    Unit,
)

COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "phase",
    "procedures",
    "level",
    "opens_on",
    "closes_on",
    "condition",
    "amount",
    "unit",
    "counting",
    "prompt_lead",
    "warning_lead",
    "owner_role",
    "gates",
    "on_trial_clock",
    "party_side",
    "basis_zh",
    "basis_en",
    "basis_status",
    "note",
]
REQUIRED = [c for c in COLUMNS if c not in ("gates", "note", "condition")]
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+){1,6}$")
LEAD_RE = re.compile(r"^(\d{1,4})([hd])$|^0$")
MAX_AMOUNT = {Unit.HOURS: 720, Unit.DAYS: 3650, Unit.WORKING_DAYS: 365, Unit.MONTHS: 120}
APPROX_HOURS = {Unit.HOURS: 1, Unit.DAYS: 24, Unit.WORKING_DAYS: 24, Unit.MONTHS: 28 * 24}
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class NodeSpec:
    """One catalog row, checked."""

    line: int
    code: str
    name_zh: str
    name_en: str
    phase: str
    procedures: tuple[str, ...]
    level: str
    opens_on: str
    closes_on: tuple[str, ...]
    condition: str
    amount: int
    unit: str
    counting: str
    prompt_lead_hours: int
    warning_lead_hours: int
    owner_role: str
    gates: str
    on_trial_clock: bool
    party_side: bool
    basis_zh: str
    basis_en: str
    basis_status: str
    note: str


class CatalogFileError(Exception):
    """The file was refused; ``errors`` lists (line, message) pairs."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"line {line}: {msg}" for line, msg in errors[:20]))


def digest(data: bytes) -> str:
    """The version fingerprint of a catalog file: the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def _lead_hours(value: str) -> int | None:
    m = LEAD_RE.match(value)
    if m is None:
        return None
    if value == "0":
        return 0
    n, unit = int(m.group(1)), m.group(2)
    return n * 24 if unit == "d" else n


def parse_catalog(data: bytes) -> list[NodeSpec]:
    """Parse and check a catalog file; raise CatalogFileError listing every problem."""
    if len(data) > MAX_FILE_BYTES:
        raise CatalogFileError([(0, f"the file is larger than {MAX_FILE_BYTES // 1024} KB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogFileError([(0, f"the file is not UTF-8 text ({exc.reason})")]) from exc
    if "\x00" in text:
        raise CatalogFileError([(0, "the file contains NUL characters")])
    reader = csv.reader(io.StringIO(text))
    errors: list[tuple[int, str]] = []
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogFileError([(1, "the file is empty")]) from None
    header = [h.strip() for h in header]
    if header != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        extra = [c for c in header if c not in COLUMNS]
        detail = []
        if missing:
            detail.append("missing columns: " + ", ".join(missing))
        if extra:
            detail.append("unknown columns: " + ", ".join(extra))
        if not detail:
            detail.append("columns must be in this order: " + ",".join(COLUMNS))
        raise CatalogFileError([(1, "; ".join(detail))])

    specs: list[NodeSpec] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            errors.append((line, f"expected {len(COLUMNS)} fields, found {len(row)}"))
            continue
        rec = {k: v.strip() for k, v in zip(COLUMNS, row, strict=True)}
        row_errors: list[str] = [f"missing {name}" for name in REQUIRED if not rec[name]]
        if row_errors:
            errors.extend((line, e) for e in row_errors)
            continue
        code = rec["code"]
        if not CODE_RE.match(code):
            row_errors.append(
                f"code {code!r} must look like CIV-SERVE-COMPLAINT (capitals, digits, dashes)"
            )
        if code in seen:
            row_errors.append(f"duplicate code {code} (first on line {seen[code]})")
        else:
            seen[code] = line
        if rec["phase"] not in Phase.values:
            row_errors.append(f"unknown phase {rec['phase']!r}")
        procedures = tuple(rec["procedures"].split())
        bad = [p for p in procedures if p not in Procedure.values]
        if bad:
            row_errors.append("unknown procedures: " + ", ".join(bad))
        if len(set(procedures)) != len(procedures):
            row_errors.append("a procedure is listed twice")
        if rec["level"] not in Level.values:
            row_errors.append(f"unknown level {rec['level']!r}")
        if rec["opens_on"] not in EVENTS:
            row_errors.append(f"unknown opening event {rec['opens_on']!r}")
        closes_on = tuple(rec["closes_on"].split())
        bad = [e for e in closes_on if e not in EVENTS]
        if bad:
            row_errors.append("unknown closing events: " + ", ".join(bad))
        if rec["condition"] and rec["condition"] not in CONDITIONS:
            row_errors.append(f"unknown condition {rec['condition']!r}")
        unit, counting = rec["unit"], rec["counting"]
        if unit not in Unit.values:
            row_errors.append(f"unknown unit {unit!r} (hours, days, working_days, months)")
        if counting not in Counting.values:
            row_errors.append(f"unknown counting rule {counting!r}")
        if (unit == Unit.WORKING_DAYS) != (counting == Counting.WORKING):
            row_errors.append("working_days go with the working counting rule, and only they do")
        if counting == Counting.BEFORE and unit not in (Unit.DAYS, Unit.HOURS):
            row_errors.append("a 'before' period is counted in days or hours")
        amount = 0
        try:
            amount = int(rec["amount"])
        except ValueError:
            row_errors.append(f"amount {rec['amount']!r} is not a whole number")
        else:
            if amount < 1 or (unit in MAX_AMOUNT and amount > MAX_AMOUNT[unit]):
                row_errors.append(f"amount {amount} is out of range for {unit}")
        prompt = _lead_hours(rec["prompt_lead"])
        warning = _lead_hours(rec["warning_lead"])
        if prompt is None:
            row_errors.append(f"prompt_lead {rec['prompt_lead']!r} must be like 3d, 12h or 0")
        if warning is None:
            row_errors.append(f"warning_lead {rec['warning_lead']!r} must be like 1d, 6h or 0")
        if prompt is not None and warning is not None:
            if warning > prompt:
                row_errors.append("the warning comes after the prompt: warning_lead ≤ prompt_lead")
            if (
                unit in APPROX_HOURS
                and amount
                and counting != Counting.BEFORE
                and prompt > amount * APPROX_HOURS[unit]
            ):
                row_errors.append("prompt_lead is longer than the period itself")
        if rec["owner_role"] not in OWNER_ROLES:
            row_errors.append(f"unknown owner role {rec['owner_role']!r}")
        if rec["gates"]:
            if rec["gates"] not in GATES:
                row_errors.append(f"unknown gated transition {rec['gates']!r}")
            if rec["level"] != Level.IMPORTANT:
                row_errors.append("only an important node may gate a transition (设卡)")
        if rec["on_trial_clock"] not in ("yes", "no"):
            row_errors.append("on_trial_clock is yes or no")
        if rec["party_side"] not in ("yes", "no"):
            row_errors.append("party_side is yes or no")
        elif rec["party_side"] == "yes" and rec["level"] == Level.IMPORTANT:
            row_errors.append("a party-side period is a general node (it never locks a case)")
        if rec["basis_status"] not in BasisStatus.values:
            row_errors.append(f"unknown basis status {rec['basis_status']!r}")
        elif rec["level"] == Level.IMPORTANT and rec["basis_status"] not in VERIFIED_STATUSES:
            row_errors.append("an important node must cite a verified basis")
        if row_errors:
            errors.extend((line, e) for e in row_errors)
            continue
        specs.append(
            NodeSpec(
                line=line,
                code=code,
                name_zh=rec["name_zh"],
                name_en=rec["name_en"],
                phase=rec["phase"],
                procedures=procedures,
                level=rec["level"],
                opens_on=rec["opens_on"],
                closes_on=closes_on,
                condition=rec["condition"],
                amount=amount,
                unit=unit,
                counting=counting,
                prompt_lead_hours=prompt or 0,
                warning_lead_hours=warning or 0,
                owner_role=rec["owner_role"],
                gates=rec["gates"],
                on_trial_clock=rec["on_trial_clock"] == "yes",
                party_side=rec["party_side"] == "yes",
                basis_zh=rec["basis_zh"],
                basis_en=rec["basis_en"],
                basis_status=rec["basis_status"],
                note=rec["note"],
            )
        )
    if errors:
        raise CatalogFileError(errors)
    if not specs:
        raise CatalogFileError([(2, "the file has no nodes")])
    return specs


def counts(specs: list[NodeSpec]) -> dict[tuple[str, str], int]:
    """Nodes per (phase, level)."""
    return dict(Counter((s.phase, s.level) for s in specs))


if __name__ == "__main__":  # pragma: no cover - a hand tool for catalog authors
    import sys

    path = sys.argv[1] if len(sys.argv) > 1 else "nodes/catalog/nodes.csv"
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        parsed = parse_catalog(raw)
    except CatalogFileError as exc:
        for ln, msg in exc.errors:
            print(f"{path}:{ln}: {msg}")
        sys.exit(1)
    table = counts(parsed)
    total = Counter(s.level for s in parsed)
    for phase in Phase.values:
        g, i = table.get((phase, "general"), 0), table.get((phase, "important"), 0)
        print(f"{phase:16} general {g:3}  important {i:3}  total {g + i:3}")
    print(
        f"{'TOTAL':16} general {total['general']:3}  important {total['important']:3}  total {len(parsed)}"
    )
