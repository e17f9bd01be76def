/* test_race.c -- plat_race (runtime/race.c) through its C API: the first
 * arm to return wins, losers blocked in sleep, park or a CPU loop are
 * cancelled and have run their defers before plat_race returns; a panic in
 * an arm is re-raised; a cancelled caller cancels and joins the arms;
 * many races in a row; plat_defer_cleanup runs a defer on a normal exit. */
#include <stdatomic.h>

#include "plat_race.h"
#include "rt_test.h"

static atomic_int unwound, started;
static void count_unwind(void *env) {
  (void)env;
  atomic_fetch_add(&unwound, 1);
}

static uint64_t sleeper(void *env) {
  plat_defer d;
  plat_defer_push(&d, count_unwind, env);
  atomic_fetch_add(&started, 1);
  plat_sleep_ms(1000000);
  CHECK(!"not cancelled");
  return 0;
}
static uint64_t spinner(void *env) {
  plat_defer d;
  plat_defer_push(&d, count_unwind, env);
  atomic_fetch_add(&started, 1);
  for (volatile uint64_t i = 0; i != UINT64_MAX; i++) PLAT_LOOP_CHECK("r.plat", 1);
  return 0;
}
static uint64_t quick(void *env) {   /* wins once both losers run */
  while (atomic_load(&started) < 2) plat_yield();
  return (uint64_t)(uintptr_t)env;
}
static uint64_t instant(void *env) { return (uint64_t)(uintptr_t)env; }
static uint64_t failing(void *env) {
  (void)env;
  plat_sleep_ms(2);
  plat_panic("arm failed", "r.plat", 7);
}

static uint64_t race_sleep_spin_quick(void *env) {
  (void)env;
  plat_task_fn fns[] = {sleeper, spinner, quick};
  void *envs[] = {NULL, NULL, (void *)(uintptr_t)42};
  return plat_race(3, fns, envs, "r.plat", 1);
}

static uint64_t race_panic_body(void *env) {
  (void)env;
  plat_task_fn fns[] = {sleeper, failing};
  void *envs[] = {NULL, NULL};
  return plat_race(2, fns, envs, "r.plat", 4);
}

static uint64_t race_losers_only(void *env) {
  (void)env;
  plat_task_fn fns[] = {sleeper, spinner};
  void *envs[] = {NULL, NULL};
  return plat_race(2, fns, envs, "r.plat", 5);
}

static uint64_t root(void *env) {
  (void)env;
  /* losers are cancelled and unwound before the race returns */
  CHECK(race_sleep_spin_quick(NULL) == 42);
  CHECK(atomic_load(&unwound) == 2);

  /* many small races: exactly one winner value each time */
  for (int i = 0; i < 2000; i++) {
    plat_task_fn fns[] = {instant, instant, sleeper};
    void *envs[] = {(void *)(uintptr_t)i, (void *)(uintptr_t)i, NULL};
    CHECK(plat_race(3, fns, envs, "r.plat", 2) == (uint64_t)i);
  }

  /* a panicking arm: re-raised in the caller, the other arm unwound
   * (if it started at all) */
  atomic_store(&unwound, 0);
  atomic_store(&started, 0);
  const char *msg = plat_catch(race_panic_body, NULL);
  CHECK(msg && strstr(msg, "arm failed"));
  CHECK(atomic_load(&unwound) == atomic_load(&started));

  /* a race cancelled from outside (with_timeout) cancels and joins its arms */
  atomic_store(&unwound, 0);
  atomic_store(&started, 0);
  uint64_t out = 0;
  CHECK(!plat_with_timeout(5, race_losers_only, NULL, &out, "r.plat", 3));
  CHECK(atomic_load(&unwound) == atomic_load(&started));

  /* plat_defer_cleanup: a normal exit pops and runs the record */
  atomic_store(&unwound, 0);
  {
    plat_defer d __attribute__((cleanup(plat_defer_cleanup)));
    plat_defer_push(&d, count_unwind, NULL);
  }
  CHECK(atomic_load(&unwound) == 1);
  return 0;
}

int main(int argc, char **argv) {
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  printf("test_race: ok\n");
  return 0;
}
