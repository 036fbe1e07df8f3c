"""The `Idempotency-Key` header: a retried write answers exactly what the first one answered.

Tablets retry writes they never heard back about. Two mechanisms make that safe, and they are
not equal:

- The guarantee is the resource's own permanent unique constraint on a client-generated UUID
  (hidden dangers' `client_id`, unique per authority, forever). A device that was offline for a
  week, a key that expired, a key record that was never stored: the retry still meets the
  constraint and gets the existing entry back, never a duplicate.
- This module is the response cache and the body-mismatch detector on top. The same key with the
  same request (method, path with query, body) replays the stored response (status, JSON body,
  ETag and Location) without running the view again; the same key with another request is a 422
  naming the header, since the client is reusing a key for something else, a client bug.

How it runs, and why:

- Keys are scoped per (authority, user, key): two tenants, or two users of one tenant, may pick
  the same string and never see each other's responses (the ORM scope and row-level security
  both restrict the rows to the caller's own).
- Only requests of an authenticated user acting in an authority are cached (the scope has both
  a user and an authority). Anything else just runs the view: the platform operator has no
  authority to file the record under, and the public endpoints have their own rate limits.
- The record is looked up before the view, in the view's own transaction. After the view has
  committed its work (the house rule: the view commits once), the record is stored in a second,
  short transaction with INSERT ... ON CONFLICT DO NOTHING, so two racing first attempts leave
  one record. If storing fails (a database hiccup), it is logged and the real response still
  goes out: the data is committed and the client must hear so; the next retry runs the view,
  which answers from the unique constraint.
- Only 2xx responses are stored. An error changed nothing that was committed, and many are
  transient (409 on a race, 412, 429, 503): a retry with the same key must be able to succeed
  once the cause is gone instead of replaying the failure forever.
- Records older than IDEMPOTENCY_TTL_HOURS are treated as absent (the key may be reused), and
  `prune` deletes them; the unique constraint still holds past that.
- Only JSON (or empty) success bodies are replayable; a view answering something else is run
  again on a retry.
- The records are a cache, not business data: they are written with set-based statements,
  outside the audit trail.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
import uuid
from copy import deepcopy

from flask import current_app, g, has_app_context, jsonify, make_response, request
from sqlalchemy import (
    JSON,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    and_,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from app import tenancy
from app.db import Base, IdMixin, TenantMixin, UTCDateTime, commit, new_id, upsertable_insert
from app.db import utcnow as _utcnow
from app.errors import AppError, Unprocessable
from app.extensions import db
from app.messages import Msg

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
IDEMPOTENCY_TTL_HOURS = 72
MAX_KEY_LENGTH = 255
MAX_PATH_LENGTH = 2048
# Printable ASCII (space to tilde), 1 to 255 characters.
_KEY = re.compile(rf"[\x20-\x7e]{{1,{MAX_KEY_LENGTH}}}")
# The only response headers worth replaying: the version read and the created resource.
REPLAYED_HEADERS = ("ETag", "Location")
REPLAY_MARK = "Idempotent-Replayed"
_ERROR_FIELD = f"headers.{HEADER}"


class IdempotencyKey(IdMixin, TenantMixin, Base):
    """One stored answer to one (authority, user, key)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("authority_id", "user_id", "key"),
        # The user is of the same authority (no key filed under a foreign user).
        ForeignKeyConstraint(["authority_id", "user_id"], ["users.authority_id", "users.id"]),
        Index("ix_idempotency_keys_created_at", "created_at"),  # for prune
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(MAX_PATH_LENGTH))
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[dict | list | None] = mapped_column(JSON, nullable=True)
    response_headers: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=_utcnow)

    @classmethod
    def scope_criteria(cls, scope):
        # Mirrors the row-level security policy: a user's own records; system work (no user)
        # sees the authority's, so a job can prune them.
        base = super().scope_criteria(scope)
        if scope.user_id is not None:
            return and_(base, cls.user_id == scope.user_id)
        return base


def ttl() -> dt.timedelta:
    hours = IDEMPOTENCY_TTL_HOURS
    if has_app_context():
        hours = current_app.config.get("IDEMPOTENCY_TTL_HOURS", hours)
    return dt.timedelta(hours=float(hours))


def prune(session: Session, now: dt.datetime) -> int:
    """Delete the expired records the caller's scope sees (a job runs it per authority, in the
    authority's system scope); returns how many. Never commits."""
    result = session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.created_at < now - ttl())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- the request's fingerprint ----------------------------------------------------------------


def _canonical(value) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")  # JSON may carry a lone surrogate


def _file_sha256(stream) -> str:
    h = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(64 * 1024):
        h.update(chunk)
    stream.seek(0)  # the view reads it next
    return h.hexdigest()


def _body_part(req) -> tuple[str, bytes]:
    if req.mimetype == "multipart/form-data":
        # A retried upload has a new boundary: compare the fields and the files' contents.
        files = []
        for name, storage in req.files.items(multi=True):
            files.append([name, storage.filename or "", _file_sha256(storage.stream)])
        form = sorted([name, value] for name, value in req.form.items(multi=True))
        return "multipart", _canonical({"form": form, "files": sorted(files)})
    raw = req.get_data(cache=True)
    if req.is_json:
        try:
            # Key order and whitespace are not part of the request's meaning.
            return "json", _canonical(json.loads(raw))
        except (ValueError, RecursionError):
            pass  # the view answers 400 for it; the raw bytes still identify the request
    return "raw", raw


