#!/usr/bin/env bash
# build-static.sh - builds probe as one fully static binary (glibc, no
# shared library at all) for FROM scratch images.  Debian 12, as root.
#
#   bash docker/build-static.sh [--without-postgres] [--without-mysql]
#        [--without-redis] [--without-sqlite] [--without-databases]
#        [--out DIR] [--cache DIR] [--jobs N] [-- CMAKE-ARGS...]
#
# What and why: docker/STATIC.md.  In short, Debian's own libcurl.a and
# libpq.a are built with GSSAPI and LDAP, whose static archives Debian does
# not ship, and its libmariadb.a lacks the MySQL 8 auth plugins; so those
# three are rebuilt here from Debian's source packages (apt-get source, with
# Debian's patches) into a prefix in the cache, and linked with Debian's own
# static hiredis, SQLite, OpenSSL and zlib.
#
# The cache (default ${PROBE_STATIC_CACHE:-$HOME/.cache/probe-static}) holds
# the downloaded source packages and the prefix; a library whose stamp names
# the same Debian version and configuration is not built again.  Nothing of
# it goes into the source tree.
#
# Output: OUT/probe (stripped; default OUT is build-static/ in the source
# tree), the unstripped binary in OUT/build/probe.
set -eu
shopt -s inherit_errexit

SRC=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PROBE_STATIC_CACHE:-$HOME/.cache/probe-static}
OUT=$SRC/build-static
JOBS=2
WITH_POSTGRES=ON
WITH_MYSQL=ON
WITH_REDIS=ON
WITH_SQLITE=ON
CMAKE_EXTRA=()

usage() {
	sed -n '2,/^set -eu/p' "$0" | sed -n 's/^# \{0,1\}//p' >&2
	exit "${1:-2}"
}

while [ $# -gt 0 ]; do
	case $1 in
	--without-postgres | --without-postgresql) WITH_POSTGRES=OFF ;;
	--without-mysql | --without-mariadb) WITH_MYSQL=OFF ;;
	--without-redis) WITH_REDIS=OFF ;;
	--without-sqlite) WITH_SQLITE=OFF ;;
	--without-databases) WITH_POSTGRES=OFF WITH_MYSQL=OFF WITH_REDIS=OFF WITH_SQLITE=OFF ;;
	--out) OUT=${2:?--out needs a folder}; shift ;;
	--out=*) OUT=${1#--out=} ;;
	--cache) CACHE=${2:?--cache needs a folder}; shift ;;
	--cache=*) CACHE=${1#--cache=} ;;
	--jobs) JOBS=${2:?--jobs needs a number}; shift ;;
	--jobs=*) JOBS=${1#--jobs=} ;;
	-h | --help) usage 0 ;;
	--) shift; CMAKE_EXTRA=("$@"); break ;;
	*) echo "build-static: unknown argument: $1" >&2; usage ;;
	esac
	shift
done
case $JOBS in '' | *[!0-9]*) echo "build-static: --jobs: not a number: $JOBS" >&2; exit 2 ;; esac
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
CACHE=$(cd "$CACHE" && pwd)
PREFIX=$CACHE/prefix
DL=$CACHE/sources # downloaded source packages (.dsc, tarballs), kept
WORK=$CACHE/work  # unpacked trees and build folders, removed after a build
LOGS=$CACHE/logs  # each library's configure and build output, kept
STAMPS=$PREFIX/stamps
NICE=(nice -n 10)
T0=$(date +%s)

say() { printf 'build-static: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
elapsed() { echo "$(($(date +%s) - T0)) s"; }

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get install, apt-get source)"
. /etc/os-release
[ "${VERSION_CODENAME:-}" = bookworm ] ||
	die "made for Debian 12 (bookworm); this is ${PRETTY_NAME:-unknown}"

# --- apt: build dependencies and deb-src ----------------------------------

PACKAGES=(
	build-essential cmake pkg-config file dpkg-dev xz-utils patch lld
	# static archives linked as Debian ships them
	libssl-dev zlib1g-dev libhiredis-dev libsqlite3-dev
)
SRC_LIST=/etc/apt/sources.list.d/probe-static-src.sources

