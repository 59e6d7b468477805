"""What the parsers share: text normalisation (vectorised with pyarrow compute), safe
conversion of hostile values to text and numbers, and Chinese numerals."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "CN_DIGITS", "NUMBER_TYPES", "cn_to_number", "normalize_text", "str_mask", "to_float64",
    "to_text",
]

#: Types read as numbers (bool excluded by the callers: True is not an amount or a date).
NUMBER_TYPES = (int, float, np.integer, np.floating, Decimal, Fraction)

_SURROGATE = re.compile("[\ud800-\udfff]")


def str_mask(values: np.ndarray) -> np.ndarray:
    """Which of the objects are strings; a column of nothing but strings (the usual case) is
    recognised in one C-level pass.

    >>> str_mask(np.array(["1亿元", None, 3], dtype=object)).tolist()
    [True, False, False]
    """
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return np.ones(len(values), dtype=bool)
    return np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))


def to_text(strings: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Python strings (or None) as an Arrow string array, and a mask of the strings that cannot be text:
    a lone surrogate (``"\\ud800"``, which no file format can hold) cannot be encoded, so such
    a string becomes null and is flagged rather than failing the whole column.

    >>> arr, bad = to_text(np.array(["1亿元", "\\ud800", "x\\udc80"], dtype=object))
    >>> arr.to_pylist(), bad.tolist()
    (['1亿元', None, None], [False, True, True])
    """
    try:
        return pa.array(strings, type=pa.string()), np.zeros(len(strings), dtype=bool)
    except UnicodeEncodeError:
        # only a column that holds one pays for this per-string look
        bad = np.fromiter((isinstance(s, str) and _SURROGATE.search(s) is not None
                           for s in strings), dtype=bool, count=len(strings))
        return pa.array(np.where(bad, None, strings), type=pa.string()), bad


def to_float64(numbers: np.ndarray) -> np.ndarray:
    """Numbers (int, float, numpy, Decimal, Fraction) as float64, never raising: an integer too
    large for a float (``10**309``) becomes ±inf, and a value float() refuses (a signalling
    ``Decimal("sNaN")``) becomes inf, so that callers report both as not a usable number.

    >>> to_float64(np.array([1, 2.5, Decimal("1.5"), 10**309, -10**309, Decimal("NaN")],
    ...                     dtype=object)).tolist()
    [1.0, 2.5, 1.5, inf, -inf, nan]
    """
    try:
        return numbers.astype(np.float64)
    except (OverflowError, ValueError, TypeError, ArithmeticError):
        return np.fromiter((_float(v) for v in numbers), dtype=np.float64, count=len(numbers))


def _float(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    except (ValueError, TypeError, ArithmeticError):
        return math.inf

# Traditional / variant characters that appear in amounts and periods.
_VARIANTS = {
    "億": "亿", "萬": "万", "圓": "元", "兩": "两", "點": "点", "約": "约", "餘": "余",
    "−": "-", "﹣": "-", "〇": "零",
}
_VARIANT_RE = "[" + "".join(_VARIANTS) + "]"


def normalize_text(arr: pa.Array, *, drop_spaces: bool = True) -> pa.Array:
    """NFKC (full-width digits and punctuation to ASCII), traditional 億/萬/圓 to simplified,
    thousands separators and every kind of space removed."""
    arr = pc.utf8_normalize(arr, "NFKC")
    # variant characters are rare: replace them only in the rows that hold any
    has = pc.match_substring_regex(arr, _VARIANT_RE)
    if pc.any(has).as_py():
        sub = pc.filter(arr, has)
        for old, new in _VARIANTS.items():
            sub = pc.replace_substring(sub, old, new)
        arr = pc.replace_with_mask(arr, has, sub)
    if drop_spaces:
        arr = pc.replace_substring_regex(arr, r"[\s,\x{3000}\x{a0}]+", "")
    return arr


CN_DIGITS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS) + "点"
_CN_RE = re.compile(f"[{CN_NUMERAL_CHARS}0-9.]+")


def _cn_integer(text: str) -> int | None:
    """Chinese integer numeral (十二, 三千五百, 一万零五百, 十二亿, 一万二) to int; None if
    malformed."""
    if not text:
        return None
    total = 0  # completed 亿 sections
    section = 0  # completed 万 sections inside the current 亿
    current = 0  # inside the current 万 section
    digit: int | None = None
    last_scale = 0  # the last unit read, for the colloquial 一万二 (= 12000)
    zero_seen = False
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0 and CN_DIGITS[ch] != 0:
                return None  # two digits in a row ("十二三") is not a numeral
            digit = CN_DIGITS[ch]
            zero_seen = zero_seen or digit == 0
        elif ch in _SMALL_UNITS:
            current += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit, last_scale, zero_seen = None, _SMALL_UNITS[ch], False
        elif ch in _BIG_UNITS:
            if ch == "万":
                section += (current + (digit or 0)) * 10_000
                if section == 0:
                    return None
            else:
                total += (section + current + (digit or 0)) * 100_000_000
                if total == 0:
                    return None
                section = 0
            current, digit, last_scale, zero_seen = 0, None, _BIG_UNITS[ch], False
        else:
            return None
    if digit and last_scale >= 100 and not zero_seen:
        digit = digit * last_scale // 10  # 一万二 = 12000, 三千五 = 3500
    return total + section + current + (digit or 0)


def cn_to_number(text: str) -> float | None:
    """Chinese numeral, with an optional 点 decimal part, to a number.

    >>> cn_to_number("十二亿"), cn_to_number("一点五亿"), cn_to_number("三千五百万")
    (1200000000, 150000000.0, 35000000)
    >>> cn_to_number("二十万零五百"), cn_to_number("一万二"), cn_to_number("十二三") is None
    (200500, 12000, True)
    """
    if "点" not in text:
        return _cn_integer(text)
    head, _, rest = text.partition("点")
    digits = ""
    for i, ch in enumerate(rest):
        if ch in CN_DIGITS:
            digits += str(CN_DIGITS[ch])
        else:
            rest = rest[i:]
            break
    else:
        rest = ""
    if not digits:
        return None
    whole = _cn_integer(head) if head else 0
    if whole is None:
        return None
    value = float(f"{whole}.{digits}")
    scale = 1
    for ch in rest:
        if ch not in _BIG_UNITS and ch not in _SMALL_UNITS:
            return None
        scale *= _BIG_UNITS.get(ch) or _SMALL_UNITS[ch]
        if scale > _MAX_SCALE:  # 一点五亿亿亿…: no amount; stop before the integer grows huge
            return None
    result = value * scale
    return result if math.isfinite(result) else None


_MAX_SCALE = 10**40
