# plat test: --timeout is checked by the driver; an interrupted run still
# prints its summary (status 130) and leaves no test process behind.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
cat >t.plat <<'PLAT'
test t {
  fn test_a() { assert(condition = true, message = "a"); }
  fn test_hang() { loop { sleep(ms = 50); } }
}
PLAT
expect 2 "--timeout takes a number of seconds (0 for no limit), not \`abc\`" "$PLAT" test t.plat --timeout abc
expect 2 "--timeout takes a number of seconds" "$PLAT" test t.plat --timeout -1
expect 2 "\`--timeout\` needs a number of SECONDS" "$PLAT" test t.plat --timeout
expect 1 "" "$PLAT" test t.plat --timeout 0.5
grep -q "FAIL t::test_hang: timed out after 0.5 s" "$T/.out" || fail "--timeout 0.5: $(cat "$T/.out")"

# interrupted while test_hang runs (no limit): summary, status 130, no child left
"$PLAT" test t.plat --timeout 0 >int.out 2>&1 & pid=$!
child=""
for _ in $(seq 1 600); do
  grep -q "ok   t::test_a" int.out 2>/dev/null && child=$(pgrep -P "$pid") && [ -n "$child" ] && break
  sleep 0.1
done
[ -n "$child" ] || fail "test_hang never started: $(cat int.out)"
kill -INT "$pid"; wait "$pid"; st=$?
[ "$st" = 130 ] || fail "interrupted plat test exited $st, expected 130: $(cat int.out)"
grep -q "^interrupted" int.out && grep -q "^1 passed, 0 failed$" int.out || fail "no summary after the interrupt: $(cat int.out)"
for _ in $(seq 1 100); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
kill -0 "$child" 2>/dev/null && fail "the test process $child outlived the interrupted run"

# a file without tests: an empty run, not an error
printf 'fn main() {}\n' >none.plat
expect 0 "" "$PLAT" test none.plat
[ "$(cat "$T/.out")" = "0 passed, 0 failed" ] || fail "no tests: $(cat "$T/.out")"
exit 0
