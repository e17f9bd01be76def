/* testrun.c -- plat_test_main: runs each test of a test-mode program in
 * its own process, with a timeout (the contract is in plat_test.h).
 *
 * The supervisor never starts the runtime: it stays single-threaded, so
 * fork() is safe, and each child starts the runtime afresh (plat_main),
 * runs one test under plat_catch and writes its result to a pipe: "P", or
 * "F" and the panic message.  The supervisor waits for the pipe's end of
 * file with poll() up to the deadline, then reaps the child; the child's
 * status explains a missing result (crash by signal, exit() before the
 * end, the runtime's deadlock report with status 101).  On timeout the
 * child is killed with SIGKILL.  Children die with the supervisor
 * (PR_SET_PDEATHSIG).  Tests run one at a time, so their output and
 * result lines stay in order.
 *
 * --schedules N [--seed S]: the supervisor puts them in PLAT_SCHEDULES and
 * PLAT_SEED, so each child's runtime starts on deterministic schedules
 * (detsched.c) and plat_test_run (testsched.c) runs the test on N of them;
 * the child writes the seed under way to a shared page, so a child that
 * hangs, crashes or exits is reported with its schedule's replay command.
 *
 * State: everything below is the supervisor's, single-threaded; `stop` is
 * written by the SIGINT/SIGTERM handler and read by the supervisor loop.
 */
#include "plat_test.h"
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define DEFAULT_TIMEOUT_S 10.0
#define MAX_RESULT 4096

static const plat_test_case *g_tests;
static int g_child_index;                 /* in a child: the test it runs */
static int g_child_fd = -1;               /* in a child: the result pipe */
static volatile sig_atomic_t stop;        /* SIGINT/SIGTERM received */
extern volatile uint64_t *plat_test_progress;   /* testsched.c: 1 + seed under way */
void plat_test_replay_note(FILE *f, const char *name, uint64_t seed);

static void usage(const char *fmt, const char *arg) {
  fputs("plat test: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(2);
}

/* ---- selection ---- */

/* `block.test` is `block::test`. */
static char *normalize_glob(const char *g) {
  size_t dots = 0, n = strlen(g);
  for (size_t i = 0; i < n; i++) dots += g[i] == '.';
  char *s = malloc(n + dots + 1), *o = s;
  if (!s) usage("%s", "out of memory");
  for (size_t i = 0; i < n; i++) {
    if (g[i] == '.') { *o++ = ':'; *o++ = ':'; }
    else *o++ = g[i];
  }
  *o = 0;
  return s;
}

static bool glob_matches(const char *glob, const plat_test_case *t) {
  if (!fnmatch(glob, t->name, 0)) return true;
  return !strstr(glob, "::") && (!fnmatch(glob, t->block, 0) || !fnmatch(glob, t->fn, 0));
}

static void no_match(const char *glob, int ntests) {
  fprintf(stderr, "plat test: no test matches -f `%s`\n", glob);
  if (!ntests) {
    fputs("  (this file has no tests)\n", stderr);
    return;
  }
  fputs("  tests:", stderr);
  for (int i = 0; i < ntests && i < 10; i++) fprintf(stderr, " %s", g_tests[i].name);
  if (ntests > 10) fprintf(stderr, " ... (%d in all)", ntests);
  fputc('\n', stderr);
}

/* ---- the child ---- */

static void write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, s, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return;
    s += k;
    n -= (size_t)k;
  }
}

static uint64_t child_entry(void *env) {
  (void)env;
  const char *err = plat_test_run(g_tests[g_child_index].name, g_tests[g_child_index].run);
  if (!err) {
    write_all(g_child_fd, "P", 1);
    return 0;
  }
  size_t n = strlen(err);
  write_all(g_child_fd, "F", 1);
  write_all(g_child_fd, err, n < MAX_RESULT ? n : MAX_RESULT);
  return 1;
}

/* PLAT_TRACE=DIR/x.json: test block::t writes DIR/x.block.t.json (each
 * test is a process of its own; one file would keep only the last). */
