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
# # 02 · Funds in place: how much has arrived, and is it more than last year?
#
# The first two questions of every monthly meeting. We answer them for the demo county (演示县)
# at the end of June 2024, the half-year report (上半年):
#
# 1. how much has arrived by month, and how this year's cumulative line runs against last year's
#    and against the annual target;
# 2. by source (省外 / 省内; foreign funds in 万美元 kept apart);
# 3. by unit, and **where the growth came from**: each unit's contribution to the county's
#    growth in percentage points (拉动增长), which is what the written report needs.
#
# Every figure comes from one call to the metric functions; the same calls run unchanged on
# polars, DuckDB or Spark tables (the last cell shows DuckDB).

# %%
import duckdb
import pandas as pd
import plotly.express as px

import zsanalytics as zsa
from zsanalytics import charts

pd.set_option("display.width", 160)
AS_OF = "2024-06"

demo = zsa.load_demo()
funds, targets = demo.funds, demo.targets
funds.head()

# %% [markdown]
# ## The headline: 1-6月 against 1-6月 last year
# `funds_in_place` counts only CNY rows unless asked otherwise; foreign funds never leak into
# 元. `by=()` gives one county-wide row.

# %%
county = zsa.funds_in_place(funds, as_of=AS_OF, by=())
county

# %%
row = county.iloc[0]
print(f"1-6月，全县实际到位资金{row['ytd_wan'] / 1e4:.2f}亿元，上年同期{row['last_ytd_wan'] / 1e4:.2f}亿元，"
      f"同比{'增长' if row['yoy_pct'] >= 0 else '下降'}{abs(row['yoy_pct']):.1f}%。")

# %% [markdown]
# ## Month by month, and the cumulative line against last year and the target
# `cumulative` accumulates this year through June beside the whole of last year in one
# aggregation; `charts.cumulative_chart` draws the two lines with the annual target.

# %%
curve = zsa.cumulative(funds, as_of=AS_OF)
curve.round(1)

# %%
target_wan = zsa.scorecard(funds, targets, as_of=AS_OF, by=())["target_wan"].iloc[0]
charts.cumulative_chart(curve, target_wan=target_wan)

# %% [markdown]
# The demo county behaves like real ones: a slow first quarter and a December rush, so the
# cumulative line bends upward late. That shape is why completion at mid-year is usually below
# 50% and why notebook 05 projects the year from each unit's own calendar rather than by
# doubling the half-year figure.

# %% [markdown]
# ## By source
# 省外 and 省内 in 万元; 境外 stays in 万美元 and is asked for separately.

# %%
by_source = zsa.funds_in_place(funds, as_of=AS_OF, by="source", totals=True)
by_source

# %%
foreign = zsa.funds_in_place(funds, as_of=AS_OF, by=(), currency="USD")
foreign[["ytd_usd_wan", "last_ytd_usd_wan", "yoy_pct"]]

# %% [markdown]
# Adding foreign funds to 元 needs an explicit rate; `to_cny` keeps the original amount and the
# rate beside the converted one, and refuses to run when a rate is missing.

# %%
converted = zsa.to_cny(funds, {"USD": 7.1})
converted[(converted["original_currency"] == "USD") & (converted["original_amount_wan"] > 0)].head(3)

# %%
charts.funds_chart(by_source)

# %% [markdown]
# ## By unit: who grew, who fell, who has nothing
# The contribution of a unit to the county's growth is its change ÷ the county's total last
# year, in percentage points; the contributions add up to the county's growth.

# %%
by_unit = zsa.funds_in_place(funds, as_of=AS_OF)
base = by_unit["last_ytd_wan"].sum()
by_unit["contribution_pp"] = by_unit["change_wan"] / base * 100
by_unit = by_unit.sort_values("contribution_pp", ascending=False, ignore_index=True)
print("contributions add up to the county's growth:",
      round(by_unit["contribution_pp"].sum(), 6), "=", round(row["yoy_pct"], 6))
by_unit[["unit", "ytd_wan", "last_ytd_wan", "yoy_pct", "yoy_note", "contribution_pp"]].round(1)

# %%
fig = px.bar(by_unit, x="contribution_pp", y="unit", orientation="h",
             color=by_unit["contribution_pp"] >= 0,
             color_discrete_map={True: "#2f7ed8", False: "#d9534f"},
             labels={"contribution_pp": "拉动全县增长（百分点）", "unit": ""},
             title="各单位对全县同比增长的贡献（百分点）")
fig.update_layout(template="zsa", showlegend=False, yaxis=dict(autorange="reversed"), height=600)
fig

# %% [markdown]
# Units with nothing this year (无实绩) stand out in the table through `yoy_note` or a growth of
# −100%; notebook 04 ranks them.

# %%
by_unit[by_unit["ytd_wan"] <= 0][["unit", "ytd_wan", "last_ytd_wan", "yoy_pct", "yoy_note"]]

# %% [markdown]
# ## The same call on DuckDB
# Nothing changes but the table passed in; the result is a DuckDB relation.

# %%
rel = duckdb.from_df(funds)
out = zsa.funds_in_place(rel, as_of=AS_OF, by=())
print(type(out).__name__)
out.df()
