/* file.c -- file built-ins: file_open/read/read_all/write/close,
 * file_exists, file_size, file_delete, dir_list.
 *
 * Off the workers, two ways (LANGUAGE.md 8.6):
 *   helper pool   every call that can block on the file system (open,
 *                 read or write of a regular file or of fds 0-2, stat,
 *                 unlink, readdir) runs on the I/O helper pool
 *                 (plat_blocking_run_as, blocking.c): the calling task
 *                 parks and its worker runs other tasks;
 *   poller        a FIFO, or a character device that epoll supports (a
 *                 terminal), opened by file_open or file_read_all, is
 *                 non-blocking and registered with the poller (poller.c,
 *                 kind PLAT_FD_FILE): a read or write that would block
 *                 parks the task on the fd and holds no thread at all, so
 *                 FIFOs without a peer cannot pin helpers.
 * Every call is a cancellation point: a task cancelled while a helper runs
 * its call unwinds at once; the helper finishes the call and then frees
 * what it produced (and closes a descriptor that was opened meanwhile).
 * Work on the helper side only makes system calls into malloc'd buffers
 * recorded in the job (an fjob in GC memory, kept alive by the pool),
 * never touching GC memory except to read the job and its strings.
 *
 * Opening.  Every open is O_NONBLOCK, so opening a FIFO never waits for
 * its peer; then fstat decides: a regular file, directory or block device
 * gets O_NONBLOCK cleared (helper-pool I/O); a FIFO or character device
 * stays non-blocking and is registered with the poller (if epoll refuses
 * it, as for /dev/null, it goes back to blocking mode on the helpers).
 * Blocking semantics of FIFOs are kept:
 *   - opening for writing with no reader (ENXIO) retries after a sleep of
 *     1 ms doubling to 64 ms, until a reader comes or the task is
 *     cancelled (no thread is held meanwhile);
 *   - reading a FIFO opened read-only before any writer connected gets
 *     read() == 0, which is not end of file: poll(2) tells the two apart
 *     (POLLHUP is only reported once a writer has come and gone), and the
 *     read waits on the poller for the writer's data or hang-up.
 *
 * Reads and writes are complete: read_all reads until end of file whatever
 * the file is (pipe, FIFO, device, /proc file whose size says 0); writes
 * loop over short writes; EINTR is retried everywhere; file_read on a
 * regular file fills max_bytes unless it reaches the end, elsewhere it
 * returns what the first read that yields data gives.  Nothing read can
 * exceed the largest String (PLAT_STR_MAX): read_all of a larger file is
 * an Err, file_read reads at most PLAT_STR_MAX bytes.
 *
 * Descriptors: file_open returns a raw OS descriptor, but a Plat program
 * may only use descriptors it opened itself (plus 0, 1, 2 for read and
 * write), so file_close(fd = 5) cannot close the runtime's own epoll or
 * timer descriptors.  `owned` (guarded by own_lock, owned by this file)
 * records, per descriptor opened by file_open and not yet closed, how it
 * is served (FD_HELPER, FD_POLLED, FD_POLLED_FIFO); any other descriptor
 * gets the OS error text for EBADF.  Descriptors 0-2 are always served by
 * the helpers: making a shared standard stream non-blocking would change
 * it for other processes.
 *
 * Errors: every failure is Err("<function>: <path or fd N>: <strerror>").
 * A path containing a NUL byte is rejected before any system call.
 * Writes to fd 1 first flush print()'s buffer to keep order.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "io_internal.h"
#include "plat_value.h"

enum { FD_NONE, FD_HELPER, FD_POLLED, FD_POLLED_FIFO };
#define CHUNK 65536                        /* bytes per read(2) on the poller path */

static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *owned;            /* owned[fd]: FD_* of a file_open descriptor */
static int owned_cap;                   /* guarded by own_lock */

static void own_set(int fd, int how)
{
  pthread_mutex_lock(&own_lock);
  if (fd >= owned_cap && how) {
    int cap = owned_cap ? owned_cap : 64;
    while (cap <= fd) cap *= 2;
    unsigned char *n = calloc((size_t)cap, 1);
    if (n) {
      if (owned) memcpy(n, owned, (size_t)owned_cap);
      free(owned);
      owned = n;
      owned_cap = cap;
    }
  }
  if (fd < owned_cap) owned[fd] = (unsigned char)how;
  pthread_mutex_unlock(&own_lock);
}

