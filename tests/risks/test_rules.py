"""Pure rules of the risk domain: tables of cases, no fixtures.

Expected scores and levels were worked out by hand from the reference CSVs (lec_tables.csv,
lec_bands.csv, ls_matrix.csv variant A, risk_control_levels.csv) and the issue's conventions,
not computed with the code under test.
"""

import dataclasses
from decimal import Decimal
from itertools import product

import pytest

from app.risks.rules import (
    AccidentTypeError,
    AssessmentError,
    AssessmentMethod,
    Color,
    ColorRule,
    ControlMeasureCategory,
    ControlStatus,
    ControlTier,
    EnterpriseColorInputError,
    EnterpriseColorRules,
    GradingConfig,
    GradingConfigError,
    InvalidInput,
    RiskLevel,
    RiskPointType,
    accident_type_for_name,
    accident_types,
    allowed_values,
    default_color_rules,
    default_grading_config,
    evaluate,
    grade_enterprise,
    validate_accident_type_codes,
)

LEC_L = ("10", "6", "3", "1", "0.5", "0.2", "0.1")
LEC_E = ("10", "6", "3", "2", "1", "0.5")
LEC_C = ("100", "40", "15", "7", "3", "1")

LOW = {"level": "low", "color": "blue", "control_tier": "post"}
GENERAL = {"level": "general", "color": "yellow", "control_tier": "workshop"}
SIGNIFICANT = {"level": "significant", "color": "orange", "control_tier": "department"}
MAJOR = {"level": "major", "color": "red", "control_tier": "company"}


# --- LEC: every band boundary, from both sides ------------------------------------------------

LEC_CASES = [
    # (l, e, c, D, expected) — the products nearest each edge of 70 / 160 / 320
    (0.1, 0.5, 1, 0.05, LOW),  # smallest possible D
    (0.2, 6, 15, 18, LOW),  # 0.2*6*15 in binary floats is 18.000000000000004
    (0.1, 2, 100, 20, LOW),
    (3, 3, 7, 63, LOW),  # largest D below 70
    (10, 1, 7, 70, GENERAL),  # D = 70 exactly: general, not low
    (1, 10, 7, 70, GENERAL),
    (10, 1, 15, 150, GENERAL),  # largest D below 160
    (3, 0.5, 100, 150, GENERAL),
    (0.5, 3, 100, 150, GENERAL),
    (10, 6, 3, 180, SIGNIFICANT),  # smallest D at or above 160 (160 itself cannot occur)
    (6, 2, 15, 180, SIGNIFICANT),
    (6, 3, 15, 270, SIGNIFICANT),  # the issue's example
    (10, 10, 3, 300, SIGNIFICANT),  # largest D below 320
    (0.5, 6, 100, 300, SIGNIFICANT),
    (3, 3, 40, 360, MAJOR),  # smallest D at or above 320 (320 itself cannot occur)
    (10, 10, 100, 10000, MAJOR),  # largest possible D
]


@pytest.mark.parametrize(("l", "e", "c", "score", "expected"), LEC_CASES)
def test_lec_band_boundaries(l, e, c, score, expected):  # noqa: E741
    result = evaluate({"method": "LEC", "l": l, "e": e, "c": c})
    assert result.as_dict() == {"score": score, **expected}


def test_lec_products_160_and_320_cannot_occur_so_boundary_cases_above_are_the_nearest():
    products = {Decimal(x) * Decimal(y) * Decimal(z) for x, y, z in product(LEC_L, LEC_E, LEC_C)}
    assert Decimal(160) not in products and Decimal(320) not in products
    assert max(p for p in products if p < 70) == 63 and Decimal(70) in products
    assert max(p for p in products if p < 160) == 150 and min(p for p in products if p > 160) == 180
    assert max(p for p in products if p < 320) == 300 and min(p for p in products if p > 320) == 360


@pytest.mark.parametrize(("l", "e", "c"), list(product(LEC_L, LEC_E, LEC_C)))
def test_every_lec_combination_is_graded_by_the_issue_thresholds(l, e, c):  # noqa: E741
    d = Decimal(l) * Decimal(e) * Decimal(c)
    expected = (
        "major" if d >= 320 else "significant" if d >= 160 else ("general" if d >= 70 else "low")
    )
    result = evaluate({"method": "LEC", "l": float(l), "e": float(e), "c": float(c)})
    assert (result.score, result.level) == (d, expected)


# --- LS: the full 5×5 matrix of ls_matrix.csv, variant A --------------------------------------

