#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh — build and run the libFuzzer targets in tests/fuzz (README.md).
#
#   run.sh              build, make the seed corpora, fuzz every target for
#                       FUZZ_SECONDS each; a crash is kept in
#                       tests/fuzz/crashers/ and makes the exit status 1
#   run.sh --regress    build, then run tests/fuzz/crashers/* and the seed
#                       corpora through each target once (fast, for CI)
#   run.sh --build      build only
#
# Environment: FUZZ_SECONDS (60), FUZZ_TARGETS (all), FUZZ_DIR
# ($top_builddir/fuzz-out), FUZZ_CC (clang, else clang-14), FUZZ_CRASHERS
# (tests/fuzz/crashers), top_srcdir and top_builddir (make sets both;
# alone they default to the tree this script is in), FUZZ_REQUIRE.
#
# There is no library built with clang to link against, so each target is
# compiled together with the project sources it needs.  A missing clang or
# libFuzzer runtime is said with the packages to install; it fails the run
# only with FUZZ_REQUIRE=1 (`make fuzz` sets it: nothing was fuzzed).
# Without clang, `make check` still replays every crasher and seed
# (tests/fuzz-replay.test).

set -u

mode=run
case ${1:-} in
--regress) mode=regress ;;
--build) mode=build ;;
'') ;;
*) echo "usage: $0 [--regress | --build]" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
fuzzsrc=$top_srcdir/tests/fuzz
FUZZ_DIR=${FUZZ_DIR:-$top_builddir/fuzz-out}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-parse gz sse json_view chat filter diff}
case $FUZZ_SECONDS in
''|*[!0-9]*) echo "run.sh: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac
FUZZ_CRASHERS=${FUZZ_CRASHERS:-$fuzzsrc/crashers}

# Sanitizer reports must stop the run, or a finding scrolls by unkept.
CFLAGS_FUZZ="-g -O1 -fsanitize=fuzzer,address,undefined \
-fno-sanitize-recover=undefined -D_GNU_SOURCE -I$top_srcdir/src -I$fuzzsrc"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export UBSAN_OPTIONS
# Every run: how libFuzzer is to treat time and memory.
LIMITS="-rss_limit_mb=2048 -timeout=10"

say() {
	printf '%s\n' "fuzz: $*"
}

# ---- compiler ----------------------------------------------------------

find_cc() {
	for cc in ${FUZZ_CC:-} clang clang-14; do
		if command -v "$cc" >/dev/null 2>&1; then
			CC=$cc
			return 0
		fi
	done
	return 1
}

no_fuzzing() {
	say "$1: cannot fuzz."
	say "install clang and its libFuzzer runtime (Debian):"
	say "    ./bootstrap --fuzz     (or: apt-get install clang libclang-rt-14-dev)"
	say "make check replays the kept crashers and seeds without them."
	[ "${FUZZ_REQUIRE:-0}" = 1 ] && exit 1
	exit 0
}

find_cc || no_fuzzing "no clang found (tried ${FUZZ_CC:-}${FUZZ_CC:+, }clang, clang-14)"

mkdir -p "$FUZZ_DIR/bin" "$FUZZ_DIR/logs" || exit 1

# clang without its runtime compiles but does not link -fsanitize=fuzzer.
probe=$FUZZ_DIR/bin/probe
printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }' \
	>"$probe.c"
if ! $CC -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" \
    >"$FUZZ_DIR/logs/probe.log" 2>&1; then
	no_fuzzing "$CC cannot link -fsanitize=fuzzer (see $FUZZ_DIR/logs/probe.log)"
fi
rm -f "$probe" "$probe.c"

if command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists jansson zlib 2>/dev/null; then
	DEP_CFLAGS=$(pkg-config --cflags jansson zlib)
	DEP_LIBS=$(pkg-config --libs jansson zlib)
else
	DEP_CFLAGS=
	DEP_LIBS="-ljansson -lz"
fi

# ISA-L's inflate, as configure finds it: fuzz_gz then runs both backends.
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libisal 2>/dev/null; then
	DEP_CFLAGS="$DEP_CFLAGS -DHAVE_ISAL $(pkg-config --cflags libisal)"
	DEP_LIBS="$DEP_LIBS $(pkg-config --libs libisal)"
fi

# ---- targets -----------------------------------------------------------

