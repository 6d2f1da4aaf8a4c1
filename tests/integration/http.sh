#!/usr/bin/env bash
# http.sh - http:// and https:// against tests/servers/httpd.py in each of
# its modes.  Every case asserts the exit code, the check's JSON report line
# (error, detail, hint) and the time bound: probe runs with --timeout 1s and
# must end within BOUND ms whatever the server does.
set -eu
. "$TESTLIB"

# The checks must see neither a proxy nor a CA bundle from the caller.
unset SSL_CERT_FILE SSL_CERT_DIR http_proxy https_proxy HTTP_PROXY HTTPS_PROXY \
	ALL_PROXY all_proxy NO_PROXY no_proxy 2>/dev/null || true

SRC=$(cd "$SERVERS/../.." && pwd)
HTTPD="$SERVERS/httpd.py"
BOUND=1500

run_http() { run_probe --format json --timeout 1s "$@"; }

# Escapes a literal for grep -E.
re_escape() { printf '%s' "$1" | sed 's/[][\.*^$?+(){}|/]/\\&/g'; }

# The JSON line of the check named $1, up to where a pattern follows.
line() { printf '"name":"%s".*' "$(re_escape "$1")"; }

# The text of hint $1 (an enum name), as the report prints it, as a regex:
# read from probe/hints.c so that rewording a hint does not break this test.
hint() {
	"$PYTHON" - "$SRC/probe/hints.c" "$1" <<'PY'
import json, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"\[" + re.escape(sys.argv[2]) + r"\]\s*=\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+)", src)
if not m:
    sys.exit("no hint " + sys.argv[2])
text = "".join(s.encode("latin-1", "backslashreplace").decode("unicode_escape")
               for s in re.findall(r"\"((?:[^\"\\]|\\.)*)\"", m.group(1)))
text = json.dumps(text, ensure_ascii=False)[1:-1]
print("".join("\\" + c if c in "\\.[]()*+?{}|^$" else c for c in text), end="")
PY
}

expect_pass() { expect_out "$(line "$1")\"result\":\"pass\""; }
expect_fail() { expect_out "$(line "$1")\"result\":\"fail\".*\"error\":\"$2"; }
expect_hint() { expect_out "$(line "$1").*\"hint\":\"$(hint "$2")\""; }
expect_detail() { expect_out "$(line "$1").*\"detail\":\\{$2\\}"; }

ipv6_ok() {
	"$PYTHON" -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null
}

GOOD=$(free_port)
NF=$(free_port)
EMPTY=$(free_port)
SILENT=$(free_port)
TRICKLE=$(free_port)
ENDLESS=$(free_port)
GARBAGE=$(free_port)
RESET=$(free_port)
DEAD=$(free_port)
for mode in good:$GOOD notfound:$NF empty:$EMPTY silent:$SILENT trickle:$TRICKLE \
	endless:$ENDLESS garbage:$GARBAGE reset:$RESET; do
	start_bg "${mode%%:*}" "$PYTHON" "$HTTPD" --port "${mode#*:}" --mode "${mode%%:*}"
done
for port in $GOOD $NF $EMPTY $SILENT $TRICKLE $ENDLESS $GARBAGE $RESET; do
	wait_port "$port"
done
U="http://127.0.0.1"

# --- good ----------------------------------------------------------------

case_ "good /health: passes with status and bytes"
run_http "$U:$GOOD/health"
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":1,"skipped":0'
expect_out "$(line "$U:$GOOD/health")\"target\":\"$(re_escape "$U:$GOOD/health")\",\"level\":\"live\",\"result\":\"pass\""
expect_detail "$U:$GOOD/health" '"status":200,"bytes":32'
expect_no_out '"error"'
expect_ms_below $BOUND

case_ "status=200 body=ok json=.status=ok"
run_http "$U:$GOOD/health" name=h status=200 body=ok json=.status=ok
expect_rc 0
expect_pass h
expect_ms_below $BOUND

case_ "json=.db.up=true, json=.db.up (exists), body~ anchored"
run_http "$U:$GOOD/health" name=h json=.db.up=true json=.db.up 'body~=^\{"status":"(ok|up)"'
expect_rc 0
expect_pass h
expect_ms_below $BOUND

case_ "json=.db.up=false: the value as written"
run_http "$U:$GOOD/health" name=h json=.db.up=false
expect_rc 1
expect_fail h 'json \.db\.up is true, expected \\"false\\""'
expect_hint h HINT_HTTP_BODY
expect_detail h '"status":200,"bytes":32'
expect_ms_below $BOUND