# The Debian mirror this machine uses for bookworm, read from its sources
# (deb822 *.sources or one-line *.list), else deb.debian.org.
debian_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		if [ ! -f "$f" ] || [ "$f" = "$SRC_LIST" ]; then continue; fi
		uri=$(awk 'BEGIN { RS = ""; FS = "\n" }
			/(^|\n)Types:[^\n]*deb/ && /(^|\n)Suites:[^\n]*bookworm( |$|\n)/ {
				for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); print a[2]; exit } }' "$f")
		case $uri in */debian | */debian/) echo "${uri%/}"; return ;; esac
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" && $0 ~ / bookworm / {
				for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' "$f")
		case $uri in */debian | */debian/) echo "${uri%/}"; return ;; esac
	done
	echo http://deb.debian.org/debian
}

# deb-src for bookworm and bookworm-updates only: the security pool's
# sources answered 404 on this kind of machine, and apt fetches the newest
# version it knows of, so with security left out it picks one that exists.
add_deb_src() {
	local want
	want="Types: deb-src
URIs: $(debian_mirror)
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	if [ -f "$SRC_LIST" ] && [ "$(cat "$SRC_LIST")" = "$want" ]; then
		return 1
	fi
	say "adding $SRC_LIST (deb-src for bookworm, bookworm-updates)"
	printf '%s\n' "$want" >"$SRC_LIST"
	return 0
}

APT_UPDATED=0
apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	say "apt-get update"
	apt-get update -qq
	APT_UPDATED=1
}

setup_apt() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	# No source index yet (a fresh machine, or the lists were cleaned).
	if add_deb_src || ! ls /var/lib/apt/lists/*_source_Sources* >/dev/null 2>&1 ||
		[ ${#missing[@]} -gt 0 ]; then
		apt_update
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		say "apt-get install ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >/dev/null
	fi
}

# Prints the Debian version (epoch included) of source package $1 that
# apt-get source would fetch, from the local index: no network.
src_version() {
	local dsc v
	dsc=$(apt-get source --only-source --print-uris -qq "$1" 2>/dev/null |
		sed -n "s/^'[^']*' $1_\([^ ]*\)\.dsc .*/\1/p" | head -n 1)
	[ -n "$dsc" ] || return 0
	# The .dsc name carries no epoch ("1:" of mariadb): find it in the index.
	for v in $(apt-cache showsrc --only-source "$1" 2>/dev/null | sed -n 's/^Version: //p'); do
		if [ "${v#*:}" = "$dsc" ]; then
			echo "$v"
			return 0
		fi
	done
	echo "$dsc"
}

