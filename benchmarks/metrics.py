"""The metric core against hand-written baselines, in the same run, on the same data.

    python benchmarks/metrics.py [--rows 10000000] [--repeat 7]
    python benchmarks/metrics.py --rows 100000000 --parquet /tmp/zsa-funds   # lazily, from disk

The computation is what a monthly report needs: per unit, funds in place for 1-6月 of the last
year, the same span of the year before, growth (同比, with a note where the base is zero),
this month's amount, the annual target, completion, the gap to time progress and the status.
zsanalytics does it with one call, ``zsanalytics.scorecard``, on pandas, polars and DuckDB; the
baselines are the same computation written by hand in plain pandas and in DuckDB SQL.

The synthetic funds table has about 3,000 units, ten years of months, four sources (境外 in
USD, which must not be counted) and several arrivals per unit, month and source. Prints one
JSON object: rows, the median seconds of each contender over ``--repeat`` runs, the ratios of
each zsanalytics engine to its hand-written baseline, and whether all results agree.

With ``--parquet DIR`` the table is written (once) as parquet partitioned by year and read
lazily: zsanalytics on DuckDB and on polars (scan_parquet) against DuckDB SQL over the same
files; nothing is loaded into memory first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

import zsanalytics as zsa

AS_OF = "2024-06"
YEAR, MONTH = 2024, 6
UNITS = 3000
FIRST_YEAR = 2015
SOURCES = np.array(["省外", "省内", "市外", "境外"])
CURRENCIES = np.array(["CNY", "CNY", "CNY", "USD"])


def make_funds(rows: int, seed: int = 0) -> pa.Table:
    """A seeded synthetic funds table in the canonical schema, as Arrow."""
    rng = np.random.default_rng(seed)
    names = pa.array([f"单位{i:04d}" for i in range(UNITS)])
    unit = rng.integers(0, UNITS, rows)
    month_idx = rng.integers(0, 120, rows)  # 2015-01 .. 2024-12
    years = FIRST_YEAR + month_idx // 12
    months = month_idx % 12 + 1
    month = (years - 1970) * 12 + (months - 1)
    month = month.astype("datetime64[M]").astype("datetime64[ns]")
    source = rng.integers(0, 4, rows)
    amount = np.round(rng.lognormal(3, 1.2, rows), 2)
    return pa.table({
        "unit": pc.take(names, pa.array(unit)),
        "month": pa.array(month),
        "source": pc.take(pa.array(SOURCES), pa.array(source)),
        "currency": pc.take(pa.array(CURRENCIES), pa.array(source)),
        "amount_wan": pa.array(amount),
    })


def make_targets(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    has = rng.random(UNITS) < 0.97  # a few units without a target
    return pd.DataFrame({
        "year": YEAR,
        "unit": [f"单位{i:04d}" for i in range(UNITS) if has[i]],
        "indicator": "funds_in_place",
        "target": np.round(rng.uniform(2_000, 12_000, has.sum()), -1),
    })


# ---- baselines, written the way a competent analyst would write them ----------------------

def pandas_handwritten(funds: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    start, end = pd.Timestamp(YEAR, 1, 1), pd.Timestamp(YEAR, MONTH + 1, 1)
    pstart, pend = pd.Timestamp(YEAR - 1, 1, 1), pd.Timestamp(YEAR - 1, MONTH + 1, 1)
    this_month = pd.Timestamp(YEAR, MONTH, 1)
    m = funds["month"]
    keep = (funds["currency"] == "CNY") & (((m >= start) & (m < end)) | ((m >= pstart) & (m < pend)))
    sub = funds.loc[keep, ["unit", "month", "amount_wan"]]
    is_cur = sub["month"] >= start
    amount = sub["amount_wan"]
    parts = pd.DataFrame({
        "unit": sub["unit"],
        "ytd": amount.where(is_cur, 0.0),
        "last": amount.where(~is_cur, 0.0),
        "month_amt": amount.where(sub["month"] >= this_month, 0.0),
    })
    agg = parts.groupby("unit", sort=False).sum()
    t = targets[(targets["year"] == YEAR) & (targets["indicator"] == "funds_in_place")]
    out = agg.join(t.set_index("unit")["target"], how="outer").reset_index()
    out[["ytd", "last", "month_amt"]] = out[["ytd", "last", "month_amt"]].fillna(0.0)
    base = out["last"]
    out["yoy_pct"] = np.where(base > 0, (out["ytd"] / base.where(base > 0) - 1) * 100, np.nan)
    out["yoy_note"] = np.select(
        [base < 0, (base == 0) & (out["ytd"] > 0), (base == 0) & (out["ytd"] == 0), base == 0],
        ["上年同期为负", "新增", "无实绩", "上年同期为零"], default=None)
    tgt = out["target"]
    out["completion_pct"] = np.where(tgt > 0, out["ytd"] / tgt.where(tgt > 0) * 100, np.nan)
    out["gap_pp"] = out["completion_pct"] - MONTH / 12 * 100
    out["status"] = np.select(
        [tgt.isna() | (tgt <= 0), out["ytd"] <= 0, out["gap_pp"] >= 0],
        ["no target", "no results", "ahead"], default="behind")
    return out.sort_values("unit", ignore_index=True)


SQL = f"""
WITH agg AS (
    SELECT unit,
           sum(CASE WHEN month >= DATE '{YEAR}-01-01' THEN amount_wan ELSE 0 END) AS ytd,
           sum(CASE WHEN month <  DATE '{YEAR}-01-01' THEN amount_wan ELSE 0 END) AS last,
           sum(CASE WHEN month >= DATE '{YEAR}-{MONTH:02d}-01' THEN amount_wan ELSE 0 END) AS month_amt
    FROM {{funds}}
    WHERE currency = 'CNY'
      AND ((month >= DATE '{YEAR}-01-01' AND month < DATE '{YEAR}-{MONTH + 1:02d}-01')
        OR (month >= DATE '{YEAR - 1}-01-01' AND month < DATE '{YEAR - 1}-{MONTH + 1:02d}-01'))
    GROUP BY unit
), t AS (
    SELECT unit, sum(target) AS target FROM {{targets}}
    WHERE year = {YEAR} AND indicator = 'funds_in_place' GROUP BY unit
), j AS (
    SELECT coalesce(agg.unit, t.unit) AS unit, coalesce(ytd, 0) AS ytd, coalesce(last, 0) AS last,
           coalesce(month_amt, 0) AS month_amt, t.target
    FROM agg FULL OUTER JOIN t ON agg.unit = t.unit
)
SELECT unit, ytd, last, month_amt,
       CASE WHEN last > 0 THEN (ytd / last - 1) * 100 END AS yoy_pct,
       CASE WHEN last < 0 THEN '上年同期为负' WHEN last = 0 AND ytd > 0 THEN '新增'
            WHEN last = 0 AND ytd = 0 THEN '无实绩' WHEN last = 0 THEN '上年同期为零' END AS yoy_note,
       target,
       CASE WHEN target > 0 THEN ytd / target * 100 END AS completion_pct,
       CASE WHEN target > 0 THEN ytd / target * 100 END - {MONTH / 12 * 100} AS gap_pp,
       CASE WHEN target IS NULL OR target <= 0 THEN 'no target' WHEN ytd <= 0 THEN 'no results'
            WHEN ytd / target * 100 - {MONTH / 12 * 100} >= 0 THEN 'ahead' ELSE 'behind' END AS status
