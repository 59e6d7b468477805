"""scorecard: the monthly report table in one pass.

Two independent checks: it agrees with funds_in_place and completion on every engine, and it
reproduces the demo county's twelve monthly report sheets (data/raw/monthly_report.xlsx), which
zsanalytics._messy writes with its own loop-by-loop arithmetic and zsanalytics reads back.
"""

from __future__ import annotations

import numpy as np

from zsanalytics import completion, funds_in_place, read_monthly_report, scorecard
from zsanalytics.datasets import raw_path


def test_scorecard_is_funds_in_place_joined_with_completion(engine, demo):
    got = engine.back(scorecard(engine(demo.funds), demo.targets, as_of="2024-06", totals=True))
    fip = funds_in_place(demo.funds, as_of="2024-06", totals=True)
    comp = completion(demo.funds, demo.targets, as_of="2024-06", totals=True)
    expected = fip.merge(comp.drop(columns=["year", "through_month"]), on="unit", how="outer")
    expected = expected.drop(columns=["actual_wan"]).set_index("unit")
    got = got.set_index("unit")
    assert list(got.index) == list(comp["unit"])
    for col in ["ytd_wan", "last_ytd_wan", "change_wan", "yoy_pct", "target_wan",
                "completion_pct", "gap_pp"]:
        np.testing.assert_allclose(got[col].astype(float), expected.loc[got.index, col].astype(float),
                                   rtol=1e-12, err_msg=col)
    assert (got["status"] == expected.loc[got.index, "status"]).all()


def test_scorecard_reproduces_the_demo_monthly_report_sheets(demo):
    reported = read_monthly_report(raw_path("monthly_report")).reported
    reported = reported[~reported["is_total"]]
    mismatched_yoy = []
    for currency, indicator in (("CNY", "funds_in_place"), ("USD", "foreign_funds")):
        sfx = "_wan" if currency == "CNY" else "_usd_wan"
        for month in range(1, 13):
            sheet = reported[(reported["end_month"] == month) & (reported["currency"] == currency)]
            ours = scorecard(demo.funds, demo.targets, as_of=f"2024-{month:02d}",
                             indicator=indicator).set_index("unit")
            theirs = sheet.set_index("unit")
            assert len(theirs) > 0
            o = ours.loc[theirs.index]
            # the sheets print amounts with 2 decimals and percentages with 1
            np.testing.assert_allclose(o[f"month{sfx}"], theirs["this_month_wan"], atol=0.0051)
            np.testing.assert_allclose(o[f"ytd{sfx}"], theirs["ytd_wan"], atol=0.0051)
            np.testing.assert_allclose(o[f"last_ytd{sfx}"], theirs["prior_ytd_wan"], atol=0.0051)
            np.testing.assert_allclose(o[f"target{sfx}"], theirs["target"])
            np.testing.assert_allclose(o["completion_pct"], theirs["completion_pct"], atol=0.05 + 1e-9)
            both = theirs["yoy_pct"].notna()
            diff = (o.loc[both, "yoy_pct"] - theirs.loc[both, "yoy_pct"]).abs()
            mismatched_yoy += [(month, u) for u in diff[diff > 0.05 + 1e-9].index]
            # where the sheet says 新增 we say 新增 too
            new = theirs["yoy_pct_note"].eq("新增")
            assert (o.loc[new, "yoy_note"] == "新增").all()
    # exactly one cell differs: the 同比 typo planted in the 1-6月 sheet
    assert len(mismatched_yoy) == 1 and mismatched_yoy[0][0] == 6
