"""Charts: what each figure shows, checked against sums done by hand in plain pandas.

Expected values are computed in this file from the demo county's funds with groupby/sum (or
by hand on small tables), not through zsanalytics' metric functions, and rounded half up by
hand where a label is compared.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import zsanalytics as zsa
from zsanalytics import charts

AS_OF = "2024-06"


@pytest.fixture(scope="module")
def card(demo):
    return zsa.scorecard(demo.funds, demo.targets, as_of=AS_OF, totals=True)


def hand_ytd(funds, year, last_month, by=None):
    """Sum of 万元 amounts from January through last_month of year, by hand."""
    f = funds[(funds["currency"] == "CNY") & (funds["month"].dt.year == year)
              & (funds["month"].dt.month <= last_month)]
    return f.groupby(by)["amount_wan"].sum() if by else f["amount_wan"].sum()


def test_template_is_registered_with_cjk_fonts():
    assert "zsa" in pio.templates
    assert pio.templates["zsa"].layout.font.family.startswith("Noto Sans CJK SC")


def test_completion_chart_bars_colours_and_time_progress(demo, card):
    fig = charts.completion_chart(card)
    ytd = hand_ytd(demo.funds, 2024, 6, by="unit")
    target = demo.targets[(demo.targets["year"] == 2024)
                          & (demo.targets["indicator"] == "funds_in_place")].set_index("unit")["target"]
    shown = {}
    for trace in fig.data:
        for unit, x in zip(trace.y, trace.x, strict=True):
            shown[unit] = (x, trace.name, trace.marker.color)
    assert len(shown) == 20 and "合计" not in shown
    for unit, (x, status, colour) in shown.items():
        expected = ytd.get(unit, 0.0) / target[unit] * 100
        assert x == pytest.approx(expected)
        # 6 of 12 months gone: time progress 50%, so ahead means above 50 (无实绩 when zero)
        want = "无实绩" if expected == 0 else ("超序时进度" if expected >= 50 else "低于序时进度")
        assert status == want and colour == charts.STATUS_COLOURS[want]
    # bars run from the highest completion down, whatever their colour
    order = list(fig.layout.yaxis.categoryarray)
    assert order == sorted(shown, key=lambda u: -shown[u][0])
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.shapes[0].x0 == 50
    county = ytd.sum() / target.sum() * 100          # 252667.54 / 716000 = 35.289%
    assert round(county, 3) == 35.289 and "全县35.3%" in fig.layout.title.text


def test_cumulative_chart_lines_target_and_projection(demo, card):
    curve = zsa.cumulative(demo.funds, as_of=AS_OF)
    total = card[card["unit"] == "合计"].iloc[0]
    projection = zsa.project_year_end(demo.funds, demo.targets, as_of=AS_OF)
    county = projection[projection["unit"] == "合计"]
    fig = charts.cumulative_chart(curve, target_wan=total["target_wan"], projection=county)
    last, this, proj = fig.data
    assert list(this.x) == [1, 2, 3, 4, 5, 6]           # this year stops at the report month
    for m in (1, 3, 6):
        assert this.y[m - 1] == pytest.approx(hand_ytd(demo.funds, 2024, m) / 1e4)
    assert list(last.x) == list(range(1, 13))
    assert last.y[11] == pytest.approx(hand_ytd(demo.funds, 2023, 12) / 1e4)
    assert fig.layout.shapes[0].y0 == pytest.approx(71.6)  # the 2024 target 716,000万元
    assert proj.x[0] == 12 and proj.y[0] == pytest.approx(county["projected_wan"].iloc[0] / 1e4)
    assert proj.error_y.array[0] == pytest.approx(
        (county["upper_wan"].iloc[0] - county["projected_wan"].iloc[0]) / 1e4)


def test_cumulative_matches_hand_sums_per_unit(demo):
    curve = zsa.cumulative(demo.funds, as_of="2024-04", by="unit")
    assert len(curve) == 12 * curve["unit"].nunique()
    row = curve[(curve["unit"] == "城西镇") & (curve["month"] == 4)].iloc[0]
    f = demo.funds[demo.funds["unit"] == "城西镇"]
    assert row["ytd_wan"] == pytest.approx(hand_ytd(f, 2024, 4))
    assert row["last_ytd_wan"] == pytest.approx(hand_ytd(f, 2023, 4))
    assert curve[curve["month"] > 4]["ytd_wan"].isna().all()


def test_cumulative_on_every_engine(demo, engine):
    small = demo.funds[demo.funds["unit"].isin(["城西镇", "双河乡"])].reset_index(drop=True)
    out = engine.back(zsa.cumulative(engine(small), as_of=AS_OF, by="unit"))
    expected = zsa.cumulative(small, as_of=AS_OF, by="unit")
    assert out.sort_values(["unit", "month"], ignore_index=True)[expected.columns].equals(expected)


def test_funds_chart_labels_say_growth_in_words(demo):
    table = zsa.funds_in_place(demo.funds, as_of=AS_OF, by="source", totals=True)
    fig = charts.funds_chart(table)
    bars = fig.data[0]
    labels = dict(zip(bars.x, bars.text, strict=True))
    # by hand: 省外 139,294.85 against 157,061.88 → −11.31%; 省内 113,372.69 against 115,182.53
    this = hand_ytd(demo.funds, 2024, 6, by="source")
    last = hand_ytd(demo.funds, 2023, 6, by="source")
    assert this["省外"] == pytest.approx(139294.85) and last["省外"] == pytest.approx(157061.88)
    assert labels["省外"] == "13.93亿元<br>同比下降11.3%"
    assert labels["省内"] == "11.34亿元<br>同比下降1.6%"
    assert "合计25.27亿元" in fig.layout.title.text


def test_funnel_chart_counts_and_rates():
    projects = zsa.load_demo().projects
    fig = charts.funnel_chart(zsa.funnel(projects, as_of="2024-06-30"))
    (trace,) = fig.data
    assert isinstance(trace, go.Funnel)
    assert list(trace.y) == ["签约", "落地", "开工", "投产"]
    # the year's signings (当年签约, the default cohort); reached 签约 when any stage date is on
    # or before the day (a later date stands in)
    dates = projects.loc[projects["signed_on"].dt.year == 2024,
                         ["signed_on", "landed_on", "started_on", "producing_on"]]
    signed = int((dates <= "2024-06-30").any(axis=1).sum())
    assert trace.x[0] == signed
    # every rate names its base. By hand from the demo ledger: 18 of 34 landed (52.94… →
    # 52.9%); 2 started: 2 ÷ 34 signed = 5.88… → 5.9%, 2 ÷ 18 landed = 11.11… → 11.1%
    started = int((dates[["started_on", "producing_on"]] <= "2024-06-30").any(axis=1).sum())
    assert (signed, trace.x[1], started) == (34, 18, 2)
    assert trace.text[1] == "18个<br>落地率52.9%（落地÷签约）"
    assert trace.text[2] == "2个<br>开工率5.9%（开工÷签约）<br>占落地11.1%（开工÷落地）"
    assert all("转化率" not in t for t in trace.text)   # no rate without its base


def test_ranking_chart_writes_ties_and_changes():
    card = __import__("pandas").DataFrame({
        "unit": ["甲镇", "乙镇", "丙镇", "合计"], "completion_pct": [60.0, 40.04, 39.96, 45.0],
        "status_zh": ["超序时进度", "低于序时进度", "低于序时进度", "低于序时进度"]})
    ranked = zsa.rank_units(card[card["unit"] != "合计"], value_col="completion_pct", digits=1)
    fig = charts.ranking_chart(ranked)
    bars, *key = fig.data
    # the colours are explained in the legend, by empty entries: the two statuses shown
    assert [(k.name, k.marker.color) for k in key] == [("超序时进度", "#2f7ed8"),
                                                        ("低于序时进度", "#f0ad4e")]
    # 40.04 and 39.96 both show as 40.0%: tied second, as reports write it
    assert list(bars.y) == ["第1位　甲镇", "并列第2位　乙镇", "并列第2位　丙镇"]
    assert list(bars.text) == ["60.0%", "40.0%", "40.0%"]
    assert list(bars.marker.color) == ["#2f7ed8", "#f0ad4e", "#f0ad4e"]


def test_lorenz_chart_in_plain_words_gini_in_small_print():
    import pandas as pd

    units = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "ytd_wan": [60.0, 30.0, 10.0, 0.0]})
    fig = charts.lorenz_chart(zsa.lorenz(units, value_col="ytd_wan"), gini=0.475)
    # the words a county party secretary reads; the jargon only in the small print
    assert fig.layout.title.text.startswith("资金集中度")
    words = fig.layout.title.text + fig.layout.xaxis.title.text + fig.layout.yaxis.title.text
    assert "洛伦兹" not in words and "基尼" not in words
    (note,) = fig.layout.annotations
    assert note.text == "基尼系数0.48，越接近1越集中"    # half up, not to even (0.47)
    assert note.font.size < fig.layout.template.layout.font.size
    curve = fig.data[1]
    # by hand: 0, 0, 10, 40, 100 percent of the money for 0, 25, 50, 75, 100 percent of units
    assert list(curve.x) == [0, 25, 50, 75, 100] and list(curve.y) == [0, 0, 10, 40, 100]
    # one 0% at the origin, the x axis's: the y axis's beside it read "0%0%" (issue 14 review)
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.ticksuffix == "%"
    assert list(fig.layout.yaxis.ticktext) == ["20%", "40%", "60%", "80%", "100%"]
    assert list(fig.layout.yaxis.tickvals) == [20, 40, 60, 80, 100]


def test_projection_chart_in_percent_of_target(demo):
    projection = zsa.project_year_end(demo.funds, demo.targets, as_of=AS_OF)
    fig = charts.projection_chart(projection)
    bars, points = fig.data
    assert points.y[0] == "全县"
    row = projection[projection["unit"] == "合计"].iloc[0]
    assert points.x[0] == pytest.approx(row["projected_wan"] / row["target_wan"] * 100)
    assert bars.x[0] == pytest.approx(252667.54 / 716000 * 100)
    missing = projection.loc[projection["projected_wan"].isna(), "unit"].tolist()
    assert missing and all(u not in points.y for u in missing)
    assert all(u in fig.layout.xaxis.title.text for u in missing)


def test_user_strings_are_shown_as_text_not_markup(card):
    evil = "<script>alert(1)</script>"
    tampered = card.copy()
    tampered.loc[0, "unit"] = evil
    fig = charts.completion_chart(tampered)
    names = [u for t in fig.data for u in t.y]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in names and evil not in names
    page = fig.to_html(include_plotlyjs=False)
    assert "<script>alert" not in page


def test_charts_take_any_engine(card, engine):
    fig = charts.completion_chart(engine(card))
    expected = charts.completion_chart(card)
    assert [list(t.x) for t in fig.data] == [list(t.x) for t in expected.data]


def test_missing_column_is_named():
    import pandas as pd

    with pytest.raises(zsa.ColumnNotFoundError, match="completion_pct"):
        charts.completion_chart(pd.DataFrame({"unit": ["甲"]}))


def test_scope_names_the_total_in_every_chart_of_the_briefing(demo):
    from zsanalytics.briefing import build_briefing

    b = build_briefing(demo.projects, demo.funds, demo.targets, as_of=AS_OF, scope="某某区<b>")
    figs = b.figures
    # by hand: the scope as text (its tags escaped), where the county's default said 全县;
    # 35.3% is 252,667.54 ÷ 716,000 万元 (test_completion_chart_bars_colours_and_time_progress)
    scope = "某某区&lt;b&gt;"
    titles = {k: f.layout.title.text.replace("<br>", "") for k, f in figs.items()}
    assert titles["cumulative"] == f"{scope}实际到位资金逐月累计（亿元）：2024年与2023年"
    assert titles["completion"].endswith(f"（序时进度50.0%），{scope}35.3%")
    assert figs["projection"].data[0].y[0] == scope and figs["projection"].data[1].y[0] == scope
    shown = [f.to_json() for f in figs.values()]
    assert not any("全县" in s for s in shown)
    # and without a scope the county's charts still say 全县
    assert charts.projection_chart(
        zsa.project_year_end(demo.funds, demo.targets, as_of=AS_OF)).data[0].y[0] == "全县"
