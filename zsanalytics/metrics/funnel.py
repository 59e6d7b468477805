"""Signing to landing (签约 → 落地 → 开工 → 投产): the project funnel by unit and cohort, the
conversion rates reports use, time to a stage with Kaplan–Meier, and the overdue lists.

Stage dates live in the project ledger (:data:`zsanalytics.PROJECTS`) as ``signed_on``,
``landed_on``, ``started_on`` and ``producing_on``. A project has reached a stage by ``as_of``
when that stage's date, or the date of any later stage, is on or before ``as_of``: a project
that started without a recorded landing has landed. Such gaps and dates out of order are
counted that way and listed by :func:`stage_issues`; :func:`funnel` warns when there are any.

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
from ._core import TOTAL_LABEL, as_by, require
from ._months import as_date

__all__ = [
    "DEFAULT_DEADLINES",
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

#: The conversion rates of :func:`conversion`, named as reports and assessment rules name them.
RATES_ZH = {
    "landing_rate_pct": "落地率（履约率）",
    "start_rate_pct": "签约项目开工率",
    "production_rate_pct": "开工项目投产率",
    "funds_rate_pct": "资金到位率",
}

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
            f"stages == {stages!r}, must be some of {list(STAGES)} in that order")
    if sorted(stages, key=STAGES.index) != stages or len(set(stages)) != len(stages):
        raise ZsAnalyticsError(f"stages == {stages!r} must be in funnel order: {list(STAGES)}")
    return stages


def _day_after(schema: Mapping[str, Any], column: str, day: dt.date) -> Any:
    """A literal for ``column < literal`` meaning "on or before ``day``", in the column's type."""
    dtype = schema[column]
    after = day + dt.timedelta(days=1)
    if dtype == nw.Date:
        return after
    if dtype == nw.Datetime:
        return dt.datetime(after.year, after.month, after.day)
    raise ZsAnalyticsError(
        f"projects.{column} has type {dtype}, must be a date; parse text dates with "
        "zsanalytics.parse_date"
    )


def _by_day(schema: Mapping[str, Any], stage: str, day: dt.date) -> Any:
    """The stage's date is on or before ``day`` (False when missing)."""
    column = f"{stage}_on"
    return (nw.col(column) < _day_after(schema, column, day)).fill_null(False)


