#!/usr/bin/env bash
# db-selftest.sh - starts every server db.sh offers, checks each with the
# real clients (pg_isready, psql, mysqladmin, mysql, redis-cli) and a raw
# socket, prints what they said, their exit codes and how long each start
# took, and stops everything.  Not one of ctest's tests; run it by hand:
#
#   bash tests/servers/db-selftest.sh
#
# Exits 1 when a server is not in the state db.sh promises.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
export PROBE=${PROBE:-/bin/true}
export SERVERS=${SERVERS:-$HERE}
export TESTLIB=${TESTLIB:-$HERE/../integration/lib.sh}
. "$TESTLIB"
. "$SERVERS/db.sh"
# The drivers' python may lack psycopg2 & co; the raw checks need only the
# standard library.

ms() { echo $(($(date +%s%N) / 1000000)); }

# timed NAME CMD...: runs CMD, says how long it took.
TIMES=()
timed() {
	local name=$1 t0 t1
	shift
	t0=$(ms)
	"$@"
	t1=$(ms)
	TIMES+=("$(printf '%-26s %6d ms' "$name" $((t1 - t0)))")
	printf '== %s: %d ms\n' "$name" $((t1 - t0))
}

# obs LABEL CMD...: runs CMD (20 s at most), prints its exit code, time and
# output; leaves them in RC and OUT.
obs() {
	local label=$1 t0
	shift
	t0=$(ms)
	set +e
	if declare -F "$1" >/dev/null; then
		OUT=$("$@" 2>&1 </dev/null)
	else
		OUT=$(timeout 20 "$@" 2>&1 </dev/null)
	fi
	RC=$?
	set -e
	MS=$(($(ms) - t0))
	printf '  %-44s rc=%-3s %5d ms | %s\n' "$label" "$RC" "$MS" "$(printf '%s' "$OUT" | tr '\n' ' ' | cut -c1-200)"
}
check() { # DESCRIPTION CONDITION...
	local what=$1
	shift
	if "$@"; then
		T_PASS=$((T_PASS + 1))
	else
		T_FAIL=$((T_FAIL + 1))
		printf 'FAIL: %s (rc=%s: %s)\n' "$what" "$RC" "$OUT" >&2
	fi
}
rc_is() { [ "$RC" = "$1" ]; }
out_has() { printf '%s' "$OUT" | grep -Eq -- "$1"; }

# What a PostgreSQL server answers a startup packet with, from the wire:
# R (auth request) or E with its fields (SQLSTATE, message, detail).
pg_wire() {
	"$PYTHON" - "$1" "${2:-app}" "${3:-app}" <<'PY'
import socket, struct, sys
port, user, db = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", port), 3)
s.settimeout(3)
body = struct.pack("!I", 196608) + b"user\0" + user.encode() + b"\0database\0" + db.encode() + b"\0\0"
s.sendall(struct.pack("!I", len(body) + 4) + body)
head = s.recv(5)
kind, n = head[:1], struct.unpack("!I", head[1:5])[0]
data = b""
while len(data) < n - 4:
    data += s.recv(n - 4 - len(data))
if kind == b"E":
    fields = dict((f[:1].decode(), f[1:].decode()) for f in data.split(b"\0") if f)
    print("E C=%s S=%s M=%s D=%s" % (fields.get("C"), fields.get("V"), fields.get("M"), fields.get("D", "")))
elif kind == b"R":
    print("R auth request %d%s" % (struct.unpack("!I", data[:4])[0], " " + data[4:].replace(b"\0", b" ").decode().strip() if len(data) > 4 else ""))
else:
    print("kind", kind, data)
PY
}

# What a server sends first after the TCP handshake, within $2 seconds.
greeting() {
	"$PYTHON" - "$1" "$2" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 3)
s.settimeout(float(sys.argv[2]))
t = time.time()
try:
    b = s.recv(200)
    print("got %d bytes after %.2f s: %r" % (len(b), time.time() - t, b[:60]))
except socket.timeout:
    print("nothing in %.1f s" % (time.time() - t))
PY
}

# A raw RESP exchange: sends the commands (one per argument), prints the
# replies' first lines.
resp() {
	"$PYTHON" - "$@" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 3)
s.settimeout(3)
f = s.makefile("rb")
for cmd in sys.argv[2:]:
    parts = cmd.split(" ")
    s.sendall(("*%d\r\n" % len(parts) + "".join("$%d\r\n%s\r\n" % (len(p), p) for p in parts)).encode())
    print("%s -> %s" % (parts[0], f.readline().decode().rstrip()))
PY
}

