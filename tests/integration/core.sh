#!/usr/bin/env bash
# core.sh - invocation, word sources, expansion, exit codes and formats,
# through the real binary.
set -eu
. "$TESTLIB"

PORT=$(free_port)
start_bg listener "$PYTHON" "$SERVERS/listener.py" 127.0.0.1 "$PORT"
wait_port "$PORT"
DEAD=$(free_port)

case_ "version and help"
run_probe --version
expect_rc 0
[ "$STDOUT" = "probe 0.1.0" ] && t_ok || t_bad "version: $STDOUT"
run_probe --help
expect_rc 0
case "$STDOUT" in *"usage: probe"*"exit: 0 healthy"*) t_ok ;; *) t_bad "help: $STDOUT" ;; esac

case_ "no checks named and nothing to discover"
# An empty container: no listener, no variables, an empty folder.
mkdir -p "$T_DIR/empty/net" "$T_DIR/empty/cg" "$T_DIR/empty/cwd"
printf '  sl  local_address rem_address   st\n' >"$T_DIR/empty/net/tcp"
printf '  sl  local_address rem_address   st\n' >"$T_DIR/empty/net/tcp6"
(cd "$T_DIR/empty/cwd" && env -i PATH="$PATH" PROBE_PROCNET_DIR="$T_DIR/empty/net" \
	PROBE_CGROUP_ROOT="$T_DIR/empty/cg" "$PROBE") 2>"$T_DIR/e" && RC=0 || RC=$?
OUT=$(cat "$T_DIR/e")
expect_rc 64
expect_out '"probe":"error","exit":64,"error":"no checks named, and nothing found to check here'

case_ "usage errors name the word"
run_probe --bogus
expect_rc 64
expect_out "unknown option '--bogus'"
run_probe "tcp://127.0.0.1:$PORT" statuss=200
expect_rc 64
expect_out "unknown option 'statuss=' \\(tcp: takes name=, timeout=, level=\\)"
run_probe "nosuch://x"
expect_rc 64
expect_out "unknown check kind 'nosuch:'"
run_probe "Tcp://127.0.0.1:$PORT"
expect_rc 64
expect_out "'Tcp://127.0.0.1:$PORT': not a check"
run_probe status=200
expect_rc 64
expect_out "an option needs a check before it"
run_probe --timeout soon "tcp://127.0.0.1:$PORT"
expect_rc 64
expect_out "--timeout soon"
run_probe "tcp://127.0.0.1:\$PORT"
expect_rc 64
expect_out 'write \$\{PORT\}'
run_probe "tcp://127.0.0.1:$PORT" timeout=fast
expect_rc 64
expect_out "timeout=fast: not a duration"

case_ "configuration errors"
run_probe 'tcp://127.0.0.1:${PROBE_TEST_UNSET}'
expect_rc 78
expect_out 'variable PROBE_TEST_UNSET is not set'
run_probe -f "$T_DIR/no-such-file"
expect_rc 78
expect_out 'no-such-file: No such file or directory'

case_ "-f FIFO: bounded by --timeout when no one writes, read when someone does"
mkfifo "$T_DIR/fifo"
run_probe --timeout 1s -f "$T_DIR/fifo"
expect_rc 78
expect_out '"-f .*fifo: nothing to read within --timeout|-f .*fifo: nothing to read within --timeout'
expect_ms_below 1500
(sleep 0.3; printf 'tcp://127.0.0.1:%s name=from-fifo\n' "$PORT" >"$T_DIR/fifo") &
writer=$!
run_probe --timeout 3s -f "$T_DIR/fifo"
wait "$writer"
expect_rc 0
expect_out 'from-fifo'
# The read is spent out of --timeout: a check read from the FIFO late
# gets what is left, not a --timeout of its own.
SILENT=$(free_port)
start_bg silent "$PYTHON" "$SERVERS/silent.py" 127.0.0.1 "$SILENT"
wait_port "$SILENT"
(sleep 0.9; printf 'http://127.0.0.1:%s/ name=late\n' "$SILENT" >"$T_DIR/fifo") &
writer=$!
run_probe --timeout 1s --format json -f "$T_DIR/fifo"
wait "$writer"
expect_rc 1
expect_out '"name":"late".*"result":"fail"'
expect_ms_below 1150
printf 'tcp://127.0.0.1:%s name=from-pipe\n' "$PORT" | {
	run_probe -f /dev/stdin
	expect_rc 0
	expect_out 'from-pipe'
	# the tally lives in this subshell: hand it back
	echo "$T_PASS $T_FAIL" >"$T_DIR/tally"
}
read -r T_PASS T_FAIL <"$T_DIR/tally"