def _reached(schema: Mapping[str, Any], stages: Sequence[str], day: dt.date,
             on_time: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Per stage: the project reached it or any later stage of :data:`STAGES` by ``day``.
    ``on_time`` may give the per-stage "dated by ``day``" expressions (e.g. as columns
    computed once)."""
    if on_time is None:
        on_time = {s: _by_day(schema, s, day) for s in STAGES if f"{s}_on" in schema}
    later = list(STAGES)
    return {
        s: functools.reduce(operator.or_, [on_time[t] for t in later[later.index(s):] if t in on_time])
        for s in stages
    }


def _cohort(cohort: str | None, schema: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Group columns and expressions for ``cohort``: ``signed_year`` is derived from
    ``signed_on``; any other value names a column of the ledger."""
    if cohort is None:
        return [], {}
    if cohort == "signed_year":
        if "signed_on" not in schema:
            raise ZsAnalyticsError("cohort='signed_year' needs the projects.signed_on column")
        return ["signed_year"], {"signed_year": nw.col("signed_on").dt.year().cast(nw.Int64)}
    if not isinstance(cohort, str) or cohort not in schema:
        raise ZsAnalyticsError(
            f"cohort == {cohort!r}, must be 'signed_year' or a column of projects")
    return [cohort], {}


def _problem_flag(schema: Mapping[str, Any], on_time: Mapping[str, Any]) -> Any:
    """True for a project that :func:`stage_issues` lists: a stage reached (``on_time``) with
    an earlier stage missing or dated after it.

    Checking each stage against the one before suffices: if every earlier date is present
    and each is on or before the next, none is after a later one (and a stage dated before
    ``as_of`` with its predecessor on or before it makes that predecessor reached too, so
    gaps further down are caught by the predecessor's own check)."""
    present = [s for s in STAGES if f"{s}_on" in schema]
    flags = [
        on_time[later] & (nw.col(f"{earlier}_on").is_null()
                          | (nw.col(f"{later}_on") < nw.col(f"{earlier}_on")).fill_null(False))
        for earlier, later in itertools.pairwise(present)
    ]
    return functools.reduce(operator.or_, flags) if flags else nw.lit(False)


_PROBLEMS = "__zsa_problems"


def _counts(projects: Any, *, as_of: Any, stages: Sequence[str], by: Any, cohort: Any,
            money: bool = False) -> tuple[pd.DataFrame, list[str], list[str], list[str], Any]:
    """Projects reaching each stage by ``as_of`` per group, with a 合计 group (per cohort) when
    ``by`` is given, as a small pandas table with one count column per stage; with ``money``,
    also the contract amount and funds in place of the signed CNY projects.

    One aggregation on the ledger's own engine does all of it, including the count of projects
    with stage date problems (for the warning); the totals are summed from the groups."""
    frame = to_narwhals(projects, argument="projects")
    day = as_date(as_of)
    stages = _check_stages(stages)
    groups = as_by(by)
    schema = require(frame, [*groups, *(f"{s}_on" for s in stages)], table="projects")
    cohort_cols, cohort_exprs = _cohort(cohort, schema)
    if set(groups) & set(cohort_cols):
        raise ZsAnalyticsError(f"cohort {cohort!r} is also in by={groups!r}")
    # each stage's "dated by as_of" once, as a column: engines without common-subexpression
    # elimination (pandas) would otherwise compare the same dates several times
    flags = {s: f"__zsa_by_{s}" for s in STAGES if f"{s}_on" in schema}
    used = [*groups, *(f"{s}_on" for s in flags), *cohort_cols, "contract_wan",
            "funds_in_place_wan", "currency"]
    frame = frame.select(*[c for c in dict.fromkeys(used) if c in schema])
    frame = frame.with_columns(**{c: _by_day(schema, s, day) for s, c in flags.items()})
    on_time = {s: nw.col(c) for s, c in flags.items()}
    reached = _reached(schema, stages, day, on_time)
    aggs = {s: reached[s].cast(nw.Int64) for s in stages}
    aggs[_PROBLEMS] = _problem_flag(schema, on_time).cast(nw.Int64)
    if money:
        require(frame, ["contract_wan", "funds_in_place_wan"], table="projects")
        counted = reached["signed"]
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
        if c in (*stages, _PROBLEMS):
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
            f"{n} project(s) in the ledger have a later stage without an earlier one, or stage "
            "dates out of order; they are counted as having reached the earlier stages. List "
            "them with zsanalytics.stage_issues(projects, as_of=...).",
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
    cohort: str | None = None,
) -> Any:
    """The project funnel 签约 → 落地 → 开工 → 投产: how many projects reached each stage by
    ``as_of``, and the conversion from the stage before and from the first.

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger (:data:`zsanalytics.PROJECTS`), with a ``{stage}_on`` date column
        per stage. Any engine narwhals supports.
    as_of : str or date
        The day of the count: ``"2024-06-30"``, or a month (``"2024-06"`` means its last day).
        A stage date after it does not count yet.
    stages : sequence of str, default ("signed", "landed", "started", "producing")
        Stages to show, in funnel order.
    by : str or sequence of str, optional
        Group columns, e.g. ``"unit"``; a 合计 group is added.
    cohort : str, optional
        ``"signed_year"`` for one funnel per signing year, or a column of the ledger (such as
        ``is_new``).

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
    Four projects as of the end of June 2024 (the third starts in July, so it has only landed):

    >>> import pandas as pd
    >>> ledger = pd.DataFrame({
    ...     "unit": ["城关镇", "城关镇", "城关镇", "河口镇"],
    ...     "signed_on": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-05-01"]),
    ...     "landed_on": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-04-01", None]),
    ...     "started_on": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-07-01", None]),
    ...     "producing_on": pd.to_datetime(["2024-06-01", None, None, None]),
    ... })
    >>> funnel(ledger, as_of="2024-06")[["stage_zh", "count", "rate_from_previous_pct"]].round(1)
      stage_zh  count  rate_from_previous_pct
    0       签约      4                     NaN
    1       落地      3                    75.0
    2       开工      2                    66.7
    3       投产      1                    50.0
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
    cohort: str | None = None,
) -> Any:
    """The conversion rates reports and assessment rules use, by group and cohort.

    Parameters
    ----------
    projects : DataFrame-like
        The project ledger with all four stage dates, ``contract_wan`` and
        ``funds_in_place_wan``.
    as_of, by, cohort
        As for :func:`funnel`.

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per group × cohort (合计 last when ``by`` is given):
        ``signed``, ``landed``, ``started``, ``producing`` (projects reaching each stage by
        ``as_of``), ``contract_wan`` and ``funds_in_place_wan`` (of the signed projects in 万元;
        projects in another currency are left out rather than mixed in), and

        - ``landing_rate_pct``: 落地率 / 履约率, landed ÷ signed;
        - ``start_rate_pct``: 签约项目开工率, started ÷ signed;
        - ``production_rate_pct``: 开工项目投产率, producing ÷ started;
        - ``funds_rate_pct``: 资金到位率, funds in place ÷ contract amount.

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
    """
    counts, _, groups, cohort_cols, frame = _counts(
        projects, as_of=as_of, stages=STAGES, by=by, cohort=cohort, money=True)
    out = counts[[*groups, *cohort_cols, *STAGES, "contract_wan", "funds_in_place_wan"]].copy()
    out["landing_rate_pct"] = _rate(counts["landed"], counts["signed"])
    out["start_rate_pct"] = _rate(counts["started"], counts["signed"])
    out["production_rate_pct"] = _rate(counts["producing"], counts["started"])
    out["funds_rate_pct"] = _rate(counts["funds_in_place_wan"], counts["contract_wan"])
    return from_pandas(out, frame)


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
        counts = _by_day(schema, later, day) if day else ~later_col.is_null()
        for earlier in present[:j]:
            earlier_col = nw.col(f"{earlier}_on")
            for problem, condition in (
                ("missing_earlier_stage", earlier_col.is_null()),
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


def _km(duration: np.ndarray, reached: np.ndarray, horizons: Sequence[int], alpha: float) -> dict:
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
    median = fit.quantile(0.5)
    with np.errstate(divide="ignore", invalid="ignore"):  # open intervals come back as inf/nan
        lower, upper = fit.quantile_ci(0.5, alpha=alpha)
    out.update(median_days=float(median), median_days_ci_lower=float(lower),
               median_days_ci_upper=float(upper))
    times, prob = np.asarray(fit.surv_times), np.asarray(fit.surv_prob)
    for h in horizons:
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

    Returns
    -------
    DataFrame-like
        Same type as ``projects``, one row per group: ``projects`` (reached ``start`` by
        ``as_of``), ``reached`` (also reached ``end``), ``censored``, ``median_days`` (the first
        time the curve falls below one half, the SAS convention statsmodels follows) with
        ``median_days_ci_lower`` / ``_upper`` (missing where the curve does not get there:
        too few have reached ``end``, or the interval is open), ``reached_{h}d_pct``
        (the estimated share reaching ``end`` within ``h`` days; missing where no project has
        been followed that long) and ``no_start_date`` (projects that reached ``end`` with no
        ``start`` date: they cannot be timed and are left out of the curve, counted here).
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
            f"start == {start!r} and end == {end!r}, must be stages of {list(STAGES)} with "
            "start before end")
    if not 0 < alpha < 1:
        raise ZsAnalyticsError(f"alpha == {alpha!r}, must be between 0 and 1")
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
    rows["__zsa_timed"] = rows["__zsa_started"].to_numpy(dtype=bool)
    summaries = []
    keys = [((), rows)] if not groups else [*rows.groupby(groups, sort=True, dropna=False),
                                            ((TOTAL_LABEL,) * len(groups), rows)]
    for key, part in keys:
        key = key if isinstance(key, tuple) else (key,)
        timed_part = part[part["__zsa_timed"]]
        summary = _km(timed_part["__zsa_days"].to_numpy(dtype=float),
                      timed_part["__zsa_ended"].to_numpy(dtype=bool), horizons, alpha)
        summary["no_start_date"] = int((~part["__zsa_started"]).sum())
        summaries.append({**dict(zip(groups, key, strict=True)), **summary})
    columns = [*groups, "projects", "reached", "censored", "median_days", "median_days_ci_lower",
               "median_days_ci_upper", *[f"reached_{h}d_pct" for h in horizons], "no_start_date"]
    out = pd.DataFrame(summaries, columns=columns)
    for c in ("projects", "reached", "censored", "no_start_date"):
        out[c] = out[c].astype("int64")
    return from_pandas(out, frame)


def _check_deadlines(rules: Any) -> list[dict[str, Any]]:
    if isinstance(rules, Mapping):
        rules = [{"rule": name, **rule} for name, rule in rules.items()]
    checked = []
    for rule in rules:
        if not isinstance(rule, Mapping):
            raise ZsAnalyticsError(f"deadline {rule!r} must be a mapping like {DEFAULT_DEADLINES[0]}")
        name = rule.get("rule")
        after, missing = rule.get("after"), rule.get("missing")
        days, min_pct = rule.get("days"), rule.get("min_funds_pct")
        unknown = set(rule) - {"rule", "zh", "after", "missing", "days", "min_funds_pct"}
        problem = None
        if unknown:
            problem = f"has unknown key(s) {sorted(unknown)}"
        elif not isinstance(name, str) or not name:
            problem = "needs a 'rule' name"
        elif after not in STAGES:
            problem = f"'after' must be one of {list(STAGES)}"
        elif (missing is None) == (min_pct is None):
            problem = "needs exactly one of 'missing' (a later stage) or 'min_funds_pct'"
        elif missing is not None and (missing not in STAGES
                                      or STAGES.index(missing) <= STAGES.index(after)):
            problem = f"'missing' must be a stage after {after!r}"
        elif isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
            problem = "'days' must be a number of days ≥ 0"
        elif min_pct is not None and (isinstance(min_pct, bool)
                                      or not isinstance(min_pct, int | float) or min_pct <= 0):
            problem = "'min_funds_pct' must be a percentage > 0"
        if problem:
            raise ZsAnalyticsError(f"deadline {dict(rule)!r} {problem}")
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

        A project that has reached a later stage is not overdue for an earlier one, and a
        project with no date for ``after`` is not timed (see :func:`stage_issues`).

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
