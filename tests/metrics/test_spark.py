"""The core metrics on PySpark in local mode give what they give on pandas.

pandas is the reference here because every pandas result above is checked against hand
calculations and published figures; this file checks that Spark computes the same thing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from zsanalytics import (
    backtest,
    balance,
    completion,
    conversion,
    funds_in_place,
    funnel,
    project_year_end,
    rank_units,
    required_pace,
    score_units,
    scorecard,
    stage_warnings,
    time_to_stage,
    to_cny,
    whatif,
)

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")  # pyspark on pandas 3


@pytest.fixture(scope="module")
def spark_funds(spark_engine, demo):
    return spark_engine(demo.funds)


CASES = {
    "funds_in_place": lambda f, t: funds_in_place(f, as_of="2024-06", by=("unit", "source"),
                                                  totals=True),
    "completion": lambda f, t: completion(f, t, as_of="2024-06", totals=True),
    "completion_days": lambda f, t: completion(f, t, as_of="2020-06", method="days"),
    "required_pace": lambda f, t: required_pace(f, t, as_of="2024-09"),
    "whatif": lambda f, t: whatif(f, t, as_of="2024-06",
                                  scenario=[{"unit": "城西镇", "amount_wan": 30000.0}]),
    "scorecard": lambda f, t: scorecard(f, t, as_of="2024-06", totals=True),
    "projection": lambda f, t: project_year_end(f, t, as_of="2024-06"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_core_metrics_on_spark(spark_engine, spark_funds, demo, case):
    expected = CASES[case](demo.funds, demo.targets)
    got = spark_engine.back(CASES[case](spark_funds, demo.targets))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_backtest_on_spark_keeps_every_year(spark_engine, spark_funds, demo):
    # in an Asia/Shanghai session the last month read as May (UTC) and a year was dropped
    expected = backtest(demo.funds, methods=("seasonal",), n_sims=200)
    got = spark_engine.back(backtest(spark_funds, methods=("seasonal",), n_sims=200))
    assert sorted(got["year"].unique()) == sorted(expected["year"].unique())
    got["covered"] = got["covered"].astype("boolean")  # Spark's None is pandas' <NA>
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize("kind", ["timestamp", "timestamp_ntz", "date"])
def test_months_of_every_spark_type_are_months(spark_engine, spark_funds, demo, kind):
    # timestamp is an instant shown in the session's zone; timestamp_ntz and date are wall-clock
    # values (Spark reads parquet written by pandas as timestamp_ntz): July is never in 1-6月
    from pyspark.sql import functions as F

    typed = spark_funds.withColumn("month", F.col("month").cast(kind))
    expected = funds_in_place(demo.funds, as_of="2024-06", totals=True)
    got = spark_engine.back(funds_in_place(typed, as_of="2024-06", totals=True))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_to_cny_on_spark(spark_engine, spark_funds, demo):
    keys = ["unit", "month", "source"]
    expected = to_cny(demo.funds, {"USD": 7.1}).sort_values(keys).reset_index(drop=True)
    got = spark_engine.back(to_cny(spark_funds, {"USD": 7.1})).sort_values(keys)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


PROJECT_CASES = {
    "funnel": lambda p: funnel(p, as_of="2024-06", by="unit", cohort="signed_year"),
    "conversion": lambda p: conversion(p, as_of="2024-06", by="unit"),
    "time_to_stage": lambda p: time_to_stage(p, as_of="2024-06", by="unit"),
    "stage_warnings": lambda p: stage_warnings(p, as_of="2024-06-30"),
}


@pytest.mark.parametrize("case", list(PROJECT_CASES))
def test_funnel_metrics_on_spark(spark_engine, demo, case):
    projects = demo.projects
    expected = PROJECT_CASES[case](projects)
    got = spark_engine.back(PROJECT_CASES[case](spark_engine(projects)))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_balance_metrics_on_spark(spark_engine, spark_funds, demo):
    card = scorecard(demo.funds, demo.targets, as_of="2024-06", totals=True)
    spark_card = scorecard(spark_funds, demo.targets, as_of="2024-06", totals=True)
    rules = {"indicators": [{"name": "funds", "actual": "ytd_wan", "target": "target_wan",
                             "weight": 100, "cap": 120}]}
    for metric in (lambda c: balance(c, value_col="ytd_wan"),
                   lambda c: rank_units(c, value_col="completion_pct", digits=1),
                   lambda c: score_units(c, rules)):
        expected = metric(card)
        got = spark_engine.back(metric(spark_card))
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
