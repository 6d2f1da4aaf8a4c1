#!/usr/bin/env bash
# bench.sh - keeps tests/bench/bench.sh from rotting: runs it in --quick
# mode (about 25 s) on $PROBE and checks that the Markdown it writes has a
# table row of probe for every scenario, with every number of probe's
# positive, and the targets table.  The numbers themselves are not judged
# here: quick runs under a parallel ctest are noise.
set -eu
. "$TESTLIB"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$T_DIR/RESULTS.md
case_ "bench.sh --quick"
if ! bash "$ROOT/tests/bench/bench.sh" --quick --probe "$PROBE" --out "$out" >"$T_DIR/bench.log" 2>&1; then
	RC=1 OUT=$(tail -n 40 "$T_DIR/bench.log")
	t_bad "bench.sh --quick failed"
	finish
	exit 1
fi
OUT=$(cat "$out")

for title in "TCP connect" "HTTP GET /health" "PostgreSQL (SCRAM" "PostgreSQL (trust" "MySQL" \
	"Redis" "SQLite" "Alembic head check" "Readiness plan"; do
	case_ "scenario $title"
	# The scenario's heading, then its first row: probe's, with wall ms,
	# CPU ms, max RSS and instructions all above zero.
	row=$(awk -v t="### $title" 'index($0, t) == 1 {on = 1; next} on && /^\| `probe/ {print; exit}' "$out")
	if [ -z "$row" ]; then
		t_bad "no probe row under a heading '### $title'"
		continue
	fi
	if printf '%s\n' "$row" | awk -F'|' '{
		for (i = 3; i <= 9; i += 2) { v = $i; gsub(/[ ,]/, "", v); if (!(v + 0 > 0)) exit 1 }
	}'; then t_ok; else t_bad "a number of probe is not positive: $row"; fi
	# Every alternative's row has a ratio.
	if awk -v t="### $title" 'index($0, t) == 1 {on = 1; next} on && /^###/ {exit}
		on && /^\| `/ && !/^\| `probe/ {n++; if ($0 !~ /[0-9.]+ %/) bad = 1}
		END {exit (n > 0 && !bad) ? 0 : 1}' "$out"; then t_ok; else t_bad "an alternative's row has no ratio"; fi
done
case_ "size and targets tables"
expect_out '^\| probe \(stripped\) \| [1-9][0-9,]* \|'
expect_out '^### Targets'
expect_out '^\| HTTP instructions / curl.s \| [0-9.]+ %'
finish