case_ "configuration errors (continued)"
PROBE_TIMEOUT=later run_probe "tcp://127.0.0.1:$PORT"
expect_rc 78
expect_out 'PROBE_TIMEOUT=later'

case_ "expansion"
PROBE_TEST_PORT=$PORT run_probe 'tcp://127.0.0.1:${PROBE_TEST_PORT}'
expect_rc 0
expect_out "\"target\":\"127.0.0.1:$PORT\",\"level\":\"live\",\"result\":\"pass\""
run_probe "tcp://127.0.0.1:\${PROBE_TEST_UNSET:-$PORT}"
expect_rc 0
PROBE_TEST_TARGET="tcp://127.0.0.1:$PORT" run_probe @PROBE_TEST_TARGET name=viaat
expect_rc 0
expect_out '"name":"viaat"'
run_probe @PROBE_TEST_UNSET
expect_rc 78

case_ "word sources: command line, then file, then PROBE_CHECKS"
cat >"$T_DIR/checks" <<EOF2
# the app's own port
tcp://127.0.0.1:$PORT   name=from-file
EOF2
run_probe -f "$T_DIR/checks"
expect_rc 0
expect_out '"name":"from-file"'
PROBE_FILE="$T_DIR/checks" run_probe
expect_out '"name":"from-file"'
PROBE_CHECKS="tcp://127.0.0.1:$PORT name=from-env" run_probe
expect_out '"name":"from-env"'
PROBE_CHECKS="tcp://127.0.0.1:$PORT name=from-env" run_probe -f "$T_DIR/checks"
expect_out '"name":"from-file"'
PROBE_CHECKS="tcp://127.0.0.1:$PORT name=from-env" run_probe "tcp://127.0.0.1:$PORT" name=from-argv
expect_out '"name":"from-argv"'
expect_no_out 'from-file|from-env'

case_ "exit codes and summary"
run_probe "tcp://127.0.0.1:$PORT" "tcp://127.0.0.1:$DEAD"
expect_rc 1
# summary first, then the failure, then the pass
[ "$(printf '%s\n' "$OUT" | sed -n 1p)" = "$(printf '%s\n' "$OUT" | grep -m1 '"probe":"unhealthy","failed":1,"passed":1,"skipped":0')" ] && t_ok || t_bad "summary not first"
printf '%s\n' "$OUT" | sed -n 2p | grep -q "\"target\":\"127.0.0.1:$DEAD\".*\"result\":\"fail\".*\"error\":\"connection refused by 127.0.0.1:$DEAD\".*\"hint\":\"nothing listens" && t_ok || t_bad "failure not second"
printf '%s\n' "$OUT" | sed -n 3p | grep -q '"result":"pass"' && t_ok || t_bad "pass not last"

case_ "skip with a cause"
run_probe "listen://:$DEAD" "http://127.0.0.1:$DEAD/health"
expect_rc 1
expect_out "\"check\":\"http\".*\"result\":\"skip\",\"ms\":0.0,\"cause\":\"listen://:$DEAD\""

case_ "formats"
run_probe --format text "tcp://127.0.0.1:$PORT" "tcp://127.0.0.1:$DEAD" name=db
expect_out '^✗ unhealthy: 1 failed, 1 passed, 0 skipped'
expect_out '^socket +✗ db +connection refused by 127.0.0.1'
expect_out '^ +fix: nothing listens'
expect_out "^socket +✓ tcp://127.0.0.1:$PORT "
run_probe --format logfmt "tcp://127.0.0.1:$DEAD" name=db
expect_out '^probe=unhealthy failed=1 passed=0 skipped=0 ms=[0-9.]+ version=0.1.0$'
expect_out '^check=tcp name=db target=127.0.0.1:[0-9]+ level=live result=fail ms=[0-9.]+ error="connection refused by 127.0.0.1:[0-9]+" detail.cause=refused hint="nothing listens'
run_probe --format yaml "tcp://127.0.0.1:$PORT"
expect_rc 64

