#!/usr/bin/env bash
# redis.sh - redis:// checks against real Redis 7 servers (tests/servers/db.sh),
# a listener that never speaks, an HTTP server and a TLS-only Redis port;
# in each situation redis-cli's view too, and where the two should agree,
# that they do.  Note that redis-cli exits 0 on an error reply (LOADING,
# NOAUTH, BUSY...): it prints the reply and carries on, so its exit code
# says nothing about readiness; its output does.
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
	echo "redis.sh: redis-server or redis-cli missing; skipped"
	exit 0
fi

# A build without the redis driver (-DPROBE_WITH_REDIS=OFF) has no redis: kind.
run_probe "redis://127.0.0.1:1"
if [ "$RC" = 64 ] && printf '%s\n' "$OUT" | grep -q "unknown check kind 'redis:'"; then
	echo "redis.sh: this probe is built without redis checks; skipped"
	exit 0
fi

# cli PORT ARGS...: redis-cli against 127.0.0.1:PORT, bounded by 3 s (it has
# no read timeout of its own); sets CLI (stdout and stderr) and CLI_RC.
cli() {
	local port=$1
	shift
	set +e
	CLI=$(timeout 3 redis-cli -h 127.0.0.1 -p "$port" "$@" 2>&1)
	CLI_RC=$?
	set -e
}
expect_cli() { # REGEX: redis-cli's output matches
	if printf '%s\n' "$CLI" | grep -Eq -- "$1"; then t_ok; else t_bad "redis-cli said (rc=$CLI_RC): $CLI; want /$1/"; fi
}
# the report line of the one check, failed with cause $1
expect_fail_cause() {
	expect_rc 1
	expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,"skipped":0,'
	expect_out '^\{"check":"redis",.*"level":"ready","result":"fail","ms":[0-9.]+,"error":"([^"\\]|\\.)+","detail":\{("server_version":"[0-9.]+",)?"cause":"'"$1"'"(,"server_version":"[0-9.]+")?\}'
}
admin() { cli "$REDIS_PORT" -a "$REDIS_PASSWORD" --no-auth-warning "$@"; }

redis_start
P=$REDIS_PORT
VERSION=$(redis-cli -h 127.0.0.1 -p "$P" -a "$REDIS_PASSWORD" --no-auth-warning info server | tr -d '\r' | sed -n 's/^redis_version://p')

case_ "up, with its password"
run_probe "$REDIS_URL"
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":1,"skipped":0,'
expect_out "^\\{\"check\":\"redis\",\"name\":\"redis://:\\*\\*\\*@127.0.0.1:$P/0\",\"target\":\"redis://:\\*\\*\\*@127.0.0.1:$P/0\",\"level\":\"ready\",\"result\":\"pass\",\"ms\":[0-9.]+,\"detail\":\\{\"server_version\":\"$VERSION\"\\}\\}$"
cli "$P" -a redis-pw-1 --no-auth-warning ping
expect_cli '^PONG$'

case_ "database 2: SELECT 2, then PING"
run_probe "redis://:redis-pw-1@127.0.0.1:$P/2"
expect_rc 0
expect_out "\"target\":\"redis://:\\*\\*\\*@127.0.0.1:$P/2\".*\"result\":\"pass\""
run_probe "redis://default:redis-pw-1@127.0.0.1:$P/15" name=acl-default
expect_rc 0
expect_out '"name":"acl-default".*"result":"pass"'

case_ "database 99: beyond 'databases 16'"
run_probe "redis://:redis-pw-1@127.0.0.1:$P/99"
expect_fail_cause db
expect_out '"error":"cannot select the database: ERR DB index is out of range"'
# redis-cli says so, then answers PONG from database 0 anyway, exit 0; an
# app's client stops at the failed SELECT, and so does the check.
cli "$P" -a redis-pw-1 --no-auth-warning -n 99 ping
expect_cli 'SELECT 99 failed: ERR DB index is out of range'
run_probe "redis://:redis-pw-1@127.0.0.1:$P/db"
expect_rc 64
expect_out 'the database must be a number'

case_ "wrong password: auth, and no password printed in any format"
for fmt in json text logfmt; do
	run_probe --format "$fmt" "redis://:wrong-pw-7@127.0.0.1:$P/0"
	expect_rc 1
	expect_out 'authentication failed: WRONGPASS invalid username-password pair'
	expect_no_out 'wrong-pw-7|redis-pw-1'
done
run_probe "redis://:wrong-pw-7@127.0.0.1:$P/0"
expect_fail_cause auth
expect_hint HINT_REDIS_AUTH
cli "$P" -a wrong-pw-7 --no-auth-warning ping
expect_cli 'AUTH failed: WRONGPASS'
expect_cli '^NOAUTH Authentication required'

