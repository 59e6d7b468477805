"""Recall of extract_indicators on reports it was not written against.

    python benchmarks/text_recall.py DIR

DIR holds pairs NAME.txt (a report's text as copied) and NAME.json (the figures a careful reader
lists, written by hand before running this): a list of objects with ``value`` (in 万元/万美元 for
money, as the count, or the percentage), ``unit`` ("万元", "万美元", "个", "%", …) and, when the
text states them, ``yoy_pct``, ``completion_pct`` and ``indicator``. ``"value": null`` with
``"masked": true`` for a masked figure.

A listed figure counts as found when a row has its unit and value and, where listed, the same
growth and completion; the indicator is scored apart. Prints recall per report and overall.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from zsanalytics.text import extract_indicators


def _same(a: float, b: float | None) -> bool:
    if b is None:
        return True
    return a == a and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def score(text: str, expected: list[dict]) -> tuple[int, int, list[dict]]:
    table = extract_indicators(text)
    found = indicator_ok = 0
    missed = []
    for fig in expected:
        rows = table[table["unit"] == fig["unit"]]
        if fig.get("masked"):
            rows = rows[rows["masked"]]
        else:
            rows = rows[(rows["value"] - fig["value"]).abs() < 1e-6]
        hits = [r for _, r in rows.iterrows()
                if _same(r["yoy_pct"], fig.get("yoy_pct"))
                and _same(r["completion_pct"], fig.get("completion_pct"))]
        if hits:
            found += 1
            indicator_ok += any(r["indicator"] == fig.get("indicator", r["indicator"]) for r in hits)
        else:
            missed.append(fig)
    return found, indicator_ok, missed


def main(folder: str) -> int:
    total = found_all = indicators_all = 0
    for txt in sorted(Path(folder).glob("*.txt")):
        expected = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        found, indicators, missed = score(txt.read_text(encoding="utf-8"), expected)
        total += len(expected)
        found_all += found
        indicators_all += indicators
        print(f"{txt.stem}: {found}/{len(expected)} found, indicator right for {indicators}")
        for fig in missed:
            print(f"    missed {fig}")
    if total:
        print(f"recall {found_all}/{total} = {found_all / total:.1%}; "
              f"indicator right for {indicators_all}/{found_all} found")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "data/reports/heldout"))
