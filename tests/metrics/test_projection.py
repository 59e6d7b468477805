"""Year-end projection and its backtest.

Expected values: hand calculations on series built so the answer is known (shares of the year
fixed by construction), the textbook prediction interval for a new observation (mean ± t·s·√(1 +
1/n), with scipy's t quantile), and statsmodels' own ETS forecast on the same series.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from zsanalytics import YearEndProjection, ZsAnalyticsError, backtest, load_demo, project_year_end


def _two_past_years():
    """1-6月 brought 40% of 2022 and 50% of 2023; 1-6月 2024 brought 450."""
    months = pd.to_datetime(["2022-06-01", "2022-12-01", "2023-06-01", "2023-12-01", "2024-06-01"])
    return pd.DataFrame({"unit": "城西镇", "month": months,
                         "amount_wan": [400.0, 600.0, 500.0, 500.0, 450.0]})


def test_seasonal_projection_by_hand(engine):
    targets = pd.DataFrame({"year": [2024], "unit": ["城西镇"], "indicator": ["funds_in_place"],
                            "target": [1000.0]})
    out = engine.back(project_year_end(engine(_two_past_years()), targets, as_of="2024-06"))
    row = out.iloc[0]
    # hand: log(year ÷ 1-6月) in the past years: ln 2.5 and ln 2
    r = np.array([math.log(2.5), math.log(2.0)])
    mean, sd, n = r.mean(), r.std(ddof=1), 2
    assert row["projected_wan"] == pytest.approx(450 * math.exp(mean))      # 450 ÷ √(0.4·0.5)
    assert row["projected_wan"] == pytest.approx(1006.23, abs=0.01)
    half = stats.t.ppf(0.9, n - 1) * sd * math.sqrt(1 + 1 / n)             # 80% interval
    assert row["lower_wan"] == pytest.approx(450 * math.exp(mean - half))
    assert row["upper_wan"] == pytest.approx(450 * math.exp(mean + half))
    p = 1 - stats.t.cdf((math.log(1000 / 450) - mean) / (sd * math.sqrt(1.5)), n - 1)
    assert row["prob_meet_target"] == pytest.approx(p)
    assert row["projected_completion_pct"] == pytest.approx(row["projected_wan"] / 10)
    assert row["history_years"] == 2 and pd.isna(row["note"])
    assert row["ytd_wan"] == 450.0 and row["method"] == "seasonal"


def test_projection_edges():
    funds = _two_past_years()
    # one past year only: a projection, but no interval and a note saying why
    one = project_year_end(funds[funds["month"].dt.year >= 2023], as_of="2024-06").iloc[0]
    assert one["projected_wan"] == pytest.approx(900.0)              # hand: 450 ÷ 0.5
    assert pd.isna(one["lower_wan"]) and one["note"] == "历史仅一年，无法估计区间"
    # nothing so far this year: no projection, and the reason
    none = project_year_end(funds.iloc[:4], as_of="2024-06").iloc[0]
    assert pd.isna(none["projected_wan"]) and none["note"].startswith("本年尚无实绩")
    # December: the projection is the year itself
    dec = project_year_end(funds, as_of="2023-12").iloc[0]
    assert dec["projected_wan"] == dec["lower_wan"] == dec["upper_wan"] == 1000.0
    # already past the target in June: certain to meet it
    targets = pd.DataFrame({"year": [2024], "unit": ["城西镇"], "indicator": ["funds_in_place"],
                            "target": [300.0]})
    met = project_year_end(funds, targets, as_of="2024-06").iloc[0]
    assert met["prob_meet_target"] == 1.0


def _regular_series(years=range(2018, 2025), units=("甲镇", "乙镇")):
    """Every year has the same monthly shape, scaled: the share of the year reached by any
    month is identical across years, so the seasonal method must be exact."""
    shape = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 14], dtype=float)
    rows = []
    for u, unit in enumerate(units):
        for k, year in enumerate(years):
            for m in range(12):
                rows.append((unit, pd.Timestamp(year=year, month=m + 1, day=1),
                             shape[m] * 100 * (u + 1) * 1.1 ** k))
    return pd.DataFrame(rows, columns=["unit", "month", "amount_wan"]), shape


def test_backtest_is_exact_when_the_season_never_changes(engine):
    funds, _shape = _regular_series()
    out = engine.back(backtest(engine(funds), methods=["seasonal"], through_month=6))
    # complete years 2018-2024, two years of history needed → 2020…2024; 2 units + 合计
    assert sorted(out["year"].unique()) == [2020, 2021, 2022, 2023, 2024]
    assert len(out) == 5 * 3
    np.testing.assert_allclose(out["error_pct"], 0, atol=1e-9)
    # hand: 甲镇 2024 = 5,000 × 1.1^6 (the shape sums to 50)
    row = out[(out["unit"] == "甲镇") & (out["year"] == 2024)].iloc[0]
    assert row["actual_wan"] == pytest.approx(5000 * 1.1 ** 6)
    assert row["ytd_wan"] == pytest.approx(12 / 50 * 5000 * 1.1 ** 6)   # 1+1+2+2+3+3 of 50
    assert bool(row["covered"])


def test_ets_matches_statsmodels_on_the_same_series():
    demo = load_demo().funds
    out = project_year_end(demo, as_of="2024-06", method="ets", by=(), n_sims=4000)
    row = out.iloc[0]
    # independent: the county series fitted directly with statsmodels
    cny = demo[demo["currency"] == "CNY"]
    series = cny[cny["month"] <= "2024-06-01"].groupby("month")["amount_wan"].sum()
    series.index = pd.DatetimeIndex(series.index, freq="MS")
    fit = ETSModel(series, error="add", trend=None, seasonal="add", seasonal_periods=12).fit(disp=False)
    ytd = series[series.index.year == 2024].sum()
    assert row["ytd_wan"] == pytest.approx(ytd)
    assert row["projected_wan"] == pytest.approx(ytd + fit.forecast(6).sum(), rel=1e-6)
    assert row["lower_wan"] < row["projected_wan"] < row["upper_wan"]
    assert row["history_years"] == 5


def test_probability_falls_as_the_target_rises():
    demo = load_demo()
    probs = []
    for lift in (0.8, 1.0, 1.2):
        t = demo.targets.assign(target=demo.targets["target"] * lift)
        out = project_year_end(demo.funds, t, as_of="2024-06")
        probs.append(out.set_index("unit").loc["合计", "prob_meet_target"])
    assert probs[0] > probs[1] > probs[2]


def test_projection_is_the_same_on_every_engine(engine):
    demo = load_demo()
    expected = project_year_end(demo.funds, demo.targets, as_of="2024-06")
    got = engine.back(project_year_end(engine(demo.funds), demo.targets, as_of="2024-06"))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert got["unit"].iloc[-1] == "合计" and len(got) == 21


def test_fitted_model_follows_the_lifelines_convention():
    demo = load_demo()
    model = YearEndProjection("seasonal", level=0.9).fit(demo.funds, demo.targets, as_of="2024-06")
    assert model.as_of_ == (2024, 6)
    assert set(model.history_.columns) == {"unit", "year", "month_no", "value"}
    assert isinstance(model.summary, pd.DataFrame) and model.summary["level"].eq(0.9).all()
    wide = YearEndProjection("seasonal", level=0.95).fit(demo.funds, as_of="2024-06").summary
    width_95 = (wide["upper_wan"] - wide["lower_wan"]).dropna()
    width_90 = (model.summary["upper_wan"] - model.summary["lower_wan"]).dropna()
    assert len(width_95) == len(width_90) == 19          # 双河乡 and 县农业农村局 have no ytd
    assert (width_95 > width_90).all()
    assert repr(model) == "YearEndProjection(method='seasonal', level=0.9)"


def test_clear_errors():
    funds = _two_past_years()
    with pytest.raises(ZsAnalyticsError, match="method == 'arima'"):
        project_year_end(funds, as_of="2024-06", method="arima")
    with pytest.raises(ZsAnalyticsError, match="level == 80"):
        project_year_end(funds, as_of="2024-06", level=80)
    with pytest.raises(ZsAnalyticsError, match="no rows through 2010-06"):
        project_year_end(funds, as_of="2010-06")
    with pytest.raises(ZsAnalyticsError, match="through_month == 12"):
        backtest(funds, through_month=12)
    with pytest.raises(ZsAnalyticsError, match="complete years with 2 complete years before"):
        backtest(funds, years=[2023])
