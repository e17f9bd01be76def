/* monitor.c -- the monitor thread: fires timers and asks long-running
 * tasks to yield (like Go's sysmon).
 *
 * It sleeps on tcond (timer.c's lock) until the earliest timer, or for
 * TICK while some worker runs a task.  When no worker runs a task and no
 * timer is queued it sleeps without timeout: an idle program uses no CPU.
 * A worker entering a task after idling sets in_task, then (seq_cst) reads
 * `asleep`; the monitor sets `asleep`, then re-reads every in_task before
 * waiting: one of them sees the other (plat_monitor_busy).
 *
 * Preemption: per worker it remembers the slice counter `slices`; when a
 * worker has run the same slice for >= SLICE, it sets w->preempt and
 * forces the worker's stack limit to UINTPTR_MAX so the next loop or
 * prologue check of generated code takes the slow path and yields.  A
 * task resumed from run-next continues the slice (sched.c), so a pair of
 * tasks waking each other is preempted like one long task.
 * Long tasks: a worker whose `ticks` (every switch) did not move between
 * two scans is marked `long_task`; the inbox tasks waiting behind it are
 * moved to the injection queue, and migration avoids it (sched.c, "No
 * stranding").  Each scan also gives every busy worker a fairness turn
 * for its deque's oldest task (`fair_due`).
 * Sockets: while some worker runs a task, the monitor also polls the
 * epoll set without blocking every TICK (unless a worker is polling), so
 * a ready socket waits at most ~5 ms even when every worker runs long
 * CPU-bound tasks (busy workers poll themselves only every 61st
 * schedule).  It drops the timer lock around the poll: the poller's locks
 * are taken before the timer lock elsewhere (a socket park with a
 * deadline).  Readied tasks go to the injection queue.
 * The monitor is not registered with the GC: it only touches task structs
 * that their scopes keep alive, and never allocates.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "rt_internal.h"
#include "io_internal.h"

#define TICK_NS (5 * 1000000LL)
#define SLICE_NS (10 * 1000000LL)

extern pthread_mutex_t plat_tlock;
int64_t plat_timers_run(int64_t now);

static pthread_cond_t tcond;
static atomic_int asleep;
static uint64_t *last_ticks;           /* per worker: `slices` at since[i] */
static int64_t *since;
static uint64_t *last_switches;        /* per worker: `ticks` at the previous scan */

void plat_monitor_signal_locked(void) { pthread_cond_signal(&tcond); }

void plat_monitor_busy(void) {
  plat_fence();
  if (atomic_load(&asleep)) {
    pthread_mutex_lock(&plat_tlock);
    pthread_cond_signal(&tcond);
    pthread_mutex_unlock(&plat_tlock);
  }
}

static bool any_busy(void) {
  for (int i = 0; i < plat_nworkers; i++)
    if (atomic_load(&plat_workers[i]->in_task)) return true;
  return false;
}

/* A worker whose task has not switched since the previous scan (>= one
 * TICK) runs a long task: contention migration does not send tasks there,
 * and what already waits in its inbox goes to the injection queue, where
 * any worker takes it (sched.c). */
static void long_task_scan(int i, plat_worker *w) {
  uint64_t sw = atomic_load_explicit(&w->ticks, memory_order_relaxed);
  bool long_task = atomic_load(&w->in_task) && sw == last_switches[i];
  last_switches[i] = sw;
  if (atomic_load_explicit(&w->long_task, memory_order_relaxed) != long_task)
    atomic_store_explicit(&w->long_task, long_task, memory_order_relaxed);
  if (long_task) plat_sched_rescue_inbox(w);
  /* a fairness turn for the deque's oldest task (sched.c, fair_pick) */
  if (atomic_load(&w->in_task) && !atomic_load_explicit(&w->fair_due, memory_order_relaxed))
    atomic_store_explicit(&w->fair_due, true, memory_order_relaxed);
}

static void preempt_scan(int64_t now) {
  for (int i = 0; i < plat_nworkers; i++) {
    plat_worker *w = plat_workers[i];
    long_task_scan(i, w);
    uint64_t tk = atomic_load_explicit(&w->slices, memory_order_relaxed);
    if (!atomic_load(&w->in_task) || tk != last_ticks[i]) {
      last_ticks[i] = tk;
      since[i] = now;
      continue;
    }
    if (now - since[i] >= SLICE_NS) {
      atomic_store(&w->preempt, true);
      uintptr_t *lim = atomic_load(&w->limit_addr);
      if (lim) __atomic_store_n(lim, UINTPTR_MAX, __ATOMIC_RELAXED);
      since[i] = now;
    }
  }
}

static void *monitor_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&plat_tlock);
  for (;;) {
    int64_t now = plat_now_ns();
    int64_t next = plat_timers_run(now);
    bool busy = any_busy();
    if (busy) preempt_scan(now);
    if (busy && plat_poller_active()) {
      pthread_mutex_unlock(&plat_tlock);
      (void)plat_poller_poll(0);      /* -1 when a worker polls: fine */
      pthread_mutex_lock(&plat_tlock);
    }
    if (busy) {
      if (next < 0 || next > now + TICK_NS) next = now + TICK_NS;
      struct timespec ts = {next / 1000000000, next % 1000000000};
      pthread_cond_timedwait(&tcond, &plat_tlock, &ts);
      continue;
    }
    atomic_store(&asleep, 1);
    plat_fence();
    if (!any_busy()) {
      if (next < 0) {
        pthread_cond_wait(&tcond, &plat_tlock);
      } else {
        struct timespec ts = {next / 1000000000, next % 1000000000};
        pthread_cond_timedwait(&tcond, &plat_tlock, &ts);
      }
    }
    atomic_store(&asleep, 0);
  }
  return NULL;
}

void plat_monitor_start(void) {
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&tcond, &ca);
  pthread_condattr_destroy(&ca);
  last_ticks = calloc((size_t)plat_nworkers, sizeof *last_ticks);
  since = calloc((size_t)plat_nworkers, sizeof *since);
  last_switches = calloc((size_t)plat_nworkers, sizeof *last_switches);
  pthread_t th;
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  pthread_create(&th, &a, monitor_main, NULL);
  pthread_attr_destroy(&a);
}