case_ "quiet"
run_probe --quiet "tcp://127.0.0.1:$PORT"
expect_rc 0
[ -z "$OUT" ] && t_ok || t_bad "quiet printed: $OUT"
run_probe -q "tcp://127.0.0.1:$PORT" "tcp://127.0.0.1:$DEAD"
expect_rc 1
expect_out '"result":"fail"'
expect_no_out '"result":"pass"'

case_ "levels"
run_probe --level live "tcp://127.0.0.1:$PORT" "tcp://127.0.0.1:$DEAD" level=ready
expect_rc 0
expect_out '"passed":1'
expect_no_out "$DEAD"
run_probe --level ready "tcp://127.0.0.1:$PORT" "tcp://127.0.0.1:$DEAD" level=ready
expect_rc 1
run_probe --level sometimes "tcp://127.0.0.1:$PORT"
expect_rc 64


case_ "checks of different layers that cannot cover each other overlap"
# An app-layer and a deps-layer check against a server that never answers,
# each cut at 1 s by its own timeout=: run one layer after the other they
# would take 2 s; side by side, one.
SILENT=$(free_port)
start_bg silent "$PYTHON" "$SERVERS/silent.py" 127.0.0.1 "$SILENT"
wait_port "$SILENT"
run_probe --timeout 5s "http://127.0.0.1:$SILENT/health" timeout=1s "redis://127.0.0.1:$SILENT" timeout=1s
expect_rc 1
expect_out '^\{"probe":"unhealthy","failed":2,"passed":0,"skipped":0'
expect_out '^\{"check":"http",.*"result":"fail",.*"error":"[^"]*timed out'
expect_out '^\{"check":"redis",.*"result":"fail",.*"error":"no reply to PING within'
expect_ms_below 1900

# lines_ok FMT TOTAL: OUT is a report in format FMT of TOTAL checks that
# Docker keeps whole: at most 4000 bytes, valid UTF-8, no control
# character, each line whole and valid (json: parses; logfmt: key=value
# pairs), and the checks shown plus those a last line says were left out
# make TOTAL.  Prints what is wrong, nothing when all is well.
lines_ok() {
	printf '%s\n' "$OUT" >"$T_DIR/report"
	"$PYTHON" - "$1" "$2" "$T_DIR/report" <<'PY'
import json, re, sys
fmt, total, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(path, "rb").read()
bad = []
if len(data) > 4000:
    bad.append("%d bytes" % len(data))
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    bad.append("not UTF-8: %s" % e)
    text = data.decode("utf-8", "replace")
pair = r'[A-Za-z0-9_.]+=(?:"(?:\\.|[^"\\])*"|[^ ="\\]+)'
logfmt = re.compile(r'^%s(?: %s)*$' % (pair, pair))
shown = omitted = 0
for i, line in enumerate(text.split("\n")[:-1], 1):
    if any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in line):
        bad.append("line %d: a control character: %r" % (i, line))
    if fmt == "json":
        try:
            obj = json.loads(line)
        except ValueError as e:
            bad.append("line %d: not JSON (%s): %r" % (i, e, line))
            continue
        shown += "check" in obj
        omitted += obj.get("omitted", 0)
    elif fmt == "logfmt":
        if not logfmt.match(line):
            bad.append("line %d: not logfmt: %r" % (i, line))
        shown += line.startswith("check=")
        m = re.match(r"omitted=(\d+) ", line)
        omitted += int(m.group(1)) if m else 0
    else:
        shown += bool(re.match("^\\S* +[\u2713\u2717\u2013] ", line))
        m = re.match("^\u2026 (\\d+) more not shown", line)
        omitted += int(m.group(1)) if m else 0
if shown + omitted != total:
    bad.append("%d shown and %d left out, of %d" % (shown, omitted, total))
print("; ".join(bad))
PY
}

expect_lines_ok() {
	local why
	why=$(lines_ok "$1" "$2")
	if [ -z "$why" ]; then t_ok; else t_bad "$why"; fi
}

case_ "many failures: the summary and every failure fit Docker's 4 KiB, each line whole"
many=()
for i in $(seq 1 30); do many+=("env:PROBE_TEST_UNSET_$i"); done
for fmt in json text logfmt; do
	run_probe --format "$fmt" "${many[@]}"
	expect_rc 1
	expect_lines_ok "$fmt" 30
	# 30 failures fit: every id is there, nothing is left out
	for i in 1 17 30; do expect_out "PROBE_TEST_UNSET_$i\b"; done
	expect_no_out 'omitted|more not shown'
