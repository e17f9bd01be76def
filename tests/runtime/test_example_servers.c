/* test_example_servers.c -- the example servers survive running out of
 * file descriptors: examples/echo_server.plat and http_server.plat run
 * with a hard limit of 32 descriptors while 80 clients connect at once.
 * The server accepts until tcp_accept fails with "Too many open files",
 * reports it and retries after a pause; as the test reads each reply and
 * closes that client, descriptors free up and the server accepts the
 * next ones: every client is served, and one more afterwards.  (The
 * examples used to leave their accept loop at the first error and never
 * accept again: this test then hangs and the harness's timeout fails it.)
 *
 * Built with build/plat from the repository root (the directory the test
 * harness runs in); PLAT_VARIANT, when set, selects the runtime variant. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net_test.h"

#define NCLIENTS 80
#define FD_LIMIT 32

typedef struct server {
  const char *example;
  const char *args[3];
  const char *request;                    /* %d: the client's number */
  const char *reply;                      /* what the reply starts with (%d too) */
  bool until_eof;                         /* the reply ends when the server closes */
} server;

static const server servers[] = {
  {"echo_server", {"0", NULL}, "hello %d\n", "hello %d\n", false},
  {"http_server", {"0", "10", NULL}, "GET /page/%d HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
   "HTTP/1.1 200 OK\r\n", true},
};

/* Start the built example with a hard descriptor limit; its stdout is *out. */
static pid_t start(const char *bin, const server *s, int *out) {
  int p[2];
  if (pipe(p) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    struct rlimit rl = {FD_LIMIT, FD_LIMIT};   /* the runtime raises soft to hard: set both */
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) _exit(126);
    char *argv[5] = {(char *)bin};
    for (int i = 0; s->args[i]; i++) argv[i + 1] = (char *)s->args[i];
    execv(bin, argv);
    _exit(127);
  }
  close(p[1]);
  *out = p[0];
  return pid;
}

/* Read the server's output until `want` shows up (or end of output). */
static bool read_until(int fd, char *buf, size_t cap, size_t *n, const char *want) {
  while (!strstr(buf, want)) {
    ssize_t k = read(fd, buf + *n, cap - 1 - *n);
    if (k <= 0) return false;
    *n += (size_t)k;
    buf[*n] = 0;
  }
  return true;
}

static int port_of(const char *banner) {
  const char *c = strstr(banner, "127.0.0.1:");
  return c ? atoi(c + 10) : -1;
}

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return -1;
  return fd;
}

/* Send client i's request, read its reply, check it, close. */
static void request(int fd, const server *s, int i) {
  char req[256], want[256], got[4096];
  int len = snprintf(req, sizeof req, s->request, i % 10);
  snprintf(want, sizeof want, s->reply, i % 10);
  CHECK(write(fd, req, (size_t)len) == len, "client %d: write", i);
  size_t n = 0;
  for (;;) {
    ssize_t k = read(fd, got + n, sizeof got - 1 - n);
    if (k <= 0) break;
    n += (size_t)k;
    if (!s->until_eof && n >= strlen(want)) break;
  }
  got[n] = 0;
  CHECK(strncmp(got, want, strlen(want)) == 0, "client %d of %s got \"%.60s\"", i, s->example, got);
  close(fd);
}

static void run(const server *s) {
  char bin[512], cmd[1200];
  const char *tmp = getenv("TMPDIR");
  snprintf(bin, sizeof bin, "%s/plat-test-%s-%d", tmp && *tmp ? tmp : "/tmp", s->example, (int)getpid());
  snprintf(cmd, sizeof cmd, "build/plat build examples/%s.plat -o %s", s->example, bin);
  if (system(cmd) != 0) {
    CHECK(0, "cannot build %s", s->example);
    return;
  }
  int out = -1;
  pid_t pid = start(bin, s, &out);
  if (pid < 0) {
    CHECK(0, "cannot start %s", s->example);
    return;
  }
  static char log[1 << 16];
  size_t n = 0;
  log[0] = 0;
  CHECK(read_until(out, log, sizeof log, &n, "127.0.0.1:") && read_until(out, log, sizeof log, &n, "\n"),
        "no banner from %s: %s", s->example, log);
  int port = port_of(log);
  int fds[NCLIENTS];
  for (int i = 0; i < NCLIENTS; i++) {            /* all at once: more than the server's fds */
    fds[i] = connect_to(port);
    CHECK(fds[i] >= 0, "connect %d", i);
  }
  int before = atomic_load(&nt_failures);
  for (int i = 0; i < NCLIENTS; i++) {
    if (atomic_load(&nt_failures) > before + 4) {   /* enough said */
      close(fds[i]);
      continue;
    }
    if (fds[i] >= 0) request(fds[i], s, i);
  }
  int last = connect_to(port);                    /* and it still accepts */
  if (last >= 0) request(last, s, NCLIENTS);
  CHECK(read_until(out, log, sizeof log, &n, "Too many open files (retrying in "),
        "%s never ran out of descriptors: the test proves nothing; output:\n%s", s->example, log);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  close(out);
  unlink(bin);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  for (size_t i = 0; i < sizeof servers / sizeof servers[0]; i++) run(&servers[i]);
  return nt_result("test_example_servers");
}
