#!/bin/sh
# fuzz.sh: builds the libFuzzer harnesses with clang and runs each for a while (make fuzz).
#
# Called by Makefile.am's fuzz rule, which passes (environment):
#   CLANG CLANGXX     compilers (empty: clang is not installed)
#   SRCDIR            the source tree; the build goes to the current directory
#   LIB_SOURCES       lib/libsouk.a's sources (only .c and .cc are compiled)
#   FUZZ_TARGETS      harness names: tests/fuzz/fuzz_<name>.c
#   FUZZ_SECONDS      seconds per target (0: build only)
#   FUZZ_JOBS         parallel compilations
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

# One object per library source, rebuilt when the source, a header of
# lib/ (any: not exact deps) or this script is newer than it; the
# harnesses and fuzz_common.c are small and always rebuilt.
newest_header=$(find "$SRCDIR/lib" -name '*.h' -newer "$OBJ/.stamp" 2>/dev/null | head -n 1 || true)
[ -f "$OBJ/.stamp" ] || newest_header=all
list=tests/fuzz/fuzz_common.c
for s in $LIB_SOURCES; do
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
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -fsanitize=fuzzer -c "$src" -o "$OBJ/fuzz_$t.o"
	# shellcheck disable=SC2086
	$CLANGXX $SAN -fsanitize=fuzzer -o "$OUT/fuzz_$t" "$OBJ/fuzz_$t.o" $objs ${LIBS:-}
done
[ "${FUZZ_SECONDS:-30}" -gt 0 ] || exit 0

pass=0 fail=0
for t in $FUZZ_TARGETS; do
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
		pass=$((pass + 1))
	else
		echo "not ok - fuzz_$t: crash or failure (log: $log; inputs: $OUT/artifacts/$t-*)"
		grep -E -m 8 'ERROR|runtime error|invariant|Test unit written' "$log" | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