echo "PostgreSQL"
timed pg_start pg_start
echo "  PG_URL=$PG_URL PG_SOCKET_DIR=$PG_SOCKET_DIR"
obs "pg_isready (up)" pg_isready -h 127.0.0.1 -p "$PG_PORT"
check "pg_isready up: 0" rc_is 0
obs "psql app (up)" env PGPASSWORD=app-pw-1 psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U app -d app -c "select current_user, current_setting('password_encryption')"
check "psql app: 0" rc_is 0
check "psql app: scram" out_has '^app\|scram-sha-256$'
obs "psql PG_URL" psql -X -At "$PG_URL" -c 'select 1'
check "psql url: 0" rc_is 0
obs "psql wrong password" env PGPASSWORD=nope psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U app -d app -c 'select 1'
check "psql wrong pw: 2" rc_is 2
check "psql wrong pw: message" out_has 'password authentication failed for user "app"'
obs "wire: wrong password is asked a SASL" pg_wire "$PG_PORT" app app
check "wire: SCRAM-SHA-256 offered" out_has 'SCRAM-SHA-256'
obs "psql missing db" env PGPASSWORD=app-pw-1 psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U app -d nosuch -c 'select 1'
check "psql missing db: 2" rc_is 2
check "psql missing db: message" out_has 'database "nosuch" does not exist'
obs "psql unknown user" env PGPASSWORD=x psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U nosuch -d app -c 'select 1'
obs "pg_isready unknown user/db" pg_isready -h 127.0.0.1 -p "$PG_PORT" -U nosuch -d nosuch
check "pg_isready does not authenticate: 0" rc_is 0
obs "psql socket as app" env PGPASSWORD=app-pw-1 psql -X -At -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U app -d app -c 'select 1'
check "psql socket: 0" rc_is 0
obs "psql socket as app, no password" env -u PGPASSWORD psql -X -w -At -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U app -d app -c 'select 1'
check "psql socket, no pw: 2" rc_is 2
P=$PG_PORT
timed pg_stop pg_stop
pg_stop # idempotent
obs "pg_isready (down)" pg_isready -h 127.0.0.1 -p "$P"
check "pg_isready down: 2" rc_is 2
obs "psql (down)" env PGPASSWORD=app-pw-1 psql -X -At -h 127.0.0.1 -p "$P" -U app -d app -c 'select 1'
check "psql down: 2" rc_is 2

timed pg_start_starting_up pg_start_starting_up
obs "pg_isready (starting up)" pg_isready -h 127.0.0.1 -p "$PG_STARTUP_PORT"
check "pg_isready starting up: 1" rc_is 1
obs "psql (starting up)" env PGPASSWORD=app-pw-1 psql -X -At -h 127.0.0.1 -p "$PG_STARTUP_PORT" -U app -d app -c 'select 1'
check "psql starting up: 2" rc_is 2
check "psql starting up: message" out_has 'the database system is starting up'
obs "wire (starting up)" pg_wire "$PG_STARTUP_PORT"
check "wire starting up: 57P03" out_has 'C=57P03'

timed pg_start_standby_nohot pg_start_standby_nohot
obs "pg_isready (standby, hot_standby=off)" pg_isready -h 127.0.0.1 -p "$PG_NOHOT_PORT"
check "pg_isready nohot: 1" rc_is 1
obs "psql (standby, hot_standby=off)" env PGPASSWORD=app-pw-1 psql -X -At -h 127.0.0.1 -p "$PG_NOHOT_PORT" -U app -d app -c 'select 1'
check "psql nohot: 2" rc_is 2
check "psql nohot: message" out_has 'the database system is not accepting connections'
obs "wire (standby, hot_standby=off)" pg_wire "$PG_NOHOT_PORT"
check "wire nohot: 57P03" out_has 'C=57P03'
sleep 2
obs "pg_isready (starting up, 2 s later)" pg_isready -h 127.0.0.1 -p "$PG_STARTUP_PORT"
check "still starting up: 1" rc_is 1
obs "psql (starting up, 2 s later)" env PGPASSWORD=app-pw-1 psql -X -At -h 127.0.0.1 -p "$PG_STARTUP_PORT" -U app -d app -c 'select 1'
check "still starting up: message" out_has 'the database system is starting up'
timed pg_stop_starting_up pg_stop_starting_up
timed pg_stop_standby_nohot pg_stop_standby_nohot

