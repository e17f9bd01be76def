/* config.c -- the runtime's PLAT_* environment variables, read once and
 * validated at start-up.
 *
 * Every knob is parsed by one of the two functions below: unset or empty
 * means the default; anything else must be exactly what the variable
 * accepts, or the program stops before running any task with
 *   fatal: PLAT_STACK_KB must be a number from 128 to 1048576, not '64'
 * and exit status 2 (the status PLAT_WORKERS always used).  A bad value is
 * never silently replaced by the default: a user who set it expects it to
 * act.
 *
 * The variables (docs/RUNTIME.md, "Environment"):
 *   PLAT_WORKERS            worker threads, 1..1024 (sched.c)
 *   PLAT_STACK_KB           most a task stack grows to (fixed stacks: its size), KiB, 128..1048576 (stack.c)
 *   PLAT_IO_THREADS         cap of the I/O helper pool, 1..4096 (blocking.c)
 *   PLAT_GC_TORTURE         0 or 1 (gc.c)
 *   PLAT_GC_TORTURE_EVERY   1..1000000000 (gc.c)
 *   PLAT_SEED               0..2^63-1: deterministic schedules (detsched.c)
 *   PLAT_SCHEDULES          1..1000000000 (testsched.c)
 *   PLAT_TRACE              a file to create (trace.c: fatal if it cannot)
 * Each owner calls these at its own initialisation; plat_main calls
 * plat_config_check() first so that every variable is checked at start-up,
 * even one whose subsystem the program never uses.  No state here: getenv
 * is read-only for the runtime once it runs (only the test supervisor,
 * testrun.c, sets PLAT_SEED, PLAT_SCHEDULES and PLAT_TRACE for its test
 * processes, before any runtime starts).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

__attribute__((noreturn)) static void bad(const char *name, const char *want, const char *v) {
  fflush(stdout);
  fprintf(stderr, "fatal: %s must be %s, not '%s'\n", name, want, v);
  exit(2);
}

int64_t plat_env_int(const char *name, int64_t def, int64_t min, int64_t max) {
  const char *v = getenv(name);
  if (!v || !*v) return def;
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);     /* strtoll skips blanks: refuse them */
  if (!(isdigit((unsigned char)v[0]) || v[0] == '-') || *end || errno == ERANGE || n < min ||
      n > max) {
    char want[96];
    snprintf(want, sizeof want, "a number from %lld to %lld", (long long)min, (long long)max);
    bad(name, want, v);
  }
  return n;
}

bool plat_env_flag(const char *name) {
  const char *v = getenv(name);
  if (!v || !*v || strcmp(v, "0") == 0) return false;
  if (strcmp(v, "1") == 0) return true;
  bad(name, "0 or 1", v);
}

void plat_config_check(void) {
  plat_env_int("PLAT_WORKERS", 1, 1, PLAT_MAX_WORKERS);
  plat_stack_config();
  plat_env_int("PLAT_IO_THREADS", 1, 1, PLAT_MAX_IO_THREADS);
  plat_env_flag("PLAT_GC_TORTURE");
  plat_env_int("PLAT_GC_TORTURE_EVERY", 1, 1, 1000000000);
  plat_env_int("PLAT_SEED", 1, 0, INT64_MAX);
  plat_env_int("PLAT_SCHEDULES", 1, 1, 1000000000);
}
