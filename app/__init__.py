"""Anjian (安监): multi-tenant work-safety compliance backend."""

from __future__ import annotations

import importlib

from flask import Flask, Response, request
from flask_sqlalchemy.session import Session
from werkzeug.middleware.proxy_fix import ProxyFix

from app import apidocs, errors, i18n, storage, tenancy, webclient
from app import config as config_module
from app.accounts import service as accounts
from app.audit import service as audit
from app.cli import register as register_cli
from app.extensions import AnjianApi, db, limiter
from app.jsonio import AnjianJSON
from app.spec import spec_yaml
from app.web import add_etag_header

# Every blueprint, explicitly: reading this list tells you the whole API surface.
BLUEPRINTS = (
    "app.accounts.api",
    "app.tenants.api",
    "app.enterprises.api",
    "app.hazards.api",
    "app.risks.api.points",
    "app.risks.api.lists",
    "app.risks.api.maps",
    "app.audit.api",
    "app.dangers.api.ledger",
    "app.dangers.api.evidence",
    "app.dangers.api.tipoffs",
    "app.dangers.api.inbox",
    "app.inspections.api.planning",
    "app.inspections.api.records",
    "app.inspections.api.public",
    "app.documents.api",
    "app.classification.api.inputs",
    "app.classification.api.classes",
    "app.dashboard.api",
    "app.dictionaries.api",
)

# Job modules register their jobs on import.
JOB_MODULES = (
    "app.audit.jobs",
    "app.risks.jobs",
    "app.dangers.jobs",
    "app.inspections.jobs",
    "app.documents.jobs",
    "app.classification.jobs",
)


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.json_provider_class = AnjianJSON
    app.json = AnjianJSON(app)
    app.config.update(config_module.load(overrides))

    if int(app.config["PROXY_FIX_X_FOR"]):
        # Rate limits key on the client address: behind a proxy, take it from X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]))
    db.init_app(app)
    storage.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    # One Api per app: the spec is built from exactly this app's blueprints.
    api = AnjianApi(app)
    app.extensions["anjian_api"] = api
    apidocs.init_app(app, api)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token"}
    )
    for module in BLUEPRINTS:
        module = importlib.import_module(module)
        api.register_blueprint(module.blp)
        if hasattr(module, "public"):
            api.register_blueprint(module.public)
    apidocs.name_tags(api)
    for module in JOB_MODULES:
        importlib.import_module(module)
    errors.register(app)

    _install_session_hooks()
    app.before_request(_authenticate)
    app.after_request(add_etag_header)
    app.teardown_request(_reset_scope)

    @app.get("/openapi.yaml")
    def openapi_yaml():
        return Response(spec_yaml(app), mimetype="application/yaml")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    # Last: the client's catch-all route must not shadow anything registered above.
    webclient.init_app(app)
    register_cli(app)
    return app


_hooks_installed = False


def _install_session_hooks() -> None:
    # Hooks on Flask-SQLAlchemy's session class: once per process, whatever the number of apps.
    global _hooks_installed
    if not _hooks_installed:
        tenancy.install(Session)
        audit.install(Session)
        _hooks_installed = True


def _authenticate():
    tenancy.set_scope(tenancy.ANONYMOUS)
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.Unauthorized("use 'Authorization: Bearer <token>'")
    accounts.authenticate(db.session, token.strip())
    return None


def _reset_scope(exc=None):
    tenancy.set_scope(tenancy.ANONYMOUS)
