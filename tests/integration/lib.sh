# lib.sh - shared by the integration drivers.  Source it after `set -eu`.
#
#   run_probe ARGS...      runs $PROBE, sets RC, OUT (stderr), STDOUT, MS
#   expect_rc N            RC must be N
#   expect_out REGEX       a line of OUT matches (grep -E)
#   expect_no_out REGEX    no line of OUT matches
#   expect_ms_below N      the run took less than N ms
#   expect_ms_above N      the run took at least N ms
#   free_port              prints a free loopback TCP port
#   start_bg NAME CMD...   runs CMD in the background, killed on exit
#   wait_port PORT [HOST]  waits up to 10 s until PORT accepts
#   wait_closed PORT [HOST] waits up to 5 s until PORT refuses
#   hint_text HINT_X       prints the text of hint HINT_X (probe/hints.c)
#   expect_hint HINT_X     a line of OUT carries that hint (json, logfmt or text)
#   finish                 prints the tally; exits 1 on any failure

: "${PROBE:?PROBE must name the probe binary}"
: "${SERVERS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../servers" && pwd)}"
PYTHON=${PYTHON:-python3}
T_NAME=$(basename "$0" .sh)
T_FAIL=0
T_PASS=0
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/probe-test.XXXXXX")
T_PIDS=()

t_cleanup() {
	local pid
	for pid in "${T_PIDS[@]:-}"; do
		[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	done
	for pid in "${T_PIDS[@]:-}"; do
		[ -n "$pid" ] && wait "$pid" 2>/dev/null || true
	done
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

# A description of the current case, for failure messages.
CASE=""
case_() { CASE="$*"; }

t_ok() { T_PASS=$((T_PASS + 1)); }
t_bad() {
	T_FAIL=$((T_FAIL + 1))
	printf 'FAIL [%s] %s\n' "$CASE" "$*" >&2
	printf '  probe said (rc=%s, %s ms):\n%s\n' "${RC:-?}" "${MS:-?}" "$(printf '%s\n' "${OUT:-}" | sed 's/^/    /')" >&2
}

run_probe() {
	local t0 t1
	t0=$(date +%s%N)
	set +e
	STDOUT=$("$PROBE" "$@" 2>"$T_DIR/stderr")
	RC=$?
	set -e
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	OUT=$(cat "$T_DIR/stderr")
}

expect_rc() {
	if [ "$RC" = "$1" ]; then t_ok; else t_bad "exit code $RC, want $1"; fi
}

expect_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then t_ok; else t_bad "no line matches /$1/"; fi
}

expect_no_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then t_bad "a line matches /$1/"; else t_ok; fi
}

expect_ms_below() {
	if [ "$MS" -lt "$1" ]; then t_ok; else t_bad "took $MS ms, want < $1"; fi
}

expect_ms_above() {
	if [ "$MS" -ge "$1" ]; then t_ok; else t_bad "took $MS ms, want >= $1"; fi
}

free_port() {
	"$PYTHON" - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start_bg() {
	local name=$1
	shift
	"$@" >"$T_DIR/$name.log" 2>&1 &
	T_PIDS+=("$!")
}

wait_port() {
	local port=$1 host=${2:-127.0.0.1} i
	for i in $(seq 1 200); do
		if "$PYTHON" -c "import socket,sys; s=socket.create_connection(('$host',$port),0.2)" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "server on $host:$port did not come up" >&2
	return 1
}

# wait_closed PORT [HOST]: waits up to 5 s until PORT refuses connections
# (a killed server's listening socket can outlive its process briefly).
wait_closed() {
	local port=$1 host=${2:-127.0.0.1} i
	for i in $(seq 1 100); do
		"$PYTHON" -c "import socket; socket.create_connection(('$host',$port),0.2)" 2>/dev/null || return 0
		sleep 0.05
	done
	echo "port $host:$port still accepts connections" >&2
	return 1
}

# The hint table the report prints from; the tests name hints by their enum
# id so that rewording a hint breaks no test, and so that tests/integration/
# hints.sh can tell which ids have a test that triggers them.
T_HINTS_C="$(dirname "${BASH_SOURCE[0]}")/../../probe/hints.c"

# t_hint MODE HINT_X: the hint's text; MODE raw (as in C) or json (escaped as
# inside a JSON string).  Fails, saying so, on an id hints.c does not have.
t_hint() {
	PYTHONIOENCODING=utf-8 "$PYTHON" - "$T_HINTS_C" "$1" "$2" <<'PY'
import json, re, sys
src = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"\[" + re.escape(sys.argv[3]) + r"\]\s*=\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+)", src)
if not m:
    sys.exit("no hint " + sys.argv[3] + " in " + sys.argv[1])
# adjacent C literals concatenate; decode their escapes (\" \\ \n ...)
text = "".join(s.encode("latin-1", "backslashreplace").decode("unicode_escape")
               for s in re.findall(r"\"((?:[^\"\\]|\\.)*)\"", m.group(1)))
if sys.argv[2] == "json":
    text = json.dumps(text, ensure_ascii=False)[1:-1]
sys.stdout.write(text)
PY
}

# hint_text HINT_X: prints the text of hint HINT_X, as probe/hints.c has it.
hint_text() { t_hint raw "$1"; }

# expect_hint HINT_X: some line of OUT carries hint HINT_X in full: in json
# "hint":"TEXT", in logfmt hint="TEXT", in text "fix: TEXT".
expect_hint() {
	local raw json
	if ! raw=$(t_hint raw "$1") || ! json=$(t_hint json "$1"); then
		t_bad "expect_hint: unknown hint id $1"
		return 0
	fi
	if printf '%s\n' "$OUT" | grep -Fq -e "\"hint\":\"$json\"" -e "hint=\"$json\"" -e "fix: $raw"; then
		t_ok
	else
		t_bad "no line carries $1: \"hint\":\"$json\""
	fi
}

finish() {
	printf '%s: %d passed, %d failed\n' "$T_NAME" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}
