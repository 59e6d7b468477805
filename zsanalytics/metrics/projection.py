"""Year-end projection (全年预计) with its uncertainty, and a backtest that says how far to
trust it.

The heavy lifting (summing millions of monthly rows to one value per group and month) runs on
the table's own engine through narwhals; the statistics run on that small aggregated result
with numpy, scipy and statsmodels.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from scipy import stats

from .._frame import collect_pandas, from_pandas, to_narwhals
from ..errors import ZsAnalyticsError
from ._core import TOTAL_LABEL, as_by, month_literal, require
from ._months import as_month, month_bounds
from .targets import _indicator, pick_targets

__all__ = ["METHODS", "YearEndProjection", "backtest", "project_year_end"]

#: Projection methods: ``seasonal`` (the group's own historical share of the year reached by
#: each month) and ``ets`` (statsmodels exponential smoothing on the monthly series).
METHODS = ("seasonal", "ets")

_NOTES = {
    "no_ytd": "本年尚无实绩，无法按历史进度推算",
    "no_history": "无可用的历史完整年度",
    "one_year": "历史仅一年，无法估计区间",
    "short": "月度序列不足24个月，无法拟合季节模型",
    "year_end": "已到年末，预计即实际",
    "not_converged": "模型未收敛，结果仅供参考",
}


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ZsAnalyticsError(f"method == {method!r}, must be one of {list(METHODS)}")
    return method


def _check_level(level: float) -> float:
    if not isinstance(level, int | float) or not 0 < level < 1:
        raise ZsAnalyticsError(f"level == {level!r}, must be a probability between 0 and 1, e.g. 0.8")
    return float(level)


def monthly_history(
    funds: Any,
    *,
    through: tuple[int, int],
    by: list[str],
    value_col: str,
    currency: str | None,
) -> pd.DataFrame:
    """Monthly sums per group through ``through`` = (year, month), collected to pandas: columns
    ``by``, ``year``, ``month_no``, ``value``."""
    frame = to_narwhals(funds)
    schema = require(frame, [*by, "month", value_col], table="funds")
    _, end = month_bounds(*through)
    keep = nw.col("month") < month_literal(schema["month"], end, table="funds", column="month")
    if currency is not None and "currency" in schema:
        keep = keep & (nw.col("currency") == currency)
    staged = frame.filter(keep).with_columns(
        nw.col("month").dt.year().cast(nw.Int64).alias("year"),
        nw.col("month").dt.month().cast(nw.Int64).alias("month_no"),
    )
    keys = [*by, "year", "month_no"]
    summed = staged.group_by(*keys).agg(nw.col(value_col).sum().alias("value"))
    out = collect_pandas(summed)
    for c in by:
        out[c] = out[c].astype(str)
    return out


def _cube(history: pd.DataFrame, by: list[str], first_year: int, last_year: int):
    """History as an array (groups, years, 12), with the group keys in order and a 合计 group
    (the sum over groups) last."""
    years = np.arange(first_year, last_year + 1)
    if by:
        keys = history[by].drop_duplicates().sort_values(by).reset_index(drop=True)
        g = history[by].merge(keys.reset_index(), on=by, how="left")["index"].to_numpy()
    else:
        keys = pd.DataFrame(index=[0])
        g = np.zeros(len(history), dtype=int)
    cube = np.zeros((len(keys), len(years), 12))
    yi = history["year"].to_numpy() - first_year
    mi = history["month_no"].to_numpy() - 1
    ok = (yi >= 0) & (yi < len(years))
    np.add.at(cube, (g[ok], yi[ok], mi[ok]),
              history["value"].to_numpy(dtype=float)[ok])
    if by and len(keys) > 1:
        total_key = pd.DataFrame({c: [TOTAL_LABEL] for c in by})
        keys = pd.concat([keys, total_key], ignore_index=True)
        cube = np.concatenate([cube, cube.sum(axis=0, keepdims=True)], axis=0)
    return keys, years, cube


def _seasonal(cube: np.ndarray, years: np.ndarray, year: int, month: int, level: float,
              target: np.ndarray, min_year: int | None = None) -> dict[str, np.ndarray]:
    """Vectorised over groups: project ytd ÷ (historical share of the year reached by
    ``month``), on the log scale, with a Student-t prediction interval."""
    y = int(np.searchsorted(years, year))
    past = cube[:, :y, :]
    if min_year is not None:
        past = past[:, int(np.searchsorted(years, min_year)):, :]
    ytd = cube[:, y, :month].sum(axis=1)
    cum = past[:, :, :month].sum(axis=2)
    full = past.sum(axis=2)
    valid = (cum > 0) & (full > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(valid, np.log(np.where(valid, full / np.where(valid, cum, 1.0), 1.0)), np.nan)
    n = valid.sum(axis=1)
    mean = np.where(n > 0, np.nansum(r, axis=1) / np.maximum(n, 1), np.nan)
    dev = np.where(valid, r - mean[:, None], 0.0)
    sd = np.where(n > 1, np.sqrt((dev ** 2).sum(axis=1) / np.maximum(n - 1, 1)), np.nan)
    scale = sd * np.sqrt(1 + 1 / np.maximum(n, 1))
    q = np.where(n > 1, stats.t.ppf((1 + level) / 2, np.maximum(n - 1, 1)), np.nan)
    positive = ytd > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ytd = np.log(np.where(positive, ytd, 1.0))
        projected = np.where(positive, np.exp(log_ytd + mean), np.nan)
        lower = np.where(positive, np.exp(log_ytd + mean - q * scale), np.nan)
        upper = np.where(positive, np.exp(log_ytd + mean + q * scale), np.nan)
        z = (np.log(np.where(target > 0, target, 1.0)) - log_ytd - mean) / np.where(scale > 0, scale, 1.0)
        prob = 1 - stats.t.cdf(z, np.maximum(n - 1, 1))
    prob = np.where(scale > 0, prob, np.where(projected >= target, 1.0, 0.0))
    prob = np.where(positive & (n > 1) & (target > 0), prob, np.nan)
    prob = np.where((ytd >= target) & (target > 0), 1.0, prob)
    note = np.where(~positive, _NOTES["no_ytd"],
                    np.where(n == 0, _NOTES["no_history"], np.where(n == 1, _NOTES["one_year"], "")))
    if month == 12:
        projected = lower = upper = ytd.astype(float)
        prob = np.where(target > 0, (ytd >= target).astype(float), np.nan)
        note = np.full(len(ytd), _NOTES["year_end"])
    return {"ytd": ytd, "projected": projected, "lower": lower, "upper": upper,
            "prob_meet_target": prob, "history_years": n, "note": note}


def _ets(cube: np.ndarray, years: np.ndarray, year: int, month: int, level: float,
         target: np.ndarray, n_sims: int, random_state: int,
         min_year: int | None = None) -> dict[str, np.ndarray]:
    """Per group: statsmodels ETS (additive error and season, no trend) on the monthly series
    through ``month``, simulated forward to December."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = int(np.searchsorted(years, year))
    start = 0 if min_year is None else int(np.searchsorted(years, min_year))
    n_groups = cube.shape[0]
    out = {k: np.full(n_groups, np.nan) for k in ("projected", "lower", "upper", "prob_meet_target")}
    ytd = cube[:, y, :month].sum(axis=1)
    note = np.full(n_groups, "", dtype=object)
    h = 12 - month
    series_len = (y - start) * 12 + month
    index = pd.date_range(f"{years[start]}-01-01", periods=series_len, freq="MS")
    alpha = (1 - level) / 2
    for g in range(n_groups):
        if h == 0:
            out["projected"][g] = out["lower"][g] = out["upper"][g] = ytd[g]
            out["prob_meet_target"][g] = float(ytd[g] >= target[g]) if target[g] > 0 else np.nan
            note[g] = _NOTES["year_end"]
            continue
        values = cube[g, start:y + 1, :].reshape(-1)[:series_len]
        if series_len < 24:
            note[g] = _NOTES["short"]
            continue
        if not np.any(values[:-month] if month else values):
            note[g] = _NOTES["no_history"]
            continue
        series = pd.Series(values, index=index)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = ETSModel(series, error="add", trend=None, seasonal="add", seasonal_periods=12)
            fit = model.fit(disp=False)
            point = float(np.asarray(fit.forecast(h)).sum())
            sims = np.asarray(
                fit.simulate(h, anchor="end", repetitions=n_sims, rng=np.random.default_rng(random_state + g))
            ).reshape(h, n_sims)
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            note[g] = _NOTES["not_converged"]
        totals = ytd[g] + sims.sum(axis=0)
        out["projected"][g] = ytd[g] + point
        out["lower"][g], out["upper"][g] = np.quantile(totals, [alpha, 1 - alpha])
        if target[g] > 0:
            out["prob_meet_target"][g] = float(np.mean(totals >= target[g]))
    history = np.full(n_groups, y - start)
    return {"ytd": ytd, **out, "history_years": history, "note": note}


