/* test_sched_runnext.c -- a task woken into the run-next slot of a worker
 * whose current task keeps running (a CPU loop with loop checks) is handed
 * to an idle worker: the thief asks (steal_runnext), the busy worker's next
 * loop check moves the task to its deque, the thief takes it from there.
 * Without that, the woken task would wait for the 10 ms preemption and
 * then run on the busy worker.  Each round: the spinner wakes `b` (a
 * rendezvous receive completes) and spins until `b` has run; `b` records
 * its worker.  Checked: every round ends, and in at least one of ROUNDS
 * rounds `b` ran on the other worker (a loaded machine may delay the idle
 * thread past the preemption now and then, never in every round). */
#include <stdatomic.h>
#include "rt_test.h"
#include "rt_internal.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)
enum { ROUNDS = 20 };

static atomic_int b_worker;
static atomic_bool b_ran;

static uint64_t b_task(void *env)
{
  plat_word v;
  CHECK(plat_chan_recv(env, &v) && v == 42);
  atomic_store(&b_worker, plat_cur_worker()->id);
  atomic_store(&b_ran, true);
  return 0;
}

static uint64_t root(void *env)
{
  (void)env;
  int moved = 0;
  for (int r = 0; r < ROUNDS; r++) {
    plat_chan *c = plat_chan_new(0, __FILE__, __LINE__);
    atomic_store(&b_ran, false);
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    SPAWN(&sc, b_task, c);
    plat_sleep_ms(2);                        /* b parks in recv */
    int me = plat_cur_worker()->id;
    plat_chan_send(c, 42, __FILE__, __LINE__);   /* b -> our run-next slot */
    while (!atomic_load(&b_ran)) PLAT_LOOP_CHECK(__FILE__, __LINE__);
    if (atomic_load(&b_worker) != me) moved++;
    plat_scope_exit(&sc);
  }
  printf("test_sched_runnext: b ran on the idle worker in %d of %d rounds\n", moved, ROUNDS);
  CHECK(moved >= 1);
  return 0;
}

int main(int argc, char **argv)
{
  setenv("PLAT_WORKERS", "2", 1);
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  printf("test_sched_runnext: ok\n");
  return 0;
}
