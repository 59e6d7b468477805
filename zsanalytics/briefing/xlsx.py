"""The briefing as a workbook: one sheet per table, Chinese headers, 亿元 with two decimals,
status colours, and text that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .._export import neutralise_formulas
from ..errors import ZsAnalyticsError
from .model import STATUS_FILLS

if TYPE_CHECKING:
    from .model import Briefing

__all__ = ["write_workbook"]


def write_workbook(briefing: Briefing, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise ZsAnalyticsError(f"path == {str(path)!r}, must end in .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E8EEF6")
    for name, table in briefing.tables.items():
        sheet = book.create_sheet(name)
        sheet.append([briefing.title])
        sheet["A1"].font = Font(bold=True, size=13)
        safe = neutralise_formulas(table)
        sheet.append(list(safe.columns))
        for cell in sheet[2]:
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for record in safe.itertuples(index=False, name=None):
            sheet.append([_excel_value(v) for v in record])
        for j, column in enumerate(safe.columns, start=1):
            fmt = "0.00" if "亿元" in column else "0.0" if ("%" in column or "百分点" in column) else None
            width = max([len(str(column)) * 2] + [len(str(v)) * 2 for v in safe[column].head(50)])
            sheet.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 50)
            if fmt:
                for (cell,) in sheet.iter_rows(min_row=3, min_col=j, max_col=j):
                    cell.number_format = fmt
        if "进度" in safe.columns:
            col = list(safe.columns).index("进度")
            for row in sheet.iter_rows(min_row=3):
                fill = STATUS_FILLS.get(row[col].value)
                if fill:
                    for cell in row:
                        cell.fill = PatternFill("solid", fgColor=fill)
        sheet.freeze_panes = "A3"
    book.save(path)
    return path


def _excel_value(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value

