/* test_sched_reports.c -- what a program prints when it dies: an uncaught
 * panic (message, location, spawn chain, status 101, stdout flushed first,
 * without waiting for sleeping siblings), a deadlock report, a stack
 * overflow in a task and in the root task (a panic, not SIGSEGV), and the
 * panic of a plain C thread outside any task. */
#include "rt_test.h"

/* ---- uncaught panic with a spawn chain ---- */
static uint64_t deep_panic(void *env) {
  (void)env;
  plat_panic("index out of range", "a.plat", 30);
}
static uint64_t sleepy(void *env) {
  (void)env;
  plat_sleep_ms(60000);
  return 0;
}
static uint64_t mid(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "a.plat", 19);
  plat_spawn(&sc, deep_panic, NULL, "a.plat", 20);
  plat_scope_exit(&sc);
  return 0;
}
static uint64_t root_panic(void *env) {
  (void)env;
  printf("before");                   /* must be flushed before the report */
  plat_scope sc;
  plat_scope_enter(&sc, "a.plat", 9);
  plat_spawn(&sc, sleepy, NULL, "a.plat", 10);
  plat_task *t = plat_spawn(&sc, mid, NULL, "a.plat", 11);
  plat_await(t);
  plat_scope_exit(&sc);
  return 0;
}
static int prog_panic(void) { return plat_main(0, NULL, root_panic, NULL); }

/* ---- deadlock ---- */
static bool commit_yes(plat_task *s, void *a) {
  (void)s;
  (void)a;
  return true;
}
static uint64_t stuck(void *env) {
  (void)env;
  PLAT_AT("d.plat", 7);                 /* the wait's location, as generated code records it */
  plat_park(commit_yes, NULL, "channel recv");
  return 0;
}
static uint64_t stuck_deeper(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "d.plat", 10);
  plat_task *t = plat_spawn(&sc, stuck, NULL, "d.plat", 11);
  PLAT_AT("d.plat", 12);
  plat_await(t);
  plat_scope_exit(&sc);
  return 0;
}
static uint64_t root_deadlock(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "d.plat", 3);
  plat_spawn(&sc, stuck, NULL, "d.plat", 4);
  plat_spawn(&sc, stuck_deeper, NULL, "d.plat", 5);
  plat_scope_exit(&sc);
  return 0;
}
static int prog_deadlock(void) { return plat_main(0, NULL, root_deadlock, NULL); }

/* ---- stack overflow ---- */
static uint64_t recurse(uint64_t n) {
  PLAT_STACK_CHECK("s.plat", 42);
  volatile char pad[256];
  pad[0] = (char)n;
  if (n > 1000000000) return 0;
  return recurse(n + 1) + pad[0];
}
static uint64_t over_fn(void *env) {
  (void)env;
  return recurse(0);
}
static uint64_t root_overflow_task(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "s.plat", 1);
  plat_spawn(&sc, over_fn, NULL, "s.plat", 2);
  plat_scope_exit(&sc);
  return 0;
}
static int prog_overflow_task(void) { return plat_main(0, NULL, root_overflow_task, NULL); }
static int prog_overflow_root(void) { return plat_main(0, NULL, over_fn, NULL); }

/* overflow caught by plat_catch, and the task stack reused afterwards */
static uint64_t root_overflow_caught(void *env) {
  (void)env;
  for (int i = 0; i < 3; i++) {
    const char *m = plat_catch(over_fn, NULL);
    CHECK(m && strcmp(m, "stack overflow (at s.plat:42)") == 0);
  }
  return 3;
}

static int prog_thread_panic(void) { plat_panic("outside", "t.plat", 1); }

int main(void) {
  static char out[65536];
  int st = run_child(prog_panic, out, sizeof out);
  CHECK(st == 101);
  CHECK(strncmp(out, "beforepanic: index out of range\n", 32) == 0);
  expect(out, "panic: index out of range\n  at a.plat:30\n"
              "  in task spawned at a.plat:20\n  in task spawned at a.plat:11\n");

  st = run_child(prog_deadlock, out, sizeof out);
  CHECK(st == 101);
  /* dump.c's format: ids (root 1, then its spawns in order), the line
   * where each task waits and on what, the chain of spawn locations */
  expect(out, "deadlock: all tasks are blocked\n"
              "  task 1 main: blocked in scope exit at d.plat:3\n"
              "  task 2: blocked in channel recv at d.plat:7\n"
              "    spawned at d.plat:4 in task 1 main\n"
              "  task 3: blocked in await of task 4 at d.plat:12\n"
              "    spawned at d.plat:5 in task 1 main\n"
              "  task 4: blocked in channel recv at d.plat:7\n"
              "    spawned at d.plat:11 in task 3, at d.plat:5 in task 1 main\n");

  st = run_child(prog_overflow_task, out, sizeof out);
  CHECK(st == 101);
  expect(out, "panic: stack overflow\n  at s.plat:42\n  in task spawned at s.plat:2\n");

  st = run_child(prog_overflow_root, out, sizeof out);
  CHECK(st == 101);
  expect(out, "panic: stack overflow\n  at s.plat:42\n");

  CHECK(plat_main(0, NULL, root_overflow_caught, NULL) == 3);

  st = run_child(prog_thread_panic, out, sizeof out);
  CHECK(st == 101);
  expect(out, "panic: outside\n  at t.plat:1\n");
  return 0;
}
