"""anjian-draw-v1 (docs/draw-anjian-v1.md): known answers, agreement with the independent
reference in reference_draw.py, selection frequencies, assignment properties and verification.

Pure: no fixtures, no database. Every "random" world and seed is derived from a fixed label, so
each statistical bound is checked against the same numbers on every run and cannot flake.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import pathlib
import random
import uuid

import pytest

from app.inspections.rules import draw
from app.inspections.rules.assign import AssignmentError, assign
from tests.inspections import reference_draw as ref

# The known-answer vector of docs/draw-anjian-v1.md §10, computed once with reference_draw and
# checked against `openssl dgst -sha256 -mac HMAC`; a reimplementation must reproduce it. The
# JSON is the documents' text verbatim (test_the_document_shows_this_vector keeps them equal).
KAT_SEED = bytes(range(32)).hex()
KAT_COMMITMENT = "6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b"
KAT_STREAM = "正常/street-1"
KAT_INTEGERS = [7502224024547510354, 13986093149463851865, 6899288580935756329]
KAT_INTEGERS += [17854061392807467791, 6162690762354353070]
KAT_SNAPSHOT = json.loads("""
{"algorithm": "anjian-draw-v1",
 "strata": [
  {"key": "一般/street-1", "rate": "0.3", "n": 7, "k": 3,
   "candidates": ["e07", "e06", "e05", "e04", "e03", "e02", "e01"]},
  {"key": "正常/street-2", "rate": "0.5", "n": 4, "k": 2,
   "candidates": ["e11", "e12", "e13", "e14"]}],
 "mandatory": ["e20"],
 "inspectors": ["i5", "i4", "i3", "i2", "i1"],
 "conflicts": [["i1", "e20"], ["i2", "e20"]],
 "prior_pairs": [["i3", "i4"]],
 "team_size": 2, "exclusions": [], "parameters": {}}
""")
KAT_RESULT = json.loads("""
{"algorithm": "anjian-draw-v1",
 "selections": [
  {"stratum": "一般/street-1", "position": 0, "enterprise_id": "e04"},
  {"stratum": "一般/street-1", "position": 1, "enterprise_id": "e03"},
  {"stratum": "一般/street-1", "position": 2, "enterprise_id": "e05"},
  {"stratum": "正常/street-2", "position": 0, "enterprise_id": "e14"},
  {"stratum": "正常/street-2", "position": 1, "enterprise_id": "e11"}],
 "assignments": [
  {"enterprise_id": "e20", "inspectors": ["i4", "i5"]},
  {"enterprise_id": "e04", "inspectors": ["i1", "i3"]},
  {"enterprise_id": "e03", "inspectors": ["i2", "i4"]},
  {"enterprise_id": "e05", "inspectors": ["i3", "i2"]},
  {"enterprise_id": "e14", "inspectors": ["i5", "i1"]},
  {"enterprise_id": "e11", "inspectors": ["i3", "i5"]}]}
