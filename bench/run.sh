#!/usr/bin/env bash
# bench/run.sh -- the Plat benchmark suite: each benchmark as a Plat
# program and the same work written for its peers (Go, C, Crystal), built
# here and run side by side in the same run.
#
#   bench/run.sh [--smoke] [--update-docs] [NAME...]
#
#   (default)      full sizes; BENCH_RUNS rounds (default 5), in each round
#                  the Plat program and its peers run one after the other
#                  (the order rotates every round); prints per benchmark
#                  and peer the medians of wall and CPU time and peak RSS,
#                  the ratios Plat / peer and the target of issue 17.
#   --smoke        tiny sizes, one run each, correctness only: no timing
#                  is printed or judged (CI-safe, a few seconds).
#   --update-docs  also write the table and the machine into
#                  docs/BENCHMARKS.md (between the bench:results markers).
#   NAME...        only these benchmarks (default: all).
#
# Peers: bench/<name>/main.go (Go), main.c (C, cc -O2), main.cr (Crystal,
# crystal build --release).  Crystal is optional: the full run installs it
# (tools/ensure-deps.sh crystal) and uses it when that works; BENCH_CRYSTAL=0
# leaves it out.  --smoke leaves it out unless BENCH_CRYSTAL=1 (its builds
# take a minute), so `make test` never needs it.
#
# Every program prints a checksum; every run of every program at one size
# must print exactly what the first run printed.  A wrong answer, a crash,
# a non-zero exit or a timeout (BENCH_TIMEOUT seconds per run) fails the
# benchmark loudly and makes the script exit 1.  A missed target does not:
# it is a result, shown in the table.
#
# A benchmark directory holding a file WAITING is left out of the full run
# (its first line says which compiler or runtime feature it waits for) but
# still runs in --smoke at its tiny size, which must work already.
#
# Needs build/plat and build/libplatrt.a (`make`), a C compiler, and Go
# (installed with tools/ensure-deps.sh go when missing).  Work files go to
# build/bench/.
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
    -h|--help) sed -n '2,/^set /{/^set /!p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench: unknown option $a (see --help)" >&2; exit 2 ;;
    *) names+=("$a") ;;
  esac
done
all=(spawn skynet pingpong pipeline fib blocked_mem deep cpu list_sum string_join method_loop)
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")
for b in "${names[@]}"; do
  [ -f "bench/$b/main.plat" ] || { echo "bench: no benchmark \`$b\` (have: ${all[*]})" >&2; exit 2; }
done
if [ $smoke = 1 ]; then runs=1; else runs=${BENCH_RUNS:-5}; fi
case $runs in ''|*[!0-9]*|0) echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2 ;; esac
timeout_s=${BENCH_TIMEOUT:-$([ $smoke = 1 ] && echo 60 || echo 300)}
want_crystal=${BENCH_CRYSTAL:-$([ $smoke = 1 ] && echo 0 || echo 1)}

