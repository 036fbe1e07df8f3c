"""Plans, exclusions, key enterprises, conflicts and the draw's rules at the API."""

from __future__ import annotations

import json

from click.testing import CliRunner

from app.cli import verify_draw_command
from tests.inspections import helpers


def _draw(setup, period=None, plan=None, **extra):
    body = {
        "period": period or str(helpers.today().year),
        "due_date": helpers.today().isoformat(),
        **extra,
    }
    return setup.regulator.post(f"/inspection-plans/{(plan or setup.plan)['id']}/draws", body)


def _plan(setup, **extra):
    r = setup.regulator.post("/inspection-plans", helpers.plan_body(status="active", **extra))
    assert r.status_code == 201, r.json
    return r.json


def test_plan_validation(setup):
    bad = setup.regulator.post(
        "/inspection-plans",
        helpers.plan_body(rates={"default": "0.15x"}, floor_per_year=5, cap_per_year=2),
    )
    assert bad.status_code == 422
    assert {"rates", "floor_per_year"} <= set(bad.json["errors"])
    no_default = setup.regulator.post("/inspection-plans", helpers.plan_body(rates={"良好": "0.1"}))
    assert no_default.status_code == 422 and "rates" in no_default.json["errors"]
    same = setup.regulator.post(
        "/inspection-plans", helpers.plan_body(name=setup.plan["name"], year=setup.plan["year"])
    )
    assert same.status_code == 409
    assert _draw(setup, period="1999").status_code == 422
    assert _draw(setup, period=f"{helpers.today().year}-Q5").status_code == 422


def test_exclusions_key_enterprises_and_conflicts_shape_the_draw(app, client, setup):
    a = setup.world.a
    plan = _plan(setup, rates={"default": "1"})
    r = setup.regulator.post(
        f"/inspection-plans/{plan['id']}/exclusions",
        {"enterprise_id": str(a.enterprise2), "reason": "suspended", "note": "停产"},
    )
    assert r.status_code == 201, r.json
    again = setup.regulator.post(
        f"/inspection-plans/{plan['id']}/exclusions",
        {"enterprise_id": str(a.enterprise2), "reason": "other"},
    )
    assert again.status_code == 409
    key = setup.regulator.post(
        f"/inspection-plans/{plan['id']}/key-enterprises", {"enterprise_id": str(a.enterprise1)}
    )
    assert key.status_code == 201
    # The world's inspector declares a conflict with enterprise 1: never on its team.
    me = helpers.Api(app, client, a.usernames["inspector"])
    conflict = me.post(
        "/inspector-conflicts",
        {"enterprise_id": str(a.enterprise1), "kind": "relative", "reason": "配偶在该企业任职"},
    )
    assert conflict.status_code == 201, conflict.json
    assert (
        me.post(
            "/inspector-conflicts",
            {"enterprise_id": str(a.enterprise1), "kind": "other", "reason": "重复"},
        ).status_code
        == 409
    )
    committed = _draw(setup, plan=plan)
    assert committed.status_code == 201, committed.json
    snapshot = committed.json["snapshot"]
    reasons = {x["enterprise_id"]: x["reason"] for x in snapshot["exclusions"]}
    assert reasons[str(a.enterprise2)] == "suspended"
    assert reasons[str(a.enterprise1)] == "mandatory"
    assert snapshot["mandatory"] == [str(a.enterprise1)]
    assert [str(a.users["inspector"]), str(a.enterprise1)] in snapshot["conflicts"]
    executed = setup.regulator.post(f"/inspection-draws/{committed.json['id']}/execute")
    assert executed.status_code == 200
    team = executed.json["result"]["assignments"][0]
    assert team["enterprise_id"] == str(a.enterprise1)
    assert str(a.users["inspector"]) not in team["inspectors"] and len(team["inspectors"]) == 2
    assert (
        setup.regulator.post(f"/inspection-draws/{committed.json['id']}/execute").status_code == 409
    )
    tasks = setup.regulator.get(f"/inspection-tasks?draw_id={committed.json['id']}").json["items"]
    assert [t["kind"] for t in tasks] == ["key"]
    # Inspectors cannot revoke their own conflicts; a regulator can, with a reason.
    assert (
        me.post(f"/inspector-conflicts/{conflict.json['id']}/revoke", {"reason": "x"}).status_code
        == 403
    )
    revoked = setup.regulator.post(
        f"/inspector-conflicts/{conflict.json['id']}/revoke", {"reason": "配偶已离职"}
    )
    assert revoked.status_code == 200 and revoked.json["revoked_at"]


