"""The OpenAPI document, generated from the marshmallow schemas by flask-smorest."""

import yaml
from flask import Flask


def spec_yaml(app: Flask) -> str:
    return yaml.safe_dump(
        app.extensions["anjian_api"].spec.to_dict(), allow_unicode=True, sort_keys=False
    )
