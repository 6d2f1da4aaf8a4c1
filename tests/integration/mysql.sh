#!/usr/bin/env bash
# mysql.sh - mysql[+driver]:// and mariadb:// against real MariaDB 10.11
# servers from tests/servers/db.sh: ready, initialising (the port accepts
# but no greeting comes), TLS-enabled, stopped, and a silent listener.
# Each situation asserts probe's exit code and JSON report line, and
# compares with `mysqladmin ping` in the same run: where they should agree
# they must, and where they legitimately differ a comment says why.
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

BOUND=1500 # ms: a run with --timeout 1s must end within this

# ping PORT [USER PASSWORD]: mysqladmin ping as a user would; sets MA_RC, MA_OUT.
ping_() {
	set +e
	MA_OUT=$(mysqladmin --no-defaults --connect-timeout=1 -h127.0.0.1 -P"$1" \
		-u"${2:-app}" -p"${3:-app-pw-1}" ping 2>&1)
	MA_RC=$?
	set -e
}
expect_ping() { # RC [REGEX]
	if [ "$MA_RC" = "$1" ]; then t_ok; else t_bad "mysqladmin exit $MA_RC ($MA_OUT), want $1"; fi
	if [ -n "${2:-}" ]; then
		if printf '%s\n' "$MA_OUT" | grep -Eq -- "$2"; then t_ok; else t_bad "mysqladmin said: $MA_OUT"; fi
	fi
}
expect_fail() { # ERROR-REGEX CAUSE
	expect_out "^\\{\"check\":\"mysql\",.*\"result\":\"fail\",\"ms\":[0-9.]+,\"error\":\"$1"
	expect_out "\"detail\":\\{[^}]*\"cause\":\"$2\""
}
expect_pass() {
	expect_out '^\{"probe":"healthy","failed":0,"passed":1,'
	expect_out '^\{"check":"mysql",.*"level":"ready","result":"pass",.*"detail":\{"server_version":"10\.11\.[0-9]+-MariaDB[^"]*","rows":1\}'
}
root_sql() { mysql --no-defaults --connect-timeout=5 --socket="$MY_SOCKET" -uroot -e "$1"; }

# The initialising server first: it must still be silent when checked.
my_start_initializing 12
my_start
silent_start
URL="mysql://app:app-pw-1@127.0.0.1:$MY_PORT/app"
DEAD=$(free_port)

case_ "initialising (no greeting yet): both fail, probe within its bound"
run_probe --timeout 1s "mysql://app:app-pw-1@127.0.0.1:$MY_INIT_PORT/app"
expect_rc 1
expect_ms_below $BOUND
expect_fail "no answer from the server at 127.0.0.1:$MY_INIT_PORT within [0-9]+ ms: it accepted the connection but did not finish the handshake" timeout
expect_hint HINT_SQL_SILENT
ping_ "$MY_INIT_PORT"
expect_ping 1 'Lost connection to server at .handshake: reading initial communication packet., system error: 110'

case_ "up: probe and mysqladmin both pass"
run_probe "$MY_URL"
expect_rc 0
expect_pass
expect_out "\"target\":\"mysql://app:\\*\\*\\*@127.0.0.1:$MY_PORT/app\""
ping_ "$MY_PORT"
expect_ping 0 'mysqld is alive'

case_ "SQLAlchemy URL forms: the +driver is ignored"
for scheme in mysql mysql+pymysql mysql+aiomysql mysql+mysqldb mysql+asyncmy mariadb \
	mariadb+mariadbconnector; do
	run_probe "$scheme://app:app-pw-1@127.0.0.1:$MY_PORT/app"
	expect_rc 0
	expect_pass
done
run_probe "$URL?charset=utf8mb4&ssl_mode=DISABLED"
expect_rc 0
run_probe "mysql://app:app-pw-1@localhost:$MY_PORT/app"
expect_rc 0
expect_pass

case_ "a Unix socket: unix_socket= in the query"
run_probe "mysql+pymysql://app:app-pw-1@localhost/app?unix_socket=$MY_SOCKET"
expect_rc 0
expect_pass
run_probe "mysql://app:app-pw-1@localhost/app?unix_socket=$T_DIR/nowhere.sock"
expect_rc 1
expect_fail "no server socket at $T_DIR/nowhere.sock\"" refused

if [ "${MY_ED25519:-0}" = 1 ]; then
	case_ "a user with ed25519 authentication"
	run_probe "$MY_ED_URL"
	expect_rc 0
	expect_pass
	run_probe "mysql://edapp:wrong-pw-9@127.0.0.1:$MY_PORT/app"
	expect_rc 1
	expect_fail 'authentication failed for user \\"edapp\\" \(1045\)"' auth
fi

