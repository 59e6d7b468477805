"""The ``zsa`` command.

``zsa ingest FOLDER --db county.duckdb`` reads every workbook and CSV of a folder into the
embedded store and ``zsa status --db county.duckdb`` says what it holds;
``zsa briefing [DATA | --db county.duckdb] --as-of 2024-06 -o briefing.html`` writes the
leadership briefing (the bundled demo county without DATA), after checking its figures against
their source; ``zsa clean FILE -o OUT.parquet`` reads a ledger or a
monthly report and writes the clean table, printing the issues summary; ``zsa demo`` does the
same for the bundled demo county.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import __version__
from ._export import write_table
from .clean import read_ledger, read_monthly_report
from .clean._sheet import Result
from .errors import NoLedgerFoundError, ZsAnalyticsError

if TYPE_CHECKING:
    from .store import IngestReport

__all__ = ["main"]


def _read(path: Path, kind: str, sheet: str | None,
          profile: Path | None = None) -> tuple[str, Result]:
    if kind in ("auto", "ledger"):
        try:
            return "ledger", read_ledger(path, sheet=sheet, profile=profile)
        except NoLedgerFoundError:
            if kind == "ledger":
                raise
    return "monthly", read_monthly_report(path, sheet=sheet, profile=profile)


def _inspect(path: Path, sheet: str | None, profile: Path | None) -> None:
    """How each sheet of a file is read: title facts, header rows, what each column became,
    row roles counted — so an analyst sees why a column was not understood."""
    from .clean._layout import infer_layout, read_cells
    from .clean.ledger import _ledger_matcher
    from .clean.monthly import _matcher
    from .clean.profile import find_profile, load_profile

    prof = load_profile(profile) if profile is not None else find_profile(path)
    roles_zh = {"data": "数据", "blank": "空行", "section": "分组标题", "subtotal": "小计",
                "total": "合计", "note": "注释/签名", "repeated_header": "重复表头"}
    print(f"{path}" + (f"（县区配置：{prof.path}）" if prof.path else ""))
    for s in read_cells(path, sheet):
        print(f"\n工作表“{s.name}”：{s.shape[0]}行 × {s.shape[1]}列"
              + (f"，编码 {s.encoding}" if s.encoding else "")
              + ("，1904日期系统" if s.date1904 else ""))
        best = None
        for kind, match in (("项目台账", _ledger_matcher(prof.headers)),
                            ("月报表", _matcher(prof.headers))):
            lay = infer_layout(s, match, min_known=2, key_columns=("unit",))
            if lay is not None and (best is None or sum(n is not None for n in lay.names) > sum(
                    n is not None for n in best[1].names)):
                best = (kind, lay)
        if best is None:
            print("  没有找到认得的表头（项目名称、单位、1-N月累计……）：此表不会被读取")
            continue
        kind, lay = best
        facts = lay.facts
        period = facts.get("period")
        print(f"  读作：{kind}；表头在第{'、'.join(str(int(s.rows[r])) for r in lay.header_rows)}行")
        if facts.get("title"):
            print(f"  标题：{facts['title']}")
        when = ""
        if period is not None:
            year = "" if period.year is None else f"（{period.year}年）"
            when = f"；期间：{period.label if period.ok else ''}{year}"
        print(f"  金额单位：{facts.get('amount_unit') or prof.amount_unit or '未写明（按万元）'}{when}")
        for j, (label, name, unit) in enumerate(zip(lay.labels, lay.names, lay.units,
                                                    strict=True)):
            if not label:
                continue
            shown = name if name else "未识别 —— 可在 zsa.toml 的 [headers] 中指明"
            print(f"    {s.letter(j):>3}  {label:<28} → {shown}" + (f"（{unit}）" if unit else ""))
        counts = lay.role_counts()
        print("  行：" + "，".join(f"{roles_zh.get(k, k)}{v}行" for k, v in counts.items()))
        hidden = int(s.hidden_rows.sum())
        if hidden or s.bad_cells:
            print(f"  另有：隐藏行{hidden}行，错误值或无结果公式{len(s.bad_cells)}个")


def _report(kind: str, path: Path, result: Result, out: Path | None,
            issues_out: Path | None) -> None:
    acc = result.accounting
    table = "projects" if kind == "ledger" else "funds"
    print(f"{path}：{'项目台账' if kind == 'ledger' else '月报表'} → {table} 表 {len(result.data)} 行")
    print(f"  表头以下非空行{int(acc['nonempty_rows'].sum())}行 = 数据{int(acc['data_rows'].sum())}行"
          f" + 排除{int(acc['excluded_rows'].sum())}行"
          f"（{'行数相符' if result.balanced else '行数不符！'}）")
    summary = result.summary()
    if len(summary):
        print(f"  发现问题{len(result.issues)}条：")
        with pd.option_context("display.width", 120):
            print("    " + summary.to_string(index=False).replace("\n", "\n    "))
    else:
        print("  未发现问题")
    if out is not None:
        write_table(result.data, out)
        print(f"  已写入 {out}")
        if kind == "monthly":
            targets = out.with_name(out.stem + "_targets" + out.suffix)
            write_table(result.targets, targets)
            print(f"  已写入 {targets}")
    if issues_out is not None:
        write_table(result.issues_zh(), issues_out)
        print(f"  已写入 {issues_out}")


def _demo_metrics(as_of: str, out_dir: Path) -> None:
    """The demo county's monthly scorecard and year-end projection, printed and written."""
    from ._numbers import fmt_pct, fmt_yi
    from .datasets import load_demo
    from .metrics import as_month, project_year_end, scorecard
    from .narrate import headline, period_zh, units_sentence

    year, _ = as_month(as_of)
    demo = load_demo()
    card = scorecard(demo.funds, demo.targets, as_of=as_of, totals=True)
    projection = project_year_end(demo.funds, demo.targets, as_of=as_of)
    print(f"示例县，{year}年{period_zh(as_of)}（zsanalytics.scorecard、zsanalytics.narrate）：")
    print("  " + headline(card))
    print("  " + units_sentence(card))
    county = projection[projection["unit"] == "合计"].iloc[0]
    print(f"  全年预计{fmt_yi(county['projected_wan'])}（80%区间 {fmt_yi(county['lower_wan'])}"
          f"–{fmt_yi(county['upper_wan'])}），完成全年任务的概率约"
          f"{fmt_pct(county['prob_meet_target'] * 100, 0)}")
    write_table(card, out_dir / "scorecard.csv")
    write_table(projection, out_dir / "projection.csv")
    print(f"  已写入 {out_dir / 'scorecard.csv'} 和 {out_dir / 'projection.csv'}")


