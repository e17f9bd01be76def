/* file.c -- file built-ins: file_open/read/read_all/write/close,
 * file_exists, file_size, file_delete, dir_list.
 *
 * Off the workers: every call that can block on the file system (open,
 * read, write, stat, unlink, readdir) runs on the I/O helper pool
 * (plat_blocking_run, blocking.c), so the calling task parks and its
 * worker runs other tasks (LANGUAGE.md 8.6).  The call is a cancellation
 * point: a task cancelled while its call runs unwinds at once; the helper
 * finishes the call and then frees what it produced (and closes a
 * descriptor that file_open obtained meanwhile).  Work is split in two:
 *   task side    validates arguments, builds GC strings, lists and errors;
 *   helper side  (a plain pthread) only makes system calls into malloc'd
 *                buffers recorded in the job (an fjob in GC memory, kept
 *                alive by the pool), never touching GC memory except to
 *                read the job and the path/data strings it references.
 * close(2) runs on the worker (it does not block on local file systems).
 *
 * Descriptors: file_open returns a raw OS descriptor, but a Plat program
 * may only use descriptors it opened itself (plus 0, 1, 2 for read and
 * write), so file_close(fd = 5) cannot close the runtime's own epoll or
 * timer descriptors.  `owned` (guarded by own_lock, owned by this file)
 * marks descriptors opened by file_open and not yet closed; any other
 * descriptor gets the OS error text for EBADF.
 *
 * Errors: every failure is Err("<function>: <path or fd N>: <strerror>").
 * EINTR is retried.  A path containing a NUL byte is rejected before any
 * system call.  Writes to fd 1 first flush print()'s buffer to keep order.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "plat_io.h"
#include "plat_value.h"

static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *owned;            /* owned[fd] != 0: opened by file_open */
static int owned_cap;                   /* guarded by own_lock */

static void own_set(int fd, bool on)
{
  pthread_mutex_lock(&own_lock);
  if (fd >= owned_cap && on) {
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
  if (fd < owned_cap) owned[fd] = on;
  pthread_mutex_unlock(&own_lock);
}

static bool own_has(int fd)
{
  pthread_mutex_lock(&own_lock);
  bool r = fd >= 0 && fd < owned_cap && owned[fd];
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
  char *buf;               /* malloc: bytes read, or NUL-separated names */
  int64_t n, count;        /* bytes in buf, entries (OP_DIR) */
} fjob;

static int open_retry(const char *path, int flags)
{
  int fd;
  do fd = open(path, flags | O_CLOEXEC, 0666); while (fd < 0 && errno == EINTR);
  return fd;
}

/* Read up to j->max bytes from j->fd into j->buf; regular files until max
 * or EOF, other files (pipes, terminals) return after the first read that
 * yields data. */
static void h_read(fjob *j)
{
  struct stat st;
  bool regular = fstat(j->fd, &st) == 0 && S_ISREG(st.st_mode);
  int64_t cap = j->max < 65536 ? j->max : 65536, n = 0;
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
    if (!regular) break;
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

static void h_run(void *arg)
{
  fjob *j = arg;
  struct stat st;
  switch (j->op) {
  case OP_OPEN:
    j->r = open_retry(j->path, j->flags);
    break;
  case OP_READ:
    h_read(j);
    return;
  case OP_READ_ALL:
    j->fd = open_retry(j->path, O_RDONLY);
    if (j->fd < 0) { j->r = -1; break; }
    h_read(j);
    close(j->fd);
    return;
  case OP_WRITE:
    h_write(j);
    return;
  case OP_STAT:
    j->r = stat(j->path, &st) == 0 ? st.st_size : -1;
    break;
  case OP_UNLINK:
    j->r = unlink(j->path);
    break;
  case OP_DIR:
    h_dir(j);
    return;
  }
  if (j->r < 0) j->err = errno;
}

/* The task gave up (cancelled): release what the call produced. */
static void h_abandon(void *arg)
{
  fjob *j = arg;
  free(j->buf);
  j->buf = NULL;
  if (j->op == OP_OPEN && j->r >= 0) close((int)j->r);
}

/* Run the job off the worker; unwinds the task if it is cancelled. */
static fjob *run(fjob *j)
{
  if (!plat_blocking_run(h_run, h_abandon, j)) plat_io_cancelled();
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

/* The bytes read by a job as a String (frees the helper's buffer). */
static plat_enum *take_bytes(fjob *j)
{
  plat_str *s = plat_str_new(j->buf ? j->buf : "", j->n);
  free(j->buf);
  j->buf = NULL;
  return plat_ok(plat_w_ptr(s));
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
  fjob *j = job(OP_OPEN, path);
  j->flags = flags;
  run(j);
  if (j->r < 0) return os_err("file_open", path->data, j->err);
  own_set((int)j->r, true);
  return plat_ok(plat_w_i64(j->r));
}

static bool usable(int fd) { return (fd >= 0 && fd <= 2) || own_has(fd); }

plat_enum *plat_file_read(int32_t fd, int64_t max_bytes)
{
  if (max_bytes < 0)
    return plat_err(plat_w_ptr(plat_str_fmt("file_read: max_bytes must not be negative, got %lld", (long long)max_bytes)));
  if (!usable(fd)) return fd_err("file_read", fd, EBADF);
  if (max_bytes == 0) return plat_ok(plat_w_ptr(plat_str_new("", 0)));
  fjob *j = job(OP_READ, NULL);
  j->fd = fd;
  j->max = max_bytes;
  run(j);
  if (j->r < 0) return fd_err("file_read", fd, j->err);
  return take_bytes(j);
}

plat_enum *plat_file_read_all(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_read_all");
  fjob *j = job(OP_READ_ALL, path);
  j->max = INT64_MAX;
  run(j);
  if (j->r < 0) return os_err("file_read_all", path->data, j->err);
  return take_bytes(j);
}

plat_enum *plat_file_write(int32_t fd, plat_str *data)
{
  if (!usable(fd)) return fd_err("file_write", fd, EBADF);
  if (data->len > INT32_MAX)
    return plat_err(plat_w_ptr(plat_str_fmt("file_write: data too large for one call (%lld bytes)", (long long)data->len)));
  if (fd == 1) plat_flush_stdout();
  if (data->len == 0) return plat_ok(0);
  fjob *j = job(OP_WRITE, NULL);
  j->fd = fd;
  j->data = data->data;
  j->keep[1] = data;
  j->len = data->len;
  run(j);
  if (j->r < 0) return fd_err("file_write", fd, j->err);
  return plat_ok(plat_w_i64(j->r));
}

plat_enum *plat_file_close(int32_t fd)
{
  if (!own_has(fd)) return fd_err("file_close", fd, EBADF);
  own_set(fd, false);
  /* Linux releases the descriptor even when close reports EINTR: never retry. */
  if (close(fd) < 0 && errno != EINTR) return fd_err("file_close", fd, errno);
  return plat_ok(1);
}

bool plat_file_exists(plat_str *path)
{
  if (bad_path(path)) return false;
  return run(job(OP_STAT, path))->r >= 0;
}

plat_enum *plat_file_size(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_size");
  fjob *j = run(job(OP_STAT, path));
  if (j->r < 0) return os_err("file_size", path->data, j->err);
  return plat_ok(plat_w_i64(j->r));
}

plat_enum *plat_file_delete(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_delete");
  fjob *j = run(job(OP_UNLINK, path));
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
  fjob *j = run(job(OP_DIR, path));
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
