"""dns_silent.py HOST PORT - a DNS server that reads every query and never answers.

A stand-in for a resolver that has hung: UDP queries are read and thrown
away, TCP connections are accepted and never sent a byte (so glibc's
fallback to TCP hangs too).  Runs until killed."""
import selectors
import signal
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind((host, port))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind((host, port))
tcp.listen(64)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

sel = selectors.DefaultSelector()
sel.register(udp, selectors.EVENT_READ)
sel.register(tcp, selectors.EVENT_READ)
conns = []
while True:
    for key, _ in sel.select():
        if key.fileobj is udp:
            udp.recvfrom(65536)
        elif key.fileobj is tcp:
            conn, _ = tcp.accept()
            conns.append(conn)  # kept open, never answered
