#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_seeds.py — the seeds of the fuzz targets that need JSON or gzip
know-how (run.sh makes the rest with plain shell tools).

    make_seeds.py TOP_SRCDIR SEEDS_DIR

writes SEEDS_DIR/json_view (every *_json attribute value in data/ and
tests/formats/, behind the width and control bytes fuzz_json_view.c
reads), SEEDS_DIR/chat (prompt NUL response, behind fuzz_chat.c's control
byte, also pairing a generate span's response with its parent's prompt as
the real instrumentation splits them) and SEEDS_DIR/gz (gzip shapes the
demo data lacks: header fields, padding, torn members, and a member long
enough to get in-member access points).  Deterministic: the same tree
gives the same files.
"""
import glob
import gzip
import hashlib
import json
import os
import struct
import sys
import zlib


def trace_lines(top):
    """Every line of the demo data and format samples, as bytes."""
    paths = sorted(glob.glob(os.path.join(top, "data", "*.jsonl*")) +
                   glob.glob(os.path.join(top, "tests", "formats", "*.jsonl")))
    for path in paths:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            for line in f.read().split(b"\n"):
                yield line.rstrip(b"\r")


def attributes(span):
    """A span's attributes as a dict, from any of the three formats."""
    a = span.get("attributes")
    if isinstance(a, dict):
        return a
    out = {}
    if isinstance(a, list):
        for kv in a:
            value = kv.get("value") or {}
            if "stringValue" in value:
                out[kv.get("key")] = value["stringValue"]
    return out


def spans(top):
    """(span id, parent id, attributes) of every span that parses."""
    for line in trace_lines(top):
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        if "resourceSpans" in doc:
            for rs in doc["resourceSpans"]:
                for ss in rs.get("scopeSpans", []):
                    for s in ss.get("spans", []):
                        yield s.get("spanId"), s.get("parentSpanId"), attributes(s)
        else:
            ctx = doc.get("context") or {}
            sid = ctx.get("span_id") or doc.get("span_id")
            parent = doc.get("parent_id") or doc.get("parent_span_id")
            yield sid, parent, attributes(doc)


def write(directory, data):
    """One seed, named by its content so duplicates collapse."""
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def json_view_seeds(top, out):
    # Widths: typical panes, the fit threshold, narrow and pathological.
    widths = [80, 40, 120, 20, 200, 1, 60]
    # Low nibble: indent; high nibble: containers to toggle.
    controls = [0x02, 0x32, 0xf4, 0x00, 0x5f]
    n = 0
    for _, _, attrs in spans(top):
        for key in sorted(attrs):
            value = attrs[key]
            if not key.endswith("_json") or not isinstance(value, str):
                continue
            head = bytes([widths[n % len(widths)], controls[n % len(controls)]])
            write(out, head + value.encode("utf-8", "surrogatepass"))
            n += 1
    # What the pre-pass exists for, and depth.
    for text in [b'{"a": NaN, "b": -Infinity, "c": [Infinity, 1e999]}',
                 b'[123456789012345678901234567890, -0.0, 1E+2, "\\u0000n1"]',
                 b'{"\\u0000s": "\\u0000", "k": "\\ud800 lone"}',
                 b"[" * 300 + b"]" * 300,
                 b'{"t": "\\u001b[31mred\\u001b[0m \\u202e bidi \\t tab\\nline"}']:
        write(out, bytes([72, 0x31]) + text)


def chat_seeds(top, out):
    controls = [0xd0, 0x28, 0x78, 0x8c, 0x10, 0xff, 0x00]
    all_spans = list(spans(top))
    prompts = {sid: a.get("mcp.llm.prompt_json") for sid, _, a in all_spans}
    n = 0

    def add(prompt, response):
        nonlocal n
        body = (prompt or "").encode("utf-8", "surrogatepass") + b"\0" + \
            (response or "").encode("utf-8", "surrogatepass")
        write(out, bytes([controls[n % len(controls)]]) + body)
        n += 1

    for sid, parent, attrs in all_spans:
        prompt = attrs.get("mcp.llm.prompt_json")
        response = attrs.get("mcp.llm.response_json")
        if not isinstance(prompt, str):
            prompt = None
        if not isinstance(response, str):
            response = None
        if prompt is None and response is not None:
            prompt = prompts.get(parent)    # the parent's prompt
        if prompt is not None or response is not None:
            add(prompt, response)


def member(data, flags=0, extra=b"", name=b"", comment=b"", level=6):
    """One gzip member with the header fields flags asks for."""
    header = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 0, 0, 3)
    if flags & 0x04:
        header += struct.pack("<H", len(extra)) + extra
    if flags & 0x08:
        header += name + b"\0"
    if flags & 0x10:
        header += comment + b"\0"
    if flags & 0x02:
        header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = comp.compress(data) + comp.flush()
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF,
                          len(data) & 0xFFFFFFFF)
    return header + body + trailer


def gz_seeds(top, out):
    line = b'{"name": "tool.call", "span_id": "s1", "trace_id": "t"}\n'
    crlf = line.replace(b"\n", b"\r\n")
    write(out, member(line * 3, flags=0x1E, extra=b"AB\x02\x00hi",
                      name=b"trace.jsonl", comment=b"fuzz"))
    write(out, member(line) + b"\0" * 7 + member(crlf * 2))
    whole = member(line * 4) + member(line, level=0)
    for cut in (1, 2, 5, 10, len(whole) // 2, len(whole) - 3):
        write(out, whole[:cut])
    # Over GZ_SPAN (2 MiB) of output in one member: in-member points.
    # Repetitive, so the seed stays a few KiB (a long seed would raise
    # libFuzzer's max_len and slow every other input down), and in long
    # lines, so checking each line does not dominate the run.
    long_line = b'{"span_id": "s1", "name": "' + b"x" * 4000 + b'"}\n'
    write(out, member(long_line * 600, level=9))
    write(out, b"\x1f" + line)   # ID1 alone: plain text after all


def main():
    top, seeds = sys.argv[1], sys.argv[2]
    json_view_seeds(top, os.path.join(seeds, "json_view"))
    chat_seeds(top, os.path.join(seeds, "chat"))
    gz_seeds(top, os.path.join(seeds, "gz"))


if __name__ == "__main__":
    main()