case_ "json=.status=ok against a degraded answer"
run_http "$U:$GOOD/degraded" name=h json=.status=ok
expect_rc 1
expect_fail h 'json \.status is \\"degraded\\", expected \\"ok\\""'
expect_hint h HINT_HTTP_BODY
expect_ms_below $BOUND

case_ "json= path missing"
run_http "$U:$GOOD/health" name=h json=.db.latency
expect_rc 1
expect_fail h 'json \.db\.latency is missing"'
expect_ms_below $BOUND

case_ "json= against a body that is not JSON"
run_http "$U:$GOOD/" name=h json=.status=ok
expect_rc 1
expect_fail h "body is not JSON: unexpected 'h', expected a value at byte 0 \\(it begins: home\\)\""
expect_hint h HINT_HTTP_BODY
expect_ms_below $BOUND

case_ "body= text absent"
run_http "$U:$GOOD/health" name=h body=healthy
expect_rc 1
expect_fail h 'body does not contain \\"healthy\\" \(it begins: \{\\"status\\":\\"ok\\",\\"db\\":\{\\"up\\":true\}\}\)"'
expect_hint h HINT_HTTP_BODY
expect_ms_below $BOUND

case_ "body~= no match"
run_http "$U:$GOOD/health" name=h 'body~=degraded|down'
expect_rc 1
expect_fail h 'body does not match /degraded\|down/'
expect_hint h HINT_HTTP_BODY
expect_ms_below $BOUND

case_ "expect-header present and equal; missing"
run_http "$U:$GOOD/health" name=h expect-header=x-health:ok expect-header=Content-Type
expect_rc 0
expect_pass h
run_http "$U:$GOOD/health" name=h expect-header=X-Version
expect_rc 1
expect_fail h 'no X-Version header in the response"'
expect_hint h HINT_HTTP_HEADER
run_http "$U:$GOOD/health" name=h expect-header=X-Health:bad
expect_rc 1
expect_fail h 'header X-Health is \\"ok\\", expected \\"bad\\""'
expect_ms_below $BOUND

case_ "method=HEAD: no body needed"
run_http "$U:$GOOD/health" name=h method=HEAD
expect_rc 0
expect_pass h
expect_detail h '"status":200,"bytes":0'
expect_ms_below $BOUND

case_ "status 500: the 5xx hint"
run_http "$U:$GOOD/status/500" name=h
expect_rc 1
expect_fail h 'status 500, expected 200-399"'
expect_hint h HINT_HTTP_5XX
expect_detail h '"status":500,"bytes":10'
run_http "$U:$GOOD/status/503" name=h status=503
expect_rc 0
expect_pass h
expect_ms_below $BOUND

case_ "400, 401, 403, 429, 502, 503, 504: each status its own hint; 501 the app's error"
for c in 400:HINT_HTTP_400 401:HINT_HTTP_401 403:HINT_HTTP_403 429:HINT_HTTP_429 \
	502:HINT_HTTP_GATEWAY 503:HINT_HTTP_503 504:HINT_HTTP_GATEWAY 501:HINT_HTTP_5XX; do
	code=${c%%:*}
	CASE="status $code: ${c#*:}"
	run_http "$U:$GOOD/status/$code" name=h
	expect_rc 1
	expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,"skipped":0'
	expect_fail h "status $code, expected 200-399\""
	expect_detail h "\"status\":$code,\"bytes\":10"
	expect_ms_below $BOUND
done
run_http "$U:$GOOD/status/400" name=h
expect_hint h HINT_HTTP_400
run_http "$U:$GOOD/status/401" name=h
expect_hint h HINT_HTTP_401
run_http "$U:$GOOD/status/403" name=h
expect_hint h HINT_HTTP_403
run_http "$U:$GOOD/status/429" name=h
expect_hint h HINT_HTTP_429
run_http "$U:$GOOD/status/502" name=h
expect_hint h HINT_HTTP_GATEWAY
run_http "$U:$GOOD/status/504" name=h
expect_hint h HINT_HTTP_GATEWAY
run_http "$U:$GOOD/status/503" name=h
expect_hint h HINT_HTTP_503
run_http "$U:$GOOD/status/501" name=h
expect_hint h HINT_HTTP_5XX
# A status the check allows is no failure, and has no hint.
run_http "$U:$GOOD/status/401" name=h status=401
expect_rc 0
expect_pass h
expect_no_out '"hint":'

# --- notfound: the page is served, the route is not ------------------------

