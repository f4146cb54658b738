# lib.sh — helpers for the shell tests that drive the built binary.
# Sourced by tests/*.test; each test calls ok/fail and ends with `finish`,
# which prints "N passed, N failed" and sets the exit status.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
BIN="$top_builddir/mcp-inspect-tui"
FORMATS="$top_srcdir/tests/formats"
DATA="$top_srcdir/data"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mit-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8
unset MCP_TRACES_DIR MCP_INSPECTOR_TOKEN NO_COLOR
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
