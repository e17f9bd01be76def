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
 * emit_program -> cc.  The driver is a library (driver.h, drv_*.c) whose
 * commands return an exit status; this file parses the command line and
 * is the only one that exits.
 */
#include "driver.h"

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
    "  check FILE [--json]       report errors without building (--json: as JSON on stdout)\n"
    "  test FILE [-f GLOB]...    run FILE's test blocks (GLOB filters block::test names),\n"
    "       [--timeout SECONDS]  each in its own process, failing after SECONDS (default 10)\n"
    "       [--schedules N       each on N deterministic schedules (seeds S..S+N-1):\n"
    "        [--seed S]]         a failure prints its seed and the command replaying it\n"
    "  clean                     empty the cache of `run` and `test`\n"
    "  env                       show where the runtime and the cache are\n"
    "  help                      show this help\n"
    "  --version                 show the version\n"
    "\n"
    "options: --color=auto|always|never   colour of diagnostics (auto: on a terminal,\n"
    "                                     unless NO_COLOR is set or TERM=dumb)\n"
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

/* ---- commands: the arguments, then one call into the driver ---------- */

static DriverOpts opts;   /* from the command line (main's; read by the commands) */

static const char *require_file(int argc, char **argv, int i, const char *cmd) {
  if (i >= argc) usage_error("`%s` needs a FILE", cmd);
  if (argv[i][0] == '-' && argv[i][1]) usage_error("unexpected option `%s` before FILE", argv[i]);
  return argv[i];
}

static int cmd_build(int argc, char **argv) {
  const char *file = NULL, *out = NULL;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0) {
      if (i + 1 >= argc) usage_error("`%s` needs an output path", "-o");
      out = argv[++i];
    } else if (strcmp(argv[i], "-g") == 0) {
      opts.build.debug_info = true;
    } else if (strcmp(argv[i], "--debug") == 0) {
      opts.build.debug_info = opts.build.unoptimised = true;
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
  return drv_cmd_build(file, out, &opts);
}

static int cmd_run(int argc, char **argv) {
  const char *file = require_file(argc, argv, 2, "run");
  int first = 3;
  if (first < argc && strcmp(argv[first], "--") == 0) first++;
  return drv_cmd_run(file, false, argv + first, argc - first, &opts);
}

static int cmd_check(int argc, char **argv) {
  const char *file = NULL;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) opts.json = true;
    else if (argv[i][0] == '-' && argv[i][1]) usage_error("unknown option `%s` for `plat check`", argv[i]);
    else if (file) usage_error("`plat check` takes one FILE, got another: `%s`", argv[i]);
    else file = argv[i];
  }
  if (!file) usage_error("`%s` needs a FILE", "check");
  return drv_cmd_check(file, &opts);
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
  return drv_cmd_run(file, true, pass, npass, &opts);
}

/* `--color=auto|always|never` anywhere on the command line (before a
 * `--` that ends plat's own arguments) sets the colour of diagnostics;
 * it is removed from argv. */
static int take_color_option(int argc, char **argv) {
  int k = 0;
  bool own = true;
  for (int i = 0; i < argc; i++) {
    if (own && strcmp(argv[i], "--") == 0) own = false;
    if (own && strncmp(argv[i], "--color", 7) == 0 && (argv[i][7] == '=' || !argv[i][7])) {
      const char *v = argv[i][7] ? argv[i] + 8 : "";
      if (!strcmp(v, "auto")) opts.color = COLOR_AUTO;
      else if (!strcmp(v, "always")) opts.color = COLOR_ALWAYS;
      else if (!strcmp(v, "never")) opts.color = COLOR_NEVER;
      else usage_error("--color takes auto, always or never, not `%s`", v);
      continue;
    }
    argv[k++] = argv[i];
  }
  argv[k] = NULL;
  return k;
}

int main(int argc, char **argv) {
  argc = take_color_option(argc, argv);
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
    return cmd[0] == 'c' ? drv_cmd_clean() : drv_cmd_env();
  }
  if (strcmp(cmd, "bench") == 0 || strcmp(cmd, "fmt") == 0)
    usage_error("`plat %s` is not available yet in this version", cmd);
  usage_error("unknown command `%s`", cmd);
  return EXIT_USAGE;
}
