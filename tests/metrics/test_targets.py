"""completion, required_pace and whatif on every engine.

Expected values: DOMAIN.md's worked example (10.36亿元 is 38.4% of the annual target at the end
of June 2020, 11.6 points below time progress; implied target ≈ 26.98亿元; 2.77亿元 a month
needed against 1.73 so far) and hand calculations written beside small tables.
"""

from __future__ import annotations

import pandas as pd
import pytest

from zsanalytics import (
    STATUS_ZH,
    ZsAnalyticsError,
    completion,
    load_demo,
    required_pace,
    time_progress,
    whatif,
)

# DOMAIN.md: implied annual target 10.36 ÷ 0.384 ≈ 26.98亿元 = 269,800万元
TARGET_2020 = 269_800.0


@pytest.fixture
def county():
    funds = pd.DataFrame({
        "unit": "全县",
        "month": pd.to_datetime(["2020-01-01", "2020-04-01", "2020-06-01", "2020-07-01",
                                 "2019-06-01"]),
        "currency": ["CNY", "CNY", "CNY", "CNY", "CNY"],
        "amount_wan": [30000.0, 36100.0, 37500.0, 99999.0, 64823.0],   # 1-6月: 103,600
    })
    targets = pd.DataFrame({"year": [2020, 2019], "unit": ["全县", "全县"],
                            "indicator": ["funds_in_place", "funds_in_place"],
                            "target": [TARGET_2020, 1.0]})
    return funds, targets


def test_worked_example_completion(engine, county):
    funds, targets = county
    out = engine.back(completion(engine(funds), targets, as_of="2020-06"))
    row = out.iloc[0]
    assert row["actual_wan"] == pytest.approx(103_600)
    assert round(row["completion_pct"], 1) == 38.4          # published: 完成年度任务的38.4%
    assert row["time_progress_pct"] == 50.0                 # 时间过半
    assert round(row["gap_pp"], 1) == -11.6                 # published: 低于序时进度11.6个百分点
    assert (row["status"], row["status_zh"]) == ("behind", "低于序时进度")


def test_worked_example_by_days(engine, county):
    funds, targets = county
    out = engine.back(completion(engine(funds), engine(targets), as_of="2020-06", method="days"))
    # DOMAIN.md: 182/366 ≈ 49.7%; 38.4 − 49.7 = −11.3
    assert round(out.loc[0, "time_progress_pct"], 1) == 49.7
    assert round(out.loc[0, "gap_pp"], 1) == -11.3


def test_worked_example_required_pace(engine, county):
    funds, targets = county
    out = engine.back(required_pace(engine(funds), targets, as_of="2020-06")).iloc[0]
    # DOMAIN.md: (26.98 − 10.36) ÷ 6 ≈ 2.77亿元 a month, against 1.73 a month so far
    assert out["remaining_wan"] == pytest.approx(TARGET_2020 - 103_600)
    assert out["months_left"] == 6
    assert round(out["required_per_month_wan"] / 1e4, 2) == 2.77
    assert round(out["pace_so_far_per_month_wan"] / 1e4, 2) == 1.73
    assert out["pace_ratio"] == pytest.approx((TARGET_2020 - 103_600) / 103_600)   # both ÷ 6


@pytest.fixture
def units():
    funds = pd.DataFrame({
        "unit": ["城西镇", "城西镇", "城南街道", "双河乡", "无任务镇", "城西镇"],
        "month": pd.to_datetime(["2024-02-01", "2024-05-01", "2024-03-01", "2024-02-01",
                                 "2024-01-01", "2024-08-01"]),
        "currency": ["CNY", "CNY", "CNY", "CNY", "CNY", "CNY"],
        "amount_wan": [20000.0, 16000.0, 3000.0, 0.0, 500.0, 9999.0],
    })
    targets = pd.DataFrame({
        "year": 2024,
        "unit": ["城西镇", "城南街道", "双河乡", "县商务局", "城西镇"],
        "indicator": ["funds_in_place"] * 4 + ["foreign_funds"],
        "target": [60000.0, 10000.0, 8000.0, 5000.0, 300.0],
    })
    return funds, targets


