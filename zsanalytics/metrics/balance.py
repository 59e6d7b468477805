"""Balance across units (进展不平衡): concentration, the Lorenz curve, Chinese-style rankings with
their change (周排序), units with no results, and assessment scoring by the county's own rules.

These work on one row per unit (a few dozen rows): the table may come from any engine, is
reduced to what the unit needs on that engine, collected, and the result is returned in the
table's own type.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from .._frame import collect_pandas, from_pandas, to_narwhals
from .._numbers import round_half_up
from ..errors import ZsAnalyticsError
from ._core import TOTAL_LABEL, require

__all__ = [
    "RankGap",
    "balance",
    "load_rules",
    "lorenz",
    "rank_gap",
    "rank_units",
    "score_units",
]


def _unit_values(table: Any, value_col: str, unit_col: str) -> pd.DataFrame:
    """Per unit: ``value`` (the sum of ``value_col``; 0 when all missing) and ``known`` (how
    many non-missing values it had). The 合计 row, if any, is left out."""
    frame = to_narwhals(table)
    schema = require(frame, [unit_col, value_col], table="table")
    if not schema[value_col].is_numeric():
        raise ZsAnalyticsError(f"table.{value_col} 的类型为 {schema[value_col]}：应为数值")
    unit = nw.col(unit_col).cast(nw.String)
    per_unit = collect_pandas(
        frame.filter((unit != TOTAL_LABEL).fill_null(True))
        .group_by(unit_col)
        .agg(nw.col(value_col).sum().alias("value"), nw.col(value_col).count().alias("known"))
    )
    per_unit["value"] = per_unit["value"].astype(float)
    return per_unit.rename(columns={unit_col: "unit"})


def _gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values, zeros included: (2 Σ i·x₍ᵢ₎) ÷ (n Σ x) − (n+1) ÷ n
    over the values sorted ascending (i = 1…n)."""
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return float("nan")
    ranks = np.arange(1, n + 1)
    return float(2.0 * (ranks * np.sort(x)).sum() / (n * total) - (n + 1) / n)


def _theil(x: np.ndarray) -> float:
    """Theil T index: mean of (x/μ)·ln(x/μ), with 0·ln 0 = 0."""
    mean = x.mean() if len(x) else 0.0
    if mean <= 0:
        return float("nan")
    share = x / mean
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(share > 0, share * np.log(share), 0.0)
    return float(terms.mean())


