"""Checklists, the inspector directory, plans and draws."""

from __future__ import annotations

from marshmallow import fields, validate

from app.enterprises.rules import Sector
from app.inspections.rules.enums import (
    MANUAL_EXCLUSIONS,
    ConflictKind,
    DrawStatus,
    PlanStatus,
    Stratification,
)
from app.inspections.schemas.fields import StrictBoolean, one_of, optional_text, required_text
from app.inspections.service.plans import KEY_CYCLES
from app.web import BaseSchema, PageArgsSchema, Partial

PERIOD_HELP = 'the whole year ("2026") or a part of it: "2026-Q1", "2026-H2", "2026-M03"'


class ChecklistItemSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    position = fields.Integer(dump_only=True)
    text = required_text(500, required=True)
    legal_basis = required_text(300, required=True, metadata={"description": "no item without one"})
    must_check = StrictBoolean(load_default=False)


class ChecklistSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    name = required_text(120, required=True)
    sector = fields.String(allow_none=True, validate=one_of(Sector))
    is_active = fields.Boolean(dump_only=True)
    items = fields.List(
        fields.Nested(ChecklistItemSchema),
        required=True,
        validate=validate.Length(min=1, max=300),
    )
    created_at = fields.DateTime(dump_only=True)
    version = fields.Integer(dump_only=True)


class ChecklistUpdateSchema(BaseSchema):
    name = required_text(120)
    sector = fields.String(allow_none=True, validate=one_of(Sector))
    is_active = StrictBoolean()


class ChecklistQueryArgsSchema(PageArgsSchema):
    sector = fields.String(validate=one_of(Sector))
    active = fields.Boolean()


class InspectorSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    display_name = fields.String(dump_only=True)
    certificate_no = fields.String(dump_only=True)
    active_conflicts = fields.Integer(dump_only=True)


class ConflictSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    inspector_id = fields.UUID(metadata={"description": "default: yourself (inspectors)"})
    enterprise_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=one_of(ConflictKind))
    reason = required_text(500, required=True)
    declared_by = fields.UUID(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True)
    revoked_reason = fields.String(dump_only=True)


class ConflictQueryArgsSchema(PageArgsSchema):
    inspector_id = fields.UUID()
    enterprise_id = fields.UUID()
    active = fields.Boolean()


class RevokeSchema(BaseSchema):
    reason = required_text(500, required=True)


_RATE = fields.String(validate=validate.Length(min=1, max=12))


class InspectionPlanSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    name = required_text(120, required=True)
    sectors = fields.List(fields.String(validate=one_of(Sector)), validate=validate.Length(max=20))
    street_ids = fields.List(fields.UUID(), validate=validate.Length(max=200))
    stratify = fields.String(validate=one_of(Stratification))
    rates = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=16)),
        values=_RATE,
        validate=validate.Length(max=5),
        metadata={
            "description": "sampling rate per enterprise class (good, normal, reminder, "
            'warning) as decimal strings, "default" for the classes not named; a class '
            "without any takes the authority's classification settings (5/15/40/100 %)"
        },
    )
    floor_per_year = fields.Integer(validate=validate.Range(min=0, max=52))
    cap_per_year = fields.Integer(required=True, validate=validate.Range(min=1, max=52))
    key_cycle = fields.String(validate=validate.OneOf(KEY_CYCLES))
    team_size = fields.Integer(validate=validate.Range(min=2, max=5))
    checklist_id = fields.UUID(allow_none=True)
    status = fields.String(validate=one_of(PlanStatus))
    created_at = fields.DateTime(dump_only=True)
    version = fields.Integer(dump_only=True)


class InspectionPlanUpdateSchema(Partial, InspectionPlanSchema):
    class Meta:
        exclude = ("year",)


