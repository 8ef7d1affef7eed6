"""The sweep's batch on PostgreSQL as one data-modifying statement.

The same decisions and the same rows as the portable batch in ``nodes.sweep`` (a test holds
the two to each other row for row, nodes/tests/test_sweep_sql.py), written by one statement:
pick the due instances (FOR UPDATE SKIP LOCKED, due-time order), lock their cases the same
way (a case busy in a service is skipped), classify each instance (prompt, warning, overdue,
lock, lapse), update the instances, lock the cases and refresh the next deadline of cases
whose party-side period lapsed (one UPDATE per table: PostgreSQL applies only one change
when a statement updates a row twice), insert the lock rows, sweep actions, notifications
(titles from the translated templates, deadlines in the court's zone as people say them)
and audit events, and return the counts.

Why one statement: the portable batch took 11 round trips and built every row in Python;
the naive per-object loop is latency-bound, and the issue asks the sweep to be 50× faster
than it, which on this machine means within about 1.06× of a single statement
(docs/benchmarks.md, "The deadline sweep"). Everything happens inside the batch's
transaction, so a crash still rolls the batch back whole, and the unique key per
instance × kind × round still makes a repeated action fail instead of happening twice.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import override

from courtflow.context import current_source
from nodes.periods import COURT_TZ

FAR = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
LIVE_SQL = "('open', 'overdue', 'locked')"

_PLACES = {"number": 1, "node": 2, "due": 3, "seq": 4}


def pg_format(template: str) -> str:
    """A Python %-template with named fields as a PostgreSQL ``format()`` string with
    positional ones (number, node, due, seq); ``%%`` means a percent sign in both."""

    def place(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%%"
        return f"%{_PLACES[match.group(1)]}$s"

    return re.sub(r"%%|%\((\w+)\)s", place, template)


def _templates() -> dict[str, str]:
    # The same msgids as nodes.sweep._notification_title, in the stored language.
    with override("zh-hans"):
        return {
            "t_prompt": pg_format(_("Prompt: %(number)s “%(node)s” is due %(due)s.")),
            "t_warn_important": pg_format(
                _(
                    "Warning: %(number)s “%(node)s” must be done by %(due)s or the case will be "
                    "locked."
                )
            ),
            "t_warn": pg_format(_("Warning: %(number)s “%(node)s” must be done by %(due)s.")),
            "t_lapsed": pg_format(
                _(
                    "Period ended: %(number)s “%(node)s” ran out %(due)s without the party acting; "
                    "the case can move on."
                )
            ),
            "t_overdue": pg_format(_("Overdue: %(number)s “%(node)s” was due %(due)s.")),
            "t_locked": pg_format(
                _("Locked (lock %(seq)s): %(number)s — “%(node)s” was due %(due)s.")
            ),
            "t_also": pg_format(
                _("Also overdue on locked case %(number)s: “%(node)s” (due %(due)s).")
            ),
        }


# nodes.periods.deadline_text in SQL: 00:00 after the last day reads as that day's 24:00.
_DEADLINE_TEXT = """CASE
    WHEN {x} IS NULL THEN ''
    WHEN ({x} AT TIME ZONE %(tz)s)::time = '00:00'
        THEN to_char(({x} AT TIME ZONE %(tz)s)::date - 1, 'YYYY-MM-DD') || ' 24:00'
    ELSE to_char({x} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI') END"""

# datetime.isoformat() of a UTC time as psycopg2 returns it (the audit JSON's "due_at").
_ISO_UTC = """CASE WHEN {x} IS NULL THEN NULL ELSE
    to_char({x} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN date_trunc('second', {x}) = {x} THEN ''
            ELSE to_char({x} AT TIME ZONE 'UTC', '.US') END
    || '+00:00' END"""

BATCH_SQL = """
WITH due AS MATERIALIZED (
    SELECT n.id, n.case_id, n.court_id, n.definition_id, n.level, n.due_at, n.grace_until,
           n.prompt_at, n.warn_at, n.prompted_at, n.warned_at, n.round, n.next_action_at
    FROM nodes_nodeinstance n
    WHERE n.next_action_at <= %(at)s AND n.status = 'open' {court_filter}
    ORDER BY n.next_action_at
    LIMIT %(size)s
    FOR UPDATE OF n SKIP LOCKED
), held AS MATERIALIZED (
    SELECT c.id, c.number, c.locked, c.team_id, c.judge_id, c.division_id
    FROM cases_case c
    WHERE c.id IN (SELECT case_id FROM due)
    FOR UPDATE OF c SKIP LOCKED
), r AS MATERIALIZED (
    SELECT d.id, d.case_id, d.court_id, d.level, d.round, d.next_action_at, d.warn_at,
           d.warned_at, COALESCE(d.grace_until, d.due_at) AS eff_due,
           def.owner_role, def.name_zh, c.number, c.locked AS case_locked, c.team_id,
           j.user_id AS judge_user, h.user_id AS head_user,
           CASE
               WHEN COALESCE(d.grace_until, d.due_at) <= %(at)s THEN
                   CASE WHEN def.party_side THEN 'lapse'
                        WHEN d.level = 'important' THEN 'lock'
                        ELSE 'overdue' END
               WHEN d.warn_at <= %(at)s AND d.warned_at IS NULL THEN 'warning'
               WHEN d.prompt_at <= %(at)s AND d.prompted_at IS NULL THEN 'prompt'
           END AS kind
    FROM due d
    JOIN held c ON c.id = d.case_id
    JOIN nodes_nodedefinition def ON def.id = d.definition_id
    LEFT JOIN teams_person j ON j.id = c.judge_id
    LEFT JOIN teams_division dv ON dv.id = c.division_id
    LEFT JOIN teams_person h ON h.id = dv.head_id
), upd AS (
    UPDATE nodes_nodeinstance n SET
        prompted_at = CASE r.kind WHEN 'prompt' THEN %(at)s
                                  WHEN 'warning' THEN COALESCE(n.prompted_at, %(at)s)
                                  ELSE n.prompted_at END,
        warned_at = CASE r.kind WHEN 'warning' THEN %(at)s ELSE n.warned_at END,
        status = CASE r.kind WHEN 'overdue' THEN 'overdue' WHEN 'lock' THEN 'locked'
                             WHEN 'lapse' THEN 'lapsed' ELSE n.status END,
        overdue_at = CASE WHEN r.kind IN ('overdue', 'lock') THEN %(at)s ELSE n.overdue_at END,
        completed_at = CASE r.kind WHEN 'lapse' THEN %(at)s ELSE n.completed_at END,
        next_action_at = CASE r.kind
            WHEN 'prompt' THEN LEAST(
                COALESCE(r.eff_due, %(far)s),
                CASE WHEN n.warned_at IS NULL THEN COALESCE(n.warn_at, %(far)s) ELSE %(far)s END)
            WHEN 'warning' THEN COALESCE(r.eff_due, %(far)s)
            ELSE NULL END
    FROM r
    WHERE n.id = r.id AND r.kind IS NOT NULL
    RETURNING n.id
), first_lock AS (
    SELECT DISTINCT ON (case_id) case_id, id AS node_id
    FROM r
    WHERE kind = 'lock' AND NOT case_locked
    ORDER BY case_id, next_action_at, id
), lapsed_cases AS (
    SELECT DISTINCT case_id FROM r WHERE kind = 'lapse'
), touched AS (
    SELECT case_id FROM first_lock UNION SELECT case_id FROM lapsed_cases
), case_upd AS (
    UPDATE cases_case c SET
        locked = c.locked OR fl.case_id IS NOT NULL,
        lock_count = c.lock_count + CASE WHEN fl.case_id IS NULL THEN 0 ELSE 1 END,
        next_due_at = CASE WHEN lc.case_id IS NULL THEN c.next_due_at ELSE (
            SELECT min(COALESCE(x.grace_until, x.due_at))
            FROM nodes_nodeinstance x
            WHERE x.case_id = c.id AND x.status IN {live}
              AND NOT EXISTS (SELECT 1 FROM r WHERE r.id = x.id AND r.kind = 'lapse')
        ) END
    FROM touched t
    LEFT JOIN first_lock fl ON fl.case_id = t.case_id
    LEFT JOIN lapsed_cases lc ON lc.case_id = t.case_id
    WHERE c.id = t.case_id
    RETURNING c.id, c.court_id, c.number, c.lock_count, fl.node_id,
              fl.case_id IS NOT NULL AS newly_locked
), new_locks AS MATERIALIZED (
    SELECT id AS case_id, court_id, number, lock_count AS sequence, node_id
    FROM case_upd WHERE newly_locked
), lock_rows AS (
    INSERT INTO nodes_caselock (case_id, court_id, sequence, node_id, locked_at, unlock_reason)
    SELECT case_id, court_id, sequence, node_id, %(at)s, '' FROM new_locks
    RETURNING id
), acts AS (
    INSERT INTO nodes_sweepaction (instance_id, case_id, court_id, kind, round, at, due_at)
    SELECT id, case_id, court_id, kind, round, %(at)s, eff_due FROM r WHERE kind IS NOT NULL
    RETURNING id
), assistants AS (
    SELECT DISTINCT m.team_id, p.user_id
    FROM teams_membership m JOIN teams_person p ON p.id = m.person_id
    WHERE m.team_id IN (SELECT team_id FROM r
                        WHERE owner_role = 'assistant' AND kind IN ('prompt', 'warning', 'lapse'))
      AND m.ended_on IS NULL AND m.position = 'assistant'
), recipients AS (
    SELECT r.id, r.judge_user AS user_id FROM r
    WHERE r.kind IN ('prompt', 'warning', 'lapse', 'lock')
    UNION
    SELECT r.id, a.user_id FROM r JOIN assistants a ON a.team_id = r.team_id
    WHERE r.kind IN ('prompt', 'warning', 'lapse') AND r.owner_role = 'assistant'
    UNION
    SELECT r.id, r.head_user FROM r LEFT JOIN new_locks nl ON nl.case_id = r.case_id
    WHERE r.kind = 'overdue' OR (r.kind = 'lock' AND nl.case_id IS NOT NULL)
), notes AS (
    INSERT INTO nodes_notification (recipient_id, kind, case_id, node_id, title, body,
                                    created_at, send_email, send_sms, attempts, last_error)
    SELECT rc.user_id,
           CASE r.kind WHEN 'lapse' THEN 'lapsed' ELSE r.kind END,
           r.case_id, r.id,
           left(format(
               CASE r.kind
                   WHEN 'prompt' THEN %(t_prompt)s
                   WHEN 'warning' THEN CASE WHEN r.level = 'important'
                                            THEN %(t_warn_important)s ELSE %(t_warn)s END
                   WHEN 'lapse' THEN %(t_lapsed)s
                   WHEN 'overdue' THEN %(t_overdue)s
                   ELSE CASE WHEN nl.case_id IS NULL THEN %(t_also)s ELSE %(t_locked)s END
               END,
               r.number, r.name_zh, {deadline_text}, nl.sequence), 200),
           '', %(at)s, nl.case_id IS NOT NULL AND r.kind = 'lock',
           nl.case_id IS NOT NULL AND r.kind = 'lock', 0, ''
    FROM recipients rc
    JOIN r ON r.id = rc.id
    LEFT JOIN new_locks nl ON nl.case_id = r.case_id
    WHERE rc.user_id IS NOT NULL
    RETURNING send_email OR send_sms AS external
), audit AS (
    INSERT INTO courtflow_auditevent (at, actor_id, actor_name, action, source, court_id,
                                      object_type, object_id, object_repr, case_id, node_id,
                                      before, after, reason)
    SELECT %(at)s, NULL::integer, '', 'node.' || r.kind, %(source)s, r.court_id,
           'nodes.nodeinstance', r.id::text, left(r.number, 255), r.case_id, r.id, NULL::jsonb,
           jsonb_build_object('due_at', {iso_due}, 'round', r.round), ''
    FROM r WHERE r.kind IS NOT NULL
    UNION ALL
    SELECT %(at)s, NULL::integer, '', 'case.locked', %(source)s, nl.court_id, 'cases.case',
           nl.case_id::text, left(nl.number, 255), nl.case_id, nl.node_id, NULL,
           jsonb_build_object('sequence', nl.sequence, 'at', %(at_iso)s::text), ''
    FROM new_locks nl
    RETURNING id
)
SELECT (SELECT count(*) FROM due),
       (SELECT count(*) FROM r),
       (SELECT count(*) FILTER (WHERE kind = 'prompt') FROM r),
       (SELECT count(*) FILTER (WHERE kind = 'warning') FROM r),
       (SELECT count(*) FILTER (WHERE kind = 'overdue') FROM r),
       (SELECT count(*) FILTER (WHERE kind = 'lock') FROM r),
       (SELECT count(*) FILTER (WHERE kind = 'lapse') FROM r),
       (SELECT count(*) FROM new_locks),
       (SELECT count(*) FROM notes),
       (SELECT count(*) FILTER (WHERE external) FROM notes),
       (SELECT count(*) FROM upd)
"""


def _statement(with_courts: bool) -> str:
    return BATCH_SQL.format(
        court_filter="AND n.court_id = ANY(%(courts)s)" if with_courts else "",
        live=LIVE_SQL,
        deadline_text=_DEADLINE_TEXT.format(x="r.eff_due"),
        iso_due=_ISO_UTC.format(x="r.eff_due"),
    )


_STATEMENTS = {flag: _statement(flag) for flag in (False, True)}


def sweep_batch_sql(
    *, at: dt.datetime, court_ids: list[int] | None, size: int
) -> tuple[int, int, dict[str, int]]:
    """Run one batch; returns (picked, acted, counts). Must run inside the batch's
    transaction (the caller's ``transaction.atomic()``)."""
    params = {
        "at": at,
        "at_iso": at.isoformat(),
        "size": size,
        "courts": list(court_ids or []),
        "far": FAR,
        "tz": COURT_TZ.key,
        "source": current_source(),
        **_templates(),
    }
    with connection.cursor() as cursor:
        cursor.execute(_STATEMENTS[court_ids is not None], params)
        row = cursor.fetchone()
    picked, held, prompts, warnings, overdue, locks, lapsed, cases_locked, notes, external = row[
        :10
    ]
    counts = {
        "skipped_busy": picked - held,
        "prompts": prompts,
        "warnings": warnings,
        "overdue": overdue,
        "locks": locks,
        "lapsed": lapsed,
        "cases_locked": cases_locked,
        "notifications": notes,
        "external": external,
    }
    return picked, prompts + warnings + overdue + locks + lapsed, counts
