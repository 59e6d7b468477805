"""The project funnel against hand-written baselines, in the same run, on the same data.

    python benchmarks/funnel.py [--rows 1000000] [--repeat 7]

The computation: per unit (and a 合计 row), how many projects reached 签约, 落地, 开工 and 投产
by a date, where a project reached a stage if that stage's date or any later stage's is on or
before the date (a ledger with gaps counts the earlier stages as reached). zsanalytics does it
with ``zsanalytics.funnel`` on pandas, polars and DuckDB (the stage-issue check included, as a
user gets it); the baselines are the same counts, and the same count of projects with stage
date problems, written by hand in pandas and in DuckDB SQL.

The synthetic ledger has 3,000 units and stage dates from 2015 to 2024, about one in ten
projects with a gap (a later stage without an earlier one). Prints one JSON object: rows,
median seconds over ``--repeat`` interleaved runs, the ratios to the baselines, and whether
all results agree.
"""

from __future__ import annotations

import argparse
import itertools
import json
import warnings

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
from metrics import duckdb_table, five_way_report, log, run_all

import zsanalytics as zsa

AS_OF = "2024-06-30"
UNITS = 3000
STAGES = ["signed", "landed", "started", "producing"]


def make_projects(rows: int, seed: int = 0) -> pa.Table:
    rng = np.random.default_rng(seed)
    signed = np.datetime64("2015-01-01") + rng.integers(0, 3650, rows).astype("timedelta64[D]")
    dates = {"signed_on": signed}
    previous = signed
    for stage in STAGES[1:]:
        step = previous + rng.integers(10, 400, rows).astype("timedelta64[D]")
        reached = rng.random(rows) < 0.7
        previous = np.where(reached, step, np.datetime64("NaT"))
        dates[f"{stage}_on"] = previous
    gaps = rng.random(rows) < 0.1  # a later stage recorded, an earlier one left blank
    dates["landed_on"] = np.where(gaps, np.datetime64("NaT"), dates["landed_on"])
    names = np.array([f"单位{i:04d}" for i in range(UNITS)])
    return pa.table({
        "project_id": pa.array([f"P{i}" for i in range(rows)]),
        "unit": pa.array(names[rng.integers(0, UNITS, rows)]),
        **{k: pa.array(v.astype("datetime64[ns]")) for k, v in dates.items()},
    })


def pandas_handwritten(ledger: pd.DataFrame) -> pd.DataFrame:
    day = pd.Timestamp(AS_OF)
    on_time = {s: ledger[f"{s}_on"] <= day for s in STAGES}
    reached, later = {}, None
    for s in reversed(STAGES):
        later = on_time[s] if later is None else later | on_time[s]
        reached[s] = later
    counts = pd.DataFrame({s: reached[s].astype("int64") for s in STAGES})
    # the data check a user gets too: a stage reached with the stage before missing or later
    problem = pd.Series(False, index=ledger.index)
    for earlier, later in itertools.pairwise(STAGES):
        before, after = ledger[f"{earlier}_on"], ledger[f"{later}_on"]
        problem |= on_time[later] & (before.isna() | (after < before))
    counts["problems"] = problem.astype("int64")
    counts["unit"] = ledger["unit"]
    per_unit = counts.groupby("unit", sort=True).sum()
    per_unit.loc["合计"] = per_unit.sum()
    return per_unit.reset_index()


SQL = f"""
WITH r AS (
    SELECT unit,
           coalesce(signed_on <= DATE '{AS_OF}', false) OR coalesce(landed_on <= DATE '{AS_OF}', false)
             OR coalesce(started_on <= DATE '{AS_OF}', false)
             OR coalesce(producing_on <= DATE '{AS_OF}', false) AS signed,
           coalesce(landed_on <= DATE '{AS_OF}', false) OR coalesce(started_on <= DATE '{AS_OF}', false)
             OR coalesce(producing_on <= DATE '{AS_OF}', false) AS landed,
           coalesce(started_on <= DATE '{AS_OF}', false)
             OR coalesce(producing_on <= DATE '{AS_OF}', false) AS started,
           coalesce(producing_on <= DATE '{AS_OF}', false) AS producing,
           coalesce(landed_on <= DATE '{AS_OF}' AND (signed_on IS NULL OR landed_on < signed_on), false)
             OR coalesce(started_on <= DATE '{AS_OF}'
                         AND (landed_on IS NULL OR started_on < landed_on), false)
             OR coalesce(producing_on <= DATE '{AS_OF}'
                         AND (started_on IS NULL OR producing_on < started_on), false) AS problems
    FROM ledger
)
SELECT coalesce(unit, '合计') AS unit, sum(signed::INT) AS signed, sum(landed::INT) AS landed,
       sum(started::INT) AS started, sum(producing::INT) AS producing,
       sum(problems::INT) AS problems
FROM r GROUP BY ROLLUP (unit) ORDER BY unit = '合计', unit
"""


def wide(long: pd.DataFrame) -> pd.DataFrame:
    out = long.pivot(index="unit", columns="stage", values="count")[STAGES].reset_index()
    out.columns.name = None
    return out


def zsa_funnel(ledger):
    out = zsa.funnel(ledger, as_of=AS_OF, by="unit")
    if isinstance(out, pl.LazyFrame):
        out = out.collect()
    if isinstance(out, pl.DataFrame):
        out = out.to_pandas()
    if isinstance(out, duckdb.DuckDBPyRelation):
        out = out.df()
    return wide(out)


def agree(results: dict[str, pd.DataFrame]) -> bool:
    frames = [r.sort_values("unit", ignore_index=True)[["unit", *STAGES]].astype({s: "int64" for s in STAGES})
              for r in results.values()]
    return all(f.equals(frames[0]) for f in frames[1:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", zsa.DataQualityWarning)  # the gaps are planted
    log(f"building {args.rows:,} projects …")
    table = make_projects(args.rows)
    pdf = table.to_pandas()
    pldf = pl.from_arrow(table)
    con = duckdb.connect()
    duckdb_table(con, "ledger", table)
    contenders = {
        "zsa_pandas": lambda: zsa_funnel(pdf),
        "pandas_handwritten": lambda: pandas_handwritten(pdf),
        "zsa_polars": lambda: zsa_funnel(pldf),
        "zsa_duckdb": lambda: zsa_funnel(con.table("ledger")),
        "duckdb_sql": lambda: con.sql(SQL).df(),
    }
    seconds, results = run_all(contenders, args.repeat)
    print(json.dumps(five_way_report(args.rows, seconds, agree(results)), ensure_ascii=False,
                     indent=1))

if __name__ == "__main__":
    main()
