/* rt_test.h -- tiny helpers for the runtime's C tests. */
#ifndef RT_TEST_H
#define RT_TEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plat_rt.h"

#define CHECK(c)                                                             \
  do {                                                                       \
    if (!(c)) {                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c);  \
      fflush(stderr);                                                        \
      _exit(1);                                                              \
    }                                                                        \
  } while (0)

/* Fail the test unless `want` appears in `out` (a child's output). */
static inline void expect(const char *out, const char *want) {
  if (!strstr(out, want)) {
    fprintf(stderr, "missing in output:\n%s\n--- output was:\n%s\n", want, out);
    exit(1);
  }
}

/* Run `fn` in a child process (which calls plat_main itself); capture its
 * stderr into buf; return its exit status (or 128+signal). */
static inline int run_child(int (*fn)(void), char *buf, size_t cap) {
  int p[2];
  if (pipe(p) != 0) return -1;
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    dup2(p[1], 2);
    dup2(p[1], 1);
    _exit(fn());
  }
  close(p[1]);
  size_t n = 0;
  ssize_t k;
  while ((k = read(p[0], buf + n, cap - 1 - n)) > 0) n += (size_t)k;
  buf[n] = 0;
  close(p[0]);
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
#endif
