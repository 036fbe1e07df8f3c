"""anjian-draw-v1 at county scale, next to random.sample over the same ids in the same run.

No database: the draw is a pure function of (seed, snapshot). The world is fixed by --world-seed:
100,000 enterprises (uuid text) in 3 classes × 20 streets = 60 strata, 1 % of them mandatory
(key enterprises, not drawn, but staffed), the rest candidates drawn at rate 0.15; 2,000
inspectors; 4,000 conflicts; 6,000 pairs already used earlier in the plan. That makes about
15,000 selections and 16,000 teams of two.

Measured (wall clock, time.perf_counter, median of --runs, a new seed per run):

- run_draw: the whole draw, selection and assignment, as the service calls it;
- of which the selection (shuffle_select per stratum, including its sort) and the assignment;
- verify_draw: what an auditor runs (the draw again, plus the comparison);
- floor: random.sample(ids, k) over the same candidate ids and the same total k, and the same
  after sorting them (the draw sorts, random.sample does not need to); ratio = draw / floor.

It also prints the quality of the assignment: load spread (max − min), pairs repeated, members
with a conflict (must be 0) and the teams' size. --reference also re-derives one draw with
tests/inspections/reference_draw.py (slow: a brute-force assignment) and checks equality.

    PYTHONPATH=. .venv/bin/python -m bench.draw [--enterprises N --inspectors M --runs R]
        [--reference]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import random
import statistics
import time
import uuid
from collections import Counter

from app.inspections.rules import draw
from app.inspections.rules.assign import assign
from tests.inspections import reference_draw

CLASSES = ("一般", "正常", "重点")
STREETS = 20
RATE = "0.15"


def world(enterprises: int, inspectors: int, seed: int) -> dict:
    rng = random.Random(seed)

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    ids = [uid() for _ in range(enterprises)]
    mandatory = ids[: enterprises // 100]
    strata: dict[str, list[str]] = {}
    for e in ids[len(mandatory) :]:
        key = f"{rng.choice(CLASSES)}/street-{rng.randrange(STREETS):02d}"
        strata.setdefault(key, []).append(e)
    people = [uid() for _ in range(inspectors)]
    return {
        "algorithm": draw.ALGORITHM,
        "strata": [
            {
                "key": key,
                "rate": RATE,
                "n": len(members),
                "k": draw.quota(RATE, len(members)),
                "candidates": members,
            }
            for key, members in sorted(strata.items())
        ],
        "mandatory": mandatory,
        "inspectors": people,
        "conflicts": [[rng.choice(people), rng.choice(ids)] for _ in range(2 * inspectors)],
        "prior_pairs": [rng.sample(people, 2) for _ in range(3 * inspectors)],
        "team_size": 2,
        "exclusions": [],
        "parameters": {"rate": RATE},
    }


def timed(fn, runs: int) -> tuple[float, list]:
    """Median seconds over `runs` calls of fn(i), and the results."""
    times, results = [], []
    for i in range(runs):
        t0 = time.perf_counter()
        results.append(fn(i))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), results


def seed(i: int) -> str:
    return hashlib.sha256(f"bench-draw-{i}".encode()).hexdigest()


def quality(snapshot: dict, result: dict) -> str:
    conflicts = {tuple(c) for c in snapshot["conflicts"]}
    used = {frozenset(p) for p in snapshot["prior_pairs"]}
    loads = Counter(dict.fromkeys(snapshot["inspectors"], 0))
    bad = sizes = repeated = 0
    for row in result["assignments"]:
        team = row["inspectors"]
        bad += sum((x, row["enterprise_id"]) in conflicts for x in team)
        sizes += len(set(team)) == snapshot["team_size"]
        loads.update(team)
        pairs = {frozenset(p) for p in itertools.combinations(team, 2)}
        repeated += len(pairs & used)
        used |= pairs
    return (
        f"teams {len(result['assignments']):,} (all of size {snapshot['team_size']}:"
        f" {sizes == len(result['assignments'])}), loads {min(loads.values())}–"
        f"{max(loads.values())} (spread {max(loads.values()) - min(loads.values())}),"
        f" pairs repeated {repeated}, members with a conflict {bad}"
    )


def machine() -> str:
    model = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"machine: {os.cpu_count()} cores ({model}), Python {platform.python_version()},"
        f" load average {os.getloadavg()[0]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--world-seed", type=int, default=1)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    snapshot = world(args.enterprises, args.inspectors, args.world_seed)
    candidates = [c for s in snapshot["strata"] for c in s["candidates"]]
    k_total = sum(s["k"] for s in snapshot["strata"])
    print(machine())
    print(
        f"world: {args.enterprises:,} enterprises ({len(snapshot['mandatory']):,} mandatory,"
        f" {len(snapshot['strata'])} strata at rate {RATE}, {k_total:,} to draw),"
        f" {args.inspectors:,} inspectors, {len(snapshot['conflicts']):,} conflicts,"
        f" {len(snapshot['prior_pairs']):,} prior pairs; snapshot JSON"
        f" {len(json.dumps(snapshot, ensure_ascii=False).encode()) / 1e6:.1f} MB,"
        f" built in {time.perf_counter() - t0:.1f} s"
    )

    def select(i):
        return [
            draw.shuffle_select(seed(i), s["key"], s["candidates"], s["k"])
            for s in snapshot["strata"]
        ]

    def staff(i):
        chosen = [e for picked in select(i) for e in picked]
        return assign(
            seed(i),
            snapshot["mandatory"] + chosen,
            snapshot["inspectors"],
            {tuple(c) for c in snapshot["conflicts"]},
            {frozenset(p) for p in snapshot["prior_pairs"]},
        )

    floor, _ = timed(lambda i: random.Random(i).sample(candidates, k_total), args.runs)
    floor_sorted, _ = timed(
        lambda i: random.Random(i).sample(sorted(candidates), k_total), args.runs
    )
    whole, results = timed(lambda i: draw.run_draw(seed(i), snapshot), args.runs)
    selection, _ = timed(select, args.runs)
    staffing, _ = timed(staff, args.runs)  # includes a selection, subtracted below
    verify, verdicts = timed(
        lambda i: draw.verify_draw(snapshot, seed(i), results[i], draw.commitment(seed(i))),
        args.runs,
    )
    assert all(v == [] for v in verdicts), verdicts[0][:5]

    rows = [
        ("random.sample(ids, k)", floor),
        ("random.sample(sorted(ids), k)", floor_sorted),
        ("run_draw (whole draw)", whole),
        ("  of which selection (60 strata)", selection),
        ("  of which assignment", staffing - selection),
        ("verify_draw", verify),
    ]
    print(f"{'median of ' + str(args.runs):<34}{'ms':>10}{'/sample':>10}{'/sorted':>10}")
    for name, seconds in rows:
        print(
            f"{name:<34}{seconds * 1000:>10.1f}{seconds / floor:>10.1f}"
            f"{seconds / floor_sorted:>10.1f}"
        )
    print(f"ratio run_draw / random.sample: {whole / floor:.1f}")
    print("assignment: " + quality(snapshot, results[0]))
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    if args.reference:
        t0 = time.perf_counter()
        same = reference_draw.derive(seed(0), snapshot) == results[0]
        print(f"reference_draw re-derivation: equal={same} in {time.perf_counter() - t0:.1f} s")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
