/* test_env.c -- print (whole lines under concurrency, buffering, exit),
 * time_ms, env_get, args.  Output is redirected to files inside a fresh
 * mkdtemp directory. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vtest.h"

enum { THREADS = 4, LINES = 3000 };
static plat_str *lines[THREADS][LINES];   /* built before the threads start */
static char dir[256];

static const char *path_in_dir(const char *name)
{
  return plat_str_fmt("%s/%s", dir, name)->data;
}

static void *printer(void *arg)
{
  plat_str **mine = arg;
  for (int i = 0; i < LINES; i++) plat_print(mine[i]);
  return NULL;
}

/* Run fn with fd 1 redirected to `file`; returns the file's contents. */
static plat_str *capture(const char *file, void (*fn)(void))
{
  plat_flush_stdout();
  int saved = dup(1), fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 1);
  close(fd);
  fn();
  plat_flush_stdout();
  dup2(saved, 1);
  close(saved);
  return OK_STR(plat_file_read_all(plat_str_cstr(file)));
}

static void print_threads(void)
{
  pthread_t th[THREADS];
  for (int t = 0; t < THREADS; t++) pthread_create(&th[t], NULL, printer, lines[t]);
  for (int t = 0; t < THREADS; t++) pthread_join(th[t], NULL);
}

static void concurrent_print(void)
{
  for (int t = 0; t < THREADS; t++)
    for (int i = 0; i < LINES; i++) {
      int pad = (i * 37 + t) % 200;
      if (i == 1000) pad = 70000;                           /* larger than the buffer */
      plat_str *p = plat_str_fmt("%*s", pad, "");
      lines[t][i] = plat_str_fmt("T%d L%d %s|", t, i, p->data);
    }
  plat_str *out = capture(path_in_dir("print.txt"), print_threads);
  plat_list *got = plat_str_split(out, S("\n"));
  CHECK(got->len == THREADS * LINES + 1);                   /* last piece is "" */
  int next[THREADS] = { 0 }, bad = 0;
  for (int64_t k = 0; k + 1 < got->len; k++) {
    plat_str *l = plat_ptr_w(got->items[k]);
    int t = l->len > 1 ? l->data[1] - '0' : -1;
    if (t < 0 || t >= THREADS || next[t] >= LINES || !plat_str_eq(l, lines[t][next[t]])) {
      if (bad++ < 3) fprintf(stderr, "unexpected line %lld: %.60s\n", (long long)k, l->data);
      continue;
    }
    next[t]++;                                              /* per-thread order kept */
  }
  CHECK(bad == 0);
  for (int t = 0; t < THREADS; t++) CHECK(next[t] == LINES);
}

static void print_utf8_and_empty(void)
{
  plat_print(S("héllo 😀"));
  plat_print(S(""));
  plat_print(S("a\0b"));
}

static void exit_flushes(void)
{
  plat_str *file = plat_str_cstr(path_in_dir("exit.txt"));
  plat_str *msg = S("before exit");
  plat_flush_stdout();
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(file->data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    plat_print(msg);                                        /* buffered: not a tty */
    plat_exit(3);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
  CHECK_STR(OK_STR(plat_file_read_all(file)), "before exit\n");
}

/* Through a pipe, a printed line shows up without an explicit flush (the
 * flusher thread); 10 s is only a guard against hanging. */
static void pipe_flush(void)
{
  int p[2];
  CHECK(pipe(p) == 0);
  plat_flush_stdout();
  int saved = dup(1);
  dup2(p[1], 1);
  plat_print(S("ping"));
  struct pollfd pf = { .fd = p[0], .events = POLLIN };
  CHECK(poll(&pf, 1, 10000) == 1);
  char buf[16] = { 0 };
  CHECK(read(p[0], buf, sizeof buf - 1) == 5 && strcmp(buf, "ping\n") == 0);
  plat_flush_stdout();
  dup2(saved, 1);
  close(saved);
  close(p[0]);
  close(p[1]);
}

static void time_env_args(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t t = plat_time_ms(), c = (int64_t)ts.tv_sec * 1000;
  CHECK(t >= c && t < c + 60000);                           /* same clock, not a timing check */
  CHECK(t > 1600000000000LL);                               /* after 2020: wall clock, not monotonic */
  setenv("PLAT_TEST_ENV", "välue", 1);
  CHECK_STR(SOME_STR(plat_env_get(S("PLAT_TEST_ENV"))), "välue");
  setenv("PLAT_TEST_EMPTY", "", 1);
  CHECK_STR(SOME_STR(plat_env_get(S("PLAT_TEST_EMPTY"))), "");
  unsetenv("PLAT_TEST_NOPE");
  IS_NONE(plat_env_get(S("PLAT_TEST_NOPE")));
  IS_NONE(plat_env_get(S("")));
  IS_NONE(plat_env_get(S("PLAT_TEST_ENV\0X")));
  IS_NONE(plat_env_get(S("A=B")));
  plat_list *a = plat_args();
  CHECK(a->len == 3);
  if (a->len == 3) CHECK_STR(plat_list_join(a, S(",")), "one,héllo,");
  plat_list_push(a, 1);
  CHECK(plat_args()->len == 3);                             /* a fresh list each call */
}

static void run(void)
{
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/plat-test-env.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) { perror("mkdtemp"); exit(1); }
  concurrent_print();
  CHECK_STR(capture(path_in_dir("u.txt"), print_utf8_and_empty), "héllo 😀\n\na\0b\n");
  exit_flushes();
  pipe_flush();
  time_env_args();
  unlink(path_in_dir("print.txt"));
  unlink(path_in_dir("u.txt"));
  unlink(path_in_dir("exit.txt"));
  CHECK(rmdir(dir) == 0);
}

int main(int argc, char **argv)
{
  (void)argc;
  char *fake[] = { argv[0], "one", "héllo", "", NULL };
  int st = plat_main(4, fake, vt_entry, NULL);
  fprintf(stderr, "%s: %d checks, %d failed\n", argv[0], vt_checks, vt_failed);
  return st != 0 || vt_failed != 0;
}
