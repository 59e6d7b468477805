"""Past work reports as data: the figures of report prose as a table, and their consistency.

:func:`extract_indicators` reads text such as "1-6月,我区实际到位市外境内资金10.36亿元,同比增长
59.8%,完成年度任务的38.4%" and returns one row per figure with its value in 万元 (or 万美元, a
count, a percentage), its growth, completion, time-progress gap, target and share, the period,
whether it was approximate (约, 近, 余, 多) or masked (``xx``), and where in the text it stands.
:func:`check_report` then does the sums an analyst does by hand.

Simplified and traditional characters, full-width digits and punctuation, pinyin and other
noise from web pages are all read; nothing raises on any input, and the time taken grows in
step with the length of the text.

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
from functools import lru_cache
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
    "寧宁佔占産产儲储備备謀谋復复撥拨齊齐蘭兰東东龍龙攤摊鏈链競竞賽赛評评調调"
)
_T2S = {ord(a): b for a, b in zip(_T2S_PAIRS[0::2], _T2S_PAIRS[1::2], strict=True)}

# Pinyin in brackets after characters, as some sites print them: 項(xiàng)目.
_PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹɑ]{1,7}\)")

# A line a PDF wrapped mid-sentence ("…完\n成目标任务") is joined; a title, or a line followed by
# an indented one (a new paragraph), is not.
_WRAP = re.compile(r"(?<=[^\n。!?;:]{15}[\u4e00-\u9fff\d,、])[ ]*\n(?=[ ]?[\u4e00-\u9fff\d])")
_TITLE_END = re.compile(r"(?:情况|总结|通报|报告|计划|打算|如下|公示|成效)[ ]*$")


def _normalise(text: str) -> tuple[str, list[int]]:
    """The text as the patterns read it, and for each of its characters the offset in ``text``.

    Full-width digits and punctuation become ASCII (NFKC), traditional characters simplified,
    pinyin annotations dropped. Linear in the length of the text.
    """
    table = {}
    one_for_one = True
    for c in set(text):
        if ord(c) > 127:
            n = unicodedata.normalize("NFKC", c).translate(_T2S)
            if n != c:
                table[ord(c)] = n
                one_for_one = one_for_one and len(n) == 1
    if one_for_one:   # every character stays one character: offsets are unchanged
        flat = text.translate(table)
        index = list(range(len(text)))
    else:
        chars: list[str] = []
        index = []
        for i, c in enumerate(text):
            n = table.get(ord(c), c)
            chars.append(n)
            index.extend([i] * len(n))
        flat = "".join(chars)
    drop: list[tuple[int, int]] = []
    for m in _WRAP.finditer(flat):
        line = flat[max(flat.rfind("\n", 0, m.start()) + 1, m.start() - 40):m.start()]
        if not _TITLE_END.search(line):
            drop.append((m.start(), m.end()))
    drop.extend((m.start(), m.end()) for m in _PINYIN.finditer(flat))
    if not drop:
        return flat, index
    drop.sort()
    keep_chars: list[str] = []
    keep_index: list[int] = []
    pos = 0
    for a, b in drop:
        if a > pos:
            keep_chars.append(flat[pos:a])
            keep_index.extend(index[pos:a])
        pos = max(pos, b)
    keep_chars.append(flat[pos:])
    keep_index.extend(index[pos:])
    return "".join(keep_chars), keep_index


# --- tokens -----------------------------------------------------------------------------------

# A number is read once, atomically: digits (a PDF may break "28. 1"), 3,500 with thousands
# separators, or a masked figure (xx, x.xx, 1x). Nothing in a token backtracks over digits.
_NUM = r"(?>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|[\dxX]+(?:\.[ ]?[\dxX]+)?)"
_TOKEN = re.compile(
    r"(?P<pre>(?<![履签合协预节制契邀公条])约|近|逾|超过|大约|将近)?"
    r"(?<![A-Za-z\d.])(?P<sign>[-−])?(?P<num>" + _NUM + r")(?![A-Za-z])[ ]?"
    r"(?:"
    r"(?P<pp>个百分点|百分点)"
    r"|(?P<pct>%)"
    r"|(?P<times>倍)"
    r"|(?P<post1>余|多)?(?P<mag>亿|万|千)?(?P<post2>余|多)?(?P<cur>美元|元)"
    r"|(?P<post3>余|多)?(?P<bare>亿|万)(?![元美]|[\u4e00-\u9fff]?(?:吨|平|亩|千|米|瓦|度|人|户|套|台|辆|株|头|只|件|册|本|篇|字|步|斤|公))"
    r"|(?P<post4>余|多)?(?P<counter>人次|批次|个|家|条|宗|次|项|批|场|户|人)(?!月|季度|小时|工作日|百分点)"
    r")"
)
_MAG = {"亿": 10000, "万": 1, "千": 0.1, None: 0.0001}  # → 万 of the currency

# What follows an amount that makes it a size class, not a figure: 10亿元以上, 500--999万元的项目,
# 超10亿元投资项目, 亿元级.
_BAND_AFTER = re.compile(
    r"(?:(?:至|到|-|—|~)[ ]?\d+(?:\.\d+)?[ ]?[亿万]?元?(?:及?以上|以下)?[的]?(?:投资)?"
    r"[\u4e00-\u9fff]{0,2}项目"
    r"|及?以上|以下|以内|级|左右的|[的]?(?:投资)?(?:重大|重点|大)?[\u4e00-\u9fff]{0,2}项目)")
_BAND_BEFORE = re.compile(r"\d[ ]?(?:--|-|—|~|～|至|到)[ ]?$")
_NOT_A_COUNT_AFTER = re.compile(r"(?:重点)?(?:产业链|措施|意见|建议|举措|工作|方面|渠道|机制)")

_WHOLE = r"全县|全区|全市|全省|全州|全镇|全乡|全盟|全旗|我县|我区|我市|我省|我州|我镇|本县|本区|本市|本州"
_WHOLE_RE = re.compile(_WHOLE)
# The source of funds: 省外, 市外境内, 国内省外 … (国内 before 合作项目 is a kind of project).
_CUT_RE = re.compile(r"(?:国内|国外|境内|境外|省外|省内|市外|市内|县外|县内|区外|州外|州内|外省|外市)+"
                     r"(?<!国内(?=经济合作|合作))")
_SECTOR_RE = re.compile(
    r"(?:(?:高原特色|特色|现代|都市|生态)?(?:农业|工业)(?!园|集中区)|现代服务业|服务业|第[一二三]产业|[一二三]产业|[一二三]产"
    r"|房地产|商贸(?:物流)?|基础设施|文旅|旅游|社会事业|其它|其他)(?![、等和])(?=项目|类|招商|履约|引进|建设|到位|签约|[\u4e00-\u9fff]{0,6}\d|[\u4e00-\u9fff]{0,8}$)"
)
# A place opening a clause or named just before its figure: 龙山县, 霍山县, 市开发区, 成都经济区.
_PLACE_RE = re.compile(
    r"[\u4e00-\u9fff]{2,6}\d{1,2}(?:州市|市州|县市区|县市|县区|市县)"
    r"|[\u4e00-\u9fff]{1,7}?(?:经济技术开发区|经济开发区|高新区|开发区|新区|园区|经济区|经济圈|地区|街道|县|区|市|州|镇|乡|旗|盟)"
)
_NOT_A_PLACE = ("实际", "利用", "到位", "资金", "完成", "引进", "项目", "签约", "投资", "招商", "全", "我",
                "各", "本", "共", "省外", "市外", "省内", "市内", "县外", "境外", "国内", "外省", "其中",
                "累计", "合计", "同比", "截至", "截止", "月", "年", "来自", "的", "和", "与", "及", "等",
                "个", "从", "在", "对", "为", "有", "新", "一", "二", "三", "四", "五", "六", "七",
                "八", "九", "十", "两", "园区", "城区", "市区", "辖区", "社区", "片区", "景区", "该")
_GENERIC_PLACE = {"地区", "城区", "市区", "园区", "新区", "开发区", "经济区", "乡镇", "县区", "县市区"}
_TIME_WORDS = re.compile(r"日前|目前|近日|今年|去年|当月|本月|同期|年初|年底|年末|上半年|下半年|季度")

#: Canonical indicator names and the words that name them (see :func:`extract_indicators`).
INDICATORS: dict[str, tuple[str, ...]] = {
    "imports_exports": ("进出口", "外贸", "出口", "进口"),
    "outbound_investment": ("对外投资", "对外直接投资", "中方投资", "境外投资企业"),
    "contract_investment": ("合同", "协议", "签约金额", "签约资金", "签约总额", "签约额", "投资总额",
                            "总投资额", "总投资", "合同引资", "协议投资"),
    "foreign_funds": ("利用外资", "实际利用外资", "境外资金", "外商投资", "外资"),
    "funds_in_place": ("到位", "入资", "实际利用", "引进资金", "利用资金", "引资额", "引资", "实际投资",
                       "到资", "资金"),
    "fixed_asset_investment": ("固定资产投资", "完成投资", "形成固定资产", "投资完成", "投资也完成"),
    "tax": ("税收", "引税", "纳税"),
    "project_investment": ("投资",),
    "visits": ("考察", "拜访", "外出招商", "推介", "招商活动", "客商", "招商", "人次"),
    "registered_companies": ("注册企业", "新注册", "新设立", "注册", "落户企业"),
    "leads": ("在谈", "洽谈", "项目信息", "线索", "意向企业", "意向项目", "储备", "谋划", "对接"),
    "producing_projects": ("投产", "竣工", "达产", "达效"),
    "started_projects": ("开工", "动工", "开复工", "在建"),
    "landed_projects": ("落地",),
    "performed_projects": ("履约", "实施"),
    "signed_projects": ("签约", "签订", "新签", "新批", "引进", "招商项目", "申报", "促成", "合同"),
}
_MONEY = ("imports_exports", "outbound_investment", "contract_investment", "foreign_funds",
          "funds_in_place", "fixed_asset_investment", "tax", "project_investment")
_COUNT = ("visits", "registered_companies", "leads", "producing_projects", "started_projects",
          "landed_projects", "performed_projects", "signed_projects")
#: Rates written as figures of their own: 履约率 98.8%, 开工率 90%, 资金到位率 34%.
RATES = {"履约率": "performance_rate", "开工建设率": "start_rate", "开工率": "start_rate",
         "动工率": "start_rate", "建成投产率": "production_rate", "投产率": "production_rate",
         "落地率": "landing_rate", "资金到位率": "funds_rate", "到位率": "funds_rate",
         "入资率": "funds_rate"}
_RATE_RE = re.compile("|".join(sorted(RATES, key=len, reverse=True)))

_UP = ("增长", "增加", "提高", "上升", "增幅", "增速", "增")
_DOWN = ("下降", "减少", "降低", "回落", "下滑", "降幅", "减", "降")
_YOY_RE = re.compile(r"(?:增长了?|增加了?|提高了?|上升了?|增幅为?|增速为?|下降了?|减少了?|降低了?|回落了?"
                     r"|下滑了?|降幅为?|[增降减])(?:达到?|为)?[ ]?$")
_GAP_RE = re.compile(r"(?:序时|时序|时间)?进度")
_GAP_BEHIND = ("低于", "落后", "慢于", "滞后", "欠", "差")
_PREVIOUS_VALUE = re.compile(r"由(?:去年|上年|一季度|上季度|上月|年初)?(?:同期)?的?[ ]?$")
# Only a sentence that names months has a period; "完成年度任务" is not "全年".
_PERIOD_CUE = re.compile(
    r"\d{1,2}[ ]*[-—~至到][ ]*\d{1,2}[ ]*月|\d{1,2}月[ ]*[至到][ ]*\d{1,2}月|元月?至"
    r"|截[至止][ ]*\d{1,2}[ ]*月"
    r"|[上下]半年|前[一二三]季度|第?[一二三四1-4]季度|前[\d一二三四五六七八九十]{1,2}个?月"
    r"|\d{1,2}月(?:份|底|末)|^[ ]*(?:\d{4}年)?(?:全年|\d{1,2}月)(?=[,:])")
_YEAR = re.compile(r"(?<![\d])((?:19|20)\d{2})[ ]*年(?!度?(?:任务|目标|计划)|同期)")
_MASKED_YEAR = re.compile(r"(?<![\dA-Za-z])(?:20|19)?[xX]{2,4}[ ]*年(?!度?(?:任务|目标|计划))")
_YEAR_SPAN = re.compile(r"[\d月份底末]{0,5}[ ]*(?:至|到|-|—|~)[ ]*((?:19|20)\d{2})[ ]*年")
_COMPARED = re.compile(r"(?:较|比|与|同|相比|对比|比较|和|超过|高于|低于)[ ]*$")
_CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|:"
                           r"|(?<=[个家条宗次项批场户人%元亿万倍点])、(?=[^\d,;。()]{0,20}\d)")
_LABEL_TRIM = re.compile(
    r"^(?:\d+月份?|[\s\d.、()\[\]\"“”'‘’]|其中|共计|累计|合计|总计|共|已|实现|完成了?|达到|达|为|有|是|今年以来|今年|截至目前|"
    r"只有|只|还为|还有|还|剩下的?|就有|但也有|也有|据统计|目前|"
    r"截止目前|全年|同期|[一二三四五六七八九十]+[、是])+|(?:为|达到|达|共|有|是|(?<![履签合协预节制契邀])约|了|突破|实现)+$"
)
_LEAD_TRIM = re.compile(r"^[\s:()]*(?:其中|含|包括|据统计|今年以来|今年|截至目前|截止目前|目前)?[\s:()]*")
_THIS_MONTH = re.compile(r"本月|当月")

COLUMNS = [
    "indicator", "label", "scope", "value", "unit", "yoy_pct", "yoy_note", "completion_pct", "gap_pp",
    "target_value", "share_pct", "period_start", "period_end", "year", "approx", "masked",
    "masked_fields", "resolution", "parent", "group", "start", "end", "sentence",
]


def _number(text: str) -> tuple[float, float]:
    """The value written and the size of its last digit (``"10.36"`` → 10.36, 0.01)."""
    if "x" in text.lower():
        return math.nan, math.nan
    dec = Decimal(text.replace(",", ""))
    return float(dec), float(Decimal(1).scaleb(dec.as_tuple().exponent))


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
    elif m.group("times"):
        kind, unit = "times", "倍"
    elif m.group("cur") or m.group("bare"):
        kind = "money"
        usd = m.group("cur") == "美元"
        mag = m.group("mag") or m.group("bare")
        unit = "万美元" if usd else "万元"
        if not masked:  # exact in decimal: 10.36亿 is 103600万, not 103599.99999999999
            value = float(Decimal(num.replace(",", "")) * Decimal(str(_MAG[mag])))
        digit = digit * _MAG[mag]
    else:
        kind, unit = "count", m.group("counter")
    return {"kind": kind, "value": value, "unit": unit, "approx": approx, "masked": masked,
            "resolution": digit}


_WORD_RE = re.compile("|".join(sorted({w for ws in INDICATORS.values() for w in ws}, key=len, reverse=True)))


@lru_cache(maxsize=4096)
def _classify(words: str, kind: str, unit: str) -> str | None:
    """The indicator the words name, or None when they name none."""
    words = re.sub(r"(?<=[省市县区州盟内])外资金", "外·资金", words)   # 市外资金 is not 外资
    words = words.replace("投资金额", "投资额")                      # nor is 投资金额 a 资金
    if _WORD_RE.search(words) is None and unit != "万美元":
        return None
    if kind == "money":
        if unit == "万美元":
            for name in ("imports_exports", "outbound_investment"):
                if any(w in words for w in INDICATORS[name]):
                    return name
            if "合同" in words or "协议" in words:
                return "contract_investment"
            return "foreign_funds"
        if any(w in words for w in ("签约", "合同", "协议")) and "到位" not in words:
            return "contract_investment"
        for name in _MONEY:
            if any(w in words for w in INDICATORS[name]):
                return name
        return None
    for name in _COUNT:
        if name == "visits" and unit not in ("人次", "批次", "次", "场", "批"):
            continue
        if any(w in words for w in INDICATORS[name]):
            return name
    return None


def _place(text: str) -> str | None:
    """A place named at the start of ``text``: 香格里拉县, 市开发区, 成都经济区."""
    m = _PLACE_RE.match(text)
    if m is None:
        return None
    name = m.group(0)
    if name in _GENERIC_PLACE or _WHOLE_RE.fullmatch(name):
        return None
    core = re.sub(r"(?:经济技术开发区|经济开发区|开发区|高新区|新区|经济区|经济圈)$", "", name)
    if any(w in core for w in _NOT_A_PLACE) and not re.search(r"\d", name):
        return None
    return name


_PERIOD_LEAD = re.compile(r"^(?:\d{4}年)?(?:\d{1,2}[-—至到]\d{1,2}月份?|上半年|前三季度|第?[一二三四]季度|"
                          r"前\d{1,2}个?月|截[至止]\d{1,2}月底?|\d{1,2}月份?)?[,]?")


def _lead(text: str) -> str:
    """A clause without the words that open it before its subject (其中, 1-6月份, 据统计)."""
    return _PERIOD_LEAD.sub("", _LEAD_TRIM.sub("", text))


@lru_cache(maxsize=4096)
def _scope_words(label: str, title_places: frozenset[str], bare: bool = True,
                 ) -> tuple[str | None, str | None, str | None]:
    """(specific, kind, whole) scope named in a label: a place, sector or source of funds, and
    the whole (全县) if named."""
    whole = None
    for m in _WHOLE_RE.finditer(label):
        whole = m.group(0)
    lead = _lead(label)
    if lead and _WHOLE_RE.match(lead):
        lead = lead[2:]
    place = _place(lead) if lead else None
    origin = re.search(r"来自([\u4e00-\u9fff]{2,6}?)的", label)
    if origin:   # 来自沪苏浙的…项目: where the money comes from
        name = origin.group(1)
        return name, ("cut" if _CUT_RE.fullmatch(name) else "place"), whole
    if place is None and bare:   # 潍坊5个、聊城3个; 较多的为青岛59亿元
        bare = re.search(r"(?:^|项目|为|是|有)([\u4e00-\u9fff]{2,3})$", _LABEL_TRIM.sub("", lead))
        if bare and not _WORD_RE.search(bare.group(1)) and not _WHOLE_RE.search(bare.group(1)) \
                and not _CUT_RE.search(bare.group(1)) and not _SECTOR_RE.search(bare.group(1)) \
                and not _RATE_RE.search(bare.group(1)) and not _TIME_WORDS.search(bare.group(1)) \
                and not re.search(r"[的了和与及在从对为有是已共新总各其中计率额数量]", bare.group(1)):
            place = bare.group(1)
    if place and place in title_places:
        whole, place = place, None
    if place:
        return place, "place", whole
    sector = _SECTOR_RE.search(label)
    if sector:
        return sector.group(0), "sector", whole
    cuts = [m.group(0) for m in _CUT_RE.finditer(label)]
    if cuts:
        return cuts[-1], "cut", whole
    return None, None, whole


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

        - ``indicator``: money — ``funds_in_place`` (实际到位资金), ``contract_investment``
          (合同引资, 签约金额, and the total investment of signed projects: 总投资, 投资总额),
          ``foreign_funds`` (外资, 万美元), ``outbound_investment`` (对外投资),
          ``fixed_asset_investment`` (固定资产投资, 完成投资), ``imports_exports``, ``tax``,
          ``project_investment`` (a project's planned investment); counts — ``signed_projects``,
          ``performed_projects`` (履约, 实施), ``started_projects`` (开工), ``producing_projects``
          (投产), ``landed_projects`` (落地), ``leads`` (在谈, 储备), ``registered_companies``,
          ``visits``; rates written as figures — ``performance_rate``, ``start_rate``,
          ``production_rate``, ``landing_rate``, ``funds_rate``; ``other``; and
          ``unreadable`` for a sentence that could not be read (its text in ``sentence``);
        - ``label``: the words before the figure as written (normalised); ``scope``: the place
          (全县, 霍山县, 成都经济区), source (省外, 市外境内) or sector (工业) the figure is of, or
          empty. Size classes (亿元以上项目) are part of the indicator, not a scope;
        - ``value`` and ``unit``: money in ``万元`` or ``万美元`` (亿元 × 10,000), counts in the
          counter used (个, 家, 条, 宗, 次, 项 …), percentages in ``%``; NaN when masked;
        - ``yoy_pct`` (negative for 下降; 0 for 持平; 增长2.3倍 is 230) and ``yoy_note`` (新增 for
          a zero base), ``completion_pct`` (完成年度任务的x%, 是目标的1.6倍 is 160),
          ``gap_pp`` (超/低于/欠序时进度, in points), ``target_value`` (the target stated,
          in ``unit``: 完成目标任务86.4亿元的…, 任务（36.8亿元）) and ``share_pct`` (占…的x%);
        - ``period_start``, ``period_end``, ``year``: the period the text last named
          (1-6月, 上半年, 前9个月, 元至10月 …), carried forward; 本月 is the last month of it;
          a year compared with (较2020年) does not reset it, a masked year (xx年) clears it,
          and a year first named late in the text holds for the figures before it;
        - ``approx`` (约, 近, 余, 多), ``masked`` (``xx``, ``x.xx``) and ``masked_fields``
          (the attached percentages that were masked, e.g. ``completion_pct``);
        - ``parent`` and ``group``: for a part listed after 其中, the row of its total and
          which 其中 it belongs to (see :func:`check_report`);
        - ``start``, ``end``: the figure's character offsets in ``text`` (the value's span),
          and ``sentence``: the sentence it stands in, as written (cut to the 300
          characters around the figure, marked …, when longer).

    Examples
    --------
    >>> t = extract_indicators("其中：省外項目7個，實際到位資金３.75億元，同比下降3.4%；"
    ...                        "省內6.61亿元，同比增长154.2%")
    >>> t[["indicator", "scope", "value", "unit", "yoy_pct"]]
            indicator scope    value unit  yoy_pct
    0  signed_projects    省外      7.0    个      NaN
    1  funds_in_place    省外  37500.0   万元     -3.4
    2  funds_in_place    省内  66100.0   万元    154.2
    >>> t = extract_indicators("龙山县到位资金32.5亿元，占全市到位资金的37.2%，完成目标任务86.4亿元的37.6%。")
    >>> t[["scope", "value", "share_pct", "completion_pct", "target_value"]]
      scope     value  share_pct  completion_pct  target_value
    0   龙山县  325000.0       37.2            37.6      864000.0
    >>> extract_indicators("全县实际利用境外资金xxx万美元")[["indicator", "value", "unit", "masked"]]
           indicator  value unit  masked
    0  foreign_funds    NaN  万美元    True
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return _empty()
    try:
        source = text if isinstance(text, str) else str(text)
        rows = _Reader(source).read()
    except Exception as exc:  # a reader of arbitrary text must never raise
        rows = [_unreadable(str(text)[:200] if text is not None else "", exc, 0, 0)]
    if not rows:
        return _empty()
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.astype({c: t for c, t in _DTYPES.items()})


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "object")) for c in COLUMNS})


_DTYPES = {
    "value": "float64", "yoy_pct": "float64", "completion_pct": "float64", "gap_pp": "float64",
    "target_value": "float64", "share_pct": "float64", "resolution": "float64",
    "period_start": "Int64", "period_end": "Int64", "year": "Int64",
    "approx": "bool", "masked": "bool", "parent": "Int64", "group": "Int64", "start": "int64",
    "end": "int64",
}


def _unreadable(sentence: str, exc: Exception, start: int, end: int) -> dict[str, Any]:
    return {
        "indicator": "unreadable", "label": f"本句无法识别（{type(exc).__name__}）",
        "scope": "", "value": math.nan, "unit": "", "yoy_pct": math.nan, "yoy_note": None,
        "completion_pct": math.nan, "gap_pp": math.nan, "target_value": math.nan,
        "share_pct": math.nan, "period_start": None, "period_end": None, "year": None,
        "approx": False, "masked": False, "masked_fields": "", "resolution": math.nan,
        "parent": None, "group": None, "start": start, "end": end, "sentence": sentence,
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


_SEMI = re.compile(";")
_NEW_BREAKDOWN = re.compile(r"(?:从|按)[\u4e00-\u9fff]{0,10}(?:看|分)")
_NOUN = re.compile(r"(?:\d{4}年)?[\u4e00-\u9fff]{0,12}")
_TARGET_BEFORE = re.compile(r"(?:任务|目标|计划)数?(?:为|是|的)?$")
_TARGET_NAMED = re.compile(r"(?:任务|目标)数?(?:为|是)")
_TARGET_AFTER = re.compile(r"\)?(?:(?:的)?[\u4e00-\u9fff]{0,6}?(?:任务|目标)|的[ ]?[\d.xX]+[ ]?(?:%|倍))")
_COUNT_UNIT = re.compile(r"人次|批次|个|家|条|宗|次|项|批|场|户|人")
_NOTE = re.compile(r"\([^()]*\)")
_SENTENCE_MAX = 300
_PARAGRAPH = re.compile(r"[\n\r]+")
_SENTENCE = re.compile(r"[。!?]+")
_RESPECTIVELY = re.compile(r"分别")
_LIST_SEP = re.compile(r"^[ ]*(?:、|和|与|及|,|以及)[ ]*[\u4e00-\u9fff]{0,6}$")


class _Reader:
    """One pass over the text: paragraphs, sentences, ``;`` parts, clauses, tokens.

    Every lookup is bounded (a window of characters before or after a token, the last row of
    each kind), so the work grows with the length of the text and the number of figures.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.text, self.index = _normalise(source)
        self.rows: list[dict[str, Any]] = []
        self.period: tuple[Any, Any] = (None, None)
        self.year: int | None = None
        self.year_masked = False
        self.first_year_row: int | None = None
        self.group_id = 0
        self.previous_kinds: dict[tuple[str, str], int] = {}
        self.title_places: frozenset[str] = frozenset()
        self.part_start: int | None = None
        self.last_token_end = 0
        self.prev_token_end = 0
        self.pending_target: tuple[str, float] | None = None

    # -- structure --
    def read(self) -> list[dict[str, Any]]:
        text = self.text
        first = True
        for p_start, p_end in _spans(text, _PARAGRAPH, 0, len(text)):
            if first:   # a title line names the report's own place: 贵池区…情况通报
                first = False
                line = text[p_start:p_end]
                if _TITLE_END.search(line) or not _TOKEN.search(line):
                    place = _place(_LEAD_TRIM.sub("", line))
                    if place:
                        self.title_places = frozenset([place])
            self.whole: str | None = None
            self.last_count: int | None = None
            self.recent: dict[tuple[str, str], list[int]] = {}
            for s_start, s_end in _spans(text, _SENTENCE, p_start, p_end):
                mark = len(self.rows)
                try:
                    self.sentence(s_start, s_end)
                except Exception as exc:  # one sentence must not empty the whole result
                    del self.rows[mark:]
                    self.rows.append(_unreadable(self._original(s_start, s_end), exc,
                                                 self.index[s_start], self.index[s_end - 1] + 1))
        if self.first_year_row is not None and not self.year_masked_before_first:
            for row in self.rows[:self.first_year_row]:
                if row["year"] is None and row["indicator"] != "unreadable":
                    row["year"] = self.first_year
        return self.rows

    def _sentence_near(self, m: re.Match) -> str:
        """The sentence as written; one longer than 300 characters is cut to the 300 around the
        figure (marked …), so that the table grows with the text, not with its square."""
        sentence = self.sentence_source
        if len(sentence) <= _SENTENCE_MAX:
            return sentence
        at = self.index[m.start()] - self.sentence_offset
        lo = max(0, min(at - _SENTENCE_MAX // 2, len(sentence) - _SENTENCE_MAX))
        return ("…" if lo else "") + sentence[lo:lo + _SENTENCE_MAX] + (
            "…" if lo + _SENTENCE_MAX < len(sentence) else "")

    def _original(self, start: int, end: int) -> str:
        return self.source[self.index[start]:self.index[end - 1] + 1].strip()

    def _set_year(self, sentence: str) -> None:
        found = None
        for m in _YEAR.finditer(sentence):
            if not _COMPARED.search(sentence[max(0, m.start() - 4):m.start()]):
                found = int(m.group(1))
                span = _YEAR_SPAN.match(sentence, m.end())   # 2018年1月至2019年9月: 2019
                if span:
                    found = int(span.group(1))
                break
        masked = _MASKED_YEAR.search(sentence)
        if masked and (found is None or masked.start() < sentence.find(str(found))):
            self.year, self.year_masked = None, True
            return
        if found is not None:
            if self.first_year_row is None:
                self.first_year_row = len(self.rows)
                self.first_year = found
                self.year_masked_before_first = self.year_masked
            self.year = found

    def _set_period(self, sentence: str) -> None:
        for cue in _PERIOD_CUE.finditer(sentence):
            if not _COMPARED.search(sentence[max(0, cue.start() - 4):cue.start()]):
                break   # 较上半年增加44个 compares; it does not set the period
        else:
            return
        window = sentence[max(0, cue.start() - 10):cue.end() + 4]
        span = find_period(window)
        if span.problem is None and span.end is not None:
            self.period = (span.start, span.end)
            if span.year:
                self.year = span.year

    def sentence(self, s_start: int, s_end: int) -> None:
        text = self.text
        sentence_text = text[s_start:s_end]
        self._set_year(sentence_text)
        self._set_period(sentence_text)
        self.sentence_source = self._original(s_start, s_end)
        self.sentence_start = s_start
        self.sentence_offset = self.index[s_start] + (
            len(self.source[self.index[s_start]:self.index[s_end - 1] + 1])
            - len(self.source[self.index[s_start]:self.index[s_end - 1] + 1].lstrip()))
        self.sentence_rows: list[int] = []
        self.sentence_kinds: dict[tuple[str, str], int] = {}
        self.sentence_place: str | None = None
        self.totals: dict[tuple[str, str], list[int]] | None = None
        self.paren_parts = False
        self.this_month = False
        self.current: int | None = None     # the figure percentages attach to
        self.respective = self._respectively(s_start, s_end)
        for part_start, part_end in _spans(text, _SEMI, s_start, s_end):
            self.segment_scope: str | None = None
            self.part_rows: list[int] = []
            self.part_start = part_start
            self.current = None
            self.this_month = False
            for c_start, c_end in _spans(text, _CLAUSE_SPLIT, part_start, part_end):
                self.clause(c_start, c_end)
        if self.sentence_rows:
            self.previous_kinds = dict(self.sentence_kinds)

    def _respectively(self, s_start: int, s_end: int) -> dict[int, tuple[str, ...]]:
        """A、B和C分别为x、y和z: the name each of x, y, z goes with (a rate or a place)."""
        text = self.text
        out: dict[int, tuple[str, ...]] = {}
        for r in _RESPECTIVELY.finditer(text, s_start, s_end):
            tokens = []
            pos = r.end()
            limit = min(s_end, r.end() + 200)
            for m in _TOKEN.finditer(text, r.end(), limit):
                gap = text[pos:m.start()]
                if tokens and not _LIST_SEP.match(gap):
                    break
                if not tokens and len(gap) > 8:
                    break
                tokens.append(m)
                pos = m.end()
            if len(tokens) < 2:
                continue
            head = text[max(s_start, r.start() - 80):r.start()]
            cut = max(head.rfind(","), head.rfind(":"), head.rfind(";"))
            names_text = head[cut + 1:]
            if not names_text.strip(" ,") and cut > 0:
                prev = head[:cut]   # 昭通、保山…六州市的项目落地率均达到30%,分别为51%、…
                cut2 = max(prev.rfind(","), prev.rfind(":"), prev.rfind(";"))
                names_text = prev[cut2 + 1:]
            names = [n for n in re.split(r"、|和|与|及", names_text) if n]
            if len(names) == len(tokens):
                rate = [_RATE_RE.search(n) for n in names]
                if all(rate):
                    for m, rm in zip(tokens, rate, strict=True):
                        out[m.start()] = ("rate", RATES[rm.group(0)])
                    continue
                cleaned = [re.split(r"[\d一二三四五六七八九十两]|的|等|已|均|共", _LEAD_TRIM.sub("", n))[0]
                           for n in names]
                if all(1 < len(n) <= 8 for n in cleaned):
                    common = _RATE_RE.search(names_text)
                    for m, n in zip(tokens, cleaned, strict=True):
                        out[m.start()] = ("scope", n, RATES[common.group(0)] if common else "")
                    continue
            rate = _RATE_RE.search(names_text)
            if rate:   # 各县区开工率分别为:金安区93.5%、叶集区89.5%…; 资金到位率分别为5.7%、8.5%
                for m in tokens:
                    out[m.start()] = ("rate", RATES[rate.group(0)])
                continue
            if _YOY_RE.search(text[r.end():tokens[0].start()]) or re.search(
                    r"增长|下降|增加|减少", text[r.end():tokens[0].start()]):
                # 同比分别增长x%、y%: the growth of the figures just before, in order
                out[r.start()] = ("spread", str(len(tokens)))
                for m in tokens[1:]:
                    out[m.start()] = ("spread_item",)
        return out

    def clause(self, c_start: int, c_end: int) -> None:
        text = self.text
        clause = text[c_start:c_end]
        parts_at = clause.find("其中")
        if parts_at < 0 and clause.lstrip(" (").startswith(("含", "包括")):
            parts_at = 0
        lead = _lead(clause)
        specific, kind, whole = _scope_words(lead[:24], self.title_places, False)
        if whole and lead.startswith(whole):
            self.whole = whole
        if specific and (lead.startswith(specific) or (_WHOLE_RE.match(lead)
                                                        and lead[2:].startswith(specific))):
            self.segment_scope = specific
            if kind == "place":
                self.sentence_place = specific
        spread = [k for k in self.respective if c_start <= k < c_end and self.respective[k][0] == "spread"]
        if spread:
            self._spread(int(self.respective[spread[0]][1]), spread[0], c_end)
            return
        pos = c_start       # where the words of the next figure's label begin
        last_end = c_start  # the end of the last token read
        last_pct_end = c_start
        target_end: int | None = None
        for m in _TOKEN.finditer(text, c_start, c_end):
            gap = text[last_end:m.start()]
            if parts_at >= 0 and c_start + parts_at < m.start():
                self._open_parts(c_start + parts_at)
                self.paren_parts = text[max(c_start, c_start + parts_at - 1):c_start + parts_at] == "("
                parts_at = -1
            elif self.paren_parts and ")" in gap:
                self.totals, self.paren_parts = None, False
            month = max(gap.rfind("本月"), gap.rfind("当月"))
            if month >= 0 or "累计" in gap:
                self.this_month = month > gap.rfind("累计")
            last_end = m.end()
            self.prev_token_end, self.last_token_end = self.last_token_end, m.end()
            if self.respective.get(m.start(), ("",))[0] == "spread_item":
                pos = m.end()
                continue   # read with the first of its list
            fig = _figure_of(m)
            before = text[max(pos, m.start() - 30):m.start()]
            after = text[m.end():min(c_end, m.end() + 20)]
            if fig["kind"] in ("pct", "pp", "times"):
                ctx = _NOTE.sub("", text[max(last_pct_end, c_start, m.start() - 60):m.start()])[-30:]
                wide = _NOTE.sub("", text[max(c_start, m.start() - 60):m.start()])[-40:]
                last_pct_end = m.end()
                self.percent(m, fig, ctx, wide, before)
                pos = m.end()
                continue
            num_start = m.start("num") - (1 if m.group("sign") else 0)
            if _BAND_BEFORE.search(text[max(c_start, num_start - 4):num_start]) or \
                    (fig["kind"] == "money" and _BAND_AFTER.match(after)) or \
                    (fig["kind"] == "count" and (text[max(c_start, m.start() - 1):m.start()] == "第"
                                                 or _NOT_A_COUNT_AFTER.match(after))):
                continue   # a size class is part of the next figure's label: 5000万元以上项目204个
            if target_end is not None and re.fullmatch(r"\([^()]*", text[target_end:m.start()]):
                continue   # 任务1000万美元(其中加工贸易200万美元): a note on the target
            context = text[max(c_start, m.start() - 30):m.start()]
            if self._target(m, fig, before, after, context):
                pos = target_end = m.end()
                continue
            self.figure(m, fig, before, after)
            pos = m.end()
        if self.paren_parts and ")" in text[last_end:c_end]:
            self.totals, self.paren_parts = None, False
        if parts_at >= 0:
            self._open_parts(c_start + parts_at)
            self.paren_parts = False
        if last_end == c_start and self.current is not None:   # a clause of words only
            _attach_words(self.rows[self.current], clause)

    def _open_parts(self, at: int) -> None:
        """其中 lists the parts of a figure before it: one of this sentence, or, when 其中 opens
        the sentence, one of the paragraph so far — unless the sentence opens a new breakdown
        (从产业结构上看，其中…; 按性质分)."""
        if self.sentence_rows:
            rows = self.sentence_rows
        elif _NEW_BREAKDOWN.search(self.text, self.sentence_start, at):
            self.totals = None
            return
        else:
            rows = [r for kind in self.recent.values() for r in kind]
        totals: dict[tuple[str, str], list[int]] = {}
        for r in sorted(rows[-24:]):
            if self.rows[r]["parent"] is None and self.rows[r]["unit"] != "%":
                totals.setdefault((self.rows[r]["indicator"], self.rows[r]["unit"]), []).append(r)
        self.totals = totals
        self.group_id += 1

    # -- figures --
    def _target(self, m, fig, before: str, after: str, context: str) -> bool:
        """全年任务20亿元, 完成目标任务86.4亿元的31.2%, 完成省下达任务（36.8亿元）的61.3%."""
        b = before.rstrip(" (")
        is_target = _TARGET_BEFORE.search(b) is not None
        if not is_target and _TARGET_NAMED.search(before):
            is_target = True      # 目标任务数为引进区内外资金27亿元
        if not is_target and ("完成" in context or "占" in context):
            is_target = _TARGET_AFTER.match(after) is not None
        if not is_target:
            return False
        target = self.current
        if target is None or self.rows[target]["unit"] != fig["unit"]:
            same = [r for r in reversed(self.sentence_rows[-3:]) if self.rows[r]["unit"] == fig["unit"]]
            target = same[0] if same else None
        if target is None and not self.sentence_rows:
            # 完成市下达任务100亿的100.2% in the sentence after its figure
            for r in range(len(self.rows) - 1, max(-1, len(self.rows) - 7), -1):
                if self.rows[r]["unit"] == fig["unit"] and self.rows[r]["indicator"] != "unreadable":
                    target = r
                    break
        if target is None:
            # a target with no figure yet goes with the completion of the next figure in its unit
            if not fig["masked"]:
                self.pending_target = (fig["unit"], fig["value"])
            return True
        row = self.rows[target]
        # a target goes with its completion: 完成市任务的165%，完成省任务(8.3亿元)的496% keeps
        # the first completion and so not the second target
        second = not math.isnan(row["completion_pct"]) or "completion_pct" in row["masked_fields"]
        if math.isnan(row["target_value"]) and not fig["masked"] and not (
                second and re.match(r"^\)?的[ ]?[\d.xX]+[ ]?%", after)):
            row["target_value"] = fig["value"]
        self.current = target
        return True

    def figure(self, m, fig, before: str, after: str) -> None:
        text = self.text
        raw = _NOTE.sub("", before).strip(" ,:;()")   # (3000万元以上工业项目…) is a note
        label = _LABEL_TRIM.sub("", raw).strip(" ,:;()")
        am = _NOUN.match(after)
        noun = am.group(0) if am and fig["kind"] in ("count", "money") else ""
        if not label:
            label = _LABEL_TRIM.sub("", after[:16].strip(" ,:;()")).strip(" ,:;()")
        role = self.respective.get(m.start())
        if fig["kind"] in ("pct", "pp"):
            rate = _RATE_RE.search(_NOTE.sub("", before)[-12:])
            indicator = RATES[rate.group(0)] if rate else None
            if role and role[0] == "rate":
                indicator = role[1]
            elif role and role[0] == "scope" and role[2]:
                indicator = role[2]
            indicator = indicator or "other"
        else:
            indicator = None
            if fig["kind"] == "count" and self.totals and re.fullmatch(
                    r"(?:其中)?(?:新引进|新建|续建|新签约)(?:项目)?", label):
                # 实施项目9个,其中新引进1个,续建8个: parts of their total
                kinds = [k for k in self.totals if k[1] == fig["unit"]]
                indicator = kinds[-1][0] if kinds else None
            indicator = indicator or _classify(raw, fig["kind"], fig["unit"])
            if indicator is None or (fig["kind"] == "count" and noun):
                indicator = _classify(raw + noun, fig["kind"], fig["unit"]) or indicator
            if indicator is None and fig["kind"] == "money" and self.part_start is not None:
                # 从资金到位情况看,完成48.4亿元: the words are in the clause before
                since = max(self.part_start, self.prev_token_end, m.start() - 60)
                wider = _NOTE.sub("", text[since:m.start()])
                indicator = _classify(wider, fig["kind"], fig["unit"])
            if indicator == "contract_investment" and after.startswith("的") and "签约" not in raw:
                indicator = "project_investment"   # 总投资220亿元的天亿科技…项目
            before_count = self.rows[self.part_rows[-1]] if self.part_rows else None
            if fig["kind"] == "money" and before_count is not None and before_count["unit"] != "%" \
                    and _COUNT_UNIT.match(before_count["unit"]) \
                    and not re.search(r"签约|合同|协议|到位|实际", raw) \
                    and (re.search(r"引资额|投资额|资金额|金额$", raw) or indicator == "contract_investment"):
                if before_count["indicator"] == "signed_projects" and indicator in (
                        "funds_in_place", "project_investment"):
                    indicator = "contract_investment"   # 签约项目11个,引资额32.24亿元
                elif before_count["indicator"] == "leads" and indicator in (
                        "funds_in_place", "contract_investment"):
                    indicator = "project_investment"    # 在谈项目58个,计划总投资897亿元
        # scope: a place, sector or source named here; else the one this part of the sentence
        # named; else the whole (全县) named here or earlier in the paragraph
        specific, kind, whole = _scope_words(label + noun, self.title_places)
        if role and role[0] == "scope":
            specific, kind = role[1], "place"
        if kind == "cut" and self.sentence_place and not self.totals:
            specific = self.sentence_place   # 东部地区签约项目216个；实际到位外省资金448亿元
        if whole:
            self.whole = whole
            if not specific:
                self.sentence_place = None   # 兰州日报讯…,全省签约…: the whole named later wins
        scope = specific or whole or self.segment_scope or self.sentence_place or self.whole
        if specific:
            self.segment_scope = specific
        elif whole:
            self.segment_scope = None
        if indicator is None:
            indicator = self._inherit(fig, label, noun)
        row = {
            "indicator": indicator, "label": label, "scope": scope or "", "value": fig["value"],
            "unit": fig["unit"], "yoy_pct": math.nan, "completion_pct": math.nan,
            "gap_pp": math.nan, "target_value": math.nan, "share_pct": math.nan, "yoy_note": None,
            "period_start": self.period[0], "period_end": self.period[1], "year": self.year,
            "approx": fig["approx"], "masked": fig["masked"], "masked_fields": "",
            "resolution": fig["resolution"], "parent": None, "group": None,
            "start": self.index[m.start()], "end": self.index[m.end() - 1] + 1,
            "sentence": self._sentence_near(m),
        }
        if self.this_month and self.period[1] is not None:
            row["period_start"] = row["period_end"] = self.period[1]   # 本月 of 1-5月 is May
        if self.totals:
            # the most recent total the part fits in: a part is never larger than its total
            for r in reversed(self.totals.get((indicator, fig["unit"]), [])):
                total = self.rows[r]["value"]
                if math.isnan(total) or math.isnan(fig["value"]) or total >= fig["value"]:
                    row["parent"], row["group"] = r, self.group_id
                    break
        i = len(self.rows)
        self.rows.append(row)
        self.sentence_rows.append(i)
        self.part_rows.append(i)
        self.sentence_kinds[(indicator, fig["unit"])] = i
        if row["parent"] is None:
            recent = self.recent.setdefault((indicator, fig["unit"]), [])
            recent.append(i)
            del recent[:-8]
        if fig["kind"] == "count":
            self.last_count = i
        if fig["kind"] not in ("pct", "pp"):
            self.current = i
        del text

    def _inherit(self, fig, label: str, noun: str) -> str:
        """A figure named only by its scope or category (其中：省外3.75亿元, 续建项目7个) is of the
        kind of the figure before it."""
        if fig["kind"] == "count":
            if self.last_count is not None and fig["unit"] == self.rows[self.last_count]["unit"]:
                return self.rows[self.last_count]["indicator"]
            return "signed_projects" if "项目" in label + noun else "other"
        for r in reversed(self.sentence_rows[-4:]):
            if self.rows[r]["unit"] == fig["unit"] and self.rows[r]["indicator"] != "other":
                return self.rows[r]["indicator"]
        if self.totals:
            for (ind, unit) in self.totals:
                if unit == fig["unit"] and ind != "other":
                    return ind
        return "other"

    # -- percentages --
    def percent(self, m, fig, ctx: str, wide: str, before: str) -> None:
        role = self.respective.get(m.start())
        if role and role[0] in ("rate", "scope"):
            self.figure(m, fig, before, "")
            return
        field, sign = _percent_field(ctx, wide, fig)
        if field == "drop":
            return
        if field == "rate" and fig["kind"] == "pct":
            self.figure(m, fig, before, "")
            return
        target = self.current
        if target is None and self.sentence_rows:
            target = self.sentence_rows[-1]
        if re.search(r"(?:项目|企业)?(?:个数|数量)|项目数", ctx) and self.last_count is not None \
                and self.last_count in self.part_rows:
            target = self.last_count   # 225个,总投资584.8亿元,项目数同比增长9.2%
        if field in (None, "rate") or target is None:
            if fig["kind"] in ("pct", "pp"):
                self.figure(m, fig, before, "")
            return
        row = self.rows[target]
        parent = row["parent"]
        if field in ("completion_pct", "gap_pp") and parent is not None \
                and self.rows[parent]["scope"] == row["scope"] and math.isnan(row["target_value"]) \
                and math.isnan(self.rows[parent][field]):
            row = self.rows[parent]   # 其中1000万以上项目4.9亿元，完成全年任务的60%: of the total
        value = fig["value"]
        if fig["kind"] == "times":
            if field == "yoy_pct":   # 增长2.3倍 is +230%; 是去年的2.3倍 is +130%
                value = _times(value) if not re.search(r"是[^,]{0,8}的[ ]?$", ctx) else _times(value) - 100
            elif field == "completion_pct":
                value = _times(value)
            else:
                return
        if not (isinstance(row[field], float) and math.isnan(row[field])):
            return   # 占市任务的92.42%，占县任务的85.81%: the first is the report's own
        if fig["masked"]:
            if field not in row["masked_fields"].split(","):
                row["masked_fields"] = ",".join(filter(None, [row["masked_fields"], field]))
        else:
            row[field] = sign * value
        if field == "completion_pct" and self.pending_target and self.pending_target[0] == row["unit"] \
                and math.isnan(row["target_value"]):
            row["target_value"] = self.pending_target[1]
            self.pending_target = None

    def _spread(self, n: int, at: int, c_end: int) -> None:
        """同比分别增长x%、y%: each growth on the figures just before, in order."""
        text = self.text
        targets = [r for r in self.sentence_rows if self.rows[r]["unit"] != "%"][-n:]
        tokens = list(_TOKEN.finditer(text, at, min(len(text), at + 200)))[:n]
        ctx = text[at:tokens[0].start()] if tokens else ""
        down = any(w in ctx for w in _DOWN) and not any(w in ctx for w in _UP[:3])
        if len(targets) != n:
            return
        for r, m in zip(targets, tokens, strict=False):
            fig = _figure_of(m)
            if fig["kind"] not in ("pct", "times"):
                continue
            row = self.rows[r]
            value = _times(fig["value"]) if fig["kind"] == "times" else fig["value"]   # 分别增长1.2倍、35%
            if fig["masked"]:
                row["masked_fields"] = ",".join(filter(None, [row["masked_fields"], "yoy_pct"]))
            elif math.isnan(row["yoy_pct"]):
                row["yoy_pct"] = -value if down else value


def _times(value: float) -> float:
    """2.3倍 as a percentage, exactly: 230, not 229.99999999999997."""
    return value if math.isnan(value) else float(Decimal(repr(value)) * 100)


def _percent_field(ctx: str, wide: str, fig: dict[str, Any]) -> tuple[str | None, float]:
    """Which attribute a percentage (or 倍) is, from the words just before it (``ctx``, since the
    last percentage) and the clause around (``wide``)."""
    tail = ctx[-24:]
    if _PREVIOUS_VALUE.search(tail) or re.search(r"(?:任务|目标)数?占比[为是]?[ ]?$", tail):
        return "drop", 1.0        # 由去年的6%提升至9%: 6% is last year's; (任务数占比60%)
    own = re.search(r"([\u4e00-\u9fff]{2,12})占比(?:为|达到?)?[ ]?$", tail)
    if own and _WORD_RE.search(own.group(1)):
        return "rate", 1.0        # 工业到位资金占比64.9%: the share of a part, a figure of its own
    if _RATE_RE.search(tail[-12:]) and not re.search(r"完成率", tail[-8:]):
        return "rate", 1.0
    if (_GAP_RE.search(tail) and any(w in tail for w in ("超", "高于", "快于", "领先", *_GAP_BEHIND))) \
            or re.search(r"(?:序时|时序|时间)进度", tail):
        behind = any(w in tail for w in _GAP_BEHIND)
        return "gap_pp", -1.0 if behind else 1.0
    if fig["kind"] == "pp":
        return None, 1.0
    if re.search(r"完成率|完成进度", tail) or (
            re.search(r"完成|占|为|是|达", tail) and re.search(r"任务|目标|计划", tail)):
        return "completion_pct", 1.0   # 完成年度任务的x%, 占年度计划的x%, 是年度目标的1.6倍
    near = tail[-8:]
    if re.search(r"(?:提升|提高|增|升|降|下降)至[ ]?$", near):
        # 由…提升至9%: the new level of whatever the clause measures
        return ("share_pct", 1.0) if ("占" in wide or "比重" in wide) else ("drop", 1.0)
    if "占" in tail or "比重" in tail:
        return "share_pct", 1.0
    if _YOY_RE.search(near):
        down = max(near.rfind(w) for w in _DOWN)
        up = max(near.rfind(w) for w in _UP)
        return "yoy_pct", -1.0 if down > up else 1.0
    return None, 1.0


def _attach_words(row: dict[str, Any], clause: str) -> None:
    """同比持平, 同比新增, 与序时进度持平: growth and progress written without a number."""
    if re.search(r"同比(?:基本)?持平", clause):
        row["yoy_pct"] = 0.0
    elif re.search(r"同比新增|上年同期为零|上年同期无", clause):
        row["yoy_note"] = "新增"
    if re.search(r"与(?:序时|时序|时间)进度(?:基本)?持平", clause):
        row["gap_pp"] = 0.0


# --- checks -----------------------------------------------------------------------------------

def _decimals(value: float) -> int:
    text = repr(float(value))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


# Sources of funds as the parts of the whole they cover: P 省外, C 省内市外, I 市内, F 境外.
_SOURCE_PARTS = {
    "省外": "P", "外省": "P", "国内省外": "P", "境内省外": "P",
    "省内": "CI", "市外省内": "C", "省内市外": "C", "市内": "I", "县内": "I",
    "市外": "PC", "州外": "PC", "县外": "PC", "区外": "PC", "省外市外": "PC", "市外境内": "PC",
    "境外": "F", "国外": "F", "境内": "PCI", "国内": "PCI",
}
_NEW_OLD = (("new", re.compile(r"新建|新引进|新签约|新签|新开工|新增")), ("old", re.compile(r"续建|结转")))


def _part_key(row: pd.Series, total: pd.Series) -> tuple[str, Any] | None:
    """What a part after 其中 covers: a source of funds, a sector, or new / continuing. None
    when it is a cut that may overlap others (亿元以上项目, 上市公司, 外资 …) or a place (其中
    新到位较多的为青岛59亿元、日照37.4亿元 lists the largest, not all)."""
    scope = row["scope"] or ""
    if scope and scope != total["scope"]:
        if scope in _SOURCE_PARTS:
            return "source", frozenset(_SOURCE_PARTS[scope])
        if _SECTOR_RE.fullmatch(scope) or _SECTOR_RE.match(scope + "项目"):
            return "sector", frozenset([scope])
        if _CUT_RE.fullmatch(scope):
            return None
        return None   # places listed after 其中 are often the largest few, not all of them
    for key, pattern in _NEW_OLD:
        if pattern.search(row["label"] or ""):
            return "category", frozenset([key])
    return None


def _partition(parts: pd.DataFrame, total: pd.Series) -> bool:
    """Whether the parts are disjoint pieces of their total, so that they may be added."""
    keys = [_part_key(row, total) for _, row in parts.iterrows()]
    if any(k is None for k in keys) or len({k[0] for k in keys}) != 1:
        return False
    seen: set[str] = set()
    for _, cover in keys:
        if seen & cover:
            return False
        seen |= cover
    return (parts["indicator"] == total["indicator"]).all() and (parts["unit"] == total["unit"]).all()


def check_report(table: pd.DataFrame, *, tolerance: float | None = None) -> pd.DataFrame:
    """Consistency checks on :func:`extract_indicators` output, one row per check.

    - ``parts_sum``: the parts listed after 其中 add up to their total — only when they are
      disjoint pieces of it (省外 + 省内, sectors, 新建 + 续建); overlapping cuts (省外 and
      市外, 亿元以上项目, 外资) and places (often only the largest few) are not added;
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
        return pd.DataFrame(columns=_CHECK_COLUMNS)
    t = table.reset_index(drop=True)
    children = t[t["parent"].notna()]
    for (parent, _group), parts in children.groupby(["parent", "group"], sort=False):
        total = t.loc[int(parent)]
        if len(parts) < 2 or pd.isna(total["value"]) or parts["value"].isna().any() \
                or not _partition(parts, total):
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
        if row["unit"] == "%" or row["indicator"] == "unreadable":
            continue   # a rate has no target or last year's value to imply
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
        if parent not in implied_last or len(parts) < 2 or not all(p in implied_last for p in parts.index) \
                or not _partition(parts, t.loc[parent]):
            continue
        total_last, total_tol = implied_last[parent]
        actual = sum(implied_last[p][0] for p in parts.index)
        tol = tolerance if tolerance is not None else total_tol + sum(implied_last[p][1] for p in parts.index)
        out.append(_check("parts_last_year", t.loc[parent], [parent, *parts.index], total_last,
                          actual, tol, " + ".join(f"{implied_last[p][0]:.2f}" for p in parts.index)
                          + f" = {actual:.2f}，合计上年 {total_last:.2f}"))
    return pd.DataFrame(out, columns=_CHECK_COLUMNS)


_CHECK_COLUMNS = ["check", "indicator", "scope", "rows", "expected", "actual", "difference",
                  "tolerance", "ok", "detail"]


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
