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


# --- issue 15: every attribute on its figure -------------------------------------------------
# The phrases below are quoted from public reports collected for the benchmark in
# benchmarks/prose_annotations (sources there); the expected values are read off the quotes.

def only(table: pd.DataFrame) -> pd.Series:
    assert len(table) == 1, table[["indicator", "label", "value", "unit"]]
    return table.iloc[0]


def test_a_share_between_a_figure_and_its_completion_goes_on_the_figure():
    # 攀枝花 2006: 市外省内履约项目79个,到位资金176031万元,完成目标任务的70.41%,欠进度12.92%,
    # 占总到位资金的17.51%
    t = extract_indicators("市外省内履约项目79个,到位资金176031万元,完成目标任务的70.41%,欠进度12.92%,"
                           "占总到位资金的17.51%")
    assert list(t["unit"]) == ["个", "万元"]                 # shares and gaps are not rows
    funds = t.iloc[1]
    assert (funds["completion_pct"], funds["gap_pp"], funds["share_pct"]) == (70.41, -12.92, 17.51)
    assert t.iloc[0]["indicator"] == "performed_projects" and set(t["scope"]) == {"市外省内"}


def test_a_target_between_a_figure_and_its_completion_is_the_target():
    # 2023年1-6月 通报 (traditional): 資金額219.22億元,完成年度目標任務589億元的37.22%,同比增長8.08%
    t = extract_indicators("1-6月份,全市引進億元以上省外項目資金額219.22億元,完成年度目標任務589億元的37.22%,"
                           "同比增長8.08%。")
    row = only(t)
    assert row["value"] == 2192200 and row["target_value"] == 5890000   # 589亿元 in 万元
    assert (row["completion_pct"], row["yoy_pct"]) == (37.22, 8.08)
    assert row["scope"] == "省外"                       # 亿元以上 is a size class, not the scope
    # 江华 2012: 占市分配任務1000萬美元(其中加工貿易200萬美元)的31.4% — the bracket is a note on the target
    t = extract_indicators("全縣完成外貿出口314萬美元,占市分配任務1000萬美元(其中加工貿易200萬美元)的31.4%,"
                           "同比增長168.4%")
    row = only(t)
    assert (row["indicator"], row["target_value"], row["completion_pct"], row["yoy_pct"]) == (
        "imports_exports", 1000, 31.4, 168.4)


def test_a_target_in_brackets_goes_with_its_completion():
    # 四川某县 2012 (traditional): 完成市上全年任務（42.5億元）的59.94%;完成縣上全年任務（46.5億元）的54.78%
    row = only(extract_indicators("市外到位資金25.47億元,完成市上全年任務（42.5億元）的59.94%;"
                                  "完成縣上全年任務（46.5億元）的54.78%"))
    # the first completion is the report's own, with its own target: 25.47 ÷ 42.5 = 59.93%
    assert (row["target_value"], row["completion_pct"], row["scope"]) == (425000, 59.94, "市外")
    assert check_report(pd.DataFrame([row]))["ok"].tolist() == [True]


def test_a_target_after_the_completion_and_a_target_of_a_second_completion():
    # 云城区 2023: 签约项目58个,计划总投资215.0391亿元,完成率107.52%,提前完成区200亿招商引资任务
    t = extract_indicators("全区各镇(街)及10支招商分队共签约项目58个,计划总投资215.0391亿元,完成率107.52%,"
                           "提前完成区200亿招商引资任务。")
    money = only(t[t["unit"] == "万元"])
    assert money["indicator"] == "contract_investment"   # 总投资 of signed projects
    assert (money["completion_pct"], money["target_value"]) == (107.52, 2000000)
    # 攀枝花 2006: the first completion is the report's own; the province's target goes with the
    # second, so it is not put beside the first (which would make check_report cry wolf)
    t = extract_indicators("到位资金为412678万元,完成市下达目标任务的165.07%,超进度81.74%,"
                           "完成省政府下达考核目标任务的(83253万元)的495.69%, 超进度412.36%")
    row = only(t)
    assert (row["completion_pct"], row["gap_pp"]) == (165.07, 81.74) and math.isnan(row["target_value"])
    assert check_report(t)["ok"].isna().all()


