"""Enterprise identity and profile rules. Pure."""

from __future__ import annotations

import enum

from app.messages import Msg

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V); the last is a check char.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class Sector(enum.StrEnum):
    HAZARDOUS_CHEMICALS = "hazardous_chemicals"
    NON_COAL_MINING = "non_coal_mining"
    CONSTRUCTION = "construction"
    FIRE_SAFETY = "fire_safety"
    METALLURGY_TRADE = "metallurgy_trade"
    SPECIAL_EQUIPMENT = "special_equipment"
    ROAD_TRANSPORT = "road_transport"
    AGRICULTURAL_MACHINERY = "agricultural_machinery"
    MARINE_FISHERY = "marine_fishery"


SECTOR_NAMES_ZH = {
    Sector.HAZARDOUS_CHEMICALS: "危险化学品",
    Sector.NON_COAL_MINING: "非煤矿山",
    Sector.CONSTRUCTION: "建筑施工",
    Sector.FIRE_SAFETY: "消防",
    Sector.METALLURGY_TRADE: "冶金工贸",
    Sector.SPECIAL_EQUIPMENT: "特种设备",
    Sector.ROAD_TRANSPORT: "道路运输",
    Sector.AGRICULTURAL_MACHINERY: "农业机械",
    Sector.MARINE_FISHERY: "海洋渔业",
}

# Safety standardization grade 一/二/三级; None means not graded.
STANDARDIZATION_GRADES = (1, 2, 3)

# Fields an enterprise admin may change on its own profile; the regulator may change all of these
# and the identity/supervision fields.
ENTERPRISE_EDITABLE = frozenset(
    {
        "address",
        "longitude",
        "latitude",
        "legal_representative",
        "safety_contact_name",
        "safety_contact_phone",
        "headcount",
    }
)
REGULATOR_EDITABLE = ENTERPRISE_EDITABLE | frozenset(
    {"name", "uscc", "sector", "industry", "region_id", "is_key", "standardization_grade"}
)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """None when `code` is a well-formed unified social credit code, else why not."""
    if len(code) != 18:
        return Msg("must be 18 characters")
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return Msg(
            "contains characters not allowed in a credit code: %(chars)s", chars="".join(bad)
        )
    if uscc_check_char(code[:17]) != code[17]:
        return Msg("check digit does not match")
    return None
