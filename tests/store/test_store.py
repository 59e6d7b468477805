"""The store and the gate, on folders as analysts keep them.

Expected figures are the demo county's published ones (README, DOMAIN's half-year sentence:
25.27亿元, 同比下降7.2%, 35.3%) or sums by hand over the demo's canonical tables, which the
monthly workbooks are written from by a separate code path (zsanalytics._messy).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import zsanalytics as zsa
from zsanalytics.briefing import briefing_from_store, build_briefing
from zsanalytics.cli import main
from zsanalytics.datasets import monthly_file_name, write_demo_folder, write_monthly_files

HALF_YEAR = "1-6月，全县实际到位资金25.27亿元，同比下降7.2%，完成年度任务的35.3%，低于序时进度14.7个百分点。"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """The twelve demo monthly reports saved one file a month, and the ledger."""
    return write_demo_folder(tmp_path_factory.mktemp("county") / "files")


@pytest.fixture(scope="module")
def demo_store(demo_folder, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("db") / "county.duckdb"
    report = zsa.ingest(demo_folder, db=db)
    assert report.counts()["new"] == 13
    return db


def copy_folder(folder: Path, dest: Path, months=None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        if months is None or path.name in {monthly_file_name(2024, m) for m in months}:
            shutil.copy2(path, dest / path.name)
    return dest


# --- the done-when cases ---------------------------------------------------------------------

def test_twelve_monthly_files_and_the_ledger_give_the_demo_figures(demo_store, demo):
    with zsa.open_store(demo_store) as store:
        b = briefing_from_store(store, as_of="2024-06")
        funds = store.funds.df()
    assert b.sentences[0] == HALF_YEAR
    assert b.banners == []
    assert b.reconciliation.reconciled
    # every month of 2024, by unit and currency, as in the demo's own table (the report shows
    # two decimals, and the store's 市外境内 is the demo's 省外 + 省内)
    f = demo.funds[demo.funds["month"].dt.year == 2024]
    truth = f.groupby(["unit", "month", "currency"])["amount_wan"].sum()
    got = funds.groupby(["unit", "month", "currency"])["amount_wan"].sum()
    got.index = got.index.set_levels(got.index.levels[1].astype("datetime64[ns]"), level=1)
    pd.testing.assert_series_equal(got.sort_index(), truth.sort_index(), check_names=False,
                                   atol=0.011, rtol=0)


def test_only_three_reports_refuse_june_naming_march(demo_folder, tmp_path):
    folder = copy_folder(demo_folder, tmp_path / "q1", months=[1, 2, 3])
    db = tmp_path / "q1.duckdb"
    zsa.ingest(folder, db=db)
    with zsa.open_store(db) as store, pytest.raises(zsa.MonthOutOfRangeError,
                                                    match="数据只到2024年3月"):
        briefing_from_store(store, as_of="2024-06")
    # the command line says the same and exits 2
    assert main(["briefing", str(folder), "--as-of", "2024-06", "-o", str(tmp_path / "b.html"),
                 "-q"]) == 2


def test_cli_briefing_on_a_folder_reads_every_monthly_file(demo_folder, tmp_path, capsys):
    # issue 13, first case: one file was read and the headline said 5.23亿元, 7.3%
    out = tmp_path / "b.html"
    assert main(["briefing", str(demo_folder), "--as-of", "2024-06", "-o", str(out), "-q"]) == 0
    text = capsys.readouterr().out
    assert HALF_YEAR in text and "新读入13个文件" in text
    assert "实际利用外资737.64万美元" in text


def test_a_month_after_the_data_is_refused_not_zero(demo, capsys, tmp_path):
    # issue 13: --as-of 2025-01 on the demo printed 0.00亿元 and 同比下降100.0%
    assert main(["briefing", "--as-of", "2025-01", "-o", str(tmp_path / "b.html"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "没有2025年1月的数据：数据只到2024年12月" in err
    with pytest.raises(zsa.MonthOutOfRangeError, match="数据从2019年1月开始"):
        zsa.reconcile(demo.funds, as_of="2018-12")


def test_currency_written_cny_is_not_lost(demo, tmp_path):
    # issue 13: a third of the rows said `cny` and vanished (17.97亿元, 同比下降34.0%)
    funds = demo.funds.copy()
    cny = np.flatnonzero(funds["currency"] == "CNY")
    funds.loc[cny[::3], "currency"] = "cny"
    funds.loc[cny[1::3], "currency"] = "人民币"
    funds.loc[funds["currency"] == "USD", "currency"] = "US$"
    folder = tmp_path / "tables"
    folder.mkdir()
    funds.to_csv(folder / "funds.csv", index=False, encoding="utf-8-sig")
    demo.targets.to_csv(folder / "targets.csv", index=False, encoding="utf-8-sig")
    report = zsa.ingest(folder, db=tmp_path / "t.duckdb")
    assert report.counts() == {"new": 2, "changed": 0, "unchanged": 0, "removed": 0,
                               "unreadable": 0, "ignored": 0}
    with zsa.open_store(tmp_path / "t.duckdb") as store:
        assert store.funds.aggregate("count(*)").fetchall()[0][0] == len(demo.funds)
        b = briefing_from_store(store, as_of="2024-06")
    assert b.sentences[0] == HALF_YEAR
    # canonical tables carry no total of their own: the page says so
    assert "本简报的数字来自标准表，来源没有自带的合计，未能与来源合计核对。" in b.notices


def test_unknown_currency_rows_are_kept_out_and_counted(demo, tmp_path):
    funds = demo.funds[demo.funds["month"].dt.year == 2024].head(40).copy()
    funds.iloc[:3, funds.columns.get_loc("currency")] = "欧元"
    funds.iloc[3, funds.columns.get_loc("amount_wan")] = np.nan        # missing, not zero
    funds.iloc[4, funds.columns.get_loc("amount_wan")] = 52_000_000.0  # 元 written as 万元
    folder = tmp_path / "f"
    folder.mkdir()
    funds.to_csv(folder / "funds.csv", index=False)
    zsa.ingest(folder, db=tmp_path / "f.duckdb")
    with zsa.open_store(tmp_path / "f.duckdb") as store:
        issues = store.issues.df()
        kept = store.funds.aggregate("count(*)").fetchall()[0][0]
        source = store.sources.df().iloc[0]
    counts = issues.groupby(["problem", "action"]).size().to_dict()
    assert counts[("unknown_currency", "excluded")] == 3
    assert counts[("missing_amount", "excluded")] == 1
    assert counts[("absurd_amount", "kept")] == 1
    # rows in = rows kept + rows excluded with a reason; CSV lines: header is line 1
    assert kept == 36 and source["rows"] == 36 and source["excluded_rows"] == 4
    assert sorted(issues.loc[issues["action"] == "excluded", "row"]) == [2, 3, 4, 5]


def test_funds_without_currency_are_refused_unless_told(demo, tmp_path):
    # issue 13: without a currency column 万美元 were added to 元 without a word
    funds = demo.funds.drop(columns="currency")
    folder = tmp_path / "nocur"
    folder.mkdir()
    funds.to_csv(folder / "funds.csv", index=False)
    report = zsa.ingest(folder, db=tmp_path / "a.duckdb")
    assert report.counts()["unreadable"] == 1
    assert "没有币种（currency）列" in report.unreadable["reason"].iloc[0]
    cny = demo.funds[demo.funds["currency"] == "CNY"].drop(columns="currency")
    cny.to_csv(folder / "funds.csv", index=False)
    report = zsa.ingest(folder, db=tmp_path / "a.duckdb", currency="人民币")
    assert report.counts()["changed"] == 1
    with zsa.open_store(tmp_path / "a.duckdb") as store:
        assert store.con.execute("SELECT DISTINCT currency FROM funds").fetchall() == [("CNY",)]


def test_a_total_that_disagrees_stops_the_briefing(demo_folder, tmp_path, capsys):
    folder = copy_folder(demo_folder, tmp_path / "bad", months=[5, 6])
    june = folder / monthly_file_name(2024, 6)
    book = load_workbook(june)
    sheet = book.active
    assert sheet["A5"].value == "全县合计"
    printed = sheet["C5"].value
    sheet["C5"] = round(printed + 1000.0, 2)   # the report's own 1-6月累计 合计, 1000万元 off
    book.save(june)
    out = tmp_path / "b.html"
    assert main(["briefing", str(folder), "--as-of", "2024-06", "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "简报未生成：数字与来源不符" in err
    assert f"按各单位数据合计为25.27亿元（{printed:,.2f}万元）" in err
    assert f"《{june.name}》工作表“2024年1-6月”第5行“合计”为25.37亿元（{printed + 1000:,.2f}万元）" in err
    assert "相差-1,000.00万元" in err and not out.exists()
    assert main(["briefing", str(folder), "--as-of", "2024-06", "-o", str(out), "-q",
                 "--allow-mismatch"]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'class="banner"' in page and "相差-1,000.00万元" in page
    assert "警告：数字与来源不符" in capsys.readouterr().out


def test_units_that_sum_to_more_than_the_total_are_refused(demo_folder, tmp_path):
    # issue 13, second case: a 小计 read as a unit made the headline 21.93亿元 for 14.41
    folder = copy_folder(demo_folder, tmp_path / "sub", months=[6])
    june = folder / monthly_file_name(2024, 6)
    book = load_workbook(june)
    sheet = book.active
    last = max(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 2).value is not None)
    sheet.insert_rows(last + 1)
    sheet.cell(last + 1, 1, "乡镇合伙")      # a row the reader takes as a unit: any number of
    for c in range(2, 8):                     # causes; the gate must catch it whatever it is
        sheet.cell(last + 1, c, sheet.cell(5, c).value)
    book.save(june)
    zsa.ingest(folder, db=tmp_path / "s.duckdb")
    with zsa.open_store(tmp_path / "s.duckdb") as store:
        with pytest.raises(zsa.ReconciliationError, match="相差"):
            briefing_from_store(store, as_of="2024-06")


def test_a_missing_unit_is_named(demo_folder, tmp_path):
    folder = copy_folder(demo_folder, tmp_path / "gap", months=[5, 6])
    june = folder / monthly_file_name(2024, 6)
    book = load_workbook(june)
    sheet = book.active
    row = next(r for r in range(6, 30) if sheet.cell(r, 1).value.startswith("石桥镇"))
    ytd = sheet.cell(row, 3).value
    sheet.delete_rows(row)
    sheet["C5"] = round(sheet["C5"].value - ytd, 2)   # the total without it, as printed
    book.save(june)
    may = load_workbook(folder / monthly_file_name(2024, 5)).active
    ytd_may = next(may.cell(r, 3).value for r in range(6, 30)
                   if may.cell(r, 1).value.startswith("石桥镇"))
    zsa.ingest(folder, db=tmp_path / "g.duckdb")
    with zsa.open_store(tmp_path / "g.duckdb") as store:
        with pytest.raises(zsa.IncompleteMonthError, match="2024年6月缺少1个单位的数据：石桥镇"):
            briefing_from_store(store, as_of="2024-06")
        # its January-May is still in the year to date, which the June 合计 leaves out:
        # allowing the gap does not allow the mismatch it causes
        with pytest.raises(zsa.ReconciliationError, match=f"相差\\+{ytd_may:,.2f}万元"):
            briefing_from_store(store, as_of="2024-06", allow_incomplete=True)
        b = briefing_from_store(store, as_of="2024-06", allow_incomplete=True,
                                allow_mismatch=True)
    assert b.banners[1] == "数据不全：2024年6月缺少1个单位的数据：石桥镇。"
    assert b.banners[0].startswith("数字与来源不符：")
    # the command line's --allow-* reach the 通报 as well as the page
    out = tmp_path / "out"
    assert main(["briefing", str(folder), "--as-of", "2024-06", "-o", str(out / "b.html"),
                 "--docx", str(out / "b.docx"), "--allow-incomplete", "--allow-mismatch",
                 "-q"]) == 0
    assert (out / "b.html").is_file() and (out / "b.docx").is_file()


# --- ingest: unchanged, changed, removed, unreadable, revisions ------------------------------

def test_reingest_does_nothing_and_a_changed_file_replaces_its_rows(demo_folder, tmp_path):
    folder = copy_folder(demo_folder, tmp_path / "c", months=[4, 5])
    db = tmp_path / "c.duckdb"
    zsa.ingest(folder, db=db)
    with zsa.open_store(db) as store:
        before = store.funds.df()
    again = zsa.ingest(folder, db=db)
    assert again.counts()["unchanged"] == 2 and again.counts()["new"] == 0
    # the May report re-downloaded with 城关镇 corrected: the same path, new content
    may = folder / monthly_file_name(2024, 5)
    book = load_workbook(may)
    sheet = book.active
    row = next(r for r in range(6, 30) if sheet.cell(r, 1).value == "城关镇")
    old = sheet.cell(row, 3).value
    sheet.cell(row, 3, round(old + 50.0, 2))
    sheet["C5"] = round(sheet["C5"].value + 50.0, 2)
    book.save(may)
    report = zsa.ingest(folder, db=db)
    assert report.counts()["changed"] == 1 and report.counts()["unchanged"] == 1
    rev = report.revisions
    # 城关镇 and the 合计 printed with it, old and new figures, the same file
    assert sorted(rev["unit"]) == ["合计", "城关镇"] and set(rev["kind"]) == {"file_changed"}
    mine = rev[rev["unit"] == "城关镇"].iloc[0]
    assert mine["old_ytd_wan"] == pytest.approx(old)
    assert mine["new_ytd_wan"] == pytest.approx(old + 50.0)
    assert mine["old_file"] == mine["new_file"] == str(may.resolve())
    with zsa.open_store(db) as store:
        after = store.funds.df()
        assert store.con.execute("SELECT count(DISTINCT sha256) FROM sources").fetchone()[0] == 2
    assert len(after) == len(before)
    diff = after.set_index(["unit", "month", "source"])["amount_wan"] - before.set_index(
        ["unit", "month", "source"])["amount_wan"]
    # 城关镇's May increment is 50 more; nothing else moved
    assert diff[diff.abs() > 1e-9].round(2).to_dict() == {
        ("城关镇", pd.Timestamp("2024-05-01"), "市外境内"): 50.0}
    # a file taken away takes its rows with it
    may.unlink()
    report = zsa.ingest(folder, db=db)
    assert report.counts()["removed"] == 1
    with zsa.open_store(db) as store:
        months = store.con.execute("SELECT DISTINCT month(month) FROM funds ORDER BY 1").fetchall()
    assert months == [(4,)]


def test_a_later_report_wins_and_the_revision_is_recorded(demo_folder, tmp_path):
    folder = copy_folder(demo_folder, tmp_path / "r", months=[5])
    demo = zsa.load_demo()
    # the June report as the platform now has it: 城东街道's 1-5月 figure revised down by 80万元
    funds = demo.funds.copy()
    at = ((funds["unit"] == "城东街道") & (funds["month"] == "2024-05-01")
          & (funds["source"] == "省外"))
    funds.loc[at, "amount_wan"] -= 80.0
    from zsanalytics._messy import write_monthly_report_xlsx

    write_monthly_report_xlsx(funds, demo.targets, folder / "月报表（1-5月，修订）.xlsx", year=2024,
                              months=range(5, 7))
    report = zsa.ingest(folder, db=tmp_path / "r.duckdb")
    rev = report.revisions
    # 城东街道 and the 合计 printed with it
    assert rev[["unit", "year", "end_month", "kind"]].sort_values("unit").to_dict("records") == [
        {"unit": "合计", "year": 2024, "end_month": 5, "kind": "later_report"},
        {"unit": "城东街道", "year": 2024, "end_month": 5, "kind": "later_report"}]
    assert rev["change_wan"].tolist() == pytest.approx([-80.0, -80.0])
    assert Path(rev["old_file"].iloc[0]).name == monthly_file_name(2024, 5)
    assert Path(rev["new_file"].iloc[0]).name == "月报表（1-5月，修订）.xlsx"
    with zsa.open_store(tmp_path / "r.duckdb") as store:
        superseded = store.con.execute(
            "SELECT count(*) FROM reported WHERE superseded").fetchone()[0]
        may = store.con.execute("""SELECT sum(amount_wan) FROM funds WHERE month <= '2024-05-01'
                                   AND currency = 'CNY'""").fetchone()[0]
    assert superseded == 27   # every row of the older 1-5月 report: 20 units, 5 foreign, 2 合计
    truth = funds[(funds["month"].dt.year == 2024) & (funds["month"].dt.month <= 5)
                  & (funds["currency"] == "CNY")]["amount_wan"].sum()
    assert may == pytest.approx(truth, abs=0.05)
    with zsa.open_store(tmp_path / "r.duckdb") as store:
        b = briefing_from_store(store, as_of="2024-06")
    old, new = rev.loc[rev["unit"] == "城东街道", ["old_ytd_wan", "new_ytd_wan"]].iloc[0]
    assert (f"修订：城东街道（市外境内）2024年1-5月累计由{old:,.2f}改为{new:,.2f}"
            f"（《{monthly_file_name(2024, 5)}》→《月报表（1-5月，修订）.xlsx》）。") in b.notices


def test_unreadable_files_are_listed_and_the_rest_is_read(demo_folder, tmp_path, capsys):
    folder = copy_folder(demo_folder, tmp_path / "u", months=[1])
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook at all")
    (folder / "说明.docx").write_bytes(b"PK")
    (folder / "~$招商引资月报表.xlsx").write_bytes(b"lock")
    pd.DataFrame({"a": [1], "b": [2]}).to_csv(folder / "其他.csv", index=False)
    (folder / ".git" / "objects").mkdir(parents=True)
    for name in ("a.csv", "b.xlsx"):
        (folder / ".git" / "objects" / name).write_bytes(b"x")
    db = tmp_path / "u.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "-q"]) == 1
    text = capsys.readouterr().out
    assert "新读入1个文件" in text and "无法读取2个" in text and "未读取3个" in text
    assert "隐藏文件夹（其中2个文件），未读取" in text
    assert "无法读取：" in text and "坏文件.xlsx" in text and "其他.csv" in text
    assert "看不出是哪张表" in text
    assert "临时文件" in text and "不是表格文件（.docx）" in text
    with zsa.open_store(db) as store:
        sources = store.sources.df()
    assert set(sources["status"]) == {"read", "unreadable", "ignored"}
    assert sources["reason"][sources["status"] != "read"].notna().all()


def test_every_row_keeps_its_provenance(demo_store):
    with zsa.open_store(demo_store) as store:
        for table in ("projects", "funds", "targets"):
            missing = store.con.execute(
                f"SELECT count(*) FROM {table} WHERE source_file IS NULL OR row IS NULL").fetchone()
            assert missing[0] == 0, table
        # a funds row points at the report row that printed its cumulative figure
        row = store.con.execute("""SELECT f.amount_wan, r.ytd_wan, r.this_month_wan FROM funds f
            JOIN reported r USING (source_file, sheet, row, source)
            WHERE f.unit = '城西镇' AND f.month = '2024-06-01' AND f.currency = 'CNY'""").fetchall()
    assert len(row) == 1 and row[0][0] == pytest.approx(row[0][2])


def test_status_reports_coverage(demo_folder, tmp_path, capsys):
    folder = copy_folder(demo_folder, tmp_path / "s", months=[1, 2, 3, 6])
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "-q"]) == 0
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "2024年：1-3月、6月有数据（月报表），20个单位" in text
    assert "数据范围：2024-01 至 2024-06；最后一个完整的月份：2024-06" in text
    assert "2024年4月：没有数据" in text and "2024年5月：没有数据" in text
    with zsa.open_store(db) as store:
        b = briefing_from_store(store, as_of="2024-06")
    # the year to date stands (the June report's own 合计); the page says April-May are lumped
    assert b.sentences[0] == HALF_YEAR
    assert any("2024年4-5月没有月报" in n for n in b.notices)


def test_reconcile_for_notebooks(demo_store):
    with zsa.open_store(demo_store) as store:
        check = zsa.reconcile(store, as_of="2024-06")
    assert check.ok and check.reconciled
    assert check.checks[["figure", "ok"]].values.tolist() == [["实际到位资金", True],
                                                             ["实际利用外资", True]]
    # 252,667.54万元 and 737.64万美元: the demo's 1-6月 by hand (see test_briefing)
    assert check.checks["source_wan"].round(2).tolist() == [252667.54, 737.64]
    assert check.last_year == {"CNY": "report", "USD": "report"}


def test_open_store_refuses_a_missing_file(tmp_path):
    with pytest.raises(zsa.ZsAnalyticsError, match="先用 zsa ingest"):
        zsa.open_store(tmp_path / "none.duckdb")


# --- a crash half-way ------------------------------------------------------------------------

CRASH = r"""
import sys, time
from pathlib import Path
import zsanalytics.store as store

