"""The briefing page at a phone's width (390 px, as read when forwarded on WeChat) and on a
desktop, measured in headless Chromium.

Headless Chromium will not make its window narrower than 500 px, so the page is opened in a
390 px wide ``<iframe>`` of a small host page: inside, the viewport is 390 px as on a phone. A
probe script added to the page (and to its Content-Security-Policy, as the page runs only the
scripts it lists) measures the page once the charts have drawn and posts the boxes to the host,
which writes them onto its ``<body>`` for ``--dump-dom``.

Skips without Chromium on a user's machine and fails in CI (``CI=true``).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from zsanalytics.briefing import build_briefing, images, script_policy

from .conftest import IN_CI

PROBE = """<script>
addEventListener('load', () => setTimeout(() => {
  const box = e => { const b = e.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
    id: p.id, box: box(p), card: box(p.closest('section')),
    titles: [...p.querySelectorAll('.gtitle')].map(box),
    legends: [...p.querySelectorAll('.legend')].map(box),
    notes: [...p.querySelectorAll('.annotation')].map(box)}));
  const tables = [...document.querySelectorAll('.tablewrap')].map(w => ({
    box: box(w), scroll: w.scrollWidth, client: w.clientWidth}));
  const cards = [...document.querySelectorAll('.card')].map(box);
  parent.postMessage(JSON.stringify({viewport: innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth, charts, tables, cards}), '*');
}, 1000));
</script>"""

HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{page}" style="border:0;width:{width}px;height:3000px"></iframe>
<script>addEventListener('message', e => {{ document.body.dataset.measured = e.data; }});</script>
</body></html>"""


def _probed(briefing, folder: Path) -> Path:
    text = briefing.to_html().replace("<head>", "<head>" + PROBE, 1)
    # the probe's hash joins the page's own in script-src
    probe_hash = script_policy(PROBE + "__SCRIPT_HASHES__")[len(PROBE):]
    text = text.replace("script-src ", f"script-src {probe_hash} ", 1)
    path = folder / "briefing.html"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory) -> Path:
    b = build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06")
    return _probed(b, tmp_path_factory.mktemp("phone"))


def measure(page: Path, width: int) -> dict:
    browser = images.find_browser()
    if browser is None:
        message = "no Chromium: apt-get install chromium fonts-noto-cjk"
        if IN_CI:
            pytest.fail(f"{message} (CI must run the browser tests)")
        pytest.skip(message)
    host = page.with_name(f"host{width}.html")
    host.write_text(HOST.format(page=page.name, width=width), encoding="utf-8")
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=15000", "--window-size=1300,3000", "--dump-dom", host.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'data-measured="([^"]*)"', result.stdout)
    assert found, result.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


def _inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack)


def _overlap(a: dict, b: dict) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


@pytest.fixture(scope="module", params=[390, 1280], ids=["phone", "desktop"])
def measured(request, page) -> tuple[int, dict]:
    return request.param, measure(page, request.param)


def test_page_never_scrolls_sideways(measured):
    width, m = measured
    assert m["viewport"] == width          # laid out at the width asked for
    assert m["scrollWidth"] <= width


def test_every_chart_fits_its_card(measured):
    _, m = measured
    # the demo county's seven charts (README: cumulative … projection)
    assert len(m["charts"]) == 7
    for chart in m["charts"]:
        assert _inside(chart["box"], chart["card"]), chart["id"]
        # sized to the card (plotly responsive), not a fixed width: within its padding
        card_width = chart["card"]["right"] - chart["card"]["left"]
        assert chart["box"]["right"] - chart["box"]["left"] >= card_width - 40, chart["id"]


def test_chart_titles_are_whole_and_nothing_sits_on_them(measured):
    _, m = measured
    for chart in m["charts"]:
        assert len(chart["titles"]) == 1, chart["id"]
        (title,) = chart["titles"]
        assert _inside(title, chart["box"]), (chart["id"], title, chart["box"])   # not cut off
        for other in chart["legends"] + chart["notes"]:
            assert not _overlap(other, title), (chart["id"], other, title)


def test_tables_scroll_inside_their_card_on_a_phone(measured):
    width, m = measured
    assert len(m["tables"]) == 2                      # the unit table and the overdue list
    for table in m["tables"]:
        assert table["box"]["right"] <= width
    if width == 390:
        # the overdue list (8 columns, project names) is wider than a phone: it scrolls in
        # its own box, while the page does not (test_page_never_scrolls_sideways)
        assert any(t["scroll"] > t["client"] for t in m["tables"])


def _rows(cards: list[dict]) -> list[int]:
    """How many cards sit on each row, top to bottom."""
    tops = sorted({round(c["top"]) for c in cards})
    return [sum(round(c["top"]) == t for c in cards) for t in tops]


def test_cards_fill_their_rows_evenly(measured):
    width, m = measured
    # the demo's half year has six headline cards (实际到位资金, 完成年度任务, 实际利用外资,
    # 全年预计, 当年签约项目, 逾期项目): three and three on a desktop, where the sixth sat
    # alone on a row of its own; two a row on a phone
    assert _rows(m["cards"]) == ([3, 3] if width == 1280 else [2, 2, 2])
    widths = {round(c["right"] - c["left"]) for c in m["cards"]}
    assert len(widths) == 1, widths                     # one width: no card stretched alone


def test_four_cards_make_one_row_on_a_desktop(demo, tmp_path):
    # no project ledger: four cards (funds, completion, foreign funds, projection), one row
    # rather than three and one alone
    b = build_briefing(None, demo.funds, demo.targets, as_of="2024-06")
    assert len(b.cards) == 4
    assert _rows(measure(_probed(b, tmp_path), 1280)["cards"]) == [4]
