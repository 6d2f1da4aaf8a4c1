# db.sh - real database servers for the integration drivers: PostgreSQL 15,
# MariaDB 10.11 and Redis 7 from Debian's packages, each on a free loopback
# port, with its files under the driver's $T_DIR, gone when the driver ends.
# Source it after lib.sh:
#
#   set -eu
#   . "$TESTLIB"
#   . "$SERVERS/db.sh"
#
# Sourcing it turns lib.sh's `trap t_cleanup EXIT` into
# `trap 'db_stop_all; t_cleanup' EXIT`; a driver that sets its own EXIT trap
# must call db_stop_all in it, before t_cleanup.  Call the functions from the
# driver's own shell, never in $(...) or a pipeline: the servers are its
# children, which is how it stops them (and how ctest, killing the driver's
# process tree on a timeout, stops them too).
#
# Every *_start waits until its server is in the promised state and exports
# what it needs; on failure it prints the server's log tail to stderr, stops
# what it started and returns 1 (so `set -e` ends the driver).  Starting a
# server that runs already is an error; stopping one that does not is not.
#
#   pg_start                 PostgreSQL, ready.  SCRAM-only over TCP; role
#                            app / app-pw-1 owns database app.
#                            PG_PORT PG_HOST PG_USER PG_PASSWORD PG_DB PG_URL
#                            PG_SOCKET_DIR (socket: app needs the password
#                            there too; superuser postgres is trusted there)
#                            PG_WANT_PORT, when set, is the port it takes.
#   pg_stop
#   pg_start_starting_up     PostgreSQL that answers every connection with
#                            57P03 "the database system is starting up", until
#                            stopped (its startup process waits on a
#                            restore_command that sleeps for an hour).
#                            PG_STARTUP_PORT
#   pg_stop_starting_up
#   pg_start_standby_nohot   PostgreSQL in standby with hot_standby=off: every
#                            connection gets 57P03 "the database system is not
#                            accepting connections" / DETAIL "Hot standby mode
#                            is disabled.", until stopped.
#                            PG_NOHOT_PORT, and PG_STARTING_PORT (the same)
#   pg_stop_standby_nohot
#   my_start                 MariaDB, ready.  app / app-pw-1 (native password)
#                            has all on database app, from 127.0.0.1 (TCP) and
#                            localhost (socket); edapp / ed-pw-1 likewise via
#                            ed25519 when MY_ED25519=1.  root only over the
#                            socket, without a password.
#                            MY_PORT MY_HOST MY_SOCKET MY_USER MY_PASSWORD
#                            MY_DB MY_URL MY_ED25519 [MY_ED_URL]
#   my_stop
#   my_start_initializing [S]  MariaDB whose port accepts TCP connections but
#                            sends no greeting for S seconds (default 10; an
#                            init-file runs S `DO SLEEP(1)` before it serves
#                            anyone), then serves like my_start's (app, edapp).
#                            MY_INIT_PORT MY_INIT_SOCKET MY_INIT_READY_AT
#                            MY_INIT_READY_AT_MS (epoch s and ms: it serves
#                            no one before then; measured: it does 0.2-0.7 s
#                            after)
#   my_stop_initializing
#   redis_start              Redis, ready, password redis-pw-1, no persistence.
#                            REDIS_PORT REDIS_HOST REDIS_PASSWORD REDIS_URL
#                            (redis://:redis-pw-1@...; redis-cli 7.0's -u
#                            turns that into AUTH "" redis-pw-1 and fails
#                            with WRONGPASS: give it -a, or redis://default:..)
#   redis_stop
#   redis_start_loading [S]  Redis that answers commands with "-LOADING Redis
#                            is loading the dataset in memory" for at least S
#                            seconds (default 5) from when it starts: S*1000
#                            keys, key-load-delay 1 ms a key (measured: S=5
#                            loads for 5.6-6.2 s), then serves them normally.
#                            Password redis-pw-1: AUTH works while loading,
#                            and a client without it gets -NOAUTH (a wrong
#                            one -WRONGPASS), not -LOADING.
#                            REDIS_LOADING_PORT REDIS_LOADING_URL
#                            REDIS_LOADING_UNTIL (epoch ms before which the
#                            loading cannot end)
#   redis_stop_loading
#   silent_start             A TCP listener that accepts and never sends.
#                            SILENT_PORT
#   silent_stop
#   db_stop_all              stops everything started here
#
# For servers these do not cover, drivers use a few internals, kept stable:
# _pg_run NAME ready|rejecting [postgres options] (sets _PG_PORT; socket in
# $T_DIR/NAME/run), _my_run NAME ping|listen [mariadbd options] (sets
# _MY_PORT, _MY_SOCK), _my_setup_sql, _my_cli, _PG_USER, _MY_USER.
#
# As root, PostgreSQL runs as user postgres and MariaDB as mysql (nobody
# when missing), through setpriv, and $T_DIR becomes 0711 so they can reach
# their directories in it; otherwise everything runs as the caller.
# DB_TIMEOUT (default 30) is how many seconds a start may take.  Measured
# on a 2-core VM with a slow disk (medians, the first of a kind in a driver
# pays for initdb / mariadb-install-db): pg_start 1.8 s, another PostgreSQL
# 0.3-1.4 s; my_start 1.3 s, another MariaDB 0.3 s; redis_start 0.05 s;
# redis_start_loading 0.3 s; silent_start 0.1 s; stops 0.01-0.1 s.

