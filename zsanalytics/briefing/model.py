"""The briefing's model: the figures, sentences, charts and tables every output shows."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import plotly.graph_objects as go

from .. import charts
from .._frame import collect_pandas, to_narwhals
from .._numbers import fmt_pct, fmt_yi, round_half_up
from ..errors import DataQualityWarning, ZsAnalyticsError
from ..gate import Reconciliation, ReconciliationError, reconcile
from ..metrics import (
    balance,
    conversion,
    cumulative,
    funds_in_place,
    funnel,
    lorenz,
    project_year_end,
    rank_units,
    scorecard,
    stage_issues,
    stage_warnings,
)
from ..metrics._core import TOTAL_LABEL
from ..metrics._months import as_date, as_month
from ..metrics.funnel import DEFAULT_DEADLINES, STAGE_ZH
from ..narrate import funnel_sentence, growth_phrase, headline, period_zh, sources_sentence, units_sentence

__all__ = ["CHART_TITLES", "STATUS_FILLS", "Briefing", "briefing_from_store", "build_briefing"]


#: Captions of the charts, in page order.
CHART_TITLES = {
    "cumulative": "逐月累计与全年预计",
    "completion": "各单位完成年度任务与序时进度",
    "ranking": "各单位实际到位资金排名",
    "sources": "按资金来源",
    "funnel": "当年签约项目转化",
    "lorenz": "资金集中度（各单位是否均衡）",
    "projection": "全年完成预计",
}

Progress = Callable[[str], None]


#: Row colours by progress status: the page's and the workbook's.
STATUS_FILLS = {"超序时进度": "DCE9F8", "低于序时进度": "FCEFD9", "无实绩": "F6D8D7", "无任务": "EEEEEE"}

@dataclass
class Briefing:
    """Everything a briefing shows; write it with :meth:`write_html`, :meth:`write_pdf`,
    :meth:`write_xlsx` and :meth:`write_png`, and the Word 通报 with
    :func:`zsanalytics.briefing.docx.write_docx`.

    Attributes
    ----------
    as_of : str
        The report month, ``"2024-06"``.
    scope : str
        Whose figures these are: ``"全县"``.
    cards : list of (label, value, note)
        The headline figures.
    sentences : list of str
        The report sentences (zsanalytics.narrate), rounded half up.
    figures : dict of name → plotly Figure
    tables : dict of Chinese sheet name → pandas DataFrame with Chinese headers
    notices : list of str
        What the reader should know about the data (a missing year, problems found, which
        source total the figures were checked against).
    banners : list of str
        Red lines at the top of the page: figures published although they disagree with
        their source, or a month published with units or sources missing.
    reconciliation : Reconciliation, optional
        The gate's findings (:func:`zsanalytics.reconcile`).
    has_projects : bool
        Whether there was a project ledger (no ledger: nothing is said about projects).
    chart_titles : dict of figure name → str
        Each chart's heading on the page (:data:`CHART_TITLES`, less what is not shown).
    captions : dict of figure name → str
        What a chart shows, in plain words, under its heading: how 序时进度 is reckoned, the
        base of every conversion rate, what 资金集中度 means.
    data_span : str
        Which data the figures come from: the months of funds, units, projects.
    files : list of str
        The files read (set by :func:`briefing_from_store`; empty for tables passed in).
    generated_at : datetime
        When the briefing was computed.
    """

    as_of: str
    scope: str
    cards: list[tuple[str, str, str]]
    sentences: list[str]
    figures: dict[str, go.Figure]
    tables: dict[str, pd.DataFrame]
    notices: list[str] = field(default_factory=list)
    overdue_total: int = 0
    banners: list[str] = field(default_factory=list)
    reconciliation: Reconciliation | None = None
    captions: dict[str, str] = field(default_factory=dict)
    chart_titles: dict[str, str] = field(default_factory=lambda: dict(CHART_TITLES))
    has_projects: bool = True
    data_span: str = ""
    files: list[str] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))

    @property
    def source_line(self) -> str:
        """数据来源：… — the data, the files (when read from a store) and when it was made."""
        parts = [f"数据：{self.data_span}" if self.data_span else ""]
        if self.files:
            shown = "、".join(self.files[:3]) + ("等" if len(self.files) > 3 else "")
            parts.append(f"读自{len(self.files)}个文件（{shown}）")
        parts.append(f"生成于{self.generated_at:%Y-%m-%d %H:%M}")
        return "；".join(p for p in parts if p) + "。"

    @property
    def title(self) -> str:
        year, _ = as_month(self.as_of)
        return f"{self.scope}招商引资工作简报（{year}年{period_zh(self.as_of)}）"

    def to_html(self, *, max_overdue: int = 30, workbook: str | None = None) -> str:
        """The page as one HTML string: styles, plotly.js and every chart inlined.

        Every user string is escaped; the page loads nothing from anywhere (a Content
        Security Policy forbids it), so it opens offline and from an e-mail attachment alike.
        """
        from .html import render

        return render(self, max_overdue=max_overdue, workbook=workbook)

    def write_html(self, path: str | Path, *, workbook: str | Path | None = None) -> Path:
        """Write :meth:`to_html` to ``path`` (UTF-8); ``workbook`` names the workbook written
        beside it, which the page points to for the rows it leaves out."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_html(workbook=Path(workbook).name if workbook else None),
                        encoding="utf-8")
        return path

    def write_png(self, directory: str | Path, *, width: int = 1000, scale: float = 2) -> list[Path]:
        """Write every chart as ``directory/NAME.png`` through kaleido, with one browser for all.

        Raises
        ------
        ZsAnalyticsError
            When kaleido is not installed or no Chromium can be started, with the command that
            installs it.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = [directory / f"{name}.png" for name in self.figures]
        from .images import write_images

        write_images(list(self.figures.values()), paths, width=width, scale=scale)
        return paths

    def write_pdf(self, path: str | Path, *, workbook: str | Path | None = None) -> Path:
        """Print the page (:meth:`to_html`) to an A4 PDF through headless Chromium: every column
        of every table, headers repeated on each page, the title and page number in the footer;
        ``workbook`` names the workbook written beside it, as in :meth:`write_html`.

        Raises
        ------
        ZsAnalyticsError
            When no Chromium is found (with the command that installs it) or it fails.
        """
        from .images import print_pdf

        page = self.to_html(workbook=Path(workbook).name if workbook else None)
        return print_pdf(page, Path(path))

    def write_xlsx(self, path: str | Path) -> Path:
        """Write the tables as one workbook: Chinese headers, 亿元 with two decimals, status
        colours, frozen header rows, and text that would run as a formula neutralised."""
        from .xlsx import write_workbook

        return write_workbook(self, Path(path))


def _noop(_: str) -> None:
    return None


def build_briefing(
    projects: Any,
    funds: Any,
    targets: Any,
    *,
    as_of: Any = None,
    scope: str = "全县",
    reported: Any = None,
    allow_mismatch: bool = False,
    allow_incomplete: bool = False,
    progress: Progress | None = None,
) -> Briefing:
    """Compute a briefing's figures, sentences, charts and tables.

    Parameters
    ----------
    projects, funds, targets : DataFrame-like
        The canonical tables (:data:`~zsanalytics.PROJECTS`, :data:`~zsanalytics.FUNDS`,
        :data:`~zsanalytics.TARGETS`), any engine; ``projects`` may be None (no funnel).
    as_of : str, optional
        The report month; by default the last month with funds.
    scope : str, default "全县"
        Whose figures these are, as the sentences write it.
    reported : DataFrame-like, optional
        The monthly reports' figures as printed (``Store.reported``), whose 合计 rows the
        headline must equal and whose 上年同期 gives 同比 when ``funds`` lacks last year.
    allow_mismatch : bool, default False
        Publish figures that disagree with their source's total, under a red banner, instead
        of raising :class:`~zsanalytics.gate.ReconciliationError`.
    allow_incomplete : bool, default False
        Publish a month with units or sources missing, under a red banner, instead of raising
        :class:`~zsanalytics.gate.IncompleteMonthError`.
    progress : callable, optional
        Called with a short description before each step (the command line prints them).

    Raises
    ------
    MonthOutOfRangeError, ReconciliationError, IncompleteMonthError
        See :func:`zsanalytics.reconcile`.
    """
    say = progress or _noop
    say("核对数字与来源（合计、月份、单位）")
    gate = reconcile(funds, as_of=as_of, reported=reported)
    gate.raise_unless(allow_mismatch=allow_mismatch, allow_incomplete=allow_incomplete)
    # The metrics run on the caller's engine; only their small results come to pandas.
    years = _small(to_narwhals(funds, argument="funds")
                   .with_columns(nw.col("month").dt.year().alias("_year"))
                   .group_by("_year").agg(nw.col("month").min().alias("_first"),
                                          nw.col("month").max().alias("_last")))
    as_of = gate.as_of
    year, month = as_month(as_of)
    day_end = as_date(as_of).isoformat()
    notices: list[str] = list(gate.notices)

    say("计算到位资金、同比、完成率")
    card = _small(scorecard(funds, targets, as_of=as_of, totals=True))
    _same_headline(card, gate, "ytd_wan", "CNY")
    if gate.last_year.get("CNY") == "report":
        card = _prior_from_report(card, gate.prior, "CNY", "wan")
    elif gate.last_year.get("CNY") is None:
        card[["yoy_pct", "yoy_note"]] = [math.nan, None]
        notices.append(f"数据中没有{year - 1}年的资金，同比未列出。"
                       if not (years["_year"] == year - 1).any() else
                       f"数据中没有{year - 1}年{period_zh(as_of)}的逐月资金，同比未列出。")
    silent = _units_without_rows(funds, units=card.loc[card["unit"] != TOTAL_LABEL, "unit"],
                                 year=year, month=month)
    if silent:
        notices.append(f"{'、'.join(silent)}{year}年{period_zh(as_of)}在资金数据中没有任何记录"
                       "（不是填了零），按无实绩列出；如是漏报，请补齐后重新生成。")
    foreign = _foreign(funds, targets, as_of, gate)
    previous = _small(scorecard(funds, targets, as_of=f"{year}-{month - 1:02d}")) if month > 1 else None
    units = card[card["unit"] != TOTAL_LABEL].reset_index(drop=True)
    total = card[card["unit"] == TOTAL_LABEL].iloc[0]
    by_source = _small(funds_in_place(funds, as_of=as_of, by="source", totals=True))
    if gate.last_year.get("CNY") == "report":
        by_source = _prior_from_report(by_source, gate.prior, "CNY", "wan", key="source")
    elif gate.last_year.get("CNY") is None:  # no 同比 for the parts when there is none for the whole
        by_source[["last_ytd_wan", "yoy_pct"]] = math.nan
        by_source["yoy_note"] = None
    curve = _small(cumulative(funds, as_of=as_of))
    if gate.last_year.get("CNY") != "funds":  # last year's months not in the data: not drawn
        curve["last_ytd_wan"] = math.nan

    say("推算全年完成情况")
    projection = _small(project_year_end(funds, targets, as_of=as_of))
    if month == 12:  # the year is over: nothing to project
        projection = projection.iloc[0:0]
    county = projection[projection["unit"] == TOTAL_LABEL]

    say("项目转化与逾期清单")
    if projects is not None and not _count(projects):
        projects = None  # an empty ledger is no ledger: nothing is known about the projects
    if projects is not None:
        with warnings.catch_warnings():
            # the problem projects are counted once below, in words, instead of as warnings
            warnings.simplefilter("ignore", DataQualityWarning)
            steps = _small(funnel(projects, as_of=day_end))
            rates = _small(conversion(projects, as_of=day_end))
            overdue = _small(stage_warnings(projects, as_of=day_end))
        per_project = overdue_projects(overdue, _signed_dates(projects, overdue), year)
        problems = _small(stage_issues(projects, as_of=day_end))
        if len(problems):
            notices.append(
                f"{problems['project_id'].nunique()}个项目的阶段日期缺失或先后颠倒，按已到达其前序"
                "阶段计入转化（明细用 zsanalytics.stage_issues 列出）。")
    else:
        steps = rates = None
        overdue = pd.DataFrame()
        per_project = overdue_projects(overdue, None, year)
        notices.append("没有项目台账，签约转化和逾期项目未列出。")

    say("均衡情况与排名")
    # ranked on the figures as shown: 亿元 with two decimals is 万元 to the hundred
    ranked = rank_units(units, value_col="ytd_wan", digits=-2, previous=previous)
    by_completion = rank_units(units, value_col="completion_pct", digits=1, previous=previous)
    spread = balance(units, value_col="ytd_wan")

    sentences = [headline(card, as_of=as_of, scope=scope)]
    if len(by_source) > 2:  # more than one source and the total
        sentences.append(sources_sentence(by_source))
    if foreign is not None:
        sentences.append(_foreign_sentence(foreign))
    sentences.append(units_sentence(card))
    if len(county) and pd.notna(county["projected_wan"].iloc[0]):
        sentences.append(_projection_sentence(county.iloc[0]))
    signed = int(rates.iloc[0]["signed"]) if rates is not None and len(rates) else 0
    if rates is not None and len(rates):
        sentences.append(funnel_sentence(rates.iloc[0], year=year) if signed else
                         f"{year}年截至{month}月底尚无签约项目，签约转化未列出。")
        if len(overdue):
            sentences.append(_overdue_sentence(overdue))

    captions = _captions(total, units, spread, rates, year, month)
    projectable = projection[projection["projected_wan"].notna() & (projection["unit"] != TOTAL_LABEL)]
    if len(projection) and not len(projectable):
        notices.append(_no_projection(projection))
    elif month == 12:
        notices.append("12月为全年数据，不再作全年完成预计。")

    say("绘制图表")
    figures = {
        "cumulative": charts.cumulative_chart(curve, target_wan=_float(total["target_wan"]),
                                              projection=county if len(county) else None,
                                              scope=scope),
        "completion": charts.completion_chart(card, scope=scope),
        "ranking": charts.ranking_chart(ranked, value_col="ytd_wan"),
        "sources": charts.funds_chart(by_source),
        "funnel": charts.funnel_chart(
            steps, title=f"{year}年签约项目转化情况（截至{year}年{month}月底）")
        if steps is not None and signed else None,  # no chart of four zeros
        "lorenz": charts.lorenz_chart(lorenz(units, value_col="ytd_wan"),
                                      gini=_float(spread["gini"].iloc[0])),
        "projection": charts.projection_chart(projection, scope=scope)
        if len(projectable) else None,
    }
    figures = {k: v for k, v in figures.items() if v is not None}
    chart_titles = dict(CHART_TITLES)
    if not (len(county) and pd.notna(county["projected_wan"].iloc[0])):
        chart_titles["cumulative"] = "逐月累计"  # nothing projected: the heading says no more
    cards = _cards(total, county, rates, per_project, overdue, month)
    if foreign is not None:
        cards.insert(2, ("实际利用外资", _usd(foreign["ytd_usd_wan"]), _foreign_note(foreign)))
    banners = gate.banners()
    tables = {
        "各单位完成情况": _ranking_table(by_completion, ranked),
        "按来源": _sources_table(by_source),
        "全年预计": _projection_table(projection),
        "逾期项目": _overdue_table(per_project),
        "要点": pd.DataFrame({"要点": banners + sentences + notices}),
    }
    return Briefing(as_of=as_of, scope=scope, cards=cards, sentences=sentences, figures=figures,
                    tables=tables, notices=notices, overdue_total=len(per_project), banners=banners,
                    reconciliation=gate, captions=captions, chart_titles=chart_titles,
                    has_projects=projects is not None,
                    data_span=_data_span(years, units, projects, year, month))


def briefing_from_store(store: Any, **options: Any) -> Briefing:
    """:func:`build_briefing` on a store's tables (see :mod:`zsanalytics.store`): its funds,
    targets and projects, and its monthly reports' own totals for the gate.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from zsanalytics.datasets import write_demo_folder
    >>> from zsanalytics.store import ingest, open_store
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ingest(write_demo_folder(tmp / "files"), db=tmp / "county.duckdb")
    >>> with open_store(tmp / "county.duckdb") as store:
    ...     b = briefing_from_store(store, as_of="2024-06")
    >>> b.sentences[0]
    '1-6月，全县实际到位资金25.27亿元，同比下降7.2%，完成年度任务的35.3%，低于序时进度14.7个百分点。'
    >>> b.sentences[1]
    '实际利用外资737.64万美元，同比增长36.1%，完成年度任务的35.3%。'
    """
    projects = store.projects if store.con.execute(
        "SELECT count(*) FROM projects").fetchone()[0] else None
    briefing = build_briefing(projects, store.funds, store.targets, reported=store.reported,
                              **options)
    year, month = as_month(briefing.as_of)
    briefing.files = [Path(p).name for (p,) in store.con.execute(
        "SELECT DISTINCT path FROM sources WHERE status = 'read' ORDER BY path").fetchall()]
    # figures of this year that a later report (or a re-downloaded file) changed: what
    # leadership asks about when last month's briefing said otherwise
    revised = store.con.execute("""
        SELECT unit, source, end_month, old_ytd_wan, new_ytd_wan, old_file, new_file
        FROM revisions WHERE year = ? AND end_month <= ? AND unit <> '合计'
        ORDER BY end_month DESC, abs(change_wan) DESC""", [year, month]).fetchall()
    for unit, source, end, old, new, old_file, new_file in revised[:5]:
        where = (f"《{Path(old_file).name}》→《{Path(new_file).name}》" if old_file != new_file
                 else f"《{Path(new_file).name}》重新下载")
        briefing.notices.append(
            f"修订：{unit}（{source}）{year}年{period_zh(f'{year}-{end:02d}')}累计由"
            f"{old:,.2f}改为{new:,.2f}（{where}）。")
    if len(revised) > 5:
        briefing.notices.append(f"另有{len(revised) - 5}个数字被修订，见数据库的 revisions 表。")
    return briefing


def _same_headline(card: pd.DataFrame, gate: Reconciliation, column: str, currency: str) -> None:
    """The page's total is the figure the gate checked (or the gate checked nothing)."""
    checked = gate.checks[gate.checks["currency"] == currency]
    totals = card.loc[card["unit"] == TOTAL_LABEL, column]
    if not len(checked) or not len(totals):
        return
    shown, computed = float(totals.iloc[0]), float(checked["computed_wan"].iloc[0])
    if abs(shown - computed) > 0.005:
        raise ReconciliationError(
            f"简报未生成：各单位合计{shown:,.2f}与全部资金之和{computed:,.2f}不符"
            f"（相差{shown - computed:+,.2f}），有资金没有计入任何单位。")