/* The service of fd, which is then no longer the program's (file_close). */
static int own_take(int fd)
{
  pthread_mutex_lock(&own_lock);
  int r = fd >= 0 && fd < owned_cap ? owned[fd] : FD_NONE;
  if (r) owned[fd] = FD_NONE;
  pthread_mutex_unlock(&own_lock);
  return r;
}

static int own_get(int fd)
{
  pthread_mutex_lock(&own_lock);
  int r = fd >= 0 && fd < owned_cap ? owned[fd] : FD_NONE;
  pthread_mutex_unlock(&own_lock);
  return r;
}

static plat_enum *os_err(const char *fn, const char *what, int err)
{
  return plat_err(plat_w_ptr(plat_str_fmt("%s: %s: %s", fn, what, strerror(err))));
}

static plat_enum *fd_err(const char *fn, int fd, int err)
{
  return plat_err(plat_w_ptr(plat_str_fmt("%s: fd %d: %s", fn, fd, strerror(err))));
}

static plat_enum *too_big(const char *fn, const char *what)
{
  return plat_err(plat_w_ptr(plat_str_fmt("%s: %s: larger than the largest String (%lld bytes)",
                                          fn, what, (long long)PLAT_STR_MAX)));
}

static bool bad_path(plat_str *path) { return memchr(path->data, '\0', (size_t)path->len) != NULL; }

static plat_enum *nul_err(const char *fn)
{
  return plat_err(plat_w_ptr(plat_str_fmt("%s: path contains a NUL byte", fn)));
}

static int mode_flags(plat_str *m)
{
  static const struct { const char *m; int flags; } modes[] = {
    { "r", O_RDONLY }, { "w", O_WRONLY | O_CREAT | O_TRUNC }, { "a", O_WRONLY | O_CREAT | O_APPEND },
    { "r+", O_RDWR }, { "w+", O_RDWR | O_CREAT | O_TRUNC }, { "a+", O_RDWR | O_CREAT | O_APPEND },
  };
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
    if ((size_t)m->len == strlen(modes[i].m) && memcmp(m->data, modes[i].m, (size_t)m->len) == 0)
      return modes[i].flags;
  return -1;
}

/* ---- helper-side jobs ------------------------------------------------- */

enum { OP_OPEN, OP_READ, OP_READ_ALL, OP_WRITE, OP_STAT, OP_UNLINK, OP_DIR };
/* what an open found (fjob.kind) */
enum { K_BLOCKING, K_POLLABLE, K_FIFO, K_FIFO_NO_READER };

typedef struct fjob {
  int op;
  const char *path;        /* GC string data (kept alive by the job) */
  int fd, flags;
  const char *data;        /* OP_WRITE */
  plat_str *keep[2];       /* the strings path and data point into */
  int64_t len, max;
  /* results */
  int64_t r;               /* fd, byte count or size; -1 on error */
  int err;                 /* errno when r < 0 */
  int kind;                /* OP_OPEN, OP_READ_ALL: K_* */
  char *buf;               /* malloc: bytes read, or NUL-separated names */
  int64_t n, count;        /* bytes in buf, entries (OP_DIR) */
} fjob;

static void set_blocking(int fd)
{
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

/* Open without waiting for a FIFO's peer; classify (j->kind).  Anything
 * but a FIFO or character device is made blocking again. */
static void h_open(fjob *j)
{
  int fd;
  do fd = open(j->path, j->flags | O_NONBLOCK | O_CLOEXEC, 0666); while (fd < 0 && errno == EINTR);
  j->r = fd;
  if (fd < 0) {
    struct stat st;
    j->err = errno;
    if (j->err == ENXIO && stat(j->path, &st) == 0 && S_ISFIFO(st.st_mode)) j->kind = K_FIFO_NO_READER;
    return;
  }
  struct stat st;
  j->kind = K_BLOCKING;
  if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) j->kind = K_FIFO;
  else if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode)) j->kind = K_POLLABLE;
  else set_blocking(fd);
}