def balance(
    table: Any,
    /,
    *,
    value_col: str,
    unit_col: str = "unit",
    projects: Any = None,
    large_wan: float = 10_000.0,
    size_col: str = "contract_wan",
    project_value_col: str = "funds_in_place_wan",
) -> Any:
    """How evenly results are spread across units (进展是否平衡), in one row.

    Parameters
    ----------
    table : DataFrame-like
        Values per unit, e.g. the output of :func:`~zsanalytics.scorecard` (a 合计 row is left
        out; several rows of one unit are summed).
    value_col : str
        The value compared, e.g. ``"ytd_wan"``.
    unit_col : str, default "unit"
        The unit column.
    projects : DataFrame-like, optional
        The project ledger, for the share carried by large projects.
    large_wan : float, default 10000
        The size class, in 万元 of ``size_col`` (10000 万元 = 1亿元, 亿元以上项目).
    size_col, project_value_col : str
        Project size (default the contract amount) and the value whose share is reported
        (default the project's funds in place). Only CNY projects count when the ledger has a
        ``currency`` column.

    Returns
    -------
    DataFrame-like
        One row, same type as ``table``:

        - ``units``; ``zero_units`` (无实绩: a reported value of 0); ``missing_units`` (no value
          at all, e.g. masked; counted as 0 in the measures below, but not as 无实绩: a unit is
          in one of the two counts at most); ``total``;
        - ``gini``: 0 when every unit has the same, towards 1 when one unit has everything;
        - ``theil``: Theil's T, 0 when equal, ln(units) at most;
        - ``cv``: coefficient of variation (population standard deviation ÷ mean);
        - ``top3_share_pct``: the three largest units' share of the total;
        - with ``projects``: ``large_projects`` and ``large_project_share_pct``, the share of
          ``project_value_col`` carried by projects of ``large_wan`` and more;
        - ``note``: why a measure is missing (negative values, a zero total).

    Examples
    --------
    Four units, one carrying most (Gini by hand: sorted 0, 10, 30, 60; Σ i·x = 0 + 20 + 90 +
    240 = 350; 2·350 ÷ (4·100) − 5/4 = 0.5):

    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "ytd_wan": [60.0, 30.0, 10.0, 0.0]})
    >>> out = balance(units, value_col="ytd_wan")
    >>> out[["units", "zero_units", "gini", "top3_share_pct"]]
       units  zero_units  gini  top3_share_pct
    0      4           1   0.5           100.0
    """
    per_unit = _unit_values(table, value_col, unit_col)
    x = per_unit["value"].to_numpy(dtype=float)
    notes = []
    total = float(x.sum())
    gini = theil = cv = top3 = float("nan")
    if (x < 0).any():
        notes.append(f"{int((x < 0).sum())}个单位为负值，不计算集中度")
    elif total <= 0:
        notes.append("合计为零，不计算集中度")
    else:
        gini, theil = _gini(x), _theil(x)
        cv = float(x.std(ddof=0) / x.mean())
        top3 = float(np.sort(x)[::-1][:3].sum() / total * 100.0)
    row: dict[str, Any] = {
        "units": len(x),
        "zero_units": int(((x == 0) & (per_unit["known"].to_numpy() > 0)).sum()),
        "missing_units": int((per_unit["known"] == 0).sum()),
        "total": total,
        "gini": gini,
        "theil": theil,
        "cv": cv,
        "top3_share_pct": top3,
    }
    if projects is not None:
        row.update(_large_share(projects, large_wan, size_col, project_value_col))
    row["note"] = "；".join(notes) if notes else None
    out = pd.DataFrame([row])
    out["note"] = out["note"].astype("str")
    return from_pandas(out, to_narwhals(table))


def _large_share(projects: Any, large_wan: float, size_col: str, value_col: str) -> dict[str, Any]:
    frame = to_narwhals(projects, argument="projects")
    schema = require(frame, [size_col, value_col], table="projects")
    if "currency" in schema:
        frame = frame.filter((nw.col("currency") == "CNY").fill_null(False))
    large = (nw.col(size_col) >= large_wan).fill_null(False)
    sums = collect_pandas(frame.select(
        nw.when(large).then(nw.lit(1)).otherwise(nw.lit(0)).sum().alias("n"),
        nw.when(large).then(nw.col(value_col)).otherwise(nw.lit(0.0)).sum().alias("large"),
        nw.col(value_col).sum().alias("all"),
    )).iloc[0]
    share = float(sums["large"]) / float(sums["all"]) * 100.0 if sums["all"] else float("nan")
    return {"large_projects": int(sums["n"]), "large_project_share_pct": share}


def lorenz(table: Any, /, *, value_col: str, unit_col: str = "unit") -> Any:
    """The points of the Lorenz curve: units from the smallest up, the cumulative share of units
    against the cumulative share of the total.

    Returns
    -------
    DataFrame-like
        Same type as ``table``: a first point (0, 0) with no unit, then one row per unit:
        ``unit``, ``value``, ``cum_units_pct`` and ``cum_value_pct``. The diagonal is perfect
        equality; the Gini coefficient is twice the area between it and the curve.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "ytd_wan": [60.0, 30.0, 10.0, 0.0]})
    >>> lorenz(units, value_col="ytd_wan")
      unit  value  cum_units_pct  cum_value_pct
    0  NaN    0.0            0.0            0.0
    1    丁    0.0           25.0            0.0
    2    丙   10.0           50.0           10.0
    3    乙   30.0           75.0           40.0
    4    甲   60.0          100.0          100.0
    """
    per_unit = _unit_values(table, value_col, unit_col).sort_values(["value", "unit"], kind="stable")
    x = per_unit["value"].to_numpy(dtype=float)
    if (x < 0).any():
        raise ZsAnalyticsError(
            f"table.{value_col} 有负值（{', '.join(per_unit['unit'][x < 0])}）："
            "洛伦兹曲线要求各值 ≥ 0")
    total = x.sum()
    n = len(x)
    points = pd.DataFrame({
        "unit": pd.array([None, *per_unit["unit"]], dtype="str"),
        "value": np.r_[0.0, x],
        "cum_units_pct": np.arange(n + 1) / n * 100.0 if n else [0.0],
        "cum_value_pct": np.r_[0.0, np.cumsum(x)] / total * 100.0 if total > 0 else np.nan,
    })
    if total > 0:
        points.loc[0, "cum_value_pct"] = 0.0
    return from_pandas(points, to_narwhals(table))


