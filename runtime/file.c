/* file.c -- file built-ins: file_open/read/read_all/write/close,
 * file_exists, file_size, file_delete, dir_list.
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
 *
 * LIMITATION: these calls block the worker thread that runs the task (a
 * later change moves them to a helper pool, LANGUAGE.md 8.6); they are
 * not cancellation points yet.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
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

static int open_retry(const char *path, int flags)
{
  int fd;
  do fd = open(path, flags | O_CLOEXEC, 0666); while (fd < 0 && errno == EINTR);
  return fd;
}

plat_enum *plat_file_open(plat_str *path, plat_str *mode)
{
  int flags = mode_flags(mode);
  if (flags < 0) {
    plat_str *q = mode->len > 16 ? plat_str_substring(mode, 0, 16) : mode;
    return plat_err(plat_w_ptr(plat_str_fmt("file_open: invalid mode \"%s\" (use r, w, a, r+, w+ or a+)", q->data)));
  }
  if (bad_path(path)) return nul_err("file_open");
  int fd = open_retry(path->data, flags);
  if (fd < 0) return os_err("file_open", path->data, errno);
  own_set(fd, true);
  return plat_ok(plat_w_i64(fd));
}

static bool usable(int fd) { return (fd >= 0 && fd <= 2) || own_has(fd); }

/* Read up to max bytes; regular files until max or EOF, other files
 * (pipes, terminals) return after the first read that yields data. */
static plat_enum *read_fd(const char *fn, const char *what, int fd, int64_t max)
{
  struct stat st;
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  int64_t cap = max < 65536 ? max : 65536, n = 0;
  if (regular && st.st_size > 0 && st.st_size < max) cap = st.st_size + 1;
  char *buf = malloc((size_t)cap);
  if (!buf) return plat_err(plat_w_ptr(plat_str_fmt("%s: out of memory", fn)));
  while (n < max) {
    if (n == cap) {
      int64_t ncap = cap * 2 < max ? cap * 2 : max;
      char *nb = realloc(buf, (size_t)ncap);
      if (!nb) { free(buf); return plat_err(plat_w_ptr(plat_str_fmt("%s: out of memory", fn))); }
      buf = nb;
      cap = ncap;
    }
    ssize_t r = read(fd, buf + n, (size_t)(cap - n));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      free(buf);
      return what ? os_err(fn, what, e) : fd_err(fn, fd, e);
    }
    if (r == 0) break;
    n += r;
    if (!regular) break;
  }
  plat_str *s = plat_str_new(buf, n);
  free(buf);
  return plat_ok(plat_w_ptr(s));
}

plat_enum *plat_file_read(int32_t fd, int64_t max_bytes)
{
  if (max_bytes < 0)
    return plat_err(plat_w_ptr(plat_str_fmt("file_read: max_bytes must not be negative, got %lld", (long long)max_bytes)));
  if (!usable(fd)) return fd_err("file_read", fd, EBADF);
  if (max_bytes == 0) return plat_ok(plat_w_ptr(plat_str_new("", 0)));
  return read_fd("file_read", NULL, fd, max_bytes);
}

plat_enum *plat_file_read_all(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_read_all");
  int fd = open_retry(path->data, O_RDONLY);
  if (fd < 0) return os_err("file_read_all", path->data, errno);
  plat_enum *r = read_fd("file_read_all", path->data, fd, INT64_MAX);
  close(fd);
  return r;
}

plat_enum *plat_file_write(int32_t fd, plat_str *data)
{
  if (!usable(fd)) return fd_err("file_write", fd, EBADF);
  if (data->len > INT32_MAX)
    return plat_err(plat_w_ptr(plat_str_fmt("file_write: data too large for one call (%lld bytes)", (long long)data->len)));
  if (fd == 1) plat_flush_stdout();
  const char *p = data->data;
  int64_t left = data->len;
  while (left > 0) {
    ssize_t w = write(fd, p, (size_t)left);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return fd_err("file_write", fd, errno);
    p += w;
    left -= w;
  }
  return plat_ok(plat_w_i64(data->len));
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
  struct stat st;
  return !bad_path(path) && stat(path->data, &st) == 0;
}

plat_enum *plat_file_size(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_size");
  struct stat st;
  if (stat(path->data, &st) < 0) return os_err("file_size", path->data, errno);
  return plat_ok(plat_w_i64(st.st_size));
}

plat_enum *plat_file_delete(plat_str *path)
{
  if (bad_path(path)) return nul_err("file_delete");
  if (unlink(path->data) < 0) return os_err("file_delete", path->data, errno);
  return plat_ok(1);
}

static int cmp_names(const void *a, const void *b)
{
  return plat_str_cmp(plat_ptr_w(*(const plat_word *)a), plat_ptr_w(*(const plat_word *)b));
}

plat_enum *plat_dir_list(plat_str *path)
{
  if (bad_path(path)) return nul_err("dir_list");
  DIR *d = opendir(path->data);
  if (!d) return os_err("dir_list", path->data, errno);
  plat_list *l = plat_list_new(8);
  struct dirent *e;
  for (;;) {
    errno = 0;
    if (!(e = readdir(d))) break;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    plat_list_push(l, plat_w_ptr(plat_str_cstr(e->d_name)));
  }
  int err = errno;
  closedir(d);
  if (err) return os_err("dir_list", path->data, err);
  qsort(l->items, (size_t)l->len, sizeof(plat_word), cmp_names);
  return plat_ok(plat_w_ptr(l));
}