static void per_test_trace(const char *name) {
  const char *p = getenv("PLAT_TRACE");
  if (!p || !*p) return;
  const char *slash = strrchr(p, '/'), *dot = strrchr(p, '.');
  size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - p) : strlen(p);
  size_t n = strlen(p) + strlen(name) + 2;
  char *t = malloc(n);
  if (!t) return;
  char *o = t + snprintf(t, n, "%.*s.", (int)stem, p);
  for (const char *s = name; *s; s++)
    if (*s != ':' || s[1] != ':') *o++ = *s;
    else { *o++ = '.'; s++; }
  snprintf(o, n - (size_t)(o - t), "%s", p + stem);
  setenv("PLAT_TRACE", t, 1);
  free(t);
}

static void run_child(int argc, char **argv, int index, int fd) {
  per_test_trace(g_tests[index].name);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  g_child_index = index;
  g_child_fd = fd;
  exit(plat_main(argc, argv, child_entry, NULL));
}

/* ---- the supervisor ---- */

static void on_stop(int sig) { stop = sig; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct Outcome {
  char msg[MAX_RESULT + 2];
  size_t len;
  int status;
  bool timed_out;
} Outcome;

/* Collect the child's result until end of file or the deadline. */
static void supervise(pid_t pid, int fd, double timeout, Outcome *o) {
  double deadline = timeout > 0 ? now_s() + timeout : 0;
  for (;;) {
    int ms = -1;
    if (deadline) {
      double left = deadline - now_s();
      if (left <= 0) { o->timed_out = true; break; }
      ms = (int)ceil(left * 1000);
    }
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, ms);
    if (r < 0 && errno == EINTR) {
      if (stop) break;
      continue;
    }
    if (r == 0) continue;                 /* the deadline check decides */
    char buf[1024];
    ssize_t k = read(fd, buf, sizeof buf);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;                    /* end of file: the child ended */
    size_t room = MAX_RESULT + 1 - o->len;
    size_t take = (size_t)k < room ? (size_t)k : room;
    memcpy(o->msg + o->len, buf, take);
    o->len += take;
  }
  if (o->timed_out || stop) kill(pid, SIGKILL);
  while (waitpid(pid, &o->status, 0) < 0 && errno == EINTR) {}
  o->msg[o->len] = 0;
}

static bool report(const plat_test_case *t, const Outcome *o, double timeout) {
  int st = o->status;
  if (o->timed_out) {
    printf("FAIL %s: timed out after %g s (a hang or a deadlock; the limit is --timeout SECONDS)\n", t->name,
           timeout);
  } else if (o->len && o->msg[0] == 'F') {
    printf("FAIL %s: %s\n", t->name, o->msg + 1);
  } else if (WIFSIGNALED(st)) {
    printf("FAIL %s: crashed: signal %d (%s)\n", t->name, WTERMSIG(st), strsignal(WTERMSIG(st)));
  } else if (o->len && o->msg[0] == 'P' && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
    printf("ok   %s\n", t->name);
    return true;
  } else if (o->len && o->msg[0] == 'P') {
    printf("FAIL %s: passed, then its process ended with status %d\n", t->name, WEXITSTATUS(st));
  } else if (WIFEXITED(st) && WEXITSTATUS(st) == 101) {
    printf("FAIL %s: stopped by the runtime with status 101 (its report is above)\n", t->name);
  } else {
    printf("FAIL %s: exited with status %d before the test finished\n", t->name, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  }
  if (plat_test_progress && *plat_test_progress && !(o->len && o->msg[0] == 'F')) {
    plat_test_replay_note(stdout, t->name, *plat_test_progress - 1);
    putchar('\n');
  }
  return false;
}

/* Run test i in a child; true if it passed. */
static bool run_one(int argc, char **argv, int i, double timeout) {
  if (plat_test_progress) *plat_test_progress = 0;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    printf("FAIL %s: cannot create a pipe: %s\n", g_tests[i].name, strerror(errno));
    return false;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    printf("FAIL %s: cannot start its process: %s\n", g_tests[i].name, strerror(errno));
    close(p[0]);
    close(p[1]);
    return false;
  }
  if (pid == 0) {
    close(p[0]);
    run_child(argc, argv, i, p[1]);
  }
  close(p[1]);
  Outcome o = {0};
  supervise(pid, p[0], timeout, &o);
  close(p[0]);
  if (stop) return false;
  bool ok = report(&g_tests[i], &o, timeout);
  fflush(stdout);
  return ok;
}

