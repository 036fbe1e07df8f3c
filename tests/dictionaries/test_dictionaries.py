"""GET /api/v1/dictionaries: every dictionary the forms need, its codes exactly the values the API
accepts (read from the schemas' validators and the enums, not restated), Chinese labels, the
standard value tables equal to their data files, and HTTP caching by ETag."""

from __future__ import annotations

import csv
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from marshmallow import validate

from app.accounts.rules import Role
from app.accounts.schemas import UserSchema
from app.classification.rules import Level
from app.dangers import models as danger_models
from app.dangers.rules import enums as danger
from app.dangers.schemas import HiddenDangerQueryArgsSchema, HiddenDangerSchema
from app.dictionaries import rules
from app.documents.rules import Kind as DocumentKind
from app.documents.schemas import DocumentQueryArgsSchema
from app.enterprises.rules import STANDARDIZATION_GRADES, Sector
from app.enterprises.schemas import EnterpriseSchema
from app.hazards.schemas import AssessRequestSchema, HazardSourceQueryArgsSchema
from app.inspections.rules import enums as inspection
from app.inspections.schemas.records import (
    InspectionSchema,
    ItemResultSchema,
    ReviewSchema,
    TaskSchema,
)
from app.risks.rules import enums as risk
from app.risks.schemas import (
    AssessmentSchema,
    MeasuresSchema,
    RiskPointQueryArgsSchema,
    RiskPointSchema,
)
from app.tenants.schemas import RegionSchema
from tests.worlds import bearer

ROOT = Path(__file__).resolve().parents[2]
URL = "/api/v1/dictionaries"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# The names the web client codes against: a contract (add, never rename).
CONTRACT = {
    "sectors", "roles", "region_kinds", "accident_types", "hazard_categories", "unit_kinds",
    "hazard_filing_states", "hazard_reevaluation_states", "risk_levels", "risk_colors",
    "control_tiers", "assessment_methods", "assessment_kinds", "risk_point_types",
    "measure_categories", "control_statuses", "lec_likelihood", "lec_exposure",
    "lec_consequence", "ls_likelihood", "ls_severity", "danger_sources", "danger_categories",
    "danger_severities", "danger_states", "danger_actions", "tip_off_states",
    "enterprise_classes", "document_kinds", "inspection_statuses", "task_statuses",
    "item_results", "verdicts",
}  # fmt: skip


def choices(schema, field: str) -> set[str]:
    """The values a schema field's OneOf validator accepts: what the API really takes."""
    found = [v for v in schema().fields[field].validators if isinstance(v, validate.OneOf)]
    assert found, f"{schema.__name__}.{field} has no OneOf validator"
    return {str(c) for c in found[0].choices}


def codes(name: str) -> set[str]:
    return {e["code"] for e in rules.build()[name]}


def values(enum) -> set[str]:
    return {m.value for m in enum}


def test_every_contract_name_is_present():
    assert set(rules.build()) >= CONTRACT


def test_entries_are_well_formed():
    for name, entries in rules.build().items():
        assert entries, name
        assert len(codes(name)) == len(entries), f"{name}: codes repeat"
        assert [e["order"] for e in entries] == list(range(1, len(entries) + 1)) or name == (
            "accident_types"
        ), f"{name}: order is not 1..n"
        for entry in entries:
            assert isinstance(entry["code"], str) and entry["code"], name
            assert CHINESE.search(entry["label"]), f"{name}: {entry['label']!r} is not Chinese"


