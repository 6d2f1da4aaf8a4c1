#!/usr/bin/env bash
# listen.sh - listen:// against real sockets (python listeners on 127.0.0.1,
# 0.0.0.0 and ::), read over netlink and from /proc/net
# (PROBE_PROCNET_SOURCE), and against /proc/net fixtures
# (PROBE_PROCNET_DIR), and the skip it causes for an http check on the
# same port.
set -eu
. "$TESTLIB"

LO=$(free_port)
ALL=$(free_port)
V6=$(free_port)
V6ONLY=$(free_port)
DEAD=$(free_port)
start_bg lo "$PYTHON" "$SERVERS/listener.py" 127.0.0.1 "$LO"
start_bg all "$PYTHON" "$SERVERS/listener.py" 0.0.0.0 "$ALL"
start_bg v6 "$PYTHON" "$SERVERS/listener.py" :: "$V6"
start_bg v6only "$PYTHON" "$SERVERS/listener.py" :: "$V6ONLY" v6only
wait_port "$LO"
wait_port "$ALL"
wait_port "$V6"
wait_port "$V6ONLY" ::1

# The JSON line of check $1 (its name), for patterns that follow it.
line() { printf '"name":"%s".*' "$1"; }

case_ "loopback only: passes with a warning"
run_probe --format json "listen://:$LO"
expect_rc 0
expect_out "$(line "listen://:$LO")\"result\":\"pass\".*\"detail\":\\{\"bound\":\\[\"127\\.0\\.0\\.1\"\\]\\}"
expect_out "$(line "listen://:$LO").*\"warning\":\"bound to loopback only: unreachable from outside the container; bind 0\\.0\\.0\\.0\""
expect_out '^\{"probe":"healthy","failed":0,"passed":1,"skipped":0'

case_ "loopback only with public=yes: fails"
run_probe --format json "listen://:$LO" public=yes
expect_rc 1
expect_out "$(line "listen://:$LO")\"result\":\"fail\".*\"error\":\"bound to loopback only \\(127\\.0\\.0\\.1\\): unreachable from outside the container\""
expect_out "$(line "listen://:$LO").*\"hint\":\"bound to loopback only: unreachable from outside the container; bind 0\\.0\\.0\\.0\""
expect_hint HINT_BIND_ALL
expect_out '"bound":\["127\.0\.0\.1"\]'

case_ "0.0.0.0: public, no warning"
run_probe --format json "listen://:$ALL" public=yes
expect_rc 0
expect_out "$(line "listen://:$ALL")\"result\":\"pass\".*\"bound\":\\[\"0\\.0\\.0\\.0\"\\]"
expect_no_out '"warning"'

case_ ":: (dual stack) and :: v6only: public"
run_probe --format json "listen://:$V6" public=yes "listen://:$V6ONLY" public=yes
expect_rc 0
expect_out "$(line "listen://:$V6")\"result\":\"pass\".*\"bound\":\\[\"::\"\\]"
expect_out "$(line "listen://:$V6ONLY")\"result\":\"pass\".*\"bound\":\\[\"::\"\\]"
expect_no_out '"warning"'

case_ "ADDR: the exact address or a wildcard that covers it"
run_probe --format json "listen://127.0.0.1:$LO" "listen://127.0.0.1:$ALL" \
	"listen://10.1.2.3:$ALL" "listen://127.0.0.1:$V6" "listen://[::1]:$V6" \
	"listen://localhost:$LO" "listen://0.0.0.0:$ALL" "listen://[::]:$V6"
expect_rc 0
expect_out '"passed":8'
expect_no_out '"warning"'

case_ "ADDR not covered"
run_probe --format json "listen://[::1]:$LO"
expect_rc 1
expect_out "\"error\":\"port $LO listens on 127\\.0\\.0\\.1, not on ::1\""
expect_hint HINT_BIND_OTHER
run_probe --format json "listen://10.1.2.3:$LO"
expect_rc 1
expect_out "\"error\":\"port $LO listens on 127\\.0\\.0\\.1, not on 10\\.1\\.2\\.3\".*\"hint\":\"bound to loopback only"

case_ ":: v6only cannot be told from dual stack in /proc: it counts as covering IPv4"
PROBE_PROCNET_SOURCE=proc run_probe --format json "listen://0.0.0.0:$V6ONLY" "listen://127.0.0.1:$V6ONLY"
expect_rc 0
expect_out '"passed":2'
expect_out "$(line "listen://127.0.0.1:$V6ONLY")\"result\":\"pass\".*\"bound\":\\[\"::\"\\]"

