"""zsanalytics: investment-promotion (招商引资) analytics for county commerce bureaus.

Read the ledgers and monthly reports analysts receive into canonical tables, losing nothing and
reporting every problem; then compute funds in place, growth, completion and more.
"""

from importlib.metadata import PackageNotFoundError, version

from . import narrate
from ._numbers import fmt_pct, fmt_yi, round_half_up
from .clean import (
    MonthSpan,
    Profile,
    find_period,
    load_profile,
    normalize_unit,
    parse_amount,
    parse_date,
    parse_period,
    read_ledger,
    read_monthly_report,
)
from .datasets import load_demo
from .errors import ColumnNotFoundError, DataQualityWarning, NoLedgerFoundError, ZsAnalyticsError
from .gate import (
    IncompleteMonthError,
    MonthOutOfRangeError,
    Reconciliation,
    ReconciliationError,
    reconcile,
)
from .metrics import (
    RATES_ZH,
    STAGE_ZH,
    STAGES,
    STATUS_ZH,
    BacktestSummary,
    RankGap,
    YearEndProjection,
    backtest,
    backtest_summary,
    balance,
    completion,
    conversion,
    cumulative,
    funds_in_place,
    funnel,
    load_rules,
    lorenz,
    project_year_end,
    rank_gap,
    rank_units,
    required_pace,
    score_units,
    scorecard,
    stage_issues,
    stage_warnings,
    time_progress,
    time_to_stage,
    to_cny,
    whatif,
)
from .schema import FUNDS, PROJECTS, TARGETS, validate
from .store import IngestReport, Store, ingest, normalize_currency, open_store

try:
    __version__ = version("zsanalytics")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "FUNDS",
    "PROJECTS",
    "RATES_ZH",
    "STAGES",
    "STAGE_ZH",
    "STATUS_ZH",
    "TARGETS",
    "BacktestSummary",
    "ColumnNotFoundError",
    "DataQualityWarning",
    "IncompleteMonthError",
    "IngestReport",
    "MonthOutOfRangeError",
    "MonthSpan",
    "NoLedgerFoundError",
    "Profile",
    "RankGap",
    "Reconciliation",
    "ReconciliationError",
    "Store",
    "YearEndProjection",
    "ZsAnalyticsError",
    "__version__",
    "backtest",
    "backtest_summary",
    "balance",
    "completion",
    "conversion",
    "cumulative",
    "find_period",
    "fmt_pct",
    "fmt_yi",
    "funds_in_place",
    "funnel",
    "ingest",
    "load_demo",
    "load_profile",
    "load_rules",
    "lorenz",
    "narrate",
    "normalize_currency",
    "normalize_unit",
    "open_store",
    "parse_amount",
    "parse_date",
    "parse_period",
    "project_year_end",
    "rank_gap",
    "rank_units",
    "read_ledger",
    "read_monthly_report",
    "reconcile",
    "required_pace",
    "round_half_up",
    "score_units",
    "scorecard",
    "stage_issues",
    "stage_warnings",
    "time_progress",
    "time_to_stage",
    "to_cny",
    "validate",
    "whatif",
]
