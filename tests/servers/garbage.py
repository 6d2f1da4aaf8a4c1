"""garbage.py HOST PORT MODE - a server whose answers carry bytes that are
not UTF-8 and terminal escapes, for tests/integration/core.sh: whatever it
sends, JSON output must stay valid UTF-8 and text output free of control
characters.

Modes:
  http   answers every request with a 200 whose reason phrase, X-Junk
         header and body hold \\xff \\xfe, ESC sequences, a C1 CSI (\\xc2\\x9b)
         and a NUL
  redis  answers every command with a Redis error of the same bytes
  raw    sends the same bytes, then closes: not HTTP, not Redis

Prints nothing; runs until killed."""
import socket
import sys
import threading

JUNK = b"\xff\xfe\x1b[31mred\x1b[0m \xc2\x9b2J \xe2\x28\xa1 \x00nul \x07bell \xed\xa0\x80"

host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def serve(conn):
    try:
        conn.settimeout(5)
        if mode == "raw":
            conn.sendall(JUNK + b"\r\n")
            return
        data = b""
        while (b"\r\n\r\n" not in data) if mode == "http" else (b"\r\n" not in data):
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        if mode == "http":
            body = JUNK + b"\n"
            conn.sendall(b"HTTP/1.1 200 " + JUNK.replace(b"\x00", b"") + b"\r\n"
                         b"X-Junk: " + JUNK.replace(b"\x00", b"") + b"\r\n"
                         b"Content-Type: text/plain\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n"
                         b"Connection: close\r\n\r\n" + body)
        else:
            while True:
                conn.sendall(b"-ERR " + JUNK.replace(b"\x00", b"") + b"\r\n")
                if not conn.recv(4096):
                    return
    except OSError:
        pass
    finally:
        conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, port))
srv.listen(64)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