# NETLINK_SOCK_DIAG may be refused (gVisor, a seccomp profile): then the
# netlink cases have nothing to test and only /proc runs.
NETLINK_SOURCES="netlink default"
"$PYTHON" -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)' 2>/dev/null ||
	NETLINK_SOURCES=""

case_ ":: v6only as netlink tells it (the default): takes no IPv4"
for src in $NETLINK_SOURCES; do
	if [ "$src" = default ]; then unset PROBE_PROCNET_SOURCE; else export PROBE_PROCNET_SOURCE=$src; fi
	run_probe --format json "listen://0.0.0.0:$V6ONLY" "listen://127.0.0.1:$V6ONLY" "listen://[::1]:$V6ONLY"
	expect_rc 1
	expect_out "$(line "listen://127.0.0.1:$V6ONLY")\"result\":\"fail\".*\"error\":\"port $V6ONLY listens on ::, not on 127\\.0\\.0\\.1\""
	expect_out "$(line "listen://0.0.0.0:$V6ONLY")\"result\":\"fail\".*\"error\":\"port $V6ONLY listens on ::, not on 0\\.0\\.0\\.0\""
	expect_out "$(line "listen://\\[::1\\]:$V6ONLY")\"result\":\"pass\""
	expect_out '"failed":2,"passed":1'
	expect_hint HINT_BIND_OTHER
	# dual stack :: still takes IPv4
	run_probe --format json "listen://127.0.0.1:$V6"
	expect_rc 0
	expect_out "$(line "listen://127.0.0.1:$V6")\"result\":\"pass\".*\"bound\":\\[\"::\"\\]"
done
unset PROBE_PROCNET_SOURCE

# The same real sockets through each source of procnet.h: netlink, /proc
# (the fallback where netlink is refused) and the default (netlink, then
# /proc) give the same exit code and the same report line.  check_line
# keeps the line of check $1 with its timing blanked, for comparing.
# expect_listed PORT: detail.listening of the report names PORT, or is full
# (16 ports, ascending) of lower ones: other listeners of the machine (a
# parallel test, a developer's servers) may come first.
expect_listed() {
	local list
	list=$(printf '%s\n' "$OUT" | sed -n 's/.*"listening":\[\([^]]*\)\].*/\1/p' | head -n 1 | tr -d '"')
	case ",$list," in
	*",$1,"*) t_ok ;;
	*) if [ "$(printf '%s' "$list" | tr ',' '\n' | grep -c .)" -eq 16 ] &&
		[ "${list##*,}" -lt "$1" ]; then t_ok; else t_bad "detail.listening [$list] lacks $1"; fi ;;
	esac
}
check_line() { printf '%s\n' "$OUT" | grep -F "\"name\":\"$1\"" | sed -E 's/"ms":[0-9.]+/"ms":_/g'; }
expect_same() {
	if [ "$1" = "$2" ]; then t_ok; else t_bad "report differs from /proc's: '$1' vs '$2'"; fi
}
declare -A FIRST=()
for src in proc $NETLINK_SOURCES; do
	if [ "$src" = default ]; then unset PROBE_PROCNET_SOURCE; else export PROBE_PROCNET_SOURCE=$src; fi

	case_ "source $src: loopback only passes with a warning"
	run_probe --format json "listen://:$LO"
	expect_rc 0
	expect_out "$(line "listen://:$LO")\"result\":\"pass\".*\"bound\":\\[\"127\\.0\\.0\\.1\"\\].*\"warning\":\"bound to loopback only: unreachable from outside the container; bind 0\\.0\\.0\\.0\""
	: "${FIRST[lo]:=$(check_line "listen://:$LO")}"
	expect_same "${FIRST[lo]}" "$(check_line "listen://:$LO")"

	case_ "source $src: loopback only with public=yes fails"
	run_probe --format json "listen://:$LO" public=yes
	expect_rc 1
	expect_out "$(line "listen://:$LO")\"result\":\"fail\".*\"error\":\"bound to loopback only \\(127\\.0\\.0\\.1\\): unreachable from outside the container\""
	expect_hint HINT_BIND_ALL
	: "${FIRST[public]:=$(check_line "listen://:$LO")}"
	expect_same "${FIRST[public]}" "$(check_line "listen://:$LO")"

	case_ "source $src: 0.0.0.0 and :: are public; :: dual stack takes IPv4"
	run_probe --format json "listen://:$ALL" public=yes "listen://:$V6" public=yes "listen://127.0.0.1:$V6"
	expect_rc 0
	expect_out "$(line "listen://:$ALL")\"result\":\"pass\".*\"bound\":\\[\"0\\.0\\.0\\.0\"\\]"
	expect_out "$(line "listen://:$V6")\"result\":\"pass\".*\"bound\":\\[\"::\"\\]"
	expect_out "$(line "listen://127.0.0.1:$V6")\"result\":\"pass\""
	expect_no_out '"warning"'
	: "${FIRST[all]:=$(check_line "listen://:$ALL")}"
	expect_same "${FIRST[all]}" "$(check_line "listen://:$ALL")"
	: "${FIRST[v6]:=$(check_line "listen://:$V6")}"
	expect_same "${FIRST[v6]}" "$(check_line "listen://:$V6")"

	case_ "source $src: ADDR not covered"
	run_probe --format json "listen://[::1]:$LO"
	expect_rc 1
	expect_out "$(line "listen://\\[::1\\]:$LO")\"result\":\"fail\".*\"error\":\"port $LO listens on 127\\.0\\.0\\.1, not on ::1\""
	expect_hint HINT_BIND_OTHER

	case_ "source $src: nothing listens"
	run_probe --format json "listen://:$DEAD"
	expect_rc 1
	expect_out "$(line "listen://:$DEAD")\"result\":\"fail\".*\"error\":\"nothing listens on port $DEAD\".*\"listening\":\\["
	expect_listed "$LO"
	expect_hint HINT_NOT_LISTENING