def _prior_from_report(table: pd.DataFrame, prior: pd.DataFrame, currency: str, sfx: str,
                       *, key: str = "unit") -> pd.DataFrame:
    """Last year's figures (and 同比) from the report's 上年同期 column."""
    table = table.copy()
    rows = prior[prior["currency"] == currency]
    parts = rows[~rows["is_total"].astype(bool)].groupby(key)["prior_ytd_wan"].sum(min_count=1)
    totals = rows[rows["is_total"].astype(bool)]
    total = totals["prior_ytd_wan"].sum(min_count=1) if len(totals) else parts.sum(min_count=1)
    last = table[key].map(parts).astype("float64")
    last = last.where(table[key] != TOTAL_LABEL, total)
    cur = table[f"ytd_{sfx}"].astype("float64")
    table[f"last_ytd_{sfx}"] = last
    if f"change_{sfx}" in table:
        table[f"change_{sfx}"] = cur - last
    table["yoy_pct"] = ((cur / last - 1) * 100).where(last > 0)
    note = pd.Series(None, index=table.index, dtype=object)
    note = note.mask(last == 0, "上年同期为零").mask((last == 0) & (cur == 0), "无实绩")
    note = note.mask((last == 0) & (cur > 0), "新增").mask(last < 0, "上年同期为负")
    table["yoy_note"] = note.where(last.notna() | table["yoy_pct"].notna(), None)
    return table