def test_gap_and_growth_wordings():
    # 攀枝花: 超进度42.31% (a gap written in %); 县项目投资: 超序時進度5.9%, 高于序时進度5.3個百分點
    t = extract_indicators("实际到位资金1005136万元,同比增长125%,完成全年80亿目标任务的125.64%,超进度42.31%。"
                           "完成投資26.38億元,,占年度計劃的48.4%,,超序時進度5.9%。")
    first, second = t.iloc[0], t.iloc[1]
    assert (first["yoy_pct"], first["completion_pct"], first["target_value"], first["gap_pp"]) == (
        125, 125.64, 800000, 42.31)
    assert (second["indicator"], second["completion_pct"], second["gap_pp"]) == (
        "fixed_asset_investment", 48.4, 5.9)
    # the wordings: 12百分点 without 个, bare 增, growth and completion in 倍
    row = only(extract_indicators("全县实际到位资金5亿元,同比增12.4%,超时间进度12百分点"))
    assert (row["yoy_pct"], row["gap_pp"]) == (12.4, 12)
    row = only(extract_indicators("实际到位资金3亿元,增长2.3倍,是年度目标的1.6倍"))
    assert (row["yoy_pct"], row["completion_pct"]) == (230, 160)   # +230%; 160% of the target


def test_respectively_lists_growth_rates_and_places():
    # 讲话稿 (masked): 合同利用外资X万美元,实际利用外资X万美元,同比分别增长X%、X%
    t = extract_indicators("全市新批外商投资项目X个,合同利用外资X万美元,实际利用外资X万美元,"
                           "同比分别增长X%、X%。")
    assert list(t["masked_fields"]) == ["", "yoy_pct", "yoy_pct"] and len(t) == 3
    # 许昌 2017: 项目履约率、开工率与资金到位率分别为98.8%、90%和34%
    t = extract_indicators("履约项目244个,开工项目222个,到位资金370亿元,"
                           "项目履约率、开工率与资金到位率分别为98.8%、90%和34%。")
    assert list(t["indicator"]) == ["performed_projects", "started_projects", "funds_in_place",
                                    "performance_rate", "start_rate", "funds_rate"]
    assert list(t["value"])[3:] == [98.8, 90, 34]
    # 云南 2015: 楚雄、大理、昭通、临沧4州市已分别到位资金40.7亿、39.05亿、27亿和18.6亿元
    t = extract_indicators("楚雄、大理、昭通、临沧4州市已分别到位资金40.7亿、39.05亿、27亿和18.6亿元人民币。")
    assert list(t["scope"]) == ["楚雄", "大理", "昭通", "临沧"]
    assert list(t["value"]) == [407000, 390500, 270000, 186000]
    # 六安 2022: 各县区…开工率分别为:金安区93.5%、叶集区89.5%
    t = extract_indicators("各县区亿元以上新签约项目开工率分别为:金安区93.5%、叶集区89.5%。")
    assert list(t["indicator"]) == ["start_rate"] * 2 and list(t["scope"]) == ["金安区", "叶集区"]