real = store._insert
def slow(con, name, frame):
    real(con, name, frame)
    if name == "reported":        # some of the new rows are in, the transaction is open
        Path(sys.argv[3]).touch()
        time.sleep(60)
store._insert = slow
store.ingest(sys.argv[1], db=sys.argv[2])
"""


def test_killing_ingest_half_way_leaves_the_store_whole(demo_folder, tmp_path):
    folder = copy_folder(demo_folder, tmp_path / "k", months=[1, 2])
    db = tmp_path / "k.duckdb"
    zsa.ingest(folder, db=db)
    with zsa.open_store(db) as store:
        before = {t: store.df(t) for t in ("funds", "reported", "sources", "targets")}
    for m in (3, 4, 5):
        shutil.copy2(demo_folder / monthly_file_name(2024, m), folder)
    flag = tmp_path / "inside"
    proc = subprocess.Popen([sys.executable, "-c", CRASH, str(folder), str(db), str(flag)])
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert proc.poll() is None, "ingest ended before the transaction was open"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    with zsa.open_store(db) as store:
        for name, frame in before.items():
            pd.testing.assert_frame_equal(store.df(name), frame)
    # and the next ingest finishes the job
    report = zsa.ingest(folder, db=db)
    assert report.counts()["new"] == 3 and report.counts()["unchanged"] == 2
    with zsa.open_store(db) as store:
        assert store.last_month() == "2024-05"


def test_a_store_is_not_any_duckdb_file(tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE x (a INT)")
    with pytest.raises(zsa.ZsAnalyticsError, match="不是 zsanalytics 的库"):
        zsa.ingest(tmp_path, db=other)


def test_demo_command_writes_a_store_the_briefing_accepts(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path), "--as-of", "2024-06"]) == 0
    db = tmp_path / "county.duckdb"
    assert db.is_file() and f"zsa briefing --db {db}" in capsys.readouterr().out
    out = tmp_path / "b.html"
    assert main(["briefing", "--db", str(db), "--as-of", "2024-06", "-o", str(out), "-q"]) == 0
    assert HALF_YEAR in capsys.readouterr().out


def test_write_monthly_files_names_them_as_the_platform_does(tmp_path):
    paths = write_monthly_files(zsa.load_demo(), tmp_path, months=[1, 6])
    assert [p.name for p in paths] == ["招商引资月报表（2024年1月）.xlsx",
                                       "招商引资月报表（2024年1-6月）.xlsx"]


def test_build_briefing_without_reported_says_it_could_not_reconcile(demo):
    b = build_briefing(None, demo.funds, demo.targets, as_of="2024-06")
    assert b.notices[0] == "本简报的数字来自标准表，来源没有自带的合计，未能与来源合计核对。"


def test_reports_and_a_funds_table_for_the_same_year_are_not_added_up(demo, demo_folder, tmp_path):
    folder = copy_folder(demo_folder, tmp_path / "both", months=[6])
    demo.funds.to_csv(folder / "funds.csv", index=False)
    zsa.ingest(folder, db=tmp_path / "both.duckdb")
    with zsa.open_store(tmp_path / "both.duckdb") as store:
        with pytest.raises(zsa.ReconciliationError, match="既来自月报表又来自资金表"):
            briefing_from_store(store, as_of="2024-06")


def test_a_month_between_reports_is_refused_outright(demo_folder, tmp_path):
    # 1-3月 and 1-6月 only: May's year to date is not known, whatever is allowed
    folder = copy_folder(demo_folder, tmp_path / "between", months=[3, 6])
    zsa.ingest(folder, db=tmp_path / "between.duckdb")
    with zsa.open_store(tmp_path / "between.duckdb") as store:
        with pytest.raises(zsa.MonthOutOfRangeError,
                           match="没有2024年5月的月报：数据中2024年的月报只有1-3月、1-6月"):
            briefing_from_store(store, as_of="2024-05", allow_incomplete=True,
                                allow_mismatch=True)


def test_an_unreadable_file_is_listed_again_and_read_once_it_can_be(demo, tmp_path):
    folder = tmp_path / "again"
    folder.mkdir()
    demo.funds[demo.funds["currency"] == "CNY"].drop(columns="currency").to_csv(
        folder / "funds.csv", index=False)
    db = tmp_path / "again.duckdb"
    assert zsa.ingest(folder, db=db).counts()["unreadable"] == 1
    assert zsa.ingest(folder, db=db).counts()["unreadable"] == 1     # said again, not "unchanged"
    # the same file, now that its currency is given
    assert zsa.ingest(folder, db=db, currency="CNY").counts()["changed"] == 1
    assert zsa.ingest(folder, db=db, currency="CNY").counts()["unchanged"] == 1


def test_workers_read_what_this_process_would(demo_folder, tmp_path, monkeypatch):
    # read with worker processes, alone, and with workers that cannot start (their files are
    # then read here): the same tables
    import zsanalytics.store as store_module

    assert len(list(demo_folder.iterdir())) >= store_module.PARALLEL_FROM

    def tables(db):
        with zsa.open_store(db) as store:
            return {t: store.con.execute(f"SELECT * EXCLUDE (source_file) FROM {t} ORDER BY ALL")
                    .df() for t in ("funds", "targets", "projects", "reported")}

    monkeypatch.setattr(store_module, "PARALLEL_CORES", 1)   # workers even on two cores
    zsa.ingest(demo_folder, db=tmp_path / "workers.duckdb")
    want = tables(tmp_path / "workers.duckdb")
    monkeypatch.setattr(store_module, "PARALLEL_FROM", 10**6)
    zsa.ingest(demo_folder, db=tmp_path / "serial.duckdb")
    monkeypatch.setattr(store_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(sys, "executable", shutil.which("false") or "/bin/false")
    report = zsa.ingest(demo_folder, db=tmp_path / "broken.duckdb")
    assert report.counts()["new"] == 13
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert zsa.ingest(demo_folder, db=tmp_path / "none.duckdb").counts()["new"] == 13
    for db in ("serial.duckdb", "broken.duckdb", "none.duckdb"):
        got = tables(tmp_path / db)
        for name, frame in want.items():
            pd.testing.assert_frame_equal(got[name], frame, check_dtype=False)


def test_two_ledgers_of_the_same_projects_are_not_added_up(demo_folder, demo, tmp_path):
    # last month's ledger left in the folder beside this month's: the same 420 projects
    folder = copy_folder(demo_folder, tmp_path / "ledgers", months=[6])
    shutil.copy2(demo_folder / "项目台账.xlsx", folder / "项目台账.xlsx")
    shutil.copy2(demo_folder / "项目台账.xlsx", folder / "项目台账（上月）.xlsx")
    os.utime(folder / "项目台账（上月）.xlsx", (time.time() - 86400 * 30,) * 2)
    zsa.ingest(folder, db=tmp_path / "l.duckdb")
    with zsa.open_store(tmp_path / "l.duckdb") as store:
        projects = store.projects.df()
        rows = store.con.execute("SELECT count(*) FROM projects_rows").fetchone()[0]
        dropped = store.con.execute("""SELECT count(*), any_value(message) FROM issues
            WHERE problem = 'superseded_by_later_ledger'""").fetchone()
    # the reader keeps the ledger's two repeated rows (flagged): 422 rows from one ledger
    assert len(projects) == 422 and rows == 2 * 422
    assert set(Path(p).name for p in projects["source_file"]) == {"项目台账.xlsx"}
    assert dropped[0] == 422 and "《项目台账.xlsx》" in dropped[1]
    rates = zsa.conversion(projects, as_of="2024-06-30")
    assert int(rates["signed"].iloc[0]) == int(zsa.conversion(
        demo.projects, as_of="2024-06-30")["signed"].iloc[0])


def write_whole_and_part(path: Path) -> Path:
    """A report that gives 实际到位资金 and, beside it, its part 省外境内资金 (as 目标进度
    汇总表 and many bulletins do). Figures by hand: the whole 1-6月 is 500 + 300 + 200 = 1000
    万元, of which 省外境内 300 + 100 + 50 = 450."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "2024年1-6月"
    sheet["A1"] = "某县2024年1-6月招商引资完成情况表"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "单位"
    sheet.merge_cells("A2:A3")
    for c0, label in ((2, "实际到位资金（万元）"), (5, "省外境内资金（万元）")):
        sheet.cell(2, c0, label)
        sheet.merge_cells(start_row=2, start_column=c0, end_row=2, end_column=c0 + 2)
        for k, m in enumerate(["1-6月累计", "上年同期", "年度任务"]):
            sheet.cell(3, c0 + k, m)
    rows = [["合计", 1000.0, 800.0, 2000.0, 450.0, 400.0, 900.0],
            ["甲镇", 500.0, 400.0, 1000.0, 300.0, 250.0, 500.0],
            ["乙镇", 300.0, 250.0, 600.0, 100.0, 100.0, 250.0],
            ["丙乡", 200.0, 150.0, 400.0, 50.0, 50.0, 150.0]]
    for i, cells in enumerate(rows, start=4):
        for j, v in enumerate(cells, start=1):
            sheet.cell(i, j, v)
    book.save(path)
    return path