echo
echo "MariaDB"
timed my_start my_start
echo "  MY_URL=$MY_URL MY_SOCKET=$MY_SOCKET MY_ED25519=$MY_ED25519 MY_ED_URL=${MY_ED_URL:-}"
obs "mysqladmin ping socket root (up)" mysqladmin --no-defaults --socket="$MY_SOCKET" -uroot ping
check "mysqladmin socket: 0" rc_is 0
obs "mysqladmin ping tcp app (up)" mysqladmin --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uapp -papp-pw-1 ping
check "mysqladmin tcp: 0" rc_is 0
obs "mysql app tcp select 1" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uapp -papp-pw-1 app -N -e 'select 1, current_user()'
check "mysql app: 0" rc_is 0
if [ "$MY_ED25519" = 1 ]; then
	obs "mysql edapp (ed25519) tcp" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uedapp -ped-pw-1 app -N -e 'select current_user()'
	check "mysql edapp: 0" rc_is 0
	obs "mysql edapp wrong password" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uedapp -pnope app -e 'select 1'
	check "mysql edapp wrong pw: 1" rc_is 1
fi
obs "mysql wrong password" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uapp -pnope app -e 'select 1'
check "mysql wrong pw: 1" rc_is 1
check "mysql wrong pw: 1045" out_has 'ERROR 1045 \(28000\)'
obs "mysqladmin ping wrong password" mysqladmin --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uapp -pnope ping
check "mysqladmin ping wrong pw: still 0" rc_is 0
obs "mysqladmin status wrong password" mysqladmin --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uapp -pnope status
obs "mysql missing db (app)" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uapp -papp-pw-1 nosuch -e 'select 1'
check "mysql missing db: 1" rc_is 1
check "mysql missing db: 1044" out_has 'ERROR 1044 \(42000\)'
obs "mysql missing db (root, socket)" mysql --no-defaults --socket="$MY_SOCKET" -uroot nosuch -e 'select 1'
check "mysql missing db root: 1049" out_has 'ERROR 1049 \(42000\)'
obs "mysql root over tcp (none such)" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -uroot -e 'select 1'
check "no root over tcp: 1" rc_is 1
obs "mysql unknown user" mysql --no-defaults -h 127.0.0.1 -P "$MY_PORT" -unosuch -px app -e 'select 1'
check "mysql unknown user: 1045" out_has 'ERROR 1045'
P=$MY_PORT
timed my_stop my_stop
my_stop # idempotent
obs "mysqladmin ping (down)" mysqladmin --no-defaults -h 127.0.0.1 -P "$P" -uapp -papp-pw-1 ping
check "mysqladmin down: 1" rc_is 1
obs "mysql (down)" mysql --no-defaults -h 127.0.0.1 -P "$P" -uapp -papp-pw-1 app -e 'select 1'
check "mysql down: 1" rc_is 1
check "mysql down: 2002" out_has 'ERROR 2002'

INIT_SECS=${INIT_SECS:-8}
timed "my_start_initializing $INIT_SECS" my_start_initializing "$INIT_SECS"
obs "raw greeting (initializing)" greeting "$MY_INIT_PORT" 1
check "initializing: no greeting" out_has '^nothing'
obs "mysqladmin ping --connect-timeout=2 (init)" mysqladmin --no-defaults -h 127.0.0.1 -P "$MY_INIT_PORT" -uapp -papp-pw-1 --connect-timeout=2 ping
obs "mysql --connect-timeout=2 (initializing)" mysql --no-defaults -h 127.0.0.1 -P "$MY_INIT_PORT" -uapp -papp-pw-1 --connect-timeout=2 app -e 'select 1'
check "mysql initializing: fails" [ "$RC" != 0 ]
obs "mysql (initializing, no timeout: waits)" mysql --no-defaults -h 127.0.0.1 -P "$MY_INIT_PORT" -uapp -papp-pw-1 app -N -e 'select current_user()'
check "mysql after init: 0" rc_is 0
t_served=$(ms)
echo "  served $((t_served - MY_INIT_READY_AT_MS)) ms after MY_INIT_READY_AT_MS"
check "served no earlier than MY_INIT_READY_AT_MS" [ "$t_served" -ge "$MY_INIT_READY_AT_MS" ]
timed my_stop_initializing my_stop_initializing

