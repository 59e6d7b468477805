"""The canonical tables: every table and column documented once, with the Chinese headers
that name it in the spreadsheets analysts receive.

Three tables carry everything the metrics need:

``projects`` (项目台账)
    One row per project in the ledger.
``funds`` (月度实际到位资金)
    One row per unit × month × source × currency: the money that arrived in that month.
``targets`` (年度任务)
    One row per year × unit × indicator: the annual target.

Money is stored in 万 (10,000) of its currency; ``currency`` says which (``CNY`` or ``USD``).
Foreign capital reported in 万美元 stays in USD until an explicit exchange rate converts it.

Examples
--------
>>> from zsanalytics.schema import PROJECTS, match_header
>>> PROJECTS["contract_wan"].zh
'合同投资额'
>>> match_header("合同投资额（亿元）", PROJECTS)
('contract_wan', '亿元')
>>> match_header("签约 时间", PROJECTS)
('signed_on', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ColumnNotFoundError, ZsAnalyticsError

__all__ = [
    "FUNDS",
    "PROJECTS",
    "TABLES",
    "TARGETS",
    "Column",
    "TableSchema",
    "describe",
    "match_header",
    "validate",
]


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    Attributes
    ----------
    name : str
        Canonical (English, snake_case) name; the unit is part of it (``contract_wan``).
    dtype : {"string", "float", "bool", "date", "int"}
        Logical type.
    zh : str
        The Chinese name used in reports and exports.
    doc : str
        What the column means.
    aliases : tuple of str
        Other Chinese headers that mean the same column on import.
    required : bool
        Whether :func:`validate` insists on it.
    """

    name: str
    dtype: str
    zh: str
    doc: str
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class TableSchema:
    """A canonical table: its name, its Chinese name and its columns in order."""

    name: str
    zh: str
    doc: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        """Canonical column names in order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the columns :func:`validate` insists on."""
        return [c.name for c in self.columns if c.required]


PROJECTS = TableSchema(
    "projects",
    "项目台账",
    "One row per project in the ledger; stage dates are missing until the stage is reached.",
    (
        Column("project_id", "string", "项目编号", "Stable project identifier; generated "
               "from sheet and row when the ledger has none.", ("项目代码", "编号", "项目ID")),
        Column("project_name", "string", "项目名称", "Project name as written in the ledger.",
               ("项目", "名称", "招商项目名称", "项目全称")),
        Column("unit", "string", "责任单位", "Responsible unit (township, sub-district, county "
               "department or park), normalised by normalize_unit.",
               ("单位", "招商单位", "引进单位", "承办单位", "牵头单位", "乡镇", "乡镇（街道）",
                "乡镇街道", "属地", "责任主体", "所属单位")),
        Column("industry", "string", "产业类别", "Industry or project category.",
               ("行业", "所属行业", "产业", "项目类别", "行业类别", "所属产业")),
        Column("origin", "string", "资金来源地", "Where the investor's money comes from "
               "(province, city or country).",
               ("投资方所在地", "来源地", "投资来源地", "客商来源地", "投资方来源地", "资金来源")),
        Column("is_foreign", "bool", "是否外资", "Foreign-funded project.",
               ("外资项目", "是否外资项目")),
        Column("currency", "string", "币种", "Currency of the amounts in this row: CNY or USD.",
               ("货币", "币别"), required=False),
        Column("contract_wan", "float", "合同投资额", "Contracted investment, in 万 of "
               "`currency`.", ("合同引资", "签约金额", "协议投资额", "总投资", "计划总投资",
                               "合同金额", "协议金额", "合同投资", "签约投资额", "投资总额")),
        Column("funds_in_place_wan", "float", "累计到位资金", "Cumulative funds in place, in 万 "
               "of `currency`.", ("实际到位资金", "到位资金", "累计到位", "累计实际到位资金",
                                  "已到位资金")),
        Column("signed_on", "date", "签约时间", "Date the contract was signed.",
               ("签约日期", "签约")),
        Column("landed_on", "date", "落地时间", "Date the project registered or landed "
               "(注册/落地).", ("注册时间", "注册日期", "落地日期", "落地", "注册落地时间")),
        Column("started_on", "date", "开工时间", "Date construction started.",
               ("开工日期", "开工")),
        Column("producing_on", "date", "投产时间", "Date production started.",
               ("投产日期", "投产", "竣工投产时间", "投产达效时间")),
        Column("is_new", "bool", "是否新引进", "New this year (新引进) rather than continuing "
               "(续建).", ("项目性质", "新引进/续建", "新建/续建", "项目类型", "新引进或续建")),
        Column("notes", "string", "备注", "Free text.", ("说明", "进展情况", "备注说明"),
               required=False),
    ),
)