/* Read into j->buf: up to j->max bytes; a regular file (or `to_eof`)
 * until max or end of file, anything else until the first read that
 * yields data.  More than PLAT_STR_MAX bytes: EFBIG. */
static void h_read(fjob *j, bool to_eof)
{
  struct stat st;
  bool regular = fstat(j->fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && to_eof && st.st_size > PLAT_STR_MAX) { j->r = -1; j->err = EFBIG; return; }
  int64_t cap = j->max < CHUNK ? j->max : CHUNK, n = 0;
  if (regular && st.st_size > 0 && st.st_size < j->max) cap = st.st_size + 1;
  char *buf = malloc((size_t)cap);
  if (!buf) { j->r = -1; j->err = ENOMEM; return; }
  while (n < j->max) {
    if (n == cap) {
      int64_t ncap = cap * 2 < j->max ? cap * 2 : j->max;
      char *nb = realloc(buf, (size_t)ncap);
      if (!nb) { free(buf); j->r = -1; j->err = ENOMEM; return; }
      buf = nb;
      cap = ncap;
    }
    ssize_t r = read(j->fd, buf + n, (size_t)(cap - n));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) { j->err = errno; free(buf); j->r = -1; return; }
    if (r == 0) break;
    n += r;
    if (!regular && !to_eof) break;
  }
  if (to_eof && n == j->max) {             /* j->max is PLAT_STR_MAX + 1 */
    free(buf);
    j->r = -1;
    j->err = EFBIG;
    return;
  }
  j->buf = buf;
  j->n = j->r = n;
}

static void h_write(fjob *j)
{
  const char *p = j->data;
  int64_t left = j->len;
  while (left > 0) {
    ssize_t w = write(j->fd, p, (size_t)left);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) { j->r = -1; j->err = errno; return; }
    p += w;
    left -= w;
  }
  j->r = j->len;
}

static void h_dir(fjob *j)
{
  DIR *d = opendir(j->path);
  if (!d) { j->r = -1; j->err = errno; return; }
  int64_t cap = 256, n = 0;
  char *buf = malloc((size_t)cap);
  struct dirent *e;
  for (;;) {
    errno = 0;
    if (!buf || !(e = readdir(d))) break;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    size_t l = strlen(e->d_name) + 1;
    if (n + (int64_t)l > cap) {
      while (n + (int64_t)l > cap) cap *= 2;
      char *nb = realloc(buf, (size_t)cap);
      if (!nb) { free(buf); buf = NULL; errno = ENOMEM; break; }
      buf = nb;
    }
    memcpy(buf + n, e->d_name, l);
    n += (int64_t)l;
    j->count++;
  }
  int err = buf ? errno : ENOMEM;
  closedir(d);
  if (err) { free(buf); j->r = -1; j->err = err; return; }
  j->buf = buf;
  j->n = n;
  j->r = 0;
}

/* OP_READ_ALL: open; a FIFO goes back to the task (poller), anything else
 * is read here to the end. */
static void h_read_all(fjob *j)
{
  h_open(j);
  if (j->r < 0 || j->kind == K_FIFO) return;
  set_blocking((int)j->r);
  j->fd = (int)j->r;
  h_read(j, true);
  close(j->fd);
}

static void h_run(void *arg)
{
  fjob *j = arg;
  struct stat st;
  switch (j->op) {
  case OP_OPEN: h_open(j); return;
  case OP_READ: h_read(j, false); return;
  case OP_READ_ALL: h_read_all(j); return;
  case OP_WRITE: h_write(j); return;
  case OP_DIR: h_dir(j); return;
  case OP_STAT:
    j->r = stat(j->path, &st) == 0 ? st.st_size : -1;
    break;
  case OP_UNLINK:
    j->r = unlink(j->path);
    break;
  }
  if (j->r < 0) j->err = errno;
}

/* The task gave up (cancelled): release what the call produced. */
static void h_abandon(void *arg)
{
  fjob *j = arg;
  free(j->buf);
  j->buf = NULL;
  bool fd_out = j->op == OP_OPEN || (j->op == OP_READ_ALL && j->kind == K_FIFO);
  if (fd_out && j->r >= 0) close((int)j->r);
}

