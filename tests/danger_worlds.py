"""Factories for the hidden-danger ledger, built through the services as the API would."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from werkzeug.datastructures import FileStorage

from app import tenancy
from app.accounts.rules import Role
from app.dangers.models import DangerReport, Notification
from app.dangers.service import evidence, extensions, ledger, tipoffs
from app.db import commit, new_id
from app.extensions import db
from app.tenancy import Scope
from tests.worlds import tag


def _as(authority_id, enterprise_id=None, role=Role.ENTERPRISE_ADMIN):
    return tenancy.using(
        Scope(authority_id=authority_id, enterprise_id=enterprise_id, role=role, system=True)
    )


def tiny_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, "JPEG")
    return out.getvalue()


def make_danger(authority_id, enterprise_id, *, severity="general", deadline=None) -> object:
    data = {
        "title": f"隐患{tag()}",
        "category": "unsafe_condition",
        "severity": severity,
        "found_by": "测试",
    }
    if deadline is not None:
        data["deadline"] = deadline
    with _as(authority_id, enterprise_id):
        danger, _ = ledger.create(db.session, data)
        commit(db.session)
    return danger.id


def make_extension(authority_id, enterprise_id) -> tuple:
    today = dt.date.today()
    danger_id = make_danger(authority_id, enterprise_id, deadline=today + dt.timedelta(days=5))
    with _as(authority_id, enterprise_id):
        danger = ledger.common.get(db.session, danger_id)
        ext = extensions.request(
            db.session,
            danger,
            {"new_deadline": today + dt.timedelta(days=20), "reason": "设备到货延迟"},
        )
        commit(db.session)
    return danger_id, ext.id


def make_evidence(authority_id, enterprise_id) -> object:
    danger_id = make_danger(authority_id, enterprise_id)
    with _as(authority_id, enterprise_id):
        danger = ledger.common.get(db.session, danger_id)
        upload = FileStorage(io.BytesIO(tiny_jpeg()), "found.jpg", content_type="image/jpeg")
        item = evidence.upload(db.session, danger, "found", upload)
        commit(db.session)
    return item.id


def make_tip_off(authority_id, *, photo=False) -> tuple:
    """(tip-off id, follow-up code)."""
    with tenancy.using(tipoffs.public_scope(authority_id)):
        tip, code = tipoffs.submit(
            db.session, authority_id, {"enterprise_name": f"某厂{tag()}", "description": "偷排"}
        )
        if photo:
            upload = FileStorage(io.BytesIO(tiny_jpeg()), "p.jpg", content_type="image/jpeg")
            tipoffs.attach_photo(db.session, tip, upload)
        commit(db.session)
    return tip.id, code


def make_notification(authority_id, user_id, enterprise_id=None) -> object:
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        note = Notification(
            id=new_id(),
            authority_id=authority_id,
            user_id=user_id,
            enterprise_id=enterprise_id,
            kind="test",
            title="测试通知",
            dedupe_key=f"test:{tag()}",
        )
        db.session.add(note)
        commit(db.session)
    return note.id


_periods = itertools.count()


def make_report(authority_id, enterprise_id) -> object:
    """A submitted annual report, each for another past year (one per enterprise and year)."""
    year = 2000 + next(_periods) % 25
    with _as(authority_id, enterprise_id):
        report = DangerReport(
            authority_id=authority_id,
            enterprise_id=enterprise_id,
            year=year,
            quarter=0,
            figures={},
            principal_name="负责人",
            due_on=dt.date(year + 1, 1, 31),
            on_time=True,
        )
        db.session.add(report)
        commit(db.session)
    return report.id
