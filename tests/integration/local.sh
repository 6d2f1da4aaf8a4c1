#!/usr/bin/env bash
# local.sh - the kinds that look at this container without the network:
# env:, file:, dir:, proc:, mem: (through PROBE_CGROUP_ROOT fixtures),
# disk:, and dns: through the system resolver.
set -eu
. "$TESTLIB"

# The JSON line of check $1 (its name), for patterns that follow it.
line() { printf '"name":"%s".*' "$1"; }

SECRET=zq-secret-7f3a9b21

case_ "env: unset"
env -u PROBE_T_UNSET "$PROBE" --format json env:PROBE_T_UNSET 2>"$T_DIR/e" && RC=0 || RC=$?
OUT=$(cat "$T_DIR/e")
expect_rc 1
expect_out "$(line env:PROBE_T_UNSET)\"result\":\"fail\".*\"error\":\"PROBE_T_UNSET is not set\".*\"hint\":\"set it in the service's environment"
expect_hint HINT_ENV_UNSET

case_ "env: empty"
PROBE_T_EMPTY= run_probe --format json env:PROBE_T_EMPTY
expect_rc 1
expect_out '"error":"PROBE_T_EMPTY is set but empty".*"hint":"set it in'

case_ "env: set; the value never shows"
PROBE_T_KEY=$SECRET run_probe --format json env:PROBE_T_KEY
expect_rc 0
expect_out "$(line env:PROBE_T_KEY)\"result\":\"pass\".*\"detail\":\\{\"length\":${#SECRET}\\}"
expect_no_out "$SECRET"
PROBE_T_KEY=$SECRET run_probe --format text env:PROBE_T_KEY
expect_rc 0
expect_no_out "$SECRET"

case_ "env: match="
PROBE_T_KEY=$SECRET run_probe --format json env:PROBE_T_KEY 'match=^[a-f0-9]{32}$$'
expect_rc 1
expect_out '"error":"PROBE_T_KEY does not match \^\[a-f0-9\]\{32\}\$".*"hint":"the variable is set but its value has the wrong form"'
expect_hint HINT_ENV_MATCH
expect_no_out "$SECRET"
PROBE_T_KEY=$SECRET run_probe --format json env:PROBE_T_KEY 'match=^zq-[a-z]+-[0-9a-f]{8}$$'
expect_rc 0
PROBE_T_KEY=abc run_probe --format json env:PROBE_T_KEY 'match=('
expect_rc 64
expect_out 'env:PROBE_T_KEY: match=\(:'

case_ "env: match= too large once expanded: a usage error before any run"
run_probe --format json --timeout 1s env:HOME 'match=(((a{1,100}){1,100}){1,100})'
expect_rc 64
expect_out '"error":"env:HOME: match=.*: the pattern is too large once its repetitions are expanded'
expect_ms_below 500
run_probe --format json env:HOME 'match=(a)\1'
expect_rc 64
expect_out 'back-references .* are not supported'

case_ "env: json=yes"
PROBE_T_JSON='{"a":[1,2,{"b":null}]}' run_probe --format json env:PROBE_T_JSON json=yes
expect_rc 0
PROBE_T_JSON="{\"k\":$SECRET}" run_probe --format json env:PROBE_T_JSON json=yes
expect_rc 1
expect_out '"error":"PROBE_T_JSON is not valid JSON: unexpected character at byte 5".*"hint":"the variable must hold valid JSON'
expect_hint HINT_ENV_JSON
expect_no_out "$SECRET"
expect_no_out "unexpected 'z'"
PROBE_T_JSON="{\"k\":\"$SECRET\"" run_probe --format json env:PROBE_T_JSON json=yes
expect_rc 1
expect_out '"error":"PROBE_T_JSON is not valid JSON: unexpected end of input at byte'
expect_no_out "$SECRET"
PROBE_T_JSON=x run_probe --format json env:PROBE_T_JSON json=maybe
expect_rc 64

case_ "env: usage"
run_probe --format json env:
expect_rc 64

