"""Writing tables that leave the library: spreadsheet-safe text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["neutralise_formulas", "write_table"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
    ``@``, tab, carriage return) with an apostrophe. Numbers are left alone.

    Examples
    --------
    >>> frame = pd.DataFrame({"v": ["=1+1", "@SUM(A1)", "-2", "城西镇", None]})
    >>> neutralise_formulas(frame)["v"].tolist()
    ["'=1+1", "'@SUM(A1)", "'-2", '城西镇', nan]
    """
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            text = s.astype("str")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            if risky.any():
                out[col] = text.where(~risky, "'" + text)
    return out


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table by its extension: .parquet as is; .csv (UTF-8 with BOM, so Excel and WPS
    read the Chinese) and .xlsx with formula-like text neutralised."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix == ".csv":
        neutralise_formulas(frame).to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        neutralise_formulas(frame).to_excel(path, index=False, engine="openpyxl")
    else:
        from .errors import ZsAnalyticsError

        raise ZsAnalyticsError(f"path == {str(path)!r}, must end in .parquet, .csv or .xlsx")
    return path
