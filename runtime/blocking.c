/* blocking.c -- a small helper thread pool for calls that block the thread
 * (getaddrinfo, file system calls): the calling task parks, a helper runs
 * the call, then makes the task runnable again.
 *
 * A job is GC memory allocated by the calling task.  From submission until
 * the helper is done with it, it is linked in `live` (a static root the GC
 * scans), so the job and its `arg` stay alive even if the task gave up on
 * it (cancellation) and unwound.  Helper threads are plain pthreads, not
 * registered with the GC: they never allocate GC memory and only read the
 * job, which stays reachable as said.
 *
 * Protocol (all under `mu`):
 *   submit   runs as the park commit: queue the job, start a helper if none
 *            is idle and fewer than MAX_HELPERS exist, signal.
 *   finish   the helper sets state DONE and, unless the job was abandoned,
 *            calls plat_ready(task) while holding `mu`.
 *   wake-up  the task re-takes `mu`: DONE means fn has returned; otherwise
 *            it was cancelled: it marks the job abandoned; a helper then
 *            drops it if it has not started, or runs `abandon(arg)` after
 *            fn instead of waking anybody.
 * Wake-ups are therefore exactly once and never stale (the scheduler makes
 * plat_ready of an already-woken park a no-op).
 *
 * Deterministic schedules (detsched.c) run fn inline on the worker: the
 * schedule then does not depend on when a helper finishes (the call's
 * result still depends on the outside world, which is recorded).
 *
 * Globals below are owned by this file.  Lock order: mu, then the
 * scheduler's locks.  Helpers live forever once started (at most 4).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "plat_io.h"
#include "rt_internal.h"

enum { QUEUED, RUNNING, DONE };
#define MAX_HELPERS 4

typedef struct job {
  struct job *prev, *next;               /* in `live` */
  struct job *qnext;                      /* in the queue */
  void (*fn)(void *);
  void (*abandon)(void *);
  void *arg;
  plat_task *task;
  int state;
  bool abandoned;
} job;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static job *live;                         /* GC root: jobs not yet finished */
static job *qhead, *qtail;
static int nhelpers, nidle;
static atomic_llong pending;              /* tasks parked on a job */

static void unlink_live(job *j) {
  if (j->prev) j->prev->next = j->next; else live = j->next;
  if (j->next) j->next->prev = j->prev;
  j->prev = j->next = NULL;
}

static void *helper(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  for (;;) {
    while (!qhead) {
      nidle++;
      pthread_cond_wait(&cv, &mu);
      nidle--;
    }
    job *j = qhead;
    if (!(qhead = j->qnext)) qtail = NULL;
    if (j->abandoned) {                   /* given up before it started */
      j->state = DONE;
      unlink_live(j);
      continue;
    }
    j->state = RUNNING;
    pthread_mutex_unlock(&mu);
    j->fn(j->arg);
    pthread_mutex_lock(&mu);
    j->state = DONE;
    if (j->abandoned) {
      pthread_mutex_unlock(&mu);
      if (j->abandon) j->abandon(j->arg);
      pthread_mutex_lock(&mu);
    } else {
      plat_ready(j->task);
    }
    unlink_live(j);
  }
  return NULL;
}

/* Park commit: queue the job (mu taken and released here, on one stack). */
static bool submit_commit(plat_task *self, void *arg) {
  (void)self;
  job *j = arg;
  pthread_mutex_lock(&mu);
  if ((j->next = live)) live->prev = j;
  live = j;
  if (qtail) qtail->qnext = j; else qhead = j;
  qtail = j;
  if (nidle == 0 && nhelpers < MAX_HELPERS) {
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&th, &at, helper, NULL) == 0) nhelpers++;
    pthread_attr_destroy(&at);
  }
  /* With no helper at all (thread creation failed) the job waits until a
   * later submit manages to start one. */
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  return true;
}

bool plat_blocking_run(void (*fn)(void *), void (*abandon)(void *), void *arg) {
  plat_task *self = plat_self();
  if (self && PLAT_DET()) plat_det_real_io();
  if (!self || PLAT_DET()) { fn(arg); return true; }
  job *j = plat_alloc(sizeof *j);
  j->fn = fn;
  j->abandon = abandon;
  j->arg = arg;
  j->task = self;
  j->state = QUEUED;
  atomic_fetch_add(&pending, 1);
  plat_park(submit_commit, j, "file/DNS helper");
  pthread_mutex_lock(&mu);
  bool done = j->state == DONE;
  if (!done) j->abandoned = true;         /* cancelled: the helper cleans up */
  pthread_mutex_unlock(&mu);
  atomic_fetch_sub(&pending, 1);
  return done;
}

int64_t plat_blocking_pending(void) { return atomic_load(&pending); }
