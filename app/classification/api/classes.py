"""Enterprise classes: the list with each class and why, one enterprise's class and history,
the regulator's override, the distribution, the export, and the authority's settings."""

from __future__ import annotations

import io

from flask import Response
from flask.views import MethodView
from openpyxl import Workbook

from app.accounts.rules import AUTHORITY_STAFF, ENTERPRISE_ROLES, REGULATORS
from app.classification.models import ClassificationResult, ClassificationSettings, EnterpriseClass
from app.classification.rules import ModelError, default_model, load_model, model_to_dict
from app.classification.schemas import (
    ClassificationRunSchema,
    ClassificationSettingsSchema,
    ClassQueryArgsSchema,
    ClassResultSchema,
    ClassSchema,
    ClassStatisticsArgsSchema,
    ClassStatisticsSchema,
    OverrideSchema,
)
from app.classification.service import compute, views
from app.db import commit
from app.errors import Unprocessable
from app.extensions import db
from app.inspections.rules import draw as drawing
from app.inspections.service import common
from app.messages import Msg
from app.web import Blueprint, PageArgsSchema, check_if_match, page, page_schema, require, with_etag
from app.xlsx import safe_row

blp = Blueprint(
    "classification",
    __name__,
    url_prefix="/api/v1",
    description="Enterprise classes (良好/正常/提醒/警示), computed nightly and after events",
)
READERS = (*AUTHORITY_STAFF, *ENTERPRISE_ROLES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/enterprise-classes")
@require(*AUTHORITY_STAFF)
@blp.arguments(ClassQueryArgsSchema, location="query")
@blp.response(200, page_schema(ClassSchema, "ClassPageSchema"))
def list_classes(args):
    """Each enterprise's class; `changed_since` lists those whose class changed."""
    result = page(db.session, views.list_stmt(args), EnterpriseClass, args, rows=True)
    result["items"] = [views.view(db.session, c, e) for c, e in result["items"]]
    return result


@blp.route("/enterprise-classes/<uuid:enterprise_id>")
@require(*READERS)
@blp.response(200, ClassSchema)
def get_class(enterprise_id):
    """The class with its explanation: per-dimension scores, each deduction and its facts, the
    vetoes, the model version, and the override beside the computed class."""
    current, enterprise = views.get(db.session, enterprise_id)
    return with_etag(views.view(db.session, current, enterprise, explain=True))


@blp.route("/enterprise-classes/<uuid:enterprise_id>/history")
@require(*READERS)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(ClassResultSchema, "ClassResultPageSchema"))
def history(args, enterprise_id):
    views.get(db.session, enterprise_id)
    return page(db.session, views.history(enterprise_id), ClassificationResult, args)


@blp.route("/enterprise-classes/<uuid:enterprise_id>/override", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(OverrideSchema)
@blp.response(200, ClassSchema)
def override(data, enterprise_id):
    """Override the class with a written reason (audited); it lapses at the end of the year.
    An action like a ledger step: the reason is the record, no If-Match needed."""
    current, enterprise = views.get(db.session, enterprise_id)
    views.override(current, data["level"], data["reason"])
    commit(db.session)
    return with_etag(views.view(db.session, current, enterprise, explain=True))


@blp.route("/classification-statistics")
@require(*AUTHORITY_STAFF)
@blp.arguments(ClassStatisticsArgsSchema, location="query")
@blp.response(200, ClassStatisticsSchema)
def statistics(args):
    """Class distribution (the class in force, override included) by street or by sector."""
    return views.statistics(db.session, args["by"])


@blp.route("/enterprise-classes/export.xlsx")
@require(*AUTHORITY_STAFF)
@blp.doc(
    responses={
        "200": {
            "description": "every class as .xlsx (Chinese headers)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def export_xlsx():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("分级分类")
    ws.append(list(views.HEADERS))
    for values in views.export_rows(db.session):
        ws.append(safe_row(ws, values))
    out = io.BytesIO()
    wb.save(out)
    return Response(
        out.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="enterprise-classes.xlsx"'},
    )


@blp.route("/classification-settings")
class Settings(MethodView):
    @require(*REGULATORS)
    @blp.response(200, ClassificationSettingsSchema)
    def get(self):
        """The scoring model in use (null: the default), rates and caps per class."""
        return _settings_body()

    @require(*REGULATORS)
    @blp.arguments(ClassificationSettingsSchema, required=False)
    @blp.response(200, ClassificationSettingsSchema)
    def put(self, data):
        """Replace the scoring model (a new version string for a new model), the sampling rate
        and the annual cap per class; If-Match once settings exist."""
        row = compute.settings(db.session)
        bad = [f"{k}: {v!r}" for k, v in (data.get("rates") or {}).items() if not _rate_ok(v)]
        if bad:
            raise Unprocessable(
                errors={"rates": [Msg("not a rate between 0 and 1: %(rate)s", rate=b) for b in bad]}
            )
        if data.get("model"):
            try:
                data["model"] = model_to_dict(load_model(data["model"]))
            except ModelError as exc:
                # One message per problem, each naming its place in the model.
                problems = [
                    Msg("%(field)s: %(message)s", field=field, message=message)
                    for field, messages in exc.errors.items()
                    for message in messages
                ]
                raise Unprocessable(errors={"model": problems}) from None
            _new_version_for_new_content(row, data["model"])
        if row is None:
            row = ClassificationSettings(rates={}, caps={}, floors={})
            db.session.add(row)
        else:
            check_if_match(row)
        for key in ("model", "rates", "caps", "floors"):
            if key in data:
                setattr(row, key, data[key])
        db.session.flush()
        commit(db.session)
        return _settings_body()


def _new_version_for_new_content(row, model: dict) -> None:
    """A change of model is a new version: results say which version made them, so one version
    string must never stand for two sets of weights."""
    taken = [model_to_dict(default_model())]
    if row is not None and row.model:
        taken.append(row.model)
    for other in taken:
        if other["version"] == model["version"] and other != model:
            raise Unprocessable(
                errors={
                    "model": [
                        Msg(
                            "version %(version)s names other weights: give a new one",
                            version=model["version"],
                        )
                    ]
                }
            )


def _rate_ok(value) -> bool:
    try:
        drawing.quota(value, 1)  # the draw's own reading of a rate
        return True
    except drawing.DrawError:
        return False


@blp.route("/classification-runs", methods=["POST"])
@require(*REGULATORS)
@blp.response(200, ClassificationRunSchema)
def run_now():
    """Compute every enterprise's class now (as the nightly job does): after a model change,
    say. Idempotent: unchanged facts write nothing."""
    counts = compute.run(db.session, common.today())
    commit(db.session)
    return counts


def _settings_body():
    row = compute.settings(db.session)
    rates, caps, floors = compute.enforcement(db.session)
    body = {
        "model": row.model if row else None,
        "rates": rates,
        "caps": caps,
        "floors": floors,
    }
    body["model_version"] = compute.model(db.session).version
    if row is not None:
        with_etag(row)
        body["version"] = row.version
    return body
