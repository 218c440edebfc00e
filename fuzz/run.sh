#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each and prints libFuzzer's final
# statistics: executions, executions per second, and whether it found a crash.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]     (needs `cargo install cargo-fuzz` and a nightly toolchain)
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
# No sanitizer by default: the targets are safe Rust (plus GMP), and AddressSanitizer's stack
# bookkeeping made deep expression trees 30 times slower (timeouts that were only its overhead).
# SANITIZER=address fuzz/run.sh ... turns it back on.
sanitizer=${SANITIZER:-none}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse canonical ir_text)
[ -d corpus ] || python3 seed.py
mkdir -p logs
for t in "${targets[@]}"; do
    cargo +nightly fuzz run -O -s "$sanitizer" "$t" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 >"logs/$t.log" 2>&1
    rc=$?
    runs=$(grep -m1 'stat::number_of_executed_units' "logs/$t.log" | awk '{print $2}')
    rate=$(grep -m1 'stat::average_exec_per_sec' "logs/$t.log" | awk '{print $2}')
    if [ $rc -eq 0 ]; then verdict="no crash"; else verdict="CRASH (rc $rc): see fuzz/logs/$t.log and fuzz/artifacts/$t/"; fi
    echo "$t: ${runs:-?} executions in ${secs} s (${rate:-?}/s), $verdict"
done
