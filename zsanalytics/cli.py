"""The ``zsa`` command.

``zsa briefing [DATA] --as-of 2024-06 -o briefing.html`` writes the leadership briefing (the
bundled demo county without DATA); ``zsa clean FILE -o OUT.parquet`` reads a ledger or a
monthly report and writes the clean table, printing the issues summary; ``zsa demo`` does the
same for the bundled demo county.
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


def _briefing(args: argparse.Namespace) -> None:
    """Build the briefing, printing each step and its time on stderr."""
    import time

    from .briefing import build_briefing, load_folder

    start = time.perf_counter()

    def say(step: str) -> None:
        if not args.quiet:
            print(f"  [{time.perf_counter() - start:5.1f}s] {step}", file=sys.stderr, flush=True)

    if args.data is None:
        from .datasets import load_demo

        say("demo county: bundled tables")
        demo = load_demo()
        projects, funds, targets = demo.projects, demo.funds, demo.targets
    else:
        projects, funds, targets = load_folder(args.data, progress=say)
    briefing = build_briefing(projects, funds, targets, as_of=args.as_of, scope=args.scope,
                              progress=say)
    say("writing HTML")
    written = [briefing.write_html(args.out)]
    if args.xlsx is not None:
        say("writing workbook")
        written.append(briefing.write_xlsx(args.xlsx))
    if args.png is not None:
        say(f"writing {len(briefing.figures)} PNG charts (one browser)")
        written.extend(briefing.write_png(args.png))
    print(briefing.title)
    for sentence in briefing.sentences:
        print("  " + sentence)
    for notice in briefing.notices:
        print("  注意：" + notice)
    for path in written:
        print(f"  wrote {path}")
    print(f"  done in {time.perf_counter() - start:.1f}s")


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

    brief = sub.add_parser(
        "briefing", help="write the leadership briefing: one HTML page that opens offline",
        description="Headline figures, report sentences, charts, the ranking table and the "
        "overdue list in one self-contained HTML page.")
    brief.add_argument("data", type=Path, nargs="?",
                       help="folder with projects/funds/targets (.parquet or .csv) or the raw "
                       "Excel ledger and monthly report; default: the bundled demo county")
    brief.add_argument("--as-of", help="report month, e.g. 2024-06 (default: the last month "
                       "with funds)")
    brief.add_argument("-o", "--out", type=Path, default=Path("briefing.html"),
                       help="the HTML page (default: briefing.html)")
    brief.add_argument("--png", type=Path, metavar="DIR", help="also write each chart as PNG here")
    brief.add_argument("--xlsx", type=Path, metavar="FILE", help="also write the tables as a workbook")
    brief.add_argument("--scope", default="全县", help="whose figures these are (default: 全县)")
    brief.add_argument("-q", "--quiet", action="store_true", help="no progress lines")

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
        elif args.command == "briefing":
            _briefing(args)
        else:
            parser.print_help()
            return 0
    except (ZsAnalyticsError, FileNotFoundError) as exc:
        print(f"zsa: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
