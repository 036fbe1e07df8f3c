"""JSON in and out: Chinese stays readable, and hostile nesting is a 400, never a 500."""

from __future__ import annotations

from flask.json.provider import DefaultJSONProvider


class AnjianJSON(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False  # Chinese stays readable in responses

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # Flask turns ValueError into a 400; RecursionError would escape as a 500.
            raise ValueError("JSON nested too deeply") from None
