#!/usr/bin/env bash
# Reproduces the fuzz runs of issue 7: coverage-guided fuzzing (cargo-fuzz,
# libFuzzer + AddressSanitizer, debug assertions on) of each reader and of the
# whole pipeline, seeded from samples/ and tests/integration/fuzz_regressions/.
#
#   fuzz/run.sh                      # default targets, 600 s each, 2 at a time
#   fuzz/run.sh read_docx            # one target
#   DURATION=60 JOBS=1 fuzz/run.sh read_text read_html
#
# Needs `cargo install cargo-fuzz`. Uses a nightly toolchain when rustup has
# one, else the stable toolchain with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs
# -Zsanitizer and friends). Each run stops at its first crash, hang
# (-timeout, seconds per input) or blow-up (-rss_limit_mb, or a single
# allocation over -malloc_limit_mb, which defaults to the same); the input is
# written to fuzz/artifacts/<target>/ and named in fuzz/logs/<target>.log.
# Reproduce one with `cargo +nightly fuzz run <target> <file>`; commit it
# under tests/integration/fuzz_regressions/ (tests/integration/fuzz_regressions.rs runs every file
# there through convert_bytes).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-600}   # seconds per target
JOBS=${JOBS:-2}             # targets fuzzed at once
RSS_MB=${RSS_MB:-2048}
TIMEOUT=${TIMEOUT:-10}
# Bytes per input: room for whole report pages and for the size-driven
# blow-ups (padded grids, nesting) a fuzzer only finds in large inputs; the
# HTML reader is slow per byte under instrumentation, so its inputs are kept
# smaller to get more of them. -len_control=0 lets inputs reach that size
# from the start instead of growing slowly from the seeds' sizes.
max_len() {
    case "$1" in
        read_html) echo "${MAX_LEN:-65536}" ;;
        *) echo "${MAX_LEN:-262144}" ;;
    esac
}

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=(read_text read_html convert_bytes read_docx read_spreadsheet read_doc read_docx_parts read_xlsx_parts read_pdf)
fi

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz)
else
    fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz)
fi

seeds() {
    local pattern
    case "$1" in
        read_text) pattern='.*\.txt' ;;
        read_html) pattern='.*\.html?' ;;
        read_docx) pattern='.*\.docx' ;;
        read_spreadsheet) pattern='.*\.(xlsx|xls|ods)' ;;
        read_doc) pattern='.*\.(doc|wps)' ;;
        read_pdf) pattern='.*\.pdf' ;;
        read_docx_parts | read_xlsx_parts) return ;; # see part_seeds
        *) pattern='.*\.(txt|html?|docx|doc|wps|xlsx|xls|ods)' ;;
    esac
    find samples -type f -regextype posix-extended -iregex "$pattern"
    if [ -d tests/integration/fuzz_regressions ]; then
        find tests/integration/fuzz_regressions -type f ! -name '*.md'
    fi
}

# The *_parts targets take XML parts joined by a separator (see their
# sources); their seeds are the parts of the sample .docx/.xlsx files.
part_seeds() {
    python3 - "$1" "fuzz/corpus/$1" <<'PY'
import glob, os, sys, zipfile
target, out = sys.argv[1], sys.argv[2]
sep = b"\n--NIANBAO-PART--\n"
def parts(z, names):
    got = [z.read(n) if n in z.namelist() else b"" for n in names]
    while got and not got[-1]:
        got.pop()
    return sep.join(got)
pattern, n = ("samples/**/*.docx", 0) if target == "read_docx_parts" else ("samples/**/*.xlsx", 0)
for path in glob.glob(pattern, recursive=True):
    try:
        z = zipfile.ZipFile(path)
        if target == "read_docx_parts":
            seeds = [parts(z, ["word/document.xml", "word/numbering.xml", "word/styles.xml"])]
        else:
            sheets = [m for m in z.namelist() if m.startswith("xl/worksheets/sheet")]
            seeds = [parts(z, [s, "xl/sharedStrings.xml"]) for s in sheets]
    except Exception:
        continue
    for i, seed in enumerate(seeds):
        if seed:
            open(os.path.join(out, f"seed-{os.path.basename(path)}-{i}"), "wb").write(seed)
PY
}

"${fuzz[@]}" build -a -O
mkdir -p fuzz/logs

run_one() {
    local t=$1
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    seeds "$t" | while read -r f; do cp -n "$f" "fuzz/corpus/$t/seed-$(basename "$f")" 2>/dev/null || true; done
    case "$t" in *_parts) part_seeds "$t" ;; esac
    local start=$SECONDS status=0
    "${fuzz[@]}" run -a -O "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$DURATION" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" \
        -max_len="$(max_len "$t")" -len_control=0 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" \
        >"fuzz/logs/$t.log" 2>&1 || status=$?
    local took=$((SECONDS - start))
    if [ "$status" -eq 0 ]; then
        echo "$t: clean for $took s ($(grep -o 'stat::number_of_executed_units: [0-9]*' "fuzz/logs/$t.log" | grep -o '[0-9]*$') inputs)"
    else
        echo "$t: FOUND something after $took s: $(grep -E '^(==[0-9]+==ERROR|ALARM|SUMMARY|Test unit written)' "fuzz/logs/$t.log" | tr '\n' ' ')"
    fi
    local tolerated
    tolerated=$(grep '^TOLERATED' "fuzz/logs/$t.log" | sed 's/.*panicked at //' | sort | uniq -c | sort -rn || true)
    if [ -n "$tolerated" ]; then
        echo "$t: calamine panics that the spreadsheet reader caught (count, place):"
        echo "$tolerated" | sed 's/^/    /'
    fi
}

running=0
for t in "${targets[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait
