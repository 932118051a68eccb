"""kg.pipeline.relate.dateline: agency, place, date and reporters of 本报/新华社… datelines."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.model import Ref


@pytest.mark.parametrize("text,meta,agency,place,reporters", [
    ("本报阿斯塔纳7月4日电  （记者王远、张晓东）上合组织成员国元首理事会第二十四次会议4日举行。",
     {"source": "人民日报", "published": "2024-07-05"}, Ref("org", "peoples-daily"), "阿斯塔纳",
     [("王远", "记者"), ("张晓东", "记者")]),
    ("新华社撒马尔罕9月16日电（记者刘华、许可、陈思）会议举行。", {}, Ref("org", "xinhua"), "撒马尔罕",
     [("刘华", "记者"), ("许可", "记者"), ("陈思", "记者")]),
    ("据新华社北京6月5日电（记者赵一　钱二）峰会将举行。", {}, Ref("org", "xinhua"), "北京",
     [("赵一", "记者"), ("钱二", "记者")]),
    ("新华网杜尚别9月12日电（特约记者孙三）会议举行。", {}, Ref("org", "xinhuanet"), "杜尚别", [("孙三", "特约记者")]),
    ("新华社约翰内斯堡8月23日电 金砖国家领导人会晤23日举行。", {}, Ref("org", "xinhua"), "约翰内斯堡", []),
    ("中新社北京6月1日消息 峰会将举行。", {}, Ref("org", "china-news-service"), "北京", []),
], ids=["benbao", "xinhua-three-reporters", "ju-xinhua", "xinhuanet-special-correspondent", "no-reporters",
        "xiaoxi"])
def test_dateline_agency_place_reporters(run, text, meta, agency, place, reporters):
    r = run(text, meta)
    assert r.doc.context["agency"] == agency
    assert r.objects("article:test", "datelinePlace") == {place}
    assert r.evidence("article:test", "datelinePlace") == place
    assert [(name, role) for name, _, _, role in r.doc.context.get("reporters", [])] == reporters
    for name, start, end, _ in r.doc.context.get("reporters", []):
        assert r.text[start:end] == name


def test_dateline_date_is_kept_for_month_anchor(run):
    r = run("新华社青岛6月10日电（记者张三）会议举行。", {"published": "2018-06-11"})
    expr = r.doc.context["dateline_expr"]
    assert (expr.month, expr.day) == (6, 10)
    assert r.text[expr.start:expr.end] == "6月10日"
    assert expr.resolve(dt.date(2018, 6, 11)) == (dt.date(2018, 6, 10),) * 2


def test_dateline_benbao_without_source(run):
    r = run("本报北京3月2日电（记者王远）会议举行。")
    assert r.doc.context["agency"] is None
    assert r.objects("article:test", "datelinePlace") == {"北京"}


@pytest.mark.parametrize("text", [
    "上海合作组织成员国元首理事会第二十二次会议16日在撒马尔罕举行。",
    "峰会前夕，新华社青岛6月8日电称各方已就宣言达成一致。",
    "新华社发（记者李四摄）",
], ids=["no-dateline", "agency-not-at-start", "photo-credit"])
def test_dateline_absent(run, text):
    r = run(text)
    assert "agency" not in r.doc.context
    assert r.objects("article:test", "datelinePlace") == set()


@pytest.mark.parametrize("text,outlet,place", [
    ("海东新闻网 6 月 2 日（综合报道）：会议在西宁举行。", "海东新闻网", None),
    ("江南晨报讯（记者周小川）会议在南京举行。", "江南晨报", None),
    ("北方电视台北京5月3日电 会议举行。", "北方电视台", "北京"),
    ("会场全景。\n南国通讯社北京5月3日电 会议举行。", "南国通讯社", "北京"),
], ids=["spaced-date-no-place", "xun", "tv-station", "after-a-caption"])
def test_dateline_outlet_by_shape(run, text, outlet, place):
    r = run(text)
    assert r.doc.context["agency"] == Ref("org", outlet)
    assert r.objects("article:test", "datelinePlace") == ({place} if place else set())
    assert outlet in r.labels("org")


def test_dateline_wrapped_reporters(run):
    r = run("北方日报北京5月3日电（记者周小川\n赵大海）会议举行。")
    assert [name for name, _, _, _ in r.doc.context["reporters"]] == ["周小川", "赵大海"]


def test_dateline_cited_outlet_is_an_organization(run):
    r = run("据海峡之声网报道，会议闭幕。")
    assert r.objects("org:海峡之声网", "type") == {"class:MediaOrganization"}
