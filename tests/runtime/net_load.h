/* net_load.h -- the loopback load test, included by test_net_load*.c with
 * different worker counts: NCONN clients connect at once to an echo server
 * (one task per connection) and each exchanges NMSG messages of varying
 * size (1..3000 bytes, contents derived from client and message number),
 * reading every echo back in full and comparing it byte for byte.
 * Passes when every byte came back intact and every connection finished. */
#include "net_test.h"

#define NCONN 1000
#define NMSG 100

static atomic_llong echoed_bytes;       /* checked against the expected total */
static atomic_int clients_done;
static int32_t load_port;

static int64_t msg_len(int64_t c, int64_t m) { return 1 + (c * 7919 + m * 104729) % 3000; }
static char msg_byte(int64_t c, int64_t m, int64_t k) { return (char)('a' + (c + 3 * m + k) % 26); }

static uint64_t echo_conn(void *env) {
  int32_t s = (int32_t)(intptr_t)env;
  for (;;) {
    plat_enum *r = plat_tcp_read(s, 4096);
    if (r->tag != PLAT_OK) break;
    plat_str *d = plat_ptr_w(r->f[0]);
    if (d->len == 0) break;
    if (plat_tcp_write(s, d)->tag != PLAT_OK) break;
  }
  plat_tcp_close(s);
  return 0;
}

/* Accepts until the listener is closed, one task per connection. */
static uint64_t acceptor(void *env) {
  int32_t l = (int32_t)(intptr_t)env;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (;;) {
    plat_enum *r = plat_tcp_accept(l);
    if (r->tag != PLAT_OK) break;
    plat_spawn(&sc, echo_conn, (void *)(intptr_t)plat_i64_w(r->f[0]), __FILE__, __LINE__);
  }
  plat_scope_exit(&sc);
  return 0;
}

static uint64_t client(void *env) {
  int64_t c = (int64_t)(intptr_t)env;
  int32_t s = OK_I32(plat_tcp_connect(S("127.0.0.1"), load_port));
  if (s < 0) return 0;
  char *want = malloc(3000), *got = malloc(3000);
  for (int64_t m = 0; m < NMSG; m++) {
    int64_t n = msg_len(c, m);
    for (int64_t k = 0; k < n; k++) want[k] = msg_byte(c, m, k);
    plat_enum *w = plat_tcp_write(s, plat_str_new(want, n));
    CHECK(w->tag == PLAT_OK && plat_i64_w(w->f[0]) == n, "client %lld write %lld: %s",
          (long long)c, (long long)m, err_text(w));
    bool ok = nt_read_exact(s, got, n);
    CHECK(ok && memcmp(want, got, (size_t)n) == 0, "client %lld message %lld corrupted or lost",
          (long long)c, (long long)m);
    if (!ok) break;
    atomic_fetch_add(&echoed_bytes, n);
  }
  free(want);
  free(got);
  OK_I32(plat_tcp_close(s));
  atomic_fetch_add(&clients_done, 1);
  return 0;
}

static uint64_t load_root(void *env) {
  (void)env;
  int32_t l = nt_listen(&load_port);
  if (l < 0) return 1;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, acceptor, (void *)(intptr_t)l, __FILE__, __LINE__);
  {
    plat_scope cs;
    plat_scope_enter(&cs, __FILE__, __LINE__);
    for (int64_t c = 0; c < NCONN; c++) plat_spawn(&cs, client, (void *)(intptr_t)c, __FILE__, __LINE__);
    plat_scope_exit(&cs);
  }
  OK_I32(plat_tcp_close(l));               /* ends the acceptor */
  plat_scope_exit(&sc);
  int64_t want = 0;
  for (int64_t c = 0; c < NCONN; c++)
    for (int64_t m = 0; m < NMSG; m++) want += msg_len(c, m);
  CHECK(atomic_load(&echoed_bytes) == want, "echoed %lld bytes, expected %lld",
        (long long)atomic_load(&echoed_bytes), (long long)want);
  CHECK(atomic_load(&clients_done) == NCONN, "%d of %d clients finished",
        atomic_load(&clients_done), NCONN);
  return 0;
}

static int run_load(const char *name, int argc, char **argv) {
  plat_main(argc, argv, load_root, NULL);
  return nt_result(name);
}
