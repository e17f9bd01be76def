#!/usr/bin/env bash
# tests/run.sh -- runs the test layers and prints "N passed, N failed".
#
#   tests/run.sh all        runtime and compiler unit tests + language tests
#                           + bench smoke
#   tests/run.sh runtime    C tests of the runtime (build/rt-tests/test_*)
#   tests/run.sh compiler   C tests of the front end (build/compiler-tests/
#                           test_*) and the checks in tests/compiler/*.sh
#   tests/run.sh lang       language and driver tests (run/, conc/, fail/,
#                           unit/, driver/)
#   tests/run.sh driver [NAME...]  the driver tests only (or those named)
#   tests/run.sh sanitize   runtime tests and tests/conc/ under the runtime
#                           variant named by PLAT_VARIANT (asan or tsan),
#                           which the programs see in their environment;
#                           X.tsan.out (X.asan.out), if present, replaces
#                           X.out in that run
#
# Language test formats (header comments at the top of the .plat file):
#   tests/run/X.plat   built and run; stdout must equal X.out (empty if no
#                      .out); `// exit: N` sets the expected status (default
#                      0); each `// stderr: TEXT` must appear in stderr;
#                      `// args: A B` passes arguments; `// env: V=X ...`
#                      sets environment variables for every run, and
#                      `// env-asan:` (`env-tsan:`) for that sanitizer run;
#                      `// args-tsan:` (`args-asan:`) appends arguments there.
#   tests/conc/X.plat  like run/, executed with the default workers, with
#                      PLAT_WORKERS=1 and with PLAT_GC_TORTURE=1.
#   tests/fail/X.plat  `plat check` must exit 1 and print, for each
#                      `// error: LINE:COL: TEXT` line, X.plat:LINE:COL and TEXT.
#   tests/unit/X.plat  `plat test X.plat` (with `// test-args: ...`); stdout
#                      must equal X.out, the status `// exit: N`, and each
#                      `// stderr: TEXT` must appear in stderr.  If stdout
#                      holds a replay command (`plat test ... --seed S ...`,
#                      printed by a failing deterministic schedule), running
#                      it must print exactly the same stdout.
#   tests/trace/X.plat like run/, run with PLAT_TRACE=FILE under
#                      PLAT_WORKERS=2 and =1; each trace must pass
#                      tests/trace/check_trace.py with the options of the
#                      file's `// trace-check:` lines.
#
# Driver tests: tests/driver/X.sh is run by bash with PLAT (the compiler),
# ROOT (the tree) and T (a fresh directory, also TMPDIR, with
# PLAT_CACHE_DIR=$T/cache) in the environment; it passes by exiting 0, and
# prints why it failed otherwise (helpers in tests/driver/lib.sh).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
PLAT=$ROOT/build/plat
TMP=$(mktemp -d "${TMPDIR:-/tmp}/plat-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PASS=0; FAIL=0; FAILED=()
TIMEOUT=${PLAT_TEST_TIMEOUT:-120}

ok()   { PASS=$((PASS+1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
bad()  { FAIL=$((FAIL+1)); FAILED+=("$1"); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | head -30 | sed 's/^/     /'; return 0; }

header() { sed -n "s|^// $2: \{0,1\}||p" "$1"; }

run_runtime() {
  local dir=$1 t
  [ -d "$dir" ] || return 0
  for t in "$dir"/test_*; do
    [ -x "$t" ] || continue
    local name="runtime/$(basename "$t")"
    if out=$(timeout "$TIMEOUT" "$t" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
  done
}

run_compiler() {
  local t
  for t in build/compiler-tests/test_* tests/compiler/*.sh; do
    [ -x "$t" ] || continue
    local name="compiler/$(basename "$t")"
    if out=$(timeout "$TIMEOUT" "$t" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
  done
}

# check_run NAME FILE BIN [ENV...]: run BIN, compare with FILE's expectations
check_run() {
  local name=$1 f=$2 bin=$3; shift 3
  local want_exit; want_exit=$(header "$f" exit); want_exit=${want_exit:-0}
  local args; args="$(header "$f" args) $([ -n "${PLAT_VARIANT:-}" ] && header "$f" "args-$PLAT_VARIANT")"
  local fenv; fenv="$(header "$f" env) $([ -n "${PLAT_VARIANT:-}" ] && header "$f" "env-$PLAT_VARIANT")"
  local exp="${f%.plat}.out"
  # a sanitizer run may expect a different output: X.asan.out / X.tsan.out
  [ -n "${PLAT_VARIANT:-}" ] && [ -f "${f%.plat}.$PLAT_VARIANT.out" ] && exp="${f%.plat}.$PLAT_VARIANT.out"
  # shellcheck disable=SC2086
  env $fenv "$@" timeout "$TIMEOUT" "$bin" $args </dev/null >"$TMP/out" 2>"$TMP/err"
  local st=$?
  local why=""
  [ "$st" = "$want_exit" ] || why="exit status $st, expected $want_exit"$'\n'"$(head -c 2000 "$TMP/err")"
  if [ -z "$why" ]; then
    if [ -f "$exp" ]; then
      cmp -s "$exp" "$TMP/out" || why="stdout differs:"$'\n'"$(diff "$exp" "$TMP/out" | head -20)"
    elif [ -s "$TMP/out" ]; then why="unexpected stdout:"$'\n'"$(head -5 "$TMP/out")"; fi
  fi
  [ -z "$why" ] && why=$(check_stderr "$f")
  if [ -z "$why" ]; then ok "$name"; else bad "$name" "$why"; fi
}

# check_stderr FILE: prints why, if a `// stderr:` line of FILE is not in $TMP/err
check_stderr() {
  local line
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    grep -qF -- "$line" "$TMP/err" || { echo "stderr lacks: $line"; head -c 2000 "$TMP/err"; return; }
  done < <(header "$1" stderr)
}

build_prog() {  # build_prog FILE BIN -> 0 if built
  "$PLAT" build "$1" -o "$2" 2>"$TMP/cerr" >/dev/null
}

run_dir_programs() {  # run_dir_programs DIR MODE(run|conc)
  local dir=$1 mode=$2 f
  for f in "$dir"/*.plat; do
    [ -f "$f" ] || continue
    local base; base=$(basename "$f" .plat)
    local name="$mode/$base"
    local bin="$TMP/$mode-$base"
    if ! build_prog "$f" "$bin"; then bad "$name" "does not compile:"$'\n'"$(head -20 "$TMP/cerr")"; continue; fi
    if [ "$mode" = conc ]; then
      check_run "$name" "$f" "$bin"
      check_run "$name[workers=1]" "$f" "$bin" PLAT_WORKERS=1
      check_run "$name[gc-torture]" "$f" "$bin" PLAT_GC_TORTURE=1
    else
      check_run "$name" "$f" "$bin"
    fi
  done
}

run_fail() {
  local f
  for f in tests/fail/*.plat; do
    [ -f "$f" ] || continue
    local name="fail/$(basename "$f" .plat)"
    timeout "$TIMEOUT" "$PLAT" check "$f" >"$TMP/out" 2>"$TMP/err"
    local st=$? why=""
    [ "$st" = 1 ] || why="plat check exited $st, expected 1"
    if [ -z "$why" ]; then
      local n=0
      while IFS= read -r line; do
        [ -z "$line" ] && continue
        n=$((n+1))
        local loc=${line%%: *} msg=${line#*: }
        grep -qF -- "$f:$loc:" "$TMP/err" || { why="no diagnostic at $f:$loc"; break; }
        grep -qF -- "$msg" "$TMP/err" || { why="no message: $msg"; break; }
      done < <(header "$f" error)
      [ -z "$why" ] && [ "$n" = 0 ] && why="test has no '// error:' line"
    fi
    if [ -z "$why" ] && grep -q '^// in-order' "$f"; then   # positions in source order
      local want got
      want=$(header "$f" error | sed 's/: .*//' | sed "s|^|$f:|")
      got=$(grep -oF -f <(printf '%s\n' "$want" | sed 's/$/:/') "$TMP/err" | sed 's/:$//')
      [ "$want" = "$got" ] || why="diagnostics not in source order:"$'\n'"$got"
    fi
    if [ -z "$why" ]; then
      while IFS= read -r line; do
        [ -z "$line" ] && continue
        [ "$(grep -cF -- "$line" "$TMP/err")" = 1 ] || { why="not exactly once: $line"; break; }
      done < <(header "$f" once)
    fi
    if [ -z "$why" ]; then
      while IFS= read -r line; do
        [ -z "$line" ] && continue
        ! grep -qF -- "$line" "$TMP/err" || { why="unexpected: $line"; break; }
      done < <(header "$f" not)
    fi
    if [ -z "$why" ]; then ok "$name"; else bad "$name" "$why"$'\n'"$(head -c 1500 "$TMP/err")"; fi
  done
}

run_unit() {
  local f
  for f in tests/unit/*.plat; do
    [ -f "$f" ] || continue
    local name="unit/$(basename "$f" .plat)"
    local want_exit; want_exit=$(header "$f" exit); want_exit=${want_exit:-0}
    local targs; targs=$(header "$f" test-args)
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "$PLAT" test "$f" $targs >"$TMP/out" 2>"$TMP/err"
    local st=$? why=""
    [ "$st" = "$want_exit" ] || why="exit status $st, expected $want_exit"$'\n'"$(head -c 1500 "$TMP/err")"
    local exp="${f%.plat}.out"
    if [ -z "$why" ] && [ -f "$exp" ]; then
      cmp -s "$exp" "$TMP/out" || why="stdout differs:"$'\n'"$(diff "$exp" "$TMP/out" | head -20)"
    fi
    [ -z "$why" ] && why=$(check_stderr "$f")
    local replay; replay=$(sed -n 's|^ *plat test \(.* --seed .*\)$|\1|p' "$TMP/out" | head -1)
    if [ -z "$why" ] && [ -n "$replay" ]; then
      # shellcheck disable=SC2086
      timeout "$TIMEOUT" "$PLAT" test $replay >"$TMP/replay" 2>/dev/null
      cmp -s "$TMP/out" "$TMP/replay" || why="the replay (plat test $replay) differs:"$'\n'"$(diff "$TMP/out" "$TMP/replay" | head -20)"
    fi
    if [ -z "$why" ]; then ok "$name"; else bad "$name" "$why"; fi
  done
}

# Programs run with PLAT_TRACE; check_trace.py checks each trace.
run_trace() {
  local f
  for f in tests/trace/*.plat; do
    [ -f "$f" ] || continue
    local base; base=$(basename "$f" .plat)
    local bin="$TMP/trace-$base" w
    if ! build_prog "$f" "$bin"; then bad "trace/$base" "does not compile:"$'\n'"$(head -20 "$TMP/cerr")"; continue; fi
    local opts=()
    eval "opts=($(header "$f" trace-check | tr '\n' ' '))"
    for w in 2 1; do
      local name="trace/$base[workers=$w]"
      rm -f "$TMP/trace.json"
      check_run "$name" "$f" "$bin" PLAT_WORKERS=$w PLAT_TRACE="$TMP/trace.json"
      if out=$(python3 tests/trace/check_trace.py "$TMP/trace.json" "${opts[@]}" 2>&1); then ok "$name: trace"
      else bad "$name: trace" "$out"; fi
    done
  done
}

run_driver() {
  local f
  for f in tests/driver/*.sh; do
    [ -f "$f" ] || continue
    case $(basename "$f") in lib.sh) continue ;; esac
    [ -n "${DRIVER_ONLY:-}" ] && [[ "$DRIVER_ONLY" != *" $(basename "$f" .sh) "* ]] && continue
    local name="driver/$(basename "$f" .sh)" t
    t=$(mktemp -d "$TMP/driver.XXXXXX")
    if out=$(cd "$t" && env PLAT="$PLAT" ROOT="$ROOT" T="$t" TMPDIR="$t" PLAT_CACHE_DIR="$t/cache" \
             timeout "$TIMEOUT" bash "$ROOT/$f" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
    rm -rf "$t"
  done
}

# Inputs the fuzzer once crashed the compiler with: `plat check` must end
# with status 0 or 1 (no signal, no internal error).
run_regress() {
  local f
  for f in tests/fuzz/regress/*; do
    [ -f "$f" ] || continue
    local name="fuzz-regress/$(basename "$f")"
    timeout "$TIMEOUT" "$PLAT" check "$f" >/dev/null 2>"$TMP/err"
    local st=$?
    if [ "$st" = 0 ] || [ "$st" = 1 ]; then ok "$name"; else bad "$name" "plat check exited $st"$'\n'"$(head -5 "$TMP/err")"; fi
  done
}

# Every ```plat block of docs/*.md and README.md that holds a whole program
# (it has `fn main`) must pass `plat check`: the docs tell the truth.
run_doc_examples() {
  local md n f
  for md in README.md docs/*.md; do
    [ -f "$md" ] || continue
    awk -v dir="$TMP/doc" -v base="$(basename "$md" .md)" '
      /^```plat[ \t]*$/ { inblk = 1; n++; body = ""; next }
      /^```/ && inblk { inblk = 0; if (body ~ /fn main\(/) { f = dir "-" base "-" n ".plat"; printf "%s", body > f; close(f) } next }
      inblk { body = body $0 "\n" }' "$md"
  done
  for f in "$TMP"/doc-*.plat; do
    [ -f "$f" ] || continue
    n=$(basename "$f" .plat); n=${n#doc-}
    if "$PLAT" check "$f" >/dev/null 2>"$TMP/err"; then ok "docs/$n"; else bad "docs/$n" "$(head -8 "$TMP/err")"; fi
  done
}

# Every example must build (the C compiler accepts what the checker accepts),
# with debug info whose every line-table row is a .plat line with code.
run_examples() {
  local f
  for f in examples/*.plat; do
    [ -f "$f" ] || continue
    local name="examples/$(basename "$f" .plat)"
    if ! "$PLAT" build -g "$f" -o "$TMP/example" >/dev/null 2>"$TMP/err"; then bad "$name" "$(head -8 "$TMP/err")"
    elif ! tests/driver/linecheck "$TMP/example" "$f" >"$TMP/err"; then bad "$name" "-g line table: $(head -8 "$TMP/err")"
    else ok "$name"; fi
  done
}

run_lang() {
  [ -x "$PLAT" ] || { bad "lang" "build/plat missing"; return; }
  run_regress
  run_examples
  run_doc_examples
  run_dir_programs tests/run run
  run_dir_programs tests/conc conc
  run_fail
  run_unit
  run_trace
  run_driver
}

# The benchmarks at tiny sizes, answers only (never timings), so they
# cannot rot.  Installs Go when missing (tools/ensure-deps.sh).
run_bench_smoke() {
  if bench/run.sh --smoke >"$TMP/bench" 2>&1; then ok "bench-smoke"; else bad "bench-smoke" "$(tail -15 "$TMP/bench")"; fi
}

case "${1:-all}" in
  runtime)  run_runtime build/rt-tests ;;
  compiler) run_compiler ;;
  lang)     run_lang ;;
  driver)   shift; if [ $# -gt 0 ]; then
              for n in "$@"; do [ -f "tests/driver/$n.sh" ] || { echo "no tests/driver/$n.sh" >&2; exit 2; }; done
              DRIVER_ONLY=" $* "; fi
            run_driver ;;
  all)      run_runtime build/rt-tests; run_compiler; run_lang; run_bench_smoke ;;
  sanitize)
    v=${PLAT_VARIANT:?set PLAT_VARIANT=asan or tsan}
    run_runtime "build/$v/rt-tests"
    export PLAT_VARIANT="$v"
    run_dir_programs tests/conc conc ;;
  *) echo "usage: tests/run.sh all|runtime|compiler|lang|driver [NAME...]|sanitize" >&2; exit 2 ;;
esac

if [ "$FAIL" -gt 0 ]; then
  echo "failed:"; printf '  %s\n' "${FAILED[@]}"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
