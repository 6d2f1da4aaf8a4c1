#!/usr/bin/env bash
# alembic.sh - alembic:DIR with real Alembic (Debian's python3-alembic 1.8)
# as the oracle: projects made with `alembic init` / `revision --rev-id`,
# linear chains, branches, merges and depends_on, applied with `alembic
# upgrade heads` to SQLite, PostgreSQL and MariaDB (tests/servers/db.sh).
# For every tree, probe's detail.heads must equal both
# `alembic heads --resolve-dependencies` and the rows `upgrade heads`
# leaves in alembic_version (read with SQLAlchemy); probe passes exactly
# when the database is at the heads, and each other state fails with its
# own message: behind (downgrade -1, a new revision), two unmerged heads
# half applied, never migrated, an empty version table, a revision the
# scripts don't know, a file deleted from the middle of the chain.  Also:
# `alembic init alembic`'s folder without its ini (discovered, checked),
# and down_revision = "" (a base, as Alembic reads it).
set -eu
. "$TESTLIB"
. "$SERVERS/db.sh"

PY=/usr/bin/python3 # Debian's, with alembic and SQLAlchemy (pyenv's may lack them)
if ! "$PY" -c 'import alembic, sqlalchemy' 2>/dev/null; then
	echo "alembic.sh: $PY has no alembic/sqlalchemy (apt-get install python3-alembic); skipped"
	exit 0
fi
run_probe "alembic:$T_DIR" db=none
if [ "$RC" = 64 ] && printf '%s\n' "$OUT" | grep -q "unknown check kind"; then
	echo "alembic.sh: this probe has no alembic: kind; skipped"
	exit 0
fi

# al PROJ ARGS...: alembic in project folder PROJ (quiet unless it fails).
al() {
	local proj=$1
	shift
	if ! (cd "$proj" && "$PY" -m alembic "$@") >"$T_DIR/al.log" 2>&1; then
		echo "alembic $* failed in $proj:" >&2
		cat "$T_DIR/al.log" >&2
		return 1
	fi
}
# mkproj PROJ URL: a fresh `alembic init` project whose ini names URL.
mkproj() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$1" && "$PY" -m alembic init migrations >/dev/null)
	# | as the sed separator; the URL holds no |.
	sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = $2|" "$1/alembic.ini"
}
# rev PROJ ID [ARGS...]: a revision with a deterministic id.
rev() {
	local proj=$1 id=$2
	shift 2
	al "$proj" revision -m "rev $id" --rev-id "$id" "$@"
}
# sql URL SQL: runs SQL through SQLAlchemy; prints the rows' first column.
sql() {
	"$PY" - "$1" "$2" <<'PY'
import sys, sqlalchemy as sa
e = sa.create_engine(sys.argv[1])
with e.begin() as c:
    r = c.execute(sa.text(sys.argv[2]))
    if r.returns_rows:
        for row in r:
            print(row[0])
PY
}
# json_list WORDS...: ["a","b"] of the words, sorted.
json_list() {
	local out="" w
	for w in $(printf '%s\n' "$@" | sort); do
		out="$out${out:+,}\"$w\""
	done
	printf '[%s]' "$out"
}
# Oracles: the heads Alembic computes, and the rows it leaves.
oracle_heads() { # PROJ
	(cd "$1" && "$PY" -m alembic heads --resolve-dependencies 2>/dev/null) | awk '{print $1}'
}
oracle_rows() { # URL
	sql "$1" "SELECT version_num FROM alembic_version"
}
# the one check's report line
line() { printf '^\\{"check":"alembic",.*"result":"%s"' "$1"; }
expect_pass_at() { # HEADS-JSON: passes, heads = db = HEADS-JSON, nothing pending
	expect_rc 0
	expect_out '^\{"probe":"healthy","failed":0,"passed":1,'
	expect_out "$(line pass).*\"detail\":\\{\"heads\":$(printf '%s' "$1" | sed 's/[][]/\\&/g'),\"db\":$(printf '%s' "$1" | sed 's/[][]/\\&/g'),\"pending\":\\[\\]\\}"
}
expect_fail_msg() { # ERROR-REGEX (a prefix) HINT_ID (probe/hints.h)
	expect_rc 1
	expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,'
	expect_out "$(line fail),\"ms\":[0-9.]+,\"error\":\"$1"
	expect_hint "$2"
}
expect_detail() { # REGEX inside detail
	expect_out "\"detail\":\\{$1"
}
# asserts probe's heads equal Alembic's (both oracles) at a database at
# heads, and that probe passes there.
check_at_heads() { # PROJ URL [probe options]
	local proj=$1 url=$2 heads rows
	shift 2
	heads=$(json_list $(oracle_heads "$proj"))
	rows=$(json_list $(oracle_rows "$url"))
	if [ "$heads" = "$rows" ]; then t_ok; else t_bad "alembic heads $heads, rows $rows"; fi
	run_probe "alembic:$proj" "$@"
	expect_pass_at "$heads"
}

