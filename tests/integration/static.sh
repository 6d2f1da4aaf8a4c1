#!/usr/bin/env bash
# static.sh - the fully static binary (docker/build-static.sh) in an empty
# root, as in a FROM scratch image: a folder holding only /probe and an
# /etc/hosts, entered with chroot as uid 65532, against a real HTTP server
# on loopback.  Skipped unless PROBE_STATIC_BIN names the static binary:
#
#   PROBE_STATIC_BIN=build-static/probe ctest --test-dir build -R static
#
# /proc: a container runtime mounts one in every container, scratch ones
# too, but a bare chroot has none.  So listen:// runs twice: without /proc,
# where it must fail and say that /proc/net/tcp cannot be read; and with a
# read-only procfs mounted in a private mount namespace (unshare), which
# goes away with the process whatever happens, where it must pass.  Where
# mounting is not allowed, the second case is skipped with a message.
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
command -v file >/dev/null || { echo "static: the file command is missing (apt-get install file)" >&2; exit 1; }
PROBE=$PROBE_STATIC_BIN
# shellcheck source=tests/integration/lib.sh
. "${TESTLIB:-$(dirname "$0")/lib.sh}"

USERSPEC=65532:65532
CHROOT=$(command -v chroot)
ROOT=$T_DIR/root
PORT=$(free_port)
DEAD=$(free_port)
start_bg httpd "$PYTHON" "$SERVERS/httpd.py" --host 127.0.0.1 --port "$PORT" --mode good
wait_port "$PORT"

# The empty root: the binary, and /etc/hosts as Docker and Kubernetes
# mount one (plus a name of our own).  Nothing else: no libc, no shell,
# no /etc/passwd, no nsswitch.conf, no resolv.conf, no CA bundle.
mkdir -m 755 "$ROOT" "$ROOT/etc" "$ROOT/proc"
install -m 755 "$PROBE_STATIC_BIN" "$ROOT/probe"
printf '127.0.0.1\tlocalhost\n127.0.0.1\tprobe-test-host\n' >"$ROOT/etc/hosts"
chmod 644 "$ROOT/etc/hosts"

# run_probe runs $PROBE: a wrapper that enters the root as uid 65532 with
# an empty environment.  With PROC=1 it first re-runs itself in a private
# mount namespace (PROC=2) and mounts a read-only procfs there.
cat >"$T_DIR/in-root" <<EOF
#!/bin/sh
case \${PROC:-0} in
1) PROC=2 exec unshare --mount --propagation private "\$0" "\$@" ;;
2) mount -t proc -o ro,nosuid,nodev,noexec proc '$ROOT/proc' || exit 70 ;;
esac
exec env -i '$CHROOT' --userspec=$USERSPEC '$ROOT' /probe "\$@"
EOF
chmod 755 "$T_DIR/in-root"
# shellcheck disable=SC2034 # read by lib.sh's run_probe
PROBE=$T_DIR/in-root

# The JSON line of the check named $1, up to where a pattern follows.
line() { printf '"name":"%s".*' "$1"; }

case_ "file says statically linked"
# shellcheck disable=SC2034 # read by lib.sh's expect_out
OUT=$(file -L "$PROBE_STATIC_BIN")
expect_out 'statically linked'
expect_no_out 'dynamically linked|interpreter'

case_ "probe starts in the empty root as uid 65532"
run_probe --version
expect_rc 0
if printf '%s\n' "$STDOUT" | grep -q '^probe '; then t_ok; else t_bad "--version printed '$STDOUT'"; fi

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

case_ "listen:// without /proc: fails and says why"
run_probe --format json "listen://:$PORT"
expect_rc 1
expect_out "$(line "listen://:$PORT")\"result\":\"fail\".*\"error\":\"cannot read /proc/net/tcp"

case_ "listen:// with a read-only /proc, as a container runtime mounts it"
if unshare --mount --propagation private mount -t proc -o ro proc "$ROOT/proc" 2>/dev/null; then
	PROC=1 run_probe --format json "listen://:$PORT"
	expect_rc 0
	expect_out "$(line "listen://:$PORT")\"result\":\"pass\".*\"bound\":\\[\"127\\.0\\.0\\.1\"\\]"
else
	echo "static: listen:// with /proc skipped: mounting procfs is not allowed here"
fi
case_ "the procfs went away with its mount namespace"
if [ -n "$(ls -A "$ROOT/proc")" ]; then t_bad "$ROOT/proc is not empty"; else t_ok; fi

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
