"""Database core: the declarative base, shared column types and mixins, and the one commit.

Services flush; the boundary (an API view or the job wrapper) calls `commit()` exactly once.
Side effects (jobs, file deletions) registered with `after_commit` run only once the commit has
succeeded, and are dropped on rollback, so a worker never sees a row that does not exist.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    Uuid,
    and_,
    column,
    event,
    false,
    select,
    table,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562): time-ordered, so keyset pagination by id follows creation order and
    the primary-key index stays append-mostly."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (rand >> 68) << 64 & (0xFFF << 64)
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on every backend (SQLite drops the offset; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; store UTC-aware datetimes")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class VersionedMixin:
    """Optimistic concurrency: the row version is the ETag, and SQLAlchemy refuses to write over
    a version it did not read (StaleDataError), which the API turns into 412."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - declared_attr takes the class
        return {"version_id_col": cls.version}


class TenantViolation(RuntimeError):
    """A write that would cross the caller's scope: a bug, never a user error."""


class TenantMixin:
    """A row owned by one authority (the tenant). Stamped from the caller's scope on insert;
    filtered by the ORM scope hook (`scope_criteria`) and by PostgreSQL row-level security.
    The scope object is app.tenancy.Scope (duck-typed here to keep this module at the bottom)."""

    @declared_attr
    def authority_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805
        return mapped_column(Uuid, ForeignKey("authorities.id"), nullable=False, index=True)

    @classmethod
    def scope_criteria(cls, scope):
        if scope.authority_id is None:
            return false()
        return cls.authority_id == scope.authority_id

    def stamp_scope(self, scope) -> None:
        if self.authority_id is None:
            self.authority_id = scope.authority_id
        if scope.authority_id is None or self.authority_id != scope.authority_id:
            raise TenantViolation(f"insert of {type(self).__name__} outside the caller's authority")

    def check_scope_unchanged(self, scope) -> None:
        if scope.authority_id is None or self.authority_id != scope.authority_id:
            raise TenantViolation(f"update of {type(self).__name__} outside the caller's authority")


# Lightweight handle on the enterprises table, for scope subqueries without importing the model.
_enterprises = table("enterprises", column("id"), column("authority_id"), column("street_id"))


class EnterpriseOwnedMixin(TenantMixin):
    """A row owned by one enterprise of one authority. Enterprise users see only their
    enterprise's rows; a street-level regulator only rows of its street's enterprises. The
    composite foreign key (authority_id, enterprise_id) is declared by each model's table args."""

    @declared_attr
    def enterprise_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805
        return mapped_column(Uuid, nullable=False, index=True)

    @classmethod
    def scope_criteria(cls, scope):
        base = super().scope_criteria(scope)
        if scope.enterprise_id is not None:
            return and_(base, cls.enterprise_id == scope.enterprise_id)
        if scope.street_id is not None:
            street = select(_enterprises.c.id).where(
                _enterprises.c.authority_id == scope.authority_id,
                _enterprises.c.street_id == scope.street_id,
            )
            return and_(base, cls.enterprise_id.in_(street))
        return base

    def stamp_scope(self, scope) -> None:
        super().stamp_scope(scope)
        self._check_enterprise(scope)

    def check_scope_unchanged(self, scope) -> None:
        super().check_scope_unchanged(scope)
        self._check_enterprise(scope)

    def _check_enterprise(self, scope) -> None:
        if scope.enterprise_id is not None and self.enterprise_id != scope.enterprise_id:
            raise TenantViolation(f"{type(self).__name__} of another enterprise")


def upsertable_insert(session: Session, table):
    """INSERT with ON CONFLICT for the session's backend (PostgreSQL, or SQLite when embedded):
    the statement every idempotent set-based write here is built on."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def tenant_fk(column: str, table: str) -> ForeignKeyConstraint:
    """A reference that cannot cross authorities: (authority_id, column) → the table's pair."""
    return ForeignKeyConstraint(["authority_id", column], [f"{table}.authority_id", f"{table}.id"])


def check_in(column: str, values, name: str | None = None) -> CheckConstraint:
    """A CHECK that the column holds one of `values` (an enum's members or plain codes), so no
    write path (a job, a raw statement) can store another."""
    listed = ", ".join(repr(str(v)) for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or column)


def enterprise_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["authority_id", "enterprise_id"], ["enterprises.authority_id", "enterprises.id"]
    )


# --- the one commit ---------------------------------------------------------------------------

_AFTER_COMMIT = "anjian_after_commit"
_STATE = "anjian_after_commit_state"


def after_commit(session: Session, callback: Callable[[], None], key: str | None = None) -> None:
    """Run `callback` once the commit succeeds; with a `key`, once per key per transaction."""
    callbacks = session.info.setdefault(_AFTER_COMMIT, {})
    callbacks.setdefault(key or object(), callback)


def transaction_state(session: Session, key: str) -> set:
    """A set living exactly as long as the transaction's side effects (dropped on rollback)."""
    return session.info.setdefault(_STATE, {}).setdefault(key, set())


def commit(session: Session) -> None:
    session.commit()
    callbacks = session.info.pop(_AFTER_COMMIT, {})
    try:
        for callback in callbacks.values():
            try:
                callback()
            except Exception:
                # The data is committed and the caller must hear so: a side effect that cannot
                # start (Redis down, say) is logged, and the periodic jobs catch up with it.
                log.exception("a side effect after commit failed")
    finally:
        session.info.pop(_STATE, None)


@event.listens_for(Session, "after_soft_rollback")
def _drop_side_effects(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_AFTER_COMMIT, None)
        session.info.pop(_STATE, None)


@event.listens_for(Engine, "connect")
def _sqlite_setup(dbapi_connection, connection_record):
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    # SQLite ignores foreign keys unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # The SQL functions set-based statements use; PostgreSQL gets them from the migrations.
    dbapi_connection.create_function(
        "anjian_sha256",
        1,
        lambda text: hashlib.sha256(text.encode()).hexdigest(),
        deterministic=True,
    )
    dbapi_connection.create_function("anjian_uuid", 0, lambda: new_id().hex)
