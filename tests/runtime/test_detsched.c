/* test_detsched.c -- deterministic schedules (detsched.c, testrun.c):
 * the same seed gives the same interleaving and output, different seeds
 * give different ones, virtual time (a minute of sleep costs nothing and
 * the clock reads exactly what was slept; equal deadlines fire in a
 * seeded order), a deadlock outside a test exits 101 with the report and
 * the seed, and plat_test_run finds a lost update within 200 schedules
 * while a correct body passes all of them. */
#include "rt_test.h"
#include "plat_chan.h"

static char log_buf[4096];
static int log_n;
static int shared;

static void note(char c) {
  if (log_n < (int)sizeof log_buf - 1) log_buf[log_n++] = c;
}

static uint64_t racer(void *env) {
  char me = (char)(uintptr_t)env;
  for (int i = 0; i < 3; i++) {
    note(me);
    int seen = shared;
    plat_yield();
    shared = seen + 1;
  }
  return 0;
}

static uint64_t sleeper(void *env) {
  plat_sleep_ms(10);                    /* both sleepers: the same deadline */
  note((char)(uintptr_t)env);
  return 0;
}

static uint64_t root_interleave(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "d.plat", 1);
  for (char c = 'a'; c <= 'c'; c++) plat_spawn(&sc, racer, (void *)(uintptr_t)c, "d.plat", 2);
  plat_spawn(&sc, sleeper, (void *)(uintptr_t)'x', "d.plat", 3);
  plat_spawn(&sc, sleeper, (void *)(uintptr_t)'y', "d.plat", 4);
  plat_scope_exit(&sc);
  int64_t t0 = plat_now_ms();
  plat_sleep_ms(60000);
  CHECK(plat_now_ms() - t0 == 60000);   /* virtual: exact, and instant */
  log_buf[log_n] = 0;
  printf("%s %d\n", log_buf, shared);
  return 0;
}

static const char *seed_env;
static int prog_interleave(void) {
  setenv("PLAT_SEED", seed_env, 1);
  return plat_main(0, NULL, root_interleave, NULL);
}

static uint64_t stuck(void *env) {
  plat_word v;
  PLAT_AT("d.plat", 9);
  plat_chan_recv(env, &v);
  return 0;
}
static uint64_t root_deadlock(void *env) {
  (void)env;
  plat_chan *ch = plat_chan_new(0, "d.plat", 7);
  plat_scope sc;
  plat_scope_enter(&sc, "d.plat", 8);
  plat_spawn(&sc, stuck, ch, "d.plat", 8);
  plat_scope_exit(&sc);
  return 0;
}
static int prog_deadlock(void) {
  setenv("PLAT_SEED", "5", 1);
  return plat_main(0, NULL, root_deadlock, NULL);
}

/* plat_test_run: a buggy body (lost update) and a correct one (channel lock) */
static uint64_t lost_update_body(void *env) {
  (void)env;
  shared = 0;
  plat_scope sc;
  plat_scope_enter(&sc, "t.plat", 1);
  plat_spawn(&sc, racer, (void *)(uintptr_t)'p', "t.plat", 2);
  plat_spawn(&sc, racer, (void *)(uintptr_t)'q', "t.plat", 3);
  plat_scope_exit(&sc);
  if (shared != 6) plat_panicf("t.plat", 4, "lost an update: %d", shared);
  return 0;
}
static plat_chan *lock;
static uint64_t locked(void *env) {
  (void)env;
  for (int i = 0; i < 3; i++) {
    plat_word tok;
    plat_chan_recv(lock, &tok);
    int seen = shared;
    plat_yield();
    shared = seen + 1;
    plat_chan_send(lock, tok, "t.plat", 9);
  }
  return 0;
}
static uint64_t locked_body(void *env) {
  (void)env;
  shared = 0;
  lock = plat_chan_new(1, "t.plat", 5);
  plat_chan_send(lock, 0, "t.plat", 6);
  plat_scope sc;
  plat_scope_enter(&sc, "t.plat", 7);
  plat_spawn(&sc, locked, NULL, "t.plat", 8);
  plat_spawn(&sc, locked, NULL, "t.plat", 8);
  plat_scope_exit(&sc);
  if (shared != 6) plat_panicf("t.plat", 10, "lost an update: %d", shared);
  return 0;
}
static uint64_t root_tests(void *env) {
  (void)env;
  const char *bad = plat_test_run("t::lost", lost_update_body);
  CHECK(bad && strstr(bad, "lost an update") && strstr(bad, "failed on the schedule of seed "));
  CHECK(strstr(bad, " --schedules 1 --seed ") && strstr(bad, " -f t::lost"));
  CHECK(plat_test_run("t::locked", locked_body) == NULL);
  return 0;
}
static int prog_tests(void) {
  setenv("PLAT_SCHEDULES", "200", 1);
  setenv("PLAT_SEED", "1", 1);
  unsetenv("PLAT_TEST_FILE");
  return plat_main(0, NULL, root_tests, NULL);
}

int main(void) {
  static char a[8192], b[8192];
  seed_env = "5";
  CHECK(run_child(prog_interleave, a, sizeof a) == 0);
  CHECK(run_child(prog_interleave, b, sizeof b) == 0);
  CHECK(strcmp(a, b) == 0);             /* same seed, same run */
  int distinct = 0;
  char seeds[16];
  for (int s = 1; s <= 20 && !distinct; s++) {
    snprintf(seeds, sizeof seeds, "%d", s);
    seed_env = seeds;
    CHECK(run_child(prog_interleave, b, sizeof b) == 0);
    if (strcmp(a, b) != 0) distinct = 1;
  }
  CHECK(distinct);                      /* the seed chooses the interleaving */

  int st = run_child(prog_deadlock, a, sizeof a);
  CHECK(st == 101);
  CHECK(strstr(a, "deadlock: all tasks are blocked\n"));
  CHECK(strstr(a, ": blocked in channel recv at d.plat:9\n    spawned at d.plat:8 in task 1 main\n"));
  CHECK(strstr(a, "(deterministic schedule, seed 5)"));

  st = run_child(prog_tests, a, sizeof a);
  if (st != 0) fprintf(stderr, "%s", a);
  CHECK(st == 0);
  return 0;
}