# Unpacks source package $1 version $2 (Debian's patches applied) into
# $WORK/$1 and prints that folder.  The download is kept in $DL.
fetch_source() {
	local pkg=$1 ver=$2 dsc
	dsc=$DL/${pkg}_${ver#*:}.dsc
	mkdir -p "$DL"
	if [ ! -f "$dsc" ]; then
		say "apt-get source $pkg=$ver"
		# As root into a folder _apt cannot enter: download unsandboxed.
		(cd "$DL" && apt-get source --download-only --only-source -qq \
			-o APT::Sandbox::User=root "$pkg=$ver" >/dev/null)
	fi
	rm -rf "${WORK:?}/$pkg"
	mkdir -p "$WORK" "$LOGS"
	# Checksums checked against the .dsc, which apt checked against the
	# archive's signed index when it fetched it.  (No Debian keyring here
	# for dpkg-source's own signature check: that warning goes to the log.)
	dpkg-source --no-copy -x "$dsc" "$WORK/$pkg" >"$LOGS/$pkg-unpack.log" 2>&1 || {
		tail -n 20 "$LOGS/$pkg-unpack.log" >&2
		return 1
	}
	echo "$WORK/$pkg"
}

# --- stamps -----------------------------------------------------------------
# A stamp holds what a library was built from: the Debian version, the
# compiler and the configuration.  Same text: skip the build.

stamp_text() { printf '%s\n%s\n%s\n' "$1" "$(gcc -dumpfullversion) $(ldd --version | head -n 1)" "$2"; }
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$(stamp_text "$2" "$3")" ]; }
stamp_write() { mkdir -p "$STAMPS"; stamp_text "$2" "$3" >"$STAMPS/$1"; }

# need_build STAMP SOURCE-PACKAGE ARCHIVE CONFIG: sets VER to the Debian
# version to build, and succeeds when the prefix lacks it.  On a miss the
# index is refreshed first (apt-get update), so that the version fetched is
# one the archive still has; a hit needs no network at all.
need_build() {
	VER=$(src_version "$2")
	if [ -n "$VER" ] && stamp_ok "$1" "$VER" "$4" && [ -f "$PREFIX/lib/$3" ]; then
		return 1
	fi
	apt_update
	VER=$(src_version "$2")
	[ -n "$VER" ] || die "apt knows no source package $2 (deb-src in $SRC_LIST?)"
	! { stamp_ok "$1" "$VER" "$4" && [ -f "$PREFIX/lib/$3" ]; }
}

# Debian's hardening flags, -O2 as Debian builds, and no build path of this
# machine in the binary (OpenSSL's macros record __FILE__ in the caller).
LIB_CFLAGS="-O2 -fstack-protector-strong -fstack-clash-protection -fcf-protection"
LIB_CFLAGS="$LIB_CFLAGS -D_FORTIFY_SOURCE=2 -ffile-prefix-map=$WORK/="
# A section per function and object: probe's link keeps only what it uses
# and lays the functions a check runs side by side (CMakeLists.txt).
LIB_CFLAGS="$LIB_CFLAGS -ffunction-sections -fdata-sections"
CMAKE_FLAGS=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS=$LIB_CFLAGS"
	"-DCMAKE_C_FLAGS_RELEASE=-DNDEBUG")

# --- libcurl ------------------------------------------------------------------

CURL_CONF=(
	"${CMAKE_FLAGS[@]}"
	-DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF
	-DHTTP_ONLY=ON -DCURL_USE_OPENSSL=ON
	# The threaded resolver: c-ares costs ~200k instructions of init and
	# teardown on every run, even for a numeric host (tests/bench/RESULTS.md).
	-DENABLE_ARES=OFF -DENABLE_THREADED_RESOLVER=ON
	-DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON
	-DUSE_LIBIDN2=OFF -DCURL_USE_LIBPSL=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF
	-DUSE_NGHTTP2=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DCURL_ZLIB=OFF
	-DCURL_USE_GSSAPI=OFF -DCURL_DISABLE_NTLM=ON
	# probe sets no CURLOPT_NETRC; off, the parser's getpwuid_r goes too.
	-DCURL_DISABLE_NETRC=ON
	# libcurl's OpenSSL init asks for OPENSSL_INIT_NO_LOAD_CONFIG: a static
	# binary must not read the host's openssl.cnf (docker/STATIC.md).
	-DCURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG=ON
	# The usual Debian places; probe's http.c searches further anyway.
	-DCURL_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt -DCURL_CA_PATH=/etc/ssl/certs
)

build_curl() {
	local ver src
	if ! need_build curl curl libcurl.a "${CURL_CONF[*]}"; then
		say "libcurl $VER: cached"
		return
	fi
	ver=$VER
	src=$(fetch_source curl "$ver") || die "cannot fetch the source package curl=$ver"
	say "libcurl $ver: building"
	"${NICE[@]}" cmake -S "$src" -B "$WORK/curl-build" -DCMAKE_INSTALL_PREFIX="$PREFIX" \
		"${CURL_CONF[@]}" >"$LOGS/curl-configure.log" 2>&1 ||
		die "libcurl: configure failed: $LOGS/curl-configure.log"
	"${NICE[@]}" cmake --build "$WORK/curl-build" --parallel "$JOBS" >"$LOGS/curl-build.log" 2>&1 ||
		die "libcurl: build failed: $LOGS/curl-build.log"
	cmake --install "$WORK/curl-build" >/dev/null
	stamp_write curl "$ver" "${CURL_CONF[*]}"
	rm -rf "${WORK:?}/curl" "$WORK/curl-build"
}

# --- libpq, libpgcommon, libpgport -------------------------------------------

