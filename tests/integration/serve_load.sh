#!/usr/bin/env bash
# serve_load.sh - probe serve while its dependencies hang and its clients
# misbehave, measured by a client that times every answer: /livez never
# waits behind a /readyz round, a round answers by --timeout, and a flood
# of idle and dribbling clients cannot starve a prober.
set -eu
. "$TESTLIB"

APP=$(free_port)
SILENT=$(free_port)
HITS=$T_DIR/hits
: >"$HITS"
start_bg counter "$PYTHON" "$SERVERS/counter.py" "$APP" "$HITS"
# A PostgreSQL (or an app) that has hung: accepts and never answers.
start_bg silent "$PYTHON" "$SERVERS/silent.py" 127.0.0.1 "$SILENT"
wait_port "$APP"
wait_port "$SILENT"
HUNG_DB="postgres://probe:secret@127.0.0.1:$SILENT/app"

# The client.  Every mode talks to 127.0.0.1 only and ends by itself.
#   get PORT PATH N PAUSE_MS [BEFORE]
#       N requests one after another, PAUSE_MS between them; before each,
#       BEFORE (a path) is requested without waiting for its answer.  One
#       line an answer: "ms status full summary", full meaning the body
#       arrived as long as Content-Length said.
#   poll PORT PATH STOPFILE
#       requests PATH every 100 ms (after each answer) until STOPFILE
#       exists; the same lines.
#   flood PORT N SECS STOPFILE
#       holds N connections for at most SECS (or until STOPFILE exists):
#       the even ones connect and send nothing, the odd ones dribble an
#       endless request a byte every 300 ms; each one the server closes is
#       opened again 100 ms later.  Prints how many connections it opened.
cat >"$T_DIR/client.py" <<'PY'
import os, selectors, socket, sys, threading, time

HOST = "127.0.0.1"

def request(port, path, timeout=15.0):
    t0 = time.monotonic()
    data = b""
    try:
        s = socket.create_connection((HOST, port), timeout=timeout)
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: probe\r\n\r\n")
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
    except OSError:
        pass
    ms = (time.monotonic() - t0) * 1000
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ")[1] if lines[0].startswith("HTTP/1.1 ") else "none"
    length = [l.split(":", 1)[1].strip() for l in lines[1:]
              if l.lower().startswith("content-length:")]
    full = "full" if length and int(length[0]) == len(body) and body else "short"
    summary = body.split(b"\n", 1)[0].decode("utf-8", "replace") or "-"
    return "%.1f %s %s %s" % (ms, status, full, summary)

def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

mode, port = sys.argv[1], int(sys.argv[2])
if mode == "get":
    path, n, pause = sys.argv[3], int(sys.argv[4]), float(sys.argv[5]) / 1000
    before = sys.argv[6] if len(sys.argv) > 6 else None
    for i in range(n):
        if before:
            threading.Thread(target=request, args=(port, before), daemon=True).start()
            time.sleep(0.1)
        out(request(port, path))
        time.sleep(pause)
elif mode == "poll":
    path, stop = sys.argv[3], sys.argv[4]
    while not os.path.exists(stop):
        out(request(port, path))
        time.sleep(0.1)
elif mode == "flood":
    n, secs, stop = int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    sel = selectors.DefaultSelector()
    opened = 0
    drip = b"GET /livez HTTP/1.1\r\nX-Slow: " + b"a" * 100000

    def connect(i):
        global opened
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((HOST, port))
        opened += 1
        sel.register(s, selectors.EVENT_READ, [i, 0])

    for i in range(n):
        connect(i)
    again = []  # (when, i): closed by the server, to be opened again
    end = time.monotonic() + secs
    next_drip = time.monotonic()
    while time.monotonic() < end and not os.path.exists(stop):
        for key, _ in sel.select(0.05):
            try:
                alive = key.fileobj.recv(65536) != b""
            except BlockingIOError:
                alive = True
            except OSError:
                alive = False
            if not alive:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                again.append((time.monotonic() + 0.1, key.data[0]))
        while again and again[0][0] <= time.monotonic():
            connect(again.pop(0)[1])
        if time.monotonic() >= next_drip:
            next_drip += 0.3
            for key in list(sel.get_map().values()):
                i, sent = key.data
                if i % 2:
                    try:
                        key.data[1] += key.fileobj.send(drip[sent:sent + 1])
                    except OSError:
                        pass
    out("opened %d" % opened)
PY
client() { "$PYTHON" "$T_DIR/client.py" "$@"; }

