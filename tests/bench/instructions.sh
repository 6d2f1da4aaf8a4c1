#!/usr/bin/env bash
# instructions.sh - user-space instruction counts (valgrind callgrind) of
# probe's checks next to the tools they replace, measured in one run
# against the same loopback servers, under the same authentication.
# Instruction counts are stable where wall time on a shared machine is not.
#
#   bash tests/bench/instructions.sh [path/to/probe]   (default: the static
#   build-static/probe if there is one, else build/probe)
# Prints a Markdown table.  Needs root (the database servers run as their
# own users) and the packages of tests/setup.sh.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
PROBE=${1:-}
[ -n "$PROBE" ] || { [ -x build-static/probe ] && PROBE=build-static/probe || PROBE=build/probe; }
PROBE=$(cd "$(dirname "$PROBE")" && pwd)/$(basename "$PROBE")
command -v valgrind >/dev/null || { echo "valgrind is not installed (bash tests/setup.sh)" >&2; exit 1; }
export PROBE SERVERS=$ROOT/tests/servers
. "$ROOT/tests/integration/lib.sh"
. "$SERVERS/db.sh"

HTTP_PORT=$(free_port)
start_bg httpd "$PYTHON" "$SERVERS/httpd.py" --host 127.0.0.1 --port "$HTTP_PORT" --mode good
wait_port "$HTTP_PORT"
pg_start >/dev/null
my_start >/dev/null
redis_start >/dev/null
DB=$T_DIR/app.db
"$PYTHON" -c "import sqlite3; c=sqlite3.connect('$DB'); c.execute('create table t(x)'); c.commit()"
PG_ISREADY=/usr/lib/postgresql/15/bin/pg_isready # the real binary, not Debian's Perl wrapper

# Prints the instructions one command executes, children included.
count() {
	valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$T_DIR/cg.%p" \
		"$@" >/dev/null 2>"$T_DIR/cg.log" || true
	awk '/Collected/ {s += $NF} END {print s + 0}' "$T_DIR/cg.log"
}

# row LABEL BASE CMD...: one table row; BASE is the tool's count (or "").
row() {
	local label=$1 base=$2 n
	shift 2
	n=$(count "$@")
	if [ -n "$base" ]; then
		printf '| %s | %s | %s %% |\n' "$label" "$n" "$(awk -v a="$n" -v b="$base" 'BEGIN {printf "%.1f", 100 * a / b}')"
	else
		printf '| %s | %s | |\n' "$label" "$n"
	fi
	LAST=$n
}

echo "| command | instructions | of the tool's |"
echo "|---|---:|---:|"
row '`nc -z`' "" nc -z 127.0.0.1 "$HTTP_PORT"
row '`probe tcp://`' "$LAST" "$PROBE" "tcp://127.0.0.1:$HTTP_PORT"
row '`curl -fsS` GET /health' "" curl -fsS -o /dev/null "http://127.0.0.1:$HTTP_PORT/health"
row '`probe http://` GET /health' "$LAST" "$PROBE" "http://127.0.0.1:$HTTP_PORT/health"
row '`pg_isready` (no login)' "" "$PG_ISREADY" -q -h 127.0.0.1 -p "$PG_PORT" -U app -d app
row '`probe postgresql://` (SCRAM login, SELECT 1)' "$LAST" "$PROBE" "$PG_URL"
row '`psql -c "select 1"` (SCRAM login)' "" env PGPASSWORD="$PG_PASSWORD" /usr/lib/postgresql/15/bin/psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U app -d app -c 'select 1'
row '`probe postgresql://` (SCRAM login, SELECT 1)' "$LAST" "$PROBE" "$PG_URL"
row '`mysqladmin ping` (login)' "" mysqladmin --no-defaults -h127.0.0.1 -P"$MY_PORT" -uapp -papp-pw-1 ping
row '`probe mysql://` (login, SELECT 1)' "$LAST" "$PROBE" "$MY_URL"
row '`redis-cli ping` (AUTH)' "" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a "$REDIS_PASSWORD" --no-auth-warning ping
row '`probe redis://` (AUTH, PING)' "$LAST" "$PROBE" "$REDIS_URL"
row '`sqlite3 DB "select 1"`' "" sqlite3 "$DB" "select 1"
row '`probe sqlite:///`' "$LAST" "$PROBE" "sqlite:///$DB"
row '`probe --version` (start-up alone)' "" "$PROBE" --version
