#!/usr/bin/env bash
# postgres.sh - postgres:// and postgresql[+driver]:// against real
# PostgreSQL 15 servers from tests/servers/db.sh: ready, starting up, a
# standby that takes no connections, TLS-only, stopped, and a silent
# listener.  Each situation asserts probe's exit code and JSON report line,
# and compares with pg_isready in the same run: where they should agree
# they must, and where they legitimately differ a comment says why.
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

ISREADY="$DB_PG_BIN/pg_isready"
BOUND=1500 # ms: a run with --timeout 1s must end within this

# isready PORT [options]: runs pg_isready as a user would, sets IR_RC, IR_OUT.
isready() {
	local port=$1
	shift
	set +e
	IR_OUT=$("$ISREADY" -h 127.0.0.1 -p "$port" -U app -d app -t 2 "$@" 2>&1)
	IR_RC=$?
	set -e
}
expect_isready() {
	if [ "$IR_RC" = "$1" ]; then t_ok; else t_bad "pg_isready exit $IR_RC ($IR_OUT), want $1"; fi
}
# The check's report line: result, error, then cause (and code).
expect_fail() { # ERROR-REGEX CAUSE
	expect_out "^\\{\"check\":\"postgres\",.*\"result\":\"fail\",\"ms\":[0-9.]+,\"error\":\"$1"
	expect_out "\"detail\":\\{[^}]*\"cause\":\"$2\""
}
expect_pass() {
	expect_out '^\{"probe":"healthy","failed":0,"passed":1,'
	expect_out '^\{"check":"postgres",.*"level":"ready","result":"pass",.*"detail":\{"server_version":"15\.[0-9]+","rows":1\}'
}

pg_start
pg_start_starting_up
pg_start_standby_nohot
silent_start
URL="postgresql://app:app-pw-1@127.0.0.1:$PG_PORT/app"
DEAD=$(free_port)

case_ "up: probe and pg_isready both pass"
run_probe "$PG_URL"
expect_rc 0
expect_pass
expect_out "\"target\":\"postgresql://app:\\*\\*\\*@127.0.0.1:$PG_PORT/app\""
isready "$PG_PORT"
expect_isready 0

case_ "SQLAlchemy URL forms: the +driver is ignored"
for scheme in postgres postgresql postgresql+psycopg2 postgresql+asyncpg postgresql+psycopg \
	postgresql+pg8000; do
	run_probe "$scheme://app:app-pw-1@127.0.0.1:$PG_PORT/app"
	expect_rc 0
	expect_pass
done
# asyncpg's ssl= stands for sslmode=; psycopg2's sslmode= is libpq's own
run_probe "postgresql+asyncpg://app:app-pw-1@127.0.0.1:$PG_PORT/app?ssl=disable"
expect_rc 0
run_probe "$URL?sslmode=disable&application_name=web&connect_timeout=10"
expect_rc 0

case_ "a Unix socket: host=/dir in the query"
run_probe "postgresql://app:app-pw-1@/app?host=$PG_SOCKET_DIR&port=$PG_PORT"
expect_rc 0
expect_pass
run_probe "postgresql://app:app-pw-1@/app?host=$T_DIR/nowhere&port=$PG_PORT"
expect_rc 1
expect_fail "no server socket at $T_DIR/nowhere/.s.PGSQL.$PG_PORT" refused

case_ "nothing listens: both fail, probe at once"
run_probe "postgresql://app:app-pw-1@127.0.0.1:$DEAD/app"
expect_rc 1
expect_ms_below 1000
expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,"skipped":0,'
expect_fail "connection refused by 127.0.0.1:$DEAD\"" refused
expect_hint HINT_REFUSED
isready "$DEAD"
expect_isready 2

case_ "wrong password: probe fails, the password never shows"
for fmt in json text logfmt; do
	run_probe --format "$fmt" "postgresql://app:wrong-pw-9@127.0.0.1:$PG_PORT/app"
	expect_rc 1
	case "$OUT$STDOUT" in *wrong-pw-9*) t_bad "the password shows ($fmt)" ;; *) t_ok ;; esac
