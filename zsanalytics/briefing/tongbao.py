"""The 通报's figures: what the monthly 通报 shows beyond the briefing.

A county's monthly investment-promotion 通报 ranks units within their group — 乡镇（街道）,
县直单位, 园区 — and lists the overdue projects that matter most and the problems the data
shows. :func:`build_tongbao` computes them (through the same gate as the briefing, so a month
outside the data is refused); :func:`zsanalytics.briefing.docx.write_docx` writes the document.

Examples
--------
>>> import zsanalytics as zsa
>>> demo = zsa.load_demo()
>>> t = build_tongbao(demo.projects, demo.funds, demo.targets, as_of="2024-06")
>>> list(t.rankings)
['乡镇（街道）', '县直单位', '园区']
>>> t.rankings["园区"][["排名", "单位", "累计（亿元）"]]
  排名     单位  累计（亿元）
0  1  经济开发区  3.711686
1  2  高新产业园  3.147859
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._frame import collect_pandas, to_narwhals
from .._numbers import fmt_pct, fmt_yi, round_half_up
from ..errors import DataQualityWarning
from ..gate import reconcile
from ..metrics import conversion, rank_units, scorecard, stage_warnings
from ..metrics._core import TOTAL_LABEL
from ..metrics._months import as_date, as_month
from ..metrics.funnel import DEFAULT_DEADLINES
from ..narrate import funnel_sentence, period_zh, units_sentence
from .model import _prior_from_report, _signed_dates, overdue_projects

__all__ = ["FAR_BEHIND_PP", "GROUP_ORDER", "OVERDUE_COLUMNS", "RANKING_COLUMNS", "Tongbao",
           "build_tongbao", "infer_group", "section_group", "tongbao_from_store"]

#: The groups units are ranked within, in the order a 通报 lists them.
GROUP_ORDER = ("乡镇（街道）", "县直单位", "园区", "其他单位")
# a county profile's groups (zsa.toml) → the 通报's: townships and sub-districts rank together
_PROFILE_GROUPS = {"乡镇": "乡镇（街道）", "街道": "乡镇（街道）", "县直单位": "县直单位",
                   "园区": "园区", "其他": "其他单位"}
#: A unit this many percentage points or more below time progress is "far behind" (四、存在问题).
FAR_BEHIND_PP = 20.0
# the rules that mean a project has stalled, as opposed to funds arriving slowly
_STALLED = ("not_landed", "not_started", "not_producing")

RANKING_COLUMNS = ["排名", "单位", "累计（亿元）", "同比（%）", "完成率（%）",
                   "与序时进度差（百分点）", "排名变化"]
OVERDUE_COLUMNS = ["单位", "项目名称", "签约日期", "存在问题", "逾期天数", "合同金额（亿元）"]
# headers as printed: broken where a person would break them
_HEADS = {"累计（亿元）": "累计\n（亿元）", "同比（%）": "同比\n（%）", "完成率（%）": "完成率\n（%）",
          "与序时进度差（百分点）": "与序时进度差\n（百分点）", "逾期天数": "逾期\n天数",
          "合同金额（亿元）": "合同金额\n（亿元）"}


@dataclass
class Tongbao:
    """What the 通报 shows beyond the briefing: see :func:`build_tongbao`.

    Attributes
    ----------
    as_of : str
        The report month, ``"2024-06"``.
    rankings : dict of group → DataFrame
        One table per unit group present in the data, in :data:`GROUP_ORDER`, columns
        :data:`RANKING_COLUMNS`, ranked within the group by completion as shown (one decimal;
        ties share a rank, 并列), 排名变化 against the previous month's ranking in the group;
        累计 in 亿元 unrounded (the writer rounds half up to two decimals).
    group_totals : dict of group → dict
        Each group's 小计: ``ytd_wan``, ``last_ytd_wan``, ``yoy_pct``, ``completion_pct``,
        ``gap_pp``, ``units``.
    group_sentences : dict of group → str
        One sentence per group: how many units are ahead, behind, without results.
    units_sentence : str
    funnel_sentence : str or None
        This year's signings: 签约 → 落地 → 开工 → 投产 (None without a ledger).
    overdue : DataFrame
        Overdue projects, one row per project with all its rules, columns
        :data:`OVERDUE_COLUMNS` plus ``this_year`` (signed in the report year); this year's
        signings first, then the most overdue; at most ``max_per_unit`` per unit;
        ``unit_count``, the unit's overdue projects in all.
    overdue_projects : int
        All overdue projects (before the per-unit limit).
    overdue_sentence : str
    problems : list of (heading, sentence)
        四、存在问题, drawn from the data.
    previous : str or None
        The month rank changes are measured against (None in January).
    """

    as_of: str
    rankings: dict[str, pd.DataFrame]
    group_totals: dict[str, dict[str, float]]
    group_sentences: dict[str, str]
    units_sentence: str
    funnel_sentence: str | None
    overdue: pd.DataFrame
    overdue_projects: int
    overdue_sentence: str
    problems: list[tuple[str, str]] = field(default_factory=list)
    previous: str | None = None


# names of development zones and parks, and of their management committees (管委会)
_PARK_WORDS = ("开发区", "经开区", "高新区", "新区", "园区", "产业园", "工业园", "科技园", "物流园",
               "集中区", "集聚区", "保税区", "示范区", "合作区", "试验区")
# township-level names: 镇, 乡, 街道 and its office (街道办, 街道办事处); 人民政府 may follow
_TOWNSHIP_ENDS = ("镇", "乡", "街道", "街道办", "办事处", "镇政府", "乡政府", "镇人民政府",
                  "乡人民政府", "街道工委")
# county-level departments, institutions and companies
_COUNTY_ENDS = ("局", "委", "办", "办公室", "中心", "院", "所", "队", "部", "会", "公司", "集团",
                "室", "社", "站", "处", "联", "团", "行", "馆", "厅")


def infer_group(unit: str) -> str:
    """The group a unit is ranked in, from its name, for data without a county profile.

    A name ending as a township does (镇, 乡, 街道, 街道办, 办事处, …人民政府) is 乡镇（街道）,
    unless it is an office in a city (驻京办事处); a development zone or park (开发区, 经开区,
    高新区, 产业园, 工业集中区, 产业集聚区 …, and its 管委会) is 园区; a department, institution
    or company (局, 委, 办, 中心, 公司 …, or a name beginning 县) is 县直单位; anything else
    其他单位.

    Examples
    --------
    >>> [infer_group(u) for u in ["城关镇", "城东街道", "白云乡", "县发改局", "经济开发区", "高新产业园"]]
    ['乡镇（街道）', '乡镇（街道）', '乡镇（街道）', '县直单位', '园区', '园区']
    >>> [infer_group(u) for u in ["城南街道办", "经开区管委会", "工业集中区", "XX经开区"]]
    ['乡镇（街道）', '园区', '园区', '园区']
    """
    name = "".join(str(unit).split())
    if name.endswith(_TOWNSHIP_ENDS) and "驻" not in name:
        return "乡镇（街道）"
    if any(word in name for word in _PARK_WORDS) or name.endswith("园"):
        return "园区"
    if name.startswith(("县", "区", "市")) or name.endswith(_COUNTY_ENDS):
        return "县直单位"
    return "其他单位"


def _group_map(units: list[str], groups: Any) -> dict[str, str]:
    """unit → 通报 group, from a profile, a zsa.toml path, a mapping, or the names."""
    given: Mapping[str, str] = {}
    if groups is not None:
        if isinstance(groups, Mapping):
            given = {str(u): _PROFILE_GROUPS.get(str(g), str(g)) for u, g in groups.items()}
        else:
            from ..clean.profile import load_profile

            profile = load_profile(groups)
            given = {u: _PROFILE_GROUPS.get(g, g) for u, g in profile.groups.items()}
    return {u: given.get(u) or infer_group(u) for u in units}


def _small(table: Any) -> pd.DataFrame:
    return collect_pandas(to_narwhals(table))


def _f(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _one(value: Any, digits: int = 1) -> str:
    v = _f(value)
    return f"{round_half_up(v, digits):.{digits}f}" if math.isfinite(v) else "—"


def build_tongbao(projects: Any, funds: Any, targets: Any, *, as_of: Any,
                  groups: Any = None, max_per_unit: int = 1,
                  far_behind_pp: float = FAR_BEHIND_PP, reported: Any = None,
                  allow_mismatch: bool = False, allow_incomplete: bool = False) -> Tongbao:
    """Compute the 通报's rankings per unit group, overdue projects and problems.

    Parameters
    ----------
    projects, funds, targets : DataFrame-like
        The canonical tables, any engine; ``projects`` may be None (no 项目推进 figures).
    as_of : str
        The report month, ``"2024-06"`` (the briefing's ``as_of``).
    groups : Profile, path to zsa.toml, or mapping unit → group, optional
        The groups units are ranked within. A profile's 乡镇 and 街道 rank together as
        乡镇（街道）. Units it does not name (or all, when None) are grouped by their name
        (:func:`infer_group`).
    max_per_unit : int, default 1
        Overdue projects listed per unit (the table says how many each unit has).
    far_behind_pp : float, default 20
        A unit at least this many percentage points below time progress is listed under
        四、存在问题.
    reported, allow_mismatch, allow_incomplete
        As :func:`~zsanalytics.briefing.build_briefing` takes them: the monthly reports'
        figures (whose 上年同期 gives last year where the funds lack it) and what the gate
        lets through. 同比 comes from where the briefing takes it, and is left out (units and
        小计 alike) when last year is not in the data in full.

    Returns
    -------
    Tongbao

    Raises
    ------
    MonthOutOfRangeError, ReconciliationError, IncompleteMonthError
        As :func:`~zsanalytics.briefing.build_briefing` raises them
        (:func:`zsanalytics.reconcile`): a month outside the data is refused.
    """
    gate = reconcile(funds, as_of=as_of, reported=reported)
    gate.raise_unless(allow_mismatch=allow_mismatch, allow_incomplete=allow_incomplete)
    as_of = gate.as_of
    year, month = as_month(as_of)
    card = _small(scorecard(funds, targets, as_of=as_of, totals=True))
    # last year where the briefing takes it from, so that page and 通报 show one 同比
    if gate.last_year.get("CNY") == "report":
        card = _prior_from_report(card, gate.prior, "CNY", "wan")
    elif gate.last_year.get("CNY") is None:  # a partial last year: no growth is published
        card[["last_ytd_wan", "yoy_pct"]] = math.nan
        card["yoy_note"] = None
    units = card[card["unit"] != TOTAL_LABEL].reset_index(drop=True)
    previous_month = f"{year}-{month - 1:02d}" if month > 1 else None
    previous = (_small(scorecard(funds, targets, as_of=previous_month))
                if previous_month else None)
    mapping = _group_map(units["unit"].astype(str).tolist(), groups)
    units["group"] = units["unit"].astype(str).map(mapping)

    rankings: dict[str, pd.DataFrame] = {}
    totals: dict[str, dict[str, float]] = {}
    sentences: dict[str, str] = {}
    for group in sorted(units["group"].unique(), key=_group_key):
        members = units[units["group"] == group].drop(columns="group").reset_index(drop=True)
        before = None
        if previous is not None:
            before = previous[previous["unit"].isin(members["unit"])].reset_index(drop=True)
        # ranked on completion as shown (one decimal), within the group only
        ranked = _small(rank_units(members, value_col="completion_pct", digits=1, previous=before))
        rankings[group] = _ranking_table(ranked)
        totals[group] = _group_total(members)
        sentences[group] = _group_sentence(group, members)

    rates = overdue = None
    if projects is not None:
        day_end = as_date(as_of).isoformat()
        with warnings.catch_warnings():
            # problem projects are counted by the briefing; not warned about twice
            warnings.simplefilter("ignore", DataQualityWarning)
            rates = _small(conversion(projects, as_of=day_end))
            overdue = _small(stage_warnings(projects, as_of=day_end))
        overdue = _per_project(overdue, projects, year, mapping)
    listed = _limit(overdue, max_per_unit) if overdue is not None else pd.DataFrame(
        columns=[*OVERDUE_COLUMNS, "this_year", "unit_count"])
    return Tongbao(
        as_of=as_of, rankings=rankings, group_totals=totals, group_sentences=sentences,
        units_sentence=units_sentence(card),
        funnel_sentence=funnel_sentence(rates.iloc[0]) if rates is not None and len(rates) else None,
        overdue=listed, overdue_projects=0 if overdue is None else len(overdue),
        overdue_sentence=_overdue_sentence(overdue, year, month),
        problems=_problems(units, overdue, far_behind_pp, period_zh(as_of)),
        previous=previous_month,
    )


def tongbao_from_store(store: Any, *, as_of: Any, groups: Any = None, **options: Any) -> Tongbao:
    """:func:`build_tongbao` on a store's tables (see :mod:`zsanalytics.store`), as
    :func:`zsanalytics.briefing.briefing_from_store` builds the briefing: its projects (None
    when it has none), funds, targets and monthly reports' figures (for the gate and last
    year's 上年同期). Without ``groups``, units are grouped as the county profile the store
    was ingested with says (:attr:`~zsanalytics.store.Store.groups`), then by their names."""
    if groups is None:
        profile = getattr(store, "groups", None) or {}
        sections = _report_sections(store)
        # the profile where it names a unit, else the section the unit's report printed it under
        groups = {**sections, **profile} or None
    # fetchall, not fetchone: a result left unfinished blocks the connection's relations
    projects = store.projects if store.con.execute(
        "SELECT count(*) FROM projects").fetchall()[0][0] else None
    options.setdefault("reported", getattr(store, "reported", None))
    return build_tongbao(projects, store.funds, store.targets, as_of=as_of, groups=groups,
                         **options)


def section_group(label: str) -> str | None:
    """The 通报 group a monthly report's section heading names, or None.

    Examples
    --------
    >>> [section_group(x) for x in ["一、乡镇（街道）", "乡镇", "二、县直部门", "县直单位",
    ...                             "三、园区", "开发区（园区）", "其他", "合计"]]
    ['乡镇（街道）', '乡镇（街道）', '县直单位', '县直单位', '园区', '园区', '其他单位', None]
    """
    text = "".join(str(label).split())
    if text in _PROFILE_GROUPS:  # the reader's own names (乡镇, 街道, 县直单位, 园区, 其他)
        return _PROFILE_GROUPS[text]
    if any(w in text for w in ("园区", "开发区", "功能区", "产业园", "工业园", "高新区")):
        return "园区"
    if any(w in text for w in ("乡镇", "街道", "镇街")):
        return "乡镇（街道）"
    if any(w in text for w in ("县直", "区直", "市直", "部门", "单位")):
        return "县直单位"
    return None


def _report_sections(store: Any) -> dict[str, str]:
    """unit → group from the section headings of the store's monthly reports (the latest
    report that puts a unit under a heading wins)."""
    import duckdb

    try:
        rows = store.con.execute(
            'SELECT unit, "group" FROM reported WHERE "group" IS NOT NULL AND NOT is_total '
            "ORDER BY year, end_month").fetchall()
    except duckdb.Error:  # a store without reports, or written before they carried groups
        return {}
    found = {str(u): section_group(g) for u, g in rows}
    return {u: g for u, g in found.items() if g}


def _group_key(group: str) -> tuple[int, str]:
    return (GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER), group)


def _ranking_table(ranked: pd.DataFrame) -> pd.DataFrame:
    growth = ranked["yoy_pct"].map(_one).where(ranked["yoy_pct"].notna(),
                                               ranked["yoy_note"].fillna("—"))
    change = ranked["rank_change_zh"] if "rank_change_zh" in ranked else pd.Series("—", index=ranked.index)
    return pd.DataFrame({
        "排名": ranked["rank"].astype("Int64"),
        "单位": ranked["unit"].astype(str),
        "累计（亿元）": ranked["ytd_wan"].astype("float64") / 1e4,
        "同比（%）": growth.astype(str),
        "完成率（%）": ranked["completion_pct"].astype("float64"),
        "与序时进度差（百分点）": ranked["gap_pp"].astype("float64"),
        "排名变化": change.where(change.notna() & (change.astype(str) != "None"), "—").astype(str),
    }).reset_index(drop=True)


def _group_total(members: pd.DataFrame) -> dict[str, float]:
    ytd = float(members["ytd_wan"].sum())
    last_year = members["last_ytd_wan"].astype("float64")
    # unknown for one unit is unknown for the group: no 小计 同比 from a part of it
    last = float(last_year.sum()) if len(members) and last_year.notna().all() else math.nan
    target = float(members["target_wan"].sum(min_count=1))
    progress = _f(members["time_progress_pct"].iloc[0]) if len(members) else math.nan
    completion = ytd / target * 100 if target > 0 else math.nan
    return {"ytd_wan": ytd, "last_ytd_wan": last,
            "yoy_pct": (ytd / last - 1) * 100 if last > 0 else math.nan,
            "completion_pct": completion, "gap_pp": completion - progress,
            "units": float(len(members))}


def _group_sentence(group: str, members: pd.DataFrame) -> str:
    total = _group_total(members)
    status = members["status"]
    parts = [f"{len(members)}个{_plain(group)}累计实际到位资金{fmt_yi(total['ytd_wan'])}"]
    if math.isfinite(total["completion_pct"]):
        parts.append(f"完成年度任务的{fmt_pct(total['completion_pct'])}")
    counts = []
    for key, words in (("ahead", "超序时进度"), ("behind", "低于序时进度"), ("no results", "无实绩")):
        n = int((status == key).sum())
        if n:
            counts.append(f"{n}个{words}")
    return "，".join(parts) + ("；其中" + "，".join(counts) if counts else "") + "。"


def _plain(group: str) -> str:
    return {"乡镇（街道）": "乡镇（街道）", "县直单位": "县直单位", "园区": "园区"}.get(group, "单位")


def _per_project(overdue: pd.DataFrame, projects: Any, year: int,
                 mapping: Mapping[str, str]) -> pd.DataFrame:
    """One row per overdue project with all its rules, in the order leadership acts on
    (:func:`~zsanalytics.briefing.model.overdue_projects`), with the 通报's headers."""
    per = overdue_projects(overdue, _signed_dates(projects, overdue), year)
    return pd.DataFrame({
        "单位": per["unit"].astype(str),
        "项目名称": per["project_name"].astype(str),
        "签约日期": per["signed_on"].dt.strftime("%Y-%m-%d").fillna("—"),
        "存在问题": per["rules_zh"].astype(object),
        "逾期天数": per["days_overdue"].astype("Int64"),
        "合同金额（亿元）": per["contract_wan"].astype("float64") / 1e4,
        "this_year": per["this_year"].astype(bool),
        "rules": per["rules"].astype(object),
        "_group": per["unit"].astype(str).map(
            lambda u: _group_key(mapping.get(u) or infer_group(u))).astype(object),
    }).reset_index(drop=True)


