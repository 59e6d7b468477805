# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · Clean the ledger: every row and every yuan accounted for
#
# The demo county (演示县) sends us what every county sends: a project ledger (项目台账) kept by
# hand in Excel, and the statistics platform's monthly table (月报表), one sheet per month.
# Before any figure reaches leadership we read both into canonical tables and check that
#
# 1. **rows are conserved**: every non-empty row below the header is either a project or an
#    excluded row with a reason (合计, 小计, a section heading, a note);
# 2. **money is conserved**: the amounts we read add up to what the sheet's own subtotals say,
#    and where they do not, we can say which row is wrong;
# 3. **every problem is listed**: masked figures, words in date columns, unit names spelled
#    three ways, repeated projects.

# %%
import pandas as pd

import zsanalytics as zsa
from zsanalytics.datasets import raw_path

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 160)

# %% [markdown]
# ## The ledger as it arrives
# A merged title, a 金额单位 line, a two-level header (时间节点 over the stage dates), section
# headings, 小计 and 合计 rows, a signature line at the bottom:

# %%
raw = pd.read_excel(raw_path("ledger"), engine="calamine", header=None, nrows=12)
raw.iloc[:, :12]

# %% [markdown]
# ## Read it

# %%
ledger = zsa.read_ledger(raw_path("ledger"))
ledger.meta

# %%
ledger.data.head()

# %% [markdown]
# ### How the sheet was understood
# Every column's header path (two-level headers joined with ` / `), the canonical column it
# became, and the unit written in it. A column the reader does not know stays in the table
# under its own header and is listed here as missing; the county profile (`zsa.toml` beside the
# file, here `data/raw/zsa.toml`) or `columns=` names it. From the shell, `zsa inspect FILE`
# prints the same.

# %%
ledger.plan

# %% [markdown]
# The issues go back to the clerk who keeps the ledger, in Chinese:

# %%
ledger.issues_zh().query("处理 != '已规范'").head(8)

# %% [markdown]
# ### Rows in = rows out + rows excluded

# %%
ledger.accounting

# %%
acc = ledger.accounting.iloc[0]
assert acc["nonempty_rows"] == acc["data_rows"] + acc["excluded_rows"]
ledger.excluded()[["row", "problem", "raw_value"]]

# %% [markdown]
# ### Every problem, counted and listed

# %%
ledger.summary()

# %%
ledger.issues.query("action != 'normalised'").head(20)

# %% [markdown]
# ### Money: the sheet's own 小计 against the rows above them
# One 小计 does not match its rows: its contract amount is 900 万元 more than the projects
# above it add up to. Two more cannot be fully checked because a funds figure is masked
# (`xx`), and the message says how much the masked rows would have to hold.

# %%
ledger.issues[ledger.issues["problem"].str.contains("total")][["row", "column", "problem",
                                                               "message"]]

# %% [markdown]
# Amounts keep their currency: foreign projects stay in 万美元 and are never added to 元.

# %%
projects = ledger.data
projects.groupby("currency")[["contract_wan", "funds_in_place_wan"]].sum().round(2)

# %% [markdown]
# ### Against the truth
# The demo ledger was written from the demo county's canonical tables, so we can check the
# reading against them: every project is there, and every amount that was not masked is the
# same to the last fen.

# %%
demo = zsa.load_demo()
first = projects.drop_duplicates("project_id").set_index("project_id")
truth = demo.projects.set_index("project_id")
check = first.loc[truth.index]
pd.Series({
    "projects in the truth": len(truth),
    "projects read": len(first),
    "repeated rows kept and flagged": len(projects) - len(first),
    "contract amounts equal": int((check["contract_wan"] - truth["contract_wan"]).abs()
                                  .lt(1e-6).sum()),
    "funds amounts equal": int((check["funds_in_place_wan"] - truth["funds_in_place_wan"])
                               .abs().lt(1e-6).sum()),
    "funds masked (xx)": int(check["funds_in_place_wan"].isna().sum()),
})

# %% [markdown]
# ## The monthly report
# Twelve sheets, 1月 to 1-12月, each with year-to-date figures. Monthly amounts are the
# differences; a fall in the cumulative figure (a revision) is kept and reported, and 本月,
# 同比 and 完成率 are checked against the figures beside them.

# %%
report = zsa.read_monthly_report(raw_path("monthly_report"))
report.summary()

# %%
report.issues.query("action == 'checked' or problem == 'negative_increment'")[
    ["sheet", "row", "problem", "message"]]

# %% [markdown]
# Money is conserved from the monthly sheets to the monthly table: the 2024 funds we derive
# equal the demo county's own monthly funds, in each currency.

# %%
f = demo.funds[demo.funds["month"].dt.year == 2024]
pd.DataFrame({
    "from the report": report.data.groupby("currency")["amount_wan"].sum(),
    "the county's own table": f.groupby("currency")["amount_wan"].sum(),
}).round(2)

# %% [markdown]
# Annual targets come with it:

# %%
report.targets.head()
