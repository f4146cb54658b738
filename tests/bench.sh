#!/bin/sh
# SPDX-License-Identifier: MIT
# bench.sh — the performance figures of doc/reference.md §8, from one run.
#
#   sh tests/bench.sh                  # or: make bench
#   BENCH_SCALE=1 sh tests/bench.sh    # also a 1 000 000-span session
#
# Environment: top_srcdir, top_builddir (default: the repository holding this
# script), BENCH_DIR (cached inputs; default $top_builddir/bench-out),
# BENCH_RUNS (timed runs per command, best kept; default 3), BENCH_KEY_PAUSE
# (seconds between keys sent to the browser; default 0.05).
#
# A benchmark, not a test: a missed target or a missing figure is printed,
# never turned into a failing exit status.  Needs pigz, GNU time (for peak
# RSS), python3 (the inspector's own scan) and tmux (the browser); igzip
# (Debian isal) gives a second reference; a figure whose tool is missing is
# reported as n/a.  The targets are doc/reference.md §8's v2 column; the table says
# PASS or FAIL per figure, with the inflate the binary was built with.
# Wall times on a loaded machine are not the program's: each timed run
# also records its CPU time (user + sys), shown next to the wall time.
set -eu

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
BIN=$top_builddir/mcp-inspect-tui
GEN=$top_builddir/tests/gentrace
SERVER=$top_srcdir/tests/inspector_server.py
OUT=${BENCH_DIR:-$top_builddir/bench-out}
RUNS=${BENCH_RUNS:-3}
PAUSE=${BENCH_KEY_PAUSE:-0.05}
export LC_ALL=C.UTF-8
unset MCP_TRACES_DIR MCP_INSPECTOR_TOKEN NO_COLOR MCP_INSPECT_TUI_TIMING

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mit-bench.XXXXXX")
SOCK=bench-$$
ROWS=$TMP/rows          # the final table, one "measure|result|target|status" a line
MISSING=$TMP/missing    # figures that could not be measured
: >"$ROWS"
: >"$MISSING"

have() { command -v "$1" >/dev/null 2>&1; }

# A private tmux server (-L) so the benchmark never touches the user's tmux.
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

