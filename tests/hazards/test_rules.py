"""GB 18218-2018 engine: table-driven cases, expected values worked out by hand from the standard.

Numbers in the tables below are typed from FACTS.md §1 (Tables 1–6), not read from the engine's
data files, so a wrong data file or a wrong formula makes a case fail.
"""

import math
from decimal import Decimal

import pytest

from app.hazards.rules import (
    DATA_VERSION,
    Assessment,
    AssessmentError,
    assess,
    load_reference,
)


def one(substance: dict, population: int = 0, unit_kind: str = "storage") -> Assessment:
    return assess(unit_kind, population, [substance])


def codes(exc_info) -> list[tuple]:
    return [(e["index"], e["field"], e["code"]) for e in exc_info.value.errors]


# --- the acceptance example ----------------------------------------------------------------


def test_chlorine_storage_250_t_with_120_people_is_level_1():
    # By hand: chlorine is Table 1 row 12, Q = 5 t, so q/Q = 250 / 5 = 50 ≥ 1: major.
    # Chlorine is a Table 3 gas, β = 4, so Σ β·q/Q = 4 × 50 = 200.
    # 120 people is in the "100人以上" band of Table 5, α = 2.0, so R = 2.0 × 200 = 400.
    # Table 6: R = 400 ≥ 100, level 一级 (1).
    result = assess("storage", 120, [{"cas": "7782-50-5", "quantity_t": 250}])

    assert result.to_dict() == {
        "sum_ratio": 50.0,
        "is_major": True,
        "alpha": 2.0,
        "r_value": 400.0,
        "level": 1,
        "terms": [
            {
                "index": 0,
                "cas": "7782-50-5",
                "name": "氯",
                "table1_seq": 12,
                "categories": [],
                "quantity_t": 250.0,
                "critical_quantity_t": 5.0,
                "q_source": "table1",
                "q_category": None,
                "ratio": 50.0,
                "beta": 4.0,
                "beta_source": "table3",
                "beta_category": None,
                "beta_category_origin": None,
                "beta_ratio": 200.0,
            }
        ],
        "data_version": "GB18218-2018",
    }
    assert result.alpha_band == "100人以上"
    assert DATA_VERSION == "GB18218-2018"


def test_design_document_vector_chlorine_and_ammonia_with_nobody_nearby():
    # FACTS.md §1.6 vector: chlorine 5/5 × β 4 + ammonia 5/10 × β 2 = 5; α(0 people) = 0.5.
    result = assess(
        "production", 0, [{"name": "氯", "quantity_t": 5}, {"name": "氨", "quantity_t": 5}]
    )
    assert (result.sum_ratio, result.r_value, result.level) == (Decimal("1.5"), Decimal("2.5"), 4)


# --- level bands (Table 6) and their boundaries ---------------------------------------------

# Chlorine (Q 5, β 4) with 10 people (α 1.0): R = 1.0 × 4 × q / 5 = 0.8 q.
# Phosgene (Q 0.3, β 20) with 100 people (α 2.0): R = 2 × 20 × q / 0.3 = 133.33… × q.
LEVEL_CASES = [
    # name, people, q, sum_ratio, R, level
    ("氯", 10, 125, "25", "100", 1),  # R exactly 100: level 1
    ("氯", 10, Decimal("124.9"), "24.98", "99.92", 2),
    ("氯", 10, Decimal("62.5"), "12.5", "50", 2),  # R exactly 50: level 2
    ("氯", 10, Decimal("62.4"), "12.48", "49.92", 3),
    ("氯", 10, Decimal("12.5"), "2.5", "10", 3),  # R exactly 10: level 3
    ("氯", 10, Decimal("12.4"), "2.48", "9.92", 4),
    ("氯", 10, 5, "1", "4", 4),  # q = Q: Σ q/Q = 1 is major (boundary included)
    ("氯", 10, Decimal("4.99"), "0.998", "3.992", None),  # not major: no level, R still shown
    ("氯", 10, 0, "0", "0", None),
    ("碳酰氯", 100, 0.75, "2.5", "100", 1),  # 0.75 / 0.3 is 2.5 exactly, not 2.4999…
    ("碳酰氯", 100, 0.375, "1.25", "50", 2),
    ("碳酰氯", 100, 0.075, "0.25", "10", None),  # R = 10 but Σ q/Q < 1: not major
    # Just under 100: the reported R rounds to 100.0000, the level is decided on the exact R.
    ("氯", 10, Decimal("124.99999"), "24.999998", "100.0000", 2),
]


