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
# # 03 · From signing to landing (签约 → 落地 → 开工 → 投产)
#
# Signing ceremonies make the news; leadership wants to know what became of the projects
# afterwards. Using the demo county's project ledger as of the end of June 2024, this notebook
# asks:
#
# 1. how many signed projects landed, started and produced, by signing year and by unit;
# 2. the rates reports and assessment rules use (落地率, 开工率, 投产率, 资金到位率);
# 3. how long projects take from signing to the start of construction, counting the projects
#    still waiting honestly (censoring);
# 4. which projects are overdue for their next stage, the list for the monthly meeting.

# %%
import pandas as pd
import plotly.express as px

import zsanalytics as zsa
from zsanalytics import charts

pd.set_option("display.width", 160)
AS_OF = "2024-06-30"

projects = zsa.load_demo().projects
len(projects), projects["signed_on"].min().date(), projects["signed_on"].max().date()

# %% [markdown]
# ## The funnel
# A project has reached a stage when that stage's date, or a later stage's, is on or before
# 30 June 2024. Dates after it (the ledger runs to December) do not count yet. As county
# assessments do, the funnel counts the year's signings (当年签约项目) unless told otherwise;
# `cohort="all"` counts every project in the ledger.

# %%
county = zsa.funnel(projects, as_of=AS_OF)
county.round(1)

# %%
charts.funnel_chart(county, title="2024年签约项目转化情况（截至2024年6月底）")

# %% [markdown]
# ### By signing year (cohort)
# Older cohorts have had more time: compare 2021 with 2021, not 2021 with 2024.

# %%
cohorts = zsa.funnel(projects, as_of=AS_OF, cohort="signed_year")
wide = cohorts.pivot(index="signed_year", columns="stage_zh", values="rate_from_first_pct")
wide[["落地", "开工", "投产"]].round(1)

# %%
fig = px.line(cohorts[cohorts["step"] > 1], x="signed_year", y="rate_from_first_pct",
              color="stage_zh", markers=True,
              labels={"signed_year": "签约年度", "rate_from_first_pct": "占签约项目（%）",
                      "stage_zh": "阶段"},
              title="各签约年度项目的落地率、开工率和投产率（截至2024年6月底）")
fig.update_layout(template="zsa")
fig

# %% [markdown]
# ## The rates, by unit
# Each rate is named with its base (签约项目开工率 = started ÷ signed; 开工项目投产率 = producing
# ÷ started; 签约项目投产率 = producing ÷ signed); 履约 counts signed projects with funds in place
# unless the county's rule says otherwise (`performance=`). 资金到位率 counts projects in 万元
# only: foreign projects in 万美元 are not mixed in.

# %%
rates = zsa.conversion(projects, as_of=AS_OF, by="unit")
shown = rates.rename(columns={**zsa.RATES_ZH, "unit": "单位", "signed": "签约", "landed": "落地",
                              "started": "开工", "producing": "投产", "performing": "履约"})
shown.drop(columns=["contract_wan", "funds_in_place_wan"]).round(1)

# %%
units = rates[rates["unit"] != "合计"].sort_values("landing_rate_pct")
fig = px.bar(units, x="landing_rate_pct", y="unit", orientation="h",
             hover_data=["signed", "landed"],
             labels={"landing_rate_pct": "落地率（%）", "unit": ""},
             title="各单位签约项目落地率（%）")
fig.add_vline(x=float(rates.loc[rates["unit"] == "合计", "landing_rate_pct"].iloc[0]),
              line_dash="dash", annotation_text="全县")
fig.update_layout(template="zsa", height=560)
fig

# %% [markdown]
# ## How long from signing to the start of construction?
# Projects that have not started by 30 June 2024 are *censored*: they have waited at least
# that long. Leaving them out makes the wait look short (the slow projects vanish); counting
# them as "never" makes it look long. Kaplan–Meier uses exactly what is known.

# %%
by_year = projects.assign(signed_year=projects["signed_on"].dt.year)
tts = zsa.time_to_stage(by_year, as_of=AS_OF, start="signed", end="started", by="signed_year")
tts.round(1)

# %% [markdown]
# The naive answer, from the started projects alone, is shorter, because it cannot see the
# projects still waiting:

# %%
started = projects[projects["started_on"].notna() & (projects["started_on"] <= AS_OF)]
naive = (started["started_on"] - started["signed_on"]).dt.days.median()
km = zsa.time_to_stage(projects, as_of=AS_OF).iloc[0]
print(f"只看已开工项目：中位数{naive:.0f}天；Kaplan–Meier（计入仍在等待的项目）：中位数"
      f"{km['median_days']:.0f}天（95%置信区间{km['median_days_ci_lower']:.0f}–"
      f"{km['median_days_ci_upper']:.0f}天），一年内开工的比例约{zsa.fmt_pct(km['reached_365d_pct'])}。")

# %%
reach = tts.melt(id_vars="signed_year", value_vars=["reached_90d_pct", "reached_180d_pct",
                                                    "reached_365d_pct"],
                 var_name="within", value_name="pct")
reach["within"] = reach["within"].map({"reached_90d_pct": "90天内", "reached_180d_pct": "180天内",
                                       "reached_365d_pct": "一年内"})
fig = px.bar(reach[reach["signed_year"] != "合计"], x="signed_year", y="pct", color="within",
             barmode="group",
             labels={"signed_year": "签约年度", "pct": "签约后开工的比例（%）", "within": ""},
             title="签约后90天、180天、一年内开工的比例（Kaplan–Meier估计）")
fig.update_layout(template="zsa")
fig

# %% [markdown]
# ## Overdue projects: the list for the monthly meeting
# The default deadlines: signed but not landed after 90 days, landed but not started after 60,
# started but not producing after 365, and less than 25% of the contract amount in place 90
# days after signing. A county sets its own with `rules=`.

# %%
overdue = zsa.stage_warnings(projects, as_of=AS_OF)
counts = overdue.pivot_table(index="unit", columns="rule_zh", values="project_id",
                             aggfunc="count", fill_value=0)
counts.assign(合计=counts.sum(axis=1)).sort_values("合计", ascending=False).head(10)

# %% [markdown]
# The most overdue are projects signed in 2019 that never moved: candidates for the ledger's
# 清理退出 (formal exit) rather than another reminder.

# %%
overdue.sort_values("days_overdue", ascending=False).head(10)[
    ["unit", "project_name", "rule_zh", "since", "days_overdue"]]

# %% [markdown]
# ## Data checks
# A later stage without an earlier one, or dates out of order, count as reached and are
# listed here rather than hidden. The demo ledger is clean:

# %%
zsa.stage_issues(projects, as_of=AS_OF)