D=$T_DIR/files
mkdir -p "$D/full" "$D/empty"
printf 'twelve bytes' >"$D/twelve"
: >"$D/zero"
printf 'x' >"$D/full/entry"
touch "$D/fresh"
touch -d '2 minutes ago' "$D/stale"

case_ "file: missing, wrong type"
run_probe --format json "file:$D/nope" "dir:$D/nope" "file:$D/full" "dir:$D/twelve"
expect_rc 1
expect_out '"failed":4'
expect_out "$(line "file:$D/nope")\"result\":\"fail\".*\"error\":\"$D/nope: No such file or directory\".*\"hint\":\"the image was built without it"
expect_hint HINT_FILE_MISSING
expect_out "$(line "dir:$D/nope").*\"error\":\"$D/nope: No such file or directory\""
expect_out "$(line "file:$D/full").*\"error\":\"is a directory\".*\"hint\":\"a folder stands where a file should"
expect_hint HINT_FILE_IS_DIR
expect_out "$(line "dir:$D/twelve").*\"error\":\"is not a directory\""
run_probe --format json "file:$D/twelve/x"
expect_rc 1
expect_out "\"error\":\"$D/twelve/x: Not a directory\""

case_ "file: present"
run_probe --format json "file:$D/twelve" "dir:$D/full" "file:///$D/twelve"
expect_rc 0
expect_out "$(line "file:$D/twelve")\"result\":\"pass\".*\"detail\":\\{\"bytes\":12\\}"

case_ "file: nonempty=, min-bytes="
run_probe --format json "file:$D/zero" nonempty=yes
expect_rc 1
expect_out '"error":"empty file".*"hint":"it exists but is empty'
expect_hint HINT_FILE_EMPTY
run_probe --format json "file:$D/twelve" min-bytes=100
expect_rc 1
expect_out '"error":"12 bytes, min-bytes 100".*"hint":"smaller than expected'
expect_hint HINT_FILE_SHORT
run_probe --format json "file:$D/zero" min-bytes=1
expect_rc 1
expect_out '"error":"0 bytes, min-bytes 1".*"hint":"it exists but is empty'
run_probe --format json "file:$D/twelve" min-bytes=12 nonempty=yes
expect_rc 0
run_probe --format json "file:$D/twelve" min-bytes=1KiB
expect_rc 1
expect_out '"error":"12 bytes, min-bytes 1024"'
run_probe --format json "file:$D/twelve" min-bytes=lots
expect_rc 64

case_ "dir: nonempty="
run_probe --format json "dir:$D/empty" nonempty=yes
expect_rc 1
expect_out '"error":"empty directory".*"hint":"the folder is empty: a volume mounted over it'
expect_hint HINT_DIR_EMPTY
run_probe --format json "dir:$D/full" nonempty=yes "dir:$D/empty"
expect_rc 0
run_probe --format json "dir:$D/full" min-bytes=1
expect_rc 64
expect_out "unknown option 'min-bytes='"

case_ "file: max-age= (heartbeat files)"
run_probe --format json "file:$D/stale" max-age=30s
expect_rc 1
expect_out '"error":"last modified 1[12][0-9] s ago, max-age 30s".*"hint":"the process that touches it has stopped or hangs"'
expect_hint HINT_FILE_STALE
expect_out '"age_s":1[12][0-9]'
run_probe --format json "file:$D/fresh" max-age=30s "file:$D/stale" max-age=5m "dir:$D/full" max-age=1m
expect_rc 0
expect_out "$(line "file:$D/fresh").*\"detail\":\\{\"bytes\":0,\"age_s\":[0-9]\\}"
run_probe --format json "file:$D/fresh" max-age=soon
expect_rc 64

