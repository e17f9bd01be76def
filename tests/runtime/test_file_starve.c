/* test_file_starve.c -- blocking calls abandoned by with_timeout must not
 * starve later file calls and name lookups.
 *
 * 1. FIFOs hold no helper thread: opens and reads of FIFOs without a peer,
 *    each abandoned by with_timeout, then file calls and a DNS lookup must
 *    still complete (four such calls used to pin the four helpers and
 *    hang every later call).
 * 2. The pool grows: more tasks than there used to be helpers block in
 *    file_read on fd 0 (a pipe with no data) and are abandoned; file calls
 *    still complete meanwhile.
 * 3. A saturated pool is reported: with PLAT_IO_THREADS=2, three tasks read
 *    fd 0 and the main task waits for them; no task can run and a call
 *    cannot start, so the runtime prints one warning naming the pool and
 *    the blocked tasks, and goes on: once data arrives, the program ends
 *    normally.
 * Scenarios 1 and 2 run in children with the default workers,
 * PLAT_WORKERS=1 and PLAT_GC_TORTURE=1. */
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net_test.h"

#define NFIFO 12                          /* readers, and as many writers */
#define NSTDIN 12                         /* more than the old pool of 4 */
static char dir[256];

static plat_str *path(const char *fmt, int i) {
  char name[64];
  snprintf(name, sizeof name, fmt, i);
  return plat_str_fmt("%s/%s", dir, name);
}

/* bodies run under with_timeout: each blocks until cancelled */
static uint64_t fifo_read_body(void *env) {
  plat_enum *o = plat_file_open(env, S("r"));               /* returns at once */
  CHECK(o->tag == PLAT_OK, "open r: %s", err_text(o));
  plat_file_read((int32_t)plat_i64_w(o->f[0]), 10);         /* no writer: waits */
  CHECK(0, "file_read of a FIFO without a writer returned");
  return 1;
}
static uint64_t fifo_write_open_body(void *env) {
  plat_file_open(env, S("w"));                              /* no reader: waits */
  CHECK(0, "file_open(w) of a FIFO without a reader returned");
  return 1;
}
static uint64_t stdin_body(void *env) {
  (void)env;
  plat_file_read(0, 1);                                     /* empty pipe: a helper blocks */
  return 1;
}

static void abandon_all(plat_task_fn fn, int n, const char *fmt) {
  for (int i = 0; i < n; i++) {
    uint64_t out;
    bool done = plat_with_timeout(5, fn, fmt ? path(fmt, i) : NULL, &out, __FILE__, __LINE__);
    CHECK(!done, "%s %d finished", fmt ? fmt : "stdin", i);
  }
}

/* Every kind of call that needs a helper, and a name lookup. */
static void later_calls_work(const char *when) {
  plat_str *f = path("regular.txt", 0);
  int32_t fd = OK_I32(plat_file_open(f, S("w")));
  OK_I32(plat_file_write(fd, S("still served")));
  plat_file_close(fd);
  plat_enum *r = plat_file_read_all(f);
  CHECK(r->tag == PLAT_OK && plat_str_eq(plat_ptr_w(r->f[0]), S("still served")), "%s: read_all: %s",
        when, err_text(r));
  CHECK(plat_file_exists(f), "%s: exists", when);
  r = plat_file_size(f);
  CHECK(r->tag == PLAT_OK && plat_i64_w(r->f[0]) == 12, "%s: size", when);
  CHECK(plat_dir_list(S(dir))->tag == PLAT_OK, "%s: dir_list", when);
  CHECK(plat_file_delete(f)->tag == PLAT_OK, "%s: delete", when);
  int32_t port;
  int32_t l = nt_listen(&port);
  int32_t c = OK_I32(plat_tcp_connect(S("localhost"), port));  /* getaddrinfo on a helper */
  int32_t a = OK_I32(plat_tcp_accept(l));
  plat_tcp_close(c);
  plat_tcp_close(a);
  plat_tcp_close(l);
}

