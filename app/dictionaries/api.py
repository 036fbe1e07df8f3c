"""GET /api/v1/dictionaries: public (it holds no tenant data) and cacheable by anyone.

The content changes only with a release, so the response carries a strong ETag (its version, a
digest of the content) and may be kept an hour; a client that sends the ETag back gets a 304.
"""

from __future__ import annotations

from flask import Response, current_app, request
from marshmallow import fields

from app.dictionaries import rules
from app.extensions import limiter
from app.web import BaseSchema, Blueprint

blp = Blueprint(
    "dictionaries",
    __name__,
    url_prefix="/api/v1",
    description="字典：各枚举的代码、中文名称与排序，以及 LEC/LS 取值表、事故类型、危险化学品类别；"
    "无需登录",
)

MAX_AGE = 3600


class DictionaryEntrySchema(BaseSchema):
    """One entry. Fields other than code, label and order appear only in the dictionaries named
    in their descriptions; a new extra must be declared here to be sent."""

    code = fields.String(required=True, metadata={"description": "the value the API accepts"})
    label = fields.String(required=True, metadata={"description": "中文名称"})
    order = fields.Integer(required=True, metadata={"description": "display order, from 1"})
    color = fields.String(metadata={"description": "risk_levels: the level's color"})
    value = fields.Float(metadata={"description": "lec_* and ls_*: the factor's number"})
    description = fields.String(
        metadata={"description": "lec_*, ls_*, hazard_categories: the criterion in full"}
    )
    hazard_class = fields.String(metadata={"description": "hazard_categories: 危险性类别"})
    critical_quantity_t = fields.Float(
        metadata={"description": "hazard_categories: critical quantity Q in tonnes (Table 2)"}
    )
    beta = fields.Float(
        metadata={"description": "hazard_categories: correction factor β (Table 4)"}
    )


class DictionariesSchema(BaseSchema):
    version = fields.String(required=True, metadata={"description": "digest of the content"})
    dictionaries = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(DictionaryEntrySchema)),
        required=True,
        metadata={"description": "entries of each dictionary, by name (sectors, danger_states...)"},
    )


def _limit():
    return current_app.config["PUBLIC_READ_RATE_LIMIT"]


@blp.route("/dictionaries")
@limiter.limit(_limit)
@blp.response(200, DictionariesSchema)
@blp.alt_response(304, description="Not modified: the ETag sent in If-None-Match is current")
def dictionaries():
    """Every dictionary the forms build their pick lists from: code, Chinese label, order.

    No account needed. Send the ETag back in If-None-Match to get a 304 when nothing changed.
    Codes are strings; where the API takes a number, send the number: `value` for the LEC/LS
    factors, the integer of standardization_grades and hazard_levels."""
    document = rules.document()
    headers = {
        "ETag": f'"{document["version"]}"',
        "Cache-Control": f"public, max-age={MAX_AGE}",
    }
    if request.if_none_match.contains_weak(document["version"]):
        return Response(status=304, headers=headers)
    return document, 200, headers
