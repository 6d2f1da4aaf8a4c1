/*
 * hints.c - the table of usual fixes.  Keep each one short: Docker keeps
 * only the first 4 KiB of a health check's output.
 */
#include "probe/hints.h"

static const char *const hint_table[HINT_COUNT] = {
	[HINT_NONE] = "",
	[HINT_ENV_UNSET] = "set it in the service's environment (compose environment:, "
			   "Kubernetes env:, the platform's variables page)",
	[HINT_ENV_MATCH] = "the variable is set but its value has the wrong form",
	[HINT_ENV_JSON] = "the variable must hold valid JSON; check quoting in the platform's "
			  "variables page",
	[HINT_FILE_MISSING] = "the image was built without it or a volume hides it; check the "
			      "Dockerfile COPY and the volume mounts",
	[HINT_FILE_EMPTY] = "it exists but is empty: a step that writes it failed or was cut off",
	[HINT_FILE_STALE] = "the process that touches it has stopped or hangs",
	[HINT_FILE_READONLY] = "the container user cannot write here; mount a writable volume or "
			       "chown it in the Dockerfile",
	[HINT_PROC_NONE] = "the process is not running: it exited or was never started; read the "
			   "container logs",
	[HINT_PROC_DUPLICATE] = "more copies run than expected: a reloader or dev watcher "
				"(--reload, next dev, flask debug) starts its own; run the "
				"production server once",
	[HINT_MEM_HIGH] = "close to the memory limit: the kernel OOM-kills at 100%; raise the "
			  "limit or reduce workers",
	[HINT_DISK_FULL] = "free space is low: clear logs or caches, or grow the volume",
	[HINT_NOT_LISTENING] = "nothing listens on this port: the app has not started yet, "
			       "crashed, or listens on another port",
	[HINT_PORT_IGNORED] = "$PORT is set to this port but the app listens elsewhere: make "
			      "the server read $PORT",
	[HINT_BIND_ALL] = "bound to loopback only: unreachable from outside the container; "
			  "bind 0.0.0.0",
	[HINT_REFUSED] = "nothing listens there yet, or the server listens on another "
			 "address or port",
	[HINT_UNREACHABLE] = "no route to the host: wrong address, or the network is not "
			     "attached",
	[HINT_TIMEOUT] = "no answer in time: the server is overloaded, blocked, or a firewall "
			 "drops the packets",
	[HINT_DNS] = "the name does not resolve: a typo, a service not yet created, or a "
		     "different network",
	[HINT_DNS_NO_HOSTS] = "no /etc/hosts in this root: localhost cannot resolve; use 127.0.0.1",
	[HINT_HTTP_404_ROUTE] = "the server answers but not this route: a wrong path, or a "
				"frontend build without its server routes",
	[HINT_HTTP_5XX] = "the app answers with an error: read its logs (a dependency down, "
			  "a missing variable, a failed migration)",
	[HINT_HTTP_400] = "the app refuses the request itself: a missing or malformed header or "
			  "parameter; a Host it does not serve (ALLOWED_HOSTS, trusted hosts: "
			  "set host=) or a header it requires (header=Name:Value)",
	[HINT_HTTP_401] = "the route wants credentials: the key or token is wrong, missing or "
			  "expired; send it with header= (its value from ${VAR}), or check a "
			  "route that needs none",
	[HINT_HTTP_403] = "the credentials are valid but lack permission for this route, or an "
			  "IP allow-list or a WAF refuses this client (the probe's address, "
			  "its user agent)",
	[HINT_HTTP_429] = "rate limited: the probe interval is shorter than the limit allows, "
			  "or another client eats the quota; lengthen the interval or exempt "
			  "the health route from the limit",
	[HINT_HTTP_GATEWAY] = "a proxy answers for the app and cannot reach it (502) or gets no "
			      "answer in time (504): the app is down, still starting, too slow, "
			      "or listens elsewhere than the proxy's upstream",
	[HINT_HTTP_503] = "the service is unavailable: overloaded, in maintenance, or not "
			  "ready yet (a readiness route saying so); its body or log says which",
	[HINT_HTTP_REDIRECT] = "a redirect (often http→https or a login page); point the "
			       "check at the final URL or add follow=yes",
	[HINT_HTTP_EMPTY] = "an empty body: the server answered before the app was ready, or a "
			    "proxy stands in for it",
	[HINT_HTTP_BODY] = "the body is not what the check expects: the route answers, but "
			   "something else than the app's health handler",
	[HINT_HTTP_NOT_HTTP] = "something that is not an HTTP server answers on this port (a "
			       "database, TLS, another protocol)",
	[HINT_HTTP_CLOSED] = "the server closed the connection without answering: it crashed "
			     "on the request or is still starting",
	[HINT_HTTP_SLOW] = "the app accepted the connection but answered too slowly: a blocked "
			   "worker or a slow dependency",
	[HINT_TLS_VERIFY] = "the certificate is not trusted: name a CA with cacert=, or "
			    "insecure=yes for a self-signed local endpoint",
	[HINT_TLS_NO_CA] = "no CA bundle found in this image: set cacert= or SSL_CERT_FILE, or "
			   "copy ca-certificates.crt in",
	[HINT_TLS_PLAIN] = "TLS failed: the port may speak plain http, or another TLS version",
	[HINT_TLS_STALL] = "the port takes connections but never answers TLS: it may speak plain "
			   "http (try http://), or the server is hung or overloaded",
	[HINT_HTTP_HEADER] = "the response lacks an expected header: another server (a proxy, "
			     "a default page) may answer instead of the app",
	[HINT_FILE_DENIED] = "the container user may not read it or a folder above it: chown "
			     "or chmod it in the Dockerfile, or run as its owner",
	[HINT_FILE_IS_DIR] = "a folder stands where a file should: Docker creates a missing "
			     "bind-mount source as an empty folder; create the file on the host first",
	[HINT_FILE_SHORT] = "smaller than expected: the step that writes it failed or was cut "
			    "off, or a placeholder stands in for it",
	[HINT_DIR_EMPTY] = "the folder is empty: a volume mounted over it hides what the image "
			   "put there, or the step that fills it did not run",
	[HINT_PROC_FEW] = "fewer copies run than expected: some exited or crashed; read the "
			  "container logs",
	[HINT_BIND_OTHER] = "the port is open on another address than the one checked: bind "
			    "0.0.0.0 (every address) or the address the check names",
	[HINT_REDIS_LOADING] = "Redis is reading its dataset (RDB/AOF) from disk after a "
			       "restart; it serves when done: wait, or give a large "
			       "dataset more start time",
	[HINT_REDIS_AUTH] = "wrong or missing password: compare the URL's password (and "
			    "user) with the server's requirepass or ACL user",
	[HINT_REDIS_NOPASS] = "the server has no password: remove it from the URL, or set "
			      "requirepass on the server",
	[HINT_REDIS_NOPERM] = "the ACL user lacks a permission: grant it +ping +select "
			      "+info (or +@connection)",
	[HINT_REDIS_NOT_REDIS] = "something that is not Redis answers on this port (HTTP, "
				 "a database, a proxy): check the host and port",
	[HINT_REDIS_TLS_PORT] = "this port speaks TLS: the URL should be rediss://",
	[HINT_REDIS_MASTERDOWN] = "a replica lost its link to the master and "
				  "replica-serve-stale-data is no: check the master",
	[HINT_REDIS_MISCONF] = "Redis cannot save its snapshot and stops writes: a full "
			       "disk or an unwritable dir; read the server log",
	[HINT_REDIS_BUSY] = "a Lua script or function runs too long: SCRIPT KILL, or fix "
			    "the script",
	[HINT_REDIS_DENIED] = "protected mode admits only loopback clients: set a "
			      "password (requirepass) or protected-mode no with a bind",
	[HINT_REDIS_DB] = "the database number is beyond the server's databases setting "
			  "(16 by default), or the server is a cluster (db 0 only)",
	[HINT_REDIS_MAXCLIENTS] = "every connection slot is taken: a client leaks "
				  "connections, or raise maxclients",
	[HINT_REDIS_CLOSED] = "the server hung up without answering: it is restarting, a "
			      "proxy has nothing behind it, or the port expects TLS "
			      "(rediss://)",
	[HINT_REDIS_NO_TLS] = "this build has no TLS for Redis: check the port with "
			      "tcp://HOST:PORT, or use a plain redis:// endpoint",
	[HINT_SQLITE_MISSING] = "a relative path is read from the working directory "
				"(WORKDIR): check the path, the WORKDIR and the volume "
				"mount",
	[HINT_SQLITE_NOTADB] = "the file is not an SQLite database: the path names "
			       "another file, or the database is encrypted",
	[HINT_SQLITE_LOCKED] = "another process holds a write lock: a long transaction or "
			       "a migration runs; WAL mode lets readers in",
	[HINT_SQLITE_CORRUPT] = "the database file is damaged: restore a backup; a copy "
				"taken while it was written or a full disk does this",
	[HINT_SQL_NO_TABLE] = "the table does not exist: migrations have not run (alembic "
			      "upgrade head), or the URL names another database",
	[HINT_SQL_STARTING] = "the database is starting, recovering, or a "
			      "standby that takes no clients: wait for it "
			      "(probe wait, a startup probe), or connect to the "
			      "primary",
	[HINT_SQL_STOPPING] = "the database is shutting down: a restart or a "
			      "stop is under way",
	[HINT_SQL_AUTH] = "wrong user or password (or, on MySQL, an account "
			  "that requires TLS): POSTGRES_PASSWORD / "
			  "MARIADB_PASSWORD only take effect when the data "
			  "volume is first created",
	[HINT_SQL_AUTH_PLUGIN] = "the client lacks the authentication method "
				 "the server asks for (caching_sha2_password, "
				 "ed25519...): change the user's method, or use "
				 "a build that has it",
	[HINT_SQL_NO_DATABASE] = "the server runs but has no such database: "
				 "create it, or fix the URL; POSTGRES_DB / "
				 "MARIADB_DATABASE only apply to a fresh data "
				 "volume",
	[HINT_SQL_DB_DENIED] = "the database does not exist or the user has no "
			       "grant on it: create it, or GRANT ALL ON db.* TO "
			       "the user",
	[HINT_SQL_HOST_DENIED] = "the server admits no such client from this "
				 "address: add a pg_hba.conf line for it, or "
				 "(MySQL) create the user for '%' or this host",
	[HINT_SQL_HOST_BLOCKED] = "the server blocks this host after too many "
				  "broken connections (max_connect_errors): run "
				  "mariadb-admin flush-hosts",
	[HINT_SQL_TLS_REQUIRED] = "the server takes this client only over TLS: "
				  "add sslmode=require (PostgreSQL) or "
				  "ssl_mode=REQUIRED (MySQL) to the URL",
	[HINT_SQL_TLS_UNSUPPORTED] = "the server does not offer TLS: enable it "
				     "on the server, or drop the URL's TLS "
				     "requirement (sslmode=, ssl_mode=) on a "
				     "trusted network",
	[HINT_SQL_TLS_VERIFY] = "the server's certificate cannot be verified: "
				"name its CA with sslrootcert= (ssl_ca= for "
				"MySQL), or sslmode=require to encrypt without "
				"verifying",
	[HINT_SQL_TOO_MANY] = "every connection slot is taken: pools or leaked "
			      "connections hold them; shrink the pools or raise "
			      "max_connections",
	[HINT_SQL_SILENT] = "the port accepts connections but the server never "
			    "answers: it is hung or still initialising, or a "
			    "proxy in front of it cannot reach it",
	[HINT_SQL_CLOSED] = "the connection was closed without an answer: the "
			    "server is starting behind a proxy (docker-proxy "
			    "accepts before it listens), crashed, or is another "
			    "service",
	[HINT_SQL_NOT_SQL] = "something other than this database answers on "
			     "this port (HTTP, TLS, another server): check the "
			     "host and port",
	[HINT_SQL_SLOW_QUERY] = "connected, but the query did not finish in "
				"time: a lock, a long transaction or an "
				"overloaded server holds it up",
	[HINT_SQLITE_SLOW] = "the query takes longer than the time left: a large scan; "
			     "make query= cheaper or give the check more time",
	[HINT_FRONTEND_NONE] = "no frontend build here: build it in the image (next build, "
			       "vite build, reflex export) and COPY its output, or point the "
			       "check at the build folder",
	[HINT_FRONTEND_NEXT] = "the Next.js build is incomplete: a failed or interrupted `next "
			       "build`, or a COPY that left files out; run `next build` and "
			       "copy the whole .next",
	[HINT_FRONTEND_NEXT_DEV] = "a development build: run `next build`; `next dev` leaves a "
				   ".next without BUILD_ID that `next start` cannot serve",
	[HINT_FRONTEND_NEXT_STANDALONE] = "`next build` does not do it: copy .next/static and "
					  "public into .next/standalone (as .next/static and "
					  "public beside server.js)",
	[HINT_FRONTEND_REFLEX] = "the Reflex frontend is not built: run `reflex export` (or "
				 "`reflex run --env prod`) in the image build",
	[HINT_FRONTEND_ZIP] = "not a complete zip: `reflex export` was cut off or the copy "
			      "truncated it; export again",
	[HINT_FRONTEND_VITE] = "the build output is incomplete: `vite build` (npm run build) "
			       "empties dist/ first, so an interrupted build leaves it partial; "
			       "build again",
	[HINT_FRONTEND_STATIC] = "the site was copied incompletely, or index.html names files "
				 "of another build: copy the whole build output",
	[HINT_FRONTEND_SLOW] = "the build holds more files than the time allows to check: give "
			       "the check more time (timeout=)",
	[HINT_ALEMBIC_NO_SCRIPTS] = "not an Alembic folder: name the folder of alembic.ini, "
				    "the script location (env.py, versions/) or the versions "
				    "folder; check the Dockerfile COPY",
	[HINT_ALEMBIC_GRAPH] = "the migration scripts are inconsistent: a file deleted, "
			       "renamed or not committed, or an id reused; alembic history "
			       "shows the graph",
	[HINT_ALEMBIC_HEADS] = "a branch was left unmerged: alembic merge heads, or raise "
			       "heads= if the branches are meant to stay apart",
	[HINT_ALEMBIC_NO_URL] = "name the database: db=URL (db=@DATABASE_URL), "
				"sqlalchemy.url in alembic.ini or $DATABASE_URL; db=none "
				"checks the scripts alone",
	[HINT_ALEMBIC_NEVER] = "migrations never ran here: run alembic upgrade heads before "
			       "the app starts, or the URL (schema=, table=) names another "
			       "database",
	[HINT_ALEMBIC_PENDING] = "the code expects migrations the database lacks: run alembic "
				 "upgrade heads in the entrypoint or a release job before the "
				 "app starts",
	[HINT_ALEMBIC_UNKNOWN] = "the database was migrated by other code (a newer image, "
				 "another branch): deploy the image that has this revision, or "
				 "downgrade the database with that image",
};

const char *hint_text(enum hint_id id)
{
	if ((int)id < 0 || id >= HINT_COUNT || !hint_table[id])
		return "";
	return hint_table[id];
}
