"""Build the demo world through the same services the API uses (so it is scoped and audited)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts import passwords
from app.accounts.models import User
from app.accounts.rules import Role
from app.db import commit
from app.demo import classification as demo_classification
from app.demo import dangers as demo_dangers
from app.demo import hazards as demo_hazards
from app.demo import inspections as demo_inspections
from app.demo import risks as demo_risks
from app.enterprises import service as enterprises
from app.enterprises.rules import USCC_ALPHABET, Sector, uscc_check_char
from app.tenancy import Scope
from app.tenants import service as tenants
from app.tenants.models import Authority

DEMO_PASSWORD = "anjian-demo"  # noqa: S105 - documented demo credential, demo command only

# The four mountain areas (片区) and their villages/communities, from the planning documents.
REGION_TREE = {
    "北片": ["云门", "江庄", "山后"],
    "中片": ["东巷", "黄岭", "东诸朝", "西诸朝"],
    "南片": ["隔村", "金苏", "魏庵"],
    "西片": ["焦庄", "范庄", "胜利"],
}

HC, PH = Sector.HAZARDOUS_CHEMICALS, "医药制造"
# name, sector, industry, community, is_key, standardization grade, headcount
ENTERPRISES = [
    ("连云港恒瑞化工有限公司", HC, "基础化学原料制造", "云门", True, 2, 420),
    ("连云港康盛医药科技有限公司", HC, PH, "云门", True, 2, 860),
    ("江苏海晨氯碱化工有限公司", HC, "氯碱", "江庄", True, 1, 1250),
    ("连云港华润燃气储配站", HC, "液化石油气储存", "山后", True, 2, 65),
    ("连云港德邦精细化工有限公司", HC, "精细化工", "东巷", True, 3, 180),
    ("江苏正康制药有限公司", HC, PH, "东巷", True, 2, 970),
    ("连云港金海甲醇储运有限公司", HC, "危化品仓储", "黄岭", True, 3, 48),
    ("连云港博越原料药有限公司", HC, PH, "东诸朝", False, 3, 320),
    ("连云港天源液氨储备站", HC, "液氨储存", "西诸朝", True, None, 36),
    ("江苏豪森医药化学有限公司", HC, PH, "隔村", True, 1, 1500),
    ("连云港新海苯胺化工有限公司", HC, "有机化学原料制造", "金苏", False, 3, 210),
    ("连云港鑫达涂料有限公司", HC, "涂料制造", "焦庄", False, None, 95),
    ("连云港润泽生物制药有限公司", HC, PH, "范庄", False, 3, 260),
    ("连云港东方石英砂矿", Sector.NON_COAL_MINING, "石英砂开采", "山后", True, 3, 140),
    ("连云港锦屏采石场", Sector.NON_COAL_MINING, "建筑石料开采", "魏庵", False, None, 55),
    ("中建八局连云港开发区项目部", Sector.CONSTRUCTION, "房屋建筑", "黄岭", False, 2, 600),
    ("连云港开元建设工程有限公司", Sector.CONSTRUCTION, "市政工程", "胜利", False, 3, 230),
    ("连云港万达商业广场", Sector.FIRE_SAFETY, "人员密集场所", "东巷", True, None, 380),
    ("连云港开发区中心仓储物流园", Sector.FIRE_SAFETY, "仓储物流", "隔村", False, None, 120),
    ("连云港宏达金属制品有限公司", Sector.METALLURGY_TRADE, "金属制品", "江庄", False, 3, 310),
    (
        "连云港粮油食品加工有限公司",
        Sector.METALLURGY_TRADE,
        "粮食加工（粉尘涉爆）",
        "金苏",
        True,
        3,
        175,
    ),
    ("连云港钢构制造有限公司", Sector.METALLURGY_TRADE, "钢结构制造", "焦庄", False, 2, 450),
    (
        "连云港特种锅炉压力容器有限公司",
        Sector.SPECIAL_EQUIPMENT,
        "锅炉制造",
        "东诸朝",
        True,
        2,
        520,
    ),
    ("连云港港口起重设备有限公司", Sector.SPECIAL_EQUIPMENT, "起重机械", "西诸朝", False, 3, 160),
    ("连云港顺达危险货物运输有限公司", Sector.ROAD_TRANSPORT, "危险货物运输", "魏庵", True, 2, 90),
    ("连云港开发区公交客运有限公司", Sector.ROAD_TRANSPORT, "道路客运", "范庄", False, 3, 340),
    ("连云港丰收农机合作社", Sector.AGRICULTURAL_MACHINERY, "农机作业", "胜利", False, None, 40),
    (
        "连云港绿野农业机械有限公司",
        Sector.AGRICULTURAL_MACHINERY,
        "农机维修",
        "山后",
        False,
        None,
        28,
    ),
    ("连云港海丰远洋渔业有限公司", Sector.MARINE_FISHERY, "远洋捕捞", "云门", True, None, 210),
    ("连云港开发区渔港服务有限公司", Sector.MARINE_FISHERY, "渔港服务", "江庄", False, None, 35),
]

SECOND = {
    "name": "示例县应急管理局",
    "short_name": "示县",
    "streets": {"城关镇": ["城东社区"]},
    "enterprises": [
        ("示例县化肥厂", HC, "化肥制造", "城东社区", True, 3, 300),
        ("示例县液化气站", HC, "液化石油气储存", "城东社区", False, None, 20),
    ],
}


def demo_uscc(n: int) -> str:
    """A valid, obviously synthetic credit code: 91 (enterprise) + 320791 (region) + serial."""
    serial = ""
    value = n
    for _ in range(9):
        serial = USCC_ALPHABET[value % 31] + serial
        value //= 31
    first17 = "91320791" + serial
    return first17 + uscc_check_char(first17)


def build(session: Session) -> str:
    with tenancy.using(Scope(platform=True, system=True)):
        if session.scalar(select(Authority.id).where(Authority.short_name == "连开")):
            session.rollback()
            return "the demo world is already loaded"
        _platform_admin(session)
        main = tenants.create_authority(
            session,
            {
                "name": "连云港经济技术开发区应急管理局",
                "short_name": "连开",
                "reconsideration_body": "连云港市人民政府",
                "court": "连云港市海州区人民法院",
            },
        )
        other = tenants.create_authority(
            session,
            {
                "name": SECOND["name"],
                "short_name": SECOND["short_name"],
                "reconsideration_body": "示例市人民政府",
                "court": "示例县人民法院",
            },
        )
        commit(session)
    _populate(session, main, REGION_TREE, ENTERPRISES, start=1, accounts=_main_accounts)
    _populate(
        session,
        other,
        SECOND["streets"],
        SECOND["enterprises"],
        start=31,
        accounts=_second_accounts,
    )
    return "demo world loaded: 2 authorities, 32 enterprises; every password is anjian-demo"


def _platform_admin(session: Session) -> None:
    session.add(
        User(
            username="platform-admin",
            display_name="平台运营",
            role=Role.PLATFORM_ADMIN,
            password_hash=passwords.hash_password(DEMO_PASSWORD),
        )
    )


def _populate(session, authority, tree, rows, *, start, accounts) -> None:
    with tenancy.using(Scope(authority_id=authority.id, system=True)):
        communities, streets = {}, {}
        for street_name, villages in tree.items():
            street = tenants.create_region(session, {"kind": "street", "name": street_name})
            streets[street_name] = street
            for village in villages:
                communities[village] = tenants.create_region(
                    session, {"kind": "community", "name": village, "parent_id": street.id}
                )
        created = []
        for offset, (name, sector, industry, village, is_key, grade, headcount) in enumerate(rows):
            n = start + offset
            created.append(
                enterprises.create(
                    session,
                    {
                        "name": name,
                        "uscc": demo_uscc(n),
                        "sector": sector.value,
                        "industry": industry,
                        "region_id": communities[village].id,
                        "address": f"连云港经济技术开发区{village}{n}号",
                        "longitude": round(119.28 + (n % 7) * 0.013, 6),
                        "latitude": round(34.62 + (n % 5) * 0.011, 6),
                        "is_key": is_key,
                        "standardization_grade": grade,
                        "legal_representative": "法人代表" + str(n),
                        "safety_contact_name": "安全员" + str(n),
                        "safety_contact_phone": f"1380518{n:04d}",
                        "headcount": headcount,
                    },
                )
            )
        accounts(session, authority, streets, created, start)
        if start == 1:  # the main authority: its register, risk lists and map
            by_name = {e.name: e for e in created}
            demo_hazards.build(session, authority.id, by_name)
            demo_risks.build(session, authority.id, by_name)
            demo_dangers.build(session, authority.id, by_name)
            demo_inspections.build(session, authority.id, by_name)
            demo_classification.build(session, authority.id, by_name)
        commit(session)


def _user(session, authority, username, name, role, **extra) -> None:
    session.add(
        User(
            authority_id=authority.id,
            username=username,
            display_name=name,
            role=role.value,
            password_hash=passwords.hash_password(DEMO_PASSWORD),
            **extra,
        )
    )


def _enterprise_accounts(session, authority, created, start) -> None:
    for offset, enterprise in enumerate(created):
        n = start + offset
        _user(
            session,
            authority,
            f"ent{n:02d}-admin",
            f"企业管理员{n:02d}",
            Role.ENTERPRISE_ADMIN,
            enterprise_id=enterprise.id,
        )
        if n <= 30:
            _user(
                session,
                authority,
                f"ent{n:02d}-staff",
                f"岗位人员{n:02d}",
                Role.ENTERPRISE_STAFF,
                enterprise_id=enterprise.id,
            )


def _main_accounts(session, authority, streets, created, start) -> None:
    _user(session, authority, "regulator", "开发区应急管理局管理员", Role.AUTHORITY_ADMIN)
    _user(
        session,
        authority,
        "regulator-north",
        "北片区监管员",
        Role.REGULATOR,
        street_id=streets["北片"].id,
    )
    for i in range(1, 9):
        _user(
            session,
            authority,
            f"inspector{i:02d}",
            f"执法人员{i:02d}",
            Role.INSPECTOR,
            badge_no=f"32070100{i:04d}",
        )
    _enterprise_accounts(session, authority, created, start)


def _second_accounts(session, authority, streets, created, start) -> None:
    _user(session, authority, "regulator2", "示例县应急管理局管理员", Role.AUTHORITY_ADMIN)
    _enterprise_accounts(session, authority, created, start)