PG_CONF=(
	--without-readline --without-icu --without-gssapi --without-ldap --without-zlib
	--without-lz4 --without-zstd --with-openssl --without-llvm --disable-nls
	# Where Debian's libpq looks for pg_service.conf; no cache path baked in.
	--prefix=/usr --sysconfdir=/etc/postgresql-common
	"CFLAGS=$LIB_CFLAGS"
)
# probe's patch to libpq's SCRAM client (the file says what and why); its
# checksum is part of the stamp, so a changed patch rebuilds libpq.
PG_PATCH=$SRC/docker/patches/libpq-scram-fast.patch
PG_STAMP="${PG_CONF[*]} patch $(sha256sum <"$PG_PATCH" | cut -c1-16)"

build_pq() {
	local ver src
	if ! need_build pq postgresql-15 libpq.a "$PG_STAMP"; then
		say "libpq $VER: cached"
		return
	fi
	ver=$VER
	src=$(fetch_source postgresql-15 "$ver") || die "cannot fetch the source package postgresql-15=$ver"
	say "libpq $ver: building"
	patch -p1 -d "$src" <"$PG_PATCH" >"$LOGS/pq-patch.log" 2>&1 ||
		die "libpq: $PG_PATCH does not apply: $LOGS/pq-patch.log"
	(cd "$src" && "${NICE[@]}" ./configure "${PG_CONF[@]}" >"$LOGS/pq-configure.log" 2>&1) ||
		die "libpq: configure failed: $LOGS/pq-configure.log"
	# libpq alone (it makes src/common and src/port on the way).  No
	# `make install`: src/common's would write into the system's
	# /usr/lib/postgresql; the files are copied from the tree instead.
	"${NICE[@]}" make -C "$src/src/interfaces/libpq" -j "$JOBS" >"$LOGS/pq-build.log" 2>&1 ||
		die "libpq: build failed: $LOGS/pq-build.log"
	mkdir -p "$PREFIX/lib" "$PREFIX/include/postgresql"
	cp "$src/src/interfaces/libpq/libpq.a" "$src/src/common/libpgcommon.a" \
		"$src/src/port/libpgport.a" "$PREFIX/lib/"
	cp "$src/src/interfaces/libpq/libpq-fe.h" "$src/src/interfaces/libpq/libpq-events.h" \
		"$src/src/include/postgres_ext.h" "$src/src/include/pg_config_ext.h" \
		"$PREFIX/include/postgresql/"
	stamp_write pq "$ver" "$PG_STAMP"
	rm -rf "${WORK:?}/postgresql-15"
}

# --- MariaDB Connector/C -------------------------------------------------------

MARIADB_CONF=(
	"${CMAKE_FLAGS[@]}"
	-DWITH_SSL=OPENSSL -DWITH_EXTERNAL_ZLIB=ON -DWITH_CURL=OFF -DWITH_UNIT_TESTS=OFF
	# Built in, so that MySQL 8's default auth works without dlopen.
	-DCLIENT_PLUGIN_CACHING_SHA2_PASSWORD=STATIC -DCLIENT_PLUGIN_SHA256_PASSWORD=STATIC
	-DCLIENT_PLUGIN_CLIENT_ED25519=STATIC -DCLIENT_PLUGIN_MYSQL_CLEAR_PASSWORD=STATIC
	-DCLIENT_PLUGIN_DIALOG=OFF -DCLIENT_PLUGIN_AUTH_GSSAPI_CLIENT=OFF
	-DCLIENT_PLUGIN_REMOTE_IO=OFF
	# Connector/C adds -Werror unless this is defined, and gcc 12 warns
	# (maybe-uninitialized in mariadb_rpl.c, code probe never calls).
	-DCMAKE_COMPILE_WARNING_AS_ERROR=OFF
	# The plugin folder compiled in (MARIADB_PLUGINDIR): one that exists on
	# no machine, so that a plugin not built in fails to load rather than
	# dlopen a host's .so, linked against a shared libc, into this static
	# process.  Nothing is installed from this build (the files are copied).
	-DCMAKE_INSTALL_PREFIX=/nonexistent -DINSTALL_PLUGINDIR=probe-static-has-no-plugin-dir
)

