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
# # 05 · Can we still make the target?
#
# At the half-year meeting leadership asks three things of every unit: how far along are you
# against time progress (序时进度), what pace does the rest of the year need (倒排), and will you
# make it? This notebook answers them for the demo county at the end of June 2024:
#
# 1. completion against time progress per unit, with the gap in percentage points;
# 2. the monthly pace needed for the rest of the year against the pace so far;
# 3. what-if: a 3亿元 project landing in September;
# 4. a year-end projection with its uncertainty, and a backtest that says how far to trust it.

# %%
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

import zsanalytics as zsa
from zsanalytics import charts

pd.set_option("display.width", 160)
AS_OF = "2024-06"

demo = zsa.load_demo()
funds, targets = demo.funds, demo.targets

# %% [markdown]
# ## Time progress: three conventions
# Reports use months (6/12), days (leap-aware) or the county's own cumulative plan.

# %%
plan = [3, 6, 12, 18, 25, 40, 48, 56, 65, 75, 85, 100]  # a 前低后高 plan, cumulative %
{
    "months": zsa.time_progress(AS_OF),
    "days": round(zsa.time_progress(AS_OF, method="days"), 4),
    "plan": zsa.time_progress(AS_OF, method=plan),
}

# %% [markdown]
# ## Completion against time progress, per unit

# %%
comp = zsa.completion(funds, targets, as_of=AS_OF, totals=True)
comp.round(1)

# %%
charts.completion_chart(comp)

# %%
print(zsa.narrate.headline(comp, as_of=AS_OF))   # the clauses comp has; rounded half up
print(zsa.narrate.units_sentence(comp))

# %% [markdown]
# ## The pace the rest of the year needs (倒排)
# `pace_ratio` is the required monthly pace ÷ the pace so far: 2 means the second half must go
# twice as fast as the first.

# %%
pace = zsa.required_pace(funds, targets, as_of=AS_OF, totals=True)
pace.sort_values("pace_ratio", ascending=False).round(2).head(10)

# %% [markdown]
# The demo county's calendar is back-loaded (a December rush), so a ratio above 1 at mid-year is
# normal; the projection below accounts for that, the ratio does not.

# %% [markdown]
# ## What if a 3亿元 project lands in 城西镇 in September?
# Scenarios are plain tables; several can be compared at once.

# %%
scenario = pd.DataFrame({
    "scenario": ["A 城西镇3亿元", "B 再加开发区2亿元", "B 再加开发区2亿元"],
    "unit": ["城西镇", "城西镇", "经济开发区"],
    "month": ["2024-09", "2024-09", "2024-11"],
    "amount_wan": [30000.0, 30000.0, 20000.0],
})
what = zsa.whatif(funds, targets, as_of=AS_OF, scenario=scenario, totals=True)
what[what["unit"].isin(["城西镇", "经济开发区", "合计"])][
    ["scenario", "unit", "completion_pct", "scenario_completion_pct", "required_per_month_wan",
     "scenario_required_per_month_wan", "scenario_meets_target"]
].round(1)

# %% [markdown]
# ## Year-end projection with its uncertainty
# `seasonal`: year to date ÷ the unit's own historical share of the year reached by June.
# `ets`: statsmodels exponential smoothing on the monthly series (no trend, a trend or a damped
# trend, whichever has the least AICc), simulated to December.
# Both give an 80% prediction interval and the probability of meeting the target, calibrated
# on how the same method did from June in the past years, and never below what has arrived.

# %%
seasonal = zsa.project_year_end(funds, targets, as_of=AS_OF, method="seasonal")
ets = zsa.project_year_end(funds, targets, as_of=AS_OF, method="ets")
both = pd.concat([seasonal, ets], ignore_index=True)
both[both["unit"] == "合计"][["method", "ytd_wan", "projected_wan", "lower_wan", "upper_wan",
                             "target_wan", "prob_meet_target"]].round(2)

# %%
t = both[both["unit"] == "合计"]
fig = go.Figure()
fig.add_scatter(x=t["method"], y=t["projected_wan"] / 1e4, mode="markers", marker_size=12,
                name="全年预计",
                error_y=dict(type="data", symmetric=False,
                             array=(t["upper_wan"] - t["projected_wan"]) / 1e4,
                             arrayminus=(t["projected_wan"] - t["lower_wan"]) / 1e4))
fig.add_hline(y=t["target_wan"].iloc[0] / 1e4, line_dash="dash", annotation_text="年度任务")
fig.update_layout(title="全县全年实际到位资金预计（亿元，80%预测区间）", yaxis_title="亿元", template="zsa")
fig

# %%
charts.projection_chart(seasonal)

# %%
per_unit = seasonal[seasonal["unit"] != "合计"].sort_values("prob_meet_target")
fig = px.bar(per_unit, x="prob_meet_target", y="unit", orientation="h",
             labels={"prob_meet_target": "完成全年任务的概率", "unit": ""},
             title="各单位完成全年任务的概率（按历史进度推算）")
fig.update_layout(template="zsa", height=600, xaxis_tickformat=".0%")
fig

# %% [markdown]
# Units with no results this year get no projection and say why in `note`:

# %%
seasonal[seasonal["note"].notna()][["unit", "ytd_wan", "note"]]

# %% [markdown]
# ## How far to trust it: the backtest
# Each past year is projected from its own June figures with only the data known then, and
# compared with how the year really ended. An 80% interval should contain the truth about 80%
# of the time.

# %%
bt = zsa.backtest(funds, targets, through_month=6)
summary = bt.groupby("method").agg(
    median_abs_error_pct=("abs_error_pct", "median"),
    coverage=("covered", "mean"),
    cases=("covered", "count"),
)
summary.round(3)

# %% [markdown]
# The probability of meeting the target is judged by its Brier score (0 is perfect; always
# saying 50% scores 0.25) and a reliability table: of the cases given 60–80%, about 60–80%
# should have met the target.

# %%
scores = zsa.backtest_summary(bt)
scores.scores.round(3)

# %%
scores.reliability.round(3)

# %%
for method, r in summary.iterrows():
    print(f"{method}: half of the projections were within {r['median_abs_error_pct']:.1f}% of the "
          f"year's outcome; the 80% interval held the outcome in {r['coverage']:.0%} of "
          f"{r['cases']} unit-years")

# %% [markdown]
# Read the two together: a method whose interval holds the outcome less often than its nominal
# 80% is over-confident, however small its typical error. Report the projection with its
# interval, and say which method and how it has done before.

# %%
county_bt = bt[bt["unit"] == "合计"]
fig = px.bar(county_bt, x="year", y="error_pct", color="method", barmode="group",
             labels={"year": "年份", "error_pct": "预计误差（%）", "method": "方法"},
             title="全县6月预计全年的误差（回测）")
fig.update_layout(template="zsa")
fig

# %%
county_bt[["method", "year", "projected_wan", "actual_wan", "error_pct", "covered"]].round(1)
