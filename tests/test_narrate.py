"""Report sentences: the wording of real reports, half-up rounding, and every engine.

Expected sentences come from the published half-year report in ../shared/reports/000_….txt
(quoted below), as DOMAIN.md's worked example restates it, and from hand rounding.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import zsanalytics as zsa
from zsanalytics import narrate

# ../shared/reports/000_7fe1fee1ba8ed4c4.txt, 2020年上半年招商引资工作总结 (copied from the web
# with ASCII commas and colons):
PUBLISHED = ("1-6月,我区共引进招商项目14个,其中续建项目7个,新引进项目7个。合同引资6.36亿元,实际到位"
             "市外境内资金10.36亿元,同比增长59.8%,完成年度任务的38.4%,其中:省外项目7个,实际到位资金"
             "3.75亿元,同比下降3.4%;省内项目7个,实际到位资金6.61亿元,同比增长154.2%。")


def full_width(text: str) -> str:
    return text.replace(",", "，").replace(":", "：").replace(";", "；")


@pytest.fixture
def county_2020():
    # 1-6月 2020 by source: 省外 37,500万元 (last year 38,820 → −3.4%), 省内 66,100万元
    # (last year 26,000 → +154.2%); the annual target 269,800万元 (38.4%)
    funds = pd.DataFrame({
        "unit": "我区",
        "month": pd.to_datetime(["2020-03-01", "2020-06-01", "2019-05-01", "2019-02-01"]),
        "source": ["省外", "省内", "省外", "省内"],
        "currency": "CNY",
        "amount_wan": [37500.0, 66100.0, 38820.0, 26000.0],
    })
    targets = pd.DataFrame({"year": [2020], "unit": ["我区"], "indicator": ["funds_in_place"],
                            "target": [269800.0]})
    return funds, targets


def test_the_published_sentence_from_the_metrics(engine, county_2020):
    funds, targets = county_2020
    card = engine.back(zsa.scorecard(engine(funds), targets, as_of="2020-06"))
    sentence = narrate.headline(card, scope="", label="实际到位市外境内资金")
    # the report's clauses, in its words: 10.36亿元, 同比增长59.8%, 完成年度任务的38.4%
    assert sentence.startswith("1-6月，实际到位市外境内资金10.36亿元，同比增长59.8%，完成年度任务的38.4%，")
    assert "实际到位市外境内资金10.36亿元，同比增长59.8%，完成年度任务的38.4%" in full_width(PUBLISHED)
    # and DOMAIN.md's gap: 38.4 − 50 = −11.6
    assert sentence.endswith("低于序时进度11.6个百分点。")


def test_the_published_sources_clause(engine, county_2020):
    funds, _ = county_2020
    by_source = engine.back(zsa.funds_in_place(engine(funds), as_of="2020-06", by="source"))
    sentence = narrate.sources_sentence(by_source.sort_values("source", ascending=False))
    assert sentence == "其中：省外3.75亿元，同比下降3.4%；省内6.61亿元，同比增长154.2%。"
    # the same figures and wording as the report, which names the projects in between
    for clause in ("3.75亿元,同比下降3.4%", "6.61亿元,同比增长154.2%"):
        assert clause in PUBLISHED


def test_the_domain_md_sentence():
    # DOMAIN.md / issue 5: "1-6月，全县实际到位资金10.36亿元，同比增长59.8%，完成年度任务的38.4%，
    # 低于序时进度11.6个百分点。"
    row = {"ytd_wan": 103600.0, "yoy_pct": (103600 / 64831 - 1) * 100,
           "completion_pct": 103600 / 269800 * 100, "gap_pp": 103600 / 269800 * 100 - 50,
           "year": 2020, "through_month": 6}
    assert narrate.funds_sentence(row) == (
        "1-6月，全县实际到位资金10.36亿元，同比增长59.8%，完成年度任务的38.4%，低于序时进度11.6个百分点。")


@pytest.mark.parametrize(("value", "expected"), [
    (59.75, "同比增长59.8%"),      # half up; round-half-even would also give 59.8, so:
    (0.25, "同比增长0.3%"),        # round(0.25, 1) == 0.2 in Python; 四舍五入 gives 0.3
    (-3.45, "同比下降3.5%"),       # half away from zero
    (0.04, "同比持平"),
    (-0.04, "同比持平"),
])
def test_growth_rounds_half_up(value, expected):
    assert narrate.growth_phrase(value) == expected


def test_amounts_round_half_up_in_yi():
    # 26,750万元 = 2.675亿元 → 2.68 (Python's round(2.675, 2) gives 2.67)
    assert narrate.funds_sentence({"ytd_wan": 26750.0}, scope="城西镇") == "城西镇实际到位资金2.68亿元。"


def test_zero_base_and_missing_figures():
    new = {"ytd_wan": 500.0, "yoy_pct": float("nan"), "yoy_note": "新增", "completion_pct": None}
    assert narrate.funds_sentence(new, scope="白云乡") == "白云乡实际到位资金0.05亿元，同比新增。"
    none = {"ytd_wan": 0.0, "yoy_pct": None, "yoy_note": "无实绩", "gap_pp": float("nan")}
    sentence = narrate.funds_sentence(none, scope="双河乡")
    assert sentence == "双河乡实际到位资金0.00亿元。"
    assert "nan" not in sentence.lower()
    with pytest.raises(zsa.ZsAnalyticsError, match="没有 ytd_wan 或 actual_wan"):
        narrate.funds_sentence({"yoy_pct": 1.0})


def test_periods_as_reports_write_them():
    assert [narrate.period_zh(f"2024-{m:02d}", style="name") for m in (1, 3, 4, 6, 9, 10, 12)] == [
        "1月", "一季度", "1-4月", "上半年", "前三季度", "1-10月", "全年"]
    assert narrate.funds_sentence({"ytd_wan": 1e4}, as_of="2024-03", period_style="name") == (
        "一季度，全县实际到位资金1.00亿元。")


def test_demo_sentences(engine):
    demo = zsa.load_demo()
    card = engine.back(zsa.scorecard(engine(demo.funds), demo.targets, as_of="2024-06", totals=True))
    # the demo county's half year (issue 3's closing note: 25.27亿元, −7.2%, 35.3%, −14.7 points)
    assert narrate.headline(card, period_style="name") == (
        "上半年，全县实际到位资金25.27亿元，同比下降7.2%，完成年度任务的35.3%，低于序时进度14.7个百分点。")
    # units in the scorecard's order (code points: 县 U+53BF before 双 U+53CC)
    assert narrate.units_sentence(card) == (
        "5个单位超序时进度，13个单位低于序时进度，2个单位无实绩（县农业农村局、双河乡）。")
    conv = zsa.conversion(demo.projects, as_of="2024-06-30")
    sentence = narrate.funnel_sentence(conv.iloc[0])
    numbers = [int(n) for n in re.findall(r"(\d+)个", sentence)]
    assert numbers == conv.loc[0, ["signed", "landed", "started", "producing"]].tolist()
