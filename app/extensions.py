"""Extension objects, created unbound so any module can import them without a cycle."""

import http

from flask_limiter import Limiter
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy

from app.db import Base
from app.errors import PROBLEM, ProblemSchema

db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def _client_address():
    from flask import request

    return request.remote_addr or "unknown"


# Limits are declared per route (login, public endpoints); storage is Redis when configured.
limiter = Limiter(key_func=_client_address, default_limits=[], headers_enabled=True)


class AnjianApi(Api):
    """flask-smorest, documenting our problem+json errors (app.errors handles them)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        # flask-smorest documents errors with the success content type; ours are
        # application/problem+json, and the contract must say so.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