def test_statuses_and_units_found_in_either_table(engine, units):
    funds, targets = units
    out = engine.back(completion(engine(funds), targets, as_of="2024-06", totals=True))
    got = out.set_index("unit")
    # 县商务局 has a target and no rows; 无任务镇 has rows and no target; sorted by code point
    # (as every engine sorts text), 合计 last
    assert list(got.index) == [*sorted(["双河乡", "县商务局", "城南街道", "城西镇", "无任务镇"]), "合计"]
    # hand: 城西镇 36,000 / 60,000 = 60% (+10 pp); 城南街道 3,000 / 10,000 = 30% (−20 pp)
    assert got.loc["城西镇", "completion_pct"] == pytest.approx(60.0)
    assert got.loc["城西镇", "gap_pp"] == pytest.approx(10.0)
    assert got.loc["城南街道", "gap_pp"] == pytest.approx(-20.0)
    assert got["status"].to_dict() == {
        "双河乡": "no results", "县商务局": "no results", "城南街道": "behind", "城西镇": "ahead",
        "无任务镇": "no target", "合计": "behind",
    }
    assert got["status_zh"].tolist() == [STATUS_ZH[s] for s in got["status"]]
    assert got.loc["县商务局", "actual_wan"] == 0.0
    assert pd.isna(got.loc["无任务镇", "target_wan"]) and pd.isna(got.loc["无任务镇", "completion_pct"])
    # 合计: (36,000 + 3,000 + 0 + 0 + 500) / (60,000 + 10,000 + 8,000 + 5,000) = 47.59%
    assert got.loc["合计", "actual_wan"] == pytest.approx(39_500)
    assert got.loc["合计", "target_wan"] == pytest.approx(83_000)
    assert got.loc["合计", "completion_pct"] == pytest.approx(39_500 / 83_000 * 100)


def test_foreign_funds_indicator_counts_usd_only(engine):
    funds = pd.DataFrame({"unit": "经济开发区", "month": pd.to_datetime(["2024-02-01"] * 2),
                          "currency": ["USD", "CNY"], "amount_wan": [120.0, 5000.0]})
    targets = pd.DataFrame({"year": [2024], "unit": ["经济开发区"], "indicator": ["foreign_funds"],
                            "target": [400.0]})
    out = engine.back(completion(engine(funds), targets, as_of="2024-03", indicator="foreign_funds"))
    assert out.loc[0, "actual_usd_wan"] == 120.0 and out.loc[0, "target_usd_wan"] == 400.0
    assert out.loc[0, "completion_pct"] == pytest.approx(30.0)            # hand: 120 / 400
    assert out.loc[0, "gap_pp"] == pytest.approx(5.0)                     # 30 − 25


def test_an_unknown_indicator_on_mixed_currencies_is_refused(units):
    funds, targets = units
    with pytest.raises(ZsAnalyticsError, match="请传入 currency="):
        completion(funds, targets.assign(indicator="other"), as_of="2024-06", indicator="other")


def test_duplicate_targets_are_refused(units):
    funds, targets = units
    doubled = pd.concat([targets, targets.iloc[[0]]])
    with pytest.raises(ZsAnalyticsError, match="2024 年的 'funds_in_place' 目标有 1 组重复"):
        completion(funds, doubled, as_of="2024-06")


def test_required_pace_per_unit_and_in_december(engine, units):
    funds, targets = units
    out = engine.back(required_pace(engine(funds), targets, as_of="2024-06")).set_index("unit")
    # hand: 城西镇 (60,000 − 36,000) / 6 = 4,000 a month; so far 36,000 / 6 = 6,000 → ratio 2/3
    assert out.loc["城西镇", "required_per_month_wan"] == pytest.approx(4000)
    assert out.loc["城西镇", "pace_ratio"] == pytest.approx(2 / 3)
    assert pd.isna(out.loc["双河乡", "pace_ratio"])                      # nothing so far
    assert out.loc["双河乡", "required_per_month_wan"] == pytest.approx(8000 / 6)
    dec = engine.back(required_pace(engine(funds), targets, as_of="2024-12")).set_index("unit")
    assert (dec["months_left"] == 0).all() and dec["required_per_month_wan"].isna().all()
    # hand: 城西镇 passed its target by December (36,000 + 9,999 < 60,000: not yet) → remaining
    assert dec.loc["城西镇", "remaining_wan"] == pytest.approx(60000 - 45999)


def test_remaining_never_goes_below_zero(engine):
    funds = pd.DataFrame({"unit": ["超额镇"], "month": pd.to_datetime(["2024-03-01"]),
                          "amount_wan": [12000.0]})
    targets = pd.DataFrame({"year": [2024], "unit": ["超额镇"], "indicator": ["funds_in_place"],
                            "target": [10000.0]})
    out = engine.back(required_pace(engine(funds), targets, as_of="2024-06"))
    assert out.loc[0, "remaining_wan"] == 0.0 and out.loc[0, "required_per_month_wan"] == 0.0


