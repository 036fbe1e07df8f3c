"""Test harness: a throwaway PostgreSQL database built by the migrations (or a SQLite file when no
PostgreSQL is reachable, said loudly), the app connecting as the unprivileged `anjian_app` role,
and factories that build isolated worlds. Each test makes its own authorities, so tenancy itself
keeps tests apart; the database is dropped at the end of the run."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from tests import services

BACKEND = services.detect()


def pytest_report_header(config):
    return services.describe(BACKEND)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and BACKEND.postgres_url is None:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL not reachable: " + BACKEND.why))
        if "redis" in item.keywords and BACKEND.redis_url is None:
            item.add_marker(pytest.mark.skip(reason="Redis not reachable: " + BACKEND.why_redis))


@pytest.fixture(scope="session")
def database():
    db = services.create_database(BACKEND)
    yield db
    services.drop_database(BACKEND, db)


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on 127.0.0.1 (a free port), with the test bucket; fake credentials."""
    with services.moto_s3(tmp_path_factory.mktemp("aws")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def app(database, s3_endpoint):
    """The app as deployed: PostgreSQL (or the SQLite fallback) and evidence on S3 (moto)."""
    from app import create_app

    app = create_app(
        services.app_config(
            database, S3_BUCKET=services.BUCKET, S3_ENDPOINT_URL=s3_endpoint, STORAGE_DIR=None
        )
    )
    yield app
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()


@pytest.fixture
def client(app):
    """A client that asks for English: the API's messages are Chinese by default (app.i18n), and
    the tests that read them were written in English. tests/test_i18n.py covers the Chinese."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def owner_engine(database):
    """A connection as the schema owner (bypasses RLS on PostgreSQL): for asserting ground truth."""
    engine = sa.create_engine(database.owner_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def world(app):
    """Two authorities with streets, enterprises and a user of every role (see tests/worlds.py)."""
    from tests.worlds import build_world

    with app.app_context():
        return build_world()


@pytest.fixture
def unique():
    return lambda prefix="t": f"{prefix}{uuid.uuid4().hex[:10]}"


@pytest.fixture(autouse=True)
def _clean_scope():
    from app import tenancy

    tenancy.set_scope(tenancy.ANONYMOUS)
    yield
    tenancy.set_scope(tenancy.ANONYMOUS)


os.environ.setdefault("FLASK_DEBUG", "0")
