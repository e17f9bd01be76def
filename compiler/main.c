/* main.c -- the `plat` driver: command line, pipeline, C compiler, cache.
 *
 *   plat run FILE [--] [ARGS]   build (cached) and run; the program's exit
 *                               status becomes plat's (the binary is exec'd)
 *   plat build FILE [-o OUT]    build an executable (default: FILE's stem)
 *   plat check FILE             parse and check only
 *   plat test FILE [-f GLOB]... [--schedules N [--seed S]]
 *                               build in test mode and run the tests; with
 *                               --schedules, each test on N deterministic
 *                               schedules (seeds S.. S+N-1, default S = 1),
 *                               passed to the program as PLAT_SCHEDULES,
 *                               PLAT_SEED and PLAT_TEST_FILE (runtime/testrun.c)
 *
 * Pipeline: read -> parse_program -> check_program -> emit_program -> cc.
 * Exit status 1 on compile errors, 2 on usage errors, 70 on internal errors.
 *
 * The runtime is found next to the plat executable: DIR/libplatrt.a and
 * the headers in DIR/../runtime, where DIR is build/ (PLAT_HOME=<repo> overrides).
 * PLAT_VARIANT=asan|tsan links DIR/<variant>/libplatrt.a and compiles the
 * program with the same sanitizer.  PLAT_CC overrides the C compiler.
 *
 * Cache (plat run, plat test): executables are kept in $PLAT_CACHE_DIR, else
 * $XDG_CACHE_HOME/plat, else ~/.cache/plat, named by a hash of the source,
 * the compiler version, the mode, the C compiler and flags, and the
 * runtime library's size and mtime.
 */
#include "check.h"
#include "diag.h"
#include "emit.h"
#include "parse.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PLAT_VERSION "0.1.0"

enum { EXIT_COMPILE = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 70 };

static const char *usage_text =
    "usage: plat <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  run FILE [--] [ARGS...]   build FILE (cached) and run it with ARGS\n"
    "  build FILE [-o OUT]       build an executable (default name: FILE without .plat)\n"
    "  check FILE                report errors without building\n"
    "  test FILE [-f GLOB]...    run FILE's test blocks (GLOB filters block::test names)\n"
    "       [--schedules N [--seed S]]  each test on N deterministic schedules\n"
    "                            (seeds S..S+N-1, default S = 1): a failure prints\n"
    "                            its seed and the command that replays it\n"
    "  help                      show this help\n"
    "  --version                 show the version\n"
    "\n"
    "environment: PLAT_CC (C compiler), PLAT_WORKERS (worker threads),\n"
    "             PLAT_CACHE_DIR, NO_COLOR, PLAT_TRACE=FILE (write a trace of the run)\n";

static void usage_error(const char *fmt, const char *arg) {
  fputs("plat: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nrun `plat help` for usage\n", stderr);
  exit(EXIT_USAGE);
}

/* ---- files ---------------------------------------------------------- */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  Buf b = {0};
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) buf_put(&b, tmp, n);
  int err = ferror(f);
  fclose(f);
  if (err) { buf_free(&b); errno = EIO; return NULL; }
  if (!b.data) buf_put(&b, "", 0);
  *len = b.len;
  return b.data;
}

static bool write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return false;
  bool ok = fwrite(data, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

/* ---- locating the runtime ------------------------------------------ */

typedef struct Toolchain {
  const char *cc;
  const char *include_dir;    /* runtime headers */
  const char *rtlib;          /* libplatrt.a */
  const char *variant;        /* NULL, "asan" or "tsan" */
} Toolchain;

static char *dir_of_self(void) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return NULL;
  buf[n] = 0;
  char *slash = strrchr(buf, '/');
  if (slash) *slash = 0;
  return arena_strndup(buf, strlen(buf));
}

