"""Writes the openpyxl samples of samples/xlsx/ (run once; files are committed).

    pip install openpyxl && python3 samples/xlsx/make_openpyxl.py samples/xlsx

- bailu-town-2022-onesheet.xlsx: all three tables on one sheet, separated by
  blank rows and section headings; an empty first column; a title typed in B1
  (not merged); numbers stored as text, some with full-width digits, some
  zeros left blank or padded with U+3000; a notes row right under table 三;
  a #REF! error cell in table 四; a date cell (填报日期) at the bottom.
- lanshan-gov-2023-formulas-openpyxl.xlsx: totals as SUM formulas and a
  "+" formula; openpyxl writes no cached values at all.
"""
import datetime
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

APPLICANTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
NOTE3 = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ROWS3 = [
    ["一、本年新收政府信息公开申请数量", "", ""],
    ["二、上年结转政府信息公开申请数量", "", ""],
    ["三、本年度办理结果", "（一）予以公开", ""],
    ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""],
    ["", "（三）不予公开", "1.属于国家秘密"],
    ["", "", "2.其他法律行政法规禁止公开"],
    ["", "", "3.危及“三安全一稳定”"],
    ["", "", "4.保护第三方合法权益"],
    ["", "", "5.属于三类内部事务信息"],
    ["", "", "6.属于四类过程性信息"],
    ["", "", "7.属于行政执法案卷"],
    ["", "", "8.属于行政查询事项"],
    ["", "（四）无法提供", "1.本机关不掌握相关政府信息"],
    ["", "", "2.没有现成信息需要另行制作"],
    ["", "", "3.补正后申请内容仍不明确"],
    ["", "（五）不予处理", "1.信访举报投诉类申请"],
    ["", "", "2.重复申请"],
    ["", "", "3.要求提供公开出版物"],
    ["", "", "4.无正当理由大量反复申请"],
    ["", "", "5.要求行政机关确认或重新出具已获取信息"],
    ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    ["", "", "3.其他"],
    ["", "（七）总计", ""],
    ["四、结转下年度继续办理", "", ""],
]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def put(ws, r, c, value):
    """0-based (r, c) like the Rust generator."""
    ws.cell(row=r + 1, column=c + 1, value=value)


def merge(ws, r0, c0, r1, c1):
    ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)


def a1(r, c):
    return f"{get_column_letter(c + 1)}{r + 1}"


def table2(ws, r, c, v, fmt):
    blocks = [
        ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", v["regulations"]), ("行政规范性文件", v["normative"])]),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("行政许可", [v["licensing"]])]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
         [("行政处罚", [v["penalty"]]), ("行政强制", [v["coercion"]])]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", [v["fees"]])]),
    ]
    row = r
    for caption, header, rows in blocks:
        put(ws, row, c, caption)
        merge(ws, row, c, row, c + 3)
        row += 1
        for i, h in enumerate(header):
            put(ws, row, c + i, h)
        if len(header) == 2:
            merge(ws, row, c + 1, row, c + 3)
        row += 1
        for label, values in rows:
            put(ws, row, c, label)
            for i, x in enumerate(values):
                put(ws, row, c + 1 + i, fmt(x))
            if len(values) == 1:
                merge(ws, row, c + 1, row, c + 3)
            row += 1
    return row


def table3_header(ws, r, c):
    put(ws, r, c, NOTE3)
    merge(ws, r, c, r + 2, c + 2)
    put(ws, r, c + 3, "申请人情况")
    merge(ws, r, c + 3, r, c + 9)
    put(ws, r + 1, c + 3, "自然人")
    merge(ws, r + 1, c + 3, r + 2, c + 3)
    put(ws, r + 1, c + 4, "法人或其他组织")
    merge(ws, r + 1, c + 4, r + 1, c + 8)
    put(ws, r + 1, c + 9, "总计")
    merge(ws, r + 1, c + 9, r + 2, c + 9)
    for i, a in enumerate(APPLICANTS):
        put(ws, r + 2, c + 4 + i, a)
    first = r + 3
    for i, labels in enumerate(ROWS3):
        for j, text in enumerate(labels):
            if text:
                put(ws, first + i, c + j, text)
    merge(ws, first, c, first, c + 2)
    merge(ws, first + 1, c, first + 1, c + 2)
    merge(ws, first + 2, c, first + 23, c)
    merge(ws, first + 2, c + 1, first + 2, c + 2)
    merge(ws, first + 3, c + 1, first + 3, c + 2)
    merge(ws, first + 4, c + 1, first + 11, c + 1)
    merge(ws, first + 12, c + 1, first + 14, c + 1)
    merge(ws, first + 15, c + 1, first + 19, c + 1)
    merge(ws, first + 20, c + 1, first + 22, c + 1)
    merge(ws, first + 23, c + 1, first + 23, c + 2)
    merge(ws, first + 24, c, first + 24, c + 2)
    return first


