"""The briefing: its content, its safety, and the page as a person sees it in Chromium.

Browser tests need Debian's ``chromium`` and ``fonts-noto-cjk``; they skip without them on a
user's machine and fail in CI (``CI=true``), where ``.ci/run`` installs both.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import zsanalytics as zsa
from zsanalytics.briefing import briefing_from_store, build_briefing, load_folder, write_images
from zsanalytics.cli import main

from .conftest import IN_CI

EVIL_UNIT = "<script>alert(1)</script>"
EVIL_PROJECT = '<img src=x onerror="alert(2)">'
FORMULA_PROJECT = '=HYPERLINK("http://example.com","点击")'


@pytest.fixture(scope="module")
def briefing(demo):
    return build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06")


@pytest.fixture(scope="module")
def tampered(demo):
    """The demo county with one unit and two project names an attacker chose."""
    victim = "城西镇"
    funds = demo.funds.assign(unit=demo.funds["unit"].replace(victim, EVIL_UNIT))
    targets = demo.targets.assign(unit=demo.targets["unit"].replace(victim, EVIL_UNIT))
    projects = demo.projects.assign(unit=demo.projects["unit"].replace(victim, EVIL_UNIT))
    # the two projects overdue longest, so that both are on the page's overdue list
    overdue = zsa.stage_warnings(demo.projects, as_of="2024-06-30")
    first, second = overdue.sort_values("days_overdue", ascending=False)["project_id"].unique()[:2]
    names = projects["project_name"].copy()
    names[projects["project_id"] == first] = EVIL_PROJECT
    names[projects["project_id"] == second] = FORMULA_PROJECT
    return build_briefing(projects.assign(project_name=names), funds, targets, as_of="2024-06")


def browser() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
        "google-chrome")
    if path is None:
        message = "no Chromium: apt-get install chromium fonts-noto-cjk"
        if IN_CI:
            pytest.fail(f"{message} (CI must run the browser tests)")
        pytest.skip(message)
    return path


# --- content ---------------------------------------------------------------------------------

def test_sentences_are_the_reports_own(briefing):
    # DOMAIN.md's half-year sentence, figures from the demo (README): 252,667.54万元 this year,
    # 272,244.41 last (−7.19%), 716,000 target (35.29%), time progress 6/12 (−14.71 points)
    assert briefing.sentences[0] == (
        "1-6月，全县实际到位资金25.27亿元，同比下降7.2%，完成年度任务的35.3%，低于序时进度14.7个百分点。")
    assert briefing.title == "全县招商引资工作简报（2024年1-6月）"
    labels = [label for label, _, _ in briefing.cards]
    assert labels == ["实际到位资金", "完成年度任务", "实际利用外资", "全年预计", "当年签约项目", "逾期项目"]


def test_foreign_funds_have_their_own_line(briefing, demo):
    # by hand from the demo tables: 境外 (万美元) 2024 1-6月 against 2023 1-6月, and the
    # foreign_funds targets of 2024 — never added to 元
    f = demo.funds[(demo.funds["currency"] == "USD") & (demo.funds["month"].dt.month <= 6)]
    ytd = f.loc[f["month"].dt.year == 2024, "amount_wan"].sum()
    last = f.loc[f["month"].dt.year == 2023, "amount_wan"].sum()
    target = demo.targets.query("year == 2024 and indicator == 'foreign_funds'")["target"].sum()
    growth, completion = (ytd / last - 1) * 100, ytd / target * 100
    _, value, note = next(c for c in briefing.cards if c[0] == "实际利用外资")
    assert value == f"{ytd:.2f}万美元"
    assert note == f"同比增长{growth:.1f}%，完成年度任务的{completion:.1f}%"
    assert f"实际利用外资{ytd:.2f}万美元，同比增长{growth:.1f}%，完成年度任务的{completion:.1f}%。" \
        in briefing.sentences


def test_overdue_sentence_counts_match_the_list(briefing, demo):
    overdue = zsa.stage_warnings(demo.projects, as_of="2024-06-30")
    sentence = next(s for s in briefing.sentences if s.startswith("逾期预警"))
    assert sentence.startswith(f"逾期预警{len(overdue)}项，涉及项目{overdue['project_id'].nunique()}个")
    counts = overdue["rule_zh"].value_counts()
    for rule, n in counts.items():
        assert f"{rule}{n}项" in sentence


def test_overdue_list_is_one_row_per_project_this_years_signings_first(briefing, demo):
    """The issue's complaint: the list showed only 2019 projects (sorted by days overdue) and
    repeated a project once per rule. Expected order built here from stage_warnings and the
    ledger's signing dates: 2024 signings first, then the most overdue."""
    overdue = zsa.stage_warnings(demo.projects, as_of="2024-06-30")
    per = overdue.groupby("project_id").agg(days=("days_overdue", "max"), rules=("rule", "nunique"))
    signed = demo.projects.set_index("project_id")["signed_on"]
    per["this_year"] = per.index.map(signed).year == 2024
    table = briefing.tables["逾期项目"]
    assert len(table) == len(per) == table["项目编号"].nunique() == briefing.overdue_total
    # this year's signings on top, each group by days overdue
    assert table["签约日期"].dt.year.eq(2024).tolist() == sorted(per["this_year"], reverse=True)
    for flag in (True, False):
        block = table[table["签约日期"].dt.year.eq(2024) == flag]
        assert block["逾期天数"].is_monotonic_decreasing
        assert sorted(block["逾期天数"].tolist()) == sorted(per.loc[per["this_year"] == flag, "days"])
    # a project with several rules lists them all in one cell, in the funnel's order
    several = per[per["rules"] > 1].index[0]
    rules = overdue.loc[overdue["project_id"] == several, "rule"]
    words = {"not_landed": "未落地", "not_started": "未开工", "not_producing": "未投产",
             "low_funds": "到位不足25%"}
    cell = table.loc[table["项目编号"] == several, "存在问题"].iloc[0]
    assert cell == "、".join(words[r] for r in words if r in set(rules))
    page = briefing.to_html()
    assert f"当年签约的{int(per['this_year'].sum())}个在前" in page


