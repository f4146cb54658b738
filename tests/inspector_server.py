#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for the mcp-agent inspector's HTTP API, for tests.

Serves a directory of trace files the way the inspector does (doc/reference.md §4):

    GET {prefix}/health          {"name": "mcp-agent-inspector", "version": "test"}
    GET {prefix}/sessions        {"sessions": [SessionMeta, ...]}, newest first
    GET {prefix}/trace/{id}      the raw file(s); ETag / If-None-Match; Range: bytes=N-
    GET {prefix}/events          Server-Sent Events, as the inspector writes them

and adds test controls under /_control (never under the prefix, no token;
JSON bodies and answers; paths in controls are relative to the prefix):

    POST /_control/publish  {event}            number it, send to every stream -> {"id", "clients"}
    POST /_control/raw?chunk=N&delay_ms=M      body sent verbatim to every stream (N-byte writes)
    POST /_control/drop                        cut every open stream now
    POST /_control/stall {"seconds", "paths"?} matching requests wait until the window ends;
                                               if it covers /events, open streams go silent too
    POST /_control/trickle {"bytes_per_sec"}   /trace, /sessions and /events bodies sent
                                               slowly (ten writes a second); 0 = off
    POST /_control/fail {"path_prefix", "status", "body", "body_b64", "content_type",
                         "headers", "count"}   the next `count` matching requests (-1: all)
                                               get this answer; body_b64: binary body;
                                               status 0 = close the connection, no answer
    POST /_control/endless {"path_prefix", "status", "content_type", "headers", "head",
                            "fill", "gzip", "count"}
                                               matching requests get a chunked body that
                                               never ends: head, then fill over and over
                                               until the client hangs up; gzip: the stream
                                               is one gzip member (Content-Encoding: gzip
                                               unless headers say otherwise)
    POST /_control/sse_line {"bytes", "field"} every stream gets one line of `bytes`
                                               bytes ("FIELD: xxx…"), then a blank line
    POST /_control/down {"seconds"}            stop listening, cut connections, listen again
    POST /_control/session {"id", ...}         extra SessionMeta in /sessions ("delete": true)
    POST /_control/reset                       clear stall, trickle, fail, sessions
    GET  /_control/state                       sse_clients, last_event_id, controls
    GET  /_control/log, POST /_control/log/clear   every non-control request seen

    python3 tests/inspector_server.py DIR [--port 0] [--port-file F] [--token T]
                                          [--keepalive S] [--prefix /_inspector]
    python3 tests/inspector_server.py --scan DIR      # print /sessions and exit

    --real: behave like the real inspector where it differs from the contract
    (doc/reference.md §4, last bullet): /sessions lists each rotated chunk file as a
    session "ID.jsonl.chunk_N" (status from that chunk alone) and leaves out
    files with a torn gzip member; /trace/ID serves the base file only, and
    refuses chunk ids (400: a "." is outside the id alphabet).

Python 3.11 standard library only.
"""

import argparse
import base64
import collections
import datetime
import hmac
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "test"
ID_RE = re.compile(r"[A-Za-z0-9_-]+")
EPOCH = datetime.datetime(1970, 1, 1)


def utc_now_iso():
    """The inspector's timestamp style: ISO 8601, UTC, no zone suffix."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return now.isoformat(timespec="microseconds")


