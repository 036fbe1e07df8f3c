"""Four-color grading at county scale: set-based recompute against a bare GROUP BY floor.

Generates the world of bench.generate in a throwaway database, then, as the APP role
(`anjian_app`, row-level security on) with a system scope for the authority, like the grading
job runs, measures:

- floor: a bare SQL GROUP BY over the same rows (published entries of current versions per
  enterprise, major hazard sources and open major hidden dangers per enterprise), on the same
  connection with the same
  scope settings, after a warm-up. Only one row comes back, so it is server time, like the
  recompute's INSERT ... SELECT. The same statement is also timed as the owner without
  row-level security and without parallel workers (an INSERT ... SELECT never runs in parallel
  on PostgreSQL 15): column /no-RLS;
- the full recompute, first run (no grades yet: every enterprise graded, one history row, one
  current color and one audit event each), then steady state (nothing changed: must write
  nothing), once right after the first run (the new grade rows not analyzed yet) and five times
  after ANALYZE; target for the steady state: ratio to the floor <= 3;
- the re-grade of one enterprise after a change (a newly published list one point longer, or a
  major hazard source whose level changed, written by SQL as the owner),
  `recompute(..., enterprise_ids=[id])` plus commit, median of 20 each; target < 50 ms.

Timings are wall clock (`time.perf_counter`) around the call and its commit, medians of several
runs. The first-run repeats start from empty grade tables (the owner deletes risk_colors and
risk_grades; audit events are append-only and accumulate).

    PYTHONPATH=. .venv/bin/python -m bench.grading [--enterprises N --points-per M]
        [--explain] [--keep] [--try policy] [--try covering-index] [--sql "CREATE INDEX ..."]

--explain prints EXPLAIN (ANALYZE, BUFFERS) of the floor and of the recompute's main statement
(they are printed anyway when a target is missed); --try applies a candidate fix (see TRIES)
in the throwaway database before timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from sqlalchemy import event, text

from app import create_app, tenancy
from app.extensions import db
from app.risks.service import grading
from app.tenancy import Scope
from bench import generate
from tests.services import app_config

STEADY_TARGET_RATIO = 3.0
REGRADE_TARGET_MS = 50.0
FLOOR_RUNS = 5
FIRST_RUNS = 3
STEADY_RUNS = 5
REGRADE_RUNS = 20

# Candidate fixes, applied in the throwaway database before timing (--try NAME) to measure the
# recommendations in bench/README.md. The app's migrations are not touched.
_ENTERPRISE_OWNED = (
    "risk_list_entries",
    "risk_list_versions",
    "hazard_sources",
    "risk_colors",
    "risk_grades",
)


def _policy(table: str, column: str) -> list[str]:
    """The migrations' policy, same meaning, planner-friendly: (1) `s IS NULL OR col = s` is
    estimated at 0.5 % of the rows (a NULL test on an expression without statistics), which
    makes every join of two such tables look 40,000 times smaller than it is; coalesce(col = s,
    s IS NULL) is estimated at 50 % and is true/false in exactly the same cases (also for a NULL
    col). (2) Each setting is read once per statement, in an InitPlan `(SELECT ...)`, instead
    of once per row."""
    authority = "(SELECT app_setting_uuid('app.authority_id'))"
    enterprise = "(SELECT app_setting_uuid('app.enterprise_id'))"
    check = (
        f"authority_id = {authority} AND coalesce({column} = {enterprise}, {enterprise} IS NULL)"
    )
    return [
        f"DROP POLICY tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ({check}) WITH CHECK ({check})",
    ]


TRIES = {
    "policy": [
        stmt
        for table, column in [(t, "enterprise_id") for t in _ENTERPRISE_OWNED]
        + [("enterprises", "id")]
        for stmt in _policy(table, column)
    ],
    # The version_id index, made covering: the GROUP BY then reads 73 MB of index instead of
    # the 250 MB heap (the frozen `data` JSON), which no longer fits shared_buffers.
    "covering-index": [
        "DROP INDEX ix_risk_list_entries_version_id",
        "CREATE INDEX ix_risk_list_entries_version_id ON risk_list_entries (version_id)"
        " INCLUDE (authority_id, enterprise_id, residual_rank)",
    ],
}

FLOOR_SQL = text(
    """
    SELECT r.groups, r.points, r.top, h.groups AS hazard_groups, h.sources,
           d.groups AS danger_groups, d.dangers
    FROM (
        SELECT count(*) AS groups, sum(n) AS points, sum(top) AS top FROM (
            SELECT e.enterprise_id, max(e.residual_rank) AS top, count(*) AS n
            FROM risk_list_entries e
            JOIN risk_list_versions v ON v.id = e.version_id AND v.is_current
            GROUP BY e.enterprise_id
        ) per_enterprise
    ) r CROSS JOIN (
        SELECT count(*) AS groups, sum(n) AS sources FROM (
            SELECT enterprise_id, max(level) AS top, count(*) AS n
            FROM hazard_sources WHERE is_active AND is_major
            GROUP BY enterprise_id
        ) per_enterprise
    ) h CROSS JOIN (
        SELECT count(*) AS groups, sum(n) AS dangers FROM (
            SELECT enterprise_id, count(*) AS n, sum(CASE WHEN deadline < current_date
                                                      THEN 1 ELSE 0 END) AS overdue
            FROM hidden_dangers
            WHERE severity = 'major' AND state IN ('reported', 'rectifying', 'awaiting_acceptance')
            GROUP BY enterprise_id
        ) per_enterprise
    ) d
    """
)


def ms(seconds: float) -> float:
    return seconds * 1000.0


class Recorder:
    """The statements the app sends (to EXPLAIN ANALYZE the slow one afterwards)."""

    def __init__(self, engine):
        self.on = False
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if self.on and not executemany:
            self.statements.append((statement, parameters))

    def capture(self):
        self.statements, self.on = [], True
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.on = False


def explain(session, statement: str, parameters) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) the statement in a transaction rolled back afterwards."""
    try:
        rows = session.connection().exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
        )
        return "\n".join(row[0] for row in rows)
    finally:
        session.rollback()


