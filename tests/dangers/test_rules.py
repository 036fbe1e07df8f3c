"""Pure rules of the hidden-danger domain: tables of cases, no fixtures.

The expected transitions below are written out by hand from issue 5 and FACTS §3, not derived
from rules.TRANSITIONS, and every combination of state × action × severity × actor is checked
against them: what is listed must pass, everything else must be refused with the allowed list.
"""

import datetime as dt
from decimal import Decimal
from itertools import product

import pytest

from app.dangers.rules import (
    OPEN_STATES,
    PLAN_FIELDS,
    Action,
    ActorKind,
    Category,
    ExtensionDecision,
    Facts,
    IllegalTransition,
    InvalidInput,
    PreconditionFailed,
    Severity,
    Source,
    State,
    actor_kind_for_role,
    allowed_actions,
    criteria_for_sector,
    criterion_errors,
    days_overdue,
    default_deadline,
    escalation_targets,
    extension_answer_due,
    extension_decision,
    extension_decision_errors,
    extension_request_errors,
    is_overdue,
    load_timelines,
    local_day,
    major_criteria,
    next_state,
    overdue_key,
    plan_errors,
    recheck_due_on,
    reclassification_errors,
    statistics_due_on,
)

R, RC, AA = State.REPORTED, State.RECTIFYING, State.AWAITING_ACCEPTANCE
CLOSED, CANCELLED = State.CLOSED, State.CANCELLED
G, M = Severity.GENERAL, Severity.MAJOR
EA, ES = ActorKind.ENTERPRISE_ADMIN, ActorKind.ENTERPRISE_STAFF
RG, IN, SY = ActorKind.REGULATOR, ActorKind.INSPECTOR, ActorKind.SYSTEM
A = Action

D = dt.date
FULL_PLAN = {
    "measures": "更换泄漏阀门并加装可燃气体报警器",
    "responsible_person": "张伟",
    "funds": Decimal("50000"),
    "deadline": D(2026, 7, 31),
    "contingency_plan": "停用该罐区，设置警戒区，按应急预案疏散",
}


def _expected() -> dict[tuple[State, Action, Severity, ActorKind], State]:
    e = {}
    for actor in (EA, ES):
        e[R, A.START_RECTIFICATION, G, actor] = RC
        e[RC, A.SUBMIT_FOR_ACCEPTANCE, G, actor] = AA
    e[R, A.START_RECTIFICATION, M, EA] = RC
    e[RC, A.SUBMIT_FOR_ACCEPTANCE, M, EA] = AA
    for actor in (EA, RG, IN):
        e[AA, A.ACCEPT, G, actor] = CLOSED
        e[AA, A.REJECT, G, actor] = RC
    e[AA, A.CLOSE, M, RG] = CLOSED
    e[AA, A.REJECT, M, RG] = RC
    for state, severity in product((R, RC, AA), (G, M)):
        e[state, A.CANCEL, severity, RG] = CANCELLED
        e[state, A.GRANT_EXTENSION, severity, RG] = state
        e[state, A.REFUSE_EXTENSION, severity, RG] = state
        if state != AA:
            e[state, A.REQUEST_EXTENSION, severity, EA] = state
    return e


EXPECTED = _expected()
ALL_STEPS = list(product(State, Action, Severity, ActorKind))


def _allowed(state, severity, actor) -> tuple[Action, ...]:
    return tuple(a for a in Action if (state, a, severity, actor) in EXPECTED)


def _good_facts(action: Action) -> Facts:
    pending = action in (A.GRANT_EXTENSION, A.REFUSE_EXTENSION)
    return Facts(plan=FULL_PLAN, reason="理由", extension_pending=pending)


def test_the_hand_table_has_every_step_of_the_issue():
    assert len(EXPECTED) == 36


@pytest.mark.parametrize(("state", "action", "severity", "actor"), ALL_STEPS)
def test_every_step_for_every_role(state, action, severity, actor):
    facts = _good_facts(action)
    if (state, action, severity, actor) in EXPECTED:
        assert (
            next_state(state, action, severity, actor, facts)
            == EXPECTED[state, action, severity, actor]
        )
        return
    with pytest.raises(IllegalTransition) as exc:
        next_state(state, action, severity, actor, facts)
    assert exc.value.current == state
    assert exc.value.allowed == _allowed(state, severity, actor)


