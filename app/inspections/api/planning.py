"""Checklists, the inspector directory, plans, key enterprises, exclusions and draws."""

from __future__ import annotations

from flask.views import MethodView

from app.accounts.rules import AUTHORITY_STAFF, REGULATORS
from app.db import commit
from app.extensions import db
from app.inspections.models import (
    Checklist,
    Draw,
    InspectorConflict,
    Plan,
    PlanExclusion,
    PlanKeyEnterprise,
)
from app.inspections.schemas.planning import (
    ChecklistQueryArgsSchema,
    ChecklistSchema,
    ChecklistUpdateSchema,
    ConflictQueryArgsSchema,
    ConflictSchema,
    DrawRequestSchema,
    DrawSchema,
    ExclusionSchema,
    InspectionPlanQueryArgsSchema,
    InspectionPlanSchema,
    InspectionPlanUpdateSchema,
    InspectorSchema,
    KeyEnterpriseSchema,
    RevokeSchema,
)
from app.inspections.service import directory, draws, plans
from app.web import (
    Blueprint,
    PageArgsSchema,
    check_if_match,
    page,
    page_schema,
    require,
    with_etag,
)

blp = Blueprint(
    "inspection_planning",
    __name__,
    url_prefix="/api/v1",
    description="Inspections: checklists, the inspector directory, annual plans, draws (双随机)",
)
STAFF = tuple(AUTHORITY_STAFF)
ChecklistPageSchema = page_schema(ChecklistSchema, "ChecklistPageSchema")
ConflictPageSchema = page_schema(ConflictSchema, "ConflictPageSchema")
InspectionPlanPageSchema = page_schema(InspectionPlanSchema, "InspectionPlanPageSchema")
KeyEnterprisePageSchema = page_schema(KeyEnterpriseSchema, "KeyEnterprisePageSchema")
ExclusionPageSchema = page_schema(ExclusionSchema, "ExclusionPageSchema")
DrawPageSchema = page_schema(DrawSchema, "DrawPageSchema")


def _draw_view(draw: Draw) -> Draw:
    # A plain attribute, never the mapped `seed` column: the secret must stay stored.
    draw.revealed_seed = draws.seed_if_revealed(draw)
    return draw


@blp.route("/inspection-checklists")
class Checklists(MethodView):
    @require(*STAFF)
    @blp.arguments(ChecklistQueryArgsSchema, location="query")
    @blp.response(200, ChecklistPageSchema)
    def get(self, args):
        """Checklist templates, each item with its legal basis."""
        result = page(db.session, directory.list_checklists(args), Checklist, args)
        result["items"] = [directory.checklist_view(db.session, c) for c in result["items"]]
        return result

    @require(*REGULATORS)
    @blp.arguments(ChecklistSchema)
    @blp.response(201, ChecklistSchema)
    def post(self, data):
        """A new checklist; its items never change afterwards (results point at them)."""
        checklist = directory.create_checklist(db.session, data)
        commit(db.session)
        return with_etag(directory.checklist_view(db.session, checklist))


@blp.route("/inspection-checklists/<uuid:checklist_id>")
class ChecklistItem(MethodView):
    @require(*STAFF)
    @blp.response(200, ChecklistSchema)
    def get(self, checklist_id):
        checklist = directory.get_checklist(db.session, checklist_id)
        return with_etag(directory.checklist_view(db.session, checklist))

    @require(*REGULATORS)
    @blp.arguments(ChecklistUpdateSchema)
    @blp.response(200, ChecklistSchema)
    def patch(self, changes, checklist_id):
        """Rename, re-sector or retire (is_active false) a checklist; If-Match required."""
        checklist = directory.get_checklist(db.session, checklist_id)
        check_if_match(checklist)
        directory.update_checklist(checklist, changes)
        commit(db.session)
        return with_etag(directory.checklist_view(db.session, checklist))


@blp.route("/inspectors")
@require(*STAFF)
@blp.response(200, InspectorSchema(many=True))
def inspectors():
    """The inspector directory: active inspectors, certificate numbers, declared conflicts."""
    return directory.inspectors(db.session)


@blp.route("/inspector-conflicts")
class Conflicts(MethodView):
    @require(*STAFF)
    @blp.arguments(ConflictQueryArgsSchema, location="query")
    @blp.response(200, ConflictPageSchema)
    def get(self, args):
        """Declared conflicts of interest (inspectors see their own)."""
        return page(db.session, directory.list_conflicts(args), InspectorConflict, args)

    @require(*STAFF)
    @blp.arguments(ConflictSchema)
    @blp.response(201, ConflictSchema)
    def post(self, data):
        """Declare a conflict (回避): the inspector is never assigned to that enterprise."""
        conflict = directory.declare_conflict(db.session, data)
        commit(db.session)
        return conflict


