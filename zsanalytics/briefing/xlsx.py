"""The briefing as a workbook that prints: 要点 first, then one sheet per table.

Every sheet prints on A4 landscape, one page wide, with its header row repeated on each page,
the title in the page header and "第 n 页，共 m 页" in the footer. Columns are as wide as their
formatted text (亿元 with two decimals, % with one; a Chinese character counts as two), long
headers wrap before their unit "（亿元）", numbers are right-aligned, dates are Excel dates, and
text that a spreadsheet would run as a formula — the title with the user's scope included — is
neutralised with an apostrophe. Text that is a plain number ("-3.5") is kept as typed: it is
written as a text cell, which no spreadsheet runs, and a number can call nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._export import neutralise_formulas, neutralise_text
from ..errors import ZsAnalyticsError
from ..metrics._core import TOTAL_LABEL
from .model import STATUS_FILLS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .model import Briefing

__all__ = ["POINTS_SHEET", "write_workbook"]

#: The sheet that comes first: the briefing's sentences, banners and notices.
POINTS_SHEET = "要点"
#: Width (in characters of the default font) of the 要点 column: A4 landscape less narrow
#: margins holds about 145.
POINTS_WIDTH = 120
#: Widest a text column grows before its cells wrap; a number or date column never gets there.
TEXT_CAP = 36
NUMBER_CAP = 16
#: Points per printed line of 11-point text (CJK fonts run a little taller than Latin ones).
LINE_PT = 15.5
DATE_FORMAT = "yyyy-mm-dd"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BORDER_COLOUR = "A6A6A6"
_HEAD_FILL = "E8EEF6"
FOOTER = "第 &P 页，共 &N 页"


def write_workbook(briefing: Briefing, path: Path) -> Path:
    """Write ``briefing`` to ``path`` (.xlsx): 要点 first, then the tables in the model's order."""
    from openpyxl import Workbook

    if path.suffix.lower() != ".xlsx":
        raise ZsAnalyticsError(f"path == {str(path)!r}：工作簿文件名应以 .xlsx 结尾")
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    title = briefing.title
    source = getattr(briefing, "source_line", None)
    names = sorted(briefing.tables, key=lambda name: name != POINTS_SHEET)  # stable: 要点 first
    for name in names:
        sheet = book.create_sheet(name)
        if name == POINTS_SHEET:
            _points_sheet(sheet, briefing.tables[name], title, source)
        else:
            _table_sheet(sheet, briefing.tables[name], title)
        _page_setup(sheet, title)
    book.save(path)
    return path


# --- sheets ----------------------------------------------------------------------------------