cleanup() {
	if have tmux; then tm kill-server >/dev/null 2>&1 || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # run the EXIT trap on ^C too

say() { printf '%s\n' "$*"; }

# row MEASURE RESULT TARGET STATUS: one line of the final table.
row() { printf '%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" >>"$ROWS"; }

# missing WHAT: remember (and say now) that a figure could not be measured.
missing() { say "  MISSING: $*"; say "$*" >>"$MISSING"; }

# calc EXPR [NAME=VALUE...]: float arithmetic (sh has only integers).
calc() { e=$1; shift; awk "$@" "BEGIN { print $e }" </dev/null; }

# status VALUE LIMIT le|ge: PASS or FAIL; n/a when VALUE is empty.
status() {
	[ -n "$1" ] || { echo n/a; return; }
	awk -v v="$1" -v l="$2" -v op="$3" 'BEGIN {
		ok = op == "le" ? v <= l : v >= l; print ok ? "PASS" : "FAIL" }' </dev/null
}

mb() { if [ -n "$1" ]; then calc 'sprintf("%.1f MB", b / 1e6)' -v b="$1"; else echo "? MB"; fi; }

# --- wall time and peak RSS ------------------------------------------------
# GNU time's %e has centisecond resolution, too coarse for the directory
# listing, so wall time comes from the nanosecond clock around the run and
# only %M (peak RSS, KiB) from time.  Every measured command pays the same
# extra fork of time, the pigz floor included.
if [ "$(date +%N)" != N ]; then
	HIRES=1
	now() { date +%s.%N; }
else
	HIRES=0
	now() { date +%s; }
fi

# best_of CMD...: runs CMD $RUNS times, stdout to /dev/null; sets BEST (the
# shortest wall time, s) and PEAK (the largest peak RSS, KiB).  Both are
# empty when a run fails (its stderr is shown).
best_of() {
	BEST= PEAK= CPU=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		rc=0
		t0=$(now)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/stderr" </dev/null || rc=$?
		else
			"$@" >/dev/null 2>"$TMP/stderr" </dev/null || rc=$?
		fi
		t1=$(now)
		if [ "$rc" -ne 0 ]; then
			say "  '$*' failed (exit $rc):"
			sed 's/^/    /' "$TMP/stderr" | tail -n 5
			BEST= PEAK=
			return 0
		fi
		# The last line is ours; "Command exited..." lines come before it.
		tline=$(tail -n 1 "$TMP/time" 2>/dev/null || true)
		if [ "$HIRES" = 1 ] || [ ! -x /usr/bin/time ]; then
			t=$(calc 't1 - t0' -v t0="$t0" -v t1="$t1")
		else
			t=${tline%% *}
		fi
		# "%e %M %U %S" (not set --: "$@" is the command, run again).
		rss=$(printf '%s\n' "$tline" | awk '{ print $2 }')
		cpu=$(printf '%s\n' "$tline" | awk '{ print $3 + $4 }')
		if [ -z "$BEST" ] || [ "$(calc 't < b' -v t="$t" -v b="$BEST")" = 1 ]; then
			CPU=$cpu
		fi
		BEST=$(calc '(b == "" || t < b) ? t : b' -v b="$BEST" -v t="$t")
		PEAK=$(calc '(p == "" || r + 0 > p + 0) ? r : p' -v p="$PEAK" -v r="${rss:-}")
	done
}

secs() { calc 'sprintf("%.3f s", t)' -v t="$1"; }

# --- inputs -----------------------------------------------------------------

# gen_once KIND N TARGET [OPTION...]: runs `gentrace KIND N` (with its
# options) unless TARGET exists; false
# when it fails.  It writes to tmp.TARGET and renames, so an interrupted run
# never leaves a cached half (the prefix keeps the .gz that tells gentrace
# to compress).
gen_once() {
	target=$3
	tmp=$(dirname "$target")/tmp.$(basename "$target")
	[ -e "$target" ] && return 0
	rm -rf "$tmp"
	t0=$(now)
	kind=$1 count=$2
	shift 3
	if ! "$GEN" "$kind" "$count" "$tmp" "$@" || ! mv "$tmp" "$target"; then
		rm -rf "$tmp"
		say "  gentrace $kind $count $target failed"
		return 1
	fi
	say "  generated $(basename "$target") in $(calc 'sprintf("%.1f s", t1 - t0)' -v t0="$t0" -v t1="$(now)")"
}

# gz_size FILE...: their decompressed size in bytes, or nothing when pigz
# fails (also warms the page cache, so the timed runs all read from memory).
gz_size() {
	n=$(cat "$@" | pigz -dc 2>"$TMP/stderr" | wc -c | tr -d ' ')
	if [ -s "$TMP/stderr" ] || [ "$n" -eq 0 ]; then
		say "  pigz -dc $*: $(head -n 1 "$TMP/stderr")" >&2
		return 0
	fi
	echo "$n"
}

# --- the browser ---------------------------------------------------------------
# The program itself logs what it did (MCP_INSPECT_TUI_TIMING): times from
# the cause (start, open, key read) to the frame on screen, which no outside
# observer of a terminal can measure.  tmux gives it a real terminal.

# ui_start NAME SOURCE: runs the browser on SOURCE in a detached 160x50
# terminal; its log is $TMP/NAME.timing, its exit status lands in $TMP/NAME.rc.
ui_start() {
	UI=$(printf '%s' "$1" | tr -c 'A-Za-z0-9_-' -)
	LOG=$TMP/$UI.timing
	: >"$LOG"
	rm -f "$TMP/$UI.rc"
	if ! tm new-session -d -s "$UI" -x 160 -y 50 \
	    "env MCP_INSPECT_TUI_TIMING='$LOG' LC_ALL=C.UTF-8 '$BIN' '$2' 2>'$TMP/$UI.err'; echo \$? >'$TMP/$UI.rc'"; then
		# Every figure of this run then comes out n/a.
		echo "tmux new-session failed" >"$TMP/$UI.err"
		echo 1 >"$TMP/$UI.rc"
	fi
}

# ui_running: the browser has not exited.
ui_running() { [ ! -e "$TMP/$UI.rc" ]; }

# wait_log WORD SECONDS: polls the log until a line starts with WORD; false
# on timeout, when the browser exited first, or when the log is still empty
# after 10 s (a program without the timing log: no point waiting longer).
wait_log() {
	n=0
	while ! grep -q "^$1 " "$LOG"; do
		WHY="the browser exited"
		ui_running || return 1
		WHY="nothing within $2 s"
		[ "$n" -lt "$(($2 * 10))" ] || return 1
		WHY="the timing log is still empty after 10 s: is MCP_INSPECT_TUI_TIMING supported?"
		[ "$n" -lt 100 ] || [ -s "$LOG" ] || return 1
		n=$((n + 1))
		sleep 0.1
	done
}

# keys KEY [COUNT]: sends a tmux key COUNT times, pausing between them so
# each is normally its own frame (a burst would be drawn once, and the log
# would time the burst, not a key).
keys() {
	n=${2:-1}
	while [ "$n" -gt 0 ]; do
		ui_running || return 0
		tm send-keys -t "$UI" "$1" || return 0
		sleep "$PAUSE"
		n=$((n - 1))
	done
}

# type_text TEXT: literal text, for a search prompt.
type_text() { ui_running && tm send-keys -t "$UI" -l "$1"; sleep "$PAUSE"; }

# ui_quit: Q, then wait up to 60 s for the exit (a big tree takes a moment to
# free); a browser that does not exit is killed and reported.
ui_quit() {
	STATUS_LINE=$(tm capture-pane -p -t "$UI" 2>/dev/null | tail -n 1 | sed 's/  */ /g' || true)
	keys Q
	n=0
	while ui_running && [ "$n" -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
	if ui_running; then
		missing "$UI: the browser did not exit after Q; killed"
		tm kill-session -t "$UI" >/dev/null 2>&1 || true
	elif [ "$(cat "$TMP/$UI.rc")" != 0 ]; then
		say "  $UI: the browser exited with status $(cat "$TMP/$UI.rc"):"
		sed 's/^/    /' "$TMP/$UI.err" | tail -n 5
	fi
}

# log_first WORD FIELD: FIELD of the first WORD line of the log, or nothing.
log_first() { awk -v w="$1" -v f="$2" '$1 == w { print $f; exit }' "$LOG"; }

# log_stats WORD FIELD: "p50 p95 max n" over FIELD of every WORD line
# (nearest-rank percentiles), or nothing when there is none.
log_stats() {
	awk -v w="$1" -v f="$2" '$1 == w { print $f }' "$LOG" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) exit
			printf "%.1f %.1f %.1f %d\n", v[int((NR * 50 + 99) / 100)],
			    v[int((NR * 95 + 99) / 100)], v[NR], NR
		}'
}

