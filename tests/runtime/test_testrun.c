/* test_testrun.c -- plat_test_main (the runner behind `plat test`): each
 * test runs in its own process, so a test that panics, crashes (SIGSEGV,
 * abort), calls exit(), deadlocks or hangs fails alone, named, and the
 * others still run; the summary is always printed; a filter matching no
 * test is an error (status 2); `block.test` equals `block::test`.  (A
 * deadlock and an interrupted run are tested from Plat: tests/unit/
 * unit_isolation.plat, tests/driver/testrun.sh.) */
#include <signal.h>

#include "plat_test.h"
#include "rt_test.h"

static uint64_t t_pass(void *env) { (void)env; return 0; }
static uint64_t t_panic(void *env) { (void)env; plat_panic("boom", "t.plat", 7); }
static uint64_t t_segv(void *env) { (void)env; raise(SIGSEGV); return 0; }
static uint64_t t_abort(void *env) { (void)env; abort(); }
static uint64_t t_exit(void *env) { (void)env; exit(3); }
static uint64_t t_hang(void *env) {
  (void)env;
  while (env == NULL) plat_sleep_ms(1000);   /* a timer: not a deadlock */
  return 0;
}

static const plat_test_case cases[] = {
  {"a::test_pass", "a", "test_pass", t_pass},
  {"a::test_panic", "a", "test_panic", t_panic},
  {"a::test_segv", "a", "test_segv", t_segv},
  {"a::test_abort", "a", "test_abort", t_abort},
  {"a::test_exit", "a", "test_exit", t_exit},
  {"b::test_hang", "b", "test_hang", t_hang},
  {"b::test_pass", "b", "test_pass", t_pass},
  {NULL, NULL, NULL, NULL},
};

static int g_argc;
static char **g_argv;
static int prog(void) { return plat_test_main(g_argc, g_argv, cases); }

static int run(char *buf, size_t cap, int argc, char **argv) {
  g_argc = argc;
  g_argv = argv;
  return run_child(prog, buf, cap);
}

#define HAS(s) do { if (!strstr(buf, s)) { fprintf(stderr, "missing: %s\n--- output:\n%s\n", s, buf); CHECK(0); } } while (0)

int main(void) {
  static char buf[1 << 16];
  char *all[] = {"t", "--timeout", "1.5", NULL};
  int st = run(buf, sizeof buf, 3, all);
  CHECK(st == 1);
  HAS("ok   a::test_pass\n");
  HAS("FAIL a::test_panic: boom (at t.plat:7)\n");
#if defined(PLAT_ASAN) || defined(PLAT_TSAN)
  HAS("FAIL a::test_segv: exited with status ");   /* the sanitizer reports it and exits */
#else
  HAS("FAIL a::test_segv: crashed: signal 11 (Segmentation fault)\n");
#endif
  HAS("FAIL a::test_abort: crashed: signal 6 (Aborted)\n");
  HAS("FAIL a::test_exit: exited with status 3 before the test finished\n");
  HAS("FAIL b::test_hang: timed out after 1.5 s");
  HAS("ok   b::test_pass\n");
  HAS("2 passed, 5 failed\n");

  char *dots[] = {"t", "-f", "b.test_pass", "-f", "a::test_pass", NULL};
  st = run(buf, sizeof buf, 5, dots);
  CHECK(st == 0);
  HAS("ok   a::test_pass\nok   b::test_pass\n2 passed, 0 failed\n");

  char *none[] = {"t", "-f", "a::test_pass", "-f", "zzz*", NULL};
  st = run(buf, sizeof buf, 5, none);
  CHECK(st == 2);
  HAS("no test matches -f `zzz*`");
  CHECK(!strstr(buf, "ok   a::test_pass"));

  char *bad[] = {"t", "--timeout", "soon", NULL};
  CHECK(run(buf, sizeof buf, 3, bad) == 2);
  HAS("--timeout takes a number of seconds");

  puts("test_testrun: ok");
  return 0;
}