def _points_sheet(sheet: Worksheet, table: pd.DataFrame, title: str, source: str | None) -> None:
    """Title, the source line when the briefing has one, then the points in one wide column."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = POINTS_WIDTH
    _put(sheet.cell(1, 1), neutralise_text(title))
    sheet.cell(1, 1).font = _font(bold=True, size=14)
    sheet.cell(1, 1).alignment = wrap
    sheet.row_dimensions[1].height = _height(title, POINTS_WIDTH, size=14)
    row = 2
    if source:
        _put(sheet.cell(row, 1), neutralise_text(str(source)))
        sheet.cell(row, 1).font = _font(size=10, color="595959")
        sheet.cell(row, 1).alignment = wrap
        sheet.row_dimensions[row].height = _height(str(source), POINTS_WIDTH, size=10)
        row += 1
    safe = neutralise_formulas(table, keep_numbers=True)
    header = row
    column = safe.columns[0] if len(safe.columns) else POINTS_SHEET
    _put(sheet.cell(header, 1), column)
    _style_header(sheet.cell(header, 1))
    for value in safe.iloc[:, 0] if len(safe.columns) else []:
        row += 1
        text = _excel_value(value)
        cell = sheet.cell(row, 1)
        _put(cell, text)
        cell.alignment = wrap
        _border(cell)
        sheet.row_dimensions[row].height = _height(str(text or ""), POINTS_WIDTH)
    sheet.print_title_rows = f"{header}:{header}"
    sheet.freeze_panes = f"A{header + 1}"


def _table_sheet(sheet: Worksheet, table: pd.DataFrame, title: str) -> None:
    """Title in row 1 (across the table), headers in row 2, the rows from row 3."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    safe = neutralise_formulas(table, keep_numbers=True)
    columns = [_column(safe.iloc[:, j], str(name)) for j, name in enumerate(safe.columns)]
    ncol = max(len(columns), 1)
    widths = [c["width"] for c in columns] or [POINTS_WIDTH // 2]
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = width

    _put(sheet.cell(1, 1), neutralise_text(title))
    sheet.cell(1, 1).font = _font(bold=True, size=13)
    sheet.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="center")
    if ncol > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    sheet.row_dimensions[1].height = _height(title, sum(widths), size=13)

    for j, column in enumerate(columns, start=1):
        cell = sheet.cell(2, j)
        _put(cell, column["header"])
        _style_header(cell)
    lines = max([c["header"].count("\n") + 1 for c in columns] or [1])
    sheet.row_dimensions[2].height = LINE_PT * lines + 4

    right = Alignment(horizontal="right", vertical="center")
    centre = Alignment(horizontal="center", vertical="center")
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    bold = _font(bold=True)
    for i in range(len(safe)):
        row = i + 3
        tallest = 1
        for j, column in enumerate(columns, start=1):
            cell = sheet.cell(row, j)
            value = column["values"][i]
            _put(cell, value)
            _border(cell)
            if column["kind"] == "date":
                cell.alignment = centre
                if value is not None:
                    cell.number_format = column["format"]
            elif column["kind"] == "number":
                cell.alignment = right
                if column["format"] and isinstance(value, int | float):
                    cell.number_format = column["format"]
            else:
                cell.alignment = left
                tallest = max(tallest, _lines(_display(value, None), column["width"]))
        if tallest > 1:
            sheet.row_dimensions[row].height = LINE_PT * tallest + 2
        if TOTAL_LABEL in (c["values"][i] for c in columns):   # the 合计 row in bold
            for j in range(1, len(columns) + 1):
                sheet.cell(row, j).font = bold

    status = next((j for j, c in enumerate(columns) if c["name"] == "进度"), None)
    if status is not None:
        for row in sheet.iter_rows(min_row=3, max_row=len(safe) + 2):
            fill = STATUS_FILLS.get(row[status].value)
            if fill:
                for cell in row:
                    cell.fill = PatternFill("solid", fgColor=fill)
    sheet.print_title_rows = "2:2"
    sheet.freeze_panes = "A3"


def _page_setup(sheet: Worksheet, title: str) -> None:
    """A4 landscape, one page wide and as many long as it takes, narrow margins, the title
    in the page header and the page number in the footer."""
    from openpyxl.worksheet.page import PageMargins

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    # Excel's "narrow" margins, in inches
    sheet.page_margins = PageMargins(left=0.25, right=0.25, top=0.75, bottom=0.75,
                                     header=0.3, footer=0.3)
    # & starts a code in a page header (&P is the page number): the title's own are doubled.
    # The header is printed, never run, so the title goes there as the user wrote it.
    sheet.oddHeader.center.text = title[:200].replace("&", "&&")
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.center.text = FOOTER
    sheet.oddFooter.center.size = 9


# --- columns ---------------------------------------------------------------------------------

def _column(series: pd.Series, name: str) -> dict[str, Any]:
    """How one column is written: its cells as Excel values, kind (number, date or text),
    number format, wrapped header and width."""
    kind, values = _values(series, name)
    fmt: str | None = None
    if kind == "date":   # a day, or a day and time where the column holds times
        fmt = DATE_FORMAT + (" hh:mm" if any(isinstance(v, dt.datetime) for v in values) else "")
    elif kind == "number":
        fmt = ("0.00" if "亿元" in name else "0.0" if ("%" in name or "百分点" in name)
               else None)
    shown = [_display(v, fmt) for v in values]
    data = max([_width(line) for text in shown for line in text.split("\n")] or [0])
    header = _wrap_header(name, data)
    head = max(_width(line) for line in header.split("\n"))
    cap = NUMBER_CAP if kind in ("number", "date") else TEXT_CAP
    width = min(max(data, head, 4) + 2, max(cap, head + 2))
    return {"name": name, "kind": kind, "values": values, "format": fmt, "header": header,
            "width": width}