static Toolchain find_toolchain(void) {
  Toolchain t = {0};
  const char *cc = getenv("PLAT_CC");
  t.cc = cc && *cc ? cc : "cc";
  const char *v = getenv("PLAT_VARIANT");
  if (v && *v && strcmp(v, "release") != 0) {
    if (strcmp(v, "asan") != 0 && strcmp(v, "tsan") != 0) {
      fprintf(stderr, "plat: PLAT_VARIANT must be asan or tsan, not `%s`\n", v);
      exit(EXIT_USAGE);
    }
    t.variant = v;
  }
  const char *home = getenv("PLAT_HOME");
  const char *bdir = home && *home ? arena_printf("%s/build", home) : dir_of_self();
  if (!bdir) {
    fputs("plat: cannot locate the runtime (set PLAT_HOME to the Plat directory)\n", stderr);
    exit(EXIT_INTERNAL);
  }
  t.include_dir = arena_printf("%s/../runtime", bdir);
  t.rtlib = t.variant ? arena_printf("%s/%s/libplatrt.a", bdir, t.variant)
                      : arena_printf("%s/libplatrt.a", bdir);
  struct stat st;
  if (stat(t.rtlib, &st) != 0) {
    fprintf(stderr, "plat: runtime library not found at %s: %s\n"
                    "help: build it with `make%s`\n",
            t.rtlib, strerror(errno), t.variant ? arena_printf(" rt VARIANT=%s", t.variant) : "");
    exit(EXIT_INTERNAL);
  }
  return t;
}

/* ---- front to back ---------------------------------------------------- */

/* Parse, check and emit `path`; on compile errors exit 1.  Returns the C. */
static Buf compile_to_c(const char *path, bool test_mode, bool check_only) {
  size_t len;
  char *src = read_file(path, &len);
  if (!src) {
    fprintf(stderr, "plat: cannot read %s: %s\n", path, strerror(errno));
    exit(EXIT_COMPILE);
  }
  diag_init(path, src, len);
  Program *p = parse_program(path, src, len);
  if (diag_error_count() == 0) check_program(p, test_mode);
  int errors = diag_error_count();
  if (errors) {
    fprintf(stderr, "plat: %d error%s in %s\n", errors, errors == 1 ? "" : "s", path);
    exit(EXIT_COMPILE);
  }
  Buf c = {0};
  if (!check_only) {
    EmitOptions opt = { .test_mode = test_mode };
    emit_program(p, &c, &opt);
  }
  return c;
}

static void add_arg(char **argv, int *argc, const char *s) { argv[(*argc)++] = (char *)s; }

/* Compile generated C to `out`.  A C compiler failure is an internal
 * error: the generated file is kept for inspection. */
static void cc_build(const Toolchain *t, Buf *c, const char *out) {
  const char *tmpdir = getenv("TMPDIR");
  char *dir = arena_printf("%s/plat-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (!mkdtemp(dir)) {
    fprintf(stderr, "plat: cannot create a temporary directory in %s: %s\n",
            tmpdir ? tmpdir : "/tmp", strerror(errno));
    exit(EXIT_INTERNAL);
  }
  char *cfile = arena_printf("%s/program.c", dir);
  char *log = arena_printf("%s/cc.log", dir);
  if (!write_file(cfile, c->data ? c->data : "", c->len)) {
    fprintf(stderr, "plat: cannot write %s: %s\n", cfile, strerror(errno));
    exit(EXIT_INTERNAL);
  }
  char *argv[40];
  int argc = 0;
  add_arg(argv, &argc, t->cc);
  const char *flags[] = {"-std=gnu11", "-O2", "-fwrapv", "-fno-strict-aliasing", "-w", "-pthread"};
  for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) add_arg(argv, &argc, flags[i]);
  if (t->variant && strcmp(t->variant, "asan") == 0) {
    add_arg(argv, &argc, "-g");
    add_arg(argv, &argc, "-fsanitize=address,undefined");
    add_arg(argv, &argc, "-fno-omit-frame-pointer");
  } else if (t->variant) {
    add_arg(argv, &argc, "-g");
    add_arg(argv, &argc, "-fsanitize=thread");
  }
  add_arg(argv, &argc, arena_printf("-I%s", t->include_dir));
  add_arg(argv, &argc, "-o");
  add_arg(argv, &argc, out);
  add_arg(argv, &argc, cfile);
  add_arg(argv, &argc, t->rtlib);
  add_arg(argv, &argc, "-lgc");
  add_arg(argv, &argc, "-lpthread");
  add_arg(argv, &argc, "-lm");
  argv[argc] = NULL;

  pid_t pid = fork();
  if (pid < 0) { perror("plat: fork"); exit(EXIT_INTERNAL); }
  if (pid == 0) {
    FILE *lf = freopen(log, "w", stderr);
    (void)lf;
    if (dup2(2, 1) < 0) _exit(127);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run the C compiler `%s`: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    size_t n;
    char *msg = read_file(log, &n);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && msg && strstr(msg, "cannot run")) {
      fprintf(stderr, "plat: %s", msg);
      fputs("help: install a C compiler (apt-get install gcc) or set PLAT_CC\n", stderr);
      exit(EXIT_INTERNAL);
    }
    fprintf(stderr, "plat: internal compiler error: the C compiler rejected the generated code\n"
                    "  generated C kept at %s\n", cfile);
    if (msg) {
      /* the first lines are enough to file a bug */
      int lines = 0;
      for (char *q = msg; *q && lines < 20; q++) { fputc(*q, stderr); if (*q == '\n') lines++; }
    }
    exit(EXIT_INTERNAL);
  }
  unlink(cfile);
  unlink(log);
  rmdir(dir);
}

