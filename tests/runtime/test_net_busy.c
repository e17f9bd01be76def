/* test_net_busy.c -- sockets are not starved by busy workers: on one
 * worker (PLAT_WORKERS=1), tasks that never block (they only yield) keep
 * the run queue non-empty, so the worker never goes idle; an echo
 * exchange over loopback must still complete, which needs the poller to
 * run while the worker is busy. */
#include "net_test.h"

#define NSPIN 4
#define NMSG 200

static atomic_int stop;

static uint64_t spinner(void *env) {
  (void)env;
  while (!atomic_load(&stop)) plat_yield();
  return 0;
}

static uint64_t echo_once(void *env) {
  int32_t l = (int32_t)(intptr_t)env;
  nt_echo_until_eof(OK_I32(plat_tcp_accept(l)));
  return 0;
}

static uint64_t root(void *env) {
  (void)env;
  int32_t port;
  int32_t l = nt_listen(&port);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (int i = 0; i < NSPIN; i++) plat_spawn(&sc, spinner, NULL, __FILE__, __LINE__);
  plat_spawn(&sc, echo_once, (void *)(intptr_t)l, __FILE__, __LINE__);
  int32_t c = OK_I32(plat_tcp_connect(S("127.0.0.1"), port));
  char got[16];
  for (int m = 0; m < NMSG; m++) {
    char msg[16];
    int n = snprintf(msg, sizeof msg, "msg %d", m);
    CHECK(OK_I32(plat_tcp_write(c, plat_str_new(msg, n))) == n, "write");
    CHECK(nt_read_exact(c, got, n) && memcmp(got, msg, (size_t)n) == 0, "echo %d", m);
  }
  OK_I32(plat_tcp_close(c));
  atomic_store(&stop, 1);
  plat_scope_exit(&sc);
  OK_I32(plat_tcp_close(l));
  return 0;
}

int main(int argc, char **argv) {
  setenv("PLAT_WORKERS", "1", 1);
  plat_main(argc, argv, root, NULL);
  return nt_result("test_net_busy");
}