FUNDS = TableSchema(
    "funds",
    "月度实际到位资金",
    "Funds in place per unit, month, source and currency: what arrived in that month.",
    (
        Column("unit", "string", "单位", "Responsible unit.", ("责任单位", "乡镇", "地区")),
        Column("month", "date", "月份", "First day of the month.", ("月", "时间", "期间")),
        Column("source", "string", "资金来源", "省外 / 省内 / 境外 / 市外 …",
               ("来源", "资金类别")),
        Column("currency", "string", "币种", "CNY or USD.", ("货币",)),
        Column("amount_wan", "float", "实际到位资金", "Amount in 万 of `currency`.",
               ("到位资金", "金额", "本月")),
    ),
)

TARGETS = TableSchema(
    "targets",
    "年度任务",
    "Annual targets per unit and indicator; `target` is in the indicator's own unit "
    "(万元 for funds_in_place and contract, 万美元 for foreign_funds, a count for "
    "signed_projects).",
    (
        Column("year", "int", "年度", "Calendar year.", ("年份",)),
        Column("unit", "string", "单位", "Responsible unit.", ("责任单位",)),
        Column("indicator", "string", "指标", "funds_in_place, foreign_funds, contract, "
               "signed_projects, …", ("考核指标",)),
        Column("target", "float", "年度任务", "The annual target.",
               ("任务", "目标", "年度目标", "全年任务")),
    ),
)

TABLES: dict[str, TableSchema] = {t.name: t for t in (PROJECTS, FUNDS, TARGETS)}

# Headers often carry their unit in brackets: 合同投资额（万元）, 到位资金(亿元).
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(?:单位[:：])?\s*(万美元|亿美元|美元|亿元|万元|元|亿|万)\s*[)）]")
_NOISE = re.compile(r"[\s\u3000\xa0*＊]+")


def _norm_header(text: Any) -> str:
    return _NOISE.sub("", str(text)).replace("（", "(").replace("）", ")")


def match_header(text: Any, schema: TableSchema) -> tuple[str | None, str | None]:
    """Find the canonical column a spreadsheet header names.

    Parameters
    ----------
    text : str
        The header as written (spaces, line breaks and a bracketed unit are tolerated).
    schema : TableSchema
        The table to match against.

    Returns
    -------
    tuple
        ``(column_name, unit)``: the canonical name or ``None``, and the unit written in the
        header (``"万元"``, ``"亿元"``, ``"万美元"`` …) or ``None``.

    Examples
    --------
    >>> match_header("实际到位资金(万美元)", PROJECTS)
    ('funds_in_place_wan', '万美元')
    >>> match_header("联系人", PROJECTS)
    (None, None)
    """
    raw = _norm_header(text)
    unit_match = _UNIT_IN_HEADER.search(raw)
    unit = unit_match.group(1) if unit_match else None
    if unit in ("亿", "万"):
        unit += "元"
    base = _UNIT_IN_HEADER.sub("", raw)
    base = re.sub(r"[(][^)]*[)]$", "", base) or base
    for col in schema.columns:
        if base in (col.name, col.zh, *col.aliases):
            return col.name, unit
    return None, unit


def validate(table: Any, schema: TableSchema | str, *, required: list[str] | None = None) -> None:
    """Check that a table has the columns of a canonical schema.

    Works on any dataframe narwhals understands (pandas, polars, DuckDB, PySpark, …).

    Parameters
    ----------
    table : DataFrame-like
        The table to check.
    schema : TableSchema or str
        The schema or its name (``"projects"``, ``"funds"``, ``"targets"``).
    required : list of str, optional
        The columns to insist on; by default every required column of the schema.

    Raises
    ------
    ColumnNotFoundError
        Naming the missing columns and listing the available ones.

    Examples
    --------
    >>> import pandas as pd
    >>> validate(pd.DataFrame({"unit": ["城西镇"], "month": ["2024-01-01"]}), "funds")
    Traceback (most recent call last):
    ...
    zsanalytics.errors.ColumnNotFoundError: funds 表缺少列 ['source', 'currency', 'amount_wan']；\
现有列：['unit', 'month']
    """
    from ._frame import column_names

    if isinstance(schema, str):
        if schema not in TABLES:
            raise ZsAnalyticsError(f"schema == {schema!r}：应为 {sorted(TABLES)} 之一")
        schema = TABLES[schema]
    names = column_names(table)
    needed = schema.required if required is None else list(required)
    if any(c not in names for c in needed):
        raise ColumnNotFoundError(needed, names, table=schema.name)


def describe(schema: TableSchema | str) -> Any:
    """The schema as a table: one row per column with type, Chinese name, aliases and meaning.

    Examples
    --------
    >>> describe("targets")[["column", "zh"]].to_dict("list")
    {'column': ['year', 'unit', 'indicator', 'target'], 'zh': ['年度', '单位', '指标', '年度任务']}
    """
    import pandas as pd

    if isinstance(schema, str):
        schema = TABLES[schema]
    return pd.DataFrame(
        {
            "column": [c.name for c in schema.columns],
            "dtype": [c.dtype for c in schema.columns],
            "zh": [c.zh for c in schema.columns],
            "aliases": ["、".join(c.aliases) for c in schema.columns],
            "required": [c.required for c in schema.columns],
            "doc": [c.doc for c in schema.columns],
        }
    )
