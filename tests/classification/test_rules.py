"""Pure rules of classification: tables of cases, no fixtures.

Expected points were worked out by hand from the default model (data/model_2026.1.json), starting
from `facts()`, an enterprise that loses no point, and changing only what each case names.
"""

import copy
import datetime as dt
import json
from decimal import Decimal
from importlib import resources

import pytest

from app.classification.rules import (
    DIMENSIONS,
    Accident,
    Facts,
    FactsError,
    Level,
    ModelError,
    Penalty,
    default_model,
    load_model,
    model_to_dict,
    score,
)
from app.classification.rules.scoring import MEASURES

AS_OF = dt.date(2026, 6, 30)
DAY = dt.timedelta(days=1)
LATER = dt.date(2027, 6, 30)
YEAR = dt.timedelta(days=365)


def facts(**changes) -> Facts:
    """Grade 1, every document valid, reporting and closing on time, no accident or penalty."""
    base = dict(
        as_of=AS_OF,
        principal_certificate_expires=LATER,
        safety_manager_certificates_expire=(LATER,),
        safety_managers_required=1,
        special_operators_required=2,
        special_operator_certificates_expire=(LATER, LATER),
        insurance_expires=LATER,
        standardization_grade=1,
        dangers_found=6,
        dangers_self_reported=5,
        dangers_due=4,
        dangers_closed_on_time=4,
        open_major_dangers=0,
        overdue_dangers=0,
        overdue_major_dangers=0,
        accidents=(),
        orders_due=2,
        orders_on_time=2,
        penalties=(),
        blacklisted=False,
    )
    return Facts(**{**base, **changes})


def fine(days_before=0, amount="30000"):
    return Penalty(
        AS_OF - dt.timedelta(days=days_before), Decimal(amount), "安全生产法第一百零二条"
    )


def default_dict():
    return copy.deepcopy(model_to_dict(default_model()))


def test_a_model_enterprise_scores_100_good_with_nothing_to_explain():
    result = score(facts())
    assert (result.total, result.level, result.deductions, result.vetoes) == (100, "good", (), ())
    assert list(result.dimensions.items()) == list(
        zip(DIMENSIONS, [20, 20, 25, 20, 15], strict=True)
    )


def test_every_model_item_has_a_measure():
    assert set(MEASURES) == {(d, i) for d, items in DIMENSIONS.items() for i in items}


# --- every item of every dimension: (changes, item, points, reason fragment) -----------------

# Short names for the long Facts fields the tables change most.
PRINCIPAL, MANAGERS, OPERATORS = (
    "principal_certificate_expires",
    "safety_manager_certificates_expire",
    "special_operator_certificates_expire",
)
YESTERDAY = AS_OF - DAY
ONE_TOO_FEW = {"special_operators_required": 50, OPERATORS: (LATER,) * 49}  # 5 × 1/50 = 0.1