# scenario NAME URL: the whole story against one database.
scenario() {
	local name=$1 url=$2 P="$T_DIR/$1"
	local X=(db="$url")

	case_ "$name: a project without revisions, never migrated"
	mkproj "$P" "$url"
	sql "$url" "CREATE TABLE app_items (id INTEGER PRIMARY KEY)" # the app's own
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "no alembic_version table: the database was never migrated" HINT_ALEMBIC_NEVER
	expect_detail '"heads":\[\]'

	case_ "$name: linear chain, never migrated"
	rev "$P" 001
	rev "$P" 002
	rev "$P" 003
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "no alembic_version table: the database was never migrated" HINT_ALEMBIC_NEVER

	case_ "$name: linear chain at head (URL from alembic.ini, then db=)"
	al "$P" upgrade heads
	check_at_heads "$P" "$url"
	check_at_heads "$P" "$url" "${X[@]}"

	case_ "$name: downgrade -1: one pending"
	al "$P" downgrade -1
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "database at 002, scripts' head 003: 1 migration pending" HINT_ALEMBIC_PENDING
	expect_detail '"heads":\["003"\],"db":\["002"\],"pending":\["003"\]\}'

	case_ "$name: a new revision in the image: two pending, in order"
	rev "$P" 004
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "database at 002, scripts' head 004: 2 migrations pending" HINT_ALEMBIC_PENDING
	expect_detail '"heads":\["004"\],"db":\["002"\],"pending":\["003","004"\]\}'
	al "$P" upgrade heads
	check_at_heads "$P" "$url" "${X[@]}"

	case_ "$name: downgrade base: an empty version table"
	al "$P" downgrade base
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "alembic_version is empty: the database is at base, scripts' head 004: 4 migrations pending" HINT_ALEMBIC_PENDING
	expect_detail '"heads":\["004"\],"db":\[\],"pending":\["001","002","003","004"\]\}'
	al "$P" upgrade heads

	case_ "$name: a branch from 002 (--splice, --branch-label): two heads"
	rev "$P" b1 --head 002 --splice --branch-label side
	[ "$(json_list $(oracle_heads "$P"))" = '["004","b1"]' ] && t_ok || t_bad "alembic heads: $(oracle_heads "$P")"
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "database at 004; scripts' heads 004, b1: 1 migration pending" HINT_ALEMBIC_PENDING
	expect_detail '"heads":\["004","b1"\],"db":\["004"\],"pending":\["b1"\]\}'
	run_probe "alembic:$P" "${X[@]}" heads=1
	expect_fail_msg "2 heads \\(004, b1\\), heads=1 allows 1" HINT_ALEMBIC_HEADS
	al "$P" upgrade heads
	check_at_heads "$P" "$url" "${X[@]}"
	check_at_heads "$P" "$url" "${X[@]}" heads=2
	run_probe "alembic:$P" db=none heads=1
	expect_fail_msg "2 heads \\(004, b1\\), heads=1 allows 1" HINT_ALEMBIC_HEADS

	case_ "$name: merged"
	al "$P" merge heads -m merge --rev-id m1
	run_probe "alembic:$P" "${X[@]}" heads=1
	expect_fail_msg "database at 004, b1; scripts' head m1: 1 migration pending" HINT_ALEMBIC_PENDING
	al "$P" upgrade heads
	check_at_heads "$P" "$url" "${X[@]}" heads=1

	case_ "$name: depends_on an independent branch: its head is no row"
	rev "$P" lib1 --head base --branch-label lib
	rev "$P" c1 --head m1 --depends-on lib1
	# plain `alembic heads` lists lib1 too; the rows do not
	[ "$(json_list $( (cd "$P" && "$PY" -m alembic heads 2>/dev/null) | awk '{print $1}'))" = '["c1","lib1"]' ] && t_ok || t_bad "alembic heads"
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "database at m1, scripts' head c1: 2 migrations pending" HINT_ALEMBIC_PENDING
	expect_detail '"heads":\["c1"\],"db":\["m1"\],"pending":\["lib1","c1"\]\}'
	al "$P" upgrade heads
	check_at_heads "$P" "$url" "${X[@]}"
	rev "$P" c2 --head c1 --depends-on lib
	al "$P" upgrade heads
	check_at_heads "$P" "$url" "${X[@]}"

	case_ "$name: the database at a revision the scripts don't know"
	sql "$url" "UPDATE alembic_version SET version_num = '9f3c'"
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "the database is at 9f3c \\(not in the scripts\\): the image is older than the database\\?" HINT_ALEMBIC_UNKNOWN
	expect_detail '"heads":\["c2"\],"db":\["9f3c"\]'
	sql "$url" "UPDATE alembic_version SET version_num = 'c2'"

	case_ "$name: the version table dropped"
	sql "$url" "DROP TABLE alembic_version"
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "no alembic_version table: the database was never migrated" HINT_ALEMBIC_NEVER
	al "$P" stamp heads
	check_at_heads "$P" "$url" "${X[@]}"

	case_ "$name: a file deleted from the middle of the chain"
	mv "$P/migrations/versions/002_rev_002.py" "$T_DIR/002.py.away"
	run_probe "alembic:$P" "${X[@]}"
	expect_fail_msg "003_rev_003.py: down_revision '002' names no revision: was 002 deleted or never committed\\?" HINT_ALEMBIC_GRAPH
	expect_no_out '"db":'
	run_probe "alembic:$P" db=none
	expect_fail_msg "003_rev_003.py: down_revision '002' names no revision" HINT_ALEMBIC_GRAPH
	mv "$T_DIR/002.py.away" "$P/migrations/versions/002_rev_002.py"
	check_at_heads "$P" "$url" "${X[@]}"
}

