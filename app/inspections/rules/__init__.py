"""Pure rules of the inspections domain: stdlib only, no Flask, no database, no clock.

draw.py is anjian-draw-v1, the published double-random draw (docs/draw-anjian-v1.md): seed and
commitment, the per-stratum selection, inspector assignment (assign.py) and verification.
"""