# ---- per-benchmark facts ---------------------------------------------------
# The measured series of benchmark B, one per line: "SIZE PEER...".
# Crystal's fibers each map an 8 MiB stack plus a guard page (two memory
# maps), so vm.max_map_count (65530) ends it near 32,000 live fibers:
# spawn and blocked_mem meet Crystal at sizes it survives.
series_of() {
  case $1 in
    spawn) echo "1000000 go"; echo "30000 go crystal" ;;
    skynet) echo "1000000 go" ;;
    pingpong) echo "1000000 go crystal" ;;
    pipeline) echo "4000000 go" ;;
    fib) echo "40 go" ;;
    blocked_mem) echo "10000 go crystal"; echo "100000 go"; echo "1000000 go" ;;
    deep) echo "100000 go" ;;
    cpu) echo "35 c" ;;
    list_sum) echo "10000000 go" ;;
    string_join) echo "1000000 go" ;;
    method_loop) echo "300000000 c go" ;;
  esac
}
smoke_size() {
  case $1 in spawn|skynet|pingpong|blocked_mem) echo 1000 ;; pipeline) echo 4000 ;;
    fib) echo 24 ;; cpu) echo 12 ;; deep) echo 1000 ;; list_sum|string_join) echo 1000 ;; method_loop) echo 100000 ;; esac
}
# Targets of issue 17 (issue 7 for fib and cpu), on the CPU-time ratio
# Plat / peer: "<= X", or "-" when there is none.
target() {
  case $1:$2 in
    spawn:go) [ "$3" = 1000000 ] && echo 0.3 || echo - ;;
    skynet:go) echo 0.2 ;;
    pipeline:go) echo 0.6 ;;
    pingpong:go) echo 0.3 ;;
    pingpong:crystal) echo 1.0 ;;
    fib:go) echo 0.9 ;;
    cpu:c) echo 1.1 ;;
    list_sum:go) echo 1.0 ;;
    string_join:go) echo 1.0 ;;
    method_loop:c) echo 1.1 ;;
    *) echo - ;;
  esac
}
# Peak RSS targets (Plat / peer), "-" when there is none.
rss_target() {
  case $1:$2:$3 in spawn:go:1000000) echo 1.0 ;; list_sum:go:*) echo 1.2 ;; *) echo - ;; esac
}
# blocked_mem: KB per task (VmRSS + VmPTE) at most this, "-" when no target.
mem_target() { case $1 in 100000|1000000) echo 3.0 ;; *) echo - ;; esac; }
src_of() { case $1 in go) echo main.go ;; c) echo main.c ;; crystal) echo main.cr ;; esac; }
label() { case $1 in plat) echo Plat ;; go) echo Go ;; c) echo C ;; crystal) echo Crystal ;; esac; }
# The peers benchmark B uses in this run (every peer of every series once).
peers_of() {
  series_of "$1" | cut -d' ' -f2- | tr ' ' '\n' | awk '!seen[$0]++' |
    while read -r p; do [ "$p" = crystal ] && [ $have_crystal = 0 ] && continue; echo "$p"; done
}

