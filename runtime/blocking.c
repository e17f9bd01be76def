/* blocking.c -- the I/O helper pool: threads for calls that block the
 * thread (getaddrinfo, file system calls, reads of terminals and standard
 * streams): the calling task parks, a helper runs the call, then makes the
 * task runnable again.
 *
 * Growth.  A call that blocks for good (a read of a terminal nobody types
 * on) holds its helper until it returns, even if its task gave up on it
 * (cancellation, with_timeout).  So the pool grows on demand, as Go starts
 * a thread for each goroutine in a blocking system call: a job submitted
 * while every helper is busy starts a new helper, up to `cap` threads
 * (PLAT_IO_THREADS, default PLAT_IO_THREADS_DEFAULT).  Helpers beyond the
 * first BASE_HELPERS exit after IDLE_EXIT_S seconds without work, so a
 * burst leaves no crowd of idle threads.  Precisely: a helper is started
 * whenever the queued jobs outnumber the idle helpers (nqueued > nidle),
 * so a queued job never waits behind a running one while the cap allows
 * another thread.
 *
 * Saturation.  When the jobs in the pool (queued + running) exceed `cap`,
 * some call cannot start until a running one returns.  If moreover no task
 * can run (the deadlock check, deadlock.c, finds every worker idle), the
 * program may be waiting on nothing but stuck calls, so deadlock.c prints
 * a warning naming the pool and every blocked task, once per saturation
 * episode (`reported`, cleared when the pool drains to `cap` jobs).  It
 * does not exit: any of the running calls may still return.
 *
 * A job is GC memory allocated by the calling task.  From submission until
 * the helper is done with it, it is linked in `live` (a static root the GC
 * scans), so the job and its `arg` stay alive even if the task gave up on
 * it (cancellation) and unwound.  Helper threads are plain pthreads, not
 * registered with the GC: they never allocate GC memory and only read the
 * job, which stays reachable as said.
 *
 * Protocol (all under `mu`):
 *   submit   runs as the park commit: queue the job, start a helper if the
 *            queue outgrows the idle helpers and the cap allows, signal.
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
 * Globals below are owned by this file and guarded by `mu` (except
 * `pending`, atomic).  Lock order: mu, then the scheduler's locks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "io_internal.h"
#include "rt_internal.h"

enum { QUEUED, RUNNING, DONE };
#define BASE_HELPERS 4                    /* never retire below this many */
#define IDLE_EXIT_S 10

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
static pthread_cond_t cv;                 /* CLOCK_MONOTONIC; set up by pool_init */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static job *live;                         /* GC root: jobs not yet finished */
static job *qhead, *qtail;
static int nhelpers, nidle, nqueued, nrunning;
static int cap;                           /* PLAT_IO_THREADS; set up by pool_init */
static bool reported;                     /* saturation warning printed */
static atomic_bool over;                  /* nqueued + nrunning > cap, && !reported */
static atomic_llong pending;              /* tasks parked on a job */

static void pool_init(void) {
  cap = (int)plat_env_int("PLAT_IO_THREADS", PLAT_IO_THREADS_DEFAULT, 1, PLAT_MAX_IO_THREADS);
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(&cv, &a);
  pthread_condattr_destroy(&a);
}

static void unlink_live(job *j) {
  if (j->prev) j->prev->next = j->next; else live = j->next;
  if (j->next) j->next->prev = j->prev;
  j->prev = j->next = NULL;
}

/* mu held.  Waits for a job; false when this helper should exit. */
static bool wait_job(void) {
  while (!qhead) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += IDLE_EXIT_S;
    nidle++;
    int rc = pthread_cond_timedwait(&cv, &mu, &ts);
    nidle--;
    if (rc == ETIMEDOUT && !qhead && nhelpers > BASE_HELPERS) return false;
  }
  return true;
}

/* mu held: after the counts changed. */
static void update_over(void) {
  if (nqueued + nrunning <= cap) reported = false;   /* the episode is over */
  atomic_store_explicit(&over, nqueued + nrunning > cap && !reported, memory_order_relaxed);
}

/* mu held: a job left the pool (done or dropped). */
static void job_left(job *j) {
  j->state = DONE;
  unlink_live(j);
  update_over();
}

static void *helper(void *arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  while (wait_job()) {
    job *j = qhead;
    if (!(qhead = j->qnext)) qtail = NULL;
    nqueued--;
    if (j->abandoned) {                   /* given up before it started */
      job_left(j);
      continue;
    }
    j->state = RUNNING;
    nrunning++;
    pthread_mutex_unlock(&mu);
    j->fn(j->arg);
    pthread_mutex_lock(&mu);
    nrunning--;
    if (j->abandoned) {
      pthread_mutex_unlock(&mu);
      if (j->abandon) j->abandon(j->arg);
      pthread_mutex_lock(&mu);
    } else {
      plat_ready(j->task);
    }
    job_left(j);
  }
  nhelpers--;
  pthread_mutex_unlock(&mu);
  return NULL;
}

/* mu held.  With no helper at all (thread creation failed) the job waits
 * until a later submit manages to start one. */
static void start_helper(void) {
  pthread_t th;
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&th, &at, helper, NULL) == 0) nhelpers++;
  pthread_attr_destroy(&at);
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
  nqueued++;
  update_over();
  if (nqueued > nidle && nhelpers < cap) start_helper();
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  return true;
}

bool plat_blocking_run_as(const char *what, void (*fn)(void *), void (*abandon)(void *),
                          void *arg) {
  plat_task *self = plat_self();
  if (self && PLAT_DET()) plat_det_real_io();
  if (!self || PLAT_DET()) { fn(arg); return true; }
  pthread_once(&init_once, pool_init);
  job *j = plat_alloc(sizeof *j);
  j->fn = fn;
  j->abandon = abandon;
  j->arg = arg;
  j->task = self;
  j->state = QUEUED;
  atomic_fetch_add(&pending, 1);
  plat_park(submit_commit, j, what);
  pthread_mutex_lock(&mu);
  bool done = j->state == DONE;
  if (!done) j->abandoned = true;         /* cancelled: the helper cleans up */
  pthread_mutex_unlock(&mu);
  atomic_fetch_sub(&pending, 1);
  return done;
}

bool plat_blocking_run(void (*fn)(void *), void (*abandon)(void *), void *arg) {
  return plat_blocking_run_as("blocking call", fn, abandon, arg);
}

int64_t plat_blocking_pending(void) { return atomic_load(&pending); }

/* For deadlock.c: cheap (one atomic load), may be stale. */
bool plat_blocking_starving(void) { return atomic_load_explicit(&over, memory_order_relaxed); }

/* For deadlock.c (holding no lock): true, once per episode, when jobs wait
 * that no helper can start.  *n_jobs / *n_cap describe it. */
bool plat_blocking_saturated(int *n_jobs, int *n_cap) {
  pthread_mutex_lock(&mu);
  bool sat = nqueued + nrunning > cap && !reported;
  if (sat) reported = true;
  update_over();
  *n_jobs = nqueued + nrunning;
  *n_cap = cap;
  pthread_mutex_unlock(&mu);
  return sat;
}