@pytest.mark.parametrize(("name", "people", "q", "sum_ratio", "r_value", "level"), LEVEL_CASES)
def test_level_bands(name, people, q, sum_ratio, r_value, level):
    result = one({"name": name, "quantity_t": q}, people)
    assert result.sum_ratio == Decimal(sum_ratio).quantize(Decimal("0.0001"))
    assert result.r_value == Decimal(r_value)
    assert result.is_major is (level is not None)
    assert result.level == level


# --- α bands (Table 5) and their boundaries -------------------------------------------------

ALPHA_CASES = [
    # people, α, band
    (0, "0.5", "0人"),
    (1, "1.0", "1~29人"),
    (29, "1.0", "1~29人"),
    (30, "1.2", "30~49人"),
    (49, "1.2", "30~49人"),
    (50, "1.5", "50~99人"),
    (99, "1.5", "50~99人"),
    (100, "2.0", "100人以上"),  # 以上 includes 100
    (101, "2.0", "100人以上"),
    (250_000, "2.0", "100人以上"),
]


@pytest.mark.parametrize(("people", "alpha", "band"), ALPHA_CASES)
def test_alpha_bands(people, alpha, band):
    # Chlorine at its critical quantity: Σ β·q/Q = 4, so R = 4α.
    result = one({"name": "氯", "quantity_t": 5}, people)
    assert result.alpha == Decimal(alpha)
    assert result.alpha_band == band
    assert result.r_value == 4 * Decimal(alpha)


# --- β from Table 3: the 14 named toxic gases, each at q = Q ---------------------------------

TABLE3_CASES = [
    # name as the user types it, Table 1 row, Q, β
    ("一氧化碳", 13, "20", "2"),  # CO is row 13, 煤气(CO, …)
    ("二氧化硫", 4, "20", "2"),
    ("氨", 1, "10", "2"),
    ("环氧乙烷", 7, "10", "2"),
    ("氯化氢", 11, "20", "3"),
    ("溴甲烷", 17, "10", "3"),
    ("氯", 12, "5", "4"),
    ("硫化氢", 10, "5", "5"),
    ("氟化氢", 20, "1", "5"),
    ("二氧化氮", 3, "1", "10"),
    ("氰化氢", 25, "1", "10"),
    ("碳酰氯", 6, "0.3", "20"),
    ("磷化氢", 9, "1", "20"),
    ("异氰酸甲酯", 30, "0.75", "20"),
]


@pytest.mark.parametrize(("name", "seq", "q", "beta"), TABLE3_CASES)
def test_beta_from_table3(name, seq, q, beta):
    result = one({"name": name, "quantity_t": Decimal(q)}, population=0)
    (term,) = result.terms
    assert (term.table1_seq, term.q_source, term.critical_quantity_t) == (seq, "table1", Decimal(q))
    assert (term.beta_source, term.beta, term.beta_category) == ("table3", Decimal(beta), None)
    assert term.ratio == 1
    assert result.r_value == Decimal("0.5") * Decimal(beta)


def test_table3_beta_is_kept_when_a_category_is_stated():
    # Ammonia is a Table 3 gas (β 2); a stated W2 (Table 4 β 1.5) must not replace it.
    (term,) = one({"name": "液氨", "category": "W2", "quantity_t": 10}).terms
    assert (term.beta_source, term.beta) == ("table3", 2)
    assert [(c.symbol, c.origin) for c in term.categories] == [("W2", "stated")]


