/* test_sched_fair.c -- no starvation on one worker (LANGUAGE.md 8.5, 8.7).
 *
 * Each case runs tasks that keep the worker busy switching among
 * themselves forever unless a bystander task, runnable from the start,
 * gets to run: the busy tasks stop only once it has.  Without fairness
 * the case never ends (the harness's timeout fails it); nothing is timed.
 *   pair:   two tasks ping-pong over a rendezvous channel, handing the
 *           run-next slot back and forth; the bystander waits in the deque.
 *   cycle:  a producer feeds two consumers in turn; each round pushes a
 *           consumer onto the deque and pops it again (LIFO), above the
 *           bystander.
 *   select: two producers always ready on two rendezvous channels; the
 *           consumer's select must get values from both.
 *   slice:  a task resumed from run-next continues the current time slice
 *           (the monitor preempts the pair as one long task): 20,000
 *           run-next switches start far fewer than 20,000 slices. */
#include <stdatomic.h>
#include "rt_test.h"
#include "rt_internal.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)
#define SEND(c, v) plat_chan_send((c), (v), __FILE__, __LINE__)

static atomic_bool bystander_ran;

static uint64_t bystander(void *env)
{
  (void)env;
  atomic_store(&bystander_ran, true);
  return 0;
}

/* Sends on c until the bystander ran, then closes c. */
static uint64_t pinger(void *env)
{
  plat_chan *c = env;
  uint64_t n = 0;
  while (!atomic_load(&bystander_ran)) {
    SEND(c, 1);
    n++;
    PLAT_LOOP_CHECK(__FILE__, __LINE__);
  }
  plat_chan_close(c, __FILE__, __LINE__);
  return n;
}

static uint64_t drain(void *env)
{
  plat_word v;
  uint64_t n = 0;
  while (plat_chan_recv(env, &v)) n++;
  return n;
}

static void pair(void)
{
  atomic_store(&bystander_ran, false);
  plat_chan *c = plat_chan_new(0, __FILE__, __LINE__);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  SPAWN(&sc, bystander, NULL);
  plat_task *p = SPAWN(&sc, pinger, c);
  SPAWN(&sc, drain, c);
  plat_scope_exit(&sc);
  printf("test_sched_fair: pair: bystander ran after %llu round trips\n",
         (unsigned long long)plat_await(p));
}

/* Sends alternately on two channels until the bystander ran. */
static uint64_t feeder(void *env)
{
  plat_chan **cs = env;
  uint64_t n = 0;
  while (!atomic_load(&bystander_ran)) {
    SEND(cs[n & 1], 1);
    n++;
    PLAT_LOOP_CHECK(__FILE__, __LINE__);
  }
  plat_chan_close(cs[0], __FILE__, __LINE__);
  plat_chan_close(cs[1], __FILE__, __LINE__);
  return n;
}

static void cycle(void)
{
  atomic_store(&bystander_ran, false);
  plat_chan *cs[2] = { plat_chan_new(0, __FILE__, __LINE__), plat_chan_new(0, __FILE__, __LINE__) };
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  SPAWN(&sc, bystander, NULL);
  SPAWN(&sc, drain, cs[0]);
  SPAWN(&sc, drain, cs[1]);
  plat_task *f = SPAWN(&sc, feeder, cs);
  plat_scope_exit(&sc);
  printf("test_sched_fair: cycle: bystander ran after %llu sends\n",
         (unsigned long long)plat_await(f));
}

static atomic_bool stop_producers;

static uint64_t producer(void *env)
{
  while (!atomic_load(&stop_producers)) {
    SEND(env, 1);
    PLAT_LOOP_CHECK(__FILE__, __LINE__);
  }
  return 0;
}

static void select_both(void)
{
  plat_chan *a = plat_chan_new(0, __FILE__, __LINE__), *b = plat_chan_new(0, __FILE__, __LINE__);
  atomic_store(&stop_producers, false);
  uint64_t got[2] = { 0, 0 };
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *pa = SPAWN(&sc, producer, a), *pb = SPAWN(&sc, producer, b);
  while (got[0] < 10 || got[1] < 10) {
    plat_select_arm arms[2] = { { .ch = a, .kind = PLAT_SEL_RECV }, { .ch = b, .kind = PLAT_SEL_RECV } };
    int k = plat_select(arms, 2, -1, false, __FILE__, __LINE__);
    CHECK(k == 0 || k == 1);
    got[k]++;
  }
  atomic_store(&stop_producers, true);
  /* each producer may be blocked in one last send: take it */
  while (atomic_load(&pa->state) < PLAT_T_DONE || atomic_load(&pb->state) < PLAT_T_DONE) {
    plat_word v;
    (void)plat_chan_try_recv(a, &v);
    (void)plat_chan_try_recv(b, &v);
    plat_yield();
  }
  plat_chan_close(a, __FILE__, __LINE__);
  plat_chan_close(b, __FILE__, __LINE__);
  plat_scope_exit(&sc);
  printf("test_sched_fair: select: %llu from a, %llu from b\n", (unsigned long long)got[0],
         (unsigned long long)got[1]);
}

enum { SLICE_ROUNDS = 10000 };

static uint64_t echo(void *env)
{
  plat_chan **cs = env;
  plat_word v;
  while (plat_chan_recv(cs[0], &v)) SEND(cs[1], v);
  return 0;
}

static void slice(void)
{
  plat_chan *cs[2] = { plat_chan_new(0, __FILE__, __LINE__), plat_chan_new(0, __FILE__, __LINE__) };
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  SPAWN(&sc, echo, cs);
  plat_word v;
  SEND(cs[0], 0);                             /* the echo task is now parked in recv */
  CHECK(plat_chan_recv(cs[1], &v));
  plat_worker *w = plat_cur_worker();
  unsigned long before = atomic_load(&w->slices);
  for (int i = 0; i < SLICE_ROUNDS; i++) {
    SEND(cs[0], (plat_word)i);
    CHECK(plat_chan_recv(cs[1], &v) && v == (plat_word)i);
  }
  unsigned long started = atomic_load(&w->slices) - before;
  plat_chan_close(cs[0], __FILE__, __LINE__);
  plat_scope_exit(&sc);
  printf("test_sched_fair: slice: %d round trips started %lu slices\n", SLICE_ROUNDS, started);
  /* each round trip is two run-next switches; a slice starts only at a
   * preemption (>= 10 ms apart) or a fairness turn that found work */
  CHECK(started < SLICE_ROUNDS / 4);
}

static uint64_t root(void *env)
{
  (void)env;
  pair();
  cycle();
  select_both();
  slice();
  return 0;
}

int main(int argc, char **argv)
{
  setenv("PLAT_WORKERS", "1", 1);
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  printf("test_sched_fair: ok\n");
  return 0;
}