class YearEndProjection:
    """Project the year-end total per group from the year to date, with a prediction interval
    and the probability of meeting the target.

    Options go in the constructor, :meth:`fit` returns ``self``, fitted attributes end in
    ``_`` and :attr:`summary` is a pandas DataFrame (the lifelines convention).

    Parameters
    ----------
    method : {"seasonal", "ets"}, default "seasonal"
        ``"seasonal"``: year-to-date ÷ the group's own historical share of the year reached
        by this month, averaged on the log scale over past years; the interval comes from how
        much that share varied (Student-t, so few years give a wide interval).
        ``"ets"``: statsmodels exponential smoothing (additive error and seasonality, no
        trend) fitted to the monthly series; the interval and probability come from
        ``n_sims`` simulated paths to December.
    level : float, default 0.8
        Coverage of the prediction interval.
    indicator, by, value_col, currency
        As in :func:`zsanalytics.completion`.
    n_sims : int, default 2000
        Simulated paths per group (``"ets"``).
    random_state : int, default 0
        Seed of the simulations, so results repeat.

    Attributes
    ----------
    history_ : pandas.DataFrame
        The monthly sums the projection was fitted on (``by``, ``year``, ``month_no``,
        ``value``).
    summary : pandas.DataFrame
        One row per group and a 合计 row; columns as in :func:`project_year_end`.
    """

    def __init__(self, method: str = "seasonal", *, level: float = 0.8,
                 indicator: str = "funds_in_place", by: Any = ("unit",),
                 value_col: str = "amount_wan", currency: str | None = None,
                 n_sims: int = 2000, random_state: int = 0) -> None:
        self.method = _check_method(method)
        self.level = _check_level(level)
        self.indicator = indicator
        self.by = as_by(by)
        self.value_col = value_col
        self.currency = currency
        self.n_sims = int(n_sims)
        self.random_state = int(random_state)

    def __repr__(self) -> str:
        return f"YearEndProjection(method={self.method!r}, level={self.level})"

    def fit(self, funds: Any, targets: Any = None, *, as_of: Any) -> YearEndProjection:
        """Fit on ``funds`` through ``as_of`` (later months are ignored); ``targets`` is
        optional and gives the probability of meeting them."""
        year, month = as_month(as_of)
        currency, sfx = _indicator(self.indicator, self.currency, self.value_col)
        self.as_of_ = (year, month)
        self.suffix_ = sfx
        self.history_ = monthly_history(
            funds, through=(year, month), by=self.by, value_col=self.value_col, currency=currency
        )
        self.summary = self._project(self.history_, year, month, self._targets(targets, year))
        return self

    def _targets(self, targets: Any, year: int) -> pd.DataFrame | None:
        if targets is None:
            return None
        table = pick_targets(targets, groups=self.by, year=year, indicator=self.indicator)
        if not self.by:
            return pd.DataFrame({"target": [table["target"].sum() if len(table) else np.nan]})
        return table

    def _project(self, history: pd.DataFrame, year: int, month: int,
                 targets: pd.DataFrame | None, min_year: int | None = None) -> pd.DataFrame:
        if history.empty:
            raise ZsAnalyticsError(f"funds has no rows through {year}-{month:02d} to project from")
        first = int(history["year"].min())
        keys, years, cube = _cube(history, self.by, min(first, year), year)
        target = np.full(len(keys), np.nan)
        if targets is not None and len(targets):
            if self.by:
                merged = keys.merge(targets, on=self.by, how="left")
                target = merged["target"].to_numpy(dtype=float, copy=True)
                if len(keys) > 1:
                    target[-1] = np.nansum(target[:-1]) if np.isfinite(target[:-1]).any() else np.nan
            else:
                target = targets["target"].to_numpy(dtype=float, copy=True)
        if self.method == "seasonal":
            res = _seasonal(cube, years, year, month, self.level, target, min_year)
        else:
            res = _ets(cube, years, year, month, self.level, target, self.n_sims,
                       self.random_state, min_year)
        sfx = self.suffix_
        out = keys.copy() if self.by else pd.DataFrame(index=range(len(target)))
        out["year"] = year
        out["through_month"] = month
        out["method"] = self.method
        out[f"ytd{sfx}"] = res["ytd"]
        out[f"projected{sfx}"] = res["projected"]
        out[f"lower{sfx}"] = res["lower"]
        out[f"upper{sfx}"] = res["upper"]
        out["level"] = self.level
        out[f"target{sfx}"] = target
        with np.errstate(divide="ignore", invalid="ignore"):
            out["projected_completion_pct"] = np.where(target > 0, res["projected"] / target * 100, np.nan)
        out["prob_meet_target"] = res["prob_meet_target"]
        out["history_years"] = np.asarray(res["history_years"], dtype="int64")
        out["note"] = pd.Series(res["note"], dtype="str").replace("", pd.NA)
        return out.reset_index(drop=True)