@pytest.mark.parametrize(("state", "severity", "actor"), list(product(State, Severity, ActorKind)))
def test_allowed_actions(state, severity, actor):
    assert allowed_actions(state, severity, actor) == _allowed(state, severity, actor)


# --- the rules the issue names, one by one ----------------------------------------------------

REASON = Facts(reason="整改不到位", plan=FULL_PLAN)


@pytest.mark.parametrize(
    ("action", "severity", "actor", "allowed"),
    [
        (A.ACCEPT, G, ES, ()),  # staff neither accept nor close
        (A.CLOSE, G, ES, ()),
        (A.CLOSE, G, EA, (A.ACCEPT, A.REJECT)),  # a general one is closed by accepting it
        (A.CLOSE, M, EA, ()),  # only the regulator closes (销号) a major one
        (A.CLOSE, M, IN, ()),
        (A.CLOSE, M, ES, ()),
        (A.ACCEPT, M, EA, ()),  # ... and acceptance is no side door
        (A.ACCEPT, M, RG, (A.REJECT, A.CLOSE, A.CANCEL, A.GRANT_EXTENSION, A.REFUSE_EXTENSION)),
        (A.REJECT, M, EA, ()),
        (A.CANCEL, G, EA, (A.ACCEPT, A.REJECT)),  # cancelling needs a regulator
        (A.CANCEL, M, IN, ()),
    ],
)
def test_refused_at_acceptance(action, severity, actor, allowed):
    with pytest.raises(IllegalTransition) as exc:
        next_state(AA, action, severity, actor, REASON)
    assert exc.value.current == AA
    assert exc.value.allowed == allowed


@pytest.mark.parametrize(("severity", "actor"), [(G, EA), (G, RG), (G, IN), (M, RG)])
def test_rejected_acceptance_goes_back_to_rectifying(severity, actor):
    assert next_state(AA, A.REJECT, severity, actor, REASON) == RC


@pytest.mark.parametrize(
    ("state", "action", "severity", "actor"),
    [
        (AA, A.REJECT, G, EA),
        (AA, A.REJECT, M, RG),
        (R, A.CANCEL, G, RG),
        (AA, A.CANCEL, M, RG),
        (RC, A.REFUSE_EXTENSION, M, RG),
    ],
)
@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_a_reason_is_required(state, action, severity, actor, reason):
    facts = Facts(reason=reason, extension_pending=True)
    with pytest.raises(PreconditionFailed) as exc:
        next_state(state, action, severity, actor, facts)
    assert exc.value.errors == {"reason": ["required for this step"]}


def test_cancel_by_a_regulator_with_a_reason():
    assert next_state(RC, A.CANCEL, M, RG, {"reason": "重复登记"}) == CANCELLED


@pytest.mark.parametrize("actor", [EA, ES, IN, SY])
def test_cancel_by_anyone_else_is_refused_even_with_a_reason(actor):
    with pytest.raises(IllegalTransition):
        next_state(R, A.CANCEL, G, actor, {"reason": "重复登记"})


def test_a_major_one_needs_the_five_in_place_before_rectification():
    with pytest.raises(PreconditionFailed) as exc:
        next_state(R, A.START_RECTIFICATION, M, EA)
    assert list(exc.value.errors) == [f"plan.{name}" for name in PLAN_FIELDS]


@pytest.mark.parametrize("missing", PLAN_FIELDS)
def test_each_of_the_five_is_needed(missing):
    plan = {k: v for k, v in FULL_PLAN.items() if k != missing}
    with pytest.raises(PreconditionFailed) as exc:
        next_state(R, A.START_RECTIFICATION, M, EA, {"plan": plan})
    assert list(exc.value.errors) == [f"plan.{missing}"]


def test_a_major_one_with_its_plan_starts_and_a_general_one_needs_none():
    assert next_state(R, A.START_RECTIFICATION, M, EA, {"plan": FULL_PLAN}) == RC
    assert next_state(R, A.START_RECTIFICATION, G, ES) == RC


