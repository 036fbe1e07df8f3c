"""The database itself refuses cross-tenant reads and writes (PostgreSQL row-level security), and
no tenant setting ever survives into the next transaction on a pooled connection."""

from __future__ import annotations

import json
import random
import uuid

import pytest
import sqlalchemy as sa

from app import tenancy
from app.tenancy import Scope

pytestmark = pytest.mark.postgres

APP_ROLE = "anjian_app"


def tenant_tables(conn) -> list[str]:
    rows = conn.execute(
        sa.text(
            "SELECT DISTINCT table_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name = 'authority_id'"
        )
    ).scalars()
    return sorted({*rows, "authorities"})


def test_rls_catalog_lint(owner_engine):
    """Every tenant table: RLS enabled and forced, a policy with USING and WITH CHECK; the app
    role is no superuser, cannot bypass RLS, owns nothing; no SECURITY DEFINER function."""
    violations = []
    with owner_engine.connect() as conn:
        tables = tenant_tables(conn)
        for table in tables:
            enabled, forced = conn.execute(
                sa.text(
                    "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
                    " WHERE relname = :t AND relnamespace = 'public'::regnamespace"
                ),
                {"t": table},
            ).one()
            policies = conn.execute(
                sa.text("SELECT qual, with_check FROM pg_policies WHERE tablename = :t"),
                {"t": table},
            ).all()
            if not (enabled and forced):
                violations.append(f"{table}: RLS enabled={enabled} forced={forced}")
            if not any(p.qual and p.with_check for p in policies):
                violations.append(f"{table}: no policy with USING and WITH CHECK")
        role = conn.execute(
            sa.text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"),
            {"r": APP_ROLE},
        ).one()
        if role.rolsuper or role.rolbypassrls:
            violations.append(f"{APP_ROLE} is superuser or bypasses RLS")
        owned = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
                " WHERE r.rolname = :r"
            ),
            {"r": APP_ROLE},
        ).scalar_one()
        if owned:
            violations.append(f"{APP_ROLE} owns {owned} relations")
        definers = (
            conn.execute(
                sa.text(
                    "SELECT proname FROM pg_proc WHERE prosecdef"
                    " AND pronamespace = 'public'::regnamespace"
                )
            )
            .scalars()
            .all()
        )
        violations += [f"SECURITY DEFINER function {name}" for name in definers]
        views = conn.execute(
            sa.text(
                "SELECT c.relname, c.reloptions FROM pg_class c WHERE c.relkind = 'v'"
                " AND c.relnamespace = 'public'::regnamespace"
            )
        ).all()
        for view in views:
            if "security_invoker=true" not in (view.reloptions or []):
                violations.append(f"view {view.relname} without security_invoker")
    print(
        f"RLS lint: {len(tables)} tables, {len(views)} views checked; {len(violations)} violations"
    )
    assert tables and not violations, violations


def _settings(a=None):
    return {"a": str(a or ""), "e": "", "p": "", "u": "", "t": ""}


SET = sa.text(
    "SELECT set_config('app.authority_id', :a, true), set_config('app.enterprise_id', :e, true),"
    " set_config('app.platform', :p, true), set_config('app.login_username', :u, true),"
    " set_config('app.token_hash', :t, true)"
)


def _foreign_copy(row: dict, table: str) -> dict:
    """A plausible new row copied from another tenant's row (fresh id and unique keys)."""
    row = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
    row["id"] = str(uuid.uuid4())
    for key, value in {
        "username": f"probe-{uuid.uuid4().hex[:8]}",
        "token_hash": uuid.uuid4().hex * 2,
        "seq": random.randint(10**6, 10**7),
        "name": f"probe-{uuid.uuid4().hex[:8]}",
        "short_name": f"p{uuid.uuid4().hex[:8]}",
        "uscc": "91320700MA1PROBE0",
    }.items():
        if key in row:
            row[key] = value
    return row


