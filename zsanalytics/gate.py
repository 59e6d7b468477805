"""The gate: figures that do not agree with their source are not published.

:func:`reconcile` checks, for a report month, that

- the month lies inside the data (a month after the last month with funds, or before the
  first, is refused — never shown as zero);
- every unit and source of the year is in that month's figures (what is missing is named);
- the headline total — 实际到位资金 in 万元, and 实际利用外资 in 万美元 — equals the source's
  own 1-N月累计 合计 (the latest monthly report's total row) within the source's rounding.

It also says where last year's figure for 同比 comes from: the funds of last year when the
data holds them, else the report's own 上年同期 column.

``zsa briefing`` runs it before anything is drawn; ``--allow-mismatch`` and
``--allow-incomplete`` publish anyway, with a red banner saying what disagrees.

Examples
--------
>>> import zsanalytics as zsa
>>> demo = zsa.load_demo()
>>> check = reconcile(demo.funds, as_of="2024-06")
>>> check.ok, check.reconciled
(True, False)
>>> check.notices[0]
'本简报的数字来自标准表，来源没有自带的合计，未能与来源合计核对。'
>>> reconcile(demo.funds, as_of="2025-01")
Traceback (most recent call last):
...
zsanalytics.gate.MonthOutOfRangeError: 没有2025年1月的数据：数据只到2024年12月（最后一个有数据的月份），...
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from ._frame import collect_pandas, to_narwhals
from ._numbers import fmt_yi, round_half_up
from .errors import ZsAnalyticsError
from .narrate import period_zh

__all__ = [
    "IncompleteMonthError",
    "MonthOutOfRangeError",
    "Reconciliation",
    "ReconciliationError",
    "reconcile",
]

#: The figures the gate checks: (currency, name on the page, money unit).
FIGURES = (("CNY", "实际到位资金", "万元"), ("USD", "实际利用外资", "万美元"))


class ReconciliationError(ZsAnalyticsError):
    """A headline figure disagrees with its source's own total."""


class MonthOutOfRangeError(ZsAnalyticsError):
    """The report month lies outside the months the data holds."""


class IncompleteMonthError(ZsAnalyticsError):
    """Units or sources are missing from the report month."""


@dataclass
class Reconciliation:
    """The outcome of :func:`reconcile`.

    Attributes
    ----------
    as_of : str
        ``"2024-06"``.
    checks : pandas.DataFrame
        One row per figure checked: ``figure``, ``currency``, ``computed_wan``, ``source_wan``,
        ``difference_wan``, ``tolerance_wan``, ``ok``, ``source_file``, ``sheet``, ``row``.
    mismatches : list of str
        In Chinese, each figure that disagrees: both figures and the files.
    missing : list of str
        In Chinese, units or sources missing from the month.
    notices : list of str
        What the page should say about the figures' sources.
    last_year : dict
        Per currency, where last year's figure comes from: ``"funds"`` (the data's own last
        year), ``"report"`` (the report's 上年同期) or None.
    prior : pandas.DataFrame
        The report's 上年同期 per unit and source at the report month (empty without one).
    """

    as_of: str
    checks: pd.DataFrame
    mismatches: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    last_year: dict[str, str | None] = field(default_factory=dict)
    prior: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        """No mismatch and nothing missing."""
        return not self.mismatches and not self.missing

    @property
    def reconciled(self) -> bool:
        """At least one figure was checked against a source total (and all agreed)."""
        return bool(len(self.checks)) and bool(self.checks["ok"].all())

    def raise_unless(self, *, allow_mismatch: bool = False, allow_incomplete: bool = False) -> None:
        """Raise :class:`ReconciliationError` or :class:`IncompleteMonthError` unless allowed."""
        # what is missing is said first: it is usually why the figures disagree as well
        if self.missing and not allow_incomplete:
            also = ("同时数字与来源不符：" + "".join(self.mismatches)) if self.mismatches else ""
            raise IncompleteMonthError(
                "简报未生成：" + "".join(self.missing) + also
                + "补齐后重试；确需发布时用 --allow-incomplete（Python 中 allow_incomplete=True），"
                "页面顶部会以红字注明缺什么。")
        if self.mismatches and not allow_mismatch:
            raise ReconciliationError(
                "简报未生成：数字与来源不符。" + "".join(self.mismatches)
                + "请核对这些文件；确需发布时用 --allow-mismatch（Python 中 allow_mismatch=True），"
                "页面顶部会以红字注明差额。")

    def banners(self) -> list[str]:
        """The red lines for a page published in spite of the gate."""
        out = [f"数字与来源不符：{m}" for m in self.mismatches]
        return out + [f"数据不全：{m}" for m in self.missing]


