"""The chain arithmetic, on synthetic chains: every tamper names the first bad entry."""

import json

import pytest

from app.audit import rules

KEY = "k"


def chain(n: int, name: str = "c") -> list[rules.ChainRow]:
    rows, prev = [], rules.GENESIS
    for seq in range(1, n + 1):
        payload = rules.canonical_json({"chain": name, "seq": seq, "after": {"x": seq}})
        digest = rules.link_hash(prev, payload)
        rows.append(rules.ChainRow(seq, name, payload, prev, digest))
        prev = digest
    return rows


def checkpoint(row: rules.ChainRow) -> rules.Checkpoint:
    return rules.Checkpoint(
        row.seq, row.hash, rules.sign_checkpoint(KEY, row.chain, row.seq, row.hash)
    )


def modify(row: rules.ChainRow) -> rules.ChainRow:
    body = json.loads(row.payload)
    body["after"]["x"] = -1
    return rules.ChainRow(row.seq, row.chain, rules.canonical_json(body), row.prev_hash, row.hash)


def forge_from(rows, i):
    """Rewrite row i and recompute every later hash: only a checkpoint can tell."""
    out, prev = list(rows[:i]), rows[i - 1].hash if i else rules.GENESIS
    for row in rows[i:]:
        payload = modify(row).payload if row.seq == rows[i].seq else row.payload
        digest = rules.link_hash(prev, payload)
        out.append(rules.ChainRow(row.seq, row.chain, payload, prev, digest))
        prev = digest
    return out


def test_clean_chain_verifies():
    rows = chain(50)
    verdict = rules.verify_chain("c", rows, [checkpoint(rows[29])], KEY)
    assert verdict.ok and verdict.events == 50


@pytest.mark.parametrize(
    "tamper, first_bad",
    [
        (lambda r: r[:10] + [modify(r[10])] + r[11:], 11),
        (lambda r: r[:20] + r[21:], 21),
        (lambda r: r[:5] + [r[6], r[5]] + r[7:], 6),
        (
            lambda r: (
                r[:30] + [rules.ChainRow(31, "c", r[30].payload, "f" * 64, r[30].hash)] + r[31:]
            ),
            31,
        ),
    ],
    ids=["modify", "delete", "swap", "prev-hash"],
)
def test_tamper_names_first_bad_entry(tamper, first_bad):
    verdict = rules.verify_chain("c", tamper(chain(50)), [], KEY)
    assert not verdict.ok
    assert verdict.first_bad_seq == first_bad


def test_truncated_tail_is_caught_by_checkpoint():
    rows = chain(50)
    assert rules.verify_chain("c", rows[:40], [], KEY).ok  # without a checkpoint: undetectable
    verdict = rules.verify_chain("c", rows[:40], [checkpoint(rows[44])], KEY)
    assert not verdict.ok and verdict.first_bad_seq == 41


def test_forged_recomputed_chain_is_caught_by_checkpoint():
    rows = chain(50)
    cp = checkpoint(rows[44])
    forged = forge_from(rows, 20)
    assert rules.verify_chain("c", forged, [], KEY).ok  # internally consistent
    verdict = rules.verify_chain("c", forged, [cp], KEY)
    assert not verdict.ok and verdict.first_bad_seq == 45


def test_forged_checkpoint_signature_is_rejected():
    rows = chain(10)
    bad = rules.Checkpoint(10, rows[9].hash, "0" * 64)
    assert rules.verify_chain("c", rows, [bad], KEY).reason == "checkpoint signature invalid"


def test_payload_must_match_its_position():
    rows = chain(3)
    other = chain(3, name="other")
    mixed = [
        rows[0],
        rules.ChainRow(
            2,
            "c",
            other[1].payload,
            rows[1].prev_hash,
            rules.link_hash(rows[1].prev_hash, other[1].payload),
        ),
        rows[2],
    ]
    assert rules.verify_chain("c", mixed, [], KEY).first_bad_seq == 2


def test_columns_must_say_what_the_payload_says():
    rows = chain(5)
    body = json.loads(rows[2].payload)
    honest = {k: body.get(k) for k in rules.MIRRORED}
    good = [
        rules.ChainRow(
            r.seq,
            r.chain,
            r.payload,
            r.prev_hash,
            r.hash,
            {k: json.loads(r.payload).get(k) for k in rules.MIRRORED},
        )
        for r in rows
    ]
    assert rules.verify_chain("c", good, [], KEY).ok
    forged = dict(honest, action="delete")
    good[2] = rules.ChainRow(3, "c", rows[2].payload, rows[2].prev_hash, rows[2].hash, forged)
    verdict = rules.verify_chain("c", good, [], KEY)
    assert not verdict.ok and verdict.first_bad_seq == 3 and "action" in verdict.reason