def _values(series: pd.Series, name: str) -> tuple[str, list[Any]]:
    """The column's kind and its cells as openpyxl takes them."""
    if pd.api.types.is_bool_dtype(series):
        return "text", [_excel_value(v) for v in series]
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date", [_date(v) for v in series]
    if pd.api.types.is_numeric_dtype(series):
        return "number", [_excel_value(v) for v in series]
    cells = [_excel_value(v) for v in series.astype(object)]
    present = [v for v in cells if v is not None]
    if present and all(isinstance(v, dt.date) for v in present):
        return "date", [_date(v) for v in cells]
    if name.endswith(("日", "日期")) and any(isinstance(v, str) and _ISO_DATE.fullmatch(v)
                                            for v in present):
        return "date", [_iso(v) for v in cells]
    numbers = sum(isinstance(v, int | float) and not isinstance(v, bool) for v in present)
    # 同比 holds numbers and, where there is none, the reason (新增, 无实绩): a number column
    return ("number" if present and numbers * 2 >= len(present) else "text"), cells


def _date(value: Any) -> dt.date | dt.datetime | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    if stamp == stamp.normalize():
        return stamp.date()
    return stamp.to_pydatetime()


def _iso(value: Any) -> Any:
    """'2024-03-15' as a date; other text (未签约) stays as it is."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # 2024-02-30: not a day, left as the text it is
            return value
    return _date(value) if isinstance(value, dt.date) else value


def _wrap_header(name: str, data_width: int) -> str:
    """与序时进度差（百分点） → 与序时进度差 / （百分点）: a header wider than its column's
    values breaks before its unit, so a column of "-14.7" is not 24 characters wide."""
    cut = name.find("（")
    if cut > 0 and _width(name) > max(data_width, 8):
        return name[:cut] + "\n" + name[cut:]
    return name


def _display(value: Any, fmt: str | None) -> str:
    """The cell as a spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value != dt.datetime.combine(value.date(), dt.time()):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return "0000-00-00"
    if isinstance(value, bool):
        return "TRUE"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, int | float):
        if fmt == "0.00":
            return f"{value:.2f}"
        if fmt == "0.0":
            return f"{value:.1f}"
        return f"{value:.10g}"
    return str(value)


def _width(text: str) -> int:
    """Characters of the default font: a Chinese (wide) character counts as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    room = max(width - 1, 1)
    return sum(max(1, math.ceil(_width(line) / room)) for line in text.split("\n"))


def _height(text: str, width: float, *, size: float = 11) -> float:
    return round(LINE_PT * size / 11 * _lines(text, width * 11 / size) + 4, 1)


# --- cells -----------------------------------------------------------------------------------

def _put(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str):
        # neutralised text never starts with "=", and openpyxl would store one that did as a
        # formula; a text cell is what it is either way
        cell.data_type = "s"


def _font(**style: Any) -> Any:
    """A font of the workbook's own family: one left without a name prints in another."""
    from openpyxl.styles import DEFAULT_FONT, Font

    return Font(name=DEFAULT_FONT.name, **style)


def _style_header(cell: Any) -> None:
    from openpyxl.styles import Alignment, PatternFill

    cell.font = _font(bold=True)
    cell.fill = PatternFill("solid", fgColor=_HEAD_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _border(cell)


def _border(cell: Any) -> None:
    from openpyxl.styles import Border, Side

    side = Side(style="thin", color=_BORDER_COLOUR)
    cell.border = Border(left=side, right=side, top=side, bottom=side)


def _excel_value(value: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None   # a spreadsheet has no infinity
    return value