def fingerprint(req) -> str:
    """sha256 over the method, the path with its query string, and the body (canonical JSON,
    multipart fields and file digests, or the raw bytes)."""
    kind, body = _body_part(req)
    query = req.query_string.decode("latin-1")
    target = req.path + (f"?{query}" if query else "")
    h = hashlib.sha256()
    h.update(f"{req.method}\n{target}\n{kind}\n".encode("utf-8", "surrogatepass"))
    h.update(body)
    return h.hexdigest()


# --- the decorator ----------------------------------------------------------------------------


def _key(required: bool) -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        if required:
            raise AppError(
                Msg(
                    "this operation needs an %(header)s header (a fresh random key per operation)",
                    header=HEADER,
                ),
                errors={_ERROR_FIELD: ["required"]},
            )
        return None
    if not _KEY.fullmatch(value) or not value.strip():
        raise AppError(
            Msg(
                "%(header)s must be 1-%(max)s printable ASCII characters",
                header=HEADER,
                max=MAX_KEY_LENGTH,
            ),
            errors={
                _ERROR_FIELD: [Msg("1-%(max)s printable ASCII characters", max=MAX_KEY_LENGTH)]
            },
        )
    return value


def _lookup(session: Session, scope, key: str, now: dt.datetime) -> IdempotencyKey | None:
    return session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.authority_id == scope.authority_id,
            IdempotencyKey.user_id == scope.user_id,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at >= now - ttl(),
        )
    )


def _replay(record: IdempotencyKey):
    if record.response_body is None:
        response = current_app.response_class(status=record.status_code)
    else:
        response = jsonify(record.response_body)
        response.status_code = record.status_code
    for name, value in (record.response_headers or {}).items():
        response.headers[name] = value
    response.headers[REPLAY_MARK] = "true"
    return response


def _replayable(response) -> tuple[bool, object]:
    """(storable, body): a JSON body, or none at all."""
    if not response.is_sequence:  # streamed, or a file passed straight through
        return False, None
    if not response.get_data():
        return True, None
    body = response.get_json(silent=True) if response.is_json else None
    return body is not None, body


def _store(session: Session, scope, key: str, digest: str, response) -> None:
    storable, body = _replayable(response)
    if not storable:
        log.info("%s: a non-JSON response is not replayable; not stored", request.path)
        return
    headers = {name: response.headers.get(name) for name in REPLAYED_HEADERS}
    # The ETag is set after the request (app.web.add_etag_header) from what the view noted.
    headers["ETag"] = headers["ETag"] or g.get("anjian_etag")
    now = _utcnow()
    table = IdempotencyKey.__table__
    mine = (
        IdempotencyKey.authority_id == scope.authority_id,
        IdempotencyKey.user_id == scope.user_id,
        IdempotencyKey.key == key,
    )
    # An expired record of the same key makes way for this one.
    session.execute(
        delete(IdempotencyKey)
        .where(*mine, IdempotencyKey.created_at < now - ttl())
        .execution_options(synchronize_session=False)
    )
    session.execute(
        upsertable_insert(session, table)
        .values(
            id=new_id(),
            authority_id=scope.authority_id,
            user_id=scope.user_id,
            key=key,
            method=request.method,
            path=request.full_path.rstrip("?")[:MAX_PATH_LENGTH],
            request_sha256=digest,
            status_code=response.status_code,
            response_body=body,
            response_headers={k: v for k, v in headers.items() if v},
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["authority_id", "user_id", "key"])
    )
    commit(session)


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    except Exception:
        log.exception("rollback after a failed %s store failed", HEADER)


def idempotent(required: bool = False):
    """Honour `Idempotency-Key` on a write view (see the module docstring). Place it directly
    under `@require(...)` and above `@blp.arguments` / `@blp.response`, so it sees the caller
    and the serialized response. With `required`, a request without the header is a 400."""

    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            key = _key(required)
            scope = tenancy.current()
            if key is None or scope.user_id is None or scope.authority_id is None:
                return view(*args, **kwargs)
            session = db.session
            digest = fingerprint(request)
            record = _lookup(session, scope, key, _utcnow())
            if record is not None:
                if record.request_sha256 != digest:
                    raise Unprocessable(
                        Msg(
                            "this %(header)s was already used for a different request; send a"
                            " new key for a new operation",
                            header=HEADER,
                        ),
                        errors={_ERROR_FIELD: ["already used with another request"]},
                    )
                return _replay(record)
            response = make_response(view(*args, **kwargs))
            if 200 <= response.status_code < 300:
                try:
                    _store(session, scope, key, digest, response)
                except Exception:
                    # The view's work is committed and the caller must hear so; a retry meets
                    # the resource's own unique constraint instead of this cache.
                    log.exception("storing the %s record failed", HEADER)
                    _rollback(session)
            return response

        # functools.wraps shares the view's doc dict: copy it before adding to it.
        apidoc = deepcopy(getattr(view, "_apidoc", {}))
        arguments = apidoc.setdefault("arguments", {})
        arguments.setdefault("parameters", []).append(
            {
                "in": "header",
                "name": HEADER,
                "required": required,
                "description": "A fresh random key per operation: a retry with the same key "
                "and the same request replays the first response; with another request, 422.",
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_KEY_LENGTH,
                    "pattern": "^[ -~]+$",  # printable ASCII
                },
            }
        )
        responses = arguments.setdefault("responses", {})
        responses.setdefault(400, "BAD_REQUEST")
        responses.setdefault(422, "UNPROCESSABLE_ENTITY")
        inner._apidoc = apidoc
        return inner

    return wrap


__all__ = [
    "HEADER",
    "IDEMPOTENCY_TTL_HOURS",
    "IdempotencyKey",
    "fingerprint",
    "idempotent",
    "prune",
]
