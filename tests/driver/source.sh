# A source file is read up to 16 MiB, whatever it is: a larger regular
# file, an endless device or a pipe stop there with a clear message
# (status 1); a directory or a missing file is named with the reason.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
limit="is larger than 16 MiB, the limit for a Plat source file"
expect 1 "/dev/zero $limit" "$PLAT" check /dev/zero
truncate -s 17M big.plat
expect 1 "big.plat $limit" "$PLAT" check big.plat
expect 1 "big.plat $limit" "$PLAT" build big.plat -o big
expect 1 "big.plat $limit" "$PLAT" run big.plat
run bash -c "head -c 20000000 /dev/zero | '$PLAT' check /dev/stdin"
[ "$ST" = 1 ] && grep -qF "/dev/stdin $limit" "$T/.err" || fail "a pipe: status $ST, $(cat "$T/.err")"
# just under the limit is read (and then checked as usual)
{ printf 'fn main() {}\n'; head -c $((16 * 1024 * 1024 - 200)) /dev/zero | tr '\0' ' '; printf '\n'; } >edge.plat
expect 0 "" "$PLAT" check edge.plat
mkdir dir.plat
expect 1 "cannot read dir.plat: it is a directory" "$PLAT" check dir.plat
expect 1 "cannot read missing.plat: No such file or directory" "$PLAT" check missing.plat
# a pipe of a real program works
run bash -c "printf 'fn main() { print(value = \"piped\"); }\n' | '$PLAT' check /dev/stdin"
[ "$ST" = 0 ] || fail "checking a program from a pipe: status $ST, $(cat "$T/.err")"
exit 0
