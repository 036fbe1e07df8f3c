"""A large world in a throwaway PostgreSQL database, for the benchmarks.

One authority with a region tree (streets and their communities), N enterprises (default 10,000),
one published current risk list version per enterprise with M frozen entries each (default 100,
so 1,000,000 `risk_list_entries` rows) and about N/5 major hazard sources (levels 1-4; plus a
tenth as many non-major units, which the grading must ignore). Hidden dangers are not generated:
that domain does not exist yet.

The database is created and migrated exactly like the test suite's (tests.services), then loaded
as the OWNER connection with COPY (small tables, rows made in Python) and INSERT ... SELECT
generate_series (the risk lists, made in the server): no ORM, every constraint live (foreign
keys, NOT NULLs, checks, the one-current-version index), so each row is as valid as one the app
would write. The residual ranks are skewed like a real county: each enterprise gets a ceiling
(35 % low, 40 % general, 18 % significant, 7 % major) and its points are mostly low under it.

    PYTHONPATH=. .venv/bin/python -m bench.generate [--enterprises N --points-per M] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg
from sqlalchemy.engine import make_url

from app.db import new_id
from app.enterprises.rules import USCC_ALPHABET, Sector, uscc_check_char
from tests.services import Backend, Database, create_database, detect, drop_database

STREETS = ("城东街道", "城西街道", "南湖街道", "北山街道")
COMMUNITIES_PER_STREET = 5
HAZARD_LEVEL_WEIGHTS = {1: 5, 2: 15, 3: 30, 4: 50}
SECTOR_WEIGHTS = {
    Sector.HAZARDOUS_CHEMICALS: 15,
    Sector.NON_COAL_MINING: 3,
    Sector.CONSTRUCTION: 20,
    Sector.FIRE_SAFETY: 15,
    Sector.METALLURGY_TRADE: 30,
    Sector.SPECIAL_EQUIPMENT: 7,
    Sector.ROAD_TRANSPORT: 6,
    Sector.AGRICULTURAL_MACHINERY: 2,
    Sector.MARINE_FISHERY: 2,
}


@dataclass
class World:
    backend: Backend
    database: Database
    authority_id: uuid.UUID
    enterprise_ids: list[uuid.UUID]
    # Enterprises owning at least one major hazard source (targets for the hazard-change test).
    hazard_enterprise_ids: list[uuid.UUID]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def owner_conninfo(self) -> str:
        return libpq_url(self.database.owner_url)


def libpq_url(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


def owner_connect(world: World, autocommit: bool = False) -> psycopg.Connection:
    conn = psycopg.connect(world.owner_conninfo, autocommit=autocommit)
    if not autocommit:
        as_authority(conn, world.authority_id)
    return conn


def as_authority(conn: psycopg.Connection, authority_id) -> None:
    """The app's RLS settings for this transaction: a superuser ignores row-level security, but
    a plain table owner is subject to it (FORCE ROW LEVEL SECURITY)."""
    conn.execute("SELECT set_config('app.authority_id', %s, true)", (str(authority_id),))


def uscc(n: int) -> str:
    serial = ""
    for _ in range(9):
        serial = USCC_ALPHABET[n % 31] + serial
        n //= 31
    first17 = "91320700" + serial
    return first17 + uscc_check_char(first17)


# The frozen entries of the given versions (all current ones of the authority, or one). Each
# version gets a ceiling, the highest residual rank its list reaches (35 % low, 40 % general, 18 %
# significant, 7 % major), and each point a rank under it (70 % low, 22 % general, 6 %
# significant, 2 % major): 1 + width_bucket(random(), thresholds) is 1..4. OFFSET 0 keeps each
# random draw evaluated once per row.
ENTRIES_SQL = """
WITH ceilings AS MATERIALIZED (
    SELECT v.id AS version_id, v.enterprise_id, v.authority_id,
           1 + width_bucket(random(), ARRAY[0.35, 0.75, 0.93]::float8[]) AS ceiling
    FROM risk_list_versions v
    WHERE v.authority_id = %(authority_id)s AND v.is_current
      AND (%(version_id)s::uuid IS NULL OR v.id = %(version_id)s::uuid)
    ORDER BY v.enterprise_id
)
INSERT INTO risk_list_entries
    (id, authority_id, enterprise_id, version_id, risk_point_id, residual_rank, data)
