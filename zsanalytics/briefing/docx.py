"""The monthly 通报 as a Word file in official format (GB/T 9704-2012), ready to edit and send.

A county's monthly investment-promotion 通报 has a fixed shape: 一、总体情况; 二、各单位完成情况
(one ranking table per unit group — 乡镇（街道）, 县直单位, 园区 — as units are ranked within
their group); 三、项目推进情况; 四、存在问题; 五、下步工作. :func:`build_tongbao`
(:mod:`.tongbao`) computes what the 通报 needs beyond the briefing (the per-group rankings, the
overdue projects one row per project, the problems found in the data) and :func:`write_docx`
writes the document:

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (type area 156 × 225 mm);
- title 2号 (22 pt) 小标宋 (方正小标宋简体, with a CJK serif named as its substitute), body
  3号 (16 pt) 仿宋, level-1 headings 黑体, level-2 楷体, numbering 一、（一）1.（1）;
- page numbers "— 1 —" in 4号 宋体, right on odd pages and left on even pages;
- amounts in 亿元 with two decimals and percentages with one, rounded half up (四舍五入).

The 文号, the 下步工作 paragraph and the signature are placeholders, highlighted in yellow, for
the analyst to fill in.

Examples
--------
>>> import tempfile, pathlib
>>> import zsanalytics as zsa
>>> from zsanalytics.briefing import build_briefing
>>> demo = zsa.load_demo()
>>> b = build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06")
>>> t = build_tongbao(demo.projects, demo.funds, demo.targets, as_of="2024-06")
>>> path = write_docx(b, pathlib.Path(tempfile.mkdtemp()) / "通报.docx", tongbao=t, images=False)
>>> path.suffix
'.docx'
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping
from itertools import combinations, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._numbers import fmt_signed, round_half_up
from ..errors import ZsAnalyticsError
from ..metrics._months import as_month
from ..metrics.funnel import DEFAULT_DEADLINES
from ..narrate import period_zh
from .tongbao import (  # the 通报's model, importable from here as before
    _HEADS,
    FAR_BEHIND_PP,
    GROUP_ORDER,
    OVERDUE_COLUMNS,
    RANKING_COLUMNS,
    Tongbao,
    _f,
    _one,
    build_tongbao,
    infer_group,
    section_group,
    tongbao_from_store,
)

if TYPE_CHECKING:
    from .model import Briefing

__all__ = ["GROUP_ORDER", "Tongbao", "build_tongbao", "infer_group", "section_group",
           "tongbao_from_store", "write_docx"]

# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------

#: Fonts as GB/T 9704-2012 names them, with the substitute named in the font table.
FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋",
    "h1": "黑体",
    "h2": "楷体",
    "page": "宋体",
}
TITLE_SUBSTITUTE = "Noto Serif CJK SC"
# w:altName: names to try, in turn, where a font is missing (ISO/IEC 29500-1 §17.8.3.1)
_SUBSTITUTES = {"方正小标宋简体": f"方正小标宋_GBK,华文中宋,{TITLE_SUBSTITUTE},宋体",
                "仿宋": "仿宋_GB2312,FangSong,华文仿宋,Noto Serif CJK SC",
                "黑体": "SimHei,华文黑体,Noto Sans CJK SC",
                "楷体": "楷体_GB2312,KaiTi,华文楷体,Noto Serif CJK SC",
                "宋体": "SimSun,华文宋体,Noto Serif CJK SC"}
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
TABLE_PT = 12  # 小四, the usual size of tables in a 通报
PAGE_PT = 14  # 4号
LINE_PT = 28.95  # 22 lines in the 225 mm type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_CHARTS = {"cumulative": "逐月累计实际到位资金", "completion": "各单位完成年度任务与序时进度",
           "funnel": "签约项目转化情况"}
_CN_NUM = "一二三四五六七八九十"
_PICTURE_MAX_MM = 88


def write_docx(briefing: Briefing, path: str | Path, *, tongbao: Tongbao | None = None,
               images: bool = True, image_dir: str | Path | None = None) -> Path:
    """Write the monthly 通报 as a Word file (.docx) in official format.

    Parameters
    ----------
    briefing : Briefing
        From :func:`zsanalytics.briefing.build_briefing`: the headline sentences, the
        charts, the banners and notices.
    path : str or Path
        The .docx file.
    tongbao : Tongbao
        From :func:`build_tongbao` on the same data and month: the per-group rankings, the
        overdue projects and the problems.
    images : bool, default True
        Put the charts in as pictures (kaleido and Chromium needed; when they fail the
        document says so in one sentence and is written without them).
    image_dir : str or Path, optional
        Keep the chart pictures here (a temporary folder by default).

    Raises
    ------
    ZsAnalyticsError
        When ``path`` does not end in .docx, ``tongbao`` is missing, or its month differs
        from the briefing's.
    """
    try:
        import docx  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ImportError("write_docx needs python-docx: python -m pip install 'python-docx>=1.1'") from exc
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise ZsAnalyticsError(f"path == {str(path)!r}，通报须存为 .docx 文件")
    if tongbao is None:
        raise ZsAnalyticsError(
            "tongbao == None：各单位分组排名和逾期项目要由 build_tongbao(projects, funds, targets, "
            "as_of=briefing.as_of) 计算后传入")
    if tongbao.as_of != briefing.as_of:
        raise ZsAnalyticsError(f"tongbao.as_of == {tongbao.as_of!r}，与简报的月份 {briefing.as_of!r} 不同")
    differ = _disagreements(briefing, tongbao)
    if differ:
        raise ZsAnalyticsError(
            "通报与简报的数字不一致：" + "；".join(differ[:5]) + ("等" if len(differ) > 5 else "")
            + "。请用与简报相同的数据计算通报（build_tongbao 传入同样的 projects、funds、"
            "targets 和 reported，或用 tongbao_from_store）。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not images:
        pictures: dict[str, Path] = {}
        failure = None
        doc = _document(briefing, tongbao, pictures, failure)
        doc.save(str(path))
        return path
    with tempfile.TemporaryDirectory(prefix="zsa-docx-") as tmp:
        pictures, failure = _pictures(briefing, Path(image_dir) if image_dir else Path(tmp))
        doc = _document(briefing, tongbao, pictures, failure)
        doc.save(str(path))
    return path


def _pictures(briefing: Briefing, directory: Path) -> tuple[dict[str, Path], str | None]:
    from .images import write_images

    names = [n for n in _CHARTS if n in briefing.figures]
    if not names:
        return {}, None
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{n}.png" for n in names]
    try:
        # 800 px across 150 mm: the charts' 12 px labels print at about 6 pt
        write_images([briefing.figures[n] for n in names], paths, width=800, scale=2.5)
    except ZsAnalyticsError:
        return {}, "本机未能生成图表图片（需要 kaleido 和 Chromium），本通报未附图表。"
    return {n: p for n, p in zip(names, paths, strict=True) if p.is_file()}, None


def _document(briefing: Briefing, tb: Tongbao, pictures: dict[str, Path], failure: str | None):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    year, month = as_month(briefing.as_of)
    doc = Document()
    _page(doc)
    _styles(doc)
    _font_table(doc)
    _footer(doc)
    doc.core_properties.title = _title(briefing)
    doc.core_properties.language = "zh-CN"

    title = doc.add_paragraph(style="通报标题")
    lines = _title_lines(briefing)
    for i, line in enumerate(lines):
        run = title.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    number = doc.add_paragraph(style="通报正文")
    number.paragraph_format.first_line_indent = Pt(0)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _placeholder(number, f"〔{year}〕X号")
    doc.add_paragraph(style="通报正文").paragraph_format.first_line_indent = Pt(0)

    addressees = "、".join({"乡镇（街道）": "各乡镇（街道）", "县直单位": "县直有关单位",
                           "园区": "各园区"}.get(g, "各有关单位") for g in tb.rankings) or "各有关单位"
    head = doc.add_paragraph(addressees + "：", style="通报正文")
    head.paragraph_format.first_line_indent = Pt(0)
    _body(doc, f"现将{year}年{period_zh(briefing.as_of)}{briefing.scope}招商引资工作情况通报如下：")
    for banner in briefing.banners:
        p = _body(doc, "特别提示：" + banner)
        for run in p.runs:
            run.bold = True

    _heading(doc, 1, "总体情况")
    own = {tb.units_sentence, tb.funnel_sentence}
    overall = [s for s in briefing.sentences if s not in own and not s.startswith("逾期预警")]
    paragraphs: list[str] = []
    for sentence in overall:  # 其中：… by source belongs to the sentence it breaks down
        if paragraphs and sentence.startswith("其中"):
            paragraphs[-1] += sentence
        else:
            paragraphs.append(sentence)
    for paragraph in paragraphs:
        _body(doc, paragraph)

    _heading(doc, 2, "各单位完成情况")
    basis = "各单位在本组内按完成年度任务的比例排名（完成率保留一位小数后相同的并列）"
    basis += f"，排名变化与{int(tb.previous[5:])}月比较。" if tb.previous else "。"
    _body(doc, (tb.units_sentence or "") + basis)
    for i, (group, table) in enumerate(tb.rankings.items()):
        _heading(doc, 0, f"（{_CN_NUM[i]}）{group}")
        _body(doc, tb.group_sentences[group]).paragraph_format.keep_with_next = True
        _ranking(doc, table, tb.group_totals[group])

    _heading(doc, 3, "项目推进情况")
    _heading(doc, 0, "（一）签约项目转化")
    _body(doc, f"截至{month}月底，{year}年" + tb.funnel_sentence
          if tb.funnel_sentence else "没有签约项目的数据，签约项目转化情况未列出。")
    _heading(doc, 0, "（二）逾期未推进项目")
    _body(doc, tb.overdue_sentence)
    if len(tb.overdue):
        per_unit = int(tb.overdue.groupby("单位").size().max())
        rules = "、".join(rule["zh"] for rule in DEFAULT_DEADLINES)
        which = "一个逾期项目" if per_unit == 1 else f"逾期项目（每个单位{per_unit}个以内）"
        _body(doc, f"下表列出各单位最需推进的{which}：{year}年签约的优先，其次逾期最久的；单位名下"
                   f"注明其逾期项目总数。存在问题指{rules}。")
        _overdue(doc, tb.overdue)

    _heading(doc, 4, "存在问题")
    if tb.problems:
        for i, (heading, sentence) in enumerate(tb.problems):
            p = doc.add_paragraph(style="通报正文")
            lead = p.add_run(f"（{_CN_NUM[i]}）{heading}。")
            _east_asia(lead, FONTS["h2"])
            p.add_run(sentence)
    else:
        _body(doc, "本期各单位均有实绩，未发现低于序时进度"
                   f"{round_half_up(FAR_BEHIND_PP, 1):g}个百分点以上的单位和逾期未推进的项目。")

    _heading(doc, 5, "下步工作")
    p = doc.add_paragraph(style="通报正文")
    _placeholder(p, "（请填写下步工作安排：针对上述问题，各单位……）")

    attachment = f"{year}年{period_zh(briefing.as_of)}{briefing.scope}招商引资情况图表"
    doc.add_paragraph(style="通报正文").paragraph_format.keep_with_next = True
    if pictures:  # 附件说明: below the body, two characters in
        doc.add_paragraph(f"附件：{attachment}", style="通报正文").paragraph_format.keep_with_next = True
        doc.add_paragraph(style="通报正文").paragraph_format.keep_with_next = True
    sign = doc.add_paragraph(style="通报正文")
    sign.paragraph_format.keep_with_next = True
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(BODY_PT * 4)
    _placeholder(sign, "（发文机关署名）")
    date = doc.add_paragraph(style="通报正文")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.right_indent = Pt(BODY_PT * 4)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    _placeholder(date, f"{next_year}年{next_month}月X日")
    # 附注: in brackets, two characters in — where the figures come from, then what to know
    source = briefing.source_line.removeprefix("数据：")
    doc.add_paragraph("（数据说明：" + "".join([source, *briefing.notices]) + "）", style="通报正文")
    if failure:
        doc.add_paragraph(f"（{failure}）", style="通报正文")
    if pictures:
        _attachment(doc, attachment, pictures)
    return doc


def _attachment(doc, title: str, pictures: dict[str, Path]) -> None:
    """附件 on a new page: 附件 in 黑体 at the top left, its title, then the charts."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    label = doc.add_paragraph(style="通报一级标题")
    label.paragraph_format.first_line_indent = Pt(0)
    label.add_run().add_break(WD_BREAK.PAGE)
    label.add_run("附件")
    doc.add_paragraph(title, style="通报标题")
    doc.add_paragraph(style="通报正文")
    for number, name in enumerate(pictures, start=1):
        _picture(doc, pictures, name, number)


