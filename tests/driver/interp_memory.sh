# The compiler's memory is linear in the number of interpolation segments:
# a string of 100,000 `${x}` segments is checked and emitted within 300 MB
# of address space (the C compiler is replaced by `true`: only plat's own
# cost is measured).  Quadratic emission needed 4.9 GB for 8,000 segments.
# Then 1,000 segments are built for real and run.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
gen() {  # gen N FILE: a program printing the length of an interpolation of N segments
  awk -v n="$1" 'BEGIN { printf "fn main() {\n  let x: Int32 = 7;\n  let s: String = \"";
    for (i = 0; i < n; i++) printf "${x} "; printf "\";\n  print(value = s.length());\n}\n" }' > "$2"
}
gen 100000 big.plat
run bash -c "ulimit -v 300000; PLAT_CC=true '$PLAT' build big.plat -o big"
[ "$ST" = 0 ] || fail "100,000 segments: plat build failed under ulimit -v 300000: $(head -c 600 "$T/.err")"
gen 1000 small.plat
expect 0 "" "$PLAT" build small.plat -o small
out=$(./small) && [ "$out" = 2000 ] || fail "1,000 segments printed '$out', expected 2000"
exit 0
