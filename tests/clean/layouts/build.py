"""Builders for the blind layout corpus.

Each ``build_<case>(directory)`` writes one workbook laid out like a real public
format (see README.md for the source of each layout) and returns its path.
The answer keys in ``keys/`` were written by hand from the cell values below;
nothing here reads or imports the readers under test.

All values are invented.  Phone numbers are 0000-0000000 placeholders and
people are written as 李某 / 王某.
"""

from __future__ import annotations

import csv
import datetime as dt
import pathlib

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

__all__ = ["CASES"]


# ---------------------------------------------------------------- helpers


def _xlwt():
    import xlwt  # imported lazily: only the .xls cases need it

    return xlwt


def _write_php_export(path, title, header, rows, sheet_name="Worksheet"):
    """Write an .xls laid out as the PHPExcel ``exportExcel`` helper does.

    Row 1: the title merged over every column; row 2: the header; row 3 on:
    data, every cell written with ``setCellValueExplicit(..., TYPE_STRING)``,
    i.e. stored as text (numbers and yyyyMM dates included).
    """
    xlwt = _xlwt()
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet_name)
    title_style = xlwt.easyxf("font: height 400; align: horiz center, vert center")
    head_style = xlwt.easyxf(
        "font: bold on, height 200; align: horiz center, vert center;"
        "borders: left thin, right thin, top thin, bottom thin"
    )
    body_style = xlwt.easyxf(
        "font: height 200; align: horiz center, vert center;"
        "borders: left thin, right thin, top thin, bottom thin"
    )
    ws.write_merge(0, 0, 0, len(header) - 1, title, title_style)
    for c, name in enumerate(header):
        ws.write(1, c, name, head_style)
    for r, row in enumerate(rows, start=2):
        assert len(row) == len(header), row
        for c, value in enumerate(row):
            ws.write(r, c, str(value), body_style)  # always text
    for r in range(len(rows) + 2):
        ws.row(r).height_mismatch = True
        ws.row(r).height = 600
    wb.save(str(path))
    return path


# ------------------------------------------------- 1. system export (新注册)


def build_export_xls_registered(directory: pathlib.Path) -> pathlib.Path:
    title = "201601至201606各乡镇（街道）、园区新注册重点项目一览表"
    header = [
        "单位", "序号", "在宁注册名称", "外来投资方名称", "注册时间", "法人代表",
        "注册资本(万元)", "经营范围", "产业类别", "所属产业链", "总投资额[亿元]",
        "一期投资额[亿元]", "合同签约时间", "建设地点(注明园区)", "项目用地(亩)",
        "项目引荐单位", "备注",
    ]
    rows = [
        ["经济开发区", "1", "宁川新能源科技有限公司", "江苏某新能源集团有限公司", "201603", "赵某",
         "5000", "锂电池材料研发生产", "工业", "新能源", "3.5", "1.2", "201601",
         "经济开发区新材料园", "120", "县招商服务中心", ""],
        ["经济开发区", "2", "宁川精密机械制造有限公司", "浙江某机械股份有限公司", "201604", "钱某",
         "2000", "精密零部件制造", "工业", "装备制造", "1.25", "0.6", "201602",
         "经济开发区装备园", "60", "县招商服务中心", ""],
        ["城关镇", "3", "宁川优品商贸有限公司", "广东某商贸集团有限公司", "201602", "孙某",
         "500", "商贸物流", "服务业", "现代物流", "0.35", "", "201512",
         "城关镇物流园", "25", "城关镇", ""],
        ["城关镇", "4", "宁川绿源食品有限公司", "福建某食品有限公司", "201605", "李某",
         "1000", "农产品加工", "工业", "食品加工", "0.8", "0.8", "201603",
         "城关镇工业集中区", "40", "城关镇", "一期已备案"],
        ["城西街道", "5", "宁川智谷科技发展有限公司", "上海某科技集团有限公司", "201606", "周某",
         "3000", "软件和信息技术服务", "服务业", "电子信息", "2.06", "1", "201604",
         "城西街道科创园", "30", "城西街道", ""],
        ["河口镇", "6", "宁川河口文旅开发有限公司", "湖南某文旅集团有限公司", "201603", "吴某",
         "10000", "文旅综合开发", "文化旅游", "文旅康养", "12", "4.5", "201601",
         "河口镇", "800", "河口镇", ""],
        ["河口镇", "7", "宁川生态农业开发有限公司", "安徽某农业科技有限公司", "201606", "郑某",
         "800", "生态种养", "农业", "现代农业", "0.56", "", "201605",
         "河口镇", "300", "河口镇", ""],
        ["县商务局", "8", "宁川跨境电商产业园有限公司", "深圳某电商集团有限公司", "201604", "王某",
         "2000", "跨境电子商务", "服务业", "电子商务", "1.5", "0.5", "201602",
         "经济开发区电商园", "50", "县商务局", ""],
    ]
    return _write_php_export(directory / "_20160705093012.xls", title, header, rows)


# ------------------------------------------- 2. system export (新开工一览表)


def build_export_xls_started(directory: pathlib.Path) -> pathlib.Path:
    title = "201607至201609各乡镇（街道）、园区新开工重点项目一览表"
    header = [
        "单位", "序号", "在黄注册名称", "外来投资方名称", "注册时间", "法人代表",
        "注册资本(万元)", "总投资额[亿元]", "一期投资额[亿元]", "项目建设内容", "产业类别",
        "开工时间", "建设地点(注明园区)", "项目引荐单位", "备注",
    ]
    rows = [
        ["经济开发区", "1", "黄川光电科技有限公司", "深圳某光电集团有限公司", "201602", "冯某", "8000",
         "5.6", "2", "年产500万片LED芯片", "工业", "201607", "经济开发区光电园", "县招商服务中心", ""],
        ["经济开发区", "2", "黄川新材料有限公司", "江西某材料有限公司", "201605", "陈某", "3000",
         "2.35", "1.1", "新型建材", "工业", "201608", "经济开发区新材料园", "县经信局", ""],
        ["城关镇", "3", "黄川康养服务有限公司", "北京某健康产业集团", "201604", "褚某", "1000",
         "1.08", "", "康养中心", "服务业", "201609", "城关镇", "城关镇", "分期建设"],
        ["黄坪镇", "4", "黄坪茶业开发有限公司", "福建某茶业有限公司", "201603", "卫某", "500",
         "0.65", "0.3", "茶叶精深加工", "农业", "201607", "黄坪镇", "黄坪镇", ""],
        ["黄坪镇", "5", "黄坪石材加工有限公司", "广西某石材有限公司", "201606", "蒋某", "600",
         "0.42", "0.42", "石材加工", "工业", "201609", "黄坪镇", "黄坪镇", ""],
        ["城东街道", "6", "黄川城东商业管理有限公司", "重庆某商业集团有限公司", "201606", "沈某", "2000",
         "3.2", "1.5", "商业综合体", "服务业", "201608", "城东街道", "城东街道", ""],
    ]
    return _write_php_export(directory / "_20161010150230.xls", title, header, rows)


# ------------------------------------------- 3. system export (新投产一览表)


def build_export_xls_producing(directory: pathlib.Path) -> pathlib.Path:
    title = "201601至201612各乡镇（街道）、园区新投产重点项目一览表"
    header = [
        "单位", "序号", "在黄注册名称", "外来投资方名称", "法人代表", "注册时间",
        "注册资本(万元)", "总投资额[亿元]", "累计实际到资总额[亿元]", "项目建设内容", "产业类别",
        "投产时间", "建设地点(注明园区)", "项目用地(亩)", "备注",
    ]
    rows = [
        ["经济开发区", "1", "黄川汽配制造有限公司", "湖北某汽车零部件有限公司", "韩某", "201503", "5000",
         "4.2", "3.85", "汽车零部件", "工业", "201605", "经济开发区装备园", "150", ""],
        ["经济开发区", "2", "黄川电子科技有限公司", "东莞某电子有限公司", "杨某", "201506", "2000",
         "1.6", "1.6", "电子元器件", "工业", "201609", "经济开发区电子园", "80", ""],
        ["城关镇", "3", "黄川粮油加工有限公司", "河南某粮油有限公司", "朱某", "201410", "800",
         "0.75", "0.62", "粮油加工", "工业", "201604", "城关镇工业集中区", "45", ""],
        ["黄坪镇", "4", "黄坪竹木制品有限公司", "浙江某竹业有限公司", "秦某", "201507", "600",
         "0.5", "0.45", "竹木制品", "工业", "201611", "黄坪镇", "30", ""],
        ["城东街道", "5", "黄川冷链物流有限公司", "山东某物流有限公司", "尤某", "201512", "1500",
         "1.18", "0.9", "冷链物流", "服务业", "201612", "城东街道", "60", "试生产"],
    ]
    return _write_php_export(directory / "_20161231101500.xls", title, header, rows)


# ------------------------------------------- 4. 推进情况表 kept by hand


