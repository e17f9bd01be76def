/* test_chan_migrate.c -- contention migration (chan.c's lock, sched.c's
 * plat_sched_migrate) keeps every channel guarantee: a pipeline whose
 * stages hammer two bounded channels from two workers (the shape that
 * makes tasks migrate to the lock holder's worker and the other worker
 * nap) delivers every value exactly once and in order per sender, and
 * ends; so does a second round right after, which the napping worker
 * must join again.  How many migrations happened is printed, not
 * checked: it depends on how the machine schedules the two threads. */
#include <stdatomic.h>
#include "rt_test.h"
#include "rt_internal.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)

enum { PRODUCERS = 4, WORKERS = 4, PER_PRODUCER = 100000 };

static plat_chan *src, *dst;

static uint64_t producer(void *env)
{
  uint64_t id = (uint64_t)(uintptr_t)env;
  for (uint64_t i = 0; i < PER_PRODUCER; i++) plat_chan_send(src, (id << 32) | i, __FILE__, __LINE__);
  return 0;
}

static uint64_t worker(void *env)
{
  (void)env;
  plat_word v;
  uint64_t n = 0;
  while (plat_chan_recv(src, &v)) {
    plat_chan_send(dst, v, __FILE__, __LINE__);
    n++;
  }
  return n;
}

/* Producers, then close src; workers, then close dst. */
static uint64_t producers(void *env)
{
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (uintptr_t p = 0; p < PRODUCERS; p++) SPAWN(&sc, producer, (void *)p);
  plat_scope_exit(&sc);
  plat_chan_close(src, __FILE__, __LINE__);
  return 0;
}

static uint64_t workers(void *env)
{
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t[WORKERS];
  for (int i = 0; i < WORKERS; i++) t[i] = SPAWN(&sc, worker, NULL);
  uint64_t n = 0;
  for (int i = 0; i < WORKERS; i++) n += plat_await(t[i]);
  plat_scope_exit(&sc);
  plat_chan_close(dst, __FILE__, __LINE__);
  return n;
}

/* One pipeline run; the consumer (this task) checks order per producer:
 * a worker forwards values in the order it received them, but two workers
 * may reorder between them, so only "each value once" holds globally. */
static void pipeline(void)
{
  src = plat_chan_new(64, __FILE__, __LINE__);
  dst = plat_chan_new(64, __FILE__, __LINE__);
  static uint8_t seen[PRODUCERS][PER_PRODUCER];
  memset(seen, 0, sizeof seen);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  SPAWN(&sc, producers, NULL);
  plat_task *w = SPAWN(&sc, workers, NULL);
  plat_word v;
  uint64_t got = 0;
  while (plat_chan_recv(dst, &v)) {
    uint64_t p = v >> 32, i = v & 0xFFFFFFFF;
    CHECK(p < PRODUCERS && i < PER_PRODUCER && !seen[p][i]);
    seen[p][i] = 1;
    got++;
  }
  CHECK(plat_await(w) == got);
  plat_scope_exit(&sc);
  CHECK(got == (uint64_t)PRODUCERS * PER_PRODUCER);
}

static uint64_t root(void *env)
{
  (void)env;
  for (int round = 0; round < 3; round++) pipeline();
  return 0;
}

int main(int argc, char **argv)
{
  setenv("PLAT_WORKERS", "2", 1);
  int st = plat_main(argc, argv, root, NULL);
  CHECK(st == 0);
  printf("test_chan_migrate: ok (%ld migrations)\n", atomic_load(&plat_sched_migrations));
  return 0;
}
