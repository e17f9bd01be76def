#!/usr/bin/env bash
# tests/fuzz/gen/run.sh SEED COUNT -- differential test of the compiler on
# random well-typed programs from plat_gen.c (seeds SEED .. SEED+COUNT-1).
#
# Each program is built with `build/plat build` and run with a timeout; its
# stdout must equal the output the generator computed.  Flagged (and kept
# under build/fuzz-gen/fail/ with the diagnostic):
#   reject  the checker refused a program the generator believes valid
#   ice     "internal compiler error" (the C compiler refused generated C)
#   crash   the compiler died from a signal
#   run     the program crashed, timed out or exited non-zero (no exit is
#           expected: divisions are guarded, channels balanced)
#   output  the program printed something else than expected (miscompile)
# Every 3rd seed runs with PLAT_WORKERS=1, every 5th with PLAT_GC_TORTURE=1.
# Exit status 1 if anything was flagged.  Reproduce one seed with
#   build/fuzz-gen/plat_gen SEED x.plat x.out && build/plat run x.plat
set -u
cd "$(dirname "$0")/../../.."
SEED=${1:-1}; COUNT=${2:-200}
B=build/fuzz-gen; mkdir -p "$B/fail"
cc -std=gnu11 -O1 -Wall -Wextra -Werror -o "$B/plat_gen" tests/fuzz/gen/plat_gen.c -lm || exit 2
[ -x build/plat ] || { echo "run.sh: build/plat missing (run make)"; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/plat-gen.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
ok=0; bad=0
flag() {  # kind seed detail-file
  bad=$((bad+1)); echo "FLAG $1 seed $2"; head -12 "$3" | sed 's/^/     /'
  cp "$TMP/p.plat" "$B/fail/$1_$2.plat"; cp "$TMP/p.out" "$B/fail/$1_$2.out"; cp "$3" "$B/fail/$1_$2.log"
}
for ((s = SEED; s < SEED + COUNT; s++)); do
  "$B/plat_gen" "$s" "$TMP/p.plat" "$TMP/p.out" || { echo "plat_gen failed on seed $s"; bad=$((bad+1)); continue; }
  build/plat build "$TMP/p.plat" -o "$TMP/p" > "$TMP/cc.log" 2>&1; rc=$?
  if [ $rc -gt 128 ]; then flag crash "$s" "$TMP/cc.log"; continue; fi
  if grep -q "internal compiler error" "$TMP/cc.log"; then flag ice "$s" "$TMP/cc.log"; continue; fi
  if [ $rc -ne 0 ]; then flag reject "$s" "$TMP/cc.log"; continue; fi
  # vary the runtime: one worker on every 3rd seed, GC torture on every 5th
  env_=(); [ $((s % 3)) -eq 0 ] && env_+=(PLAT_WORKERS=1); [ $((s % 5)) -eq 0 ] && env_+=(PLAT_GC_TORTURE=1)
  env "${env_[@]}" timeout -k 5 30 "$TMP/p" > "$TMP/stdout" 2> "$TMP/run.log"; rc=$?
  [ ${#env_[@]} -gt 0 ] && echo "environment: ${env_[*]}" >> "$TMP/run.log"
  if [ $rc -ne 0 ]; then echo "exit status $rc" >> "$TMP/run.log"; flag run "$s" "$TMP/run.log"; continue; fi
  if ! diff "$TMP/p.out" "$TMP/stdout" > "$TMP/diff.log"; then flag output "$s" "$TMP/diff.log"; continue; fi
  ok=$((ok+1))
  [ $(( (s - SEED + 1) % 100 )) -eq 0 ] && echo "fuzz-gen: $((s - SEED + 1)) programs, $bad flagged"
done
echo "fuzz-gen: $ok passed, $bad flagged (seeds $SEED..$((SEED+COUNT-1)))"
[ $bad -eq 0 ]
