#!/usr/bin/env bash
# bench.sh - what one probe check costs next to the tools it replaces,
# each doing the same job against the same loopback servers the tests use
# (tests/servers: HTTP, PostgreSQL 15, MariaDB, Redis; a SQLite file; a
# 3-revision Alembic project upgraded on SQLite), under the same
# authentication where the tool authenticates at all.
#
#   bash tests/bench/bench.sh [--quick] [--probe PATH] [--out FILE]
#
#   --probe PATH  the binary to measure (default build-static/probe, made by
#                 docker/build-static.sh; else build/probe)
#   --out FILE    where the Markdown goes (default tests/bench/RESULTS.md);
#                 it is printed too
#   --hot-functions FILE
#                 also write the functions probe executes in the scenarios,
#                 in the scenarios' order (the static link lays them out so:
#                 docker/hot-functions.txt, docker/STATIC.md);
#                 needs the unstripped build-static/build/probe
#   --quick       few runs (hyperfine --runs 3, /usr/bin/time and callgrind
#                 once, Python alternatives not run under callgrind): about a
#                 minute; the numbers are rough.  tests/integration/bench.sh
#                 runs this under ctest so the script cannot rot.
#
# Per command: median wall time over 5 hyperfine invocations per scenario
# (1 with --quick), each listing probe and all its alternatives (-N: no
# shell; warm-up runs first; 20 runs a command); user+sys CPU, the mean of
# the same runs (getrusage, microseconds:
# /usr/bin/time prints CPU in 10 ms steps, too coarse for a 1 ms command);
# max RSS, the median of /usr/bin/time -f '%e %U %S %M' runs, each command's
# files first dropped from the page cache and read back (cold_start); user-space
# instructions, children included, from valgrind --tool=callgrind
# --trace-children=yes (the median of 3 runs; 1 with --quick).  Plus the
# size of each binary and of its shared-library closure (ldd), and, in a
# full run, where probe's own instructions go (callgrind_annotate of an
# unstripped build, when one is next to PROBE: build-static/build/probe).
#
# Needs root (the database servers run as their own users) and the packages
# of tests/setup.sh (hyperfine, time, valgrind, busybox, the clients).
# Every load loop is bounded: hyperfine by --min-runs/--max-runs and its
# 3-second budget a command, the rest by fixed counts; servers listen on
# 127.0.0.1 only and are stopped on exit.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD

BENCH_ARGS=("$@") # for the re-run in a clean environment, below
QUICK=0
PROBE_ARG=
HOT_OUT=
OUT_FILE=$ROOT/tests/bench/RESULTS.md
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--probe) PROBE_ARG=$2; shift ;;
	--probe=*) PROBE_ARG=${1#*=} ;;
	--out) OUT_FILE=$2; shift ;;
	--out=*) OUT_FILE=${1#*=} ;;
	--hot-functions) HOT_OUT=$2; shift ;;
	--hot-functions=*) HOT_OUT=${1#*=} ;;
	-h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d'; exit 0 ;;
	*) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
	esac
	shift
done
# Every command runs in one small, fixed environment, as a health check
# runs in a container's: static glibc and the dynamic loader read every
# variable at start (glibc's tunables, ld.so's LD_*), so a CI runner's
# hundred variables would otherwise show up in each count, differently on
# each machine.  PROBE_BENCH_ENV marks the re-run.
if [ "${PROBE_BENCH_ENV:-}" != clean ]; then
	exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME="${HOME:-/root}" HOSTNAME=bench LANG=C.UTF-8 ${TMPDIR:+TMPDIR="$TMPDIR"} \
		PROBE_BENCH_ENV=clean bash "$ROOT/tests/bench/bench.sh" ${BENCH_ARGS[@]+"${BENCH_ARGS[@]}"}
fi
if [ -z "$PROBE_ARG" ]; then
	if [ -x build-static/probe ]; then PROBE_ARG=build-static/probe; else PROBE_ARG=build/probe; fi
