"""balance, lorenz, rank_units, score_units and rank_gap on every engine.

Expected values: hand calculations beside each table; the Gini coefficient also from its
textbook definition (mean absolute difference ÷ twice the mean, over all pairs) and the Theil
index from its definition, both computed here independently of the library's formulas.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from zsanalytics import (
    ZsAnalyticsError,
    balance,
    load_demo,
    load_rules,
    lorenz,
    rank_gap,
    rank_units,
    score_units,
    scorecard,
)


@pytest.fixture
def units():
    return pd.DataFrame({"unit": ["甲", "乙", "丙", "丁", "戊", "合计"],
                         "ytd_wan": [500.0, 300.0, 300.0, 0.0, 100.0, 1200.0]})


def gini_pairs(x: np.ndarray) -> float:
    """Textbook definition: Σᵢ Σⱼ |xᵢ − xⱼ| ÷ (2 n² μ)."""
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_balance_by_hand_and_by_definition(engine, units):
    out = engine.back(balance(engine(units), value_col="ytd_wan")).iloc[0]
    x = np.array([500.0, 300.0, 300.0, 0.0, 100.0])      # 合计 is left out
    assert (out.units, out.zero_units, out.missing_units) == (5, 1, 0)
    assert out.total == 1200.0
    # by hand, sorted 0 100 300 300 500: Σ i·x = 0 + 200 + 900 + 1200 + 2500 = 4800;
    # 2·4800 ÷ (5·1200) − 6/5 = 1.6 − 1.2 = 0.4
    assert out.gini == pytest.approx(0.4)
    assert out.gini == pytest.approx(gini_pairs(x))
    mu = x.mean()
    theil = np.mean([(v / mu) * math.log(v / mu) for v in x if v > 0] + [0.0])
    assert out.theil == pytest.approx(theil)
    assert out.cv == pytest.approx(np.std(x) / mu)
    assert out.top3_share_pct == pytest.approx(1100 / 1200 * 100)


def test_balance_equal_units_and_one_unit_with_everything():
    equal = balance(pd.DataFrame({"unit": list("ABCD"), "v": [5.0] * 4}), value_col="v").iloc[0]
    assert equal.gini == pytest.approx(0.0) and equal.theil == pytest.approx(0.0)
    one = balance(pd.DataFrame({"unit": list("ABCD"), "v": [0, 0, 0, 8.0]}), value_col="v").iloc[0]
    # one of n units holding everything: Gini (n − 1)/n = 0.75, Theil ln n
    assert one.gini == pytest.approx(0.75) and one.theil == pytest.approx(math.log(4))
    assert one.zero_units == 3


def test_balance_missing_negative_and_large_projects(engine):
    table = pd.DataFrame({"unit": ["甲", "乙", "丙"], "v": [10.0, None, -5.0]})
    out = engine.back(balance(engine(table), value_col="v")).iloc[0]
    assert out.missing_units == 1
    assert np.isnan(out.gini) and "负值" in out.note
    projects = pd.DataFrame({"contract_wan": [20000.0, 10000.0, 9999.0, 50000.0],
                             "funds_in_place_wan": [3000.0, 1000.0, 1000.0, 9000.0],
                             "currency": ["CNY", "CNY", "CNY", "USD"]})
    ok = pd.DataFrame({"unit": ["甲", "乙"], "v": [1.0, 1.0]})
    out = engine.back(balance(engine(ok), value_col="v", projects=engine(projects))).iloc[0]
    # CNY only: projects of ≥ 1亿元 (10000万元) carry 3000 + 1000 of 5000
    assert out.large_projects == 2
    assert out.large_project_share_pct == pytest.approx(80.0)


def test_lorenz_points(engine, units):
    out = engine.back(lorenz(engine(units), value_col="ytd_wan"))
    # smallest first; the tie of 乙 and 丙 in code-point order, whatever order the engine grouped
    assert out["unit"].tolist()[1:] == ["丁", "戊", *sorted(["乙", "丙"]), "甲"]
    assert out["cum_units_pct"].tolist() == pytest.approx([0, 20, 40, 60, 80, 100])
    # cumulative 0, 0, 100, 400, 700, 1200 of 1200
    assert out["cum_value_pct"].tolist() == pytest.approx(
        [0, 0, 100 / 12, 400 / 12, 700 / 12, 100])
    # the Gini coefficient is twice the area between the diagonal and the curve (trapezoids)
    xs, ys = out["cum_units_pct"] / 100, out["cum_value_pct"] / 100
    area = float(((xs.diff() * (ys + ys.shift()) / 2).fillna(0)).sum())
    assert 1 - 2 * area == pytest.approx(0.4)


def test_rank_units_chinese_ties(engine, units):
    out = engine.back(rank_units(engine(units), value_col="ytd_wan"))
    # 500 → 1; 300, 300 → 并列第2位; 100 → 3 (not 4); 0 → 4; 合计 unranked, last
    assert out["unit"].tolist() == ["甲", "乙", "丙", "戊", "丁", "合计"]
    assert out["rank"].tolist()[:5] == [1, 2, 2, 3, 4]
    assert pd.isna(out["rank"].iloc[5])
    assert out["rank_zh"].tolist()[:5] == ["第1位", "并列第2位", "并列第2位", "第3位", "第4位"]


def test_rank_units_change_since_previous(engine, units):
    before = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "ytd_wan": [100.0, 400.0, 50.0, 60.0]})
    out = engine.back(rank_units(engine(units), value_col="ytd_wan", previous=engine(before)))
    got = out.set_index("unit")
    # before: 乙 1, 甲 2, 丁 3, 丙 4; 戊 was not ranked
    assert got.loc["甲", "rank_change"] == 1 and got.loc["甲", "rank_change_zh"] == "上升1位"
    assert got.loc["乙", "rank_change"] == -1 and got.loc["乙", "rank_change_zh"] == "下降1位"
    assert got.loc["丙", "rank_change"] == 2
    assert got.loc["丁", "rank_change"] == -1
    assert got.loc["戊", "rank_change_zh"] == "新进"


def test_rank_units_ascending_digits_and_errors():
    table = pd.DataFrame({"unit": ["甲", "乙", "丙"], "pct": [38.44, 38.35, 12.0]})
    # shown with one decimal both are 38.4 → a report would tie them (38.35 rounds half up)
    assert rank_units(table, value_col="pct", digits=1)["rank"].tolist() == [1, 1, 2]
    assert rank_units(table, value_col="pct")["rank"].tolist() == [1, 2, 3]
    assert rank_units(table, value_col="pct", ascending=True)["unit"].tolist() == ["丙", "乙", "甲"]
    with pytest.raises(ZsAnalyticsError, match=r"table 中单位 \[.*\] 不止一行"):
        rank_units(pd.concat([table, table]), value_col="pct")


RULES = {
    "indicators": [
        {"name": "到位资金", "actual": "ytd_wan", "target": "target_wan", "weight": 60, "cap": 66},
        {"name": "签约项目", "actual": "signed", "target": "signed_target", "weight": 40,
         "bands": [[100, 100], [80, 75], [50, 50]]},
    ],
    "bonuses": [{"name": "亿元项目", "column": "large", "points": 2, "max": 4}],
    "deductions": [{"name": "逾期未开工", "column": "overdue", "points": 0.1, "max": 1}],
}


@pytest.fixture
def assessed():
    return pd.DataFrame({
        "unit": ["甲", "乙", "丙", "丁", "合计"],
        "ytd_wan": [6000.0, 3000.0, 900.0, 500.0, 10400.0],
        "target_wan": [5000.0, 4000.0, 2000.0, None, 11000.0],
        "signed": [5, 3, 2, 1, 11],
        "signed_target": [4, 4, 4, 4, 16],
        "large": [3, 0, 1, 0, 4],
        "overdue": [0, 15, 1, 2, 18],
    })


def test_score_units_item_by_item(engine, assessed):
    out = engine.back(score_units(engine(assessed), RULES)).set_index("unit")
    assert "合计" not in out.index
    # 甲: 6000/5000 = 120% × 60 = 72, capped at 66; 5/4 = 125% → band 100 → 40; bonus 3·2 = 6
    #     capped at 4; no deduction → 110
    assert out.loc["甲", "到位资金_pct"] == pytest.approx(120.0)
    assert out.loc["甲", ["到位资金_score", "签约项目_score", "亿元项目_score", "逾期未开工_score"]
                   ].tolist() == pytest.approx([66.0, 40.0, 4.0, 0.0])
    assert out.loc["甲", "total_score"] == pytest.approx(110.0)
    # 乙: 75% × 60 = 45; 3/4 = 75% → band 50 → 20; 15 × 0.1 = 1.5 capped at 1 → 64
    assert out.loc["乙", "total_score"] == pytest.approx(64.0)
    # 丙: 45% × 60 = 27; 50% → 20; +2; −0.1 → 48.9
    assert out.loc["丙", "total_score"] == pytest.approx(48.9)
    # 丁: no funds target → not scored on it (missing, not 0); 25% → 0; −0.2
    assert np.isnan(out.loc["丁", "到位资金_score"])
    assert out.loc["丁", "total_score"] == pytest.approx(-0.2)
    assert out["rank"].tolist() == [1, 2, 3, 4]


def test_rules_from_toml_and_yaml_files(tmp_path, assessed):
    toml = tmp_path / "rules.toml"
    toml.write_text("""