# report_ms LABEL WORD FIELD TARGET: one figure (ms) from the log, with its target.
report_ms() {
	v=$(log_first "$2" "$3")
	if [ -z "$v" ]; then
		missing "$1: no '$2' line in the timing log"
		row "$1" n/a "${4:+≤ $4 ms}" n/a
		return 0
	fi
	v=$(calc 'sprintf("%.1f", v)' -v v="$v")
	if [ -n "$4" ]; then
		st=$(status "$v" "$4" le)
		row "$1" "$v ms" "≤ $4 ms" "$st"
	else
		row "$1" "$v ms" "" ""
	fi
	say "  $1: $v ms"
}

# report_dist LABEL WORD FIELD TARGET: p50/p95/max of a latency; PASS when
# p95 meets the target and the slowest is within twice it plus a frame
# (doc/reference.md §8 v2: p95 ≤ 16 ms, max ≤ 33 ms).
report_dist() {
	s=$(log_stats "$2" "$3")
	lmax=$(( $4 * 2 + 1 ))
	if [ -z "$s" ]; then
		missing "$1: no '$2' lines in the timing log"
		row "$1" n/a "p95 ≤ $4 ms, max ≤ $lmax ms" n/a
		return 0
	fi
	set -- "$1" "$4" $s
	if [ "$(status "$4" "$2" le)" = PASS ] && [ "$(status "$5" "$lmax" le)" = PASS ]; then
		st=PASS
	else
		st=FAIL
	fi
	row "$1" "p50 $3 · p95 $4 · max $5 ms ($6)" "p95 ≤ $2 ms, max ≤ $lmax ms" "$st"
	say "  $1: p50 $3 ms, p95 $4 ms, max $5 ms over $6"
}