def test_ranking_table_has_every_unit_in_rank_order(briefing, demo):
    table = briefing.tables["各单位完成情况"]
    assert len(table) == demo.funds["unit"].nunique() == 20
    assert table["完成率（%）"].is_monotonic_decreasing
    # 城西镇: 累计 by hand from the demo funds, in 亿元
    f = demo.funds
    hand = f[(f["unit"] == "城西镇") & (f["currency"] == "CNY") & (f["month"].dt.year == 2024)
             & (f["month"].dt.month <= 6)]["amount_wan"].sum() / 1e4
    assert table.loc[table["单位"] == "城西镇", "累计（亿元）"].iloc[0] == pytest.approx(hand)


def test_rates_time_progress_and_concentration_are_said_in_plain_words(briefing, demo):
    """Each figure says its base beside it: 序时进度 6÷12 (DOMAIN: months elapsed ÷ 12), the
    conversion rates ÷ this year's signings, 资金集中度 as the top three units' share (computed
    here from the demo funds) with the Gini coefficient only in brackets."""
    page = briefing.to_html()
    assert "序时进度＝已过月份÷12＝6÷12＝50.0%" in briefing.captions["completion"]
    assert page.count("序时进度＝已过月份÷12＝6÷12＝50.0%") == 2  # beside the chart and the table
    _, value, note = next(c for c in briefing.cards if c[0] == "当年签约项目")
    signed = demo.projects["signed_on"]  # the cohort by hand: signed in 2024 by 30 June
    signed_2024 = int(((signed.dt.year == 2024) & (signed <= "2024-06-30")).sum())
    assert value == f"{signed_2024}个" and note.endswith("（均为占签约项目）")
    assert "落地率＝已落地÷签约，开工率＝已开工÷签约" in briefing.captions["funnel"]
    assert any(s.startswith(f"2024年签约项目{signed_2024}个") for s in briefing.sentences)
    f = demo.funds
    ytd = (f[(f["currency"] == "CNY") & (f["month"].dt.year == 2024) & (f["month"].dt.month <= 6)]
           .groupby("unit")["amount_wan"].sum().sort_values(ascending=False))
    share = ytd.head(3).sum() / ytd.sum() * 100
    lorenz = briefing.captions["lorenz"]
    assert lorenz.startswith(f"资金集中度：到位资金最多的3个单位（{'、'.join(ytd.index[:3])}）"
                             f"占全部的{share:.1f}%")
    # Gini by its textbook definition, mean absolute difference ÷ twice the mean (all 20 units)
    x = ytd.reindex(demo.funds["unit"].unique(), fill_value=0).to_numpy()
    gini = abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert f"（基尼系数{gini:.2f}：0为各单位完全均衡" in lorenz
    assert "资金集中度" in page


