"""The machinery every metric shares: checking inputs, year-to-date sums and totals rows.

Everything here is written against narwhals (stable v2) expressions, so the same code runs on
pandas, polars (eager and lazy), DuckDB and PySpark. Months are compared with date literals of
the column's own type (no day arithmetic, which differs by engine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw

from .._frame import time_zone, to_narwhals
from ..errors import ColumnNotFoundError, ZsAnalyticsError

TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class Indicator:
    """A target indicator: what it is called, the currency its actuals are counted in and the
    suffix its columns carry."""

    name: str
    zh: str
    currency: str | None
    suffix: str
    unit_zh: str


INDICATORS: dict[str, Indicator] = {
    "funds_in_place": Indicator("funds_in_place", "实际到位资金", "CNY", "_wan", "万元"),
    "foreign_funds": Indicator("foreign_funds", "实际利用外资", "USD", "_usd_wan", "万美元"),
    "contract": Indicator("contract", "合同引资", "CNY", "_wan", "万元"),
    "signed_projects": Indicator("signed_projects", "签约项目", None, "", "个"),
}


def money_suffix(currency: str | None) -> str:
    """Column suffix for amounts in 万 of ``currency``: ``_wan`` (万元), ``_usd_wan`` (万美元)."""
    if currency is None or currency == "CNY":
        return "_wan"
    return f"_{currency.lower()}_wan"


def as_by(by: Any, *, argument: str = "by") -> list[str]:
    """``by`` as a list of column names (None or () for no grouping)."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    try:
        out = list(by)
    except TypeError as exc:
        raise ZsAnalyticsError(f"{argument} == {by!r}：应为列名或列名的元组") from exc
    if not all(isinstance(c, str) for c in out):
        raise ZsAnalyticsError(f"{argument} == {by!r}：应为列名或列名的元组")
    return out


def require(frame: Any, columns: Iterable[str], *, table: str) -> dict[str, Any]:
    """Check ``columns`` exist; return the schema as a dict name → narwhals dtype."""
    schema = dict(frame.collect_schema())
    needed = list(dict.fromkeys(columns))
    if any(c not in schema for c in needed):
        raise ColumnNotFoundError(needed, list(schema), table=table)
    return schema


def month_literal(dtype: Any, when: dt.datetime, *, table: str, column: str) -> Any:
    """A literal for comparing with a month (or date) column of narwhals dtype ``dtype``: the
    same wall-clock time ``when`` (midnight of a day) on every engine, in any time zone.

    A column with a time zone (PySpark's ``timestamp`` carries the session's) gets an aware
    datetime of that zone. A naive column gets the date cast to the column's type: PySpark
    reads a naive Python ``datetime`` in the Python process's time zone, not the session's,
    which on a UTC machine with an Asia/Shanghai session moved every bound by 8 hours.
    """
    if dtype == nw.Date:
        return when.date()
    if dtype == nw.Datetime:
        zone = getattr(dtype, "time_zone", None)
        if zone:
            return when.replace(tzinfo=time_zone(zone))
        if when.time() == dt.time(0) and when.tzinfo is None:
            return nw.lit(when.date(), dtype=nw.Date).cast(dtype)
        return when
    raise ZsAnalyticsError(
        f"{table}.{column} 的类型为 {dtype}：应为日期或日期时间（每月第一天）；文本日期请先用 "
        "zsanalytics.parse_date 转换"
    )


def sum_by(frame: Any, by: list[str], aggs: dict[str, Any],
           names: dict[str, str] | None = None) -> Any:
    """Group ``frame`` by ``by`` and sum the expressions in ``aggs`` (name → expression),
    naming the sums by ``names`` (default: the same names); with no ``by``, one row.
    Elementary aggregations only, so pandas stays on its fast path."""
    names = names or {}
    staged = frame.with_columns(**aggs) if aggs else frame
    sums = [nw.col(name).sum().alias(names.get(name, name)) for name in aggs]
    if by:
        return staged.group_by(*by).agg(*sums)
    return staged.select(*sums)


