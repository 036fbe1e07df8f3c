"""Which real services the suite runs against, and how to make a throwaway database on them.

PostgreSQL: TEST_DATABASE_URL (a role that may create databases and roles; default
postgresql://postgres@127.0.0.1:5432/postgres). Redis: TEST_REDIS_URL (default
redis://127.0.0.1:6379/15). With ANJIAN_REQUIRE_SERVICES=1 (CI) an unreachable service is an
error, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
APP_ROLE = "anjian_app"


@dataclass
class Backend:
    postgres_url: str | None
    redis_url: str | None
    why: str = ""
    why_redis: str = ""


@dataclass
class Database:
    owner_url: str
    app_url: str
    name: str
    is_postgres: bool


def _norm(url: str) -> str:
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url
    )


def detect() -> Backend:
    required = os.environ.get("ANJIAN_REQUIRE_SERVICES") == "1"
    pg = _norm(os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    rd = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    backend = Backend(pg, rd)
    try:
        engine = sa.create_engine(
            pg, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3}
        )
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        backend.postgres_url, backend.why = None, f"{type(exc).__name__}"
    try:
        import redis

        redis.Redis.from_url(rd, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        backend.redis_url, backend.why_redis = None, f"{type(exc).__name__}"
    if required and (backend.postgres_url is None or backend.redis_url is None):
        raise RuntimeError(
            "ANJIAN_REQUIRE_SERVICES=1 but PostgreSQL or Redis is unreachable "
            f"(postgres: {backend.why or 'ok'}, redis: {backend.why_redis or 'ok'})"
        )
    return backend


def describe(backend: Backend) -> str:
    lines = []
    if backend.postgres_url:
        lines.append(f"anjian: PostgreSQL at {make_url(backend.postgres_url).render_as_string()}")
    else:
        lines.append(
            "anjian: NO PostgreSQL — running on SQLite. NOT COVERED: row-level security, the "
            "raw-SQL probe, the pool-leak test, append-only grants, migrations on PostgreSQL."
        )
    if backend.redis_url:
        lines.append(f"anjian: Redis at {backend.redis_url} (real rq worker tests run)")
    else:
        lines.append("anjian: NO Redis — NOT COVERED: jobs through a real rq worker.")
    return "\n".join(lines)


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.cmd_opts = type("Opts", (), {"x": [f"url={url}"]})()
    return cfg


def create_database(backend: Backend, migrate: bool = True) -> Database:
    if backend.postgres_url is None:
        path = Path(tempfile.mkdtemp()) / "anjian-test.sqlite3"
        url = f"sqlite:///{path}"
        if migrate:
            command.upgrade(alembic_config(url), "head")
        return Database(url, url, str(path), False)
    name = f"anjian_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(
        backend.postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
        ).first()
        if not exists:
            conn.execute(sa.text(f"CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS"))
        # Tests log in as the app role itself (trust auth locally); production uses a member role.
        conn.execute(sa.text(f"ALTER ROLE {APP_ROLE} LOGIN"))
    admin.dispose()
    base = make_url(backend.postgres_url)
    owner_url = base.set(database=name).render_as_string(hide_password=False)
    app_url = base.set(database=name, username=APP_ROLE, password=None).render_as_string(
        hide_password=False
    )
    if migrate:
        command.upgrade(alembic_config(owner_url), "head")
    return Database(owner_url, app_url, name, True)


def drop_database(backend: Backend, database: Database) -> None:
    if not database.is_postgres:
        Path(database.name).unlink(missing_ok=True)
        return
    admin = sa.create_engine(
        backend.postgres_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)'))
    admin.dispose()


def sql_uuid(engine, value) -> str:
    """A UUID as raw SQL compares it: SQLite stores 32 hex digits, PostgreSQL a uuid."""
    value = uuid.UUID(str(value))
    return value.hex if engine.dialect.name == "sqlite" else str(value)


def app_config(database: Database, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database.app_url,
        "MIGRATION_DATABASE_URL": database.owner_url,
        "REDIS_URL": None,
        # Cheap hashing keeps factories fast; production parameters are the defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        # The suite logs in over HTTP from one address many times a minute (the fuzzer too);
        # the per-address limit is raised so only the tests aimed at it reach it.
        "LOGIN_ADDRESS_RATE_LIMIT": "200 per minute",
        # Likewise the public tip-off limits (the matrix and the fuzzer send many from one
        # address); the rate-limit test sets the production value back for its own client.
        "TIP_OFF_RATE_LIMIT": "1000 per minute",
        "TIP_OFF_STATUS_RATE_LIMIT": "1000 per minute",
        "PUBLIC_READ_RATE_LIMIT": "1000 per minute",
        "STORAGE_DIR": tempfile.mkdtemp(prefix="anjian-files-"),
        **extra,
    }


BUCKET = "anjian-test"


@contextlib.contextmanager
def moto_s3(aws_dir):
    """moto's ThreadedMotoServer bound to 127.0.0.1 (its default binds 0.0.0.0), the bucket
    created, and nothing from this machine's AWS config or proxies in the environment."""
    import boto3
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(name, raising=False)
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            mp.delenv(name, raising=False)
        mp.setenv("NO_PROXY", "127.0.0.1,localhost")
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        mp.setenv("AWS_CONFIG_FILE", str(aws_dir / "config"))
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws_dir / "credentials"))
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()  # port=0: the OS picked a free one
            endpoint = f"http://{host}:{port}"
            boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
                Bucket=BUCKET
            )
            yield endpoint
        finally:
            server.stop()