: "${T_DIR:?db.sh: source tests/integration/lib.sh first}"
: "${SERVERS:=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
DB_TIMEOUT=${DB_TIMEOUT:-30}
DB_PG_BIN=${DB_PG_BIN:-/usr/lib/postgresql/15/bin}
DB_MARIADBD=${DB_MARIADBD:-$(command -v mariadbd || echo /usr/sbin/mariadbd)}

declare -A _DB_PID=() # name -> pid of the server (our child)
declare -A _DB_SIG=() # name -> the signal that stops it at once
declare -A _DB_LOG=() # name -> its log
_DB_NAMES=()          # in start order

if [ "$(trap -p EXIT)" = "trap -- 't_cleanup' EXIT" ]; then
	trap 'db_stop_all; t_cleanup' EXIT
fi

# ---------------------------------------------------------------- plumbing

_db_say() { printf 'db.sh: %s\n' "$*" >&2; }

# _db_fail NAME MESSAGE: says what went wrong with the log's tail, stops NAME.
_db_fail() {
	local name=$1 log=${_DB_LOG[$1]:-}
	shift
	_db_say "$name: $*"
	if [ -n "$log" ] && [ -s "$log" ]; then
		_db_say "last lines of $log:"
		tail -n 40 "$log" | sed 's/^/    /' >&2
	fi
	_db_stop "$name"
	return 1
}

# Running servers as an unprivileged user when we are root (PostgreSQL
# refuses root; MariaDB wants --user), as ourselves otherwise.
_db_user() {
	if [ "$(id -u)" -ne 0 ]; then
		echo ""
	elif id -u "$1" >/dev/null 2>&1; then
		echo "$1"
	else
		echo nobody
	fi
}

# _db_as USER: sets _DB_AS, the prefix that runs a command as USER.
_db_as() {
	if [ -z "$1" ]; then
		_DB_AS=()
	else
		_DB_AS=(setpriv --reuid="$1" --regid="$(id -g "$1")" --init-groups --)
	fi
}

# _db_mkdir DIR USER: a fresh DIR that USER owns (and can reach).
_db_mkdir() {
	local dir=$1 user=$2
	rm -rf "$dir"
	mkdir -p "$dir" || return 1
	if [ -n "$user" ]; then
		# mktemp made $T_DIR 0700; the servers' users must pass through it.
		chmod 711 "$T_DIR"
		chown "$user:$(id -g "$user")" "$dir" || return 1
		_db_as "$user"
		if ! "${_DB_AS[@]}" test -w "$dir" -a -x "$dir"; then
			_db_say "user $user cannot use $dir: is a parent directory closed to it? (TMPDIR=${TMPDIR:-})"
			return 1
		fi
	fi
	chmod 700 "$dir"
}