def project_year_end(
    funds: Any,
    targets: Any = None,
    /,
    *,
    as_of: Any,
    method: str = "seasonal",
    level: float = 0.8,
    indicator: str = "funds_in_place",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    n_sims: int = 2000,
    random_state: int = 0,
) -> Any:
    """Year-end projection (全年预计) per group and in total, with a prediction interval and the
    probability of meeting the target.

    Parameters
    ----------
    funds : DataFrame-like
        Monthly funds (:data:`zsanalytics.FUNDS`) with past years: the history is what the
        projection learns the calendar of arrivals from. Months after ``as_of`` are ignored.
    targets : DataFrame-like, optional
        Annual targets (:data:`zsanalytics.TARGETS`); without them the target columns and
        the probability are missing.
    as_of : str, date or Period
        The last month with data.
    method : {"seasonal", "ets"}, default "seasonal"
        See :class:`YearEndProjection`.
    level : float, default 0.8
        Coverage of the prediction interval.
    indicator, by, value_col, currency
        As in :func:`zsanalytics.completion`.
    n_sims, random_state
        Simulation settings for ``"ets"``.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``; one row per group and a 合计 row (the county series projected
        as a whole, not the sum of the groups' projections):

        - the ``by`` columns, ``year``, ``through_month``, ``method``;
        - ``ytd_wan``: the year to date (suffix ``_usd_wan`` for foreign funds);
        - ``projected_wan``, ``lower_wan``, ``upper_wan``: the year-end projection and its
          prediction interval at ``level``;
        - ``target_wan``, ``projected_completion_pct``;
        - ``prob_meet_target``: the probability, under the method's model, that the year ends
          at or above the target;
        - ``history_years``: past years used (seasonal) or years of monthly series (ets);
        - ``note``: why a figure is missing or to be read with care.

    Examples
    --------
    Two past years in which 1-6月 brought 40% and 50% of the year:

    >>> import pandas as pd
    >>> months = pd.to_datetime(["2022-06-01", "2022-12-01", "2023-06-01", "2023-12-01", "2024-06-01"])
    >>> funds = pd.DataFrame({"unit": "城西镇", "month": months,
    ...                       "amount_wan": [400.0, 600.0, 500.0, 500.0, 450.0]})
    >>> out = project_year_end(funds, as_of="2024-06")
    >>> float(round(out.loc[0, "projected_wan"], 1))  # 450 ÷ √(0.4 × 0.5), the geometric-mean share
    1006.2
    """
    model = YearEndProjection(method, level=level, indicator=indicator, by=by,
                              value_col=value_col, currency=currency, n_sims=n_sims,
                              random_state=random_state)
    model.fit(funds, targets, as_of=as_of)
    return from_pandas(model.summary, to_narwhals(funds))