def test_the_page_says_which_data_and_files_the_figures_come_from(briefing, tmp_path):
    from zsanalytics.datasets import write_demo_folder
    from zsanalytics.store import ingest, open_store

    # the demo funds run from 2019 (README: six years of history); as_of is 2024-06
    assert briefing.source_line.startswith(
        "数据：到位资金2019年1月至2024年6月（20个单位），2024年任务，项目台账；")
    assert "生成于" in briefing.source_line and briefing.source_line in briefing.to_html()
    folder = write_demo_folder(tmp_path / "files")
    ingest(folder, db=tmp_path / "c.duckdb")
    with open_store(tmp_path / "c.duckdb") as store:
        from_store = briefing_from_store(store, as_of="2024-06")
    names = sorted(p.name for p in folder.rglob("*") if p.is_file() and p.suffix != ".toml")
    assert from_store.files == names
    assert f"读自{len(names)}个文件（{'、'.join(names[:3])}等）" in from_store.source_line


def test_a_sentence_instead_of_an_empty_projection_chart(demo):
    """Funds of 2024 only: no unit has a past year to project from, so the chart is left out
    and the notices say why (project_year_end's own reason, counted per unit)."""
    funds = demo.funds[demo.funds["month"].dt.year == 2024]
    b = build_briefing(None, funds, demo.targets, as_of="2024-06")
    assert "projection" not in b.figures
    said = [n for n in b.notices if n.startswith("全年完成预计未列出")]
    assert len(said) == 1 and "无可用的历史完整年度" in said[0]


def test_december_has_no_projection_and_a_missing_year_is_said(demo):
    funds = demo.funds[demo.funds["month"].dt.year == 2024]
    b = build_briefing(None, funds, demo.targets, as_of="2024-12")
    assert "projection" not in b.figures and "funnel" not in b.figures
    assert not any("同比" in s for s in b.sentences[:1])
    assert "数据中没有2023年的资金，同比未列出。" in b.notices
    assert "没有项目台账，签约转化和逾期项目未列出。" in b.notices


# --- safety ----------------------------------------------------------------------------------

def test_html_escapes_every_user_string(tampered):
    page = tampered.to_html()
    assert EVIL_UNIT not in page and EVIL_PROJECT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page          # the ranking table
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page  # the overdue list
    assert "<script>alert" not in page.replace("\\u003c", "<").replace("&lt;", "")


