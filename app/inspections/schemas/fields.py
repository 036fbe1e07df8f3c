"""Field helpers the inspection schemas share."""

from __future__ import annotations

from marshmallow import fields, validate


def one_of(enum) -> validate.OneOf:
    return validate.OneOf([str(m) for m in enum])


def required_text(max_len: int, **kw) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_len), **kw)


def optional_text(max_len: int, **kw) -> fields.String:
    return fields.String(validate=validate.Length(max=max_len), allow_none=True, **kw)


def latitude() -> fields.Decimal:
    return fields.Decimal(
        places=6, as_string=True, allow_none=True, validate=validate.Range(min=-90, max=90)
    )


def longitude() -> fields.Decimal:
    return fields.Decimal(
        places=6, as_string=True, allow_none=True, validate=validate.Range(min=-180, max=180)
    )