# key_actions: the slowest of each key action, slowest first, to show where
# a key latency miss comes from.
key_actions() {
	s=$(awk '$1 == "key" { n[$2]++; if ($3 > m[$2]) m[$2] = $3 }
		END { for (a in m) printf "%s %.1f %d\n", a, m[a], n[a] }' "$LOG" |
	    sort -k2,2nr | awk '{ printf "%s%s %s ms (%d×)", (NR > 1 ? ", " : ""), $1, $2, $3 }') || s=
	[ -z "$s" ] || say "  slowest by key action: $s"
}

# Keys for a session's tree: moves, pages, ends, folds, errors, parents, tab
# switches at the top and at the far end of the trace (spans read back from
# deep in the file), the inspector scrolled, and a search.
session_keys() {
	keys j 30
	keys NPage 10
	keys 1; keys 2; keys 3; keys Tab
	keys J 20
	keys K 5
	keys End
	keys 1; keys 2; keys 3
	keys k 10
	keys p 3
	keys space; keys space
	keys e 5; keys E 3
	keys Home
	keys space; keys space
	keys NPage 5
	keys 2; keys j 10; keys 1
	keys /; type_text call_tool; keys Enter
	keys n 3; keys N
	keys Tab
}

# ui_load LABEL FILE TIMEOUT: the browser opens FILE and is quit once it
# has read all of it; the "loaded" time goes to $LOADS.
ui_load() {
	ui_start "$1" "$2"
	if wait_log loaded "$3"; then
		LOADS="$LOADS $(log_first loaded 2)"
	fi
	ui_quit
}

# ui_session LABEL FILE TIMEOUT [LOADED_MS]: the browser on one session
# file; LOADED_MS is the target for reading all of it.  With a target the
# load is timed best of $RUNS, as every wall time here is: the session
# with keys is one run, the others only load and quit.
ui_session() {
	say "browser on $(basename "$2") (keys sent every $PAUSE s):"
	LOADS=
	ui_start "$1" "$2"
	if ! wait_log loaded "$3"; then
		missing "$1: no 'loaded' line: $WHY"
	else
		LOADS=" $(log_first loaded 2)"
	fi
	session_keys
	ui_quit
	report_ms "$1: open → first rows" open 2 100
	spans=$(log_first loaded 3)
	KEYLOG=$LOG
	KEYSTATUS=${STATUS_LINE:-}
	if [ -n "${4:-}" ] && [ -n "$LOADS" ]; then
		r=1
		while [ "$r" -lt "$RUNS" ]; do
			ui_load "$1 load $r" "$2" "$3"
			r=$((r + 1))
		done
	fi
	LOG=$KEYLOG
	STATUS_LINE=$KEYSTATUS
	if [ -n "$LOADS" ]; then
		v=$(printf '%s\n' $LOADS | sort -n | head -n 1)
		v=$(calc 'sprintf("%.1f", v)' -v v="$v")
		all=$(printf '%s\n' $LOADS | awk '{ printf "%s%.0f", (NR > 1 ? ", " : ""), $1 }')
		best=
		[ -z "${4:-}" ] || best="best of $(printf '%s\n' $LOADS | wc -l | tr -d ' '): $all"
		row "$1: open → all read" "$v ms ($spans spans${best:+; $best})" "${4:+≤ $4 ms}" "${4:+$(status "$v" "$4" le)}"
		say "  $1: loaded in $v ms, $spans spans${best:+ ($best)}"
	else
		row "$1: open → all read" n/a "${4:+≤ $4 ms}" n/a
	fi
	report_dist "$1: key → frame" key 3 16
	key_actions
	report_dist "$1: select → tab shown" select 2 16
	[ -z "${STATUS_LINE:-}" ] || say "  status bar at the end:$STATUS_LINE"
}

