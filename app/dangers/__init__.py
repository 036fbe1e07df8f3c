"""Dangers: the hidden-danger ledger (隐患台账), where enterprises and the regulator meet daily.

A hidden danger (事故隐患, 16号令 Art.3) is a breach of safety law, standards or internal rules,
or another condition, that could lead to an accident: an unsafe condition of things, an unsafe
act of people, or a management defect. Each enterprise has one ledger, fed from every source:
its own self-inspection, a staff report, an inspector's finding, a public tip-off, or the
regulator's own entry; an entry keeps its source and a link back to it.

Severity has the two statutory tiers. A general one (一般) is easy to fix and fixed at once. A
major one (重大) needs suspension and time, or outside help; it is reported to the regulator and
placed under its supervision (挂牌督办) as soon as it is recorded as major. For a chemical
enterprise (sector hazardous_chemicals) a major one may cite one of the 20 criteria of
安监总管三〔2017〕121号 (data/chem_major_criteria_2017.csv, codes CHEM2017-01 … -20).

The closed loop: reported → rectifying → awaiting acceptance → closed, with a rejected
acceptance going back to rectifying and cancellation (a regulator, with a reason) from any open
state. A general one is accepted by the enterprise admin or authority staff, which closes it; a
major one is closed out (销号) by the regulator alone. Extensions are asked for in writing within
the 10 days before the deadline and answered by the regulator: granted with a new deadline or
refused with a reason. An entry is overdue from the day after its deadline (a calendar date in
Asia/Shanghai) while it is open; a daily job marks overdue entries, once per day, and notifies
the enterprise admin, and the regulator too for a major one.

Invariants:
- An entry is never lost: no step deletes one; cancelled and closed are final and kept.
- No step is skipped: every change of state is a row of rules.TRANSITIONS; anything else is
  refused (409) naming the current state and the steps this actor may take.
- Nothing is closed unaccepted: the only ways to closed are accept (general) and close (major),
  both from awaiting acceptance, and only the regulator closes a major one; a major one can be
  downgraded only by the regulator.
- A major one is never in rectification without its plan's five in place (measures,
  responsible person, funds, deadline, contingency plan; 措施、责任、资金、时限、预案).
- Reject, cancel and an extension refusal always carry a reason; every step is audited with who
  and why.
- Windows (extension window, answer and re-check days, default deadlines) come from
  data/timelines.json, which marks each value statutory, customary or a default.
- rules/ is pure: no Flask, no database, no clock; `today` is always passed in.
"""