def _limit(per: pd.DataFrame, max_per_unit: int) -> pd.DataFrame:
    """At most ``max_per_unit`` projects a unit, units in group order and by their count."""
    if not len(per):
        return per.drop(columns=["rules", "_group"], errors="ignore")
    counts = per.groupby("单位").size()
    top = per.groupby("单位", sort=False).head(max_per_unit).copy()
    top["unit_count"] = top["单位"].map(counts).astype("int64")
    top = top.sort_values(["_group", "unit_count", "单位"], ascending=[True, False, True], kind="stable")
    return top.drop(columns=["rules", "_group"]).reset_index(drop=True)


def _overdue_sentence(per: pd.DataFrame | None, year: int, month: int) -> str:
    if per is None:
        return "没有项目台账，项目推进情况未列出。"
    if not len(per):
        return f"截至{month}月底，没有逾期未推进的项目。"
    rules = [r for rules in per["rules"] for r in rules]
    counts = pd.Series(rules).value_counts()
    zh = {rule["rule"]: rule.get("zh", rule["rule"]) for rule in DEFAULT_DEADLINES}
    parts = "，".join(f"{zh.get(r, r)}的{int(counts[r])}个" for r in zh if r in counts)
    this_year = int(per["this_year"].sum())
    by_unit = per.groupby("单位").size().sort_values(ascending=False, kind="stable")
    top = "、".join(f"{u}{n}个" for u, n in by_unit.head(5).items())
    return (f"截至{month}月底，逾期未推进项目{len(per)}个（{parts}；一个项目可有多项问题），"
            f"其中{year}年签约的{this_year}个。逾期项目较多的单位：{top}。")