DEDUCTIONS = [
    ({PRINCIPAL: None}, "principal_certificate", "5", "合格证缺失"),
    ({PRINCIPAL: YESTERDAY}, "principal_certificate", "5", "合格证已于 2026-06-29 过期"),
    ({MANAGERS: ()}, "safety_managers", "5", "实配 0 名"),  # an empty post costs 5
    ({MANAGERS: (None,)}, "safety_managers", "2.5", "1 名无证书"),  # a lapsed one 2.5
    ({MANAGERS: (YESTERDAY,)}, "safety_managers", "2.5", "1 名证书已过期"),
    ({"safety_managers_required": 2}, "safety_managers", "5", "应配持证安全管理人员 2 名"),
    ({"safety_managers_required": 3, MANAGERS: (LATER,) * 3}, "safety_managers", "0", ""),
    ({"safety_managers_required": 0, MANAGERS: ()}, "safety_managers", "0", ""),
    ({MANAGERS: (LATER, None)}, "safety_managers", "0", ""),  # one more than required
    ({OPERATORS: (LATER, YESTERDAY)}, "special_operators", "2.5", "1 名特种作业人员证书已过期"),
    ({"special_operators_required": 3}, "special_operators", "1.67", "1 个特种作业岗位无人持证"),
    ({"special_operators_required": 3, OPERATORS: ()}, "special_operators", "5", "持有效证书 0 人"),
    (ONE_TOO_FEW, "special_operators", "0.1", "需持证 50 人，持有效证书 49 人"),
    ({"special_operators_required": 0, OPERATORS: ()}, "special_operators", "0", ""),
    ({OPERATORS: (LATER, LATER, YESTERDAY)}, "special_operators", "0", ""),  # a spare lapsed
    ({"insurance_expires": None}, "insurance", "5", "未投保安全生产责任保险"),
    ({"insurance_expires": YESTERDAY}, "insurance", "5", "责任保险已于 2026-06-29 过期"),
    ({"standardization_grade": 2}, "grade", "4", "安全生产标准化二级"),
    ({"standardization_grade": 3}, "grade", "8", "安全生产标准化三级"),
    ({"standardization_grade": None}, "grade", "16", "未取得安全生产标准化等级"),
    ({"dangers_closed_on_time": 3}, "closure_rate", "2.5", "按期整改 3 条（按期整改率 75%）"),
    ({"dangers_due": 3, "dangers_closed_on_time": 1}, "closure_rate", "6.67", "33.3%"),
    ({"dangers_closed_on_time": 0}, "closure_rate", "10", "按期整改率 0%"),
    ({"dangers_due": 0, "dangers_closed_on_time": 0}, "closure_rate", "0", ""),  # it reports
    ({"open_major_dangers": 1}, "open_major", "5", "重大事故隐患 1 条"),
    ({"open_major_dangers": 2}, "open_major", "5", "重大事故隐患 2 条"),  # spent at 5
    ({"overdue_dangers": 3}, "overdue", "3", "3 条隐患逾期未整改"),
    ({"overdue_dangers": 7}, "overdue", "5", "7 条隐患逾期未整改"),
    ({"dangers_self_reported": 0}, "self_inspection", "5", "未自查自报任何隐患"),
    ({"dangers_self_reported": 1}, "self_inspection", "3", "仅 1 条"),
    ({"dangers_self_reported": 3}, "self_inspection", "3", "仅 3 条"),
    ({"dangers_self_reported": 4}, "self_inspection", "0", ""),
    ({"accidents": [Accident(AS_OF)]}, "casualties", "2", "事故 1 起（死亡 0 人"),  # no one hurt
    ({"accidents": [Accident(AS_OF, minor_injuries=1)]}, "casualties", "6", "轻伤 1 人"),
    ({"accidents": [Accident(AS_OF, serious_injuries=1)]}, "casualties", "12", "重伤 1 人"),
    ({"accidents": [Accident(AS_OF, 0, 1), Accident(YESTERDAY, 0, 1)]}, "casualties", "20", "2 起"),
    ({"orders_on_time": 1}, "orders_on_time", "5", "到期整改指令 2 份，按期完成 1 份"),
    ({"orders_due": 0, "orders_on_time": 0}, "orders_on_time", "0", ""),  # none due: full
    ({"penalties": [fine()]}, "penalties", "2.5", "1 次，罚款合计 30000 元"),
    ({"penalties": [fine(), fine(1), fine(2, "0.50")]}, "penalties", "5", "合计 60000.50 元"),
]


DIMENSION_OF = {item: dimension for dimension, item in MEASURES}


@pytest.mark.parametrize(("changes", "item", "points", "reason"), DEDUCTIONS)
def test_each_item_deducts_with_its_reason(changes, item, points, reason):
    result = score(facts(**changes))
    dimension = DIMENSION_OF[item]
    found = [d for d in result.deductions if d.item == item]
    assert sum(d.points for d in found) == Decimal(points)  # "0": no deduction line at all
    assert [(d.dimension, reason in d.reason) for d in found] == [(dimension, True)] * len(found)
    mine = sum(d.points for d in result.deductions if d.dimension == dimension)
    assert result.dimensions[dimension] == default_model().dimensions[dimension].maximum - mine


# --- expiry: valid through its date, missing from the day after --------------------------------

EXPIRY = [
    ("principal_certificate", lambda day: {PRINCIPAL: day}),
    ("insurance", lambda day: {"insurance_expires": day}),
    ("safety_managers", lambda day: {MANAGERS: (day,)}),
    ("special_operators", lambda day: {OPERATORS: (day, LATER)}),
]


@pytest.mark.parametrize(("item", "expiring"), EXPIRY)
@pytest.mark.parametrize(("expires", "missing"), [(AS_OF + DAY, 0), (AS_OF, 0), (YESTERDAY, 1)])
def test_expiry_counts_as_missing_from_the_day_after(item, expiring, expires, missing):
    result = score(facts(**expiring(expires)))
    assert sum(d.item == item for d in result.deductions) == missing