class InspectionPlanQueryArgsSchema(PageArgsSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
    status = fields.String(validate=one_of(PlanStatus))


class KeyEnterpriseSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(required=True)
    created_at = fields.DateTime(dump_only=True)


class ExclusionSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    enterprise_id = fields.UUID(required=True)
    period = fields.String(
        allow_none=True,
        validate=validate.Length(min=4, max=16),
        metadata={"description": f"null for every draw of the plan, else {PERIOD_HELP}"},
    )
    reason = fields.String(
        required=True, validate=validate.OneOf([str(r) for r in MANUAL_EXCLUSIONS])
    )
    note = optional_text(500)
    created_at = fields.DateTime(dump_only=True)


class DrawRequestSchema(BaseSchema):
    period = fields.String(
        required=True,
        validate=validate.Length(min=4, max=16),
        metadata={"description": PERIOD_HELP},
    )
    due_date = fields.Date(required=True, metadata={"description": "the tasks' due date"})
    enforce_floor = StrictBoolean(
        load_default=False,
        metadata={"description": "enterprises below the annual floor are inspected, not drawn"},
    )
    reason = optional_text(1000, metadata={"description": "required for a re-draw"})


class DrawSchema(BaseSchema):
    """A draw as its authority sees it; the seed appears once the draw is executed."""

    id = fields.UUID(dump_only=True)
    plan_id = fields.UUID(dump_only=True)
    period = fields.String(dump_only=True)
    seq = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True, validate=one_of(DrawStatus))
    algorithm = fields.String(dump_only=True)
    commitment = fields.String(dump_only=True)
    seed = fields.String(
        dump_only=True,
        allow_none=True,
        attribute="revealed_seed",
        metadata={"description": "null until the draw is executed"},
    )
    snapshot = fields.Dict(dump_only=True)
    snapshot_sha256 = fields.String(dump_only=True)
    result = fields.Dict(dump_only=True, allow_none=True)
    due_date = fields.Date(dump_only=True)
    enforce_floor = fields.Boolean(dump_only=True)
    redraw_reason = fields.String(dump_only=True, allow_none=True)
    committed_at = fields.DateTime(dump_only=True)
    drawn_at = fields.DateTime(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class DrawSummarySchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    period = fields.String(dump_only=True)
    seq = fields.Integer(dump_only=True)
    status = fields.String(dump_only=True)
    commitment = fields.String(dump_only=True)
    snapshot_sha256 = fields.String(dump_only=True)
    committed_at = fields.DateTime(dump_only=True)
    drawn_at = fields.DateTime(dump_only=True, allow_none=True)


class PublicPlanSchema(BaseSchema):
    id = fields.UUID(dump_only=True)
    year = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    draws = fields.List(fields.Nested(DrawSummarySchema), dump_only=True)


class PublicSelectionSchema(BaseSchema):
    enterprise_id = fields.String(dump_only=True)
    enterprise_name = fields.String(dump_only=True)
    inspector_certificates = fields.List(fields.String(), dump_only=True)


class StratumLabelSchema(BaseSchema):
    name = fields.String(dump_only=True, metadata={"description": "e.g. 提醒 · 板桥街道"})
    class_ = fields.String(
        dump_only=True,
        allow_none=True,
        data_key="class",
        attribute="class",
        metadata={"description": "good, normal, reminder, warning or default (unclassified)"},
    )
    class_name = fields.String(dump_only=True, allow_none=True)
    street_id = fields.String(dump_only=True, allow_none=True)
    street_name = fields.String(dump_only=True, allow_none=True)


class DrawLabelsSchema(BaseSchema):
    """Today's names for the snapshot's ids; not part of what the commitment binds."""

    strata = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(StratumLabelSchema),
        dump_only=True,
        metadata={"description": "stratum key -> its class and street by name"},
    )
    enterprises = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        dump_only=True,
        metadata={"description": "enterprise id -> name, for the pool (candidates, mandatory)"},
    )


class PublicDrawSchema(DrawSchema):
    """Everything a verifier needs: commitment, snapshot, seed (once revealed), result; and
    `labels`, names for people beside the snapshot (the verifier ignores them)."""

    selected = fields.List(fields.Nested(PublicSelectionSchema), dump_only=True)
    labels = fields.Nested(DrawLabelsSchema, dump_only=True)

    class Meta:
        exclude = ("due_date", "enforce_floor", "version")


class PublicYearArgsSchema(PageArgsSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))
