"""Year-end projection (全年预计) with its uncertainty, and a backtest that says how far to
trust it.

The heavy lifting (summing millions of monthly rows to one value per group and month) runs on
the table's own engine through narwhals; the statistics run on that small aggregated result
with numpy, scipy and statsmodels.
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
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

__all__ = [
    "ETS_FORMS",
    "METHODS",
    "MIN_CALIBRATION_CASES",
    "PRIOR_DF",
    "BacktestSummary",
    "YearEndProjection",
    "backtest",
    "backtest_summary",
    "project_year_end",
]

#: Projection methods: ``seasonal`` (the group's own historical share of the year reached by
#: each month) and ``ets`` (statsmodels exponential smoothing on the monthly series, the form
#: chosen by AICc).
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
        raise ZsAnalyticsError(f"method == {method!r}：应为 {list(METHODS)} 之一")
    return method


def _check_level(level: float) -> float:
    if not isinstance(level, int | float) or not 0 < level < 1:
        raise ZsAnalyticsError(f"level == {level!r}：应为 0 到 1 之间的概率，如 0.8")
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


#: Past backtest cases (groups × years) needed before the intervals are calibrated on them.
MIN_CALIBRATION_CASES = 20

#: Seasonal method: the variance pooled across groups counts as this many degrees of freedom
#: beside each group's own years (empirical-Bayes shrinkage, used when at least
#: ``_MIN_POOL_GROUPS`` groups have two or more past years).
PRIOR_DF = 4.0
_MIN_POOL_GROUPS = 5

#: ETS forms tried, chosen by AICc: (trend, damped_trend).
ETS_FORMS = ((None, False), ("add", False), ("add", True))


def _form_name(trend: str | None, damped: bool) -> str:
    return f"ETS(A,{'N' if trend is None else 'Ad' if damped else 'A'},A)"


def _seasonal_raw(cube: np.ndarray, years: np.ndarray, year: int, month: int,
                  min_year: int | None, pooled_groups: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised over groups: the predictive distribution of log(year total) as a Student t
    (``loc``, ``scale``, ``df``): log ytd + the mean over past years of log(year ÷ 1–month),
    spread by how much that ratio varied — the group's own years shrunk towards the variance
    pooled over ``pooled_groups`` (so that two or three years do not make a coin toss of the
    width)."""
    y = int(np.searchsorted(years, year))
    start = 0 if min_year is None else int(np.searchsorted(years, min_year))
    past = cube[:, start:y, :]
    ytd = cube[:, y, :month].sum(axis=1)
    cum = past[:, :, :month].sum(axis=2)
    full = past.sum(axis=2)
    valid = (cum > 0) & (full > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(valid, np.log(np.where(valid, full / np.where(valid, cum, 1.0), 1.0)), np.nan)
    n = valid.sum(axis=1)
    mean = np.where(n > 0, np.nansum(r, axis=1) / np.maximum(n, 1), np.nan)
    ss = np.where(valid, r - mean[:, None], 0.0) ** 2
    ss = ss.sum(axis=1)
    own = (n > 1) & pooled_groups
    prior = 0.0
    pooled = 0.0
    if own.sum() >= _MIN_POOL_GROUPS:
        prior, pooled = PRIOR_DF, ss[own].sum() / (n[own] - 1).sum()
    df = np.maximum(n - 1, 0) + np.where(n > 0, prior, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(df > 0, (ss + prior * pooled) / df, np.nan)
        scale = np.sqrt(var * (1 + 1 / np.maximum(n, 1)))
        loc = np.where(ytd > 0, np.log(np.where(ytd > 0, ytd, 1.0)) + mean, np.nan)
    note = np.where(ytd <= 0, _NOTES["no_ytd"],
                    np.where(n == 0, _NOTES["no_history"],
                             np.where(~(df > 0), _NOTES["one_year"], "")))
    return {"ytd": ytd, "loc": loc, "scale": np.where(df > 0, scale, np.nan), "df": df,
            "history_years": n, "note": note.astype(object),
            "model": np.full(len(ytd), "share", dtype=object)}


def _ets_raw(cube: np.ndarray, years: np.ndarray, year: int, month: int, n_sims: int,
             random_state: int, min_year: int | None = None) -> dict[str, np.ndarray]:
    """Per group: statsmodels ETS (additive error and season; no trend, additive trend or
    damped trend, whichever has the least AICc) on the monthly series through ``month``,
    simulated forward to December; the distribution of log(year total) as a normal with the
    simulations' spread (``df`` infinite)."""
    y = int(np.searchsorted(years, year))
    start = 0 if min_year is None else int(np.searchsorted(years, min_year))
    n_groups = cube.shape[0]
    loc = np.full(n_groups, np.nan)
    scale = np.full(n_groups, np.nan)
    ytd = cube[:, y, :month].sum(axis=1)
    note = np.full(n_groups, "", dtype=object)
    model = np.full(n_groups, None, dtype=object)
    h = 12 - month
    series_len = (y - start) * 12 + month
    for g in range(n_groups):
        values = np.ascontiguousarray(cube[g, start:y + 1, :].reshape(-1)[:series_len], dtype=np.float64)
        if h == 0:  # December: the year is known (see _finish)
            continue
        if ytd[g] <= 0:
            note[g] = _NOTES["no_ytd"]
            continue
        if series_len < 24:
            note[g] = _NOTES["short"]
            continue
        if not np.any(values[:-month] if month else values):
            note[g] = _NOTES["no_history"]
            continue
        fitted = _ets_one(values.tobytes(), str(years[start]), month, n_sims, random_state + g)
        if fitted is None:
            note[g] = _NOTES["not_converged"]
            continue
        loc[g], scale[g], model[g], converged = fitted
        if not converged:
            note[g] = _NOTES["not_converged"]
    history = np.full(n_groups, y - start)
    return {"ytd": ytd, "loc": loc, "scale": scale, "df": np.full(n_groups, np.inf),
            "history_years": history, "note": note, "model": model}


def _ets_model(array: np.ndarray, first_year: str, trend: str | None, damped: bool):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = pd.Series(array, index=pd.date_range(f"{first_year}-01-01", periods=len(array),
                                                  freq="MS"))
    return ETSModel(series, error="add", trend=trend, damped_trend=damped, seasonal="add",
                    seasonal_periods=12)


@functools.lru_cache(maxsize=4096)
def _ets_select(values: bytes, first_year: str) -> tuple[str | None, bool, tuple, bool] | None:
    """The form with the least AICc for one series (float64 bytes from January of
    ``first_year``) and its fitted parameters, whether it converged; None when no form can be
    fitted. Cached: a backtest and the calibration of a projection fit the same past series."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    array = np.frombuffer(values, dtype=np.float64)
    best = None
    for trend, damped in ETS_FORMS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = _ets_model(array, first_year, trend, damped).fit(disp=False)
            except (ValueError, np.linalg.LinAlgError):  # a form that cannot be fitted
                continue
        converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        if np.isfinite(fit.aicc) and (best is None or fit.aicc < best[0]):
            best = (fit.aicc, trend, damped, tuple(np.asarray(fit.params, dtype=float)), converged)
    return None if best is None else best[1:]


def _ets_one(values: bytes, first_year: str, month: int, n_sims: int, seed: int
             ) -> tuple[float, float, str, bool] | None:
    """One series through ``month``: log(year total)'s centre and spread from the chosen
    form's forecast and simulations, its name, and whether it converged."""
    chosen = _ets_select(values, first_year)
    if chosen is None:
        return None
    trend, damped, params, converged = chosen
    array = np.frombuffer(values, dtype=np.float64)
    ytd = float(array[-month:].sum())
    h = 12 - month
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = _ets_model(array, first_year, trend, damped).smooth(np.asarray(params))
        point = float(np.asarray(fit.forecast(h)).sum())
        sims = np.asarray(fit.simulate(h, anchor="end", repetitions=n_sims,
                                       rng=np.random.default_rng(seed))).reshape(h, n_sims)
    # what has arrived stays: the year ends at or above the year to date
    totals = np.maximum(ytd + sims.sum(axis=0), ytd)
    q16, q84 = np.quantile(np.log(totals), [0.16, 0.84])
    return (float(np.log(max(ytd + point, ytd))), float((q84 - q16) / 2),
            _form_name(trend, damped), converged)


def _calibration(raws: Sequence[dict[str, np.ndarray]], actuals: Sequence[np.ndarray]
                 ) -> dict[str, Any] | None:
    """From past backtest cases (each a raw projection and the year's actual total): the
    median error of log(year total) (``bias``) and the absolute errors around it in units of
    each case's own scale (``scores``, with their ``df``), when there are at least
    :data:`MIN_CALIBRATION_CASES` cases."""
    loc = np.concatenate([r["loc"] for r in raws]) if raws else np.array([])
    scale = np.concatenate([r["scale"] for r in raws]) if raws else np.array([])
    df = np.concatenate([r["df"] for r in raws]) if raws else np.array([])
    actual = np.concatenate(list(actuals)) if actuals else np.array([])
    ok = np.isfinite(loc) & np.isfinite(scale) & (scale > 0) & (actual > 0)
    if ok.sum() < MIN_CALIBRATION_CASES:
        return None
    error = np.log(actual[ok]) - loc[ok]
    bias = float(np.median(error))
    return {"cases": int(ok.sum()), "bias": bias,
            "scores": np.abs(error - bias) / scale[ok], "df": df[ok]}


def _factor(calibration: dict[str, Any], level: float) -> float:
    """How much the raw central ``level`` interval has to be stretched (around the
    bias-corrected centre) to hold the past outcomes that often: the ``level`` quantile of
    the past cases' stretch factors (split-conformal, with the past years as calibration set)."""
    q = stats.t.ppf((1 + level) / 2, calibration["df"])
    return float(np.quantile(calibration["scores"] / q, level))


def _finish(raw: dict[str, np.ndarray], level: float, target: np.ndarray, month: int,
            calibration: dict[str, Any] | None, fallback: dict[str, np.ndarray] | None = None
            ) -> dict[str, np.ndarray]:
    """Projection, interval and probability from a raw distribution of log(year total): as
    the model says, or, with ``calibration``, centred on the model plus its past median error
    and stretched as much as the past cases needed. ``fallback`` (the seasonal spread) stands
    in for an ETS spread that no past case has calibrated yet. Never below the year to date."""
    ytd = raw["ytd"].astype(float)
    loc, scale, df = raw["loc"], raw["scale"], raw["df"]
    calibrated = np.full(len(ytd), calibration is not None)
    if calibration is not None:
        centre = loc + calibration["bias"]
        half = _factor(calibration, level) * stats.t.ppf((1 + level) / 2, df) * scale
        spread = _factor(calibration, 0.5) * scale
    else:
        centre = loc
        if fallback is not None:
            use = np.isfinite(fallback["scale"]) & np.isfinite(loc)
            scale = np.where(use, fallback["scale"], scale)
            df = np.where(use, fallback["df"], df)
        half = stats.t.ppf((1 + level) / 2, np.where(np.isfinite(df), df, np.inf)) * scale
        spread = scale
    have = np.isfinite(centre) & (ytd > 0)
    interval = have & np.isfinite(half)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        projected = np.where(have, np.maximum(np.exp(centre), ytd), np.nan)
        lower = np.where(interval, np.maximum(np.exp(centre - half), ytd), np.nan)
        upper = np.where(interval, np.maximum(np.exp(centre + half), ytd), np.nan)
        z = (np.log(np.where(target > 0, target, 1.0)) - centre) / np.where(spread > 0, spread, 1.0)
        prob = 1 - stats.t.cdf(z, np.where(np.isfinite(df), df, np.inf))
    prob = np.where(spread > 0, prob, np.where(projected >= target, 1.0, 0.0))
    prob = np.where(interval & (target > 0), prob, np.nan)
    prob = np.where((ytd >= target) & (target > 0), 1.0, prob)
    note = raw["note"].copy()
    if month == 12:
        projected = lower = upper = ytd
        prob = np.where(target > 0, (ytd >= target).astype(float), np.nan)
        note = np.full(len(ytd), _NOTES["year_end"], dtype=object)
        calibrated = np.zeros(len(ytd), dtype=bool)
    return {"ytd": ytd, "projected": projected, "lower": lower, "upper": upper,
            "prob_meet_target": prob, "history_years": raw["history_years"], "note": note,
            "model": raw["model"], "calibrated": calibrated & interval}


class YearEndProjection:
    """Project the year-end total per group from the year to date, with a prediction interval
    and the probability of meeting the target.

    Options go in the constructor, :meth:`fit` returns ``self``, fitted attributes end in
    ``_`` and :attr:`summary` is a pandas DataFrame (the lifelines convention).

    Parameters
    ----------
    method : {"seasonal", "ets"}, default "seasonal"
        ``"seasonal"``: year-to-date ÷ the group's own historical share of the year reached
        by this month, averaged on the log scale over past years; the spread comes from how
        much that share varied (Student-t), the group's own years shrunk towards the variance
        pooled over all groups (:data:`PRIOR_DF` degrees of freedom) when there are at least
        five groups with two past years, so that two years of history do not decide the width
        alone.
        ``"ets"``: statsmodels exponential smoothing with additive error and seasonality and
        no trend, an additive trend or a damped trend — the form with the least AICc — fitted
        to the monthly series and simulated to December (``n_sims`` paths).
    level : float, default 0.8
        Coverage of the prediction interval.
    indicator, by, value_col, currency
        As in :func:`zsanalytics.completion`.
    n_sims : int, default 2000
        Simulated paths per group (``"ets"``).
    random_state : int, default 0
        Seed of the simulations, so results repeat.
    calibrate : bool, default True
        Make the interval and probability honest on the method's own past: every complete
        past year (with ``min_history`` years before it) is projected from the same month
        with only the data known then, and when that gives at least
        :data:`MIN_CALIBRATION_CASES` cases (groups × years), the projection is moved by the
        median past error of log(year total) and the interval stretched (or narrowed) by the
        factor that held the past outcomes ``level`` of the time (split-conformal, pooled over
        the groups); the probability uses the factor of the central half. Until then an ETS
        interval takes the seasonal method's spread, since the simulations alone leave out
        the model's own uncertainty (in the demo backtest its 80% intervals held 58–70% of
        outcomes).
    min_history : int, default 2
        Complete years needed before a past year is used for calibration.

    Attributes
    ----------
    history_ : pandas.DataFrame
        The monthly sums the projection was fitted on (``by``, ``year``, ``month_no``,
        ``value``).
    calibration_ : dict or None
        ``cases``, ``bias`` (the median past error of log(year total)), ``factor`` (the
        interval's stretch at ``level``), or None when the projection is not calibrated.
    summary : pandas.DataFrame
        One row per group and a 合计 row; columns as in :func:`project_year_end`.
    """

    def __init__(self, method: str = "seasonal", *, level: float = 0.8,
                 indicator: str = "funds_in_place", by: Any = ("unit",),
                 value_col: str = "amount_wan", currency: str | None = None,
                 n_sims: int = 2000, random_state: int = 0, calibrate: bool = True,
                 min_history: int = 2) -> None:
        self.method = _check_method(method)
        self.level = _check_level(level)
        self.indicator = indicator
        self.by = as_by(by)
        self.value_col = value_col
        self.currency = currency
        self.n_sims = int(n_sims)
        self.random_state = int(random_state)
        self.calibrate = bool(calibrate)
        self.min_history = int(min_history)

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
        if self.history_.empty:
            raise ZsAnalyticsError(f"funds 中截至 {year}-{month:02d} 没有数据，无法预计")
        first = int(self.history_["year"].min())
        keys, years, cube = _cube(self.history_, self.by, min(first, year), year)
        target = _target_array(keys, self._targets(targets, year), self.by)
        pooled = _pooled_groups(keys, self.by)
        raw = self._distributions(cube, years, year, month, pooled)
        calibration = None
        if self.calibrate and month < 12:
            past = [int(y) for y in years if first + self.min_history <= y < year]
            calibration = _calibration(
                [self._distributions(cube, years, y, month, pooled)[0] for y in past],
                [cube[:, int(np.searchsorted(years, y)), :].sum(axis=1) for y in past])
        self.calibration_ = None if calibration is None else {
            "cases": calibration["cases"], "bias": calibration["bias"],
            "factor": _factor(calibration, self.level)}
        res = _finish(raw[0], self.level, target, month, calibration, raw[1])
        self.summary = self._frame(keys, year, month, target, res, self.level)
        return self

    def _targets(self, targets: Any, year: int) -> pd.DataFrame | None:
        if targets is None:
            return None
        table = pick_targets(targets, groups=self.by, year=year, indicator=self.indicator)
        if not self.by:
            return pd.DataFrame({"target": [table["target"].sum() if len(table) else np.nan]})
        return table

    def _distributions(self, cube: np.ndarray, years: np.ndarray, year: int, month: int,
                       pooled: np.ndarray, min_year: int | None = None):
        """The raw distribution of the method, and for ETS the seasonal one as its fallback
        spread."""
        seasonal = _seasonal_raw(cube, years, year, month, min_year, pooled)
        if self.method == "seasonal":
            return seasonal, None
        return _ets_raw(cube, years, year, month, self.n_sims, self.random_state, min_year), seasonal

    def _frame(self, keys: pd.DataFrame, year: int, month: int, target: np.ndarray,
               res: dict[str, np.ndarray], level: float) -> pd.DataFrame:
        sfx = self.suffix_
        out = keys.copy() if self.by else pd.DataFrame(index=range(len(target)))
        out["year"] = year
        out["through_month"] = month
        out["method"] = self.method
        out["model"] = pd.Series(res["model"], dtype="str")
        out[f"ytd{sfx}"] = res["ytd"]
        out[f"projected{sfx}"] = res["projected"]
        out[f"lower{sfx}"] = res["lower"]
        out[f"upper{sfx}"] = res["upper"]
        out["level"] = level
        out["calibrated"] = np.asarray(res["calibrated"], dtype=bool)
        out[f"target{sfx}"] = target
        with np.errstate(divide="ignore", invalid="ignore"):
            out["projected_completion_pct"] = np.where(target > 0, res["projected"] / target * 100, np.nan)
        out["prob_meet_target"] = res["prob_meet_target"]
        out["history_years"] = np.asarray(res["history_years"], dtype="int64")
        out["note"] = pd.Series(res["note"], dtype="str").replace("", pd.NA)
        return out.reset_index(drop=True)


def _pooled_groups(keys: pd.DataFrame, by: list[str]) -> np.ndarray:
    """The groups whose spread is pooled: all but the 合计 row that :func:`_cube` appends."""
    pooled = np.ones(len(keys), dtype=bool)
    if by and len(keys) > 1:
        pooled[-1] = False
    return pooled


def _target_array(keys: pd.DataFrame, targets: pd.DataFrame | None, by: list[str]) -> np.ndarray:
    target = np.full(len(keys), np.nan)
    if targets is not None and len(targets):
        if by:
            merged = keys.merge(targets, on=by, how="left")
            target = merged["target"].to_numpy(dtype=float, copy=True)
            if len(keys) > 1:
                target[-1] = np.nansum(target[:-1]) if np.isfinite(target[:-1]).any() else np.nan
        else:
            target = targets["target"].to_numpy(dtype=float, copy=True)
    return target


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
    calibrate: bool = True,
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
    calibrate : bool, default True
        Calibrate the interval and probability on the method's own past projections (see
        :class:`YearEndProjection`); False gives the model's own.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``; one row per group and a 合计 row (the county series projected
        as a whole, not the sum of the groups' projections):

        - the ``by`` columns, ``year``, ``through_month``, ``method``, ``model`` (``share``
          or the ETS form chosen, e.g. ``ETS(A,Ad,A)``);
        - ``ytd_wan``: the year to date (suffix ``_usd_wan`` for foreign funds);
        - ``projected_wan``, ``lower_wan``, ``upper_wan``: the year-end projection and its
          prediction interval at ``level``, never below the year to date (what has arrived
          stays);
        - ``level``, ``calibrated`` (the interval was calibrated on past projections);
        - ``target_wan``, ``projected_completion_pct``;
        - ``prob_meet_target``: the probability that the year ends at or above the target;
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
                              random_state=random_state, calibrate=calibrate)
    model.fit(funds, targets, as_of=as_of)
    return from_pandas(model.summary, to_narwhals(funds))


