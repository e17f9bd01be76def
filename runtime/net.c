/* net.c -- the TCP built-ins (LANGUAGE.md 6 and 8.6) on the poller.
 *
 * Every socket is created SOCK_NONBLOCK|SOCK_CLOEXEC and registered with
 * the poller before its first use.  Each call follows one pattern:
 *   acquire the descriptor (a reference that keeps the OS fd open and
 *   rejects foreign, closed or wrong-kind fds), loop { syscall; EINTR:
 *   retry; EAGAIN: plat_pollfd_wait then retry; other errors: Err },
 *   release.
 * A wait returns ECANCELED when the task was cancelled (we release and
 * unwind through plat_io_cancelled) or EBADF when another task closed the
 * socket meanwhile (Err "socket closed").
 *
 * Names: numeric hosts are parsed inline (AI_NUMERICHOST cannot block);
 * any other name is resolved by getaddrinfo on the helper pool.  The host
 * "" means the wildcard address for tcp_listen, the loopback for
 * tcp_connect.
 *
 * Errors name the call, the address or socket and the OS reason:
 * "tcp_connect: 127.0.0.1:1: Connection refused".
 * SIGPIPE: sends use MSG_NOSIGNAL and the poller's init ignores SIGPIPE.
 * No global state here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io_internal.h"

#define READ_CHUNK 65536                  /* most bytes one tcp_read returns */

__attribute__((format(printf, 1, 2)))
static plat_enum *errf(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return plat_err_cstr(buf);
}

static plat_enum *ok_i32(int32_t v) { return plat_ok(plat_w_i64(v)); }

/* A wait that did not return 0: cancellation unwinds (or, without
 * unwinding support, yields an Err); EBADF means closed meanwhile. */
static plat_enum *wait_failed(const char *call, int32_t sock, int rc) {
  if (rc == ECANCELED) {
    plat_io_cancelled();
    return errf("%s: cancelled", call);
  }
  if (rc == EBUSY) return errf("%s: %d: another task is already %s this socket", call, sock,
                              strcmp(call, "tcp_write") == 0 ? "writing to" : "reading");
  return errf("%s: %d: socket closed", call, sock);
}

/* ---- name resolution -------------------------------------------------- */

typedef struct resolve_job {
  const char *host;                       /* NULL: wildcard / loopback */
  char port[8];
  int flags;
  int rc;                                 /* getaddrinfo's result */
  int err;                                /* errno for EAI_SYSTEM */
  struct addrinfo *res;
} resolve_job;

static void resolve_run(void *arg) {
  resolve_job *r = arg;
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                            .ai_flags = r->flags | AI_NUMERICSERV };
  r->rc = getaddrinfo(r->host, r->port, &hints, &r->res);
  r->err = errno;
}

static void resolve_abandon(void *arg) {
  resolve_job *r = arg;
  if (r->rc == 0 && r->res) freeaddrinfo(r->res);
}