# --- Table 2 and Table 4 for a substance given by category alone, at q = Q ---------------------

TABLE2_CASES = [
    # symbol, Q, β
    ("J1", "5", "4"),
    ("J2", "50", "1"),
    ("J3", "50", "2"),
    ("J4", "50", "2"),
    ("J5", "500", "1"),
    ("W1.1", "1", "2"),
    ("W1.2", "10", "2"),
    ("W1.3", "50", "2"),
    ("W2", "10", "1.5"),
    ("W3", "150", "1"),
    ("W4", "50", "1"),
    ("W5.1", "10", "1.5"),
    ("W5.2", "50", "1"),
    ("W5.3", "1000", "1"),
    ("W5.4", "5000", "1"),
    ("W6.1", "10", "1.5"),
    ("W6.2", "50", "1"),
    ("W7.1", "10", "1.5"),
    ("W7.2", "50", "1"),
    ("W8", "50", "1"),
    ("W9.1", "50", "1"),
    ("W9.2", "200", "1"),
    ("W10", "200", "1"),
    ("W11", "200", "1"),
]


@pytest.mark.parametrize(("symbol", "q", "beta"), TABLE2_CASES)
def test_q_from_table2_and_beta_from_table4_by_category(symbol, q, beta):
    result = one({"category": symbol, "quantity_t": Decimal(q)}, population=0)
    (term,) = result.terms
    assert (term.cas, term.name, term.table1_seq) == (None, None, None)
    assert (term.q_source, term.q_category, term.critical_quantity_t) == (
        "table2",
        symbol,
        Decimal(q),
    )
    assert (term.beta_source, term.beta_category, term.beta_category_origin, term.beta) == (
        "table4",
        symbol,
        "stated",
        Decimal(beta),
    )
    assert result.is_major and result.r_value == Decimal("0.5") * Decimal(beta)


def test_category_symbols_are_read_case_and_width_insensitively():
    (term,) = one({"category": " ｗ5.3 ", "quantity_t": 1}).terms
    assert term.q_category == "W5.3"


# --- β of named chemicals outside Table 3: default category, stated category, largest β --------

NAMED_TABLE4_CASES = [
    # substance, Q (Table 1), β, β category, its origin
    ({"name": "甲醇"}, "500", "1", "W5.3", "default"),
    ({"name": "液化石油气"}, "50", "1.5", "W2", "default"),
    ({"name": "乙醚"}, "10", "1.5", "W5.1", "default"),
    ({"name": "液氧"}, "200", "1", "W4", "default"),
    ({"name": "TNT"}, "5", "2", "W1.1", "default"),
    ({"name": "硝化纤维素(含乙醇≥25%)"}, "10", "2", "W1.2", "default"),
    ({"name": "电石"}, "100", "1", "W11", "default"),
    # A stated category raises β above the default (W5.1 1.5 > W5.3 1) …
    ({"name": "苯", "category": "W5.1"}, "50", "1.5", "W5.1", "stated"),
    # … but cannot lower it (W5.3 1 < default W5.1 1.5).
    ({"name": "乙醚", "category": "W5.3"}, "10", "1.5", "W5.1", "default"),
    # Equal β: the stated category is named first, so it is the one reported.
    ({"name": "甲醇", "category": "W5.2"}, "500", "1", "W5.2", "stated"),
    # No default (grade-dependent): the user must state it; several stated → largest β.
    ({"name": "汽油", "category": ["W5.3", "W5.1"]}, "200", "1.5", "W5.1", "stated"),
    ({"name": "过氧乙酸", "category": "W7.2"}, "10", "1", "W7.2", "stated"),
    # Q of a named chemical stays Table 1 whatever is stated (W5.1 alone would give Q 10).
    ({"name": "甲醇", "category": "W5.1"}, "500", "1.5", "W5.1", "stated"),
]


