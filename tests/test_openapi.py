"""The API contract: the committed openapi.yaml is exactly what the code generates, it is served,
and it is a valid OpenAPI 3 document."""

from pathlib import Path

import yaml

from app.spec import spec_yaml

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.yaml"


def test_committed_spec_has_not_drifted(app):
    generated = spec_yaml(app)
    assert COMMITTED.read_text(encoding="utf-8") == generated, (
        "openapi.yaml is stale: run `make openapi` and commit the result"
    )


def test_spec_is_served_and_browsable(client):
    r = client.get("/openapi.yaml")
    assert r.status_code == 200 and r.mimetype == "application/yaml"
    spec = yaml.safe_load(r.get_data(as_text=True))
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/enterprises/{enterprise_id}" in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and b"openapi.json" in docs.data


def test_every_protected_operation_declares_bearer_auth(app):
    spec = yaml.safe_load(spec_yaml(app))
    open_ops = {("/api/v1/auth/token", "post"), ("/api/v1/dictionaries", "get")}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            if (path, method) in open_ops or path.startswith("/api/v1/public/"):
                assert "security" not in op
            else:
                assert op.get("security") == [{"bearerAuth": []}], (path, method)


def test_spec_validates_as_openapi_3(app):
    from openapi_spec_validator import validate

    validate(yaml.safe_load(spec_yaml(app)))


def test_errors_are_documented_as_problems(app):
    spec = yaml.safe_load(spec_yaml(app))
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status"} <= set(problem["required"])
