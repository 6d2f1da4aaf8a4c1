#!/usr/bin/env bash
# static.sh - the fully static binary (docker/build-static.sh) in an empty
# root, as in a FROM scratch image: a folder holding only /probe, an
# /etc/hosts and the files a check reads (a CA, SQLite databases, an
# Alembic versions folder, a frontend build, a checks file), entered with
# chroot as uid 65532 with an empty environment and the root mounted
# read-only, against real servers on loopback: an HTTP and an HTTPS server
# (tests/servers/httpd.py), PostgreSQL (SCRAM), MariaDB (native and ed25519
# users) and Redis (with a password) from tests/servers/db.sh.  Every
# check kind runs there; each case asserts the exit code and the check's
# report line.  Skipped unless PROBE_STATIC_BIN names the static binary:
#
#   PROBE_STATIC_BIN=$PWD/build-static/probe ctest --test-dir build-static/build -R static
#
# Read-only root and /proc: each run enters a private mount namespace
# (unshare -m: it goes away with the process whatever happens),
# bind-mounts the root onto itself read-only and, for the listen:// cases,
# mounts a read-only procfs at /proc as container runtimes do (a bare
# chroot has none: listen:// must then fail and say why).  Where mounting
# is not allowed, the runs go without the read-only mount and the /proc
# cases are skipped, each with a message.
set -eu

if [ -z "${PROBE_STATIC_BIN:-}" ]; then
	echo "static: skipped: set PROBE_STATIC_BIN to the binary docker/build-static.sh made"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "static: skipped: chroot needs root"
	exit 0
fi
[ -x "$PROBE_STATIC_BIN" ] || { echo "static: PROBE_STATIC_BIN=$PROBE_STATIC_BIN is not an executable" >&2; exit 1; }
for c in file openssl sqlite3 unshare; do
	command -v "$c" >/dev/null || { echo "static: the $c command is missing" >&2; exit 1; }
done
PROBE=$PROBE_STATIC_BIN
# shellcheck source=tests/integration/lib.sh
. "${TESTLIB:-$(dirname "$0")/lib.sh}"
# shellcheck source=tests/servers/db.sh
. "$SERVERS/db.sh"

USERSPEC=65532:65532
CHROOT=$(command -v chroot)
ROOT=$T_DIR/root
C=$T_DIR/tls

# --- servers on loopback --------------------------------------------------
PORT=$(free_port)
DEAD=$(free_port)
TLS=$(free_port)
mkdir -p "$C"
(
	cd "$C"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout ca.key -out ca.crt -days 2 -subj "/CN=probe static test CA"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout srv.key -out srv.csr -subj "/CN=probe-test-host"
	printf 'subjectAltName=DNS:probe-test-host,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >ext.cnf
	openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
		-out srv.crt -days 2 -extfile ext.cnf
) >"$T_DIR/openssl.log" 2>&1
start_bg httpd "$PYTHON" "$SERVERS/httpd.py" --host 127.0.0.1 --port "$PORT" --mode good
start_bg tls "$PYTHON" "$SERVERS/httpd.py" --host 127.0.0.1 --port "$TLS" --mode tls \
	--cert "$C/srv.crt" --key "$C/srv.key"
wait_port "$PORT"
wait_port "$TLS"
pg_start >/dev/null
my_start >/dev/null
redis_start >/dev/null

# --- the empty root ---------------------------------------------------------
# The binary, and /etc/hosts as Docker and Kubernetes mount one (plus a
# name of our own); then only what the checks read.  No libc, no shell, no
# /etc/passwd, no nsswitch.conf, no resolv.conf, no CA bundle.
mkdir -m 755 "$ROOT" "$ROOT/etc" "$ROOT/proc" "$ROOT/data" "$ROOT/app" "$ROOT/web"
mkdir -m 1777 "$ROOT/tmp" # writable for everyone, but on a read-only mount
install -m 755 "$PROBE_STATIC_BIN" "$ROOT/probe"
printf '127.0.0.1\tlocalhost\n127.0.0.1\tprobe-test-host\n' >"$ROOT/etc/hosts"
install -m 644 "$C/ca.crt" "$ROOT/ca.pem"