def _foreign(funds: Any, targets: Any, as_of: str, gate: Reconciliation) -> pd.Series | None:
    """The county's foreign funds line (万美元): amount, 同比 and completion, or None."""
    from ..metrics import funds_in_place as _fip

    if "USD" not in gate.last_year and not (gate.checks["currency"] == "USD").any():
        return None
    try:
        card = _small(scorecard(funds, targets, as_of=as_of, indicator="foreign_funds",
                                totals=True))
    except ZsAnalyticsError:  # no foreign-funds target: amount and 同比 only
        card = _small(_fip(funds, as_of=as_of, by="unit", currency="USD", totals=True))
    if not len(card) or not (card["unit"] == TOTAL_LABEL).any():
        return None
    _same_headline(card, gate, "ytd_usd_wan", "USD")
    if gate.last_year.get("USD") == "report":
        card = _prior_from_report(card, gate.prior, "USD", "usd_wan")
    elif gate.last_year.get("USD") is None:
        card[["yoy_pct", "yoy_note"]] = [math.nan, None]
    return card[card["unit"] == TOTAL_LABEL].iloc[0]


def _usd(value: Any) -> str:
    return f"{round_half_up(_float(value), 2):.2f}万美元"


def _foreign_note(row: pd.Series) -> str:
    parts = [growth_phrase(row.get("yoy_pct"), note=row.get("yoy_note")) or "同比—"]
    if math.isfinite(_float(row.get("completion_pct"))):
        parts.append(f"完成年度任务的{fmt_pct(_float(row['completion_pct']))}")
    return "，".join(parts)