def test_periods():
    # 许昌: 今年前10个月 … and the year named only at the end (2017年累计到位资金544亿元)
    t = extract_indicators("今年前10个月,全市实际到位省外资金400.6亿元,完成年度目标的84.9%。"
                           "2017年累计到位资金544亿元,完成全年目标560亿元的97%。")
    assert (t.iloc[0]["period_start"], t.iloc[0]["period_end"], t.iloc[0]["year"]) == (1, 10, 2017)
    assert "10" not in list(t["label"])        # 前10个月 is a period, not ten of something
    for text, span in [("前五月,全县签约项目12个", (1, 5)), ("今年1月至3月,全县签约项目12个", (1, 3)),
                       ("前9个月,全县签约项目12个", (1, 9))]:
        row = only(extract_indicators(text))
        assert (row["period_start"], row["period_end"]) == span
    # 自查报告: xx年 — a masked year is no year, even after one was named
    t = extract_indicators("2019年1-6月,全县签约项目5个。xx年,全县共接待客商950余人次。")
    assert t.iloc[0]["year"] == 2019 and pd.isna(t.iloc[1]["year"])
    # 安庆: 与2017年重点项目同比 compares; the year stays 2018
    t = extract_indicators("我市2018年签约的218个亿元以上重点工业项目,截至9月底,已有199个项目实质性开工建设,"
                           "与2017年重点项目同比大幅提高。")
    assert list(t["year"]) == [2018, 2018]
    # 朝阳: 较上半年增加44个 compares; the period stays 1-10月
    t = extract_indicators("1-10月全市新签约432个项目。其中签约新能源项目132个,较上半年增加44个。")
    assert set(zip(t["period_start"], t["period_end"], strict=True)) == {(1, 10)}
    # 西宁: 本月 of 截止5月底 is May, 累计 is January to May
    t = extract_indicators("截止5月底,累计实现到位资金48.98亿元。"
                           "本月完成到位资金22.41亿元,其中省外资金8.42亿元。")
    assert list(zip(t["period_start"], t["period_end"], strict=True)) == [(1, 5), (5, 5), (5, 5)]


def test_scopes():
    # 迪庆 2014: a place opening the clause
    t = extract_indicators("香格里拉县完成实际到位州外资金36.91亿元,完成任务数62亿元的59.54%,"
                           "较去年同期增长19.56%;"
                           "德钦县完成实际到位州外资金2.69亿元,完成任务数8亿元的33.67%,较去年同期下降0.74%。")
    assert list(t["scope"]) == ["香格里拉县", "德钦县"]
    assert list(t["indicator"]) == ["funds_in_place"] * 2          # 州外资金 are domestic funds
    assert list(t["yoy_pct"]) == [19.56, -0.74] and list(t["target_value"]) == [620000, 80000]
    # 六安 2024: 分别为：霍山县34个、金寨县32个 — each item with its place; 亿元以上 is not a scope
    t = extract_indicators("1-6月份全市亿元以上新签约项目174个,分别为:霍山县34个、金寨县32个、市开发区14个。")
    assert list(t["scope"]) == ["全市", "霍山县", "金寨县", "市开发区"]
    assert set(t["indicator"]) == {"signed_projects"}
    # 亳州: 来自沪苏浙的…; 山东: 新签约项目潍坊5个、聊城3个
    t = extract_indicators("其中来自沪苏浙的新签约亿元以上工业项目 58 个、占比26.5%")
    assert only(t)["scope"] == "沪苏浙" and only(t)["share_pct"] == 26.5
    t = extract_indicators("9月份,共带队招商10次,新签约项目14个。其中,新签约项目潍坊5个、聊城3个。")
    assert list(t["scope"])[2:] == ["潍坊", "聊城"] and t.iloc[0]["indicator"] == "visits"


def test_indicator_names():
    cases = [
        ("新开工工业项目78个", "started_projects"),                       # 通报 2023
        ("“投產一批”項目3個", "producing_projects"),                     # 县项目投资 (traditional)
        ("全市履约项目422个", "performed_projects"),                     # 攀枝花 2006
        ("新增落地項目140個", "landed_projects"),                        # 本溪 (traditional)
        ("在建项目194个", "started_projects"),                           # 十堰
        ("在谈项目共58个", "leads"),                                     # 云城区
        ("各州市及滇中新区在各类省级重大招商活动中签约360个项目", "signed_projects"),  # count before its noun
        ("X个项目已建成投产", "producing_projects"),                      # 讲话稿
        ("全县共签约项目23个", "signed_projects"),
        ("全省累计有实际出资的境外投资企业321家,中方投资58.7亿美元", "outbound_investment"),
        ("引进州外到位资金62.40亿元", "funds_in_place"),                  # 州外 is domestic
        ("签约项目58个,计划总投资215.0391亿元", "contract_investment"),   # 总投资 of signed projects
        ("在谈项目共58个,计划总投资897.355亿元", "project_investment"),   # … but not of leads
        ("全縣實際內聯引資35.6億元", "funds_in_place"),
    ]
    for text, indicator in cases:
        assert extract_indicators(text)["indicator"].iloc[-1] == indicator, text


