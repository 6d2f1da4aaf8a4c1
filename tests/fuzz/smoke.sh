#!/usr/bin/env bash
# smoke.sh - one short libFuzzer run, the ctest entry fuzz/NAME:
#   smoke.sh TARGET CORPUS CRASHES SECONDS
# TARGET starts from the seeds in CORPUS, which it only reads; the inputs
# it finds new go to a temporary folder removed afterwards.  A crash, leak
# or hang fails the test and is kept in CRASHES as fuzz_NAME-crash-*,
# -leak-*, -timeout-* or -oom-*, to reproduce with `TARGET FILE`.
set -eu
target=$1 corpus=$2 crashes=$3 seconds=$4
name=$(basename "$target")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$crashes"
# A fixed seed: the same mutations every run, so what a smoke run finds
# is found again when it is run again (run.sh explores with random ones).
"$target" -seed=1 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$crashes/$name-" "$work" "$corpus"