def _foreign_sentence(row: pd.Series) -> str:
    """实际利用外资737.64万美元，同比增长36.1%，完成年度任务的35.3%。"""
    note = _foreign_note(row).replace("同比—", "").strip("，")
    return f"实际利用外资{_usd(row['ytd_usd_wan'])}" + (f"，{note}" if note else "") + "。"


def _units_without_rows(funds: Any, *, units: pd.Series, year: int, month: int) -> list[str]:
    """Units on the scorecard (from their targets) with no funds row at all this year to date:
    a table that leaves a unit out says nothing, which is not the same as a reported zero."""
    frame = to_narwhals(funds, argument="funds")
    dated = frame.with_columns(nw.col("month").dt.year().alias("_y"), nw.col("month").dt.month().alias("_m"))
    seen = _small(dated.filter((nw.col("_y") == year) & (nw.col("_m") <= month)).select("unit").unique())
    return sorted(set(units.astype(str)) - set(seen["unit"].astype(str)))


def _count(table: Any) -> int:
    """Rows of a table of any engine, counted where it lives."""
    return int(_small(to_narwhals(table, argument="projects").select(nw.len())).iloc[0, 0])


def _small(table: Any) -> pd.DataFrame:
    """A (small, aggregated) result of any engine as pandas."""
    return collect_pandas(to_narwhals(table))


