/* drv_cache.c -- the executables `plat run` and `plat test` reuse.
 *
 * Directory: $PLAT_CACHE_DIR, else $XDG_CACHE_HOME/plat, else
 * ~/.cache/plat.  Entry: an executable named by a 128-bit hash of
 * everything that decides its bytes: the compiler itself (the contents of
 * its own executable), the runtime library, libgc.a and the runtime
 * headers (contents), the C compiler's name, resolved path, size and
 * modification time, the flags, the environment variables the C compiler
 * reads, the mode (run or test), the source path (it appears in panic
 * messages) and the source.  Nothing stale can be served: a change to
 * any of these is a different name.
 *
 * Concurrency: an entry is built under a temporary name (KEY.tmp-PID) and
 * renamed into place, so a reader sees a whole executable or none; the
 * caller gets an open descriptor (executed with fexecve), so an entry
 * evicted by another `plat` between lookup and exec still runs.
 *
 * Size bound: after inserting, entries beyond $PLAT_CACHE_MAX_MB
 * (default 256) MiB in total are removed least recently used first (a hit
 * sets the entry's mtime to now).  Temporaries older than an hour (a
 * killed build) are removed then too.  `plat clean` removes every entry.
 * Only names of this form are ever removed, whatever the directory holds.
 */
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_FORMAT "plat-cache-2"
#define DEFAULT_MAX_MB 256
#define KEY_HEX 32

/* ---- hashing: two independent 64-bit lanes, a word at a time ---- */

typedef struct Hash { uint64_t a, b; } Hash;

static void mix(Hash *h, uint64_t w) {
  h->a = (h->a ^ w) * 0x9e3779b97f4a7c15ull;
  h->a ^= h->a >> 29;
  h->b = (h->b + w) * 0xc2b2ae3d27d4eb4full;
  h->b = (h->b << 31) | (h->b >> 33);
}

/* One field: its bytes then its length, so fields cannot run together. */
static void h_field(Hash *h, const void *p, size_t n) {
  const unsigned char *s = p;
  size_t left = n;
  for (; left >= 8; s += 8, left -= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    mix(h, w);
  }
  uint64_t w = 0;
  memcpy(&w, s, left);
  mix(h, w);
  mix(h, (uint64_t)n ^ 0xff51afd7ed558ccdull);
}

static void h_str(Hash *h, const char *s) { h_field(h, s ? s : "", s ? strlen(s) + 1 : 0); }

static void h_file(Hash *h, const char *path) {
  size_t n;
  char *data = drv_slurp(path, &n);
  h_str(h, path);
  if (!data) {
    h_str(h, arena_printf("unreadable:%d", errno));
    return;
  }
  h_field(h, data, n);
  free(data);
}

static uint64_t fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  return k ^ (k >> 33);
}

static int by_name(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* Every header of the runtime, in name order. */
static void h_headers(Hash *h, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) { h_str(h, "no headers"); return; }
  char *names[256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 256) {
    size_t l = strlen(e->d_name);
    if (l > 2 && strcmp(e->d_name + l - 2, ".h") == 0) names[n++] = arena_strndup(e->d_name, l);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, by_name);
  for (int i = 0; i < n; i++) h_file(h, arena_printf("%s/%s", dir, names[i]));
}