LS_MATRIX = [
    (1, 1, 1, "blue"), (1, 2, 2, "blue"), (1, 3, 3, "blue"), (1, 4, 4, "blue"),
    (1, 5, 5, "blue"), (2, 1, 2, "blue"), (2, 2, 4, "blue"), (2, 3, 6, "blue"),
    (2, 4, 8, "blue"), (2, 5, 10, "yellow"), (3, 1, 3, "blue"), (3, 2, 6, "blue"),
    (3, 3, 9, "yellow"), (3, 4, 12, "yellow"), (3, 5, 15, "orange"), (4, 1, 4, "blue"),
    (4, 2, 8, "blue"), (4, 3, 12, "yellow"), (4, 4, 16, "orange"), (4, 5, 20, "red"),
    (5, 1, 5, "blue"), (5, 2, 10, "yellow"), (5, 3, 15, "orange"), (5, 4, 20, "red"),
    (5, 5, 25, "red"),
]  # fmt: skip
BY_COLOR = {"blue": LOW, "yellow": GENERAL, "orange": SIGNIFICANT, "red": MAJOR}


@pytest.mark.parametrize(("l", "s", "score", "color"), LS_MATRIX)
def test_ls_matrix(l, s, score, color):  # noqa: E741
    result = evaluate({"method": "LS", "l": l, "s": s})
    assert result.as_dict() == {"score": score, **BY_COLOR[color]}


def test_issue_examples_and_result_shape():
    assert evaluate({"method": "LEC", "l": 6, "e": 3, "c": 15}).as_dict() == {
        "score": 270, "level": "significant", "color": "orange", "control_tier": "department",
    }  # fmt: skip
    assert evaluate({"method": "LS", "l": 4, "s": 4}).as_dict() == {
        "score": 16, "level": "significant", "color": "orange", "control_tier": "department",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "score"),
    [
        ({"method": "LEC", "l": 6.0, "e": 3, "c": 15}, 270),  # 6.0 is the standard 6
        ({"method": "LEC", "l": Decimal("0.5"), "e": 0.5, "c": 1}, 0.25),
        ({"method": "LS", "l": 5.0, "s": 5}, 25),
    ],
)
def test_numerically_equal_forms_of_standard_values_are_accepted(payload, score):
    assert evaluate(payload).as_dict()["score"] == score


def test_direct_judgement_is_major_with_reason_and_no_score():
    result = evaluate({"method": "DIRECT", "reason": "  涉及重大危险源一级储罐区  "})
    assert result.as_dict() == {"score": None, **MAJOR}
    assert result.reason == "涉及重大危险源一级储罐区"
    assert result.method is AssessmentMethod.DIRECT


def test_evaluation_records_convention_and_canonical_factors():
    result = evaluate({"method": "LEC", "l": 6.0, "e": 3, "c": 15})
    assert result.config_version == default_grading_config().version
    assert dict(result.factors) == {"l": Decimal(6), "e": Decimal(3), "c": Decimal(15)}


# --- invalid payloads: one error class, every bad field at once -------------------------------

LEC_ALLOWED = {
    "l": "10, 6, 3, 1, 0.5, 0.2, 0.1",
    "e": "10, 6, 3, 2, 1, 0.5",
    "c": "100, 40, 15, 7, 3, 1",
}
LS_ALLOWED = {"l": "5, 4, 3, 2, 1", "s": "5, 4, 3, 2, 1"}  # the scale's own order
OK_LEC = {"method": "LEC", "l": 6, "e": 3, "c": 15}
OK_LS = {"method": "LS", "l": 4, "s": 4}

