#!/usr/bin/env python3
"""Samples for archives that span years (issue: the 2019 format, and reports
that follow no template). Writes into samples/years/:

  2019-format-county-2020.html      2019 format, HTML, consistent
  2019-format-town-2019.html        2019 format, HTML, one injected inconsistency
  2019-format-town-2019.docx        the same page converted by LibreOffice (if soffice is installed)
  2021-format-for-2020.html         a 2020 report already on the 2021 layout
  freeform-2017.html                a pre-2019 report in no template, with an agency's own table
  truth.json                        every value and finding a converter must report

Run: python3 samples/years/make_years.py   (needs only python3; soffice optional)
"""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

REQUEST_COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
GROUPS = ["review", "suit_direct", "suit_after_review"]

DENIED = [("denied.state_secret", "1.属于国家秘密"), ("denied.prohibited_by_law", "2.其他法律行政法规禁止公开"),
          ("denied.security_stability", "3.危及“三安全一稳定”"), ("denied.third_party", "4.保护第三方合法权益"),
          ("denied.internal_affairs", "5.属于三类内部事务信息"), ("denied.process_info", "6.属于四类过程性信息"),
          ("denied.enforcement_file", "7.属于行政执法案卷"), ("denied.query", "8.属于行政查询事项")]
UNAVAILABLE = [("unavailable.not_held", "1.本机关不掌握相关政府信息"), ("unavailable.needs_creation", "2.没有现成信息需要另行制作"),
               ("unavailable.unclear", "3.补正后申请内容仍不明确")]