# ---------------------------------------------------------------- SQLite
S="$T_DIR/sq"
scenario sqlite "sqlite:///$T_DIR/app.db"

case_ "sqlite: DIR as the script location and as the versions folder"
run_probe "alembic:$T_DIR/sqlite/migrations" "db=sqlite:///$T_DIR/app.db"
expect_pass_at '["c2"]'
run_probe "alembic:$T_DIR/sqlite/migrations/versions" "db=sqlite:///$T_DIR/app.db"
expect_pass_at '["c2"]'
run_probe "alembic:$T_DIR/sqlite/alembic.ini"
expect_pass_at '["c2"]'
run_probe "alembic:$T_DIR/sqlite/migrations/versions" db=none
expect_rc 0
expect_out "$(line pass).*\"detail\":\\{\"heads\":\\[\"c2\"\\]\\}"

case_ "sqlite: \`alembic init alembic\`'s folder without alembic.ini: discovered, its graph checked"
N="$T_DIR/noini"
rm -rf "$N"
mkdir -p "$N"
(cd "$N" && "$PY" -m alembic init alembic >/dev/null)
sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///$T_DIR/noini.db|" "$N/alembic.ini"
rev "$N" n1
rev "$N" n2
rev "$N" n3
al "$N" upgrade heads
NHEADS=$(json_list $(oracle_heads "$N"))
mv "$N/alembic.ini" "$T_DIR/noini.ini" # the image copied only the scripts
cd "$N"
run_probe --plan
if printf '%s\n' "$STDOUT" | grep -Fxq 'alembic:alembic'; then t_ok; else
	t_bad "no plan line 'alembic:alembic' in:"$'\n'"$STDOUT"
fi
if printf '%s\n' "$STDOUT" | grep -q '^# alembic/env.py and alembic/versions/ in the working directory, no alembic.ini'; then
	t_ok
else
	t_bad "no reason for alembic:alembic in:"$'\n'"$STDOUT"
fi
DATABASE_URL="sqlite:///$T_DIR/noini.db" run_probe alembic:alembic
expect_pass_at "$NHEADS"
# Flask-Migrate keeps its ini inside the folder, without script_location.
grep -v '^script_location' "$T_DIR/noini.ini" >alembic/alembic.ini
DATABASE_URL="sqlite:///$T_DIR/noini.db" run_probe alembic:alembic
expect_pass_at "$NHEADS"
rm alembic/alembic.ini
# The graph is still checked: n2's file gone leaves n3 without its parent.
mv alembic/versions/n2_*.py "$T_DIR/"
DATABASE_URL="sqlite:///$T_DIR/noini.db" run_probe alembic:alembic
expect_fail_msg "n3_[a-z0-9_]*\\.py: down_revision 'n2' names no revision" HINT_ALEMBIC_GRAPH
cd "$T_DIR"