def test_the_cap_excludes_and_an_infeasible_team_is_refused_before_the_seed(app, setup):
    a = setup.world.a
    plan = _plan(setup, rates={"default": "1"}, cap_per_year=1)
    first = _draw(setup, plan=plan, period=f"{helpers.today().year}-H1")
    setup.regulator.post(f"/inspection-draws/{first.json['id']}/execute")
    second = _draw(setup, plan=plan, period=f"{helpers.today().year}-H2")
    assert second.status_code == 201
    reasons = {x["reason"] for x in second.json["snapshot"]["exclusions"]}
    assert reasons == {"cap_reached"} and second.json["snapshot"]["strata"] == []
    # Every inspector but one declares a conflict with enterprise 1: no team of two is possible.
    for inspector in list(setup.inspectors)[1:]:
        r = setup.regulator.post(
            "/inspector-conflicts",
            {
                "inspector_id": inspector,
                "enterprise_id": str(a.enterprise1),
                "kind": "other",
                "reason": "曾为其提供咨询",
            },
        )
        assert r.status_code == 201
    plan = _plan(setup, rates={"default": "1"})
    refused = _draw(setup, plan=plan)
    assert refused.status_code == 422 and "conflicts" in refused.json["errors"]
    assert setup.regulator.get(f"/inspection-plans/{plan['id']}/draws").json["items"] == []


def test_seed_hidden_until_drawn_and_draft_plans_unpublished(client, setup):
    authority = setup.world.a.authority_id
    draft = setup.regulator.post("/inspection-plans", helpers.plan_body())
    # A draft is not published: a commitment nobody can see would commit to nothing.
    assert _draw(setup, plan=draft.json).status_code == 409
    public = f"/api/v1/public/authorities/{authority}"
    listed = client.get(f"{public}/inspection-plans").json["items"]
    assert draft.json["id"] not in {p["id"] for p in listed}
    committed = _draw(setup)
    shown = client.get(f"{public}/inspection-draws/{committed.json['id']}").json
    assert shown["seed"] is None and shown["commitment"] and shown["result"] is None
    # Once it has published draws, a plan cannot go back to draft (they would vanish).
    back = setup.regulator.patch(f"/inspection-plans/{setup.plan['id']}", {"status": "draft"})
    assert back.status_code == 409


def test_a_plan_scoped_to_one_street_draws_from_it_and_street_regulators_only_read(
    app, client, setup
):
    a = setup.world.a
    plan = _plan(setup, rates={"default": "1"}, street_ids=[str(a.street1)])
    assert plan["street_ids"] == [str(a.street1)]
    drawn = _draw(setup, plan=plan).json
    pool = [c for s in drawn["snapshot"]["strata"] for c in s["candidates"]]
    assert str(a.enterprise1) in pool and str(a.enterprise2) not in pool
    street = helpers.Api(app, client, a.usernames["street_regulator"])
    assert street.get(f"/inspection-plans/{plan['id']}/draws").status_code == 200
    again = street.post(
        f"/inspection-plans/{plan['id']}/draws",
        {
            "period": str(helpers.today().year),
            "due_date": helpers.today().isoformat(),
            "reason": "x",
        },
    )
    assert again.status_code == 403
    assert street.post(f"/inspection-draws/{drawn['id']}/execute").status_code == 403


def test_the_cli_verifies_a_published_draw_and_catches_a_tampered_one(client, setup, tmp_path):
    committed = _draw(setup, plan=_plan(setup, rates={"default": "0.5"}))
    setup.regulator.post(f"/inspection-draws/{committed.json['id']}/execute")
    authority = setup.world.a.authority_id
    published = client.get(
        f"/api/v1/public/authorities/{authority}/inspection-draws/{committed.json['id']}"
    ).json
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(published), encoding="utf-8")
    result = CliRunner().invoke(verify_draw_command, [str(good)])
    assert result.exit_code == 0 and result.output.startswith("verified: anjian-draw-v1"), (
        result.output
    )
    stratum = published["snapshot"]["strata"][0]
    stratum["candidates"] = list(reversed(stratum["candidates"])) + [
        "00000000-0000-0000-0000-000000000000"
    ]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(published), encoding="utf-8")
    result = CliRunner().invoke(verify_draw_command, [str(bad)])
    assert result.exit_code == 1 and "MISMATCH" in result.output


def test_a_key_enterprise_is_inspected_once_per_cycle(setup):
    a = setup.world.a
    plan = _plan(setup, rates={"default": "0"}, key_cycle="quarter")
    setup.regulator.post(
        f"/inspection-plans/{plan['id']}/key-enterprises", {"enterprise_id": str(a.enterprise1)}
    )
    year, month = helpers.today().year, helpers.today().month
    first = _draw(setup, plan=plan, period=str(year))
    assert first.json["snapshot"]["mandatory"] == [str(a.enterprise1)]
    setup.regulator.post(f"/inspection-draws/{first.json['id']}/execute")
    again = _draw(setup, plan=plan, period=f"{year}-M{month:02d}")
    assert again.status_code == 201, again.json
    reasons = {x["enterprise_id"]: x["reason"] for x in again.json["snapshot"]["exclusions"]}
    assert again.json["snapshot"]["mandatory"] == []
    assert reasons[str(a.enterprise1)] == "inspected_this_period"
