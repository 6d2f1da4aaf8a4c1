"""listener.py HOST PORT [v6only] [at=NS] - binds, listens, never accepts;
until killed.

A stand-in for an app that has bound its port: what listen:// reads from
/proc/net/tcp{,6}, and what tcp:// connects to (the kernel completes the
handshake from the backlog).  at=NS: binds only once the clock reads NS
nanoseconds since the epoch (`date +%s%N`), an app that comes up late at a
known moment, whatever this interpreter's start-up cost."""
import signal
import socket
import sys
import time

host, port = sys.argv[1], int(sys.argv[2])
extra = sys.argv[3:]
at = [int(a[3:]) for a in extra if a.startswith("at=")]
while at and time.time_ns() < at[0]:
    time.sleep(0.005)
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if family == socket.AF_INET6:
    v6only = "v6only" in extra
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
s.bind((host, port))
s.listen(64)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
while True:
    time.sleep(3600)
