"""The layout layer under every reader: a sheet as cells, then, inferred in one place, the
title facts, the header block as column paths and the role of every row.

A file becomes :class:`Sheet` objects — values as a 2-D object array with the sheet's own row
and column numbers, merged ranges, hidden rows and columns, and the cells whose value could
not be read (error cells, formulas without a cached value). :func:`infer_layout` then finds

- the title lines above the header and what they say: the period (2024年1-6月), the amount
  unit (金额单位：万元 / 单位：亿元) and the title itself;
- the header block of one to four rows, merged group cells included, as a path per column
  (``("实际到位资金（万元）", "累计")``); units in any bracket, in a group or in the title;
- the role of each row below it: ``data``, ``blank``, ``section`` (its text is kept as the
  group of the rows under it), ``subtotal`` (小计, anywhere), ``total`` (合计 / 总计 / 全县合计,
  top or bottom), ``note`` (注：, 填表人, 审核人, 联系电话 …) and ``repeated_header``.

Key cells merged over a block of rows (a unit written once for its projects) apply to every row
of the block. The readers keep only what is specific to a ledger or a monthly table.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ZsAnalyticsError

__all__ = [
    "CELL_LIMIT",
    "EXCEL_SUFFIXES",
    "TEXT_SUFFIXES",
    "Layout",
    "Sheet",
    "infer_layout",
    "read_cells",
]

#: Most cells a sheet may span (rows × columns actually holding values) before it is refused.
CELL_LIMIT = 30_000_000
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".xml", ".html", ".htm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

_SPACE = re.compile(r"[\s\u3000\xa0\u200b]+")
#: A text cell that is a number as written: 1,234.5  ３５  -12%  (no words around it)
_NUMERIC_TEXT = r"^[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$"
_BRACKETS = "（）()[]【】〔〕"
#: A money unit written in a header, in any bracket: 总投资额[亿元], 到位资金（万元）
_UNIT_IN = re.compile(r"[（(\[【〔]\s*(?:单位\s*[:：])?\s*(万美元|亿美元|美元|亿元|万元|千元|元|亿|万)"
                      r"\s*[)）\]】〕]")
_UNIT_LINE = re.compile(r"单位\s*[:：]?\s*(万美元|亿美元|美元|亿元|万元|千元|元)")

#: 合计 / 总计 rows, by a cell's compact text.
TOTAL_ROW = (r"^(?:全县|全区|全市|全镇|全州|全省|全旗|县|区|市|总)?(?:合计|总计|汇总|总合计)"
             r"(?:[(（].*[)）])?[:：]?$")
SUBTOTAL_ROW = r"^.{0,16}小计(?:[(（].*[)）])?[:：]?$"
#: A note or signature line under (or over) a table, by its first cell.
NOTE_ROW = (r"^(?:注|备注|说明|填报|制表|审核|联系|负责人|数据来源|填表|统计人|分管领导|单位负责人|"
            r"报送|打印|资料来源|来源[:：])")
#: A section heading: numbered (一、工业项目, （二）服务业) or a unit group on its own.
_GROUP_WORDS = (r"(?:乡镇(?:[(（]?街道[)）]?)?|乡镇街道|街道|县直(?:单位|部门)|县直各?部门|区直(?:单位|部门)|"
                r"市直(?:单位|部门)|(?:工业|产业|经济)?园区(?:[(（].*[)）])?|开发区|功能区|"
                r"[一二三四五六七八九十]+类(?:单位|地区)?|第[一二三四五六七八九十\d]+组)")
SECTION_ROW = (r"^(?:(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])(.*)|"
               rf"({_GROUP_WORDS})[:：]?)$")
_SECTION_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")


def cell_text(value: Any) -> str:
    """A cell as compact text: no spaces, '' for blanks; 3.0 → '3'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE.sub("", str(value))


def col_letter(j: int) -> str:
    """0-based column index to an Excel column letter (0 → A, 26 → AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


# --------------------------------------------------------------------------- cells


@dataclass
class Sheet:
    """One sheet as cells.

    Attributes
    ----------
    name : str
        The sheet name (for CSV, the file's stem).
    values : numpy.ndarray
        Object array, rows × columns, of raw values ('' for blank cells).
    rows : numpy.ndarray
        The 1-based sheet row number of each row of ``values``.
    cols : numpy.ndarray
        The 0-based sheet column index of each column of ``values``.
    merged : list of (r0, c0, r1, c1)
        Merged ranges in positions of ``values``, inclusive.
    hidden_rows, hidden_cols : numpy.ndarray of bool
        Rows and columns hidden in the workbook (read all the same).
    bad_cells : list of dict
        Cells whose value could not be read: ``row`` (sheet row), ``col`` (position),
        ``raw_value`` and ``problem`` (``error_cell``, ``formula_without_value``).
    date1904 : bool
        The workbook counts dates from 1904 (old Mac Excel): bare serials are 1462 days later.
    fmt : str
        ``xlsx``, ``xls``, ``ods``, ``csv`` …
    visible : bool
        Whether the sheet itself is shown in the workbook.
    """

    name: str
    values: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: np.ndarray | None = None
    hidden_cols: np.ndarray | None = None
    bad_cells: list[dict[str, Any]] = field(default_factory=list)
    date1904: bool = False
    fmt: str = "xlsx"
    visible: bool = True
    encoding: str | None = None

    def __post_init__(self) -> None:
        n, m = self.values.shape
        if self.hidden_rows is None:
            self.hidden_rows = np.zeros(n, dtype=bool)
        if self.hidden_cols is None:
            self.hidden_cols = np.zeros(m, dtype=bool)

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    def letter(self, j: int) -> str:
        """The Excel column letter of position ``j``."""
        return col_letter(int(self.cols[j])) if j < len(self.cols) else col_letter(j)


def _to_array(cells: list[list[Any]]) -> np.ndarray:
    lengths = set(map(len, cells))  # one C-level pass over the rows
    width = max(lengths, default=0)
    if cells and len(lengths) == 1:
        arr = np.empty((len(cells), width), dtype=object)
        arr[:] = cells  # rectangular (calamine pads its rows): one C-level copy
        return arr
    arr = np.empty((len(cells), width), dtype=object)
    arr[:] = ""
    for i, r in enumerate(cells):  # one row at a time: a row is a list, not a cell
        if r:
            arr[i, : len(r)] = r
    return arr


def read_cells(path: str | Path, sheet: str | int | None = None, *,
               encoding: str | None = None) -> list[Sheet]:
    """Read the sheets of a workbook or a CSV file as cells.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb``, ``.ods`` (read with calamine, hidden rows and
        unreadable cells of .xlsx/.xlsm from the file itself), or ``.csv`` / ``.txt`` / ``.tsv``
        in UTF-8 (with or without BOM), GBK or GB18030, detected.
    sheet : str or int, optional
        One sheet by name or position; by default all sheets.
    encoding : str, optional
        The text encoding of a CSV file, when detection should be overridden.

    Returns
    -------
    list of Sheet

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ZsAnalyticsError
        If the file is not a workbook or text table, the sheet does not exist, or a sheet holds
        more than :data:`CELL_LIMIT` cells.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"path == {str(path)!r}：文件不存在，请核对路径")
    suffix = path.suffix.lower()
    markup = _markup_kind(path)
    if markup is not None:
        # web systems save an HTML table, or Excel 2003 XML, under a .xls name
        sheets = _read_html(path, encoding) if markup == "html" else _read_spreadsheetml(path)
        return _pick(sheets, [s.name for s in sheets], sheet)
    if suffix in TEXT_SUFFIXES:
        sheets = [_read_text(path, encoding)]
        return _pick(sheets, [sheets[0].name], sheet)
    return _read_workbook(path, sheet)


