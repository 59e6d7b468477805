"""Read monthly tables — the statistics platform's 月报表 (本月 / 1-N月累计 / 上年同期 / 同比 /
年度任务 / 完成率), county 通报 with 乡镇 / 县直单位 sections, and 目标进度汇总表 (目标值 / 完成值 /
完成进度 per indicator) — into the canonical ``funds`` and ``targets`` tables, on the layout
layer (:mod:`._layout`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ZsAnalyticsError
from ._layout import Layout, cell_kinds, infer_layout, read_cells, regex_mask, strip_unit
from ._sheet import Result, concat_issues, issue_frame
from .amounts import parse_amount
from .periods import MonthSpan, find_period
from .profile import Profile, reader_options
from .units import normalize_unit

__all__ = ["read_monthly_report"]

_RANGE = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_MEASURES: list[tuple[str, re.Pattern[str]]] = [
    ("unit", re.compile(r"^(?:单位|责任单位|乡镇(?:[(（]?街道[)）]?)?|地区|单位名称|县区|县市区|"
                        r"乡镇街道|乡镇[(（]街道、园区[)）]|部门|责任部门|地方|县别|区域|片区|镇街)$")),
    ("this_month", re.compile(r"^(?:本月|当月|本月完成|本月到位|本月实际到位|当月完成|本月新增|当月新增)"
                              r"(?:数|额)?$")),
    ("ytd", re.compile(rf"^(?:{_RANGE}[-—~至到]{_RANGE}月|1月|本年|累计|本年累计|年累计|截至本月|"
                       r"上半年|前三季度|"
                       r"完成值|实际完成|完成数|完成额|实绩|实际到位|到位资金)(?:累计)?(?:完成|到位)?"
                       r"(?:资金)?(?:数|额|值)?$")),
    ("prior_ytd", re.compile(r"^(?:上年同期|去年同期|上年同期完成|上年同期累计)(?:数|额)?$")),
    ("yoy_pct", re.compile(r"^(?:同比|同比增长|同比增减|增幅|同比增幅|增长率|同比增长率|比上年同期"
                           r"增减)(?:%|率)?$")),
    ("target", re.compile(r"^(?:年度任务|年度目标|全年任务|任务|目标任务|目标值|年度目标任务|"
                          r"全年目标|任务数|目标)$")),
    ("completion_pct", re.compile(r"^(?:完成率|完成进度|完成年度任务|完成比例|完成进度%|"
                                  r"完成年度目标|任务完成率|完成目标)(?:%)?$")),
    ("rank", re.compile(r"^(?:排名|名次|排序|位次|全县排名)$")),
    ("category", re.compile(r"^(?:类别|分类|组别|类型|考核类别|档次)$")),
    ("row_indicator", re.compile(r"^(?:指标|指标名称|统计指标|项目)$")),
    ("row_unit", re.compile(r"^(?:计量单位|单位名称?[(（]计量[)）])$")),
    ("score", re.compile(r"^(?:考核得分|得分|综合得分|总得分|考核分)$")),
    ("q1", re.compile(r"^(?:第?一|1)季度(?:任务|目标)?$")),
    ("q2", re.compile(r"^(?:第?二|2)季度(?:任务|目标)?$")),
    ("q3", re.compile(r"^(?:第?三|3)季度(?:任务|目标)?$")),
    ("q4", re.compile(r"^(?:第?四|4)季度(?:任务|目标)?$")),
    ("time_progress", re.compile(r"^(?:序时进度|时序进度|时间进度)(?:%)?$")),
    ("gap_pp", re.compile(r"^(?:超欠序时进度|超[(（]?欠[)）]?序时进度|与序时进度差|超序时进度)"
                          r"(?:%|百分点)?$")),
]
_UNIT_IN = re.compile(r"[(（\[【](万美元|亿美元|万元|亿元|美元|元|%|个|项|家)[)）\]】]")
_COUNT_GROUP = re.compile(r"[(（\[【](?:个|项|家|户)[)）\]】]|项目数|个数|家数|签约项目|开工项目|"
                          r"投产项目|新建项目|在建项目")
_RANK_IN_CELL = r"^\s*(.*?)\s*[(（]\s*(\d{1,3})\s*[)）]\s*$"
_GROUP_OF = (("乡镇", r"乡镇|乡$|镇$"), ("街道", r"街道"), ("县直单位", r"县直|区直|市直|部门|单位"),
             ("园区", r"园区|开发区|功能区"))


def _matcher(aliases: Mapping[str, str]):
    def match(path: tuple[str, ...]) -> str | None:
        leaf = path[-1]
        if leaf in aliases or "".join(path) in aliases:
            return aliases.get("".join(path)) or aliases[leaf]
        bare = strip_unit(_UNIT_IN.sub("", leaf))
        bare = re.sub(r"[(（]%[)）]|%$", "", bare) or bare
        for name, pattern in _MEASURES:
            if pattern.match(bare):
                return name
        return None

    return match


def _group_source(label: str) -> tuple[str, str | None]:
    """Source name and money unit from a group header such as 实际利用外资（万美元）."""
    unit = _UNIT_IN.search(label)
    written = unit.group(1) if unit and unit.group(1) not in ("%", "个", "项", "家") else None
    if (written and "美元" in written) or re.search("外资|境外|美元|外商", label):
        return "境外", written or "万美元"
    for name in ("省外境内", "市外境内", "省外", "省内", "市外", "境内"):
        if name in label:
            return name, written
    return (strip_unit(_UNIT_IN.sub("", label)) or "合计"), written


def read_monthly_report(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    year: int | None = None,
    source: str = "合计",
    unit_aliases: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    profile: str | Path | Mapping[str, Any] | Profile | None = None,
    amount_unit: str | None = None,
) -> Result:
    """Read monthly tables (one sheet or one file per month, year-to-date figures) into funds.

    Each sheet's period is read from its title (``2024年1-6月…完成情况表``), its sheet name,
    the file name or its ``1-6月累计`` header. Year-to-date cumulative figures become monthly
    amounts (the difference from the previous month's cumulative); a negative increment (a
    revision) is reported, and kept. 本月, 同比, 完成率, every 小计 and the 合计 are
    cross-checked against the figures they should agree with. Section rows (乡镇 / 县直单位 /
    园区) give each unit its group; 小计 rows are never units; a 合计 may come first. Each
    column keeps its own unit (本月 in 万元 beside 累计 in 亿元); ``45.6%`` is read as 45.6;
    a rank written inside a value cell (``1234.56(3)``) goes to ``rank``; ``—`` is no figure.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``, ``.xls``, ``.ods``, or ``.csv`` / ``.txt`` in UTF-8 or GBK.
    sheet : str or int, optional
        Only this sheet; by default every sheet with a recognisable monthly table.
    year : int, optional
        The year, when neither the titles, the sheet names nor the file name say it.
    source : str, default "合计"
        The source name for a table without a group header above its measures; with group
        headers (实际到位市外境内资金（万元）, 实际利用外资（万美元）) each group is a source.
    unit_aliases : mapping, optional
        Passed to :func:`normalize_unit` (added to the profile's).
    columns : mapping, optional
        Source header → measure (``unit``, ``this_month``, ``ytd``, ``prior_ytd``,
        ``yoy_pct``, ``target``, ``completion_pct``, ``rank``).
    profile : path, mapping or Profile, optional
        A county profile; by default ``zsa.toml`` beside the file, if there is one.
    amount_unit : str, optional
        The unit of bare numbers when neither the column nor the title says it.

    Returns
    -------
    Result
        ``.data`` is the funds table (unit, month, source, currency, amount_wan) derived from
        the cumulative figures; ``.targets`` the annual targets (year, unit, indicator,
        target); ``.reported`` every unit and 合计 figure as reported, one row per sheet ×
        unit × source (sheet, row, unit, group, source, indicator, kind, year, end_month,
        this_month_wan, ytd_wan, prior_ytd_wan, target, yoy_pct, completion_pct, rank,
        currency, is_total); ``.subtotals`` the 小计 rows; ``.issues`` every problem;
        ``.accounting`` the row balance per sheet; ``.plan`` how each column was read.

    Raises
    ------
    ZsAnalyticsError
        If the file is not a workbook or no sheet holds a monthly table.

    Examples
    --------
    >>> from zsanalytics.datasets import raw_path
    >>> report = read_monthly_report(raw_path("monthly_report"))
    >>> sorted(report.data["source"].unique()), report.balanced
    (['境外', '市外境内'], True)
    >>> report.issues.query("problem == 'negative_increment'")[["sheet", "row", "problem"]]
    ... # doctest: +NORMALIZE_WHITESPACE
               sheet  row             problem
    ...  2024年1-5月    ...  negative_increment
    """
    prof, aliases, unit_map = reader_options(path, profile, columns, unit_aliases)
    match = _matcher(aliases)
    sheets = read_cells(path, sheet)
    reported, issues, accounting, skipped, plans = [], [], [], [], []
    for s in sheets:
        layout = infer_layout(s, match, min_known=2, key_columns=("unit", "category"))
        transposed = _indicator_rows(layout)
        if layout is None or "unit" not in layout.names or not (
                {"ytd", "this_month", "target"} & set(layout.names)):
            skipped.append(s.name)
            continue
        rep, iss, acc = _read_sheet(layout, Path(path).stem, year, source, unit_map, prof,
                                    amount_unit)
        if transposed is not None:
            rep = _one_unit(rep, layout, transposed)
        reported.append(rep)
        issues.append(iss)
        accounting.append(acc)
        plans.append(layout.plan())
    if not reported:
        raise ZsAnalyticsError(
            f"{str(path)!r} 中没有找到月报表：工作表 {skipped} 中没有含“单位”和“1-N月累计”"
            f"（或本月、完成值）的表头；可用 columns= 或 zsa.toml 指明列名"
        )
    if skipped:
        issues.append(issue_frame([{"sheet": s, "problem": "sheet_skipped", "action": "excluded",
                                    "message": "此工作表中没有月报表，未读取"}
                                   for s in skipped]))
    rep = pd.concat(reported, ignore_index=True)
    issues.append(issue_frame(_checks(rep)))  # every sheet's 同比, 完成率, 小计 and 合计 at once
    subtotals = rep[rep["is_subtotal"]].drop(columns="is_subtotal").reset_index(drop=True)
    rep = rep[~rep["is_subtotal"]].drop(columns="is_subtotal").reset_index(drop=True)
    funds, inc_issues = _increments(rep)
    issues.append(inc_issues)
    targets = _targets(rep)
    result = Result(funds, concat_issues(issues), pd.concat(accounting, ignore_index=True),
                    {"sheets": [s.name for s in sheets if s.name not in skipped],
                     "profile": prof.path},
                    {"targets": targets, "reported": rep,
                     "subtotals": subtotals,
                     "plan": pd.concat(plans, ignore_index=True)})
    return result


_YYYYMM_SPAN = re.compile(r"((?:19|20)\d\d)(0[1-9]|1[0-2])\s*(?:至|到|-|—|~)\s*"
                          r"((?:19|20)\d\d)(0[1-9]|1[0-2])(?!\d)")


_REPORTER = re.compile(r"填报单位(?:[(（]盖章[)）])?\s*[:：]\s*([^\s:：\d]{1,16}?"
                       r"(?:县|区|市|旗|镇|乡|街道|开发区|园区))")
_UNIT_FACTOR = {"亿元": (10000.0, "CNY"), "万元": (1.0, "CNY"), "元": (0.0001, "CNY"),
                "千元": (0.1, "CNY"), "万美元": (1.0, "USD"), "亿美元": (10000.0, "USD"),
                "美元": (0.0001, "USD")}


def _indicator_rows(layout: Layout | None) -> str | None:
    """A statistics form (统计报表制度 表式) lists indicators as rows (指标名称, 代码, 计量单位)
    for one reporting unit named above the table (填报单位：东川县). Its rows are read as the
    units are elsewhere, then given back their indicator and the one unit. Returns that unit."""
    if layout is None or "unit" in layout.names or "row_indicator" not in layout.names:
        return None
    found = None
    for line in layout.title:
        m = _REPORTER.search(line)
        if m:
            found = m.group(1)
    if found is None:
        return None
    names = layout.names
    names[names.index("row_indicator")] = "unit"
    if "row_unit" in names:
        words = layout.text(names.index("row_unit")).to_numpy(dtype=object)
        count = regex_mask(words, r"个|项|家|户|人|亩", full=True) & (layout.roles == "data")
        layout.roles = np.where(count, "count", layout.roles)
    # 其中：省外到位资金 is an indicator of its own here, not a part of a 合计 row
    layout.roles = np.where(layout.roles == "part", "data", layout.roles)
    return found


def _one_unit(rep: pd.DataFrame, layout: Layout, unit: str) -> pd.DataFrame:
    """Back from rows-as-units: the indicator, the reporting unit, each row's money unit."""
    rep = rep.copy()
    name = rep["unit"].astype("str")
    part = name.str.match(r"^其中[:：]").fillna(False).to_numpy(dtype=bool)
    rep["indicator"] = (name.str.replace(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+"
                                         r"[)）])", "", regex=True)
                        .str.replace(r"^其中[:：]", "", regex=True))
    rep["unit"] = unit
    if "row_unit" in layout.names:
        words = dict(zip(layout.rows, layout.text(layout.names.index("row_unit")), strict=True))
        row_unit = rep["row"].map(words)
        factor = row_unit.map(lambda u: _UNIT_FACTOR.get(u, (np.nan, None))[0])
        currency = row_unit.map(lambda u: _UNIT_FACTOR.get(u, (np.nan, None))[1])
        for c in ("this_month_wan", "ytd_wan", "prior_ytd_wan", "target"):
            if c in rep:
                rep[c] = rep[c] * factor
        rep["currency"] = currency.where(currency.notna(), rep["currency"])
        rep.loc[currency == "USD", "kind"] = "foreign"
    contract = rep["indicator"].str.contains("签约|合同|协议", regex=True).fillna(False)
    rep.loc[contract.to_numpy(dtype=bool) & (rep["kind"] == "funds").to_numpy(), "kind"] = "contract"
    rep.loc[part, "kind"] = "part"  # a part of the indicator above it: never added to it
    rep.loc[part & (rep["currency"] == "CNY").to_numpy(), "source"] = rep.loc[
        part & (rep["currency"] == "CNY").to_numpy(), "indicator"].map(
        lambda w: _group_source(w)[0])
    return rep


def _period(layout: Layout, stem: str, year: int | None) -> MonthSpan:
    for text in (*layout.title, layout.sheet.name, stem):
        m = _YYYYMM_SPAN.search(text)  # the systems' 202401至202409
        if m and m.group(1) == m.group(3):
            return MonthSpan(int(m.group(2)), int(m.group(4)), int(m.group(1)), None,
                             m.group(0))
    span = layout.facts.get("period")
    titled_year = span.year if span is not None else None
    span = span if span is not None and span.ok else MonthSpan(None, None, year or titled_year,
                                                                "unparsed")
    if span.year is None and year is not None:
        span = MonthSpan(span.start, span.end, year, span.problem, span.text)
    for text in (layout.sheet.name, stem, *layout.labels):
        if span.ok and span.year is not None:
            break
        found = find_period(text, year=span.year or year)
        if found.ok and not span.ok:
            span = found
        if found.year and span.year is None:
            span = MonthSpan(span.start, span.end, found.year, span.problem, span.text)
    return span


def _group_name(heading: Any, unit: Any, groups: Mapping[str, str]) -> Any:
    if isinstance(unit, str) and unit in groups:
        return groups[unit]
    if not isinstance(heading, str) or not heading:
        return None
    for name, pattern in _GROUP_OF:
        if re.search(pattern, heading):
            return name
    return heading


def _parse_columns(specs: dict[Any, tuple[pd.Series, str, bool]]
                   ) -> dict[Any, tuple[pd.DataFrame, pd.Series]]:
    """Parse several columns of figures with one parse_amount call per default unit: the
    values (in 万 of their currency, or plain numbers for percentages) and any rank written in
    brackets inside a cell (``8316.00(2)``)."""
    out: dict[Any, tuple[pd.DataFrame, pd.Series]] = {}
    batches: dict[str, list[Any]] = {}
    for key, (_, unit, pct) in specs.items():
        batches.setdefault("万元" if pct else unit, []).append(key)
    for unit, keys in batches.items():
        arrays = [np.asarray(specs[k][0], dtype=object) for k in keys]
        pct_mask = np.concatenate([np.full(len(a), specs[k][2]) for k, a in zip(
            keys, arrays, strict=True)]) if arrays else np.zeros(0, bool)
        values = np.concatenate(arrays) if arrays else np.zeros(0, dtype=object)
        rank = np.full(len(values), np.nan)
        is_str, _ = cell_kinds(values)
        is_str &= values != ""
        if is_str.any():
            t = pd.Series(values[is_str], dtype="str")
            m = t.str.extract(_RANK_IN_CELL)
            found = (m[1].notna() & (m[0] != "")).to_numpy()
            idx = np.flatnonzero(is_str)
            if found.any():
                rank[idx[found]] = m.loc[found, 1].astype(float).to_numpy()
                t[found] = m.loc[found, 0]
            pct_here = pct_mask[idx]
            if pct_here.any():
                stripped = t[pct_here].str.replace(r"[%％\s]", "", regex=True)
                # ↑12.5 / ↓3.2, 增长12.5 / 下降3.2: the word or arrow is the sign; 持平 is 0;
                # 第2名 / 并列第10名 is a rank
                stripped = (stripped.str.replace(r"^(?:↑|增长|增加|增|上升)\+?", "", regex=True)
                            .str.replace(r"^(?:↓|下降|减少|降低|降|下滑)-?", "-", regex=True)
                            .str.replace(r"^持平$", "0", regex=True)
                            .str.replace(r"^(?:并列)?第(\d+)(?:名|位)$", r"\1", regex=True))
                t[pct_here] = stripped
            values = values.copy()
            values[idx] = t.to_numpy(dtype=object)
        parsed = parse_amount(pd.Series(values, dtype=object), default_unit=unit)
        start = 0
        for k, a in zip(keys, arrays, strict=True):
            index = specs[k][0].index
            part = parsed.iloc[start:start + len(a)].reset_index(drop=True)
            part.index = index
            out[k] = (part, pd.Series(rank[start:start + len(a)], index=index))
            start += len(a)
    return out


def _read_sheet(layout: Layout, stem: str, year: int | None, source: str,
                unit_map: Mapping[str, str], prof: Profile, amount_unit: str | None,
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    s = layout.sheet
    sheet = s.name
    issues: list[dict[str, Any]] = []
    span = _period(layout, stem, year)
    progress = bool({"ytd", "this_month"} & set(layout.names))
    if not progress and span.year is not None and not span.ok:
        # a table of targets only (任务分解表) is of a year, not of months
        span = MonthSpan(None, None, span.year, None, span.text)
    elif not span.ok or span.year is None:
        raise ZsAnalyticsError(
            f"工作表 {sheet!r}：无法判断报表期间；请在标题（如 2024年1-6月…）、工作表名或文件名中"
            f"写明，或传入 year="
        )
    if span.start != 1:
        issues.append({"sheet": sheet, "problem": "period_not_ytd", "action": "checked",
                       "raw_value": span.text,
                       "message": f"期间{span.label}不是从1月开始；其数字按截至{span.end}月的累计"
                                  "读取"})
    sheet_unit = layout.facts.get("amount_unit") or amount_unit or prof.amount_unit
    unit_col = layout.names.index("unit")

    # groups of measures (a source or an indicator each)
    groups: dict[tuple[str, ...], dict[str, int]] = {}
    for j, name in enumerate(layout.names):
        if name in (None, "unit", "time_progress", "gap_pp", "category", "row_indicator",
                    "row_unit"):
            continue
        g = layout.paths[j][:-1]
        if name == "rank" and g and g not in groups:
            g = ()
        groups.setdefault(g, {})
        if name not in groups[g]:
            groups[g][name] = j

    # measures with no group of their own (年度任务, 完成率, 排名 beside 实际到位资金 / 本月, 累计)
    # belong to the one group there is
    named = [g for g in groups if g]
    if () in groups and len(named) == 1:
        loose = groups.pop(())
        for measure, j in loose.items():
            groups[named[0]].setdefault(measure, j)
    elif () in groups and named and not ({"ytd", "this_month"} & set(groups[()])):
        loose = groups.pop(())
        for measure, j in loose.items():
            groups[named[0]].setdefault(measure, j)

    roles = layout.roles
    rows_num = layout.rows
    unit_raw = layout.values(unit_col)
    unit_text = layout.text(unit_col)
    is_total = roles == "total"
    is_sub = roles == "subtotal"
    is_part = roles == "part"
    # a row whose unit cell is empty but that holds figures, or a note line
    is_data = roles == "data"
    count_total = np.zeros(len(roles), dtype=bool)
    if "row_indicator" in layout.names:
        # a unit's 项目个数 row beside its 金额 row: the count is not money
        said = layout.text(layout.names.index("row_indicator")).to_numpy(dtype=object)
        count_row = regex_mask(said, r"个数|项目数|[(（](?:个|项|家)[)）]|^个$", full=False)
        count_total = count_row & is_total
        roles = np.where(count_row & is_data, "count", roles)
        is_data = roles == "data"
    empty_unit = is_data & (unit_text.to_numpy(dtype=object) == "")
    for mask, code, msg in ((empty_unit, "no_unit_row", "此行没有单位名称：不计入数据"),
                            (roles == "count", "count_row",
                             "项目个数行：不是金额，不计入资金数据"),
                            (roles == "note", "note_row", "注释或签名行：不计入数据"),
                            (roles == "section", "section_row", "分组标题行：其名称记入 group 列"),
                            (roles == "repeated_header", "repeated_header", "表内重复的表头"),
                            (is_sub, "subtotal_row", "小计行：不计入数据，下方核对"),
                            (is_part, "part_row", "“其中”行：合计的一部分，不计入数据"),
                            (is_total, "total_row", "合计行：不计入数据，下方核对")):
        for i in np.flatnonzero(mask):
            row_text = " | ".join(str(v) for v in layout.body[i] if v not in (None, ""))
            issues.append({"sheet": sheet, "row": int(rows_num[i]), "raw_value": row_text,
                           "problem": code, "action": "excluded", "message": msg})
    is_unit = is_data & ~empty_unit
    is_total = is_total & ~count_total  # the 合计 of counts is no money total
    units = normalize_unit(unit_raw.where(pd.Series(is_unit)), aliases=unit_map)
    changed = is_unit & (units.fillna("").to_numpy(dtype=object) != unit_text.to_numpy(
        dtype=object))
    for i in np.flatnonzero(changed):
        issues.append({"sheet": sheet, "row": int(rows_num[i]),
                       "column": "/".join(layout.paths[unit_col]),
                       "raw_value": str(unit_raw[i]), "problem": "unit_normalised",
                       "action": "normalised",
                       "message": f"单位名称写作 {unit_raw[i]!r}，读作 {units[i]!r}"})
    issues.extend(layout.read_issues(is_unit | is_total | is_sub | is_part))
    groups_of = prof.groups
    # each distinct (section heading, unit) pair once
    pairs = pd.MultiIndex.from_arrays([pd.Series(layout.section, dtype=object),
                                       units.astype(object)])
    codes, uniq = pd.factorize(pairs)
    names = np.array([_group_name(h, u, groups_of) for h, u in uniq], dtype=object)
    group = names[codes] if len(codes) else np.array([], dtype=object)
    keep = is_unit | is_total | is_sub | is_part
    cat_col = layout.col("category")
    category = (layout.text(cat_col).replace("", None).to_numpy(dtype=object)
                if cat_col is not None else np.full(len(keep), None, dtype=object))
    frames = []
    specs: dict[tuple[Any, str], tuple[pd.Series, str, bool]] = {}
    for g, cols in groups.items():
        label = " / ".join(g)
        g_unit = _group_source(label)[1] if g else None
        for measure, j in cols.items():
            unit = layout.units[j] or g_unit or sheet_unit or "万元"
            if g and _COUNT_GROUP.search(label):
                unit = "万元"  # a count is kept as written
            specs[(g, measure)] = (layout.values(j), unit,
                                   measure in ("yoy_pct", "completion_pct", "rank", "score"))
    parsed_all = _parse_columns(specs)
    for g, cols in groups.items():
        label = " / ".join(g)
        src, g_unit = _group_source(label) if g else (source, None)
        if not g and layout.title:
            # a table of one indicator says which in its title: …省外境内到位资金完成情况
            titled = _group_source("".join(layout.title))
            if titled[0] in ("省外境内", "市外境内", "省外", "省内", "市外", "境内", "境外"):
                src, g_unit = titled[0], g_unit or (titled[1] if titled[0] == "境外" else None)
        kind = "count" if g and _COUNT_GROUP.search(label) else (
            "foreign" if src == "境外" else "funds")
        if not g and "美元" in (sheet_unit or ""):
            g_unit = sheet_unit
            src, kind = "境外", "foreign"
        part: dict[str, Any] = {
            "sheet": sheet, "row": rows_num, "unit": units.to_numpy(dtype=object),
            "group": group, "category": category, "source": src, "indicator": label or None, "kind": kind,
            "year": span.year, "end_month": span.end}
        currency = None
        for measure, j in cols.items():
            values = layout.values(j)
            unit = layout.units[j] or g_unit or sheet_unit or "万元"
            if kind == "count":
                unit = "万元"  # a count is kept as written
            pct = measure in ("yoy_pct", "completion_pct")
            parsed, rank = parsed_all[(g, measure)]
            if measure in ("rank", "score"):
                part[measure] = parsed["value_wan"].to_numpy()
                continue
            if rank.notna().any():
                part["rank"] = np.where(rank.notna(), rank, part.get("rank", np.nan))
            if pct:
                part[measure] = parsed["value_wan"].to_numpy()
                is_text = cell_kinds(values.to_numpy(dtype=object))[0] & (values != "").to_numpy()
                part[f"{measure}_note"] = np.where(is_text & parsed["value_wan"].isna().to_numpy(),
                                                   values.to_numpy(dtype=object), None)
                continue
            col = ("target" if measure == "target" else f"target_{measure}"
                   if measure in ("q1", "q2", "q3", "q4") and "ytd" not in cols
                   else f"{measure}_wan")  # a quarter beside 累计 is the quarter's own figure
            part[col] = parsed["value_wan"].to_numpy()
            if kind != "count":
                currency = currency or ("USD" if "美元" in unit else "CNY")
            bad = keep & parsed["problem"].isin(["masked", "unparsed"]).to_numpy()
            for i in np.flatnonzero(bad):
                issues.append({"sheet": sheet, "row": int(rows_num[i]),
                               "column": "/".join(layout.paths[j]),
                               "raw_value": str(values[i]), "problem": parsed["problem"][i],
                               "action": "set_missing", "message": "不是数字"})
        part["currency"] = currency or ("CNY" if kind != "count" else None)
        frame = pd.DataFrame(part)
        frame["is_total"] = is_total
        frame["is_subtotal"] = is_sub | is_part
        frame["row_kind"] = np.where(is_total, "total", np.where(
            is_sub, "subtotal", np.where(is_part, "part", "unit")))
        frames.append(frame[keep])
    rep = pd.concat(frames, ignore_index=True)
    if "row_indicator" in layout.names:
        # the 指标 cell names what each row counts: 签约金额 is contract money, not funds
        said = layout.text(layout.names.index("row_indicator"))
        label = dict(zip(rows_num, said.str.replace(_UNIT_IN.pattern, "", regex=True), strict=True))
        named = rep["row"].map(label).replace("", None)
        rep["indicator"] = named.where(named.notna(), rep["indicator"])
        contract = rep["indicator"].fillna("").str.contains("签约|合同|协议", regex=True)
        rep.loc[contract & (rep["kind"] == "funds"), "kind"] = "contract"
    for c in ("this_month_wan", "ytd_wan", "prior_ytd_wan", "target", "yoy_pct",
              "completion_pct", "rank"):
        if c not in rep:
            rep[c] = np.nan
    rep.loc[rep["is_total"], "unit"] = "合计"
    sub_label = rep["group"].where(rep["group"].notna(), "")
    subs = rep["row_kind"] == "subtotal"
    rep.loc[subs, "unit"] = "小计" + sub_label[subs].map(lambda g: f"（{g}）" if g else "")
    parts = rep["row_kind"] == "part"
    if parts.any():  # 其中：省外资金 — a few rows: named by their first written cell
        body_text = {int(rows_num[i]): next(
            (t for t in (layout.text(j).iat[i] for j in range(len(layout.paths))) if t), "其中")
            for i in np.flatnonzero(is_part)}
        rep.loc[parts, "unit"] = rep.loc[parts, "row"].map(body_text)
        what = rep.loc[parts, "unit"].str.replace(r"^其中[:：]", "", regex=True)
        rep.loc[parts, "indicator"] = what
        rep.loc[parts, "source"] = what.map(lambda w: _group_source(w)[0])
    # a source with nothing written for a unit (blank foreign columns) is not a row; a dash
    # (no target, nothing to report) is written, and kept as a row of missing figures
    written = np.zeros(len(rep), dtype=bool)
    offset = 0
    for cols in groups.values():
        cells = np.zeros(len(layout.body), dtype=bool)
        for j in cols.values():
            cells |= (layout.text(j) != "").to_numpy(dtype=bool)
        k = int(keep.sum())
        written[offset:offset + k] = cells[keep]
        offset += k
    rep = rep[written].reset_index(drop=True)
    blank = roles == "blank"
    nonempty = int((~blank).sum())
    n_data = int(is_unit.sum())
    n_excl = int((~blank & ~is_unit).sum())
    acc = pd.DataFrame({"sheet": [sheet], "nonempty_rows": [nonempty], "data_rows": [n_data],
                        "excluded_rows": [n_excl], "blank_rows": [int(blank.sum())]})
    acc["balanced"] = acc["nonempty_rows"] == acc["data_rows"] + acc["excluded_rows"]
    return rep, issue_frame(issues), acc


def _checks(rep: pd.DataFrame) -> list[dict[str, Any]]:
    """同比 and 完成率 against the figures beside them; every 小计 against its section's units
    and the 合计 against all units."""
    out = []
    units = rep[~rep["is_total"] & ~rep["is_subtotal"]]
    yoy = (units["ytd_wan"] / units["prior_ytd_wan"] - 1) * 100
    comp = units["ytd_wan"] / units["target"] * 100
    for name, computed, tol in (("yoy_pct", yoy, 0.051), ("completion_pct", comp, 0.051)):
        written = units[name]
        both = written.notna() & computed.notna() & np.isfinite(computed)
        off = both & ((written - computed).abs() > tol)
        zh = "同比" if name == "yoy_pct" else "完成率"
        for i in units.index[off]:
            out.append({"sheet": rep.at[i, "sheet"], "row": int(rep.at[i, "row"]),
                        "column": f"{rep.at[i, 'source']}/{name}",
                        "raw_value": f"{rep.at[i, name]:g}", "problem": f"{name}_mismatch",
                        "action": "checked",
                        "message": f"{zh}写作 {rep.at[i, name]:g}%，但同行数字算得 "
                                   f"{computed[i]:.2f}%"})
    quarters = [c for c in ("target_q1", "target_q2", "target_q3", "target_q4") if c in rep]
    if len(quarters) == 4:
        # a 任务分解表: the year's target is the sum of its quarters
        q_sum = rep[quarters].sum(axis=1, min_count=4)
        off = q_sum.notna() & rep["target"].notna() & ((q_sum - rep["target"]).abs() > 0.01)
        for i in rep.index[off]:
            out.append({"sheet": rep.at[i, "sheet"], "row": int(rep.at[i, "row"]),
                        "column": f"{rep.at[i, 'source']}/target",
                        "raw_value": f"{rep.at[i, 'target']:g}", "problem": "quarters_mismatch",
                        "action": "checked",
                        "message": f"全年任务为 {rep.at[i, 'target']:,.2f}，但四个季度相加为 "
                                   f"{q_sum[i]:,.2f}"})
    key = ["sheet", "source", "indicator"]
    measures = ["this_month_wan", "ytd_wan", "prior_ytd_wan", "target"]
    u = units.assign(indicator=units["indicator"].fillna(""), group=units["group"].fillna(""))
    sums = u.groupby(key)[measures].sum(min_count=1)
    by_group = u.groupby([*key, "group"])[measures].sum(min_count=1)
    counts = u.groupby("sheet").size()
    for _, t in rep[rep["is_total"] | (rep["row_kind"] == "subtotal")].iterrows():
        ind = t["indicator"] if isinstance(t["indicator"], str) else ""
        if t["is_subtotal"]:
            k = (t["sheet"], t["source"], ind, t["group"] if isinstance(t["group"], str) else "")
            table, zh = by_group, "小计"
        else:
            k = (t["sheet"], t["source"], ind)
            table, zh = sums, "合计"
        if k not in table.index:
            continue
        for c in measures:
            expected = table.at[k, c]
            tol = 0.015 * max(1, counts.get(t["sheet"], 0) / 10)
            if c in ("ytd_wan", "this_month_wan", "prior_ytd_wan", "target") and pd.notna(
                    t[c]) and pd.notna(expected) and abs(t[c] - expected) > tol:
                out.append({"sheet": t["sheet"], "row": int(t["row"]),
                            "column": f"{t['source']}/{c}", "raw_value": f"{t[c]:g}",
                            "problem": "subtotal_mismatch" if t["is_subtotal"]
                            else "total_mismatch",
                            "action": "checked",
                            "message": f"{zh}为 {t[c]:,.2f}，但所属单位相加为 {expected:,.2f}"})
    return out


def _increments(rep: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly amounts from year-to-date cumulative figures, per unit and source (money only;
    counts of projects stay in ``reported``)."""
    kind = rep["kind"] if "kind" in rep else pd.Series("funds", index=rep.index)
    units = rep[~rep["is_total"] & rep["ytd_wan"].notna() & kind.isin(["funds", "foreign"])].copy()
    units = units.sort_values(["unit", "source", "currency", "year", "end_month"],
                              kind="stable")
    dup = units.duplicated(["unit", "source", "currency", "year", "end_month"], keep="last")
    issues = [{"sheet": s, "row": int(r), "problem": "duplicate_period", "action": "excluded",
               "message": f"后面的表再次报送了此单位1-{m}月的数字，采用后者"}
              for s, r, m in zip(units["sheet"][dup], units["row"][dup],
                                 units["end_month"][dup], strict=True)]
    units = units[~dup]
    key = ["unit", "source", "currency", "year"]
    prev_ytd = units.groupby(key)["ytd_wan"].shift(1)
    prev_month = units.groupby(key)["end_month"].shift(1)
    units["amount_wan"] = (units["ytd_wan"] - prev_ytd.fillna(0.0)).round(6)
    gap = units["end_month"] - prev_month.fillna(0) > 1
    for i in units.index[gap]:
        first = int(prev_month[i] + 1) if pd.notna(prev_month[i]) else 1
        issues.append({"sheet": units.at[i, "sheet"], "row": int(units.at[i, "row"]),
                       "column": f"{units.at[i, 'source']}/ytd_wan",
                       "raw_value": f"{units.at[i, 'ytd_wan']:g}", "problem": "months_combined",
                       "action": "kept",
                       "message": f"缺少{first}-{int(units.at[i, 'end_month']) - 1}月的报表：这些"
                                  f"月份的资金计入{int(units.at[i, 'end_month'])}月"})
    neg = units["amount_wan"] < 0
    for i in units.index[neg]:
        issues.append({"sheet": units.at[i, "sheet"], "row": int(units.at[i, "row"]),
                       "column": f"{units.at[i, 'source']}/ytd_wan",
                       "raw_value": f"{units.at[i, 'ytd_wan']:g}",
                       "problem": "negative_increment", "action": "kept",
                       "message": f"累计数由 {prev_ytd[i]:,.2f} 降至 {units.at[i, 'ytd_wan']:,.2f}："
                                  f"修正数 {units.at[i, 'amount_wan']:,.2f} 计为本月金额"})
    has_this = units["this_month_wan"].notna() & ~gap
    off = has_this & ((units["this_month_wan"] - units["amount_wan"]).abs() > 0.015)
    for i in units.index[off]:
        issues.append({"sheet": units.at[i, "sheet"], "row": int(units.at[i, "row"]),
                       "column": f"{units.at[i, 'source']}/this_month_wan",
                       "raw_value": f"{units.at[i, 'this_month_wan']:g}",
                       "problem": "this_month_mismatch", "action": "checked",
                       "message": f"本月写作 {units.at[i, 'this_month_wan']:,.2f}，但前后两期累计"
                                  f"数之差为 {units.at[i, 'amount_wan']:,.2f}"})
    funds = pd.DataFrame({
        "unit": units["unit"].astype("str").to_numpy(),
        "month": pd.to_datetime(pd.DataFrame({"year": units["year"],
                                              "month": units["end_month"], "day": 1})
                                ).to_numpy(dtype="datetime64[ns]"),
        "source": units["source"].astype("str").to_numpy(),
        "currency": units["currency"].astype("str").to_numpy(),
        "amount_wan": units["amount_wan"].to_numpy(dtype=float),
    })
    funds = funds.sort_values(["unit", "source", "month"], kind="stable").reset_index(drop=True)
    return funds, issue_frame(issues)


def _targets(rep: pd.DataFrame) -> pd.DataFrame:
    units = rep[~rep["is_total"] & rep["target"].notna()]
    if "kind" in units:
        units = units[units["kind"].isin(["funds", "foreign"])]
    latest = units.sort_values("end_month", kind="stable").drop_duplicates(
        ["year", "unit", "source"], keep="last")
    cny_sources = latest.loc[latest["currency"] == "CNY", "source"].unique()
    indicator = np.where(
        latest["currency"] == "USD", "foreign_funds",
        np.where(len(cny_sources) > 1, "funds_in_place:" + latest["source"].astype(str),
                 "funds_in_place"))
    out = pd.DataFrame({"year": latest["year"].astype("int64").to_numpy(),
                        "unit": latest["unit"].astype("str").to_numpy(),
                        "indicator": pd.array(indicator, dtype="str"),
                        "target": latest["target"].astype(float).to_numpy()})
    return out.sort_values(["indicator", "unit"]).reset_index(drop=True)