def timed_recompute(session, authority_id, enterprise_ids=None):
    t0 = time.perf_counter()
    changes = grading.recompute(session, authority_id, enterprise_ids)
    t1 = time.perf_counter()
    session.commit()
    t2 = time.perf_counter()
    return t2 - t0, t1 - t0, t2 - t1, changes


def machine(world) -> list[str]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor()
    names = (
        "server_version",
        "shared_buffers",
        "work_mem",
        "jit",
        "max_parallel_workers_per_gather",
        "random_page_cost",
    )
    with generate.owner_connect(world) as conn:
        settings = {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}
    return [
        f"machine: {os.cpu_count()} cores ({model}), Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}",
        "PostgreSQL " + ", ".join(f"{k}={v}" for k, v in settings.items()),
    ]


def owner_floor(world) -> list[float]:
    """The same GROUP BYs as the owner (no row-level security) without parallel workers: an
    INSERT ... SELECT never gets a parallel plan on PostgreSQL 15, so this is the honest floor
    for the recompute's statement."""
    sql = str(FLOOR_SQL)
    times = []
    with generate.owner_connect(world, autocommit=True) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")
        for i in range(2 + FLOOR_RUNS):
            t0 = time.perf_counter()
            conn.execute(sql).fetchone()
            if i >= 2:
                times.append(time.perf_counter() - t0)
    return times


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f} {five:.2f} {fifteen:.2f}"


def reset_grades(world) -> None:
    with generate.owner_connect(world) as conn:
        conn.execute("DELETE FROM risk_colors WHERE authority_id = %s", (world.authority_id,))
        conn.execute("DELETE FROM risk_grades WHERE authority_id = %s", (world.authority_id,))
    with generate.owner_connect(world, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) risk_colors, risk_grades")


def change_hazard_source(world, enterprise_id) -> None:
    with generate.owner_connect(world) as conn:
        conn.execute(
            "UPDATE hazard_sources SET level = 1 + level %% 4, updated_at = now(),"
            " version = version + 1 WHERE id = (SELECT id FROM hazard_sources"
            " WHERE enterprise_id = %s AND is_major AND is_active ORDER BY id LIMIT 1)",
            (enterprise_id,),
        )


