/* test_str_limit.c -- no String longer than 2^31 - 1 bytes, no List longer
 * than 2^31 - 1 elements: building one panics with a clear message at the
 * .plat location, instead of lengths and indices that saturate (index_of
 * used to return a wrong position).
 *
 * The checks happen before anything is allocated or copied, so most cases
 * use fake headers (a plat_str claiming 2 GiB over a 16-byte buffer) and
 * cost nothing.  One part builds real 2 GiB strings to check the exact
 * boundary; it needs 8 GiB of available memory and says loudly when it
 * is skipped. */
#include <fcntl.h>
#include <unistd.h>

#include "net_test.h"

static char tiny[16] = "0123456789abcde";
static plat_str big = {PLAT_STR_MAX, tiny};            /* claims 2^31 - 1 bytes */
static plat_str gig = {(int64_t)1 << 30, tiny};        /* claims 2^30 bytes */

typedef struct call { int what; plat_str *a, *b; } call;

static uint64_t attempt(void *env) {
  call *c = env;
  plat_list *l;
  switch (c->what) {
  case 0: plat_str_concat_at(c->a, c->b, "t.plat", 3); break;
  case 1:
    l = plat_list_new(0);
    plat_list_push(l, plat_w_ptr(c->a));
    plat_list_push(l, plat_w_ptr(c->a));
    plat_list_push(l, plat_w_ptr(c->b));
    plat_list_join_at(l, S(","), "t.plat", 4);
    break;
  case 2: plat_str_replace_at(S("a-b-c"), S("-"), c->a, "t.plat", 5); break;
  case 3: { char *d; plat_str_alloc(PLAT_STR_MAX + 1, &d); break; }
  case 4: {
    plat_word w[2] = {0, 0};
    plat_list full = {PLAT_LIST_MAX, PLAT_LIST_MAX, w};   /* claims 2^31 - 1 items */
    plat_list_push(&full, 1);
    break;
  }
  case 5: plat_str_concat(c->a, c->b); break;
  }
  return 0;
}

static void panics(int what, plat_str *a, plat_str *b, const char *want) {
  call c = {what, a, b};
  const char *m = plat_catch(attempt, &c);
  CHECK(m && strcmp(m, want) == 0, "case %d: got \"%s\", want \"%s\"", what, m ? m : "(no panic)", want);
}

static void fake_headers(void) {
  panics(0, &big, S("x"), "string too long: 2147483648 bytes (the largest String is 2147483647 bytes) (at t.plat:3)");
  panics(0, &gig, &big, "string too long: 3221225471 bytes (the largest String is 2147483647 bytes) (at t.plat:3)");
  panics(0, &big, &big, "string too long: 4294967294 bytes (the largest String is 2147483647 bytes) (at t.plat:3)");
  panics(5, S("y"), &big, "string too long: 2147483648 bytes (the largest String is 2147483647 bytes) (at ?:0)");
  /* join: 2^30 + 1 + 2^30 + 1 + 1 bytes */
  panics(1, &gig, S("x"), "string too long: more than 2147483647 bytes (the largest String is 2147483647 bytes) (at t.plat:4)");
  panics(1, &big, &big, "string too long: more than 2147483647 bytes (the largest String is 2147483647 bytes) (at t.plat:4)");
  /* replace "a-b-c" "-" -> big: two copies of big */
  panics(2, &big, NULL, "string too long: more than 2147483647 bytes (the largest String is 2147483647 bytes) (at t.plat:5)");
  panics(3, NULL, NULL, "string too long: 2147483648 bytes (the largest String is 2147483647 bytes) (at ?:0)");
  panics(4, NULL, NULL, "list too long: more than 2147483647 elements (at ?:0)");

  /* below the limit nothing changes; "" + big is big itself (no copy) */
  CHECK(plat_str_concat(S(""), &big) == &big && plat_str_concat(&big, S("")) == &big, "identity");
  plat_list *l = plat_list_new(0);
  for (int i = 0; i < 1000; i++) plat_list_push(l, plat_w_ptr(S("ab")));
  CHECK(plat_list_join_at(l, S(", "), "t.plat", 9)->len == 1000 * 2 + 999 * 2, "join");
  CHECK(plat_str_replace_at(S("a-b"), S("-"), S("+++"), "t.plat", 9)->len == 5, "replace");
}

