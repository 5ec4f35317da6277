#!/usr/bin/env python3
"""Real-looking inputs of the kinds real archives hold (issue 12), with truth.

Each sample is rendered here from the numbers below, modelled on real report
pages (structure, not bytes): a crawler's page.txt with glued digits and a
one-line body, a page.txt with one row per line, an HTML article fragment,
a Markdown/PDF-OCR export, a cover letter, and a 2021 report printing
（六）其他处理 as one row with typos. truth.json is written from the same
numbers, and which glued cells a careful reader can pin is decided by an
independent brute-force oracle (`readings`, below): every split of a glued
run without leading zeros whose row total is the sum of its parts, then
every combination of the rows' readings that satisfies the column
identities. A cell is expected exact where all surviving combinations
agree, null otherwise. Run: python3 samples/real/make_samples.py
"""
import itertools
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

REQ_ROWS = [
    ("new", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "7.属于行政执法案卷"),
    ("denied.query", "8.属于行政查询事项"),
    ("unavailable.not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.repeated", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.mass_requests", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
    ("results_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
GROUP_BEFORE = {
    "granted": "三、本年度办理结果",
    "denied.state_secret": "（三）不予公开",
    "unavailable.not_held": "（四）无法提供",
    "not_processed.petition": "（五）不予处理",
    "other.no_correction": "（六）其他处理",
}
COLS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]
REV_ROWS = ["review", "suit_direct", "suit_after_review"]
REV_COLS = ["upheld", "corrected", "other", "pending", "total"]
RESULT_KEYS = [k for k, _ in REQ_ROWS[2:23]]


def req_table(parts):
    """Completes table 三 from the six applicant columns of each row
    (results_total and carried_forward computed unless given)."""
    t = {k: list(v) for k, v in parts.items()}
    for k, _ in REQ_ROWS:
        t.setdefault(k, [0] * 6)
    if "results_total" not in parts:
        t["results_total"] = [sum(t[k][c] for k in RESULT_KEYS if k in t) for c in range(6)]
    if "carried_forward" not in parts:
        t["carried_forward"] = [t["new"][c] + t["carried_over"][c] - t["results_total"][c] for c in range(6)]
    return {k: v + [sum(v)] if len(v) == 6 else v for k, v in t.items()}


def glue(values):
    return "".join(str(v) for v in values)


def splits(run, parts, summed):
    """Every split of `run` into `parts` values without leading zeros (the
    oracle's own brute force, independent of the Rust search)."""
    out = []
    n = len(run)
    for cuts in itertools.combinations(range(1, n), parts - 1):
        bounds = (0,) + cuts + (n,)
        pieces = [run[a:b] for a, b in zip(bounds, bounds[1:])]
        if any(len(p) > 1 and p[0] == "0" for p in pieces) or any(len(p) > 7 for p in pieces):
            continue
        vals = [int(p) for p in pieces]
        if summed and sum(vals[:-1]) != vals[-1]:
            continue
        out.append(vals)
    return out


def readings(table, glued_rows):
    """Expected reading of table 三: per row key, the list of values (None
    where a careful reader cannot pin the cell)."""
    cands = {}
    for k in table:
        if k in glued_rows:
            run = glued_rows[k]
            cands[k] = [list(map(int, run))] if len(run) == 7 else splits(run, 7, True)
        else:
            cands[k] = [table[k]]
    keys = [k for k in cands if len(cands[k]) > 1]
    sols = []
    for combo in itertools.product(*(cands[k] for k in keys)):
        pick = {k: c[0] for k, c in cands.items() if len(c) == 1}
        pick.update(dict(zip(keys, combo)))
        if any(not cands[k] for k in cands):
            break
        ok = all(
            pick["results_total"][c] == sum(pick[k][c] for k in RESULT_KEYS if k in pick)
            and pick["new"][c] + pick["carried_over"][c] == pick["results_total"][c] + pick["carried_forward"][c]
            for c in range(7)
        )
        if ok:
            sols.append(pick)
    out = {}
    for k in table:
        if len(cands[k]) == 1:
            out[k] = cands[k][0]
        elif not cands[k] or not sols:
            out[k] = [None] * 7
        else:
            out[k] = [sols[0][k][c] if all(s[k] == sols[0][k] for s in sols) else None for c in range(7)]
    return out


def truth_cells(req, active, rev):
    cells = {}
    for k, vals in req.items():
        for c, v in zip(COLS, vals):
            cells[f"requests.{k}.{c}"] = v
    for (k, c), v in active.items():
        cells[f"active_disclosure.{k}.{c}"] = v
    for g, vals in zip(REV_ROWS, rev):
        for c, v in zip(REV_COLS, vals):
            cells[f"review_litigation.{g}.{c}"] = v
    return cells


# ------------------------------------------------------------------ narrative

def overview(agency, year, received, carried):
    return (
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》（2019年修订），"
        f"坚持以公开为常态、不公开为例外，全年主动公开政府信息366条。"
        f"全年共受理政府信息公开申请{received + carried}件（含上年结转{carried}件），"
        f"依申请公开信息数363条，均在法定期限内答复；收到行政复议申请2件。"
    )


PERIOD = "本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"

CSS = (
    "p.MsoNormal, li.MsoNormal, div.MsoNormal{margin:0cm;margin-bottom:.0001pt;text-align:justify;"
    "font-size:10.5pt;font-family:Calibri;mso-fareast-font-family:宋体;}"
    "@page WordSection1{size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}div.WordSection1{page:WordSection1;}"
)
NAV = "首页 | 政务公开 | 政府信息公开年报 | 互动交流 | 办事服务 当前位置：首页 > 政务公开 > 政府信息公开年报"


def table2_glued(active):
    """Table 二 as a crawler glues it (one string)."""
    a = active
    return (
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        f"规章{a[('regulations','issued')]}{a[('regulations','repealed')]}{a[('regulations','in_force')]}"
        f"行政规范性文件{a[('normative_documents','issued')]}{a[('normative_documents','repealed')]}{a[('normative_documents','in_force')]}"
        f"第二十条第（五）项信息内容本年处理决定数量行政许可{a[('licensing','decisions')]}"
        f"第二十条第（六）项信息内容本年处理决定数量行政处罚{a[('penalty','decisions')]}行政强制{a[('coercion','decisions')]}"
        f"第二十条第（八）项信息内容本年收费金额（单位：万元，保留4位小数）行政事业性收费{a[('fees','amount')]}"
    )


def table3_glued_rows(req, sep_override=None):
    """Table 三 rows as glued lines (label + digits), group labels before
    their first sub-row."""
    rows = []
    for k, label in REQ_ROWS:
        run = sep_override.get(k) if sep_override and k in sep_override else glue(req[k])
        rows.append(GROUP_BEFORE.get(k, "") + label + run)
    return rows


HEADER3 = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
    "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
)
HEADER4 = (
    "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
    "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
)


def sample_oneline():
    """A county bureau's page crawled into page.txt: crawler header lines,
    then the whole body as one line, Word CSS and conditional comments
    leaking in, every table's digits glued."""
    agency, year = "清河县自然资源局", 2022
    req = req_table({
        "new": [151, 3, 0, 0, 0, 0],
        "carried_over": [5, 0, 0, 0, 0, 0],
        "granted": [80, 2, 0, 0, 0, 0],
        "partly_granted": [10, 0, 0, 0, 0, 0],
        "denied.prohibited_by_law": [2, 0, 0, 0, 0, 0],
        "denied.third_party": [1, 0, 0, 0, 0, 0],
        "denied.process_info": [3, 0, 0, 0, 0, 0],
        "unavailable.not_held": [30, 1, 0, 0, 0, 0],
        "unavailable.needs_creation": [5, 0, 0, 0, 0, 0],
        "unavailable.unclear": [2, 0, 0, 0, 0, 0],
        "not_processed.petition": [8, 0, 0, 0, 0, 0],
        "not_processed.repeated": [4, 0, 0, 0, 0, 0],
        "other.no_correction": [1, 0, 0, 0, 0, 0],
    })
    active = {
        ("regulations", "issued"): 0, ("regulations", "repealed"): 0, ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 2, ("normative_documents", "repealed"): 4, ("normative_documents", "in_force"): 432,
        ("licensing", "decisions"): 1256, ("penalty", "decisions"): 37, ("coercion", "decisions"): 0,
        ("fees", "amount"): "0.5",
    }
    rev = [[1, 0, 0, 1, 2], [0, 0, 0, 1, 1], [0, 0, 0, 0, 0]]
    glued_rows = {k: glue(v) for k, v in req.items()}
    # A stray space inside carried_over's digits ("500000 5").
    body_rows = table3_glued_rows(req, {"carried_over": "500000 5"})
    body = (
        f"{agency}{year}年政府信息公开工作年度报告"
        + CSS
        + "<!--[if !supportLists]-->一、<!--[endif]-->总体情况"
        + overview(agency, year, 154, 5)
        + PERIOD.format(y=year)
        + "二、主动公开政府信息情况" + table2_glued(active)
        + "三、收到和处理政府信息公开申请情况" + HEADER3 + "".join(body_rows)
        + "四、政府信息公开行政复议、行政诉讼情况" + HEADER4 + "".join(glue(g) for g in rev)
        + "五、存在的主要问题及改进情况一是公开内容不够全面；二是解读形式较为单一。下一步将加强培训。"
        + "六、其他需要报告的事项本机关未收取信息处理费。"
        + "分享到：微信 微博 【打印本页】【关闭窗口】"
    )
    text = (
        "url: http://www.qinghe.gov.cn/zwgk/xxgknb/202301/t20230120_1234.html\n"
        f"title: {agency}{year}年政府信息公开工作年度报告-清河县人民政府\n"
        f"标题: {agency}{year}年政府信息公开工作年度报告\n"
        "发布时间: 2023-01-20 09:30\n"
        "来源: 清河县自然资源局\n\n"
        + body + "\n"
    )
    expected_req = readings(req, glued_rows)
    exp_active = dict(active)
    # "行政规范性文件24432" has no identity: left unread.
    for c in ["issued", "repealed", "in_force"]:
        exp_active[("normative_documents", c)] = None
    exp_active[("fees", "amount")] = 0.5
    return "scraped-oneline-qinghe-ziranziyuan-2022.txt", text.encode(), {
        "agency": agency, "year": year, "template": "2021",
        "cells": truth_cells(expected_req, exp_active, rev),
        "findings": [],
        "diagnostics": ["glued_digits"],
    }


def sample_rows():
    """A township page where every table row became one line (the crawler
    joined each <tr>'s cells), site navigation above the report, stray
    spaces inside labels, a row whose values are separated by runs of
    spaces and placeholders, one by single spaces, and a published error:
    granted's seven single-digit values do not add up (certain, so an
    error finding, reading certain)."""
    agency, year = "白石镇", 2023
    req = req_table({
        "new": [1, 0, 0, 0, 0, 0],
        "granted": [1, 0, 0, 0, 0, 0],
    })
    # Published: granted total printed 2 instead of 1.
    req_written = {k: list(v) for k, v in req.items()}
    req_written["granted"] = [1, 0, 0, 0, 0, 0, 2]
    lines = [NAV, "", f"{agency}{year}年政府信息公开工作年度报告", "",
             "一、总体情况", f"{year}年，{agency}共收到政府信息公开申请1件，已按时答复。", PERIOD.format(y=year),
             "二、主动公开政府信息情况"]
    lines += [
        "第二十条第（一）项", "信息内容本年制发件数本年废止件数现行有效件数", "规章000", "行政规范性文件000",
        "第二十条第（五）项", "信息内容本年处理决定数量", "行政许可0",
        "第二十条第（六）项", "信息内容本年处理决定数量", "行政处罚0", "行政强制0",
        "第二十条第（八）项", "信息内容本年收费金额（单位：万元）", "行政事业性收费0",
        "三、收到和处理政府信息公开申请情况", HEADER3.replace("社会公益组织", "社会公益 组织"),
    ]
    for k, label in REQ_ROWS:
        vals = req_written[k]
        if k == "new":
            run = "1    -    -    -     -    -    1"
        elif k == "carried_forward":
            run = " ".join(str(v) for v in vals)
        else:
            run = glue(vals)
        group = GROUP_BEFORE.get(k, "")
        if group == "三、本年度办理结果":
            group = "三、本年度办 理结果"
        lines.append(group + label + run)
    lines += ["四、政府信息公开行政复议、行政诉讼情况", HEADER4, "0" * 15,
              "五、存在的主要问题及改进情况", "信息公开的及时性有待提高。",
              "六、其他需要报告的事项", "无。", "主办单位：白石镇人民政府 网站标识码：1234567890"]
    cells = truth_cells(
        {k: ([1, None, None, None, None, None, 1] if k == "new" else v) for k, v in req_written.items()},
        {("regulations", c): 0 for c in ["issued", "repealed", "in_force"]}
        | {("normative_documents", c): 0 for c in ["issued", "repealed", "in_force"]}
        | {("licensing", "decisions"): 0, ("penalty", "decisions"): 0, ("coercion", "decisions"): 0, ("fees", "amount"): 0},
        [[0] * 5] * 3,
    )
    findings = [
        ["requests.row_sum", "granted", "total", "certain"],
        ["requests.results_sum", "results_total", "total", "certain"],
    ]
    return "scraped-rows-baishi-2023.txt", "\n".join(lines).encode(), {
        "agency": agency, "year": year, "template": "2021", "cells": cells, "findings": findings,
        "diagnostics": [],
    }


def html_table3(req_w):
    """Table 三 as an HTML table with the official merged cells; `req_w`
    holds the written texts per row."""
    h = ['<table border="1" cellspacing="0">',
         '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
         '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
         '<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>']
    groups = {"denied": 8, "unavailable": 3, "not_processed": 5, "other": 3}
    group_label = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}
    for k, label in REQ_ROWS:
        tds = "".join(f"<td>{v}</td>" for v in req_w[k])
        if k in ("new", "carried_over", "carried_forward"):
            h.append(f'<tr><td colspan="3">{label}</td>{tds}</tr>')
            continue
        lead = '<td rowspan="23">三、本年度办理结果</td>' if k == "granted" else ""
        if "." in k:
            g = k.split(".")[0]
            first = k == [x for x, _ in REQ_ROWS if x.startswith(g + ".")][0]
            glabel = f'<td rowspan="{groups[g]}">{group_label[g]}</td>' if first else ""
            h.append(f"<tr>{lead}{glabel}<td>{label}</td>{tds}</tr>")
        else:
            h.append(f'<tr>{lead}<td colspan="2">{label}</td>{tds}</tr>')
    h.append("</table>")
    return "\n".join(h)


