"""Read a project ledger (项目台账) workbook into the canonical ``projects`` table."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ZsAnalyticsError
from ..schema import PROJECTS, match_header
from ._sheet import (
    NOTE_ROW,
    TOTAL_ROW,
    Header,
    Result,
    SheetGrid,
    amount_unit_line,
    cell_text,
    col_letter,
    concat_issues,
    find_header,
    issue_frame,
    open_sheets,
)
from .amounts import AMOUNT_UNITS, parse_amount
from .dates import parse_date
from .units import normalize_unit

__all__ = ["read_ledger"]

_AMOUNT_COLS = ("contract_wan", "funds_in_place_wan")
_DATE_COLS = ("signed_on", "landed_on", "started_on", "producing_on")
_STRING_COLS = ("project_id", "project_name", "industry", "origin", "notes")

_SUBTOTAL = re.compile(r"^.{0,16}(?:小计)(?:[(（].*[)）])?[:：]?$")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])(.*)$")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "外资", "新引进", "新建", "新", "新签约"}
_FALSE = {"否", "n", "no", "false", "0", "×", "内资", "续建", "续", "在建"}


def _match(text: str) -> tuple[str | None, str | None]:
    name, unit = match_header(text, PROJECTS)
    if name is None and text in ("序号", "序"):
        return "seq", None
    return name, unit


def read_ledger(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    amount_unit: str | None = None,
    unit_aliases: Mapping[str, str] | None = None,
) -> Result:
    """Read a project ledger into the canonical projects table, reporting every problem.

    Copes with merged title rows, a ``金额单位：万元`` line, two-level headers (时间节点 over
    签约时间/开工时间/投产时间), section rows (一、工业项目), 小计 and 合计 rows, blank rows,
    repeated projects, amounts and dates in every written form, and unit names with spaces
    and suffixes.

    Parameters
    ----------
    path : str or Path
        The workbook (.xlsx, .xls, .ods), read with calamine.
    sheet : str or int, optional
        The sheet; by default the first sheet with a recognisable ledger header.
    amount_unit : {"万元", "元", "亿元", "万美元", …}, optional
        The unit of bare numbers. By default it is read from the sheet's 金额单位 line, or from
        a unit in the column header, or taken as 万元. Given, it overrides the sheet's line
        (a disagreement is reported).
    unit_aliases : mapping, optional
        Passed to :func:`normalize_unit`.

    Returns
    -------
    Result
        ``.data`` is the projects table (see :data:`zsanalytics.schema.PROJECTS`) plus
        ``section`` (the section row the project sits under), ``source_row`` (its sheet row
        number) and any columns whose header was not recognised (kept under that header).
        ``.issues`` lists every problem, one row each; ``.accounting`` shows the row balance;
        ``.summary()`` counts issues.

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
            f"amount_unit == {amount_unit!r}, must be one of {list(AMOUNT_UNITS)}"
        )
    grids = open_sheets(path, sheet)
    tried = []
    for grid in grids:
        if not any(any(str(v).strip() for v in row) for row in grid.cells):
            tried.append(f"{grid.name!r} (empty)")
            continue
        header = find_header(grid, _match, min_known=3)
        if header is None or "project_name" not in header.names:
            tried.append(f"{grid.name!r} (no ledger header)")
            continue
        return _read_grid(grid, header, amount_unit, unit_aliases)
    raise ZsAnalyticsError(
        f"no project ledger found in {str(path)!r}: looked for a header row with 项目名称 and "
        f"at least two more known columns (责任单位, 合同投资额, 签约时间, …) in the first 30 "
        f"rows of sheet(s) {', '.join(tried)}"
    )