def _disagreements(briefing: Briefing, tb: Tongbao) -> list[str]:
    """Where the 通报's unit figures differ from the page's, as printed (累计 to 0.01 亿元,
    同比 and 完成率 to 0.1): a 通报 built on other data, or without the reports' 上年同期."""
    table = briefing.tables.get("各单位完成情况")
    if table is None or "单位" not in table:
        return []
    page = table.set_index(table["单位"].astype(str))
    out = []
    for ranking in tb.rankings.values():
        for rec in ranking.itertuples(index=False):
            unit = str(rec[1])
            if unit not in page.index:
                out.append(f"{unit}不在简报中")
                continue
            row = page.loc[unit]
            for name, mine, theirs in (
                    ("累计", _yi(rec[2]), _yi(row.get("累计（亿元）"))),
                    ("同比", str(rec[3]), _growth_cell(row.get("同比（%）"))),
                    ("完成率", _one(rec[4]), _one(row.get("完成率（%）")))):
                if mine != theirs:
                    out.append(f"{unit}{name}（通报{mine}，简报{theirs}）")
    listed = {str(u) for ranking in tb.rankings.values() for u in ranking["单位"]}
    out += [f"{unit}不在通报中" for unit in page.index if unit not in listed]
    return out


def _growth_cell(value: Any) -> str:
    """同比 as a cell shows it: one decimal, or why there is none (新增, 无实绩 …)."""
    if isinstance(value, str):
        return value
    return _one(value)


