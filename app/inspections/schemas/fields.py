"""Field helpers the inspection schemas share."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from app.messages import Msg


def one_of(enum) -> validate.OneOf:
    return validate.OneOf([str(m) for m in enum])


def required_text(max_len: int, **kw) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_len), **kw)


def optional_text(max_len: int, **kw) -> fields.String:
    return fields.String(validate=validate.Length(max=max_len), allow_none=True, **kw)


class StrictBoolean(fields.Boolean):
    """JSON true or false only: marshmallow's Boolean also takes 0, 1, "yes" and "on", which a
    contract that says boolean should refuse."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value


class Coordinate(fields.Decimal):
    """A WGS-84 coordinate as a decimal string with 6 places, within ±bound. The bound is
    checked here rather than with a Range: a Decimal bound would be documented as a string,
    which is not a valid OpenAPI maximum."""

    def __init__(self, bound: int, **kwargs):
        self.bound = bound
        metadata = {"description": "WGS-84, decimal degrees", "minimum": -bound, "maximum": bound}
        super().__init__(places=6, as_string=True, allow_none=True, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        if number is not None and not (number.is_finite() and abs(number) <= self.bound):
            raise ValidationError(Msg("must be between -%(bound)s and %(bound)s", bound=self.bound))
        return number


def latitude() -> Coordinate:
    return Coordinate(90)


def longitude() -> Coordinate:
    return Coordinate(180)