# --- the window (as_of − 365, as_of] -----------------------------------------------------------

WINDOW = [(-1, False), (0, True), (364, True), (365, False)]  # days before as_of, counted?


@pytest.mark.parametrize(("days_before", "counted"), WINDOW)
def test_accidents_and_penalties_count_only_inside_the_window(days_before, counted):
    day = AS_OF - dt.timedelta(days=days_before)
    result = score(facts(accidents=[Accident(day, deaths=1)], penalties=[fine(days_before)]))
    lost = {d.item for d in result.deductions}
    assert lost == ({"casualties", "penalties"} if counted else set())
    assert bool(result.vetoes) is counted  # the fatal-accident veto sees the same window


# --- levels and their boundaries ---------------------------------------------------------------

LEVELS = [("100", "good"), ("85", "good"), ("84.9", "normal"), ("70", "normal")]
LEVELS += [("69.9", "reminder"), ("60", "reminder"), ("59.9", "warning"), ("0", "warning")]


@pytest.mark.parametrize(("total", "level"), LEVELS)
def test_level_thresholds_are_inclusive(total, level):
    assert default_model().level_for(Decimal(total)) == Level(level)


AT_85 = {"standardization_grade": 3, "insurance_expires": None, "overdue_dangers": 2}  # -8 -5 -2
POOR = {"standardization_grade": None, "insurance_expires": None}  # -16 -5
AT_70 = {**POOR, PRINCIPAL: None, "overdue_dangers": 4}  # -21 -5 -4
AT_60 = {**AT_70, "overdue_dangers": 5, "orders_due": 5, "orders_on_time": 3}  # -1 -4 more
AT_60["penalties"] = TWO_FINES = [fine(), fine(1)]  # -5 more
HALF_TENTH = {"special_operators_required": 100, OPERATORS: (LATER,) * 99}  # 5 × 1/100 = 0.05

SILENT = {"dangers_due": 0, "dangers_closed_on_time": 0, "dangers_self_reported": 0}
TOTALS = [
    (SILENT, "85.0", "good"),  # nothing due, nothing reported: -10 (closure) -5 (activity)
    (AT_85, "85.0", "good"),
    ({**AT_85, **ONE_TOO_FEW}, "84.9", "normal"),
    ({**AT_85, **HALF_TENTH}, "85.0", "good"),  # 84.95 rounds half-up, and the level follows it
    (AT_70, "70.0", "normal"),
    ({**AT_70, **ONE_TOO_FEW}, "69.9", "reminder"),
    (AT_60, "60.0", "reminder"),
    ({**AT_60, **ONE_TOO_FEW}, "59.9", "warning"),
]


@pytest.mark.parametrize(("changes", "total", "level"), TOTALS)
def test_totals_at_each_boundary(changes, total, level):
    result = score(facts(**changes))
    assert (str(result.total), result.computed_level, result.level) == (total, level, level)


# --- vetoes ----------------------------------------------------------------------------------

OVERDUE_MAJOR = {"open_major_dangers": 1, "overdue_dangers": 1, "overdue_major_dangers": 1}
FATAL = [Accident(AS_OF, deaths=1)]  # accidents: 2 + 20 → the whole 20, total 80
SERIOUS_3 = [Accident(AS_OF, 0, 2), Accident(YESTERDAY, 0, 1)]  # 4 + 30 → 20, total 80
SETS_WARNING, CAP = "直接评为警示级", "最高评为提醒级"
OM, POOR_OM = "overdue_major_danger", {**OVERDUE_MAJOR, **POOR}
VETOES = [  # (changes, computed level, level, {kind fired: fragment of its reason})
    ({"accidents": FATAL}, "normal", "warning", {"fatal_accident": "死亡事故 1 起、死亡 1 人"}),
    ({"accidents": SERIOUS_3}, "normal", "warning", {"serious_injuries": "重伤 3 人（达到 3 人）"}),
    ({"accidents": SERIOUS_3[:1]}, "normal", "normal", {}),  # 2 serious: below the threshold
    ({"accidents": [Accident(AS_OF - YEAR, deaths=2)]}, "good", "good", {}),  # outside
    ({"blacklisted": True}, "good", "warning", {"blacklisted": "黑名单），" + SETS_WARNING}),
    (OVERDUE_MAJOR, "good", "reminder", {OM: "1 条重大事故隐患逾期未整改，" + CAP}),
    # 100 - 21 - 5 (open major) - 1 (overdue) = 73: normal, capped to reminder
    (POOR_OM, "normal", "reminder", {OM: CAP}),
    # 73 - 5 (one order late) = 68: already reminder, the cap changes nothing
    ({**POOR_OM, "orders_on_time": 1}, "reminder", "reminder", {OM: CAP}),
    # 73 - 10 (both orders late) - 5 (two penalties) = 58: a cap never improves a warning
    ({**POOR_OM, "orders_on_time": 0, "penalties": TWO_FINES}, "warning", "warning", {OM: CAP}),
    ({**OVERDUE_MAJOR, "blacklisted": True}, "good", "warning", {"blacklisted": "", OM: CAP}),
]