# ui_stdin LABEL FILE SPANS: the browser reading FILE piped in on standard
# input by cat, as a producer would: how long until the status bar counts
# all SPANS spans.  (The timing log's "loaded" means "read to the end of
# what came", which for a pipe is any pause of the writer; the screen is
# what a user waits for.)  Polled every 0.1 s, so ±0.1 s.
ui_stdin() {
	say "browser on $(basename "$2") piped in on standard input:"
	UI=$(printf '%s' "$1" | tr -c 'A-Za-z0-9_-' -)
	rm -f "$TMP/$UI.rc"
	want=$(printf '%s spans' "$3")
	t0=$(date +%s.%N)
	if ! tm new-session -d -s "$UI" -x 160 -y 50 \
	    "cat '$2' | LC_ALL=C.UTF-8 '$BIN' - 2>'$TMP/$UI.err'; echo \$? >'$TMP/$UI.rc'"; then
		missing "$1: tmux new-session failed"
		return 0
	fi
	n=0
	while ! tm capture-pane -p -t "$UI" 2>/dev/null | tail -n 1 | grep -q " $want"; do
		if ! ui_running || [ "$n" -ge 1200 ]; then
			missing "$1: the status bar never said $want"
			row "$1: piped in → all shown" n/a "" ""
			ui_quit
			return 0
		fi
		n=$((n + 1))
		sleep 0.1
	done
	t=$(calc 'sprintf("%.2f", b - a)' -v a="$t0" -v b="$(date +%s.%N)")
	say "  $1: all $3 spans shown after $t s"
	row "$1: piped in → all shown" "$t s ($3 spans)" "" ""
	ui_quit
}

# ui_dir LABEL DIR: the browser on a directory: the list (filling in while
# its files are read), then a session opened from it.
ui_dir() {
	say "browser on $(basename "$2")/ (keys sent every $PAUSE s):"
	ui_start "$1" "$2"
	if ! wait_log list 60; then
		missing "$1: no 'list' line: $WHY"
	fi
	keys j 20
	keys NPage 3
	keys End; keys Home
	keys j 5
	keys Enter
	wait_log loaded 30 || missing "$1: no 'loaded' line for the session opened from the list: $WHY"
	keys j 10
	keys 2; keys 3; keys 1
	keys q
	keys j 5
	ui_quit
	report_ms "$1: start → list rows" list 2 100
	report_ms "$1: open a session from it" open 2 100
	report_dist "$1: key → frame" key 3 16
	key_actions
	report_dist "$1: select → tab shown" select 2 16
	[ -z "${STATUS_LINE:-}" ] || say "  status bar at the end:$STATUS_LINE"
}

# ui_analysis LABEL FILE TIMEOUT: doc/reference.md §9 on a big session: the critical
# path (computed once the session has loaded: the log's "critpath" line is
# its cost) and the stats view (`s`: its "stats" line), then keys on the
# tree with the path marked, `c`, and in the stats view.
ui_analysis() {
	say "analysis on $(basename "$2") (keys sent every $PAUSE s):"
	ui_start "$1" "$2"
	wait_log loaded "$3" || missing "$1: no 'loaded' line: $WHY"
	wait_log critpath 10 || missing "$1: no 'critpath' line: $WHY"
	keys s
	wait_log stats 10 || missing "$1: no 'stats' line: $WHY"
	keys j 10
	keys '>' 3
	keys r
	keys Escape
	keys c
	keys j 20
	keys NPage 3
	keys c
	keys j 10
	ui_quit
	report_ms "$1: critical path, after load" critpath 2 300
	report_ms "$1: stats, after load" stats 2 300
	report_dist "$1: key → frame" key 3 16
	key_actions
}

