"""read_ledger against a bare calamine read of the same workbook, in the same run.

    python benchmarks/read.py [--rows 100000] [--repeat 3]

Writes one ledger the way counties keep them (a title, a 金额单位 line, a two-level header,
section rows with a 小计 each, a 合计, amounts as numbers and text, dates in several forms) with
``--rows`` projects, then times, interleaved:

- ``calamine``: ``CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()`` — the
  cells and nothing else, the floor any reader stands on;
- ``read_ledger``: cells, layout, every parse, every check and the issues table.

Prints a JSON object with the medians (wall and processor time) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from zsanalytics import read_ledger

UNITS = ["城关镇人民政府", "河口镇", "城西街道办事处", "青山镇", "白沙乡", "经济开发区", "县商务局"]


def write_ledger(path: Path, rows: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("2024年项目台账")
    ws.append(["2024年招商引资项目台账"])
    ws.append(["金额单位：万元"])
    ws.append(["序号", "项目名称", "责任单位", "合同投资额", "累计到位资金", "时间节点", None, None,
               "备注"])
    ws.append([None, None, None, None, None, "签约时间", "开工时间", "投产时间", None])
    amounts = np.round(rng.lognormal(8, 1.2, rows), 2)
    funds = np.round(amounts * rng.uniform(0, 1, rows), 2)
    days = rng.integers(0, 365 * 3, rows)
    per_section = max(1, rows // 4)
    for i in range(rows):
        if i % per_section == 0:
            ws.append([f"{'一二三四五'[min(i // per_section, 4)]}、第{i // per_section + 1}类项目"])
        a = float(amounts[i])
        contract = a if i % 3 else f"{a / 10000:.4f}亿元"
        d = np.datetime64("2022-01-01") + days[i]
        signed = str(d) if i % 2 else str(d).replace("-", ".")
        ws.append([i + 1, f"项目{i:06d}", UNITS[i % len(UNITS)], contract, float(funds[i]),
                   signed, None if i % 4 else str(d + 90), None, "" if i % 5 else "重点项目"])
        if (i + 1) % per_section == 0:
            ws.append([None, "小计", None, None, None])
    ws.append([None, "合计", None, None, None])
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = write_ledger(Path(tempfile.mkdtemp()) / "ledger.xlsx", args.rows)
    bare, ours, bare_cpu, ours_cpu = [], [], [], []
    result = None
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        bare.append(time.perf_counter() - t)
        bare_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        result = read_ledger(path)
        ours.append(time.perf_counter() - t)
        ours_cpu.append(time.process_time() - c)
    assert result is not None
    out = {
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "calamine_s": round(statistics.median(bare), 3),
        "read_ledger_s": round(statistics.median(ours), 3),
        "ratio": round(statistics.median(ours) / statistics.median(bare), 2),
        # processor time: steadier than wall time when other work shares the machine
        "calamine_cpu_s": round(statistics.median(bare_cpu), 3),
        "read_ledger_cpu_s": round(statistics.median(ours_cpu), 3),
        "cpu_ratio": round(statistics.median(ours_cpu) / statistics.median(bare_cpu), 2),
        "projects": len(result.data),
        "balanced": result.balanced,
        "issues": len(result.issues),
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
