"""Metrics: funds in place, growth, completion against targets and time progress, the pace
needed, what-if scenarios and year-end projections.

Every metric is written once against narwhals (stable v2) and runs unchanged on pandas,
polars (eager and lazy), DuckDB and PySpark, returning the type it was given.
"""

from ._months import as_month, time_progress
from .funds import funds_in_place, to_cny, yoy
from .projection import METHODS, YearEndProjection, backtest, project_year_end
from .targets import STATUS_ZH, completion, required_pace, scorecard, whatif

__all__ = [
    "METHODS",
    "STATUS_ZH",
    "YearEndProjection",
    "as_month",
    "backtest",
    "completion",
    "funds_in_place",
    "project_year_end",
    "required_pace",
    "scorecard",
    "time_progress",
    "to_cny",
    "whatif",
    "yoy",
]
