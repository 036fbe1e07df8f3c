from flask import current_app

from app import jobs, tenancy
from app.accounts.rules import Role
from app.audit import service
from app.audit.models import AuditEvent
from app.audit.schemas import (
    AuditEventSchema,
    AuditQueryArgsSchema,
    CheckpointRequestedSchema,
    VerdictSchema,
)
from app.db import commit
from app.extensions import db
from app.web import Blueprint, page, page_schema, require

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Audit trail")
AuditEventPageSchema = page_schema(AuditEventSchema, "AuditEventPageSchema")


@blp.route("/events")
@require(Role.AUTHORITY_ADMIN)
@blp.arguments(AuditQueryArgsSchema, location="query")
@blp.response(200, AuditEventPageSchema)
def list_events(args):
    """The authority's audit events, oldest first."""
    stmt = db.select(AuditEvent)
    for key in ("entity_type", "entity_id", "action"):
        if args.get(key):
            stmt = stmt.where(getattr(AuditEvent, key) == args[key])
    return page(db.session, stmt, AuditEvent, args)


@blp.route("/verify", methods=["POST"])
@require(Role.AUTHORITY_ADMIN)
@blp.response(200, VerdictSchema)
def verify():
    """Recompute the authority's chain now and report the first bad entry, if any."""
    chain = str(tenancy.current().authority_id)
    return service.verify(db.session, chain, current_app.config["AUDIT_CHECKPOINT_KEY"])


@blp.route("/checkpoints", methods=["POST"])
@require(Role.AUTHORITY_ADMIN)
@blp.response(202, CheckpointRequestedSchema)
def request_checkpoint():
    """Ask for the chain to be verified and its head signed, in the background."""
    jobs.enqueue_after_commit(
        db.session, "audit.checkpoint", authority_id=tenancy.current().authority_id
    )
    commit(db.session)
    return {"status": "queued"}
