#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""hostile_fixtures.py — write hostile trace files for tests/hostile_traces.test.

Usage: hostile_fixtures.py DIR [--big]

Every hostile file is a session of its own, and holds GOOD spans around the
hostile part wherever the case allows it (before it, and after it when the
reader can get there).  Good spans are named "<case>-root", "<case>-before"
and "<case>-after" so a test can check that every one of them is shown.
DIR also gets two sessions that are wholly good.  --big adds the cases that
take time and disk (a 100 MB line, gzip bombs); they are written here, at
test time, and never committed.

Prints, one per line, "case file good-span-names..." for the test to read.
"""
import json
import os
import random
import sys
import zlib

T0 = "2025-01-01T12:00:%02d.000000Z"


def span(case, sid, name, parent=None, sec=0, **attrs):
    d = {"trace_id": "t-" + case, "span_id": sid, "name": name,
         "start_time": T0 % sec, "end_time": T0 % (sec + 1),
         "attributes": attrs}
    if parent is not None:
        d["parent_span_id"] = parent
    return json.dumps(d).encode() + b"\n"


def good(case, what, sec):
    """A good child span of the case's root."""
    return span(case, case + "-" + what, case + "-" + what,
                parent=case + "-root", sec=sec)


def root(case):
    # Written last, as the real writer does (spans are written when they end).
    return span(case, case + "-root", case + "-root", sec=0,
                **{"mcp.workflow.type": "hostile"})


