/* vtest.h -- tiny check helpers for the value-library tests.
 * A test file defines `static void run(void)` with CHECK* calls and
 * includes this header last-but-one; VTEST_MAIN runs it inside plat_main
 * (so GC and scheduler are set up as for a real program), prints a
 * summary and fails if any check failed. */
#ifndef VTEST_H
#define VTEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plat_value.h"

static int vt_checks, vt_failed;

#define CHECK(c) vt_check((c), #c, __FILE__, __LINE__)
static inline void vt_check(bool ok, const char *what, const char *file, int line)
{
  vt_checks++;
  if (!ok) { vt_failed++; fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what); }
}

#define S(lit) plat_str_new((lit), (int64_t)sizeof(lit) - 1)
#define CHECK_STR(s, want) vt_check_str((s), (want), (int64_t)sizeof(want) - 1, #s, __FILE__, __LINE__)
static inline void vt_check_str(plat_str *s, const char *want, int64_t wlen, const char *what, const char *file, int line)
{
  vt_checks++;
  if (s->len != wlen || memcmp(s->data, want, (size_t)wlen) != 0 || s->data[s->len] != '\0') {
    vt_failed++;
    fprintf(stderr, "%s:%d: %s is \"%s\" (%lld bytes), want \"%s\"\n", file, line, what, s->data,
            (long long)s->len, want);
  }
}

/* Payload of Some/Ok (checking the tag), or of Err. */
#define SOME(e) vt_payload((e), PLAT_SOME, #e, __FILE__, __LINE__)
#define OK(e) vt_payload((e), PLAT_OK, #e, __FILE__, __LINE__)
#define ERR(e) vt_payload((e), PLAT_ERR, #e, __FILE__, __LINE__)
static inline plat_word vt_payload(plat_enum *e, int64_t tag, const char *what, const char *file, int line)
{
  vt_checks++;
  if (e->tag != tag) {
    vt_failed++;
    fprintf(stderr, "%s:%d: %s has tag %lld, want %lld", file, line, what, (long long)e->tag, (long long)tag);
    if (e->tag == PLAT_ERR && tag != PLAT_ERR) fprintf(stderr, " (Err \"%s\")", ((plat_str *)plat_ptr_w(e->f[0]))->data);
    fprintf(stderr, "\n");
    return 0;
  }
  return e->f[0];
}
#define ERR_STR(e) ((plat_str *)plat_ptr_w(ERR(e)))
#define OK_STR(e) ((plat_str *)plat_ptr_w(OK(e)))
#define SOME_STR(e) ((plat_str *)plat_ptr_w(SOME(e)))
#define IS_NONE(e) CHECK((e)->tag == PLAT_NONE && (e) == plat_none())
/* The Err message contains `part`. */
#define CHECK_ERR_HAS(e, part) vt_err_has((e), (part), #e, __FILE__, __LINE__)
static inline void vt_err_has(plat_enum *e, const char *part, const char *what, const char *file, int line)
{
  plat_str *m = plat_ptr_w(vt_payload(e, PLAT_ERR, what, file, line));
  vt_checks++;
  if (m && !strstr(m->data, part)) {
    vt_failed++;
    fprintf(stderr, "%s:%d: %s: Err \"%s\" lacks \"%s\"\n", file, line, what, m->data, part);
  }
}

static void run(void);
static uint64_t vt_entry(void *env) { (void)env; run(); return 0; }
#define VTEST_MAIN                                                         \
  int main(int argc, char **argv)                                         \
  {                                                                        \
    int st = plat_main(argc, argv, vt_entry, NULL);                        \
    fprintf(stderr, "%s: %d checks, %d failed\n", argv[0], vt_checks, vt_failed); \
    return st != 0 || vt_failed != 0;                                      \
  }
#endif