case_ "nothing listens: both fail, probe at once"
run_probe "mysql://app:app-pw-1@127.0.0.1:$DEAD/app"
expect_rc 1
expect_ms_below 1000
expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,"skipped":0,'
expect_fail "connection refused by 127.0.0.1:$DEAD\"" refused
expect_out '"code":"2002"'
ping_ "$DEAD"
expect_ping 1 "Can't connect"

case_ "wrong password: probe fails, the password never shows"
for fmt in json text logfmt; do
	run_probe --format "$fmt" "mysql://app:wrong-pw-9@127.0.0.1:$MY_PORT/app"
	expect_rc 1
	case "$OUT$STDOUT" in *wrong-pw-9*) t_bad "the password shows ($fmt)" ;; *) t_ok ;; esac
done
run_probe "mysql+aiomysql://app:wrong-pw-9@127.0.0.1:$MY_PORT/app"
expect_fail 'authentication failed for user \\"app\\" \(1045\)"' auth
expect_hint HINT_SQL_AUTH
# mysqladmin ping says "Access denied" but exits 0: the server is there.
# probe logs in, so it fails.
ping_ "$MY_PORT" app wrong-pw-9
expect_ping 0 'Access denied'
run_probe "mysql://app@127.0.0.1:$MY_PORT/app"
expect_rc 1
expect_fail 'authentication failed for user \\"app\\" \(1045\): the URL has no password' auth

case_ "missing database"
# app has grants on app.* only: MariaDB says 1044 whether or not it exists
run_probe "mysql://app:app-pw-1@127.0.0.1:$MY_PORT/nosuchdb"
expect_rc 1
expect_fail 'database \\"nosuchdb\\" does not exist or user \\"app\\" may not use it \(1044\)' denied
# a user with rights on every database hears 1049
root_sql "CREATE USER 'wide'@'127.0.0.1' IDENTIFIED BY 'wide-pw-1';
	GRANT ALL ON *.* TO 'wide'@'127.0.0.1'"
run_probe "mariadb://wide:wide-pw-1@127.0.0.1:$MY_PORT/nosuchdb"
expect_rc 1
expect_fail 'database \\"nosuchdb\\" does not exist \(1049\)' no_database
expect_hint HINT_SQL_NO_DATABASE
# mysqladmin names no database: it passes.
ping_ "$MY_PORT" wide wide-pw-1
expect_ping 0 'mysqld is alive'

case_ "a silent listener: both fail, probe within its bound"
run_probe --timeout 1s "mysql://app:app-pw-1@127.0.0.1:$SILENT_PORT/app"
expect_rc 1
expect_ms_below $BOUND
expect_fail "no answer from the server at 127.0.0.1:$SILENT_PORT within [0-9]+ ms" timeout
ping_ "$SILENT_PORT"
expect_ping 1 'Lost connection'

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
run_probe "mysql://app:app-pw-1@127.0.0.1:$CLOSER/app"
expect_rc 1
expect_ms_below 1000
expect_fail "the server at 127.0.0.1:$CLOSER closed the connection during the handshake: it may be starting" closed
expect_hint HINT_SQL_CLOSED
ping_ "$CLOSER"
expect_ping 1 'Lost connection'

case_ "query="
run_probe "$URL" "query=SELECT 1 FROM nonexistent"
expect_rc 1
expect_fail "Table 'app.nonexistent' doesn't exist \\(1146\\)" no_table
expect_out '"detail":\{"server_version":"10\.11[^"]*","cause":"no_table","code":"1146"\}'
run_probe "$URL" "query=SELEC 1"
expect_rc 1
expect_fail "query failed \\(1064\\): You have an error in your SQL syntax; .*near 'SELEC 1' at line 1" query
run_probe "$URL" "query=SELECT user FROM mysql.user"
expect_rc 1
expect_fail 'query failed \(1142\): SELECT command denied to user' query
run_probe "$URL" "query=SELECT NULL, 2 UNION ALL SELECT 3, NULL"
expect_rc 0
expect_out '"rows":2'
run_probe "$URL" "query=DO 1"
expect_rc 0
expect_out '"rows":0'
run_probe --timeout 1s "$URL" "query=SELECT SLEEP(5)"
expect_rc 1
expect_ms_below $BOUND
expect_fail 'the query did not finish within [0-9]+ ms' timeout

case_ "too many connections (max_user_connections)"
root_sql "CREATE USER 'busy'@'127.0.0.1' IDENTIFIED BY 'busy-pw-1' WITH MAX_USER_CONNECTIONS 1;
	GRANT ALL ON app.* TO 'busy'@'127.0.0.1'"
start_bg holder mysql --no-defaults -h127.0.0.1 -P"$MY_PORT" -ubusy -pbusy-pw-1 app \
	-e "SELECT SLEEP(60)"
for i in $(seq 1 100); do
	[ "$(root_sql "SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'busy'" |
		tail -n 1)" = 1 ] && break
	sleep 0.05
