"""Shared machinery of the readers: open a workbook with calamine, find the header (one or
two levels), read the amount unit line, and build issue rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ZsAnalyticsError

__all__ = [
    "ISSUE_COLUMNS",
    "NOTE_ROW",
    "TOTAL_ROW",
    "Header",
    "Result",
    "SheetGrid",
    "cell_text",
    "issue_frame",
    "open_sheets",
]

#: Columns of every issues table.
ISSUE_COLUMNS = ["sheet", "row", "column", "raw_value", "problem", "action", "message"]

_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万美元|亿美元|美元|亿元|万元|千元|元)")
_SPACE = re.compile(r"[\s\u3000\xa0]+")

#: A 合计 / 总计 row, as a cell's compact text (see :func:`cell_text`).
TOTAL_ROW = r"^(?:全县|全区|全市|全镇|总)?(?:合计|总计)(?:[(（].*[)）])?[:：]?$"
#: A note or signature line under a table, by its first cell.
NOTE_ROW = r"^(?:注|备注|说明|填报|制表|审核|联系|负责人|数据来源|填表)"


def cell_text(value: Any) -> str:
    """A cell as compact text: no spaces, '' for blanks."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE.sub("", str(value))


def col_letter(j: int) -> str:
    """0-based column index to an Excel column letter (0 → A, 26 → AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class SheetGrid:
    """A sheet as a rectangle of raw cell values, from A1."""

    name: str
    cells: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    def text(self, r: int) -> list[str]:
        return [cell_text(v) for v in self.cells[r]]


def open_sheets(path: str | Path, sheet: str | int | None = None) -> list[SheetGrid]:
    """Read one sheet (or all, when ``sheet`` is None) of a workbook with calamine."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"path == {str(path)!r}: no such file")
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise ZsAnalyticsError(
            f"path == {str(path)!r} is not a readable workbook (.xlsx, .xls, .ods): {exc}"
        ) from exc
    names = list(wb.sheet_names)
    if sheet is None:
        chosen = names
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ZsAnalyticsError(f"sheet == {sheet}, the workbook has sheets {names}")
        chosen = [names[sheet]]
    else:
        if sheet not in names:
            raise ZsAnalyticsError(f"sheet == {sheet!r}, the workbook has sheets {names}")
        chosen = [sheet]
    grids = []
    for name in chosen:
        s = wb.get_sheet_by_name(name)
        cells = s.to_python(skip_empty_area=False)
        try:
            merged = list(s.merged_cell_ranges or [])
        except Exception:  # not every format knows merged cells
            merged = []
        grids.append(SheetGrid(name, [list(r) for r in cells], merged))
    return grids


@dataclass
class Header:
    """Where a sheet's header is and what each column means."""

    top: int  # 0-based row of the (upper) header
    data_start: int  # 0-based first row below the header
    labels: list[str]  # header text per column ("" when blank), group-qualified if two-level
    names: list[str | None]  # canonical name per column (None: unknown)
    units: list[str | None]  # unit written in the header per column
    groups: list[str]  # upper-level label per column ("" when single-level)