case_ "route 404 while / is 200"
run_http "$U:$NF/api/health" name=route "$U:$NF/" name=home
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":1,"passed":1,"skipped":0'
expect_fail route 'status 404, expected 200-399"'
expect_detail route '"status":404,"bytes":9'
expect_hint route HINT_HTTP_404_ROUTE
expect_pass home
# Failures come before passes (Docker keeps the first 4 KiB).
if printf '%s\n' "$OUT" | sed -n 2p | grep -q '"name":"route"'; then t_ok; else t_bad "the failure is not the first check line"; fi
expect_ms_below $BOUND

# --- empty bodies --------------------------------------------------------

case_ "empty body fails by default"
run_http "$U:$EMPTY/health" name=e
expect_rc 1
expect_fail e 'empty body \(0 bytes\), expected at least 1"'
expect_detail e '"status":200,"bytes":0'
expect_hint e HINT_HTTP_EMPTY
expect_ms_below $BOUND

case_ "min-bytes=0 passes an empty body; min-bytes=100 wants more"
run_http "$U:$EMPTY/health" name=e min-bytes=0
expect_rc 0
expect_pass e
run_http "$U:$GOOD/health" name=h min-bytes=100
expect_rc 1
expect_fail h 'body has 32 bytes, expected at least 100"'
expect_hint h HINT_HTTP_EMPTY
expect_ms_below $BOUND

# --- redirects -------------------------------------------------------------

case_ "a redirect passes by default (3xx is in 200-399)"
run_http "$U:$GOOD/redirect" name=r
expect_rc 0
expect_pass r
expect_detail r '"status":302,"bytes":0'
expect_ms_below $BOUND

case_ "204 and 304 need no body; an explicit min-bytes= still applies"
run_http "$U:$GOOD/status/204" name=n
expect_rc 0
expect_pass n
expect_detail n '"status":204,"bytes":0'
run_http "$U:$GOOD/status/304" name=n
expect_rc 0
expect_pass n
run_http "$U:$GOOD/redirect" name=n min-bytes=1
expect_rc 1
expect_fail n 'empty body \(0 bytes\), expected at least 1"'
expect_ms_below $BOUND

case_ "a redirect fails status=200"
run_http "$U:$GOOD/redirect" name=r status=200
expect_rc 1
expect_fail r 'status 302, expected 200"'
expect_hint r HINT_HTTP_REDIRECT
expect_ms_below $BOUND

case_ "follow=yes status=200 reaches /health"
run_http "$U:$GOOD/redirect" name=r status=200 follow=yes json=.status=ok
expect_rc 0
expect_pass r
expect_detail r "\"status\":200,\"bytes\":32,\"url_effective\":\"$(re_escape "$U:$GOOD/health")\""
expect_ms_below $BOUND

# --- servers that misbehave ------------------------------------------------

case_ "silent: accepts, never answers"
run_http "$U:$SILENT/health" name=s
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":1'
expect_fail s 'timed out after [0-9]+ ms waiting for the response \(0 bytes received\)"'
expect_hint s HINT_HTTP_SLOW
expect_ms_below $BOUND

case_ "trickle: one byte a second"
run_http "$U:$TRICKLE/health" name=t
expect_rc 1
expect_fail t 'timed out after [0-9]+ ms waiting for the response \([1-9][0-9]* bytes? received\)"'
expect_hint t HINT_HTTP_SLOW
expect_ms_below $BOUND

case_ "endless body: judged on the first MiB, with a warning"
run_http "$U:$ENDLESS/health" name=n body=yyy
expect_rc 0
expect_pass n
expect_detail n '"status":200,"bytes":1048576'
expect_out "$(line n).*\"warning\":\"body cut at 1 MiB: judged on its first 1048576 bytes\""
expect_ms_below $BOUND

case_ "a 2 MiB body with a length: cut the same way"
run_http "$U:$GOOD/big" name=b
expect_rc 0
expect_detail b '"status":200,"bytes":1048576'
expect_out "$(line b).*\"warning\":\"body cut at 1 MiB"
expect_ms_below $BOUND

case_ "body~= on 1 MiB: linear, whatever the pattern"
# glibc's regexec takes quadratic time on (x|xx)*y over a 1 MiB body of x.
run_http "$U:$GOOD/big" name=b 'body~=(x|xx)*y'
expect_rc 1
expect_out "$(line b).*\"error\":\"body does not match /\(x\|xx\)\*y/"
expect_ms_below $BOUND
run_http "$U:$GOOD/big" name=b 'body~=^(x|xx)*$'
expect_rc 0
expect_ms_below $BOUND

case_ "body~= that cannot finish in the time left: reported at the deadline"
run_http "$U:$GOOD/big" name=b 'body~=(a|b|c|d|e|x){255}y'
expect_rc 1
expect_out "$(line b).*\"error\":\"matching /.*/ against 1048576 bytes of body did not finish in time\""
expect_ms_below $BOUND