def _print_ingest(report: IngestReport, *, quiet: bool = False, issues: bool = True) -> None:
    """What ``zsa ingest`` did: files by status, the unreadable ones with the reason,
    revisions, and the issues counted by problem."""
    files = report.files
    c = report.counts()
    print(f"{report.db}：新读入{c['new']}个文件，更新{c['changed']}个，未变{c['unchanged']}个，"
          f"删除{c['removed']}个，无法读取{c['unreadable']}个，未读取{c['ignored']}个"
          f"（用时{report.seconds:.1f}秒）")
    for status, word in (("unreadable", "无法读取"), ("removed", "已删除"), ("ignored", "未读取")):
        for row in files[files["status"] == status].itertuples():
            print(f"  {word}：{row.path}\n    原因：{row.reason}")
    if not quiet:
        for row in files[files["status"].isin(["new", "changed"])].itertuples():
            word = "新读入" if row.status == "new" else "更新"
            kind = _KIND_ZH.get(row.kind, row.kind)
            print(f"  {word}：{Path(row.path).name}（{kind}，{int(row.rows or 0)}行）")
    revisions = report.revisions
    if len(revisions):
        print(f"  {len(revisions)}个数字被后来的月报改过（表 revisions 中有新旧数字和两个文件）：")
        for row in revisions.head(10).itertuples():
            span = f"1-{row.end_month}月" if row.end_month > 1 else "1月"
            print(f"    {row.unit} {row.source} {row.year}年{span}累计："
                  f"{row.old_ytd_wan:,.2f} → {row.new_ytd_wan:,.2f}"
                  f"（{Path(row.old_file).name} → {Path(row.new_file).name}）")
    found = report.issues
    if len(found) and not issues:
        print(f"  读入的文件中发现问题{int(found['count'].sum())}条（zsa ingest 可列出并存入表 issues）")
    elif len(found):
        print(f"  本次读入的文件中发现的问题（共{int(found['count'].sum())}条，明细在表 issues）：")
        with pd.option_context("display.width", 120):
            print("    " + found.to_string(index=False).replace("\n", "\n    "))