@pytest.mark.parametrize(("substance", "q", "beta", "category", "origin"), NAMED_TABLE4_CASES)
def test_beta_of_named_chemicals_from_table4(substance, q, beta, category, origin):
    (term,) = one({**substance, "quantity_t": 1}).terms
    assert (term.q_source, term.q_category, term.critical_quantity_t) == (
        "table1",
        None,
        Decimal(q),
    )
    assert (term.beta_source, term.beta, term.beta_category, term.beta_category_origin) == (
        "table4",
        Decimal(beta),
        category,
        origin,
    )


def test_categories_considered_list_stated_before_defaults_without_repeats():
    (term,) = one({"name": "苯", "category": ["W5.1", "W5.3"], "quantity_t": 1}).terms
    assert [(c.symbol, c.origin) for c in term.categories] == [
        ("W5.1", "stated"),
        ("W5.3", "stated"),
    ]
    (term,) = one({"name": "白磷", "quantity_t": 1}).terms
    assert [(c.symbol, c.origin) for c in term.categories] == [
        ("W8", "default"),
        ("J5", "default"),
    ]


SEVERAL_CATEGORIES_CASES = [
    # stated categories, Q and its category (lowest Q), β and its category (largest β)
    (["W5.1", "J4"], "10", "W5.1", "2", "J4"),
    (["J4", "W5.1"], "10", "W5.1", "2", "J4"),
    (["W2", "J1"], "5", "J1", "4", "J1"),
    (["W5.3", "W5.4"], "1000", "W5.3", "1", "W5.3"),
    (["W9.2", "W9.1"], "50", "W9.1", "1", "W9.2"),  # equal β: the first given
    (["W1.3", "W1.1", "W1.1"], "1", "W1.1", "2", "W1.3"),
]


@pytest.mark.parametrize(
    ("categories", "q", "q_category", "beta", "beta_category"), SEVERAL_CATEGORIES_CASES
)
def test_several_categories_take_lowest_q_and_largest_beta(
    categories, q, q_category, beta, beta_category
):
    (term,) = one({"category": categories, "quantity_t": 1}).terms
    assert (term.critical_quantity_t, term.q_category) == (Decimal(q), q_category)
    assert (term.beta, term.beta_category) == (Decimal(beta), beta_category)


# --- whole units: mixtures given by category, and mixed units -------------------------------

UNIT_CASES = [
    (
        "three substances given by category, 50 people",
        50,
        [
            {"category": "W5.3", "quantity_t": 40},  # 40/1000 = 0.04, × β 1 = 0.04
            {"category": "W2", "quantity_t": 8},  # 8/10 = 0.8, × β 1.5 = 1.2
            {"category": "J1", "quantity_t": 1},  # 1/5 = 0.2, × β 4 = 0.8
        ],
        # Σ q/Q = 1.04 ≥ 1; R = 1.5 × (0.04 + 1.2 + 0.8) = 1.5 × 2.04 = 3.06
        "1.04",
        "1.5",
        "3.06",
        4,
    ),
    (
        "the issue's example body, 40 people",
        40,
        [
            {"cas": "7782-50-5", "quantity_t": 12.5},  # 12.5/5 = 2.5, × β 4 = 10
            {"name": "甲醇", "quantity_t": 300},  # 300/500 = 0.6, × β 1 (W5.3) = 0.6
            {"category": "W5.3", "quantity_t": 40},  # 40/1000 = 0.04, × β 1 = 0.04
        ],
        # Σ q/Q = 3.14; R = 1.2 × 10.64 = 12.768
        "3.14",
        "1.2",
        "12.768",
        3,
    ),
    (
        "below the threshold together, 200 people",
        200,
        [
            {"name": "液化石油气", "quantity_t": 20},  # 20/50 = 0.4, × 1.5 = 0.6
            {"name": "甲醇", "quantity_t": 250},  # 250/500 = 0.5, × 1 = 0.5
        ],
        # Σ q/Q = 0.9 < 1: not major; R = 2 × 1.1 = 2.2 is still reported
        "0.9",
        "2.0",
        "2.2",
        None,
    ),
    (
        "a third each: exactly 1 in exact arithmetic, 100 people",
        100,
        [
            {"name": "光气", "quantity_t": 0.1},  # 0.1/0.3 = 1/3, × 20
            {"name": "光气", "quantity_t": 0.1},  # 1/3, × 20
            {"name": "甲基异氰酸酯", "quantity_t": 0.25},  # 0.25/0.75 = 1/3, × 20
        ],
        # Σ q/Q = 1 exactly: major; R = 2 × 20 = 40
        "1",
        "2.0",
        "40",
        3,
    ),
]


