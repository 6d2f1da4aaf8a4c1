#!/usr/bin/env bash
# setup.sh - installs what building and testing probe needs, from Debian's
# packages.  Idempotent: when everything is there already it changes
# nothing; otherwise it runs `apt-get update` first.  Needs root (or sudo).
set -eu

PACKAGES=(
	# build
	build-essential cmake pkg-config git
	libcurl4-openssl-dev libssl-dev
	# clang with its libFuzzer and sanitizer runtimes: the fuzz targets
	clang libclang-rt-14-dev
	# test servers and tools
	python3 openssl curl netcat-openbsd procps iproute2
	# database servers, clients and client libraries (tests/servers/db.sh)
	postgresql-15 postgresql-client-15 libpq-dev
	mariadb-server mariadb-client libmariadb-dev
	redis-server redis-tools libhiredis-dev
	sqlite3 libsqlite3-dev
	python3-alembic python3-sqlalchemy python3-psycopg2 python3-pymysql
	# benchmarks and measurements
	valgrind hyperfine time busybox
)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
