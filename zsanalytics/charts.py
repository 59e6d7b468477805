"""Charts for leadership briefings: plotly figures in one house style.

Every function takes the table a metric function returns (pandas, polars, DuckDB or Spark) and
returns a :class:`plotly.graph_objects.Figure` drawn with the ``"zsa"`` template: Chinese
labels, a CJK font stack, amounts in 亿元 with two decimals and percentages with one — written
half up (四舍五入) by :func:`~zsanalytics.fmt_yi` and :func:`~zsanalytics.fmt_pct`, never by
the browser — and a few colours that carry meaning (:data:`STATUS_COLOURS`).

Unit and project names are shown as text: plotly reads labels as a small subset of HTML, so
every name is escaped before it reaches a figure (a unit called ``<b>x</b>`` shows its tags).

Every figure fits a phone (390 px): titles are broken into lines of about twenty characters
(plotly never wraps them), legends sit under the plot, and plotly.js sizes each chart to its
card, so no width is fixed here.

Examples
--------
>>> import zsanalytics as zsa
>>> demo = zsa.load_demo()
>>> card = zsa.scorecard(demo.funds, demo.targets, as_of="2024-06", totals=True)
>>> fig = completion_chart(card)
>>> fig.layout.title.text    # broken into lines a phone's chart has room for
'2024年1-6月各单位完成年度任务情况<br>（序时进度50.0%），全县35.3%'
>>> [(t.name, len(t.y)) for t in fig.data]   # 20 units; the 合计 row is the title's
[('超序时进度', 5), ('低于序时进度', 13), ('无实绩', 2)]
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ._frame import collect_pandas, to_narwhals
from ._numbers import fmt_pct, fmt_yi
from .metrics._core import TOTAL_LABEL, require
from .narrate import growth_phrase, period_zh

__all__ = [
    "FONT_FAMILY",
    "STATUS_COLOURS",
    "TEMPLATE",
    "completion_chart",
    "cumulative_chart",
    "funds_chart",
    "funnel_chart",
    "lorenz_chart",
    "projection_chart",
    "ranking_chart",
]

#: Fonts tried in order: Noto (Linux, the Debian ``fonts-noto-cjk`` package), 微软雅黑
#: (Windows), 苹方 (macOS), then whatever sans-serif the system has.
FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

#: Colour by time-progress status (``status_zh`` of :func:`~zsanalytics.completion`).
STATUS_COLOURS = {
    "超序时进度": "#2f7ed8",
    "低于序时进度": "#f0ad4e",
    "无实绩": "#d9534f",
    "无任务": "#999999",
}
_BLUE, _GREY, _DARK, _RED = "#2f7ed8", "#999999", "#444444", "#d9534f"

TEMPLATE = go.layout.Template(pio.templates["plotly_white"])
TEMPLATE.layout.update(
    font=dict(family=FONT_FAMILY, size=13, color="#333333"),
    # the title just above the plot, pushing it down as far as the title's lines need
    title=dict(x=0.01, xanchor="left", xref="container", y=1, yanchor="bottom", yref="paper",
               pad=dict(b=12), automargin=True, font=dict(size=16)),
    colorway=[_BLUE, "#7cb5ec", "#90a4ae", "#f0ad4e", _RED, "#5cb85c"],
    hoverlabel=dict(font=dict(family=FONT_FAMILY)),
    # the legend in a row of its own under the plot, never over the title (phone or desktop)
    legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", y=0,
                yanchor="bottom"),
    margin=dict(l=20, r=30, t=40, b=40),
    separators=".,",
)
pio.templates["zsa"] = TEMPLATE


def _esc(value: Any) -> str:
    """A user string as plotly should show it: its pseudo-HTML made literal."""
    return html.escape("" if value is None else str(value), quote=False)


def _table(table: Any, columns: Iterable[str], *, argument: str) -> pd.DataFrame:
    frame = to_narwhals(table, argument=argument)
    require(frame, columns, table=argument)
    return collect_pandas(frame)


def _split_total(frame: pd.DataFrame, unit_col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    is_total = frame[unit_col].astype("str") == TOTAL_LABEL
    return frame[~is_total].reset_index(drop=True), frame[is_total].reset_index(drop=True)


def _period(frame: pd.DataFrame) -> str:
    if {"year", "through_month"} <= set(frame.columns) and len(frame):
        year, month = int(frame["year"].iloc[0]), int(frame["through_month"].iloc[0])
        return f"{year}年{period_zh(f'{year}-{month:02d}')}"
    return ""


def _num(value: Any) -> float:
    return float(value) if value is not None and not pd.isna(value) else math.nan


def _figure(title: str, **layout: Any) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template="zsa", title_text=_wrap(title), **layout)
    return fig


_BREAK_AFTER = "，、：；）。"


def _width(text: str) -> float:
    """Width in em: a Chinese character is one, a digit or Latin letter about half."""
    return sum(0.6 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _wrap(text: str, limit: float = 19) -> str:
    """A title escaped and broken into lines of at most ``limit`` em, after punctuation where
    it can: plotly never wraps a title, and a phone (390 px) has room for about twenty
    characters of 16 px across a chart.

    >>> _wrap("2024年1-6月各单位完成年度任务情况（序时进度50.0%），全县35.3%")
    '2024年1-6月各单位完成年度任务情况<br>（序时进度50.0%），全县35.3%'
    >>> _wrap("<b>x</b>")
    '&lt;b&gt;x&lt;/b&gt;'
    """
    lines: list[str] = []
    rest = text
    while _width(rest) > limit:
        cut, width = 0, 0.0
        for i, ch in enumerate(rest):
            width += _width(ch)
            if width > limit:
                break
            cut = i + 1
        soft = max((i + 1 for i, ch in enumerate(rest[:cut]) if ch in _BREAK_AFTER), default=0)
        soft = max(soft, max((i for i, ch in enumerate(rest[:cut + 1]) if ch == "（"), default=0))
        cut = soft if soft >= cut / 2 else cut
        lines.append(rest[:cut])
        rest = rest[cut:]
    lines.append(rest)
    return "<br>".join(_esc(line) for line in lines if line)


def _bar_height(n: int) -> int:
    return max(320, 110 + 26 * n)


def _room(values: Any, share: float = 0.22) -> list[float] | None:
    """An axis range from zero with room after the longest bar for its outside label."""
    top = pd.Series(values, dtype="float64").max()
    return [0, float(top) * (1 + share)] if pd.notna(top) and top > 0 else None


def completion_chart(card: Any, *, unit_col: str = "unit", title: str | None = None,
                     scope: str = "全县") -> go.Figure:
    """Completion of the annual target per unit against time progress (序时进度).

    Horizontal bars of ``completion_pct``, highest first, coloured by ``status_zh``; a dashed
    line marks time progress. A 合计 row, if any, goes into the title rather than the bars.

    Parameters
    ----------
    card : DataFrame-like
        :func:`~zsanalytics.scorecard` or :func:`~zsanalytics.completion` output:
        ``unit_col``, ``completion_pct``, ``time_progress_pct``, ``status_zh``.
    scope : str, default "全县"
        Whose total the 合计 row is, as the title names it (the briefing's ``--scope``).
    """
    frame = _table(card, [unit_col, "completion_pct", "time_progress_pct", "status_zh"],
                   argument="card")
    units, total = _split_total(frame, unit_col)
    units = units.sort_values("completion_pct", ascending=False, kind="stable", na_position="last")
    progress = _num(frame["time_progress_pct"].dropna().iloc[0]) if frame[
        "time_progress_pct"].notna().any() else math.nan
    head = f"{_period(frame)}各单位完成年度任务情况（序时进度{fmt_pct(progress)}）"
    if len(total):
        head += f"，{scope}{fmt_pct(_num(total['completion_pct'].iloc[0]))}"
    fig = _figure(title or head, height=_bar_height(len(units)),
                  xaxis=dict(title_text="完成年度任务（%）", ticksuffix="%",
                             range=_room(units["completion_pct"], 0.12)),
                  yaxis=dict(autorange="reversed", automargin=True, categoryorder="array",
                             categoryarray=[_esc(u) for u in units[unit_col]]), bargap=0.25)
    for status, colour in STATUS_COLOURS.items():
        part = units[units["status_zh"] == status]
        if not len(part):
            continue
        labels = [fmt_pct(_num(v)) for v in part["completion_pct"]]
        fig.add_bar(
            x=part["completion_pct"], y=[_esc(u) for u in part[unit_col]], orientation="h",
            name=status, marker_color=colour, text=labels, textposition="outside", cliponaxis=False,
            hovertext=[f"{_esc(u)}：完成{t}，{status}" for u, t in zip(part[unit_col], labels,
                                                               strict=True)],
            hoverinfo="text",
        )
    if math.isfinite(progress):
        fig.add_vline(x=progress, line_dash="dash", line_color=_DARK,
                      annotation_text=f"序时进度{fmt_pct(progress)}",
                      annotation_position="bottom right")
    fig.update_layout(barmode="overlay")
    return fig


def cumulative_chart(
    curve: Any,
    *,
    target_wan: float | None = None,
    projection: Any = None,
    title: str | None = None,
    scope: str = "全县",
) -> go.Figure:
    """This year against last, accumulated month by month, with the annual target.

    Parameters
    ----------
    curve : DataFrame-like
        :func:`~zsanalytics.cumulative` output for one series (``by=()``): ``year``, ``month``,
        ``ytd_wan``, ``last_ytd_wan``.
    target_wan : float, optional
        The annual target in 万元, drawn as a dashed line.
    projection : mapping or one-row table, optional
        A row of :func:`~zsanalytics.project_year_end` (``projected_wan``, ``lower_wan``,
        ``upper_wan``, ``level``), drawn at December with its interval.
    scope : str, default "全县"
        Whose funds these are, as the title names them (the briefing's ``--scope``).
    """
    frame = _table(curve, ["year", "month", "ytd_wan", "last_ytd_wan"], argument="curve")
    frame = frame.sort_values("month", kind="stable")
    year = int(frame["year"].iloc[0]) if len(frame) else 0
    this = frame[frame["ytd_wan"].notna()]
    fig = _figure(title or (f"{scope}实际到位资金逐月累计（亿元）：" + (
                      f"{year}年与{year - 1}年" if frame["last_ytd_wan"].notna().any() else f"{year}年")),
                  xaxis=dict(title_text="", tickmode="array", tickvals=list(range(1, 13)),
                             ticktext=[f"{m}月" for m in range(1, 13)], range=[0.5, 12.5]),
                  yaxis=dict(title_text="亿元", rangemode="tozero"), height=420)
    last_year = frame[frame["last_ytd_wan"].notna()]
    if len(last_year):  # a last year the data does not have in full is left out, not drawn low
        fig.add_scatter(
            x=last_year["month"], y=last_year["last_ytd_wan"] / 1e4, name=f"{year - 1}年累计",
            mode="lines", line=dict(color=_GREY, dash="dot", width=2),
            hovertext=[f"{year - 1}年1-{m}月：{fmt_yi(v)}" for m, v in
                       zip(last_year["month"], last_year["last_ytd_wan"], strict=True)],
            hoverinfo="text",
        )
    fig.add_scatter(
        x=this["month"], y=this["ytd_wan"] / 1e4, name=f"{year}年累计", mode="lines+markers",
        line=dict(color=_BLUE, width=3),
        hovertext=[f"{year}年1-{m}月：{fmt_yi(v)}" for m, v in
                   zip(this["month"], this["ytd_wan"], strict=True)], hoverinfo="text",
    )
    if len(this):
        last = this.iloc[-1]
        fig.add_annotation(x=last["month"], y=last["ytd_wan"] / 1e4, text=fmt_yi(last["ytd_wan"]),
                           showarrow=False, xanchor="left", xshift=8, font=dict(color=_BLUE))
    if target_wan is not None and math.isfinite(target_wan):
        fig.add_hline(y=target_wan / 1e4, line_dash="dash", line_color=_DARK,
                      annotation_text=f"年度任务{fmt_yi(target_wan)}",
                      annotation_position="top left")
    if projection is not None:
        row = _one_row(projection)
        mid, low, high = (_num(row.get(k)) for k in ("projected_wan", "lower_wan", "upper_wan"))
        if math.isfinite(mid):
            level = _num(row.get("level"))
            name = "全年预计" + (f"（{fmt_pct(level * 100, 0)}区间）" if math.isfinite(level) else "")
            fig.add_scatter(
                x=[12], y=[mid / 1e4], mode="markers", name=name,
                marker=dict(symbol="diamond", size=12, color=_BLUE, line=dict(color="white", width=1)),
                error_y=dict(type="data", symmetric=False, array=[(high - mid) / 1e4],
                             arrayminus=[(mid - low) / 1e4], color=_BLUE, thickness=2),
                hovertext=[f"全年预计{fmt_yi(mid)}（{fmt_yi(low)}–{fmt_yi(high)}）"], hoverinfo="text",
            )
    return fig


def _one_row(table: Any) -> dict[str, Any]:
    if isinstance(table, dict):
        return table
    if isinstance(table, pd.Series):
        return table.to_dict()
    frame = collect_pandas(to_narwhals(table, argument="projection"))
    return frame.iloc[0].to_dict() if len(frame) else {}


def funds_chart(table: Any, *, by: str = "source", title: str | None = None) -> go.Figure:
    """Funds in place by source (or by unit), each bar labelled with its amount and growth.

    Parameters
    ----------
    table : DataFrame-like
        :func:`~zsanalytics.funds_in_place` output with ``by`` as its group column: ``ytd_wan``,
        ``yoy_pct`` and ``yoy_note``. A 合计 row goes into the title.
    by : str, default "source"
        The group column; with more than six groups the bars run horizontally.
    """
    frame = _table(table, [by, "ytd_wan", "yoy_pct"], argument="table")
    parts, total = _split_total(frame, by)
    notes = parts["yoy_note"] if "yoy_note" in parts else pd.Series([None] * len(parts))
    labels = []
    for value, pct, note in zip(parts["ytd_wan"], parts["yoy_pct"], notes, strict=True):
        growth = growth_phrase(pct, note=note)
        labels.append(fmt_yi(value) + (f"<br>{growth}" if growth else ""))
    name = {"source": "来源", "unit": "单位"}.get(by, by)
    head = f"{_period(frame)}实际到位资金：按{name}"
    if len(total):
        head += f"（合计{fmt_yi(_num(total['ytd_wan'].iloc[0]))}）"
    names = [_esc(v) for v in parts[by]]
    horizontal = len(parts) > 6
    fig = _figure(title or head, height=_bar_height(len(parts)) if horizontal else 420)
    colours = [_RED if pd.notna(p) and p < 0 else _BLUE for p in parts["yoy_pct"]]
    common = dict(marker_color=colours, text=labels, textposition="outside", cliponaxis=False,
                  hovertext=[f"{n}：{t.replace('<br>', '，')}" for n, t in zip(names, labels,
                                                                            strict=True)],
                  hoverinfo="text", showlegend=False)
    if horizontal:
        fig.add_bar(x=parts["ytd_wan"] / 1e4, y=names, orientation="h", **common)
        fig.update_layout(xaxis=dict(title_text="亿元", range=_room(parts["ytd_wan"] / 1e4, 0.3)),
                          yaxis=dict(autorange="reversed", automargin=True))
    else:
        fig.add_bar(x=names, y=parts["ytd_wan"] / 1e4, **common)
        fig.update_layout(yaxis=dict(title_text="亿元", rangemode="tozero"))
    _key(fig, {name: colour for name, colour in (("同比增长", _BLUE), ("同比下降", _RED))
               if colour in colours})
    return fig


def _key(fig: go.Figure, colours: dict[str, str]) -> None:
    """What the colours of a one-trace bar chart mean, as legend entries (empty traces): the
    legend sits under the plot and wraps on a phone, where a line of text would be cut."""
    for name, colour in colours.items():
        fig.add_bar(x=[None], y=[None], name=name, marker_color=colour, showlegend=True,
                    hoverinfo="skip")
    fig.update_layout(showlegend=True)


def funnel_chart(table: Any, *, title: str | None = None) -> go.Figure:
    """The project funnel 签约 → 落地 → 开工 → 投产, each rate written with its base.

    A stage's rate is of the signed projects (开工率 = 开工 ÷ 签约, as assessments count
    it); from 开工 on, the step from the stage before is added, named by its own base
    (开工 ÷ 落地), so the two are never read as one.

    Parameters
    ----------
    table : DataFrame-like
        :func:`~zsanalytics.funnel` output for one group and cohort: ``stage_zh``, ``count``,
        ``rate_from_previous_pct`` and ``rate_from_first_pct``.
    """
    frame = _table(table, ["stage_zh", "count", "rate_from_previous_pct", "rate_from_first_pct"],
                   argument="table")
    if "step" in frame:
        frame = frame.sort_values("step", kind="stable")
    stages = [_esc(s) for s in frame["stage_zh"]]
    text = []
    for i, (stage, count, step, first) in enumerate(zip(
            stages, frame["count"], frame["rate_from_previous_pct"], frame["rate_from_first_pct"],
            strict=True)):
        label = f"{int(count)}个"
        if i > 0 and pd.notna(first):
            label += f"<br>{stage}率{fmt_pct(_num(first))}（{stage}÷{stages[0]}）"
        if i > 1 and pd.notna(step):
            label += f"<br>占{stages[i - 1]}{fmt_pct(_num(step))}（{stage}÷{stages[i - 1]}）"
        text.append(label)
    top = float(frame["count"].max()) if len(frame) and frame["count"].max() > 0 else 1.0
    # the bars (centred on zero) to the left, the labels to the right of each, room for them
    # even at a phone's width
    fig = _figure(title or "签约项目转化情况", height=420,
                  xaxis=dict(range=[-top / 2 - top * 0.05, top / 2 + top * 1.6], visible=False))
    fig.add_trace(go.Funnel(
        textfont=dict(size=12),
        y=stages, x=frame["count"], text=text, textinfo="text",
        textposition=["inside"] + ["outside"] * (len(frame) - 1), cliponaxis=False,
        marker=dict(color=[_BLUE, "#5b9be0", "#8ab8ea", "#b9d5f4"][: len(frame)]),
        connector=dict(fillcolor="#eef3f9"), hoverinfo="text",
        hovertext=[f"{s}：{t}" for s, t in zip(stages, text, strict=True)],
    ))
    return fig


def ranking_chart(
    ranked: Any,
    *,
    value_col: str = "completion_pct",
    unit_col: str = "unit",
    title: str | None = None,
) -> go.Figure:
    """Units in rank order, each labelled with its rank (并列 as reports write it) and its change.

    Parameters
    ----------
    ranked : DataFrame-like
        :func:`~zsanalytics.rank_units` output: ``unit_col``, ``value_col``, ``rank_zh`` and,
        when ranked against a previous period, ``rank_change_zh``. Coloured by ``status_zh``
        when the table has it.
    value_col : str, default "completion_pct"
        ``…_pct`` values are shown as percentages, ``…_wan`` as 亿元.
    """
    frame = _table(ranked, [unit_col, value_col, "rank_zh"], argument="ranked")
    frame, _ = _split_total(frame, unit_col)
    if "rank" in frame:
        frame = frame.sort_values("rank", kind="stable", na_position="last")
    money = value_col.endswith("_wan")
    values = frame[value_col] / 1e4 if money else frame[value_col]
    shown = [fmt_yi(v) if money else fmt_pct(_num(v)) for v in frame[value_col]]
    change = frame["rank_change_zh"] if "rank_change_zh" in frame else pd.Series([""] * len(frame))
    text = [f"{s}　{c}" if isinstance(c, str) and c else s for s, c in zip(shown, change, strict=True)]
    names = [f"{_esc(r)}　{_esc(u)}" for r, u in zip(frame["rank_zh"], frame[unit_col], strict=True)]
    colours = ([STATUS_COLOURS.get(s, _GREY) for s in frame["status_zh"]]
               if "status_zh" in frame else _BLUE)
    what = {"completion_pct": "完成年度任务", "ytd_wan": "实际到位资金"}.get(value_col, value_col)
    fig = _figure(title or f"{_period(frame)}各单位{what}排名", height=_bar_height(len(frame)) + 30,
                  # room after the longest bar for its label, even at a phone's width
                  xaxis=dict(title_text="亿元" if money else "%",
                             range=_room(values, 0.9 if "rank_change_zh" in frame else 0.4)),
                  yaxis=dict(autorange="reversed", automargin=True), showlegend=False)
    fig.add_bar(x=values, y=names, orientation="h", marker_color=colours, text=text,
                textposition="outside", cliponaxis=False, hoverinfo="text", showlegend=False,
                hovertext=[f"{n}：{t}" for n, t in zip(names, text, strict=True)])
    if "status_zh" in frame:  # one bar trace, so the colours are explained in words
        shown_status = [s for s in STATUS_COLOURS if s in set(frame["status_zh"])]
        _key(fig, {s: STATUS_COLOURS[s] for s in shown_status})
    return fig


def lorenz_chart(curve: Any, *, gini: float | None = None, title: str | None = None) -> go.Figure:
    """How concentrated the funds are (资金集中度): the units from least to most funds, against
    the share of the funds they hold together (a Lorenz curve), in plain words — the Gini
    coefficient only in small print, for the analyst.

    Parameters
    ----------
    curve : DataFrame-like
        :func:`~zsanalytics.lorenz` output: ``cum_units_pct``, ``cum_value_pct`` (and ``unit``).
    gini : float, optional
        Shown in small print in the plot (from :func:`~zsanalytics.balance`).
    """
    frame = _table(curve, ["cum_units_pct", "cum_value_pct"], argument="curve")
    units = frame["unit"] if "unit" in frame else pd.Series([None] * len(frame))
    fig = _figure(title or "资金集中度：各单位实际到位资金分布", height=460, showlegend=True,
                  xaxis=dict(title_text="单位数累计占比（按资金由少到多）", range=[0, 100],
                             ticksuffix="%"),
                  # the origin's one 0% is the x axis's: a y 0% beside it read "0%0%"
                  yaxis=dict(title_text="资金累计占比", range=[0, 100], ticksuffix="%",
                             tickmode="array", tickvals=[20, 40, 60, 80, 100],
                             ticktext=["20%", "40%", "60%", "80%", "100%"]),
                  margin_b=90)
    if gini is not None and math.isfinite(gini):  # small print in the empty upper left
        fig.add_annotation(
            text=f"基尼系数{_gini(gini)}，越接近1越集中",
            xref="paper", yref="paper", x=0.02, y=0.98, xanchor="left", yanchor="top",
            align="left", showarrow=False, font=dict(size=11, color=_GREY))
    fig.add_scatter(x=[0, 100], y=[0, 100], mode="lines", name="各单位一样多",
                    line=dict(color=_GREY, dash="dash"), hoverinfo="skip")
    fig.add_scatter(
        x=frame["cum_units_pct"], y=frame["cum_value_pct"], mode="lines+markers", name="实际分布",
        line=dict(color=_BLUE, width=3), fill="tonexty", fillcolor="rgba(47,126,216,0.12)",
        hovertext=[(f"{_esc(u)}：" if isinstance(u, str) else "") + f"前{fmt_pct(_num(x))}的单位占"
                   f"{fmt_pct(_num(y))}" for u, x, y in zip(units, frame["cum_units_pct"],
                                                          frame["cum_value_pct"], strict=True)],
        hoverinfo="text",
    )
    return fig


def _gini(value: float) -> str:
    from ._numbers import round_half_up

    return f"{round_half_up(value, 2):.2f}"


def projection_chart(
    projection: Any, *, unit_col: str = "unit", title: str | None = None, scope: str = "全县"
) -> go.Figure:
    """The year-end projection of completion with its interval, per unit and for the county.

    Each row shows completion so far (a bar), the projected year-end completion (a diamond)
    and its prediction interval (the whisker), all as % of the annual target, against the 100%
    line. Units without a projection (no target, no results) are left out and named in a note.

    Parameters
    ----------
    projection : DataFrame-like
        :func:`~zsanalytics.project_year_end` output: ``ytd_wan``, ``projected_wan``,
        ``lower_wan``, ``upper_wan``, ``target_wan``, ``level``.
    scope : str, default "全县"
        The label of the 合计 row (the briefing's ``--scope``).
    """
    frame = _table(projection, [unit_col, "ytd_wan", "projected_wan", "lower_wan", "upper_wan",
                                "target_wan"], argument="projection")
    ok = frame["projected_wan"].notna() & (frame["target_wan"] > 0)
    dropped = frame.loc[~ok, unit_col].astype("str").tolist()
    frame = frame[ok].copy()
    for col in ("ytd_wan", "projected_wan", "lower_wan", "upper_wan"):
        frame[col.replace("_wan", "_pct")] = frame[col] / frame["target_wan"] * 100
    units, total = _split_total(frame, unit_col)
    frame = pd.concat([total, units.sort_values("projected_pct", ascending=False, kind="stable")],
                      ignore_index=True)
    level = _num(frame["level"].iloc[0]) if "level" in frame and len(frame) else math.nan
    band = f"{fmt_pct(level * 100, 0)}预测区间" if math.isfinite(level) else "预测区间"
    names = [(_esc(scope) if u == TOTAL_LABEL else _esc(u)) for u in frame[unit_col]]
    fig = _figure(title or f"全年完成年度任务预计（{band}）", height=_bar_height(len(frame)),
                  xaxis=dict(title_text="占年度任务（%）", ticksuffix="%", rangemode="tozero"),
                  yaxis=dict(autorange="reversed", automargin=True), barmode="overlay")
    fig.add_bar(x=frame["ytd_pct"], y=names, orientation="h", name="已完成", marker_color="#c9dcf2",
                hoverinfo="text", hovertext=[f"{n}：已完成{fmt_pct(_num(p))}（{fmt_yi(v)}）" for n, p, v
                                             in zip(names, frame["ytd_pct"], frame["ytd_wan"],
                                                    strict=True)])
    fig.add_scatter(
        x=frame["projected_pct"], y=names, mode="markers", name=f"全年预计（{band}）",
        marker=dict(symbol="diamond", size=11, color=[_DARK if u == TOTAL_LABEL else _BLUE
                                                      for u in frame[unit_col]]),
        error_x=dict(type="data", symmetric=False, color=_BLUE, thickness=2,
                     array=frame["upper_pct"] - frame["projected_pct"],
                     arrayminus=frame["projected_pct"] - frame["lower_pct"]),
        hoverinfo="text",
        hovertext=[f"{n}：全年预计{fmt_yi(m)}，完成{fmt_pct(_num(p))}（{fmt_yi(lo)}–{fmt_yi(hi)}）"
                   for n, m, p, lo, hi in zip(names, frame["projected_wan"], frame["projected_pct"],
                                              frame["lower_wan"], frame["upper_wan"], strict=True)],
    )
    fig.add_vline(x=100, line_dash="dash", line_color=_DARK, annotation_text="年度任务",
                  annotation_position="bottom right")
    if dropped:  # said under the axis, where it cannot cover a bar
        fig.update_xaxes(title_text="占年度任务（%）<br>" + _wrap("未预计：" + "、".join(dropped), 24),
                         automargin=True)
    return fig
