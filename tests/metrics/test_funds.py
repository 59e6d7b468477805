"""funds_in_place and to_cny on every engine.

Expected values: the worked example of DOMAIN.md (a published half-year report: 省外 3.75亿元
down 3.4%, 省内 6.61亿元 up 154.2%, together 10.36亿元 up 59.8%), hand sums written beside
small tables, and plain-pandas group-bys on the demo county.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

from zsanalytics import ColumnNotFoundError, ZsAnalyticsError, funds_in_place, load_demo, to_cny


def _funds(rows):
    frame = pd.DataFrame(rows, columns=["unit", "month", "source", "currency", "amount_wan"])
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


@pytest.fixture
def worked_example():
    """1-6月 2020 and 1-6月 2019 of the county in DOMAIN.md. Last year's amounts are the
    report's implied values: 37,500 ÷ (1 − 0.034) and 66,100 ÷ (1 + 1.542)."""
    return _funds([
        ("全县", "2019-03-01", "省外", "CNY", 37500 / 0.966),
        ("全县", "2019-05-01", "省内", "CNY", 66100 / 2.542),
        ("全县", "2019-09-01", "省内", "CNY", 99999.0),      # after June: not in the span
        ("全县", "2020-02-01", "省外", "CNY", 20000.0),
        ("全县", "2020-06-01", "省外", "CNY", 17500.0),      # 省外 3.75亿元
        ("全县", "2020-04-01", "省内", "CNY", 66100.0),      # 省内 6.61亿元
        ("全县", "2020-07-01", "省内", "CNY", 50000.0),      # after June
        ("全县", "2020-05-01", "境外", "USD", 800.0),         # 万美元: never added
    ])


def test_worked_example_by_source(engine, worked_example):
    out = engine.back(funds_in_place(engine(worked_example), as_of="2020-06", by=("source",),
                                     totals=True))
    got = out.set_index("source")
    # published: 省外 3.75亿元 −3.4%, 省内 6.61亿元 +154.2%, total 10.36亿元 +59.8%
    assert list(got.index) == ["省内", "省外", "合计"]
    assert got.loc["省外", "ytd_wan"] == pytest.approx(37500)
    assert got.loc["省内", "ytd_wan"] == pytest.approx(66100)
    assert got.loc["合计", "ytd_wan"] == pytest.approx(103600)
    assert round(got.loc["省外", "yoy_pct"], 1) == -3.4
    assert round(got.loc["省内", "yoy_pct"], 1) == 154.2
    assert round(got.loc["合计", "yoy_pct"], 1) == 59.8
    # the implied last-year total of DOMAIN.md: 10.36 ÷ 1.598 ≈ 6.48亿元
    assert round(got.loc["合计", "last_ytd_wan"] / 1e4, 2) == 6.48
    assert got["year"].tolist() == [2020] * 3 and got["through_month"].tolist() == [6] * 3
    assert got.loc["合计", "change_wan"] == pytest.approx(103600 - 37500 / 0.966 - 66100 / 2.542)


def test_county_total_without_groups(engine, worked_example):
    out = engine.back(funds_in_place(engine(worked_example), as_of="2020-06", by=()))
    assert len(out) == 1
    assert out.loc[0, "ytd_wan"] == pytest.approx(103600)
    assert round(out.loc[0, "yoy_pct"], 1) == 59.8


def test_foreign_funds_stay_in_usd(engine, worked_example):
    out = engine.back(funds_in_place(engine(worked_example), as_of="2020-06", by=(),
                                     currency="USD"))
    assert "ytd_usd_wan" in out.columns and "ytd_wan" not in out.columns
    assert out.loc[0, "ytd_usd_wan"] == 800.0                     # hand: the one USD row
    assert out.loc[0, "last_ytd_usd_wan"] == 0.0
    assert out.loc[0, "yoy_note"] == "新增"