done
run_probe "postgresql+asyncpg://app:wrong-pw-9@127.0.0.1:$PG_PORT/app"
expect_fail 'authentication failed for user \\"app\\" \(28P01\)"' auth
expect_out '"code":"28P01"'
expect_hint HINT_SQL_AUTH
# pg_isready never authenticates: a server that answers is "accepting
# connections" to it, whatever the password.  probe logs in, so it fails.
isready "$PG_PORT"
expect_isready 0
run_probe "postgresql://app@127.0.0.1:$PG_PORT/app"
expect_rc 1
expect_fail 'authentication failed for user \\"app\\": the server asks for a password and the URL has none' auth
run_probe "postgresql://nosuchrole:x-pw-1@127.0.0.1:$PG_PORT/app"
expect_fail 'authentication failed for user \\"nosuchrole\\" \(28P01\)' auth

case_ "missing database"
run_probe "postgresql://app:app-pw-1@127.0.0.1:$PG_PORT/nosuchdb"
expect_rc 1
expect_fail 'database \\"nosuchdb\\" does not exist \(3D000\)' no_database
expect_hint HINT_SQL_NO_DATABASE
# pg_isready counts any answer but "not yet" as accepting: it passes.
isready "$PG_PORT" -d nosuchdb
expect_isready 0

case_ "starting up (57P03): both say not yet"
run_probe "postgresql://app:app-pw-1@127.0.0.1:$PG_STARTUP_PORT/app"
expect_rc 1
expect_ms_below 1000
expect_fail 'the server is starting up \(57P03\): not ready yet"' starting
expect_out '"code":"57P03"'
expect_hint HINT_SQL_STARTING
isready "$PG_STARTUP_PORT"
expect_isready 1

case_ "a standby with hot_standby=off (57P03): both say not yet"
run_probe "postgresql://app:app-pw-1@127.0.0.1:$PG_NOHOT_PORT/app"
expect_rc 1
expect_fail 'the server is not ready \(57P03\): the database system is not accepting connections; Hot standby mode is disabled.' starting
isready "$PG_NOHOT_PORT"
expect_isready 1

case_ "a silent listener: ends in time with a timeout; pg_isready has no response"
run_probe --timeout 1s "postgresql://app:app-pw-1@127.0.0.1:$SILENT_PORT/app"
expect_rc 1
expect_ms_below $BOUND
expect_fail "no answer from the server at 127.0.0.1:$SILENT_PORT within [0-9]+ ms: it accepted the connection but did not finish the handshake" timeout
expect_hint HINT_SQL_SILENT
isready "$SILENT_PORT" -t 1
expect_isready 2

case_ "a listener that accepts and hangs up (docker-proxy before the server listens)"
CLOSER=$(free_port)
start_bg closer "$PYTHON" -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
while True:
    s.accept()[0].close()
' "$CLOSER"
wait_port "$CLOSER"
run_probe "postgresql://app:app-pw-1@127.0.0.1:$CLOSER/app"
expect_rc 1
expect_ms_below 1000
expect_fail "the server at 127.0.0.1:$CLOSER closed the connection during the handshake: it may be starting" closed
expect_hint HINT_SQL_CLOSED
isready "$CLOSER"
expect_isready 2

case_ "query="
run_probe "$URL" "query=SELECT 1 FROM nonexistent"
expect_rc 1
expect_fail 'relation \\"nonexistent\\" does not exist \(42P01\)' no_table
expect_out '"detail":\{"server_version":"15\.[0-9]+","cause":"no_table","code":"42P01"\}'
run_probe "$URL" "query=SELECT 1/0"
expect_rc 1
expect_fail 'query failed \(22012\): division by zero' query
run_probe "$URL" "query=SELEC 1"
expect_fail 'query failed \(42601\): syntax error at or near \\"SELEC\\"' query
run_probe "$URL" "query=SELECT relname FROM pg_class WHERE relname LIKE 'pg_%' ORDER BY 1"
expect_rc 0
expect_out '"rows":[1-9][0-9]+'
run_probe "$URL" "query=SELECT NULL"
expect_rc 0
run_probe "$URL" "query=SELECT 1; SELECT 2"
expect_rc 0
expect_out '"rows":2'
run_probe --timeout 1s "$URL" "query=SELECT pg_sleep(5)"
expect_rc 1
expect_ms_below $BOUND
expect_fail 'the query did not finish within [0-9]+ ms' timeout

case_ "too many connections (a role's connection limit, 53300)"
"$DB_PG_BIN/psql" -X -q -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres \
	-c "CREATE ROLE capped LOGIN PASSWORD 'capped-pw-1' CONNECTION LIMIT 0"
run_probe "postgresql://capped:capped-pw-1@127.0.0.1:$PG_PORT/app"
expect_rc 1
expect_fail 'the server has no free connection slot \(53300\): too many connections for role \\"capped\\"' too_many_connections
# pg_isready does not log in: the server answers, so it is "accepting".
isready "$PG_PORT" -U capped
expect_isready 0

