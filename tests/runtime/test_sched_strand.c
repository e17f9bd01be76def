/* test_sched_strand.c -- no runnable task is stranded behind a task that
 * never parks (sched.c, "No stranding"), with two workers.
 *   inbox:  a task moves itself (contention migration) into the inbox of
 *           the worker running a CPU loop that ends only once that task
 *           has run; the other worker is idle.
 *   poll:   a task polls a rendezvous channel with `select { send, default }`
 *           while the receiver sleeps 1 ms between receives (the contention
 *           migration used to park the receiver in the poller's inbox for
 *           good).
 * Each case ends only if the stranded task runs; nothing is timed. */
#include <stdatomic.h>
#include "rt_test.h"
#include "rt_internal.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)

static atomic_bool moved_ran;
static plat_worker *_Atomic spinner_worker;

static uint64_t mover(void *env)
{
  (void)env;
  plat_worker *to;
  while (!(to = atomic_load(&spinner_worker))) plat_yield();
  plat_sched_migrate(plat_self(), to);        /* no-op if already there */
  atomic_store(&moved_ran, true);
  return 0;
}

static void inbox(void)
{
  long before = atomic_load(&plat_sched_migrations);
  for (int round = 0; round < 20; round++) {
    atomic_store(&moved_ran, false);
    atomic_store(&spinner_worker, NULL);
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    SPAWN(&sc, mover, NULL);
    plat_yield();                              /* let the other worker take it */
    atomic_store(&spinner_worker, plat_cur_worker());
    while (!atomic_load(&moved_ran)) PLAT_LOOP_CHECK(__FILE__, __LINE__);
    plat_scope_exit(&sc);
  }
  long moved = atomic_load(&plat_sched_migrations) - before;
  printf("test_sched_strand: inbox: %ld of 20 rounds migrated\n", moved);
  CHECK(moved >= 1);   /* in the other rounds both ran on one worker */
}

enum { MESSAGES = 50 };

static uint64_t slow_receiver(void *env)
{
  plat_word v;
  for (int i = 0; i < MESSAGES; i++) {
    plat_sleep_ms(1);
    CHECK(plat_chan_recv(env, &v) && v == (plat_word)i);
  }
  return 0;
}

static void poll(void)
{
  plat_chan *d = plat_chan_new(0, __FILE__, __LINE__);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  SPAWN(&sc, slow_receiver, d);
  int sent = 0;
  while (sent < MESSAGES) {
    plat_select_arm a[1] = { { .ch = d, .kind = PLAT_SEL_SEND, .val = (plat_word)sent } };
    if (plat_select(a, 1, -1, true, __FILE__, __LINE__) == 0) sent++;
    PLAT_LOOP_CHECK(__FILE__, __LINE__);
  }
  plat_scope_exit(&sc);
  printf("test_sched_strand: poll: %d sent\n", sent);
}

static uint64_t root(void *env)
{
  (void)env;
  inbox();
  poll();
  return 0;
}

int main(int argc, char **argv)
{
  setenv("PLAT_WORKERS", "2", 1);
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  printf("test_sched_strand: ok\n");
  return 0;
}