/* The C compiler as found on PATH: its path, size and mtime. */
static void h_cc(Hash *h, const char *cc) {
  h_str(h, cc);
  const char *path = NULL;
  if (strchr(cc, '/')) path = cc;
  const char *env = getenv("PATH");
  for (const char *p = env; !path && p && *p;) {
    const char *colon = strchr(p, ':');
    size_t n = colon ? (size_t)(colon - p) : strlen(p);
    const char *cand = arena_printf("%.*s/%s", (int)n, n ? p : ".", cc);
    if (access(cand, X_OK) == 0) path = cand;
    p = colon ? colon + 1 : NULL;
  }
  struct stat st;
  if (path && stat(path, &st) == 0) {
    h_str(h, path);
    uint64_t v[3] = {(uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec};
    h_field(h, v, sizeof v);
  }
}

static const char *cache_key(const Toolchain *t, const char *path, const char *src, size_t len, bool test_mode) {
  Hash h = {0x243f6a8885a308d3ull, 0x13198a2e03707344ull};
  h_str(&h, CACHE_FORMAT);
  h_file(&h, "/proc/self/exe");
  h_str(&h, PLAT_VERSION);
  const char *flags[32];
  int n = cc_flags(t, NULL, flags, 32);
  for (int i = 0; i < n; i++) h_str(&h, flags[i]);
  h_str(&h, "-lpthread -lm");
  h_cc(&h, t->cc);
  h_file(&h, t->rtlib);
  h_file(&h, t->gclib);
  h_headers(&h, t->include_dir);
  const char *envs[] = {"C_INCLUDE_PATH", "CPATH", "LIBRARY_PATH", "GCC_EXEC_PREFIX", "COMPILER_PATH"};
  for (size_t i = 0; i < sizeof envs / sizeof *envs; i++) h_str(&h, getenv(envs[i]));
  h_str(&h, test_mode ? "test" : "run");
  h_str(&h, path);
  h_field(&h, src, len);
  return arena_printf("%016llx%016llx", (unsigned long long)fmix(h.a ^ fmix(h.b)),
                      (unsigned long long)fmix(h.b + 0x9e3779b97f4a7c15ull));
}

/* ---- the directory ---- */

const char *cache_dir(void) {
  const char *d = getenv("PLAT_CACHE_DIR");
  if (d && *d) return d;
  d = getenv("XDG_CACHE_HOME");
  if (d && *d) return arena_printf("%s/plat", d);
  d = getenv("HOME");
  if (d && *d) return arena_printf("%s/.cache/plat", d);
  return NULL;
}

static uint64_t cache_limit(void) {
  const char *e = getenv("PLAT_CACHE_MAX_MB");
  if (!e || !*e) return (uint64_t)DEFAULT_MAX_MB << 20;
  char *end;
  errno = 0;
  double v = strtod(e, &end);
  if (*end || errno || !(v >= 0) || v > 1e9)
    drv_die(EXIT_USAGE, "PLAT_CACHE_MAX_MB must be a number of MiB (0 or more), not `%s`", e);
  return (uint64_t)(v * (1 << 20));
}

static bool mkdir_p(const char *path) {
  char *p = arena_strndup(path, strlen(path));
  for (char *q = p + 1; *q; q++) {
    if (*q != '/') continue;
    *q = 0;
    if (mkdir(p, 0755) != 0 && errno != EEXIST) return false;
    *q = '/';
  }
  return mkdir(p, 0755) == 0 || errno == EEXIST;
}

static bool is_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  return true;
}

/* 1: an entry, 2: a temporary, 0: not ours. */
static int entry_kind(const char *name) {
  size_t n = strlen(name);
  if (n < KEY_HEX || !is_hex(name, KEY_HEX)) return 0;
  if (n == KEY_HEX) return 1;
  return strncmp(name + KEY_HEX, ".tmp-", 5) == 0 ? 2 : 0;
}

typedef struct Entry { char *path; uint64_t size; int64_t mtime_ns; } Entry;

static int by_age(const void *x, const void *y) {
  const Entry *a = x, *b = y;
  return a->mtime_ns < b->mtime_ns ? -1 : a->mtime_ns > b->mtime_ns;
}