def _read_grid(grid: SheetGrid, header: Header, amount_unit: str | None,
               unit_aliases: Mapping[str, str] | None) -> Result:
    sheet = grid.name
    issues: list[pd.DataFrame] = []
    meta: dict[str, Any] = {"sheet": sheet, "header_rows": [header.top + 1]}
    if header.data_start - header.top == 2:
        meta["header_rows"].append(header.top + 2)

    # --- the amount unit
    line_unit = amount_unit_line(grid, header.top)
    unit = amount_unit or line_unit or "万元"
    meta["amount_unit"] = unit
    meta["amount_unit_source"] = (
        "argument" if amount_unit else "sheet line" if line_unit else "default")
    if amount_unit and line_unit and amount_unit != line_unit:
        issues.append(issue_frame([{
            "sheet": sheet, "problem": "amount_unit_conflict", "action": "checked",
            "raw_value": line_unit,
            "message": f"the sheet says 金额单位 {line_unit}; amount_unit={amount_unit!r} was "
                       "used as asked"}]))

    # --- columns: canonical names, unknown headers kept under their own label
    width = len(header.labels)
    body = [list(r) + [""] * (width - len(r)) for r in grid.cells[header.data_start:]]
    raw = pd.DataFrame(body, columns=range(width), dtype=object)
    rows_num = np.arange(header.data_start + 1, header.data_start + 1 + len(raw))
    col_of: dict[str, int] = {}
    extra: dict[str, int] = {}
    unknown_rows = []
    text = raw.map(cell_text)
    nonempty = text != ""
    for j, (label, name) in enumerate(zip(header.labels, header.names, strict=True)):
        if name is not None and name not in col_of:
            col_of[name] = j
            continue
        if not label and not nonempty[j].any():
            continue  # an empty column
        shown = "/".join(p for p in (header.groups[j], label) if p) or f"列{col_letter(j)}"
        key = shown
        k = 2
        while key in extra or key in PROJECTS.names:
            key, k = f"{shown}_{k}", k + 1
        extra[key] = j
        unknown_rows.append({
            "sheet": sheet, "row": header.top + 1, "column": shown, "raw_value": label,
            "problem": "unknown_header" if name is None else "duplicate_header",
            "action": "kept",
            "message": f"column {col_letter(j)} ({shown!r}) is not a known ledger column; "
                       f"kept as {key!r}" if name is None else
                       f"column {col_letter(j)} repeats the header {label!r}; kept as {key!r}"})
    issues.append(issue_frame(unknown_rows))

    def col_text(name: str) -> pd.Series:
        return text[col_of[name]] if name in col_of else pd.Series("", index=raw.index)

    # --- classify rows (vectorised over columns)
    blank = ~nonempty.any(axis=1)
    n_filled = nonempty.sum(axis=1)
    total = pd.Series(False, index=raw.index)
    subtotal = pd.Series(False, index=raw.index)
    for j in range(width):
        total |= text[j].str.fullmatch(TOTAL_ROW)
        subtotal |= text[j].str.fullmatch(_SUBTOTAL.pattern)
    subtotal &= ~total
    first = text.where(nonempty).bfill(axis=1).iloc[:, 0].fillna("")
    section = first.str.match(_SECTION.pattern) & (n_filled <= 2) & ~total & ~subtotal
    header_like = pd.Series(0, index=raw.index)
    for j, label in enumerate(header.labels):
        if label:
            header_like += (text[j] == label).astype(int)
    repeated_header = (header_like >= 2) & ~total & ~subtotal
    amounts = {c: parse_amount(raw[col_of[c]], default_unit=header.units[col_of[c]] or unit)
               for c in _AMOUNT_COLS if c in col_of}
    dates = {c: parse_date(raw[col_of[c]]) for c in _DATE_COLS if c in col_of}
    has_number = pd.Series(False, index=raw.index)
    for parsed in amounts.values():
        has_number |= parsed["value_wan"].notna() | parsed["masked"]
    for parsed in dates.values():
        has_number |= parsed["date"].notna()
    name_text = col_text("project_name")
    note = (first.str.match(NOTE_ROW) & (name_text == "") & ~has_number
            & ~total & ~subtotal & ~section)
    no_project = ((name_text == "") & ~has_number & ~blank & ~total & ~subtotal & ~section
                  & ~note & ~repeated_header)
    excluded = total | subtotal | section | repeated_header | note | no_project
    is_data = ~blank & ~excluded

    reason = pd.Series(None, index=raw.index, dtype=object)
    for mask, code in ((no_project, "no_project_row"), (note, "note_row"),
                       (repeated_header, "repeated_header"), (section, "section_row"),
                       (subtotal, "subtotal_row"), (total, "total_row")):
        reason[mask] = code
    row_text = text.where(nonempty, "").apply(lambda r: " | ".join(v for v in r if v), axis=1)
    messages = {
        "total_row": "合计 row: excluded from data, cross-checked below",
        "subtotal_row": "小计 row: excluded from data, cross-checked below",
        "section_row": "section heading: excluded; its name goes to the 'section' column",
        "repeated_header": "the header repeated inside the table: excluded",
        "note_row": "a note or signature line: excluded",
        "no_project_row": "no project name, amount or date in this row: excluded",
    }
    ex = excluded.to_numpy()
    issues.append(issue_frame(
        sheet=[sheet] * int(ex.sum()), row=rows_num[ex], column=[None] * int(ex.sum()),
        raw_value=row_text[ex].to_numpy(), problem=reason[ex].to_numpy(),
        action=["excluded"] * int(ex.sum()),
        message=[messages[r] for r in reason[ex]],
    ))

    # section names carried down to the projects under them
    section_name = first.where(section).str.replace(_SECTION.pattern, r"\1", regex=True)
    section_name = section_name.ffill()

    # --- subtotals and totals cross-checked against the data rows
    issues.append(_cross_check(sheet, rows_num, is_data, section, subtotal, total, amounts,
                               header, col_of, raw))

    # --- the data rows
    keep = is_data.to_numpy()
    data, cell_issues = _build(sheet, raw, text, keep, rows_num, col_of, extra, header,
                               amounts, dates, section_name, unit_aliases)
    issues.extend(cell_issues)

    n_nonempty = int((~blank).sum())
    accounting = pd.DataFrame({
        "sheet": [sheet], "nonempty_rows": [n_nonempty], "data_rows": [len(data)],
        "excluded_rows": [int(ex.sum())], "blank_rows": [int(blank.sum())],
    })
    accounting["balanced"] = accounting["nonempty_rows"] == (
        accounting["data_rows"] + accounting["excluded_rows"])
    return Result(data, concat_issues(issues), accounting, meta)