def _pick(sheets: list[Any], names: list[str], sheet: str | int | None) -> list[Any]:
    """The sheets asked for (by name or position), all when ``sheet`` is None."""
    if sheet is None:
        return sheets
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ZsAnalyticsError(f"sheet == {sheet}：没有第{sheet}个工作表（从 0 数起）；工作簿中的"
                                   f"工作表为 {names}")
        return [sheets[sheet]]
    if sheet not in names:
        raise ZsAnalyticsError(f"sheet == {sheet!r}：没有这个工作表；工作簿中的工作表为 {names}")
    return [sheets[names.index(sheet)]]


def _markup_kind(path: Path) -> str | None:
    """'html' or 'spreadsheetml' when the file is markup whatever its name says, else None."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head and b"<workbook" in text:
        return "spreadsheetml"
    if b"<table" in text or b"<html" in text or b"<!doctype html" in text:
        return "html"
    return None


class _TableParser(HTMLParser):
    """Every <table> of an HTML page as rows of (text, colspan, rowspan) cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._stack: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []

            def span(name: str) -> int:
                try:
                    return max(1, min(int(a.get(name) or 1), 1000))
                except ValueError:
                    return 1

            self._span = (span("colspan"), span("rowspan"))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._stack:
            self._stack[-1][-1].append(("".join(self._cell).strip(), *self._span))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_title and data.strip():
            self.title = data.strip()


def _grid_from_spans(rows: list[list[tuple[Any, int, int]]]
                     ) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Place cells with colspan/rowspan on a grid, as Excel places merged cells."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, Any]] = []
    merged: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(rows):
        c = 0
        for value, colspan, rowspan in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, value))
            if colspan > 1 or rowspan > 1:
                merged.append((r, c, r + rowspan - 1, c + colspan - 1))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken.add((rr, cc))
            c += colspan
    n = max([r + 1 for r, _, _ in placed] + [r1 + 1 for _, _, r1, _ in merged] + [0])
    m = max([c + 1 for _, c, _ in placed] + [c1 + 1 for _, _, _, c1 in merged] + [0])
    values = np.empty((n, m), dtype=object)
    values[:] = ""
    for r, c, v in placed:
        values[r, c] = v
    return values, merged


