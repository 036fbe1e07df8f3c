from flask import current_app, request, url_for

from app import tenancy
from app.accounts.rules import AUTHORITY_STAFF, REGULATORS
from app.dangers.api.evidence import upload_limit
from app.dangers.models import TipOff
from app.dangers.schemas import (
    DismissSchema,
    DownloadSchema,
    FileSchema,
    PublicAuthoritySchema,
    TipOffConvertedSchema,
    TipOffConvertSchema,
    TipOffPublicStatusSchema,
    TipOffQueryArgsSchema,
    TipOffReceiptSchema,
    TipOffSchema,
    TipOffSubmitSchema,
)
from app.dangers.service import ledger, tipoffs
from app.db import commit
from app.extensions import db, limiter
from app.storage import get_storage
from app.web import Blueprint, file_response, page, page_schema, require, with_etag

public = Blueprint(
    "public_tip_offs",
    __name__,
    url_prefix="/api/v1/public",
    description="Public tip-offs (社会举报): no account needed; rate-limited per client",
)
blp = Blueprint(
    "tip_offs", __name__, url_prefix="/api/v1/tip-offs", description="Triage of public tip-offs"
)
TipOffPageSchema = page_schema(TipOffSchema, "TipOffPageSchema")


def _submit_limit():
    return current_app.config["TIP_OFF_RATE_LIMIT"]


def _status_limit():
    return current_app.config["TIP_OFF_STATUS_RATE_LIMIT"]


@public.route("/authorities")
@limiter.limit(_status_limit)
@public.response(200, PublicAuthoritySchema(many=True))
def authorities():
    """The authorities that take tip-offs (id and name only)."""
    return tipoffs.list_authorities(db.session)


@public.route("/authorities/<uuid:authority_id>/tip-offs", methods=["POST"])
@limiter.limit(_submit_limit)
@public.arguments(TipOffSubmitSchema)
@public.response(201, TipOffReceiptSchema)
def submit(data, authority_id):
    """Send a tip-off; the answer carries the follow-up code, shown only this once."""
    with tipoffs.as_public(db.session, authority_id) as authority:
        tip, code = tipoffs.submit(db.session, authority.id, data)
        commit(db.session)
    return {"follow_up_code": code, "authority_id": authority.id, "status": tip.status}


@public.route("/authorities/<uuid:authority_id>/tip-offs/<string:code>")
@limiter.limit(_status_limit)
@public.response(200, TipOffPublicStatusSchema)
def status(authority_id, code):
    """Follow a tip-off up with its code."""
    with tipoffs.as_public(db.session, authority_id):
        return tipoffs.public_status(db.session, tipoffs.by_code(db.session, code))


@public.route("/authorities/<uuid:authority_id>/tip-offs/<string:code>/photo", methods=["POST"])
@limiter.limit(_submit_limit)
@public.arguments(FileSchema, location="files")
@public.response(200, TipOffPublicStatusSchema)
def photo(upload, authority_id, code):
    """Add the optional photo (JPEG or PNG, checked by content), once."""
    with tipoffs.as_public(db.session, authority_id):
        tip = tipoffs.by_code(db.session, code)
        tipoffs.attach_photo(db.session, tip, upload["file"])
        commit(db.session)
        return tipoffs.public_status(db.session, tip)


@public.before_request
def _bigger_bodies():
    if request.method == "POST" and request.path.endswith("/photo"):
        upload_limit()


def _view(tip: TipOff) -> dict:
    """The tip-off as the caller may read it: the reporter's contact is for regulators only
    (inspectors read tip-offs without it). A dict, so the row itself is never touched."""
    data = {name: getattr(tip, name) for name in TipOffSchema().fields if hasattr(tip, name)}
    data["has_photo"] = tip.photo_key is not None
    if tenancy.current().role not in REGULATORS:
        data["contact"] = None
    return data


@blp.route("")
@require(*AUTHORITY_STAFF)
@blp.arguments(TipOffQueryArgsSchema, location="query")
@blp.response(200, TipOffPageSchema)
def list_tip_offs(args):
    """The authority's tip-offs, newest last."""
    result = page(db.session, tipoffs.list_stmt(args), TipOff, args)
    result["items"] = [_view(t) for t in result["items"]]
    return result


@blp.route("/<uuid:tip_off_id>")
@require(*AUTHORITY_STAFF)
@blp.response(200, TipOffSchema)
def get_tip_off(tip_off_id):
    """One tip-off (the reporter's contact for regulators only)."""
    return _view(tipoffs.get(db.session, tip_off_id))


@blp.route("/<uuid:tip_off_id>/dismiss", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(DismissSchema)
@blp.response(200, TipOffSchema)
def dismiss(data, tip_off_id):
    """Dismiss with a reason (the reporter sees it with the follow-up code)."""
    tip = tipoffs.dismiss(db.session, tipoffs.get(db.session, tip_off_id), data["reason"])
    commit(db.session)
    return _view(tip)


@blp.route("/<uuid:tip_off_id>/convert", methods=["POST"])
@require(*REGULATORS)
@blp.arguments(TipOffConvertSchema)
@blp.response(201, TipOffConvertedSchema)
def convert(data, tip_off_id):
    """Turn the tip-off into a hidden danger on an enterprise's ledger."""
    tip, danger = tipoffs.convert(db.session, tipoffs.get(db.session, tip_off_id), data)
    commit(db.session)
    return {"tip_off": _view(tip), "hidden_danger": with_etag(ledger.view(danger))}


@blp.route("/<uuid:tip_off_id>/photo")
@require(*AUTHORITY_STAFF)
@blp.response(200, DownloadSchema)
def photo_download(tip_off_id):
    """A short-lived URL to the tip-off's photo."""
    tip = tipoffs.get(db.session, tip_off_id)
    url = tipoffs.photo_url(tip)
    if url is None:
        url = url_for("tip_offs.photo_content", tip_off_id=tip.id)
    return {"url": url, "expires_in": get_storage().ttl, "filename": f"tip-off-{tip.id}"}


@blp.route("/<uuid:tip_off_id>/photo/content")
@require(*AUTHORITY_STAFF)
@blp.doc(
    responses={
        "200": {
            "description": "the photo (embedded mode)",
            "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def photo_content(tip_off_id):
    """The photo itself, streamed by the API (embedded mode)."""
    tip = tipoffs.get(db.session, tip_off_id)
    return file_response(tipoffs.open_photo(tip), tip.photo_type, f"tip-off-{tip.id}")
