"""Dates as ledgers hold them: Excel dates and serial numbers (1900 and 1904 date systems),
2024.3.15, 2024/05/20, 2024-6-30, 2024年5月10日, 2024年2月 and 201602 (month only), 3月15日
with the year of the table's title, and words such as 未签约."""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._frame import to_pandas_series
from ..errors import ZsAnalyticsError
from ._text import NUMBER_TYPES, normalize_text, to_float64, to_text

__all__ = ["EXCEL_EPOCH", "EXCEL_EPOCH_1904", "parse_date"]

#: Day zero of Excel's 1900 date system (serial 1 is 1900-01-01; Excel's phantom 1900-02-29
#: makes 1899-12-30 the right origin for every serial from 61 on).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Day zero of Excel's 1904 date system (workbooks from old Mac Excel): serial 0 is 1904-01-01.
EXCEL_EPOCH_1904 = pd.Timestamp("1904-01-01")

_DATE = (
    r"^(?:(?P<y>\d{4})(?:年|[./-])(?P<m>\d{1,2})(?:(?:月|[./-])(?:(?P<d>\d{1,2})[日号]?)?)?"
    r"|(?P<y8>\d{4})(?P<m8>\d{2})(?P<d8>\d{2})"
    r"|(?P<y6>19[89]\d|20\d\d|2100)(?P<m6>0[1-9]|1[0-2])"  # yyyyMM: 1980-2100, 01-12 only
    r"|(?P<serial>\d{5}(?:\.\d+)?)"
    r"|(?P<nm>\d{1,2})月份?(?:(?P<nd>\d{1,2})[日号]?)?"  # no year: 3月15日, 3月
    r"|(?P<dm>\d{1,2})\.(?P<dd>\d{2}))"  # no year: 3.15 (a one-digit day, 3.1, may be 3.10)
    r"(?:[T ]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_NAT = np.datetime64("NaT", "D")
# datetime64[ns] holds 1677-09-21 .. 2262-04-11: a day outside can never be returned
_NS_LO, _NS_HI = np.datetime64("1678-01-01", "D"), np.datetime64("2261-12-31", "D")


def parse_date(
    values: Any,
    *,
    valid_range: tuple[str, str] = ("1980-01-01", "2100-12-31"),
    default_year: int | None = None,
    date1904: bool = False,
) -> pd.DataFrame:
    """Parse dates written in any of the ways ledgers write them.

    Vectorised: text is matched with pyarrow compute (RE2), numbers with numpy. Never raises on
    a value: whatever cannot be read (a word, a lone surrogate, bytes, ``10**309``) gives a row
    with a ``problem``.

    Parameters
    ----------
    values : sequence
        Dates, datetimes, Excel serial numbers, ``yyyyMM`` or ``yyyyMMdd`` numbers, strings or
        blanks; a list, numpy array, pandas or polars Series.
    valid_range : (str, str), default ("1980-01-01", "2100-12-31")
        Dates outside it are implausible for an investment ledger (a year typed as a
        serial, say): they come back missing with the problem ``"out_of_range"``.
    default_year : int, optional
        The year of dates written without one (``3月15日``, ``3月``, ``3.15``), usually the
        year in the table's title. Without it such dates are ``"unparsed"``. The dotted form
        needs a two-digit day (``3.15``, ``3.05``): ``3.1`` may be 3.10 with its zero lost.
        Rows that used it have ``year_supplied`` True.
    date1904 : bool, default False
        Serial numbers count from Excel's 1904 date system (serial 0 = 1904-01-01), as in
        workbooks whose ``workbookPr`` says ``date1904``; otherwise from the 1900 system.

    Returns
    -------
    pandas.DataFrame
        One row per input value, in order (a pandas Series input keeps its index):

        - ``date`` (datetime64[ns]): the date; the first of the month when only a month is
          written; missing when not parsed.
        - ``precision`` (str): ``"day"`` or ``"month"``; missing when not parsed.
        - ``problem`` (str): missing when clean; otherwise ``"empty"``, ``"unparsed"`` (a
          word such as 未签约, or a value that is not text or a number), ``"invalid_date"``
          (2024-02-30) or ``"out_of_range"``.
        - ``year_supplied`` (bool): the year came from ``default_year``, not from the value.

        A six-digit number or text ``yyyyMM`` (``201603``) is a month when 1980 ≤ yyyy ≤ 2100
        and 1 ≤ MM ≤ 12, and an integer ``yyyyMMdd`` (``20240315``) a day; other numbers are
        Excel serials.

    Raises
    ------
    ZsAnalyticsError
        If ``default_year`` is not a year (1-9999) or ``date1904`` not a bool.

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

    Months written as ``yyyyMM``, as a number or as text:

    >>> parse_date([201603, "202412", 202413])[["date", "precision", "problem"]]
            date precision       problem
    0 2016-03-01     month           NaN
    1 2024-12-01     month           NaN
    2        NaT       NaN  out_of_range

    Dates without a year take ``default_year`` (the title's year) and say so:

    >>> parse_date(["3月15日", "3月", "3.15", "3.1"], default_year=2024)
            date precision   problem  year_supplied
    0 2024-03-15       day       NaN           True
    1 2024-03-01     month       NaN           True
    2 2024-03-15       day       NaN           True
    3        NaT       NaN  unparsed         False

    A serial of a workbook in the 1904 date system is 1,462 days later than in the 1900 one:

    >>> out = parse_date([0, 43844], date1904=True, valid_range=("1900-01-01", "2100-12-31"))
    >>> out["date"].dt.strftime("%Y-%m-%d").tolist()
    ['1904-01-01', '2024-01-15']
    """
    if default_year is not None and (isinstance(default_year, bool)
                                     or not isinstance(default_year, int | np.integer)
                                     or not 1 <= default_year <= 9999):
        raise ZsAnalyticsError(f"default_year == {default_year!r}：应为年份，如 2024")
    if not isinstance(date1904, bool | np.bool_):
        raise ZsAnalyticsError(f"date1904 == {date1904!r}：应为 True 或 False")
    lo = np.datetime64(pd.Timestamp(valid_range[0]).date(), "D")
    hi = np.datetime64(pd.Timestamp(valid_range[1]).date(), "D")
    series = to_pandas_series(_wall_clock(values))
    raw = series.to_numpy(dtype=object)
    n = len(raw)

    day = np.full(n, _NAT, dtype="datetime64[D]")
    precision = np.full(n, None, dtype=object)
    problem = np.full(n, None, dtype=object)
    supplied = np.zeros(n, dtype=bool)
    epoch = np.datetime64((EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH).date(), "D")
    first_serial = 0 if date1904 else 1

    if pd.api.types.infer_dtype(raw, skipna=False) == "string":  # one C-level pass
        kind = np.full(n, 3, dtype=np.int8)
    else:
        kind = np.fromiter((_kind(v) for v in raw), dtype=np.int8, count=n)

    # 1: date-like objects
    idx = np.flatnonzero(kind == 1)
    if len(idx):
        days = _days_of(raw[idx])
        day[idx] = days
        precision[idx] = "day"
        problem[idx[np.isnat(days)]] = "unparsed"

    # 2: numbers: yyyyMM, yyyyMMdd, or Excel serials
    idx = np.flatnonzero(kind == 2)
    if len(idx):
        _from_numbers(to_float64(raw[idx]), idx, day, precision, problem, epoch, first_serial)

    # 3: strings
    idx = np.flatnonzero(kind == 3)
    if len(idx):
        text, not_text = to_text(raw[idx])
        problem[idx[not_text]] = "unparsed"  # a lone surrogate: not text at all
        keep = ~not_text
        if keep.any():
            _from_strings(pc.filter(text, pa.array(keep)), idx[keep], day, precision, problem,
                          supplied, default_year, epoch, first_serial)

    problem[kind == 0] = "empty"
    problem[kind == 4] = "unparsed"

    # plausibility, on whole days (no nanosecond overflow for far-away serials)
    parsed = ~np.isnat(day)
    outside = parsed & ((day < max(lo, _NS_LO)) | (day > min(hi, _NS_HI)))
    day[outside] = _NAT
    precision[outside] = None
    problem[outside] = "out_of_range"
    supplied[np.isnat(day)] = False

    out = pd.DataFrame(
        {
            "date": pd.Series(day.astype("datetime64[ns]"), dtype="datetime64[ns]"),
            "precision": pd.array(precision, dtype="str"),
            "problem": pd.array(problem, dtype="str"),
            "year_supplied": supplied,
        }
    )
    if isinstance(values, pd.Series):
        out.index = values.index
    return out


def _wall_clock(values: Any) -> Any:
    """A pandas datetime Series with a time zone as its wall-clock times (the date as written
    in its own zone), so that it stays on the vectorised path."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    return values


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
    if isinstance(v, Decimal):
        return 0 if v.is_nan() else 2
    if isinstance(v, NUMBER_TYPES):
        return 0 if v != v else 2
    try:
        return 0 if pd.isna(v) is True else 4
    except (TypeError, ValueError):  # an object whose isna is not a bool
        return 4


def _days_of(values: np.ndarray) -> np.ndarray:
    """Date-like objects as whole days; an aware datetime gives its own zone's date."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warns, then converts an aware datetime to UTC
        try:
            return values.astype("datetime64[D]")
        except (Warning, ValueError, TypeError, OverflowError):
            pass
    # rare: aware datetimes mixed in an object column, or values numpy cannot hold
    return np.array([_one_day(v) for v in values], dtype="datetime64[D]")


def _one_day(value: Any) -> np.datetime64:
    try:
        if getattr(value, "tzinfo", None) is not None:
            value = value.replace(tzinfo=None)
        if isinstance(value, dt.datetime):
            value = value.date()
        return np.datetime64(value, "D")
    except (ValueError, TypeError, OverflowError):
        return _NAT


def _from_numbers(nums: np.ndarray, idx: np.ndarray, day: np.ndarray, precision: np.ndarray,
                  problem: np.ndarray, epoch: np.datetime64, first_serial: int) -> None:
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(nums) & (nums == np.floor(nums))
        # yyyyMM (201603) and yyyyMMdd (20240315): no Excel serial is that large and plausible
        ym = whole & (nums >= 198001) & (nums <= 210012) & np.isin(nums % 100, np.arange(1, 13))
        ymd = whole & (nums >= 19800101) & (nums <= 21001231)
    if ym.any():
        v = nums[ym].astype(np.int64)
        _from_parts(v // 100, v % 100, np.ones(len(v)), idx[ym], day, precision, problem,
                    month_only=np.ones(len(v), dtype=bool))
    if ymd.any():
        v = nums[ymd].astype(np.int64)
        _from_parts(v // 10000, v // 100 % 100, v % 100, idx[ymd], day, precision, problem,
                    month_only=np.zeros(len(v), dtype=bool))
    serial = ~ym & ~ymd
    if serial.any():
        _from_serial(nums[serial], idx[serial], day, precision, problem, epoch, first_serial)


def _from_serial(serial: np.ndarray, idx: np.ndarray, day: np.ndarray, precision: np.ndarray,
                 problem: np.ndarray, epoch: np.datetime64, first_serial: int) -> None:
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(serial) & (serial >= first_serial) & (serial < 2_958_466)
    days = np.floor(serial[ok]).astype(np.int64)  # Excel's last day, 9999-12-31, bounds them
    day[idx[ok]] = epoch + days.astype("timedelta64[D]")
    precision[idx[ok]] = "day"
    problem[idx[~ok]] = "out_of_range"


def _from_parts(year: np.ndarray, month: np.ndarray, dom: np.ndarray, idx: np.ndarray,
                day: np.ndarray, precision: np.ndarray, problem: np.ndarray, *,
                month_only: np.ndarray) -> np.ndarray:
    """Whole days from year, month and day of month (floats or ints); ``invalid_date`` where
    they name no day of the calendar. Returns the mask of the days found."""
    parts = pd.DataFrame({"year": year, "month": month, "day": dom})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stamps = pd.to_datetime(parts, errors="coerce").to_numpy(dtype="datetime64[D]")
    good = ~np.isnat(stamps)
    day[idx[good]] = stamps[good]
    precision[idx[good]] = np.where(month_only[good], "month", "day")
    problem[idx[~good]] = "invalid_date"
    return good


def _from_strings(arr: pa.Array, idx: np.ndarray, day: np.ndarray, precision: np.ndarray,
                  problem: np.ndarray, supplied: np.ndarray, default_year: int | None,
                  epoch: np.datetime64, first_serial: int) -> None:
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
    for yy, mm, dd in ((col("y8"), col("m8"), col("d8")), (col("y6"), col("m6"), None)):
        has = ~np.isnan(yy)
        y, mo = np.where(has, yy, y), np.where(has, mm, mo)
        if dd is not None:
            d = np.where(has, dd, d)
    # no year written: 3月15日, 3月, 3.15
    no_year = np.zeros(len(y), dtype=bool)
    for mm, dd in ((col("nm"), col("nd")), (col("dm"), col("dd"))):
        has = ~np.isnan(mm)
        no_year |= has
        mo, d = np.where(has, mm, mo), np.where(has, dd, d)
    serial = col("serial")
    where = idx[ok]

    is_serial = ~np.isnan(serial)
    if is_serial.any():
        _from_serial(serial[is_serial], where[is_serial], day, precision, problem, epoch,
                     first_serial)
    if default_year is None:
        problem[where[no_year]] = "unparsed"
    else:
        y = np.where(no_year, float(default_year), y)
    ymd = ~is_serial & (~no_year | (default_year is not None))
    if ymd.any():
        found = _from_parts(y[ymd], mo[ymd], np.where(np.isnan(d), 1, d)[ymd], where[ymd], day,
                            precision, problem, month_only=np.isnan(d)[ymd])
        supplied[where[ymd][found & no_year[ymd]]] = True