case_ "sslmode=require against a server without TLS"
run_probe "$URL?sslmode=require"
expect_rc 1
expect_fail "the server does not support TLS, but the URL's sslmode requires it" tls
expect_hint HINT_SQL_TLS_UNSUPPORTED
# pg_isready with the same requirement gets no connection at all.
PGSSLMODE=require isready "$PG_PORT"
expect_isready 2

case_ "usage errors before any I/O"
run_probe "$URL?sslmode=maybe"
expect_rc 64
expect_out 'sslmode=maybe: expected disable'
run_probe "$URL?target_session_attrs=fast"
expect_rc 64
run_probe "postgresql://app:app-pw-1@/app?host=/run&port=http"
expect_rc 64
run_probe "$URL" "query="
expect_rc 64

case_ "checks side by side share nothing"
run_probe "$URL" name=a "$URL" name=b "$PG_URL?sslmode=disable" name=c \
	"postgresql://app:app-pw-1@127.0.0.1:$PG_STARTUP_PORT/app" name=d
expect_rc 1
expect_out '"failed":1,"passed":3,'
expect_out '"name":"d",.*"cause":"starting"'

if [ -e /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
	case_ "IPv6 [::1]: the server listens on 127.0.0.1 only"
	run_probe "postgresql://app:app-pw-1@[::1]:$PG_PORT/app"
	expect_rc 1
	expect_fail "connection refused by \\[::1\\]:$PG_PORT\"" refused
fi

# A TLS-only server: hostssl lines alone, a self-signed certificate.  db.sh
# has no public start for it, so this uses its _pg_run with postgres -c
# options (and its cleanup).
if command -v openssl >/dev/null && declare -F _pg_run >/dev/null; then
	case_ "a TLS-only server"
	tls="$T_DIR/tls"
	mkdir -p "$tls"
	chmod 755 "$tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$tls/server.key" -out "$tls/server.crt" 2>/dev/null
	printf 'local all postgres trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n' >"$tls/hba.conf"
	chmod 600 "$tls/server.key"
	chmod 644 "$tls/server.crt" "$tls/hba.conf"
	[ -z "$_PG_USER" ] || chown "$_PG_USER" "$tls/server.key"
	_pg_run pg-tls ready -c ssl=on -c "ssl_cert_file=$tls/server.crt" \
		-c "ssl_key_file=$tls/server.key" -c "hba_file=$tls/hba.conf"
	TLS_PORT=$_PG_PORT
	"$DB_PG_BIN/psql" -X -q -h "$T_DIR/pg-tls/run" -p "$TLS_PORT" -U postgres -d postgres \
		-c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app')
		    THEN CREATE ROLE app LOGIN PASSWORD 'app-pw-1'; END IF; END \$\$"
	TURL="postgresql://app:app-pw-1@127.0.0.1:$TLS_PORT/postgres"
	run_probe "$TURL"
	expect_rc 0
	run_probe "$TURL?sslmode=require"
	expect_rc 0
	run_probe "$TURL?sslmode=verify-full&sslrootcert=$tls/server.crt"
	expect_rc 0
	run_probe "$TURL?sslmode=disable"
	expect_rc 1
	expect_fail 'the server refuses unencrypted connections from this client \(28000\): no pg_hba.conf entry for host \\"127.0.0.1\\", user \\"app\\", database \\"postgres\\", no encryption' tls
	expect_hint HINT_SQL_TLS_REQUIRED
	HOME=$T_DIR run_probe "$TURL?sslmode=verify-full"
	expect_rc 1
	expect_fail "cannot verify the server's TLS certificate: root certificate file" tls
	run_probe "$TURL?sslmode=verify-ca&sslrootcert=/etc/ssl/certs/ca-certificates.crt"
	expect_rc 1
	expect_fail "cannot verify the server's TLS certificate: SSL error: certificate verify failed" tls
	# pg_isready (prefer) answers 0 as probe does; with sslmode=disable it
	# still says "accepting": the server answered, if only to refuse.
	isready "$TLS_PORT"
	expect_isready 0
	PGSSLMODE=disable isready "$TLS_PORT"
	expect_isready 0
fi

case_ "stopped: both fail"
pg_stop
run_probe "$PG_URL"
expect_rc 1
expect_ms_below 1000
expect_fail "connection refused by 127.0.0.1:$PG_PORT\"" refused
isready "$PG_PORT"
expect_isready 2

finish