# ---- helpers ---------------------------------------------------------------
failed=0
# run() also executes in command substitutions: the marker file carries a
# failure out of the subshell.
fail() { echo "bench: FAIL $*" >&2; failed=1; : >"$out/FAILED"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
met() { if [ "$2" = - ]; then echo -; elif le "$1" "$2"; then echo yes; else echo "**no**"; fi; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }

# run B WHO SIZE [VAR=VALUE...]: one measured run of build/bench/B/WHO;
# prints "<ns> <maxrss_kb> <cpu_ns> <vmrss_kb> <vmpte_kb>" (the last two
# from the program's stderr lines "VmRSS: N kB" / "VmPTE: N kB", or "-").
# Checks the exit status and that the output equals the first output seen
# for B at SIZE.
run() {
  local b=$1 which=$2 size=$3; shift 3
  local d=$out/$b
  if ! env "$@" "$out/measure" "$d/stats" "$timeout_s" "$d/$which" "$size" >"$d/$which.out" 2>"$d/$which.err"; then
    local st; st=$(cut -d' ' -f3 "$d/stats" 2>/dev/null)
    fail "$b: $(label "$which") ${*:+($*) }with size $size exited with status ${st:-?}$([ "${st:-}" = 137 ] && echo " (killed: timeout ${timeout_s}s?)")"
    tail -n 15 "$d/$which.err" | sed 's/^/  | /' >&2
    return 1
  fi
  if [ ! -s "$d/$which.out" ]; then fail "$b: $(label "$which") printed no checksum"; return 1; fi
  local ref=$d/answer.$size who
  if [ ! -f "$ref" ]; then
    cp "$d/$which.out" "$ref"
    echo "$(label "$which")${*:+ ($*)}" >"$ref.who"
  elif ! cmp -s "$ref" "$d/$which.out"; then
    who=$(cat "$ref.who")
    fail "$b: WRONG ANSWER at size $size: $(label "$which")${*:+ ($*)} printed" \
         "[$(tr '\n' ' ' <"$d/$which.out" | sed 's/ $//')], $who printed [$(tr '\n' ' ' <"$ref" | sed 's/ $//')]"
    return 1
  fi
  local mem
  mem=$(awk '$1 == "VmRSS:" { r = $2 } $1 == "VmPTE:" { p = $2 }
    END { print (r == "" ? "-" : r), (p == "" ? "-" : p) }' "$d/$which.err")
  echo "$(cut -d' ' -f1,2,4 "$d/stats") $mem"
}

# series B SIZE "ENV" WHO...: $runs rounds; round r runs plat and the
# peers WHO in the order (plat WHO...) rotated by r.  Sets the medians
# m_ns[w] m_kb[w] m_cpu[w] m_rss[w] m_pte[w] for w in plat WHO, and
# m_spread[w] for each peer: "min-max" of the CPU-time ratios Plat / w
# of the single rounds (the runs of a round share the machine's load).
# Returns 1 on a failure.
declare -A m_ns m_kb m_cpu m_rss m_pte m_spread
series() {
  local b=$1 size=$2 envs=$3; shift 3
  local order=(plat "$@") k=$(($# + 1)) r i w s f
  declare -A t_ns t_kb t_cpu t_rss t_pte
  for ((r = 0; r < runs; r++)); do
    for ((i = 0; i < k; i++)); do
      w=${order[$(((i + r) % k))]}
      # shellcheck disable=SC2086
      s=$(run "$b" "$w" "$size" $envs) || return 1
      read -ra f <<<"$s"
      t_ns[$w]+="${f[0]} " t_kb[$w]+="${f[1]} " t_cpu[$w]+="${f[2]} "
      t_rss[$w]+="${f[3]} " t_pte[$w]+="${f[4]} "
    done
  done
  for w in "${order[@]}"; do
    m_ns[$w]=$(tr ' ' '\n' <<<"${t_ns[$w]}" | grep . | median)
    m_kb[$w]=$(tr ' ' '\n' <<<"${t_kb[$w]}" | grep . | median)
    m_cpu[$w]=$(tr ' ' '\n' <<<"${t_cpu[$w]}" | grep . | median)
    m_rss[$w]=$(tr ' ' '\n' <<<"${t_rss[$w]}" | grep -v '^-$' | grep . | median || echo -)
    m_pte[$w]=$(tr ' ' '\n' <<<"${t_pte[$w]}" | grep -v '^-$' | grep . | median || echo -)
    [ "$w" = plat ] && continue
    m_spread[$w]=$(awk -v p="${t_cpu[plat]}" -v q="${t_cpu[$w]}" 'BEGIN {
      n = split(p, a, " "); split(q, c, " ")
      for (i = 1; i <= n; i++) { if (c[i] == 0) continue; x = a[i] / c[i]
        if (lo == "" || x < lo) lo = x; if (hi == "" || x > hi) hi = x }
      if (lo == "") print "-"; else printf "%.2f-%.2f", lo, hi }')
  done
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
have_crystal=0
if [ "$want_crystal" = 1 ]; then
  if tools/ensure-deps.sh crystal; then have_crystal=1
  else echo "bench: Crystal is not available: its rows are left out" >&2; fi
fi
need_go=0
for b in "${names[@]}"; do peers_of "$b" | grep -qx go && need_go=1; done
if [ $need_go = 1 ]; then
  tools/ensure-deps.sh go || exit 1
  export GOCACHE=${GOCACHE:-$root/$out/go-cache} GOTOOLCHAIN=local GOFLAGS=${GOFLAGS:-}
fi
if [ $have_crystal = 1 ]; then
  export CRYSTAL_CACHE_DIR=${CRYSTAL_CACHE_DIR:-$root/$out/crystal-cache}
  crystal_version=$(crystal --version 2>/dev/null)   # whole: `head` would break its pipe
  crystal_version=${crystal_version%%$'\n'*}
fi

# build_peer B WHO DIR: builds bench/B's program for WHO into DIR/WHO.
# Crystal's release builds take half a minute: they are kept in
# $out/crystal-bin, named by a hash of the source and the compiler version.
build_peer() {
  local b=$1 who=$2 d=$3 src; src=bench/$1/$(src_of "$2")
  case $who in
    go) go build -o "$d/go" "$src" ;;
    c) $cc -std=gnu11 -O2 -o "$d/c" "$src" ;;
    crystal)
      local key; key=$( { cat "$src"; echo "$crystal_version"; } | sha256sum | cut -c1-16)
      local bin=$out/crystal-bin/$b-$key
      if [ ! -x "$bin" ]; then
        mkdir -p "$out/crystal-bin"
        echo "bench: building $src with crystal --release ..." >&2
        crystal build --release --no-debug -o "$bin.tmp" "$src" && mv "$bin.tmp" "$bin" || return 1
      fi
      cp "$bin" "$d/crystal" ;;
  esac
}

# ---- build -----------------------------------------------------------------
ready=() waiting=()
for b in "${names[@]}"; do
  if [ -f "bench/$b/WAITING" ] && [ $smoke = 0 ]; then
    waiting+=("$b: $(head -n 1 "bench/$b/WAITING")")
    echo "bench: $b waits: $(head -n 1 "bench/$b/WAITING")" >&2
    continue
  fi
  d=$out/$b
  rm -rf "$d" && mkdir -p "$d"
  if ! "$plat" build "bench/$b/main.plat" -o "$d/plat" >"$d/build.log" 2>&1; then
    fail "$b: bench/$b/main.plat does not compile:"; sed 's/^/  | /' "$d/build.log" >&2; continue
  fi
  ok=1
  for p in $(peers_of "$b"); do
    build_peer "$b" "$p" "$d" >"$d/build-$p.log" 2>&1 ||
      { fail "$b: the $(label "$p") program does not build:"; sed 's/^/  | /' "$d/build-$p.log" >&2; ok=0; }
  done
  [ $ok = 1 ] && ready+=("$b")
done

# ---- smoke: correctness only -----------------------------------------------
if [ $smoke = 1 ]; then
  for b in "${ready[@]}"; do
    size=$(smoke_size "$b")
    good=1
    for w in plat $(peers_of "$b"); do run "$b" "$w" "$size" >/dev/null || good=0; done
    [ $good = 1 ] || continue
    case $b in
      fib) run "$b" plat "$size" PLAT_WORKERS=1 >/dev/null || continue ;;
      blocked_mem)
        for w in plat $(peers_of "$b"); do run "$b" "$w" 0 >/dev/null || good=0; done
        [ $good = 1 ] || continue
        [ "$(run "$b" plat "$size" | cut -d' ' -f5)" != - ] ||
          { fail "$b: Plat printed no VmPTE line on stderr"; continue; } ;;
    esac
    who=Plat; for w in $(peers_of "$b"); do who+=", $(label "$w")"; done
    echo "ok   $b (size $size: $who agree on $(tr '\n' ' ' <"$out/$b/answer.$size" | sed 's/ $//'))$(
      [ -f "bench/$b/WAITING" ] && echo "; the full size waits: see bench/$b/WAITING")"
  done
  [ $failed = 0 ] && echo "bench-smoke: ${#ready[@]} passed" || echo "bench-smoke: FAILED" >&2
  exit $failed
