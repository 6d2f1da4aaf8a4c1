"""httpd.py --port P [--host ADDR] --mode MODE [--cert F --key F] - an HTTP
server that behaves well or badly on purpose, for tests/integration/http.sh.

Python 3 standard library only.  One thread per connection; SIGTERM stops
it cleanly.  Prints one line, "ready PORT", on stdout once it listens.

Modes:
  good      GET /health  -> 200 {"status":"ok","db":{"up":true}} (JSON)
            GET /        -> 200 "home";  /redirect -> 302 to /health
            /empty -> 200 with an empty body
            /status/NNN -> status NNN with body "status NNN" (none for 204, 304)
            /headers -> the request headers as a JSON object
            /degraded -> 200 {"status":"degraded"};  /big -> 2 MiB body
            anything else -> 404 "not found"
  tls       the same as good, over TLS (--cert, --key)
  notfound  / -> 200 "home", everything else 404 "not found"
  empty     200 with Content-Length: 0 for every path
  silent    accepts, reads, never answers, keeps the connection open
  trickle   answers "HTTP/1.1 200 OK ..." one byte a second
  endless   200 with a body without length that never ends, fast
  garbage   answers bytes that are not HTTP, then closes
  reset     reads the request, then resets the connection (RST)
  full      listens with a full accept queue and never accepts: the kernel
            drops new SYNs, so a connect times out (prints "ready" once full)
"""
import argparse
import json
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HEALTH = b'{"status":"ok","db":{"up":true}}'
DEGRADED = b'{"status":"degraded","db":{"up":false}}'
BIG = 2 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    """The modes that speak HTTP: good, tls, notfound, empty."""

    protocol_version = "HTTP/1.1"
    server_version = "probe-test-httpd"

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes: without NODELAY, Nagle
        # and the client's delayed ACK add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            pass  # the client stopped reading (a body cut at 1 MiB)

    def answer(self, code, body=b"", ctype="text/plain", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        for i in range(0, len(body), 65536):
            self.wfile.write(body[i:i + 65536])

    def do_GET(self):
        mode = self.server.mode
        path = self.path.split("?", 1)[0]
        if mode == "empty":
            return self.answer(200)
        if mode == "notfound":
            if path == "/":
                return self.answer(200, b"home")
            return self.answer(404, b"not found")
        if path == "/health":
            return self.answer(200, HEALTH, "application/json", [("X-Health", "ok")])
        if path == "/":
            return self.answer(200, b"home")
        if path == "/redirect":
            return self.answer(302, b"", headers=[("Location", "/health")])
        if path == "/empty":
            return self.answer(200)
        if path == "/degraded":
            return self.answer(200, DEGRADED, "application/json")
        if path.startswith("/status/"):
            try:
                code = int(path[len("/status/"):])
            except ValueError:
                code = 400
            # 204 and 304 carry no body (RFC 9110 §15.3.5, §15.4.5).
            body = b"" if code in (204, 304) else b"status %d" % code
            return self.answer(code, body)
        if path == "/headers":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()})
            return self.answer(200, body.encode(), "application/json")
        if path == "/big":
            return self.answer(200, b"x" * BIG)
        return self.answer(404, b"not found")

    do_HEAD = do_GET
    do_POST = do_GET


def read_request(sock, limit=2.0):
    """Reads until the end of the request headers, EOF, or `limit` s."""
    sock.settimeout(limit)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (OSError, TimeoutError):
        pass
    sock.settimeout(None)
    return data


class RawHandler(socketserver.BaseRequestHandler):
    """The modes that misbehave below HTTP."""

    def handle(self):
        mode = self.server.mode
        sock = self.request
        try:
            getattr(self, "mode_" + mode)(sock)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    def mode_silent(self, sock):
        # Keep the connection open until the client gives up.
        while sock.recv(4096):
            pass

    def mode_trickle(self, sock):
        if not read_request(sock):
            return
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        for i in range(len(answer)):
            sock.sendall(answer[i:i + 1])
            time.sleep(1)

    def mode_endless(self, sock):
        if not read_request(sock):
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                     b"Connection: close\r\n\r\n")
        chunk = b"y" * 65536
        while True:
            sock.sendall(chunk)

    def mode_garbage(self, sock):
        if not read_request(sock):
            return
        # Read the request first: closing with unread input sends an RST,
        # and the client would see a reset instead of the garbage.
        sock.sendall(b"\x16\x03\x01\x00\x2a\xde\xad\xbe\xef not http at all \x00\xff\r\n")
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(1)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass

    def mode_reset(self, sock):
        if not read_request(sock):
            return
        # SO_LINGER with a zero timeout: close() sends an RST.  Close here:
        # socketserver would shutdown(SHUT_WR) first, which sends a FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def server_class(base, family):
    class Server(base):
        address_family = family
        allow_reuse_address = True
        daemon_threads = True
        block_on_close = False

        def server_bind(self):
            if family == socket.AF_INET6:
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            socketserver.TCPServer.server_bind(self)

    return Server


def tls_server_class(base, ctx):
    class TLSServer(base):
        def finish_request(self, request, client_address):
            # The handshake runs here, in the connection's thread, so a
            # client that connects and says nothing blocks only itself.
            request.settimeout(5)
            try:
                tls = ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            try:
                tls.settimeout(30)
                self.RequestHandlerClass(tls, client_address, self)
            finally:
                tls.close()

    return TLSServer


def serve_full(host, port):
    """Fills a backlog-0 listener's accept queue with its own connections;
    Linux then drops further SYNs instead of completing the handshake."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port))
    srv.listen(0)
    fillers = []
    for _ in range(4):
        c = socket.socket(family, socket.SOCK_STREAM)
        c.setblocking(False)
        c.connect_ex((host, port))
        fillers.append(c)
    time.sleep(0.5)  # let the handshakes that can complete do so
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready %d" % srv.getsockname()[1], flush=True)
    stop.wait()
    for c in fillers:
        c.close()
    srv.close()
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--mode", default="good",
                    choices=["good", "tls", "notfound", "empty", "silent", "trickle",
                             "endless", "garbage", "reset", "full"])
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()

    if args.mode == "full":
        return serve_full(args.host, args.port)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    if args.mode in ("good", "tls", "notfound", "empty"):
        cls = server_class(ThreadingHTTPServer, family)
        if args.mode == "tls":
            if not args.cert or not args.key:
                ap.error("--mode tls needs --cert and --key")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.cert, args.key)
            cls = tls_server_class(cls, ctx)
        server = cls((args.host, args.port), Handler)
    else:
        cls = server_class(socketserver.ThreadingTCPServer, family)
        server = cls((args.host, args.port), RawHandler)
    server.mode = args.mode

    def on_term(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    print("ready %d" % server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
