/* test_net_bad.c -- every bad input to the tcp_* built-ins is an Err with
 * a readable reason, never a crash or a hang; end of stream and a write to
 * a closed peer behave as documented (docs/IO.md). */
#include <fcntl.h>
#include <unistd.h>

#include "net_test.h"

static void bad_ports_and_hosts(void) {
  EXPECT_ERR(plat_tcp_listen(S("127.0.0.1"), -1), "tcp_listen: 127.0.0.1:-1: invalid port -1");
  EXPECT_ERR(plat_tcp_listen(S("127.0.0.1"), 65536), "invalid port 65536");
  EXPECT_ERR(plat_tcp_connect(S("127.0.0.1"), 70000), "tcp_connect: 127.0.0.1:70000: invalid port");
  EXPECT_ERR(plat_tcp_connect(S("127.0.0.1"), 0), "invalid port 0");
  /* Names with characters a host name cannot have fail in the resolver
   * without any DNS traffic. */
  EXPECT_ERR(plat_tcp_connect(S("bad_host!name"), 80), "tcp_connect: bad_host!name:80: ");
  EXPECT_ERR(plat_tcp_listen(S("a..b"), 0), "tcp_listen: a..b:0: ");
  EXPECT_ERR(plat_tcp_connect(plat_str_new("127.0.0.1\0x", 11), 80), "invalid host");
  EXPECT_ERR(plat_tcp_listen(S("192.0.2.1"), 0), "Cannot assign requested address");
}

static void bad_fds(void) {
  int32_t port;
  int32_t l = nt_listen(&port);
  int pipefd[2];
  CHECK(pipe(pipefd) == 0, "pipe");
  int32_t foreign[] = { -1, 0, 1, 2, pipefd[0], pipefd[1], 99999, 2000000000 };
  for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++) {
    int32_t f = foreign[i];
    EXPECT_ERR(plat_tcp_read(f, 10), "tcp_read: ");
    EXPECT_ERR(plat_tcp_write(f, S("x")), "tcp_write: ");
    EXPECT_ERR(plat_tcp_close(f), "tcp_close: ");
    EXPECT_ERR(plat_tcp_accept(f), "tcp_accept: ");
    EXPECT_ERR(plat_tcp_local_port(f), "tcp_local_port: ");
  }
  EXPECT_ERR(plat_tcp_read(pipefd[0], 10), "not a socket opened by tcp_");
  CHECK(fcntl(pipefd[0], F_GETFD) >= 0, "the foreign fd was left alone");
  close(pipefd[0]);
  close(pipefd[1]);

  int32_t c = OK_I32(plat_tcp_connect(S("127.0.0.1"), port));
  int32_t a = OK_I32(plat_tcp_accept(l));
  EXPECT_ERR(plat_tcp_read(c, -1), "tcp_read: max_bytes must be positive, got -1");
  EXPECT_ERR(plat_tcp_read(c, 0), "max_bytes must be positive");
  EXPECT_ERR(plat_tcp_read(l, 10), "is a listening socket");
  EXPECT_ERR(plat_tcp_write(l, S("x")), "is a listening socket");
  EXPECT_ERR(plat_tcp_accept(c), "is not a listening socket");
  CHECK(OK_I32(plat_tcp_local_port(c)) > 0, "local port of a connection");

  /* End of stream, then writes into a closed peer: Err, no SIGPIPE. */
  CHECK(OK_I32(plat_tcp_write(a, S("bye"))) == 3, "write");
  OK_I32(plat_tcp_close(a));
  char buf[3];
  CHECK(nt_read_exact(c, buf, 3) && memcmp(buf, "bye", 3) == 0, "data before end of stream");
  plat_enum *r = plat_tcp_read(c, 100);
  CHECK(r->tag == PLAT_OK && ((plat_str *)plat_ptr_w(r->f[0]))->len == 0, "end of stream is \"\"");
  plat_enum *w = NULL;
  for (int i = 0; i < 1000 && (!w || w->tag == PLAT_OK); i++) {
    w = plat_tcp_write(c, S("into the void"));
    plat_sleep_ms(1);
  }
  EXPECT_ERR(w, "tcp_write: ");

  /* Closed sockets and double close. */
  OK_I32(plat_tcp_close(c));
  EXPECT_ERR(plat_tcp_close(c), "tcp_close: ");
  EXPECT_ERR(plat_tcp_read(c, 10), "tcp_read: ");
  EXPECT_ERR(plat_tcp_write(c, S("x")), "tcp_write: ");
  EXPECT_ERR(plat_tcp_read(a, 10), "tcp_read: ");

  /* A port in use; a refused connection (to a port just freed). */
  EXPECT_ERR(plat_tcp_listen(S("127.0.0.1"), port), "Address already in use");
  OK_I32(plat_tcp_close(l));
  EXPECT_ERR(plat_tcp_accept(l), "tcp_accept: ");
  char want[64];
  snprintf(want, sizeof want, "tcp_connect: 127.0.0.1:%d: Connection refused", (int)port);
  EXPECT_ERR(plat_tcp_connect(S("127.0.0.1"), port), want);
}

/* Names go through the helper pool; "" listens on every address and
 * connects to the loopback. */
static void names(void) {
  int32_t l = OK_I32(plat_tcp_listen(S(""), 0));
  int32_t port = OK_I32(plat_tcp_local_port(l));
  int32_t c1 = OK_I32(plat_tcp_connect(S("localhost"), port));
  int32_t a1 = OK_I32(plat_tcp_accept(l));
  int32_t c2 = OK_I32(plat_tcp_connect(S(""), port));
  int32_t a2 = OK_I32(plat_tcp_accept(l));
  CHECK(OK_I32(plat_tcp_write(c1, S("one"))) == 3 && OK_I32(plat_tcp_write(c2, S("two"))) == 3, "w");
  char b1[3], b2[3];
  CHECK(nt_read_exact(a1, b1, 3) && memcmp(b1, "one", 3) == 0, "via localhost");
  CHECK(nt_read_exact(a2, b2, 3) && memcmp(b2, "two", 3) == 0, "via \"\"");
  int32_t all[] = { c1, a1, c2, a2, l };
  for (int i = 0; i < 5; i++) OK_I32(plat_tcp_close(all[i]));
}

static uint64_t root(void *env) {
  (void)env;
  bad_ports_and_hosts();
  bad_fds();
  names();
  return 0;
}

int main(int argc, char **argv) {
  plat_main(argc, argv, root, NULL);
  return nt_result("test_net_bad");
}