SELECT anjian_uuid(), authority_id, enterprise_id, version_id, gen_random_uuid(), rank,
       json_build_object(
           'code', 'RP-' || lpad(n::text, 4, '0'),
           'name', '风险点' || n,
           'area', '生产区' || (1 + n %% 7),
           'residual_level', (ARRAY['low', 'general', 'significant', 'major'])[rank],
           'color', (ARRAY['blue', 'yellow', 'orange', 'red'])[rank],
           'control_tier', (ARRAY['team', 'workshop', 'department', 'company'])[rank])
FROM (
    SELECT c.authority_id, c.enterprise_id, c.version_id, n,
           least(c.ceiling, 1 + width_bucket(random(), ARRAY[0.70, 0.92, 0.98]::float8[]))
               AS rank
    FROM ceilings c CROSS JOIN generate_series(1, %(points)s) AS n
    OFFSET 0
) drawn
"""

# Hidden dangers spread over random enterprises: 5 % major; found over the last year with the
# default deadlines (7 / 15 days); 65 % closed, 5 % cancelled, the rest open in the three open
# states, so the open ones found more than a fortnight ago are overdue.
DANGERS_SQL = """
INSERT INTO hidden_dangers
    (id, authority_id, enterprise_id, title, category, severity, source, found_at, found_by,
     state, state_changed_at, deadline, original_deadline, extension_pending, supervised_at,
     closed_at, closed_on_time, created_at, updated_at, version)
SELECT anjian_uuid(), e.authority_id, e.id, '隐患' || d.n,
       (ARRAY['unsafe_condition', 'unsafe_act', 'management_defect'])[1 + d.n %% 3],
       d.severity, 'self_inspection', d.found_at, '安全员', d.state, d.found_at,
       d.deadline, d.deadline, false,
       CASE WHEN d.severity = 'major' THEN d.found_at END,
       CASE WHEN d.state = 'closed' THEN d.found_at + interval '5 days' END,
       CASE WHEN d.state = 'closed' THEN true END,
       d.found_at, d.found_at, 1
