"""Read a project ledger (项目台账) — a hand-kept 推进情况表, a system export, one sheet per
township — into the canonical ``projects`` table, on the layout layer (:mod:`._layout`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import NoLedgerFoundError, ZsAnalyticsError
from ..schema import PROJECTS, match_header
from ._layout import (
    Layout,
    cell_kinds,
    infer_layout,
    read_cells,
    regex_mask,
    strip_unit,
    sub_project_parents,
)
from ._sheet import Result, concat_issues, issue_frame
from .amounts import AMOUNT_UNITS, parse_amount
from .dates import parse_date
from .profile import Profile, reader_options
from .units import normalize_unit

__all__ = ["read_ledger"]

_AMOUNT_COLS = ("contract_wan", "funds_in_place_wan", "funds_this_year_wan")
_DATE_COLS = ("signed_on", "landed_on", "started_on", "producing_on")
_REACHED = {d: d.replace("_on", "_reached") for d in _DATE_COLS}

_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "外资", "新引进", "新建", "新", "新签约",
         "已签约", "已落地", "已注册", "已开工", "已投产", "已竣工", "已完成", "完成"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "内资", "续建", "续", "在建", "未签约",
          "未落地", "未注册", "未开工", "未投产", "未竣工", "无"}
#: Stage words in 是否… headers and in a group over 时间 / 日期 / 是否 sub-headers
_STAGE = (("signed", r"签约|签订"), ("landed", r"落地|注册|履约"), ("started", r"开工|动工"),
          ("producing", r"投产|竣工|达产|达效"))
_NAME_HEADER = re.compile(
    r"^(?:在.{0,12}注册(?:的)?(?:企业)?名称|(?:注册)?企业名称|项目[(（]企业[)）]名称|"
    r"企业[(（]项目[)）]名称|项目单位|投资主体|落户企业|签约项目名称|重点项目名称)$")
_CONTRACT_HEADER = re.compile(r"^(?:总投资额?|项目总投资|计划总投资|协议(?:投资)?(?:总)?额?|固定资产投资额?|"
                              r"拟投资额?|投资额|计划投资额|"
                              r"合同(?:投资)?额|签约(?:总)?(?:投资)?额|投资规模|计划投资)$")
_FUNDS_GROUP = re.compile(r"到位资金|到位|到资|实际利用|引资额")
_THIS_YEAR = re.compile(r"^(?:本年|本年度|当年|今年|\d{4}年)(?:到位|完成|实际到位)?(?:资金)?$")
_CUMULATIVE = re.compile(r"^(?:累计|累计到位|开工以来累计|自开工累计|总计)(?:资金)?$")
_SUMMARY_SHEET = re.compile(r"汇总|总表|合计|统计表$")


def _ledger_matcher(aliases: Mapping[str, str]):
    """The ledger's vocabulary, as a function of a column's header path."""

    def match(path: tuple[str, ...]) -> str | None:
        joined = "".join(path)
        if joined in aliases:
            return aliases[joined]
        leaf = strip_unit(path[-1])
        if path[-1] in aliases or leaf in aliases:
            return aliases.get(path[-1]) or aliases[leaf]
        group = strip_unit(path[-2]) if len(path) > 1 else ""
        if leaf in ("序号", "序", "编号") and len(path) == 1:
            return "seq"
        # stages as 是/否 or as dates, named in the leaf or in the group above it
        for stage, words in _STAGE:
            if re.fullmatch(rf"(?:是否|有无)(?:为)?(?:已)?(?:{words})(?:项目)?", leaf):
                return f"{stage}_reached"
            if re.search(words, group) and not re.search(words + r"|名称|金额|资金", leaf):
                if re.fullmatch(r"是否|情况|状态|已否|进展", leaf):
                    return f"{stage}_reached"
                if re.fullmatch(r"时间|日期|年月|月份", leaf):
                    return f"{stage}_on"
        if group and _FUNDS_GROUP.search(group):
            if _THIS_YEAR.fullmatch(leaf):
                return "funds_this_year_wan"
            if _CUMULATIVE.fullmatch(leaf):
                return "funds_in_place_wan"
        name, _ = match_header(path[-1], PROJECTS)
        if name is not None:
            return name
        if _NAME_HEADER.fullmatch(leaf):
            return "company_name"  # the project's name when the ledger has no 项目名称
        if _CONTRACT_HEADER.fullmatch(leaf):
            return "contract_wan"
        if re.fullmatch(r"(?:本年|今年|当年)(?:实际)?到位(?:资金)?", leaf):
            return "funds_this_year_wan"
        if re.fullmatch(r"(?:累计)?(?:实际)?(?:到位|到资)(?:资金)?(?:总?额)?", leaf):
            return "funds_in_place_wan"
        if re.fullmatch(r"(?:所在|所属|落户|落地|项目所在)?(?:乡镇|乡镇[(（]?街道[)）]?|园区|"
                        r"责任单位名称|县区|县别|区域|片区|地|地点|镇街|乡镇街道)|"
                        r"(?:上报|推进|责任|承办|牵头|招引|归口|主管|跟踪|包联|服务)(?:部门|单位)",
                        leaf):
            return "unit"
        if re.fullmatch(r"(?:项目)?(?:进展|推进|当前)?(?:状态|阶段)|进展状态|所处阶段|项目进度", leaf):
            return "status"
        if re.fullmatch(r"(?:计量|金额|货币|资金)单位|单位[(（]金额[)）]", leaf):
            return "amount_unit"
        if re.fullmatch(r"项目(?:编号|代码|编码)|统一社会信用代码", leaf):
            return "project_id"
        if re.match(r"(?:计划|预计|拟|预期|目标)", leaf):
            return None  # a plan (计划投产时间) is not the date a stage was reached
        m = re.fullmatch(r"(?:合同|协议|项目|实际)?(签约|签订|开工|动工|投产|竣工|落地|注册)"
                         r"(?:时间|日期|年月|月份)", leaf)
        if m:
            return {"签订": "signed_on", "动工": "started_on", "竣工": "producing_on"}.get(
                m.group(1)) or match_header(m.group(1) + "时间", PROJECTS)[0]
        return None

    return match


def read_ledger(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    amount_unit: str | None = None,
    unit_aliases: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    profile: str | Path | Mapping[str, Any] | Profile | None = None,
    year: int | None = None,
) -> Result:
    """Read a project ledger into the canonical projects table, reporting every problem.

    Reads every sheet: a hand-kept 推进情况表 (headers over two or three rows, the responsible
    unit merged over its block of projects, stages as 是/否 or √, 本年 / 累计 funds, dates as
    ``2024.03`` or ``3月15日`` with the year in the title, hidden rows, 填表人 lines), a system
    export (every cell text, ``总投资额[亿元]``, dates as ``201603``, old ``.xls``), a workbook
    with one sheet per township and a 汇总 sheet (the sheet name is the unit; the 汇总 is
    checked against the detail sheets, never added to them), and CSV files in UTF-8 or GBK.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``, ``.csv`` or ``.txt``.
    sheet : str or int, optional
        Only this sheet; by default every sheet with a recognisable ledger header.
    amount_unit : {"万元", "元", "亿元", "万美元", …}, optional
        The unit of bare numbers. By default it is read from the sheet's 金额单位 line, or from
        a unit in the column header, or from the profile, or taken as 万元. Given, it
        overrides the sheet's line (a disagreement is reported).
    unit_aliases : mapping, optional
        Passed to :func:`normalize_unit` (added to the profile's unit aliases).
    columns : mapping, optional
        Source header → canonical column, for headers the reader does not know:
        ``{"落户企业": "project_name"}``. A header path may be written joined
        (``"实际到位资金（万元）累计"``).
    profile : path, mapping or Profile, optional
        A county profile (see :func:`zsanalytics.load_profile`); by default ``zsa.toml``
        beside the file, if there is one.
    year : int, optional
        The year of dates written without one (``3月15日``); by default the year in the
        sheet's title.

    Returns
    -------
    Result
        ``.data`` is the projects table (see :data:`zsanalytics.schema.PROJECTS`) plus
        ``sheet``, ``section`` (the section row the project sits under), ``source_row`` (its
        sheet row number), ``funds_this_year_wan`` (本年, when given), ``signed_reached`` …
        ``producing_reached`` (True when a stage is marked reached without a date, False
        when marked not reached) and any columns whose header was not recognised (kept under
        that header). ``.issues`` lists every problem, one row each; ``.accounting`` shows
        the row balance per sheet; ``.plan`` how every column was understood.

    Raises
    ------
    ZsAnalyticsError
        If the file is not a workbook, the sheet is empty, or no ledger header is found.

    Examples
    --------
    >>> from zsanalytics.datasets import raw_path
    >>> result = read_ledger(raw_path("ledger"))
    >>> result.balanced
    True
    >>> sorted(set(result.excluded()["problem"]))  # doctest: +NORMALIZE_WHITESPACE
    ['note_row', 'section_row', 'subtotal_row', 'total_row']
    """
    if amount_unit is not None and amount_unit not in AMOUNT_UNITS:
        raise ZsAnalyticsError(
            f"amount_unit == {amount_unit!r}：应为 {list(AMOUNT_UNITS)} 之一"
        )
    prof, aliases, unit_map = reader_options(path, profile, columns, unit_aliases)
    match = _ledger_matcher(aliases)
    sheets = read_cells(path, sheet)
    tried, done, summaries = [], [], []
    for s in sheets:
        if not (s.values != "").any():
            tried.append(f"{s.name!r}（空表）")
            continue
        layout = infer_layout(s, match, min_known=2, key_columns=("unit",))
        if layout is not None and "project_name" not in layout.names and (
                "company_name" in layout.names):
            # exports name the project by its registered company (在X注册名称, 企业名称)
            layout.names[layout.names.index("company_name")] = "project_name"
        if layout is None or ("project_name" not in layout.names):
            tried.append(f"{s.name!r}（未找到台账表头）")
            if layout is not None and "unit" in layout.names and _SUMMARY_SHEET.search(s.name):
                summaries.append(layout)
            continue
        if _SUMMARY_SHEET.search(s.name) and len(sheets) > 1:
            summaries.append(layout)
            continue
        done.append(layout)
    if not done:
        raise NoLedgerFoundError(
            f"{str(path)!r} 中没有找到项目台账：工作表 {', '.join(tried) or '—'} 的前 40 行中"
            f"没有含“项目名称”（或企业名称、在X注册名称）且另有至少一个已知列（责任单位、"
            f"合同投资额、签约时间…）的表头；可用 columns= 或 zsa.toml 指明列名"
        )
    parts = [_read_layout(lay, amount_unit, prof, unit_map, year) for lay in done]
    data = pd.concat([p[0] for p in parts], ignore_index=True)
    issues = [p[1] for p in parts]
    accounting = pd.concat([p[2] for p in parts], ignore_index=True)
    skipped = [s.name for s in sheets if s.name not in {lay.sheet.name for lay in done}]
    for s in sheets:
        if not s.visible:
            issues.append(issue_frame([{
                "sheet": s.name, "problem": "hidden_sheet", "action": "checked",
                "message": "此工作表在工作簿中被隐藏"
                           + ("，已照常读取" if s.name not in skipped else "，其中没有台账")}]))
    for name in skipped:
        summary = next((lay for lay in summaries if lay.sheet.name == name), None)
        if summary is not None:
            issues.append(_check_summary(summary, data, amount_unit, prof, unit_map))
            n_rows = int((summary.roles != "blank").sum())
            accounting = pd.concat([accounting, pd.DataFrame({
                "sheet": [name], "nonempty_rows": [n_rows], "data_rows": [0],
                "excluded_rows": [n_rows], "blank_rows": [int((summary.roles == "blank").sum())],
                "balanced": [True]})], ignore_index=True)
        else:
            issues.append(issue_frame([{
                "sheet": name, "problem": "sheet_skipped", "action": "excluded",
                "message": "此工作表没有项目台账表头，未读取"}]))
    data, dup_issues = _duplicates(data)
    issues.append(dup_issues)
    meta = {"sheets": [p[3] for p in parts], "amount_unit": parts[0][3]["amount_unit"],
            "amount_unit_source": parts[0][3]["amount_unit_source"],
            "header_rows": parts[0][3]["header_rows"], "sheet": parts[0][3]["sheet"],
            "profile": prof.path}
    plan = pd.concat([lay.plan() for lay in done + summaries], ignore_index=True)
    return Result(data, concat_issues(issues), accounting, meta, {"plan": plan})


def _read_layout(layout: Layout, amount_unit: str | None, prof: Profile,
                 unit_map: Mapping[str, str], year: int | None,
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    s = layout.sheet
    sheet = s.name
    issues: list[pd.DataFrame] = []
    meta: dict[str, Any] = {"sheet": sheet, "header_rows": [int(s.rows[r])
                                                             for r in layout.header_rows]}
    line_unit = layout.facts.get("amount_unit")
    unit = amount_unit or line_unit or prof.amount_unit or "万元"
    meta["amount_unit"] = unit
    meta["amount_unit_source"] = ("argument" if amount_unit else "sheet line" if line_unit
                                  else "profile" if prof.amount_unit else "default")
    period = layout.facts.get("period")
    title_year = year or (period.year if period is not None else None)
    meta["year"] = title_year
    if amount_unit and line_unit and amount_unit != line_unit:
        issues.append(issue_frame([{
            "sheet": sheet, "problem": "amount_unit_conflict", "action": "checked",
            "raw_value": line_unit,
            "message": f"表中写明金额单位为{line_unit}，按参数 amount_unit={amount_unit!r} 读取 "
                       f"(the sheet says {line_unit}; amount_unit was used as asked)"}]))

    # --- columns: canonical names, unknown headers kept under their own label
    width = len(layout.paths)
    rows_num = layout.rows
    col_of: dict[str, int] = {}
    extra: dict[str, int] = {}
    unknown_rows = []
    nonempty_cols = layout.written_cols() if len(layout.body) else np.zeros(width, bool)
    for j, (path, name) in enumerate(zip(layout.paths, layout.names, strict=True)):
        if name is not None and name not in col_of:
            col_of[name] = j
            continue
        if not path and not nonempty_cols[j]:
            continue  # an empty column
        shown = "/".join(path) or f"列{s.letter(j)}"
        if name == "seq":
            continue
        key = shown
        k = 2
        while key in extra or key in PROJECTS.names:
            key, k = f"{shown}_{k}", k + 1
        extra[key] = j
        unknown_rows.append({
            "sheet": sheet, "row": int(rows_num[0]) - 1 if len(rows_num) else None,
            "column": shown, "raw_value": shown,
            "problem": "unknown_header" if name is None else "duplicate_header",
            "action": "kept",
            "message": (f"第{s.letter(j)}列（{shown}）不是已知的台账列，按原表头保留为 {key!r}；"
                        f"如需识别，请在 zsa.toml 的 [headers] 或 columns= 中指明"
                        if name is None else
                        f"第{s.letter(j)}列重复了表头 {shown!r}，保留为 {key!r}")})
    issues.append(issue_frame(unknown_rows))
    if "unit" in col_of:
        unit_source = "column"
    else:
        unit_source = "sheet"
    meta["unit_from"] = unit_source

    # --- rows: the layout's roles, then what only a ledger knows
    roles = layout.roles.copy()
    body = layout.body
    n = len(body)

    def col_text(name: str) -> pd.Series:
        return layout.text(col_of[name]) if name in col_of else pd.Series([""] * n, dtype=object)

    date_kw = _date_kwargs(title_year, s.date1904)
    row_units = (layout.text(col_of["amount_unit"]) if "amount_unit" in col_of else None)
    amounts = {c: _amounts(layout.values(col_of[c]), layout.units[col_of[c]] or unit, row_units)
               for c in _AMOUNT_COLS if c in col_of}
    dates = {c: _dates(layout.values(col_of[c]), title_year, date_kw) for c in _DATE_COLS
             if c in col_of}
    has_number = np.zeros(n, dtype=bool)
    for parsed in amounts.values():
        has_number |= (parsed["value_wan"].notna() | parsed["masked"]).to_numpy()
    for parsed in dates.values():
        has_number |= parsed["date"].notna().to_numpy()
    name_text = col_text("project_name").to_numpy(dtype=object)
    data_like = roles == "data"
    # a note line has no project name and no figures; a 小计/合计 row written in the name
    # column was caught by the layout
    note_fix = (roles == "note") & has_number
    roles[note_fix] = "data"
    no_project = data_like & (name_text == "") & ~has_number
    roles[no_project & (roles == "data")] = "no_project"
    excluded = ~np.isin(roles, ["data", "blank"])
    is_data = roles == "data"
    blank = roles == "blank"

    codes = {"total": "total_row", "subtotal": "subtotal_row", "section": "section_row",
             "part": "part_row",
             "repeated_header": "repeated_header", "note": "note_row",
             "no_project": "no_project_row"}
    messages = {
        "total_row": "合计行：不计入数据，下方核对",
        "subtotal_row": "小计行：不计入数据，下方核对",
        "part_row": "“其中”行：合计的一部分，不计入数据",
        "section_row": "分组标题行：不计入数据，其名称记入 section 列",
        "repeated_header": "表内重复的表头：不计入数据",
        "note_row": "注释或签名行：不计入数据",
        "no_project_row": "此行没有项目名称、金额或日期：不计入数据",
    }
    ex = excluded
    row_text = _row_text(body, ex)
    reason = [codes[r] for r in roles[ex]]
    issues.append(issue_frame(
        sheet=[sheet] * int(ex.sum()), row=rows_num[ex], column=[None] * int(ex.sum()),
        raw_value=row_text, problem=reason, action=["excluded"] * int(ex.sum()),
        message=[messages[r] for r in reason],
    ))

    # hidden rows and columns are read all the same, and said; unreadable cells too
    issues.append(issue_frame(layout.read_issues(~blank)))

    # section names carried down to the projects under them
    section_name = pd.Series(layout.section, dtype=object)

    # --- subtotals and totals cross-checked against the data rows
    issues.append(_cross_check(sheet, rows_num, is_data, roles == "section",
                               roles == "subtotal", roles == "total", amounts, layout,
                               col_of, body))

    # --- the data rows
    data, cell_issues = _build(layout, is_data, col_of, extra, amounts, dates, section_name,
                               unit_map)
    issues.extend(cell_issues)
    title_unit = _unit_in_title(layout.facts.get("title"), prof, unit_map)
    if "unit" not in col_of and not _is_unit_name(sheet, prof, unit_map) and title_unit:
        data["unit"] = pd.array([title_unit] * len(data), dtype="str")
        meta["unit_from"] = "title"
        if len(data):
            issues.append(issue_frame([{
                "sheet": sheet, "problem": "unit_from_title", "action": "kept",
                "raw_value": layout.facts.get("title"),
                "message": f"表中没有责任单位列，按标题取单位“{title_unit}” (no unit column: the "
                           "title names the unit)"}]))
    if "unit" not in col_of and _is_unit_name(sheet, prof, unit_map):
        unit_name = normalize_unit([sheet], aliases=unit_map).iloc[0]
        data["unit"] = pd.array([unit_name] * len(data), dtype="str")
        if len(data):
            issues.append(issue_frame([{
                "sheet": sheet, "problem": "unit_from_sheet", "action": "kept",
                "raw_value": sheet,
                "message": f"表中没有责任单位列，按工作表名取单位“{unit_name}” "
                           f"(no unit column: the sheet name is the unit)"}]))

    section_units = _section_units(data["section"], prof, unit_map)
    if ("unit" not in col_of and not title_unit and not _is_unit_name(sheet, prof, unit_map)
            and section_units is not None):
        # the units are the section headings (一、高新区（4个）): each project is under its unit
        data["unit"] = section_units
        meta["unit_from"] = "section"
        if len(data):
            issues.append(issue_frame([{
                "sheet": sheet, "problem": "unit_from_section", "action": "kept",
                "message": "表中没有责任单位列，按分组标题取单位"}]))
    elif "unit" not in col_of and meta["unit_from"] == "sheet" and not title_unit and not (
            _is_unit_name(sheet, prof, unit_map)) and len(data):
        meta["unit_from"] = None
        issues.append(issue_frame([{
            "sheet": sheet, "problem": "missing_unit", "action": "kept", "raw_value": sheet,
            "message": f"表中没有责任单位列，工作表名“{sheet}”也不是单位：各项目的单位为空，可用 "
                       "columns= 或 zsa.toml 指明单位列"}]))
    # one signing ceremony's list: the date printed under its title is every project's
    day = _title_date(layout.title)
    if (day is not None and "signed_on" not in col_of and "signed_reached" not in col_of
            and re.search("签约", layout.facts.get("title") or "") and len(data)):
        data["signed_on"] = data["signed_on"].fillna(day)
        issues.append(issue_frame([{
            "sheet": sheet, "problem": "date_from_title", "action": "kept",
            "raw_value": str(day.date()),
            "message": f"签约日期取自标题下的日期 {day.date()}（一次签约活动的项目清单）(the signing "
                       "date printed under the title)"}]))
    # a sheet that is itself a stage list (签约合同项目, 意向项目, 新开工…一览表)
    for stage, value in _stage_hints(sheet, layout.facts.get("title")).items():
        date_col, flag = f"{stage}_on", f"{stage}_reached"
        if date_col in col_of or flag in col_of or not len(data):
            continue
        data[flag] = pd.array(np.where(data[date_col].notna(), True, value), dtype="boolean")
        issues.append(issue_frame([{
            "sheet": sheet, "problem": "stage_from_sheet", "action": "kept",
            "raw_value": sheet,
            "message": f"表名说明本表项目{'已' if value else '未'}{PROJECTS[date_col].zh[:2]}"
                       f"（日期不详）(the sheet is a list of projects that "
                       f"{'reached' if value else 'have not reached'} this stage)"}]))

    n_nonempty = int((~blank).sum())
    accounting = pd.DataFrame({
        "sheet": [sheet], "nonempty_rows": [n_nonempty], "data_rows": [len(data)],
        "excluded_rows": [int(ex.sum())], "blank_rows": [int(blank.sum())],
    })
    accounting["balanced"] = accounting["nonempty_rows"] == (
        accounting["data_rows"] + accounting["excluded_rows"])
    return data, concat_issues(issues), accounting, meta


_UNIT_NAME = re.compile(r"^.{1,12}?(?:镇|乡|街道|开发区|园区|园|新区|高新区|局|委|办|中心|场|管委会)$")


def _is_unit_name(name: str, prof: Profile, unit_map: Mapping[str, str]) -> bool:
    """Whether a sheet name names a responsible unit (城关镇, 经济开发区, 县商务局)."""
    bare = "".join(name.split())
    return bool(bare in prof.groups or bare in unit_map or (
        _UNIT_NAME.match(normalize_unit([bare]).iloc[0] or "") and not _SUMMARY_SHEET.search(bare)
        and not re.search(r"表|台账|清单|明细|一览", bare)))


#: 进展状态 words by how far a project has come: 0 talking, 1 signed, 2 started, 3 producing
_STATUS_LEVELS = (r"洽谈|在谈|意向|储备|线索|对接|考察",
                  r"签约|签订|注册|落地",
                  r"开工|在建|建设中|动工",
                  r"投产|达产|竣工|运营|营业")

_TITLE_UNIT = re.compile(r"^(.{1,12}?(?:镇|乡|街道|经济开发区|开发区|高新区|园区|产业园|新区))(?=\d{4}年|"
                         r"招商|重点|项目|[(（])")


_SECTION_UNIT = re.compile(r"^(.{1,12}?(?:镇|乡|街道|开发区|高新区|园区|产业园|新区|县|区|市))"
                           r"(?:[(（]\d+个[)）])?$")


def _section_units(sections: pd.Series, prof: Profile, unit_map: Mapping[str, str]
                   ) -> pd.Series | None:
    """The units, when every project sits under a section heading that names one."""
    names = sections.astype("str")
    if not len(names) or names.isna().any():
        return None
    uniq = pd.unique(names.to_numpy(dtype=object))
    found = {u: _SECTION_UNIT.match(str(u)) for u in uniq}
    if not all(found.values()):
        return None
    mapped = {u: normalize_unit([m.group(1)], aliases=unit_map).iloc[0]
              for u, m in found.items() if m}
    return pd.Series(names.map(mapped).to_numpy(dtype=object), dtype="str")


def _title_date(lines: list[str]) -> pd.Timestamp | None:
    """A full date alone on a line under the title: （2024年9月26日）."""
    for line in lines[1:]:
        m = re.fullmatch(r"[(（]?(\d{4})年(\d{1,2})月(\d{1,2})日[)）]?", line)
        if m:
            try:
                return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _unit_in_title(title: str | None, prof: Profile, unit_map: Mapping[str, str]) -> str | None:
    """A unit named at the start of the title (经济开发区2024年招商项目台账), not a county."""
    if not title:
        return None
    m = _TITLE_UNIT.match("".join(title.split()))
    if not m or re.search(r"[县市省]$", m.group(1)) or "各" in m.group(1):
        return None
    return normalize_unit([m.group(1)], aliases=unit_map).iloc[0]


#: A sheet or title that is itself a stage list: 签约合同项目, 意向项目, 新开工项目一览表
_STAGE_LISTS = (("signed", r"签约(?:合同)?项目|正式签约|合同项目|签约落地", True),
                ("signed", r"意向|在谈|洽谈|储备|线索|拟签约", False),
                ("landed", r"新注册|注册项目|新落地|落地项目", True),
                ("started", r"新开工|开工项目", True),
                ("producing", r"新投产|投产项目|竣工项目", True))


def _stage_hints(sheet: str, title: str | None) -> dict[str, bool]:
    text = f"{sheet} {title or ''}"
    hints: dict[str, bool] = {}
    for stage, words, value in _STAGE_LISTS:
        if stage not in hints and re.search(words, text):
            hints[stage] = value
    return hints


def _date_kwargs(year: int | None, date1904: bool) -> dict[str, Any]:
    """parse_date's options for a sheet: the title's year for dates written without one, and
    the workbook's date system for bare serial numbers."""
    return {"default_year": year, "date1904": date1904}


_YYYYMM = r"^(19[89]\d|20\d\d)(0[1-9]|1[0-2])$"
_MONTH_DAY = r"^(\d{1,2})月(?:(\d{1,2})[日号]?)?$"


def _dates(values: pd.Series, year: int | None, kwargs: dict[str, Any]) -> pd.DataFrame:
    """parse_date, after the forms ledgers add to it: ``201603`` (yyyyMM, as text or number),
    the number ``2024.05`` (a year and a month typed as a decimal), and ``3月15日`` with the
    year from the title. ``year_supplied`` and ``ambiguous_month`` say where that happened.
    A ledger repeats its dates: each distinct value is looked at once."""
    codes, uniq = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    distinct = pd.Series(np.append(uniq.astype(object), [None]), dtype=object)
    v, supplied, ambiguous = _date_forms(distinct, year)
    parsed = parse_date(v, **kwargs)
    take = np.where(codes < 0, len(uniq), codes)
    out = parsed.take(take).reset_index(drop=True)
    out.index = values.index
    out["year_supplied"] = supplied[take] & out["date"].notna().to_numpy()
    out["ambiguous_month"] = ambiguous[take]
    return out


def _date_forms(values: pd.Series, year: int | None
                ) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """The ledger-only date forms rewritten as parse_date reads them."""
    v = values.copy()
    n = len(v)
    supplied = np.zeros(n, dtype=bool)
    ambiguous = np.zeros(n, dtype=bool)
    is_str, is_num = cell_kinds(v.to_numpy(dtype=object))
    is_str &= (v != "").to_numpy(dtype=bool)
    if is_num.any():
        num = pd.to_numeric(v[is_num], errors="coerce").astype(float)
        whole = num.round(6) == num.round(0)
        ym = whole & (num >= 198001) & (num <= 210012) & (num % 100).between(1, 12)
        dec = ~whole & (num >= 1980) & (num < 2101)
        frac = ((num - np.floor(num)) * 100).round(0)
        dec &= frac.between(1, 12)
        text = pd.Series(None, index=num.index, dtype=object)
        both = ym | dec
        if both.any():
            y = pd.Series(np.where(ym, num // 100, np.floor(num))[both.to_numpy()])
            m = pd.Series(np.where(ym, num % 100, frac)[both.to_numpy()])
            text[both] = (y.astype("int64").astype("str") + "-"
                          + m.astype("int64").astype("str").str.zfill(2)).to_numpy(dtype=object)
        idx = text.dropna().index
        v[idx] = text[idx]
        amb = dec & (frac == 10)
        ambiguous[np.flatnonzero(is_num)[amb.to_numpy()]] = True
    if is_str.any():
        t = v[is_str].astype("str").str.strip()
        ym = t.str.fullmatch(_YYYYMM)
        if ym.any():
            parts = t[ym].str.extract(_YYYYMM)
            v[parts.index] = parts[0] + "-" + parts[1]
        if year is not None:
            md = t.str.extract(_MONTH_DAY)
            ok = md[0].notna()
            if ok.any():
                day = md.loc[ok, 1].fillna("")
                v[md.index[ok]] = (f"{year}年" + md.loc[ok, 0] + "月"
                                   + day.where(day == "", day + "日"))
                supplied[np.flatnonzero(is_str)[ok.to_numpy()]] = True
    return v, supplied, ambiguous


def _amounts(values: pd.Series, unit: str, row_units: pd.Series | None) -> pd.DataFrame:
    """parse_amount with the column's unit, or, where a 计量单位 column says each row's unit,
    with that row's (rows of an unknown unit are parsed with none and come back unparsed)."""
    if row_units is None:
        return parse_amount(values, default_unit=unit)
    words = row_units.to_numpy(dtype=object)
    out = None
    for u in pd.unique(words):
        rows = words == u
        known = u in AMOUNT_UNITS
        part = parse_amount(values[rows], default_unit=u if known else unit)
        if not known and u:
            part["value_wan"] = np.nan
            part["problem"] = "unknown_unit"
        out = part if out is None else pd.concat([out, part])
    assert out is not None
    return out.loc[values.index]


def _units(values: pd.Series, aliases: Mapping[str, str] | None) -> pd.Series:
    """normalize_unit on each distinct name once: a ledger names a few units many times."""
    codes, uniq = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    names = normalize_unit(pd.Series(np.append(uniq.astype(object), [None]), dtype=object),
                           aliases=aliases).to_numpy(dtype=object)
    return pd.Series(names[np.where(codes < 0, len(uniq), codes)], dtype="str")


def _row_text(body: np.ndarray, mask: np.ndarray) -> list[str]:
    return [" | ".join(str(v) for v in row if v not in ("", None)) for row in body[mask]]


def _cross_check(sheet: str, rows_num: np.ndarray, is_data: np.ndarray, section: np.ndarray,
                 subtotal: np.ndarray, total: np.ndarray, amounts: dict[str, pd.DataFrame],
                 layout: Layout, col_of: dict[str, int], body: np.ndarray) -> pd.DataFrame:
    """Compare each 小计 with the data rows of its section and each 合计 with all data rows
    above it (or below it, when printed first), in the currency it is written in."""
    out = []
    boundary = section | subtotal
    group = np.cumsum(np.r_[0, boundary[:-1]]) if len(boundary) else boundary
    position = np.arange(len(is_data))
    data = is_data
    # 序号 1 over 1-1, 1-2: a parent's members are its own sub-projects
    seq = (layout.text(col_of["seq"]).to_numpy(dtype=object) if "seq" in col_of
           else np.full(len(is_data), "", dtype=object))
    parent_of = sub_project_parents(seq)
    for col, parsed in amounts.items():
        value = parsed["value_wan"].to_numpy()
        currency = parsed["currency"].to_numpy(dtype=object)
        doubtful = data & (parsed["masked"] | (parsed["problem"] == "unparsed")).to_numpy()
        label = "/".join(layout.paths[col_of[col]])
        for kind, mask in (("subtotal", subtotal), ("total", total)):
            for i in np.flatnonzero(mask):
                got = value[i]
                if np.isnan(got):
                    continue  # nothing written in this column of the 小计/合计 row
                members = data & (position < i)
                if kind == "subtotal" and (parent_of == seq[i]).any():
                    members = data & (parent_of == seq[i])
                elif kind == "subtotal":
                    members &= group == group[i]
                    if not members.any():  # a 小计 printed above its section's rows
                        nxt = np.flatnonzero(boundary & (position > i))
                        end = nxt[0] if len(nxt) else len(data)
                        members = data & (position > i) & (position < end)
                elif not members.any():
                    members = data & (position > i)  # a 合计 printed above the data
                same = members & (currency == currency[i])
                other = members & pd.notna(currency) & (currency != currency[i])
                expected = float(np.round(value[same].sum(), 6))
                unit = "万美元" if currency[i] == "USD" else "万元"
                zh = "小计" if kind == "subtotal" else "合计"
                base = {"sheet": sheet, "row": int(rows_num[i]), "column": label,
                        "raw_value": str(body[i, col_of[col]])}
                if abs(got - expected) <= max(0.01, 1e-6 * abs(expected)):
                    continue
                if (doubtful & members).any():
                    k = int((doubtful & members).sum())
                    out.append({**base, "problem": f"{kind}_unchecked", "action": "checked",
                                "message": f"{zh} {got:,.2f} {unit} 无法完全核对：其中 {k} 行"
                                           f"金额被遮盖或无法识别，其余合计 {expected:,.2f}，"
                                           f"差 {got - expected:,.2f}"})
                elif other.any():
                    out.append({**base, "problem": f"{kind}_unchecked", "action": "checked",
                                "message": f"{zh} {got:,.2f} {unit} 混合了币种：{unit}部分合计 "
                                           f"{expected:,.2f}，另有 {int(other.sum())} 行为其他币种"})
                else:
                    out.append({**base, "problem": f"{kind}_mismatch", "action": "checked",
                                "message": f"{zh}为 {got:,.2f} {unit}，但所属数据行合计 "
                                           f"{expected:,.2f}（差 {got - expected:+,.2f}）"})
    return issue_frame(out)


def _check_summary(layout: Layout, data: pd.DataFrame, amount_unit: str | None,
                   prof: Profile, unit_map: Mapping[str, str]) -> pd.DataFrame:
    """A 汇总 sheet checked against the detail sheets, unit by unit; never added to them."""
    s = layout.sheet
    unit_col = layout.col("unit")
    out = []
    unit = amount_unit or layout.facts.get("amount_unit") or prof.amount_unit or "万元"
    data_rows = np.isin(layout.roles, ["data"])
    if unit_col is None or not data_rows.any():
        return issue_frame([{"sheet": s.name, "problem": "summary_unchecked",
                             "action": "excluded",
                             "message": "汇总表：未能识别其单位列，未与明细表核对"}])
    units = normalize_unit(layout.values(unit_col), aliases=unit_map).to_numpy(dtype=object)
    checked = 0
    for col in ("contract_wan", "funds_in_place_wan", "funds_this_year_wan"):
        j = layout.col(col)
        if j is None or col not in data:
            continue
        parsed = parse_amount(layout.values(j), default_unit=layout.units[j] or unit)
        detail = data[data["currency"] == "CNY"].groupby("unit")[col].sum(min_count=1)
        for i in np.flatnonzero(data_rows):
            got = parsed["value_wan"].iat[i]
            u = units[i]
            if pd.isna(got) or u is None:
                continue
            expected = detail.get(u, np.nan)
            checked += 1
            if pd.isna(expected) or abs(got - expected) > max(0.01, 1e-6 * abs(got)):
                out.append({"sheet": s.name, "row": int(layout.rows[i]),
                            "column": "/".join(layout.paths[j]),
                            "raw_value": str(layout.body[i, j]), "problem": "summary_mismatch",
                            "action": "checked",
                            "message": f"汇总表中{u}为 {got:,.2f} 万元，明细表合计 "
                                       f"{0 if pd.isna(expected) else expected:,.2f} 万元"})
    body_rows = ~np.isin(layout.roles, ["blank"])
    for i in np.flatnonzero(body_rows):
        out.append({"sheet": s.name, "row": int(layout.rows[i]), "problem": "summary_row",
                    "action": "excluded",
                    "raw_value": " | ".join(str(v) for v in layout.body[i] if v not in ("", None)),
                    "message": "汇总表的行：不计入数据，用于核对明细表"})
    out.append({"sheet": s.name, "problem": "summary_sheet", "action": "checked",
                "message": f"汇总表：不计入数据，已与明细表逐单位核对 {checked} 项 "
                           f"(a summary sheet: checked against the detail sheets, not added)"})
    return issue_frame(out)


_TRUE_ARR = pa.array(sorted(_TRUE))
_FALSE_ARR = pa.array(sorted(_FALSE))


def _bool(text: pd.Series) -> pd.Series:
    """是/否, √/×, 已开工/未开工 … as True/False; anything else missing."""
    low = pc.utf8_lower(pa.array(text.to_numpy(dtype=object), type=pa.string(),
                                 from_pandas=True))
    yes = pc.is_in(low, value_set=_TRUE_ARR).to_numpy(zero_copy_only=False)
    no = pc.is_in(low, value_set=_FALSE_ARR).to_numpy(zero_copy_only=False)
    return pd.Series(pd.arrays.BooleanArray(np.asarray(yes, dtype=bool), ~(yes | no)),
                     index=text.index)


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def _repeat(text: str, n: int) -> pd.api.extensions.ExtensionArray:
    """A text column of ``n`` times the same text."""
    return pd.array(pa.repeat(_large(text), n), dtype="str")


def _no_text(n: int) -> pd.api.extensions.ExtensionArray:
    """A text column of ``n`` missing values."""
    return pd.array(pa.nulls(n, pa.large_string()), dtype="str")


def _build(layout: Layout, keep: np.ndarray, col_of: dict[str, int], extra: dict[str, int],
           amounts: dict[str, pd.DataFrame], dates: dict[str, pd.DataFrame],
           section_name: pd.Series, unit_aliases: Mapping[str, str] | None,
           ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    s = layout.sheet
    sheet = s.name
    raw = layout.body
    rows = layout.rows[keep]
    n = len(rows)
    issues: list[pd.DataFrame] = []
    label = {name: "/".join(layout.paths[j]) for name, j in col_of.items()}

    def values(name: str) -> np.ndarray:
        return raw[keep, col_of[name]]

    def text(name: str) -> pd.Series:
        return layout.text(col_of[name])[keep].reset_index(drop=True)

    def cell_issues(name: str, mask: np.ndarray, problem: Any, action: str,
                    message: Any) -> None:
        if not mask.any():
            return
        k = int(mask.sum())
        raw_vals = values(name)[mask] if name in col_of else [None] * k
        issues.append(issue_frame(
            sheet=_repeat(sheet, k), row=rows[mask], column=_repeat(label.get(name, name), k),
            raw_value=pd.Series(raw_vals, dtype=object).astype("str").array,
            problem=problem if isinstance(problem, list | np.ndarray) else _repeat(problem, k),
            action=_repeat(action, k),
            message=message if isinstance(message, list | np.ndarray | pd.api.extensions.
                                          ExtensionArray) else _repeat(message, k)))

    data: dict[str, Any] = {}
    for name in ("project_id", "project_name", "industry", "origin", "notes"):
        if name in col_of:
            # names keep their inner spaces as written; only the ends are trimmed
            raw_vals = values(name)
            is_s, _ = cell_kinds(raw_vals)
            written = np.where(is_s, raw_vals, text(name).to_numpy(dtype=object))
            arr = pc.utf8_trim_whitespace(pa.array(written, type=pa.string()))
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
            data[name] = pd.array(arr, dtype="str")  # from Arrow: no round trip via objects
        else:
            data[name] = _no_text(n)
    if "project_id" not in col_of:
        data["project_id"] = pd.array(pc.binary_join_element_wise(
            sheet, pc.cast(pa.array(rows, type=pa.int64()), pa.string()), "-"), dtype="str")
        if n:
            issues.append(issue_frame([{
                "sheet": sheet, "problem": "ids_generated", "action": "kept",
                "message": "台账没有项目编号列：以工作表名和行号作项目编号"}]))
    missing_name = pd.isna(pd.Series(data["project_name"])).to_numpy()
    cell_issues("project_name", missing_name, "missing_name", "kept",
                "此行有金额或日期但没有项目名称")

    # unit names
    if "unit" in col_of:
        unit_raw = pd.Series(values("unit"), dtype=object)
        unit = _units(unit_raw.where(unit_raw != ""), unit_aliases)
        is_s, _ = cell_kinds(unit_raw.to_numpy(dtype=object))
        before = pd.Series(np.where(is_s, unit_raw.to_numpy(dtype=object),
                                    text("unit").to_numpy(dtype=object)), dtype="str")
        changed = (unit.notna() & (unit != before)).to_numpy()
        if changed.any():
            cell_issues("unit", changed, "unit_normalised", "normalised",
                        pd.array(pc.binary_join_element_wise(
                            _large("单位名称写作“"), pa.array(before[changed]), _large("”，读作“"),
                            pa.array(unit[changed]), _large("”"), _large("")), dtype="str"))
        cell_issues("unit", unit.isna().to_numpy(), "missing_unit", "kept",
                    "没有责任单位")
        data["unit"] = unit.to_numpy()
    else:
        data["unit"] = _no_text(n)

    # amounts and the row's currency
    currency = np.full(n, None, dtype=object)
    for name in _AMOUNT_COLS:
        if name not in amounts:
            data[name] = np.full(n, np.nan)
            continue
        parsed = amounts[name][keep].reset_index(drop=True)
        data[name] = parsed["value_wan"].to_numpy(copy=True)
        prob = parsed["problem"]
        bad = prob.isin(["masked", "unparsed", "placeholder"]).to_numpy()
        cell_issues(name, bad, prob[bad].to_numpy(), "set_missing",
                    [{"masked": "金额在源表中被遮盖（xx）",
                      "unparsed": "不是金额",
                      "placeholder": "占位符（—、/、无），不是金额"}[p]
                     for p in prob[bad]])
        if name == "contract_wan":
            empty = (prob == "empty").to_numpy()
            cell_issues(name, empty, "empty", "kept", "没有合同金额")
        appr = parsed["approx"].to_numpy()
        cell_issues(name, appr, "approx", "kept",
                    "金额写作约数（约/近/余/多），保留其数值")
        cur = parsed["currency"].to_numpy(dtype=object)
        has = pd.notna(cur)
        clash = has & pd.notna(currency) & (cur != currency)
        cell_issues(name, clash, "currency_mismatch", "set_missing",
                    "此金额的币种与同行其他金额不同，置为缺失而不混加")
        data[name][clash] = np.nan
        currency = np.where(pd.isna(currency) & has, cur, currency)
    if "currency" in col_of:
        written = text("currency")
        usd = written.str.contains("美元|USD|美金|US\\$", regex=True).to_numpy()
        currency = np.where(pd.isna(currency) & usd, "USD", currency)
    data["currency"] = pd.array(np.where(pd.isna(currency), "CNY", currency), dtype="str")

    # stages: dates, and 是/否/√ where no date is written
    reached: dict[str, np.ndarray] = {}
    for name in _DATE_COLS:
        flag = _REACHED[name]
        written = (_bool(text(flag)).to_numpy(dtype=object) if flag in col_of
                   else np.full(n, None, dtype=object))
        written = np.where(pd.isna(written), None, written)
        if name not in dates:
            data[name] = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            reached[flag] = written
            continue
        parsed = dates[name][keep].reset_index(drop=True)
        data[name] = parsed["date"].to_numpy()
        # only an undated cell with something written can hold a word
        look = parsed["date"].isna().to_numpy() & (text(name) != "").to_numpy(dtype=bool)
        word = np.full(n, None, dtype=object)
        if look.any():
            said_word = _bool(text(name)[look]).to_numpy(dtype=object)
            word[look] = np.where(pd.isna(said_word), None, said_word)
        # a word in the date column (已开工, 未开工, √) says whether, not when
        said = pd.notna(word) & parsed["date"].isna().to_numpy()
        prob = parsed["problem"].mask(said)
        bad = prob.isin(["unparsed", "invalid_date", "out_of_range"]).to_numpy()
        cell_issues(name, bad, prob[bad].to_numpy(), "set_missing",
                    [{"unparsed": "不是日期", "invalid_date": "日期不存在",
                      "out_of_range": "超出1980-2100年，不是合理日期"}[p]
                     for p in prob[bad]])
        month = (parsed["precision"] == "month").to_numpy()
        cell_issues(name, month, "month_only", "kept",
                    "只写了月份，按当月1日计")
        if "year_supplied" in parsed:
            sup = parsed["year_supplied"].fillna(False).to_numpy(dtype=bool)
            cell_issues(name, sup, "year_from_title", "kept",
                        "日期未写年份，按表头标题中的年份补全")
        amb = parsed["ambiguous_month"].to_numpy(dtype=bool)
        cell_issues(name, amb, "ambiguous_month", "kept",
                    "数字写的年月（如2024.1）可能是1月也可能是10月，按1月读取 (2024.1 may be "
                    "January or October: read as January)")
        has_date = parsed["date"].notna().to_numpy()
        flag_vals = np.where(said, word, written)
        flag_vals = np.where(has_date, True, flag_vals)
        conflict = has_date & (written == False)  # noqa: E712 - object array of True/False/None
        cell_issues(name, conflict, "stage_conflict", "kept",
                    f"写有{PROJECTS[name].zh}，但“是否”列为否")
        reached[flag] = flag_vals
    if "status" in col_of:
        # one 进展状态 column (洽谈中 / 已签约 / 已开工 / 在建 / 已投产) marks each stage it implies
        status = text("status").to_numpy(dtype=object)
        # 已签约未开工 / 尚未投产: what has not happened yet does not count
        said = pd.Series(status, dtype="str").str.replace(r"(?:尚)?未(?:开工|投产|签约|落地|竣工|"
                                                          r"注册|达产)", "", regex=True)
        said_arr = said.to_numpy(dtype=object)
        level = np.full(n, -1)
        for k, pattern in enumerate(_STATUS_LEVELS):
            level = np.where(regex_mask(said_arr, pattern, full=False), k, level)
        for stage, k in (("signed_on", 1), ("started_on", 2), ("producing_on", 3)):
            flag = _REACHED[stage]
            if flag in col_of or stage in dates:
                continue
            reached[flag] = np.where(level < 0, None, level >= k)
        unknown = (level < 0) & (status != "")
        cell_issues("status", unknown, "unparsed", "kept",
                    "进展状态无法识别，各节点按未知处理")
    stages = [st for st in _DATE_COLS if st in dates]
    for a, b in itertools.pairwise(stages):
        da, db = pd.Series(data[a]), pd.Series(data[b])
        coarse = ((dates[a]["precision"][keep] == "month").to_numpy()
                  | (dates[b]["precision"][keep] == "month").to_numpy())
        same_month = (da.dt.to_period("M") == db.dt.to_period("M")).to_numpy()
        disorder = (db < da).to_numpy() & ~(coarse & same_month)
        cell_issues(b, disorder, "stage_order", "kept",
                    f"{PROJECTS[b].zh}早于{PROJECTS[a].zh} ({b} is earlier than {a})")

    # flags
    foreign = (pd.Series(data["currency"]) == "USD").to_numpy()
    if "is_foreign" in col_of:
        written = _bool(text("is_foreign"))
        data["is_foreign"] = written.fillna(pd.Series(foreign)).astype("boolean").to_numpy()
    else:
        data["is_foreign"] = pd.array(foreign, dtype="boolean")
    if "is_new" in col_of:
        data["is_new"] = _bool(text("is_new")).to_numpy()
    else:
        data["is_new"] = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))

    frame = pd.DataFrame({c.name: data[c.name] for c in PROJECTS.columns})
    for c in PROJECTS.columns:
        if c.dtype == "date":
            frame[c.name] = frame[c.name].astype("datetime64[ns]")
        elif c.dtype == "bool":
            frame[c.name] = frame[c.name].astype("boolean")
        elif c.dtype == "string":
            frame[c.name] = frame[c.name].astype("str")
    frame["sheet"] = _repeat(sheet, n)
    frame["section"] = pd.array(section_name[keep].to_numpy(dtype=object), dtype="str")
    frame["source_row"] = rows
    if "funds_this_year_wan" in amounts:
        frame["funds_this_year_wan"] = data["funds_this_year_wan"]
    for flag, vals in reached.items():
        date_col = flag.replace("_reached", "_on")
        undated = pd.notna(pd.Series(vals, dtype=object)).to_numpy() & frame[date_col].isna(
        ).to_numpy()
        if flag in col_of or undated.any():
            frame[flag] = pd.array(vals, dtype="boolean")
    for key, j in extra.items():
        frame[key] = raw[keep, j]
    return frame, issues


def _is_arrow_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _arrow_text(values: pd.Series) -> pa.Array:
    """A text column as Arrow strings: its own buffers when it is held in Arrow already."""
    if _is_arrow_text(values):
        return pa.array(values)
    return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def _codes(texts: pa.Array) -> np.ndarray:
    """Equal texts share a code, missing ones get -1 (as ``pd.factorize``), in Arrow."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    return pc.fill_null(pc.dictionary_encode(texts).indices, -1).to_numpy(
        zero_copy_only=False).astype(np.int64)


def _duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Repeated projects (same name and unit, across sheets too): kept, flagged against the
    first occurrence."""
    if not len(frame):
        return frame, issue_frame([])
    names = _arrow_text(frame["project_name"])
    name_key = pc.replace_substring_regex(names, r"[\s\x{3000}\x{a0}]+", "")
    codes_n = _codes(name_key)
    codes_u = (_codes(_arrow_text(frame["unit"])) if _is_arrow_text(frame["unit"]) else
               pd.factorize(frame["unit"].to_numpy(dtype=object), use_na_sentinel=True)[0])
    key = codes_n.astype(np.int64) * (codes_u.max() + 2) + (codes_u + 1)
    dup = pd.Series(key).duplicated(keep="first").to_numpy() & (codes_n >= 0)
    if not dup.any():
        return frame, issue_frame([])
    first_at = pd.Series(np.arange(len(key))).groupby(key, sort=False).transform("first")
    first_row = frame["source_row"].to_numpy()[first_at.to_numpy()]
    first_sheet = frame["sheet"].to_numpy(dtype=object)[first_at.to_numpy()]
    k = int(dup.sum())
    issues = issue_frame(
        sheet=frame["sheet"][dup].to_numpy(), row=frame["source_row"][dup].to_numpy(),
        column=["项目名称"] * k, raw_value=frame["project_name"][dup].to_numpy(),
        problem=["duplicate_project"] * k, action=["kept"] * k,
        message=[f"与{sh}第{r}行的项目名称和单位相同"
                 for sh, r in zip(first_sheet[dup], first_row[dup], strict=True)])
    return frame, issues