def months_zh(months: list[int]) -> str:
    """Months as a report writes them: ``[1, 2, 3, 6]`` → ``1-3月、6月``.

    Examples
    --------
    >>> months_zh([1, 2, 3, 6]), months_zh([4, 5]), months_zh([9]), months_zh([])
    ('1-3月、6月', '4-5月', '9月', '')
    """
    parts, run = [], []
    for m in sorted(months):
        if run and m != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(m)
    if run:
        parts.append(run)
    return "、".join(f"{r[0]}-{r[-1]}月" if len(r) > 1 else f"{r[0]}月" for r in parts)


def _unit_mismatches(frame: Any, rep: pd.DataFrame, year: int, month: int) -> list[str]:
    """Each unit's year to date in the data against the figure its report printed for that
    month (sources added up, parts of a whole left out): the ranking table shows them."""
    printed = rep[~rep["is_total"].astype(bool) & (rep["year"] == year)
                  & (rep["end_month"] == month) & rep["ytd_wan"].notna()]
    if not len(printed):
        return []
    ours = collect_pandas(
        frame.filter((nw.col("month").dt.year() == year) & (nw.col("month").dt.month() <= month))
        .group_by("unit", "currency").agg(nw.col("amount_wan").sum().alias("computed")))
    theirs = printed.groupby(["unit", "currency"], as_index=False).agg(
        printed=("ytd_wan", "sum"), file=("source_file", "first") if "source_file" in printed
        else ("unit", "first"), row=("row", "first"))
    both = theirs.merge(ours, on=["unit", "currency"], how="left")
    both["computed"] = both["computed"].fillna(0.0)
    tolerance = 0.5 * 10 ** -_decimals(printed["ytd_wan"]) + 1e-6
    off = both[(both["computed"] - both["printed"]).abs() > tolerance * 2]
    out = []
    for r in off.head(5).itertuples():   # a few lines of text, not a hot path
        money = "万美元" if r.currency == "USD" else "万元"
        out.append(f"{r.unit}{year}年{_span(month)}累计：数据中为{r.computed:,.2f}{money}，"
                   f"《{_name(r.file)}》第{int(r.row)}行为{r.printed:,.2f}{money}。")
    if len(off) > 5:
        out.append(f"另有{len(off) - 5}个单位的累计数与月报表不符。")
    return out


