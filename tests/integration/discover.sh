#!/usr/bin/env bash
# discover.sh - auto-discovery (SPEC §4) in a working directory that looks
# like a deployed app: an HTTP server on $PORT bound to 0.0.0.0, a real
# PostgreSQL named by $DATABASE_URL (tests/servers/db.sh), an Alembic
# project in the working directory whose head the database is at.
#   probe --plan        prints the plan: listen://:${PORT} public=yes,
#                       http://127.0.0.1:${PORT}/, @DATABASE_URL, alembic:.
#                       and never the database's password
#   probe -f PLANFILE   runs that plan; `probe` with no checks runs the
#                       same plan: the same verdict, healthy and (server
#                       stopped) unhealthy.
#   dev watchers        real node --watch, tsx watch and gunicorn --reload
#                       processes give proc:NAME max=N lines; node running a
#                       script and gunicorn without --reload give none; a
#                       second node --watch makes the check fail.
# The listeners probe sees are those of this test only: PROBE_PROCNET_DIR
# holds the rows of /proc/net/tcp{,6} for the test's own ports, refreshed
# after each change (other tests' servers listen in this namespace too).
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

run_probe --plan
if [ "$RC" = 64 ]; then
	echo "discover.sh: this probe has no --plan yet; skipped"
	exit 0
fi

APP="$T_DIR/app"
NET="$T_DIR/net"
mkdir -p "$APP/migrations/versions" "$NET" "$T_DIR/cgroup"
export PROBE_PROCNET_DIR=$NET
export PROBE_CGROUP_ROOT=$T_DIR/cgroup # no memory accounting: no mem: check
# Nothing else the environment may hold should reach the plan.
unset REDIS_URL SQLALCHEMY_DATABASE_URI CELERY_BROKER_URL CACHE_URL MYSQL_URL POSTGRES_URL \
	PGHOST PGUSER PGDATABASE POSTGRES_HOST MYSQL_HOST PROBE_CHECKS PROBE_FILE

# refresh_net PORT...: the LISTEN rows of PORTs from the kernel's tables.
refresh_net() {
	local f hex=""
	for p in "$@"; do hex="$hex $(printf '%04X' "$p")"; done
	for f in tcp tcp6; do
		if [ -r "/proc/net/$f" ]; then
			awk -v want="$hex" 'NR == 1 { print; next }
				{ split($2, a, ":"); if ($4 == "0A" && index(" " want " ", " " a[2] " ")) print }' \
				"/proc/net/$f" >"$NET/$f"
		fi
	done
}

if [ ! -x "$DB_PG_BIN/postgres" ]; then
	echo "discover.sh: no PostgreSQL at $DB_PG_BIN; skipped"
	exit 0
fi
pg_start
P=$(free_port)
"$PYTHON" "$SERVERS/httpd.py" --port "$P" --host 0.0.0.0 --mode good >"$T_DIR/app.log" 2>&1 &
SRV=$!
T_PIDS+=("$SRV")
wait_port "$P"
refresh_net "$P" "$PG_PORT"

# An Alembic project at revision 001, and the database at it.
cat >"$APP/alembic.ini" <<'INI'
[alembic]
script_location = migrations
sqlalchemy.url = driver://user:pass@localhost/dbname
INI
printf 'from alembic import context\n' >"$APP/migrations/env.py"
printf 'revision = "001"\ndown_revision = None\n\ndef upgrade():\n    pass\n' \
	>"$APP/migrations/versions/001_init.py"
psql -q "$PG_URL" -c "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
	INSERT INTO alembic_version VALUES ('001')" >/dev/null
cd "$APP"
export PORT=$P DATABASE_URL=$PG_URL

