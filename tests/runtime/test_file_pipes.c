/* test_file_pipes.c -- file calls on pipes, FIFOs and character devices
 * lose no data: file_read_all reads to end of file whatever the file is
 * (it returned only the first 64 KiB of a pipe), writes loop over short
 * writes, and a FIFO keeps its blocking meaning (a read before any writer
 * waits for one) while no call holds a thread.  Every scenario runs three
 * times, each in a child process: default workers, PLAT_WORKERS=1 and
 * PLAT_GC_TORTURE=1. */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net_test.h"

#define NPAIRS 24
static char dir[256];
static char *seq;                         /* "1\n2\n...100000\n", like `seq 1 100000` */
static int64_t seq_len;

static void make_seq(void) {
  seq = malloc(700000);
  for (int i = 1; i <= 100000; i++) seq_len += sprintf(seq + seq_len, "%d\n", i);
}

static plat_str *path(const char *fmt, int i) {
  char name[64];
  snprintf(name, sizeof name, fmt, i);
  return plat_str_fmt("%s/%s", dir, name);
}

static plat_str *ok_str(plat_enum *r, const char *what) {
  CHECK(r->tag == PLAT_OK, "%s: %s", what, err_text(r));
  return r->tag == PLAT_OK ? plat_ptr_w(r->f[0]) : S("");
}

static void same_as_seq(plat_str *s, const char *what) {
  CHECK(s->len == seq_len && memcmp(s->data, seq, (size_t)seq_len) == 0,
        "%s: %lld bytes, want %lld", what, (long long)s->len, (long long)seq_len);
}

/* A plain thread writes seq to a path or fd in uneven chunks, pausing. */
typedef struct feeder { const char *path; int fd; } feeder;
static void *feed(void *arg) {
  feeder *f = arg;
  int fd = f->path ? open(f->path, O_WRONLY) : f->fd;      /* a FIFO: waits for the reader */
  CHECK(fd >= 0, "feeder open");
  for (int64_t off = 0, k = 0; off < seq_len; k++) {
    int64_t n = 1 + (k * 7919) % 20000;
    if (n > seq_len - off) n = seq_len - off;
    ssize_t w = write(fd, seq + off, (size_t)n);
    CHECK(w > 0, "feeder write");
    if (w <= 0) break;
    off += w;
    if (k % 8 == 0) usleep(200);          /* the reader finds the pipe empty */
  }
  close(fd);
  return NULL;
}

/* file_read_all of a FIFO and of a pipe (through /proc/self/fd) fed by
 * another thread: every byte. */
static void read_all_external(void) {
  plat_str *fifo = path("ext.fifo", 0);
  CHECK(mkfifo(fifo->data, 0600) == 0, "mkfifo");
  feeder f = {fifo->data, -1};
  pthread_t th;
  pthread_create(&th, NULL, feed, &f);
  same_as_seq(ok_str(plat_file_read_all(fifo), "read_all fifo"), "read_all of a FIFO");
  pthread_join(th, NULL);
  unlink(fifo->data);

  int p[2];
  CHECK(pipe(p) == 0, "pipe");
  feeder g = {NULL, p[1]};
  pthread_create(&th, NULL, feed, &g);
  plat_str *proc = plat_str_fmt("/proc/self/fd/%d", p[0]);
  same_as_seq(ok_str(plat_file_read_all(proc), "read_all pipe"), "read_all of a pipe");
  pthread_join(th, NULL);
  close(p[0]);
}

/* NPAIRS writer tasks and NPAIRS reader tasks, each pair on its FIFO. */
static uint64_t pair_writer(void *env) {
  plat_str *fifo = env;
  plat_enum *o = plat_file_open(fifo, S("w"));              /* waits for the reader */
  CHECK(o->tag == PLAT_OK, "open w: %s", err_text(o));
  int32_t fd = (int32_t)plat_i64_w(o->f[0]);
  for (int64_t off = 0, k = 0; off < seq_len; k++) {
    int64_t n = 1 + (k * 104729) % 50000;
    if (n > seq_len - off) n = seq_len - off;
    plat_enum *w = plat_file_write(fd, plat_str_new(seq + off, n));
    CHECK(w->tag == PLAT_OK && plat_i64_w(w->f[0]) == n, "write: %s", err_text(w));
    off += n;
    if (k % 5 == 0) plat_yield();
  }
  CHECK(plat_file_close(fd)->tag == PLAT_OK, "close");
  return 0;
}

static uint64_t pair_reader(void *env) {
  same_as_seq(ok_str(plat_file_read_all(env), "read_all"), "read_all of a FIFO fed by a task");
  return 0;
}

