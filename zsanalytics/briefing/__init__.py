"""The leadership briefing: headline figures, report sentences, charts and tables.

:func:`build_briefing` computes everything from the canonical tables (:mod:`.model`); the
:class:`Briefing` it returns writes each output through its own module:

- :mod:`.html` — a self-contained page (plotly.js inlined, nothing fetched from a network —
  government networks are often closed) that prints on A4;
- :mod:`.xlsx` — a workbook ready to print;
- :mod:`.tongbao` and :mod:`.docx` — the monthly 通报's figures (rankings per unit group,
  overdue projects, problems) and the Word file in official format (GB/T 9704-2012);
- :mod:`.images` — PNG images of the charts and the page as PDF, through headless Chromium.

:func:`zsanalytics.store.load_folder` reads a folder of canonical tables or the raw Excel files
analysts receive. ``zsa briefing`` is the command line for all of it.

Examples
--------
>>> import zsanalytics as zsa
>>> demo = zsa.load_demo()
>>> b = build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06")
>>> b.sentences[0]
'1-6月，全县实际到位资金25.27亿元，同比下降7.2%，完成年度任务的35.3%，低于序时进度14.7个百分点。'
>>> list(b.figures)
['cumulative', 'completion', 'ranking', 'sources', 'funnel', 'lorenz', 'projection']

Before anything is computed the figures go through the gate (:func:`zsanalytics.reconcile`):
a month outside the data is refused, and so is a headline that disagrees with the source's
own 合计 (``allow_mismatch=True`` publishes it under a red banner):

>>> build_briefing(demo.projects, demo.funds, demo.targets, as_of="2025-01")
Traceback (most recent call last):
...
zsanalytics.gate.MonthOutOfRangeError: 没有2025年1月的数据：数据只到2024年12月（最后一个有数据的月份），...
"""

from ..store import load_folder
from .html import script_policy
from .images import write_images
from .model import CHART_TITLES, Briefing, briefing_from_store, build_briefing

__all__ = ["CHART_TITLES", "Briefing", "briefing_from_store", "build_briefing", "load_folder",
           "script_policy", "write_images"]
