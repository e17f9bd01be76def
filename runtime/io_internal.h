/* io_internal.h -- the runtime's private half of the I/O layer: the
 * poller (registered descriptors, the scheduler's polling) and the helper
 * pool's counters, used by sched.c, monitor.c, deadlock.c, net.c and
 * file.c (docs/IO.md explains the design).  The public half, the tcp_*
 * built-ins and plat_blocking_run, is plat_io.h.
 */
#ifndef PLAT_IO_INTERNAL_H
#define PLAT_IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "plat_io.h"

/* ---- poller: the scheduler's side --------------------------------------- */
/* Cheap: true while some task is parked on a socket. */
bool plat_poller_active(void);
/* Wait up to timeout_ms (0: do not block, <0: until an event or
 * plat_poller_wake) and plat_ready() every task whose socket became ready.
 * One thread polls at a time: a concurrent caller returns -1 at once.
 * Callable from the scheduler's stack or a task's (it takes only the
 * per-fd locks and calls plat_wake).  Returns the number of tasks made
 * runnable (0 also after a plat_poller_wake, a signal or a timeout). */
int plat_poller_poll(int64_t timeout_ms);
/* Make a plat_poller_poll blocked in another thread return soon. */
void plat_poller_wake(void);
/* Tasks parked on sockets or helper-pool jobs: wakers the OS will
 * provide, so such tasks are not deadlocked. */
int64_t plat_poller_pending(void);

/* ---- poller: the I/O side ---------------------------------------------- */
typedef struct plat_pollfd plat_pollfd;
enum { PLAT_FD_LISTENER = 1, PLAT_FD_CONN = 2, PLAT_FD_FILE = 4 };  /* FILE: file.c's FIFOs, ttys */
/* Register a non-blocking fd created by the runtime; NULL with errno set
 * if it cannot be registered (the fd is then still the caller's). */
plat_pollfd *plat_pollfd_open(int fd, int kind);
/* Look up an fd opened above with one of the kinds in kind_mask and take
 * a reference that keeps the OS fd open; NULL if it is not one (then *why
 * says why).  Every successful acquire is paired with a release. */
plat_pollfd *plat_pollfd_acquire(int32_t fd, int kind_mask, const char **why);
void plat_pollfd_release(plat_pollfd *pd);
int plat_pollfd_fd(plat_pollfd *pd);
/* Park until the fd may be readable (mode 'r') or writable ('w').
 * Returns 0 (retry the call; wake-ups may be spurious), ECANCELED if the
 * task was cancelled, or EBADF if the fd was closed meanwhile. */
int plat_pollfd_wait(plat_pollfd *pd, int mode);
/* Close: waiters wake with EBADF; the OS fd is closed when the last
 * reference is released.  Returns false if it was already closing. */
bool plat_pollfd_close(plat_pollfd *pd);

/* ---- helper thread pool: the runtime's side ------------------------------ */
/* Calls waiting in or running on the pool (plat_blocking_run, plat_io.h). */
int64_t plat_blocking_pending(void);
/* The pool grows on demand up to PLAT_IO_THREADS threads (docs/IO.md).
 * True, once per episode, when more calls are in the pool than it may
 * have threads (some cannot start until a running one returns); sets the
 * number of calls and the cap.  Called by the deadlock check. */
bool plat_blocking_saturated(int *n_jobs, int *n_cap);
bool plat_blocking_starving(void);        /* cheap, may be stale: worth asking */

/* Called by the I/O layer, holding nothing, for a task woken with
 * PLAT_WAKE_CANCEL: unwinds the task (plat_cancel_unwind). */
__attribute__((noreturn)) void plat_io_cancelled(void);

#endif