@pytest.mark.parametrize(("changes", "computed", "level", "fired"), VETOES)
def test_vetoes_only_worsen_and_explain_themselves(changes, computed, level, fired):
    result = score(facts(**changes))
    assert (result.computed_level, result.level) == (computed, level)
    assert [h.kind for h in result.veto_hits] == list(fired)
    stored = json.dumps(result.explanation(), ensure_ascii=False)
    for fragment, reason in zip(fired.values(), result.vetoes, strict=True):
        assert fragment in reason and reason in stored


# --- the model validator: ({dotted path: new value}, field named in the error, if not the path) --

DELETE = object()
HD, SD = "dimensions.hidden_dangers.", "dimensions.standardization.grade.points_by_grade."
TIERS = HD + "self_inspection.tiers"
INVALID_MODELS = [
    ({"dimensions.accidents.max": 25, "dimensions.accidents.casualties.max": 25}, "dimensions"),
    ({"dimensions.safety_conditions.max": 21}, None),  # its items still sum to 20
    ({"thresholds.normal": 85}, "thresholds"),  # equal is not descending
    ({"thresholds.reminder": 75}, "thresholds"),
    ({"thresholds.good": 101}, None),
    ({"thresholds.reminder": -1}, None),
    ({"thresholds.warning": 40}, "thresholds"),  # warning is what falls below reminder
    ({HD + "overdue.per_entry": -1}, None),
    ({"dimensions.enforcement.penalties.per_penalty": -2.5}, None),
    ({"dimensions.accidents.casualties.per_death": True}, None),
    ({"dimensions.safety_conditions.principal_certificate.max": "5"}, None),
    ({HD + "overdue": DELETE}, None),
    ({HD + "fire_drills": {"max": 0}}, None),
    ({HD + "closure_rate.silent_points": 11}, None),
    ({TIERS: [{"min_reported": 1, "points": 5}]}, None),  # a count of 0 would have no points
    ({TIERS: [{"min_reported": 0, "points": 5}, {"min_reported": 3, "points": 2}]}, None),
    ({SD + "1": 21}, None),
    ({SD + "3": 18}, SD[:-1]),  # grade 3 may not score more than grade 2
    ({"vetoes.4": {"kind": "bankruptcy", "level": "warning"}}, "vetoes[4].kind"),
    ({"vetoes.4": {"kind": "blacklisted", "level": "warning"}}, "vetoes[4].kind"),  # twice
    ({"vetoes.0.level": "terrible"}, "vetoes[0].level"),
    ({"vetoes.3.level": "warning"}, "vetoes[3]"),  # both level and cap
    ({"vetoes.1.threshold": 0}, "vetoes[1].threshold"),
    ({"vetoes.2.threshold": 1}, "vetoes[2].threshold"),  # only serious_injuries takes one
    ({"version": DELETE}, None),
    ({"weights": {}}, None),
]


def _change(data, path, value):
    *parents, last = path.split(".")
    for key in parents:
        data = data[int(key)] if isinstance(data, list) else data[key]
    if isinstance(data, list):
        data[int(last) : int(last) + 1] = [value]  # index == len(data) appends
    elif value is DELETE:
        del data[last]
    else:
        data[last] = value


