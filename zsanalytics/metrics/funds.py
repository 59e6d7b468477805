"""Funds in place (实际到位资金): year to date, the same span last year, growth (同比); and the
explicit conversion of foreign funds to 元."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._frame import collect_pandas, from_pandas, left_join, like, to_narwhals, to_native
from ..errors import ZsAnalyticsError
from ._core import add_totals, as_by, money_suffix, require, sort_groups, ytd_sums
from ._months import as_month

__all__ = ["funds_in_place", "to_cny", "yoy"]


def yoy(current: Any, previous: Any) -> tuple[Any, Any]:
    """Year-on-year growth (同比) as narwhals expressions: ``(yoy_pct, yoy_note)``.

    ``yoy_pct`` = (current ÷ previous − 1) × 100 when the base is positive, else missing;
    ``yoy_note`` says why it is missing: 新增 (nothing last year, something now), 无实绩
    (nothing in either year), 上年同期为零 (nothing last year, a net correction now) or
    上年同期为负 (a negative base, which makes a percentage meaningless).

    Examples
    --------
    >>> import narwhals.stable.v2 as nw
    >>> import pandas as pd
    >>> t = nw.from_native(pd.DataFrame({"cur": [7990.0, 300.0, 0.0, 200.0],
    ...                                  "prev": [5000.0, 0.0, 0.0, -100.0]}))
    >>> pct, note = yoy("cur", "prev")
    >>> t.select(pct.round(1).alias("yoy_pct"), note.alias("yoy_note")).to_native()
       yoy_pct yoy_note
    0     59.8      NaN
    1      NaN       新增
    2      NaN      无实绩
    3      NaN   上年同期为负
    """
    cur, prev = nw.col(current), nw.col(previous)
    pct = nw.when(prev > 0).then((cur / prev - 1) * 100).otherwise(nw.lit(None, dtype=nw.Float64))
    note = (
        nw.when(prev < 0).then(nw.lit("上年同期为负"))
        .when((prev == 0) & (cur > 0)).then(nw.lit("新增"))
        .when((prev == 0) & (cur == 0)).then(nw.lit("无实绩"))
        .when(prev == 0).then(nw.lit("上年同期为零"))
        .otherwise(nw.lit(None, dtype=nw.String))
    )
    return pct, note


def funds_in_place(
    funds: Any,
    /,
    *,
    as_of: Any,
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    currency: str = "CNY",
    value_col: str = "amount_wan",
    totals: bool = False,
) -> Any:
    """Funds in place (实际到位资金) year to date, against the same span last year.

    Parameters
    ----------
    funds : DataFrame-like
        Monthly funds (:data:`zsanalytics.FUNDS`): ``month`` (a date, first of the month),
        ``value_col`` and the ``by`` columns; ``currency`` when amounts in several currencies
        are mixed. Any engine narwhals supports.
    as_of : str, date or Period
        The last month counted: ``"2024-06"`` gives 1-6月 2024 against 1-6月 2023.
    by : str or tuple of str, default ("unit",)
        Group columns; ``()`` or None for one county-wide row. ``("unit", "source")`` splits
        by source (省外 / 省内 …).
    currency : str, default "CNY"
        Only rows in this currency are counted. Foreign funds stay in 万美元: ask for
        ``currency="USD"`` to get them, or convert them first with :func:`to_cny`. A table
        without a ``currency`` column is taken to be in ``currency``.
    value_col : str, default "amount_wan"
        The amount column (万 of the currency).
    totals : bool, default False
        Append a 合计 row (the ``by`` columns read 合计) summing every group.

    Returns
    -------
    DataFrame-like
        Same type as ``funds`` (pandas in, pandas out; polars lazy in, polars lazy out), one
        row per group, sorted by the group columns with 合计 last:

        - the ``by`` columns;
        - ``year`` and ``through_month``: the span is 1 to ``through_month`` of ``year``;
        - ``ytd_wan``: the amount this year to date (``ytd_usd_wan`` for USD, and so on);
        - ``last_ytd_wan``: the same months of the year before;
        - ``change_wan``: ``ytd_wan − last_ytd_wan``;
        - ``yoy_pct``: growth in %, missing when the base is zero or negative;
        - ``yoy_note``: why ``yoy_pct`` is missing (新增, 无实绩, 上年同期为零, 上年同期为负).

    Examples
    --------
    >>> import pandas as pd
    >>> funds = pd.DataFrame({
    ...     "unit": ["城西镇", "城西镇", "城西镇", "城南街道"],
    ...     "month": pd.to_datetime(["2023-03-01", "2024-02-01", "2024-08-01", "2024-05-01"]),
    ...     "source": ["省外", "省外", "省内", "省内"],
    ...     "currency": "CNY",
    ...     "amount_wan": [5000.0, 7990.0, 1200.0, 300.0],
    ... })
    >>> out = funds_in_place(funds, as_of="2024-06", totals=True)
    >>> out[["unit", "ytd_wan", "last_ytd_wan", "yoy_pct", "yoy_note"]]
       unit  ytd_wan  last_ytd_wan  yoy_pct yoy_note
    0  城南街道    300.0           0.0      NaN       新增
    1   城西镇   7990.0        5000.0     59.8      NaN
    2    合计   8290.0        5000.0     65.8      NaN
    """
    year, month = as_month(as_of)
    groups = as_by(by)
    sfx = money_suffix(currency)
    cur, prev = f"ytd{sfx}", f"last_ytd{sfx}"
    sums = ytd_sums(
        funds, year=year, month=month, by=groups, value_col=value_col, currency=currency,
        last_year=True, names={"_cur": cur, "_prev": prev},
    )
    if totals:
        sums = add_totals(sums, groups, [cur, prev])
    pct, note = yoy(cur, prev)
    out = sums.select(
        *groups,
        nw.lit(year, dtype=nw.Int64).alias("year"),
        nw.lit(month, dtype=nw.Int64).alias("through_month"),
        nw.col(cur),
        nw.col(prev),
        (nw.col(cur) - nw.col(prev)).alias(f"change{sfx}"),
        pct.alias("yoy_pct"),
        note.alias("yoy_note"),
    )
    return to_native(sort_groups(out, groups, totals=totals))


def _rates_table(fx: Any) -> tuple[pd.DataFrame | Any, list[str]]:
    """The rate table and the keys it is given by (currency, and year or month if present)."""
    if isinstance(fx, Mapping):
        if not fx:
            raise ZsAnalyticsError("fx 为空：请按币种给出汇率，如 {'USD': 7.1}")
        table = pd.DataFrame({"currency": list(fx), "fx_rate": [fx[k] for k in fx]})
        return table, ["currency"]
    try:
        frame = to_narwhals(fx, argument="fx")
    except ZsAnalyticsError as exc:
        raise ZsAnalyticsError(
            f"fx 是 {type(fx).__name__}：应为字典（如 {{'USD': 7.1}}）或含 currency、fx_rate 列"
            "（可另有 year 或 month 列）的表"
        ) from exc
    names = list(frame.collect_schema().names())
    keys = ["currency"] + [c for c in ("year", "month") if c in names]
    require(frame, [*keys, "fx_rate"], table="fx")
    if "year" in keys and "month" in keys:
        raise ZsAnalyticsError("fx 同时有 year 列和 month 列：汇率请只按年或只按月给出")
    return fx, keys


def to_cny(funds: Any, fx: Any, /, *, value_col: str = "amount_wan") -> Any:
    """Convert amounts to 万元 with an explicit exchange-rate table, never silently.

    Foreign funds are reported in 万美元 and are never added to 元 without a rate. Every row
    in a currency other than CNY must find a rate, or nothing is converted and the error lists
    the missing rates. The original amount, currency and the rate used are kept beside the
    converted amount, so the conversion can be audited and reversed.

    Parameters
    ----------
    funds : DataFrame-like
        A table with ``currency`` and ``value_col`` (for example :data:`zsanalytics.FUNDS`).
    fx : mapping or DataFrame-like
        元 per unit of the currency: ``{"USD": 7.1}``, or a table with ``currency``,
        ``fx_rate`` and optionally ``year`` (an annual average rate) or ``month`` (a monthly
        rate, matched to the funds' ``month``). CNY needs no rate.
    value_col : str, default "amount_wan"
        The amount column.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``, same rows in the same order (where the engine has an order),
        with ``value_col`` in 万元 and ``currency`` = CNY, and three more columns:
        ``original_currency``, ``original_<value_col>`` and ``fx_rate`` (1.0 for CNY rows).

    Raises
    ------
    ZsAnalyticsError
        When a row's currency (and year or month) has no rate, or a rate is not positive.

    Examples
    --------
    >>> import pandas as pd
    >>> funds = pd.DataFrame({"unit": ["经济开发区", "经济开发区"], "currency": ["CNY", "USD"],
    ...                       "amount_wan": [1000.0, 200.0]})
    >>> to_cny(funds, {"USD": 7.1})[["currency", "amount_wan", "original_amount_wan", "fx_rate"]]
      currency  amount_wan  original_amount_wan  fx_rate
    0      CNY      1000.0               1000.0      1.0
    1      CNY      1420.0                200.0      7.1
    >>> to_cny(funds, {"HKD": 0.92})
    Traceback (most recent call last):
    ...
    zsanalytics.errors.ZsAnalyticsError: 1 行没有汇率：currency=USD；\
请在 fx 中补上这些汇率
    """
    frame = to_narwhals(funds)
    schema = require(frame, ["currency", value_col], table="funds")
    rates, keys = _rates_table(fx)
    rates = like(rates, frame)
    rate_schema = dict(rates.collect_schema())
    if not rate_schema["fx_rate"].is_numeric():
        raise ZsAnalyticsError(f"fx.fx_rate 的类型为 {rate_schema['fx_rate']}：应为数值")
    bad = collect_pandas(rates.filter(~(nw.col("fx_rate") > 0) | nw.col("fx_rate").is_null()))
    if len(bad):
        bad_rows = list(bad.itertuples(index=False, name=None))
        raise ZsAnalyticsError(f"fx 中有汇率不是正数：{bad_rows[:5]}；汇率应大于 0")
    join_keys = ["currency"]
    key_exprs = []
    if "year" in keys:
        require(frame, ["month"], table="funds")
        key_exprs.append(nw.col("month").dt.year().cast(nw.Int64).alias("__fx_year"))
        rates = rates.with_columns(nw.col("year").cast(nw.Int64).alias("__fx_year")).drop("year")
        join_keys.append("__fx_year")
    if "month" in keys:
        require(frame, ["month"], table="funds")
        # a month index year*12+month compares months the same way on every engine
        month_index = (nw.col("month").dt.year().cast(nw.Int64) * 12
                       + nw.col("month").dt.month().cast(nw.Int64)).alias("__fx_month")
        key_exprs.append(month_index)
        rates = rates.with_columns(month_index).drop("month")
        join_keys.append("__fx_month")
    rates = rates.select(*join_keys, nw.col("fx_rate").cast(nw.Float64))
    names = list(schema)
    for clash in ("original_currency", f"original_{value_col}", "fx_rate"):
        if clash in names:
            raise ZsAnalyticsError(f"funds 已有 {clash!r} 列：是否已经换算过一次？")
    staged = frame.with_columns(*key_exprs) if key_exprs else frame
    joined = left_join(staged, rates, on=join_keys).with_columns(
        nw.when(nw.col("currency") == "CNY").then(nw.lit(1.0)).otherwise(nw.col("fx_rate"))
        .alias("fx_rate")
    )
    missing = joined.filter(nw.col("fx_rate").is_null()).group_by(*join_keys).agg(
        nw.len().alias("rows")
    )
    missing_rows = collect_pandas(missing).to_dict("records")
    if missing_rows:
        count = sum(r["rows"] for r in missing_rows)
        where = "; ".join(
            ", ".join(f"{k.replace('__fx_', '')}={_show_key(k, r[k])}" for k in join_keys)
            for r in sorted(missing_rows, key=lambda r: [str(r[k]) for k in join_keys])[:10]
        )
        raise ZsAnalyticsError(f"{count} 行没有汇率：{where}；请在 fx 中补上这些汇率")
    out = joined.select(
        *[
            nw.lit("CNY").alias(c) if c == "currency"
            else (nw.col(value_col) * nw.col("fx_rate")).alias(c) if c == value_col
            else nw.col(c)
            for c in names
        ],
        nw.col("currency").alias("original_currency"),
        nw.col(value_col).alias(f"original_{value_col}"),
        nw.col("fx_rate"),
    )
    return to_native(out)


def _show_key(key: str, value: Any) -> str:
    if key == "__fx_month" and value is not None:
        year, month = divmod(int(value) - 1, 12)
        return f"{year}-{month + 1:02d}"
    return str(value)



def cumulative(
    funds: Any,
    /,
    *,
    as_of: Any,
    by: str | tuple[str, ...] | list[str] | None = (),
    currency: str = "CNY",
    value_col: str = "amount_wan",
) -> Any:
    """Funds in place accumulated month by month: this year through ``as_of`` beside the whole
    of last year — the two lines of the 累计 chart (:func:`zsanalytics.charts.cumulative_chart`).

    One aggregation by group and month over the two years; months without funds count as zero.

    Parameters
    ----------
    funds : DataFrame-like
        Monthly funds (:data:`zsanalytics.FUNDS`), any engine.
    as_of : str, date or Period
        The last month of this year: ``"2024-06"`` gives 2024 through June and all of 2023.
    by : str or tuple of str, default ()
        Group columns; ``()`` for one county-wide series.
    currency, value_col
        As in :func:`funds_in_place`.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``, twelve rows per group: the ``by`` columns, ``year``,
        ``month`` (1–12), ``ytd_wan`` (this year's 1-``month`` total, missing after ``as_of``)
        and ``last_ytd_wan`` (last year's).

    Examples
    --------
    >>> import pandas as pd
    >>> funds = pd.DataFrame({
    ...     "month": pd.to_datetime(["2023-02-01", "2023-11-01", "2024-01-01", "2024-03-01"]),
    ...     "amount_wan": [100.0, 50.0, 30.0, 40.0],
    ... })
    >>> cumulative(funds, as_of="2024-03").head(4)
       year  month  ytd_wan  last_ytd_wan
    0  2024      1     30.0           0.0
    1  2024      2     30.0         100.0
    2  2024      3     70.0         100.0
    3  2024      4      NaN         100.0
    """
    year, month = as_month(as_of)
    groups = as_by(by)
    sfx = money_suffix(currency)
    frame = to_narwhals(funds, argument="funds")
    schema = require(frame, [*groups, "month", value_col], table="funds")
    from ._core import month_literal
    from ._months import month_bounds

    start, _ = month_bounds(year - 1, 1)
    _, end = month_bounds(year, month)
    col = nw.col("month")
    keep = (col >= month_literal(schema["month"], start, table="funds", column="month")) & (
        col < month_literal(schema["month"], end, table="funds", column="month"))
    if currency is not None and "currency" in schema:
        keep = keep & (nw.col("currency") == currency)
    sums = collect_pandas(
        frame.filter(keep)
        .with_columns(col.dt.year().alias("_year"), col.dt.month().alias("_month"))
        .group_by([*groups, "_year", "_month"])
        .agg(nw.col(value_col).sum().alias("_wan"))
    )
    # Twelve months for every group seen, zero where a month has no funds.
    keys = sums[groups].drop_duplicates() if groups else pd.DataFrame(index=[0])
    grid = keys.merge(pd.DataFrame({"_month": range(1, 13)}), how="cross")
    for name, y in (("_this", year), ("_last", year - 1)):
        part = sums.loc[sums["_year"] == y, [*groups, "_month", "_wan"]]
        grid = grid.merge(part.rename(columns={"_wan": name}), on=[*groups, "_month"], how="left")
    grid = grid.fillna({"_this": 0.0, "_last": 0.0})
    grid = grid.sort_values([*groups, "_month"], kind="stable", ignore_index=True)
    running = (grid.groupby(groups, sort=False, dropna=False) if groups else grid)[["_this", "_last"]]
    running = running.cumsum()
    result = grid[groups].copy()
    result["year"] = year
    result["month"] = grid["_month"].astype("int64")
    result[f"ytd{sfx}"] = running["_this"].where(grid["_month"] <= month).astype("float64")
    result[f"last_ytd{sfx}"] = running["_last"].astype("float64")
    return from_pandas(result, frame)
