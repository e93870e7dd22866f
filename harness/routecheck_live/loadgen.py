"""A load generator for rate figures (scripts/bench-harness): keep-alive HTTP/1.1 POSTs over raw sockets.

One process, one thread, ``selectors``: C connections each send a prebuilt request, read the whole
answer (Content-Length or chunked), and send the next one. No `requests`, no JSON parsing, no
threads: a request costs the generator a few tens of microseconds, so the server under test, not the
generator, bounds the rate. Its own CPU share is printed so that a reader can check that claim.

    python -m routecheck_live.loadgen URL --body '{"model": "m", ...}' [--header 'N: v']... \
        [--connections 8] [--seconds 5] [--warmup 1]
    -> one JSON line: {"rate": ..., "requests": ..., "seconds": ..., "cpu_share": ..., "statuses": {...}}

A body containing ``{n}`` gets the request's sequence number there (e.g. a fresh marker per call).
"""
from __future__ import annotations

import argparse
import json
import selectors
import socket
import sys
import time
from urllib.parse import urlsplit


class LoadError(RuntimeError):
    pass


class _Conn:
    def __init__(self, addr: tuple[str, int]):
        self.sock = socket.create_connection(addr)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.buf = b""

    def complete(self) -> tuple[int, int] | None:
        """(status, bytes used) once a whole answer is buffered, else None."""
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = self.buf[:end].decode("latin-1")
        lines = head.split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError):
            raise LoadError(f"not an HTTP status line: {lines[0][:100]!r}") from None
        length, chunked = None, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        body_at = end + 4
        if length is not None:
            return (status, body_at + length) if len(self.buf) >= body_at + length else None
        if chunked:
            pos = body_at
            while True:
                eol = self.buf.find(b"\r\n", pos)
                if eol < 0:
                    return None
                size = int(self.buf[pos:eol].split(b";")[0], 16)
                nxt = eol + 2 + size + 2
                if len(self.buf) < nxt:
                    return None
                if size == 0:
                    return status, nxt
                pos = nxt
        raise LoadError("answer without Content-Length or chunked encoding (keep-alive impossible)")


def run(url: str, body: str, headers: dict[str, str], connections: int, seconds: float,
        warmup: float = 1.0) -> dict:
    u = urlsplit(url)
    addr = (u.hostname or "127.0.0.1", u.port or 80)
    path = u.path + (f"?{u.query}" if u.query else "")
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    templated = "{n}" in body

    def request(n: int) -> bytes:
        data = (body.replace("{n}", str(n)) if templated else body).encode()
        return (f"POST {path} HTTP/1.1\r\nHost: {addr[0]}:{addr[1]}\r\n{head}"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data

    sel = selectors.DefaultSelector()
    conns = [_Conn(addr) for _ in range(connections)]
    seq = 0
    for c in conns:
        c.sock.sendall(request(seq))
        seq += 1
        sel.register(c.sock, selectors.EVENT_READ, c)
    statuses: dict[int, int] = {}
    t_start = time.perf_counter()
    t_measure = t_start + warmup
    t_end = t_measure + seconds
    counted = 0
    cpu0 = None
    while True:
        now = time.perf_counter()
        if cpu0 is None and now >= t_measure:
            cpu0, counted, statuses = time.process_time(), 0, {}
        if now >= t_end:
            break
        for key, _ in sel.select(timeout=max(0.0, t_end - now)):
            c = key.data
            data = c.sock.recv(65536)
            if not data:
                raise LoadError(f"{url}: the server closed a kept-alive connection")
            c.buf += data
            done = c.complete()
            while done is not None:
                status, used = done
                c.buf = c.buf[used:]
                statuses[status] = statuses.get(status, 0) + 1
                counted += 1
                c.sock.sendall(request(seq))
                seq += 1
                done = c.complete()
    cpu = time.process_time() - (cpu0 if cpu0 is not None else 0.0)
    for c in conns:
        c.sock.close()
    return {"url": url, "connections": connections, "seconds": seconds, "requests": counted,
            "rate": counted / seconds, "cpu_share": cpu / seconds,
            "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m routecheck_live.loadgen")
    ap.add_argument("url")
    ap.add_argument("--body", required=True)
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    args = ap.parse_args(argv)
    headers = {}
    for h in args.header:
        name, sep, value = h.partition(":")
        if not sep:
            print(f"loadgen: --header {h!r}: expected 'Name: value'", file=sys.stderr)
            return 2
        headers[name.strip()] = value.strip()
    try:
        print(json.dumps(run(args.url, args.body, headers, args.connections, args.seconds, args.warmup)))
    except (OSError, LoadError) as e:
        print(f"loadgen: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