case_ "garbage: not HTTP"
run_http "$U:$GARBAGE/health" name=g
expect_rc 1
expect_fail g 'the answer is not HTTP: '
expect_hint g HINT_HTTP_NOT_HTTP
expect_no_out '"detail"'
expect_ms_below $BOUND

case_ "reset: RST after the request"
run_http "$U:$RESET/health" name=r
expect_rc 1
expect_fail r 'the server reset the connection'
expect_hint r HINT_HTTP_CLOSED
expect_ms_below $BOUND

case_ "refused: nothing listens"
run_http "$U:$DEAD/health" name=d
expect_rc 1
expect_fail d "connection refused: nothing listens on port $DEAD \\(127\\.0\\.0\\.1:$DEAD\\)\""
expect_hint d HINT_REFUSED
expect_ms_below $BOUND

case_ "a name that does not resolve"
run_http "http://no-such-host.invalid:8080/health" name=n
expect_rc 1
expect_fail n '(cannot resolve|resolving) no-such-host\.invalid'
expect_hint n HINT_DNS
expect_out "$(line n)\"target\":\"http://no-such-host\\.invalid:8080/health\",\"level\":\"ready\""
expect_ms_below $BOUND

case_ "full accept queue: the connect times out"
FULL=$(free_port)
start_bg full "$PYTHON" "$HTTPD" --port "$FULL" --mode full
# wait_port would time out too: wait for the server's ready line instead.
for i in $(seq 1 100); do
	grep -q '^ready' "$T_DIR/full.log" 2>/dev/null && break
	sleep 0.1
done
run_http "$U:$FULL/health" name=f
expect_rc 1
expect_fail f "connect to 127\\.0\\.0\\.1:$FULL timed out after [0-9]+ ms\""
expect_hint f HINT_TIMEOUT
expect_no_out '"detail"'
expect_ms_below $BOUND

case_ "all at once: the deadline holds for concurrent checks"
run_http "$U:$SILENT/" name=s "$U:$TRICKLE/" name=t "$U:$ENDLESS/" name=n "$U:$GOOD/health" name=h
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":2,"passed":2,"skipped":0'
expect_fail s 'timed out after'
expect_fail t 'timed out after'
expect_pass n
expect_pass h
expect_ms_below $BOUND

# --- secrets ---------------------------------------------------------------

TOKEN=SECRETTOKEN123
case_ "header=Authorization reaches the server"
run_http "$U:$GOOD/headers" name=a "header=Authorization:Bearer $TOKEN" body=$TOKEN
expect_rc 0
expect_pass a
expect_ms_below $BOUND

case_ "the token never appears, even when a failure quotes the echo"
run_http "$U:$GOOD/headers" name=a "header=Authorization:Bearer $TOKEN" json=.authorization=x \
	"$U:$GOOD/status/500" "header=Authorization:Bearer $TOKEN" \
	"$U:$GOOD/headers" name=k "header=X-Api-Key:$TOKEN" json=.x-api-key=x
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":3'
expect_fail a 'json \.authorization is \\"\*\*\*\\", expected \\"x\\""'
expect_fail k 'json \.x-api-key is \\"\*\*\*\\", expected \\"x\\""'
expect_no_out "$TOKEN"
expect_ms_below $BOUND

case_ "a URL password never appears"
run_http "http://u:hunter2pass@127.0.0.1:$GOOD/status/500"
expect_rc 1
expect_out "\"name\":\"http://u:\\*\\*\\*@127\\.0\\.0\\.1:$GOOD/status/500\".*\"result\":\"fail\""
expect_out "\"target\":\"http://u:\\*\\*\\*@127\\.0\\.0\\.1:$GOOD/status/500\""
expect_no_out hunter2pass
expect_ms_below $BOUND

# --- host= -----------------------------------------------------------------

case_ "host= sets the Host header"
run_http "$U:$GOOD/headers" name=h host=app.example.test 'body="host": "app.example.test"'
expect_rc 0
expect_pass h
expect_ms_below $BOUND

# --- TLS -------------------------------------------------------------------

