"""The OpenAPI document, generated from the marshmallow schemas by flask-smorest."""

import yaml

from app.extensions import api


def spec_yaml() -> str:
    return yaml.safe_dump(api.spec.to_dict(), allow_unicode=True, sort_keys=False)