fi
[ -x "$PROBE_ARG" ] || { echo "bench.sh: no probe binary at $PROBE_ARG" >&2; exit 1; }
PROBE=$(cd "$(dirname "$PROBE_ARG")" && pwd)/$(basename "$PROBE_ARG")
case $OUT_FILE in /*) ;; *) OUT_FILE=$PWD/$OUT_FILE ;; esac
case $HOT_OUT in '' | /*) ;; *) HOT_OUT=$PWD/$HOT_OUT ;; esac

PG_BIN=/usr/lib/postgresql/15/bin # the real binaries, not Debian's Perl wrappers
SYS_PY=/usr/bin/python3           # Debian's, with alembic and SQLAlchemy
for tool in hyperfine valgrind callgrind_annotate busybox nc curl wget redis-cli mysqladmin mariadb sqlite3 \
	"$PG_BIN/pg_isready" "$PG_BIN/psql" /usr/bin/time "$SYS_PY"; do
	command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (run: bash tests/setup.sh)" >&2; exit 1; }
done
"$SYS_PY" -c 'import alembic, sqlalchemy' 2>/dev/null ||
	{ echo "bench.sh: $SYS_PY has no alembic (run: bash tests/setup.sh)" >&2; exit 1; }

# Wall time and CPU come from HF_ROUNDS hyperfine invocations a scenario,
# each running every command of the scenario in turn: a ratio compares
# runs made under the same conditions of a noisy machine, not one
# command's minute with another's.
if [ "$QUICK" = 1 ]; then
	HF_RUNS=(--warmup 1 --runs 3)
	HF_ROUNDS=1
	TIME_RUNS=1
	CG_RUNS=1
else
	HF_RUNS=(--warmup 3 --runs 20)
	HF_ROUNDS=5
	TIME_RUNS=5
	CG_RUNS=3
fi
T0=$(date +%s)

export PROBE SERVERS=$ROOT/tests/servers
. "$ROOT/tests/integration/lib.sh"
. "$SERVERS/db.sh"
say() { printf 'bench: %s (%ss)\n' "$*" "$(($(date +%s) - T0))" >&2; }

# ------------------------------------------------------------------ servers
say "starting servers"
HTTP_PORT=$(free_port)
start_bg httpd "$PYTHON" "$SERVERS/httpd.py" --host 127.0.0.1 --port "$HTTP_PORT" --mode good
wait_port "$HTTP_PORT"
pg_start >/dev/null
my_start >/dev/null
redis_start >/dev/null
# libpq's clients get the password in the URL, as probe does: with one,
# pg_isready too goes through the SCRAM exchange; without, it stops at the
# server's authentication request (and still says "accepting").
unset PGPASSWORD PGPASSFILE PGSERVICE

DB=$T_DIR/app.db
sqlite3 "$DB" 'create table t(x); insert into t values (1);'

# A real Alembic project: `alembic init`, 3 revisions, upgraded on SQLite.
AL=$T_DIR/alembic
mkdir -p "$AL"
(cd "$AL" && "$SYS_PY" -m alembic init migrations >/dev/null)
sed -i -e "s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///$T_DIR/alembic.db|" \
	-e "s|^script_location = .*|script_location = %(here)s/migrations|" "$AL/alembic.ini"
for id in 0001 0002 0003; do
	(cd "$AL" && "$SYS_PY" -m alembic revision -m "rev $id" --rev-id "$id" >/dev/null)
done
(cd "$AL" && "$SYS_PY" -m alembic upgrade head >/dev/null 2>&1)

URL=http://127.0.0.1:$HTTP_PORT/health
# Every check must pass before anything is timed: a failing command is
# cheaper and would flatter whoever fails.
say "checking that every command succeeds"

# ---------------------------------------------------------------- scenarios
# A scenario is an id, a title, and commands as "label<TAB>command line";
# the first command is probe's.  Command lines are split the same way by
# hyperfine -N and by `eval set --` here: plain words and '...' "..." quotes.
SC_IDS=()
declare -A SC_TITLE=() SC_CMDS=()
scenario() { SC_IDS+=("$1"); SC_TITLE[$1]=$2; SC_CMDS[$1]=; printf '%s\t%s\n' "$1" "$2" >>"$T_DIR/titles.tsv"; }
cmd() { SC_CMDS[${SC_IDS[-1]}]+="$1"$'\t'"$2"$'\n'; }

PYGET="import urllib.request as u; u.urlopen('$URL', timeout=5).read()"
PSQL="$PG_BIN/psql -X -q -d '$PG_URL' -c 'select 1'"
MYADMIN="mysqladmin --no-defaults -h127.0.0.1 -P$MY_PORT -uapp -papp-pw-1 ping"
REDISCLI="redis-cli -h 127.0.0.1 -p $REDIS_PORT -a $REDIS_PASSWORD --no-auth-warning ping"

scenario tcp "TCP connect"
cmd 'probe tcp://' "$PROBE tcp://127.0.0.1:$HTTP_PORT"
cmd 'nc -z' "nc -z 127.0.0.1 $HTTP_PORT"

scenario http "HTTP GET /health"
cmd 'probe http://' "$PROBE $URL"
cmd 'curl -fsS' "curl -fsS -o /dev/null $URL"
cmd 'wget -q' "wget -q -O /dev/null $URL"
cmd 'busybox wget -q' "busybox wget -q -O /dev/null $URL"
cmd 'python3 urllib' "$SYS_PY -c \"$PYGET\""

scenario pg "PostgreSQL (SCRAM-SHA-256 login over TCP, SELECT 1)"
cmd 'probe postgresql://' "$PROBE '$PG_URL'"
cmd 'pg_isready (no password: no login)' "$PG_BIN/pg_isready -q -h 127.0.0.1 -p $PG_PORT -U app -d app"
cmd 'pg_isready -d URL (SCRAM login)' "$PG_BIN/pg_isready -q -d '$PG_URL'"
cmd 'psql -c "select 1" (SCRAM login)' "$PSQL"

scenario pgtrust "PostgreSQL (trust login over the Unix socket, SELECT 1)"
cmd 'probe postgresql://' "$PROBE 'postgresql://postgres@/postgres?host=$PG_SOCKET_DIR&port=$PG_PORT'"
cmd 'pg_isready' "$PG_BIN/pg_isready -q -h $PG_SOCKET_DIR -p $PG_PORT -U postgres -d postgres"
cmd 'psql -c "select 1"' "$PG_BIN/psql -X -q -h $PG_SOCKET_DIR -p $PG_PORT -U postgres -d postgres -c 'select 1'"

scenario mysql "MySQL (MariaDB 10.11, native-password login over TCP, SELECT 1)"
cmd 'probe mysql://' "$PROBE '$MY_URL'"
cmd 'mysqladmin ping' "$MYADMIN"
cmd 'mariadb -e "select 1"' "mariadb --no-defaults -h127.0.0.1 -P$MY_PORT -uapp -papp-pw-1 -e 'select 1' app"

scenario redis "Redis (AUTH, PING)"
cmd 'probe redis://' "$PROBE '$REDIS_URL'"
cmd 'redis-cli ping' "$REDISCLI"

scenario sqlite "SQLite (open read-only, SELECT 1)"
cmd 'probe sqlite:///' "$PROBE sqlite:///$DB"
cmd 'sqlite3 DB "select 1"' "sqlite3 -readonly $DB 'select 1'"

scenario alembic "Alembic head check (3 revisions, SQLite)"
cmd 'probe alembic:DIR' "$PROBE alembic:$AL"
cmd 'python3 -m alembic current' "$SYS_PY -m alembic -c $AL/alembic.ini current"

# The six checks in one probe run, next to the same checks run one by one
# (the slowest of which bounds the target) and next to the tools in a row.
PLAN="$PROBE listen://:$HTTP_PORT $URL '$PG_URL' '$REDIS_URL' '$MY_URL' sqlite:///$DB"
scenario plan "Readiness plan: listen, http, postgres, redis, mysql, sqlite in one probe run"
cmd 'probe (6 checks)' "$PLAN"
cmd 'sh -c: nc, curl, psql, redis-cli, mysqladmin, sqlite3' \
	"sh -c \"nc -z 127.0.0.1 $HTTP_PORT && curl -fsS -o /dev/null $URL && $PG_BIN/psql -X -q -d $PG_URL -c 'select 1' >/dev/null && $REDISCLI >/dev/null && $MYADMIN >/dev/null && sqlite3 -readonly $DB 'select 1' >/dev/null\""
cmd 'probe listen:// alone' "$PROBE listen://:$HTTP_PORT"
cmd 'probe http:// alone' "$PROBE $URL"
cmd 'probe postgresql:// alone' "$PROBE '$PG_URL'"
cmd 'probe redis:// alone' "$PROBE '$REDIS_URL'"
cmd 'probe mysql:// alone' "$PROBE '$MY_URL'"
cmd 'probe sqlite:/// alone' "$PROBE sqlite:///$DB"

# What a plan's size costs: 1, 100 and 10,000 env: checks in one run (env:
# runs on the runner's own thread: no thread a check).
for n in 1 100 10000; do
	for ((i = 0; i < n; i++)); do echo env:PATH; done >"$T_DIR/env$n.checks"
done
scenario scale "Plan size: 1, 100 and 10,000 env: checks in one run (-f FILE)"
cmd 'probe -f (1 check)' "$PROBE -f $T_DIR/env1.checks"
cmd 'probe -f (100 checks)' "$PROBE -f $T_DIR/env100.checks"
cmd 'probe -f (10,000 checks)' "$PROBE -f $T_DIR/env10000.checks"

# Not run under callgrind with --quick: each takes 10-60 s there.
slow_under_valgrind() { case $1 in *"$SYS_PY"*) return 0 ;; esac; return 1; }

for id in "${SC_IDS[@]}"; do
	while IFS=$'\t' read -r -u 3 label line; do
		[ -n "$label" ] || continue
		eval "set -- $line"
		if ! "$@" </dev/null >/dev/null 2>"$T_DIR/check.err"; then
			echo "bench.sh: [$id] $label failed; it would be measured failing:" >&2
			echo "  $line" >&2
			sed 's/^/    /' "$T_DIR/check.err" >&2
			exit 1
		fi
	done 3<<<"${SC_CMDS[$id]}"
done

# ------------------------------------------------------------- measurements
# RES: one line a command, "id<TAB>n<TAB>label<TAB>ms<TAB>cpu_ms<TAB>rss_kib<TAB>instr"
RES=$T_DIR/results.tsv
: >"$RES"

median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Instructions of one run, children included: the sum of callgrind's
# "Collected" lines (one per traced process).  Leaves the profile(s) in $2.
count_instr() {
	local out=$1
	shift
	rm -f "$out".*
	valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$out.%p" \
		"$@" </dev/null >/dev/null 2>"$out.log" || true
	awk '/Collected/ {s += $NF} END {print s + 0}' "$out.log"
}

# The executables a command line names (its own, and those of an
# `sh -c "..."`) with every library ldd resolves for them.
cmd_files() {
	local w f
	for w in $(printf '%s\n' "$1" | tr -s " \"'\t" '\n'); do
		case $w in /* | [a-z]*) ;; *) continue ;; esac
		f=$(command -v "$w" 2>/dev/null) || continue
		case $f in /*) ;; *) continue ;; esac # a shell keyword or builtin
		f=$(readlink -f "$f")
		[ -f "$f" ] && [ -x "$f" ] || continue
		printf '%s\n' "$f"
		ldd "$f" 2>/dev/null | awk '/=> \// {print $3} /^\t\// {print $1}'
	done | sort -u
}

# Max RSS counts the file pages a process maps, and how many a page fault
# maps depends on how the file got into the page cache: after a large
# write() (strip, cp, dpkg) the kernel holds it in large folios and maps a
# whole folio per fault; read back from disk, as when a container starts,
# it maps 64 KiB around the fault.  The same bytes of probe showed 1.4 or
# 2.6 MiB.  So before each command's RSS runs, its files are dropped from
# the page cache (posix_fadvise DONTNEED: clean pages no process maps) and
# read back by one untimed run, for probe and every alternative alike.
cold_start() {
	local files
	mapfile -t files < <(cmd_files "$1")
	[ ${#files[@]} -gt 0 ] && "$SYS_PY" -c 'import os, sys
for f in sys.argv[1:]:
    fd = os.open(f, os.O_RDONLY)
    os.fsync(fd)  # dirty pages (a binary just built) are not dropped
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)' "${files[@]}"
	shift
	"$@" </dev/null >/dev/null 2>&1 || true
}

for id in "${SC_IDS[@]}"; do
	say "${SC_TITLE[$id]}"
	names=()
	lines=()
	while IFS=$'\t' read -r label line; do
		[ -n "$label" ] || continue
		names+=(-n "$label")
		lines+=("$line")
	done <<<"${SC_CMDS[$id]}"
	# listen:// reads /proc/net/tcp, whose length grows with the sockets
	# (TIME_WAIT ones from the runs before included): recorded.
	cat /proc/net/tcp /proc/net/tcp6 | grep -c : >"$T_DIR/sockets-$id.txt" || true
	for round in $(seq 1 "$HF_ROUNDS"); do
		hyperfine -N --style none "${HF_RUNS[@]}" --export-json "$T_DIR/hf-$id-$round.json" \
			"${names[@]}" "${lines[@]}" </dev/null >"$T_DIR/hf-$id.log" 2>&1 || {
			cat "$T_DIR/hf-$id.log" >&2
			exit 1
		}
	done
	n=0
	while IFS=$'\t' read -r -u 3 label line; do
		[ -n "$label" ] || continue
		eval "set -- $line"
		: >"$T_DIR/time.txt"
		cold_start "$line" "$@"
		for _ in $(seq 1 "$TIME_RUNS"); do
			/usr/bin/time -f '%e %U %S %M' -o "$T_DIR/time1.txt" "$@" </dev/null >/dev/null 2>&1
			tail -n 1 "$T_DIR/time1.txt" >>"$T_DIR/time.txt"
		done
		rss=$(awk '{print $4}' "$T_DIR/time.txt" | median)
		if [ "$QUICK" = 1 ] && slow_under_valgrind "$line"; then
			instr=
		else
			instr=$(for _ in $(seq 1 "$CG_RUNS"); do count_instr "$T_DIR/cg-$id-$n" "$@"; done | median)
		fi
		read -r ms cpu < <("$PYTHON" - "$n" "$T_DIR"/hf-"$id"-*.json <<-'PY'
			import json, statistics, sys
			rs = [json.load(open(f))["results"][int(sys.argv[1])] for f in sys.argv[2:]]
			times = [t for r in rs for t in r["times"]]
			cpu = statistics.mean(r["user"] + r["system"] for r in rs)
			print("%.3f %.3f" % (statistics.median(times) * 1000, cpu * 1000))
		PY
		)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$n" "$label" "$ms" "$cpu" "$rss" "$instr" >>"$RES"
		n=$((n + 1))
	done 3<<<"${SC_CMDS[$id]}"
done

# ------------------------------------------------------------------- sizes
# The binary (symlinks resolved) and every file ldd resolves for it.
SIZES=$T_DIR/sizes.tsv
: >"$SIZES"
size_row() {
	local label=$1 bin libs closure
	bin=$(readlink -f "$(command -v "$2")")
	closure=$(stat -L -c %s "$bin")
	libs=0
	for f in $(ldd "$bin" 2>/dev/null | awk '/=> \// {print $3} /^\t\// {print $1}' | sort -u); do
		closure=$((closure + $(stat -L -c %s "$f")))
		libs=$((libs + 1))
	done
	printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$bin" "$(stat -L -c %s "$bin")" "$libs" "$closure" >>"$SIZES"
}
strip -o "$T_DIR/probe.stripped" "$PROBE"
PSTRIP=$(stat -c %s "$T_DIR/probe.stripped")
PLIBS=0
PCLOS=$PSTRIP
for f in $(ldd "$PROBE" 2>/dev/null | awk '/=> \// {print $3} /^\t\// {print $1}' | sort -u); do
	PCLOS=$((PCLOS + $(stat -L -c %s "$f")))
	PLIBS=$((PLIBS + 1))
done
printf '%s\t%s\t%s\t%s\t%s\n' "probe (stripped)" "$PROBE" "$PSTRIP" "$PLIBS" "$PCLOS" >"$SIZES"
size_row 'nc' nc
size_row 'curl' curl
size_row 'wget' wget
size_row 'busybox' busybox
size_row 'python3 (interpreter only, no modules)' "$SYS_PY"
size_row 'pg_isready' "$PG_BIN/pg_isready"
size_row 'psql' "$PG_BIN/psql"
size_row 'mysqladmin' mysqladmin
size_row 'mariadb' mariadb
size_row 'redis-cli' redis-cli
size_row 'sqlite3' sqlite3

# ------------------------------------- where probe's instructions go (full)
ANNOT=$T_DIR/annotate.md
: >"$ANNOT"
SYMS=
if [ -x "$(dirname "$PROBE")/build/probe" ]; then SYMS=$(dirname "$PROBE")/build/probe; fi
if [ -z "$SYMS" ] && file "$PROBE" | grep -q 'not stripped'; then SYMS=$PROBE; fi
if [ -n "$HOT_OUT" ] && [ -z "$SYMS" ]; then
	echo "bench.sh: --hot-functions needs the unstripped binary next to $PROBE (build/probe)" >&2
	exit 1
fi
if { [ "$QUICK" = 0 ] || [ -n "$HOT_OUT" ]; } && [ -n "$SYMS" ]; then
	say "callgrind_annotate of $SYMS"
	for id in "${SC_IDS[@]}"; do
		IFS=$'\t' read -r label line <<<"${SC_CMDS[$id]%%$'\n'*}"
		line=${line/"$PROBE"/"$SYMS"}
		eval "set -- $line"
		count_instr "$T_DIR/an-$id" "$@" >/dev/null
		{
			printf '\n#### %s: `%s`\n\n' "${SC_TITLE[$id]}" "$label"
			echo '| self instructions | % | function |'
			echo '|---:|---:|---|'
			callgrind_annotate --inclusive=no "$T_DIR"/an-"$id".[0-9]* 2>/dev/null |
				awk -v top=12 '
					/PROGRAM TOTALS/ {tot = $1; gsub(",", "", tot)}
					/file:function/ {go = 1; next}
					go && NF >= 2 && n < top {
						v = $1; gsub(",", "", v); if (v + 0 == 0) next
						f = $0; sub(/^ *[0-9,]+ +(\([^)]*\) +)?/, "", f)
						sub(/ \[[^]]*\]$/, "", f)
						printf "| %s | %.1f | `%s` |\n", $1, 100 * v / tot, f; n++
					}'
		} >>"$ANNOT"
	done
	if [ -n "$HOT_OUT" ]; then
		# Function names as callgrind defines them ("fn=(7) name" or
		# "cfn=(7) name" the first time), in the order of the scenarios:
		# the TCP check's first, then what the HTTP check adds, and so on,
		# so that the commonest checks touch the fewest pages.
		for id in "${SC_IDS[@]}"; do
			cat "$T_DIR"/an-"$id".[0-9]* | sed -n -E "s/^c?fn=\([0-9]+\) (.*)$/\1/p" |
				sed -E "s/'[0-9]+$//" | grep -v -e '^0x' -e '^(below main)'
		done | awk '!seen[$0]++' >"$HOT_OUT"
		say "wrote $(wc -l <"$HOT_OUT") function names to $HOT_OUT"
	fi
fi

# ------------------------------------------------------------------ report
say "writing $OUT_FILE"
mkdir -p "$(dirname "$OUT_FILE")"
MODE=full
[ "$QUICK" = 1 ] && MODE="quick (rough numbers)"
"$PYTHON" - "$RES" "$SIZES" "$ANNOT" "$MODE" "$PROBE" "$(nproc)" "$(($(date +%s) - T0))" \
	"${SC_IDS[@]}" >"$OUT_FILE" <<'PY'
import sys
res_f, sizes_f, annot_f, mode, probe, ncpu, secs = sys.argv[1:8]
ids = sys.argv[8:]
titles = {}
rows = {}
for line in open(res_f):
    sid, n, label, ms, cpu, rss, instr = line.rstrip("\n").split("\t")
    rows.setdefault(sid, []).append(dict(label=label, ms=float(ms), cpu=float(cpu),
        rss=int(rss) if rss else None, instr=int(instr) if instr else None))

def fmt_int(v):
    return "—" if v is None else f"{v:,}"

def ratio(p, a):
    if p is None or a is None or a == 0:
        return "—"
    r = 100.0 * p / a
    return f"{r:.1f} %" if r < 10 else f"{r:.0f} %"

TITLES = dict(l.rstrip("\n").split("\t", 1) for l in open(res_f.rsplit("/", 1)[0] + "/titles.tsv"))
out = []
w = out.append
w("# probe benchmark results")
w("")
w(f"Mode: {mode}. Written by `bash tests/bench/bench.sh` in {secs} s on a {ncpu}-CPU machine, "
  "against loopback servers started by the script. Probe binary: "
  f"`{probe.rsplit('/', 2)[-2] + '/' + probe.rsplit('/', 1)[-1]}`.")
w("")
w("Each table: probe first, then each alternative doing the same job; **probe/it** is probe's "
  "value as a percentage of the alternative's (below 100 % = probe is cheaper). "
  "*wall ms*: hyperfine median of all runs of 5 invocations a scenario (1 in quick mode), "
  "each running every command in turn, no shell; *CPU ms*: user+sys, hyperfine mean; "
  "*max RSS*: /usr/bin/time, median, after the command's executables and libraries were dropped "
  "from the page cache and read back by one run (as on a container's first start; see the script); "
  "*instructions*: user space, children included, "
  "valgrind callgrind (— = not measured in quick mode). Every command runs with the same "
  "five environment variables (PATH, HOME, HOSTNAME, LANG and the script's own marker), as in "
  "a container: start-up code reads them all, so the caller's environment would skew each count.")
for sid in ids:
    rs = rows[sid]
    p = rs[0]
    w("")
    w(f"### {TITLES.get(sid, sid)}")
    w("")
    if sid == "plan":
        try:
            socks = open(res_f.rsplit("/", 1)[0] + "/sockets-plan.txt").read().strip()
            w(f"Sockets in /proc/net/tcp{{,6}} when this scenario started: {socks} "
              "(mostly TIME_WAIT, left by the runs before; listen:// reads them all).")
            w("")
        except OSError:
            pass
    w("| command | wall ms | probe/it | CPU ms | probe/it | max RSS KiB | probe/it | instructions | probe/it |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rs:
        me = r is p
        w(f"| `{r['label']}` | {r['ms']:.2f} | {'' if me else ratio(p['ms'], r['ms'])} "
          f"| {r['cpu']:.2f} | {'' if me else ratio(p['cpu'], r['cpu'])} "
          f"| {fmt_int(r['rss'])} | {'' if me else ratio(p['rss'], r['rss'])} "
          f"| {fmt_int(r['instr'])} | {'' if me else ratio(p['instr'], r['instr'])} |")

w("")
w("### Size on disk")
w("")
w("The binary (symlinks resolved) and its shared-library closure: the binary plus every file "
  "`ldd` resolves. Python's own modules are not counted.")
w("")
w("| binary | bytes | shared libraries | closure bytes | probe/it (closure) |")
w("|---|---:|---:|---:|---:|")
sizes = [l.rstrip("\n").split("\t") for l in open(sizes_f)]
pclos = int(sizes[0][4])
for label, path, size, libs, clos in sizes:
    me = label.startswith("probe")
    w(f"| {label} | {int(size):,} | {libs} | {int(clos):,} | {'' if me else ratio(pclos, int(clos))} |")

# Targets of issue 8.
def get(sid, label_start):
    for r in rows.get(sid, []):
        if r["label"].startswith(label_start):
            return r
    return None

targets = []
def target(name, value, limit, unit, fmt="{:.1f}", verdict=None):
    if value is None:
        targets.append((name, "—", limit_txt(limit, unit, fmt), "not measured"))
        return
    targets.append((name, fmt.format(value) + unit, limit_txt(limit, unit, fmt),
                    verdict or ("met" if value <= limit else "**missed**")))
def limit_txt(limit, unit, fmt):
    return "≤ " + fmt.format(limit) + unit
def pct(a, b):
    return None if a is None or b is None or not b else 100.0 * a / b

p = get("http", "probe")
target("HTTP instructions / curl's", pct(p["instr"], get("http", "curl")["instr"]), 5, " %")
target("HTTP wall time / busybox wget's", pct(p["ms"], get("http", "busybox")["ms"]), 100, " %", "{:.0f}")
p = get("tcp", "probe")
target("TCP instructions / nc -z's", pct(p["instr"], get("tcp", "nc")["instr"]), 10, " %")
# The target asks for the same authentication: without a password
# pg_isready stops at the server's authentication request.  Shown, not judged.
target("PostgreSQL instructions / pg_isready's (probe: SCRAM login; pg_isready: none, no password)",
       pct(get("pg", "probe")["instr"], get("pg", "pg_isready (")["instr"]), 25, " %",
       verdict="not the same authentication")
target("PostgreSQL instructions / pg_isready's (both SCRAM: password in the URL)",
       pct(get("pg", "probe")["instr"], get("pg", "pg_isready -d")["instr"]), 25, " %")
target("PostgreSQL instructions / psql's (both SCRAM)",
       pct(get("pg", "probe")["instr"], get("pg", "psql")["instr"]), 25, " %")
target("PostgreSQL instructions / pg_isready's (both trust, socket)",
       pct(get("pgtrust", "probe")["instr"], get("pgtrust", "pg_isready")["instr"]), 25, " %")
target("Redis instructions / redis-cli's (both AUTH)",
       pct(get("redis", "probe")["instr"], get("redis", "redis-cli")["instr"]), 25, " %")
target("MySQL instructions / mysqladmin ping's (both log in)",
       pct(get("mysql", "probe")["instr"], get("mysql", "mysqladmin")["instr"]), 25, " %")
target("max RSS, TCP check", get("tcp", "probe")["rss"], 2048, " KiB", "{:.0f}")
target("max RSS, HTTP check", get("http", "probe")["rss"], 2048, " KiB", "{:.0f}")
plan = rows["plan"]
singles = [r for r in plan if r["label"].endswith(" alone")]
slowest = max(singles, key=lambda r: r["ms"])
target(f"plan wall time / slowest single check's ({slowest['label'][:-6]}, {slowest['ms']:.2f} ms)",
       pct(plan[0]["ms"], slowest["ms"]), 150, " %", "{:.0f}")
w("")
w("### Targets (issue 8)")
w("")
w("| target | measured | limit | |")
w("|---|---:|---:|---|")
for t in targets:
    w("| " + " | ".join(t) + " |")

annot = open(annot_f).read()
if annot.strip():
    w("")
    w("### Where probe's instructions go")
    w("")
    w("Self instructions a function (callgrind_annotate --inclusive=no) of one run of each "
      "scenario's probe command, with the unstripped build of the same binary.")
    w(annot.rstrip("\n"))
print("\n".join(out))
PY
cat "$OUT_FILE"
say "done"
