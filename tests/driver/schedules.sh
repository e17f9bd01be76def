# plat test --schedules N [--seed S]: bad values are usage errors (status
# 2) from the driver and from a test program run directly; --seed alone
# means one schedule; a failure's replay command, run as printed, prints
# the same; the schedules of a test do not depend on the other tests.
. "$ROOT/tests/driver/lib.sh"

cat >race.plat <<'PLAT'
class Box {
  pub var n: Int32;
}
fn bump(b: Box) {
  let seen: Int32 = b.n;
  yield_now();
  b.n = seen + 1;
}
test box {
  fn test_other() { assert(condition = true, message = "fine"); }
  fn test_lost() {
    let b: Box = Box.init(n = 0);
    concurrent {
      spawn { bump(b = b); };
      spawn { bump(b = b); };
    }
    print(value = "n = ${b.n}");
    assert(condition = b.n == 2, message = "n is ${b.n}");
  }
}
PLAT

expect 2 "--schedules takes a number from 1 to 1000000000, not \`0\`" "$PLAT" test race.plat --schedules 0
expect 2 "--schedules takes a number" "$PLAT" test race.plat --schedules 12x
expect 2 "\`--schedules\` needs a number" "$PLAT" test race.plat --schedules
expect 2 "--seed takes a number from 0 to 9223372036854775807, not \`-1\`" "$PLAT" test race.plat --seed -1
expect 2 "--seed takes a number" "$PLAT" test race.plat --seed 99999999999999999999

# a failure is found, and its replay prints the same
expect 1 "" "$PLAT" test race.plat --schedules 100 -f box::test_lost
cp "$T/.out" first.out
grep -q "^FAIL box::test_lost: assertion failed: n is 1" first.out || fail "no failure found: $(cat first.out)"
replay=$(sed -n 's|^ *plat test \(.* --seed .*\)$|\1|p' first.out)
[ -n "$replay" ] || fail "no replay command in: $(cat first.out)"
# shellcheck disable=SC2086
expect 1 "" "$PLAT" test $replay
cmp -s first.out "$T/.out" || fail "the replay differs: $(diff first.out "$T/.out")"
seed=$(sed -n 's|.* --seed \([0-9]*\) .*|\1|p' <<<"$replay")

# --seed alone: that one schedule; the other test does not change it
expect 1 "" "$PLAT" test race.plat --seed "$seed"
grep -q "^ok   box::test_other" "$T/.out" || fail "test_other: $(cat "$T/.out")"
grep -A2 "^FAIL box::test_lost" "$T/.out" | cmp -s - <(grep -A2 "^FAIL box::test_lost" first.out) ||
  fail "the schedule depends on the other tests: $(cat "$T/.out")"

# the test program itself takes the options (plat build in test mode is
# what plat test runs; a bad value there is its own usage error)
expect 0 "" "$PLAT" test race.plat --schedules 3 -f box::test_other
hello hi.plat
PLAT_SEED=x expect 2 "fatal: PLAT_SEED must be a number" "$PLAT" run hi.plat
PLAT_SEED=5 expect 0 "" "$PLAT" run hi.plat
grep -qx hello "$T/.out" || fail "PLAT_SEED=5 plat run: $(cat "$T/.out")"
exit 0
