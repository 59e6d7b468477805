"""Reporting periods as reports write them: 1-6月, 上半年, 一季度, 前三季度, 截至5月底,
元至10月 (元月 is January), 2024年1-6月."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ._text import cn_to_number

__all__ = ["MonthSpan", "find_period", "parse_period"]


@dataclass(frozen=True)
class MonthSpan:
    """A span of months within one year, as a report period names it.

    Attributes
    ----------
    start, end : int or None
        First and last month (1-12), inclusive; ``None`` when the text was not a period.
    year : int or None
        The year, when the text or the caller gave one.
    problem : str or None
        ``None`` when parsed; otherwise why not (``"unparsed"``, ``"empty"``).
    text : str
        The text that was parsed.
    """

    start: int | None
    end: int | None
    year: int | None = None
    problem: str | None = None
    text: str = ""

    @property
    def ok(self) -> bool:
        """Whether the text was a period."""
        return self.problem is None

    @property
    def months(self) -> int | None:
        """Number of months in the span."""
        return None if not self.ok else self.end - self.start + 1  # type: ignore[operator]

    @property
    def label(self) -> str | None:
        """The period as reports write it: ``1-6月``, or ``6月`` for a single month."""
        if not self.ok:
            return None
        return f"{self.start}月" if self.start == self.end else f"{self.start}-{self.end}月"

    @property
    def start_month(self) -> pd.Timestamp | None:
        """First day of the first month (needs a year)."""
        if not self.ok or self.year is None:
            return None
        return pd.Timestamp(year=self.year, month=self.start, day=1)

    @property
    def end_month(self) -> pd.Timestamp | None:
        """First day of the last month (needs a year)."""
        if not self.ok or self.year is None:
            return None
        return pd.Timestamp(year=self.year, month=self.end, day=1)


_CN_NUM = "一二两三四五六七八九十"
_QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_RANGE = r"[-~至到—–]"
_M = r"(\d{1,2})"

# Each rule: a regex (on normalised text) and a function from the match to (start, end).
_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(rf"{_M}月?{_RANGE}++{_M}月(?:份)?(?:底|末)?"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(rf"(?:截至|截止|截止到|至)(?:\d{{4}}年)?{_M}月(?:份)?(?:底|末)?"),
     lambda m: (1, int(m[1]))),
    (re.compile(rf"前{_M}个?月"), lambda m: (1, int(m[1]))),
    (re.compile(r"上半年"), lambda m: (1, 6)),
    (re.compile(r"下半年"), lambda m: (7, 12)),
    (re.compile(r"前([1-4])(?:个)?季度"), lambda m: (1, 3 * int(m[1]))),
    (re.compile(rf"([1-4])(?:季度)?{_RANGE}([1-4])季度"),
     lambda m: (_QUARTERS[int(m[1])][0], _QUARTERS[int(m[2])][1])),
    (re.compile(r"第?([1-4])季度|Q([1-4])", re.IGNORECASE),
     lambda m: _QUARTERS[int(m[1] or m[2])]),
    (re.compile(rf"{_M}月(?:份)?(?:底|末)?"), lambda m: (int(m[1]), int(m[1]))),
    (re.compile(r"全年|年度"), lambda m: (1, 12)),
]
_YEAR = re.compile(r"((?:19|20)\d{2})年(?:度)?")


_SPACES = re.compile(r"\s+")
_FIRST_MONTH = re.compile(rf"(?<![0-9{_CN_NUM}])元月?(?={_RANGE}|月)")
# A run of Chinese numerals is tried only from its first character (the look-behind) and is
# never given back (the possessive ++), so each character is read a bounded number of times:
# linear in the length of the text. "一" * 32000 took 13 s when every start was retried.
_CN_BEFORE_MONTH = re.compile(
    rf"(?<![{_CN_NUM}])[{_CN_NUM}]++(?=个?月|个?季度|{_RANGE}[{_CN_NUM}0-9]++(?:月|季度))"
)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text)
    # 元月 / 元至N月: 元 stands for January
    text = _FIRST_MONTH.sub("1", text)
    # Chinese numerals before 月 or 季度: 一至六月, 十一月, 一季度
    return _CN_BEFORE_MONTH.sub(lambda m: str(cn_to_number(m[0]) or m[0]), text)


def _shown(value: object) -> str:
    """The value as text for ``MonthSpan.text``, whatever it is (``str(10**5000)`` raises)."""
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _match(text: str, *, year: int | None, search: bool) -> MonthSpan:
    raw = text
    if not isinstance(text, str):
        return MonthSpan(None, None, year, "unparsed", _shown(text))
    norm = _normalise(text)
    if not norm:
        return MonthSpan(None, None, year, "empty", raw)
    y = _YEAR.search(norm)
    found_year = int(y[1]) if y else year
    body = norm if search else _YEAR.sub("", norm, count=1)
    if not search:
        body = re.sub(r"(?:累计|以来|份|期间|情况)$", "", body)
        if not body and y:  # "2024年": the whole year
            return MonthSpan(1, 12, found_year, None, raw)
    for pattern, to_span in _RULES:
        m = pattern.search(body) if search else pattern.fullmatch(body)
        if m:
            start, end = to_span(m)  # type: ignore[operator]
            if 1 <= start <= end <= 12:
                return MonthSpan(start, end, found_year, None, raw)
            return MonthSpan(None, None, found_year, "unparsed", raw)
    return MonthSpan(None, None, found_year, "unparsed", raw)


def parse_period(text: str, *, year: int | None = None) -> MonthSpan:
    """Parse a reporting period into its first and last month.

    Never raises on a string: text that is not a period gives a span with ``problem`` set.

    Parameters
    ----------
    text : str
        The period, e.g. ``"1-6月"``, ``"上半年"``, ``"一季度"``, ``"截至5月底"``,
        ``"元至10月"``, ``"2024年1-6月"``.
    year : int, optional
        The year, when the text does not say it.

    Returns
    -------
    MonthSpan
        ``start`` and ``end`` months (inclusive), ``year``, ``problem``; ``label`` writes the
        span back as reports do.

    Examples
    --------
    >>> [(p.start, p.end) for p in map(parse_period, ["1-6月", "上半年", "一季度", "1-4月",
    ...                                                 "截至5月底", "元至10月", "前三季度"])]
    [(1, 6), (1, 6), (1, 3), (1, 4), (1, 5), (1, 10), (1, 9)]
    >>> parse_period("2024年1-6月")
    MonthSpan(start=1, end=6, year=2024, problem=None, text='2024年1-6月')
    >>> parse_period("三季度", year=2023).start_month
    Timestamp('2023-07-01 00:00:00')
    >>> parse_period("招商引资").problem
    'unparsed'
    """
    return _match(text, year=year, search=False)


def find_period(text: str, *, year: int | None = None) -> MonthSpan:
    """Find the first reporting period inside a longer text, such as a table title.

    Examples
    --------
    >>> find_period("2024年1-6月全县招商引资实际到位资金完成情况表")
    MonthSpan(start=1, end=6, year=2024, problem=None, text='2024年1-6月全县招商引资实际到位资金完成情况表')
    """
    return _match(text, year=year, search=True)