def test_who_and_when_is_decided_before_what_was_given():
    # Staff may not start a major one at all: the answer is 409, not "plan missing".
    with pytest.raises(IllegalTransition) as exc:
        next_state(R, A.START_RECTIFICATION, M, ES)
    assert exc.value.allowed == ()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({}, set()),
        ({"funds": 0}, set()),  # a procedural fix may cost nothing
        ({"funds": Decimal("0.00")}, set()),
        ({"funds": 1200.5}, set()),
        ({"responsible_person": 42}, set()),  # a user id
        ({"measures": "  "}, {"measures"}),
        ({"contingency_plan": ""}, {"contingency_plan"}),
        ({"responsible_person": " "}, {"responsible_person"}),
        ({"responsible_person": 0}, {"responsible_person"}),
        ({"responsible_person": True}, {"responsible_person"}),
        ({"funds": -1}, {"funds"}),
        ({"funds": "50000"}, {"funds"}),
        ({"funds": True}, {"funds"}),
        ({"funds": float("nan")}, {"funds"}),
        ({"funds": Decimal("Infinity")}, {"funds"}),
        ({"funds": ""}, {"funds"}),
        ({"deadline": "2026-07-31"}, {"deadline"}),
        ({"deadline": dt.datetime(2026, 7, 31, 12, 0)}, {"deadline"}),
    ],
)
def test_plan_errors(changes, errors):
    assert set(plan_errors({**FULL_PLAN, **changes})) == errors


def test_plan_errors_of_no_plan_name_all_five():
    assert set(plan_errors(None)) == set(PLAN_FIELDS)
    assert set(plan_errors({})) == set(PLAN_FIELDS)


@pytest.mark.parametrize(
    ("today", "errors"),
    [(D(2026, 7, 30), set()), (D(2026, 7, 31), set()), (D(2026, 8, 1), {"deadline"})],
)
def test_a_plan_deadline_already_past_is_not_in_place(today, errors):
    assert set(plan_errors(FULL_PLAN, today)) == errors
    facts = Facts(plan=FULL_PLAN, today=today)
    if errors:
        with pytest.raises(PreconditionFailed):
            next_state(R, A.START_RECTIFICATION, M, EA, facts)
    else:
        assert next_state(R, A.START_RECTIFICATION, M, EA, facts) == RC


@pytest.mark.parametrize(
    ("action", "pending", "errors"),
    [
        (A.REQUEST_EXTENSION, True, {"extension": ["an extension request is already pending"]}),
        (A.GRANT_EXTENSION, False, {"extension": ["no extension request is pending"]}),
        (
            A.REFUSE_EXTENSION,
            False,
            {
                "extension": ["no extension request is pending"],
                "reason": ["required for this step"],
            },
        ),
    ],
)
def test_extension_steps_need_the_right_pending_state(action, pending, errors):
    actor = EA if action == A.REQUEST_EXTENSION else RG
    with pytest.raises(PreconditionFailed) as exc:
        next_state(RC, action, G, actor, Facts(extension_pending=pending))
    assert exc.value.errors == errors


def test_inputs_may_be_plain_strings():
    assert next_state("awaiting_acceptance", "close", "major", "regulator") == CLOSED


def test_an_unknown_action_is_refused_with_the_allowed_list():
    with pytest.raises(IllegalTransition) as exc:
        next_state(R, "fly", G, ES)
    assert exc.value.allowed == (A.START_RECTIFICATION,)
    assert "allowed: start_rectification" in str(exc.value)


def test_a_final_state_allows_nothing():
    with pytest.raises(IllegalTransition) as exc:
        next_state(CLOSED, A.REJECT, M, RG, REASON)
    assert (exc.value.current, exc.value.allowed) == (CLOSED, ())
    assert str(exc.value).endswith("allowed: nothing")


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("authority_admin", RG),
        ("regulator", RG),
        ("inspector", IN),
        ("enterprise_admin", EA),
        ("enterprise_staff", ES),
        ("platform_admin", None),
        ("nobody", None),
    ],
)
def test_actor_kind_for_role(role, kind):
    assert actor_kind_for_role(role) == kind


# --- reclassification ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "current", "new", "actor", "plan", "errors"),
    [
        (RC, M, M, ES, None, set()),  # no change
        (RC, M, G, RG, None, set()),
        (RC, M, G, EA, None, {"severity"}),  # or the enterprise could close it itself
        (AA, M, G, IN, None, {"severity"}),
        (R, G, M, EA, None, set()),  # the plan is asked for when rectification starts
        (R, G, M, IN, None, set()),
        (R, G, M, ES, None, {"severity"}),
        (RC, G, M, RG, None, {f"plan.{f}" for f in PLAN_FIELDS}),
        (AA, G, M, EA, FULL_PLAN, set()),
        (CLOSED, G, M, RG, FULL_PLAN, {"severity"}),
        (CANCELLED, M, G, RG, None, {"severity"}),
    ],
)
def test_reclassification(state, current, new, actor, plan, errors):
    assert set(reclassification_errors(state, current, new, actor, plan)) == errors


