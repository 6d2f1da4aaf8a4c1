#!/usr/bin/env bash
# all.sh - the whole test suite from a clean clone: installs what it needs,
# builds probe twice (plain, and with AddressSanitizer + UBSan), and runs
# every test against both.  Ends with ctest's summary line.
set -eu
cd "$(dirname "$0")/.."
JOBS=$(nproc 2>/dev/null || echo 2)

bash tests/setup.sh

echo "== build (sanitizers) =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPROBE_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$JOBS"
echo "== build =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$JOBS"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
ctest --test-dir build-asan --output-on-failure -j "$JOBS"
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$JOBS"
