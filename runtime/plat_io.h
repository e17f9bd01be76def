/* plat_io.h -- asynchronous I/O under synchronous signatures
 * (LANGUAGE.md sections 6 and 8.6; docs/IO.md explains the design).
 *
 * Three layers, one file each:
 *   poller.c    an epoll instance; every socket the runtime creates is
 *               registered once, edge-triggered, for reading and writing.
 *               A task whose socket call would block parks on the fd's
 *               reader or writer slot and is made runnable by whichever
 *               worker polls (sched.c: idle workers block in epoll_wait,
 *               busy ones poll without blocking now and then).
 *   blocking.c  a pool of helper threads, grown on demand up to a cap,
 *               for calls that cannot be made non-blocking (getaddrinfo,
 *               file system calls); the calling task parks until its job
 *               is done.
 *   net.c       the tcp_* built-ins on top of the two.
 * file.c (plat_value.h) uses both: FIFOs and terminals on the poller
 * (kind PLAT_FD_FILE), every other file call on the helper pool.
 *
 * Built-ins return Result values (plat_value.h) whose Err carries the OS
 * reason, e.g. "tcp_connect: 127.0.0.1:1: Connection refused".  A socket
 * is an Int32: the OS file descriptor.  Only descriptors created by the
 * tcp_* built-ins are accepted by them; anything else is an Err.
 * Every call that can block is a cancellation point.
 */
#ifndef PLAT_IO_H
#define PLAT_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "plat_rt.h"
#include "plat_value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- TCP built-ins (section 6) ---------------------------------------- */
/* host "" means every local address (listen) or the loopback (connect);
 * port 0..65535 (0 in tcp_listen binds an ephemeral port). */
plat_enum *plat_tcp_listen(plat_str *host, int32_t port);    /* Result<Int32, String> */
plat_enum *plat_tcp_accept(int32_t listener);                /* Result<Int32, String> */
plat_enum *plat_tcp_connect(plat_str *host, int32_t port);   /* Result<Int32, String> */
/* Up to max_bytes (> 0) bytes as they arrive; "" once the peer closed. */
plat_enum *plat_tcp_read(int32_t sock, int64_t max_bytes);   /* Result<String, String> */
/* Writes all of data; Ok(number of bytes). */
plat_enum *plat_tcp_write(int32_t sock, plat_str *data);     /* Result<Int32, String> */
plat_enum *plat_tcp_close(int32_t sock);                     /* Result<Bool, String> */
/* Extension (docs/IO.md): the local port of a socket, so that a program
 * that listened on port 0 can learn the port it got. */
plat_enum *plat_tcp_local_port(int32_t sock);                /* Result<Int32, String> */

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

/* ---- helper thread pool ----------------------------------------------- */
/* Run fn(arg) on a helper thread and park the calling task until it has
 * returned.  fn runs on a plain pthread: it must not allocate GC memory
 * or call the scheduler.  Returns true when fn has completed; false if the
 * task was cancelled first: then fn is either never run, or still
 * running and followed by `abandon(arg)` on the helper thread (to free
 * what fn produced).  `arg` must stay valid until then: pass memory from
 * plat_alloc (the pool keeps it reachable) or malloc.  Outside a task
 * (no scheduler), fn runs inline. */
bool plat_blocking_run(void (*fn)(void *arg), void (*abandon)(void *arg), void *arg);
/* The same; `what` (a static string, e.g. "file_read") is what the task
 * is shown blocked in by deadlock and saturation reports. */
bool plat_blocking_run_as(const char *what, void (*fn)(void *arg), void (*abandon)(void *arg),
                          void *arg);
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

#ifdef __cplusplus
}
#endif
#endif