static uint64_t run(void *env) {
  (void)env;
  for (int i = 0; i < NFIFO; i++) {
    CHECK(mkfifo(path("r%d.fifo", i)->data, 0600) == 0, "mkfifo");
    CHECK(mkfifo(path("w%d.fifo", i)->data, 0600) == 0, "mkfifo");
  }
  abandon_all(fifo_read_body, NFIFO, "r%d.fifo");
  abandon_all(fifo_write_open_body, NFIFO, "w%d.fifo");
  later_calls_work("after abandoned FIFO calls");
  abandon_all(stdin_body, NSTDIN, NULL);
  later_calls_work("with helpers blocked on stdin");
  for (int i = 0; i < NFIFO; i++) {
    unlink(path("r%d.fifo", i)->data);
    unlink(path("w%d.fifo", i)->data);
  }
  return 0;
}

static int child(const char *var, const char *val) {
  if (var) setenv(var, val, 1);
  int p[2];
  if (pipe(p) != 0 || dup2(p[0], 0) < 0) return 1;           /* fd 0: no data ever */
  plat_main(0, NULL, run, NULL);
  return nt_result(var ? var : "default workers");
}

/* ---- 3: the saturation report ------------------------------------------ */

static uint64_t one_byte(void *env) {
  plat_str *s = plat_ptr_w(plat_file_read(0, 1)->f[0]);
  return (uint64_t)(unsigned char)s->data[0] + 0 * (uint64_t)(uintptr_t)env;
}

static uint64_t saturate(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "sat.plat", 1);
  plat_task *t[3];
  for (int i = 0; i < 3; i++) t[i] = plat_spawn(&sc, one_byte, NULL, "sat.plat", 10 + i);
  uint64_t sum = 0;
  for (int i = 0; i < 3; i++) sum += plat_await(t[i]);
  plat_scope_exit(&sc);
  printf("read %llu\n", (unsigned long long)sum);
  return 0;
}

static void saturation_report(void) {
  int in[2], err[2];
  if (pipe(in) != 0 || pipe(err) != 0) { CHECK(0, "pipe"); return; }
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(err[1], 2);
    dup2(err[1], 1);
    close(in[1]);
    close(err[0]);
    setenv("PLAT_IO_THREADS", "2", 1);
    _exit(plat_main(0, NULL, saturate, NULL));
  }
  close(in[0]);
  close(err[1]);
  static char out[8192];
  size_t n = 0;
  ssize_t k;
  const char *want = "plat: warning: no task can run, and 3 blocking calls wait for the 2 I/O helper "
                     "threads (PLAT_IO_THREADS), which are all blocked:\n";
  /* wait for the whole report (a hang here is the bug: no report); only
   * then may the reads complete, or a line might name a running task */
  while (!(strstr(out, want) && strstr(out, "file_read\n    spawned at sat.plat:10 in task 1 main\n") &&
           strstr(out, "file_read\n    spawned at sat.plat:11 in task 1 main\n") &&
           strstr(out, "file_read\n    spawned at sat.plat:12 in task 1 main\n") &&
           strstr(out, "task 1 main: blocked")) &&
         (k = read(err[0], out + n, sizeof out - 1 - n)) > 0) {
    n += (size_t)k;
    out[n] = 0;
  }
  CHECK(write(in[1], "abc", 3) == 3, "write");                /* unblocks the three reads */
  close(in[1]);
  while ((k = read(err[0], out + n, sizeof out - 1 - n)) > 0) n += (size_t)k;
  out[n] = 0;
  close(err[0]);
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d:\n%s", st, out);
  CHECK(strstr(out, want), "no report:\n%s", out);
  /* dump.c's format: task 1 is the main task, 2..4 its spawns */
  CHECK(strstr(out, "  task 1 main: blocked in await of task 2\n"), "report lacks the main task:\n%s", out);
  for (int i = 10; i <= 12; i++) {
    char line[120];
    snprintf(line, sizeof line, "  task %d: blocked in file_read\n    spawned at sat.plat:%d in task 1 main\n",
             i - 8, i);
    CHECK(strstr(out, line), "report lacks \"%s\":\n%s", line, out);
  }
  CHECK(strstr(strstr(out, want) + 1, want) == NULL, "reported twice:\n%s", out);
  CHECK(strstr(out, "read 294\n"), "the program did not go on:\n%s", out);   /* 'a'+'b'+'c' */
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/plat-test-starve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  int bad = nt_each_mode("test_file_starve", child);
  saturation_report();
  rmdir(dir);
  return bad | nt_result("test_file_starve");
}
