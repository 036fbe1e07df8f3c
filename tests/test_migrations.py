"""Migrations create everything, and upgrade → downgrade → upgrade works on an empty database."""

import pytest
import sqlalchemy as sa
from alembic import command

from tests import services
from tests.conftest import BACKEND
from tests.test_rls import test_rls_catalog_lint as rls_lint


@pytest.mark.postgres
def test_upgrade_downgrade_upgrade_on_empty_postgres():
    database = services.create_database(BACKEND, migrate=False)
    engine = sa.create_engine(database.owner_url, poolclass=sa.pool.NullPool)
    try:
        cfg = services.alembic_config(database.owner_url)
        command.upgrade(cfg, "head")
        rls_lint(engine)
        command.downgrade(cfg, "base")
        with engine.connect() as conn:
            left = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> 'alembic_version'"
                )
            ).scalar_one()
            functions = conn.execute(
                sa.text("SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
            ).scalar_one()
        assert left == 0 and functions == 0
        command.upgrade(cfg, "head")
        rls_lint(engine)
    finally:
        engine.dispose()
        services.drop_database(BACKEND, database)


def test_migrations_build_a_working_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'embedded.sqlite3'}"
    cfg = services.alembic_config(url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert {
        "authorities",
        "regions",
        "enterprises",
        "users",
        "auth_tokens",
        "audit_events",
    } <= names


def test_models_and_migrations_agree(database):
    """Autogenerate finds nothing to add: every model change came with a revision."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.db import Base

    engine = sa.create_engine(database.owner_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
