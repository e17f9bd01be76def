/* server_rt.c -- the Plat runtime's echo server written against the C API
 * (plat_io.h), the same program as server.plat: one task per connection,
 * reads up to 4096 bytes and writes them back.  Used by run.sh while (or
 * when) the Plat compiler cannot build server.plat.
 *
 *   server_rt PORT
 */
#include <stdio.h>
#include <stdlib.h>

#include "plat_io.h"

static uint64_t serve(void *env) {
  int32_t s = (int32_t)(intptr_t)env;
  for (;;) {
    plat_enum *r = plat_tcp_read(s, 4096);
    if (r->tag != PLAT_OK) break;
    plat_str *d = plat_ptr_w(r->f[0]);
    if (d->len == 0 || plat_tcp_write(s, d)->tag != PLAT_OK) break;
  }
  plat_tcp_close(s);
  return 0;
}

static uint64_t root(void *env) {
  plat_enum *l = plat_tcp_listen(plat_str_cstr("127.0.0.1"), (int32_t)(intptr_t)env);
  if (l->tag != PLAT_OK) {
    fprintf(stderr, "%s\n", ((plat_str *)plat_ptr_w(l->f[0]))->data);
    return 1;
  }
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (;;) {
    plat_enum *c = plat_tcp_accept((int32_t)plat_i64_w(l->f[0]));
    if (c->tag != PLAT_OK) break;
    plat_spawn(&sc, serve, (void *)(intptr_t)plat_i64_w(c->f[0]), __FILE__, __LINE__);
  }
  plat_scope_exit(&sc);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: server_rt PORT\n"); return 2; }
  return plat_main(argc, argv, root, (void *)(intptr_t)atoi(argv[1]));
}