@pytest.mark.parametrize(
    ("label", "people", "substances", "sum_ratio", "alpha", "r_value", "level"), UNIT_CASES
)
def test_units(label, people, substances, sum_ratio, alpha, r_value, level):
    result = assess("production", people, substances)
    assert result.sum_ratio == Decimal(sum_ratio)
    assert result.alpha == Decimal(alpha)
    assert result.r_value == Decimal(r_value)
    assert result.level == level
    assert result.is_major is (level is not None)
    assert [t.index for t in result.terms] == list(range(len(substances)))


def test_terms_are_rounded_to_four_places_half_up():
    # 0.1 / 0.3 = 0.3333…; × 20 = 6.6666…
    (term,) = one({"name": "光气", "quantity_t": 0.1}).terms
    assert (term.ratio, term.beta_ratio) == (Decimal("0.3333"), Decimal("6.6667"))


def test_unit_kind_does_not_change_the_arithmetic_and_results_are_deterministic():
    substances = [{"name": "氯", "quantity_t": 12.5}, {"category": "W2", "quantity_t": 3}]
    production = assess("production", 35, substances)
    storage = assess("storage", 35, substances)
    assert production.to_dict() == storage.to_dict()
    assert assess("storage", 35, substances) == storage


def test_float_quantities_are_read_as_the_decimal_they_print_as():
    (term,) = one({"name": "氯", "quantity_t": 0.1}).terms
    assert term.quantity_t == Decimal("0.1")
    assert term.ratio == Decimal("0.02")


def test_to_dict_has_exactly_the_documented_keys():
    result = assess("storage", 0, [{"name": "甲醇", "quantity_t": 1}]).to_dict()
    assert set(result) == {
        "sum_ratio",
        "is_major",
        "alpha",
        "r_value",
        "level",
        "terms",
        "data_version",
    }
    assert set(result["terms"][0]) == {
        "index",
        "cas",
        "name",
        "table1_seq",
        "categories",
        "quantity_t",
        "critical_quantity_t",
        "q_source",
        "q_category",
        "ratio",
        "beta",
        "beta_source",
        "beta_category",
        "beta_category_origin",
        "beta_ratio",
    }


# --- resolving substances -------------------------------------------------------------------