# The project sources a target links (besides xmalloc.c and buf.c).
sources_of() {
	case $1 in
	parse) echo jscan jnorm text span_names span_parse span_detail detail_json ;;
	diff) echo jscan jnorm text span_names span_parse span_detail ;;
	gz) echo gz inflater lines ;;
	sse) echo sse ;;
	json_view) echo json_view vdoc text ;;
	chat) echo chat_view json_view vdoc text ;;
	filter) echo filter ;;
	*) return 1 ;;
	esac
}

dict_of() {
	case $1 in
	parse|diff) echo span ;;
	json_view|chat) echo json ;;
	sse) echo sse ;;
	filter) echo filter ;;
	esac
}

# Seeds of a target: diff replays the parse seeds.
seeds_of() {
	case $1 in
	diff) echo parse ;;
	*) echo "$1" ;;
	esac
}

# Rebuild when the binary is missing or any source or header is newer.
build() {
	t=$1
	bin=$FUZZ_DIR/bin/fuzz_$t
	srcs="$fuzzsrc/fuzz_$t.c $top_srcdir/src/xmalloc.c $top_srcdir/src/buf.c"
	for s in $(sources_of "$t"); do
		srcs="$srcs $top_srcdir/src/$s.c"
	done
	if [ -x "$bin" ] && [ -z "$(find "$top_srcdir/src" "$fuzzsrc" \
	    \( -name '*.c' -o -name '*.h' \) -newer "$bin" 2>/dev/null |
	    head -n 1)" ]; then
		return 0
	fi
	# shellcheck disable=SC2086 # word splitting of flag lists is meant
	if ! $CC $CFLAGS_FUZZ $DEP_CFLAGS -o "$bin" $srcs $DEP_LIBS \
	    >"$FUZZ_DIR/logs/build-$t.log" 2>&1; then
		cat "$FUZZ_DIR/logs/build-$t.log" >&2
		say "$t: build failed"
		return 1
	fi
}

for t in $FUZZ_TARGETS; do
	sources_of "$t" >/dev/null || { say "unknown target '$t'"; exit 2; }
	build "$t" || exit 1
done
say "built $FUZZ_TARGETS with $CC in $FUZZ_DIR/bin"
[ "$mode" = build ] && exit 0

# ---- seed corpora ------------------------------------------------------

seeds=$FUZZ_DIR/seeds
rm -rf "$seeds"
mkdir -p "$seeds/parse" "$seeds/gz" "$seeds/sse" "$seeds/json_view" \
	"$seeds/chat" "$seeds/filter" || exit 1

# Each line of the demo data and format samples, without its '\n', as
# lines.c delivers it (a '\r' of a CRLF file stays: the parser drops it);
# standard input, named $1.
split_lines() {
	LC_ALL=C awk -v out="$seeds/parse/$1" \
	    'length($0) > 0 { f = out "-" NR; printf "%s", $0 > f; close(f) }'
}
for f in "$top_srcdir"/data/*.jsonl.gz; do
	[ -f "$f" ] && gzip -dc "$f" | split_lines "$(basename "$f")"
done
for f in "$top_srcdir"/data/*.jsonl "$top_srcdir"/tests/formats/*.jsonl; do
	# shellcheck disable=SC2094 # $1 is a name for the seeds, not a file
	[ -f "$f" ] && split_lines "$(basename "$f")" <"$f"
done

# The trace files themselves, gzip and plain.
for f in "$top_srcdir"/data/*.jsonl.gz "$top_srcdir"/data/*.jsonl; do
	[ -f "$f" ] && cp "$f" "$seeds/gz/"
done

# The inspector's stream behind control bytes (fuzz_sse.c): max_line and
# piece sizes, with CRLF, CR-only and BOM variants.
sse=$top_srcdir/tests/formats/inspector-events.sse
if [ -f "$sse" ]; then
	for c in 003 007 101 376 000 122; do
		# shellcheck disable=SC2059 # the octal escape is the point
		{ printf "\\$c"; cat "$sse"; } >"$seeds/sse/lf-$c"
	done
	{ printf '\001'; LC_ALL=C awk '{ printf "%s\r\n", $0 }' "$sse"; } \
	    >"$seeds/sse/crlf"
	{ printf '\005'; LC_ALL=C tr '\n' '\r' <"$sse"; } >"$seeds/sse/cr"
	{ printf '\002\357\273\277'; cat "$sse"; } >"$seeds/sse/bom"
fi

# Seeds kept in the tree (hand-written edge cases).
for d in "$fuzzsrc"/seeds/*; do
	[ -d "$d" ] && cp "$d"/* "$seeds/$(basename "$d")/" 2>/dev/null
done

# *_json values, chat pairs and gzip shapes need a JSON-aware tool.
if command -v python3 >/dev/null 2>&1; then
	python3 "$fuzzsrc/make_seeds.py" "$top_srcdir" "$seeds" ||
	    say "make_seeds.py failed: json_view and chat start from few seeds"
else
	say "no python3: json_view and chat start without seeds from data/"
fi

# ---- running -----------------------------------------------------------

status=0

# A number from libFuzzer's log: the last "name: N" or "name N".
stat_of() {
	sed -n "s/.*$1[: ]*\\([0-9][0-9]*\\).*/\\1/p" "$2" | tail -n 1
}