static bool is_numeric(const char *h) {
  unsigned char b[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

/* "host:port", bracketing IPv6 literals. */
static void fmt_addr(char *buf, size_t n, plat_str *host, int32_t port) {
  const char *h = host->data;
  snprintf(buf, n, strchr(h, ':') ? "[%s]:%d" : "%s:%d", h, (int)port);
}

/* Resolve host:port into *out, or return an Err naming `call`. */
static plat_enum *resolve(const char *call, plat_str *host, int32_t port, bool passive,
                          const char *addr, struct addrinfo **out) {
  if (port < 0 || port > 65535)
    return errf("%s: %s: invalid port %d (must be 0..65535)", call, addr, (int)port);
  if ((int64_t)strlen(host->data) != host->len)
    return errf("%s: invalid host (contains a NUL byte)", call);
  resolve_job *r = plat_alloc(sizeof *r);
  r->host = host->len ? host->data : NULL;
  snprintf(r->port, sizeof r->port, "%d", (int)port);
  r->flags = passive ? AI_PASSIVE : 0;
  if (!r->host || is_numeric(r->host)) {
    r->flags |= AI_NUMERICHOST;
    resolve_run(r);
  } else if (!plat_blocking_run_as("name lookup", resolve_run, resolve_abandon, r)) {
    plat_io_cancelled();
    return errf("%s: %s: cancelled", call, addr);
  }
  if (r->rc == EAI_SYSTEM) return errf("%s: %s: %s", call, addr, strerror(r->err));
  if (r->rc != 0) return errf("%s: %s: %s", call, addr, gai_strerror(r->rc));
  *out = r->res;
  return NULL;
}

/* ---- listen, accept, connect ------------------------------------------ */

static int listen_one(struct addrinfo *ai) {
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 4096) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

plat_enum *plat_tcp_listen(plat_str *host, int32_t port) {
  char addr[300];
  fmt_addr(addr, sizeof addr, host, port);
  struct addrinfo *res = NULL;
  plat_enum *e = resolve("tcp_listen", host, port, true, addr, &res);
  if (e) return e;
  int fd = -1, err = EADDRNOTAVAIL;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next)
    if ((fd = listen_one(ai)) < 0) err = errno;
  freeaddrinfo(res);
  if (fd < 0) return errf("tcp_listen: %s: %s", addr, strerror(err));
  plat_pollfd *pd = plat_pollfd_open(fd, PLAT_FD_LISTENER);
  if (!pd) {
    err = errno;
    close(fd);
    return errf("tcp_listen: %s: %s", addr, strerror(err));
  }
  plat_pollfd_release(pd);
  return ok_i32(fd);
}

static void set_nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

plat_enum *plat_tcp_accept(int32_t listener) {
  const char *why;
  plat_pollfd *pd = plat_pollfd_acquire(listener, PLAT_FD_LISTENER, &why);
  if (!pd) return errf("tcp_accept: %d: %s", (int)listener, why);
  for (;;) {
    int fd = accept4(plat_pollfd_fd(pd), NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      set_nodelay(fd);
      plat_pollfd *c = plat_pollfd_open(fd, PLAT_FD_CONN);
      int err = errno;
      plat_pollfd_release(pd);
      if (!c) {
        close(fd);
        return errf("tcp_accept: %d: %s", (int)listener, strerror(err));
      }
      plat_pollfd_release(c);
      return ok_i32(fd);
    }
    int err = errno;
    if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      int rc = plat_pollfd_wait(pd, 'r');
      if (rc == 0) continue;
      plat_pollfd_release(pd);
      return wait_failed("tcp_accept", listener, rc);
    }
    plat_pollfd_release(pd);
    return errf("tcp_accept: %d: %s", (int)listener, strerror(err));
  }
}

/* Finish a non-blocking connect: 0 once connected, else an errno
 * (ECANCELED / EBADF from the wait, or the connection's error). */
static int connect_wait(plat_pollfd *pd) {
  int fd = plat_pollfd_fd(pd);
  for (;;) {
    int rc = plat_pollfd_wait(pd, 'w');
    if (rc) return rc;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
    if (err == EINPROGRESS || err == EALREADY || err == EINTR) continue;
    if (err) return err;
    struct sockaddr_storage ss;
    len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0) return 0;
    if (errno != ENOTCONN) return errno;   /* ENOTCONN: spurious wake-up */
  }
}

/* One address: Ok(fd), or NULL with *err set (try the next address), or
 * an Err that ends the call (cancellation). */
static plat_enum *connect_one(struct addrinfo *ai, int *err) {
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) { *err = errno; return NULL; }
  plat_pollfd *pd = plat_pollfd_open(fd, PLAT_FD_CONN);
  if (!pd) { *err = errno; close(fd); return NULL; }
  /* Not retried on EINTR: the attempt goes on in the background (a second
   * connect would say EALREADY); wait for it like for EINPROGRESS. */
  int rc = connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 ? errno : 0;
  if (rc == EINPROGRESS || rc == EAGAIN || rc == EINTR || rc == EALREADY) rc = connect_wait(pd);
  if (rc == 0) {
    set_nodelay(fd);
    plat_pollfd_release(pd);
    return ok_i32(fd);
  }
  plat_pollfd_close(pd);
  plat_pollfd_release(pd);
  *err = rc;
  if (rc == ECANCELED) {
    plat_io_cancelled();
    return errf("tcp_connect: cancelled");
  }
  return NULL;
}

plat_enum *plat_tcp_connect(plat_str *host, int32_t port) {
  char addr[300];
  fmt_addr(addr, sizeof addr, host, port);
  if (port == 0) return errf("tcp_connect: %s: invalid port 0 (must be 1..65535)", addr);
  struct addrinfo *res = NULL;
  plat_enum *e = resolve("tcp_connect", host, port, false, addr, &res);
  if (e) return e;
  int err = EADDRNOTAVAIL;
  plat_enum *r = NULL;
  for (struct addrinfo *ai = res; ai && !r; ai = ai->ai_next) r = connect_one(ai, &err);
  freeaddrinfo(res);
  return r ? r : errf("tcp_connect: %s: %s", addr, strerror(err));
}

