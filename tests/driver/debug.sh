# plat build -g / --debug: DWARF lines are the .plat lines.  In gdb,
# `break FILE.plat:N` stops at N, `bt` shows .plat lines through methods,
# functions and spawned tasks, `next` steps .plat lines; every row of the
# line table maps to a line with code; panics still name the right line.
# Needs gdb: `make test` installs it (tools/ensure-deps.sh gdb); without it
# this test fails, saying so.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
command -v gdb >/dev/null ||
  fail "gdb is not installed, so .plat debugging cannot be tested: run tools/ensure-deps.sh gdb (as root) or apt-get install gdb"
cat >dbg.plat <<'PLAT'
// A program to debug: gdb must stop at the lines named in debug.sh.
class Counter {
  var n: Int32;
  pub fn bump(by: Int32) -> Int32 {
    self.n = self.n + by;
    return self.n;
  }
}

fn work(c: Counter, times: Int32) -> Int32 {
  var total: Int32 = 0;
  for (i: Int32 in 0..times) {
    total = total + c.bump(by = i);
  }
  return total;
}

fn main() {
  let c: Counter = Counter.init(n = 0);
  let t: Int32 = concurrent {
    let task: Task<Int32> = spawn { work(c = c, times = 4) };
    task.await()
  };
  let label: String = if (t > 5) { "big" } else { "small" };
  print(value = "${label} ${t}");
  print(value = t / (t - t));
}
PLAT
gdbrun() { gdb -batch -nx "$@" 2>&1 | grep -v '^\[New Thread\|^\[Thread\|libthread_db\|^\[Switching' >gdb.out; }
for mode in --debug -g; do
  expect 0 "" "$PLAT" build $mode dbg.plat -o dbg
  problems=$("$ROOT/tests/driver/linecheck" dbg dbg.plat) || fail "plat build $mode: line table: $problems"
  gdbrun -ex 'break dbg.plat:5' -ex run -ex bt ./dbg
  grep -q "hit Breakpoint 1, Counter__bump (.*) at .*dbg.plat:5$" gdb.out ||
    fail "$mode: break dbg.plat:5 did not stop there: $(cat gdb.out)"
  grep -q "^#1 .*plat_u_work (.*) at .*dbg.plat:13$" gdb.out || fail "$mode: bt frame 1 is not work at line 13: $(cat gdb.out)"
  grep -q "^#2 .*plat_spawn_[0-9]* (.*) at .*dbg.plat:21$" gdb.out || fail "$mode: bt frame 2 is not the spawn at line 21: $(cat gdb.out)"
  grep -q "program.c\|<generated>:[0-9]*$" <(sed -n '/^#0/,/^#2/p' gdb.out) && fail "$mode: bt shows generated C: $(cat gdb.out)"
done
# unoptimised: next steps from line to line
expect 0 "" "$PLAT" build --debug dbg.plat -o dbg
gdbrun -ex 'break dbg.plat:24' -ex run -ex next -ex next -ex 'info locals' ./dbg
grep -q "hit Breakpoint 1, plat_u_main () at .*dbg.plat:24$" gdb.out || fail "break dbg.plat:24: $(cat gdb.out)"
grep -q "^25	  print(value = \"\${label} \${t}\");" gdb.out || fail "next from 24 did not reach 25: $(cat gdb.out)"
grep -q "^26	  print(value = t / (t - t));" gdb.out || fail "next from 25 did not reach 26: $(cat gdb.out)"
grep -q "^t_[0-9]* = 10$" gdb.out || fail "info locals does not show t = 10: $(cat gdb.out)"
# the panic names the .plat line, with or without debug info
for mode in --debug -g ""; do
  expect 0 "" "$PLAT" build $mode dbg.plat -o dbg
  run ./dbg
  [ "$ST" = 101 ] && grep -q "at dbg.plat:26$" "$T/.err" || fail "$mode: panic at the wrong place: $(cat "$T/.err")"
done
# without -g the program has no line table of its own
readelf -W --debug-dump=decodedline dbg | grep -q "^dbg.plat " && fail "a build without -g has .plat line rows"
expect 2 "unknown option \`-G\`" "$PLAT" build -G dbg.plat
exit 0
