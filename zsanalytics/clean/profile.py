"""A county's profile (``zsa.toml``): what its files call things, in one place the analyst edits.

A profile holds header aliases (a source header → a canonical column), unit aliases and the
unit groups the county ranks separately (乡镇 / 街道 / 县直单位 / 园区), and the default amount
unit of bare numbers. The readers look for ``zsa.toml`` beside the file they read when no
profile is passed.

Example ``zsa.toml``::

    [county]
    name = "示例县"
    amount_unit = "万元"          # bare numbers in the files are 万元

    [headers]                     # canonical column = the headers that mean it
    project_name = ["在本县注册名称", "落户企业"]
    contract_wan = ["计划总投资"]

    [[units]]
    name = "城关镇"
    group = "乡镇"
    aliases = ["城关镇人民政府", "城关"]

    [[units]]
    name = "县发改局"
    group = "县直单位"
    aliases = ["县发展和改革局"]

    [assessment]
    performance = "funds"         # 履约: "funds", "landed", "started", "producing",
                                  # or { min_funds_pct = 50 }
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ZsAnalyticsError

__all__ = ["PROFILE_NAME", "Profile", "find_profile", "load_profile", "reader_options"]

#: The file name the readers look for beside the data.
PROFILE_NAME = "zsa.toml"
_GROUPS = ("乡镇", "街道", "县直单位", "园区", "其他")


@dataclass(frozen=True)
class Profile:
    """What a county's files call things.

    Attributes
    ----------
    name : str or None
        The county.
    amount_unit : str or None
        The unit of bare numbers (万元 when None).
    headers : dict
        Source header (spaces removed) → canonical column name.
    units : pandas.DataFrame
        One row per unit: ``unit``, ``group``, ``aliases`` (a tuple).
    path : str or None
        Where the profile was read from.
    performance : str or dict
        The county's rule for 履约 (performed), for :func:`zsanalytics.conversion`.
    """

    name: str | None = None
    amount_unit: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    units: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"unit": pd.array([], dtype="str"), "group": pd.array([], dtype="str"),
         "aliases": []}))
    path: str | None = None
    performance: Any = "funds"

    @property
    def unit_aliases(self) -> dict[str, str]:
        """Every alias → its unit."""
        out: dict[str, str] = {}
        for unit, aliases in zip(self.units["unit"], self.units["aliases"], strict=True):
            for a in aliases:
                out[str(a)] = str(unit)
        return out

    @property
    def groups(self) -> dict[str, str]:
        """Unit → group (乡镇, 街道, 县直单位, 园区 …)."""
        return {str(u): str(g) for u, g in zip(self.units["unit"], self.units["group"],
                                               strict=True) if pd.notna(g)}


def load_profile(path: str | Path | Mapping[str, Any] | Profile | None) -> Profile:
    """Read a county profile from a TOML file (or a dict with the same shape).

    Parameters
    ----------
    path : str, Path, mapping or Profile
        A ``zsa.toml`` file, or its content as a dict.

    Returns
    -------
    Profile

    Raises
    ------
    ZsAnalyticsError
        If the file cannot be parsed or names an unknown canonical column or unit group.

    Examples
    --------
    >>> p = load_profile({"county": {"amount_unit": "亿元"},
    ...                   "headers": {"project_name": ["落户企业"]},
    ...                   "units": [{"name": "城关镇", "group": "乡镇", "aliases": ["城关"]}]})
    >>> p.amount_unit, p.headers["落户企业"], p.unit_aliases, p.groups
    ('亿元', 'project_name', {'城关': '城关镇'}, {'城关镇': '乡镇'})
    >>> load_profile({"assessment": {"performance": {"min_funds_pct": 50}}}).performance
    {'min_funds_pct': 50}
    """
    from ..schema import PROJECTS

    if path is None:
        return Profile()
    if isinstance(path, Profile):
        return path
    source = None
    if isinstance(path, Mapping):
        data = dict(path)
    else:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ZsAnalyticsError(f"profile == {source!r}：无法读取县区配置文件 ({exc})") from exc
    county = data.get("county", {}) or {}
    known = set(PROJECTS.names) | {"funds_this_year_wan", "seq", "signed_reached",
                                   "landed_reached", "started_reached", "producing_reached",
                                   "unit", "this_month", "ytd", "prior_ytd", "yoy_pct", "target",
                                   "completion_pct", "rank", "group"}
    headers: dict[str, str] = {}
    for canonical, aliases in (data.get("headers", {}) or {}).items():
        if canonical not in known:
            raise ZsAnalyticsError(
                f"县区配置 [headers]：{canonical!r} 不是标准列名，应为以下之一："
                f"{sorted(known)}")
        for a in [aliases] if isinstance(aliases, str) else aliases:
            headers["".join(str(a).split())] = canonical
    rows = []
    for u in data.get("units", []) or []:
        if "name" not in u:
            raise ZsAnalyticsError(f"县区配置 [[units]]：每个单位都要有 name，这一项没有：{u!r}")
        group = u.get("group")
        if group is not None and group not in _GROUPS:
            raise ZsAnalyticsError(
                f"县区配置 [[units]]：{u['name']!r} 的 group == {group!r}，应为 "
                f"{list(_GROUPS)} 之一")
        rows.append({"unit": u["name"], "group": group, "aliases": tuple(u.get("aliases", ()))})
    units = pd.DataFrame(rows, columns=["unit", "group", "aliases"])
    units["unit"] = units["unit"].astype("str")
    units["group"] = units["group"].astype("str")
    from ..metrics.funnel import PERFORMANCE_RULES

    performance = (data.get("assessment", {}) or {}).get("performance", "funds")
    if not (performance in PERFORMANCE_RULES or (
            isinstance(performance, Mapping) and set(performance) == {"min_funds_pct"})):
        raise ZsAnalyticsError(
            f"县区配置 [assessment]：performance == {performance!r}，应为 "
            f"{list(PERFORMANCE_RULES)} 之一或 {{min_funds_pct = x}}（履约的认定口径）")
    return Profile(county.get("name"), county.get("amount_unit"), headers, units, source,
                   dict(performance) if isinstance(performance, Mapping) else performance)


def reader_options(path: str | Path, profile: Any, columns: Mapping[str, str] | None,
                   unit_aliases: Mapping[str, str] | None
                   ) -> tuple[Profile, dict[str, str], dict[str, str]]:
    """What a reader knows of a file's county: the profile (given, or ``zsa.toml`` beside the
    file), header aliases (the profile's, then ``columns=``) and unit aliases (the profile's,
    then ``unit_aliases=``)."""
    prof = load_profile(profile) if profile is not None else find_profile(path)
    aliases = dict(prof.headers)
    for k, v in (columns or {}).items():
        aliases["".join(str(k).split())] = v
    return prof, aliases, {**prof.unit_aliases, **(unit_aliases or {})}


def find_profile(data_path: str | Path) -> Profile:
    """The ``zsa.toml`` beside a data file (or in a data folder), or an empty profile."""
    p = Path(data_path)
    folder = p if p.is_dir() else p.parent
    candidate = folder / PROFILE_NAME
    return load_profile(candidate) if candidate.is_file() else Profile()