# --- extensions: the window of N days before the deadline ------------------------------------

DEADLINE = D(2026, 6, 20)
CST = dt.timezone(dt.timedelta(hours=8))
LATER = D(2026, 7, 20)


@pytest.mark.parametrize(
    ("requested_on", "today", "new_deadline", "window", "errors"),
    [
        (D(2026, 6, 10), D(2026, 6, 10), LATER, 10, set()),  # exactly 10 days before
        (D(2026, 6, 9), D(2026, 6, 9), LATER, 10, {"requested_on"}),  # 11 days before
        (D(2026, 6, 20), D(2026, 6, 20), LATER, 10, set()),  # on the deadline day
        (D(2026, 6, 21), D(2026, 6, 21), LATER, 10, {"requested_on", "deadline"}),  # after
        (D(2026, 6, 15), D(2026, 6, 21), LATER, 10, {"deadline"}),  # letter in time, overdue now
        (D(2026, 6, 15), D(2026, 6, 18), LATER, 10, set()),  # letter entered a few days late
        (D(2026, 6, 16), D(2026, 6, 15), LATER, 10, {"requested_on"}),  # dated in the future
        (D(2026, 6, 15), D(2026, 6, 15), D(2026, 6, 20), 10, {"new_deadline"}),  # not later
        (D(2026, 6, 15), D(2026, 6, 15), D(2026, 6, 19), 10, {"new_deadline"}),
        (D(2026, 6, 15), D(2026, 6, 15), D(2026, 6, 21), 10, set()),
        (D(2026, 6, 15), D(2026, 6, 15), None, 10, {"new_deadline"}),
        (D(2026, 6, 15), D(2026, 6, 15), LATER, 5, set()),  # the window is a parameter
        (D(2026, 6, 14), D(2026, 6, 14), LATER, 5, {"requested_on"}),
    ],
)
def test_extension_request_window(requested_on, today, new_deadline, window, errors):
    found = extension_request_errors(DEADLINE, requested_on, new_deadline, today, window)
    assert set(found) == errors


def test_extension_too_early_says_when_the_window_opens():
    errors = extension_request_errors(DEADLINE, D(2026, 6, 9), LATER, D(2026, 6, 9), 10)
    assert "from 2026-06-10 to 2026-06-20" in errors["requested_on"][0]


def test_no_deadline_no_extension():
    assert set(extension_request_errors(None, D(2026, 6, 9), LATER, D(2026, 6, 9), 10)) == {
        "deadline"
    }


@pytest.mark.parametrize(
    ("granted", "new_deadline", "reason", "today", "errors"),
    [
        (True, LATER, None, D(2026, 6, 18), set()),
        (True, LATER, "不可抗力属实", D(2026, 6, 18), set()),
        (True, None, None, D(2026, 6, 18), {"new_deadline"}),
        (True, DEADLINE, None, D(2026, 6, 18), {"new_deadline"}),
        (True, D(2026, 6, 22), None, D(2026, 6, 25), {"new_deadline"}),  # already past
        (True, D(2026, 6, 25), None, D(2026, 6, 25), set()),  # answered after the old deadline
        (False, None, "非不可抗力", D(2026, 6, 18), set()),
        (False, None, " ", D(2026, 6, 18), {"reason"}),
        (False, LATER, None, D(2026, 6, 18), {"new_deadline", "reason"}),
    ],
)
def test_extension_decision_shape(granted, new_deadline, reason, today, errors):
    assert set(extension_decision_errors(granted, new_deadline, reason, DEADLINE, today)) == errors


def test_extension_decision_values():
    today = D(2026, 6, 18)
    assert extension_decision(True, LATER, None, DEADLINE, today) == ExtensionDecision(True, LATER)
    refused = extension_decision(False, None, "  非不可抗力 ", DEADLINE, today)
    assert refused == ExtensionDecision(False, None, "非不可抗力")
    with pytest.raises(InvalidInput) as exc:
        extension_decision(False, LATER, None, DEADLINE, today)
    assert set(exc.value.errors) == {"new_deadline", "reason"}