FROM j ORDER BY unit
"""


def duckdb_sql(con: duckdb.DuckDBPyConnection, funds: str, targets: str) -> pd.DataFrame:
    return con.sql(SQL.format(funds=funds, targets=targets)).df()


# ---- zsanalytics ---------------------------------------------------------------------------

def zsa_pandas(funds: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    return zsa.scorecard(funds, targets, as_of=AS_OF)


def zsa_polars(funds, targets) -> pd.DataFrame:
    out = zsa.scorecard(funds, targets, as_of=AS_OF)
    out = out.collect() if isinstance(out, pl.LazyFrame) else out
    return out.to_pandas()


def zsa_duckdb(funds: duckdb.DuckDBPyRelation, targets) -> pd.DataFrame:
    return zsa.scorecard(funds, targets, as_of=AS_OF).df()


# ---- the run -------------------------------------------------------------------------------

def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """The common columns under common names, sorted, for comparing results."""
    rename = {"ytd_wan": "ytd", "last_ytd_wan": "last", "month_wan": "month_amt",
              "target_wan": "target"}
    cols = ["unit", "ytd", "last", "month_amt", "yoy_pct", "target", "completion_pct", "gap_pp",
            "status", "yoy_note"]
    out = frame.rename(columns=rename)[cols].sort_values("unit", ignore_index=True)
    out["yoy_note"] = out["yoy_note"].astype(object).where(out["yoy_note"].notna(), None)
    return out


def agree(results: dict[str, pd.DataFrame]) -> bool:
    frames = {k: normalise(v) for k, v in results.items()}
    ref = next(iter(frames.values()))
    for frame in frames.values():
        if list(frame["unit"]) != list(ref["unit"]):
            return False
        for c in ("ytd", "last", "month_amt", "yoy_pct", "target", "completion_pct", "gap_pp"):
            if not np.allclose(frame[c].astype(float), ref[c].astype(float), rtol=1e-9,
                               equal_nan=True):
                return False
        if list(frame["status"]) != list(ref["status"]) or list(frame["yoy_note"]) != list(ref["yoy_note"]):
            return False
    return True


def run_all(contenders: dict, repeat: int) -> tuple[dict[str, float], dict[str, object]]:
    """Median seconds per contender. Runs are interleaved (each round runs every contender once,
    in a rotating order) so that a noisy machine slows every contender alike."""
    results = {}
    for name, fn in contenders.items():
        log(f"  warm-up {name} …")
        results[name] = fn()  # warm-up, and the result to compare
    names = list(contenders)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeat):
        for name in names[r % len(names):] + names[:r % len(names)]:
            t0 = time.perf_counter()
            contenders[name]()
            times[name].append(time.perf_counter() - t0)
    return {n: statistics.median(t) for n, t in times.items()}, results


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def duckdb_table(con: duckdb.DuckDBPyConnection, name: str, data) -> None:
    """Copy an Arrow or pandas table into a DuckDB table (not a view: the SQL baseline reads
    DuckDB's own storage, as a user's database would)."""
    con.register(f"{name}_src", data)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_src")
    con.unregister(f"{name}_src")


def in_memory(rows: int, repeat: int) -> dict:
    log(f"building {rows:,} rows …")
    table = make_funds(rows)
    targets = make_targets()
    pdf = table.to_pandas()
    pldf = pl.from_arrow(table)
    con = duckdb.connect()
    duckdb_table(con, "funds", table)
    duckdb_table(con, "targets", targets)
    pl_targets = pl.from_pandas(targets)
    contenders = {
        "zsa_pandas": lambda: zsa_pandas(pdf, targets),
        "pandas_handwritten": lambda: pandas_handwritten(pdf, targets),
        "zsa_polars": lambda: zsa_polars(pldf, pl_targets),
        "zsa_duckdb": lambda: zsa_duckdb(con.table("funds"), con.table("targets")),
        "duckdb_sql": lambda: duckdb_sql(con, "funds", "targets"),
    }
    seconds, results = run_all(contenders, repeat)
    return five_way_report(rows, seconds, agree(results))


def five_way_report(rows: int, seconds: dict[str, float], identical: bool) -> dict:
    """The report of an in-memory run of the five contenders: each zsanalytics engine against
    its hand-written baseline."""
    return {
        "rows": rows,
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "ratios": {
            "zsa_pandas / pandas_handwritten": ratio(seconds, "zsa_pandas", "pandas_handwritten"),
            "zsa_polars / duckdb_sql": ratio(seconds, "zsa_polars", "duckdb_sql"),
            "zsa_duckdb / duckdb_sql": ratio(seconds, "zsa_duckdb", "duckdb_sql"),
        },
        "identical_results": identical,
    }


def ratio(seconds: dict[str, float], ours: str, baseline: str) -> float:
    return round(seconds[ours] / seconds[baseline], 2)


def write_parquet(rows: int, folder: Path, chunk: int = 10_000_000) -> None:
    marker = folder / f"_rows_{rows}"
    if marker.exists():
        return
    log(f"writing {rows:,} rows to {folder} (partitioned by year) …")
    folder.mkdir(parents=True, exist_ok=True)
    for i, start in enumerate(range(0, rows, chunk)):
        part = make_funds(min(chunk, rows - start), seed=i)
        part = part.append_column("year", pc.year(part["month"]))
        ds.write_dataset(part, folder, format="parquet", partitioning=["year"],
                         partitioning_flavor="hive", basename_template=f"chunk{i:03d}-{{i}}.parquet",
                         existing_data_behavior="overwrite_or_ignore")
        log(f"  {start + len(part):,}")
    marker.touch()


def from_parquet(rows: int, repeat: int, folder: Path) -> dict:
    write_parquet(rows, folder)
    targets = make_targets()
    pattern = str(folder / "**" / "*.parquet")
    con = duckdb.connect()
    duckdb_table(con, "targets", targets)
    con.execute(f"CREATE VIEW funds AS SELECT * EXCLUDE (year) FROM read_parquet('{pattern}', "
                "hive_partitioning = true)")
    pl_targets = pl.from_pandas(targets)
    contenders = {
        "zsa_duckdb": lambda: zsa_duckdb(con.table("funds"), con.table("targets")),
        "zsa_polars": lambda: zsa_polars(
            pl.scan_parquet(pattern, hive_partitioning=True).drop("year"), pl_targets),
        "duckdb_sql": lambda: duckdb_sql(con, "funds", "targets"),
    }
    seconds, results = run_all(contenders, repeat)
    return {
        "rows": rows,
        "source": "parquet, partitioned by year, read lazily",
        "seconds": {k: round(v, 4) for k, v in seconds.items()},
        "ratios": {
            "zsa_polars / duckdb_sql": ratio(seconds, "zsa_polars", "duckdb_sql"),
            "zsa_duckdb / duckdb_sql": ratio(seconds, "zsa_duckdb", "duckdb_sql"),
        },
        "identical_results": agree(results),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--parquet", type=Path, help="write/read the table as partitioned parquet here")
    args = parser.parse_args(argv)
    if args.parquet:
        report = from_parquet(args.rows, args.repeat, args.parquet)
    else:
        report = in_memory(args.rows, args.repeat)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
