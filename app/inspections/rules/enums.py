"""Closed vocabularies of the inspections domain: stable lower-case codes stored and sent over
the API. CHECK constraints in the models repeat them."""

from __future__ import annotations

from enum import StrEnum


class ConflictKind(StrEnum):
    """Why an inspector must step aside (回避, 行政处罚法 Art.43)."""

    FORMER_EMPLOYER = "former_employer"
    RELATIVE = "relative"
    OTHER = "other"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class Stratification(StrEnum):
    """How a plan divides its candidates: one stratum, or class × street."""

    NONE = "none"
    CLASS_REGION = "class_region"


class ExclusionReason(StrEnum):
    SUSPENDED = "suspended"
    INSPECTED_THIS_PERIOD = "inspected_this_period"
    OTHER = "other"
    # Recorded by the draw itself, never entered by hand:
    INACTIVE = "inactive"
    CAP_REACHED = "cap_reached"
    MANDATORY = "mandatory"  # a key enterprise or one below the floor: inspected, not drawn


MANUAL_EXCLUSIONS = (
    ExclusionReason.SUSPENDED,
    ExclusionReason.INSPECTED_THIS_PERIOD,
    ExclusionReason.OTHER,
)


class DrawStatus(StrEnum):
    COMMITTED = "committed"  # commitment and snapshot published, seed still secret
    DRAWN = "drawn"  # seed revealed, result published, tasks made
    SUPERSEDED = "superseded"  # replaced by a re-draw (kept and still published)


class TaskKind(StrEnum):
    RANDOM = "random"  # drawn (一般检查)
    KEY = "key"  # a key enterprise at its fixed cycle (重点检查)
    FLOOR = "floor"  # below the plan's annual floor
    REINSPECTION = "reinspection"  # 复查


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class InspectionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ItemResult(StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"


class FileKind(StrEnum):
    PHOTO = "photo"
    SIGNATURE = "signature"


class Signer(StrEnum):
    INSPECTOR = "inspector"
    RESPONSIBLE_PERSON = "responsible_person"  # the enterprise's on-site responsible person


class Verdict(StrEnum):
    """A re-inspection's finding on one earlier finding."""

    RECTIFIED = "rectified"
    NOT_RECTIFIED = "not_rectified"


class Outcome(StrEnum):
    NO_FINDINGS = "no_findings"
    FINDINGS = "findings"  # hidden dangers recorded, rectification ordered
    ALL_RECTIFIED = "all_rectified"  # a re-inspection that closed every finding
    NOT_ALL_RECTIFIED = "not_all_rectified"