RESOLUTION_CASES = [
    # input, Table 1 row, reported cas
    ({"cas": "7782-50-5"}, 12, "7782-50-5"),
    ({"cas": " 7782-50-5 "}, 12, "7782-50-5"),
    ({"cas": "７７８２－５０－５"}, 12, "7782-50-5"),  # full-width digits and dash
    ({"name": "氯"}, 12, "7782-50-5"),
    ({"name": "氯气"}, 12, "7782-50-5"),
    ({"name": "液氯"}, 12, "7782-50-5"),
    ({"name": "液化石油气"}, 52, "68476-85-7"),  # the qualifier dropped leaves one row
    ({"name": "液化石油气(含丙烷、丁烷及其混合物)"}, 52, "68476-85-7"),
    ({"name": "液化石油气（含丙烷、丁烷及其混合物）"}, 52, "68476-85-7"),  # full-width brackets
    ({"name": "石油气(液化的)"}, 52, "68476-85-7"),
    ({"cas": "74-98-6"}, 52, "74-98-6"),  # propane, one of the row's CAS numbers
    ({"name": "丙烷"}, 52, "68476-85-7"),
    ({"name": "天然气"}, 49, "74-82-8"),
    ({"cas": "8006-14-2"}, 49, "8006-14-2"),
    ({"name": "氯化氢"}, 11, "7647-01-0"),
    ({"name": "甲醛"}, 8, "50-00-0"),
    ({"name": "氧"}, 56, "7782-44-7"),
    ({"name": "硝酸"}, 81, "7697-37-2"),
    ({"name": "硝酸铵肥料"}, 45, None),  # no CAS in the standard
    ({"name": "硝化棉溶液"}, 42, "9004-70-0"),  # an exact alias wins over "硝化棉"
    ({"name": "硝化纤维素[干的或含水(或乙醇)<25%]"}, 37, "9004-70-0"),
    ({"cas": "9004-70-0", "name": "硝化纤维素(含水≥25%)"}, 41, "9004-70-0"),
    ({"name": "TDI"}, 23, "26471-62-5"),
    ({"name": "环氧氯丙烷"}, 21, "106-89-8"),
    ({"name": "煤气"}, 13, None),
    ({"cas": "630-08-0"}, 13, "630-08-0"),  # carbon monoxide
    ({"cas": "7664-41-7", "name": "液氨"}, 1, "7664-41-7"),
]


@pytest.mark.parametrize(("given", "seq", "cas"), RESOLUTION_CASES)
def test_resolution(given, seq, cas):
    (term,) = one({**given, "quantity_t": 1, "category": "W2"}).terms
    assert (term.table1_seq, term.cas) == (seq, cas)


NITROCELLULOSE = [
    "硝化纤维素[干的或含水(或乙醇)<25%]",
    "硝化纤维素(未改型的,或增塑的,含增塑剂<18%)",
    "硝化纤维素(含乙醇≥25%)",
    "硝化纤维素(含氮≤12.6%)",
    "硝化纤维素(含水≥25%)",
]
NITROCELLULOSE_SOLUTION = "硝化纤维素溶液(含氮量≤12.6%,含硝化纤维素≤55%)"
AMMONIUM_NITRATE = [
    "硝酸铵(含可燃物>0.2%,包括以碳计算的任何有机物,但不包括任何其他添加剂)",
    "硝酸铵(含可燃物≤0.2%)",
]
AMBIGUOUS_CASES = [
    ({"name": "硝化纤维素"}, "name", NITROCELLULOSE),
    ({"name": "硝化棉"}, "name", NITROCELLULOSE),
    ({"cas": "9004-70-0"}, "cas", [*NITROCELLULOSE, NITROCELLULOSE_SOLUTION]),
    ({"name": "硝酸铵"}, "name", AMMONIUM_NITRATE),
    ({"cas": "6484-52-2"}, "cas", AMMONIUM_NITRATE),
    ({"cas": "9004-70-0", "name": "硝化棉"}, "name", NITROCELLULOSE),
]


@pytest.mark.parametrize(("given", "field", "candidates"), AMBIGUOUS_CASES)
def test_ambiguous_names_list_their_candidates(given, field, candidates):
    with pytest.raises(AssessmentError) as exc_info:
        assess("storage", 0, [{"name": "氯", "quantity_t": 1}, {**given, "quantity_t": 1}])
    (problem,) = exc_info.value.errors
    assert (problem["index"], problem["field"], problem["code"]) == (1, field, "ambiguous")
    assert problem["candidates"] == candidates


# --- bad input: one exception, every problem, never a partial answer --------------------------

GOOD = {"name": "氯", "quantity_t": 1}

