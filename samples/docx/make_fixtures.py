#!/usr/bin/env python3
"""Generates the DOCX fixtures in this directory.

Producers: python-docx (pip install python-docx) and LibreOffice
(soffice --headless, from generated HTML). The outputs are committed; CI
only reads them. Re-run from this directory:

    python3 make_fixtures.py            # everything (LibreOffice if installed)

Every sample is a full 2021-format report with invented agencies and
consistent numbers, except inconsistent.docx (errors listed in EXPECTED.md)
and the corrupt-* files.
"""

import copy
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Report content
# ---------------------------------------------------------------------------

T3_COLS = ["natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"]

# Table 三 rows: (key, group label or None, sub label) in template order.
T3_ROWS = [
    ("new", None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, "二、上年结转政府信息公开申请数量"),
    ("granted", None, "（一）予以公开"),
    ("partly_granted", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("denied.prohibited_by_law", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied.third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied.query", "（三）不予公开", "8.属于行政查询事项"),
    ("unavailable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.repeated", "（五）不予处理", "2.重复申请"),
    ("not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.mass_requests", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.no_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "（六）其他处理", "3.其他"),
    ("results_total", None, "（七）总计"),
    ("carried_forward", None, "四、结转下年度继续办理"),
]
RESULT_KEYS = [k for k, _, _ in T3_ROWS[2:23]]

T4_GROUPS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def requests_table(new, carried_over, results, carried_forward):
    """Builds table 三 values (with totals) and checks the balance rule."""
    rows = {"new": new, "carried_over": carried_over, "carried_forward": carried_forward}
    for k in RESULT_KEYS:
        rows[k] = results.get(k, [0] * 6)
    rows["results_total"] = [sum(rows[k][i] for k in RESULT_KEYS) for i in range(6)]
    out = {k: v + [sum(v)] for k, v in rows.items()}
    for i in range(7):
        lhs = out["new"][i] + out["carried_over"][i]
        rhs = out["results_total"][i] + out["carried_forward"][i]
        assert lhs == rhs, f"balance fails in column {i}: {lhs} != {rhs}"
    return out


def review_table(review, direct, after):
    vals = {}
    for g, v in zip(T4_GROUPS, [review, direct, after]):
        vals[g] = v + [sum(v)]
    return vals


REPORTS = {
    "hongqi": dict(
        agency="红旗街道",
        year=2023,
        t2=dict(regulations=(0, 0, 0), normative_documents=(2, 1, 15), licensing=128, penalty=37, coercion=4,
                fees="12.3456"),
        t3=requests_table(
            new=[23, 4, 0, 1, 2, 0],
            carried_over=[2, 1, 0, 0, 0, 0],
            results={
                "granted": [10, 2, 0, 1, 1, 0],
                "partly_granted": [3, 1, 0, 0, 0, 0],
                "denied.prohibited_by_law": [1, 0, 0, 0, 0, 0],
                "denied.third_party": [1, 0, 0, 0, 0, 0],
                "denied.process_info": [1, 0, 0, 0, 0, 0],
                "denied.query": [1, 0, 0, 0, 0, 0],
                "unavailable.not_held": [4, 1, 0, 0, 1, 0],
                "unavailable.needs_creation": [1, 0, 0, 0, 0, 0],
                "not_processed.petition": [1, 0, 0, 0, 0, 0],
            },
            carried_forward=[2, 1, 0, 0, 0, 0],
        ),
        t4=review_table([1, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1]),
    ),
    "qingshan": dict(
        agency="青山镇",
        year=2022,
        t2=dict(regulations=(0, 0, 0), normative_documents=(1, 0, 6), licensing=56, penalty=12, coercion=0,
                fees="0"),
        t3=requests_table(
            new=[8, 1, 0, 0, 0, 1],
            carried_over=[0, 0, 0, 0, 0, 0],
            results={
                "granted": [5, 1, 0, 0, 0, 1],
                "partly_granted": [1, 0, 0, 0, 0, 0],
                "unavailable.not_held": [1, 0, 0, 0, 0, 0],
                "not_processed.repeated": [1, 0, 0, 0, 0, 0],
            },
            carried_forward=[0, 0, 0, 0, 0, 0],
        ),
        t4=review_table([0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]),
    ),
    "donghu": dict(
        agency="东湖区市场监督管理局",
        year=2023,
        t2=dict(regulations=(0, 0, 0), normative_documents=(3, 2, 21), licensing=2310, penalty=415, coercion=36,
                fees="3.75"),
        t3=requests_table(
            new=[41, 9, 1, 0, 3, 2],
            carried_over=[3, 0, 0, 0, 0, 0],
            results={
                "granted": [20, 5, 1, 0, 2, 1],
                "partly_granted": [6, 2, 0, 0, 0, 0],
                "denied.third_party": [2, 0, 0, 0, 0, 0],
                "denied.internal_affairs": [1, 0, 0, 0, 0, 0],
                "unavailable.not_held": [7, 1, 0, 0, 1, 1],
                "unavailable.unclear": [2, 0, 0, 0, 0, 0],
                "not_processed.petition": [3, 0, 0, 0, 0, 0],
                "other.other": [1, 0, 0, 0, 0, 0],
            },
            carried_forward=[2, 1, 0, 0, 0, 0],
        ),
        t4=review_table([2, 1, 0, 0], [1, 0, 1, 1], [0, 0, 0, 0]),
    ),
    "liuhe": dict(
        agency="柳河县人民政府",
        year=2021,
        t2=dict(regulations=(0, 0, 0), normative_documents=(5, 3, 48), licensing=5021, penalty=803, coercion=57,
                fees="128.0625"),
        t3=requests_table(
            new=[96, 12, 0, 2, 4, 3],
            carried_over=[5, 1, 0, 0, 0, 0],
            results={
                "granted": [48, 6, 0, 1, 2, 2],
                "partly_granted": [12, 2, 0, 0, 1, 0],
                "denied.state_secret": [1, 0, 0, 0, 0, 0],
                "denied.process_info": [3, 1, 0, 0, 0, 0],
                "unavailable.not_held": [20, 2, 0, 1, 1, 1],
                "not_processed.petition": [9, 0, 0, 0, 0, 0],
                "not_processed.repeated": [2, 0, 0, 0, 0, 0],
                "other.no_correction": [2, 1, 0, 0, 0, 0],
            },
            carried_forward=[4, 1, 0, 0, 0, 0],
        ),
        t4=review_table([3, 1, 0, 1], [2, 0, 1, 0], [1, 0, 0, 0]),
    ),
}

SECTIONS = [
    ("一、", "总体情况"),
    ("二、", "主动公开政府信息情况"),
    ("三、", "收到和处理政府信息公开申请情况"),
    ("四、", "政府信息公开行政复议、行政诉讼情况"),
    ("五、", "存在的主要问题及改进情况"),
    ("六、", "其他需要报告的事项"),
]

OVERVIEW_SUBS = [
    ("（一）", "主动公开", "本年度通过门户网站主动公开政府信息{active}条，其中政策文件{docs}件，政策解读{interp}篇。"),
    ("（二）", "依申请公开", "全年共收到政府信息公开申请{new}件，均在法定期限内答复。"),
    ("（三）", "政府信息管理", "严格落实公文类信息公开属性源头认定和保密审查制度，及时清理失效文件。"),
    ("（四）", "平台建设", "优化政府网站信息公开专栏，推进政务新媒体规范化运维。"),
    ("（五）", "监督保障", "将政务公开工作纳入年度绩效考核，开展业务培训{train}次。"),
]


def title(r):
    return f"{r['agency']}{r['year']}年政府信息公开工作年度报告"


def intro(r):
    return (f"本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求编制。"
            f"报告所列数据统计期限自{r['year']}年1月1日起至{r['year']}年12月31日止。")


def overview_values(r):
    new_total = r["t3"]["new"][6]
    return dict(active=300 + 7 * new_total, docs=10 + new_total // 3, interp=4 + new_total // 10, new=new_total,
                train=3)


# ---------------------------------------------------------------------------
# Table layouts (as lists of rows of (text, rowspan, colspan))
# ---------------------------------------------------------------------------


def layout_t2(r):
    t = r["t2"]
    rows = [
        [("第二十条第（一）项", 1, 4)],
        [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)],
        [("规章", 1, 1)] + [(str(v), 1, 1) for v in t["regulations"]],
        [("行政规范性文件", 1, 1)] + [(str(v), 1, 1) for v in t["normative_documents"]],
        [("第二十条第（五）项", 1, 4)],
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政许可", 1, 1), (str(t["licensing"]), 1, 3)],
        [("第二十条第（六）项", 1, 4)],
        [("信息内容", 1, 1), ("本年处理决定数量", 1, 3)],
        [("行政处罚", 1, 1), (str(t["penalty"]), 1, 3)],
        [("行政强制", 1, 1), (str(t["coercion"]), 1, 3)],
        [("第二十条第（八）项", 1, 4)],
        [("信息内容", 1, 1), ("本年收费金额（单位：万元）", 1, 3)],
        [("行政事业性收费", 1, 1), (t["fees"], 1, 3)],
    ]
    return 4, rows


CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def layout_t3(r):
    vals = r["t3"]
    rows = [
        [(CORNER, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]
    group_len = {}
    for _, g, _ in T3_ROWS:
        if g:
            group_len[g] = group_len.get(g, 0) + 1
    seen = set()
    for i, (key, group, label) in enumerate(T3_ROWS):
        nums = [(str(v), 1, 1) for v in vals[key]]
        if key in ("new", "carried_over", "carried_forward"):
            rows.append([(label, 1, 3)] + nums)
        elif key == "granted":
            rows.append([("三、本年度办理结果", 22, 1), (label, 1, 2)] + nums)
        elif group is None:
            rows.append([(label, 1, 2)] + nums)
        elif group not in seen:
            seen.add(group)
            rows.append([(group, group_len[group], 1), (label, 1, 1)] + nums)
        else:
            rows.append([(label, 1, 1)] + nums)
    return 10, rows


def layout_t4(r):
    v = r["t4"]
    rows = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [(lab, 2, 1) for lab in T4_LABELS] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(lab, 1, 1) for lab in T4_LABELS * 2],
        [(str(x), 1, 1) for g in T4_GROUPS for x in v[g]],
    ]
    return 15, rows


def place(ncols, rows):
    """Resolves (text, rowspan, colspan) rows to origin positions:
    [(row, col, rowspan, colspan, text)] and checks every position is covered once."""
    taken = set()
    out = []
    for ri, row in enumerate(rows):
        col = 0
        for text, rs, cs in row:
            while (ri, col) in taken:
                col += 1
            out.append((ri, col, rs, cs, text))
            for rr in range(ri, ri + rs):
                for cc in range(col, col + cs):
                    assert (rr, cc) not in taken
                    taken.add((rr, cc))
            col += cs
    assert len(taken) == ncols * len(rows), (len(taken), ncols, len(rows))
    return out


# ---------------------------------------------------------------------------
# python-docx producer
# ---------------------------------------------------------------------------


def set_cell_text(cell, text):
    cell.text = ""
    p = cell.paragraphs[0]
    p.add_run(text)
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def add_table(doc, ncols, rows):
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for ri, ci, rs, cs, text in place(ncols, rows):
        cell = table.cell(ri, ci)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(ri + rs - 1, ci + cs - 1))
        set_cell_text(cell, text)
    return table