/* Run the job off the worker; unwinds the task if it is cancelled. */
static fjob *run(fjob *j, const char *what)
{
  if (!plat_blocking_run_as(what, h_run, h_abandon, j)) plat_io_cancelled();
  return j;
}

static fjob *job(int op, plat_str *path)
{
  fjob *j = plat_alloc(sizeof *j);
  j->op = op;
  j->path = path ? path->data : NULL;
  j->keep[0] = path;
  return j;
}

/* The bytes in a malloc'd buffer as a String (frees the buffer). */
static plat_enum *take_bytes(char *buf, int64_t n)
{
  plat_str *s = plat_str_new(buf ? buf : "", n);
  free(buf);
  return plat_ok(plat_w_ptr(s));
}

/* ---- the poller path ---------------------------------------------------- */

/* The poller's reference on a polled descriptor (NULL: closed meanwhile). */
static plat_pollfd *polled(int fd)
{
  const char *why;
  return plat_pollfd_acquire(fd, PLAT_FD_FILE, &why);
}

/* Register a non-blocking fd just opened; returns its FD_* service. */
static int register_fd(int fd, int kind)
{
  if (kind == K_BLOCKING) return FD_HELPER;
  plat_pollfd *pd = plat_pollfd_open(fd, PLAT_FD_FILE);
  if (!pd) {                              /* epoll refuses it (/dev/null): helpers */
    set_blocking(fd);
    return FD_HELPER;
  }
  plat_pollfd_release(pd);                /* stays registered until file_close */
  return kind == K_FIFO ? FD_POLLED_FIFO : FD_POLLED;
}

/* read(2) == 0 on a FIFO opened for reading: end of file only once a
 * writer has come and gone (POLLHUP); before any writer it means "wait". */
static bool fifo_eof(int fd, bool *data)
{
  struct pollfd p = { .fd = fd, .events = POLLIN };
  while (poll(&p, 1, 0) < 0 && errno == EINTR) {}
  *data = p.revents & POLLIN;
  return !*data && (p.revents & (POLLHUP | POLLERR));
}

/* Unregister and close (when the last call in flight leaves). */
static void close_polled(int fd)
{
  plat_pollfd *pd = polled(fd);
  if (!pd) return;
  plat_pollfd_close(pd);
  plat_pollfd_release(pd);
}

static void close_polled_defer(void *fd) { close_polled((int)(intptr_t)fd); }

/* A wait that did not return 0: unwind if cancelled, else the error. */
static int wait_error(plat_pollfd *pd, int rc)
{
  plat_pollfd_release(pd);
  if (rc == ECANCELED) plat_io_cancelled();
  return rc;
}

/* Read from a polled fd into *out (malloc'd, caller frees): up to `max`
 * bytes, returning after the first read that yields data, or all of it to
 * end of file (`to_eof`, at most PLAT_STR_MAX bytes: EFBIG).  0 or errno;
 * EBUSY: another task is reading; EBADF: closed meanwhile. */
static int polled_read(int fd, bool fifo, int64_t max, bool to_eof, char **out, int64_t *len)
{
  plat_pollfd *pd = polled(fd);
  if (!pd) return EBADF;
  int64_t cap = 0, n = 0;
  char *buf = NULL;
  for (;;) {
    if (n == cap) {
      if (!to_eof && n > 0) break;
      int64_t want = to_eof ? PLAT_STR_MAX + (int64_t)1 : max;
      if (n == want) break;
      int64_t ncap = cap ? (cap * 2 < want ? cap * 2 : want) : (want < CHUNK ? want : CHUNK);
      char *nb = realloc(buf, (size_t)ncap);
      if (!nb) { free(buf); plat_pollfd_release(pd); return ENOMEM; }
      buf = nb;
      cap = ncap;
    }
    ssize_t r = read(fd, buf + n, (size_t)(cap - n));
    if (r > 0) {
      n += r;
      if (!to_eof) break;
      continue;
    }
    bool data = false;
    if (r == 0 && !(fifo && !fifo_eof(fd, &data))) break;          /* end of file */
    if (r < 0 && errno == EINTR) continue;
    if (data) continue;                   /* a writer came between read and poll */
    if (r < 0 && errno != EAGAIN) {
      int e = errno;
      free(buf);
      plat_pollfd_release(pd);
      return e;
    }
    int rc = plat_pollfd_wait(pd, 'r');
    if (rc) {
      free(buf);
      return wait_error(pd, rc);
    }
  }
  plat_pollfd_release(pd);
  if (to_eof && n > PLAT_STR_MAX) { free(buf); return EFBIG; }
  *out = buf;
  *len = n;
  return 0;
}