def _float(value: Any) -> float:
    return float(value) if value is not None and pd.notna(value) else math.nan


def _projection_sentence(row: pd.Series) -> str:
    level = fmt_pct(_float(row.get("level")) * 100, 0)
    text = (f"按各单位往年进度推算，全年预计实际到位资金{fmt_yi(row['projected_wan'])}"
            f"（{level}预测区间{fmt_yi(row['lower_wan'])}至{fmt_yi(row['upper_wan'])}），")
    pct = _float(row.get("projected_completion_pct"))
    if math.isfinite(pct):
        text += f"完成年度任务的{fmt_pct(pct)}，"
    prob = _float(row.get("prob_meet_target"))
    text += f"完成全年任务的概率约{fmt_pct(prob * 100, 0)}。" if math.isfinite(prob) else ""
    return text.rstrip("，") + ("" if text.endswith("。") else "。")


def _overdue_sentence(overdue: pd.DataFrame) -> str:
    """逾期预警x项，涉及项目y个（签约超90天未落地n项，…）。 in the funnel's order."""
    counts = overdue.groupby("rule_zh", sort=False).size()
    order = {rule["zh"]: i for i, rule in enumerate(DEFAULT_DEADLINES)}  # the funnel's order
    counts = counts.iloc[sorted(range(len(counts)), key=lambda i: order.get(counts.index[i], 99))]
    parts = "，".join(f"{rule}{n}项" for rule, n in counts.items())
    return f"逾期预警{len(overdue)}项，涉及项目{overdue['project_id'].nunique()}个（{parts}）。"