case_ "file: writable= and permissions, as an unprivileged user"
# Root may write and read anything but a read-only mount: run probe as
# nobody where setpriv can, and say so when it cannot.
chmod 0755 "$T_DIR" "$D"
mkdir -p "$D/locked"
printf 'secret' >"$D/locked/inner"
chmod 0700 "$D/locked"
printf 'ro' >"$D/readonly"
chmod 0444 "$D/readonly"
printf 'private' >"$D/private"
chmod 0600 "$D/private"
chmod 0777 "$D/full"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$PROBE"; then
	as_nobody() {
		set +e
		STDOUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$PROBE" "$@" 2>"$T_DIR/stderr")
		RC=$?
		set -e
		OUT=$(cat "$T_DIR/stderr")
	}
	as_nobody --format json "file:$D/readonly" writable=yes
	expect_rc 1
	expect_out "\"error\":\"$D/readonly: not writable by uid 65534\".*\"hint\":\"the container user cannot write here"
	expect_hint HINT_FILE_READONLY
	as_nobody --format json "dir:$D" writable=yes
	expect_rc 1
	expect_out "\"error\":\"$D: not writable by uid 65534\""
	as_nobody --format json "dir:$D/full" writable=yes "file:$D/readonly"
	expect_rc 0
	as_nobody --format json "file:$D/private"
	expect_rc 1
	expect_out "\"error\":\"$D/private: permission denied \\(uid 65534 cannot read it\\)\".*\"hint\":\"the container user may not read it"
	expect_hint HINT_FILE_DENIED
	as_nobody --format json "file:$D/locked/inner"
	expect_rc 1
	expect_out "\"error\":\"$D/locked/inner: permission denied \\(uid 65534 cannot reach it\\)\""
	as_nobody --format json "dir:$D/locked"
	expect_rc 1
	expect_out "\"error\":\"$D/locked: permission denied \\(uid 65534 cannot read it\\)\""
else
	echo "local.sh: cannot run probe as nobody here: writable=/permission cases skipped" >&2
fi
run_probe --format json "file:$D/readonly" writable=yes
if [ "$(id -u)" = 0 ]; then expect_rc 0; else expect_rc 1; fi

case_ "proc: two copies of a named process"
# exec -a renames argv[0]: comm stays "sleep", cmdline says probetestwatch.
start_bg w1 bash -c 'exec -a probetestwatch sleep 60'
start_bg w2 bash -c 'exec -a probetestwatch sleep 60'
for i in $(seq 1 100); do
	n=$(grep -l '^probetestwatch' /proc/[0-9]*/cmdline 2>/dev/null | wc -l) || true
	[ "$n" -ge 2 ] && break
	sleep 0.05
done
run_probe --format json proc:probetestwatch max=1
expect_rc 1
expect_out "$(line proc:probetestwatch)\"result\":\"fail\".*\"error\":\"2 processes named probetestwatch, max 1\".*\"detail\":\\{\"count\":2,\"pids\":\\[\"[0-9]+\",\"[0-9]+\"\\]\\}.*\"hint\":\"more copies run than expected"
expect_hint HINT_PROC_DUPLICATE
run_probe --format json proc:probetestwatch min=1 proc:probetestwatch max=2 name=second
expect_rc 0
expect_out '"passed":2'
run_probe --format json proc:probetestwatch min=3
expect_rc 1
expect_out '"error":"2 processes named probetestwatch, min 3".*"hint":"fewer copies run than expected'
expect_hint HINT_PROC_FEW
run_probe --format json proc:probe-no-such-process
expect_rc 1
expect_out '"error":"no process named probe-no-such-process".*"detail":\{"count":0,"pids":\[\]\}.*"hint":"the process is not running'
expect_hint HINT_PROC_NONE
run_probe --format json proc:probe-no-such-process max=0
expect_rc 0

case_ "proc: the script an interpreter runs"
printf 'import time\ntime.sleep(60)\n' >"$T_DIR/probetestscript.py"
start_bg script "$PYTHON" -u "$T_DIR/probetestscript.py"
# $PYTHON may be a shim (pyenv) that execs the real one a moment later.
for i in $(seq 1 100); do
	run_probe --format json proc:probetestscript max=1 proc:probetestscript.py max=1
	[ "$RC" = 0 ] && break
	sleep 0.05
done
expect_rc 0
expect_out '"check":"proc","name":"proc:probetestscript","target":"probetestscript".*"count":1'

