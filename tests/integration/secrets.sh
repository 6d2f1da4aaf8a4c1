#!/usr/bin/env bash
# secrets.sh - a password fed through every check kind's failure path, and
# through usage and configuration errors, never appears in any output, in
# any format.
set -eu
. "$TESTLIB"

PW='Pr0be-S3cret-pw'
DEAD=$(free_port)
export PROBE_TEST_SECRET="$PW"
export PROBE_TEST_DSN="postgresql://app:$PW@127.0.0.1:$DEAD/app"

check_clean() {
	local all
	all="$OUT$STDOUT"
	case "$all" in
	*"$PW"*) t_bad "the password appears in the output" ;;
	*) t_ok ;;
	esac
}

for fmt in json text logfmt; do
	case_ "$fmt: failures of every kind"
	run_probe --format "$fmt" --timeout 2s \
		"tcp://127.0.0.1:$DEAD" name="tcp" \
		"http://app:$PW@127.0.0.1:$DEAD/health" \
		"http://127.0.0.1:$DEAD/x" header="Authorization: Bearer $PW" level=ready \
		"http://127.0.0.1:$DEAD/y" header="Cookie: session=$PW" level=ready \
		"http://127.0.0.1:$DEAD/z" header="X-Api-Token: $PW" level=ready \
		env:PROBE_TEST_SECRET match='^nomatch$' \
		env:PROBE_TEST_SECRET json=yes \
		"file:/nonexistent/dir" \
		"dir:/nonexistent/dir" \
		"listen://:$DEAD" \
		"dns:no-such-host.invalid"
	expect_rc 1
	check_clean
	expect_out 'app:\*\*\*@127.0.0.1'

	case_ "$fmt: a usage error that echoes the word"
	run_probe --format "$fmt" "http://app:$PW@127.0.0.1:$DEAD/" bogus=1
	expect_rc 64
	check_clean
	run_probe --format "$fmt" "http://app:$PW@127.0.0.1:99999/"
	expect_rc 64
	check_clean
	run_probe --format "$fmt" "tcp://app:$PW@127.0.0.1:$DEAD"
	expect_rc 64
	check_clean
	run_probe --format "$fmt" "postgresql://app:$PW@[::1:$DEAD/app"
	expect_rc 64
	check_clean
	run_probe --format "$fmt" "http://app:$PW@127.0.0.1:$DEAD/" 'status=${PROBE_TEST_NOPE}'
	expect_rc 78
	check_clean

	case_ "$fmt: @VAR and \${VAR} holding the URL"
	run_probe --format "$fmt" @PROBE_TEST_DSN
	check_clean
	run_probe --format "$fmt" "http://app:\${PROBE_TEST_SECRET}@127.0.0.1:$DEAD/"
	expect_rc 1
	check_clean
done

finish
