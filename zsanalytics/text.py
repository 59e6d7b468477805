"""Past work reports as data: the figures of report prose as a table, and their consistency.

:func:`extract_indicators` reads text such as "1-6月,我区实际到位市外境内资金10.36亿元,同比增长
59.8%,完成年度任务的38.4%" and returns one row per figure with its value in 万元 (or 万美元, a
count, a percentage), its growth, completion, time-progress gap and target, the period, whether
it was approximate (约, 近, 余, 多) or masked (``xx``), and where in the text it stands.
:func:`check_report` then does the sums an analyst does by hand.

Simplified and traditional characters, full-width digits and punctuation, pinyin and other
noise from web pages are all read; nothing raises on any input.

Examples
--------
>>> t = extract_indicators("1-6月，全县实际到位资金10.36亿元，同比增长59.8%，完成年度任务的38.4%。")
>>> t[["indicator", "scope", "value", "unit", "yoy_pct", "completion_pct"]]
        indicator scope     value unit  yoy_pct  completion_pct
0  funds_in_place    全县  103600.0   万元     59.8            38.4
>>> t[["period_start", "period_end"]].iloc[0].tolist()
[1, 6]
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

import pandas as pd

from .clean import find_period

__all__ = ["INDICATORS", "check_report", "extract_indicators"]

# --- normalisation ----------------------------------------------------------------------------

# Traditional → simplified, one character for one (so offsets survive), for the characters of
# the words figures are found by. Not a general converter.
_T2S_PAIRS = (
    "資资實实際际億亿萬万項项個个簽签約约續续設设達达務务進进時时開开產产額额總总稅税餘余"
    "單单團团業业標标內内區区鄉乡鎮镇幣币長长減减較较預预計计劃划報报認认請请於于與与為为"
    "對对從从門门數数類类農农築筑點点貨货貿贸還还這这塊块現现滿满僅仅壓压們们兩两縣县縣县"
    "據据關关圍围繞绕構构導导態态傳传頭头幾几將将並并區区廠厂場场資资務务戶户億亿樂乐"
    "來来後后發发歲岁當当辦办過过專专屬属範范營营濃浓員员輸输際际國国歐欧亞亚線线談谈"
    "項项簽签協协議议註注冊册辦办處处機机構构創创獎奖勵励險险獻献層层議议論论"
    "經经濟济篩筛選选戰战興兴訂订責责擔担組组納纳會会執执沒没優优質质結结題题決决難难費费"
    "億亿貨货証证證证組组織织統统審审價价錢钱銀银贏赢購购積积極极動动運运紀纪級级擴扩"
)
_T2S = {ord(a): b for a, b in zip(_T2S_PAIRS[0::2], _T2S_PAIRS[1::2], strict=True)}

# Pinyin in brackets after characters, as some sites print them: 項(xiàng)目.
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹɑ]{1,7}\)")


_WRAP = re.compile(r"(?<=[^\n。!?;:]{15}[\u4e00-\u9fff\d,、])[ ]*\n(?=[ ]*[\u4e00-\u9fff\d])")


def _normalise(text: str) -> tuple[str, list[int]]:
    """The text as the patterns read it, and for each of its characters the offset in ``text``.

    Full-width digits and punctuation become ASCII (NFKC), traditional characters simplified,
    pinyin annotations dropped.
    """
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        n = unicodedata.normalize("NFKC", c) if ord(c) > 127 else c
        for ch in n.translate(_T2S):
            chars.append(ch)
            index.append(i)
    flat = "".join(chars)
    # a line a PDF wrapped mid-sentence ("…完\n成目标任务") is joined; headings stay apart
    for m in reversed(list(_WRAP.finditer(flat))):
        del chars[m.start():m.end()], index[m.start():m.end()]
    flat = "".join(chars)
    if "(" not in flat:
        return flat, index
    keep = [True] * len(flat)
    for m in _PINYIN.finditer(flat):
        keep[m.start():m.end()] = [False] * (m.end() - m.start())
    out = "".join(c for c, k in zip(flat, keep, strict=True) if k)
    return out, [i for i, k in zip(index, keep, strict=True) if k]


# --- tokens -----------------------------------------------------------------------------------

# digits (a PDF may break "28. 1"), or a masked figure: xx, x.xx, 1x
_NUM = r"(?:\d+(?:\.[ ]?\d+)?|[xX]+(?:\.[xX]+)?|\d+[xX]+|[xX]+\d+)"
_TOKEN = re.compile(
    r"(?P<pre>约|近|逾|超过|大约|将近)?"
    r"(?P<sign>[-−])?(?P<num>" + _NUM + r")[ ]?"   # PDFs put a space before the unit
    r"(?:"
    r"(?P<pp>个百分点)"
    r"|(?P<pct>%)"
    r"|(?P<post1>余|多)?(?P<mag>亿|万|千)?(?P<post2>余|多)?(?P<cur>美元|元)(?!以上|以下|项目|级|大项目)"
    r"|(?P<post3>余|多)?(?P<bare>亿|万)(?![元美]|[\u4e00-\u9fff]{0,1}(?:吨|平|亩|千|米|瓦|度|人|户|套|台|辆|株|头|只|件|册|本|篇|字|步|斤|公))"
    r"|(?P<post4>余|多)?(?P<counter>人次|个|家|条|宗|次|项|批|场|户|人)"
    r")"
)
_MAG = {"亿": 10000, "万": 1, "千": 0.1, None: 0.0001}  # → 万 of the currency

_WHOLE = r"全县|全区|全市|全省|全镇|我县|我区|我市|我省|我镇|本县|本区|本市"
_SCOPE = re.compile(
    r"(?P<scope>(?:省外|省内|市外|市内|境外|境内|国外|国内|县外|区外)+"
    r"|(?:工业|农业|服务业|现代服务业|文旅|旅游|商贸|科技型?|外资|内资)项目"
    r"|亿元以上项目|经济开发区|经济技术开发区|开发区|高新区|工业园区|产业园区?"
    r"|[\u4e00-\u9fff]{2,4}(?:镇|乡|街道)(?![镇村])"
    r"|" + _WHOLE + r")"
)

#: Canonical indicator names and the words that name them, first match wins.
INDICATORS: dict[str, tuple[str, ...]] = {
    "foreign_funds": ("利用外资", "实际利用外资", "境外资金", "外资", "外商投资"),
    "funds_in_place": ("到位资金", "实际到位", "资金到位", "到位", "实际利用", "引进资金", "利用资金",
                       "引资额"),
    "contract_investment": ("合同引资", "合同投资", "合同资金", "协议引资", "协议投资", "签约金额",
                            "签约资金", "签约总额", "合同金额"),
    "imports_exports": ("进出口", "外贸", "出口", "进口"),
    "tax": ("税收", "引税", "纳税"),
    "leads": ("在谈", "在手在谈", "项目信息", "线索", "意向企业", "意向项目", "洽谈"),
    "registered_companies": ("注册企业", "新注册", "新设立", "注册", "落户企业"),
    "visits": ("考察", "拜访", "外出招商", "推介", "招商活动"),
    "signed_projects": ("签约项目", "引进项目", "招商项目", "新引进", "引进", "签约", "申报项目", "申报",
                        "项目"),
    "project_investment": ("投资", "总投资"),
}
_MONEY_ONLY = {"foreign_funds", "funds_in_place", "contract_investment", "imports_exports", "tax",
               "project_investment"}

_UP = ("增长", "增加", "提高", "上升", "增幅", "多")
_DOWN = ("下降", "减少", "降低", "回落", "下滑", "降幅", "少")
# Only a sentence that names months has a period; "完成年度任务" is not "全年".
_PERIOD_CUE = re.compile(r"\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月|元月?至|截[至止]\s*\d{1,2}\s*月|[上下]半年|"
                         r"前三季度|[一二三四1-4]季度|\d{1,2}月(?:份|底|末)|^\s*(?:\d{4}年)?(?:全年|\d{1,2}月)(?=[,:])")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!度?(?:任务|目标|计划))")
_CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|:|、(?=[^\d]*\d)")
_SENTENCE_SPLIT = re.compile(r"[。!?\n\r]+")
_LABEL_TRIM = re.compile(
    r"^(?:\d+月份?|[\s\d.、()\[\]]|其中|共计|累计|合计|总计|共|已|实现|完成了?|达到|达|为|有|是|今年以来|今年|截至目前|"
    r"只有|只|还为|还有|还|剩下的?|就有|但也有|也有|"
    r"截止目前|目前|全年|同期|[一二三四五六七八九十]+[、是])+|(?:为|达到|达|共|有|是|约|了)+$"
)

COLUMNS = [
    "indicator", "label", "scope", "value", "unit", "yoy_pct", "yoy_note", "completion_pct", "gap_pp",
    "target_value", "period_start", "period_end", "year", "approx", "masked", "masked_fields",
    "resolution", "parent", "group", "start", "end", "sentence",
]


def _number(text: str) -> tuple[float, float]:
    """The value written and the size of its last digit (``"10.36"`` → 10.36, 0.01)."""
    if "x" in text.lower():
        return math.nan, math.nan
    dec = Decimal(text)
    return float(dec), float(Decimal(1).scaleb(dec.as_tuple().exponent))


def _classify(label: str, money: bool, currency: str | None) -> str:
    if currency == "USD" and money:
        return "imports_exports" if any(w in label for w in INDICATORS["imports_exports"]) \
            else "foreign_funds"
    label = re.sub(r"(?<=[省市县区内])外资金", "外·资金", label)   # 市外资金 is not 外资
    for name, words in INDICATORS.items():
        if name in _MONEY_ONLY and not money:
            continue
        if not money and name in ("foreign_funds",):
            continue
        if any(w in label for w in words):
            if money and name in ("leads", "registered_companies", "visits", "signed_projects"):
                if name == "signed_projects" and any(w in label for w in ("签约", "合同")):
                    return "contract_investment"
                continue
            return name
    return "other"


def _figure_of(m: re.Match) -> dict[str, Any]:
    """One token as value, unit, approx and masked."""
    num = m.group("num").replace(" ", "")
    masked = "x" in num.lower()
    value, digit = _number(num)
    approx = bool(m.group("pre") and m.group("pre") != "超过") or any(
        m.group(g) for g in ("post1", "post2", "post3", "post4"))
    if m.group("pct"):
        kind, unit = "pct", "%"
        if m.group("sign"):  # 同比增长-8.92%
            value = -value
    elif m.group("pp"):
        kind, unit = "pp", "个百分点"
    elif m.group("cur") or m.group("bare"):
        kind = "money"
        usd = m.group("cur") == "美元"
        mag = m.group("mag") or m.group("bare")
        unit = "万美元" if usd else "万元"
        if not masked:  # exact in decimal: 10.36亿 is 103600万, not 103599.99999999999
            value = float(Decimal(num) * Decimal(str(_MAG[mag])))
        digit = digit * _MAG[mag]
    else:
        kind, unit = "count", m.group("counter")
    return {"kind": kind, "value": value, "unit": unit, "approx": approx, "masked": masked,
            "resolution": digit}


# --- extraction -------------------------------------------------------------------------------

def extract_indicators(text: Any) -> pd.DataFrame:
    """The figures of a report's text, one row per figure.

    Parameters
    ----------
    text : str
        Report prose: simplified or traditional, full- or half-width, with web-page noise.
        Anything else is read as ``str(text)``; None and NaN give an empty table.

    Returns
    -------
    pandas.DataFrame
        One row per figure, in text order:

        - ``indicator``: ``funds_in_place`` (实际到位资金), ``contract_investment`` (合同引资),
          ``foreign_funds`` (外资, 万美元), ``signed_projects``, ``leads`` (在谈项目),
          ``registered_companies``, ``imports_exports``, ``tax``, ``visits``,
          ``project_investment`` (a project's planned investment), or ``other``;
        - ``label``: the words before the figure as written (normalised); ``scope``: 省外,
          省内, 全县, 工业项目, a township …, or empty;
        - ``value`` and ``unit``: money in ``万元`` or ``万美元`` (亿元 × 10,000), counts in the
          counter used (个, 家, 条, 宗, 次, 项 …), percentages in ``%``; NaN when masked;
        - ``yoy_pct`` (negative for 下降; 0 for 持平) and ``yoy_note`` (新增 for a zero
          base), ``completion_pct`` (完成年度任务的x%), ``gap_pp``
          (超/低于序时进度, in points), ``target_value`` (全年任务 x, in ``unit``);
        - ``period_start``, ``period_end``, ``year``: the period the text last named
          (1-6月, 上半年, 元至10月 …), carried forward;
        - ``approx`` (约, 近, 余, 多), ``masked`` (``xx``, ``x.xx``) and ``masked_fields``
          (the attached percentages that were masked, e.g. ``completion_pct``);
        - ``parent`` and ``group``: for a part listed after 其中, the row of its total and
          which 其中 it belongs to (see :func:`check_report`);
        - ``start``, ``end``: the figure's character offsets in ``text`` (the value's span),
          and ``sentence``: the sentence it stands in, as written.

    Examples
    --------
    >>> t = extract_indicators("其中：省外項目7個，實際到位資金３.75億元，同比下降3.4%；"
    ...                        "省內6.61亿元，同比增长154.2%")
    >>> t[["indicator", "scope", "value", "unit", "yoy_pct"]]
            indicator scope    value unit  yoy_pct
    0  signed_projects    省外      7.0    个      NaN
    1  funds_in_place    省外  37500.0   万元     -3.4
    2  funds_in_place    省内  66100.0   万元    154.2
    >>> extract_indicators("全县实际利用境外资金xxx万美元")[["indicator", "value", "unit", "masked"]]
           indicator  value unit  masked
    0  foreign_funds    NaN  万美元    True
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return _empty()
    try:
        source = text if isinstance(text, str) else str(text)
        return _extract(source)
    except Exception:  # a reader of arbitrary text must never raise
        return _empty()


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "object")) for c in COLUMNS})


