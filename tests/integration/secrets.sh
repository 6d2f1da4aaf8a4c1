#!/usr/bin/env bash
# secrets.sh - a password fed through every check kind's failure path, and
# through usage and configuration errors, never appears in any output, in
# any format.  A canary rides in passwords, tokens and header values that
# parse and that do not (a raw / # ? or @ in a password, a header= without
# its ':', an @VAR whose value is garbage), and in --plan: each case says
# its exit code and the error line it expects, and the canary must be on
# neither stdout nor stderr.
set -eu
. "$TESTLIB"

PW='Pr0be-S3cret-pw'
C='Cn4ry7x9Q' # the canary
DEAD=$(free_port)
export PROBE_TEST_SECRET="$PW"
export PROBE_TEST_DSN="postgresql://app:$PW@127.0.0.1:$DEAD/app"

check_clean() {
	local all
	all="$OUT$STDOUT"
	case "$all" in
	*"$PW"* | *"$C"*) t_bad "the password appears in the output" ;;
	*) t_ok ;;
	esac
}

# expect_error FMT RC MSG: the error line of format FMT carries exit code RC
# and the message MSG (a fixed string).
expect_error() {
	local fmt=$1 rc=$2 msg=$3 prefix line
	case "$fmt" in
	json) prefix="{\"probe\":\"error\",\"exit\":$rc,\"error\":\"" ;;
	logfmt) prefix="probe=error exit=$rc error=" ;;
	text) prefix="probe: " ;;
	esac
	while IFS= read -r line; do
		if [[ "$line" == "$prefix"* && "$line" == *"$msg"* ]]; then
			t_ok
			return 0
		fi
	done <<<"$OUT"
	t_bad "no error line $prefix...$msg"
}

# expect_line TEXT: some line of stderr holds the fixed string TEXT.
expect_line() {
	if printf '%s\n' "$OUT" | grep -Fq -- "$1"; then t_ok; else t_bad "no line holds $1"; fi
}

# canary FMT RC MSG WORD...: runs probe on the words in format FMT; exit
# code RC, a line holding MSG (the error line when RC is 64 or 78), and no
# canary anywhere.
canary() {
	local fmt=$1 rc=$2 msg=$3
	shift 3
	case_ "$fmt: $*"
	run_probe --format "$fmt" --timeout 2s "$@"
	expect_rc "$rc"
	check_clean
	if [ "$rc" = 64 ] || [ "$rc" = 78 ]; then
		expect_error "$fmt" "$rc" "$msg"
	else
		expect_line "$msg"
	fi
}

