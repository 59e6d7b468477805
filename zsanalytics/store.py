"""The embedded store: every workbook and CSV of a folder, read once, in one DuckDB file.

:func:`ingest` reads a folder through the readers (:func:`~zsanalytics.read_ledger`,
:func:`~zsanalytics.read_monthly_report`, and canonical ``projects`` / ``funds`` / ``targets``
tables as ``.csv`` or ``.parquet``) into a DuckDB database file; :func:`open_store` gives its
tables as DuckDB relations, so every metric runs on them unchanged. Nothing runs as a server.

What the store keeps
--------------------
``projects``, ``funds``, ``targets``
    The canonical tables (:mod:`zsanalytics.schema`) with the provenance of every row:
    ``source_file``, ``sheet``, ``row`` (the sheet's own 1-based row; the line for a CSV).
``projects_rows``, ``funds_rows``, ``targets_rows``
    What each ledger and canonical table gave, file by file. ``projects`` is
    ``projects_rows`` less the rows of a project (same unit and name) that a newer ledger
    lists again — those are listed in ``issues`` (``superseded_by_later_ledger``).
``reported``
    The monthly reports' figures as printed, one row per file × sheet × unit × source
    (本月, 1-N月累计, 上年同期, 同比, 年度任务, 完成率, and the report's own 合计 rows).
    ``superseded`` is true where a later report gives the same unit and month.
``units``
    Every unit seen, and in which tables.
``issues``
    Every problem found, with its file, sheet and row.
``revisions``
    Figures a later report (or a changed file) gives differently: old, new, both files.
``sources``
    One row per file and sheet: path, sha256, size, kind, period covered, rows, status
    (``read``, ``unreadable``, ``ignored``) with the reason, and when it was ingested.
``meta``
    ``schema_version``, and ``unit_groups``: the unit groups (乡镇, 街道, 县直单位, 园区) of the
    county profiles (``zsa.toml``) of the folders ingested, as JSON (:attr:`Store.groups`).

Monthly reports saved one file a month (1月, 1-2月, 1-3月 …) become one monthly series: the
year-to-date figures of all reports are put together and differenced; where two reports give
the same unit and month, the later report wins (the one reaching the later month, then the
newer file) and the difference is recorded in ``revisions``.

Examples
--------
>>> import tempfile, pathlib
>>> from zsanalytics.datasets import write_demo_folder
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> folder = write_demo_folder(tmp / "files", months=range(1, 4))
>>> report = ingest(folder, db=tmp / "county.duckdb")
>>> report.counts()
{'new': 4, 'changed': 0, 'unchanged': 0, 'removed': 0, 'unreadable': 0, 'ignored': 0}
>>> with open_store(tmp / "county.duckdb") as store:
...     store.last_month()
'2024-03'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ZsAnalyticsError

__all__ = [
    "CURRENCY_ALIASES",
    "IngestReport",
    "Store",
    "ingest",
    "load_folder",
    "normalize_currency",
    "open_store",
    "split_parts",
]

SCHEMA_VERSION = 2

#: How currencies are written, and what they mean (compared without case and spaces).
CURRENCY_ALIASES: dict[str, str] = {
    "cny": "CNY", "rmb": "CNY", "人民币": "CNY", "元": "CNY", "万元": "CNY", "人民币元": "CNY",
    "usd": "USD", "us$": "USD", "美元": "USD", "万美元": "USD", "美金": "USD",
}

#: A single funds row (one unit, one month) of this many 万 or more is flagged as absurd:
#: 100亿 in a month for one unit is almost always 元 written where 万元 was meant.
ABSURD_FUNDS_WAN = 1_000_000.0
#: A project of 1000亿 or more (contract or in place) is flagged the same way.
ABSURD_PROJECT_WAN = 10_000_000.0

#: read through the readers: workbooks, and text tables exported by the platform
_BOOKS = {".xlsx", ".xlsm", ".xls", ".ods", ".txt", ".tsv"}
_TABLES = {".csv", ".parquet"}
# per-file issues of the readers' own year-to-date differencing, which the store redoes over
# all files together (one file a month alone looks like eleven missing months)
_SERIES_PROBLEMS = {"duplicate_period", "months_combined", "negative_increment",
                    "this_month_mismatch"}
#: Issues the store writes when it rebuilds its derived tables (replaced at every rebuild).
_REBUILT_PROBLEMS = {"superseded_by_later_ledger", "part_of_whole", "no_year_to_date",
                     "repeated_in_sheet"}

# Sources of funds in place by how much they cover: the whole (实际到位资金, 合计), then
# 市外境内 (or 境内), then its parts (省外境内, 省内 …). Where one sheet reports several levels,
# the lower ones are already inside the higher.
_WHOLE = re.compile(r"合计|总计|到位资金|^实际到位")
_PART = re.compile(r"省外|省内|市外|市内|县外|境内|境外|外资|外商|港澳台")
_OUTSIDE_CITY = re.compile(r"市外|^(?:实际到位)?境内")
_INSIDE_PROVINCE = re.compile(r"省外|省内")


def split_parts(reported: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kept, parts)``: where a sheet's CNY sources include a whole (实际到位资金 …, or
    市外境内) besides parts of it (省外境内, 省内 …), the parts are set aside: added to the
    whole they would count the same money twice.

    Examples
    --------
    >>> rep = pd.DataFrame({"source_file": "a.xlsx", "sheet": "s", "unit": ["甲", "甲", "甲"],
    ...                     "source": ["实际到位资金", "省外境内", "境外"],
    ...                     "currency": ["CNY", "CNY", "USD"], "ytd_wan": [100.0, 60.0, 5.0]})
    >>> kept, parts = split_parts(rep)
    >>> kept["source"].tolist(), parts["source"].tolist()
    (['实际到位资金', '境外'], ['省外境内'])
    >>> rep = rep.assign(source=["市外境内到位资金", "省外境内", "省内"], currency="CNY")
    >>> [t["source"].tolist() for t in split_parts(rep)]
    [['市外境内到位资金'], ['省外境内', '省内']]
    """
    if not len(reported):
        return reported, reported.iloc[0:0]
    source = reported["source"].astype("str")
    cny = reported["currency"].eq("CNY")
    level = np.where(source.str.contains(_WHOLE) & ~source.str.contains(_PART), 0,
                     np.where(source.str.contains(_OUTSIDE_CITY)
                              & ~source.str.contains(_INSIDE_PROVINCE), 1, 2))
    level = pd.Series(np.where(cny, level, 99), index=reported.index)
    where = [reported[c] for c in ("source_file", "sheet") if c in reported]
    top = level.groupby(where).transform("min") if where else pd.Series(level.min(),
                                                                       index=reported.index)
    part = cny & (level > top)
    return reported[~part], reported[part]