def find_header(
    grid: SheetGrid,
    match: Callable[[str], tuple[str | None, str | None]],
    *,
    min_known: int = 2,
    scan: int = 30,
) -> Header | None:
    """Find the row (or pair of rows) whose cells best match known headers."""
    best, best_score = None, 0
    for r in range(min(scan, grid.n_rows)):
        score = sum(match(t)[0] is not None for t in grid.text(r) if t)
        if score > best_score:
            best, best_score = r, score
    if best is None:
        return None

    def known(texts: list[str]) -> list[bool]:
        return [bool(t) and match(t)[0] is not None for t in texts]

    # Two levels, measured row below: a group row above holds known headers (单位) in
    # vertically merged cells where the best row is blank.
    if best > 0:
        above, here = grid.text(best - 1), grid.text(best)
        above_known = known(above)
        if any(k and not h for k, h in zip(above_known, here, strict=True)):
            best -= 1
    upper = grid.text(best)
    width = len(upper)
    lower = grid.text(best + 1) if best + 1 < grid.n_rows else [""] * width
    upper_known, lower_known = known(upper), known(lower)
    two_level = any(lk and not uk for lk, uk in zip(lower_known, upper_known, strict=True)) and (
        # the lower row must look like headers, not data: no numbers in it
        not any(isinstance(v, int | float) and not isinstance(v, bool)
                for v in grid.cells[best + 1])
    )
    if sum(upper_known) + (sum(lower_known) if two_level else 0) < min_known:
        return None
    # spread horizontally merged upper cells over their span
    spread = list(upper)
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 <= best <= r1 and c0 < width:
            for c in range(c0, min(c1 + 1, width)):
                spread[c] = upper[c0]
    labels, groups = [], []
    for j in range(width):
        if two_level and lower[j]:
            labels.append(lower[j])
            groups.append(spread[j])
        else:
            labels.append(upper[j])
            groups.append("")
    names, units = [], []
    for lab in labels:
        name, unit = match(lab) if lab else (None, None)
        names.append(name)
        units.append(unit)
    return Header(best, best + (2 if two_level else 1), labels, names, units, groups)


def amount_unit_line(grid: SheetGrid, upto: int) -> str | None:
    """The unit written in a 金额单位：万元 line above the header, if any."""
    for r in range(upto + 1):
        for t in grid.text(r):
            m = _UNIT_LINE.search(t)
            if m:
                return m.group(1)
    return None


def issue_frame(rows: list[dict[str, Any]] | None = None, **columns: Any) -> pd.DataFrame:
    """An issues table from a list of dicts or from equal-length columns."""
    frame = pd.DataFrame(rows) if rows is not None else pd.DataFrame(columns)
    for c in ISSUE_COLUMNS:
        if c not in frame:
            frame[c] = None
    frame = frame[ISSUE_COLUMNS]
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    for c in ("sheet", "column", "raw_value", "problem", "action", "message"):
        frame[c] = frame[c].astype("str")  # pandas 3: missing stays missing
    return frame


def concat_issues(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return issue_frame([])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["sheet", "row"], kind="stable", na_position="first").reset_index(
        drop=True)


@dataclass
class Result:
    """What a reader returns: the clean tables, the issues, and the row accounting.

    Attributes
    ----------
    data : pandas.DataFrame
        The main clean table (projects for a ledger, funds for a monthly report).
    issues : pandas.DataFrame
        One row per problem: ``sheet``, ``row`` (the sheet's own 1-based row number; missing
        for problems of the whole sheet), ``column`` (the header as written), ``raw_value``,
        ``problem`` (a stable code), ``action`` (``excluded``, ``kept``, ``set_missing``,
        ``normalised``, ``checked``) and ``message`` (what was found, in words).
    accounting : pandas.DataFrame
        Per sheet: non-empty rows below the header, data rows, excluded rows, and whether
        they balance (rows in = rows out + rows excluded).
    meta : dict
        How the file was read (header rows, amount unit, …).
    tables : dict
        Further clean tables by name (``targets``, ``reported`` for a monthly report).
    """

    data: pd.DataFrame
    issues: pd.DataFrame
    accounting: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def balanced(self) -> bool:
        """Every non-empty row below the header is a data row or an excluded row."""
        return bool(self.accounting["balanced"].all())

    def summary(self) -> pd.DataFrame:
        """Issues counted by problem and action, most frequent first."""
        if not len(self.issues):
            return pd.DataFrame({"problem": [], "action": [], "count": []})
        return (
            self.issues.groupby(["problem", "action"], dropna=False)
            .size()
            .rename("count")
            .reset_index()
            .sort_values(["count", "problem"], ascending=[False, True])
            .reset_index(drop=True)
        )

    def excluded(self) -> pd.DataFrame:
        """The rows left out of the data, one per row, with the reason."""
        return self.issues[self.issues["action"] == "excluded"].reset_index(drop=True)
