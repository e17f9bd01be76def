/* main.c -- the `plat` driver: command line and pipeline.
 *
 *   plat run FILE [--] [ARGS]   build (cached) and run; the program's exit
 *                               status becomes plat's (the binary is exec'd)
 *   plat build FILE [-o OUT] [-g] [--debug]
 *                               build an executable (default: FILE's stem)
 *   plat check FILE             parse and check only
 *   plat test FILE [-f GLOB]... [--timeout SECONDS] [--schedules N [--seed S]]
 *                               build in test mode and run the tests (the
 *                               options go to the program: runtime/testrun.c;
 *                               PLAT_TEST_FILE tells it FILE for replays)
 *   plat clean                  empty the run/test cache
 *   plat env                    where the runtime and the cache are
 *
 * Pipeline: read (bounded) -> parse_program -> check_program ->
 * emit_program -> cc.  The pieces live in drv_*.c (driver.h).
 */
#include "check.h"
#include "diag.h"
#include "driver.h"
#include "emit.h"
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *usage_text =
    "usage: plat <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  run FILE [--] [ARGS...]   build FILE (cached) and run it with ARGS\n"
    "  build FILE [-o OUT]       build an executable (default name: FILE without .plat)\n"
    "        [-g] [--debug]      with DWARF debug info at .plat lines (--debug: unoptimised)\n"
    "  check FILE                report errors without building\n"
    "  test FILE [-f GLOB]...    run FILE's test blocks (GLOB filters block::test names),\n"
    "       [--timeout SECONDS]  each in its own process, failing after SECONDS (default 10)\n"
    "       [--schedules N       each on N deterministic schedules (seeds S..S+N-1):\n"
    "        [--seed S]]         a failure prints its seed and the command replaying it\n"
    "  clean                     empty the cache of `run` and `test`\n"
    "  env                       show where the runtime and the cache are\n"
    "  help                      show this help\n"
    "  --version                 show the version\n"
    "\n"
    "environment: PLAT_CC (C compiler), PLAT_WORKERS (worker threads), PLAT_HOME (runtime),\n"
    "             PLAT_CACHE_DIR, PLAT_CACHE_MAX_MB, PLAT_KEEP_C, NO_COLOR,\n"
    "             PLAT_TRACE=FILE (a program writes a trace of its run)\n";

static void usage_error(const char *fmt, const char *arg) {
  fputs("plat: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nrun `plat help` for usage\n", stderr);
  exit(EXIT_USAGE);
}

/* ---- front to back ---------------------------------------------------- */

/* Parse, check and emit `src`; on compile errors exit 1.  Returns the C. */
static Buf compile(const char *path, const char *src, size_t len, bool test_mode, bool check_only) {
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

static Buf compile_to_c(const char *path, const char *src, size_t len, bool test_mode) {
  return compile(path, src, len, test_mode, false);
}

/* Run the executable open at `fd` with `args`; never returns. */
static void exec_program(int fd, const char *exe, char **args, int nargs) {
  char **argv = arena_alloc(sizeof(char *) * (size_t)(nargs + 2));
  argv[0] = (char *)exe;
  for (int i = 0; i < nargs; i++) argv[i + 1] = args[i];
  fflush(NULL);
  extern char **environ;
  fexecve(fd, argv, environ);
  drv_fail("cannot run %s: %s", exe, strerror(errno));
}

static void run_cached(const char *file, bool test_mode, char **args, int nargs) {
  Toolchain t = find_toolchain();
  size_t len;
  char *src = drv_read_source(file, &len);
  const char *exe;
  int fd = cache_get(&t, file, src, len, test_mode, compile_to_c, &exe);
  free(src);
  exec_program(fd, exe, args, nargs);
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
  BuildOpts o = {0};
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs an output path", "-o");
      out = argv[++i];
    } else if (strcmp(argv[i], "-g") == 0) {
      o.debug_info = true;
    } else if (strcmp(argv[i], "--debug") == 0) {
      o.debug_info = o.unoptimised = true;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      usage_error("unknown option `%s` for `plat build`", argv[i]);
    } else if (file) {
      usage_error("`plat build` takes one FILE, got another: `%s`", argv[i]);
    } else {
      file = argv[i];
    }
  }
  if (!file) usage_error("`%s` needs a FILE", "build");
  if (out && !*out) usage_error("`%s` needs an output path", "-o");
  const char *dest = out ? out : default_output(file);
  Toolchain t = find_toolchain();
  size_t len;
  char *src = drv_read_source(file, &len);
  const char *tmp = drv_output_begin(dest, file, out == NULL);
  Buf c = compile_to_c(file, src, len, false);
  cc_build(&t, &o, &c, tmp);
  drv_output_commit(tmp, dest);
  return 0;
}