INVALID_FACTOR_CASES = [
    # (payload, field, allowed-list that the message must name)
    *[({**OK_LEC, "l": v}, "l", LEC_ALLOWED["l"]) for v in (5, 0, -6, 0.3, 2, 100, 1e9)],
    *[({**OK_LEC, "e": v}, "e", LEC_ALLOWED["e"]) for v in (4, 0, 0.1, 7, 100)],
    # C = 2 is the Shandong variant (FACTS §2.2), not a standard value here.
    *[({**OK_LEC, "c": v}, "c", LEC_ALLOWED["c"]) for v in (2, 0, 50, 10, 1000, 0.5)],
    *[({**OK_LS, "l": v}, "l", LS_ALLOWED["l"]) for v in (0, 6, -1, 2.5, 10)],
    *[({**OK_LS, "s": v}, "s", LS_ALLOWED["s"]) for v in (0, 6, 3.5, 25)],
    # not numbers at all
    *[({**OK_LEC, "l": v}, "l", LEC_ALLOWED["l"]) for v in ("6", None, [6], {"v": 6})],
    *[({**OK_LS, "s": v}, "s", LS_ALLOWED["s"]) for v in ("4", "", None)],
    # bool is an int in Python; True must not pass as 1
    ({**OK_LEC, "c": True}, "c", LEC_ALLOWED["c"]),
    ({**OK_LS, "l": True}, "l", LS_ALLOWED["l"]),
    ({**OK_LS, "s": False}, "s", LS_ALLOWED["s"]),
    # non-finite floats
    ({**OK_LEC, "e": float("nan")}, "e", LEC_ALLOWED["e"]),
    ({**OK_LEC, "e": float("inf")}, "e", LEC_ALLOWED["e"]),
    ({**OK_LS, "l": Decimal("NaN")}, "l", LS_ALLOWED["l"]),
    # missing
    ({"method": "LEC", "e": 3, "c": 15}, "l", LEC_ALLOWED["l"]),
    ({"method": "LEC", "l": 6, "c": 15}, "e", LEC_ALLOWED["e"]),
    ({"method": "LEC", "l": 6, "e": 3}, "c", LEC_ALLOWED["c"]),
    ({"method": "LS", "s": 4}, "l", LS_ALLOWED["l"]),
    ({"method": "LS", "l": 4}, "s", LS_ALLOWED["s"]),
]


@pytest.mark.parametrize(("payload", "field", "allowed"), INVALID_FACTOR_CASES)
def test_invalid_factor_names_field_and_allowed_values(payload, field, allowed):
    with pytest.raises(AssessmentError) as caught:
        evaluate(payload)
    assert list(caught.value.errors) == [field]
    (message,) = caught.value.errors[field]
    assert allowed in message


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        # all bad fields of one payload are collected, not just the first
        (
            {"method": "LEC", "l": 5, "e": "x", "c": True},
            {"l": "must be one of 10, 6", "e": "must be a finite number", "c": "finite number"},
        ),
        ({"method": "LEC"}, {"l": "required", "e": "required", "c": "required"}),
        ({"method": "LS", "l": 0, "s": 6}, {"l": "5, 4, 3, 2, 1", "s": "5, 4, 3, 2, 1"}),
        # fields that belong to another method are named, not silently ignored
        ({**OK_LS, "e": 3}, {"e": "unknown field for method LS"}),
        ({**OK_LEC, "s": 3}, {"s": "unknown field for method LEC"}),
        ({"method": "LS", "l": 9, "c": 15}, {"l": "5, 4", "s": "required", "c": "unknown"}),
        # method
        ({"l": 6, "e": 3, "c": 15}, {"method": "required; one of LEC, LS, DIRECT"}),
        ({**OK_LEC, "method": None}, {"method": "required; one of LEC, LS, DIRECT"}),
        ({**OK_LEC, "method": "lec"}, {"method": "must be one of LEC, LS, DIRECT"}),
        ({**OK_LEC, "method": "LSR"}, {"method": "must be one of LEC, LS, DIRECT"}),
        ({**OK_LEC, "method": 1}, {"method": "must be one of LEC, LS, DIRECT"}),
        # direct judgement needs a reason and accepts nothing else
        ({"method": "DIRECT"}, {"reason": "required for direct judgement"}),
        ({"method": "DIRECT", "reason": "   "}, {"reason": "required for direct judgement"}),
        ({"method": "DIRECT", "reason": 5}, {"reason": "required for direct judgement"}),
        (
            {"method": "DIRECT", "reason": "x", "level": "general"},
            {"level": "unknown field for method DIRECT"},
        ),
        # not an object
        ([("method", "LEC")], {"_schema": "must be an object"}),
        (None, {"_schema": "must be an object"}),
        ("LEC", {"_schema": "must be an object"}),
    ],
)
def test_invalid_payloads_report_every_field(payload, errors):
    with pytest.raises(AssessmentError) as caught:
        evaluate(payload)
    assert set(caught.value.errors) == set(errors)
    for field, fragment in errors.items():
        assert any(fragment in m for m in caught.value.errors[field]), caught.value.errors
    assert isinstance(caught.value, InvalidInput) and isinstance(caught.value, ValueError)


def test_allowed_values_follow_the_reference_tables():
    assert allowed_values(AssessmentMethod.LEC) == {
        "l": tuple(map(Decimal, LEC_L)),
        "e": tuple(map(Decimal, LEC_E)),
        "c": tuple(map(Decimal, LEC_C)),
    }
    scale = tuple(map(Decimal, "54321"))
    assert allowed_values(AssessmentMethod.LS) == {"l": scale, "s": scale}


# --- grading config: override and validation --------------------------------------------------

