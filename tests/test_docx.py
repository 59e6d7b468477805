"""The Word 通报 (zsanalytics.briefing.docx): official format (GB/T 9704-2012) and its content.

The expected values come from the metrics called here directly (scorecard, stage_warnings)
and from the demo county's own profile (data/raw/zsa.toml) for the unit groups — not from
the module's own grouping by unit names.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn

import zsanalytics as zsa
from zsanalytics import round_half_up
from zsanalytics.briefing import build_briefing
from zsanalytics.briefing.docx import build_tongbao, write_docx
from zsanalytics.errors import ZsAnalyticsError

AS_OF = "2024-06"
PROFILE = Path(__file__).resolve().parent.parent / "data" / "raw" / "zsa.toml"
# the bulletin's groups: a profile's 乡镇 and 街道 are ranked together
GROUPS = {"乡镇": "乡镇（街道）", "街道": "乡镇（街道）", "县直单位": "县直单位", "园区": "园区"}
HEADINGS = ["一、总体情况", "二、各单位完成情况", "三、项目推进情况", "四、存在问题", "五、下步工作"]


@pytest.fixture(scope="module")
def made(demo, tmp_path_factory):
    briefing = build_briefing(demo.projects, demo.funds, demo.targets, as_of=AS_OF)
    tongbao = build_tongbao(demo.projects, demo.funds, demo.targets, as_of=AS_OF)
    path = write_docx(briefing, tmp_path_factory.mktemp("docx") / "通报.docx", tongbao=tongbao,
                      images=False)
    return briefing, tongbao, docx.Document(str(path))


@pytest.fixture(scope="module")
def card(demo):
    units = zsa.scorecard(demo.funds, demo.targets, as_of=AS_OF)
    groups = zsa.load_profile(PROFILE).groups
    return units.assign(group=units["unit"].map(lambda u: GROUPS[groups[u]]))


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _ranking_tables(document) -> list[list[list[str]]]:
    return [_rows(t) for t in document.tables if t.rows[0].cells[0].text == "排名"]


def _heading_texts(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_page_is_a4_with_the_official_margins(made):
    section = made[2].sections[0]
    # GB/T 9704-2012 §5.2.1-5.2.2: A4, top 37 mm, bottom 35, left 28, right 26 (type area
    # 156 × 225 mm); Word stores twips, so the millimetres are compared to 0.05 mm
    measured = {name: getattr(section, name).mm for name in
                ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin",
                 "right_margin")}
    expected = {"page_width": 210, "page_height": 297, "top_margin": 37, "bottom_margin": 35,
                "left_margin": 28, "right_margin": 26}
    assert measured == pytest.approx(expected, abs=0.05)
    assert measured["page_width"] - measured["left_margin"] - measured["right_margin"] == \
        pytest.approx(156, abs=0.05)


def test_five_sections_in_order(made):
    assert _heading_texts(made[2], "通报一级标题") == HEADINGS
    texts = [p.text for p in made[2].paragraphs]
    assert texts[0] == "关于2024年上半年全县\n招商引资工作情况的通报"
    assert "〔2024〕X号" in texts


def test_one_ranking_table_per_unit_group_with_its_units(made, card):
    tables = _ranking_tables(made[2])
    expected = {g: set(u) for g, u in card.groupby("group")["unit"]}
    # the groups in the bulletin's order, each a level-2 heading of section 二
    assert _heading_texts(made[2], "通报二级标题")[:3] == [
        "（一）乡镇（街道）", "（二）县直单位", "（三）园区"]
    assert len(tables) == 3
    for group, rows in zip(["乡镇（街道）", "县直单位", "园区"], tables, strict=True):
        units = {r[1] for r in rows[1:] if r[1] != "小计"}
        assert units == expected[group], group
        assert rows[-1][1] == "小计"


def test_units_ranked_only_within_their_group(made, card):
    for rows in _ranking_tables(made[2]):
        shown = {r[1]: int(r[0]) for r in rows[1:] if r[1] != "小计"}
        group = card[card["unit"].isin(shown)]
        # dense ranks of completion as shown (one decimal, half up) within the group:
        # 并列 share a rank and the next one does not skip, as rank_units documents
        values = group["completion_pct"].map(lambda v: round_half_up(float(v), 1))
        ranks = values.rank(method="dense", ascending=False).astype(int)
        assert shown == dict(zip(group["unit"], ranks, strict=True))
        assert min(shown.values()) == 1
    # 县发改局 leads its group although three townships are ahead of it county-wide
    county = made[1].rankings["县直单位"]
    assert county.loc[county["单位"] == "县发改局", "排名"].item() == 1


def test_amounts_in_yi_with_two_decimals(made, card):
    for rows in _ranking_tables(made[2]):
        header = rows[0]
        col = header.index("累计（亿元）") if "累计（亿元）" in header else 2
        shown = {r[1]: r[col] for r in rows[1:]}
        assert all(re.fullmatch(r"\d+\.\d{2}", v) for v in shown.values()), shown
        members = card[card["unit"].isin(shown)]
        for unit, wan in zip(members["unit"], members["ytd_wan"], strict=True):
            assert shown[unit] == f"{round_half_up(wan / 1e4, 2):.2f}"
        assert shown["小计"] == f"{round_half_up(members['ytd_wan'].sum() / 1e4, 2):.2f}"
    # 城西镇 1-6月 2024: 27,063.86 万元 in the scorecard → 2.71 亿元
    xi = next(r for rows in _ranking_tables(made[2]) for r in rows if r[1] == "城西镇")
    assert xi[2] == "2.71"


def test_fonts_and_sizes_as_the_standard_sets_them(made):
    document = made[2]

    def east_asia(style_name: str) -> str | None:
        fonts = document.styles[style_name].element.rPr.rFonts
        return fonts.get(qn("w:eastAsia"))

    # GB/T 9704-2012 §5.2.3 / §7.3: body 3号 仿宋, title 2号 小标宋, headings 黑体 then 楷体
    assert {name: east_asia(name) for name in ("Normal", "通报正文", "通报标题", "通报一级标题",
                                               "通报二级标题")} == {
        "Normal": "仿宋", "通报正文": "仿宋", "通报标题": "方正小标宋简体", "通报一级标题": "黑体",
        "通报二级标题": "楷体"}
    assert document.styles["通报正文"].font.size.pt == 16
    assert document.styles["通报标题"].font.size.pt == 22
    # no theme font left in the defaults to override w:eastAsia
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:eastAsia")) == "仿宋"
    # the title's substitute where 方正小标宋简体 is not installed
    table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable").blob
    assert "方正小标宋简体".encode() in table and b"Noto Serif CJK SC" in table


@pytest.mark.parametrize(("scope", "lines"), [
    # 2号 in the 156 mm type area holds 20 characters (digits half as wide); lines are broken
    # between words only, as evenly as they can be (GB/T 9704-2012 §7.3.3: 梯形或菱形)
    ("全县", ["关于2024年上半年全县", "招商引资工作情况的通报"]),  # 10 | 11
    ("高新技术产业开发区", ["关于2024年上半年高新技术产业开发区", "招商引资工作情况的通报"]),  # 17 | 11
    ("城关镇", ["关于2024年上半年城关镇", "招商引资工作情况的通报"]),  # 11 | 11
    # a scope wider than a line (45 half-width characters) is cut only where it must be, at
    # 40 of them, and stays literal text
    ("<w:t>=1+1</w:t>" * 3, ["关于2024年上半年", "<w:t>=1+1</w:t><w:t>=1+1</w:t><w:t>=1+1<",
                              "/w:t>招商引资工作情况的通报"]),
])
def test_title_broken_between_words(made, tmp_path, scope, lines):
    import copy

    briefing = copy.copy(made[0])
    briefing.scope = scope
    document = docx.Document(str(write_docx(briefing, tmp_path / "b.docx", tongbao=made[1],
                                            images=False)))
    title = document.paragraphs[0]
    assert title.style.name == "通报标题"
    assert title.text.split("\n") == lines
    assert document.core_properties.title == "".join(lines)


# names → the group a 通报 ranks them in, as a county's bureau would group them (by hand)
NAMES = {
    "城关镇": "乡镇（街道）", "白云乡": "乡镇（街道）", "城东街道": "乡镇（街道）",
    "城南街道办": "乡镇（街道）", "城南街道办事处": "乡镇（街道）", "龙泉镇人民政府": "乡镇（街道）",
    "新区街道": "乡镇（街道）",
    "经济开发区": "园区", "经开区管委会": "园区", "XX经开区": "园区", "工业集中区": "园区",
    "产业集聚区": "园区", "高新区管委会": "园区", "高新产业园": "园区", "县工业园": "园区",
    "经济技术开发区管理委员会": "园区", "物流园": "园区",
    "县发改局": "县直单位", "县委办": "县直单位", "县政府办公室": "县直单位",
    "县融媒体中心": "县直单位", "县城投公司": "县直单位", "县文旅集团": "县直单位",
    "县政府驻京办事处": "县直单位", "县供销社": "县直单位", "县工商联": "县直单位",
    "县人民医院": "县直单位", "自然资源局": "县直单位",
    "某某": "其他单位",
}


def test_groups_guessed_from_unit_names():
    from zsanalytics.briefing.docx import infer_group

    assert {name: infer_group(name) for name in NAMES} == NAMES


def test_page_number_field_between_dashes(made):
    section = made[2].sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert footer.paragraphs[0].text == "— 1 —", xml


def test_overdue_projects_one_row_per_project_and_unit_counts(made, demo):
    warnings_ = zsa.stage_warnings(demo.projects, as_of="2024-06-30")
    per_unit = warnings_.groupby("unit")["project_id"].nunique()
    table = next(t for t in made[2].tables if t.rows[0].cells[0].text == "单位")
    rows = _rows(table)[1:]
    names = [r[1] for r in rows]
    assert len(names) == len(set(names))  # the demo's listed names are unique
    units = [r[0].split("\n")[0] for r in rows]
    assert sorted(units) == sorted(per_unit.index)  # one row for each unit with overdue projects
    for row, unit in zip(rows, units, strict=True):
        n = per_unit[unit]
        assert row[0] == (f"{unit}\n共{n}个" if n > 1 else unit)
    # 城西镇 has projects signed in 2024 that are overdue: one of them is listed
    signed = demo.projects.set_index("project_name")["signed_on"]
    xi = next(r for r in rows if r[0].startswith("城西镇"))
    assert pd.Timestamp(signed[xi[1]]).year == 2024


def test_problems_come_from_the_data(made, card):
    text = "\n".join(p.text for p in made[2].paragraphs)
    problems = text.split("四、存在问题")[1].split("五、下步工作")[0]
    for unit in card.loc[card["ytd_wan"] == 0, "unit"]:  # 无实绩: nothing arrived this year
        assert unit in problems
    far = card.loc[(card["gap_pp"] <= -20) & (card["ytd_wan"] > 0), "unit"]
    assert len(far) and all(u in problems for u in far)
    near = card.loc[card["gap_pp"] > -20, "unit"]
    assert not any(f"{u}（低" in problems for u in near)


def test_charts_left_out_with_a_note_when_they_cannot_be_drawn(made, tmp_path, monkeypatch):
    import zsanalytics.briefing.images as briefing_module

    def no_browser(*args, **kwargs):
        raise ZsAnalyticsError("no Chromium")

    monkeypatch.setattr(briefing_module, "write_images", no_browser)
    path = write_docx(made[0], tmp_path / "b.docx", tongbao=made[1])
    document = docx.Document(str(path))
    assert len(document.inline_shapes) == 0
    assert any("未能生成图表图片" in p.text for p in document.paragraphs)


def test_refuses_a_wrong_suffix_or_a_missing_tongbao(made, tmp_path):
    with pytest.raises(ZsAnalyticsError, match=r"\.docx"):
        write_docx(made[0], tmp_path / "b.doc", tongbao=made[1], images=False)
    with pytest.raises(ZsAnalyticsError, match="build_tongbao"):
        write_docx(made[0], tmp_path / "b.docx", images=False)


def test_a_tongbao_that_disagrees_with_the_page_is_refused(made, tmp_path):
    """A 通报 computed on other figures than the briefing's is not written: 县发改局's 同比
    on the page changed to 20.0 while the 通报 has 83.1."""
    import copy

    briefing, tongbao, _ = made
    changed = copy.copy(briefing)
    changed.tables = dict(briefing.tables)
    table = briefing.tables["各单位完成情况"].copy()
    table["同比（%）"] = table["同比（%）"].astype(object)
    table.loc[table["单位"] == "县发改局", "同比（%）"] = 20.0
    changed.tables["各单位完成情况"] = table
    with pytest.raises(ZsAnalyticsError, match=r"县发改局同比（通报83\.1，简报20\.0）"):
        write_docx(changed, tmp_path / "b.docx", tongbao=tongbao, images=False)
    assert not (tmp_path / "b.docx").exists()


def _page_units(html: str) -> dict[str, dict[str, str]]:
    """The page's unit table as printed: unit → {header: cell}."""
    import html as html_module

    section = html.split("<h2>各单位完成情况</h2>")[1].split("</table>")[0]
    heads = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th>(.*?)</th>", section)]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section)[1:]:
        cells = [html_module.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        record = dict(zip(heads, cells, strict=True))
        rows[record["单位"]] = record
    return rows


def _agree(page: dict[str, dict[str, str]], document) -> None:
    """Unit by unit, the 通报's 累计, 同比 and 完成率 are the page's."""
    seen = set()
    for rows in _ranking_tables(document):
        for _rank, unit, ytd, growth, completion, *_ in rows[1:-1]:
            shown = page[unit]
            assert ytd == shown["累计（亿元）"], unit
            assert growth == (shown["同比（%）"] or "—"), unit
            assert completion == shown["完成率（%）"], unit
            seen.add(unit)
    assert seen == set(page)


def test_page_and_tongbao_agree_on_the_demo_tables(made, tmp_path):
    briefing, _, document = made
    _agree(_page_units(briefing.to_html()), document)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The demo county as the monthly report files a bureau receives, read into a store: last
    year comes from the reports' 上年同期 column (the funds start in January 2024)."""
    from zsanalytics.briefing import briefing_from_store
    from zsanalytics.briefing.docx import tongbao_from_store
    from zsanalytics.datasets import write_demo_folder
    from zsanalytics.store import ingest, open_store

    tmp = tmp_path_factory.mktemp("folder")
    ingest(write_demo_folder(tmp / "files"), db=tmp / "county.duckdb")
    with open_store(tmp / "county.duckdb") as store:
        briefing = briefing_from_store(store, as_of=AS_OF)
        tongbao = tongbao_from_store(store, as_of=AS_OF)
    path = write_docx(briefing, tmp / "通报.docx", tongbao=tongbao, images=False)
    return briefing, tongbao, docx.Document(str(path))


def test_page_and_tongbao_agree_on_the_report_files(folder):
    briefing, _tongbao, document = folder
    assert briefing.reconciliation.last_year["CNY"] == "report"
    _agree(_page_units(briefing.to_html()), document)
    townships = _ranking_tables(document)[0]
    shown = {r[1]: r for r in townships[1:]}
    # 双河乡 had 437.83 万元 last year (上年同期 in 招商引资月报表（2024年1-6月）.xlsx) and none now
    assert shown["双河乡"][2:4] == ["0.00", "-100.0"]
    # hand calculation from that report's 1-6月 sheet, the 14 townships' 累计 and 上年同期 (万元):
    # 累计 34754.02 + 26355.29 + 7657.06 + 9617.81 + 27063.86 + 5383.16 + 1732.33 + 16399.22
    #      + 3952.08 + 6521.99 + 4618.81 + 11711.69 + 12813.90 + 0 = 168581.22
    # 上年 20937.95 + 25803.67 + 6952.06 + 10086.20 + 16482.57 + 7633.26 + 1604.78 + 10392.52
    #      + 5532.25 + 6448.61 + 5622.59 + 20366.58 + 13608.33 + 437.83 = 151909.20
    # 同比 168581.22 ÷ 151909.20 − 1 = 10.97…% → 11.0
    assert shown["小计"][2:4] == ["16.86", "11.0"]
    # 园区: (37116.86 + 31478.59) ÷ (55683.45 + 56415.52) − 1 = −38.8%
    assert _ranking_tables(document)[2][-1][3] == "-38.8"


def test_no_growth_anywhere_when_last_year_is_partial(demo, tmp_path):
    """The demo funds without April to June 2023: last year is not in the data in full, so
    the page has no 同比 and the 通报 none either, neither for units nor for a group's 小计."""
    month = pd.to_datetime(demo.funds["month"])
    funds = demo.funds[~((month.dt.year == 2023) & month.dt.month.isin([4, 5, 6]))]
    briefing = build_briefing(demo.projects, funds, demo.targets, as_of=AS_OF)
    assert briefing.reconciliation.last_year.get("CNY") is None
    assert briefing.tables["各单位完成情况"]["同比（%）"].isna().all()
    tongbao = build_tongbao(demo.projects, funds, demo.targets, as_of=AS_OF)
    document = docx.Document(str(write_docx(briefing, tmp_path / "b.docx", tongbao=tongbao,
                                            images=False)))
    growth = [r[3] for rows in _ranking_tables(document) for r in rows[1:]]
    assert len(growth) == 20 + 3 and set(growth) == {"—"}
    assert all(math.isnan(t["yoy_pct"]) for t in tongbao.group_totals.values())


def test_a_month_outside_the_data_is_refused(demo):
    """As build_briefing refuses it: the demo funds run to December 2024."""
    from zsanalytics.gate import MonthOutOfRangeError

    with pytest.raises(MonthOutOfRangeError, match="2025年3月"):
        build_tongbao(demo.projects, demo.funds, demo.targets, as_of="2025-03")
    with pytest.raises(MonthOutOfRangeError):
        build_tongbao(demo.projects, demo.funds, demo.targets, as_of="2018-12")


def test_one_overdue_total_in_both_sections(made, demo):
    """三（二） and 四（三） give the same number of overdue projects; the stalled ones are
    said to be a part of them, and the rest (only short of funds) are named."""
    text = "\n".join(p.text for p in made[2].paragraphs)
    overdue = text.split("（二）逾期未推进项目")[1].split("四、存在问题")[0]
    problems = text.split("四、存在问题")[1].split("五、下步工作")[0]
    total = re.search(r"逾期未推进项目(\d+)个", overdue).group(1)
    warnings_ = zsa.stage_warnings(demo.projects, as_of="2024-06-30")
    assert int(total) == warnings_["project_id"].nunique()
    stalled = warnings_[warnings_["rule"].isin(["not_landed", "not_started", "not_producing"])]
    n = stalled["project_id"].nunique()
    assert f"逾期未推进的{total}个项目中，阶段停滞的{n}个" in problems
    assert f"其余{int(total) - n}个阶段未滞后，仅签约超90天资金到位不足25%" in problems


def test_from_a_store_the_same_as_from_pandas(demo, made):
    """tongbao_from_store on DuckDB tables (a store's tables are DuckDB relations) gives the
    tables build_tongbao gives on pandas; a store without projects gives no project lines."""
    import duckdb

    from zsanalytics.briefing.docx import tongbao_from_store

    class Store:  # what tongbao_from_store uses of zsanalytics.store.Store
        def __init__(self, projects):
            self.con = duckdb.connect()
            for name, frame in (("projects", projects), ("funds", demo.funds),
                                ("targets", demo.targets)):
                self.con.register(f"_{name}", frame)
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM _{name}")
            self.projects, self.funds, self.targets = (
                self.con.table(n) for n in ("projects", "funds", "targets"))

    expected = made[1]
    got = tongbao_from_store(Store(demo.projects), as_of=AS_OF)
    assert list(got.rankings) == list(expected.rankings)
    for group, table in expected.rankings.items():
        pd.testing.assert_frame_equal(got.rankings[group], table)
    pd.testing.assert_frame_equal(got.overdue, expected.overdue)
    empty = tongbao_from_store(Store(demo.projects.iloc[0:0]), as_of=AS_OF)
    assert empty.funnel_sentence is None and empty.overdue_projects == 0
    assert empty.overdue_sentence == "没有项目台账，项目推进情况未列出。"


def test_cli_writes_the_docx_beside_the_page(tmp_path, monkeypatch, capsys):
    """zsa briefing --docx FILE: the demo county's 通报 with its five sections and a ranking
    table per group (charts left out here: no browser is started)."""
    import zsanalytics.briefing.images as briefing_module
    from zsanalytics.cli import main

    def no_browser(*args, **kwargs):
        raise ZsAnalyticsError("no Chromium")

    monkeypatch.setattr(briefing_module, "write_images", no_browser)
    out = tmp_path / "通报.docx"
    assert main(["briefing", "--as-of", AS_OF, "-o", str(tmp_path / "b.html"), "--docx", str(out),
                 "-q"]) == 0
    assert str(out) in capsys.readouterr().out
    document = docx.Document(str(out))
    assert _heading_texts(document, "通报一级标题") == HEADINGS
    assert len(_ranking_tables(document)) == 3
    with pytest.raises(SystemExit):
        main(["briefing", "--help"])
    help_text = capsys.readouterr().out
    assert "--docx" in help_text and "通报" in help_text


def test_the_note_says_which_data_the_figures_come_from(made):
    """The 附注 names the data (the demo funds run from January 2019 to the report month) before
    what the reader should know, as the page's source line does."""
    note = next(p.text for p in made[2].paragraphs if p.text.startswith("（数据说明："))
    assert note.startswith("（数据说明：到位资金2019年1月至2024年6月（20个单位），2024年任务，项目台账；")
    assert all(n in note for n in made[0].notices)