_PROJECT_COLUMNS = {
    "project_id": "VARCHAR", "project_name": "VARCHAR", "unit": "VARCHAR", "industry": "VARCHAR",
    "origin": "VARCHAR", "is_foreign": "BOOLEAN", "currency": "VARCHAR", "contract_wan": "DOUBLE",
    "funds_in_place_wan": "DOUBLE", "signed_on": "TIMESTAMP", "landed_on": "TIMESTAMP",
    "started_on": "TIMESTAMP", "producing_on": "TIMESTAMP", "is_new": "BOOLEAN",
    "notes": "VARCHAR",
}
_PROVENANCE = {"source_file": "VARCHAR", "sheet": "VARCHAR", "row": "BIGINT"}
_REPORTED_COLUMNS = {
    "sheet": "VARCHAR", "row": "BIGINT", "unit": "VARCHAR", "source": "VARCHAR",
    "year": "BIGINT", "end_month": "BIGINT", "this_month_wan": "DOUBLE", "ytd_wan": "DOUBLE",
    "prior_ytd_wan": "DOUBLE", "yoy_pct": "DOUBLE", "target": "DOUBLE",
    "completion_pct": "DOUBLE", "currency": "VARCHAR", "is_total": "BOOLEAN",
    # what the readers say besides: the unit's group (乡镇, 街道 …), the indicator's label, and
    # its kind — "funds", "foreign" or "count" (projects counted, not money)
    "group": "VARCHAR", "indicator": "VARCHAR", "kind": "VARCHAR",
}
_DDL = {
    # projects as read from every ledger and projects table; ``projects`` is derived from it
    "projects_rows": {**_PROJECT_COLUMNS, "extra": "VARCHAR", **_PROVENANCE},
    "projects": {**_PROJECT_COLUMNS, "extra": "VARCHAR", **_PROVENANCE},
    # canonical funds and targets rows as read from tables (not derived from reports)
    "funds_rows": {"unit": "VARCHAR", "month": "TIMESTAMP", "source": "VARCHAR",
                   "currency": "VARCHAR", "amount_wan": "DOUBLE", **_PROVENANCE},
    "targets_rows": {"year": "BIGINT", "unit": "VARCHAR", "indicator": "VARCHAR",
                     "target": "DOUBLE", **_PROVENANCE},
    # ytd_from: "printed" (the report's own 1-N月累计) or "this_month_sum" (a report of 本月
    # only: January's to this month's 本月 added up)
    "reported": {**_REPORTED_COLUMNS, "source_file": "VARCHAR", "superseded": "BOOLEAN",
                 "ytd_from": "VARCHAR"},
    "funds": {"unit": "VARCHAR", "month": "TIMESTAMP", "source": "VARCHAR",
              "currency": "VARCHAR", "amount_wan": "DOUBLE", "kind": "VARCHAR", **_PROVENANCE},
    "targets": {"year": "BIGINT", "unit": "VARCHAR", "indicator": "VARCHAR", "target": "DOUBLE",
                **_PROVENANCE},
    "units": {"unit": "VARCHAR", "in_funds": "BOOLEAN", "in_targets": "BOOLEAN",
              "in_projects": "BOOLEAN", "first_month": "TIMESTAMP", "last_month": "TIMESTAMP"},
    "issues": {"source_file": "VARCHAR", "sheet": "VARCHAR", "row": "BIGINT", "column": "VARCHAR",
               "raw_value": "VARCHAR", "problem": "VARCHAR", "action": "VARCHAR",
               "message": "VARCHAR"},
    "revisions": {"unit": "VARCHAR", "source": "VARCHAR", "currency": "VARCHAR", "year": "BIGINT",
                  "end_month": "BIGINT", "old_ytd_wan": "DOUBLE", "new_ytd_wan": "DOUBLE",
                  "change_wan": "DOUBLE", "old_file": "VARCHAR", "old_sheet": "VARCHAR",
                  "old_row": "BIGINT", "new_file": "VARCHAR", "new_sheet": "VARCHAR",
                  "new_row": "BIGINT", "kind": "VARCHAR", "recorded_at": "TIMESTAMP"},
    "sources": {"path": "VARCHAR", "sha256": "VARCHAR", "size": "BIGINT", "mtime": "DOUBLE",
                "sheet": "VARCHAR", "kind": "VARCHAR", "period": "VARCHAR", "year": "BIGINT",
                "end_month": "BIGINT", "rows": "BIGINT", "excluded_rows": "BIGINT",
                "status": "VARCHAR", "reason": "VARCHAR", "ingested_at": "TIMESTAMP"},
    "meta": {"key": "VARCHAR", "value": "VARCHAR"},
}
#: Tables that hold one file's rows (replaced when the file changes).
_PER_FILE = ("projects_rows", "funds_rows", "targets_rows", "reported", "issues")
_ISSUE_COLUMNS = list(_DDL["issues"])

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


# --- currencies ------------------------------------------------------------------------------

def normalize_currency(values: Any) -> pd.Series:
    """Currency codes from the ways they are written: ``cny``, ``RMB``, ``人民币``, ``元`` →
    ``CNY``; ``美元``, ``USD``, ``US$`` → ``USD``; anything else missing (the caller reports it).

    Examples
    --------
    >>> normalize_currency(["cny", " RMB", "人民币", "元", "美元", "US$", "usd", "欧元", None]).tolist()
    ['CNY', 'CNY', 'CNY', 'CNY', 'USD', 'USD', 'USD', nan, nan]
    """
    from ._frame import to_pandas_series

    series = to_pandas_series(values, name="currency")
    key = series.astype("str").str.replace(r"[\s\u3000]+", "", regex=True).str.casefold()
    return key.map(CURRENCY_ALIASES).astype(object).where(series.notna(), np.nan)


# --- the store -------------------------------------------------------------------------------

