"""Inputs of classification: accidents, safety conditions, penalties, the blacklist (and its
public list)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS, Role
from app.classification.models import Accident, BlacklistEntry, Penalty
from app.classification.schemas import (
    AccidentSchema,
    BlacklistSchema,
    EnterpriseArgsSchema,
    PenaltySchema,
    PublicBlacklistSchema,
    RevocationSchema,
    SafetyConditionsSchema,
)
from app.classification.service import inputs
from app.dangers.service.tipoffs import as_public
from app.db import commit
from app.extensions import db, limiter
from app.idempotency import idempotent
from app.inspections.service import common
from app.web import Blueprint, check_if_match, page, page_schema, require, with_etag

blp = Blueprint(
    "classification_inputs",
    __name__,
    url_prefix="/api/v1",
    description="Classification inputs: accidents, safety conditions, penalties, the blacklist",
)
public = Blueprint(
    "public_blacklist",
    __name__,
    url_prefix="/api/v1/public",
    description="The blacklist (失信名单) in force; no account",
)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
REPORTERS = (Role.ENTERPRISE_ADMIN, *REGULATORS)


@blp.route("/accidents")
class Accidents(MethodView):
    @require(*READERS)
    @blp.arguments(EnterpriseArgsSchema, location="query")
    @blp.response(200, page_schema(AccidentSchema, "AccidentPageSchema"))
    def get(self, args):
        return page(db.session, inputs.accidents(args), Accident, args)

    @require(*REPORTERS)
    @idempotent()
    @blp.arguments(AccidentSchema)
    @blp.response(201, AccidentSchema)
    def post(self, data):
        """Report a work-safety accident (生产安全事故); the enterprise's class is recomputed."""
        accident = inputs.report_accident(db.session, data)
        commit(db.session)
        return accident


@blp.route("/enterprises/<uuid:enterprise_id>/safety-conditions")
class Conditions(MethodView):
    @require(*READERS)
    @blp.response(200, SafetyConditionsSchema)
    def get(self, enterprise_id):
        row = inputs.conditions_of(db.session, enterprise_id)
        if row is None:
            return {"enterprise_id": enterprise_id}
        return with_etag(row)

    @require(*REPORTERS)
    @blp.arguments(SafetyConditionsSchema)
    @blp.response(200, SafetyConditionsSchema)
    def put(self, data, enterprise_id):
        """Record the certificates (with expiry), staffing and insurance; If-Match once they
        exist. Expired items count as missing from the day after expiry."""
        row = inputs.conditions_of(db.session, enterprise_id)
        if row is not None:
            check_if_match(row)  # the first record needs none: there is nothing to overwrite
        row = inputs.put_conditions(db.session, enterprise_id, data, row)
        commit(db.session)
        return with_etag(row)


@blp.route("/penalties")
class Penalties(MethodView):
    @require(*READERS)
    @blp.arguments(EnterpriseArgsSchema, location="query")
    @blp.response(200, page_schema(PenaltySchema, "PenaltyPageSchema"))
    def get(self, args):
        return page(db.session, inputs.penalties(args), Penalty, args)

    @require(*REGULATORS)
    @idempotent()
    @blp.arguments(PenaltySchema)
    @blp.response(201, PenaltySchema)
    def post(self, data):
        """Record an administrative penalty (amount, date, legal basis)."""
        penalty = inputs.add_penalty(db.session, data)
        commit(db.session)
        return penalty


@blp.route("/blacklist")
class Blacklist(MethodView):
    @require(*AUTHORITY_STAFF)
    @blp.arguments(EnterpriseArgsSchema, location="query")
    @blp.response(200, page_schema(BlacklistSchema, "BlacklistPageSchema"))
    def get(self, args):
        return page(db.session, inputs.blacklist_entries(args), BlacklistEntry, args)

    @require(*REGULATORS)
    @idempotent()
    @blp.arguments(BlacklistSchema)
    @blp.response(201, BlacklistSchema)
    def post(self, data):
        """List an enterprise (失信名单) with reason, legal basis and period: published while in
        force, and it forces the 警示 class."""
        entry = inputs.blacklist(db.session, data)
        commit(db.session)
        return entry


@blp.route("/blacklist/<uuid:entry_id>/revoke", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(RevocationSchema)
@blp.response(200, BlacklistSchema)
def revoke(data, entry_id):
    entry = inputs.get_entry(db.session, entry_id)
    inputs.revoke(db.session, entry, data["reason"])
    commit(db.session)
    return entry


def _limit():
    return current_app.config["PUBLIC_READ_RATE_LIMIT"]


@public.route("/authorities/<uuid:authority_id>/blacklist")
@limiter.limit(_limit)
@public.response(200, PublicBlacklistSchema(many=True))
def public_blacklist(authority_id):
    """Entries in force today: enterprise, credit code, reason, legal basis, period."""
    with as_public(db.session, authority_id):
        rows = db.session.execute(inputs.in_force(db.session, common.today())).all()
        return [
            {
                "enterprise_name": e.name,
                "uscc": e.uscc,
                "reason": b.reason,
                "legal_basis": b.legal_basis,
                "starts_on": b.starts_on,
                "ends_on": b.ends_on,
            }
            for b, e in rows
        ]
