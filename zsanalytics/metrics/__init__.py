"""Metrics: funds in place, growth, completion against targets and time progress, the pace
needed, what-if scenarios, year-end projections, the signing-to-landing funnel and the balance
across units.

Every metric is written once against narwhals (stable v2) and runs unchanged on pandas,
polars (eager and lazy), DuckDB and PySpark, returning the type it was given.
"""

from ._months import as_date, as_month, time_progress
from .balance import RankGap, balance, load_rules, lorenz, rank_gap, rank_units, score_units
from .funds import cumulative, funds_in_place, to_cny, yoy
from .funnel import (
    DEFAULT_DEADLINES,
    RATES_ZH,
    STAGE_ZH,
    STAGES,
    conversion,
    funnel,
    stage_issues,
    stage_warnings,
    time_to_stage,
)
from .projection import (
    METHODS,
    BacktestSummary,
    YearEndProjection,
    backtest,
    backtest_summary,
    project_year_end,
)
from .targets import STATUS_ZH, completion, required_pace, scorecard, whatif

__all__ = [
    "DEFAULT_DEADLINES",
    "METHODS",
    "RATES_ZH",
    "STAGES",
    "STAGE_ZH",
    "STATUS_ZH",
    "BacktestSummary",
    "RankGap",
    "YearEndProjection",
    "as_date",
    "as_month",
    "backtest",
    "backtest_summary",
    "balance",
    "completion",
    "conversion",
    "cumulative",
    "funds_in_place",
    "funnel",
    "load_rules",
    "lorenz",
    "project_year_end",
    "rank_gap",
    "rank_units",
    "required_pace",
    "score_units",
    "scorecard",
    "stage_issues",
    "stage_warnings",
    "time_progress",
    "time_to_stage",
    "to_cny",
    "whatif",
    "yoy",
]