def _read_html(path: Path, encoding: str | None) -> list[Sheet]:
    data = path.read_bytes()
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    declared = m.group(1).decode("ascii") if m else None
    try:
        text, enc = _decode(data, encoding or declared)
    except (UnicodeDecodeError, LookupError):
        text, enc = _decode(data, None)
    parser = _TableParser()
    parser.feed(text)
    sheets = []
    for k, rows in enumerate(t for t in parser.tables if t):
        values, merged = _grid_from_spans(rows)
        n, m = values.shape
        name = path.stem if len(parser.tables) == 1 else f"{path.stem}-{k + 1}"
        sheets.append(Sheet(name, values, np.arange(1, n + 1), np.arange(m), merged,
                            fmt="html", encoding=enc))
    if not sheets:
        raise ZsAnalyticsError(f"path == {str(path)!r}：网页文件中没有表格")
    return sheets


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _read_spreadsheetml(path: Path) -> list[Sheet]:
    """Excel 2003 XML (SpreadsheetML): worksheets, cells with ss:Index, merges, types."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise ZsAnalyticsError(f"path == {str(path)!r}：Excel 2003 XML 文件无法解析 ({exc})"
                               ) from exc
    sheets = []
    for ws in root.iter(f"{_SS}Worksheet"):
        name = ws.get(f"{_SS}Name") or f"Sheet{len(sheets) + 1}"
        rows: list[list[tuple[Any, int, int]]] = []
        hidden_rows: list[int] = []
        table = ws.find(f"{_SS}Table")
        if table is None:
            continue
        r_index = 0
        raw_rows = []
        for row in table.iter(f"{_SS}Row"):
            idx = row.get(f"{_SS}Index")
            r_index = int(idx) if idx else r_index + 1
            if row.get(f"{_SS}Hidden") == "1":
                hidden_rows.append(r_index)
            cells = []
            c_index = 0
            for cell in row.findall(f"{_SS}Cell"):
                ci = cell.get(f"{_SS}Index")
                c_index = int(ci) if ci else c_index + 1
                data_el = cell.find(f"{_SS}Data")
                value: Any = ""
                if data_el is not None:
                    text = "".join(data_el.itertext())
                    kind = data_el.get(f"{_SS}Type")
                    if kind == "Number":
                        try:
                            value = float(text)
                        except ValueError:
                            value = text
                    elif kind == "DateTime":
                        value = text[:10]
                    else:
                        value = text
                across = int(cell.get(f"{_SS}MergeAcross") or 0)
                down = int(cell.get(f"{_SS}MergeDown") or 0)
                cells.append((c_index - 1, value, across, down))
                c_index += across
            raw_rows.append((r_index - 1, cells))
        n = max([r + 1 for r, _ in raw_rows] + [0])
        m = max([c + a + 1 for _, cs in raw_rows for c, _, a, _ in cs] + [0])
        values = np.empty((n, m), dtype=object)
        values[:] = ""
        merged = []
        for r, cs in raw_rows:
            for c, v, a, d in cs:
                values[r, c] = v
                if a or d:
                    merged.append((r, c, r + d, c + a))
        hidden = np.zeros(n, dtype=bool)
        for r in hidden_rows:
            if r - 1 < n:
                hidden[r - 1] = True
        del rows
        sheets.append(Sheet(name, values, np.arange(1, n + 1), np.arange(m), merged, hidden,
                            fmt="xml"))
    if not sheets:
        raise ZsAnalyticsError(f"path == {str(path)!r}：Excel 2003 XML 文件中没有工作表")
    return sheets


def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        return data.decode(encoding), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ZsAnalyticsError("无法判断文件的文字编码（不是 UTF-8、GBK 或 GB18030），请用 encoding= "
                               "指明")
    return str(best), best.encoding


def _read_text(path: Path, encoding: str | None) -> Sheet:
    data = path.read_bytes()
    try:
        text, enc = _decode(data, encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ZsAnalyticsError(f"path == {str(path)!r}：无法按 {encoding} 解码（{exc}），请核对 "
                               "encoding=") from exc
    if "\x00" in text[:4096]:
        raise ZsAnalyticsError(f"path == {str(path)!r}：不是文本表格，内容是二进制")
    head = text[:8192]
    lines = head.splitlines()[:20]
    delimiter = ","
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    if counts["\t"] > counts[","]:
        delimiter = "\t"
    elif counts[";"] > counts[","]:
        delimiter = ";"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    values = _to_array(rows)
    n, m = values.shape
    return Sheet(path.stem, values, np.arange(1, n + 1), np.arange(m), fmt="csv", encoding=enc)


_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_HIDDEN_ROW = re.compile(rb'<row\b(?=[^>]*\bhidden="(?:1|true)")[^>]*>')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_COL_TAG = re.compile(rb"<col\b[^>]*>")
_ERROR_CELL = re.compile(rb'<c\b(?=[^>]*\bt="e")[^>]*>(?:\s*<f\b[^>]*(?:/>|>[^<]*</f>))?\s*'
                         rb"(?:<v>([^<]*)</v>)?")
_FORMULA_NO_VALUE = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*"
                               rb"(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _xlsx_parts(zf: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    """Sheet name → worksheet part, and whether the workbook uses the 1904 date system."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    pr = wb.find("m:workbookPr", ns)
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for s in wb.iter(f"{{{ns['m']}}}sheet"):
        t = target.get(s.get(f"{{{ns['r']}}}id"), "")
        t = t.lstrip("/")
        parts[s.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
    return parts, date1904


def _scan_xlsx_sheet(data: bytes) -> dict[str, Any]:
    """What calamine does not tell: hidden rows and columns, error cells, formulas with no
    cached value, and the declared extent. Regexes over the part's bytes, linear in its size."""
    out: dict[str, Any] = {"hidden_rows": [], "hidden_cols": [], "bad": [], "extent": None}
    m = _DIMENSION.search(data, 0, 4096)
    if m:
        last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
        out["extent"] = (int(last_row), _col_index(last_col.decode()) + 1)
    if b"hidden=" in data:
        for tag in _HIDDEN_ROW.finditer(data):
            r = _ROW_NUM.search(tag.group(0))
            if r:
                out["hidden_rows"].append(int(r.group(1)))
        for tag in _COL_TAG.finditer(data):
            t = tag.group(0)
            if re.search(rb'\bhidden="(?:1|true)"', t):
                lo = re.search(rb'\bmin="(\d+)"', t)
                hi = re.search(rb'\bmax="(\d+)"', t)
                if lo and hi:
                    out["hidden_cols"].extend(range(int(lo.group(1)) - 1, int(hi.group(1))))
    if b't="e"' in data:
        for cell in _ERROR_CELL.finditer(data):
            ref = _CELL_REF.search(cell.group(0))
            if ref:
                value = (cell.group(1) or b"").decode("utf-8", "replace")
                out["bad"].append((int(ref.group(2)), _col_index(ref.group(1).decode()),
                                   value or "#ERROR", "error_cell"))
    if b"<f" in data:
        for cell in _FORMULA_NO_VALUE.finditer(data):
            ref = _CELL_REF.search(cell.group(1))
            if ref:
                out["bad"].append((int(ref.group(2)), _col_index(ref.group(1).decode()),
                                   "", "formula_without_value"))
    return out


def _sparse_xlsx(zf: zipfile.ZipFile, part: str, name: str) -> list[tuple[int, int, Any]]:
    """A sheet whose declared range is absurd, read cell by cell from its XML: only the cells
    that hold a value, as (sheet row, column index, value); refused when those alone are too
    many."""
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    shared: list[str] = []
    if "xl/sharedStrings.xml" in zf.namelist():
        for si in ElementTree.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{ns}si"):
            shared.append("".join(t.text or "" for t in si.iter(f"{ns}t")))
    found = []
    with zf.open(part) as fh:
        for _, el in ElementTree.iterparse(fh):
            if el.tag != f"{ns}c":
                continue
            ref = el.get("r") or ""
            m = re.match(r"([A-Z]+)(\d+)$", ref)
            v = el.find(f"{ns}v")
            t = el.get("t")
            value: Any = None
            if t == "inlineStr":
                value = "".join(x.text or "" for x in el.iter(f"{ns}t"))
            elif v is not None and v.text is not None:
                if t == "s":
                    value = shared[int(v.text)]
                elif t in ("str", "e"):
                    value = v.text
                elif t == "b":
                    value = v.text == "1"
                else:
                    value = float(v.text)
            el.clear()
            if m and value not in (None, ""):
                found.append((int(m.group(2)), _col_index(m.group(1)), value))
                if len(found) > CELL_LIMIT:
                    raise ZsAnalyticsError(
                        f"工作表 {name!r} 的单元格超过 {CELL_LIMIT:,} 个，太大，无法读取")
    return found


def _read_workbook(path: Path, sheet: str | int | None) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook

    suffix = path.suffix.lower()
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise ZsAnalyticsError(
            f"path == {str(path)!r}：不是能读取的工作簿（.xlsx .xlsm .xls .ods）或文本表格（.csv "
            f".txt）（{exc}）"
        ) from exc
    names = list(wb.sheet_names)
    visible = {}
    try:
        for meta in wb.sheets_metadata:
            visible[meta.name] = "Visible" in str(meta.visible) and "Very" not in str(
                meta.visible)
    except Exception:  # pragma: no cover - metadata is optional
        pass
    chosen = _pick(names, names, sheet)
    zf = None
    parts: dict[str, str] = {}
    date1904 = False
    if suffix in (".xlsx", ".xlsm") and zipfile.is_zipfile(path):
        zf = zipfile.ZipFile(path)
        try:
            parts, date1904 = _xlsx_parts(zf)
        except (KeyError, ElementTree.ParseError):
            parts = {}
    sheets = []
    try:
        for name in chosen:
            scan: dict[str, Any] = {"hidden_rows": [], "hidden_cols": [], "bad": [],
                                    "extent": None}
            part = parts.get(name)
            if zf is not None and part in zf.namelist():
                scan = _scan_xlsx_sheet(zf.read(part))
            extent = scan["extent"]
            if extent and extent[0] * extent[1] > CELL_LIMIT and zf is not None:
                sheets.append(_from_sparse(_sparse_xlsx(zf, part, name), name, scan, date1904,
                                           visible.get(name, True)))
                continue
            s = wb.get_sheet_by_name(name)
            if s.total_height * s.total_width > CELL_LIMIT:
                raise ZsAnalyticsError(
                    f"工作表 {name!r} 有 {s.total_height:,} 行 × {s.total_width:,} 列，超过 "
                    f"{CELL_LIMIT:,} 个单元格的上限，无法读取")
            cells = s.to_python(skip_empty_area=False)
            values = _to_array(cells)
            try:
                merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in s.merged_cell_ranges or []]
            except Exception:  # not every format knows merged cells
                merged = []
            sheets.append(_sheet_from(name, values, merged, scan, date1904, suffix,
                                      visible.get(name, True)))
    finally:
        if zf is not None:
            zf.close()
    return sheets