def test_the_regulator_answers_within_five_days():
    days = load_timelines().extension_answer_days
    assert extension_answer_due(D(2026, 6, 12), days) == D(2026, 6, 17)


# --- overdue ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "today", "overdue", "days"),
    [
        *((s, D(2026, 6, 19), False, 0) for s in OPEN_STATES),
        *((s, D(2026, 6, 20), False, 0) for s in OPEN_STATES),  # the deadline day is the unit's
        *((s, D(2026, 6, 21), True, 1) for s in OPEN_STATES),  # overdue from the day after
        *((s, D(2026, 9, 18), True, 90) for s in OPEN_STATES),
        (CLOSED, D(2026, 6, 21), False, 0),
        (CANCELLED, D(2026, 6, 21), False, 0),
        (CLOSED, D(2030, 1, 1), False, 0),
        (CANCELLED, D(2030, 1, 1), False, 0),
    ],
)
def test_overdue_boundaries(state, today, overdue, days):
    assert is_overdue(state, DEADLINE, today) is overdue
    assert days_overdue(state, DEADLINE, today) == days


def test_no_deadline_is_never_overdue():
    assert is_overdue(RC, None, D(2030, 1, 1)) is False


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (dt.datetime(2026, 6, 20, 15, 59, 59, tzinfo=dt.UTC), D(2026, 6, 20)),  # 23:59:59 CST
        (dt.datetime(2026, 6, 20, 16, 0, 0, tzinfo=dt.UTC), D(2026, 6, 21)),  # 00:00 CST
        (dt.datetime(2026, 6, 21, 0, 30, tzinfo=CST), D(2026, 6, 21)),
    ],
)
def test_local_day_is_the_shanghai_calendar_day(now, day):
    assert local_day(now) == day


def test_the_deadline_turns_at_shanghai_midnight_not_utc():
    # 2026-06-20 23:30 in Shanghai is 15:30 UTC: still the deadline day, not overdue.
    now = dt.datetime(2026, 6, 20, 15, 30, tzinfo=dt.UTC)
    assert not is_overdue(RC, DEADLINE, local_day(now))
    assert is_overdue(RC, DEADLINE, local_day(now + dt.timedelta(hours=1)))


def test_local_day_refuses_a_naive_time():
    with pytest.raises(ValueError):
        local_day(dt.datetime(2026, 6, 20, 12, 0))


def test_overdue_key_is_one_per_day():
    assert overdue_key(D(2026, 6, 21)) == "overdue:2026-06-21"
    assert overdue_key(D(2026, 6, 21)) == overdue_key(D(2026, 6, 21))
    assert overdue_key(D(2026, 6, 21)) != overdue_key(D(2026, 6, 22))
    with pytest.raises(TypeError):
        overdue_key(dt.datetime(2026, 6, 21, 8, 0))


@pytest.mark.parametrize(("severity", "targets"), [(G, (EA,)), (M, (EA, RG)), ("major", (EA, RG))])
def test_escalation_targets(severity, targets):
    assert escalation_targets(severity) == targets


# --- other windows ---------------------------------------------------------------------------


def test_shipped_timelines():
    t = load_timelines()
    assert (
        t.extension_request_window_days,
        t.extension_answer_days,
        t.regulator_recheck_days,
        t.major_suspension_max_months,
        t.resume_review_days,
        t.general_deadline_days,
        t.major_deadline_days,
        t.supervised_usual_days,
        t.supervised_max_days,
        t.quarterly_statistics_due_day,
        t.annual_statistics_due,
    ) == (10, 5, 10, 6, 10, 7, 15, 60, 90, 15, (1, 31))
    defaults = {name for name, kind in t.kinds if kind == "default"}
    assert defaults == {"general_deadline_days", "major_deadline_days", "resume_review_days"}
    assert t.kind("extension_request_window_days") == "statutory"
    assert load_timelines() is t  # read once


def test_timelines_overrides():
    t = load_timelines()
    local = t.with_values({"extension_request_window_days": 7, "general_deadline_days": 1})
    assert (local.extension_request_window_days, local.general_deadline_days) == (7, 1)
    assert t.extension_request_window_days == 10
    with pytest.raises(InvalidInput) as exc:
        t.with_values(
            {
                "extension_answer_days": 0,
                "major_deadline_days": "15",
                "general_deadline_days": True,
                "version": 2,
                "no_such_window": 3,
            }
        )
    assert set(exc.value.errors) == {
        "extension_answer_days",
        "major_deadline_days",
        "general_deadline_days",
        "version",
        "no_such_window",
    }
    with pytest.raises(InvalidInput) as exc:
        t.with_values({"supervised_usual_days": 91})
    assert set(exc.value.errors) == {"supervised_usual_days"}