def backtest(
    funds: Any,
    /,
    *,
    through_month: int = 6,
    years: Sequence[int] | None = None,
    methods: Sequence[str] = METHODS,
    level: float = 0.8,
    min_history: int = 2,
    indicator: str = "funds_in_place",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    n_sims: int = 1000,
    random_state: int = 0,
) -> Any:
    """How far to trust the projection: project each past year from ``through_month`` with
    only the data known then, and compare with how the year really ended.

    Parameters
    ----------
    funds : DataFrame-like
        Monthly funds with several complete years.
    through_month : int, default 6
        The month projected from (6: "from the half-year figures").
    years : sequence of int, optional
        Years to test; by default every complete year with at least ``min_history`` complete
        years before it.
    methods : sequence of {"seasonal", "ets"}, default both
    level : float, default 0.8
        Coverage of the intervals (the share of years the interval should contain the truth).
    min_history : int, default 2
        Complete years needed before a tested year.
    indicator, by, value_col, currency, n_sims, random_state
        As in :func:`project_year_end`.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``; one row per method, year and group (and 合计):
        ``method``, ``year``, the ``by`` columns, ``ytd_wan``, ``projected_wan``,
        ``lower_wan``, ``upper_wan``, ``actual_wan`` (the real year total), ``error_wan``
        (projected − actual), ``error_pct`` (÷ actual × 100), ``abs_error_pct`` and
        ``covered`` (actual within the interval). Summarise it with a group-by on method,
        e.g. the median ``abs_error_pct`` and the mean of ``covered``.

    Examples
    --------
    >>> from zsanalytics import load_demo
    >>> bt = backtest(load_demo().funds, methods=["seasonal"], by=())
    >>> bt[["method", "year"]].to_dict("list")
    {'method': ['seasonal', 'seasonal', 'seasonal', 'seasonal'], 'year': [2021, 2022, 2023, 2024]}
    """
    if not isinstance(through_month, int) or not 1 <= through_month <= 11:
        raise ZsAnalyticsError(f"through_month == {through_month!r}, must be a month from 1 to 11")
    for m in methods:
        _check_method(m)
    frame = to_narwhals(funds)
    groups = as_by(by)
    currency_, sfx = _indicator(indicator, currency, value_col)
    last = collect_pandas(frame.select(nw.col("month").max().alias("m")))["m"].iloc[0]
    if pd.isna(last):
        raise ZsAnalyticsError("funds has no months to backtest on")
    last_year, last_month = as_month(pd.Timestamp(last))
    history = monthly_history(frame, through=(last_year, last_month), by=groups,
                              value_col=value_col, currency=currency_)
    first_year = int(history["year"].min())
    complete_last = last_year if last_month == 12 else last_year - 1
    if years is None:
        years = list(range(first_year + min_history, complete_last + 1))
    years = [int(y) for y in years]
    bad = [y for y in years if y > complete_last or y - first_year < min_history]
    if bad or not years:
        raise ZsAnalyticsError(
            f"years == {bad or years}: backtest needs complete years with {min_history} complete "
            f"years before them; the data runs {first_year}-01 to {last_year}-{last_month:02d}"
        )
    keys, all_years, cube = _cube(history, groups, first_year, complete_last)
    pieces = []
    for method in methods:
        model = YearEndProjection(method, level=level, indicator=indicator, by=groups,
                                  value_col=value_col, currency=currency, n_sims=n_sims,
                                  random_state=random_state)
        model.suffix_ = sfx
        for year in years:
            known = history[(history["year"] < year)
                            | ((history["year"] == year) & (history["month_no"] <= through_month))]
            part = model._project(known, year, through_month, None, min_year=first_year)
            actual = cube[:, int(np.searchsorted(all_years, year)), :].sum(axis=1)
            if groups:
                actual = keys.assign(__actual=actual).merge(part[groups], on=groups, how="right")["__actual"]
            part[f"actual{sfx}"] = np.asarray(actual, dtype=float)
            pieces.append(part)
    out = pd.concat(pieces, ignore_index=True)
    proj, act = out[f"projected{sfx}"], out[f"actual{sfx}"]
    out[f"error{sfx}"] = proj - act
    out["error_pct"] = np.where(act > 0, (proj - act) / act.where(act > 0) * 100, np.nan)
    out["abs_error_pct"] = out["error_pct"].abs()
    slack = 1e-9 * act.abs()  # float noise must not decide coverage of a zero-width interval
    covered = ((act >= out[f"lower{sfx}"] - slack) & (act <= out[f"upper{sfx}"] + slack))
    covered = covered.astype("boolean")
    out["covered"] = covered.mask(out[f"lower{sfx}"].isna())
    cols = ["method", "year", *groups, f"ytd{sfx}", f"projected{sfx}", f"lower{sfx}",
            f"upper{sfx}", f"actual{sfx}", f"error{sfx}", "error_pct", "abs_error_pct", "covered"]
    return from_pandas(out[cols], frame)
