/* net_test.h -- helpers shared by the network tests (test_net*.c).
 * Every test talks to 127.0.0.1 only and binds port 0. */
#ifndef NET_TEST_H
#define NET_TEST_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io_internal.h"

static atomic_int nt_failures;

#define CHECK(c, ...)                                                   \
  do {                                                                  \
    if (!(c)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #c); \
      fprintf(stderr, __VA_ARGS__);                                     \
      fputc('\n', stderr);                                              \
      atomic_fetch_add(&nt_failures, 1);                                \
    }                                                                   \
  } while (0)

static inline plat_str *S(const char *s) { return plat_str_cstr(s); }

/* A string of n zero bytes, GC memory (plat_str_alloc zeroes it): nothing
 * for a task to free, even when it is cancelled while using it. */
static inline plat_str *nt_zeros(int64_t n) {
  char *d;
  return plat_str_alloc(n, &d);
}

static inline const char *err_text(plat_enum *r) {
  return r->tag == PLAT_ERR ? ((plat_str *)plat_ptr_w(r->f[0]))->data : "(not an Err)";
}

/* The Int32 in an Ok, or -1 (and a failure) for an Err. */
#define OK_I32(r) nt_ok_i32((r), __FILE__, __LINE__)
static inline int32_t nt_ok_i32(plat_enum *r, const char *file, int line) {
  if (r->tag != PLAT_OK) {
    fprintf(stderr, "%s:%d: unexpected Err: %s\n", file, line, err_text(r));
    atomic_fetch_add(&nt_failures, 1);
    return -1;
  }
  return (int32_t)plat_i64_w(r->f[0]);
}

/* r must be an Err whose text contains `want`. */
#define EXPECT_ERR(r, want)                                                  \
  do {                                                                       \
    plat_enum *r_ = (r);                                                     \
    CHECK(r_->tag == PLAT_ERR && strstr(err_text(r_), (want)),              \
          "expected Err containing \"%s\", got %s%s", (want),               \
          r_->tag == PLAT_ERR ? "Err " : "Ok", r_->tag == PLAT_ERR ? err_text(r_) : ""); \
  } while (0)

/* A listener on 127.0.0.1 with an ephemeral port. */
static inline int32_t nt_listen(int32_t *port) {
  int32_t l = OK_I32(plat_tcp_listen(S("127.0.0.1"), 0));
  *port = l < 0 ? -1 : OK_I32(plat_tcp_local_port(l));
  return l;
}

/* Echo what arrives on s until end of stream or an error, then close s. */
static inline void nt_echo_until_eof(int32_t s) {
  for (;;) {
    plat_enum *r = plat_tcp_read(s, 100);
    if (r->tag != PLAT_OK || ((plat_str *)plat_ptr_w(r->f[0]))->len == 0) break;
    if (plat_tcp_write(s, plat_ptr_w(r->f[0]))->tag != PLAT_OK) break;
  }
  OK_I32(plat_tcp_close(s));
}

/* Read exactly n bytes into buf; false on Err or early end of stream. */
static inline bool nt_read_exact(int32_t sock, char *buf, int64_t n) {
  int64_t got = 0;
  while (got < n) {
    plat_enum *r = plat_tcp_read(sock, n - got);
    if (r->tag != PLAT_OK) return false;
    plat_str *s = plat_ptr_w(r->f[0]);
    if (s->len == 0) return false;
    memcpy(buf + got, s->data, (size_t)s->len);
    got += s->len;
  }
  return true;
}

/* Run child(var, val) in a forked process for each mode: the default
 * workers, PLAT_WORKERS=1 and PLAT_GC_TORTURE=1 (var NULL: none set).
 * Returns 1 if any child failed. */
static inline int nt_each_mode(const char *name, int (*child)(const char *var, const char *val)) {
  static const char *modes[][2] = {{NULL, NULL}, {"PLAT_WORKERS", "1"}, {"PLAT_GC_TORTURE", "1"}};
  int bad = 0;
  for (int m = 0; m < 3; m++) {
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) _exit(child(modes[m][0], modes[m][1]));
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      fprintf(stderr, "%s: mode %s failed (status %d)\n", name, modes[m][0] ? modes[m][0] : "default", st);
      bad = 1;
    }
  }
  return bad;
}

static inline int nt_result(const char *name) {
  int f = atomic_load(&nt_failures);
  fprintf(stderr, "%s: %s (%d failed checks)\n", name, f ? "FAIL" : "ok", f);
  return f ? 1 : 0;
}

#endif
