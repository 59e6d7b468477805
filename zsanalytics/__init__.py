"""zsanalytics: investment-promotion (招商引资) analytics for county commerce bureaus.

Read the ledgers and monthly reports analysts receive into canonical tables, losing nothing and
reporting every problem; then compute funds in place, growth, completion and more.
"""

from importlib.metadata import PackageNotFoundError, version

from .clean import (
    MonthSpan,
    find_period,
    normalize_unit,
    parse_amount,
    parse_date,
    parse_period,
    read_ledger,
    read_monthly_report,
)
from .datasets import load_demo
from .errors import ColumnNotFoundError, DataQualityWarning, ZsAnalyticsError
from .metrics import (
    STATUS_ZH,
    YearEndProjection,
    backtest,
    completion,
    funds_in_place,
    project_year_end,
    required_pace,
    scorecard,
    time_progress,
    to_cny,
    whatif,
)
from .schema import FUNDS, PROJECTS, TARGETS, validate

try:
    __version__ = version("zsanalytics")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "FUNDS",
    "PROJECTS",
    "STATUS_ZH",
    "TARGETS",
    "ColumnNotFoundError",
    "DataQualityWarning",
    "MonthSpan",
    "YearEndProjection",
    "ZsAnalyticsError",
    "__version__",
    "backtest",
    "completion",
    "find_period",
    "funds_in_place",
    "load_demo",
    "normalize_unit",
    "parse_amount",
    "parse_date",
    "parse_period",
    "project_year_end",
    "read_ledger",
    "read_monthly_report",
    "required_pace",
    "scorecard",
    "time_progress",
    "to_cny",
    "validate",
    "whatif",
]
