"""Use cases of the risk domain. Never commits. Split by concern: settings and evaluation
(`points`), publishing (`lists`), four-color grading (`grading`), the map's roll-ups (`maps`)."""
