#!/usr/bin/env bash
# wait.sh - probe wait, the entrypoint gate: waits for a PostgreSQL server
# started after it, keeps trying until its bound and gives up there, becomes
# the command after --, and stops at once on SIGTERM/SIGINT/SIGHUP/SIGQUIT,
# as PID 1 of a PID namespace (a container's entrypoint) and as any process.
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

# t_signal WHERE SIG WORDS...: runs `probe wait --timeout 30s WORDS... --
# CMD` (CMD leaves a marker file) - as PID 1 of a new PID namespace when
# WHERE is "ns", as a plain process when it is "plain" - and sends it SIG
# 0.5 s later.  Sets RC, OUT, and MS: the time from the signal to the exit.
# A process that outlives the signal by 5 s is killed.
t_signal() {
	local where=$1 sig=$2 outer pid exe i t0 t1
	shift 2
	rm -f "$T_DIR/ran"
	set -- wait --timeout 30s "$@" -- sh -c ': >"$0"' "$T_DIR/ran"
	# A script's background job starts with SIGINT and SIGQUIT ignored,
	# and probe keeps an ignored signal ignored: start from the defaults.
	if [ "$where" = ns ]; then
		env --default-signal unshare --pid --fork --mount-proc "$PROBE" "$@" \
			2>"$T_DIR/signal.err" &
	else
		env --default-signal "$PROBE" "$@" 2>"$T_DIR/signal.err" &
	fi
	outer=$!
	exe=$(readlink -f "$PROBE")
	pid=""
	for i in $(seq 1 250); do
		if [ "$where" = ns ]; then
			pid=$(cat "/proc/$outer/task/$outer/children" 2>/dev/null || true)
			pid=${pid%% *}
		else
			pid=$outer
		fi
		[ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] && break
		pid=""
		sleep 0.02
	done
	if [ -z "$pid" ]; then
		t_bad "probe did not start"
		kill -KILL "$outer" 2>/dev/null || true
		wait "$outer" 2>/dev/null || true
		RC=? OUT=$(cat "$T_DIR/signal.err") MS=?
		return 0
	fi
	if [ "$where" = ns ]; then
		# NSpid: its pid here, then in its own namespace.
		grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "/proc/$pid/status" &&
			t_ok || t_bad "probe is not PID 1 of its namespace"
	fi
	sleep 0.5
	t0=$(date +%s%N)
	kill -s "$sig" "$pid"
	# Until it is gone (a zombie counts as gone: it has exited).
	for i in $(seq 1 250); do
		case $(cut -d' ' -f3 "/proc/$outer/stat" 2>/dev/null || echo Z) in Z) break ;; esac
		sleep 0.02
	done
	t1=$(date +%s%N)
	kill -KILL "$pid" 2>/dev/null || true
	set +e
	wait "$outer"
	RC=$?
	set -e
	MS=$(((t1 - t0) / 1000000))
	OUT=$(cat "$T_DIR/signal.err")
}

# expect_stopped SIG CODE: the t_signal run exited CODE within 1 s of SIG,
# its last line says SIG stopped it, and the command never ran.
expect_stopped() {
	expect_rc "$2"
	expect_ms_below 1000
	if printf '%s\n' "$OUT" | tail -n 1 |
		grep -Eq "^\{\"probe\":\"stopped\",\"signal\":\"SIG$1\",\"exit\":$2,\"attempts\":[0-9]+,"; then
		t_ok
	else
		t_bad "the last line does not say SIG$1 stopped it"
	fi
	[ ! -e "$T_DIR/ran" ] && t_ok || t_bad "the command ran though the wait was stopped"
}

if UNSHARE_ERR=$(unshare --pid --fork --mount-proc true 2>&1); then
	for sig in TERM:143 INT:130; do
		case_ "as PID 1 of a PID namespace, SIG${sig%:*} stops it at once"
		t_signal ns "${sig%:*}" "tcp://127.0.0.1:$CLOSED"
		expect_stopped "${sig%:*}" "${sig#*:}"
	done
	case_ "as PID 1, SIGTERM ends an attempt that waits on a silent server"
	PROBE_TIMEOUT=20s t_signal ns TERM "http://127.0.0.1:$S/"
	expect_stopped TERM 143
	case_ "as PID 1, SIGTERM ends an attempt of checks in worker threads"
	PROBE_TIMEOUT=20s t_signal ns TERM "http://127.0.0.1:$S/a" name=a "http://127.0.0.1:$S/b" name=b
	expect_stopped TERM 143
else
	printf 'SKIP: the PID-namespace cases: unshare --pid --fork is not permitted here (%s)\n' \
		"$UNSHARE_ERR"
fi

for sig in TERM:143 INT:130 HUP:129 QUIT:131; do
	case_ "as a plain process, SIG${sig%:*} stops it at once"
	t_signal plain "${sig%:*}" "tcp://127.0.0.1:$CLOSED"
	expect_stopped "${sig%:*}" "${sig#*:}"
done

case_ "as a plain process, SIGTERM ends an attempt that waits on a silent server"
PROBE_TIMEOUT=20s t_signal plain TERM "http://127.0.0.1:$S/"
expect_stopped TERM 143

case_ "text and logfmt: the stop line"
t_signal plain TERM --format text "tcp://127.0.0.1:$CLOSED"
expect_rc 143
expect_out '^✗ stopped by SIGTERM after [0-9]+ attempts? \([0-9.]+ s\): exit 143$'
t_signal plain INT --format logfmt "tcp://127.0.0.1:$CLOSED"
expect_rc 130
expect_out '^probe=stopped signal=SIGINT exit=130 attempts=[0-9]+ ms=[0-9.]+ version='

case_ "a signal probe was started with ignored stays ignored (nohup, a script's job)"
"$PROBE" wait --timeout 30s "tcp://127.0.0.1:$CLOSED" 2>"$T_DIR/ign.err" &
IGN=$!
sleep 0.5
# This shell starts background jobs with SIGINT ignored (no job control).
if grep -q '^SigIgn:.*[2367abef]$' "/proc/$IGN/status"; then
	kill -INT "$IGN"
	sleep 0.5
	kill -0 "$IGN" 2>/dev/null && t_ok || t_bad "an ignored SIGINT stopped it"
	kill -TERM "$IGN"
else
	printf 'SKIP: this shell does not start background jobs with SIGINT ignored\n'
	kill -TERM "$IGN"
fi
set +e
wait "$IGN"
RC=$?
set -e
OUT=$(cat "$T_DIR/ign.err")
expect_rc 143

case_ "the command gets the signal mask probe was started with"
run_probe wait --timeout 5s "tcp://127.0.0.1:$L" -- grep '^SigBlk:' /proc/self/status
expect_rc 0
[ "$STDOUT" = "$(grep '^SigBlk:' /proc/self/status)" ] && t_ok || t_bad "CMD's mask: $STDOUT"

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
