# tests/report.sh: the counting and summary of `bin/souk test` (sourced by bin/souk; uses its log, tail_logs, stack_down).
# shellcheck shell=bash
#
# Every part of the run adds to the counters below: count_unit (CUnit, from
# make check), count_line (the "integration:" / "browser:" lines of the
# runners), check_sanitizer_logs and check_release_build (one check each).
# test_finish, the EXIT trap of cmd_test, stops the throwaway stack and
# prints the one last line, "N passed, N failed" (exit 1 when a test or the
# build/stack failed).

UNIT_P=0 UNIT_F=0 INT_P=0 INT_F=0 BR_P=0 BR_F=0 FUZZ_P=0 FUZZ_F=0 EXTRA_F=0 STOPPED=0

# Where the run's time goes (CI must stay well under 20 minutes): phase
# NAME [DETAIL] ends the phase running (if any) and starts NAME, logging
# the clock, the seconds since the run began and DETAIL; test_finish
# prints one "time:" line with each phase's seconds and the total.
RUN_T0=$(date +%s) PHASE_NAME="" PHASE_T0=0 PHASE_TIMES=""
phase() {
    local now
    now=$(date +%s)
    [ -z "$PHASE_NAME" ] || PHASE_TIMES+="${PHASE_TIMES:+, }$PHASE_NAME $((now - PHASE_T0)) s"
    PHASE_NAME=$1 PHASE_T0=$now
    [ -z "$1" ] || log "[$(date -u +%H:%M:%S) +$((now - RUN_T0)) s] $1${2:+: $2}"
}

# Counts CUnit results of `make check` in $BUILD: per test program, the
# "tests" row of CUnit's Run Summary (failed suites count as failures); a
# program without a summary counts once by its automake result; a program
# that failed although its tests passed (crash, leak report) counts one
# failure. Without automake .trs files, parses the make output ($1).
count_unit() {
    local out=$1 trs tlog res p f
    local -a trs_files
    mapfile -t trs_files < <(find "$BUILD" -name '*.trs' 2>/dev/null | sort)
    if [ "${#trs_files[@]}" -eq 0 ]; then
        read -r p f < <(cunit_summary "$out")
        UNIT_P=$((UNIT_P + p)) UNIT_F=$((UNIT_F + f))
        return 0
    fi
    for trs in "${trs_files[@]}"; do
        tlog=${trs%.trs}.log
        res=$(sed -n 's/^:test-result: *//p' "$trs" | head -n1)
        read -r p f < <(cunit_summary "$tlog")
        if grep -q 'Run Summary' "$tlog" 2>/dev/null; then
            case $res in FAIL | ERROR | XPASS) [ "$f" -gt 0 ] || f=1 ;; esac
        else
            case $res in PASS | XFAIL) p=1 ;; FAIL | ERROR | XPASS) f=1 ;; esac
        fi
        log "unit: ${trs#"$BUILD"/}: ${res:-?}, $p passed, $f failed"
        [ "$f" -gt 0 ] && tail_logs "$tlog"
        UNIT_P=$((UNIT_P + p)) UNIT_F=$((UNIT_F + f))
    done
}

# Prints "passed failed" summed over CUnit Run Summaries in file $1.
cunit_summary() {
    awk '/Run Summary/ { s = 1; next }
         s && $1 == "suites" && $5 ~ /^[0-9]+$/ { f += $5 }
         s && $1 == "tests" { p += $4; f += $5; s = 0 }
         END { printf "%d %d\n", p, f }' "$1" 2>/dev/null || echo "0 0"
}

# Reads "<label>: N passed, N failed" from file $2; prints "N N".
count_line() {
    local line
    line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$2" | tail -n1 || true)
    if [ -z "$line" ]; then echo "0 0"; return; fi
    echo "$line" | sed -E 's/^[^:]*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'
}