done
many=()
for i in $(seq 1 500); do many+=("env:PROBE_TEST_UNSET_$i"); done
for fmt in json text logfmt; do
	run_probe --format "$fmt" "${many[@]}"
	expect_rc 1
	expect_lines_ok "$fmt" 500
	[ "$(printf '%s\n' "$OUT" | sed -n 1p | grep -c 'unhealthy')" = 1 ] && t_ok || t_bad "summary not first"
	printf '%s\n' "$OUT" | tail -n 1 | grep -Eq '"omitted":[0-9]+|^omitted=[0-9]+ |more not shown' &&
		t_ok || t_bad "the last line does not say how many were left out"
done
case_ "many passes are capped too"
many=()
for i in $(seq 1 300); do many+=("env:PATH" "name=path-$i"); done
for fmt in json text logfmt; do
	run_probe --format "$fmt" "tcp://127.0.0.1:$DEAD" "${many[@]}"
	expect_rc 1
	expect_lines_ok "$fmt" 301
	expect_out "127.0.0.1:$DEAD"
done

case_ "bytes from a server: JSON stays UTF-8, text free of control characters"
for mode in http redis raw; do
	GP=$(free_port)
	start_bg "garbage-$mode" "$PYTHON" "$SERVERS/garbage.py" 127.0.0.1 "$GP" "$mode"
	wait_port "$GP"
	eval "GARBAGE_$mode=$GP"
done
for fmt in json text logfmt; do
	run_probe --format "$fmt" "http://127.0.0.1:$GARBAGE_http/" expect-header=X-Junk:ok \
		"redis://127.0.0.1:$GARBAGE_redis" "http://127.0.0.1:$GARBAGE_raw/" \
		"redis://127.0.0.1:$GARBAGE_raw" env:$'\xff\xfe' env:$'A\x1b[2JB'
	expect_rc 1
	expect_lines_ok "$fmt" 6
done
run_probe --format json "http://127.0.0.1:$GARBAGE_http/" expect-header=X-Junk:ok
expect_out '"error":"header X-Junk is \\"\\ufffd\\ufffd\\u001b\[31mred'
run_probe --format text "http://127.0.0.1:$GARBAGE_http/" expect-header=X-Junk:ok
expect_out 'header X-Junk is "[^"]*\\x1b\[31mred\\x1b\[0m \\u009b2J'
case_ "a word that is not UTF-8"
for fmt in json text logfmt; do
	run_probe --format "$fmt" env:$'\xff\xfe'
	expect_rc 1
	expect_lines_ok "$fmt" 1
	run_probe --format "$fmt" $'\xff\xfe'
	expect_rc 64
	expect_lines_ok "$fmt" 0
done

case_ "--plan: a word with a control character is no -f file"
run_probe --plan env:$'A\x1b[2J'
expect_rc 64
expect_out 'a word holds a control character'
case "$STDOUT" in *$'\x1b'*) t_bad "an ESC on stdout" ;; *) t_ok ;; esac

case_ "-f: a NUL byte, and a file with no checks"
printf 'env:HOME\0\nenv:PROBE_TEST_NOPE_Y\n' >"$T_DIR/nul"
run_probe -f "$T_DIR/nul"
expect_rc 64
expect_out "-f $T_DIR/nul, line 1: a NUL byte"
printf '# a check\ntcp://127.0.0.1:%s\nenv:HOME\0\n' "$PORT" >"$T_DIR/nul2"
run_probe -f "$T_DIR/nul2"
expect_rc 64
expect_out "line 3: a NUL byte"
printf '# only comments\n\n   # and blank lines\n' >"$T_DIR/comments"
run_probe -f "$T_DIR/comments"
expect_rc 64
expect_out "no checks in $T_DIR/comments"
: >"$T_DIR/empty-file"
PROBE_FILE="$T_DIR/empty-file" run_probe --format text
expect_rc 64
expect_out "^probe: no checks in $T_DIR/empty-file"

case_ "a check waits for an earlier one on the same port, and is skipped when it fails"
run_probe "listen://:$DEAD" "http://127.0.0.1:$DEAD/health" "tcp://127.0.0.1:$PORT"
expect_rc 1
expect_out '^\{"check":"http",.*"result":"skip",.*"cause":"listen://:'"$DEAD"'"'
expect_out '^\{"check":"tcp",.*"result":"pass"'

finish
