"""The chemical picker's list: GB 18218-2018 Table 1 as the calculator knows it."""

from __future__ import annotations

from tests.hazards.test_api import auth

URL = "/api/v1/hazard-sources/chemicals"


def test_all_85_rows_of_table_1(app, client, world):
    r = client.get(URL, headers=auth(app, world.a.usernames["enterprise_admin"]))
    assert r.status_code == 200
    assert r.json["data_version"] == "GB18218-2018"
    assert [c["seq"] for c in r.json["items"]] == list(range(1, 86))


def test_search_puts_the_exact_name_first_and_matches_aliases_and_cas(app, client, world):
    h = auth(app, world.a.usernames["enterprise_staff"])
    items = client.get(URL, query_string={"q": "氯"}, headers=h).json["items"]
    chlorine = items[0]
    assert (chlorine["name"], chlorine["critical_quantity_t"], chlorine["table3_beta"]) == (
        "氯",
        5,
        4,
    )
    assert "液氯" in chlorine["aliases"] and chlorine["cas"] == ["7782-50-5"]
    assert len(items) > 5 and all("氯" in (c["name"] + "".join(c["aliases"])) for c in items)
    by_alias = client.get(URL, query_string={"q": "液氯"}, headers=h).json["items"]
    assert [c["name"] for c in by_alias] == ["氯"]
    by_cas = client.get(URL, query_string={"q": "67-56-1"}, headers=h).json["items"]
    assert [c["name"] for c in by_cas] == ["甲醇"]
    # The name the picker sends is what the calculator accepts.
    r = client.post(
        "/api/v1/hazard-sources/assess",
        headers=h,
        json={
            "unit_kind": "storage",
            "exposed_population": 120,
            "substances": [{"name": chlorine["name"], "quantity_t": 250}],
        },
    )
    assert (r.json["r_value"], r.json["level"]) == (400, 1)


def test_no_match_is_an_empty_list_and_bad_queries_are_422(app, client, world):
    h = auth(app, world.a.usernames["inspector"])
    assert client.get(URL, query_string={"q": "不存在的物质"}, headers=h).json["items"] == []
    assert client.get(URL, query_string={"q": "x" * 61}, headers=h).status_code == 422
    assert client.get(URL).status_code == 401
