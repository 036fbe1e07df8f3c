"""Inspector assignment of anjian-draw-v1: a team per enterprise, step by step as in
docs/draw-anjian-v1.md §7 (a reimplementation must reproduce it exactly).

Per enterprise, in order: the eligible inspectors are those without a conflict for it. Member 1
is drawn among the eligible that still have an unused ("fresh") pair with another eligible
inspector — all eligible if none has; every next member among the eligible not yet chosen whose
pairs with all chosen members are fresh — all of those if none is. Within that set the member is
drawn uniformly among the ones with the least load (the stream "inspectors", `below`), over the
candidates sorted by id. Then the members' loads grow by one and the team's pairs become used.

Guarantees: no member has a conflict; exactly `team_size` distinct members, or AssignmentError
naming the first enterprise with fewer eligible inspectors; with team_size 2, a pair is repeated
(from prior_pairs or earlier in the draw) only when every pair of the enterprise's eligible
inspectors is already used. Balance is the next priority, never bought with a repeated pair:
each member has the least load the rules above allow, so with no conflicts loads differ by at
most one while the pair rule never has to pass over a least-loaded inspector.

Speed: loads are kept as buckets of sorted inspector indices, and conflicts, chosen members and
used partners are counted out of a bucket as rare exclusions instead of rebuilding the candidate
list, so a pick costs about O(exclusions + log inspectors) rather than O(inspectors).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Collection

from app.messages import Msg

from .stream import INSPECTOR_STREAM, DrawError, RandomStream


class AssignmentError(DrawError):
    """An enterprise has fewer eligible (conflict-free) inspectors than the team size."""

    def __init__(self, enterprise_id: str, eligible: int, team_size: int):
        self.enterprise_id = enterprise_id
        super().__init__(
            Msg(
                "enterprise %(enterprise)s has %(eligible)s eligible inspector(s) without a"
                " conflict, fewer than the team size %(team)s",
                enterprise=enterprise_id,
                eligible=eligible,
                team=team_size,
            )
        )


class _Loads:
    """Inspector indices bucketed by load, each bucket sorted; a draw among the least loaded
    candidates never enumerates a bucket."""

    def __init__(self, count: int):
        self.load = [0] * count
        self.buckets: dict[int, list[int]] = {0: list(range(count))} if count else {}
        self.levels: list[int] = [0] if count else []  # loads with a non-empty bucket, ascending

    def pick(self, stream: RandomStream, excluded: Collection[int]) -> int:
        """The least-loaded index outside `excluded`, uniform among them in index order."""
        load = self.load
        for level in self.levels:
            bucket = self.buckets[level]
            # Usually the first level serves, so only its exclusions are ever located.
            skip = sorted(bisect_left(bucket, x) for x in excluded if load[x] == level)
            available = len(bucket) - len(skip)
            if available <= 0:
                continue
            # The r-th bucket entry that is not excluded: step over excluded positions <= it.
            position = stream.below(available)
            for p in skip:
                if p > position:
                    break
                position += 1
            return bucket[position]
        raise AssertionError("no candidate left although the counts said there was one")

    def add_one(self, x: int) -> None:
        level = self.load[x]
        bucket = self.buckets[level]
        del bucket[bisect_left(bucket, x)]
        if not bucket:
            del self.buckets[level]
            self.levels.remove(level)
        self.load[x] = level + 1
        if level + 1 not in self.buckets:
            self.buckets[level + 1] = []
            insort(self.levels, level + 1)
        insort(self.buckets[level + 1], x)


def assign(
    seed_hex: str,
    enterprise_ids: list[str],
    inspectors: list[str],
    conflicts: set[tuple[str, str]],
    prior_pairs: set[frozenset],
    team_size: int = 2,
) -> list[dict]:
    """[{"enterprise_id", "inspectors": [ids in the order drawn]}] for each enterprise, in order.

    conflicts holds (inspector id, enterprise id); prior_pairs the pairs already used earlier in
    the plan. Entries naming unknown inspectors are ignored: they cannot affect any pick."""
    if isinstance(team_size, bool) or not isinstance(team_size, int) or team_size < 2:
        raise DrawError(f"the team size must be an integer of at least 2, not {team_size!r}")
    ids = sorted(inspectors)
    if any(not isinstance(i, str) for i in ids) or len(set(ids)) != len(ids):
        raise DrawError("inspector ids must be distinct strings")
    if len(set(enterprise_ids)) != len(enterprise_ids):
        raise DrawError("an enterprise may be assigned only once per draw")
    index = {inspector: i for i, inspector in enumerate(ids)}
    conflicted: dict[str, set[int]] = {}
    for inspector, enterprise in conflicts:
        if inspector in index:
            conflicted.setdefault(enterprise, set()).add(index[inspector])
    used: list[set[int]] = [set() for _ in ids]
    for pair in prior_pairs:
        members = {index.get(x) for x in pair}
        if len(members) == 2 and None not in members:
            a, b = members
            used[a].add(b)
            used[b].add(a)

    # Only an inspector already paired with nearly everyone can lack a fresh partner; keeping
    # those few apart spares a scan of all inspectors per enterprise.
    most_conflicts = max((len(conflicted.get(e, ())) for e in enterprise_ids), default=0)
    crowded_from = len(ids) - 1 - most_conflicts
    crowded = {x for x, partners in enumerate(used) if len(partners) >= crowded_from}

    loads = _Loads(len(ids))
    stream = RandomStream(seed_hex, INSPECTOR_STREAM)
    result = []
    for enterprise in enterprise_ids:
        out = conflicted.get(enterprise, set())
        eligible = len(ids) - len(out)
        if eligible < team_size:
            raise AssignmentError(enterprise, eligible, team_size)
        # Member 1: not one whose every eligible partner is used, unless all are like that.
        stale = {
            x for x in crowded if x not in out and len(used[x]) - len(used[x] & out) >= eligible - 1
        }
        team = [loads.pick(stream, out | stale if len(stale) < eligible else out)]
        while len(team) < team_size:
            taken = out.union(team)
            partners_used = set().union(*(used[y] for y in team)) - taken
            if eligible - len(team) > len(partners_used):
                taken |= partners_used
            team.append(loads.pick(stream, taken))
        for i, x in enumerate(team):
            loads.add_one(x)
            for y in team[i + 1 :]:
                used[x].add(y)
                used[y].add(x)
        crowded.update(x for x in team if len(used[x]) >= crowded_from)
        result.append({"enterprise_id": enterprise, "inspectors": [ids[x] for x in team]})
    return result
