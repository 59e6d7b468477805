"""Amounts as analysts write them: 1.5亿元, 5000万元, 约8000, ３０００００, 3,500, 3254.59万美元,
十二亿元, 1.2億元, masked ``xx``, ``—`` and blanks."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._frame import to_pandas_series
from ..errors import ZsAnalyticsError
from ._text import (
    CN_NUMERAL_CHARS,
    NUMBER_TYPES,
    cn_to_number,
    normalize_text,
    to_float64,
    to_text,
)

__all__ = ["AMOUNT_UNITS", "parse_amount"]

#: Units an amount may default to: (multiplier, divisor) to reach 万 of the currency, currency.
AMOUNT_UNITS: dict[str, tuple[int, int, str]] = {
    "万元": (1, 1, "CNY"),
    "元": (1, 10_000, "CNY"),
    "千元": (1, 10, "CNY"),
    "亿元": (10_000, 1, "CNY"),
    "万美元": (1, 1, "USD"),
    "美元": (1, 10_000, "USD"),
    "亿美元": (10_000, 1, "USD"),
}

# (multiplier, divisor) to reach 万 from a magnitude written after the number.
_MAGNITUDES: dict[str, tuple[int, int]] = {
    "万亿": (100_000_000, 1),
    "亿": (10_000, 1),
    "千万": (1_000, 1),
    "百万": (100, 1),
    "十万": (10, 1),
    "万": (1, 1),
    "千": (1, 10),
    "": (1, 10_000),  # a bare 元 / 美元
}

_PRE = r"(?P<pre>大约|约|近|将近|接近|超过|超|逾|达)?"
_POST = r"(?P<post>左右|以上|余|多)?"
_CUR = r"(?P<cur>美元|元|人民币)?"
_NUMERIC = re.compile(
    "^" + _PRE + r"(?P<num>-?(?:\d+(?:\.\d*)?|\.\d+))(?P<mid>余|多)?"
    r"(?P<mag>万亿|亿|千万|百万|十万|万|千)?(?P<mid2>余|多)?" + _CUR + _POST + "$"
)
_CHINESE = re.compile("^" + _PRE + f"(?P<num>[{CN_NUMERAL_CHARS}]+)" + "(?P<mid>余|多)?" + _CUR
                      + _POST + "$")
_PLACEHOLDER = re.compile(r"^(?:-+|—+|–+|/|\\|无|空|暂无|不详|nan|NaN|None|null|N/?A)$")
_MASKED = re.compile(
    "^" + _PRE + r"[xX×*\d.]*[xX×*][xX×*\d.]*(?:万亿|亿|千万|百万|万|千)?(?:美元|元)?"
    r"(?:左右|以上|余|多)?$"
)

_COLUMNS = ["value_wan", "currency", "approx", "masked", "problem"]


def _round6(x: np.ndarray) -> np.ndarray:
    """Round to 6 decimals of 万 (0.01 元), removing float noise from unit conversion; numbers
    too large for that to matter are left as they are."""
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.asarray(x, dtype=np.float64)
        small = np.abs(x) < 1e12
        return np.where(small, np.round(np.where(small, x, 0.0), 6), x)


_MAG_KEYS = pa.array(list(_MAGNITUDES))  # "" (a bare 元) is the last key
_MAG_MUL = np.array([m for m, _ in _MAGNITUDES.values()] + [0], dtype=np.float64)
_MAG_DIV = np.array([d for _, d in _MAGNITUDES.values()] + [1], dtype=np.float64)
_CUR_KEYS = pa.array(["", "元", "人民币", "美元"])


def _factors(mag: pa.Array, cur: pa.Array, default_unit: str) -> tuple[Any, Any, Any]:
    """Vectorised (multiplier, divisor, currency) from the magnitude and currency captures."""
    d_mul, d_div, d_cur = AMOUNT_UNITS[default_unit]
    mag_code = pc.fill_null(pc.index_in(mag, value_set=_MAG_KEYS), len(_MAG_KEYS)).to_numpy()
    cur_code = pc.fill_null(pc.index_in(cur, value_set=_CUR_KEYS), 0).to_numpy()
    has_mag = mag_code != len(_MAG_KEYS) - 1
    has_cur = cur_code != 0
    explicit = has_mag | has_cur
    mul = np.where(explicit, _MAG_MUL[np.minimum(mag_code, len(_MAG_MUL) - 1)], d_mul)
    div = np.where(explicit, _MAG_DIV[np.minimum(mag_code, len(_MAG_DIV) - 1)], d_div)
    # 千 with no currency and no 万/亿 scales the default unit, as 八千 does: 8千 = 8000 units
    bare_k = (mag_code == list(_MAGNITUDES).index("千")) & ~has_cur
    mul = np.where(bare_k, 1000 * d_mul, mul)
    div = np.where(bare_k, d_div, div)
    currency = np.where(cur_code == 3, "USD", np.where(has_cur, "CNY", d_cur))
    if d_cur == "USD":
        # a column kept in 万美元: a bare magnitude (1.5亿) stays in dollars
        currency = np.where(has_cur, currency, "USD")
    return mul, div, currency.astype(object)


_PLAIN_TYPES = (str, float, int, type(None))


def _kinds(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which values are text and which are numbers (bool is neither). The cells' exact types
    are read in one C-level pass (``map(type, …)``); ``isinstance`` runs only on values of
    any other type (numpy scalars, Decimal, dates …)."""
    n = len(raw)
    kinds = np.fromiter(map(type, raw), dtype=object, count=n)
    is_str = kinds == str  # noqa: E721 - element-wise over an array of types
    is_num = (kinds == float) | (kinds == int)  # noqa: E721
    plain = is_str | is_num | (kinds == type(None))  # noqa: E721
    if not plain.all():
        rest = np.flatnonzero(~plain)
        others = raw[rest]
        is_str[rest] = np.fromiter((isinstance(v, str) for v in others), dtype=bool,
                                   count=len(rest))
        is_num[rest] = np.fromiter(
            (isinstance(v, NUMBER_TYPES) and not isinstance(v, bool | np.bool_)
             for v in others), dtype=bool, count=len(rest)) & ~is_str[rest]
    return is_str, is_num


