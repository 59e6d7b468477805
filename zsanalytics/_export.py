"""Writing tables that leave the library: spreadsheet-safe text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["neutralise_formulas", "write_table"]

#: A cell a spreadsheet could run: a formula sign first, after any spaces (Excel and WPS skip
#: leading spaces before ``=``), full-width signs included (WPS folds them).
_RISKY = r"^[\s\u3000]*[=+\-@＝＋－＠]|^[\t\r]"


def _neutral_name(name: object) -> object:
    if isinstance(name, str) and pd.Series([name]).str.contains(_RISKY, regex=True).iat[0]:
        return "'" + name
    return name


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells and headers that a spreadsheet would run as a formula (``=``,
    ``+``, ``-``, ``@``, their full-width forms, any of them after leading spaces, tab,
    carriage return) with an apostrophe. Numbers are left alone.

    Examples
    --------
    >>> frame = pd.DataFrame({"v": ["=1+1", "@SUM(A1)", "-2", "城西镇", None],
    ...                       "mixed": [-5.8, "=A1", 3, "新增", None]})
    >>> out = neutralise_formulas(frame)
    >>> out["v"].tolist()
    ["'=1+1", "'@SUM(A1)", "'-2", '城西镇', nan]
    >>> out["mixed"].tolist()   # numbers stay numbers, negative ones included
    [-5.8, "'=A1", 3, '新增', None]
    >>> neutralise_formulas(pd.DataFrame({"=cmd|' /C calc'!A0": [" =1", "＝1", "ok"]})
    ...                     ).to_dict("list")
    {"'=cmd|' /C calc'!A0": ["' =1", "'＝1", 'ok']}
    """
    out = frame.copy()
    out.columns = [_neutral_name(c) for c in out.columns]
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_string_dtype(s) and s.dtype != object:
            text = s  # a string column: every cell is text or missing
        elif s.dtype == object:
            # mixed cells (numbers beside notes): only the text ones can run as formulas, and a
            # number such as -5.8 must stay a number
            text = s.where(s.map(lambda v: isinstance(v, str)))
        else:
            continue
        risky = text.str.contains(_RISKY, regex=True).fillna(False).astype(bool)
        if risky.any():
            out[col] = s.where(~risky, "'" + text)
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