def _sheet_from(name: str, values: np.ndarray, merged: list[tuple[int, int, int, int]],
                scan: dict[str, Any], date1904: bool, suffix: str, visible: bool) -> Sheet:
    n, m = values.shape
    hidden_rows = np.zeros(n, dtype=bool)
    for r in scan["hidden_rows"]:
        if 1 <= r <= n:
            hidden_rows[r - 1] = True
    hidden_cols = np.zeros(m, dtype=bool)
    for c in scan["hidden_cols"]:
        if 0 <= c < m:
            hidden_cols[c] = True
    bad = [{"row": r, "col": c, "raw_value": v, "problem": p} for r, c, v, p in scan["bad"]]
    return Sheet(name, values, np.arange(1, n + 1), np.arange(m), merged, hidden_rows,
                 hidden_cols, bad, date1904, suffix.lstrip("."), visible)


def _from_sparse(found: list[tuple[int, int, Any]], name: str, scan: dict[str, Any],
                 date1904: bool, visible: bool) -> Sheet:
    """Only the rows and columns that hold a value, with their sheet numbers kept."""
    if not found:
        return Sheet(name, np.empty((0, 0), dtype=object), np.arange(0), np.arange(0),
                     date1904=date1904, visible=visible)
    r = np.array([f[0] for f in found])
    c = np.array([f[1] for f in found])
    rows, ri = np.unique(r, return_inverse=True)
    cols, ci = np.unique(c, return_inverse=True)
    if len(rows) * len(cols) > CELL_LIMIT:
        raise ZsAnalyticsError(f"工作表 {name!r} 有数据的 {len(rows):,} 行 × {len(cols):,} 列超过 "
                               f"{CELL_LIMIT:,} 个单元格的上限，无法读取")
    values = np.empty((len(rows), len(cols)), dtype=object)
    values[:] = ""
    values[ri, ci] = np.array([f[2] for f in found], dtype=object)
    hidden_rows = np.isin(rows, scan["hidden_rows"])
    hidden_cols = np.isin(cols, scan["hidden_cols"])
    pos = {int(v): i for i, v in enumerate(rows)}
    bad = [{"row": rr, "col": int(np.searchsorted(cols, cc)), "raw_value": v, "problem": p}
           for rr, cc, v, p in scan["bad"] if rr in pos]
    return Sheet(name, values, rows.astype(int), cols.astype(int), [], hidden_rows,
                 hidden_cols, bad, date1904, "xlsx", visible)


# --------------------------------------------------------------------------- layout


