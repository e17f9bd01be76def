/* drv_files.c -- the driver's files: sources, the executable, temporaries.
 *
 * Sources are read with a bound (PLAT_MAX_SOURCE), whatever the file is:
 * `plat check /dev/zero` stops at the bound with a message.
 *
 * The executable is never written over the source (compared by device and
 * inode, so another path, a symlink or a hard link to it is caught), over
 * a directory, or over an existing file that is not an ELF executable.  The
 * C compiler writes a temporary file in the output's directory, renamed
 * into place at the end: a failed build leaves the old output intact, a
 * running program can be replaced, and a missing or read-only directory is
 * reported before any compiling, naming the path and the OS reason.
 *
 * Temporaries (the generated C, the compiler log, the temporary output)
 * are registered here and removed by an atexit hook and by the handlers of
 * SIGINT, SIGTERM and SIGHUP (and of the signals of a crash), which also
 * kill the running C compiler's process group, then re-raise the signal.  State: the `temps` table and
 * `child`, owned by this file; the handler only reads them (entries are
 * published before the path exists).
 */
#include "driver.h"

#include <errno.h>
#include <setjmp.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- errors: unwind to the entry point, which returns the status ---- */
static jmp_buf *trap;        /* the innermost drv_protect (single-threaded) */
static int trap_status;      /* the status of the error unwinding to it */

int drv_protect(int (*body)(void *ctx), void *ctx) {
  jmp_buf here, *saved = trap;
  jmp_buf *saved_ice = diag_set_ice_trap(&here);
  int saved_status = trap_status;
  trap = &here;
  trap_status = 0;
  volatile int st;
  if (setjmp(here) == 0) st = body(ctx);
  else st = trap_status ? trap_status : EXIT_INTERNAL;   /* 0: diag_ice */
  trap = saved;
  trap_status = saved_status;
  diag_set_ice_trap(saved_ice);
  return st;
}

static __attribute__((noreturn)) void vdie(int status, const char *fmt, va_list ap) {
  fputs("plat: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  trap_status = status;
  if (trap) longjmp(*trap, 1);
  abort();                   /* a driver error outside any entry point: a bug */
}

void drv_die(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdie(status, fmt, ap);
}

void drv_fail_status(int status) {
  trap_status = status;
  if (trap) longjmp(*trap, 1);
  abort();
}

void drv_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdie(EXIT_COMPILE, fmt, ap);
}

/* ---- reading ---- */

static void too_big(const char *path) {
  drv_fail("%s is larger than %zu MiB, the limit for a Plat source file", path, PLAT_MAX_SOURCE >> 20);
}

char *drv_read_source(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) drv_fail("cannot read %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) drv_fail("cannot read %s: it is a directory", path);
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > PLAT_MAX_SOURCE) too_big(path);
  }
  Buf b = {0};
  char tmp[65536];
  for (;;) {
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) drv_fail("cannot read %s: %s", path, strerror(errno));
    if (n == 0) break;
    if (b.len + (size_t)n > PLAT_MAX_SOURCE) too_big(path);
    buf_put(&b, tmp, (size_t)n);
  }
  close(fd);
  if (!b.data) buf_put(&b, "", 0);
  *len = b.len;
  return b.data;
}

char *drv_slurp(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  Buf b = {0};
  char tmp[65536];
  ssize_t n;
  while ((n = read(fd, tmp, sizeof tmp)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) { int e = errno; close(fd); buf_free(&b); errno = e; return NULL; }
    buf_put(&b, tmp, (size_t)n);
  }
  close(fd);
  if (!b.data) buf_put(&b, "", 0);
  *len = b.len;
  return b.data;
}

bool drv_write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return false;
  bool ok = fwrite(data, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

/* ---- temporaries ---- */

enum { MAX_TEMPS = 16 };
static struct { char *path; bool dir; } temps[MAX_TEMPS];
static volatile sig_atomic_t ntemps;
static volatile pid_t child;              /* the C compiler, its own group */

static void remove_temps(void) {
  if (child > 0) {
    kill(-child, SIGKILL);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
  }
  for (int pass = 0; pass < 2; pass++)      /* files, then directories */
    for (int i = ntemps - 1; i >= 0; i--) {
      if (!temps[i].path || temps[i].dir != (pass == 1)) continue;
      if (temps[i].dir) rmdir(temps[i].path);
      else unlink(temps[i].path);
    }
}

static void on_signal(int sig) {
  remove_temps();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void at_exit(void) { remove_temps(); }

void drv_temp_init(void) {
  static bool done;
  if (done) return;
  done = true;
  atexit(at_exit);
  /* the last five only if the compiler itself crashed: clean up, then die */
  int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sigs[i], &sa, NULL);
  }
}

