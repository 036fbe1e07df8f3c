"""Request plumbing shared by every blueprint: who is asking, role checks, ETags, pagination."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
import uuid
from collections.abc import Mapping

import flask_smorest
from flask import Response, g, request
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import BadRequest

from app import tenancy
from app.accounts.rules import USERNAME_RE, username_ok
from app.errors import Forbidden, PreconditionFailed, PreconditionRequired, Unauthorized
from app.messages import Msg
from app.storage import CHUNK, content_disposition

BEARER = [{"bearerAuth": []}]


class _StrictParser(FlaskParser):
    # A misspelt filter (?sectr=...) must be an error, not silently "no filter".
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE}

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:  # not a ValueError: it would escape as a 500
            raise BadRequest("JSON nested too deeply") from None


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _StrictParser()


def require(*roles):
    """Allow the route only to authenticated users with one of `roles` (403 otherwise).

    Object-level scope is not decided here: out-of-scope objects are simply invisible to the
    scoped queries and answer 404. Put it right under the route decorator, so a caller who may
    not call the route learns nothing from validation errors.
    """

    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            scope = tenancy.current()
            if scope.user_id is None:
                raise Unauthorized("a valid bearer token is required")
            if roles and scope.role not in roles:
                raise Forbidden("your role may not do this")
            return view(*args, **kwargs)

        # flask-smorest reads documentation from the function's __apidoc__.
        apidoc = getattr(inner, "_apidoc", {})
        apidoc.setdefault("manual_doc", {})["security"] = BEARER
        inner._apidoc = apidoc
        return inner

    return wrap


# --- ETag / If-Match ------------------------------------------------------------------------


def etag_of(obj) -> str:
    return f'"{obj.id}.{obj.version}"'


def with_etag(response_obj):
    g.anjian_etag = etag_of(response_obj)
    return response_obj


def check_if_match(obj) -> None:
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired("send If-Match with the ETag you read")
    candidates = {tag.strip() for tag in header.split(",")}
    if "*" not in candidates and etag_of(obj) not in candidates:
        raise PreconditionFailed("the resource changed since you read it; read it again")


def add_etag_header(response):
    tag = g.pop("anjian_etag", None)
    if tag and response.status_code < 300:
        response.headers["ETag"] = tag
    return response


# --- cursor pagination ----------------------------------------------------------------------


def encode_cursor(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).decode().rstrip("=")


def decode_cursor(cursor: str) -> uuid.UUID:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return uuid.UUID(bytes=raw)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("not a cursor this API issued") from exc


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored as text, or None."""
    if _CONTROL.search(value):
        return Msg("must not contain control characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800" from JSON
        return Msg("must be valid Unicode text")
    return None


def _text_problems(value):
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, list):
        found = {i: p for i, item in enumerate(value) if (p := _text_problems(item))}
        return found or None
    if isinstance(value, Mapping):
        found = {k: p for k, item in value.items() if (p := _text_problems(item))}
        return found or None
    return None


class BaseSchema(Schema):
    """Every API schema: unknown fields are rejected (marshmallow's default, kept on purpose), and
    no string anywhere in the input, body or query, may carry control characters or invalid
    Unicode (PostgreSQL refuses NUL and lone surrogates; the rest is never data)."""

    @pre_load
    def _only_clean_text(self, data, **kwargs):
        if isinstance(data, Mapping):
            bad = {
                key: [problem] if isinstance(problem, str) else problem
                for key, value in data.items()
                if (problem := _text_problems(value))
            }
            if bad:
                raise ValidationError(bad)
        return data


class UTCDateTime(fields.AwareDateTime):
    """An ISO 8601 moment with its offset, converted to UTC; one that has no UTC equivalent
    (year 1 at +14:00) is a validation error, not an overflow deep in the database driver."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise ValidationError("out of range") from exc


def username_field(**kwargs) -> fields.String:
    """A login name: 3-64 of a-z 0-9 . _ -, starting with a letter or digit."""

    def check(value):
        if not username_ok(value):
            raise ValidationError("3-64 characters: a-z, 0-9, '.', '_' or '-'")

    return fields.String(validate=check, metadata={"pattern": USERNAME_RE.pattern}, **kwargs)


class Partial:
    """Mixed into an entity schema for PATCH: every field optional, the same validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class PageArgsSchema(BaseSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=64))

    @validates("cursor")
    def _cursor(self, value, **kwargs):
        if value is not None:
            decode_cursor(value)


def page(session, stmt, model, args, *, rows: bool = False) -> dict:
    """Keyset page over the (time-ordered UUIDv7) primary key: no OFFSET, stable under inserts.
    With `rows`, the statement selects several entities and `model` is the first (the key)."""
    if args.get("cursor"):
        stmt = stmt.where(model.id > decode_cursor(args["cursor"]))
    limit = args.get("limit") or 50
    stmt = stmt.order_by(model.id).limit(limit + 1)
    items = session.execute(stmt).all() if rows else list(session.scalars(stmt))
    more = len(items) > limit
    items = items[:limit]
    last = (items[-1][0] if rows else items[-1]) if items else None
    return {"items": items, "next_cursor": encode_cursor(last.id) if more else None}


def page_schema(item_schema, name: str):
    return type(
        name,
        (BaseSchema,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(allow_none=True, required=True),
        },
    )


def file_response(stream, mimetype: str, filename: str):
    """Stream a stored file as a download (the embedded mode, where nothing can be presigned):
    an attachment, never sniffed into something a browser would run."""

    def chunks():
        with stream:
            while chunk := stream.read(CHUNK):
                yield chunk

    return Response(
        chunks(),
        mimetype=mimetype,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
        },
    )
