"""Cleaning: parsers for amounts, dates, periods and unit names, and readers for ledgers and
monthly reports. Every reader returns the clean table and a table of issues."""

from ._sheet import ISSUE_COLUMNS, Result
from .amounts import AMOUNT_UNITS, parse_amount
from .dates import parse_date
from .ledger import read_ledger
from .monthly import read_monthly_report
from .periods import MonthSpan, find_period, parse_period
from .profile import Profile, load_profile
from .units import normalize_unit

__all__ = [
    "AMOUNT_UNITS",
    "ISSUE_COLUMNS",
    "MonthSpan",
    "Profile",
    "Result",
    "find_period",
    "load_profile",
    "normalize_unit",
    "parse_amount",
    "parse_date",
    "parse_period",
    "read_ledger",
    "read_monthly_report",
]
