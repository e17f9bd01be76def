# SIGQUIT on a running Plat program: every live task is listed on stderr
# with the .plat line where it waits (recorded by the generated code) and
# its spawn chain, and the program goes on to finish normally.
. "$ROOT/tests/driver/lib.sh"

cat >stuck.plat <<'PLAT'
fn worker(jobs: Channel<Int32>) {
  var j: Option<Int32> = jobs.recv();
  while (j.is_some()) { j = jobs.recv(); }
}

fn main() {
  let jobs: Channel<Int32> = Channel.init(capacity = 0);
  let go: Channel<Int32> = Channel.init(capacity = 0);
  concurrent {
    spawn { worker(jobs = jobs); };
    let waiter: Task<Int32> = spawn { go.recv().unwrap() };
    spawn {
      while (not file_exists(path = "go")) { sleep(ms = 20); }
      go.send(value = 7);
    };
    print(value = "started");
    let v: Int32 = waiter.await();
    jobs.close();
    print(value = "finished ${v}");
  }
}
PLAT

expect 0 "" "$PLAT" build stuck.plat -o stuck
./stuck >out.txt 2>err.txt &
pid=$!
# wait until main prints "started" (then every task is at its wait soon)
for _ in $(seq 1 500); do grep -q started out.txt 2>/dev/null && break; sleep 0.02; done
grep -q started out.txt || { kill -9 $pid; fail "the program did not start"; }
for _ in $(seq 1 500); do
  kill -QUIT $pid
  sleep 0.05
  grep -q "task 3: blocked in channel recv at stuck.plat:11" err.txt && break
done
grep -q "SIGQUIT: live tasks (the program goes on)" err.txt || { kill -9 $pid; fail "no dump: $(cat err.txt)"; }
for want in "  task 1 main: blocked in await of task 3 at stuck.plat:17" \
            "  task 2: blocked in channel recv at stuck.plat:2" \
            "    spawned at stuck.plat:10 in task 1 main" \
            "  task 3: blocked in channel recv at stuck.plat:11" \
            "    spawned at stuck.plat:11 in task 1 main"; do
  grep -qxF -- "$want" err.txt || { kill -9 $pid; fail "dump lacks \"$want\": $(cat err.txt)"; }
done
: >go                                   # the program goes on and ends
wait $pid
st=$?
[ "$st" = 0 ] || fail "the program ended with status $st after SIGQUIT: $(cat err.txt)"
grep -qx "finished 7" out.txt || fail "the program did not finish: $(cat out.txt)"
exit 0