@dataclass
class Layout:
    """How a sheet is laid out: where the header is, what each column is, what each row is.

    Attributes
    ----------
    sheet : Sheet
    header_rows : list of int
        Positions (in ``sheet.values``) of the header block's rows.
    data_start : int
        Position of the first row below the header.
    paths : list of tuple of str
        Per column, the header path from the top group to the leaf, brackets kept.
    names : list of str or None
        Per column, the canonical name the reader's matcher gave it (None: not understood).
    units : list of str or None
        Per column, the money unit written in its path (万元, 亿元, 万美元 …).
    title : list of str
        The text of each line above the header.
    facts : dict
        ``amount_unit`` (from a 单位：万元 line), ``title`` (the first title line), ``period``
        (a MonthSpan found in the title lines or the sheet name, when any).
    roles : numpy.ndarray of str
        Per body row (from ``data_start``): data, blank, section, subtotal, total, part (其中：…
        under a total), note, repeated_header.
    section : numpy.ndarray of object
        Per body row, the section heading above it (None before the first).
    filled : int
        Cells filled from a key cell merged over several rows.
    """

    sheet: Sheet
    header_rows: list[int]
    data_start: int
    paths: list[tuple[str, ...]]
    names: list[str | None]
    units: list[str | None]
    title: list[str]
    facts: dict[str, Any]
    roles: np.ndarray
    section: np.ndarray
    body: np.ndarray
    filled: int = 0
    _text: dict[int, pd.Series] = field(default_factory=dict)
    _written: np.ndarray | None = None

    @property
    def labels(self) -> list[str]:
        """Each column's header path joined with ' / ' ('' for an unnamed column)."""
        return [" / ".join(p) for p in self.paths]

    @property
    def rows(self) -> np.ndarray:
        """The sheet row number of each body row."""
        return self.sheet.rows[self.data_start:]

    def col(self, name: str) -> int | None:
        """The position of the first column the matcher named ``name``."""
        return self.names.index(name) if name in self.names else None

    def values(self, j: int) -> pd.Series:
        """Raw body values of column ``j``."""
        return pd.Series(self.body[:, j], dtype=object)

    def text(self, j: int) -> pd.Series:
        """Compact text of column ``j`` of the body (cached)."""
        if j not in self._text:
            self._text[j] = pd.Series(_texts(self.body[:, j])[0], dtype=object)
        return self._text[j]

    def written_cols(self) -> np.ndarray:
        """Per column, whether any body cell holds something (cached)."""
        if self._written is None:
            self._written = ((self.body != "").any(axis=0) if len(self.body)
                             else np.zeros(self.body.shape[1], dtype=bool))
        return self._written

    def plan(self) -> pd.DataFrame:
        """One row per column: its letter, header path, canonical name and unit."""
        return pd.DataFrame({
            "sheet": self.sheet.name,
            "column": [self.sheet.letter(j) for j in range(len(self.paths))],
            "header": self.labels,
            "canonical": pd.array(self.names, dtype="str"),
            "unit": pd.array(self.units, dtype="str"),
        })

    def read_issues(self, rows: np.ndarray) -> list[dict[str, Any]]:
        """What was read that the reader must say: the hidden ones among ``rows`` (a mask
        over the body), hidden columns that hold something, and cells below the header that
        held an error or a formula with no saved value (read as missing)."""
        s = self.sheet
        out: list[dict[str, Any]] = []
        for i in np.flatnonzero(s.hidden_rows[self.data_start:] & rows):
            out.append({"sheet": s.name, "row": int(self.rows[i]), "problem": "hidden_row",
                        "action": "kept",
                        "raw_value": " | ".join(str(v) for v in self.body[i] if v not in ("", None)),
                        "message": "此行在工作簿中被隐藏，已照常读取"})
        width = len(self.paths)
        written = (self.written_cols()[:width] if len(self.body)
                   else np.zeros(width, dtype=bool))
        for j in np.flatnonzero(s.hidden_cols[:width] & written):
            out.append({"sheet": s.name, "column": "/".join(self.paths[j]) or s.letter(j),
                        "problem": "hidden_column", "action": "kept",
                        "message": f"第{s.letter(j)}列在工作簿中被隐藏，已照常读取"})
        header_end = s.rows[self.data_start - 1] if self.data_start else 0
        for b in s.bad_cells:
            if b["row"] <= header_end:
                continue
            j = b["col"]
            label = "/".join(self.paths[j]) if j < width else ""
            error = b["problem"] == "error_cell"
            out.append({"sheet": s.name, "row": b["row"], "column": label or s.letter(j),
                        "raw_value": b["raw_value"], "problem": b["problem"],
                        "action": "set_missing",
                        "message": f"{s.letter(j)}{b['row']} 单元格为"
                                   f"{'错误值' if error else '公式没有保存计算结果'}，按缺失处理 ("
                                   f"{'an error cell' if error else 'a formula with no saved value'}"
                                   ": read as missing)"})
        return out

    def role_counts(self) -> dict[str, int]:
        kinds, counts = np.unique(self.roles, return_counts=True)
        return {str(k): int(c) for k, c in zip(kinds, counts, strict=True)}


_SPACE_RE2 = r"[\s\x{3000}\x{a0}\x{200b}]+"


def _arrow(texts: np.ndarray) -> pa.Array:
    return pa.array(texts, type=pa.string(), from_pandas=True)


def regex_mask(texts: np.ndarray | pd.Series | pa.Array, pattern: str, *,
               full: bool = True) -> np.ndarray:
    """Which texts match ``pattern`` (RE2 through pyarrow: linear time, no backtracking)."""
    arr = texts if isinstance(texts, pa.Array) else _arrow(np.asarray(texts, dtype=object))
    pat = f"^(?:{pattern})$" if full else pattern
    out = pc.match_substring_regex(arr, pat)
    return np.asarray(out.to_numpy(zero_copy_only=False), dtype=object).astype(bool)


#: 序号 of a sub-project (1-1, 2.3): the group is its parent's 序号
_SUB_PROJECT = r"^(\d+)[-－—.]\d+$"


