/* poller.c -- the epoll poller: parks tasks on sockets until they are ready.
 *
 * Registration.  Every fd the runtime creates (plat_pollfd_open) is added
 * once to a single epoll instance, EDGE-triggered, for EPOLLIN, EPOLLOUT
 * and EPOLLRDHUP, with data.ptr = its plat_pollfd.  Edge-triggered because
 * it needs no epoll_ctl per wait (one syscall saved per blocking call, as in
 * Go's netpoller) and one registration serves a reader and a writer at
 * once; the price is that an edge must never be lost, which the two ready
 * flags below guarantee.
 *
 * Per-fd state (plat_pollfd), all under pd->mu:
 *   rd, wr        the task parked waiting to read / write, or NULL
 *   rd_ready ...  an edge arrived while nobody waited: the next wait returns
 *                 at once (the caller retries its syscall; a flag may be
 *                 stale, which costs one EAGAIN and a real wait)
 *   refs          calls in flight; the OS fd is closed only when the last
 *                 one leaves after plat_pollfd_close (so an fd number is
 *                 never reused under a running call)
 *   kind          0 when free (not open), else PLAT_FD_LISTENER/CONN/FILE
 *                 (FILE: a FIFO or terminal opened by file.c)
 * A waiter parks; its commit callback (run once the task's context is
 * saved) takes pd->mu, installs the task in its slot (or declines: ready
 * flag set, fd closing, slot taken) and releases pd->mu.  Whoever wakes a
 * waiter (an event, a close) takes it out of the slot and calls plat_wake
 * while still holding pd->mu; the woken task re-takes pd->mu before it can
 * park again, so a wake-up is never stale.  A cancelled task wakes by the
 * scheduler's hand and clears its own slot; an event that finds its waiter
 * already claimed by cancellation sets the ready flag instead.
 *
 * Descriptors are indexed by fd number in a two-level table (chunks are
 * published with release stores and never freed) and are never freed: the
 * OS reuses fd numbers and so do we.  An event read by epoll_wait for a
 * descriptor that was closed meanwhile is therefore harmless: at worst it
 * sets a ready flag or wakes a waiter spuriously.
 *
 * Who polls: the scheduler's workers, no thread of our own (sched.c
 * explains when).  plat_poller_poll is a try-lock on `polling`: one thread
 * is in epoll_wait at a time.  Tasks readied by a poll are made runnable on the
 * polling worker (run-next slot, then its deque) by plat_wake.
 *
 * Waking a blocked poller: plat_poller_wake writes the eventfd (registered
 * edge-triggered with data.ptr = &wake_marker).  `wake_pending` keeps it to
 * one write until a blocking poll has seen the edge: it is cleared before
 * the eventfd is drained, so a wake that finds it set is covered by an
 * edge not yet consumed, or by a poller that has returned and has still to
 * re-check the waker's flag.  A non-blocking poll that sees the edge does
 * not consume it: the wake is for an idle worker that may have checked its
 * flag just before this poll and will block right after it, so the poll
 * posts a fresh edge (drain, write) before releasing `polling`.  Spurious
 * returns are harmless: callers loop.
 *
 * Lock order: pd->mu, then the scheduler's locks (inside plat_ready).
 * Globals below are owned by this file; `epfd` and `evfd` are created once
 * under pthread_once and never closed.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include "io_internal.h"
#include "rt_internal.h"

struct plat_pollfd {
  pthread_mutex_t mu;
  int fd;
  int kind;                 /* 0 = free */
  int refs;
  bool closing;
  bool rd_ready, wr_ready;
  plat_task *rd, *wr;
};

#define CHUNK 1024
#define NCHUNKS 1024                      /* fds below 1M */
static _Atomic(plat_pollfd *) *fdtab[NCHUNKS];
static pthread_mutex_t tab_mu = PTHREAD_MUTEX_INITIALIZER;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int epfd = -1, evfd = -1;
static atomic_bool poll_ready;   /* epfd/evfd set up: release/acquire for
                                    threads that did not run ensure_init
                                    (the monitor, plat_poller_poll) */
static int init_errno;
static char wake_marker;                  /* data.ptr of the eventfd */
static atomic_int polling;                /* a thread is in plat_poller_poll */
static atomic_int wake_pending;           /* evfd written, not yet drained */
static atomic_llong waiters;              /* tasks parked in plat_pollfd_wait */

#define NEV 256
static struct epoll_event evbuf[NEV];     /* owned by the thread holding `polling` */

/* ---- initialisation ----------------------------------------------------- */

static void raise_fd_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

static void poller_init(void) {
  signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();
  epfd = epoll_create1(EPOLL_CLOEXEC);
  evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epfd < 0 || evfd < 0) { init_errno = errno; return; }
  struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.ptr = &wake_marker };
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, evfd, &ev) < 0) init_errno = errno;
  else atomic_store_explicit(&poll_ready, true, memory_order_release);
}

static int ensure_init(void) {
  pthread_once(&init_once, poller_init);
  return init_errno;
}

