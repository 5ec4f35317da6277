#!/usr/bin/env python3
"""Builds the PDF fixtures in this folder from the repository's DOCX samples.

Producer: LibreOffice headless (`soffice --convert-to pdf`, writer_pdf_Export),
plus python-docx (pip install python-docx) to derive two DOCX variants first,
and poppler's pdftoppm for the scanned-like file. The PDFs are committed; CI
only reads them. Re-run from anywhere:

    python3 samples/pdf/make_pdfs.py

Oracle: every PDF made from a DOCX must read with the same cells as that DOCX
(tests/integration/pdf_reader.rs converts both). The variants:

- split-header-footer: official-layout-python-docx.docx with table 三's three
  header rows marked "repeat as header row" (w:tblHeader), blank paragraphs
  before it so it runs over a page break, a running page header
  ("红旗街道政务公开") and a footer "— N —" (a PAGE field).
- borderless: the same report with table 二's borders removed (stream mode)
  and a footer "第N页".
- scanned: page 1 of official-layout-python-docx.pdf rendered by pdftoppm
  to a grey bitmap at 50 dpi and wrapped here in a one-page PDF as a
  FlateDecode image (what a scanner writes): an image, no text layer.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zlib

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(HERE)
SOURCES = [
    "docx/official-layout-python-docx.docx",
    "docx/official-layout-libreoffice.docx",
    "docx/inconsistent.docx",
    "docx/auto-numbered-headings.docx",
    "docx/auto-numbered-headings-libreoffice.docx",
    "years/2019-format-town-2019.docx",
]


def soffice_pdf(src, out_dir):
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", out_dir, src],
        check=True, stdout=subprocess.DEVNULL,
    )


def page_field(paragraph, before, after):
    """`before` PAGE `after` as a simple field in a footer paragraph."""
    paragraph.add_run(before)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)
    paragraph.add_run(after)


def split_header_footer(src, dest):
    d = docx.Document(src)
    table = d.tables[1]  # table 三
    for row in table.rows[:3]:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
    # Push table 三 down so it starts low on a page.
    anchor = table._tbl
    for _ in range(12):
        p = OxmlElement("w:p")
        anchor.addprevious(p)
    section = d.sections[0]
    section.header.paragraphs[0].text = "红旗街道政务公开"
    page_field(section.footer.paragraphs[0], "— ", " —")
    d.save(dest)


def borderless(src, dest):
    d = docx.Document(src)
    table = d.tables[0]  # table 二
    tbl_pr = table._tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        tbl_pr.remove(style)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    tbl_pr.append(borders)
    page_field(d.sections[0].footer.paragraphs[0], "第", "页")
    d.save(dest)


def image_pdf(pgm_path, dest):
    """A one-page PDF showing a P5 (binary grey) bitmap, 72 dpi -> letter."""
    with open(pgm_path, "rb") as f:
        data = f.read()
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5", fields[0]
    w, h, pixels = int(fields[1]), int(fields[2]), fields[4]
    pixels = pixels[: w * h]
    img = zlib.compress(pixels, 9)
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (w, h, len(img)) + img + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    with open(dest, "wb") as f:
        f.write(out)


def scanned():
    with tempfile.TemporaryDirectory() as tmp:
        pgm = os.path.join(tmp, "scan")
        subprocess.run(
            ["pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-gray", "-singlefile",
             os.path.join(HERE, "official-layout-python-docx.pdf"), pgm],
            check=True,
        )
        image_pdf(pgm + ".pgm", os.path.join(HERE, "scanned.pdf"))


def main():
    if sys.argv[1:] == ["scanned"]:
        return scanned()
    if not shutil.which("soffice"):
        sys.exit("needs LibreOffice (soffice)")
    for rel in SOURCES:
        soffice_pdf(os.path.join(SAMPLES, rel), HERE)
    base = os.path.join(SAMPLES, SOURCES[0])
    for name, make in [("split-header-footer", split_header_footer), ("borderless", borderless)]:
        variant = os.path.join(HERE, f"{name}.docx")
        make(base, variant)
        soffice_pdf(variant, HERE)
    scanned()


if __name__ == "__main__":
    main()
