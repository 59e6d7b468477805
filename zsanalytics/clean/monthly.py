"""Read the statistics platform's monthly table (月报表): units × 本月 / 1-N月累计 / 上年同期 /
同比 / 年度任务 / 完成率, one sheet per reporting month, into the canonical ``funds`` and
``targets`` tables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ZsAnalyticsError
from ._sheet import (
    NOTE_ROW,
    TOTAL_ROW,
    Result,
    SheetGrid,
    amount_unit_line,
    cell_text,
    concat_issues,
    find_header,
    issue_frame,
    open_sheets,
)
from .amounts import parse_amount
from .periods import MonthSpan, find_period
from .units import normalize_unit

__all__ = ["read_monthly_report"]

_MEASURES: list[tuple[str, re.Pattern[str]]] = [
    ("unit", re.compile(r"^(?:单位|责任单位|乡镇(?:[(（]?街道[)）]?)?|地区|单位名称|县区)$")),
    ("this_month", re.compile(r"^(?:本月|当月|本月完成|本月到位)(?:[(（].*[)）])?$")),
    ("ytd", re.compile(r"^(?:\d{1,2}[-—~至]\d{1,2}月|1月|本年|累计)(?:累计)?(?:完成|到位)?"
                       r"(?:[(（].*[)）])?$|^累计(?:完成|到位)?(?:[(（].*[)）])?$")),
    ("prior_ytd", re.compile(r"^(?:上年同期|去年同期)(?:[(（].*[)）])?$")),
    ("yoy_pct", re.compile(r"^(?:同比|同比增长|同比增减|增幅|同比增幅)(?:[(（]?%[)）]?)?$")),
    ("target", re.compile(r"^(?:年度任务|年度目标|全年任务|任务|目标任务)(?:[(（].*[)）])?$")),
    ("completion_pct", re.compile(r"^(?:完成率|完成进度|完成年度任务|完成比例)(?:[(（]?%[)）]?)?$")),
]
# the platform also labels its total row with the county alone (全县)
_TOTAL = TOTAL_ROW + r"|^(?:全县|全区|全市)$"
_UNIT_IN = re.compile(r"[(（](万美元|万元|亿元|美元|元)[)）]")


def _match(text: str) -> tuple[str | None, str | None]:
    bare = _UNIT_IN.sub("", text)
    for name, pattern in _MEASURES:
        if pattern.match(bare):
            unit = _UNIT_IN.search(text)
            return name, unit.group(1) if unit else None
    return None, None


def _group_source(label: str) -> tuple[str, str | None]:
    """Source name and currency from a group header such as 实际利用外资（万美元）."""
    unit = _UNIT_IN.search(label)
    currency = "USD" if (unit and "美元" in unit.group(1)) or re.search(
        "外资|境外|美元", label) else "CNY"
    if currency == "USD":
        return "境外", unit.group(1) if unit else "万美元"
    for name in ("省外境内", "市外境内", "省外", "省内", "市外", "境内"):
        if name in label:
            return name, unit.group(1) if unit else None
    return (_UNIT_IN.sub("", label) or "合计"), unit.group(1) if unit else None


def read_monthly_report(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    year: int | None = None,
    source: str = "合计",
    unit_aliases: Mapping[str, str] | None = None,
) -> Result:
    """Read monthly report tables (one sheet per month, year-to-date figures) into funds.

    Each sheet's period is read from its title (``2024年1-6月…完成情况表``), its sheet name or
    its ``1-6月累计`` header. Year-to-date cumulative figures become monthly amounts (the
    difference from the previous month's cumulative); a negative increment (a revision) is
    reported, and kept. 本月, 同比, 完成率 and the 合计 row are cross-checked against the
    figures they should agree with.

    Parameters
    ----------
    path : str or Path
        The workbook, read with calamine.
    sheet : str or int, optional
        Only this sheet; by default every sheet with a recognisable monthly table.
    year : int, optional
        The year, when neither the titles nor the sheet names say it.
    source : str, default "合计"
        The source name for a table without a group header above its measures; with group
        headers (实际到位市外境内资金（万元）, 实际利用外资（万美元）) each group is a source.
    unit_aliases : mapping, optional
        Passed to :func:`normalize_unit`.

    Returns
    -------
    Result
        ``.data`` is the funds table (unit, month, source, currency, amount_wan) derived from
        the cumulative figures; ``.targets`` the annual targets (year, unit, indicator,
        target); ``.reported`` every figure as reported, one row per sheet × unit × source;
        ``.issues`` every problem; ``.accounting`` the row balance per sheet.

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
    grids = open_sheets(path, sheet)
    reported, issues, accounting, skipped = [], [], [], []
    for grid in grids:
        header = find_header(grid, _match, min_known=3)
        if header is None or "unit" not in header.names or "ytd" not in header.names:
            skipped.append(grid.name)
            continue
        rep, iss, acc = _read_sheet(grid, header, year, source, unit_aliases)
        reported.append(rep)
        issues.append(iss)
        accounting.append(acc)
    if not reported:
        raise ZsAnalyticsError(
            f"no monthly report table found in {str(path)!r}: looked for a header with 单位 "
            f"and 1-N月累计 (plus 本月, 上年同期, 同比, 年度任务 or 完成率) in sheet(s) {skipped}"
        )
    if skipped:
        issues.append(issue_frame([{"sheet": s, "problem": "sheet_skipped", "action": "excluded",
                                    "message": "no monthly report table in this sheet"}
                                   for s in skipped]))
    rep = pd.concat(reported, ignore_index=True)
    funds, inc_issues = _increments(rep)
    issues.append(inc_issues)
    targets = _targets(rep)
    result = Result(funds, concat_issues(issues), pd.concat(accounting, ignore_index=True),
                    {"sheets": [g.name for g in grids if g.name not in skipped]},
                    {"targets": targets, "reported": rep})
    return result


def _read_sheet(grid: SheetGrid, header: Any, year: int | None, source: str,
                unit_aliases: Mapping[str, str] | None,
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    sheet = grid.name
    issues: list[dict[str, Any]] = []
    # the period: title lines, else the sheet name, else the 1-N月累计 header
    span = MonthSpan(None, None, year, "unparsed")
    for r in range(header.top):
        found = find_period(" ".join(grid.text(r)), year=year)
        if found.ok:
            span = found
            break
    for text in (sheet, *header.labels):
        if span.ok and span.year is not None:
            break
        found = find_period(text, year=span.year or year)
        if found.ok and not span.ok:
            span = found
        if found.year and span.year is None:
            span = MonthSpan(span.start, span.end, found.year, span.problem, span.text)
    if not span.ok or span.year is None:
        raise ZsAnalyticsError(
            f"sheet {sheet!r}: cannot tell which period it reports; put it in the title "
            f"(2024年1-6月…) or sheet name, or pass year="
        )
    if span.start != 1:
        issues.append({"sheet": sheet, "problem": "period_not_ytd", "action": "checked",
                       "raw_value": span.text,
                       "message": f"the period {span.label} does not start in January; its "
                                  "figures are taken as year-to-date to month "
                                  f"{span.end}"})
    sheet_unit = amount_unit_line(grid, header.top)
    unit_col = header.names.index("unit")

    # groups of measures (a source each)
    groups: dict[str, dict[str, int]] = {}
    for j, name in enumerate(header.names):
        if name in (None, "unit"):
            continue
        g = header.groups[j]
        groups.setdefault(g, {})
        if name not in groups[g]:
            groups[g][name] = j

    body = grid.cells[header.data_start:]
    rows_num = np.arange(header.data_start + 1, header.data_start + 1 + len(body))
    unit_raw = pd.Series([r[unit_col] if unit_col < len(r) else None for r in body],
                         dtype=object)
    unit_text = unit_raw.map(cell_text)
    blank = pd.Series([not any(str(v).strip() for v in r if v is not None) for r in body])
    is_total = unit_text.str.fullmatch(_TOTAL)
    is_note = unit_text.str.match(NOTE_ROW) | (
        (unit_text == "") & ~blank)
    is_unit = ~blank & ~is_total & ~is_note
    units = normalize_unit(unit_raw.where(is_unit, None), aliases=unit_aliases)
    changed = is_unit & (units != unit_text)
    for i in np.flatnonzero(changed.to_numpy()):
        issues.append({"sheet": sheet, "row": int(rows_num[i]), "column": header.labels[unit_col],
                       "raw_value": str(unit_raw[i]), "problem": "unit_normalised",
                       "action": "normalised",
                       "message": f"unit name written as {unit_raw[i]!r}, read as {units[i]!r}"})
    for mask, code, msg in ((is_total, "total_row", "合计 row: excluded, cross-checked"),
                            (is_note, "note_row", "a note line or a row without a unit: "
                                                  "excluded")):
        for i in np.flatnonzero(mask.to_numpy()):
            row_text = " | ".join(str(v) for v in body[i] if v not in (None, ""))
            issues.append({"sheet": sheet, "row": int(rows_num[i]), "raw_value": row_text,
                           "problem": code, "action": "excluded", "message": msg})

    frames = []
    for g, cols in groups.items():
        src, g_unit = _group_source(g) if g else (source, None)
        if not g and "美元" in (sheet_unit or ""):
            g_unit = sheet_unit
        part: dict[str, Any] = {"sheet": sheet, "row": rows_num,
                                "unit": units.where(~is_total, "合计").to_numpy(),
                                "source": src, "year": span.year, "end_month": span.end}
        currency = None
        for measure, j in cols.items():
            values = pd.Series([r[j] if j < len(r) else None for r in body], dtype=object)
            unit = header.units[j] or g_unit or sheet_unit or "万元"
            if measure in ("yoy_pct", "completion_pct"):
                parsed = parse_amount(values, default_unit="万元")
                part[measure] = parsed["value_wan"].to_numpy()
                note = values.map(lambda v: v if isinstance(v, str) else None)
                part[f"{measure}_note"] = note.where(parsed["value_wan"].isna()).to_numpy()
                continue
            parsed = parse_amount(values, default_unit=unit)
            col = "target" if measure == "target" else f"{measure}_wan"
            part[col] = parsed["value_wan"].to_numpy()
            currency = currency or ("USD" if "美元" in unit else "CNY")
            bad = (is_unit | is_total).to_numpy() & parsed["problem"].isin(
                ["masked", "unparsed", "placeholder"]).to_numpy()
            for i in np.flatnonzero(bad):
                if parsed["problem"][i] == "placeholder":
                    continue  # a dash in a report cell means nothing to report
                issues.append({"sheet": sheet, "row": int(rows_num[i]),
                               "column": "/".join(p for p in (g, header.labels[j]) if p),
                               "raw_value": str(values[i]), "problem": parsed["problem"][i],
                               "action": "set_missing", "message": "not a number"})
        part["currency"] = currency or "CNY"
        frame = pd.DataFrame(part)
        frame["is_total"] = is_total.to_numpy()
        frames.append(frame[(is_unit | is_total).to_numpy()])
    rep = pd.concat(frames, ignore_index=True)
    for c in ("this_month_wan", "ytd_wan", "prior_ytd_wan", "target", "yoy_pct",
              "completion_pct"):
        if c not in rep:
            rep[c] = np.nan
    # a source with nothing reported for a unit (blank foreign columns) is not a row
    figures = rep[["this_month_wan", "ytd_wan", "prior_ytd_wan", "target"]]
    rep = rep[figures.notna().any(axis=1)].reset_index(drop=True)
    issues.extend(_checks(rep))
    nonempty = int((~blank).sum())
    n_data = int(is_unit.sum())
    n_excl = int((is_total | is_note).sum())
    acc = pd.DataFrame({"sheet": [sheet], "nonempty_rows": [nonempty], "data_rows": [n_data],
                        "excluded_rows": [n_excl], "blank_rows": [int(blank.sum())]})
    acc["balanced"] = acc["nonempty_rows"] == acc["data_rows"] + acc["excluded_rows"]
    return rep, issue_frame(issues), acc


def _checks(rep: pd.DataFrame) -> list[dict[str, Any]]:
    """同比 and 完成率 against the figures beside them; the 合计 row against the units."""
    out = []
    units = rep[~rep["is_total"]]
    yoy = (units["ytd_wan"] / units["prior_ytd_wan"] - 1) * 100
    comp = units["ytd_wan"] / units["target"] * 100
    for name, computed, tol in (("yoy_pct", yoy, 0.051), ("completion_pct", comp, 0.051)):
        written = units[name]
        both = written.notna() & computed.notna() & np.isfinite(computed)
        off = both & ((written - computed).abs() > tol)
        for i in units.index[off]:
            out.append({"sheet": rep.at[i, "sheet"], "row": int(rep.at[i, "row"]),
                        "column": f"{rep.at[i, 'source']}/{name}",
                        "raw_value": f"{rep.at[i, name]:g}", "problem": f"{name}_mismatch",
                        "action": "checked",
                        "message": f"{'同比' if name == 'yoy_pct' else '完成率'} is written "
                                   f"{rep.at[i, name]:g}% but the figures beside it give "
                                   f"{computed[i]:.2f}%"})
    totals = rep[rep["is_total"]]
    sums = units.groupby(["sheet", "source"])[["this_month_wan", "ytd_wan",
                                               "prior_ytd_wan"]].sum(min_count=1)
    for _, t in totals.iterrows():
        key = (t["sheet"], t["source"])
        if key not in sums.index:
            continue
        for c in ("this_month_wan", "ytd_wan", "prior_ytd_wan"):
            expected = sums.at[key, c]
            if pd.notna(t[c]) and pd.notna(expected) and abs(t[c] - expected) > 0.015 * max(
                    1, (units["sheet"] == t["sheet"]).sum() / 10):
                out.append({"sheet": t["sheet"], "row": int(t["row"]),
                            "column": f"{t['source']}/{c}", "raw_value": f"{t[c]:g}",
                            "problem": "total_mismatch", "action": "checked",
                            "message": f"合计 says {t[c]:,.2f} but the units add up to "
                                       f"{expected:,.2f}"})
    return out


def _increments(rep: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly amounts from year-to-date cumulative figures, per unit and source."""
    units = rep[~rep["is_total"] & rep["ytd_wan"].notna()].copy()
    units = units.sort_values(["unit", "source", "currency", "year", "end_month"])
    dup = units.duplicated(["unit", "source", "currency", "year", "end_month"], keep="last")
    issues = [{"sheet": s, "row": int(r), "problem": "duplicate_period", "action": "excluded",
               "message": f"a later sheet reports 1-{m}月 for this unit again; the later one "
                          "is used"}
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
                       "message": f"no report for month(s) {first}-"
                                  f"{int(units.at[i, 'end_month']) - 1}: their funds are "
                                  f"counted in month {int(units.at[i, 'end_month'])}"})
    neg = units["amount_wan"] < 0
    for i in units.index[neg]:
        issues.append({"sheet": units.at[i, "sheet"], "row": int(units.at[i, "row"]),
                       "column": f"{units.at[i, 'source']}/ytd_wan",
                       "raw_value": f"{units.at[i, 'ytd_wan']:g}",
                       "problem": "negative_increment", "action": "kept",
                       "message": f"cumulative fell from {prev_ytd[i]:,.2f} to "
                                  f"{units.at[i, 'ytd_wan']:,.2f}: a revision of "
                                  f"{units.at[i, 'amount_wan']:,.2f} kept as this month's "
                                  "amount"})
    has_this = units["this_month_wan"].notna() & ~gap
    off = has_this & ((units["this_month_wan"] - units["amount_wan"]).abs() > 0.015)
    for i in units.index[off]:
        issues.append({"sheet": units.at[i, "sheet"], "row": int(units.at[i, "row"]),
                       "column": f"{units.at[i, 'source']}/this_month_wan",
                       "raw_value": f"{units.at[i, 'this_month_wan']:g}",
                       "problem": "this_month_mismatch", "action": "checked",
                       "message": f"本月 is written {units.at[i, 'this_month_wan']:,.2f} but the "
                                  f"cumulative figures differ by {units.at[i, 'amount_wan']:,.2f}"
                       })
    funds = pd.DataFrame({
        "unit": units["unit"].astype("str").to_numpy(),
        "month": pd.to_datetime(pd.DataFrame({"year": units["year"],
                                              "month": units["end_month"], "day": 1})
                                ).to_numpy(dtype="datetime64[ns]"),
        "source": units["source"].astype("str").to_numpy(),
        "currency": units["currency"].astype("str").to_numpy(),
        "amount_wan": units["amount_wan"].to_numpy(),
    })
    funds = funds.sort_values(["unit", "source", "month"], kind="stable").reset_index(drop=True)
    return funds, issue_frame(issues)


def _targets(rep: pd.DataFrame) -> pd.DataFrame:
    units = rep[~rep["is_total"] & rep["target"].notna()]
    latest = units.sort_values("end_month").drop_duplicates(["year", "unit", "source"],
                                                             keep="last")
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