def _cards(total: pd.Series, county: pd.DataFrame, rates: pd.DataFrame | None,
           per_project: pd.DataFrame, overdue: pd.DataFrame,
           month: int) -> list[tuple[str, str, str]]:
    gap = _float(total["gap_pp"])
    progress = _float(total["time_progress_pct"])
    how = f"（{month}个月÷12个月）" if abs(progress - month / 12 * 100) < 0.05 else ""
    gap_note = (f"序时进度{fmt_pct(progress)}{how}，"
                + ("超" if gap > 0 else "低于" if gap < 0 else "持平")
                + (f"{round_half_up(abs(gap), 1):.1f}个百分点" if gap else "")) if math.isfinite(
        gap) else ""
    cards = [
        ("实际到位资金", fmt_yi(_float(total["ytd_wan"])),
         growth_phrase(total["yoy_pct"], note=total.get("yoy_note")) or "同比—"),
        ("完成年度任务", fmt_pct(_float(total["completion_pct"])), gap_note),
    ]
    if len(county) and pd.notna(county["projected_wan"].iloc[0]):
        row = county.iloc[0]
        cards.append(("全年预计", fmt_yi(row["projected_wan"]),
                      f"区间{fmt_yi(row['lower_wan'])}–{fmt_yi(row['upper_wan'])}，"
                      f"完成任务概率约{fmt_pct(_float(row['prob_meet_target']) * 100, 0)}"))
    if rates is not None and len(rates):
        row = rates.iloc[0]
        cards.append(("当年签约项目", f"{int(row['signed'])}个",
                      f"落地率{fmt_pct(_float(row['landing_rate_pct']))}，"
                      f"开工率{fmt_pct(_float(row['start_rate_pct']))}（均为占签约项目）"
                      if int(row["signed"]) else "尚无当年签约项目"))
        this_year = int(per_project["this_year"].sum()) if len(per_project) else 0
        cards.append(("逾期项目", f"{len(per_project)}个",
                      f"其中当年签约{this_year}个；逾期预警{len(overdue)}项，清单见文末"))
    return cards