_KIND_ZH = {"monthly": "月报表", "ledger": "项目台账", "funds": "资金表", "targets": "任务表",
            "projects": "项目表", "unreadable": "无法读取的文件", "ignored": "未读取的文件",
            None: "—"}


def _ingest(args: argparse.Namespace) -> int:
    from .store import ingest

    def say(step: str) -> None:
        if not args.quiet:
            print(f"  {step}", file=sys.stderr, flush=True)

    report = ingest(args.folder, db=args.db, currency=args.currency, year=args.year,
                    progress=say)
    _print_ingest(report, quiet=args.quiet)
    _print_status(args.db)
    return 1 if report.counts()["unreadable"] else 0


def _print_status(db: Path) -> None:
    from .gate import months_zh
    from .store import open_store

    with open_store(db) as store:
        cover = store.coverage()
        print(f"{db}：")
        rows = "，".join(f"{t} {n}行" for t, n in zip(cover.tables["table"], cover.tables["rows"],
                                                     strict=True))
        print(f"  表：{rows}")
        files = cover.files
        if len(files):
            print("  文件：" + "，".join(
                f"{_KIND_ZH.get(k, k)}{n}个" for k, n in zip(files["kind"], files["files"],
                                                            strict=True)))
        months = cover.months
        if not len(months):
            print("  没有资金数据。")
            return
        for year, part in months.groupby("year"):
            have = part[part["has_data"]]["month"].tolist()
            kind = "月报表" if (part["kind"] == "monthly").any() else "资金表"
            print(f"  {year}年：{months_zh(have) or '无月份'}有数据（{kind}），"
                  f"{int(part['expected_units'].max())}个单位")
        units = store.con.execute("SELECT count(*) FROM units").fetchone()[0]
        print(f"  单位：共{units}个")
        print(f"  数据范围：{cover.first_month} 至 {cover.last_month}；"
              f"最后一个完整的月份：{cover.last_complete_month or '无'}")
        gaps = cover.gaps()
        if len(gaps):
            print("  缺口：")
            for g in gaps.itertuples():
                what = ("没有数据" if not g.has_data else "；".join(filter(None, [
                    f"缺少单位{'、'.join(g.missing_units)}" if g.missing_units else "",
                    f"缺少资金来源{'、'.join(g.missing_sources)}" if g.missing_sources else ""])))
                print(f"    {g.year}年{g.month}月：{what}")
        else:
            print("  缺口：无")
        n_rev = store.con.execute("SELECT count(*) FROM revisions").fetchone()[0]
        counts = store.con.execute("""SELECT problem, count(*) FROM issues GROUP BY problem
                                      ORDER BY 2 DESC, 1""").fetchall()
        n_issues = sum(n for _, n in counts)
        listed = "、".join(f"{p} {n}" for p, n in counts[:8]) + ("…" if len(counts) > 8 else "")
        print(f"  修订：{n_rev}个数字（表 revisions）；问题：{n_issues}条（表 issues）"
              + (f"：{listed}" if counts else ""))


def _demo_store(out_dir: Path) -> None:
    """The demo county's folder as an analyst keeps it (one monthly report a month and the
    ledger), read into a store that ``zsa briefing --db`` accepts."""
    from .datasets import write_demo_folder
    from .store import ingest

    folder = write_demo_folder(out_dir / "files")
    report = ingest(folder, db=out_dir / "county.duckdb")
    c = report.counts()
    print(f"演示县文件夹 {folder}（12份月报表、1份项目台账）读入数据库 {report.db}："
          f"新读入{c['new']}个，更新{c['changed']}个，未变{c['unchanged']}个")
    print(f"  zsa status --db {report.db}")
    print(f"  zsa briefing --db {report.db} --as-of 2024-06 -o briefing.html")


