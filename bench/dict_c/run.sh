#!/usr/bin/env bash
# bench/dict_c/run.sh -- the Dict/Set runtime through its C API
# (bench_dict.c) beside Go's map doing the same work (main.go), in the
# same run: docs/BENCHMARKS.md, "Dict runtime (C API)".
#
#   bench/dict_c/run.sh [--smoke] [CASE...]
#
# Cases: int (Dict<Int64, Int64>, 1M), set (Set<Int64>, 1M), words
# (Dict<String, Int32>, 2M words over 200k keys).  Each case runs
# BENCH_RUNS rounds (default 5), C then Go, the order swapped every round;
# prints the medians of process CPU time, peak RSS, per-phase CPU ns per
# operation and heap bytes per entry, and the ratios C / Go.  --smoke runs
# tiny sizes once and only checks that both print the same checksum.
# Needs `make` (build/libplatrt.a) and Go (tools/ensure-deps.sh go).
set -eu -o pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=build/bench/dict_c
smoke=0 cases=()
for a in "$@"; do
  case $a in
    --smoke) smoke=1 ;;
    int|set|words) cases+=("$a") ;;
    *) echo "usage: bench/dict_c/run.sh [--smoke] [int|set|words]..." >&2; exit 2 ;;
  esac
done
[ ${#cases[@]} -eq 0 ] && cases=(int set words)
runs=${BENCH_RUNS:-5}
[ $smoke = 1 ] && runs=1
args_of() {
  if [ $smoke = 1 ]; then
    case $1 in int|set) echo "$1 5000" ;; words) echo "words 20000 2000" ;; esac
  else
    case $1 in int|set) echo "$1 1000000" ;; words) echo "words 2000000 200000" ;; esac
  fi
}

[ -f build/libplatrt.a ] || { echo "bench: build/libplatrt.a missing: run make" >&2; exit 1; }
tools/ensure-deps.sh go
export GOCACHE=${GOCACHE:-$root/build/bench/go-cache} GOTOOLCHAIN=local
mkdir -p "$out"
cc=${CC:-cc}
$cc -std=gnu11 -O2 -Wall -Wextra -o "$out/measure" bench/tools/measure.c
$cc -std=gnu11 -O2 -Wall -Wextra -D_GNU_SOURCE -pthread -Iruntime -o "$out/c" bench/dict_c/bench_dict.c \
  build/libplatrt.a -lgc -lpthread -lm
go build -o "$out/go" bench/dict_c/main.go

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

# one WHO CASE ROUND: run once; append "KEY VALUE" lines to $out/WHO.CASE.vals
one() {
  local who=$1 c=$2 r=$3
  # shellcheck disable=SC2046
  if ! "$out/measure" "$out/stats" 600 "$out/$who" $(args_of "$c") >"$out/$who.$c.out" 2>"$out/$who.$c.err"; then
    echo "bench: $who $c failed:" >&2; sed 's/^/  | /' "$out/$who.$c.err" >&2; exit 1
  fi
  if [ "$r" = 0 ] && [ "$who" = c ]; then cp "$out/c.$c.out" "$out/answer.$c"
  elif ! cmp -s "$out/answer.$c" "$out/$who.$c.out"; then
    echo "bench: WRONG ANSWER in $c: $who printed $(cat "$out/$who.$c.out"), C printed $(cat "$out/answer.$c")" >&2; exit 1
  fi
  read -r _ kb _ cpu <"$out/stats"
  { echo "cpu_ms $(awk -v n="$cpu" 'BEGIN { printf "%.1f", n / 1e6 }')"
    echo "rss_mb $(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')"
    awk '$1 == "phase" { print "ns_" $2, $3 } $1 == "mem" { print "mem_" $2, $3 }' "$out/$who.$c.err"
  } >>"$out/$who.$c.vals"
}

for c in "${cases[@]}"; do
  rm -f "$out/c.$c.vals" "$out/go.$c.vals"
  for ((r = 0; r < runs; r++)); do
    if [ $((r % 2)) = 0 ]; then one c "$c" "$r"; one go "$c" "$r"; else one go "$c" "$r"; one c "$c" "$r"; fi
  done
  [ $smoke = 1 ] && { echo "dict_c $c: C and Go agree ($(cat "$out/answer.$c"))"; continue; }
  echo "== $c: $(args_of "$c") ($runs rounds, medians; load $(cut -d' ' -f1-3 /proc/loadavg))"
  printf '%-16s %10s %10s %8s\n' measure C Go C/Go
  for key in $(awk '{ print $1 }' "$out/c.$c.vals" "$out/go.$c.vals" | awk '!s[$0]++'); do
    cv=$(awk -v k="$key" '$1 == k { print $2 }' "$out/c.$c.vals" | median || true)
    gv=$(awk -v k="$key" '$1 == k { print $2 }' "$out/go.$c.vals" | median || true)
    printf '%-16s %10s %10s %8s\n' "$key" "${cv:--}" "${gv:--}" "$( [ -n "$cv" ] && [ -n "$gv" ] && ratio "$cv" "$gv" || echo -)"
  done
done
