"""Enterprises (生产经营单位): each belongs to exactly one authority and one region.

- The unified social credit code (统一社会信用代码, GB 32100-2015) is validated with its check digit
  and unique within an authority.
- Enterprise users see only their own enterprise; a street-level regulator sees the enterprises of
  its street; other regulators and inspectors see all of their authority's.
- An enterprise admin edits its own profile fields (contacts, address, headcount, location); the
  regulator edits the rest (identity, sector, region, supervision flags) and deactivates.
"""
