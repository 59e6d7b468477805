"""Readers on workbooks the demo writer never produces: built cell by cell below, so every
expected value is written by hand next to the cell it comes from."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from zsanalytics import ZsAnalyticsError, read_ledger, read_monthly_report
from zsanalytics.clean import ISSUE_COLUMNS


def _save(tmp_path, rows, *, merges=(), name="Sheet1", file="book.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = name
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for m in merges:
        ws.merge_cells(m)
    path = tmp_path / file
    wb.save(path)
    return path


HEAD = ["序号", "项目名称", "乡镇（街道）", "行业", "投资方来源地", "总投资", "已到位资金",
        "签约日期", "开工日期", "投产日期", "是否新引进", "负责人"]


@pytest.fixture
def ledger_1(tmp_path):
    rows = [
        ["某县重点招商项目推进表"],                                                  # 1 title
        ["（单位：亿元）"],                                                           # 2 unit
        HEAD,                                                                         # 3 header
        [None, "合计", None, None, None, 4.5, 1.2],                                   # 4 total first
        [1, "光伏组件项目", "东湖镇人民政府", "新能源", "江苏", 2.5, 0.8, "2023.5.6",
         "2023年9月", None, "新引进", "张三"],                                        # 5
        [],                                                                           # 6 blank
        [2, "冷链物流中心", "西山 街道办事处", "物流", "上海", "1.5亿元", "xx", 45108,
         "未开工", None, "续建", "李四"],                                             # 7
        HEAD,                                                                         # 8 repeated
        [3, "光伏组件项目", "东湖镇", "新能源", "江苏", "5000万元", 0.4, "2023/11/20",
         "2024-2-1", dt.date(2024, 6, 30), "新引进", "王五"],                         # 9 repeat
        ["注：数据截至2024年6月底。"],                                                 # 10 note
    ]
    return _save(tmp_path, rows, merges=["A1:L1", "A10:L10"])


def test_ledger_rows_amounts_dates_units(ledger_1):
    result = read_ledger(ledger_1)
    d = result.data
    assert d["project_name"].tolist() == ["光伏组件项目", "冷链物流中心", "光伏组件项目"]
    assert d["unit"].tolist() == ["东湖镇", "西山街道", "东湖镇"]
    # 单位：亿元 → ×10,000; "1.5亿元" and "5000万元" carry their own unit
    assert d["contract_wan"].tolist() == [25000.0, 15000.0, 5000.0]
    assert d["funds_in_place_wan"].tolist()[0] == 8000.0
    assert np.isnan(d["funds_in_place_wan"].tolist()[1])  # xx
    assert d["funds_in_place_wan"].tolist()[2] == 4000.0
    # 45108 is 2023-07-01 in Excel's 1900 system (openpyxl.utils.datetime.from_excel agrees)
    assert d["signed_on"].tolist() == [pd.Timestamp("2023-05-06"), pd.Timestamp("2023-07-01"),
                                       pd.Timestamp("2023-11-20")]
    assert d["started_on"].tolist()[0] == pd.Timestamp("2023-09-01")
    assert pd.isna(d["started_on"].tolist()[1])
    assert d["producing_on"].tolist()[2] == pd.Timestamp("2024-06-30")
    assert d["is_new"].tolist() == [True, False, True]
    assert d["source_row"].tolist() == [5, 7, 9]
    assert d["负责人"].tolist() == ["张三", "李四", "王五"]  # unknown header kept
    assert result.meta["amount_unit"] == "亿元"


def test_ledger_lists_every_problem(ledger_1):
    result = read_ledger(ledger_1)
    got = set(zip(result.issues["row"].astype("float").fillna(0).astype(int),
                  result.issues["problem"], strict=True))
    assert got == {
        (0, "ids_generated"),
        (3, "unknown_header"),                        # 负责人
        (4, "total_row"),                             # 合计 first; 4.5 亿 = 2.5+1.5+0.5: no mismatch
        (5, "unit_normalised"), (5, "month_only"),
        (7, "unit_normalised"), (7, "masked"),        # xx; 未开工 is a word the reader knows
        (8, "repeated_header"),
        (9, "duplicate_project"),
        (10, "note_row"),
    }
    assert list(result.issues.columns) == ISSUE_COLUMNS
    # 未开工 in the 开工日期 column says "not started", with no date: not an unparsed date
    assert result.data["started_reached"].tolist() == [True, False, True]
    # rows in = rows out + rows excluded: rows 4,5,7,8,9,10 are non-empty below the header
    acc = result.accounting.iloc[0]
    assert (acc["nonempty_rows"], acc["data_rows"], acc["excluded_rows"]) == (6, 3, 3)
    assert result.balanced


def test_ledger_subtotals_are_cross_checked(tmp_path):
    rows = [
        ["金额单位：元"],
        ["项目名称", "责任单位", "协议投资额", "到位资金", "签约时间"],
        ["一、工业项目"],
        ["A厂", "城关镇", 50_000_000, 10_000_000, "2024-01-05"],
        ["B厂", "城关镇", 30_000_000, 5_000_000, "2024-02-05"],
        ["小计", None, 80_000_000, 16_000_000],       # funds: 10m + 5m = 15m, not 16m
        ["二、服务业项目"],
        ["C店", "河口镇", "2000万元", "100万美元", "2024-03-01"],
        ["小计", None, 20_000_000],
        ["总计", None, 100_000_000],
    ]
    result = read_ledger(_save(tmp_path, rows))
    assert result.data["contract_wan"].tolist() == [5000.0, 3000.0, 2000.0]
    assert result.data["section"].tolist() == ["工业项目", "工业项目", "服务业项目"]
    issues = result.issues.set_index(["row", "problem"])
    msg = issues.loc[(6, "subtotal_mismatch"), "message"]
    assert "1,600.00" in msg and "1,500.00" in msg  # in 万元: 16m 元 vs 15m 元
    # the USD amount in a CNY row is not mixed in silently
    assert (8, "currency_mismatch") in issues.index
    assert np.isnan(result.data["funds_in_place_wan"].iloc[2])
    checked = result.issues[result.issues["row"].isin([9, 10])]
    assert not checked["problem"].str.endswith("mismatch").any()  # 2000 万 and 10000 万 are right
    assert result.balanced and result.accounting["excluded_rows"].iloc[0] == 5


def test_amount_unit_argument_overrides_and_reports(tmp_path):
    rows = [["金额单位：万元"], ["项目名称", "责任单位", "合同投资额"], ["A", "城关镇", 2]]
    result = read_ledger(_save(tmp_path, rows), amount_unit="亿元")
    assert result.data["contract_wan"].tolist() == [20000.0]
    assert "amount_unit_conflict" in set(result.issues["problem"])


def test_ledger_errors(tmp_path):
    bad = tmp_path / "not.xlsx"
    bad.write_text("项目名称,单位\n")
    with pytest.raises(ZsAnalyticsError, match="不是能读取的工作簿"):
        read_ledger(bad)
    with pytest.raises(ZsAnalyticsError, match="'Sheet1'（空表）"):
        read_ledger(_save(tmp_path, [], file="empty.xlsx"))
    with pytest.raises(ZsAnalyticsError, match="中没有找到项目台账"):
        read_ledger(_save(tmp_path, [["姓名", "电话"], ["张三", "123"]], file="other.xlsx"))
    with pytest.raises(ZsAnalyticsError, match="sheet == 'nope'"):
        read_ledger(_save(tmp_path, [["a"]], file="one.xlsx"), sheet="nope")
    with pytest.raises(ZsAnalyticsError, match="amount_unit"):
        read_ledger(bad, amount_unit="万")
    with pytest.raises(FileNotFoundError):
        read_ledger(tmp_path / "missing.xlsx")


MONTHLY_HEAD = ["单位", "本月", "累计", "上年同期", "同比增长(%)", "全年任务", "完成率(%)"]


def _monthly(tmp_path):
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {  # no year in titles or names: the caller says 2023
        "1-2月": [["合计", 50, 100, 80, 25.0, 1200, 8.3],
                  ["甲镇", 50, 100, 80, 25.0, 1000, 10.0],
                  ["乙乡", 0, 0, 0, "—", 200, 0]],
        "1-3月": [["甲镇", 60, 160, 150, 6.7, 1000, 16.0],
                  ["乙乡人民政府", 30, 30, 10, 200.0, 200, 15.0],
                  ["合计", 90, 190, 160, 18.8, 1200, 15.8]],
        "1-5月": [["甲镇", 20, 150, 300, -50.0, 1000, 15.0],   # 160 → 150: a revision
                  ["乙乡", 40, 90, 50, 80.0, 200, 55.0],       # 完成率 should be 45.0
                  ["合计", 60, 240, 350, -31.4, 1200, 20.0]],
    }
    for name, body in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(["全县招商引资到位资金统计表"])
        ws.append(["单位：万元"])
        ws.append(MONTHLY_HEAD)
        for row in body:
            ws.append(row)
    path = tmp_path / "monthly.xlsx"
    wb.save(path)
    return path


def test_monthly_report_increments_and_checks(tmp_path):
    report = read_monthly_report(_monthly(tmp_path), year=2023)
    funds = report.data.set_index(["unit", "month"])["amount_wan"]
    # by hand: 甲镇 100 (1-2月), 160-100 = 60, 150-160 = -10; 乙乡 0, 30, 90-30 = 60
    assert funds.to_dict() == {
        ("乙乡", pd.Timestamp("2023-02-01")): 0.0, ("乙乡", pd.Timestamp("2023-03-01")): 30.0,
        ("乙乡", pd.Timestamp("2023-05-01")): 60.0, ("甲镇", pd.Timestamp("2023-02-01")): 100.0,
        ("甲镇", pd.Timestamp("2023-03-01")): 60.0, ("甲镇", pd.Timestamp("2023-05-01")): -10.0,
    }
    assert set(report.data["source"]) == {"合计"} and set(report.data["currency"]) == {"CNY"}
    issues = set(zip(report.issues["sheet"], report.issues["row"].astype(float).fillna(0),
                     report.issues["problem"], strict=True))
    assert ("1-5月", 4, "negative_increment") in issues
    assert ("1-5月", 5, "completion_pct_mismatch") in issues   # 90 / 200 = 45%, not 55%
    assert ("1-5月", 4, "months_combined") in issues            # no 1-4月 sheet
    assert ("1-2月", 4, "total_row") in issues
    assert ("1-3月", 5, "unit_normalised") in issues
    assert not any(p == "total_mismatch" for *_, p in issues)
    targets = report.targets.set_index("unit")["target"].to_dict()
    assert targets == {"甲镇": 1000.0, "乙乡": 200.0}
    assert set(report.targets["indicator"]) == {"funds_in_place"}
    assert report.balanced


def test_monthly_report_needs_a_period(tmp_path):
    with pytest.raises(ZsAnalyticsError, match="无法判断报表期间"):
        read_monthly_report(_monthly(tmp_path))  # no year anywhere


def test_stage_order_at_the_written_precision(tmp_path):
    rows = [
        ["项目名称", "责任单位", "签约时间", "开工时间"],
        ["A", "城关镇", "2024-05-20", "2024-03-01"],   # started two months before signing
        ["B", "城关镇", "2024-03-10", "2024年3月"],    # same month, written without a day
    ]
    result = read_ledger(_save(tmp_path, rows))
    flagged = result.issues.query("problem == 'stage_order'")["row"].tolist()
    assert flagged == [2]