case_ "no password against a server that needs one: NOAUTH"
run_probe "redis://127.0.0.1:$P/0"
expect_fail_cause auth
expect_out '"error":"authentication failed: the server requires a password and the URL gives none \(NOAUTH Authentication required.\)"'
cli "$P" ping
expect_cli '^NOAUTH Authentication required'

case_ "an ACL user without +ping: NOPERM"
admin acl setuser limited on '>lim-pw-1' '+@all' '-ping' '~*'
run_probe "redis://limited:lim-pw-1@127.0.0.1:$P"
expect_fail_cause auth
expect_out "the user may not run PING: NOPERM"
expect_no_out 'lim-pw-1'
cli "$P" --user limited --pass lim-pw-1 --no-auth-warning ping
expect_cli '^NOPERM'

case_ "a password against a server with none"
admin config set requirepass ""
run_probe "redis://:redis-pw-1@127.0.0.1:$P/0"
expect_fail_cause auth
expect_out '"error":"authentication failed: the URL gives a password but the server has none set"'
expect_hint HINT_REDIS_NOPASS
# redis-cli reports the failed AUTH and answers PONG anyway (exit 0); an
# app's client (redis-py: AuthenticationError) stops there, as the check does.
cli "$P" -a redis-pw-1 --no-auth-warning ping
expect_cli 'AUTH failed: ERR AUTH <password> called without any password configured'
expect_cli '^PONG$'
run_probe "redis://127.0.0.1:$P/0"
expect_rc 0
cli "$P" config set requirepass redis-pw-1

case_ "a replica whose master is down: MASTERDOWN"
DEAD=$(free_port)
admin config set replica-serve-stale-data no
admin replicaof 127.0.0.1 "$DEAD"
run_probe "$REDIS_URL"
expect_fail_cause masterdown
expect_out '"error":"not ready: MASTERDOWN Link with MASTER is down'
admin ping
expect_cli '^MASTERDOWN'
admin replicaof no one
run_probe "$REDIS_URL"
expect_rc 0

case_ "a script that runs too long: BUSY"
admin config set busy-reply-threshold 100
(timeout 20 redis-cli -h 127.0.0.1 -p "$P" -a redis-pw-1 --no-auth-warning eval 'while true do end' 0 >"$T_DIR/eval.log" 2>&1 || true) &
EVAL_PID=$!
for _ in $(seq 1 400); do # redis-cli's start-up may take seconds under load
	admin ping
	case "$CLI" in BUSY*) break ;; esac
	sleep 0.05
done
run_probe "$REDIS_URL"
expect_fail_cause busy
expect_out '"error":"the server is busy running a script: not ready"'
admin ping
expect_cli '^BUSY'
admin script kill
wait "$EVAL_PID" || true
admin config set busy-reply-threshold 5000
run_probe "$REDIS_URL"
expect_rc 0

case_ "every client slot taken: max number of clients"
admin config set maxclients 1
# The holder takes the one slot and stays until killed below (a fixed
# sleep could end before a loaded machine got to the assertions).  A
# connection the server turned away ("-ERR max number of clients" at once:
# a closed client it had not reaped yet still counted) is retried; the
# holder says it holds the slot by creating $T_DIR/held.
rm -f "$T_DIR/held"
"$PYTHON" - "$P" "$T_DIR/held" <<'PY' &
import socket, sys, time
port, held = int(sys.argv[1]), sys.argv[2]
for _ in range(400):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.3)
    try:
        turned_away = b"max number of clients" in s.recv(256)
    except socket.timeout:
        turned_away = False
    if not turned_away:
        open(held, "w").close()
        time.sleep(60)
        sys.exit(0)
    s.close()
    time.sleep(0.05)
sys.exit("the server never left a slot free")
PY
HOLD_PID=$!
for _ in $(seq 1 600); do
	[ -e "$T_DIR/held" ] && break
	sleep 0.03
done
for _ in $(seq 1 100); do # and until a second client is turned away
	admin ping
	case "$CLI" in *"max number of clients"*) break ;; esac
	sleep 0.03
done
run_probe "$REDIS_URL"
expect_fail_cause maxclients
expect_out '"error":"not ready: ERR max number of clients reached"'
# redis-cli gets the same error to its AUTH (and dies of SIGPIPE, 141).
cli "$P" -a redis-pw-1 --no-auth-warning ping
expect_cli 'ERR max number of clients reached'
kill "$HOLD_PID" 2>/dev/null || true
wait "$HOLD_PID" 2>/dev/null || true
for _ in $(seq 1 100); do
	admin config set maxclients 10000
	[ "$CLI" = OK ] && break
	sleep 0.03
done
run_probe "$REDIS_URL"
expect_rc 0

