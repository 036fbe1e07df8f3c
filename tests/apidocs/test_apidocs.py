"""/docs and the spec's documentation: our own page (Chinese, ReDoc from the build, a strict CSP),
the Chinese introduction in info.description, and request examples that work when sent."""

from __future__ import annotations

import copy

import yaml

from app.accounts.schemas import TokenRequestSchema
from app.apidocs import examples, introduction
from app.dangers.schemas import TransitionSchema
from app.spec import spec_yaml
from tests.dangers.helpers import Api, auth

ROLES = ("企业安全管理员", "企业员工", "执法人员", "监管人员", "监管机构管理员", "社会公众")


def _spec(app) -> dict:
    with app.app_context():
        return yaml.safe_load(spec_yaml(app))


def test_docs_page_is_ours_in_chinese_and_loads_nothing_from_outside(app, client):
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "<title>安监 Anjian 接口文档</title>" in html
    assert f'<script src="{app.config["OPENAPI_REDOC_URL"]}"></script>' in html
    assert 'spec-url="/openapi.json"' in html
    assert "http://" not in html.replace('href="/openapi.json"', "")
    assert "https://" not in html.replace('a[href^="https://redocly.com"]', "")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "img-src 'self' data:;" in csp
    assert "default-src 'self'" in csp
    assert client.get("/openapi.json").status_code == 200


def test_the_introduction_is_the_spec_description(app):
    spec = _spec(app)
    description = spec["info"]["description"]
    assert description == introduction()
    assert "# 快速开始" in description
    for role in ROLES:
        assert f"## {role}" in description
    assert spec["info"]["title"] == "安监 Anjian"


def _operation(spec, path, method):
    return spec["paths"][path][method]


def _request_examples(operation) -> dict:
    content = operation["requestBody"]["content"]["application/json"]
    if "example" in content:
        return {"example": content["example"]}
    return {name: e["value"] for name, e in content["examples"].items()}


def test_examples_are_in_the_spec(app):
    spec = _spec(app)
    login = _operation(spec, "/api/v1/auth/token", "post")
    assert _request_examples(login) == {"example": examples.LOGIN}
    TokenRequestSchema().load(examples.LOGIN)
    assess = _operation(spec, "/api/v1/hazard-sources/assess", "post")
    assert _request_examples(assess) == {"example": examples.ASSESS}
    ledger = _operation(spec, "/api/v1/hidden-dangers", "post")
    assert set(_request_examples(ledger)) == {"general", "major"}
    listing = _operation(spec, "/api/v1/hidden-dangers", "get")
    assert listing["responses"]["200"]["content"]["application/json"]["example"]
    step = _operation(spec, "/api/v1/hidden-dangers/{danger_id}/transitions", "post")
    for body in _request_examples(step).values():
        TransitionSchema().load(body)


def test_the_calculator_example_is_what_the_calculator_answers(app, client, world):
    # Chlorine 250 t with 120 people around: Σq/Q = 50, β = 4, α = 2 → R = 400, level 1.
    headers = auth(app, world.a.usernames["enterprise_admin"])
    response = client.post("/api/v1/hazard-sources/assess", headers=headers, json=examples.ASSESS)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer == examples.ASSESS_RESULT
    assert (answer["level"], answer["r_value"]) == (1, 400)


def test_the_ledger_examples_work_as_sent(app, client, world):
    admin = world.a.usernames["enterprise_admin"]
    headers = auth(app, admin)
    general = client.post(
        "/api/v1/hidden-dangers", headers=headers, json=examples.DANGER_NEW["general"]["value"]
    )
    assert general.status_code == 201, general.get_json()
    entry = general.get_json()
    for key in ("title", "category", "severity", "source", "state", "allowed_actions", "version"):
        assert entry[key] == examples.DANGER_PAGE["items"][0][key], key

    major = copy.deepcopy(examples.DANGER_NEW["major"]["value"])
    created = client.post("/api/v1/hidden-dangers", headers=headers, json=major)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["severity"] == "major"

    api = Api(app, client, admin)
    step = api.step(entry["id"], **examples.TRANSITIONS["start"]["value"])
    assert step.status_code == 200, step.get_json()
    after = step.get_json()
    assert after["state"] == examples.TRANSITIONED["state"]
    assert after["allowed_actions"] == examples.TRANSITIONED["allowed_actions"]
    assert after["version"] == examples.TRANSITIONED["version"]
    listing = client.get("/api/v1/hidden-dangers?state=rectifying", headers=headers)
    assert set(listing.get_json()) == set(examples.DANGER_PAGE)


def test_every_chapter_has_a_chinese_name(app):
    tags = yaml.safe_load(spec_yaml(app))["tags"]
    unnamed = [t["name"] for t in tags if not _is_chinese(t.get("x-displayName", ""))]
    assert unnamed == [], "tags without a Chinese x-displayName (app/apidocs TAG_NAMES)"


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