DEFAULT_DICT = {
    "version": "default-2026.1",
    "lec": [
        {"lower": None, "upper": 70, "level": "low"},
        {"lower": 70, "upper": 160, "level": "general"},
        {"lower": 160, "upper": 320, "level": "significant"},
        {"lower": 320, "upper": None, "level": "major"},
    ],
    "ls": [
        {"lower": 1, "upper": 9, "level": "low"},
        {"lower": 9, "upper": 15, "level": "general"},
        {"lower": 15, "upper": 20, "level": "significant"},
        {"lower": 20, "upper": None, "level": "major"},
    ],
    "control_tiers": {
        "major": "company", "significant": "department", "general": "workshop", "low": "post",
    },
}  # fmt: skip

# A stricter authority: LEC bands one step lower, LS variant B's 6–12 medium, team tier.
STRICT = {
    "version": "strict-authority-1",
    "lec": [
        {"lower": 160, "upper": None, "level": "major"},  # order in the file does not matter
        {"lower": 70, "upper": 160, "level": "significant"},
        {"lower": 20, "upper": 70, "level": "general"},
        {"lower": 0, "upper": 20, "level": "low"},
    ],
    "ls": [
        {"lower": 1, "upper": 6, "level": "low"},
        {"lower": 6, "upper": 15, "level": "general"},
        {"lower": 15, "upper": 20, "level": "significant"},
        {"lower": 20, "upper": 26, "level": "major"},
    ],
    "control_tiers": {
        "major": "company", "significant": "company", "general": "team", "low": "post",
    },
}  # fmt: skip


def test_default_config_is_the_issue_convention():
    assert default_grading_config().to_dict() == DEFAULT_DICT
    assert GradingConfig.from_dict(DEFAULT_DICT) == default_grading_config()


@pytest.mark.parametrize(
    ("payload", "score", "level", "tier"),
    [
        ({"method": "LEC", "l": 0.2, "e": 6, "c": 15}, 18, "low", "post"),
        ({"method": "LEC", "l": 0.1, "e": 2, "c": 100}, 20, "general", "team"),  # edge at 20
        ({"method": "LEC", "l": 0.2, "e": 1, "c": 100}, 20, "general", "team"),
        ({"method": "LEC", "l": 3, "e": 3, "c": 7}, 63, "general", "team"),
        ({"method": "LEC", "l": 10, "e": 1, "c": 7}, 70, "significant", "company"),
        ({"method": "LEC", "l": 10, "e": 1, "c": 15}, 150, "significant", "company"),
        ({"method": "LEC", "l": 10, "e": 6, "c": 3}, 180, "major", "company"),
        ({"method": "LS", "l": 1, "s": 5}, 5, "low", "post"),
        ({"method": "LS", "l": 2, "s": 3}, 6, "general", "team"),
        ({"method": "LS", "l": 4, "s": 4}, 16, "significant", "company"),
        ({"method": "LS", "l": 5, "s": 5}, 25, "major", "company"),
        ({"method": "DIRECT", "reason": "x"}, None, "major", "company"),
    ],
)
def test_override_changes_levels_and_tiers(payload, score, level, tier):
    config = GradingConfig.from_dict(STRICT)
    result = evaluate(payload, config)
    assert (result.as_dict()["score"], result.level, result.control_tier) == (score, level, tier)
    assert result.color == RiskLevel(level).color  # the level→color pairing is not configurable
    assert result.config_version == "strict-authority-1"


def test_override_round_trips_and_is_immutable_and_hashable():
    config = GradingConfig.from_dict(STRICT)
    assert GradingConfig.from_dict(config.to_dict()) == config
    assert [b.lower for b in config.lec_bands] == [0, 20, 70, 160]  # kept in score order
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.version = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.control_tiers[RiskLevel.LOW] = ControlTier.COMPANY  # type: ignore[index]
    assert len({config, GradingConfig.from_dict(STRICT), default_grading_config()}) == 2


def test_classic_five_band_scheme_with_two_blue_bands_is_valid():
    five = {**DEFAULT_DICT, "version": "five", "lec": [
        {"lower": None, "upper": 20, "level": "low"},
        {"lower": 20, "upper": 70, "level": "low"},
        *DEFAULT_DICT["lec"][1:],
    ]}  # fmt: skip
    config = GradingConfig.from_dict(five)
    assert evaluate({"method": "LEC", "l": 10, "e": 2, "c": 1}, config).level == "low"  # D = 20


def _with(section, value):
    return {**DEFAULT_DICT, section: value}


def _lec(*bands):
    return [{"lower": lo, "upper": hi, "level": lv} for lo, hi, lv in bands]