# get_body PORT PATH: prints the body of one answer.
get_body() { "$PYTHON" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET " + sys.argv[2].encode() + b" HTTP/1.1\r\n\r\n")
d = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    d += c
sys.stdout.write(d.partition(b"\r\n\r\n")[2].decode())' "$@"; }

# serve_start PORT ARGS...: probe serve on 127.0.0.1:PORT; SERVER is its pid.
serve_start() {
	local port=$1
	shift
	"$PROBE" serve --listen "127.0.0.1:$port" "$@" 2>>"$T_DIR/serve.err" &
	SERVER=$!
	T_PIDS+=("$SERVER")
	wait_port "$port"
}

# expect_answers FILE N STATUS SUMMARY_REGEX MAX_MS: FILE holds N answers,
# each with STATUS, a full body whose summary matches, within MAX_MS.
expect_answers() {
	local file=$1 n=$2 status=$3 re=$4 max=$5 got bad
	got=$(wc -l <"$file")
	[ "$got" -eq "$n" ] && t_ok || t_bad "$got answers, want $n"
	bad=$(awk -v s="$status" -v m="$max" -v re="$re" \
		'$2 != s || $3 != "full" || $1 + 0 > m || $4 !~ re' "$file")
	[ -z "$bad" ] && t_ok || t_bad "answers not $status/full/${re} within $max ms:
$bad"
}

# latencies NAME FILE: one line with the min, median and max of column 1.
latencies() {
	awk '{print $1}' "$2" | sort -n | awk -v name="$1" \
		'{v[NR] = $1} END {if (NR) printf "%s: n=%d min=%.0f median=%.0f max=%.0f ms\n", name, NR, v[1], v[int((NR + 1) / 2)], v[NR]}'
}

case_ "/livez does not wait behind a /readyz round that hangs on its database"
S=$(free_port)
serve_start "$S" --cache 1s --timeout 3s "http://127.0.0.1:$APP/" "$HUNG_DB"
rm -f "$T_DIR/stop"
client poll "$S" /readyz "$T_DIR/stop" >"$T_DIR/ready.out" &
POLLER=$!
T_PIDS+=("$POLLER")
sleep 0.3 # the first /readyz round is under way
# 25 answers over 4 s or more: across at least one whole /readyz round.
client get "$S" /livez 25 150 >"$T_DIR/live.out"
sleep 3.2 # the /readyz round then running ends
touch "$T_DIR/stop"
wait "$POLLER" || true
latencies "/livez beside a hung /readyz" "$T_DIR/live.out"
latencies "/readyz with a hung database" "$T_DIR/ready.out"
expect_answers "$T_DIR/live.out" 25 200 '"probe":"healthy"' 500
# A /readyz round ends by --timeout (3 s) with the report: 503, the
# database check failed on its deadline.
n=$(wc -l <"$T_DIR/ready.out")
[ "$n" -ge 2 ] && t_ok || t_bad "only $n /readyz answers in 7 s"
expect_answers "$T_DIR/ready.out" "$n" 503 '"probe":"unhealthy","failed":1,"passed":1' 3600
OUT=$(get_body "$S" /readyz)
expect_out '^\{"probe":"unhealthy","failed":1,"passed":1,"skipped":0'
expect_out '"check":"postgres".*"result":"fail".*"error":"no answer from the server'
expect_out '"check":"http".*"result":"pass"'
expect_no_out 'secret'
kill "$SERVER"
wait "$SERVER" || true

case_ "a hanging live check: /livez answers 503 by --timeout, whatever /readyz does"
S=$(free_port)
serve_start "$S" --cache 1s --timeout 2s "http://127.0.0.1:$SILENT/" "$HUNG_DB"
# Each /livez asked 100 ms after a /readyz that starts a round of its own,
# both caches expired (the pause of 1.2 s).
client get "$S" /livez 4 1200 /readyz >"$T_DIR/live.out"
latencies "/livez with its own check hung, 2s --timeout" "$T_DIR/live.out"
expect_answers "$T_DIR/live.out" 4 503 '"probe":"unhealthy","failed":1,"passed":0' 2600
OUT=$(get_body "$S" /livez)
expect_out '"check":"http".*"result":"fail".*timed out'
expect_no_out '"check":"postgres"'

case_ "SIGTERM while a round hangs: exit 0 at once"
client get "$S" /readyz 1 0 >/dev/null &
T_PIDS+=("$!")
sleep 0.3
t0=$(date +%s%N)
kill -TERM "$SERVER"
set +e
wait "$SERVER"
RC=$?
set -e
MS=$((($(date +%s%N) - t0) / 1000000))
expect_rc 0
expect_ms_below 1000

case_ "a flood of 100 idle and dribbling clients does not starve a prober"
S=$(free_port)
serve_start "$S" --cache 1s --timeout 3s "http://127.0.0.1:$APP/" "$HUNG_DB"
rm -f "$T_DIR/stop"
client flood "$S" 100 30 "$T_DIR/stop" >"$T_DIR/flood.out" &
FLOOD=$!
T_PIDS+=("$FLOOD")
client poll "$S" /readyz "$T_DIR/stop" >"$T_DIR/ready.out" &
POLLER=$!
T_PIDS+=("$POLLER")
sleep 0.5 # the flood is in
client get "$S" /livez 50 50 >"$T_DIR/live.out"
touch "$T_DIR/stop"
wait "$FLOOD" || true
wait "$POLLER" || true
latencies "/livez under a flood of 100" "$T_DIR/live.out"
cat "$T_DIR/flood.out"
expect_answers "$T_DIR/live.out" 50 200 '"probe":"healthy"' 1000
n=$(wc -l <"$T_DIR/ready.out")
expect_answers "$T_DIR/ready.out" "$n" 503 '"probe":"unhealthy"' 3600
# The flood was there all along: its connections were opened again and
# again as the server dropped them.
opened=$(awk '/^opened/ {print $2}' "$T_DIR/flood.out")
[ "${opened:-0}" -gt 100 ] && t_ok || t_bad "the flood opened ${opened:-0} connections"
# The server still answers, and holds no connection of the flood.
sleep 2.5
OUT=$(get_body "$S" /livez)
expect_out '^\{"probe":"healthy"'
fds=$(ls "/proc/$SERVER/fd" | wc -l)
[ "$fds" -lt 20 ] && t_ok || t_bad "$fds fds open after the flood"
kill -TERM "$SERVER"
set +e
wait "$SERVER"
RC=$?
set -e
expect_rc 0

finish