def gz(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def around(case, hostile):
    """good before, the hostile bytes, good after, the root."""
    return good(case, "before", 1) + hostile + good(case, "after", 2) + root(case)


GOOD3 = ["root", "before", "after"]


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def deep(n):
    return "[" * n + "]" * n


def small_cases(d):
    cases = []

    def add(case, name, data, names=GOOD3):
        write(d, name, data)
        cases.append((case, name, [case + "-" + n for n in names]))

    # Two wholly good sessions: nothing about them may change.
    add("goodplain", "goodplain.jsonl", around("goodplain", b""))
    add("goodgz", "goodgz.jsonl.gz",
        b"".join(gz(l) for l in around("goodgz", b"").splitlines(True)))

    # Empty files: a trace file just created by the writer looks like this.
    add("empty", "empty.jsonl", b"", [])
    add("emptygz", "emptygz.jsonl.gz", b"", [])
    add("emptymember", "emptymember.jsonl.gz", gz(b""), [])

    # Random bytes with a .gz name (not gzip at all), and a good gzip member
    # followed by random bytes that start like a member.
    rnd = random.Random(6)
    junk = bytes(rnd.getrandbits(8) for _ in range(65536))
    if junk[0] == 0x1f:
        junk = b"\x00" + junk
    add("randomgz", "randomgz.jsonl.gz", junk, [])
    add("gzjunk", "gzjunk.jsonl.gz",
        gz(good("gzjunk", "before", 1) + root("gzjunk")) + b"\x1f\x8b" + junk,
        ["root", "before"])

    # 100 000-deep nesting: a bare line, inside a span's attributes, and as
    # the text of *_json attributes the inspector parses on demand.
    add("deep", "deep.jsonl", around("deep",
        (deep(100000) + "\n").encode() +
        b'{"span_id":"deep-attr","trace_id":"t-deep","parent_span_id":"deep-root",'
        b'"name":"deep-attr","attributes":{"x":' + deep(100000).encode() + b"}}\n" +
        span("deep", "deep-json", "deep-json", parent="deep-root", sec=3,
             **{"mcp.state.result_json": deep(100000),
                "mcp.llm.prompt_json": deep(100000),
                "mcp.llm.response_json": '{"content":' + deep(100000) + "}"}) +
        # Deeper than jansson's 2048 but within the index's 10000: a span
        # in the tree whose detail cannot be parsed.
        b'{"span_id":"deep-5000","trace_id":"t-deep","parent_span_id":"deep-root",'
        b'"name":"deep-5000","attributes":{"x":' + deep(5000).encode() + b"}}\n"),
        GOOD3 + ["json", "5000"])

    # Invalid UTF-8 in a name, an attribute key and value; raw NUL byte too.
    add("badutf8", "badutf8.jsonl", around("badutf8",
        b'{"span_id":"badutf8-bytes","trace_id":"t-badutf8",'
        b'"parent_span_id":"badutf8-root","name":"badutf8-bytes \xff\xfe\xc3(\xed\xa0\x80",'
        b'"start_time":"2025-01-01T12:00:03Z","attributes":{"k\xff":"v\xc0\xaf"}}\n'))
    # (JSON must be UTF-8: the index counts that line as bad and says why.)

    # \u0000 in strings: name, key, value.
    add("nul", "nul.jsonl", around("nul",
        b'{"span_id":"nul-esc","trace_id":"t-nul","parent_span_id":"nul-root",'
        b'"name":"nul-esc \\u0000hidden","start_time":"2025-01-01T12:00:03Z",'
        b'"attributes":{"k\\u0000":"v\\u0000w","mcp.state.s_json":"{\\"a\\\\u0000\\":1}"}}\n'),
        GOOD3 + ["esc"])

    # Lone surrogates, high and low, also as the last thing in a string.
    add("surrogate", "surrogate.jsonl", around("surrogate",
        b'{"span_id":"surrogate-lone","trace_id":"t-surrogate",'
        b'"parent_span_id":"surrogate-root","name":"surrogate-lone \\ud800 \\udc00x \\ud83d",'
        b'"start_time":"2025-01-01T12:00:03Z",'
        b'"attributes":{"\\udfff":"\\ud800\\ud800","mcp.state.s_json":"\\"\\\\ud800\\""}}\n'),
        GOOD3 + ["lone"])

    # Integers over 64 bits, and token counts whose sum overflows int64.
    add("bigint", "bigint.jsonl", around("bigint",
        b'{"span_id":"bigint-attrs","trace_id":"t-bigint","parent_span_id":"bigint-root",'
        b'"name":"bigint-attrs","start_time":"2025-01-01T12:00:03Z",'
        b'"attributes":{"u64":18446744073709551616,"neg":-92233720368547758090,'
        b'"huge":123456789012345678901234567890123456789012345678901234567890,'
        b'"gen_ai.usage.input_tokens":9223372036854775807,'
        b'"gen_ai.usage.output_tokens":18446744073709551617}}\n'
        b'{"span_id":"bigint-tokens","trace_id":"t-bigint","parent_span_id":"bigint-root",'
        b'"name":"bigint-tokens","start_time":"2025-01-01T12:00:04Z",'
        b'"attributes":{"gen_ai.usage.input_tokens":9223372036854775807,'
        b'"gen_ai.usage.output_tokens":9223372036854775807}}\n'
        b'{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"t-bigint",'
        b'"spanId":"bigint-otlp","parentSpanId":"bigint-root","name":"bigint-otlp",'
        b'"startTimeUnixNano":"99999999999999999999999","endTimeUnixNano":'
        b'184467440737095516160000,"attributes":[{"key":"i","value":{"intValue":'
        b'"99999999999999999999999"}}]}]}]}]}\n'),
        GOOD3 + ["attrs", "tokens", "otlp"])

    # Duplicate span ids: two spans "dup-x", and children of that id.
    c = "dup"
    add(c, "dup.jsonl",
        good(c, "before", 1) +
        span(c, "dup-x", "dup-x-first", parent="dup-root", sec=2) +
        span(c, "dup-x", "dup-x-second", parent="dup-root", sec=3) +
        span(c, "dup-child", "dup-child", parent="dup-x", sec=4) +
        span(c, "dup-root", "dup-root-again", sec=5) +
        good(c, "after", 6) + root(c),
        GOOD3 + ["x-first", "x-second", "child", "root-again"])

    # Parent cycles: a self-parent, a 2-cycle, a 3-cycle, and a child
    # hanging off a cycle.
    c = "cycle"
    add(c, "cycle.jsonl",
        good(c, "before", 1) +
        span(c, "cycle-self", "cycle-self", parent="cycle-self", sec=2) +
        span(c, "cycle-a", "cycle-a", parent="cycle-b", sec=3) +
        span(c, "cycle-b", "cycle-b", parent="cycle-a", sec=4) +
        span(c, "cycle-p", "cycle-p", parent="cycle-r", sec=5) +
        span(c, "cycle-q", "cycle-q", parent="cycle-p", sec=6) +
        span(c, "cycle-r", "cycle-r", parent="cycle-q", sec=7) +
        span(c, "cycle-leaf", "cycle-leaf", parent="cycle-q", sec=8) +
        good(c, "after", 9) + root(c),
        GOOD3 + ["self", "a", "b", "p", "q", "r", "leaf"])
    return cases


def bomb_member(gib):
    """One gzip member of `gib` GiB of zeros, built without compressing it
    all: after a full flush deflate's output for the same input repeats, so
    one MiB's blocks are written again and again.  The CRC-32 is that of
    the zeros, computed over the same MiB repeatedly."""
    mib = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    third = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    assert again == third
    tail = c.flush()
    n = gib * 1024
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(mib, crc)
    body = first + again * (n - 1) + tail
    size = (n << 20) & 0xffffffff
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + body + crc.to_bytes(4, "little") + size.to_bytes(4, "little")


def big_cases(d):
    cases = []

    def add(case, name, data, names=GOOD3):
        write(d, name, data)
        cases.append((case, name, [case + "-" + n for n in names]))

    # A 100 MB single line: a span whose attribute is 100 MB long.
    blob = b'{"span_id":"longline-huge","trace_id":"t-longline","name":"huge",' \
        b'"parent_span_id":"longline-root","attributes":{"blob":"' + \
        b"x" * (100 * 1000 * 1000) + b'"}}\n'
    add("longline", "longline.jsonl", around("longline", blob))
    add("longlinegz", "longlinegz.jsonl.gz", gz(around("longlinegz", blob), 1))
    del blob

    # Gzip bombs: 10 GiB of zeros in one member, and 10 members of 1 GiB;
    # good spans in a member before them.
    head = gz(good("bomb", "before", 1) + root("bomb"))
    add("bomb", "bomb.jsonl.gz", head + bomb_member(10), ["root", "before"])
    one = bomb_member(1)
    add("bombs", "bombs.jsonl.gz",
        gz(good("bombs", "before", 1) + root("bombs")) + one * 10,
        ["root", "before"])
    return cases


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    cases = small_cases(d)
    if "--big" in sys.argv[2:]:
        cases += big_cases(d)
    for case, name, names in cases:
        print(case, name, *names)


if __name__ == "__main__":
    main()
