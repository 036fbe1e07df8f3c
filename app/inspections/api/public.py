"""一公开: published plans, draws (commitment, snapshot, seed once revealed, result with the
teams' certificate numbers) and closed inspections' results. No account; rate-limited per
client address; nothing personal."""

from __future__ import annotations

from flask import current_app

from app.dangers.service.tipoffs import as_public
from app.extensions import db, limiter
from app.inspections.models import Inspection, Plan
from app.inspections.schemas.planning import (
    PublicDrawSchema,
    PublicPlanSchema,
    PublicYearArgsSchema,
)
from app.inspections.schemas.records import PublicResultSchema
from app.inspections.service import public as published
from app.web import Blueprint, page, page_schema

blp = Blueprint(
    "public_inspections",
    __name__,
    url_prefix="/api/v1/public",
    description="Published inspection plans, verifiable draws and results (一公开); no account",
)
PublicPlanPageSchema = page_schema(PublicPlanSchema, "PublicPlanPageSchema")
PublicResultPageSchema = page_schema(PublicResultSchema, "PublicResultPageSchema")


def _limit():
    return current_app.config["PUBLIC_READ_RATE_LIMIT"]


@blp.route("/authorities/<uuid:authority_id>/inspection-plans")
@limiter.limit(_limit)
@blp.arguments(PublicYearArgsSchema, location="query")
@blp.response(200, PublicPlanPageSchema)
def plans(args, authority_id):
    """The authority's published plans, each with its draws' commitments."""
    with as_public(db.session, authority_id):
        result = page(db.session, published.plans(db.session, args), Plan, args)
        result["items"] = [published.plan_view(db.session, p) for p in result["items"]]
        return result


@blp.route("/authorities/<uuid:authority_id>/inspection-draws/<uuid:draw_id>")
@limiter.limit(_limit)
@blp.response(200, PublicDrawSchema)
def draw(authority_id, draw_id):
    """One draw, enough to verify it: `flask inspections verify-draw` or any reimplementation
    of anjian-draw-v1 (docs/draw-anjian-v1.md) re-derives the result from snapshot and seed."""
    with as_public(db.session, authority_id):
        return published.draw(db.session, draw_id)


@blp.route("/authorities/<uuid:authority_id>/inspection-results")
@limiter.limit(_limit)
@blp.arguments(PublicYearArgsSchema, location="query")
@blp.response(200, PublicResultPageSchema)
def results(args, authority_id):
    """Closed inspections: enterprise, date, outcome, number of findings."""
    with as_public(db.session, authority_id):
        result = page(db.session, published.results(args), Inspection, args, rows=True)
        result["items"] = [
            {
                "inspection_id": inspection.id,
                "enterprise_name": name,
                "date": published.local_date(inspection.started_at),
                "outcome": inspection.outcome,
                "findings": count,
            }
            for inspection, name, count in result["items"]
        ]
        return result
