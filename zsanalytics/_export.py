"""Writing tables that leave the library: spreadsheet-safe text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

__all__ = ["neutralise_formulas", "neutralise_text", "write_table"]

#: A cell a spreadsheet could run: a formula sign first, after any spaces (Excel and WPS skip
#: leading spaces before ``=``; line feeds, carriage returns and the ideographic space are
#: spaces here too), full-width signs included (WPS folds them), or a tab or carriage return
#: first (they start a new cell or line when the text is pasted or saved as CSV).
_RISKY = r"^[\s\u3000]*[=+\-@＝＋－＠]|^[\t\r]"
_RISKY_RE = re.compile(_RISKY)
#: Text that is a plain number, "-3.5", "+2", "-1,234.5", "12%": it starts with a sign but
#: cannot call anything, whether a spreadsheet reads it as text or as the number it is.
_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def _is_number_text(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and _NUMBER_RE.fullmatch(text) is not None


def neutralise_text(value: object, *, keep_numbers: bool = False) -> object:
    """One value as :func:`neutralise_formulas` writes it: text a spreadsheet would run as a
    formula gets an apostrophe first; anything else comes back as it was.

    ``keep_numbers=True`` leaves text that is a plain number ("-3.5", "+2", "-12%") as it is,
    for writers that store text as text (an .xlsx string cell is never run, and a number can
    call nothing), so the reader sees "-3.5" and not "'-3.5".

    Examples
    --------
    >>> [neutralise_text(v) for v in ["=1+1", "＝1+1", " =1+1", "\\n@SUM(A1)", "\\t1", "城西镇", 3]]
    ["'=1+1", "'＝1+1", "' =1+1", "'\\n@SUM(A1)", "'\\t1", '城西镇', 3]
    >>> neutralise_text("-3.5"), neutralise_text("-3.5", keep_numbers=True)
    ("'-3.5", '-3.5')
    >>> neutralise_text("-3.5+A1", keep_numbers=True), neutralise_text("－3.5", keep_numbers=True)
    ("'-3.5+A1", "'－3.5")
    """
    if not isinstance(value, str) or not _RISKY_RE.search(value):
        return value
    if keep_numbers and _is_number_text(value.strip()) and value == value.lstrip():
        return value
    return "'" + value


def neutralise_formulas(frame: pd.DataFrame, *, keep_numbers: bool = False) -> pd.DataFrame:
    """Prefix text cells and headers that a spreadsheet would run as a formula (``=``,
    ``+``, ``-``, ``@``, their full-width forms, any of them after leading spaces, line
    feeds, tab, carriage return; or a tab or carriage return first) with an apostrophe.
    Numbers are left alone; so is text that is a plain number with ``keep_numbers=True``
    (see :func:`neutralise_text`).

    Examples
    --------
    >>> frame = pd.DataFrame({"v": ["=1+1", "@SUM(A1)", "-2", "城西镇", None],
    ...                       "mixed": [-5.8, "=A1", 3, "新增", None]})
    >>> out = neutralise_formulas(frame)
    >>> out["v"].tolist()
    ["'=1+1", "'@SUM(A1)", "'-2", '城西镇', nan]
    >>> out["mixed"].tolist()   # numbers stay numbers, negative ones included
    [-5.8, "'=A1", 3, '新增', None]
    >>> neutralise_formulas(frame, keep_numbers=True)["v"].tolist()
    ["'=1+1", "'@SUM(A1)", '-2', '城西镇', nan]
    >>> neutralise_formulas(pd.DataFrame({"=cmd|' /C calc'!A0": [" =1", "＝1", "ok"]})
    ...                     ).to_dict("list")
    {"'=cmd|' /C calc'!A0": ["' =1", "'＝1", 'ok']}
    """
    out = frame.copy()
    out.columns = [neutralise_text(c, keep_numbers=keep_numbers) for c in out.columns]
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if not (s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype)
                or pd.api.types.is_string_dtype(s)):
            continue
        # text cells only: a number such as -5.8 beside notes must stay a number
        cells = s.astype(object)
        fixed = cells.map(lambda v: neutralise_text(v, keep_numbers=keep_numbers))
        changed = [a is not b for a, b in zip(fixed, cells, strict=True)]
        if any(changed):
            new = cells.where(~pd.Series(changed, index=s.index), fixed)
            out.isetitem(i, new if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object
                         else new.astype(s.dtype))
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

        raise ZsAnalyticsError(f"path == {str(path)!r}：文件名应以 .parquet、.csv 或 .xlsx 结尾")
    return path