@pytest.mark.parametrize(
    ("severity", "due"), [(G, D(2026, 6, 8)), (M, D(2026, 6, 16)), ("major", D(2026, 6, 16))]
)
def test_default_deadline(severity, due):
    assert default_deadline(severity, D(2026, 6, 1), load_timelines()) == due


def test_recheck_due_on():
    assert recheck_due_on(D(2026, 6, 25), load_timelines()) == D(2026, 7, 5)


@pytest.mark.parametrize(
    ("quarter", "due"),
    [
        (1, D(2026, 4, 15)),
        (2, D(2026, 7, 15)),
        (3, D(2026, 10, 15)),
        (4, D(2027, 1, 15)),
        (None, D(2027, 1, 31)),
    ],
)
def test_statistics_due_on(quarter, due):
    assert statistics_due_on(2026, quarter, load_timelines()) == due


@pytest.mark.parametrize("quarter", [0, 5])
def test_statistics_due_on_refuses_a_bad_quarter(quarter):
    with pytest.raises(ValueError):
        statistics_due_on(2026, quarter, load_timelines())


# --- major-hidden-danger criteria ------------------------------------------------------------

HC = "hazardous_chemicals"
ONLY_MAJOR = "only a major hidden danger cites a major-hidden-danger criterion"
ONLY_HC = "CHEM2017-04 applies only to enterprises of sector hazardous_chemicals"


def test_the_twenty_chemical_criteria():
    criteria = major_criteria()
    assert list(criteria) == [f"CHEM2017-{n:02d}" for n in range(1, 21)]
    assert [c.item_no for c in criteria.values()] == list(range(1, 21))
    assert {c.sector for c in criteria.values()} == {HC}
    assert "紧急停车" in criteria["CHEM2017-04"].keyword_cn
    assert "H2S" in criteria["CHEM2017-08"].keyword_cn
    assert "禁配" in criteria["CHEM2017-20"].keyword_cn
    assert all(c.summary_en for c in criteria.values())


@pytest.mark.parametrize(
    ("severity", "code", "sector", "messages"),
    [
        (M, "CHEM2017-04", HC, None),
        (M, "CHEM2017-20", HC, None),
        (M, None, HC, None),  # citing is optional
        (M, "", "construction", None),
        (G, None, HC, None),
        (M, "CHEM2017-21", HC, ["unknown criterion 'CHEM2017-21'"]),
        (M, "chem2017-04", HC, ["unknown criterion 'chem2017-04'"]),
        (M, "4", HC, ["unknown criterion '4'"]),
        (M, "CHEM2017-04", "construction", [ONLY_HC]),
        (G, "CHEM2017-04", HC, [ONLY_MAJOR]),  # meeting a criterion is what makes it major
        (G, "CHEM2017-04", "fire_safety", [ONLY_MAJOR, ONLY_HC]),
    ],
)
def test_criterion_errors(severity, code, sector, messages):
    expected = {"criterion_code": messages} if messages else {}
    assert criterion_errors(severity, code, sector) == expected


def test_criteria_for_sector():
    assert len(criteria_for_sector(HC)) == 20
    assert criteria_for_sector("construction") == ()


# --- vocabularies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (
            Source,
            {"self_inspection", "staff_report", "inspection_finding", "tip_off", "regulator_entry"},
        ),
        (Category, {"unsafe_condition", "unsafe_act", "management_defect"}),
        (Severity, {"general", "major"}),
        (State, {"reported", "rectifying", "awaiting_acceptance", "closed", "cancelled"}),
        (ActorKind, {"enterprise_admin", "enterprise_staff", "regulator", "inspector", "system"}),
    ],
)
def test_vocabularies(enum, values):
    assert {m.value for m in enum} == values
    assert all(m.label_cn for m in enum)


def test_every_action_has_a_label():
    assert Action.CLOSE.label_cn == "销号"
    assert all(a.label_cn for a in Action)


def test_open_states():
    assert {R, RC, AA} == OPEN_STATES
    assert not CLOSED.is_open and RC.is_open
