/* test_sched_basic.c -- spawn/await, scopes, yield, sleep, defers, panics
 * caught by plat_catch, cancellation of a sleeping task. */
#include "rt_test.h"

static uint64_t add_one(void *env) { return (uint64_t)(uintptr_t)env + 1; }

static uint64_t fib(void *env) {
  uint64_t n = (uint64_t)(uintptr_t)env;
  if (n < 2) return n;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *a = plat_spawn(&sc, fib, (void *)(uintptr_t)(n - 1), __FILE__, __LINE__);
  plat_task *b = plat_spawn(&sc, fib, (void *)(uintptr_t)(n - 2), __FILE__, __LINE__);
  uint64_t r = plat_await(a) + plat_await(b);
  CHECK(plat_await(a) + plat_await(b) == r);   /* second await: same value */
  plat_scope_exit(&sc);
  return r;
}

static uint64_t panicker(void *env) {
  (void)env;
  plat_yield();
  plat_panic("boom", "x.plat", 7);
}

static int defer_ran;
static _Atomic int sleeper_started;
static void mark(void *env) { (void)env; defer_ran++; }

static uint64_t sleeper(void *env) {
  (void)env;
  plat_defer d;
  plat_defer_push(&d, mark, NULL);
  sleeper_started = 1;
  plat_sleep_ms(100000);
  CHECK(!"sleeper not cancelled");
  return 0;
}

static uint64_t panicker_late(void *env) {
  while (!sleeper_started) plat_yield();
  return panicker(env);
}

static uint64_t panics_with_sleeping_sibling(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "y.plat", 1);
  plat_spawn(&sc, sleeper, NULL, "y.plat", 2);
  plat_spawn(&sc, panicker_late, NULL, "y.plat", 3);
  plat_scope_exit(&sc);
  CHECK(!"scope exit did not re-raise");
  return 0;
}

static bool commit_yes(plat_task *s, void *a) {
  (void)s;
  (void)a;
  return true;
}
/* The parent blocks on something the panicking child would have fed: the
 * panic interrupts the wait and is re-raised there. */
static uint64_t parent_blocked_elsewhere(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "z.plat", 1);
  plat_spawn(&sc, panicker, NULL, "z.plat", 2);
  int r = plat_park(commit_yes, NULL, "channel recv");
  CHECK(r == PLAT_WAKE_CANCEL);
  plat_cancel_unwind();
}

static uint64_t root(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = plat_spawn(&sc, add_one, (void *)41, __FILE__, __LINE__);
  CHECK(plat_await(t) == 42);
  plat_scope_exit(&sc);

  CHECK(fib((void *)15) == 610);

  for (int i = 0; i < 100; i++) plat_yield();
  int64_t t0 = plat_now_ms();
  plat_sleep_ms(20);
  CHECK(plat_now_ms() - t0 >= 19);

  CHECK(plat_catch(add_one, NULL) == NULL);
  const char *m = plat_catch(panicker, NULL);
  CHECK(m && strcmp(m, "boom (at x.plat:7)") == 0);
  defer_ran = 0;
  sleeper_started = 0;
  m = plat_catch(panics_with_sleeping_sibling, NULL);
  CHECK(m && strcmp(m, "boom (at x.plat:7)") == 0);
  CHECK(defer_ran == 1);

  for (int i = 0; i < 50; i++) {
    m = plat_catch(parent_blocked_elsewhere, NULL);
    CHECK(m && strcmp(m, "boom (at x.plat:7)") == 0);
  }
  /* the interrupt must not leak into later waits */
  plat_sleep_ms(1);

  uint64_t out = 0;
  CHECK(plat_with_timeout(1000, add_one, (void *)1, &out, __FILE__, __LINE__) && out == 2);
  defer_ran = 0;
  sleeper_started = 0;
  CHECK(!plat_with_timeout(100, sleeper, NULL, &out, __FILE__, __LINE__));
  CHECK(defer_ran == sleeper_started);  /* started => its defer ran */
  return 7;
}

int main(int argc, char **argv) {
  int r = plat_main(argc, argv, root, NULL);
  CHECK(r == 7);
  return 0;
}