[[indicators]]
name = "到位资金"
actual = "ytd_wan"
target = "target_wan"
weight = 60
cap = 66

[[indicators]]
name = "签约项目"
actual = "signed"
target = "signed_target"
weight = 40
bands = [[100, 100], [80, 75], [50, 50]]

[[bonuses]]
name = "亿元项目"
column = "large"
points = 2
max = 4

[[deductions]]
name = "逾期未开工"
column = "overdue"
points = 0.1
max = 1
""", encoding="utf-8")
    yaml_file = tmp_path / "rules.yaml"
    yaml_file.write_text("""
indicators:
  - {name: 到位资金, actual: ytd_wan, target: target_wan, weight: 60, cap: 66}
  - name: 签约项目
    actual: signed
    target: signed_target
    weight: 40
    bands: [[100, 100], [80, 75], [50, 50]]
bonuses: [{name: 亿元项目, column: large, points: 2, max: 4}]
deductions: [{name: 逾期未开工, column: overdue, points: 0.1, max: 1}]
""", encoding="utf-8")
    expected = score_units(assessed, RULES)
    pd.testing.assert_frame_equal(score_units(assessed, toml), expected)
    pd.testing.assert_frame_equal(score_units(assessed, load_rules(yaml_file)), expected)


def test_rules_files_never_run_code(tmp_path):
    evil = tmp_path / "rules.yaml"
    evil.write_text("indicators: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ZsAnalyticsError, match="无法读取"):
        load_rules(evil)


@pytest.mark.parametrize(("rules", "message"), [
    ({"indicators": []}, "至少要有一项"),
    ({"indicators": [{"name": "a", "actual": "x", "target": "y"}]}, "a.weight == None：应为数值"),
    ({"indicators": [{"name": "a", "actual": "x", "target": "y", "weight": 1, "cap": 2,
                      "bands": [[1, 1]]}]}, "同时有 'cap' 和 'bands'"),
    ({"indicators": [{"name": "a", "actual": "x", "target": "y", "weight": 1, "bands": [1]}]},
     "应为（门槛, 得分）对"),
    ({"indicators": [{"name": "a", "actual": "x", "target": "y", "weight": 1, "wieght": 1}]},
     "只能有这些键"),
    ({"indicators": [{"name": "a", "actual": "x", "target": "y", "weight": 1}],
      "deductions": [{"name": "a", "column": "z", "points": 1}]}, "规则名称不能重复"),
])
def test_rules_are_checked(rules, message):
    with pytest.raises(ZsAnalyticsError, match=message):
        score_units(pd.DataFrame({"unit": ["甲"], "x": [1.0], "y": [1.0], "z": [0]}), rules)


def test_rank_gap_by_value(engine, units):
    # 戊 has 100; rank 2 is held by 乙 and 丙 at 300 → 200 more ties them (并列第2位)
    gap = rank_gap(engine(units), unit="戊", rank=2, value_col="ytd_wan")
    assert (gap.current_rank, gap.current, gap.needed, gap.extra) == (3, 100.0, 300.0, 200.0)
    assert rank_gap(units, unit="甲", rank=3, value_col="ytd_wan").extra == 0.0
    with pytest.raises(ZsAnalyticsError, match="unit == '己'：表中没有这个单位"):
        rank_gap(units, unit="己", rank=1, value_col="ytd_wan")


def test_rank_gap_by_score(engine, assessed):
    # 丙 (48.9) to rank 2 (乙, 64.0): 15.1 more points from funds, at 60 per 100% of 2000:
    # its funds score 27 → 42.1 → actual 42.1/60 × 2000 = 1403.33…, i.e. 503.33 more
    gap = rank_gap(engine(assessed), rules=RULES, unit="丙", rank=2, indicator="到位资金")
    assert gap.reachable and gap.current_rank == 3
    assert gap.needed == pytest.approx(42.1 / 60 * 2000)
    assert gap.extra == pytest.approx(42.1 / 60 * 2000 - 900)
    # to rank 1 (甲, 110) would need 88.1 funds points, above the cap of 66: not reachable
    assert not rank_gap(assessed, rules=RULES, unit="丙", rank=1, indicator="到位资金").reachable
    # by bands: 乙 (64) to rank 1 (110) by signing alone cannot (20 → 40 is the most)
    assert not rank_gap(assessed, rules=RULES, unit="乙", rank=1, indicator="签约项目").reachable
    # 丙 to rank 2 by signing: needs 15.1 more points, band 80% gives 30 (+10), 100% gives 40
    # (+20) → 100% of 4 = 4 projects
    by_bands = rank_gap(assessed, rules=RULES, unit="丙", rank=2, indicator="签约项目")
    assert by_bands.needed == pytest.approx(4.0)


def test_balance_on_the_demo_scorecard(engine):
    demo = load_demo()
    card = scorecard(demo.funds, demo.targets, as_of="2024-06")
    out = engine.back(balance(engine(card), value_col="ytd_wan")).iloc[0]
    # the demo county: 20 units, 2 with no results in 2024 (双河乡, 县农业农村局)
    assert (out.units, out.zero_units) == (20, 2)
    ranked = engine.back(rank_units(engine(card), value_col="ytd_wan"))
    assert ranked["unit"].iloc[0] == "经济开发区"
    assert set(ranked.loc[ranked["rank"] == ranked["rank"].max(), "unit"]) == {"双河乡", "县农业农村局"}


def test_masked_unit_is_missing_not_also_without_results(engine):
    table = pd.DataFrame({"unit": ["甲", "乙", "丙"], "v": [10.0, None, 0.0]})
    out = engine.back(balance(engine(table), value_col="v")).iloc[0]
    # hand: 丙 reported 0 (无实绩); 乙 has no value (masked): one of each, never both
    assert (out.units, out.zero_units, out.missing_units) == (3, 1, 1)


def test_unit_with_a_missing_value_before_is_not_new(engine):
    now = pd.DataFrame({"unit": ["甲", "乙", "丙"], "v": [3.0, 2.0, 1.0]})
    before = pd.DataFrame({"unit": ["甲", "乙"], "v": [3.0, None]})
    out = engine.back(rank_units(engine(now), value_col="v", previous=engine(before)))
    got = dict(zip(out["unit"], out["rank_change_zh"], strict=True))
    # 丙 was not in the previous table: 新进; 乙 was, unranked (masked): its move is unknown
    assert got["丙"] == "新进" and got["甲"] == "持平"
    assert pd.isna(got["乙"])


TWO_FROM_ONE = {
    "indicators": [
        {"name": "到位资金", "actual": "ytd_wan", "target": "target_wan", "weight": 60, "cap": 66},
        {"name": "半年任务", "actual": "ytd_wan", "target": "half_target_wan", "weight": 40, "cap": 48},
    ],
}


def first_value_reaching(table: pd.DataFrame, rules, unit: str, rank: int) -> float:
    """Exhaustive search, half a 万元 at a time: score_units on one candidate row per value of
    ``unit``'s ytd_wan, and the first whose total ties or beats the ``rank``-th other unit."""
    others = score_units(table[table["unit"] != unit], rules)["total_score"]
    bar = sorted(set(others), reverse=True)[rank - 1]
    me = table[table["unit"] == unit].iloc[0]
    xs = np.arange(me["ytd_wan"], 5000.0, 0.5)
    candidates = pd.DataFrame({c: me[c] for c in table.columns if c != "unit"}, index=range(len(xs)))
    candidates["unit"] = [f"x{i}" for i in range(len(xs))]
    candidates["ytd_wan"] = xs
    totals = score_units(candidates, rules).set_index("unit").loc[candidates["unit"], "total_score"]
    return float(xs[np.flatnonzero(totals.to_numpy() >= bar - 1e-9)[0]])


