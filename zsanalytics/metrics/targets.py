"""Targets: completion against the annual target and against time progress (序时进度), the
pace needed to finish the year (倒排), and what-if scenarios."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from .._frame import collect_pandas, like, to_narwhals, to_native
from ..errors import ColumnNotFoundError, ZsAnalyticsError
from ._core import INDICATORS, TOTAL_LABEL, add_totals, as_by, require, sort_groups, ytd_sums
from ._months import as_month, time_progress

__all__ = ["STATUS_ZH", "completion", "pick_targets", "required_pace", "scorecard", "whatif"]

#: Chinese wording of the ``status`` column, as reports write it.
STATUS_ZH = {
    "ahead": "超序时进度",
    "behind": "低于序时进度",
    "no target": "无任务",
    "no results": "无实绩",
}


def _indicator(indicator: str, currency: str | None, value_col: str) -> tuple[str | None, str]:
    """Currency filter and column suffix for an indicator."""
    if not isinstance(indicator, str) or not indicator:
        raise ZsAnalyticsError(f"indicator == {indicator!r}：应为指标名，如 'funds_in_place'")
    known = INDICATORS.get(indicator)
    if currency is None and known is not None:
        currency = known.currency
    if currency is None:
        suffix = "" if known is not None else ("_wan" if value_col.endswith("_wan") else "")
    elif currency == "CNY":
        suffix = "_wan"
    else:
        suffix = f"_{currency.lower()}_wan"
    return currency, suffix


def pick_targets(targets: Any, *, groups: list[str], year: int, indicator: str) -> pd.DataFrame:
    """This year's targets of one indicator, as a small pandas table (``groups`` as text, and
    ``target``).

    Targets are small (groups × indicators × years): they are filtered on their own engine
    and collected. Group keys become text, so that a unit code read as a number in one table
    and as text in the other still matches. More than one target for a group is an error,
    never a silent sum.
    """
    frame = to_narwhals(targets, argument="targets")
    schema = require(frame, [*groups, "year", "indicator", "target"], table="targets")
    if not schema["target"].is_numeric():
        raise ZsAnalyticsError(f"targets.target 的类型为 {schema['target']}：应为数值")
    picked = collect_pandas(
        frame.filter((nw.col("year") == year) & (nw.col("indicator") == indicator))
        .select(*groups, "target")
    )
    for c in groups:
        picked[c] = picked[c].astype("str")
    dup = picked[picked.duplicated(groups, keep=False)] if groups else picked.iloc[:0]
    if len(dup):
        shown = dup.drop_duplicates(groups)[groups].head(5).to_dict("records")
        raise ZsAnalyticsError(
            f"targets 中 {year} 年的 {indicator!r} 目标有 {dup.drop_duplicates(groups).shape[0]} "
            f"组重复，如 {shown}；每组只保留一行"
        )
    picked["target"] = picked["target"].astype("float64")
    return picked


def _actual_vs_target(
    actual: Any,
    targets: Any,
    *,
    as_of: Any,
    indicator: str,
    by: Any,
    value_col: str,
    currency: str | None,
    totals: bool,
    yoy: bool = False,
) -> tuple[Any, list[str], int, int, str]:
    """One row per group: ``actual`` (year to date) and ``target`` (annual), as a narwhals
    frame on ``actual``'s engine; with ``yoy``, also ``last`` (the same span last year) and
    ``this_month``, from the same single pass over ``actual``. Groups are every group found in
    either table."""
    year, month = as_month(as_of)
    groups = as_by(by)
    currency, sfx = _indicator(indicator, currency, value_col)
    frame = to_narwhals(actual, argument="actual")
    schema = dict(frame.collect_schema())
    if currency is None and "currency" in schema and indicator not in INDICATORS:
        raise ZsAnalyticsError(
            f"indicator == {indicator!r} 不是已知指标，而 actual 有 currency 列：请传入 currency=，"
            "以免把不同币种的金额相加"
        )
    ytd = ytd_sums(
        frame, year=year, month=month, by=groups, value_col=value_col, currency=currency,
        last_year=yoy, this_month=yoy, table="actual",
        names={"_cur": "actual", "_prev": "last", "_month": "this_month"},
    )
    sums = ["actual", "last", "this_month"] if yoy else ["actual"]
    picked = pick_targets(targets, groups=groups, year=year, indicator=indicator)
    if groups:
        picked = picked.rename(columns={c: f"{c}__tg" for c in groups})
        tg = like(nw.from_native(picked), frame)
        if any(schema[c] != nw.String for c in groups):
            ytd = ytd.with_columns(*[nw.col(c).cast(nw.String) for c in groups])
        # a full join keeps groups found in either table and reads the (large) actuals once
        rows = ytd.join(tg, left_on=groups, right_on=[f"{c}__tg" for c in groups], how="full")
        keys = [nw.coalesce(c, f"{c}__tg").alias(c) for c in groups]
    else:
        # one county-wide row: the target is the sum of the year's targets
        total = float(picked["target"].sum()) if len(picked) else None
        rows = ytd.with_columns(nw.lit(total, dtype=nw.Float64).alias("target"))
        keys = []
    rows = rows.select(
        *keys,
        *[nw.col(c).fill_null(0.0).cast(nw.Float64) for c in sums],
        nw.col("target").cast(nw.Float64),
    )
    if totals:
        rows = add_totals(rows, groups, [*sums, "target"])
    return rows, groups, year, month, sfx


def _completion_exprs(progress_pct: float, actual: str = "actual") -> dict[str, Any]:
    """completion_pct, time_progress_pct, gap_pp, status and status_zh as expressions of the
    ``actual`` and ``target`` columns (inlined, so one select computes them all)."""
    target, have = nw.col("target"), nw.col(actual)
    pct = nw.when(target > 0).then(have / target * 100).otherwise(nw.lit(None, dtype=nw.Float64))
    gap = pct - progress_pct
    no_target = target.is_null() | (target <= 0)

    def status(words: dict[str, str]) -> Any:
        return (
            nw.when(no_target).then(nw.lit(words["no target"]))
            .when(have <= 0).then(nw.lit(words["no results"]))
            .when(gap >= 0).then(nw.lit(words["ahead"]))
            .otherwise(nw.lit(words["behind"]))
        )

    return {
        "completion_pct": pct,
        "time_progress_pct": nw.lit(progress_pct, dtype=nw.Float64),
        "gap_pp": gap,
        "status": status({k: k for k in STATUS_ZH}),
        "status_zh": status(STATUS_ZH),
    }


def completion(
    actual: Any,
    targets: Any,
    /,
    *,
    as_of: Any,
    indicator: str = "funds_in_place",
    method: str | Sequence[float] = "months",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    totals: bool = False,
) -> Any:
    """Completion of the annual target (完成年度任务) against time progress (序时进度).

    Parameters
    ----------
    actual : DataFrame-like
        Monthly actuals: ``month`` (a date), ``value_col`` and the ``by`` columns, e.g. the
        funds table (:data:`zsanalytics.FUNDS`). Any engine narwhals supports.
    targets : DataFrame-like
        Annual targets (:data:`zsanalytics.TARGETS`): ``year``, ``indicator``, ``target`` and
        the ``by`` columns. May be of another engine than ``actual`` (it is small and is
        converted); one row per group, year and indicator.
    as_of : str, date or Period
        The report month; actuals are summed from January through it.
    indicator : str, default "funds_in_place"
        The target indicator. ``funds_in_place`` counts CNY rows (万元), ``foreign_funds`` counts
        USD rows (万美元); for other indicators give ``currency`` when ``actual`` mixes
        currencies.
    method : {"months", "days"} or a cumulative plan of 12 numbers, default "months"
        How time progress is measured; see :func:`time_progress`.
    by : str or tuple of str, default ("unit",)
        Group columns present in both tables; ``()`` for one county-wide row whose target is
        the sum of the year's targets.
    value_col : str, default "amount_wan"
        The amount column of ``actual``.
    currency : str, optional
        Override the indicator's currency.
    totals : bool, default False
        Append a 合计 row: actuals and targets summed over the groups.

    Returns
    -------
    DataFrame-like
        Same type as ``actual``, one row per group found in either table, sorted with 合计
        last:

        - the ``by`` columns, ``year`` and ``through_month``;
        - ``actual_wan`` (``actual_usd_wan`` for foreign funds, ``actual`` for counts): year
          to date; 0 where a group has a target and no rows;
        - ``target_wan``: the annual target, missing where there is none;
        - ``completion_pct``: actual ÷ target × 100;
        - ``time_progress_pct``: time progress in %;
        - ``gap_pp``: completion − time progress, in percentage points (超/低于序时进度);
        - ``status``: ``ahead``, ``behind``, ``no target`` or ``no results`` (a target and
          nothing yet); ``status_zh``: the same in Chinese (超序时进度 / 低于序时进度 /
          无任务 / 无实绩).

    Examples
    --------
    The worked example of DOMAIN.md (1-6月 2020: 10.36亿元 = 103,600万元 against an annual
    target of 269,800万元, 38.4% completed, 11.6 points below time progress):

    >>> import pandas as pd
    >>> funds = pd.DataFrame({"unit": "全县", "month": pd.to_datetime(["2020-03-01", "2020-06-01"]),
    ...                       "currency": "CNY", "amount_wan": [40000.0, 63600.0]})
    >>> targets = pd.DataFrame({"year": [2020], "unit": ["全县"], "indicator": ["funds_in_place"],
    ...                         "target": [269800.0]})
    >>> out = completion(funds, targets, as_of="2020-06")
    >>> out[["unit", "actual_wan", "completion_pct", "gap_pp", "status_zh"]].round(1)
      unit  actual_wan  completion_pct  gap_pp status_zh
    0   全县    103600.0            38.4   -11.6    低于序时进度
    """
    progress = time_progress(as_of, method=method) * 100
    rows, groups, year, month, sfx = _actual_vs_target(
        actual, targets, as_of=as_of, indicator=indicator, by=by, value_col=value_col,
        currency=currency, totals=totals,
    )
    done = _completion_exprs(progress)
    out = rows.select(
        *groups,
        nw.lit(year, dtype=nw.Int64).alias("year"),
        nw.lit(month, dtype=nw.Int64).alias("through_month"),
        nw.col("actual").alias(f"actual{sfx}"),
        nw.col("target").alias(f"target{sfx}"),
        *[expr.alias(name) for name, expr in done.items()],
    )
    return to_native(sort_groups(out, groups, totals=totals))


def scorecard(
    funds: Any,
    targets: Any,
    /,
    *,
    as_of: Any,
    indicator: str = "funds_in_place",
    method: str | Sequence[float] = "months",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    totals: bool = False,
) -> Any:
    """The monthly report table (月报表) in one pass: this month, year to date, the same span
    last year, growth, the annual target, completion and the gap to time progress.

    It gives the columns of :func:`funds_in_place` and :func:`completion` together, reading
    ``funds`` once, which is what a monthly report or a ranking needs.

    Parameters
    ----------
    funds, targets, as_of, indicator, method, by, value_col, currency, totals
        As in :func:`completion`.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``, one row per group found in either table (合计 last):

        - the ``by`` columns, ``year``, ``through_month``;
        - ``month_wan``: the amount of month ``as_of`` alone (本月);
        - ``ytd_wan``, ``last_ytd_wan``, ``change_wan``, ``yoy_pct``, ``yoy_note``: as in
          :func:`funds_in_place` (1-N月累计, 上年同期, 增减, 同比);
        - ``target_wan``, ``completion_pct``, ``time_progress_pct``, ``gap_pp``, ``status``,
          ``status_zh``: as in :func:`completion` (年度任务, 完成率, 序时进度).

        Suffixes follow the indicator (``_usd_wan`` for foreign funds).

    Examples
    --------
    >>> import pandas as pd
    >>> funds = pd.DataFrame({"unit": "城西镇",
    ...                       "month": pd.to_datetime(["2023-04-01", "2024-02-01", "2024-06-01"]),
    ...                       "amount_wan": [5000.0, 4990.0, 3000.0]})
    >>> targets = pd.DataFrame({"year": [2024], "unit": ["城西镇"], "indicator": ["funds_in_place"],
    ...                         "target": [20000.0]})
    >>> row = scorecard(funds, targets, as_of="2024-06").iloc[0]
    >>> row[["month_wan", "ytd_wan", "yoy_pct", "completion_pct", "gap_pp"]].astype(float).round(1).to_dict()
    {'month_wan': 3000.0, 'ytd_wan': 7990.0, 'yoy_pct': 59.8, 'completion_pct': 40.0, 'gap_pp': -10.0}
    """
    from .funds import yoy

    progress = time_progress(as_of, method=method) * 100
    rows, groups, year, month, sfx = _actual_vs_target(
        funds, targets, as_of=as_of, indicator=indicator, by=by, value_col=value_col,
        currency=currency, totals=totals, yoy=True,
    )
    done = _completion_exprs(progress)
    pct, note = yoy("actual", "last")
    out = rows.select(
        *groups,
        nw.lit(year, dtype=nw.Int64).alias("year"),
        nw.lit(month, dtype=nw.Int64).alias("through_month"),
        nw.col("this_month").alias(f"month{sfx}"),
        nw.col("actual").alias(f"ytd{sfx}"),
        nw.col("last").alias(f"last_ytd{sfx}"),
        (nw.col("actual") - nw.col("last")).alias(f"change{sfx}"),
        pct.alias("yoy_pct"),
        note.alias("yoy_note"),
        nw.col("target").alias(f"target{sfx}"),
        *[expr.alias(name) for name, expr in done.items()],
    )
    return to_native(sort_groups(out, groups, totals=totals))


def _pace_exprs(month: int, prefix: str = "", added: Any = None) -> list[Any]:
    months_left = 12 - month
    have = nw.col("actual") if added is None else nw.col("actual") + added
    remaining = nw.when(nw.col("target").is_null()).then(nw.lit(None, dtype=nw.Float64)).otherwise(
        nw.max_horizontal(nw.col("target") - have, nw.lit(0.0))
    )
    required = (
        remaining / months_left if months_left > 0 else nw.lit(None, dtype=nw.Float64)
    )
    so_far = nw.col("actual") / month
    return [
        remaining.alias(f"{prefix}remaining"),
        required.alias(f"{prefix}required_per_month"),
        so_far.alias("pace_so_far_per_month"),
        nw.when(so_far > 0).then(required / so_far).otherwise(nw.lit(None, dtype=nw.Float64))
        .alias(f"{prefix}pace_ratio"),
    ]


def required_pace(
    actual: Any,
    targets: Any,
    /,
    *,
    as_of: Any,
    indicator: str = "funds_in_place",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    totals: bool = False,
) -> Any:
    """The pace needed to finish the year (倒排): what is left of the target, spread over the
    months left, against the pace so far.

    Parameters
    ----------
    actual, targets, as_of, indicator, by, value_col, currency, totals
        As in :func:`completion`.

    Returns
    -------
    DataFrame-like
        Same type as ``actual``, one row per group, with 合计 last if asked for:

        - the ``by`` columns, ``year`` and ``through_month``;
        - ``actual_wan`` and ``target_wan`` (suffixes as in :func:`completion`);
        - ``remaining_wan``: target − actual, not below 0; missing without a target;
        - ``months_left``: 12 − through_month;
        - ``required_per_month_wan``: remaining ÷ months left (missing in December);
        - ``pace_so_far_per_month_wan``: actual ÷ through_month;
        - ``pace_ratio``: required ÷ pace so far (2 means the rest of the year must go twice
          as fast); missing when nothing has arrived yet.

    Examples
    --------
    DOMAIN.md's worked example: (26.98 − 10.36)亿元 ÷ 6 ≈ 2.77亿元 a month, against 1.73 so far.

    >>> import pandas as pd
    >>> funds = pd.DataFrame({"unit": "全县", "month": pd.to_datetime(["2020-06-01"]),
    ...                       "amount_wan": [103600.0]})
    >>> targets = pd.DataFrame({"year": [2020], "unit": ["全县"], "indicator": ["funds_in_place"],
    ...                         "target": [269800.0]})
    >>> out = required_pace(funds, targets, as_of="2020-06")
    >>> (out[["required_per_month_wan", "pace_so_far_per_month_wan", "pace_ratio"]] / [1e4, 1e4, 1]).round(2)
       required_per_month_wan  pace_so_far_per_month_wan  pace_ratio
    0                    2.77                       1.73         1.6
    """
    rows, groups, year, month, sfx = _actual_vs_target(
        actual, targets, as_of=as_of, indicator=indicator, by=by, value_col=value_col,
        currency=currency, totals=totals,
    )
    rows = rows.with_columns(*_pace_exprs(month))
    out = rows.select(
        *groups,
        nw.lit(year, dtype=nw.Int64).alias("year"),
        nw.lit(month, dtype=nw.Int64).alias("through_month"),
        nw.col("actual").alias(f"actual{sfx}"),
        nw.col("target").alias(f"target{sfx}"),
        nw.col("remaining").alias(f"remaining{sfx}"),
        nw.lit(12 - month, dtype=nw.Int64).alias("months_left"),
        nw.col("required_per_month").alias(f"required_per_month{sfx}"),
        nw.col("pace_so_far_per_month").alias(f"pace_so_far_per_month{sfx}"),
        nw.col("pace_ratio"),
    )
    return to_native(sort_groups(out, groups, totals=totals))


def _scenario_table(scenario: Any, amount_col: str, groups: list[str]) -> pd.DataFrame:
    if isinstance(scenario, Mapping):
        scenario = pd.DataFrame(dict(scenario))
    elif isinstance(scenario, list | tuple):
        scenario = pd.DataFrame(list(scenario))
    table = collect_pandas(to_narwhals(scenario, argument="scenario"))
    if amount_col not in table.columns and "amount_wan" in table.columns:
        table = table.rename(columns={"amount_wan": amount_col})
    needed = [*groups, amount_col]
    if any(c not in table.columns for c in needed):
        raise ColumnNotFoundError(needed, list(table.columns), table="scenario")
    if "scenario" not in table.columns:
        table["scenario"] = "情景"
    amounts = pd.to_numeric(table[amount_col], errors="coerce")
    if amounts.isna().any():
        bad = table.loc[amounts.isna(), amount_col].tolist()[:5]
        raise ZsAnalyticsError(f"scenario.{amount_col} 应为数值，以下不是：{bad}")
    table[amount_col] = amounts.astype(float)
    return table


def whatif(
    actual: Any,
    targets: Any,
    /,
    *,
    as_of: Any,
    scenario: Any,
    indicator: str = "funds_in_place",
    method: str | Sequence[float] = "months",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    totals: bool = False,
) -> Any:
    """What if these amounts arrive this year? Completion and the pace still needed, before and
    after, per group and scenario.

    Parameters
    ----------
    actual, targets, as_of, indicator, method, by, value_col, currency, totals
        As in :func:`completion`.
    scenario : DataFrame-like, list of dicts or dict of lists
        Hypothetical amounts: the ``by`` columns and ``amount_wan`` (or the indicator's
        amount column, e.g. ``amount_usd_wan``); optionally ``month`` (when it would arrive:
        after ``as_of`` and within the year) and ``scenario`` (a name, to compare several
        scenarios in one table). Groups must already exist in the actuals or targets, so
        that a misspelt unit is caught rather than counted as a new unit.

    Returns
    -------
    DataFrame-like
        Same type as ``actual``; one row per scenario and group (every group, with 0 added
        where a scenario adds nothing to it):

        - ``scenario``, the ``by`` columns, ``year``, ``through_month``;
        - the baseline: ``actual_wan``, ``target_wan``, ``completion_pct``, ``gap_pp``,
          ``remaining_wan``, ``required_per_month_wan``;
        - ``added_wan``: the hypothetical amount;
        - ``scenario_completion_pct``: (actual + added) ÷ target × 100, once it has arrived;
        - ``scenario_remaining_wan`` and ``scenario_required_per_month_wan``: what the other
          months must still bring, and ``scenario_pace_ratio`` against the pace so far;
        - ``scenario_meets_target``: whether actual + added reaches the target; missing where
          the target is 0 or missing (nullable ``boolean`` on pandas).

    Examples
    --------
    A 3亿元 project landing in September in 城西镇:

    >>> import pandas as pd
    >>> funds = pd.DataFrame({"unit": ["城西镇", "城南街道"],
    ...                       "month": pd.to_datetime(["2024-05-01", "2024-06-01"]),
    ...                       "amount_wan": [24000.0, 5000.0]})
    >>> targets = pd.DataFrame({"year": 2024, "unit": ["城西镇", "城南街道"],
    ...                         "indicator": "funds_in_place", "target": [60000.0, 12000.0]})
    >>> out = whatif(funds, targets, as_of="2024-06",
    ...              scenario=[{"unit": "城西镇", "month": "2024-09", "amount_wan": 30000.0}])
    >>> out[["unit", "completion_pct", "scenario_completion_pct"]].round(1)
       unit  completion_pct  scenario_completion_pct
    0  城南街道            41.7                     41.7
    1   城西镇            40.0                     90.0
    >>> out[["unit", "required_per_month_wan", "scenario_required_per_month_wan"]].round(1)
       unit  required_per_month_wan  scenario_required_per_month_wan
    0  城南街道                  1166.7                           1166.7
    1   城西镇                  6000.0                           1000.0
    """
    year, month = as_month(as_of)
    groups = as_by(by)
    _, sfx = _indicator(indicator, currency, value_col)
    amount_col = f"amount{sfx}" if sfx else "amount"
    table = _scenario_table(scenario, amount_col, groups)
    if "month" in table.columns:
        for value in table["month"].dropna().unique():
            s_year, s_month = as_month(value, argument="scenario.month")
            if s_year != year or s_month <= month:
                raise ZsAnalyticsError(
                    f"scenario.month == {value!r}：应在 as_of（{year}-{month:02d}）之后、{year} 年之内；"
                    "已到位的金额应记入实际数"
                )
    rows, groups, year, month, sfx = _actual_vs_target(
        actual, targets, as_of=as_of, indicator=indicator, by=by, value_col=value_col,
        currency=currency, totals=False,
    )
    if groups:
        known = collect_pandas(rows.select(*groups))
        keys = table[groups].astype(str).drop_duplicates()
        unknown = keys.merge(known.astype(str), on=groups, how="left", indicator=True)
        unknown = unknown[unknown["_merge"] == "left_only"]
        if len(unknown):
            raise ZsAnalyticsError(
                f"scenario 中有单位在 actual 和 targets 里都找不到："
                f"{unknown[groups].to_dict('records')[:5]}；请核对名称"
            )
        table[groups] = table[groups].astype(str)
    added = table.groupby(["scenario", *groups], as_index=False, sort=False)[amount_col].sum()
    names = pd.DataFrame({"scenario": pd.unique(table["scenario"].astype(str))})
    added["scenario"] = added["scenario"].astype(str)
    grid = rows.join(like(names, rows), how="cross")
    grid = grid.join(like(added, rows), on=["scenario", *groups], how="left").with_columns(
        nw.col(amount_col).fill_null(0.0).alias("added")
    )
    if totals:
        total = grid.group_by("scenario").agg(
            nw.col("actual").sum(), nw.col("target").sum(), nw.col("added").sum()
        ).with_columns(*[nw.lit(TOTAL_LABEL).alias(c) for c in groups])
        grid = nw.concat(
            [grid.select("scenario", *groups, "actual", "target", "added"),
             total.select("scenario", *groups, "actual", "target", "added")],
            how="vertical",
        )
    progress = time_progress(as_of, method=method) * 100
    done = _completion_exprs(progress)
    grid = grid.with_columns(done["completion_pct"].alias("completion_pct"),
                             done["gap_pp"].alias("gap_pp"), *_pace_exprs(month))
    grid = grid.with_columns(*_pace_exprs(month, prefix="scenario_", added=nw.col("added")))
    target = nw.col("target")
    out = grid.select(
        nw.col("scenario"),
        *groups,
        nw.lit(year, dtype=nw.Int64).alias("year"),
        nw.lit(month, dtype=nw.Int64).alias("through_month"),
        nw.col("actual").alias(f"actual{sfx}"),
        target.alias(f"target{sfx}"),
        nw.col("completion_pct"),
        nw.col("gap_pp"),
        nw.col("remaining").alias(f"remaining{sfx}"),
        nw.col("required_per_month").alias(f"required_per_month{sfx}"),
        nw.col("added").alias(f"added{sfx}"),
        nw.when(target > 0).then((nw.col("actual") + nw.col("added")) / target * 100)
        .otherwise(nw.lit(None, dtype=nw.Float64)).alias("scenario_completion_pct"),
        nw.col("scenario_remaining").alias(f"scenario_remaining{sfx}"),
        nw.col("scenario_required_per_month").alias(f"scenario_required_per_month{sfx}"),
        nw.col("scenario_pace_ratio"),
        # no otherwise: a typed null literal would read False on numpy-backed pandas
        nw.when(target > 0).then(nw.col("actual") + nw.col("added") >= target)
        .alias("scenario_meets_target"),
    )
    key = "__zsa_is_total"
    if groups:
        out = out.with_columns((nw.col(groups[0]) == TOTAL_LABEL).alias(key)).sort(
            "scenario", key, *groups
        ).drop(key)
    return to_native(out)
