"""The briefing page's stylesheet: screen (desktop and phone) and print (A4).

``{status_rows}`` is replaced by the row colours of the progress statuses. Printed, each page's
footer reads "第 N 页 / 共 M 页", after the custom property ``--zsa-title`` when the page sets
it (:func:`.images.print_pdf` sets it to the page's title and " — ": Chromium has no
``string-set`` to take it from the page's heading)."""

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:0;background:#f5f7fa;color:#333}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;margin:0 0 12px}
.sub{color:#777;font-size:13px;margin-bottom:18px}
.cards{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px;margin-bottom:18px}
.cards:has(>.card:nth-child(4):last-child){grid-template-columns:repeat(4,minmax(0,1fr))}
.card{background:#fff;border-radius:6px;padding:14px 16px;box-shadow:0 1px 2px #0001}
.card .label{color:#777;font-size:13px}.card .value{font-size:26px;font-weight:600;color:#2f7ed8}
.card .note{font-size:12px;color:#555;margin-top:4px}
section{background:#fff;border-radius:6px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px #0001}
.points li{margin:6px 0;line-height:1.7}
.banner{background:#fdecea;border:2px solid #c62828;color:#c62828;font-weight:600}
.banner p{margin:4px 0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e5e5e5;padding:5px 6px;text-align:left;white-space:nowrap}
th{background:#e8eef6;position:sticky;top:0} .num{text-align:right}
{status_rows}
.tablewrap{overflow-x:auto}.note{color:#777;font-size:12px}
footer{color:#999;font-size:12px;text-align:center;padding:12px}
.js-plotly-plot,.plotly{max-width:100%}
@media (max-width:600px){main{padding:10px 8px}section{padding:12px 8px}
.cards,.cards:has(>.card:nth-child(4):last-child){grid-template-columns:repeat(2,minmax(0,1fr))}
h1{font-size:20px}.card{padding:10px 12px}.card .value{font-size:22px}}
@page{size:A4;margin:12mm 12mm 14mm;
@bottom-center{content:var(--zsa-title,"") "第 " counter(page) " 页 / 共 " counter(pages) " 页";
font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
font-size:8pt;color:#777}}
@media print{body{background:#fff}main{max-width:none;padding:0}
section{box-shadow:none;break-inside:avoid}section:has(table){break-inside:auto}
.tablewrap{overflow:visible}table{font-size:9px;width:100%;line-height:1.3}
th,td{padding:2px 3px}td.txt{white-space:normal}th{position:static}
thead{display:table-header-group}tr{break-inside:avoid}section{margin-bottom:10px}
h2,h2+.note{break-after:avoid}h2+.note{break-inside:avoid}
footer{break-before:avoid;padding:4px}
.chart>div:has(.js-plotly-plot){zoom:0.75}}
"""
