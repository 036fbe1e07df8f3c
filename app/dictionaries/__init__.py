"""Dictionaries: the codes, Chinese labels and order of every closed vocabulary of the API,
and the standard value tables, in one public, cacheable document (GET /api/v1/dictionaries)."""
