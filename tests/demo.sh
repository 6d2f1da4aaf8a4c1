#!/usr/bin/env bash
# demo.sh - installs what is needed, builds probe, starts a small demo app
# with the usual deploy mistakes, and shows probe's report on it.
set -eu
cd "$(dirname "$0")/.."

bash tests/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The demo app: answers /health, but 404s its API route, and - the classic
# mistake - is bound to 127.0.0.1, so nothing outside the container reaches it.
python3 tests/servers/httpd.py --host 127.0.0.1 --port "$PORT" --mode good >/dev/null 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	python3 -c "import socket; socket.create_connection(('127.0.0.1',$PORT),0.2)" 2>/dev/null && break
	sleep 0.05
done

show() {
	printf '\n$ probe %s\n' "$*"
	set +e
	./build/probe "$@"
	local rc=$?
	set -e
	printf '(exit code %d)\n' "$rc"
}

echo "A demo app listens on 127.0.0.1:$PORT. probe checks it layer by layer:"
show --format text \
	"http://127.0.0.1:$PORT/health" json=.status=ok \
	"http://127.0.0.1:$PORT/api/items" \
	"listen://:$PORT" public=yes \
	env:APP_KEY
echo
echo "The same report as Docker and Kubernetes keep it (JSON lines on stderr):"
show "http://127.0.0.1:$PORT/api/items" "listen://:$PORT" public=yes
echo
echo "Run the whole test suite with: bash tests/all.sh"