def _briefing(args: argparse.Namespace) -> None:
    """Build the briefing, printing each step and its time on stderr."""
    import tempfile
    import time

    from .briefing import briefing_from_store, build_briefing
    from .briefing.docx import build_tongbao, tongbao_from_store, write_docx
    from .clean.profile import find_profile
    from .store import ingest, open_store

    # what each output must be called, said before any work is done
    for option, value, suffix, hint in (
            ("-o", args.out, ".html", "PDF 请用 --pdf FILE.pdf，Word 通报用 --docx FILE.docx，"
                                     "工作簿用 --xlsx FILE.xlsx"),
            ("--xlsx", args.xlsx, ".xlsx", ""), ("--docx", args.docx, ".docx", ""),
            ("--pdf", args.pdf, ".pdf", "")):
        if value is not None and Path(value).suffix.lower() != suffix:
            raise ZsAnalyticsError(f"{option} {value}：文件名应以 {suffix} 结尾" + (f"（{hint}）"
                                   if hint else ""))
    start = time.perf_counter()

    def say(step: str) -> None:
        if not args.quiet:
            print(f"  [{time.perf_counter() - start:5.1f}s] {step}", file=sys.stderr, flush=True)

    options = {"as_of": args.as_of, "scope": args.scope, "progress": say,
               "allow_mismatch": args.allow_mismatch, "allow_incomplete": args.allow_incomplete}
    if args.data is not None and args.db is not None:
        raise ZsAnalyticsError("给文件夹或 --db 之一，不要两个都给")
    if args.db is not None:
        with open_store(args.db) as store:
            briefing = briefing_from_store(store, **options)
            # ranked in the groups of the profile the store was ingested with
            tongbao = tongbao_from_store(
                store, as_of=briefing.as_of, allow_mismatch=args.allow_mismatch,
                allow_incomplete=args.allow_incomplete) if args.docx else None
    elif args.data is not None:
        if not Path(args.data).is_dir():
            raise ZsAnalyticsError(f"{args.data} 不是文件夹")
        with tempfile.TemporaryDirectory(prefix="zsa-") as tmp:
            say(f"读取 {args.data} 到临时数据库")
            report = ingest(args.data, db=Path(tmp) / "county.duckdb", currency=args.currency)
            _print_ingest(report, quiet=True, issues=False)
            with open_store(Path(tmp) / "county.duckdb") as store:
                briefing = briefing_from_store(store, **options)
                tongbao = tongbao_from_store(
                    store, as_of=briefing.as_of, groups=find_profile(args.data),
                    allow_mismatch=args.allow_mismatch,
                    allow_incomplete=args.allow_incomplete) if args.docx else None
    else:
        from .datasets import load_demo

        say("示例县：随包附带的数据")
        demo = load_demo()
        briefing = build_briefing(demo.projects, demo.funds, demo.targets, **options)
        tongbao = build_tongbao(demo.projects, demo.funds, demo.targets, as_of=briefing.as_of,
                                allow_mismatch=args.allow_mismatch,
                                allow_incomplete=args.allow_incomplete) if args.docx else None
    say("写入简报网页（.html）")
    written = [briefing.write_html(args.out, workbook=args.xlsx)]
    if args.xlsx is not None:
        say("写入工作簿（.xlsx）")
        written.append(briefing.write_xlsx(args.xlsx))
    if args.docx is not None:
        say("写入 Word 通报（.docx）")
        written.append(write_docx(briefing, args.docx, tongbao=tongbao))
    if args.pdf is not None:
        say("用 Chromium 打印 PDF（A4）")
        written.append(briefing.write_pdf(args.pdf, workbook=args.xlsx))
    if args.png is not None:
        say(f"写出{len(briefing.figures)}张图表 PNG（共用一个浏览器）")
        written.extend(briefing.write_png(args.png))
    print(briefing.title)
    for banner in briefing.banners:
        print("  警告：" + banner)
    for sentence in briefing.sentences:
        print("  " + sentence)
    for notice in briefing.notices:
        print("  注意：" + notice)
    for path in written:
        print(f"  已写入 {path}")
    print(f"  完成，用时{time.perf_counter() - start:.1f}秒")