# Alembic: three hand-written revisions in the forms Alembic's templates
# write (plain, typed, split over lines); no Python, no alembic in the root.
V=$ROOT/app/migrations/versions
mkdir -p "$V"
cat >"$V/001_create_items.py" <<'EOF'
"""create items

Revision ID: 001
Revises:
Create Date: 2024-05-01 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = "001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("items", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("items")
EOF
cat >"$V/002_add_users.py" <<'EOF'
"""add users

Revision ID: 002
Revises: 001
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "002"
down_revision: Union[str, None] = "001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("users")
EOF
cat >"$V/003_index_users.py" <<'EOF'
"""index users

Revision ID: 003
Revises: 002
"""
from alembic import op

revision = '003'
down_revision = (
    '002'
)
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_users_id", "users", ["id"])


def downgrade():
    op.drop_index("ix_users_id", "users")
EOF
# The databases: app.db at the head, behind.db one migration behind.
for db in app:003 behind:002; do
	sqlite3 "$ROOT/data/${db%%:*}.db" "CREATE TABLE items (id INTEGER PRIMARY KEY);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('${db#*:}');"
done
chmod 644 "$ROOT/data/"*.db

# A Vite-like build: dist/index.html and every asset it loads; and a copy
# with one script missing, as a build cut off halfway leaves it.
mkdir -p "$ROOT/web/dist/assets"
cat >"$ROOT/web/dist/index.html" <<'EOF'
<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" type="image/svg+xml" href="/vite.svg" />
    <title>app</title>
    <script type="module" crossorigin src="/assets/index-4f2a9c1e.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-9b1d77a0.css">
  </head>
  <body><div id="app"></div></body>
</html>
EOF
echo 'console.log("app")' >"$ROOT/web/dist/assets/index-4f2a9c1e.js"
echo '#app{margin:2rem}' >"$ROOT/web/dist/assets/index-9b1d77a0.css"
echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$ROOT/web/dist/vite.svg"
cp -a "$ROOT/web" "$ROOT/web-cut"
rm "$ROOT/web-cut/dist/assets/index-4f2a9c1e.js"

# A checks file as an image would ship one for -f: every kind at once.
cat >"$ROOT/checks" <<EOF
# one check and its options a line
frontend:/web kind=vite
listen://:$PORT
tcp://probe-test-host:$PORT
http://127.0.0.1:$PORT/health json=.status=ok
https://probe-test-host:$TLS/health cacert=/ca.pem
postgresql+asyncpg://app:app-pw-1@127.0.0.1:$PG_PORT/app
mysql+aiomysql://app:app-pw-1@127.0.0.1:$MY_PORT/app
redis://:redis-pw-1@127.0.0.1:$REDIS_PORT/0
sqlite+aiosqlite:////data/app.db
alembic:/app/migrations db=sqlite:////data/app.db
EOF
chmod -R a+rX "$ROOT"

# --- entering it --------------------------------------------------------------
# Can this machine make a read-only bind mount in a private namespace?
RO=0
if unshare --mount --propagation private sh -c \
	"mount --bind '$ROOT' '$ROOT' && mount -o remount,bind,ro '$ROOT'" 2>/dev/null; then
	RO=1
else
	echo "static: the root stays writable: a read-only bind mount is not allowed here (unshare -m)"
fi

# The wrapper run_probe runs: with RO=1 it re-runs itself in a private
# mount namespace (NS=1), makes the root read-only there and, with PROC=1,
# mounts a read-only procfs at its /proc.  Then it enters the root as uid
# 65532 with an empty environment, plus the words of $IN_ENV (NAME=VALUE,
# no spaces).
cat >"$T_DIR/in-root" <<EOF
#!/bin/sh
set -f
if [ $RO = 1 ] && [ "\${NS:-0}" = 0 ]; then
	NS=1 exec unshare --mount --propagation private "\$0" "\$@"
fi
if [ "\${NS:-0}" = 1 ]; then
	mount --bind '$ROOT' '$ROOT' && mount -o remount,bind,ro '$ROOT' || exit 70
	if [ "\${PROC:-0}" = 1 ]; then
		mount -t proc -o ro,nosuid,nodev,noexec proc '$ROOT/proc' || exit 70
	fi
fi
exec env -i \${IN_ENV:-} '$CHROOT' --userspec=$USERSPEC '$ROOT' /probe "\$@"
EOF
chmod 755 "$T_DIR/in-root"
# shellcheck disable=SC2034 # read by lib.sh's run_probe
PROBE=$T_DIR/in-root

