/* test_net_close_race.c -- tcp_close racing with reads and writes of the
 * same socket in other tasks, while new sockets reuse the fd numbers just
 * freed: every call returns (Ok or Err), nothing crashes or hangs, and the
 * poller ends with no parked task.  Runs NROUND rounds of NPAIR
 * connections; on each end one task reads, one writes (up to 50 KiB) and
 * one closes after a varying number of yields. */
#include "net_test.h"

#define NPAIR 100
#define NROUND 5

typedef struct side {
  int32_t sock;
  int yields;
  atomic_int reads, writes, closes;
} side;

static uint64_t reader(void *env) {
  side *s = env;
  for (;;) {
    plat_enum *r = plat_tcp_read(s->sock, 4096);
    if (r->tag != PLAT_OK || ((plat_str *)plat_ptr_w(r->f[0]))->len == 0) break;
    atomic_fetch_add(&s->reads, 1);
  }
  return 0;
}

static uint64_t writer(void *env) {
  side *s = env;
  plat_str *chunk = nt_zeros(1024);
  for (int i = 0; i < 50 && plat_tcp_write(s->sock, chunk)->tag == PLAT_OK; i++)
    atomic_fetch_add(&s->writes, 1);
  return 0;
}

static uint64_t closer(void *env) {
  side *s = env;
  for (int i = 0; i < s->yields; i++) plat_yield();
  if (plat_tcp_close(s->sock)->tag == PLAT_OK) atomic_fetch_add(&s->closes, 1);
  return 0;
}

static void round_(int32_t l, int32_t port, int round) {
  side *cs = plat_alloc(NPAIR * sizeof *cs), *as = plat_alloc(NPAIR * sizeof *as);
  for (int i = 0; i < NPAIR; i++) {
    cs[i].sock = OK_I32(plat_tcp_connect(S("127.0.0.1"), port));
    as[i].sock = OK_I32(plat_tcp_accept(l));
    cs[i].yields = (i * 7 + round) % 13;
    as[i].yields = (i * 5 + round * 3) % 17;
  }
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (int i = 0; i < NPAIR; i++) {
    side *both[2] = { &cs[i], &as[i] };
    for (int k = 0; k < 2; k++) {
      plat_spawn(&sc, reader, both[k], __FILE__, __LINE__);
      plat_spawn(&sc, writer, both[k], __FILE__, __LINE__);
      plat_spawn(&sc, closer, both[k], __FILE__, __LINE__);
    }
  }
  plat_scope_exit(&sc);
  long long w = 0, r = 0;
  for (int i = 0; i < NPAIR; i++) {
    w += atomic_load(&cs[i].writes) + atomic_load(&as[i].writes);
    r += atomic_load(&cs[i].reads) + atomic_load(&as[i].reads);
  }
  if (round == 0) fprintf(stderr, "round 0: %lld writes, %lld reads before the closes\n", w, r);
  for (int i = 0; i < NPAIR; i++) {
    CHECK(atomic_load(&cs[i].closes) == 1 && atomic_load(&as[i].closes) == 1, "pair %d closed once", i);
    EXPECT_ERR(plat_tcp_read(cs[i].sock, 1), "tcp_read: ");
  }
}

static uint64_t root(void *env) {
  (void)env;
  int32_t port;
  int32_t l = nt_listen(&port);
  for (int r = 0; r < NROUND; r++) round_(l, port, r);
  OK_I32(plat_tcp_close(l));
  CHECK(plat_poller_pending() == 0, "%lld tasks still parked", (long long)plat_poller_pending());
  return 0;
}

int main(int argc, char **argv) {
  plat_main(argc, argv, root, NULL);
  return nt_result("test_net_close_race");
}