def _captions(total: pd.Series, units: pd.DataFrame, spread: pd.DataFrame,
              rates: pd.DataFrame | None, year: int, month: int) -> dict[str, str]:
    """Plain words under each chart's heading."""
    progress = _float(total["time_progress_pct"])
    by_months = abs(progress - month / 12 * 100) < 0.05
    how = f"已过月份÷12＝{month}÷12＝{fmt_pct(progress)}" if by_months else fmt_pct(progress)
    captions = {
        "completion": (f"序时进度＝{how}，即到{month}月底按时间应完成的年度任务比例；"
                       "完成率高于它为超序时进度，低于它为低于序时进度。"),
        "projection": "按各单位往年同期进度推算全年，区间为预测区间；往年数据不足的单位不作预计。",
    }
    values = units.set_index("unit")["ytd_wan"].astype("float64").sort_values(ascending=False)
    total_wan = float(values.sum())
    if total_wan > 0 and len(values) >= 3:
        top = values.head(3)
        idle = int((values <= 0).sum())
        text = (f"资金集中度：到位资金最多的3个单位（{'、'.join(top.index.astype(str))}）"
                f"占全部的{fmt_pct(float(top.sum()) / total_wan * 100)}")
        text += f"，{idle}个单位无实绩。" if idle else "。"
        gini = _float(spread["gini"].iloc[0]) if len(spread) else math.nan
        if math.isfinite(gini):
            text += f"（基尼系数{round_half_up(gini, 2):.2f}：0为各单位完全均衡，越接近1越集中在少数单位。）"
        captions["lorenz"] = text
    if rates is not None and len(rates) and int(rates.iloc[0]["signed"]):
        captions["funnel"] = (f"{year}年签约的{int(rates.iloc[0]['signed'])}个项目截至{month}月底的进展。"
                              "落地率＝已落地÷签约，开工率＝已开工÷签约，均以当年签约项目为基数；"
                              "开工项目投产率＝已投产÷已开工。")
    return captions


def _no_projection(projection: pd.DataFrame) -> str:
    """Why no unit could be projected, in one sentence."""
    notes = projection.loc[projection["unit"] != TOTAL_LABEL, "note"].dropna().astype(str)
    why = "；".join(f"{n}（{c}个单位）" for n, c in notes.value_counts().items())
    return "全年完成预计未列出：没有一个单位能按往年进度推算" + (f"——{why}" if why else "") + "。"


def _data_span(years: pd.DataFrame, units: pd.DataFrame, projects: Any, year: int,
               month: int) -> str:
    first = pd.Timestamp(years["_first"].min()) if len(years) else None
    span = (f"到位资金{first.year}年{first.month}月至{year}年{month}月" if first is not None
            else f"到位资金至{year}年{month}月")
    parts = [f"{span}（{len(units)}个单位）", f"{year}年任务"]
    if projects is not None:
        parts.append("项目台账")
    return "，".join(parts)


def _yi(values: pd.Series) -> pd.Series:
    return values.astype("float64") / 1e4


def _ranking_table(by_completion: pd.DataFrame, by_funds: pd.DataFrame) -> pd.DataFrame:
    funds_rank = by_funds.set_index("unit")
    table = pd.DataFrame({
        "完成率排名": by_completion["rank_zh"],
        "单位": by_completion["unit"],
        "本月（亿元）": _yi(by_completion["month_wan"]),
        "累计（亿元）": _yi(by_completion["ytd_wan"]),
        "同比（%）": _growth(by_completion),
        "年度任务（亿元）": _yi(by_completion["target_wan"]),
        "完成率（%）": by_completion["completion_pct"],
        "与序时进度差（百分点）": by_completion["gap_pp"],
        "进度": by_completion["status_zh"],
        "排名变化": by_completion.get("rank_change_zh"),
        "到位资金排名": by_completion["unit"].map(funds_rank["rank_zh"]),
    })
    return table


def _growth(table: pd.DataFrame) -> pd.Series:
    """Growth in %, or why there is none (新增, 无实绩 …) in the same cell."""
    pct = table["yoy_pct"].astype(object)
    return pct.where(table["yoy_pct"].notna(), table["yoy_note"])


def _sources_table(by_source: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "资金来源": by_source["source"],
        "累计（亿元）": _yi(by_source["ytd_wan"]),
        "上年同期（亿元）": _yi(by_source["last_ytd_wan"]),
        "同比（%）": _growth(by_source),
    })


def _projection_table(projection: pd.DataFrame) -> pd.DataFrame:
    """Units by projected completion (those that cannot be projected after), 合计 last."""
    total = projection["unit"] == TOTAL_LABEL
    projection = pd.concat([
        projection[~total].sort_values(["projected_completion_pct", "unit"], ascending=[False, True],
                                       kind="stable", na_position="last"),
        projection[total]])
    return pd.DataFrame({
        "单位": projection["unit"],
        "累计（亿元）": _yi(projection["ytd_wan"]),
        "全年预计（亿元）": _yi(projection["projected_wan"]),
        "预测区间下限（亿元）": _yi(projection["lower_wan"]),
        "预测区间上限（亿元）": _yi(projection["upper_wan"]),
        "年度任务（亿元）": _yi(projection["target_wan"]),
        "预计完成率（%）": projection["projected_completion_pct"],
        "完成任务概率（%）": projection["prob_meet_target"] * 100,
        "说明": projection["note"],
    }).reset_index(drop=True)


