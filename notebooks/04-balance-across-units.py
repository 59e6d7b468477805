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
# # 04 · Balance across units (进展不平衡)
#
# A county total can look healthy while a few units carry it and others have nothing. This
# notebook looks at the demo county at the end of June 2024:
#
# 1. how concentrated funds in place are (Gini, Theil, top-3 share, large projects), and how
#    that has moved since 2019;
# 2. the Lorenz curve;
# 3. the ranking as reports write it (ties share a rank: 并列第2位), and its change since May
#    (周排序 / 月排序);
# 4. units with no results (无实绩);
# 5. an assessment score table by the county's rules, item by item, and what a unit would need
#    to move up.

# %%
import pandas as pd
import plotly.express as px

import zsanalytics as zsa
from zsanalytics import charts

pd.set_option("display.width", 160)
AS_OF = "2024-06"

demo = zsa.load_demo()
funds, targets, projects = demo.funds, demo.targets, demo.projects
card = zsa.scorecard(funds, targets, as_of=AS_OF)

# %% [markdown]
# ## How concentrated?
# Gini is 0 when every unit has the same and approaches 1 when one unit has everything; the
# top-3 share is the figure reports quote ("前三位单位占全县的x%").

#
# With the project ledger given, `large_project_share_pct` is the share of the ledger's funds in
# place carried by projects of 1亿元 and more (亿元以上项目).

# %%
zsa.balance(card, value_col="ytd_wan", projects=projects).round(3)

# %% [markdown]
# The same measures for the first half of every year since 2019:

# %%
history = pd.concat(
    [zsa.balance(zsa.scorecard(funds, targets, as_of=f"{year}-06"), value_col="ytd_wan")
     .assign(year=year) for year in range(2019, 2025)],
    ignore_index=True,
)
history[["year", "units", "zero_units", "gini", "theil", "top3_share_pct"]].round(3)

# %%
fig = px.line(history, x="year", y=["gini", "theil"], markers=True,
              labels={"year": "年度", "value": "指数", "variable": ""},
              title="各年1-6月实际到位资金的单位集中度")
fig.update_layout(template="zsa")
fig

# %% [markdown]
# ## The Lorenz curve
# Units from the smallest up: how much of the county's total the bottom x% of units bring.

# %%
curve = zsa.lorenz(card, value_col="ytd_wan")
gini = float(zsa.balance(card, value_col="ytd_wan")["gini"].iloc[0])
charts.lorenz_chart(curve, gini=gini, title="1-6月实际到位资金的洛伦兹曲线")

# %% [markdown]
# ## Rankings and their change since May
# Ranked by completion of the annual target, shown with one decimal as the report prints it,
# so two units both at 38.4% share a rank.

# %%
may = zsa.scorecard(funds, targets, as_of="2024-05")
ranked = zsa.rank_units(card, value_col="completion_pct", previous=may, digits=1)
ranked[["unit", "ytd_wan", "completion_pct", "rank_zh", "rank_change_zh", "status_zh"]].round(1)

# %%
charts.ranking_chart(ranked, title="各单位完成年度任务排名（及较5月的变化）")

# %% [markdown]
# ## Units with no results (无实绩)

# %%
card.loc[card["ytd_wan"] == 0, ["unit", "ytd_wan", "last_ytd_wan", "target_wan", "status_zh"]]

# %% [markdown]
# ## An assessment score table
# Rules as the county writes them, as plain data (a dict here; a TOML or YAML file works the
# same way with `zsa.load_rules`):
#
# - 实际到位资金: 60 points × completion, at most 66;
# - 签约项目: 40 points by bands: ≥100% of the target → full, ≥80% → 75%, ≥50% → half;
# - 亿元以上项目: +1 per project signed this year, at most 3;
# - 逾期未开工: −0.1 per project landed but not started after 60 days.

# %%
RULES = {
    "indicators": [
        {"name": "实际到位资金", "actual": "ytd_wan", "target": "target_wan", "weight": 60, "cap": 66},
        {"name": "签约项目", "actual": "signed", "target": "signed_target", "weight": 40,
         "bands": [[100, 100], [80, 75], [50, 50]]},
    ],
    "bonuses": [{"name": "亿元以上项目", "column": "large_projects", "points": 1, "max": 3}],
    "deductions": [{"name": "逾期未开工", "column": "overdue_start", "points": 0.1}],
}

this_year = projects[projects["signed_on"].dt.year == 2024]
signed = zsa.conversion(this_year, as_of="2024-06-30", by="unit")[["unit", "signed"]]
large = (this_year[(this_year["signed_on"] <= "2024-06-30") & (this_year["contract_wan"] >= 10_000)
                   & (this_year["currency"] == "CNY")]
         .groupby("unit").size().rename("large_projects").reset_index())
late = zsa.stage_warnings(projects, as_of="2024-06-30",
                          rules=[{"rule": "not_started", "after": "landed", "missing": "started",
                                  "days": 60}])
late = late.groupby("unit").size().rename("overdue_start").reset_index()
signed_target = (targets[(targets["year"] == 2024) & (targets["indicator"] == "signed_projects")]
                 [["unit", "target"]].rename(columns={"target": "signed_target"}))

table = (card[["unit", "ytd_wan", "target_wan"]]
         .merge(signed, on="unit", how="left").merge(signed_target, on="unit", how="left")
         .merge(large, on="unit", how="left").merge(late, on="unit", how="left")
         .fillna({"signed": 0, "large_projects": 0, "overdue_start": 0}))
scores = zsa.score_units(table, RULES)
scores.round(2)

# %% [markdown]
# ### What would it take to move up?
# How much more funds in place would the unit ranked fifth need to reach third, everyone else
# staying where they are?

# %%
fifth = scores.loc[scores["rank"] == 5, "unit"].iloc[0]
gap = zsa.rank_gap(table, rules=RULES, unit=fifth, rank=3, indicator="实际到位资金")
if gap.reachable:
    print(f"{fifth}目前第{gap.current_rank}位，实际到位资金需再增加{zsa.fmt_yi(gap.extra)}"
          f"（达到{zsa.fmt_yi(gap.needed)}），方可升至第3位。")
else:
    print(f"{fifth}仅靠实际到位资金无法升至第3位（该项得分已封顶）。")