test_finish() {
    local rc=$?
    trap - EXIT
    set +e
    bg_stop_all
    if [ -n "${VAR:-}" ]; then
        phase stop
        stack_down >>"$LOGDIR/test-stack.log" 2>&1
    fi
    phase ""
    local passed=$((UNIT_P + INT_P + BR_P + FUZZ_P)) failed=$((UNIT_F + INT_F + BR_F + FUZZ_F + EXTRA_F))
    [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && [ "$STOPPED" -eq 0 ] && failed=1
    local other=""
    [ "$EXTRA_F" -gt 0 ] && other="; build/stack: $EXTRA_F failed"
    # the tests not run yet would not be counted at all
    [ "$STOPPED" -eq 1 ] && other+="; stopped by a signal: 1 failed" && failed=$((failed + 1))
    echo "unit: $UNIT_P passed, $UNIT_F failed; integration: $INT_P passed, $INT_F failed; browser: $BR_P passed, $BR_F failed; fuzz: $FUZZ_P passed, $FUZZ_F failed$other" >&2
    echo "time: ${PHASE_TIMES:-?}; total $(($(date +%s) - RUN_T0)) s" >&2
    echo "logs: $LOGDIR" >&2
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] && exit 0
    exit 1
}

# Runs the browser tests when there are any; sets BR_P/BR_F.
run_browser_tests() {
    local dir=$REPO/tests/browser
    compgen -G "$dir/[0-9][0-9]-*.mjs" >/dev/null || { log "no browser tests"; return 0; }
    # installed again when the lock file changed (a package was added)
    if [ ! -d "$dir/node_modules/playwright-core" ] ||
        [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        phase npm "install playwright-core (no browser download)"
        local npmcmd=install
        [ -f "$dir/package-lock.json" ] && npmcmd=ci
        if ! (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm "$npmcmd" --no-audit --no-fund) \
            >"$LOGDIR/npm.log" 2>&1; then
            tail_logs "$LOGDIR/npm.log"
            log "npm $npmcmd failed"
            BR_F=1
            return 0
        fi
    fi
    phase browser "tests (system Chromium)"
    SOUK_URL=$URL SOUK_MAIL_DIR="$MAIL_DIR" SOUK_ARTIFACTS="$LOGDIR/browser" timeout 600 node "$dir/run.mjs" "${ONLY_BR[@]}" 2>&1 |
        tee "$LOGDIR/browser.log" || true
    read -r BR_P BR_F < <(count_line browser "$LOGDIR/browser.log")
    if [ "$((BR_P + BR_F))" -eq 0 ]; then BR_F=1; fi
}

# Sanitizer reports in the pools' and the worker's logs are failures even
# if every check passed.
check_sanitizer_logs() {
    local name hits=0
    for name in "${POOLS[@]}" worker searchd payd; do
        if grep -E -q 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:' "$LOGDIR/$name.log" 2>/dev/null; then
            echo "not ok - sanitizer report in $LOGDIR/$name.log"
            grep -E -m 5 -A 15 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:' "$LOGDIR/$name.log"
            hits=1
        fi
    done
    if [ "$hits" -eq 0 ]; then
        echo "ok - no sanitizer reports in the pool, worker, searchd and payd logs"
        INT_P=$((INT_P + 1))
    else
        INT_F=$((INT_F + 1))
    fi
}

# Builds that need no stack run in the background, beside the tests
# that do: the fuzz targets' clang build, then the release build, one
# compiler at a time (the integration scripts mostly run one program at a
# time and leave the other core idle). bg_start NAME COMMAND... starts
# one in its own process group under SCHED_IDLE (a runnable test process
# always takes the core from it; at nice 19 instead, 46-searchd-reconcile
# took 46 s beside a build, 30-33 s under SCHED_IDLE, 19-23 s alone, on
# the shared 2-core VM), output in $LOGDIR/NAME.log; bg_wait NAME gives
# it the normal policy back (the tests are done: nothing else should
# wait for it) and returns its status; bg_stop_all (from test_finish)
# ends those still running.
declare -A BG_PID=()
bg_start() {
    local name=$1
    shift
    setsid nice -n 19 chrt --idle 0 "$@" >"$LOGDIR/$name.log" 2>&1 </dev/null &
    BG_PID[$name]=$!
    log "$name: started in the background (pid $!, SCHED_IDLE)"
}
bg_wait() {
    local pid=${BG_PID[$1]:-} rc=0 f stat pgrp
    [ "$pid" != done ] || return 0
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    for f in /proc/[0-9]*/stat; do
        { read -r stat <"$f"; } 2>/dev/null || continue
        # after the command's name: state, parent, process group
        read -r _ _ pgrp _ <<<"${stat##*) }"
        [ "$pgrp" = "$pid" ] || continue
        f=${f#/proc/}
        chrt --other -p 0 "${f%/stat}" >/dev/null 2>&1 || true
    done
    renice -n 0 -g "$pid" >/dev/null 2>&1 || true
    wait "$pid" || rc=$?
    BG_PID[$1]=done
    return "$rc"
}
# (a pid not yet waited for cannot have been given to another process)
bg_stop_all() {
    local name
    for name in "${!BG_PID[@]}"; do
        [ "${BG_PID[$name]}" = done ] || kill -TERM -- "-${BG_PID[$name]}" 2>/dev/null || true
    done
}

# bin/souk up builds without sanitizers, where gcc's warnings differ: make
# sure that build compiles too (-Werror), in a throwaway directory.
# start_background_builds starts the fuzz targets' build (make fuzz with
# FUZZ_SECONDS=0: build only) and then that one, when the integration
# tests start; each leaves its status in $VAR/NAME.rc. check_release_build
# waits for them and counts the release build; run_fuzz then runs the
# targets (make fuzz compiles what is missing, and fails visibly if the
# build did).
start_background_builds() {
    local dir=$VAR/release-build
    mkdir -p "$dir"
    rm -f "$VAR/fuzz-build.rc" "$VAR/release-build.rc"
    # shellcheck disable=SC2016
    bg_start background-builds bash -c '
        make -C "$1" fuzz FUZZ_SECONDS=0 FUZZ_JOBS=1 >"$4/fuzz-build.log" 2>&1
        echo $? >"$5/fuzz-build.rc"
        (cd "$2" && "$3/configure" && make -j1) >"$4/release-build.log" 2>&1
        echo $? >"$5/release-build.rc"' _ "$BUILD" "$dir" "$REPO" "$LOGDIR" "$VAR"
}

check_release_build() {
    [ -n "${BG_PID[background-builds]:-}" ] || start_background_builds
    phase release-build "waiting for it"
    bg_wait background-builds || true
    if [ "$(cat "$VAR/release-build.rc" 2>/dev/null)" = 0 ]; then
        echo "ok - the release build (bin/souk up's flags) compiles with -Werror"
        INT_P=$((INT_P + 1))
    else
        echo "not ok - the release build (bin/souk up's flags) compiles with -Werror"
        grep -E 'error|warning' "$LOGDIR/release-build.log" | head -n 20 | sed -e 's/^/#   /' || true
        INT_F=$((INT_F + 1))
    fi
}

# A short libFuzzer run (make fuzz, tests/fuzz/): SOUK_TEST_FUZZ_SECONDS
# (default 60) shared by the targets; each target is one test (it fails
# on a crash, a sanitizer report or a broken invariant, seeds included).
run_fuzz() {
    local total=${SOUK_TEST_FUZZ_SECONDS:-60} n per
    n=$(sed -n 's/^FUZZ_TARGETS = //p' "$REPO/Makefile.am" | wc -w)
    [ "$n" -gt 0 ] || n=1
    per=$((total / n))
    [ "$per" -ge 1 ] || per=1
    phase fuzz "$n targets, $per s each, $JOBS at a time (make fuzz)"
    bg_wait background-builds || true
    [ "$(cat "$VAR/fuzz-build.rc" 2>/dev/null)" = 0 ] ||
        log "fuzz: the background build failed (log: $LOGDIR/fuzz-build.log); make fuzz tries again"
    make -C "$BUILD" fuzz FUZZ_SECONDS="$per" FUZZ_JOBS="$JOBS" >"$LOGDIR/fuzz.log" 2>&1 || true
    grep -E '^(ok|not ok|#)' "$LOGDIR/fuzz.log" || true
    read -r FUZZ_P FUZZ_F < <(count_line fuzz "$LOGDIR/fuzz.log")
    if [ "$((FUZZ_P + FUZZ_F))" -eq 0 ]; then
        tail_logs "$LOGDIR/fuzz.log"
        FUZZ_F=1
    fi
}
