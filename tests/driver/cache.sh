# The run/test cache never serves stale code: its key covers the compiler's
# own executable, the runtime library and headers (contents); it has a size
# bound (least recently used entries go first); concurrent runs share it
# safely; `plat clean` empties it.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
entries() { find "$1" -maxdepth 1 -type f -regex '.*/[0-9a-f]*' 2>/dev/null | sort; }
count() { entries "$1" | wc -l; }

# a compiler and a runtime of our own, to change them
mkdir -p bin home/build home/runtime
cp "$PLAT" bin/plat
cp "$ROOT/build/libplatrt.a" "$ROOT/build/libgc.a" home/build/
cp "$ROOT"/runtime/*.h home/runtime/
export PLAT_HOME="$T/home" PLAT_CACHE_DIR="$T/cache"
hello prog.plat
runs() {  # runs N WHAT: plat run prints hello and the cache holds N entries
  expect 0 "" bin/plat run prog.plat
  [ "$(cat "$T/.out")" = hello ] || fail "$2: plat run printed $(cat "$T/.out")"
  [ "$(count cache)" = "$1" ] || fail "$2: the cache holds $(count cache) entries, expected $1"
}
runs 1 "first run"
runs 1 "second run (a hit)"
printf '\0' >>bin/plat
runs 2 "after the compiler changed"
printf '\n/* changed */\n' >>home/runtime/plat_rt.h
runs 3 "after a runtime header changed"
# the runtime library's content changes, its size and mtime do not
cp -p home/build/libplatrt.a lib.orig
printf '7' | dd of=home/build/libplatrt.a bs=1 seek=24 conv=notrunc 2>/dev/null
touch -r lib.orig home/build/libplatrt.a
cmp -s lib.orig home/build/libplatrt.a && fail "the library did not change"
runs 4 "after the runtime library's content changed"
unset PLAT_HOME

# LRU size bound: A, B, C built; A used again; D built with a bound of 2.5
# entries: B and C (least recently used) go, A and D stay
export PLAT_CACHE_DIR="$T/lru"
mkdir -p lru
echo "mine" >lru/notes.txt
stale=lru/0123456789abcdef0123456789abcdef.tmp-999999
touch -d '2 hours ago' "$stale" 2>/dev/null || touch -t 200001010000 "$stale"
declare -A name
for p in A B C; do
  hello "$p.plat" "$p"
  before=$(entries lru)
  expect 0 "" "$PLAT" run "$p.plat"
  name[$p]=$(comm -13 <(echo "$before") <(entries lru))
  [ -n "${name[$p]}" ] || fail "running $p added no cache entry"
done
expect 0 "" "$PLAT" run A.plat
size=$(stat -c %s "${name[A]}")
limit=$(awk -v s="$size" 'BEGIN { printf "%.3f", 2.5 * s / 1048576 }')
hello D.plat D
before=$(entries lru)
expect 0 "" env PLAT_CACHE_MAX_MB="$limit" "$PLAT" run D.plat
name[D]=$(comm -13 <(echo "$before") <(entries lru))
for p in A D; do [ -f "${name[$p]}" ] || fail "$p was evicted (limit $limit MiB, entry $size bytes)"; done
for p in B C; do [ -f "${name[$p]}" ] && fail "$p was kept beyond the bound (limit $limit MiB, entry $size bytes)"; done
[ -f "$stale" ] && fail "a stale temporary (2 hours old) was not removed"
[ -f lru/notes.txt ] || fail "a file that is not a cache entry was removed"
expect 2 "PLAT_CACHE_MAX_MB must be a number" env PLAT_CACHE_MAX_MB=lots "$PLAT" run A.plat

# concurrent runs of a program not yet cached: each runs it, one entry results
export PLAT_CACHE_DIR="$T/conc"
hello E.plat E
for i in 1 2 3 4; do "$PLAT" run E.plat >"conc.$i" 2>&1 & done
wait
for i in 1 2 3 4; do [ "$(cat "conc.$i")" = E ] || fail "concurrent run $i printed: $(cat "conc.$i")"; done
[ "$(count conc)" = 1 ] || fail "concurrent runs left $(count conc) entries"
no_temps "$T/conc"

# plat clean removes the entries and nothing else
export PLAT_CACHE_DIR="$T/lru"
expect 0 "" "$PLAT" clean
grep -q "removed 2 cached executables" "$T/.out" || fail "plat clean said: $(cat "$T/.out")"
[ "$(count lru)" = 0 ] || fail "plat clean left entries"
[ -f lru/notes.txt ] || fail "plat clean removed a file that is not a cache entry"
expect 0 "" "$PLAT" clean

# no cache directory at all: built in a temporary place, nothing left behind
expect 0 "" env -u PLAT_CACHE_DIR -u XDG_CACHE_HOME -u HOME "$PLAT" run E.plat
[ "$(cat "$T/.out")" = E ] || fail "uncached run printed $(cat "$T/.out")"
no_temps "$T"
exit 0