/* ---- read, write, close ----------------------------------------------- */

/* recv into this thread's buffer and copy out, with no park in between.
 * noinline: the thread-local address must be computed after any switch. */
__attribute__((noinline))
static ssize_t recv_copy(int fd, int64_t max, plat_str **out) {
  static __thread char *buf;              /* per OS thread, never freed */
  if (!buf && !(buf = malloc(READ_CHUNK))) { errno = ENOMEM; return -1; }
  ssize_t n = recv(fd, buf, max < READ_CHUNK ? (size_t)max : READ_CHUNK, 0);
  if (n >= 0) *out = plat_str_new(buf, n);
  return n;
}

plat_enum *plat_tcp_read(int32_t sock, int64_t max_bytes) {
  if (max_bytes <= 0)
    return errf("tcp_read: max_bytes must be positive, got %lld", (long long)max_bytes);
  const char *why;
  plat_pollfd *pd = plat_pollfd_acquire(sock, PLAT_FD_CONN, &why);
  if (!pd) return errf("tcp_read: %d: %s", (int)sock, why);
  for (;;) {
    plat_str *s;
    if (recv_copy(plat_pollfd_fd(pd), max_bytes, &s) >= 0) {
      plat_pollfd_release(pd);
      return plat_ok(plat_w_ptr(s));
    }
    int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      int rc = plat_pollfd_wait(pd, 'r');
      if (rc == 0) continue;
      plat_pollfd_release(pd);
      return wait_failed("tcp_read", sock, rc);
    }
    plat_pollfd_release(pd);
    return errf("tcp_read: %d: %s", (int)sock, strerror(err));
  }
}

plat_enum *plat_tcp_write(int32_t sock, plat_str *data) {
  if (data->len > INT32_MAX) return errf("tcp_write: %d: data longer than 2 GiB", (int)sock);
  const char *why;
  plat_pollfd *pd = plat_pollfd_acquire(sock, PLAT_FD_CONN, &why);
  if (!pd) return errf("tcp_write: %d: %s", (int)sock, why);
  int64_t off = 0;
  while (off < data->len) {
    ssize_t n = send(plat_pollfd_fd(pd), data->data + off, (size_t)(data->len - off), MSG_NOSIGNAL);
    if (n >= 0) { off += n; continue; }
    int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      int rc = plat_pollfd_wait(pd, 'w');
      if (rc == 0) continue;
      plat_pollfd_release(pd);
      return wait_failed("tcp_write", sock, rc);
    }
    plat_pollfd_release(pd);
    return errf("tcp_write: %d: %s", (int)sock, strerror(err));
  }
  plat_pollfd_release(pd);
  return ok_i32((int32_t)off);
}

plat_enum *plat_tcp_close(int32_t sock) {
  const char *why;
  plat_pollfd *pd = plat_pollfd_acquire(sock, PLAT_FD_CONN | PLAT_FD_LISTENER, &why);
  if (!pd) return errf("tcp_close: %d: %s", (int)sock, why);
  bool first = plat_pollfd_close(pd);
  plat_pollfd_release(pd);
  if (!first) return errf("tcp_close: %d: socket is closed", (int)sock);
  return plat_ok(plat_w_i64(1));
}

plat_enum *plat_tcp_local_port(int32_t sock) {
  const char *why;
  plat_pollfd *pd = plat_pollfd_acquire(sock, PLAT_FD_CONN | PLAT_FD_LISTENER, &why);
  if (!pd) return errf("tcp_local_port: %d: %s", (int)sock, why);
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int rc = getsockname(plat_pollfd_fd(pd), (struct sockaddr *)&ss, &len);
  int err = errno;
  plat_pollfd_release(pd);
  if (rc < 0) return errf("tcp_local_port: %d: %s", (int)sock, strerror(err));
  int port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                      : ntohs(((struct sockaddr_in *)&ss)->sin_port);
  return ok_i32(port);
}

/* A call woken by cancellation has released everything it held: unwind. */
void plat_io_cancelled(void) { plat_cancel_unwind(); }
