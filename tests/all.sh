#!/usr/bin/env bash
# all.sh - the whole test suite from a clean clone: installs what it needs,
# builds probe four ways and runs the tests of each:
#   - with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/),
#   - fully static, as users ship it (build-static/, docker/build-static.sh;
#     also runs the empty-root test),
#   - the libFuzzer targets, with clang (build-fuzz/): only their smoke
#     runs, fuzz/* (tests/fuzz/run.sh runs them for longer),
#   - the plain shared build developers iterate on (build/), last.
# Ends with ctest's summary line.
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

bash tests/setup.sh

echo "== build (sanitizers) =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPROBE_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$JOBS"
echo "== build (static) =="
bash docker/build-static.sh --jobs "$JOBS"
cmake --build build-static/build -j "$JOBS" # the tests too
echo "== build (fuzz targets) =="
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPROBE_FUZZ=ON >/dev/null
cmake --build build-fuzz --target fuzz -j "$JOBS"
echo "== build =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$JOBS"

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build-asan --output-on-failure -j "$JOBS"
echo "== tests of the static binary =="
PROBE_STATIC_BIN=$PWD/build-static/probe ctest --test-dir build-static/build --output-on-failure -j "$JOBS"
echo "== fuzz smoke runs =="
ctest --test-dir build-fuzz --output-on-failure -j "$JOBS" -R '^fuzz/'
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$JOBS"