never_pw() { # the database's password reaches neither stdout nor stderr
	case "$STDOUT$OUT" in *"$PG_PASSWORD"*) t_bad "the password was printed" ;; *) t_ok ;; esac
}
has_line() { # the plan holds exactly this line
	if printf '%s\n' "$STDOUT" | grep -Fxq -- "$1"; then t_ok; else
		t_bad "no plan line '$1' in:"$'\n'"$STDOUT"
	fi
}
no_line() { # no line of the plan matches this regex
	if printf '%s\n' "$STDOUT" | grep -Eq -- "$1"; then t_bad "a plan line matches /$1/"; else t_ok; fi
}
summary() { # the counts of the summary line: failed,passed,skipped
	printf '%s\n' "$OUT" | sed -n '1s/.*"failed":\([0-9]*\),"passed":\([0-9]*\),"skipped":\([0-9]*\).*/\1,\2,\3/p'
}

case_ "probe --plan: \$PORT, the database, its port without http, alembic"
run_probe --plan
expect_rc 0
has_line 'listen://:${PORT} public=yes'
has_line 'http://127.0.0.1:${PORT}/ status=200-499'
has_line "listen://:$PG_PORT"
has_line '@DATABASE_URL'
has_line 'alembic:.'
no_line "^http://127\\.0\\.0\\.1:$PG_PORT/"
no_line "^listen://:$P( |\$)" # \$PORT's own port is written as \${PORT}
no_line '^(proc|mem|frontend):'
if printf '%s\n' "$STDOUT" | grep -q '^# .*\$PORT='"$P"' and port '"$P"' listens'; then t_ok; else
	t_bad "no reason for \$PORT in:"$'\n'"$STDOUT"
fi
never_pw
printf '%s\n' "$STDOUT" >"$T_DIR/probe.checks"
[ -z "$OUT" ] && t_ok || t_bad "--plan wrote to stderr: $OUT"

# probe with no checks at all runs the discovered plan, when this probe
# does (else it says "no checks named").
run_probe --timeout 3s
AUTO=1
if [ "$RC" = 64 ]; then
	echo "discover.sh: probe without checks does not discover yet; its cases skipped"
	AUTO=0
fi

case_ "the plan file runs healthy; so does probe without checks, the same way"
run_probe --timeout 3s -f "$T_DIR/probe.checks"
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":5,"skipped":0'
expect_out '"check":"alembic".*"result":"pass"'
expect_out "\"check\":\"listen\",\"name\":\"listen://:$P\".*\"result\":\"pass\".*\"bound\":\\[\"0.0.0.0\"\\]"
never_pw
FILE_SUM=$(summary)
if [ "$AUTO" = 1 ]; then
	run_probe --timeout 3s
	expect_rc 0
	[ "$(summary)" = "$FILE_SUM" ] && t_ok || t_bad "summary $(summary), with -f $FILE_SUM"
	never_pw
fi

case_ "the app stops: both fail alike, listen says \$PORT is not honoured"
kill "$SRV" 2>/dev/null || true
wait "$SRV" 2>/dev/null || true
wait_closed "$P"
refresh_net "$P" "$PG_PORT"
run_probe --timeout 3s -f "$T_DIR/probe.checks"
expect_rc 1
expect_out "\"check\":\"listen\".*\"result\":\"fail\".*\"error\":\"nothing listens on \\\$PORT=$P"
expect_out "\"check\":\"http\".*\"result\":\"skip\".*\"cause\":\"listen://:$P\""
never_pw
FILE_SUM=$(summary)
if [ "$AUTO" = 1 ]; then
	run_probe --timeout 3s
	expect_rc 1
	[ "$(summary)" = "$FILE_SUM" ] && t_ok || t_bad "summary $(summary), with -f $FILE_SUM"
	never_pw
fi

case_ "the plan follows the variables: \$PORT elsewhere, no alembic.ini here"
mkdir "$T_DIR/bare"
cd "$T_DIR/bare"
PORT=1 run_probe --plan
expect_rc 0
has_line 'listen://:${PORT} public=yes'
no_line '^alembic:'
if printf '%s\n' "$STDOUT" | grep -q '^# \$PORT=1 but nothing listens on it (listening: '"$PG_PORT"')'; then t_ok; else
	t_bad "no reason for an unhonoured \$PORT in:"$'\n'"$STDOUT"
fi
never_pw