def sample_fragment():
    """A bureau's report body saved alone (a CMS export): <p> and <table>
    with no <html> or <body>, named .txt. One published error (partly_granted
    total) and one cell written as text (一 for 1), whose sums are blocked."""
    agency, year = "红山区教育局", 2023
    req = req_table({
        "new": [20, 1, 0, 0, 0, 0],
        "carried_over": [2, 0, 0, 0, 0, 0],
        "granted": [10, 1, 0, 0, 0, 0],
        "partly_granted": [3, 0, 0, 0, 0, 0],
        "denied.third_party": [1, 0, 0, 0, 0, 0],
        "unavailable.not_held": [5, 0, 0, 0, 0, 0],
    })
    written = {k: [str(v) for v in vals] for k, vals in req.items()}
    written["partly_granted"][6] = "4"
    written["denied.third_party"][0] = "一"
    paras = [f'<p style="text-align:center"><strong><span style="font-size:22px;font-family:方正小标宋简体">{agency}{year}年政府信息公开工作年度报告</span></strong></p>']
    paras.append(f'<p style="text-indent:2em"><span style="font-family:仿宋_GB2312">{PERIOD.format(y=year)}</span></p>')
    paras.append('<p style="text-indent:2em"><span style="font-family:黑体">一、总体情况</span></p>')
    for _ in range(6):
        paras.append(f'<p style="text-indent:2em;line-height:28px"><span style="font-family:仿宋_GB2312;font-size:16px">{overview(agency, year, 21, 2)}</span></p>')
    paras.append('<p><span style="font-family:黑体">二、主动公开政府信息情况</span></p>')
    paras.append('<table border="1"><tr><td colspan="4">第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>'
                 '<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr><tr><td>行政规范性文件</td><td>3</td><td>1</td><td>25</td></tr>'
                 '<tr><td colspan="4">第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr><tr><td>行政许可</td><td colspan="3">12</td></tr>'
                 '<tr><td colspan="4">第二十条第（六）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr><tr><td>行政处罚</td><td colspan="3">0</td></tr><tr><td>行政强制</td><td colspan="3">0</td></tr>'
                 '<tr><td colspan="4">第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr><tr><td>行政事业性收费</td><td colspan="3">0</td></tr></table>')
    paras.append('<p><span style="font-family:黑体">三、收到和处理政府信息公开申请情况</span></p>')
    paras.append(html_table3(written))
    paras.append('<p><span style="font-family:黑体">四、政府信息公开行政复议、行政诉讼情况</span></p>')
    paras.append('<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
                 '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
                 '<tr>' + "".join(f"<td>{x}</td>" for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + '</tr>'
                 '<tr>' + "".join(f"<td>{x}</td>" for x in [1, 0, 0, 0, 1] + [0] * 10) + '</tr></table>')
    paras.append('<p><span style="font-family:黑体">五、存在的主要问题及改进情况</span></p><p>主动公开的深度有待加强。</p>')
    paras.append('<p><span style="font-family:黑体">六、其他需要报告的事项</span></p><p>本机关未收取信息处理费。</p>')
    html = "\n".join(paras)
    exp = {k: list(v) for k, v in req.items()}
    exp["partly_granted"][6] = 4
    exp["denied.third_party"][0] = None
    active = {("regulations", c): 0 for c in ["issued", "repealed", "in_force"]}
    active |= {("normative_documents", "issued"): 3, ("normative_documents", "repealed"): 1, ("normative_documents", "in_force"): 25,
               ("licensing", "decisions"): 12, ("penalty", "decisions"): 0, ("coercion", "decisions"): 0, ("fees", "amount"): 0}
    findings = [
        ["value.domain", "denied.third_party", "natural_person", "certain"],
        ["requests.row_sum", "partly_granted", "total", "certain"],
        ["requests.results_sum", "results_total", "total", "certain"],
    ]
    return "article-fragment-hongshan-jiaoyu-2023.txt", html.encode(), {
        "agency": agency, "year": year, "template": "2021",
        "cells": truth_cells(exp, active, [[1, 0, 0, 0, 1], [0] * 5, [0] * 5]),
        "findings": findings, "diagnostics": [],
        # natural_person's results sum and the row sum of the text cell are
        # blocked by it, not reported.
        "blocked": [["requests.row_sum", "denied.third_party", "total"], ["requests.results_sum", "results_total", "natural_person"]],
    }


def sample_markdown():
    """A PDF/OCR export as Markdown: pipe tables split into small tables
    with placeholder headers (数据1 | 数据2), page footers inside tables, a
    vertical group label one character per row, a value-only row whose label
    sits on the line above, a label wrapped over two rows."""
    agency, year = "南江市人民政府", 2022
    req = req_table({
        "new": [705, 3, 0, 1, 0, 0],
        "carried_over": [12, 0, 0, 0, 0, 0],
        "granted": [300, 1, 0, 0, 0, 0],
        "partly_granted": [120, 0, 0, 1, 0, 0],
        "denied.state_secret": [2, 0, 0, 0, 0, 0],
        "denied.process_info": [15, 0, 0, 0, 0, 0],
        "unavailable.not_held": [180, 2, 0, 0, 0, 0],
        "unavailable.unclear": [9, 0, 0, 0, 0, 0],
        "not_processed.petition": [30, 0, 0, 0, 0, 0],
        "not_processed.repeated": [11, 0, 0, 0, 0, 0],
        "other.other": [4, 0, 0, 0, 0, 0],
    })
    ph = lambda n: "| " + " | ".join(f"数据{i+1}" for i in range(n)) + " |\n|" + "---|" * n
    def row(cells):
        return "| " + " | ".join(str(c) for c in cells) + " |"
    out = [f"# {agency}{year}年政府信息公开工作年度报告", "",
           "## 一、总体情况", "", overview("南江市", year, 709, 12), "", PERIOD.format(y=year), "",
           "## 二、主动公开政府信息情况", "", ph(4),
           row(["第二十条第（一）项", "", "", ""]), row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
           row(["规章", 1, 0, 14]), row(["行政规范性文件", 6, 2, 88]), "",
           ph(2), row(["第二十条第（五）项", ""]), row(["信息内容", "本年处理决定数量"]), row(["行政许可", 32450]),
           row(["第二十条第（六）项", ""]), row(["行政处罚", 5120]), row(["行政强制", 61]),
           row(["第二十条第（八）项", ""]), row(["行政事业性收费", "125.3"]), "",
           "## 三、收到和处理政府信息公开申请情况", "", ph(9),
           row(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "申请人情况", "", "", "", "", "", ""]),
           row(["", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])]
    vertical = list("三、本年度办理结果")
    vi = 0
    for k, label in REQ_ROWS:
        vals = req[k]
        if k == "denied.third_party":
            out += ["", "— 3 —", "", ph(9)]
        first = ""
        if k not in ("new", "carried_over", "carried_forward", "results_total") and vi < len(vertical):
            first = vertical[vi]
            vi += 1
        grp = GROUP_BEFORE.get(k, "")
        grp = "" if grp.startswith("三、") else grp
        if k == "partly_granted":
            out.append(row([first, "（二）部分公开（区分处理的，只计这一情形，", "", "", "", "", "", "", ""]))
            out.append(row(["", "不计其他情形）"] + vals))
        elif k == "unavailable.unclear":
            out.append(row([first, "3.补正后申请内容仍不明确", "", "", "", "", "", "", ""]))
            out.append(row(vals))
        else:
            out.append(row([first or grp, label] + vals))
        if k == "not_processed.petition":
            out.append(row(["-4-", "", "", "", "", "", "", "", ""]))
    out += ["", "## 四、政府信息公开行政复议、行政诉讼情况", "", ph(15),
            row(["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9),
            row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]),
            row([""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
            row([10, 2, 1, 3, 16, 4, 1, 0, 2, 7, 1, 0, 0, 1, 2]), "", "第 5 页 共 6 页", "",
            "## 五、存在的主要问题及改进情况", "", "部分单位答复不够规范。", "",
            "## 六、其他需要报告的事项", "", "本年度未收取信息处理费。", ""]
    active = {("regulations", "issued"): 1, ("regulations", "repealed"): 0, ("regulations", "in_force"): 14,
              ("normative_documents", "issued"): 6, ("normative_documents", "repealed"): 2, ("normative_documents", "in_force"): 88,
              ("licensing", "decisions"): 32450, ("penalty", "decisions"): 5120, ("coercion", "decisions"): 61, ("fees", "amount"): 125.3}
    return "ocr-export-nanjiang-2022.md", "\n".join(out).encode(), {
        "agency": agency, "year": year, "template": "2021",
        "cells": truth_cells(req, active, [[10, 2, 1, 3, 16], [4, 1, 0, 2, 7], [1, 0, 0, 1, 2]]),
        "findings": [], "diagnostics": [],
    }


def tab_table3(req_w, keys_labels):
    lines = ["(本列数据的钩稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t",
             "\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
             "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"]
    for k, label in keys_labels:
        lead = GROUP_BEFORE.get(k, "")
        lines.append(f"{lead}\t{label}\t" + "\t".join(str(v) for v in req_w[k]))
    return lines


def sample_cover_letter():
    """A report published as a cover letter (关于报送…的函), copied from
    Word as tab text; the year of the body title is missing, the
    statistics-period sentence has it."""
    agency, year = "石门镇", 2022
    req = req_table({"new": [3, 0, 0, 0, 0, 0], "granted": [2, 0, 0, 0, 0, 0], "unavailable.not_held": [1, 0, 0, 0, 0, 0]})
    lines = [f"关于报送{agency}{year}年政府信息公开工作年度报告的函", "县政务公开办：",
             f"现将我镇{year}年政府信息公开工作年度报告报送你办，请审阅。", f"{agency}人民政府", "2023年1月16日", "",
             f"{agency}政府信息公开工作年度报告", "一、总体情况", PERIOD.format(y=year),
             f"{agency}全年共收到政府信息公开申请3件，均已办结。",
             "二、主动公开政府信息情况", "第二十条第（一）项\t\t\t", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
             "规章\t0\t0\t0", "行政规范性文件\t0\t0\t0", "第二十条第（五）项\t\t\t", "信息内容\t本年处理决定数量\t\t",
             "行政许可\t0\t\t", "第二十条第（六）项\t\t\t", "行政处罚\t0\t\t", "行政强制\t0\t\t", "第二十条第（八）项\t\t\t",
             "行政事业性收费\t0\t\t", "三、收到和处理政府信息公开申请情况"]
    lines += tab_table3(req, REQ_ROWS)
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
              "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
              "\t".join(["0"] * 15), "五、存在的主要问题及改进情况", "公开意识有待加强。", "六、其他需要报告的事项", "无。"]
    active = {(r, c): 0 for r in ["regulations", "normative_documents"] for c in ["issued", "repealed", "in_force"]}
    active |= {("licensing", "decisions"): 0, ("penalty", "decisions"): 0, ("coercion", "decisions"): 0, ("fees", "amount"): 0}
    return "cover-letter-shimen-2022.txt", "\n".join(lines).encode("gb18030"), {
        "agency": agency, "year": year, "template": "2021",
        "cells": truth_cells(req, active, [[0] * 5] * 3), "findings": [], "diagnostics": [],
    }


def sample_mixed_layout():
    """A 2021 report printing （六）其他处理 as one row (the 2019 layout),
    with no 规章 row, no section 六, a heading typo (行政法复议), label typos
    (行政止公开, 先行有效件数) and 钩稽 for 勾稽."""
    agency, year = "东坡街道办事处", 2021
    rows = [(k, l) for k, l in REQ_ROWS if not k.startswith("other.")]
    req = req_table({"new": [6, 0, 0, 0, 0, 0], "granted": [3, 0, 0, 0, 0, 0], "denied.prohibited_by_law": [1, 0, 0, 0, 0, 0]})
    for k in ["other.no_correction", "other.no_fee", "other.other"]:
        del req[k]
    req["other"] = [2, 0, 0, 0, 0, 0, 2]
    req["results_total"] = [6, 0, 0, 0, 0, 0, 6]
    req["carried_forward"] = [0] * 7
    i = [k for k, _ in rows].index("results_total")
    rows.insert(i, ("other", "（六）其他处理"))
    labels = dict(rows)
    labels["denied.prohibited_by_law"] = "2.其他法律行政法规禁止公开".replace("法规禁止", "止")
    lines = [f"{agency}{year}年政府信息公开工作年度报告", "一、总体情况", f"{year}年，本街道共收到政府信息公开申请6件。",
             "二、主动公开政府信息情况", "第二十条第（一）项\t\t\t", "信息内容\t本年制发件数\t本年废止件数\t先行有效件数",
             "行政规范性文件\t1\t0\t3", "第二十条第（五）项\t\t\t", "信息内容\t本年处理决定数量\t\t", "行政许可\t0\t\t",
             "第二十条第（六）项\t\t\t", "行政处罚\t0\t\t", "行政强制\t0\t\t", "第二十条第（八）项\t\t\t", "行政事业性收费\t0\t\t",
             "三、收到和处理政府信息公开申请情况"]
    lines += tab_table3(req, [(k, labels[k]) for k, _ in rows])
    lines += ["四、政府信息公开行政法复议、行政诉讼情况", "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
              "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
              "\t".join(["0"] * 15), "五、存在的主要问题及改进情况", "信息更新不够及时。"]
    active = {("normative_documents", "issued"): 1, ("normative_documents", "repealed"): 0, ("normative_documents", "in_force"): 3,
              ("licensing", "decisions"): 0, ("penalty", "decisions"): 0, ("coercion", "decisions"): 0, ("fees", "amount"): 0}
    return "mixed-layout-dongpo-2021.txt", "\n".join(lines).encode(), {
        "agency": agency, "year": year, "template": "2021",
        "cells": truth_cells(req, active, [[0] * 5] * 3), "findings": [],
        "diagnostics": ["layout_mix"], "sections_absent": ["other"], "sections_present": ["review_litigation"],
    }


if __name__ == "__main__":
    truth = {}
    for make in [sample_oneline, sample_rows, sample_fragment, sample_markdown, sample_cover_letter, sample_mixed_layout]:
        name, data, t = make()
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        truth[name] = t
    with open(os.path.join(HERE, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