build_mariadb() {
	local ver src b
	if ! need_build mariadb mariadb libmariadbclient.a "${MARIADB_CONF[*]}"; then
		say "MariaDB Connector/C $VER: cached"
		return
	fi
	ver=$VER
	src=$(fetch_source mariadb "$ver") || die "cannot fetch the source package mariadb=$ver"
	b=$WORK/mariadb-build
	say "MariaDB Connector/C $ver: building"
	# Only the libmariadb/ folder: Connector/C is a CMake project of its own.
	"${NICE[@]}" cmake -S "$src/libmariadb" -B "$b" "${MARIADB_CONF[@]}" >"$LOGS/mariadb-configure.log" 2>&1 ||
		die "Connector/C: configure failed: $LOGS/mariadb-configure.log"
	"${NICE[@]}" cmake --build "$b" --target mariadbclient --parallel "$JOBS" \
		>"$LOGS/mariadb-build.log" 2>&1 ||
		die "Connector/C: build failed: $LOGS/mariadb-build.log"
	# The library and the headers its install's Development part would
	# copy (libmariadb/include/CMakeLists.txt), not the private ones.
	rm -rf "$PREFIX/include/mariadb"
	mkdir -p "$PREFIX/lib" "$PREFIX/include/mariadb/mysql" "$PREFIX/include/mariadb/mariadb"
	cp "$b/libmariadb/libmariadbclient.a" "$PREFIX/lib/"
	(cd "$src/libmariadb/include" && cp mariadb_com.h mysql.h mariadb_stmt.h ma_pvio.h \
		ma_tls.h ma_list.h errmsg.h mariadb_dyncol.h mariadb_ctype.h mariadb_rpl.h \
		mysqld_error.h "$b/include/mariadb_version.h" "$PREFIX/include/mariadb/" &&
		cp mysql/client_plugin.h mysql/plugin_auth.h "$PREFIX/include/mariadb/mysql/" &&
		cp mariadb/ma_io.h "$PREFIX/include/mariadb/mariadb/")
	stamp_write mariadb "$ver" "${MARIADB_CONF[*]}"
	rm -rf "${WORK:?}/mariadb" "$b"
}

# --- probe ----------------------------------------------------------------------

setup_apt
say "prefix $PREFIX ($(elapsed))"
build_curl
say "($(elapsed))"
if [ "$WITH_POSTGRES" = ON ]; then build_pq; say "($(elapsed))"; fi
if [ "$WITH_MYSQL" = ON ]; then build_mariadb; say "($(elapsed))"; fi

say "probe: configuring in $OUT/build"
cmake -S "$SRC" -B "$OUT/build" -DPROBE_STATIC=ON -DPROBE_STATIC_PREFIX="$PREFIX" \
	-DPROBE_WITH_POSTGRES=$WITH_POSTGRES -DPROBE_WITH_MYSQL=$WITH_MYSQL \
	-DPROBE_WITH_REDIS=$WITH_REDIS -DPROBE_WITH_SQLITE=$WITH_SQLITE \
	${CMAKE_EXTRA[@]+"${CMAKE_EXTRA[@]}"} >"$OUT/configure.log" ||
	die "probe: configure failed: $OUT/configure.log"
# The link's warnings (getaddrinfo, getpwuid ... in a static binary) are
# expected and explained in docker/STATIC.md; the log keeps them.
"${NICE[@]}" cmake --build "$OUT/build" --target probe --parallel "$JOBS" >"$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log" >&2
	die "probe: build failed: $OUT/build.log"
}
strip -o "$OUT/probe" "$OUT/build/probe"

echo "== $OUT/probe"
file "$OUT/probe"
printf 'stripped size: %s bytes (unstripped %s)\n' "$(stat -c %s "$OUT/probe")" \
	"$(stat -c %s "$OUT/build/probe")"
LDD=$(ldd "$OUT/probe" 2>&1 || true)
echo "ldd: $LDD"
case $LDD in
*"not a dynamic executable"*) ;;
*) die "probe is not static: ldd says: $LDD" ;;
esac
file "$OUT/probe" | grep -q 'statically linked' || die "file does not say statically linked"
say "done in $(elapsed)"