_DTYPES = {
    "value": "float64", "yoy_pct": "float64", "completion_pct": "float64", "gap_pp": "float64",
    "target_value": "float64", "resolution": "float64", "period_start": "Int64",
    "period_end": "Int64", "year": "Int64",
    "approx": "bool", "masked": "bool", "parent": "Int64", "group": "Int64", "start": "int64",
    "end": "int64",
}


def _spans(text: str, pattern: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def _extract(source: str) -> pd.DataFrame:
    text, index = _normalise(source)
    rows: list[dict[str, Any]] = []
    period: tuple[Any, Any, Any] = (None, None, None)
    group_id = 0
    previous_rows: list[int] = []
    for s_start, s_end in _spans(text, _SENTENCE_SPLIT, 0, len(text)):
        sentence_text = text[s_start:s_end]
        year = _YEAR.search(sentence_text)
        if year:
            period = (period[0], period[1], int(year.group(1)))
        if _PERIOD_CUE.search(sentence_text):
            span = find_period(sentence_text)
            if span.problem is None and span.end is not None:
                period = (span.start, span.end, span.year or period[2])
        sentence_rows: list[int] = []      # figures of this sentence, by row number
        totals: list[int] = []             # the rows a part after 其中 can belong to
        for p_start, p_end in _spans(text, re.compile(";"), s_start, s_end):
            scope_now: str | None = None
            part_rows: list[int] = []
            for c_start, c_end in _spans(text, _CLAUSE_SPLIT, p_start, p_end):
                clause = text[c_start:c_end]
                if "其中" in clause or clause.strip().startswith(("含", "包括")):
                    # 其中 opening a sentence lists the parts of the sentence before
                    totals = list(sentence_rows) if sentence_rows else list(previous_rows)
                    group_id += 1
                lead = _scopes(re.sub(r"^[\s:]*(?:其中|含|包括)?[\s:]*", "", clause)[:6])
                if lead and clause.lstrip(" :其中含包括").startswith(lead[0]):
                    scope_now = lead[0]
                pos = c_start
                for m in _TOKEN.finditer(text, c_start, c_end):
                    fig = _figure_of(m)
                    before = text[pos:m.start()]
                    context = text[c_start:m.start()]
                    if fig["kind"] in ("pct", "pp"):
                        target = part_rows[-1] if part_rows else (
                            sentence_rows[-1] if sentence_rows else None)
                        if _attach_percent(rows, target, fig, context, m):
                            pos = m.end()
                            continue
                    elif _is_target(before) and (part_rows or sentence_rows):
                        last = rows[(part_rows or sentence_rows)[-1]]
                        if last["unit"] == fig["unit"]:
                            last["target_value"] = fig["value"]
                            pos = m.end()
                            continue
                    label = _label(before if before.strip(" ,") else context, text, m, c_end)
                    scope = _scope(label, scope_now)
                    money = fig["kind"] == "money"
                    row = {
                        "indicator": _classify(label + (scope or ""), money,
                                               "USD" if fig["unit"] == "万美元" else None)
                        if fig["kind"] != "pct" else "other",
                        "label": label, "scope": scope or "", "value": fig["value"],
                        "unit": fig["unit"], "yoy_pct": math.nan, "completion_pct": math.nan,
                        "gap_pp": math.nan, "target_value": math.nan, "yoy_note": None,
                        "period_start": period[0], "period_end": period[1], "year": period[2],
                        "approx": fig["approx"], "masked": fig["masked"], "masked_fields": "",
                        "resolution": fig["resolution"],
                        "parent": None, "group": None,
                        "start": index[m.start()], "end": index[m.end() - 1] + 1,
                        "sentence": source[index[s_start]:index[s_end - 1] + 1].strip(),
                    }
                    if row["indicator"] == "other" and money and row["label"] == row["scope"]:
                        # 其中：省外3.75亿元 — named only by its scope, it is of its total's kind
                        same = [r for r in (totals + sentence_rows) if rows[r]["unit"] == row["unit"]]
                        if same:
                            row["indicator"] = rows[same[-1]]["indicator"]
                    if totals:
                        for r in reversed(totals):
                            if rows[r]["indicator"] == row["indicator"] and rows[r]["unit"] == row["unit"]:
                                row["parent"], row["group"] = r, group_id
                                break
                    rows.append(row)
                    sentence_rows.append(len(rows) - 1)
                    part_rows.append(len(rows) - 1)
                    pos = m.end()
                last = (part_rows or sentence_rows or [None])[-1]
                if last is not None and pos == c_start:   # a clause of words only
                    _attach_words(rows[last], clause)
        if sentence_rows:
            previous_rows = sentence_rows
    if not rows:
        return _empty()
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({c: t for c, t in _DTYPES.items()})


def _attach_words(row: dict[str, Any], clause: str) -> None:
    """同比持平, 同比新增, 与序时进度持平: growth and progress written without a number."""
    if re.search(r"同比(?:基本)?持平", clause):
        row["yoy_pct"] = 0.0
    elif re.search(r"同比新增|上年同期为零|上年同期无", clause):
        row["yoy_note"] = "新增"
    if re.search(r"与(?:序时|时序|时间)进度(?:基本)?持平", clause):
        row["gap_pp"] = 0.0


def _attach_percent(rows: list[dict[str, Any]], target: int | None, fig: dict[str, Any],
                    context: str, m: re.Match) -> bool:
    """Put a percentage on the figure it qualifies; False when it is a figure of its own."""
    tail = context[-24:]   # 完成州政府下达任务数132.63亿元的 90.8%
    field, sign = None, 1.0
    if "序时进度" in tail or "时序进度" in tail or "时间进度" in tail:
        field = "gap_pp"
        sign = -1.0 if any(w in tail for w in ("低于", "落后", "慢于", "差", "滞后")) else 1.0
    elif ("完成" in tail or "占" in tail) and any(w in tail for w in ("任务", "目标", "计划")):
        field = "completion_pct"   # 完成年度任务的x%, 占年度计划的x%
    elif any(w in tail[-6:] for w in _UP + _DOWN) and fig["kind"] == "pct":
        field = "yoy_pct"
        near = tail[-6:]
        down = max(near.rfind(w) for w in _DOWN)
        up = max(near.rfind(w) for w in _UP)
        sign = -1.0 if down > up else 1.0
    if field is None or target is None:
        return False
    row = rows[target]
    if field != "yoy_pct" and not (isinstance(row[field], float) and math.isnan(row[field])):
        return True   # 占市任务的92.42%，占县任务的85.81%: the first is the report's own
    if fig["masked"]:
        row["masked_fields"] = ",".join(filter(None, [row["masked_fields"], field]))
    else:
        row[field] = sign * fig["value"]
    return True


def _is_target(before: str) -> bool:
    """全年任务20亿元, 完成州下达任务数132.63亿元的90.8%: the amount is a target."""
    return re.search(r"(?:任务|目标|计划)数?(?:为|是|的)?$", before.strip()) is not None


def _label(before: str, text: str, m: re.Match, clause_end: int) -> str:
    label = _LABEL_TRIM.sub("", before.strip(" ,:;()")).strip(" ,:;()")
    if label:
        return label
    after = text[m.end():clause_end].strip(" ,:;()")   # 6个项目正排队 — the words follow
    return _LABEL_TRIM.sub("", after[:16]).strip(" ,:;()")


def _scopes(text: str) -> list[str]:
    """Scope words in ``text``; generic phrases (各乡镇, 从乡镇看, x个乡镇) are not units."""
    return [m.group("scope") for m in _SCOPE.finditer(text)
            if not any(w in m.group("scope") for w in _NOT_A_UNIT)]


_NOT_A_UNIT = ("乡镇", "个", "各", "从", "在", "和", "与", "及", "等", "的", "了")


def _scope(label: str, scope_now: str | None) -> str | None:
    found = _scopes(label)
    specific = [s for s in found if not re.fullmatch(_WHOLE, s)]
    if specific:
        return specific[-1]
    if scope_now:
        return scope_now
    return found[-1] if found else None


# --- checks -----------------------------------------------------------------------------------

def _decimals(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def check_report(table: pd.DataFrame, *, tolerance: float | None = None) -> pd.DataFrame:
    """Consistency checks on :func:`extract_indicators` output, one row per check.

    - ``parts_sum``: the parts listed after 其中 add up to their total;
    - ``implied_target``: value ÷ completion — and, where a target is stated, against it;
    - ``implied_last_year``: value ÷ (1 + growth), last year's figure the text implies;
    - ``parts_last_year``: the parts' implied last-year values add up to the total's.

    Published figures are rounded, so each check allows the rounding of the figures it uses
    (half a unit of the last decimal written, carried through the formula) unless
    ``tolerance`` (in the figures' unit) is given.

    Returns
    -------
    pandas.DataFrame
        ``check``, ``indicator``, ``scope``, ``rows`` (the table rows used), ``expected``,
        ``actual``, ``difference``, ``tolerance``, ``ok`` and ``detail`` (the formula with the
        figures). ``implied_*`` rows carry the implied value in ``actual`` and ``ok`` is empty
        unless there is something to compare with.

    Examples
    --------
    >>> t = extract_indicators("实际到位资金10.36亿元,同比增长59.8%,其中:省外3.75亿元,同比下降3.4%;"
    ...                        "省内6.61亿元,同比增长154.2%。")
    >>> c = check_report(t)
    >>> c[c["check"].isin(["parts_sum", "parts_last_year"])][["check", "expected", "actual", "ok"]].round(1)
                 check  expected    actual    ok
    0        parts_sum  103600.0  103600.0  True
    4  parts_last_year   64831.0   64823.0  True
    """
    out: list[dict[str, Any]] = []
    if table is None or not len(table):
        return pd.DataFrame(columns=["check", "indicator", "scope", "rows", "expected", "actual",
                                     "difference", "tolerance", "ok", "detail"])
    t = table.reset_index(drop=True)
    children = t[t["parent"].notna()]
    for (parent, _group), parts in children.groupby(["parent", "group"], sort=False):
        total = t.loc[int(parent)]
        if len(parts) < 2 or pd.isna(total["value"]) or parts["value"].isna().any():
            continue
        step = max(r / 2 for r in [total["resolution"], *parts["resolution"]])
        tol = tolerance if tolerance is not None else step * (len(parts) + 1)
        actual = float(parts["value"].sum())
        out.append(_check("parts_sum", total, [int(parent), *parts.index], float(total["value"]),
                          actual, tol, " + ".join(f"{v:g}" for v in parts["value"])
                          + f" = {actual:g}，合计 {total['value']:g}"))
    implied_last: dict[int, tuple[float, float]] = {}
    for i, row in t.iterrows():
        value = row["value"]
        if pd.isna(value):
            continue
        if pd.notna(row["completion_pct"]) and row["completion_pct"] > 0:
            implied = value / row["completion_pct"] * 100
            tol = tolerance if tolerance is not None else _carry(row, "completion_pct", implied)
            stated = row["target_value"]
            out.append(_check("implied_target", row, [i], stated if pd.notna(stated) else math.nan,
                              implied, tol, f"{value:g} ÷ {row['completion_pct']:g}% = {implied:.2f}"))
        if pd.notna(row["yoy_pct"]) and row["yoy_pct"] > -100:
            implied = value / (1 + row["yoy_pct"] / 100)
            tol = _carry(row, "yoy_pct", implied, base=100)
            implied_last[i] = (implied, tol)
            out.append(_check("implied_last_year", row, [i], math.nan, implied, tol,
                              f"{value:g} ÷ (1 + {row['yoy_pct']:g}%) = {implied:.2f}"))
    for (parent, _group), parts in children.groupby(["parent", "group"], sort=False):
        parent = int(parent)
        if parent not in implied_last or len(parts) < 2 or not all(p in implied_last for p in parts.index):
            continue
        total_last, total_tol = implied_last[parent]
        actual = sum(implied_last[p][0] for p in parts.index)
        tol = tolerance if tolerance is not None else total_tol + sum(implied_last[p][1] for p in parts.index)
        out.append(_check("parts_last_year", t.loc[parent], [parent, *parts.index], total_last,
                          actual, tol, " + ".join(f"{implied_last[p][0]:.2f}" for p in parts.index)
                          + f" = {actual:.2f}，合计上年 {total_last:.2f}"))
    return pd.DataFrame(out)


def _carry(row: pd.Series, field: str, result: float, base: float = 0.0) -> float:
    """How far ``result`` = value ÷ (base + pct) can move when both were rounded as written."""
    value, pct = row["value"], row[field] + base
    dv = row["resolution"] / 2
    dp = 0.5 * 10.0 ** (-_decimals(row[field]))
    return abs(result) * (dv / abs(value) + dp / abs(pct)) if value and pct else 0.0


def _check(name: str, row: pd.Series, rows: list[int], expected: float, actual: float,
           tol: float, detail: str) -> dict[str, Any]:
    diff = actual - expected if not math.isnan(expected) else math.nan
    return {
        "check": name, "indicator": row["indicator"], "scope": row["scope"], "rows": rows,
        "expected": expected, "actual": actual, "difference": diff, "tolerance": tol,
        "ok": (abs(diff) <= tol + 1e-9) if not math.isnan(diff) else None, "detail": detail,
    }
