/* test_file.c -- file built-ins.  Everything happens inside a fresh
 * mkdtemp directory, removed at the end. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vtest.h"

static char dir[256];

static plat_str *path(const char *name) { return plat_str_fmt("%s/%s", dir, name); }

static void open_modes(void)
{
  plat_str *p = path("a.txt");
  CHECK(!plat_file_exists(p));
  CHECK_ERR_HAS(plat_file_open(p, S("r")), "No such file or directory");
  CHECK_ERR_HAS(plat_file_open(p, S("r")), p->data);
  CHECK_ERR_HAS(plat_file_open(p, S("r")), "file_open: ");
  CHECK_STR(ERR_STR(plat_file_open(p, S("x"))), "file_open: invalid mode \"x\" (use r, w, a, r+, w+ or a+)");
  CHECK_ERR_HAS(plat_file_open(p, S("rw")), "invalid mode \"rw\"");
  CHECK_ERR_HAS(plat_file_open(p, S("")), "invalid mode \"\"");
  CHECK(!plat_file_exists(p));                              /* bad mode creates nothing */

  int32_t fd = (int32_t)OK(plat_file_open(p, S("w")));
  CHECK(fd > 2);
  CHECK((int64_t)OK(plat_file_write(fd, S("héllo\n"))) == 7);
  CHECK((int64_t)OK(plat_file_write(fd, S(""))) == 0);
  CHECK_ERR_HAS(plat_file_read(fd, 10), "file_read: fd ");  /* write-only */
  CHECK(OK(plat_file_close(fd)) == 1);
  CHECK_ERR_HAS(plat_file_close(fd), plat_str_fmt("file_close: fd %d: Bad file descriptor", fd)->data);
  CHECK_ERR_HAS(plat_file_write(fd, S("x")), "Bad file descriptor");
  CHECK_ERR_HAS(plat_file_read(fd, 1), "Bad file descriptor");
  CHECK(plat_file_exists(p) && OK(plat_file_size(p)) == 7);

  fd = (int32_t)OK(plat_file_open(p, S("a")));
  OK(plat_file_write(fd, S("more")));
  OK(plat_file_close(fd));
  CHECK_STR(OK_STR(plat_file_read_all(p)), "héllo\nmore");

  fd = (int32_t)OK(plat_file_open(p, S("r+")));
  OK(plat_file_write(fd, S("HÉ")));                         /* overwrites in place */
  CHECK_STR(OK_STR(plat_file_read(fd, 100)), "llo\nmore");
  OK(plat_file_close(fd));
  CHECK_STR(OK_STR(plat_file_read_all(p)), "HÉllo\nmore");

  fd = (int32_t)OK(plat_file_open(p, S("a+")));
  OK(plat_file_write(fd, S("!")));
  lseek(fd, 0, SEEK_SET);
  CHECK_STR(OK_STR(plat_file_read(fd, 3)), "HÉ");
  OK(plat_file_close(fd));

  fd = (int32_t)OK(plat_file_open(p, S("w+")));              /* truncates */
  CHECK(OK(plat_file_size(p)) == 0);
  OK(plat_file_write(fd, S("xyz")));
  lseek(fd, 0, SEEK_SET);
  CHECK_STR(OK_STR(plat_file_read(fd, 100)), "xyz");
  CHECK_STR(OK_STR(plat_file_read(fd, 100)), "");           /* EOF */
  OK(plat_file_close(fd));
}

static void reads(void)
{
  plat_str *p = path("big.bin");
  int64_t n = 300000;
  char *d;
  plat_str *data = plat_str_alloc(n, &d);
  for (int64_t i = 0; i < n; i++) d[i] = (char)(i * 7 + i / 1000);
  int32_t fd = (int32_t)OK(plat_file_open(p, S("w")));
  CHECK((int64_t)OK(plat_file_write(fd, data)) == n);
  OK(plat_file_close(fd));
  CHECK(plat_str_eq(OK_STR(plat_file_read_all(p)), data));
  CHECK((int64_t)OK(plat_file_size(p)) == n);

  fd = (int32_t)OK(plat_file_open(p, S("r")));
  CHECK_STR(OK_STR(plat_file_read(fd, 0)), "");
  CHECK_STR(ERR_STR(plat_file_read(fd, -1)), "file_read: max_bytes must not be negative, got -1");
  plat_str *a = OK_STR(plat_file_read(fd, 100000));
  plat_str *b = OK_STR(plat_file_read(fd, INT64_MAX));      /* huge max on a smaller rest */
  CHECK(a->len == 100000 && b->len == n - 100000);
  CHECK(plat_str_eq(plat_str_concat(a, b), data));
  OK(plat_file_close(fd));

  plat_str *e = path("empty");
  OK(plat_file_close((int32_t)OK(plat_file_open(e, S("w")))));
  CHECK_STR(OK_STR(plat_file_read_all(e)), "");
  CHECK_ERR_HAS(plat_file_read_all(path("nope")), "file_read_all: ");
  CHECK_ERR_HAS(plat_file_read_all(path("nope")), "No such file or directory");
  CHECK_ERR_HAS(plat_file_read_all(plat_str_cstr(dir)), "Is a directory");
}

