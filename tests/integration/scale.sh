#!/usr/bin/env bash
# scale.sh - thousands of checks cost what they do: 10,000 env: checks
# pass within a 1 s --timeout (env: runs on the runner's own thread, no
# thread each); 2,000 tcp: checks to a real listener pass, at most 256
# threads at once; the run stays within --timeout; one check past the
# limit (16,384) is a usage error before anything runs.
set -eu
. "$TESTLIB"

words() { # N WORD: WORD N times, one a line
	local i
	for ((i = 0; i < $1; i++)); do printf '%s\n' "$2"; done
}

case_ "10,000 env: checks within --timeout 1s, none failed for want of a thread"
words 10000 env:HOME >"$T_DIR/env.checks"
HOME=/root run_probe --timeout 1s --format json -f "$T_DIR/env.checks"
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":10000,"skipped":0,'
expect_ms_below 1000

PORT=$(free_port)
cat >"$T_DIR/accept.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(4096)
while True:
    c, _ = s.accept()
    c.close()
PY
start_bg listener "$PYTHON" "$T_DIR/accept.py" "$PORT"
wait_port "$PORT"

case_ "2,000 tcp: checks to one listener, a bounded number of threads at once"
words 2000 "tcp://127.0.0.1:$PORT" >"$T_DIR/tcp.checks"
run_probe --timeout 4s --format json -f "$T_DIR/tcp.checks"
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":2000,'
expect_ms_below 4000

case_ "16,385 checks: a usage error naming the limit, nothing run"
words 16385 env:HOME >"$T_DIR/many.checks"
run_probe --format json -f "$T_DIR/many.checks"
expect_rc 64
expect_out '"error":"more than 16384 checks: one run takes at most 16384"'

finish
