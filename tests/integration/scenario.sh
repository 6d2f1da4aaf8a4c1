#!/usr/bin/env bash
# scenario.sh - the health check a user writes for a web app,
#   probe http://127.0.0.1:$P/health listen://:$P public=yes env:APP_KEY
# in each situation a deploy goes wrong in, against real servers: the exit
# code, the line that says what broke, and the time it took.
set -eu
. "$TESTLIB"

KEY='k3y-v4lue-never-printed'
P=$(free_port)

app() { # app MODE HOST: (re)starts the app on $P
	[ -n "${APP:-}" ] && { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; }
	"$PYTHON" "$SERVERS/httpd.py" --port "$P" --host "$2" --mode "$1" >"$T_DIR/app.log" 2>&1 &
	APP=$!
	T_PIDS+=("$APP")
	wait_port "$P" "$([ "$2" = "::" ] && echo ::1 || echo 127.0.0.1)"
}
stop_app() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; APP=; }
check() { run_probe --timeout 1s "http://127.0.0.1:$P/health" "listen://:$P" public=yes env:APP_KEY; }
never_key() { case "$OUT" in *"$KEY"*) t_bad "APP_KEY's value printed" ;; *) t_ok ;; esac; }

case_ "healthy: bound to 0.0.0.0, /health answers, APP_KEY set"
app good 0.0.0.0
APP_KEY=$KEY check
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":3,"skipped":0'
expect_out "\"check\":\"listen\".*\"result\":\"pass\".*\"bound\":\\[\"0.0.0.0\"\\]"
never_key

case_ "healthy on :: (IPv6 wildcard counts as public)"
app good ::
APP_KEY=$KEY check
expect_rc 0
expect_out '"bound":\["::"\]'

case_ "bound to 127.0.0.1 only"
app good 127.0.0.1
APP_KEY=$KEY check
expect_rc 1
expect_out '"check":"listen".*"result":"fail".*"error":"bound to loopback only \(127.0.0.1\): unreachable from outside the container".*"hint":"bound to loopback only: unreachable from outside the container; bind 0.0.0.0"'
expect_out '"check":"http".*"result":"pass"'

case_ "APP_KEY unset"
app good 0.0.0.0
unset APP_KEY
check
expect_rc 1
expect_out '"check":"env".*"result":"fail".*"error":"APP_KEY is not set".*"hint":"set it in the service'

case_ "/health 404s while / answers"
app notfound 0.0.0.0
APP_KEY=$KEY check
expect_rc 1
expect_out '"check":"http".*"result":"fail".*"error":"status 404, expected 200-399".*"detail":\{"status":404,"bytes":[0-9]+\}.*"hint":"the server answers but not this route'

case_ "empty body"
app empty 0.0.0.0
APP_KEY=$KEY check
expect_rc 1
expect_out '"check":"http".*"result":"fail".*"error":"empty body'

case_ "the app hangs"
app silent 0.0.0.0
APP_KEY=$KEY check
expect_rc 1
expect_out '"check":"http".*"result":"fail".*"error":"timed out'
expect_ms_below 1500

case_ "the app is not running: http is skipped, caused by listen"
stop_app
APP_KEY=$KEY check
expect_rc 1
expect_out "\"check\":\"listen\".*\"result\":\"fail\".*\"error\":\"nothing listens on port $P\""
expect_out "\"check\":\"http\".*\"result\":\"skip\".*\"cause\":\"listen://:$P\""
never_key

case_ "\$PORT injected by the platform but the app listens elsewhere"
Q=$(free_port)
"$PYTHON" "$SERVERS/httpd.py" --port "$Q" --host 0.0.0.0 --mode good >/dev/null 2>&1 &
T_PIDS+=("$!")
wait_port "$Q"
PORT=$P APP_KEY=$KEY run_probe --timeout 1s 'http://127.0.0.1:${PORT}/health' 'listen://:${PORT}' public=yes env:PORT
expect_rc 1
expect_out "\"error\":\"nothing listens on \\\$PORT=$P; listening: .*$Q.*\".*\"hint\":\"\\\$PORT is set to this port but the app listens elsewhere"
# A port is no secret: env:PORT must not mask it everywhere.
expect_out "\"name\":\"listen://:$P\""

finish
