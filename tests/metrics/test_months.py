"""as_month and time_progress (序时进度). Expected values are hand counts of calendar days."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from zsanalytics import ZsAnalyticsError, time_progress
from zsanalytics.metrics import as_month


@pytest.mark.parametrize(
    "value",
    ["2024-06", "2024-6", "2024/06", "2024.6", "2024年6月", "2024年6月底", "2024-06-30",
     dt.date(2024, 6, 30), dt.datetime(2024, 6, 1, 12), pd.Timestamp("2024-06-15"),
     pd.Period("2024-06", "M"), np.datetime64("2024-06-10")],
)
def test_as_month_reads_the_usual_spellings(value):
    assert as_month(value) == (2024, 6)


@pytest.mark.parametrize("value", ["2024-13", "2024-00", "June", "", None, 202406, "24-06"])
def test_as_month_rejects_with_the_rule(value):
    with pytest.raises(ZsAnalyticsError, match=r"as_of == .*：应为月份，如 '2024-06'"):
        as_month(value)


def test_time_progress_by_months():
    # hand: months elapsed / 12
    assert time_progress("2024-06") == 0.5
    assert time_progress("2024-03") == 0.25
    assert time_progress("2024-12") == 1.0


def test_time_progress_by_days_is_leap_aware():
    # hand count: Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 30 = 182 days in 2020
    assert time_progress("2020-06", method="days") == pytest.approx(182 / 366)
    # 2023 has a 28-day February: 181 of 365 days
    assert time_progress("2023-06", method="days") == pytest.approx(181 / 365)
    assert time_progress("2023-12", method="days") == 1.0
    assert time_progress("2024-01", method="days") == pytest.approx(31 / 366)


def test_time_progress_by_an_analysts_cumulative_plan():
    plan = [3, 6, 12, 18, 25, 40, 48, 56, 65, 75, 85, 100]  # % of the year, cumulative
    assert time_progress("2024-06", method=plan) == pytest.approx(0.40)
    # the same plan in 万元 normalises by the year's total
    assert time_progress("2024-09", method=[v * 500 for v in plan]) == pytest.approx(0.65)


@pytest.mark.parametrize(
    ("method", "message"),
    [("weeks", "应为 'months'、'days'"), ([1, 2, 3], "有 3 个值"),
     ([5, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], "逐月不减"),
     ([0] * 12, "逐月不减"), (["a"] * 12, "method == .*应为 'months'")],
)
def test_time_progress_rejects_bad_methods(method, message):
    with pytest.raises(ZsAnalyticsError, match=message):
        time_progress("2024-06", method=method)