def parse_amount(values: Any, *, default_unit: str = "万元") -> pd.DataFrame:
    """Parse amounts written as numbers or text into 万 of their currency.

    Vectorised: the text is normalised and matched with pyarrow compute (RE2); only amounts
    written in Chinese numerals (rare) are converted one distinct value at a time.

    Parameters
    ----------
    values : sequence
        Numbers, strings, blanks; a list, numpy array, pandas or polars Series.
    default_unit : {"万元", "元", "千元", "亿元", "万美元", "美元", "亿美元"}, default "万元"
        The unit of a bare number (``8000``, ``约8000``). An amount that names its own unit
        (``1.5亿元``, ``500美元``) keeps it. A column headed 万美元 passes ``"万美元"``.

    Returns
    -------
    pandas.DataFrame
        One row per input value, in order (a pandas Series input keeps its index):

        - ``value_wan`` (float): the amount in 万 of ``currency``; missing when not parsed.
        - ``currency`` (str): ``"CNY"`` or ``"USD"``; missing when not parsed.
        - ``approx`` (bool): written as approximate (约, 近, 余, 多, 左右, 以上).
        - ``masked`` (bool): masked in the source (``xx``, ``x.xx亿元``).
        - ``problem`` (str): missing when clean; otherwise ``"empty"``, ``"placeholder"``
          (—, /, 无), ``"masked"`` or ``"unparsed"``.

    Raises
    ------
    ZsAnalyticsError
        If ``default_unit`` is not one of the units above.

    Examples
    --------
    >>> parse_amount(["1.5亿元", "5000万元", "约8000", "３０００００", "3,500"])
       value_wan currency  approx  masked problem
    0    15000.0      CNY   False   False     NaN
    1     5000.0      CNY   False   False     NaN
    2     8000.0      CNY    True   False     NaN
    3   300000.0      CNY   False   False     NaN
    4     3500.0      CNY   False   False     NaN
    >>> parse_amount(["3254.59万美元", "十二亿元", "1.2億元", "xx", "—", None])
       value_wan currency  approx  masked      problem
    0    3254.59      USD   False   False          NaN
    1  120000.00      CNY   False   False          NaN
    2   12000.00      CNY   False   False          NaN
    3        NaN      NaN   False    True       masked
    4        NaN      NaN   False   False  placeholder
    5        NaN      NaN   False   False        empty
    >>> parse_amount([2.5, "1200"], default_unit="亿元")["value_wan"].tolist()
    [25000.0, 12000000.0]
    """
    if default_unit not in AMOUNT_UNITS:
        raise ZsAnalyticsError(
            f"default_unit == {default_unit!r}：应为 {list(AMOUNT_UNITS)} 之一"
        )
    series = to_pandas_series(values)
    n = len(series)
    raw = series.to_numpy(dtype=object)

    value = np.full(n, np.nan)
    currency = np.full(n, None, dtype=object)
    approx = np.zeros(n, dtype=bool)
    masked = np.zeros(n, dtype=bool)
    problem = np.full(n, None, dtype=object)

    # Split by type with one pass of C-level checks.
    is_str, is_num = _kinds(raw)

    if is_num.any():
        nums = to_float64(raw[is_num])  # 10**309 becomes inf, reported below
        d_mul, d_div, d_cur = AMOUNT_UNITS[default_unit]
        with np.errstate(over="ignore", invalid="ignore"):
            scaled = _round6(nums * d_mul / d_div)
        finite = np.isfinite(scaled)
        idx = np.flatnonzero(is_num)
        value[idx[finite]] = scaled[finite]
        currency[idx[finite]] = d_cur
        problem[idx[np.isnan(nums)]] = "empty"
        problem[idx[~finite & ~np.isnan(nums)]] = "unparsed"

    other = ~is_str & ~is_num
    if other.any():
        missing = pd.isna(pd.Series(raw[other], dtype=object)).to_numpy()
        idx = np.flatnonzero(other)
        problem[idx[missing]] = "empty"
        problem[idx[~missing]] = "unparsed"  # dates, booleans and other objects

    if is_str.any():
        idx = np.flatnonzero(is_str)
        text, not_text = to_text(raw[is_str])
        problem[idx[not_text]] = "unparsed"  # a lone surrogate: not text at all
        _parse_strings(text, idx, default_unit, value, currency, approx, masked, problem,
                       skip=not_text)

    out = pd.DataFrame(
        {
            "value_wan": value,
            "currency": pd.array(currency, dtype="str"),
            "approx": approx,
            "masked": masked,
            "problem": pd.array(problem, dtype="str"),
        }
    )
    if isinstance(values, pd.Series):
        out.index = values.index
    return out