@blp.route("/inspector-conflicts/<uuid:conflict_id>/revoke", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(RevokeSchema)
@blp.response(200, ConflictSchema)
def revoke_conflict(data, conflict_id):
    """End a conflict, with the reason (kept with the record)."""
    conflict = directory.get_conflict(db.session, conflict_id)
    directory.revoke_conflict(conflict, data["reason"])
    commit(db.session)
    return conflict


@blp.route("/inspection-plans")
class Plans(MethodView):
    @require(*STAFF)
    @blp.arguments(InspectionPlanQueryArgsSchema, location="query")
    @blp.response(200, InspectionPlanPageSchema)
    def get(self, args):
        return page(db.session, plans.list_stmt(args), Plan, args)

    @require(*REGULATORS)
    @blp.arguments(InspectionPlanSchema)
    @blp.response(201, InspectionPlanSchema)
    def post(self, data):
        """An annual enforcement plan: scope, rates per class, floor and cap per year."""
        plans.authority_wide()
        plan = plans.create(db.session, data)
        commit(db.session)
        return with_etag(plan)


@blp.route("/inspection-plans/<uuid:plan_id>")
class PlanItem(MethodView):
    @require(*STAFF)
    @blp.response(200, InspectionPlanSchema)
    def get(self, plan_id):
        return with_etag(plans.get(db.session, plan_id))

    @require(*REGULATORS)
    @blp.arguments(InspectionPlanUpdateSchema)
    @blp.response(200, InspectionPlanSchema)
    def patch(self, changes, plan_id):
        """Edit the plan (If-Match); draws already made keep their frozen snapshot."""
        plans.authority_wide()
        plan = plans.get(db.session, plan_id)
        check_if_match(plan)
        plans.update(db.session, plan, changes)
        commit(db.session)
        return with_etag(plan)


@blp.route("/inspection-plans/<uuid:plan_id>/key-enterprises")
class KeyEnterprises(MethodView):
    @require(*STAFF)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, KeyEnterprisePageSchema)
    def get(self, args, plan_id):
        """Key enterprises, inspected at the plan's fixed cycle rather than drawn."""
        plan = plans.get(db.session, plan_id)
        return page(db.session, plans.key_enterprises(plan), PlanKeyEnterprise, args)

    @require(*REGULATORS)
    @blp.arguments(KeyEnterpriseSchema)
    @blp.response(201, KeyEnterpriseSchema)
    def post(self, data, plan_id):
        plans.authority_wide()
        plan = plans.get(db.session, plan_id)
        row = plans.add_key_enterprise(db.session, plan, data["enterprise_id"])
        commit(db.session)
        return row


@blp.route(
    "/inspection-plans/<uuid:plan_id>/key-enterprises/<uuid:enterprise_id>", methods=["DELETE"]
)
@require(*REGULATORS)
@blp.response(204)
def remove_key_enterprise(plan_id, enterprise_id):
    plans.authority_wide()
    plan = plans.get(db.session, plan_id)
    plans.remove_key_enterprise(db.session, plan, enterprise_id)
    commit(db.session)


@blp.route("/inspection-plans/<uuid:plan_id>/exclusions")
class Exclusions(MethodView):
    @require(*STAFF)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ExclusionPageSchema)
    def get(self, args, plan_id):
        """Explicit, recorded exclusions from the draw (suspended, already inspected, ...)."""
        plan = plans.get(db.session, plan_id)
        return page(db.session, plans.exclusions(plan), PlanExclusion, args)

    @require(*REGULATORS)
    @blp.arguments(ExclusionSchema)
    @blp.response(201, ExclusionSchema)
    def post(self, data, plan_id):
        plans.authority_wide()
        plan = plans.get(db.session, plan_id)
        row = plans.add_exclusion(db.session, plan, data)
        commit(db.session)
        return row


@blp.route("/inspection-plans/<uuid:plan_id>/exclusions/<uuid:exclusion_id>", methods=["DELETE"])
@require(*REGULATORS)
@blp.response(204)
def remove_exclusion(plan_id, exclusion_id):
    plans.authority_wide()
    plan = plans.get(db.session, plan_id)
    plans.remove_exclusion(db.session, plan, exclusion_id)
    commit(db.session)


@blp.route("/inspection-plans/<uuid:plan_id>/draws")
class Draws(MethodView):
    @require(*STAFF)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, DrawPageSchema)
    def get(self, args, plan_id):
        """Every draw of the plan, superseded ones included."""
        plan = plans.get(db.session, plan_id)
        result = page(db.session, draws.list_stmt(plan), Draw, args)
        result["items"] = [_draw_view(d) for d in result["items"]]
        return result

    @require(*REGULATORS)
    @blp.arguments(DrawRequestSchema)
    @blp.response(201, DrawSchema)
    def post(self, data, plan_id):
        """Commit a draw: freeze and publish the pool (snapshot) and sha256(seed). A re-draw
        of a period needs a reason and supersedes the earlier draw."""
        plans.authority_wide()
        plan = plans.get(db.session, plan_id)
        draw = draws.commit(db.session, plan, data)
        commit(db.session)
        return with_etag(_draw_view(draw))


@blp.route("/inspection-draws/<uuid:draw_id>")
@require(*STAFF)
@blp.response(200, DrawSchema)
def get_draw(draw_id):
    return with_etag(_draw_view(draws.get(db.session, draw_id)))


@blp.route("/inspection-draws/<uuid:draw_id>/execute", methods=["POST"])
@require(*REGULATORS)
@blp.response(200, DrawSchema)
def execute_draw(draw_id):
    """Run anjian-draw-v1 on the frozen snapshot, reveal the seed and make the tasks."""
    plans.authority_wide()
    draw = draws.get(db.session, draw_id)
    draws.execute(db.session, draw)
    commit(db.session)
    return with_etag(_draw_view(draw))