ENC="a '/', '?' or '#' in the password must be percent-encoded (%2F, %3F, %23)"
H="127.0.0.1:$DEAD"
export PROBE_TEST_RAW_DSN="postgresql://app:Ab/$C+9x=@$H/app"
export PROBE_TEST_RAW_REDIS="redis://:Ab#$C@$H"
export PROBE_TEST_JUNK="Ab/$C+9x="
export PROBE_TEST_JUNK_URL="app:$C@db:5432/app"
export PROBE_TEST_TOKEN="Bearer $C"

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

	# A raw / # ? in a password ends the authority early: the URL does not
	# parse, and the error shows it masked up to its last '@'.
	canary "$fmt" 64 "postgresql://app:***@$H/app: $ENC" "postgresql://app:Ab/$C+9x=@$H/app"
	canary "$fmt" 64 "postgresql+asyncpg://app:***@$H/app: $ENC" "postgresql+asyncpg://app:Ab?$C@$H/app"
	canary "$fmt" 64 "mysql://app:***@$H/app: $ENC" "mysql://app:Ab/$C@$H/app"
	canary "$fmt" 64 "mysql+aiomysql://app:***@$H/app: $ENC" "mysql+aiomysql://app:Ab#$C@$H/app"
	canary "$fmt" 64 "redis://:***@$H/0: $ENC" "redis://:Ab#$C@$H/0"
	canary "$fmt" 64 "redis://u:***@$H: $ENC" "redis://u:Ab?$C@$H"
	canary "$fmt" 64 "http://app:***@$H/x: $ENC" "http://app:Ab/$C@$H/x"
	canary "$fmt" 64 "https://app:***@$H/x: $ENC" "https://app:Ab?$C@$H/x"
	canary "$fmt" 64 "http://app:***@$H/: $ENC" "http://app:Ab#$C@$H/"
	# ... and one that still parses, with the rest of it in the path
	canary "$fmt" 64 "postgresql://app:***@$H/app: $ENC" "postgresql://app:5432/$C@$H/app"
	# tcp:// takes no userinfo; nor does listen://
	canary "$fmt" 64 "tcp://u:***@127.0.0.1:1: takes no user name or password" "tcp://u:$C@127.0.0.1:1"
	canary "$fmt" 64 "listen://u:***@:1: takes no user name or password" "listen://u:$C@:1"
	# through @VAR: the variable is named, its value masked
	canary "$fmt" 64 "@PROBE_TEST_RAW_DSN: postgresql://app:***@$H/app: $ENC" @PROBE_TEST_RAW_DSN
	canary "$fmt" 64 "@PROBE_TEST_RAW_REDIS: redis://:***@$H: $ENC" @PROBE_TEST_RAW_REDIS
	canary "$fmt" 64 "'@PROBE_TEST_JUNK' expands to neither a check" @PROBE_TEST_JUNK
	canary "$fmt" 64 "@PROBE_TEST_JUNK_URL: '***': unknown check kind 'app:'" @PROBE_TEST_JUNK_URL
	canary "$fmt" 64 "http://$H/: status='***'" "http://$H/" status=@PROBE_TEST_JUNK
	# a malformed header=: its value goes, whatever the name
	canary "$fmt" 64 "http://$H/: header=: 'Authorization': a header name ends at ':'" \
		"http://$H/" "header=Authorization Bearer $C"
	canary "$fmt" 64 "http://$H/: header=: 'X-Token': a header name ends at ':'" \
		"http://$H/" "header=X-Token $C"
	canary "$fmt" 64 "http://$H/: header=: 'Bearer': a header name ends at ':'" \
		"http://$H/" header=@PROBE_TEST_TOKEN
	# passwords that parse (an '@' in them), percent-encoded ones, and
	# secret query parameters: the checks run and fail, masked
	canary "$fmt" 1 "postgresql://app:***@$H/app" "postgresql://app:Ab@$C@$H/app"
	canary "$fmt" 1 "mysql://app:***@$H/app" "mysql://app:Ab%2F$C@$H/app"
	canary "$fmt" 1 "redis://:***@$H" "redis://:Ab%23$C@$H"
	canary "$fmt" 1 "http://app:***@$H/" "http://app:Ab@$C@$H/"
	canary "$fmt" 1 "?token=***&api_key=***&access_token=***&secret=***&key=***&page=1" \
		"http://$H/x?token=$C&api_key=$C&access_token=$C&secret=$C&key=$C&page=1"
	canary "$fmt" 1 "/x?password=***" "https://$H/x?password=$C"

	# --plan prints named checks masked, and @VAR / ${VAR} as written
	case_ "$fmt: --plan with named checks"
	run_probe --format "$fmt" --plan "postgresql://app:Ab/$C@db/app" "mysql://app:$C@db/app" \
		"redis://:$C@cache:6379" "http://app:$C@127.0.0.1:8000/" "header=Authorization: Bearer $C" \
		"header=X-Api-Key:$C" "https://127.0.0.1/?token=$C&api_key=$C" "tcp://u:$C@db:5432" \
		@PROBE_TEST_RAW_DSN "http://app:\${PROBE_TEST_SECRET}@127.0.0.1:8000/" \
		'header=Authorization: Bearer ${PROBE_TEST_SECRET}'
	expect_rc 0
	check_clean
	case "$STDOUT" in
	*"postgresql://app:***@db/app"*"mysql://app:***@db/app"*"redis://:***@cache:6379"*"http://app:***@127.0.0.1:8000/ \"header=Authorization: Bearer ***\" header=X-Api-Key:***"*"?token=***&api_key=***"*"tcp://u:***@db:5432"*"@PROBE_TEST_RAW_DSN"*"http://app:\${PROBE_TEST_SECRET}@127.0.0.1:8000/ \"header=Authorization: Bearer \${PROBE_TEST_SECRET}\""*) t_ok ;;
	*) t_bad "plan: $STDOUT" ;;
	esac
	case "$STDOUT" in
	*"# a secret is masked as ***: name it as @VAR or \${VAR}"*) t_ok ;;
	*) t_bad "the plan does not say a secret was masked: $STDOUT" ;;
	esac
	printf 'http://127.0.0.1:%s/ "header=Authorization: Bearer %s"\n' "$DEAD" "$C" >"$T_DIR/checks"
	run_probe --format "$fmt" --plan -f "$T_DIR/checks"
	expect_rc 0
	check_clean

	# --plan parses no word: a URL that would not parse is masked as a
	# rejected word is, and a token as an http URL's user name too.
	case_ "$fmt: --plan with a URL that does not parse, and https://TOKEN@host"
	run_probe --format "$fmt" --plan "postgres://u:$C" "https://$C@127.0.0.1:1/"
	expect_rc 0
	check_clean
	case "$STDOUT" in
	*"postgres://u:***"*"https://***@127.0.0.1:1/"*) t_ok ;;
	*) t_bad "plan: $STDOUT" ;;
	esac
	canary "$fmt" 1 "http://***@$H/" "http://ghp_$C@$H/"
	# header= whose value runs on from the name, or follows a wrong character
	canary "$fmt" 64 "header=: 'Authorization': a header name ends at ':'" \
		"http://$H/" "header=Authorization;$C"
	canary "$fmt" 64 "header=: a credential header needs Name:Value" \
		"http://$H/" "header=Authorization$C"
