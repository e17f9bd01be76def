/* test_scope_prune.c -- a scope keeps only its live children (task.c,
 * prune), with its semantics intact.
 *   bounded:  1,000,000 children spawned and awaited one after another in
 *             one scope: the scope never holds more than the live children
 *             plus the pruning slack, and the collector's heap
 *             stays small (it used to hold every task the scope ran).
 *             Under TSan (every task a costly TSan fiber): 20,000
 *             children and no heap bound (nothing is collected there);
 *             the other cases run smaller too.
 *   panic:    while the owner keeps spawning short children (so the list is
 *             pruned again and again), one child panics: every sleeping
 *             sibling is cancelled (a missed one would sleep for ~17 min
 *             and the scope exit would wait for it), and the scope exit
 *             re-raises the panic.  Two workers, 30 rounds.
 *   cancel:   the owner of a scope with sleeping children and pruned
 *             finished ones is cancelled: its scope cancels and joins
 *             every live child.
 *   foreign:  children spawning into their parent's scope (not the owner)
 *             while the owner spawns and prunes: every child runs once. */
#include <stdatomic.h>
#include <gc/gc.h>
#include "rt_test.h"
#include "rt_internal.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)

static uint64_t ident(void *env) { return (uint64_t)(uintptr_t)env; }

/* Children the scope still holds: the owner's array and the list of
 * children spawned by other tasks. */
static size_t held(plat_scope *sc)
{
  size_t n = __atomic_load_n(&sc->nkids, __ATOMIC_ACQUIRE);
  for (plat_task *c = __atomic_load_n(&sc->children, __ATOMIC_ACQUIRE); c;
       c = __atomic_load_n(&c->sib_next, __ATOMIC_RELAXED))
    n++;
  return n;
}

#ifdef PLAT_TSAN
/* every task is a TSan fiber (slow to create), and nothing is collected */
enum { N = 20000, ROUNDS = 4, SCALE = 4 };
#else
enum { N = 1000000, ROUNDS = 30, SCALE = 1 };
#endif

static void bounded(void)
{
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  size_t longest = 0, heap = 0;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < N; i++) {
    sum += plat_await(SPAWN(&sc, ident, (void *)(uintptr_t)i));
    if (i % 1000 == 0) {
      size_t n = held(&sc);
      if (n > longest) longest = n;
      if (GC_get_heap_size() > heap) heap = GC_get_heap_size();
    }
  }
  plat_scope_exit(&sc);
  printf("test_scope_prune: bounded: at most %zu children held, largest heap %zu KiB\n", longest,
         heap >> 10);
  CHECK(sum == (uint64_t)N * (N - 1) / 2);
  CHECK(longest <= PLAT_SCOPE_INLINE_KIDS);  /* one live child: the array never grows */
#ifndef PLAT_TSAN                          /* the TSan build never collects */
  CHECK(heap < ((size_t)64 << 20));        /* 1M task records would be ~150 MiB */
#endif
}

static uint64_t sleep_long(void *env)
{
  (void)env;
  plat_sleep_ms(1000000);
  CHECK(!"a sleeping sibling was not cancelled");
  return 0;
}

static uint64_t panic_soon(void *env)
{
  for (int i = 0; i < (int)(uintptr_t)env; i++) plat_yield();
  plat_panic("boom", "prune.plat", 3);
}

static uint64_t panic_round(void *env)
{
  int round = (int)(uintptr_t)env;
  plat_scope sc;
  plat_scope_enter(&sc, "prune.plat", 1);
  for (int i = 0; i < 200 / SCALE; i++) {
    SPAWN(&sc, sleep_long, NULL);
    for (int k = 0; k < 20; k++) SPAWN(&sc, ident, NULL);
  }
  SPAWN(&sc, panic_soon, (void *)(uintptr_t)(round % 7));
  for (int i = 0; i < 5000 / SCALE && !plat_is_cancelled(); i++) SPAWN(&sc, ident, NULL);
  plat_scope_exit(&sc);
  CHECK(!"the scope exit did not re-raise");
  return 0;
}

static void panic_cancels_all(void)
{
  for (int round = 0; round < ROUNDS; round++) {
    const char *r = plat_catch(panic_round, (void *)(uintptr_t)round);
    CHECK(r && strstr(r, "boom"));
  }
  printf("test_scope_prune: panic: ok\n");
}

static atomic_int started;

static uint64_t owner_cancelled(void *env)
{
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "prune.plat", 10);
  for (int i = 0; i < 100 / SCALE; i++) {
    SPAWN(&sc, sleep_long, NULL);
    for (int k = 0; k < 50; k++) plat_await(SPAWN(&sc, ident, NULL));
  }
  atomic_store(&started, 1);
  plat_sleep_ms(1000000);
  CHECK(!"not cancelled");
  return 0;
}

static void cancel_reaches_all(void)
{
  atomic_store(&started, 0);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = SPAWN(&sc, owner_cancelled, NULL);
  while (!atomic_load(&started)) plat_yield();
  plat_cancel(t);
  plat_scope_exit(&sc);
  CHECK(atomic_load(&t->state) == PLAT_T_CANCELLED);
  printf("test_scope_prune: cancel: ok\n");
}

static atomic_long ran;
static plat_scope *foreign_scope;

static uint64_t count_once(void *env)
{
  (void)env;
  atomic_fetch_add(&ran, 1);
  return 0;
}

static uint64_t spawn_into_parent(void *env)
{
  (void)env;
  atomic_fetch_add(&ran, 1);
  for (int i = 0; i < 100; i++) SPAWN(foreign_scope, count_once, NULL);
  return 0;
}

static void foreign(void)
{
  atomic_store(&ran, 0);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  foreign_scope = &sc;
  enum { P = 200 / SCALE };
  for (int i = 0; i < P; i++) {
    SPAWN(&sc, spawn_into_parent, NULL);
    for (int k = 0; k < 100; k++) SPAWN(&sc, count_once, NULL);
  }
  plat_scope_exit(&sc);
  CHECK(atomic_load(&ran) == P + P * 100 + P * 100);
  printf("test_scope_prune: foreign: ok\n");
}

static uint64_t root(void *env)
{
  (void)env;
  bounded();
  panic_cancels_all();
  cancel_reaches_all();
  foreign();
  return 0;
}

int main(int argc, char **argv)
{
  setenv("PLAT_WORKERS", "2", 1);
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  printf("test_scope_prune: ok\n");
  return 0;
}