/* ---- the fd table ------------------------------------------------------- */

static plat_pollfd *tab_get(int fd) {
  if (fd < 0 || fd >= CHUNK * NCHUNKS) return NULL;
  _Atomic(plat_pollfd *) *c = __atomic_load_n(&fdtab[fd / CHUNK], __ATOMIC_ACQUIRE);
  return c ? atomic_load_explicit(&c[fd % CHUNK], memory_order_acquire) : NULL;
}

/* The descriptor for fd number `fd`, created on first use; NULL if fd is
 * out of range or memory is exhausted. */
static plat_pollfd *tab_slot(int fd) {
  plat_pollfd *pd = tab_get(fd);
  if (pd || fd < 0 || fd >= CHUNK * NCHUNKS) return pd;
  pthread_mutex_lock(&tab_mu);
  _Atomic(plat_pollfd *) *c = fdtab[fd / CHUNK];
  if (!c) {
    c = calloc(CHUNK, sizeof *c);
    if (c) __atomic_store_n(&fdtab[fd / CHUNK], c, __ATOMIC_RELEASE);
  }
  if (c && !(pd = atomic_load(&c[fd % CHUNK]))) {
    pd = calloc(1, sizeof *pd);
    if (pd) {
      pthread_mutex_init(&pd->mu, NULL);
      pd->fd = fd;
      atomic_store_explicit(&c[fd % CHUNK], pd, memory_order_release);
    }
  }
  pthread_mutex_unlock(&tab_mu);
  return pd;
}

/* ---- open, acquire, release, close ------------------------------------ */

plat_pollfd *plat_pollfd_open(int fd, int kind) {
  if (PLAT_DET()) plat_det_real_io();   /* a schedule that used sockets */
  int e = ensure_init();
  if (e) { errno = e; return NULL; }
  plat_pollfd *pd = tab_slot(fd);
  if (!pd) { errno = EMFILE; return NULL; }
  pthread_mutex_lock(&pd->mu);
  /* kind != 0 here means our fd was closed behind our back (close(2)
   * outside tcp_close) and the number reused: start afresh. */
  pd->kind = kind;
  pd->refs = 1;                           /* the caller's */
  pd->closing = false;
  pd->rd_ready = pd->wr_ready = false;
  pd->rd = pd->wr = NULL;
  struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = pd };
  int rc = epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  if (rc < 0 && errno == EEXIST) rc = epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
  if (rc < 0) {
    e = errno;
    pd->kind = 0;
    pd->refs = 0;
    pthread_mutex_unlock(&pd->mu);
    errno = e;
    return NULL;
  }
  pthread_mutex_unlock(&pd->mu);
  return pd;
}

plat_pollfd *plat_pollfd_acquire(int32_t fd, int kind_mask, const char **why) {
  if (PLAT_DET()) plat_det_real_io();
  plat_pollfd *pd = tab_get(fd);
  if (!pd) { *why = "not a socket opened by tcp_listen, tcp_accept or tcp_connect"; return NULL; }
  pthread_mutex_lock(&pd->mu);
  const char *w = NULL;
  if (pd->kind == 0) w = "not an open socket (closed, or not opened by tcp_*)";
  else if (pd->closing) w = "socket is closed";
  else if (!(pd->kind & kind_mask))
    w = pd->kind == PLAT_FD_FILE       ? "not a socket (a file opened by file_open)"
        : pd->kind == PLAT_FD_LISTENER ? "is a listening socket"
                                       : "is not a listening socket";
  if (w) { pthread_mutex_unlock(&pd->mu); *why = w; return NULL; }
  pd->refs++;
  pthread_mutex_unlock(&pd->mu);
  return pd;
}

int plat_pollfd_fd(plat_pollfd *pd) { return pd->fd; }

/* pd->mu held: make the waiter in *slot runnable.  Returns 0 if there
 * was none, or if cancellation had already claimed its park (the task
 * then clears nothing and will not consume the readiness). */
static int wake_slot(plat_task **slot) {
  plat_task *t = *slot;
  if (!t) return 0;
  *slot = NULL;
  return plat_wake(t, PLAT_WAKE_NORMAL, NULL) ? 1 : 0;
}

/* pd->mu held, refs == 0, closing: close the OS fd and free the slot. */
static void finalize(plat_pollfd *pd) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, pd->fd, NULL);
  close(pd->fd);                          /* Linux: never retry close on EINTR */
  pd->kind = 0;
  pd->closing = false;
}

void plat_pollfd_release(plat_pollfd *pd) {
  pthread_mutex_lock(&pd->mu);
  if (--pd->refs == 0 && pd->closing) finalize(pd);
  pthread_mutex_unlock(&pd->mu);
}

bool plat_pollfd_close(plat_pollfd *pd) {
  pthread_mutex_lock(&pd->mu);
  bool first = !pd->closing && pd->kind != 0;
  if (first) {
    pd->closing = true;
    wake_slot(&pd->rd);
    wake_slot(&pd->wr);
    if (pd->refs == 0) finalize(pd);
  }
  pthread_mutex_unlock(&pd->mu);
  return first;
}

