#!/usr/bin/env bash
# Runs fuzz targets in libFuzzer's fork mode on many cores (what the issue's figures came from: a
# 16-core machine), then replays the input each child was running when it stopped, which finds
# the crashes libFuzzer cannot save itself (a stack overflow kills the process first).
# Usage: fuzz/fork.sh SECONDS "TARGET:JOBS ..." [BIN_DIR] [CORPUS_DIR]
#   e.g. fuzz/fork.sh 420 "parse:7 canonical:9"   (binaries from `cargo +nightly fuzz build -O -s none`)
# Prints each target's last fork-mode status line (executions, oom/timeout/crash counts); crash
# inputs land in fuzz/artifacts/<target>/ and fuzz/artifacts/last_<target>/.
set -u
cd "$(dirname "$0")"
secs=${1:-300}
specs=${2:-"parse:5 canonical:5 ir_text:5"}
bin=${3:-target/x86_64-unknown-linux-gnu/release}
corpus=${4:-corpus}
last=$(mktemp -d)
mkdir -p logs
for spec in $specs; do
    t=${spec%%:*} jobs=${spec##*:}
    mkdir -p "artifacts/$t"
    SYM_FUZZ_LAST="$last/$t" "$bin/$t" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -artifact_prefix="artifacts/$t/" \
        "$corpus/$t" >"logs/fork_$t.log" 2>&1 &
done
wait
for spec in $specs; do
    t=${spec%%:*}
    mkdir -p "artifacts/last_$t"
    for f in "$last/$t".*; do
        [ -e "$f" ] || continue
        timeout 30 "$bin/$t" "$f" >/dev/null 2>&1 || { echo "$t: replaying $f failed"; cp "$f" "artifacts/last_$t/"; }
    done
    echo "$t: $(grep -E '^#[0-9]+:' "logs/fork_$t.log" | tail -1)"
done
rm -rf "$last"
