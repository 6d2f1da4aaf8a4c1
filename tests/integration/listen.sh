#!/usr/bin/env bash
# listen.sh - listen:// against real sockets (python listeners on 127.0.0.1,
# 0.0.0.0 and ::) and against /proc/net fixtures (PROBE_PROCNET_DIR), and
# the skip it causes for an http check on the same port.
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
run_probe --format json "listen://0.0.0.0:$V6ONLY" "listen://127.0.0.1:$V6ONLY"
expect_rc 0
expect_out '"passed":2'

case_ "nothing listens"
run_probe --format json "listen://:$DEAD"
expect_rc 1
expect_out "$(line "listen://:$DEAD")\"result\":\"fail\".*\"error\":\"nothing listens on port $DEAD\""
expect_out "\"listening\":\\[[^]]*\"$LO\""
expect_hint HINT_NOT_LISTENING

case_ "\$PORT names a port nobody listens on while others are open"
PORT=$DEAD run_probe --format json "listen://:$DEAD"
expect_rc 1
expect_out "\"error\":\"nothing listens on \\\$PORT=$DEAD; listening: [0-9, ]*$LO"
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