def _cross_check(sheet: str, rows_num: np.ndarray, is_data: pd.Series, section: pd.Series,
                 subtotal: pd.Series, total: pd.Series, amounts: dict[str, pd.DataFrame],
                 header: Header, col_of: dict[str, int], raw: pd.DataFrame) -> pd.DataFrame:
    """Compare each 小计 with the data rows of its section and each 合计 with all data rows
    above it, in the currency the 小计/合计 is written in."""
    out = []
    # a subtotal closes the group that began after the previous section row or subtotal
    boundary = (section | subtotal).to_numpy()
    group = np.cumsum(np.r_[0, boundary[:-1]])
    position = np.arange(len(is_data))
    data = is_data.to_numpy()
    for col, parsed in amounts.items():
        value = parsed["value_wan"].to_numpy()
        currency = parsed["currency"].to_numpy(dtype=object)
        doubtful = data & (parsed["masked"] | (parsed["problem"] == "unparsed")).to_numpy()
        label = header.labels[col_of[col]]
        for kind, mask in (("subtotal", subtotal.to_numpy()), ("total", total.to_numpy())):
            for i in np.flatnonzero(mask):
                got = value[i]
                if np.isnan(got):
                    continue  # nothing written in this column of the 小计/合计 row
                members = data & (position < i)
                if kind == "subtotal":
                    members &= group == group[i]
                elif not members.any():
                    members = data & (position > i)  # a 合计 printed above the data
                same = members & (currency == currency[i])
                other = members & pd.notna(currency) & (currency != currency[i])
                expected = float(np.round(value[same].sum(), 6))
                unit = "万美元" if currency[i] == "USD" else "万元"
                base = {"sheet": sheet, "row": int(rows_num[i]), "column": label,
                        "raw_value": str(raw.iat[i, col_of[col]])}
                if abs(got - expected) <= max(0.01, 1e-6 * abs(expected)):
                    continue
                if (doubtful & members).any():
                    k = int((doubtful & members).sum())
                    out.append({**base, "problem": f"{kind}_unchecked", "action": "checked",
                                "message": f"{kind} {got:,.2f} {unit} cannot be fully checked: "
                                           f"{k} row(s) above are masked or unparsed; the "
                                           f"others add up to {expected:,.2f}, leaving "
                                           f"{got - expected:,.2f} for them"})
                elif other.any():
                    out.append({**base, "problem": f"{kind}_unchecked", "action": "checked",
                                "message": f"{kind} {got:,.2f} {unit} mixes currencies: rows in "
                                           f"{unit} add up to {expected:,.2f} and "
                                           f"{int(other.sum())} row(s) are in another currency"})
                else:
                    out.append({**base, "problem": f"{kind}_mismatch", "action": "checked",
                                "message": f"{kind} says {got:,.2f} {unit} but its data rows "
                                           f"add up to {expected:,.2f} (difference "
                                           f"{got - expected:+,.2f})"})
    return issue_frame(out)