NOT_PROCESSED = [("not_processed.petition", "1.信访举报投诉类申请"), ("not_processed.repeated", "2.重复申请"),
                 ("not_processed.publication", "3.要求提供公开出版物"), ("not_processed.mass_requests", "4.无正当理由大量反复申请"),
                 ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息")]
OTHER_2021 = [("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
              ("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
              ("other.other", "3.其他")]


def with_totals(rows, keys):
    """rows: key -> six applicant values; fills totals, results_total."""
    out = {}
    for k in keys:
        six = rows.get(k, [0] * 6)
        out[k] = list(six) + [sum(six)]
    results = [k for k in keys if k not in ("new", "carried_over", "results_total", "carried_forward")]
    out["results_total"] = [sum(out[k][i] for k in results) for i in range(7)]
    return out


def request_keys(fmt):
    keys = ["new", "carried_over", "granted", "partly_granted"] + [k for k, _ in DENIED + UNAVAILABLE + NOT_PROCESSED]
    keys += ["other"] if fmt == "2019" else [k for k, _ in OTHER_2021]
    return keys + ["results_total", "carried_forward"]


def td(text, rs=1, cs=1, th=False):
    tag = "th" if th else "td"
    a = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    return f"<{tag}{a}>{text}</{tag}>"


def table(rows):
    return "<table border=\"1\" cellspacing=\"0\">\n" + "\n".join("<tr>" + "".join(r) + "</tr>" for r in rows) + "\n</table>"


def active_2019(a):
    return table([
        [td("第二十条第（一）项", cs=4)],
        [td("信息内容"), td("本年新制作数量"), td("本年新公开数量"), td("对外公开总数量")],
        [td("规章")] + [td(v) for v in a["regulations"]],
        [td("规范性文件")] + [td(v) for v in a["normative_documents"]],
        [td("第二十条第（五）项", cs=4)],
        [td("信息内容"), td("上一年项目数量"), td("本年增/减"), td("处理决定数量")],
        [td("行政许可")] + [td(v) for v in a["licensing"]],
        [td("其他对外管理服务事项")] + [td(v) for v in a["other_services"]],
        [td("第二十条第（六）项", cs=4)],
        [td("信息内容"), td("上一年项目数量"), td("本年增/减"), td("处理决定数量")],
        [td("行政处罚")] + [td(v) for v in a["penalty"]],
        [td("行政强制")] + [td(v) for v in a["coercion"]],
        [td("第二十条第（八）项", cs=4)],
        [td("信息内容"), td("上一年项目数量"), td("本年增/减", cs=2)],
        [td("行政事业性收费"), td(a["fees"][0]), td(a["fees"][1], cs=2)],
        [td("第二十条第（九）项", cs=4)],
        [td("信息内容"), td("采购项目数量"), td("采购总金额", cs=2)],
        [td("政府集中采购"), td(a["procurement"][0]), td(a["procurement"][1], cs=2)],
    ])


def active_2021(a):
    return table([
        [td("第二十条第（一）项", cs=4)],
        [td("信息内容"), td("本年制发件数"), td("本年废止件数"), td("现行有效件数")],
        [td("规章")] + [td(v) for v in a["regulations"]],
        [td("行政规范性文件")] + [td(v) for v in a["normative_documents"]],
        [td("第二十条第（五）项", cs=4)],
        [td("信息内容"), td("本年处理决定数量", cs=3)],
        [td("行政许可"), td(a["licensing"][0], cs=3)],
        [td("第二十条第（六）项", cs=4)],
        [td("信息内容"), td("本年处理决定数量", cs=3)],
        [td("行政处罚"), td(a["penalty"][0], cs=3)],
        [td("行政强制"), td(a["coercion"][0], cs=3)],
        [td("第二十条第（八）项", cs=4)],
        [td("信息内容"), td("本年收费金额（单位：万元）", cs=3)],
        [td("行政事业性收费"), td(a["fees"][0], cs=3)],
    ])


def requests_table(req, fmt):
    v = lambda k: [td(x) for x in req[k]]
    other = [("other", "（六）其他处理")] if fmt == "2019" else OTHER_2021
    results_rows = 2 + len(DENIED) + len(UNAVAILABLE) + len(NOT_PROCESSED) + len(other)
    rows = [
        [td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rs=3, cs=3), td("申请人情况", cs=7)],
        [td("自然人", rs=2), td("法人或其他组织", cs=5), td("总计", rs=2)],
        [td("商业企业"), td("科研机构"), td("社会公益组织"), td("法律服务机构"), td("其他")],
        [td("一、本年新收政府信息公开申请数量", cs=3)] + v("new"),
        [td("二、上年结转政府信息公开申请数量", cs=3)] + v("carried_over"),
        [td("三、本年度办理结果", rs=results_rows + 1), td("（一）予以公开", cs=2)] + v("granted"),
        [td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", cs=2)] + v("partly_granted"),
    ]
    for label, group in [("（三）不予公开", DENIED), ("（四）无法提供", UNAVAILABLE), ("（五）不予处理", NOT_PROCESSED)]:
        for i, (k, sub) in enumerate(group):
            rows.append(([td(label, rs=len(group))] if i == 0 else []) + [td(sub)] + v(k))
    if fmt == "2019":
        rows.append([td("（六）其他处理", cs=2)] + v("other"))
    else:
        for i, (k, sub) in enumerate(OTHER_2021):
            rows.append(([td("（六）其他处理", rs=3)] if i == 0 else []) + [td(sub)] + v(k))
    rows.append([td("（七）总计", cs=2)] + v("results_total"))
    rows.append([td("四、结转下年度继续办理", cs=3)] + v("carried_forward"))
    return table(rows)


def review_table(rev):
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return table([
        [td("行政复议", cs=5), td("行政诉讼", cs=10)],
        [td(l, rs=2) for l in labels] + [td("未经复议直接起诉", cs=5), td("复议后起诉", cs=5)],
        [td(l) for l in labels] * 2,
        [td(x) for g in GROUPS for x in rev[g]],
    ])


def page(title, body):
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
<h1>{title}</h1>
<p class="meta">发布时间：2021-01-25　来源：本机关办公室</p>
{body}
</div>
<div class="footer">主办单位：本机关办公室　网站标识码：0000000000　ICP备案号：X ICP备00000000号</div>
</body></html>
"""


def report_body(rep, fmt):
    new_total = rep["requests"]["new"][6]
    said = f"全年共收到政府信息公开申请{rep.get('stated', new_total)}件。" if new_total or rep.get("stated") else "全年未收到政府信息公开申请。"
    return f"""
<p>本报告根据《中华人民共和国政府信息公开条例》要求编制。</p>
<h2>一、总体情况</h2>
<p>{rep['agency']}认真落实政府信息公开各项工作。{said}</p>
<h2>二、主动公开政府信息情况</h2>
{active_2019(rep['active']) if fmt == '2019' else active_2021(rep['active'])}
<h2>三、收到和处理政府信息公开申请情况</h2>
{requests_table(rep['requests'], fmt)}
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>
{review_table(rep['review'])}
<h2>五、存在的主要问题及改进情况</h2>
<p>信息公开的及时性有待提高，下一步将加强培训。</p>
<h2>六、其他需要报告的事项</h2>
<p>无。</p>
"""


def review(groups):
    return {g: list(groups.get(g, [0, 0, 0, 0])) + [sum(groups.get(g, [0, 0, 0, 0]))] for g in GROUPS}


COUNTY_2020 = {
    "agency": "松溪县人民政府", "year": 2020, "fmt": "2019",
    "active": {
        "regulations": [0, 0, 0], "normative_documents": [4, 4, 27],
        "licensing": [58, "+3", 2861], "other_services": [12, "-1", 406],
        "penalty": [35, "0", 512], "coercion": [6, "+1", 19],
        "fees": [4, "-2"], "procurement": [23, "1286.5万元"],
    },
    "requests": with_totals({
        "new": [31, 4, 0, 1, 1, 0], "carried_over": [2, 0, 0, 0, 0, 0],
        "granted": [18, 2, 0, 1, 0, 0], "partly_granted": [3, 1, 0, 0, 0, 0],
        "denied.process_info": [1, 0, 0, 0, 0, 0], "unavailable.not_held": [5, 1, 0, 0, 1, 0],
        "not_processed.repeated": [2, 0, 0, 0, 0, 0], "other": [1, 0, 0, 0, 0, 0],
        "carried_forward": [3, 0, 0, 0, 0, 0],
    }, request_keys("2019")),
    "review": review({"review": [1, 0, 0, 1], "suit_direct": [1, 0, 0, 0]}),
}

TOWN_2019 = {
    "agency": "石门镇人民政府", "year": 2019, "fmt": "2019",
    "active": {
        "regulations": [0, 0, 0], "normative_documents": [1, 1, 5],
        "licensing": [3, "0", 41], "other_services": [2, "0", 17],
        "penalty": [1, "0", 6], "coercion": [0, "0", 0],
        "fees": [0, "0"], "procurement": [2, "38.6"],
    },
    "requests": with_totals({
        "new": [4, 0, 0, 0, 0, 0], "granted": [3, 0, 0, 0, 0, 0], "other": [1, 0, 0, 0, 0, 0],
    }, request_keys("2019")),
    "review": review({}),
}
# The injection: 结转下年度继续办理's natural_person says 2 although nothing is
# left over. It breaks the row's total (2 + 0… = 2 ≠ 0) and the balance of
# the natural_person column (4 + 0 ≠ 4 + 2).
TOWN_2019["requests"]["carried_forward"][0] = 2
TOWN_2019_FINDINGS = [
    ("requests.row_sum", "requests", "carried_forward", "total", 2, 0),
    ("requests.balance", "requests", "carried_forward", "natural_person", 4, 6),
]

AGENCY_2020_ON_2021 = {
    "agency": "东湖区人民政府", "year": 2020, "fmt": "2021",
    "active": {
        "regulations": [0, 0, 2], "normative_documents": [7, 3, 44],
        "licensing": [1523], "penalty": [220], "coercion": [14], "fees": ["12.5"],
    },
    "requests": with_totals({
        "new": [60, 8, 1, 0, 2, 1], "granted": [40, 6, 1, 0, 1, 1], "partly_granted": [8, 1, 0, 0, 0, 0],
        "unavailable.not_held": [10, 1, 0, 0, 1, 0], "other.other": [2, 0, 0, 0, 0, 0],
    }, request_keys("2021")),
    "review": review({"review": [2, 1, 0, 0]}),
}


def num(v):
    s = str(v).replace("万元", "").replace("元", "")
    try:
        return int(s)
    except ValueError:
        return float(s)


ACTIVE_COLUMNS = {
    "2019": {"regulations": ["made", "published", "total_public"], "normative_documents": ["made", "published", "total_public"],
             "licensing": ["prev_items", "change", "decisions"], "other_services": ["prev_items", "change", "decisions"],
             "penalty": ["prev_items", "change", "decisions"], "coercion": ["prev_items", "change", "decisions"],
             "fees": ["prev_items", "change"], "procurement": ["items", "amount"]},
    "2021": {"regulations": ["issued", "repealed", "in_force"], "normative_documents": ["issued", "repealed", "in_force"],
             "licensing": ["decisions"], "penalty": ["decisions"], "coercion": ["decisions"], "fees": ["amount"]},
}


def truth(rep, file, findings):
    fmt = rep["fmt"]
    cell = lambda v: {"value": num(v), "raw": str(v)}
    return {
        "file": file, "agency": rep["agency"], "year": rep["year"], "template": fmt,
        "tables": {
            "active_disclosure": {k: dict(zip(cols, map(cell, rep["active"][k]))) for k, cols in ACTIVE_COLUMNS[fmt].items()},
            "requests": {k: dict(zip(REQUEST_COLUMNS, map(cell, vals))) for k, vals in rep["requests"].items()},
            "review_litigation": {g: dict(zip(REVIEW_COLUMNS, map(cell, rep["review"][g]))) for g in GROUPS},
        },
        "findings": [{"rule": r, "table": t, "row": row, "column": c, "expected": e, "actual": a} for r, t, row, c, e, a in findings],
    }


FREEFORM = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>2017年政府信息公开工作年度报告</title></head>
<body>
<h1>清河镇2017年政府信息公开工作年度报告</h1>
<p>根据《中华人民共和国政府信息公开条例》规定，现将我镇2017年度政府信息公开工作情况报告如下。</p>
<p>一、概述</p>
<p>2017年，我镇进一步健全政府信息公开工作机制，全年主动公开政府信息215条。</p>
<p>二、主动公开政府信息的情况</p>
<table border="1"><tr><td>类别</td><td>条数</td></tr><tr><td>机构职能</td><td>12</td></tr><tr><td>财政预决算</td><td>8</td></tr><tr><td>民生保障</td><td>195</td></tr></table>
<p>三、依申请公开政府信息情况</p>
<p>全年共受理政府信息公开申请3件，均已按期答复。</p>
<p>四、因政府信息公开申请行政复议、提起行政诉讼的情况</p>
<p>无。</p>
<p>五、政府信息公开工作存在的主要问题及改进情况</p>
<p>公开内容不够全面，下一步将加强。</p>
</body></html>
"""


def main():
    samples = [
        ("2019-format-county-2020.html", COUNTY_2020, []),
        ("2019-format-town-2019.html", TOWN_2019, TOWN_2019_FINDINGS),
        ("2021-format-for-2020.html", AGENCY_2020_ON_2021, [("template.year", None, None, None, "2019", "2021")]),
    ]
    truths = []
    for file, rep, findings in samples:
        title = f"{rep['agency']}{rep['year']}年政府信息公开工作年度报告"
        with open(os.path.join(HERE, file), "w", encoding="utf-8", newline="\n") as f:
            f.write(page(title, report_body(rep, rep["fmt"])))
        truths.append(truth(rep, file, findings))
    with open(os.path.join(HERE, "freeform-2017.html"), "wb") as f:
        f.write(FREEFORM.encode("gb18030"))
    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([soffice, "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp,
                            os.path.join(HERE, "2019-format-town-2019.html")], check=True, capture_output=True)
            shutil.copy(os.path.join(tmp, "2019-format-town-2019.docx"), os.path.join(HERE, "2019-format-town-2019.docx"))
        docx = dict(truths[1])
        docx["file"] = "2019-format-town-2019.docx"
        truths.append(docx)
    with open(os.path.join(HERE, "truth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(truths, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
