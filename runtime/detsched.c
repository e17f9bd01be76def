/* detsched.c -- deterministic schedules (LANGUAGE.md 8.9, `plat test
 * --schedules N [--seed S]`; PLAT_SEED=S runs any program this way).
 *
 * One worker.  Every runnable task is in one array (`ready`) instead of
 * the run-next slot, deques and injection queue, and the scheduler takes
 * a seeded random element of it whenever it needs a task (plat_det_pick).
 * Scheduling points -- a spawn, a yield_now, every prologue and loop check
 * of generated code (the stack limit is kept at UINTPTR_MAX), the end of
 * a channel operation or select that did not park -- ask the generator
 * whether the running task goes on or yields (plat_det_should_switch:
 * uniform over the ready tasks and itself).  Select's random arm order
 * uses the same generator.  So the whole interleaving is a function of
 * the seed: the same seed replays it exactly.
 *
 * Virtual time: plat_now_ns returns `vnow`, which moves only when no task
 * is runnable: then the earliest timer's deadline becomes now and one
 * timer due at that instant fires (the generator picks among equal
 * deadlines, so a timeout and a wake-up at the same instant are explored
 * both ways).  Sleeps and timeouts cost no real time; CPU work costs no
 * virtual time.  There is no monitor thread (no real-time timers, no
 * time-slice preemption).
 *
 * Real I/O still works: file and DNS helpers run inline on the worker
 * (blocking.c), sockets use the poller; when every task waits and some
 * wait on sockets or on something outside the tasks (plat_external_hold),
 * the worker waits for real, up to the next virtual deadline, and the
 * clock advances by the real time waited.  Such a schedule depends on the
 * outside world: plat_det_real_io records it and the test runner says so.
 *
 * Deadlock: nothing runnable, no timer, no I/O.  Inside a test schedule
 * (testrun.c) the report is kept as the test's failure and the test's
 * task is cancelled, which unwinds every task it started; a second
 * deadlock in the same schedule (tasks blocked while unwinding), or one
 * outside a test, prints the report and exits 101.
 *
 * Threads: the generator, the clock, the ids and the test state belong to
 * the one worker thread (tasks and its scheduler context); `ready` is
 * under `rlk` because a thread outside the tasks may make a task runnable
 * (then it wakes the worker: futex or poller).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io_internal.h"
#include "rt_internal.h"

static uint64_t rng;                    /* worker thread */
static uint64_t seed_used;
static _Atomic int64_t vnow;            /* virtual clock, ns */
static uint32_t next_id = 1, id_base;   /* worker thread (and plat_main) */
static plat_spin rlk;
static plat_task **ready;               /* rlk */
static size_t nready, cap_ready;        /* rlk */
static atomic_bool real_wait;           /* the worker waits for the outside world */
static bool real_io;                    /* this schedule did real I/O */
static plat_task *watched;              /* the test task of this schedule */
static char *deadlock_report;           /* malloc'd, for testrun.c */
uint32_t plat_det_schedule;             /* schedules begun in this process (trace.c) */

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t plat_det_rand(void) { return splitmix(&rng); }

void plat_det_init(void) {
  const char *s = getenv("PLAT_SEED"), *n = getenv("PLAT_SCHEDULES");
  if (!(s && *s) && !(n && *n)) return;
  uint64_t seed = (uint64_t)plat_env_int("PLAT_SEED", 1, 0, INT64_MAX);
  seed_used = seed;
  rng = seed;
  plat_hooks |= PLAT_HOOK_DET;
}

/* ---- the ready set ---- */
void plat_det_ready(plat_task *t) {
  plat_spin_lock(&rlk);
  if (nready == cap_ready) {
    cap_ready = cap_ready ? 2 * cap_ready : 64;
    ready = realloc(ready, cap_ready * sizeof *ready);
    if (!ready) plat_gc_oom(cap_ready * sizeof *ready);
  }
  atomic_store_explicit(&t->state, PLAT_T_RUNNABLE, memory_order_relaxed);
  ready[nready++] = t;
  plat_spin_unlock(&rlk);
  if (!plat_cur_worker() && atomic_load(&real_wait)) {   /* from outside: wake the worker */
    plat_worker *w = plat_workers[0];
    atomic_store(&w->futex, 1);
    plat_futex_wake(&w->futex, 1);
    plat_poller_wake();
  }
}