static void foreign_fds(void)
{
  int raw = open(dir, O_RDONLY);                            /* not opened by file_open */
  CHECK_ERR_HAS(plat_file_close(raw), "Bad file descriptor");
  CHECK(fcntl(raw, F_GETFD) >= 0);                          /* still open */
  CHECK_ERR_HAS(plat_file_read(raw, 1), "Bad file descriptor");
  CHECK_ERR_HAS(plat_file_write(raw, S("x")), "Bad file descriptor");
  close(raw);
  CHECK_ERR_HAS(plat_file_close(-1), "file_close: fd -1: Bad file descriptor");
  CHECK_ERR_HAS(plat_file_close(1), "Bad file descriptor");  /* stdout is not closable */
  CHECK_ERR_HAS(plat_file_write(-3, S("x")), "Bad file descriptor");
  CHECK_ERR_HAS(plat_file_read(100000, 1), "Bad file descriptor");
  CHECK(OK(plat_file_write(2, S(""))) == 0);                 /* stderr is writable */
}

static void paths(void)
{
  plat_str *nul = S("a\0b");
  CHECK_STR(ERR_STR(plat_file_open(nul, S("w"))), "file_open: path contains a NUL byte");
  CHECK_ERR_HAS(plat_file_read_all(nul), "file_read_all: path contains a NUL byte");
  CHECK_ERR_HAS(plat_file_size(nul), "NUL");
  CHECK_ERR_HAS(plat_file_delete(nul), "NUL");
  CHECK_ERR_HAS(plat_dir_list(nul), "NUL");
  CHECK(!plat_file_exists(nul));
  CHECK_ERR_HAS(plat_file_open(S(""), S("r")), "No such file or directory");
  CHECK_ERR_HAS(plat_file_size(path("missing")), "file_size: ");
  CHECK_ERR_HAS(plat_file_size(path("missing")), "/missing: No such file or directory");
  CHECK_ERR_HAS(plat_file_open(path("missing/x"), S("w")), "No such file or directory");
  CHECK_ERR_HAS(plat_file_open(plat_str_cstr(dir), S("w")), "Is a directory");
}

static void delete_and_list(void)
{
  plat_str *sub = path("sub");
  mkdir(sub->data, 0700);
  const char *names[] = { "b", "a", "é", "Z", ".hidden", "a b" };
  for (size_t i = 0; i < 6; i++)
    OK(plat_file_close((int32_t)OK(plat_file_open(plat_str_fmt("%s/%s", sub->data, names[i]), S("w")))));
  mkdir(plat_str_fmt("%s/dir", sub->data)->data, 0700);
  plat_list *l = plat_ptr_w(OK(plat_dir_list(sub)));
  CHECK(l && l->len == 7);
  if (l && l->len == 7) {
    plat_str *joined = plat_list_join(l, S("|"));
    CHECK_STR(joined, ".hidden|Z|a|a b|b|dir|é");            /* bytewise order */
  }
  CHECK(((plat_list *)plat_ptr_w(OK(plat_dir_list(path("sub/dir")))))->len == 0);
  CHECK_ERR_HAS(plat_dir_list(path("nope")), "dir_list: ");
  CHECK_ERR_HAS(plat_dir_list(path("nope")), "No such file or directory");
  CHECK_ERR_HAS(plat_dir_list(plat_str_fmt("%s/a", sub->data)), "Not a directory");

  plat_str *f = plat_str_fmt("%s/a", sub->data);
  CHECK(OK(plat_file_delete(f)) == 1 && !plat_file_exists(f));
  CHECK_ERR_HAS(plat_file_delete(f), "file_delete: ");
  CHECK_ERR_HAS(plat_file_delete(f), "No such file or directory");
  CHECK(ERR(plat_file_delete(path("sub/dir"))) != 0);       /* a directory */
  CHECK(plat_file_exists(path("sub/dir")));
}

static void cleanup(void)
{
  const char *sub[] = { "b", "é", "Z", ".hidden", "a b" };
  for (size_t i = 0; i < 5; i++) unlink(plat_str_fmt("%s/sub/%s", dir, sub[i])->data);
  rmdir(path("sub/dir")->data);
  rmdir(path("sub")->data);
  unlink(path("a.txt")->data);
  unlink(path("big.bin")->data);
  unlink(path("empty")->data);
  CHECK(rmdir(dir) == 0);
}

static void run(void)
{
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/plat-test-file.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) { perror("mkdtemp"); exit(1); }
  open_modes();
  reads();
  foreign_fds();
  paths();
  delete_and_list();
  cleanup();
}
VTEST_MAIN
