"""Pure rules of the risk domain: stdlib only, no Flask, no database, no clock.

Split by concern (enums, reference data, grading config, evaluation, accident types, enterprise
color); import from here, the modules' layout is not part of the API.
"""

from .accidents import (
    accident_type,
    accident_type_for_name,
    is_accident_type_code,
    validate_accident_type_codes,
)
from .enterprise_color import (
    HAZARD_SOURCE_LEVELS,
    ColorRule,
    EnterpriseColorRules,
    EnterpriseGrade,
    Reason,
    default_color_rules,
    grade_enterprise,
)
from .enums import (
    AssessmentKind,
    AssessmentMethod,
    Color,
    ControlMeasureCategory,
    ControlStatus,
    ControlTier,
    RiskLevel,
    RiskPointType,
)
from .errors import (
    AccidentTypeError,
    AssessmentError,
    EnterpriseColorInputError,
    GradingConfigError,
    InvalidInput,
)
from .evaluation import Evaluation, allowed_values, evaluate
from .grading import Band, GradingConfig, default_grading_config, score_domain
from .reference import AccidentType, FactorValue, accident_types, lec_values, ls_values

__all__ = [
    "HAZARD_SOURCE_LEVELS",
    "AccidentType",
    "AccidentTypeError",
    "AssessmentError",
    "AssessmentKind",
    "AssessmentMethod",
    "Band",
    "Color",
    "ColorRule",
    "ControlMeasureCategory",
    "ControlStatus",
    "ControlTier",
    "EnterpriseColorInputError",
    "EnterpriseColorRules",
    "EnterpriseGrade",
    "Evaluation",
    "FactorValue",
    "GradingConfig",
    "GradingConfigError",
    "InvalidInput",
    "Reason",
    "RiskLevel",
    "RiskPointType",
    "accident_type",
    "accident_type_for_name",
    "accident_types",
    "allowed_values",
    "default_color_rules",
    "default_grading_config",
    "evaluate",
    "grade_enterprise",
    "is_accident_type_code",
    "lec_values",
    "ls_values",
    "score_domain",
    "validate_accident_type_codes",
]
