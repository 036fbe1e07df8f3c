"""Closed vocabularies of the hidden-danger domain.

Values are stable lower-case codes stored in the database and sent over the API; the Chinese
labels are what the ledger export and the enterprise's staff show, so each enum carries one.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label_cn(self) -> str:
        # Keyed by class as well as value: members of different enums compare equal as str
        # (Severity.MAJOR == "major" == any other enum's "major").
        return _LABELS_CN[type(self)][self.value]


class Source(_Labelled):
    """Where an entry came from; the entry also keeps a link back to that record."""

    SELF_INSPECTION = "self_inspection"
    STAFF_REPORT = "staff_report"
    INSPECTION_FINDING = "inspection_finding"
    TIP_OFF = "tip_off"
    REGULATOR_ENTRY = "regulator_entry"


class Category(_Labelled):
    """16号令 Art.3: an unsafe state of things, an unsafe act of people, or a management defect."""

    UNSAFE_CONDITION = "unsafe_condition"
    UNSAFE_ACT = "unsafe_act"
    MANAGEMENT_DEFECT = "management_defect"


class Severity(_Labelled):
    """The statutory scheme has two tiers (FACTS §3.1); internal 较大 tiers are not modelled."""

    GENERAL = "general"
    MAJOR = "major"


class State(_Labelled):
    REPORTED = "reported"
    RECTIFYING = "rectifying"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


class Action(_Labelled):
    START_RECTIFICATION = "start_rectification"
    SUBMIT_FOR_ACCEPTANCE = "submit_for_acceptance"
    ACCEPT = "accept"  # a general one passes acceptance (验收) and is closed with it
    REJECT = "reject"  # acceptance refused: back to rectifying
    CLOSE = "close"  # 销号 of a major one, the regulator's alone
    CANCEL = "cancel"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"


class ActorKind(_Labelled):
    """Who acts on a ledger entry. Values match accounts' roles where they overlap; the service
    maps an authority admin to REGULATOR (`actor_kind_for_role`). SYSTEM is the daily job: it
    marks overdue entries and escalates them but moves no entry from one state to another."""

    ENTERPRISE_ADMIN = "enterprise_admin"
    ENTERPRISE_STAFF = "enterprise_staff"
    REGULATOR = "regulator"
    INSPECTOR = "inspector"
    SYSTEM = "system"


OPEN_STATES = frozenset({State.REPORTED, State.RECTIFYING, State.AWAITING_ACCEPTANCE})
TERMINAL_STATES = frozenset({State.CLOSED, State.CANCELLED})

# Role values of app.accounts (not imported: rules depend on nothing else in the project).
# A platform admin runs the platform and acts on no ledger, so it has no kind.
_ROLE_KIND = {
    "authority_admin": ActorKind.REGULATOR,
    "regulator": ActorKind.REGULATOR,
    "inspector": ActorKind.INSPECTOR,
    "enterprise_admin": ActorKind.ENTERPRISE_ADMIN,
    "enterprise_staff": ActorKind.ENTERPRISE_STAFF,
}


def actor_kind_for_role(role: str) -> ActorKind | None:
    """The actor kind of an account role, None for a role that never acts on a ledger."""
    return _ROLE_KIND.get(str(role))


_LABELS_CN: dict[type[StrEnum], dict[str, str]] = {
    Source: {
        "self_inspection": "企业自查",
        "staff_report": "员工报告",
        "inspection_finding": "执法检查发现",
        "tip_off": "社会举报",
        "regulator_entry": "监管部门录入",
    },
    Category: {
        "unsafe_condition": "物的不安全状态",
        "unsafe_act": "人的不安全行为",
        "management_defect": "管理上的缺陷",
    },
    Severity: {"general": "一般事故隐患", "major": "重大事故隐患"},
    State: {
        "reported": "已登记",
        "rectifying": "整改中",
        "awaiting_acceptance": "待验收",
        "closed": "已销号",
        "cancelled": "已撤销",
    },
    Action: {
        "start_rectification": "开始整改",
        "submit_for_acceptance": "提交验收",
        "accept": "验收通过",
        "reject": "验收不通过",
        "close": "销号",
        "cancel": "撤销",
        "request_extension": "申请延期",
        "grant_extension": "批准延期",
        "refuse_extension": "不予延期",
    },
    ActorKind: {
        "enterprise_admin": "企业管理员",
        "enterprise_staff": "企业员工",
        "regulator": "监管人员",
        "inspector": "执法人员",
        "system": "系统",
    },
}