case_ "server down: refused, fast"
redis_stop
run_probe "$REDIS_URL"
expect_fail_cause refused
expect_out "\"error\":\"connection refused by 127.0.0.1:$P\""
expect_ms_below 1000
cli "$P" ping
[ "$CLI_RC" -ne 0 ] && t_ok || t_bad "redis-cli exit 0 against a stopped server"
expect_cli 'Connection refused'

case_ "loading its dataset: LOADING is not ready"
redis_start_loading 5
run_probe "$REDIS_LOADING_URL"
NOW=$(($(date +%s%N) / 1000000))
expect_fail_cause loading
expect_out '"error":"the server is loading its dataset: not ready yet","detail":\{"cause":"loading","server_version":"'"$VERSION"'"\},"hint":"Redis is reading its dataset'
expect_hint HINT_REDIS_LOADING
# redis-cli prints the LOADING error and exits 0: both say "not ready", but
# only its output, not its exit code, says so.
cli "$REDIS_LOADING_PORT" -a redis-pw-1 --no-auth-warning ping
expect_cli '^LOADING Redis is loading the dataset in memory'
[ "$CLI_RC" -eq 0 ] && t_ok || t_bad "redis-cli exited $CLI_RC while loading (it used to exit 0)"
[ "$NOW" -lt "$REDIS_LOADING_UNTIL" ] && t_ok || t_bad "checked at $NOW, after loading could end ($REDIS_LOADING_UNTIL)"
# Once loaded, it is ready.
for _ in $(seq 1 300); do
	cli "$REDIS_LOADING_PORT" -a redis-pw-1 --no-auth-warning ping
	[ "$CLI" = PONG ] && break
	sleep 0.1
done
run_probe "$REDIS_LOADING_URL"
expect_rc 0
redis_stop_loading

case_ "a listener that never answers: timeout by the deadline"
silent_start
run_probe --timeout 1s "redis://:redis-pw-1@127.0.0.1:$SILENT_PORT/0"
expect_fail_cause timeout
expect_out '"error":"no reply to AUTH within [0-9]+ ms: the server accepted the connection but does not answer"'
expect_ms_below 1500
run_probe --timeout 1s "redis://127.0.0.1:$SILENT_PORT" timeout=300ms
expect_fail_cause timeout
expect_out '"error":"no reply to PING within'
expect_ms_below 800
cli "$SILENT_PORT" ping
[ "$CLI_RC" -eq 124 ] && t_ok || t_bad "redis-cli did not hang on a silent server (rc=$CLI_RC)"
silent_stop

case_ "an HTTP server on the port: protocol"
HTTP_PORT=$(free_port)
start_bg garbage "$PYTHON" -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); c.sendall(b"HTTP/1.1 200 OK\r\n\r\n"); c.close()
' "$HTTP_PORT"
wait_port "$HTTP_PORT"
run_probe "redis://:redis-pw-1@127.0.0.1:$HTTP_PORT/0"
expect_fail_cause protocol
expect_out '"error":"not a Redis server: it answered \\"HTTP/1.1 200 OK\\" \(an HTTP server\)"'
cli "$HTTP_PORT" ping
expect_cli 'Protocol error, got "H" as reply type byte'

case_ "a TLS-only Redis port: redis:// is reset, rediss:// is not in this build"
if command -v openssl >/dev/null &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T_DIR/key.pem" -out "$T_DIR/cert.pem" \
		-days 1 -subj /CN=localhost >/dev/null 2>&1; then
	TLS_PORT=$(free_port)
	start_bg redis-tls redis-server --port 0 --tls-port "$TLS_PORT" --bind 127.0.0.1 \
		--tls-cert-file "$T_DIR/cert.pem" --tls-key-file "$T_DIR/key.pem" \
		--tls-ca-cert-file "$T_DIR/cert.pem" --tls-auth-clients no --save '' \
		--appendonly no --dir "$T_DIR" --logfile ''
	wait_port "$TLS_PORT"
	run_probe "redis://127.0.0.1:$TLS_PORT"
	expect_rc 1
	expect_out '"error":"the server (reset the connection|closed the connection) without answering PING".*"hint":"[^"]*the port expects TLS \(rediss://\)"'
	expect_hint HINT_REDIS_CLOSED
	cli "$TLS_PORT" ping
	expect_cli 'Connection reset by peer|Server closed the connection'
	cli "$TLS_PORT" --tls --insecure ping
	expect_cli '^PONG$'
	run_probe "rediss://127.0.0.1:$TLS_PORT"
	expect_fail_cause tls
	expect_out '"error":"rediss:// \(Redis over TLS\) is not supported by this build of probe"'
else
	echo "redis.sh: no openssl to make a certificate; TLS port case skipped"
fi

finish