def test_zero_and_negative_bases_give_a_note_not_inf(engine):
    frame = _funds([
        ("新增镇", "2024-02-01", "省外", "CNY", 500.0),          # nothing last year → 新增
        ("空白乡", "2023-02-01", "省外", "CNY", 0.0),            # nothing either year → 无实绩
        ("空白乡", "2024-02-01", "省外", "CNY", 0.0),
        ("负基乡", "2023-01-01", "省外", "CNY", 300.0),           # last year nets to −100
        ("负基乡", "2023-04-01", "省外", "CNY", -400.0),
        ("负基乡", "2024-04-01", "省外", "CNY", 200.0),
        ("冲减镇", "2024-03-01", "省外", "CNY", -50.0),           # a net correction only
        ("下降镇", "2023-01-01", "省外", "CNY", 1000.0),          # 1000 → 250: −75%
        ("下降镇", "2024-01-01", "省外", "CNY", 250.0),
        ("往年镇", "2023-05-01", "省内", "CNY", 80.0),            # nothing this year: −100%
    ])
    out = engine.back(funds_in_place(engine(frame), as_of="2024-06")).set_index("unit")
    assert not np.isinf(out["yoy_pct"].astype(float)).any()
    notes = {k: (None if pd.isna(v) else v) for k, v in out["yoy_note"].items()}
    assert notes == {"下降镇": None, "冲减镇": "上年同期为零", "往年镇": None, "新增镇": "新增",
                     "空白乡": "无实绩", "负基乡": "上年同期为负"}
    assert pd.isna(out.loc["新增镇", "yoy_pct"]) and pd.isna(out.loc["负基乡", "yoy_pct"])
    assert out.loc["下降镇", "yoy_pct"] == pytest.approx(-75.0)    # hand: 250/1000 − 1
    assert out.loc["往年镇", "yoy_pct"] == pytest.approx(-100.0)
    assert out.loc["负基乡", "last_ytd_wan"] == pytest.approx(-100.0)


def test_demo_county_matches_a_plain_pandas_groupby(engine):
    funds = load_demo().funds
    out = engine.back(funds_in_place(engine(funds), as_of="2024-09", by=("unit", "source")))
    # independent: pandas group-by on year and month numbers
    f = funds[(funds["currency"] == "CNY") & (funds["month"].dt.month <= 9)]
    cur = f[f["month"].dt.year == 2024].groupby(["unit", "source"])["amount_wan"].sum()
    prev = f[f["month"].dt.year == 2023].groupby(["unit", "source"])["amount_wan"].sum()
    got = out.set_index(["unit", "source"])
    assert len(got) == len(cur) == 40                       # 20 units × 省外/省内
    np.testing.assert_allclose(got["ytd_wan"].sort_index(), cur.sort_index(), rtol=1e-12)
    np.testing.assert_allclose(got["last_ytd_wan"].sort_index(), prev.sort_index(), rtol=1e-12)
    expected = (cur / prev - 1) * 100
    ok = prev > 0
    np.testing.assert_allclose(got["yoy_pct"].sort_index()[ok.sort_index()],
                               expected[ok].sort_index(), rtol=1e-9)


def test_date_columns_work_as_well_as_datetimes(worked_example):
    as_date = pl.from_pandas(worked_example).with_columns(pl.col("month").dt.date())
    rel = duckdb.from_arrow(as_date.to_arrow())
    for native in (as_date, as_date.lazy(), rel):
        out = funds_in_place(native, as_of="2020-06", by=())
        frame = out.collect() if isinstance(out, pl.LazyFrame) else out
        value = frame.df() if isinstance(frame, duckdb.DuckDBPyRelation) else frame.to_pandas()
        assert value.loc[0, "ytd_wan"] == pytest.approx(103600)


def test_months_with_a_time_zone_are_months_of_that_zone(worked_example):
    # 2020-07-01 00:00 in Shanghai is 2020-06-30 16:00 UTC: still July, so not in 1-6月;
    # the published totals (10.36亿元, +59.8%) must not move
    aware = worked_example.assign(month=worked_example["month"].dt.tz_localize("Asia/Shanghai"))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    rel = con.from_arrow(pl.from_pandas(aware).to_arrow())
    for native in (aware, pl.from_pandas(aware), pl.from_pandas(aware).lazy(), rel):
        out = funds_in_place(native, as_of="2020-06", by=())
        frame = out.collect() if isinstance(out, pl.LazyFrame) else out
        value = (frame.df() if isinstance(frame, duckdb.DuckDBPyRelation)
                 else frame if isinstance(frame, pd.DataFrame) else frame.to_pandas())
        assert value.loc[0, "ytd_wan"] == pytest.approx(103600), type(native)
        assert round(value.loc[0, "yoy_pct"], 1) == 59.8


def test_input_is_not_mutated(worked_example):
    before = worked_example.copy()
    funds_in_place(worked_example, as_of="2020-06", totals=True)
    pd.testing.assert_frame_equal(worked_example, before)


def test_clear_errors(worked_example):
    with pytest.raises(ColumnNotFoundError, match="是否应为"):
        funds_in_place(worked_example.rename(columns={"unit": "units"}), as_of="2020-06")
    with pytest.raises(ZsAnalyticsError, match=r"funds\.month 的类型为 .*应为日期"):
        funds_in_place(worked_example.assign(month="2020-06"), as_of="2020-06")
    with pytest.raises(ZsAnalyticsError, match=r"amount_wan 的类型为 .*应为数值"):
        funds_in_place(worked_example.assign(amount_wan="1.5亿"), as_of="2020-06")
    with pytest.raises(ZsAnalyticsError, match="as_of == '2020-13'"):
        funds_in_place(worked_example, as_of="2020-13")
    with pytest.raises(ZsAnalyticsError, match="应为数据表"):
        funds_in_place([1, 2, 3], as_of="2020-06")