BAD_CONFIGS = [
    # (config, {error key: fragment})
    (_with("lec", _lec((None, 70, "low"), (80, 160, "general"), (160, 320, "significant"),
                       (320, None, "major"))), {"lec": "gap: scores from 70 up to 80"}),
    (_with("lec", _lec((None, 75, "low"), (70, 160, "general"), (160, 320, "significant"),
                       (320, None, "major"))), {"lec": "overlap"}),
    # the top must include D = 10000 (10 × 10 × 100); upper is exclusive
    (_with("lec", _lec((None, 70, "low"), (70, 160, "general"), (160, 320, "significant"),
                       (320, 10000, "major"))), {"lec": "gap: scores from 10000 to 10000"}),
    # the bottom must include D = 0.05 (0.1 × 0.5 × 1)
    (_with("lec", _lec((0.1, 70, "low"), (70, 160, "general"), (160, 320, "significant"),
                       (320, None, "major"))), {"lec": "gap: scores from 0.05 up to 0.1"}),
    (_with("ls", _lec((2, 9, "low"), (9, 15, "general"), (15, 20, "significant"),
                      (20, None, "major"))), {"ls": "gap: scores from 1 up to 2"}),
    (_with("ls", _lec((1, 9, "low"), (9, 15, "general"), (15, 20, "significant"),
                      (20, 25, "major"))), {"ls": "gap: scores from 25 to 25"}),
    (_with("ls", _lec((1, 9, "low"), (9, 15, "general"), (15, 20, "significant"),
                      (20, None, "major"), (20, None, "major"))), {"ls": "overlap"}),
    (_with("ls", _lec((None, 9, "low"), (None, 15, "general"), (15, None, "major"))),
     {"ls": "overlap"}),
    (_with("ls", _lec((1, 9, "general"), (9, None, "low"))), {"ls": "level falls"}),
    (_with("ls", _lec((1, 9, "low"), (9, 9, "general"), (9, None, "major"))),
     {"ls": "lower must be below upper"}),
    (_with("ls", []), {"ls": "non-empty list"}),
    ({k: v for k, v in DEFAULT_DICT.items() if k != "lec"}, {"lec": "required"}),
    (_with("ls", [{"lower": 1, "upper": None, "level": "red"}]), {"ls[0].level": "major, "}),
    (_with("ls", [{"lower": "1", "upper": None, "level": "low"}]), {"ls[0].lower": "number"}),
    (_with("ls", [{"lower": True, "upper": None, "level": "low"}]), {"ls[0].lower": "number"}),
    (_with("ls", [{"lower": float("nan"), "upper": None, "level": "low"}]),
     {"ls[0].lower": "finite"}),
    (_with("ls", [{"lower": 1, "upper": None, "level": "low", "color": "blue"}]),
     {"ls[0]": "unknown fields color"}),
    (_with("ls", [5]), {"ls[0]": "must be an object"}),
    (_with("control_tiers", {"major": "company", "significant": "department", "general": "post"}),
     {"control_tiers": "missing: low"}),
    (_with("control_tiers", {**DEFAULT_DICT["control_tiers"], "low": "plant"}),
     {"control_tiers.low": "company, department, workshop, team, post"}),
    (_with("control_tiers", {**DEFAULT_DICT["control_tiers"], "critical": "company"}),
     {"control_tiers.critical": "unknown level"}),
    (_with("control_tiers", {**DEFAULT_DICT["control_tiers"], "major": "post"}),
     {"control_tiers": "major risk is controlled at post"}),
    (_with("control_tiers", ["company"]), {"control_tiers": "required"}),
    (_with("version", ""), {"version": "non-empty"}),
    (_with("version", None), {"version": "non-empty"}),
    ({**DEFAULT_DICT, "colors": {}}, {"colors": "unknown field"}),
    ([DEFAULT_DICT], {"_schema": "must be an object"}),
    # several sections wrong at once: all reported
    ({**DEFAULT_DICT, "version": "", "ls": _lec((1, 9, "general"), (9, None, "low")),
      "control_tiers": {**DEFAULT_DICT["control_tiers"], "major": "team"}},
     {"version": "non-empty", "ls": "level falls", "control_tiers": "major risk"}),
]  # fmt: skip


@pytest.mark.parametrize(("data", "errors"), BAD_CONFIGS)
def test_invalid_override_is_rejected_with_every_problem(data, errors):
    with pytest.raises(GradingConfigError) as caught:
        GradingConfig.from_dict(data)
    assert set(caught.value.errors) == set(errors), caught.value.errors
    for key, fragment in errors.items():
        assert any(fragment in m for m in caught.value.errors[key]), caught.value.errors


