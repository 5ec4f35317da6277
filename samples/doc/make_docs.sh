#!/usr/bin/env bash
# Writes the Word 97-2003 fixtures in samples/doc/ with a second producer:
# LibreOffice converts the DOCX samples to .doc ("MS Word 97" filter), so
# tests/integration/doc_reader.rs can compare each .doc cell by cell with
# its DOCX source read by the DOCX reader. Needs LibreOffice and python3-uno
# (Debian: libreoffice-writer python3-uno); nianbao itself never does.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
samples="$(dirname "$here")"
profile="file:///tmp/nianbao-make-docs-profile"
cd "$here"

soffice -env:UserInstallation="$profile" --headless --convert-to doc --outdir "$here" \
  "$samples"/docx/official-layout-libreoffice.docx \
  "$samples"/docx/official-layout-python-docx.docx \
  "$samples"/docx/inconsistent.docx \
  "$samples"/docx/auto-numbered-headings.docx \
  "$samples"/docx/auto-numbered-headings-libreoffice.docx \
  "$samples"/years/2019-format-town-2019.docx

# Password-protected (RC4 CryptoAPI, FIB fEncrypted set): the convert-to
# command line cannot set a password, the UNO API can.
/usr/bin/python3 "$here"/encrypt_doc.py "$samples"/docx/inconsistent.docx "$here"/encrypted.doc secret

# A download cut short: the first 24 KiB of a 54 KiB file.
head -c 24576 official-layout-libreoffice.doc > corrupt-truncated.doc

# .wps files are detected by content: a DOCX renamed .wps is a DOCX, and a
# Word binary renamed .wps (what WPS Writer's .wps files are) is a .doc.
cp "$samples"/docx/inconsistent.docx ooxml-named.wps
cp 2019-format-town-2019.doc word-binary-named.wps
ls -l "$here"
