"""One error shape for the whole API: application/problem+json (RFC 9457) with field errors.

No route answers an HTML page or a stack trace: every exception ends here. Title, detail and
every message of `errors` are said in the caller's language (app.i18n: Chinese by default, English
on `Accept-Language: en`); the `type` URI and the field names of `errors` stay as they are.
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify
from marshmallow import Schema, fields
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app import i18n
from app.messages import Msg

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every error response carries them (documentation only)."""

    type = fields.String(required=True)
    title = fields.String(
        required=True,
        metadata={
            "description": "in the caller's language: Chinese, or English on Accept-Language: en"
        },
    )
    status = fields.Integer(required=True)
    detail = fields.String(metadata={"description": "in the caller's language, as the title"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "field name -> list of messages (nested for nested fields); the messages"
            " in the caller's language, the field names as sent"
        },
    )


class AppError(Exception):
    status = 400
    title = Msg("Bad request")
    slug = "bad-request"

    def __init__(self, detail: str | None = None, errors: dict | None = None, headers=None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}


class Unauthorized(AppError):
    status, title, slug = 401, Msg("Not authenticated"), "unauthorized"

    def __init__(self, detail=None, errors=None):
        super().__init__(detail, errors, {"WWW-Authenticate": 'Bearer realm="anjian"'})


class Forbidden(AppError):
    status, title, slug = 403, Msg("Forbidden"), "forbidden"


class NotFound(AppError):
    status, title, slug = 404, Msg("Not found"), "not-found"


class Conflict(AppError):
    status, title, slug = 409, Msg("Conflict"), "conflict"


class PreconditionFailed(AppError):
    status, title, slug = 412, Msg("Precondition failed"), "precondition-failed"


class Unprocessable(AppError):
    status, title, slug = 422, Msg("Validation failed"), "validation"


class PreconditionRequired(AppError):
    status, title, slug = 428, Msg("Precondition required"), "precondition-required"


def problem(
    status: int, title: str, detail: str | None = None, errors=None, slug=None, headers=None
):
    body = {
        "type": f"https://anjian.example/problems/{slug or status}",
        "title": i18n.translate(title),
        "status": status,
    }
    if detail:
        body["detail"] = i18n.translate(detail)
    if errors:
        body["errors"] = i18n.translate(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _webargs_errors(data) -> dict | None:
    """webargs reports {location: {field: [messages]}}: flatten JSON-body errors to field level,
    keep other locations prefixed (query.limit)."""
    messages = (data or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    flat: dict = {}
    for location, by_field in messages.items():
        if not isinstance(by_field, dict):
            flat[location] = by_field
            continue
        for field, msgs in by_field.items():
            flat[field if location == "json" else f"{location}.{field}"] = msgs
    return flat


def register(app) -> None:
    @app.errorhandler(AppError)
    def _app_error(exc: AppError):
        return problem(exc.status, exc.title, exc.detail, exc.errors, exc.slug, exc.headers)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        data = getattr(exc, "data", None)
        errors = _webargs_errors(data)
        headers = {}
        if exc.code == 429:
            retry = getattr(exc, "retry_after", None) or 60
            headers["Retry-After"] = str(int(retry))
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        detail = None if errors else exc.description
        title = Msg("Validation failed") if exc.code == 422 else (exc.name or Msg("Error"))
        return problem(exc.code or 500, title, detail, errors, headers=headers)

    @app.errorhandler(StaleDataError)
    def _stale(exc):
        return problem(
            412,
            "Precondition failed",
            "the resource was changed by someone else; read it again",
            slug="precondition-failed",
        )

    @app.errorhandler(IntegrityError)
    def _integrity(exc):
        # Deliberately vague: the constraint might involve rows the caller cannot see.
        log.info("integrity error: %s", exc.orig)
        return problem(409, "Conflict", "the request conflicts with existing data", slug="conflict")

    @app.errorhandler(DataError)
    def _data_error(exc):
        # A value the schema let through but the database refuses: still the caller's input.
        log.warning("data error: %s", exc.orig)
        return problem(
            422, "Validation failed", "a value is out of range or malformed", slug="validation"
        )

    from app.storage import StorageError  # storage depends on nothing of ours; no cycle

    @app.errorhandler(StorageError)
    def _storage(exc):
        # The file store is down or refuses (a bucket without Object Lock, say): the request
        # changed nothing that was committed, and may be retried.
        current_app.logger.error("storage error: %s", exc)
        return problem(
            503,
            "Service unavailable",
            "file storage is unavailable; try again later",
            slug="storage-unavailable",
            headers={"Retry-After": "30"},
        )

    @app.errorhandler(Exception)
    def _unexpected(exc):
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        current_app.logger.exception("unhandled error")
        return problem(
            500, "Internal server error", "an unexpected error occurred", slug="internal"
        )