/* ---- cache ------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 1099511628211ull; }
  return h;
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

static const char *cache_dir(void) {
  const char *d = getenv("PLAT_CACHE_DIR");
  if (d && *d) return d;
  d = getenv("XDG_CACHE_HOME");
  if (d && *d) return arena_printf("%s/plat", d);
  d = getenv("HOME");
  if (d && *d) return arena_printf("%s/.cache/plat", d);
  return NULL;
}

/* The cached executable for `path` in `mode`, building it when missing. */
static const char *cached_build(const Toolchain *t, const char *path, bool test_mode) {
  size_t len;
  char *src = read_file(path, &len);
  if (!src) {
    fprintf(stderr, "plat: cannot read %s: %s\n", path, strerror(errno));
    exit(EXIT_COMPILE);
  }
  struct stat st;
  stat(t->rtlib, &st);
  const char *dir = cache_dir();
  char *key = arena_printf("%s|%d|%s|%s|%s|%lld|%lld|%s", PLAT_VERSION, test_mode, t->cc,
                           t->variant ? t->variant : "", t->rtlib, (long long)st.st_size,
                           (long long)st.st_mtime, path);
  /* Two independent 64-bit hashes make an accidental collision negligible. */
  uint64_t h1 = fnv1a(fnv1a(1469598103934665603ull, key, strlen(key)), src, len);
  uint64_t h2 = fnv1a(fnv1a(0x9e3779b97f4a7c15ull, src, len), key, strlen(key));
  free(src);
  if (dir && mkdir_p(dir)) {
    char *exe = arena_printf("%s/%016llx%016llx", dir, (unsigned long long)h1, (unsigned long long)h2);
    if (access(exe, X_OK) == 0) return exe;
    Buf c = compile_to_c(path, test_mode, false);
    char *tmp = arena_printf("%s.tmp%d", exe, (int)getpid());
    cc_build(t, &c, tmp);
    if (rename(tmp, exe) == 0) return exe;
    return tmp;
  }
  /* no usable cache directory: build into a temporary file */
  Buf c = compile_to_c(path, test_mode, false);
  const char *tmpdir = getenv("TMPDIR");
  char *exe = arena_printf("%s/plat-run-%d", tmpdir && *tmpdir ? tmpdir : "/tmp", (int)getpid());
  cc_build(t, &c, exe);
  return exe;
}

static void exec_program(const char *exe, char **args, int nargs) {
  char **argv = arena_alloc(sizeof(char *) * (size_t)(nargs + 2));
  argv[0] = (char *)exe;
  for (int i = 0; i < nargs; i++) argv[i + 1] = args[i];
  fflush(NULL);
  execv(exe, argv);
  fprintf(stderr, "plat: cannot run %s: %s\n", exe, strerror(errno));
  exit(EXIT_INTERNAL);
}