def _problems(units: pd.DataFrame, per: pd.DataFrame | None, far_behind_pp: float,
              period: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    idle = units[units["status"] == "no results"]
    if len(idle):
        names = "、".join(idle["unit"].astype(str))
        out.append(("部分单位无实绩", f"{names}{len(idle)}个单位{period}实际到位资金为零。"))
    gap = units["gap_pp"].astype("float64")
    behind = units[(gap <= -far_behind_pp) & (units["status"] != "no results")].sort_values("gap_pp")
    if len(behind):
        names = "、".join(f"{u}（低{round_half_up(-g, 1):.1f}个百分点）"
                         for u, g in zip(behind["unit"], behind["gap_pp"], strict=True))
        limit = f"{round_half_up(far_behind_pp, 1):g}"
        out.append(("部分单位进度滞后", f"{len(behind)}个单位低于序时进度{limit}个百分点以上：{names}。"))
    if per is not None and len(per):
        stalled = per[per["rules"].map(lambda rs: any(r in _STALLED for r in rs))]
        if len(stalled):
            zh = {rule["rule"]: rule.get("zh", rule["rule"]) for rule in DEFAULT_DEADLINES}
            counts = pd.Series([r for rs in stalled["rules"] for r in rs if r in _STALLED]).value_counts()
            parts = "，".join(f"{zh[r]}的{int(counts[r])}个" for r in _STALLED if r in counts)
            long = stalled[stalled["逾期天数"].astype("float64") > 365]
            # the same total as 三（二）: the projects only short of funds are said apart
            rest = len(per) - len(stalled)
            others = sorted({r for rs in per["rules"] for r in rs if r not in _STALLED},
                            key=lambda r: [d["rule"] for d in DEFAULT_DEADLINES].index(r)
                            if r in zh else 99)
            tail = (f"；其余{rest}个阶段未滞后，仅{'、'.join(zh.get(r, r) for r in others)}"
                    if rest else "")
            out.append(("部分项目推进缓慢",
                        f"逾期未推进的{len(per)}个项目中，阶段停滞的{len(stalled)}个（{parts}），"
                        f"其中{len(long)}个逾期超过一年{tail}。签约项目转化不畅。"))
    return out
