/* test_poller.c -- the poller and the helper pool through their C API:
 * a task parked on a pipe wakes when data arrives (and many at once),
 * plat_blocking_run runs off the worker threads, and a task cancelled
 * while its job runs returns at once while the job is cleaned up later. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "net_test.h"

#define NPIPES 200

typedef struct pipe_waiter { plat_pollfd *pd; int rfd, wfd; atomic_int got; } pipe_waiter;

static uint64_t pipe_reader(void *env) {
  pipe_waiter *w = env;
  char c;
  for (;;) {
    ssize_t n = read(w->rfd, &c, 1);
    if (n == 1) break;
    CHECK(n < 0 && errno == EAGAIN, "read: %s", n == 0 ? "eof" : strerror(errno));
    int rc = plat_pollfd_wait(w->pd, 'r');
    CHECK(rc == 0, "wait returned %d", rc);
    if (rc) return 0;
  }
  atomic_store(&w->got, c);
  return 0;
}

static uint64_t pipe_writer(void *env) {
  pipe_waiter *w = env;
  plat_yield();
  CHECK(write(w->wfd, "x", 1) == 1, "write");
  return 0;
}

/* NPIPES readers park on pipes; writers fill them in another order. */
static void pipes(void) {
  pipe_waiter *ws = plat_alloc(NPIPES * sizeof *ws);
  for (int i = 0; i < NPIPES; i++) {
    int p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2");
    ws[i].rfd = p[0];
    ws[i].wfd = p[1];
    ws[i].pd = plat_pollfd_open(p[0], PLAT_FD_CONN);
    CHECK(ws[i].pd != NULL, "open");
  }
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (int i = 0; i < NPIPES; i++) plat_spawn(&sc, pipe_reader, &ws[i], __FILE__, __LINE__);
  for (int i = NPIPES - 1; i >= 0; i--) plat_spawn(&sc, pipe_writer, &ws[i], __FILE__, __LINE__);
  plat_scope_exit(&sc);
  for (int i = 0; i < NPIPES; i++) {
    CHECK(atomic_load(&ws[i].got) == 'x', "pipe %d", i);
    CHECK(plat_pollfd_close(ws[i].pd), "close");
    CHECK(!plat_pollfd_close(ws[i].pd), "second close is refused");
    plat_pollfd_release(ws[i].pd);        /* the reference from open */
    close(ws[i].wfd);
  }
  CHECK(plat_poller_pending() == 0, "pending %lld", (long long)plat_poller_pending());
}

/* ---- helper pool ---- */

typedef struct job_arg {
  pthread_t caller, ran_on;
  int ms;
  atomic_int hold;                         /* the job waits while set */
  atomic_int started, ran, abandoned;
} job_arg;

static void job_fn(void *arg) {
  job_arg *a = arg;
  a->ran_on = pthread_self();
  atomic_store(&a->started, 1);
  if (a->ms) usleep((useconds_t)a->ms * 1000);
  while (atomic_load(&a->hold)) usleep(1000);
  atomic_store(&a->ran, 1);
}

static void job_abandon(void *arg) { atomic_store(&((job_arg *)arg)->abandoned, 1); }

static uint64_t run_job(void *env) {
  job_arg *a = env;
  a->caller = pthread_self();
  bool done = plat_blocking_run(job_fn, job_abandon, a);
  CHECK(done && atomic_load(&a->ran), "job completed");
  CHECK(!pthread_equal(a->caller, a->ran_on), "job ran on a helper thread");
  return 0;
}

static atomic_int cancelled_returned;
static uint64_t run_job_cancelled(void *env) {
  job_arg *a = env;
  bool done = plat_blocking_run(job_fn, job_abandon, a);
  atomic_store(&cancelled_returned, done ? 2 : 1);
  return 0;
}

/* Cancels the task once its job is running on a helper. */
typedef struct canceller { plat_task *t; job_arg *a; } canceller;
static uint64_t cancel_running(void *env) {
  canceller *c = env;
  while (!atomic_load(&c->a->started)) plat_sleep_ms(1);
  plat_cancel(c->t);
  return 0;
}

static void pool(void) {
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  job_arg *as = plat_alloc(20 * sizeof *as);
  for (int i = 0; i < 20; i++) {
    as[i].ms = 2;
    plat_spawn(&sc, run_job, &as[i], __FILE__, __LINE__);
  }
  plat_scope_exit(&sc);

  /* A job held until after the check: the cancelled task must not wait. */
  job_arg *slow = plat_alloc(sizeof *slow);
  atomic_store(&slow->hold, 1);
  canceller *c = plat_alloc(sizeof *c);
  c->a = slow;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  c->t = plat_spawn(&sc, run_job_cancelled, slow, __FILE__, __LINE__);
  plat_spawn(&sc, cancel_running, c, __FILE__, __LINE__);
  plat_scope_exit(&sc);
  CHECK(!atomic_load(&slow->ran), "the cancelled task returned before its job finished");
  atomic_store(&slow->hold, 0);
  CHECK(atomic_load(&cancelled_returned) != 2, "a cancelled run reports completion");
  CHECK(plat_blocking_pending() == 0, "pending jobs");
  while (!atomic_load(&slow->abandoned)) plat_sleep_ms(10);   /* cleaned up later */
}

static uint64_t root(void *env) {
  (void)env;
  pipes();
  pool();
  plat_poller_wake();                     /* harmless at any time */
  return 0;
}

int main(int argc, char **argv) {
  plat_main(argc, argv, root, NULL);
  return nt_result("test_poller");
}
