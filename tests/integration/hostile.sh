#!/usr/bin/env bash
# hostile.sh - every network kind against every way a server can misbehave
# (servers/hostile.py: never answers, trickles a byte a second, sends
# without end, sends headers or a reply that never ends, sends garbage,
# resets), each on a real loopback socket.  Every run must end by its
# --timeout with the exit code a health check relies on, and the cases
# that used to be misnamed must name what the server did.  Also: a
# MySQL stream of endless 16 MiB packets keeps probe small, and files that
# are not SQLite databases (/dev/zero) fail.
set -eu
. "$TESTLIB"

MODES="silent trickle endless endless-lines endless-reply garbage reset huge-packet"
declare -A PORTS
for mode in $MODES; do
	PORTS[$mode]=$(free_port)
	start_bg "hostile-$mode" "$PYTHON" "$SERVERS/hostile.py" "$mode" 127.0.0.1 "${PORTS[$mode]}"
done
for mode in $MODES; do wait_port "${PORTS[$mode]}"; done

# Whether this build has the kind (a build may leave a driver out).
has() { "$PROBE" --plan "$1" >/dev/null 2>&1; }

# The matrix: 1 s bound, 400 ms of margin for a loaded machine.
for mode in $MODES; do
	p=${PORTS[$mode]}
	for url in "tcp://127.0.0.1:$p" "http://127.0.0.1:$p/" "https://127.0.0.1:$p/" \
		"postgresql://app:pw@127.0.0.1:$p/app" "mysql://app:pw@127.0.0.1:$p/app" \
		"redis://127.0.0.1:$p"; do
		has "$url" || continue
		case_ "$url against a server that does '$mode'"
		run_probe --timeout 1s --format json "$url"
		case $url in
		tcp:*) expect_rc 0 ;; # the TCP handshake is all tcp:// asks for
		*) expect_rc 1 ;;
		esac
		expect_ms_below 1400
		expect_no_out 'pw'
	done
done

p=${PORTS[silent]}
case_ "https:// to a port that takes connections and never answers TLS"
run_probe --timeout 1s --format json "https://127.0.0.1:$p/"
expect_rc 1
expect_out "\"error\":\"TLS handshake with 127\\.0\\.0\\.1:$p timed out after [0-9]+ ms: the server accepted the connection but did not finish the handshake"
expect_hint HINT_TLS_STALL

p=${PORTS[endless-lines]}
case_ "http:// headers without end: named, not 'out of memory'"
run_probe --timeout 1s --format json "http://127.0.0.1:$p/"
expect_rc 1
expect_out '"error":"the response headers did not end: the server sent [0-9]+ KiB of them"'
expect_no_out 'emory'

if has mysql://x@127.0.0.1/x; then
	for mode in endless garbage huge-packet; do
		p=${PORTS[$mode]}
		case_ "mysql:// to a server that sends '$mode': not MySQL, not 'closed'"
		run_probe --timeout 1s --format json "mysql://app:pw@127.0.0.1:$p/app"
		expect_rc 1
		expect_out "\"error\":\"not a MySQL server at 127\\.0\\.0\\.1:$p: it sent .*, not a MySQL greeting\".*\"cause\":\"not_sql\""
	done
	p=${PORTS[huge-packet]}
	case_ "mysql:// to endless 16 MiB packets: probe stays small"
	rss=$("$PYTHON" -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
		"$PROBE" --timeout 2s "mysql://app:pw@127.0.0.1:$p/app")
	if [ "$rss" -lt 65536 ]; then t_ok; else t_bad "max RSS $rss KiB, want < 64 MiB"; fi
fi

if has redis://127.0.0.1; then
	p=${PORTS[trickle]}
	case_ "redis:// reply begun and never ended: not 'does not answer'"
	run_probe --timeout 1s --format json "redis://127.0.0.1:$p"
	expect_rc 1
	expect_out '"error":"the server sent [0-9]+ bytes? of a reply to PING and did not end it within [0-9]+ ms \(it begins: \\"\+'
	expect_out '"cause":"protocol"'
	p=${PORTS[endless-reply]}
	case_ "redis:// '+AAAA...' without CRLF: bounded and named"
	run_probe --timeout 1s --format json "redis://127.0.0.1:$p"
	expect_rc 1
	expect_out '"error":"the server sent over 1024 KiB without ending a reply to PING \(it begins: \\"\+AAAA'
fi

if has sqlite:///x.db; then
	for f in /dev/zero /dev/urandom /dev/null; do
		case_ "sqlite:///$f is no database"
		run_probe --format json "sqlite:///$f"
		expect_rc 1
		expect_out "\"error\":\"$f is not a regular file \\(a character device\\): not a database file\".*\"cause\":\"notadb\""
	done
fi

finish