# The JSON line of the check named $1, up to where a pattern follows.
line() { printf '"name":"%s".*' "$1"; }
# $1 with the characters an ERE gives a meaning escaped.
re() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

case_ "file says statically linked"
# shellcheck disable=SC2034 # read by lib.sh's expect_out
OUT=$(file -L "$PROBE_STATIC_BIN")
expect_out 'statically linked'
expect_no_out 'dynamically linked|interpreter'

case_ "probe starts in the empty root as uid 65532"
run_probe --version
expect_rc 0
if printf '%s\n' "$STDOUT" | grep -q '^probe '; then t_ok; else t_bad "--version printed '$STDOUT'"; fi

case_ "the root is read-only (a 1777 /tmp in it is not writable)"
if [ $RO = 1 ]; then
	run_probe --format json dir:/tmp writable=yes
	expect_rc 1
	expect_out "$(line dir:/tmp)\"result\":\"fail\".*\"error\":\"/tmp: read-only file system\""
else
	echo "static: read-only root case skipped"
fi

case_ "probe runs as uid 65532 (a root-owned 755 folder is not writable)"
run_probe --format json dir:/data writable=yes
expect_rc 1
expect_out "$(line dir:/data)\"result\":\"fail\".*\"error\":\"/data: (not writable by uid 65532|read-only file system)\""

# --- socket -------------------------------------------------------------------
case_ "tcp:// to 127.0.0.1"
run_probe --format json "tcp://127.0.0.1:$PORT"
expect_rc 0
expect_out "$(line "tcp://127.0.0.1:$PORT")\"result\":\"pass\""

case_ "tcp:// to a name from /etc/hosts (glibc's resolver, static)"
run_probe --format json "tcp://probe-test-host:$PORT"
expect_rc 0
expect_out "$(line "tcp://probe-test-host:$PORT")\"result\":\"pass\".*\"address\":\"127\\.0\\.0\\.1:$PORT\""

case_ "tcp:// to a closed port: refused"
run_probe --format json "tcp://127.0.0.1:$DEAD"
expect_rc 1
expect_out "$(line "tcp://127.0.0.1:$DEAD")\"result\":\"fail\".*\"error\":\"connection refused"

case_ "listen:// without /proc: the kernel answers over netlink"
run_probe --format json "listen://:$PORT"
expect_rc 0
expect_out "$(line "listen://:$PORT")\"result\":\"pass\".*\"bound\":\[\"127\.0\.0\.1\"\]"
run_probe --format json "listen://:$PORT" public=yes
expect_rc 1
expect_out "$(line "listen://:$PORT")\"result\":\"fail\".*bound to loopback only"

case_ "listen:// with neither netlink nor /proc: fails and says why"
IN_ENV=PROBE_PROCNET_SOURCE=proc run_probe --format json "listen://:$PORT"
expect_rc 1
expect_out "$(line "listen://:$PORT")\"result\":\"fail\".*\"error\":\"cannot read /proc/net/tcp"

case_ "listen:// from a read-only /proc, as a container runtime mounts it (netlink refused)"
if [ $RO = 1 ]; then
	IN_ENV=PROBE_PROCNET_SOURCE=proc PROC=1 run_probe --format json "listen://:$PORT"
	expect_rc 0
	expect_out "$(line "listen://:$PORT")\"result\":\"pass\".*\"bound\":\\[\"127\\.0\\.0\\.1\"\\]"
	IN_ENV=PROBE_PROCNET_SOURCE=proc PROC=1 run_probe --format json "listen://:$PORT" public=yes
	expect_rc 1
	expect_out "$(line "listen://:$PORT")\"result\":\"fail\".*bound to loopback only"
else
	echo "static: listen:// with /proc skipped: mounting procfs is not allowed here"
fi

# --- http, https ----------------------------------------------------------------
case_ "http:// to 127.0.0.1"
run_probe --format json "http://127.0.0.1:$PORT/health" json=.status=ok
expect_rc 0
expect_out "$(line "http://127.0.0.1:$PORT/health")\"result\":\"pass\".*\"status\":200"

case_ "http:// to a name from /etc/hosts (c-ares, inside libcurl)"
run_probe --format json "http://probe-test-host:$PORT/health"
expect_rc 0
expect_out "$(line "http://probe-test-host:$PORT/health")\"result\":\"pass\".*\"status\":200"

