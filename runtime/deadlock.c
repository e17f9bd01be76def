/* deadlock.c -- "all tasks are blocked" detection.
 *
 * Called by the last worker to go idle.  Under the timer lock, then the
 * sched lock, it confirms that every worker is idle, every queue is empty,
 * no timer is queued, nothing outside the tasks holds a wake-up
 * (plat_external_hold, the I/O poller's pending count) and the root task
 * has not finished.  Then no task can ever run again: it prints
 *   deadlock: all tasks are blocked
 *     task 1 main: blocked in scope exit at d.plat:3
 *     task 2: blocked in channel recv at d.plat:7
 *       spawned at d.plat:4 in task 1 main
 * (stdout flushed first; the task list is dump.c's format, with the .plat
 * line where each task waits) and exits with status 101.  The workers are
 * all idle, so the tasks hold still while they are listed.
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

/* No task can run and some blocking calls cannot even start: say so (the
 * program goes on: a running call may still return). */
static void report_saturated(int jobs, int cap) {
  plat_flush_all();
  char head[256];
  snprintf(head, sizeof head,
           "plat: warning: no task can run, and %d blocking calls wait for the %d I/O helper "
           "threads (PLAT_IO_THREADS), which are all blocked:\n",
           jobs, cap);
  plat_dump_write(2, NULL, NULL, head);
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
  plat_dump_write(2, NULL, NULL, "deadlock: all tasks are blocked\n");
  _exit(101);
}