def _dense_rank(values: pd.Series, *, ascending: bool) -> pd.Series:
    """Chinese-style rank: ties share a rank and the next rank does not skip (1, 1, 2)."""
    return values.rank(method="dense", ascending=ascending).astype("Int64")


def _rank_zh(rank: pd.Series) -> pd.Series:
    counts = rank.map(rank.value_counts())
    words = "第" + rank.astype("str") + "位"
    return words.where(counts.fillna(0) <= 1, "并列" + words).where(rank.notna())


def _per_unit_rows(table: Any, value_col: str, unit_col: str, argument: str) -> pd.DataFrame:
    frame = to_narwhals(table, argument=argument)
    schema = require(frame, [unit_col, value_col], table=argument)
    if not schema[value_col].is_numeric():
        raise ZsAnalyticsError(f"{argument}.{value_col} 的类型为 {schema[value_col]}：应为数值")
    rows = collect_pandas(frame)
    rows[unit_col] = rows[unit_col].astype("str")
    units = rows.loc[rows[unit_col] != TOTAL_LABEL, unit_col]
    repeated = sorted(units[units.duplicated()].dropna().unique())
    if repeated:
        raise ZsAnalyticsError(
            f"{argument} 中单位 {repeated[:5]} 不止一行：排名要求每个单位一行"
            "（请先按单位汇总）")
    return rows


def _ranked(rows: pd.DataFrame, value_col: str, unit_col: str, ascending: bool,
            digits: int | None) -> pd.Series:
    values = rows[value_col].astype(float).where(rows[unit_col] != TOTAL_LABEL)
    if digits is not None:
        values = values.map(lambda v: round_half_up(v, digits) if pd.notna(v) else v)
    return _dense_rank(values, ascending=ascending)