def test_html_loads_nothing_from_a_network(briefing):
    page = briefing.to_html()
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?https?:""", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Plotly" in page and len(page) > 3_000_000   # plotly.js is inlined


def test_workbook_is_formatted_and_formula_safe(tampered, tmp_path):
    from openpyxl import load_workbook

    path = tampered.write_xlsx(tmp_path / "briefing.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["要点", "各单位完成情况", "按来源", "全年预计", "逾期项目"]
    ranking = book["各单位完成情况"]
    header = [c.value.replace("\n", "") for c in ranking[2]]  # headers break before their unit
    assert header[:4] == ["完成率排名", "单位", "本月（亿元）", "累计（亿元）"]
    row = [c.value for c in ranking[3]]
    expected = tampered.tables["各单位完成情况"].iloc[0]
    assert row[3] == pytest.approx(expected["累计（亿元）"])   # a number, not text
    assert ranking.cell(3, 4).number_format == "0.00"
    gaps = [ranking.cell(r, header.index("与序时进度差（百分点）") + 1).value
            for r in range(3, ranking.max_row + 1)]
    assert all(isinstance(g, float | int) for g in gaps) and min(gaps) < 0  # negatives stay numbers
    fill = ranking.cell(3, 1).fill.fgColor.rgb
    assert fill.endswith({"超序时进度": "DCE9F8", "低于序时进度": "FCEFD9"}[expected["进度"]])
    names = [c.value for c in book["逾期项目"]["C"]]
    assert "'" + FORMULA_PROJECT in names and FORMULA_PROJECT not in names


# --- PNG -------------------------------------------------------------------------------------

def test_png_export_one_browser_for_all_charts(briefing, tmp_path):
    browser()
    pytest.importorskip("kaleido") if not IN_CI else __import__("kaleido")
    from PIL import Image

    paths = briefing.write_png(tmp_path / "png", width=800, scale=1)
    assert [p.name for p in paths] == [f"{n}.png" for n in briefing.figures]
    for path in paths:
        with Image.open(path) as image:
            assert image.width == 800
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is not None and len(colours) > 50   # drawn, not blank


def test_png_export_failure_says_how_to_install_a_browser(briefing, tmp_path, monkeypatch):
    kaleido = pytest.importorskip("kaleido")
    from kaleido.errors import ChromeNotFoundError

    def no_browser(*args, **kwargs):
        raise ChromeNotFoundError("Chrome not found")

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", no_browser)
    with pytest.raises(zsa.ZsAnalyticsError, match="apt-get install chromium fonts-noto-cjk") as exc:
        write_images(list(briefing.figures.values())[:1], [tmp_path / "x.png"])
    # in Chinese, as every message of zsa (issue 14), the install command as it is typed
    assert str(exc.value).startswith("有1个 PNG 文件没有写出（ChromeNotFoundError：")
    assert "写 PNG 图片需要 Chromium 浏览器和中文字体" in str(exc.value)


# --- in a real browser -----------------------------------------------------------------------

# Injected by the test (not part of the product): records errors, CSP violations, resource
# loads and whether Chinese glyphs are real (two characters drawn differently) or tofu (the
# same missing-glyph box), then writes them onto <body> for --dump-dom.
PROBE = """<script>
window.__errors = [];
addEventListener('error', e => __errors.push('error: ' + e.message));
addEventListener('securitypolicyviolation', e => __errors.push('csp: ' + e.violatedDirective));
const __ce = console.error; console.error = (...a) => { __errors.push(a.join(' ')); __ce(...a); };
addEventListener('load', () => setTimeout(() => {
  const glyph = ch => { const c = document.createElement('canvas'); c.width = c.height = 40;
    const g = c.getContext('2d'); g.font = '32px ' + getComputedStyle(document.body).fontFamily;
    g.fillText(ch, 2, 34); return Array.from(g.getImageData(0, 0, 40, 40).data).join(','); };
  const b = document.body;
  b.dataset.errors = JSON.stringify(__errors);
  b.dataset.svgs = document.querySelectorAll('.main-svg').length;
  b.dataset.plots = document.querySelectorAll('.js-plotly-plot').length;
  b.dataset.resources = JSON.stringify(performance.getEntriesByType('resource').map(r => r.name));
  b.dataset.cjk = String(glyph('招') !== glyph('商') && glyph('招') !== glyph('\\uFFFF'));
}, 500));
</script>"""

OFFLINE = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]


def run_chromium(page: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--virtual-time-budget=15000", *OFFLINE, *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tampered, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "briefing.html"
    tampered.write_html(path)
    return path


def _with_probe(page: Path, *, extra: str = "") -> Path:
    """The page with the test's probe in <head> and the probe's own hash added to the page's
    Content-Security-Policy (the page runs only scripts it lists); ``extra`` is put in <body>
    unlisted."""
    from zsanalytics.briefing import script_policy

    text = page.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1)
    text = text.replace("script-src ", "script-src __SCRIPT_HASHES__ ", 1)
    probe_only = script_policy("<head>" + PROBE + "__SCRIPT_HASHES__").split(PROBE, 1)[1]
    text = text.replace("__SCRIPT_HASHES__", probe_only, 1)
    probed = page.with_name("probed.html")
    probed.write_text(text.replace("<body>", "<body>" + extra, 1), encoding="utf-8")
    return probed


def test_page_renders_in_chromium_offline_without_errors(page, tampered):
    probed = _with_probe(page)
    result = run_chromium(probed, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", result.stdout)
    assert body, result.stdout[:2000]
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', body.group(1)))
    unescape = __import__("html").unescape
    assert json.loads(unescape(attrs["errors"])) == []
    assert json.loads(unescape(attrs["resources"])) == []      # nothing fetched: works offline
    n = len(tampered.figures)
    assert int(attrs["plots"]) == n and int(attrs["svgs"]) >= 2 * n   # every chart drawn
    assert attrs["cjk"] == "true"                               # real glyphs, not tofu boxes
    assert "alert(" not in "".join(json.loads(unescape(attrs["errors"])))
    # the evil unit name is on the page as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout


def test_page_policy_lists_its_own_scripts_and_blocks_others(page, tampered):
    text = page.read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', text).group(1)
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    # every inline script of the page is listed by its hash: plotly.js and one per chart
    assert policy.count("'sha256-") == text.count("<script")
    # an injected inline script does not run, while the page's own charts are all drawn
    evil = "<script>document.body.dataset.pwned = 'yes'</script>"
    result = run_chromium(_with_probe(page, extra=evil), "--dump-dom")
    body = re.search(r"<body([^>]*)>", result.stdout)
    assert body, result.stderr[-2000:]
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', body.group(1)))
    assert "pwned" not in attrs
    errors = json.loads(__import__("html").unescape(attrs["errors"]))
    assert any(e.startswith("csp: script-src") for e in errors)   # blocked, and said so
    assert int(attrs["plots"]) == len(tampered.figures)           # the page's own scripts ran


def test_screenshot_shows_a_readable_page(page, tmp_path):
    from PIL import Image, ImageStat

    shot = tmp_path / "briefing.png"
    result = run_chromium(page, f"--screenshot={shot}", "--window-size=1200,4000")
    assert shot.is_file(), result.stderr[-2000:]
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        assert rgb.size == (1200, 4000)
        assert ImageStat.Stat(rgb.convert("L")).stddev[0] > 20      # not a blank page
        colours = dict((c, n) for n, c in rgb.getcolors(maxcolors=1 << 22))
        # the house blue of the cumulative line and the ahead bars is on screen
        assert any(_near(c, (0x2F, 0x7E, 0xD8)) for c in colours)
        # the behind-time-progress orange of the completion chart too
        assert any(_near(c, (0xF0, 0xAD, 0x4E)) for c in colours)


def _near(colour, target, tolerance=6):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True))


# --- reading folders and the command line ----------------------------------------------------

def test_load_folder_reads_csv_tables(demo, tmp_path):
    from zsanalytics._export import write_table

    for name in ("projects", "funds", "targets"):
        write_table(getattr(demo, name), tmp_path / f"{name}.csv")
    projects, funds, targets = load_folder(tmp_path)
    assert len(projects) == len(demo.projects) and len(funds) == len(demo.funds)
    b = build_briefing(projects, funds, targets, as_of="2024-06")
    assert b.sentences == build_briefing(demo.projects, demo.funds, demo.targets,
                                         as_of="2024-06").sentences


def test_cli_briefing_on_the_raw_workbooks(tmp_path, capsys):
    from zsanalytics.datasets import raw_path

    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("ledger", "monthly_report"):
        shutil.copy(raw_path(name), folder / f"{name}.xlsx")
    out = tmp_path / "b.html"
    assert main(["briefing", str(folder), "--as-of", "2024-06", "-o", str(out),
                 "--xlsx", str(tmp_path / "b.xlsx")]) == 0
    text = capsys.readouterr()
    assert out.is_file() and (tmp_path / "b.xlsx").is_file()
    # the monthly report holds 2024 only: 同比 comes from its 上年同期 column, and the page
    # says so; the figures are the demo's published ones (README: 25.27亿元, 同比下降7.2%)
    assert "1-6月，全县实际到位资金25.27亿元，同比下降7.2%" in text.out
    assert "上年同期数取自月报表《monthly_report.xlsx》的“上年同期”列" in text.out
    assert "与《monthly_report.xlsx》工作表“2024年1-6月”第5行“合计”一致" in text.out
    assert "计算到位资金、同比、完成率" in text.err        # progress lines on stderr
    assert re.search(r"完成，用时\d+\.\d秒", text.out)


def test_cli_briefing_demo_default_and_bad_folder(tmp_path, capsys):
    out = tmp_path / "b.html"
    assert main(["briefing", "--as-of", "2024-06", "-o", str(out), "-q"]) == 0
    assert "1-6月，全县实际到位资金25.27亿元" in capsys.readouterr().out
    assert main(["briefing", str(tmp_path / "nowhere")]) == 2
    assert f"zsa：错误：{tmp_path / 'nowhere'} 不是文件夹" in capsys.readouterr().err


def test_cli_speaks_chinese_in_its_own_help_and_errors(capsys):
    """argparse's words (usage, headings, -h, its errors) come out in Chinese too; the
    expected texts are written here by hand from argparse's English ones."""
    with pytest.raises(SystemExit) as stop:
        main(["briefing", "--help"])
    assert stop.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("用法：zsa briefing") and "显示本帮助并退出" in shown
    assert "usage" not in shown and "show this help" not in shown and "options:" not in shown
    for argv, said in ((["briefing", "--as-of"], "zsa briefing：错误：参数 --as-of 后面需要一个值"),
                       (["--nonsense"], "zsa：错误：无法识别的参数：--nonsense"),
                       (["clean", "x.xlsx", "--kind", "both"],
                        "zsa clean：错误：参数 --kind 的取值 'both' 无效"
                        "（可选：'auto', 'ledger', 'monthly'）")):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        assert said in capsys.readouterr().err


