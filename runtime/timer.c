/* timer.c -- timers: a binary min-heap of plat_timer records keyed by
 * deadline (plat_now_ns clock), served by the monitor thread (monitor.c).
 *
 * Lock: tlock (pthread mutex; the monitor sleeps on tcond under it).  Fire
 * callbacks run under tlock on the monitor thread; they may call plat_wake
 * and plat_cancel (which take only the sched lock), never timer functions.
 * Records belong to their callers; a record is in the heap iff index >= 0.
 * The heap array is malloc memory: records live on task stacks, which the
 * GC scans anyway.
 *
 * Deterministic schedules (detsched.c) have no monitor thread: the clock
 * is virtual (plat_now_ns) and the scheduler fires timers itself when
 * every task waits (plat_timer_fire_one).
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "rt_internal.h"

pthread_mutex_t plat_tlock = PTHREAD_MUTEX_INITIALIZER;
extern void plat_monitor_signal_locked(void);

static plat_timer **heap;             /* tlock */
static int hn, hcap;

int64_t plat_now_ns(void) {
  if (PLAT_DET()) return plat_det_now_ns();
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t plat_now_ms(void) { return plat_now_ns() / 1000000; }

void plat_timer_lock(void) { pthread_mutex_lock(&plat_tlock); }
void plat_timer_unlock(void) { pthread_mutex_unlock(&plat_tlock); }

static void set(int i, plat_timer *t) {
  heap[i] = t;
  t->index = i;
}

static void up(int i) {
  plat_timer *t = heap[i];
  while (i > 0) {
    int p = (i - 1) / 2;
    if (heap[p]->when_ns <= t->when_ns) break;
    set(i, heap[p]);
    i = p;
  }
  set(i, t);
}

static void down(int i) {
  plat_timer *t = heap[i];
  for (;;) {
    int c = 2 * i + 1;
    if (c >= hn) break;
    if (c + 1 < hn && heap[c + 1]->when_ns < heap[c]->when_ns) c++;
    if (heap[c]->when_ns >= t->when_ns) break;
    set(i, heap[c]);
    i = c;
  }
  set(i, t);
}

static void remove_at(int i) {
  plat_timer *t = heap[i];
  t->index = -1;
  hn--;
  if (i == hn) return;
  set(i, heap[hn]);
  down(i);
  up(heap[i]->index);
}

void plat_timer_start(plat_timer *tm, int64_t when_ns, void (*fire)(plat_timer *), void *arg) {
  tm->when_ns = when_ns;
  tm->fire = fire;
  tm->arg = arg;
  pthread_mutex_lock(&plat_tlock);
  if (hn == hcap) {
    hcap = hcap ? 2 * hcap : 64;
    heap = realloc(heap, (size_t)hcap * sizeof *heap);
    if (!heap) plat_gc_oom((size_t)hcap * sizeof *heap);
  }
  set(hn, tm);
  up(hn++);
  if (tm->index == 0) plat_monitor_signal_locked();
  pthread_mutex_unlock(&plat_tlock);
}

bool plat_timer_stop(plat_timer *tm) {
  pthread_mutex_lock(&plat_tlock);
  bool queued = tm->index >= 0;
  if (queued) remove_at(tm->index);
  pthread_mutex_unlock(&plat_tlock);
  return queued;
}

/* tlock held.  Fires due timers; returns the next deadline or -1. */
int64_t plat_timers_run(int64_t now) {
  while (hn > 0 && heap[0]->when_ns <= now) {
    plat_timer *t = heap[0];
    remove_at(0);
    t->fire(t);
  }
  return hn > 0 ? heap[0]->when_ns : -1;
}

/* tlock held */
bool plat_timers_pending(void) { return hn > 0; }

/* Deterministic schedules: fire one timer due at *now, moving *now to the
 * earliest deadline first if none is due; among several due (equal
 * deadlines) `pick` chooses, so ties are explored.  False: no timer. */
bool plat_timer_fire_one(int64_t *now, uint64_t (*pick)(void)) {
  pthread_mutex_lock(&plat_tlock);
  if (hn == 0) {
    pthread_mutex_unlock(&plat_tlock);
    return false;
  }
  if (heap[0]->when_ns > *now) *now = heap[0]->when_ns;
  int due = 0;
  for (int i = 0; i < hn; i++) due += heap[i]->when_ns <= *now;
  int k = (int)(pick() % (uint64_t)due);
  for (int i = 0; i < hn; i++)
    if (heap[i]->when_ns <= *now && k-- == 0) {
      plat_timer *t = heap[i];
      remove_at(i);
      t->fire(t);
      break;
    }
  pthread_mutex_unlock(&plat_tlock);
  return true;
}

/* The earliest deadline, or -1. */
int64_t plat_timer_next(void) {
  pthread_mutex_lock(&plat_tlock);
  int64_t r = hn > 0 ? heap[0]->when_ns : -1;
  pthread_mutex_unlock(&plat_tlock);
  return r;
}
