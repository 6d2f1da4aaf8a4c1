"""hostile.py MODE HOST PORT - a server that misbehaves the same way whatever
protocol the client speaks, for the hostile-server tests.

  silent         accepts, reads, never sends a byte (a TLS client's
                 handshake stalls on it)
  trickle        sends one byte a second ('+', then 'A's), never ends
  endless        sends bytes without end: 'A' in 64 KiB writes
  endless-lines  sends "HTTP/1.1 200 OK" then header lines without end
  endless-reply  sends "+" then bytes without end and no CRLF: a RESP
                 simple string that never ends
  huge-packet    sends MySQL packet headers that announce 16 MiB each,
                 and their bytes, without end
  garbage        sends bytes no protocol starts with, then closes
  reset          answers the first bytes (or the connection) with an RST

Every connection gets its own thread; a connection ends when the client
closes it.  Runs until killed."""
import signal
import socket
import struct
import sys
import threading
import time

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def drain(sock):
    """Reads whatever the client sends, without blocking the writer."""
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
    except (BlockingIOError, OSError):
        pass
    sock.setblocking(True)


def handle(sock):
    try:
        if mode == "silent":
            while sock.recv(4096):
                pass
        elif mode == "trickle":
            sock.sendall(b"+")
            while True:
                time.sleep(1)
                drain(sock)
                sock.sendall(b"A")
        elif mode in ("endless", "endless-lines", "endless-reply"):
            time.sleep(0.05)  # let the client's first bytes arrive
            drain(sock)
            if mode == "endless":
                chunk = b"A" * 65536
            elif mode == "endless-reply":
                sock.sendall(b"+")
                chunk = b"A" * 65536
            else:
                sock.sendall(b"HTTP/1.1 200 OK\r\n")
                chunk = b"X-Endless: " + b"a" * 100 + b"\r\n"
                chunk *= 500
            while True:
                sock.sendall(chunk)
                drain(sock)
        elif mode == "huge-packet":
            time.sleep(0.05)  # as a server that answers a request would
            seq = 0
            while True:
                sock.sendall(b"\xff\xff\xff" + bytes([seq & 255]) + b"\x0a" + b"A" * 65536)
                for _ in range(255):
                    sock.sendall(b"A" * 65536)
                seq += 1
        elif mode == "garbage":
            time.sleep(0.05)
            drain(sock)
            sock.sendall(b"\x00\xff\xfe\x7f garbage \x1b[31m\x00\x01\x02\r\n")
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(1)
            while sock.recv(4096):
                pass
        elif mode == "reset":
            sock.settimeout(0.2)
            try:
                sock.recv(4096)
            except OSError:
                pass
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    finally:
        sock.close()


family = socket.AF_INET6 if ":" in host else socket.AF_INET
srv = socket.socket(family, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port))
srv.listen(128)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
