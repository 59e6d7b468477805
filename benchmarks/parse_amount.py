"""parse_amount against a per-element cn2an loop, on the same strings, in the same run.

    python benchmarks/parse_amount.py [--rows 1000000] [--repeat 3]

Prints a JSON object with both timings (median of --repeat runs), the ratio, and whether the
two gave identical results (value, currency, approx, masked, problem) on every string.
The strings mix every form a ledger holds, drawn from a seeded generator with mostly distinct
numbers, so caching distinct values would not help either side.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import unicodedata

import cn2an
import numpy as np
import pandas as pd

from zsanalytics.clean import parse_amount

_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")
_CN_ROUND = ["十二亿元", "三千五百万元", "五百万元", "两亿三千万元", "一千零五十万元", "八千"]


def make_strings(n: int, seed: int = 0) -> list[object]:
    rng = np.random.default_rng(seed)
    x = np.round(rng.lognormal(8, 1.5, n), 2)
    kind = rng.choice(12, size=n, p=[.30, .12, .10, .08, .06, .06, .06, .05, .05, .04, .04, .04])
    out: list[object] = []
    for v, k in zip(x.tolist(), kind.tolist(), strict=True):
        s = f"{v:.2f}".rstrip("0").rstrip(".")
        out.append([
            s, f"{v / 10000:.4f}亿元", f"{s}万元", f"约{s}", s.translate(_FULL), f"{v:,.2f}",
            f"{s}万美元", _CN_ROUND[int(v) % len(_CN_ROUND)], "xx", "—", "", f"{s}余万元",
        ][k])
    return out


# ---- the baseline: one string at a time, cn2an for the number -----------------------------
_VARIANTS = {"億": "亿", "萬": "万", "圓": "元", "兩": "两", "點": "点", "約": "约", "餘": "余",
             "−": "-", "﹣": "-", "〇": "零"}
_AMOUNT = re.compile(r"(大约|约|近|将近|接近|超过|超|逾|达)?(.+?)(余|多)?(美元|元|人民币)?"
                     r"(左右|以上|余|多)?")
_CORE = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:余|多)?(?:万亿|亿|千万|百万|十万|万|千)?"
                   r"|[零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+")
_PLACEHOLDER = re.compile(r"-+|—+|–+|/|\\|无|空|暂无|不详|nan|NaN|None|null|N/?A")
_MASKED = re.compile(r"(?:大约|约|近|将近|接近|超过|超|逾|达)?[xX×*\d.]*[xX×*][xX×*\d.]*"
                     r"(?:万亿|亿|千万|百万|万|千)?(?:美元|元)?(?:左右|以上|余|多)?")


def baseline_one(value: object) -> tuple[float, object, bool, bool, object]:
    if value is None:
        return np.nan, None, False, False, "empty"
    if isinstance(value, int | float):
        return float(value), "CNY", False, False, None
    t = unicodedata.normalize("NFKC", str(value))
    for old, new in _VARIANTS.items():
        t = t.replace(old, new)
    t = re.sub(r"[\s,\u3000\xa0]+", "", t)
    if not t:
        return np.nan, None, False, False, "empty"
    m = _AMOUNT.fullmatch(t)
    if m and _CORE.fullmatch(m[2]):
        core = m[2].replace("余", "").replace("多", "")
        try:
            number = float(cn2an.cn2an(core, "smart"))
        except ValueError:
            number = None
        if number is not None:
            explicit = bool(m[4]) or "万" in core or "亿" in core
            value_wan = round(number / 10_000, 6) if explicit else round(number, 6)
            currency = "USD" if m[4] == "美元" else "CNY"
            approx = bool(m[1] or m[3] or m[5] or core != m[2])
            return value_wan, currency, approx, False, None
    if _PLACEHOLDER.fullmatch(t):
        return np.nan, None, False, False, "placeholder"
    if _MASKED.fullmatch(t):
        return np.nan, None, False, True, "masked"
    return np.nan, None, False, False, "unparsed"


def baseline(values: list[object]) -> pd.DataFrame:
    rows = [baseline_one(v) for v in values]
    return pd.DataFrame(rows, columns=["value_wan", "currency", "approx", "masked", "problem"])


def _median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    values = make_strings(args.rows)
    t_zsa, ours = _median_time(lambda: parse_amount(values), args.repeat)
    t_base, theirs = _median_time(lambda: baseline(values), args.repeat)
    ours = ours.reset_index(drop=True)
    same_value = np.allclose(ours["value_wan"], theirs["value_wan"], rtol=0, atol=1e-9,
                             equal_nan=True)
    same_rest = all(
        (ours[c].fillna("∅").astype(str).to_numpy() == theirs[c].fillna("∅").astype(str)
         .to_numpy()).all() for c in ("currency", "approx", "masked", "problem"))
    print(json.dumps({
        "rows": args.rows,
        "seconds": {"zsa_parse_amount": round(t_zsa, 3), "cn2an_loop": round(t_base, 3)},
        "ratio_cn2an_over_zsa": round(t_base / t_zsa, 2),
        "identical_results": bool(same_value and same_rest),
        "problems": ours["problem"].value_counts(dropna=False).to_dict(),
    }, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