/* Every entry of the cache (temporaries older than an hour are removed). */
static Entry *scan(const char *dir, int *count, uint64_t *total) {
  *count = 0;
  *total = 0;
  DIR *d = opendir(dir);
  if (!d) return NULL;
  int cap = 64;
  Entry *es = malloc(sizeof *es * (size_t)cap);
  time_t now = time(NULL);
  struct dirent *e;
  while (es && (e = readdir(d))) {
    int kind = entry_kind(e->d_name);
    if (!kind) continue;
    char *p = arena_printf("%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (kind == 2) {
      if (now - st.st_mtime > 3600) unlink(p);
      continue;
    }
    if (*count == cap) es = realloc(es, sizeof *es * (size_t)(cap *= 2));
    if (!es) break;
    es[(*count)++] = (Entry){p, (uint64_t)st.st_size, (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    *total += (uint64_t)st.st_size;
  }
  closedir(d);
  return es;
}

static void evict(const char *dir, const char *keep) {
  uint64_t limit = cache_limit(), total;
  int n;
  Entry *es = scan(dir, &n, &total);
  if (!es) return;
  qsort(es, (size_t)n, sizeof *es, by_age);
  for (int i = 0; i < n && total > limit; i++) {
    if (strcmp(es[i].path, keep) == 0) continue;
    if (unlink(es[i].path) == 0 || errno == ENOENT) total -= es[i].size;
  }
  free(es);
}

/* ---- lookup and insertion ---- */

/* Build into a temporary directory when there is no writable cache: the
 * file is unlinked once open, so nothing is left behind. */
static int build_uncached(const Toolchain *t, Buf *c, const char **exe) {
  const char *dir = drv_make_temp_dir();
  char *path = arena_printf("%s/program", dir);
  drv_temp_file(path);
  BuildOpts o = {0};
  cc_build(t, &o, c, path);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) drv_fail("cannot open %s: %s", path, strerror(errno));
  unlink(path);
  rmdir(dir);
  *exe = path;
  return fd;
}

int cache_get(const Toolchain *t, const char *path, const char *src, size_t len, bool test_mode,
              Buf (*emit)(void *ctx, const char *path, const char *src, size_t len, bool test_mode),
              void *ctx, const char **exe) {
  const char *dir = cache_dir();
  (void)cache_limit();                    /* a bad PLAT_CACHE_MAX_MB is an error at once */
  const char *key = cache_key(t, path, src, len, test_mode);
  char *entry = dir && mkdir_p(dir) ? arena_printf("%s/%s", dir, key) : NULL;
  int fd = entry ? open(entry, O_RDONLY | O_CLOEXEC) : -1;
  if (fd >= 0) {
    futimens(fd, NULL);                   /* recently used */
    *exe = entry;
    return fd;
  }
  Buf c = emit(ctx, path, src, len, test_mode);
  if (!entry || access(dir, W_OK) != 0) return build_uncached(t, &c, exe);
  char *tmp = arena_printf("%s.tmp-%d", entry, (int)getpid());
  drv_temp_file(tmp);
  BuildOpts o = {0};
  cc_build(t, &o, &c, tmp);
  buf_free(&c);
  fd = open(tmp, O_RDONLY | O_CLOEXEC);
  if (fd < 0) drv_fail("cannot open %s: %s", tmp, strerror(errno));
  if (rename(tmp, entry) == 0) {
    drv_temp_forget(tmp);
    evict(dir, entry);
  } else {
    unlink(tmp);
  }
  *exe = entry;
  return fd;
}

int cache_clean(void) {
  const char *dir = cache_dir();
  if (!dir) {
    fputs("plat: no cache directory (set HOME or PLAT_CACHE_DIR)\n", stderr);
    return 0;
  }
  int n, removed = 0;
  uint64_t total, freed = 0;
  Entry *es = scan(dir, &n, &total);
  for (int i = 0; i < n; i++)
    if (unlink(es[i].path) == 0) { removed++; freed += es[i].size; }
  free(es);
  DIR *d = opendir(dir);                  /* temporaries of any age */
  for (struct dirent *e; d && (e = readdir(d));)
    if (entry_kind(e->d_name) == 2) unlink(arena_printf("%s/%s", dir, e->d_name));
  if (d) closedir(d);
  rmdir(dir);                             /* only if nothing else is there */
  printf("plat: removed %d cached executable%s (%.1f MiB) from %s\n", removed, removed == 1 ? "" : "s",
         (double)freed / (1 << 20), dir);
  return 0;
}

void cache_describe(FILE *f) {
  const char *dir = cache_dir();
  int n = 0;
  uint64_t total = 0;
  Entry *es = dir ? scan(dir, &n, &total) : NULL;
  free(es);
  fprintf(f, "cache:    %s (%d executables, %.1f MiB; limit %.1f MiB, PLAT_CACHE_MAX_MB)\n",
          dir ? dir : "(none: HOME unset)", n, (double)total / (1 << 20), (double)cache_limit() / (1 << 20));
}
