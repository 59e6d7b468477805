"""What every reader returns: the clean tables, the issues and the row accounting; and the
issues in Chinese for the clerks who keep the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = [
    "ISSUE_COLUMNS",
    "ISSUE_COLUMNS_ZH",
    "PROBLEMS_ZH",
    "Result",
    "issue_frame",
    "issues_zh",
]

#: Columns of every issues table.
ISSUE_COLUMNS = ["sheet", "row", "column", "raw_value", "problem", "action", "message"]
#: Their Chinese headers in exports.
ISSUE_COLUMNS_ZH = {"sheet": "工作表", "row": "行号", "column": "列", "raw_value": "原值",
                    "problem": "问题", "action": "处理", "message": "说明"}
#: Each problem code in words a clerk reads.
PROBLEMS_ZH = {
    "total_row": "合计行", "subtotal_row": "小计行", "part_row": "“其中”行",
    "stage_from_sheet": "节点取自表名", "unit_from_title": "单位取自标题",
    "quarters_mismatch": "季度任务与全年不符", "hidden_sheet": "隐藏的工作表",
    "unknown_unit": "计量单位无法识别", "unit_from_section": "单位取自分组标题",
    "date_from_title": "日期取自标题", "count_row": "项目个数行", "section_row": "分组标题行",
    "repeated_header": "重复表头", "note_row": "注释或签名行", "no_project_row": "无项目内容的行",
    "no_unit_row": "无单位名称的行", "summary_row": "汇总表的行", "summary_sheet": "汇总表",
    "summary_mismatch": "汇总表与明细不符", "summary_unchecked": "汇总表未能核对",
    "sheet_skipped": "未读取的工作表", "unknown_header": "未识别的列", "duplicate_header": "重复的列",
    "ids_generated": "自动生成项目编号", "missing_name": "缺项目名称", "unit_normalised": "单位名称已规范",
    "missing_unit": "缺责任单位", "unit_from_sheet": "单位取自工作表名", "masked": "金额被遮盖",
    "unparsed": "无法识别", "placeholder": "占位符", "empty": "空白", "approx": "约数",
    "currency_mismatch": "币种不一致", "invalid_date": "日期不存在", "out_of_range": "日期不合理",
    "month_only": "只写了月份", "year_from_title": "年份取自标题", "ambiguous_month": "月份有歧义",
    "stage_order": "节点时间顺序颠倒", "stage_conflict": "节点日期与是否矛盾",
    "duplicate_project": "重复项目", "subtotal_mismatch": "小计与明细不符",
    "subtotal_unchecked": "小计未能完全核对", "total_mismatch": "合计与明细不符",
    "total_unchecked": "合计未能完全核对", "amount_unit_conflict": "金额单位不一致",
    "hidden_row": "隐藏行", "hidden_column": "隐藏列", "error_cell": "错误值单元格",
    "formula_without_value": "公式无计算结果", "period_not_ytd": "期间不从1月开始",
    "negative_increment": "累计数下降（修正）", "months_combined": "缺月份报表",
    "this_month_mismatch": "本月与累计不符", "yoy_pct_mismatch": "同比与数字不符",
    "completion_pct_mismatch": "完成率与数字不符", "duplicate_period": "同一期间重复报送",
}
ACTIONS_ZH = {"excluded": "不计入数据", "kept": "保留", "set_missing": "按缺失处理",
              "normalised": "已规范", "checked": "已核对"}


def issues_zh(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues table with Chinese headers, problems and actions, for the clerks.

    Examples
    --------
    >>> t = issue_frame([{"sheet": "台账", "row": 7, "problem": "hidden_row", "action": "kept",
    ...                   "message": "此行在工作簿中被隐藏，已照常读取"}])
    >>> issues_zh(t)[["工作表", "问题", "处理"]].iloc[0].tolist()
    ['台账', '隐藏行', '保留']
    """
    out = issues.copy()
    out["problem"] = out["problem"].map(lambda p: PROBLEMS_ZH.get(p, p))
    out["action"] = out["action"].map(lambda a: ACTIONS_ZH.get(a, a))
    return out.rename(columns=ISSUE_COLUMNS_ZH)


def issue_frame(rows: list[dict[str, Any]] | None = None, **columns: Any) -> pd.DataFrame:
    """An issues table from a list of dicts or from equal-length columns."""
    frame = pd.DataFrame(rows) if rows is not None else pd.DataFrame(columns)
    for c in ISSUE_COLUMNS:
        if c not in frame:
            frame[c] = None
    frame = frame[ISSUE_COLUMNS]
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    for c in ("sheet", "column", "raw_value", "problem", "action", "message"):
        frame[c] = frame[c].astype("str")  # pandas 3: missing stays missing
    return frame


def concat_issues(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return issue_frame([])
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["sheet", "row"], kind="stable", na_position="first").reset_index(
        drop=True)


@dataclass
class Result:
    """What a reader returns: the clean tables, the issues, and the row accounting.

    Attributes
    ----------
    data : pandas.DataFrame
        The main clean table (projects for a ledger, funds for a monthly report).
    issues : pandas.DataFrame
        One row per problem: ``sheet``, ``row`` (the sheet's own 1-based row number; missing
        for problems of the whole sheet), ``column`` (the header as written), ``raw_value``,
        ``problem`` (a stable code), ``action`` (``excluded``, ``kept``, ``set_missing``,
        ``normalised``, ``checked``) and ``message`` (what was found, in words).
    accounting : pandas.DataFrame
        Per sheet: non-empty rows below the header, data rows, excluded rows, and whether
        they balance (rows in = rows out + rows excluded).
    meta : dict
        How the file was read (header rows, amount unit, …).
    tables : dict
        Further clean tables by name: ``plan`` (how every column of every sheet was
        understood: sheet, column letter, header path, canonical name or missing, unit), and
        for a monthly report ``targets``, ``reported`` and ``subtotals``.
    """

    data: pd.DataFrame
    issues: pd.DataFrame
    accounting: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def balanced(self) -> bool:
        """Every non-empty row below the header is a data row or an excluded row."""
        return bool(self.accounting["balanced"].all())

    def summary(self) -> pd.DataFrame:
        """Issues counted by problem and action, most frequent first."""
        if not len(self.issues):
            return pd.DataFrame({"problem": [], "action": [], "count": []})
        return (
            self.issues.groupby(["problem", "action"], dropna=False)
            .size()
            .rename("count")
            .reset_index()
            .sort_values(["count", "problem"], ascending=[False, True])
            .reset_index(drop=True)
        )

    def issues_zh(self) -> pd.DataFrame:
        """The issues with Chinese headers and problem names (see :func:`issues_zh`)."""
        return issues_zh(self.issues)

    def excluded(self) -> pd.DataFrame:
        """The rows left out of the data, one per row, with the reason."""
        return self.issues[self.issues["action"] == "excluded"].reset_index(drop=True)
