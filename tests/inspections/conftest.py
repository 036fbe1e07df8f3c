"""An authority ready for inspections: the world's two tenants, four inspectors in tenant A, a
checklist and a plan."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.inspections import helpers


@dataclass
class Setup:
    world: object
    regulator: helpers.Api
    inspectors: dict = field(default_factory=dict)  # user id (str) -> username
    checklist: dict | None = None
    plan: dict | None = None

    def api_for(self, app, client, inspector_id: str) -> helpers.Api:
        return helpers.Api(app, client, self.inspectors[inspector_id])


@pytest.fixture
def setup(app, client, world):
    extra = helpers.more_inspectors(app, world.a, 3)
    inspectors = {str(world.a.users["inspector"]): world.a.usernames["inspector"]}
    inspectors.update({str(uid): name for uid, name in extra})
    regulator = helpers.Api(app, client, world.a.usernames["regulator"])
    checklist = regulator.post("/inspection-checklists", helpers.checklist_body())
    assert checklist.status_code == 201, checklist.json
    plan = regulator.post(
        "/inspection-plans", helpers.plan_body(checklist_id=checklist.json["id"], status="active")
    )
    assert plan.status_code == 201, plan.json
    return Setup(world, regulator, inspectors, checklist.json, plan.json)