def test_empty_funds_is_a_clear_error(demo):
    with pytest.raises(zsa.ZsAnalyticsError, match="funds 为空：没有任何资金数据"):
        build_briefing(None, demo.funds.iloc[0:0], demo.targets)


def test_briefing_from_polars(demo):
    pl = pytest.importorskip("polars")
    b = build_briefing(pl.from_pandas(demo.projects), pl.from_pandas(demo.funds),
                       pl.from_pandas(demo.targets), as_of="2024-06")
    assert b.sentences[0].startswith("1-6月，全县实际到位资金25.27亿元")
    assert isinstance(b.tables["各单位完成情况"], pd.DataFrame)


def test_printed_page_keeps_every_column_of_every_table(page, tmp_path):
    # printed from the browser (A4), the unit table and the overdue table keep their right-hand
    # columns, and the briefing stays within a dozen pages
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        message = "no pdftotext: apt-get install poppler-utils"
        if IN_CI:
            pytest.fail(f"{message} (CI must run the print test)")
        pytest.skip(message)
    pdf = tmp_path / "briefing.pdf"
    run_chromium(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.is_file()
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    # a header may wrap inside its cell (排名变 / 化): a column cut off the page loses it all
    for column in ("与序时进度差", "排名变化", "到位资金排名", "逾期天数", "合同金额", "资金到位率"):
        assert column[:3] in text, column
    pages = subprocess.run([shutil.which("pdfinfo") or "pdfinfo", str(pdf)], capture_output=True,
                           text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) <= 12
    # printed straight from the page (a browser's Ctrl+P, not zsa's --pdf), each page's footer
    # still names the briefing and the page: the page sets the footer's title itself
    count = int(re.search(r"Pages:\s+(\d+)", pages).group(1))
    for n, sheet in enumerate(text.split("\f")[:count], start=1):
        assert f"全县招商引资工作简报（2024年1-6月） — 第 {n} 页 / 共 {count} 页" in sheet, n


def test_overdue_note_names_the_workbook_only_when_one_is_written(briefing):
    """198 overdue projects (test above, from stage_warnings) are more than the page's 30: the
    note says so, points to the workbook when there is one, and never to a command line."""
    alone, beside = briefing.to_html(), briefing.to_html(workbook="简报.xlsx")
    total = briefing.overdue_total
    assert total > 30
    assert f"共{total}个项目，" in alone and "仅列前30个。" in alone
    assert "工作簿" not in alone and "zsa briefing" not in alone
    assert "仅列前30个；全部见工作簿 简报.xlsx。" in beside


def test_no_growth_anywhere_when_last_year_is_not_in_the_data_in_full(demo):
    """Funds from April 2023 on: 2023's 1-6月 lacks January to March, so 同比 is left out of
    the headline — and of the sources line, the 按来源 table and the cumulative chart too, where
    a partial last year would publish growth with the wrong sign (by hand: 省内 2024 1-6月
    against 2023 4-6月 only is growth, against the full half year a fall of 1.6%)."""
    f = demo.funds
    b = build_briefing(demo.projects, f[f["month"] >= "2023-04-01"], demo.targets, as_of="2024-06")
    assert "同比" not in b.sentences[0] and "同比" not in b.sentences[1]
    assert b.sentences[1] == "其中：省内11.34亿元；省外13.93亿元。"
    sources = b.tables["按来源"]
    assert sources["同比（%）"].isna().all() and sources["上年同期（亿元）"].isna().all()
    names = [trace.name for trace in b.figures["cumulative"].data]
    assert "2023年累计" not in names and "2024年累计" in names


def test_no_signings_this_year_is_a_sentence_not_a_chart_of_zeros(demo):
    """January before any signing: the funnel chart would be four zeros. And an empty ledger is
    no ledger, not a claim that nothing is overdue."""
    p = demo.projects
    b = build_briefing(p[p["signed_on"].dt.year != 2024], demo.funds, demo.targets, as_of="2024-06")
    assert "funnel" not in b.figures and "funnel" not in b.captions
    assert "2024年截至6月底尚无签约项目，签约转化未列出。" in b.sentences
    assert ("当年签约项目", "0个", "尚无当年签约项目") in b.cards
    empty = build_briefing(p.iloc[0:0], demo.funds, demo.targets, as_of="2024-06")
    assert "没有项目台账，签约转化和逾期项目未列出。" in empty.notices
    assert "无逾期项目" not in empty.to_html()


def test_a_unit_left_out_of_the_funds_is_said_not_shown_as_a_quiet_zero(demo):
    """城北镇's 2024 rows removed (its target stays): it is listed as 无实绩, and a notice says
    that the data has no row for it at all — unlike 双河乡 and 县农业农村局, whose rows are zeros
    (the demo's 12 rows each in 1-6月 2023-2024 sum to 0)."""
    f = demo.funds
    gone = f[~((f["unit"] == "城北镇") & (f["month"].dt.year == 2024))]
    b = build_briefing(demo.projects, gone, demo.targets, as_of="2024-06")
    said = [n for n in b.notices if "没有任何记录" in n]
    assert said == ["城北镇2024年1-6月在资金数据中没有任何记录（不是填了零），按无实绩列出；"
                    "如是漏报，请补齐后重新生成。"]
    row = b.tables["各单位完成情况"].set_index("单位").loc["城北镇"]
    assert row["进度"] == "无实绩"
    whole = build_briefing(demo.projects, f, demo.targets, as_of="2024-06")
    assert not any("没有任何记录" in n for n in whole.notices)


def test_projection_table_reads_from_best_to_worst_with_the_total_last(briefing):
    table = briefing.tables["全年预计"]
    assert table["单位"].iloc[-1] == "合计"
    units = table.iloc[:-1]
    known = units["预计完成率（%）"].notna()
    # every unit that can be projected comes before every one that cannot (README: 双河乡 and
    # 县农业农村局 have no results this year), and the projected ones run downwards
    assert known.tolist() == sorted(known.tolist(), reverse=True)
    assert set(units.loc[~known, "单位"]) == {"双河乡", "县农业农村局"}
    assert units.loc[known, "预计完成率（%）"].is_monotonic_decreasing
