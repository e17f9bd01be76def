#!/usr/bin/env bash
# bench/run.sh -- the Plat benchmark suite: each benchmark as a Plat
# program and an equivalent Go program (C for `cpu`), built here and run
# side by side in the same run.
#
#   bench/run.sh [--smoke] [--update-docs] [NAME...]
#
#   (default)      full sizes; BENCH_RUNS rounds (default 5), in each round
#                  the Plat and the reference program run one after the
#                  other (the order flips every round); prints per
#                  benchmark the Plat median, the reference median, the
#                  ratio Plat/reference and the target of issue 7.
#   --smoke        tiny sizes, one run each, correctness only: no timing
#                  is printed or judged (CI-safe, a few seconds).
#   --update-docs  also write the table and the machine into
#                  docs/BENCHMARKS.md (between the bench:results markers).
#   NAME...        only these benchmarks (default: all).
#
# Every program prints a checksum; every run of either program must print
# exactly what the first run printed.  A wrong answer, a crash, a non-zero
# exit or a timeout (BENCH_TIMEOUT seconds per run) fails the benchmark
# loudly and makes the script exit 1.  A missed target does not: it is a
# result, shown in the table.
#
# A benchmark directory holding a file WAITING is skipped; the file says
# which compiler or runtime feature it waits for.
#
# Needs build/plat and build/libplatrt.a (`make`), a C compiler, and Go
# for the references (installed with tools/ensure-deps.sh go when missing).
# Work files go to build/bench/.
set -u -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
out=build/bench
plat=build/plat
smoke=0
update_docs=0
names=()
for a in "$@"; do
  case $a in
    --smoke) smoke=1 ;;
    --update-docs) update_docs=1 ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench: unknown option $a (see --help)" >&2; exit 2 ;;
    *) names+=("$a") ;;
  esac
done
all=(spawn skynet pingpong pipeline fib blocked_mem cpu)
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")
for b in "${names[@]}"; do
  [ -f "bench/$b/main.plat" ] || { echo "bench: no benchmark \`$b\` (have: ${all[*]})" >&2; exit 2; }
done
if [ $smoke = 1 ]; then runs=1; else runs=${BENCH_RUNS:-5}; fi
case $runs in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac
timeout_s=${BENCH_TIMEOUT:-$([ $smoke = 1 ] && echo 60 || echo 300)}

# ---- per-benchmark facts ---------------------------------------------------
full_size() {
  case $1 in spawn|skynet|pingpong) echo 1000000 ;; pipeline) echo 4000000 ;;
    fib) echo 40 ;; blocked_mem) echo 100000 ;; cpu) echo 35 ;; esac
}
smoke_size() {
  case $1 in spawn|skynet|pingpong|blocked_mem) echo 1000 ;; pipeline) echo 4000 ;;
    fib) echo 24 ;; cpu) echo 12 ;; esac
}
ref_kind() { if [ "$1" = cpu ]; then echo C; else echo Go; fi; }
label() { if [ "$2" = plat ]; then echo Plat; else ref_kind "$1"; fi; }
# Targets of issue 7: Plat/reference time ratio at most this.
target() {
  case $1 in spawn|skynet) echo 0.4 ;; pingpong) echo 0.3 ;; pipeline) echo 0.8 ;;
    fib) echo 0.9 ;; cpu) echo 1.1 ;; esac
}