def sub_project_parents(seq: np.ndarray | pd.Series) -> np.ndarray:
    """Per 序号 text, the parent's 序号 of a sub-project (``1-2`` → ``1``), else missing.

    Python's regex runs only on the texts holding a separator (RE2 finds them in one pass):
    a plain 1, 2, 3 column costs no per-row Python call."""
    seq = np.asarray(seq, dtype=object)
    out = np.full(len(seq), np.nan, dtype=object)
    maybe = regex_mask(seq, "[-－—.]", full=False) if len(seq) else np.zeros(0, dtype=bool)
    if maybe.any():
        found = pd.Series(seq[maybe], dtype="str").str.extract(_SUB_PROJECT)[0]
        out[maybe] = found.to_numpy(dtype=object)
    return out


def cell_kinds(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which cells are text and which are numbers (NaN is neither): the cells' types read in
    one C-level pass (``map(type, …)``), compared as whole arrays."""
    values = np.asarray(values, dtype=object)
    n = len(values)
    kinds = np.fromiter(map(type, values), dtype=object, count=n)
    is_str = kinds == str  # noqa: E721 - element-wise over an array of types
    is_float = kinds == float  # noqa: E721
    is_num = is_float | (kinds == int)  # noqa: E721
    if is_float.any():
        nums = values[is_float].astype(float)
        is_num[is_float] = ~np.isnan(nums)
    return is_str, is_num


def _arrow_str(arr: pa.Array) -> np.ndarray:
    return pc.cast(arr, pa.string()).to_numpy(zero_copy_only=False)


def _shortest(nums: np.ndarray) -> np.ndarray:
    """``repr`` of each float: the shortest text that reads back the same, as Excel shows it.
    Arrow's cast writes the same digits, and the same positional form for 1e-4 ≤ |x| < 1e10
    (checked on 15 million values); ``repr`` writes the others (1e-05, 12345678901.5)."""
    out = np.empty(len(nums), dtype=object)
    size = np.abs(nums)
    mid = (size >= 1e-4) & (size < 1e10)
    if mid.any():
        out[mid] = _arrow_str(pa.array(nums[mid]))
    if not mid.all():
        out[~mid] = list(map(repr, nums[~mid].tolist()))
    return out


def _texts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Compact text of a column of cells, and which cells hold a number (or text written as
    one), in a few vectorised passes: strings through RE2, numbers formatted as written."""
    values = np.asarray(values, dtype=object)
    n = len(values)
    out = np.full(n, "", dtype=object)
    numeric = np.zeros(n, dtype=bool)
    if n == 0:
        return out, numeric
    is_str, is_num = cell_kinds(values)
    is_str &= values != ""
    if is_str.any():
        strings = values[is_str]
        arr = _arrow(strings)
        spaced = pc.match_substring_regex(arr, _SPACE_RE2)
        if pc.any(spaced).as_py():
            # only the texts with a space are rewritten; the others are kept as the same
            # objects (no copy back from Arrow)
            at = np.flatnonzero(spaced.to_numpy(zero_copy_only=False))
            arr = pc.replace_substring_regex(arr, _SPACE_RE2, "")
            strings = strings.copy()
            strings[at] = pc.take(arr, pa.array(at)).to_numpy(zero_copy_only=False)
        out[is_str] = strings
        numeric[is_str] = pc.match_substring_regex(arr, _NUMERIC_TEXT).to_numpy(
            zero_copy_only=False)
    if is_num.any():
        nums = values[is_num].astype(float)
        whole = np.isfinite(nums) & (nums == np.round(nums)) & (np.abs(nums) < 1e15)
        text = np.empty(len(nums), dtype=object)
        if whole.any():
            text[whole] = _arrow_str(pa.array(nums[whole].astype(np.int64)))
        if not whole.all():
            text[~whole] = _shortest(nums[~whole])
        out[is_num] = text
        numeric[is_num] = True
    other = ~is_str & ~is_num & (values != "")
    if other.any():
        out[other] = [cell_text(v) for v in values[other]]
    return out, numeric


def _is_numeric(values: np.ndarray) -> np.ndarray:
    """Cells holding a number, or text written as one (the exports store numbers as text)."""
    if values.size == 0:
        return np.zeros(values.shape, dtype=bool)
    return np.column_stack([_texts(values[:, j])[1] for j in range(values.shape[1])])


def header_unit(text: str) -> str | None:
    """The money unit a header names in brackets: 总投资额[亿元] → 亿元."""
    m = _UNIT_IN.search(text)
    if not m:
        return None
    unit = m.group(1)
    return unit + "元" if unit in ("亿", "万") else unit


def strip_unit(text: str) -> str:
    """A header without its bracketed unit or trailing bracket note, spaces gone."""
    base = _UNIT_IN.sub("", _SPACE.sub("", text))
    base = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]$", "", base) or base
    return base