def test_raw_sql_probe(app, world, database, owner_engine):
    """As the app role with tenant A set (and with nothing set), raw SQL on every tenant table
    can neither read nor write tenant B's rows."""
    a, b = world.a.authority_id, world.b.authority_id
    engine = sa.create_engine(database.app_url, poolclass=sa.pool.NullPool)
    statements, breaches = 0, []
    with owner_engine.connect() as owner:
        tables = tenant_tables(owner)
        samples = {}
        for table in tables:
            key = "id" if table == "authorities" else "authority_id"
            row = (
                owner.execute(
                    sa.text(f"SELECT * FROM {table} WHERE {key} = :b LIMIT 1"),
                    {"b": str(b)},  # noqa: S608
                )
                .mappings()
                .first()
            )
            samples[table] = (key, dict(row) if row else None)
    for table, (key, sample) in samples.items():
        for label, setting in (("tenant A", a), ("no tenant", None)):
            with engine.connect() as conn:
                with conn.begin():
                    conn.execute(SET, _settings(setting))
                    n = conn.execute(
                        sa.text(f"SELECT count(*) FROM {table} WHERE {key} = :b"),
                        {"b": str(b)},  # noqa: S608
                    ).scalar_one()
                    statements += 1
                    if n:
                        breaches.append(f"{label} read {n} of B's rows in {table}")
                    if setting is None:
                        total = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
                        statements += 1
                        if total:
                            breaches.append(f"no tenant read {total} rows of {table}")
                    statements += 1
                    conn.execute(sa.text("SAVEPOINT probe_delete"))
                    try:
                        deleted = conn.execute(
                            sa.text(f"DELETE FROM {table} WHERE {key} = :b"), {"b": str(b)}
                        )
                        if deleted.rowcount:
                            breaches.append(f"{label} deleted B's rows in {table}")
                    except sa.exc.DBAPIError as exc:  # no DELETE grant, or append-only
                        reason = str(exc.orig)
                        if "permission denied" not in reason and "append-only" not in reason:
                            breaches.append(f"{label} delete {table}: unexpected {reason}")
                        conn.execute(sa.text("ROLLBACK TO SAVEPOINT probe_delete"))
                    conn.rollback()
                if sample is None:
                    continue
                for attempt in ("insert", "update"):
                    statements += 1
                    try:
                        with conn.begin():
                            conn.execute(SET, _settings(setting))
                            if attempt == "insert":
                                row = _foreign_copy(sample, table)
                                cols = ", ".join(row)
                                vals = ", ".join(f":{c}" for c in row)
                                conn.execute(
                                    sa.text(f"INSERT INTO {table} ({cols}) VALUES ({vals})"), row
                                )  # noqa: S608
                            elif table != "authorities":
                                res = conn.execute(
                                    sa.text(
                                        f"UPDATE {table} SET authority_id = :b"
                                        " WHERE authority_id = :a"
                                    ),
                                    {"a": str(a), "b": str(b)},
                                )
                                if res.rowcount:
                                    breaches.append(f"{label} moved rows of {table} to B")
                                continue
                            else:
                                continue
                        breaches.append(f"{label} {attempt} into {table} for B succeeded")
                    except sa.exc.DBAPIError as exc:
                        if (
                            "row-level security" not in str(exc.orig)
                            and "permission denied" not in str(exc.orig)
                            and "append-only" not in str(exc.orig)
                        ):
                            breaches.append(f"{label} {attempt} {table}: unexpected {exc.orig}")
    engine.dispose()
    print(
        f"raw-SQL probe: {statements} statements on {len(samples)} tables, "
        f"{len(breaches)} cross-tenant rows read or written"
    )
    assert not breaches, breaches


CHECK = sa.text("SELECT nullif(current_setting('app.authority_id', true), '')")


class ProbeSession(sa.orm.Session):
    """A session class carrying the app's own hooks (after_begin sets the scope)."""


tenancy.install(ProbeSession)