# ui_bigdir LABEL DIR: the browser on a directory of 20 000 small sessions
# (issue 19 item 6): once every row is read, keys while the once-a-second
# rescan and growth look run, the peak RSS and descriptors of the browser,
# and what its directory scans cost (the log's "scan" lines).
ui_bigdir() {
	say "browser on $(basename "$2")/, every row read, keys j/k every $PAUSE s:"
	ui_start "$1" "$2"
	wait_log list 120 || missing "$1: no 'list' line: $WHY"
	n=0
	while ui_running && tm capture-pane -p -t "$UI" 2>/dev/null | tail -n 1 |
	    grep -q 'reading [0-9]' && [ "$n" -lt 1200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	: >"$LOG"
	keys_left=60
	while [ "$keys_left" -gt 0 ]; do keys j; keys k; keys_left=$((keys_left - 1)); done
	pid=$(pgrep -P "$(tm display -p -t "$UI" '#{pane_pid}' 2>/dev/null)" 2>/dev/null | head -n 1) || pid=
	hwm=$(awk '/^VmHWM/ { print $2 * 1024 }' "/proc/$pid/status" 2>/dev/null) || hwm=
	fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l | tr -d ' ') || fds=
	ui_quit
	report_dist "$1: key → frame" key 3 16
	report_dist "$1: keyin → frame" keyin 2 16
	key_actions
	if [ -n "$hwm" ]; then
		row "$1: peak RSS" "$(mb "$hwm"), $fds descriptors" "≤ 150 MB" "$(status "$hwm" 150000000 le)"
		say "  $1: peak RSS $(mb "$hwm"), $fds descriptors"
	else
		missing "$1: no peak RSS (/proc/PID/status)"
	fi
	s=$(log_stats scan 2)
	[ -z "$s" ] || say "  $1: directory scans p50/p95/max/n: $s ms (only when it changed, 10 s backstop)"
}

# --- headless reading: pigz floor, --list, --dump --------------------------

# --- headless reading: pigz floor, --list, --dump, --dump --json --detail --

# ratio_row LABEL WHAT LIMIT RSSLIMIT BYTES: a timed figure (BEST, CPU,
# PEAK from best_of) against the pigz floor, and its peak RSS against the
# decompressed size when RSSLIMIT is set.  PASS/FAIL on the wall-time
# ratio; the CPU ratio is shown beside it.
ratio_row() {
	if [ -n "$BEST" ] && [ -n "$PIGZ" ]; then
		r=$(calc 'sprintf("%.2f", t / p)' -v t="$BEST" -v p="$PIGZ")
		c=
		[ -z "$CPU" ] || [ -z "$PIGZ_CPU" ] || c=$(calc 'sprintf(", CPU %.2f s = %.2f×", c, p > 0 ? c / p : 0)' -v c="$CPU" -v p="$PIGZ_CPU")
		row "$1: $2 time" "$(secs "$BEST") = ${r}× pigz$c" "≤ ${3}×" "$(status "$r" "$3" le)"
		say "  $(secs "$BEST") = ${r}× pigz (target ≤ ${3}×)${c:+; }${c#, }"
	else
		missing "$1: $2 time"
		row "$1: $2 time" n/a "≤ ${3}×" n/a
	fi
	[ -n "$4" ] || return 0
	if [ -n "$PEAK" ] && [ -n "$5" ]; then
		f=$(calc 'sprintf("%.3f", k * 1024 / b)' -v k="$PEAK" -v b="$5")
		row "$1: $2 peak RSS" "$(mb $((PEAK * 1024))) = ${f}× decompressed" "≤ ${4}×" "$(status "$f" "$4" le)"
		say "  peak RSS $(mb $((PEAK * 1024))) = ${f}× the decompressed size (target ≤ ${4}×)"
	else
		missing "$1: $2 peak RSS"
		row "$1: $2 peak RSS" n/a "≤ ${4}×" n/a
	fi
}

