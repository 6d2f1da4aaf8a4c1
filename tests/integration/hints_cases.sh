#!/usr/bin/env bash
# hints_cases.sh - the hints no other driver triggers, each from a real
# situation, asserting the exit code, the report line and the hint by its
# id (tests/integration/hints.sh checks that every id has such a test).
set -eu
. "$TESTLIB"

run_json() { run_probe --format json "$@"; }

# A build without a kind has no such check; its cases are skipped, and
# hints.sh still counts them: a build with the kind runs them.
has_kind() { # SCHEME TARGET
	run_probe "$2"
	! { [ "$RC" = 64 ] && printf '%s\n' "$OUT" | grep -q "unknown check kind '$1:'"; }
}

if has_kind sqlite "sqlite:////nonexistent.db"; then
	case_ "sqlite: a query slower than the deadline: HINT_SQLITE_SLOW"
	"$PYTHON" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
c.execute("INSERT INTO items (name) VALUES (\"a\")")
c.commit()
' "$T_DIR/slow.db"
	run_json --timeout 1s "sqlite:///$T_DIR/slow.db" \
		query="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
	expect_rc 1
	expect_out '^\{"check":"sqlite",.*"result":"fail",.*"error":"the query did not finish within [0-9]+ ms","detail":\{("server_version":"[0-9.]+",)?"cause":"timeout"\}'
	expect_hint HINT_SQLITE_SLOW
	expect_ms_below 1500
else
	echo "hints_cases.sh: no sqlite: kind in this build; its case skipped"
fi

if has_kind redis "redis://127.0.0.1:1"; then
	case_ "rediss:// in a build without TLS for Redis: HINT_REDIS_NO_TLS"
	# A real Redis on loopback, named with rediss://: the check refuses
	# before any I/O, whatever the port speaks.
	if command -v redis-server >/dev/null; then
		RP=$(free_port)
		start_bg redis redis-server --port "$RP" --bind 127.0.0.1 --save '' \
			--appendonly no --dir "$T_DIR" --logfile ''
		wait_port "$RP"
	else
		RP=$(free_port)
	fi
	run_json "rediss://127.0.0.1:$RP"
	expect_rc 1
	expect_out '^\{"check":"redis",.*"result":"fail",.*"error":"rediss:// \(Redis over TLS\) is not supported by this build of probe","detail":\{"cause":"tls"\}'
	expect_hint HINT_REDIS_NO_TLS
	run_probe --format text "rediss://127.0.0.1:$RP"
	expect_rc 1
	expect_hint HINT_REDIS_NO_TLS
else
	echo "hints_cases.sh: no redis: kind in this build; its case skipped"
fi

finish
