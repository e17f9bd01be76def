/* test_net_disconnect.c -- clients that go away mid-conversation (half a
 * message then close, close at once, reset, stop reading while the server
 * floods them) are interleaved with well-behaved clients: every handler
 * must end (with "" or an Err, never a hang or a crash: SIGPIPE is
 * ignored) and every good client must get all its bytes back intact. */
#include <sys/socket.h>

#include "net_test.h"

#define NGOOD 100
#define NBAD 100
#define NMSG 50

static int32_t port;
static atomic_int handlers_done, handlers_err, good_done;

static uint64_t handler(void *env) {
  int32_t s = (int32_t)(intptr_t)env;
  bool first = true, err = false;
  for (;;) {
    plat_enum *r = plat_tcp_read(s, 4096);
    if (r->tag != PLAT_OK) { err = true; break; }
    plat_str *d = plat_ptr_w(r->f[0]);
    if (d->len == 0) break;
    if (first && d->data[0] == 'F') {     /* flood until the client is gone */
      plat_str *big = nt_zeros(1 << 20);
      while (plat_tcp_write(s, big)->tag == PLAT_OK) {}
      err = true;
      break;
    }
    first = false;
    if (plat_tcp_write(s, d)->tag != PLAT_OK) { err = true; break; }
  }
  OK_I32(plat_tcp_close(s));
  if (err) atomic_fetch_add(&handlers_err, 1);
  atomic_fetch_add(&handlers_done, 1);
  return 0;
}

static uint64_t acceptor(void *env) {
  int32_t l = (int32_t)(intptr_t)env;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (;;) {
    plat_enum *r = plat_tcp_accept(l);
    if (r->tag != PLAT_OK) break;
    plat_spawn(&sc, handler, (void *)(intptr_t)plat_i64_w(r->f[0]), __FILE__, __LINE__);
  }
  plat_scope_exit(&sc);
  return 0;
}

static uint64_t good(void *env) {
  int64_t c = (int64_t)(intptr_t)env;
  int32_t s = OK_I32(plat_tcp_connect(S("127.0.0.1"), port));
  if (s < 0) return 0;
  char want[2000], got[2000];
  for (int m = 0; m < NMSG; m++) {
    int n = 1 + (int)((c * 31 + m * 17) % 2000);
    for (int k = 0; k < n; k++) want[k] = (char)('a' + (c + m + k) % 26);
    CHECK(OK_I32(plat_tcp_write(s, plat_str_new(want, n))) == n, "good write");
    CHECK(nt_read_exact(s, got, n) && memcmp(want, got, (size_t)n) == 0,
          "good client %lld message %d", (long long)c, m);
  }
  OK_I32(plat_tcp_close(s));
  atomic_fetch_add(&good_done, 1);
  return 0;
}

static uint64_t bad(void *env) {
  int64_t c = (int64_t)(intptr_t)env;
  int32_t s = OK_I32(plat_tcp_connect(S("127.0.0.1"), port));
  if (s < 0) return 0;
  char buf[1000];
  memset(buf, 'q', sizeof buf);
  switch (c % 4) {
  case 0:                                  /* half a message, then gone */
    OK_I32(plat_tcp_write(s, plat_str_new(buf, 500)));
    break;
  case 1:                                  /* gone at once */
    break;
  case 2: {                                /* reset (RST) after a message */
    OK_I32(plat_tcp_write(s, plat_str_new(buf, 1000)));
    struct linger lg = { .l_onoff = 1, .l_linger = 0 };
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    break;
  }
  case 3:                                  /* asks for a flood, stops reading */
    OK_I32(plat_tcp_write(s, S("F")));
    CHECK(nt_read_exact(s, buf, 10), "start of the flood");
    break;
  }
  OK_I32(plat_tcp_close(s));
  return 0;
}

static uint64_t root(void *env) {
  (void)env;
  int32_t l = nt_listen(&port);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, acceptor, (void *)(intptr_t)l, __FILE__, __LINE__);
  {
    plat_scope cs;
    plat_scope_enter(&cs, __FILE__, __LINE__);
    for (int64_t i = 0; i < NGOOD + NBAD; i++)
      plat_spawn(&cs, i % 2 ? bad : good, (void *)(intptr_t)(i / 2), __FILE__, __LINE__);
    plat_scope_exit(&cs);
  }
  OK_I32(plat_tcp_close(l));
  plat_scope_exit(&sc);
  CHECK(atomic_load(&good_done) == NGOOD, "%d good clients done", atomic_load(&good_done));
  CHECK(atomic_load(&handlers_done) == NGOOD + NBAD, "%d handlers done", atomic_load(&handlers_done));
  /* The flood handlers at least must have seen their write fail. */
  CHECK(atomic_load(&handlers_err) >= NBAD / 4, "%d handlers saw an Err", atomic_load(&handlers_err));
  return 0;
}

int main(int argc, char **argv) {
  plat_main(argc, argv, root, NULL);
  return nt_result("test_net_disconnect");
}