def ns_to_iso(ns):
    """Nanoseconds since the epoch -> "2025-07-01T08:00:00.001296" (UTC, no zone)."""
    dt = EPOCH + datetime.timedelta(microseconds=ns // 1000)
    return dt.isoformat(timespec="microseconds")


# ---------------------------------------------------------------------------
# gzip: every member, torn tails tolerated (doc/reference.md §1)
# ---------------------------------------------------------------------------

GZIP_MAGIC = b"\x1f\x8b"
FEED = 1 << 16  # compressed bytes fed per call: keeps unused_data copies small


def gunzip_all(data):
    """Decompress every gzip member of data.

    Returns (text, problem): text is everything decoded, problem is None or a
    short reason why decoding stopped early (a torn or corrupt member).  The
    bytes of a torn last member that were decoded are kept, like the C
    reader does; trailing NUL padding is ignored, as gzip(1) does.
    """
    out = []
    view = memoryview(data)
    pos, n = 0, len(data)
    while pos < n:
        if data[pos:pos + 2] != GZIP_MAGIC:
            if not data[pos:].strip(b"\0"):
                break
            if n - pos < 2 and data[pos:] == GZIP_MAGIC[:n - pos]:
                return b"".join(out), "torn gzip header"
            return b"".join(out), "garbage after gzip member at %d" % pos
        dec = zlib.decompressobj(wbits=31)  # 31: gzip wrapper, one member
        start = pos
        while True:
            piece = view[pos:pos + FEED]
            try:
                out.append(dec.decompress(piece))
            except zlib.error as e:
                return b"".join(out), "corrupt gzip member at %d: %s" % (start, e)
            if dec.eof:
                pos += len(piece) - len(dec.unused_data)
                break
            pos += len(piece)
            if pos >= n:
                return b"".join(out), "torn gzip member at %d" % start
    return b"".join(out), None


def is_gzip_name(path):
    return path.endswith(".gz")


# ---------------------------------------------------------------------------
# Trace directory: which files make up which session
# ---------------------------------------------------------------------------

CHUNK_RE = re.compile(r"^(?P<id>.+)\.jsonl\.chunk_(?P<n>\d+)\.jsonl(?:\.gz)?$")
BASE_SUFFIXES = (".jsonl.gz", ".jsonl", ".json")  # also the preference order


class TraceDir:
    """Maps session ids to their files in a trace directory (doc/reference.md §1).

    A session is ID.jsonl.gz, ID.jsonl or ID.json (when several exist the
    first in that order is the base and the others are ignored), followed by
    its rotated chunks ID.jsonl.chunk_N.jsonl[.gz] in numeric order.
    Stateless: the directory is listed on every call, as the inspector does.
    """

    def __init__(self, path):
        self.path = path

    def sessions(self):
        """{id: [path, ...]} with the base first, then chunks by N."""
        try:
            names = os.listdir(self.path)
        except OSError:
            return {}
        bases, chunks = {}, collections.defaultdict(list)
        for name in names:
            m = CHUNK_RE.match(name)
            if m:
                chunks[m.group("id")].append((int(m.group("n")), name))
                continue
            for rank, suffix in enumerate(BASE_SUFFIXES):
                if name.endswith(suffix) and len(name) > len(suffix):
                    sid = name[:-len(suffix)]
                    if sid not in bases or bases[sid][0] > rank:
                        bases[sid] = (rank, name)
                    break
        result = {}
        for sid in set(bases) | set(chunks):
            files = [bases[sid][1]] if sid in bases else []
            files += [name for _, name in sorted(chunks.get(sid, []))]
            paths = [os.path.join(self.path, f) for f in files]
            paths = [p for p in paths if os.path.isfile(p)]
            if paths:
                result[sid] = paths
        return result

    def files(self, sid):
        return self.sessions().get(sid)


def read_files(paths):
    """(raw bytes concatenated, weak etag, total size) of a session's files.

    The ETag is taken from the stats before reading: a file that grows while
    it is read gets a new ETag on the next request anyway.
    """
    size, mtime = 0, 0
    parts = []
    for p in paths:
        try:
            st = os.stat(p)
            with open(p, "rb") as f:
                parts.append(f.read())
        except OSError:
            continue
        size += st.st_size
        mtime = max(mtime, st.st_mtime_ns)
    return b"".join(parts), 'W/"%d-%d"' % (size, mtime)


def decoded_text(paths):
    """The decompressed text of a session: each file decoded, concatenated."""
    parts = []
    for p in paths:
        try:
            with open(p, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if is_gzip_name(p) or data[:2] == GZIP_MAGIC:
            data, _ = gunzip_all(data)
        parts.append(data)
    return b"".join(parts)


# ---------------------------------------------------------------------------
# Session scan: SessionMeta per session, the way the inspector computes it
# ---------------------------------------------------------------------------

TIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$")


def parse_time(value):
    """RFC 3339 text (zone optional, read as UTC) or OTLP nanoseconds -> ns."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value) if value > 0 else None
    if not isinstance(value, str):
        return None
    if value.isdigit():  # OTLP "1795317292267137000"
        n = int(value)
        return n if n > 0 else None
    m = TIME_RE.match(value)
    if not m:
        return None
    try:
        dt = datetime.datetime(*(int(m.group(i)) for i in range(1, 7)))
    except ValueError:
        return None
    td = dt - EPOCH
    ns = (td.days * 86400 + td.seconds) * 1_000_000_000
    frac = m.group(7)
    if frac:
        ns += int((frac + "000000000")[:9])
    if m.group(9):
        off = (int(m.group(10)) * 60 + int(m.group(11))) * 60 * 1_000_000_000
        ns -= off if m.group(9) == "+" else -off
    return ns


def truthy(value):
    """doc/reference.md §3 truthy, as the C reader has it: true, a non-zero number, or a
    non-empty string other than "0" and "false" (any case)."""
    if value is True:
        return True
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value != "" and value != "0" and value.lower() != "false"
    return False


def otlp_value(v):
    """An OTLP AnyValue -> a plain value (only scalars matter here)."""
    if not isinstance(v, dict):
        return None
    if "stringValue" in v:
        return v["stringValue"]
    if "boolValue" in v:
        return v["boolValue"]
    if "intValue" in v:
        try:
            return int(v["intValue"])
        except (TypeError, ValueError):
            return None
    if "doubleValue" in v:
        return v["doubleValue"]
    return v  # arrays, kvlists, bytes: present but not a scalar


def otlp_attributes(attrs):
    out = {}
    if isinstance(attrs, list):
        for kv in attrs:
            if isinstance(kv, dict) and isinstance(kv.get("key"), str):
                out[kv["key"]] = otlp_value(kv.get("value"))
    return out


def norm_id(value):
    """An id as the C reader keeps it: a string, "0x" dropped; "" is none."""
    if not isinstance(value, str):
        return None
    if value[:2] in ("0x", "0X"):
        value = value[2:]
    return value or None


def is_error(status):
    """status {"status_code": "ERROR"} (SDK, flat) or {"code": 2} (OTLP)."""
    if not isinstance(status, dict):
        return False
    code = status.get("status_code", status.get("code"))
    if isinstance(code, int) and not isinstance(code, bool):
        return code == 2
    if isinstance(code, str):
        for prefix in ("StatusCode.", "STATUS_CODE_"):
            if code.startswith(prefix):
                code = code[len(prefix):]
        return code.lower() == "error"
    return False


def is_workflow_span(name, attrs, root):
    """doc/reference.md §3 span type rules 1-5 (first match wins): is it a workflow span?"""
    name = name if isinstance(name, str) else ""
    keys = attrs.keys()
    if "mcp.tool.name" in keys or name == "tool.call" or name.endswith(".call_tool"):
        return False
    if ("mcp.llm.response_json" in keys or any(k.startswith("gen_ai.") for k in keys)
            or name == "llm.generate" or name.rpartition(".")[2].startswith("generate")):
        return False
    if any(k.startswith("mcp.resource.") for k in keys) or name == "resource.fetch":
        return False
    if any(k.startswith("mcp.prompt.") for k in keys) or name == "prompt.apply":
        return False
    return "mcp.workflow.type" in keys or name == "workflow.run" or root


class SessionStats:
    """Running facts about one session's spans, enough for SessionMeta."""

    def __init__(self):
        self.spans = 0
        self.roots = 0
        self.open_roots = 0
        self.paused = False
        self.failed = False
        self.first_start = None
        self.last_end = None
        self.title = None
        self.workflow_type = None
        self.engine = None

    def add_line(self, obj):
        """One parsed JSON line: an SDK/flat span or an OTLP batch."""
        if not isinstance(obj, dict):
            return
        batches = obj.get("resourceSpans")
        if batches is None:
            self.add_span(obj, obj.get("attributes"), otlp=False)
            return
        for rs in batches if isinstance(batches, list) else ():
            if not isinstance(rs, dict):
                continue
            scopes = rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or ()
            for ss in scopes if isinstance(scopes, list) else ():
                spans = ss.get("spans") if isinstance(ss, dict) else None
                for sp in spans if isinstance(spans, list) else ():
                    if isinstance(sp, dict):
                        self.add_span(sp, otlp_attributes(sp.get("attributes")), otlp=True)

    def add_span(self, sp, attrs, otlp):
        ctx = sp.get("context")
        span_id = norm_id(ctx.get("span_id")) if isinstance(ctx, dict) else None
        span_id = span_id or norm_id(sp.get("span_id")) or norm_id(sp.get("spanId"))
        if span_id is None:
            return  # not a span
        if not isinstance(attrs, dict):
            attrs = {}
        parent = sp.get("parent_id")
        if not isinstance(parent, str):
            parent = sp.get("parent_span_id")
            if not isinstance(parent, str):
                parent = sp.get("parentSpanId")
        root = norm_id(parent) is None
        if otlp:
            start = parse_time(sp.get("startTimeUnixNano"))
            end = parse_time(sp.get("endTimeUnixNano"))
        else:
            start = parse_time(sp.get("start_time"))
            end = parse_time(sp.get("end_time"))
        error = is_error(sp.get("status"))

        self.spans += 1
        if start is not None and (self.first_start is None or start < self.first_start):
            self.first_start = start
        if end is not None and (self.last_end is None or end > self.last_end):
            self.last_end = end
        if root:
            self.roots += 1
            if end is None:
                self.open_roots += 1
        if error and not self.failed:
            self.failed = root or is_workflow_span(sp.get("name"), attrs, root)
        if not self.paused and truthy(attrs.get("mcp.session.paused")):
            self.paused = True
        # First non-empty string wins, in file order.
        if self.title is None:
            self.title = _nonempty(attrs.get("mcp.session.title"))
        if self.workflow_type is None:
            self.workflow_type = _nonempty(attrs.get("mcp.workflow.type"))
        if self.engine is None:
            self.engine = (_nonempty(attrs.get("mcp.engine.type"))
                           or _nonempty(attrs.get("mcp.workflow.engine")))

    def status(self):
        """doc/reference.md §3: paused > running > failed > completed."""
        if self.paused:
            return "paused"
        if self.roots == 0 or self.open_roots > 0:
            return "running"
        if self.failed:
            return "failed"
        return "completed"

    def meta(self, sid, fallback_start_ns):
        if self.title is not None:
            title = self.title
        elif self.workflow_type is not None:
            title = "%s - %s" % (self.workflow_type, sid[:8])
        else:
            title = "Session %s" % sid[:8]
        status = self.status()
        start = self.first_start if self.first_start is not None else fallback_start_ns
        meta = {
            "id": sid,
            "status": status,
            "started_at": ns_to_iso(start),
            "engine": self.engine or "asyncio",
            "title": title,
        }
        if status != "running" and self.last_end is not None:
            meta["ended_at"] = ns_to_iso(self.last_end)
        return meta


def _nonempty(value):
    return value if isinstance(value, str) and value else None


def session_meta(sid, paths):
    """SessionMeta of one session: every line of every file fully parsed."""
    stats = SessionStats()
    oldest_mtime = None
    for p in paths:
        try:
            with open(p, "rb") as f:
                data = f.read()
            mtime = os.stat(p).st_mtime_ns
        except OSError:
            continue
        oldest_mtime = mtime if oldest_mtime is None else min(oldest_mtime, mtime)
        if is_gzip_name(p) or data[:2] == GZIP_MAGIC:
            data, _ = gunzip_all(data)  # a torn tail: keep what decoded
        for line in data.split(b"\n"):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)  # accepts NaN / Infinity like Python's writer
            except ValueError:  # bad JSON or bad UTF-8: a bad line, skipped
                continue
            stats.add_line(obj)
    # A session with no span yet still lists; its file's mtime stands in
    # for the start time.
    return stats.meta(sid, oldest_mtime or 0)


def scan_sessions(directory):
    """The inspector's /sessions: SessionMeta for every session, newest first."""
    metas = [session_meta(sid, paths) for sid, paths in TraceDir(directory).sessions().items()]
    metas.sort(key=lambda m: (m["started_at"], m["id"]), reverse=True)
    return metas


def scan_sessions_real(directory):
    """/sessions as a real inspector answers it (--real): every file is a
    session of its own, a rotated chunk ID.jsonl.chunk_N.jsonl[.gz] as
    "ID.jsonl.chunk_N" with a status from that chunk alone, and a file it
    cannot summarise (a torn last gzip member) is left out."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    metas = []
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            continue
        sid = None
        for suffix in (".jsonl.gz", ".jsonl", ".json"):
            if name.endswith(suffix) and len(name) > len(suffix):
                sid = name[:-len(suffix)]
                break
        if sid is None:
            continue
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if is_gzip_name(path) or data[:2] == GZIP_MAGIC:
            _, problem = gunzip_all(data)
            if problem is not None:
                continue  # the real scan raises on it and skips the file
        metas.append(session_meta(sid, [path]))
    metas.sort(key=lambda m: (m["started_at"], m["id"]), reverse=True)
    return metas


def real_trace_files(paths):
    """--real: /trace/ID serves the base file only (chunks have ids of
    their own, which /trace/ refuses)."""
    base = [p for p in paths if not CHUNK_RE.match(os.path.basename(p))]
    return base[:1]


# ---------------------------------------------------------------------------
# Request log
# ---------------------------------------------------------------------------

class RequestLog:
    """Every non-control request seen: method, raw path, headers."""

    LIMIT = 100_000

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, method, path, headers):
        hdrs = {}
        for k, v in headers.items():
            hdrs[k] = hdrs[k] + ", " + v if k in hdrs else v
        entry = {"method": method, "path": path, "headers": hdrs, "time": time.time()}
        with self._lock:
            self._entries.append(entry)
            del self._entries[:-self.LIMIT]

    def snapshot(self):
        with self._lock:
            return list(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()


# ---------------------------------------------------------------------------
# Controls: stall, trickle, fail, extra sessions
# ---------------------------------------------------------------------------

class Controls:
    """The mutable test knobs, behind one lock (with a condition to wake
    requests that sleep in a stall when the stall is reset)."""

    def __init__(self, prefix):
        self.prefix = prefix
        self._cond = threading.Condition()
        self._generation = 0  # bumped by reset: stalled requests go on
        self._stall_until = 0.0
        self._stall_paths = None  # None: every API path
        self._trickle = 0
        self._fails = []
        self._sessions = {}
        self.stopping = False

    def _norm(self, p):
        """A control's path: relative to the API prefix (either form given)."""
        p = str(p)
        if self.prefix and (p == self.prefix or p.startswith(self.prefix + "/")):
            p = p[len(self.prefix):]
        return p

    def _matches(self, api_path, paths):
        return paths is None or any(api_path.startswith(p) for p in paths)

    def reset(self):
        with self._cond:
            self._generation += 1
            self._stall_until = 0.0
            self._stall_paths = None
            self._trickle = 0
            self._fails = []
            self._sessions = {}
            self._cond.notify_all()

    def wake_all(self):
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    # stall -----------------------------------------------------------------
    def set_stall(self, seconds, paths):
        with self._cond:
            self._stall_until = time.monotonic() + max(0.0, seconds)
            self._stall_paths = None if paths is None else [self._norm(p) for p in paths]
            self._cond.notify_all()
            return self._matches("/events", self._stall_paths)

    def wait_stall(self, api_path):
        """Sleep while a stall window covers api_path (reset ends it)."""
        with self._cond:
            gen = self._generation
            while not self.stopping and gen == self._generation:
                left = self._stall_until - time.monotonic()
                if left <= 0 or not self._matches(api_path, self._stall_paths):
                    return
                self._cond.wait(min(left, 0.5))

    # trickle ---------------------------------------------------------------
    def set_trickle(self, bps):
        with self._cond:
            self._trickle = max(0, int(bps))

    def trickle(self):
        with self._cond:
            return self._trickle

    # fail ------------------------------------------------------------------
    def add_fail(self, rule):
        with self._cond:
            self._fails.append(rule)

    def take_fail(self, api_path):
        """The first fail rule matching api_path, its count used up by one."""
        with self._cond:
            for rule in self._fails:
                if api_path.startswith(rule["path_prefix"]) and rule["count"] != 0:
                    if rule["count"] > 0:
                        rule["count"] -= 1
                    self._fails = [r for r in self._fails if r["count"] != 0]
                    return dict(rule)
            return None

    # extra sessions --------------------------------------------------------
    def put_session(self, meta):
        with self._cond:
            self._sessions[meta["id"]] = meta

    def delete_session(self, sid):
        with self._cond:
            self._sessions.pop(sid, None)

    def extra_sessions(self):
        with self._cond:
            return dict(self._sessions)

    def state(self):
        with self._cond:
            return {
                "stall_seconds_left": max(0.0, self._stall_until - time.monotonic()),
                "stall_paths": self._stall_paths,
                "trickle": self._trickle,
                "fails": [dict(r) for r in self._fails],
                "sessions": list(self._sessions),
            }


# ---------------------------------------------------------------------------
# Server-Sent Events
# ---------------------------------------------------------------------------

CONNECTED = (b'data: {"type": "Connected", "message": "Connected to Inspector event stream"}\n'
             b"retry: 2000\n\n")


def peer_closed(sock):
    """True when the other end has closed (readable, and a peek reads EOF)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def long_line(field, n):
    """An SSE item: one line "FIELD: " + n bytes of 'x', then a blank line,
    produced in pieces so that a 50 MB line is never held whole."""
    def pieces():
        yield ("%s: " % field).encode()
        left = n
        block = b"x" * (1 << 16)
        while left > 0:
            yield block[:left]
            left -= len(block)
        yield b"\n\n"
    return pieces


def heartbeat_bytes():
    return ("data: %s\nretry: 2000\n\n"
            % json.dumps({"type": "Heartbeat", "timestamp": utc_now_iso()})).encode()


class SseClient:
    """One open /events connection: a queue of things to send, and its socket
    so that drop/down can cut it off from another thread."""

    def __init__(self, sock, last_event_id):
        self.sock = sock
        self.last_event_id = last_event_id
        self.cond = threading.Condition()
        self.pending = collections.deque()  # (bytes or a generator function, chunk_size, delay_s)
        self.closed = False

    def push(self, item):
        with self.cond:
            self.pending.append(item)
            self.cond.notify()

    def poke(self):
        with self.cond:
            self.cond.notify()

    def close(self):
        """Abrupt close: no final chunk, the socket just goes away."""
        with self.cond:
            self.closed = True
            self.cond.notify()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class EventHub:
    """Open SSE connections, the global event id, and the stream pause."""

    def __init__(self):
        self._lock = threading.Lock()
        self._clients = set()
        self._next_id = 1
        self._paused_until = 0.0

    def register(self, client):
        with self._lock:
            self._clients.add(client)

    def unregister(self, client):
        with self._lock:
            self._clients.discard(client)

    def clients(self):
        with self._lock:
            return list(self._clients)

    def publish(self, event):
        """Number the event and queue it for every open stream.

        Done under the hub lock so every stream gets the ids in order."""
        with self._lock:
            n = self._next_id
            self._next_id += 1
            event = dict(event)
            event.setdefault("timestamp", utc_now_iso())
            event["event_id"] = n
            data = ("id: %d\ndata: %s\nretry: 2000\n\n" % (n, json.dumps(event))).encode()
            for c in self._clients:
                c.push((data, 0, 0.0))
            return n, len(self._clients)

    def publish_raw(self, data, chunk, delay):
        with self._lock:
            for c in self._clients:
                c.push((data, chunk, delay))
            return len(self._clients)

    def drop_all(self):
        for c in self.clients():
            c.close()
        return

    def pause(self, seconds):
        with self._lock:
            self._paused_until = time.monotonic() + max(0.0, seconds)
        for c in self.clients():
            c.poke()

    def unpause(self):
        with self._lock:
            self._paused_until = 0.0
        for c in self.clients():
            c.poke()

    def paused_for(self):
        with self._lock:
            return self._paused_until - time.monotonic()

    def state(self):
        with self._lock:
            return {
                "sse_clients": len(self._clients),
                "last_event_id": self._next_id - 1,
                "events_paused_seconds_left": max(0.0, self._paused_until - time.monotonic()),
                "last_event_ids": [c.last_event_id for c in self._clients],
            }


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

class HTTPError(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


class InspectorHandler(BaseHTTPRequestHandler):
    """Routes one request: /_control/*, else the API under the prefix."""

    protocol_version = "HTTP/1.1"  # keep-alive; SSE is chunked
    server_version = "mcp-agent-inspector-test"

    def version_string(self):
        return self.server_version

    # The server object carries: traces, controls, hub, log, token, prefix,
    # keepalive, verbose.

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_HEAD(self):
        self._dispatch("HEAD")

    # -- plumbing -----------------------------------------------------------

    def _dispatch(self, method):
        try:
            raw_path, _, query = self.path.partition("?")
            if raw_path == "/_control" or raw_path.startswith("/_control/"):
                self._control(method, raw_path[len("/_control"):], query)
                return
            self._drain_body()
            self.server.log.add(method, self.path, self.headers)
            self._api(method, raw_path)
        except HTTPError as e:
            self._send_json(e.status, {"detail": e.detail})
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True
        except OSError:
            self.close_connection = True

    def _drain_body(self):
        """Read (and return) a request body so keep-alive stays in step."""
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            self.close_connection = True
            raise HTTPError(400, "bad Content-Length")
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status, body, content_type, headers=(), slow=False):
        """A complete answer with Content-Length; slow: obey the trickle."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        self._write_body(body, slow)

    def _write_body(self, body, slow):
        pos = 0
        while pos < len(body):
            bps = self.server.controls.trickle() if slow else 0
            if bps <= 0:
                self.wfile.write(body[pos:])
                break
            step = max(1, bps // 10)  # ten writes a second
            self.wfile.write(body[pos:pos + step])
            self.wfile.flush()
            pos += step
            time.sleep(step / bps)

    def _send_json(self, status, obj, headers=(), slow=False):
        body = json.dumps(obj).encode()
        self._send(status, body, "application/json", headers, slow)

    # -- the API ------------------------------------------------------------

    def _api(self, method, raw_path):
        srv = self.server
        prefix = srv.prefix
        if prefix and not (raw_path == prefix or raw_path.startswith(prefix + "/")):
            raise HTTPError(404, "Not Found")
        api_path = raw_path[len(prefix):] or "/"

        srv.controls.wait_stall(api_path)
        rule = srv.controls.take_fail(api_path)
        if rule is not None:
            self._send_failure(rule)
            return
        if srv.token is not None:
            given = self.headers.get("X-Inspector-Token")
            if given is None or not hmac.compare_digest(given.encode(), srv.token.encode()):
                raise HTTPError(401, "Missing or invalid X-Inspector-Token header")

        if method not in ("GET", "HEAD"):
            raise HTTPError(405, "Method Not Allowed")
        if api_path == "/health":
            self._send_json(200, {"name": "mcp-agent-inspector", "version": VERSION})
        elif api_path == "/sessions":
            self._sessions()
        elif api_path.startswith("/trace/"):
            self._trace(api_path[len("/trace/"):])
        elif api_path == "/events":
            self._events()
        else:
            raise HTTPError(404, "Not Found")

    def _send_failure(self, rule):
        if rule["status"] == 0:  # no answer at all: the connection just closes
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if rule.get("endless"):
            self._send_endless(rule)
            return
        if "body_b64" in rule:
            body = base64.b64decode(rule["body_b64"])
        else:
            body = rule["body"].encode()
        self._send(rule["status"], body, rule["content_type"], list(rule["headers"].items()))

    def _send_endless(self, rule):
        """A chunked body that never ends: head, then fill forever (the
        trickle applies).  Ends when the client hangs up."""
        self.close_connection = True
        headers = dict(rule["headers"])
        if rule["gzip"] and not any(k.lower() == "content-encoding" for k in headers):
            headers["Content-Encoding"] = "gzip"
        self.send_response(rule["status"])
        self.send_header("Content-Type", rule["content_type"])
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        z = zlib.compressobj(6, zlib.DEFLATED, 31) if rule["gzip"] else None
        fill = rule["fill"].encode()
        block = fill * max(1, (1 << 16) // len(fill))
        data = rule["head"].encode()
        while True:
            if z is not None:
                data = z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH)
            if data:
                self._write_body(b"%x\r\n%s\r\n" % (len(data), data), True)
                self.wfile.flush()
            data = block

    def _sessions(self):
        srv = self.server
        scan = scan_sessions_real if srv.real else scan_sessions
        metas = {m["id"]: m for m in scan(srv.traces.path)}
        metas.update(srv.controls.extra_sessions())
        sessions = sorted(metas.values(),
                          key=lambda m: (str(m.get("started_at") or ""), str(m.get("id"))),
                          reverse=True)
        self._send_json(200, {"sessions": sessions}, slow=True)

    def _trace(self, segment):
        # Check the raw segment: "%2f", "..", "/" never reach the filesystem.
        if not ID_RE.fullmatch(segment):
            raise HTTPError(400, "Invalid session id")
        sid = urllib.parse.unquote(segment)
        if not ID_RE.fullmatch(sid):
            raise HTTPError(400, "Invalid session id")
        paths = self.server.traces.files(sid)
        if paths and self.server.real:
            paths = real_trace_files(paths)
        if not paths:
            raise HTTPError(404, "Session not found: %s" % sid)
        raw, etag = read_files(paths)
        gz = is_gzip_name(paths[0])
        ctype = "application/x-ndjson"
        if self.server.lies.take():
            self._trace_lie(self.server.lies.mode, paths, raw, etag, gz, ctype)
            return

        inm = self.headers.get("If-None-Match")
        if inm is not None and etag_matches(inm, etag):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return

        rng = self.headers.get("Range")
        m = re.fullmatch(r"\s*bytes\s*=\s*(\d+)\s*-\s*", rng) if rng else None
        if m:
            # Range counts decompressed bytes; past the end is 206 with no body.
            start = int(m.group(1))
            text = decoded_text(paths) if gz else raw
            self._send(206, text[start:], ctype,
                       [("ETag", etag), ("Content-Range", "bytes %d-/*" % start),
                        ("Accept-Ranges", "bytes")], slow=True)
            return
        headers = [("ETag", etag), ("Accept-Ranges", "bytes")]
        if gz:
            headers.append(("Content-Encoding", "gzip"))
        self._send(200, raw, ctype, headers, slow=True)

    def _trace_lie(self, mode, paths, raw, etag, gz, ctype):
        """One /trace answer that lies (--lie MODE; see TraceLies)."""
        self.close_connection = True
        if mode in ("long-length", "bad-chunk", "cut-chunked"):
            if self.headers.get("Range"):  # the resume: tell the truth
                self.server.lies.give_back()
                return self._trace_truthful(paths, raw, etag, gz, ctype)
            cut = len(raw) * 6 // 10
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("ETag", etag)
            if gz:
                self.send_header("Content-Encoding", "gzip")
            if mode == "long-length":
                self.send_header("Content-Length", str(len(raw) + 1000))
                self.end_headers()
                self.wfile.write(raw)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.write(b"%x\r\n%s\r\n" % (cut, raw[:cut]))
                if mode == "bad-chunk":
                    self.wfile.write(b"zz\r\n" + raw[cut:])
            self.wfile.flush()
            return
        if mode == "fake-gzip":
            text = decoded_text(paths) if gz else raw
            self._send(200, text, ctype, [("ETag", etag), ("Content-Encoding", "gzip")])
            return
        # range-early, range-late, range-zero: a 206 from elsewhere than asked.
        rng = self.headers.get("Range")
        m = re.fullmatch(r"\s*bytes\s*=\s*(\d+)\s*-\s*", rng) if rng else None
        if not m:
            self.server.lies.give_back()
            return self._trace_truthful(paths, raw, etag, gz, ctype)
        asked = int(m.group(1))
        start = {"range-early": max(0, asked - 37), "range-late": asked + 37,
                 "range-zero": 0}[mode]
        text = decoded_text(paths) if gz else raw
        self._send(206, text[start:], ctype,
                   [("ETag", etag), ("Content-Range", "bytes %d-%d/%d" % (
                       start, max(start, len(text) - 1), len(text)))])

    def _trace_truthful(self, paths, raw, etag, gz, ctype):
        rng = self.headers.get("Range")
        m = re.fullmatch(r"\s*bytes\s*=\s*(\d+)\s*-\s*", rng) if rng else None
        if m:
            start = int(m.group(1))
            text = decoded_text(paths) if gz else raw
            self._send(206, text[start:], ctype,
                       [("ETag", etag), ("Content-Range", "bytes %d-/*" % start)])
            return
        headers = [("ETag", etag)] + ([("Content-Encoding", "gzip")] if gz else [])
        self._send(200, raw, ctype, headers)

    def _events(self):
        srv = self.server
        client = SseClient(self.connection, self.headers.get("Last-Event-ID"))
        chunked = self.request_version == "HTTP/1.1"
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Accel-Buffering", "no")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return

        def send(data):
            if chunked:
                data = b"%x\r\n%s\r\n" % (len(data), data)
            self.wfile.write(data)
            self.wfile.flush()

        srv.hub.register(client)
        try:
            send(CONNECTED)
            last_send = time.monotonic()
            while True:
                item = None
                with client.cond:
                    while not client.closed and not srv.controls.stopping:
                        now = time.monotonic()
                        paused = srv.hub.paused_for()
                        if paused > 0:  # stalled: nothing at all, not even keep-alives
                            client.cond.wait(min(paused, 0.5))
                            continue
                        if client.pending:
                            item = client.pending.popleft()
                            break
                        left = last_send + srv.keepalive - now
                        if left <= 0:
                            item = (heartbeat_bytes(), 0, 0.0)
                            break
                        client.cond.wait(min(left, 0.25))
                        if peer_closed(self.connection):
                            return  # the client went away: do not wait for a write to fail
                if item is None:
                    return
                data, chunk, delay = item
                bps = srv.controls.trickle()
                if callable(data):  # a long item made in pieces
                    for piece in data():
                        send(piece)
                elif bps > 0:  # the trickle: ten writes a second
                    step = max(1, bps // 10)
                    for i in range(0, len(data), step):
                        send(data[i:i + step])
                        time.sleep(step / bps)
                elif chunk > 0:  # raw text split into separate writes
                    for i in range(0, len(data), chunk):
                        send(data[i:i + chunk])
                        if delay > 0 and i + chunk < len(data):
                            time.sleep(delay)
                else:
                    send(data)
                last_send = time.monotonic()
        finally:
            srv.hub.unregister(client)

    # -- /_control ----------------------------------------------------------

    def _control(self, method, path, query):
        srv = self.server
        body = self._drain_body()
        try:
            args = json.loads(body) if body.strip() else {}
        except ValueError:
            if path != "/raw":
                raise HTTPError(400, "control body is not JSON")
            args = {}
        q = urllib.parse.parse_qs(query)

        if method == "GET" and path == "/log":
            self._send_json(200, {"requests": srv.log.snapshot()})
        elif method == "POST" and path == "/log/clear":
            srv.log.clear()
            self._send_json(200, {"ok": True})
        elif method == "GET" and path == "/state":
            state = srv.hub.state()
            state.update(srv.controls.state())
            state["listening"] = srv.listening
            self._send_json(200, state)
        elif method != "POST":
            raise HTTPError(404 if path not in CONTROL_POSTS else 405, "unknown control")
        elif path == "/publish":
            if not isinstance(args, dict):
                raise HTTPError(400, "event must be a JSON object")
            n, clients = srv.hub.publish(args)
            self._send_json(200, {"id": n, "clients": clients})
        elif path == "/raw":
            chunk = int(q.get("chunk", ["0"])[0])
            delay = float(q.get("delay_ms", ["0"])[0]) / 1000.0
            clients = srv.hub.publish_raw(body, chunk, delay)
            self._send_json(200, {"clients": clients})
        elif path == "/drop":
            clients = len(srv.hub.clients())
            srv.hub.drop_all()
            self._send_json(200, {"dropped": clients})
        elif path == "/stall":
            seconds = float(_arg(args, "seconds", 0))
            paths = _arg(args, "paths", None)
            if paths is not None and not isinstance(paths, list):
                raise HTTPError(400, "paths must be a list")
            if srv.controls.set_stall(seconds, paths):
                srv.hub.pause(seconds)
            self._send_json(200, {"ok": True})
        elif path == "/trickle":
            srv.controls.set_trickle(_arg(args, "bytes_per_sec", 0))
            self._send_json(200, {"ok": True})
        elif path == "/fail":
            rule = {
                "path_prefix": srv.controls._norm(_arg(args, "path_prefix", "/")),
                "status": int(_arg(args, "status", 500)),
                "body": str(_arg(args, "body", "Internal Server Error")),
                "content_type": str(_arg(args, "content_type", "text/plain")),
                "headers": dict(_arg(args, "headers", {})),
                "count": int(_arg(args, "count", 1)),
            }
            if _arg(args, "body_b64", None) is not None:
                rule["body_b64"] = str(args["body_b64"])
            srv.controls.add_fail(rule)
            self._send_json(200, {"ok": True})
        elif path == "/endless":
            rule = {
                "endless": True,
                "path_prefix": srv.controls._norm(_arg(args, "path_prefix", "/")),
                "status": int(_arg(args, "status", 200)),
                "content_type": str(_arg(args, "content_type", "application/json")),
                "headers": dict(_arg(args, "headers", {})),
                "head": str(_arg(args, "head", "")),
                "fill": str(_arg(args, "fill", "x")) or "x",
                "gzip": bool(_arg(args, "gzip", False)),
                "count": int(_arg(args, "count", 1)),
            }
            srv.controls.add_fail(rule)
            self._send_json(200, {"ok": True})
        elif path == "/sse_line":
            n = int(_arg(args, "bytes", 50 << 20))
            field = str(_arg(args, "field", "data"))
            clients = srv.hub.publish_raw(long_line(field, n), 0, 0.0)
            self._send_json(200, {"clients": clients})
        elif path == "/down":
            seconds = float(_arg(args, "seconds", 1))
            self.close_connection = True
            self._send_json(200, {"ok": True, "seconds": seconds})
            threading.Thread(target=srv.go_down, args=(seconds,), daemon=True).start()
        elif path == "/session":
            sid = _arg(args, "id", None)
            if not isinstance(sid, str) or not sid:
                raise HTTPError(400, "session needs an id")
            if args.get("delete"):
                srv.controls.delete_session(sid)
            else:
                meta = {
                    "id": sid,
                    "status": "running",
                    "started_at": utc_now_iso(),
                    "engine": "asyncio",
                    "title": "Session %s" % sid[:8],
                }
                meta.update(args)
                srv.controls.put_session(meta)
            self._send_json(200, {"ok": True})
        elif path == "/reset":
            srv.controls.reset()
            srv.hub.unpause()
            self._send_json(200, {"ok": True})
        else:
            raise HTTPError(404, "unknown control")


CONTROL_POSTS = ("/publish", "/raw", "/drop", "/stall", "/trickle", "/fail", "/down",
                 "/session", "/reset", "/log/clear", "/endless", "/sse_line")


def _arg(args, key, default):
    return args.get(key, default) if isinstance(args, dict) else default


def etag_matches(header, etag):
    """If-None-Match uses the weak comparison: W/ is ignored on both sides."""
    want = etag[2:] if etag.startswith("W/") else etag
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        if (tag[2:] if tag.startswith("W/") else tag) == want:
            return True
    return False


class TraceLies:
    """--lie MODE [--lie-count N]: the first N /trace answers lie (issue 19).
    long-length: a Content-Length 1000 bytes too long; bad-chunk: chunked,
    a bad chunk size after 60% of the body; cut-chunked: chunked, the
    connection closed after 60% (those three answer a Range truthfully);
    range-early / range-late / range-zero: a 206 whose Content-Range starts
    37 bytes before / after / at 0 instead of where the Range asked;
    fake-gzip: Content-Encoding: gzip on plain text."""

    MODES = ("long-length", "bad-chunk", "cut-chunked", "range-early",
             "range-late", "range-zero", "fake-gzip")

    def __init__(self, mode, count):
        self.mode = mode
        self.left = count if mode else 0
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True

    def give_back(self):
        with self.lock:
            self.left += 1


class InspectorServer(ThreadingHTTPServer):
    """The listening side: a thread per connection (daemon threads), every
    open connection tracked so that down/exit can cut them all, and the
    ability to stop listening for a while and listen again on the same port."""

    daemon_threads = True
    allow_reuse_address = True  # a restarted server can take the port at once
    request_queue_size = 64

    def __init__(self, port, opts):
        self.traces = TraceDir(opts.dir)
        self.prefix = opts.prefix
        self.token = opts.token
        self.keepalive = opts.keepalive
        self.verbose = opts.verbose
        self.real = opts.real
        self.controls = Controls(opts.prefix)
        self.lies = TraceLies(opts.lie, opts.lie_count)
        self.hub = EventHub()
        self.log = RequestLog()
        self.stop_event = threading.Event()
        self._conn_lock = threading.Lock()
        self._conns = set()
        self._state_lock = threading.Lock()  # serving / down transitions
        self._serve_thread = None
        self.listening = False
        super().__init__(("127.0.0.1", port), InspectorHandler)

    # connection tracking ----------------------------------------------------
    def process_request(self, request, client_address):
        with self._conn_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conn_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def cut_connections(self):
        with self._conn_lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # listening --------------------------------------------------------------
    def start(self):
        with self._state_lock:
            self._serve_thread = threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            self._serve_thread.start()
            self.listening = True

    def _stop_listening(self):
        """Stop the accept loop and close the listening socket."""
        with self._state_lock:
            if not self.listening:
                return False
            self.shutdown()
            self._serve_thread.join()
            self.socket.close()
            self.listening = False
            return True

    def go_down(self, seconds):
        """Like a killed server: refuse connections, cut open ones (SSE too),
        then after `seconds` listen again on the same port."""
        time.sleep(0.05)  # let the /_control/down answer leave first
        if not self._stop_listening():
            return
        self.hub.drop_all()
        self.cut_connections()
        if self.stop_event.wait(seconds):
            return
        deadline = time.monotonic() + 10
        while not self.stop_event.is_set():
            try:
                sock = socket.socket(self.address_family, self.socket_type)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind(self.server_address)
                sock.listen(self.request_queue_size)
            except OSError:
                sock.close()
                if time.monotonic() > deadline:
                    sys.stderr.write("inspector_server: cannot listen again on port %d\n"
                                     % self.server_address[1])
                    self.stop_event.set()
                    return
                time.sleep(0.05)
                continue
            self.socket = sock
            self.start()
            return

    def close_all(self):
        """Exit path: stop listening, wake stalled requests, cut every stream."""
        self.stop_event.set()
        self.controls.wake_all()
        self._stop_listening()
        self.hub.drop_all()
        self.cut_connections()


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="inspector_server.py",
        description="A stand-in mcp-agent inspector HTTP API for tests.")
    p.add_argument("dir", nargs="?", help="trace directory to serve")
    p.add_argument("--scan", metavar="DIR",
                   help="print the /sessions JSON for DIR and exit")
    p.add_argument("--host", default="127.0.0.1", help="only 127.0.0.1 (or localhost)")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--port-file", help="write the port here (atomically) once listening")
    p.add_argument("--token", help="require X-Inspector-Token on API paths")
    p.add_argument("--keepalive", type=float, default=30.0,
                   help="seconds of silence before a keep-alive Heartbeat (30)")
    p.add_argument("--prefix", default="/_inspector", help='API prefix ("" for none)')
    p.add_argument("--verbose", action="store_true", help="log requests on stderr")
    p.add_argument("--real", action="store_true",
                   help="behave like a real inspector: chunk files listed as "
                        "sessions (ID.jsonl.chunk_N), /trace/ID serves the base "
                        "file only, files with a torn gzip member left out of "
                        "/sessions")
    p.add_argument("--lie", choices=TraceLies.MODES,
                   help="the first --lie-count /trace answers lie this way (TraceLies)")
    p.add_argument("--lie-count", type=int, default=1, metavar="N",
                   help="how many /trace answers lie (1)")
    opts = p.parse_args(argv)
    if opts.scan is None and opts.dir is None:
        p.error("a trace directory is needed")
    if opts.host not in ("127.0.0.1", "localhost"):
        p.error("refusing to bind %s: this test server binds 127.0.0.1 only" % opts.host)
    opts.prefix = opts.prefix.rstrip("/")
    if opts.prefix and not opts.prefix.startswith("/"):
        opts.prefix = "/" + opts.prefix
    if opts.keepalive <= 0:
        p.error("--keepalive must be positive")
    return opts


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    if opts.scan is not None:
        scan = scan_sessions_real if opts.real else scan_sessions
        json.dump({"sessions": scan(opts.scan)}, sys.stdout)
        sys.stdout.write("\n")
        return 0
    if not os.path.isdir(opts.dir):
        sys.stderr.write("inspector_server: %s: not a directory\n" % opts.dir)
        return 1
    try:
        server = InspectorServer(opts.port, opts)
    except OSError as e:
        sys.stderr.write("inspector_server: cannot listen on 127.0.0.1:%d: %s\n"
                         % (opts.port, e.strerror or e))
        return 1

    stop = server.stop_event
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    server.start()
    port = server.server_address[1]
    if opts.port_file:
        write_port_file(opts.port_file, port)
    print("listening on http://127.0.0.1:%d" % port, flush=True)

    while not stop.wait(0.1):  # short waits: signals are handled promptly
        pass
    server.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