# argparse's own words, said in Chinese (Python 3.11 has no Chinese catalogue for them)
_ARGPARSE_ZH = (
    (re.compile(r"^unrecognized arguments: (.*)$"), "无法识别的参数：{0}"),
    (re.compile(r"^the following arguments are required: (.*)$"), "缺少必需的参数：{0}"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面需要一个值"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), "参数 {0} 后面至少需要一个值"),
    (re.compile(r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$"),
     "参数 {0} 的取值 {1} 无效（可选：{2}）"),
    (re.compile(r"^argument (\S+): invalid (\S+) value: (.*)$"), "参数 {0} 的值 {2} 无效"),
    (re.compile(r"^argument (\S+): not allowed with argument (.*)$"), "参数 {0} 不能与 {1} 同时给出"),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"), "选项 {0} 有歧义，可能是：{1}"),
)
_SECTIONS_ZH = {"positional arguments": "位置参数", "options": "选项",
                "optional arguments": "选项"}


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def start_section(self, heading):  # type: ignore[no-untyped-def]
        super().start_section(_SECTIONS_ZH.get(heading, heading) if heading else heading)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: usage, section headings, -h and its errors."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):  # type: ignore[no-untyped-def]
        for pattern, words in _ARGPARSE_ZH:
            found = pattern.match(message)
            if found:
                message = words.format(*found.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="zsa", description="zsanalytics：招商引资数据分析——读台账和月报表、入库核对、写领导简报")
    parser.add_argument("--version", action="version", version=f"zsa {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command")

    clean = sub.add_parser("clean", help="把项目台账或月报表读成标准表，列出每个问题",
                           description="读取一个项目台账或月报表（.xlsx .xlsm .xls .ods .csv），"
                           "写出标准表，并把发现的每个问题（工作表、行号、列、原值、处理、说明）"
                           "写成中文问题清单，可退回给填表单位核对。")
    clean.add_argument("file", type=Path, help="工作簿或 CSV 文件")
    clean.add_argument("-o", "--out", type=Path, help="标准表：.parquet、.csv 或 .xlsx")
    clean.add_argument("--issues", type=Path, help="问题清单（中文表头）：.csv、.xlsx 或 .parquet")
    clean.add_argument("--kind", choices=["auto", "ledger", "monthly"], default="auto",
                       help="文件内容：ledger 项目台账，monthly 月报表（默认先试台账再试月报）")
    clean.add_argument("--sheet", help="只读这个工作表")
    clean.add_argument("--profile", type=Path, help="县区配置文件 zsa.toml（默认找文件旁边的）")

    inspect = sub.add_parser("inspect", help="看一个文件是怎么被读懂的：表头、各列、各类行",
                             description="逐个工作表显示：标题、期间、金额单位、表头所在行、每列"
                             "表头读成了哪个标准列（或未识别）、各类行（数据、小计、合计、注释…）"
                             "各有几行。某列未识别时，在 zsa.toml 的 [headers] 里指明即可。")
    inspect.add_argument("file", type=Path, help="工作簿或 CSV 文件")
    inspect.add_argument("--sheet", help="只看这个工作表")
    inspect.add_argument("--profile", type=Path, help="县区配置文件 zsa.toml（默认找文件旁边的）")

    ingest = sub.add_parser(
        "ingest", help="把文件夹里的工作簿和 CSV 读入数据库（DuckDB 文件）",
        description="读取文件夹（含子文件夹）里的每个工作簿（.xlsx .xls .ods）和 CSV：项目台账、"
        "月报表（一月一个文件也行）、标准表 funds/targets/projects。没变的文件不重读；变了的文件"
        "整体替换，一次写完，中途出错库不受影响。读不了的文件列出原因，其余照常读入（此时退出码为1）。")
    ingest.add_argument("folder", type=Path, help="放文件的文件夹")
    ingest.add_argument("--db", type=Path, default=Path("county.duckdb"),
                        help="数据库文件（默认 county.duckdb，没有就新建）")
    ingest.add_argument("--currency", help="没有币种列的资金表用哪种币：CNY（人民币）或 USD（美元）；"
                        "不说就不读这种表")
    ingest.add_argument("--year", type=int, help="月报表没写年份时用这个年份")
    ingest.add_argument("-q", "--quiet", action="store_true", help="少打印：不列出每个读入的文件")

    status = sub.add_parser("status", help="数据库里有什么：表、年份、月份、单位、缺口、最后一个完整的月份")
    status.add_argument("--db", type=Path, default=Path("county.duckdb"),
                        help="数据库文件（默认 county.duckdb）")

    demo = sub.add_parser("demo", help="读自带演示县的原始工作簿，写出标准表、指标和数据库")
    demo.add_argument("-o", "--out-dir", type=Path, default=Path("zsa-demo-output"),
                      help="写到哪个文件夹（默认 zsa-demo-output）")
    demo.add_argument("--as-of", default="2024-06",
                      help="指标的报告月份（默认 2024-06，即上半年）")

    brief = sub.add_parser(
        "briefing", help="写领导简报：一个离线可打开的网页，可另写 Word 通报和工作簿",
        description="主要数字、报告句子、图表、各单位排名和逾期项目，写成一个自包含的网页；数字先与"
        "来源自带的合计核对，不符则拒绝发布。")
    brief.add_argument("data", type=Path, nargs="?",
                       help="文件夹：月报表（一月一个文件也行）、项目台账或标准表，先读入一个临时"
                       "数据库；不给则用自带的演示县")
    brief.add_argument("--db", type=Path, help="从 zsa ingest 建好的数据库读取")
    brief.add_argument("--allow-mismatch", action="store_true",
                       help="数字与来源合计不符时照样发布，页面顶部红字注明差额（默认拒绝）")
    brief.add_argument("--allow-incomplete", action="store_true",
                       help="所选月份缺单位或资金来源时照样发布，页面顶部红字注明缺什么（默认拒绝）")
    brief.add_argument("--currency", help="文件夹中没有币种列的资金表的币种：CNY 或 USD")
    brief.add_argument("--as-of", help="报告月份，如 2024-06（默认：有资金数据的最后一个月）")
    brief.add_argument("-o", "--out", type=Path, default=Path("briefing.html"),
                       help="网页文件，须以 .html 结尾（默认 briefing.html）")
    brief.add_argument("--png", type=Path, metavar="DIR", help="另把每张图写成 PNG，放在这个文件夹")
    brief.add_argument("--xlsx", type=Path, metavar="FILE", help="另把各表写成一个工作簿（.xlsx）")
    brief.add_argument("--docx", type=Path, metavar="FILE",
                       help="另写一份 Word 通报（.docx，公文格式：总体情况、各单位分组排名、项目推进、"
                       "存在问题、下步工作），可编辑后印发")
    brief.add_argument("--pdf", type=Path, metavar="FILE",
                       help="另把网页打印成 PDF（.pdf，A4，页脚有标题和页码；需要 Chromium）")
    brief.add_argument("--scope", default="全县", help="数字属于谁，写进标题和句子（默认 全县）")
    brief.add_argument("-q", "--quiet", action="store_true", help="不打印进度")

    args = parser.parse_args(argv)
    try:
        if args.command == "clean":
            kind, result = _read(args.file, args.kind, args.sheet, args.profile)
            _report(kind, args.file, result, args.out, args.issues)
        elif args.command == "inspect":
            _inspect(args.file, args.sheet, args.profile)
        elif args.command == "demo":
            from .datasets import raw_path

            args.out_dir.mkdir(parents=True, exist_ok=True)
            for name, kind in (("ledger", "ledger"), ("monthly_report", "monthly")):
                path = raw_path(name)
                kind, result = _read(path, kind, None)
                _report(kind, path, result, args.out_dir / f"{name}.parquet",
                        args.out_dir / f"{name}_issues.csv")
            _demo_metrics(args.as_of, args.out_dir)
            _demo_store(args.out_dir)
        elif args.command == "briefing":
            _briefing(args)
        elif args.command == "ingest":
            return _ingest(args)
        elif args.command == "status":
            _print_status(args.db)
        else:
            parser.print_help()
            return 0
    except (ZsAnalyticsError, FileNotFoundError) as exc:
        print(f"zsa：错误：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