FROM (
    SELECT n, found_at, severity, state,
           (found_at AT TIME ZONE 'Asia/Shanghai')::date
               + CASE WHEN severity = 'major' THEN 15 ELSE 7 END AS deadline,
           1 + floor(random() * %(enterprises)s)::int AS pick
    FROM (
        SELECT n, now() - random() * interval '365 days' AS found_at,
               CASE WHEN random() < 0.05 THEN 'major' ELSE 'general' END AS severity,
               (ARRAY['reported', 'rectifying', 'awaiting_acceptance', 'cancelled', 'closed'])[
                   1 + width_bucket(random(), ARRAY[0.10, 0.25, 0.30, 0.35]::float8[])] AS state
        FROM generate_series(1, %(dangers)s) AS n
        OFFSET 0
    ) drawn
) d
JOIN (
    SELECT id, authority_id, row_number() OVER (ORDER BY id) AS k
    FROM enterprises WHERE authority_id = %(authority_id)s
) e ON e.k = d.pick
"""

HIGHEST_LEVEL_SQL = """
UPDATE risk_list_versions v
SET highest_level = (ARRAY['low', 'general', 'significant', 'major'])[m.rank]
FROM (
    SELECT version_id, max(residual_rank) AS rank FROM risk_list_entries
    WHERE authority_id = %(authority_id)s
      AND (%(version_id)s::uuid IS NULL OR version_id = %(version_id)s::uuid)
    GROUP BY version_id
) m
WHERE v.id = m.version_id
"""


def publish_list(conn: psycopg.Connection, authority_id, enterprise_id) -> uuid.UUID:
    """A newly published list for one enterprise, one risk point longer than the current one
    (so its inputs surely change); the previous version stops being current, as the publishing
    service would leave it. The caller commits."""
    points = (
        1
        + conn.execute(
            "SELECT point_count FROM risk_list_versions WHERE enterprise_id = %s AND is_current",
            (enterprise_id,),
        ).fetchone()[0]
    )
    conn.execute(
        "UPDATE risk_list_versions SET is_current = false WHERE enterprise_id = %s AND is_current",
        (enterprise_id,),
    )
    version_id = new_id()
    conn.execute(
        "INSERT INTO risk_list_versions (id, authority_id, enterprise_id, number, published_at,"
        " point_count, is_current)"
        " SELECT %s, %s, %s, coalesce(max(number), 0) + 1, now(), %s, true"
        " FROM risk_list_versions WHERE enterprise_id = %s",
        (version_id, authority_id, enterprise_id, points, enterprise_id),
    )
    params = {"authority_id": authority_id, "version_id": version_id, "points": points}
    conn.execute(ENTRIES_SQL, params)
    conn.execute(HIGHEST_LEVEL_SQL, params)
    return version_id


def _copy(conn: psycopg.Connection, table: str, columns: list[str], rows) -> int:
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            count += 1
    return count


def build(
    enterprises: int = 10_000,
    points_per: int = 100,
    hazard_sources: int | None = None,
    seed: int = 20261129,
    log=print,
    dangers: int | None = None,
) -> World:
    backend = detect()
    if backend.postgres_url is None:
        raise SystemExit(f"the benchmark needs PostgreSQL (TEST_DATABASE_URL): {backend.why}")
    hazard_sources = enterprises // 5 if hazard_sources is None else hazard_sources
    dangers = enterprises * 20 if dangers is None else dangers
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    database = create_database(backend)
    seconds["create + migrate"] = time.perf_counter() - t0
    authority_id = new_id()
    world = World(backend, database, authority_id, [], [], seconds)
    try:
        _load(world, enterprises, points_per, hazard_sources, rng, seed, log, dangers)
    except BaseException:
        drop_database(backend, database)
        raise
    return world


def _load(world, enterprises, points_per, hazard_sources, rng, seed, log, dangers) -> None:
    seconds = world.seconds
    authority_id = world.authority_id
    now = dt.datetime.now(dt.UTC)
    with owner_connect(world) as conn:
        conn.execute("SELECT setseed(%s)", ((seed % 1000) / 1000,))
        t0 = time.perf_counter()
        conn.execute(
            "INSERT INTO authorities (id, name, short_name, is_active, created_at, updated_at,"
            " version) VALUES (%s, %s, %s, true, %s, %s, 1)",
            (authority_id, "基准县应急管理局", "基准县", now, now),
        )
        regions, communities = [], []
        for s, street_name in enumerate(STREETS):
            street_id = new_id()
            regions.append((street_id, None, street_id, "street", street_name, f"S{s + 1:02d}"))
            for c in range(COMMUNITIES_PER_STREET):
                community_id = new_id()
                regions.append(
                    (
                        community_id,
                        street_id,
                        street_id,
                        "community",
                        f"{street_name[:2]}第{c + 1}社区",
                        f"S{s + 1:02d}C{c + 1:02d}",
                    )
                )
                communities.append((community_id, street_id))
        _copy(
            conn,
            "regions",
            [
                "id",
                "parent_id",
                "street_id",
                "kind",
                "name",
                "code",
                "authority_id",
                "is_active",
                "created_at",
                "updated_at",
                "version",
            ],
            (row + (authority_id, True, now, now, 1) for row in regions),
        )
        sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
        ids = sorted(new_id() for _ in range(enterprises))
        world.enterprise_ids = ids

        def enterprise_rows():
            for n, enterprise_id in enumerate(ids, start=1):
                region_id, street_id = communities[rng.randrange(len(communities))]
                yield (
                    enterprise_id,
                    authority_id,
                    f"基准企业{n:05d}有限公司",
                    uscc(n),
                    str(rng.choices(sectors, weights)[0]),
                    region_id,
                    street_id,
                    f"基准县工业路{n}号",
                    Decimal(f"{119.10 + rng.random() * 0.4:.6f}"),
                    Decimal(f"{34.45 + rng.random() * 0.3:.6f}"),
                    rng.random() < 0.1,
                    rng.choice((None, 1, 2, 3)),
                    rng.randint(5, 2000),
                    True,
                    now,
                    now,
                    1,
                )

        _copy(
            conn,
            "enterprises",
            [
                "id",
                "authority_id",
                "name",
                "uscc",
                "sector",
                "region_id",
                "street_id",
                "address",
                "longitude",
                "latitude",
                "is_key",
                "standardization_grade",
                "headcount",
                "is_active",
                "created_at",
                "updated_at",
                "version",
            ],
            enterprise_rows(),
        )
        # About 70 % of the units sit in enterprises owning one, the rest pile onto a few.
        owners = rng.sample(ids, min(len(ids), max(1, int(hazard_sources * 0.7))))
        levels, level_weights = list(HAZARD_LEVEL_WEIGHTS), list(HAZARD_LEVEL_WEIGHTS.values())
        hazard_owners: set[uuid.UUID] = set()
        evaluated = now.date() - dt.timedelta(days=200)

        def hazard_rows():
            non_major = hazard_sources // 10
            for k in range(hazard_sources + non_major):
                major = k < hazard_sources
                enterprise_id = owners[k] if k < len(owners) else rng.choice(owners)
                if major:
                    hazard_owners.add(enterprise_id)
                level = rng.choices(levels, level_weights)[0] if major else None
                quantity = rng.randint(5, 500)
                yield (
                    new_id(),
                    authority_id,
                    enterprise_id,
                    f"{'储罐区' if k % 3 else '生产装置'}{k + 1}",
                    "storage" if k % 3 else "production",
                    rng.randint(0, 300),
                    json.dumps([{"cas": "74-98-6", "name": "丙烷", "quantity_t": quantity}]),
                    rng.random() < 0.8,
                    rng.random() < 0.9,
                    rng.random() < 0.6,
                    evaluated,
                    evaluated + dt.timedelta(days=3 * 365),
                    False,
                    major,
                    level,
                    Decimal(quantity) / Decimal(10) if major else Decimal("0.5"),
                    Decimal(rng.randint(10, 200)) if major else Decimal(0),
                    "GB18218-2018",
                    json.dumps({"is_major": major, "level": level}),
                    "filed" if major else "draft",
                    True,
                    now,
                    now,
                    1,
                )

        hazard_count = _copy(
            conn,
            "hazard_sources",
            [
                "id",
                "authority_id",
                "enterprise_id",
                "name",
                "unit_kind",
                "exposed_population",
                "substances",
                "continuous_monitoring",
                "gas_detection",
                "emergency_shutdown",
                "last_evaluated_on",
                "reevaluation_due_on",
                "change_pending",
                "is_major",
                "level",
                "sum_ratio",
                "r_value",
                "data_version",
                "result",
                "filing_status",
                "is_active",
                "created_at",
                "updated_at",
                "version",
            ],
            hazard_rows(),
        )
        world.hazard_enterprise_ids = sorted(hazard_owners)
        seconds["authority, regions, enterprises, hazard sources (COPY)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.execute(
            "INSERT INTO risk_list_versions (id, authority_id, enterprise_id, number,"
            " published_at, point_count, is_current)"
            " SELECT anjian_uuid(), authority_id, id, 1, %s, %s, true"
            " FROM enterprises WHERE authority_id = %s ORDER BY id",
            (now - dt.timedelta(days=30), points_per, authority_id),
        )
        params = {"authority_id": authority_id, "version_id": None, "points": points_per}
        entries = conn.execute(ENTRIES_SQL, params).rowcount
        conn.execute(HIGHEST_LEVEL_SQL, params)
        seconds["risk list versions + entries (INSERT ... SELECT)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        danger_count = conn.execute(
            DANGERS_SQL,
            {"authority_id": authority_id, "enterprises": enterprises, "dangers": dangers},
        ).rowcount
        seconds["hidden dangers (INSERT ... SELECT)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.commit()
        seconds["commit"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyze(world)
    seconds["VACUUM ANALYZE"] = time.perf_counter() - t0
    log(
        f"generated: {len(regions)} regions, {enterprises} enterprises, {enterprises} current"
        f" list versions, {entries} list entries, {hazard_count} hazard sources"
        f" ({hazard_sources} major in {len(hazard_owners)} enterprises), {danger_count}"
        " hidden dangers"
    )


def analyze(world: World) -> None:
    """VACUUM (ANALYZE) as the owner: fresh statistics and a visibility map, as autovacuum
    would leave a table some time after a bulk load."""
    with owner_connect(world, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def drop(world: World) -> None:
    drop_database(world.backend, world.database)


def counts(world: World) -> dict[str, int]:
    tables = (
        "regions",
        "enterprises",
        "risk_list_versions",
        "risk_list_entries",
        "hazard_sources",
        "hidden_dangers",
        "risk_colors",
        "risk_grades",
        "audit_events",
    )
    with owner_connect(world) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608 - fixed names


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--points-per", type=int, default=100)
    parser.add_argument("--hazard-sources", type=int, default=None, help="default: N/5")
    parser.add_argument("--dangers", type=int, default=None, help="default: 20 N")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    args = parser.parse_args(argv)
    world = build(
        args.enterprises, args.points_per, args.hazard_sources, args.seed, dangers=args.dangers
    )
    try:
        for step, secs in world.seconds.items():
            print(f"  {step:<55} {secs:8.2f} s")
        for table, n in counts(world).items():
            print(f"  {table:<30} {n:>10,}")
        print(f"  authority_id {world.authority_id}")
    finally:
        if args.keep:
            print(f"kept: {world.owner_conninfo}")
        else:
            drop(world)


if __name__ == "__main__":
    main()