def table4_header(ws, r, c):
    put(ws, r, c, "行政复议")
    merge(ws, r, c, r, c + 4)
    put(ws, r, c + 5, "行政诉讼")
    merge(ws, r, c + 5, r, c + 14)
    for i, t in enumerate(RESULTS):
        put(ws, r + 1, c + i, t)
        merge(ws, r + 1, c + i, r + 2, c + i)
    put(ws, r + 1, c + 5, "未经复议直接起诉")
    merge(ws, r + 1, c + 5, r + 1, c + 9)
    put(ws, r + 1, c + 10, "复议后起诉")
    merge(ws, r + 1, c + 10, r + 1, c + 14)
    for g in range(2):
        for i, t in enumerate(RESULTS):
            put(ws, r + 2, c + 5 + g * 5 + i, t)
    return r + 3


def requests_values(results, carried_over, carried_forward):
    total = [sum(row[i] for row in results) for i in range(6)]
    new = [total[i] + carried_forward[i] - carried_over[i] for i in range(6)]
    return [new, carried_over] + results + [total, carried_forward]


def bailu_2022(path):
    z = [0] * 6
    results = [[5, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]] + [z] * 5 + [[1, 0, 0, 0, 0, 0]] + [z] * 2
    results += [[2, 1, 0, 0, 0, 0], z, z] + [[1, 0, 0, 0, 0, 0]] + [z] * 4 + [z] * 3
    assert len(results) == 21
    rows = requests_values(results, [0] * 6, [1, 0, 0, 0, 0, 0])

    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    c = 1  # column A stays empty
    put(ws, 0, c, "白鹭镇2022年政府信息公开工作年度报告")
    put(ws, 2, c, "二、主动公开政府信息情况")
    v2 = dict(regulations=[0, 0, 0], normative=[1, 0, 12], licensing=46, penalty=3, coercion=0, fees=0)
    # Numbers as text; the normative documents in force in full-width digits.
    end = table2(ws, 3, c, v2, lambda x: str(x))
    put(ws, 6, c + 3, "１２")  # 现行有效件数 of 行政规范性文件 (E7)
    put(ws, end + 1, c, "三、收到和处理政府信息公开申请情况")
    first = table3_header(ws, end + 2, c)
    for i, vals in enumerate(rows):
        total = sum(vals)
        for j, x in enumerate(vals + [total]):
            if x == 0 and j in (2, 3):
                continue  # zeros left blank (科研机构, 社会公益组织)
            text = str(x)
            if i == 0:
                text = text.translate(FULLWIDTH)  # 一、本年新收 in full-width digits
            put(ws, first + i, c + 3 + j, text)
    put(ws, first + 6, c + 4, "\u3000")  # a zero padded with U+3000
    notes = first + 25
    put(ws, notes, c, "注：本表“总计”列为各类申请人数量之和，空白表示0。")
    put(ws, notes + 2, c, "四、政府信息公开行政复议、行政诉讼情况")
    vrow = table4_header(ws, notes + 3, c)
    review = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    for i, x in enumerate(review):
        put(ws, vrow, c + i, str(x))
    put(ws, vrow, c + 14, "#REF!")  # a broken reference: an error cell
    put(ws, vrow + 2, c, "填报日期")
    put(ws, vrow + 2, c + 1, datetime.date(2023, 1, 5))
    ws.cell(row=vrow + 3, column=c + 2).number_format = "yyyy-mm-dd"
    wb.save(path)
    return dict(first3=first, notes=notes, vrow=vrow)


def lanshan_formulas(path):
    z = [0] * 6
    results = [
        [21, 3, 0, 1, 0, 1], [4, 1, 0, 0, 0, 0], z, [1, 0, 0, 0, 0, 0], z, [2, 0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0, 0], [3, 1, 0, 0, 0, 0], z, [2, 0, 0, 0, 0, 0], [9, 1, 0, 0, 1, 0],
        [2, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0], z, z,
        [1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], z, z,
    ]
    rows = requests_values(results, [2, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0])
    wb = Workbook()
    ws = wb.active
    ws.title = "表三"
    put(ws, 0, 0, "蓝山县人民政府办公室2023年政府信息公开工作年度报告")
    first = table3_header(ws, 2, 0)
    for i, vals in enumerate(rows):
        r = first + i
        for j, x in enumerate(vals):
            if i == 23:
                col = 3 + j
                put(ws, r, col, f"=SUM({a1(first + 2, col)}:{a1(first + 22, col)})")
            else:
                put(ws, r, 3 + j, x)
        put(ws, r, 9, f"=SUM({a1(r, 3)}:{a1(r, 8)})")
    ws2 = wb.create_sheet("表四")
    vrow = table4_header(ws2, 0, 0)
    review = [1, 1, 0, 0, None, 0, 1, 0, 1, None, 1, 0, 0, 0, None]
    for i, x in enumerate(review):
        if x is None:
            parts = "+".join(a1(vrow, i - k) for k in range(4, 0, -1))
            put(ws2, vrow, i, "=" + parts)
        else:
            put(ws2, vrow, i, x)
    wb.save(path)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "samples/xlsx")
    out.mkdir(parents=True, exist_ok=True)
    info = bailu_2022(out / "bailu-town-2022-onesheet.xlsx")
    lanshan_formulas(out / "lanshan-gov-2023-formulas-openpyxl.xlsx")
    print("wrote", out, info)
