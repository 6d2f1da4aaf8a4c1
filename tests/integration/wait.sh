#!/usr/bin/env bash
# wait.sh - probe wait, the entrypoint gate: waits for a PostgreSQL server
# started after it, keeps trying until its bound and gives up there, and
# becomes the command after --.
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

export PG_WANT_PORT
PG_WANT_PORT=$(free_port)
URL="postgresql://app:app-pw-1@127.0.0.1:$PG_WANT_PORT/app"

case_ "waits for a database that starts later, then runs the command"
"$PROBE" wait --timeout 60s --interval 200ms "$URL" -- \
	sh -c 'echo "ran as $0 with $1" >"$2"' gate arg "$T_DIR/ran" 2>"$T_DIR/wait.err" &
WAITER=$!
sleep 1
pg_start >/dev/null
set +e
wait "$WAITER"
RC=$?
set -e
OUT=$(cat "$T_DIR/wait.err")
expect_rc 0
expect_out '^\{"wait":"retry","attempt":1,"failed":1,"skipped":0,.*"first":"postgresql://app:\*\*\*@127.0.0.1:[0-9]+/app","error":"connection refused by 127.0.0.1:[0-9]+"'
expect_out '^\{"probe":"healthy","failed":0,"passed":1'
[ "$(cat "$T_DIR/ran" 2>/dev/null)" = "ran as gate with arg" ] && t_ok || t_bad "the command did not run"
expect_no_out 'app-pw-1'

case_ "gives up at its bound, one line per failing attempt"
pg_stop
wait_closed "$PG_WANT_PORT"
run_probe wait --timeout 1s --interval 200ms "$URL" -- touch "$T_DIR/never"
expect_rc 1
expect_ms_below 2000
[ "$(printf '%s\n' "$OUT" | grep -c '"wait":"retry"')" -ge 2 ] && t_ok || t_bad "fewer than 2 retry lines"
expect_out '^\{"probe":"unhealthy","failed":1'
[ ! -e "$T_DIR/never" ] && t_ok || t_bad "the command ran though the wait failed"

case_ "text: a readable line per attempt"
run_probe wait --format text --timeout 700ms --interval 200ms "tcp://127.0.0.1:$PG_WANT_PORT" name=db
expect_rc 1
expect_out '^… attempt 1: 1 failed, 0 skipped: db: connection refused by 127.0.0.1:[0-9]+ \(next in 0.2 s\)$'
expect_out '^✗ unhealthy: 1 failed'

case_ "a command that cannot run"
L=$(free_port)
start_bg listener "$PYTHON" "$SERVERS/listener.py" 127.0.0.1 "$L"
wait_port "$L"
run_probe wait --timeout 5s "tcp://127.0.0.1:$L" -- /nonexistent/entrypoint
expect_rc 127
expect_out '"probe":"error","exit":127,"error":"cannot run /nonexistent/entrypoint: No such file or directory"'

case_ "keeps trying until its bound: a server up at 1.6 s of a 2 s wait is caught"
for i in 1 2 3 4; do
	LATE_PORT=$(free_port)
	# Binds 1.6 s from now, whenever the interpreter is ready.
	"$PYTHON" "$SERVERS/listener.py" 127.0.0.1 "$LATE_PORT" at=$(($(date +%s%N) + 1600000000)) \
		>"$T_DIR/late.log" 2>&1 &
	LATE=$!
	run_probe wait --timeout 2s "tcp://127.0.0.1:$LATE_PORT"
	kill "$LATE" 2>/dev/null || true
	wait "$LATE" 2>/dev/null || true
	CASE="keeps trying until its bound (run $i)"
	expect_rc 0
	expect_out '^\{"probe":"healthy","failed":0,"passed":1'
	# Up late indeed: caught by an attempt after the first two.
	expect_ms_above 1500
	expect_ms_below 2500
done

case_ "against a closed port, the last attempt comes at the bound"
CLOSED=$(free_port)
run_probe wait --timeout 2s "tcp://127.0.0.1:$CLOSED"
expect_rc 1
expect_ms_above 1800
expect_ms_below 2500
# The pause after attempt 2 (1.5 s by the backoff) is cut to leave room
# for a last attempt before the bound.
expect_out '^\{"wait":"retry","attempt":2,.*"next_ms":[0-9]{1,3},'
expect_out '^\{"probe":"unhealthy","failed":1'

case_ "an attempt never outlasts the bound"
S=$(free_port)
start_bg silent "$PYTHON" "$SERVERS/silent.py" 127.0.0.1 "$S"
wait_port "$S"
PROBE_TIMEOUT=10s run_probe wait --timeout 1500ms "http://127.0.0.1:$S/"
expect_rc 1
expect_ms_above 1300
expect_ms_below 2300

case_ "usage"
run_probe wait --interval soon "tcp://127.0.0.1:$L"
expect_rc 64
expect_out '--interval soon'
run_probe wait "tcp://127.0.0.1:$L" --
expect_rc 64
expect_out "'--' needs a command"
run_probe "tcp://127.0.0.1:$L" -- true
expect_rc 64
run_probe --interval 1s "tcp://127.0.0.1:$L"
expect_rc 64
expect_out "unknown option '--interval"

finish
