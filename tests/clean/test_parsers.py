"""Parsers: amounts, dates, periods, unit names.

Expected values come from the issue's own examples, hand arithmetic (1亿 = 10,000万), cn2an
(an independent Chinese-numeral converter) and openpyxl's Excel serial-date conversion.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import cn2an
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

from zsanalytics import ZsAnalyticsError
from zsanalytics.clean import normalize_unit, parse_amount, parse_date, parse_period
from zsanalytics.clean.periods import MonthSpan, find_period


# --- amounts -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "currency", "approx", "masked"),
    [  # the issue's examples, default unit 万元
        ("1.5亿元", 15000, "CNY", False, False),
        ("5000万元", 5000, "CNY", False, False),
        ("约8000", 8000, "CNY", True, False),
        ("３０００００", 300000, "CNY", False, False),
        ("3,500", 3500, "CNY", False, False),
        ("3254.59万美元", 3254.59, "USD", False, False),
        ("十二亿元", 120000, "CNY", False, False),
        ("1.2億元", 12000, "CNY", False, False),
        # hand arithmetic: 1 亿 = 10,000 万; 1 万 = 10,000 元; 千万 = 1,000 万
        ("150000000元", 15000, "CNY", False, False),
        ("3千万元", 3000, "CNY", False, False),
        ("8000余万元", 8000, "CNY", True, False),
        ("近1亿元", 10000, "CNY", True, False),
        ("1亿多元", 10000, "CNY", True, False),
        ("500美元", 0.05, "USD", False, False),
        ("１，２３４．５万元", 1234.5, "CNY", False, False),
        ("  2 000 ", 2000, "CNY", False, False),
        ("-200", -200, "CNY", False, False),
        ("1.5萬元", 1.5, "CNY", False, False),
    ],
)
def test_parse_amount_examples(text, value, currency, approx, masked):
    row = parse_amount([text]).iloc[0]
    assert row["value_wan"] == pytest.approx(value)
    assert row["currency"] == currency
    assert bool(row["approx"]) is approx
    assert bool(row["masked"]) is masked
    assert pd.isna(row["problem"])


@pytest.mark.parametrize(
    ("value", "problem", "masked"),
    [("xx", "masked", True), ("XX.XX亿元", "masked", True), ("约xx万元", "masked", True),
     ("—", "placeholder", False), ("/", "placeholder", False), ("无", "placeholder", False),
     ("", "empty", False), (None, "empty", False), (np.nan, "empty", False),
     ("5000-8000万元", "unparsed", False), ("待定", "unparsed", False),
     (dt.date(2024, 1, 1), "unparsed", False), (True, "unparsed", False)],
)
def test_parse_amount_missing_values_say_why(value, problem, masked):
    row = parse_amount([value]).iloc[0]
    assert np.isnan(row["value_wan"])
    assert row["problem"] == problem
    assert bool(row["masked"]) is masked


@pytest.mark.parametrize(
    "numeral", ["十二", "三千五百", "二十万零五百", "一百零五", "一万二", "两千", "五百万", "十",
                "一千零一", "两亿三千万", "九千九百九十九万"],
)
def test_chinese_numerals_agree_with_cn2an(numeral):
    expected = cn2an.cn2an(numeral, "smart") / 10_000  # cn2an gives 元; we give 万元
    assert parse_amount([numeral + "元"])["value_wan"].iloc[0] == pytest.approx(expected)


def test_money_is_conserved_across_units():
    # the same sum written four ways is the same number of 万元, exactly
    out = parse_amount(["1.5亿元", "15000万元", "150000000元", "1.5億元"])
    assert out["value_wan"].tolist() == [15000.0] * 4
    # and a bare number takes the default unit: 2.5 亿元 = 25,000 万元; 12,345 元 = 1.2345 万元
    assert parse_amount([2.5], default_unit="亿元")["value_wan"].iloc[0] == 25000.0
    assert parse_amount(["12345"], default_unit="元")["value_wan"].iloc[0] == 1.2345


def test_foreign_amounts_stay_in_dollars():
    out = parse_amount(["100万美元", "100", "1.5亿"], default_unit="万美元")
    assert out["currency"].tolist() == ["USD", "USD", "USD"]
    assert out["value_wan"].tolist() == [100.0, 100.0, 15000.0]


def test_parse_amount_accepts_series_of_any_engine_and_keeps_pandas_index():
    s = pd.Series(["1亿元", "2"], index=[10, 20])
    assert parse_amount(s).index.tolist() == [10, 20]
    assert parse_amount(pl.Series(["1亿元", None]))["value_wan"].tolist()[0] == 10000.0
    assert parse_amount(np.array([1.0, 2.0]))["value_wan"].tolist() == [1.0, 2.0]


def test_parse_amount_rejects_unknown_default_unit():
    with pytest.raises(ZsAnalyticsError, match="default_unit == '万'"):
        parse_amount(["1"], default_unit="万")


# --- dates -------------------------------------------------------------------------------
def test_parse_date_forms_from_the_issue():
    out = parse_date(["2024.3.15", "2024/05/20", "2024-6-30", "2024年5月10日", "2024年2月",
                      dt.datetime(2024, 7, 1, 15, 30), "20240315", "２０２４年３月１日"])
    assert out["date"].tolist() == [pd.Timestamp(d) for d in (
        "2024-03-15", "2024-05-20", "2024-06-30", "2024-05-10", "2024-02-01", "2024-07-01",
        "2024-03-15", "2024-03-01")]
    assert out["precision"].tolist() == ["day"] * 4 + ["month"] + ["day"] * 3
    assert out["problem"].isna().all()


@pytest.mark.parametrize("serial", [36526, 43831, 45292, 45306, 45657])
def test_excel_serials_agree_with_openpyxl(serial):
    expected = pd.Timestamp(from_excel(serial))  # openpyxl's own conversion
    assert parse_date([serial])["date"].iloc[0] == expected
    assert parse_date([str(serial)])["date"].iloc[0] == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [("未签约", "unparsed"), ("2024-02-30", "invalid_date"), ("2024年13月", "invalid_date"),
     (2024, "out_of_range"), ("", "empty"), (None, "empty"), (pd.NaT, "empty")],
)
def test_parse_date_problems(value, problem):
    row = parse_date([value]).iloc[0]
    assert pd.isna(row["date"])
    assert row["problem"] == problem


@pytest.mark.parametrize(("value", "expected"), [
    (201603, "2016-03-01"), ("201603", "2016-03-01"), (201603.0, "2016-03-01"),
    ("２０２４１２", "2024-12-01"), (198001, "1980-01-01"), (210012, "2100-12-01"),
])
def test_six_digit_year_months_are_months(value, expected):
    row = parse_date([value]).iloc[0]
    assert (row["date"], row["precision"]) == (pd.Timestamp(expected), "month")
    assert pd.isna(row["problem"]) and not row["year_supplied"]


@pytest.mark.parametrize(("value", "problem"), [
    (202413, "out_of_range"), (197912, "out_of_range"), (210101, "out_of_range"),  # serials
    ("202413", "unparsed"), ("197912", "unparsed"), (201603.5, "out_of_range"),
])
def test_six_digits_that_are_no_month_are_not_read_as_one(value, problem):
    # a six-digit number that is no yyyyMM in 1980-2100 stays an Excel serial (year 2453+)
    row = parse_date([value]).iloc[0]
    assert pd.isna(row["date"]) and row["problem"] == problem


def test_eight_digit_numbers_are_days_as_their_text_is():
    out = parse_date([20240315, "20240315", 20240230])
    assert out["date"].tolist()[:2] == [pd.Timestamp("2024-03-15")] * 2
    assert out["problem"].isna().tolist() == [True, True, False]
    assert out.loc[2, "problem"] == "invalid_date"                # no 30 February


def test_dates_without_a_year_take_the_default_year():
    values = ["3月15日", "3月15号", "3月15", "3月", "3月份", "12.31", "3.05", "2月29日", "2月30日",
              "3.1", "3/15", "2023年3月15日", "13月"]
    out = parse_date(values, default_year=2024)
    # hand: each with 2024 as its year; 2024 is a leap year (2月29日 exists, 2月30日 does not)
    assert out["date"].tolist()[:8] == [pd.Timestamp(d) for d in (
        "2024-03-15", "2024-03-15", "2024-03-15", "2024-03-01", "2024-03-01", "2024-12-31",
        "2024-03-05", "2024-02-29")]
    assert out["precision"].tolist()[:8] == ["day", "day", "day", "month", "month", "day", "day",
                                             "day"]
    assert out["year_supplied"].tolist() == [True] * 8 + [False] * 5
    assert out["problem"].iloc[8] == "invalid_date"             # no 30 February
    assert out["problem"].iloc[9] == "unparsed"                 # 3.1 may be 3.10: not guessed
    assert out["problem"].iloc[10] == "unparsed"                # 3/15 or 15/3: not guessed
    assert out.loc[11, "date"] == pd.Timestamp("2023-03-15")    # a written year wins
    assert out["problem"].iloc[12] == "invalid_date"
    assert (out["date"].notna() ^ out["problem"].notna()).all()
    # without a default year nothing is guessed
    plain = parse_date(values)
    assert plain["date"].iloc[:11].isna().all() and not plain["year_supplied"].any()
    assert set(plain["problem"].iloc[:11]) <= {"unparsed"}


def test_default_year_must_be_a_year():
    for bad in ("2024", 0, True, 2024.0):
        with pytest.raises(ZsAnalyticsError, match="default_year =="):
            parse_date(["3月"], default_year=bad)
    with pytest.raises(ZsAnalyticsError, match="date1904 =="):
        parse_date(["3月"], date1904="yes")


@pytest.mark.parametrize("serial", [0, 1, 59, 60, 30000, 43844, 45000])
def test_1904_serials_agree_with_openpyxl(serial):
    if serial == 0:  # openpyxl gives serial 0 as a time of day; day zero is 1904-01-01
        expected = pd.Timestamp("1904-01-01")
    else:
        expected = pd.Timestamp(from_excel(serial, epoch=CALENDAR_MAC_1904)).normalize()
    wide = ("1900-01-01", "2100-12-31")
    for value in (serial, str(serial) if serial >= 10000 else serial):
        got = parse_date([value], date1904=True, valid_range=wide)["date"].iloc[0]
        assert got == expected
    # the 1900 system reads the same serial 1,462 days earlier
    if serial >= 61:
        assert parse_date([serial], valid_range=wide)["date"].iloc[0] == \
            expected - pd.Timedelta(days=1462)


# --- periods -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "start", "end", "year"),
    [("1-6月", 1, 6, None), ("上半年", 1, 6, None), ("一季度", 1, 3, None),
     ("1-4月", 1, 4, None), ("截至5月底", 1, 5, None), ("元至10月", 1, 10, None),
     ("元月至10月", 1, 10, None), ("2024年1-6月", 1, 6, 2024), ("下半年", 7, 12, None),
     ("前三季度", 1, 9, None), ("第二季度", 4, 6, None), ("一至六月", 1, 6, None),
     ("十一月", 11, 11, None), ("１－６月", 1, 6, None), ("2023年", 1, 12, 2023),
     ("截止2024年9月底", 1, 9, 2024), ("前5个月", 1, 5, None)],
)
def test_parse_period(text, start, end, year):
    span = parse_period(text)
    assert (span.start, span.end, span.year, span.problem) == (start, end, year, None)


def test_parse_period_labels_and_year():
    assert parse_period("上半年").label == "1-6月"
    assert parse_period("6月").label == "6月"
    assert parse_period("一季度", year=2020).end_month == pd.Timestamp("2020-03-01")
    assert parse_period("7-3月").problem == "unparsed"
    assert find_period("2020年上半年招商引资工作总结").start == 1


# --- unit names --------------------------------------------------------------------------
def test_normalize_unit():
    out = normalize_unit(["城西镇人民政府", " 城南街道办事处", "城南 街道办", "县政府办", "　经开区",
                          "白云乡政府", None, ""], aliases={"经开区": "经济开发区"})
    assert out.tolist()[:6] == ["城西镇", "城南街道", "城南街道", "县政府办", "经济开发区", "白云乡"]
    assert out.isna().tolist()[6:] == [True, True]


# --- hostile values: each is one row with a problem, and the rest still parse -------------
# The values of issue 16's probe: a lone surrogate raised UnicodeEncodeError, 10**309 and
# "一点五" + "亿" * 39 OverflowError, bytes UnicodeDecodeError.
HOSTILE = ["\ud800", "1\udc80亿元", 10**309, -(10**309), 10**5000, "一点五" + "亿" * 39, b"\xff",
           bytearray(b"1"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), float("nan"),
           float("inf"), np.nan, pd.NA, pd.NaT, "1" * 400, "9" * 308 + "亿", dt.date(1, 1, 1),
           dt.datetime(9999, 12, 31), 1j, [1], object()]
HOSTILE_IDS = [f"{i}-{type(v).__name__}" for i, v in enumerate(HOSTILE)]  # repr(10**5000) raises


@pytest.mark.parametrize("bad", HOSTILE, ids=HOSTILE_IDS)
def test_parse_amount_reports_a_hostile_value_and_parses_the_rest(bad):
    out = parse_amount(["1亿元", bad, "约8000"])
    assert len(out) == 3
    assert out["value_wan"].tolist()[::2] == [10000.0, 8000.0]   # hand: 1亿 = 10,000万
    assert pd.isna(out.loc[1, "value_wan"]) and out.loc[1, "problem"] in ("empty", "unparsed")


@pytest.mark.parametrize("bad", HOSTILE, ids=HOSTILE_IDS)
def test_parse_date_reports_a_hostile_value_and_parses_the_rest(bad):
    out = parse_date(["2024.3.15", bad, 45306])
    assert len(out) == 3
    # openpyxl: serial 45306 is 2024-01-15
    assert out["date"].tolist()[::2] == [pd.Timestamp("2024-03-15"), pd.Timestamp("2024-01-15")]
    assert pd.isna(out.loc[1, "date"])
    assert out.loc[1, "problem"] in ("empty", "unparsed", "out_of_range")


@pytest.mark.parametrize("bad", HOSTILE, ids=HOSTILE_IDS)
def test_normalize_unit_survives_a_hostile_value(bad):
    out = normalize_unit(["城西镇人民政府", bad, "城南街道办事处"])
    assert out.tolist()[::2] == ["城西镇", "城南街道"]
    if isinstance(bad, bytes | bytearray) or (isinstance(bad, str) and "\ud800" <= min(bad) < "\ue000"):
        assert pd.isna(out.iloc[1])   # bytes of unknown encoding, a lone surrogate: not a name


def test_decimal_amounts_are_numbers():
    # a database driver hands NUMERIC amounts over as Decimal
    out = parse_amount([Decimal("1234.5"), Decimal("0.01")])
    assert out["value_wan"].tolist() == [1234.5, 0.01] and out["problem"].isna().all()
    out = parse_amount([Decimal("2.5")], default_unit="亿元")
    assert out["value_wan"].tolist() == [25000.0]              # hand: 2.5亿 = 25,000万


def test_surrogates_in_every_string_of_a_long_column():
    values = ["1亿元", "\ud800"] * 5000
    out = parse_amount(values)
    assert out["value_wan"].iloc[::2].eq(10000.0).all()
    assert out["problem"].iloc[1::2].eq("unparsed").all()


# The period finder reads workbook title cells, which hold anything. Each text below is 200,000
# characters long; before the fix "一" * 32,000 alone took 13 s (quadratic). A run of Chinese
# numerals is now tried from its first character only and never given back (see periods.py),
# so these finish in well under a second each; a return to quadratic time would take hours.
LONG = 200_000


@pytest.mark.parametrize("motif", ["一", "十一", "一二两三", "一-", "1", "1-", "元", "元月",
                                   "截至", "月", "季度", "2024年", "1至", "前", "第", "Q", "\u3000"])
def test_periods_are_found_in_linear_time(motif):
    text = (motif * (LONG // len(motif) + 1))[:LONG]
    for found in (find_period(text), parse_period(text)):
        assert isinstance(found, MonthSpan) and found.text == text


@pytest.mark.parametrize("motif", ["一", "1-", "季度", "招商引资"])
def test_a_period_after_a_long_text_is_found(motif):
    text = motif * (LONG // len(motif)) + "，1-6月"
    assert (find_period(text).start, find_period(text).end) == (1, 6)


# --- properties: no parser raises on any value; output length equals input length --------
_CHARS = st.one_of(
    st.characters(exclude_categories=()),                      # anything, controls included
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.sampled_from(list("0123456789.-—/年月日号季度至元美约余多xX点一二三五十百千万亿")),
)
hostile = st.one_of(
    st.text(_CHARS, max_size=40),
    st.none(),
    st.floats(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),       # beyond float
    st.sampled_from([10**309, "一点五" + "亿" * 39, "1" * 400, pd.NA, pd.NaT, np.nan]),
    st.binary(max_size=8),
    st.decimals(),                                                # NaN, sNaN, Infinity too
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC,
                                            dt.timezone(dt.timedelta(hours=8))])),
)
texts = st.lists(hostile, max_size=30)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_parse_amount_never_raises(values):
    out = parse_amount(values)
    assert len(out) == len(values)
    # a value is either parsed or carries a problem, never both, never neither
    assert (out["value_wan"].notna() ^ out["problem"].notna()).all()


@settings(max_examples=300, deadline=None)
@given(texts)
def test_parse_date_never_raises(values):
    out = parse_date(values)
    assert len(out) == len(values)
    assert (out["date"].notna() ^ out["problem"].notna()).all()


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_parse_period_never_raises(text):
    span = parse_period(text)
    assert span.ok == (span.start is not None)
    if span.ok:
        assert 1 <= span.start <= span.end <= 12


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_find_period_never_raises(text):
    span = find_period(text)
    assert span.ok == (span.start is not None)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_normalize_unit_never_raises(values):
    assert len(normalize_unit(values)) == len(values)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False),
       st.sampled_from(["万元", "亿元", "元", "万美元"]))
def test_amount_round_trip(value, unit):
    # what a report writes (number + unit) parses back to the same money
    text = f"{value}{unit}"
    factor = {"万元": 1, "亿元": 10_000, "元": 1e-4, "万美元": 1}[unit]
    assert parse_amount([text])["value_wan"].iloc[0] == pytest.approx(float(value) * factor,
                                                                       abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["{y}.{m}.{d}", "{y}/{m:02d}/{d:02d}", "{y}-{m}-{d}", "{y}年{m}月{d}日"]))
def test_date_round_trip(day, pattern):
    text = pattern.format(y=day.year, m=day.month, d=day.day)
    assert parse_date([text])["date"].iloc[0] == pd.Timestamp(day)