static void pairs(void) {
  plat_str *fifos[NPAIRS];
  for (int i = 0; i < NPAIRS; i++) {
    fifos[i] = path("pair%d.fifo", i);
    CHECK(mkfifo(fifos[i]->data, 0600) == 0, "mkfifo");
  }
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (int i = 0; i < NPAIRS; i++) {              /* half the writers start first */
    if (i % 2) plat_spawn(&sc, pair_writer, fifos[i], __FILE__, __LINE__);
    plat_spawn(&sc, pair_reader, fifos[i], __FILE__, __LINE__);
    if (!(i % 2)) plat_spawn(&sc, pair_writer, fifos[i], __FILE__, __LINE__);
  }
  plat_scope_exit(&sc);
  for (int i = 0; i < NPAIRS; i++) unlink(fifos[i]->data);
}

/* file_read on a FIFO: opening for reading does not wait; a read before
 * any writer waits for one (it is not end of file); then data, then "". */
static uint64_t late_writer(void *env) {
  for (int i = 0; i < 20; i++) plat_yield();
  int32_t fd = OK_I32(plat_file_open(env, S("w")));
  OK_I32(plat_file_write(fd, S("abc")));
  plat_sleep_ms(2);
  OK_I32(plat_file_write(fd, S("def")));
  plat_file_close(fd);
  return 0;
}

static void fifo_reads(void) {
  plat_str *fifo = path("late.fifo", 0);
  CHECK(mkfifo(fifo->data, 0600) == 0, "mkfifo");
  int32_t fd = OK_I32(plat_file_open(fifo, S("r")));
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, late_writer, fifo, __FILE__, __LINE__);
  plat_str *got = S("");
  for (;;) {
    plat_str *s = ok_str(plat_file_read(fd, 100), "file_read fifo");
    if (s->len == 0) break;
    got = plat_str_concat(got, s);
  }
  plat_scope_exit(&sc);
  CHECK(plat_str_eq(got, S("abcdef")), "file_read of a FIFO got \"%s\"", got->data);
  CHECK(plat_file_close(fd)->tag == PLAT_OK, "close");
  unlink(fifo->data);
}

/* A large write to a FIFO whose reader is slow: every byte, in order. */
static void *slow_reader(void *arg) {
  const char *p = arg;
  int fd = open(p, O_RDONLY);
  char *buf = malloc((size_t)seq_len);
  int64_t n = 0;
  ssize_t r;
  while ((r = read(fd, buf + n, 3000)) > 0) {
    n += r;
    if (n % 7 == 0) usleep(100);
  }
  close(fd);
  CHECK(n == seq_len && memcmp(buf, seq, (size_t)n) == 0, "slow reader got %lld bytes", (long long)n);
  free(buf);
  return NULL;
}

static void big_write(void) {
  plat_str *fifo = path("big.fifo", 0);
  CHECK(mkfifo(fifo->data, 0600) == 0, "mkfifo");
  pthread_t th;
  pthread_create(&th, NULL, slow_reader, (void *)fifo->data);
  int32_t fd = OK_I32(plat_file_open(fifo, S("w")));
  plat_enum *w = plat_file_write(fd, plat_str_new(seq, seq_len));
  CHECK(w->tag == PLAT_OK && plat_i64_w(w->f[0]) == seq_len, "big write: %s", err_text(w));
  plat_file_close(fd);
  pthread_join(th, NULL);
  unlink(fifo->data);
}

/* Character devices: epoll refuses /dev/null, which is then served by the
 * helpers; read_all of a /proc file (size 0) reads all of it. */
static void devices(void) {
  CHECK(ok_str(plat_file_read_all(S("/dev/null")), "null")->len == 0, "/dev/null not empty");
  int32_t fd = OK_I32(plat_file_open(S("/dev/null"), S("r+")));
  CHECK(ok_str(plat_file_read(fd, 10), "read null")->len == 0, "read /dev/null");
  OK_I32(plat_file_write(fd, S("gone")));
  plat_file_close(fd);
  plat_str *st = ok_str(plat_file_read_all(S("/proc/self/status")), "status");
  CHECK(strstr(st->data, "Name:") && strstr(st->data, "VmPeak") && st->data[st->len - 1] == '\n',
        "/proc/self/status truncated (%lld bytes)", (long long)st->len);
  /* a FIFO is not a socket, and a socket not a file */
  plat_str *fifo = path("kind.fifo", 0);
  CHECK(mkfifo(fifo->data, 0600) == 0, "mkfifo");
  fd = OK_I32(plat_file_open(fifo, S("r+")));
  EXPECT_ERR(plat_tcp_read(fd, 10), "not a socket (a file opened by file_open)");
  plat_file_close(fd);
  EXPECT_ERR(plat_file_read(fd, 10), "Bad file descriptor");
  unlink(fifo->data);
}

static uint64_t run(void *env) {
  (void)env;
  read_all_external();
  pairs();
  fifo_reads();
  big_write();
  devices();
  return 0;
}

static int child(const char *var, const char *val) {
  if (var) setenv(var, val, 1);
  plat_main(0, NULL, run, NULL);
  return nt_result(var ? var : "default workers");
}

int main(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/plat-test-pipes.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  make_seq();
  int bad = nt_each_mode("test_file_pipes", child);
  rmdir(dir);
  fprintf(stderr, "test_file_pipes: %s\n", bad ? "FAIL" : "ok");
  return bad;
}