case_ "sqlite: down_revision = \"\" is a base, as Alembic reads it; ('',) fails in both"
E="$T_DIR/emptydown"
mkproj "$E" "sqlite:///$T_DIR/emptydown.db"
rev "$E" e1
rev "$E" e2
sed -i 's/^down_revision = .*/down_revision = ""/' "$E"/migrations/versions/e1_*.py
al "$E" upgrade heads
check_at_heads "$E" "sqlite:///$T_DIR/emptydown.db"
sed -i "s/^down_revision = .*/down_revision = ('',)/" "$E"/migrations/versions/e1_*.py
if (cd "$E" && "$PY" -m alembic heads) >/dev/null 2>&1; then
	t_bad "alembic accepted down_revision = ('',)"
else
	t_ok
fi
run_probe "alembic:$E"
expect_fail_msg "e1_[a-z0-9_]*\\.py: down_revision lists an empty id: a base has None" HINT_ALEMBIC_GRAPH

case_ "pyproject.toml [tool.alembic] (Alembic 1.16+; no oracle in 1.8)"
mkdir "$T_DIR/pp"
printf '[project]\nname = "app"\n\n[tool.alembic]\nscript_location = "%%(here)s/../sqlite/migrations"\n' >"$T_DIR/pp/pyproject.toml"
run_probe "alembic:$T_DIR/pp" "db=sqlite:///$T_DIR/app.db"
expect_pass_at '["c2"]'

case_ "sqlite: the ini's URL: a placeholder falls back to \$DATABASE_URL, \${VAR} expands"
cp "$T_DIR/sqlite/alembic.ini" "$T_DIR/ini.keep"
sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = driver://user:pass@localhost/dbname|" "$T_DIR/sqlite/alembic.ini"
run_probe "alembic:$T_DIR/sqlite"
expect_fail_msg "no database to compare with: no db=, no usable sqlalchemy.url, no \\\$DATABASE_URL" HINT_ALEMBIC_NO_URL
DATABASE_URL="sqlite:///$T_DIR/app.db" run_probe "alembic:$T_DIR/sqlite"
expect_pass_at '["c2"]'
sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///\${ALEMBIC_T_DIR}/app.db|" "$T_DIR/sqlite/alembic.ini"
ALEMBIC_T_DIR=$T_DIR run_probe "alembic:$T_DIR/sqlite"
expect_pass_at '["c2"]'
cp "$T_DIR/ini.keep" "$T_DIR/sqlite/alembic.ini"

case_ "sqlite: the database check on the same database failed: the graph is still judged"
run_probe "sqlite:///$T_DIR/gone.db" "alembic:$T_DIR/sqlite" "db=sqlite+aiosqlite:///$T_DIR/gone.db"
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":1,"passed":0,"skipped":1'
expect_out '^\{"check":"alembic",.*"result":"skip".*"cause":"sqlite:///'
expect_out '^\{"check":"alembic",.*"result":"skip".*"error":"the scripts'"'"' graph is valid; not compared with the database: sqlite:///[^"]*gone.db failed","detail":\{"heads":\["c2"\],"compared":false\}'
expect_no_out '^\{"check":"alembic",.*"hint":'
run_probe --format text "sqlite:///$T_DIR/gone.db" "alembic:$T_DIR/sqlite" "db=sqlite+aiosqlite:///$T_DIR/gone.db"
expect_rc 1
expect_out "alembic:.*skipped: sqlite:///.*gone.db failed"
# A broken graph fails whether or not the database answers.
mv "$T_DIR"/sqlite/migrations/versions/c1_*.py "$T_DIR/c1.away"
run_probe "sqlite:///$T_DIR/gone.db" "alembic:$T_DIR/sqlite" "db=sqlite+aiosqlite:///$T_DIR/gone.db"
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":2,"passed":0,"skipped":0'
expect_out "$(line fail),\"ms\":[0-9.]+,\"error\":\"[^\"]*: down_revision 'c1' names no revision"
expect_hint HINT_ALEMBIC_GRAPH
mv "$T_DIR/c1.away" "$T_DIR"/sqlite/migrations/versions/