static int cmd_run(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "run");
  int first = 3;
  if (first < argc && strcmp(argv[first], "--") == 0) first++;
  run_cached(file, false, argv + first, argc - first);
  return EXIT_INTERNAL;
}

static int cmd_check(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "check");
  if (argc > 3) usage_error("`plat check` takes one FILE, got another: `%s`", argv[3]);
  size_t len;
  char *src = drv_read_source(file, &len);
  compile(file, src, len, false, true);
  return 0;
}

/* SECONDS for --timeout: a number, 0 for no limit. */
static bool valid_seconds(const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  return *s && !*end && !errno && v >= 0 && v <= 1e6 && v == v;
}

/* A whole decimal number from lo to hi. */
static bool valid_number(const char *s, unsigned long long lo, unsigned long long hi) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  return *s && !*end && !errno && *s != '-' && v >= lo && v <= hi;
}

static int cmd_test(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "test");
  char **pass = arena_alloc(sizeof(char *) * (size_t)argc);
  int npass = 0;
  for (int i = 3; i < argc; i++) {
    if (strcmp(argv[i], "-f") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs a GLOB", "-f");
      pass[npass++] = argv[i];
      pass[npass++] = argv[++i];
    } else if (strcmp(argv[i], "--timeout") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs a number of SECONDS", "--timeout");
      if (!valid_seconds(argv[i + 1]))
        usage_error("--timeout takes a number of seconds (0 for no limit), not `%s`", argv[i + 1]);
      pass[npass++] = argv[i];
      pass[npass++] = argv[++i];
    } else if (strcmp(argv[i], "--schedules") == 0 || strcmp(argv[i], "--seed") == 0) {
      bool n = argv[i][2] == 's' && argv[i][3] == 'c';
      if (i + 1 >= argc) usage_error("`%s` needs a number", argv[i]);
      if (!valid_number(argv[i + 1], n ? 1 : 0, n ? 1000000000ull : 9223372036854775807ull))
        usage_error(n ? "--schedules takes a number from 1 to 1000000000, not `%s`"
                      : "--seed takes a number from 0 to 9223372036854775807, not `%s`", argv[i + 1]);
      pass[npass++] = argv[i];
      pass[npass++] = argv[++i];
      setenv("PLAT_TEST_FILE", file, 1);   /* for the replay command */
    } else {
      usage_error("unknown argument `%s` for `plat test` (filter with -f GLOB)", argv[i]);
    }
  }
  run_cached(file, true, pass, npass);
  return EXIT_INTERNAL;
}

static int cmd_env(void) {
  Toolchain t = find_toolchain();
  printf("plat %s\n", PLAT_VERSION);
  printf("runtime:  %s (%s)\n", t.home, t.how);
  printf("headers:  %s\n", t.include_dir);
  printf("cc:       %s\n", t.cc);
  cache_describe(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fputs(usage_text, stderr); return EXIT_USAGE; }
  drv_temp_init();
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
  if (strcmp(cmd, "clean") == 0 || strcmp(cmd, "env") == 0) {
    if (argc > 2) usage_error("`plat %s` takes no arguments", cmd);
    return cmd[0] == 'c' ? cache_clean() : cmd_env();
  }
  if (strcmp(cmd, "bench") == 0 || strcmp(cmd, "fmt") == 0)
    usage_error("`plat %s` is not available yet in this version", cmd);
  usage_error("unknown command `%s`", cmd);
  return EXIT_USAGE;
}
