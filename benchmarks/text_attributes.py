"""Does extract_indicators put each attribute on the right figure? Scored on hand annotations.

    python benchmarks/text_attributes.py TEXTS [ANNOTATIONS] [--show]

TEXTS holds the reports' texts as copied (NAME.txt; they are not redistributed here) and
ANNOTATIONS (default ``benchmarks/prose_annotations``) the figures a careful reader lists from
each, written by hand before the extractor was run on them: NAME.json with ``source`` (the
address), ``default`` (attributes that hold for every figure unless it says otherwise, such
as the period) and ``figures``, each with

- ``at``: the figure as written, or a short quote around it with the figure itself in
  ``fig``; ``nth``: which occurrence of it in the text (0 by default). A quote is matched
  only where no digit runs on before or after it;
- ``value`` (万元/万美元 for money, a count, a percentage; null when masked) and ``unit``;
- when the text states them: ``indicator``, ``scope``, ``period`` ([first month, last
  month]), ``year``, ``yoy_pct``, ``completion_pct``, ``gap_pp``, ``target_value`` (in the
  figure's unit) and ``share_pct``. An attribute set to null is not stated;
- ``optional``: a restatement or a figure without a value (``同比增长xx%`` of nothing), neither
  required nor counted as an unwanted row.

A figure is found when a row's span overlaps it with the same unit and value (masked when the
figure is masked). For each attribute: of the figures that state it, how many carry it on
their row. Indicator: of the found figures that name one, how many rows name it. Unwanted
rows: rows that overlap no annotated figure. False alarms: ``check_report`` verdicts of
"not ok" on these published, consistent texts (a document lists ``true_alarms`` — check,
expected, actual and why — when the text itself does not add up), and implied values computed
from an attribute the figure does not have (``implied_target`` without a completion,
``implied_last_year`` without a growth).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from zsanalytics.text import check_report, extract_indicators

ATTRIBUTES = ("yoy_pct", "completion_pct", "gap_pp", "target_value", "share_pct", "period",
              "scope", "indicator")
HERE = Path(__file__).resolve().parent


def locate(text: str, at: str, fig: str, nth: int) -> tuple[int, int] | None:
    """The span of ``fig`` inside the nth occurrence of ``at`` with no digit running on."""
    pattern = r"(?<![\d.])" + re.escape(at) + r"(?![\d])"
    hits = [m.start() for m in re.finditer(pattern, text)]
    if nth >= len(hits):
        return None
    start = hits[nth] + at.index(fig)
    return start, start + len(fig)


def _close(a, b) -> bool:
    if a is None or b is None:
        return False
    try:
        return not pd.isna(a) and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    except (TypeError, ValueError):
        return False


def _scope(s) -> str:
    s = "" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s)
    return re.sub(r"项目$", "", s)


def attribute_right(row: pd.Series, figure: dict, name: str) -> bool:
    if name == "period":
        ok = True
        if figure.get("period") is not None:
            ok = (not pd.isna(row["period_start"]) and not pd.isna(row["period_end"])
                  and [int(row["period_start"]), int(row["period_end"])] == figure["period"])
        if figure.get("year") is not None:
            ok = ok and not pd.isna(row["year"]) and int(row["year"]) == figure["year"]
        return ok
    if name == "scope":
        return _scope(row["scope"]) == _scope(figure["scope"])
    if name == "indicator":
        return row["indicator"] == figure["indicator"]
    if name not in row.index:
        return False
    return _close(row[name], figure[name])


def stated(figure: dict, name: str) -> bool:
    if name == "period":
        return figure.get("period") is not None or figure.get("year") is not None
    return figure.get(name) is not None


def score_document(text: str, doc: dict, table: pd.DataFrame | None = None) -> dict:
    table = extract_indicators(text) if table is None else table
    figures = [{**doc.get("default", {}), **f} for f in doc["figures"]]
    used: set[int] = set()
    result = {"figures": 0, "found": 0, "rows": len(table), "unwanted": 0,
              "stated": Counter(), "right": Counter(), "misses": [], "unplaced": []}
    spans = table[["start", "end"]].to_numpy() if len(table) else []
    for figure in figures:
        span = locate(text, figure["at"], figure.get("fig", figure["at"]), figure.get("nth", 0))
        if span is None:
            result["unplaced"].append(figure["at"])
            continue
        overlapping = [i for i, (s, e) in enumerate(spans) if s < span[1] and e > span[0]]
        used.update(overlapping)
        if figure.get("optional"):
            continue
        result["figures"] += 1
        row = None
        for i in overlapping:
            r = table.iloc[i]
            same_value = (bool(r["masked"]) if figure.get("masked") else _close(r["value"], figure["value"]))
            if r["unit"] == figure["unit"] and same_value:
                row = r
                break
        names = [n for n in ATTRIBUTES if stated(figure, n)]
        for n in names:
            result["stated"][n] += 1
        if row is None:
            result["misses"].append((figure["at"], "not found"))
            continue
        result["found"] += 1
        for n in names:
            if attribute_right(row, figure, n):
                result["right"][n] += 1
            else:
                got = (row["period_start"], row["period_end"], row["year"]) if n == "period" else \
                    row[n] if n in row.index else None
                want = (figure.get("period"), figure.get("year")) if n == "period" else figure[n]
                result["misses"].append((figure["at"], f"{n}: want {want}, got {got}"))
    result["unwanted"] = len(table) - len(used)
    result["unwanted_rows"] = [table.iloc[i]["label"] + " " + str(table.iloc[i]["value"])
                               for i in range(len(table)) if i not in used]
    checks = check_report(table)
    verdicts = checks[checks["ok"].notna()] if len(checks) else checks
    true_alarms = {(a["check"], round(a["expected"], 2), round(a["actual"], 2))
                   for a in doc.get("true_alarms", [])}
    result["verdicts"] = len(verdicts)
    result["false_alarms"] = [
        c["detail"] for _, c in verdicts.iterrows() if not bool(c["ok"])
        and (c["check"], round(c["expected"], 2), round(c["actual"], 2)) not in true_alarms]
    # an implied value from a row whose attribute is not the figure's own
    by_row = {}
    for figure in figures:
        span = locate(text, figure["at"], figure.get("fig", figure["at"]), figure.get("nth", 0))
        if span is not None:
            for i, (s, e) in enumerate(spans):
                if s < span[1] and e > span[0]:
                    by_row[i] = figure
    wrong = []
    for _, c in (checks.iterrows() if len(checks) else []):
        field = {"implied_target": "completion_pct", "implied_last_year": "yoy_pct"}.get(c["check"])
        if field:
            figure = by_row.get(c["rows"][0])
            if figure is None or figure.get(field) is None \
                    or not _close(table.iloc[c["rows"][0]][field], figure[field]):
                wrong.append(c["detail"])
    result["wrong_implied"] = wrong
    return result


def main(argv: list[str]) -> int:
    show = "--show" in argv
    args = [a for a in argv if not a.startswith("--")]
    texts = Path(args[0])
    notes = Path(args[1]) if len(args) > 1 else HERE / "prose_annotations"
    total = {"figures": 0, "found": 0, "rows": 0, "unwanted": 0, "verdicts": 0, "false": 0,
             "wrong_implied": 0}
    stated_all, right_all = Counter(), Counter()
    docs = sorted(notes.glob("*.json"))
    for path in docs:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (texts / f"{path.stem}.txt").read_text(encoding="utf-8")
        r = score_document(text, doc)
        for k in ("figures", "found", "rows", "unwanted", "verdicts"):
            total[k] += r[k]
        total["false"] += len(r["false_alarms"])
        total["wrong_implied"] += len(r["wrong_implied"])
        stated_all.update(r["stated"])
        right_all.update(r["right"])
        print(f"{path.stem}: {r['found']}/{r['figures']} found, {r['unwanted']}/{r['rows']} rows unwanted, "
              f"{len(r['false_alarms'])} false alarms")
        if r["unplaced"]:
            print(f"    annotation not placed in the text: {r['unplaced']}")
        if show:
            for at, why in r["misses"]:
                print(f"    {at}: {why}")
            for u in r["unwanted_rows"]:
                print(f"    unwanted row: {u}")
            for a in r["false_alarms"] + r["wrong_implied"]:
                print(f"    alarm/implied: {a}")
    print(f"\n{len(docs)} texts, {total['figures']} figures; found {total['found']} "
          f"({total['found'] / total['figures']:.1%})")
    for n in ATTRIBUTES:
        if stated_all[n]:
            print(f"  {n:15s} {right_all[n]:4d}/{stated_all[n]:<4d} {right_all[n] / stated_all[n]:6.1%}")
    print(f"  unwanted rows   {total['unwanted']:4d}/{total['rows']:<4d} "
          f"{total['unwanted'] / max(total['rows'], 1):6.1%}")
    print(f"  check_report: {total['false']} false alarms of {total['verdicts']} verdicts; "
          f"{total['wrong_implied']} implied values from an attribute the figure does not have")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