# headless LABEL FILE BYTES: pigz -dc floor and igzip -dc reference, then
# --list, --dump and --dump --json --detail against the floor.
headless() {
	say "pigz -dc $(basename "$2") (best of $RUNS):"
	best_of pigz -dc "$2"
	PIGZ=$BEST PIGZ_CPU=$CPU
	if [ -n "$PIGZ" ]; then
		row "$1: pigz -dc (floor)" "$(secs "$PIGZ"), CPU $(secs "$PIGZ_CPU")" "" ""
		say "  $(secs "$PIGZ") (CPU $(secs "$PIGZ_CPU"))"
	else
		missing "$1: pigz time"
		row "$1: pigz -dc (floor)" n/a "" n/a
	fi
	if have igzip; then
		say "igzip -dc $(basename "$2") (best of $RUNS):"
		best_of igzip -dc "$2"
		if [ -n "$BEST" ] && [ -n "$PIGZ" ]; then
			r=$(calc 'sprintf("%.2f", t / p)' -v t="$BEST" -v p="$PIGZ")
			row "$1: igzip -dc (ISA-L, reference)" "$(secs "$BEST") = ${r}× pigz, CPU $(secs "$CPU")" "" ""
			say "  $(secs "$BEST") = ${r}× pigz (CPU $(secs "$CPU"))"
		fi
	else
		row "$1: igzip -dc (ISA-L, reference)" "n/a (igzip not installed: Debian isal)" "" ""
	fi
	say "mcp-inspect-tui --list $(basename "$2") (best of $RUNS):"
	best_of "$BIN" --list "$2"
	ratio_row "$1" --list 0.45 0.05 "$3"
	say "mcp-inspect-tui --dump $(basename "$2") (best of $RUNS):"
	best_of "$BIN" --dump "$2"
	ratio_row "$1" --dump 0.7 0.1 "$3"
	say "mcp-inspect-tui --dump --json --detail $(basename "$2") (best of ${DETAIL_RUNS:-1}):"
	runs=$RUNS
	RUNS=${DETAIL_RUNS:-1}
	best_of "$BIN" --dump --json --detail "$2"
	RUNS=$runs
	ratio_row "$1" "--dump --json --detail" 3 "" ""
}

# --- the run ------------------------------------------------------------------

mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
MACHINE="$(nproc 2>/dev/null || echo ?) × ${cpu:-unknown CPU}, ${mem:-? GiB} RAM, $(uname -sr), $(date -u +%Y-%m-%d)"
INFLATE=$("$BIN" --version 2>/dev/null | sed -n 's/.*(inflate: \(.*\))$/\1/p')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)
say "machine: $MACHINE"
say "inflate: ${INFLATE:-unknown}; load average at the start: $LOAD"

for f in "$BIN" "$GEN"; do
	if [ ! -x "$f" ]; then
		say "bench: $f is missing; build it first (make)"
		exit 0
	fi
done
have pigz || missing "pigz is not installed: no floor, no sizes"
[ -x /usr/bin/time ] || missing "GNU time (/usr/bin/time) is not installed: no peak RSS"

mkdir -p "$OUT"
say "inputs in $OUT:"
if ! gen_once session 200000 "$OUT/big.jsonl.gz" || ! gen_once dir 500 "$OUT/dir500"; then
	say "bench: no inputs, no figures"
	exit 0