def _title_parts(briefing: Briefing) -> list[str]:
    """The title in the words a line may break between: 关于 | 2024年上半年 | the scope |
    招商引资 | 工作情况的通报. The scope is the caller's text, kept whole where it fits."""
    year, _ = as_month(briefing.as_of)
    return ["关于", f"{year}年{period_zh(briefing.as_of, style='name')}", str(briefing.scope),
            "招商引资", "工作情况的通报"]


def _title(briefing: Briefing) -> str:
    return "".join(_title_parts(briefing))


#: 2号 (22 pt) characters on a line of the 156 mm type area.
TITLE_LINE = 20


def _width(text: str) -> float:
    """A line's width in characters of 2号: Latin letters and digits are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _title_lines(briefing: Briefing) -> list[str]:
    """The title in as few lines as fit the type area (:data:`TITLE_LINE` characters), broken
    only between words (:func:`_title_parts`) and as evenly as possible, so that the lines
    make the trapezoid or diamond GB/T 9704-2012 §7.3.3 asks for; of equally even breaks the
    one with the longer line below. Only a scope too long for a line of its own is cut inside.
    """
    parts = []
    for part in _title_parts(briefing):
        while _width(part) > TITLE_LINE:  # a scope longer than a line: cut where it must
            cut = 1
            while cut < len(part) and _width(part[:cut + 1]) <= TITLE_LINE:
                cut += 1
            parts.append(part[:cut])
            part = part[cut:]
        if part:
            parts.append(part)
    n = len(parts)
    best: tuple[Any, ...] | None = None
    # every way of cutting the words into lines, fewest lines first (titles have a few words)
    for lines_count in range(1, n + 1):
        for cuts in combinations(range(1, n), lines_count - 1):
            bounds = [0, *cuts, n]
            lines = ["".join(parts[a:b]) for a, b in pairwise(bounds)]
            widths = [_width(line) for line in lines]
            if max(widths) > TITLE_LINE:
                continue
            key = (max(widths) - min(widths), [-w for w in reversed(widths)])
            if best is None or key < best[0]:
                best = (key, lines)
        if best is not None:
            return best[1]
    return parts  # pragma: no cover - every part fits a line by construction


def _page(doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the page number sits about 7 mm below the type area


def _east_asia(target, name: str, *, ascii_name: str | None = None) -> None:
    """Set a run's or style's fonts: w:eastAsia for Chinese, ascii/hAnsi for Latin and digits."""
    from docx.oxml.ns import qn

    target.font.name = ascii_name or name
    rpr = target._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    # document defaults: no theme fonts (they would override w:eastAsia), Chinese language
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONTS["body"])
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = doc.styles["Normal"]
    _east_asia(normal, FONTS["body"])
    normal.font.size = Pt(BODY_PT)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.widow_control = False

    def paragraph_style(name: str, font: str, size: float, *, level: int | None = None):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _east_asia(style, font)
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        if level is not None:
            ppr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level))
            # in the schema's order (before divId …), as Word is strict about it
            ppr.insert_element_before(outline, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                                      "w:pPrChange")
            style.paragraph_format.keep_with_next = True
        return style

    body = paragraph_style("通报正文", FONTS["body"], BODY_PT)
    body.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = paragraph_style("通报标题", FONTS["title"], TITLE_PT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    h1 = paragraph_style("通报一级标题", FONTS["h1"], BODY_PT, level=0)
    h1.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    h2 = paragraph_style("通报二级标题", FONTS["h2"], BODY_PT, level=1)
    h2.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    cell = paragraph_style("通报表格", FONTS["body"], TABLE_PT)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    head = paragraph_style("通报表头", FONTS["h1"], TABLE_PT)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption = paragraph_style("通报图题", FONTS["h2"], 14)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _font_table(doc) -> None:
    """Name a substitute for each Chinese font (w:altName), for machines that lack it:
    方正小标宋简体 is not on every computer; a CJK serif stands in for it."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in _SUBSTITUTES.items():
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"),
                           ("w:family", "modern" if name == "黑体" else "roman"),
                           ("w:pitch", "variable")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _footer(doc) -> None:
    """— 1 — in 4号 宋体: right (one character in) on odd pages, left on even pages."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            pf.right_indent = Pt(PAGE_PT)
        else:
            pf.left_indent = Pt(PAGE_PT)
        _page_number(p)


def _page_number(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run(text: str | None = None, *, field: str | None = None, code: str | None = None):
        r = paragraph.add_run(text or "")
        _east_asia(r, FONTS["page"])
        r.font.size = Pt(PAGE_PT)
        if field:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), field)
            r._r.append(char)
        if code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = code
            r._r.append(instr)
        return r

    run("— ")
    run(field="begin")
    run(code=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def _body(doc, text: str):
    return doc.add_paragraph(text, style="通报正文")


def _heading(doc, number: int, text: str):
    """Level 1 (黑体) with 一、 when ``number`` is given, level 2 (楷体) for number 0."""
    if number:
        return doc.add_paragraph(f"{_CN_NUM[number - 1]}、{text}", style="通报一级标题")
    return doc.add_paragraph(text, style="通报二级标题")


def _placeholder(paragraph, text: str):
    from docx.enum.text import WD_COLOR_INDEX

    run = paragraph.add_run(text)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _picture(doc, pictures: dict[str, Path], name: str, number: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = doc.add_paragraph(style="通报表格")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    picture = p.add_run().add_picture(str(pictures[name]), width=Mm(150))
    if picture.height > Mm(_PICTURE_MAX_MM):  # two charts to a page: a tall one is narrowed
        picture.width = int(picture.width * Mm(_PICTURE_MAX_MM) / picture.height)
        picture.height = Mm(_PICTURE_MAX_MM)
    caption = doc.add_paragraph(f"图{number}  {_CHARTS[name]}", style="通报图题")
    caption.paragraph_format.space_after = Pt(6)


def _table(doc, columns: list[str], rows: list[list[str]], widths_mm: list[float], *,
           bold_last: bool = False):
    from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    head_id, cell_id = doc.styles["通报表头"].style_id, doc.styles["通报表格"].style_id
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for r, values in enumerate([columns, *rows]):
        row = table.rows[r]
        cant = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant)
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Mm(widths_mm[c])
            p = cell.paragraphs[0]
            p._p.style = head_id if r == 0 else cell_id  # by id: a lookup by name per cell is slow
            text = _HEADS.get(str(value), str(value)) if r == 0 else str(value)
            p.text = ""
            for k, line in enumerate(text.split("\n")):
                run = p.add_run(line)
                if k < text.count("\n"):
                    run.add_break()
            # keep a short table on one page; a long one keeps its header and 小计 with a row
            if r < len(rows) and (len(rows) <= 8 or r == 0 or r == len(rows) - 1):
                p.paragraph_format.keep_with_next = True
            if bold_last and r == len(rows):
                _east_asia(run, FONTS["h1"])
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    for c, width in enumerate(widths_mm):
        table.columns[c].width = Mm(width)
    doc.add_paragraph(style="通报表格")  # a line of space after the table
    return table


def _ranking(doc, table: pd.DataFrame, total: Mapping[str, float]) -> None:
    rows = []
    for rec in table.itertuples(index=False):
        rank, unit, ytd, yoy, completion, gap, change = rec
        rows.append(["—" if pd.isna(rank) else str(int(rank)), unit, _yi(ytd), yoy,
                     _one(completion), _signed(gap), change])
    last, ytd = _f(total.get("last_ytd_wan")), _f(total["ytd_wan"])
    growth = _one(total["yoy_pct"]) if not last == 0 else "新增" if ytd > 0 else "无实绩"
    rows.append(["", "小计", _yi(ytd / 1e4), growth,
                 _one(total["completion_pct"]), _signed(total["gap_pp"]), ""])
    _table(doc, RANKING_COLUMNS, rows, [13, 31, 21, 19, 19, 31, 22], bold_last=True)


def _overdue(doc, table: pd.DataFrame) -> None:
    counts = table["unit_count"] if "unit_count" in table else pd.Series(0, index=table.index)
    rows = [[f"{rec.单位}\n共{n}个" if n > 1 else rec.单位, rec.项目名称, rec.签约日期,
             rec.存在问题, str(rec.逾期天数), _yi(rec[5])]
            for rec, n in zip(table[OVERDUE_COLUMNS].itertuples(index=False), counts, strict=True)]
    t = _table(doc, OVERDUE_COLUMNS, rows, [24, 34, 31, 30, 15, 22])  # a date on one line
    # the unit once over its projects, as bulletins merge it
    start = 1
    for i in range(2, len(rows) + 2):
        if i == len(rows) + 1 or rows[i - 1][0] != rows[start - 1][0]:
            if i - 1 > start:
                top = t.cell(start, 0)
                merged = top.merge(t.cell(i - 1, 0))
                for extra in merged.paragraphs[1:]:
                    extra._element.getparent().remove(extra._element)
                lines = rows[start - 1][0].split("\n")
                merged.paragraphs[0].text = ""
                for k, line in enumerate(lines):
                    run = merged.paragraphs[0].add_run(line)
                    if k < len(lines) - 1:
                        run.add_break()
            start = i


def _yi(value: Any) -> str:
    v = _f(value)
    return f"{round_half_up(v, 2):.2f}" if math.isfinite(v) else "—"


def _signed(value: Any) -> str:
    return fmt_signed(_f(value))