_db_alive() {
	local st
	[ -n "$1" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

_db_ms() { echo $(($(date +%s%N) / 1000000)); }

# _db_spawn NAME SIG DIR USER LOG CMD...: runs CMD in DIR as USER in the
# background, output to LOG; SIG stops it.
_db_spawn() {
	local name=$1 sig=$2 dir=$3 user=$4 log=$5
	shift 5
	if _db_alive "${_DB_PID[$name]:-}"; then
		_db_say "$name runs already (pid ${_DB_PID[$name]})"
		return 1
	fi
	_db_as "$user"
	(cd "$dir" && exec "${_DB_AS[@]}" "$@") >"$log" 2>&1 </dev/null &
	_DB_PID[$name]=$!
	# Still our child, and reaped when it ends, but with no "Killed" notice.
	disown "$!"
	_DB_SIG[$name]=$sig
	_DB_LOG[$name]=$log
	case " ${_DB_NAMES[*]} " in *" $name "*) ;; *) _DB_NAMES+=("$name") ;; esac
}

# _db_wait NAME WHAT CMD...: until CMD succeeds; fails if the server dies or
# DB_TIMEOUT passes.  Returns 2 when the server exited.  CMD must not hang
# (each has a timeout of a few seconds of its own).
_db_wait() {
	local name=$1 what=$2 deadline
	shift 2
	deadline=$(($(_db_ms) + DB_TIMEOUT * 1000))
	while :; do
		# Alive first: when it is not, whatever holds its port is not it.
		if ! _db_alive "${_DB_PID[$name]}"; then
			_DB_WHY="exited before it was $what"
			return 2
		fi
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if [ "$(_db_ms)" -ge "$deadline" ]; then
			_DB_WHY="not $what after ${DB_TIMEOUT} s"
			return 1
		fi
		sleep 0.05
	done
}

# _db_port_lost NAME: the server died because another process took its port
# (free_port's answer is only a guess): worth a retry on another port.
_db_port_lost() {
	! _db_alive "${_DB_PID[$1]}" &&
		grep -Eqi 'address already in use|could not create any TCP/IP sockets|Can.t start server: Bind' "${_DB_LOG[$1]}" 2>/dev/null
}

# _db_stop NAME: stops NAME now (its stop signal, KILL after 10 s) and
# waits until it is gone.  PostgreSQL gets SIGQUIT (immediate shutdown: the
# postmaster ends its children first), MariaDB SIGKILL, Redis and the silent
# listener SIGTERM.
_db_stop() {
	local name=$1 pid i
	pid=${_DB_PID[$name]:-}
	[ -n "$pid" ] || return 0
	if _db_alive "$pid"; then
		kill "-${_DB_SIG[$name]}" "$pid" 2>/dev/null || true
		for i in $(seq 1 500); do
			_db_alive "$pid" || break
			sleep 0.02
		done
		if _db_alive "$pid"; then
			_db_say "$name (pid $pid) ignored SIG${_DB_SIG[$name]}; killing it"
			kill -KILL "$pid" 2>/dev/null || true
			for i in $(seq 1 250); do
				_db_alive "$pid" || break
				sleep 0.02
			done
		fi
	fi
	_DB_PID[$name]=""
	return 0
}

