"""The one place where native dataframes meet narwhals.

Public functions accept pandas, polars (eager or lazy), DuckDB relations, PySpark and anything
else narwhals (stable v2) understands, and return the type they were given. Conversions happen
here and nowhere else.
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .errors import ZsAnalyticsError

__all__ = ["column_names", "to_narwhals", "to_pandas_series"]


def to_narwhals(table: Any, *, argument: str = "table") -> Any:
    """Wrap a native dataframe (eager or lazy) in narwhals, with a clear error otherwise."""
    if isinstance(table, nw.DataFrame | nw.LazyFrame):
        return table
    try:
        return nw.from_native(table, allow_series=False)
    except TypeError as exc:
        raise ZsAnalyticsError(
            f"{argument} is a {type(table).__name__}, must be a dataframe "
            "(pandas, polars, DuckDB, PySpark, …)"
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
    if isinstance(values, str | bytes) or np.isscalar(values) or values is None:
        return pd.Series([values], dtype=object, name=name)
    if isinstance(values, pd.Index | np.ndarray | list | tuple):
        return pd.Series(list(values), dtype=object, name=name)
    try:
        series = nw.from_native(values, series_only=True)
    except TypeError:
        return pd.Series(list(values), dtype=object, name=name)
    return pd.Series(series.to_list(), dtype=object, name=name)
