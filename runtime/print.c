/* print.c -- print(), stdout buffering, exit().
 *
 * Tasks on several workers print concurrently, so stdout goes through one
 * buffer guarded by out_lock (owned by this file).  plat_print appends the
 * whole line (text and newline) under the lock, so lines never interleave.
 * The buffer is written out when a line does not fit, on every line when
 * stdout is a terminal (line-buffered, checked once), and by
 * plat_flush_stdout(), which plat_exit(), plat_main's return, the panic
 * path and an atexit hook call.  A line larger than the buffer is written
 * directly, still under the lock.
 *
 * When stdout is not a terminal, output is also flushed at most
 * FLUSH_MS after it was buffered, by a flusher thread (a plain pthread
 * started on the first such print, never registered with the GC, never
 * allocating): a server that prints "listening" and then waits shows the
 * line promptly even through a pipe, while bulk output still goes out in
 * large writes.  The flusher sleeps on out_cv while the buffer is empty;
 * plat_print signals it when the buffer goes from empty to non-empty.
 *
 * Capture (testrun.c, deterministic schedules): between
 * plat_print_capture_begin and _end, printed lines go to a malloc'd
 * buffer instead, so that only the output of the schedule shown is
 * printed (plat_print_bytes writes it out).
 *
 * The lock is held only across memcpy and write(2): no task can park while
 * holding it (parking happens only at explicit runtime calls).  Write
 * errors on stdout (EPIPE from a closed pipe, ...) drop the output, as most
 * language runtimes do; EINTR is retried.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "plat_value.h"

enum { OUT_CAP = 1 << 16 };
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static char out_buf[OUT_CAP];          /* guarded by out_lock */
static size_t out_len;                 /* guarded by out_lock */
static int out_tty = -1;               /* -1 unknown; guarded by out_lock */
static pthread_once_t out_once = PTHREAD_ONCE_INIT;
static pthread_cond_t out_cv = PTHREAD_COND_INITIALIZER;   /* with out_lock */
static bool flusher_started;           /* guarded by out_lock */
enum { FLUSH_MS = 20 };
static char *cap_buf;                  /* guarded by out_lock */
static size_t cap_len, cap_size;       /* guarded by out_lock */
static bool capturing;                 /* guarded by out_lock */

static void write_all(int fd, const char *p, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;                           /* EPIPE etc.: output dropped */
    }
    p += w;
    n -= (size_t)w;
  }
}

static void flush_locked(void)
{
  write_all(1, out_buf, out_len);
  out_len = 0;
}

static void *flusher(void *arg)
{
  (void)arg;
  pthread_mutex_lock(&out_lock);
  for (;;) {
    while (out_len == 0) pthread_cond_wait(&out_cv, &out_lock);
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_nsec += FLUSH_MS * 1000000L;
    if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
    while (out_len > 0 && pthread_cond_timedwait(&out_cv, &out_lock, &dl) == 0) {}
    flush_locked();
  }
  return NULL;
}

/* Under out_lock: the buffer just became non-empty. */
static void wake_flusher_locked(void)
{
  if (!flusher_started) {
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    flusher_started = pthread_create(&th, &at, flusher, NULL) == 0;
    pthread_attr_destroy(&at);
    if (!flusher_started) return;      /* no thread: flushed when full or at exit */
  }
  pthread_cond_signal(&out_cv);
}

static void at_exit_flush(void) { plat_flush_stdout(); }
static void register_flush(void) { atexit(at_exit_flush); }

/* Under out_lock. */
static void capture(const char *p, size_t n)
{
  if (cap_len + n > cap_size) {
    cap_size = (cap_len + n) * 2;
    cap_buf = realloc(cap_buf, cap_size);
    if (!cap_buf) abort();
  }
  memcpy(cap_buf + cap_len, p, n);
  cap_len += n;
}

void plat_print_capture_begin(void)
{
  pthread_mutex_lock(&out_lock);
  capturing = true;
  cap_len = 0;
  pthread_mutex_unlock(&out_lock);
}

/* The captured bytes (malloc'd, the caller frees) and their count. */
char *plat_print_capture_end(size_t *len)
{
  pthread_mutex_lock(&out_lock);
  char *r = cap_buf;
  *len = cap_len;
  cap_buf = NULL;
  cap_len = cap_size = 0;
  capturing = false;
  pthread_mutex_unlock(&out_lock);
  return r;
}

void plat_print(plat_str *s)
{
  pthread_once(&out_once, register_flush);
  size_t n = (size_t)s->len;
  pthread_mutex_lock(&out_lock);
  if (capturing) {
    capture(s->data, n);
    capture("\n", 1);
    pthread_mutex_unlock(&out_lock);
    return;
  }
  if (out_tty < 0) out_tty = isatty(1);
  if (out_len + n + 1 > OUT_CAP) flush_locked();
  if (n + 1 > OUT_CAP) {
    write_all(1, s->data, n);
    write_all(1, "\n", 1);
  } else {
    memcpy(out_buf + out_len, s->data, n);
    out_buf[out_len + n] = '\n';
    out_len += n + 1;
    if (out_tty) flush_locked();
    else if (out_len == n + 1) wake_flusher_locked();
  }
  pthread_mutex_unlock(&out_lock);
}

/* Bytes as they are (captured output being shown). */
void plat_print_bytes(const char *p, size_t n)
{
  pthread_once(&out_once, register_flush);
  pthread_mutex_lock(&out_lock);
  flush_locked();
  write_all(1, p, n);
  pthread_mutex_unlock(&out_lock);
}

void plat_flush_stdout(void)
{
  pthread_mutex_lock(&out_lock);
  flush_locked();
  pthread_mutex_unlock(&out_lock);
}

void plat_flush_all(void);             /* sched.c: stdout, stdio, the trace */

void plat_exit(int32_t code)
{
  plat_flush_all();
  fflush(NULL);
  _exit(code & 0xFF);
}
