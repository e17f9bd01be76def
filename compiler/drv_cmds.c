/* drv_cmds.c -- the driver's commands as library functions.
 *
 * Each drv_cmd_* runs under drv_protect and returns 0 or an exit status
 * (driver.h); main.c turns the command line into one call.  A compilation
 * is one Session (drv_front.c); its diagnostics are printed here, as text
 * or as JSON.
 */
#include "driver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"

static void load_catalogue(void) {
  const char *err = catalogue_load();
  if (err) drv_die(EXIT_INTERNAL, "internal compiler error: the built-in catalogue is malformed: %s", err);
}

/* Parse, check and emit `src`; compile errors are printed and unwind with
 * status 1.  Returns the C. */
static Buf compile_c(const DriverOpts *o, const char *path, const char *src, size_t len, bool test_mode) {
  load_catalogue();
  Session s = {0};
  if (session_front(&s, path, src, len, test_mode)) {
    session_report(&s, o);
    session_end(&s);
    drv_fail_status(EXIT_COMPILE);
  }
  Buf c = session_emit(&s, test_mode);
  session_end(&s);
  return c;
}

static Buf compile_for_cache(void *ctx, const char *path, const char *src, size_t len, bool test_mode) {
  return compile_c(ctx, path, src, len, test_mode);
}

/* ---- check ---- */
typedef struct CheckArgs { const char *file; const DriverOpts *o; } CheckArgs;

static int check_body(void *ctx) {
  CheckArgs *a = ctx;
  size_t len;
  char *src = drv_read_source(a->file, &len);
  load_catalogue();
  Session s = {0};
  int errors = session_front(&s, a->file, src, len, false);
  session_report(&s, a->o);
  session_end(&s);
  free(src);
  return errors ? EXIT_COMPILE : 0;
}

int drv_cmd_check(const char *file, const DriverOpts *o) {
  CheckArgs a = {file, o};
  return drv_protect(check_body, &a);
}

/* ---- build ---- */
typedef struct BuildArgs { const char *file, *out; const DriverOpts *o; } BuildArgs;

static const char *default_output(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 5 && strcmp(base + n - 5, ".plat") == 0) n -= 5;
  if (n == 0) return "a.out";
  return arena_strndup(base, n);
}

static int build_body(void *ctx) {
  BuildArgs *a = ctx;
  const char *dest = a->out ? a->out : default_output(a->file);
  Toolchain t = find_toolchain();
  size_t len;
  char *src = drv_read_source(a->file, &len);
  const char *tmp = drv_output_begin(dest, a->file, a->out == NULL);
  Buf c = compile_c(a->o, a->file, src, len, false);
  free(src);
  cc_build(&t, &a->o->build, &c, tmp);
  buf_free(&c);
  drv_output_commit(tmp, dest);
  return 0;
}

int drv_cmd_build(const char *file, const char *out, const DriverOpts *o) {
  BuildArgs a = {file, out, o};
  return drv_protect(build_body, &a);
}

/* ---- run, test ---- */
typedef struct RunArgs {
  const char *file;
  bool test_mode;
  char **args;
  int nargs;
  const DriverOpts *o;
} RunArgs;

static int run_body(void *ctx) {
  RunArgs *a = ctx;
  Toolchain t = find_toolchain();
  size_t len;
  char *src = drv_read_source(a->file, &len);
  const char *exe;
  int fd = cache_get(&t, a->file, src, len, a->test_mode, compile_for_cache, (void *)a->o, &exe);
  free(src);
  char **argv = arena_alloc(sizeof(char *) * (size_t)(a->nargs + 2));
  argv[0] = (char *)exe;
  for (int i = 0; i < a->nargs; i++) argv[i + 1] = a->args[i];
  fflush(NULL);
  extern char **environ;
  fexecve(fd, argv, environ);
  drv_fail("cannot run %s: %s", exe, strerror(errno));
}

int drv_cmd_run(const char *file, bool test_mode, char **args, int nargs, const DriverOpts *o) {
  RunArgs a = {file, test_mode, args, nargs, o};
  return drv_protect(run_body, &a);
}

/* ---- clean, env ---- */
static int clean_body(void *ctx) {
  (void)ctx;
  return cache_clean();
}

int drv_cmd_clean(void) { return drv_protect(clean_body, NULL); }

static int env_body(void *ctx) {
  (void)ctx;
  Toolchain t = find_toolchain();
  printf("plat %s\n", PLAT_VERSION);
  printf("runtime:  %s (%s)\n", t.home, t.how);
  printf("headers:  %s\n", t.include_dir);
  printf("cc:       %s\n", t.cc);
  cache_describe(stdout);
  return 0;
}

int drv_cmd_env(void) { return drv_protect(env_body, NULL); }