done
unset PROBE_PROCNET_SOURCE

# nonetlink.py PROG ARGS...: runs PROG where socket(AF_NETLINK, ...) fails
# with EAFNOSUPPORT, as under gVisor or a seccomp profile.
cat >"$T_DIR/nonetlink.py" <<'PY'
import ctypes, os, platform, sys

arch, nr_socket = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}[platform.machine()]

class Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte),
                ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]

class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

LD, JEQ, RET = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
prog = [
    (LD, 0, 0, 4),                 # seccomp_data.arch
    (JEQ, 0, 5, arch),
    (LD, 0, 0, 0),                 # seccomp_data.nr
    (JEQ, 0, 3, nr_socket),
    (LD, 0, 0, 16),                # seccomp_data.args[0]: the family
    (JEQ, 0, 1, 16),               # AF_NETLINK
    (RET, 0, 0, 0x00050000 | 97),  # SECCOMP_RET_ERRNO | EAFNOSUPPORT
    (RET, 0, 0, 0x7FFF0000),       # SECCOMP_RET_ALLOW
]
arr = (Filter * len(prog))(*[Filter(*f) for f in prog])
libc = ctypes.CDLL(None, use_errno=True)
# PR_SET_NO_NEW_PRIVS, then PR_SET_SECCOMP with SECCOMP_MODE_FILTER
if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(Prog(len(prog), arr)), 0, 0) != 0:
    sys.exit("nonetlink: " + os.strerror(ctypes.get_errno()))
os.execv(sys.argv[1], sys.argv[1:])
PY

case $(uname -m) in
x86_64 | aarch64)
	printf '#!/bin/sh\nexec "%s" "%s" "%s" "$@"\n' "$PYTHON" "$T_DIR/nonetlink.py" "$PROBE" >"$T_DIR/probe-nonetlink"
	chmod +x "$T_DIR/probe-nonetlink"
	REAL_PROBE=$PROBE
	PROBE=$T_DIR/probe-nonetlink

	case_ "netlink refused: the default reads /proc (:: v6only covers IPv4 again)"
	run_probe --format json "listen://:$LO" public=yes "listen://:$ALL" public=yes "listen://127.0.0.1:$V6ONLY"
	expect_rc 1
	expect_out "$(line "listen://:$LO")\"result\":\"fail\".*\"error\":\"bound to loopback only \\(127\\.0\\.0\\.1\\): unreachable from outside the container\""
	expect_out "$(line "listen://:$ALL")\"result\":\"pass\".*\"bound\":\\[\"0\\.0\\.0\\.0\"\\]"
	expect_out "$(line "listen://127.0.0.1:$V6ONLY")\"result\":\"pass\".*\"bound\":\\[\"::\"\\]"
	expect_out '"failed":1,"passed":2'
	expect_same "${FIRST[public]}" "$(check_line "listen://:$LO")"
	expect_same "${FIRST[all]}" "$(check_line "listen://:$ALL")"

	case_ "netlink refused: PROBE_PROCNET_SOURCE=netlink does not fall back"
	PROBE_PROCNET_SOURCE=netlink run_probe --format json "listen://:$LO"
	expect_rc 1
	expect_out "$(line "listen://:$LO")\"result\":\"fail\".*\"error\":\"cannot read /proc/net/tcp: Address family not supported by protocol\""
	expect_no_out '"bound"'

	PROBE=$REAL_PROBE
	;;
