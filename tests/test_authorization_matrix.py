"""The authorization matrix: every route of the app × every role × own / other enterprise / other
authority. A route without a policy row fails the test, so a new route cannot ship unchecked.

Deny cells must answer the documented status (401 anonymous, 403 role, 404 out of scope) and
leave the database unchanged (every write is audited, so the audit tables are the witness);
allow cells must succeed. Lists are checked for leaks: no out-of-scope id may appear.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.accounts.rules import Role
from app.risks.rules import default_grading_config
from tests import matrix_classification, matrix_dangers, matrix_inspections, services, worlds

ACTORS = (
    "anonymous",
    "platform_admin",
    "authority_admin",
    "regulator",
    "street_regulator",
    "inspector",
    "enterprise_admin",
    "enterprise_staff",
)
RELATIONS = ("own", "other_enterprise", "other_authority")
STAFF = {"authority_admin", "regulator", "street_regulator", "inspector"}
REGULATORS = {"authority_admin", "regulator", "street_regulator"}
ENTERPRISE = {"enterprise_admin", "enterprise_staff"}
EVERYONE = STAFF | ENTERPRISE | {"platform_admin"}


@dataclass(frozen=True)
class Row:
    roles: frozenset  # who passes the role check; "anonymous" in it means public
    kind: str | None  # the object kind in the path (None: no object)
    ok: int  # status of an allowed call
    body: str | None = None  # body factory name
    query: str | None = None  # a query string the route needs
    ok_for: tuple = ()  # (actor, status) pairs: roles the route admits but a rule refuses


def row(roles, kind=None, ok=200, body=None, query=None, ok_for=None):
    return Row(frozenset(roles), kind, ok, body, query, tuple(sorted((ok_for or {}).items())))


PUBLIC = {"anonymous", *EVERYONE}

POLICY: dict[tuple[str, str], Row] = {
    ("GET", "/healthz"): row(PUBLIC),
    ("GET", "/openapi.yaml"): row(PUBLIC),
    ("GET", "/openapi.json"): row(PUBLIC),
    ("GET", "/docs"): row(PUBLIC),
    # Codes and Chinese labels of every vocabulary: no tenant data, the same for everyone.
    ("GET", "/api/v1/dictionaries"): row(PUBLIC),
    # The web client's shell (index.html): no data, the same for everyone.
    ("GET", "/"): row(PUBLIC),
    ("POST", "/api/v1/auth/token"): row(PUBLIC, ok=201, body="login"),
    ("DELETE", "/api/v1/auth/token"): row(EVERYONE, ok=204),
    ("GET", "/api/v1/me"): row(EVERYONE),
    ("POST", "/api/v1/me/password"): row(EVERYONE, ok=204, body="password"),
    ("GET", "/api/v1/authorities"): row({"platform_admin"}),
    ("POST", "/api/v1/authorities"): row({"platform_admin"}, ok=201, body="authority"),
    ("GET", "/api/v1/authorities/<uuid:authority_id>"): row(
        {"platform_admin", *STAFF}, "authority"
    ),
    ("PATCH", "/api/v1/authorities/<uuid:authority_id>"): row(
        {"platform_admin", "authority_admin"}, "authority", body="authority_patch"
    ),
    ("POST", "/api/v1/authorities/<uuid:authority_id>/deactivate"): row(
        {"platform_admin"}, "authority"
    ),
    ("GET", "/api/v1/regions"): row(STAFF),
    ("POST", "/api/v1/regions"): row({"authority_admin"}, ok=201, body="region"),
    ("GET", "/api/v1/regions/<uuid:region_id>"): row(STAFF, "region"),
    ("PATCH", "/api/v1/regions/<uuid:region_id>"): row(
        {"authority_admin"}, "region", body="region_patch"
    ),
    ("POST", "/api/v1/regions/<uuid:region_id>/deactivate"): row({"authority_admin"}, "region"),
    ("GET", "/api/v1/enterprises"): row(STAFF | ENTERPRISE),
    ("POST", "/api/v1/enterprises"): row(REGULATORS, ok=201, body="enterprise"),
    ("GET", "/api/v1/enterprises/<uuid:enterprise_id>"): row(STAFF | ENTERPRISE, "enterprise"),
    ("PATCH", "/api/v1/enterprises/<uuid:enterprise_id>"): row(
        REGULATORS | {"enterprise_admin"}, "enterprise", body="enterprise_patch"
    ),
    ("POST", "/api/v1/enterprises/<uuid:enterprise_id>/deactivate"): row(REGULATORS, "enterprise"),
    ("GET", "/api/v1/users"): row(STAFF | {"enterprise_admin"}),
    ("POST", "/api/v1/users"): row({"authority_admin", "enterprise_admin"}, ok=201, body="user"),
    ("GET", "/api/v1/users/<uuid:user_id>"): row(STAFF | {"enterprise_admin"}, "user"),
    ("PATCH", "/api/v1/users/<uuid:user_id>"): row(
        {"authority_admin", "enterprise_admin"}, "user", body="user_patch"
    ),
    ("POST", "/api/v1/users/<uuid:user_id>/deactivate"): row(
        {"authority_admin", "enterprise_admin"}, "user"
    ),
    ("POST", "/api/v1/hazard-sources/assess"): row(EVERYONE, body="assess"),
    ("GET", "/api/v1/hazard-sources/chemicals"): row(EVERYONE),
    ("GET", "/api/v1/hazard-sources"): row(STAFF | ENTERPRISE),
    ("POST", "/api/v1/hazard-sources"): row({"enterprise_admin"}, ok=201, body="hazard_source"),
    ("GET", "/api/v1/hazard-sources/export.xlsx"): row(STAFF),
    ("GET", "/api/v1/hazard-sources/<uuid:source_id>"): row(STAFF | ENTERPRISE, "hazard_source"),
    ("PATCH", "/api/v1/hazard-sources/<uuid:source_id>"): row(
        {"enterprise_admin"}, "hazard_source", body="hazard_source_patch"
    ),
    ("GET", "/api/v1/hazard-sources/<uuid:source_id>/assessments"): row(
        STAFF | ENTERPRISE, "hazard_source"
    ),
    ("POST", "/api/v1/hazard-sources/<uuid:source_id>/submit"): row(
        {"enterprise_admin"}, "hazard_source:evaluated"
    ),
    ("POST", "/api/v1/hazard-sources/<uuid:source_id>/file"): row(
        REGULATORS, "hazard_source:submitted", body="filing_note"
    ),
    ("POST", "/api/v1/hazard-sources/<uuid:source_id>/return"): row(
        REGULATORS, "hazard_source:submitted", body="filing_note"
    ),
    ("POST", "/api/v1/hazard-sources/<uuid:source_id>/deactivate"): row(
        {"enterprise_admin"}, "hazard_source"
    ),
    ("POST", "/api/v1/risk-assessments/evaluate"): row(EVERYONE, body="evaluate"),
    ("GET", "/api/v1/risk-points"): row(ENTERPRISE),
    ("POST", "/api/v1/risk-points"): row({"enterprise_admin"}, ok=201, body="risk_point"),
    ("GET", "/api/v1/risk-points/template.xlsx"): row(EVERYONE),
    ("POST", "/api/v1/risk-points/import"): row({"enterprise_admin"}, ok=201, body="import"),
    ("GET", "/api/v1/risk-points/export.xlsx"): row(ENTERPRISE),
    ("GET", "/api/v1/risk-points/<uuid:point_id>"): row(ENTERPRISE, "risk_point"),
    ("PATCH", "/api/v1/risk-points/<uuid:point_id>"): row(
        {"enterprise_admin"}, "risk_point", body="risk_point_patch"
    ),
    ("POST", "/api/v1/risk-points/<uuid:point_id>/deactivate"): row(
        {"enterprise_admin"}, "risk_point"
    ),
    ("GET", "/api/v1/risk-lists"): row(STAFF | ENTERPRISE),
    ("POST", "/api/v1/risk-lists"): row({"enterprise_admin"}, ok=201),
    ("GET", "/api/v1/risk-lists/<uuid:version_id>"): row(STAFF | ENTERPRISE, "risk_list"),
    ("GET", "/api/v1/risk-lists/<uuid:version_id>/entries"): row(STAFF | ENTERPRISE, "risk_list"),
    ("GET", "/api/v1/risk-lists/<uuid:version_id>/export.xlsx"): row(
        STAFF | ENTERPRISE, "risk_list"
    ),
    ("GET", "/api/v1/risk-settings"): row(STAFF | ENTERPRISE),
    ("PUT", "/api/v1/risk-settings"): row({"authority_admin"}, body="risk_settings"),
    ("GET", "/api/v1/risk-map/colors"): row(STAFF | ENTERPRISE),
    ("GET", "/api/v1/risk-map/summary"): row(STAFF),
    ("GET", "/api/v1/risk-map/enterprises.geojson"): row(STAFF),
    ("GET", "/api/v1/risk-map/changes"): row(STAFF, query="since=2000-01-01T00:00:00%2B00:00"),
    ("GET", "/api/v1/risk-map/enterprises/<uuid:enterprise_id>/grades"): row(
        STAFF | ENTERPRISE, "enterprise"
    ),
    ("POST", "/api/v1/risk-map/recompute"): row({"authority_admin"}, ok=202),
    ("GET", "/api/v1/audit/events"): row({"authority_admin"}),
    ("POST", "/api/v1/audit/verify"): row({"authority_admin"}),
    ("POST", "/api/v1/audit/checkpoints"): row({"authority_admin"}, ok=202),
    # The caller's own enterprise only (no id in the path): the list leak check covers it.
    ("GET", "/api/v1/enterprise-dashboard"): row(ENTERPRISE),
    **matrix_dangers.rows(row, STAFF, REGULATORS, ENTERPRISE, PUBLIC),
    **matrix_inspections.rows(row, STAFF, REGULATORS, ENTERPRISE, PUBLIC),
    **matrix_classification.rows(row, STAFF, REGULATORS, ENTERPRISE, PUBLIC),
}


def app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/docs/") or "path:" in rule.rule:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method, rule.rule))
    return found


def test_every_route_has_a_policy_row(app):
    routes = app_routes(app)
    assert routes - set(POLICY) == set(), "routes without a matrix row"
    assert set(POLICY) - routes == set(), "matrix rows for routes that no longer exist"


ENTERPRISE_OWNED = {
    "enterprise",
    "user",
    "hazard_source",
    "risk_point",
    "risk_list",
    *matrix_dangers.ENTERPRISE_OWNED,
    *matrix_inspections.ENTERPRISE_OWNED,
    *matrix_classification.ENTERPRISE_OWNED,
}


def visible(actor: str, kind: str, relation: str) -> bool:
    """Whether `actor` may see an object of `kind` in `relation` to it (the product's promise)."""
    kind = kind.split(":")[0]
    for module in (matrix_dangers, matrix_inspections, matrix_classification):
        special = module.visible(actor, kind, relation)
        if special is not None:
            return special
    if relation == "other_authority":
        return actor == "platform_admin" and kind == "authority"
    if kind == "authority":
        return True
    if actor in ENTERPRISE:
        return relation == "own" and kind != "region"
    if actor == "street_regulator" and kind in ENTERPRISE_OWNED:
        return relation == "own"
    return True


class Matrix:
    """Creates, per cell, fresh target objects in the right relation to the actor."""

    def __init__(self, world):
        self.w = world

    def target(self, actor: str, kind: str, relation: str, mutating: bool):
        a, b = self.w.a, self.w.b
        if kind == "authority":
            if relation == "other_authority":
                return b.authority_id
            if actor == "platform_admin" and mutating:
                return worlds.make_authority()  # the platform may deactivate it: keep A alive
            return a.authority_id
        tenant = b if relation == "other_authority" else a
        street, community = (
            (tenant.street2, tenant.community2)
            if relation == "other_enterprise"
            else (tenant.street1, tenant.community1)
        )
        enterprise = tenant.enterprise2 if relation == "other_enterprise" else tenant.enterprise1
        if kind == "region":
            return worlds.make_region(tenant.authority_id, "community", street)
        if kind == "enterprise":
            if actor in ENTERPRISE and relation == "own":
                return enterprise
            return worlds.make_enterprise(tenant.authority_id, community)
        if kind == "user":
            return worlds.make_user(
                tenant.authority_id, Role.ENTERPRISE_STAFF, enterprise_id=enterprise
            )[0]
        if kind == "risk_point":
            return worlds.make_risk_list(tenant.authority_id, enterprise, publish=False)[0]
        if kind == "risk_list":
            return worlds.make_risk_list_version(tenant.authority_id, enterprise)
        for module in (matrix_dangers, matrix_inspections, matrix_classification):
            made = module.target(self.w, actor, kind, relation, tenant, enterprise)
            if made is not None:
                return made
        if kind.startswith("hazard_source"):
            state = kind.partition(":")[2]
            extra = {"last_evaluated_on": "2026-01-05"} if state == "evaluated" else {}
            return worlds.make_hazard_source(
                tenant.authority_id,
                enterprise,
                submitted=state == "submitted",
                **{k: dt.date.fromisoformat(v) for k, v in extra.items()},
            )
        raise AssertionError(kind)

    def body(self, name: str | None, actor: str, relation: str, target=None):
        """A valid body; for 'other_authority' on creates, references into the other tenant."""
        a, b = self.w.a, self.w.b
        ref = b if relation == "other_authority" else a
        t = worlds.tag()
        if name is None:
            return None
        if name == "login":
            username = (
                self.w.username(actor) if actor != "anonymous" else self.w.a.usernames["inspector"]
            )
            return {"username": username, "password": worlds.PASSWORD}
        if name == "password":
            return {"current_password": worlds.PASSWORD, "new_password": worlds.PASSWORD}
        if name == "authority":
            return {
                "name": f"新局{t}",
                "short_name": f"新{t}",
                "admin": {
                    "username": f"admin-{t}",
                    "display_name": "管理员",
                    "password": worlds.PASSWORD,
                },
            }
        if name == "authority_patch":
            return {"court": f"法院{t}"}
        if name == "region":
            return {"kind": "community", "name": f"社区{t}", "parent_id": str(ref.street1)}
        if name == "region_patch":
            return {"name": f"改名{t}"}
        if name == "enterprise":
            return {
                "name": f"新企业{t}",
                "uscc": worlds.uscc(),
                "sector": "construction",
                "region_id": str(ref.community1),
            }
        if name == "enterprise_patch":
            return {"headcount": 42}
        if name == "user":
            if actor == "enterprise_admin":
                return {
                    "username": f"staff-{t}",
                    "display_name": "员工",
                    "role": "enterprise_staff",
                    "password": worlds.PASSWORD,
                    **(
                        {"enterprise_id": str(ref.enterprise1)}
                        if relation == "other_authority"
                        else {}
                    ),
                }
            return {
                "username": f"staff-{t}",
                "display_name": "员工",
                "role": "enterprise_staff",
                "enterprise_id": str(ref.enterprise1),
                "password": worlds.PASSWORD,
            }
        if name == "user_patch":
            return {"display_name": f"改{t}"}
        if name == "assess":
            return {
                "unit_kind": "storage",
                "exposed_population": 120,
                "substances": [{"name": "氯气", "quantity_t": 250}],
            }
        if name == "hazard_source":
            return {
                "name": f"储罐{t}",
                "unit_kind": "storage",
                "exposed_population": 10,
                "substances": [{"name": "甲醇", "quantity_t": 600}],
            }
        if name == "hazard_source_patch":
            return {"exposed_population": 60}
        if name == "filing_note":
            return {"note": "资料齐全"}
        if name == "evaluate":
            return {"method": "LEC", "l": 6, "e": 3, "c": 15}
        if name == "risk_point":
            return worlds.risk_point_body("general")
        if name == "risk_point_patch":
            return {"residual": {"method": "LS", "l": 2, "s": 2}}
        if name == "risk_settings":
            return {"grading": default_grading_config().to_dict()}
        if name == "import":
            return {"file": (io.BytesIO(import_workbook()), "风险清单.xlsx")}
        for module in (matrix_dangers, matrix_inspections, matrix_classification):
            made = module.body(name, actor, relation, self.w, ref)
            if made is not None:
                return made
        raise AssertionError(name)


def import_workbook() -> bytes:
    """One valid row, written with the export (which the import must accept)."""
    from app.risks import excel

    row = {
        **worlds.risk_point_body("general"),
        "inherent_score": 2400,
        "inherent_level": "major",
        "residual_score": 126,
        "residual_level": "general",
        "color": "yellow",
        "control_tier": "workshop",
        "control_status": "in_control",
        "code": None,
        "area": None,
        "activity": None,
        "responsible_department": None,
        "responsible_person": None,
    }
    row["measures"] = {
        "engineering": "可燃气体检测报警",
        "management": "巡检制度",
        "training": None,
        "ppe": None,
        "emergency": None,
    }
    return excel.export_workbook([row], title="风险清单")


TABLES = {
    "authority": "authorities",
    "region": "regions",
    "enterprise": "enterprises",
    "user": "users",
    "hazard_source": "hazard_sources",
    "risk_point": "risk_points",
    **matrix_dangers.TABLES,
    **matrix_inspections.TABLES,
}


def current_etag(owner_engine, kind: str, object_id) -> str:
    """The ETag a reader with access would get (read as the owner: ground truth)."""
    with owner_engine.connect() as conn:
        version = conn.execute(
            sa.text(f"SELECT version FROM {TABLES[kind.split(':')[0]]} WHERE id = :id"),
            {"id": services.sql_uuid(owner_engine, object_id)},
        ).scalar_one()
    return f'"{object_id}.{version}"'


def audit_count(owner_engine) -> int:
    with owner_engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()


def out_of_scope_ids(world, actor: str) -> set[str]:
    a, b = world.a, world.b
    ids = {
        b.authority_id,
        b.enterprise1,
        b.enterprise2,
        b.street1,
        b.community1,
        b.hazard_source1,
        *b.users.values(),
    }
    other_enterprise = {a.enterprise2, a.users["other_staff"], a.hazard_source2}
    if actor in ENTERPRISE:
        ids |= other_enterprise | {a.users["inspector"], a.users["regulator"]}
    if actor == "street_regulator":
        ids |= other_enterprise
    return {str(i) for i in ids}


def test_authorization_matrix(app, client, world, owner_engine, capsys):
    m = Matrix(world)
    tried, denied, allowed, leaks, unauthorised_writes = 0, 0, 0, [], []
    failures: list[str] = []
    statuses: Counter = Counter()
    for (method, rule), policy in sorted(POLICY.items()):
        if policy.kind:
            relations = RELATIONS
        elif policy.body in REFERENCING_BODIES:  # creates: own refs, then refs into tenant B
            relations = ("own", "other_authority")
        else:  # nothing to relate to: one call per actor (lists are checked for leaks)
            relations = ("own",)
        for actor in ACTORS:
            for relation in relations:
                if policy.kind is None and relation == "other_enterprise":
                    continue
                mutating = method != "GET"
                path, headers = rule, {}
                # Factories run in their own app context (their own session), like a request.
                with app.app_context():
                    if policy.kind:
                        target = m.target(actor, policy.kind, relation, mutating)
                        path = with_ids(rule, target)
                        # The object an If-Match names is the last id in the path.
                        target = target[-1] if isinstance(target, tuple) else target
                    if actor != "anonymous":
                        token = worlds.login(world.username(actor))
                        headers = {"Authorization": f"Bearer {token}"}
                    body = m.body(policy.body, actor, relation)
                if mutating:
                    headers["Idempotency-Key"] = str(uuid.uuid4())  # tablets' writes need one
                headers.update(matrix_classification.HEADERS.get((method, rule), {}))
                if policy.kind and method == "PATCH":
                    headers["If-Match"] = current_etag(owner_engine, policy.kind, target)
                if policy.query:
                    path += "?" + policy.query
                before = audit_count(owner_engine)
                if policy.body in MULTIPART:
                    r = client.open(
                        path,
                        method=method,
                        data=body,
                        headers=headers,
                        content_type="multipart/form-data",
                    )
                else:
                    r = client.open(path, method=method, json=body, headers=headers)
                tried += 1
                statuses[r.status_code] += 1
                expected = expect(policy, actor, relation, rule)
                cell = f"{method} {rule} as {actor} on {relation}: "
                cell += f"got {r.status_code}, want {expected}"
                if r.status_code != expected:
                    failures.append(cell + f" {r.get_data(as_text=True)[:200]}")
                    continue
                if expected >= 400:
                    denied += 1
                    if audit_count(owner_engine) != before:
                        unauthorised_writes.append(cell)
                else:
                    allowed += 1
                if method == "GET" and r.status_code == 200 and r.is_json:
                    text = r.get_data(as_text=True)
                    foreigners = out_of_scope_ids(world, actor)
                    if rule in matrix_dangers.PUBLIC_DIRECTORY:
                        # Where tip-offs go: every active authority's id and name, by design.
                        foreigners -= {str(world.b.authority_id)}
                    if rule in matrix_inspections.PUBLISHED:
                        # A published draw names the authority's enterprises and inspectors.
                        a = world.a
                        foreigners -= {str(i) for i in (a.enterprise2, *a.users.values())}
                    for foreign in foreigners:
                        if foreign in text and actor != "platform_admin":
                            leaks.append(f"{cell}: leaked {foreign}")
    report = (
        f"authorization matrix: {len(POLICY)} routes x {len(ACTORS)} actors x up to "
        f"{len(RELATIONS)} relations = {tried} cells ({denied} deny, {allowed} allow), "
        f"{len(leaks)} leaked, {len(unauthorised_writes)} unauthorised writes; "
        f"statuses {dict(statuses)}"
    )
    with capsys.disabled():
        print("\n" + report)
    assert not failures, "\n".join(failures[:40])
    assert not leaks, "\n".join(leaks)
    assert not unauthorised_writes, "\n".join(unauthorised_writes)


REFERENCING_BODIES = {
    "region",
    "enterprise",
    "user",
    *matrix_dangers.REFERENCING,
    *matrix_classification.REFERENCING,
}
MULTIPART = {"import", *matrix_dangers.MULTIPART, *matrix_inspections.MULTIPART}


def with_ids(rule: str, target) -> str:
    """The rule with its placeholders replaced, in order, by the target's id(s)."""
    ids = iter(target if isinstance(target, tuple) else (target,))
    return re.sub(r"<[^>]+>", lambda _: str(next(ids)), rule)


def expect(policy: Row, actor: str, relation: str, rule: str) -> int:
    if actor not in policy.roles:
        return 401 if actor == "anonymous" else 403
    if policy.kind and not visible(actor, policy.kind, relation):
        return 404
    if policy.body in REFERENCING_BODIES and relation == "other_authority":
        return 422  # references into another tenant do not exist for the caller
    return dict(policy.ok_for).get(actor, policy.ok)


def test_matrix_denies_unknown_ids_like_foreign_ones(client, world, app):
    """A random id and another tenant's id give byte-identical answers."""
    with app.app_context():
        headers = {"Authorization": f"Bearer {worlds.login(world.a.usernames['regulator'])}"}
    for path in ("enterprises", "users", "regions"):
        foreign = {
            "enterprises": world.b.enterprise1,
            "users": world.b.users["inspector"],
            "regions": world.b.street1,
        }[path]
        r1 = client.get(f"/api/v1/{path}/{foreign}", headers=headers)
        r2 = client.get(f"/api/v1/{path}/{uuid.uuid4()}", headers=headers)
        assert r1.status_code == r2.status_code == 404
        assert r1.get_data() == r2.get_data()


pytestmark = pytest.mark.timeout(600)


def test_foreign_ids_in_list_filters_find_nothing(app, client, world):
    """Every id-valued filter of every list, given another tenant's (or another enterprise's)
    id, answers an empty page: the filter never widens the scope."""
    import yaml

    from app.spec import spec_yaml

    spec = yaml.safe_load(spec_yaml(app))
    foreign = {
        "enterprise_id": world.b.enterprise1,
        "region_id": world.b.community1,
        "street_id": world.b.street1,
        "parent_id": world.b.street1,
        "entity_id": world.b.enterprise1,
    }
    tried = 0
    for actor in ("authority_admin", "street_regulator", "enterprise_admin"):
        with app.app_context():
            headers = {"Authorization": f"Bearer {worlds.login(world.username(actor))}"}
        for path, ops in spec["paths"].items():
            get = ops.get("get")
            if not get or "{" in path:
                continue
            names = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
            for name in names & set(foreign):
                r = client.get(f"{path}?{name}={foreign[name]}", headers=headers)
                if r.status_code == 403:
                    continue
                tried += 1
                assert r.status_code == 200, (actor, path, name, r.status_code)
                if r.mimetype == "application/geo+json":
                    assert json.loads(r.data)["features"] == [], (actor, path, name)
                elif r.is_json and "totals" in r.json:  # statistics: nothing counted
                    assert set(r.json["totals"].values()) == {0}, (actor, path, name)
                elif r.is_json:
                    assert r.json["items"] == [], (actor, path, name)
                else:  # the register export: a header row and nothing else
                    sheet = load_workbook(io.BytesIO(r.data), read_only=True).active
                    assert len(list(sheet.values)) == 1, (actor, path, name)
    assert tried >= 8