def _pool_leak_run(database, world, *, session_level_set: bool) -> tuple[int, int, int]:
    """1,000 units of work on a one-connection pool, alternating A, B and no tenant, one in ten
    failing mid-transaction. Returns (requests, stale settings seen at checkout, foreign rows)."""
    engine = sa.create_engine(database.app_url, pool_size=1, max_overflow=0)
    stale = {"n": 0}

    @sa.event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn, record, proxy):
        cur = dbapi_conn.cursor()
        cur.execute("SELECT nullif(current_setting('app.authority_id', true), '')")
        if cur.fetchone()[0] is not None:
            stale["n"] += 1
        cur.close()
        dbapi_conn.rollback()

    tenants = [world.a.authority_id, world.b.authority_id, None]
    foreign = 0
    rng = random.Random(7)
    for i in range(1000):
        authority = tenants[i % 3]
        scope = Scope(authority_id=authority, system=True) if authority else tenancy.ANONYMOUS
        session = ProbeSession(bind=engine)
        try:
            with tenancy.using(scope):
                if session_level_set and authority:
                    # The negative control: a session-level SET survives the pool's reset.
                    session.execute(
                        sa.text("SELECT set_config('app.authority_id', :a, false)"),
                        {"a": str(authority)},
                    )
                rows = (
                    session.execute(sa.text("SELECT authority_id FROM enterprises")).scalars().all()
                )
                foreign += sum(1 for r in rows if authority is None or r != authority)
                if rng.random() < 0.1:
                    raise RuntimeError("injected failure mid-transaction")
                session.commit()
        except RuntimeError:
            session.rollback()
        finally:
            session.close()
    engine.dispose()
    return 1000, stale["n"], foreign


def test_pool_never_carries_a_tenant_setting(app, world, database):
    requests, stale, foreign = _pool_leak_run(database, world, session_level_set=False)
    _, control_stale, control_foreign = _pool_leak_run(database, world, session_level_set=True)
    print(
        f"pool leak: {requests} requests, {stale} stale settings, {foreign} foreign rows; "
        f"negative control detected: {'yes' if control_stale else 'no'} "
        f"({control_stale} stale, {control_foreign} foreign rows)"
    )
    assert stale == 0 and foreign == 0
    assert control_stale > 0, "the checkout probe must catch a session-level SET"


def test_app_requests_leave_no_setting_behind(app, client, world):
    """Through the real app: after requests as A, B and anonymous, a fresh checkout is clean."""
    from app.extensions import db
    from tests import worlds

    with app.app_context():
        tokens = [
            worlds.login(world.a.usernames["regulator"]),
            worlds.login(world.b.usernames["regulator"]),
            None,
        ]
    for i in range(30):
        token = tokens[i % 3]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client.get("/api/v1/enterprises", headers=headers)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(CHECK).scalar_one() is None


def test_raw_sql_probe_enterprise_level(app, world, database, owner_engine):
    """With an enterprise user's settings, the database shows only that enterprise's rows of
    every enterprise-owned table, and refuses writes for the other enterprise."""
    a = world.a
    engine = sa.create_engine(database.app_url, poolclass=sa.pool.NullPool)
    breaches, statements = [], 0
    with owner_engine.connect() as owner:
        tables = (
            owner.execute(
                sa.text(
                    "SELECT DISTINCT table_name FROM information_schema.columns"
                    " WHERE table_schema = 'public' AND column_name = 'enterprise_id'"
                    " AND table_name NOT IN ('auth_tokens')"
                )
            )
            .scalars()
            .all()
        )
    tables = sorted({*tables, "enterprises"})
    settings = {**_settings(a.authority_id), "e": str(a.enterprise1)}
    with engine.connect() as conn:
        for table in tables:
            column = "id" if table == "enterprises" else "enterprise_id"
            with conn.begin():
                conn.execute(SET, settings)
                seen = conn.execute(
                    sa.text(f"SELECT count(*) FROM {table} WHERE {column} <> :e"),
                    {"e": str(a.enterprise1)},
                ).scalar_one()
                statements += 1
                if seen:
                    breaches.append(f"{table}: {seen} rows of another enterprise visible")
                conn.rollback()
            if table == "enterprises":
                continue
            statements += 1
            try:
                with conn.begin():
                    conn.execute(SET, settings)
                    moved = conn.execute(
                        sa.text(
                            f"UPDATE {table} SET enterprise_id = :other WHERE enterprise_id = :e"
                        ),
                        {"e": str(a.enterprise1), "other": str(a.enterprise2)},
                    )
                    if moved.rowcount:
                        breaches.append(f"{table}: rows moved to another enterprise")
            except sa.exc.DBAPIError as exc:
                reason = str(exc.orig)
                if "row-level security" not in reason and "permission denied" not in reason:
                    breaches.append(f"{table}: unexpected {reason}")
    engine.dispose()
    print(
        f"enterprise-level probe: {statements} statements on {len(tables)} tables, "
        f"{len(breaches)} breaches"
    )
    assert len(tables) >= 3 and not breaches, breaches
