/* deadlock.c -- "all tasks are blocked" detection.
 *
 * Called by the last worker to go idle.  Under the timer lock, then the
 * sched lock, it confirms that every worker is idle, every queue is empty,
 * no timer is queued, nothing outside the tasks holds a wake-up
 * (plat_external_hold, the I/O poller's pending count) and the root task
 * has not finished.  Then no task can ever run again: it prints
 *   deadlock: all tasks are blocked
 *     main task: blocked in WHAT
 *     task spawned at FILE:LINE: blocked in WHAT
 * (stdout flushed first) and exits with status 101.  The list comes from
 * the owners of the task stacks (a blocked task always has a stack).
 *
 * The same moment (no task can run) is when a saturated I/O helper pool
 * is reported (blocking.c): tasks wait on calls that cannot start because
 * every helper is blocked.  That is a warning, not an exit.
 */
#include <stdio.h>
#include <unistd.h>

#include "rt_internal.h"

extern int64_t plat_poller_pending(void) __attribute__((weak));
extern bool plat_blocking_saturated(int *n_jobs, int *n_cap) __attribute__((weak));
extern bool plat_blocking_starving(void) __attribute__((weak));

static void print_task(plat_stack *s, plat_task *t, void *arg) {
  (void)s;
  (void)arg;
  if (atomic_load(&t->state) != PLAT_T_PARKED || s != t->stack) return;   /* once per task */
  const char *what = t->what ? t->what : "?";
  if (t == plat_root) fprintf(stderr, "  main task: blocked in %s\n", what);
  else if (t->file) fprintf(stderr, "  task spawned at %s:%d: blocked in %s\n", t->file, t->line, what);
  else fprintf(stderr, "  task: blocked in %s\n", what);
}

/* No task can run and some blocking calls cannot even start: say so (the
 * program goes on: a running call may still return). */
static void report_saturated(int jobs, int cap) {
  plat_flush_all();
  fprintf(stderr,
          "plat: warning: no task can run, and %d blocking calls wait for the %d I/O helper "
          "threads (PLAT_IO_THREADS), which are all blocked:\n",
          jobs, cap);
  plat_stack_each(print_task, NULL);
  fflush(stderr);
}

void plat_deadlock_check(void) {
  plat_timer_lock();
  bool wakeable = plat_timers_pending() || atomic_load(&plat_external_holds) != 0 ||
                  (plat_poller_pending && plat_poller_pending() > 0);
  bool starving = plat_blocking_starving && plat_blocking_starving();
  bool idle = (starving || !wakeable) && plat_sched_all_idle_and_empty();
  plat_timer_unlock();
  if (!idle) return;
  int jobs, cap;
  if (starving && plat_blocking_saturated(&jobs, &cap)) report_saturated(jobs, cap);
  if (wakeable) return;
  plat_flush_all();
  fprintf(stderr, "deadlock: all tasks are blocked\n");
  plat_stack_each(print_task, NULL);
  fflush(stderr);
  _exit(101);
}