def rank_units(
    table: Any,
    /,
    *,
    value_col: str,
    unit_col: str = "unit",
    ascending: bool = False,
    previous: Any = None,
    digits: int | None = None,
) -> Any:
    """Rank units as Chinese reports do: ties share a rank and the next rank does not skip
    (1, 1, 2 — 并列第1位), with the change since the previous ranking (周排序).

    Parameters
    ----------
    table : DataFrame-like
        One row per unit (e.g. a scorecard); all its columns are kept. A 合计 row is kept
        unranked, at the end.
    value_col : str
        What to rank by, e.g. ``"ytd_wan"`` or ``"completion_pct"``.
    unit_col : str, default "unit"
    ascending : bool, default False
        Rank the smallest first (e.g. for days overdue).
    previous : DataFrame-like, optional
        The previous period's table with the same ``unit_col`` and ``value_col``.
    digits : int, optional
        Rank on values rounded half up to this many decimals, as a report showing them so
        would tie them (``digits=1`` for completion shown as 38.4%).

    Returns
    -------
    DataFrame-like
        Same type as ``table``, sorted by rank (ties keep the table's order): ``rank``
        (missing for a missing value and for 合计), ``rank_zh`` (第1位 / 并列第1位) and, with
        ``previous``: ``previous_rank``, ``rank_change`` (places moved up; negative for down)
        and ``rank_change_zh`` (上升2位 / 下降1位 / 持平; 新进 for a unit not in
        ``previous``; missing for a unit that was there without a value, whose move is not
        known).

    Examples
    --------
    >>> import pandas as pd
    >>> now = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "ytd_wan": [90.0, 120.0, 90.0, 40.0]})
    >>> before = pd.DataFrame({"unit": ["甲", "乙", "丙", "丁"], "ytd_wan": [80.0, 50.0, 60.0, 30.0]})
    >>> rank_units(now, value_col="ytd_wan", previous=before)
      unit  ytd_wan  rank rank_zh  previous_rank  rank_change rank_change_zh
    0    乙    120.0     1     第1位              3            2          上升2位
    1    甲     90.0     2   并列第2位              1           -1          下降1位
    2    丙     90.0     2   并列第2位              2            0            持平
    3    丁     40.0     3     第3位              4            1          上升1位
    """
    rows = _per_unit_rows(table, value_col, unit_col, "table")
    rows["rank"] = _ranked(rows, value_col, unit_col, ascending, digits)
    rows["rank_zh"] = _rank_zh(rows["rank"]).astype("str")
    if previous is not None:
        before = _per_unit_rows(previous, value_col, unit_col, "previous")
        before["previous_rank"] = _ranked(before, value_col, unit_col, ascending, digits)
        was_there = rows[unit_col].isin(before[unit_col]).to_numpy()
        rows = rows.merge(before[[unit_col, "previous_rank"]], on=unit_col, how="left")
        change = (rows["previous_rank"] - rows["rank"]).astype("Int64")
        rows["rank_change"] = change
        words = pd.Series(np.where(change.fillna(0) > 0, "上升", "下降"), index=rows.index)
        zh = (words + change.abs().astype("str") + "位").where(change.fillna(0) != 0, "持平")
        zh = zh.where(rows["previous_rank"].notna(), pd.Series(np.where(was_there, None, "新进"),
                                                                 index=rows.index, dtype="object"))
        zh = zh.where(rows["rank"].notna())
        rows["rank_change_zh"] = zh.astype("str")
    rows = rows.assign(__zsa_total=rows[unit_col] == TOTAL_LABEL).sort_values(
        ["__zsa_total", "rank"], na_position="last", kind="stable"
    ).drop(columns="__zsa_total")
    return from_pandas(rows, to_narwhals(table))


# ---------------------------------------------------------------------------------------------
# Assessment scoring (考核打分)

_INDICATOR_KEYS = {"name", "actual", "target", "weight", "cap", "bands"}
_ITEM_KEYS = {"name", "column", "points", "max"}


def load_rules(path: str | Path) -> dict[str, Any]:
    """Read assessment rules from a TOML, YAML or JSON file (see :func:`score_units`).

    YAML is read with ``yaml.safe_load``: a rules file is data and can never run code.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '''
    ... [[indicators]]
    ... name = "到位资金"
    ... actual = "ytd_wan"
    ... target = "target_wan"
    ... weight = 60
    ... cap = 72
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp, "rules.toml")
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     load_rules(path)["indicators"][0]["weight"]
    60.0
    """
    path = Path(path)
    if not path.is_file():
        raise ZsAnalyticsError(f"规则文件 {str(path)!r} 不存在")
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            rules = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise ZsAnalyticsError(
                    "读取 YAML 规则文件需要 PyYAML：python -m pip install pyyaml") from None
            rules = yaml.safe_load(text)
        elif suffix == ".json":
            rules = json.loads(text)
        else:
            raise ZsAnalyticsError(f"规则文件 {path.name!r} 应为 .toml、.yaml、.yml 或 .json 文件")
    except ZsAnalyticsError:
        raise
    except Exception as exc:  # the parsers' own errors say where the file is malformed
        raise ZsAnalyticsError(f"规则文件 {path.name!r} 无法读取：{exc}") from exc
    return _check_rules(rules)


