"""The demo county, the round trip through its messy workbooks, the schema and the CLI.

The messy workbooks are written from the canonical tables by zsanalytics._messy and read back
by the readers: two independent code paths, so agreement is evidence, and the truth is the
generator's own table.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

from zsanalytics import ColumnNotFoundError, read_ledger, read_monthly_report, validate
from zsanalytics._export import neutralise_formulas, write_table
from zsanalytics.cli import main
from zsanalytics.datasets import generate_demo, raw_path
from zsanalytics.schema import FUNDS, PROJECTS, TARGETS


def test_shipped_demo_matches_the_seeded_generator(demo):
    fresh = generate_demo()
    for name in ("projects", "funds", "targets"):
        pd.testing.assert_frame_equal(getattr(demo, name), getattr(fresh, name))


def test_demo_tables_follow_the_schema(demo):
    for table, schema in ((demo.projects, PROJECTS), (demo.funds, FUNDS),
                          (demo.targets, TARGETS)):
        validate(table, schema)
        assert list(table.columns) == schema.names


def test_demo_is_realistic(demo):
    f = demo.funds[demo.funds["currency"] == "CNY"]
    by_month = f.groupby(f["month"].dt.month)["amount_wan"].sum()
    share = by_month / by_month.sum()
    assert share.loc[1:3].sum() < 0.20          # a slow first quarter
    assert share.loc[12] == share.max()          # a December rush
    y24 = f[f["month"].dt.year == 2024].groupby("unit")["amount_wan"].sum()
    assert (y24 == 0).sum() >= 2                 # units with no results
    growth = (f[f["month"].dt.year == 2024].groupby("unit")["amount_wan"].sum()
              / f[f["month"].dt.year == 2019].groupby("unit")["amount_wan"].sum())
    assert growth.max() / growth[growth > 0].min() > 2   # growth differs by unit
    p = demo.projects
    old = p["signed_on"] < "2023-01-01"
    assert p.loc[old, "landed_on"].isna().sum() >= 10    # signed, never landed
    days = (p["started_on"] - p["signed_on"]).dt.days.dropna()
    assert days.quantile(0.95) > 3 * days.median()       # a long tail of delays
    assert 300 <= len(p) <= 600 and demo.projects["unit"].nunique() == 20


def test_raw_ledger_round_trip(demo):
    result = read_ledger(raw_path("ledger"))
    assert result.balanced
    d = result.data
    truth = demo.projects.set_index("project_id")
    # every project is there; the two repeated rows are kept and flagged, not dropped
    assert set(d["project_id"]) == set(truth.index)
    assert len(d) == len(truth) + 2
    assert (result.issues["problem"] == "duplicate_project").sum() == 2
    first = d.drop_duplicates("project_id").set_index("project_id").loc[truth.index]
    assert (first["unit"] == truth["unit"]).all()
    assert (first["currency"] == truth["currency"]).all()
    np.testing.assert_allclose(first["contract_wan"], truth["contract_wan"], rtol=0, atol=1e-6)
    masked = first["funds_in_place_wan"].isna()
    assert masked.sum() == (result.issues["problem"] == "masked").sum() == 3
    np.testing.assert_allclose(first.loc[~masked, "funds_in_place_wan"],
                               truth.loc[~masked, "funds_in_place_wan"], atol=1e-6)
    for col in ("signed_on", "landed_on", "started_on", "producing_on"):
        got, want = first[col], truth[col]
        same_month = got.dt.to_period("M") == want.dt.to_period("M")
        assert ((got == want) | (got.isna() & want.isna()) | same_month).all(), col
    # the planted 小计 typo (+900 万元) is found
    mism = result.issues[result.issues["problem"] == "subtotal_mismatch"]
    assert len(mism) == 1 and "+900.00" in mism["message"].iloc[0]


def test_raw_monthly_report_round_trip(demo):
    report = read_monthly_report(raw_path("monthly_report"))
    f = demo.funds[demo.funds["month"].dt.year == 2024]
    truth = f.groupby(["unit", "month", "currency"])["amount_wan"].sum()
    got = report.data.set_index(["unit", "month", "currency"])["amount_wan"]
    pd.testing.assert_series_equal(got.sort_index(), truth.sort_index(), check_names=False,
                                   atol=0.011, rtol=0)  # the report shows 2 decimals
    # money is conserved: the year's total in 万元 and in 万美元 separately
    for cur in ("CNY", "USD"):
        assert got.xs(cur, level="currency").sum() == pytest.approx(
            truth.xs(cur, level="currency").sum(), abs=0.05)
    t = demo.targets[demo.targets["year"] == 2024]
    want = t[t["indicator"].isin(["funds_in_place", "foreign_funds"])]
    merged = report.targets.merge(want, on=["year", "unit", "indicator"])
    assert len(merged) == len(want) and (merged["target_x"] == merged["target_y"]).all()
    assert set(report.issues["problem"]) >= {"negative_increment", "yoy_pct_mismatch"}


@pytest.mark.parametrize("engine", ["pandas", "polars", "polars_lazy", "duckdb"])
def test_validate_on_every_engine(engine):
    frame = pd.DataFrame({"unit": ["城西镇"], "month": pd.to_datetime(["2024-01-01"]),
                          "source": ["省外"], "currency": ["CNY"], "amount_wan": [1.0]})
    native = {"pandas": lambda: frame, "polars": lambda: pl.from_pandas(frame),
              "polars_lazy": lambda: pl.from_pandas(frame).lazy(),
              "duckdb": lambda: duckdb.from_df(frame)}[engine]()
    validate(native, "funds")
    with pytest.raises(ColumnNotFoundError, match="是否应为 'amount_wan'"):
        validate(native, "funds", required=["unit", "amont_wan"])


def test_exports_neutralise_formulas(tmp_path):
    frame = pd.DataFrame({"raw_value": ["=HYPERLINK(\"x\")", "+1", "-2", "@A1", "城西镇"],
                          "n": [1, -2, 3, 4, 5]})
    out = neutralise_formulas(frame)
    assert out["raw_value"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@A1", "城西镇"]
    assert out["n"].tolist() == [1, -2, 3, 4, 5]  # numbers untouched
    path = write_table(frame, tmp_path / "x.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS read UTF-8
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")


def test_cli(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and "zsa " in capsys.readouterr().out
    out = tmp_path / "p.parquet"
    assert main(["clean", str(raw_path("ledger")), "-o", str(out),
                 "--issues", str(tmp_path / "i.csv")]) == 0
    text = capsys.readouterr().out
    assert "表头以下非空行433行 = 数据422行 + 排除11行（行数相符）" in text
    assert "subtotal_mismatch" in text
    assert len(pd.read_parquet(out)) == 422
    # a CSV is read like a workbook now; the issues table holds no ledger or monthly table
    assert main(["clean", str(tmp_path / "i.csv")]) == 2
    assert "中没有找到月报表" in capsys.readouterr().err


def test_cli_demo_prints_the_half_year_headline(tmp_path, capsys, demo):
    assert main(["demo", "-o", str(tmp_path), "--as-of", "2024-06"]) == 0
    text = capsys.readouterr().out
    # independent: plain pandas on the demo tables, rounded half up with Decimal
    from decimal import ROUND_HALF_UP, Decimal

    def half_up(x, q):
        return Decimal(repr(float(x))).quantize(Decimal(q), rounding=ROUND_HALF_UP)

    f = demo.funds[(demo.funds["currency"] == "CNY") & (demo.funds["month"].dt.month <= 6)]
    ytd = f.loc[f["month"].dt.year == 2024, "amount_wan"].sum()
    last = f.loc[f["month"].dt.year == 2023, "amount_wan"].sum()
    target = demo.targets.query("year == 2024 and indicator == 'funds_in_place'")["target"].sum()
    growth, completion = (ytd / last - 1) * 100, ytd / target * 100
    assert growth < 0 and completion < 50          # the demo's half-year is behind, and down
    expected = (f"实际到位资金{half_up(ytd / 1e4, '0.01')}亿元，同比下降{half_up(-growth, '0.1')}%，"
                f"完成年度任务的{half_up(completion, '0.1')}%，"
                f"低于序时进度{half_up(50 - completion, '0.1')}个百分点")
    assert expected in text
    card = pd.read_csv(tmp_path / "scorecard.csv", encoding="utf-8-sig")
    assert len(card) == 21 and card["unit"].iloc[-1] == "合计"
    assert (tmp_path / "projection.csv").exists()


def test_cli_store_commands_explain_themselves_in_chinese(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")   # argparse wraps help to the terminal's width
    for command, words in (("ingest", "读取文件夹（含子文件夹）里的每个工作簿"),
                           ("status", "数据库文件（默认 county.duckdb）"),
                           ("briefing", "数字与来源合计不符时照样发布")):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        assert words in capsys.readouterr().out
    assert main(["status", "--db", "no-such-store.duckdb"]) == 2
    assert "先用 zsa ingest" in capsys.readouterr().err


def test_briefing_refuses_an_output_it_cannot_write_before_any_work(tmp_path, capsys):
    # -o writes HTML only: a .pdf name is refused at once, with the options that do exist
    assert main(["briefing", "--as-of", "2024-06", "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "-o" in err and ".html" in err and "--docx" in err
    assert not (tmp_path / "x.pdf").exists() and not list(tmp_path.iterdir())
    assert main(["briefing", "--as-of", "2024-06", "--xlsx", str(tmp_path / "t.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_briefing_help_is_in_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["briefing", "--help"])
    out = capsys.readouterr().out
    assert "报告月份" in out and "网页文件" in out and "通报（.docx" in out