case_ "proc: probe does not count itself"
# A copy under a name of its own: other tests run probe side by side.
SELF=pself$$
cp "$PROBE" "$T_DIR/$SELF"
PROBE="$T_DIR/$SELF" run_probe --format json "proc:$SELF" max=0
expect_rc 0
expect_out "\"name\":\"proc:$SELF\".*\"result\":\"pass\""

case_ "proc: usage"
for args in "proc:" "proc:/usr/bin/x" "proc:x min=two" "proc:x min=3 max=1" "proc:x max=-1"; do
	# shellcheck disable=SC2086
	run_probe --format json $args
	expect_rc 64
done

# cgroup fixtures for mem:
CG=$T_DIR/cgroup
cg_v2() { # DIR CURRENT MAX INACTIVE
	mkdir -p "$1"
	echo "$2" >"$1/memory.current"
	echo "$3" >"$1/memory.max"
	printf 'anon 1\nfile 2\ninactive_file %s\nactive_file 3\n' "$4" >"$1/memory.stat"
}
MIB=1048576

case_ "mem: v2 over 90%"
cg_v2 "$CG/high" $((1000 * MIB)) $((1024 * MIB)) 0
PROBE_CGROUP_ROOT=$CG/high run_probe --format json mem:
expect_rc 1
expect_out "$(line mem:)\"result\":\"fail\".*\"error\":\"working set 1000 MiB of 1 GiB limit \\(97\\.7%\\), max 90%\".*\"detail\":\\{\"used\":$((1000 * MIB)),\"limit\":$((1024 * MIB)),\"percent\":97\\.[0-9]+\\}.*\"hint\":\"close to the memory limit"
expect_hint HINT_MEM_HIGH
PROBE_CGROUP_ROOT=$CG/high run_probe --format json mem: max=98%
expect_rc 0

case_ "mem: v2 under, inactive file pages do not count"
cg_v2 "$CG/low" $((600 * MIB)) $((1024 * MIB)) $((100 * MIB))
PROBE_CGROUP_ROOT=$CG/low run_probe --format json mem:
expect_rc 0
expect_out "\"detail\":\\{\"used\":$((500 * MIB)),\"limit\":$((1024 * MIB)),\"percent\":48\\.8[0-9]*\\}"
expect_no_out '"warning"'
PROBE_CGROUP_ROOT=$CG/low run_probe --format json mem: max=256MiB
expect_rc 1
expect_out '"error":"working set 500 MiB of 1 GiB limit \(48\.8%\), max 256MiB"'
PROBE_CGROUP_ROOT=$CG/low run_probe --format json mem: max=512MiB
expect_rc 0

case_ "mem: no limit"
cg_v2 "$CG/nolimit" $((600 * MIB)) max 0
PROBE_CGROUP_ROOT=$CG/nolimit run_probe --format json mem:
expect_rc 0
expect_out "$(line mem:)\"result\":\"pass\".*\"detail\":\\{\"used\":$((600 * MIB))\\},\"warning\":\"no memory limit set for this container\""
PROBE_CGROUP_ROOT=$CG/nolimit run_probe --format json mem: max=512MiB
expect_rc 1
expect_out '"error":"working set 600 MiB, max 512MiB"'

case_ "mem: cgroup v1"
mkdir -p "$CG/v1/memory"
echo $((900 * MIB)) >"$CG/v1/memory/memory.usage_in_bytes"
echo $((1024 * MIB)) >"$CG/v1/memory/memory.limit_in_bytes"
printf 'cache 1\ninactive_file 5\ntotal_inactive_file %s\n' $((100 * MIB)) >"$CG/v1/memory/memory.stat"
PROBE_CGROUP_ROOT=$CG/v1 run_probe --format json mem:
expect_rc 0
expect_out "\"used\":$((800 * MIB)),\"limit\":$((1024 * MIB))"
PROBE_CGROUP_ROOT=$CG/v1 run_probe --format json mem: max=75%
expect_rc 1
expect_out '"error":"working set 800 MiB of 1 GiB limit \(78\.1%\), max 75%"'
echo 9223372036854771712 >"$CG/v1/memory/memory.limit_in_bytes"
PROBE_CGROUP_ROOT=$CG/v1 run_probe --format json mem:
expect_rc 0
expect_out '"warning":"no memory limit set for this container"'