esac

case_ "nothing listens"
run_probe --format json "listen://:$DEAD"
expect_rc 1
expect_out "$(line "listen://:$DEAD")\"result\":\"fail\".*\"error\":\"nothing listens on port $DEAD\""
expect_listed "$LO"
expect_hint HINT_NOT_LISTENING

case_ "\$PORT names a port nobody listens on while others are open"
PORT=$DEAD run_probe --format json "listen://:$DEAD"
expect_rc 1
expect_out "\"error\":\"nothing listens on \\\$PORT=$DEAD; listening: [0-9]"
expect_listed "$LO"
expect_hint HINT_PORT_IGNORED
PORT=1 run_probe --format json "listen://:$DEAD"
expect_rc 1
expect_out "\"error\":\"nothing listens on port $DEAD\""

case_ "a listen failure skips http on the same local port"
run_probe --format json --timeout 3s "listen://:$DEAD" "http://127.0.0.1:$DEAD/health"
expect_rc 1
expect_out "$(line "http://127.0.0.1:$DEAD/health")\"result\":\"skip\".*\"cause\":\"listen://:$DEAD\""
expect_out '"failed":1,"passed":0,"skipped":1'
expect_ms_below 2000

case_ "a loopback-only failure does not skip http to loopback"
run_probe --format json --timeout 2s "listen://:$LO" public=yes "http://127.0.0.1:$LO/"
expect_rc 1
expect_no_out '"result":"skip"'

# /proc/net fixtures: the rows of the other cases, written by hand.
FIX=$T_DIR/procnet
mkdir -p "$FIX"
write_fixture() {
	printf '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' >"$FIX/tcp"
	printf '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' >"$FIX/tcp6"
	local row
	for row in "$@"; do
		case $row in
		????????:*) printf '   0: %s 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n' "$row" >>"$FIX/tcp" ;;
		*) printf '   0: %s 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n' "$row" >>"$FIX/tcp6" ;;
		esac
	done
}

case_ "fixture: IPv4-mapped loopback is loopback"
write_fixture 0000000000000000FFFF00000100007F:1F40
PROBE_PROCNET_DIR=$FIX run_probe --format json listen://:8000 public=yes
expect_rc 1
expect_out '"error":"bound to loopback only \(::ffff:127\.0\.0\.1\): unreachable'

case_ "fixture: ::1 and 127.0.0.1 both loopback; every address listed once"
write_fixture 0100007F:1F40 0100007F:1F40 00000000000000000000000001000000:1F40 00000000:0050
PROBE_PROCNET_DIR=$FIX run_probe --format json listen://:8000
expect_rc 0
expect_out '"bound":\["127\.0\.0\.1","::1"\]'
expect_out '"warning":"bound to loopback only'

case_ "fixture: a public address besides loopback"
write_fixture 0100007F:1F40 0200A8C0:1F40
PROBE_PROCNET_DIR=$FIX run_probe --format json listen://:8000 public=yes
expect_rc 0
expect_out '"bound":\["127\.0\.0\.1","192\.168\.0\.2"\]'

case_ "fixture: IPv4-mapped public address, no tcp6 file"
write_fixture 0000000000000000FFFF00000200A8C0:1F40
PROBE_PROCNET_DIR=$FIX run_probe --format json listen://:8000 public=yes
expect_rc 0
rm "$FIX/tcp6"
PROBE_PROCNET_DIR=$FIX run_probe --format json listen://:8000
expect_rc 1
expect_out '"error":"nothing listens on port 8000"'
expect_out '"listening":\[\]'

case_ "fixture: non-LISTEN rows do not count"
write_fixture
printf '   1: 0100007F:1F40 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 9 1 0 20 4 30 10 -1\n' >>"$FIX/tcp"
PROBE_PROCNET_DIR=$FIX run_probe --format json listen://:8000
expect_rc 1
expect_out '"error":"nothing listens on port 8000"'

case_ "no /proc/net"
PROBE_PROCNET_DIR=$T_DIR/none run_probe --format json listen://:8000
expect_rc 1
expect_out "\"error\":\"cannot read $T_DIR/none/tcp: No such file or directory\""

case_ "usage errors"
for word in listen://8000 listen://:0 listen://:99999 listen://db:8000 listen:// "listen://[::1"; do
	run_probe --format json "$word"
	expect_rc 64
done
run_probe --format json "listen://127.0.0.1:$LO" public=yes
expect_rc 64
expect_out 'public=yes asks for an address reachable from outside'
run_probe --format json listen://8000
expect_out 'write the port after a colon: listen://:8000'

finish