def run(world, args) -> int:
    aid = world.authority_id
    lines = machine(world) + [_load()]
    for line in lines:
        print(line)
    setup = [sql for name in args.try_ or () for sql in TRIES[name]] + list(args.sql or ())
    for sql in setup:
        with generate.owner_connect(world, autocommit=True) as conn:
            t0 = time.perf_counter()
            conn.execute(sql)
            print(f"setup SQL ({time.perf_counter() - t0:.1f} s): {sql}")
    if setup:
        generate.analyze(world)
    app = create_app(app_config(world.database))
    rows: list[tuple] = []
    notes: list[str] = []
    plans: dict[str, str] = {}
    with app.app_context(), tenancy.using(Scope(authority_id=aid, system=True)):
        session = db.session
        recorder = Recorder(db.engine)

        def floor():
            t0 = time.perf_counter()
            result = session.execute(FLOOR_SQL).one()
            session.commit()
            return time.perf_counter() - t0, result

        for _ in range(2):  # warm-up: caches, plans, the pool's connection
            _, result = floor()
        expected_points = args.enterprises * args.points_per
        if result.groups != args.enterprises or result.points != expected_points:
            raise SystemExit(f"the floor does not see the world: {result}")
        floor_times = [floor()[0] for _ in range(FLOOR_RUNS)]
        floor_s = statistics.median(floor_times)
        rows.append(("floor: bare GROUP BYs, app role + RLS", floor_times, None, None))
        bare_times = owner_floor(world)
        bare_s = statistics.median(bare_times)
        rows.append(("floor without RLS (owner, serial)", bare_times, None, None))

        first, first_sql, first_commit = [], [], []
        for i in range(FIRST_RUNS):
            if i:
                reset_grades(world)
            total, sql_s, commit_s, changes = timed_recompute(session, aid)
            if len(changes) != args.enterprises:
                raise SystemExit(f"first run graded {len(changes)} of {args.enterprises}")
            first.append(total)
            first_sql.append(sql_s)
            first_commit.append(commit_s)
        rows.append(("full recompute, first run (all graded)", first, floor_s, None))
        rows.append(("  of which recompute() statements", first_sql, floor_s, None))
        rows.append(("  of which commit (audit chain)", first_commit, floor_s, None))
        colors = dict(
            session.execute(
                text("SELECT color, count(*) FROM risk_colors GROUP BY color ORDER BY color")
            ).all()
        )
        session.commit()
        notes.append(
            "colors after the first run: " + ", ".join(f"{k} {v}" for k, v in colors.items())
        )

        # Right after the first run, before anything has analyzed the new grade rows.
        before = generate.counts(world)
        with recorder.capture():
            total, _, _, changes = timed_recompute(session, aid)
        stale = [total]
        steady_statements = list(recorder.statements)
        if args.explain:
            plans["steady state with stale statistics: INSERT INTO risk_grades ... SELECT"] = (
                explain(session, *_grades_insert(steady_statements))
            )
        generate.analyze(world)
        steady = []
        for _ in range(STEADY_RUNS):
            total, _, _, changes = timed_recompute(session, aid)
            if changes:
                raise SystemExit(f"steady state wrote {len(changes)} grades")
            steady.append(total)
        after = generate.counts(world)
        wrote = {t: after[t] - before[t] for t in ("risk_colors", "risk_grades", "audit_events")}
        rows.append(("full recompute, steady, stale statistics", stale, floor_s, None))
        rows.append(
            (
                "full recompute, steady state (after ANALYZE)",
                steady,
                floor_s,
                ("ratio", STEADY_TARGET_RATIO),
            )
        )
        notes.append(
            "steady state wrote: "
            + ", ".join(f"{t} +{n}" for t, n in wrote.items())
            + (" (nothing, as required)" if not any(wrote.values()) else " (SHOULD BE NOTHING)")
        )

        regrade_list, regrade_hazard = [], []
        regrade_statements = []
        targets = world.enterprise_ids
        for i in range(REGRADE_RUNS):
            eid = targets[(i * 7919) % len(targets)]
            with generate.owner_connect(world) as conn:
                conn.execute("SELECT setseed(%s)", (i / REGRADE_RUNS,))  # reproducible lists
                generate.publish_list(conn, aid, eid)
            with recorder.capture():
                total, _, _, changes = timed_recompute(session, aid, [eid])
            if len(changes) != 1:
                raise SystemExit(f"re-grade after publishing wrote {len(changes)} grades")
            regrade_list.append(total)
            if i == 0:
                regrade_statements = list(recorder.statements)
        hazard_targets = world.hazard_enterprise_ids
        for i in range(REGRADE_RUNS if hazard_targets else 0):
            eid = hazard_targets[(i * 7919) % len(hazard_targets)]
            change_hazard_source(world, eid)
            total, _, _, changes = timed_recompute(session, aid, [eid])
            if len(changes) != 1:
                raise SystemExit(f"re-grade after a hazard change wrote {len(changes)} grades")
            regrade_hazard.append(total)
        rows.append(
            (
                "re-grade 1 enterprise: new list published",
                regrade_list,
                None,
                ("ms", REGRADE_TARGET_MS),
            )
        )
        if regrade_hazard:
            rows.append(
                (
                    "re-grade 1 enterprise: hazard level changed",
                    regrade_hazard,
                    None,
                    ("ms", REGRADE_TARGET_MS),
                )
            )

        steady_ratio = statistics.median(steady) / floor_s
        regrade_ms = ms(statistics.median(regrade_list + regrade_hazard))
        if args.explain or steady_ratio > STEADY_TARGET_RATIO:
            plans["floor"] = explain(session, str(FLOOR_SQL), {})
            plans["steady-state recompute: INSERT INTO risk_grades ... SELECT"] = explain(
                session, *_grades_insert(steady_statements)
            )
        if args.explain or regrade_ms >= REGRADE_TARGET_MS:
            plans["re-grade one enterprise: INSERT INTO risk_grades ... SELECT"] = explain(
                session, *_grades_insert(regrade_statements)
            )
    final = generate.counts(world)
    _print_table(rows, bare_s)
    for note in notes:
        print(note)
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in final.items()))
    verdicts = [
        f"steady-state ratio {steady_ratio:.2f} to the floor (target <= {STEADY_TARGET_RATIO:g}):"
        f" {'met' if steady_ratio <= STEADY_TARGET_RATIO else 'NOT met'};"
        f" {statistics.median(steady) / bare_s:.2f} to the floor without RLS",
        f"re-grade of one enterprise {regrade_ms:.1f} ms (target < {REGRADE_TARGET_MS:g} ms):"
        f" {'met' if regrade_ms < REGRADE_TARGET_MS else 'NOT met'}",
    ]
    for verdict in verdicts:
        print(verdict)
    print(_load() + " (anything well above 0 means other work shared the 2 cores)")
    for title, plan in plans.items():
        print(f"\n--- EXPLAIN (ANALYZE, BUFFERS): {title}\n{plan}")
    return 0 if "NOT" not in "".join(verdicts) else 1


