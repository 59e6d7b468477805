"""The briefing as one self-contained HTML page: styles, plotly.js and every chart inlined,
every user string escaped, scripts allowed by hash under a strict Content-Security-Policy, and
a print stylesheet that puts every column of every table on A4."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.io as pio

from .._numbers import fmt_signed, round_half_up
from ._style import CSS
from .model import STATUS_FILLS

if TYPE_CHECKING:
    from .model import Briefing

__all__ = ["render", "script_policy"]


def render(briefing: Briefing, *, max_overdue: int = 30, workbook: str | None = None) -> str:
    """The page as one HTML string (see :meth:`Briefing.to_html`)."""
    from plotly.offline import get_plotlyjs

    e = html.escape
    cards = "".join(
        f'<div class="card"><div class="label">{e(label)}</div><div class="value">{e(value)}'
        f'</div><div class="note">{e(note)}</div></div>' for label, value, note in briefing.cards)
    points = "".join(f"<li>{e(s)}</li>" for s in briefing.sentences)
    notices = "".join(f"<li>{e(n)}</li>" for n in briefing.notices)
    banners = "".join(f"<p>{e(b)}</p>" for b in briefing.banners)
    def caption(name: str) -> str:
        text = briefing.captions.get(name)
        return f'<p class="note caption">{e(text)}</p>' if text else ""

    charts_html = "".join(
        f'<section class="chart"><h2>{e(briefing.chart_titles.get(name, name))}</h2>{caption(name)}'
        + pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=f"chart-{name}",
                      config={"displayModeBar": False, "responsive": True})
        + "</section>" for name, fig in briefing.figures.items())
    ranking = _html_table(briefing.tables["各单位完成情况"], status_col="进度")
    overdue = briefing.tables["逾期项目"]
    rest = f"；全部见工作簿 {e(workbook)}" if workbook else ""  # no command line for leadership
    order = (f"当年签约的{int(this_year)}个在前，再按逾期天数" if (this_year := (
        overdue["签约日期"].dt.year == int(briefing.as_of[:4])).sum()) else "按逾期天数")
    more = (f'<p class="note">共{briefing.overdue_total}个项目，{order}仅列前{max_overdue}个'
            f"{rest}。</p>" if len(overdue) > max_overdue else
            f'<p class="note">{order}排列，一个项目一行，列出其全部问题。</p>' if len(overdue) else "")
    page = _PAGE.format(
        title=e(briefing.title),
        # the printed footer's title, for a browser's print as for --pdf
        css=CSS.replace("{status_rows}", _STATUS_CSS) + title_property(briefing.title),
        banner=f'<section class="banner" role="alert">{banners}</section>' if banners else "",
        plotlyjs=get_plotlyjs(), cards=cards, points=points,
        notices=f'<section class="notices"><h2>数据说明</h2><ul>{notices}</ul></section>'
        if notices else "", charts=charts_html, ranking=ranking, ranking_note=caption("completion"),
        overdue=_html_table(overdue.head(max_overdue)) if len(overdue) else
        "<p>无逾期项目。</p>" if briefing.has_projects else "<p>没有项目台账，未列出。</p>",
        overdue_count=f"（{briefing.overdue_total}个）" if briefing.has_projects else "", more=more,
        source=e(briefing.source_line),
    )
    return script_policy(page)


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)


def script_policy(page: str) -> str:
    """Fill the page's Content-Security-Policy with the hash of each of its own inline
    scripts: the browser runs those and nothing else, so a script that found its way into
    the page (through a unit or project name the escaping missed, say) does not run."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest())
        .decode("ascii") + "'" for m in _SCRIPT.finditer(page))
    return page.replace("__SCRIPT_HASHES__", hashes, 1)


def title_property(title: str) -> str:
    """``:root{--zsa-title:"…— "}``: the page footer's title as a CSS string, every character
    that could end the string or the ``<style>`` element written as a CSS escape."""
    text = " ".join(title.split()) + " — "
    value = "".join(c if c.isalnum() or c in " （）()—-_·，、" else f"\\{ord(c):x} " for c in text)
    return f':root{{--zsa-title:"{value}"}}'