def _span(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


def _ym(year: int, month: int) -> str:
    return f"{year}年{month}月"


def _name(path: Any) -> str:
    return Path(str(path)).name if path is not None and not pd.isna(path) else "（未知文件）"


def _decimals(values: pd.Series) -> int:
    """How many decimals the source prints (2 for 1234.56), from its own figures."""
    text = values.dropna().map(lambda v: f"{float(v):.6f}".rstrip("0").split(".")[1]
                               if "." in f"{float(v):.6f}".rstrip("0") else "")
    return int(text.str.len().max()) if len(text) else 0


def reconcile(
    funds: Any,
    /,
    *,
    as_of: Any = None,
    reported: Any = None,
) -> Reconciliation:
    """Check a report month's figures against their source (see the module's description).

    Parameters
    ----------
    funds : DataFrame-like or Store
        The funds table (any engine), or a :class:`~zsanalytics.store.Store`, whose funds and
        reported figures are used.
    as_of : str, optional
        The report month; by default the last month with funds.
    reported : DataFrame-like, optional
        The monthly reports' figures as printed (``Store.reported``, or
        ``read_monthly_report(...).reported``), with their 合计 rows. Without it the page can
        only say that its figures could not be reconciled with a source total.

    Returns
    -------
    Reconciliation

    Raises
    ------
    MonthOutOfRangeError
        When ``as_of`` lies after the last month with funds or before the first.
    """
    from .metrics._months import as_month
    from .store import Store, month_coverage, split_parts

    if isinstance(funds, Store):
        reported = funds.reported if reported is None else reported
        funds = funds.funds
    frame = to_narwhals(funds, argument="funds")
    names = frame.collect_schema().names()
    sums = collect_pandas(
        frame.with_columns(nw.col("month").dt.year().alias("_y"),
                           nw.col("month").dt.month().alias("_m"))
        .group_by("_y", "_m", "currency")
        .agg(nw.col("amount_wan").sum().alias("_sum"), nw.len().alias("_n")))
    if not len(sums):
        raise ZsAnalyticsError("funds 为空：没有任何资金数据，无法确定报告哪个月")
    sums["_ym"] = sums["_y"] * 100 + sums["_m"]
    first, last = int(sums["_ym"].min()), int(sums["_ym"].max())
    if as_of is None:
        as_of = f"{last // 100}-{last % 100:02d}"
    year, month = as_month(as_of)
    as_of = f"{year}-{month:02d}"
    here = year * 100 + month
    if here > last:
        raise MonthOutOfRangeError(
            f"没有{_ym(year, month)}的数据：数据只到{_ym(last // 100, last % 100)}（最后一个有数据的"
            f"月份），不能生成{_ym(year, month)}的简报。")
    if here < first:
        raise MonthOutOfRangeError(
            f"没有{_ym(year, month)}的数据：数据从{_ym(first // 100, first % 100)}开始，"
            f"不能生成{_ym(year, month)}的简报。")

    rep = None
    if reported is not None:
        rep = collect_pandas(to_narwhals(reported, argument="reported"))
        if "superseded" in rep:
            rep = rep[~rep["superseded"].astype(bool)]
        if "kind" in rep:   # money only: counts of projects are not checked against funds
            rep = rep[rep["kind"].ne("count")]
        rep, _parts = split_parts(rep)   # a whole's parts are in it already
        if not len(rep):
            rep = None

    out = Reconciliation(as_of, pd.DataFrame(columns=[
        "figure", "currency", "computed_wan", "source_wan", "difference_wan", "tolerance_wan",
        "ok", "source_file", "sheet", "row"]))

    # 1. is the month whole, and counted once?
    if "kind" in names:
        kinds = collect_pandas(frame.filter(nw.col("month").dt.year() == year)
                               .select("kind").unique())["kind"].dropna().tolist()
        if len(kinds) > 1:
            out.mismatches.append(
                f"{year}年的资金既来自月报表又来自资金表（funds 表），合在一起会重复计算；"
                "请只保留其中一种再读入。")
    cover = month_coverage(funds, rep)
    in_year = cover[cover["year"] == year]
    row = in_year[in_year["month"] == month]
    if not len(row) or not bool(row["has_data"].iloc[0]):
        monthly = bool(len(in_year)) and (in_year["kind"] == "monthly").any()
        if monthly:
            # without the month's own report its year to date is not known: refused outright
            have = "、".join(f"1-{m}月" if m > 1 else "1月"
                            for m in in_year.loc[in_year["has_data"], "month"])
            raise MonthOutOfRangeError(
                f"没有{_ym(year, month)}的月报：数据中{year}年的月报只有{have}，"
                f"不能生成{_ym(year, month)}的简报。")
        out.missing.append(f"{_ym(year, month)}没有任何资金数据。")
    else:
        r = row.iloc[0]
        if r["missing_units"]:
            out.missing.append(f"{_ym(year, month)}缺少{len(r['missing_units'])}个单位的数据："
                               f"{'、'.join(r['missing_units'])}。")
        if r["missing_sources"]:
            out.missing.append(f"{_ym(year, month)}缺少资金来源：{'、'.join(r['missing_sources'])}。")
    before = in_year[(in_year["month"] < month) & ~in_year["has_data"]]
    if len(before):
        months = months_zh(before["month"].tolist())
        if (in_year["kind"] == "monthly").any():
            out.notices.append(f"{year}年{months}没有月报：这几个月的资金计入其后第一份月报的月份，"
                               "累计数不受影响。")
        else:
            out.missing.append(f"{year}年{months}没有任何资金数据。")

    # 2. does the headline equal the source's own total?
    total_rows = pd.DataFrame()
    if rep is not None:
        total_rows = rep[rep["is_total"].astype(bool) & (rep["year"] == year)
                         & (rep["end_month"] == month)]
    computed = sums[(sums["_y"] == year) & (sums["_m"] <= month)].groupby("currency")["_sum"].sum()
    checks = []
    for currency, label, money in FIGURES:
        ours = float(computed.get(currency, math.nan))
        theirs = total_rows[total_rows["currency"] == currency] if len(total_rows) else total_rows
        if not len(theirs):
            continue
        source_wan = float(theirs["ytd_wan"].sum(min_count=1))
        if math.isnan(source_wan):
            continue
        units = rep[~rep["is_total"].astype(bool) & (rep["year"] == year)
                    & (rep["end_month"] == month) & (rep["currency"] == currency)]
        decimals = _decimals(rep.loc[(rep["year"] == year) & (rep["end_month"] == month),
                                     "ytd_wan"])
        tolerance = 0.5 * 10 ** -decimals * (len(units) + 1) + 1e-9
        ours = 0.0 if math.isnan(ours) else ours
        diff = ours - source_wan
        ok = abs(diff) <= tolerance
        where = theirs.iloc[0]
        file = where.get("source_file")
        checks.append({"figure": label, "currency": currency, "computed_wan": ours,
                       "source_wan": source_wan, "difference_wan": diff,
                       "tolerance_wan": tolerance, "ok": ok, "source_file": file,
                       "sheet": where.get("sheet"), "row": where.get("row")})
        shown = (lambda v: fmt_yi(v)) if currency == "CNY" else (
            lambda v: f"{round_half_up(v, 2):,.2f}万美元")
        place = (f"《{_name(file)}》" if file is not None and not pd.isna(file) else "月报表") + (
            f"工作表“{where.get('sheet')}”第{int(where.get('row'))}行“合计”"
            if where.get("row") is not None and not pd.isna(where.get("row")) else "的“合计”")
        if where.get("ytd_from") == "this_month_sum" and month > 1:   # reports of 本月 only
            place = f"{_span(month)}各月报表“合计”行的本月数之和（{month}月为{place}）"
        if not ok:
            out.mismatches.append(
                f"{year}年{period_zh(as_of)}{label}：按各单位数据合计为{shown(ours)}"
                f"（{ours:,.2f}{money}），{place}为{shown(source_wan)}（{source_wan:,.2f}{money}），"
                f"相差{diff:+,.2f}{money}。")
        else:
            out.notices.append(f"{year}年{period_zh(as_of)}{label}{shown(ours)}与{place}一致。")
    out.checks = pd.DataFrame(checks, columns=out.checks.columns)
    if rep is not None:
        out.mismatches.extend(_unit_mismatches(frame, rep, year, month))
    if not checks:
        out.notices.insert(0, "本简报的数字来自标准表，来源没有自带的合计，未能与来源合计核对。"
                           if rep is None else
                           f"月报表中{year}年{period_zh(as_of)}的“合计”行没有数字（公式未存计算结果或"
                           "留空），本简报的数字未能与来源合计核对。" if len(total_rows) else
                           f"月报表中没有{year}年{period_zh(as_of)}的“合计”行，本简报的数字未能与来源合计核对。")

    # 3. where does last year's figure come from?
    prev = sums[(sums["_y"] == year - 1) & (sums["_m"] <= month)]
    prior = pd.DataFrame()
    if rep is not None:
        prior = rep[(rep["year"] == year) & (rep["end_month"] == month)]
        prior = prior[prior["prior_ytd_wan"].notna()]
    for currency, label, _money in FIGURES:
        if "currency" not in names or not (sums["currency"] == currency).any():
            continue
        months_last_year = set(prev.loc[prev["currency"] == currency, "_m"])
        if months_last_year >= set(range(1, month + 1)):
            out.last_year[currency] = "funds"
            out.notices.append(f"{label}的上年同期数为数据中{year - 1}年{_span(month)}的逐月资金之和。")
        elif len(prior) and (prior["currency"] == currency).any():
            out.last_year[currency] = "report"
            files = sorted({_name(f) for f in prior.loc[prior["currency"] == currency,
                                                          "source_file"]}) \
                if "source_file" in prior else []
            out.notices.append(
                f"{label}的上年同期数取自月报表{'、'.join(f'《{f}》' for f in files) or ''}的"
                f"“上年同期”列（数据中没有{year - 1}年{_span(month)}的逐月资金）。")
        else:
            out.last_year[currency] = None
    out.prior = prior.reset_index(drop=True)
    return out