/* read_all of a file larger than the largest String is an Err, found from
 * its size before anything is read (a sparse file: no disk used). */
static void big_files(void) {
  const char *tmp = getenv("TMPDIR");
  plat_str *p = plat_str_fmt("%s/plat-test-strlimit-%d", tmp && *tmp ? tmp : "/tmp", (int)getpid());
  int fd = open(p->data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  CHECK(fd >= 0 && ftruncate(fd, (off_t)PLAT_STR_MAX + 1) == 0, "sparse file");
  close(fd);
  EXPECT_ERR(plat_file_read_all(p), "file_read_all: ");
  EXPECT_ERR(plat_file_read_all(p), ": larger than the largest String (2147483647 bytes)");
  fd = open(p->data, O_WRONLY | O_TRUNC);
  CHECK(fd >= 0 && ftruncate(fd, (off_t)3 << 30) == 0, "sparse file");
  close(fd);
  EXPECT_ERR(plat_file_read_all(p), ": larger than the largest String (2147483647 bytes)");
  unlink(p->data);
  /* file_read with max_bytes past the limit is a (short) read, not an Err */
  int32_t fd2 = OK_I32(plat_file_open(S("/dev/zero"), S("r")));
  plat_enum *r = plat_file_read(fd2, (int64_t)3 << 30);
  CHECK(r->tag == PLAT_OK && ((plat_str *)plat_ptr_w(r->f[0]))->len > 0, "file_read 3 GiB");
  plat_file_close(fd2);
}

static int64_t mem_available_kb(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  char line[256];
  long long kb = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1) break;
  if (f) fclose(f);
  return kb;
}

static uint64_t real_overflow(void *env) {
  plat_str_concat_at(env, S("y"), "t.plat", 20);
  return 0;
}

/* A real string at the boundary: exactly PLAT_STR_MAX bytes is a String
 * whose length and indices are exact; one more byte panics.  (Reading an
 * endless device, file_read_all("/dev/zero"), also stops there with the
 * Err above; that costs seconds more and is not repeated here.)  Not
 * under the sanitizers: their shadow memory and slower loops make it
 * minutes, and the logic is the fake-header part's. */
static void real_boundary(void) {
  int64_t kb = mem_available_kb();
#if defined(PLAT_ASAN) || defined(PLAT_TSAN)
  kb = -1;
#endif
  if (kb < (int64_t)8 << 20) {
    fprintf(stderr, "test_str_limit: SKIPPED the real 2 GiB string: %s\n",
            kb < 0 ? "not under a sanitizer" : "needs 8 GiB of available memory");
    return;
  }
  char *d;
  plat_str *s = plat_str_alloc(PLAT_STR_MAX, &d);
  memset(d, 'a', (size_t)PLAT_STR_MAX);
  d[PLAT_STR_MAX - 1] = 'x';
  CHECK(plat_str_byte_length(s) == INT32_MAX && plat_str_length(s) == INT32_MAX, "lengths");
  plat_enum *at = plat_str_index_of(s, S("x"));
  CHECK(at->tag == PLAT_SOME && plat_i64_w(at->f[0]) == INT32_MAX - 1, "index_of at the end");
  const char *m = plat_catch(real_overflow, s);
  CHECK(m && strcmp(m, "string too long: 2147483648 bytes (the largest String is 2147483647 bytes) (at t.plat:20)") == 0,
        "real overflow: %s", m ? m : "(no panic)");
}

static uint64_t run(void *env) {
  (void)env;
  fake_headers();
  big_files();
  real_boundary();
  return 0;
}

int main(int argc, char **argv) {
  plat_main(argc, argv, run, NULL);
  return nt_result("test_str_limit");
}
