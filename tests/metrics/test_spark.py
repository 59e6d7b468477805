"""The core metrics on PySpark in local mode give what they give on pandas.

pandas is the reference here because every pandas result above is checked against hand
calculations and published figures; this file checks that Spark computes the same thing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from zsanalytics import (
    completion,
    funds_in_place,
    load_demo,
    project_year_end,
    required_pace,
    scorecard,
    to_cny,
    whatif,
)

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")  # pyspark on pandas 3


@pytest.fixture(scope="module")
def demo():
    return load_demo()


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


def test_to_cny_on_spark(spark_engine, spark_funds, demo):
    keys = ["unit", "month", "source"]
    expected = to_cny(demo.funds, {"USD": 7.1}).sort_values(keys).reset_index(drop=True)
    got = spark_engine.back(to_cny(spark_funds, {"USD": 7.1})).sort_values(keys)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)
