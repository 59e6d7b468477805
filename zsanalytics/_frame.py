"""The one place where native dataframes meet narwhals.

Public functions accept pandas, polars (eager or lazy), DuckDB relations, PySpark and anything
else narwhals (stable v2) understands, and return the type they were given. Conversions happen
here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .errors import ZsAnalyticsError

__all__ = [
    "collect_pandas",
    "column_names",
    "from_pandas",
    "left_join",
    "like",
    "time_zone",
    "to_narwhals",
    "to_native",
    "to_pandas_series",
]


def to_narwhals(table: Any, *, argument: str = "table") -> Any:
    """Wrap a native dataframe (eager or lazy) in narwhals, with a clear error otherwise."""
    if isinstance(table, nw.DataFrame | nw.LazyFrame):
        return table
    try:
        return nw.from_native(table, allow_series=False)
    except TypeError as exc:
        raise ZsAnalyticsError(
            f"{argument} 是 {type(table).__name__}：应为数据表（pandas、polars、DuckDB、"
            "PySpark 等的 DataFrame）"
        ) from exc


def column_names(table: Any) -> list[str]:
    """Column names of any supported dataframe, without collecting lazy data."""
    frame = to_narwhals(table)
    return list(frame.collect_schema().names())


def to_pandas_series(values: Any, *, name: str = "value") -> pd.Series:
    """Turn values (list, tuple, numpy array, pandas/polars/pyarrow series, scalar) into an
    object-dtype pandas Series, keeping a pandas index when one was given."""
    if isinstance(values, pd.Series):
        return values.astype(object)
    if (isinstance(values, str | bytes | bytearray) or np.isscalar(values) or values is None
            or not hasattr(values, "__iter__")):  # one value (a Decimal, a date), not a sequence
        return pd.Series([values], dtype=object, name=name)
    if isinstance(values, pd.Index | np.ndarray | list | tuple):
        return pd.Series(list(values), dtype=object, name=name)
    try:
        series = nw.from_native(values, series_only=True)
    except TypeError:
        return pd.Series(list(values), dtype=object, name=name)
    return pd.Series(series.to_list(), dtype=object, name=name)


def to_native(frame: Any) -> Any:
    """Unwrap a narwhals frame into the native type it wraps; a pandas result gets a fresh
    0..n-1 index (results carry no index semantics), and flags with missing values the
    nullable ``boolean`` dtype."""
    native = nw.to_native(frame)
    if isinstance(native, pd.DataFrame):
        native = native.reset_index(drop=True)
        # a numpy-backed flag with missing values comes out as objects (True, False, NaN):
        # pandas' nullable boolean holds the same values as the other engines' booleans
        for name in native.columns[native.dtypes.map(pd.api.types.is_object_dtype)]:
            if pd.api.types.infer_dtype(native[name], skipna=True) == "boolean":
                native[name] = native[name].astype("boolean")
    return native


def _spark_session(frame: Any) -> Any:
    native = nw.to_native(frame)
    return getattr(native, "sparkSession", None) or getattr(native, "session", None)


def like(table: Any, template: Any) -> Any:
    """``table`` (small: targets, a scenario, an aggregated result) as a narwhals frame of the
    same backend and laziness as ``template``, so that the two can be joined or concatenated.

    ``table`` may be native or narwhals, of any backend; it is converted through Arrow only
    when its backend differs.
    """
    frame = table if isinstance(table, nw.DataFrame | nw.LazyFrame) else to_narwhals(table)
    same_kind = isinstance(frame, nw.LazyFrame) == isinstance(template, nw.LazyFrame)
    if frame.implementation == template.implementation and same_kind:
        return frame
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    impl = template.implementation
    if isinstance(template, nw.DataFrame):
        return nw.from_arrow(frame.to_arrow(), backend=impl)
    if impl is nw.Implementation.POLARS:
        return nw.from_arrow(frame.to_arrow(), backend="polars").lazy()
    if impl is nw.Implementation.PYSPARK:
        # through Arrow, whose schema Spark takes as is (it cannot infer one from no rows)
        return nw.from_native(_spark_session(template).createDataFrame(frame.to_arrow()))
    if impl is nw.Implementation.DUCKDB:
        return nw.from_native(_duckdb_on_connection_of(frame.to_arrow(), nw.to_native(template)))
    return frame.lazy(backend=impl)


def left_join(frame: Any, other: Any, *, on: list[str]) -> Any:
    """``frame`` left-joined with ``other`` on ``on``, keeping ``frame``'s row order where the
    engine has one: polars promises no order for a join unless asked (lazy polars reorders
    rows of a few thousand), and narwhals cannot ask; pandas' left merge keeps it."""
    if frame.implementation is nw.Implementation.POLARS:
        joined = nw.to_native(frame).join(nw.to_native(other), on=on, how="left",
                                          maintain_order="left")
        return nw.from_native(joined)
    return frame.join(other, on=on, how="left")


def _duckdb_on_connection_of(table: Any, relation: Any) -> Any:
    """An Arrow table as a DuckDB relation on the same connection as ``relation`` (relations of
    different connections cannot be joined, and a relation does not expose its connection).
    ``relation.query`` runs on that connection, and DuckDB finds the local Arrow table by
    name (a replacement scan)."""
    zsa_small_table = table  # noqa: F841 - read by DuckDB's replacement scan below
    view = f"__zsa_base_{id(relation):x}"
    return relation.query(view, "SELECT * FROM zsa_small_table")


def from_pandas(frame: pd.DataFrame, template: Any) -> Any:
    """A small pandas result as a native frame of ``template``'s type (pandas in → pandas out,
    polars lazy in → polars lazy out, DuckDB in → DuckDB out)."""
    return nw.to_native(like(nw.from_native(frame.reset_index(drop=True)), template))


def collect_pandas(frame: Any) -> pd.DataFrame:
    """Collect a (small, aggregated) narwhals frame into pandas.

    Timestamps with a time zone come back in that zone: PySpark hands them over in UTC, so a
    month of 2024-06-01 00:00 in an Asia/Shanghai session would otherwise read as
    2024-05-31 16:00 (May) once the zone is dropped.
    """
    zones = {name: dtype.time_zone for name, dtype in frame.collect_schema().items()
             if dtype == nw.Datetime and getattr(dtype, "time_zone", None)}
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    out = frame.to_pandas()
    for name, zone in zones.items():
        column = out[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype) and str(column.dt.tz) != zone:
            out[name] = column.dt.tz_convert(time_zone(zone))
    return out


def time_zone(name: str) -> dt.tzinfo:
    """A ``tzinfo`` for a time-zone name as engines report it: an IANA name
    (``"Asia/Shanghai"``, ``"UTC"``) or a fixed offset (``"+08:00"``).

    Examples
    --------
    >>> time_zone("Asia/Shanghai"), time_zone("+08:00")
    (zoneinfo.ZoneInfo(key='Asia/Shanghai'), datetime.timezone(datetime.timedelta(seconds=28800)))
    """
    found = _OFFSET.match(name)
    if found:
        sign = -1 if found["sign"] == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(found["h"]), minutes=int(found["m"] or 0)))
    return zoneinfo.ZoneInfo(name)


_OFFSET = re.compile(r"^(?:UTC|GMT)?(?P<sign>[+-])(?P<h>\d{1,2}):?(?P<m>\d{2})?$")