def infer_layout(
    sheet: Sheet,
    match: Callable[[tuple[str, ...]], str | None],
    *,
    min_known: int = 2,
    scan: int = 40,
    key_columns: Sequence[str] = (),
) -> Layout | None:
    """Find the header block, the title facts and every row's role.

    Parameters
    ----------
    sheet : Sheet
    match : callable
        Maps a column's header path to a canonical name (or None). The reader's vocabulary.
    min_known : int
        How many columns must be understood for a header to count.
    scan : int
        How many rows from the top to look for the header in.
    key_columns : sequence of str
        Canonical names whose cells merged over several body rows are filled into each row.

    Returns
    -------
    Layout or None
        None when no row within ``scan`` has ``min_known`` understood headers.
    """
    values = sheet.values
    n, width = values.shape
    if n == 0 or width == 0:
        return None
    top_n = min(scan, n)
    head_text = [[cell_text(v) for v in values[i]] for i in range(top_n)]
    numeric_top = _is_numeric(values[:top_n])
    merged_at = _merge_map(sheet.merged, top_n, width)

    # 1. the row with most understood headers
    best, best_score = None, 0
    for i in range(top_n):
        score = sum(match((t,)) is not None for t in head_text[i] if t)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None

    # 2. grow the block upwards (group rows above) and downwards (sub-headers below)
    block = [best]

    def headerish(i: int) -> bool:
        texts = [t for t in head_text[i] if t]
        if not texts or numeric_top[i].any():
            return False
        line = "".join(texts)
        return not (_UNIT_LINE.search(line) or re.search(r"填报|制表|日期|截至|截止", line))

    def covered(i: int) -> bool:
        """A blank row inside the header: merged cells from a row above run through it."""
        return not any(head_text[i]) and any(
            _cover(merged_at, i, j)[0] < i for j in range(width))

    i = best - 1
    while i >= 0 and len(block) < 4 and (headerish(i) or covered(i)):
        texts = head_text[i]
        if covered(i):
            block.insert(0, i)
            i -= 1
            continue
        distinct = {t for t in texts if t}
        spans = any(merged_at.get((i, j), (i, j, i, j))[3] > j for j in range(width) if texts[j])
        vertical_key = any(t and not head_text[block[0]][j] and match((t,)) is not None
                           for j, t in enumerate(texts))
        if (len(distinct) >= 2 and (spans or vertical_key)) or vertical_key:
            block.insert(0, i)
            i -= 1
        else:
            break
    i = best + 1
    while i < top_n and len(block) < 4 and headerish(i) and sum(map(bool, head_text[i])) >= 2:
        above = block[-1]
        texts = head_text[i]
        ok = True
        any_under_group = False
        for j, t in enumerate(texts):
            if not t:
                continue
            r0, c0, r1, c1 = _cover(merged_at, above, j)
            grouped = c1 > c0 or _spans_right(head_text[above], head_text[i], j)
            known_leaf = match((t,)) is not None
            if grouped or (known_leaf and r1 == above):
                any_under_group = any_under_group or grouped or known_leaf
                continue
            if r1 > above:  # the cell above is merged down over this row: a group can't be here
                ok = False
                break
            if not head_text[above][j] or head_text[above][j] == t:
                continue
            ok = False
            break
        if ok and any_under_group:
            block.append(i)
            i += 1
        else:
            break

    # 3. a path per column: merged cells spread over their span, then top to bottom
    grid = [list(head_text[r]) for r in block]
    for k, r in enumerate(block):
        for j in range(width):
            r0, c0, r1, c1 = _cover(merged_at, r, j)
            if (r0, c0) != (r, j) and r0 in block:
                grid[k][j] = head_text[r0][c0]
        # no merge information (CSV, hand-made exports): a group written once, blanks to its
        # right, with sub-headers under each
        if k + 1 < len(block):
            below = head_text[block[k + 1]]
            last = ""
            for j in range(width):
                if head_text[r][j]:
                    last = head_text[r][j]
                elif last and below[j] and not _merged_here(merged_at, r, j) and not any(
                        grid[kk][j] for kk in range(k)):
                    grid[k][j] = last
                elif not below[j]:
                    last = ""
    paths = []
    for j in range(width):
        parts: list[str] = []
        for k in range(len(block)):
            t = grid[k][j]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        paths.append(tuple(parts))
    names = [match(p) if p else None for p in paths]
    if sum(nm is not None for nm in names) < min_known:
        return None
    units = [next((u for u in (header_unit(t) for t in reversed(p)) if u), None) for p in paths]
    data_start = block[-1] + 1
    # the column-number row of a statistics form (甲 乙 丙 1 2 3) belongs to the header
    if data_start < top_n:
        marks = [t for t in head_text[data_start] if t]
        if len(marks) >= 2 and all(re.fullmatch(r"[甲乙丙丁戊己庚辛壬癸]|\d{1,2}", t)
                                   for t in marks) and any(not t.isdigit() for t in marks):
            block.append(data_start)
            data_start += 1

    # 4. title lines and what they say
    title = ["".join(t for t in head_text[i] if t) for i in range(block[0])]
    facts: dict[str, Any] = {"title": next((t for t in title if t), None)}
    for line in [*title, " ".join(h for h in head_text[block[0]] if h)]:
        m = _UNIT_LINE.search(line)
        if m:
            facts["amount_unit"] = m.group(1)
            break
    from .periods import find_period

    for text in [*title, sheet.name]:
        found = find_period(text)
        if found.ok or found.year:
            facts["period"] = found
            if found.ok:
                break

    # 5. key cells merged over several body rows apply to every row of the block
    body = values[data_start:].copy()
    filled = 0
    keys = {j for j, nm in enumerate(names) if nm in key_columns}
    for r0, c0, r1, _c1 in sheet.merged:
        if r1 > r0 and r0 >= data_start and c0 in keys:
            top = body[r0 - data_start, c0]
            for r in range(r0 - data_start + 1, r1 - data_start + 1):
                if r < len(body) and body[r, c0] in ("", None):
                    body[r, c0] = top
                    filled += 1

    # a free-text line merged across the table (进展情况：… under each project of a 调度表)
    wide = np.zeros(len(body), dtype=bool)
    for r0, c0, r1, c1 in sheet.merged:
        if r0 == r1 and r0 >= data_start and c1 - c0 >= 2:
            wide[r0 - data_start] = True
    roles, section, texts = _roles(body, paths, names, width, wide=wide, title=title)
    return Layout(sheet, block, data_start, paths, names, units, title, facts, roles, section,
                  body, filled, texts)


def _merge_map(merged: list[tuple[int, int, int, int]], n: int, width: int
               ) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Every cell of the top rows covered by a merged range → that range."""
    out = {}
    for r0, c0, r1, c1 in merged:
        if r0 >= n:
            continue
        for r in range(r0, min(r1, n - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                out[(r, c)] = (r0, c0, r1, c1)
    return out


def _cover(merged_at: dict, r: int, j: int) -> tuple[int, int, int, int]:
    return merged_at.get((r, j), (r, j, r, j))


def _merged_here(merged_at: dict, r: int, j: int) -> bool:
    return (r, j) in merged_at


def _spans_right(upper: list[str], lower: list[str], j: int) -> bool:
    """Without merge information: is column j under a group written once to its left (or at
    it), with sub-headers under the group's blank cells?"""
    k = j
    while k >= 0 and not upper[k]:
        k -= 1
    if k < 0:
        return False
    # the group at k covers k..e where upper is blank and lower is written
    e = k + 1
    while e < len(upper) and not upper[e] and lower[e]:
        e += 1
    return e - k >= 2 and k <= j < e


