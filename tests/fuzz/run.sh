#!/usr/bin/env bash
# run.sh - the long fuzz runs, one target at a time:
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]
# Builds the libFuzzer targets in build-fuzz/ (clang, -DPROBE_FUZZ=ON) and
# runs each TARGET (default: every tests/fuzz/fuzz_*.c) for SECONDS
# (default 300).  A target's corpus grows in build-fuzz/fuzz-runs/TARGET/
# corpus/ from one run to the next, seeded from tests/fuzz/corpus/TARGET/,
# which is only read; what it finds (crash-*, leak-*, timeout-*, oom-*)
# is kept in build-fuzz/fuzz-runs/TARGET/crashes/ and its output in
# build-fuzz/fuzz-runs/TARGET/log.  Exits 1 when a target found something.
#
# Replay one with `build-fuzz/tests/fuzz_TARGET FILE`; once fixed, keep
# FILE in tests/fuzz/corpus/TARGET/ beside a unit test of the fix.
set -eu
cd "$(dirname "$0")/../.."
seconds=300
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
	seconds=$1
	shift
fi
build=build-fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		f=${f##*/fuzz_}
		targets+=("${f%.c}")
	done
fi

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DPROBE_FUZZ=ON >/dev/null
cmake --build "$build" --target fuzz -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

found=()
for t in "${targets[@]}"; do
	bin=$build/tests/fuzz_$t
	dir=$build/fuzz-runs/$t
	if [ ! -x "$bin" ] || [ ! -d "tests/fuzz/corpus/$t" ]; then
		echo "run.sh: no fuzz target '$t' (tests/fuzz/fuzz_$t.c, tests/fuzz/corpus/$t/)" >&2
		exit 2
	fi
	mkdir -p "$dir/corpus" "$dir/crashes"
	echo "== fuzz_$t: ${seconds}s =="
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/" "$dir/corpus" "tests/fuzz/corpus/$t" >"$dir/log" 2>&1; then
		grep -E '^(#[0-9]+.*(DONE|pulse)|Done )' "$dir/log" | tail -n 2
	else
		found+=("$t")
		grep -E '^(==[0-9]+== ?ERROR|SUMMARY|artifact_prefix)' "$dir/log" || tail -n 20 "$dir/log"
	fi
done
if [ ${#found[@]} -gt 0 ]; then
	echo "run.sh: found something in: ${found[*]} (see $build/fuzz-runs/TARGET/)" >&2
	exit 1
fi
echo "run.sh: ${#targets[@]} target(s), ${seconds}s each, nothing found"
