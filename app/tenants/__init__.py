"""Tenants: regulatory authorities (the SaaS customer) and their region trees.

- An authority has a short name used in document numbers (e.g. 连开), unique on the platform.
- Regions form a tree inside one authority: street (街道/片区) → community (社区/村) → grid (网格).
  A street has no parent; a community's parent is a street; a grid's parent is a community.
  Every region knows its street (`street_id`, itself for a street), which is what street-level
  regulators are limited by.
"""
