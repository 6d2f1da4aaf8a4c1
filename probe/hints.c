/*
 * hints.c - the table of usual fixes.  Keep each one short: Docker keeps
 * only the first 4 KiB of a health check's output.
 */
#include "hints.h"

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
};

const char *hint_text(enum hint_id id)
{
	if ((int)id < 0 || id >= HINT_COUNT || !hint_table[id])
		return "";
	return hint_table[id];
}
