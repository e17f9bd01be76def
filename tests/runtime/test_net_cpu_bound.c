/* test_net_cpu_bound.c -- a socket becomes ready while the only worker
 * (PLAT_WORKERS=1) runs a CPU-bound task that never blocks or yields by
 * itself: the monitor thread polls the epoll set every tick while tasks
 * run (monitor.c), so the reader is readied within a couple of
 * preemptions (10 ms slices).  Before, nothing polled: a preempted task
 * with nothing else runnable keeps its worker without a schedule, so the
 * busy worker's own poll (every 61st schedule) never came.  Counted in the
 * worker's resume counter, not in time. */
#include <pthread.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "net_test.h"
#include "rt_internal.h"

static atomic_int got_data;
static int32_t port;

static uint64_t reader(void *env) {
  int32_t l = (int32_t)(intptr_t)env;
  int32_t s = OK_I32(plat_tcp_accept(l));
  plat_enum *r = plat_tcp_read(s, 16);     /* parked until the thread writes */
  CHECK(r->tag == PLAT_OK && ((plat_str *)plat_ptr_w(r->f[0]))->len > 0, "read");
  atomic_store(&got_data, 1);
  OK_I32(plat_tcp_close(s));
  return 0;
}

static atomic_int spinning;

/* A plain thread: connect, wait until the spinner runs, write. */
static void *writer(void *arg) {
  (void)arg;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return NULL;
  while (!atomic_load(&spinning)) usleep(1000);
  usleep(20000);
  if (send(fd, "ping", 4, MSG_NOSIGNAL) != 4) return NULL;
  while (!atomic_load(&got_data)) usleep(1000);
  close(fd);
  return NULL;
}

static uint64_t root(void *env) {
  (void)env;
  int32_t l = nt_listen(&port);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, reader, (void *)(intptr_t)l, __FILE__, __LINE__);
  plat_sleep_ms(10);                       /* the reader parks in accept */
  pthread_t th;
  CHECK(pthread_create(&th, NULL, writer, NULL) == 0, "pthread_create");
  plat_sleep_ms(20);                       /* accepted; parked in read */
  plat_worker *w = plat_cur_worker();
  unsigned long t0 = atomic_load(&w->ticks);
  atomic_store(&spinning, 1);
  /* CPU-bound: only the loop check gives the worker away (preemption).
   * Without the monitor's poll the reader is never readied (a yield with
   * nothing else runnable does not even reach the scheduler), so the loop
   * gives up after 10 s -- a liveness bound, not a timing. */
  int64_t give_up = plat_now_ns() + 10 * 1000000000LL;
  while (!atomic_load(&got_data) && plat_now_ns() < give_up) PLAT_LOOP_CHECK(__FILE__, __LINE__);
  CHECK(atomic_load(&got_data), "the reader was never readied while the worker computed");
  CHECK(atomic_load(&w->ticks) - t0 < 40, "reader readied only after %lu resumes",
        (unsigned long)(atomic_load(&w->ticks) - t0));
  unsigned long slices = atomic_load(&w->ticks) - t0;
  fprintf(stderr, "test_net_cpu_bound: reader readied after %lu resumes\n", slices);
  plat_scope_exit(&sc);
  pthread_join(th, NULL);
  OK_I32(plat_tcp_close(l));
  return 0;
}

int main(int argc, char **argv) {
  setenv("PLAT_WORKERS", "1", 1);
  plat_main(argc, argv, root, NULL);
  return nt_result("test_net_cpu_bound");
}
