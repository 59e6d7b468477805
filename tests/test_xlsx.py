"""The briefing workbook as it is opened and printed: 要点 first, A4 landscape one page wide,
columns as wide as their figures, dates as dates, and no cell a spreadsheet would run.

The print test converts the workbook with LibreOffice Calc (``soffice``; on Debian the
packages ``libreoffice-calc-nogui`` and ``poppler-utils``). It skips on a machine without
them and fails in CI, whose ``.ci/run`` installs both.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from zsanalytics.briefing import build_briefing
from zsanalytics.briefing.model import Briefing

from .conftest import IN_CI

openpyxl = pytest.importorskip("openpyxl")

TITLE = "全县招商引资工作简报（2024年1-6月）"   # Briefing.title for scope 全县, as_of 2024-06
#: What a spreadsheet would run: a formula sign, full-width ones too, after any spaces.
RUNS = re.compile(r"^[\s\u3000]*[=+\-@＝＋－＠]")


class WithSource(Briefing):
    """A briefing whose model says where its figures come from."""

    source_line = "数据：到位资金2019年1月至2024年6月（20个单位）；生成于2024-07-01 09:00。"


class WithoutSource(Briefing):
    """A briefing whose model says nothing about its data."""

    source_line = None


def hand_briefing(scope: str = "全县", tables: dict[str, pd.DataFrame] | None = None,
                  cls: type | None = None) -> Briefing:
    """A briefing of hand-made tables; without a source line unless ``cls`` gives one."""
    return (cls or WithoutSource)(as_of="2024-06", scope=scope, cards=[], sentences=[], figures={},
               tables=tables if tables is not None else {"要点": pd.DataFrame({"要点": ["一句。"]})})


@pytest.fixture(scope="module")
def demo_briefing(demo):
    return build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06")


@pytest.fixture(scope="module")
def demo_book(demo_briefing, tmp_path_factory):
    path = demo_briefing.write_xlsx(tmp_path_factory.mktemp("xlsx") / "b.xlsx")
    return path, openpyxl.load_workbook(path)


# --- order and the 要点 sheet ----------------------------------------------------------------

def test_points_sheet_comes_first_with_title_and_source_line(tmp_path):
    tables = {"各单位完成情况": pd.DataFrame({"单位": ["城西镇"], "累计（亿元）": [1.5]}),
              "逾期项目": pd.DataFrame({"单位": ["城西镇"]}),
              "要点": pd.DataFrame({"要点": ["第一句。", "第二句。"]})}
    path = hand_briefing(tables=tables, cls=WithSource).write_xlsx(tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(path)
    # 要点 moved to the front; the others keep the model's order
    assert book.sheetnames == ["要点", "各单位完成情况", "逾期项目"]
    points = book["要点"]
    assert [points.cell(r, 1).value for r in range(1, 6)] == [
        TITLE, WithSource.source_line, "要点", "第一句。", "第二句。"]
    assert points.print_title_rows == "$3:$3"
    assert points.cell(4, 1).alignment.wrap_text
    # one wide column: A4 landscape less narrow margins holds ~145 characters; at least 100
    assert points.column_dimensions["A"].width >= 100


def test_points_sheet_without_a_source_line(tmp_path):
    path = hand_briefing().write_xlsx(tmp_path / "b.xlsx")
    points = openpyxl.load_workbook(path)["要点"]
    assert [points.cell(r, 1).value for r in range(1, 4)] == [TITLE, "要点", "一句。"]
    assert points.print_title_rows == "$2:$2"


def test_demo_workbook_starts_with_the_points(demo_book, demo_briefing):
    _, book = demo_book
    assert book.sheetnames[0] == "要点"
    assert sorted(book.sheetnames) == sorted(demo_briefing.tables)
    points = [c.value for c in book["要点"]["A"]]
    assert points[0] == TITLE
    assert demo_briefing.sentences[0] in points


# --- page setup ------------------------------------------------------------------------------

def test_every_sheet_prints_a4_landscape_one_page_wide(demo_book):
    _, book = demo_book
    for sheet in book:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == 9, sheet.title          # 9 is A4 in SpreadsheetML
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True, sheet.title
        # the header row repeats: row 2 under the title; on 要点 row 3, under the source line
        header_row = 3 if sheet.title == "要点" and sheet["A2"].value != "要点" else 2
        assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
        assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert sheet.oddHeader.center.text == TITLE
        assert sheet.page_margins.left <= 0.3 and sheet.page_margins.right <= 0.3
        header = sheet.cell(header_row, 1)
        assert header.border.bottom.style == "thin", sheet.title   # reads as a table on paper


def test_an_ampersand_in_the_title_is_not_a_page_header_code(tmp_path):
    # "&P" in a page header prints the page number; the scope's own & is doubled
    path = hand_briefing(scope="A&P县").write_xlsx(tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(path)["要点"]
    assert sheet.oddHeader.center.text == "A&&P县招商引资工作简报（2024年1-6月）"
    assert sheet["A1"].value == "A&P县招商引资工作简报（2024年1-6月）"


# --- widths, headers, alignment --------------------------------------------------------------

def test_numeric_columns_are_as_wide_as_their_figures(demo_book):
    _, book = demo_book
    sheet = book["各单位完成情况"]
    header = {c.value: c.column_letter for c in sheet[2]}
    width = {name: sheet.column_dimensions[letter].width for name, letter in header.items()}
    # By hand: the widest of the figure as shown and each header line, a Chinese character
    # counting two, plus 2 of padding. 亿元 figures of the demo are under 100 ("13.27", 5):
    # the header's "（亿元）" (8) decides, so 10. 同比: "-100.0" and "无实绩" are 6, 8.
    # 完成率: "完成率" 6, 8. 与序时进度差: 12, 14. Before issue 14 these were 36-38.
    assert width["本月\n（亿元）"] == width["累计\n（亿元）"] == width["年度任务\n（亿元）"] == 10
    assert width["同比\n（%）"] == 8
    assert width["完成率\n（%）"] == 8
    assert width["与序时进度差\n（百分点）"] == 14
    # every number column of every sheet: no wider than its widest header line, which is at
    # most six Chinese characters (与序时进度差, 预测区间下限) = 12, plus 2
    for ws in book:
        for column in ws.iter_cols(min_row=3):
            numbers = [c for c in column if isinstance(c.value, int | float)]
            if numbers:
                letter = numbers[0].column_letter
                assert ws.column_dimensions[letter].width <= 14, (ws.title, letter)
                assert all(c.alignment.horizontal == "right" for c in numbers), (ws.title, letter)


def test_a_growth_column_with_notes_is_still_a_number_column(tmp_path):
    # 同比 of two sources: one figure, one 新增 (no last year); both right-aligned like figures
    table = pd.DataFrame({"资金来源": ["省内", "省外"], "同比（%）": [-3.5, "新增"]})
    path = hand_briefing(tables={"按来源": table}).write_xlsx(tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(path)["按来源"]
    assert [(c.value, c.alignment.horizontal, c.number_format) for c in sheet["B"][2:]] == [
        (-3.5, "right", "0.0"), ("新增", "right", "General")]
    assert sheet["A3"].alignment.horizontal == "left"


def test_long_headers_break_before_their_unit(demo_book):
    _, book = demo_book
    heads = [c.value for c in book["各单位完成情况"][2]]
    # broken before （ where the header is wider than the figures; short ones left alone
    assert heads == ["完成率排名", "单位", "本月\n（亿元）", "累计\n（亿元）", "同比\n（%）",
                     "年度任务\n（亿元）", "完成率\n（%）", "与序时进度差\n（百分点）", "进度",
                     "排名变化", "到位资金排名"]
    assert all(c.alignment.wrap_text for c in book["各单位完成情况"][2])


def test_figures_stay_numbers_with_their_formats(demo_book, demo_briefing):
    _, book = demo_book
    sheet = book["各单位完成情况"]
    first = demo_briefing.tables["各单位完成情况"].iloc[0]
    assert sheet["D3"].value == pytest.approx(first["累计（亿元）"])
    assert sheet["D3"].number_format == "0.00" and sheet["H3"].number_format == "0.0"
    # row colours by 进度 (STATUS_FILLS), the whole row
    colour = {"超序时进度": "DCE9F8", "低于序时进度": "FCEFD9"}[first["进度"]]
    assert all(c.fill.fgColor.rgb.endswith(colour) for c in sheet[3])
    # the 合计 row in bold, the others not: 按来源 is 省内, 省外, then 合计
    sources = book["按来源"]
    assert [(r[0].value, r[0].font.b, r[1].font.b) for r in sources.iter_rows(min_row=3)] == [
        ("省内", False, False), ("省外", False, False), ("合计", True, True)]


# --- dates -----------------------------------------------------------------------------------

def test_dates_are_excel_dates(tmp_path):
    table = pd.DataFrame({
        "项目名称": ["2024-01-05", "甲"],                      # not a date column: stays text
        "签约日期": pd.to_datetime(["2024-01-05", None]),      # datetime64, a missing day
        "起算日": ["2024-03-15", "未签约"],                     # ISO text under a 日 header
        "应完成日": [dt.date(2024, 6, 13), dt.date(2024, 2, 29)],  # datetime.date objects
        "更新日期": [pd.Timestamp("2024-07-01"), "2024-02-30"],  # a Timestamp; not a day
    })
    path = hand_briefing(tables={"逾期项目": table}).write_xlsx(tmp_path / "b.xlsx")
    sheet = openpyxl.load_workbook(path)["逾期项目"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [
        ["2024-01-05", dt.datetime(2024, 1, 5), dt.datetime(2024, 3, 15), dt.datetime(2024, 6, 13),
         dt.datetime(2024, 7, 1)],
        ["甲", None, "未签约", dt.datetime(2024, 2, 29), "2024-02-30"],
    ]
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_a_column_with_times_shows_them(tmp_path):
    table = pd.DataFrame({"登记时间": pd.to_datetime(["2024-07-01 09:30", "2024-07-02 00:00"])})
    path = hand_briefing(tables={"登记": table}).write_xlsx(tmp_path / "b.xlsx")
    cells = list(openpyxl.load_workbook(path)["登记"]["A"])[2:]
    assert [c.value for c in cells] == [dt.datetime(2024, 7, 1, 9, 30), dt.datetime(2024, 7, 2)]
    assert {c.number_format for c in cells} == {"yyyy-mm-dd hh:mm"}


def test_figures_a_spreadsheet_cannot_hold_are_empty(tmp_path):
    # by hand: inf and NaN have no cell value in a workbook; NA of an integer column neither
    table = pd.DataFrame({"完成率（%）": [float("inf"), float("nan"), 50.0],
                          "逾期天数": pd.array([1, None, 3], dtype="Int64")})
    path = hand_briefing(tables={"表": table}).write_xlsx(tmp_path / "b.xlsx")
    rows = list(openpyxl.load_workbook(path)["表"].iter_rows(min_row=3, values_only=True))
    assert rows == [(None, 1), (None, None), (50, 3)]


def test_demo_overdue_dates_are_dates(demo_book):
    _, book = demo_book
    sheet = book["逾期项目"]
    dated = [c.column_letter for c in sheet[2] if c.value.endswith(("日", "日期"))]
    assert dated   # 签约日期, or 起算日 and 应完成日
    for letter in dated:
        cells = [c for c in sheet[letter][2:] if c.value is not None]
        assert cells and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd"
                             for c in cells), letter


# --- formulas --------------------------------------------------------------------------------

@pytest.mark.parametrize(("scope", "title"), [
    # by hand: an apostrophe before the title, which starts with the scope
    ("=1+1", "'=1+1招商引资工作简报（2024年1-6月）"),
    ("＝1+1", "'＝1+1招商引资工作简报（2024年1-6月）"),
    (" =1+1", "' =1+1招商引资工作简报（2024年1-6月）"),
    ("@SUM(A1)", "'@SUM(A1)招商引资工作简报（2024年1-6月）"),
])
def test_no_cell_runs_with_a_scope_an_attacker_chose(tmp_path, scope, title):
    units = pd.DataFrame({
        "单位": ["=HYPERLINK(\"http://x\")", "＋1", "\t=1", "\n@SUM(A1)", "　－2", "城西镇"],
        "同比（%）": [-5.8, "=A1", 3.0, "新增", None, -3.5],
        "+备注": ["-", "ok", "", None, "+86 10", "－"],
    })
    tables = {"各单位完成情况": units, "要点": pd.DataFrame({"要点": [scope + "一句。"]})}
    path = hand_briefing(scope, tables).write_xlsx(tmp_path / "b.xlsx")
    book = openpyxl.load_workbook(path)
    for sheet in book:
        assert sheet["A1"].value == title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and RUNS.match(cell.value)), cell.value
    sheet = book["各单位完成情况"]
    columns = list(zip(*sheet.iter_rows(min_row=2, values_only=True), strict=True))
    # by hand: each text value with an apostrophe in front; numbers untouched
    assert columns[0] == ("单位", "'=HYPERLINK(\"http://x\")", "'＋1", "'\t=1", "'\n@SUM(A1)",
                          "'　－2", "城西镇")
    assert columns[1] == ("同比\n（%）", -5.8, "'=A1", 3, "新增", None, -3.5)
    assert columns[2] == ("'+备注", "'-", "ok", None, None, "'+86 10", "'－")
    assert book["要点"]["A3"].value == "'" + scope + "一句。"


def test_text_that_is_a_number_is_kept_as_typed(tmp_path):
    # the workbook's choice (zsanalytics._export.neutralise_text, keep_numbers): "-3.5" in a
    # text column is written as a text cell, which no spreadsheet runs, and reads as typed;
    # "-3.5+A1" is a formula and "－3.5" is folded to one by WPS, so they get the apostrophe
    table = pd.DataFrame({"说明": ["-3.5", "+2", "-12%", "-1,234.5", "-3.5+A1", "－3.5", "-"]})
    path = hand_briefing(tables={"说明": table}).write_xlsx(tmp_path / "b.xlsx")
    cells = list(openpyxl.load_workbook(path)["说明"]["A"])[2:]
    assert [c.value for c in cells] == ["-3.5", "+2", "-12%", "-1,234.5", "'-3.5+A1", "'－3.5", "'-"]
    assert all(c.data_type == "s" for c in cells)


def test_the_scope_in_a_real_briefing_is_inert(demo, tmp_path):
    scope = '=HYPERLINK("http://x")'
    b = build_briefing(None, demo.funds, demo.targets, as_of="2024-06", scope=scope)
    book = openpyxl.load_workbook(b.write_xlsx(tmp_path / "b.xlsx"))
    expected = "'" + scope + "招商引资工作简报（2024年1-6月）"   # by hand, as above
    assert {sheet["A1"].value for sheet in book} == {expected}
    assert not [c.value for s in book for row in s.iter_rows() for c in row
                if isinstance(c.value, str) and RUNS.match(c.value)]


# --- printed ---------------------------------------------------------------------------------

def _missing(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (CI must run the print test)")
    pytest.skip(message)


def _calc() -> str:
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        _missing("no LibreOffice or poppler: apt-get install libreoffice-calc-nogui poppler-utils")
    program = Path(str(soffice)).resolve().parent
    if not any(program.glob("libsclo.*")) and not any(program.glob("*Calc*")):
        _missing("LibreOffice without Calc: apt-get install libreoffice-calc-nogui")
    return str(soffice)


def _pdf(xlsx: Path, out: Path) -> tuple[int, list[str], str]:
    """Pages, each page's text and pdfinfo's page size, of the workbook printed by Calc."""
    soffice = _calc()
    # a profile of its own, so that a LibreOffice already running does not take the job
    subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    pdf = out / (xlsx.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+(.*)", info).group(1)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return pages, text.split("\f")[:pages], size


def test_the_unit_table_prints_on_one_page(demo_book, demo_briefing, tmp_path):
    path, _ = demo_book
    pages, text, size = _pdf(path, tmp_path)
    width, height = map(float, re.match(r"([\d.]+) x ([\d.]+)", size).groups())
    assert "A4" in size and width > height                    # A4 landscape
    units = demo_briefing.tables["各单位完成情况"]
    # one page holds the whole unit table: its first and last headers and all 20 units. Before
    # issue 14 each of its 11 columns printed on a page of its own.
    page = next(p for p in text if "完成率排名" in p)
    assert "到位资金排名" in page and "与序时进度差" in page
    assert all(unit in page for unit in units["单位"])
    assert re.search(r"第 \d+ 页，共 \d+ 页", page)                  # the footer
    # page count by hand: 要点, 各单位完成情况 (20 rows), 按来源 (3) and 全年预计 (21) a page each —
    # ~23 rows of at most 2 lines of 15.5 pt fit the 487 pt between A4 landscape's 0.75 in
    # margins; 逾期项目 at least 13 rows a page (487 pt less a 35 pt header, over 2 lines +
    # 2 pt = 33 pt a row) on as many pages as that takes
    overdue = len(demo_briefing.tables["逾期项目"])
    assert pages <= 4 + math.ceil(overdue / 13)


def test_a_workbook_name_without_xlsx_is_refused_in_chinese(tmp_path):
    from zsanalytics.errors import ZsAnalyticsError

    demo_like = Briefing(as_of="2024-06", scope="全县", cards=[], sentences=[], figures={},
                         tables={"要点": pd.DataFrame({"要点": ["一句话。"]})})
    with pytest.raises(ZsAnalyticsError, match=r"工作簿文件名应以 \.xlsx 结尾"):
        demo_like.write_xlsx(tmp_path / "b.xls")
    assert not (tmp_path / "b.xls").exists()