def _bool(text: pd.Series) -> pd.Series:
    low = text.str.lower()
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    out[low.isin(_TRUE)] = True
    out[low.isin(_FALSE)] = False
    return out


def _build(sheet: str, raw: pd.DataFrame, text: pd.DataFrame, keep: np.ndarray,
           rows_num: np.ndarray, col_of: dict[str, int], extra: dict[str, int], header: Header,
           amounts: dict[str, pd.DataFrame], dates: dict[str, pd.DataFrame],
           section_name: pd.Series, unit_aliases: Mapping[str, str] | None,
           ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    rows = rows_num[keep]
    n = len(rows)
    issues: list[pd.DataFrame] = []
    label = {name: header.labels[j] for name, j in col_of.items()}

    def cell_issues(name: str, mask: np.ndarray, problem: Any, action: str,
                    message: Any) -> None:
        if not mask.any():
            return
        k = int(mask.sum())
        raw_vals = raw[col_of[name]].to_numpy()[keep][mask] if name in col_of else [None] * k
        issues.append(issue_frame(
            sheet=[sheet] * k, row=rows[mask], column=[label.get(name, name)] * k,
            raw_value=[None if v is None else str(v) for v in raw_vals],
            problem=problem if isinstance(problem, list | np.ndarray) else [problem] * k,
            action=[action] * k,
            message=message if isinstance(message, list | np.ndarray) else [message] * k))

    data: dict[str, Any] = {}
    for name in ("project_id", "project_name", "industry", "origin", "notes"):
        if name in col_of:
            vals = raw[col_of[name]][keep].map(
                lambda v: None if v is None or v == "" else str(v).strip())
            data[name] = pd.array(vals.to_numpy(dtype=object), dtype="str")
        else:
            data[name] = pd.array([None] * n, dtype="str")
    if "project_id" not in col_of:
        data["project_id"] = pd.array([f"{sheet}-{r}" for r in rows], dtype="str")
        if n:
            issues.append(issue_frame([{
                "sheet": sheet, "problem": "ids_generated", "action": "kept",
                "message": "the ledger has no 项目编号 column: project_id is the sheet name and "
                           "row number"}]))
    missing_name = pd.isna(pd.Series(data["project_name"])).to_numpy()
    cell_issues("project_name", missing_name, "missing_name", "kept",
                "a row with amounts or dates but no project name")

    # unit names
    if "unit" in col_of:
        unit_raw = raw[col_of["unit"]][keep].reset_index(drop=True)
        unit = normalize_unit(unit_raw, aliases=unit_aliases)
        before = unit_raw.map(lambda v: None if v is None or v == "" else str(v))
        changed = (unit.notna() & (unit != before.astype("str"))).to_numpy()
        cell_issues("unit", changed, "unit_normalised", "normalised",
                    [f"unit name written as {b!r}, read as {a!r}"
                     for b, a in zip(before[changed], unit[changed], strict=True)])
        cell_issues("unit", unit.isna().to_numpy(), "missing_unit", "kept",
                    "no responsible unit")
        data["unit"] = unit.to_numpy()
    else:
        data["unit"] = pd.array([None] * n, dtype="str")

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
                    [{"masked": "amount masked in the source (xx)",
                      "unparsed": "not an amount",
                      "placeholder": "a placeholder (—, /, 无), not an amount"}[p]
                     for p in prob[bad]])
        if name == "contract_wan":
            empty = (prob == "empty").to_numpy()
            cell_issues(name, empty, "empty", "kept", "no contract amount")
        appr = parsed["approx"].to_numpy()
        cell_issues(name, appr, "approx", "kept",
                    "written as approximate (约/近/余/多); the number is kept")
        cur = parsed["currency"].to_numpy(dtype=object)
        has = pd.notna(cur)
        clash = has & pd.notna(currency) & (cur != currency)
        cell_issues(name, clash, "currency_mismatch", "set_missing",
                    "this amount's currency differs from the row's other amount; set missing "
                    "rather than mixed")
        data[name][clash] = np.nan
        currency = np.where(pd.isna(currency) & has, cur, currency)
    if "currency" in col_of:
        written = text[col_of["currency"]][keep].reset_index(drop=True)
        usd = written.str.contains("美元|USD|美金", regex=True).to_numpy()
        currency = np.where(pd.isna(currency) & usd, "USD", currency)
    data["currency"] = pd.array(np.where(pd.isna(currency), "CNY", currency), dtype="str")

    # dates, in stage order
    for name in _DATE_COLS:
        if name not in dates:
            data[name] = pd.Series([pd.NaT] * n, dtype="datetime64[ns]").to_numpy()
            continue
        parsed = dates[name][keep].reset_index(drop=True)
        data[name] = parsed["date"].to_numpy()
        prob = parsed["problem"]
        bad = prob.isin(["unparsed", "invalid_date", "out_of_range"]).to_numpy()
        cell_issues(name, bad, prob[bad].to_numpy(), "set_missing",
                    [{"unparsed": "not a date", "invalid_date": "no such day",
                      "out_of_range": "outside 1980-2100, not a plausible date"}[p]
                     for p in prob[bad]])
        month = (parsed["precision"] == "month").to_numpy()
        cell_issues(name, month, "month_only", "kept",
                    "only a month is written; the first day of the month is used")
    stages = [s for s in _DATE_COLS if s in dates]
    for a, b in itertools.pairwise(stages):
        da, db = pd.Series(data[a]), pd.Series(data[b])
        # a month-only date (2024年3月 → 3月1日) is compared at the precision it was written
        coarse = ((dates[a]["precision"][keep] == "month").to_numpy()
                  | (dates[b]["precision"][keep] == "month").to_numpy())
        same_month = (da.dt.to_period("M") == db.dt.to_period("M")).to_numpy()
        disorder = (db < da).to_numpy() & ~(coarse & same_month)
        cell_issues(b, disorder, "stage_order", "kept",
                    f"{PROJECTS[b].zh} is earlier than {PROJECTS[a].zh}")

    # flags
    foreign = (pd.Series(data["currency"]) == "USD").to_numpy()
    if "is_foreign" in col_of:
        written = _bool(text[col_of["is_foreign"]][keep].reset_index(drop=True))
        data["is_foreign"] = written.fillna(pd.Series(foreign)).astype("boolean").to_numpy()
    else:
        data["is_foreign"] = pd.array(foreign, dtype="boolean")
    if "is_new" in col_of:
        data["is_new"] = _bool(text[col_of["is_new"]][keep].reset_index(drop=True)).to_numpy()
    else:
        data["is_new"] = pd.array([pd.NA] * n, dtype="boolean")

    frame = pd.DataFrame({c.name: data[c.name] for c in PROJECTS.columns})
    for c in PROJECTS.columns:
        if c.dtype == "date":
            frame[c.name] = frame[c.name].astype("datetime64[ns]")
        elif c.dtype == "bool":
            frame[c.name] = frame[c.name].astype("boolean")
        elif c.dtype == "string":
            frame[c.name] = frame[c.name].astype("str")
    frame["section"] = pd.array(section_name[keep].to_numpy(dtype=object), dtype="str")
    frame["source_row"] = rows
    for key, j in extra.items():
        frame[key] = raw[j][keep].to_numpy(dtype=object)

    # repeated projects: kept, flagged against the first occurrence
    name_key = frame["project_name"].str.replace(r"[\s\u3000]+", "", regex=True)
    key = name_key + "\x00" + frame["unit"].fillna("")
    dup = key.duplicated(keep="first") & frame["project_name"].notna()
    first_row = frame.groupby(key, sort=False)["source_row"].transform("first")
    dmask = dup.to_numpy()
    cell_issues("project_name", dmask, "duplicate_project", "kept",
                [f"same project name and unit as row {r}" for r in first_row[dmask]])
    return frame, issues
