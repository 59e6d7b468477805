"""Reading figures out of report prose: real reports, the text quirks of the web, the
consistency checks, and the round trip with zsanalytics.narrate.

The expected figures of each real report are listed here by hand, as a careful reader would
list them from the text (the quotes are in data/reports/); the arithmetic of the checks is done
by hand in the comments.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsanalytics import narrate
from zsanalytics.text import COLUMNS, check_report, extract_indicators

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def read(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


def find(table: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    return table[mask]


# The 2020 half-year report, 一、指标完成情况 — what a careful reader lists:
# (indicator, scope, value, unit, yoy_pct, completion_pct)
HALF_YEAR_2020 = [
    ("signed_projects", "我区", 14, "个", None, None),       # 共引进招商项目14个
    ("signed_projects", "我区", 7, "个", None, None),        # 续建项目7个
    ("signed_projects", "我区", 7, "个", None, None),        # 新引进项目7个
    # 合同引资6.36亿元 opens the next sentence of the paragraph that named 我区: the district's
    ("contract_investment", "我区", 63600, "万元", None, None),
    ("funds_in_place", "市外境内", 103600, "万元", 59.8, 38.4),
    ("signed_projects", "省外", 7, "个", None, None),
    ("funds_in_place", "省外", 37500, "万元", -3.4, None),   # 同比下降3.4%
    ("signed_projects", "省内", 7, "个", None, None),
    ("funds_in_place", "省内", 66100, "万元", 154.2, None),
    ("foreign_funds", "", 100, "万美元", None, None),        # 预计投入外资100万美元
    ("project_investment", "我区", 85000, "万元", None, None),  # 投资8.5亿元的滨江大道…
]


def same(a, b) -> bool:
    if b is None:
        return a is None or (isinstance(a, float) and math.isnan(a))
    return a == pytest.approx(b)


def test_the_2020_report_every_figure_with_growth_and_completion():
    text = read("2020-half-year-district.txt")
    table = extract_indicators(text)
    found = 0
    for indicator, scope, value, unit, yoy, completion in HALF_YEAR_2020:
        rows = find(table, indicator=indicator, unit=unit)
        rows = rows[rows["value"] == value]
        hit = [r for _, r in rows.iterrows() if r["scope"] == scope and same(r["yoy_pct"], yoy)
               and same(r["completion_pct"], completion)]
        found += bool(hit)
    assert found == len(HALF_YEAR_2020)  # recall 11/11
    total = find(table, indicator="funds_in_place", scope="市外境内").iloc[0]
    assert (total["period_start"], total["period_end"], total["year"]) == (1, 6, 2020)
    assert text[total["start"]:total["end"]] == "10.36亿元"      # offsets point at the figure
    assert "同比增长59.8%" in total["sentence"]
    # every figure of the report is one the list above names: nothing invented
    assert len(table) == len(HALF_YEAR_2020)


def test_the_traditional_report_marks_masked_figures_masked_never_zero():
    text = read("county-annual-traditional.txt")
    table = extract_indicators(text)
    assert not (table["value"] == 0).any()
    # 全縣共申報項(xiàng)目xxx個(gè): simplified, pinyin dropped, masked
    declared = find(table, indicator="signed_projects", scope="全县").iloc[0]
    assert declared["masked"] and math.isnan(declared["value"]) and declared["unit"] == "个"
    assert text[declared["start"]:declared["end"]] == "xxx個"
    # 實(shí)際利用省外市外資金xx.xxxx億元,完成市下達(dá)任務(wù)的xx.xx%(超時(shí)序進(jìn)度x.x%)
    funds = find(table, indicator="funds_in_place").iloc[0]
    assert funds["scope"] == "省外市外" and funds["masked"] and funds["unit"] == "万元"
    assert funds["masked_fields"] == "completion_pct,gap_pp"
    # 實(shí)際利用境外資金xxx萬(wàn)美元,僅完成市下達(dá)任務(wù)的xx.xx%
    foreign = find(table, indicator="foreign_funds").iloc[0]
    assert foreign["unit"] == "万美元" and foreign["masked"] and foreign["scope"] == "境外"
    assert foreign["masked_fields"] == "completion_pct"
    # 總引稅額約xxx余萬(wàn)元: approximate and masked
    tax = find(table, indicator="tax").iloc[0]
    assert tax["approx"] and tax["masked"] and tax["unit"] == "万元"
    # the parts after 其中 point at their total
    parts = table[table["parent"] == declared.name]
    assert len(parts) == 2 and set(parts["label"]) == {"新签约或新建项目", "续建项目"}


def test_full_width_digits_and_punctuation_read_as_ascii():
    wide = extract_indicators("１－６月，全县实际到位资金１０．３６亿元，同比增长５９．８％。")
    narrow = extract_indicators("1-6月,全县实际到位资金10.36亿元,同比增长59.8%。")
    columns = ["indicator", "scope", "value", "unit", "yoy_pct", "period_start", "period_end"]
    pd.testing.assert_frame_equal(wide[columns], narrow[columns])
    assert wide["value"].iloc[0] == 103600.0


def test_web_page_noise_gives_no_figures():
    noise = "找总结网 > 总结报告范文 >\n| cwl2\n相关文章\n最新文章\n26028\n第3页 共12页 2020-07-01"
    assert extract_indicators(noise).empty


def test_words_the_reports_use():
    t = extract_indicators("元至10月，全县实际到位资金3.2亿元，完成目标任务120%，全年任务20亿元；"
                           "新注册企业近300家，新签约项目50余个，进出口总额3.2亿美元，同比下降12.5%。")
    funds = find(t, indicator="funds_in_place").iloc[0]
    assert (funds["period_start"], funds["period_end"]) == (1, 10)      # 元至10月
    assert funds["completion_pct"] == 120 and funds["target_value"] == 200000  # 20亿元 in 万元
    companies = find(t, indicator="registered_companies").iloc[0]
    assert companies["value"] == 300 and companies["unit"] == "家" and companies["approx"]
    signed = find(t, indicator="signed_projects").iloc[0]
    assert signed["value"] == 50 and signed["approx"]                    # 50余个
    trade = find(t, indicator="imports_exports").iloc[0]
    assert trade["unit"] == "万美元" and trade["value"] == 32000 and trade["yoy_pct"] == -12.5


def test_a_6_wan_ton_plant_is_not_money_and_yi_yuan_projects_are_not_figures():
    t = extract_indicators("年产6万吨铁系颜料项目，新引进亿元以上项目12个，其中10亿元项目2个。")
    assert list(t["unit"]) == ["个", "个"] and list(t["value"]) == [12, 2]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_on_any_string(text):
    out = extract_indicators(text)
    assert list(out.columns) == COLUMNS


@pytest.mark.parametrize("value", [None, float("nan"), 12345, b"\xff\xfe", object()])
def test_never_raises_on_anything(value):
    assert list(extract_indicators(value).columns) == COLUMNS


# --- check_report ----------------------------------------------------------------------------

def test_checks_on_the_2020_report():
    checks = check_report(extract_indicators(read("2020-half-year-district.txt")))
    by = {(c["check"], c["scope"]): c for _, c in checks.iterrows()}
    # 省外 + 省内 = 3.75 + 6.61 = 10.36亿元
    parts = checks[(checks["check"] == "parts_sum") & (checks["indicator"] == "funds_in_place")]
    assert len(parts) == 1 and parts["ok"].iloc[0] and parts["actual"].iloc[0] == 103600
    # 续建7 + 新引进7 = 14个
    projects = checks[(checks["check"] == "parts_sum") & (checks["indicator"] == "signed_projects")]
    assert projects["actual"].tolist() == [14] and projects["ok"].tolist() == [True]
    # the annual target the text implies: 10.36亿 ÷ 38.4% = 26.979亿元 (by hand)
    assert by[("implied_target", "市外境内")]["actual"] == pytest.approx(269791.67, abs=0.01)
    # last year: 10.36 ÷ 1.598 = 6.4831亿; 3.75 ÷ 0.966 = 3.8820; 6.61 ÷ 2.542 = 2.6003
    assert by[("implied_last_year", "市外境内")]["actual"] == pytest.approx(64831.04, abs=0.01)
    assert by[("implied_last_year", "省外")]["actual"] == pytest.approx(38819.88, abs=0.01)
    last = by[("parts_last_year", "市外境内")]
    # 3.8820 + 2.6003 = 6.4823 against 6.4831: 8万元 apart, inside what rounding allows
    assert last["actual"] == pytest.approx(64823.03, abs=0.01) and last["ok"]


def test_a_wrong_part_is_caught():
    text = read("2020-half-year-district.txt").replace("6.61亿元", "5.61亿元")
    checks = check_report(extract_indicators(text))
    parts = checks[(checks["check"] == "parts_sum") & (checks["indicator"] == "funds_in_place")]
    assert not parts["ok"].iloc[0] and parts["difference"].iloc[0] == pytest.approx(-10000)


def test_a_stated_target_is_compared_with_the_implied_one():
    good = check_report(extract_indicators("实际到位资金5亿元，完成全年任务20亿元的25%。"))
    assert good["check"].tolist() == ["implied_target"]
    assert good["expected"].iloc[0] == 200000 and good["actual"].iloc[0] == 200000  # 5 ÷ 25%
    assert bool(good["ok"].iloc[0])
    bad = check_report(extract_indicators("实际到位资金5亿元，全年任务20亿元，完成年度任务的30%。"))
    row = bad.iloc[0]
    # 5 ÷ 30% = 16.67亿 against 20亿 stated
    assert row["expected"] == 200000 and row["actual"] == pytest.approx(166666.67, abs=0.01)
    assert not bool(row["ok"])


# --- round trip with narrate -----------------------------------------------------------------

amount = st.decimals(min_value="0.01", max_value="9999.99", places=2).map(float)   # 亿元
pct = st.decimals(min_value="-99.9", max_value="999.9", places=1).map(float)


@settings(max_examples=150, deadline=None)
@given(yi=amount, yoy=pct, completion=st.decimals(min_value="0.1", max_value="300", places=1).map(float),
       gap=pct, month=st.integers(1, 12), scope=st.sampled_from(["全县", "我区", "城西镇", "经济开发区"]))
def test_narrate_sentences_parse_back_to_their_figures(yi, yoy, completion, gap, month, scope):
    row = {"ytd_wan": yi * 1e4, "yoy_pct": yoy, "completion_pct": completion, "gap_pp": gap}
    sentence = narrate.funds_sentence(row, as_of=f"2024-{month:02d}", scope=scope)
    (figure,) = extract_indicators(sentence).itertuples()
    assert figure.indicator == "funds_in_place" and figure.scope == scope
    assert figure.value == pytest.approx(yi * 1e4) and figure.unit == "万元"
    assert figure.yoy_pct == pytest.approx(yoy)
    assert figure.completion_pct == pytest.approx(completion)
    assert figure.gap_pp == pytest.approx(gap)
    assert (figure.period_start, figure.period_end) == (1, month)


@settings(max_examples=60, deadline=None)
@given(outside=amount, inside=amount, g1=pct, g2=pct)
def test_sources_sentence_parses_back_to_its_parts(outside, inside, g1, g2):
    table = pd.DataFrame({"source": ["省外", "省内", "合计"],
                          "ytd_wan": [outside * 1e4, inside * 1e4, (outside + inside) * 1e4],
                          "yoy_pct": [g1, g2, 0.0], "yoy_note": [None, None, None]})
    head = narrate.funds_sentence({"ytd_wan": (outside + inside) * 1e4}, as_of="2024-06")
    text = head + narrate.sources_sentence(table)
    t = extract_indicators(text)
    parts = t[t["parent"].notna()]
    assert set(parts["scope"]) == {"省外", "省内"} and (parts["indicator"] == "funds_in_place").all()
    got = dict(zip(parts["scope"], zip(parts["value"], parts["yoy_pct"], strict=True), strict=True))
    assert got["省外"] == (pytest.approx(outside * 1e4), pytest.approx(g1))
    assert got["省内"] == (pytest.approx(inside * 1e4), pytest.approx(g2))


def test_zero_base_and_flat_words_round_trip():
    sentence = narrate.funds_sentence({"ytd_wan": 5000, "yoy_pct": None, "yoy_note": "新增",
                                       "completion_pct": 50.0, "gap_pp": 0.0}, as_of="2024-06")
    figure = extract_indicators(sentence).iloc[0]
    assert "同比新增" in sentence and figure["yoy_note"] == "新增"
    assert "与序时进度持平" in sentence and figure["gap_pp"] == 0
