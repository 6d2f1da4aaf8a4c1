#!/usr/bin/env bash
# hints.sh - every hint has a test that triggers it.  For each id of enum
# hint_id in probe/hints.h (but HINT_NONE and HINT_COUNT), some test under
# tests/ must name it: `expect_hint HINT_X` in an integration driver (or a
# driver's own expect_* helper that hands HINT_X to expect_hint, as http.sh's
# `expect_hint NAME HINT_X` and alembic.sh's `expect_fail_msg ERROR HINT_X`),
# or HINT_X in a unit test's expectation.
# Prints one line per id no test names, and exits 1 if there is any.  It
# runs no probe: the drivers that name the ids assert the hints themselves.
set -eu

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTS=$(cd "$HERE/.." && pwd)
HINTS_H="$HERE/../../probe/hints.h"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"

# the ids, in enum order, from the enum's body only
IDS=$(sed -n '/^enum hint_id {/,/^};/p' "$HINTS_H" |
	grep -oE '^[[:space:]]*HINT_[A-Z0-9_]+' | tr -d '[:blank:]' | grep -vxE 'HINT_NONE|HINT_COUNT')
N=$(printf '%s\n' "$IDS" | wc -l)
if [ "$N" -lt 2 ]; then
	echo "FAIL [hints] read no hint ids from $HINTS_H" >&2
	exit 1
fi

# the files that may name an id: the drivers (not this one) and the unit tests
mapfile -t SH < <(find "$TESTS" -name '*.sh' -type f ! -path "$SELF" | sort)
mapfile -t C < <(find "$TESTS/unit" -name '*.c' -type f | sort)

missing=0
for id in $IDS; do
	if grep -qE "^[[:space:]]*expect_[a-z_]+([[:space:]].*)?[[:space:]]$id([[:space:]]|$)" "${SH[@]}" ||
		grep -qw -- "$id" "${C[@]}"; then
		continue
	fi
	printf 'FAIL [hints] %s: no test triggers it (no `expect_hint %s` in tests/integration, no %s in tests/unit)\n' \
		"$id" "$id" "$id" >&2
	missing=$((missing + 1))
done

printf 'hints: %d ids, %d with a test, %d without\n' "$N" "$((N - missing))" "$missing"
[ "$missing" -eq 0 ]