def test_noise_is_not_figures():
    # 夏邑 (2006-era summary): size bands are not amounts
    t = extract_indicators("按投资规模划分,300万元以下的项目328个,300--499万元的项目47个,"
                           "500--999万元的项目37个,1000万元以上的项目22个。")
    assert list(t["unit"]) == ["个"] * 4 and list(t["value"]) == [328, 47, 37, 22]
    assert only(extract_indicators("全市新签约10亿以上项目5个"))["value"] == 5
    # 約 of 履約 is not 约 "about"
    row = only(extract_indicators("第十屆西博會簽約項目已履約1054個"))
    assert not row["approx"] and row["indicator"] == "performed_projects"
    # 前10个月, 第2, 14条重点产业链 are not counts
    assert extract_indicators("今年前10个月,增速排名全省第2,14条重点产业链").empty


# --- check_report does not cry wolf ------------------------------------------------------------

def test_overlapping_and_partial_parts_are_not_summed():
    # 云城区: 其中超亿元投资项目21个,超10亿元投资项目2个 — size classes overlap
    t = extract_indicators("全区共上报市入统招商项目40个。其中超亿元投资项目21个,超10亿元投资项目2个。")
    assert t["parent"].notna().sum() == 2 and not (check_report(t)["check"] == "parts_sum").any()
    # 山东: 其中新到位内资较多的为青岛59亿元、日照37.4亿元、淄博11.3亿元 — the largest few
    t = extract_indicators("当月全省新到位内资153.9亿元,"
                           "其中新到位内资较多的为青岛59亿元、日照37.4亿元、淄博11.3亿元。")
    assert list(t["scope"])[1:] == ["青岛", "日照", "淄博"] and check_report(t)["ok"].isna().all()
    # overlapping sources: 省外 lies inside 市外
    t = extract_indicators("实际到位资金10.36亿元,其中:省外资金3.75亿元;市外资金6.61亿元。")
    assert not (check_report(t)["check"] == "parts_sum").any()


def test_disjoint_parts_are_summed_and_a_real_slip_is_caught():
    # 西宁: 5000万元以上项目204个,其中新建项目42个,续建项目162个 — 42 + 162 = 204
    t = extract_indicators("全市实施重点监控的5000万元以上项目204个,其中新建项目42个,续建项目162个。")
    c = only(check_report(t))
    assert c["check"] == "parts_sum" and c["actual"] == 204 and bool(c["ok"])
    # 自查报告: 工业 6.14 + 基础设施 0.891 + 其它 1.31 = 8.341亿元, printed total 8.29亿元
    t = extract_indicators("到位资金8.29亿元,完成年度目标任务的207.2%。其中工业项目35个,到位资金6.14亿元;"
                           "基础设施建设项目18个,到位资金8910万元;其它项目56个,到位资金1.31亿元。")
    sums = check_report(t)
    sums = sums[sums["check"] == "parts_sum"]
    assert list(sums["actual"]) == [83410] and not bool(sums["ok"].iloc[0])


def test_no_implied_target_from_a_part_the_completion_is_not_of():
    # 茌平: 实际到位资金8.9亿元,其中1000万以上项目到位资金4.9亿元,完成全年任务的60%
    t = extract_indicators("今年1-6月份,全县共引进项目75个,实际到位资金8.9亿元,"
                           "其中1000万以上项目到位资金4.9亿元,"
                           "完成全年任务的60%,实现了时间过半。")
    implied = only(check_report(t).query("check == 'implied_target'"))
    assert implied["rows"] == [1]                        # from 8.9亿元, the total
    assert implied["actual"] == pytest.approx(89000 / 0.6)


# --- never slow, never silently empty --------------------------------------------------------