# Keep every artifact of a failed run as tests/fuzz/crashers/TARGET-NAME.
keep_artifacts() {
	t=$1
	kept=
	for a in "$FUZZ_DIR/artifacts/$t"/*; do
		[ -f "$a" ] || continue
		case $(basename "$a") in
		crash-*|leak-*|timeout-*|oom-*) ;;
		*) continue ;;
		esac
		mkdir -p "$FUZZ_CRASHERS"
		dest=$FUZZ_CRASHERS/$t-$(basename "$a")
		cp "$a" "$dest" && kept="$kept $dest"
		rm -f "$a"
	done
	echo "${kept# }"
}

fuzz() {
	t=$1
	bin=$FUZZ_DIR/bin/fuzz_$t
	log=$FUZZ_DIR/logs/$t.log
	corpus=$FUZZ_DIR/corpus/$t
	dict=$(dict_of "$t")
	mkdir -p "$corpus" "$FUZZ_DIR/artifacts/$t"
	# New inputs go to the first directory, the persistent corpus.
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$FUZZ_SECONDS" $LIMITS -print_final_stats=1 \
	    -artifact_prefix="$FUZZ_DIR/artifacts/$t/" \
	    ${dict:+-dict="$fuzzsrc/dict/$dict.dict"} \
	    "$corpus" "$seeds/$(seeds_of "$t")" >"$log" 2>&1
	rc=$?
	runs=$(stat_of 'stat::number_of_executed_units' "$log")
	units=$(stat_of 'stat::new_units_added' "$log")
	cov0=$(sed -n 's/.*INITED cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	cov1=$(stat_of ' cov' "$log")
	if [ "$rc" -eq 0 ]; then
		result="no crash"
	else
		status=1
		kept=$(keep_artifacts "$t")
		result="CRASH (exit $rc) kept: ${kept:-nothing; see $log}"
	fi
	printf '%-10s runs %-9s cov %s -> %s (+%s)  new units %-5s %s\n' \
	    "$t" "${runs:-?}" "${cov0:-?}" "${cov1:-?}" \
	    "$(( ${cov1:-0} - ${cov0:-0} ))" "${units:-?}" "$result"
}

# Each crasher alone, so one failure does not hide the next; then the
# seeds once each (-runs=0: read the corpus, run it, stop).
regress() {
	t=$1
	bin=$FUZZ_DIR/bin/fuzz_$t
	log=$FUZZ_DIR/logs/regress-$t.log
	n=0
	bad=0
	seeds_ok=ok
	: >"$log"
	for c in "$FUZZ_CRASHERS/$t"-*; do
		[ -f "$c" ] || continue
		n=$((n + 1))
		# shellcheck disable=SC2086
		if ! "$bin" $LIMITS "$c" >>"$log" 2>&1; then
			bad=$((bad + 1))
			say "$t: FAILS $c"
		fi
	done
	# shellcheck disable=SC2086
	if ! "$bin" $LIMITS -runs=0 "$seeds/$(seeds_of "$t")" >>"$log" 2>&1; then
		seeds_ok=FAILED
		say "$t: a seed fails (see $log)"
	fi
	printf '%-10s crashers: %d replayed, %d fail; seeds: %s\n' "$t" "$n" \
	    "$bad" "$seeds_ok"
	[ "$bad" -eq 0 ] && [ "$seeds_ok" = ok ] || status=1
}

for t in $FUZZ_TARGETS; do
	if [ "$mode" = regress ]; then
		regress "$t"
	else
		fuzz "$t"
	fi
done
[ "$status" -eq 0 ] || say "failures above; logs in $FUZZ_DIR/logs"
exit "$status"