def _levels(level: Any) -> list[float]:
    levels = [level] if isinstance(level, int | float) else list(level)
    if not levels:
        raise ZsAnalyticsError("level == []：应为一个或几个概率，如 0.8 或 (0.8, 0.95)")
    return [_check_level(v) for v in levels]


def backtest(
    funds: Any,
    targets: Any = None,
    /,
    *,
    through_month: int = 6,
    years: Sequence[int] | None = None,
    methods: Sequence[str] = METHODS,
    level: float | Sequence[float] = 0.8,
    min_history: int = 2,
    indicator: str = "funds_in_place",
    by: str | tuple[str, ...] | list[str] | None = ("unit",),
    value_col: str = "amount_wan",
    currency: str | None = None,
    n_sims: int = 1000,
    random_state: int = 0,
    calibrate: bool = True,
) -> Any:
    """How far to trust the projection: project each past year from ``through_month`` with
    only the data known then, and compare with how the year really ended.

    Each tested year is projected exactly as :func:`project_year_end` would have projected it
    then, calibration included: only the years before it calibrate it.

    Parameters
    ----------
    funds : DataFrame-like
        Monthly funds with several complete years.
    targets : DataFrame-like, optional
        Annual targets: with them, each case also gets the probability of meeting the target
        and whether it was met (for the Brier score of :func:`backtest_summary`).
    through_month : int, default 6
        The month projected from (6: "from the half-year figures").
    years : sequence of int, optional
        Years to test; by default every complete year with at least ``min_history`` complete
        years before it.
    methods : sequence of {"seasonal", "ets"}, default both
    level : float or sequence of float, default 0.8
        Coverage of the intervals (the share of years the interval should contain the truth);
        several, e.g. ``(0.8, 0.95)``, give one row per level.
    min_history : int, default 2
        Complete years needed before a tested year (and before a year used to calibrate).
    indicator, by, value_col, currency, n_sims, random_state, calibrate
        As in :func:`project_year_end`.

    Returns
    -------
    DataFrame-like
        Same type as ``funds``; one row per method, year, group (and 合计) and level:
        ``method``, ``model``, ``year``, ``through_month``, the ``by`` columns, ``level``,
        ``calibrated``, ``ytd_wan``, ``projected_wan``, ``lower_wan``, ``upper_wan``,
        ``actual_wan`` (the real year total), ``error_wan`` (projected − actual),
        ``error_pct`` (÷ actual × 100), ``abs_error_pct``, ``covered`` (actual within the
        interval) and, with ``targets``, ``target_wan``, ``prob_meet_target`` and
        ``met_target``. :func:`backtest_summary` gives the coverage, the Brier score and a
        reliability table.

    Examples
    --------
    >>> from zsanalytics import load_demo
    >>> bt = backtest(load_demo().funds, methods=["seasonal"], by=())
    >>> bt[["method", "year"]].to_dict("list")
    {'method': ['seasonal', 'seasonal', 'seasonal', 'seasonal'], 'year': [2021, 2022, 2023, 2024]}
    """
    if not isinstance(through_month, int) or not 1 <= through_month <= 11:
        raise ZsAnalyticsError(f"through_month == {through_month!r}：应为 1 到 11 的月份")
    for m in methods:
        _check_method(m)
    levels = _levels(level)
    frame = to_narwhals(funds)
    groups = as_by(by)
    currency_, sfx = _indicator(indicator, currency, value_col)
    last = collect_pandas(frame.select(nw.col("month").max().alias("m")))["m"].iloc[0]
    if pd.isna(last):
        raise ZsAnalyticsError("funds 中没有任何月份的数据，无法回测")
    last_year, last_month = as_month(pd.Timestamp(last))
    history = monthly_history(frame, through=(last_year, last_month), by=groups,
                              value_col=value_col, currency=currency_)
    first_year = int(history["year"].min())
    complete_last = last_year if last_month == 12 else last_year - 1
    if years is None:
        years = list(range(first_year + min_history, complete_last + 1))
    years = sorted(int(y) for y in years)
    bad = [y for y in years if y > complete_last or y - first_year < min_history]
    if bad or not years:
        raise ZsAnalyticsError(
            f"years == {bad or years}：回测只能用完整的年份，且其前面要有 {min_history} 个完整年份；"
            f"数据范围为 {first_year}-01 至 {last_year}-{last_month:02d}"
        )
    keys, all_years, cube = _cube(history, groups, first_year, complete_last)
    pooled = _pooled_groups(keys, groups)
    index = {y: int(np.searchsorted(all_years, y)) for y in all_years}
    actual = {y: cube[:, index[y], :].sum(axis=1) for y in all_years}
    # a group is tested in a year once it has data known then
    known = np.cumsum(np.abs(cube).sum(axis=2), axis=1)
    pieces = []
    for method in methods:
        model = YearEndProjection(method, indicator=indicator, by=groups, value_col=value_col,
                                  currency=currency, n_sims=n_sims, random_state=random_state,
                                  calibrate=calibrate, min_history=min_history)
        model.suffix_ = sfx
        used = range(first_year + min_history if calibrate else years[0], years[-1] + 1)
        raws = {y: model._distributions(cube, all_years, y, through_month, pooled)
                for y in used if calibrate or y in years}
        for year in years:
            past = [y for y in raws if y < year] if calibrate else []
            calibration = _calibration([raws[y][0] for y in past], [actual[y] for y in past])
            target = _target_array(keys, model._targets(targets, year), groups)
            seen = (known[:, index[year] - 1] if index[year] else 0) \
                + np.abs(cube[:, index[year], :through_month]).sum(axis=1) > 0
            for lv in levels:
                res = _finish(raws[year][0], lv, target, through_month, calibration, raws[year][1])
                part = model._frame(keys, year, through_month, target, res, lv)
                part[f"actual{sfx}"] = actual[year]
                pieces.append(part[seen])
    out = pd.concat(pieces, ignore_index=True)
    proj, act = out[f"projected{sfx}"], out[f"actual{sfx}"]
    out[f"error{sfx}"] = proj - act
    out["error_pct"] = np.where(act > 0, (proj - act) / act.where(act > 0) * 100, np.nan)
    out["abs_error_pct"] = out["error_pct"].abs()
    slack = 1e-9 * act.abs()  # float noise must not decide coverage of a zero-width interval
    covered = ((act >= out[f"lower{sfx}"] - slack) & (act <= out[f"upper{sfx}"] + slack))
    covered = covered.astype("boolean")
    out["covered"] = covered.mask(out[f"lower{sfx}"].isna())
    cols = ["method", "model", "year", "through_month", *groups, "level", "calibrated",
            f"ytd{sfx}", f"projected{sfx}", f"lower{sfx}", f"upper{sfx}", f"actual{sfx}",
            f"error{sfx}", "error_pct", "abs_error_pct", "covered"]
    if targets is not None:
        target = out[f"target{sfx}"]
        out["met_target"] = (act >= target).astype("boolean").mask(~(target > 0))
        cols += [f"target{sfx}", "prob_meet_target", "met_target"]
    return from_pandas(out[cols], frame)