done

# A JSON body that names a secret with white space before the ':', as
# pretty printers write it, is masked in an excerpt.
JPORT=$(free_port)
printf '{"password" : "%s",\n  "token" :\n    "%s"}' "$C" "$C" >"$T_DIR/pretty.json"
cat >"$T_DIR/pretty.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
body = open(sys.argv[2], "rb").read()
while True:
    c, _ = s.accept()
    c.recv(65536)
    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    c.close()
PY
start_bg pretty "$PYTHON" "$T_DIR/pretty.py" "$JPORT" "$T_DIR/pretty.json"
wait_port "$JPORT"
canary text 1 '{"password" : "***",' "http://127.0.0.1:$JPORT/" body=zzz
# json and logfmt escape the quotes of the excerpt
canary json 1 '{\"password\" : \"***\",' "http://127.0.0.1:$JPORT/" body=zzz
canary logfmt 1 '{\"password\" : \"***\",' "http://127.0.0.1:$JPORT/" body=zzz

# More secrets than any fixed table holds: the last ones are masked too.
case_ "200 env: values registered, then the canary"
for i in $(seq 1 200); do export "PROBE_TEST_V$i=value_number_$i"; done
words=()
for i in $(seq 1 200); do words+=("env:PROBE_TEST_V$i"); done
PROBE_TEST_TOK=$C run_probe --format json "${words[@]}" env:PROBE_TEST_TOK "http://127.0.0.1:$DEAD/$C"
expect_rc 1
check_clean
expect_line "\"name\":\"http://127.0.0.1:$DEAD/***\""

# --plan refuses a word no -f line can carry whole, rather than cut it.
case_ "--plan with a word over 1023 bytes"
run_probe --format json --plan "http://127.0.0.1:1/$(printf 'a%.0s' $(seq 1 2000))/health"
expect_rc 64
expect_error json 64 "is over 1023 bytes: no -f file can carry it"

finish
