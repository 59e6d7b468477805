"""Write canonical tables out as the messy workbooks analysts receive.

Used for the demo county's ``data/raw/`` files and by the tests, which build workbooks of
their own with it. Every kind of mess the readers must cope with appears here: merged title
rows, a 金额单位 line, two-level headers, section / 小计 / 合计 rows, blank rows, repeated
projects, amounts and dates written every which way, unit names with spaces and suffixes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["write_ledger_xlsx", "write_monthly_report_xlsx"]

_CN = "零一二三四五六七八九"
_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
_SECTION_ORDER = ["工业项目", "服务业项目", "农业项目", "外资项目"]
_SECTION_NO = ["一", "二", "三", "四", "五"]


def _num_text(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _cn_yi(n: int) -> str:
    """Small whole numbers of 亿 in Chinese numerals (1-99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")
    return head + (_CN[ones] if ones else "") if n else "零"


def _amount_cell(x: float, currency: str, style: str) -> object:
    if pd.isna(x):
        return None
    if currency == "USD":
        return f"{_num_text(x)}万美元"
    if style == "yi" and x >= 10000:
        return f"{x / 10000:.6f}".rstrip("0").rstrip(".") + "亿元"
    if style == "yi_trad" and x >= 10000:
        return f"{x / 10000:.6f}".rstrip("0").rstrip(".") + "億元"
    if style == "cn" and x >= 10000 and x % 10000 == 0 and x < 1_000_000:
        return _cn_yi(int(x // 10000)) + "亿元"
    if style == "wan":
        return f"{_num_text(x)}万元"
    if style == "approx":
        return f"约{_num_text(x)}"
    if style == "full":
        return _num_text(x).translate(_FULL)
    if style == "comma":
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return float(x)


def _date_cell(d: pd.Timestamp, style: str) -> object:
    if pd.isna(d):
        return None
    if style == "serial":
        return int((d - pd.Timestamp("1899-12-30")).days)
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if style == "dash":
        return f"{d.year}-{d.month}-{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "month":
        return f"{d.year}年{d.month}月"
    return dt.date(d.year, d.month, d.day)


def _messy_unit(name: str, style: str) -> str:
    if style == "suffix":
        if name.endswith("镇") or name.endswith("乡"):
            return name + "人民政府"
        if name.endswith("街道"):
            return name + "办事处"
    if style == "space":
        return name[:1] + " " + name[1:]
    if style == "fullspace":
        return "\u3000" + name
    return name


def write_ledger_xlsx(projects: pd.DataFrame, path: str | Path, *, seed: int = 0,
                      county: str = "演示县", year: int = 2024,
                      subtotal_typo: bool = True, masked: int = 3) -> Path:
    """Write a projects table as a messy ledger workbook; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rng = np.random.default_rng(seed)
    p = projects.reset_index(drop=True).copy()
    p["section"] = np.where(p["currency"] == "USD", "外资项目",
                            p["industry"].map(_section_of).fillna("服务业项目"))
    p["order"] = p["section"].map({s: i for i, s in enumerate(_SECTION_ORDER)})
    p = p.sort_values(["order", "signed_on"], kind="stable").reset_index(drop=True)
    n = len(p)
    amount_styles = rng.choice(["num", "yi", "wan", "approx", "full", "comma", "cn", "yi_trad"],
                               size=(n, 2), p=[0.55, 0.14, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03])
    date_styles = rng.choice(["date", "serial", "dot", "slash", "dash", "cn", "month"],
                             size=(n, 4), p=[0.45, 0.15, 0.1, 0.1, 0.07, 0.1, 0.03])
    unit_styles = rng.choice(["plain", "suffix", "space", "fullspace"], size=n,
                             p=[0.8, 0.12, 0.05, 0.03])
    masked_rows = set(rng.choice(n, size=min(masked, n), replace=False).tolist())
    dup_rows = set(rng.choice(n, size=2, replace=False).tolist()) if n > 10 else set()
    blank_after = set(rng.choice(n, size=3, replace=False).tolist()) if n > 10 else set()

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年项目台账"
    headers = ["序号", "项目编号", "项目名称", "责任单位", "产业类别", "资金来源地",
               "合同投资额", "累计到位资金", "时间节点", None, None, None, "项目性质", "备注",
               "联系人"]
    width = len(headers)
    last = chr(64 + width)
    ws["A1"] = f"{county}{year}年招商引资项目台账"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = f"填报单位：{county}商务局"
    ws.merge_cells("A2:F2")
    ws["M2"] = "金额单位：万元"
    for j, h in enumerate(headers, start=1):
        if h:
            ws.cell(row=3, column=j, value=h)
    for j, h in enumerate(["签约时间", "落地时间", "开工时间", "投产时间"], start=9):
        ws.cell(row=4, column=j, value=h)
    ws.merge_cells("I3:L3")
    for j in [*range(1, 9), *range(13, width + 1)]:
        col = chr(64 + j)
        ws.merge_cells(f"{col}3:{col}4")

    r = 5
    seq = 0
    subtotal_written = 0
    for s_i, section in enumerate(_SECTION_ORDER):
        block = p[p["section"] == section]
        if block.empty:
            continue
        ws.cell(row=r, column=1, value=f"{_SECTION_NO[s_i]}、{section}")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
        sums = {"contract_wan": 0.0, "funds_in_place_wan": 0.0}
        for i, row in block.iterrows():
            copies = 2 if i in dup_rows else 1
            for _ in range(copies):
                seq += 1
                styles = amount_styles[i]
                cells = [seq, row["project_id"], row["project_name"],
                         _messy_unit(row["unit"], unit_styles[i]), row["industry"],
                         row["origin"]]
                for k, col in enumerate(("contract_wan", "funds_in_place_wan")):
                    val = row[col]
                    if i in masked_rows and k == 1:
                        cells.append("xx")
                    else:
                        cells.append(_amount_cell(val, row["currency"], styles[k]))
                    sums[col] += 0.0 if pd.isna(val) else float(val)  # as Excel's SUM would
                for k, col in enumerate(("signed_on", "landed_on", "started_on",
                                         "producing_on")):
                    d = row[col]
                    if pd.isna(d) and k > 0 and rng.random() < 0.04:
                        cells.append({1: "未落地", 2: "未开工", 3: "未投产"}[k])
                    else:
                        cells.append(_date_cell(d, date_styles[i][k]))
                cells.append(None if pd.isna(row["is_new"]) else
                             ("新引进" if row["is_new"] else "续建"))
                cells.append(None if pd.isna(row["notes"]) else row["notes"])
                cells.append(f"{'王李张刘陈'[i % 5]}经理")
                for j, v in enumerate(cells, start=1):
                    ws.cell(row=r, column=j, value=v)
                r += 1
            if i in blank_after:
                r += 1
        # 小计: the section's own currency; one typo where asked
        written = {k: round(v, 2) for k, v in sums.items()}
        if subtotal_typo and subtotal_written == 0 and section != "外资项目":
            written["contract_wan"] = round(written["contract_wan"] + 900.0, 2)
        ws.cell(row=r, column=3, value="小计")
        for k, col in enumerate(("contract_wan", "funds_in_place_wan")):
            v = written[col]
            ws.cell(row=r, column=7 + k,
                    value=f"{_num_text(v)}万美元" if section == "外资项目" else v)
        subtotal_written += 1
        r += 1
    # 合计 of the CNY rows, duplicates included, as a SUM over the sheet would give
    cny = p[p["currency"] == "CNY"]
    dup = p.loc[[i for i in sorted(dup_rows) if p.loc[i, "currency"] == "CNY"]]
    ws.cell(row=r, column=3, value="合计（不含外资）")
    for k, col in enumerate(("contract_wan", "funds_in_place_wan")):
        ws.cell(row=r, column=7 + k, value=round(float(cny[col].sum() + dup[col].sum()), 2))
    r += 2
    ws.cell(row=r, column=1, value="注：外资项目金额单位为万美元；项目性质按年初认定。")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    r += 1
    ws.cell(row=r, column=1, value="填报人：王某某")
    ws.cell(row=r, column=5, value="审核人：李某某")
    ws.cell(row=r, column=9, value="联系电话：0000-0000000")
    path = Path(path)
    wb.save(path)
    return path


def _section_of(industry: str) -> str | None:
    from .datasets import SECTIONS

    return SECTIONS.get(industry)


def write_monthly_report_xlsx(funds: pd.DataFrame, targets: pd.DataFrame, path: str | Path,
                              *, year: int, county: str = "演示县", months: range | None = None,
                              yoy_typo: bool = True) -> Path:
    """Write the platform's monthly table (one sheet per month, year-to-date figures)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    months = months or range(1, 13)
    f = funds.assign(year=funds["month"].dt.year, m=funds["month"].dt.month)
    by = f.groupby(["unit", "currency", "year", "m"], as_index=False)["amount_wan"].sum()
    units = list(dict.fromkeys(funds["unit"]))
    t = targets[targets["year"] == year]
    tgt = {(u, ind): v for u, ind, v in zip(t["unit"], t["indicator"], t["target"], strict=True)}
    monthly = {(u, c, y, m): v for u, c, y, m, v in
               zip(by["unit"], by["currency"], by["year"], by["m"], by["amount_wan"],
                   strict=True)}
    foreign_units = {u for u, c in zip(funds["unit"], funds["currency"], strict=True)
                     if c == "USD"}

    wb = Workbook()
    wb.remove(wb.active)
    groups = [("CNY", "实际到位市外境内资金（万元）", "funds_in_place"),
              ("USD", "实际利用外资（万美元）", "foreign_funds")]
    for n in months:
        ws = wb.create_sheet(f"{year}年1-{n}月" if n > 1 else f"{year}年1月")
        span = f"1-{n}月" if n > 1 else "1月"
        ws["A1"] = f"{county}{year}年{span}招商引资实际到位资金完成情况表"
        ws["A1"].font = Font(bold=True, size=14)
        ws.merge_cells("A1:M1")
        ws["K2"] = "单位：万元、万美元"
        ws["A3"] = "单位"
        ws.merge_cells("A3:A4")
        measures = ["本月", f"{span}累计", "上年同期", "同比(%)", "年度任务", "完成率(%)"]
        for g, (_cur, label, _ind) in enumerate(groups):
            c0 = 2 + 6 * g
            ws.cell(row=3, column=c0, value=label)
            ws.merge_cells(start_row=3, start_column=c0, end_row=3, end_column=c0 + 5)
            for k, m in enumerate(measures):
                ws.cell(row=4, column=c0 + k, value=m)
        rows = []
        for u in units:
            cells: list[object] = [u]
            for cur, _label, ind in groups:
                if cur == "USD" and u not in foreign_units:
                    cells += [None] * 6
                    continue
                this = monthly.get((u, cur, year, n), 0.0)
                ytd = sum(monthly.get((u, cur, year, m), 0.0) for m in range(1, n + 1))
                prior = sum(monthly.get((u, cur, year - 1, m), 0.0) for m in range(1, n + 1))
                target = tgt.get((u, ind))
                if prior > 0:
                    yoy: object = round((ytd / prior - 1) * 100 + 1e-9, 1)
                else:
                    yoy = "新增" if ytd > 0 else "—"
                comp = round(ytd / target * 100 + 1e-9, 1) if target else "—"
                cells += [round(this, 2), round(ytd, 2), round(prior, 2), yoy, target, comp]
            rows.append(cells)
        # the 合计 row first, as the platform prints it
        total: list[object] = ["全县合计"]
        for g in range(2):
            cols = [r[1 + 6 * g: 7 + 6 * g] for r in rows]
            this = round(sum(c[0] or 0 for c in cols), 2)
            ytd = round(sum(c[1] or 0 for c in cols), 2)
            prior = round(sum(c[2] or 0 for c in cols), 2)
            target = sum(c[4] or 0 for c in cols)
            total += [this, ytd, prior, round((ytd / prior - 1) * 100 + 1e-9, 1) if prior else "—",
                      target, round(ytd / target * 100 + 1e-9, 1) if target else "—"]
        if yoy_typo and n == 6:
            rows[2][4] = round(float(rows[2][4]) + 10.0, 1) if isinstance(rows[2][4], float) \
                else rows[2][4]
        for i, cells in enumerate([total, *rows]):
            if i in (4, 9):  # unit names as written by hand
                cells[0] = _messy_unit(str(cells[0]), "suffix")
            for j, v in enumerate(cells, start=1):
                ws.cell(row=5 + i, column=j, value=v)
        ws.cell(row=6 + len(rows) + 1, column=1, value="注：数据来源于省招商引资统计平台。")
    path = Path(path)
    wb.save(path)
    return path