static void add_temp(const char *path, bool dir) {
  drv_temp_init();
  if (ntemps == MAX_TEMPS) return;
  char *p = strdup(path);
  if (!p) return;
  temps[ntemps].path = p;
  temps[ntemps].dir = dir;
  ntemps = ntemps + 1;
}

void drv_temp_file(const char *path) { add_temp(path, false); }
void drv_temp_dir(const char *path) { add_temp(path, true); }
void drv_temp_child(pid_t pid) { child = pid; }

void drv_temp_forget(const char *path) {
  for (int i = 0; i < ntemps; i++)
    if (temps[i].path && strcmp(temps[i].path, path) == 0) temps[i].path = NULL;
}

bool drv_keep_c(void) {
  const char *k = getenv("PLAT_KEEP_C");
  return k && *k && strcmp(k, "0") != 0;
}

const char *drv_make_temp_dir(void) {
  const char *tmpdir = getenv("TMPDIR");
  if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
  char *dir = arena_printf("%s/plat-XXXXXX", tmpdir);
  drv_temp_init();
  if (!mkdtemp(dir)) drv_fail("cannot create a temporary directory in %s: %s", tmpdir, strerror(errno));
  if (!drv_keep_c()) drv_temp_dir(dir);
  return dir;
}

/* ---- the executable's destination ---- */

static bool is_elf(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == EACCES;     /* unreadable: let the rename decide */
  char m[4] = {0};
  ssize_t n = read(fd, m, 4);
  close(fd);
  return n == 0 || (n == 4 && memcmp(m, "\177ELF", 4) == 0);
}

const char *drv_output_begin(const char *out, const char *src, bool defaulted) {
  struct stat ss, os, ls;
  if (stat(src, &ss) == 0 && stat(out, &os) == 0 && ss.st_dev == os.st_dev && ss.st_ino == os.st_ino) {
    if (defaulted)
      drv_fail("the executable's default name `%s` is the source file itself; name the output with -o OUT",
               out);
    drv_fail("-o %s names the source file %s; choose another output", out, src);
  }
  char real[PATH_MAX];
  if (lstat(out, &ls) == 0 && S_ISLNK(ls.st_mode) && realpath(out, real)) out = arena_strndup(real, strlen(real));
  if (stat(out, &os) == 0) {
    if (S_ISDIR(os.st_mode)) drv_fail("cannot write the executable to %s: it is a directory", out);
    if (!S_ISREG(os.st_mode)) drv_fail("cannot write the executable to %s: it is not a regular file", out);
    if (!is_elf(out))
      drv_fail("refusing to overwrite %s: it exists and is not an executable (remove it or choose another output)",
               out);
  }
  const char *slash = strrchr(out, '/');
  const char *dir = slash ? (slash == out ? "/" : arena_strndup(out, (size_t)(slash - out))) : ".";
  const char *base = slash ? slash + 1 : out;
  if (!*base) drv_fail("cannot write the executable to %s: it names a directory", out);
  char *tmp = arena_printf("%s/.%s.plat-XXXXXX", dir, base);
  drv_temp_init();
  int fd = mkstemp(tmp);
  if (fd < 0) drv_fail("cannot write the executable %s: %s", out, strerror(errno));
  close(fd);
  drv_temp_file(tmp);
  return tmp;
}

void drv_output_commit(const char *tmp, const char *out) {
  struct stat ls;
  char real[PATH_MAX];
  if (lstat(out, &ls) == 0 && S_ISLNK(ls.st_mode) && realpath(out, real)) out = real;
  mode_t mask = umask(0);
  umask(mask);
  if (chmod(tmp, 0777 & ~mask) != 0 || rename(tmp, out) != 0)
    drv_fail("cannot write the executable %s: %s", out, strerror(errno));
  drv_temp_forget(tmp);
}
