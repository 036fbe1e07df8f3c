"""Extension objects, created unbound so any module can import them without a cycle."""

from flask_limiter import Limiter
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from app.db import Base
from app.errors import ProblemSchema

db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def _client_address():
    from flask import request

    return request.remote_addr or "unknown"


# Limits are declared per route (login, public endpoints); storage is Redis when configured.
limiter = Limiter(key_func=_client_address, default_limits=[], headers_enabled=True)


class AnjianApi(Api):
    """flask-smorest, documenting our problem+json errors (app.errors handles them)."""

    ERROR_SCHEMA = ProblemSchema