/* Write all of data to a polled fd: 0 or errno. */
static int polled_write(int fd, const char *p, int64_t left)
{
  plat_pollfd *pd = polled(fd);
  if (!pd) return EBADF;
  while (left > 0) {
    ssize_t w = write(fd, p, (size_t)left);
    if (w > 0) { p += w; left -= w; continue; }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno != EAGAIN) {
      int e = errno;
      plat_pollfd_release(pd);
      return e;
    }
    int rc = plat_pollfd_wait(pd, 'w');
    if (rc) return wait_error(pd, rc);
  }
  plat_pollfd_release(pd);
  return 0;
}

static const char *busy_text(int err, bool reading)
{
  if (err == EBUSY) return reading ? "another task is already reading it" : "another task is already writing to it";
  if (err == EFBIG) return "larger than the largest String";
  return strerror(err);
}

/* ---- the built-ins ------------------------------------------------------- */

plat_enum *plat_file_open(plat_str *path, plat_str *mode)
{
  int flags = mode_flags(mode);
  if (flags < 0) {
    plat_str *q = mode->len > 16 ? plat_str_substring(mode, 0, 16) : mode;
    return plat_err(plat_w_ptr(plat_str_fmt("file_open: invalid mode \"%s\" (use r, w, a, r+, w+ or a+)", q->data)));
  }
  if (bad_path(path)) return nul_err("file_open");
  fjob *j;
  for (int64_t nap = 1;; nap = nap < 64 ? nap * 2 : 64) {
    j = job(OP_OPEN, path);
    j->flags = flags;
    run(j, "file_open");
    if (!(j->r < 0 && j->kind == K_FIFO_NO_READER)) break;
    plat_sleep_ms(nap);                   /* a FIFO without a reader yet */
  }
  if (j->r < 0) return os_err("file_open", path->data, j->err);
  int fd = (int)j->r;
  own_set(fd, register_fd(fd, j->kind));
  return plat_ok(plat_w_i64(fd));
}

static int service(int fd) { return fd >= 0 && fd <= 2 ? FD_HELPER : own_get(fd); }

plat_enum *plat_file_read(int32_t fd, int64_t max_bytes)
{
  if (max_bytes < 0)
    return plat_err(plat_w_ptr(plat_str_fmt("file_read: max_bytes must not be negative, got %lld", (long long)max_bytes)));
  int how = service(fd);
  if (how == FD_NONE) return fd_err("file_read", fd, EBADF);
  if (max_bytes == 0) return plat_ok(plat_w_ptr(plat_str_new("", 0)));
  if (max_bytes > PLAT_STR_MAX) max_bytes = PLAT_STR_MAX;   /* a read may be short */
  if (how != FD_HELPER) {
    char *buf = NULL;
    int64_t n = 0;
    int e = polled_read(fd, how == FD_POLLED_FIFO, max_bytes, false, &buf, &n);
    if (e) return plat_err(plat_w_ptr(plat_str_fmt("file_read: fd %d: %s", fd, busy_text(e, true))));
    return take_bytes(buf, n);
  }
  fjob *j = job(OP_READ, NULL);
  j->fd = fd;
  j->max = max_bytes;
  run(j, "file_read");
  if (j->r < 0) return fd_err("file_read", fd, j->err);
  char *buf = j->buf;
  j->buf = NULL;
  return take_bytes(buf, j->n);
}

