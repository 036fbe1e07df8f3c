"""Major hazard sources (危险化学品重大危险源) under GB 18218-2018.

A major hazard source is a production unit or a storage unit that holds hazardous chemicals at
or above their critical quantity. A production unit is the installations between shut-off
valves; a storage unit is a tank farm within its dike or a warehouse within its own building.
Each unit is identified and graded on its own; an enterprise has a major hazard source when any
of its units is one.

Invariants:

- Quantities are the design maximum quantities in tonnes (4.2.2), never the current stock.
- Identification: Σ qᵢ/Qᵢ ≥ 1, the boundary included. Q comes from Table 1 for the 85 named
  chemicals, else from Table 2 by hazard category, the lowest Q when several apply.
- Grading: R = α · Σ βᵢ·qᵢ/Qᵢ; β from Table 3 for the 14 named toxic gases, else Table 4 by
  category; α from the resident population within 500 m of the plant boundary. Level 1 (一级,
  the highest) R ≥ 100, 2: 50 ≤ R < 100, 3: 10 ≤ R < 50, 4: R < 10. A unit that is not a major
  hazard source has no level.
- Every result carries its terms (q, Q and its table, β and its table and category) and the
  version of the reference data it was computed with, so it can be explained and recomputed.
- Bad input is rejected as a whole, naming each bad substance; there is no partial result.

`rules` is the pure engine (stdlib only); its conventions for what the standard leaves open are
in its docstring and in data/GB18218-2018/README.md.
"""