def add_runs(doc, pieces, style=None):
    """A paragraph whose text is split over several runs (as Word does)."""
    p = doc.add_paragraph(style=style)
    for i, piece in enumerate(pieces):
        run = p.add_run(piece)
        if i % 2 == 1:
            run.bold = True
    return p


def split_runs(text, n=3):
    step = max(1, len(text) // n)
    return [text[i:i + step] for i in range(0, len(text), step)]


def build_python_docx(r, numbered=False):
    """The report in python-docx. With numbered=True the section headings get
    their "一、" from w:numPr numbering (not in the text) and the overview
    sub-headings "（一）" from a numbered paragraph style."""
    doc = docx.Document()
    h = doc.add_paragraph()
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h.add_run(f"{r['agency']}").bold = True
    h.add_run(f"{r['year']}年").bold = True
    h.add_run("政府信息公开工作年度报告").bold = True
    add_runs(doc, split_runs(intro(r)))
    if numbered:
        num_sec, sub_style = install_numbering(doc)
    ov = overview_values(r)
    for si, (label, heading) in enumerate(SECTIONS):
        if numbered:
            p = doc.add_paragraph(heading)
            set_numpr(p, num_sec, 0)
        else:
            add_runs(doc, [label, heading])
        if si == 0:
            add_runs(doc, split_runs(f"{r['year']}年，{r['agency']}认真贯彻落实政府信息公开条例，扎实推进政务公开各项工作。"))
            for sl, st, body in OVERVIEW_SUBS:
                if numbered:
                    doc.add_paragraph(st, style=sub_style)
                else:
                    add_runs(doc, [sl, st])
                add_runs(doc, split_runs(body.format(**ov)))
        elif si == 1:
            add_table(doc, *layout_t2(r))
        elif si == 2:
            add_table(doc, *layout_t3(r))
        elif si == 3:
            add_table(doc, *layout_t4(r))
        elif si == 4:
            add_runs(doc, split_runs("存在的主要问题：一是公开内容的全面性有待提高；二是政策解读形式较为单一。"))
            add_runs(doc, split_runs("改进措施：加强业务培训，丰富图表、音视频等解读形式，提升公开质量。"))
        else:
            add_runs(doc, split_runs(f"本年度未收取信息处理费。{r['agency']}政务公开工作要点落实情况已在门户网站公开。"))
    return doc


def install_numbering(doc):
    """Adds a chineseCounting list (level 0 "%1、", level 1 "（%2）") and a
    paragraph style "OverviewSub" tied to level 1. Returns (numId, style name)."""
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    mlt = OxmlElement("w:multiLevelType")
    mlt.set(qn("w:val"), "multilevel")
    abstract.append(mlt)
    for ilvl, text in [(0, "%1、"), (1, "（%2）")]:
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, val in [("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", text),
                         ("w:lvlJc", "left")]:
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        if ilvl == 1:
            ps = OxmlElement("w:pStyle")
            ps.set(qn("w:val"), "OverviewSub")
            lvl.insert(2, ps)
        suff = OxmlElement("w:suff")
        suff.set(qn("w:val"), "nothing")
        lvl.append(suff)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    an = OxmlElement("w:abstractNumId")
    an.set(qn("w:val"), "90")
    num.append(an)
    numbering.append(num)

    from docx.enum.style import WD_STYLE_TYPE
    style = doc.styles.add_style("OverviewSub", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    # style_id is derived from the name
    ppr = style.element.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "1")
    numid = OxmlElement("w:numId")
    numid.set(qn("w:val"), "90")
    numpr.append(ilvl)
    numpr.append(numid)
    ppr.insert(0, numpr)
    return 90, "OverviewSub"


def set_numpr(paragraph, num_id, ilvl):
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    a = OxmlElement("w:ilvl")
    a.set(qn("w:val"), str(ilvl))
    b = OxmlElement("w:numId")
    b.set(qn("w:val"), str(num_id))
    numpr.append(a)
    numpr.append(b)
    ppr.append(numpr)


def tracked(kind, text, rid):
    """<w:ins>/<w:del> wrapping one run."""
    wrapper = OxmlElement(f"w:{kind}")
    wrapper.set(qn("w:id"), str(rid))
    wrapper.set(qn("w:author"), "审核人")
    wrapper.set(qn("w:date"), "2024-01-15T09:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if kind == "del" else "w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    wrapper.append(run)
    return wrapper


def add_tracked_changes(doc, r):
    """Table 三, row new, column 自然人: a deleted old number and an inserted
    new one; a deleted clause inside a paragraph; a wholly deleted paragraph
    (runs and paragraph mark)."""
    t3 = doc.tables[1]
    cell = t3.cell(3, 3)  # row "一、本年新收", first value column
    new_val = cell.text
    p = cell.paragraphs[0]._p
    for run in list(p.findall(qn("w:r"))):
        p.remove(run)
    p.append(tracked("del", str(int(new_val) - 2), 101))
    p.append(tracked("ins", new_val, 102))

    # Paragraph with a deleted clause and an inserted one.
    body_paras = doc.paragraphs
    target = next(par for par in body_paras if par.text.startswith("存在的主要问题"))
    target._p.append(tracked("del", "三是信息公开工作经费保障不足。", 103))
    target._p.append(tracked("ins", "三是基层公开队伍力量薄弱。", 104))

    # A wholly deleted paragraph (text and mark) before 六、.
    anchor = next(par for par in body_paras if par.text.startswith("改进措施"))
    new_p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    rpr = OxmlElement("w:rPr")
    d = OxmlElement("w:del")
    d.set(qn("w:id"), "105")
    d.set(qn("w:author"), "审核人")
    d.set(qn("w:date"), "2024-01-15T09:00:00Z")
    rpr.append(d)
    ppr.append(rpr)
    new_p.append(ppr)
    new_p.append(tracked("del", "（此段已删除：本年度公开工作存在重大失误。）", 106))
    anchor._p.addnext(new_p)


def save(doc, name):
    path = os.path.join(HERE, name)
    doc.save(path)
    print("wrote", name, os.path.getsize(path), "bytes")
    return path


# ---------------------------------------------------------------------------
# LibreOffice producer (HTML -> DOCX)
# ---------------------------------------------------------------------------


def html_table(ncols, rows):
    out = ['<table border="1" cellspacing="0" cellpadding="4">']
    for row in rows:
        out.append("<tr>")
        for text, rs, cs in row:
            attrs = ""
            if rs > 1:
                attrs += f' rowspan="{rs}"'
            if cs > 1:
                attrs += f' colspan="{cs}"'
            out.append(f"<td{attrs}>{text}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def build_html(r):
    ov = overview_values(r)
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + title(r) + "</title></head><body>",
        f'<p align="center"><b>{title(r)}</b></p>',
        f"<p>{intro(r)}</p>",
    ]
    for si, (label, heading) in enumerate(SECTIONS):
        parts.append(f"<p><b>{label}{heading}</b></p>")
        if si == 0:
            parts.append(f"<p>{r['year']}年，{r['agency']}认真贯彻落实政府信息公开条例，扎实推进政务公开各项工作。</p>")
            for sl, st, body in OVERVIEW_SUBS:
                parts.append(f"<p>{sl}{st}</p><p>{body.format(**ov)}</p>")
        elif si == 1:
            parts.append(html_table(*layout_t2(r)))
        elif si == 2:
            parts.append(html_table(*layout_t3(r)))
        elif si == 3:
            parts.append(html_table(*layout_t4(r)))
        elif si == 4:
            parts.append("<p>存在的主要问题：一是公开内容的全面性有待提高；二是政策解读形式较为单一。</p>")
        else:
            parts.append("<p>本年度未收取信息处理费。</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def libreoffice_convert(src_path, target_ext, filter_name, out_name, infilter=None):
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: skipping", out_name)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", f"{target_ext}:{filter_name}", "--outdir", tmp, src_path]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
        produced = os.path.join(tmp, os.path.splitext(os.path.basename(src_path))[0] + "." + target_ext)
        dest = os.path.join(HERE, out_name)
        shutil.copy(produced, dest)
    print("wrote", out_name, os.path.getsize(dest), "bytes")
    return dest


def fodt_table(name, ncols, rows):
    origins = {(ri, ci): (rs, cs, text) for ri, ci, rs, cs, text in place(ncols, rows)}
    out = [f'<table:table table:name="{name}" table:style-name="Tbl">',
           f'<table:table-column table:number-columns-repeated="{ncols}"/>']
    for ri in range(len(rows)):
        out.append("<table:table-row>")
        for ci in range(ncols):
            if (ri, ci) in origins:
                rs, cs, text = origins[(ri, ci)]
                attrs = ""
                if cs > 1:
                    attrs += f' table:number-columns-spanned="{cs}"'
                if rs > 1:
                    attrs += f' table:number-rows-spanned="{rs}"'
                out.append(f'<table:table-cell table:style-name="Cell" office:value-type="string"{attrs}>'
                           f"<text:p>{text}</text:p></table:table-cell>")
            else:
                out.append("<table:covered-table-cell/>")
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "".join(out)


def build_fodt(r):
    """The report as flat ODT with the section headings in an automatic
    list (num-format 一, 二, 三, suffix 、): LibreOffice exports w:numPr."""
    ov = overview_values(r)

    def heading(text):
        return ('<text:list text:style-name="Sections" text:continue-numbering="true">'
                f'<text:list-item><text:p text:style-name="H">{text}</text:p></text:list-item></text:list>')

    body = [f'<text:p text:style-name="Title">{title(r)}</text:p>', f"<text:p>{intro(r)}</text:p>"]
    for si, (_, head) in enumerate(SECTIONS):
        body.append(heading(head))
        if si == 0:
            body.append(f"<text:p>{r['year']}年，{r['agency']}认真贯彻落实政府信息公开条例，扎实推进政务公开各项工作。</text:p>")
            for sl, st, text in OVERVIEW_SUBS:
                body.append(f"<text:p>{sl}{st}</text:p><text:p>{text.format(**ov)}</text:p>")
        elif si == 1:
            body.append(fodt_table("T2", *layout_t2(r)))
        elif si == 2:
            body.append(fodt_table("T3", *layout_t3(r)))
        elif si == 3:
            body.append(fodt_table("T4", *layout_t4(r)))
        elif si == 4:
            body.append("<text:p>存在的主要问题：一是公开内容的全面性有待提高；二是政策解读形式较为单一。</text:p>")
        else:
            body.append("<text:p>本年度未收取信息处理费。</text:p>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>
<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.05cm"/></style:style>
<style:style style:name="H" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold"/></style:style>
<text:list-style style:name="Sections">
<text:list-level-style-number text:level="1" style:num-suffix="、" style:num-format="一, 二, 三, ..."/>
</text:list-style>
</office:automatic-styles>
<office:body><office:text>
{"".join(body)}
</office:text></office:body></office:document>
"""


# ---------------------------------------------------------------------------
# Corruptions
# ---------------------------------------------------------------------------


def rezip(src, dest, replace):
    """Copies a zip, replacing some entries' bytes (deflated)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = replace.get(item.filename, zin.read(item.filename))
            zout.writestr(item.filename, data)


def read_entry(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def make_truncated(src):
    xml = read_entry(src, "word/document.xml")
    # Cut inside a start tag about 60% of the way through.
    cut = xml.index(b"<w:tc>", len(xml) * 6 // 10) + 4
    dest = os.path.join(HERE, "corrupt-truncated.docx")
    rezip(src, dest, {"word/document.xml": xml[:cut]})
    print("wrote corrupt-truncated.docx")


def make_badcrc(src):
    dest = os.path.join(HERE, "corrupt-badcrc.docx")
    shutil.copy(src, dest)
    data = bytearray(open(dest, "rb").read())
    with zipfile.ZipFile(dest) as z:
        info = z.getinfo("word/document.xml")
    crc = info.CRC.to_bytes(4, "little")
    bad = (info.CRC ^ 0xDEADBEEF).to_bytes(4, "little")
    # The CRC sits in the local header (offset 14) and in the central directory.
    n = data.count(crc)
    assert n == 2, n
    data = bytes(data).replace(crc, bad)
    open(dest, "wb").write(data)
    print("wrote corrupt-badcrc.docx")


def make_huge_gridspan(src):
    xml = read_entry(src, "word/document.xml").decode("utf-8")
    # Give the first multi-column cell of table 三 an absurd span.
    marker = '<w:gridSpan w:val="7"/>'
    assert marker in xml
    xml = xml.replace(marker, '<w:gridSpan w:val="1000000"/>', 1)
    dest = os.path.join(HERE, "corrupt-huge-gridspan.docx")
    rezip(src, dest, {"word/document.xml": xml.encode("utf-8")})
    print("wrote corrupt-huge-gridspan.docx")


def make_zip_bomb(src):
    """document.xml of ~300 MB (mostly spaces) deflates to ~300 KB."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    dest = os.path.join(HERE, "corrupt-zipbomb.docx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for item in zin.infolist():
            if item.filename == "word/document.xml":
                with zout.open("word/document.xml", "w", force_zip64=True) as f:
                    f.write(head)
                    chunk = b" " * (1 << 20)
                    for _ in range(300):
                        f.write(chunk)
                    f.write(tail)
            else:
                zout.writestr(item.filename, zin.read(item.filename))
    print("wrote corrupt-zipbomb.docx", os.path.getsize(dest), "bytes")


def make_lying_zip_bomb(src):
    """40 MB of spaces whose ZIP headers claim 4 KiB: only a cap on the bytes
    actually inflated catches it (tests run it with a small limit)."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    dest = os.path.join(HERE, "corrupt-zipbomb-lying.docx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = head + b" " * (40 << 20) + tail
            zout.writestr(item.filename, data)
    with zipfile.ZipFile(dest) as z:
        info = z.getinfo("word/document.xml")
    data = bytearray(open(dest, "rb").read())
    real = info.file_size.to_bytes(4, "little")
    fake = (4096).to_bytes(4, "little")
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04" and data[local + 22:local + 26] == real
    data[local + 22:local + 26] = fake
    name = b"word/document.xml"
    cd = 0
    while True:
        cd = data.index(b"PK\x01\x02", cd)
        n = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + n] == name:
            break
        cd += 4
    assert data[cd + 24:cd + 28] == real
    data[cd + 24:cd + 28] = fake
    open(dest, "wb").write(bytes(data))
    print("wrote corrupt-zipbomb-lying.docx", os.path.getsize(dest), "bytes")


def make_encrypted(src):
    """An Office-encrypted DOCX (an OLE container with EncryptedPackage)."""
    if not shutil.which("msoffcrypto-tool"):
        print("msoffcrypto-tool not found: skipping encrypted.docx")
        return
    dest = os.path.join(HERE, "encrypted.docx")
    subprocess.run(["msoffcrypto-tool", "-e", "-p", "nianbao", src, dest], check=True)
    print("wrote encrypted.docx", os.path.getsize(dest), "bytes")


# ---------------------------------------------------------------------------


def main():
    os.chdir(HERE)
    if "--libreoffice-only" in sys.argv:
        return libreoffice_outputs()
    r = REPORTS["hongqi"]
    official = save(build_python_docx(r), "official-layout-python-docx.docx")

    d = build_python_docx(REPORTS["donghu"])
    add_tracked_changes(d, REPORTS["donghu"])
    save(d, "tracked-changes.docx")

    save(build_python_docx(REPORTS["qingshan"], numbered=True), "auto-numbered-headings.docx")

    bad = copy.deepcopy(REPORTS["liuhe"])
    bad["t3"]["partly_granted"][6] += 1   # row-sum error: total 16 written as 17
    bad["t4"]["review"][4] += 1          # group-sum error: review total 5 written as 6
    save(build_python_docx(bad), "inconsistent.docx")

    make_truncated(official)
    make_badcrc(official)
    make_huge_gridspan(official)
    make_zip_bomb(official)
    make_lying_zip_bomb(official)
    make_encrypted(official)

    libreoffice_outputs()
    with open(os.path.join(HERE, "html-named.docx"), "w", encoding="utf-8") as f:
        f.write(build_html(REPORTS["hongqi"]).replace("<body>", "<body><!-- saved from a web page -->"))
    print("wrote html-named.docx")


def libreoffice_outputs():
    """LibreOffice: the official layout from HTML, auto-numbered headings from
    flat ODT, and a legacy .doc renamed .docx."""
    with tempfile.TemporaryDirectory() as tmp:
        html_path = os.path.join(tmp, "official-layout-libreoffice.html")
        with open(html_path, "w", encoding="utf-8") as f:
            f.write(build_html(REPORTS["hongqi"]))
        libreoffice_convert(html_path, "docx", "MS Word 2007 XML", "official-layout-libreoffice.docx",
                            infilter="HTML (StarWriter)")
        doc_path = libreoffice_convert(html_path, "doc", "MS Word 97", "legacy-word97.doc",
                                       infilter="HTML (StarWriter)")
        fodt_path = os.path.join(tmp, "auto-numbered-libreoffice.fodt")
        with open(fodt_path, "w", encoding="utf-8") as f:
            f.write(build_fodt(REPORTS["liuhe"]))
        libreoffice_convert(fodt_path, "docx", "MS Word 2007 XML", "auto-numbered-headings-libreoffice.docx")
        if doc_path:
            # A legacy .doc that was renamed .docx, as archives are full of.
            shutil.move(doc_path, os.path.join(HERE, "legacy-doc-named.docx"))
            print("renamed legacy-word97.doc -> legacy-doc-named.docx")


if __name__ == "__main__":
    sys.exit(main())
