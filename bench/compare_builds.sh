#!/usr/bin/env bash
# bench/compare_builds.sh -- one benchmark built by two Plat trees (e.g.
# main and a branch) and Go, run alternately in the same run: medians of
# CPU time (user+sys) and peak RSS, and for blocked_mem the VmRSS + VmPTE
# it reports, per task (at N minus at 0 tasks, divided by N).
#
#   bench/compare_builds.sh OLD_TREE NEW_TREE NAME SIZE [RUNS]
#
# Each tree needs build/plat (`make`).  Work files go to build/bench-cmp/.
set -u -o pipefail
old=$1 new=$2 b=$3 n=$4 runs=${5:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/bench-cmp/$b
mkdir -p "$out"
"$old/build/plat" build "$root/bench/$b/main.plat" -o "$out/old" || exit 1
"$new/build/plat" build "$root/bench/$b/main.plat" -o "$out/new" || exit 1
(cd "$root/bench/$b" && go build -o "$out/go" main.go) || exit 1
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# mem BIN SIZE: "rss+pte" in kB from the program's stderr
mem() { awk '$1 == "VmRSS:" { r = $2 } $1 == "VmPTE:" { p = $2 } END { print r + p }' "$1"; }
for who in old new go; do : >"$out/$who.cpu"; : >"$out/$who.rss"; : >"$out/$who.mem"; : >"$out/$who.mem0"; done
for ((r = 0; r < runs; r++)); do
  for who in old new go; do
    /usr/bin/time -f "%U %S %M" -o "$out/time" "$out/$who" "$n" >"$out/stdout" 2>"$out/stderr" ||
      { echo "$who failed:"; tail -5 "$out/stderr"; exit 1; }
    awk '{ print $1 + $2 }' "$out/time" >>"$out/$who.cpu"
    awk '{ print $3 }' "$out/time" >>"$out/$who.rss"
    if [ "$b" = blocked_mem ]; then
      mem "$out/stderr" >>"$out/$who.mem"
      "$out/$who" 0 >/dev/null 2>"$out/stderr0"
      mem "$out/stderr0" >>"$out/$who.mem0"
    fi
  done
done
printf "%-4s %8s %10s %s\n" build cpu_s peak_kB "$([ "$b" = blocked_mem ] && echo "kB/task(RSS+PTE)")"
for who in old new go; do
  c=$(med <"$out/$who.cpu") m=$(med <"$out/$who.rss") extra=""
  if [ "$b" = blocked_mem ]; then
    extra=$(awk -v a="$(med <"$out/$who.mem")" -v z="$(med <"$out/$who.mem0")" -v n="$n" 'BEGIN { printf "%.2f", (a - z) / n }')
  fi
  printf "%-4s %8s %10s %s\n" "$who" "$c" "$m" "$extra"
done