BAD_SUBSTANCE_CASES = [
    ({"cas": "67-63-0", "quantity_t": 1}, [("cas", "unknown_cas")]),  # isopropanol: unlisted
    ({"cas": "7782-50-4", "quantity_t": 1}, [("cas", "invalid_cas")]),  # check digit
    ({"cas": "chlorine", "quantity_t": 1}, [("cas", "invalid_cas")]),
    ({"cas": 7782505, "quantity_t": 1}, [("cas", "invalid_type")]),
    ({"cas": "", "quantity_t": 1}, [("cas", "invalid_type")]),
    ({"name": "异丙醇", "quantity_t": 1}, [("name", "unknown_name")]),
    ({"name": 12, "quantity_t": 1}, [("name", "invalid_type")]),
    ({"cas": "7782-50-5", "name": "氨", "quantity_t": 1}, [("name", "mismatch")]),
    ({"name": "氯"}, [("quantity_t", "required")]),
    ({"name": "氯", "quantity_t": None}, [("quantity_t", "required")]),
    ({"name": "氯", "quantity_t": -0.5}, [("quantity_t", "negative")]),
    ({"name": "氯", "quantity_t": Decimal("-1")}, [("quantity_t", "negative")]),
    ({"name": "氯", "quantity_t": "12.5"}, [("quantity_t", "invalid_type")]),
    ({"name": "氯", "quantity_t": True}, [("quantity_t", "invalid_type")]),
    ({"name": "氯", "quantity_t": math.nan}, [("quantity_t", "invalid_type")]),
    ({"name": "氯", "quantity_t": math.inf}, [("quantity_t", "invalid_type")]),
    ({"name": "氯", "quantity_t": Decimal("NaN")}, [("quantity_t", "invalid_type")]),
    ({"name": "氯", "quantity_t": 10**9}, [("quantity_t", "out_of_range")]),
    ({"name": "氯", "quantity_t": Decimal("1E-999999999")}, [("quantity_t", "out_of_range")]),
    ({"category": "W12", "quantity_t": 1}, [("category", "unknown_category")]),
    ({"category": "J6", "quantity_t": 1}, [("category", "unknown_category")]),
    ({"category": ["W2", "Z9"], "quantity_t": 1}, [("category", "unknown_category")]),
    ({"category": [], "quantity_t": 1}, [("category", "invalid_type")]),
    ({"category": 5, "quantity_t": 1}, [("category", "invalid_type")]),
    ({"name": "氯", "category": "W99", "quantity_t": 1}, [("category", "unknown_category")]),
    ({"quantity_t": 1}, [("substance", "required")]),
    ("氯", [("substance", "invalid_type")]),
    ({"name": "氯", "quantity": 1}, [("quantity", "unknown_field"), ("quantity_t", "required")]),
    # Not a Table 3 gas and no default category: β cannot be determined.
    ({"name": "汽油", "quantity_t": 1}, [("category", "no_beta_category")]),
    ({"cas": "7446-11-9", "quantity_t": 1}, [("category", "no_beta_category")]),  # SO3
    # Several problems in one substance are all reported.
    (
        {"cas": "67-63-0", "category": "X", "quantity_t": -1},
        [("cas", "unknown_cas"), ("category", "unknown_category"), ("quantity_t", "negative")],
    ),
]


@pytest.mark.parametrize(("bad", "expected"), BAD_SUBSTANCE_CASES)
def test_bad_substances(bad, expected):
    with pytest.raises(AssessmentError) as exc_info:
        assess("storage", 10, [GOOD, bad, GOOD])
    assert sorted(codes(exc_info)) == sorted((1, field, code) for field, code in expected)
    assert all(e["message"] for e in exc_info.value.errors)


def test_no_beta_category_error_names_the_substance():
    with pytest.raises(AssessmentError) as exc_info:
        assess("storage", 10, [{"name": "汽油", "quantity_t": 1}])
    assert "汽油" in exc_info.value.errors[0]["message"]