# ---- helpers ---------------------------------------------------------------
failed=0
# run() also executes in command substitutions: the marker file carries a
# failure out of the subshell.
fail() { echo "bench: FAIL $*" >&2; failed=1; : >"$out/FAILED"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
met() { if le "$1" "$2"; then echo yes; else echo "**no**"; fi; }

# run B WHICH SIZE [VAR=VALUE...]: one measured run of build/bench/B/WHICH;
# prints "<ns> <maxrss_kb> <cpu_ns>".  Checks the exit status and that the output
# equals the first output seen for B at SIZE.
run() {
  local b=$1 which=$2 size=$3; shift 3
  local d=$out/$b
  if ! env "$@" "$out/measure" "$d/stats" "$timeout_s" "$d/$which" "$size" >"$d/$which.out" 2>"$d/$which.err"; then
    local st; st=$(cut -d' ' -f3 "$d/stats" 2>/dev/null)
    fail "$b: $which ${*:+($*) }with size $size exited with status ${st:-?}$([ "${st:-}" = 137 ] && echo " (killed: timeout ${timeout_s}s?)")"
    tail -n 15 "$d/$which.err" | sed 's/^/  | /' >&2
    return 1
  fi
  if [ ! -s "$d/$which.out" ]; then fail "$b: $which printed no checksum"; return 1; fi
  local ref=$d/answer.$size who
  if [ ! -f "$ref" ]; then
    cp "$d/$which.out" "$ref"
    echo "$(label "$b" "$which")${*:+ ($*)}" >"$ref.who"
  elif ! cmp -s "$ref" "$d/$which.out"; then
    who=$(cat "$ref.who")
    fail "$b: WRONG ANSWER at size $size: $(label "$b" "$which")${*:+ ($*)} printed" \
         "[$(tr '\n' ' ' <"$d/$which.out" | sed 's/ $//')], $who printed [$(tr '\n' ' ' <"$ref" | sed 's/ $//')]"
    return 1
  fi
  cut -d' ' -f1,2,4 "$d/stats"
}

# series B SIZE "PLAT_ENV" "REF_ENV": $runs alternating rounds; sets
# plat_ns plat_kb plat_cpu ref_ns ref_kb ref_cpu to the medians.  Returns 1 on a failure.
series() {
  local b=$1 size=$2 penv=$3 renv=$4 r s
  local pt=() pk=() pc=() rt=() rk=() rc=() f
  for ((r = 0; r < runs; r++)); do
    for which in $([ $((r % 2)) = 0 ] && echo "plat ref" || echo "ref plat"); do
      if [ "$which" = plat ]; then
        # shellcheck disable=SC2086
        s=$(run "$b" plat "$size" $penv) || return 1
        read -ra f <<<"$s"; pt+=("${f[0]}"); pk+=("${f[1]}"); pc+=("${f[2]}")
      else
        # shellcheck disable=SC2086
        s=$(run "$b" ref "$size" $renv) || return 1
        read -ra f <<<"$s"; rt+=("${f[0]}"); rk+=("${f[1]}"); rc+=("${f[2]}")
      fi
    done
  done
  plat_ns=$(printf '%s\n' "${pt[@]}" | median); plat_kb=$(printf '%s\n' "${pk[@]}" | median)
  ref_ns=$(printf '%s\n' "${rt[@]}" | median); ref_kb=$(printf '%s\n' "${rk[@]}" | median)
  plat_cpu=$(printf '%s\n' "${pc[@]}" | median); ref_cpu=$(printf '%s\n' "${rc[@]}" | median)
}

# ---- tools -----------------------------------------------------------------
if [ ! -x "$plat" ] || [ ! -f build/libplatrt.a ]; then
  echo "bench: build/plat or build/libplatrt.a missing: run \`make\` first (or use \`make bench\`)" >&2
  exit 1
fi
mkdir -p "$out"
rm -f "$out/FAILED"
cc=${CC:-cc}
$cc -std=gnu11 -O2 -Wall -Wextra -o "$out/measure" bench/tools/measure.c || { echo "bench: cannot build bench/tools/measure.c" >&2; exit 1; }
need_go=0
for b in "${names[@]}"; do [ "$(ref_kind "$b")" = Go ] && [ ! -f "bench/$b/WAITING" ] && need_go=1; done
if [ $need_go = 1 ]; then
  tools/ensure-deps.sh go || exit 1
  export GOCACHE=${GOCACHE:-$root/$out/go-cache} GOTOOLCHAIN=local GOFLAGS=${GOFLAGS:-}
fi

# ---- build -----------------------------------------------------------------
ready=() waiting=()
for b in "${names[@]}"; do
  if [ -f "bench/$b/WAITING" ]; then
    waiting+=("$b: $(head -n 1 "bench/$b/WAITING")")
    [ $smoke = 1 ] || echo "bench: $b waits: $(head -n 1 "bench/$b/WAITING")" >&2
    continue
  fi
  d=$out/$b
  rm -rf "$d" && mkdir -p "$d"
  if ! "$plat" build "bench/$b/main.plat" -o "$d/plat" >"$d/build.log" 2>&1; then
    fail "$b: bench/$b/main.plat does not compile:"; sed 's/^/  | /' "$d/build.log" >&2; continue
  fi
  if [ "$(ref_kind "$b")" = C ]; then
    $cc -std=gnu11 -O2 -o "$d/ref" "bench/$b/main.c" >"$d/build.log" 2>&1
  else
    go build -o "$d/ref" "bench/$b/main.go" >"$d/build.log" 2>&1
  fi || { fail "$b: the reference does not build:"; sed 's/^/  | /' "$d/build.log" >&2; continue; }
  ready+=("$b")
done

# ---- smoke: correctness only -----------------------------------------------
if [ $smoke = 1 ]; then
  for b in "${ready[@]}"; do
    size=$(smoke_size "$b")
    run "$b" plat "$size" >/dev/null || continue
    run "$b" ref "$size" >/dev/null || continue
    case $b in
      fib) run "$b" plat "$size" PLAT_WORKERS=1 >/dev/null || continue ;;
      blocked_mem) { run "$b" plat 0 >/dev/null && run "$b" ref 0 >/dev/null; } || continue ;;
    esac
    echo "ok   $b (size $size, checksum $(tr '\n' ' ' <"$out/$b/answer.$size"| sed 's/ $//'))"
  done
  for w in "${waiting[@]}"; do echo "wait ${w}"; done
  [ $failed = 0 ] && echo "bench-smoke: ${#ready[@]} passed, ${#waiting[@]} waiting" || echo "bench-smoke: FAILED" >&2
  exit $failed
