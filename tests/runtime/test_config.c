/* test_config.c -- the PLAT_* environment variables: a value that is not
 * what the variable accepts stops the program at start-up with a message
 * naming it and exit status 2 (never silently ignored), and the smallest
 * accepted PLAT_STACK_KB really runs tasks (and still reports overflow). */
#include <stdlib.h>
#include "rt_test.h"

static const char *var, *val;             /* set before each child forks */

static uint64_t depth(uint64_t n) {
  PLAT_STACK_CHECK("c.plat", 7);
  volatile char pad[128];
  pad[0] = 0;
  return n == 0 ? 0 : depth(n - 1) + 1 + (uint64_t)pad[0];
}
static uint64_t task_fn(void *env) { return depth((uint64_t)(uintptr_t)env); }

static uint64_t root_fn(void *env) {
  plat_scope sc;
  plat_scope_enter(&sc, "c.plat", 1);
  plat_task *t = plat_spawn(&sc, task_fn, env, "c.plat", 2);
  uint64_t r = plat_await(t);
  plat_scope_exit(&sc);
  printf("depth %llu\n", (unsigned long long)r);
  return 0;
}

static uintptr_t want_depth;
static int prog(void) {
  setenv(var, val, 1);
  return plat_main(0, NULL, root_fn, (void *)want_depth);
}

static int run(const char *v, const char *x, uintptr_t d, char *out, size_t cap) {
  var = v;
  val = x;
  want_depth = d;
  return run_child(prog, out, cap);
}

int main(void) {
  static char out[8192];
  int st;
  static const struct { const char *var, *val, *msg; } bad[] = {
    {"PLAT_STACK_KB", "64", "fatal: PLAT_STACK_KB must be a number from 128 to 1048576, not '64'"},
    {"PLAT_STACK_KB", "12x", "fatal: PLAT_STACK_KB must be a number from 128 to 1048576, not '12x'"},
    {"PLAT_STACK_KB", "2097152", "not '2097152'"},
    {"PLAT_STACK_KB", " 256", "not ' 256'"},
    {"PLAT_WORKERS", "0", "fatal: PLAT_WORKERS must be a number from 1 to 1024, not '0'"},
    {"PLAT_WORKERS", "two", "not 'two'"},
    {"PLAT_IO_THREADS", "0", "fatal: PLAT_IO_THREADS must be a number from 1 to 4096, not '0'"},
    {"PLAT_IO_THREADS", "99999", "not '99999'"},
    {"PLAT_GC_TORTURE", "yes", "fatal: PLAT_GC_TORTURE must be 0 or 1, not 'yes'"},
    {"PLAT_GC_TORTURE_EVERY", "-5", "fatal: PLAT_GC_TORTURE_EVERY must be a number from 1 to 1000000000, not '-5'"},
    {"PLAT_GC_TORTURE_EVERY", "99999999999999999999", "not '99999999999999999999'"},
    {"PLAT_SEED", "-1", "fatal: PLAT_SEED must be a number from 0 to 9223372036854775807, not '-1'"},
    {"PLAT_SEED", "1e3", "not '1e3'"},
    {"PLAT_SCHEDULES", "0", "fatal: PLAT_SCHEDULES must be a number from 1 to 1000000000, not '0'"},
    {"PLAT_TRACE", "/nonexistent-dir/t.json", "fatal: PLAT_TRACE: cannot open /nonexistent-dir/t.json: "},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    st = run(bad[i].var, bad[i].val, 10, out, sizeof out);
    if (st != 2) fprintf(stderr, "%s=%s: status %d\n%s\n", bad[i].var, bad[i].val, st, out);
    CHECK(st == 2);
    expect(out, bad[i].msg);
    CHECK(!strstr(out, "depth"));           /* no task ran */
  }

  /* accepted values run; empty means the default */
  static const struct { const char *var, *val; } good[] = {
    {"PLAT_STACK_KB", "128"}, {"PLAT_STACK_KB", "200"}, {"PLAT_STACK_KB", ""},
    {"PLAT_WORKERS", "1"}, {"PLAT_IO_THREADS", "1"}, {"PLAT_GC_TORTURE", "0"},
    {"PLAT_GC_TORTURE", "1"}, {"PLAT_GC_TORTURE_EVERY", "7"},
    {"PLAT_SEED", "0"}, {"PLAT_SEED", "9223372036854775807"}, {"PLAT_SCHEDULES", "3"},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    st = run(good[i].var, good[i].val, 100, out, sizeof out);
    if (st != 0) fprintf(stderr, "%s=%s: status %d\n%s\n", good[i].var, good[i].val, st, out);
    CHECK(st == 0);
    expect(out, "depth 100\n");
  }

  /* the minimum stack: 64 KiB usable (one of them holds a few hundred
   * small frames), and running out of it is still a clean panic */
  CHECK(run("PLAT_STACK_KB", "128", 200, out, sizeof out) == 0);
  expect(out, "depth 200\n");
  st = run("PLAT_STACK_KB", "128", 100000, out, sizeof out);
  if (st != 101) fprintf(stderr, "status %d: %s\n", st, out);
  CHECK(st == 101);
  expect(out, "panic: stack overflow\n  at c.plat:7\n  in task spawned at c.plat:2\n");
  fprintf(stderr, "test_config: ok\n");
  return 0;
}