case_ "http:// 404: the verdict, not a crash"
run_probe --format json "http://127.0.0.1:$PORT/nope"
expect_rc 1
expect_out "$(line "http://127.0.0.1:$PORT/nope")\"result\":\"fail\".*\"error\":\"status 404"

case_ "https:// with cacert=/ca.pem copied into the root"
run_probe --format json "https://127.0.0.1:$TLS/health" cacert=/ca.pem json=.db.up=true
expect_rc 0
expect_out "$(line "https://127.0.0.1:$TLS/health")\"result\":\"pass\".*\"status\":200"

case_ "https:// to a name from /etc/hosts: the certificate is checked for that name"
run_probe --format json "https://probe-test-host:$TLS/health" cacert=/ca.pem
expect_rc 0
expect_out "$(line "https://probe-test-host:$TLS/health")\"result\":\"pass\".*\"status\":200"

case_ "https:// with SSL_CERT_FILE=/ca.pem"
IN_ENV=SSL_CERT_FILE=/ca.pem run_probe --format json "https://127.0.0.1:$TLS/health"
expect_rc 0
expect_out "$(line "https://127.0.0.1:$TLS/health")\"result\":\"pass\""

case_ "https:// with no CA anywhere: fails before connecting, says so"
run_probe --format json "https://127.0.0.1:$TLS/health"
expect_rc 1
expect_out "$(line "https://127.0.0.1:$TLS/health")\"result\":\"fail\".*\"error\":\"no CA certificates to verify 127\\.0\\.0\\.1 with \\(looked for /etc/ssl/certs/ca-certificates\\.crt and [0-9]+ more\\)\".*\"hint\":\"no CA bundle found in this image"

case_ "https:// insecure=yes needs no CA"
run_probe --format json "https://127.0.0.1:$TLS/health" insecure=yes
expect_rc 0
expect_out "$(line "https://127.0.0.1:$TLS/health")\"result\":\"pass\""

# --- databases ----------------------------------------------------------------
PG=postgresql+psycopg2://app:app-pw-1@127.0.0.1:$PG_PORT/app
PG_MASKED="postgresql\\+psycopg2://app:\\*\\*\\*@127\\.0\\.0\\.1:$PG_PORT/app"

case_ "postgres: SCRAM password over TCP"
run_probe --format json "$PG"
expect_rc 0
expect_out "\"name\":\"$PG_MASKED\".*\"result\":\"pass\".*\"server_version\":\"15"
expect_no_out app-pw-1

case_ "postgres: a wrong password is an auth failure"
run_probe --format json "${PG/app-pw-1/wrong-pw}"
expect_rc 1
expect_out '"check":"postgres".*"result":"fail".*"cause":"auth"'

case_ "postgres: @DATABASE_URL, the word Coolify's character set allows"
IN_ENV="DATABASE_URL=$PG" run_probe --format json @DATABASE_URL
expect_rc 0
expect_out "\"name\":\"$PG_MASKED\".*\"result\":\"pass\""

case_ "mysql: native password"
run_probe --format json "mysql+pymysql://app:app-pw-1@127.0.0.1:$MY_PORT/app"
expect_rc 0
expect_out "\"check\":\"mysql\",\"name\":\"mysql\\+pymysql://app:\\*\\*\\*@127\\.0\\.0\\.1:$MY_PORT/app\".*\"result\":\"pass\".*\"server_version\":\"10\\.11"

case_ "mysql: ed25519 (a client plugin built in, no dlopen)"
if [ "${MY_ED25519:-0}" = 1 ]; then
	run_probe --format json "$MY_ED_URL"
	expect_rc 0
	expect_out "\"check\":\"mysql\",\"name\":\"mysql://edapp:\\*\\*\\*@127\\.0\\.0\\.1:$MY_PORT/app\".*\"result\":\"pass\""
else
	echo "static: mysql ed25519 skipped: this MariaDB has no auth_ed25519 plugin"
fi
# caching_sha2_password: MariaDB has no server side of it, so no case here;
# ed25519 proves a plugin Debian's libmariadb.a would dlopen is built in.