def _number(value: Any, what: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ZsAnalyticsError(f"{what} == {value!r}：应为数值")
    if positive and value <= 0:
        raise ZsAnalyticsError(f"{what} == {value!r}：应大于 0")
    return float(value)


def _check_rules(rules: Any) -> dict[str, Any]:
    """Rules as plain data, checked, with numbers as floats and bands sorted from the top."""
    if isinstance(rules, str | Path):
        return load_rules(rules)
    if not isinstance(rules, Mapping):
        raise ZsAnalyticsError("rules 应为字典（或 TOML/YAML/JSON 文件），含 'indicators'，"
                               "可另有 'bonuses' 和 'deductions'")
    unknown = set(rules) - {"indicators", "bonuses", "deductions", "title"}
    if unknown:
        raise ZsAnalyticsError(f"rules 有未知的键 {sorted(unknown)}")
    indicators = rules.get("indicators") or []
    if not indicators:
        raise ZsAnalyticsError("rules 的 'indicators' 下至少要有一项")
    checked: dict[str, Any] = {"indicators": [], "bonuses": [], "deductions": []}
    names: set[str] = set()
    for rule in indicators:
        if not isinstance(rule, Mapping) or set(rule) - _INDICATOR_KEYS:
            raise ZsAnalyticsError(f"指标规则 {rule!r} 只能有这些键：{sorted(_INDICATOR_KEYS)}")
        name = rule.get("name")
        for key in ("name", "actual", "target"):
            if not isinstance(rule.get(key), str) or not rule.get(key):
                raise ZsAnalyticsError(f"指标规则 {dict(rule)!r} 缺少 '{key}'（文字）")
        weight = _number(rule.get("weight"), f"{name}.weight", positive=True)
        cap = rule.get("cap")
        bands = rule.get("bands")
        if cap is not None and bands is not None:
            raise ZsAnalyticsError(f"指标 {name!r} 同时有 'cap' 和 'bands'：bands 自带最高分，"
                                   "二者只用其一")
        entry: dict[str, Any] = {"name": name, "actual": rule["actual"], "target": rule["target"],
                                 "weight": weight, "cap": None, "bands": None}
        if cap is not None:
            entry["cap"] = _number(cap, f"{name}.cap", positive=True)
        if bands is not None:
            try:
                pairs = [(_number(b[0], f"{name}.bands 门槛"), _number(b[1], f"{name}.bands 得分"))
                         for b in bands]
            except (TypeError, IndexError, KeyError):
                raise ZsAnalyticsError(f"{name}.bands == {bands!r}：应为（门槛, 得分）对，如 "
                                       "[[100, 100], [80, 75], [50, 50]]") from None
            if not pairs:
                raise ZsAnalyticsError(f"{name}.bands 为空")
            entry["bands"] = sorted(pairs, reverse=True)
        checked["indicators"].append(entry)
        names.add(name)
    for kind in ("bonuses", "deductions"):
        for rule in rules.get(kind) or []:
            if not isinstance(rule, Mapping) or set(rule) - _ITEM_KEYS:
                raise ZsAnalyticsError(f"{kind} 规则 {rule!r} 只能有这些键：{sorted(_ITEM_KEYS)}")
            for key in ("name", "column"):
                if not isinstance(rule.get(key), str) or not rule.get(key):
                    raise ZsAnalyticsError(f"{kind} 规则 {dict(rule)!r} 缺少 '{key}'（文字）")
            entry = {"name": rule["name"], "column": rule["column"],
                     "points": _number(rule.get("points"), f"{rule['name']}.points", positive=True),
                     "max": None}
            if rule.get("max") is not None:
                entry["max"] = _number(rule["max"], f"{rule['name']}.max", positive=True)
            checked[kind].append(entry)
            names.add(rule["name"])
    all_names = [r["name"] for k in ("indicators", "bonuses", "deductions") for r in checked[k]]
    if len(set(all_names)) != len(all_names):
        raise ZsAnalyticsError(f"规则名称不能重复：{all_names}")
    return checked


def _indicator_score(rule: Mapping[str, Any], actual: np.ndarray, target: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Completion % and score of one indicator; both missing where there is no target."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(target > 0, actual / target * 100.0, np.nan)
    if rule["bands"]:
        score = np.zeros_like(pct)
        # from the lowest band up, so the highest band reached wins
        for threshold, band in reversed(rule["bands"]):
            score = np.where(pct >= threshold, rule["weight"] * band / 100.0, score)
    else:
        score = np.clip(pct, 0.0, None) / 100.0 * rule["weight"]
        if rule["cap"] is not None:
            score = np.minimum(score, rule["cap"])
    return pct, np.where(np.isnan(pct), np.nan, score)


def _item_score(rule: Mapping[str, Any], count: np.ndarray, sign: float) -> np.ndarray:
    points = np.nan_to_num(count, nan=0.0) * rule["points"]
    if rule["max"] is not None:
        points = np.minimum(points, rule["max"])
    return sign * points + 0.0  # + 0.0 turns −0.0 into 0.0 for display


def _score_frame(rows: pd.DataFrame, rules: Mapping[str, Any], unit_col: str) -> pd.DataFrame:
    out = pd.DataFrame({unit_col: rows[unit_col].astype("str")})
    total = np.zeros(len(rows))
    for rule in rules["indicators"]:
        actual = rows[rule["actual"]].to_numpy(dtype=float, na_value=np.nan)
        target = rows[rule["target"]].to_numpy(dtype=float, na_value=np.nan)
        pct, score = _indicator_score(rule, np.nan_to_num(actual, nan=0.0), target)
        out[f"{rule['name']}_pct"] = pct
        out[f"{rule['name']}_score"] = score
        total += np.nan_to_num(score, nan=0.0)
    for kind, sign in (("bonuses", 1.0), ("deductions", -1.0)):
        for rule in rules[kind]:
            score = _item_score(rule, rows[rule["column"]].to_numpy(dtype=float, na_value=np.nan), sign)
            out[f"{rule['name']}_score"] = score
            total += score
    out["total_score"] = total
    return out


def score_units(table: Any, rules: Any, /, *, unit_col: str = "unit") -> Any:
    """Score units by assessment rules (考核办法), item by item.

    Parameters
    ----------
    table : DataFrame-like
        One row per unit with the columns the rules name (e.g. funds in place and its target
        from :func:`~zsanalytics.scorecard`, project counts from :func:`conversion`, overdue
        counts from :func:`stage_warnings`). A 合计 row is left out.
    rules : mapping or path
        Plain data, or a TOML / YAML / JSON file of it (:func:`load_rules`):

        - ``indicators``: each with ``name``, ``actual`` and ``target`` (columns) and ``weight``
          (points). The score is actual ÷ target × weight, at most ``cap`` points when given;
          or, with ``bands`` (pairs ``[completion %, share of the weight in %]``), the share of
          the highest band reached: ``[[100, 100], [80, 75], [50, 50]]`` gives the full weight
          from 100%, three quarters from 80%, half from 50%, else 0. A unit with no target
          (missing or 0) is not scored on that indicator (score missing, not 0).
        - ``bonuses``: each with ``name``, ``column`` (a count, e.g. 亿元以上项目), ``points``
          per count and an optional ``max``.
        - ``deductions``: the same, subtracted (e.g. 0.1 per project overdue to start).
    unit_col : str, default "unit"

    Returns
    -------
    DataFrame-like
        Same type as ``table``, sorted by rank: ``unit``, per indicator ``{name}_pct`` and
        ``{name}_score``, per bonus or deduction ``{name}_score`` (deductions negative),
        ``total_score``, ``rank`` and ``rank_zh`` (ties share a rank: 并列第1位).

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit": ["甲", "乙", "丙"], "ytd_wan": [6000.0, 3000.0, 900.0],
    ...                       "target_wan": [5000.0, 4000.0, 2000.0], "signed": [5, 2, 1],
    ...                       "signed_target": [4, 4, 4], "overdue": [0, 3, 1]})
    >>> rules = {
    ...     "indicators": [
    ...         {"name": "到位资金", "actual": "ytd_wan", "target": "target_wan", "weight": 60, "cap": 66},
    ...         {"name": "签约项目", "actual": "signed", "target": "signed_target", "weight": 40,
    ...          "bands": [[100, 100], [80, 75], [50, 50]]},
    ...     ],
    ...     "deductions": [{"name": "逾期未开工", "column": "overdue", "points": 0.1, "max": 2}],
    ... }
    >>> score_units(units, rules)[["unit", "到位资金_score", "签约项目_score", "逾期未开工_score",
    ...                            "total_score", "rank"]]
      unit  到位资金_score  签约项目_score  逾期未开工_score  total_score  rank
    0    甲        66.0        40.0          0.0        106.0     1
    1    乙        45.0        20.0         -0.3         64.7     2
    2    丙        27.0         0.0         -0.1         26.9     3
    """
    rules = _check_rules(rules)
    columns = {unit_col}
    for rule in rules["indicators"]:
        columns |= {rule["actual"], rule["target"]}
    for rule in rules["bonuses"] + rules["deductions"]:
        columns.add(rule["column"])
    frame = to_narwhals(table)
    require(frame, sorted(columns), table="table")
    rows = collect_pandas(frame.select(*sorted(columns)))
    rows = rows[rows[unit_col].astype("str") != TOTAL_LABEL]
    scored = _score_frame(rows, rules, unit_col)
    scored["rank"] = _dense_rank(scored["total_score"], ascending=False)
    scored["rank_zh"] = _rank_zh(scored["rank"]).astype("str")
    scored = scored.sort_values("rank", kind="stable")
    return from_pandas(scored, frame)


@dataclass(frozen=True)
class RankGap:
    """What a unit needs to reach a rank (还差多少能进第N位).

    Attributes
    ----------
    unit, rank : the unit and the rank asked about.
    current_rank : its rank now.
    column : the column that would have to grow (``value_col``, or the indicator's ``actual``).
    current : its value now.
    needed : the value that reaches ``rank`` (tied with the unit there); ``nan`` if no value
        can (a capped indicator).
    extra : ``needed - current`` (0 when the unit is already there).
    reachable : whether raising ``column`` alone can reach ``rank``.
    """

    unit: str
    rank: int
    current_rank: int | None
    column: str
    current: float
    needed: float
    extra: float
    reachable: bool


def _threshold(others: np.ndarray, rank: int) -> float:
    """The value that ties the ``rank``-th distinct value of the other units (dense ranks);
    -inf when there are fewer distinct values (any value gets there)."""
    distinct = np.unique(others[~np.isnan(others)])[::-1]
    return float(distinct[rank - 1]) if rank <= len(distinct) else float("-inf")


def rank_gap(
    table: Any,
    /,
    *,
    unit: str,
    rank: int,
    value_col: str | None = None,
    rules: Any = None,
    indicator: str | None = None,
    unit_col: str = "unit",
) -> RankGap:
    """How much more a unit needs to reach rank ``rank``, everyone else staying where they are.

    Either by a value (``value_col``, higher ranks first), or by the total score of
    :func:`score_units` (``rules``), raising the actual column of one ``indicator``. The
    answer is solved on the scoring function itself: every indicator, bonus and deduction
    that reads that column rises with it (one 到位资金 column scored against both the annual
    and the half-year target counts twice), caps and bands included.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit": ["甲", "乙", "丙"], "ytd_wan": [6000.0, 3000.0, 900.0]})
    >>> gap = rank_gap(units, unit="丙", rank=1, value_col="ytd_wan")
    >>> gap.current_rank, gap.extra
    (3, 5100.0)
    """
    if isinstance(rank, bool) or not isinstance(rank, int | np.integer) or rank < 1:
        raise ZsAnalyticsError(f"rank == {rank!r}：应为 ≥ 1 的整数")
    if (value_col is None) == (rules is None):
        raise ZsAnalyticsError("请二选一：给出 value_col，或给出 rules 和 indicator")
    if rules is None:
        rows = _per_unit_rows(table, value_col, unit_col, "table")
        rows = rows[rows[unit_col] != TOTAL_LABEL]
        values = rows[value_col].to_numpy(dtype=float, na_value=np.nan)
        column = value_col
        mine = rows[unit_col].to_numpy() == unit
        if not mine.any():
            raise ZsAnalyticsError(f"unit == {unit!r}：表中没有这个单位")
        current = float(np.nan_to_num(values[mine][0], nan=0.0))
        current_rank = _dense_rank(pd.Series(values), ascending=False)[mine].iloc[0]
        needed = max(_threshold(values[~mine], rank), current)
        return RankGap(unit, int(rank), None if pd.isna(current_rank) else int(current_rank),
                       column, current, needed, needed - current, True)
    checked = _check_rules(rules)
    found = [r for r in checked["indicators"] if r["name"] == indicator]
    if not found:
        raise ZsAnalyticsError(f"indicator == {indicator!r}：应为 "
                               f"{[r['name'] for r in checked['indicators']]} 之一")
    rule = found[0]
    scored = collect_pandas(to_narwhals(score_units(table, checked, unit_col=unit_col)))
    inputs = collect_pandas(to_narwhals(table))
    inputs = inputs[inputs[unit_col].astype("str") == unit]
    mine = scored[unit_col].to_numpy() == unit
    if not mine.any() or inputs.empty:
        raise ZsAnalyticsError(f"unit == {unit!r}：表中没有这个单位")
    me = scored[mine].iloc[0]
    column = rule["actual"]
    current = float(np.nan_to_num(float(inputs[column].iloc[0]), nan=0.0))
    score_needed = max(_threshold(scored["total_score"].to_numpy(dtype=float)[~mine], rank),
                       float(me["total_score"]))
    needed = _actual_for_total(checked, inputs.iloc[:1], unit_col, column, current, score_needed)
    reachable = math.isfinite(needed)
    return RankGap(unit, int(rank), int(me["rank"]), column, current, needed,
                   needed - current if reachable else float("nan"), reachable)


def _breakpoints(rules: Mapping[str, Any], row: pd.DataFrame, column: str) -> np.ndarray:
    """Values of ``column`` where the unit's total score changes slope or jumps: every band
    threshold and cap of each indicator fed by it, and the cap of each bonus or deduction that
    counts it. Between two of them the total is linear in ``column``."""
    points = []
    for rule in rules["indicators"]:
        if rule["actual"] != column:
            continue
        target = float(row[rule["target"]].to_numpy(dtype=float, na_value=np.nan)[0])
        if not target > 0:
            continue  # not scored: no effect
        if rule["bands"]:
            points += [threshold / 100.0 * target for threshold, _ in rule["bands"]]
        if rule["cap"] is not None:
            points.append(rule["cap"] / rule["weight"] * target)
        points.append(0.0)
    for kind in ("bonuses", "deductions"):
        for rule in rules[kind]:
            if rule["column"] == column and rule["max"] is not None:
                points.append(rule["max"] / rule["points"])
    return np.unique(np.asarray(points, dtype=float))


def _actual_for_total(rules: Mapping[str, Any], row: pd.DataFrame, unit_col: str, column: str,
                      current: float, wanted: float) -> float:
    """The least value of ``column`` (≥ ``current``) at which the unit's total score — the
    scoring function itself, with every indicator, bonus and deduction that reads ``column``
    moving together — reaches ``wanted``; nan when no value does.

    The total is non-decreasing in ``column`` and piecewise linear between the breakpoints
    (a band's score is reached at its threshold, so it is right-continuous): evaluate it at
    the breakpoints, then solve the one linear piece that crosses ``wanted``."""
    def total(values: np.ndarray) -> np.ndarray:
        rows = pd.concat([row] * len(values), ignore_index=True)
        rows[column] = values
        return _score_frame(rows, rules, unit_col)["total_score"].to_numpy(dtype=float)

    tol = 1e-9 * max(1.0, abs(wanted))
    if total(np.array([current]))[0] >= wanted - tol:
        return current
    points = _breakpoints(rules, row, column)
    points = np.r_[current, points[points > current]]
    at = total(points)
    hit = np.flatnonzero(at >= wanted - tol)
    if len(hit):
        k = int(hit[0])  # the total reaches ``wanted`` at points[k], not at points[k - 1]
        lo, hi = points[k - 1], points[k]
        inside = total(np.array([(lo + hi) / 2]))[0]
        slope = (inside - at[k - 1]) / ((hi - lo) / 2)
        if slope > 0:
            x = lo + (wanted - at[k - 1]) / slope
            if x < hi:
                return float(max(x, lo))
        return float(hi)  # reached by a jump (a band) at the breakpoint itself
    last = points[-1]
    step = max(1.0, abs(last))
    slope = (total(np.array([last + step]))[0] - at[-1]) / step
    if slope <= 1e-12:
        return float("nan")  # capped: no value reaches it
    return float(last + (wanted - at[-1]) / slope)
