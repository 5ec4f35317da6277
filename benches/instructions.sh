#!/usr/bin/env bash
# The instruction-count guard: each workload of examples/instructions.rs run
# under valgrind's callgrind for 1 and for 21 rounds; the difference over
# 20 is the cost of one round without start-up and one-time work. Instruction
# counts repeat to well under 1% on a loaded shared machine, where wall-clock
# medians move by 20-50%, so a >10% rise is a real regression.
#
#   benches/instructions.sh                 compare with benches/instructions.baseline
#   benches/instructions.sh --update        rewrite the baseline
#   benches/instructions.sh [--update] W..  only workloads W.. (--update then
#                                           rewrites only their lines)
#   benches/instructions.sh --floors        the readers' floors, for the ratios
#
# Needs valgrind (apt-get install valgrind). A manual check, not part of
# .ci/run: see the README's "Benchmarks" section for why.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=benches/instructions.baseline
workloads="recognize_text_seed recognize_html_county recognize_text_seed_warm recognize_html_county_warm read_text_seed read_html_county read_html_town read_xlsx_sheets read_docx_official read_doc_official read_pdf_official"
# The readers' floors (not guarded: the code is not ours), for the ratios.
floors="floor_text_seed floor_html_county floor_html_town floor_xlsx_sheets"

update=false
if [ "${1:-}" = "--update" ]; then
    update=true
    shift
fi
if [ "${1:-}" = "--floors" ]; then
    workloads=$floors
    shift
fi
if [ $# -gt 0 ]; then
    workloads="$*"
fi

cargo build --release --quiet --example instructions
bin=target/release/examples/instructions

count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

status=0
out=""
for w in $workloads; do
    one=$(count "$w" 1)
    many=$(count "$w" 21)
    per=$(( (many - one) / 20 ))
    out+="$w $per"$'\n'
    if ! $update && [ -f "$baseline" ]; then
        base=$(awk -v w="$w" '$1 == w { print $2 }' "$baseline")
        if [ -n "$base" ]; then
            pct=$(awk -v a="$per" -v b="$base" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')
            verdict=ok
            if awk -v a="$per" -v b="$base" 'BEGIN { exit !(a > b * 1.10) }'; then
                verdict="REGRESSION (>10%)"
                status=1
            fi
            printf '%-24s %12d  baseline %12d  %6s%%  %s\n' "$w" "$per" "$base" "$pct" "$verdict"
            continue
        fi
    fi
    printf '%-24s %12d\n' "$w" "$per"
done
if $update; then
    # Keep the lines of the workloads not measured this time, in order.
    merged=$(NEW="$out" awk '
        BEGIN { n = split(ENVIRON["NEW"], lines, "\n"); for (i = 1; i <= n; i++) if (lines[i] != "") { split(lines[i], f, " "); val[f[1]] = lines[i]; order[++k] = f[1] } }
        { if ($1 in val) { print val[$1]; seen[$1] = 1 } else print }
        END { for (i = 1; i <= k; i++) if (!(order[i] in seen)) print val[order[i]] }
    ' "$baseline" 2>/dev/null || printf '%s' "$out")
    printf '%s\n' "$merged" > "$baseline"
    echo "wrote $baseline"
fi
exit $status
