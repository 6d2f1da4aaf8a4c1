#!/usr/bin/env bash
# resolver.sh - every kind ends by its deadline when the resolver never
# answers.  The test makes its own network and mount namespace, runs a DNS
# server there on 127.0.0.1:53 that reads every query and never answers
# (servers/dns_silent.py, UDP and TCP), and bind-mounts a resolv.conf
# naming it over /etc/resolv.conf, so glibc's resolver waits its full
# timeout and attempts for every name.  Each check, alone and in company,
# and probe wait, must end by --timeout with the right error line.
set -eu

if [ "${PROBE_RESOLVER_NS:-}" != 1 ]; then
	if ! unshare --mount --net true 2>/dev/null; then
		echo "resolver: skipped: no network namespace here (unshare --mount --net needs root)"
		exit 0
	fi
	PROBE_RESOLVER_NS=1 exec unshare --mount --net bash "$0" "$@"
fi
. "$TESTLIB"

ip link set lo up
start_bg dns "$PYTHON" "$SERVERS/dns_silent.py" 127.0.0.1 53
wait_port 53

resolv() { # OPTIONS-LINE: /etc/resolv.conf names the silent server
	printf 'nameserver 127.0.0.1\n%s\n' "$1" >"$T_DIR/resolv.conf"
	mount --bind "$T_DIR/resolv.conf" /etc/resolv.conf
}

# expect_bounded BOUND-MS RC ERROR-REGEX -- PROBE-ARGS...
expect_bounded() {
	local bound=$1 rc=$2 re=$3
	shift 4
	run_probe "$@"
	expect_rc "$rc"
	expect_out "$re"
	expect_ms_below "$bound"
}

ABANDONED='no result within the run.s deadline'
for opts in "" "options timeout:5 attempts:3"; do
	resolv "$opts"
	what=${opts:-the default resolver options}
	# 1 s bound; 400 ms of margin for a loaded machine, far below the
	# resolver's own 10 s or 15 s.
	case_ "a lone http:// check, a resolver that never answers ($what)"
	expect_bounded 1400 1 '"error":"resolving hang\.example timed out after [0-9]+ ms"' -- \
		--timeout 1s --format json http://hang.example:8000/health
	case_ "a lone https:// check ($what)"
	expect_bounded 1400 1 '"error":"resolving hang\.example timed out' -- \
		--timeout 1s --format json https://hang.example/health
	case_ "two http:// checks ($what)"
	expect_bounded 1400 1 '"name":"http://hang2\.example/".*"result":"fail"' -- \
		--timeout 1s --format json http://hang.example/ http://hang2.example/
	case_ "tcp:// ($what)"
	expect_bounded 1400 1 "\"name\":\"tcp://hang\\.example:1\".*$ABANDONED" -- \
		--timeout 1s --format json tcp://hang.example:1
	case_ "dns: ($what)"
	expect_bounded 1400 1 "\"name\":\"dns:hang\\.example\".*$ABANDONED" -- \
		--timeout 1s --format json dns:hang.example
	for url in postgresql://app@hang.example/app mysql://app@hang.example/app redis://hang.example:6379; do
		# a build without this driver says "unknown scheme": nothing to test
		if "$PROBE" --plan "$url" >/dev/null 2>&1; then
			case_ "$url alone ($what)"
			expect_bounded 1400 1 "$ABANDONED" -- --timeout 1s --format json "$url"
		fi
	done
	case_ "probe wait --timeout 2s on an http check ($what)"
	expect_bounded 2400 1 'resolving hang\.example timed out' -- \
		wait --timeout 2s --format json http://hang.example:8000/
	umount /etc/resolv.conf
done

finish
