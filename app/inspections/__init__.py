"""Inspections: checklists, the inspector directory, annual plans, the double-random draw,
tablet records and their publication."""