case_ "redis: with a password"
run_probe --format json "$REDIS_URL"
expect_rc 0
expect_out "\"check\":\"redis\",\"name\":\"redis://:\\*\\*\\*@127\\.0\\.0\\.1:$REDIS_PORT/0\".*\"result\":\"pass\".*\"server_version\":\"7"

case_ "redis: a wrong password is an auth failure"
run_probe --format json "redis://:wrong-pw@127.0.0.1:$REDIS_PORT/0"
expect_rc 1
expect_out '"check":"redis".*"result":"fail".*"cause":"auth"'

case_ "sqlite: a database file in the read-only root"
run_probe --format json sqlite+aiosqlite:////data/app.db
expect_rc 0
expect_out '"check":"sqlite","name":"sqlite\+aiosqlite:////data/app\.db".*"result":"pass"'

case_ "sqlite: a missing file fails (and is not created)"
run_probe --format json sqlite:////data/none.db
expect_rc 1
expect_out '"check":"sqlite".*"result":"fail"'

# --- schema, build ------------------------------------------------------------
case_ "alembic: the versions folder and a database at its head"
run_probe --format json alembic:/app/migrations/versions db=sqlite:////data/app.db
expect_rc 0
expect_out '"check":"alembic".*"result":"pass".*"detail":\{"heads":\["003"\],"db":\["003"\],"pending":\[\]\}'

case_ "alembic: a database one migration behind"
run_probe --format json alembic:/app/migrations db=sqlite:////data/behind.db
expect_rc 1
expect_out "\"check\":\"alembic\".*\"result\":\"fail\".*\"error\":\"database at 002, scripts' head 003: 1 migration pending\".*\"pending\":\\[\"003\"\\]"

case_ "frontend: a Vite-like build (index.html and its assets)"
run_probe --format json frontend:/web kind=vite
expect_rc 0
expect_out '"check":"frontend","name":"frontend:/web".*"result":"pass".*"detail":\{"kind":"vite","missing":0,"checked":[0-9]+\}'

case_ "frontend: a build with a script missing"
run_probe --format json frontend:/web-cut
expect_rc 1
expect_out '"check":"frontend".*"result":"fail".*"error":"1 file missing from the build: dist/assets/index-4f2a9c1e\.js"'

# --- all at once, as an image's HEALTHCHECK would -----------------------------
case_ "every kind at once from -f /checks"
N=$(grep -c '^[a-z]' "$ROOT/checks")
if [ $RO = 1 ]; then
	PROC=1 run_probe --format json --timeout 5s -f /checks
	expect_rc 0
	expect_out "^\\{\"probe\":\"healthy\",\"failed\":0,\"passed\":$N,\"skipped\":0"
	expect_no_out 'pw-1'
else
	echo "static: the -f /checks case skipped: it needs /proc for listen://"
fi

case_ "the mounts went away with their namespaces"
if [ -n "$(ls -A "$ROOT/proc")" ]; then t_bad "$ROOT/proc is not empty"; else t_ok; fi
if grep -qF " $ROOT " /proc/self/mountinfo; then t_bad "$ROOT is still mounted"; else t_ok; fi

# --- without /etc/hosts ---------------------------------------------------------
# Last: these change the root.
rm "$ROOT/etc/hosts"

case_ "no /etc/hosts: localhost does not resolve, with the hint (glibc)"
run_probe --format json "tcp://localhost:$PORT"
expect_rc 1
expect_out "$(line "tcp://localhost:$PORT")\"result\":\"fail\".*\"error\":\"cannot resolve localhost"
expect_out "\"hint\":\"no /etc/hosts in this root"

case_ "no /etc/hosts: http://localhost still works (libcurl answers localhost itself, RFC 6761)"
run_probe --format json "http://localhost:$PORT/health"
expect_rc 0
expect_out "$(line "http://localhost:$PORT/health")\"result\":\"pass\""

case_ "no /etc/hosts: a name only it held does not resolve (c-ares, no resolv.conf)"
run_probe --format json --timeout 3s "http://probe-test-host:$PORT/health"
expect_rc 1
expect_out "$(line "http://probe-test-host:$PORT/health")\"result\":\"fail\".*\"error\":\"cannot resolve probe-test-host\""
expect_ms_below 3000

case_ "no /etc/hosts: 127.0.0.1 still works"
run_probe --format json "http://127.0.0.1:$PORT/health"
expect_rc 0

finish