def test_a_whole_and_its_part_are_not_added_up(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    write_whole_and_part(folder / "完成情况（2024年1-6月）.xlsx")
    zsa.ingest(folder, db=tmp_path / "p.duckdb")
    with zsa.open_store(tmp_path / "p.duckdb") as store:
        b = briefing_from_store(store, as_of="2024-06")
        parts = store.con.execute(
            "SELECT count(*) FROM issues WHERE problem = 'part_of_whole'").fetchone()[0]
    # 1000万元 = 0.10亿元, 同比 1000/800 − 1 = 25.0%, completion 1000/2000 = 50.0% (by hand);
    # adding the part would have said 0.15亿元
    assert b.sentences[0].startswith("1-6月，全县实际到位资金0.10亿元，同比增长25.0%，完成年度任务的50.0%")
    # the part's three units and its own 合计 row are kept out of funds, each listed
    assert b.reconciliation.reconciled and parts == 4


def write_this_month_only(folder: Path, months) -> None:
    """Reports that print 本月 only, one file a month: 甲镇 10 × m, 乙镇 20 × m, 丙乡 30 × m
    万元 in month m, and their 合计 60 × m."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    for m in months:
        book = Workbook()
        sheet = book.active
        sheet.title = f"{m}月"
        sheet["A1"] = f"某县2024年{m}月招商引资实际到位资金情况表"
        sheet["A2"], sheet["B2"] = "单位", "本月（万元）"
        for i, (unit, value) in enumerate(
                [("合计", 60.0 * m), ("甲镇", 10.0 * m), ("乙镇", 20.0 * m), ("丙乡", 30.0 * m)],
                start=3):
            sheet.cell(i, 1, unit)
            sheet.cell(i, 2, value)
        book.save(folder / f"到位资金（2024年{m}月）.xlsx")


def test_reports_of_this_month_only_add_up_and_a_missing_month_stops_them(tmp_path):
    folder = tmp_path / "benyue"
    write_this_month_only(folder, [1, 2, 3])
    db = tmp_path / "b.duckdb"
    zsa.ingest(folder, db=db)
    with zsa.open_store(db) as store:
        b = briefing_from_store(store, as_of="2024-03")
    # by hand: 60 + 120 + 180 = 360万元 = 0.04亿元, the sum of the three printed 合计
    assert b.reconciliation.checks["source_wan"].tolist() == [360.0]
    assert b.sentences[0].startswith("1-3月，全县实际到位资金0.04亿元")
    assert any("1-3月各月报表“合计”行的本月数之和" in n for n in b.notices)
    (folder / "到位资金（2024年2月）.xlsx").unlink()
    zsa.ingest(folder, db=db)
    with zsa.open_store(db) as store:
        unfilled = store.con.execute(
            "SELECT count(*) FROM issues WHERE problem = 'no_year_to_date'").fetchone()[0]
        # March's 本月 without February's cannot give 1-3月: refused, not 0.04 nor 0.03亿元
        with pytest.raises(zsa.MonthOutOfRangeError, match="数据只到2024年1月"):
            briefing_from_store(store, as_of="2024-03")
    assert unfilled == 4   # March's three units and its 合计


def test_reconcile_names_a_unit_whose_year_to_date_differs_from_its_report():
    # by hand: 甲镇 has 100 + 50 = 150万元 in the data through February, its report prints 160;
    # 乙镇 agrees (70); the printed 合计 230 equals neither 220 nor a unit's figure
    funds = pd.DataFrame({"unit": ["甲镇", "甲镇", "乙镇"], "source": "合计", "currency": "CNY",
                          "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-01"]),
                          "amount_wan": [100.0, 50.0, 70.0]})
    reported = pd.DataFrame({"unit": ["合计", "甲镇", "乙镇"], "source": "合计", "currency": "CNY",
                             "year": 2024, "end_month": 2, "ytd_wan": [230.0, 160.0, 70.0],
                             "prior_ytd_wan": np.nan, "is_total": [True, False, False],
                             "sheet": "1-2月", "row": [4, 5, 6], "source_file": "r.xlsx"})
    check = zsa.reconcile(funds, as_of="2024-02", reported=reported)
    assert check.mismatches[1] == "甲镇2024年1-2月累计：数据中为150.00万元，《r.xlsx》第5行为160.00万元。"
    assert len(check.mismatches) == 2 and "相差-10.00万元" in check.mismatches[0]


def write_bulletin(path: Path) -> Path:
    """A 通报 as counties print it: 全县合计 first, then sections with a 小计 each. By hand:
    units 5200 + 3100 + 1800 + 2500 + 1810 = 14410万元 (1.44亿元); the 小计 rows 10100 and 4310
    add up to the same, so counting them as units would say 2.88亿元."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "1-6月"
    sheet["A1"] = "关于2024年1-6月全县招商引资工作情况的通报"
    sheet.append(["单位", "1-6月累计(万元)", "上年同期(万元)", "年度任务(万元)"])
    for cells in (["全县合计", 14410.0, 12000.0, 30000.0],
                  ["一、乡镇（街道）", None, None, None],
                  ["甲镇", 5200.0, 4000.0, 10000.0], ["乙镇", 3100.0, 3000.0, 6000.0],
                  ["丙街道", 1800.0, 1500.0, 4000.0], ["小计", 10100.0, 8500.0, 20000.0],
                  ["二、县直单位", None, None, None],
                  ["县商务局", 2500.0, 2000.0, 6000.0], ["县发改局", 1810.0, 1500.0, 4000.0],
                  ["小计", 4310.0, 3500.0, 10000.0]):
        sheet.append(cells)
    book.save(path)
    return path


def test_a_bulletins_subtotals_are_not_units(tmp_path):
    # issue 13, second case: a 小计 ranked 第1位 and the headline 21.93亿元 for 14.41
    folder = tmp_path / "bulletin"
    folder.mkdir()
    write_bulletin(folder / "通报（2024年1-6月）.xlsx")
    zsa.ingest(folder, db=tmp_path / "t.duckdb")
    with zsa.open_store(tmp_path / "t.duckdb") as store:
        b = briefing_from_store(store, as_of="2024-06")
    # 14410 / 12000 − 1 = 20.1%; 14410 / 30000 = 48.0% (by hand)
    assert b.sentences[0].startswith("1-6月，全县实际到位资金1.44亿元，同比增长20.1%，完成年度任务的48.0%")
    assert b.reconciliation.reconciled
    assert sorted(b.tables["各单位完成情况"]["单位"]) == sorted(
        ["甲镇", "乙镇", "丙街道", "县商务局", "县发改局"])


def test_a_reader_that_took_subtotals_for_units_would_be_stopped(tmp_path, monkeypatch):
    # the gate does not trust the reader: make it count the 小计 rows as units, as the reader
    # of issue 13 did, and the briefing stops with both figures (2.88 against 1.44亿元)
    import zsanalytics.clean as clean

    real = clean.read_monthly_report

    def naive(path, **kwargs):
        result = real(path, **kwargs)
        subs = result.subtotals.assign(unit="小计", is_total=False)
        result.tables["reported"] = pd.concat([result.reported, subs], ignore_index=True)
        return result

    monkeypatch.setattr(clean, "read_monthly_report", naive)
    folder = tmp_path / "naive"
    folder.mkdir()
    write_bulletin(folder / "通报（2024年1-6月）.xlsx")
    zsa.ingest(folder, db=tmp_path / "n.duckdb")
    with zsa.open_store(tmp_path / "n.duckdb") as store:
        # the two 小计 rows have one name: the second is used and the first listed as
        # repeated; 14410 + 4310 = 18720万元 against the printed 14410
        with pytest.raises(zsa.ReconciliationError,
                           match=r"按各单位数据合计为1\.87亿元（18,720\.00万元）.*“合计”为1\.44亿元"):
            briefing_from_store(store, as_of="2024-06")
        repeated = store.con.execute("""SELECT row, message FROM issues
                                        WHERE problem = 'repeated_in_sheet'""").fetchall()
        assert store.con.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    assert [r for r, _ in repeated] == [8] and "用了第12行" in repeated[0][1]
