#!/usr/bin/env bash
# sqlite.sh - sqlite:/// checks against database files made with the sqlite3
# CLI: good ones by every URL form, and each way a file can be unusable -
# missing (and still missing afterwards), not a database, a directory,
# unreadable, locked by a writer, corrupt, a query too slow - with the
# sqlite3 CLI's view of the same file where it helps.
set -eu
. "$TESTLIB"

if ! command -v sqlite3 >/dev/null; then
	echo "sqlite.sh: no sqlite3 CLI to make databases; skipped"
	exit 0
fi

# A build without the sqlite driver (-DPROBE_WITH_SQLITE=OFF) has no sqlite: kind.
run_probe "sqlite:////nonexistent.db"
if [ "$RC" = 64 ] && printf '%s\n' "$OUT" | grep -q "unknown check kind 'sqlite:'"; then
	echo "sqlite.sh: this probe is built without sqlite checks; skipped"
	exit 0
fi

# sq ARGS...: the sqlite3 CLI; sets SQ (stdout and stderr) and SQ_RC.
sq() {
	set +e
	SQ=$(timeout 5 sqlite3 "$@" 2>&1)
	SQ_RC=$?
	set -e
}
# the report line of the one check, failed with cause $1
expect_fail_cause() {
	expect_rc 1
	expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,"skipped":0,'
	expect_out '^\{"check":"sqlite",.*"level":"ready","result":"fail","ms":[0-9.]+,"error":"([^"\\]|\\.)+","detail":\{("server_version":"[0-9.]+",)?"cause":"'"$1"'"\}'
}
# run_probe_in DIR ARGS...: run_probe with DIR as the working directory
# (so $PROBE must not be a relative path).
case "$PROBE" in
*/*) PROBE=$(cd "$(dirname "$PROBE")" && pwd)/$(basename "$PROBE") ;;
esac
run_probe_in() {
	local dir=$1
	shift
	cd "$dir"
	run_probe "$@"
	cd - >/dev/null
}
expect_pass() {
	expect_rc 0
	expect_out '^\{"probe":"healthy","failed":0,"passed":1,"skipped":0,'
	expect_out '^\{"check":"sqlite",.*"level":"ready","result":"pass",.*"detail":\{"server_version":"3\.[0-9.]+","rows":[0-9]+\}'
}

DB="$T_DIR/app.db"
sqlite3 "$DB" "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);
	INSERT INTO items (name) VALUES ('a'), ('b');"
mkdir "$T_DIR/data"
cp "$DB" "$T_DIR/data/app.db"

case_ "a good database, by every URL form"
run_probe "sqlite:///$DB"
expect_pass
expect_out "\"target\":\"sqlite:///$DB\""
run_probe_in "$T_DIR" sqlite:///app.db
expect_pass
run_probe_in "$T_DIR" sqlite+aiosqlite:///./data/app.db
expect_pass
expect_out '"check":"sqlite","name":"sqlite\+aiosqlite:///./data/app.db"'
run_probe "sqlite:///$DB" query="SELECT name FROM items ORDER BY id"
expect_pass
expect_out '"rows":2\}'

case_ "in memory: nothing to check"
run_probe "sqlite://"
expect_rc 64
expect_out "an in-memory database can't be checked"
run_probe "sqlite:///:memory:"
expect_rc 64

case_ "a missing file fails and is not created"
run_probe_in "$T_DIR" sqlite:///nope.db
expect_fail_cause missing
expect_out "\"error\":\"no such file: nope.db \\(in $T_DIR, the working directory\\)\""
expect_hint HINT_SQLITE_MISSING
[ ! -e "$T_DIR/nope.db" ] && t_ok || t_bad "nope.db was created"
run_probe "sqlite:///$T_DIR/no-dir/nope.db"
expect_fail_cause missing
expect_out "\"error\":\"no such file: $T_DIR/no-dir/nope.db\""
[ ! -e "$T_DIR/no-dir" ] && t_ok || t_bad "no-dir was created"
# The CLI read-only agrees; without -readonly it would have made the file.
sq -readonly "$T_DIR/nope.db" "SELECT 1"
[ "$SQ_RC" -ne 0 ] && t_ok || t_bad "sqlite3 -readonly opened a missing file: $SQ"
[ ! -e "$T_DIR/nope.db" ] && t_ok || t_bad "sqlite3 -readonly created nope.db"

case_ "a text file is not a database"
printf 'DATABASE_URL=sqlite:///app.db\n' >"$T_DIR/notes.txt"
run_probe "sqlite:///$T_DIR/notes.txt"
expect_fail_cause notadb
expect_out "\"error\":\"$T_DIR/notes.txt: file is not a database\""
expect_hint HINT_SQLITE_NOTADB
# SELECT 1 alone reads nothing from the file: the CLI answers 1 here.  The
# check reads the schema first, and so must the CLI to see it.
sq -readonly "$T_DIR/notes.txt" "SELECT 1"
[ "$SQ" = 1 ] && t_ok || t_bad "sqlite3 said: $SQ"
sq -readonly "$T_DIR/notes.txt" "SELECT count(*) FROM sqlite_master"
case "$SQ" in *"file is not a database"*) t_ok ;; *) t_bad "sqlite3 said: $SQ" ;; esac

case_ "a directory where the file should be"
mkdir "$T_DIR/mounted.db"
run_probe "sqlite:///$T_DIR/mounted.db"
expect_fail_cause is_dir
expect_out "\"error\":\"$T_DIR/mounted.db is a directory, not a database file\""
expect_hint HINT_FILE_IS_DIR

case_ "an empty file is an empty database: passes, with a warning"
: >"$T_DIR/empty.db"
run_probe "sqlite:///$T_DIR/empty.db"
expect_pass
expect_out '"warning":"the database file is empty: it has no tables yet"'
run_probe "sqlite:///$T_DIR/empty.db" query="SELECT count(*) FROM items"
expect_fail_cause no_table
expect_out '"error":"no such table: items"'

case_ "query= on a missing table"
run_probe "sqlite:///$DB" query="SELECT version_num FROM alembic_version"
expect_fail_cause no_table
expect_out '"error":"no such table: alembic_version"'
expect_hint HINT_SQL_NO_TABLE
run_probe "sqlite:///$DB" query="SELEC 1"
expect_fail_cause query
expect_out '"error":"query failed: near \\"SELEC\\": syntax error"'

case_ "unreadable for the user probe runs as"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$PROBE" 2>/dev/null; then
	chmod 711 "$T_DIR"
	cp "$DB" "$T_DIR/secret.db"
	chmod 600 "$T_DIR/secret.db"
	saved=$PROBE
	PROBE=setpriv
	run_probe --reuid=65534 --regid=65534 --clear-groups "$saved" "sqlite:///$T_DIR/secret.db"
	PROBE=$saved
	expect_fail_cause denied
	expect_out "\"error\":\"permission denied: $T_DIR/secret.db\""
	expect_hint HINT_FILE_DENIED
	set +e
	SQ=$(setpriv --reuid=65534 --regid=65534 --clear-groups sqlite3 -readonly "$T_DIR/secret.db" "SELECT 1" 2>&1)
	SQ_RC=$?
	set -e
	[ "$SQ_RC" -ne 0 ] && t_ok || t_bad "sqlite3 as nobody read it: $SQ"
	chmod 700 "$T_DIR"
else
	echo "sqlite.sh: not root, no setpriv, or nobody cannot run $PROBE; unreadable-file case skipped"
fi

case_ "locked by a writer: fails by the deadline"
cp "$DB" "$T_DIR/busy.db"
rm -f "$T_DIR/locked"
start_bg locker "$PYTHON" -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
c.execute("INSERT INTO items (name) VALUES (\"c\")")
open(sys.argv[2], "w").write("locked\n")
time.sleep(30)
' "$T_DIR/busy.db" "$T_DIR/locked"
LOCKER=${T_PIDS[${#T_PIDS[@]} - 1]}
for _ in $(seq 1 200); do
	[ -s "$T_DIR/locked" ] && break
	sleep 0.05
done
run_probe --timeout 1s "sqlite:///$T_DIR/busy.db"
expect_fail_cause locked
expect_out '"error":"the database is locked: another connection holds a write lock \(waited [0-9]+ ms\)"'
expect_hint HINT_SQLITE_LOCKED
expect_ms_below 1500
[ "$MS" -ge 800 ] && t_ok || t_bad "gave up after $MS ms, before the deadline"
sq -readonly -cmd ".timeout 200" "$T_DIR/busy.db" "SELECT count(*) FROM sqlite_master"
case "$SQ" in *"database is locked"*) t_ok ;; *) t_bad "sqlite3 said: $SQ" ;; esac
kill "$LOCKER" 2>/dev/null || true
wait "$LOCKER" 2>/dev/null || true
run_probe "sqlite:///$T_DIR/busy.db"
expect_pass

case_ "WAL mode: a writer does not block the check"
cp "$DB" "$T_DIR/wal.db"
sqlite3 "$T_DIR/wal.db" "PRAGMA journal_mode=WAL" >/dev/null
rm -f "$T_DIR/locked"
start_bg walwriter "$PYTHON" -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO items (name) VALUES (\"c\")")
open(sys.argv[2], "w").write("locked\n")
time.sleep(30)
' "$T_DIR/wal.db" "$T_DIR/locked"
WRITER=${T_PIDS[${#T_PIDS[@]} - 1]}
for _ in $(seq 1 200); do
	[ -s "$T_DIR/locked" ] && break
	sleep 0.05
done
run_probe --timeout 1s "sqlite:///$T_DIR/wal.db" query="SELECT count(*) FROM items"
expect_pass
kill "$WRITER" 2>/dev/null || true
wait "$WRITER" 2>/dev/null || true

case_ "a query slower than the deadline is interrupted"
run_probe --timeout 1s "sqlite:///$DB" \
	query="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
expect_fail_cause timeout
expect_out '"error":"the query did not finish within [0-9]+ ms"'
expect_ms_below 1500

case_ "a corrupt database"
sqlite3 "$T_DIR/corrupt.db" "CREATE TABLE t (x);
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
	INSERT INTO t SELECT hex(randomblob(50)) FROM n;"
# page 2 onwards: the table's b-tree
head -c 8192 /dev/urandom | dd of="$T_DIR/corrupt.db" bs=4096 seek=1 conv=notrunc 2>/dev/null
run_probe "sqlite:///$T_DIR/corrupt.db" query="SELECT count(*) FROM t"
expect_fail_cause corrupt
expect_out "\"error\":\"$T_DIR/corrupt.db: database disk image is malformed\""
expect_hint HINT_SQLITE_CORRUPT
sq -readonly "$T_DIR/corrupt.db" "SELECT count(*) FROM t"
case "$SQ" in *"malformed"*) t_ok ;; *) t_bad "sqlite3 said: $SQ" ;; esac

finish
