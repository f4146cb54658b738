#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind.sh — the log compiler of `make check-valgrind`: runs one test of
# the suite with memcheck watching every process of ours that it starts.
#
#   valgrind.sh PROGRAM            a Check suite runs under memcheck itself
#                                  (CK_FORK=no keeps the test bodies in it)
#   valgrind.sh SHELL SCRIPT.test  a shell test runs as usual; tests/lib.sh
#                                  sees $MIT_VALGRIND and starts the binary
#                                  through `valgrind.sh --exec` (every run,
#                                  "$BIN" and the commands tmux starts)
#   valgrind.sh --exec PROGRAM ARGS...  one process under memcheck
#
# Each process writes its own log, $MIT_VALGRIND_LOGS/vg.PID.log. When the
# test has ended, a log that reports any error (invalid access, uninitialised
# value, bad free, overlapping copy...) or a leak fails the test
# and is printed, and so does a log without a summary: that process never
# reached its leak check.
set -u

# The exit status memcheck gives a process it found an error in; rare enough
# that no test expects it.
VG_ERROR_EXIT=86
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "--exec" ]; then
	shift
	# "possible" leaks (only a pointer into the middle of a block is left)
	# fail too: the suite has none, and a new one is as likely a real leak.
	# "still reachable" blocks (ncurses' terminal tables) are not errors.
	exec valgrind --tool=memcheck --leak-check=full \
		--show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible \
		--error-exitcode=$VG_ERROR_EXIT --num-callers=30 \
		--child-silent-after-fork=yes \
		--suppressions="$here/valgrind.supp" \
		--log-file="$MIT_VALGRIND_LOGS/vg.%p.log" "$@"
fi

command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 77; }
MIT_VALGRIND_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/mit-vg.XXXXXX")
# Sticky and writable by all: hostile_traces.test runs the program as
# nobody to be refused a file, and its log must still be written.
chmod 1777 "$MIT_VALGRIND_LOGS"
# MIT_VALGRIND_KEEP=1 keeps every log (to read the "possibly lost" ones).
if [ -n "${MIT_VALGRIND_KEEP:-}" ]; then
	echo "valgrind: logs kept in $MIT_VALGRIND_LOGS"
else
	trap 'rm -rf "$MIT_VALGRIND_LOGS"' EXIT
fi
MIT_VALGRIND="$here/valgrind.sh"
# Memcheck runs the program 20-50 times slower: waits for the screen or a
# file scale by this; tests/lib.sh also turns off assertions about time.
: "${MIT_WAIT_SCALE:=20}"
CK_FORK=no
export MIT_VALGRIND MIT_VALGRIND_LOGS MIT_WAIT_SCALE CK_FORK

case "${2:-}" in
*.test) "$@" ;;
*) /bin/sh "$here/valgrind.sh" --exec "$@" ;;
esac
rc=$?

# A log is clean when it has its summary with 0 errors (leaks of the kinds
# above count as errors).
bad=0
for log in "$MIT_VALGRIND_LOGS"/vg.*.log; do
	[ -e "$log" ] || continue
	if grep -q "ERROR SUMMARY: 0 errors" "$log"; then
		continue
	fi
	bad=$((bad + 1))
	if grep -q "ERROR SUMMARY" "$log"; then
		echo "valgrind: errors in $(sed -n 's/^==[0-9]*== Command: //p' "$log" | head -1)"
	else
		echo "valgrind: no summary (killed before its leak check?) for $(sed -n 's/^==[0-9]*== Command: //p' "$log" | head -1)"
	fi
	# From the command line on, without memcheck's banner and blank lines.
	sed -n '/== Command: /,$p' "$log" | grep -v '^==[0-9]*== *$' | sed 's/^/    /' | head -200
done
nlogs=$(find "$MIT_VALGRIND_LOGS" -name 'vg.*.log' | wc -l)
echo "valgrind: $nlogs processes checked, $bad with errors or leaks"
[ "$bad" -eq 0 ] || exit 1
exit $rc