case_ "sqlite: version_locations, recursive, editor files, __init__.py"
V="$T_DIR/vl"
mkproj "$V" "sqlite:///$T_DIR/vl.db"
mkdir -p "$V/more/sub"
rev "$V" a1
sed -i "s|^# version_locations = .*|version_locations = %(here)s/migrations/versions %(here)s/more|; s|^version_path_separator = .*|version_path_separator = space|" "$V/alembic.ini"
grep -q '^version_locations' "$V/alembic.ini" && t_ok || t_bad "no version_locations line to edit"
rev "$V" a2 --version-path "$V/more"
printf 'revision = "junk"\n' >"$V/more/.#a2_rev_a2.py"
printf 'revision = "junk2"\n' >"$V/more/a2_rev_a2.py~"
printf 'revision = "junk3"\n' >"$V/more/__init__.py"
al "$V" upgrade heads
check_at_heads "$V" "sqlite:///$T_DIR/vl.db"
# a revision one folder down counts only with recursive_version_locations
sed "s/a2/a3/g; s/rev_a3/rev_a3/" "$V/more/a2_rev_a2.py" | sed "s/^down_revision = .*/down_revision = 'a2'/" >"$V/more/sub/a3.py"
run_probe "alembic:$V"
expect_pass_at '["a2"]'
printf '\nrecursive_version_locations = true\n' >>"$V/alembic.ini"
sed -i 's/^\[alembic\]$/[alembic]\nrecursive_version_locations = true/' "$V/alembic.ini"
run_probe "alembic:$V"
expect_fail_msg "database at a2, scripts' head a3: 1 migration pending" HINT_ALEMBIC_PENDING

case_ "scripts probe can't read without Python: named, not guessed"
B="$T_DIR/bad"
mkdir -p "$B/versions"
printf 'revision = "x1"\ndown_revision = None\n' >"$B/versions/x1.py"
printf 'from x1 import revision as r\nrevision = "x2"\ndown_revision = r\n' >"$B/versions/x2.py"
run_probe "alembic:$B" db=none
expect_fail_msg "x2.py: line 3: down_revision is not a literal \\(r\\)" HINT_ALEMBIC_GRAPH
cp "$B/versions/x1.py" "$B/versions/x1_copy.py"
rm "$B/versions/x2.py"
run_probe "alembic:$B" db=none
expect_fail_msg "revision 'x1' is in two files: x1.py and x1_copy.py" HINT_ALEMBIC_GRAPH
run_probe "alembic:$T_DIR/nowhere" db=none
expect_fail_msg "no such folder: $T_DIR/nowhere" HINT_ALEMBIC_NO_SCRIPTS
mkdir "$T_DIR/emptydir"
run_probe "alembic:$T_DIR/emptydir" db=none
expect_fail_msg "no alembic.ini, env.py, versions/ or migration file in $T_DIR/emptydir" HINT_ALEMBIC_NO_SCRIPTS

case_ "usage errors"
run_probe "alembic:$T_DIR" table='x;drop'
expect_rc 64
run_probe "alembic:$T_DIR" heads=0
expect_rc 64
run_probe "alembic:$T_DIR" db=redis://127.0.0.1/0
expect_rc 64
run_probe "alembic:"
expect_rc 64

# ---------------------------------------------------------------- servers
if [ -x "$DB_PG_BIN/postgres" ]; then
	pg_start
	scenario postgres "$PG_URL"
	case_ "postgres: schema= and table="
	sql "$PG_URL" "CREATE SCHEMA other"
	sql "$PG_URL" "CREATE TABLE other.\"Versions\" (version_num varchar(32) primary key)"
	sql "$PG_URL" "INSERT INTO other.\"Versions\" VALUES ('c2')"
	run_probe "alembic:$T_DIR/postgres" "db=$PG_URL" schema=other table=Versions
	expect_pass_at '["c2"]'
	run_probe "alembic:$T_DIR/postgres" "db=$PG_URL" schema=nope
	expect_fail_msg "no nope.alembic_version table: the database was never migrated" HINT_ALEMBIC_NEVER
	pg_stop
else
	echo "alembic.sh: no PostgreSQL at $DB_PG_BIN; its cases skipped"
fi
if [ -x "$DB_MARIADBD" ]; then
	my_start
	scenario mariadb "$(printf '%s' "$MY_URL" | sed 's|^mysql://|mysql+pymysql://|; s|^mariadb://|mysql+pymysql://|')"
	my_stop
else
	echo "alembic.sh: no MariaDB; its cases skipped"
fi

finish
