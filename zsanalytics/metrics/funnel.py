"""Signing to landing (签约 → 落地 → 开工 → 投产): the project funnel by unit and cohort, the
conversion rates reports use, time to a stage with Kaplan–Meier, and the overdue lists.

Stage dates live in the project ledger (:data:`zsanalytics.PROJECTS`) as ``signed_on``,
``landed_on``, ``started_on`` and ``producing_on``. A project has reached a stage by ``as_of``
when that stage's date, or the date of any later stage, is on or before ``as_of``: a project
that started without a recorded landing has landed. Such gaps and dates out of order are
counted that way and listed by :func:`stage_issues`; :func:`funnel` warns when there are any.
Ledgers that mark a stage 是/否 or √ with no date carry optional boolean ``{stage}_reached``
columns: True counts as reached (on an unknown day), False and missing leave it to the date.

Rates follow county assessments: the base is the year's signings (当年签约项目) unless
``cohort="all"`` asks for every project, and each rate is named with its base (:data:`RATES_ZH`).

Counting happens on the ledger's own engine. Survival curves and the overdue list need day
arithmetic on a few columns of the projects concerned, which are collected (a ledger has
thousands of projects, not millions).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._frame import collect_pandas, from_pandas, to_narwhals
from ..errors import DataQualityWarning, ZsAnalyticsError
from ._core import TOTAL_LABEL, as_by, month_literal, require
from ._months import as_date

__all__ = [
    "COHORTS",
    "DEFAULT_DEADLINES",
    "PERFORMANCE_RULES",
    "RATES_ZH",
    "STAGES",
    "STAGE_ZH",
    "conversion",
    "funnel",
    "stage_issues",
    "stage_warnings",
    "time_to_stage",
]

#: The funnel stages in order, each with its date column ``{stage}_on``.
STAGES = ("signed", "landed", "started", "producing")

#: Chinese names of the stages.
STAGE_ZH = {"signed": "签约", "landed": "落地", "started": "开工", "producing": "投产"}

#: The conversion rates of :func:`conversion`, named as reports and assessment rules name them,
#: each with its base (签约项目… is ÷ the signed projects of the cohort, 开工项目… ÷ the started).
RATES_ZH = {
    "landing_rate_pct": "签约项目落地率",
    "performance_rate_pct": "签约项目履约率",
    "start_rate_pct": "签约项目开工率",
    "production_rate_pct": "开工项目投产率",
    "production_rate_signed_pct": "签约项目投产率",
    "funds_rate_pct": "签约项目资金到位率",
}

#: Rules for 履约 in :func:`conversion` (a county defines it): a stage reached, funds arrived
#: (any, or ``{"min_funds_pct": x}`` of the contract amount), or a column of the ledger (a date
#: on or before ``as_of``, or True) such as ``registered_on``.
PERFORMANCE_RULES = ("funds", "landed", "started", "producing")

#: Deadlines of :func:`stage_warnings`: a project is overdue when ``days`` have passed since
#: the ``after`` stage and it has not reached ``missing`` (or, for ``min_funds_pct``, when less
#: than that share of its contract amount is in place).
DEFAULT_DEADLINES: tuple[dict[str, Any], ...] = (
    {"rule": "not_landed", "zh": "签约超90天未落地", "after": "signed", "missing": "landed",
     "days": 90},
    {"rule": "not_started", "zh": "落地超60天未开工", "after": "landed", "missing": "started",
     "days": 60},
    {"rule": "not_producing", "zh": "开工超365天未投产", "after": "started",
     "missing": "producing", "days": 365},
    {"rule": "low_funds", "zh": "签约超90天资金到位不足25%", "after": "signed", "days": 90,
     "min_funds_pct": 25.0},
)


def _check_stages(stages: Sequence[str]) -> list[str]:
    stages = [stages] if isinstance(stages, str) else list(stages)
    unknown = [s for s in stages if s not in STAGES]
    if not stages or unknown:
        raise ZsAnalyticsError(
            f"stages == {stages!r}：应为 {list(STAGES)} 中的若干个，按此顺序")
    if sorted(stages, key=STAGES.index) != stages or len(set(stages)) != len(stages):
        raise ZsAnalyticsError(f"stages == {stages!r}：应按漏斗顺序排列且不重复：{list(STAGES)}")
    return stages


def _day_after(schema: Mapping[str, Any], column: str, day: dt.date) -> Any:
    """A literal for ``column < literal`` meaning "on or before ``day``", in the column's type."""
    dtype = schema[column]
    after = day + dt.timedelta(days=1)
    if dtype == nw.Date:
        return after
    if dtype == nw.Datetime:  # the same wall-clock midnight on every engine and time zone
        return month_literal(dtype, dt.datetime(after.year, after.month, after.day),
                             table="projects", column=column)
    raise ZsAnalyticsError(
        f"projects.{column} 的类型为 {dtype}：应为日期；文本日期请先用 "
        "zsanalytics.parse_date 转换"
    )


def _by_day(schema: Mapping[str, Any], stage: str, day: dt.date) -> Any:
    """The stage's date is on or before ``day`` (False when missing)."""
    column = f"{stage}_on"
    return (nw.col(column) < _day_after(schema, column, day)).fill_null(False)


def _marked(schema: Mapping[str, Any], stage: str) -> Any:
    """The ledger marks the stage reached with no date (``{stage}_reached`` is True: 是 or √);
    False when the column is absent, False or missing."""
    column = f"{stage}_reached"
    if column not in schema:
        return nw.lit(False)
    return (nw.col(column) == nw.lit(True)).fill_null(False)


def _known(schema: Mapping[str, Any], stage: str) -> Any:
    """The ledger records the stage: a date, or a 是/√ mark."""
    return ~nw.col(f"{stage}_on").is_null() | _marked(schema, stage)


