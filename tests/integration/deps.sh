#!/usr/bin/env bash
# deps.sh - the dependency layer as an app's health check names it, all four
# databases in one run, with the URLs the app already holds:
#   probe postgresql+psycopg2://... redis://... mysql+pymysql://... sqlite:///...
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

pg_start >/dev/null
my_start >/dev/null
redis_start >/dev/null
DB=$T_DIR/app.db
"$PYTHON" -c "import sqlite3; c=sqlite3.connect('$DB'); c.execute('create table t(x)'); c.commit()"
PG=${PG_URL/postgresql:/postgresql+psycopg2:}
MY=${MY_URL/mysql:/mysql+pymysql:}

all() { run_probe --timeout 3s "$PG" "$REDIS_URL" "$MY" "sqlite:///$DB" "$@"; }
no_secrets() {
	case "$OUT" in
	*"$PG_PASSWORD"* | *"$MY_PASSWORD"* | *"$REDIS_PASSWORD"*) t_bad "a password was printed" ;;
	*) t_ok ;;
	esac
}

case_ "all four up"
all
expect_rc 0
expect_out '^\{"probe":"healthy","failed":0,"passed":4,"skipped":0'
expect_out '"check":"postgres","name":"postgresql\+psycopg2://app:\*\*\*@127.0.0.1:[0-9]+/app".*"result":"pass".*"server_version":"15'
expect_out '"check":"mysql","name":"mysql\+pymysql://app:\*\*\*@127.0.0.1:[0-9]+/app".*"result":"pass".*"server_version":"10.11'
expect_out '"check":"redis","name":"redis://:\*\*\*@127.0.0.1:[0-9]+/0".*"result":"pass"'
expect_out '"check":"sqlite".*"result":"pass"'
no_secrets

case_ "redis down: only redis fails, the rest still pass"
redis_stop
all
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":1,"passed":3,"skipped":0'
expect_out '"check":"redis".*"result":"fail".*"error":"connection refused by 127.0.0.1:[0-9]+".*"cause":"refused"'
no_secrets

case_ "a tcp check on the database's port that fails skips the database check"
pg_stop
run_probe --timeout 3s "tcp://127.0.0.1:$PG_PORT" name=pg-port "$PG"
expect_rc 1
expect_out '"check":"postgres".*"result":"skip".*"cause":"pg-port"'

case_ "wrong passwords everywhere: auth failures, no password printed"
BADMY=${MY_URL/$MY_PASSWORD/wrong-my-pw}
run_probe --timeout 3s "$BADMY"
expect_rc 1
expect_out '"check":"mysql".*"result":"fail".*"cause":"auth"'
case "$OUT" in *wrong-my-pw*) t_bad "the wrong password was printed" ;; *) t_ok ;; esac

finish
