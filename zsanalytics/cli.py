"""The ``zsa`` command.

``zsa clean FILE -o OUT.parquet`` reads a ledger or a monthly report and writes the clean
table, printing the issues summary; ``zsa demo`` does the same for the bundled demo county.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from . import __version__
from ._export import write_table
from .clean import read_ledger, read_monthly_report
from .clean._sheet import Result
from .errors import ZsAnalyticsError

__all__ = ["main"]


def _read(path: Path, kind: str, sheet: str | None) -> tuple[str, Result]:
    if kind in ("auto", "ledger"):
        try:
            return "ledger", read_ledger(path, sheet=sheet)
        except ZsAnalyticsError as exc:
            if kind == "ledger" or "no project ledger found" not in str(exc):
                raise
    return "monthly", read_monthly_report(path, sheet=sheet)


def _report(kind: str, path: Path, result: Result, out: Path | None,
            issues_out: Path | None) -> None:
    acc = result.accounting
    table = "projects" if kind == "ledger" else "funds"
    print(f"{path}: {kind} → {len(result.data)} {table} rows")
    print(f"  rows below the header: {int(acc['nonempty_rows'].sum())} non-empty = "
          f"{int(acc['data_rows'].sum())} data + {int(acc['excluded_rows'].sum())} excluded "
          f"({'balanced' if result.balanced else 'NOT BALANCED'})")
    summary = result.summary()
    if len(summary):
        print(f"  {len(result.issues)} issue(s):")
        with pd.option_context("display.width", 120):
            print("    " + summary.to_string(index=False).replace("\n", "\n    "))
    else:
        print("  no issues")
    if out is not None:
        write_table(result.data, out)
        print(f"  wrote {out}")
        if kind == "monthly":
            targets = out.with_name(out.stem + "_targets" + out.suffix)
            write_table(result.targets, targets)
            print(f"  wrote {targets}")
    if issues_out is not None:
        write_table(result.issues, issues_out)
        print(f"  wrote {issues_out}")


def _demo_metrics(as_of: str, out_dir: Path) -> None:
    """The demo county's monthly scorecard and year-end projection, printed and written."""
    from ._numbers import fmt_pct, fmt_yi
    from .datasets import load_demo
    from .metrics import as_month, project_year_end, scorecard
    from .narrate import headline, units_sentence

    year, month = as_month(as_of)
    demo = load_demo()
    card = scorecard(demo.funds, demo.targets, as_of=as_of, totals=True)
    projection = project_year_end(demo.funds, demo.targets, as_of=as_of)
    print(f"demo county, {year} through month {month} (zsanalytics.scorecard, zsanalytics.narrate):")
    print("  " + headline(card))
    print("  " + units_sentence(card))
    county = projection[projection["unit"] == "合计"].iloc[0]
    print(f"  全年预计{fmt_yi(county['projected_wan'])}（80%区间 {fmt_yi(county['lower_wan'])}"
          f"–{fmt_yi(county['upper_wan'])}），完成全年任务的概率约"
          f"{fmt_pct(county['prob_meet_target'] * 100, 0)}")
    write_table(card, out_dir / "scorecard.csv")
    write_table(projection, out_dir / "projection.csv")
    print(f"  wrote {out_dir / 'scorecard.csv'} and {out_dir / 'projection.csv'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="zsa", description="zsanalytics: investment-promotion (招商引资) analytics")
    parser.add_argument("--version", action="version", version=f"zsa {__version__}")
    sub = parser.add_subparsers(dest="command")

    clean = sub.add_parser("clean", help="read a ledger or monthly report into a clean table")
    clean.add_argument("file", type=Path, help="the workbook (.xlsx, .xls, .ods)")
    clean.add_argument("-o", "--out", type=Path, help="clean table: .parquet, .csv or .xlsx")
    clean.add_argument("--issues", type=Path, help="issues table: .csv, .xlsx or .parquet")
    clean.add_argument("--kind", choices=["auto", "ledger", "monthly"], default="auto",
                       help="what the workbook holds (default: try a ledger, then a report)")
    clean.add_argument("--sheet", help="read only this sheet")

    demo = sub.add_parser("demo", help="clean the bundled demo county's messy workbooks")
    demo.add_argument("-o", "--out-dir", type=Path, default=Path("zsa-demo-output"),
                      help="where to write the clean tables (default: zsa-demo-output)")
    demo.add_argument("--as-of", default="2024-06",
                      help="report month for the metrics (default: 2024-06, the half-year)")

    args = parser.parse_args(argv)
    try:
        if args.command == "clean":
            kind, result = _read(args.file, args.kind, args.sheet)
            _report(kind, args.file, result, args.out, args.issues)
        elif args.command == "demo":
            from .datasets import raw_path

            args.out_dir.mkdir(parents=True, exist_ok=True)
            for name, kind in (("ledger", "ledger"), ("monthly_report", "monthly")):
                path = raw_path(name)
                kind, result = _read(path, kind, None)
                _report(kind, path, result, args.out_dir / f"{name}.parquet",
                        args.out_dir / f"{name}_issues.csv")
            _demo_metrics(args.as_of, args.out_dir)
        else:
            parser.print_help()
            return 0
    except (ZsAnalyticsError, FileNotFoundError) as exc:
        print(f"zsa: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