def test_direct_construction_is_validated_too():
    config = default_grading_config()
    with pytest.raises(GradingConfigError) as caught:
        dataclasses.replace(config, ls_bands=config.ls_bands[1:])
    assert caught.value.errors == {"ls": ["gap: scores from 1 up to 9 are in no band"]}
    with pytest.raises(GradingConfigError):
        dataclasses.replace(config, control_tiers={RiskLevel.MAJOR: ControlTier.COMPANY})


# --- enums and accident types -----------------------------------------------------------------


def test_vocabularies():
    assert [str(t) for t in RiskPointType] == [
        "site", "equipment_facility", "routine_operation", "special_operation", "management",
    ]  # fmt: skip
    assert [str(c) for c in ControlMeasureCategory] == [
        "engineering", "management", "training", "personal_protection", "emergency",
    ]  # fmt: skip
    assert [str(s) for s in ControlStatus] == ["in_control", "warning", "out_of_control"]
    assert [(str(lv), str(lv.color)) for lv in RiskLevel] == [
        ("major", "red"), ("significant", "orange"), ("general", "yellow"), ("low", "blue"),
    ]  # fmt: skip
    assert [c.level for c in Color] == list(RiskLevel)
    assert sorted(RiskLevel, key=lambda lv: lv.rank) == list(RiskLevel)[::-1]


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (RiskLevel.MAJOR, "重大风险"),
        (Color.ORANGE, "橙"),
        (ControlTier.WORKSHOP, "车间级"),
        (RiskPointType.MANAGEMENT, "管理活动"),
        # equal as str to RiskPointType.MANAGEMENT, but a different label
        (ControlMeasureCategory.MANAGEMENT, "管理"),
        (ControlMeasureCategory.PERSONAL_PROTECTION, "个体防护"),
        (ControlStatus.OUT_OF_CONTROL, "失控"),
    ],
)
def test_chinese_labels_both_ways(member, label):
    assert member.label_cn == label
    assert type(member).from_label_cn(f" {label} ") is member


def test_unknown_label_is_none():
    assert ControlStatus.from_label_cn("正常") is None


def test_accident_types_are_the_27_gb6441_2025_basic_types():
    codes = [t.code for t in accident_types()]
    assert len(codes) == 27 and len(set(codes)) == 27
    assert codes[:2] == ["WSA10001", "WSA10002"] and codes[-2:] == ["WSA10026", "WSA10099"]
    assert accident_type_for_name("火灾").code == "WSA10009"
    assert accident_type_for_name("瓦斯爆炸") is None  # 1986 name, no 2025 code


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["WSA10009"], ("WSA10009",)),
        (["WSA10010", "WSA10099", "WSA10010"], ("WSA10010", "WSA10099")),
        ((c for c in ["WSA10001"]), ("WSA10001",)),
        ([], ()),
    ],
)
def test_valid_accident_type_codes(codes, expected):
    assert validate_accident_type_codes(codes) == expected


@pytest.mark.parametrize(
    ("codes", "fragment"),
    [
        (["WSA10027"], "'WSA10027'"),
        (["WSA10000"], "'WSA10000'"),
        (["WSA20001"], "'WSA20001'"),  # injury severity, not an accident type
        (["wsa10009"], "'wsa10009'"),
        ([" WSA10009"], "' WSA10009'"),
        ([10009], "10009"),
        ([None], "None"),
        (["WSA10001", "火灾", "X"], "'火灾', 'X'"),  # every bad one, at once
        ("WSA10009", "must be a list"),
        (None, "must be a list"),
    ],
)
def test_invalid_accident_type_codes(codes, fragment):
    with pytest.raises(AccidentTypeError) as caught:
        validate_accident_type_codes(codes)
    (message,) = caught.value.errors["accident_types"]
    assert fragment in message


# --- enterprise four-color grade --------------------------------------------------------------

R = "red"
O = "orange"  # noqa: E741
Y = "yellow"
B = "blue"
HIGHEST = "highest_residual_risk"
NONE = "no_published_risk_points"
HAZARD = "major_hazard_source"
OPEN = "open_major_hidden_danger"
OVERDUE = "overdue_major_hidden_danger"

