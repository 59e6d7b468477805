"""Dates as ledgers hold them: Excel dates and serial numbers, 2024.3.15, 2024/05/20,
2024-6-30, 2024年5月10日, 2024年2月 (month only), and words such as 未签约."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._frame import to_pandas_series
from ._text import normalize_text

__all__ = ["EXCEL_EPOCH", "parse_date"]

#: Day zero of Excel's 1900 date system (serial 1 is 1900-01-01; Excel's phantom 1900-02-29
#: makes 1899-12-30 the right origin for every serial from 61 on).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_DATE = (
    r"^(?:(?P<y>\d{4})(?:年|[./-])(?P<m>\d{1,2})(?:(?:月|[./-])(?:(?P<d>\d{1,2})[日号]?)?)?"
    r"|(?P<y8>\d{4})(?P<m8>\d{2})(?P<d8>\d{2})"
    r"|(?P<serial>\d{5}(?:\.\d+)?))"
    r"(?:[T ]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)


def parse_date(
    values: Any, *, valid_range: tuple[str, str] = ("1980-01-01", "2100-12-31")
) -> pd.DataFrame:
    """Parse dates written in any of the ways ledgers write them.

    Parameters
    ----------
    values : sequence
        Dates, datetimes, Excel serial numbers, strings or blanks.
    valid_range : (str, str), default ("1980-01-01", "2100-12-31")
        Dates outside it are implausible for an investment ledger (a year typed as a
        serial, say): they come back missing with the problem ``"out_of_range"``.

    Returns
    -------
    pandas.DataFrame
        One row per input value, in order (a pandas Series input keeps its index):

        - ``date`` (datetime64[ns]): the date; the first of the month when only a month is
          written; missing when not parsed.
        - ``precision`` (str): ``"day"`` or ``"month"``; missing when not parsed.
        - ``problem`` (str): missing when clean; otherwise ``"empty"``, ``"unparsed"`` (a
          word such as 未签约), ``"invalid_date"`` (2024-02-30) or ``"out_of_range"``.

    Examples
    --------
    >>> import datetime as dt
    >>> out = parse_date(["2024.3.15", "2024/05/20", "2024-6-30", "2024年5月10日", "2024年2月",
    ...                   45306, dt.date(2024, 7, 1), "未签约", "2024-02-30", None])
    >>> out["date"].dt.strftime("%Y-%m-%d").tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['2024-03-15', '2024-05-20', '2024-06-30', '2024-05-10', '2024-02-01', '2024-01-15',
     '2024-07-01', nan, nan, nan]
    >>> out["precision"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['day', 'day', 'day', 'day', 'month', 'day', 'day', nan, nan, nan]
    >>> out["problem"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    [nan, nan, nan, nan, nan, nan, nan, 'unparsed', 'invalid_date', 'empty']
    """
    lo, hi = pd.Timestamp(valid_range[0]), pd.Timestamp(valid_range[1])
    series = to_pandas_series(values)
    raw = series.to_numpy(dtype=object)
    n = len(raw)

    date = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    precision = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)

    kind = np.fromiter((_kind(v) for v in raw), dtype=np.int8, count=n)

    # 1: date-like objects
    idx = np.flatnonzero(kind == 1)
    if len(idx):
        stamps = pd.to_datetime(pd.Series(raw[idx], dtype=object), errors="coerce")
        date[idx] = stamps.dt.floor("D").to_numpy(dtype="datetime64[ns]")
        precision[idx] = "day"

    # 2: numbers are Excel serials
    idx = np.flatnonzero(kind == 2)
    if len(idx):
        _from_serial(raw[idx].astype(np.float64), idx, date, precision, problem)

    # 3: strings
    idx = np.flatnonzero(kind == 3)
    if len(idx):
        _from_strings(pa.array(raw[idx], type=pa.string()), idx, date, precision, problem)

    problem[kind == 0] = "empty"
    problem[kind == 4] = "unparsed"

    # plausibility
    parsed = ~np.isnat(date)
    stamps = date.astype("datetime64[ns]")
    outside = parsed & ((stamps < lo.to_datetime64()) | (stamps > hi.to_datetime64()))
    date[outside] = np.datetime64("NaT")
    precision[outside] = None
    problem[outside] = "out_of_range"

    out = pd.DataFrame(
        {
            "date": pd.Series(date, dtype="datetime64[ns]"),
            "precision": pd.array(precision, dtype="str"),
            "problem": pd.array(problem, dtype="str"),
        }
    )
    if isinstance(values, pd.Series):
        out.index = values.index
    return out


def _kind(v: Any) -> int:
    """0 missing, 1 date-like, 2 number, 3 string, 4 anything else."""
    if v is None:
        return 0
    if isinstance(v, str):
        return 3
    if isinstance(v, bool | np.bool_):
        return 4
    if isinstance(v, dt.date | np.datetime64):
        return 0 if pd.isna(v) else 1
    if isinstance(v, int | float | np.integer | np.floating):
        return 0 if v != v else 2
    return 0 if pd.isna(v) is True else 4


def _from_serial(serial: np.ndarray, idx: np.ndarray, date: np.ndarray, precision: np.ndarray,
                 problem: np.ndarray) -> None:
    ok = np.isfinite(serial) & (serial >= 1) & (serial < 2_958_466)  # Excel's last day: 9999-12-31
    days = np.floor(serial[ok]).astype(np.int64)
    date[idx[ok]] = EXCEL_EPOCH.to_datetime64() + days.astype("timedelta64[D]")
    precision[idx[ok]] = "day"
    problem[idx[~ok]] = "out_of_range"


def _from_strings(arr: pa.Array, idx: np.ndarray, date: np.ndarray, precision: np.ndarray,
                  problem: np.ndarray) -> None:
    text = normalize_text(arr, drop_spaces=False)
    text = pc.utf8_trim_whitespace(text)
    empty = pc.equal(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    problem[idx[empty]] = "empty"
    m = pc.extract_regex(text, _DATE)
    ok = pc.is_valid(m).to_numpy(zero_copy_only=False)
    problem[idx[~ok & ~empty]] = "unparsed"
    if not ok.any():
        return
    sub = pc.filter(m, pc.is_valid(m))

    def col(name: str) -> np.ndarray:
        f = sub.field(name)
        f = pc.if_else(pc.equal(f, ""), pa.scalar(None, pa.string()), f)
        return pc.cast(f, pa.float64()).to_numpy(zero_copy_only=False)

    y, mo, d = col("y"), col("m"), col("d")
    y8, m8, d8 = col("y8"), col("m8"), col("d8")
    serial = col("serial")
    eight = ~np.isnan(y8)
    y = np.where(eight, y8, y)
    mo = np.where(eight, m8, mo)
    d = np.where(eight, d8, d)
    where = idx[ok]

    is_serial = ~np.isnan(serial)
    if is_serial.any():
        _from_serial(serial[is_serial], where[is_serial], date, precision, problem)

    ymd = ~is_serial
    month_only = ymd & np.isnan(d)
    parts = pd.DataFrame({"year": y[ymd], "month": mo[ymd], "day": np.where(np.isnan(d), 1, d)[ymd]})
    stamps = pd.to_datetime(parts, errors="coerce").to_numpy(dtype="datetime64[ns]")
    good = ~np.isnat(stamps)
    target = where[ymd]
    date[target[good]] = stamps[good]
    precision[target[good]] = np.where(month_only[ymd][good], "month", "day")
    problem[target[~good]] = "invalid_date"
