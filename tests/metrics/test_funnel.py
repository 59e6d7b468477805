"""funnel, conversion, stage_issues, time_to_stage and stage_warnings on every engine.

Expected values: hand counts written beside each small ledger, a Kaplan–Meier curve worked by
hand (product of (1 − deaths ÷ at risk)), and, for random ledgers the code has not seen, a
plain per-project Python count written here independently of the library.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsanalytics import (
    DataQualityWarning,
    ZsAnalyticsError,
    conversion,
    funnel,
    load_demo,
    stage_issues,
    stage_warnings,
    time_to_stage,
)

STAGE_COLS = ["signed_on", "landed_on", "started_on", "producing_on"]


def ledger(rows: list[tuple]) -> pd.DataFrame:
    """rows: (project_id, unit, signed, landed, started, producing, contract, funds, currency)."""
    frame = pd.DataFrame(rows, columns=["project_id", "unit", *STAGE_COLS, "contract_wan",
                                        "funds_in_place_wan", "currency"])
    for c in STAGE_COLS:
        frame[c] = pd.to_datetime(frame[c])
    frame["project_name"] = frame["project_id"] + "项目"
    return frame


@pytest.fixture
def clean_ledger():
    # as of 2024-06-30:
    #   P1 甲 signed, landed, started, producing          → 4 stages
    #   P2 甲 signed, landed, started (producing in July) → 3 stages
    #   P3 甲 signed, landed                              → 2 stages
    #   P4 乙 signed                                      → 1 stage
    #   P5 乙 signed 2024-07-10 (after as_of)             → nothing
    #   P6 乙 signed 2023, landed 2023, started 2024-06-30 (on the day: counts)
    return ledger([
        ("P1", "甲", "2023-03-01", "2023-05-01", "2023-08-01", "2024-02-01", 20000, 15000, "CNY"),
        ("P2", "甲", "2023-09-01", "2023-10-01", "2024-01-15", "2024-07-01", 8000, 2000, "CNY"),
        ("P3", "甲", "2024-01-10", "2024-03-01", None, None, 5000, 500, "CNY"),
        ("P4", "乙", "2024-02-01", None, None, None, 3000, 0, "CNY"),
        ("P5", "乙", "2024-07-10", None, None, None, 9000, 0, "CNY"),
        ("P6", "乙", "2023-11-20", "2023-12-20", "2024-06-30", None, 4000, 1000, "USD"),
    ])


def test_funnel_counts_by_hand(engine, clean_ledger):
    out = engine.back(funnel(engine(clean_ledger), as_of="2024-06-30", cohort="all"))
    # hand count: signed P1 P2 P3 P4 P6 = 5; landed P1 P2 P3 P6 = 4; started P1 P2 P6 = 3;
    # producing P1 = 1
    assert out["stage"].tolist() == ["signed", "landed", "started", "producing"]
    assert out["stage_zh"].tolist() == ["签约", "落地", "开工", "投产"]
    assert out["count"].tolist() == [5, 4, 3, 1]
    assert out["rate_from_previous_pct"].tolist()[1:] == pytest.approx([80.0, 75.0, 100 / 3])
    assert np.isnan(out["rate_from_previous_pct"].iloc[0])
    assert out["rate_from_first_pct"].tolist() == pytest.approx([100.0, 80.0, 60.0, 20.0])


def test_funnel_by_unit_and_cohort(engine, clean_ledger):
    out = engine.back(funnel(engine(clean_ledger), as_of="2024-06", by="unit",
                             cohort="signed_year"))
    got = {(r.unit, r.signed_year, r.stage): r.count for r in out.itertuples()}
    # 甲 2023: P1, P2 → signed 2, landed 2, started 2, producing 1; 甲 2024: P3 → 1, 1, 0, 0
    assert [got["甲", 2023, s] for s in ("signed", "landed", "started", "producing")] == [2, 2, 2, 1]
    assert [got["甲", 2024, s] for s in ("signed", "landed", "started", "producing")] == [1, 1, 0, 0]
    # 乙 2023: P6 → 1, 1, 1, 0; 乙 2024: P4 (P5 is signed after as_of) → 1, 0, 0, 0
    assert [got["乙", 2023, s] for s in ("signed", "landed", "started", "producing")] == [1, 1, 1, 0]
    assert [got["乙", 2024, s] for s in ("signed", "landed", "started", "producing")] == [1, 0, 0, 0]
    # the 合计 rows per cohort: 2023 → 3, 3, 3, 1; 2024 → 2, 1, 0, 0 — and they come last
    assert [got["合计", 2023, s] for s in ("signed", "landed", "started", "producing")] == [3, 3, 3, 1]
    assert [got["合计", 2024, s] for s in ("signed", "landed", "started", "producing")] == [2, 1, 0, 0]
    assert (out["unit"].iloc[-8:] == "合计").all()
    # a zero base gives a missing rate, not a division error: 乙 2024 landed 0 → started
    row = out[(out.unit == "乙") & (out.signed_year == 2024) & (out.stage == "started")]
    assert row["rate_from_previous_pct"].isna().all()


def test_funnel_as_of_moves_counts(engine, clean_ledger):
    # a month earlier, P6 has not started (2024-06-30) and P4 … still signed
    may = engine.back(funnel(engine(clean_ledger), as_of="2024-05-31", cohort="all"))
    assert may["count"].tolist() == [5, 4, 2, 1]
    # at the end of 2024 P5 has signed and P2 produces
    dec = engine.back(funnel(engine(clean_ledger), as_of="2024-12", cohort="all"))
    assert dec["count"].tolist() == [6, 4, 3, 2]


def test_funnel_stages_subset(engine, clean_ledger):
    out = engine.back(funnel(engine(clean_ledger), as_of="2024-06", stages=("signed", "started"),
                             cohort="all"))
    assert out["count"].tolist() == [5, 3]
    assert out["rate_from_previous_pct"].iloc[1] == pytest.approx(60.0)


@pytest.fixture
def messy_ledger():
    # Q1: started with no signing and no landing date;
    # Q2: landed before it signed (out of order);
    # Q3: producing with no start date
    return ledger([
        ("Q1", "甲", None, None, "2024-03-01", None, 1000, 0, "CNY"),
        ("Q2", "甲", "2024-04-01", "2024-02-01", None, None, 1000, 0, "CNY"),
        ("Q3", "乙", "2023-01-01", "2023-02-01", None, "2024-01-01", 1000, 0, "CNY"),
    ])


def test_messy_stages_counted_as_reached_and_reported(engine, messy_ledger):
    with pytest.warns(DataQualityWarning, match="台账中有 3 个项目"):
        out = engine.back(funnel(engine(messy_ledger), as_of="2024-06", cohort="all"))
    # counted as reached: signed Q1 Q2 Q3 = 3; landed Q1 Q2 Q3 = 3; started Q1 Q3 = 2; producing Q3
    assert out["count"].tolist() == [3, 3, 2, 1]
    issues = engine.back(stage_issues(engine(messy_ledger), as_of="2024-06"))
    got = set(zip(issues.project_id, issues.problem, issues.stage, issues.earlier_stage,
                  strict=True))
    assert got == {
        ("Q1", "missing_earlier_stage", "started", "signed"),
        ("Q1", "missing_earlier_stage", "started", "landed"),
        ("Q2", "out_of_order", "landed", "signed"),
        ("Q3", "missing_earlier_stage", "producing", "started"),
    }
    assert issues.loc[issues.project_id == "Q2", "message"].item() == "落地时间早于签约时间"


def test_clean_ledger_does_not_warn(engine, clean_ledger):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        funnel(engine(clean_ledger), as_of="2024-06")
    assert len(engine.back(stage_issues(engine(clean_ledger)))) == 0


def test_stage_issues_respects_as_of(messy_ledger):
    # before Q1 starts (2024-03-01) its missing dates are not a problem yet; Q2's order and
    # Q3's production (2024-01-01) without a start are
    issues = stage_issues(messy_ledger, as_of="2024-02-15")
    assert issues["project_id"].tolist() == ["Q2", "Q3"]


def test_conversion_rates_by_hand(engine, clean_ledger):
    out = engine.back(conversion(engine(clean_ledger), as_of="2024-06-30", by="unit",
                                 cohort="all"))
    assert out["unit"].tolist() == [*sorted(["甲", "乙"]), "合计"]   # code-point order, 合计 last
    jia, yi, total = (out.set_index("unit").loc[u] for u in ("甲", "乙", "合计"))
    # 甲: signed 3, landed 3, started 2, producing 1
    assert (jia.signed, jia.landed, jia.started, jia.producing) == (3, 3, 2, 1)
    assert jia.landing_rate_pct == pytest.approx(100.0)
    assert jia.start_rate_pct == pytest.approx(200 / 3)
    assert jia.production_rate_pct == pytest.approx(50.0)
    # 资金到位率 甲: (15000 + 2000 + 500) ÷ (20000 + 8000 + 5000) = 17500 ÷ 33000
    assert jia.funds_rate_pct == pytest.approx(17500 / 33000 * 100)
    # 乙: signed P4 and P6; P6 is USD, so 万元 only: 0 ÷ 3000 (P5 is not signed yet)
    assert (yi.signed, yi.landed, yi.started) == (2, 1, 1)
    assert yi.contract_wan == pytest.approx(3000) and yi.funds_rate_pct == pytest.approx(0.0)
    # 合计: 17500 ÷ 36000; production 1 ÷ 3
    assert total.funds_rate_pct == pytest.approx(17500 / 36000 * 100)
    assert total.production_rate_pct == pytest.approx(100 / 3)


def test_conversion_by_cohort(engine, clean_ledger):
    out = engine.back(conversion(engine(clean_ledger), as_of="2024-06-30", cohort="signed_year"))
    assert out["signed_year"].tolist() == [2023, 2024]
    # 2023: P1 P2 P6 → landed 3 of 3, started 3 of 3; 2024: P3 P4 → landed 1 of 2
    assert out["landing_rate_pct"].tolist() == pytest.approx([100.0, 50.0])
    assert out["start_rate_pct"].tolist() == pytest.approx([100.0, 0.0])


# --- funnel counts on ledgers the tests have not written ------------------------------------

DAYS = st.one_of(st.none(), st.integers(min_value=0, max_value=900))


@st.composite
def random_ledgers(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    base = dt.date(2022, 1, 1)
    rows = []
    for i in range(n):
        offsets = [draw(DAYS) for _ in range(4)]   # independent: gaps and disorder included
        dates = [None if o is None else base + dt.timedelta(days=o) for o in offsets]
        rows.append((f"R{i}", draw(st.sampled_from(["甲", "乙", "丙"])), *dates, 100.0, 10.0, "CNY"))
    return ledger(rows), base + dt.timedelta(days=draw(st.integers(0, 900)))


def naive_counts(frame: pd.DataFrame, day: dt.date) -> dict[tuple[str, str], int]:
    """Per unit and stage, one project at a time: reached when this or a later stage's date is
    on or before ``day``."""
    stages = ["signed", "landed", "started", "producing"]
    counts: dict[tuple[str, str], int] = {}
    for row in frame.to_dict("records"):
        for k, stage in enumerate(stages):
            hit = any(pd.notna(row[f"{s}_on"]) and row[f"{s}_on"].date() <= day
                      for s in stages[k:])
            for unit in (row["unit"], "合计"):
                counts[unit, stage] = counts.get((unit, stage), 0) + int(hit)
    return counts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_ledgers())
def test_funnel_matches_a_plain_count_on_unseen_ledgers(case):
    frame, day = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        out = funnel(frame, as_of=day.isoformat(), by="unit", cohort="all")
    got = {(r.unit, r.stage): r.count for r in out.itertuples()}
    assert got == naive_counts(frame, day)
    # the warning counts the projects stage_issues lists
    listed = stage_issues(frame, as_of=day.isoformat())["project_id"].nunique()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        funnel(frame, as_of=day.isoformat(), cohort="all")
    said = [str(w.message) for w in caught if issubclass(w.category, DataQualityWarning)]
    if listed:
        assert len(said) == 1 and said[0].startswith(f"台账中有 {listed} 个项目")
    else:
        assert said == []


def test_funnel_on_polars_and_duckdb_matches_pandas_on_the_demo(engine):
    projects = load_demo().projects
    expected = funnel(projects, as_of="2024-06", by="unit", cohort="signed_year")
    got = engine.back(funnel(engine(projects), as_of="2024-06", by="unit", cohort="signed_year"))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


# --- time to stage: Kaplan–Meier -----------------------------------------------------------

@pytest.fixture
def timed_ledger():
    # all signed 2024-01-01; as of 2024-06-30 (day 181):
    #   A started day 30, B day 60, C censored at day 181 (not started),
    #   D started day 90, E started day 120, F signed 2024-05-01, censored at day 60
    signed = ["2024-01-01"] * 5 + ["2024-05-01"]
    started = ["2024-01-31", "2024-03-01", None, "2024-03-31", "2024-04-30", None]
    return pd.DataFrame({
        "unit": ["甲", "甲", "甲", "乙", "乙", "乙"],
        "signed_on": pd.to_datetime(signed),
        "started_on": pd.to_datetime(started),
    })


def test_time_to_stage_kaplan_meier_by_hand(engine, timed_ledger):
    out = engine.back(time_to_stage(engine(timed_ledger), as_of="2024-06-30"))
    row = out.iloc[0]
    assert (row.projects, row.reached, row.censored, row.no_start_date) == (6, 4, 2, 0)
    # times 30(e) 60(e) 60(c: F) 90(e) 121(e: E, Jan 1 → Apr 30 is 120 days) 181(c: C)
    # S(30) = 5/6; S(60) = 5/6 · 4/5 = 2/3 (F censored at 60 leaves after the event);
    # S(90) = 2/3 · 2/3 = 4/9 ≤ 0.5 → median 90 days
    assert row.median_days == 90
    assert row.reached_90d_pct == pytest.approx((1 - 4 / 9) * 100)
    # S(120) = 4/9 · 1/2 = 2/9; at 180 still 2/9; 365 is beyond anyone's follow-up
    assert row.reached_180d_pct == pytest.approx((1 - 2 / 9) * 100)
    assert np.isnan(row.reached_365d_pct)
    # the interval is open above (too few projects): missing, never a made-up bound
    assert row.median_days_ci_lower <= 90
    assert np.isnan(row.median_days_ci_upper) or row.median_days_ci_upper >= 90


def test_censoring_is_not_failure_nor_exclusion(timed_ledger):
    km = time_to_stage(timed_ledger, as_of="2024-06-30", horizons=(90,)).iloc[0]
    # treating the two waiting projects as never starting: 3 of 6 by day 90 = 50%
    # dropping them: 3 of 4 = 75%; Kaplan–Meier lies between, at 5/9
    assert 50.0 < km.reached_90d_pct < 75.0
    assert km.reached_90d_pct == pytest.approx(500 / 9)


def test_time_to_stage_by_unit_and_statsmodels(engine, timed_ledger):
    from statsmodels.duration.survfunc import SurvfuncRight

    out = engine.back(time_to_stage(engine(timed_ledger), as_of="2024-06-30", by="unit"))
    assert out["unit"].tolist() == [*sorted(["甲", "乙"]), "合计"]
    # 甲: 30(e), 60(e), 181(c) → S(60) = 1/3: median 60; statsmodels' own fit on these times
    fit = SurvfuncRight(np.array([30.0, 60.0, 181.0]), np.array([1.0, 1.0, 0.0]))
    jia = out.set_index("unit").loc["甲"]
    assert jia.median_days == fit.quantile(0.5) == 60
    lower, upper = fit.quantile_ci(0.5)
    assert jia.median_days_ci_lower == pytest.approx(lower)
    assert (np.isnan(jia.median_days_ci_upper) and not np.isfinite(upper)) or \
        jia.median_days_ci_upper == pytest.approx(upper)


def test_time_to_stage_later_stage_stands_in_and_no_start(engine):
    frame = pd.DataFrame({
        "signed_on": pd.to_datetime(["2024-01-01", None, "2024-01-01"]),
        "landed_on": pd.to_datetime([None, "2024-02-01", "2024-02-10"]),
        "started_on": pd.to_datetime(["2024-03-01", None, "2024-01-20"]),
    })
    out = engine.back(time_to_stage(engine(frame), start="signed", end="landed",
                                    as_of="2024-06-30", horizons=(45, 59, 60))).iloc[0]
    # project 1 landed through its start (60 days), project 2 has no signing date (not timed,
    # counted), project 3 landed on day 40: half within 45 and 59 days, all within 60
    assert (out.projects, out.reached, out.no_start_date) == (2, 2, 1)
    assert [out.reached_45d_pct, out.reached_59d_pct, out.reached_60d_pct] == [50.0, 50.0, 100.0]


def test_time_to_stage_checks_stages():
    with pytest.raises(ZsAnalyticsError, match="start 在 end 之前"):
        time_to_stage(pd.DataFrame(), start="started", end="signed", as_of="2024-06")


# --- overdue lists -------------------------------------------------------------------------

def test_stage_warnings_by_hand(engine, clean_ledger):
    out = engine.back(stage_warnings(engine(clean_ledger), as_of="2024-06-30"))
    got = {(r.project_id, r.rule): r.days_overdue for r in out.itertuples()}
    # not_landed: P4 signed 2024-02-01, due 2024-05-01 (+90 days), 60 days overdue on 06-30;
    # not_started: P3 landed 2024-03-01, due 2024-04-30, 61 days overdue
    # not_producing: P1 produced; P2 started 2024-01-15, due 2025-01-14: not yet
    # low_funds (<25% after 90 days): P3 500/5000 = 10% signed 2024-01-10, due 04-09 → 82;
    #   P4 0/3000 → 60; P6 1000/4000 = 25% is not below; P2 2000/8000 = 25% neither
    assert got == {("P4", "not_landed"): 60, ("P3", "not_started"): 61,
                   ("P3", "low_funds"): 82, ("P4", "low_funds"): 60}
    # by unit, most overdue first
    assert out[["unit", "project_id", "days_overdue"]].values.tolist() == sorted(
        out[["unit", "project_id", "days_overdue"]].values.tolist(), key=lambda r: (r[0], -r[2]))
    assert out.loc[out.rule == "low_funds", "rule_zh"].iloc[0] == "签约超90天资金到位不足25%"
    assert out.loc[out.project_id == "P3", "funds_pct"].iloc[0] == pytest.approx(10.0)
    assert pd.Timestamp(out.loc[out.rule == "not_landed", "due"].item()) == pd.Timestamp("2024-05-01")


def test_stage_warnings_exact_deadline_is_not_overdue():
    frame = ledger([("P1", "甲", "2024-04-01", None, None, None, 1, 1, "CNY")])
    rule = [{"rule": "r", "after": "signed", "missing": "landed", "days": 90}]
    # 2024-04-01 + 90 days = 2024-06-30: on the day it is due, not yet overdue
    assert len(stage_warnings(frame, as_of="2024-06-30", rules=rule)) == 0
    out = stage_warnings(frame, as_of="2024-07-01", rules=rule)
    assert out["days_overdue"].tolist() == [1]
    assert out["rule_zh"].tolist() == ["签约超90天未落地"]


def test_stage_warnings_rules_from_a_mapping_and_checked():
    frame = ledger([("P1", "甲", "2024-01-01", None, None, None, 1, 1, "CNY")])
    rules = {"slow": {"after": "signed", "missing": "started", "days": 30, "zh": "签约一月未开工"}}
    out = stage_warnings(frame, as_of="2024-03-01", rules=rules)
    assert out[["rule", "rule_zh", "days_overdue"]].values.tolist() == [["slow", "签约一月未开工", 30]]
    for bad, message in (
        ({"x": {"after": "started", "missing": "landed", "days": 1}}, "应为 'started' 之后的阶段"),
        ({"x": {"after": "signed", "days": 1}}, "有且只有一个"),
        ({"x": {"after": "signed", "missing": "landed", "days": -1}}, "'days' 应为 ≥ 0"),
        ({"x": {"after": "signed", "missing": "landed", "days": 1, "dayz": 2}}, "未知的键"),
    ):
        with pytest.raises(ZsAnalyticsError, match=message):
            stage_warnings(frame, as_of="2024-03-01", rules=bad)


def test_text_dates_are_refused_with_a_hint():
    frame = pd.DataFrame({"signed_on": ["2024-01-01"], "landed_on": [None], "started_on": [None],
                          "producing_on": [None]})
    with pytest.raises(ZsAnalyticsError, match="parse_date"):
        funnel(frame, as_of="2024-06")


# --- assessment conventions: the year's signings, rates with their bases, 履约 ----------------

def test_default_cohort_is_the_year_of_as_of(engine, clean_ledger):
    out = engine.back(funnel(engine(clean_ledger), as_of="2024-06-30", by="unit"))
    got = {(r.unit, r.stage): r.count for r in out.itertuples()}
    assert set(out["signed_year"]) == {2024}
    # hand: signed in 2024 by 06-30 are P3 (甲: landed, not started) and P4 (乙: signed only);
    # P5 signs in July, P1 P2 P6 signed in 2023 and are not in the year's cohort
    assert [got["甲", s] for s in ("signed", "landed", "started", "producing")] == [1, 1, 0, 0]
    assert [got["乙", s] for s in ("signed", "landed", "started", "producing")] == [1, 0, 0, 0]
    assert [got["合计", s] for s in ("signed", "landed", "started", "producing")] == [2, 1, 0, 0]
    # all-time, asked for explicitly: P1 P2 P3 P4 P6 signed (the count of test_funnel_counts_by_hand)
    every = engine.back(funnel(engine(clean_ledger), as_of="2024-06-30", cohort="all"))
    assert every["count"].tolist() == [5, 4, 3, 1] and "signed_year" not in every.columns


def test_demo_start_rate_of_the_year_and_of_all_time(demo):
    projects = demo.projects
    dates = projects[["signed_on", "landed_on", "started_on", "producing_on"]]
    day = pd.Timestamp("2024-06-30")
    # hand count with pandas: a project has started when its start or production date is on or
    # before the day; the year's cohort is signed in 2024
    this_year = projects["signed_on"].dt.year == 2024
    signed = (dates <= day).any(axis=1)
    started = (dates[["started_on", "producing_on"]] <= day).any(axis=1)
    assert (int((signed & this_year).sum()), int((started & this_year).sum())) == (34, 2)
    year = conversion(projects, as_of="2024-06-30").iloc[0]
    assert (year.signed_year, year.signed, year.started) == (2024, 34, 2)
    assert year.start_rate_pct == pytest.approx(2 / 34 * 100)             # 5.9%
    every = conversion(projects, as_of="2024-06-30", cohort="all").iloc[0]
    assert (every.signed, every.started) == (int(signed.sum()), int(started.sum())) == (389, 236)
    assert every.start_rate_pct == pytest.approx(236 / 389 * 100)          # 60.7%


def test_production_rate_on_both_bases_and_performance_rules(engine, clean_ledger):
    out = engine.back(conversion(engine(clean_ledger), as_of="2024-06-30", cohort="all"))
    row = out.iloc[0]
    # hand (all time, 06-30): signed 5, started 3 (P1 P2 P6), producing 1 (P1)
    assert row.production_rate_pct == pytest.approx(100 / 3)               # 开工项目投产率 1 ÷ 3
    assert row.production_rate_signed_pct == pytest.approx(20.0)           # 签约项目投产率 1 ÷ 5
    # 履约 by default: funds in place > 0 → P1 P2 P3 P6 (P4 has 0) = 4 of 5; 落地 is also 4 of 5
    # but for other projects (P6 landed, P4 not; P3 landed and has funds)
    assert (row.performing, row.performance_rate_pct) == (4, pytest.approx(80.0))
    rates = {
        # at least 25% of the contract: P1 15000/20000, P2 2000/8000, P6 1000/4000 → 3
        "pct": conversion(clean_ledger, as_of="2024-06-30", cohort="all",
                          performance={"min_funds_pct": 25}).iloc[0].performing,
        # started: P1 P2 P6 → 3; producing: P1 → 1
        "started": conversion(clean_ledger, as_of="2024-06-30", cohort="all",
                              performance="started").iloc[0].performing,
        "producing": conversion(clean_ledger, as_of="2024-06-30", cohort="all",
                                performance="producing").iloc[0].performing,
    }
    assert rates == {"pct": 3, "started": 3, "producing": 1}
    # a column of the ledger: registered P1 (2023) and P4 (2024-07: after as_of) → 1
    registered = clean_ledger.assign(registered_on=pd.to_datetime(
        ["2023-04-01", None, None, "2024-07-02", None, None]))
    got = conversion(registered, as_of="2024-06-30", cohort="all", performance="registered_on")
    assert got.iloc[0].performing == 1
    with pytest.raises(ZsAnalyticsError, match="performance == 'paid'"):
        conversion(clean_ledger, as_of="2024-06-30", performance="paid")


def test_signed_year_cohort_with_a_missing_signing_date_on_every_engine(engine, clean_ledger):
    frame = clean_ledger.copy()
    frame.loc[frame.project_id == "P6", "signed_on"] = pd.NaT   # landed and started, no signing
    with pytest.warns(DataQualityWarning):
        out = engine.back(funnel(engine(frame), as_of="2024-06-30", cohort="signed_year"))
        rates = engine.back(conversion(engine(frame), as_of="2024-06-30", cohort="signed_year"))
    got = {(None if pd.isna(r.signed_year) else int(r.signed_year), r.stage): r.count
           for r in out.itertuples()}
    # hand: 2023 → P1 P2; 2024 → P3 P4; no cohort → P6 (reached signing through its start)
    assert [got[2023, s] for s in ("signed", "landed", "started", "producing")] == [2, 2, 2, 1]
    assert [got[None, s] for s in ("signed", "landed", "started", "producing")] == [1, 1, 1, 0]
    assert rates["signed"].tolist() == [2, 2, 1] and rates["signed_year"].isna().tolist()[-1]


# --- stages marked 是/√ with no date ---------------------------------------------------------

@pytest.fixture
def marked_ledger(clean_ledger):
    """P4 is marked started (√) with no date; P3 is marked not producing (否); nothing else."""
    frame = clean_ledger.copy()
    frame["started_reached"] = pd.array([None, None, None, True, None, None], dtype="boolean")
    frame["producing_reached"] = pd.array([None, None, False, None, None, None], dtype="boolean")
    return frame


def test_marks_count_as_reached(engine, marked_ledger):
    # P4 is started with no landing recorded: warned about, like a start date with no landing
    with pytest.warns(DataQualityWarning, match="^台账中有 1 个项目"):
        out = engine.back(funnel(engine(marked_ledger), as_of="2024-06-30", cohort="all"))
    # hand: as test_funnel_counts_by_hand (5, 4, 3, 1) with P4 started by its mark: landed
    # (through the later stage) 5 and started 4
    assert out["count"].tolist() == [5, 5, 4, 1]
    issues = stage_issues(marked_ledger, as_of="2024-06-30")
    assert issues[["project_id", "stage", "earlier_stage"]].values.tolist() == [["P4", "started", "landed"]]
    with pytest.warns(DataQualityWarning, match="^台账中有 1 个项目"):
        year = engine.back(conversion(engine(marked_ledger), as_of="2024-06-30"))
    assert (year.signed.item(), year.started.item()) == (2, 1)        # P3, P4 signed in 2024
    # absent columns change nothing
    plain = funnel(marked_ledger.drop(columns=["started_reached", "producing_reached"]),
                   as_of="2024-06-30", cohort="all")
    assert plain["count"].tolist() == [5, 4, 3, 1]


def test_marked_stage_is_never_overdue(engine, marked_ledger):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        out = engine.back(stage_warnings(engine(marked_ledger), as_of="2024-06-30"))
    got = {(r.project_id, r.rule) for r in out.itertuples()}
    # test_stage_warnings_by_hand lists P4 not landed; marked started, it has landed too
    assert ("P4", "not_landed") not in got
    assert got == {("P3", "not_started"), ("P3", "low_funds"), ("P4", "low_funds")}


def test_time_to_stage_leaves_undated_marks_out_and_counts_them(engine, timed_ledger):
    frame = timed_ledger.copy()
    # C (still waiting in timed_ledger) is marked started with no date
    frame["started_reached"] = pd.array([None, None, True, None, None, None], dtype="boolean")
    out = engine.back(time_to_stage(engine(frame), as_of="2024-06-30")).iloc[0]
    # hand: the five others — 30(e) 60(e) 60(c: F) 90(e) 120(e): S(30) = 4/5, S(60) = 3/5,
    # S(90) = 3/5 · 1/2 = 3/10 → median 90; reached within 90 days 70%
    assert (out.projects, out.reached, out.censored, out.reached_undated) == (5, 4, 1, 1)
    assert out.median_days == 90
    assert out.reached_90d_pct == pytest.approx(70.0)


# --- Kaplan–Meier: the end of the curve, and the median's convention ------------------------

def test_reached_pct_is_100_when_everyone_got_there(engine):
    frame = pd.DataFrame({"signed_on": pd.to_datetime(["2024-01-01"] * 3),
                          "started_on": pd.to_datetime(["2024-01-11", "2024-01-21", "2024-01-31"])})
    out = engine.back(time_to_stage(engine(frame), as_of="2024-06-30", horizons=(20, 90, 365)))
    # hand: started after 10, 20 and 30 days, none waiting: 2 of 3 within 20 days, all within
    # 90 and 365, though no one was followed 365 days (the longest wait is 30)
    assert out.loc[0, "reached_20d_pct"] == pytest.approx(200 / 3)
    assert out.loc[0, ["reached_90d_pct", "reached_365d_pct"]].tolist() == [100.0, 100.0]


def test_median_convention_is_stated_and_lifelines_offered():
    frame = pd.DataFrame({"signed_on": pd.to_datetime(["2024-01-01"] * 4),
                          "started_on": pd.to_datetime(["2024-01-11", "2024-01-21", "2024-01-31",
                                                        "2024-02-10"])})
    # hand: events at 10, 20, 30, 40 days: S(20) = 2/4 = 0.5 exactly; the first time below 0.5
    # is 30 (statsmodels, SAS); at or below 0.5, 20 (lifelines' median_survival_time_)
    sm = time_to_stage(frame, as_of="2024-06-30").iloc[0]
    ll = time_to_stage(frame, as_of="2024-06-30", median="lifelines").iloc[0]
    assert (sm.median_days, ll.median_days) == (30.0, 20.0)
    with pytest.raises(ZsAnalyticsError, match="median == 'mean'"):
        time_to_stage(frame, as_of="2024-06-30", median="mean")
