"""Months: reading ``as_of`` and the share of the year it stands for (序时进度)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ZsAnalyticsError

__all__ = ["as_date", "as_month", "month_bounds", "time_progress"]

_MONTH_TEXT = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年]\s*)(\d{1,2})\s*(?:月(?:底|末|份)?|[-/.]\s*\d{1,2}\s*日?)?\s*$"
)


def as_month(value: Any, *, argument: str = "as_of") -> tuple[int, int]:
    """``(year, month)`` of a month given as ``"2024-06"``, ``"2024年6月"``, a date, a
    ``pandas.Timestamp`` or a ``pandas.Period``.

    Examples
    --------
    >>> as_month("2024-06"), as_month("2024年6月底"), as_month(pd.Period("2020-06", "M"))
    ((2024, 6), (2024, 6), (2020, 6))
    >>> as_month("2024-13")
    Traceback (most recent call last):
    ...
    zsanalytics.errors.ZsAnalyticsError: as_of == '2024-13'：应为月份，如 '2024-06'
    """
    year = month = None
    if isinstance(value, pd.Period):
        year, month = value.year, value.month
    elif isinstance(value, dt.date | np.datetime64):  # datetime and Timestamp are dates too
        ts = pd.Timestamp(value)
        year, month = ts.year, ts.month
    elif isinstance(value, str):
        found = _MONTH_TEXT.match(value)
        if found:
            year, month = int(found.group(1)), int(found.group(2))
    if year is None or month is None or not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ZsAnalyticsError(f"{argument} == {value!r}：应为月份，如 '2024-06'")
    return int(year), int(month)


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def as_date(value: Any, *, argument: str = "as_of") -> dt.date:
    """The day a stage count is taken on: a date (``"2024-06-15"``, ``"2024年6月15日"``, a
    ``date`` or ``Timestamp``), or a month (``"2024-06"``, ``"2024年6月底"``, a ``Period``),
    which means its last day.

    Examples
    --------
    >>> as_date("2024-06"), as_date("2024年2月底"), as_date("2024-06-15")
    (datetime.date(2024, 6, 30), datetime.date(2024, 2, 29), datetime.date(2024, 6, 15))
    """
    if isinstance(value, dt.date | np.datetime64) and not isinstance(value, pd.Period):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            raise ZsAnalyticsError(f"{argument} 为空：应为日期，如 '2024-06-30'")
        return ts.date()
    if isinstance(value, str):
        found = _DATE_TEXT.match(value)
        if found:
            try:
                return dt.date(*(int(g) for g in found.groups()))
            except ValueError:
                raise ZsAnalyticsError(
                    f"{argument} == {value!r}：日历上没有这一天，请核对月和日") from None
    try:
        year, month = as_month(value, argument=argument)
    except ZsAnalyticsError:
        raise ZsAnalyticsError(
            f"{argument} == {value!r}：应为日期（如 '2024-06-30'）或月份（如 '2024-06'，"
            "取该月最后一天）") from None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """First instant of ``year`` and first instant after ``month``: the year-to-date span
    ``[start, end)``."""
    end = dt.datetime(year + 1, 1, 1) if month == 12 else dt.datetime(year, month + 1, 1)
    return dt.datetime(year, 1, 1), end


def time_progress(as_of: Any, *, method: str | Sequence[float] = "months") -> float:
    """Time progress (序时进度): the share of the year elapsed at the end of month ``as_of``.

    Published reports use three conventions, so all three are here.

    Parameters
    ----------
    as_of : str, date or Period
        The report month (``"2024-06"``); progress is measured at its last day.
    method : {"months", "days"} or sequence of 12 numbers, default "months"
        ``"months"``: months elapsed ÷ 12 (1-6月 → 0.5, the usual 时间过半).
        ``"days"``: days elapsed ÷ days in the year, leap-aware (end of June 2020 →
        182/366).
        A sequence: the analyst's own cumulative monthly plan (12 non-decreasing values, as
        fractions, percentages or amounts); progress is the plan to date ÷ the plan for the
        year.

    Returns
    -------
    float
        A fraction between 0 and 1 (multiply by 100 for 序时进度 in %).

    Examples
    --------
    >>> time_progress("2024-06")
    0.5
    >>> round(time_progress("2020-06", method="days"), 4)  # 182/366
    0.4973
    >>> plan = [3, 6, 12, 18, 25, 40, 48, 56, 65, 75, 85, 100]  # a 前低后高 cumulative plan, %
    >>> time_progress("2024-06", method=plan)
    0.4
    """
    year, month = as_month(as_of)
    if isinstance(method, str):
        if method == "months":
            return month / 12
        if method == "days":
            last_day = calendar.monthrange(year, month)[1]
            elapsed = (dt.date(year, month, last_day) - dt.date(year, 1, 1)).days + 1
            return elapsed / (366 if calendar.isleap(year) else 365)
        raise ZsAnalyticsError(
            f"method == {method!r}：应为 'months'、'days' 或 12 个数的累计进度计划（1-12月）"
        )
    try:
        plan = np.asarray(list(method), dtype=float)
    except (TypeError, ValueError) as exc:
        raise ZsAnalyticsError(
            f"method == {method!r}：应为 'months'、'days' 或 12 个数的累计进度计划（1-12月）"
        ) from exc
    if plan.shape != (12,) or not np.isfinite(plan).all():
        raise ZsAnalyticsError(f"method 有 {plan.size} 个值：累计进度计划应为 12 个数（1-12月各一个）")
    if (np.diff(plan) < 0).any() or plan[0] < 0 or plan[-1] <= 0:
        raise ZsAnalyticsError(
            "method 应为累计进度计划：12 个逐月不减的数，最后一个大于 0；"
            f"实际为 {plan.tolist()}"
        )
    return float(plan[month - 1] / plan[-1])
