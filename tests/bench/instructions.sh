#!/usr/bin/env bash
# instructions.sh - user-space instruction counts (valgrind callgrind) of
# probe's socket and HTTP checks next to the tools they replace, measured
# in one run against the same loopback server.  Instruction counts are
# stable where wall time on a shared machine is not.
#
#   bash tests/bench/instructions.sh [path/to/probe]
set -eu
cd "$(dirname "$0")/../.."
PROBE=${1:-build/probe}
command -v valgrind >/dev/null || { echo "valgrind is not installed (bash tests/setup.sh)" >&2; exit 1; }
DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 tests/servers/httpd.py --host 127.0.0.1 --port "$PORT" --mode good >/dev/null 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do
	python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
	sleep 0.05
done

# Prints the instructions one command executes, children included.
count() {
	valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$DIR/cg.%p" \
		"$@" >/dev/null 2>"$DIR/log" || true
	awk '/Collected/ {s += $NF} END {print s + 0}' "$DIR/log"
}

row() {
	local label=$1 base=$2
	shift 2
	local n
	n=$(count "$@")
	if [ -n "$base" ] && [ "$base" -gt 0 ]; then
		printf '| %-44s | %12s | %6.1f %% |\n' "$label" "$n" "$(awk -v a="$n" -v b="$base" 'BEGIN {print 100 * a / b}')"
	else
		printf '| %-44s | %12s | %8s |\n' "$label" "$n" ""
	fi
	LAST=$n
}

echo "| command | instructions | of the tool's |"
echo "|---|---:|---:|"
row "nc -z 127.0.0.1 PORT" "" nc -z 127.0.0.1 "$PORT"
NC=$LAST
row "probe tcp://127.0.0.1:PORT" "$NC" "$PROBE" "tcp://127.0.0.1:$PORT"
row "curl -fsS http://127.0.0.1:PORT/health" "" curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health"
CURL=$LAST
row "probe http://127.0.0.1:PORT/health" "$CURL" "$PROBE" "http://127.0.0.1:$PORT/health"
row "probe --version (start-up alone)" "$CURL" "$PROBE" --version