fi

# ---- full run ----------------------------------------------------------------
table=$out/results.md memtable=$out/memory.md
{
  echo "| benchmark | size | peer | Plat wall / CPU | peer wall / CPU | CPU Plat / peer | same, per round (min-max) | wall Plat / peer | peak RSS Plat / peer | target (CPU) | met |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$table"
{
  echo "| blocked_mem: tasks | peer | Plat KB/task: RSS + page tables | peer KB/task: RSS + page tables | Plat / peer | CPU Plat / peer | target | met |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$memtable"
row() { echo "| $* |" >>"$table"; }
memrow() { echo "| $* |" >>"$memtable"; }
failrow() { row "$1 | $2 | - | **FAILED** | - | - | - | - | - | - | see the run's messages"; }
# time_rows B SIZE WHO...: one row per peer from the medians of series().
time_rows() {
  local b=$1 size=$2 w r t rt rr mets; shift 2
  for w in "$@"; do
    r=$(ratio "${m_cpu[plat]}" "${m_cpu[$w]}") t=$(target "$b" "$w" "$size")
    rr=$(ratio "${m_kb[plat]}" "${m_kb[$w]}") rt=$(rss_target "$b" "$w" "$size")
    mets=$(met "$r" "$t")
    if [ "$rt" != - ]; then [ "$(met "$rr" "$rt")" = yes ] && [ "$mets" = yes ] || mets="**no**"; fi
    row "$b | $size | $(label "$w") | $(ms "${m_ns[plat]}") / $(ms "${m_cpu[plat]}") ms" \
        "| $(ms "${m_ns[$w]}") / $(ms "${m_cpu[$w]}") ms | $r | ${m_spread[$w]} | $(ratio "${m_ns[plat]}" "${m_ns[$w]}")" \
        "| $(mb "${m_kb[plat]}") / $(mb "${m_kb[$w]}") MB ($rr) | $([ "$t" = - ] && echo - || echo "<= $t")$([ "$rt" != - ] && echo ", RSS <= $rt")" \
        "| $mets"
  done
}
# KB per task from the VmRSS and VmPTE medians at N and at 0 tasks.
per_task() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (a - b) / n }'; }
load_start=$(loadavg)
for b in "${ready[@]}"; do
  echo "bench: $b ($runs rounds) ..." >&2
  if [ "$b" = blocked_mem ]; then
    # the baseline at 0 tasks, for every peer of the benchmark at once
    # shellcheck disable=SC2046
    series "$b" 0 "" $(peers_of "$b") || { memrow "0 | - | **FAILED** | - | - | - | - | see the run's messages"; continue; }
    declare -A base_rss base_pte
    for w in plat $(peers_of "$b"); do base_rss[$w]=${m_rss[$w]} base_pte[$w]=${m_pte[$w]}; done
  fi
  while read -r size peers; do
    use=()
    for p in $peers; do { [ "$p" != crystal ] || [ $have_crystal = 1 ]; } && use+=("$p"); done
    if ! series "$b" "$size" "" "${use[@]}"; then
      if [ "$b" = blocked_mem ]; then memrow "$size | - | **FAILED** | - | - | - | - | see the run's messages"
      else failrow "$b" "$size"; fi
      continue
    fi
    case $b in
      blocked_mem)
        for w in "${use[@]}"; do
          pr=$(per_task "${m_rss[plat]}" "${base_rss[plat]}" "$size") pp=$(per_task "${m_pte[plat]}" "${base_pte[plat]}" "$size")
          wr=$(per_task "${m_rss[$w]}" "${base_rss[$w]}" "$size") wp=$(per_task "${m_pte[$w]}" "${base_pte[$w]}" "$size")
          pt=$(awk -v a="$pr" -v b="$pp" 'BEGIN { printf "%.2f", a + b }')
          wt=$(awk -v a="$wr" -v b="$wp" 'BEGIN { printf "%.2f", a + b }')
          t=$(mem_target "$size")
          memrow "$size | $(label "$w") | $pr + $pp = **$pt** | $wr + $wp = $wt | $(ratio "$pt" "$wt")" \
                 "| $(ratio "${m_cpu[plat]}" "${m_cpu[$w]}") | $([ "$t" = - ] && echo - || echo "<= $t KB/task") | $(met "$pt" "$t")"
        done ;;
      *) time_rows "$b" "$size" "${use[@]}" ;;
    esac
    if [ "$b" = fib ]; then
      series "$b" "$size" "PLAT_WORKERS=1 GOMAXPROCS=1" go || { failrow "fib speed-up" "$size"; continue; }
      p1=${m_ns[plat]} r1=${m_ns[go]}
      series "$b" "$size" "PLAT_WORKERS=2 GOMAXPROCS=2" go || { failrow "fib speed-up" "$size"; continue; }
      ps=$(ratio "$p1" "${m_ns[plat]}") rs=$(ratio "$r1" "${m_ns[go]}")
      row "fib speed-up 1 -> 2 workers (wall) | $size | Go | ${ps}x | ${rs}x | - | - | - | - | Plat >= 1.8x | $(le 1.8 "$ps" && echo yes || echo "**no**")"
    fi
  done < <(series_of "$b")
done
load_end=$(loadavg)
for w in "${waiting[@]}"; do row "${w%%:*} | - | - | waiting | - | - | - | - | - | - | ${w#*: }"; done

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
machine="$cpu_model, $(nproc) cores; Linux $(uname -r); $(go version 2>/dev/null | sed 's/^go version //'); $($cc --version | head -n 1)"
[ $have_crystal = 1 ] && machine="$machine; $crystal_version"
load="load average (1, 5, 15 min) $load_start at the start, $load_end at the end"
results() { cat "$table"; if [ "$(wc -l <"$memtable")" -gt 2 ]; then echo; cat "$memtable"; fi; }
echo
results
echo
echo "Machine: $machine. Medians of $runs rounds, the programs alternating in each; $load."
echo "Wall time spans fork to exit; CPU time is user + system of the process; peak RSS from wait4."
if [ $update_docs = 1 ]; then
  doc=docs/BENCHMARKS.md
  block=$out/block.md
  {
    echo "<!-- bench:results:begin (written by bench/run.sh --update-docs) -->"
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on: $machine."
    echo "Medians of $runs rounds (\`BENCH_RUNS=$runs make bench\`), the programs alternating in each; $load."
    echo
    results
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