db_stop_all() {
	local i
	for ((i = ${#_DB_NAMES[@]} - 1; i >= 0; i--)); do
		_db_stop "${_DB_NAMES[$i]}"
	done
	return 0
}

_db_connects() { # PORT: it accepts a TCP connection (bash's /dev/tcp)
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --------------------------------------------------------------- PostgreSQL

_PG_USER=$(_db_user postgres)

# A cluster made once per driver by initdb and a single-user postgres
# (0.6-1 s), copied for each server (29 MB).
_pg_template() {
	local t="$T_DIR/pg-template"
	[ -f "$t/data/PG_VERSION" ] && return 0
	_db_mkdir "$t" "$_PG_USER" || return 1
	_db_as "$_PG_USER"
	if ! (cd "$t" && "${_DB_AS[@]}" "$DB_PG_BIN/initdb" -D "$t/data" -U postgres \
		--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C \
		--no-sync --no-instructions --wal-segsize=1) >"$T_DIR/pg-initdb.log" 2>&1; then
		_db_say "initdb failed:"
		tail -n 40 "$T_DIR/pg-initdb.log" | sed 's/^/    /' >&2
		return 1
	fi
	cat >"$t/data/pg_hba.conf" <<-'EOF'
		# TYPE DATABASE USER      ADDRESS       METHOD
		local  all      postgres                trust
		local  all      all                     scram-sha-256
		host   all      all       127.0.0.1/32  scram-sha-256
		host   all      all       ::1/128       scram-sha-256
	EOF
	cat >>"$t/data/postgresql.conf" <<-'EOF'

		# db.sh: a throwaway test server
		listen_addresses = '127.0.0.1'
		password_encryption = 'scram-sha-256'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		shared_buffers = 16MB
		max_connections = 40
		huge_pages = off
		autovacuum = off
		jit = off
		log_line_prefix = '%m [%p] %e %q%u@%d '
	EOF
	# Role and database app, in the template so that every copy has them.
	if ! printf '%s\n' "CREATE ROLE app LOGIN PASSWORD 'app-pw-1';" \
		"CREATE DATABASE app OWNER app STRATEGY FILE_COPY;" |
		(cd "$t" && "${_DB_AS[@]}" "$DB_PG_BIN/postgres" --single -D "$t/data" \
			-c log_min_messages=warning postgres) >>"$T_DIR/pg-initdb.log" 2>&1 ||
		grep -q ERROR "$T_DIR/pg-initdb.log"; then
		_db_say "could not make role and database app:"
		tail -n 40 "$T_DIR/pg-initdb.log" | sed 's/^/    /' >&2
		return 1
	fi
}

# _pg_run NAME KIND [postgres -c options]: a copy of the template in
# $T_DIR/NAME, started on a free port, waited for: KIND ready (accepting),
# or rejecting (a standby: pg_isready exit 1; _PG_REJECTS, when set, is an
# ERE the refusal must match, for the refusal changes as the server moves
# from "starting up" to its next state).  Sets _PG_PORT.
_pg_run() {
	local name=$1 kind=$2 dir="$T_DIR/$1" try rc
	shift 2
	_pg_template || return 1
	for try in 1 2 3; do
		_db_mkdir "$dir" "$_PG_USER" || return 1
		cp -a "$T_DIR/pg-template/data" "$dir/data" || return 1
		mkdir "$dir/run" && chmod 700 "$dir/run" || return 1
		[ -z "$_PG_USER" ] || chown "$_PG_USER:" "$dir/run" || return 1
		if [ "$kind" = rejecting ]; then
			: >"$dir/data/standby.signal"
			[ -z "$_PG_USER" ] || chown "$_PG_USER:" "$dir/data/standby.signal"
		fi
		if [ ${#dir} -gt 90 ]; then
			_db_say "$dir is too long a path for PostgreSQL's socket; set a shorter TMPDIR"
			return 1
		fi
		# PG_WANT_PORT: a port a client already waits on (probe wait's test).
		_PG_PORT=${PG_WANT_PORT:-$(free_port)}
		_db_spawn "$name" QUIT "$dir" "$_PG_USER" "$dir/postgres.log" \
			"$DB_PG_BIN/postgres" -D "$dir/data" -p "$_PG_PORT" -k "$dir/run" "$@" || return 1
		if [ "$kind" = ready ]; then
			_db_wait "$name" "accepting connections" \
				"$DB_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$_PG_PORT" -t 1 && rc=0 || rc=$?
		else
			_db_wait "$name" "rejecting connections (${_PG_REJECTS:-pg_isready exit 1})" \
				_pg_rejects "$_PG_PORT" "${_PG_REJECTS:-}" && rc=0 || rc=$?
		fi
		[ "$rc" -eq 0 ] && return 0
		if _db_port_lost "$name" && [ "$try" -lt 3 ]; then
			_db_say "$name: port $_PG_PORT was taken; again on another"
			_db_stop "$name"
			continue
		fi
		_db_fail "$name" "$_DB_WHY"
		return 1
	done
}

_pg_rejects() { # PORT [ERE]: pg_isready exits 1, and psql's refusal matches
	local rc out
	"$DB_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -t 1 && rc=0 || rc=$?
	[ "$rc" -eq 1 ] || return 1
	[ -n "$2" ] || return 0
	out=$(PGCONNECT_TIMEOUT=2 "$DB_PG_BIN/psql" -X -w -h 127.0.0.1 -p "$1" -U app -d app -c '' 2>&1) || :
	[[ $out =~ $2 ]]
}

pg_start() {
	local dir="$T_DIR/pg"
	_pg_run pg ready || return 1
	if ! PGPASSWORD=app-pw-1 PGCONNECT_TIMEOUT=5 "$DB_PG_BIN/psql" -X -q -At \
		-h 127.0.0.1 -p "$_PG_PORT" -U app -d app -c 'SELECT 1' >/dev/null 2>>"$dir/postgres.log"; then
		_db_fail pg "app cannot log in over TCP"
		return 1
	fi
	export PG_PORT=$_PG_PORT PG_HOST=127.0.0.1 PG_USER=app PG_PASSWORD=app-pw-1 PG_DB=app
	export PG_SOCKET_DIR="$dir/run"
	export PG_URL="postgresql://app:app-pw-1@127.0.0.1:$PG_PORT/app"
}
pg_stop() { _db_stop pg; }

pg_start_starting_up() {
	# In standby mode the startup process first asks restore_command for a
	# timeline history file; while that sleeps the postmaster is still in its
	# startup state, so every connection is refused as "starting up".
	_PG_REJECTS='the database system is starting up' \
		_pg_run pg-startup rejecting -c hot_standby=off \
		-c "restore_command=sleep 3600" || return 1
	export PG_STARTUP_PORT=$_PG_PORT
}
pg_stop_starting_up() { _db_stop pg-startup; }

pg_start_standby_nohot() {
	# A standby with nothing to replay and nowhere to get WAL from stays in
	# recovery for good; with hot_standby off it takes no connections.
	_PG_REJECTS='the database system is not accepting connections' \
		_pg_run pg-nohot rejecting -c hot_standby=off || return 1
	export PG_NOHOT_PORT=$_PG_PORT PG_STARTING_PORT=$_PG_PORT
}
pg_stop_standby_nohot() { _db_stop pg-nohot; }

# ------------------------------------------------------------------ MariaDB

_MY_USER=$(_db_user mysql)
_MY_OPTS=(--innodb-buffer-pool-size=16M --innodb-log-file-size=4M
	--innodb-use-native-aio=0 --innodb-flush-log-at-trx-commit=0
	--character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci)

_my_cli() { mysql --no-defaults --connect-timeout=5 "$@"; }
# mariadbd is a throwaway here: SIGKILL ends it at once, in any state (a
# SIGTERM waits for an init file to finish, and for a clean InnoDB shutdown).
MY_STOP_SIGNAL=${MY_STOP_SIGNAL:-KILL}

# A data directory made once per driver by mariadb-install-db (0.6 s), with
# root only on the socket, and copied for each server.
_my_template() {
	local t="$T_DIR/my-template"
	[ -d "$t/data/mysql" ] && return 0
	_db_mkdir "$t" "$_MY_USER" || return 1
	_db_as "$_MY_USER"
	if ! (cd "$t" && "${_DB_AS[@]}" mariadb-install-db --no-defaults \
		--datadir="$t/data" --auth-root-authentication-method=normal \
		--skip-test-db --skip-name-resolve "${_MY_OPTS[@]}") >"$T_DIR/my-install.log" 2>&1; then
		_db_say "mariadb-install-db failed:"
		tail -n 40 "$T_DIR/my-install.log" | sed 's/^/    /' >&2
		return 1
	fi
}

# The SQL that makes database app and its user app; and edapp's.
_my_setup_sql() {
	cat <<-'EOF'
		DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');
		FLUSH PRIVILEGES;
		CREATE DATABASE app;
		CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-pw-1';
		CREATE USER 'app'@'localhost' IDENTIFIED BY 'app-pw-1';
		GRANT ALL ON app.* TO 'app'@'127.0.0.1', 'app'@'localhost';
	EOF
}
_my_ed_sql() {
	cat <<-'EOF'
		CREATE USER 'edapp'@'127.0.0.1' IDENTIFIED VIA ed25519 USING PASSWORD('ed-pw-1');
		CREATE USER 'edapp'@'localhost' IDENTIFIED VIA ed25519 USING PASSWORD('ed-pw-1');
		GRANT ALL ON app.* TO 'edapp'@'127.0.0.1', 'edapp'@'localhost';
	EOF
}

# Sets _MY_ED to 1 when the server has the ed25519 authentication plugin
# (then loaded at start with --plugin-load-add), to 0 otherwise.
_my_ed_detect() {
	local dir
	dir=$("$DB_MARIADBD" --no-defaults --verbose --help 2>/dev/null | awk '$1 == "plugin-dir" { print $2 }')
	if [ -n "$dir" ] && [ -e "$dir/auth_ed25519.so" ]; then _MY_ED=1; else _MY_ED=0; fi
}

# _my_run NAME WAIT [mariadbd options]: a copy of the template in
# $T_DIR/NAME on a free port; WAIT is ping (answers on the socket) or
# listen (the TCP port accepts).  Sets _MY_PORT, _MY_SOCK.
_my_run() {
	local name=$1 how=$2 dir="$T_DIR/$1" try rc plugin=()
	shift 2
	_my_template || return 1
	[ -n "${_MY_ED:-}" ] || _my_ed_detect
	if [ "$_MY_ED" = 1 ]; then plugin=(--plugin-load-add=auth_ed25519); fi
	for try in 1 2 3; do
		_db_mkdir "$dir" "$_MY_USER" || return 1
		cp -a "$T_DIR/my-template/data" "$dir/data" || return 1
		mkdir "$dir/tmp" && chmod 700 "$dir/tmp" || return 1
		[ -z "$_MY_USER" ] || chown "$_MY_USER:" "$dir/tmp" || return 1
		_MY_PORT=$(free_port)
		_MY_SOCK="$dir/mysqld.sock"
		if [ ${#_MY_SOCK} -gt 100 ]; then
			_db_say "$_MY_SOCK is too long a path for a socket; set a shorter TMPDIR"
			return 1
		fi
		_db_spawn "$name" "$MY_STOP_SIGNAL" "$dir" "$_MY_USER" "$dir/mariadbd.log" \
			"$DB_MARIADBD" --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" \
			--socket="$_MY_SOCK" --pid-file="$dir/mariadbd.pid" \
			--port="$_MY_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
			--skip-log-bin --max-connections=50 "${_MY_OPTS[@]}" "${plugin[@]}" "$@" || return 1
		if [ "$how" = ping ]; then
			_db_wait "$name" "answering on its socket" \
				mysqladmin --no-defaults --connect-timeout=2 --socket="$_MY_SOCK" -uroot ping && rc=0 || rc=$?
		else
			_db_wait "$name" "listening on port $_MY_PORT" _db_connects "$_MY_PORT" && rc=0 || rc=$?
		fi
		[ "$rc" -eq 0 ] && return 0
		if _db_port_lost "$name" && [ "$try" -lt 3 ]; then
			_db_say "$name: port $_MY_PORT was taken; again on another"
			_db_stop "$name"
			continue
		fi
		_db_fail "$name" "$_DB_WHY"
		return 1
	done
}

my_start() {
	local dir="$T_DIR/my"
	[ -n "${_MY_ED:-}" ] || _my_ed_detect
	_my_run my ping || return 1
	if ! _my_setup_sql | _my_cli --socket="$_MY_SOCK" -uroot >>"$dir/mariadbd.log" 2>&1; then
		_db_fail my "could not create database app and its user"
		return 1
	fi
	if [ "$_MY_ED" = 1 ] && ! _my_ed_sql | _my_cli --socket="$_MY_SOCK" -uroot >>"$dir/mariadbd.log" 2>&1; then
		_db_say "my: no ed25519 user (see $dir/mariadbd.log); MY_ED25519=0"
		_MY_ED=0
	fi
	if ! _my_cli -h 127.0.0.1 -P "$_MY_PORT" -uapp -papp-pw-1 app -e 'SELECT 1' >/dev/null 2>>"$dir/mariadbd.log"; then
		_db_fail my "app cannot log in over TCP"
		return 1
	fi
	export MY_PORT=$_MY_PORT MY_HOST=127.0.0.1 MY_SOCKET=$_MY_SOCK
	export MY_USER=app MY_PASSWORD=app-pw-1 MY_DB=app MY_ED25519=$_MY_ED
	export MY_URL="mysql://app:app-pw-1@127.0.0.1:$MY_PORT/app"
	if [ "$_MY_ED" = 1 ]; then
		export MY_ED_URL="mysql://edapp:ed-pw-1@127.0.0.1:$MY_PORT/app"
	else
		unset MY_ED_URL
	fi
}
my_stop() { _db_stop my; }

my_start_initializing() {
	local secs=${1:-10} sql="$T_DIR/my-init.sql" t0 i
	# The init file runs before the server serves anyone, but with its port
	# bound and listening already: its sleeps hold every client at the
	# greeting.  Then it makes app (and edapp) as my_start does.  (One SLEEP
	# of the init file lasts 5 s at most, so it sleeps a second at a time.)
	[ -n "${_MY_ED:-}" ] || _my_ed_detect
	{
		for ((i = 0; i < secs; i++)); do echo "DO SLEEP(1);"; done
		_my_setup_sql
		[ "$_MY_ED" = 0 ] || _my_ed_sql
	} >"$sql"
	chmod 644 "$sql"
	_my_template || return 1
	t0=$(_db_ms)
	_my_run my-init listen --init-file="$sql" || return 1
	export MY_INIT_PORT=$_MY_PORT MY_INIT_SOCKET=$_MY_SOCK
	export MY_INIT_READY_AT_MS=$((t0 + secs * 1000)) MY_INIT_READY_AT=$(((t0 + secs * 1000) / 1000))
}
my_stop_initializing() { _db_stop my-init; }

# -------------------------------------------------------------------- Redis

_redis_run() { # NAME PORT DIR [options]: sets nothing; spawns
	local name=$1 port=$2 dir=$3
	shift 3
	_db_spawn "$name" TERM "$dir" "" "$dir/redis.log" redis-server \
		--port "$port" --bind 127.0.0.1 --protected-mode yes --save '' \
		--appendonly no --dir "$dir" --daemonize no --logfile '' "$@"
}

_redis_says() { # PORT PASSWORD WANT: redis-cli's answer to PING is WANT*
	local out auth=()
	[ -z "$2" ] || auth=(--no-auth-warning -a "$2")
	out=$(timeout 5 redis-cli -h 127.0.0.1 -p "$1" "${auth[@]}" ping 2>&1) || return 1
	case "$out" in "$3"*) return 0 ;; *) return 1 ;; esac
}

redis_start() {
	local dir="$T_DIR/redis" try rc port
	for try in 1 2 3; do
		_db_mkdir "$dir" "" || return 1
		port=$(free_port)
		_redis_run redis "$port" "$dir" --requirepass redis-pw-1 || return 1
		_db_wait redis "answering PING" _redis_says "$port" redis-pw-1 PONG && rc=0 || rc=$?
		[ "$rc" -eq 0 ] && break
		if _db_port_lost redis && [ "$try" -lt 3 ]; then
			_db_say "redis: port $port was taken; again on another"
			_db_stop redis
			continue
		fi
		_db_fail redis "$_DB_WHY"
		return 1
	done
	export REDIS_PORT=$port REDIS_HOST=127.0.0.1 REDIS_PASSWORD=redis-pw-1
	export REDIS_URL="redis://:redis-pw-1@127.0.0.1:$port/0"
}
redis_stop() { _db_stop redis; }

redis_start_loading() {
	local secs=${1:-5} dir="$T_DIR/redis-loading" gen="$T_DIR/redis-gen" port t0 rc
	local keys=$((secs * 1000))
	# A dump of S*1000 small keys, made by a scratch server.
	_db_mkdir "$gen" "" || return 1
	port=$(free_port)
	_redis_run redis-gen "$port" "$gen" --enable-debug-command local || return 1
	if ! _db_wait redis-gen "answering PING" _redis_says "$port" "" PONG ||
		! timeout 60 redis-cli -h 127.0.0.1 -p "$port" debug populate "$keys" key 100 >>"$gen/redis.log" 2>&1 ||
		! timeout 60 redis-cli -h 127.0.0.1 -p "$port" save >>"$gen/redis.log" 2>&1 ||
		[ ! -s "$gen/dump.rdb" ]; then
		_db_fail redis-gen "could not make a dump of $keys keys: ${_DB_WHY:-}"
		return 1
	fi
	_db_stop redis-gen
	_db_mkdir "$dir" "" || return 1
	mv "$gen/dump.rdb" "$dir/dump.rdb"
	port=$(free_port)
	t0=$(_db_ms)
	# key-load-delay: microseconds slept per key loaded (a knob for tests);
	# the small events interval lets it answer clients every ~30 keys.
	_redis_run redis-loading "$port" "$dir" --requirepass redis-pw-1 \
		--dbfilename dump.rdb --key-load-delay 1000 \
		--loading-process-events-interval-bytes 1024 || return 1
	_db_wait redis-loading "answering LOADING" _redis_says "$port" redis-pw-1 LOADING && rc=0 || rc=$?
	if [ "$rc" -ne 0 ]; then
		if _redis_says "$port" redis-pw-1 PONG; then
			_DB_WHY="done loading before it was seen loading"
		fi
		_db_fail redis-loading "${_DB_WHY}"
		return 1
	fi
	export REDIS_LOADING_PORT=$port REDIS_LOADING_UNTIL=$((t0 + keys))
	export REDIS_LOADING_URL="redis://:redis-pw-1@127.0.0.1:$port/0"
}
redis_stop_loading() { _db_stop redis-loading; }

# ------------------------------------------------------------------- silent

silent_start() {
	local dir="$T_DIR/silent" port
	_db_mkdir "$dir" "" || return 1
	port=$(free_port)
	_db_spawn silent TERM "$dir" "" "$dir/silent.log" "$PYTHON" "$SERVERS/silent.py" 127.0.0.1 "$port" || return 1
	if ! _db_wait silent "listening" _db_connects "$port"; then
		_db_fail silent "$_DB_WHY"
		return 1
	fi
	export SILENT_PORT=$port
}
silent_stop() { _db_stop silent; }
