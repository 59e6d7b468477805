"""The briefing as a PDF (``zsa briefing --pdf``, :meth:`Briefing.write_pdf`): A4 through
headless Chromium, read back with poppler's ``pdftotext``, ``pdfinfo`` and ``pdftoppm``.

Like the other browser tests these skip on a user's machine without Chromium or poppler-utils
and fail in CI (``CI=true``), where ``.ci/run`` installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import zsanalytics as zsa
from zsanalytics.briefing import build_briefing, images
from zsanalytics.cli import main

from .conftest import IN_CI

# Written out by hand from the issue and the page (not read from the code): the title of the
# demo county's half-year briefing, and the columns of its two tables.
TITLE = "全县招商引资工作简报（2024年1-6月）"
UNIT_COLUMNS = ["完成率排名", "单位", "本月（亿元）", "累计（亿元）", "同比（%）", "年度任务（亿元）",
                "完成率（%）", "与序时进度差（百分点）", "进度", "排名变化", "到位资金排名"]
OVERDUE_COLUMNS = ["单位", "项目编号", "项目名称", "签约日期", "存在问题", "逾期天数",
                   "合同金额（亿元）", "资金到位率（%）"]


def _need(found: object, message: str) -> None:
    if not found:
        if IN_CI:
            pytest.fail(f"{message} (CI must run the PDF tests)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    _need(images.find_browser(), "no Chromium: apt-get install chromium fonts-noto-cjk")
    found = {name: shutil.which(name) for name in ("pdftotext", "pdfinfo", "pdftoppm")}
    _need(all(found.values()), "no poppler: apt-get install poppler-utils")
    return found


@pytest.fixture(scope="module")
def briefing(demo):
    return build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06")


@pytest.fixture(scope="module")
def pdf(briefing, tools, tmp_path_factory) -> Path:
    return briefing.write_pdf(tmp_path_factory.mktemp("pdf") / "briefing.pdf")


def _pages(pdf: Path, tools) -> int:
    info = subprocess.run([tools["pdfinfo"], str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _text(pdf: Path, tools, page: int | None = None) -> str:
    """The text in the order Chromium drew it (``-raw``: a table cell's wrapped lines stay
    together), without white space, so that a header wrapped in its cell reads whole."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run([tools["pdftotext"], "-raw", *pages, str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def test_pdf_is_a4_within_twelve_pages(pdf, tools):
    info = subprocess.run([tools["pdfinfo"], str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    # A4 is 210 × 297 mm = 595.28 × 841.89 pt
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (595, 842)
    assert 1 < _pages(pdf, tools) <= 12


def test_every_unit_and_every_column_of_both_tables(pdf, tools, demo):
    text = _text(pdf, tools)
    # the unit table: from its heading to the overdue list's (charts above name units too)
    start = text.rindex("各单位完成情况")
    end = text.index("逾期项目（", start)
    unit_table, overdue_table = text[start:end], text[end:]
    for column in UNIT_COLUMNS:
        assert column in unit_table, column
    for column in OVERDUE_COLUMNS:
        assert column in overdue_table, column
    # every unit of the demo data, read from its funds table, has its row
    units = sorted(demo.funds["unit"].unique())
    assert len(units) == 20
    for unit in units:
        assert re.search(rf"第\d+位{re.escape(unit)}\d", unit_table), unit


def test_table_headers_repeat_on_every_page_a_table_runs_onto(pdf, tools, demo):
    units = "|".join(re.escape(u) for u in demo.funds["unit"].unique())
    # a row of the unit table: rank, unit, then 本月 and 累计 (a chart label has 亿元 after
    # its figure); a row of the overdue list: unit then the project number ZS…
    tables = {"".join(UNIT_COLUMNS): re.compile(rf"第\d+位(?:{units})\d+\.\d\d\d"),
              "".join(OVERDUE_COLUMNS): re.compile(rf"(?:{units})ZS\d{{8}}")}
    spans = []
    for header, row in tables.items():
        pages = [p for p in range(1, _pages(pdf, tools) + 1) if row.search(_text(pdf, tools, p))]
        assert pages, header
        for page in pages:
            assert header in _text(pdf, tools, page), (header, page)
        spans.append(len(pages))
    # 20 unit rows and 30 overdue rows do not fit one A4 page: at least one table runs on
    assert sum(spans) > 2


def test_every_page_has_the_title_and_its_number_in_the_footer(pdf, tools):
    n = _pages(pdf, tools)
    for page in range(1, n + 1):
        assert f"{TITLE}—第{page}页/共{n}页" in _text(pdf, tools, page), page


def test_charts_are_drawn_before_printing(pdf, tools, tmp_path):
    from PIL import Image

    subprocess.run([tools["pdftoppm"], "-r", "40", "-png", str(pdf), str(tmp_path / "p")],
                   check=True)
    colours = set()
    for png in sorted(tmp_path.glob("p-*.png")):
        with Image.open(png) as image:
            colours |= {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    # the behind-time-progress orange (#f0ad4e) of the completion and ranking bars: only a
    # drawn chart puts it on paper (the table rows are a pale #fcefd9)
    assert any(all(abs(a - b) <= 8 for a, b in zip(c, (0xF0, 0xAD, 0x4E), strict=True))
               for c in colours)


def test_footer_shows_a_title_with_quotes_and_markup_as_text(demo, tools, tmp_path):
    scope = '城西镇"</style><b>'
    b = build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-06", scope=scope)
    pdf = b.write_pdf(tmp_path / "b.pdf")
    # by hand: the scope, then the rest of the title as the demo's
    assert f'{scope}招商引资工作简报（2024年1-6月）—第1页/共' in _text(pdf, tools, 1)


def test_cli_writes_the_pdf_beside_the_page(tools, tmp_path, capsys):
    html, pdf = tmp_path / "b.html", tmp_path / "b.pdf"
    assert main(["briefing", "--as-of", "2024-06", "-o", str(html), "--pdf", str(pdf), "-q"]) == 0
    assert f"已写入 {pdf}" in capsys.readouterr().out
    assert html.is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert TITLE in _text(pdf, tools, 1)


def test_cli_refuses_a_pdf_name_without_pdf_before_any_work(tmp_path, capsys):
    out = tmp_path / "b.html"
    assert main(["briefing", "--as-of", "2024-06", "-o", str(out),
                 "--pdf", str(tmp_path / "b.html.txt")]) == 2
    err = capsys.readouterr().err
    assert "--pdf" in err and "应以 .pdf 结尾" in err
    assert not list(tmp_path.iterdir())          # not even the page was written
    # and -o with a .pdf name points to --pdf
    assert main(["briefing", "--as-of", "2024-06", "-o", str(tmp_path / "b.pdf")]) == 2
    assert "--pdf FILE.pdf" in capsys.readouterr().err


def _lines(pdf: Path, tools, page: int) -> list[str]:
    """A page's text line by line as Chromium drew it (``-raw``), white space kept: a word a
    cell wrapped is on two lines here."""
    out = subprocess.run([tools["pdftotext"], "-raw", "-f", str(page), "-l", str(page), str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def _hand_rows(demo, month: int) -> dict[str, str]:
    """Each unit's 与序时进度差 and 进度 as the unit table should print them, by hand from the
    demo funds and targets: completion = 1–``month`` 2024 CNY funds ÷ the 2024 target, time
    progress = month ÷ 12, the difference rounded half up with its sign as the 通报 writes it."""
    from decimal import ROUND_HALF_UP, Decimal

    f = demo.funds
    f = f[(f["currency"] == "CNY") & (f["month"].dt.year == 2024) & (f["month"].dt.month <= month)]
    ytd = f.groupby("unit")["amount_wan"].sum()
    t = demo.targets
    target = t[(t["year"] == 2024) & (t["indicator"] == "funds_in_place")].set_index("unit")["target"]
    rows = {}
    for unit, goal in target.items():
        done = float(ytd.get(unit, 0.0))
        gap = Decimal(repr(done / goal * 100 - month / 12 * 100)).quantize(Decimal("0.1"),
                                                                           ROUND_HALF_UP)
        status = "无实绩" if done == 0 else "超序时进度" if gap >= 0 else "低于序时进度"
        rows[unit] = f"{'0.0' if gap == 0 else f'{gap:+}'} {status}"
    return rows


@pytest.fixture(scope="module")
def december_pdf(demo, tools, tmp_path_factory) -> Path:
    b = build_briefing(demo.projects, demo.funds, demo.targets, as_of="2024-12")
    return b.write_pdf(tmp_path_factory.mktemp("pdf12") / "december.pdf")


@pytest.mark.parametrize("month", [6, 12], ids=["2024-06", "2024-12"])
def test_unit_table_prints_whole_words_signed_gaps_and_its_heading_with_it(month, request, demo,
                                                                            tools):
    pdf = request.getfixturevalue("pdf" if month == 6 else "december_pdf")
    expected = _hand_rows(demo, month)
    assert len(expected) == 20 and "低于序时进度" in " ".join(expected.values())
    units = "|".join(re.escape(u) for u in expected)
    row = re.compile(rf"^(?:并列)?第\d+位 ({units}) \d+\.\d\d \d+\.\d\d ")
    found, pages = {}, []
    for page in range(1, _pages(pdf, tools) + 1):
        lines = _lines(pdf, tools, page)
        rows = {m.group(1): line for line in lines if (m := row.match(line))}
        if not rows:
            continue
        pages.append(page)
        found |= rows
        # headings whole: the unit on a line of its own, never 完成率排/名 or 排名变/化
        for header in ("完成率排名", "排名变化", "到位资金排名", "与序时进度差"):
            assert any(header in line.split() for line in lines), (header, page)
        assert "（百分点）" in lines[next(i for i, line in enumerate(lines)
                                        if "与序时进度差" in line.split()) + 1]
    assert sorted(found) == sorted(expected)
    for unit, line in found.items():
        # the status in one piece (not 低于序时进/度), after the gap with its sign (+10.3)
        assert f" {expected[unit]} " in f"{line} ", (unit, line)
    # the heading and its caption on the page the table starts on, not alone a page before
    first = re.sub(r"\s+", "", "\n".join(_lines(pdf, tools, pages[0])))
    assert re.search(r"各单位完成情况序时进度＝.*?。完成率排名", first), pages[0]


def test_no_browser_is_a_chinese_error_with_the_install_command(briefing, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(images.shutil, "which", lambda name: None)
    monkeypatch.setattr(images, "_choreographer_browser", lambda: None)
    with pytest.raises(zsa.ZsAnalyticsError, match="找不到 Chromium") as exc:
        briefing.write_pdf(tmp_path / "b.pdf")
    assert "apt-get install chromium fonts-noto-cjk" in str(exc.value)
    assert not (tmp_path / "b.pdf").exists()


def test_all_four_outputs_from_one_command_say_the_same_figures(tools, demo, tmp_path, capsys):
    """The issue's acceptance command: page, workbook, 通报 and PDF written together, and the
    headline figure and the overdue count the same in all four. Expected values by hand from
    the demo funds (README: 252,667.54万元 → 25.27亿元) and from stage_warnings (projects)."""
    import docx
    from openpyxl import load_workbook

    f = demo.funds
    ytd = f[(f["currency"] == "CNY") & (f["month"].dt.year == 2024) & (f["month"].dt.month <= 6)]
    headline = f"{ytd['amount_wan'].sum() / 1e4:.2f}亿元"
    overdue = zsa.stage_warnings(demo.projects, as_of="2024-06-30")["project_id"].nunique()
    out = {s: tmp_path / f"b.{s}" for s in ("html", "xlsx", "docx", "pdf")}
    assert main(["briefing", "--as-of", "2024-06", "-o", str(out["html"]), "--xlsx", str(out["xlsx"]),
                 "--docx", str(out["docx"]), "--pdf", str(out["pdf"]), "-q"]) == 0
    printed = capsys.readouterr().out
    assert all(f"已写入 {path}" in printed for path in out.values())
    page = out["html"].read_text(encoding="utf-8")
    book = load_workbook(out["xlsx"])
    points = " ".join(str(c.value) for row in book["要点"].iter_rows() for c in row if c.value)
    word = "\n".join(p.text for p in docx.Document(str(out["docx"])).paragraphs)
    pdf_text = _text(out["pdf"], tools).replace("\n", "")
    for name, text in (("page", page), ("workbook", points), ("通报", word), ("PDF", pdf_text)):
        assert f"全县实际到位资金{headline}" in text.replace(" ", ""), name
    assert f"逾期项目（{overdue}个）" in page and f"逾期项目（{overdue}个）" in pdf_text.replace(" ", "")
    assert f"逾期未推进项目{overdue}个" in word.replace(" ", "")
    assert len(book["逾期项目"]["A"]) - 2 == overdue  # the title and header rows, then a row each