BAD_UNIT_CASES = [
    ("office", 10, [GOOD], [(None, "unit_kind", "invalid_choice")]),
    (None, 10, [GOOD], [(None, "unit_kind", "invalid_choice")]),
    ("storage", -1, [GOOD], [(None, "exposed_population", "negative")]),
    ("storage", None, [GOOD], [(None, "exposed_population", "required")]),
    ("storage", 1.5, [GOOD], [(None, "exposed_population", "invalid_type")]),
    ("storage", "120", [GOOD], [(None, "exposed_population", "invalid_type")]),
    ("storage", True, [GOOD], [(None, "exposed_population", "invalid_type")]),
    ("storage", 10, [], [(None, "substances", "empty")]),
    ("storage", 10, None, [(None, "substances", "invalid_type")]),
    ("storage", 10, "氯", [(None, "substances", "invalid_type")]),
    ("storage", 10, GOOD, [(None, "substances", "invalid_type")]),
    (
        "warehouse",
        -3,
        [GOOD, {"name": "异丙醇", "quantity_t": 1}],
        [
            (None, "unit_kind", "invalid_choice"),
            (None, "exposed_population", "negative"),
            (1, "name", "unknown_name"),
        ],
    ),
]


@pytest.mark.parametrize(("unit_kind", "people", "substances", "expected"), BAD_UNIT_CASES)
def test_bad_units(unit_kind, people, substances, expected):
    with pytest.raises(AssessmentError) as exc_info:
        assess(unit_kind, people, substances)
    assert codes(exc_info) == expected


def test_every_bad_substance_is_reported_at_once_in_order():
    substances = [
        {"cas": "9999-99-8", "quantity_t": 1},  # check digit: 9 × (1+…+6) = 189, so 9, not 8
        GOOD,
        {"name": "硝化棉", "quantity_t": 1},
        {"category": "W5.3", "quantity_t": -2},
        {"name": "甲醇", "quantity_t": 300},
        {"category": "W13", "quantity_t": 1},
    ]
    with pytest.raises(AssessmentError) as exc_info:
        assess("storage", 120, substances)
    assert codes(exc_info) == [
        (0, "cas", "invalid_cas"),
        (2, "name", "ambiguous"),
        (3, "quantity_t", "negative"),
        (5, "category", "unknown_category"),
    ]
    assert isinstance(exc_info.value, ValueError)
    assert "substance 2" in str(exc_info.value)


# --- the shipped reference data ----------------------------------------------------------------

# Rows whose hazard category the project leaves to the user (data README); every other row
# outside Table 3 must carry a default, so that a plain name gives an answer.
NO_DEFAULT_ROWS = {5, 14, 15, 16, 26, 66, 71}
TABLE3_ROWS = {1, 3, 4, 6, 7, 9, 10, 11, 12, 13, 17, 20, 25, 30}


def test_reference_tables_are_complete():
    reference = load_reference()
    assert reference.version == DATA_VERSION
    assert [c.seq for c in reference.chemicals] == list(range(1, 86))
    assert len(reference.categories) == 24
    assert {c.seq for c in reference.chemicals if c.table3_beta is not None} == TABLE3_ROWS
    missing = {
        c.seq for c in reference.chemicals if c.table3_beta is None and not c.default_categories
    }
    assert missing == NO_DEFAULT_ROWS
    assert load_reference() is reference  # read once


TABLE1_SPOT_CHECKS = [
    # row, Q from the standard's Table 1
    (6, "0.3"),
    (30, "0.75"),
    (31, "0.5"),
    (37, "1"),
    (39, "10"),
    (42, "50"),
    (43, "5"),
    (44, "50"),
    (45, "200"),
    (46, "1000"),
    (56, "200"),
    (66, "200"),
    (83, "100"),
    (85, "10"),
]


@pytest.mark.parametrize(("seq", "q"), TABLE1_SPOT_CHECKS)
def test_table1_critical_quantities(seq, q):
    assert load_reference().chemicals[seq - 1].critical_quantity_t == Decimal(q)
