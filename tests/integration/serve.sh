#!/usr/bin/env bash
# serve.sh - probe serve under real HTTP clients: the codes of /livez,
# /readyz and /startupz, the cache holding the check rate down under a
# flood, slow clients that cannot lock others out, no fd or memory growth
# over many requests, and a graceful exit on SIGTERM.
set -eu
. "$TESTLIB"

APP=$(free_port)
S=$(free_port)
DEAD=$(free_port)
HITS=$T_DIR/hits
: >"$HITS"
start_bg counter "$PYTHON" "$SERVERS/counter.py" "$APP" "$HITS"
wait_port "$APP"
"$PROBE" serve --listen "127.0.0.1:$S" --cache 1s --timeout 2s \
	"http://127.0.0.1:$APP/" "tcp://127.0.0.1:$DEAD" level=ready 2>"$T_DIR/serve.err" &
SERVER=$!
T_PIDS+=("$SERVER")
wait_port "$S"

get() { # get PATH [curl args]: sets CODE and BODY
	local path=$1
	shift
	CODE=$(curl -s -m 5 -o "$T_DIR/body" -w '%{http_code}' "$@" "http://127.0.0.1:$S$path" || true)
	BODY=$(cat "$T_DIR/body" 2>/dev/null || true)
}
expect_code() { if [ "$CODE" = "$1" ]; then t_ok; else t_bad "HTTP $CODE, want $1 ($BODY)"; fi; }
expect_body() { if printf '%s\n' "$BODY" | grep -Eq -- "$1"; then t_ok; else t_bad "body lacks /$1/: $BODY"; fi; }

case_ "the three paths"
get /livez
expect_code 200
expect_body '^\{"probe":"healthy","failed":0,"passed":1,"skipped":0'
expect_body '"check":"http".*"result":"pass"'
get /readyz
expect_code 503
expect_body '^\{"probe":"unhealthy","failed":1,"passed":1'
expect_body "\"check\":\"tcp\".*\"result\":\"fail\".*\"error\":\"connection refused by 127.0.0.1:$DEAD\""
get /startupz
expect_code 503
get /readyz?verbose=1
expect_code 503

case_ "other paths and methods"
get /
expect_code 404
get /livez -X POST
expect_code 405
get /livez -I
expect_code 200

case_ "the cache holds the check rate down under a flood"
sleep 1.1
: >"$HITS"
t0=$(date +%s%N)
for _ in $(seq 1 60); do get /livez; [ "$CODE" = 200 ] || break; done
t1=$(date +%s%N)
expect_code 200
secs=$(((t1 - t0) / 1000000000 + 1))
hits=$(wc -l <"$HITS")
# at most one round per second of flood (plus one at each edge)
if [ "$hits" -le $((secs + 2)) ]; then t_ok; else t_bad "$hits checks for 60 requests in ${secs}s"; fi

case_ "slow clients cannot lock others out"
"$PYTHON" - "$S" <<'PY' &
import socket, sys, time
# 80 clients that connect and never send: more than the 64 slots.
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(80)]
time.sleep(4)
PY
IDLE=$!
sleep 0.5
get /livez
expect_code 200
wait "$IDLE" || true

case_ "no fd or memory growth over many requests"
fds() { ls "/proc/$SERVER/fd" | wc -l; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
get /livez
FD0=$(fds)
RSS0=$(rss)
"$PYTHON" - "$S" <<'PY'
import socket, sys
# 2000 requests, bounded, loopback only.
for i in range(2000):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    s.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
    while s.recv(65536):
        pass
    s.close()
PY
FD1=$(fds)
RSS1=$(rss)
[ "$FD1" -le "$FD0" ] && t_ok || t_bad "fds grew from $FD0 to $FD1"
[ $((RSS1 - RSS0)) -lt 1024 ] && t_ok || t_bad "RSS grew from ${RSS0} to ${RSS1} KiB"

case_ "an oversized request"
get /livez -H "X-Big: $(head -c 5000 /dev/zero | tr '\0' a)"
expect_code 431

case_ "SIGTERM: a graceful exit"
kill -TERM "$SERVER"
set +e
wait "$SERVER"
RC=$?
set -e
expect_rc 0
OUT=$(cat "$T_DIR/serve.err")
expect_out "^\\{\"serve\":\"listening\",\"address\":\"127.0.0.1:$S\"\\}$"

case_ "usage"
run_probe serve "tcp://127.0.0.1:$DEAD"
expect_rc 64
expect_out 'needs --listen'
run_probe serve --listen nowhere "tcp://127.0.0.1:$DEAD"
expect_rc 64
run_probe serve --listen "127.0.0.1:$APP" "tcp://127.0.0.1:$DEAD"
expect_rc 78
expect_out 'Address already in use'

finish
