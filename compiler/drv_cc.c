/* drv_cc.c -- finding the runtime and running the C compiler.
 *
 * A runtime directory holds libplatrt.a and libgc.a (Boehm GC, linked
 * statically so executables run where libgc is not installed); its headers
 * are in include/ (an installation, PREFIX/lib/plat) or in ../runtime (the
 * build tree, DIR = <tree>/build).  Search order, first match wins:
 *   1. $PLAT_HOME: an installed runtime directory (PREFIX/lib/plat) or a
 *      source tree (its build/); set but holding neither is an error;
 *   2. ../lib/plat next to the plat executable (an installation);
 *   3. the executable's own directory when it is a tree's build/;
 *   4. the source tree plat was built in (recorded at build time), so a
 *      copied plat still works while that tree exists.
 * PLAT_VARIANT=asan|tsan links <dir>/<variant>/libplatrt.a and compiles
 * the program with that sanitizer.  PLAT_CC overrides the C compiler.
 */
#include "driver.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PLAT_BUILD_ROOT
#define PLAT_BUILD_ROOT ""
#endif

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static char *dir_of_self(void) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return NULL;
  buf[n] = 0;
  char *slash = strrchr(buf, '/');
  if (slash) *slash = 0;
  return arena_strndup(buf, strlen(buf));
}

/* `dir` as an installed runtime directory or as a source tree. */
static bool try_home(Toolchain *t, const char *dir, const char *how) {
  if (!dir || !*dir) return false;
  const char *lib = NULL, *inc = NULL;
  if (exists(arena_printf("%s/libplatrt.a", dir)) && exists(arena_printf("%s/include/plat_rt.h", dir))) {
    lib = dir;
    inc = arena_printf("%s/include", dir);
  } else if (exists(arena_printf("%s/build/libplatrt.a", dir)) &&
             exists(arena_printf("%s/runtime/plat_rt.h", dir))) {
    lib = arena_printf("%s/build", dir);
    inc = arena_printf("%s/runtime", dir);
  } else {
    return false;
  }
  char real[PATH_MAX];
  t->home = realpath(lib, real) ? arena_strndup(real, strlen(real)) : lib;
  t->include_dir = inc;
  t->how = how;
  return true;
}

static void find_runtime(Toolchain *t) {
  const char *home = getenv("PLAT_HOME");
  if (home && *home) {
    if (try_home(t, home, "PLAT_HOME")) return;
    drv_fail("PLAT_HOME=%s holds no Plat runtime: expected %s/libplatrt.a with %s/include/ "
             "(an installation's lib/plat) or %s/build/libplatrt.a (a source tree)",
             home, home, home, home);
  }
  const char *self = dir_of_self();
  if (self && try_home(t, arena_printf("%s/../lib/plat", self), "installed next to plat")) return;
  if (self && try_home(t, arena_printf("%s/..", self), "the build tree of plat")) return;
  if (try_home(t, PLAT_BUILD_ROOT, "the source tree plat was built in")) return;
  drv_fail("cannot find the Plat runtime (libplatrt.a): looked in $PLAT_HOME (unset), %s/../lib/plat, "
           "%s/../build and %s\nhelp: set PLAT_HOME to an installation's lib/plat or to a built source tree",
           self ? self : "?", self ? self : "?", *PLAT_BUILD_ROOT ? PLAT_BUILD_ROOT : "(no build tree recorded)");
}

Toolchain find_toolchain(void) {
  Toolchain t = {0};
  const char *cc = getenv("PLAT_CC");
  t.cc = cc && *cc ? cc : "cc";
  const char *v = getenv("PLAT_VARIANT");
  if (v && *v && strcmp(v, "release") != 0) {
    if (strcmp(v, "asan") != 0 && strcmp(v, "tsan") != 0)
      drv_die(EXIT_USAGE, "PLAT_VARIANT must be asan or tsan, not `%s`", v);
    t.variant = v;
  }
  find_runtime(&t);
  t.rtlib = t.variant ? arena_printf("%s/%s/libplatrt.a", t.home, t.variant)
                      : arena_printf("%s/libplatrt.a", t.home);
  if (!exists(t.rtlib))
    drv_fail("runtime library not found at %s: %s\nhelp: build it with `make%s`", t.rtlib, strerror(errno),
             t.variant ? arena_printf(" rt VARIANT=%s", t.variant) : "");
  t.gclib = arena_printf("%s/libgc.a", t.home);
  if (!exists(t.gclib))
    drv_fail("the runtime at %s lacks libgc.a (Boehm GC, linked statically)\n"
             "help: run `make` in the source tree (it copies the libgc-dev package's libgc.a)", t.home);
  return t;
}

