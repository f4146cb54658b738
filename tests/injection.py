#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Terminal-injection fixtures and the raw-output check (doc/reference.md §7).

    injection.py write DIR     write DIR/inject.jsonl: one paused session
                               whose every shown field carries PAYLOAD after
                               a label ("T:" title, "N1:" a span name, ...)
    injection.py payload       print PAYLOAD as the screen must show it
    injection.py check FILE    exit 1, naming what was found, if FILE (bytes
                               a terminal received) holds a control sequence
                               that came from the trace rather than from
                               ncurses

PAYLOAD has one of each thing a terminal would obey: a CSI that asks the
terminal to answer (DSR, ESC [ 6 n), an OSC 52 clipboard write, an OSC 0
title, a DCS, the 8-bit C1 CSI (U+009B) and a bidi override (U+202E).
Curses itself never sends a DSR, an OSC, a DCS, a C1 or a bidi control, so
any of them in the terminal's input was injected.
"""

import json
import re
import sys

PAYLOAD = ("\x1b[6n\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07"
           "\x1bP+q544e\x1b\\\u009b6n\u202eevil\u202c")

# As text_sanitize renders it (a backslash is left as it is).
SHOWN = ("\\x1b[6n\\x1b]52;c;cHduZWQ=\\x07\\x1b]0;pwned\\x07"
         "\\x1bP+q544e\\x1b\\\\u{9b}6n\\u{202e}evil\\u{202c}")

# What must never reach the terminal, as bytes.
FORBIDDEN = [
    (re.compile(rb"\x1b\[6n"), "a CSI device status request (ESC [ 6 n)"),
    (re.compile(rb"\x1b\]"), "an OSC sequence (ESC ])"),
    (re.compile(rb"\x1bP"), "a DCS sequence (ESC P)"),
    (re.compile(rb"\xc2[\x80-\x9f]"), "a C1 control (U+0080-U+009F)"),
    (re.compile(rb"\xe2\x80[\xaa-\xae\x8e\x8f\xa8\xa9]|\xe2\x81[\xa6-\xa9]|\xd8\x9c"),
     "a bidi control or line separator"),
]

TRACE = "0x5eed0000000000000000000000000001"


def span(name, sid, parent, start, end, attrs, status="UNSET", desc=None,
         events=(), kind="SpanKind.INTERNAL"):
    st = {"status_code": status}
    if desc is not None:
        st["description"] = desc
    return {
        "name": name,
        "context": {"trace_id": TRACE, "span_id": sid, "trace_state": "[]"},
        "kind": kind,
        "parent_id": parent,
        "start_time": "2025-07-01T10:00:%06.3fZ" % start,
        "end_time": "2025-07-01T10:00:%06.3fZ" % end,
        "status": st,
        "attributes": attrs,
        "events": list(events),
        "links": [],
        "resource": {"attributes": {"service.name": "inj",
                                    "session.id": "inject"},
                     "schema_url": ""},
    }


def spans():
    p = PAYLOAD
    root = span("N1:" + p, "0x0000000000000001", None, 0, 9, {
        "mcp.session.title": "T:" + p,
        "mcp.workflow.type": "orchestrator",
        "mcp.session.paused": True,
        "mcp.signal.name": "S:" + p,
        "mcp.signal.prompt": "SP:" + p,
        "mcp.state.plan_json": json.dumps({"JK:" + p: ["JV:" + p]}),
    }, events=[{"name": "waiting_on_signal",
                "timestamp": "2025-07-01T10:00:08Z",
                "attributes": {"signal_name": "S:" + p}}])
    llm = span("N2:" + p, "0x0000000000000002", "0x0000000000000001", 1, 3, {
        "gen_ai.agent.name": "AG:" + p,
        "mcp.llm.provider": "openai",
        "mcp.llm.model": "M:" + p,
        "mcp.llm.prompt_json": json.dumps([
            {"role": "system", "content": "SYS:" + p},
            {"role": "user", "content": "U:" + p}]),
        "mcp.llm.response_json": json.dumps(
            {"role": "assistant", "content": "A:" + p}),
    }, kind="SpanKind.CLIENT")
    tool = span("N3:" + p, "0x0000000000000003", "0x0000000000000001", 4, 5, {
        "mcp.tool.name": "TN:" + p,
        "K:" + p: "V:" + p,
        "mcp.tool.input_json": json.dumps({"IK:" + p: "IV:" + p}),
    }, status="ERROR", desc="D:" + p, events=[{
        "name": "exception", "timestamp": "2025-07-01T10:00:05Z",
        "attributes": {"exception.type": "ET:" + p,
                       "exception.message": "EM:" + p}}])
    return [root, llm, tool]


def write(directory):
    with open(directory + "/inject.jsonl", "w", encoding="ascii") as f:
        for s in spans():
            f.write(json.dumps(s) + "\n")


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    found = [what for rx, what in FORBIDDEN if rx.search(data)]
    if found:
        print("%s: the terminal received %s" % (path, "; ".join(found)))
        return 1
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "write":
        write(argv[2])
        return 0
    if len(argv) == 2 and argv[1] == "payload":
        print(SHOWN)
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
