"""anjian-draw-v1: the published, verifiable double-random draw (docs/draw-anjian-v1.md).

Commit–reveal: the plan publishes the snapshot and commitment(seed) first and reveals the seed
after the draw; anyone can then re-run run_draw(seed, snapshot) and compare. Everything here is a
pure function of (seed, snapshot) — no clock, no database, no process-wide random state — so
that an outside auditor who reimplements the document gets byte-for-byte the same result.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction

from .assign import AssignmentError, assign
from .stream import (
    ALGORITHM,
    INSPECTOR_STREAM,
    DrawError,
    RandomStream,
    check_seed,
    commitment,
    new_seed,
)

__all__ = [
    "ALGORITHM",
    "INSPECTOR_STREAM",
    "AssignmentError",
    "DrawError",
    "RandomStream",
    "check_seed",
    "commitment",
    "new_seed",
    "quota",
    "run_draw",
    "shuffle_select",
    "verify_draw",
]

# Plain decimals only ("0.15", "1", "0.100"): one reading per rate, no exponents, fractions or
# signs that another implementation's parser might take differently.
_RATE = re.compile(r"[0-9]+(\.[0-9]+)?")
_DETAIL_LIMIT = 10  # per kind of discrepancy; a wholesale mismatch should not print 100,000 lines


def quota(rate: str, n: int) -> int:
    """ceil(rate × n), exactly: "0.07" is 7/100, never the binary float near it, which would
    turn 0.07 × 100 = 7 into ceil(7.000000000000001) = 8."""
    if not isinstance(rate, str) or _RATE.fullmatch(rate) is None:
        raise DrawError(f"a rate must be a decimal string such as '0.15', not {rate!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise DrawError(f"a stratum size must be a non-negative integer, not {n!r}")
    exact = Fraction(rate)
    if exact > 1:
        raise DrawError(f"a rate must lie between 0 and 1, not {rate!r}")
    return -((-exact.numerator * n) // exact.denominator)


def _distinct_ids(ids, what: str) -> list[str]:
    if not isinstance(ids, list) or any(not isinstance(i, str) for i in ids):
        raise DrawError(f"{what} must be a list of id strings")
    if len(set(ids)) != len(ids):
        raise DrawError(f"{what} contain a duplicate id")
    return ids


def shuffle_select(seed_hex: str, stratum_key: str, candidate_ids: list[str], k: int) -> list[str]:
    """The first k of a partial Fisher–Yates shuffle of the candidates sorted by id, driven by the
    stream `stratum_key`. Sorting first makes the result independent of the order the database
    happened to return; every ordered k-subset is equally likely."""
    ids = sorted(_distinct_ids(candidate_ids, "candidates"))
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= len(ids):
        raise DrawError(f"cannot select {k!r} of {len(ids)} candidates")
    stream = RandomStream(seed_hex, stratum_key)
    for i in range(k):
        j = i + stream.below(len(ids) - i)
        ids[i], ids[j] = ids[j], ids[i]
    return ids[:k]


@dataclass(frozen=True)
class _Stratum:
    key: str
    rate: str
    candidates: list[str]
    k: int  # from rate and candidates, not the snapshot's own figure


@dataclass(frozen=True)
class _Snapshot:
    strata: list[_Stratum]
    mandatory: list[str]
    inspectors: list[str]
    conflicts: set[tuple[str, str]]
    prior_pairs: set[frozenset]
    team_size: int


def _pairs(value, what: str) -> list[tuple[str, str]]:
    if not isinstance(value, list) or any(
        not isinstance(p, list) or len(p) != 2 or not all(isinstance(x, str) for x in p)
        for p in value
    ):
        raise DrawError(f"{what} must be a list of [id, id] pairs")
    return [(a, b) for a, b in value]


def _read_snapshot(snapshot) -> tuple[_Snapshot, list[str]]:
    """The snapshot, and the stated n / k that disagree with its candidates and rates. Those are
    returned rather than raised so that verify_draw can report them and still re-derive the
    draw from what the figures should have been; anything it cannot re-derive from raises."""
    if not isinstance(snapshot, dict):
        raise DrawError("the snapshot must be a JSON object")
    if snapshot.get("algorithm") != ALGORITHM:
        algorithm = snapshot.get("algorithm")
        raise DrawError(f"the snapshot's algorithm is {algorithm!r}, not {ALGORITHM}")
    raw_strata = snapshot.get("strata")
    if not isinstance(raw_strata, list) or any(not isinstance(s, dict) for s in raw_strata):
        raise DrawError("the snapshot's strata must be a list of objects")
    strata, mismatches, keys = [], [], set()
    for s in raw_strata:
        key = s.get("key")
        if not isinstance(key, str) or key in keys or key == INSPECTOR_STREAM:
            # A repeated key, or the inspectors' key, would replay another stream's integers.
            raise DrawError(f"stratum key {key!r} is not a string distinct from the others")
        keys.add(key)
        candidates = _distinct_ids(s.get("candidates"), f"stratum {key}'s candidates")
        k = quota(s.get("rate"), len(candidates))
        if not _exactly(s.get("n"), len(candidates)):
            mismatches.append(f"stratum {key}: n is {s.get('n')!r} but {len(candidates)} listed")
        if not _exactly(s.get("k"), k):
            mismatches.append(
                f"stratum {key}: k is {s.get('k')!r} but rate {s['rate']} of"
                f" {len(candidates)} candidates gives {k}"
            )
        strata.append(_Stratum(key, s["rate"], candidates, k))
    mandatory = _distinct_ids(snapshot.get("mandatory", []), "mandatory enterprises")
    every = mandatory + [c for s in strata for c in s.candidates]
    if len(set(every)) != len(every):
        # Otherwise one enterprise could be drawn twice, or both drawn and mandatory.
        raise DrawError("an enterprise appears in more than one stratum or list")
    team_size = snapshot.get("team_size", 2)
    if isinstance(team_size, bool) or not isinstance(team_size, int) or team_size < 2:
        raise DrawError(f"the team size must be an integer of at least 2, not {team_size!r}")
    parsed = _Snapshot(
        strata=strata,
        mandatory=mandatory,
        inspectors=_distinct_ids(snapshot.get("inspectors"), "inspectors"),
        conflicts=set(_pairs(snapshot.get("conflicts", []), "conflicts")),
        prior_pairs={frozenset(p) for p in _pairs(snapshot.get("prior_pairs", []), "prior pairs")},
        team_size=team_size,
    )
    return parsed, mismatches


def _selections(seed_hex: str, snap: _Snapshot) -> list[dict]:
    return [
        {"stratum": s.key, "position": i, "enterprise_id": e}
        for s in snap.strata
        for i, e in enumerate(shuffle_select(seed_hex, s.key, s.candidates, s.k))
    ]


def _assignments(seed_hex: str, snap: _Snapshot, selections: list[dict]) -> list[dict]:
    enterprises = snap.mandatory + [s["enterprise_id"] for s in selections]
    return assign(
        seed_hex, enterprises, snap.inspectors, snap.conflicts, snap.prior_pairs, snap.team_size
    )


def run_draw(seed_hex: str, snapshot: dict) -> dict:
    """Selection per stratum in the snapshot's order, then the inspector teams: mandatory
    enterprises first (snapshot order), then the selections in order."""
    check_seed(seed_hex)
    snap, mismatches = _read_snapshot(snapshot)
    if mismatches:
        raise DrawError("inconsistent snapshot: " + "; ".join(mismatches))
    selections = _selections(seed_hex, snap)
    return {
        "algorithm": ALGORITHM,
        "selections": selections,
        "assignments": _assignments(seed_hex, snap, selections),
    }


def _exactly(published, expected) -> bool:
    """Equal as JSON, not merely as Python values: True == 1 and 1.0 == 1 in Python, but a
    published `true` or `1.0` is not what the algorithm outputs, and an auditor's own
    implementation would say so."""
    try:
        return json.dumps(published, sort_keys=True) == json.dumps(expected, sort_keys=True)
    except (TypeError, ValueError):
        return False


def _limited(lines: list[str]) -> list[str]:
    if len(lines) <= _DETAIL_LIMIT:
        return lines
    return lines[:_DETAIL_LIMIT] + [f"... and {len(lines) - _DETAIL_LIMIT} more like these"]


def _selection_problems(expected: list[dict], published) -> list[str]:
    if _exactly(published, expected):
        return []
    if not isinstance(published, list) or any(
        not isinstance(s, dict)
        or not isinstance(s.get("stratum"), str)
        or type(s.get("position")) is not int
        or not isinstance(s.get("enterprise_id"), str)
        for s in published
    ):
        return ["the published selections are not a list of {stratum, position, enterprise_id}"]
    want: dict[str, list[str]] = {}
    for s in expected:
        want.setdefault(s["stratum"], []).append(s["enterprise_id"])
    got: dict = {}
    for s in published:
        got.setdefault(s["stratum"], {})[s["position"]] = s["enterprise_id"]
    problems = [f"stratum {key}: published but not in the snapshot" for key in got.keys() - want]
    for key, ids in want.items():
        positions = got.get(key, {})
        wrong = [
            f"stratum {key} position {i}: published {positions.get(i)!r}, expected {e}"
            for i, e in enumerate(ids)
            if positions.get(i) != e
        ]
        wrong += [
            f"stratum {key} position {p}: published {positions[p]!r}, expected none"
            for p in sorted(positions)
            if not 0 <= p < len(ids)
        ]
        problems += wrong
    if not problems:
        problems = ["the published selections are right but listed in another order or shape"]
    return _limited(problems)


def _assignment_problems(expected: list[dict], published) -> list[str]:
    if _exactly(published, expected):
        return []
    if not isinstance(published, list) or any(
        not isinstance(a, dict)
        or not isinstance(a.get("enterprise_id"), str)
        or not isinstance(a.get("inspectors"), list)
        for a in published
    ):
        return ["the published assignments are not a list of {enterprise_id, inspectors}"]
    want = {a["enterprise_id"]: a["inspectors"] for a in expected}
    got = {a["enterprise_id"]: a["inspectors"] for a in published}
    problems = [f"enterprise {e}: assigned but not expected" for e in got.keys() - want]
    problems += [
        f"enterprise {e}: published inspectors {got.get(e)!r}, expected {team}"
        for e, team in want.items()
        if got.get(e) != team
    ]
    if not problems:
        problems = ["the published assignments are right but listed in another order or shape"]
    return _limited(problems)


def verify_draw(
    snapshot: dict, seed_hex: str, published: dict, published_commitment: str | None = None
) -> list[str]:
    """Human-readable discrepancies between a published draw and its re-derivation from the
    snapshot and the revealed seed; an empty list means verified. Never raises on bad input:
    an auditor should get a reason, not a traceback."""
    try:
        check_seed(seed_hex)
    except DrawError as exc:
        return [f"seed: {exc}"]
    problems = []
    if published_commitment is not None and commitment(seed_hex) != published_commitment:
        problems.append(
            f"commitment mismatch: sha256 of the seed is {commitment(seed_hex)},"
            f" the published commitment is {published_commitment!r}"
        )
    try:
        snap, mismatches = _read_snapshot(snapshot)
    except DrawError as exc:
        return problems + [f"snapshot: {exc}"]
    problems += mismatches
    if not isinstance(published, dict):
        return problems + ["the published result is not a JSON object"]
    if published.get("algorithm") != ALGORITHM:
        problems.append(f"the published algorithm is {published.get('algorithm')!r}")
    selections = _selections(seed_hex, snap)
    problems += _selection_problems(selections, published.get("selections"))
    try:
        assignments = _assignments(seed_hex, snap, selections)
    except DrawError as exc:
        return problems + [f"the assignment cannot be re-derived: {exc}"]
    return problems + _assignment_problems(assignments, published.get("assignments"))
