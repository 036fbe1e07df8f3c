"""The API's documentation page (/docs): ReDoc from the app's own build (web/, the pinned npm
`redoc` package copied to /vendor/), the spec from /openapi.json, a Chinese introduction with a
quick start per role (intro.zh.md, the spec's info.description) and request examples
(examples.py). Nothing is fetched from outside the app: government networks reach no CDN, and the
page's Content-Security-Policy keeps ReDoc's own "powered by" logo from being requested.
"""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, Flask, current_app, render_template, url_for

bp = Blueprint("apidocs", __name__, template_folder="templates")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
_CJK = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif'
# ReDoc's theme (its defaults name Latin web fonts the page does not load).
THEME = {
    "colors": {"primary": {"main": "#1f5fa8"}},
    "typography": {
        "fontFamily": _CJK,
        "headings": {"fontFamily": _CJK},
        "code": {"fontFamily": '"Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace'},
    },
    "sidebar": {"width": "280px"},
}


def introduction() -> str:
    return resources.files(__package__).joinpath("intro.zh.md").read_text(encoding="utf-8")


@bp.get("/docs")
def docs():
    html = render_template(
        "apidocs/docs.html",
        redoc_url=current_app.config["OPENAPI_REDOC_URL"],
        spec_url=url_for("api-docs.openapi_json"),
        theme=THEME,
    )
    return html, 200, {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}


# The sidebar's chapter names (ReDoc's x-displayName); the tag itself stays the blueprint's name.
TAG_NAMES = {
    "accounts": "账号与登录",
    "tenants": "监管机构与区域",
    "enterprises": "生产经营单位",
    "hazards": "重大危险源",
    "risk_points": "风险点",
    "risk_lists": "风险清单版本",
    "risk_map": "四色风险图",
    "audit": "审计日志",
    "dangers": "隐患台账",
    "dangers_evidence": "隐患证据",
    "tip_offs": "社会举报处理",
    "public_tip_offs": "社会举报（公开）",
    "dangers_inbox": "通知与统计报表",
    "inspection_planning": "执法计划与双随机抽取",
    "inspection_records": "执法检查记录",
    "public_inspections": "抽查公示（公开）",
    "documents": "执法文书",
    "public_documents": "文书核验（公开）",
    "classification_inputs": "分级分类数据",
    "public_blacklist": "失信名单（公开）",
    "classification": "企业分级分类",
    "dashboard": "企业工作台",
    "dictionaries": "字典",
}


def name_tags(api) -> None:
    """Chinese chapter names for the tags registered so far (call after the blueprints)."""
    for tag in api.spec._tags:  # apispec keeps no public way to amend a registered tag
        if tag["name"] in TAG_NAMES:
            tag["x-displayName"] = TAG_NAMES[tag["name"]]


def init_app(app: Flask, api) -> None:
    """The introduction into the spec (ReDoc renders it as the first chapters), and /docs."""
    api.spec.options.setdefault("info", {})["description"] = introduction()
    app.register_blueprint(bp)
