"""The readers on sheets nobody designed: hypothesis writes grids of headers, numbers, words,
blanks and merges, and every one must either read with rows balanced and money kept in its
currency, or be refused with a ZsAnalyticsError that says why — never an unexpected
exception, never a silently lost row."""

from __future__ import annotations

import math

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook

from zsanalytics import ZsAnalyticsError, read_ledger, read_monthly_report

HEADERS = ["项目名称", "责任单位", "合同投资额", "累计到位资金", "签约时间", "开工时间", "序号",
           "单位", "本月", "1-6月累计", "上年同期", "同比", "年度任务", "完成率", "备注", "是否开工"]
WORDS = ["合计", "小计", "一、工业项目", "注：", "城关镇", "河口镇人民政府", "xx", "—", "约500",
         "1.5亿元", "3月15日", "2024.03", "√", "否", "已开工", "其中：省外", "2024年1-6月", " "]
cell = st.one_of(st.none(), st.sampled_from(HEADERS + WORDS),
                 st.floats(-1e6, 1e7, allow_nan=False).map(lambda x: round(x, 2)),
                 st.integers(0, 300000),
                 # what a cell can hold (openpyxl refuses control characters)
                 st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6))


@st.composite
def sheets(draw):
    width = draw(st.integers(1, 7))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=12))
    title = draw(st.sampled_from([None, "2024年1-6月招商引资情况", "金额单位：亿元"]))
    merge = draw(st.booleans())
    return title, header, rows, merge


def _write(tmp_path, title, header, rows, merge):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if merge and len(rows) >= 2:
        first = 2 + bool(title)
        ws.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    path = tmp_path / "random.xlsx"
    wb.save(path)
    return path


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sheets())
def test_any_sheet_reads_balanced_or_is_refused(tmp_path, sheet):
    path = _write(tmp_path, *sheet)
    for reader in (read_ledger, read_monthly_report):
        try:
            result = reader(path)
        except ZsAnalyticsError:
            continue  # refused, with a message saying why
        assert result.balanced, result.accounting
        if reader is read_ledger:
            data = result.data
            assert set(data["currency"].dropna()) <= {"CNY", "USD"}
            assert all(math.isfinite(v) for v in data["contract_wan"].dropna())
        else:
            assert set(result.data["currency"].dropna()) <= {"CNY", "USD"}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cell.map(lambda v: "" if v is None else str(v)), min_size=1,
                         max_size=6), max_size=10),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]), st.sampled_from([",", "\t"]))
def test_any_csv_reads_balanced_or_is_refused(tmp_path, rows, encoding, sep):
    lines = [sep.join(r).replace("\n", " ").replace("\r", " ") for r in rows]
    path = tmp_path / "random.csv"
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    for reader in (read_ledger, read_monthly_report):
        try:
            result = reader(path)
        except ZsAnalyticsError:
            continue
        assert result.balanced, result.accounting
