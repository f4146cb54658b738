#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""compare_pairs.py — second runs made from a demo trace, for compare.test.

Usage: compare_pairs.py IN.jsonl.gz OUT.jsonl MODE
  same     the same spans with other span ids (a rerun that did the same)
  removed  the analyst's filesystem_write_file call is gone
  retry    the writer's first filesystem_read_file call ran twice
  status   the analyst's filesystem_read_file call failed
  slower   the analyst's filesystem_write_file call took 3 s longer
  tokens   the notifier's generate used 100 more input tokens
"""
import datetime
import gzip
import json
import sys


def when(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")


def fmt(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def tool(span, agent, name):
    a = span.get("attributes", {})
    return a.get("mcp.agent.name") == agent and a.get("mcp.tool.name") == name


def main():
    src, dst, mode = sys.argv[1:4]
    with gzip.open(src, "rt") as f:
        spans = [json.loads(line) for line in f if line.strip()]
    ids = {}

    def newid(old):
        if old is None:
            return None
        ids.setdefault(old, "0x%016x" % (0x5eed000000000000 + len(ids)))
        return ids[old]

    out = []
    done = False
    for s in spans:
        if mode == "removed" and not done and tool(s, "analyst", "filesystem_write_file"):
            done = True
            continue
        if mode == "status" and not done and tool(s, "analyst", "filesystem_read_file"):
            s["status"] = {"status_code": "ERROR", "description": "file vanished"}
            done = True
        if mode == "slower" and not done and tool(s, "analyst", "filesystem_write_file"):
            s["end_time"] = fmt(when(s["end_time"]) + datetime.timedelta(seconds=3))
            done = True
        if mode == "tokens" and not done and s["name"] == "AnthropicAugmentedLLM.notifier.generate":
            s["attributes"]["gen_ai.usage.input_tokens"] += 100
            done = True
        out.append(s)
        if mode == "retry" and not done and tool(s, "writer", "filesystem_read_file"):
            again = json.loads(json.dumps(s))
            again["context"]["span_id"] = "0x00000000000000aa"
            again["start_time"] = fmt(when(s["end_time"]) + datetime.timedelta(microseconds=10))
            again["end_time"] = fmt(when(s["end_time"]) + datetime.timedelta(microseconds=20))
            out.append(again)
            done = True
    if mode != "same" and not done:
        sys.exit("compare_pairs.py: nothing to change for " + mode)
    for s in out:
        s["context"]["span_id"] = newid(s["context"]["span_id"])
        s["parent_id"] = newid(s.get("parent_id"))
    with open(dst, "w") as f:
        for s in out:
            f.write(json.dumps(s) + "\n")


main()
