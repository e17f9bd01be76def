#!/usr/bin/env bash
# The compiler's memory is linear in the number of interpolation segments:
# a string of 100,000 `${x}` segments is checked and emitted within 300 MB
# of address space (the C compiler is replaced by `true`: only plat's own
# cost is measured).  Quadratic emission needed 4.9 GB for 8,000 segments.
# Then 1,000 segments are built for real and run.
set -u
PLAT=${PLAT:-build/plat}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/plat-sh.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
gen() {  # gen N FILE: print the length of an interpolation of N segments
  awk -v n="$1" 'BEGIN { printf "fn main() {\n  let x: Int32 = 7;\n  let s: String = \"";
    for (i = 0; i < n; i++) printf "${x} "; printf "\";\n  print(value = s.length());\n}\n" }' > "$2"
}
gen 100000 "$TMP/big.plat"
( ulimit -v 300000; PLAT_CC=true "$PLAT" build "$TMP/big.plat" -o "$TMP/big" ) > "$TMP/log" 2>&1 \
  || { echo "100,000 segments: plat build failed under ulimit -v 300000"; head -5 "$TMP/log"; exit 1; }
gen 1000 "$TMP/small.plat"
"$PLAT" build "$TMP/small.plat" -o "$TMP/small" > "$TMP/log" 2>&1 || { head -5 "$TMP/log"; exit 1; }
out=$("$TMP/small") && [ "$out" = 2000 ] || { echo "1,000 segments printed '$out', expected 2000"; exit 1; }