done
run_probe "mysql://busy:busy-pw-1@127.0.0.1:$MY_PORT/app"
expect_rc 1
expect_fail "the server has no free connection slot \\(1226\\): User 'busy' has exceeded the 'max_user_connections' resource \\(current value: 1\\)" too_many_connections
expect_hint HINT_SQL_TOO_MANY
root_sql "KILL USER busy"

case_ "TLS: ssl_mode=REQUIRED against a server without it"
run_probe "$URL?ssl_mode=REQUIRED"
expect_rc 1
expect_fail 'the server does not support TLS, but the URL requires it' tls
expect_hint HINT_SQL_TLS_UNSUPPORTED
run_probe "$URL?ssl=true"
expect_rc 1
expect_fail 'the server does not support TLS' tls

case_ "require_secure_transport: the server refuses plain connections"
# MariaDB 10.11 gives no reason but "Access denied" (1045), as for a wrong
# password (MySQL 8 says 3159); the hint names both.
root_sql "SET GLOBAL require_secure_transport = ON"
run_probe "$URL"
expect_rc 1
expect_fail 'authentication failed for user \\"app\\" \(1045\)"' auth
expect_hint HINT_SQL_AUTH
root_sql "SET GLOBAL require_secure_transport = OFF"

case_ "usage errors before any I/O"
run_probe "$URL?ssl_mode=sometimes"
expect_rc 64
expect_out 'ssl_mode=sometimes: expected DISABLED'

# A server with TLS and a self-signed certificate.  db.sh has no public
# start for it, so this uses its _my_run with mariadbd options (and its
# cleanup), and its _my_setup_sql for database app and user app.
if command -v openssl >/dev/null && declare -F _my_run >/dev/null; then
	case_ "a server with TLS"
	tls="$T_DIR/tls"
	mkdir -p "$tls"
	chmod 755 "$tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$tls/server.key" -out "$tls/server.crt" 2>/dev/null
	chmod 600 "$tls/server.key"
	chmod 644 "$tls/server.crt"
	[ -z "$_MY_USER" ] || chown "$_MY_USER" "$tls/server.key"
	_my_run my-tls ping --ssl-cert="$tls/server.crt" --ssl-key="$tls/server.key"
	_my_setup_sql | _my_cli --socket="$_MY_SOCK" -uroot >/dev/null 2>&1 || true
	TURL="mysql://app:app-pw-1@127.0.0.1:$_MY_PORT/app"
	# one row when the session is encrypted, none when it is not
	TLSQ="query=SELECT 1 FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER' AND VARIABLE_VALUE <> ''"
	run_probe "$TURL" "$TLSQ"
	expect_rc 0
	expect_out '"rows":0'
	for q in "ssl_mode=REQUIRED" "ssl=true" "ssl_mode=PREFERRED" \
		"ssl_mode=VERIFY_IDENTITY&ssl_ca=$tls/server.crt" "ssl_ca=$tls/server.crt"; do
		run_probe "$TURL?$q" "$TLSQ"
		expect_rc 0
		expect_out '"rows":1'
	done
	run_probe "$TURL?ssl_mode=VERIFY_CA"
	expect_rc 1
	expect_fail "cannot verify the server's TLS certificate \\(2026\\)" tls
	expect_hint HINT_SQL_TLS_VERIFY
	run_probe "$TURL?ssl_ca=/etc/ssl/certs/ca-certificates.crt"
	expect_rc 1
	expect_fail "cannot verify the server's TLS certificate \\(2026\\)" tls
fi

if [ -e /proc/net/if_inet6 ] && grep -q '^0\{31\}1 ' /proc/net/if_inet6; then
	case_ "IPv6 [::1]: the server listens on 127.0.0.1 only"
	run_probe "mysql://app:app-pw-1@[::1]:$MY_PORT/app"
	expect_rc 1
	expect_fail "connection refused by \\[::1\\]:$MY_PORT\"" refused
fi

case_ "initialising, then serving: probe passes once the server does"
deadline=$(($(date +%s) + 30))
while :; do
	run_probe --timeout 1s "mysql://app:app-pw-1@127.0.0.1:$MY_INIT_PORT/app"
	[ "$RC" = 0 ] && break
	[ "$(date +%s)" -lt "$deadline" ] || break
	sleep 0.5
done
expect_rc 0
expect_pass
now=$(date +%s)
if [ "$now" -ge $((MY_INIT_READY_AT - 1)) ]; then t_ok; else t_bad "passed at $now, before $MY_INIT_READY_AT"; fi

case_ "stopped: both fail"
my_stop
wait_closed "$MY_PORT"
run_probe "$MY_URL"
expect_rc 1
expect_ms_below 1000
expect_fail "connection refused by 127.0.0.1:$MY_PORT\"" refused
ping_ "$MY_PORT"
expect_ping 1

finish
