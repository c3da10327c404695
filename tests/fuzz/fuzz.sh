#!/bin/sh
# fuzz.sh: builds the libFuzzer harnesses with clang and runs each for a while (make fuzz).
#
# Called by Makefile.am's fuzz rule, which passes (environment):
#   CLANG CLANGXX     compilers (empty: clang is not installed)
#   SRCDIR            the source tree; the build goes to the current directory
#   LIB_SOURCES       lib/libsouk.a's sources (only .c and .cc are compiled)
#   FUZZ_TARGETS      harness names: tests/fuzz/fuzz_<name>.c
#   FUZZ_SECONDS      seconds per target (0: build only)
#   FUZZ_JOBS         parallel compilations, and targets run at a time
#   INCLUDES LIBS     the build's -I/-D flags (pkg-config) and libraries
# Prints one "ok"/"not ok" line per target and "fuzz: N passed, N failed".
set -eu

if [ -z "${CLANG:-}" ] || [ -z "${CLANGXX:-}" ]; then
	echo "fuzz: clang not found (apt-get install clang, then re-run configure)" >&2
	exit 2
fi
OUT=tests/fuzz
OBJ=$OUT/obj
mkdir -p "$OBJ" "$OUT/work" "$OUT/artifacts"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $SAN -fsanitize=fuzzer-no-link \
	-I$SRCDIR/lib -I$SRCDIR/tests/fuzz ${INCLUDES:-}"
CXXFLAGS="-std=c++11 -Wall -Wextra -Werror $SAN -I$SRCDIR/lib ${INCLUDES:-}"

# One object per library source and for fuzz_common.c, rebuilt when the
# source, a header of lib/ or tests/fuzz/ (any: not exact deps) or this
# script is newer than it; a harness is compiled and linked again when
# an object was, or its source, fuzz.h or this script is newer than it.
# (bin/souk test builds them beside the integration tests, then runs them:
# the second make fuzz must not compile everything again.)
newest_header=$(find "$SRCDIR/lib" "$SRCDIR/tests/fuzz" -name '*.h' -newer "$OBJ/.stamp" 2>/dev/null | head -n 1 || true)
[ -f "$OBJ/.stamp" ] || newest_header=all
list=
for s in $LIB_SOURCES tests/fuzz/fuzz_common.c; do
	case $s in *.c | *.cc) ;; *) continue ;; esac
	o=$OBJ/$(echo "$s" | tr / _).o
	if [ -n "$newest_header" ] || [ ! -f "$o" ] || [ "$SRCDIR/$s" -nt "$o" ] ||
		[ "$SRCDIR/tests/fuzz/fuzz.sh" -nt "$o" ]; then
		list="$list $s"
	fi
done
if [ -n "$list" ]; then
	echo "fuzz: compiling$(echo "$list" | wc -w | sed 's/^/ /') sources with $CLANG" >&2
	export CLANG CLANGXX CFLAGS CXXFLAGS SRCDIR OBJ
	# shellcheck disable=SC2016
	printf '%s\n' $list | xargs -P "${FUZZ_JOBS:-2}" -I{} sh -c '
		s={}; o=$OBJ/$(echo "$s" | tr / _).o
		case $s in
			*.cc) $CLANGXX $CXXFLAGS -c "$SRCDIR/$s" -o "$o" ;;
			*) $CLANG $CFLAGS -c "$SRCDIR/$s" -o "$o" ;;
		esac'
fi
touch "$OBJ/.stamp"
objs=
for s in $LIB_SOURCES tests/fuzz/fuzz_common.c; do
	case $s in *.c | *.cc) objs="$objs $OBJ/$(echo "$s" | tr / _).o" ;; esac
done

for t in $FUZZ_TARGETS; do
	src=$SRCDIR/tests/fuzz/fuzz_$t.c
	bin=$OUT/fuzz_$t
	if [ -z "$list" ] && [ -x "$bin" ] && [ ! "$src" -nt "$bin" ] &&
		[ ! "$SRCDIR/tests/fuzz/fuzz.h" -nt "$bin" ] && [ ! "$SRCDIR/tests/fuzz/fuzz.sh" -nt "$bin" ]; then
		continue
	fi
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -fsanitize=fuzzer -c "$src" -o "$OBJ/fuzz_$t.o"
	# shellcheck disable=SC2086
	$CLANGXX $SAN -fsanitize=fuzzer -o "$bin" "$OBJ/fuzz_$t.o" $objs ${LIBS:-}
done
[ "${FUZZ_SECONDS:-30}" -gt 0 ] || exit 0

# Each target runs for FUZZ_SECONDS on its own; FUZZ_JOBS of them at a
# time (one a core: a target run alone left the other core idle). The
# lines are printed in the targets' order.
run_target() {
	t=$1
	seeds=$SRCDIR/tests/fuzz/corpus/$t
	dict=$SRCDIR/tests/fuzz/dict/$t.dict
	mkdir -p "$OUT/work/$t"
	log=$OUT/fuzz_$t.log
	set -- -max_total_time="${FUZZ_SECONDS:-30}" -max_len=8192 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-"
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	# New inputs go to work/ (first directory); the committed seeds are
	# only read, so a crash found once is replayed by every later run.
	if "$OUT/fuzz_$t" "$@" "$OUT/work/$t" "$seeds" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		echo "ok - fuzz_$t: ${runs:-?} runs in ${FUZZ_SECONDS:-30} s, no crash"
	else
		echo "not ok - fuzz_$t: crash or failure (log: $log; inputs: $OUT/artifacts/$t-*)"
		grep -E -m 8 'ERROR|runtime error|invariant|Test unit written' "$log" | sed 's/^/#   /'
	fi
}
running=0
for t in $FUZZ_TARGETS; do
	rm -f "$OUT/fuzz_$t.result"
	{
		run_target "$t" >"$OUT/fuzz_$t.result.tmp" 2>&1
		mv "$OUT/fuzz_$t.result.tmp" "$OUT/fuzz_$t.result"
	} &
	running=$((running + 1))
	# the targets all run for the same time: wait for the whole batch
	if [ "$running" -ge "${FUZZ_JOBS:-2}" ]; then
		wait
		running=0
	fi
done
wait
pass=0 fail=0
for t in $FUZZ_TARGETS; do
	if [ -f "$OUT/fuzz_$t.result" ] && grep -q '^ok - ' "$OUT/fuzz_$t.result"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
	if [ -f "$OUT/fuzz_$t.result" ]; then
		cat "$OUT/fuzz_$t.result"
	else
		echo "not ok - fuzz_$t: no result (see $OUT/fuzz_$t.log)"
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
