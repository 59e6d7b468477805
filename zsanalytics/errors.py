"""Exceptions and warnings raised by zsanalytics.

Every error the library raises on purpose derives from :class:`ZsAnalyticsError`, itself a
``ValueError``, so ``except ValueError`` keeps working for callers that do not know us.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "ColumnNotFoundError",
    "DataQualityWarning",
    "NoLedgerFoundError",
    "ZsAnalyticsError",
]


class ZsAnalyticsError(ValueError):
    """Base class of every error zsanalytics raises on purpose."""


class ColumnNotFoundError(ZsAnalyticsError):
    """A table lacks columns that an operation needs.

    The message names what is missing, lists what is there and suggests near matches.

    Examples
    --------
    >>> err = ColumnNotFoundError(["unit", "amont_wan"], ["unit", "month", "amount_wan"])
    >>> err.missing
    ['amont_wan']
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    缺少列 ['amont_wan']；现有列：['unit', 'month', 'amount_wan']；'amont_wan' 是否应为 'amount_wan'？
    """

    def __init__(
        self, required: Iterable[str], available: Iterable[str], *, table: str | None = None
    ) -> None:
        available = [str(c) for c in available]
        self.missing = [c for c in required if c not in set(available)]
        self.available = available
        self.table = table
        hints = []
        for name in self.missing:
            close = difflib.get_close_matches(name, available, n=1, cutoff=0.6)
            if close:
                hints.append(f"{name!r} 是否应为 {close[0]!r}？")
        where = f"{table} 表" if table else ""
        message = f"{where}缺少列 {self.missing}；现有列：{available}"
        if hints:
            message += "；" + "".join(hints)
        super().__init__(message)


class NoLedgerFoundError(ZsAnalyticsError):
    """A workbook has no sheet that reads as a project ledger (``zsa clean`` then tries it as a
    monthly report)."""


class DataQualityWarning(UserWarning):
    """Data was usable but doubtful (an approximate amount, a month-only date, ...)."""