/* ---- waiting ------------------------------------------------------------ */

typedef struct waitrec {
  plat_pollfd *pd;
  int mode;                               /* 'r' or 'w' */
  int rc;                                 /* why the commit declined to sleep */
} waitrec;

/* Runs once the task's context is saved: install the waiter or decline.
 * The whole critical section runs here (not partly on the task's stack)
 * so that pd->mu is taken and released on one stack (TSan-friendly). */
static bool wait_commit(plat_task *self, void *arg) {
  waitrec *w = arg;
  plat_pollfd *pd = w->pd;
  bool sleep = false;
  pthread_mutex_lock(&pd->mu);
  bool *ready = w->mode == 'r' ? &pd->rd_ready : &pd->wr_ready;
  plat_task **slot = w->mode == 'r' ? &pd->rd : &pd->wr;
  if (pd->closing) w->rc = EBADF;
  else if (*ready) *ready = false;        /* an edge came meanwhile: retry */
  else if (*slot) w->rc = EBUSY;
  else { *slot = self; sleep = true; }
  pthread_mutex_unlock(&pd->mu);
  return sleep;
}

/* No scheduler (plain C caller): block the thread in poll(2). */
static int wait_thread(plat_pollfd *pd, int mode) {
  struct pollfd p = { .fd = pd->fd, .events = mode == 'r' ? POLLIN : POLLOUT };
  while (poll(&p, 1, -1) < 0 && errno == EINTR) {}
  return 0;
}

int plat_pollfd_wait(plat_pollfd *pd, int mode) {
  plat_task *self = plat_self();
  if (!self) return wait_thread(pd, mode);
  waitrec w = { .pd = pd, .mode = mode, .rc = 0 };
  atomic_fetch_add(&waiters, 1);
  const char *what = pd->kind == PLAT_FD_FILE ? (mode == 'r' ? "file read" : "file write")
                                              : (mode == 'r' ? "socket read" : "socket write");
  int why = plat_park(wait_commit, &w, what);
  atomic_fetch_sub(&waiters, 1);
  pthread_mutex_lock(&pd->mu);
  plat_task **slot = mode == 'r' ? &pd->rd : &pd->wr;
  if (*slot == self) *slot = NULL;        /* woken by cancellation */
  bool closing = pd->closing;
  pthread_mutex_unlock(&pd->mu);
  if (why == PLAT_WAKE_CANCEL) return ECANCELED;
  if (w.rc) return w.rc;
  return closing ? EBADF : 0;
}

/* ---- polling ------------------------------------------------------------ */

static int deliver(plat_pollfd *pd, uint32_t ev) {
  int n = 0;
  pthread_mutex_lock(&pd->mu);
  if (pd->kind != 0) {
    if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
      int r = wake_slot(&pd->rd);
      if (!r) pd->rd_ready = true;
      n += r;
    }
    if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
      int w = wake_slot(&pd->wr);
      if (!w) pd->wr_ready = true;
      n += w;
    }
  }
  pthread_mutex_unlock(&pd->mu);
  return n;
}

static void drain_wake(void) {
  uint64_t v;
  while (read(evfd, &v, sizeof v) < 0 && errno == EINTR) {}
}

int plat_poller_poll(int64_t timeout_ms) {
  if (!atomic_load_explicit(&poll_ready, memory_order_acquire)) return 0;
  if (atomic_load_explicit(&polling, memory_order_relaxed) || atomic_exchange(&polling, 1))
    return -1;
  int tmo = timeout_ms < 0 ? -1 : timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms;
  int n = epoll_wait(epfd, evbuf, NEV, tmo);
  int readied = 0;
  bool repost = false;
  for (int i = 0; i < n; i++) {
    if (evbuf[i].data.ptr != &wake_marker) {
      readied += deliver(evbuf[i].data.ptr, evbuf[i].events);
    } else if (tmo == 0) {
      repost = true;                      /* meant for a blocking poller */
    } else {
      atomic_store(&wake_pending, 0);
      drain_wake();
    }
  }
  if (repost) {                           /* a fresh edge; wake_pending stays 1 */
    drain_wake();
    uint64_t one = 1;
    while (write(evfd, &one, sizeof one) < 0 && errno == EINTR) {}
  }
  atomic_store(&polling, 0);
  return readied;
}

/* At most one eventfd write until the next poll drains it, so a wake is
 * never lost even if it races with a poller about to block. */
void plat_poller_wake(void) {
  if (evfd < 0 || atomic_exchange(&wake_pending, 1)) return;
  uint64_t one = 1;
  while (write(evfd, &one, sizeof one) < 0 && errno == EINTR) {}
}

bool plat_poller_active(void) {
  return atomic_load_explicit(&waiters, memory_order_relaxed) > 0;
}

int64_t plat_poller_pending(void) {
  return atomic_load(&waiters) + plat_blocking_pending();
}