OVERDUE_PROJECT_COLUMNS = ["unit", "project_id", "project_name", "signed_on", "this_year",
                           "rules", "rules_zh", "days_overdue", "contract_wan", "funds_pct"]


def overdue_projects(overdue: pd.DataFrame, signed: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """One row per overdue project with all its rules, in the order leadership acts on: the
    report year's signings first (the assessment counts them), then the most overdue.

    ``overdue`` is :func:`~zsanalytics.stage_warnings` (a row per project and rule),
    ``signed`` the projects' ``project_id`` and ``signed_on``. Returns
    :data:`OVERDUE_PROJECT_COLUMNS`: ``rules`` the rule keys in funnel order, ``rules_zh`` the
    table's short words for them (未落地、未开工 …), ``days_overdue`` the most overdue rule's days.
    """
    if not len(overdue):
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in OVERDUE_PROJECT_COLUMNS})
        empty["signed_on"] = pd.Series([], dtype="datetime64[ns]")
        return empty
    order = {rule["rule"]: i for i, rule in enumerate(DEFAULT_DEADLINES)}
    short = {rule["rule"]: short_rule(rule) for rule in DEFAULT_DEADLINES}
    rows = overdue.assign(_order=overdue["rule"].map(order).fillna(99),
                          rule_short=overdue["rule"].map(short).fillna(overdue["rule_zh"]))
    rows = rows.sort_values(["project_id", "_order"], kind="stable")
    per = rows.groupby("project_id", sort=False).agg(
        unit=("unit", "first"), project_name=("project_name", "first"),
        rules_zh=("rule_short", lambda s: "、".join(dict.fromkeys(s))),
        rules=("rule", lambda s: tuple(dict.fromkeys(s))),
        days_overdue=("days_overdue", "max"), contract_wan=("contract_wan", "first"),
        funds_pct=("funds_pct", "first"),
    ).reset_index()
    if signed is None or not len(signed):
        signed = pd.DataFrame({"project_id": pd.Series([], dtype=object),
                               "signed_on": pd.Series([], dtype="datetime64[ns]")})
    per = per.merge(signed, on="project_id", how="left")
    per["signed_on"] = pd.to_datetime(per["signed_on"]).astype("datetime64[ns]")
    per["this_year"] = per["signed_on"].dt.year.eq(year).fillna(False).astype(bool)
    per = per.sort_values(["this_year", "days_overdue", "unit", "project_id"],
                          ascending=[False, False, True, True], kind="stable")
    return per[OVERDUE_PROJECT_COLUMNS].reset_index(drop=True)


def short_rule(rule: Mapping[str, Any]) -> str:
    """未落地 / 未开工 / 未投产 / 到位不足25%: a table's words for a rule of
    :data:`~zsanalytics.metrics.funnel.DEFAULT_DEADLINES`; the sentence gives the deadlines."""
    if "missing" in rule:
        return "未" + STAGE_ZH.get(rule["missing"], rule["missing"])
    if "min_funds_pct" in rule:
        return f"到位不足{round_half_up(float(rule['min_funds_pct']), 1):g}%"
    return str(rule.get("zh", rule["rule"]))


def _signed_dates(projects: Any, overdue: pd.DataFrame) -> pd.DataFrame | None:
    """The signing day of the overdue projects (collected for those few only)."""
    frame = to_narwhals(projects, argument="projects")
    if not len(overdue) or "signed_on" not in frame.columns:
        return None
    ids = overdue["project_id"].unique().tolist()
    rows = frame.select("project_id", "signed_on").filter(nw.col("project_id").is_in(ids))
    return collect_pandas(rows).drop_duplicates("project_id")


def _overdue_table(per: pd.DataFrame) -> pd.DataFrame:
    """The page's and workbook's list: one row per project, dates as dates."""
    return pd.DataFrame({
        "单位": per["unit"].astype(object),
        "项目编号": per["project_id"].astype(object),
        "项目名称": per["project_name"].astype(object),
        "签约日期": per["signed_on"].astype("datetime64[ns]"),
        "存在问题": per["rules_zh"].astype(object),
        "逾期天数": per["days_overdue"].astype("Int64"),
        "合同金额（亿元）": _yi(per["contract_wan"]),
        "资金到位率（%）": per["funds_pct"].astype("float64"),
    })