def _cell(column: str, value: Any) -> str:
    """A table cell as text: 亿元 with two decimals and % with one, half up; blanks for gaps; a
    difference in 百分点 with its sign, as the 通报 writes it (0.0 without one).

    >>> [_cell("与序时进度差（百分点）", v) for v in (10.25, -5.0, -0.04, 0.0)]
    ['+10.3', '-5.0', '0.0', '0.0']
    >>> _cell("完成率（%）", 110.25), _cell("累计（亿元）", 1.005), _cell("累计（亿元）", None)
    ('110.3', '1.01', '—')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—" if "亿元" in column or "%" in column or "百分点" in column or "日" in column else ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "亿元" in column:
            return f"{round_half_up(float(value), 2):.2f}"
        if "百分点" in column:  # a difference: + above, - below, as the 通报 writes it
            return fmt_signed(float(value))
        if "%" in column:
            return f"{round_half_up(float(value), 1):.1f}"
    return str(value)


def _html_table(table: pd.DataFrame, *, status_col: str | None = None) -> str:
    """The table as HTML: figures and their headings right-aligned (``num``), long texts
    (project names, problems: a cell over eight characters) the only cells allowed to wrap on
    paper (``txt``), each heading's unit on a line of its own ("与序时进度差<br>（百分点）":
    printed, headings do not wrap, so no word is cut in two), each row of a progress status
    coloured."""
    e = html.escape
    numeric = {c for c in table.columns if "亿元" in c or "%" in c or "百分点" in c or "天数" in c}
    wrap = {c for c in table.columns
            if c not in numeric and max((len(_cell(c, v)) for v in table[c]), default=0) > 8}
    kinds = {c: " class=num" if c in numeric else " class=txt" if c in wrap else ""
             for c in table.columns}
    head = "".join(f"<th><div{kinds[c]}>{e(name)}<br>{e(bracket + unit)}</div></th>"
                   if name and bracket else f"<th><div{kinds[c]}>{e(c)}</div></th>"
                   for c in table.columns for name, bracket, unit in [c.partition("（")])
    rows = []
    for record in table.itertuples(index=False, name=None):  # a page of rows, not a hot path
        status = dict(zip(table.columns, record, strict=True)).get(status_col) if status_col else None
        cls = f' class="{_STATUS_CLASS.get(status, "")}"' if status else ""
        cells = "".join(f"<td{kinds[c]}>{e(_cell(c, v))}</td>"
                        for c, v in zip(table.columns, record, strict=True))
        rows.append(f"<tr{cls}>{cells}</tr>")
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


_STATUS_CLASS = {"超序时进度": "ahead", "低于序时进度": "behind", "无实绩": "none", "无任务": "notarget"}
# the page's row colours are the workbook's fills
_STATUS_CSS = "".join(f"tr.{_STATUS_CLASS[k]} td{{background:#{v.lower()}}}" for k, v in STATUS_FILLS.items())


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src \
__SCRIPT_HASHES__ 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<title>{title}</title>
<style>{css}</style>
<script>{plotlyjs}</script>
</head>
<body>
<main>
<h1>{title}</h1>
<div class="sub">{source}金额单位亿元，四舍五入保留两位小数；百分比保留一位。</div>
{banner}
<div class="cards">{cards}</div>
<section class="points"><h2>要点</h2><ul>{points}</ul></section>
{notices}
{charts}
<section><h2>各单位完成情况</h2>{ranking_note}<div class="tablewrap">{ranking}</div></section>
<section><h2>逾期项目{overdue_count}</h2>{more}<div class="tablewrap">{overdue}</div></section>
</main>
<footer>序时进度按已过月份计算；全年预计按各单位往年同期进度推算。</footer>
</body>
</html>
"""
