"""Public tip-offs (社会举报): sent without an account, followed up with a code, triaged by the
authority's regulators into a ledger entry or dismissed with a reason."""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets

from PIL import Image, ImageOps
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import files, tenancy
from app.dangers import rules
from app.dangers.models import HiddenDanger, TipOff
from app.dangers.service import common, evidence, ledger
from app.errors import Conflict, NotFound, Unprocessable
from app.messages import Msg, Term
from app.storage import get_storage, new_key
from app.tenants.models import Authority

# 16 characters of an alphabet without look-alikes (0/O, 1/I/L): about 80 bits, read aloud.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def public_scope(authority_id) -> tenancy.Scope:
    """An anonymous sender acts in exactly one authority (RLS and ORM alike), as no one: no
    user, no role, and not the system's wider rights. The routes then reach only a tip-off
    by its code and the state of the entry it became."""
    return tenancy.Scope(authority_id=authority_id)


def authority_for_public(session: Session, authority_id) -> Authority:
    with tenancy.using(tenancy.Scope(platform=True), session):
        authority = session.get(Authority, authority_id)
    if authority is None or not authority.is_active:
        raise NotFound("no such authority")
    return authority


@contextlib.contextmanager
def as_public(session: Session, authority_id):
    """The block an anonymous request runs in: an active authority (404 otherwise), and the
    public scope in it."""
    authority = authority_for_public(session, authority_id)
    with tenancy.using(public_scope(authority.id), session):
        yield authority


def list_authorities(session: Session) -> list[Authority]:
    with tenancy.using(tenancy.Scope(platform=True), session):
        stmt = select(Authority).where(Authority.is_active.is_(True)).order_by(Authority.name)
        return list(session.scalars(stmt))


def submit(session: Session, authority_id, data: dict) -> tuple[TipOff, str]:
    if not (data.get("enterprise_name") or data.get("address")):
        raise Unprocessable(errors={"enterprise_name": ["give the enterprise's name or address"]})
    code = new_code()
    tip = TipOff(
        authority_id=authority_id,
        code_hash=code_hash(code),
        enterprise_name=data.get("enterprise_name"),
        address=data.get("address"),
        description=data["description"],
        contact=data.get("contact") or None,
        status="received",
    )
    session.add(tip)
    session.flush()
    return tip, code


def by_code(session: Session, code: str) -> TipOff:
    tip = session.scalar(select(TipOff).where(TipOff.code_hash == code_hash(code)))
    if tip is None:
        raise NotFound("no tip-off with this follow-up code")
    return tip


def public_status(session: Session, tip: TipOff) -> dict:
    """What the sender may read: status and outcome, never who handled it or the entry itself."""
    outcome = None
    if tip.danger_id is not None:
        danger = session.get(HiddenDanger, tip.danger_id)
        outcome = str(danger.state) if danger is not None else None
    return {
        "status": tip.status,
        "received_at": tip.created_at,
        "triaged_at": tip.triaged_at,
        "dismissed_reason": tip.dismissed_reason,
        "rectification_state": outcome,
        "has_photo": tip.photo_key is not None,
    }


def attach_photo(session: Session, tip: TipOff, upload) -> TipOff:
    if tip.photo_key is not None:
        raise Conflict("this tip-off already has its photo")
    if tip.status != "received":
        raise Conflict("this tip-off was already handled")
    checked = evidence.checked_upload(
        upload.stream, upload.mimetype, allowed=frozenset({"image/jpeg", "image/png"})
    )
    key = new_key(tip.authority_id, "tip-offs", tip.id, suffix=checked.extension)
    upload.stream.seek(0)
    clean = without_metadata(upload.stream.read(checked.size), checked.content_type)
    stored = get_storage().save(key, clean, checked.content_type)
    tip.photo_key, tip.photo_type = key, checked.content_type
    tip.photo_size, tip.photo_sha256 = stored.size, stored.sha256
    return tip


def without_metadata(data: bytes, content_type: str) -> bytes:
    """The photo re-encoded from its pixels alone: EXIF (GPS position, camera serial, time) and
    every other metadata chunk could identify an anonymous reporter. The orientation EXIF gave
    is applied to the pixels first, so the picture still stands the right way up."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if content_type == "image/jpeg":
            upright.convert("RGB").save(out, "JPEG", quality=90)
        else:
            upright.save(out, "PNG")
    return out.getvalue()


def get(session: Session, tip_id) -> TipOff:
    tip = session.get(TipOff, tip_id) if tip_id else None
    if tip is None:
        raise NotFound("no such tip-off")
    return tip


def list_stmt(args: dict):
    stmt = select(TipOff)
    if args.get("status"):
        stmt = stmt.where(TipOff.status == args["status"])
    return stmt


def _untriaged(tip: TipOff) -> None:
    if tip.status != "received":
        raise Conflict(
            Msg(
                "this tip-off was already %(status)s",
                status=Term("tip_off_states", tip.status),
            ),
            errors={"status": [tip.status]},
        )


def dismiss(session: Session, tip: TipOff, reason: str) -> TipOff:
    _untriaged(tip)
    tip.status = "dismissed"
    tip.dismissed_reason = reason
    tip.triaged_by = tenancy.current().user_id
    tip.triaged_at = common.now()
    return tip


def convert(session: Session, tip: TipOff, data: dict) -> tuple[TipOff, HiddenDanger]:
    """Turn the tip-off into an entry on an enterprise's ledger; each links to the other."""
    _untriaged(tip)
    entry = dict(data)
    entry.setdefault("found_by", "社会举报")
    entry.setdefault("found_at", tip.created_at)  # when it was reported, not when triaged
    danger, _ = ledger.create(session, entry, source=rules.Source.TIP_OFF, source_ref=tip.id)
    tip.status = "converted"
    tip.enterprise_id = danger.enterprise_id
    tip.danger_id = danger.id
    tip.triaged_by = tenancy.current().user_id
    tip.triaged_at = common.now()
    return tip, danger


def open_photo(tip: TipOff):
    if tip.photo_key is None:
        raise NotFound("this tip-off has no photo")
    return get_storage().open(tip.photo_key)


def photo_url(tip: TipOff) -> str | None:
    if tip.photo_key is None:
        raise NotFound("this tip-off has no photo")
    return get_storage().presigned_get_url(
        tip.photo_key, f"tip-off-{tip.id}{files.EXTENSIONS[tip.photo_type]}"
    )
