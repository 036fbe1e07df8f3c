"""Risks: the enterprise's safety risk list (安全风险清单) and how each risk is graded.

A risk list is the set of an enterprise's risk points (风险点). A risk point sits in an area and
has a type (site, equipment/facility, routine operation, special operation, management), the
activity or equipment concerned, its hazard factors, the accidents it could lead to (GB 6441-2025
basic type codes), control measures in five categories (engineering, management, training,
personal protection, emergency), a control tier, a responsible department and person, and a
control status (in control / warning / out of control).

Each risk point is assessed twice: inherent risk (固有风险, as if no controls were in place) and
residual risk (现实风险, with the controls as they are). An assessment uses one method:
LEC (D = L×E×C), LS (R = L×S on 1–5 scales) or direct judgement (a risk declared major outright,
with its reason). The result is one of four levels, each with a fixed color:
重大 major = red, 较大 significant = orange, 一般 general = yellow, 低 low = blue.

Invariants:
- Only the standard factor values are accepted (LEC L 10/6/3/1/0.5/0.2/0.1, E 10/6/3/2/1/0.5,
  C 100/40/15/7/3/1; LS L and S 1–5); anything else is rejected naming the allowed values.
- Direct judgement always yields major and always carries a reason.
- The score → level bands and the level → control tier table are an authority's convention, held
  as data (`rules.GradingConfig`, default in data/grading_default.json: LEC D ≥ 320 red,
  160–<320 orange, 70–<160 yellow, < 70 blue; LS 20–25 red, 15–16 orange, 9–12 yellow, 1–8 blue;
  red → company, orange → department, yellow → workshop, blue → post). A convention covers every
  possible score exactly once, never lowers the level as the score rises, and never puts a higher
  risk under a lower tier. A stored assessment records the convention version that graded it.
- A published risk list is a frozen version (who, when); regulators read published lists only.
- An enterprise's four-color grade is the highest residual level of its published risk points,
  only ever raised by its major hazard sources and major hidden dangers; the grade lists every
  rule that fired and the version of the thresholds (data/enterprise_color_rules.json).
- rules/ is pure: no Flask, no database, no clock; everything it needs is passed in.
"""
