#!/usr/bin/env python3
"""Generates the HTML sample pages in this directory and EXPECTED.md.

Three scraped-looking report pages in the 2021 format (invented agencies,
invented numbers) and one broken file:

  xx-county-2023-utf8.html        青山县人民政府, UTF-8, consistent numbers
  xx-town-2022-gbk.html           白沙镇人民政府, GBK without any charset
                                  declaration, report inside a one-cell layout
                                  table, Word-style markup (spans, &nbsp;,
                                  U+3000 padding, zeros left blank)
  xx-bureau-2023-inconsistent.html 江口市交通运输局, gb2312 declared (with
                                  GBK-only characters), page-layout table,
                                  deliberate inconsistencies listed in
                                  EXPECTED.md
  broken.html                     a truncated page followed by binary garbage

Run from anywhere: python3 samples/html/make_samples.py
The script also evaluates the consistency rules of TEMPLATE.md on the data it
writes and fails if the consistent samples are not consistent, or if the
inconsistent one has findings other than the injected ones.
"""

import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Template: keys and labels (TEMPLATE.md)

COLS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]
APPLICANTS = COLS[:6]

# (row key, label column text(s)); the structure of the label columns is
# produced by table3_html.
DENIED = [
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "7.属于行政执法案卷"),
    ("denied.query", "8.属于行政查询事项"),
]
UNAVAILABLE = [
    ("unavailable.not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "3.补正后申请内容仍不明确"),
]
NOT_PROCESSED = [
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.repeated", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.mass_requests", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
]
OTHER = [
    ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
]
RESULT_ROWS = (
    ["granted", "partly_granted"]
    + [k for k, _ in DENIED + UNAVAILABLE + NOT_PROCESSED + OTHER]
)
ROWS = ["new", "carried_over"] + RESULT_ROWS + ["results_total", "carried_forward"]

GROUPS = ["review", "suit_direct", "suit_after_review"]
GROUP_COLS = ["upheld", "corrected", "other", "pending", "total"]
GROUP_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Grid coordinates (0-based) of table 三 as the reader resolves it.
T3_FIRST_DATA_ROW = 3
T3_FIRST_VALUE_COL = 3


def t3_position(row_key, col_key):
    return T3_FIRST_DATA_ROW + ROWS.index(row_key), T3_FIRST_VALUE_COL + COLS.index(col_key)


# ---------------------------------------------------------------------------
# Data


def requests_table(rows):
    """rows: {row_key: [six applicant values]} for the rows that are not all
    zero; fills zeros, computes results_total and the total column. Values
    may be overridden afterwards to inject inconsistencies."""
    t = {}
    for key in ROWS:
        six = rows.get(key, [0] * 6)
        t[key] = list(six) + [sum(six)]
    if "results_total" not in rows:
        rt = [sum(t[k][i] for k in RESULT_ROWS) for i in range(6)]
        t["results_total"] = rt + [sum(rt)]
    return t


def review_table(groups):
    out = {}
    for g in GROUPS:
        four = groups.get(g, [0, 0, 0, 0])
        out[g] = list(four) + [sum(four)]
    return out


COUNTY = {
    "agency": "青山县",
    "body": "青山县人民政府",
    "office": "青山县人民政府办公室",
    "year": 2023,
    "active": {
        "regulations": [0, 0, 0],
        "normative_documents": [6, 2, 31],
        "licensing": 12863,
        "penalty": 1357,
        "coercion": 46,
        "fees": "386.4521",
    },
    "requests": requests_table({
        "new": [42, 5, 0, 1, 2, 0],
        "carried_over": [3, 1, 0, 0, 0, 0],
        "granted": [20, 3, 0, 1, 1, 0],
        "partly_granted": [5, 1, 0, 0, 0, 0],
        "denied.security_stability": [1, 0, 0, 0, 0, 0],
        "denied.third_party": [2, 0, 0, 0, 1, 0],
        "denied.internal_affairs": [1, 0, 0, 0, 0, 0],
        "denied.process_info": [2, 0, 0, 0, 0, 0],
        "denied.query": [1, 0, 0, 0, 0, 0],
        "unavailable.not_held": [6, 1, 0, 0, 0, 0],
        "unavailable.needs_creation": [1, 0, 0, 0, 0, 0],
        "unavailable.unclear": [1, 0, 0, 0, 0, 0],
        "not_processed.petition": [1, 0, 0, 0, 0, 0],
        "not_processed.repeated": [1, 0, 0, 0, 0, 0],
        "other.no_correction": [1, 0, 0, 0, 0, 0],
        "carried_forward": [2, 1, 0, 0, 0, 0],
    }),
    "review": review_table({
        "review": [2, 1, 0, 1],
        "suit_direct": [1, 0, 0, 1],
        "suit_after_review": [1, 0, 0, 0],
    }),
}

TOWN = {
    "agency": "白沙镇",
    "body": "白沙镇人民政府",
    "office": "白沙镇党政综合办公室",
    "year": 2022,
    "active": {
        "regulations": [0, 0, 0],
        "normative_documents": [1, 0, 3],
        "licensing": 26,
        "penalty": 4,
        "coercion": 0,
        "fees": "0",
    },
    "requests": requests_table({
        "new": [3, 1, 0, 0, 0, 0],
        "granted": [2, 1, 0, 0, 0, 0],
        "unavailable.not_held": [1, 0, 0, 0, 0, 0],
    }),
    "review": review_table({"review": [1, 0, 0, 0]}),
}

BUREAU = {
    "agency": "江口市交通运输局",
    "body": "江口市交通运输局",
    "office": "江口市交通运输局办公室",
    "year": 2023,
    "active": {
        "regulations": [0, 0, 0],
        "normative_documents": [2, 1, 12],
        "licensing": 4521,
        "penalty": 1236,
        "coercion": 87,
        "fees": "0",
    },
    "requests": requests_table({
        "new": [28, 7, 0, 1, 2, 1],
        "carried_over": [2, 1, 0, 0, 0, 0],
        "granted": [12, 4, 0, 1, 1, 0],
        "partly_granted": [3, 1, 0, 0, 1, 0],
        "denied.third_party": [1, 0, 0, 0, 0, 0],
        "denied.process_info": [2, 0, 0, 0, 0, 0],
        "denied.query": [1, 0, 0, 0, 0, 0],
        "unavailable.not_held": [6, 2, 0, 0, 0, 1],
        "unavailable.needs_creation": [1, 0, 0, 0, 0, 0],
        "unavailable.unclear": [1, 0, 0, 0, 0, 0],
        "not_processed.petition": [1, 0, 0, 0, 0, 0],
        "not_processed.repeated": [1, 0, 0, 0, 0, 0],
        "carried_forward": [1, 0, 0, 0, 0, 0],
    }),
    "review": review_table({
        "review": [2, 0, 1, 0],
        "suit_direct": [1, 1, 0, 1],
        "suit_after_review": [1, 0, 0, 1],
    }),
}

# The injected inconsistencies: (rule, table, row key, column key, expected,
# actual written). Applied to BUREAU below; each is written into the page.
INJECTED = [
    ("requests.row_sum", "requests", "partly_granted", "total", 5, "6"),
    ("requests.results_sum", "requests", "results_total", "commercial", 7, "8"),
    ("review_litigation.group_sum", "review_litigation", "suit_direct", "total", 3, "2"),
    ("value.domain", "active_disclosure", "normative_documents", "in_force", "a whole number (12)", "十二"),
    ("narrative.requests", "requests", "new", "total", 39, "42"),
]


def inject(report):
    r = report["requests"]
    # (a) the row total of 部分公开 is one too many.
    r["partly_granted"][6] = 6
    # (b) the 商业企业 column: results sum to 7, 总计 says 8. Its balance still
    # holds (7 new + 1 carried over = 8 + 0 carried forward), and the
    # results_total row still adds up across (the 8 is in its sum).
    r["results_total"][1] = 8
    r["results_total"][6] = sum(r["results_total"][:6])
    # The total column: (a) and (b) cancel, so no finding there. new+carried
    # over in every column still equals results_total+carried_forward.
    # (c) 未经复议直接起诉: 1+1+0+1 = 3, 总计 says 2.
    report["review"]["suit_direct"][4] = 2
    # (d) text where a number belongs.
    report["active"]["normative_documents"][2] = "十二"
    # (e) the narrative number differs from requests.new.total (39).
    report["narrative_requests"] = 42


inject(BUREAU)
COUNTY["narrative_requests"] = COUNTY["requests"]["new"][6]
TOWN["narrative_requests"] = TOWN["requests"]["new"][6]


# ---------------------------------------------------------------------------
# Rule evaluation (TEMPLATE.md), to check the samples say what they should


def num(v):
    """Blank reads as 0 (the rules still run); text is not a number."""
    if v == "" or v is None:
        return 0
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if s.isdigit():
        return int(s)
    try:
        return float(s)
    except ValueError:
        return None


def findings(report):
    out = []
    r = report["requests"]
    for key in ROWS:
        vals = [num(v) for v in r[key]]
        if None in vals:
            out.append(("value.domain", "requests", key, "?", "", ""))
            continue
        if sum(vals[:6]) != vals[6]:
            out.append(("requests.row_sum", "requests", key, "total", sum(vals[:6]), vals[6]))
    for i, col in enumerate(COLS):
        parts = sum(num(r[k][i]) for k in RESULT_ROWS)
        if parts != num(r["results_total"][i]):
            out.append(("requests.results_sum", "requests", "results_total", col, parts, num(r["results_total"][i])))
        lhs = num(r["new"][i]) + num(r["carried_over"][i])
        rhs = num(r["results_total"][i]) + num(r["carried_forward"][i])
        if lhs != rhs:
            out.append(("requests.balance", "requests", "new+carried_over", col, lhs, rhs))
    for g in GROUPS:
        vals = [num(v) for v in report["review"][g]]
        if sum(vals[:4]) != vals[4]:
            out.append(("review_litigation.group_sum", "review_litigation", g, "total", sum(vals[:4]), vals[4]))
    a = report["active"]
    for key in ["regulations", "normative_documents"]:
        for col, v in zip(["issued", "repealed", "in_force"], a[key]):
            if num(v) is None:
                out.append(("value.domain", "active_disclosure", key, col, "a whole number", v))
    for key in ["licensing", "penalty", "coercion", "fees"]:
        if num(a[key]) is None:
            out.append(("value.domain", "active_disclosure", key, "", "a number", a[key]))
    if report["narrative_requests"] != num(r["new"][6]):
        out.append(("narrative.requests", "requests", "new", "total", num(r["new"][6]), report["narrative_requests"]))
    return out


# ---------------------------------------------------------------------------
# Narrative


def narrative(rep, we):
    """The report's running text, as (kind, text) items: kind is 'h' for a
    section heading, 'sh' for a sub-heading, 'p' for a paragraph, or 'table'
    (the name of a table) where a table goes."""
    y = rep["year"]
    ag = rep["agency"]
    office = rep["office"]
    n = rep["narrative_requests"]
    active = rep["active"]
    items = [
        ("p", f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。"
              f"报告全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。"
              f"报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。如对本报告有疑问，请与{office}联系。"),
        ("h", "一、总体情况"),
        ("p", f"{y}年，{we}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，认真落实《条例》和上级关于政务公开工作的部署要求，"
              f"坚持以公开为常态、不公开为例外，围绕中心工作和群众关切，持续深化决策、执行、管理、服务、结果公开，政府信息公开工作取得新成效。"),
        ("sh", "（一）主动公开"),
        ("p", f"全年通过政府门户网站、政务新媒体、政务公开栏等渠道主动公开各类政府信息{1200 + y % 7 * 113}条，其中机构职能、政策文件、财政预决算、重大建设项目、公共资源配置、社会公益事业等重点领域信息{420 + y % 5 * 37}条。"
              f"制发行政规范性文件{active['normative_documents'][0]}件，同步开展政策解读，做到文件与解读材料同步组织、同步审签、同步发布。"),
        ("sh", "（二）依申请公开"),
        ("p", f"进一步规范依申请公开受理、登记、审核、答复、归档等环节，严格按照法定时限答复。{y}年，{we}共收到政府信息公开申请{n}件，"
              f"均在法定期限内予以答复，答复规范率100%。"),
        ("sh", "（三）政府信息管理"),
        ("p", "严格落实公文公开属性源头认定机制和“先审查、后公开”“一事一审”制度，对拟公开的政府信息依法依规进行保密审查。"
              "开展行政规范性文件清理，及时公布清理结果，动态更新政府信息公开指南和目录。"),
        ("sh", "（四）平台建设"),
        ("p", "持续加强政府网站和政务新媒体管理，优化政府信息公开专栏栏目设置，做好与上级政府网站集约化平台的数据对接，"
              "确保信息发布准确、及时、安全。在政务服务大厅设立政府信息公开查阅点，方便群众现场查阅。"),
        ("sh", "（五）监督保障"),
        ("p", "将政务公开工作纳入年度目标绩效考核，明确分管领导和具体承办人员，组织开展政务公开业务培训2期，参训人员85人次，"
              "工作人员依法公开意识和业务能力进一步提升。"),
        ("h", "二、主动公开政府信息情况"),
        ("table", "active"),
        ("h", "三、收到和处理政府信息公开申请情况"),
        ("table", "requests"),
        ("h", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table", "review"),
        ("h", "五、存在的主要问题及改进情况"),
        ("p", f"{y}年，{we}政府信息公开工作虽然取得了一定成效，但仍存在一些不足：一是政策解读形式还比较单一，图解、视频等多元化解读偏少；"
              "二是部分业务科室公开意识有待增强，信息报送不够及时；三是依申请公开答复的规范化水平还需进一步提高。"),
        ("p", f"下一步，{we}将从以下方面加以改进：一是丰富政策解读形式，提高解读质量；二是压实工作责任，建立信息发布提醒和通报机制；"
              "三是加强业务培训，规范依申请公开办理流程，切实保障人民群众的知情权、参与权、表达权和监督权。"),
        ("h", "六、其他需要报告的事项"),
        ("p", f"依据《政府信息公开信息处理费管理办法》，{y}年度{we}未收取信息处理费。本年度办理人大代表建议和政协委员提案共{8 + y % 3}件，均已按期办结并公开答复全文。"),
    ]
    return items


# ---------------------------------------------------------------------------
# Tables


def cell(v):
    return "" if v is None else str(v)


def table2_rows(active):
    """Table 二 as rows of (text, rowspan, colspan, is_header)."""
    reg = active["regulations"]
    nor = active["normative_documents"]
    return [
        [("第二十条第（一）项", 1, 4, True)],
        [("信息内容", 1, 1, True), ("本年制发件数", 1, 1, True), ("本年废止件数", 1, 1, True), ("现行有效件数", 1, 1, True)],
        [("规章", 1, 1, False)] + [(cell(v), 1, 1, False) for v in reg],
        [("行政规范性文件", 1, 1, False)] + [(cell(v), 1, 1, False) for v in nor],
        [("第二十条第（五）项", 1, 4, True)],
        [("信息内容", 1, 1, True), ("本年处理决定数量", 1, 3, True)],
        [("行政许可", 1, 1, False), (cell(active["licensing"]), 1, 3, False)],
        [("第二十条第（六）项", 1, 4, True)],
        [("信息内容", 1, 1, True), ("本年处理决定数量", 1, 3, True)],
        [("行政处罚", 1, 1, False), (cell(active["penalty"]), 1, 3, False)],
        [("行政强制", 1, 1, False), (cell(active["coercion"]), 1, 3, False)],
        [("第二十条第（八）项", 1, 4, True)],
        [("信息内容", 1, 1, True), ("本年收费金额（单位：万元）", 1, 3, True)],
        [("行政事业性收费", 1, 1, False), (cell(active["fees"]), 1, 3, False)],
    ]


def table3_rows(req):
    def values(key):
        return [(cell(v), 1, 1, False) for v in req[key]]

    rows = [
        [(CORNER, 3, 3, True), ("申请人情况", 1, 7, True)],
        [("自然人", 2, 1, True), ("法人或其他组织", 1, 5, True), ("总计", 2, 1, True)],
        [("商业企业", 1, 1, True), ("科研机构", 1, 1, True), ("社会公益组织", 1, 1, True), ("法律服务机构", 1, 1, True), ("其他", 1, 1, True)],
        [("一、本年新收政府信息公开申请数量", 1, 3, False)] + values("new"),
        [("二、上年结转政府信息公开申请数量", 1, 3, False)] + values("carried_over"),
        [("三、本年度办理结果", 22, 1, False), ("（一）予以公开", 1, 2, False)] + values("granted"),
        [("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, 2, False)] + values("partly_granted"),
    ]
    for label, group in [("（三）不予公开", DENIED), ("（四）无法提供", UNAVAILABLE), ("（五）不予处理", NOT_PROCESSED), ("（六）其他处理", OTHER)]:
        for i, (key, sub) in enumerate(group):
            lead = [(label, len(group), 1, False)] if i == 0 else []
            rows.append(lead + [(sub, 1, 1, False)] + values(key))
    rows.append([("（七）总计", 1, 2, False)] + values("results_total"))
    rows.append([("四、结转下年度继续办理", 1, 3, False)] + values("carried_forward"))
    return rows


def table4_rows(rev):
    return [
        [("行政复议", 1, 5, True), ("行政诉讼", 1, 10, True)],
        [(l, 2, 1, True) for l in GROUP_LABELS] + [("未经复议直接起诉", 1, 5, True), ("复议后起诉", 1, 5, True)],
        [(l, 1, 1, True) for l in GROUP_LABELS] * 2,
        [(cell(v), 1, 1, False) for g in GROUPS for v in rev[g]],
    ]


def attrs(rs, cs):
    a = ""
    if rs > 1:
        a += f' rowspan="{rs}"'
    if cs > 1:
        a += f' colspan="{cs}"'
    return a


# ---------------------------------------------------------------------------
# Page 1: county, UTF-8, clean CMS markup


def county_table(rows, cls):
    out = [f'<table class="{cls}" border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse;">', "<tbody>"]
    for row in rows:
        cells = []
        for text, rs, cs, head in row:
            tag = "th" if head else "td"
            cells.append(f"<{tag}{attrs(rs, cs)}>{text}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def county_page(rep):
    y = rep["year"]
    title = f"{rep['agency']}{y}年政府信息公开工作年度报告"
    body = []
    for kind, text in narrative(rep, "县政府"):
        if kind == "h":
            body.append(f'<p style="text-indent:2em;"><strong>{text}</strong></p>')
        elif kind == "sh":
            body.append(f'<p style="text-indent:2em;"><span style="font-family:楷体;">{text}</span></p>')
        elif kind == "p":
            body.append(f'<p style="text-indent:2em;">{text}</p>')
        elif text == "active":
            body.append(county_table(table2_rows(rep["active"]), "xxgk-t2"))
        elif text == "requests":
            body.append(county_table(table3_rows(rep["requests"]), "xxgk-t3"))
        else:
            body.append(county_table(table4_rows(rep["review"]), "xxgk-t4"))
    content = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="SiteName" content="青山县人民政府">
<meta name="SiteDomain" content="www.qingshan.gov.cn">
<meta name="SiteIDCode" content="3611240001">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{y + 1}-01-19 09:30">
<meta name="ContentSource" content="{rep['office']}">
<title>{title}_青山县人民政府</title>
<link rel="stylesheet" href="/static/css/common.css">
<style>
.article .title{{font-size:26px;text-align:center;}}
.xxgk-t3 td,.xxgk-t3 th{{text-align:center;font-size:14px;}}
</style>
<script src="/static/js/jquery-1.12.4.min.js"></script>
<script>
var _hmt = _hmt || [];
(function(){{var hm=document.createElement("script");hm.src="https://hm.example.cn/hm.js?8f2a";var s=document.getElementsByTagName("script")[0];s.parentNode.insertBefore(hm,s);}})();
</script>
</head>
<body>
<div class="top-bar">
  <div class="w1200">
    <span class="date" id="today"></span>
    <a href="/wza/">无障碍浏览</a> | <a href="/yhzx/">长者模式</a> | <a href="/en/">English</a>
  </div>
</div>
<div class="header">
  <div class="logo"><a href="/"><img src="/static/images/logo.png" alt="青山县人民政府"></a></div>
  <div class="search"><form action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键字"><button type="submit">搜索</button></form></div>
</div>
<div class="nav">
  <ul>
    <li><a href="/">首页</a></li>
    <li><a href="/zwdt/">政务动态</a></li>
    <li class="on"><a href="/zwgk/">政务公开</a></li>
    <li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li>
    <li><a href="/zjqs/">走进青山</a></li>
  </ul>
</div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="xxgk-head">
<table class="xxgk-info" width="100%">
<tr><th>索引号：</th><td>11361124MB1528417X/{y + 1}-00015</td><th>发布机构：</th><td>{rep['office']}</td></tr>
<tr><th>主题分类：</th><td>政务公开</td><th>成文日期：</th><td>{y + 1}-01-18</td></tr>
<tr><th>文&nbsp;&nbsp;号：</th><td></td><th>发布日期：</th><td>{y + 1}-01-19</td></tr>
</table>
</div>
<div class="article">
  <h1 class="title">{title}</h1>
  <div class="info">发布时间：{y + 1}-01-19 09:30&nbsp;&nbsp;&nbsp;来源：{rep['office']}&nbsp;&nbsp;&nbsp;浏览次数：<span id="hits">1287</span>&nbsp;&nbsp;&nbsp;字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</div>
  <div class="content" id="zoom">
{content}
  </div>
  <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
  <div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div style="display:none" class="print-copy">{title}</div>
<div class="links">
  <h3>友情链接</h3>
  <table class="links-table" width="100%">
    <tr><td><a href="http://www.gov.cn">中国政府网</a></td><td><a href="#">省人民政府</a></td><td><a href="#">市人民政府</a></td><td><a href="#">县政务服务网</a></td></tr>
    <tr><td><a href="#">县人大常委会</a></td><td><a href="#">县政协</a></td><td><a href="#">县纪委监委</a></td><td><a href="#">县融媒体中心</a></td></tr>
  </table>
</div>
<div class="footer">
  <p><a href="/about/">关于本网</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a></p>
  <p>主办单位：青山县人民政府办公室&nbsp;&nbsp;承办单位：青山县大数据中心</p>
  <p>网站标识码：3611240001&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/">赣ICP备05002366号-1</a>&nbsp;&nbsp;<a href="#">赣公网安备 36112402000105号</a></p>
  <p>地址：青山县城关镇人民路1号&nbsp;&nbsp;联系电话：0793-5261234</p>
</div>
<script>document.getElementById("today").innerHTML = new Date().toLocaleDateString();</script>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# Page 2: town, GBK without declaration, Word-exported markup in a one-cell
# layout table


def split_spans(text, style="font-family:仿宋_GB2312"):
    """Word splits text into runs at arbitrary places."""
    parts, i, step = [], 0, 0
    while i < len(text):
        n = [3, 5, 2, 7, 4][step % 5]
        parts.append(text[i:i + n])
        i += n
        step += 1
    out = []
    for j, p in enumerate(parts):
        if p.isascii() or j % 3 == 1:
            out.append(f"<span lang=EN-US style='{style}'>{p}</span>")
        else:
            out.append(f"<span style='{style}'>{p}</span>")
    return "".join(out)



def town_value(v, key, col_index):
    """Zeros: blank (&nbsp; or U+3000) in some rows, "0" in others; numbers
    padded with &nbsp; or U+3000."""
    s = str(v)
    if s == "0":
        style = (hash_key(key) + col_index) % 4
        if style == 0:
            return "&nbsp;"
        if style == 1:
            return "\u3000"
        return "0"
    if (hash_key(key) + col_index) % 2:
        return f"\u3000{s}\u3000"
    return f"&nbsp;{s}&nbsp;"


def hash_key(key):
    return sum(ord(c) for c in key)


def town_table(rows, value_keys):
    """value_keys: for each row, the row key used to pick zero styles, or None
    for header rows."""
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600",
           " style='width:450.0pt;border-collapse:collapse;border:none'>"]
    for r, row in enumerate(rows):
        key = value_keys[r]
        cells = []
        vi = 0
        for text, rs, cs, head in row:
            is_value = key is not None and not head and (text == "" or text.strip().isdigit() or text.replace(".", "").isdigit())
            if is_value:
                inner = f"<span lang=EN-US style='font-size:10.5pt'>{town_value(text or '0', key, vi)}<o:p></o:p></span>"
                vi += 1
            else:
                if text == "三、本年度办理结果":
                    inner = "<span style='font-size:10.5pt'>三、本年度</span><br><span style='font-size:10.5pt'>办理结果</span>"
                else:
                    inner = split_spans(text, "font-size:10.5pt;font-family:仿宋_GB2312")
                inner += "<o:p></o:p>"
            cells.append(
                f"<td{attrs(rs, cs)} style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
                f"<p class=MsoNormal align=center style='text-align:center'>{inner}</p></td>")
        out.append(" <tr style='height:20.0pt'>\n  " + "\n  ".join(cells) + "\n </tr>")
    out.append("</table>")
    return "\n".join(out)


def town_page(rep):
    y = rep["year"]
    title = f"{rep['agency']}{y}年政府信息公开工作年度报告"
    body = [
        f"<p class=MsoNormal align=center style='text-align:center'><b>{split_spans(title, 'font-size:22.0pt;font-family:方正小标宋简体')}</b></p>",
        "<p class=MsoNormal><span lang=EN-US>&nbsp;</span></p>",
    ]
    t2_keys = [None, None, "regulations", "normative_documents", None, None, "licensing", None, None, "penalty", "coercion", None, None, "fees"]
    t3_keys = [None, None, None] + ROWS
    t4_keys = [None, None, None, "review"]
    for kind, text in narrative(rep, "我镇"):
        if kind == "h":
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt'><b>{split_spans(text, 'font-family:黑体')}</b></p>")
        elif kind == "sh":
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt'>{split_spans(text, 'font-family:楷体_GB2312')}</p>")
        elif kind == "p":
            body.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>\u3000\u3000{split_spans(text)}</p>")
        elif text == "active":
            body.append(town_table(table2_rows(rep["active"]), t2_keys))
        elif text == "requests":
            body.append(town_table(table3_rows(rep["requests"]), t3_keys))
        else:
            body.append(town_table(table4_rows(rep["review"]), t4_keys))
    body.append(f"<p class=MsoNormal align=right style='text-align:right'><span>{rep['body']}</span></p>")
    body.append(f"<p class=MsoNormal align=right style='text-align:right'><span lang=EN-US>{y + 1}</span><span>年</span><span lang=EN-US>1</span><span>月</span><span lang=EN-US>16</span><span>日</span></p>")
    content = "\n".join(body)
    # No charset anywhere: not in a meta tag, not in an XML declaration.
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta name="keywords" content="白沙镇,政府信息公开,年度报告">
<meta name="description" content="{title}">
<title>{title}</title>
<link href="../../images/style.css" rel="stylesheet" type="text/css">
<script language="javascript" src="../../js/common.js"></script>
</head>
<body topmargin="0" leftmargin="0">
<div id="head"><img src="../../images/banner.jpg" width="1000" height="150" alt=""></div>
<div id="menu">
<a href="../../index.html">网站首页</a>&nbsp;|&nbsp;<a href="../../zjbs/">走进白沙</a>&nbsp;|&nbsp;<a href="../../zwgk/">政务公开</a>&nbsp;|&nbsp;<a href="../../bsfw/">办事服务</a>&nbsp;|&nbsp;<a href="../../hdjl/">互动交流</a>
</div>
<div id="position">您当前的位置：<a href="../../index.html">首页</a>&nbsp;&gt;&nbsp;<a href="../../zwgk/">政务公开</a>&nbsp;&gt;&nbsp;<a href="./">政府信息公开年报</a></div>
<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td class="bt_content" valign="top">
<div class="bt_title" align="center"><font size="5"><b>{title}</b></font></div>
<div class="bt_time" align="center">发布日期：{y + 1}-01-16&nbsp;&nbsp;&nbsp;&nbsp;来源：{rep['office']}&nbsp;&nbsp;&nbsp;&nbsp;点击数：<script>document.write(356)</script></div>
<div class=WordSection1 style='layout-grid:15.6pt'>
{content}
</div>
    </td>
  </tr>
</table>
<div id="footer">
版权所有：白沙镇人民政府&nbsp;&nbsp;&nbsp;主办：白沙镇党政综合办公室<br>
网站标识码：4309820011&nbsp;&nbsp;&nbsp;湘ICP备10200988号&nbsp;&nbsp;&nbsp;技术支持：县政务服务数据管理局
</div>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# Page 3: bureau, gb2312 declared, page-layout table with a sidebar table


def bureau_table(rows):
    out = ['<table width="100%" border="1" cellpadding="3" cellspacing="0" bordercolor="#000000" style="border-collapse:collapse">']
    for row in rows:
        cells = []
        for text, rs, cs, head in row:
            if head:
                cells.append(f'<td{attrs(rs, cs)} align="center" bgcolor="#F2F2F2"><p align="center"><strong>{text}</strong></p></td>')
            else:
                cells.append(f'<td{attrs(rs, cs)} align="center"><p align="center">{text}</p></td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def bureau_page(rep):
    y = rep["year"]
    title = f"{rep['agency']}{y}年政府信息公开工作年度报告"
    body = []
    for kind, text in narrative(rep, "我局"):
        if kind == "h":
            body.append(f"<p><b>{text}</b></p>")
        elif kind == "sh":
            body.append(f"<p>{text}</p>")
        elif kind == "p":
            body.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{text}</p>")
        elif text == "active":
            body.append(bureau_table(table2_rows(rep["active"])))
        elif text == "requests":
            body.append(bureau_table(table3_rows(rep["requests"])))
        else:
            body.append(bureau_table(table4_rows(rep["review"])))
    # A GBK-only character in a page that declares gb2312.
    body.append("<p>&nbsp;&nbsp;&nbsp;&nbsp;（联系人：王喆，联系电话：0736-7125566）</p>")
    content = "\n".join(body)
    sidebar = "\n".join(
        f'<tr><td height="32" class="left_link">&middot;&nbsp;<a href="../{href}/">{label}</a></td></tr>'
        for href, label in [("jggk", "机构概况"), ("zcwj", "政策文件"), ("ghjh", "规划计划"), ("tzgg", "通知公告"),
                            ("xzzf", "行政执法"), ("czzj", "财政资金"), ("ysqgk", "依申请公开"), ("ndbg", "政府信息公开年报")])
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}-{rep['body']}</title>
<link href="/css/jtj.css" rel="stylesheet" type="text/css" />
<style type="text/css">
.left_link a {{ color:#333; }}
</style>
</head>
<body>
<table width="1002" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td colspan="2" height="120" background="/images/top.jpg">
      <a href="/">首页</a>&nbsp;&nbsp;<a href="/xwzx/">新闻中心</a>&nbsp;&nbsp;<a href="/zwgk/">政务公开</a>&nbsp;&nbsp;<a href="/bsfw/">办事服务</a>&nbsp;&nbsp;<a href="/gzhd/">公众互动</a>
    </td>
  </tr>
  <tr>
    <td width="220" valign="top">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
{sidebar}
      </table>
    </td>
    <td width="782" valign="top">
      <div class="position">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
      <table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
        <tr><td align="center" class="title"><h2>{title}</h2></td></tr>
        <tr><td align="center" class="time">发布时间：{y + 1}-01-25&nbsp;&nbsp;&nbsp;作者：办公室&nbsp;&nbsp;&nbsp;来源：{rep['office']}&nbsp;&nbsp;&nbsp;【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
        <tr><td class="content" id="zoom">
{content}
        </td></tr>
      </table>
    </td>
  </tr>
  <tr>
    <td colspan="2" align="center" class="footer">
      主办单位：江口市交通运输局&nbsp;&nbsp;地址：江口市迎宾大道88号&nbsp;&nbsp;邮编：415000<br />
      网站标识码：4307000033&nbsp;&nbsp;湘ICP备09015566号&nbsp;&nbsp;湘公网安备 43070202000188号
    </td>
  </tr>
</table>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# Page 4: broken


def broken_bytes():
    head = ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="gbk">\n<title>红石乡2023年政府信息公开工作年度报告</title>\n'
            '</head>\n<body>\n<div class="content">\n<p>红石乡2023年政府信息公开工作年度报告</p>\n<p>一、总体情况</p>\n<p>2023年，红石乡').encode("gbk")
    rng = random.Random(20240119)
    garbage = bytes(rng.randrange(256) for _ in range(2048))
    # A run of NUL bytes, as a download cut off mid-way leaves them.
    return head + garbage[:700] + b"\x00" * 512 + garbage[700:]


# ---------------------------------------------------------------------------
# EXPECTED.md


def expected_md():
    bureau_findings = findings(BUREAU)
    lines = [
        "# HTML samples: what a reader and the checks should find",
        "",
        "Generated by `make_samples.py` (do not edit by hand; rerun the script).",
        "All agencies and numbers are invented. Every page is in the 2021 format.",
        "",
        "| file | agency | year | admin_level | encoding | what it exercises |",
        "| --- | --- | --- | --- | --- | --- |",
        "| `xx-county-2023-utf8.html` | 青山县 | 2023 | county | UTF-8, `<meta charset>` | whole CMS page: nav, breadcrumb, 索引号 metadata table (table 1), report tables 2-4 with `<th>` headers, 友情链接 links table (table 5), hidden print copy, scripts |",
        "| `xx-town-2022-gbk.html` | 白沙镇 | 2022 | township | GBK, no declaration | Word-exported markup (text split over spans, `o:p`), report inside a one-cell layout table, cells padded with `&nbsp;`/U+3000, zeros left blank in some cells, `<br>` inside 三、本年度办理结果 |",
        "| `xx-bureau-2023-inconsistent.html` | 江口市交通运输局 | 2023 | department | gb2312 declared, GBK-only character (喆) | page-layout table (sidebar links table = table 1, report tables 2-4 nested two levels deep), deliberate inconsistencies below |",
        "| `broken.html` | — | — | — | — | a truncated page head followed by random bytes and NULs: must fail with a clear reason (binary data), never panic |",
        "",
        "## Reader expectations (grid positions are 0-based row, column)",
        "",
        "Each report has table 二 as 14 x 4, table 三 as 28 x 10 and table 四 as 4 x 15.",
        f"In table 三, row key `R` and column key `C` sit at row 3 + index of `R` in the row list of TEMPLATE.md and column 3 + index of `C` (`natural_person` = column 3, `total` = column 9); e.g. `new`/`natural_person` is (3, 3), `results_total` is row {t3_position('results_total', 'total')[0]}, `carried_forward` row {t3_position('carried_forward', 'total')[0]}.",
        "In table 四, the values are row 3, columns 0-14 in the order review, suit_direct, suit_after_review, each upheld, corrected, other, pending, total.",
        "",
        "| file | tables emitted | report tables (二, 三, 四) |",
        "| --- | --- | --- |",
        "| county | 5 | 2, 3, 4 |",
        "| town | 3 | 1, 2, 3 |",
        "| bureau | 4 | 2, 3, 4 |",
        "",
        "## Consistent samples",
        "",
        "`xx-county-2023-utf8.html` and `xx-town-2022-gbk.html` must produce no finding. The town leaves zeros blank in",
        "some cells, so rules over those cells are evaluated with blanks read as 0 (and pass).",
        f"Narrative: county says 共收到政府信息公开申请{COUNTY['narrative_requests']}件 (= requests.new.total), town says 共收到政府信息公开申请{TOWN['narrative_requests']}件 (= requests.new.total).",
        "",
        "## Injected inconsistencies in `xx-bureau-2023-inconsistent.html`",
        "",
        "| # | rule | table | row key | column key | expected | actual (as written) | grid position |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    positions = {
        "requests": lambda row, col: "table 3 (%d, %d)" % t3_position(row, col),
        "review_litigation": lambda row, col: "table 4 (3, %d)" % (GROUPS.index(row) * 5 + GROUP_COLS.index(col)),
        "active_disclosure": lambda row, col: "table 2 (3, 3)",
    }
    for i, (rule, table, row, col, exp, act) in enumerate(INJECTED, 1):
        pos = positions[table](row, col) if rule != "narrative.requests" else "paragraph (二) 依申请公开"
        lines.append(f"| {chr(96 + i)} | `{rule}` | `{table}` | `{row}` | `{col}` | {exp} | {act} | {pos} |")
    lines += [
        "",
        "Notes:",
        "",
        "- (a) `partly_granted`: the six applicant columns are 3, 1, 0, 0, 1, 0 (sum 5); 总计 says 6.",
        "- (b) `commercial` (商业企业): the results rows sum to 7 (予以公开 4, 部分公开 1, 本机关不掌握 2); （七）总计 says 8.",
        "  Its balance still holds (本年新收 7 + 上年结转 1 = 8 + 结转下年度 0), and the `results_total` row adds up across",
        "  (its 总计 includes the 8).",
        "- In the `total` column, (a) and (b) cancel: results_sum and balance hold there. So the five rows above are the",
        "  complete list of expected findings; any other finding is a bug.",
        "- (c) `suit_direct` (未经复议直接起诉): 1 + 1 + 0 + 1 = 3; 总计 says 2.",
        "- (d) 行政规范性文件 现行有效件数 is written 十二: a `value.domain` finding (text where a number belongs), value null,",
        "  raw text kept; no crash.",
        "- (e) the text says 共收到政府信息公开申请42件 while `requests.new.total` is 39: a warning.",
        "",
        "Findings computed by `make_samples.py` from the data it wrote (rule, table, row, column, expected, actual):",
        "",
    ]
    for f in bureau_findings:
        lines.append("- " + ", ".join(str(x) for x in f))
    lines += [
        "",
        "## `broken.html`",
        "",
        "Starts like a GBK page (`<!DOCTYPE html>`, `<meta charset=\"gbk\">`, a title), then 2 KiB of random bytes with a",
        "run of 512 NUL bytes. `read_document` must return an error (the sniffer reports binary data; `html::read` called",
        "directly reports \"binary data, not an HTML page\").",
        "",
    ]
    return "\n".join(lines)


ACTIVE_COLUMNS = {
    "regulations": ["issued", "repealed", "in_force"],
    "normative_documents": ["issued", "repealed", "in_force"],
    "licensing": ["decisions"],
    "penalty": ["decisions"],
    "coercion": ["decisions"],
    "fees": ["amount"],
}
REQUEST_COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]


def truth_value(v, blank):
    """What a converter must report for a written value: a number, or null
    with its raw text when blank or not a number."""
    raw = "" if blank else str(v)
    n = None if blank else num(v)
    return {"value": n, "raw": raw}


def truth(rep, page, town=False):
    """Every cell of the three tables as the page writes it (the town page
    leaves some zeros blank, decided by town_value)."""
    def blank(v, key, vi):
        return town and str(v) == "0" and town_value("0", key, vi) in ("&nbsp;", "\u3000")

    active = {}
    for key, cols in ACTIVE_COLUMNS.items():
        vals = rep["active"][key] if isinstance(rep["active"][key], list) else [rep["active"][key]]
        active[key] = {c: truth_value(v, blank(v, key, i)) for i, (c, v) in enumerate(zip(cols, vals))}
    requests = {key: {c: truth_value(v, blank(v, key, i)) for i, (c, v) in enumerate(zip(REQUEST_COLUMNS, vals))}
                for key, vals in rep["requests"].items()}
    flat = [v for g in GROUPS for v in rep["review"][g]]
    review = {}
    for gi, g in enumerate(GROUPS):
        review[g] = {c: truth_value(v, blank(v, "review", gi * 5 + i)) for i, (c, v) in enumerate(zip(REVIEW_COLUMNS, rep["review"][g]))}
    return {
        "file": page,
        "agency": rep["body"] if False else rep["agency"],
        "year": rep["year"],
        "tables": {"active_disclosure": active, "requests": requests, "review_litigation": review},
        "findings": [{"rule": r, "table": t, "row": row, "column": col} for r, t, row, col, _, _ in findings(rep)],
    }


def main():
    assert findings(COUNTY) == [], findings(COUNTY)
    assert findings(TOWN) == [], findings(TOWN)
    got = sorted((f[0], f[2], f[3]) for f in findings(BUREAU))
    want = sorted((r, row, col) for r, _, row, col, _, _ in INJECTED)
    assert got == want, (got, want)

    with open(os.path.join(HERE, "xx-county-2023-utf8.html"), "w", encoding="utf-8", newline="\n") as f:
        f.write(county_page(COUNTY))
    with open(os.path.join(HERE, "xx-town-2022-gbk.html"), "wb") as f:
        f.write(town_page(TOWN).replace("\n", "\r\n").encode("gbk"))
    with open(os.path.join(HERE, "xx-bureau-2023-inconsistent.html"), "wb") as f:
        f.write(bureau_page(BUREAU).replace("\n", "\r\n").encode("gbk"))
    with open(os.path.join(HERE, "broken.html"), "wb") as f:
        f.write(broken_bytes())
    with open(os.path.join(HERE, "EXPECTED.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(expected_md())
    truths = [
        truth(COUNTY, "xx-county-2023-utf8.html"),
        truth(TOWN, "xx-town-2022-gbk.html", town=True),
        truth(BUREAU, "xx-bureau-2023-inconsistent.html"),
    ]
    with open(os.path.join(HERE, "truth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(truths, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
