# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · Reading past reports
#
# For many counties the only history of their investment-promotion figures is the prose of past
# work reports (工作总结). `zsanalytics.text.extract_indicators` turns that prose into a table —
# one row per figure, with its growth, completion, period and where it stands in the text — and
# `check_report` does the sums an analyst does by hand. The excerpts in `data/reports/` are
# public reports as copied from the web (sources in `data/reports/README.md`).

# %%
from pathlib import Path

import pandas as pd

import zsanalytics as zsa
from zsanalytics.text import check_report, extract_indicators

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 24)
REPORTS = Path("../data/reports") if Path("../data/reports").is_dir() else Path("data/reports")
COLUMNS = ["indicator", "label", "scope", "value", "unit", "yoy_pct", "completion_pct",
           "period_start", "period_end", "approx", "masked", "parent"]

# %% [markdown]
# ## A half-year report (2020)
# The worked example of DOMAIN.md comes from this text. Money is in 万元 (10.36亿元 → 103,600),
# 下降 is a negative growth, and the parts after 其中 point at their total in `parent`.

# %%
half_year = (REPORTS / "2020-half-year-district.txt").read_text(encoding="utf-8")
figures = extract_indicators(half_year)
figures[COLUMNS]

# %% [markdown]
# Every figure keeps its offsets, so the analyst can check it against the text:

# %%
row = figures[figures["indicator"] == "funds_in_place"].iloc[0]
print(half_year[row["start"]:row["end"]], "←", row["sentence"][:60], "…")

# %% [markdown]
# ## The checks
# 省外 + 省内 against the total; the annual target and last year's figure the percentages
# imply; and whether the parts' implied last-year figures add up to the total's. Published
# figures are rounded, so each check allows the rounding of the figures it uses.

# %%
checks = check_report(figures)
checks[["check", "indicator", "scope", "expected", "actual", "difference", "tolerance", "ok",
        "detail"]].round(2)

# %% [markdown]
# ## A report in traditional characters, masked
# Copied from a site that prints pinyin after each character, with the figures masked as `xx`.
# Masked figures are reported as masked — never as zero — and so are masked percentages
# (`masked_fields`).

# %%
masked = extract_indicators((REPORTS / "county-annual-traditional.txt").read_text(encoding="utf-8"))
masked[["indicator", "label", "scope", "unit", "approx", "masked", "masked_fields"]].head(8)

# %% [markdown]
# ## What belongs to which figure
# Reports put shares, targets and rates between a figure and its completion, and list places
# with 分别为. A target (`target_value`) and a share (`share_pct`) are attributes of their
# figure, never rows of their own; 欠进度 is a negative gap; a rate written as a figure
# (履约率 98.8%) is a row named for its rate. The phrases are quoted from public reports.

# %%
phrases = [
    "市外省内履约项目79个,到位资金176031万元,完成目标任务的70.41%,欠进度12.92%,占总到位资金的17.51%",
    "1-6月份,全市引進億元以上省外項目資金額219.22億元,完成年度目標任務589億元的37.22%,同比增長8.08%",
    "1-6月份全市亿元以上新签约项目174个,分别为:霍山县34个、金寨县32个、市开发区14个",
    "履约项目244个,开工项目222个,项目履约率、开工率与资金到位率分别为98.8%、90%和34%",
]
attached = pd.concat([extract_indicators(p) for p in phrases], ignore_index=True)
attached[["indicator", "scope", "value", "unit", "yoy_pct", "completion_pct", "gap_pp",
          "target_value", "share_pct", "period_start", "period_end"]]

# %% [markdown]
# `check_report` adds up the parts after 其中 only when they are disjoint pieces of the total
# (省外 + 省内, sectors, 新建 + 续建). Size classes overlap, and a list of places is often only
# the largest few, so neither is summed — a check that cried wolf would teach the analyst to
# ignore it.

# %%
overlapping = extract_indicators("全区共上报市入统招商项目40个。其中超亿元投资项目21个,超10亿元投资项目2个。")
partition = extract_indicators("全市实施重点监控的5000万元以上项目204个,其中新建项目42个,续建项目162个。")
check_report(overlapping)["check"].tolist(), check_report(partition)[["check", "expected", "actual", "ok"]]

# %% [markdown]
# ## Beside the demo county's own series
# The sentences `zsanalytics.narrate` writes for the demo county read back to the figures the
# metrics computed — the round trip a property test checks on random figures.

# %%
demo = zsa.load_demo()
rows = []
for month in (3, 6, 9, 12):
    as_of = f"2024-{month:02d}"
    card = zsa.scorecard(demo.funds, demo.targets, as_of=as_of, totals=True)
    sentence = zsa.narrate.headline(card, as_of=as_of)
    read_back = extract_indicators(sentence).iloc[0]
    county = card[card["unit"] == "合计"].iloc[0]
    rows.append({
        "sentence": sentence,
        "ytd_yi": zsa.round_half_up(county["ytd_wan"] / 1e4, 2),
        "read_yi": read_back["value"] / 1e4,
        "yoy_pct": zsa.round_half_up(county["yoy_pct"], 1),
        "read_yoy_pct": read_back["yoy_pct"],
        "completion_pct": zsa.round_half_up(county["completion_pct"], 1),
        "read_completion_pct": read_back["completion_pct"],
    })
beside = pd.DataFrame(rows)
beside

# %%
assert (beside["ytd_yi"] == beside["read_yi"]).all()
assert (beside["yoy_pct"] == beside["read_yoy_pct"]).all()
assert (beside["completion_pct"] == beside["read_completion_pct"]).all()
print("every figure read back as written")

# %% [markdown]
# A county with only old reports can build its series this way: one `extract_indicators` per
# report, `period_end` and `year` for the time axis, `check_report` to catch the typos before
# the figures go into a chart.