case_ "dev watchers in the process table: what runs them, not what merely looks alike"
mkdir -p "$T_DIR/bin"
printf 'setInterval(() => {}, 1000);\n' >"$T_DIR/bin/probe-watch-t.js"
cp "$T_DIR/bin/probe-watch-t.js" "$T_DIR/bin/tsx" # as node_modules/.bin/tsx runs
printf 'import time\ntime.sleep(60)\n' >"$T_DIR/bin/gunicorn"
# watcher_pids PID: PID and its children (node --watch runs one).
watcher_pids() { printf '%s\n' "$1"; pgrep -P "$1" || true; }
stop_watchers() {
	local p
	for p in "$@"; do kill "$p" 2>/dev/null || true; done
	for p in "$@"; do wait "$p" 2>/dev/null || true; done
}
# Not watchers: node running a script, gunicorn without --reload.
node "$T_DIR/bin/probe-watch-t.js" &
W1=$!
"$PYTHON" "$T_DIR/bin/gunicorn" app:app &
W2=$!
T_PIDS+=("$W1" "$W2")
sleep 0.3
run_probe --plan
expect_rc 0
no_line '^proc:(probe-watch-t|gunicorn)'
stop_watchers "$W1" "$W2"
# Watchers: a real node --watch (it runs the script again in a child),
# tsx watch, gunicorn -w 2 --reload.
node --watch "$T_DIR/bin/probe-watch-t.js" >/dev/null 2>&1 &
W1=$!
node "$T_DIR/bin/tsx" watch src/index.ts &
W2=$!
"$PYTHON" "$T_DIR/bin/gunicorn" -w 2 --reload app:app &
W3=$!
T_PIDS+=("$W1" "$W2" "$W3")
for _ in $(seq 50); do [ -n "$(pgrep -P "$W1")" ] && break; sleep 0.1; done
W1_CHILD=$(pgrep -P "$W1" || true)
# exec'd: until then, or while a launcher shim (pyenv's is a bash script)
# runs, /proc shows a shell, not the watcher
for w in "$W2" "$W3"; do
	for _ in $(seq 50); do
		comm=$(cat "/proc/$w/comm" 2>/dev/null || true)
		case $comm in bash | sh | dash | '') sleep 0.1 ;; *) break ;; esac
	done
done
run_probe --plan
expect_rc 0
has_line 'proc:gunicorn max=3'
has_line 'proc:tsx max=1'
has_line 'proc:probe-watch-t max=2'
if printf '%s\n' "$STDOUT" | grep -q "^# a development watcher runs (node --watch, pid $W1): max=2 catches"; then
	t_ok
else
	t_bad "no reason for node --watch in:"$'\n'"$STDOUT"
fi
case_ "node --watch: its check counts the watcher and its child, and catches a duplicate"
run_probe --format json proc:probe-watch-t max=2
expect_rc 0
expect_out '"check":"proc".*"result":"pass".*"count":2'
node --watch "$T_DIR/bin/probe-watch-t.js" >/dev/null 2>&1 &
W4=$!
T_PIDS+=("$W4")
for _ in $(seq 50); do [ -n "$(pgrep -P "$W4")" ] && break; sleep 0.1; done
W4_CHILD=$(pgrep -P "$W4" || true)
run_probe --plan
has_line 'proc:probe-watch-t max=2'
if printf '%s\n' "$STDOUT" | grep -q '^# a development watcher runs (node --watch, pid [0-9]*) and 4 of them run now'; then
	t_ok
else
	t_bad "no duplicate's reason in:"$'\n'"$STDOUT"
fi
run_probe --format json proc:probe-watch-t max=2
expect_rc 1
expect_out '"check":"proc","name":"proc:probe-watch-t".*"result":"fail".*"error":"4 processes named probe-watch-t, max 2".*"count":4'
expect_hint HINT_PROC_DUPLICATE
stop_watchers "$W1" "$W2" "$W3" "$W4"
# node --watch's child goes with it; should it not, end it by its pid.
stop_watchers $W1_CHILD $W4_CHILD

finish
