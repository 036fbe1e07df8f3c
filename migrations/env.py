"""Alembic environment. Migrations connect as the schema owner (MIGRATION_DATABASE_URL, falling
back to DATABASE_URL, then the embedded SQLite file); the app itself connects as `anjian_app`."""

from alembic import context
from sqlalchemy import create_engine, pool

from app import config as app_config
from app import idempotency as _idempotency  # noqa: F401
from app.accounts import models as _accounts  # noqa: F401 - registers the tables
from app.audit import models as _audit  # noqa: F401
from app.classification import models as _classification  # noqa: F401
from app.dangers import models as _dangers  # noqa: F401
from app.db import Base
from app.documents import models as _documents  # noqa: F401
from app.enterprises import models as _enterprises  # noqa: F401
from app.hazards import models as _hazards  # noqa: F401
from app.inspections import models as _inspections  # noqa: F401
from app.risks import models as _risks  # noqa: F401
from app.tenants import models as _tenants  # noqa: F401

target_metadata = Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return app_config._normalise_url(url)
    return app_config.load({"TESTING": True})["MIGRATION_DATABASE_URL"]


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
