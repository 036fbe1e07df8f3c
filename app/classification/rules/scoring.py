"""Scoring one enterprise against a classification model, with a reason for every lost point.

Each item starts at its maximum and loses points for facts, never below 0 (扣完为止), so a
dimension stays within 0..max and its deductions add up exactly to what it lost. Deductions are
rounded to 0.01 point, the total to 0.1 (ROUND_HALF_UP); the level is read from that rounded
total, so the number shown and the level never disagree. Vetoes may only worsen the level.

The window is the trailing 365 days, (as_of − 365, as_of]: accidents and penalties outside it do
not count; danger and order counts arrive already windowed from the service. Certificates and
insurance are valid through their expiry date and count as missing from the day after.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.messages import Msg

from .model import (
    DIMENSION_LABELS_CN,
    Item,
    Level,
    Model,
    RulesError,
    Veto,
    VetoKind,
    default_model,
    to_json_number,
)

WINDOW_DAYS = 365
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_GRADE_CN = {1: "一级", 2: "二级", 3: "三级"}
_PRINCIPAL_CERT = "主要负责人安全生产知识和管理能力考核合格证"
_CASUALTY_PER = dict(
    deaths="per_death", serious_injuries="per_serious_injury", minor_injuries="per_minor_injury"
)


class FactsError(RulesError):
    """Facts about an enterprise that are malformed or contradict one another."""


@dataclass(frozen=True)
class Accident:
    date: datetime.date
    deaths: int = 0
    serious_injuries: int = 0
    minor_injuries: int = 0
    direct_loss: Decimal = Decimal(0)


@dataclass(frozen=True)
class Penalty:
    date: datetime.date
    amount: Decimal
    legal_basis: str = ""


# (part, whole): a part larger than its whole means the service counted over different sets.
_PARTS = (
    ("dangers_self_reported", "dangers_found"),
    ("dangers_closed_on_time", "dangers_due"),
    ("overdue_major_dangers", "overdue_dangers"),
    ("overdue_major_dangers", "open_major_dangers"),  # an overdue danger is still open
    ("orders_on_time", "orders_due"),
)


@dataclass(frozen=True)
class Facts:
    """Everything about one enterprise over the trailing 365 days ending `as_of`."""

    as_of: datetime.date
    principal_certificate_expires: datetime.date | None  # None: no certificate
    safety_manager_certificates_expire: tuple[datetime.date | None, ...]  # one per manager
    safety_managers_required: int
    special_operators_required: int  # people whose posts need a special-operation certificate
    special_operator_certificates_expire: tuple[datetime.date, ...]  # one per certified operator
    insurance_expires: datetime.date | None  # safety-liability insurance; None: not insured
    standardization_grade: int | None  # 1 (best), 2, 3, or None
    dangers_found: int
    dangers_self_reported: int
    dangers_due: int
    dangers_closed_on_time: int
    open_major_dangers: int
    overdue_dangers: int
    overdue_major_dangers: int
    accidents: tuple[Accident, ...]
    orders_due: int
    orders_on_time: int
    penalties: tuple[Penalty, ...]
    blacklisted: bool

    def __post_init__(self) -> None:
        for f in fields(self):
            if str(f.type).startswith("tuple["):  # accept any iterable; store it immutable
                object.__setattr__(self, f.name, tuple(getattr(self, f.name)))
        errors = _negative(self, [f.name for f in fields(self) if f.type == "int"])
        for i, a in enumerate(self.accidents):
            errors |= _negative(a, [f.name for f in fields(a)][1:], f"accidents[{i}].")  # not date
        for i, p in enumerate(self.penalties):
            errors |= _negative(p, ["amount"], f"penalties[{i}].")
        grade = self.standardization_grade
        if isinstance(grade, bool) or grade not in (None, *_GRADE_CN):
            errors["standardization_grade"] = [Msg("must be 1, 2, 3 or None")]
        for part, whole in _PARTS:
            if not {part, whole} & errors.keys() and getattr(self, part) > getattr(self, whole):
                errors.setdefault(part, []).append(Msg("cannot exceed %(whole)s", whole=whole))
        if errors:
            raise FactsError(errors)


@dataclass(frozen=True)
class Deduction:
    dimension: str
    points: Decimal
    reason: str  # Chinese, for the enterprise and the inspector
    facts: dict[str, Any]  # JSON-ready: the numbers and dates behind the reason
    item: str = ""  # the model item that deducted, e.g. "insurance"


@dataclass(frozen=True)
class VetoHit:
    kind: str
    effect: str  # "level" or "cap", as in the model
    level: Level
    reason: str
    facts: dict[str, Any]


@dataclass(frozen=True)
class Result:
    model_version: str
    total: Decimal  # 0..100, one decimal place
    dimensions: dict[str, Decimal]  # score per dimension code
    deductions: tuple[Deduction, ...]
    vetoes: tuple[str, ...]  # the Chinese reasons of the vetoes that fired
    computed_level: Level  # from the total alone
    level: Level  # after vetoes
    as_of: datetime.date
    maxima: dict[str, Decimal]  # maximum per dimension code, from the model
    veto_hits: tuple[VetoHit, ...]  # the same vetoes with kind, effect and facts

    def explanation(self) -> dict[str, Any]:
        """JSON-ready record of the whole result, stored beside the level it explains."""
        first_day = self.as_of - datetime.timedelta(days=WINDOW_DAYS - 1)  # the window, inclusive
        return {
            "model_version": self.model_version,
            "as_of": self.as_of.isoformat(),
            "window": {"from": first_day.isoformat(), "to": self.as_of.isoformat()},
            "total": to_json_number(self.total),
            "computed_level": str(self.computed_level),
            "computed_level_cn": self.computed_level.label_cn,
            "level": str(self.level),
            "level_cn": self.level.label_cn,
            "dimensions": {
                code: {
                    "label_cn": DIMENSION_LABELS_CN[code],
                    "score": to_json_number(value),
                    "max": to_json_number(self.maxima[code]),
                }
                for code, value in self.dimensions.items()
            },
            "deductions": [
                {**asdict(d), "points": to_json_number(d.points)} for d in self.deductions
            ],
            "vetoes": [asdict(h) for h in self.veto_hits],  # Level is a str: JSON-ready
        }


def score(facts: Facts, model: Model | None = None) -> Result:
    model = model or default_model()
    # Narrowed once here, so that no item or veto can see an event outside the window.
    start = facts.as_of - datetime.timedelta(days=WINDOW_DAYS)
    facts = replace(
        facts,
        accidents=[a for a in facts.accidents if start < a.date <= facts.as_of],
        penalties=[p for p in facts.penalties if start < p.date <= facts.as_of],
    )
    deductions = []
    for (dimension, name), measure in MEASURES.items():
        item = model.dimensions[dimension].items[name]
        if (found := measure(facts, item)) is None:
            continue
        raw, reason, data = found
        points = min(raw, item.maximum).quantize(_CENT, ROUND_HALF_UP)
        if points <= 0:
            continue
        deductions.append(Deduction(dimension, points, reason, data, name))
    dimensions = {
        code: dim.maximum - sum((d.points for d in deductions if d.dimension == code), Decimal(0))
        for code, dim in model.dimensions.items()
    }
    total = sum(dimensions.values(), Decimal(0)).quantize(_TENTH, ROUND_HALF_UP)
    computed = model.level_for(total)
    hits = tuple(hit for veto in model.vetoes if (hit := _veto(veto, facts)) is not None)
    return Result(
        model_version=model.version,
        total=total,
        dimensions=dimensions,
        deductions=tuple(deductions),
        vetoes=tuple(h.reason for h in hits),
        computed_level=computed,
        level=Level.worst(computed, *(h.level for h in hits)),
        as_of=facts.as_of,
        maxima={code: dim.maximum for code, dim in model.dimensions.items()},
        veto_hits=hits,
    )


# --- the items: each returns (uncapped points to deduct, reason, facts) or None ---------------

_Found = tuple[Decimal, str, dict[str, Any]] | None


def _valid(expires: datetime.date | None, as_of: datetime.date) -> bool:
    return expires is not None and expires >= as_of


def _document(field: str, name: str, missing: str) -> Callable[[Facts, Item], _Found]:
    # The whole item is lost while the document is missing or expired.
    def measure(f: Facts, item: Item) -> _Found:
        if _valid(expires := getattr(f, field), f.as_of):
            return None
        reason = missing if expires is None else f"{name}已于 {expires.isoformat()} 过期"
        return item.maximum, reason, {"expires": expires and expires.isoformat()}

    return measure


def _safety_managers(f: Facts, item: Item) -> _Found:
    certs = f.safety_manager_certificates_expire
    staffed, required = len(certs), f.safety_managers_required
    valid = sum(_valid(d, f.as_of) for d in certs)
    expired = sum(d is not None and d < f.as_of for d in certs)
    if (short := max(0, required - valid)) == 0:
        return None
    # An empty post is worse than a manager whose certificate lapsed, so it costs more.
    unstaffed = max(0, required - staffed)
    raw = unstaffed * item.params["per_unstaffed"]
    raw += (short - unstaffed) * item.params["per_uncertified"]
    parts = [f"应配持证安全管理人员 {required} 名，实配 {staffed} 名、持有效证书 {valid} 名"]
    if expired:
        parts.append(f"{expired} 名证书已过期")
    if uncertified := staffed - valid - expired:
        parts.append(f"{uncertified} 名无证书")
    data = {"required": required, "staffed": staffed, "valid": valid, "expired": expired}
    return raw, "，".join(parts), data


def _special_operators(f: Facts, item: Item) -> _Found:
    certs, required = f.special_operator_certificates_expire, f.special_operators_required
    valid = sum(_valid(d, f.as_of) for d in certs)
    if (short := max(0, required - valid)) == 0:
        return None
    parts = []
    if expired := len(certs) - valid:
        parts.append(f"{expired} 名特种作业人员证书已过期")
    if never := max(0, required - len(certs)):
        parts.append(f"{never} 个特种作业岗位无人持证")
    reason = "，".join(parts) + f"（需持证 {required} 人，持有效证书 {valid} 人）"
    data = {"required": required, "valid": valid, "expired": expired}
    return item.maximum * short / required, reason, data


def _standardization(f: Facts, item: Item) -> _Found:
    grade = f.standardization_grade
    points = item.params["points_by_grade"]["none" if grade is None else str(grade)]
    reason = "未取得安全生产标准化等级" if grade is None else f"安全生产标准化{_GRADE_CN[grade]}"
    return item.maximum - points, reason, {"grade": grade, "points": to_json_number(points)}


def _closure_rate(f: Facts, item: Item) -> _Found:
    due, closed = f.dangers_due, f.dangers_closed_on_time
    if due:
        rate = (Decimal(100) * closed / due).quantize(_TENTH, ROUND_HALF_UP).normalize()
        reason = f"评价期内到期隐患 {due} 条，按期整改 {closed} 条（按期整改率 {rate:f}%）"
        return item.maximum - item.maximum * closed / due, reason, {"due": due, "closed": closed}
    if f.dangers_self_reported:
        return None
    # Nothing due and nothing reported proves nothing: silence must not earn full marks.
    reason = "评价期内无到期隐患，且企业未自查自报任何隐患，按期整改情况无从证明"
    return item.maximum - item.params["silent_points"], reason, {"due": 0, "self_reported": 0}


def _per_entry(field: str, param: str, text: str) -> Callable[[Facts, Item], _Found]:
    """An item losing `param` points for each entry counted in `field`, until it is spent."""

    def measure(f: Facts, item: Item) -> _Found:
        if not (n := getattr(f, field)):
            return None
        return n * item.params[param], text.format(n=n), {field: n}

    return measure


def _self_inspection(f: Facts, item: Item) -> _Found:
    n = f.dangers_self_reported
    points = [t.points for t in item.params["tiers"] if t.min_reported <= n][-1]
    reason = f"评价期内自查自报隐患仅 {n} 条" if n else "评价期内未自查自报任何隐患"
    data = {"self_reported": n, "found": f.dangers_found, "points": to_json_number(points)}
    return item.maximum - points, reason, data


def _casualties(f: Facts, item: Item) -> _Found:
    if not (accidents := f.accidents):
        return None
    p = item.params
    counts = {k: sum(getattr(a, k) for a in accidents) for k in _CASUALTY_PER}
    raw = len(accidents) * p["per_accident"]
    raw += sum(counts[k] * p[per] for k, per in _CASUALTY_PER.items())
    reason = (
        f"评价期内发生生产安全事故 {len(accidents)} 起（死亡 {counts['deaths']} 人、"
        f"重伤 {counts['serious_injuries']} 人、轻伤 {counts['minor_injuries']} 人）"
    )
    data: dict[str, Any] = {"accidents": [_event_json(a) for a in accidents], **counts}
    return raw, reason, data


def _orders_on_time(f: Facts, item: Item) -> _Found:
    due, on_time = f.orders_due, f.orders_on_time
    if on_time == due:  # none due counts as full marks: no order, nothing to comply with
        return None
    reason = f"评价期内到期整改指令 {due} 份，按期完成 {on_time} 份"
    return item.maximum - item.maximum * on_time / due, reason, {"due": due, "on_time": on_time}


def _penalties(f: Facts, item: Item) -> _Found:
    if not (penalties := f.penalties):
        return None
    amount = sum((p.amount for p in penalties), Decimal(0))
    reason = f"评价期内受到行政处罚 {len(penalties)} 次，罚款合计 {amount:f} 元"
    data = {"penalties": [_event_json(p) for p in penalties], "amount": f"{amount:f}"}
    return len(penalties) * item.params["per_penalty"], reason, data


MEASURES: dict[tuple[str, str], Callable[[Facts, Item], _Found]] = {
    ("safety_conditions", "principal_certificate"): _document(
        "principal_certificate_expires", _PRINCIPAL_CERT, f"{_PRINCIPAL_CERT}缺失"
    ),
    ("safety_conditions", "safety_managers"): _safety_managers,
    ("safety_conditions", "special_operators"): _special_operators,
    ("safety_conditions", "insurance"): _document(
        "insurance_expires", "安全生产责任保险", "未投保安全生产责任保险"
    ),
    ("standardization", "grade"): _standardization,
    ("hidden_dangers", "closure_rate"): _closure_rate,
    ("hidden_dangers", "open_major"): _per_entry(
        "open_major_dangers", "per_danger", "现有未整改的重大事故隐患 {n} 条"
    ),
    ("hidden_dangers", "overdue"): _per_entry(
        "overdue_dangers", "per_entry", "{n} 条隐患逾期未整改"
    ),
    ("hidden_dangers", "self_inspection"): _self_inspection,
    ("accidents", "casualties"): _casualties,
    ("enforcement", "orders_on_time"): _orders_on_time,
    ("enforcement", "penalties"): _penalties,
}


def _veto(veto: Veto, f: Facts) -> VetoHit | None:
    fatal = [a for a in f.accidents if a.deaths]
    serious = sum(a.serious_injuries for a in f.accidents)
    if veto.kind is VetoKind.FATAL_ACCIDENT and fatal:
        deaths = sum(a.deaths for a in fatal)
        text = f"评价期内发生死亡事故 {len(fatal)} 起、死亡 {deaths} 人"
        data: dict[str, Any] = {"deaths": deaths, "dates": [a.date.isoformat() for a in fatal]}
    elif veto.kind is VetoKind.SERIOUS_INJURIES and serious >= (veto.threshold or 1):
        text = f"评价期内事故重伤 {serious} 人（达到 {veto.threshold} 人）"
        data = {"serious_injuries": serious, "threshold": veto.threshold}
    elif veto.kind is VetoKind.BLACKLISTED and f.blacklisted:
        text, data = "被列入安全生产严重失信主体名单（黑名单）", {"blacklisted": True}
    elif veto.kind is VetoKind.OVERDUE_MAJOR_DANGER and (n := f.overdue_major_dangers):
        text, data = f"{n} 条重大事故隐患逾期未整改", {"overdue_major_dangers": n}
    else:
        return None
    verb = "直接评为" if veto.effect == "level" else "最高评为"
    reason = f"{text}，{verb}{veto.level.label_cn}级"
    return VetoHit(str(veto.kind), veto.effect, veto.level, reason, data)


def _event_json(event: Accident | Penalty) -> dict[str, Any]:
    # JSON has neither dates nor decimals: ISO dates, and money as exact decimal strings.
    out = {**asdict(event), "date": event.date.isoformat()}
    return {k: f"{v:f}" if isinstance(v, Decimal) else v for k, v in out.items()}


def _negative(obj: Any, names: list[str], prefix: str = "") -> dict[str, list[str]]:
    # Negative counts or sums can only come from a bug upstream, and would earn points here.
    return {
        prefix + n: ["must not be negative"]
        for n in names
        if isinstance(getattr(obj, n), bool) or not getattr(obj, n) >= 0
    }
