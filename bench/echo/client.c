/* client.c -- echo load generator shared by every server in bench/echo.
 *
 *   client PORT CONNS SECONDS [MSG_BYTES]
 *
 * Opens CONNS connections to 127.0.0.1:PORT; each repeatedly sends one
 * MSG_BYTES message (default 64), waits until the whole echo is back and
 * checks it, then sends the next (one message in flight per connection).
 * One thread, epoll level-triggered.  After a 1 s warm-up it counts round
 * trips for SECONDS and prints "round_trips_per_sec N".  Exit status 1 on
 * a connection error or a corrupted echo.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct conn { int fd; int got; unsigned seq; } conn;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill(char *m, int n, unsigned seq) {
  for (int i = 0; i < n; i++) m[i] = (char)('a' + (seq + (unsigned)i) % 26);
}

static int send_msg(conn *c, char *m, int n) {
  fill(m, n, c->seq);
  int off = 0;
  while (off < n) {
    ssize_t w = send(c->fd, m + off, (size_t)(n - off), MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    off += (int)w;
  }
  c->got = 0;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: client PORT CONNS SECONDS [MSG_BYTES]\n");
    return 2;
  }
  int port = atoi(argv[1]), nconn = atoi(argv[2]);
  double secs = atof(argv[3]);
  int msg = argc > 4 ? atoi(argv[4]) : 64;
  if (msg < 1 || msg > 65536 || nconn < 1) { fprintf(stderr, "client: bad arguments\n"); return 2; }
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }

  int ep = epoll_create1(0);
  conn *cs = calloc((size_t)nconn, sizeof *cs);
  char *out = malloc((size_t)msg), *want = malloc((size_t)msg), *in = malloc(65536);
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
  inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
  for (int i = 0; i < nconn; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
      perror("client: connect");
      return 1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    cs[i].fd = fd;
    cs[i].seq = (unsigned)i;
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &cs[i] };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  for (int i = 0; i < nconn; i++)
    if (send_msg(&cs[i], out, msg) < 0) { perror("client: send"); return 1; }

  struct epoll_event evs[512];
  double start = now_s(), t0 = start + 1.0, end = t0 + secs;
  long long count = 0;
  int counting = 0;
  for (;;) {
    double t = now_s();
    if (!counting && t >= t0) { counting = 1; count = 0; }
    if (t >= end) break;
    int n = epoll_wait(ep, evs, 512, 100);
    for (int k = 0; k < n; k++) {
      conn *c = evs[k].data.ptr;
      ssize_t r = recv(c->fd, in, (size_t)(msg - c->got), 0);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) { fprintf(stderr, "client: connection lost: %s\n", r ? strerror(errno) : "eof"); return 1; }
      fill(want, msg, c->seq);
      if (memcmp(in, want + c->got, (size_t)r) != 0) { fprintf(stderr, "client: corrupted echo\n"); return 1; }
      c->got += (int)r;
      if (c->got == msg) {
        count++;
        c->seq++;
        if (send_msg(c, out, msg) < 0) { perror("client: send"); return 1; }
      }
    }
  }
  double dur = now_s() - t0;
  printf("round_trips_per_sec %.0f\n", (double)count / dur);
  return 0;
}
