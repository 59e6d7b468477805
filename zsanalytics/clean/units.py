"""Responsible-unit names: 城西镇人民政府 → 城西镇, 城南街道办事处 → 城南街道, spaces gone."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._frame import to_pandas_series
from ._text import str_mask, to_text

__all__ = ["normalize_unit"]

_SPACES = r"[\s\x{3000}\x{a0}\x{200b}]+"


def _normalise(arr: pa.Array) -> pa.Array:
    arr = pc.utf8_normalize(arr, "NFKC")
    arr = pc.replace_substring_regex(arr, _SPACES, "")
    # A suffix goes only where what remains names a township or sub-district, so that 县政府办
    # (a county department) keeps its 办. RE2 has no look-behind: capture the ending, keep it.
    return pc.replace_substring_regex(arr, r"(镇|乡|街道)(?:人民政府|政府|办事处|办)$", r"\1")


def _as_text(raw: np.ndarray) -> np.ndarray:
    """Names as Python strings: strings as they are, numbers (a unit code) as their text,
    missing values and bytes (whose encoding is unknown) as None."""
    is_str = str_mask(raw)
    if is_str.all():
        return raw
    out = raw.copy()
    for i in np.flatnonzero(~is_str):  # few: a text column holds text
        out[i] = _one_text(raw[i])
    return out


def _one_text(value: Any) -> str | None:
    if isinstance(value, bytes | bytearray | memoryview):
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else str(value)
    try:
        if pd.isna(value) is True:
            return None
    except (TypeError, ValueError, ArithmeticError):
        pass
    try:
        return str(value)
    except Exception:  # an object whose str() fails is not a name
        return None


def normalize_unit(values: Any, *, aliases: Mapping[str, str] | None = None) -> pd.Series:
    """Normalise responsible-unit names so that one unit has one spelling.

    Removes ASCII, full-width and non-breaking spaces anywhere in the name, folds full-width
    letters and digits, drops 人民政府 / 政府 / 办事处 / 办 where what remains ends in 镇, 乡
    or 街道, then applies ``aliases``.

    Parameters
    ----------
    values : sequence of str
        Unit names; blanks stay missing, and so do values that are not text (bytes of an
        unknown encoding, a string with a lone surrogate). Never raises on a value.
    aliases : mapping, optional
        The analyst's own map from a spelling to the canonical name, applied after the
        normalisation above (its keys are normalised the same way), e.g.
        ``{"开发区": "经济开发区"}``.

    Returns
    -------
    pandas.Series
        The normalised names (str dtype), same length and order (a pandas Series input keeps
        its index).

    Examples
    --------
    >>> normalize_unit(["城西镇人民政府", " 城南街道办事处", "城南 街道办", "县政府办", "　经开区"]).tolist()
    ['城西镇', '城南街道', '城南街道', '县政府办', '经开区']
    >>> normalize_unit(["开发区", "城西镇"], aliases={"开发区": "经济开发区"}).tolist()
    ['经济开发区', '城西镇']
    """
    series = to_pandas_series(values)
    raw = series.to_numpy(dtype=object)
    text = _as_text(raw)
    arr = _normalise(to_text(text)[0])  # a lone surrogate cannot be a name: missing
    out = pd.Series(arr.to_pylist(), dtype="str", name=series.name)
    out = out.mask(out == "")
    if aliases:
        keys = _normalise(pa.array([str(k) for k in aliases], type=pa.string())).to_pylist()
        mapping = dict(zip(keys, aliases.values(), strict=True))
        out = out.replace(mapping)
    out.index = series.index if isinstance(values, pd.Series) else pd.RangeIndex(len(out))
    return out