def _parse_strings(arr: pa.Array, idx: np.ndarray, default_unit: str, value: np.ndarray,
                   currency: np.ndarray, approx: np.ndarray, masked: np.ndarray,
                   problem: np.ndarray, *, skip: np.ndarray) -> None:
    """Parse the text ``arr`` into the output arrays at positions ``idx``; ``skip`` marks the
    values already reported (null here)."""
    text = normalize_text(arr)
    empty = pc.fill_null(pc.equal(pc.utf8_length(text), 0), False).to_numpy(
        zero_copy_only=False) & ~skip
    d_mul, d_div, d_cur = AMOUNT_UNITS[default_unit]
    # fast path: most cells are plain numbers in the default unit
    plain = pc.fill_null(pc.match_substring_regex(text, r"^-?(?:\d+(?:\.\d*)?|\.\d+)$"), False)
    plain_np = plain.to_numpy(zero_copy_only=False)
    ok = plain_np.copy()
    if plain_np.any():
        nums = pc.cast(pc.filter(text, plain), pa.float64()).to_numpy(zero_copy_only=False)
        where = idx[plain_np]
        with np.errstate(over="ignore", invalid="ignore"):
            value[where] = _round6(nums * d_mul / d_div)
        currency[where] = d_cur
        huge = where[~np.isfinite(value[where])]  # hundreds of digits: not an amount
        value[huge] = np.nan
        currency[huge] = None
        problem[huge] = "unparsed"
    other = ~plain_np & ~empty & ~skip
    if other.any():
        m = pc.extract_regex(pc.filter(text, pa.array(other)), _NUMERIC.pattern)
        valid = pc.is_valid(m)
        got = valid.to_numpy(zero_copy_only=False)
        sub = pc.filter(m, valid)
        fields = {name: sub.field(name) for name in ("pre", "num", "mid", "mag", "mid2", "cur",
                                                       "post")}
        nums = pc.cast(fields["num"], pa.float64()).to_numpy(zero_copy_only=False)
        mul, div, cur_code = _factors(fields["mag"], fields["cur"], default_unit)
        pos = np.flatnonzero(other)[got]
        ok[pos] = True
        where = idx[pos]
        with np.errstate(over="ignore", invalid="ignore"):
            value[where] = _round6(nums * mul / div)  # 6 decimals of 万 = 0.01 元
        currency[where] = cur_code
        huge = where[~np.isfinite(value[where])]  # hundreds of digits: not an amount
        value[huge] = np.nan
        problem[huge] = "unparsed"
        currency[huge] = None
        marks = pc.binary_join_element_wise(fields["pre"], fields["mid"], fields["mid2"],
                                            fields["post"], "")
        approx[where] = pc.greater(pc.utf8_length(marks), 0).to_numpy(zero_copy_only=False)

    rest = ~ok & ~empty & ~skip
    problem[idx[empty]] = "empty"
    if not rest.any():
        return
    rest_idx = np.flatnonzero(rest)
    rest_text = pc.take(text, pa.array(rest_idx))
    placeholder = pc.match_substring_regex(rest_text, _PLACEHOLDER.pattern).to_numpy(
        zero_copy_only=False)
    is_masked = ~placeholder & pc.match_substring_regex(rest_text, _MASKED.pattern).to_numpy(
        zero_copy_only=False)
    problem[idx[rest_idx[placeholder]]] = "placeholder"
    problem[idx[rest_idx[is_masked]]] = "masked"
    masked[idx[rest_idx[is_masked]]] = True

    remaining = rest_idx[~placeholder & ~is_masked]
    if not len(remaining):
        return
    # Chinese numerals: convert each distinct string once.
    rem_text = pc.take(text, pa.array(remaining)).to_pylist()
    parsed = {s: _parse_chinese(s, default_unit) for s in set(rem_text)}
    for pos, s in zip(remaining, rem_text, strict=True):
        result = parsed[s]
        target = idx[pos]
        if result is None:
            problem[target] = "unparsed"
        else:
            value[target], currency[target], approx[target] = result


def _parse_chinese(text: str, default_unit: str) -> tuple[float, str, bool] | None:
    m = _CHINESE.match(text)
    if m is None:
        return None
    number = cn_to_number(m["num"])
    if number is None:
        return None
    d_mul, d_div, d_cur = AMOUNT_UNITS[default_unit]
    explicit = bool(m["cur"]) or any(ch in m["num"] for ch in "万亿")
    try:
        if explicit:  # the numeral carries its magnitude: it counts 元 (or 美元)
            value = float(_round6(number / 10_000))
        else:
            value = float(_round6(number * d_mul / d_div))
    except OverflowError:
        return None
    if not np.isfinite(value):
        return None
    if m["cur"] == "美元":
        cur = "USD"
    elif m["cur"]:
        cur = "CNY"
    else:
        cur = d_cur
    return value, cur, bool(m["pre"] or m["mid"] or m["post"])