def add_totals(frame: Any, by: list[str], sum_cols: list[str]) -> Any:
    """Append one row labelled 合计 in every ``by`` column, summing ``sum_cols``; ``by``
    columns must be text."""
    if not by:
        return frame
    total = frame.select(
        *[nw.lit(TOTAL_LABEL, dtype=nw.String).alias(c) for c in by],
        *[nw.col(c).sum() for c in sum_cols],
    )
    body = frame.select(*by, *sum_cols).with_columns(*[nw.col(c).cast(nw.String) for c in by])
    return nw.concat([body, total], how="vertical")


def sort_groups(frame: Any, by: list[str], *, totals: bool = True) -> Any:
    """Sort by the group columns, with the 合计 row last when there may be one."""
    if not by:
        return frame
    if not totals:
        return frame.sort(*by, nulls_last=True)
    key = "__zsa_is_total"
    return (
        frame.with_columns((nw.col(by[0]) == TOTAL_LABEL).fill_null(False).alias(key))
        .sort(key, *by, nulls_last=True)
        .drop(key)
    )


def ytd_sums(
    funds: Any,
    *,
    year: int,
    month: int,
    by: list[str],
    value_col: str,
    currency: str | None,
    last_year: bool,
    this_month: bool = False,
    names: dict[str, str] | None = None,
    table: str = "funds",
) -> Any:
    """Year-to-date sums of ``value_col`` through ``month`` of ``year`` per ``by`` group, in
    column ``_cur`` (and the same span of the year before in ``_prev`` when ``last_year``, and
    the amount of ``month`` alone in ``_month`` when ``this_month``).

    Rows of another currency are left out when the table has a ``currency`` column; rows with
    a missing currency are left out too (they cannot be counted as any currency).
    """
    frame = to_narwhals(funds, argument=table)
    schema = require(frame, [*by, "month", value_col], table=table)
    if not schema[value_col].is_numeric():
        raise ZsAnalyticsError(
            f"{table}.{value_col} 的类型为 {schema[value_col]}：应为数值；文本金额请先用 "
            "zsanalytics.parse_amount 转换"
        )
    from ._months import month_bounds

    start, end = month_bounds(year, month)
    lit_end = month_literal(schema["month"], end, table=table, column="month")
    lit_start = month_literal(schema["month"], start, table=table, column="month")
    col = nw.col("month")
    value = nw.col(value_col)
    in_cur = (col >= lit_start) & (col < lit_end)
    if last_year:
        prev_start, prev_end = month_bounds(year - 1, month)
        lit_prev_start = month_literal(schema["month"], prev_start, table=table, column="month")
        lit_prev_end = month_literal(schema["month"], prev_end, table=table, column="month")
        in_prev = (col >= lit_prev_start) & (col < lit_prev_end)
        keep = in_cur | in_prev
    else:
        keep = in_cur
    if currency is not None and "currency" in schema:
        keep = keep & (nw.col("currency") == currency)
    aggs = {"_cur": nw.when(col >= lit_start).then(value).otherwise(nw.lit(0.0))}
    if last_year:
        aggs["_prev"] = nw.when(col < lit_start).then(value).otherwise(nw.lit(0.0))
    if this_month:
        month_start = dt.datetime(year, month, 1)
        lit_month = month_literal(schema["month"], month_start, table=table, column="month")
        aggs["_month"] = nw.when(col >= lit_month).then(value).otherwise(nw.lit(0.0))
    flag = "__zsa_keep"
    if isinstance(frame, nw.LazyFrame):
        # lazy engines push the projection down themselves; fewer steps mean less planning
        # filter on the table's own columns, so the engine can push it into the scan, and sum
        # the conditional expressions directly: every extra step costs a DuckDB bind
        names = names or {}
        sums = [e.sum().alias(names.get(n, n)) for n, e in aggs.items()]
        kept = frame.filter(keep)
        return kept.group_by(*by).agg(*sums) if by else kept.select(*sums)
    # eager engines: only the columns used, and the condition as a column, so the filter
    # copies no text columns it does not need; then compute on the rows kept
    frame = frame.select(*dict.fromkeys([*by, "month", value_col]), keep.alias(flag))
    frame = frame.filter(nw.col(flag))
    return sum_by(frame, by, aggs, names)