case_ "mem: no accounting at all is not unhealthy"
mkdir -p "$CG/none"
PROBE_CGROUP_ROOT=$CG/none run_probe --format json mem:
expect_rc 0
expect_out '"warning":"no cgroup memory accounting under'

case_ "mem: this machine"
run_probe --format json mem: max=100%
expect_rc 0

case_ "mem: usage"
for args in "mem:x" "mem: max=abc" "mem: max=101%" "mem: max=-5%" "mem: limit=5"; do
	# shellcheck disable=SC2086
	run_probe --format json $args
	expect_rc 64
done

case_ "disk:"
run_probe --format json disk:/ min-free=1% disk: min-free=1B "disk:$T_DIR"
expect_rc 0
expect_out "$(line disk:/)\"result\":\"pass\".*\"detail\":\\{\"free\":[0-9]+,\"total\":[0-9]+,\"percent_free\":[0-9.]+\\}"
run_probe --format json disk:/ min-free=100%
expect_rc 1
expect_out '"error":"only [0-9.]+ [KMGT]?i?B free of [0-9.]+ [KMGT]?i?B \([0-9.]+%\), min-free 100%".*"hint":"free space is low'
expect_hint HINT_DISK_FULL
run_probe --format json disk:/ min-free=1000TiB
expect_rc 1
expect_out '"error":"only .* free of .*, min-free 1000TiB"'
run_probe --format json "disk:$T_DIR/nope"
expect_rc 1
expect_out "\"error\":\"$T_DIR/nope: No such file or directory\""
run_probe --format json disk:/proc
expect_rc 1
expect_out '"error":"/proc reports no size'
for args in "disk:/ min-free=101%" "disk:/ min-free=lots" "disk:/ max=5%"; do
	# shellcheck disable=SC2086
	run_probe --format json $args
	expect_rc 64
done

case_ "dns:"
run_probe --format json --timeout 3s dns:localhost
expect_rc 0
expect_out "$(line dns:localhost)\"result\":\"pass\".*\"addresses\":\\[[^]]*\"(127\\.0\\.0\\.1|::1)\""
# .invalid never resolves (RFC 2606); with no resolver it fails as fast.
run_probe --format json --timeout 3s dns:nonexistent.invalid
expect_rc 1
expect_out "$(line dns:nonexistent.invalid)\"result\":\"fail\".*\"error\":\"cannot resolve nonexistent\\.invalid: .*\"hint\":\"the name does not resolve"
expect_ms_below 3500
run_probe --format json --timeout 3s dns:nonexistent.invalid "http://nonexistent.invalid:8080/"
expect_rc 1
expect_out "$(line "http://nonexistent.invalid:8080/")\"result\":\"skip\".*\"cause\":\"dns:nonexistent.invalid\""
run_probe --format json --timeout 3s dns:nonexistent.invalid "http://NonExistent.Invalid:8080/"
expect_out '"result":"skip"'
# An image without /etc (FROM scratch): a private mount namespace with an
# empty /etc stands in for it, where unshare can make one.
if unshare -m true 2>/dev/null; then
	set +e
	STDOUT=$(unshare -m bash -c 'mount -t tmpfs none /etc && exec "$0" --format json --timeout 3s dns:localhost' "$PROBE" 2>"$T_DIR/stderr")
	RC=$?
	set -e
	OUT=$(cat "$T_DIR/stderr")
	expect_rc 1
	expect_out '"error":"cannot resolve localhost: .*"hint":"no /etc/hosts in this root: localhost cannot resolve; use 127\.0\.0\.1"'
	expect_hint HINT_DNS_NO_HOSTS
else
	echo "local.sh: no mount namespace here: the no-/etc/hosts case is skipped" >&2
fi
for args in "dns:" "dns:db:5432" "dns://db/path"; do
	run_probe --format json "$args"
	expect_rc 64
done

finish