def _grades_insert(statements) -> tuple[str, object]:
    for statement, parameters in statements:
        # SQLAlchemy puts the CTE first: WITH computed AS (...) INSERT INTO risk_grades ...
        if "INSERT INTO risk_grades" in statement:
            return statement, parameters
    raise SystemExit("no INSERT INTO risk_grades recorded")


def _print_table(rows, bare_s) -> None:
    head = (
        f"{'measurement':<47} {'runs':>4} {'median':>10} {'min':>10} {'max':>10}"
        f" {'/floor':>7} {'/no-RLS':>7}"
    )
    print()
    print(head)
    print("-" * len(head))
    for name, times, ratio_to, _target in rows:
        med = statistics.median(times)
        ratio = f"{med / ratio_to:7.2f} {med / bare_s:7.2f}" if ratio_to else ""
        print(
            f"{name:<47} {len(times):>4} {ms(med):>7.1f} ms {ms(min(times)):>7.1f} ms"
            f" {ms(max(times)):>7.1f} ms {ratio}".rstrip()
        )
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--points-per", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--explain", action="store_true", help="always print the plans")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--try",
        dest="try_",
        action="append",
        choices=sorted(TRIES),
        help="apply a candidate fix in the throwaway database before timing",
    )
    parser.add_argument(
        "--sql", action="append", help="owner SQL run before timing (e.g. an index to try)"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    world = generate.build(args.enterprises, args.points_per, seed=args.seed)
    print(
        f"world generated in {time.perf_counter() - t0:.1f} s ("
        + ", ".join(f"{k} {v:.1f} s" for k, v in world.seconds.items())
        + ")"
    )
    try:
        status = run(world, args)
    finally:
        if args.keep:
            print(f"kept: {world.owner_conninfo}")
        else:
            generate.drop(world)
    print(f"total {time.perf_counter() - t0:.0f} s")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
