"""Shared bits of the inspection API tests: an authority with enough inspectors, and a thin
client for each actor so each test reads as the journey it checks."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from app.accounts.rules import Role
from app.inspections.service import common
from tests import worlds
from tests.dangers.helpers import auth, jpeg, png

__all__ = ["Api", "auth", "jpeg", "png", "checklist_body", "plan_body", "today"]


def today() -> dt.date:
    return common.today()


def checklist_body(**extra) -> dict:
    return {
        "name": f"危险化学品企业检查表{uuid.uuid4().hex[:6]}",
        "sector": "hazardous_chemicals",
        "items": [
            {
                "text": "是否建立安全生产责任制",
                "legal_basis": "《安全生产法》第二十二条",
                "must_check": True,
            },
            {"text": "重大危险源是否登记建档", "legal_basis": "《安全生产法》第四十条"},
        ],
        **extra,
    }


def plan_body(**extra) -> dict:
    return {
        "year": today().year,
        "name": f"年度监督检查计划{uuid.uuid4().hex[:6]}",
        "rates": {"default": "0.5"},
        "cap_per_year": 4,
        **extra,
    }


def more_inspectors(app, tenant, n: int) -> list[tuple[uuid.UUID, str]]:
    with app.app_context():
        return [worlds.make_user(tenant.authority_id, Role.INSPECTOR) for _ in range(n)]


class Api:
    def __init__(self, app, client, username: str):
        self.client, self.headers = client, auth(app, username)

    def _h(self, extra=None):
        return {**self.headers, **(extra or {})}

    def get(self, path, **kw):
        return self.client.get(f"/api/v1{path}", headers=self._h(kw.pop("headers", None)), **kw)

    def post(self, path, json=None, key=None, **kw):
        headers = self._h(kw.pop("headers", None))
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.client.post(f"/api/v1{path}", headers=headers, json=json, **kw)

    def put(self, path, json=None, key=None):
        headers = self._h({"Idempotency-Key": key} if key else None)
        return self.client.put(f"/api/v1{path}", headers=headers, json=json)

    def patch(self, path, json, etag=None):
        if etag is None:
            etag = self.get(path).headers["ETag"]
        return self.client.patch(f"/api/v1{path}", headers=self._h({"If-Match": etag}), json=json)

    def upload(self, inspection_id, form, data=None, key=None, name="p.jpg", mimetype="image/jpeg"):
        headers = self._h({"Idempotency-Key": key or str(uuid.uuid4())})
        return self.client.post(
            f"/api/v1/inspections/{inspection_id}/files",
            headers=headers,
            query_string=form,
            data={"file": (io.BytesIO(jpeg() if data is None else data), name, mimetype)},
            content_type="multipart/form-data",
        )


def new_id() -> str:
    return str(uuid.uuid4())