def _on_time(schema: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    """Per stage present in the ledger: reached by ``day`` on its own record — dated on or
    before ``day``, or marked reached with no date (a mark says it has happened: it counts
    whatever the day)."""
    out = {}
    for s in STAGES:
        dated = _by_day(schema, s, day) if f"{s}_on" in schema else None
        marked = _marked(schema, s) if f"{s}_reached" in schema else None
        parts = [e for e in (dated, marked) if e is not None]
        if parts:
            out[s] = functools.reduce(operator.or_, parts)
    return out


def _reached(schema: Mapping[str, Any], stages: Sequence[str], day: dt.date,
             on_time: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Per stage: the project reached it or any later stage of :data:`STAGES` by ``day``.
    ``on_time`` may give the per-stage "reached by ``day``" expressions (e.g. as columns
    computed once)."""
    if on_time is None:
        on_time = _on_time(schema, day)
    later = list(STAGES)
    return {
        s: functools.reduce(operator.or_, [on_time[t] for t in later[later.index(s):] if t in on_time])
        for s in stages
    }


#: Cohorts of :func:`funnel` and :func:`conversion` besides a column of the ledger.
COHORTS = ("as_of_year", "all", "signed_year")


def _cohort(cohort: str | None, schema: Mapping[str, Any], day: dt.date
            ) -> tuple[list[str], dict[str, Any], Any]:
    """Group columns, their expressions, and who is counted (an expression, or None for every
    project) for ``cohort``: ``as_of_year`` is the projects signed in ``day``'s year (当年签约),
    ``all`` (or None) every project, ``signed_year`` one cohort per signing year; any other
    value names a column of the ledger."""
    if cohort is None or cohort == "all":
        return [], {}, None
    if cohort in ("as_of_year", "signed_year"):
        if "signed_on" not in schema:
            raise ZsAnalyticsError(f"cohort == {cohort!r}：需要 projects 有 signed_on 列")
        if cohort == "as_of_year":
            signed = nw.col("signed_on")
            member = ((signed >= _day_after(schema, "signed_on", dt.date(day.year - 1, 12, 31)))
                      & (signed < _day_after(schema, "signed_on", dt.date(day.year, 12, 31)))
                      ).fill_null(False)
            return ["signed_year"], {"signed_year": nw.lit(day.year, dtype=nw.Int64)}, member
        # the year is cast to a nullable integer after collecting: a project with no signing
        # date has a missing cohort on every engine (pandas cannot cast NaN to int64)
        return ["signed_year"], {"signed_year": nw.col("signed_on").dt.year()}, None
    if not isinstance(cohort, str) or cohort not in schema:
        raise ZsAnalyticsError(
            f"cohort == {cohort!r}：应为 {list(COHORTS)} 之一或 projects 的列名")
    return [cohort], {}, None


def _problem_flag(schema: Mapping[str, Any], on_time: Mapping[str, Any]) -> Any:
    """True for a project that :func:`stage_issues` lists: a stage reached (``on_time``) with
    an earlier stage missing or dated after it.

    Checking each stage against the one before suffices: if every earlier date is present
    and each is on or before the next, none is after a later one (and a stage dated before
    ``as_of`` with its predecessor on or before it makes that predecessor reached too, so
    gaps further down are caught by the predecessor's own check)."""
    present = [s for s in STAGES if f"{s}_on" in schema]
    flags = [
        on_time[later] & (~_known(schema, earlier)
                          | (nw.col(f"{later}_on") < nw.col(f"{earlier}_on")).fill_null(False))
        for earlier, later in itertools.pairwise(present)
    ]
    return functools.reduce(operator.or_, flags) if flags else nw.lit(False)


_PROBLEMS = "__zsa_problems"


def _counts(projects: Any, *, as_of: Any, stages: Sequence[str], by: Any, cohort: Any,
            money: bool = False, performance: Any = None
            ) -> tuple[pd.DataFrame, list[str], list[str], list[str], Any]:
    """Projects reaching each stage by ``as_of`` per group, with a 合计 group (per cohort) when
    ``by`` is given, as a small pandas table with one count column per stage; with ``money``,
    also the contract amount and funds in place of the signed CNY projects; with
    ``performance`` (an expression), the count of projects it holds for (履约).

    One aggregation on the ledger's own engine does all of it, including the count of projects
    with stage date problems (for the warning); the totals are summed from the groups."""
    frame = to_narwhals(projects, argument="projects")
    day = as_date(as_of)
    stages = _check_stages(stages)
    groups = as_by(by)
    schema = require(frame, [*groups, *(f"{s}_on" for s in stages)], table="projects")
    cohort_cols, cohort_exprs, member = _cohort(cohort, schema, day)
    if set(groups) & set(cohort_cols):
        raise ZsAnalyticsError(f"cohort == {cohort!r} 也出现在 by={groups!r} 中：二者不能重复")
    # each stage's "reached by as_of" once, as a column: engines without common-subexpression
    # elimination (pandas) would otherwise compare the same dates several times
    flags = {s: f"__zsa_by_{s}" for s in STAGES if f"{s}_on" in schema or f"{s}_reached" in schema}
    used = [*groups, *(f"{s}_on" for s in flags), *(f"{s}_reached" for s in flags), *cohort_cols,
            "contract_wan", "funds_in_place_wan", "currency",
            *(performance[1] if performance is not None else ())]
    frame = frame.select(*[c for c in dict.fromkeys(used) if c in schema])
    on_time_exprs = _on_time(schema, day)
    frame = frame.with_columns(**{c: on_time_exprs[s] for s, c in flags.items()})
    on_time = {s: nw.col(c) for s, c in flags.items()}
    reached = _reached(schema, stages, day, on_time)
    counted_in = member if member is not None else nw.lit(True)
    aggs = {s: (reached[s] & counted_in).cast(nw.Int64) for s in stages}
    aggs[_PROBLEMS] = (_problem_flag(schema, on_time) & counted_in).cast(nw.Int64)
    if performance is not None:
        signed = _reached(schema, ["signed"], day, on_time)["signed"]
        aggs["performing"] = (signed & performance[0] & counted_in).cast(nw.Int64)
    if money:
        require(frame, ["contract_wan", "funds_in_place_wan"], table="projects")
        counted = reached["signed"] & counted_in
        if "currency" in schema:  # 资金到位率 in 万元 only: never mixes 万美元 into 元
            counted = counted & (nw.col("currency") == "CNY").fill_null(False)
        for col in ("contract_wan", "funds_in_place_wan"):
            aggs[col] = nw.when(counted).then(nw.col(col).fill_null(0.0)).otherwise(nw.lit(0.0))
    keys = [*groups, *cohort_cols]
    staged = frame.select(*groups, **cohort_exprs, **aggs)
    sums = [nw.col(c).sum() for c in aggs]
    counts = collect_pandas(staged.group_by(*keys).agg(*sums) if keys else staged.select(*sums))
    _warn_problems(int(counts[_PROBLEMS].sum()))
    for c in groups:
        counts[c] = counts[c].astype("str")
    for c in cohort_cols:
        if c == "signed_year":
            counts[c] = counts[c].astype("Int64")
    if groups:
        sort = [*groups, *cohort_cols]
        counts = counts.sort_values(sort, kind="stable", na_position="last")
        if cohort_cols:
            total = counts.groupby(cohort_cols, dropna=False, sort=True)[list(aggs)].sum().reset_index()
        else:
            total = counts[list(aggs)].sum().to_frame().T
        counts = pd.concat([counts, total.assign(**dict.fromkeys(groups, TOTAL_LABEL))],
                           ignore_index=True)
    elif cohort_cols:
        counts = counts.sort_values(cohort_cols, kind="stable", na_position="last")
    for c in aggs:
        if c in (*stages, _PROBLEMS, "performing"):
            counts[c] = counts[c].astype("int64")
    return counts.drop(columns=_PROBLEMS).reset_index(drop=True), stages, groups, cohort_cols, frame


def _rate(num: pd.Series, den: pd.Series) -> np.ndarray:
    """``num ÷ den × 100``; missing where ``den`` is zero."""
    den = den.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num.astype(float) * 100.0 / den, np.nan)


def _warn_problems(n: int) -> None:
    if n:
        warnings.warn(
            f"台账中有 {n} 个项目有后一阶段却缺前一阶段，或阶段日期先后颠倒；已按到达了前面各"
            "阶段计数。可用 zsanalytics.stage_issues(projects, as_of=...) 列出这些项目。",
            DataQualityWarning,
            stacklevel=4,  # the caller of funnel / conversion
        )


def funnel(
    projects: Any,
    /,
    *,
    as_of: Any,
    stages: Sequence[str] = STAGES,
    by: str | Sequence[str] | None = None,
    cohort: str | None = "as_of_year",
) -> Any:
    """The project funnel 签约 → 落地 → 开工 → 投产: how many projects reached each stage by
    ``as_of``, and the conversion from the stage before and from the first.

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger (:data:`zsanalytics.PROJECTS`), with a ``{stage}_on`` date column
        per stage. Any engine narwhals supports. Optional boolean ``{stage}_reached`` columns
        (``signed_reached``, ``landed_reached``, …) carry ledgers that mark a stage 是/√ with
        no date: True counts the stage as reached whatever ``as_of`` (the mark says it has
        happened), False and missing leave it to the date.
    as_of : str or date
        The day of the count: ``"2024-06-30"``, or a month (``"2024-06"`` means its last day).
        A stage date after it does not count yet.
    stages : sequence of str, default ("signed", "landed", "started", "producing")
        Stages to show, in funnel order.
    by : str or sequence of str, optional
        Group columns, e.g. ``"unit"``; a 合计 group is added.
    cohort : str, default "as_of_year"
        Which projects are counted, and in how many funnels:

        - ``"as_of_year"``: the projects signed in ``as_of``'s year (当年签约项目), the base of
          county assessments; a ``signed_year`` column says which year. A project with no
          signing date is not in it.
        - ``"all"`` (or None): every project in the ledger, signed in any year (累计).
        - ``"signed_year"``: one funnel per signing year (missing for projects with no signing
          date).
        - a column of the ledger (such as ``is_new``): one funnel per value.

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per group × cohort × stage, in funnel order:
        the ``by`` and cohort columns, ``step`` (1, 2, …), ``stage``, ``stage_zh``,
        ``count``, ``rate_from_previous_pct`` (count ÷ the previous stage's count × 100;
        missing for the first stage or a zero base) and ``rate_from_first_pct``.

    Warns
    -----
    DataQualityWarning
        When the ledger has a later stage without an earlier one, or dates out of order
        (see :func:`stage_issues`); such projects count as having reached the earlier stages.

    Examples
    --------
    Four projects signed in 2024 as of the end of June (the third starts in July, so it has
    only landed), and one signed in 2023, outside the year's cohort unless asked for:

    >>> import pandas as pd
    >>> ledger = pd.DataFrame({
    ...     "unit": ["城关镇", "城关镇", "城关镇", "河口镇", "河口镇"],
    ...     "signed_on": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-05-01",
    ...                                  "2023-05-01"]),
    ...     "landed_on": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-04-01", None, None]),
    ...     "started_on": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-07-01", None, None]),
    ...     "producing_on": pd.to_datetime(["2024-06-01", None, None, None, None]),
    ... })
    >>> funnel(ledger, as_of="2024-06")[["signed_year", "stage_zh", "count",
    ...                                  "rate_from_previous_pct"]].round(1)
       signed_year stage_zh  count  rate_from_previous_pct
    0         2024       签约      4                     NaN
    1         2024       落地      3                    75.0
    2         2024       开工      2                    66.7
    3         2024       投产      1                    50.0
    >>> funnel(ledger, as_of="2024-06", cohort="all")["count"].tolist()
    [5, 3, 2, 1]
    """
    counts, stages, groups, cohort_cols, frame = _counts(
        projects, as_of=as_of, stages=stages, by=by, cohort=cohort)
    keys = [*groups, *cohort_cols]
    parts = []
    for i, stage in enumerate(stages):
        part = counts[keys].copy()
        part["step"] = i + 1
        part["stage"] = stage
        part["stage_zh"] = STAGE_ZH[stage]
        part["count"] = counts[stage]
        part["rate_from_previous_pct"] = (_rate(counts[stage], counts[stages[i - 1]]) if i
                                          else np.nan)
        part["rate_from_first_pct"] = _rate(counts[stage], counts[stages[0]])
        parts.append(part)
    # the counts come in group order; stack the stages and keep that order, steps within
    order = np.tile(np.arange(len(counts)), len(stages))
    long = pd.concat(parts, ignore_index=True).iloc[np.argsort(order, kind="stable")]
    for c in ("stage", "stage_zh"):
        long[c] = long[c].astype("str")
    return from_pandas(long, frame)


def conversion(
    projects: Any,
    /,
    *,
    as_of: Any,
    by: str | Sequence[str] | None = None,
    cohort: str | None = "as_of_year",
    performance: str | Mapping[str, float] = "funds",
) -> Any:
    """The conversion rates reports and assessment rules use, by group and cohort.

    By default the base is the year's signings (当年签约项目: projects signed in ``as_of``'s
    year, counted as of ``as_of``), as county assessments mean it; ``cohort="all"`` counts
    every project in the ledger.

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger with all four stage dates, ``contract_wan`` and
        ``funds_in_place_wan`` (and optional ``{stage}_reached`` marks, see :func:`funnel`).
    as_of, by, cohort
        As for :func:`funnel`.
    performance : str or mapping, default "funds"
        What 履约 means in this county: ``"funds"`` (some funds in place), ``{"min_funds_pct":
        x}`` (at least x% of the contract amount in place), ``"landed"``, ``"started"`` or
        ``"producing"`` (the stage reached by ``as_of``), or a column of the ledger such as
        ``registered_on`` (a date on or before ``as_of``) or a boolean column (True).

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per group × cohort (合计 last when ``by`` is given):
        the cohort column (``signed_year`` by default), ``signed``, ``landed``, ``started``,
        ``producing`` (projects of the cohort reaching each stage by ``as_of``),
        ``performing`` (signed projects meeting the ``performance`` rule), ``contract_wan`` and
        ``funds_in_place_wan`` (of the signed projects in 万元; projects in another currency
        are left out rather than mixed in), and each rate with its base:

        - ``landing_rate_pct``: 签约项目落地率, landed ÷ signed;
        - ``performance_rate_pct``: 签约项目履约率, performing ÷ signed;
        - ``start_rate_pct``: 签约项目开工率, started ÷ signed;
        - ``production_rate_pct``: 开工项目投产率, producing ÷ started;
        - ``production_rate_signed_pct``: 签约项目投产率, producing ÷ signed;
        - ``funds_rate_pct``: 签约项目资金到位率, funds in place ÷ contract amount.

        Each is × 100 and missing where its base is zero; :data:`RATES_ZH` has the Chinese
        names. ``funds_in_place_wan`` is the ledger's cumulative figure, as kept at the time the
        ledger was written, not as of ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> ledger = pd.DataFrame({
    ...     "unit": ["城关镇", "城关镇", "河口镇"],
    ...     "signed_on": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-05-01"]),
    ...     "landed_on": pd.to_datetime(["2024-02-01", "2024-03-01", None]),
    ...     "started_on": pd.to_datetime(["2024-03-01", None, None]),
    ...     "producing_on": pd.to_datetime([None, None, None]),
    ...     "currency": "CNY", "contract_wan": [20000.0, 5000.0, 8000.0],
    ...     "funds_in_place_wan": [12000.0, 1000.0, 0.0],
    ... })
    >>> out = conversion(ledger, as_of="2024-06", by="unit")
    >>> out[["unit", "signed", "landing_rate_pct", "start_rate_pct", "funds_rate_pct"]].round(1)
      unit  signed  landing_rate_pct  start_rate_pct  funds_rate_pct
    0  城关镇       2             100.0            50.0            52.0
    1  河口镇       1               0.0             0.0             0.0
    2   合计       3              66.7            33.3            39.4

    履约 as the county defines it — here, at least 50% of the contract amount in place:

    >>> conversion(ledger, as_of="2024-06", by="unit", performance={"min_funds_pct": 50}
    ...            )["performance_rate_pct"].round(1).tolist()    # 12000 of 20000 only
    [50.0, 0.0, 33.3]
    """
    frame = to_narwhals(projects, argument="projects")
    rule = _performance(performance, dict(frame.collect_schema()), as_date(as_of))
    counts, _, groups, cohort_cols, frame = _counts(
        frame, as_of=as_of, stages=STAGES, by=by, cohort=cohort, money=True, performance=rule)
    out = counts[[*groups, *cohort_cols, *STAGES, "performing", "contract_wan",
                  "funds_in_place_wan"]].copy()
    out["landing_rate_pct"] = _rate(counts["landed"], counts["signed"])
    out["performance_rate_pct"] = _rate(counts["performing"], counts["signed"])
    out["start_rate_pct"] = _rate(counts["started"], counts["signed"])
    out["production_rate_pct"] = _rate(counts["producing"], counts["started"])
    out["production_rate_signed_pct"] = _rate(counts["producing"], counts["signed"])
    out["funds_rate_pct"] = _rate(counts["funds_in_place_wan"], counts["contract_wan"])
    return from_pandas(out, frame)


def _performance(rule: Any, schema: Mapping[str, Any], day: dt.date) -> tuple[Any, list[str]]:
    """The 履约 rule as an expression (True: the project performs) and the columns it reads."""
    if isinstance(rule, Mapping):
        pct = rule.get("min_funds_pct")
        if set(rule) != {"min_funds_pct"} or isinstance(pct, bool) \
                or not isinstance(pct, int | float) or not pct > 0:
            raise ZsAnalyticsError(
                f"performance == {dict(rule)!r}：应为 {{'min_funds_pct': x}}，x 大于 0")
        cols = ["contract_wan", "funds_in_place_wan"]
        expr = ((nw.col("contract_wan") > 0)
                & (nw.col("funds_in_place_wan") * 100.0 >= nw.col("contract_wan") * float(pct))
                ).fill_null(False)
        return expr, cols
    if rule == "funds":
        return (nw.col("funds_in_place_wan") > 0).fill_null(False), ["funds_in_place_wan"]
    if rule in STAGES:
        return _reached(schema, [rule], day)[rule], [
            c for s in STAGES for c in (f"{s}_on", f"{s}_reached") if c in schema]
    if isinstance(rule, str) and rule in schema:
        if schema[rule] == nw.Boolean or schema[rule] == nw.Object:
            return (nw.col(rule) == nw.lit(True)).fill_null(False), [rule]
        return (nw.col(rule) < _day_after(schema, rule, day)).fill_null(False), [rule]
    raise ZsAnalyticsError(
        f"performance == {rule!r}：应为 {list(PERFORMANCE_RULES)} 之一、"
        "{'min_funds_pct': x} 或 projects 的列名")


def stage_issues(projects: Any, /, *, as_of: Any = None) -> Any:
    """Stage dates that do not make sense: a later stage without an earlier one, or a later
    stage dated before an earlier one.

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger.
    as_of : str or date, optional
        Only later stages reached on or before this day count (a stage planned for next month
        is not a problem yet).

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per project and problem: ``project_id`` (when the
        ledger has one), ``unit`` (when present), ``problem`` (``missing_earlier_stage`` or
        ``out_of_order``), ``stage``, ``earlier_stage`` and a ``message`` in Chinese.

    Examples
    --------
    >>> import pandas as pd
    >>> ledger = pd.DataFrame({
    ...     "project_id": ["P1", "P2"], "unit": ["城关镇", "河口镇"],
    ...     "signed_on": pd.to_datetime(["2024-03-01", None]),
    ...     "landed_on": pd.to_datetime(["2024-02-01", None]),
    ...     "started_on": pd.to_datetime([None, "2024-04-01"]),
    ...     "producing_on": pd.to_datetime([None, None]),
    ... })
    >>> stage_issues(ledger)[["project_id", "problem", "stage", "earlier_stage"]]
      project_id                problem    stage earlier_stage
    0         P1           out_of_order   landed        signed
    1         P2  missing_earlier_stage  started        signed
    2         P2  missing_earlier_stage  started        landed
    """
    frame = to_narwhals(projects, argument="projects")
    return from_pandas(_stage_problems(frame, as_date(as_of) if as_of is not None else None), frame)


def _stage_problems(frame: Any, day: dt.date | None) -> pd.DataFrame:
    """The rows of :func:`stage_issues`, as pandas."""
    schema = dict(frame.collect_schema())
    present = [s for s in STAGES if f"{s}_on" in schema]
    require(frame, [f"{s}_on" for s in present[:1] or STAGES[:1]], table="projects")
    ids = [c for c in ("project_id", "unit") if c in schema]
    parts = []
    for j, later in enumerate(present):
        later_col = nw.col(f"{later}_on")
        counts = (_by_day(schema, later, day) if day else ~later_col.is_null()) \
            | _marked(schema, later)
        for earlier in present[:j]:
            earlier_col = nw.col(f"{earlier}_on")
            for problem, condition in (
                ("missing_earlier_stage", ~_known(schema, earlier)),
                ("out_of_order", (later_col < earlier_col).fill_null(False)),
            ):
                parts.append(frame.filter(counts & condition).select(
                    *[nw.col(c).cast(nw.String) for c in ids],
                    nw.lit(problem, dtype=nw.String).alias("problem"),
                    nw.lit(later, dtype=nw.String).alias("stage"),
                    nw.lit(earlier, dtype=nw.String).alias("earlier_stage"),
                    nw.lit(j, dtype=nw.Int64).alias("__zsa_j"),
                    nw.lit(present.index(earlier), dtype=nw.Int64).alias("__zsa_i"),
                ))
    columns = [*ids, "problem", "stage", "earlier_stage"]
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in [*columns, "message"]})
    found = collect_pandas(nw.concat(parts, how="vertical"))
    found = found.sort_values([*ids, "__zsa_j", "__zsa_i"], kind="stable")
    later_zh = found["stage"].map(STAGE_ZH)
    earlier_zh = found["earlier_stage"].map(STAGE_ZH)
    found["message"] = np.where(
        found["problem"] == "missing_earlier_stage",
        "有" + later_zh + "时间而无" + earlier_zh + "时间，按已" + earlier_zh + "计",
        later_zh + "时间早于" + earlier_zh + "时间",
    )
    return found[[*columns, "message"]].reset_index(drop=True)