""")
DOCUMENT = pathlib.Path(__file__).parents[2] / "docs" / "draw-anjian-v1.md"


def seed_of(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def snapshot_of(i: int) -> dict:
    """A random but fixed snapshot: a few strata of uuid-like ids, mandatory enterprises, a few
    conflicts (never enough to starve an enterprise) and prior pairs."""
    rng = random.Random(f"snapshot-{i}")

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128)))

    strata = []
    for s in range(rng.randint(1, 4)):
        candidates = [uid() for _ in range(rng.randint(0, 60))]
        rate = rng.choice(["0", "0.05", "0.15", "0.3", "0.5", "0.999", "1"])
        k = ref.quota(rate, len(candidates))
        key = f"{rng.choice(['正常', '重点'])}/{s}-{uid()}"
        strata.append(dict(key=key, rate=rate, n=len(candidates), k=k, candidates=candidates))
    strata.sort(key=lambda s: s["key"])
    inspectors = [uid() for _ in range(rng.randint(5, 30))]
    mandatory = [uid() for _ in range(rng.randint(0, 5))]
    drawable = mandatory + [c for s in strata for c in s["candidates"]]
    conflicts = [[rng.choice(inspectors), e] for e in drawable if rng.random() < 0.3]
    prior = [rng.sample(inspectors, 2) for _ in range(rng.randint(0, 20))]
    return dict(
        algorithm="anjian-draw-v1", strata=strata, mandatory=mandatory, inspectors=inspectors,
        conflicts=conflicts, prior_pairs=prior, team_size=rng.choice([2, 2, 3]),
        exclusions=[], parameters={"note": "ignored by the draw"},
    )  # fmt: skip


def test_commitment_is_sha256_of_the_hex_text():
    assert draw.commitment(KAT_SEED) == KAT_COMMITMENT
    assert draw.commitment(KAT_SEED) == hashlib.sha256(KAT_SEED.encode("ascii")).hexdigest()
    seed = draw.new_seed()
    assert draw.check_seed(seed) == bytes.fromhex(seed) and seed != draw.new_seed()


@pytest.mark.parametrize(
    "seed", [KAT_SEED.upper(), KAT_SEED[:-1], KAT_SEED + "0", "g" * 64, " " + KAT_SEED[1:],
             KAT_SEED + "\n", bytes(32), None, 0],
)  # fmt: skip
def test_malformed_seeds_are_refused(seed):
    with pytest.raises(draw.DrawError):
        draw.check_seed(seed)
    with pytest.raises(draw.DrawError):
        draw.commitment(seed)


def test_stream_known_answer():
    stream = draw.RandomStream(KAT_SEED, KAT_STREAM)
    assert [stream.next_u64() for _ in range(5)] == KAT_INTEGERS


@pytest.mark.parametrize("key", ["inspectors", KAT_STREAM, "", "a:b:7", "x" * 300])
def test_stream_agrees_with_reference(key):
    ours, theirs = draw.RandomStream(KAT_SEED, key), ref.integers(KAT_SEED, key)
    assert [ours.next_u64() for _ in range(41)] == list(itertools.islice(theirs, 41))


def test_below_rejects_from_m_times_floor_of_2_64_over_m():
    # For m = 2**63 + 1, floor(2**64 / m) = 1: every x >= m is thrown away, x < m is kept as is.
    m = 2**63 + 1
    for i in itertools.count():
        peek = draw.RandomStream(KAT_SEED, f"boundary-{i}")
        first, second, third = peek.next_u64(), peek.next_u64(), peek.next_u64()
        if first >= m > second:
            break
    stream = draw.RandomStream(KAT_SEED, f"boundary-{i}")
    assert stream.below(m) == second
    assert stream.next_u64() == third  # exactly one integer was rejected
    assert draw.RandomStream(KAT_SEED, KAT_STREAM).below(10) == KAT_INTEGERS[0] % 10
    stream = draw.RandomStream(KAT_SEED, KAT_STREAM)
    assert stream.below(1) == 0 and stream.next_u64() == KAT_INTEGERS[1]  # m = 1 still consumes
    assert draw.RandomStream(KAT_SEED, KAT_STREAM).below(2**64) == KAT_INTEGERS[0]


@pytest.mark.parametrize("m", [0, -1, 2**64 + 1, True, 1.5, "3"])
def test_below_refuses_bad_bounds(m):
    with pytest.raises(draw.DrawError):
        draw.RandomStream(KAT_SEED, KAT_STREAM).below(m)


@pytest.mark.parametrize(
    "rate, n, k",
    [("0.15", 20, 3), ("0.1", 10, 1), ("1", 7, 7), ("0", 7, 0), ("0.15", 21, 4), ("0.15", 0, 0),
     ("0.3", 10, 3), ("0.333", 1000, 333), ("0.0001", 1, 1), ("1.000", 3, 3),
     ("0.07", 100, 7), ("0.28", 25, 7)],  # floats give 7.000000000000001: a float ceil, 8
)  # fmt: skip
def test_quota_is_exact(rate, n, k):
    assert draw.quota(rate, n) == k == ref.quota(rate, n)


@pytest.mark.parametrize(
    "rate, n",
    [("1.5", 5), ("-0.1", 5), ("abc", 5), ("1e-1", 5), ("1/3", 5), (" 0.1", 5), ("", 5)]
    + [(".5", 5), ("5.", 5), ("１", 5), (0.15, 5), (None, 5), ("0.1", -1), ("0.1", True)],
)
def test_quota_refuses(rate, n):
    with pytest.raises(draw.DrawError):
        draw.quota(rate, n)


@pytest.mark.parametrize(
    "candidates, k, expected",
    [([], 0, []), (["b", "a", "c"], 0, []), (["c", "b", "a"], 3, None),  # None: any permutation
     ([f"e{i:02d}" for i in range(1, 11)], 3, ["e05", "e02", "e04"]),  # known answer
     ([f"e{i:02d}" for i in range(10, 0, -1)], 3, ["e05", "e02", "e04"])],  # order-free
)  # fmt: skip
def test_shuffle_select(candidates, k, expected):
    got = draw.shuffle_select(KAT_SEED, KAT_STREAM, candidates, k)
    assert got == ref.select(KAT_SEED, KAT_STREAM, candidates, k)
    assert got == expected if expected is not None else sorted(got) == sorted(candidates)


@pytest.mark.parametrize(
    "candidates, k", [(["a", "b"], 3), (["a", "b"], -1), (["a", "a"], 1), (["a", 1], 1), ("ab", 1)]
)
def test_shuffle_select_refuses(candidates, k):
    with pytest.raises(draw.DrawError):
        draw.shuffle_select(KAT_SEED, KAT_STREAM, candidates, k)


def test_every_candidate_is_drawn_with_the_expected_frequency():
    # n = 10, k = 3 over 3,000 fixed seeds: each count is Binomial(3000, 0.3), mean 900, sd 25.1;
    # each first place Binomial(3000, 0.1), mean 300, sd 16.4. Bounds at 5 sd (a fair draw
    # fails one with probability ~6e-6); the chi-square bound is its 0.1 % point for 9 degrees
    # of freedom, conservative here (sampling without replacement shrinks the variance).
    candidates = [f"c{i}" for i in range(10)]
    chosen, first = dict.fromkeys(candidates, 0), dict.fromkeys(candidates, 0)
    for i in range(3000):
        picked = draw.shuffle_select(seed_of(f"seed-{i}"), "stats", candidates, 3)
        assert len(set(picked)) == 3
        first[picked[0]] += 1
        for c in picked:
            chosen[c] += 1
    assert all(abs(c - 900) <= 5 * 25.1 for c in chosen.values()), chosen
    assert all(abs(c - 300) <= 5 * 16.4 for c in first.values()), first
    assert sum((c - 900) ** 2 / 900 for c in chosen.values()) < 27.88


def test_known_answer_draw():
    assert draw.run_draw(KAT_SEED, KAT_SNAPSHOT) == KAT_RESULT
    assert draw.verify_draw(KAT_SNAPSHOT, KAT_SEED, KAT_RESULT, KAT_COMMITMENT) == []


def test_the_document_shows_this_vector():
    text = DOCUMENT.read_text(encoding="utf-8")
    blocks = [b.split("```")[0] for b in text.split("```json\n")[1:]]
    blocks = [json.loads(b) for b in blocks if "…" not in b]  # not the format sketches
    assert KAT_SNAPSHOT in blocks and KAT_RESULT in blocks
    assert all(str(x) in text for x in [KAT_SEED, KAT_COMMITMENT, *KAT_INTEGERS])


@pytest.mark.parametrize("i", range(40))
def test_published_draw_is_rederived_by_the_reference(i):
    snapshot, seed = snapshot_of(i), seed_of(f"draw-{i}")
    # What an auditor holds: the published JSON, not our Python objects.
    published = json.loads(json.dumps(draw.run_draw(seed, snapshot), ensure_ascii=False))
    public_snapshot = json.loads(json.dumps(snapshot, ensure_ascii=False))
    assert ref.derive(seed, public_snapshot) == published
    assert draw.verify_draw(public_snapshot, seed, published, ref.commitment(seed)) == []


def stratum_edit(field, value):
    def edit(s):
        s["strata"][0][field] = value

    return edit


@pytest.mark.parametrize(
    "edit",
    [
        stratum_edit("n", 8), stratum_edit("k", 2),
        stratum_edit("k", 3.0),  # equal in Python, not in JSON
        stratum_edit("rate", "0.5"),  # k no longer matches
        stratum_edit("rate", "1.5"),
        stratum_edit("key", "inspectors"), stratum_edit("key", "正常/street-2"),
        stratum_edit("candidates", ["e07", "e06", "e05", "e04", "e03", "e02", "e02"]),
        stratum_edit("candidates", ["e07", "e06", "e05", "e04", "e03", "e02", "e11"]),
        lambda s: s.update(mandatory=["e20", "e01"]), lambda s: s.update(algorithm="v2"),
        lambda s: s.update(team_size=1), lambda s: s.update(inspectors=["i1", "i1", "i2"]),
        lambda s: s.update(conflicts=[["i1"]]), lambda s: s.pop("inspectors"),
    ],
)  # fmt: skip
def test_run_draw_refuses_inconsistent_snapshots(edit):
    snapshot = copy.deepcopy(KAT_SNAPSHOT)
    edit(snapshot)
    with pytest.raises(draw.DrawError):
        draw.run_draw(KAT_SEED, snapshot)
    assert draw.verify_draw(snapshot, KAT_SEED, KAT_RESULT) != []


def test_run_draw_names_an_enterprise_without_enough_inspectors():
    snapshot = copy.deepcopy(KAT_SNAPSHOT)
    snapshot["conflicts"] += [["i3", "e20"], ["i4", "e20"]]
    with pytest.raises(AssignmentError, match="e20") as caught:
        draw.run_draw(KAT_SEED, snapshot)
    assert caught.value.enterprise_id == "e20" and isinstance(caught.value, draw.DrawError)


@pytest.mark.parametrize(
    "tamper_snapshot, tamper_result, seed, promised, expect",
    [
        (None, lambda r: r["selections"][1].update(enterprise_id="e06"), KAT_SEED, None,
         "position 1: published 'e06', expected e03"),
        (None, lambda r: r["assignments"][2].update(inspectors=["i4", "i2"]), KAT_SEED,
         KAT_COMMITMENT, "enterprise e03: published inspectors"),
        (None, lambda r: r["selections"].reverse(), KAT_SEED, None, "another order"),
        (None, lambda r: r["assignments"].pop(), KAT_SEED, None, "e11: published inspectors None"),
        (None, lambda r: r.update(selections="x"), KAT_SEED, None, "not a list"),
        (None, lambda r: r["selections"][0].update(position=True), KAT_SEED, None, "not a list"),
        (None, lambda r: r["assignments"][0].update(extra=1), KAT_SEED, None, "another order"),
        (None, None, "ff" * 32, KAT_COMMITMENT, "commitment mismatch"),
        (None, None, KAT_SEED, "0" * 64, "commitment mismatch"),
        (None, None, KAT_SEED.upper(), None, "seed:"),
        (stratum_edit("candidates", ["e07", "e06", "e05", "e04", "e03", "e02"]), None,
         KAT_SEED, KAT_COMMITMENT, "n is 7 but 6 listed"),
        (lambda s: s["strata"][1]["candidates"].append("e15"), None, KAT_SEED, None,
         "n is 4 but 5 listed"),
        (lambda s: s["prior_pairs"].append(["i4", "i5"]), None, KAT_SEED, None, "e20: published"),
    ],
)  # fmt: skip
def test_verify_draw_reports_discrepancies(tamper_snapshot, tamper_result, seed, promised, expect):
    snapshot, result = copy.deepcopy(KAT_SNAPSHOT), copy.deepcopy(KAT_RESULT)
    for tamper, target in ((tamper_snapshot, snapshot), (tamper_result, result)):
        if tamper:
            tamper(target)
    problems = draw.verify_draw(snapshot, seed, result, promised)
    assert any(expect in p for p in problems), problems


def test_verify_draw_caps_the_detail():
    result = copy.deepcopy(draw.run_draw(seed_of("cap"), snapshot_of(3)))
    for a in result["assignments"]:
        a["inspectors"] = a["inspectors"][::-1]
    problems = draw.verify_draw(snapshot_of(3), seed_of("cap"), result)
    assert len(problems) == 11 and problems[-1].endswith("more like these")


def world(i: int):
    """A small adversarial world: few inspectors, many conflicts and prior pairs, teams of up
    to four, so that the conflict, pair and balance rules all bind."""
    rng = random.Random(f"world-{i}")
    inspectors = [f"i{x:02d}" for x in rng.sample(range(40), rng.randint(2, 12))]
    enterprises = [f"e{x}" for x in range(rng.randint(1, 60))]
    conflicts = {(rng.choice(inspectors), rng.choice(enterprises)) for _ in enterprises}
    conflicts = conflicts if rng.random() < 0.6 else set()
    prior = {
        frozenset(rng.sample(inspectors, 2)) for _ in range(rng.choice([0, 2 * len(inspectors)]))
    }
    hub, hub_rate = rng.choice(inspectors), rng.choice([0, 0, 0.9])  # paired with ~everyone
    prior |= {frozenset((hub, x)) for x in inspectors if x != hub and rng.random() < hub_rate}
    team_size = max(2, min(rng.choice([2, 2, 2, 3, 4]), len(inspectors)))
    return seed_of(f"world-{i}"), enterprises, inspectors, conflicts, prior, team_size


def assign_or_error(assigner, args):
    try:
        return assigner(*args)
    except ValueError as exc:  # AssignmentError is one; the reference raises a bare one
        return type(exc)


@pytest.mark.parametrize("chunk", range(8))
def test_assignment_agrees_with_reference_and_keeps_its_promises(chunk):
    for i in range(chunk * 150, (chunk + 1) * 150):
        seed, enterprises, inspectors, conflicts, prior, team_size = args = world(i)
        ours = assign_or_error(assign, args)
        theirs = assign_or_error(ref.teams, args)
        short = [
            e for e in enterprises if sum((x, e) not in conflicts for x in inspectors) < team_size
        ]
        if short:
            assert ours is AssignmentError and theirs is ValueError
            with pytest.raises(AssignmentError, match=short[0] + " "):
                assign(*args)
            continue
        assert ours == theirs
        check_promises(ours, inspectors, conflicts, prior, team_size)


def check_promises(result, inspectors, conflicts, prior, team_size, expect_balance=False):
    load, used = dict.fromkeys(inspectors, 0), set(prior)
    pair_rule_bound = False
    for row in result:
        e, team = row["enterprise_id"], row["inspectors"]
        eligible = [x for x in inspectors if (x, e) not in conflicts]
        assert len(set(team)) == len(team) == team_size
        assert all((x, e) not in conflicts for x in team)
        pairs = {frozenset(p) for p in itertools.combinations(team, 2)}
        if team_size == 2 and pairs <= used:
            # Brute force: a repeated pair only when every eligible pair is used.
            assert all(frozenset(p) in used for p in itertools.combinations(eligible, 2))
        # Balance: a member above the least load of the eligible not yet chosen is one the pair
        # rule forced; until that happens, loads without conflicts stay within one.
        for j, x in enumerate(team):
            free = [y for y in eligible if y not in team[:j]]
            pair_rule_bound |= load[x] > min(load[y] for y in free)
        for x in team:
            load[x] += 1
        used |= pairs
        if not conflicts and not pair_rule_bound:
            assert max(load.values()) - min(load.values()) <= 1
    assert not (expect_balance and pair_rule_bound)


@pytest.mark.parametrize("inspectors, team_size", [(2, 2), (9, 2), (60, 2), (60, 3), (25, 4)])
def test_without_conflicts_loads_stay_within_one_when_the_pair_rule_cannot_bind(
    inspectors, team_size
):
    # Every pair already used earlier in the plan: nothing is fresh, the pair rule falls back to
    # all eligible, and the least-loaded rule alone must keep loads within one at every step.
    people = [f"i{x:03d}" for x in range(inspectors)]
    everything = {frozenset(p) for p in itertools.combinations(people, 2)}
    enterprises = [f"e{x}" for x in range(700)]
    result = assign(seed_of("balance"), enterprises, people, set(), everything, team_size)
    check_promises(result, people, set(), everything, team_size, expect_balance=True)


@pytest.mark.parametrize("seed", [seed_of(f"hub-{i}") for i in range(5)])
def test_an_inspector_paired_with_everyone_waits_until_no_fresh_pair_is_left(seed):
    # "a" has the least load but every pair with it is used: b, c and d pair up first, and only
    # when their three pairs are used too does "a" come back, as the least loaded.
    prior = {frozenset(("a", x)) for x in "bcd"}
    result = assign(seed, ["e1", "e2", "e3", "e4"], ["a", "b", "c", "d"], set(), prior)
    assert [("a" in row["inspectors"]) for row in result] == [False, False, False, True]
    assert result == ref.teams(seed, ["e1", "e2", "e3", "e4"], list("abcd"), set(), prior, 2)


@pytest.mark.parametrize("team_size", [1, 0, True, "2"])
def test_assign_refuses_teams_below_two(team_size):
    with pytest.raises(draw.DrawError):
        assign(KAT_SEED, ["e1"], ["a", "b", "c"], set(), set(), team_size)