/* ---- the C compiler ---- */

int cc_flags(const Toolchain *t, const BuildOpts *o, const char **argv, int max) {
  int n = 0;
#define ADD(s) do { if (n < max) argv[n++] = (s); } while (0)
  ADD("-std=gnu11");
  ADD(o && o->unoptimised ? "-O0" : "-O2");
  ADD("-fwrapv");
  ADD("-fno-strict-aliasing");
  ADD("-w");
  ADD("-pthread");
#if defined(__x86_64__)
  /* every function checks its frame size before allocating the frame
   * (runtime/morestack_x86_64.S, docs/RUNTIME.md "Overflow") */
  ADD("-fsplit-stack");
#endif
  if ((o && (o->debug_info || o->unoptimised)) || t->variant) ADD("-g");
  if (t->variant && strcmp(t->variant, "asan") == 0) {
    ADD("-fsanitize=address,undefined");
    ADD("-fno-omit-frame-pointer");
  } else if (t->variant) {
    ADD("-fsanitize=thread");
  }
  ADD(arena_printf("-I%s", t->include_dir));
#undef ADD
  return n;
}

static void print_head(const char *msg, int max_lines) {
  int lines = 0;
  for (const char *q = msg; *q && lines < max_lines; q++) {
    fputc(*q, stderr);
    if (*q == '\n') lines++;
  }
}

static void cc_failed(int status, const char *cfile, const char *log) {
  size_t n;
  char *msg = drv_slurp(log, &n);
  if (!msg) msg = "";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && strstr(msg, "cannot run")) {
    fprintf(stderr, "plat: %s", msg);
    fputs("help: install a C compiler (apt-get install gcc) or set PLAT_CC\n", stderr);
    drv_fail_status(EXIT_COMPILE);
  }
  if (strstr(msg, "No space left on device") || strstr(msg, "cannot open output file") ||
      strstr(msg, "Disk quota exceeded")) {
    fputs("plat: the C compiler could not write its output:\n", stderr);
    print_head(msg, 10);
    drv_fail_status(EXIT_COMPILE);
  }
  if (WIFSIGNALED(status))
    fprintf(stderr, "plat: internal compiler error: the C compiler was killed by signal %d (%s)\n",
            WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    fputs("plat: internal compiler error: the C compiler rejected the generated code\n", stderr);
  if (drv_keep_c()) fprintf(stderr, "  generated C kept at %s\n", cfile);
  else fputs("  rerun with PLAT_KEEP_C=1 to keep the generated C for a bug report\n", stderr);
  print_head(msg, 20);
  drv_fail_status(EXIT_INTERNAL);
}

void cc_build(const Toolchain *t, const BuildOpts *o, const Buf *c, const char *out) {
  const char *dir = drv_make_temp_dir();
  char *cfile = arena_printf("%s/program.c", dir);
  char *log = arena_printf("%s/cc.log", dir);
  if (!drv_keep_c()) {
    drv_temp_file(cfile);
    drv_temp_file(log);
  }
  if (!drv_write_file(cfile, c->data ? c->data : "", c->len))
    drv_fail("cannot write %s: %s", cfile, strerror(errno));
  const char *argv[48];
  int argc = 0;
  argv[argc++] = t->cc;
  argc += cc_flags(t, o, argv + argc, 30);
  const char *tail[] = {"-o", out, cfile, t->rtlib, t->gclib, "-lpthread", "-lm", NULL};
  for (int i = 0; tail[i]; i++) argv[argc++] = tail[i];
  argv[argc] = NULL;

  fflush(NULL);
  /* signals wait until the child is registered, so their handler kills it */
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  sigprocmask(SIG_BLOCK, &stop, &old);
  pid_t pid = fork();
  if (pid < 0) drv_die(EXIT_INTERNAL, "cannot start the C compiler: fork: %s", strerror(errno));
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    setpgid(0, 0);                      /* so a signal to plat can stop all of it */
    FILE *lf = freopen(log, "w", stderr);
    (void)lf;
    if (dup2(2, 1) < 0) _exit(127);
    execvp(argv[0], (char **)argv);
    fprintf(stderr, "cannot run the C compiler `%s`: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  drv_temp_child(pid);
  sigprocmask(SIG_SETMASK, &old, NULL);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  drv_temp_child(0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) cc_failed(status, cfile, log);
  if (drv_keep_c()) {
    fprintf(stderr, "plat: generated C kept at %s\n", cfile);
    return;
  }
  unlink(cfile);
  unlink(log);
  rmdir(dir);
}
