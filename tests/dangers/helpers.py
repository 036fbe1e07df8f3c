"""Shared bits of the hidden-danger API tests: tokens, bodies, images, direct setup."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from PIL import Image

from app.dangers.service import common
from tests import worlds

PLAN = {
    "measures": "更换泄漏阀门并增设围堰",
    "responsible_person": "张三",
    "funds": "12000.00",
    "deadline": None,  # filled with a future date by plan()
    "contingency_plan": "泄漏时启动现场处置方案",
}


def auth(app, username: str) -> dict:
    with app.app_context():
        return {"Authorization": f"Bearer {worlds.login(username)}"}


def today() -> dt.date:
    return common.today()


def plan(days: int = 20) -> dict:
    return {**PLAN, "deadline": (today() + dt.timedelta(days=days)).isoformat()}


def body(**extra) -> dict:
    return {
        "title": "储罐区可燃气体报警器失效",
        "description": "2号储罐区报警器不响应标定气",
        "location": "2号储罐区",
        "category": "unsafe_condition",
        "severity": "general",
        **extra,
    }


def jpeg(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def png(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 255)).save(out, "PNG")
    return out.getvalue()


class Api:
    """A thin client for one actor, so each test reads as the journey it checks."""

    def __init__(self, app, client, username: str):
        self.client, self.headers = client, auth(app, username)

    def create(self, **extra):
        return self.client.post("/api/v1/hidden-dangers", headers=self.headers, json=body(**extra))

    def get(self, danger_id):
        return self.client.get(f"/api/v1/hidden-dangers/{danger_id}", headers=self.headers)

    def step(self, danger_id, action, **extra):
        return self.client.post(
            f"/api/v1/hidden-dangers/{danger_id}/transitions",
            headers=self.headers,
            json={"action": action, **extra},
        )

    def upload(
        self, danger_id, stage="rectified", data=None, name="fix.jpg", mimetype="image/jpeg"
    ):
        return self.client.post(
            f"/api/v1/hidden-dangers/{danger_id}/evidence?stage={stage}",
            headers=self.headers,
            data={"file": (io.BytesIO(jpeg() if data is None else data), name, mimetype)},
            content_type="multipart/form-data",
        )

    def patch(self, danger_id, changes):
        etag = self.get(danger_id).headers["ETag"]
        return self.client.patch(
            f"/api/v1/hidden-dangers/{danger_id}",
            headers={**self.headers, "If-Match": etag},
            json=changes,
        )


def new_client_id() -> str:
    return str(uuid.uuid4())