def test_long_inputs_are_read_whole():
    # the number pattern no longer backtracks over a run of digits: one pass, nothing found
    assert extract_indicators("1" * 16000).empty
    # thousands of figures in one sentence: each read once, none rescanned
    t = extract_indicators(("省外1亿元，" * 11000)[:64000])
    # 10,666 whole "省外1亿元，" and a last "省外1亿" cut short, each 1亿元 of 省外
    assert len(t) == 10667 and set(t["value"]) == {10000.0} and set(t["scope"]) == {"省外"}
    assert t["sentence"].str.len().max() <= 302           # a long sentence is cut around each figure


def test_a_sentence_that_cannot_be_read_is_reported_and_the_rest_kept(monkeypatch):
    import zsanalytics.text as text_module

    real = text_module._percent_field

    def broken(ctx, wide, fig):
        if "同比下降" in ctx:
            raise RuntimeError("boom")
        return real(ctx, wide, fig)

    monkeypatch.setattr(text_module, "_percent_field", broken)
    t = extract_indicators("全县实际到位资金10.36亿元,同比增长59.8%。省外3.75亿元,同比下降3.4%。")
    assert list(t["indicator"]) == ["funds_in_place", "unreadable"]
    assert t.iloc[0]["yoy_pct"] == 59.8
    assert t.iloc[1]["sentence"] == "省外3.75亿元,同比下降3.4%"
    assert t.iloc[1]["label"] == "本句无法识别（RuntimeError）"


def test_which_total_a_part_after_qizhong_belongs_to():
    # 西秀区: 项目78个。…续建31个,新建28个,完工19个。其中,省外44个…;省内34个 — the parts are of 78,
    # the only total they fit in (a part is never larger than its total)
    t = extract_indicators("該區實現招商引資到位資金的項目78個。"
                           "按項目建設性質分,續建項目31個,新建項目28個,完工項目19個。"
                           "其中,引進省外投資項目共44個;引進省內協作投資項目共34個。")
    assert list(t.loc[t["scope"].isin(["省外", "省内"]), "parent"]) == [0, 0]
    parts = only(check_report(t).query("check == 'parts_sum'"))
    assert (parts["expected"], parts["actual"], bool(parts["ok"])) == (78, 78, True)
    # 丽水: 从产业结构上看,其中一产项目25个… opens a new breakdown, of no figure before it
    t = extract_indicators("全市共引进大项目68个,完成全年引进任务量的68%。其中引进超20亿元项目2个。"
                           "从产业结构上看,其中一产项目25个,二产项目117个,三产项目69个。")
    assert t["parent"].notna().sum() == 1 and check_report(t).query("check == 'parts_sum'").empty
    # … and 超5亿元至10亿元项目 is a size band, not 5亿元
    assert list(extract_indicators("引进超5亿元至10亿元项目7个,引进10亿至20亿元项目4个")["value"]) == [7, 4]


def test_growth_of_the_count_and_variant_characters():
    # 滁州: 新签约亿元以上项目225个,总投资584.8亿元,项目数同比增长9.2%
    t = extract_indicators("全市新签约亿元以上项目225个,总投资584.8亿元,项目数同比增长9.2%。")
    assert list(t["yoy_pct"].fillna(0)) == [9.2, 0] and t.iloc[1]["indicator"] == "contract_investment"
    # 四川 2012 (産 and 佔 as printed): 二産業到位3075.7億元,同比增長8.4%,佔到位總額的54%
    row = only(extract_indicators("二産業到位3075.7億元,同比增長8.4%,佔到位總額的54%"))
    assert (row["scope"], row["yoy_pct"], row["share_pct"]) == ("二产业", 8.4, 54)
    # 实际到资17153万美元: money in 万美元 with no other word is foreign funds
    assert only(extract_indicators("实际到资17153万美元,同比增长19.49%"))["indicator"] == "foreign_funds"
    # 总投资220亿元的天亿科技…: one named project's investment, not a contract total
    named = extract_indicators("總投資220億元的天億科技第六代液晶螢幕件")
    assert named["indicator"].iloc[0] == "project_investment"
