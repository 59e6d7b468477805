# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · What leadership receives
#
# Notebooks 01-06 computed the figures. This one follows them out of the office: the demo
# county's (演示县) files as an analyst receives them, read into one store, checked against the
# reports' own totals, and written as the four things that leave the 商务局 each month — the
# page (简报), the workbook, the Word 通报 and the PDF. For the report month 2024-06:
#
# 1. **from the files to a store**: is every file accounted for, and what does the store hold
#    (sources, issues, revisions, which months)?
# 2. **the gate**: does the headline equal the monthly report's own 合计, and what happens to a
#    month outside the data, or to a file whose figures no longer add up?
# 3. **the briefing**: what does the page say — cards, sentences, notices, the base of every
#    rate — and which tables and charts carry it?
# 4. **the outputs**: the page, the workbook as it prints, the 通报 with one ranking per unit
#    group, and the PDF.
#
# Everything is written to a temporary folder; nothing here touches the repository.

# %%
import shutil
import tempfile
from pathlib import Path

import docx
import pandas as pd
from openpyxl import load_workbook

import zsanalytics as zsa
from zsanalytics.briefing import briefing_from_store
from zsanalytics.briefing.docx import tongbao_from_store, write_docx
from zsanalytics.briefing.images import find_browser
from zsanalytics.datasets import monthly_file_name, write_demo_folder

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 60)
AS_OF = "2024-06"
RAW = Path("../data/raw") if Path("../data/raw").is_dir() else Path("data/raw")
PROFILE = RAW / "zsa.toml"  # the demo county's hand-written profile
work = Path(tempfile.mkdtemp(prefix="zsa-07-"))  # every file this notebook writes goes here


def name(path):
    """A file's name without the temporary folder in front of it."""
    return Path(path).name


# %% [markdown]
# ## 1 · From the files analysts receive to a store
# `write_demo_folder` writes the folder as it sits on an analyst's disk: the statistics
# platform's monthly report (月报表) downloaded once a month, each file holding the year to date
# (1月, 1-2月, …, 1-12月), and the project ledger (项目台账). Beside them we put the county's
# profile, `zsa.toml` (`data/raw/zsa.toml`): what the files call each unit, and which group —
# 乡镇, 街道, 县直单位, 园区 — it is ranked in.

# %%
folder = write_demo_folder(work / "files")
shutil.copy(PROFILE, folder / "zsa.toml")
sorted(p.name for p in folder.iterdir())

# %% [markdown]
# `zsa.ingest` reads the whole folder into one DuckDB file — the store. Every file comes back
# with a status: the twelve reports and the ledger are read, the profile is listed as not read
# (it is not a table; its groups are remembered by the store). Nothing is skipped without a word.

# %%
db = work / "county.duckdb"
report = zsa.ingest(folder, db=db)
report.counts()

# %%
report.files.assign(path=report.files["path"].map(name))

# %% [markdown]
# The store keeps, for each file, its sha256, the period it covers and how many rows were read
# or excluded (合计, notes) — the provenance every figure points back to. A file with the same
# sha256 is not read again next month.

# %%
store = zsa.open_store(db)
sources = store.df("sources")
sources.assign(path=sources["path"].map(name), sha256=sources["sha256"].str[:12])[
    ["path", "kind", "period", "end_month", "rows", "excluded_rows", "status", "sha256"]].head(4)

# %% [markdown]
# The problems found on the way in, counted by problem (`report.issues`) and listed one by one
# in table `issues` with file, sheet and row: unit names normalised (石桥镇人民政府 → 石桥镇),
# approximate amounts (约, 近, 余), dates given as a month only, 合计 rows kept out of the data
# and checked instead. This is the list to send back to whoever keeps the ledger.

# %%
report.issues

# %%
issues = store.df("issues")
issues.assign(source_file=issues["source_file"].map(name))[
    ["source_file", "sheet", "row", "problem", "action", "message"]].sample(5, random_state=7)

# %% [markdown]
# Table `revisions` is where a figure that changed between downloads is kept, old beside new
# with both files. The demo's reports were each downloaded once, so it is empty; section 2
# shows a row of it.

# %%
store.df("revisions")

# %% [markdown]
# Coverage: the rows per table, and for each month whether it has data and whether every unit
# and source of the year is in it. A gap would be listed by `gaps()`; the demo has none, and
# its last complete month is December.

# %%
coverage = store.coverage()
coverage.tables.set_index("table")["rows"].to_dict()

# %%
coverage.months[["year", "month", "has_data", "kind", "units", "expected_units", "complete"]].head(6)

# %%
coverage.first_month, coverage.last_complete_month, len(coverage.gaps())

# %% [markdown]
# ## 2 · The gate
# A confident wrong headline is worse than none. `zsa.reconcile` checks the headline —
# 实际到位资金 in 万元 and 实际利用外资 in 万美元, each summed from the units — against the
# 1-N月累计 合计 printed in the latest monthly report, within the report's rounding (half a
# unit of its last decimal for every unit added). Each check names the file, sheet and row of
# the figure it was checked against.