def _roles(body: np.ndarray, paths: list[tuple[str, ...]], names: list[str | None],
           width: int, *, wide: np.ndarray | None = None, title: Sequence[str] = (),
           ) -> tuple[np.ndarray, np.ndarray, dict[int, pd.Series]]:
    """The role of every body row, decided on whole columns at once; and the columns' text."""
    n = len(body)
    if n == 0:
        return np.array([], dtype=object), np.array([], dtype=object), {}
    cols = [_texts(body[:, j]) for j in range(width)]
    text_grid = np.column_stack([c[0] for c in cols])
    numeric = np.column_stack([c[1] for c in cols])
    nonempty = text_grid != ""  # a lone space is blank
    blank = ~nonempty.any(axis=1)
    n_filled = nonempty.sum(axis=1)
    # the first and second written cells of each row, as text
    first_j = np.argmax(nonempty, axis=1)
    first = text_grid[np.arange(n), first_j].copy()
    first[blank] = ""
    rest = nonempty.copy()
    rest[np.arange(n), first_j] = False
    second_j = np.argmax(rest, axis=1)
    second = np.where(rest.any(axis=1), text_grid[np.arange(n), second_j], "")
    # totals and subtotals: in any of the first few columns (labels sit left), or the first
    # written cell
    look = min(width, 4)
    # a first cell that is a number (序号 1, 2, 3 …) names no total, section or note: the
    # patterns below run only on the other rows
    worded = ~numeric[np.arange(n), first_j]
    first_arr = _arrow(first[worded])

    def first_is(pattern: str, full: bool = True) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        if len(first_arr):
            out[worded] = regex_mask(first_arr, pattern, full=full)
        return out

    total = first_is(TOTAL_ROW)
    subtotal = first_is(SUBTOTAL_ROW)
    part = first_is(r"^其中[:：]", full=False)  # 其中：省外资金 under a 合计
    for j in range(look):
        t = text_grid[:, j]
        has = np.zeros(n, dtype=bool)
        words = nonempty[:, j] & ~numeric[:, j]  # a number holds no 计, 汇总 or 其中
        if (j != first_j).any() and words.any():
            has[words] = regex_mask(t[words], "计|汇总|其中", full=False)
        if has.any():
            ts = t[has]
            total[has] |= regex_mask(ts, TOTAL_ROW)
            subtotal[has] |= regex_mask(ts, SUBTOTAL_ROW)
            part[has] |= regex_mask(ts, r"^其中[:：]", full=False)
    subtotal &= ~total
    part &= ~total & ~subtotal
    has_number = numeric.any(axis=1)
    section_m = first_is(SECTION_ROW)
    section = section_m & (n_filled <= 2) & ~total & ~subtotal & ~has_number & ~part
    # a bare Chinese numeral in the 序号 column (一 / 二 over 1, 2, 3): the row names a section,
    # and with figures it is the section's subtotal, printed above its rows
    numeral = first_is(r"[一二三四五六七八九十]+") & (
        first_j == 0) & ~total & ~subtotal & ~part
    section |= numeral & ~has_number
    subtotal |= numeral & has_number
    leafs = [p[-1] if p else "" for p in paths]
    header_like = np.zeros(n, dtype=int)
    for j, leaf in enumerate(leafs):
        if leaf:
            header_like += (text_grid[:, j] == leaf)
    repeated = (header_like >= 2) & ~total & ~subtotal
    # the title printed again on the next page (…通报表（续表）) goes with the repeated header
    titles = {t for t in title if t}
    if titles:
        single = n_filled == 1
        if single.any():
            bare = pd.Series(first[single], dtype="str").str.replace(r"[(（]?续表[)）]?$", "",
                                                                      regex=True)
            repeated[single] |= bare.isin(titles).to_numpy(dtype=bool)
    # 序号 1 over 1-1, 1-2: the parent row of sub-projects is their subtotal
    if "seq" in names:
        seq = text_grid[:, names.index("seq")]
        found = sub_project_parents(seq)
        parents = set(found[pd.notna(found)])
        if parents:
            is_parent = pd.Series(seq, dtype="str").isin(parents).to_numpy(dtype=bool)
            subtotal |= is_parent & ~total & has_number
    note = first_is(NOTE_ROW, full=False) & ~total & ~subtotal & ~section
    # a note line holds words, not figures: a row with two or more numbers is data
    note &= numeric.sum(axis=1) <= 1
    # the lines that follow a note below the table (2、…, 红榜：…) are notes too
    after = np.maximum.accumulate(note & (np.cumsum(~blank) > 0))
    later = after & ~note & ~blank & (n_filled <= 2) & ~has_number & ~total & ~subtotal
    note |= later & ~section
    # cells only outside the table's columns (此列勿删 typed far to the right) are notes
    in_table = np.array([bool(p) for p in paths] + [False] * (width - len(paths)))[:width]
    note |= ~blank & ~(nonempty & in_table).any(axis=1)
    if wide is not None:
        note |= wide & ~has_number & ~section & ~total & ~subtotal & ~part & ~repeated
    roles = np.full(n, "data", dtype=object)
    for mask, role in ((note, "note"), (repeated, "repeated_header"), (section, "section"),
                       (part, "part"), (subtotal, "subtotal"), (total, "total"),
                       (blank, "blank")):
        roles[mask] = role
    heading = np.full(n, None, dtype=object)
    named = section | numeral
    if named.any():
        words = pd.Series(np.where(numeral, second, first)[named], dtype="str")
        words = words.where(pd.Series(numeral[named]), words.str.replace(
            _SECTION_NUMBER.pattern, "", regex=True))
        heading[named] = words.str.replace(r"[:：]$", "", regex=True).to_numpy(dtype=object)
    sec = pd.Series(heading, dtype=object).ffill().to_numpy(dtype=object)
    return roles, sec, {j: pd.Series(text_grid[:, j], dtype=object) for j in range(width)}