def test_whatif_a_3yi_project_in_september(engine, units):
    funds, targets = units
    scenario = pd.DataFrame({"scenario": ["乐观", "乐观", "保守"], "unit": ["城西镇", "城南街道", "城西镇"],
                             "month": ["2024-09", "2024-10", "2024-12"],
                             "amount_wan": [30000.0, 2000.0, 10000.0]})
    out = engine.back(whatif(engine(funds), targets, as_of="2024-06", scenario=scenario, totals=True))
    got = out.set_index(["scenario", "unit"])
    assert len(got) == 2 * 6                      # every unit (and 合计) under each scenario
    # hand, 乐观: 城西镇 (36,000 + 30,000) / 60,000 = 110% → target met, nothing remains
    row = got.loc[("乐观", "城西镇")]
    assert row["added_wan"] == 30000.0
    assert row["scenario_completion_pct"] == pytest.approx(110.0)
    assert bool(row["scenario_meets_target"]) and row["scenario_remaining_wan"] == 0.0
    assert row["completion_pct"] == pytest.approx(60.0)        # the baseline is unchanged
    # hand, 保守: 城西镇 (60,000 − 36,000 − 10,000) / 6 = 2,333.3 a month still needed
    row = got.loc[("保守", "城西镇")]
    assert row["scenario_required_per_month_wan"] == pytest.approx(14000 / 6)
    assert row["scenario_pace_ratio"] == pytest.approx((14000 / 6) / 6000)
    # hand, 乐观 合计: (39,500 + 32,000) / 83,000
    assert got.loc[("乐观", "合计"), "scenario_completion_pct"] == pytest.approx(71_500 / 83_000 * 100)
    assert got.loc[("保守", "城南街道"), "added_wan"] == 0.0


def test_whatif_meets_target_is_missing_without_a_target(engine):
    # a target of 0 or none cannot be met or missed: missing on every engine, not False
    funds = pd.DataFrame({"unit": ["零任务镇", "有任务镇", "无任务镇"],
                          "month": pd.to_datetime(["2024-05-01"] * 3), "amount_wan": [1.0, 2.0, 3.0]})
    targets = pd.DataFrame({"year": 2024, "unit": ["零任务镇", "有任务镇"],
                            "indicator": "funds_in_place", "target": [0.0, 10.0]})
    out = engine.back(whatif(engine(funds), targets, as_of="2024-06",
                             scenario=[{"unit": "零任务镇", "amount_wan": 5.0}])).set_index("unit")
    missing = out["scenario_meets_target"].isna()
    assert missing.to_dict() == {"无任务镇": True, "有任务镇": False, "零任务镇": True}
    assert out.loc["有任务镇", "scenario_meets_target"] == False  # hand: 2 + 0 < 10  # noqa: E712


def test_whatif_catches_misspelt_units_and_past_months(units):
    funds, targets = units
    with pytest.raises(ZsAnalyticsError, match=r"在 actual 和 targets 里都找不到.*城西真"):
        whatif(funds, targets, as_of="2024-06", scenario=[{"unit": "城西真", "amount_wan": 1.0}])
    with pytest.raises(ZsAnalyticsError, match=r"scenario\.month == '2024-05'：应在 as_of"):
        whatif(funds, targets, as_of="2024-06",
               scenario=[{"unit": "城西镇", "amount_wan": 1.0, "month": "2024-05"}])
    with pytest.raises(ZsAnalyticsError, match=r"scenario\.amount_wan 应为数值.*三亿"):
        whatif(funds, targets, as_of="2024-06", scenario={"unit": ["城西镇"], "amount_wan": ["三亿"]})


def test_demo_completion_agrees_with_plain_pandas(engine):
    demo = load_demo()
    out = engine.back(completion(engine(demo.funds), demo.targets, as_of="2024-06")).set_index("unit")
    f = demo.funds
    f = f[(f["currency"] == "CNY") & (f["month"].dt.year == 2024) & (f["month"].dt.month <= 6)]
    actual = f.groupby("unit")["amount_wan"].sum()
    t = demo.targets.query("year == 2024 and indicator == 'funds_in_place'").set_index("unit")["target"]
    expected = actual / t * 100
    pd.testing.assert_series_equal(out["completion_pct"].sort_index(), expected.sort_index(),
                                   check_names=False)
    assert set(out.loc[out["status"] == "no results"].index) == {"双河乡", "县农业农村局"}
    assert out["time_progress_pct"].eq(time_progress("2024-06") * 100).all()


def test_duckdb_tables_on_their_own_connection(units):
    """Relations of different DuckDB connections cannot be joined; the small tables zsanalytics
    adds (targets, scenarios) must land on the connection of the actuals."""
    import duckdb

    funds, targets = units
    con = duckdb.connect()
    con.register("funds_df", funds)
    rel = con.sql("SELECT * FROM funds_df")
    expected = completion(funds, targets, as_of="2024-06")
    got = completion(rel, targets, as_of="2024-06").df()
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    other = duckdb.connect()
    other.register("targets_df", targets)
    got = completion(rel, other.sql("SELECT * FROM targets_df"), as_of="2024-06").df()
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    what = whatif(rel, targets, as_of="2024-06", scenario=[{"unit": "城西镇", "amount_wan": 1.0}])
    assert what.df().set_index("unit").loc["城西镇", "added_wan"] == 1.0
