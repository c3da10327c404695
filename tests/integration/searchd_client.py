#!/usr/bin/env python3
"""searchd_client: asks a souk-searchd directly on its socket, for the tests.

    searchd_client.py SOCKET status
        the daemon's {"status":true} frame, as JSON
    searchd_client.py SOCKET search [--wait-socket S] QUERY...
        each QUERY (a JSON object of search_query fields; the rest take
        search_query_init's defaults) answered on one connection; prints
        one JSON line per answer: the decoded binary frame
        (lib/search/search_frame.h) or the daemon's JSON error. With
        --wait-socket the socket is polled every millisecond for up to S
        seconds and the queries are sent the moment it accepts: what a
        pool asking right after the daemon starts serving would get.

Frames are a 4-byte big-endian length, then the payload (search_remote.c).
"""
import json
import socket
import struct
import sys
import time

# search_query_init's defaults, as search_query_to_json sends them; the
# result cache bypassed and no autocorrection, so an answer is the index's.
DEFAULT_QUERY = {
    "q": "", "w": [3, 2, 1], "category_id": 0, "category_slug": None,
    "brands": [], "colors": [], "sizes": [], "price_min": -1, "price_max": -1,
    "in_stock": False, "rating_min": 0, "sort": 0, "offset": 0, "limit": 20,
    "facets": True, "ranges": [], "no_cache": True, "no_correct": True,
}


def ask(conn, payload):
    """One frame out, one frame in: the reply's bytes."""
    conn.sendall(struct.pack(">I", len(payload)) + payload)
    head = conn.recv(4, socket.MSG_WAITALL)
    if len(head) != 4:
        raise EOFError("the daemon closed the connection")
    n = struct.unpack(">I", head)[0]
    data = b""
    while len(data) < n:
        part = conn.recv(n - len(data))
        if not part:
            raise EOFError("the daemon closed the connection mid-frame")
        data += part
    return data


class Reader:
    """Reads search_frame.h's fields in order; raises on a short frame."""

    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        if self.at + n > len(self.data):
            raise ValueError("frame ends early at byte %d" % self.at)
        b = self.data[self.at:self.at + n]
        self.at += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def f64(self):
        return struct.unpack(">d", self.take(8))[0]

    def s(self):
        n = self.u32()
        return None if n == 0xFFFFFFFF else self.take(n).decode()


def decode(data):
    """A version-1 result frame as a dict; a JSON error reply as itself."""
    if data[:3] != b"SXR":
        return json.loads(data)
    if data[3] != 1:
        raise ValueError("frame version %d" % data[3])
    r = Reader(data)
    r.take(4)
    out = {"total": r.i64(), "hits": []}
    for _ in range(r.u32()):
        out["hits"].append({
            "id": r.i64(), "ref": r.s(), "title": r.s(), "brand": r.s(), "image": r.s(),
            "price": r.i64(), "rating": r.f64(), "rating_count": r.i64(),
            "in_stock": r.u8(), "sales_rank": r.i64(), "score": r.f64()})
    for facet in ("brands", "colors", "categories", "ratings"):
        out[facet] = [{"value": r.s(), "id": r.i64(), "count": r.i64(), "selected": r.u8()}
                      for _ in range(r.u32())]
    out["prices"] = [{"from": r.i64(), "to": r.i64(), "key": r.s(), "count": r.i64()}
                     for _ in range(r.u32())]
    out["corrected_query"] = r.s()
    out["suggestions"] = [r.s() for _ in range(r.u32())]
    out["engine"] = r.s()
    if r.at != len(data):
        raise ValueError("%d bytes after the last field" % (len(data) - r.at))
    return out


def connect(path, wait_s):
    """A connection to path; with wait_s, polls until it accepts."""
    deadline = time.monotonic() + wait_s
    while True:
        conn = socket.socket(socket.AF_UNIX)
        try:
            conn.connect(path)
            conn.settimeout(30)
            return conn
        except OSError:
            conn.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.001)


def main(argv):
    if len(argv) < 3 or argv[2] not in ("status", "search"):
        sys.exit(__doc__)
    path, what, rest = argv[1], argv[2], argv[3:]
    wait_s = 0.0
    if rest[:1] == ["--wait-socket"]:
        wait_s, rest = float(rest[1]), rest[2:]
    conn = connect(path, wait_s)
    if what == "status":
        print(ask(conn, b'{"status":true}').decode())
        return
    for text in rest:
        q = dict(DEFAULT_QUERY, **json.loads(text))
        print(json.dumps(decode(ask(conn, json.dumps(q).encode())), sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