@pytest.mark.parametrize(("changes", "field"), INVALID_MODELS)
def test_invalid_models_are_refused_naming_the_field(changes, field):
    data = default_dict()
    for path, value in changes.items():
        _change(data, path, value)
    field = field or next(iter(changes))
    with pytest.raises(ModelError) as raised:
        load_model(data)
    assert field in raised.value.errors and field in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ModelError, match="_schema"):
        load_model([])
    data = default_dict()
    data["thresholds"]["good"] = 101
    data["vetoes"][0]["kind"] = "bankruptcy"
    with pytest.raises(ModelError) as raised:
        load_model(data)
    assert {"thresholds.good", "vetoes[0].kind"} <= set(raised.value.errors)


# --- round trip and versions -------------------------------------------------------------------


def test_default_model_round_trips_to_its_shipped_file():
    shipped = resources.files("app.classification").joinpath("data", "model_2026.1.json")
    assert model_to_dict(default_model()) == json.loads(shipped.read_text(encoding="utf-8"))
    assert load_model(model_to_dict(default_model())) == default_model()
    assert default_model() is default_model()


def test_an_authority_model_round_trips_and_is_recorded_in_each_result():
    data = default_dict()
    data["version"] = "authority-42/2026.2"
    data["thresholds"] = {"good": 90, "normal": 75.5, "reminder": 50}
    data["dimensions"]["hidden_dangers"]["overdue"]["per_entry"] = 1.5
    data["vetoes"] = [v for v in data["vetoes"] if v["kind"] != "blacklisted"]
    model = load_model(data)
    assert load_model(model_to_dict(model)) == model
    result = score(facts(overdue_dangers=2, blacklisted=True), model)
    assert (result.total, result.level, result.vetoes) == (Decimal("97.0"), Level.GOOD, ())
    assert result.model_version == result.explanation()["model_version"] == "authority-42/2026.2"
    assert score(facts()).model_version == "2026.1"


def test_explanation_is_json_and_adds_up():
    changes = {**AT_60, **OVERDUE_MAJOR, "accidents": [Accident(AS_OF, 0, 0, 1, Decimal("1.5"))]}
    result = score(facts(**changes))
    explained = result.explanation()
    assert json.loads(json.dumps(explained, ensure_ascii=False)) == explained
    for code, dim in explained["dimensions"].items():
        lost = [
            Decimal(str(d["points"])) for d in explained["deductions"] if d["dimension"] == code
        ]
        assert Decimal(str(dim["score"])) == dim["max"] - sum(lost)
    # 100 - 21 - 5 (principal) - 1 (overdue) - 5 (open major) - 4 (orders) - 5 (penalties)
    # - 6 (an accident with a minor injury) = 53
    assert Decimal(str(explained["total"])) == result.total == Decimal("53.0")
    assert explained["window"] == {"from": "2025-07-01", "to": "2026-06-30"}
    assert (explained["level"], explained["level_cn"]) == ("warning", "警示")


# --- levels and facts --------------------------------------------------------------------------


def test_levels_have_labels_and_an_order():
    assert [lv.label_cn for lv in Level] == ["良好", "正常", "提醒", "警示"]
    assert [lv.rank for lv in Level] == [0, 1, 2, 3]  # GOOD is best
    assert Level.worst(Level.NORMAL, Level.WARNING, Level.GOOD) is Level.WARNING


INVALID_FACTS = [
    ({"dangers_due": -1, "dangers_closed_on_time": 0}, "dangers_due"),
    ({"dangers_closed_on_time": 5}, "dangers_closed_on_time"),
    ({"dangers_self_reported": 7}, "dangers_self_reported"),
    ({"overdue_major_dangers": 1, "open_major_dangers": 1}, "overdue_major_dangers"),  # not overdue
    ({"overdue_major_dangers": 1, "overdue_dangers": 1}, "overdue_major_dangers"),  # not open
    ({"orders_on_time": 3}, "orders_on_time"),
    ({"standardization_grade": 4}, "standardization_grade"),
    ({"standardization_grade": True}, "standardization_grade"),
    ({"accidents": [Accident(AS_OF, deaths=-1)]}, "accidents[0].deaths"),
    ({"penalties": [fine(0, "-1")]}, "penalties[0].amount"),
]


@pytest.mark.parametrize(("changes", "field"), INVALID_FACTS)
def test_contradictory_facts_are_refused(changes, field):
    with pytest.raises(FactsError) as raised:
        facts(**changes)
    assert field in raised.value.errors


def test_facts_take_any_sequence_and_keep_a_tuple():
    assert facts(accidents=[], penalties=iter([fine()])).penalties == (fine(),)