fi

# ---- full run ----------------------------------------------------------------
table=$out/results.md
{
  echo "| benchmark | size | Plat | reference | Plat / reference | target | met | CPU time Plat / ref |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$table"
row() { echo "| $* |" >>"$table"; }
failrow() { row "$1 | $2 | **FAILED** | - | - | - | see the run's messages | -"; }
for b in "${ready[@]}"; do
  size=$(full_size "$b")
  ref=$(ref_kind "$b")
  echo "bench: $b ($runs rounds) ..." >&2
  case $b in
    blocked_mem)
      series "$b" "$size" "" "" || { failrow "$b" "$size"; continue; }
      full_pkb=$plat_kb full_rkb=$ref_kb
      series "$b" 0 "" "" || { failrow "$b" "$size"; continue; }
      per_p=$(awk -v a="$full_pkb" -v b="$plat_kb" -v n="$size" 'BEGIN { printf "%.2f", (a - b) / n }')
      per_r=$(awk -v a="$full_rkb" -v b="$ref_kb" -v n="$size" 'BEGIN { printf "%.2f", (a - b) / n }')
      row "$b | $size tasks | $per_p KB/task | $per_r KB/task ($ref) | $(ratio "$per_p" "$per_r") | <= 4.5 KB/task | $(met "$per_p" 4.5) | -"
      ;;
    fib)
      series "$b" "$size" "" "" || { failrow "$b" "$size"; continue; }
      row "$b | $size | $(ms "$plat_ns") ms | $(ms "$ref_ns") ms ($ref) | $(ratio "$plat_ns" "$ref_ns") | <= 0.9 | $(met "$(ratio "$plat_ns" "$ref_ns")" 0.9) | $(ratio "$plat_cpu" "$ref_cpu")"
      series "$b" "$size" PLAT_WORKERS=1 GOMAXPROCS=1 || { failrow "fib speed-up" "$size"; continue; }
      p1=$plat_ns r1=$ref_ns
      series "$b" "$size" PLAT_WORKERS=2 GOMAXPROCS=2 || { failrow "fib speed-up" "$size"; continue; }
      ps=$(ratio "$p1" "$plat_ns") rs=$(ratio "$r1" "$ref_ns")
      row "fib speed-up 1 -> 2 workers | $size | ${ps}x | ${rs}x ($ref) | - | >= 1.8x | $(le 1.8 "$ps" && echo yes || echo "**no**") | -"
      ;;
    *)
      series "$b" "$size" "" "" || { failrow "$b" "$size"; continue; }
      r=$(ratio "$plat_ns" "$ref_ns")
      row "$b | $size | $(ms "$plat_ns") ms | $(ms "$ref_ns") ms ($ref) | $r | <= $(target "$b") | $(met "$r" "$(target "$b")") | $(ratio "$plat_cpu" "$ref_cpu")"
      ;;
  esac
done
for w in "${waiting[@]}"; do row "${w%%:*} | - | waiting | - | - | - | ${w#*: } | -"; done

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
machine="$cpu_model, $(nproc) cores; Linux $(uname -r); $(go version 2>/dev/null | sed 's/^go version //'); $($cc --version | head -n 1)"
echo
cat "$table"
echo
echo "Machine: $machine. Medians of $runs alternating runs; times are wall clock of the whole process; the last column compares user+system CPU time."
if [ $update_docs = 1 ]; then
  doc=docs/BENCHMARKS.md
  block=$out/block.md
  {
    echo "<!-- bench:results:begin (written by bench/run.sh --update-docs) -->"
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on: $machine."
    echo "Medians of $runs alternating runs (\`BENCH_RUNS=$runs make bench\`)."
    echo
    cat "$table"
    echo "<!-- bench:results:end -->"
  } >"$block"
  if [ -f "$doc" ] && grep -q '<!-- bench:results:begin' "$doc"; then
    awk -v blk="$block" '
      /<!-- bench:results:begin/ { while ((getline l < blk) > 0) print l; skip = 1; next }
      /<!-- bench:results:end/ { skip = 0; next }
      !skip' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
  else
    if [ -f "$doc" ]; then echo >>"$doc"; fi
    cat "$block" >>"$doc"
  fi
  echo "bench: updated $doc"
fi
[ -f "$out/FAILED" ] && failed=1
[ $failed = 0 ] || echo "bench: FAILED (see the messages above)" >&2
exit $failed