fi
BIG=$OUT/big.jsonl.gz
BIG_GZ=$(wc -c <"$BIG" | tr -d ' ')
BIG_RAW=
have pigz && BIG_RAW=$(gz_size "$BIG")
DIR_GZ=$(cat "$OUT"/dir500/* | wc -c | tr -d ' ')
DIR_RAW=
have pigz && DIR_RAW=$(gz_size "$OUT"/dir500/*)
say "  big.jsonl.gz: $BIG_GZ bytes gzip, ${BIG_RAW:-?} decompressed"
say "  dir500: $(ls "$OUT/dir500" | sed 's/\.jsonl.*//' | sort -u | wc -l | tr -d ' ') sessions in $(ls "$OUT/dir500" | wc -l | tr -d ' ') files, $DIR_GZ bytes gzip, ${DIR_RAW:-?} decompressed"
row "input: 200 000-span session" "$(mb "$BIG_GZ") gzip, $(mb "$BIG_RAW") decompressed" "~70 / ~550 MB" ""
row "input: 500-session directory" "$(mb "$DIR_GZ") gzip, $(mb "$DIR_RAW") decompressed" "" ""

if have pigz && [ -n "$BIG_RAW" ]; then
	headless big "$BIG" "$BIG_RAW"
else
	missing "big: no pigz floor, so no --list/--dump ratios"
fi

# Directory listing: the inspector's approach (every file decompressed,
# every line parsed as JSON) against ours.
say "python3 inspector_server.py --scan dir500 (best of $RUNS):"
PY=
if have python3; then
	best_of python3 "$SERVER" --scan "$OUT/dir500"
	PY=$BEST
	[ -z "$PY" ] || say "  $(secs "$PY")"
fi
say "mcp-inspect-tui --list dir500 (best of $RUNS):"
best_of "$BIN" --list "$OUT/dir500"
OURS=$BEST
[ -z "$OURS" ] || say "  $(secs "$OURS")"
if [ -n "$PY" ] && [ -n "$OURS" ]; then
	x=$(calc 'sprintf("%.1f", p / o)' -v p="$PY" -v o="$OURS")
	row "dir500: --list vs inspector scan" "$(secs "$OURS") vs $(secs "$PY") = ${x}× faster" "≥ 8×" "$(status "$x" 8 ge)"
	say "  speed-up ${x}× (target ≥ 8×)"
else
	missing "dir500: listing speed-up"
	row "dir500: --list vs inspector scan" n/a "≥ 8×" n/a
fi

if have tmux; then
	ui_session "UI big" "$BIG" 120
	ui_analysis "UI big analysis" "$BIG" 120
	ui_dir "UI dir500" "$OUT/dir500"
	ui_stdin "UI stdin" "$BIG" 200000
	if gen_once dir 20000 "$OUT/dir20k" --spans 5; then
		ui_bigdir "UI dir20k" "$OUT/dir20k"
	else
		missing "dir20k: no input"
	fi
else
	missing "tmux is not installed: no browser figures"
fi

# Scale: five times the SPEC's session.
if [ "${BENCH_SCALE:-0}" = 1 ]; then
	say "scale run (BENCH_SCALE=1):"
	HUGE=$OUT/huge.jsonl.gz
	gen_once session 1000000 "$HUGE" || missing "huge: no input"
fi
if [ "${BENCH_SCALE:-0}" = 1 ] && [ -e "$HUGE" ]; then
	HUGE_GZ=$(wc -c <"$HUGE" | tr -d ' ')
	HUGE_RAW=
	have pigz && HUGE_RAW=$(gz_size "$HUGE")
	say "  huge.jsonl.gz: $HUGE_GZ bytes gzip, ${HUGE_RAW:-?} decompressed"
	row "input: 1 000 000-span session" "$(mb "$HUGE_GZ") gzip, $(mb "$HUGE_RAW") decompressed" "" ""
	if have pigz && [ -n "$HUGE_RAW" ]; then
		headless huge "$HUGE" "$HUGE_RAW"
	else
		missing "huge: no pigz floor, so no --list/--dump ratios"
	fi
	if have tmux; then
		ui_session "UI huge" "$HUGE" 600 3000
	fi
fi

say ""
say "## Benchmark (tests/bench.sh)"
say ""
say "Machine: $MACHINE"
say ""
say "Inflate: ${INFLATE:-unknown}.  Load average at the start: $LOAD; at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
say ""
say "| measure | result | target | status |"
say "|---|---|---|---|"
while IFS='|' read -r m r t s; do
	printf '| %s | %s | %s | %s |\n' "$m" "$r" "${t:-}" "${s:-}"
done <"$ROWS"
if [ -s "$MISSING" ]; then
	say ""
	say "Missing figures:"
	sed 's/^/  - /' "$MISSING"
fi
exit 0
