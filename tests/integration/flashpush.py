"""flashpush: a line of waiting pages holding the sale's push stream
(EventSource on /api/v1/flash/{id}/events, held by nginx's nchan), for
flash-load.py --push. One process of its own (its own GIL: the visitors'
64 polling threads must not delay when a message is seen), one
non-blocking socket per visitor, all in one selector loop. It notes when
each visitor first heard "sold_out" (CLOCK_MONOTONIC, comparable with the
parent's time.monotonic(); and the wall clock, to compare with the
message's "at", when the server published it). Two times per visitor:
when select() said its socket had data ("delivered": what a browser, with
a CPU of its own, would see) and when this one process got round to
reading it ("read": 10,000 sockets read one after another in Python on
cores shared with the servers)."""
import multiprocessing
import re
import resource
import selectors
import socket
import time

SOLD_OUT = re.compile(rb'"state":"sold_out"[^}]*"at":([0-9]+)')


def _listen(host, port, sale, conn):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    req = ("GET /api/v1/flash/%d/events HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\n\r\n"
           % (sale, host, port)).encode()
    sel = selectors.DefaultSelector()
    todo, seen = [], {}
    stats = {"opened": 0, "streaming": 0, "refused": 0, "closed": 0}
    stop = False
    while not stop or todo:
        while conn.poll(0):
            i = conn.recv()
            if i is None:
                stop = True
                break
            todo.append(i)
        if stop:
            break
        # at most 200 new connections a turn: a burst of thousands would
        # overflow nginx's accept queue and wait for SYN retries
        for i in todo[:200]:
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex((host, port))
            sel.register(s, selectors.EVENT_WRITE, [i, b"", False])
            stats["opened"] += 1
        del todo[:200]
        ready = sel.select(timeout=0.02)
        delivered, delivered_wall = time.monotonic(), time.time()
        for key, ev in ready:
            s, d = key.fileobj, key.data
            if ev & selectors.EVENT_WRITE:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    stats["refused"] += 1
                    sel.unregister(s)
                    s.close()
                    continue
                s.send(req)
                sel.modify(s, selectors.EVENT_READ, d)
                continue
            try:
                chunk = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = b""
            if not chunk:
                stats["closed"] += 1
                sel.unregister(s)
                s.close()
                continue
            now, wall = time.monotonic(), time.time()
            buf = d[1] + chunk
            if not d[2] and buf.startswith(b"HTTP/1.1 200"):
                d[2] = True
                stats["streaming"] += 1
            if d[0] not in seen:
                m = SOLD_OUT.search(buf)
                if m:
                    seen[d[0]] = (delivered, delivered_wall, int(m.group(1)), now, wall)
            d[1] = buf[-1024:]
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    conn.send({"seen": seen, "stats": stats})


class PushLine:
    """The listening process: add(i) subscribes visitor i; finish() closes
    every stream and returns {i: (delivered monotonic, delivered wall,
    at_ms, read monotonic, read wall)} of the first sold_out each heard,
    and counts (opened, streaming, refused, closed)."""

    def __init__(self, host, port, sale):
        self.conn, child = multiprocessing.Pipe()
        self.p = multiprocessing.Process(target=_listen, args=(host, port, sale, child), daemon=True)
        self.p.start()

    def add(self, i):
        self.conn.send(i)

    def finish(self):
        self.conn.send(None)
        r = self.conn.recv()
        self.p.join(10)
        return r["seen"], r["stats"]