def _timestamps(values: pd.Series) -> pd.Series:
    """Dates as time-zone-naive ``datetime64[ns]`` (Spark hands timestamps back in UTC)."""
    stamps = pd.to_datetime(values)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    return stamps.astype("datetime64[ns]")


def _days(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    """Whole days from ``earlier`` to ``later`` (float, NaN where either is missing)."""
    delta = _timestamps(later) - _timestamps(earlier)
    return (delta / pd.Timedelta(days=1)).to_numpy(dtype=float, na_value=np.nan)


def _km(duration: np.ndarray, reached: np.ndarray, horizons: Sequence[int], alpha: float,
        median: str = "statsmodels") -> dict:
    """Kaplan–Meier summary of one group (statsmodels' SurvfuncRight)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    out: dict[str, Any] = {"projects": len(duration), "reached": int(reached.sum()),
                           "censored": int(len(duration) - reached.sum())}
    nan = float("nan")
    if not len(duration) or not reached.any():
        out.update(median_days=nan, median_days_ci_lower=nan, median_days_ci_upper=nan)
        out.update({f"reached_{h}d_pct": (0.0 if len(duration) and duration.max() >= h else nan)
                    for h in horizons})
        return out
    fit = SurvfuncRight(duration, reached.astype(float))
    times, prob = np.asarray(fit.surv_times), np.asarray(fit.surv_prob)
    if median == "statsmodels":  # the first time S(t) < 0.5 (SAS, statsmodels)
        middle = fit.quantile(0.5)
    else:  # the first time S(t) ≤ 0.5 (lifelines)
        below = np.flatnonzero(prob <= 0.5 + 1e-12)
        middle = times[below[0]] if len(below) else nan
    with np.errstate(divide="ignore", invalid="ignore"):  # open intervals come back as inf/nan
        lower, upper = fit.quantile_ci(0.5, alpha=alpha)
    out.update(median_days=float(middle), median_days_ci_lower=float(lower),
               median_days_ci_upper=float(upper))
    # the curve reaches 0 (everyone got there) at the last event when no one is censored after
    # it; from then on the share is 100% however long anyone was followed
    all_reached_by = times[prob <= 1e-12][0] if (prob <= 1e-12).any() else np.inf
    for h in horizons:
        if h >= all_reached_by:
            out[f"reached_{h}d_pct"] = 100.0
            continue
        if duration.max() < h:  # nobody followed that long: the curve says nothing there
            out[f"reached_{h}d_pct"] = nan
            continue
        k = np.searchsorted(times, h, side="right")
        out[f"reached_{h}d_pct"] = 100.0 * (1.0 - (prob[k - 1] if k else 1.0))
    for key in ("median_days", "median_days_ci_lower", "median_days_ci_upper"):
        if not np.isfinite(out[key]):
            out[key] = nan
    return out


def time_to_stage(
    projects: Any,
    /,
    *,
    as_of: Any,
    start: str = "signed",
    end: str = "started",
    by: str | Sequence[str] | None = None,
    horizons: Sequence[int] = (90, 180, 365),
    alpha: float = 0.05,
    median: str = "statsmodels",
) -> Any:
    """How long projects take from one stage to another (e.g. 签约 → 开工), by Kaplan–Meier.

    A project that reached ``start`` by ``as_of`` but not ``end`` is *censored*: it has waited
    at least until ``as_of`` and may still get there. Counting it as a failure would make the
    wait look longer than it is, and leaving it out would make it look shorter (recent,
    still-pending projects would vanish); Kaplan–Meier uses exactly what is known.

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger.
    as_of : str or date
        The day the ledger is read on; see :func:`funnel`.
    start, end : str, default "signed", "started"
        Stages of :data:`STAGES`, ``start`` before ``end``.
    by : str or sequence of str, optional
        Group columns; a 合计 row covers all projects.
    horizons : sequence of int, default (90, 180, 365)
        Days for the ``reached_{h}d_pct`` columns.
    alpha : float, default 0.05
        The median's confidence interval is at level ``1 - alpha`` (statsmodels' default
        complementary log-log method).
    median : {"statsmodels", "lifelines"}, default "statsmodels"
        Which time counts as the median when the curve sits exactly at one half for a while:
        ``"statsmodels"`` takes the first time the curve falls *below* 0.5 (S(t) < 0.5, the
        SAS convention statsmodels follows), ``"lifelines"`` the first time it is *at or
        below* 0.5 (S(t) ≤ 0.5). With events at 10, 20, 30 and 40 days, S(20) = 0.5: the
        median is 30 days by the first and 20 by the second.

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per group: ``projects`` (reached ``start`` by
        ``as_of``), ``reached`` (also reached ``end``), ``censored``, ``median_days`` (the first
        time the curve falls below one half, the SAS convention statsmodels follows) with
        ``median_days_ci_lower`` / ``_upper`` (missing where the curve does not get there:
        too few have reached ``end``, or the interval is open), ``reached_{h}d_pct``
        (the estimated share reaching ``end`` within ``h`` days: 100 once every timed project
        has got there, missing where the curve is still open and no project has been
        followed that long), ``no_start_date`` (projects that reached ``end`` with no
        ``start`` date: they cannot be timed and are left out of the curve, counted here) and
        ``reached_undated`` (projects with a ``start`` date that the ledger marks as having
        reached ``end`` — ``{end}_reached`` True — with no date: left out of the curve too).
        ``projects``, ``reached`` and ``censored`` count the timed projects.
        A project whose ``end`` is dated before its ``start`` counts as 0 days (see
        :func:`stage_issues`).

    Examples
    --------
    Five projects signed on 1 January 2024, four of them started, one still waiting at the
    end of June (181 days, censored):

    >>> import pandas as pd
    >>> ledger = pd.DataFrame({
    ...     "signed_on": pd.to_datetime(["2024-01-01"] * 5),
    ...     "started_on": pd.to_datetime(["2024-01-31", "2024-03-01", "2024-03-31", "2024-04-30",
    ...                                   None]),
    ... })
    >>> out = time_to_stage(ledger, as_of="2024-06-30", horizons=(90, 180))
    >>> out[["projects", "reached", "censored", "median_days", "reached_90d_pct"]]
       projects  reached  censored  median_days  reached_90d_pct
    0         5        4         1         90.0             60.0
    """
    if start not in STAGES or end not in STAGES or STAGES.index(start) >= STAGES.index(end):
        raise ZsAnalyticsError(
            f"start == {start!r}，end == {end!r}：应为 {list(STAGES)} 中的阶段，"
            "且 start 在 end 之前")
    if not 0 < alpha < 1:
        raise ZsAnalyticsError(f"alpha == {alpha!r}：应在 0 和 1 之间")
    if median not in ("statsmodels", "lifelines"):
        raise ZsAnalyticsError(f"median == {median!r}：应为 'statsmodels' 或 'lifelines'")
    horizons = [int(h) for h in horizons]
    frame = to_narwhals(projects, argument="projects")
    day = as_date(as_of)
    groups = as_by(by)
    start_col, end_col = f"{start}_on", f"{end}_on"
    schema = require(frame, [*groups, start_col, end_col], table="projects")
    started = _by_day(schema, start, day)
    ended = _reached(schema, [end], day)[end]
    # reached through a later stage with no date of its own (started, no landing date): the
    # date of the next stage that has one (on or before as_of) stands in for it
    later = [f"{s}_on" for s in STAGES[STAGES.index(end):] if f"{s}_on" in schema]
    rows = collect_pandas(frame.filter(started | ended).select(
        *groups, start_col, *later, started.alias("__zsa_started"), ended.alias("__zsa_ended")))
    for c in groups:
        rows[c] = rows[c].astype("str")
    as_of_ts = pd.Timestamp(day)
    dates = pd.concat([_timestamps(rows[c]) for c in later], axis=1)
    reached_on = dates.where(dates <= as_of_ts).bfill(axis=1).iloc[:, 0]
    reached = rows["__zsa_ended"].to_numpy(dtype=bool)
    waited = np.where(reached, _days(reached_on, rows[start_col]),
                      _days(pd.Series(as_of_ts, index=rows.index), rows[start_col]))
    rows["__zsa_days"] = np.clip(waited, 0, None)  # out of order: reached at once
    # reached by a 是/√ mark with no date of its own or a later stage's: no duration
    undated = rows["__zsa_started"].to_numpy(dtype=bool) & reached & reached_on.isna().to_numpy()
    rows["__zsa_undated"] = undated
    rows["__zsa_timed"] = rows["__zsa_started"].to_numpy(dtype=bool) & ~undated
    summaries = []
    keys = [((), rows)] if not groups else [*rows.groupby(groups, sort=True, dropna=False),
                                            ((TOTAL_LABEL,) * len(groups), rows)]
    for key, part in keys:
        key = key if isinstance(key, tuple) else (key,)
        timed_part = part[part["__zsa_timed"]]
        summary = _km(timed_part["__zsa_days"].to_numpy(dtype=float),
                      timed_part["__zsa_ended"].to_numpy(dtype=bool), horizons, alpha, median)
        summary["no_start_date"] = int((~part["__zsa_started"]).sum())
        summary["reached_undated"] = int(part["__zsa_undated"].sum())
        summaries.append({**dict(zip(groups, key, strict=True)), **summary})
    columns = [*groups, "projects", "reached", "censored", "median_days", "median_days_ci_lower",
               "median_days_ci_upper", *[f"reached_{h}d_pct" for h in horizons], "no_start_date",
               "reached_undated"]
    out = pd.DataFrame(summaries, columns=columns)
    for c in ("projects", "reached", "censored", "no_start_date", "reached_undated"):
        out[c] = out[c].astype("int64")
    return from_pandas(out, frame)


def _check_deadlines(rules: Any) -> list[dict[str, Any]]:
    if isinstance(rules, Mapping):
        rules = [{"rule": name, **rule} for name, rule in rules.items()]
    checked = []
    for rule in rules:
        if not isinstance(rule, Mapping):
            raise ZsAnalyticsError(f"期限规则 {rule!r} 应为字典，如 {DEFAULT_DEADLINES[0]}")
        name = rule.get("rule")
        after, missing = rule.get("after"), rule.get("missing")
        days, min_pct = rule.get("days"), rule.get("min_funds_pct")
        unknown = set(rule) - {"rule", "zh", "after", "missing", "days", "min_funds_pct"}
        problem = None
        if unknown:
            problem = f"有未知的键 {sorted(unknown)}"
        elif not isinstance(name, str) or not name:
            problem = "缺少规则名 'rule'"
        elif after not in STAGES:
            problem = f"'after' 应为 {list(STAGES)} 之一"
        elif (missing is None) == (min_pct is None):
            problem = "'missing'（后一阶段）和 'min_funds_pct' 须有且只有一个"
        elif missing is not None and (missing not in STAGES
                                      or STAGES.index(missing) <= STAGES.index(after)):
            problem = f"'missing' 应为 {after!r} 之后的阶段"
        elif isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
            problem = "'days' 应为 ≥ 0 的天数"
        elif min_pct is not None and (isinstance(min_pct, bool)
                                      or not isinstance(min_pct, int | float) or min_pct <= 0):
            problem = "'min_funds_pct' 应为大于 0 的百分比"
        if problem:
            raise ZsAnalyticsError(f"期限规则 {dict(rule)!r}：{problem}")
        zh = rule.get("zh") or (
            f"{STAGE_ZH[after]}超{days:g}天未{STAGE_ZH[missing]}" if missing
            else f"{STAGE_ZH[after]}超{days:g}天资金到位不足{min_pct:g}%")
        checked.append({**rule, "zh": zh, "days": float(days)})
    return checked


def stage_warnings(
    projects: Any,
    /,
    *,
    as_of: Any,
    rules: Sequence[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]] = DEFAULT_DEADLINES,
) -> Any:
    """Projects overdue for their next stage: the lists units are asked about at the monthly
    meeting (月例会).

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger.
    as_of : str or date
        The day of the check; see :func:`funnel`.
    rules : sequence of mappings, default :data:`DEFAULT_DEADLINES`
        Each rule has a ``rule`` name, an ``after`` stage, ``days``, and either ``missing`` (a
        later stage not reached within ``days`` of ``after``) or ``min_funds_pct`` (funds in
        place below this share of the contract amount ``days`` after ``after``); ``zh``
        words it for the list (written from the rule when left out). A mapping of name → rule
        is accepted too, so rules can come straight from a YAML or TOML file.

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per overdue project and rule, sorted by unit and
        most overdue first: ``unit``, ``project_id`` and ``project_name`` (when present),
        ``rule``, ``rule_zh``, ``since`` (the date of the ``after`` stage), ``due`` (``since``
        + ``days``), ``days_overdue`` (days past ``due`` at ``as_of``), and ``contract_wan``,
        ``funds_in_place_wan`` and ``funds_pct`` when the ledger has them.

        A project that has reached a later stage is not overdue for an earlier one, nor is a
        project the ledger marks as having reached the ``missing`` stage (or a later one)
        with no date (``{stage}_reached`` True); a project with no date for ``after`` is not
        timed (see :func:`stage_issues`).

    Examples
    --------
    >>> import pandas as pd
    >>> ledger = pd.DataFrame({
    ...     "project_id": ["P1", "P2", "P3"], "project_name": ["纺织项目", "物流项目", "医药项目"],
    ...     "unit": ["城关镇", "城关镇", "河口镇"],
    ...     "signed_on": pd.to_datetime(["2024-01-02", "2024-05-01", "2023-06-01"]),
    ...     "landed_on": pd.to_datetime([None, None, "2023-08-01"]),
    ...     "started_on": pd.to_datetime([None, None, "2023-10-01"]),
    ...     "producing_on": pd.to_datetime([None, None, None]),
    ... })
    >>> out = stage_warnings(ledger, as_of="2024-06-30",
    ...                      rules=[{"rule": "not_landed", "after": "signed", "missing": "landed",
    ...                              "days": 90}])
    >>> out[["unit", "project_name", "rule_zh", "days_overdue"]]
      unit project_name    rule_zh  days_overdue
    0  城关镇         纺织项目  签约超90天未落地            90
    """
    rules = _check_deadlines(rules)
    frame = to_narwhals(projects, argument="projects")
    day = as_date(as_of)
    schema = dict(frame.collect_schema())
    needed = {f"{r['after']}_on" for r in rules} | {f"{r['missing']}_on" for r in rules
                                                     if r.get("missing")}
    has_money = {"contract_wan", "funds_in_place_wan"} <= set(schema)
    if any(r.get("min_funds_pct") for r in rules) and not has_money:
        require(frame, ["contract_wan", "funds_in_place_wan"], table="projects")
    require(frame, sorted(needed), table="projects")
    ids = [c for c in ("unit", "project_id", "project_name") if c in schema]
    money = ["contract_wan", "funds_in_place_wan"] if has_money else []
    parts = []
    for rule in rules:
        after = rule["after"]
        cutoff = day - dt.timedelta(days=rule["days"])
        # more than `days` since `after`: its date is on or before as_of - days - 1
        waited = _by_day(schema, after, cutoff - dt.timedelta(days=1))
        if rule.get("missing"):
            overdue = ~_reached(schema, [rule["missing"]], day)[rule["missing"]]
        else:
            share = nw.col("funds_in_place_wan").fill_null(0.0) * 100.0
            overdue = ((nw.col("contract_wan") > 0)
                       & (share < nw.col("contract_wan") * float(rule["min_funds_pct"]))).fill_null(False)
        parts.append(frame.filter(waited & overdue).select(
            *[nw.col(c).cast(nw.String) for c in ids],
            nw.lit(rule["rule"], dtype=nw.String).alias("rule"),
            nw.lit(rule["zh"], dtype=nw.String).alias("rule_zh"),
            nw.col(f"{after}_on").alias("since"),
            nw.lit(rule["days"], dtype=nw.Float64).alias("__zsa_days"),
            *[nw.col(c).cast(nw.Float64) for c in money],
        ))
    found = collect_pandas(nw.concat(parts, how="vertical")) if parts else pd.DataFrame()
    since = _timestamps(found["since"])
    found["since"] = since
    found["due"] = since + pd.to_timedelta(found["__zsa_days"], unit="D")
    found["days_overdue"] = ((pd.Timestamp(day) - found["due"]) / pd.Timedelta(days=1)).astype("int64")
    if money:
        with np.errstate(divide="ignore", invalid="ignore"):
            found["funds_pct"] = np.where(found["contract_wan"] > 0,
                                          100.0 * found["funds_in_place_wan"] / found["contract_wan"],
                                          np.nan)
    found = found.sort_values([*ids[:1], "days_overdue", *ids[1:2], "rule"],
                              ascending=[True] * len(ids[:1]) + [False] + [True] * (len(ids[1:2]) + 1),
                              kind="stable")
    columns = [*ids, "rule", "rule_zh", "since", "due", "days_overdue",
               *([*money, "funds_pct"] if money else [])]
    return from_pandas(found[columns], frame)