class Store:
    """An open store: its tables as DuckDB relations (``store.funds``, ``store.projects`` …).

    Open one with :func:`open_store`; close it with :meth:`close` or a ``with`` block.
    """

    TABLES = ("projects", "funds", "targets", "units", "issues", "sources", "revisions",
              "reported")

    def __init__(self, con: Any, path: Path) -> None:
        self.con = con
        self.path = path

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (relations taken from the store stop working)."""
        self.con.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def table(self, name: str) -> Any:
        """One table as a DuckDB relation."""
        names = self.table_names()
        if name not in names:
            raise ZsAnalyticsError(
                f"name == {name!r}: the store {str(self.path)!r} has no such table; "
                f"it has {sorted(names)}")
        return self.con.table(name)

    def table_names(self) -> list[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        return [r[0] for r in rows]

    def __getattr__(self, name: str) -> Any:
        if name in Store.TABLES:
            return self.table(name)
        raise AttributeError(name)

    def df(self, name: str) -> pd.DataFrame:
        """One table as pandas."""
        return self.table(name).df()

    def canonical(self, name: str) -> Any:
        """``projects``, ``funds`` or ``targets`` with the canonical columns only (no
        provenance), as a DuckDB relation; ``None`` when the store has no rows of it."""
        from .schema import TABLES

        relation = self.table(name)
        if not relation.aggregate("count(*)").fetchall()[0][0]:
            return None
        return relation.project(", ".join(f'"{c}"' for c in TABLES[name].names))

    def last_month(self) -> str | None:
        """The last month with funds, ``"2024-06"``; None for a store without funds."""
        last = self.con.execute("SELECT max(month) FROM funds").fetchone()[0]
        return None if last is None else pd.Timestamp(last).strftime("%Y-%m")

    def coverage(self) -> Coverage:
        """What the store holds: tables, years, months, units, gaps, the last complete month."""
        return coverage(self)

    @property
    def groups(self) -> dict[str, str] | None:
        """Unit → group (乡镇, 街道, 县直单位, 园区 …) from the county profile (``zsa.toml``) of
        the folders ingested; None when none had one (or the store predates it)."""
        found = self.con.execute(
            "SELECT value FROM meta WHERE key = ?", [_GROUPS_KEY]).fetchall()
        return _json_groups(found[0][0]) if found else None


def open_store(path: str | Path, *, read_only: bool = True) -> Store:
    """Open a store written by :func:`ingest` (or any DuckDB file) and give its tables as
    DuckDB relations.

    Parameters
    ----------
    path : str or Path
        The DuckDB file.
    read_only : bool, default True
        Open without the right to write (several readers may share a file).

    Raises
    ------
    ZsAnalyticsError
        When the file does not exist (a store is made by :func:`ingest`, not by opening it).

    Examples
    --------
    >>> import zsanalytics as zsa
    >>> from zsanalytics.datasets import write_demo_folder
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ingest(write_demo_folder(tmp / "files", months=[6]), db=tmp / "c.duckdb")
    >>> with open_store(tmp / "c.duckdb") as store:
    ...     card = zsa.scorecard(store.funds, store.targets, as_of="2024-06", totals=True)
    ...     round(float(card.df().query("unit == '合计'")["ytd_wan"].iloc[0]), 2)
    252667.54
    """
    import duckdb

    path = Path(path)
    if not path.is_file():
        raise ZsAnalyticsError(
            f"path == {str(path)!r}: 没有这个数据库文件；先用 zsa ingest 文件夹 --db {path} 建库")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise ZsAnalyticsError(f"path == {str(path)!r} 不是可读的 DuckDB 数据库：{exc}") from exc
    return Store(con, path)


# --- reading one file ------------------------------------------------------------------------

@dataclass
class _Read:
    """What one file gave."""

    path: str
    kind: str = "unreadable"
    status: str = "read"
    reason: str | None = None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    sheets: list[dict[str, Any]] = field(default_factory=list)


def _issues(frame: pd.DataFrame | None, path: str) -> pd.DataFrame:
    """A reader's issues with the file they belong to, in the store's columns."""
    frame = pd.DataFrame(columns=_ISSUE_COLUMNS[1:]) if frame is None else frame
    out = frame.reindex(columns=_ISSUE_COLUMNS[1:])
    out.insert(0, "source_file", path)
    return out


def _issue_rows(path: str, sheet: str | None, rows: Any, problem: str, action: str,
                message: Any, raw: Any = None, column: str | None = None) -> pd.DataFrame:
    rows = pd.array(np.asarray(rows, dtype="int64"), dtype="Int64")
    n = len(rows)
    return pd.DataFrame({
        "source_file": path, "sheet": sheet, "row": rows, "column": column,
        "raw_value": pd.Series(raw, dtype=object).to_numpy() if raw is not None else [None] * n,
        "problem": problem, "action": action,
        "message": message if isinstance(message, str) else pd.Series(message).to_numpy(),
    }, index=range(n))


_MONTHLY_NAME = re.compile(r"月报|月\)|月）|\d月|完成情况")


def _read_file(path: Path, *, currency: str | None, year: int | None) -> _Read:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in _TABLES:
            return _read_table(path, currency=currency, year=year)
        return _read_book(path, year=year)
    except (ZsAnalyticsError, FileNotFoundError, OSError, UnicodeError) as exc:
        return _Read(name, status="unreadable", reason=str(exc))
    except Exception as exc:  # a reader's own failure on a layout it does not know
        # one file must not stop the folder: it is listed, with what went wrong, and
        # `zsa ingest` exits with 1
        return _Read(name, status="unreadable",
                     reason=f"读取时出错（{type(exc).__name__}: {exc}），请把这个文件报告给维护者")


def _read_book(path: Path, *, year: int | None) -> _Read:
    from .clean import read_ledger, read_monthly_report

    tries = [("monthly", read_monthly_report), ("ledger", read_ledger)]
    if not _MONTHLY_NAME.search(path.stem):
        tries.reverse()
    reasons = []
    for kind, reader in tries:
        try:
            result = reader(path, year=year) if kind == "monthly" else reader(path)
        except ZsAnalyticsError as exc:
            reasons.append(f"不是{'月报表' if kind == 'monthly' else '项目台账'}（{exc}）")
            continue
        return (_from_monthly if kind == "monthly" else _from_ledger)(str(path), result)
    return _Read(str(path), status="unreadable", reason="；".join(reasons))


def _from_ledger(path: str, result: Any) -> _Read:
    data = result.data
    sheet = data["sheet"] if "sheet" in data else pd.Series(result.meta.get("sheet"),
                                                            index=data.index, dtype=object)
    row = next((data[c] for c in ("source_row", "row") if c in data), None)
    frame = pd.DataFrame({c: data[c] if c in data else None for c in _PROJECT_COLUMNS})
    extra = [c for c in data.columns if c not in _PROJECT_COLUMNS
             and c not in ("sheet", "source_row", "row", "source_file")]
    frame["extra"] = (data[extra].astype(object).where(data[extra].notna(), None)
                      .to_json(orient="records", lines=True, force_ascii=False,
                               date_format="iso").splitlines() if extra and len(data) else None)
    frame["source_file"] = path
    frame["sheet"] = sheet.astype(object).to_numpy()
    frame["row"] = pd.array(row if row is not None else [None] * len(data), dtype="Int64")
    issues = [_issues(result.issues, path)]
    issues.append(_absurd(frame, ["contract_wan", "funds_in_place_wan"], ABSURD_PROJECT_WAN, path))
    sheets = [{"sheet": s, "rows": int((sheet == s).sum()), "period": None, "year": None,
               "end_month": None} for s in pd.unique(sheet.dropna())] or [
        {"sheet": None, "rows": 0, "period": None, "year": None, "end_month": None}]
    _excluded_counts(sheets, result.accounting)
    return _Read(path, "ledger", frames={"projects_rows": frame, "issues": _concat(issues)},
                 sheets=sheets)


def _excluded_counts(sheets: list[dict[str, Any]], accounting: pd.DataFrame | None) -> None:
    if accounting is None or "sheet" not in accounting:
        return
    excluded = accounting.groupby("sheet")["excluded_rows"].sum()
    for s in sheets:
        s["excluded_rows"] = int(excluded.get(s["sheet"], 0))


def _from_monthly(path: str, result: Any) -> _Read:
    rep = result.reported
    frame = pd.DataFrame({c: rep[c] if c in rep else None for c in _REPORTED_COLUMNS})
    frame["is_total"] = frame["is_total"].astype("boolean").fillna(False).astype(bool)
    frame["source_file"] = path
    frame["superseded"] = False
    frame["ytd_from"] = np.where(frame["ytd_wan"].notna(), "printed", None)
    issues = _issues(result.issues, path)
    issues = issues[~issues["problem"].isin(_SERIES_PROBLEMS)]
    units = frame[~frame["is_total"] & frame["kind"].ne("count")]
    issues = _concat([issues, _absurd(units, ["this_month_wan"], ABSURD_FUNDS_WAN, path),
                      _absurd(units, ["ytd_wan"], 12 * ABSURD_FUNDS_WAN, path)])
    periods = rep.groupby("sheet", sort=False).agg(year=("year", "max"),
                                                    end_month=("end_month", "max"),
                                                    rows=("row", "size"))
    sheets = [{"sheet": s, "rows": int(p.rows), "year": int(p.year), "end_month": int(p.end_month),
               "period": f"{int(p.year)}年" + (f"1-{int(p.end_month)}月" if p.end_month > 1 else "1月")}
              for s, p in periods.iterrows()]
    _excluded_counts(sheets, result.accounting)
    return _Read(path, "monthly", frames={"reported": frame, "issues": issues}, sheets=sheets)


def _read_table(path: Path, *, currency: str | None, year: int | None) -> _Read:
    from .schema import FUNDS, PROJECTS, TARGETS, match_header

    try:
        raw = _read_any_table(path)
    except (ValueError, UnicodeError, OSError) as exc:   # not a plain table: a title above it
        if path.suffix.lower() != ".csv":
            raise ZsAnalyticsError(f"读不了这个 parquet 文件：{exc}") from exc
        book = _read_book(path, year=year)
        if book.status == "read":
            return book
        raise ZsAnalyticsError(f"既不是标准表，也不是月报表或项目台账：{book.reason}") from exc
    renamed = {}
    for c in raw.columns:
        for schema in (FUNDS, TARGETS, PROJECTS):
            name, _unit = match_header(c, schema)
            if name and name not in renamed.values():
                renamed[c] = name
                break
    table = raw.rename(columns=renamed)
    cols = set(table.columns)
    first = 2 if path.suffix.lower() == ".csv" else 1   # a CSV's header is line 1
    rows = np.arange(first, first + len(table))
    if {"unit", "month", "source", "amount_wan"} <= cols:
        return _funds_table(str(path), table, rows, currency)
    if {"year", "unit", "indicator", "target"} <= cols:
        return _targets_table(str(path), table, rows)
    if {"project_name", "unit", "signed_on"} <= cols or {"project_id", "unit"} <= cols:
        return _projects_table(str(path), table, rows)
    why = ""
    if path.suffix.lower() == ".csv":  # a report or ledger exported as CSV
        book = _read_book(path, year=year)
        if book.status == "read":
            return book
        why = f"；也不是月报表或项目台账：{book.reason}"
    raise ZsAnalyticsError(
        f"看不出是哪张表：列为 {list(raw.columns)}；资金表要有 unit/month/source/amount_wan"
        "（单位、月份、资金来源、实际到位资金），任务表要有 year/unit/indicator/target，"
        "项目表要有 project_name/unit/signed_on" + why)


def _read_any_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        import io

        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    raise ZsAnalyticsError("CSV 既不是 UTF-8 也不是 GBK/GB18030 编码")


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None).map(
        lambda v: v if v is None or isinstance(v, str) else str(v))


def _numbers(path: str, values: pd.Series, rows: np.ndarray, column: str,
             problems: list[pd.DataFrame], *, missing_action: str) -> pd.Series:
    """Numbers from a column; blanks and text that is not a number become issues."""
    if pd.api.types.is_numeric_dtype(values):
        parsed = values.astype("float64")
        bad = pd.Series(False, index=values.index)
    else:
        cleaned = _text(values).str.replace(",", "", regex=False).str.strip()
        parsed = pd.to_numeric(cleaned, errors="coerce").astype("float64")
        bad = parsed.isna() & cleaned.notna() & (cleaned != "")
    missing = parsed.isna() & ~bad
    if bad.any():
        problems.append(_issue_rows(path, None, rows[bad.to_numpy()], "unparsed", missing_action,
                                    "不是数字", raw=_text(values)[bad], column=column))
    if missing.any():
        problems.append(_issue_rows(path, None, rows[missing.to_numpy()], "missing_amount",
                                    missing_action, "金额空缺：不按零计", column=column))
    return parsed


def _funds_table(path: str, table: pd.DataFrame, rows: np.ndarray, currency: str | None) -> _Read:
    from .clean import normalize_unit

    problems: list[pd.DataFrame] = []
    n = len(table)
    if "currency" in table:
        written = _text(table["currency"])
        cur = normalize_currency(written)
        unknown = cur.isna()
        if unknown.any():
            problems.append(_issue_rows(
                path, None, rows[unknown.to_numpy()], "unknown_currency", "excluded",
                "币种看不懂（应为人民币/CNY 或 美元/USD）：此行未计入", raw=written[unknown],
                column="currency"))
    elif currency is not None:
        cur = pd.Series(currency, index=table.index, dtype=object)
        unknown = pd.Series(False, index=table.index)
    else:
        raise ZsAnalyticsError(
            "资金表没有币种（currency）列，不知道金额是万元还是万美元，未读取；请加一列币种，"
            "或说明全表的币种：zsa ingest … --currency CNY（或 USD），Python 中 currency=\"CNY\"")
    month = pd.to_datetime(_text(table["month"]) if not pd.api.types.is_datetime64_any_dtype(
        table["month"]) else table["month"], errors="coerce", format="mixed")
    bad_month = month.isna()
    if bad_month.any():
        problems.append(_issue_rows(path, None, rows[bad_month.to_numpy()], "unparsed_month",
                                    "excluded", "月份看不懂：此行未计入",
                                    raw=_text(table["month"])[bad_month], column="month"))
    amount = _numbers(path, table["amount_wan"], rows, "amount_wan", problems,
                      missing_action="excluded")
    keep = ~unknown & ~bad_month & amount.notna()
    frame = pd.DataFrame({
        "unit": normalize_unit(_text(table["unit"])).astype(object),
        "month": month.dt.to_period("M").dt.to_timestamp().astype("datetime64[us]"),
        "source": _text(table["source"]), "currency": cur, "amount_wan": amount,
        "source_file": path, "sheet": None, "row": rows,
    })[keep.to_numpy()].reset_index(drop=True)
    problems.append(_absurd(frame, ["amount_wan"], ABSURD_FUNDS_WAN, path))
    excluded = n - len(frame)
    return _Read(path, "funds", frames={"funds_rows": frame, "issues": _concat(problems)},
                 sheets=[_table_sheet(frame, excluded)])


def _table_sheet(frame: pd.DataFrame, excluded: int) -> dict[str, Any]:
    span: dict[str, Any] = {"sheet": None, "rows": len(frame), "excluded_rows": excluded,
                            "period": None, "year": None, "end_month": None}
    if "month" in frame and len(frame):
        lo, hi = frame["month"].min(), frame["month"].max()
        span.update(period=f"{lo:%Y-%m}至{hi:%Y-%m}", year=int(hi.year), end_month=int(hi.month))
    return span


def _targets_table(path: str, table: pd.DataFrame, rows: np.ndarray) -> _Read:
    problems: list[pd.DataFrame] = []
    year = _numbers(path, table["year"], rows, "year", problems, missing_action="excluded")
    target = _numbers(path, table["target"], rows, "target", problems, missing_action="excluded")
    keep = year.notna() & target.notna()
    frame = pd.DataFrame({"year": year, "unit": _text(table["unit"]),
                          "indicator": _text(table["indicator"]), "target": target,
                          "source_file": path, "sheet": None, "row": rows})[keep.to_numpy()]
    frame["year"] = frame["year"].astype("int64")
    return _Read(path, "targets", frames={"targets_rows": frame.reset_index(drop=True),
                                          "issues": _concat(problems)},
                 sheets=[_table_sheet(frame, len(table) - len(frame))])


def _projects_table(path: str, table: pd.DataFrame, rows: np.ndarray) -> _Read:
    problems: list[pd.DataFrame] = []
    frame = pd.DataFrame(index=table.index)
    for name, sql in _PROJECT_COLUMNS.items():
        values = table[name] if name in table else pd.Series(None, index=table.index, dtype=object)
        if sql == "DOUBLE":
            frame[name] = _numbers(path, values, rows, name, problems, missing_action="set_missing")
        elif sql == "TIMESTAMP":
            frame[name] = pd.to_datetime(_text(values) if not pd.api.types.is_datetime64_any_dtype(
                values) else values, errors="coerce", format="mixed").astype("datetime64[us]")
        elif sql == "BOOLEAN":
            frame[name] = _text(values).str.lower().map(
                {"true": True, "false": False, "1": True, "0": False, "是": True, "否": False}
            ).astype("boolean")
        else:
            frame[name] = _text(values)
    if "currency" in table:
        cur = normalize_currency(_text(table["currency"]))
        unknown = cur.isna() & frame["currency"].notna()
        if unknown.any():
            problems.append(_issue_rows(path, None, rows[unknown.to_numpy()], "unknown_currency",
                                        "set_missing", "币种看不懂：金额的币种未知",
                                        raw=frame["currency"][unknown], column="currency"))
        frame["currency"] = cur
    frame["extra"] = None
    frame["source_file"], frame["sheet"], frame["row"] = path, None, rows
    problems.append(_absurd(frame, ["contract_wan", "funds_in_place_wan"], ABSURD_PROJECT_WAN, path))
    return _Read(path, "projects", frames={"projects_rows": frame.reset_index(drop=True),
                                           "issues": _concat(problems)},
                 sheets=[_table_sheet(frame.iloc[0:0], 0) | {"rows": len(frame)}])


def _absurd(frame: pd.DataFrame, columns: list[str], limit: float, path: str) -> pd.DataFrame:
    out = []
    for c in columns:
        values = pd.to_numeric(frame[c], errors="coerce")
        big = (values.abs() >= limit).fillna(False).to_numpy()
        if big.any():
            out.append(pd.DataFrame({
                "source_file": path, "sheet": frame["sheet"][big].to_numpy(),
                "row": pd.array(frame["row"][big], dtype="Int64"), "column": c,
                "raw_value": values[big].map(lambda v: f"{v:g}").to_numpy(),
                "problem": "absurd_amount", "action": "kept",
                "message": f"金额大得不合常理（{limit / 1e4:,.0f}亿或以上）：是否把元填成了万元？请核对"}))
    return _concat(out)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _ISSUE_COLUMNS})
    return pd.concat(frames, ignore_index=True)


# --- ingest ----------------------------------------------------------------------------------

@dataclass
class IngestReport:
    """What :func:`ingest` did, file by file.

    Attributes
    ----------
    db : Path
        The store.
    files : pandas.DataFrame
        One row per file: ``path``, ``status`` (``new``, ``changed``, ``unchanged``,
        ``removed``, ``unreadable``, ``ignored``), ``kind``, ``rows`` and ``reason``.
    revisions : pandas.DataFrame
        Figures that changed between reports (see the store's ``revisions`` table).
    issues : pandas.DataFrame
        The problems found in the files read this time, counted by problem.
    seconds : float
        Wall time.
    """

    db: Path
    files: pd.DataFrame
    revisions: pd.DataFrame
    issues: pd.DataFrame
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """Files by status."""
        counts = self.files["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in
                ("new", "changed", "unchanged", "removed", "unreadable", "ignored")}

    @property
    def unreadable(self) -> pd.DataFrame:
        """The files that could not be read, with the reason."""
        return self.files[self.files["status"] == "unreadable"].reset_index(drop=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(folder: Path, db: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    data, ignored = [], []
    hidden: dict[Path, int] = {}   # a hidden folder (.git …) is listed once, with its count
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if path.resolve() == db.resolve() or path.name.startswith(db.name + "."):
            continue  # the store itself and its write-ahead log
        dirs = [i for i, part in enumerate(rel.parts[:-1]) if part.startswith(".")]
        if dirs:
            top = folder.joinpath(*rel.parts[:dirs[0] + 1])
            hidden[top] = hidden.get(top, 0) + 1
        elif rel.name.startswith("."):
            ignored.append((path, "隐藏文件，未读取"))
        elif path.name.startswith("~$"):
            ignored.append((path, "Excel/WPS 打开文件时留下的临时文件，未读取"))
        elif path.suffix.lower() in _BOOKS | _TABLES:
            data.append(path)
        else:
            ignored.append((path, f"不是表格文件（{path.suffix or '无扩展名'}），未读取"))
    ignored += [(top, f"隐藏文件夹（其中{n}个文件），未读取") for top, n in hidden.items()]
    return data, ignored


def _connect(db: Path) -> Any:
    import duckdb

    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db))
    except duckdb.Error as exc:   # locked by another process, or not a database at all
        raise ZsAnalyticsError(f"db == {str(db)!r} 打不开（另一个程序正在用它，或它不是 DuckDB "
                               f"数据库）：{exc}") from exc
    existing = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    version = None
    if "meta" in existing:
        found = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = found[0] if found else None
    if existing and version is None:
        con.close()
        raise ZsAnalyticsError(f"db == {str(db)!r} 是一个 DuckDB 文件，但不是 zsanalytics 的库；"
                               "换一个文件名")
    if version is not None and int(version) != SCHEMA_VERSION:
        con.close()
        raise ZsAnalyticsError(f"db == {str(db)!r} 是第{version}版的库，本程序用第{SCHEMA_VERSION}版；"
                               "删掉它重新 zsa ingest")
    if not existing:
        con.execute("BEGIN TRANSACTION")
        for name, columns in _DDL.items():
            cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
            con.execute(f'CREATE TABLE "{name}" ({cols})')
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    return con


def ingest(
    folder: str | Path,
    *,
    db: str | Path = "county.duckdb",
    currency: str | None = None,
    year: int | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read every workbook and CSV under ``folder`` into the store ``db``.

    Unchanged files (same sha256) are not read again; a changed file's rows are replaced, and
    all changes of one call are written in one transaction, so a crash half-way leaves the
    store as it was. Files that cannot be read are listed with the reason; the rest is read.

    Parameters
    ----------
    folder : str or Path
        Read recursively: ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods`` through the readers, and
        canonical ``funds`` / ``targets`` / ``projects`` tables as ``.csv`` (UTF-8 or GBK) or
        ``.parquet``. Other files are listed as ignored.
    db : str or Path, default "county.duckdb"
        The DuckDB file; created when missing.
    currency : {"CNY", "USD"}, optional
        The currency of funds tables that have no ``currency`` column. Without it such a
        table is refused (万元 and 万美元 must never be added up by accident).
    year : int, optional
        Passed to the monthly report reader for reports that do not say their year.
    progress : callable, optional
        Called with a short line per step.

    The unit groups of the folder's county profile (``zsa.toml``), if it has one, are kept
    in the store (:attr:`Store.groups`) for the 通报's rankings.

    Returns
    -------
    IngestReport

    Raises
    ------
    ZsAnalyticsError
        When ``folder`` is not a folder, ``currency`` is not CNY or USD, or ``db`` is not a
        store of this version.
    """
    import time

    start = time.perf_counter()
    say = progress or _noop
    folder = Path(folder)
    db = Path(db)
    if not folder.is_dir():
        raise ZsAnalyticsError(f"folder == {str(folder)!r}：不是文件夹")
    if currency is not None:
        code = normalize_currency([currency]).iloc[0]
        if not isinstance(code, str):
            raise ZsAnalyticsError(f"currency == {currency!r}, must be CNY or USD (人民币/美元)")
        currency = code
    paths, ignored = _walk(folder, db)
    con = _connect(db)
    try:
        known = con.execute("""SELECT path, any_value(sha256), bool_and(status = 'read')
                               FROM sources WHERE status <> 'ignored' GROUP BY path""").fetchall()
        known_sha = {path: sha for path, sha, _ in known}
        # a file that could not be read is read again every time (its reason may be gone: a
        # currency given, a reader improved) and listed again if it still cannot be read
        read_sha = {path: sha for path, sha, ok in known if ok}
        root = str(folder.resolve())
        seen, todo, statuses = set(), [], []
        for path in paths:
            name = str(path.resolve())
            seen.add(name)
            stat = path.stat()
            sha = _sha256(path)
            if read_sha.get(name) == sha:
                statuses.append({"path": name, "status": "unchanged", "kind": None, "rows": None,
                                 "reason": None})
                continue
            todo.append((path, name, sha, stat))
        reads = []
        for (_path, name, sha, stat), read in zip(
                todo, _read_all([p for p, *_ in todo], currency, year, folder, say), strict=True):
            read.path = name
            for frame in read.frames.values():
                if "source_file" in frame:
                    frame["source_file"] = name
            status = ("unreadable" if read.status == "unreadable"
                      else "changed" if name in known_sha else "new")
            reads.append((read, sha, stat.st_size, stat.st_mtime))
            statuses.append({"path": name, "status": status, "kind": read.kind,
                             "rows": sum(s.get("rows", 0) for s in read.sheets) or None,
                             "reason": read.reason})
        removed = [p for p in known_sha if p not in seen
                   and (p == root or p.startswith(root.rstrip("/\\") + "/")
                        or p.startswith(root.rstrip("/\\") + "\\"))]
        statuses += [{"path": p, "status": "removed", "kind": None, "rows": None,
                      "reason": "文件已不在文件夹中：其数据已从库中删除"} for p in removed]
        statuses += [{"path": str(p.resolve()), "status": "ignored", "kind": None, "rows": None,
                      "reason": why} for p, why in ignored]
        revisions = pd.DataFrame(columns=list(_DDL["revisions"]))
        if reads or removed or _ignored_changed(con, ignored):
            say("写入数据库（一个事务）")
            revisions = _write(con, reads, removed, ignored)
        _remember_groups(con, folder)
        files = pd.DataFrame(statuses, columns=["path", "status", "kind", "rows", "reason"])
        new_issues = _concat([r.frames.get("issues") for r, *_ in reads])
        summary = (new_issues.groupby(["problem", "action"], dropna=False).size()
                   .rename("count").reset_index() if len(new_issues) else
                   pd.DataFrame({"problem": [], "action": [], "count": []}))
    finally:
        con.close()
    return IngestReport(db, files, revisions, summary, time.perf_counter() - start)


_GROUPS_KEY = "unit_groups"


def _json_groups(text: str | None) -> dict[str, str] | None:
    import json

    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return {str(u): str(g) for u, g in value.items()} or None


def _remember_groups(con: Any, folder: Path) -> None:
    """Keep the unit groups of the folder's county profile in ``meta`` (a row, so that stores
    written before keep their schema): the 通报 ranks units within them. A profile's groups are
    added to those remembered (its own win); a folder without one changes nothing."""
    import json

    from .clean.profile import find_profile

    groups = find_profile(folder).groups
    if not groups:
        return
    found = con.execute("SELECT value FROM meta WHERE key = ?", [_GROUPS_KEY]).fetchall()
    before = (_json_groups(found[0][0]) if found else None) or {}
    merged = {**before, **groups}
    text = json.dumps(dict(sorted(merged.items())), ensure_ascii=False)
    if found and found[0][0] == text:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM meta WHERE key = ?", [_GROUPS_KEY])
        con.execute("INSERT INTO meta VALUES (?, ?)", [_GROUPS_KEY, text])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


#: Reading this many files or more is shared with worker processes (one per further core, at
#: most three): the readers are Python and pandas, bound to one core each.
PARALLEL_FROM = 8
#: ... on a machine with at least this many cores. On two shared cores, reading 61 files in
#: one process took 5.9-7.4 s and sharing them with a worker 7.8-10.3 s (the worker's start
#: costs about 1.5 s of processor time, and the cores were busy with other work anyway).
PARALLEL_CORES = 4


def _read_all(paths: list[Path], currency: str | None, year: int | None, folder: Path,
              say: Progress) -> list[_Read]:
    """Read files, sharing them with worker processes when there are many (results in the
    order given).

    Workers are fresh interpreters running ``zsanalytics._ingest_worker`` — neither forked
    (a fork of a process with DuckDB's and Arrow's threads can hang) nor started by
    multiprocessing (which runs the caller's script again in every worker, and fails from a
    notebook or a script without a ``__main__`` guard). A worker that fails has its files
    read here instead, so no file is lost to it.
    """
    import os
    import pickle
    import subprocess
    import sys
    import tempfile

    cores = os.cpu_count() or 1
    helpers = min(cores, 4) - 1
    if len(paths) < PARALLEL_FROM or cores < PARALLEL_CORES or helpers < 1:
        return [_read_one(path, currency, year, folder, say) for path in paths]
    # share by an estimate of the work: a file costs about as much as 60 kB of cells
    costs = [1 + path.stat().st_size / 60_000 for path in paths]
    bins: list[list[int]] = [[] for _ in range(helpers + 1)]
    loads = [0.0] * len(bins)
    loads[0] = -2.0 * len(bins)   # this process starts at once; workers import first
    for i in sorted(range(len(paths)), key=lambda i: -costs[i]):
        k = loads.index(min(loads))
        bins[k].append(i)
        loads[k] += costs[i]
    results: dict[int, _Read] = {}
    with tempfile.TemporaryDirectory(prefix="zsa-read-") as tmp:
        jobs = []
        for k, chunk in enumerate(bins[1:], start=1):
            if not chunk:
                continue
            job, out = Path(tmp) / f"job{k}.pkl", Path(tmp) / f"out{k}.pkl"
            job.write_bytes(pickle.dumps({"paths": [paths[i] for i in chunk],
                                          "currency": currency, "year": year}))
            try:
                proc = subprocess.Popen([sys.executable, "-m", "zsanalytics._ingest_worker",
                                         str(job), str(out)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
            except OSError:   # no interpreter to start: this process reads them
                bins[0].extend(chunk)
                continue
            jobs.append((chunk, out, proc))
        for i in bins[0]:
            results[i] = _read_one(paths[i], currency, year, folder, say)
        for chunk, out, proc in jobs:
            _, err = proc.communicate()
            if proc.returncode == 0 and out.is_file():
                for i, read in zip(chunk, pickle.loads(out.read_bytes()), strict=True):
                    results[i] = read
                    say(f"读取 {paths[i].relative_to(folder)}")
            else:   # read here what the worker could not
                say(f"工作进程失败（{err.decode(errors='replace')[-200:].strip()}），改在本进程读取")
                for i in chunk:
                    results[i] = _read_one(paths[i], currency, year, folder, say)
    return [results[i] for i in range(len(paths))]


def _read_one(path: Path, currency: str | None, year: int | None, folder: Path,
              say: Progress) -> _Read:
    say(f"读取 {path.relative_to(folder)}")
    return _read_file(path, currency=currency, year=year)


def _ignored_changed(con: Any, ignored: list[tuple[Path, str]]) -> bool:
    before = {r[0] for r in con.execute(
        "SELECT path FROM sources WHERE status = 'ignored'").fetchall()}
    return before != {str(p.resolve()) for p, _ in ignored}


def _insert(con: Any, name: str, frame: pd.DataFrame) -> None:
    import duckdb

    if frame is None or not len(frame):
        return
    columns = list(_DDL[name])
    data = frame.reindex(columns=columns)
    view = f"_zsa_insert_{name}"
    con.register(view, data)
    try:
        cols = ", ".join(f'"{c}"' for c in columns)
        casts = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in _DDL[name].items())
        con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {casts} FROM "{view}"')
    finally:
        try:
            con.unregister(view)
        except duckdb.Error:   # an aborted transaction: let the error that aborted it speak
            pass


def _write(con: Any, reads: list[tuple[_Read, str, int, float]], removed: list[str],
           ignored: list[tuple[Path, str]]) -> pd.DataFrame:
    """Replace the rows of changed and removed files and rebuild the derived tables, all in
    one transaction."""
    now = dt.datetime.now().replace(microsecond=0)
    replaced = [r.path for r, *_ in reads] + removed
    con.execute("BEGIN TRANSACTION")
    try:
        old_reported = con.execute(
            "SELECT * FROM reported WHERE list_contains(?, source_file)", [replaced]).df() \
            if replaced else pd.DataFrame()
        for name in (*_PER_FILE, "sources"):
            column = "path" if name == "sources" else "source_file"
            con.execute(f'DELETE FROM "{name}" WHERE list_contains(?, "{column}")', [replaced])
        con.execute("DELETE FROM sources WHERE status = 'ignored'")
        source_rows = []
        # one insert per table for all files (an insert costs about as much for 10 rows as for
        # 10,000)
        for name in _PER_FILE:
            frames = [r.frames[name] for r, *_ in reads if len(r.frames.get(name, ()))]
            if frames:
                _insert(con, name, pd.concat(frames, ignore_index=True) if len(frames) > 1
                        else frames[0])
        for read, sha, size, mtime in reads:
            sheets = read.sheets or [{"sheet": None, "rows": 0}]
            for s in sheets:
                source_rows.append({
                    "path": read.path, "sha256": sha, "size": size, "mtime": mtime,
                    "sheet": s.get("sheet"), "kind": read.kind, "period": s.get("period"),
                    "year": s.get("year"), "end_month": s.get("end_month"),
                    "rows": s.get("rows", 0), "excluded_rows": s.get("excluded_rows"),
                    "status": read.status, "reason": read.reason, "ingested_at": now})
        for path, why in ignored:
            source_rows.append({"path": str(path.resolve()),
                                "size": path.stat().st_size if path.is_file() else None,
                                "status": "ignored", "reason": why, "kind": "ignored",
                                "ingested_at": now})
        _insert(con, "sources", pd.DataFrame(source_rows))
        changed_revisions = _file_revisions(old_reported, [r for r, *_ in reads], now)
        _insert(con, "revisions", changed_revisions)
        later = _rebuild(con, now)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return pd.concat([f for f in (changed_revisions, later) if len(f)] or [later],
                     ignore_index=True)


_KEY = ["unit", "source", "currency", "indicator", "kind", "year", "end_month", "is_total"]


def _file_revisions(old: pd.DataFrame, reads: list[_Read], now: dt.datetime) -> pd.DataFrame:
    """Figures a file gave before and gives differently now (the same path, new content)."""
    new = [r.frames["reported"] for r in reads if "reported" in r.frames]
    if not len(old) or not new:
        return pd.DataFrame(columns=list(_DDL["revisions"]))
    new_rep = pd.concat(new, ignore_index=True)
    old = old[old["ytd_from"].eq("printed")]   # figures the file printed, not sums of 本月
    both = old.merge(new_rep, on=[*_KEY, "source_file"], suffixes=("_old", "_new"))
    return _revision_rows(both, "file_changed", now)


def _revision_rows(both: pd.DataFrame, kind: str, now: dt.datetime) -> pd.DataFrame:
    changed = both[~np.isclose(both["ytd_wan_old"].astype(float), both["ytd_wan_new"].astype(float),
                               rtol=0, atol=0.005, equal_nan=True)]
    old_file = changed["source_file_old"] if "source_file_old" in changed else changed["source_file"]
    new_file = changed["source_file_new"] if "source_file_new" in changed else changed["source_file"]
    return pd.DataFrame({
        "unit": changed["unit"], "source": changed["source"], "currency": changed["currency"],
        "year": changed["year"], "end_month": changed["end_month"],
        "old_ytd_wan": changed["ytd_wan_old"], "new_ytd_wan": changed["ytd_wan_new"],
        "change_wan": changed["ytd_wan_new"] - changed["ytd_wan_old"],
        "old_file": old_file, "old_sheet": changed["sheet_old"], "old_row": changed["row_old"],
        "new_file": new_file, "new_sheet": changed["sheet_new"], "new_row": changed["row_new"],
        "kind": kind, "recorded_at": now}).reset_index(drop=True)


def _rebuild(con: Any, now: dt.datetime) -> pd.DataFrame:
    """The derived tables: one monthly series from all reports, funds, targets, units."""
    from .clean.monthly import _targets

    rep = con.execute("SELECT * FROM reported").df()
    order = con.execute("""
        SELECT path, max(year * 100 + end_month) AS reach, max(mtime) AS mtime
        FROM sources WHERE kind = 'monthly' GROUP BY path""").df()
    # the later report: the one reaching the later month, then the newer file, then the name
    order = order.sort_values(["reach", "mtime", "path"], kind="stable").reset_index(drop=True)
    rank = dict(zip(order["path"], range(len(order)), strict=True))
    con.execute("DELETE FROM revisions WHERE kind = 'later_report'")
    con.execute("DELETE FROM issues WHERE list_contains(?, problem)", [sorted(_REBUILT_PROBLEMS)])
    con.execute("DELETE FROM funds")
    con.execute("DELETE FROM targets")
    later = pd.DataFrame(columns=list(_DDL["revisions"]))
    if len(rep):
        # sums of 本月 are worked out again from the printed figures, never from themselves
        summed = rep["ytd_from"].eq("this_month_sum")
        rep.loc[summed, "ytd_wan"] = np.nan
        rep["_rank"] = rep["source_file"].map(rank).fillna(-1)
        rep = rep.sort_values([*_KEY, "_rank", "sheet", "row"], kind="stable")
        superseded = rep.duplicated(_KEY, keep="last")
        winners = rep[~superseded]
        losers = rep[superseded]
        both = losers.merge(winners, on=_KEY, suffixes=("_old", "_new"))
        # the same unit twice in one sheet is not a revision: the later row is used and the
        # repetition listed (the gate then finds whether the printed 合计 agrees)
        same = ((both["source_file_old"] == both["source_file_new"])
                & (both["sheet_old"] == both["sheet_new"]))
        repeated = both[same]
        if len(repeated):
            _insert(con, "issues", pd.DataFrame({
                "source_file": repeated["source_file_old"], "sheet": repeated["sheet_old"],
                "row": repeated["row_old"], "column": repeated["source"],
                "raw_value": repeated["unit"], "problem": "repeated_in_sheet",
                "action": "excluded",
                "message": "同一张表中此单位（或合计）出现不止一次：用了第"
                           + repeated["row_new"].astype("Int64").astype(str)
                           + "行，此行未计入，请核对"}))
        later = _revision_rows(both[~same], "later_report", now)
        _insert(con, "revisions", later)
        # reports of 本月 only: the year to date is January's to this month's 本月 added up
        winners, unfilled = _fill_ytd(winners)
        _insert(con, "issues", unfilled)
        con.execute("DELETE FROM reported")
        _insert(con, "reported", pd.concat([winners.assign(superseded=False),
                                            losers.assign(superseded=True)], ignore_index=True))
        # where a sheet gives both the whole and its parts, only the whole reaches funds
        money, parts = split_parts(winners)
        if len(parts):
            _insert(con, "issues", pd.DataFrame({
                "source_file": parts["source_file"], "sheet": parts["sheet"],
                "row": parts["row"], "column": parts["source"],
                "raw_value": parts["ytd_wan"].map(lambda v: f"{v:g}"),
                "problem": "part_of_whole", "action": "excluded",
                "message": "这是同表“实际到位资金”的一部分，已含在其中：不再计入资金（留在 reported 表）"}))
        _series(con, money)
    con.execute("""INSERT INTO funds SELECT unit, month, source, currency, amount_wan, 'table',
                   source_file, sheet, row FROM funds_rows""")
    con.execute("""INSERT INTO targets SELECT year, unit, indicator, target, source_file, sheet, row
                   FROM targets_rows""")
    if len(rep):
        targets = _targets(money.assign(is_total=money["is_total"].astype(bool)))
        # provenance: the latest report row that carried the target
        latest = (money[~money["is_total"].astype(bool) & money["target"].notna()]
                  .sort_values("end_month", kind="stable")
                  .drop_duplicates(["year", "unit", "source"], keep="last"))
        prov = latest.assign(_usd=latest["currency"] == "USD").drop_duplicates(
            ["year", "unit", "_usd"], keep="last")[["year", "unit", "_usd", "source_file",
                                                   "sheet", "row"]]
        targets = targets.assign(_usd=targets["indicator"] == "foreign_funds")
        _insert(con, "targets", targets.merge(prov, on=["year", "unit", "_usd"], how="left"))
    _projects(con)
    con.execute("DELETE FROM units")
    con.execute("""
        INSERT INTO units
        SELECT unit, bool_or(t = 'funds'), bool_or(t = 'targets'), bool_or(t = 'projects'),
               min(month), max(month)
        FROM (SELECT unit, 'funds' AS t, month FROM funds
              UNION ALL SELECT unit, 'targets', NULL FROM targets
              UNION ALL SELECT unit, 'projects', NULL FROM projects)
        WHERE unit IS NOT NULL GROUP BY unit ORDER BY unit""")
    return later


def _fill_ytd(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Year-to-date figures for reports that print 本月 only: the last printed 1-N月累计 (or
    nothing, from January) plus the 本月 of every month since — only where no month is
    missing in between; other rows stay without one and are listed as issues."""
    rows = rows.copy()
    rows["ytd_from"] = np.where(rows["ytd_wan"].notna(), "printed", None)
    need = rows["ytd_wan"].isna() & rows["this_month_wan"].notna()
    if not need.any():
        return rows, _concat([])
    key = ["unit", "source", "currency", "indicator", "kind", "year", "is_total"]
    r = rows.sort_values([*key, "end_month"], kind="stable")
    gid = r.groupby(key, dropna=False, sort=False).ngroup()
    known = r["ytd_wan"].notna()
    seg = known.astype("int64").groupby(gid).cumsum()
    by = [gid, seg]
    base_ytd = r["ytd_wan"].where(known).groupby(by).transform("first").fillna(0.0)
    base_month = r["end_month"].where(known).groupby(by).transform("first").fillna(0)
    this = r["this_month_wan"]
    added = this.where(~known, 0.0).groupby(by).cumsum()
    steps = (~known).astype("int64").groupby(by).cumsum()
    # every month since the anchor is there, each with its 本月
    whole = (this.notna() | known).astype("int64").groupby(by).cummin().astype(bool)
    ok = ~known & this.notna() & whole & (r["end_month"] - base_month == steps)
    r.loc[ok, "ytd_wan"] = (base_ytd + added)[ok]
    r.loc[ok, "ytd_from"] = "this_month_sum"
    bad = r[~known & this.notna() & ~ok]
    issues = pd.DataFrame({
        "source_file": bad["source_file"], "sheet": bad["sheet"], "row": bad["row"],
        "column": bad["source"], "raw_value": bad["this_month_wan"].map(lambda v: f"{v:g}"),
        "problem": "no_year_to_date", "action": "excluded",
        "message": "只有本月数，此前有月份没有报表（或没有本月数），算不出1-N月累计：此行未计入"})
    return r.sort_index(), issues


def _projects(con: Any) -> None:
    """``projects`` from every ledger read: where several ledgers (last month's and this
    month's, say) list the same project — the same unit and name — the latest file's rows are
    kept and the others are listed as issues, not added up."""
    cols = ", ".join(f'"{c}"' for c in _DDL["projects"])
    con.execute("DELETE FROM projects")
    ranked = """
        WITH files AS (
            SELECT path, row_number() OVER (ORDER BY max(mtime), path) AS rk
            FROM sources WHERE kind IN ('ledger', 'projects') GROUP BY path),
        ranked AS (
            SELECT p.*, f.rk,
                   max(f.rk) OVER (PARTITION BY p.unit,
                                   coalesce(p.project_name, p.source_file || '#' || p.row)) AS top,
                   last(p.source_file ORDER BY f.rk) OVER (PARTITION BY p.unit,
                        coalesce(p.project_name, p.source_file || '#' || p.row)) AS top_file
            FROM projects_rows p JOIN files f ON p.source_file = f.path)"""
    con.execute(f"INSERT INTO projects SELECT {cols} FROM ({ranked} "
                "SELECT * FROM ranked WHERE rk = top)")
    con.execute(f"""INSERT INTO issues
        SELECT source_file, sheet, row, 'project_name', project_name,
               'superseded_by_later_ledger', 'excluded',
               '同一单位的同名项目也在较新的台账《' || regexp_extract(top_file, '[^/\\\\]+$')
               || '》中：以较新的为准，此行未计入'
        FROM ({ranked} SELECT * FROM ranked WHERE rk < top)""")


def _series(con: Any, winners: pd.DataFrame) -> None:
    """funds from the winning year-to-date figures of every report, with provenance, and the
    issues of the differencing (negative increments, months combined, 本月 mismatches)."""
    from .clean.monthly import _increments

    # the differencing's issues are rebuilt with the series (the readers' own per-file ones
    # were left out when each file was read)
    con.execute("DELETE FROM issues WHERE list_contains(?, problem)", [sorted(_SERIES_PROBLEMS)])
    files = pd.Series(pd.unique(winners["source_file"]))
    code = {f: str(i) for i, f in enumerate(files)}
    tagged = winners.assign(is_total=winners["is_total"].astype(bool),
                            sheet=winners["source_file"].map(code) + "\x1f"
                            + winners["sheet"].astype(str))
    funds, issues = _increments(tagged)
    if len(issues):
        parts = issues["sheet"].astype(str).str.split("\x1f", n=1, expand=True)
        issues = issues.assign(source_file=parts[0].map(dict(zip(code.values(), code.keys(),
                                                                  strict=True))),
                               sheet=parts[1])
        _insert(con, "issues", _issues(issues, "").assign(source_file=issues["source_file"]))
    units = tagged[~tagged["is_total"] & tagged["ytd_wan"].notna()]
    prov = pd.DataFrame({
        "unit": units["unit"].astype(str), "source": units["source"].astype(str),
        "currency": units["currency"].astype(str),
        "month": pd.to_datetime(pd.DataFrame({"year": units["year"], "month": units["end_month"],
                                              "day": 1})),
        "source_file": units["source_file"], "sheet": units["sheet"].str.split(
            "\x1f", n=1).str[1], "row": units["row"]})
    funds = funds.merge(prov, on=["unit", "source", "currency", "month"], how="left",
                        validate="one_to_one")
    funds["kind"] = "monthly"
    _insert(con, "funds", funds)


# --- coverage --------------------------------------------------------------------------------

@dataclass
class Coverage:
    """What a store (or a set of tables) holds.

    Attributes
    ----------
    tables : pandas.DataFrame
        ``table``, ``rows``.
    months : pandas.DataFrame
        One row per year and month from January to the year's last month with funds:
        ``year``, ``month``, ``has_data``, ``kind`` (``monthly`` for figures from monthly
        reports, ``table`` for canonical funds rows), ``units``, ``expected_units``,
        ``missing_units`` and ``missing_sources`` (lists), ``complete``.
    first_month, last_month, last_complete_month : str or None
        ``"2024-06"``.
    files : pandas.DataFrame
        Files by kind and status.
    """

    tables: pd.DataFrame
    months: pd.DataFrame
    first_month: str | None
    last_month: str | None
    last_complete_month: str | None
    files: pd.DataFrame = field(default_factory=pd.DataFrame)

    def gaps(self) -> pd.DataFrame:
        """Months without data, or with units or sources missing."""
        m = self.months
        return m[~m["complete"]].reset_index(drop=True)

    def month(self, as_of: str) -> dict[str, Any] | None:
        year, month = (int(x) for x in as_of.split("-"))
        hit = self.months[(self.months["year"] == year) & (self.months["month"] == month)]
        return None if not len(hit) else hit.iloc[0].to_dict()


def month_coverage(funds: Any, reported: Any = None) -> pd.DataFrame:
    """Coverage by year and month from a funds table (any engine) and, where the funds come
    from monthly reports, the reports' own rows (which units and sources each month lists)."""
    import narwhals.stable.v2 as nw

    from ._frame import collect_pandas, to_narwhals

    frame = to_narwhals(funds, argument="funds")
    names = frame.collect_schema().names()
    kind = nw.col("kind") if "kind" in names else nw.lit("table")
    seen = collect_pandas(
        frame.with_columns(kind.alias("_kind"), nw.col("month").dt.year().alias("_y"),
                           nw.col("month").dt.month().alias("_m"))
        .group_by("_y", "_m", "_kind", "unit", "source").agg(nw.len().alias("_n")))
    seen = seen.rename(columns={"_y": "year", "_m": "month", "_kind": "kind"})
    rep = None
    if reported is not None:
        rep = collect_pandas(to_narwhals(reported, argument="reported"))
        if "superseded" in rep:
            rep = rep[~rep["superseded"].astype(bool)]
        if "kind" in rep:
            rep = rep[rep["kind"].ne("count")]
        rep = rep[rep["ytd_wan"].notna()]
    rows = []
    # a loop over years and months (a few dozen), not rows: each month's sets are small
    for year, in_year in seen.groupby("year", sort=True):
        last = int(in_year["month"].max())
        monthly = bool(in_year["kind"].eq("monthly").any())
        in_rep = None if rep is None else rep[rep["year"] == year]
        # expected: what this year's earlier reports (or rows) listed, so that a unit that
        # first appears in August is not missing in June
        expected_units: set[str] = set()
        expected_sources: set[str] = set()
        for m in range(1, last + 1):
            if monthly and in_rep is not None:
                r = in_rep[in_rep["end_month"] == m]
                units = set(r.loc[~r["is_total"].astype(bool), "unit"])
                sources = set(r["source"])
                has = len(r) > 0
                track_units = True
            else:
                here = in_year[in_year["month"] == m]
                # a canonical table may leave out a unit with nothing that month: only the
                # month itself, and its sources, are checked
                units, sources = set(here["unit"]), set(here["source"])
                has = len(here) > 0
                track_units = False
            missing_units = sorted(expected_units - units) if has and track_units else []
            missing_sources = sorted(expected_sources - sources) if has else []
            expected_units |= units
            expected_sources |= sources
            rows.append({"year": int(year), "month": m, "has_data": has,
                         "kind": "monthly" if monthly else "table", "units": len(units),
                         "expected_units": len(expected_units),
                         "missing_units": missing_units, "missing_sources": missing_sources,
                         "complete": has and not missing_units and not missing_sources})
    return pd.DataFrame(rows, columns=["year", "month", "has_data", "kind", "units",
                                       "expected_units", "missing_units", "missing_sources",
                                       "complete"])


def coverage(store: Store) -> Coverage:
    """Coverage of a store: see :class:`Coverage`."""
    con = store.con
    names = [n for n in Store.TABLES if n in store.table_names()]
    tables = pd.DataFrame({"table": names, "rows": [
        con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names]})
    months = month_coverage(store.funds, store.reported)
    with_data = months[months["has_data"]]
    complete = months[months["complete"]]

    def label(frame: pd.DataFrame, which: int) -> str | None:
        if not len(frame):
            return None
        row = frame.iloc[which]
        return f"{int(row['year'])}-{int(row['month']):02d}"

    files = con.execute("""SELECT kind, status, count(DISTINCT path) AS files FROM sources
                           GROUP BY ALL ORDER BY ALL""").df()
    return Coverage(tables, months, label(with_data, 0), label(with_data, -1), label(complete, -1),
                    files)


def load_folder(folder: str | Path, *, currency: str | None = None,
                progress: Progress | None = None) -> tuple[Any, Any, Any]:
    """Read a briefing's tables from ``folder`` through a temporary store (see
    :func:`zsanalytics.ingest`): every workbook and CSV in it — monthly reports one file a
    month, the ledger, canonical ``projects`` / ``funds`` / ``targets`` tables.

    Returns ``(projects, funds, targets)`` as pandas, canonical columns only; ``projects`` is
    None when the folder has none. For the gate, which needs the reports' own totals, ingest
    the folder into a store and use :func:`zsanalytics.briefing.briefing_from_store` instead.

    Raises
    ------
    ZsAnalyticsError
        When ``folder`` is not a folder, or holds no funds or no targets; the message lists
        the files that could not be read, with the reason.
    """
    import tempfile

    from .schema import TABLES

    folder = Path(folder)
    if not folder.is_dir():
        raise ZsAnalyticsError(f"{folder} is not a folder（不是文件夹）")
    with tempfile.TemporaryDirectory(prefix="zsa-") as tmp:
        db = Path(tmp) / "county.duckdb"
        report = ingest(folder, db=db, currency=currency, progress=progress)
        with open_store(db) as store:
            tables = {name: store.canonical(name) for name in ("projects", "funds", "targets")}
            tables = {name: None if t is None else t.df() for name, t in tables.items()}
    if tables["funds"] is None or tables["targets"] is None:
        unreadable = "；".join(f"{Path(p).name}：{r}" for p, r in zip(
            report.unreadable["path"], report.unreadable["reason"], strict=True))
        raise ZsAnalyticsError(
            f"{folder} 中没有资金或任务数据（月报表，或 funds/targets 表）"
            + (f"；无法读取的文件：{unreadable}" if unreadable else ""))
    for name, table in tables.items():  # the canonical tables' dates are datetime64[ns]
        for column in TABLES[name].columns if table is not None else ():
            if column.dtype == "date" and column.name in table:
                table[column.name] = table[column.name].astype("datetime64[ns]")
    return tables["projects"], tables["funds"], tables["targets"]