GRADE_CASES = [
    # (residual levels, hazard levels, open, overdue, color, [(rule, color)] most severe first)
    ([], [], None, None, B, [(NONE, B)]),
    (["low"], [], None, None, B, [(HIGHEST, B)]),
    (["low", "general", "low"], [], None, None, Y, [(HIGHEST, Y)]),
    (["significant", "low", "general"], [], None, None, O, [(HIGHEST, O)]),
    (["low", "major", "significant"], [], None, None, R, [(HIGHEST, R)]),
    ([RiskLevel.GENERAL], [], None, None, Y, [(HIGHEST, Y)]),
    # major hazard sources raise: 1 → red, 2 → orange, 3 and 4 → at least yellow
    (["low"], [1], None, None, R, [(HAZARD, R), (HIGHEST, B)]),
    (["low"], [2], None, None, O, [(HAZARD, O), (HIGHEST, B)]),
    (["low"], [3], None, None, Y, [(HAZARD, Y), (HIGHEST, B)]),
    (["low"], [4], None, None, Y, [(HAZARD, Y), (HIGHEST, B)]),
    (["low"], [4, 2, 3, 4], None, None, O, [(HAZARD, O), (HIGHEST, B)]),
    # ... but never lower the color
    (["major"], [4], None, None, R, [(HIGHEST, R), (HAZARD, Y)]),
    (["significant"], [3], None, None, O, [(HIGHEST, O), (HAZARD, Y)]),
    (["general"], [3], None, None, Y, [(HIGHEST, Y), (HAZARD, Y)]),  # tie: rule order
    ([], [3], None, None, Y, [(HAZARD, Y), (NONE, B)]),
    # major hidden dangers: open → at least orange, overdue → red
    (["low"], [], 0, 0, B, [(HIGHEST, B)]),
    (["low"], [], 1, 0, O, [(OPEN, O), (HIGHEST, B)]),
    (["general"], [], 4, 0, O, [(OPEN, O), (HIGHEST, Y)]),
    (["low"], [], 1, 1, R, [(OVERDUE, R), (OPEN, O), (HIGHEST, B)]),
    (["major"], [], 2, 0, R, [(HIGHEST, R), (OPEN, O)]),
    (["low"], [2], 3, 1, R, [(OVERDUE, R), (HAZARD, O), (OPEN, O), (HIGHEST, B)]),
    ([], [], 1, 0, O, [(OPEN, O), (NONE, B)]),
]


@pytest.mark.parametrize(("levels", "hazards", "open_", "overdue", "color", "reasons"), GRADE_CASES)
def test_enterprise_color(levels, hazards, open_, overdue, color, reasons):
    grade = grade_enterprise(levels, hazards, open_, overdue)
    assert grade.color == color
    assert [(str(r.rule), str(r.color)) for r in grade.reasons] == reasons
    assert grade.rule_version == default_color_rules().version == "2026.1"
    assert grade.as_dict()["color"] == color


def test_reasons_carry_the_facts_behind_them():
    grade = grade_enterprise(["low", "major", "major"], [3, 1, 1], 2, 1)
    by_rule = {r.rule: r.as_dict() for r in grade.reasons}
    assert by_rule[ColorRule.HIGHEST_RESIDUAL_RISK]["facts"] == {
        "level": "major", "count": 2, "published_points": 3,
    }  # fmt: skip
    assert by_rule[ColorRule.MAJOR_HAZARD_SOURCE]["facts"] == {"level": 1, "count": 2, "sources": 3}
    assert by_rule[ColorRule.OPEN_MAJOR_HIDDEN_DANGER]["facts"] == {"count": 2}
    assert by_rule[ColorRule.OVERDUE_MAJOR_HIDDEN_DANGER]["facts"] == {"count": 1}
    assert set(grade.as_dict()) == {"color", "reasons", "rule_version", "inputs_digest"}


def test_inputs_digest_ignores_order_and_follows_every_input_and_the_rule_version():
    base = grade_enterprise(["low", "major", "general"], [3, 2], 1, 0).inputs_digest
    assert grade_enterprise(["general", "low", "major"], [2, 3], 1, 0).inputs_digest == base
    others = [
        grade_enterprise(["low", "major", "general", "low"], [3, 2], 1, 0),
        grade_enterprise(["low", "major", "general"], [3], 1, 0),
        grade_enterprise(["low", "major", "general"], [3, 2], 2, 0),
        grade_enterprise(["low", "major", "general"], [3, 2], 1, 1),
        grade_enterprise(["low", "major", "general"], [3, 2]),  # domain absent ≠ zero dangers
        grade_enterprise(["low", "major", "general"], [3, 2], 1, 0, _rules(version="2026.2")),
    ]
    digests = {g.inputs_digest for g in others}
    assert base not in digests and len(digests) == len(others)


def _rules(**changes):
    data = {**default_color_rules().to_dict(), **changes}
    return EnterpriseColorRules.from_dict(data)