def build_push_table_hand(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "6月"
    ws["A1"] = "2024年重点招商项目推进情况表（截至6月底）"
    ws.merge_cells("A1:N1")
    ws["A2"] = "填报单位（盖章）：县投资促进中心"
    ws.merge_cells("A2:E2")
    ws["K2"] = "金额单位：亿元、万元"
    ws.merge_cells("K2:N2")
    # three header rows
    for col, name in [("A", "序号"), ("B", "责任单位"), ("C", "项目名称"), ("D", "总投资（亿元）"),
                      ("L", "包联领导"), ("M", "本月进展"), ("N", "问题和建议")]:
        ws[f"{col}3"] = name
        ws.merge_cells(f"{col}3:{col}5")
    ws["E3"] = "项目推进情况"
    ws.merge_cells("E3:K3")
    ws["E4"] = "项目阶段"
    ws.merge_cells("E4:G4")
    ws["H4"] = "时间节点"
    ws.merge_cells("H4:I4")
    ws["J4"] = "实际到位资金（万元）"
    ws.merge_cells("J4:K4")
    for col, name in zip("EFGHIJK", ["是否签约", "是否开工", "是否投产", "签约时间", "开工时间", "本年", "累计"]):
        ws[f"{col}5"] = name
    # data: (row, 序号, 责任单位 or None when inside a merged block, 项目名称, 总投资,
    #        签约?, 开工?, 投产?, 签约时间, 开工时间, 本年, 累计, 包联领导, 本月进展, 问题和建议)
    data = [
        (6, 1, "城关镇人民政府", "年产2万吨功能饮料项目", 2.5, "是", "是", "否", "2024.01", "3月15日",
         3200, 5800, "副县长 李某", "主体厂房封顶", "需协调用电增容"),
        (7, 2, None, "城关镇商贸物流园项目", 1.2, "是", "否", "否", "2024.03", None,
         0, 0, "副县长 李某", "正在办理用地手续", "用地指标紧张"),
        (8, 3, None, "智能家居配件生产项目", 0.85, "是", "√", "√", "2023.11", "1月8日",
         1500, 8500, "副县长 李某", "已投产", None),
        (9, 4, "城西街道办事处", "数字经济产业园项目", 5, "是", "是", "否", "2024.02", "4月20日",
         6000, 6000, "县委常委 王某", "桩基施工", None),
        (10, 5, None, "城西社区养老服务中心项目", 0.6, "否", "否", "否", None, None,
         0, 0, "副县长 赵某", "洽谈合同条款", "投资方资金未落实"),
        (11, 6, "经济开发区", "新能源电池PACK项目", 10.5, "是", "是", "否", 2024.05, "5月28日",
         12000, 12000, "县长 周某", "设备采购招标", None),
        (12, 7, None, "高端医疗器械生产项目", 3, "是", "否", "否", "2024.04", None,
         500, 500, "副县长 李某", "项目暂缓", "投资方调整投资计划"),
        (13, 8, None, "光伏组件边框项目", 1.8, "是", "√", "√", "2023.09", "2月26日",
         4000, 15000, "副县长 赵某", "已投产", None),
        (14, 9, "县发改局", "城乡供水一体化项目", 4.2, "是", "是", "否", "2024.01", "6月5日",
         8000, 8000, "副县长 王某", "管网铺设", "前期资金缺口"),
    ]
    for row in data:
        r = row[0]
        values = row[1:]
        for col, value in zip("ABCDEFGHIJKLMN", values):
            if value is None:
                continue
            ws[f"{col}{r}"] = value
        if isinstance(row[8], float):  # 2024.05 typed as a number, shown as 2024.05
            ws[f"H{r}"].number_format = "0.00"
    ws.merge_cells("B6:B8")
    ws.merge_cells("B9:B10")
    ws.merge_cells("B11:B13")
    ws.row_dimensions[12].hidden = True
    ws["A15"] = "合计"
    ws.merge_cells("A15:C15")
    ws["D15"] = 29.65
    ws["J15"] = 35200
    ws["K15"] = 55800
    ws["A17"] = "填表人：刘某          审核人：陈某          联系电话：0000-0000000          填报日期：2024年7月3日"
    ws.merge_cells("A17:N17")
    ws["A18"] = "注：1.项目阶段栏填“是/否”或打“√”；2.总投资单位为亿元，到位资金单位为万元。"
    ws.merge_cells("A18:N18")
    path = directory / "tuijin_qingkuang_2024_06.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 5/6. one sheet per township + 汇总


_TOWNSHIP_DETAIL = {
    "城关镇": [
        ("城关镇农产品冷链仓储项目", "某冷链物流有限公司", 8000, dt.date(2024, 1, 12), dt.date(2024, 3, 1), 2500),
        ("城关镇服装加工项目", "某服饰有限公司", 3500.5, dt.date(2024, 2, 20), None, 800),
        ("城关镇乡村民宿项目", "某文旅发展有限公司", 1200, dt.date(2024, 4, 8), dt.date(2024, 5, 16), 600),
    ],
    "河口镇": [
        ("河口镇光伏发电项目", "某新能源有限公司", 30000, dt.date(2024, 1, 5), dt.date(2024, 2, 28), 12000),
        ("河口镇水产养殖项目", "某农业开发有限公司", 2000, dt.date(2024, 3, 18), dt.date(2024, 4, 10), 1500),
        ("河口镇砂石加工项目", "某建材有限公司", 18000, dt.date(2024, 5, 22), None, 0),
    ],
    "城西街道": [
        ("城西电子商务产业园项目", "某电商科技有限公司", 15000, dt.date(2024, 2, 2), dt.date(2024, 4, 1), 5000),
        ("城西人才公寓项目", "某置业有限公司", 9000.25, dt.date(2024, 3, 30), None, 1000.75),
    ],
}
# sums written as the township typed them (same figures the key adds up by hand)
_TOWNSHIP_TOTALS = {"城关镇": (12700.5, 3900), "河口镇": (50000, 13500), "城西街道": (24000.25, 6000.75)}


def _township_workbook(path, summary_rows, summary_total):
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary["A1"] = "2024年1-6月各乡镇（街道）招商引资项目汇总表"
    summary.merge_cells("A1:E1")
    for col, name in zip("ABCDE", ["序号", "乡镇（街道）", "项目个数", "总投资（万元）", "累计到位资金（万元）"]):
        summary[f"{col}2"] = name
    for i, (unit, count, invest, funds) in enumerate(summary_rows, start=1):
        r = i + 2
        summary[f"A{r}"] = i
        summary[f"B{r}"] = unit
        summary[f"C{r}"] = count
        summary[f"D{r}"] = invest
        summary[f"E{r}"] = funds
    r = len(summary_rows) + 3
    summary[f"A{r}"] = "合计"
    summary.merge_cells(f"A{r}:B{r}")
    summary[f"C{r}"], summary[f"D{r}"], summary[f"E{r}"] = summary_total

    for unit, projects in _TOWNSHIP_DETAIL.items():
        ws = wb.create_sheet(unit)
        ws["A1"] = f"{unit}2024年招商引资项目台账"
        ws.merge_cells("A1:H1")
        ws["A2"] = "单位：万元"
        for col, name in zip("ABCDEFGH", ["序号", "项目名称", "投资方", "总投资（万元）", "签约时间",
                                           "开工时间", "累计到位资金（万元）", "备注"]):
            ws[f"{col}3"] = name
        for i, (name, investor, invest, signed, started, funds) in enumerate(projects, start=1):
            r = i + 3
            ws[f"A{r}"] = i
            ws[f"B{r}"] = name
            ws[f"C{r}"] = investor
            ws[f"D{r}"] = invest
            ws[f"E{r}"] = signed
            ws[f"E{r}"].number_format = "yyyy/m/d"
            if started is not None:
                ws[f"F{r}"] = started
                ws[f"F{r}"].number_format = "yyyy/m/d"
            ws[f"G{r}"] = funds
        r = len(projects) + 4
        ws[f"B{r}"] = "合计"
        ws[f"D{r}"], ws[f"G{r}"] = _TOWNSHIP_TOTALS[unit]
    wb.save(path)
    return path


def build_township_sheets(directory: pathlib.Path) -> pathlib.Path:
    rows = [("城关镇", 3, 12700.5, 3900), ("河口镇", 3, 50000, 13500), ("城西街道", 2, 24000.25, 6000.75)]
    return _township_workbook(directory / "xiangzhen_fenbiao_2024.xlsx", rows, (8, 86700.75, 23400.75))


def build_township_sheets_mismatch(directory: pathlib.Path) -> pathlib.Path:
    # 汇总 says 河口镇 总投资 52000; its own sheet adds up to 50000 (and prints 50000).
    rows = [("城关镇", 3, 12700.5, 3900), ("河口镇", 3, 52000, 13500), ("城西街道", 2, 24000.25, 6000.75)]
    return _township_workbook(directory / "xiangzhen_fenbiao_2024_buyizhi.xlsx", rows, (8, 88700.75, 23400.75))


# ------------------------------------------- 7. monthly 通报 with sections


def build_bulletin_sections(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "2024年1-6月全县招商引资实际到位资金完成情况通报表"
    ws.merge_cells("A1:G1")
    ws["F2"] = "单位：万元、亿元"
    ws.merge_cells("F2:G2")
    for col, name in [("A", "序号"), ("B", "单位"), ("E", "年度任务（亿元）"), ("F", "完成率"), ("G", "排名")]:
        ws[f"{col}3"] = name
        ws.merge_cells(f"{col}3:{col}4")
    ws["C3"] = "实际到位资金"
    ws.merge_cells("C3:D3")
    ws["C4"] = "本月（万元）"
    ws["D4"] = "1-6月累计（亿元）"
    rows = [
        # row, 序号, 单位, 本月(万元), 累计(亿元), 任务(亿元), 完成率 text, 排名
        (5, None, "全县合计", 12447, 17.34, 37.5, "46.2%", None),
        (6, "一、乡镇（街道）", None, None, None, None, None, None),
        (7, 1, "城关镇", 1250.5, 2.36, 5, "47.2%", 2),
        (8, 2, "河口镇", 860, 1.05, 3, "35.0%", 4),
        (9, 3, "城北镇", 2300.25, 3.12, 6, "52.0%", 1),
        (10, 4, "白沙乡", 0, 0.18, 1, "18.0%", 5),
        (11, 5, "青山镇", 415.75, 0.92, 2.5, "36.8%", 3),
        (12, None, "小计", 4826.5, 7.63, 17.5, "43.6%", None),
        (13, "二、县直单位", None, None, None, None, None, None),
        (14, 1, "县发改局", 520, 0.85, 1.5, "56.7%", 1),
        (15, 2, "县商务局", 300.5, 0.64, 1.5, "42.7%", 2),
        (16, 3, "县工信局", 0, 0.21, 1, "21.0%", 3),
        (17, None, "小计", 820.5, 1.70, 4, "42.5%", None),
        (18, "三、园区", None, None, None, None, None, None),
        (19, 1, "经济开发区", 5600, 6.48, 12, "54.0%", 1),
        (20, 2, "高新技术产业园", 1200, 1.53, 4, "38.3%", 2),
        (21, None, "小计", 6800, 8.01, 16, "50.1%", None),
    ]
    for r, *values in rows:
        for col, value in zip("ABCDEFG", values):
            if value is not None:
                ws[f"{col}{r}"] = value
        if isinstance(values[0], str):  # section row
            ws.merge_cells(f"A{r}:G{r}")
        for col in "DE":
            ws[f"{col}{r}"].number_format = "0.00"
    ws["A23"] = "注：1.完成率=1-6月累计÷年度任务；2.排名按完成率在同类单位中排序。"
    ws.merge_cells("A23:G23")
    ws["A24"] = "红榜：城北镇、县发改局、经济开发区；黑榜：白沙乡、县工信局。"
    ws.merge_cells("A24:G24")
    path = directory / "tongbao_2024_1-6.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 8/9. platform monthly table as CSV


def build_platform_csv_gbk(directory: pathlib.Path) -> pathlib.Path:
    lines = [
        ["2024年1-5月各乡镇（街道）招商引资实际到位资金完成情况"],
        ["单位：万元"],
        ["序号", "单位", "本月", "1-5月累计", "上年同期", "同比(%)", "年度任务", "完成率(%)",
         "序时进度(%)", "超欠序时进度", "排名"],
        ["1", "城关镇", "820.00", "3650.00", "3100.00", "17.7", "9000.00", "40.6", "41.7", "-1.1", "4"],
        ["2", "河口镇", "-50.00", "1980.00", "2200.00", "-10.0", "6000.00", "33.0", "41.7", "-8.7", "5"],
        ["3", "城西街道", "1500.00", "5200.00", "4000.00", "30.0", "10000.00", "52.0", "41.7", "10.3", "1"],
        ["4", "白沙乡", "0.00", "0.00", "350.00", "-100.0", "2000.00", "0.0", "41.7", "-41.7", "7"],
        ["5", "青山镇", "300.00", "1260.00", "0.00", "—", "3000.00", "42.0", "41.7", "0.3", "3"],
        ["6", "城东街道", "980.00", "4420.00", "3400.00", "30.0", "9500.00", "46.5", "41.7", "4.8", "2"],
        ["7", "高桥镇", "120.50", "890.50", "1020.00", "-12.7", "4000.00", "22.3", "41.7", "-19.4", "6"],
        ["", "合计", "3670.50", "17400.50", "14070.00", "23.7", "43500.00", "40.0", "41.7", "-1.7", ""],
        ["注：序时进度按月计算，1-5月为41.7%；河口镇本月数为核减数。"],
        ["数据来源：县招商引资统计平台    导出时间：2024-06-03 09:15"],
    ]
    path = directory / "daowei_zijin_2024_1-5.csv"
    with open(path, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(lines)
    return path


def build_platform_csv_utf8bom(directory: pathlib.Path) -> pathlib.Path:
    lines = [
        ["序号", "单位", "本月(万元)", "1-8月累计(万元)", "上年同期(万元)", "同比(%)", "年度任务(万元)",
         "完成率(%)", "序时进度(%)", "超欠序时进度", "排名"],
        ["", "合计", "4,080.50", "17,910.50", "14,950.00", "19.8", "30,000.00", "59.7", "66.7", "-7.0", ""],
        ["1", "城关镇", "1,020.00", "6,480.00", "5,400.00", "20.0", "9,000.00", "72.0", "66.7", "5.3", "1"],
        ["2", "河口镇", " 650.00 ", "3,150.00", "3,500.00", "-10.0", "6,000.00", "52.5", "66.7", "-14.2", "3"],
        ["3", "城西街道", "2,100.50", "6,300.50", "4,500.00", "40.0", "10,000.00", "63.0", "66.7", "-3.7", "2"],
        ["4", "白沙乡", "0.00", "420.00", "350.00", "20.0", "2,000.00", "21.0", "66.7", "-45.7", "5"],
        ["5", "青山镇", "310.00", "1,560.00 ", "1,200.00", "30.0", "3,000.00", "52.0", "66.7", "-14.7", "4"],
    ]
    path = directory / "daowei_zijin_1-8.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(lines)
    return path


# ------------------------------------------- 10. 目标进度汇总表


def build_target_progress(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Worksheet"
    ws["A1"] = "202401至202409各乡镇（街道）、园区招商引资工作目标进度汇总表"
    ws.merge_cells("A1:K1")
    ws["A2"] = "单位"
    ws.merge_cells("A2:A4")
    ws["B2"] = "类别"
    ws.merge_cells("B2:B4")
    for first, last, name in [("C", "E", "实际到位资金（亿元）"), ("F", "H", "省外境内资金（亿元）"),
                              ("I", "K", "实际利用外资（万美元）")]:
        ws[f"{first}2"] = name
        ws.merge_cells(f"{first}2:{last}3")
    for cols in ("CDE", "FGH", "IJK"):
        for col, name in zip(cols, ["目标值", "完成值", "完成进度%"]):
            ws[f"{col}4"] = name
    ws["A5"] = "合计"
    ws["C5"] = 31.5
    ws["D5"] = "=SUM(D6:D12)"
    ws["E5"] = 70.8
    ws["F5"] = 20.8
    ws["G5"] = "=SUM(G6:G12)"
    ws["H5"] = 67.6
    ws["I5"] = 2200
    ws["J5"] = "=SUM(J6:J12)"
    ws["K5"] = 76.6
    rows = [
        ("经济开发区", 12, 9.36, 78.0, 8, 6.12, 76.5, 1500, 1230, 82.0),
        ("城关镇", 6, 4.05, 67.5, 4, 2.62, 65.5, 300, 150, 50.0),
        ("城西街道", 5, 3.90, 78.0, 3.5, 2.45, 70.0, 200, 260, 130.0),
        ("河口镇", 3, 1.86, 62.0, 2, 1.10, 55.0, "—", 0, "—"),
        ("白沙乡", 1, 0.42, 42.0, 0.6, 0.21, 35.0, "—", 0, "—"),
        ("青山镇", 2.5, 1.75, 70.0, 1.5, 1.02, 68.0, 100, 45, 45.0),
        ("高桥镇", 2, 0.96, 48.0, 1.2, 0.54, 45.0, 100, 0, 0.0),
    ]
    for r, (unit, *values) in enumerate(rows, start=6):
        ws[f"A{r}"] = unit
        for col, value in zip("CDEFGHIJK", values):
            ws[f"{col}{r}"] = value
    ws["B6"] = "一类"
    ws.merge_cells("B6:B8")
    ws["B9"] = "二类"
    ws.merge_cells("B9:B12")
    path = directory / "mubiao_jindu_202409.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 11. ranks in brackets, — for no target


def build_bulletin_rank_brackets(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-11月"
    ws["A1"] = "2024年1-11月各乡镇（街道）、园区重点招商指标完成情况"
    ws.merge_cells("A1:G1")
    ws["E2"] = "单位：万元、万美元"
    ws.merge_cells("E2:G2")
    ws["A3"] = "单位"
    ws.merge_cells("A3:A4")
    ws["B3"] = "实际到位资金"
    ws.merge_cells("B3:D3")
    ws["E3"] = "实际利用外资"
    ws.merge_cells("E3:G3")
    for col, name in zip("BCDEFG", ["年度目标（万元）", "1-11月完成（万元）", "完成率（%）",
                                     "年度目标（万美元）", "1-11月完成（万美元）", "完成率（%）"]):
        ws[f"{col}4"] = name
    rows = [
        (5, "合计", 50000, "44546.50", 89.1, 2100, "1860.90", 88.6),
        (6, "城关镇", "9,000", "8316.00(2)", 92.4, 300, "210.50(4)", 70.2),
        (7, "河口镇", "6,000", "4980.00（5）", 83.0, "—", "0", "—"),
        (8, "城西街道", "10,000", "10350.50(1)", 103.5, 500, "520.00(2)", 104.0),
        (9, "白沙乡", "2,000", "1030.00(6)", 51.5, "-", "-", "-"),
        (10, "青山镇", "3,000", "2670.00(3)", 89.0, 100, "120.00（1）", 120.0),
        (11, "经济开发区", "20,000", "17200.00(4)", 86.0, 1200, "1010.40(3)", 84.2),
    ]
    for r, *values in rows:
        for col, value in zip("ABCDEFG", values):
            ws[f"{col}{r}"] = value
    ws["A12"] = "注：1、括号内数字为各乡镇（街道）、园区位次。"
    ws["A13"] = "2、“—”“-”表示该单位未设置该项目标，不参与排名。"
    ws["A14"] = "3、实际利用外资按万美元统计。"
    for r in (12, 13, 14):
        ws.merge_cells(f"A{r}:G{r}")
    path = directory / "zhibiao_paiming_2024_1-11.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 12. .ods with 乡镇 / 街道 sections


def build_ods_sections(directory: pathlib.Path) -> pathlib.Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="一季度")
    table.addElement(TableColumn(numbercolumnsrepeated=6))

    def text_cell(value, span=None):
        kwargs = {"valuetype": "string"}
        if span:
            kwargs["numbercolumnsspanned"] = span
        cell = TableCell(**kwargs)
        cell.addElement(P(text=value))
        return cell

    def number_cell(value):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=f"{value:g}"))
        return cell

    def add_row(cells):
        row = TableRow()
        for c in cells:
            row.addElement(c)
        table.addElement(row)

    def spanned(value):
        return [text_cell(value, span=6)] + [CoveredTableCell() for _ in range(5)]

    add_row(spanned("2024年1-3月各乡镇、街道招商引资到位资金情况"))
    add_row([text_cell(h) for h in ["单位", "本月（万元）", "累计（万元）", "上年同期（万元）", "同比", "排名"]])
    add_row(spanned("乡镇"))
    # 累计 typed as text, some with stray spaces, as pasted from a WeChat message
    data_town = [
        ("城关镇", 560, " 1520.50", 1300, "17.0%", 2),
        ("河口镇", 210, "830.00 ", 1000, "-17.0%", 3),
        ("白沙乡", 0, "0", 0, "—", 4),
        ("高桥镇", 980, "2100.00", 1500, "40.0%", 1),
    ]
    data_street = [
        ("城东街道", 1200, "3350.00", 2500, "34.0%", 1),
        ("城西街道", 450, " 1620.00 ", 1800, "-10.0%", 2),
    ]
    for unit, month, ytd, prior, yoy, rank in data_town:
        add_row([text_cell(unit), number_cell(month), text_cell(ytd), number_cell(prior), text_cell(yoy),
                 number_cell(rank)])
    add_row(spanned("街道"))
    for unit, month, ytd, prior, yoy, rank in data_street:
        add_row([text_cell(unit), number_cell(month), text_cell(ytd), number_cell(prior), text_cell(yoy),
                 number_cell(rank)])
    add_row([text_cell("合计"), number_cell(3400), text_cell("9420.50"), number_cell(8100), text_cell("16.3%"),
             TableCell()])
    add_row(spanned("填表人：某某    审核人：某某    联系电话：0000-0000000"))
    doc.spreadsheet.addElement(table)
    path = directory / "daowei_2024_q1.ods"
    doc.save(str(path))
    return path


# ------------------------------------------- 13. 1904 dates, error cells, formulas


def build_ledger_1904_errors(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "项目台账"
    ws["A1"] = "2024年招商引资项目台账"
    ws.merge_cells("A1:J1")
    for col, name in zip("ABCDEFGHIJ", ["序号", "项目名称", "责任单位", "总投资", "签约日期", "开工日期",
                                         "本年到位资金（万元）", "以前年度到位（万元）", "累计到位资金（万元）",
                                         "资金到位率"]):
        ws[f"{col}2"] = name
    rows = [
        (3, 1, "智能装备制造项目", "经济开发区", "1.5亿元", dt.date(2024, 1, 18), dt.date(2024, 3, 2),
         2000, 0, 2000, 0.1333),
        (4, 2, "跨境电商物流中心项目", "城关镇", "5000万元", dt.date(2024, 2, 6), None, 800, 0, 800, "#DIV/0!"),
        (5, 3, "外资精密模具项目", "经济开发区", "500万美元", dt.date(2024, 3, 21), dt.date(2024, 5, 10),
         None, None, None, None),
        (6, 4, "生物质热电联产项目", "#N/A", "2.8亿元", dt.date(2023, 11, 30), dt.date(2024, 4, 15),
         5000, 3000, "=G6+H6", 0.2857),
        (7, 5, "文旅小镇项目", "河口镇", "xx亿元", dt.date(2024, 4, 2), None, 0, 0, 0, 0),
        (8, 6, "农产品电商直播基地项目", "城西街道", "3,200万元", dt.date(2024, 5, 28), dt.date(2024, 6, 18),
         600, 0, 600, 0.1875),
    ]
    for r, *values in rows:
        for col, value in zip("ABCDEFGHIJ", values):
            if value is None:
                continue
            cell = ws[f"{col}{r}"]
            cell.value = value
            if value in ("#DIV/0!", "#N/A"):
                cell.data_type = "e"
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if col == "J" and isinstance(value, float):
                cell.number_format = "0.0%"
    ws["B9"] = "合计"
    ws["G9"] = 8400
    ws["H9"] = 3000
    ws["I9"] = "=SUM(I3:I8)"
    path = directory / "xiangmu_taizhang_1904.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 14. one sheet per month


def build_monthly_sheets(directory: pathlib.Path) -> pathlib.Path:
    # (sheet, end month, rows: unit, 本月, 累计, 上年同期, 同比, 年度任务, 完成率, 排名; then 合计)
    sheets = [
        ("1月", "2024年1月招商引资实际到位资金月报表", "1月累计", [
            ("城关镇", 500, 500, 400, 25.0, 9000, 5.6, 3),
            ("河口镇", 300, 300, 300, 0.0, 6000, 5.0, 4),
            ("城西街道", 800, 800, 1000, -20.0, 10000, 8.0, 2),
            ("经济开发区", 2000, 2000, 1600, 25.0, 20000, 10.0, 1),
        ], (3600, 3600, 3300, 9.1, 45000, 8.0)),
        ("1-2月", "2024年1-2月招商引资实际到位资金月报表", "1-2月累计", [
            ("城关镇", 700, 1200, 1000, 20.0, 9000, 13.3, 2),
            ("河口镇", 400, 700, 500, 40.0, 6000, 11.7, 3),
            ("城西街道", 0, 800, 1000, -20.0, 10000, 8.0, 4),
            ("经济开发区", 2500, 4500, 3600, 25.0, 20000, 22.5, 1),
        ], (3600, 7200, 6100, 18.0, 45000, 16.0)),
        ("1-3月", "2024年1-3月招商引资实际到位资金月报表", "1-3月累计", [
            ("城关镇", 900, 2100, 1500, 40.0, 9000, 23.3, 2),
            ("河口镇", -100, 600, 800, -25.0, 6000, 10.0, 4),
            ("城西街道", 1500.5, 2300.5, 2000, 15.0, 10000, 23.0, 3),
            ("经济开发区", 3000, 7500, 6000, 25.0, 20000, 37.5, 1),
        ], (5300.5, 12500.5, 10300, 21.4, 45000, 27.8)),
    ]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, title, ytd_head, rows, total in sheets:
        ws = wb.create_sheet(name)
        ws["A1"] = title
        ws.merge_cells("A1:I1")
        ws["H2"] = "单位：万元"
        ws.merge_cells("H2:I2")
        for col, head in zip("ABCDEFGHI", ["序号", "单位", "本月", ytd_head, "上年同期", "同比(%)", "年度任务",
                                           "完成率(%)", "排名"]):
            ws[f"{col}3"] = head
        for i, row in enumerate(rows, start=1):
            r = i + 3
            ws[f"A{r}"] = i
            for col, value in zip("BCDEFGHI", row):
                ws[f"{col}{r}"] = value
        ws["A8"] = "合计"
        ws.merge_cells("A8:B8")
        for col, value in zip("CDEFGH", total):
            ws[f"{col}8"] = value
    path = directory / "yuebao_2024_1-3.xlsx"
    wb.save(path)
    return path


CASES = {
    "export_xls_registered": build_export_xls_registered,
    "export_xls_started": build_export_xls_started,
    "export_xls_producing": build_export_xls_producing,
    "push_table_hand": build_push_table_hand,
    "township_sheets": build_township_sheets,
    "township_sheets_mismatch": build_township_sheets_mismatch,
    "bulletin_sections": build_bulletin_sections,
    "platform_csv_gbk": build_platform_csv_gbk,
    "platform_csv_utf8bom": build_platform_csv_utf8bom,
    "target_progress": build_target_progress,
    "bulletin_rank_brackets": build_bulletin_rank_brackets,
    "ods_sections": build_ods_sections,
    "ledger_1904_errors": build_ledger_1904_errors,
    "monthly_sheets": build_monthly_sheets,
}


# =====================================================================
# Second, blind set (cases 15-22).  Layouts from other public sources;
# see README.md "Second set".  Appended; the cases above are unchanged.
# =====================================================================


def _xls_styles(xlwt):
    title = xlwt.easyxf("font: bold on, height 320; align: horiz center, vert center")
    plain = xlwt.easyxf("align: vert center")
    head = xlwt.easyxf(
        "font: bold on; align: horiz center, vert center, wrap on;"
        "borders: left thin, right thin, top thin, bottom thin"
    )
    body = xlwt.easyxf("align: vert center; borders: left thin, right thin, top thin, bottom thin")
    return title, plain, head, body


# ------------------------------------------- 15. 驻点招商项目信息采集表 (header on row 4)


_ZHUDIAN_HEAD = ["序号", "项目名称", "投资方", "固定资产投资", "投资方简介", "项目内容", "需用土地",
                 "企业联系人", "联系方式", "片区", "进度、备注", "产业类型", "研判结果"]

_ZHUDIAN = {
    "上海组": (
        "共上报在谈项目3个（新增1个），（其中产业项目2个，人才项目1个，地理信息项目0个，上海资5亿元以上项目1个",
        "2024-05-17",
        [
            ["新能源汽车电驱系统项目", "上海某动力科技有限公司", "5.5亿元", "电驱系统一级供应商", "年产30万套电驱总成",
             "100亩", "王某", "0000-0000000", "高新区", "已赴沪对接两次，企业拟5月底来县考察", "产业项目", "重点跟踪"],
            ["工业设计中心项目", "上海某设计有限公司", "8000万元", "工业设计服务", "设立区域工业设计中心",
             "租赁厂房", "赵某", "0000-0000000", "经济开发区", "洽谈中", "人才项目", "可行"],
            ["生物医药CDMO项目", "上海某医药科技股份有限公司", "约5000万", "医药研发外包", "建设CDMO生产线",
             "50亩", "孙某", "0000-0000000", "城关镇", "等待企业董事会决策", "产业项目", "重点跟踪"],
        ],
    ),
    "深圳组": (
        "共上报在谈项目4个（新增2个），（其中产业项目4个，人才项目0个，地理信息项目0个，上海资5亿元以上项目0个",
        "2024-05-17",
        [
            ["消费电子结构件项目", "深圳某精密制造有限公司", "3亿", "消费电子精密结构件", "年产1亿件结构件",
             "80亩", "周某", "0000-0000000", "高新区", "已完成项目初审", "产业项目", "重点跟踪"],
            ["跨境电商选品中心项目", "深圳某供应链管理有限公司", "２０００万元", "跨境电商供应链", "建设选品展示中心",
             "租赁楼宇", "吴某", "0000-0000000", "城西街道", "企业来县考察一次", "产业项目", "可行"],
            ["智能传感器项目", "深圳某传感技术有限公司", "1,500万元", "MEMS传感器", "传感器封装测试",
             "标准厂房", "郑某", "0000-0000000", "经济开发区", "洽谈合作方式", "产业项目", "待研判"],
            ["储能电池回收项目", "深圳某环保科技有限公司", "待定", "电池回收利用", "废旧储能电池拆解回收",
             "60亩", "冯某", "0000-0000000", "河口镇", "初步接触", "产业项目", "待研判"],
        ],
    ),
}


def build_zhudian_xls_header_row4(directory: pathlib.Path) -> pathlib.Path:
    """Laid out as ExportServiceImpl.getProjectInfo writes it (HSSF, one sheet per 片组)."""
    xlwt = _xlwt()
    title, plain, head, body = _xls_styles(xlwt)
    wb = xlwt.Workbook(encoding="utf-8")
    for group, (summary, filled_on, rows) in _ZHUDIAN.items():
        ws = wb.add_sheet(group)
        ws.write_merge(0, 0, 0, 12, "2024宁川县驻点招商项目信息采集表", title)
        ws.write_merge(1, 1, 0, 12, summary, plain)
        ws.write_merge(2, 2, 0, 12, f"所属片组：{group}    填报人：李某    联系电话：0000-0000000    填报时间：{filled_on}",
                       plain)
        for c, name in enumerate(_ZHUDIAN_HEAD):
            ws.write(3, c, name, head)
        for i, row in enumerate(rows):
            ws.write(4 + i, 0, i + 1, body)  # 序号 is the only number
            for c, value in enumerate(row, start=1):
                ws.write(4 + i, c, value, body)  # everything else .toString()
        n = len(rows)
        notes = [
            "备注：1.本表由各招商组组长（部长）认真审核后统一上报至招商科；",
            "        2.有新增项目或者项目有进度更新时都需要填写本报表，如无不需填写；",
            "        3.若项目一月内无进度更新，请说明并备注原因；",
            "        4.此报表每周五上午十点报送至商务局招商科，节假日顺延。",
        ]
        for k, note in enumerate(notes):
            ws.write_merge(4 + n + k, 4 + n + k, 0, 12, note, plain)
    path = directory / "zhudian_zhaoshang_xinxi_2024-05-17.xls"
    wb.save(str(path))
    return path


# ------------------------------------------- 16. 可望签约项目情况表 (合同 / 意向 / 汇总 / empty 新接洽)


_FAIR_DETAIL_HEAD = ["序号", "项目名称", "建设内容和规模", "中方", "外方", "国别地区", "合作方式",
                     "投资总额", "合同外资", "签约种类"]


def build_fair_contract_intent_xls(directory: pathlib.Path) -> pathlib.Path:
    """Laid out as FetProjectServiceImpl.exportFairPorjects fills 可望签约项目情况表.template.xls."""
    xlwt = _xlwt()
    title, plain, head, body = _xls_styles(xlwt)
    wb = xlwt.Workbook(encoding="utf-8")
    fair = "活动名称：2024年宁川县外资招商专场推介会"
    sheets = [
        ("签约合同项目明细表", "2024年宁川县外资招商专场推介会签约合同项目明细表", [
            ["高端轴承合资项目", "年产300万套精密轴承", "宁川某轴承有限公司", "德国某工业集团", "德国", "合资",
             3500, 1500, "正式合同"],
            ["冷链食品加工项目", "年加工冷冻食品2万吨", "宁川某食品有限公司", "香港某投资有限公司", "中国香港", "独资",
             1200, 1200, "正式合同"],
            ["光学膜材料项目", "年产光学膜5000万平方米", "", "新加坡某材料私人有限公司", "新加坡", "独资",
             2800, 2800, "正式合同"],
        ]),
        ("意向项目明细表", "2024年宁川县外资招商专场推介会意向项目明细表", [
            ["智慧农业装备项目", "年产智能农机2000台", "宁川某农机有限公司", "日本某株式会社", "日本", "合资",
             800, 400, "投资意向"],
            ["跨境物流分拨中心项目", "建设保税物流分拨中心", "宁川某物流有限公司", "台湾某物流股份有限公司", "中国台湾",
             "合作", 1500, 600, "投资意向"],
        ]),
    ]
    for name, sheet_title, rows in sheets:
        ws = wb.add_sheet(name)
        ws.write_merge(0, 0, 0, 9, sheet_title, title)
        ws.write_merge(1, 1, 0, 6, fair, plain)
        ws.write_merge(1, 1, 7, 9, "单位：万美元", plain)
        for c, h in enumerate(_FAIR_DETAIL_HEAD):  # header cells merged over rows 3-4
            ws.write_merge(2, 3, c, c, h, head)
        for i, row in enumerate(rows):  # TOP_ROWS = 4: data from the 5th row
            ws.write(4 + i, 0, i + 1, body)
            for c, value in enumerate(row, start=1):
                ws.write(4 + i, c, value, body)

    ws = wb.add_sheet("签约项目汇总表")
    ws.write_merge(0, 0, 0, 15, "2024年宁川县外资招商专场推介会签约项目汇总表", title)
    ws.write_merge(1, 1, 0, 10, fair, plain)
    ws.write_merge(1, 1, 11, 15, "单位：个、万美元", plain)
    ws.write_merge(2, 4, 0, 0, "县别", head)
    for first, block in [(1, "总签约情况"), (6, "合同项目"), (11, "意向项目")]:
        ws.write_merge(2, 2, first, first + 4, block, head)
        for k, sub in enumerate(["目标任务", "项目数", "总投资", "拟利用外资", "占目标任务%"]):
            ws.write_merge(3, 4, first + k, first + k, sub, head)
    pct = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin", num_format_str="0%")
    # 县别 | total: task, n, invest, foreign, n/task | contract: ... | intent: ...
    # (占目标任务% is the code's integer division n/task, 0 when task is 0)
    summary = [
        ("经济开发区", 2, 2, 5000, 2100, 1, 1, 1, 3500, 1500, 1, 1, 1, 1500, 600, 1),
        ("高新区", 1, 1, 2800, 2800, 1, 1, 1, 2800, 2800, 1, 0, 0, 0, 0, 0),
        ("城关镇", 2, 2, 2000, 1600, 1, 1, 1, 1200, 1200, 1, 1, 1, 800, 400, 1),
        ("合计", 5, 5, 9800, 6500, 1, 3, 3, 7500, 5500, 1, 2, 2, 2300, 1000, 1),
    ]
    for r, values in enumerate(summary, start=5):  # TOP_ROWS = 5
        for c, value in enumerate(values):
            ws.write(r, c, value, pct if c in (5, 10, 15) else body)

    ws = wb.add_sheet("新接洽项目情况表")  # left blank by the county: title and header only
    ws.write_merge(0, 0, 0, 9, "2024年宁川县外资招商专场推介会（期间）新接洽项目情况表", title)
    ws.write_merge(1, 1, 7, 9, "单位：万美元", plain)
    for c, h in enumerate(["序号", "项目名称", "拟建设内容和规模", "中方", "外方", "投资方式", "投资总额",
                           "拟利用外资", "成果类别", "对接洽谈情况"]):
        ws.write(2, c, h, head)
    path = directory / "kewang_qianyue_xiangmu_qingkuang.xls"
    wb.save(str(path))
    return path


# ------------------------------------------- 17. 招商项目汇总表: 行业 sections, mixed-currency subtotals


def build_industry_sections_currency(directory: pathlib.Path) -> pathlib.Path:
    """Laid out as InvestmentProjectServiceImpl.writeProjectReport fills 招商项目汇总表.xls."""
    xlwt = _xlwt()
    title, _plain, head, body = _xls_styles(xlwt)
    bold = xlwt.easyxf("font: bold on; borders: left thin, right thin, top thin, bottom thin")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("招商项目汇总表")
    ws.write_merge(0, 0, 0, 7, "2024年招商项目汇总表", title)
    for c, h in enumerate(["序号", "项目名称", "所在区域", "投资方", "利用外资方式", "币种", "投资总额", "项目数"]):
        ws.write(1, c, h, head)
    # (序号, 名称, 区域, 投资方, 方式, 币种, 投资总额 text, 项目数, style)
    rows = [
        ("一", "先进制造业", "", "", "", "", "37000万元、1200万美元", 4, bold),
        ("一", "装备制造", "", "", "", "", "25000万元、1200万美元", 3, bold),
        ("1", "数控机床整机项目", "经济开发区", "浙江某机床有限公司", "", "人民币", "15000万元", "", body),
        ("2", "液压件合资项目", "经济开发区", "德国某液压技术有限公司", "合资", "美元", "1200万美元", "", body),
        ("3", "农机装备项目", "城关镇", "山东某农机有限公司", "", "人民币", "10000万元", "", body),
        ("二", "新材料", "", "", "", "", "12000万元", 1, bold),
        ("1", "石墨烯导热膜项目", "高新区", "江苏某新材料有限公司", "", "人民币", "12000万元", "", body),
        ("二", "现代服务业", "", "", "", "", "8500.5万元、300万美元", 2, bold),
        ("1", "冷链物流园项目", "河口镇", "某物流集团有限公司", "", "人民币", "8500.5万元", "", body),
        ("2", "外资养老服务项目", "城西街道", "香港某健康管理有限公司", "独资", "美元", "300万美元", "", body),
    ]
    for r, (*values, style) in enumerate(rows, start=2):
        for c, value in enumerate(values):
            ws.write(r, c, value, style)
    path = directory / "zhaoshang_xiangmu_huizongbiao.xls"
    wb.save(str(path))
    return path


# ------------------------------------------- 18. 通报: 园区 ranked apart, repeated header, 全县合计 last, 其中 row


def build_bulletin_parks_total_last(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-9月"
    header = ["序号", "单位", "1-9月累计", "上年同期", "同比(%)", "年度任务", "完成率(%)", "排名"]
    ws["A1"] = "2024年1-9月各乡镇（街道）、园区招商引资实际到位资金完成情况"
    ws.merge_cells("A1:H1")
    ws["G2"] = "单位：万元"
    ws.merge_cells("G2:H2")
    for col, h in zip("ABCDEFGH", header):
        ws[f"{col}3"] = h
    ws["A4"] = "乡镇（街道）"
    ws.merge_cells("A4:H4")
    towns = [
        (1, "城关镇", 6200, 5000, 24.0, 8000, 77.5, 1),
        (2, "河口镇", 3100, 3400, -8.8, 5000, 62.0, 3),
        (3, "青山镇", 4800, 4000, 20.0, 7000, 68.6, 2),
        (4, "白沙乡", 900, 1000, -10.0, 2000, 45.0, 4),
    ]
    for r, values in enumerate(towns, start=5):
        for col, v in zip("ABCDEFGH", values):
            ws[f"{col}{r}"] = v
    ws["A9"] = "园区"
    ws.merge_cells("A9:H9")
    for col, h in zip("ABCDEFGH", header):  # the parks' table keeps its own header
        ws[f"{col}10"] = h
    parks = [
        (1, "经济开发区", 25600, 21000, 21.9, 32000, 80.0, 1),
        (2, "高新区", 9800, 10500, -6.7, 15000, 65.3, 2),
    ]
    for r, values in enumerate(parks, start=11):
        for col, v in zip("ABCDEFGH", values):
            ws[f"{col}{r}"] = v
    ws["A13"] = "全县合计"
    ws.merge_cells("A13:B13")
    for col, v in zip("CDEFG", [50400, 44900, 12.2, 69000, 73.0]):
        ws[f"{col}13"] = v
    ws["A14"] = "其中：省外资金"
    ws.merge_cells("A14:B14")
    for col, v in zip("CDEFG", [31500, 28000, 12.5, 45000, 70.0]):
        ws[f"{col}14"] = v
    ws["A15"] = "注：排名按完成率在同类单位中排序，园区单独排名。"
    ws.merge_cells("A15:H15")
    path = directory / "tongbao_2024_1-9_yuanqu.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 19. 签约项目台账, 1904 system, dates as BARE serials, stray cells


def build_ledger_bare_serials_1904(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "签约项目台账"
    ws["A1"] = "2024年签约项目台账"
    ws.merge_cells("A1:J1")
    ws["A2"] = "金额单位：万元"
    for col, h in zip("ABCDEFGHIJ", ["序号", "项目名称", "企业名称", "投资方", "所属乡镇", "投资总额（万元）",
                                      "签约日期", "开工日期", "投产日期", "项目进展"]):
        ws[f"{col}3"] = h
    # dates are plain numbers (General format) counted on the 1904 epoch: 43848 = 2024-01-19
    rows = [
        (1, "年产5万吨再生铝项目", "宁川某再生资源有限公司", "浙江某铝业集团有限公司", "经济开发区", 32000,
         43848, 43897, None, "主体施工"),
        (2, "预制菜加工项目", "宁川某食品科技有限公司", "福建某食品有限公司", "城关镇", 6500,
         43826, 43886, 44011, "已投产"),
        (3, "户用光伏组件项目", "宁川某光能有限公司", "江苏某光伏科技股份有限公司", "河口镇", 15000,
         43932, None, None, "办理土地手续"),
        (4, "竹制品深加工项目", "宁川某竹业有限公司", "浙江某竹木有限公司", "青山镇", 3800,
         43956, 44026, None, "设备安装"),
        (5, "汽车检测中心项目", "宁川某检测技术有限公司", "安徽某检测集团有限公司", "城西街道", 2200,
         44001, None, None, "前期工作"),
    ]
    for r, values in enumerate(rows, start=4):
        for col, v in zip("ABCDEFGHIJ", values):
            if v is not None:
                ws[f"{col}{r}"] = v  # ints stay General: no date format on G/H/I
    ws["B9"] = "合计"
    ws["F9"] = 59500
    ws["AZ300"] = "此列勿删"  # a note typed far to the right and far below
    ws["Z5000"] = " "  # a single space typed by accident: the used range runs to Z5000
    path = directory / "qianyue_taizhang_1904_serials.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 20. .xlsm, 企业名称 + 投资方, 元, header on row 6, hidden column


def _as_xlsm(path: pathlib.Path) -> None:
    """Give an openpyxl-written workbook the macro-enabled main content type (a .xlsm with no macros)."""
    import shutil
    import tempfile
    import zipfile

    tmp = pathlib.Path(tempfile.mkdtemp()) / path.name
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dst.writestr(item, data)
    shutil.move(str(tmp), str(path))


def build_ledger_yuan_xlsm(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签约项目"
    ws["A1"] = "2024年上半年招商引资签约项目台账"
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位：县投资促进中心"
    ws["A3"] = "金额单位：元"
    ws["A4"] = "统计时间：2024年6月30日"
    for col, h in zip("ABCDEFGHI", ["序号", "企业名称", "投资方", "项目名称", "责任单位", "协议投资额（元）",
                                     "签约日期", "实际到位资金（元）", "项目进展"]):
        ws[f"{col}6"] = h
    rows = [
        (1, "宁川某新材料有限公司", "江西某新材料集团有限公司", "高性能复合材料项目", "经济开发区", 150000000,
         dt.date(2024, 1, 26), 30000000, "在建"),
        (2, "宁川某农业发展有限公司", "四川某农业科技有限公司", "高标准茶园及加工项目", "白沙乡", 23456000,
         dt.date(2024, 3, 15), 5000000, "在建"),
        (3, "宁川某文化旅游有限公司", "湖北某文旅集团有限公司", "古镇文旅综合开发项目", "河口镇", 520000000,
         dt.date(2024, 4, 30), 0, "规划设计"),
        (4, "宁川某电子有限公司", "广东某电子股份有限公司", "柔性电路板项目", "高新区", 88000000,
         dt.date(2024, 5, 22), 12500000, "在建"),
        (5, "宁川某医疗器械有限公司", "上海某医疗科技有限公司", "医用敷料生产项目", "城关镇", 36000000,
         dt.date(2024, 6, 18), None, "已签约"),
    ]
    for r, values in enumerate(rows, start=7):
        for col, v in zip("ABCDEFGHI", values):
            if v is None:
                continue
            ws[f"{col}{r}"] = v
            if col in "FH":
                ws[f"{col}{r}"].number_format = "#,##0.00"
            if col == "G":
                ws[f"{col}{r}"].number_format = "yyyy\"年\"m\"月\"d\"日\""
    ws["A12"] = "合计"
    ws.merge_cells("A12:E12")
    ws["F12"] = 817456000
    ws["H12"] = 47500000
    ws["F12"].number_format = ws["H12"].number_format = "#,##0.00"
    ws["A14"] = "注：本表金额单位为元，请勿填写万元。"
    ws.merge_cells("A14:I14")
    ws.column_dimensions["G"].hidden = True  # 签约日期 hidden before printing; real data
    path = directory / "qianyue_xiangmu_2024H1.xlsm"
    wb.save(path)
    _as_xlsm(path)
    return path


# ------------------------------------------- 21. period only in the file name, 同比 as arrow text


def build_monthly_period_in_filename(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "招商引资月报表"
    ws.merge_cells("A1:H1")
    ws["G2"] = "单位：万元"
    ws.merge_cells("G2:H2")
    for col, h in zip("ABCDEFGH", ["序号", "单位", "本月", "累计", "上年同期", "同比", "年度任务", "完成率"]):
        ws[f"{col}3"] = h
    rows = [
        (1, "城关镇", 800, 2250, 2000, "↑12.5%", 9000, "25.0%"),
        (2, "河口镇", 300, 1210, 1250, "↓3.2%", 6000, "20.2%"),
        (3, "城西街道", 0, 1500, 1550, "-3.2%", 8000, "18.8%"),
        (4, "青山镇", 450, 900, 900, "0.0%", 3000, "30.0%"),
        (5, "白沙乡", 120, 360, 0, "—", 2000, "18.0%"),
        ("合计", None, 1670, 6220, 5700, "↑9.1%", 28000, "22.2%"),
    ]
    for r, values in enumerate(rows, start=4):
        for col, v in zip("ABCDEFGH", values):
            if v is not None:
                ws[f"{col}{r}"] = v
    ws.merge_cells("A9:B9")
    path = directory / "招商引资月报表（2024年1-3月）.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 22. tab-separated .txt in GB18030


def build_platform_txt_tab_gb18030(directory: pathlib.Path) -> pathlib.Path:
    lines = [
        ["2024年1-7月招商引资省外境内到位资金完成情况"],
        ["序号", "单位", "本月（万元）", "1-7月累计（亿元）", "上年同期（亿元）", "同比（%）", "年度任务（亿元）",
         "完成率（%）", "排名"],
        ["1", "城关镇", "650", "2.86", "2.50", "14.4", "5.00", "57.2", "2"],
        ["2", "㮾梨街道", "900", "3.42", "3.00", "14.0", "5.50", "62.2", "1"],
        ["3", "河口镇", "0", "1.18", "1.40", "-15.7", "3.00", "39.3", "4"],
        ["4", "高桥镇", "310", "1.65", "1.20", "37.5", "3.50", "47.1", "3"],
        ["", "合计", "1860", "9.11", "8.10", "12.5", "17.00", "53.6", ""],
        ["数据来源：县招商引资统计平台"],
    ]
    path = directory / "shengwai_daowei_2024_1-7.txt"
    text = "".join("\t".join(line) + "\r\n" for line in lines)
    path.write_bytes(text.encode("gb18030"))  # 㮾 (U+3BBE) is not in GBK: four bytes in GB18030
    return path


CASES.update({
    "zhudian_xls_header_row4": build_zhudian_xls_header_row4,
    "fair_contract_intent_xls": build_fair_contract_intent_xls,
    "industry_sections_currency": build_industry_sections_currency,
    "bulletin_parks_total_last": build_bulletin_parks_total_last,
    "ledger_bare_serials_1904": build_ledger_bare_serials_1904,
    "ledger_yuan_xlsm": build_ledger_yuan_xlsm,
    "monthly_period_in_filename": build_monthly_period_in_filename,
    "platform_txt_tab_gb18030": build_platform_txt_tab_gb18030,
})


# =====================================================================
# Third, blind set (cases 23-30).  Layouts from further public sources;
# see README.md "Third set".  Appended; the cases above are unchanged.
# =====================================================================


# ------------------------------------------- 23. EasyExcel export: String fields -> text numbers, WPS quote prefix


def build_easyexcel_text_numbers(directory: pathlib.Path) -> pathlib.Path:
    """Laid out as an EasyExcel export of an entity whose amounts are ``String`` fields (OutQyldExcel)."""
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签约落地"
    header = ["项目名称", "新公司名称", "统一社会信用代码", "行业大类", "投资方名称", "投资总额（万元)",
              "当月实际到位额（万元）", "企业类型", "省、直辖市、自治区", "市、自治州", "项目类别", "落地时间",
              "是否500强", "注册资本（万元)", "是否为已签约项目", "上报部门", "填报人", "联系电话"]
    for c, h in enumerate(header, start=1):
        cell = ws.cell(row=1, column=c, value=h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 30  # @HeadRowHeight(40) in points is close enough
    rows = [
        ["高端装备零部件项目", "宁川某装备科技有限公司", "91000000MA00000011", "制造业", "江苏某装备集团有限公司",
         "25000", "3000", "有限责任公司", "江苏省", "苏州市", "工业", dt.date(2024, 3, 12), "否", "5000", "是",
         "经济开发区", "李某", "0000-0000000"],
        ["预制菜中央厨房项目", "宁川某食品有限公司", "91000000MA00000022", "农副食品加工业", "浙江某餐饮管理有限公司",
         "8000.5", "0", "有限责任公司", "浙江省", "杭州市", "工业", dt.date(2024, 4, 2), "否", "1000", "是",
         "城关镇", "王某", "0000-0000000"],
        ["数据标注基地项目", "宁川某数据科技有限公司", "91000000MA00000033", "信息传输、软件和信息技术服务业",
         "北京某科技股份有限公司", "12000", "1500.25", "股份有限公司", "北京市", "北京市", "服务业",
         dt.date(2024, 5, 20), "是", "2000", "是", "城西街道", "赵某", "0000-0000000"],
        ["冷链仓储物流项目", "宁川某冷链物流有限公司", "91000000MA00000044", "交通运输、仓储和邮政业",
         "山东某物流集团有限公司", "6600 ", "", "有限责任公司", "山东省", "临沂市", "服务业", dt.date(2024, 6, 18),
         "否", "800", "是", "河口镇", "孙某", "0000-0000000"],
        ["光伏支架制造项目", "", "", "制造业", "安徽某新能源有限公司", "15000", "", "", "安徽省", "合肥市", "工业",
         None, "否", "", "否", "经济开发区", "李某", "0000-0000000"],
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue  # EasyExcel leaves null fields as absent cells
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy/mm/dd"  # @DateTimeFormat("yyyy/MM/dd")
            else:
                cell.number_format = "@"
                if c in (3, 6, 7, 14):  # re-saved in WPS: 文本型数字 carry the apostrophe prefix
                    cell.quotePrefix = True
    for c in range(1, len(header) + 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 25
    path = directory / "内资签约落地_export_1720406400000.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 24. 月调度表: two rows per project, merged vertically


def build_dispatch_two_row_pairs(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "5月"
    ws["A1"] = "2024年重点招商项目月调度表（5月）"
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位：县招商服务中心          金额单位：万元          调度时间：2024年5月31日"
    ws.merge_cells("A2:I2")
    for col, h in zip("ABCDEFGHI", ["序号", "责任单位", "项目名称", "投资方", "总投资（万元）", "签约时间",
                                     "开工时间", "累计到位资金（万元）", "包联领导"]):
        ws[f"{col}3"] = h
    pairs = [
        (4, 1, "年产10万套汽车座椅项目", "浙江某汽车部件有限公司", 36000, dt.date(2024, 1, 16), dt.date(2024, 4, 8),
         9000, "李某", "进展情况：厂房钢结构吊装完成60%。存在问题：高压线迁改未完成。"),
        (6, 2, "锂电池隔膜项目", "江西某新材料有限公司", 52000, dt.date(2024, 2, 27), None, 3000, "王某",
         "进展情况：完成土地摘牌，正在办理施工许可。存在问题：无。"),
        (8, 3, "农产品冷链物流园项目", "湖南某物流有限公司", 9500, dt.date(2023, 12, 20), dt.date(2024, 3, 15),
         4200, "赵某", "进展情况：冷库主体完工，设备进场。存在问题：需协调双回路供电。"),
        (10, 4, "生态渔业综合体项目", "广东某农业发展有限公司", 6800, dt.date(2024, 3, 30), None, 0, "赵某",
         "进展情况：流转水面800亩，规划设计中。存在问题：投资方首笔资金未到位。"),
        (12, 5, "区域数字服务中心项目", "上海某信息技术有限公司", 12000, dt.date(2024, 5, 10), None, 1500, "周某",
         "进展情况：租赁楼宇装修。存在问题：无。"),
    ]
    for r, seq, name, investor, invest, signed, started, funds, leader, progress in pairs:
        ws[f"A{r}"] = seq
        ws.merge_cells(f"A{r}:A{r + 1}")
        ws[f"C{r}"] = name
        ws[f"D{r}"] = investor
        ws[f"E{r}"] = invest
        ws[f"F{r}"] = signed
        ws[f"F{r}"].number_format = "yyyy-mm-dd"
        if started is not None:
            ws[f"G{r}"] = started
            ws[f"G{r}"].number_format = "yyyy-mm-dd"
        ws[f"H{r}"] = funds
        ws[f"I{r}"] = leader
        ws.merge_cells(f"I{r}:I{r + 1}")
        ws[f"C{r + 1}"] = progress  # the pair's second row: 进展 line merged over C:H
        ws.merge_cells(f"C{r + 1}:H{r + 1}")
    ws["B4"] = "经济开发区"
    ws.merge_cells("B4:B7")
    ws["B8"] = "城关镇"
    ws.merge_cells("B8:B9")
    ws["B10"] = "河口镇"
    ws.merge_cells("B10:B11")
    ws["B12"] = "城西街道"
    ws.merge_cells("B12:B13")
    ws["A14"] = "合计"
    ws.merge_cells("A14:D14")
    ws["E14"] = 116300
    ws["H14"] = 17700
    path = directory / "zhongdian_diaodu_2024_05.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 25. 利用外资情况表: 合同外资 / 实际使用外资 in 万美元


def build_fdi_monthly_usd(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-6月"
    ws["A1"] = "2024年1-6月各乡镇（街道）、园区利用外资情况表"
    ws.merge_cells("A1:L1")
    ws["J2"] = "单位：万美元、家"
    ws.merge_cells("J2:L2")
    for col, h in [("A", "序号"), ("B", "单位"), ("C", "新设外资企业（家）")]:
        ws[f"{col}3"] = h
        ws.merge_cells(f"{col}3:{col}4")
    ws["D3"] = "合同外资"
    ws.merge_cells("D3:F3")
    ws["G3"] = "实际使用外资"
    ws.merge_cells("G3:L3")
    for col, h in zip("DEFGHIJKL", ["本月", "1-6月累计", "同比(%)", "本月", "1-6月累计", "上年同期", "同比(%)",
                                     "年度任务", "完成率(%)"]):
        ws[f"{col}4"] = h
    rows = [
        (5, 1, "经济开发区", 3, 850, 4200, 20.0, 620, 2680, 2300, 16.5, 5000, 53.6),
        (6, 2, "高新区", 1, 0, 1500, -25.0, 200, 1150, 1000, 15.0, 2500, 46.0),
        (7, 3, "城关镇", 0, 0, 300, "—", 0, 180, 0, "—", 500, 36.0),
        (8, 4, "城西街道", 1, 120, 620, 55.0, 50, 260, 400, -35.0, 800, 32.5),
        (9, 5, "河口镇", 0, 0, 0, "—", 0, 0, 150, -100.0, 300, 0.0),
        (10, "合计", None, 5, 970, 6620, 12.2, 870, 4270, 3850, 10.9, 9100, 46.9),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFGHIJKL", values):
            if v is not None:
                ws[f"{col}{r}"] = v
    ws.merge_cells("A10:B10")
    ws["A11"] = "注：合同外资、实际使用外资均以万美元计，数据来源于商务部外资统计系统；“—”表示上年同期为零。"
    ws.merge_cells("A11:L11")
    path = directory / "liyong_waizi_2024_1-6.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 26. 目标任务分解表: 全年 + 一季度…四季度 under a merged header


def build_task_quarters(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws["A1"] = "2024年各乡镇（街道）、园区招商引资目标任务分解表"
    ws.merge_cells("A1:J1")
    ws["H2"] = "单位：亿元、个"
    ws.merge_cells("H2:J2")
    for col, h in [("A", "序号"), ("B", "单位"), ("J", "备注")]:
        ws[f"{col}3"] = h
        ws.merge_cells(f"{col}3:{col}4")
    ws["C3"] = "实际到位资金（亿元）"
    ws.merge_cells("C3:G3")
    ws["H3"] = "新签约亿元以上项目（个）"
    ws.merge_cells("H3:I3")
    for col, h in zip("CDEFGHI", ["全年任务", "一季度", "二季度", "三季度", "四季度", "全年", "其中上半年"]):
        ws[f"{col}4"] = h
    rows = [
        (5, 1, "城关镇", 5, 0.8, 1.2, 1.5, 1.5, 3, 2, None),
        (6, 2, "河口镇", 3, 0.5, 0.8, 0.8, 0.9, 2, 1, None),
        (7, 3, "城西街道", 6, 1.0, 1.5, 1.5, 2.0, 4, 2, None),
        (8, 4, "白沙乡", 1, 0.1, 0.2, 0.3, 0.3, 1, 0, "山区乡，任务酌减"),
        (9, 5, "经济开发区", 15, 3.0, 4.0, 4.0, 4.0, 8, 4, None),
        (10, "合计", None, 30, 5.4, 7.7, 8.1, 8.7, 18, 9, None),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFGHIJ", values):
            if v is not None:
                ws[f"{col}{r}"] = v
        for col in "CDEFG":
            ws[f"{col}{r}"].number_format = "0.0"
    ws.merge_cells("A10:B10")
    ws["A11"] = "注：各季度任务为当季应完成数，全年任务为四个季度之和。"
    ws.merge_cells("A11:J11")
    path = directory / "renwu_fenjie_2024.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 27. CSV with 1-1 / 1-2 sub-projects, quoted thousands, trailing 合计


def build_csv_subprojects(directory: pathlib.Path) -> pathlib.Path:
    lines = [
        ["2024年签约项目明细（含分期子项目）"],
        ["序号", "项目名称", "投资方", "所在乡镇", "协议投资额（万元）", "本年到位资金（万元）", "签约日期", "备注"],
        ["1", "宁川新能源装备产业园项目", "江苏某能源集团有限公司", "经济开发区", "68,000.00", "12,500.00", "2024/1/18", "分两期"],
        ["1-1", "新能源装备产业园一期（风电塔筒）", "江苏某能源集团有限公司", "经济开发区", "40,000.00", "10,000.00",
         "2024/1/18", ""],
        ["1-2", "新能源装备产业园二期（风电叶片）", "江苏某能源集团有限公司", "经济开发区", "28,000.00", "2,500.00",
         "2024/1/18", ""],
        ["2", "城关镇农文旅综合体项目", "湖南某文旅有限公司", "城关镇", "9,800.50", "1,200.00", "2024/3/6", ""],
        ["3", "河口镇绿色建材产业项目", "福建某建材有限公司", "河口镇", "15,600.00", "3,000.00", "2024/4/22", "分三个子项目"],
        ["3-1", "装配式构件生产线", "福建某建材有限公司", "河口镇", "8,000.00", "2,000.00", "2024/4/22", ""],
        ["3-2", "商品混凝土搅拌站", "福建某建材有限公司", "河口镇", "4,600.00", "1,000.00", "2024/4/22", ""],
        ["3-3", "砂石骨料加工", "福建某建材有限公司", "河口镇", "3,000.00", "0.00", "2024/6/3", ""],
        ["4", "城西街道跨境电商服务中心项目", "广东某电商有限公司", "城西街道", "1,250.00", "", "2024/5/30", ""],
        ["", "合计", "", "", "94,650.50", "16,700.00", "", ""],
        ["注：序号1-1、1-2等为分期（子）项目，合计不重复计算子项目。"],
    ]
    path = directory / "qianyue_mingxi_fenqi_2024.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:  # plain UTF-8, no BOM
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(lines)
    return path


# ------------------------------------------- 28. 考核通报: 第N名 / 并列, 增长/下降 words, page header repeated


_SCORE_UNITS = [
    # 单位, 1-9月到位, 上年同期, 同比 text, 年度任务, 完成率 text, 得分, 排名 text
    ("城关镇", 9850, 8200, "增长20.1%", 15000, "65.7%", 96.5, "第2名"),
    ("河口镇", 4210, 4350, "下降3.2%", 8000, "52.6%", 88.0, "并列第10名"),
    ("城西街道", 12600, 10500, "增长20.0%", 18000, "70.0%", 97.0, "第1名"),
    ("城东街道", 11020, 11020, "持平", 16000, "68.9%", 93.5, "第5名"),
    ("青山镇", 3350, 2800, "增长19.6%", 6000, "55.8%", 90.0, "第9名"),
    ("白沙乡", 860, 0, "—", 2000, "43.0%", 78.5, "第21名"),
    ("高桥镇", 2950, 3100, "下降4.8%", 6000, "49.2%", 85.0, "第14名"),
    ("黄坪镇", 2480, 2000, "增长24.0%", 5000, "49.6%", 88.0, "并列第10名"),
    ("柳溪镇", 1720, 1800, "下降4.4%", 4000, "43.0%", 80.5, "第19名"),
    ("石门镇", 3900, 3000, "增长30.0%", 6000, "65.0%", 92.0, "第6名"),
    ("长岭乡", 640, 800, "下降20.0%", 1500, "42.7%", 76.0, "第22名"),
    ("新塘镇", 5120, 4000, "增长28.0%", 8000, "64.0%", 94.0, "第4名"),
    ("枫林镇", 2210, 2600, "下降15.0%", 5000, "44.2%", 79.0, "第20名"),
    ("古城镇", 3060, 2550, "增长20.0%", 5000, "61.2%", 91.0, "第7名"),
    ("双河乡", 950, 1000, "下降5.0%", 2000, "47.5%", 82.0, "第17名"),
    ("东山镇", 4480, 4000, "增长12.0%", 7000, "64.0%", 90.5, "第8名"),
    ("西岭镇", 1380, 1500, "下降8.0%", 3000, "46.0%", 81.0, "第18名"),
    # ---- page 2
    ("南湖街道", 7850, 6000, "增长30.8%", 10000, "78.5%", 95.0, "第3名"),
    ("北塘街道", 6020, 6500, "下降7.4%", 10000, "60.2%", 86.5, "第13名"),
    ("龙泉镇", 2640, 2200, "增长20.0%", 5000, "52.8%", 87.0, "第12名"),
    ("桃源乡", 1110, 900, "增长23.3%", 2000, "55.5%", 84.0, "第15名"),
    ("大坪镇", 1900, 2000, "下降5.0%", 4000, "47.5%", 83.0, "第16名"),
]


def build_score_rank_pages(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-9月考核"
    header = ["序号", "单位", "1-9月到位资金", "上年同期", "同比", "年度任务", "完成率", "考核得分", "排名"]
    title = "2024年1-9月各乡镇（街道）招商引资工作考核情况通报表"

    def put_header(r):
        for col, h in zip("ABCDEFGHI", header):
            ws[f"{col}{r}"] = h

    ws["A1"] = title
    ws.merge_cells("A1:I1")
    ws["H2"] = "单位：万元"
    ws.merge_cells("H2:I2")
    put_header(3)
    # printed page 1 = rows 1-20 (17 units on rows 4-20); page 2 starts on row 21 with the title and header again
    r = 4
    for i, row in enumerate(_SCORE_UNITS, start=1):
        if i == 18:
            ws["A21"] = title + "（续表）"
            ws.merge_cells("A21:I21")
            put_header(22)
            r = 23
        ws[f"A{r}"] = i
        for col, v in zip("BCDEFGHI", row):
            ws[f"{col}{r}"] = v
        r += 1
    ws[f"A{r}"] = "合计"  # row 28
    ws.merge_cells(f"A{r}:B{r}")
    for col, v in zip("CDEFG", [90300, 80820, "增长11.7%", 148500, "60.8%"]):
        ws[f"{col}{r}"] = v
    ws[f"A{r + 1}"] = "注：考核得分按《2024年度招商引资工作考核办法》计算，得分相同者并列，名次顺延。"
    ws.merge_cells(f"A{r + 1}:I{r + 1}")
    ws.print_title_rows = "3:3"
    ws.row_breaks.append(openpyxl.worksheet.pagebreak.Break(id=20))
    path = directory / "kaohe_tongbao_2024_1-9.xlsx"
    wb.save(path)
    return path


CASES.update({
    "easyexcel_text_numbers": build_easyexcel_text_numbers,
    "dispatch_two_row_pairs": build_dispatch_two_row_pairs,
    "fdi_monthly_usd": build_fdi_monthly_usd,
    "task_quarters": build_task_quarters,
    "csv_subprojects": build_csv_subprojects,
    "score_rank_pages": build_score_rank_pages,
})


# ------------------------------------------- 29. EasyExcel 外资 export: 投资总额（万元） beside 合同外资额（万美元）


def build_easyexcel_fdi_two_currencies(directory: pathlib.Path) -> pathlib.Path:
    """Laid out as an EasyExcel export of YzOutQyldExcel (外资签约落地导出数据表单实体类)."""
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "外资签约落地"
    header = ["项目名称", "企业类型", "行业大类", "外方投资方", "中方投资方", "投资国别", "其他国别", "投资总额（万元）",
              "注册资本（万元)", "合同外资额（万美元）", "项目简介", "落地时间", "是否为世界500强投资", "推进部门", "填报人",
              "联系电话"]
    for c, h in enumerate(header, start=1):
        ws.cell(row=1, column=c, value=h).font = Font(bold=True)
    rows = [
        ["精密轴承合资项目", "中外合资", "制造业", "德国某工业集团", "宁川某轴承有限公司", "德国", "", "21000",
         "8000", "1500", "年产300万套精密轴承", "2024/02/26", "是", "经济开发区", "李某", "0000-0000000"],
        ["冷冻食品加工项目", "外商独资", "制造业", "香港某投资有限公司", "", "中国香港", "", "8400", "3000",
         "1200", "年加工冷冻食品2万吨", "2024/04/15", "否", "城关镇", "王某", "0000-0000000"],
        ["跨境物流分拨中心项目", "中外合作", "交通运输、仓储和邮政业", "新加坡某物流私人有限公司", "宁川某物流有限公司",
         "新加坡", "马来西亚", "10500.5", "2000", "600", "建设保税物流分拨中心", "2024/06/03", "否", "高新区", "赵某",
         "0000-0000000"],
        ["智慧农业装备项目", "中外合资", "制造业", "日本某株式会社", "宁川某农机有限公司", "日本", "", "5600", "",
         "400", "年产智能农机2000台", "", "否", "河口镇", "孙某", "0000-0000000"],
    ]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value != "":
                cell = ws.cell(row=r, column=c, value=value)  # every field a String: text cells, dates included
                cell.number_format = "@"
    path = directory / "外资签约落地_export_1720406400001.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 30. WPS 台账: dates as "2024年3月" text, 亿元 as text with apostrophes


def build_wps_text_dates(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "园区项目"
    ws["A1"] = "经济开发区2024年招商项目台账"
    ws.merge_cells("A1:H1")
    for col, h in zip("ABCDEFGH", ["序号", "项目名称", "投资方", "总投资（亿元）", "签约时间", "开工时间", "投产时间",
                                    "目前进展"]):
        ws[f"{col}2"] = h
    rows = [
        (1, "年产20GWh储能电池项目", "江苏某储能科技有限公司", "35", "2024年1月", "2024年3月15日", None, "厂房建设"),
        (2, "汽车线束生产项目", "浙江某电器有限公司", "2.6", "2023年11月", "2024年1月8日", "2024年5月", "已投产"),
        (3, "生物基新材料项目", "山东某生物科技有限公司", "12.5", "2024年4月2日", "待定", None, "环评审批中"),
        (4, "工业机器人集成项目", "广东某智能装备有限公司", "0.85", "2024年5月", None, None, "租赁厂房改造"),
        (5, "电子级化学品项目", "上海某化学有限公司", "6", "2024年6月28日", "2024年6月", None, "场地平整"),
    ]
    for r, values in enumerate(rows, start=3):
        for col, v in zip("ABCDEFGH", values):
            if v is None:
                continue
            cell = ws[f"{col}{r}"]
            cell.value = v
            if col in "DEFG":
                cell.number_format = "@"  # WPS 文本格式 column: numbers and dates typed as text
                if col == "D":
                    cell.quotePrefix = True
    ws["A8"] = "合计"
    ws.merge_cells("A8:C8")
    ws["D8"] = "56.95"
    ws["D8"].number_format = "@"
    ws["A9"] = "填表人：刘某    审核人：陈某    填报日期：2024年7月5日"
    ws.merge_cells("A9:H9")
    path = directory / "kaifaqu_xiangmu_taizhang_2024.xlsx"
    wb.save(path)
    return path


CASES.update({
    "easyexcel_fdi_two_currencies": build_easyexcel_fdi_two_currencies,
    "wps_text_dates": build_wps_text_dates,
})


# =====================================================================
# Fourth set (built blind, after the readers passed the first 30).
# =====================================================================


# ------------------------------------------- 31. 项目库 export: one 进展状态 column instead of stage dates


def build_xiangmuku_status_column(directory: pathlib.Path) -> pathlib.Path:
    """The PHP system's 在谈项目一览表 column list with its (commented-out) 进展状态 column restored."""
    title = "202401至202406招商项目库一览表"
    header = [
        "序号", "项目名称", "建设内容", "拟投资额(亿元)", "投资方", "行业", "拟建地点", "用地情况(亩)", "进展状态",
        "联系人", "职务", "电话", "跟踪人", "跟踪单位", "首次填报时间",
    ]
    rows = [
        ["1", "年产5万吨功能性薄膜项目", "建设薄膜生产线8条", "6.5", "江苏某薄膜科技有限公司", "工业", "经济开发区",
         "150", "洽谈中", "张某", "总经理", "0000-0000000", "刘某", "经济开发区", "2024-01-08 10:12:45"],
        ["2", "县域商贸物流中心项目", "建设仓储及分拨中心", "2.8", "湖南某物流集团有限公司", "服务业", "城关镇",
         "80", "已签约", "陈某", "副总经理", "0000-0000000", "王某", "城关镇人民政府", "2024-01-22 15:40:02"],
        ["3", "竹木家居制造项目", "年产竹木家具10万套", "1.2", "福建某家居有限公司", "工业", "河口镇",
         "60", "已开工", "林某", "董事长", "0000-0000000", "赵某", "河口镇人民政府", "2024-02-19 09:05:37"],
        ["4", "数字创意产业园项目", "改造闲置厂房建设产业园", "0.75", "上海某文化传媒有限公司", "服务业", "城西街道",
         "0", "在建", "周某", "总监", "0000-0000000", "孙某", "城西街道办事处", "2024-03-04 11:26:18"],
        ["5", "锂电池正极材料项目", "年产2万吨正极材料", "12", "江西某锂业股份有限公司", "工业", "经济开发区",
         "300", "已投产", "黄某", "项目经理", "0000-0000000", "刘某", "经济开发区", "2024-01-03 08:51:10"],
        ["6", "高山茶叶精深加工项目", "建设茶叶加工厂", "0.5", "浙江某茶业有限公司", "农业", "白沙乡",
         "20", "已签约未开工", "吴某", "总经理", "0000-0000000", "郑某", "白沙乡人民政府", "2024-04-15 16:02:49"],
        ["7", "汽车零部件压铸项目", "年产铝压铸件1.5万吨", "3.6", "广东某精密压铸有限公司", "工业", "经济开发区",
         "120", "已竣工投产", "何某", "总经理", "0000-0000000", "刘某", "经济开发区", "2024-02-27 14:33:05"],
    ]
    return _write_php_export(directory / "_20240705101523.xls", title, header, rows)


# ------------------------------------------- 32. Excel 2003 XML (SpreadsheetML) saved as .xls: 上半年 季报


def _ssml_cell(value, index=None, merge_across=None, style=None):
    attrs = ""
    if index is not None:
        attrs += f' ss:Index="{index}"'
    if merge_across is not None:
        attrs += f' ss:MergeAcross="{merge_across}"'
    if style is not None:
        attrs += f' ss:StyleID="{style}"'
    if value is None:
        return f"<Cell{attrs}/>"
    if isinstance(value, (int, float)):
        return f'<Cell{attrs}><Data ss:Type="Number">{value}</Data></Cell>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<Cell{attrs}><Data ss:Type="String">{text}</Data></Cell>'


def build_spreadsheetml_h1_quarterly(directory: pathlib.Path) -> pathlib.Path:
    """SpreadsheetML 2003 as a FreeMarker ``ExcelData[xls].ftl`` template writes it, with a .xls name."""
    rows_xml = [
        "<Row ss:Height=\"30\">" + _ssml_cell("2024年上半年各乡镇（街道）招商引资到位资金统计季报", merge_across=7,
                                              style="title") + "</Row>",
        "<Row>" + _ssml_cell("单位：万元", index=7, merge_across=1) + "</Row>",
        "<Row>" + "".join(_ssml_cell(h, style="head") for h in
                          ["序号", "单位", "二季度", "上半年累计", "上年同期", "同比(%)", "年度任务", "完成率(%)"]) + "</Row>",
    ]
    data = [
        (1, "城关镇", 6200, 11800, 10500, 12.4, 25000, 47.2),
        (2, "河口镇", 2100, 4300, 4800, -10.4, 10000, 43),
        (3, "城西街道", 5400, 9600, 7200, 33.3, 18000, 53.3),
        (4, "白沙乡", 0, 650, None, "—", 3000, 21.7),
        (5, "青山镇", 1500, 3050, 3000, 1.7, 8000, 38.1),
        ("合计", None, 15200, 29400, 25500, 15.3, 64000, 45.9),
    ]
    for values in data:
        cells = []
        skipped = False
        for i, v in enumerate(values, start=1):
            if v is None:
                skipped = True  # the template leaves the cell out; the next one carries ss:Index
                continue
            cells.append(_ssml_cell(v, index=i if skipped else None, style="num" if isinstance(v, (int, float)) else None))
            skipped = False
        rows_xml.append("<Row>" + "".join(cells) + "</Row>")
    rows_xml.append("<Row>" + _ssml_cell("注：同比为上半年累计与上年同期相比；上年同期为空的，同比以“—”表示。"
                                         "二季度为4-6月合计。", merge_across=7) + "</Row>")
    body = "\n    ".join(rows_xml)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40" xmlns:dt="uuid:C2F41010-65B3-11d1-A29F-00AA00C14882">
  <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office">
    <Author>Administrator</Author>
    <Created>2024-07-08T02:15:00Z</Created>
  </DocumentProperties>
  <CustomDocumentProperties xmlns="urn:schemas-microsoft-com:office:office">
    <KSOProductBuildVer dt:dt="string">2052-11.1.0.9145</KSOProductBuildVer>
  </CustomDocumentProperties>
  <Styles>
    <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/><Font ss:FontName="宋体" x:CharSet="134" ss:Size="11"/></Style>
    <Style ss:ID="title"><Alignment ss:Horizontal="Center" ss:Vertical="Center"/><Font ss:FontName="宋体" x:CharSet="134" ss:Size="16" ss:Bold="1"/></Style>
    <Style ss:ID="head"><Alignment ss:Horizontal="Center" ss:Vertical="Center" ss:WrapText="1"/><Font ss:FontName="宋体" x:CharSet="134" ss:Bold="1"/></Style>
    <Style ss:ID="num"><NumberFormat ss:Format="0.0"/></Style>
  </Styles>
  <Worksheet ss:Name="季报">
    <Table ss:ExpandedColumnCount="8" ss:ExpandedRowCount="{len(rows_xml)}" x:FullColumns="1" x:FullRows="1">
    {body}
    </Table>
  </Worksheet>
</Workbook>
"""
    path = directory / "jibao_2024_shangbannian.xls"
    path.write_text(xml, encoding="utf-8")
    return path


# ------------------------------------------- 33. 前三季度 by source: units are rows, sources are column groups


def build_sources_column_groups(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分来源"
    ws["A1"] = "2024年前三季度各乡镇（街道）、园区招商引资到位资金分来源情况表"
    ws.merge_cells("A1:K1")
    ws["I2"] = "单位：万元、万美元"
    ws.merge_cells("I2:K2")
    for col, h in [("A", "序号"), ("B", "单位")]:
        ws[f"{col}3"] = h
        ws.merge_cells(f"{col}3:{col}4")
    ws["C3"] = "市外境内资金（万元）"
    ws.merge_cells("C3:E3")
    ws["F3"] = "其中：省外境内资金（万元）"
    ws.merge_cells("F3:H3")
    ws["I3"] = "境外资金（万美元）"
    ws.merge_cells("I3:K3")
    for col, h in zip("CDEFGHIJK", ["本月", "累计", "同比(%)"] * 3):
        ws[f"{col}4"] = h
    rows = [
        (5, 1, "城关镇", 1800, 16500, 12.5, 1200, 9800, 8.3, 50, 420, 5.0),
        (6, 2, "河口镇", 600, 5200, -4.6, 300, 2600, -10.2, 0, 0, "—"),
        (7, 3, "城西街道", 2500, 21300, 25.1, 1900, 15700, 30.4, 120, 860, -12.0),
        (8, 4, "白沙乡", 0, 1200, "—", 0, 0, "—", 0, 0, "—"),
        (9, 5, "经济开发区", 4300, 38600, 18.7, 3600, 31200, 20.2, 380, 2950, 36.6),
        (10, "合计", None, 9200, 82800, 16.2, 7000, 59300, 17.4, 550, 4230, 21.8),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFGHIJK", values):
            if v is not None:
                ws[f"{col}{r}"] = v
    ws.merge_cells("A10:B10")
    ws["A11"] = "注：本月为9月；累计为1-9月；省外境内资金包含在市外境内资金中；境外资金以万美元计。"
    ws.merge_cells("A11:K11")
    path = directory / "daowei_fenlaiyuan_2024_q3.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 34. 签约项目统计表 in 元 (#,##0), 合计 on top, 小计 per section, unit column last


def build_yuan_sections_unit_right(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签约项目"
    ws["A1"] = "2024年1-6月全县招商引资签约项目统计表"
    ws.merge_cells("A1:G1")
    ws["F2"] = "金额单位：元"
    ws.merge_cells("F2:G2")
    for col, h in zip("ABCDEFG", ["序号", "项目名称", "投资方", "协议投资额", "签约日期", "已到位资金", "责任单位"]):
        ws[f"{col}3"] = h
    ws["A4"] = "合计"
    ws.merge_cells("A4:C4")
    ws["D4"] = 740450000
    ws["F4"] = 90700000
    ws["A5"] = "一、工业项目"
    ws.merge_cells("A5:G5")
    ws["A10"] = "二、服务业项目"
    ws.merge_cells("A10:G10")
    projects = [
        (6, 1, "年产3万吨铝型材项目", "福建某铝业有限公司", 320000000, dt.date(2024, 2, 18), 45000000, "经济开发区"),
        (7, 2, "新能源汽车电机项目", "浙江某电机股份有限公司", 185000000, dt.date(2024, 3, 26), 0, "高新区"),
        (8, 3, "竹木制品深加工项目", "江西某竹业有限公司", 56800000, dt.date(2024, 5, 9), 12500000, "河口镇人民政府"),
        (11, 1, "商贸物流园项目", "湖南某物流集团有限公司", 150000000, dt.date(2024, 1, 30), 30000000, "城关镇人民政府"),
        (12, 2, "乡村民宿集群项目", "广东某文旅发展有限公司", 28650000, dt.date(2024, 6, 12), 3200000, "白沙乡人民政府"),
    ]
    for r, seq, name, investor, amount, signed, funds, unit in projects:
        ws[f"A{r}"] = seq
        ws[f"B{r}"] = name
        ws[f"C{r}"] = investor
        ws[f"D{r}"] = amount
        ws[f"E{r}"] = signed
        ws[f"E{r}"].number_format = 'yyyy"年"m"月"d"日"'
        ws[f"F{r}"] = funds
        ws[f"G{r}"] = unit
    for r, contract, funds in [(9, 561800000, 57500000), (13, 178650000, 33200000)]:
        ws[f"A{r}"] = "小计"
        ws.merge_cells(f"A{r}:C{r}")
        ws[f"D{r}"] = contract
        ws[f"F{r}"] = funds
    for r in range(4, 14):
        for col in "DF":
            ws[f"{col}{r}"].number_format = "#,##0"
    ws["A14"] = "注：协议投资额、已到位资金单位为元；责任单位为项目主要推进单位。"
    ws.merge_cells("A14:G14")
    path = directory / "qianyue_xiangmu_2024_1-6_yuan.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 35. template with a 填报说明 cover sheet, dates pasted as text serials


def build_cover_sheet_serial_text(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "填报说明"
    cover["A1"] = "招商引资项目台账填报说明"
    lines = [
        "一、本表由各乡镇（街道）、园区于每月5日前报送县招商服务中心，逾期未报的视为无进展。",
        "二、金额单位：万元，保留两位小数；2024年全县招商引资目标任务50亿元，其中省外境内资金30亿元。",
        "三、日期栏请按“2024-01-15”格式填写，未发生的留空，不得填写“无”“未开工”等文字。",
        "四、责任单位请从下拉选项中选择，不得自行增减。",
        "五、联系人：李某，电话0000-0000000。",
    ]
    for i, text in enumerate(lines, start=3):
        cover[f"A{i}"] = text
    cover.column_dimensions["A"].width = 100

    ws = wb.create_sheet("项目台账")
    ws["A1"] = "2024年招商引资项目台账（截至6月底）"
    ws.merge_cells("A1:H1")
    for col, h in zip("ABCDEFGH", ["序号", "项目名称", "责任单位", "总投资（万元）", "签约日期", "开工日期", "投产日期",
                                    "累计到位资金（万元）"]):
        ws[f"{col}2"] = h
    rows = [
        (3, 1, "电子元器件封装项目", "经济开发区", 28000, "45306", "45383", None, 6500),
        (4, 2, "预制菜加工项目", "城关镇", 6500, "45338", dt.date(2024, 4, 10), None, 2100),
        (5, 3, "光伏支架制造项目", "河口镇", 12000, "45299", "45366", "45458", 9800),
        (6, 4, "智慧仓储项目", "城西街道", 8800.5, "2024-05-20", None, None, 0),
        (7, 5, "中药材种植加工项目", "白沙乡", 3200, "45411", None, None, 800),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFGH", values):
            if v is None:
                continue
            cell = ws[f"{col}{r}"]
            cell.value = v
            if col in "EFG":
                if isinstance(v, str):
                    cell.number_format = "@"  # pasted as values into a 文本 column: the serial stays text
                else:
                    cell.number_format = "yyyy-mm-dd"
    ws["A8"] = "合计"
    ws.merge_cells("A8:C8")
    ws["D8"] = 58500.5
    ws["H8"] = 19200

    opts = wb.create_sheet("下拉选项")
    opts["A1"] = "责任单位"
    for i, name in enumerate(["经济开发区", "城关镇", "河口镇", "城西街道", "白沙乡", "青山镇"], start=2):
        opts[f"A{i}"] = name
    opts["B1"] = "项目类别"
    for i, name in enumerate(["工业", "服务业", "农业", "文旅"], start=2):
        opts[f"B{i}"] = name
    opts.sheet_state = "hidden"
    path = directory / "xiangmu_taizhang_moban_2024_06.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 36. HTML table saved as .xls (ProgId Excel.Sheet), monthly table


def build_html_xls_monthly(directory: pathlib.Path) -> pathlib.Path:
    """An HTML page with Excel's ProgId meta and mso-number-format styles, served as .xls."""
    head = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Excel.Sheet>
<meta name=Generator content="Microsoft Excel 15">
<style>
<!--table
	{mso-displayed-decimal-separator:"\\.";
	mso-displayed-thousand-separator:"\\,";}
td	{mso-number-format:General; font-family:宋体; font-size:11.0pt; white-space:nowrap;}
.xl65	{mso-number-format:"\\@"; text-align:center;}
.xl66	{mso-number-format:"\\#\\,\\#\\#0\\.00"; text-align:right;}
.xl67	{font-size:16.0pt; font-weight:700; text-align:center;}
-->
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>
  <x:Name>招商引资月报</x:Name>
  <x:WorksheetOptions><x:DisplayGridlines/></x:WorksheetOptions>
 </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body>
<table border=1 cellpadding=0 cellspacing=0 style='border-collapse:collapse'>
"""
    trs = [
        "<tr height=40><td colspan=9 class=xl67>2024年1-5月各乡镇（街道）招商引资实际到位资金完成情况</td></tr>",
        "<tr><td colspan=7></td><td colspan=2 style='text-align:right'>单位：万元</td></tr>",
        "<tr><td rowspan=2 class=xl65>序号</td><td rowspan=2 class=xl65>单位</td>"
        "<td colspan=4 class=xl65>实际到位资金</td><td rowspan=2 class=xl65>年度任务</td>"
        "<td rowspan=2 class=xl65>完成率(%)</td><td rowspan=2 class=xl65>排名</td></tr>",
        "<tr><td class=xl65>本月</td><td class=xl65>1-5月累计</td><td class=xl65>上年同期</td>"
        "<td class=xl65>同比(%)</td></tr>",
    ]
    data = [
        ("1", "城关镇人民政府", "2,350.00", "10,800.00", "9,600.00", "12.5", "25,000.00", "43.2", "2"),
        ("2", "河口镇人民政府", "820.00", "3,900.00", "4,200.00", "-7.1", "10,000.00", "39.0", "3"),
        ("3", "城西街道办事处", "3,100.00", "12,600.00", "9,800.00", "28.6", "25,000.00", "50.4", "1"),
        ("4", "白沙乡人民政府", "0.00", "560.00", "0.00", "—", "3,000.00", "18.7", "5"),
        ("5", "青山镇人民政府", "-150.00", "2,450.00", "2,600.00", "-5.8", "8,000.00", "30.6", "4"),
    ]
    for row in data:
        tds = [f"<td class=xl65>{row[0]}</td>", f"<td>&nbsp;{row[1]}</td>"]
        tds += [f"<td class=xl66>{v}</td>" for v in row[2:5]]
        tds += [f"<td class=xl65>{row[5]}</td>", f"<td class=xl66>{row[6]}</td>",
                f"<td class=xl65>{row[7]}</td>", f"<td class=xl65>{row[8]}</td>"]
        trs.append("<tr>" + "".join(tds) + "</tr>")
    trs.append("<tr><td colspan=2 class=xl65>合计</td><td class=xl66>6,120.00</td><td class=xl66>30,310.00</td>"
               "<td class=xl66>26,200.00</td><td class=xl65>15.7</td><td class=xl66>71,000.00</td>"
               "<td class=xl65>42.7</td><td></td></tr>")
    trs.append("<tr><td colspan=9>注：青山镇本月核减已到位资金150万元；“—”表示上年同期为零。</td></tr>")
    html = head + "\n".join(trs) + "\n</table>\n</body>\n</html>\n"
    path = directory / "zsyz_yuebao_2024_05.xls"
    path.write_text(html, encoding="utf-8")
    return path


CASES.update({
    "xiangmuku_status_column": build_xiangmuku_status_column,
    "spreadsheetml_h1_quarterly": build_spreadsheetml_h1_quarterly,
    "sources_column_groups": build_sources_column_groups,
    "yuan_sections_unit_right": build_yuan_sections_unit_right,
    "cover_sheet_serial_text": build_cover_sheet_serial_text,
    "html_xls_monthly": build_html_xls_monthly,
})


# ------------------------------------------- 37. 重点招商项目清单: a 计量单位 column per row (亿元 / 万元 / 万美元)


def build_unit_of_measure_column(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "清单"
    ws["A1"] = "2024年上半年全县重点招商签约项目清单"
    ws.merge_cells("A1:G1")
    ws["A2"] = "（按签约时间排序）"
    ws.merge_cells("A2:G2")
    for col, h in zip("ABCDEFG", ["序号", "项目名称", "投资方", "投资额", "计量单位", "责任单位", "签约时间"]):
        ws[f"{col}3"] = h
    rows = [
        (4, 1, "高端装备制造产业园项目", "江苏某重工集团有限公司", 25, "亿元", "经济开发区", "2024.1.18"),
        (5, 2, "农产品冷链加工项目", "山东某食品有限公司", 8600, "万元", "城关镇", "2024.2.6"),
        (6, 3, "精密模具外资项目", "新加坡某模具私人有限公司", 2800, "万美元", "高新区", "2024.3.21"),
        (7, 4, "文旅康养综合体项目", "四川某文旅集团有限公司", 6.8, "亿元", "河口镇", "2024.4.2"),
        (8, 5, "包装材料港资项目", "香港某包装有限公司", 950, "万美元", "城西街道", "2024.5.30"),
        (9, 6, "电子信息配套产业园项目", "广东某电子科技有限公司", 1.35, "亿元", "经济开发区", "2024.6.11"),
        (10, "合计（人民币）", None, None, 34.01, "亿元", None, None),
        (11, "合计（外资）", None, None, 3750, "万美元", None, None),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFG", values):
            if v is not None:
                ws[f"{col}{r}"] = v
    ws.merge_cells("A10:C10")
    ws.merge_cells("A11:C11")
    ws["A12"] = "注：投资额按合同币种及计量单位填列，外资项目以万美元计，不折算人民币。"
    ws.merge_cells("A12:G12")
    path = directory / "xian_zhongdian_zhaoshang_qingdan_2024_h1.xlsx"
    wb.save(path)
    return path


CASES.update({"unit_of_measure_column": build_unit_of_measure_column})


# =========================================================== fifth set (blind)
# 38-43: a 统计报表制度 form, a city's 县区 ranking, count/amount row pairs,
# a 形象进度 ledger, a signing-ceremony list with 片区 sections and a repeated 单位 column.


# ------------------------------------------- 38. 统计报表制度 表式: 表号/制定机关/批准文号 lines, 指标 in rows, 代码 + 计量单位


def build_stat_form_indicator_rows(directory: pathlib.Path) -> pathlib.Path:
    xlwt = _xlwt()
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("GTT01")
    title = xlwt.easyxf("font: bold on, height 360; align: horiz center")
    plain = xlwt.easyxf("font: height 200")
    right = xlwt.easyxf("font: height 200; align: horiz left")
    box = xlwt.easyxf("font: height 200; align: horiz center, vert center;"
                      "borders: left thin, right thin, top thin, bottom thin")
    num = xlwt.easyxf("font: height 200; align: horiz right;"
                      "borders: left thin, right thin, top thin, bottom thin", num_format_str="0.00")
    ws.write_merge(0, 0, 0, 5, "招商引资情况统计表", title)
    ws.write(1, 5, "表    号：GTT01表", right)
    ws.write(2, 5, "制定机关：省投资贸易促进局", right)
    ws.write(3, 5, "批准文号：统制〔2023〕45号", right)
    ws.write(4, 0, "填报单位（盖章）：东川县", plain)
    ws.write(4, 3, "2024年1-9月", plain)
    ws.write(4, 5, "有效期至：2025年12月", right)
    for c, h in enumerate(["指标名称", "代码", "计量单位", "本年累计", "上年同期", "同比增长（%）"]):
        ws.write(5, c, h, box)
    for c, h in enumerate(["甲", "乙", "丙", "1", "2", "3"]):
        ws.write(6, c, h, box)
    rows = [
        ("一、新签约项目", "01", "个", 42, 35, 20.0),
        ("二、签约项目合同金额", "02", "亿元", 58.6, 47.2, 24.2),
        ("三、实际到位资金", "03", "亿元", 36.45, 31.8, 14.6),
        ("    其中：省外到位资金", "04", "亿元", 28.9, 25.1, 15.1),
        ("四、实际利用外资", "05", "万美元", 1260, 980, 28.6),
    ]
    for r, (name, code, unit, cur, prior, yoy) in enumerate(rows, start=7):
        ws.write(r, 0, name, box)
        ws.write(r, 1, code, box)  # text, as codes are
        ws.write(r, 2, unit, box)
        for c, v in ((3, cur), (4, prior), (5, yoy)):
            ws.write(r, c, v, num)
    ws.write(12, 0, "单位负责人：王某    统计负责人：李某    填表人：张某    联系电话：0000-0000000    报出日期：2024年10月8日", plain)
    path = directory / "GTT01_dongchuan_2024_1-9.xls"
    wb.save(str(path))
    return path


# ------------------------------------------- 39. a city's 县区 ranking: 地区 column, abbreviated 经开区/高新区, 亿元 to 4 decimals


def build_city_counties_rounded_total(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-8月"
    ws["A1"] = "2024年1-8月各县区、江州经济技术开发区、江州高新技术产业开发区招商引资实际到位资金完成情况"
    ws.merge_cells("A1:H1")
    ws["G2"] = "单位：亿元、个、%"
    ws.merge_cells("G2:H2")
    for col, h in zip("ABCDEFGH", ["序号", "地区", "新签约亿元以上项目（个）", "实际到位资金",
                                    "年度目标", "完成率（%）", "排名", "亿元以上项目开工率（%）"]):
        ws[f"{col}3"] = h
    rows = [
        (4, 1, "东川县", 6, 18.4526, 30, 61.5, 3, 83.3),
        (5, 2, "西岭县", 4, 12.0870, 22, 54.9, 4, 75.0),
        (6, 3, "南湖区", 8, 25.3314, 40, 63.3, 2, 87.5),
        (7, 4, "北山区", 3, 9.8062, 20, 49.0, 5, 66.7),
        (8, 5, "经开区", 9, 31.7745, 45, 70.6, 1, 88.9),
        (9, 6, "高新区", 5, 15.2208, 25, 60.9, "不参与排名", 80.0),
        (10, "全市合计", None, 35, 112.67, 182, 61.9, None, 82.9),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFGH", values):
            if v is not None:
                ws[f"{col}{r}"] = v
        ws[f"D{r}"].number_format = "0.0000" if r < 10 else "0.00"
        ws[f"F{r}"].number_format = "0.0"
        ws[f"H{r}"].number_format = "0.0"
    ws.merge_cells("A10:B10")
    ws["A11"] = "注：经开区为江州经济技术开发区，高新区为江州高新技术产业开发区；高新区单独考核，不参与县区排名。"
    ws.merge_cells("A11:H11")
    ws.freeze_panes = "C4"
    path = directory / "jiangzhou_xianqu_daowei_2024_1-8.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 40. 开发区 monthly: two rows per unit (项目个数 / 签约金额) told apart by 指标


def build_count_amount_row_pairs(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "5月"
    ws["A1"] = "经济开发区2024年5月招商引资月报"
    ws.merge_cells("A1:F1")
    ws["E2"] = "填报日期：2024年6月5日"
    ws.merge_cells("E2:F2")
    for col, h in zip("ABCDEF", ["单位", "指标", "本月新增", "1-5月累计", "上年同期", "同比（%）"]):
        ws[f"{col}3"] = h
    pairs = [
        (4, "装备制造产业园", (2, 9, 7, 28.6), (36000, 128500, 102000, 26.0)),
        (6, "新材料产业园", (1, 6, 6, 0.0), (15000, 86200, 91500, -5.8)),
        (8, "电子信息产业园", (0, 4, 2, 100.0), (0, 52800, 30600, 72.5)),
        (10, "现代物流园", (1, 3, 4, -25.0), (8500, 21600, 26000, -16.9)),
        (12, "合计", (4, 22, 19, 15.8), (59500, 289100, 250100, 15.6)),
    ]
    for r, unit, counts, amounts in pairs:
        ws[f"A{r}"] = unit
        ws.merge_cells(f"A{r}:A{r + 1}")
        ws[f"B{r}"] = "项目个数（个）"
        ws[f"B{r + 1}"] = "签约金额（万元）"
        for col, v in zip("CDEF", counts):
            ws[f"{col}{r}"] = v
        for col, v in zip("CDEF", amounts):
            ws[f"{col}{r + 1}"] = v
            ws[f"{col}{r + 1}"].number_format = "#,##0" if col != "F" else "0.0"
        ws[f"F{r}"].number_format = "0.0"
    ws["A14"] = "注：项目个数为新签约项目个数，签约金额为新签约项目合同金额。"
    ws.merge_cells("A14:F14")
    path = directory / "kaifaqu_zhaoshang_yuebao_2024_05.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 41. 重点项目进度表: 形象进度 %, 计划投产时间, 是否纳入统计, an empty column


def build_progress_pct_ledger(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度表"
    ws["A1"] = "2024年上半年全县重点招商引资项目建设进度表"
    ws.merge_cells("A1:M1")
    ws["A2"] = "填报单位：县投资促进中心"
    ws["J2"] = "截至2024年6月30日"
    header = ["序号", "项目名称", "建设单位", "所在乡镇", "总投资（亿元）", "累计完成投资（万元）", None,
              "累计到位资金（万元）", "形象进度", "开工时间", "计划投产时间", "是否纳入统计", "备注"]
    for col, h in zip("ABCDEFGHIJKLM", header):
        if h is not None:
            ws[f"{col}3"] = h
    rows = [
        (4, 1, "年产10万吨新型环保建材项目", "东川某建材有限公司", "城关镇", 3.2, 21500, 18000,
         0.65, dt.date(2024, 2, 20), "2025年6月", "是", None),
        (5, 2, "智能仓储物流中心项目", "某物流科技有限公司", "河口镇", 1.85, 9200, 9200,
         "主体封顶，约50%", dt.date(2024, 3, 8), "2025年3月", "是", None),
        (6, 3, "中药材精深加工项目", "某药业有限公司", "白沙乡", 0.6, 6000, 6000,
         1, dt.date(2023, 9, 12), "2024年5月", "是", "设备安装调试中"),
        (7, 4, "光伏组件边框项目", "某新能源有限公司", "经济开发区", 2.4, 0, 1500,
         "0%（前期）", None, "2025年12月", "否", "未开工，暂不纳入统计"),
        (8, 5, "文旅民宿集群项目", "某文旅发展有限公司", "青山镇", 0.85, 3400, 2800,
         "40%", dt.date(2024, 4, 16), "2025年10月", "是", None),
    ]
    for r, seq, name, owner, town, total, done, funds, pct, start, plan, flag, note in rows:
        for col, v in zip("ABCDEFHIJKLM", [seq, name, owner, town, total, done, funds, pct, start, plan, flag, note]):
            if v is not None:
                ws[f"{col}{r}"] = v
        ws[f"E{r}"].number_format = "0.00"
        if isinstance(pct, (int, float)):
            ws[f"I{r}"].number_format = "0%"
        if start is not None:
            ws[f"J{r}"].number_format = "yyyy-mm-dd"
    ws["A9"] = "合计"
    ws.merge_cells("A9:D9")
    ws["E9"] = 8.9
    ws["E9"].number_format = "0.00"
    ws["F9"] = 40100
    ws["H9"] = 37500
    ws["A10"] = "注：形象进度按已完成工程量估算；计划投产时间为项目单位预计时间。"
    ws.merge_cells("A10:M10")
    ws.column_dimensions["G"].width = 2
    path = directory / "zhongdian_xiangmu_jindu_2024_h1.xlsx"
    wb.save(path)
    return path


# ------------------------------------------- 42. 集中签约仪式 项目清单: 片区 sections, 合计 first, 亿元 to 4 decimals


def build_signing_ceremony_sections(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "签约项目"
    ws["A1"] = "江州市2024年秋季招商引资重点项目集中签约仪式签约项目清单"
    ws.merge_cells("A1:F1")
    ws["A2"] = "（2024年9月26日）"
    ws.merge_cells("A2:F2")
    for col, h in zip("ABCDEF", ["序号", "项目名称", "投资方", "签约金额（亿元）", "签约类型", "招商专班"]):
        ws[f"{col}3"] = h
    ws["A4"] = "合计（9个）"
    ws.merge_cells("A4:C4")
    ws["D4"] = 49.895
    rows = [
        (5, "一、高新区（4个）"),
        (6, 1, "新能源汽车电机控制器项目", "浙江某电驱科技有限公司", 12.5, "正式合同", "装备制造专班"),
        (7, 2, "半导体封装材料项目", "江苏某半导体材料有限公司", 5.26, "正式合同", "电子信息专班"),
        (8, 3, "工业软件研发中心项目", "北京某软件股份有限公司", 3.085, "框架协议", "电子信息专班"),
        (9, 4, "检验检测服务平台项目", "上海某检测技术有限公司", 1.8, "投资协议", "现代服务专班"),
        (10, "二、东川县（3个）"),
        (11, 5, "绿色食品产业园项目", "山东某食品集团有限公司", 8, "正式合同", "农产品加工专班"),
        (12, 6, "冷链物流配送中心项目", "广东某供应链有限公司", 2.45, "投资协议", "大物流专班"),
        (13, 7, "竹木制品加工项目", "福建某竹业有限公司", 1.12, "正式合同", "农产品加工专班"),
        (14, "三、南湖区（2个）"),
        (15, 8, "滨湖康养文旅综合体项目", "四川某文旅集团有限公司", 15, "框架协议", "康养专班"),
        (16, 9, "跨境电商产业园项目", "深圳某电商集团有限公司", 0.68, "投资协议", "现代服务专班"),
    ]
    for r, *values in rows:
        if len(values) == 1:
            ws[f"A{r}"] = values[0]
            ws.merge_cells(f"A{r}:F{r}")
            continue
        for col, v in zip("ABCDEF", values):
            ws[f"{col}{r}"] = v
    for r in range(4, 17):
        ws[f"D{r}"].number_format = "0.0000"
    ws["A17"] = "注：签约金额为协议总投资；框架协议项目须在三个月内转签正式合同。"
    ws.merge_cells("A17:F17")
    path = directory / "jizhong_qianyue_qingdan_2024_09_26.xlsx"
    wb.save(path)
    return path


CASES.update({
    "stat_form_indicator_rows": build_stat_form_indicator_rows,
    "city_counties_rounded_total": build_city_counties_rounded_total,
    "count_amount_row_pairs": build_count_amount_row_pairs,
    "progress_pct_ledger": build_progress_pct_ledger,
    "signing_ceremony_sections": build_signing_ceremony_sections,
})


# ------------------------------------------- 43. wide printed table: 单位 repeated in the last column; 合计 累计 mistyped


def build_unit_repeated_right_mismatch(directory: pathlib.Path) -> pathlib.Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "2024年1-7月各乡镇（街道）招商引资实际到位资金完成情况"
    ws.merge_cells("A1:J1")
    ws["I2"] = "单位：万元"
    ws.merge_cells("I2:J2")
    for col, h in zip("ABCDEFGHIJ", ["序号", "单位", "本月", "1-7月累计", "上年同期", "同比（%）",
                                      "年度任务", "完成率（%）", "排名", "单位"]):
        ws[f"{col}3"] = h
    rows = [
        (4, 1, "城关镇", 1200, 15600, 13800, 13.0, 30000, 52.0, 2, "城关镇"),
        (5, 2, "河口镇", 650, 8200, 8900, -7.9, 20000, 41.0, 4, "河口镇"),
        (6, 3, "城西街道", 1850, 13400, 10200, 31.4, 25000, 53.6, 1, "城西街道"),
        (7, 4, "白沙乡", 0, 1530, 1600, -4.4, 5000, 30.6, 5, "白沙乡"),
        (8, 5, "青山镇", 420, 6400, 5900, 8.5, 15000, 42.7, 3, "青山镇"),
        (9, "合计", None, 4120, 45310, 40400, 11.7, 95000, 47.5, None, "合计"),
    ]
    for r, *values in rows:
        for col, v in zip("ABCDEFGHIJ", values):
            if v is not None:
                ws[f"{col}{r}"] = v
        for col in "CDEG":
            ws[f"{col}{r}"].number_format = "#,##0"
        for col in "FH":
            ws[f"{col}{r}"].number_format = "0.0"
    ws.merge_cells("A9:B9")
    ws["A10"] = "注：本表按县考核办口径统计，完成率=1-7月累计/年度任务。"
    ws.merge_cells("A10:J10")
    ws.print_title_cols = "A:B"
    path = directory / "daowei_2024_1-7.xlsx"
    wb.save(path)
    return path


CASES.update({"unit_repeated_right_mismatch": build_unit_repeated_right_mismatch})
