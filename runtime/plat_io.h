/* plat_io.h -- asynchronous I/O under synchronous signatures
 * (LANGUAGE.md sections 6 and 8.6; docs/IO.md explains the design): the
 * public half, what generated code and C programs call.  The poller and
 * the helper pool's scheduler-facing side are in io_internal.h.
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

/* ---- blocking calls off the workers -------------------------------------- */
/* Run fn(arg) on a helper thread and park the calling task until it has
 * returned.  fn runs on a plain pthread: it must not allocate GC memory
 * or call the scheduler.  Returns true when fn has completed; false if the
 * task was cancelled first: then fn is either never run, or still
 * running and followed by `abandon(arg)` on the helper thread (to free
 * what fn produced).  `arg` must stay valid until then: pass memory from
 * plat_alloc (the pool keeps it reachable) or malloc.  Outside a task
 * (no scheduler), fn runs inline.  The pool grows on demand up to
 * PLAT_IO_THREADS threads (docs/IO.md). */
bool plat_blocking_run(void (*fn)(void *arg), void (*abandon)(void *arg), void *arg);
/* The same; `what` (a static string, e.g. "file_read") is what the task
 * is shown blocked in by deadlock and saturation reports. */
bool plat_blocking_run_as(const char *what, void (*fn)(void *arg), void (*abandon)(void *arg),
                          void *arg);

#ifdef __cplusplus
}
#endif
#endif