static double parse_timeout(const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (!*s || *end || errno || !(v >= 0) || v > 1e6)
    usage("--timeout takes a number of seconds (0 for no limit), not `%s`", s);
  return v;
}

/* A whole decimal number from lo to hi for option opt. */
static const char *number(const char *opt, const char *s, unsigned long long lo, unsigned long long hi) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || errno || *s == '-' || v < lo || v > hi) {
    fprintf(stderr, "plat test: %s takes a number from %llu to %llu, not `%s`\n", opt, lo, hi, s);
    exit(2);
  }
  return s;
}

/* Deterministic schedules for every child; a page the children share. */
static void schedules(const char *n, const char *seed) {
  setenv("PLAT_SCHEDULES", n ? n : "1", 1);
  setenv("PLAT_SEED", seed ? seed : "1", 1);
  void *m = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m != MAP_FAILED) plat_test_progress = m;
}

int plat_test_main(int argc, char **argv, const plat_test_case *tests) {
  g_tests = tests;
  int ntests = 0;
  while (tests[ntests].name) ntests++;
  char **globs = calloc((size_t)argc + 1, sizeof *globs);
  const char **written = calloc((size_t)argc + 1, sizeof *written);
  bool *selected = calloc((size_t)ntests + 1, sizeof *selected);
  if (!globs || !written || !selected) usage("%s", "out of memory");
  int nglobs = 0;
  double timeout = DEFAULT_TIMEOUT_S;
  const char *nsched = NULL, *seed = NULL;
  for (int a = 1; a < argc; a++) {
    bool f = !strcmp(argv[a], "-f"), t = !strcmp(argv[a], "--timeout");
    bool n = !strcmp(argv[a], "--schedules"), s = !strcmp(argv[a], "--seed");
    if ((f || t || n || s) && a + 1 >= argc) usage("`%s` needs a value", argv[a]);
    if (f) {
      written[nglobs] = argv[++a];
      globs[nglobs++] = normalize_glob(argv[a]);
    } else if (t) {
      timeout = parse_timeout(argv[++a]);
    } else if (n) {
      nsched = number("--schedules", argv[++a], 1, 1000000000);
    } else if (s) {
      seed = number("--seed", argv[++a], 0, 9223372036854775807ull);
    } else {
      usage("unknown argument `%s` (use -f GLOB, --timeout SECONDS, --schedules N, --seed S)", argv[a]);
    }
  }
  if (nsched || seed) schedules(nsched, seed);
  bool unmatched = false;
  for (int g = 0; g < nglobs; g++) {
    bool any = false;
    for (int i = 0; i < ntests; i++)
      if (glob_matches(globs[g], &tests[i])) selected[i] = any = true;
    if (!any) { no_match(written[g], ntests); unmatched = true; }
  }
  if (unmatched) return 2;
  struct sigaction sa = {0};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  int passed = 0, failed = 0;
  for (int i = 0; i < ntests && !stop; i++) {
    if (nglobs && !selected[i]) continue;
    if (run_one(argc, argv, i, timeout)) passed++;
    else if (!stop) failed++;
  }
  if (stop) printf("interrupted (%s)\n", strsignal(stop));
  printf("%d passed, %d failed\n", passed, failed);
  fflush(stdout);
  if (stop) return 128 + stop;
  return failed ? 1 : 0;
}