# --- to_cny -------------------------------------------------------------------------------

@pytest.fixture
def mixed():
    return _funds([
        ("经济开发区", "2023-11-01", "境外", "USD", 100.0),
        ("经济开发区", "2024-01-01", "境外", "USD", 200.0),
        ("经济开发区", "2024-02-01", "境外", "USD", 50.0),
        ("经济开发区", "2024-01-01", "省外", "CNY", 1000.0),
        ("高新产业园", "2024-02-01", "境外", "HKD", 1000.0),
    ])


def test_to_cny_with_one_rate_per_currency(engine, mixed):
    out = engine.back(to_cny(engine(mixed), {"USD": 7.1, "HKD": 0.92}))
    out = out.sort_values(["unit", "month", "source"]).reset_index(drop=True)
    assert (out["currency"] == "CNY").all() and len(out) == len(mixed)
    # hand: 100 × 7.1, 200 × 7.1, 1000 × 1, 50 × 7.1, 1000 × 0.92
    assert out["amount_wan"].tolist() == pytest.approx([710.0, 1420.0, 1000.0, 355.0, 920.0])
    assert out["original_currency"].tolist() == ["USD", "USD", "CNY", "USD", "HKD"]
    # money is conserved: every converted amount ÷ its rate gives the original back
    np.testing.assert_allclose(out["amount_wan"] / out["fx_rate"], out["original_amount_wan"])


def test_to_cny_with_rates_by_year_and_by_month(engine, mixed):
    usd = mixed[mixed["currency"] == "USD"]
    by_year = pd.DataFrame({"currency": ["USD", "USD"], "year": [2023, 2024], "fx_rate": [7.05, 7.12]})
    out = engine.back(to_cny(engine(usd), engine(by_year))).sort_values("month")
    assert out["amount_wan"].tolist() == pytest.approx([705.0, 1424.0, 356.0])   # hand
    by_month = pd.DataFrame({"currency": "USD", "month": pd.to_datetime(["2023-11-01", "2024-01-01",
                                                                         "2024-02-01"]),
                             "fx_rate": [7.0, 7.2, 7.3]})
    out = engine.back(to_cny(engine(usd), by_month)).sort_values("month")
    assert out["amount_wan"].tolist() == pytest.approx([700.0, 1440.0, 365.0])   # hand


def test_to_cny_never_converts_silently(engine, mixed):
    with pytest.raises(ZsAnalyticsError, match="1 行没有汇率：currency=HKD"):
        to_cny(engine(mixed), {"USD": 7.1})
    by_year = pd.DataFrame({"currency": ["USD"], "year": [2024], "fx_rate": [7.12]})
    with pytest.raises(ZsAnalyticsError, match="1 行没有汇率：currency=USD, year=2023"):
        to_cny(engine(mixed[mixed["currency"] == "USD"]), by_year)
    with pytest.raises(ZsAnalyticsError, match="不是正数"):
        to_cny(engine(mixed), {"USD": 0.0, "HKD": 0.9})
    with pytest.raises(ZsAnalyticsError, match="fx 是 float：应为字典"):
        to_cny(mixed, 7.1)


def test_foreign_funds_are_not_counted_in_yuan_until_converted(mixed):
    before = funds_in_place(mixed, as_of="2024-02", by=())
    assert before.loc[0, "ytd_wan"] == 1000.0                    # the one CNY row
    after = funds_in_place(to_cny(mixed, {"USD": 7.1, "HKD": 0.92}), as_of="2024-02", by=())
    assert after.loc[0, "ytd_wan"] == pytest.approx(1000 + 250 * 7.1 + 920)


@pytest.mark.parametrize("lazy", [False, True], ids=["polars", "polars_lazy"])
def test_to_cny_keeps_the_input_row_order(lazy):
    # thousands of rows: lazy polars reordered the joined rows unless the order is asked for
    demo = load_demo()
    funds = pd.concat([demo.funds] * 30, ignore_index=True)
    funds["amount_wan"] = np.arange(len(funds), dtype=float)  # each row's position
    rates = pd.DataFrame({"currency": "USD", "year": range(2019, 2025), "fx_rate": 7.1})
    native = pl.from_pandas(funds)
    for fx in ({"USD": 7.1}, rates):
        out = to_cny(native.lazy() if lazy else native, fx)
        out = out.collect() if lazy else out
        assert out["original_amount_wan"].to_list() == funds["amount_wan"].tolist()
