"""The layout layer and what the analyst controls: sheet sizes, ``columns=``, the county
profile, ``zsa inspect`` and the Chinese issues export. Every expected value is written by hand
beside the cell it comes from."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from zsanalytics import ZsAnalyticsError, read_ledger, read_monthly_report
from zsanalytics.clean import _layout
from zsanalytics.clean.profile import load_profile
from zsanalytics.cli import main


def _book(path, rows, *, far_cell=None, merges=()):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if far_cell:
        ws[far_cell] = "x"
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_a_stray_cell_far_away_is_read_sparsely_not_densely(tmp_path):
    # one cell at XFD1048576: a dense read would be 17 billion cells (calamine alone tries to
    # allocate the whole range); the sheet's real cells are read instead
    path = _book(tmp_path / "far.xlsx", [["项目名称", "责任单位", "合同投资额"],
                                         ["A厂", "城关镇", 100], ["B厂", "河口镇", 200]],
                 far_cell="XFD1048576")
    result = read_ledger(path)
    assert result.data["contract_wan"].tolist() == [100.0, 200.0]
    # the stray cell is a row of its own outside the table's columns: a note, reported and
    # excluded, never silently dropped
    stray = result.issues[result.issues["problem"] == "note_row"]
    assert stray["row"].tolist() == [1048576] and result.balanced


def test_a_sheet_with_too_many_real_cells_is_refused(tmp_path, monkeypatch):
    path = _book(tmp_path / "big.xlsx", [["项目名称", "责任单位", "合同投资额"]]
                 + [[f"P{i}", "城关镇", i] for i in range(40)], far_cell="XFD1048576")
    monkeypatch.setattr(_layout, "CELL_LIMIT", 50)  # 41 rows × 3 columns of values > 50 cells
    with pytest.raises(ZsAnalyticsError, match=r"超过 50 个.*无法读取"):
        read_ledger(path)


HEAD = ["序号", "招引对象", "所在片区", "计划投资（亿元）", "签约日期"]


def test_columns_map_headers_the_reader_does_not_know(tmp_path):
    path = _book(tmp_path / "l.xlsx", [HEAD, [1, "甲公司", "城关镇", 1.5, "2024-03-01"]])
    with pytest.raises(ZsAnalyticsError, match="中没有找到项目台账"):
        read_ledger(path)  # 招引对象 and 所在片区 are not names the reader knows
    result = read_ledger(path, columns={"招引对象": "project_name", "所在片区": "unit"})
    d = result.data
    # 计划投资（亿元）: 1.5 亿元 = 15000 万元; 签约日期 is a known header
    assert (d["project_name"].tolist(), d["unit"].tolist(), d["contract_wan"].tolist()) == (
        ["甲公司"], ["城关镇"], [15000.0])
    plan = result.plan.set_index("header")["canonical"]
    assert plan["招引对象"] == "project_name" and plan["计划投资（亿元）"] == "contract_wan"


def test_a_profile_beside_the_file_is_used(tmp_path):
    path = _book(tmp_path / "l.xlsx", [["招引对象", "所在片区", "计划投资"],
                                       ["甲公司", "城关", 2], ["乙公司", "县发展和改革局", 3]])
    (tmp_path / "zsa.toml").write_text(
        '[county]\nname = "示例县"\namount_unit = "亿元"\n\n'
        '[headers]\nproject_name = ["招引对象"]\nunit = ["所在片区"]\ncontract_wan = "计划投资"\n\n'
        '[[units]]\nname = "城关镇"\ngroup = "乡镇"\naliases = ["城关"]\n\n'
        '[[units]]\nname = "县发改局"\ngroup = "县直单位"\naliases = ["县发展和改革局"]\n',
        encoding="utf-8")
    result = read_ledger(path)
    # the profile's 亿元: 2 → 20000 万元, 3 → 30000; its aliases name the units
    assert result.data["contract_wan"].tolist() == [20000.0, 30000.0]
    assert result.data["unit"].tolist() == ["城关镇", "县发改局"]
    assert result.meta["amount_unit_source"] == "profile"
    assert load_profile(tmp_path / "zsa.toml").groups == {"城关镇": "乡镇", "县发改局": "县直单位"}


def test_profile_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(ZsAnalyticsError, match="'projekt' 不是标准列名"):
        load_profile({"headers": {"projekt": ["x"]}})
    with pytest.raises(ZsAnalyticsError, match="group =="):
        load_profile({"units": [{"name": "城关镇", "group": "村"}]})
    with pytest.raises(ZsAnalyticsError, match="履约"):
        load_profile({"assessment": {"performance": "signed"}})
    bad = tmp_path / "zsa.toml"
    bad.write_text("[county\n", encoding="utf-8")
    with pytest.raises(ZsAnalyticsError, match="无法读取"):
        load_profile(bad)


def test_monthly_profile_gives_groups_when_the_file_has_no_sections(tmp_path):
    path = _book(tmp_path / "m.xlsx", [["2024年1-3月到位资金"], ["单位", "本月", "累计"],
                                       ["城关镇", 10, 30], ["县发改局", 5, 8]])
    prof = {"units": [{"name": "城关镇", "group": "乡镇"}, {"name": "县发改局", "group": "县直单位"}]}
    rep = read_monthly_report(path, profile=prof).reported
    assert dict(zip(rep["unit"], rep["group"], strict=True)) == {"城关镇": "乡镇",
                                                                 "县发改局": "县直单位"}


def test_inspect_shows_how_each_column_was_read(tmp_path, capsys):
    path = _book(tmp_path / "l.xlsx", [["2024年项目推进表"], ["单位：万元"],
                                       ["项目名称", "责任单位", "实际到位资金", None, "包联领导"],
                                       [None, None, "本年", "累计", None],
                                       ["甲项目", "城关镇", 10, 50, "张三"]],
                 merges=["C3:D3", "A3:A4", "B3:B4", "E3:E4"])
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "表头在第3、4行" in out
    assert "实际到位资金 / 本年" in out and "funds_this_year_wan" in out
    assert "实际到位资金 / 累计" in out and "funds_in_place_wan" in out
    assert "包联领导" in out and "未识别" in out
    assert "金额单位：万元" in out and "数据1行" in out


def test_clean_writes_the_issues_in_chinese(tmp_path, capsys):
    path = _book(tmp_path / "l.xlsx", [["项目名称", "责任单位", "合同投资额", "=HYPERLINK(\"x\")"],
                                       ["甲", "城关镇人民政府", "xx", 1]])
    out = tmp_path / "issues.csv"
    assert main(["clean", str(path), "--issues", str(out)]) == 0
    issues = pd.read_csv(out, encoding="utf-8-sig")
    assert list(issues.columns) == ["工作表", "行号", "列", "原值", "问题", "处理", "说明"]
    assert {"金额被遮盖", "单位名称已规范", "未识别的列"} <= set(issues["问题"])
    # the formula-like header survives only as inert text
    assert issues["原值"].astype(str).str.startswith("=").sum() == 0


def test_monthly_hidden_rows_and_columns_are_read_and_said(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (["2024年1-2月到位资金"], ["单位", "本月", "累计", "备注"],
                ["城关镇", 10, 30, "a"], ["河口镇", 5, 8, "b"], ["合计", 15, 38, None]):
        ws.append(row)
    ws.row_dimensions[4].hidden = True          # 河口镇
    ws.column_dimensions["D"].hidden = True     # 备注
    wb.save(tmp_path / "m.xlsx")
    report = read_monthly_report(tmp_path / "m.xlsx")
    # the hidden row is read (30 + 8 = 38, the 合计 agrees) and said, as is the hidden column
    assert report.reported.query("not is_total")["ytd_wan"].tolist() == [30.0, 8.0]
    said = report.issues.set_index("problem")
    assert said.loc["hidden_row", "row"] == 4 and "备注" in said.loc["hidden_column", "column"]
    assert "total_mismatch" not in said.index


def test_monthly_columns_name_measures_the_reader_does_not_know(tmp_path):
    path = _book(tmp_path / "m.xlsx", [["2024年1-3月到位资金"], ["包保单位", "当期数", "累计数"],
                                       ["城关镇", 10, 30], ["河口镇", 5, 8]])
    with pytest.raises(ZsAnalyticsError, match="中没有找到月报表"):
        read_monthly_report(path)   # 包保单位 and 当期数 are not names the reader knows
    report = read_monthly_report(path, columns={"包保单位": "unit", "当期数": "this_month"})
    # 累计数 is known; 1-3月 of 2024 from the title: 30 and 8 arrive by March
    got = report.reported.set_index("unit")[["this_month_wan", "ytd_wan", "end_month"]]
    assert got.to_dict("index") == {"城关镇": {"this_month_wan": 10.0, "ytd_wan": 30.0,
                                             "end_month": 3},
                                    "河口镇": {"this_month_wan": 5.0, "ytd_wan": 8.0,
                                             "end_month": 3}}


def test_an_html_table_saved_as_xls_is_read(tmp_path):
    # web systems export an HTML table under a .xls name, often in GB2312, with colspan and
    # rowspan for merged cells
    html = ('<html><head><meta charset="gb2312"></head><body><table>'
            '<tr><td colspan="3">2024年1-6月各乡镇到位资金</td></tr>'
            '<tr><td rowspan="2">单位</td><td colspan="2">实际到位资金（万元）</td></tr>'
            '<tr><td>本月</td><td>累计</td></tr>'
            '<tr><td>城关镇</td><td>10</td><td>30.5</td></tr>'
            '<tr><td>河口镇</td><td>5</td><td>8</td></tr>'
            '<tr><td>合计</td><td>15</td><td>38.5</td></tr></table></body></html>')
    path = tmp_path / "export.xls"
    path.write_bytes(html.encode("gb2312"))
    rep = read_monthly_report(path).reported
    # by hand from the cells above: the two units, 1-6月 of 2024, and the 合计 row apart
    units = rep[~rep["is_total"]]
    assert units[["unit", "this_month_wan", "ytd_wan"]].values.tolist() == [
        ["城关镇", 10.0, 30.5], ["河口镇", 5.0, 8.0]]
    assert set(units["end_month"]) == {6} and set(units["year"]) == {2024}
    assert rep.loc[rep["is_total"], "ytd_wan"].tolist() == [38.5]


def test_excel_2003_xml_is_read(tmp_path):
    xml = ('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="台账">'
           '<Table><Row><Cell ss:MergeAcross="2"><Data ss:Type="String">2024年项目台账</Data>'
           '</Cell></Row><Row><Cell><Data ss:Type="String">项目名称</Data></Cell><Cell>'
           '<Data ss:Type="String">责任单位</Data></Cell><Cell><Data ss:Type="String">合同投资额'
           '（亿元）</Data></Cell></Row><Row ss:Hidden="1"><Cell><Data ss:Type="String">甲项目'
           '</Data></Cell><Cell><Data ss:Type="String">城关镇</Data></Cell><Cell ss:Index="3">'
           '<Data ss:Type="Number">1.5</Data></Cell></Row></Table></Worksheet></Workbook>')
    path = tmp_path / "ledger.xml"
    path.write_text(xml, encoding="utf-8")
    result = read_ledger(path)
    # 1.5 亿元 = 15000 万元; the hidden row is read and said
    assert result.data[["project_name", "unit", "contract_wan"]].values.tolist() == [
        ["甲项目", "城关镇", 15000.0]]
    assert "hidden_row" in set(result.issues["problem"])