if command -v openssl >/dev/null 2>&1; then
	TLS=$(free_port)
	C="$T_DIR/tls"
	mkdir -p "$C"
	(
		cd "$C"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout ca.key -out ca.crt -days 2 -subj "/CN=probe test CA"
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout srv.key -out srv.csr -subj "/CN=localhost"
		printf 'subjectAltName=DNS:localhost,DNS:probe.test,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\n' >ext.cnf
		openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
			-out srv.crt -days 2 -extfile ext.cnf
	) >"$T_DIR/openssl.log" 2>&1
	start_bg tls "$PYTHON" "$HTTPD" --port "$TLS" --mode tls --cert "$C/srv.crt" --key "$C/srv.key"
	wait_port "$TLS"
	S="https://127.0.0.1:$TLS"

	case_ "https with cacert=: passes"
	run_http "$S/health" name=t cacert="$C/ca.crt" json=.db.up=true
	expect_rc 0
	expect_pass t
	expect_detail t '"status":200,"bytes":32'
	expect_ms_below $BOUND

	case_ "https with SSL_CERT_FILE: passes"
	SSL_CERT_FILE="$C/ca.crt" run_http "$S/health" name=t
	expect_rc 0
	expect_pass t
	expect_ms_below $BOUND

	case_ "https without a CA for it: not trusted"
	run_http "$S/health" name=t
	expect_rc 1
	expect_fail t 'TLS certificate not trusted: '
	expect_hint t HINT_TLS_VERIFY
	expect_ms_below $BOUND

	case_ "https insecure=yes: passes"
	run_http "$S/health" name=t insecure=yes
	expect_rc 0
	expect_pass t
	expect_ms_below $BOUND

	case_ "https cacert= unreadable"
	run_http "$S/health" name=t cacert="$C/missing.crt"
	expect_rc 1
	expect_fail t "cannot read the CA file $(re_escape "$C/missing.crt") \\(cacert=\\): No such file or directory\""
	expect_hint t HINT_TLS_NO_CA
	SSL_CERT_FILE="$C/missing.crt" run_http "$S/health" name=t
	expect_rc 1
	expect_fail t "cannot read the CA file .*\\(SSL_CERT_FILE\\)"
	expect_ms_below $BOUND

	case_ "https host=: SNI, verification and Host use the name"
	run_http "$S/headers" name=t cacert="$C/ca.crt" host=probe.test 'body="host": "probe.test"'
	expect_rc 0
	expect_pass t
	run_http "$S/headers" name=t cacert="$C/ca.crt" host=wrong.test
	expect_rc 1
	expect_fail t 'TLS certificate not trusted: .*wrong\.test'
	expect_hint t HINT_TLS_VERIFY
	expect_ms_below $BOUND

	case_ "https to a plain http port: the TLS hint"
	run_http "https://127.0.0.1:$GOOD/health" name=t insecure=yes
	expect_rc 1
	expect_fail t "TLS handshake with 127\\.0\\.0\\.1:$GOOD failed: "
	expect_hint t HINT_TLS_PLAIN
	expect_ms_below $BOUND
else
	echo "http.sh: no openssl command: TLS cases skipped" >&2
fi

# --- IPv6 ------------------------------------------------------------------

if ipv6_ok; then
	V6=$(free_port)
	start_bg v6 "$PYTHON" "$HTTPD" --port "$V6" --host :: --mode good
	wait_port "$V6" ::1

	case_ "bracketed IPv6 against a server on ::"
	run_http "http://[::1]:$V6/health" json=.status=ok
	expect_rc 0
	expect_out "\"name\":\"http://\\[::1\\]:$V6/health\",\"target\":\"http://\\[::1\\]:$V6/health\",\"level\":\"live\",\"result\":\"pass\""
	expect_ms_below $BOUND

	case_ "bracketed IPv6, refused"
	run_http "http://[::1]:$DEAD/health" name=v
	expect_rc 1
	expect_fail v "connection refused: nothing listens on port $DEAD \\(\\[::1\\]:$DEAD\\)\""
	expect_ms_below $BOUND
else
	echo "http.sh: no IPv6 loopback here: IPv6 cases skipped" >&2
fi

# --- usage errors: before any I/O ------------------------------------------

case_ "bad option values exit 64 naming the check and the option"
run_http "$U:$GOOD/" name=x status=abc
expect_rc 64
expect_out '"error":"x: status=.abc.: expected codes 100-599'
run_http "$U:$GOOD/" name=x 'body~=('
expect_rc 64
expect_out '"error":"x: body~=\(: not a regular expression'
run_http "$U:$GOOD/" name=x json=status
expect_rc 64
expect_out '"error":"x: json=.status.: a path starts with'
run_http "http://127.0.0.1:0/" name=x
expect_rc 64
expect_out '"error":"x: port must be a number from 1 to 65535"'
run_http "http://::1:80/"
expect_rc 64
expect_out 'write an IPv6 address in brackets'
run_http "$U:$GOOD/" name=x header=NoColon
expect_rc 64
expect_out '"error":"x: header=: .NoColon.: expected Name:Value"'

finish