plat_enum *plat_file_read_all(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_read_all");
  fjob *j = job(OP_READ_ALL, path);
  j->flags = O_RDONLY;
  j->max = PLAT_STR_MAX + (int64_t)1;
  run(j, "file_read_all");
  if (j->r < 0 && j->err == EFBIG) return too_big("file_read_all", path->data);
  if (j->r < 0) return os_err("file_read_all", path->data, j->err);
  char *buf = j->buf;
  int64_t n = j->n;
  j->buf = NULL;
  if (j->kind == K_FIFO) {                /* read on the poller, then close */
    int fd = (int)j->r;
    plat_pollfd *pd = plat_pollfd_open(fd, PLAT_FD_FILE);
    if (!pd) { int e = errno; close(fd); return os_err("file_read_all", path->data, e); }
    plat_pollfd_release(pd);
    plat_defer d;                         /* a cancelled read still closes it */
    plat_defer_push(&d, close_polled_defer, (void *)(intptr_t)fd);
    int e = polled_read(fd, true, 0, true, &buf, &n);
    plat_defer_pop(&d);
    close_polled(fd);
    if (e == EFBIG) return too_big("file_read_all", path->data);
    if (e) return os_err("file_read_all", path->data, e);
  }
  return take_bytes(buf, n);
}

plat_enum *plat_file_write(int32_t fd, plat_str *data)
{
  int how = service(fd);
  if (how == FD_NONE) return fd_err("file_write", fd, EBADF);
  if (data->len > INT32_MAX)
    return plat_err(plat_w_ptr(plat_str_fmt("file_write: data too large for one call (%lld bytes)", (long long)data->len)));
  if (fd == 1) plat_flush_stdout();
  if (data->len == 0) return plat_ok(0);
  if (how != FD_HELPER) {
    int e = polled_write(fd, data->data, data->len);
    if (e) return plat_err(plat_w_ptr(plat_str_fmt("file_write: fd %d: %s", fd, busy_text(e, false))));
    return plat_ok(plat_w_i64(data->len));
  }
  fjob *j = job(OP_WRITE, NULL);
  j->fd = fd;
  j->data = data->data;
  j->keep[1] = data;
  j->len = data->len;
  run(j, "file_write");
  if (j->r < 0) return fd_err("file_write", fd, j->err);
  return plat_ok(plat_w_i64(j->r));
}

plat_enum *plat_file_close(int32_t fd)
{
  int how = own_take(fd);
  if (how == FD_NONE) return fd_err("file_close", fd, EBADF);
  if (how != FD_HELPER) {                 /* a parked reader wakes: Err "Bad file descriptor" */
    close_polled(fd);
    return plat_ok(1);
  }
  /* Linux releases the descriptor even when close reports EINTR: never retry. */
  if (close(fd) < 0 && errno != EINTR) return fd_err("file_close", fd, errno);
  return plat_ok(1);
}

bool plat_file_exists(plat_str *path)
{
  if (bad_path(path)) return false;
  return run(job(OP_STAT, path), "file_exists")->r >= 0;
}

plat_enum *plat_file_size(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_size");
  fjob *j = run(job(OP_STAT, path), "file_size");
  if (j->r < 0) return os_err("file_size", path->data, j->err);
  return plat_ok(plat_w_i64(j->r));
}

plat_enum *plat_file_delete(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_delete");
  fjob *j = run(job(OP_UNLINK, path), "file_delete");
  if (j->r < 0) return os_err("file_delete", path->data, j->err);
  return plat_ok(1);
}

static int cmp_names(const void *a, const void *b)
{
  return plat_str_cmp(plat_ptr_w(*(const plat_word *)a), plat_ptr_w(*(const plat_word *)b));
}

plat_enum *plat_dir_list(plat_str *path)
{
  if (bad_path(path)) return nul_err("dir_list");
  fjob *j = run(job(OP_DIR, path), "dir_list");
  if (j->r < 0) return os_err("dir_list", path->data, j->err);
  plat_list *l = plat_list_new(j->count);
  for (int64_t off = 0; off < j->n;) {
    plat_str *name = plat_str_cstr(j->buf + off);
    plat_list_push(l, plat_w_ptr(name));
    off += name->len + 1;
  }
  free(j->buf);
  j->buf = NULL;
  if (l->len > 1) qsort(l->items, (size_t)l->len, sizeof(plat_word), cmp_names);
  return plat_ok(plat_w_ptr(l));
}
