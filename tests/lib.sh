# SPDX-License-Identifier: MIT
# lib.sh — helpers for the shell tests that drive the built binary.
# Sourced by tests/*.test; each test calls ok/fail and ends with `finish`,
# which prints "N passed, N failed" and sets the exit status.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
BIN="$top_builddir/mcp-inspect-tui"
FORMATS="$top_srcdir/tests/formats"
DATA="$top_srcdir/data"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mit-test.XXXXXX")
# One cleanup for whatever a test started: tmux, the test server, $TMP.
lib_cleanup() {
	[ -n "${TMUX_SOCK:-}" ] && tm kill-server 2>/dev/null
	[ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap lib_cleanup EXIT
export LC_ALL=C.UTF-8
unset MCP_TRACES_DIR MCP_INSPECTOR_TOKEN NO_COLOR
# The user's configuration file never changes what a test sees.
export XDG_CONFIG_HOME="$TMP/no-config"

# Under `make check-valgrind` (tests/valgrind.sh) every start of the binary
# — run, "$BIN" in a test, the commands tmux starts — goes through memcheck,
# and waits scale by MIT_WAIT_SCALE. TIMING=0 there: tests must not assert
# how fast something happened.
MIT_WAIT_SCALE=${MIT_WAIT_SCALE:-1}
TIMING=1
if [ -n "${MIT_VALGRIND:-}" ]; then
	printf '#!/bin/sh\nexec /bin/sh "%s" --exec "%s" "$@"\n' "$MIT_VALGRIND" "$BIN" >"$TMP/bin"
	chmod +x "$TMP/bin"
	BIN="$TMP/bin"
	TIMING=0
fi
# Peak-RSS bounds hold for the plain binary only: under memcheck the process
# measured is valgrind, and an ASan build (MIT_SANITIZED, set by make check
# from configure --enable-sanitizers) keeps shadow memory and a quarantine
# of up to 256 MiB of freed blocks.  There the figures are printed only.
MEMORY_BOUNDS=$TIMING
[ -n "${MIT_SANITIZED:-}" ] && MEMORY_BOUNDS=0
# wait_steps: how many 50 ms polls a wait may take ($UI_WAIT_STEPS, 200).
wait_steps() { echo $((${UI_WAIT_STEPS:-200} * MIT_WAIT_SCALE)); }
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

# run ARGS...: runs the binary; sets $out, $err and $rc.
run() {
	"$BIN" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() {
	if [ "$rc" -eq "$2" ]; then ok "$1"; else fail "$1 (exit $rc, wanted $2)" "$err"; fi
}

# expect_one_error_line NAME PATTERN: stderr is exactly one line matching PATTERN.
expect_one_error_line() {
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$lines" -eq 1 ] && printf '%s' "$err" | grep -q -- "$2"; then
		ok "$1"
	else
		fail "$1 (stderr should be one line matching '$2')" "$err"
	fi
}

# pycheck NAME SCRIPT: runs python3 SCRIPT with the last stdout on stdin.
pycheck() {
	if printf '%s\n' "$out" | python3 -c "$2" 2>"$TMP/py"; then
		ok "$1"
	else
		fail "$1" "$(cat "$TMP/py")"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# --- tmux: drive the browser in a detached terminal of fixed size ----------
# A private server (-L) so tests never touch the user's tmux.
TMUX_SOCK="mit-test-$$"
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

# tm_start W H COMMAND: run COMMAND (a shell string) in a W x H terminal;
# its exit status lands in $TMP/exit.
tm_start() {
	tm kill-session -t ui 2>/dev/null
	rm -f "$TMP/exit"
	# Killing the last session ends the tmux server; a new-session that
	# reaches it while it exits fails ("server exited unexpectedly"), so
	# try again until the session exists.
	_i=0
	until tm new-session -d -x "$1" -y "$2" -s ui \
		"LC_ALL=C.UTF-8 $3; echo \$? >$TMP/exit; sleep 60" 2>/dev/null &&
		tm has-session -t ui 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || { echo "tmux: cannot start a session"; break; }
		sleep 0.05
	done
}
tm_keys() { tm send-keys -t ui "$@"; }
tm_screen() { tm capture-pane -p -t ui; }

# tm_wait NAME PATTERN: poll the screen until PATTERN (grep -E) shows.
tm_wait() {
	_i=0 _n=$(wait_steps)
	while [ $_i -lt "$_n" ]; do
		if tm_screen | grep -qE -- "$2"; then ok "$1"; return 0; fi
		sleep 0.05
		_i=$((_i + 1))
	done
	fail "$1 (screen never showed /$2/)" "$(tm_screen)"
	return 1
}

# tm_wait_gone NAME PATTERN: poll until PATTERN is no longer on screen.
tm_wait_gone() {
	_i=0 _n=$(wait_steps)
	while [ $_i -lt "$_n" ]; do
		if ! tm_screen | grep -qE -- "$2"; then ok "$1"; return 0; fi
		sleep 0.05
		_i=$((_i + 1))
	done
	fail "$1 (screen still shows /$2/)" "$(tm_screen)"
	return 1
}

# tm_exit NAME CODE: wait for the program to end and check its status.
tm_exit() {
	_i=0 _n=$(wait_steps)
	while [ ! -s "$TMP/exit" ] && [ $_i -lt "$_n" ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	if [ "$(cat "$TMP/exit" 2>/dev/null)" = "$2" ]; then ok "$1"
	else fail "$1 (exit '$(cat "$TMP/exit" 2>/dev/null)', wanted $2)" "$(tm_screen)"; fi
	rm -f "$TMP/exit"
}

# --- the project's inspector test server on 127.0.0.1 -----------------------
SERVER="$top_srcdir/tests/inspector_server.py"

# srv_start DIR [ARGS...]: start the test server on a free port (or
# $SRV_PORT); sets $URL and $SRV_PID.
srv_start() {
	_dir=$1
	shift
	_tries=0
	while :; do
		rm -f "$TMP/port"
		python3 "$SERVER" "$_dir" --port "${SRV_PORT:-0}" --port-file "$TMP/port" "$@" \
			>"$TMP/srv.log" 2>&1 &
		SRV_PID=$!
		_i=0
		while [ ! -s "$TMP/port" ] && [ $_i -lt 200 ] && kill -0 $SRV_PID 2>/dev/null; do
			sleep 0.05
			_i=$((_i + 1))
		done
		[ -s "$TMP/port" ] && break
		# A restart on the same port can race the old socket's release.
		_tries=$((_tries + 1))
		if [ $_tries -ge 40 ]; then
			echo "cannot start the test server: $(cat "$TMP/srv.log")"
			exit 99
		fi
		sleep 0.1
	done
	SRV_PORT=$(cat "$TMP/port")
	URL="http://127.0.0.1:$SRV_PORT"
}
srv_stop() { kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; }
# ctl PATH [JSON]: POST a control request.
ctl() { curl -s -X POST -H 'Content-Type: application/json' -d "${2:-{\}}" "$URL/_control/$1" >/dev/null; }
# wait_file NAME FILE PATTERN: poll FILE until PATTERN (grep -E) shows.
wait_file() {
	_i=0 _n=$(wait_steps)
	while [ $_i -lt "$_n" ]; do
		if grep -qE -- "$3" "$2" 2>/dev/null; then ok "$1"; return 0; fi
		sleep 0.05
		_i=$((_i + 1))
	done
	fail "$1 ($2 never showed /$3/)" "$(cat "$2" 2>/dev/null | tail -5)"
	return 1
}
