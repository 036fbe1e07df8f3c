"""An independent anjian-draw-v1, written from docs/draw-anjian-v1.md alone, as an outside
auditor would: no app import, and deliberately other means (a generator of integers sliced with
int.from_bytes, a sparse-swap Fisher–Yates, manual decimal parsing, a brute-force assignment
that rescans every inspector at every pick). Slow, but obviously the text of the document: if
this and app.inspections.rules.draw ever disagree, one of them misreads the document."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from collections.abc import Iterator

HEX = set("0123456789abcdef")


def seed_bytes(seed: str) -> bytes:
    if len(seed) != 64 or not set(seed) <= HEX:
        raise ValueError("bad seed")
    return bytes(int(seed[i : i + 2], 16) for i in range(0, 64, 2))


def commitment(seed: str) -> str:
    seed_bytes(seed)
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def integers(seed: str, key: str) -> Iterator[int]:
    secret = seed_bytes(seed)
    for j in itertools.count():
        block = hmac.new(secret, f"{key}:{j}".encode(), hashlib.sha256).digest()
        for offset in range(0, 32, 8):
            yield int.from_bytes(block[offset : offset + 8], "big")


def bounded(source: Iterator[int], m: int) -> int:
    zone = (2**64 // m) * m
    return next(x for x in source if x < zone) % m


def quota(rate: str, n: int) -> int:
    whole, dot, fraction = rate.partition(".")
    digits = whole + fraction
    if not whole or (dot and not fraction) or not digits.isascii() or not digits.isdigit():
        raise ValueError("bad rate")
    numerator, denominator = int(digits), 10 ** len(fraction)
    if numerator > denominator:
        raise ValueError("rate above 1")
    return (numerator * n + denominator - 1) // denominator


def select(seed: str, key: str, candidates: list[str], k: int) -> list[str]:
    ordered = sorted(candidates)
    source = integers(seed, key)
    moved: dict[int, str] = {}  # only the positions a swap touched
    chosen = []
    for i in range(k):
        j = i + bounded(source, len(ordered) - i)
        at_i, at_j = moved.get(i, ordered[i]), moved.get(j, ordered[j])
        moved[i], moved[j] = at_j, at_i
        chosen.append(at_j)
    return chosen


def teams(seed, enterprises, inspectors, conflicts, prior_pairs, team_size) -> list[dict]:
    source = integers(seed, "inspectors")
    people = sorted(inspectors)
    load = dict.fromkeys(people, 0)
    used = {frozenset(p) for p in prior_pairs}

    def fresh(a, b):
        return frozenset((a, b)) not in used

    def least_loaded(pool):
        low = min(load[x] for x in pool)
        tied = [x for x in pool if load[x] == low]
        return tied[bounded(source, len(tied))]

    out = []
    for enterprise in enterprises:
        eligible = [x for x in people if (x, enterprise) not in conflicts]
        if len(eligible) < team_size:
            raise ValueError(f"too few inspectors for {enterprise}")
        pool = [x for x in eligible if any(fresh(x, y) for y in eligible if y != x)]
        team = [least_loaded(pool or eligible)]
        while len(team) < team_size:
            rest = [x for x in eligible if x not in team]
            pool = [x for x in rest if all(fresh(x, y) for y in team)]
            team.append(least_loaded(pool or rest))
        for x in team:
            load[x] += 1
        used.update(frozenset((a, b)) for a in team for b in team if a != b)
        out.append({"enterprise_id": enterprise, "inspectors": team})
    return out


def derive(seed: str, snapshot: dict) -> dict:
    """The published result of a draw, re-derived from its snapshot and revealed seed."""
    selections = []
    for stratum in snapshot["strata"]:
        n, k = len(stratum["candidates"]), quota(stratum["rate"], len(stratum["candidates"]))
        if (stratum["n"], stratum["k"]) != (n, k):
            raise ValueError(f"stratum {stratum['key']}: n/k do not match")
        picked = select(seed, stratum["key"], stratum["candidates"], k)
        selections += [
            {"stratum": stratum["key"], "position": p, "enterprise_id": e}
            for p, e in enumerate(picked)
        ]
    enterprises = list(snapshot.get("mandatory", [])) + [s["enterprise_id"] for s in selections]
    return {
        "algorithm": "anjian-draw-v1",
        "selections": selections,
        "assignments": teams(
            seed,
            enterprises,
            snapshot["inspectors"],
            {tuple(c) for c in snapshot.get("conflicts", [])},
            snapshot.get("prior_pairs", []),
            snapshot.get("team_size", 2),
        ),
    }
