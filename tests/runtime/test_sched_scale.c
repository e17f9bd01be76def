/* test_sched_scale.c -- 1,000,000 tasks spawned and joined in one scope;
 * scopes nested 10,000 deep (recursion in one task, and a chain of
 * 10,000 tasks each opening a scope for the next); 20,000 tasks alive at
 * once, all parked in await. */
#include "rt_test.h"

/* TSan makes every task a TSan fiber (a full thread state): scale down. */
#ifdef PLAT_TSAN
#define NSPAWN 20000
#define CHAIN 1000
#define NWAIT 2000
#else
#define NSPAWN 1000000
#define CHAIN 10000
#define NWAIT 20000
#endif

static uint64_t one(void *env) { return (uint64_t)(uintptr_t)env & 1; }

static uint64_t nest(void *env) {
  uintptr_t depth = (uintptr_t)env;
  if (depth == 0) return 1;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  uint64_t r = nest((void *)(depth - 1)) + 1;
  plat_scope_exit(&sc);
  return r;
}

static uint64_t chain(void *env) {
  uintptr_t depth = (uintptr_t)env;
  if (depth == 0) return 0;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = plat_spawn(&sc, chain, (void *)(depth - 1), __FILE__, __LINE__);
  uint64_t r = plat_await(t) + 1;
  plat_scope_exit(&sc);
  return r;
}

static plat_task *gate;
static uint64_t gate_fn(void *env) {
  (void)env;
  plat_sleep_ms(50);
  return 5;
}
static uint64_t waiter(void *env) {
  (void)env;
  return plat_await(gate);
}

static uint64_t root(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (uintptr_t i = 0; i < NSPAWN; i++) plat_spawn(&sc, one, (void *)i, __FILE__, __LINE__);
  plat_scope_exit(&sc);

  CHECK(nest((void *)10000) == 10001);
  CHECK(chain((void *)CHAIN) == CHAIN);

  plat_scope s2;
  plat_scope_enter(&s2, __FILE__, __LINE__);
  gate = plat_spawn(&s2, gate_fn, NULL, __FILE__, __LINE__);
  enum { N = NWAIT };
  static plat_task *ts[N];
  for (int i = 0; i < N; i++) ts[i] = plat_spawn(&s2, waiter, NULL, __FILE__, __LINE__);
  uint64_t sum = 0;
  for (int i = 0; i < N; i++) sum += plat_await(ts[i]);
  CHECK(sum == 5u * N);
  plat_scope_exit(&s2);
  return 0;
}

int main(int argc, char **argv) {
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  return 0;
}