plat_task *plat_det_pick(void) {
  plat_spin_lock(&rlk);
  plat_task *t = NULL;
  if (nready > 0) {
    size_t i = (size_t)(plat_det_rand() % nready);
    t = ready[i];
    ready[i] = ready[--nready];
  }
  plat_spin_unlock(&rlk);
  return t;
}

bool plat_det_has_ready(void) {
  plat_spin_lock(&rlk);
  bool r = nready > 0;
  plat_spin_unlock(&rlk);
  return r;
}

bool plat_det_should_switch(void) {
  plat_spin_lock(&rlk);
  size_t n = nready;
  plat_spin_unlock(&rlk);
  return n > 0 && plat_det_rand() % (n + 1) != n;
}

int64_t plat_det_now_ns(void) { return atomic_load_explicit(&vnow, memory_order_relaxed); }
void plat_det_real_io(void) { real_io = true; }
uint32_t plat_det_next_id(void) { return next_id++; }

/* ---- nothing runnable ---- */
static bool outside_pending(void) {
  return plat_poller_pending() > 0 || atomic_load(&plat_external_holds) > 0;
}

static int64_t real_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Wait for the outside world until a task is runnable or, if a timer is
 * queued, until its deadline in real time; the clock follows. */
static void wait_outside(plat_worker *w) {
  real_io = true;
  int64_t next = plat_timer_next(), t0 = real_ns();
  int64_t left = next < 0 ? -1 : next - plat_det_now_ns();
  atomic_store(&w->futex, 0);
  atomic_store(&real_wait, true);
  if (!plat_det_has_ready()) {
    if (plat_poller_active()) (void)plat_poller_poll(left < 0 ? -1 : (left + 999999) / 1000000);
    else plat_futex_wait(&w->futex, 0, left);
  }
  atomic_store(&real_wait, false);
  int64_t now = plat_det_now_ns() + (real_ns() - t0);
  if (next >= 0 && now > next) now = next;
  atomic_store_explicit(&vnow, now, memory_order_relaxed);
}

static void deadlock(plat_worker *w) {
  if (plat_sched_root_done()) {         /* the program is ending: not a deadlock */
    for (;;) plat_futex_wait(&w->futex, atomic_load(&w->futex), -1);
  }
  const char *head = "deadlock: all tasks are blocked\n";
  if (watched && !deadlock_report && atomic_load(&watched->state) < PLAT_T_DONE) {
    size_t len = 0;
    plat_dump_write(-1, &deadlock_report, &len, head);
    plat_cancel(watched);               /* unwinds the test's tasks */
    return;
  }
  plat_flush_all();
  plat_dump_write(2, NULL, NULL, head);
  fprintf(stderr, "(deterministic schedule, seed %llu)\n", (unsigned long long)seed_used);
  _exit(101);
}

plat_task *plat_det_idle(plat_worker *w) {
  for (;;) {
    plat_task *t = plat_det_pick();
    if (t) return t;
    int64_t now = plat_det_now_ns(), next = plat_timer_next();
    if (outside_pending() && (next < 0 || next > now)) {
      wait_outside(w);
      continue;
    }
    if (plat_timer_fire_one(&now, plat_det_rand)) {
      atomic_store_explicit(&vnow, now, memory_order_relaxed);
      continue;
    }
    deadlock(w);
  }
}

/* ---- schedules of a test (testrun.c) ---- */
void plat_det_begin(uint64_t seed, const char *name) {
  uint64_t h = 1469598103934665603ull;
  for (const char *p = name; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  rng = seed ^ h;
  (void)plat_det_rand();
  plat_det_schedule++;
  seed_used = seed;
  atomic_store_explicit(&vnow, 0, memory_order_relaxed);
  if (!id_base) id_base = next_id;
  next_id = id_base;
  real_io = false;
  watched = NULL;
  free(deadlock_report);
  deadlock_report = NULL;
}

void plat_det_watch(plat_task *t) { watched = t; }

char *plat_det_take_deadlock(void) {
  char *r = deadlock_report;
  deadlock_report = NULL;
  watched = NULL;
  return r;
}

bool plat_det_did_real_io(void) { return real_io; }