@dataclass(frozen=True)
class BacktestSummary:
    """How the projections of :func:`backtest` did, per method and month projected from.

    Attributes
    ----------
    scores : pandas.DataFrame
        One row per method, ``through_month`` and ``level``: ``cases`` (with an interval),
        ``coverage_pct`` (share of outcomes inside the interval, to compare with ``level``),
        ``median_abs_error_pct``, and with targets ``brier_cases`` and ``brier`` (mean of
        (P(meet target) − met)²: 0 is perfect, 0.25 is always saying 50%).
    reliability : pandas.DataFrame
        With targets: one row per method, ``through_month`` and probability bin (``bin``,
        e.g. ``"0.6–0.8"``): ``cases``, ``mean_prob`` (what was said) and ``met_pct`` (how
        often the target was met); a calibrated method has them close.
    """

    scores: pd.DataFrame
    reliability: pd.DataFrame


def backtest_summary(result: Any, /, *, bins: Sequence[float] = (0, 0.2, 0.4, 0.6, 0.8, 1.0)
                     ) -> BacktestSummary:
    """Coverage, error, the Brier score of P(meet target) and a reliability table from the
    output of :func:`backtest` (any engine).

    Examples
    --------
    >>> import pandas as pd
    >>> bt = pd.DataFrame({"method": "seasonal", "through_month": 6, "level": 0.8,
    ...                    "covered": [True, True, False, True], "abs_error_pct": [2.0, 4, 9, 1],
    ...                    "prob_meet_target": [0.9, 0.7, 0.2, 0.1],
    ...                    "met_target": [True, True, False, True]})
    >>> s = backtest_summary(bt)
    >>> s.scores[["cases", "coverage_pct", "brier"]].round(4)  # Brier (0.01+0.09+0.04+0.81)/4
       cases  coverage_pct   brier
    0      4          75.0  0.2375
    >>> s.reliability[["bin", "cases", "mean_prob", "met_pct"]]
           bin  cases  mean_prob  met_pct
    0  0.0–0.2      2       0.15     50.0
    1  0.6–0.8      1       0.70    100.0
    2  0.8–1.0      1       0.90    100.0
    """
    table = collect_pandas(to_narwhals(result, argument="result"))
    require(to_narwhals(table), ["method", "through_month", "level", "covered", "abs_error_pct"],
            table="result")
    keys = ["method", "through_month", "level"]
    cases = table[table["covered"].notna()].copy()
    cases["covered"] = cases["covered"].astype(bool)
    scores = cases.groupby(keys, sort=True).agg(
        cases=("covered", "size"), coverage_pct=("covered", "mean"),
        median_abs_error_pct=("abs_error_pct", "median")).reset_index()
    scores["coverage_pct"] = scores["coverage_pct"] * 100.0
    columns = ["method", "through_month", "bin", "cases", "mean_prob", "met_pct"]
    reliability = pd.DataFrame({c: [] for c in columns})
    if {"prob_meet_target", "met_target"} <= set(table.columns):
        scored = table[table["prob_meet_target"].notna() & table["met_target"].notna()].copy()
        # one probability per case: the level does not change it
        scored = scored.drop_duplicates([c for c in scored.columns if c not in (
            "level", "lower_wan", "upper_wan", "lower_usd_wan", "upper_usd_wan", "covered")])
        scored["met"] = scored["met_target"].astype(float)
        scored["sq"] = (scored["prob_meet_target"] - scored["met"]) ** 2
        brier = scored.groupby(["method", "through_month"]).agg(
            brier_cases=("sq", "size"), brier=("sq", "mean")).reset_index()
        scores = scores.merge(brier, on=["method", "through_month"], how="left")
        edges = np.asarray(bins, dtype=float)
        labels = [f"{a:.1f}–{b:.1f}" for a, b in itertools.pairwise(edges)]
        scored["bin"] = pd.cut(scored["prob_meet_target"], edges, labels=labels,
                               include_lowest=True).astype("str")
        reliability = scored.groupby(["method", "through_month", "bin"], sort=True).agg(
            cases=("met", "size"), mean_prob=("prob_meet_target", "mean"),
            met_pct=("met", "mean")).reset_index()
        reliability["met_pct"] = reliability["met_pct"] * 100.0
    return BacktestSummary(scores.reset_index(drop=True), reliability.reset_index(drop=True))
