"""silent.py HOST PORT - accepts every connection and never sends a byte.

A stand-in for a database server that has hung: the TCP handshake completes
(and, unlike listener.py, any number of connections are accepted, not just
a backlog's worth), but no greeting, no error and no close ever comes.  What
a client sends is read and thrown away, so its writes never block; a
connection is closed only when the client closes it.  Runs until killed."""
import selectors
import signal
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
srv = socket.socket(family, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port))
srv.listen(128)
srv.setblocking(False)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

sel = selectors.DefaultSelector()
sel.register(srv, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        s = key.fileobj
        if s is srv:
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            conn.setblocking(False)
            sel.register(conn, selectors.EVENT_READ)
            continue
        try:
            data = s.recv(65536)
        except BlockingIOError:
            continue
        except OSError:
            data = b""
        if not data:
            sel.unregister(s)
            s.close()