# %%
check = zsa.reconcile(store, as_of=AS_OF)
check.checks.assign(source_file=check.checks["source_file"].map(name))

# %%
check.ok, check.reconciled

# %% [markdown]
# 252,667.54万元 from the twenty units equals the 合计 on row 5 of the 1-6月 report. The notices
# say so on the page, and say where last year's figure for 同比 comes from — here the report's own
# 上年同期 column, because the store holds no monthly funds for 2023.

# %%
for notice in check.notices:
    print(notice)

# %% [markdown]
# ### A month outside the data is refused
# A month after the last one with funds, or before the first, is never shown as zero: the gate
# refuses it and names the months the data holds.

# %%
for month in ("2025-01", "2023-12"):
    try:
        zsa.reconcile(store, as_of=month)
    except zsa.MonthOutOfRangeError as e:
        print(e)

# %% [markdown]
# ### A figure that no longer adds up
# A colleague's copy of the folder, with one figure typed over in the June report: 河口镇's
# 1-6月累计 1,000万元 higher, the 合计 left as the platform printed it. The copy is read into a
# second store first as downloaded, then again after the edit — as happens when a file is
# re-downloaded or "corrected" by hand.

# %%
copy = shutil.copytree(folder, work / "copy")
second = work / "second.duckdb"
zsa.ingest(copy, db=second)

june = copy / monthly_file_name(2024, 6)
book = load_workbook(june)
sheet = book.active
row = next(r for r in range(6, sheet.max_row + 1) if str(sheet.cell(r, 1).value).startswith("河口镇"))
print(sheet.cell(row, 1).value, "row", row, ":", sheet.cell(row, 3).value, "→",
      round(sheet.cell(row, 3).value + 1000, 2))
sheet.cell(row, 3).value = round(sheet.cell(row, 3).value + 1000, 2)
book.save(june)

again = zsa.ingest(copy, db=second)
again.counts()

# %% [markdown]
# Only the changed file is read again. The old figure, the new one and both files go to table
# `revisions` — the answer to "why did this number change since last month?" — and the reader
# already notes that the June 合计 and its units disagree (`total_mismatch`).

# %%
again.revisions.assign(old_file=again.revisions["old_file"].map(name))[
    ["unit", "source", "end_month", "old_ytd_wan", "new_ytd_wan", "change_wan", "old_file",
     "old_sheet", "old_row", "kind"]]

# %%
again.issues

# %% [markdown]
# The briefing for June is refused, with both figures, the difference, and the file, sheet and
# row of the total it disagrees with. May, which the edit does not touch, still reconciles.

# %%
with zsa.open_store(second) as edited:
    try:
        briefing_from_store(edited, as_of=AS_OF)
    except zsa.ReconciliationError as e:
        print(e)
    print("2024-05 reconciles:", zsa.reconcile(edited, as_of="2024-05").ok)
    forced = briefing_from_store(edited, as_of=AS_OF, allow_mismatch=True)
forced.banners

# %% [markdown]
# `allow_mismatch=True` (`--allow-mismatch` on the command line) publishes anyway, and the line
# above is what it costs: a red banner at the top of the page, stating the difference, for
# everyone who reads it.

# %% [markdown]
# ## 3 · The briefing
# `briefing_from_store` runs the gate, then computes everything the page shows from the store's
# tables — the same metric calls as notebooks 02-05.

# %%
b = briefing_from_store(store, as_of=AS_OF)
b.title

# %% [markdown]
# The cards at the top of the page: each figure with the note that makes it readable — 同比,
# the gap to 序时进度, the base of each rate.

# %%
pd.DataFrame(b.cards, columns=["card", "figure", "note"])

# %% [markdown]
# The report sentences, in the form a 通报 or a leader's speech quotes them (rounded half up):

# %%
for sentence in b.sentences:
    print(sentence)

# %% [markdown]
# What the reader should know about the data: which 合计 the figures were checked against,
# where last year's figure comes from, projects whose stage dates are missing or out of order,
# and why there is no year-end projection (the demo's store holds 2024 only, and a projection
# needs past years).
# Under the title, the source line says which data and which files.

# %%
for notice in b.notices:
    print("·", notice)
print(b.source_line)

# %% [markdown]
# Every chart says its base in plain words under its heading: 序时进度 is months elapsed ÷ 12;
# 落地率 and 开工率 are over this year's signings, the cohort the assessment counts; 资金集中度
# is the share of the three units with most funds, with the Gini coefficient in brackets.

# %%
for figure in ("completion", "funnel", "lorenz"):
    print(b.chart_titles[figure])
    print("  ", b.captions[figure])

# %% [markdown]
# The tables, one sheet each in the workbook: 要点 (the sentences), the units, the sources, the
# projection and the overdue projects.

# %%
{sheet_name: len(table) for sheet_name, table in b.tables.items()}

# %% [markdown]
# The units, ranked by completion, with the gap to 序时进度 in percentage points, the status that
# colours the row, the change of rank since May and the rank by funds:

