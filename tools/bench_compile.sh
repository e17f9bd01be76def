#!/usr/bin/env bash
# bench_compile.sh [PLAT] [LINES] [RUNS] -- compile time of a large generated
# program (tools/gen_big.c, seed 1): the median of RUNS runs of
#   check   parse and check only (plat check)
#   front   parse, check and emit the C, with the C compiler replaced by
#           `true` (PLAT_CC=true)
#   build   the whole build with the C compiler (-O2)
# and each one's peak memory.  docs/COMPILER.md records the figures.
set -u
cd "$(dirname "$0")/.."
PLAT=${1:-build/plat}; LINES=${2:-5000}; RUNS=${3:-5}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/plat-bench.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
cc -std=gnu11 -O1 -o "$TMP/gen_big" tools/gen_big.c -lm || exit 2
"$TMP/gen_big" 1 "$LINES" "$TMP/big.plat" "$TMP/big.out"
echo "program: $(wc -l < "$TMP/big.plat") lines; compiler: $PLAT"
measure() {  # NAME CMD...
  local name=$1; shift
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f "%e %M" -o "$TMP/t" "$@" >/dev/null 2>&1 || { echo "$name: failed"; return; }
    cat "$TMP/t"
  done | sort -n | awk -v n="$name" '{t[NR] = $1; m[NR] = $2} END {k = int((NR + 1) / 2); printf "%-6s median %.3f s (min %.3f, max %.3f), peak memory %d MiB\n", n, t[k], t[1], t[NR], m[k] / 1024}'
}
measure check "$PLAT" check "$TMP/big.plat"
measure front env PLAT_CC=true PLAT_HOME="$PWD" "$PLAT" build "$TMP/big.plat" -o "$TMP/big"
measure build env PLAT_HOME="$PWD" "$PLAT" build "$TMP/big.plat" -o "$TMP/big"