@pytest.mark.parametrize(
    ("rules", "args", "color"),
    [
        # an authority that needs two open major dangers before raising
        (_rules(open_major_hidden_danger={"min_count": 2, "floor": "orange"}),
         (["low"], [], 1, 0), B),
        (_rules(open_major_hidden_danger={"min_count": 2, "floor": "orange"}),
         (["low"], [], 2, 0), O),
        # an authority that does not raise for level 3 and 4 sources
        (_rules(hazard_source_floors={"1": "red", "2": "orange", "3": "blue", "4": "blue"}),
         (["low"], [3, 4], None, None), B),
        (_rules(baseline_color="yellow"), ([], [], None, None), Y),
    ],
)  # fmt: skip
def test_color_thresholds_are_data(rules, args, color):
    assert grade_enterprise(*args, rules=rules).color == color


@pytest.mark.parametrize(
    ("args", "errors"),
    [
        ((["red"], [], None, None), {"residual_levels": "'red'"}),  # a color, not a level
        ((["MAJOR", None], [], None, None), {"residual_levels": "'MAJOR', None"}),
        (("major", [], None, None), {"residual_levels": "must be a list"}),
        ((["low"], [0, 5], None, None), {"hazard_source_levels": "0, 5"}),
        ((["low"], [True], None, None), {"hazard_source_levels": "True"}),
        ((["low"], ["1"], None, None), {"hazard_source_levels": "'1'"}),
        ((["low"], 1, None, None), {"hazard_source_levels": "must be a list"}),
        ((["low"], [], None, 1), {"major_hidden_dangers": "both"}),
        ((["low"], [], 1, None), {"major_hidden_dangers": "both"}),
        ((["low"], [], -1, 0), {"open_major_hidden_dangers": "non-negative"}),
        ((["low"], [], 1.5, 0), {"open_major_hidden_dangers": "non-negative"}),
        ((["low"], [], True, 0), {"open_major_hidden_dangers": "non-negative"}),
        ((["low"], [], 1, 2), {"overdue_major_hidden_dangers": "cannot exceed"}),
        ((["x"], [9], 0, -1), {"residual_levels": "'x'", "hazard_source_levels": "9",
                              "overdue_major_hidden_dangers": "non-negative"}),
    ],
)  # fmt: skip
def test_invalid_grade_inputs(args, errors):
    with pytest.raises(EnterpriseColorInputError) as caught:
        grade_enterprise(*args)
    assert set(caught.value.errors) == set(errors), caught.value.errors
    for key, fragment in errors.items():
        assert any(fragment in m for m in caught.value.errors[key]), caught.value.errors


RULES = default_color_rules().to_dict()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({**RULES, "hazard_source_floors": {"1": "orange", "2": "red", "3": "yellow", "4": "blue"}},
         {"hazard_source_floors": "level 1 (more severe) floors at orange"}),
        ({**RULES, "hazard_source_floors": {"1": "red", "2": "orange", "3": "yellow"}},
         {"hazard_source_floors": "keys"}),
        ({**RULES, "hazard_source_floors": {"1": "red", "2": "orange", "3": "amber", "4": "blue"}},
         {"hazard_source_floors.3": "red, orange, yellow, blue"}),
        ({**RULES, "open_major_hidden_danger": {"min_count": 0, "floor": "orange"}},
         {"open_major_hidden_danger.min_count": "≥ 1"}),
        ({**RULES, "overdue_major_hidden_danger": {"min_count": 1}},
         {"overdue_major_hidden_danger": "min_count and floor"}),
        ({**RULES, "baseline_color": "grey"}, {"baseline_color": "red, orange, yellow, blue"}),
        ({**RULES, "version": ""}, {"version": "non-empty"}),
        ({**RULES, "extra": 1}, {"extra": "unknown field"}),
        ("rules", {"_schema": "must be an object"}),
    ],
)  # fmt: skip
def test_invalid_color_rules(data, errors):
    with pytest.raises(EnterpriseColorInputError) as caught:
        EnterpriseColorRules.from_dict(data)
    assert set(caught.value.errors) == set(errors), caught.value.errors
    for key, fragment in errors.items():
        assert any(fragment in m for m in caught.value.errors[key]), caught.value.errors


def test_default_color_rules_match_the_issue():
    assert RULES == {
        "version": "2026.1",
        "baseline_color": "blue",
        "hazard_source_floors": {"1": "red", "2": "orange", "3": "yellow", "4": "yellow"},
        "open_major_hidden_danger": {"min_count": 1, "floor": "orange"},
        "overdue_major_hidden_danger": {"min_count": 1, "floor": "red"},
    }
