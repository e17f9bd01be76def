/* test_file_block.c -- file calls park the task, not the worker, and are
 * cancellation points.  Runs with ONE worker: a FIFO whose reads (and
 * open for writing) wait until another task (on that same worker) opens
 * and writes the other end.  If file calls blocked the worker, this test
 * would hang (and the harness timeout would fail it). */
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vtest.h"

static char dir[256];
static plat_str *fifo;

static uint64_t reader(void *env)
{
  (void)env;
  int32_t fd = (int32_t)OK(plat_file_open(fifo, S("r")));   /* blocks until a writer opens */
  plat_str *all = S("");
  for (;;) {
    plat_str *s = OK_STR(plat_file_read(fd, 4));
    if (!s || s->len == 0) break;
    all = plat_str_concat(all, s);
  }
  OK(plat_file_close(fd));
  CHECK_STR(all, "hello through a fifo");
  return 1;
}

static uint64_t writer(void *env)
{
  (void)env;
  int32_t fd = (int32_t)OK(plat_file_open(fifo, S("w")));
  CHECK((int64_t)OK(plat_file_write(fd, S("hello through a fifo"))) == 20);
  OK(plat_file_close(fd));
  return 2;
}

static atomic_int unwound;
static void note(void *e) { (void)e; atomic_fetch_add(&unwound, 1); }

static uint64_t stuck_reader(void *env)
{
  (void)env;
  plat_defer d;
  plat_defer_push(&d, note, NULL);
  int32_t fd = (int32_t)OK(plat_file_open(fifo, S("r+")));  /* r+ on a FIFO: no wait */
  plat_file_read(fd, 10);                                   /* no data: blocks */
  CHECK(0);
  return 0;
}

static void run(void)
{
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/plat-test-fblock.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) { perror("mkdtemp"); exit(1); }
  fifo = plat_str_fmt("%s/fifo", dir);
  CHECK(mkfifo(fifo->data, 0600) == 0);

  for (int i = 0; i < 20; i++) {                            /* reader first, then writer */
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    plat_task *r = plat_spawn(&sc, reader, NULL, __FILE__, __LINE__);
    plat_task *w = plat_spawn(&sc, writer, NULL, __FILE__, __LINE__);
    CHECK(plat_await(r) == 1 && plat_await(w) == 2);
    plat_scope_exit(&sc);
  }

  /* cancellation of a task blocked in file_read */
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = plat_spawn(&sc, stuck_reader, NULL, __FILE__, __LINE__);
  for (int i = 0; i < 50; i++) plat_yield();
  plat_cancel(t);
  CHECK(plat_await(t) == 0);
  plat_scope_exit(&sc);
  CHECK(atomic_load(&unwound) == 1);
  /* the cancelled read held no thread (a FIFO is served by the poller);
   * data written now is simply left in the FIFO */
  int32_t fd = (int32_t)OK(plat_file_open(fifo, S("r+")));  /* never waits for a peer */
  OK(plat_file_write(fd, S("bye")));
  OK(plat_file_close(fd));

  unlink(fifo->data);
  CHECK(rmdir(dir) == 0);
}

int main(int argc, char **argv)
{
  setenv("PLAT_WORKERS", "1", 1);
  int st = plat_main(argc, argv, vt_entry, NULL);
  fprintf(stderr, "%s: %d checks, %d failed\n", argv[0], vt_checks, vt_failed);
  return st != 0 || vt_failed != 0;
}