echo
echo "Redis"
timed redis_start redis_start
echo "  REDIS_URL=$REDIS_URL"
obs "redis-cli -a ping (up)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" -a redis-pw-1 ping
check "redis up: PONG" out_has '^PONG$'
obs "redis-cli -u REDIS_URL ping" redis-cli --no-auth-warning -u "$REDIS_URL" ping
obs "redis-cli -u redis://default:pw@ ping" redis-cli --no-auth-warning -u "redis://default:redis-pw-1@127.0.0.1:$REDIS_PORT/0" ping
check "redis url with user default: PONG" out_has '^PONG$'
obs "redis-cli ping, no password" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
check "redis noauth" out_has 'NOAUTH'
obs "redis-cli -e ping, no password" redis-cli -e -h 127.0.0.1 -p "$REDIS_PORT" ping
obs "redis-cli ping, wrong password" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" -a nope ping
check "redis wrong pw" out_has 'WRONGPASS'
obs "redis-cli -e ping, wrong password" redis-cli -e --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" -a nope ping
obs "redis-cli -n 99 ping (no such db)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" -a redis-pw-1 -n 99 ping
obs "resp: AUTH, SELECT 99" resp "$REDIS_PORT" "AUTH redis-pw-1" "SELECT 99" "PING"
P=$REDIS_PORT
timed redis_stop redis_stop
redis_stop # idempotent
obs "redis-cli ping (down)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$P" -a redis-pw-1 ping
check "redis down: 1" rc_is 1

LOAD_SECS=${LOAD_SECS:-5}
timed "redis_start_loading $LOAD_SECS" redis_start_loading "$LOAD_SECS"
obs "redis-cli -a ping (loading)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_LOADING_PORT" -a redis-pw-1 ping
check "loading: LOADING" out_has '^LOADING Redis is loading the dataset in memory$'
obs "redis-cli -e -a ping (loading)" redis-cli -e --no-auth-warning -h 127.0.0.1 -p "$REDIS_LOADING_PORT" -a redis-pw-1 ping
obs "redis-cli ping, no password (loading)" redis-cli -h 127.0.0.1 -p "$REDIS_LOADING_PORT" ping
obs "redis-cli ping, wrong pw (loading)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_LOADING_PORT" -a nope ping
obs "resp (loading)" resp "$REDIS_LOADING_PORT" "PING" "AUTH nope" "AUTH redis-pw-1" "PING" "INFO persistence"
check "resp loading" out_has 'PING -> -LOADING Redis is loading the dataset in memory'
t_load=$(ms)
while ! redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_LOADING_PORT" -a redis-pw-1 ping 2>/dev/null | grep -q PONG; do
	sleep 0.05
done
t_done=$(ms)
echo "  loading ended $((t_done - REDIS_LOADING_UNTIL)) ms after REDIS_LOADING_UNTIL, $((t_done - t_load)) ms after the first checks began"
check "loading lasted at least $LOAD_SECS s" [ "$t_done" -ge "$REDIS_LOADING_UNTIL" ]
obs "redis-cli dbsize (loaded)" redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_LOADING_PORT" -a redis-pw-1 dbsize
timed redis_stop_loading redis_stop_loading

echo
echo "Silent"
timed silent_start silent_start
obs "raw greeting (silent)" greeting "$SILENT_PORT" 1
check "silent: nothing" out_has '^nothing'
obs "psql (silent, connect_timeout=2)" env PGCONNECT_TIMEOUT=2 PGPASSWORD=x psql -X -h 127.0.0.1 -p "$SILENT_PORT" -U app -d app -c 'select 1'
obs "mysql (silent, --connect-timeout=2)" mysql --no-defaults -h 127.0.0.1 -P "$SILENT_PORT" -uapp -px --connect-timeout=2 -e 'select 1'
obs "redis-cli ping (silent; killed after 3 s)" timeout 3 redis-cli -h 127.0.0.1 -p "$SILENT_PORT" ping
obs "mysqladmin --connect-timeout=2 (silent)" mysqladmin --no-defaults -h 127.0.0.1 -P "$SILENT_PORT" --connect-timeout=2 ping
obs "pg_isready -t 2 (silent)" pg_isready -h 127.0.0.1 -p "$SILENT_PORT" -t 2
timed silent_stop silent_stop

echo
echo "All together (as a driver would)"
timed "pg_start (template made)" pg_start
timed my_start my_start
timed redis_start redis_start
timed silent_start silent_start
pids=$(printf '%s ' "${_DB_PID[@]}")
timed db_stop_all db_stop_all
echo
echo "timings:"
printf '  %s\n' "${TIMES[@]}"
alive=""
for p in $pids; do _db_alive "$p" && alive="$alive $p"; done
ps -eo pid=,stat=,args= >"$T_DIR/ps"
leftover=$(grep -F "$T_DIR/" "$T_DIR/ps" | awk '$2 !~ /^Z/' || true)
check "no server left running (pids:$pids)" [ -z "$alive$leftover" ]
[ -z "$alive$leftover" ] || printf 'left: %s\n%s\n' "$alive" "$leftover" >&2
finish