ACCEPTED = {
    # name: (schema, field) whose validator decides what the API takes
    "sectors": (EnterpriseSchema, "sector"),
    "region_kinds": (RegionSchema, "kind"),
    "unit_kinds": (AssessRequestSchema, "unit_kind"),
    "hazard_filing_states": (HazardSourceQueryArgsSchema, "filing_status"),
    "hazard_reevaluation_states": (HazardSourceQueryArgsSchema, "reevaluation"),
    "risk_levels": (RiskPointQueryArgsSchema, "residual_level"),
    "risk_colors": (RiskPointQueryArgsSchema, "color"),
    "assessment_methods": (AssessmentSchema, "method"),
    "risk_point_types": (RiskPointSchema, "point_type"),
    "control_statuses": (RiskPointSchema, "control_status"),
    "danger_sources": (HiddenDangerQueryArgsSchema, "source"),
    "danger_categories": (HiddenDangerSchema, "category"),
    "danger_severities": (HiddenDangerSchema, "severity"),
    "danger_states": (HiddenDangerQueryArgsSchema, "state"),
    "document_kinds": (DocumentQueryArgsSchema, "kind"),
    "inspection_statuses": (InspectionSchema, "status"),
    "inspection_outcomes": (InspectionSchema, "outcome"),
    "task_statuses": (TaskSchema, "status"),
    "task_kinds": (TaskSchema, "kind"),
    "item_results": (ItemResultSchema, "result"),
    "verdicts": (ReviewSchema, "verdict"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_codes_are_what_the_api_accepts(name):
    schema, field = ACCEPTED[name]
    assert codes(name) == choices(schema, field)


def test_codes_equal_the_enums():
    assert codes("danger_states") == values(danger.State)
    assert codes("danger_actions") == values(danger.Action)
    assert codes("danger_sources") == values(danger.Source)
    assert codes("sectors") == values(Sector)
    assert codes("roles") == values(Role)
    # Users are created with every role but the platform's (labels still cover /me's answer).
    assert choices(UserSchema, "role") == values(Role) - {"platform_admin"}
    assert codes("enterprise_classes") == values(Level)
    assert codes("document_kinds") == values(DocumentKind)
    assert codes("control_tiers") == values(risk.ControlTier)
    assert codes("assessment_kinds") == values(risk.AssessmentKind)
    assert codes("plan_statuses") == values(inspection.PlanStatus)
    assert codes("conflict_kinds") == values(inspection.ConflictKind)
    assert codes("exclusion_reasons") == values(inspection.ExclusionReason)
    assert codes("tip_off_states") == set(danger_models.TIP_OFF_STATUSES)
    # A risk point's measures are an object keyed by category.
    assert codes("measure_categories") == set(MeasuresSchema().fields)
    assert {int(c) for c in codes("standardization_grades")} == set(STANDARDIZATION_GRADES)


def test_labels_come_from_the_enums_where_they_have_them():
    states = {e["code"]: e["label"] for e in rules.build()["danger_states"]}
    assert states == {s.value: s.label_cn for s in danger.State}
    classes = [e["label"] for e in rules.build()["enterprise_classes"]]
    assert classes == ["良好", "正常", "提醒", "警示"]
    ppe = next(e for e in rules.build()["measure_categories"] if e["code"] == "ppe")
    assert ppe["label"] == "个体防护"


def test_risk_levels_carry_their_color_most_severe_first():
    entries = rules.build()["risk_levels"]
    assert [(e["code"], e["color"]) for e in entries] == [
        ("major", "red"),
        ("significant", "orange"),
        ("general", "yellow"),
        ("low", "blue"),
    ]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("name", "factor", "file", "text"),
    [
        ("lec_likelihood", "L", "lec_values.csv", "label_cn"),
        ("lec_exposure", "E", "lec_values.csv", "label_cn"),
        ("lec_consequence", "C", "lec_values.csv", "label_cn"),
        ("ls_likelihood", "L", "ls_scales.csv", "criteria_cn"),
        ("ls_severity", "S", "ls_scales.csv", "criteria_cn"),
    ],
)
def test_factor_tables_equal_the_data_files(name, factor, file, text):
    rows = [r for r in _csv(ROOT / "app/risks/data" / file) if r["factor"] == factor]
    entries = rules.build()[name]
    assert [Decimal(str(e["value"])) for e in entries] == [Decimal(r["value"]) for r in rows]
    assert [Decimal(e["code"]) for e in entries] == [Decimal(r["value"]) for r in rows]
    # Same words, the data file's ASCII separators shown as Chinese punctuation.
    assert [re.sub(r"[,;，；\s]", "", e["description"]) for e in entries] == [
        re.sub(r"[,;，；\s]", "", r[text]) for r in rows
    ]


def test_lec_values_are_the_standard_sets():
    def numbers(name):
        return [e["value"] for e in rules.build()[name]]

    assert numbers("lec_likelihood") == [10, 6, 3, 1, 0.5, 0.2, 0.1]
    assert numbers("lec_exposure") == [10, 6, 3, 2, 1, 0.5]
    assert numbers("lec_consequence") == [100, 40, 15, 7, 3, 1]
    assert numbers("ls_severity") == [5, 4, 3, 2, 1]


def test_accident_types_are_gb6441_2025():
    rows = _csv(ROOT / "app/risks/data/accident_types_gb6441_2025.csv")
    entries = rules.build()["accident_types"]
    assert [(e["code"], e["label"], e["order"]) for e in entries] == [
        (r["code"], r["name_cn"], int(r["seq"])) for r in rows
    ]
    assert len(entries) == 27


def test_hazard_categories_are_table_2():
    rows = _csv(ROOT / "app/hazards/data/GB18218-2018/table2.csv")
    entries = rules.build()["hazard_categories"]
    assert [e["code"] for e in entries] == [r["symbol"] for r in rows]
    assert [Decimal(str(e["critical_quantity_t"])) for e in entries] == [
        Decimal(r["critical_quantity_t"]) for r in rows
    ]
    w53 = next(e for e in entries if e["code"] == "W5.3")
    assert w53["hazard_class"] == "易燃液体"
    assert w53["label"].startswith("W5.3 易燃液体")
    assert w53["critical_quantity_t"] == 1000


def test_version_is_a_digest_of_the_content():
    built = rules.build()
    assert rules.version_of(built) == rules.document()["version"]
    built["sectors"][0]["label"] = "改"
    assert rules.version_of(built) != rules.document()["version"]


def _address() -> dict:
    n = uuid.uuid4().int
    return {"REMOTE_ADDR": f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"}


def test_public_and_cacheable(client):
    response = client.get(URL, environ_base=_address())
    assert response.status_code == 200
    body = response.get_json()
    assert body == rules.document()
    assert set(body["dictionaries"]) >= CONTRACT
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    # Chinese is sent as Chinese, not \u escapes.
    assert "重大风险".encode() in response.data


def test_if_none_match_answers_304(client):
    etag = client.get(URL, environ_base=_address()).headers["ETag"]
    again = client.get(URL, headers={"If-None-Match": etag}, environ_base=_address())
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=3600"
    # A proxy may have weakened the tag; several tags may be sent.
    weak = client.get(URL, headers={"If-None-Match": f'"x", W/{etag}'}, environ_base=_address())
    assert weak.status_code == 304
    stale = client.get(URL, headers={"If-None-Match": '"stale"'}, environ_base=_address())
    assert stale.status_code == 200
    assert stale.get_json()["version"] == etag.strip('"')


def test_a_token_changes_nothing(app, client, world):
    # Logged in or not, the same document: no tenant data, nothing personal.
    bogus = client.get(URL, headers={"Authorization": "Bearer nonsense"}, environ_base=_address())
    assert bogus.status_code == 401  # a bad token is refused everywhere, as on every route
    anonymous = client.get(URL, environ_base=_address())
    assert anonymous.get_json()["version"] == rules.document()["version"]
    with app.app_context():
        headers = bearer(world.a.usernames["enterprise_staff"])
    signed_in = client.get(URL, headers=headers, environ_base=_address())
    assert signed_in.status_code == 200
    assert signed_in.data == anonymous.data


def test_in_the_contract(app):
    from app.spec import spec_yaml

    with app.app_context():
        spec = spec_yaml(app)
    assert "/api/v1/dictionaries:" in spec
    assert "DictionaryEntry" in spec


def test_status_dictionaries_equal_what_the_tables_allow():
    # The statuses messages name and screens show, against the models' CHECK constraints.
    from app.dangers import models as danger_models
    from app.documents import models as document_models
    from app.hazards.rules.register import FilingAction
    from app.inspections.rules.enums import DrawStatus

    assert codes("draw_statuses") == values(DrawStatus)
    assert codes("hazard_filing_actions") == values(FilingAction)
    assert codes("evidence_stages") == set(danger_models.STAGES)
    assert codes("evidence_statuses") == set(danger_models.EVIDENCE_STATUSES)
    assert codes("extension_statuses") == set(danger_models.EXTENSION_STATUSES)
    assert codes("document_statuses") == set(document_models.STATUSES)
    assert codes("export_statuses") == set(document_models.EXPORT_STATUSES)