@pytest.fixture
def two_from_one():
    return pd.DataFrame({"unit": ["甲", "乙", "丙"], "ytd_wan": [6000.0, 3000.0, 900.0],
                         "target_wan": [5000.0, 4000.0, 2000.0],
                         "half_target_wan": [2500.0, 2000.0, 1000.0]})


def test_rank_gap_when_one_column_feeds_two_indicators(engine, two_from_one):
    # hand: 甲 66 + 48 = 114; 乙 45 + 48 (150% × 40 = 60, capped) = 93; 丙 27 + 36 = 63.
    # 丙 at x 万元: 0.03·x + min(0.04·x, 48); the second is capped from x = 1200 (84 in all),
    # then 0.03·x + 48 = 93 → x = 1500. Raising the first indicator alone (the old answer)
    # would need 57 of its points: 57/60 × 2000 = 1900
    gap = rank_gap(engine(two_from_one), rules=TWO_FROM_ONE, unit="丙", rank=2, indicator="到位资金")
    assert gap.reachable and gap.needed == pytest.approx(1500.0)
    assert gap.extra == pytest.approx(600.0)
    # the same by exhaustive search
    assert first_value_reaching(two_from_one, TWO_FROM_ONE, "丙", 2) == pytest.approx(
        gap.needed, abs=0.5)


def test_rank_gap_two_indicators_with_bands_by_exhaustive_search(two_from_one):
    rules = {"indicators": [
        {"name": "到位资金", "actual": "ytd_wan", "target": "target_wan", "weight": 60, "cap": 66},
        {"name": "半年任务", "actual": "ytd_wan", "target": "half_target_wan", "weight": 40,
         "bands": [[100, 100], [80, 75], [50, 50]]},
    ]}
    # hand: 乙 45 + 40 = 85; 丙 27 + 20 (90% → band 50) = 47. At 1000 (100% of the half-year
    # target) 丙 has 30 + 40 = 70; then 0.03·x + 40 = 85 → x = 1500
    gap = rank_gap(two_from_one, rules=rules, unit="丙", rank=2, indicator="半年任务")
    assert gap.needed == pytest.approx(1500.0)
    assert first_value_reaching(two_from_one, rules, "丙", 2) == pytest.approx(gap.needed, abs=0.5)
