/* test_trace.c -- PLAT_TRACE (trace.c): a run with many more events than
 * a thread's ring holds (written in chunks, nothing dropped), across
 * workers, with channel hand-offs, sleeps, awaits and cancellations,
 * passes tests/trace/check_trace.py (every task begun and ended, flows
 * joined, no overlapping slices on one worker); so do the traces of a
 * program that exits from a task (plat_exit) and of one that deadlocks,
 * which still end as complete JSON documents; and a test program writes
 * one trace per test (each runs in its own process), each holding all of
 * the test's deterministic schedules. */
#include "rt_test.h"
#include "plat_chan.h"
#include "plat_test.h"

void plat_exit(int32_t code);

static char path[256];

static uint64_t ponger(void *env) {
  plat_chan *ch = env;
  plat_word v;
  while (plat_chan_recv(ch, &v)) {}
  return 0;
}
static uint64_t napper(void *env) {
  (void)env;
  PLAT_AT("r.plat", 20);
  plat_sleep_ms(2);
  return 1;
}
static uint64_t forever(void *env) {
  PLAT_AT("r.plat", 30);
  plat_word v;
  plat_chan_recv(env, &v);
  return 0;
}
static uint64_t root_busy(void *env) {
  (void)env;
  plat_chan *ch = plat_chan_new(0, "r.plat", 1);
  plat_chan *never = plat_chan_new(0, "r.plat", 2);
  plat_scope sc;
  plat_scope_enter(&sc, "r.plat", 3);
  plat_spawn(&sc, ponger, ch, "r.plat", 4);
  plat_task *f = plat_spawn(&sc, forever, never, "r.plat", 5);
  for (int i = 0; i < 20000; i++) plat_chan_send(ch, (plat_word)i, "r.plat", 6);
  plat_chan_close(ch, "r.plat", 7);
  uint64_t n = 0;
  for (int i = 0; i < 50; i++) {
    plat_scope in;
    plat_scope_enter(&in, "r.plat", 8);
    plat_task *t = plat_spawn(&in, napper, NULL, "r.plat", 9);
    PLAT_AT("r.plat", 10);
    n += plat_await(t);
    plat_scope_exit(&in);
  }
  plat_cancel(f);
  plat_scope_exit(&sc);
  return n == 50 ? 0 : 1;
}
static uint64_t root_exit(void *env) {
  plat_scope sc;
  plat_scope_enter(&sc, "e.plat", 1);
  plat_spawn(&sc, forever, env = plat_chan_new(0, "e.plat", 2), "e.plat", 3);
  plat_sleep_ms(1);
  plat_exit(3);
  return 0;
}
static uint64_t root_deadlock(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "d.plat", 1);
  plat_spawn(&sc, forever, plat_chan_new(0, "d.plat", 2), "d.plat", 3);
  plat_scope_exit(&sc);
  return 0;
}
static uint64_t spawns_and_awaits(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "t.plat", 1);
  plat_task *t = plat_spawn(&sc, napper, NULL, "t.plat", 2);
  PLAT_AT("t.plat", 3);
  uint64_t r = plat_await(t);
  plat_scope_exit(&sc);
  return r;
}
static const plat_test_case cases[] = {
  {"blk::t_one", "blk", "t_one", spawns_and_awaits},
  {"blk::t_two", "blk", "t_two", spawns_and_awaits},
  {NULL, NULL, NULL, NULL},
};
static int prog_tests(void) {
  setenv("PLAT_TRACE", path, 1);
  char *argv[] = {"tests", "--schedules", "4", NULL};
  return plat_test_main(3, argv, cases);
}

static plat_task_fn prog_root;
static int prog(void) {
  setenv("PLAT_TRACE", path, 1);
  return plat_main(0, NULL, prog_root, NULL);
}

static void check(const char *opts) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "python3 tests/trace/check_trace.py %s %s", path, opts);
  int st = system(cmd);
  if (st != 0) fprintf(stderr, "failed: %s\n", cmd);
  CHECK(st == 0);
}

int main(void) {
  static char out[65536];
  const char *tmp = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/plat-test-trace-%d.json", tmp && *tmp ? tmp : "/tmp", (int)getpid());
  prog_root = root_busy;
  CHECK(run_child(prog, out, sizeof out) == 0);
  check("--min-tasks 53 --expect-end cancelled --expect-wait 'await@r.plat:10' "
        "--expect-wait 'sleep@r.plat:20' --expect-wait 'channel recv@r.plat:30'");
  prog_root = root_exit;
  CHECK(run_child(prog, out, sizeof out) == 3);
  check("--allow-unfinished --expect-wait 'channel recv@r.plat:30'");
  prog_root = root_deadlock;
  CHECK(run_child(prog, out, sizeof out) == 101);
  CHECK(strstr(out, "deadlock: all tasks are blocked"));
  check("--allow-unfinished --expect-wait 'scope exit@d.plat:1'");
  unlink(path);

  /* PLAT_TRACE=DIR/x.json under a test program: DIR/x.blk.t_one.json, ... */
  snprintf(path, sizeof path, "%s/plat-test-trace-%d.json", tmp && *tmp ? tmp : "/tmp", (int)getpid());
  CHECK(run_child(prog_tests, out, sizeof out) == 0);
  CHECK(strstr(out, "ok   blk::t_one\nok   blk::t_two\n2 passed, 0 failed\n"));
  const char *names[] = {"t_one", "t_two"};
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "%s/plat-test-trace-%d.blk.%s.json", tmp && *tmp ? tmp : "/tmp",
             (int)getpid(), names[i]);
    check("--min-tasks 9 --expect-wait 'await@t.plat:3'");   /* main + 4 schedules x 2 tasks */
    unlink(path);
  }
  return 0;
}
