#!/usr/bin/env bash
# Whole-run measurement on reports with PDF attachments (issue 17).
#
#   benches/pdf_corpus.sh N [JOBS]
#
# The corpus generator writes no PDFs, so this one is made the way real PDF
# attachments are: the generator's DOCX reports (gen_corpus --reports, seed
# 42) printed to PDF by LibreOffice (`soffice --convert-to pdf`, needs the
# libreoffice package; a manual measurement, not part of .ci/run). Then it
# times `nianbao convert` over the PDFs with /usr/bin/time -v and prints
# wall, CPU, peak RSS and reports/s.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:?usage: benches/pdf_corpus.sh N [JOBS]}
jobs=${2:-2}
work=${PDF_CORPUS_DIR:-target/pdf-corpus}
mkdir -p "$work"
if [ ! -d "$work/pdf-$n" ]; then
    cargo build --release --quiet --example gen_corpus
    rm -rf "$work/gen-$n" "$work/docx-$n"
    # DOCX are ~30% of a generated corpus: generate enough, keep N.
    target/release/examples/gen_corpus --reports $((n * 4)) --out "$work/gen-$n" --seed 42 >/dev/null
    mkdir -p "$work/docx-$n" "$work/pdf-$n"
    find "$work/gen-$n" -name '*.docx' | sort | head -n "$n" | while read -r f; do
        rel=${f#"$work/gen-$n/"}
        cp "$f" "$work/docx-$n/${rel//\//_}"
    done
    soffice --headless --convert-to pdf --outdir "$work/pdf-$n" "$work/docx-$n"/*.docx >/dev/null 2>&1
fi
cargo build --release --quiet --bin nianbao
echo "PDFs: $(find "$work/pdf-$n" -name '*.pdf' | wc -l), $(du -sh "$work/pdf-$n" | cut -f1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work/out-$n"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KB" \
    target/release/nianbao convert "$work/pdf-$n" --out "$work/out-$n" --jobs "$jobs" --quiet || true
awk -F, 'NR > 1 { n[$3]++ } END { for (k in n) printf "%s %d\n", k, n[k] }' "$work/out-$n/files.csv"