/* ---- commands ------------------------------------------------------------ */

static const char *require_file(int argc, char **argv, int i, const char *cmd) {
  if (i >= argc) usage_error("`%s` needs a FILE", cmd);
  if (argv[i][0] == '-' && argv[i][1]) usage_error("unexpected option `%s` before FILE", argv[i]);
  return argv[i];
}

static const char *default_output(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".plat") == 0) n -= 5;
  if (n == 0) return "a.out";
  return arena_strndup(base, n);
}

static int cmd_build(int argc, char **argv) {
  const char *file = NULL, *out = NULL;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs an output path", "-o");
      out = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1]) {
      usage_error("unknown option `%s` for `plat build`", argv[i]);
    } else if (file) {
      usage_error("`plat build` takes one FILE, got another: `%s`", argv[i]);
    } else {
      file = argv[i];
    }
  }
  if (!file) usage_error("`%s` needs a FILE", "build");
  Toolchain t = find_toolchain();
  Buf c = compile_to_c(file, false, false);
  cc_build(&t, &c, out ? out : default_output(file));
  return 0;
}

static int cmd_run(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "run");
  int first = 3;
  if (first < argc && strcmp(argv[first], "--") == 0) first++;
  Toolchain t = find_toolchain();
  const char *exe = cached_build(&t, file, false);
  exec_program(exe, argv + first, argc - first);
  return EXIT_INTERNAL;
}

static int cmd_check(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "check");
  if (argc > 3) usage_error("`plat check` takes one FILE, got another: `%s`", argv[3]);
  compile_to_c(file, false, true);
  return 0;
}

/* A whole decimal number from lo to hi, or a usage error naming opt. */
static const char *number_arg(const char *opt, const char *s, unsigned long long lo, unsigned long long hi) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || errno || *s == '-' || v < lo || v > hi)
    usage_error(arena_printf("`%s` needs a number from %llu to %llu, not `%%s`", opt, lo, hi), s);
  return s;
}

static int cmd_test(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "test");
  char **globs = arena_alloc(sizeof(char *) * (size_t)argc);
  int nglobs = 0;
  const char *schedules = NULL, *seed = NULL;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "-f") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs a GLOB", "-f");
      globs[nglobs++] = argv[++i];
    } else if (strcmp(argv[i], "--schedules") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs a number", "--schedules");
      schedules = number_arg("--schedules", argv[++i], 1, 1000000000);
    } else if (strcmp(argv[i], "--seed") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs a number", "--seed");
      seed = number_arg("--seed", argv[++i], 0, 18446744073709551615ull);
    } else {
      usage_error("unknown argument `%s` for `plat test` (filter with -f GLOB)", argv[i]);
    }
  }
  if (schedules || seed) {              /* runtime/testrun.c reads these */
    setenv("PLAT_SCHEDULES", schedules ? schedules : "1", 1);
    setenv("PLAT_SEED", seed ? seed : "1", 1);
    setenv("PLAT_TEST_FILE", file, 1);
  }
  Toolchain t = find_toolchain();
  const char *exe = cached_build(&t, file, true);
  exec_program(exe, globs, nglobs);
  return EXIT_INTERNAL;
}

int main(int argc, char **argv) {
  if (argc < 2) { fputs(usage_text, stderr); return EXIT_USAGE; }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("plat %s\n", PLAT_VERSION);
    return 0;
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(usage_text, stdout);
    return 0;
  }
  if (strcmp(cmd, "run") == 0) return cmd_run(argc, argv);
  if (strcmp(cmd, "build") == 0) return cmd_build(argc, argv);
  if (strcmp(cmd, "check") == 0) return cmd_check(argc, argv);
  if (strcmp(cmd, "test") == 0) return cmd_test(argc, argv);
  if (strcmp(cmd, "bench") == 0 || strcmp(cmd, "fmt") == 0)
    usage_error("`plat %s` is not available yet in this version", cmd);
  usage_error("unknown command `%s`", cmd);
  return EXIT_USAGE;
}