# %%
b.tables["各单位完成情况"].round(2).head(8)

# %% [markdown]
# The overdue projects, one row per project with all its problems (未落地、到位不足25%), this
# year's signings first — the ones the year's assessment will ask about — then the most overdue.

# %%
overdue = b.tables["逾期项目"]
this_year = pd.to_datetime(overdue["签约日期"]).dt.year == 2024
assert overdue["项目编号"].is_unique
assert this_year.iloc[:this_year.sum()].all()  # this year's signings come first
print(f"{len(overdue)} projects, {this_year.sum()} of them signed in 2024")
first = int(this_year.sum())
overdue.round({"合同金额（亿元）": 2, "资金到位率（%）": 1}).iloc[first - 4:first + 3]

# %% [markdown]
# One of the charts: completion per unit against the 序时进度 line.

# %%
b.figures["completion"]

# %% [markdown]
# ## 4 · The outputs
# ### The page
# One HTML file: styles, plotly.js and every chart inlined, nothing loaded from a network, so it
# opens offline, from an e-mail attachment or forwarded on WeChat. `workbook=` names the
# workbook written beside it, which the page points to for the rows it leaves out.

# %%
page = b.write_html(work / "briefing.html", workbook=work / "briefing.xlsx")
text = page.read_text(encoding="utf-8")
print(f"{page.name}: {page.stat().st_size / 1e6:.1f} MB;", b.title in text,
      "Content-Security-Policy" in text)

# %% [markdown]
# ### The workbook
# The same tables for colleagues who want to sort and filter: 要点 first, Chinese headers, 亿元
# with two decimals, status colours. Each sheet prints on A4 landscape, one page wide (as many
# pages long as needed: `fitToHeight` 0), with its header row repeated on every page.

# %%
workbook = b.write_xlsx(work / "briefing.xlsx")
pd.DataFrame([{
    "sheet": ws.title,
    "orientation": ws.page_setup.orientation,
    "A4": str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4,
    "fit to page": ws.sheet_properties.pageSetUpPr.fitToPage,
    "fitToWidth": ws.page_setup.fitToWidth,
    "fitToHeight": ws.page_setup.fitToHeight,
    "repeated rows": ws.print_title_rows,
    "frozen at": ws.freeze_panes,
} for ws in load_workbook(workbook).worksheets])

# %% [markdown]
# ### The 通报
# The Word 通报 goes to the units. It ranks them within their group, as the county assesses
# them — a township against townships, a park against parks — and the groups come from the
# profile the store was ingested with:

# %%
pd.Series(store.groups).value_counts()

# %%
t = tongbao_from_store(store, as_of=AS_OF)
store.close()
pd.concat(t.rankings, names=["group", None]).round(2)

# %% [markdown]
# The profile's 乡镇 and 街道 are ranked together as 乡镇（街道）; 排名变化 is against May's ranking
# in the same group. Each group gets one sentence:

# %%
for sentence in t.group_sentences.values():
    print(sentence)

# %% [markdown]
# `write_docx` refuses a 通报 whose figures differ from the briefing's, so the two documents
# cannot disagree. `images=False` leaves the charts out (with them, they go into an 附件, drawn
# through Chromium). Its headings, read back with python-docx:

# %%
tongbao = write_docx(b, work / "tongbao.docx", tongbao=t, images=False)
document = docx.Document(str(tongbao))
for paragraph in document.paragraphs:
    if paragraph.style.name in ("通报标题", "通报一级标题", "通报二级标题"):
        print(paragraph.text.replace("\n", ""))
print(len(document.tables), "tables")

# %% [markdown]
# ### The PDF
# The page printed through headless Chromium on A4: every column of every table, headers
# repeated, the title and 第 N 页 / 共 M 页 in each footer. Without a Chromium on the machine the
# rest still works; the PDF is skipped with a sentence.

# %%
if find_browser():
    pdf = b.write_pdf(work / "briefing.pdf", workbook=work / "briefing.xlsx")
    print(f"{pdf.name}: {pdf.stat().st_size / 1e3:.0f} kB, starts with {pdf.read_bytes()[:5]!r}")
else:
    print("No Chromium here: the PDF is not written (apt-get install chromium fonts-noto-cjk).")

# %%
sorted(p.name for p in work.iterdir())

# %% [markdown]
# ## What goes to whom
# - **the 通报** (`tongbao.docx`, or `zsa briefing … --docx`) to the units: their ranking within
#   their group, the overdue projects by unit, the problems and the next steps, in official
#   format;
# - **the page** (`briefing.html`), or **the PDF** where a file must print the same everywhere,
#   to leadership: the headline cards, the sentences, the charts with their bases;
# - **the workbook** (`briefing.xlsx`) to colleagues who check or reuse the figures, with every
#   overdue project on its sheet, and the `issues` table to whoever keeps the ledger.
#
# And one rule over all of them: a figure that does not reconcile with its source's own 合计 is
# refused, not published. When it must go out anyway, it goes out under a red banner that says
# by how much and where.
