"""Report sentences (工作总结的标准句式), written from metric tables.

Every number is rounded half up (四舍五入) and carries its unit: amounts in 亿元 with two
decimals, percentages with one. Growth reads 增长 / 下降 / 持平, progress 超 / 低于 / 与序时进度
持平, a zero base 新增; a missing figure drops its clause rather than printing ``nan``.

Examples
--------
The worked example of DOMAIN.md (1-6月 2020):

>>> funds_sentence({"ytd_wan": 103600, "yoy_pct": 59.8, "completion_pct": 38.4, "gap_pp": -11.6},
...                as_of="2020-06")
'1-6月，全县实际到位资金10.36亿元，同比增长59.8%，完成年度任务的38.4%，低于序时进度11.6个百分点。'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ._frame import collect_pandas, to_narwhals
from ._numbers import fmt_pct, fmt_yi, round_half_up
from .errors import ZsAnalyticsError
from .metrics._core import TOTAL_LABEL
from .metrics._months import as_month

__all__ = [
    "funds_sentence",
    "funnel_sentence",
    "growth_phrase",
    "headline",
    "period_zh",
    "progress_phrase",
    "sources_sentence",
    "units_sentence",
]

_NAMED = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


def period_zh(as_of: Any, *, style: str = "range") -> str:
    """The report period from January through ``as_of``, as reports write it.

    ``style="range"`` gives 1-6月 (1月 for January alone); ``style="name"`` gives 一季度,
    上半年, 前三季度 or 全年 where the month has a name, and the range otherwise.

    Examples
    --------
    >>> period_zh("2024-06"), period_zh("2024-06", style="name"), period_zh("2024-01")
    ('1-6月', '上半年', '1月')
    >>> period_zh("2024-03", style="name"), period_zh("2024-04", style="name")
    ('一季度', '1-4月')
    """
    if style not in ("range", "name"):
        raise ZsAnalyticsError(f"style == {style!r}：应为 'range' 或 'name'")
    _, month = as_month(as_of)
    if style == "name" and month in _NAMED:
        return _NAMED[month]
    return "1月" if month == 1 else f"1-{month}月"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def growth_phrase(pct: Any, *, note: Any = None, prefix: str = "同比", digits: int = 1) -> str:
    """同比增长x% / 同比下降x% / 同比持平, or 同比新增 for a zero base; empty when unknown.

    Examples
    --------
    >>> growth_phrase(59.75), growth_phrase(-3.44), growth_phrase(0.04), growth_phrase(None, note="新增")
    ('同比增长59.8%', '同比下降3.4%', '同比持平', '同比新增')
    >>> growth_phrase(float("nan"))
    ''
    """
    if _missing(pct):
        return f"{prefix}新增" if note == "新增" else ""
    shown = round_half_up(float(pct), digits)
    if shown == 0:
        return f"{prefix}持平"
    word = "增长" if shown > 0 else "下降"
    return f"{prefix}{word}{fmt_pct(abs(shown), digits)}"


def progress_phrase(gap_pp: Any, *, digits: int = 1) -> str:
    """超序时进度x个百分点 / 低于序时进度x个百分点 / 与序时进度持平; empty when unknown.

    Examples
    --------
    >>> progress_phrase(-11.6), progress_phrase(2.25), progress_phrase(-0.04)
    ('低于序时进度11.6个百分点', '超序时进度2.3个百分点', '与序时进度持平')
    """
    if _missing(gap_pp):
        return ""
    shown = round_half_up(float(gap_pp), digits)
    if shown == 0:
        return "与序时进度持平"
    word = "超" if shown > 0 else "低于"
    return f"{word}序时进度{abs(shown):.{digits}f}个百分点"


def _get(row: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in row and not _missing(row[name]):
            return row[name]
    return None


def funds_sentence(
    row: Mapping[str, Any],
    *,
    as_of: Any = None,
    scope: str = "全县",
    label: str = "实际到位资金",
    period_style: str = "range",
) -> str:
    """One sentence for one row of :func:`~zsanalytics.scorecard` or
    :func:`~zsanalytics.completion`: amount, growth, completion and the gap to time progress.

    Parameters
    ----------
    row : mapping
        ``ytd_wan`` (or ``actual_wan``), and optionally ``yoy_pct`` / ``yoy_note``,
        ``completion_pct`` and ``gap_pp``. Missing figures drop their clause.
    as_of : str or date, optional
        The report month, for the period at the start (1-6月); taken from the row's ``year`` and
        ``through_month`` when not given; no period when neither is there.
    scope : str, default "全县"
        Whose figures (全县, a unit's name, 我区).
    label : str, default "实际到位资金"
        The indicator as the report names it (实际到位市外境内资金, …).
    period_style : {"range", "name"}
        See :func:`period_zh`.
    """
    amount = _get(row, "ytd_wan", "actual_wan")
    if amount is None:
        raise ZsAnalyticsError(f"row 中没有 ytd_wan 或 actual_wan 数值：{dict(row)!r}")
    if as_of is None and _get(row, "year") is not None and _get(row, "through_month") is not None:
        as_of = f"{int(row['year'])}-{int(row['through_month']):02d}"
    clauses = [f"{scope}{label}{fmt_yi(float(amount))}"]
    growth = growth_phrase(_get(row, "yoy_pct"), note=row.get("yoy_note"))
    if growth:
        clauses.append(growth)
    completion = _get(row, "completion_pct")
    if completion is not None:
        clauses.append(f"完成年度任务的{fmt_pct(float(completion))}")
    progress = progress_phrase(_get(row, "gap_pp"))
    if progress:
        clauses.append(progress)
    period = f"{period_zh(as_of, style=period_style)}，" if as_of is not None else ""
    return period + "，".join(clauses) + "。"


def _rows(table: Any) -> pd.DataFrame:
    return collect_pandas(to_narwhals(table))


def headline(card: Any, *, as_of: Any = None, unit_col: str = "unit", **kwargs: Any) -> str:
    """The county's sentence from a scorecard: its 合计 row, or its only row.

    ``kwargs`` go to :func:`funds_sentence` (``scope``, ``label``, ``period_style``).
    """
    rows = _rows(card)
    if unit_col in rows and (rows[unit_col] == TOTAL_LABEL).any():
        row = rows[rows[unit_col] == TOTAL_LABEL].iloc[0]
    elif len(rows) == 1:
        row = rows.iloc[0]
    else:
        raise ZsAnalyticsError(
            "表中没有“合计”行，且不止一行：请用 totals=True 算出合计行")
    return funds_sentence(row.to_dict(), as_of=as_of, **kwargs)


def sources_sentence(table: Any, *, source_col: str = "source") -> str:
    """其中：省外3.75亿元，同比下降3.4%；省内6.61亿元，同比增长154.2%。 from a
    :func:`~zsanalytics.funds_in_place` table by source (a 合计 row is left out).

    Examples
    --------
    >>> import pandas as pd
    >>> parts = pd.DataFrame({"source": ["省外", "省内"], "ytd_wan": [37500.0, 66100.0],
    ...                       "yoy_pct": [-3.4, 154.2]})
    >>> sources_sentence(parts)
    '其中：省外3.75亿元，同比下降3.4%；省内6.61亿元，同比增长154.2%。'
    """
    rows = _rows(table)
    rows = rows[rows[source_col].astype("str") != TOTAL_LABEL]
    parts = []
    for row in rows.to_dict("records"):
        amount = _get(row, "ytd_wan", "actual_wan")
        text = f"{row[source_col]}{fmt_yi(float(amount)) if amount is not None else '—'}"
        growth = growth_phrase(_get(row, "yoy_pct"), note=row.get("yoy_note"))
        parts.append(f"{text}，{growth}" if growth else text)
    return "其中：" + "；".join(parts) + "。" if parts else ""


def units_sentence(card: Any, *, unit_col: str = "unit", max_named: int = 5) -> str:
    """How many units are ahead of and behind time progress, and which have no results.

    Examples
    --------
    >>> import pandas as pd
    >>> card = pd.DataFrame({"unit": ["甲镇", "乙镇", "丙乡", "合计"],
    ...                      "status": ["ahead", "behind", "no results", "behind"]})
    >>> units_sentence(card)
    '1个单位超序时进度，1个单位低于序时进度，1个单位无实绩（丙乡）。'
    """
    rows = _rows(card)
    rows = rows[rows[unit_col].astype("str") != TOTAL_LABEL]
    status = rows["status"]
    clauses = []
    for key, words in (("ahead", "超序时进度"), ("behind", "低于序时进度")):
        n = int((status == key).sum())
        if n:
            clauses.append(f"{n}个单位{words}")
    idle = rows.loc[status == "no results", unit_col].astype("str").tolist()
    if idle:
        named = "、".join(idle[:max_named]) + ("等" if len(idle) > max_named else "")
        clauses.append(f"{len(idle)}个单位无实绩（{named}）")
    return "，".join(clauses) + "。" if clauses else ""


def funnel_sentence(row: Mapping[str, Any], *, year: int | None = None) -> str:
    """签约项目x个，已落地x个，落地率x%；… from one row of :func:`~zsanalytics.conversion`.

    ``year`` names the cohort (2024年签约项目…), as the assessment counts the year's signings;
    落地率 and 开工率 are ÷ the signed projects, 投产率 ÷ the started ones, as the words say.

    Examples
    --------
    >>> funnel_sentence({"signed": 389, "landed": 299, "started": 236, "producing": 142,
    ...                  "landing_rate_pct": 76.86, "start_rate_pct": 60.67,
    ...                  "production_rate_pct": 60.17})
    '签约项目389个，已落地299个，落地率76.9%；已开工236个，开工率60.7%；已投产142个，开工项目投产率60.2%。'
    >>> funnel_sentence({"signed": 34, "landed": 18}, year=2024)
    '2024年签约项目34个，已落地18个。'
    """
    parts = [f"{'' if year is None else f'{year}年'}签约项目{int(row['signed'])}个"]
    for stage, word, rate, rate_word in (
        ("landed", "落地", "landing_rate_pct", "落地率"),
        ("started", "开工", "start_rate_pct", "开工率"),
        ("producing", "投产", "production_rate_pct", "开工项目投产率"),
    ):
        if _get(row, stage) is None:
            continue
        text = f"已{word}{int(row[stage])}个"
        value = _get(row, rate)
        parts.append(f"{text}，{rate_word}{fmt_pct(float(value))}" if value is not None else text)
    return parts[0] + ("，" + "；".join(parts[1:]) if len(parts) > 1 else "") + "。"
